"""The NetBox loader of the topology library, its query count, and the impact / SPOF REST endpoints.

The hand-made plant (``build_plant``): a ring of three closures around the core, two organization sites::

                         R1 (K1)                R2 (K2, dark)
          ┌── Core ──────────────── C1 ───────────────────── C2 ──┐
          │  [sw-core]              │ B1 (D1)                 │ B2 (D2)
          │  [rtr-core] (patch)     └──── S1 ZŠ [sw-s1] ──────┘
          │                               dual-homed:  L1 = D1#1 ─C1─ K1#1          (B1, R1)
          │                                            L2 = D2#1 ─C2─ K3#1 ─C3─ K4#1 (B2, R3, R4)
          └───────────── R4 (K4) ──── C3 ──── R3 (K3) ──── C2
                                       │ B3 (D3)
                                       └── S2 MŠ [sw-s2]    L3 = D3#1 ─C3─ K4#2       (B3, R4)

    At the core, K1 and K4 are terminated on the rear ports of panel pp-core (each mapped to one front port,
    patched to sw-core); at S1 and S2 the strands are terminated on the panels' front ports directly.
    The town office (org type "office") owns Core: without PLUGINS_CONFIG["core_sites"] it is the core.

    cut R1: L1 down, S1 stays up over L2 but loses redundancy; nobody offline.
    cut B3: L3 down, S2 (MŠ) offline.
"""

from decimal import Decimal
from pathlib import Path

from dcim.models import Cable, FrontPort, Interface, PortMapping, RearPort, Site
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from tenancy.models import Contact, Tenant
from users.constants import TOKEN_PREFIX
from users.models import Token
from utilities.testing import TestCase, create_test_device

import netbox_metronet
from metronet_topology import NetworkError, Topology, cut_impact, shortest_path, single_points_of_failure
from netbox_metronet.loader import load_network, read_network_file
from netbox_metronet.models import (
    Connection,
    FiberCable,
    OrganizationProfile,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)
from netbox_metronet.topology_loader import build_network, restricted_querysets

SAMPLE = Path(netbox_metronet.__file__).resolve().parent / "sample_data" / "bilina.yaml"
LOADER_QUERIES = 14

VIEW_PERMISSIONS = (
    "dcim.view_site", "dcim.view_device", "dcim.view_interface", "dcim.view_cable",
    "netbox_metronet.view_organizationprofile", "netbox_metronet.view_spliceclosure",
    "netbox_metronet.view_routesegment", "netbox_metronet.view_fibercable", "netbox_metronet.view_splice",
    "netbox_metronet.view_strandtermination", "netbox_metronet.view_connection",
)


def build_plant(prefix: str = "") -> dict:
    """The plant of the module docstring; names start with ``prefix`` (twice with two prefixes: a doubled
    inventory). Returns the objects the tests refer to, by name."""
    p = prefix
    o = {}

    def org(name, slug, org_type, contact=None):
        tenant = Tenant.objects.create(name=p + name, slug=(p + slug).lower().replace(" ", "-"))
        OrganizationProfile.objects.create(tenant=tenant, org_type=org_type, contact=contact)
        return tenant

    o["office"] = org("Town office", "office", "office")
    o["zs"] = org("ZŠ Alfa", "zs", "school")
    o["contact"] = Contact.objects.create(name=p + "Jana Nováková", email="jana@ms.example", phone="+420 123")
    o["ms"] = org("MŠ Beta", "ms", "kindergarten", contact=o["contact"])

    def site(name, tenant):
        return Site.objects.create(name=p + name, slug=(p + name).lower().replace(" ", "-"), tenant=tenant)

    core, s1, s2 = site("Core", o["office"]), site("S1", o["zs"]), site("S2", o["ms"])
    o.update(core=core, s1=s1, s2=s2)
    c1, c2, c3 = (SpliceClosure.objects.create(name=p + n, latitude=Decimal("50.5"), longitude=Decimal("13.7"))
                  for n in ("C1", "C2", "C3"))
    o.update(c1=c1, c2=c2, c3=c3)
    seg = {n: RouteSegment.objects.create(name=p + n, kind="duct", length_m=Decimal("100"), geometry={
        "type": "LineString", "coordinates": [[13.70, 50.50], [13.71, 50.51]]}) for n in
        ("R1", "R2", "R3", "R4", "B1", "B2", "B3")}
    o.update(seg)

    def cable(name, a, b, segments, status="active"):
        ends = {}
        for end, place in (("a", a), ("b", b)):
            ends[f"{end}_site" if isinstance(place, Site) else f"{end}_closure"] = place
        k = FiberCable.objects.create(name=p + name, strand_count=12, status=status, **ends)
        k.set_segments([seg[s] for s in segments])
        return k

    k1 = cable("K1", core, c1, ["R1"])
    cable("K2", c1, c2, ["R2"])  # the ring between C1 and C2: dark
    k3, k4 = cable("K3", c2, c3, ["R3"]), cable("K4", c3, core, ["R4"])
    d1, d2, d3 = cable("D1", c1, s1, ["B1"]), cable("D2", s1, c2, ["B2"]), cable("D3", c3, s2, ["B3"])
    cable("K9", c1, c3, [], status="planned")  # a planned chord: loaded as plant, carries nothing
    o.update(k1=k1, k4=k4, d3=d3)

    def strand(k, n):
        return k.strands.get(number=n)

    Splice.objects.create(closure=c1, strand_a=strand(d1, 1), strand_b=strand(k1, 1))
    Splice.objects.create(closure=c2, strand_a=strand(k3, 1), strand_b=strand(d2, 1))
    Splice.objects.create(closure=c3, strand_a=strand(k3, 1), strand_b=strand(k4, 1))
    Splice.objects.create(closure=c3, strand_a=strand(d3, 1), strand_b=strand(k4, 2))

    def switch(name, where, count):
        device = create_test_device(p + name, site=where)
        return device, [Interface.objects.create(device=device, name=f"Te{i}", type="10gbase-x-sfpp")
                        for i in range(1, count + 1)]

    sw_core, core_if = switch("sw-core", core, 4)
    rtr, rtr_if = switch("rtr-core", core, 1)
    sw_s1, s1_if = switch("sw-s1", s1, 2)
    sw_s2, s2_if = switch("sw-s2", s2, 1)
    o.update(sw_core=sw_core, sw_s1=sw_s1, sw_s2=sw_s2)
    Cable(a_terminations=[core_if[3]], b_terminations=[rtr_if[0]]).save()  # patch link at the core

    pp_core = create_test_device(p + "pp-core", site=core)
    for i, (k, n) in enumerate(((k1, 1), (k4, 1), (k4, 2)), start=1):
        rear = RearPort.objects.create(device=pp_core, name=f"R{i}", type="lc", positions=1)
        front = FrontPort.objects.create(device=pp_core, name=f"F{i}", type="lc")
        PortMapping.objects.create(device=pp_core, front_port=front, rear_port=rear)
        StrandTermination.objects.create(strand=strand(k, n), rear_port=rear, cable_end="A" if k == k1 else "B")
        Cable(a_terminations=[core_if[i - 1]], b_terminations=[front]).save()

    def panel_port(name, where, k, n, end, interface):
        panel = create_test_device(p + name, site=where)
        front = FrontPort.objects.create(device=panel, name="F1", type="lc")
        StrandTermination.objects.create(strand=strand(k, n), front_port=front, cable_end=end)
        Cable(a_terminations=[interface], b_terminations=[front]).save()

    panel_port("pp-s1a", s1, d1, 1, "B", s1_if[0])
    panel_port("pp-s1b", s1, d2, 1, "A", s1_if[1])
    panel_port("pp-s2", s2, d3, 1, "B", s2_if[0])

    conn_s1 = Connection.objects.create(tenant=o["zs"], site=s1, status="connected",
                                        connected_date="2025-01-01", strand=strand(d1, 1))
    conn_s1.access_interfaces.set([s1_if[0], core_if[0]])  # both ends of the uplink, as the sample has them
    conn_s2 = Connection.objects.create(tenant=o["ms"], site=s2, status="connected", connected_date="2025-01-01")
    conn_s2.access_interfaces.set([s2_if[0]])
    o.update(conn_s1=conn_s1, conn_s2=conn_s2)
    return o


class TopologyLoaderTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()

    def test_counts(self):
        loaded = build_network()
        net = loaded.network
        self.assertEqual(len(net.sites), 3)
        self.assertEqual(len(net.organizations), 3)
        self.assertEqual(len(net.closures), 3)
        self.assertEqual(len(net.segments), 7)
        self.assertEqual(len(net.cables), 8)
        self.assertEqual(len(net.splices), 4)
        self.assertEqual(sorted(d.name for d in net.devices), ["rtr-core", "sw-core", "sw-s1", "sw-s2"])  # no panels
        self.assertEqual(len(net.links), 4)
        self.assertEqual(len([link for link in net.links if link.fibers]), 3)
        self.assertEqual(len(net.connections), 2)
        self.assertEqual(net.core_sites, (str(self.plant["core"].pk),))  # the town office's site
        self.assertEqual(loaded.broken_paths, 0)
        self.assertEqual(sum(loaded.skipped.values()), 0, loaded.skipped)
        # the fiber path of S1's second uplink, from sw-s1 to sw-core, as cable names and strands
        names = {c.id: c.name for c in net.cables}
        s1 = str(self.plant["sw_s1"].pk)
        paths = sorted([(names[h.cable], h.strand) for h in link.fibers] for link in net.links
                       if s1 in (link.a.device, link.b.device))
        self.assertIn([("D2", 1), ("K3", 1), ("K4", 1)], [p if p[0][0] == "D2" else p[::-1] for p in paths])
        self.assertIn([("D1", 1), ("K1", 1)], [p if p[0][0] == "D1" else p[::-1] for p in paths])
        # S1's access: the switch in the building only (the core port of the same uplink is dropped)
        conn = net.connection_by_id[str(self.plant["conn_s1"].pk)]
        self.assertEqual([e.device for e in conn.access], [s1])
        self.assertEqual(loaded.contacts[str(self.plant["ms"].pk)]["email"], "jana@ms.example")

    def test_core_sites_by_name(self):
        self.assertEqual(build_network(core_sites=["S2"]).network.core_sites, (str(self.plant["s2"].pk),))
        config = {"netbox_metronet": {**settings.PLUGINS_CONFIG["netbox_metronet"], "core_sites": ["s1"]}}
        with override_settings(PLUGINS_CONFIG=config):  # by slug, from PLUGINS_CONFIG
            self.assertEqual(build_network().network.core_sites, (str(self.plant["s1"].pk),))
        config["netbox_metronet"]["core_sites"] = ["Nowhere"]
        with override_settings(PLUGINS_CONFIG=config), self.assertRaises(NetworkError):
            build_network()

    def test_constant_query_count(self):
        with CaptureQueriesContext(connection) as small:
            net = build_network().network
        self.assertEqual(len(net.devices), 4)
        build_plant(prefix="X ")  # twice the inventory
        with self.assertNumQueries(LOADER_QUERIES):
            net = build_network().network
        self.assertEqual(len(net.devices), 8)
        self.assertEqual(len(net.links), 8)
        self.assertEqual(len(net.core_sites), 2)  # both town offices
        self.assertEqual(len(small.captured_queries), LOADER_QUERIES)

    def test_analysis(self):
        topo = Topology(build_network().network)
        p = self.plant
        zs, ms = str(p["zs"].pk), str(p["ms"].pk)
        impact = cut_impact(topo, [f"segment:{p['R1'].pk}"])
        self.assertEqual(impact.offline, ())
        self.assertEqual(impact.degraded_organizations, (zs,))
        impact = cut_impact(topo, [f"segment:{p['B3'].pk}"])
        self.assertEqual(impact.offline_organizations, (ms,))
        # both uplinks of S1 at once: offline
        impact = cut_impact(topo, [f"segment:{p['R1'].pk}", f"segment:{p['R3'].pk}"])
        self.assertEqual(impact.offline_organizations, (zs,))
        levels = {s.service.organization: s.level for s in single_points_of_failure(topo).services}
        self.assertEqual(levels[zs], "redundant")
        self.assertEqual(levels[ms], "single")

    def test_restricted_querysets_hide_objects(self):
        self.add_permissions(*[p for p in VIEW_PERMISSIONS if p != "netbox_metronet.view_splice"])
        net = build_network(**restricted_querysets(self.user)).network
        self.assertEqual(len(net.splices), 0)
        self.assertEqual([link for link in net.links if link.fibers], [])  # no splice seen: no lit path
        self.assertEqual(len(net.links), 1)


class TopologyAPITestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()

    def client_with(self, *permissions) -> APIClient:
        self.add_permissions(*permissions)
        token = Token.objects.create(user=self.user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")
        return client

    def impact(self, client, elements):
        return client.post(reverse("plugins-api:netbox_metronet-api:topology-impact"), elements, format="json")

    def test_ring_segment_cut(self):
        client = self.client_with(*VIEW_PERMISSIONS)
        response = self.impact(client, [{"route_segment": self.plant["R1"].pk}])
        self.assertHttpStatus(response, 200)
        data = response.json()
        self.assertEqual(data["offline_organizations"], [])
        self.assertEqual([o["name"] for o in data["degraded_organizations"]], ["ZŠ Alfa"])
        self.assertEqual([s["site"]["name"] for s in data["degraded"]], ["S1"])
        self.assertEqual([c["name"] for c in data["fiber_cables_cut"]], ["K1"])
        self.assertEqual(len(data["links_cut"]), 1)
        self.assertEqual(data["cut"], [{"type": "route_segment", "id": self.plant["R1"].pk, "name": "R1"}])

    def test_branch_segment_cut(self):
        client = self.client_with(*VIEW_PERMISSIONS)
        response = self.impact(client, {"elements": [{"route_segment": self.plant["B3"].pk}]})
        self.assertHttpStatus(response, 200)
        data = response.json()
        self.assertEqual(len(data["offline_organizations"]), 1)
        org = data["offline_organizations"][0]
        self.assertEqual((org["id"], org["name"], org["type"]), (self.plant["ms"].pk, "MŠ Beta", "kindergarten"))
        self.assertEqual(org["contact"]["name"], "Jana Nováková")
        self.assertEqual(org["contact"]["phone"], "+420 123")
        self.assertEqual([s["connection"] for s in data["offline"]], [self.plant["conn_s2"].pk])
        self.assertEqual([s["site"]["name"] for s in data["services_over_cut"]], ["S2"])
        self.assertEqual(data["degraded_organizations"], [])

    def test_other_elements(self):
        client = self.client_with(*VIEW_PERMISSIONS)
        p = self.plant
        data = self.impact(client, [{"closure": p["c3"].pk}]).json()  # S2's branch and S1's second uplink
        self.assertEqual([o["name"] for o in data["offline_organizations"]], ["MŠ Beta"])
        self.assertEqual([o["name"] for o in data["degraded_organizations"]], ["ZŠ Alfa"])
        data = self.impact(client, [{"fiber_cable": p["k4"].pk}]).json()
        self.assertEqual([o["name"] for o in data["offline_organizations"]], ["MŠ Beta"])
        data = self.impact(client, [{"device": p["sw_s1"].pk}, {"site": p["s2"].pk}]).json()
        self.assertEqual([o["name"] for o in data["offline_organizations"]], ["ZŠ Alfa", "MŠ Beta"])  # by id
        data = self.impact(client, [{"device": p["sw_core"].pk}]).json()
        self.assertEqual(len(data["offline_organizations"]), 2)

    def test_bad_requests(self):
        client = self.client_with(*VIEW_PERMISSIONS)
        for body in ([], [{"route_segment": "x"}], [{"pipe": 1}], [{"route_segment": 1, "closure": 2}],
                     [{"route_segment": 999999}]):
            with self.subTest(body=body):
                self.assertHttpStatus(self.impact(client, body), 400)

    def test_spof(self):
        client = self.client_with(*VIEW_PERMISSIONS)
        response = client.get(reverse("plugins-api:netbox_metronet-api:topology-spof"))
        self.assertHttpStatus(response, 200)
        data = response.json()
        by_site = {s["site"]["name"]: s for s in data["sites"]}
        self.assertEqual(by_site["S1"]["level"], "redundant")
        self.assertEqual(by_site["S1"]["score"], 1.0)
        self.assertEqual(by_site["S2"]["level"], "single")
        self.assertLess(by_site["S2"]["score"], 1.0)
        spofs = {(e["type"], e["name"]) for e in by_site["S2"]["spofs"]}
        self.assertTrue({("route_segment", "B3"), ("route_segment", "R4"), ("fiber_cable", "D3"),
                         ("closure", "C3")} <= spofs, spofs)
        orgs = {o["name"]: o for o in data["organizations"]}
        self.assertEqual(orgs["MŠ Beta"]["contact"]["email"], "jana@ms.example")
        self.assertEqual(orgs["ZŠ Alfa"]["level"], "redundant")
        self.assertTrue(data["critical_elements"])

    def test_no_core_is_a_conflict(self):
        client = self.client_with(*VIEW_PERMISSIONS)
        config = {"netbox_metronet": {**settings.PLUGINS_CONFIG["netbox_metronet"], "core_sites": ["Nowhere"]}}
        with override_settings(PLUGINS_CONFIG=config):
            response = client.get(reverse("plugins-api:netbox_metronet-api:topology-spof"))
        self.assertHttpStatus(response, 409)
        self.assertIn("core_sites: name at least one core site", response.json()["errors"])

    def test_permission_denied(self):
        url_spof = reverse("plugins-api:netbox_metronet-api:topology-spof")
        body = [{"route_segment": self.plant["R1"].pk}]
        client = self.client_with()  # a valid token without permission
        self.assertHttpStatus(client.get(url_spof), 403)
        self.assertHttpStatus(self.impact(client, body), 403)
        client = self.client_with(*[p for p in VIEW_PERMISSIONS if p != "netbox_metronet.view_connection"])
        self.assertHttpStatus(client.get(url_spof), 403)
        self.assertHttpStatus(self.impact(client, body), 403)
        anonymous = APIClient().get(url_spof)
        self.assertIn(anonymous.status_code, (401, 403))

    def test_hidden_segment_is_unknown(self):
        # May view only the ring's route segments (R*): a branch segment (B3) is refused like a missing one.
        from core.models import ObjectType
        from users.models import ObjectPermission

        self.add_permissions(*[p for p in VIEW_PERMISSIONS if p != "netbox_metronet.view_routesegment"])
        permission = ObjectPermission.objects.create(name="ring only", actions=["view"],
                                                     constraints={"name__startswith": "R"})
        permission.object_types.add(ObjectType.objects.get_for_model(RouteSegment))
        permission.users.add(self.user)
        client = self.client_with()
        self.assertHttpStatus(self.impact(client, [{"route_segment": self.plant["B3"].pk}]), 400)
        self.assertHttpStatus(self.impact(client, [{"route_segment": self.plant["R1"].pk}]), 200)


def sample_generator():
    """``sample_data/generate_bilina.py`` (a script, not a package module), for its PROTECTED and DIVERSE sites."""
    import importlib.util

    path = SAMPLE.parent / "generate_bilina.py"
    spec = importlib.util.spec_from_file_location("metronet_generate_bilina", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BilinaSampleTopologyTestCase(TestCase):
    """The shipped sample, loaded with ``netbox_metronet.loader``, then read by the topology loader.

    Physically the backbone is a ring (BB-01 … BB-07 through the ring closures): one cut of a backbone
    segment leaves a route from the core to every organization site. Logically most organizations are lit over
    ONE strand path (one uplink, one way round the ring): a backbone cut takes offline exactly the sites whose
    only lit path runs through it. PROTECTED sites also light their protection fiber the other way round the
    ring (same drop cable): a ring cut reroutes them. DIVERSE sites have a second drop from the next ring closure:
    they are redundant, and a ring cut on either of their paths only takes their redundancy::

        core ══ BB-01 ══ SC-01 ══ … ══ SC-k ══ BB-(k+1) ══ SC-(k+1) ══ … ══ BB-07 ══ core
                                         │ working drop        │ second drop (DIVERSE)
                                         └──────── site ───────┘
    """

    @classmethod
    def setUpTestData(cls):
        load_network(read_network_file(SAMPLE))

    def test_sample_network(self):
        loaded = build_network()
        net = loaded.network
        data = read_network_file(SAMPLE)
        generator = sample_generator()
        self.assertEqual(loaded.broken_paths, 0)
        self.assertEqual(sum(loaded.skipped.values()), 0, loaded.skipped)
        self.assertEqual(len(net.sites), len(data["sites"]))
        self.assertEqual(len(net.segments), len(data["route_segments"]))
        self.assertEqual(len(net.cables), len(data["fiber_cables"]))
        self.assertEqual(len(net.closures), len(data["splice_closures"]))
        self.assertEqual(len(net.connections), len(data["connections"]))
        self.assertEqual([net.site_by_id[s].name for s in net.core_sites], ["Městský úřad Bílina"])
        connected = [c for c in data["connections"] if c["status"] == "connected" and c.get("strand")]
        protected = set(generator.PROTECTED) | set(generator.DIVERSE)
        self.assertTrue(protected <= {c["site"] for c in connected})
        # one lit path per connected site, two for the protected ones
        self.assertEqual(len([link for link in net.links if link.fibers]), len(connected) + len(protected))
        self.assertEqual(len([link for link in net.links if not link.fibers]), 2)  # core ↔ aggregation DACs

        topo = Topology(net)
        spof = single_points_of_failure(topo)
        self.assertTrue(all(s.connected for s in spof.services), [s.service for s in spof.services])
        backbone = [s for s in net.segments
                    if any(c.name.startswith("BB-") for c in net.cables_by_segment.get(s.id, ()))]
        backbone_ids = {s.id for s in backbone}
        self.assertGreater(len(backbone), 5)
        core = net.core_sites[0]
        slug_of = {s["name"]: s["slug"] for s in data["sites"]}
        by_slug = {slug_of[net.site_by_id[s.service.site].name]: s for s in spof.services}
        for slug, s in by_slug.items():
            with self.subTest(site=slug):
                ring_spofs = {e.id for e in s.spofs if e.kind.value == "segment"} & backbone_ids
                if slug in generator.DIVERSE:
                    self.assertEqual((s.level, s.score), ("redundant", 1.0))
                elif slug in generator.PROTECTED:
                    self.assertEqual(s.level, "single")
                    self.assertEqual(ring_spofs, set())  # no ring segment cuts it off
                elif s.service.site != core:
                    self.assertEqual(s.level, "single")
                    self.assertTrue(ring_spofs)  # one lit path: its ring segments are single points of failure
        org_sites = sorted({s.service.site for s in spof.services} - {core})
        self.assertGreaterEqual(len(org_sites), 15)
        redundant = {s.service.site for s in spof.services if s.level == "redundant"} - {core}
        takes_someone_offline = degrades_someone = 0
        for segment in backbone:
            with self.subTest(segment=segment.name):
                cut = f"segment:{segment.id}"
                # the ring survives one cut: a route through the plant to every organization site
                for site in org_sites:
                    self.assertIsNotNone(shortest_path(topo, core, site, avoid=[cut]),
                                         f"{net.site_by_id[site].name} cut off by {segment.name}")
                # offline: the sites all of whose lit paths run over the cut segment
                crossing = {c.id for c in net.cables_by_segment[segment.id]}
                paths: dict[str, list[bool]] = {}
                for link in net.links:
                    if not link.fibers:
                        continue
                    for end in (link.a, link.b):
                        site = net.device_by_id[end.device].site
                        if site != core:
                            paths.setdefault(site, []).append(any(h.cable in crossing for h in link.fibers))
                expected_offline = {site for site, over in paths.items() if all(over)}
                expected_degraded = {site for site, over in paths.items() if any(over) and not all(over)} & redundant
                impact = cut_impact(topo, [cut])
                self.assertEqual({s.site for s in impact.offline}, expected_offline)
                self.assertEqual({s.site for s in impact.degraded}, expected_degraded)
                takes_someone_offline += bool(expected_offline)
                degrades_someone += bool(expected_degraded)
        self.assertGreater(takes_someone_offline, 0)
        self.assertGreater(degrades_someone, 0)
