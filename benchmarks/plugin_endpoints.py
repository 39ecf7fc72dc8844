"""Benchmark: SQL queries and latency of the plugin's pages and endpoints as the inventory grows.

Run with ``./metronet bench`` (it prepares a scratch database ``metronet_bench`` from the NetBox core dump).

The script generates an inventory in two steps — a small one, then the full size (default 5,000 devices,
10,000 route segments + 10,000 fiber cables, ~50,000 strands, 2,500 closures, 500 organizations) — and after
each step requests every endpoint several times in-process (Django test client, logged in as a superuser,
NetBox's normal middleware and Redis cache). It prints per endpoint: SQL queries at each size (must not
grow with size) and the median latency at full size, side by side with NetBox core's Site list measured in
the same run as the reference. The topology endpoints are measured twice: *cold* (the topology cache cleared
before each request: load and compile) and *warm* (served from the cache: the version query and the
analysis), and the resident memory one cache entry takes.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")

import django  # noqa: E402

django.setup()

from dcim.models import (  # noqa: E402
    Cable,
    CableTermination,
    Device,
    DeviceRole,
    DeviceType,
    FrontPort,
    Interface,
    Manufacturer,
    Region,
    Site,
)
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from tenancy.models import Tenant  # noqa: E402
from users.models import User  # noqa: E402

from metronet_topology import Topology, cut_impact  # noqa: E402
from metronet_topology.synthetic import SyntheticSpec, synthetic_network  # noqa: E402
from netbox_metronet import topology_cache  # noqa: E402
from netbox_metronet.models import (  # noqa: E402
    Connection,
    CoverageTarget,
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    LldpNeighbor,
    OrganizationProfile,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)
from netbox_metronet.topology_loader import build_network  # noqa: E402

CENTER = (13.7761, 50.5481)
CHAIN = 10  # cables per spliced chain: a trace crosses CHAIN cables and CHAIN-1 closures


def _point(rng: random.Random) -> tuple[float, float]:
    return CENTER[0] + rng.uniform(-0.05, 0.05), CENTER[1] + rng.uniform(-0.03, 0.03)


class Inventory:
    """Grows a synthetic inventory; every call to :meth:`grow` adds objects up to the given totals."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.region, _ = Region.objects.get_or_create(name="Bench town", slug="bench-town")
        manufacturer, _ = Manufacturer.objects.get_or_create(name="Bench", slug="bench")
        self.device_type, _ = DeviceType.objects.get_or_create(manufacturer=manufacturer, model="SW-48", slug="sw-48")
        self.role, _ = DeviceRole.objects.get_or_create(name="Access switch", slug="access-switch")

    def grow(self, *, organizations: int, devices: int, segments: int, cables: int, strands: int) -> None:
        with transaction.atomic():
            self._organizations(organizations)
            self._devices(devices)
            self._segments(segments)
            self._cables(cables, strands)

    def _organizations(self, total: int) -> None:
        have = Tenant.objects.count()
        tenants = Tenant.objects.bulk_create(
            Tenant(name=f"Organization {i:05d}", slug=f"org-{i:05d}") for i in range(have, total)
        )
        sites = Site.objects.bulk_create(
            Site(name=f"Site {t.slug}", slug=f"site-{t.slug}", tenant=t, region=self.region,
                 latitude=Decimal(f"{_point(self.rng)[1]:.6f}"), longitude=Decimal(f"{_point(self.rng)[0]:.6f}"))
            for t in tenants
        )
        types = ["school", "kindergarten", "office", "culture", "sport", "social"]
        OrganizationProfile.objects.bulk_create(
            OrganizationProfile(tenant=t, org_type=types[i % len(types)], town_part=self.region)
            for i, t in enumerate(tenants)
        )
        statuses = ["connected", "connected", "construction", "design", "planned"]
        today = date.today()
        Connection.objects.bulk_create(
            Connection(
                tenant=t, site=s, status=(st := statuses[i % len(statuses)]),
                bandwidth_mbps=1000 if i % 3 else 10000,
                connected_date=today - timedelta(days=30 + i % 900) if st == "connected" else None,
                planned_date=today + timedelta(days=30 + i % 400),
            )
            for i, (t, s) in enumerate(zip(tenants, sites, strict=True))
        )
        if not CoverageTarget.objects.exists():
            CoverageTarget.objects.create(name="All at 1G", share_percent=100, min_bandwidth_mbps=1000,
                                          due_date=today + timedelta(days=365))
            CoverageTarget.objects.create(name="Schools at 1G", share_percent=100, min_bandwidth_mbps=1000,
                                          due_date=today + timedelta(days=180), org_types=["school"])

    def _devices(self, total: int) -> None:
        have = Device.objects.count()
        sites = list(Site.objects.values_list("pk", flat=True))
        Device.objects.bulk_create(
            Device(name=f"sw-{i:05d}", device_type=self.device_type, role=self.role, site_id=sites[i % len(sites)])
            for i in range(have, total)
        )

    def _segments(self, total: int) -> None:
        have = RouteSegment.objects.count()
        segments = []
        for i in range(have, total):
            lon, lat = _point(self.rng)
            geometry = {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.002, lat + 0.001]]}
            segments.append(RouteSegment(name=f"D-{i:06d}", kind="duct", geometry=geometry,
                                         geometry_length_m=Decimal("169.3")))
        RouteSegment.objects.bulk_create(segments, batch_size=2000)

    def _cables(self, total: int, strand_total: int) -> None:
        """Cables in spliced chains: site → closure → … → closure → site, CHAIN cables per chain."""
        have = FiberCable.objects.count()
        need = total - have
        if need <= 0:
            return
        sites = list(Site.objects.values_list("pk", flat=True))
        per_cable = max(1, (strand_total - FiberStrand.objects.count()) // need)
        first_closure = SpliceClosure.objects.count()
        closures = SpliceClosure.objects.bulk_create(
            SpliceClosure(name=f"C-{first_closure + i:06d}", latitude=Decimal(f"{_point(self.rng)[1]:.6f}"),
                          longitude=Decimal(f"{_point(self.rng)[0]:.6f}"))
            for i in range(need // CHAIN * (CHAIN - 1) + CHAIN)
        )
        cables, closure_iter = [], iter(closures)
        for chain in range(need // CHAIN):
            stops = [next(closure_iter) for _ in range(CHAIN - 1)]
            for k in range(CHAIN):
                a_site = sites[(chain * 2) % len(sites)] if k == 0 else None
                b_site = sites[(chain * 2 + 1) % len(sites)] if k == CHAIN - 1 else None
                cables.append(FiberCable(
                    name=f"K-{have + chain * CHAIN + k:06d}", strand_count=per_cable,
                    a_site_id=a_site, a_closure=None if k == 0 else stops[k - 1],
                    b_site_id=b_site, b_closure=None if k == CHAIN - 1 else stops[k],
                ))
        FiberCable.objects.bulk_create(cables, batch_size=2000)
        segment_ids = list(RouteSegment.objects.values_list("pk", flat=True))
        FiberCableSegment.objects.bulk_create(
            (FiberCableSegment(cable=c, segment_id=segment_ids[(i * 2 + j) % len(segment_ids)], position=j + 1)
             for i, c in enumerate(cables) for j in range(2)),
            batch_size=5000,
        )
        strands = FiberStrand.objects.bulk_create(
            (FiberStrand(cable=c, number=n) for c in cables for n in range(1, per_cable + 1)), batch_size=5000
        )
        by_cable: dict[int, list[FiberStrand]] = {}
        for s in strands:
            by_cable.setdefault(s.cable_id, []).append(s)
        splices = []
        for left, right in zip(cables, cables[1:], strict=False):
            if left.b_closure_id and left.b_closure_id == right.a_closure_id:
                for sa, sb in zip(by_cable[left.pk], by_cable[right.pk], strict=True):
                    splices.append(Splice(closure_id=left.b_closure_id, strand_a=sa, strand_b=sb,
                                          loss_db=Decimal("0.05")))
        Splice.objects.bulk_create(splices, batch_size=5000)


class SyntheticTown:
    """Writes ``synthetic_network(spec)`` into NetBox with bulk inserts (in the caller's transaction)."""

    def __init__(self, spec: SyntheticSpec, seed: int = 11):
        self.data = synthetic_network(spec)
        self.rng = random.Random(seed)

    def write(self) -> dict[str, int]:
        d, rng = self.data, self.rng
        region = Region.objects.create(name="Synthetic town", slug="synthetic-town")
        manufacturer = Manufacturer.objects.create(name="Synthetic", slug="synthetic")
        dtype = DeviceType.objects.create(manufacturer=manufacturer, model="SYN-48", slug="syn-48")
        roles = {r: DeviceRole.objects.create(name=f"Synthetic {r}", slug=f"syn-{r}")
                 for r in ("core", "distribution", "access", "panel")}
        orgs = {o["id"]: Tenant(name=f"Organization {o['id']}", slug=o["id"].lower()) for o in d["organizations"]}
        Tenant.objects.bulk_create(orgs.values(), batch_size=2000)
        OrganizationProfile.objects.bulk_create(
            (OrganizationProfile(tenant=t, org_type="school", town_part=region) for t in orgs.values()),
            batch_size=2000)
        sites = {}
        for x in d["sites"]:
            org = (x.get("organizations") or [None])[0]
            sites[x["id"]] = Site(name=x["id"], slug=x["id"].lower(), tenant=orgs.get(org), region=region)
        Site.objects.bulk_create(sites.values(), batch_size=2000)
        closures = {c["id"]: SpliceClosure(name=c["id"], latitude=Decimal(f"{_point(rng)[1]:.6f}"),
                                           longitude=Decimal(f"{_point(rng)[0]:.6f}")) for c in d["closures"]}
        SpliceClosure.objects.bulk_create(closures.values(), batch_size=2000)
        segments = {}
        for x in d["segments"]:
            lon, lat = _point(rng)
            segments[x["id"]] = RouteSegment(
                name=x["id"], kind="duct",
                geometry={"type": "LineString", "coordinates": [[lon, lat], [lon + 0.002, lat]]},
                geometry_length_m=Decimal(str(x["length_m"])))
        RouteSegment.objects.bulk_create(segments.values(), batch_size=2000)
        cables = {}
        for x in d["cables"]:
            ends = {}
            for end in ("a", "b"):
                place = x[end]
                if "site" in place:
                    ends[f"{end}_site"] = sites[place["site"]]
                else:
                    ends[f"{end}_closure"] = closures[place["closure"]]
            cables[x["id"]] = FiberCable(name=x["id"], strand_count=x["strand_count"], status="active", **ends)
        FiberCable.objects.bulk_create(cables.values(), batch_size=2000)
        FiberCableSegment.objects.bulk_create(
            (FiberCableSegment(cable=cables[x["id"]], segment=segments[sg], position=i)
             for x in d["cables"] for i, sg in enumerate(x["segments"], start=1)), batch_size=5000)
        strands = FiberStrand.objects.bulk_create(
            (FiberStrand(cable=c, number=n) for c in cables.values() for n in range(1, c.strand_count + 1)),
            batch_size=5000)
        strand = {(s.cable.name, s.number): s for s in strands}

        def ref(hop) -> FiberStrand:
            return strand[(hop["cable"], hop["strand"])]

        Splice.objects.bulk_create(
            (Splice(closure=closures[x["closure"]], strand_a=ref(x["a"]), strand_b=ref(x["b"]), loss_db=Decimal("0.05"))
             for x in d["splices"]), batch_size=5000)
        devices = {x["id"]: Device(name=x["id"], site=sites[x["site"]], role=roles[x["role"]], device_type=dtype)
                   for x in d["devices"]}
        panels = {sid: Device(name=f"pp-{sid.lower()}", site=site, role=roles["panel"], device_type=dtype)
                  for sid, site in sites.items()}
        Device.objects.bulk_create([*devices.values(), *panels.values()], batch_size=2000)
        ports = {(e["device"], e["interface"]) for x in d["links"] for e in (x["a"], x["b"])}
        ports |= {(e["device"], e["interface"]) for x in d["connections"] for e in x.get("access", ())}
        interfaces = {key: Interface(device=devices[key[0]], name=key[1], type="1000base-x-sfp") for key in ports}
        Interface.objects.bulk_create(interfaces.values(), batch_size=5000)
        fronts: list[FrontPort] = []
        terminations: list[StrandTermination] = []
        patches: list[tuple[Interface, object]] = []
        cable_def = {x["id"]: x for x in d["cables"]}

        def end_at(cable_id: str, site_id: str) -> str:
            return "A" if cable_def[cable_id]["a"].get("site") == site_id else "B"

        for x in d["links"]:
            a, b = (interfaces[(x[e]["device"], x[e]["interface"])] for e in "ab")
            if not x.get("fibers"):
                patches.append((a, b))
                continue
            for iface, hop in ((a, x["fibers"][0]), (b, x["fibers"][-1])):
                site_id = iface.device.site.name
                front = FrontPort(device=panels[site_id], name=f"{hop['cable']}#{hop['strand']}", type="lc")
                fronts.append(front)
                terminations.append(StrandTermination(strand=ref(hop), front_port=front,
                                                      cable_end=end_at(hop["cable"], site_id)))
                patches.append((iface, front))
        FrontPort.objects.bulk_create(fronts, batch_size=5000)
        for t in terminations:
            t.front_port_id = t.front_port.pk
        StrandTermination.objects.bulk_create(terminations, batch_size=5000)
        dcim_cables = Cable.objects.bulk_create((Cable(status="connected", type="smf") for _ in patches),
                                                batch_size=5000)
        types = {Interface: ContentType.objects.get_for_model(Interface),
                 FrontPort: ContentType.objects.get_for_model(FrontPort)}
        CableTermination.objects.bulk_create(
            (CableTermination(cable=cable, cable_end=end, termination_type=types[type(obj)], termination_id=obj.pk)
             for cable, pair in zip(dcim_cables, patches, strict=True) for end, obj in zip("AB", pair, strict=True)),
            batch_size=5000)
        today = date.today()
        conns = []
        for x in d["connections"]:
            strand_at_site = ref(x["fibers"][0]) if x.get("fibers") else None
            conns.append(Connection(tenant=orgs[x["organization"]], site=sites[x["site"]], status="connected",
                                    connected_date=today - timedelta(days=100), bandwidth_mbps=1000,
                                    strand=strand_at_site))
        Connection.objects.bulk_create(conns, batch_size=2000)
        through = Connection.access_interfaces.through
        through.objects.bulk_create(
            (through(connection_id=c.pk, interface_id=interfaces[(e["device"], e["interface"])].pk)
             for c, x in zip(conns, d["connections"], strict=True) for e in x.get("access", ())), batch_size=5000)
        # LLDP: both ends of every planned link seen an hour ago; 2 % on the wrong port; 1 % unexpected.
        seen = datetime.now(UTC) - timedelta(hours=1)
        neighbors = []
        for a, b in patches:
            if isinstance(b, Interface):
                pairs = [(a, b), (b, a)]
            else:
                continue
            for here, there in pairs:
                port = there.name if rng.random() > 0.02 else "Gi9/99"
                neighbors.append(LldpNeighbor(device=here.device, local_interface=here, local_interface_name=here.name,
                                              remote_system=there.device.name, remote_port=port, first_seen=seen,
                                              last_seen=seen))
        for x in d["links"]:
            if not x.get("fibers"):
                continue
            a, b = (interfaces[(x[e]["device"], x[e]["interface"])] for e in "ab")
            for here, there in ((a, b), (b, a)):
                port = there.name if rng.random() > 0.02 else "Gi9/99"
                neighbors.append(LldpNeighbor(device=here.device, local_interface=here, local_interface_name=here.name,
                                              remote_system=there.device.name, remote_port=port, first_seen=seen,
                                              last_seen=seen))
        for i, device in enumerate(list(devices.values())[:: 100]):
            neighbors.append(LldpNeighbor(device=device, local_interface_name=f"Gi8/{i}", remote_system=f"unknown-{i}",
                                          remote_port="eth0", first_seen=seen, last_seen=seen))
        LldpNeighbor.objects.bulk_create(neighbors, batch_size=5000)
        return {"devices": len(devices), "panels": len(panels), "segments": len(segments), "cables": len(cables),
                "strands": len(strands), "links": len(d["links"]), "lldp": len(neighbors)}

    def some_tenant(self) -> int:
        """An organization with a site and a connection (the map filtered to it draws its serving plant)."""
        return Tenant.objects.filter(metronet_connections__isnull=False).order_by("pk").values_list("pk", flat=True)[0]

    def backbone_segment(self) -> int:
        """A ring segment (carries a POP-to-POP link): its cut degrades many and takes few offline."""
        ring = next(x for x in self.data["cables"] if x["a"].get("site", "").startswith("CORE-1")
                    and x["b"].get("site", "").startswith("POP"))
        return RouteSegment.objects.get(name=ring["segments"][0]).pk


TOPOLOGY_ENDPOINTS = ("API topology impact (1 segment)", "impact page (1 segment)", "impact CSV (1 segment)",
                      "API topology SPOF", "SPOF page", "SPOF CSV", "API planned vs built", "planned vs built page",
                      "planned vs built CSV", "API map (one organization)", "API network view")


def entry_memory_mb(user) -> float:
    """Python memory one topology cache entry (loaded parts, network, compiled topology) holds, MB: traced
    allocations still alive after the load (rustworkx's own graph storage is not traced: a few MB more)."""
    topology_cache.clear()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        topology_cache.cached_topology(user)
        gc.collect()
        return (tracemalloc.get_traced_memory()[0] - base) / 2**20
    finally:
        tracemalloc.stop()


def topology_phase(client: Client, factor: float, label: str, repeat: int,
                   results: dict[str, dict[str, tuple[int, float]]], timings: dict[str, dict[str, float]],
                   cold: dict[str, dict[str, tuple[int, float]]]) -> None:
    """Write the synthetic town at ``factor`` of its size, measure, roll back."""
    with transaction.atomic():
        start = time.perf_counter()
        town = SyntheticTown(SyntheticSpec().scaled(factor) if factor != 1 else SyntheticSpec())
        sizes = town.write()
        print(f"[topology {label}] synthetic town written in {time.perf_counter() - start:.1f} s: {sizes}",
              flush=True)
        config = settings.PLUGINS_CONFIG.setdefault("netbox_metronet", {})
        before = config.get("core_sites")
        config["core_sites"] = ["CORE-1", "CORE-2"]
        try:
            segment = town.backbone_segment()
            body = [{"route_segment": segment}]
            urls = [
                ("API topology impact (1 segment)", "/api/plugins/metronet/topology/impact/", body),
                ("impact page (1 segment)", reverse("plugins:netbox_metronet:topology_impact")
                 + f"?route_segment={segment}", None),
                ("impact CSV (1 segment)", reverse("plugins:netbox_metronet:topology_impact_export")
                 + f"?route_segment={segment}", None),
                ("API topology SPOF", "/api/plugins/metronet/topology/spof/", None),
                ("SPOF page", reverse("plugins:netbox_metronet:topology_spof"), None),
                ("SPOF CSV", reverse("plugins:netbox_metronet:topology_spof_export"), None),
                ("API planned vs built", "/api/plugins/metronet/topology/planned-vs-built/", None),
                ("planned vs built page", reverse("plugins:netbox_metronet:planned_vs_built"), None),
                ("planned vs built CSV", reverse("plugins:netbox_metronet:planned_vs_built_export"), None),
                ("API map (one organization)", f"/api/plugins/metronet/maps/geo/?tenant={town.some_tenant()}", None),
                ("API network view", "/api/plugins/metronet/maps/network/", None),
            ]
            for name, url, post in urls:
                results.setdefault(name, {})[label] = measure(client, url, repeat, post=post)
                cold.setdefault(name, {})[label] = measure(client, url, repeat, post=post, cold=True)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                topology_cache.inventory_version()
                version_ms = (time.perf_counter() - t0) * 1000
            memory = entry_memory_mb(User.objects.get(username="bench"))
            loads, builds = [], []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    loaded = build_network()
                    t1 = time.perf_counter()
                topo = Topology(loaded.network)
                builds.append(time.perf_counter() - t1)
                loads.append(t1 - t0)
            cut_times = []
            ids = list(RouteSegment.objects.values_list("pk", flat=True))
            for seg in [segment, *random.Random(3).sample(ids, min(50, len(ids)))]:
                topo.clear_cache()
                t0 = time.perf_counter()
                cut_impact(topo, [f"segment:{seg}"])
                cut_times.append(time.perf_counter() - t0)
            timings[label] = {
                "loader_queries": len(ctx.captured_queries), "loader_s": statistics.median(loads),
                "compile_s": statistics.median(builds), "cut_median_ms": statistics.median(cut_times) * 1000,
                "cut_max_ms": max(cut_times) * 1000, "devices": sizes["devices"], "links": sizes["links"],
                "lldp": sizes["lldp"], "segments": sizes["segments"], "cables": sizes["cables"],
                "strands": sizes["strands"], "version_ms": version_ms, "cache_entry_mb": memory,
            }
        finally:
            config["core_sites"] = before
            transaction.set_rollback(True)


def endpoints() -> list[tuple[str, str]]:
    cable = FiberCable.objects.order_by("pk").first()
    strand = FiberStrand.objects.filter(cable=cable).order_by("number").first()
    profile = OrganizationProfile.objects.order_by("pk").first()
    return [
        ("dcim Site list (NetBox core, reference)", reverse("dcim:site_list")),
        ("route segment list", reverse("plugins:netbox_metronet:routesegment_list")),
        ("fiber cable list", reverse("plugins:netbox_metronet:fibercable_list")),
        ("fiber strand list", reverse("plugins:netbox_metronet:fiberstrand_list")),
        ("splice list", reverse("plugins:netbox_metronet:splice_list")),
        ("organization list", reverse("plugins:netbox_metronet:organizationprofile_list")),
        ("connection list", reverse("plugins:netbox_metronet:connection_list")),
        ("fiber cable detail", cable.get_absolute_url()),
        ("organization detail", profile.get_absolute_url()),
        (f"trace page ({CHAIN} cables)", reverse("plugins:netbox_metronet:trace") + f"?strand={strand.pk}"),
        ("coverage page", reverse("plugins:netbox_metronet:coverage")),
        ("coverage CSV", reverse("plugins:netbox_metronet:coverage_export")),
        ("API fiber-cables list", "/api/plugins/metronet/fiber-cables/"),
        ("API strand trace", f"/api/plugins/metronet/fiber-strands/{strand.pk}/trace/"),
        ("API coverage", "/api/plugins/metronet/coverage/"),
    ]


def measure(client: Client, url: str, repeat: int, post=None, cold: bool = False) -> tuple[int, float]:
    """(SQL queries of the last request, median seconds); ``cold``: the topology cache cleared before each."""
    def request():
        if post is not None:
            return client.post(url, post, content_type="application/json")
        return client.get(url)

    request()  # warm caches (URL resolver, templates, Redis)
    times, queries = [], 0
    for _ in range(repeat):
        if cold:
            topology_cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = request()
            times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{'POST' if post is not None else 'GET'} {url} answered {response.status_code}")
        queries = len(ctx.captured_queries)
    return queries, statistics.median(times)


def counts() -> str:
    return (f"{Device.objects.count()} devices, {RouteSegment.objects.count()} route segments, "
            f"{FiberCable.objects.count()} cables, {FiberStrand.objects.count()} strands, "
            f"{SpliceClosure.objects.count()} closures, {Splice.objects.count()} splices, "
            f"{OrganizationProfile.objects.count()} organizations")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the full inventory size (default 1.0)")
    parser.add_argument("--repeat", type=int, default=5, help="requests per endpoint and size (default 5)")
    parser.add_argument("--topology-repeat", type=int, default=3,
                        help="requests per topology endpoint and size (default 3)")
    parser.add_argument("--skip-plant", action="store_true", help="only the topology part")
    args = parser.parse_args()
    full = {"organizations": 500, "devices": 5000, "segments": 10000, "cables": 10000, "strands": 50000}
    full = {k: int(v * args.scale) for k, v in full.items()}
    small = {k: max(CHAIN * 2, v // 20) for k, v in full.items()}

    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)
    results: dict[str, dict[str, tuple[int, float]]] = {}
    timings: dict[str, dict[str, float]] = {}
    cold: dict[str, dict[str, tuple[int, float]]] = {}
    for label, factor in (("small", args.scale / 20), ("full", args.scale)):
        topology_phase(client, factor, label, args.topology_repeat, results, timings, cold)
    inventory = Inventory()
    for label, size in (() if args.skip_plant else (("small", small), ("full", full))):
        start = time.perf_counter()
        inventory.grow(**size)
        print(f"[{label}] generated in {time.perf_counter() - start:.1f} s: {counts()}", flush=True)
        for name, url in endpoints():
            results.setdefault(name, {})[label] = measure(client, url, args.repeat)

    reference = results.get("dcim Site list (NetBox core, reference)", {}).get("full", (0, 1.0))[1]
    print()
    print(f"{'endpoint':44} {'SQL small':>9} {'SQL full':>9} {'median ms':>10} {'x Site list':>11}")
    failed = []
    for name, by_size in results.items():
        (q_small, _), (q_full, t_full) = by_size["small"], by_size["full"]
        flag = "" if q_small == q_full else "  <-- grows with size"
        if flag:
            failed.append(name)
        print(f"{name:44} {q_small:9d} {q_full:9d} {t_full * 1000:10.1f} {t_full / reference:11.2f}{flag}")
    print()
    print("topology endpoints: cold (cache cleared before each request) and warm (served from the cache)")
    print(f"{'endpoint':44} {'SQL cold':>9} {'SQL warm':>9} {'cold ms':>10} {'warm ms':>10}   (full size)")
    for name in TOPOLOGY_ENDPOINTS:
        (q_cold_small, _), (q_cold, t_cold) = cold[name]["small"], cold[name]["full"]
        q_warm, t_warm = results[name]["full"]
        flag = "" if q_cold_small == q_cold else "  <-- grows with size"
        if flag:
            failed.append(name + " (cold)")
        print(f"{name:44} {q_cold:9d} {q_warm:9d} {t_cold * 1000:10.1f} {t_warm * 1000:10.1f}{flag}")
    print()
    print(f"{'topology loader (build_network)':44} {'small':>9} {'full':>9}")
    for key, fmt in (("devices", "{:9.0f}"), ("segments", "{:9.0f}"), ("cables", "{:9.0f}"), ("strands", "{:9.0f}"),
                     ("links", "{:9.0f}"), ("lldp", "{:9.0f}"), ("loader_queries", "{:9.0f}"), ("loader_s", "{:9.2f}"),
                     ("compile_s", "{:9.2f}"), ("cut_median_ms", "{:9.2f}"), ("cut_max_ms", "{:9.2f}"),
                     ("version_ms", "{:9.1f}"), ("cache_entry_mb", "{:9.0f}")):
        print(f"{key:44} " + " ".join(fmt.format(timings[label][key]) for label in ("small", "full")))
    if timings["small"]["loader_queries"] != timings["full"]["loader_queries"]:
        failed.append("topology loader")
    if timings["full"]["cut_max_ms"] >= 200:
        print("one cut after load took 200 ms or more")
        failed.append("cut < 200 ms")
    if failed:
        print(f"\nSQL queries grow with inventory size (or a target is missed) for: {', '.join(failed)}")
        return 1
    print("\nSQL queries per request are the same at both sizes for every endpoint.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
