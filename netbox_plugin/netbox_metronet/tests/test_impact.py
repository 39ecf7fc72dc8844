"""The Cut impact page (MetroNet → Topology → Cut impact), its CSV export, the "What breaks if this is cut?"
links on detail pages, and the contacts of the organizations that lose service.

The plant is ``build_plant`` of ``test_topology_loader`` (drawn in its docstring): a ring of closures C1–C3
around the core; S1 (ZŠ Alfa) dual-homed over R1 and over R3/R4, S2 (MŠ Beta) on a branch B3 from C3.
"""

import csv
import io

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from tenancy.models import Contact, ContactAssignment, ContactRole, Tenant
from utilities.testing import TestCase

from netbox_metronet.tests.test_topology_loader import VIEW_PERMISSIONS, build_plant

IMPACT_URL = reverse("plugins:netbox_metronet:topology_impact")
IMPACT_CSV_URL = reverse("plugins:netbox_metronet:topology_impact_export")
API_URL = reverse("plugins-api:netbox_metronet-api:topology-impact")


class ImpactPageTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()
        # A tenancy contact assignment of MŠ Beta besides its profile contact.
        cls.director = Contact.objects.create(name="Petr Ředitel", email="reditel@ms.example", phone="+420 999")
        role = ContactRole.objects.create(name="Director", slug="director")
        ContactAssignment.objects.create(object_type=ContentType.objects.get_for_model(Tenant),
                                         object_id=cls.plant["ms"].pk, contact=cls.director, role=role)

    def setUp(self):
        super().setUp()
        self.add_permissions(*VIEW_PERMISSIONS, "tenancy.view_contactassignment")

    def test_form_only(self):
        response = self.client.get(IMPACT_URL)
        self.assertHttpStatus(response, 200)
        self.assertContains(response, 'id="impact-form"')
        self.assertNotContains(response, 'id="impact-offline"')

    def test_branch_cut_lists_offline_organization_with_contacts(self):
        response = self.client.get(IMPACT_URL, {"route_segment": self.plant["B3"].pk})
        self.assertHttpStatus(response, 200)
        offline = response.context["data"]["offline_organizations"]
        self.assertEqual([o["name"] for o in offline], ["MŠ Beta"])
        self.assertEqual(offline[0]["contact"]["name"], "Jana Nováková")  # the profile's contact
        self.assertEqual([(c["name"], c["role"]) for c in offline[0]["contacts"]], [("Petr Ředitel", "Director")])
        self.assertContains(response, "reditel@ms.example")
        self.assertContains(response, "jana@ms.example")
        self.assertEqual(response.context["data"]["degraded_organizations"], [])

    def test_several_elements_at_once(self):
        p = self.plant
        response = self.client.get(IMPACT_URL, {"route_segment": [p["R1"].pk, p["R3"].pk]})
        self.assertEqual([o["name"] for o in response.context["data"]["offline_organizations"]], ["ZŠ Alfa"])
        response = self.client.get(IMPACT_URL, {"closure": p["c3"].pk})
        data = response.context["data"]
        self.assertEqual([o["name"] for o in data["offline_organizations"]], ["MŠ Beta"])
        self.assertEqual([o["name"] for o in data["degraded_organizations"]], ["ZŠ Alfa"])
        states = {s["site"]["name"]: s["state"] for s in data["services_over_cut"]}
        self.assertEqual(states, {"S2": "offline"})  # S1's usual path runs over L1 (C1), not over C3
        data = self.client.get(IMPACT_URL, {"route_segment": p["R1"].pk}).context["data"]
        self.assertEqual([(s["site"]["name"], s["state"]) for s in data["services_over_cut"]], [("S1", "rerouted")])
        self.assertContains(self.client.get(IMPACT_URL, {"route_segment": p["R1"].pk}), "rerouted")
        response = self.client.get(IMPACT_URL, {"device": p["sw_s1"].pk, "site": p["s2"].pk})
        self.assertEqual(len(response.context["data"]["offline_organizations"]), 2)
        response = self.client.get(IMPACT_URL, {"fiber_cable": p["k1"].pk})
        self.assertEqual([o["name"] for o in response.context["data"]["degraded_organizations"]], ["ZŠ Alfa"])

    def test_same_numbers_as_the_rest_endpoint(self):
        p = self.plant
        cases = [
            ({"route_segment": [p["R4"].pk]}, [{"route_segment": p["R4"].pk}]),
            ({"closure": [p["c1"].pk], "fiber_cable": [p["d3"].pk]}, [{"closure": p["c1"].pk},
                                                                      {"fiber_cable": p["d3"].pk}]),
        ]
        for params, body in cases:
            with self.subTest(params=params):
                page = self.client.get(IMPACT_URL, params).context["data"]
                api = self.client.post(API_URL, body, content_type="application/json").json()
                self.assertEqual(page, api)

    def test_unknown_or_bad_element(self):
        response = self.client.get(IMPACT_URL, {"route_segment": 999999})
        self.assertHttpStatus(response, 200)
        self.assertContains(response, 'id="impact-errors"')
        self.assertIsNone(response.context["data"])
        self.assertHttpStatus(self.client.get(IMPACT_URL, {"route_segment": "x"}), 404)
        self.assertHttpStatus(self.client.get(IMPACT_CSV_URL), 404)

    def test_csv_export(self):
        p = self.plant
        response = self.client.get(IMPACT_CSV_URL, {"closure": p["c3"].pk})
        self.assertHttpStatus(response, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[0], ["state", "organization", "organization_type", "site", "connection", "contacts"])
        by_state = {r[0]: r for r in rows[1:]}
        self.assertEqual(by_state["offline"][1:5], ["MŠ Beta", "kindergarten", "S2", str(p["conn_s2"].pk)])
        self.assertIn("Jana Nováková jana@ms.example +420 123", by_state["offline"][5])
        self.assertIn("Petr Ředitel", by_state["offline"][5])
        self.assertEqual(by_state["degraded"][1], "ZŠ Alfa")

    def test_contact_assignments_need_their_permission(self):
        self.user.object_permissions.all().delete()
        self.add_permissions(*VIEW_PERMISSIONS)
        data = self.client.get(IMPACT_URL, {"route_segment": self.plant["B3"].pk}).context["data"]
        self.assertEqual(data["offline_organizations"][0]["contacts"], [])

    def test_permission_denied(self):
        self.user.object_permissions.all().delete()
        self.add_permissions(*[p for p in VIEW_PERMISSIONS if p != "netbox_metronet.view_connection"])
        self.assertHttpStatus(self.client.get(IMPACT_URL), 403)
        self.assertHttpStatus(self.client.get(IMPACT_CSV_URL, {"route_segment": self.plant["B3"].pk}), 403)

    def test_what_breaks_links_on_detail_pages(self):
        p = self.plant
        self.add_permissions("netbox_metronet.view_fibercable", "dcim.view_device", "dcim.view_site")
        for obj, key in ((p["R1"], "route_segment"), (p["c1"], "closure"), (p["k1"], "fiber_cable"),
                         (p["sw_s1"], "device"), (p["s1"], "site")):
            with self.subTest(obj=obj):
                response = self.client.get(obj.get_absolute_url())
                self.assertHttpStatus(response, 200)
                self.assertContains(response, f"{IMPACT_URL}?{key}={obj.pk}")
        self.user.object_permissions.all().delete()
        self.add_permissions("netbox_metronet.view_routesegment")  # without view_connection: no link
        response = self.client.get(p["R1"].get_absolute_url())
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, IMPACT_URL)
