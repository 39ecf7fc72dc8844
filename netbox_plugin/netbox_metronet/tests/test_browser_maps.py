"""Headless Chromium: the map and the network view draw the Bílina sample, and the network view draws a
generated 5,000-device network.

As ``test_browser.py``: Debian's ``chromium`` through ``playwright``, Django's live server, screenshots in
``$METRONET_ARTIFACTS`` (``map.png``, ``map-impact.png``, ``network.png``, ``network-5000.png``). Everything
expected is computed from the ORM and the topology library before the browser starts (the ORM is not used
while playwright's event loop runs):

- map: one SVG path per route segment, per closure and per site with coordinates (the counts of the ORM);
- a click on the backbone segment whose cut takes the most organizations offline shows, from the REST
  ``topology/impact/`` endpoint, the organizations ``cut_impact`` finds;
- network view: as many nodes and links as the topology loader finds devices and links;
- 5,000 devices (``metronet_topology.synthetic``, laid out by ``network_payload``) drawn in a few seconds.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

from dcim.models import Site
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright
from users.models import User

from metronet_topology import Topology, cut_impact, load_json
from metronet_topology.synthetic import SyntheticSpec, synthetic_network
from netbox_metronet.live_status import LiveStatus
from netbox_metronet.loader import load_network, read_network_file
from netbox_metronet.maps_data import network_payload
from netbox_metronet.models import RouteSegment, SpliceClosure
from netbox_metronet.tests.test_browser import CHROMIUM_ARGS, PASSWORD
from netbox_metronet.tests.test_topology_loader import SAMPLE
from netbox_metronet.topology_loader import build_network

TIMEOUT_MS = 60_000


class MapBrowserTestCase(StaticLiveServerTestCase):

    def setUp(self):
        super().setUp()
        load_network(read_network_file(SAMPLE))
        User.objects.create_superuser(username="admin", email="admin@example.com", password=PASSWORD)
        self.expected = {
            "segments": RouteSegment.objects.count(),
            "closures": SpliceClosure.objects.filter(latitude__isnull=False, longitude__isnull=False).count(),
            "sites": Site.objects.filter(latitude__isnull=False, longitude__isnull=False).count(),
        }
        net = build_network().network
        self.devices, self.links = len(net.devices), len(net.links)
        # the segment whose cut takes the most organizations offline, and those organizations
        topo = Topology(net)
        impacts = [(cut_impact(topo, [f"segment:{s.id}"]), s) for s in net.segments]
        impact, segment = max(impacts, key=lambda x: (len(x[0].offline_organizations), -int(x[1].id)))
        self.cut_segment = int(segment.id)
        self.offline = sorted(net.organization_by_id[o].name for o in impact.offline_organizations)
        self.degraded = sorted(net.organization_by_id[o].name for o in impact.degraded_organizations)
        # a generated town of 5,000 devices, laid out by the server's code
        big = load_json(synthetic_network(SyntheticSpec()))
        self.big_payload = json.dumps(network_payload(big, {}, LiveStatus("not_configured", "")))
        self.big_counts = (len(big.devices), len(big.links))
        self.network_data_url = reverse("plugins-api:netbox_metronet-api:maps-network")
        self.artifacts = Path(os.environ.get("METRONET_ARTIFACTS") or tempfile.mkdtemp(prefix="metronet-browser-"))
        self.artifacts.mkdir(parents=True, exist_ok=True)

    def test_map_and_network(self):
        self.assertGreater(len(self.offline), 0, "the sample has a segment whose cut takes someone offline")
        executable = shutil.which("chromium")
        self.assertIsNotNone(executable, "Debian's chromium must be installed (./metronet test installs it)")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.set_default_timeout(TIMEOUT_MS)
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(f"{self.live_server_url}/login/")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")

                # ---- map ----
                page.goto(f"{self.live_server_url}/plugins/metronet/map/")
                drawing = page.locator("#metronet-map")
                expect(drawing).to_have_attribute("data-state", "ready")
                for layer, count in self.expected.items():
                    self.assertEqual(int(drawing.get_attribute(f"data-{layer}")), count, layer)
                self.assertEqual(page.locator("path.metronet-segment").count(), self.expected["segments"])
                self.assertEqual(page.locator("path.metronet-closure").count(), self.expected["closures"])
                self.assertEqual(page.locator("path.metronet-site").count(), self.expected["sites"])
                self.assertGreater(page.locator("path.metronet-pop").count(), 0)
                self.assertGreater(page.locator("path.metronet-site-connected").count(), 0)
                page.screenshot(path=str(self.artifacts / "map.png"), full_page=True)

                page.locator(f"path.metronet-segment-{self.cut_segment}").dispatch_event("click")
                impact = page.locator("#map-impact")
                expect(impact).to_have_attribute("data-state", "ready")
                expect(page.locator("#map-impact-offline-count")).to_have_text(str(len(self.offline)))
                expect(page.locator("#map-impact-degraded-count")).to_have_text(str(len(self.degraded)))
                shown = page.locator("#map-impact-offline li").all_inner_texts()
                self.assertEqual(sorted(text.split(" — ")[0].strip() for text in shown), self.offline)
                self.assertGreater(page.locator("#map-segment-cables li").count(), 0)
                page.screenshot(path=str(self.artifacts / "map-impact.png"), full_page=True)

                # ---- network view ----
                page.goto(f"{self.live_server_url}/plugins/metronet/network/")
                drawing = page.locator("#metronet-network")
                expect(drawing).to_have_attribute("data-state", "ready")
                self.assertEqual(int(drawing.get_attribute("data-nodes")), self.devices)
                self.assertEqual(int(drawing.get_attribute("data-edges")), self.links)
                expect(page.locator("#topo-live-note")).to_be_visible()  # no InfluxDB configured: said so
                page.screenshot(path=str(self.artifacts / "network.png"), full_page=True)

                # no request left NetBox (no tile server configured, no CDN)
                outside = [u for u in requests if not u.startswith(self.live_server_url) and not u.startswith("data:")]
                self.assertEqual(outside, [])

                # ---- 5,000 devices ----
                page.route(f"**{self.network_data_url}*", lambda route: route.fulfill(
                    status=200, content_type="application/json", body=self.big_payload))
                page.goto(f"{self.live_server_url}/plugins/metronet/network/")
                expect(drawing).to_have_attribute("data-state", "ready")
                self.assertEqual(int(drawing.get_attribute("data-nodes")), self.big_counts[0])
                self.assertEqual(int(drawing.get_attribute("data-edges")), self.big_counts[1])
                self.assertLess(int(drawing.get_attribute("data-draw-ms")), 10_000)
                # still responsive: zoom in and out, then a click on the canvas
                page.mouse.wheel(0, -600)
                page.mouse.wheel(0, 600)
                self.assertEqual(page.evaluate("() => document.readyState"), "complete")
                page.screenshot(path=str(self.artifacts / "network-5000.png"), full_page=True)
                self.assertEqual(errors, [])
            finally:
                browser.close()
        for name in ("map.png", "map-impact.png", "network.png", "network-5000.png"):
            self.assertGreater((self.artifacts / name).stat().st_size, 10_000, name)
