"""UI views of organization profiles, connections and coverage targets, and the rollout panels on core pages."""

import datetime
import re
from decimal import Decimal

from core.models import ObjectType
from dcim.models import Interface, Region, Site
from django.test import override_settings
from django.urls import reverse
from netbox.choices import CSVDelimiterChoices, ImportFormatChoices
from tenancy.models import Contact, Tenant
from users.models import ObjectPermission
from utilities.testing import TestCase, ViewTestCases, create_tags, create_test_device

from netbox_metronet.choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from netbox_metronet.models import Connection, CoverageTarget, FiberCable, OrganizationProfile
from netbox_metronet.tables import ConnectionTable, CoverageTargetTable, OrganizationProfileTable
from netbox_metronet.views.organizations import annotate_counts

#: What NetBox shows in place of a template extension that raised an exception
PLUGIN_ERROR = "An error occurred when loading content from plugin"


class PluginURLMixin:
    """The plugin's view names live in the ``plugins:netbox_metronet`` namespace."""

    def _get_base_url(self):
        return f"plugins:netbox_metronet:{self.model._meta.model_name}_{{}}"


def import_csv(client, model_name, *lines):
    """POST a CSV bulk import and return the response."""
    return client.post(
        reverse(f"plugins:netbox_metronet:{model_name}_bulk_import"),
        {"data": "\n".join(lines), "format": ImportFormatChoices.CSV, "csv_delimiter": CSVDelimiterChoices.AUTO},
    )


def grant(user, model, *actions, constraints=None):
    """Give ``user`` an object permission for ``actions`` on ``model``."""
    permission = ObjectPermission.objects.create(name=f"{model._meta.model_name} {actions}", actions=list(actions),
                                                 constraints=constraints)
    permission.users.add(user)
    permission.object_types.add(ObjectType.objects.get_for_model(model))
    return permission


class OrganizationProfileViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = OrganizationProfile

    @classmethod
    def setUpTestData(cls):
        cls.part = Region(name="Teplické Předměstí", slug="teplicke-predmesti")
        cls.part.save()
        cls.contact = Contact.objects.create(name="Jana Nováková", phone="+420 417 000 111")
        cls.tenants = [Tenant.objects.create(name=f"Organizace {i}", slug=f"organizace-{i}") for i in range(1, 8)]
        for tenant, ico, org_type in zip(
            cls.tenants[:3],
            ("47097116", "70902216", "60985305"),
            (OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.KINDERGARTEN, OrganizationTypeChoices.CULTURE),
            strict=True,
        ):
            OrganizationProfile.objects.create(tenant=tenant, org_type=org_type, company_id=ico, town_part=cls.part)
        tags = create_tags("Alpha", "Bravo", "Charlie")

        cls.form_data = {
            "tenant": cls.tenants[3].pk,
            "org_type": OrganizationTypeChoices.SPORT,
            "town_relation": TownRelationChoices.FOUNDED,
            "company_id": "47223472",
            "town_part": cls.part.pk,
            "contact": cls.contact.pk,
            "description": "Sportovní hala",
            "comments": "Hala u stadionu",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "tenant,org_type,town_relation,company_id,town_part,contact",
            "Organizace 5,school,established,47223481,Teplické Předměstí,Jana Nováková",
            "Organizace 6,kindergarten,,47223499,,",
            "Organizace 7,police,other,,Teplické Předměstí,",
        )
        profiles = OrganizationProfile.objects.order_by("pk")
        cls.csv_update_data = (
            "id,org_type,description",
            f"{profiles[0].pk},office,Radnice",
            f"{profiles[1].pk},social,Pečovatelská služba",
            f"{profiles[2].pk},health,Poliklinika",
        )
        cls.bulk_edit_data = {
            "org_type": OrganizationTypeChoices.UTILITY,
            "town_relation": TownRelationChoices.OTHER,
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_defaults_town_relation(self):
        self.add_permissions("netbox_metronet.add_organizationprofile")
        response = import_csv(self.client, "organizationprofile", "tenant,org_type", "Organizace 5,school")
        self.assertHttpStatus(response, 302)
        profile = OrganizationProfile.objects.get(tenant__name="Organizace 5")
        self.assertEqual(profile.town_relation, TownRelationChoices.ESTABLISHED)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_is_all_or_nothing_and_names_the_row(self):
        """A CSV of three profiles whose second IČO fails its checksum imports nothing and names record 2."""
        self.add_permissions("netbox_metronet.add_organizationprofile")
        count = OrganizationProfile.objects.count()
        response = import_csv(
            self.client,
            "organizationprofile",
            "tenant,org_type,company_id",
            "Organizace 5,school,47223481",
            "Organizace 6,kindergarten,47223480",
            "Organizace 7,police,47223499",
        )
        self.assertHttpStatus(response, 200)
        self.assertEqual(OrganizationProfile.objects.count(), count)
        self.assertContains(response, "Record 2 company_id: IČO 47223480 fails its checksum (last digit should be 1)")
        self.assertNotContains(response, "Record 1")
        self.assertNotContains(response, "Record 3")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_rejects_unknown_tenant(self):
        self.add_permissions("netbox_metronet.add_organizationprofile")
        response = import_csv(self.client, "organizationprofile", "tenant,org_type", "Nikdo,school")
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "Record 1 tenant: Object not found: Nikdo")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_form_shows_ico_error(self):
        self.add_permissions("netbox_metronet.add_organizationprofile")
        response = self.client.post(
            reverse("plugins:netbox_metronet:organizationprofile_add"),
            {"tenant": self.tenants[3].pk, "org_type": "school", "town_relation": "established", "company_id": "1234"},
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "an IČO has exactly 8 digits, got &#x27;1234&#x27;")
        self.assertFalse(OrganizationProfile.objects.filter(tenant=self.tenants[3]).exists())

    def test_add_form_is_prefilled_with_the_tenant(self):
        self.add_permissions("netbox_metronet.add_organizationprofile", "tenancy.view_tenant")
        response = self.client.get(
            reverse("plugins:netbox_metronet:organizationprofile_add") + f"?tenant={self.tenants[4].pk}"
        )
        self.assertHttpStatus(response, 200)
        # Only the preselected tenant is rendered as an option (the others are fetched by the selector's API calls)
        self.assertContains(response, "Organizace 5")
        self.assertNotContains(response, "Organizace 6")

    def test_detail_shows_fields_sites_and_connections(self):
        self.add_permissions(
            "netbox_metronet.view_organizationprofile", "dcim.view_site", "netbox_metronet.view_connection",
            "netbox_metronet.add_connection",
        )
        profile = OrganizationProfile.objects.get(tenant=self.tenants[0])
        profile.contact = self.contact
        profile.save()
        response = self.client.get(profile.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "47097116")
        self.assertContains(response, "+420 417 000 111")
        self.assertContains(response, "Teplické Předměstí")
        # The tenant's sites (with coordinates) and connections are live tables filtered by the tenant
        self.assertContains(response, f"{reverse('dcim:site_list')}?embedded=True&tenant_id={self.tenants[0].pk}")
        self.assertContains(response, "include_columns=latitude%2Clongitude")
        connection_list = reverse("plugins:netbox_metronet:connection_list")
        self.assertContains(response, f"{connection_list}?embedded=True&tenant_id={self.tenants[0].pk}")
        connection_add = reverse("plugins:netbox_metronet:connection_add")
        self.assertContains(response, f"{connection_add}?tenant={self.tenants[0].pk}&amp;return_url=")

    def test_embedded_tables_of_the_detail_page(self):
        """What the detail page's panels load: the tenant's sites with coordinates, its connections."""
        self.add_permissions("dcim.view_site", "netbox_metronet.view_connection")
        tenant = self.tenants[0]
        site = Site.objects.create(
            name="ZŠ budova", slug="zs-budova", tenant=tenant, latitude=Decimal("50.548611"),
            longitude=Decimal("13.775278"),
        )
        Site.objects.create(name="Cizí budova", slug="cizi-budova", tenant=self.tenants[1])
        connection = Connection.objects.create(tenant=tenant, site=site, bandwidth_mbps=1000)
        Connection.objects.create(tenant=self.tenants[1], site=Site.objects.get(slug="cizi-budova"))

        response = self.client.get(
            f"{reverse('dcim:site_list')}?embedded=True&tenant_id={tenant.pk}"
            "&include_columns=latitude,longitude&exclude_columns=tenant"
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, site.get_absolute_url())
        self.assertContains(response, "50.548611")
        self.assertNotContains(response, "Cizí budova")

        response = self.client.get(
            f"{reverse('plugins:netbox_metronet:connection_list')}?embedded=True&tenant_id={tenant.pk}"
            "&exclude_columns=tenant"
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, connection.get_absolute_url())
        self.assertNotContains(response, "Cizí budova")

    def test_list_counts_sites_and_connections(self):
        self.add_permissions("netbox_metronet.view_organizationprofile")
        tenant = self.tenants[0]
        sites = [
            Site.objects.create(name=f"Budova {i}", slug=f"budova-{i}", tenant=tenant) for i in range(1, 3)
        ]
        Connection.objects.create(
            tenant=tenant, site=sites[0], status=ConnectionStatusChoices.CONNECTED,
            connected_date=datetime.date(2023, 9, 1),
        )
        Connection.objects.create(tenant=tenant, site=sites[1], status=ConnectionStatusChoices.DESIGN)
        response = self.client.get(
            reverse("plugins:netbox_metronet:organizationprofile_list") + f"?tenant_id={tenant.pk}"
        )
        self.assertHttpStatus(response, 200)
        profile = response.context["table"].rows[0].record
        self.assertEqual((profile.site_count, profile.connected_count, profile.connection_count), (2, 1, 2))
        self.assertContains(response, f"{reverse('dcim:site_list')}?tenant_id={tenant.pk}")


class ConnectionViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = Connection

    @classmethod
    def setUpTestData(cls):
        cls.tenants = [Tenant.objects.create(name=f"Organizace {i}", slug=f"organizace-{i}") for i in range(1, 5)]
        cls.sites = [
            Site.objects.create(name=f"Budova {i}", slug=f"budova-{i}", tenant=tenant)
            for i, tenant in enumerate(cls.tenants, start=1)
        ]
        cls.device = create_test_device("sw-budova-4", site=cls.sites[3])
        cls.interfaces = [
            Interface.objects.create(device=cls.device, name=f"Gi0/{i}", type="1000base-t") for i in range(1, 4)
        ]
        pop = Site.objects.create(name="POP Radnice", slug="pop-radnice")
        cls.cable = FiberCable.objects.create(name="K-07", strand_count=12, a_site=pop, b_site=cls.sites[3])
        Connection.objects.create(tenant=cls.tenants[0], site=cls.sites[0], status=ConnectionStatusChoices.PLANNED)
        Connection.objects.create(
            tenant=cls.tenants[1], site=cls.sites[1], status=ConnectionStatusChoices.DESIGN,
            planned_date=datetime.date(2025, 3, 31),
        )
        Connection.objects.create(
            tenant=cls.tenants[2], site=cls.sites[2], status=ConnectionStatusChoices.CONSTRUCTION,
            planned_date=datetime.date(2025, 6, 30), construction_start=datetime.date(2025, 4, 1),
        )
        tags = create_tags("Alpha", "Bravo", "Charlie")

        cls.form_data = {
            "tenant": cls.tenants[3].pk,
            "site": cls.sites[3].pk,
            "status": ConnectionStatusChoices.CONNECTED,
            "planned_date": datetime.date(2024, 6, 30),
            "construction_start": datetime.date(2024, 4, 2),
            "connected_date": datetime.date(2024, 6, 14),
            "bandwidth_mbps": 1000,
            "access_interfaces": [cls.interfaces[0].pk, cls.interfaces[1].pk],
            "strand": cls.cable.strands.get(number=4).pk,
            "description": "Hlavní budova",
            "comments": "Přípojka z ulice",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "tenant,site,status,planned_date,bandwidth_mbps,device,access_interfaces",
            "Organizace 4,Budova 4,planned,2025-09-01,1000,sw-budova-4,Gi0/3",
            'Organizace 4,Budova 4,design,2025-10-01,100,sw-budova-4,"Gi0/1,Gi0/2"',
            "Organizace 1,Budova 1,,,,,",
        )
        connections = Connection.objects.order_by("pk")
        cls.csv_update_data = (
            "id,status,bandwidth_mbps,description",
            f"{connections[0].pk},design,100,Přípojka A",
            f"{connections[1].pk},construction,1000,Přípojka B",
            f"{connections[2].pk},cancelled,1000,Přípojka C",
        )
        cls.bulk_edit_data = {
            "status": ConnectionStatusChoices.DESIGN,
            "planned_date": datetime.date(2026, 1, 31),
            "bandwidth_mbps": 10000,
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_sets_interfaces_of_the_device(self):
        self.add_permissions("netbox_metronet.add_connection")
        response = import_csv(
            self.client, "connection",
            "tenant,site,device,access_interfaces",
            'Organizace 4,Budova 4,sw-budova-4,"Gi0/2,Gi0/3"',
        )
        self.assertHttpStatus(response, 302)
        connection = Connection.objects.get(site=self.sites[3])
        self.assertEqual(connection.status, ConnectionStatusChoices.PLANNED)
        self.assertEqual(set(connection.access_interfaces.all()), {self.interfaces[1], self.interfaces[2]})

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_shows_model_validation_with_the_row(self):
        """Connection.clean() errors reach the import page with the record number; nothing is imported."""
        self.add_permissions("netbox_metronet.add_connection")
        count = Connection.objects.count()
        response = import_csv(
            self.client, "connection",
            "tenant,site,status,construction_start,connected_date",
            "Organizace 4,Budova 4,planned,,",
            "Organizace 4,Budova 4,connected,,",
            "Organizace 4,Budova 1,planned,,",
            "Organizace 4,Budova 4,connected,2024-05-02,2024-05-01",
        )
        self.assertHttpStatus(response, 200)
        self.assertEqual(Connection.objects.count(), count)
        self.assertContains(
            response, "Record 2 connected_date: A connected connection needs the date it went into service."
        )

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_site_of_another_tenant(self):
        self.add_permissions("netbox_metronet.add_connection")
        response = import_csv(self.client, "connection", "tenant,site", "Organizace 4,Budova 1")
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "Record 1 site: Site Budova 1 belongs to Organizace 1, not to Organizace 4.")
        self.assertFalse(Connection.objects.filter(tenant=self.tenants[3]).exists())

    def test_edit_form_selectors(self):
        """The site selector follows the tenant, interfaces follow the device (preselected from the connection's
        interfaces), strands follow the site."""
        self.add_permissions("netbox_metronet.change_connection", "dcim.view_device", "dcim.view_interface")
        connection = Connection.objects.create(tenant=self.tenants[3], site=self.sites[3])
        connection.access_interfaces.set([self.interfaces[1]])
        response = self.client.get(reverse("plugins:netbox_metronet:connection_edit", args=[connection.pk]))
        self.assertHttpStatus(response, 200)
        self.assertContains(response, reverse("plugins-api:netbox_metronet-api:fiberstrand-list"))
        selects = {
            re.search(r'name="([^"]+)"', tag).group(1): tag
            for tag in re.findall(r"<select[^>]*>", response.content.decode())
        }
        for field, param in (("site", "tenant_id"), ("access_interfaces", "device_id"), ("strand", "site_id")):
            self.assertIn(f"&quot;queryParam&quot;:&quot;{param}&quot;", selects[field])
        device_option = f'<option value="{self.device.pk}" selected>{self.device.name}</option>'
        self.assertContains(response, device_option, html=True)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_form_shows_date_order_error(self):
        self.add_permissions("netbox_metronet.add_connection")
        response = self.client.post(
            reverse("plugins:netbox_metronet:connection_add"),
            {
                "tenant": self.tenants[3].pk, "site": self.sites[3].pk, "status": "connected",
                "construction_start": "2024-05-02", "connected_date": "2024-05-01",
            },
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "Construction start 2024-05-02 is after the connected date 2024-05-01.")
        self.assertFalse(Connection.objects.filter(tenant=self.tenants[3]).exists())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_bulk_edit_keeps_model_validation(self):
        """Bulk-setting "connected" without a date fails for every connection and changes none."""
        self.add_permissions("netbox_metronet.change_connection")
        pks = list(Connection.objects.values_list("pk", flat=True))
        response = self.client.post(
            reverse("plugins:netbox_metronet:connection_bulk_edit"),
            {"pk": pks, "status": ConnectionStatusChoices.CONNECTED, "_apply": True},
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "A connected connection needs the date it went into service.")
        self.assertFalse(Connection.objects.filter(status=ConnectionStatusChoices.CONNECTED).exists())

    def test_detail_shows_interfaces_with_their_device_and_the_strand(self):
        self.add_permissions("netbox_metronet.view_connection")
        strand = self.cable.strands.get(number=7)
        connection = Connection.objects.create(
            tenant=self.tenants[3], site=self.sites[3], bandwidth_mbps=1000, strand=strand
        )
        connection.access_interfaces.set([self.interfaces[2]])
        response = self.client.get(connection.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertContains(response, self.interfaces[2].get_absolute_url())
        self.assertContains(response, self.device.get_absolute_url())
        self.assertContains(response, strand.get_absolute_url())
        self.assertContains(response, "1000 Mbit/s")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_form_rejects_strand_of_a_cable_not_ending_at_the_site(self):
        self.add_permissions("netbox_metronet.add_connection")
        strand = self.cable.strands.get(number=2)
        response = self.client.post(
            reverse("plugins:netbox_metronet:connection_add"),
            {"tenant": self.tenants[0].pk, "site": self.sites[0].pk, "status": "planned", "strand": strand.pk},
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "Strand K-07 #2 is in cable K-07, which does not end at Budova 1.")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_strand_by_cable_and_number(self):
        self.add_permissions("netbox_metronet.add_connection")
        response = import_csv(
            self.client, "connection",
            "tenant,site,cable,strand_number",
            "Organizace 4,Budova 4,K-07,9",
            "Organizace 1,Budova 1,K-07,10",
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(
            response, "Record 2 : strand: Strand K-07 #10 is in cable K-07, which does not end at Budova 1."
        )
        self.assertFalse(Connection.objects.filter(strand__isnull=False).exists())
        response = import_csv(
            self.client, "connection", "tenant,site,cable,strand_number", "Organizace 4,Budova 4,K-07,9"
        )
        self.assertHttpStatus(response, 302)
        self.assertEqual(Connection.objects.get(site=self.sites[3]).strand, self.cable.strands.get(number=9))


class RolloutTableExportTestCase(TestCase):
    """What the table columns export: labels and counts as plain text."""

    def test_connection_and_profile_columns_export_plain_values(self):
        tenant = Tenant.objects.create(name="ZŠ Aléská", slug="zs-aleska")
        bare_tenant = Tenant.objects.create(name="Bez profilu", slug="bez-profilu")
        OrganizationProfile.objects.create(tenant=tenant, org_type=OrganizationTypeChoices.SCHOOL)
        site = Site.objects.create(name="Budova", slug="budova", tenant=tenant)
        Connection.objects.create(
            tenant=tenant, site=site, status=ConnectionStatusChoices.CONNECTED, connected_date=datetime.date(2024, 1, 5)
        )
        Connection.objects.create(tenant=tenant, site=site, status=ConnectionStatusChoices.DESIGN)
        Connection.objects.create(tenant=bare_tenant, site=Site.objects.create(name="Jiná", slug="jina"))

        rows = list(ConnectionTable(Connection.objects.order_by("pk")).as_values())
        org_type = rows[0].index("Organization type")
        self.assertEqual([row[org_type] for row in rows[1:]], ["School", "School", ""])

        rows = list(OrganizationProfileTable(annotate_counts(OrganizationProfile.objects.all())).as_values())
        self.assertEqual(rows[1][rows[0].index("Connected / connections")], "1/2")
        self.assertEqual(rows[1][rows[0].index("Sites")], 1)

        target = CoverageTarget(
            name="Schools", share_percent=Decimal("100"), min_bandwidth_mbps=1000, due_date=datetime.date(2025, 1, 1),
            org_types=[OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.KINDERGARTEN],
        )
        target.save()
        rows = list(CoverageTargetTable(CoverageTarget.objects.all()).as_values())
        self.assertEqual(rows[1][rows[0].index("Organization types")], "School, Kindergarten")
        self.assertIsNone(rows[1][rows[0].index("Relations to the town")])  # an empty cell in the CSV


class CoverageTargetViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = CoverageTarget

    @classmethod
    def setUpTestData(cls):
        CoverageTarget.objects.create(
            name="All organizations by 2024", share_percent=Decimal("100.00"), min_bandwidth_mbps=100,
            due_date=datetime.date(2024, 12, 31),
        )
        CoverageTarget.objects.create(
            name="Schools at 1 Gbit/s", share_percent=Decimal("100.00"), min_bandwidth_mbps=1000,
            due_date=datetime.date(2025, 6, 30), org_types=[OrganizationTypeChoices.SCHOOL],
        )
        CoverageTarget.objects.create(
            name="Town companies", share_percent=Decimal("80.00"), min_bandwidth_mbps=1000,
            due_date=datetime.date(2026, 12, 31), town_relations=[TownRelationChoices.FOUNDED],
        )
        tags = create_tags("Alpha", "Bravo", "Charlie")

        cls.form_data = {
            "name": "Kindergartens and schools",
            "share_percent": Decimal("90.00"),
            "min_bandwidth_mbps": 1000,
            "due_date": datetime.date(2027, 12, 31),
            "org_types": [OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.KINDERGARTEN],
            "town_relations": [TownRelationChoices.ESTABLISHED],
            "description": "Strategie 2030",
            "comments": "Schváleno radou města",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "name,share_percent,min_bandwidth_mbps,due_date,org_types,town_relations",
            'Target 4,50,100,2025-12-31,"school,kindergarten",established',
            "Target 5,75.5,1000,2026-12-31,,",
            'Target 6,100,10000,2030-12-31,utility,"founded,other"',
        )
        targets = CoverageTarget.objects.order_by("pk")
        cls.csv_update_data = (
            "id,min_bandwidth_mbps,description",
            f"{targets[0].pk},1000,Cíl A",
            f"{targets[1].pk},10000,Cíl B",
            f"{targets[2].pk},100,Cíl C",
        )
        cls.bulk_edit_data = {
            "min_bandwidth_mbps": 2000,
            "due_date": datetime.date(2028, 1, 1),
            "org_types": [OrganizationTypeChoices.CULTURE, OrganizationTypeChoices.SPORT],
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_reads_comma_separated_choices(self):
        self.add_permissions("netbox_metronet.add_coveragetarget")
        response = import_csv(
            self.client, "coveragetarget",
            "name,share_percent,min_bandwidth_mbps,due_date,org_types",
            'Target 4,50,100,2025-12-31,"school,kindergarten"',
        )
        self.assertHttpStatus(response, 302)
        self.assertEqual(CoverageTarget.objects.get(name="Target 4").org_types, ["school", "kindergarten"])

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_rejects_unknown_choice(self):
        self.add_permissions("netbox_metronet.add_coveragetarget")
        response = import_csv(
            self.client, "coveragetarget",
            "name,share_percent,min_bandwidth_mbps,due_date,org_types",
            'Target 4,50,100,2025-12-31,"school,zoo"',
        )
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "Record 1 org_types:")
        self.assertFalse(CoverageTarget.objects.filter(name="Target 4").exists())

    def test_detail_shows_labels_and_counted_organizations(self):
        self.add_permissions("netbox_metronet.view_coveragetarget", "netbox_metronet.view_organizationprofile")
        target = CoverageTarget.objects.get(name="Schools at 1 Gbit/s")
        response = self.client.get(target.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "School")
        self.assertContains(response, "Every relation")
        profile_list = reverse("plugins:netbox_metronet:organizationprofile_list")
        self.assertContains(response, f"{profile_list}?embedded=True&org_type=school&amp;return_url=")
        self.assertContains(response, f'href="{profile_list}?org_type=school"')


class RolloutPanelsTestCase(TestCase):
    """The MetroNet panels on tenant and site pages follow the user's permissions."""

    @classmethod
    def setUpTestData(cls):
        cls.tenant = Tenant.objects.create(name="ZŠ Aléská", slug="zs-aleska")
        cls.other_tenant = Tenant.objects.create(name="MŠ Čapkova", slug="ms-capkova")
        cls.site = Site.objects.create(name="ZŠ Aléská budova", slug="zs-aleska-budova", tenant=cls.tenant)
        cls.profile = OrganizationProfile.objects.create(
            tenant=cls.tenant, org_type=OrganizationTypeChoices.SCHOOL, company_id="47097116"
        )
        cls.connection = Connection.objects.create(
            tenant=cls.tenant, site=cls.site, status=ConnectionStatusChoices.DESIGN, bandwidth_mbps=1000
        )

    def test_tenant_panel_shows_profile_and_connections(self):
        self.add_permissions(
            "tenancy.view_tenant", "netbox_metronet.view_organizationprofile", "netbox_metronet.view_connection"
        )
        response = self.client.get(self.tenant.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, PLUGIN_ERROR)
        self.assertContains(response, "MetroNet profile")
        self.assertContains(response, self.profile.get_absolute_url())
        self.assertContains(response, "47097116")
        self.assertContains(response, 'id="metronet-connections"')
        self.assertContains(response, self.connection.get_absolute_url())
        self.assertContains(response, self.site.get_absolute_url())

    def test_tenant_panel_hides_connections_without_view_connection(self):
        self.add_permissions("tenancy.view_tenant", "netbox_metronet.view_organizationprofile")
        response = self.client.get(self.tenant.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertContains(response, self.profile.get_absolute_url())
        self.assertNotContains(response, 'id="metronet-connections"')
        self.assertNotContains(response, self.connection.get_absolute_url())

    def test_tenant_panel_shows_only_permitted_connections(self):
        self.add_permissions("tenancy.view_tenant")
        other_site = Site.objects.create(name="Druhá budova", slug="druha-budova", tenant=self.tenant)
        hidden = Connection.objects.create(tenant=self.tenant, site=other_site)
        grant(self.user, Connection, "view", constraints={"pk": self.connection.pk})
        response = self.client.get(self.tenant.get_absolute_url())
        self.assertContains(response, self.connection.get_absolute_url())
        self.assertNotContains(response, hidden.get_absolute_url())
        # Without view_organizationprofile, neither the profile nor a "create" button (the profile exists)
        self.assertNotContains(response, self.profile.get_absolute_url())
        self.assertNotContains(response, 'id="metronet-add-profile"')

    def test_tenant_without_profile_offers_a_prefilled_profile(self):
        self.add_permissions("tenancy.view_tenant", "netbox_metronet.add_organizationprofile")
        response = self.client.get(self.other_tenant.get_absolute_url())
        self.assertHttpStatus(response, 200)
        add_url = reverse("plugins:netbox_metronet:organizationprofile_add")
        self.assertContains(response, f"{add_url}?tenant={self.other_tenant.pk}&amp;return_url=")
        self.assertContains(response, 'id="metronet-add-profile"')

    def test_tenant_without_profile_and_without_add_permission(self):
        self.add_permissions("tenancy.view_tenant")
        response = self.client.get(self.other_tenant.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, "MetroNet profile")

    def test_site_panel_shows_connections(self):
        self.add_permissions("dcim.view_site", "netbox_metronet.view_connection", "netbox_metronet.add_connection")
        response = self.client.get(self.site.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, PLUGIN_ERROR)
        self.assertContains(response, self.connection.get_absolute_url())
        add_url = reverse("plugins:netbox_metronet:connection_add")
        self.assertContains(response, f"{add_url}?site={self.site.pk}&amp;tenant={self.tenant.pk}")

    def test_site_panel_hidden_without_view_connection(self):
        self.add_permissions("dcim.view_site")
        response = self.client.get(self.site.get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, 'id="metronet-connections"')
        self.assertNotContains(response, self.connection.get_absolute_url())
