"""``netbox metronet_load`` with the shipped Bílina sample: counts, idempotency, complete fiber paths, and
files with errors that must write nothing.

The fiber path of a connected organization is walked here with the ORM (not with ``netbox_metronet.trace``)::

    sw-<site> uplink ──patch cord── pp-<site> front 1 ─ rear R1 ── strand 1 of the drop cable
        ── splice in a (branch) closure ── strand of the next cable ── ... ── ring cable BB-01 or BB-07
        ── termination on a core ODF rear port ─ its front port ──patch cord── core switch port
"""

import copy
import datetime
import json
import tempfile
from collections import Counter
from io import StringIO
from pathlib import Path
from unittest import skipUnless

import yaml
from dcim.models import Cable, CableTermination, Device, FrontPort, Interface, PortMapping, RearPort, Region, Site
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import TestCase
from tenancy.models import Contact, Tenant

import netbox_metronet
from netbox_metronet.loader import load_network, read_network_file
from netbox_metronet.loader.schema import expand_names, parse_numbers
from netbox_metronet.models import (
    Connection,
    CoverageTarget,
    FiberCable,
    FiberStrand,
    OrganizationProfile,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)
from netbox_metronet.utils.geo import haversine_m

SAMPLE = Path(netbox_metronet.__file__).resolve().parent / "sample_data" / "bilina.yaml"
DOCS = Path(netbox_metronet.__file__).resolve().parents[2] / "docs" / "sample-data.md"  # in a source checkout
CENTRE = (13.7761, 50.5481)
CORE_SITE = "mu-bilina"
MAX_HOPS = 20


def sample() -> dict:
    return read_network_file(SAMPLE)


def expected_components(data: dict) -> Counter:
    """Interfaces, front ports, rear ports and port mappings that the file's devices get from their types."""
    per_type = {}
    for t in data["device_types"]:
        fronts = sum(len(expand_names(p["name"])) for p in t.get("front_ports", []))
        per_type[t["slug"]] = Counter(
            interfaces=sum(len(expand_names(i["name"])) for i in t.get("interfaces", [])),
            rear_ports=sum(len(expand_names(p["name"])) for p in t.get("rear_ports", [])),
            front_ports=fronts, mappings=fronts)
    total = Counter()
    for device in data["devices"]:
        total.update(per_type[device["device_type"]])
    return total


def patched_interface(front_port: FrontPort) -> Interface | None:
    """The interface at the far end of the NetBox cable on a panel front port."""
    if not front_port.cable_id:
        return None
    far = CableTermination.objects.filter(cable_id=front_port.cable_id).exclude(cable_end=front_port.cable_end)
    ends = [t.termination for t in far]
    return ends[0] if len(ends) == 1 and isinstance(ends[0], Interface) else None


def front_of(rear_port: RearPort) -> FrontPort:
    return PortMapping.objects.get(rear_port=rear_port, rear_port_position=1).front_port


def walk_to_core(strand: FiberStrand, site: Site, core_site: str = CORE_SITE) -> list[str]:
    """Hops from ``strand``'s end at ``site`` to its termination at the core; fails (AssertionError) on a gap.

    Returns a readable list of the hops (cables and closures).
    """
    cable = strand.cable
    end = cable.end_at_site(site.pk)
    assert end, f"{cable} does not end at {site}"
    hops = [f"{cable.name}#{strand.number}"]
    for _ in range(MAX_HOPS):
        far = "B" if end == "A" else "A"
        place = cable.end(far)
        if getattr(cable, f"{far.lower()}_site_id"):
            assert place.slug == core_site, f"{strand} ends at {place}, not at the core"
            return hops + [place.slug]
        splice = Splice.objects.filter(closure=place).filter(Q(strand_a=strand) | Q(strand_b=strand)).select_related(
            "strand_a__cable", "strand_b__cable").first()
        assert splice, f"{strand} is not spliced in {place}: the path is broken"
        strand = splice.other(strand.pk)
        cable = strand.cable
        end = cable.end_at_closure(place.pk)
        hops += [place.name, f"{cable.name}#{strand.number}"]
    raise AssertionError(f"no core after {MAX_HOPS} hops: {hops}")


class BilinaSampleLoadTestCase(TestCase):
    """The whole sample, loaded once for the class."""

    @classmethod
    def setUpTestData(cls):
        cls.data = sample()
        out = StringIO()
        call_command("metronet_load", str(SAMPLE), stdout=out)
        cls.output = out.getvalue()

    def test_counts_match_the_file(self):
        d = self.data
        self.assertIn("Loaded", self.output)
        expected = {
            Region: len(d["regions"]),
            Tenant: len(d["organizations"]),
            OrganizationProfile: len(d["organizations"]),
            Contact: len(d["organizations"]),
            Site: len(d["sites"]),
            Device: len(d["devices"]),
            Cable: len(d["cables"]),
            RouteSegment: len(d["route_segments"]),
            SpliceClosure: len(d["splice_closures"]),
            FiberCable: len(d["fiber_cables"]),
            FiberStrand: sum(c["strand_count"] for c in d["fiber_cables"]),
            Splice: sum(len(s["pairs"]) for s in d["splices"]),
            StrandTermination: sum(len(parse_numbers(t["strands"])) for t in d["strand_terminations"]),
            Connection: len(d["connections"]),
            CoverageTarget: len(d["coverage_targets"]),
        }
        for model, count in expected.items():
            with self.subTest(model=model.__name__):
                self.assertEqual(model.objects.count(), count)
        components = expected_components(d)
        self.assertEqual(Interface.objects.count(), components["interfaces"])
        self.assertEqual(RearPort.objects.count(), components["rear_ports"])
        self.assertEqual(FrontPort.objects.count(), components["front_ports"])
        self.assertEqual(PortMapping.objects.count(), components["mappings"])
        by_status = Counter(c["status"] for c in d["connections"])
        self.assertEqual(Counter(Connection.objects.values_list("status", flat=True)), by_status)
        self.assertEqual(set(by_status), {"connected", "construction", "design", "planned", "cancelled"})

    def test_organizations_and_sites(self):
        town = Region.objects.get(slug="bilina")
        self.assertEqual(
            set(Region.objects.filter(parent=town).values_list("name", flat=True)),
            {"Bílina", "Chudeřice", "Mostecké Předměstí", "Pražské Předměstí", "Teplické Předměstí",
             "Újezdské Předměstí"})
        self.assertEqual(OrganizationProfile.objects.get(tenant__slug="mesto-bilina").company_id, "00266230")
        self.assertEqual(OrganizationProfile.objects.get(tenant__slug="zus-bilina").company_id, "63788047")
        self.assertEqual(OrganizationProfile.objects.exclude(company_id="").count(), 2)
        self.assertEqual(OrganizationProfile.objects.get(tenant__slug="mp-bilina").town_relation, "founded")
        self.assertTrue(Tenant.objects.filter(description__contains="[?]").exists())
        self.assertTrue(Site.objects.filter(physical_address__contains="[?]").exists())
        for site in Site.objects.all():
            with self.subTest(site=site.slug):
                self.assertIsNotNone(site.region)
                self.assertLessEqual(haversine_m(CENTRE, (float(site.longitude), float(site.latitude))), 2000)
        mu = Site.objects.get(slug=CORE_SITE)
        self.assertEqual(mu.physical_address, "Břežánská 50/4, 418 31 Bílina")
        self.assertTrue(Device.objects.filter(site=mu, role__slug="core-switch").exists())

    def test_second_load_creates_nothing(self):
        before = {m: m.objects.count() for m in (Tenant, Site, Device, Cable, FiberStrand, Splice, StrandTermination,
                                                 Interface, PortMapping, Connection)}
        stats = load_network(self.data)
        self.assertEqual(stats.total("created"), 0, stats.table())
        self.assertEqual(stats.total("updated"), 0, stats.table())
        self.assertEqual({m: m.objects.count() for m in before}, before)

    def test_second_load_updates_a_changed_value(self):
        data = copy.deepcopy(self.data)
        data["sites"][1]["description"] = "Changed"
        data["connections"][1]["bandwidth_mbps"] = 100
        stats = load_network(data)
        self.assertEqual(stats.total("created"), 0)
        self.assertEqual(stats.get("dcim.Site", "updated"), 1)
        self.assertEqual(stats.get("netbox_metronet.Connection", "updated"), 1)
        self.assertEqual(Site.objects.get(slug=data["sites"][1]["slug"]).description, "Changed")

    def test_connected_connections_have_complete_fiber_paths(self):
        connected = Connection.objects.filter(status="connected").select_related("site", "strand__cable")
        self.assertGreaterEqual(connected.count(), 10)
        for conn in connected:
            with self.subTest(site=conn.site.slug):
                access = set(conn.access_interfaces.all())
                self.assertTrue(access, "a connected connection names its access interface(s)")
                if conn.site.slug == CORE_SITE:
                    self.assertIsNone(conn.strand)  # the core node itself
                    continue
                strand = conn.strand
                self.assertIsNotNone(strand)
                # Organization end: strand on the site's panel, patched to the access switch uplink.
                local = StrandTermination.objects.get(strand=strand, cable_end=strand.cable.end_at_site(conn.site_id))
                self.assertEqual(local.port.device.site_id, conn.site_id)
                uplink = patched_interface(front_of(local.rear_port))
                self.assertIn(uplink, access)
                # Through every splice to the core ODF, patched to the core-side access interface.
                hops = walk_to_core(strand, conn.site)
                self.assertEqual(hops[-1], CORE_SITE)
                last_cable, last_number = hops[-2].split("#")
                core_strand = FiberStrand.objects.get(cable__name=last_cable, number=int(last_number))
                core = StrandTermination.objects.get(strand=core_strand)
                self.assertEqual(core.port.device.site.slug, CORE_SITE)
                core_port = patched_interface(front_of(core.rear_port))
                self.assertIn(core_port, access)
                self.assertNotEqual(core_port.device_id, uplink.device_id)
                # The working fiber is lit all the way.
                self.assertEqual(FiberStrand.objects.get(pk=strand.pk).status, "active")
                self.assertEqual(core_strand.status, "active")

    def test_connection_dates_and_bandwidths(self):
        for conn in Connection.objects.all():
            with self.subTest(site=conn.site.slug):
                if conn.status == "connected":
                    self.assertTrue(datetime.date(2022, 1, 1) <= conn.connected_date <= datetime.date(2024, 12, 31))
                elif conn.status in ("planned", "design", "construction"):
                    self.assertIn(conn.planned_date.year, (2025, 2026))
                self.assertIn(conn.bandwidth_mbps, (100, 1000, 10000))


class LoadErrorsTestCase(TestCase):
    """Files with errors: the place in the file is reported and nothing is written."""

    def load_file(self, data: dict, suffix: str = ".yaml", *args) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"network{suffix}"
            if suffix == ".json":
                path.write_text(json.dumps(data, default=str), encoding="utf-8")
            else:
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            with self.assertRaises(CommandError) as ctx:
                call_command("metronet_load", str(path), *args, stdout=StringIO())
        return str(ctx.exception)

    def assert_nothing_written(self):
        for model in (Region, Tenant, Contact, Site, Device, Cable, RouteSegment, SpliceClosure, FiberCable,
                      FiberStrand, Splice, StrandTermination, Connection, CoverageTarget):
            with self.subTest(model=model.__name__):
                self.assertEqual(model.objects.count(), 0)

    def test_unknown_route_segment(self):
        data = sample()
        data["fiber_cables"][3]["segments"][1] = "D-99"
        message = self.load_file(data, ".json")
        self.assertIn("fiber_cables[3].segments[1]: no route segment named 'D-99'", message)
        self.assertIn("nothing was written", message)
        self.assert_nothing_written()

    def test_bad_company_id(self):
        data = sample()
        data["organizations"][5]["company_id"] = "63788048"
        message = self.load_file(data)
        self.assertIn("organizations[5].company_id: IČO 63788048 fails its checksum", message)
        self.assert_nothing_written()

    def test_structure_errors_are_all_reported_at_once(self):
        data = {"format": "metronet-network/1", "sites": [{"name": "X", "slug": "x", "lattitude": 50.1}],
                "organizations": [{"name": "Y", "slug": "y", "org_type": "school", "company_id": 266230}],
                "splices": [{"closure": "SC-01", "a_cable": "A", "b_cable": "B", "pairs": [[1, "two"]]}]}
        message = self.load_file(data)
        self.assertIn("sites[0].lattitude: unknown key", message)
        self.assertIn("organizations[0].company_id: expected a string", message)
        self.assertIn("splices[0].pairs[0]: expected [strand A, strand B]", message)
        self.assertIn("3 error(s)", message)

    def test_splice_of_a_strand_that_does_not_exist(self):
        plant_only = ("format", "regions", "tenant_groups", "organizations", "sites", "route_segments",
                      "splice_closures", "fiber_cables", "splices")
        data = {k: v for k, v in sample().items() if k in plant_only}
        data["splices"][0]["pairs"][0][1] = 200
        message = self.load_file(data)
        self.assertIn("splices[0].pairs[0]: cable", message)
        self.assertIn("has no strand 200", message)
        self.assert_nothing_written()

    def test_dry_run_writes_nothing(self):
        data = {k: v for k, v in sample().items() if k in ("format", "regions", "tenant_groups", "organizations",
                                                            "sites")}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "part.json"
            path.write_text(json.dumps(data, default=str), encoding="utf-8")
            out = StringIO()
            call_command("metronet_load", str(path), "--dry-run", stdout=out)
        self.assertIn("Dry run", out.getvalue())
        self.assertRegex(out.getvalue(), r"dcim\.Site\s+26\s+0\s+0")
        self.assert_nothing_written()


@skipUnless(DOCS.exists(), "docs/ is not beside the plugin (installed package)")
class DocumentedExampleTestCase(TestCase):
    def test_documented_example_loads_and_traces(self):
        text = DOCS.read_text(encoding="utf-8")
        example = text.split("### Example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
        data = yaml.safe_load(example)
        stats = load_network(data)
        self.assertEqual(stats.get("netbox_metronet.Connection", "created"), 1)
        conn = Connection.objects.get(site__slug="zs-aleska")
        hops = walk_to_core(conn.strand, conn.site, core_site="mu-bilina")
        self.assertEqual(hops, ["DC-01#1", "SC-01", "BB-01#1", "mu-bilina"])
        self.assertEqual(load_network(data).total("created"), 0)
