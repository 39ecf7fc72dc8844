"""The map's GeoJSON, the network graph and their layout, the pages and endpoints with their permissions,
and the vendored Leaflet.

The plant is ``test_topology_loader.build_plant`` (drawn in that module's docstring), with coordinates::

    S2 (13.70, 50.52)
     │                    Core: office, design connection, sw-core is a core switch (a POP)
    Core (13.70, 50.50) ── S1 (13.72, 50.50)        S1 (ZŠ), S2 (MŠ): connected

    filter MŠ (S2):  cables ending at S2: D3; lit path L3 = D3#1 ─C3─ K4#2  →  segments B3, R4; closure C3
    filter ZŠ (S1):  D1, D2; L1 = D1─C1─K1, L2 = D2─C2─K3─C3─K4  →  segments B1, B2, R1, R3, R4; C1, C2, C3
"""

import json
import math
import time
from decimal import Decimal
from hashlib import sha256
from pathlib import Path

from dcim.models import Device, DeviceRole, Region, Site
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient
from users.constants import TOKEN_PREFIX
from users.models import Token
from utilities.testing import TestCase

import netbox_metronet
from metronet_topology import load_json
from metronet_topology.synthetic import SyntheticSpec, synthetic_network
from netbox_metronet.live_status import LiveStatus
from netbox_metronet.maps_data import (
    CONNECTION_STATUS_COLORS,
    LIVE_COLORS,
    MapFilter,
    SiteInfo,
    layout_sites,
    map_geojson,
    network_graph,
    network_payload,
)
from netbox_metronet.models import Connection, FiberCable, RouteSegment, SpliceClosure
from netbox_metronet.tests.test_topology_loader import VIEW_PERMISSIONS, build_plant
from netbox_metronet.topology_loader import build_network

PLUGIN = Path(netbox_metronet.__file__).resolve().parent
#: SQL queries of map_geojson / network_graph (the same at every inventory size)
MAP_QUERIES = 7
# The topology cache (topology_cache) adds its version query; a filtered map loads the topology (cold: 1 + 14),
# the network view right after it is served from the cache (the version query instead of the loader's 14).
MAP_FILTERED_QUERIES = 23
NETWORK_QUERIES = 3
GEO_URL = "plugins-api:netbox_metronet-api:maps-geo"
NETWORK_URL = "plugins-api:netbox_metronet-api:maps-network"
NO_LIVE = LiveStatus("not_configured", "not configured")


def place(plant: dict, prefix: str = "") -> None:
    """Coordinates for the plant's sites (the closures have theirs); a core switch at Core; a design
    connection of the office at Core."""
    for name, lon, lat in (("core", "13.70", "50.50"), ("s1", "13.72", "50.50"), ("s2", "13.70", "50.52")):
        site = plant[name]
        site.latitude, site.longitude = Decimal(lat), Decimal(lon)
        site.save()
    role, _ = DeviceRole.objects.get_or_create(slug="core-switch", defaults={"name": "Core switch"})
    Device.objects.filter(pk=plant["sw_core"].pk).update(role=role)
    Connection.objects.create(tenant=plant["office"], site=plant["core"], status="design")


def features(data: dict, layer: str) -> dict[str, dict]:
    return {f["properties"]["name"]: f for f in data["features"] if f["properties"]["layer"] == layer}


class MapDataTestCase(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()
        place(cls.plant)

    def setUp(self):
        super().setUp()
        self.add_permissions(*VIEW_PERMISSIONS, "dcim.view_region", "tenancy.view_tenant")

    def test_geojson_matches_the_inventory(self):
        data = map_geojson(self.user)
        segments, closures, sites = (features(data, x) for x in ("segment", "closure", "site"))
        self.assertEqual(len(segments), RouteSegment.objects.count())
        self.assertEqual(len(closures), SpliceClosure.objects.count())
        self.assertEqual(len(sites), Site.objects.filter(latitude__isnull=False).count())
        self.assertEqual(data["counts"], {"segments": 7, "closures": 3, "sites": 3})
        r1 = segments["R1"]["properties"]
        self.assertEqual(segments["R1"]["geometry"]["type"], "LineString")
        self.assertEqual([c["name"] for c in r1["cables"]], ["K1"])
        k1 = FiberCable.objects.get(name="K1")
        lit = k1.strands.filter(status="active").count()
        self.assertEqual(r1["cables"][0]["lit"], lit)
        self.assertEqual(r1["cables"][0]["url"], k1.get_absolute_url())
        self.assertEqual(r1["url"], self.plant["R1"].get_absolute_url())
        self.assertEqual(features(data, "segment")["R2"]["properties"]["cables"][0]["name"], "K2")
        # sites: colour by the most advanced connection; the core switch makes Core a POP
        self.assertEqual(sites["S1"]["properties"]["connection_status"], "connected")
        self.assertEqual(sites["S1"]["properties"]["color"], CONNECTION_STATUS_COLORS["connected"])
        self.assertEqual(sites["Core"]["properties"]["connection_status"], "design")
        self.assertTrue(sites["Core"]["properties"]["pop"])
        self.assertFalse(sites["S2"]["properties"]["pop"])
        self.assertEqual(sites["S2"]["geometry"]["coordinates"], [13.70, 50.52])
        self.assertEqual(sites["S2"]["properties"]["organization"]["name"], "MŠ Beta")

    def test_filter_by_organization(self):
        data = map_geojson(self.user, MapFilter(tenant=self.plant["ms"].pk))
        self.assertEqual(sorted(features(data, "site")), ["S2"])
        self.assertEqual(sorted(features(data, "segment")), ["B3", "R4"])
        self.assertEqual(sorted(features(data, "closure")), ["C3"])
        data = map_geojson(self.user, MapFilter(tenant=self.plant["zs"].pk))
        self.assertEqual(sorted(features(data, "segment")), ["B1", "B2", "R1", "R3", "R4"])
        self.assertEqual(sorted(features(data, "closure")), ["C1", "C2", "C3"])

    def test_filter_by_town_part(self):
        town = Region.objects.create(name="Town", slug="town")
        part = Region.objects.create(name="North", slug="north", parent=town)
        Site.objects.filter(pk=self.plant["s2"].pk).update(region=part)
        data = map_geojson(self.user, MapFilter(region=town.pk))  # a parent region includes its parts
        self.assertEqual(sorted(features(data, "site")), ["S2"])
        graph = network_graph(self.user, MapFilter(region=part.pk), NO_LIVE)
        self.assertEqual([n["name"] for n in graph["nodes"]], ["sw-s2"])

    def test_constant_query_count(self):
        tenant = self.plant["ms"].pk
        map_geojson(self.user)  # the user's object permissions are cached from here on
        sizes = []
        for step in range(2):
            if step:
                place(build_plant(prefix="X "), prefix="X ")  # twice the inventory
            with self.assertNumQueries(MAP_QUERIES):
                data = map_geojson(self.user)
            with self.assertNumQueries(MAP_FILTERED_QUERIES):
                map_geojson(self.user, MapFilter(tenant=tenant))
            with self.assertNumQueries(NETWORK_QUERIES):
                graph = network_graph(self.user, MapFilter(), NO_LIVE)
            sizes.append((data["counts"]["segments"], len(graph["nodes"]), len(graph["edges"])))
        self.assertEqual(sizes, [(7, 4, 4), (14, 8, 8)])

    def test_network_graph(self):
        graph = network_graph(self.user, MapFilter(), NO_LIVE)
        net = build_network().network
        self.assertEqual(sorted(n["name"] for n in graph["nodes"]), sorted(d.name for d in net.devices))
        self.assertEqual(sorted(e["id"] for e in graph["edges"]), sorted(link.id for link in net.links))
        self.assertEqual(len([e for e in graph["edges"] if e["kind"] == "fiber"]), 3)
        patch = next(e for e in graph["edges"] if e["kind"] == "patch")
        self.assertTrue(patch["url"].startswith("/dcim/cables/"))
        fiber = next(e for e in graph["edges"] if e["kind"] == "fiber" and
                     {c["name"] for c in e["cables"]} == {"D3", "K4"})
        self.assertEqual(len(fiber["interfaces"]), 2)
        self.assertEqual({n["status"] for n in graph["nodes"]}, {"unknown"})
        self.assertEqual(graph["live"]["state"], "not_configured")
        # geographic layout: S1 is east of Core, S2 north
        pos = {n["name"]: (n["x"], n["y"]) for n in graph["nodes"]}
        self.assertGreater(pos["sw-s1"][0], pos["sw-core"][0] + 500)
        self.assertGreater(pos["sw-s2"][1], pos["sw-core"][1] + 500)
        # filters
        names = [n["name"] for n in network_graph(self.user, MapFilter(role="core-switch"), NO_LIVE)["nodes"]]
        self.assertEqual(names, ["sw-core"])
        graph = network_graph(self.user, MapFilter(tenant=self.plant["office"].pk), NO_LIVE)
        self.assertEqual(sorted(n["name"] for n in graph["nodes"]), ["rtr-core", "sw-core"])
        self.assertEqual(len(graph["edges"]), 1)

    def test_live_colours(self):
        net = build_network().network
        live = LiveStatus("ok", "", interfaces={("sw-s2", "Te1"): 2, ("sw-core", "Te4"): 1}, devices={"sw-s1": 1})
        payload = network_payload(net, {}, live)
        status = {n["name"]: n["status"] for n in payload["nodes"]}
        self.assertEqual(status, {"sw-core": "up", "rtr-core": "unknown", "sw-s1": "up", "sw-s2": "down"})
        down = [e for e in payload["edges"] if e["status"] == "down"]
        self.assertEqual(len(down), 1)
        self.assertEqual(down[0]["color"], LIVE_COLORS["down"])
        self.assertEqual(payload["counts"]["by_status"], {"up": 2, "down": 1, "unknown": 1})


class LayoutTestCase(TestCase):

    def test_radial_layout_of_a_5000_device_network(self):
        """No coordinates at all: a radial tree from the core; every device placed inside the square."""
        net = load_json(synthetic_network(SyntheticSpec()))
        started = time.perf_counter()
        payload = network_payload(net, {}, NO_LIVE)
        elapsed = time.perf_counter() - started
        self.assertEqual(len(payload["nodes"]), len(net.devices))
        self.assertEqual(len(payload["nodes"]), 5000)
        self.assertEqual(len(payload["edges"]), len(net.links))
        self.assertLess(elapsed, 15, "laying out 5,000 devices")
        extent = payload["extent"]
        for n in payload["nodes"]:
            self.assertTrue(math.isfinite(n["x"]) and -20 <= n["x"] <= extent + 20, n)
            self.assertTrue(math.isfinite(n["y"]) and -20 <= n["y"] <= extent + 20, n)
        positions = layout_sites(net, {})
        self.assertEqual(len(set(positions.values())), len(net.sites))  # no two sites on one spot
        core = positions[net.core_sites[0]]
        self.assertLess(math.dist(core, (extent / 2, extent / 2)), extent / 4)

    def test_mixed_coordinates(self):
        """Sites without coordinates hang near their placed neighbour."""
        plant = build_plant()
        place(plant)
        net = build_network().network
        core, s1, s2 = (str(plant[n].pk) for n in ("core", "s1", "s2"))
        info = {core: SiteInfo(50.50, 13.70), s1: SiteInfo(50.50, 13.72)}
        pos = layout_sites(net, info)
        self.assertEqual(pos[core], (0.0, 0.0))
        self.assertAlmostEqual(pos[s1][0], 1000.0)
        self.assertLess(math.dist(pos[s2], pos[core]), 1000 / 4)


class MapPagesTestCase(TestCase):
    """Pages and endpoints: 403 without the view permission, 200 with it; 400 for a bad filter."""

    @classmethod
    def setUpTestData(cls):
        cls.plant = build_plant()

    def api(self) -> APIClient:
        token = Token.objects.create(user=self.user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")
        return client

    def test_permission_denied(self):
        api = self.api()
        self.assertHttpStatus(self.client.get(reverse("plugins:netbox_metronet:map")), 403)
        self.assertHttpStatus(self.client.get(reverse("plugins:netbox_metronet:network")), 403)
        self.assertHttpStatus(api.get(reverse(GEO_URL)), 403)
        self.assertHttpStatus(api.get(reverse(NETWORK_URL)), 403)
        self.assertHttpStatus(self.client.get(reverse(GEO_URL)), 403)  # session too
        # one permission does not open the other page
        self.add_permissions("netbox_metronet.view_routesegment")
        self.assertHttpStatus(self.client.get(reverse("plugins:netbox_metronet:network")), 403)
        self.assertHttpStatus(api.get(reverse(NETWORK_URL)), 403)
        self.assertIn(APIClient().get(reverse(GEO_URL)).status_code, (401, 403))

    def test_pages_and_endpoints(self):
        self.add_permissions(*VIEW_PERMISSIONS)
        api = self.api()
        response = self.client.get(reverse("plugins:netbox_metronet:map"))
        self.assertHttpStatus(response, 200)
        html = response.content.decode()
        self.assertIn("netbox_metronet/vendor/leaflet/leaflet.js", html)
        self.assertIn('id="metronet-map"', html)
        self.assertNotIn("tile.openstreetmap", html)
        config = json.loads(html.split('id="metronet-map-config" type="application/json">')[1].split("</script>")[0])
        self.assertEqual(config["tile_url"], "")
        self.assertEqual(config["data_url"], reverse(GEO_URL))
        response = self.client.get(reverse("plugins:netbox_metronet:network"))
        self.assertHttpStatus(response, 200)
        self.assertIn('id="metronet-network"', response.content.decode())
        data = api.get(reverse(GEO_URL)).json()
        self.assertEqual(data["type"], "FeatureCollection")
        self.assertEqual(data["counts"]["segments"], 7)
        graph = api.get(reverse(NETWORK_URL)).json()
        self.assertEqual(graph["counts"]["nodes"], 4)
        self.assertHttpStatus(api.get(reverse(GEO_URL), {"tenant": "abc"}), 400)
        self.assertHttpStatus(api.get(reverse(NETWORK_URL), {"region": "999999"}), 400)

    def test_tile_layer_from_settings(self):
        self.add_permissions("netbox_metronet.view_routesegment")
        config = {"netbox_metronet": {"map_tile_url": "https://tiles.example.org/{z}/{x}/{y}.png",
                                      "map_tile_attribution": "© Example"}}
        with override_settings(PLUGINS_CONFIG=config):
            html = self.client.get(reverse("plugins:netbox_metronet:map")).content.decode()
        page_config = json.loads(html.split('id="metronet-map-config" type="application/json">')[1]
                                 .split("</script>")[0])
        self.assertEqual(page_config["tile_url"], "https://tiles.example.org/{z}/{x}/{y}.png")
        self.assertEqual(page_config["tile_attribution"], "© Example")


class VendoredLeafletTestCase(TestCase):
    """The committed copy of Leaflet is the version package-lock.json pins, file for file."""

    def test_version_and_files(self):
        root = PLUGIN.parent
        lock = json.loads((root / "package-lock.json").read_text())
        package = json.loads((root / "package.json").read_text())
        locked = lock["packages"]["node_modules/leaflet"]["version"]
        self.assertEqual(package["dependencies"]["leaflet"], locked)  # pinned exactly
        vendor = PLUGIN / "static" / "netbox_metronet" / "vendor" / "leaflet"
        manifest = json.loads((vendor / "MANIFEST.json").read_text())
        self.assertEqual(manifest["version"], locked)
        banner = (vendor / "leaflet.js").read_text()[:200]
        self.assertIn(f"Leaflet {locked},", banner)
        self.assertIn("leaflet.js", manifest["sha256"])
        self.assertIn("leaflet.css", manifest["sha256"])
        for name, digest in manifest["sha256"].items():
            self.assertEqual(sha256((vendor / name).read_bytes()).hexdigest(), digest, name)
        files = {str(p.relative_to(vendor)) for p in vendor.rglob("*") if p.is_file()} - {"MANIFEST.json"}
        self.assertEqual(files, set(manifest["sha256"]))
