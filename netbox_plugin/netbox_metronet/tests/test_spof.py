"""The Single points of failure page, its CSV export and the tenant page link, on ``build_plant`` of
``test_topology_loader`` (drawn in its docstring): S1 (ZŠ Alfa) is dual-homed — redundant —, S2 (MŠ Beta)
hangs off closure C3 by branch B3 — its branch, C3, K4/R4 towards the core are single points of failure."""

import csv
import io

from django.urls import reverse
from utilities.testing import TestCase

from netbox_metronet.tests.test_topology_loader import VIEW_PERMISSIONS, build_plant

SPOF_URL = reverse("plugins:netbox_metronet:topology_spof")
SPOF_CSV_URL = reverse("plugins:netbox_metronet:topology_spof_export")
API_URL = reverse("plugins-api:netbox_metronet-api:topology-spof")


class SpofPageTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()

    def setUp(self):
        super().setUp()
        self.add_permissions(*VIEW_PERMISSIONS)

    def test_page(self):
        response = self.client.get(SPOF_URL)
        self.assertHttpStatus(response, 200)
        orgs = {o["name"]: o for o in response.context["organizations"]}
        self.assertEqual(orgs["ZŠ Alfa"]["level"], "redundant")
        self.assertEqual(orgs["ZŠ Alfa"]["spofs"], [])
        self.assertEqual(orgs["MŠ Beta"]["level"], "single")
        names = {(e["type"], e["name"]) for e in orgs["MŠ Beta"]["spofs"]}
        self.assertTrue({("route_segment", "B3"), ("closure", "C3"), ("fiber_cable", "K4")} <= names, names)
        self.assertEqual(response.context["levels"]["redundant"], 2)  # ZŠ Alfa and the town office (the core)
        self.assertEqual(response.context["levels"]["single"], 1)
        self.assertContains(response, reverse("plugins:netbox_metronet:routesegment", args=[self.plant["B3"].pk]))
        self.assertContains(response, 'id="spof-critical"')

    def test_same_numbers_as_the_rest_endpoint(self):
        page = self.client.get(SPOF_URL).context["data"]
        api = self.client.get(API_URL).json()
        self.assertEqual(page, api)

    def test_sorting(self):
        def order(sort):
            return [o["name"] for o in self.client.get(SPOF_URL, {"sort": sort}).context["organizations"]]

        self.assertEqual(order("score")[0], "MŠ Beta")  # worst first
        self.assertEqual(order("-score")[-1], "MŠ Beta")
        self.assertEqual(order("name"), sorted(order("name"), key=str.lower))
        self.assertEqual(order("-spofs")[0], "MŠ Beta")
        self.assertEqual(order("level")[0], "MŠ Beta")

    def test_one_organization(self):
        response = self.client.get(SPOF_URL, {"organization": self.plant["ms"].pk})
        self.assertEqual([o["name"] for o in response.context["organizations"]], ["MŠ Beta"])

    def test_csv_export(self):
        response = self.client.get(SPOF_CSV_URL)
        self.assertHttpStatus(response, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[0][:5], ["organization", "organization_type", "level", "score", "spof_count"])
        beta = [r for r in rows[1:] if r[0] == "MŠ Beta"]
        self.assertEqual(len(beta), int(beta[0][4]))  # one row per single point of failure
        self.assertIn(["route_segment", str(self.plant["B3"].pk), "B3"], [r[5:] for r in beta])
        alfa = [r for r in rows[1:] if r[0] == "ZŠ Alfa"]
        self.assertEqual(alfa, [["ZŠ Alfa", "school", "redundant", "1.0", "0", "", "", ""]])

    def test_tenant_page_links_to_its_section(self):
        self.add_permissions("tenancy.view_tenant")
        response = self.client.get(self.plant["ms"].get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertContains(response, f"{SPOF_URL}?organization={self.plant['ms'].pk}")

    def test_permission_denied(self):
        self.user.object_permissions.all().delete()
        self.add_permissions(*[p for p in VIEW_PERMISSIONS if p != "netbox_metronet.view_routesegment"])
        self.assertHttpStatus(self.client.get(SPOF_URL), 403)
        self.assertHttpStatus(self.client.get(SPOF_CSV_URL), 403)
        self.add_permissions("tenancy.view_tenant")
        self.assertNotContains(self.client.get(self.plant["ms"].get_absolute_url()), SPOF_URL)
