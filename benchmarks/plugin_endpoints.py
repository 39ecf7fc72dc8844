"""Benchmark: SQL queries and latency of the plugin's pages and endpoints as the inventory grows.

Run with ``./metronet bench`` (it prepares a scratch database ``metronet_bench`` from the NetBox core dump).

The script generates an inventory in two steps — a small one, then the full size (default 5,000 devices,
10,000 route segments + 10,000 fiber cables, ~50,000 strands, 2,500 closures, 500 organizations) — and after
each step requests every endpoint several times in-process (Django test client, logged in as a superuser,
NetBox's normal middleware and Redis cache). It prints per endpoint: SQL queries at each size (must not
grow with size) and the median latency at full size, side by side with NetBox core's Site list measured in
the same run as the reference.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")

import django  # noqa: E402

django.setup()

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Region, Site  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from tenancy.models import Tenant  # noqa: E402
from users.models import User  # noqa: E402

from netbox_metronet.models import (  # noqa: E402
    Connection,
    CoverageTarget,
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    OrganizationProfile,
    RouteSegment,
    Splice,
    SpliceClosure,
)

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
        closures = SpliceClosure.objects.bulk_create(
            SpliceClosure(name=f"C-{have + i:06d}", latitude=Decimal(f"{_point(self.rng)[1]:.6f}"),
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


def measure(client: Client, url: str, repeat: int) -> tuple[int, float]:
    client.get(url)  # warm caches (URL resolver, templates, Redis)
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
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
    args = parser.parse_args()
    full = {"organizations": 500, "devices": 5000, "segments": 10000, "cables": 10000, "strands": 50000}
    full = {k: int(v * args.scale) for k, v in full.items()}
    small = {k: max(CHAIN * 2, v // 20) for k, v in full.items()}

    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)
    inventory = Inventory()
    results: dict[str, dict[str, tuple[int, float]]] = {}
    for label, size in (("small", small), ("full", full)):
        start = time.perf_counter()
        inventory.grow(**size)
        print(f"[{label}] generated in {time.perf_counter() - start:.1f} s: {counts()}", flush=True)
        for name, url in endpoints():
            results.setdefault(name, {})[label] = measure(client, url, args.repeat)

    reference = results["dcim Site list (NetBox core, reference)"]["full"][1]
    print()
    print(f"{'endpoint':44} {'SQL small':>9} {'SQL full':>9} {'median ms':>10} {'x Site list':>11}")
    failed = []
    for name, by_size in results.items():
        (q_small, _), (q_full, t_full) = by_size["small"], by_size["full"]
        flag = "" if q_small == q_full else "  <-- grows with size"
        if flag:
            failed.append(name)
        print(f"{name:44} {q_small:9d} {q_full:9d} {t_full * 1000:10.1f} {t_full / reference:11.2f}{flag}")
    if failed:
        print(f"\nSQL queries grow with inventory size for: {', '.join(failed)}")
        return 1
    print("\nSQL queries per request are the same at both sizes for every endpoint.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
