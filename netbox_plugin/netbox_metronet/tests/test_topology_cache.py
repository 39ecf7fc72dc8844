"""The topology cache (``topology_cache``): a second request is served from it, every kind of change through
NetBox invalidates it, permissions and the setting are respected.

The plant is ``build_plant`` of ``test_topology_loader`` (drawn in its docstring); the cut that shows a
change is B3, the branch to S2 (MŠ Beta)::

    Core ── R4 (K4) ── C3 ── B3 (D3) ── S2 MŠ Beta [sw-s2]      cut B3: MŠ Beta offline

Each test warms the cache with one request, changes the inventory one way, and checks that the next request
sees the change (the answer of the cut changes accordingly).
"""

import datetime
from unittest import mock

from dcim.models import Cable, Device, Interface, Site
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from users.models import ObjectPermission
from utilities.testing import TestCase, create_test_device

from netbox_metronet import planned_vs_built, topology_cache
from netbox_metronet.api import views_topology
from netbox_metronet.api.views_lldp import apply_report
from netbox_metronet.models import FiberCable, FiberCableSegment, RouteSegment, Splice
from netbox_metronet.tests.test_topology_loader import LOADER_QUERIES, VIEW_PERMISSIONS, build_plant
from netbox_metronet.views.topology import PVB_SECTIONS

IMPACT_URL = reverse("plugins:netbox_metronet:topology_impact")
API_URL = reverse("plugins-api:netbox_metronet-api:topology-impact")
PVB_URL = reverse("plugins:netbox_metronet:planned_vs_built")
PVB_CSV_URL = reverse("plugins:netbox_metronet:planned_vs_built_export")
SPOF_URL = reverse("plugins:netbox_metronet:topology_spof")
SPOF_CSV_URL = reverse("plugins:netbox_metronet:topology_spof_export")
SPOF_API_URL = reverse("plugins-api:netbox_metronet-api:topology-spof")
PVB_API_URL = reverse("plugins-api:netbox_metronet-api:topology-planned-vs-built")
NEIGHBOR_MARK = '"netbox_metronet_lldpneighbor"."remote_system"'  # planned vs built's neighbor query
VERSION_MARK = "txid_current_if_assigned"
LOADER_MARK = '"geometry_length_m" AS "geometry_length_m" FROM "netbox_metronet_routesegment"'  # its 5th query


def cache_config(seconds):
    return {"netbox_metronet": {**settings.PLUGINS_CONFIG["netbox_metronet"], "topology_cache_seconds": seconds}}


class TopologyCacheTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()

    def setUp(self):
        super().setUp()
        self.add_permissions(*VIEW_PERMISSIONS)
        topology_cache.clear()

    # helpers

    def cut(self, **elements):
        """The impact page's data for cutting ``elements`` (None with the errors when it cannot answer)."""
        response = self.client.get(IMPACT_URL, elements)
        self.assertHttpStatus(response, 200)
        return response.context["data"], response.context["errors"]

    def offline(self, **elements):
        data, errors = self.cut(**elements)
        self.assertEqual(errors, [])
        return [o["name"] for o in data["offline_organizations"]]

    def assert_loaded(self, ctx, times=1):
        """``ctx`` ran the version query and ``times`` loads (the loader's route segment query)."""
        sql = [q["sql"] for q in ctx.captured_queries]
        self.assertEqual(sum(VERSION_MARK in s for s in sql), 1, sql)
        loads = sum(LOADER_MARK in s for s in sql)
        self.assertEqual(loads, times, sql)

    # served from the cache

    def test_second_request_is_served_from_cache(self):
        before = topology_cache.stats()
        params = {"route_segment": self.plant["B3"].pk}
        with override_settings(PLUGINS_CONFIG=cache_config(0)), CaptureQueriesContext(connection) as uncached:
            self.client.get(IMPACT_URL, params)
        self.assertFalse(any(VERSION_MARK in q["sql"] for q in uncached.captured_queries))
        with CaptureQueriesContext(connection) as cold:
            first = self.client.get(IMPACT_URL, params).context["data"]
        self.assert_loaded(cold)
        self.assertEqual(len(cold.captured_queries), len(uncached.captured_queries) + 1)  # + the version query
        # warm: the version query and the request's own queries (session, user, permissions, contacts)
        with self.assertNumQueries(len(uncached.captured_queries) - LOADER_QUERIES + 1), \
                CaptureQueriesContext(connection) as warm:
            second = self.client.get(IMPACT_URL, params).context["data"]
        self.assert_loaded(warm, times=0)
        self.assertEqual(second, first)
        self.assertEqual([o["name"] for o in second["offline_organizations"]], ["MŠ Beta"])
        stats = topology_cache.stats()
        self.assertEqual((stats["misses"] - before["misses"], stats["hits"] - before["hits"], stats["entries"]),
                         (1, 1, 1))

    def test_rest_and_pages_share_the_entry(self):
        self.offline(route_segment=self.plant["B3"].pk)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.post(API_URL, [{"route_segment": self.plant["B3"].pk}],
                                        content_type="application/json")
        self.assertHttpStatus(response, 200)
        self.assertEqual([o["name"] for o in response.json()["offline_organizations"]], ["MŠ Beta"])
        self.assert_loaded(ctx, times=0)
        with CaptureQueriesContext(connection) as ctx:  # planned vs built reads the same loaded parts
            self.add_permissions("netbox_metronet.view_lldpneighbor")
            self.assertHttpStatus(self.client.get(PVB_URL), 200)
        self.assert_loaded(ctx, times=0)

    # changes invalidate

    def test_editing_a_device_changes_the_answer(self):
        sw = self.plant["sw_s2"]
        data, _errors = self.cut(device=sw.pk)
        self.assertEqual([d["name"] for d in data["devices_down"]], ["sw-s2"])
        sw.name = "sw-s2-renamed"
        sw.save()
        data, _errors = self.cut(device=sw.pk)
        self.assertEqual([d["name"] for d in data["devices_down"]], ["sw-s2-renamed"])

    def test_adding_and_deleting_a_device(self):
        _data, errors = self.cut(device=999_999)
        self.assertTrue(errors)
        device = create_test_device("sw-new", site=self.plant["s2"])
        Interface.objects.create(device=device, name="Te1", type="10gbase-x-sfpp")
        data, errors = self.cut(device=device.pk)
        self.assertEqual(errors, [])
        self.assertEqual([d["name"] for d in data["devices_down"]], ["sw-new"])
        pk = device.pk
        device.delete()
        _data, errors = self.cut(device=pk)
        self.assertIn(str(pk), " ".join(errors))  # unknown again

    def test_deleting_a_cable_changes_the_answer(self):
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), ["MŠ Beta"])
        # the patch cord at S2 between sw-s2 and its panel: without it S2 has no light path, the cut takes
        # nobody offline any more (MŠ Beta is disconnected already)
        patch = Cable.objects.get(terminations___device=self.plant["sw_s2"])
        patch.delete()
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), [])

    def test_deleting_a_strand_splice_changes_the_answer(self):
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), ["MŠ Beta"])
        Splice.objects.get(closure=self.plant["c3"], strand_a__cable=self.plant["d3"]).delete()
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), [])

    def test_adding_a_route_segment_without_signals(self):
        """bulk_create sends no post_save: the inventory version (count, max id) alone invalidates."""
        _data, errors = self.cut(route_segment=999_999)
        self.assertTrue(errors)
        clears = topology_cache.stats()["clears"]
        geometry = {"type": "LineString", "coordinates": [[13.70, 50.50], [13.71, 50.51]]}
        (segment,) = RouteSegment.objects.bulk_create([RouteSegment(name="B3b", kind="duct", geometry=geometry)])
        FiberCableSegment.objects.bulk_create([FiberCableSegment(cable=self.plant["d3"], segment=segment,
                                                                 position=2)])
        self.assertEqual(topology_cache.stats()["clears"], clears)  # no signal was sent
        self.assertEqual(self.offline(route_segment=segment.pk), ["MŠ Beta"])

    def test_update_with_last_updated_invalidates_without_signals(self):
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), ["MŠ Beta"])
        # D3 planned: loaded as plant, carries no light (no signal: a queryset update)
        FiberCable.objects.filter(pk=self.plant["d3"].pk).update(status="planned", last_updated=timezone.now())
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), [])

    def test_update_without_last_updated_is_caught_by_the_signal_or_the_max_age(self):
        """The documented bypass: ``.update()`` without ``last_updated`` changes no version; only the max age
        (or a save in this process) ends the stale entry."""
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), ["MŠ Beta"])
        FiberCable.objects.filter(pk=self.plant["d3"].pk).update(status="planned")
        self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), ["MŠ Beta"])  # stale: served from cache
        later = topology_cache._now() + topology_cache.DEFAULT_CACHE_SECONDS + 1
        with mock.patch.object(topology_cache, "_now", return_value=later):
            self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), [])  # expired: reloaded

    def test_bulk_import_invalidates(self):
        self.add_permissions("dcim.add_device", "dcim.change_device")
        sw = self.plant["sw_s2"]
        data, _errors = self.cut(device=sw.pk)
        self.assertEqual([d["name"] for d in data["devices_down"]], ["sw-s2"])
        with mock.patch.object(topology_cache, "clear") as clear:  # the version alone must do it
            response = self.client.post(reverse("dcim:device_bulk_import"),
                                        {"data": f"id,name\n{sw.pk},sw-s2-imported", "format": "csv",
                                         "csv_delimiter": ","})
        self.assertHttpStatus(response, 302)
        self.assertTrue(clear.called)  # the save sent its signal (which would have cleared the cache)
        data, _errors = self.cut(device=sw.pk)
        self.assertEqual([d["name"] for d in data["devices_down"]], ["sw-s2-imported"])

    # keys and settings

    def test_users_with_other_permissions_get_their_own_network(self):
        self.assertEqual(self.offline(site=self.plant["s2"].pk), ["MŠ Beta"])
        # the same user, now restricted to the sites other than S2: the cached network is not theirs
        ObjectPermission.objects.filter(object_types__app_label="dcim", object_types__model="site").delete()
        perm = ObjectPermission.objects.create(name="sites but S2", actions=["view"],
                                               constraints={"name__in": ["Core", "S1"]})
        perm.object_types.add(perm.object_types.model.objects.get(app_label="dcim", model="site"))
        perm.users.add(self.user)
        _data, errors = self.cut(site=self.plant["s2"].pk)
        self.assertIn(str(self.plant["s2"].pk), " ".join(errors))  # unknown for them
        self.assertEqual(Site.objects.restrict(self.user, "view").count(), 2)

    @override_settings(PLUGINS_CONFIG=cache_config(0))
    def test_setting_zero_disables(self):
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.offline(route_segment=self.plant["B3"].pk), ["MŠ Beta"])
            sql = [q["sql"] for q in ctx.captured_queries]
            self.assertFalse(any(VERSION_MARK in s for s in sql))
            self.assertEqual(sum(LOADER_MARK in s for s in sql), 1)
        self.assertEqual(topology_cache.stats()["entries"], 0)

    def test_version_is_one_query_and_changes(self):
        with self.assertNumQueries(1):
            before = topology_cache.inventory_version()
        self.assertEqual(len(before), len(topology_cache.VERSION_MODELS) + 2)  # + the LLDP neighbors, transaction
        Device.objects.filter(pk=self.plant["sw_s1"].pk).update(last_updated=timezone.now())
        self.assertNotEqual(topology_cache.inventory_version(), before)

    # memoized analyses

    def spof_counted(self):
        """Patch the SPOF analysis to count its runs."""
        return mock.patch.object(views_topology, "single_points_of_failure",
                                 wraps=views_topology.single_points_of_failure)

    def test_spof_is_computed_once_per_entry(self):
        with self.spof_counted() as analysis:
            page = self.client.get(SPOF_URL)
            self.assertHttpStatus(page, 200)
            with CaptureQueriesContext(connection) as ctx:
                api = self.client.get(SPOF_API_URL)
                csv_rows = self.client.get(SPOF_CSV_URL).content.decode().splitlines()
                again = self.client.get(SPOF_URL)
            self.assertEqual(analysis.call_count, 1)  # the API, the CSV and the page again: memoized
        self.assertHttpStatus(api, 200)
        self.assertEqual(api.json(), page.context["data"])
        self.assertEqual(again.context["data"], page.context["data"])
        self.assertIn("MŠ Beta", [o["name"] for o in api.json()["organizations"]])
        self.assertEqual(len(csv_rows) - 1, sum(max(1, len(o["spofs"])) for o in api.json()["organizations"]))
        sql = [q["sql"] for q in ctx.captured_queries]
        self.assertEqual(sum(VERSION_MARK in q for q in sql), 3)
        self.assertEqual(sum(LOADER_MARK in q for q in sql), 0)

    def test_an_edit_invalidates_the_memoized_spof(self):
        with self.spof_counted() as analysis:
            self.assertEqual(self.client.get(SPOF_API_URL).status_code, 200)
            tenant = self.plant["ms"]
            tenant.name = "MŠ Beta renamed"
            tenant.save()
            names = [o["name"] for o in self.client.get(SPOF_API_URL).json()["organizations"]]
            self.assertIn("MŠ Beta renamed", names)
            self.assertEqual(analysis.call_count, 2)
            # without a signal: the inventory version alone (D3 planned: MŠ Beta loses its only path)
            before = {o["name"]: o["level"] for o in self.client.get(SPOF_API_URL).json()["organizations"]}
            self.assertEqual(analysis.call_count, 2)  # unchanged: memoized
            with mock.patch.object(topology_cache, "clear"):
                FiberCable.objects.filter(pk=self.plant["d3"].pk).update(status="planned",
                                                                         last_updated=timezone.now())
            after = {o["name"]: o["level"] for o in self.client.get(SPOF_API_URL).json()["organizations"]}
            self.assertEqual(analysis.call_count, 3)
        self.assertNotEqual(before["MŠ Beta renamed"], "disconnected")
        self.assertEqual(after["MŠ Beta renamed"], "disconnected")

    def test_spof_memo_follows_the_permissions(self):
        with self.spof_counted() as analysis:
            before = self.client.get(SPOF_API_URL).json()
            self.assertIn(self.plant["s2"].pk, [s["site"]["id"] for s in before["sites"]])
            # the same user, now restricted to the sites other than S2: the memoized report is not theirs
            ObjectPermission.objects.filter(object_types__app_label="dcim", object_types__model="site").delete()
            perm = ObjectPermission.objects.create(name="sites but S2", actions=["view"],
                                                   constraints={"name__in": ["Core", "S1"]})
            perm.object_types.add(perm.object_types.model.objects.get(app_label="dcim", model="site"))
            perm.users.add(self.user)
            after = self.client.get(SPOF_API_URL).json()
            self.assertNotIn(self.plant["s2"].pk, [s["site"]["id"] for s in after["sites"]])
            self.assertEqual(analysis.call_count, 2)

    def report(self, device, interface, remote_system, remote_port, observed_at):
        """A collector's report of one neighbor on ``device`` ``interface``."""
        iface = device.interfaces.get(name=interface)
        return apply_report(device, observed_at, [{
            "local_interface": interface, "remote_system": remote_system, "remote_port": remote_port,
            "remote_port_description": "", "remote_chassis_id": "",
        }], {interface: iface.pk})

    def pvb_counted(self):
        return mock.patch.object(topology_cache, "compare", wraps=planned_vs_built.compare)

    def test_planned_vs_built_is_memoized_and_an_lldp_report_invalidates_it(self):
        self.add_permissions("netbox_metronet.view_lldpneighbor")
        with self.pvb_counted() as comparison:
            first = self.client.get(PVB_URL).context["summary"]
            self.assertEqual((first["confirmed"], first["missing"]), (0, 4))  # no neighbors yet
            with CaptureQueriesContext(connection) as ctx:
                api = self.client.get(PVB_API_URL).json()
            self.assertEqual(comparison.call_count, 1)
            self.assertEqual(api["summary"], first)
            sql = [q["sql"] for q in ctx.captured_queries]
            self.assertFalse(any(NEIGHBOR_MARK in q for q in sql), sql)  # neither the neighbors nor the plant read
            self.assertEqual(sum(LOADER_MARK in q for q in sql), 0)
            # a report 30 h old: stale (a new row)
            now = timezone.now()
            self.report(self.plant["sw_s1"], "Te1", "sw-core", "Te1", now - datetime.timedelta(hours=30))
            summary = self.client.get(PVB_URL).context["summary"]
            self.assertEqual((summary["confirmed"], summary["stale"]), (0, 1))
            self.assertEqual(comparison.call_count, 2)
            # the same neighbor reported again now: an update of the row (bulk_update), fresh and confirming L2
            self.report(self.plant["sw_s1"], "Te1", "sw-core", "Te1", now)
            summary = self.client.get(PVB_URL).context["summary"]
            self.assertEqual((summary["confirmed"], summary["stale"]), (1, 0))
            self.assertEqual(comparison.call_count, 3)
            # another maximum age: its own memo; the first one is kept
            self.assertEqual(self.client.get(PVB_API_URL, {"max_age_hours": 100}).json()["max_age_hours"], 100.0)
            self.client.get(PVB_URL)
            self.assertEqual(comparison.call_count, 4)
            # deleting the neighbor (count changes)
            planned_vs_built.LldpNeighbor.objects.all().delete()
            self.assertEqual(self.client.get(PVB_URL).context["summary"]["confirmed"], 0)
            self.assertEqual(comparison.call_count, 5)

    def test_planned_vs_built_memo_ends_when_a_neighbor_turns_stale(self):
        self.add_permissions("netbox_metronet.view_lldpneighbor")
        now = timezone.now()
        self.report(self.plant["sw_s1"], "Te1", "sw-core", "Te1", now - datetime.timedelta(hours=23))
        with self.pvb_counted() as comparison:
            self.assertEqual(self.client.get(PVB_URL).context["summary"]["confirmed"], 1)
            later = now + datetime.timedelta(minutes=30)  # still fresh (23.5 h): memoized, answered at `later`
            with mock.patch.object(topology_cache, "_clock", return_value=later):
                data = self.client.get(PVB_API_URL).json()
            self.assertEqual((data["summary"]["confirmed"], data["now"]), (1, later.isoformat()))
            self.assertEqual(comparison.call_count, 1)
            later = now + datetime.timedelta(hours=1, minutes=1)  # 24 h 1 min: stale now
            with mock.patch.object(topology_cache, "_clock", return_value=later):
                summary = self.client.get(PVB_URL).context["summary"]
            self.assertEqual((summary["confirmed"], summary["stale"]), (0, 1))
            self.assertEqual(comparison.call_count, 2)

    def test_at_most_max_entries(self):
        for core in (["Core"], ["S1"], ["S2"]):
            config = cache_config(300)
            config["netbox_metronet"]["core_sites"] = core
            with override_settings(PLUGINS_CONFIG=config):
                self.cut(route_segment=self.plant["B3"].pk)
        self.assertEqual(topology_cache.stats()["entries"], topology_cache.MAX_ENTRIES)


class TopologyPaginationTestCase(TestCase):
    """The SPOF page's organizations and the planned-vs-built lists are paginated; the CSV exports are complete.
    Three copies of the plant: 9 organizations, 12 planned links (NetBox's paginator keeps up to 5 orphans on
    the last page, so one per page gives 4 and 7 pages)."""

    @classmethod
    def setUpTestData(cls):
        for prefix in ("", "X ", "Y "):
            build_plant(prefix=prefix)

    def setUp(self):
        super().setUp()
        self.add_permissions(*VIEW_PERMISSIONS, "netbox_metronet.view_lldpneighbor")

    def test_spof_page_is_paginated_and_csv_complete(self):
        seen = []
        for number in (1, 2, 3, 4):
            response = self.client.get(SPOF_URL, {"per_page": 1, "page": number, "sort": "name"})
            self.assertHttpStatus(response, 200)
            self.assertEqual((response.context["page"].number, response.context["paginator"].num_pages), (number, 4))
            seen += [o["name"] for o in response.context["organizations"]]
        self.assertEqual(len(seen), 9)
        self.assertEqual(seen, sorted(seen, key=str.lower))
        self.assertEqual(len(self.client.get(SPOF_URL, {"per_page": 1}).context["organizations"]), 1)
        self.assertEqual(sum(response.context["levels"].values()), 9)  # the summary counts every organization
        rows = self.client.get(SPOF_CSV_URL, {"per_page": 1}).content.decode().splitlines()
        self.assertEqual(len({row.split(",")[0] for row in rows[1:]}), 9)

    def test_planned_vs_built_is_paginated_and_csv_complete(self):
        full = self.client.get(PVB_URL).context
        total = sum(full["summary"].values())
        self.assertEqual(total, 12)  # no neighbors: every planned link is missing
        shown = []
        for number in range(1, 8):
            response = self.client.get(PVB_URL, {"per_page": 1, "page": number})
            self.assertHttpStatus(response, 200)
            self.assertEqual((response.context["page"].number, response.context["paginator"].num_pages), (number, 7))
            shown += [item["planned"]["id"] for status in PVB_SECTIONS for item in response.context["shown"][status]]
        self.assertEqual(sorted(shown), sorted(item["planned"]["id"] for item in full["result"].missing))
        page1 = self.client.get(PVB_URL, {"per_page": 1})
        self.assertEqual(sum(len(v) for v in page1.context["shown"].values()), 1)
        self.assertContains(page1, 'id="pvb-confirmed"')  # an empty section shows (with "None.") on page 1
        self.assertContains(page1, '<span class="badge text-bg-warning">12</span>')  # the section's total
        rows = self.client.get(PVB_CSV_URL, {"per_page": 1}).content.decode().splitlines()
        self.assertEqual(len(rows), 1 + 12)
