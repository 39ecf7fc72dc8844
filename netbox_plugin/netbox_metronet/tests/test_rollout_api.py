"""REST API and GraphQL of organization profiles, connections and coverage targets."""

import datetime
from decimal import Decimal

from dcim.models import Interface, Region, Site
from django.urls import reverse
from rest_framework import status
from tenancy.models import Contact, Tenant
from utilities.testing import APITestCase, APIViewTestCases, create_test_device

from netbox_metronet.choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from netbox_metronet.models import Connection, CoverageTarget, FiberCable, OrganizationProfile

VIEW_NAMESPACE = "plugins-api:netbox_metronet"


class OrganizationProfileAPITestCase(APIViewTestCases.APIViewTestCase):
    model = OrganizationProfile
    view_namespace = VIEW_NAMESPACE
    graphql_base_name = "metronet_organization_profile"
    brief_fields = ["description", "display", "id", "org_type", "tenant", "url"]
    bulk_update_data = {"org_type": OrganizationTypeChoices.CULTURE, "town_relation": TownRelationChoices.OTHER}
    bulk_update_invalid_data = {"company_id": "47097117"}
    # GraphQL resolves the related objects through their own (permission-restricted) types
    user_permissions = ("tenancy.view_tenant", "tenancy.view_contact", "dcim.view_region")

    @classmethod
    def setUpTestData(cls):
        part = Region(name="Centrum", slug="centrum")
        part.save()
        contact = Contact.objects.create(name="Jana Nováková")
        tenants = [Tenant.objects.create(name=f"Organizace {i}", slug=f"organizace-{i}") for i in range(1, 7)]
        for tenant, ico, org_type in zip(
            tenants[:3],
            ("47097116", "70902216", "60985305"),
            (OrganizationTypeChoices.SCHOOL, OrganizationTypeChoices.KINDERGARTEN, OrganizationTypeChoices.CULTURE),
            strict=True,
        ):
            OrganizationProfile.objects.create(
                tenant=tenant, org_type=org_type, company_id=ico, town_part=part, contact=contact
            )
        cls.create_data = [
            {"tenant": tenants[3].pk, "org_type": OrganizationTypeChoices.SCHOOL, "company_id": "47223472",
             "town_part": part.pk, "contact": contact.pk},
            {"tenant": tenants[4].pk, "org_type": OrganizationTypeChoices.POLICE,
             "town_relation": TownRelationChoices.FOUNDED},
            {"tenant": tenants[5].pk, "org_type": OrganizationTypeChoices.SOCIAL, "company_id": "47223499"},
        ]

    def test_invalid_ico_is_rejected_with_the_validator_message(self):
        self.add_permissions("netbox_metronet.add_organizationprofile")
        tenant = Tenant.objects.create(name="Organizace 9", slug="organizace-9")
        response = self.client.post(
            self._get_list_url(), {"tenant": tenant.pk, "org_type": "school", "company_id": "47223480"},
            format="json", **self.header,
        )
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(
            [str(m) for m in response.data["company_id"]], ["IČO 47223480 fails its checksum (last digit should be 1)"]
        )

    def test_filter_by_org_type_and_q(self):
        self.add_permissions("netbox_metronet.view_organizationprofile")
        response = self.client.get(f"{self._get_list_url()}?org_type=kindergarten", **self.header)
        self.assertEqual([r["tenant"]["name"] for r in response.data["results"]], ["Organizace 2"])
        response = self.client.get(f"{self._get_list_url()}?q=60985305", **self.header)
        self.assertEqual([r["tenant"]["name"] for r in response.data["results"]], ["Organizace 3"])


class ConnectionAPITestCase(APIViewTestCases.APIViewTestCase):
    model = Connection
    view_namespace = VIEW_NAMESPACE
    graphql_base_name = "metronet_connection"
    brief_fields = ["description", "display", "id", "site", "status", "tenant", "url"]
    bulk_update_data = {"status": ConnectionStatusChoices.DESIGN, "bandwidth_mbps": 10000}
    # Connected without a connected date: Connection.clean() refuses it
    bulk_update_invalid_data = {"status": ConnectionStatusChoices.CONNECTED}
    # Related objects are resolved (REST) and shown (GraphQL) among those the user may view
    user_permissions = (
        "tenancy.view_tenant", "dcim.view_site", "dcim.view_interface", "netbox_metronet.view_fiberstrand",
    )

    @classmethod
    def setUpTestData(cls):
        tenants = [Tenant.objects.create(name=f"Organizace {i}", slug=f"organizace-{i}") for i in range(1, 5)]
        sites = [
            Site.objects.create(name=f"Budova {i}", slug=f"budova-{i}", tenant=tenant)
            for i, tenant in enumerate(tenants, start=1)
        ]
        device = create_test_device("sw-budova-4", site=sites[3])
        interfaces = [Interface.objects.create(device=device, name=f"Gi0/{i}", type="1000base-t") for i in range(1, 4)]
        connections = [
            Connection.objects.create(
                tenant=tenants[0], site=sites[0], status=ConnectionStatusChoices.DESIGN,
                planned_date=datetime.date(2024, 6, 30), bandwidth_mbps=1000,
            ),
            Connection.objects.create(
                tenant=tenants[1], site=sites[1], status=ConnectionStatusChoices.CONSTRUCTION,
                planned_date=datetime.date(2025, 6, 30), construction_start=datetime.date(2025, 3, 1),
                bandwidth_mbps=100,
            ),
            Connection.objects.create(
                tenant=tenants[2], site=sites[2], status=ConnectionStatusChoices.PLANNED,
                planned_date=datetime.date(2026, 6, 30),
            ),
        ]
        connections[0].access_interfaces.set([interfaces[0]])
        pop = Site.objects.create(name="POP", slug="pop")
        cls.cable = FiberCable.objects.create(name="K-07", strand_count=12, a_site=pop, b_site=sites[3])
        cls.tenants, cls.sites = tenants, sites
        cls.create_data = [
            {"tenant": tenants[3].pk, "site": sites[3].pk, "status": ConnectionStatusChoices.CONNECTED,
             "construction_start": "2024-04-01", "connected_date": "2024-06-14", "bandwidth_mbps": 1000,
             "access_interfaces": [interfaces[1].pk, interfaces[2].pk],
             "strand": cls.cable.strands.get(number=1).pk},
            {"tenant": tenants[3].pk, "site": sites[3].pk, "planned_date": "2027-01-31"},
            {"tenant": tenants[0].pk, "site": sites[0].pk, "status": ConnectionStatusChoices.DESIGN,
             "bandwidth_mbps": 10000},
        ]

    def test_model_validation_reaches_the_api(self):
        self.add_permissions("netbox_metronet.add_connection")
        response = self.client.post(
            self._get_list_url(),
            {"tenant": self.tenants[3].pk, "site": self.sites[0].pk},
            format="json", **self.header,
        )
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(
            [str(m) for m in response.data["site"]], ["Site Budova 1 belongs to Organizace 1, not to Organizace 4."]
        )

    def test_strand_by_cable_and_number(self):
        self.add_permissions("netbox_metronet.add_connection")
        cable = self.cable
        response = self.client.post(
            self._get_list_url(),
            {
                "tenant": self.tenants[3].pk, "site": self.sites[3].pk,
                "strand": {"cable": {"name": "K-07"}, "number": 5},
            },
            format="json", **self.header,
        )
        self.assertHttpStatus(response, status.HTTP_201_CREATED)
        self.assertEqual(Connection.objects.get(pk=response.data["id"]).strand, cable.strands.get(number=5))
        self.assertEqual(response.data["strand"]["number"], 5)

    def test_strand_attributes_are_looked_up_among_viewable_strands(self):
        self.add_permissions("netbox_metronet.add_connection")
        self.remove_permissions("netbox_metronet.view_fiberstrand")
        response = self.client.post(
            self._get_list_url(),
            {
                "tenant": self.tenants[3].pk, "site": self.sites[3].pk,
                "strand": {"cable": {"name": "K-07"}, "number": 5},
            },
            format="json", **self.header,
        )
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertIn("strand", response.data)

    def test_filter_by_date_range(self):
        self.add_permissions("netbox_metronet.view_connection")
        response = self.client.get(
            f"{self._get_list_url()}?planned_date__gte=2025-01-01&planned_date__lte=2025-12-31", **self.header
        )
        self.assertEqual([r["tenant"]["name"] for r in response.data["results"]], ["Organizace 2"])


class CoverageTargetAPITestCase(APIViewTestCases.APIViewTestCase):
    model = CoverageTarget
    view_namespace = VIEW_NAMESPACE
    graphql_base_name = "metronet_coverage_target"
    brief_fields = ["description", "display", "id", "name", "url"]
    bulk_update_data = {"min_bandwidth_mbps": 2000, "org_types": [OrganizationTypeChoices.SCHOOL]}
    bulk_update_invalid_data = {"share_percent": 150}

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
            due_date=datetime.date(2026, 12, 31), org_types=[OrganizationTypeChoices.UTILITY],
            town_relations=[TownRelationChoices.FOUNDED],
        )
        cls.create_data = [
            {"name": "Target 4", "share_percent": Decimal("50.00"), "min_bandwidth_mbps": 100,
             "due_date": "2025-12-31", "org_types": ["school", "kindergarten"], "town_relations": ["established"]},
            {"name": "Target 5", "share_percent": Decimal("75.50"), "min_bandwidth_mbps": 1000,
             "due_date": "2026-12-31"},
            {"name": "Target 6", "share_percent": Decimal("100.00"), "min_bandwidth_mbps": 10000,
             "due_date": "2030-12-31", "town_relations": ["founded", "other"]},
        ]

    def test_unknown_org_type_is_rejected(self):
        self.add_permissions("netbox_metronet.add_coveragetarget")
        data = {**self.create_data[0], "org_types": ["school", "zoo"]}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertIn("org_types", response.data)

    def test_filter_by_contained_org_type(self):
        self.add_permissions("netbox_metronet.view_coveragetarget")
        response = self.client.get(f"{self._get_list_url()}?org_type=utility", **self.header)
        self.assertEqual([r["name"] for r in response.data["results"]], ["Town companies"])


class MetroNetAPIRootTestCase(APITestCase):
    def test_root_lists_the_rollout_endpoints(self):
        response = self.client.get(reverse(f"{VIEW_NAMESPACE}-api:api-root"), **self.header)
        self.assertHttpStatus(response, status.HTTP_200_OK)
        for endpoint in ("organizations", "connections", "coverage-targets"):
            self.assertIn(endpoint, response.data)
