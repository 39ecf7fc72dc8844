"""A terse way to draw small networks in tests."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from metronet_topology import (
    CableEnd,
    Connection,
    Device,
    Endpoint,
    FiberCable,
    FiberHop,
    Link,
    Network,
    Organization,
    PlaceKind,
    RouteSegment,
    Site,
    SpliceClosure,
    Topology,
)

MakeTopology = Callable[..., Topology]
"""The ``make`` fixture: ``make(network, include_premises=True, ...)`` → a Topology on one backend."""


class Plan:
    """Collects records; segments named by cables are created on the fly."""

    def __init__(self) -> None:
        self.organizations: list[Organization] = []
        self.sites: list[Site] = []
        self.closures: list[SpliceClosure] = []
        self.segments: dict[str, RouteSegment] = {}
        self.cables: list[FiberCable] = []
        self.devices: list[Device] = []
        self.links: list[Link] = []
        self.connections: list[Connection] = []

    def site(self, site_id: str, *organizations: str) -> Plan:
        for org in organizations:
            if org not in {o.id for o in self.organizations}:
                self.organizations.append(Organization(org))
        self.sites.append(Site(site_id, organizations=organizations))
        return self

    def closure(self, closure_id: str, site: str | None = None) -> Plan:
        self.closures.append(SpliceClosure(closure_id, site=site))
        return self

    def _place(self, name: str) -> CableEnd:
        if name in {c.id for c in self.closures}:
            return CableEnd(PlaceKind.CLOSURE, name)
        return CableEnd(PlaceKind.SITE, name)

    def cable(self, cable_id: str, a: str, b: str, *segments: str, length: float | None = None) -> Plan:
        for s in segments:
            self.segments.setdefault(s, RouteSegment(s, length_m=100.0))
        self.cables.append(FiberCable(cable_id, self._place(a), self._place(b), segments, 12, length))
        return self

    def reroute(self, cable_id: str, *segments: str) -> Plan:
        """Give an existing cable another route."""
        for s in segments:
            self.segments.setdefault(s, RouteSegment(s, length_m=100.0))
        self.cables = [replace(c, segments=segments) if c.id == cable_id else c for c in self.cables]
        return self

    def device(self, device_id: str, site: str, role: str = "") -> Plan:
        self.devices.append(Device(device_id, site, role))
        return self

    def link(self, link_id: str, a: str, b: str, *cables: str) -> Plan:
        self.links.append(Link(link_id, Endpoint(a), Endpoint(b), tuple(FiberHop(c) for c in cables)))
        return self

    def connection(self, conn_id: str, org: str, site: str, access: tuple[str, ...] = (),
                   fibers: tuple[str, ...] = (), status: str = "connected") -> Plan:
        self.connections.append(Connection(conn_id, org, site, tuple(Endpoint(d) for d in access),
                                           tuple(FiberHop(c) for c in fibers), status))
        return self

    def build(self, *core_sites: str) -> Network:
        return Network(
            sites=tuple(self.sites), core_sites=core_sites, organizations=tuple(self.organizations),
            closures=tuple(self.closures), segments=tuple(self.segments.values()), cables=tuple(self.cables),
            devices=tuple(self.devices), links=tuple(self.links), connections=tuple(self.connections),
        )


def ring(n: int, core: str = "CORE") -> Plan:
    """``core`` and sites S1..Sn in a ring; site Si has switch swi and organization oi; the hop from
    S(i-1) to Si is cable Ki in duct Di over link Li (S0 is the core, K(n+1)/D(n+1)/L(n+1) closes it)::

        CORE[sw0] ─K1/D1─ S1[sw1] ─K2/D2─ S2[sw2] ─ … ─ Sn[swn] ─K(n+1)/D(n+1)─ CORE
    """
    plan = Plan().site(core).device("sw0", core, "core")
    for i in range(1, n + 1):
        plan.site(f"S{i}", f"o{i}").device(f"sw{i}", f"S{i}", "access")
    names = [core] + [f"S{i}" for i in range(1, n + 1)] + [core]
    switches = ["sw0"] + [f"sw{i}" for i in range(1, n + 1)] + ["sw0"]
    for i in range(1, n + 2):
        plan.cable(f"K{i}", names[i - 1], names[i], f"D{i}")
        plan.link(f"L{i}", switches[i - 1], switches[i], f"K{i}")
    return plan


def random_network(seed: int) -> Network:
    """A core, POPs and organization sites; fiber links over one cable or two spliced in a closure,
    drawing their ducts from a small pool so that ducts are often shared; some patch links, some
    last-mile connections from a POP switch to a building without its own switch."""
    rng = random.Random(seed)
    plan = Plan().site("CORE").device("c0", "CORE")
    if rng.random() < 0.5:
        plan.device("c1", "CORE").link("Lc", "c0", "c1")
    sites = [f"S{i}" for i in range(rng.randint(5, 8))]
    for i, site in enumerate(sites):
        orgs = (f"o{i}",) if i == 0 or rng.random() < 0.7 else ()
        plan.site(site, *orgs).device(f"d{i}", site)
        if i == 0 or rng.random() < 0.25:  # S0 always has two switches: a dual-homed organization site
            plan.device(f"d{i}b", site).link(f"Lp{i}", f"d{i}", f"d{i}b")
    for c in range(3):
        plan.closure(f"C{c}")
    pool = [f"D{j}" for j in range(rng.randint(6, 10))]
    devices = [d.id for d in plan.devices]
    placed = [devices[0]]
    n_links = 0

    def fiber_link(a: str, b: str) -> None:
        nonlocal n_links
        n_links += 1
        site_a, site_b = site_of[a], site_of[b]
        name = f"L{n_links}"
        if rng.random() < 0.4:
            closure = rng.choice(plan.closures).id
            plan.cable(f"{name}x", site_a, closure, *rng.sample(pool, rng.randint(1, 2)))
            plan.cable(f"{name}y", closure, site_b, *rng.sample(pool, rng.randint(1, 2)))
            plan.link(name, a, b, f"{name}x", f"{name}y")
        else:
            plan.cable(f"{name}k", site_a, site_b, *rng.sample(pool, rng.randint(1, 2)))
            plan.link(name, a, b, f"{name}k")

    site_of = {d.id: d.site for d in plan.devices}
    for d in devices[1:]:  # a random tree first, so most of it is connected
        parents = [p for p in placed if site_of[p] != site_of[d]]
        if parents:
            fiber_link(rng.choice(parents), d)
        placed.append(d)
    for _ in range(rng.randint(2, 5)):  # then redundancy, some of it fake
        a, b = rng.sample(devices, 2)
        if site_of[a] != site_of[b]:
            fiber_link(a, b)
    pop = rng.choice(sites[:3])
    plan.site("MS", "oms")
    plan.cable("Kms", "MS", pop, rng.choice(pool))
    plan.connections.append(Connection("c-ms", "oms", "MS", (Endpoint(f"d{sites.index(pop)}"),),
                                       (FiberHop("Kms"),)))
    for s in pool:
        plan.segments.setdefault(s, RouteSegment(s))
    return plan.build("CORE")
