"""FilterSets of organization profiles, connections and coverage targets."""

import datetime
from decimal import Decimal

from dcim.models import Interface, Region, Site
from django.test import TestCase, override_settings
from tenancy.models import Contact, Tenant
from utilities.testing import ChangeLoggedFilterSetTestMixin, create_test_device

from netbox_metronet.choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from netbox_metronet.filtersets import ConnectionFilterSet, CoverageTargetFilterSet, OrganizationProfileFilterSet
from netbox_metronet.models import Connection, CoverageTarget, FiberCable, OrganizationProfile

#: NetBox's created/last_updated filter tests write and read naive UTC timestamps; MetroNet's configuration runs in
#: Europe/Prague, which would shift the filter by an hour.
utc = override_settings(TIME_ZONE="UTC")


def create_town():
    """Three town parts (the second one has a sub-part), four tenants with a site each, three contacts.

    ::

        Bílina (region)
        ├── Centrum            ── ZŠ Aléská (school)
        ├── Teplické Předměstí ── MŠ Čapkova (kindergarten)
        │   └── Za Chlumem     ── Městská knihovna (culture)
        └── (no profile)       ── Technické služby
    """
    town = Region(name="Bílina", slug="bilina")
    town.save()
    parts = []
    for name, slug, parent in (
        ("Centrum", "centrum", town),
        ("Teplické Předměstí", "teplicke-predmesti", town),
    ):
        part = Region(name=name, slug=slug, parent=parent)
        part.save()
        parts.append(part)
    sub_part = Region(name="Za Chlumem", slug="za-chlumem", parent=parts[1])
    sub_part.save()
    parts.append(sub_part)

    tenants = [
        Tenant.objects.create(name="ZŠ Aléská", slug="zs-aleska"),
        Tenant.objects.create(name="MŠ Čapkova", slug="ms-capkova"),
        Tenant.objects.create(name="Městská knihovna", slug="knihovna"),
        Tenant.objects.create(name="Technické služby", slug="technicke-sluzby"),
    ]
    sites = [
        Site.objects.create(name=f"{tenant.name} budova", slug=f"{tenant.slug}-budova", tenant=tenant)
        for tenant in tenants
    ]
    contacts = [Contact.objects.create(name=f"Kontakt {i}") for i in range(1, 4)]
    return parts, tenants, sites, contacts


@utc
class OrganizationProfileFilterSetTestCase(TestCase, ChangeLoggedFilterSetTestMixin):
    queryset = OrganizationProfile.objects.all()
    filterset = OrganizationProfileFilterSet

    @classmethod
    def setUpTestData(cls):
        cls.parts, cls.tenants, cls.sites, cls.contacts = create_town()
        OrganizationProfile.objects.create(
            tenant=cls.tenants[0], org_type=OrganizationTypeChoices.SCHOOL, company_id="47097116",
            town_part=cls.parts[0], contact=cls.contacts[0], description="základní škola",
        )
        OrganizationProfile.objects.create(
            tenant=cls.tenants[1], org_type=OrganizationTypeChoices.KINDERGARTEN, company_id="70902216",
            town_part=cls.parts[1], contact=cls.contacts[1], town_relation=TownRelationChoices.ESTABLISHED,
        )
        OrganizationProfile.objects.create(
            tenant=cls.tenants[2], org_type=OrganizationTypeChoices.CULTURE, company_id="",
            town_part=cls.parts[2], contact=cls.contacts[2], town_relation=TownRelationChoices.FOUNDED,
        )

    def filter(self, **params):
        return self.filterset(params, self.queryset).qs

    def test_q(self):
        self.assertEqual(self.filter(q="aléská").get().tenant, self.tenants[0])
        self.assertEqual(self.filter(q="70902216").get().tenant, self.tenants[1])
        self.assertEqual(self.filter(q="   ").count(), 3)

    def test_tenant(self):
        self.assertEqual(self.filter(tenant_id=[self.tenants[0].pk, self.tenants[1].pk]).count(), 2)
        self.assertEqual(self.filter(tenant=[self.tenants[2].slug]).get().tenant, self.tenants[2])

    def test_org_type(self):
        self.assertEqual(self.filter(org_type=[OrganizationTypeChoices.SCHOOL]).get().tenant, self.tenants[0])
        params = {"org_type": [OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.CULTURE]}
        self.assertEqual(self.filter(**params).count(), 2)

    def test_town_relation(self):
        self.assertEqual(self.filter(town_relation=[TownRelationChoices.ESTABLISHED]).count(), 2)
        self.assertEqual(self.filter(town_relation=[TownRelationChoices.FOUNDED]).get().tenant, self.tenants[2])

    def test_town_part_includes_sub_parts(self):
        self.assertEqual(self.filter(town_part_id=[self.parts[0].pk]).get().tenant, self.tenants[0])
        # Teplické Předměstí contains Za Chlumem
        self.assertEqual(self.filter(town_part_id=[self.parts[1].pk]).count(), 2)
        self.assertEqual(self.filter(town_part=[self.parts[2].slug]).get().tenant, self.tenants[2])

    def test_company_id(self):
        self.assertEqual(self.filter(company_id=["47097116"]).get().tenant, self.tenants[0])
        self.assertEqual(self.filter(company_id__ic=["0902"]).get().tenant, self.tenants[1])

    def test_contact(self):
        self.assertEqual(self.filter(contact_id=[self.contacts[1].pk]).get().tenant, self.tenants[1])

    def test_description(self):
        self.assertEqual(self.filter(description=["základní škola"]).get().tenant, self.tenants[0])


@utc
class ConnectionFilterSetTestCase(TestCase, ChangeLoggedFilterSetTestMixin):
    queryset = Connection.objects.all()
    filterset = ConnectionFilterSet
    # The access_interfaces field is filtered as access_interface_id (not interface_id).
    filter_name_map = {"interface": "access_interface"}

    @classmethod
    def setUpTestData(cls):
        cls.parts, cls.tenants, cls.sites, _contacts = create_town()
        OrganizationProfile.objects.create(
            tenant=cls.tenants[0], org_type=OrganizationTypeChoices.SCHOOL, town_part=cls.parts[0]
        )
        OrganizationProfile.objects.create(
            tenant=cls.tenants[1], org_type=OrganizationTypeChoices.KINDERGARTEN, town_part=cls.parts[1]
        )
        OrganizationProfile.objects.create(
            tenant=cls.tenants[2], org_type=OrganizationTypeChoices.CULTURE, town_part=cls.parts[2],
            town_relation=TownRelationChoices.FOUNDED,
        )
        pop = Site.objects.create(name="POP Radnice", slug="pop-radnice")
        cls.switch = create_test_device("sw-radnice", site=pop)
        cls.other_switch = create_test_device("sw-capkova", site=cls.sites[1])
        cls.interfaces = [
            Interface.objects.create(device=cls.switch, name="Gi0/1", type="1000base-t"),
            Interface.objects.create(device=cls.switch, name="Gi0/2", type="1000base-t"),
            Interface.objects.create(device=cls.other_switch, name="Gi0/1", type="1000base-t"),
        ]
        cable = FiberCable.objects.create(name="K1", strand_count=12, a_site=pop, b_site=cls.sites[0])
        cls.strand = cable.strands.get(number=1)

        cls.connections = [
            Connection.objects.create(
                tenant=cls.tenants[0], site=cls.sites[0], status=ConnectionStatusChoices.CONNECTED,
                planned_date=datetime.date(2023, 6, 30), connected_date=datetime.date(2023, 9, 1),
                bandwidth_mbps=1000, strand=cls.strand, description="hlavní budova",
            ),
            Connection.objects.create(
                tenant=cls.tenants[1], site=cls.sites[1], status=ConnectionStatusChoices.CONSTRUCTION,
                planned_date=datetime.date(2024, 6, 30), construction_start=datetime.date(2024, 3, 1),
                bandwidth_mbps=100,
            ),
            Connection.objects.create(
                tenant=cls.tenants[2], site=cls.sites[2], status=ConnectionStatusChoices.PLANNED,
                planned_date=datetime.date(2025, 6, 30), bandwidth_mbps=1000,
            ),
            Connection.objects.create(
                tenant=cls.tenants[3], site=cls.sites[3], status=ConnectionStatusChoices.DESIGN,
            ),
        ]
        cls.connections[0].access_interfaces.set([cls.interfaces[0]])
        cls.connections[1].access_interfaces.set([cls.interfaces[1], cls.interfaces[2]])

    def filter(self, **params):
        return self.filterset(params, self.queryset).qs

    def test_q(self):
        self.assertEqual(self.filter(q="knihovna").get(), self.connections[2])
        self.assertEqual(self.filter(q="hlavní").get(), self.connections[0])
        self.assertEqual(self.filter(q="Čapkova budova").get(), self.connections[1])

    def test_tenant(self):
        self.assertEqual(self.filter(tenant_id=[self.tenants[0].pk, self.tenants[3].pk]).count(), 2)
        self.assertEqual(self.filter(tenant=[self.tenants[1].slug]).get(), self.connections[1])

    def test_site(self):
        self.assertEqual(self.filter(site_id=[self.sites[2].pk]).get(), self.connections[2])
        self.assertEqual(self.filter(site=[self.sites[3].slug]).get(), self.connections[3])

    def test_status(self):
        params = {"status": [ConnectionStatusChoices.CONNECTED, ConnectionStatusChoices.PLANNED]}
        self.assertEqual(set(self.filter(**params)), {self.connections[0], self.connections[2]})

    def test_org_type_through_profile(self):
        self.assertEqual(self.filter(org_type=[OrganizationTypeChoices.KINDERGARTEN]).get(), self.connections[1])
        # Technické služby has no profile: no organization type matches it
        self.assertEqual(self.filter(org_type=OrganizationTypeChoices.values()).count(), 3)

    def test_town_relation_through_profile(self):
        self.assertEqual(self.filter(town_relation=[TownRelationChoices.FOUNDED]).get(), self.connections[2])

    def test_town_part_through_profile(self):
        self.assertEqual(self.filter(town_part_id=[self.parts[0].pk]).get(), self.connections[0])
        self.assertEqual(self.filter(town_part_id=[self.parts[1].pk]).count(), 2)
        self.assertEqual(self.filter(town_part=[self.parts[2].slug]).get(), self.connections[2])

    def test_planned_date_range(self):
        self.assertEqual(self.filter(planned_date__gte=["2024-01-01"]).count(), 2)
        params = {"planned_date__gte": ["2024-01-01"], "planned_date__lte": ["2024-12-31"]}
        self.assertEqual(self.filter(**params).get(), self.connections[1])

    def test_connected_date_range(self):
        params = {"connected_date__gte": ["2023-01-01"], "connected_date__lte": ["2023-12-31"]}
        self.assertEqual(self.filter(**params).get(), self.connections[0])
        self.assertEqual(self.filter(connected_date__lte=["2023-08-31"]).count(), 0)

    def test_construction_start(self):
        self.assertEqual(self.filter(construction_start=["2024-03-01"]).get(), self.connections[1])

    def test_bandwidth(self):
        self.assertEqual(self.filter(bandwidth_mbps=[1000]).count(), 2)
        self.assertEqual(self.filter(bandwidth_mbps__lt=[1000]).get(), self.connections[1])

    def test_access_interface_and_device(self):
        self.assertEqual(self.filter(access_interface_id=[self.interfaces[2].pk]).get(), self.connections[1])
        self.assertEqual(self.filter(device_id=[self.switch.pk]).count(), 2)
        self.assertEqual(self.filter(device_id=[self.other_switch.pk]).get(), self.connections[1])

    def test_strand(self):
        self.assertEqual(self.filter(strand_id=[self.strand.pk]).get(), self.connections[0])

    def test_description(self):
        self.assertEqual(self.filter(description=["hlavní budova"]).get(), self.connections[0])


@utc
class CoverageTargetFilterSetTestCase(TestCase, ChangeLoggedFilterSetTestMixin):
    queryset = CoverageTarget.objects.all()
    filterset = CoverageTargetFilterSet
    # The array fields are filtered by one value each: org_type, town_relation.
    filter_name_map = {"org_types": "org_type", "town_relations": "town_relation"}

    @classmethod
    def setUpTestData(cls):
        cls.targets = [
            CoverageTarget.objects.create(
                name="All organizations by 2024", share_percent=Decimal("100"), min_bandwidth_mbps=100,
                due_date=datetime.date(2024, 12, 31), description="strategie 2020",
            ),
            CoverageTarget.objects.create(
                name="Schools at 1 Gbit/s", share_percent=Decimal("100"), min_bandwidth_mbps=1000,
                due_date=datetime.date(2025, 6, 30),
                org_types=[OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.KINDERGARTEN],
                town_relations=[TownRelationChoices.ESTABLISHED],
            ),
            CoverageTarget.objects.create(
                name="Town companies", share_percent=Decimal("80"), min_bandwidth_mbps=1000,
                due_date=datetime.date(2026, 12, 31), org_types=[OrganizationTypeChoices.UTILITY],
                town_relations=[TownRelationChoices.FOUNDED, TownRelationChoices.OTHER],
            ),
        ]

    def filter(self, **params):
        return self.filterset(params, self.queryset).qs

    def test_q(self):
        self.assertEqual(self.filter(q="schools").get(), self.targets[1])
        self.assertEqual(self.filter(q="strategie").get(), self.targets[0])

    def test_name(self):
        self.assertEqual(self.filter(name=["Town companies"]).get(), self.targets[2])

    def test_org_type_matches_contained_values(self):
        self.assertEqual(self.filter(org_type=[OrganizationTypeChoices.KINDERGARTEN]).get(), self.targets[1])
        params = {"org_type": [OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.UTILITY]}
        self.assertEqual(set(self.filter(**params)), {self.targets[1], self.targets[2]})
        self.assertEqual(self.filter(org_type=[OrganizationTypeChoices.POLICE]).count(), 0)

    def test_town_relation_matches_contained_values(self):
        self.assertEqual(self.filter(town_relation=[TownRelationChoices.OTHER]).get(), self.targets[2])
        self.assertEqual(self.filter(town_relation=[TownRelationChoices.ESTABLISHED]).get(), self.targets[1])

    def test_invalid_org_type_is_rejected(self):
        filterset = self.filterset({"org_type": ["no-such-type"]}, self.queryset)
        self.assertFalse(filterset.is_valid())

    def test_share_and_bandwidth(self):
        self.assertEqual(self.filter(share_percent__lt=["100"]).get(), self.targets[2])
        self.assertEqual(self.filter(min_bandwidth_mbps=[1000]).count(), 2)

    def test_due_date_range(self):
        params = {"due_date__gte": ["2025-01-01"], "due_date__lte": ["2025-12-31"]}
        self.assertEqual(self.filter(**params).get(), self.targets[1])
