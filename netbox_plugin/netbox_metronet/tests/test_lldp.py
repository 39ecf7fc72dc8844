"""LLDP neighbors: the collectors' report endpoint (the contract), the read-mostly REST API, views, filters,
GraphQL and search."""

import datetime

from dcim.models import Interface, Site
from django.urls import reverse
from rest_framework.test import APIClient
from users.constants import TOKEN_PREFIX
from users.models import Token
from utilities.testing import APIViewTestCases, TestCase, ViewTestCases, create_test_device

from netbox_metronet.filtersets import LldpNeighborFilterSet
from netbox_metronet.models import LldpNeighbor

REPORT_URL = "/api/plugins/metronet/lldp-neighbors/report/"
REPORT_PERMISSIONS = ("netbox_metronet.add_lldpneighbor", "netbox_metronet.change_lldpneighbor",
                      "netbox_metronet.delete_lldpneighbor", "dcim.view_device")
T0 = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)


def make_switch(name: str, *interfaces: str, site=None):
    device = create_test_device(name, **({"site": site} if site else {}))
    for if_name in interfaces:
        Interface.objects.create(device=device, name=if_name, type="1000base-x-sfp")
    return device


def neighbors_fixture():
    """Two switches with three neighbor rows (used by the view, API and filter tests)."""
    a = make_switch("sw-a", "Gi1/0/1", "Gi1/0/2")
    b = make_switch("sw-b", "Te1/1/1", site=Site.objects.create(name="Site B", slug="site-b"))
    gi1, gi2 = a.interfaces.order_by("name")
    rows = [
        LldpNeighbor(device=a, local_interface=gi1, local_interface_name="Gi1/0/1", remote_system="sw-b",
                     remote_port="Te1/1/1", remote_chassis_id="00:11:22:33:44:55", first_seen=T0, last_seen=T0),
        LldpNeighbor(device=a, local_interface=gi2, local_interface_name="Gi1/0/2", remote_system="phone-7",
                     remote_port="eth0", first_seen=T0, last_seen=T0 + datetime.timedelta(hours=1)),
        LldpNeighbor(device=b, local_interface=b.interfaces.first(), local_interface_name="Te1/1/1",
                     remote_system="sw-a.bilina.local", remote_port="Gi1/0/1", first_seen=T0, last_seen=T0),
    ]
    for row in rows:
        row.save()
    return a, b, rows


class LldpReportTestCase(TestCase):
    """``POST lldp-neighbors/report/``: a full snapshot per device."""

    @classmethod
    def setUpTestData(cls):
        cls.switch = make_switch("sw-zs", "Gi1/0/9", "Gi1/0/10", "Gi1/0/1")
        cls.other = make_switch("sw-other", "Gi1/0/9")

    def client_with(self, *permissions) -> APIClient:
        self.add_permissions(*permissions)
        token = Token.objects.create(user=self.user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")
        return client

    def report(self, client, observed_at, *neighbors, device="sw-zs"):
        body = {"device": device, "observed_at": observed_at, "neighbors": list(neighbors)}
        return client.post(REPORT_URL, body, format="json")

    @staticmethod
    def neighbor(local, system, port, **extra):
        return {"local_interface": local, "remote_system": system, "remote_port": port, **extra}

    def test_snapshot_creates_updates_deletes(self):
        client = self.client_with(*REPORT_PERMISSIONS)
        response = self.report(client, "2026-11-25T12:00:00Z",
                               self.neighbor("Gi1/0/9", "sw-mu-agg", "Gi1/0/3", remote_port_description="ZŠ"),
                               self.neighbor("Gi1/0/10", "sw-mu-core", "Te1/0/8", remote_chassis_id="aa:bb"))
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.json(), {"created": 2, "updated": 0, "deleted": 0})
        row = LldpNeighbor.objects.get(device=self.switch, local_interface_name="Gi1/0/9")
        self.assertEqual(row.local_interface.name, "Gi1/0/9")
        self.assertEqual((row.remote_system, row.remote_port, row.remote_port_description),
                         ("sw-mu-agg", "Gi1/0/3", "ZŠ"))
        self.assertEqual(row.first_seen, T0)
        # An hour later: Gi1/0/9 unchanged (first_seen kept, new description), Gi1/0/10 gone, Gi1/0/1 new.
        response = self.report(client, "2026-11-25T13:00:00+00:00",
                               self.neighbor("Gi1/0/9", "sw-mu-agg", "Gi1/0/3", remote_port_description="ZŠ A"),
                               self.neighbor("Gi1/0/1", "printer", "eth0"))
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.json(), {"created": 1, "updated": 1, "deleted": 1})
        row.refresh_from_db()
        self.assertEqual(row.first_seen, T0)
        self.assertEqual(row.last_seen, T0 + datetime.timedelta(hours=1))
        self.assertEqual(row.remote_port_description, "ZŠ A")
        self.assertEqual(sorted(LldpNeighbor.objects.filter(device=self.switch)
                                .values_list("local_interface_name", flat=True)), ["Gi1/0/1", "Gi1/0/9"])
        # The other device's neighbors are not touched; an empty snapshot deletes all of the device's.
        LldpNeighbor.objects.create(device=self.other, local_interface_name="Gi1/0/9", remote_system="x",
                                    remote_port="y", first_seen=T0, last_seen=T0)
        response = self.report(client, "2026-11-25T14:00:00Z")
        self.assertEqual(response.json(), {"created": 0, "updated": 0, "deleted": 2})
        self.assertEqual(LldpNeighbor.objects.count(), 1)
        # A neighbor moving to another remote port is a new neighbor (the old one is deleted).
        self.report(client, "2026-11-25T15:00:00Z", self.neighbor("Gi1/0/9", "sw-mu-agg", "Gi1/0/3"))
        response = self.report(client, "2026-11-25T16:00:00Z", self.neighbor("Gi1/0/9", "sw-mu-agg", "Gi1/0/4"))
        self.assertEqual(response.json(), {"created": 1, "updated": 0, "deleted": 1})

    def test_errors_name_the_field_and_row(self):
        client = self.client_with(*REPORT_PERMISSIONS)
        response = self.report(client, "2026-11-25T12:00:00Z", self.neighbor("Gi1/0/9", "a", "b"), device="nope")
        self.assertHttpStatus(response, 400)
        self.assertIn("Unknown device 'nope'", response.json()["device"][0])
        response = self.report(client, "2026-11-25T12:00:00Z", self.neighbor("Gi1/0/9", "a", "b"),
                               self.neighbor("Gi9/9/9", "a", "b"), {"local_interface": "Gi1/0/1"},
                               {"remote_system": "a", "remote_port": 7, "colour": "red"})
        self.assertHttpStatus(response, 400)
        errors = response.json()["neighbors"]
        self.assertEqual(sorted(errors), ["1", "2", "3"])
        self.assertIn("Unknown interface 'Gi9/9/9' on device 'sw-zs'", errors["1"]["local_interface"][0])
        self.assertIn("non_field_errors", errors["2"])  # neither system, port nor chassis ID
        self.assertEqual(sorted(errors["3"]), ["colour", "local_interface", "remote_port"])
        self.assertEqual(LldpNeighbor.objects.count(), 0)  # nothing half-written
        for observed_at in ("yesterday", "2026-11-25T12:00:00", None):
            with self.subTest(observed_at=observed_at):
                response = self.report(client, observed_at)
                self.assertHttpStatus(response, 400)
                self.assertIn("observed_at", response.json())
        duplicate = self.report(client, "2026-11-25T12:00:00Z", self.neighbor("Gi1/0/9", "a", "b"),
                                self.neighbor("Gi1/0/9", "a", "b"))
        self.assertIn("1", duplicate.json()["neighbors"])
        self.assertHttpStatus(client.post(REPORT_URL, {"device": "sw-zs", "observed_at": "2026-11-25T12:00:00Z",
                                                       "neighbors": "x"}, format="json"), 400)
        # A neighbor that announces no system name (only its port and chassis ID) is stored.
        response = self.report(client, "2026-11-25T11:30:00Z",
                               self.neighbor("Gi1/0/1", "", "aa:bb:cc:00:00:01", remote_chassis_id="aa:bb:cc:00:00:00"))
        self.assertHttpStatus(response, 200)
        self.assertEqual(LldpNeighbor.objects.get().remote_system, "")
        # An older snapshot than the one stored is refused.
        self.assertHttpStatus(self.report(client, "2026-11-25T12:00:00Z", self.neighbor("Gi1/0/9", "a", "b")), 200)
        response = self.report(client, "2026-11-25T11:00:00Z")
        self.assertHttpStatus(response, 400)
        self.assertIn("observed_at", response.json())

    def test_permissions(self):
        body = ("2026-11-25T12:00:00Z", self.neighbor("Gi1/0/9", "a", "b"))
        for missing in REPORT_PERMISSIONS[:3]:
            with self.subTest(missing=missing):
                self.user.user_permissions.clear()
                self.user.object_permissions.all().delete()
                client = self.client_with(*[p for p in REPORT_PERMISSIONS if p != missing])
                self.assertHttpStatus(self.report(client, *body), 403)
        self.assertEqual(LldpNeighbor.objects.count(), 0)
        self.assertIn(APIClient().post(REPORT_URL, {}, format="json").status_code, (401, 403))
        # May write neighbors but not view the device: the device is unknown.
        self.user.object_permissions.all().delete()
        client = self.client_with(*REPORT_PERMISSIONS[:3])
        self.assertHttpStatus(self.report(client, *body), 400)


class LldpNeighborAPITestCase(APIViewTestCases.GetObjectViewTestCase, APIViewTestCases.ListObjectsViewTestCase,
                              APIViewTestCases.DeleteObjectViewTestCase, APIViewTestCases.GraphQLTestCase):
    model = LldpNeighbor
    view_namespace = "plugins-api:netbox_metronet"
    brief_fields = ["device", "display", "id", "local_interface_name", "remote_port", "remote_system", "url"]
    graphql_base_name = "metronet_lldp_neighbor"
    # Related objects are shown (GraphQL) among those the user may view
    user_permissions = ("dcim.view_device", "dcim.view_interface")

    @classmethod
    def setUpTestData(cls):
        neighbors_fixture()

    def test_create_is_not_allowed(self):
        self.add_permissions("netbox_metronet.add_lldpneighbor")
        url = reverse("plugins-api:netbox_metronet-api:lldpneighbor-list")
        response = self.client.post(url, {"device": 1}, format="json", **self.header)
        self.assertHttpStatus(response, 405)


class LldpNeighborViewTestCase(ViewTestCases.GetObjectViewTestCase, ViewTestCases.GetObjectChangelogViewTestCase,
                               ViewTestCases.DeleteObjectViewTestCase, ViewTestCases.ListObjectsViewTestCase,
                               ViewTestCases.BulkDeleteObjectsViewTestCase):
    model = LldpNeighbor

    def _get_base_url(self):
        return f"plugins:netbox_metronet:{self.model._meta.model_name}_{{}}"

    @classmethod
    def setUpTestData(cls):
        neighbors_fixture()


class LldpNeighborFilterSetTestCase(TestCase):
    queryset = LldpNeighbor.objects.all()
    filterset = LldpNeighborFilterSet

    @classmethod
    def setUpTestData(cls):
        cls.a, cls.b, cls.rows = neighbors_fixture()

    def count(self, **params) -> int:
        return self.filterset(params, self.queryset).qs.count()

    def test_filters(self):
        self.assertEqual(self.count(device_id=[self.a.pk]), 2)
        self.assertEqual(self.count(device=["sw-b"]), 1)
        self.assertEqual(self.count(site_id=[self.a.site_id]), 2)
        self.assertEqual(self.count(local_interface_id=[self.rows[0].local_interface_id]), 1)
        self.assertEqual(self.count(remote_system=["phone-7"]), 1)
        self.assertEqual(self.count(remote_system__ic=["sw-"]), 2)
        self.assertEqual(self.count(last_seen__gte=["2026-11-25T12:30:00Z"]), 1)
        self.assertEqual(self.count(q="00:11:22"), 1)
        self.assertEqual(self.count(q="eth0"), 1)


class LldpNeighborSearchTestCase(TestCase):
    def test_report_updates_the_search_index(self):
        make_switch("sw-search", "Gi1/0/1")
        self.add_permissions(*REPORT_PERMISSIONS, "netbox_metronet.view_lldpneighbor")
        token = Token.objects.create(user=self.user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")
        response = api.post(REPORT_URL, {
            "device": "sw-search", "observed_at": "2026-11-25T12:00:00Z",
            "neighbors": [{"local_interface": "Gi1/0/1", "remote_system": "contractor-switch-42",
                           "remote_port": "Gi0/1"}]}, format="json")
        self.assertHttpStatus(response, 200)
        page = self.client.get(reverse("search") + "?q=contractor-switch-42")
        self.assertHttpStatus(page, 200)
        self.assertContains(page, LldpNeighbor.objects.get().get_absolute_url())
