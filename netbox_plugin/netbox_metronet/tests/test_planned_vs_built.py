"""Planned vs built: the planned links of ``build_plant`` (``test_topology_loader``) against stored LLDP neighbors.

Planned links of the plant (NetBox cable at the core, three lit fiber paths)::

    L1  sw-core Te4 ──cable── rtr-core Te1
    L2  sw-core Te1 ══ K1#1 ─C1─ D1#1 ══ sw-s1 Te1
    L3  sw-core Te2 ══ K4#1 ─C3─ K3#1 ─C2─ D2#1 ══ sw-s1 Te2
    L4  sw-core Te3 ══ K4#2 ─C3─ D3#1 ══ sw-s2 Te1

Neighbors stored by ``seen()`` (now = 2026-11-25 12:00 UTC, max age 24 h)::

    sw-s1   Te1 → "sw-core.bilina.local" "TenGigabitEthernet1"   L2 confirmed (domain and long name ignored)
    sw-s2   Te1 → "sw-core" "Te4"                                L4 mismatched (planned: sw-core Te3)
    sw-core Te9 → "sw-s1" "Te2"                                  L3 mismatched (seen on sw-core Te9, not Te2)
    rtr-core Te1 → "sw-core" "Te4", last seen 3 days ago         stale; L1 missing
    sw-s2   Gi1 → "contractor-sw" "Gi0/24"                       unexpected
"""

import csv
import datetime
import io

from dcim.models import Interface
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from users.constants import TOKEN_PREFIX
from users.models import Token
from utilities.testing import TestCase

from netbox_metronet.models import LldpNeighbor
from netbox_metronet.planned_vs_built import compare, port_key, system_key
from netbox_metronet.tests.test_topology_loader import VIEW_PERMISSIONS, build_plant

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
PAGE_URL = reverse("plugins:netbox_metronet:planned_vs_built")
CSV_URL = reverse("plugins:netbox_metronet:planned_vs_built_export")
API_URL = reverse("plugins-api:netbox_metronet-api:topology-planned-vs-built")
PERMISSIONS = (*VIEW_PERMISSIONS, "netbox_metronet.view_lldpneighbor")


def seen(plant: dict, prefix: str = "", now: datetime.datetime = NOW) -> None:
    """Store the neighbors of the module docstring (device names with ``prefix``)."""
    sw_s2 = plant["sw_s2"]
    Interface.objects.get_or_create(device=sw_s2, name="Gi1", defaults={"type": "1000base-t"})
    rtr = plant["sw_core"].site.devices.get(name=f"{prefix}rtr-core")

    def row(device, local, system, port, age_hours=1.0):
        LldpNeighbor.objects.create(
            device=device, local_interface=device.interfaces.filter(name=local).first(), local_interface_name=local,
            remote_system=system, remote_port=port, first_seen=now - datetime.timedelta(days=30),
            last_seen=now - datetime.timedelta(hours=age_hours))

    row(plant["sw_s1"], "Te1", f"{prefix}sw-core.bilina.local", "TenGigabitEthernet1")
    row(sw_s2, "Te1", f"{prefix}sw-core", "Te4")
    row(plant["sw_core"], "Te9", f"{prefix}sw-s1", "Te2")
    row(rtr, "Te1", f"{prefix}sw-core", "Te4", age_hours=72)
    row(sw_s2, "Gi1", "contractor-sw", "Gi0/24")


def link_names(items) -> list[tuple[str, str, str, str]]:
    return sorted((i["planned"]["a"]["device"]["name"], i["planned"]["a"]["interface"]["name"],
                   i["planned"]["b"]["device"]["name"], i["planned"]["b"]["interface"]["name"]) for i in items)


class NamesTestCase(TestCase):
    def test_keys(self):
        self.assertEqual(system_key("SW-Core.bilina.local"), "sw-core")
        self.assertEqual(port_key("TenGigabitEthernet1/0/5"), port_key("Te1/0/5"))
        self.assertEqual(port_key("GigabitEthernet 0/1"), "gi0/1")
        self.assertNotEqual(port_key("Te1/0/5"), port_key("Te1/0/6"))


class PlannedVsBuiltTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()

    def test_classification(self):
        seen(self.plant)
        result = compare(now=NOW, max_age_hours=24)
        self.assertEqual(result.summary(), {"confirmed": 1, "mismatched": 2, "missing": 1, "unexpected": 1,
                                            "stale": 1})
        self.assertEqual(link_names(result.confirmed), [("sw-core", "Te1", "sw-s1", "Te1")])
        self.assertEqual(link_names(result.mismatched), [("sw-core", "Te2", "sw-s1", "Te2"),
                                                         ("sw-core", "Te3", "sw-s2", "Te1")])
        wrong = {i["planned"]["b"]["device"]["name"]: i["seen"] for i in result.mismatched}
        self.assertEqual([(n["device"]["name"], n["local_interface"]["name"]) for n in wrong["sw-s1"]],
                         [("sw-core", "Te9")])
        self.assertEqual([(n["remote_system"], n["remote_port"]) for n in wrong["sw-s2"]], [("sw-core", "Te4")])
        self.assertEqual(link_names(result.missing), [("sw-core", "Te4", "rtr-core", "Te1")])
        self.assertEqual(result.missing[0]["planned"]["via"], "cable")
        self.assertFalse(result.missing[0]["no_data"])
        self.assertEqual([(n["device"]["name"], n["remote_system"]) for n in result.unexpected],
                         [("sw-s2", "contractor-sw")])
        self.assertEqual([n["device"]["name"] for n in result.stale], ["rtr-core"])
        # With a longer maximum age the old neighbor counts: it confirms L1.
        longer = compare(now=NOW, max_age_hours=100)
        self.assertEqual(link_names(longer.confirmed), [("sw-core", "Te1", "sw-s1", "Te1"),
                                                        ("sw-core", "Te4", "rtr-core", "Te1")])
        self.assertEqual(longer.summary()["stale"], 0)

    def test_nothing_seen(self):
        result = compare(now=NOW)
        self.assertEqual(result.summary(), {"confirmed": 0, "mismatched": 0, "missing": 4, "unexpected": 0,
                                            "stale": 0})
        self.assertTrue(all(i["no_data"] for i in result.missing))
        self.assertEqual({i["planned"]["via"] for i in result.missing}, {"cable", "fiber"})

    def test_constant_query_count(self):
        seen(self.plant)
        with CaptureQueriesContext(connection) as small:
            compare(now=NOW)
        seen(build_plant(prefix="X "), prefix="X ")  # twice the inventory and the neighbors
        with CaptureQueriesContext(connection) as large:
            result = compare(now=NOW)
        self.assertEqual(len(large.captured_queries), len(small.captured_queries))
        self.assertEqual(len(small.captured_queries), 15)  # the loader's 14 and the neighbors
        self.assertEqual(result.summary()["confirmed"], 2)


class PlannedVsBuiltViewsTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()
        seen(cls.plant, now=datetime.datetime.now(datetime.UTC))

    def test_page_and_csv(self):
        self.add_permissions(*PERMISSIONS)
        response = self.client.get(PAGE_URL)
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.context["summary"]["mismatched"], 2)
        self.assertContains(response, 'id="pvb-unexpected"')
        self.assertContains(response, "contractor-sw")
        response = self.client.get(CSV_URL, {"max_age_hours": "100"})
        self.assertHttpStatus(response, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[0][:3], ["status", "via", "link"])
        statuses = sorted(r[0] for r in rows[1:])
        self.assertEqual(statuses, ["confirmed", "confirmed", "mismatched", "mismatched", "unexpected"])
        self.assertHttpStatus(self.client.get(PAGE_URL, {"max_age_hours": "-1"}), 404)

    def test_rest_endpoint(self):
        self.add_permissions(*PERMISSIONS)
        token = Token.objects.create(user=self.user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")
        data = client.get(API_URL).json()
        self.assertEqual(data["summary"], {"confirmed": 1, "mismatched": 2, "missing": 1, "unexpected": 1,
                                           "stale": 1})
        self.assertEqual(data["max_age_hours"], 24.0)
        self.assertEqual(client.get(API_URL, {"max_age_hours": 100}).json()["summary"]["confirmed"], 2)
        self.assertHttpStatus(client.get(API_URL, {"max_age_hours": "x"}), 400)
        page = self.client.get(PAGE_URL).context["summary"]
        self.assertEqual(page, data["summary"])

    def test_permission_denied(self):
        self.add_permissions(*[p for p in PERMISSIONS if p != "netbox_metronet.view_lldpneighbor"])
        self.assertHttpStatus(self.client.get(PAGE_URL), 403)
        self.assertHttpStatus(self.client.get(CSV_URL), 403)
        token = Token.objects.create(user=self.user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")
        self.assertHttpStatus(client.get(API_URL), 403)

    def test_restricted_neighbors(self):
        # May view the plant but no LLDP neighbor of sw-s1: L2 is no longer confirmed.
        from core.models import ObjectType
        from users.models import ObjectPermission

        self.add_permissions(*[p for p in PERMISSIONS if p != "netbox_metronet.view_lldpneighbor"])
        permission = ObjectPermission.objects.create(name="not sw-s1", actions=["view"],
                                                     constraints={"device__name__in": ["sw-s2", "sw-core",
                                                                                       "rtr-core"]})
        permission.object_types.add(ObjectType.objects.get_for_model(LldpNeighbor))
        permission.users.add(self.user)
        summary = self.client.get(PAGE_URL).context["summary"]
        self.assertEqual(summary["confirmed"], 0)
        self.assertEqual(summary["missing"], 2)
