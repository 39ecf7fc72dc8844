"""The fast answers against brute force, on random small networks with shared ducts and closures.

The oracle here knows nothing of blocks or vertices: for a set of lost elements it walks the devices
from the core over the links still usable, and it finds single points of failure by trying every
element. Cut impact (offline, degraded, unreachable) and the single points of failure must agree.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import pytest
from topology_builders import MakeTopology, random_network

from metronet_topology import (
    ElementKind,
    ElementRef,
    FiberHop,
    Network,
    Topology,
    cut_impact,
    load_json,
)
from metronet_topology.synthetic import SyntheticSpec, synthetic_network

E = ElementRef


class Oracle:
    """Reachability from the core by plain search, recomputed for every set of lost elements."""

    def __init__(self, net: Network, topo: Topology, count_premises_and_core: bool) -> None:
        self.net = net
        self.services = topo.services
        self.count_all = count_premises_and_core
        self.elements = [E(ElementKind.SITE, s.id) for s in net.sites] + [
            E(ElementKind.CLOSURE, c.id) for c in net.closures] + [
            E(ElementKind.SEGMENT, s.id) for s in net.segments] + [
            E(ElementKind.CABLE, c.id) for c in net.cables] + [
            E(ElementKind.DEVICE, d.id) for d in net.devices] + [E(ElementKind.LINK, x.id) for x in net.links]
        self.core = [d.id for d in net.devices if d.site in net.core_sites]
        self.links: dict[str, list[tuple[str, set[ElementRef]]]] = {d.id: [] for d in net.devices}
        for link in net.links:
            deps = self.fiber_deps(link.fibers) | {E(ElementKind.LINK, link.id)}
            self.links[link.a.device].append((link.b.device, deps))
            self.links[link.b.device].append((link.a.device, deps))
        self._memo: dict[frozenset[ElementRef], tuple[set[str], set[str]]] = {}

    def fiber_deps(self, hops: Iterable[FiberHop]) -> set[ElementRef]:
        deps: set[ElementRef] = set()
        for hop in hops:
            cable = self.net.cable_by_id[hop.cable]
            deps.add(E(ElementKind.CABLE, cable.id))
            deps |= {E(ElementKind.SEGMENT, s) for s in cable.segments}
            for end in (cable.a, cable.b):
                deps.add(E(ElementKind(end.kind.value), end.id))
        return deps

    def device_up(self, device: str, lost: frozenset[ElementRef]) -> bool:
        site = self.net.device_by_id[device].site
        return E(ElementKind.DEVICE, device) not in lost and E(ElementKind.SITE, site) not in lost

    def attachments(self, service_id: str) -> tuple[list[str], set[ElementRef]]:
        conn = self.net.connection_by_id.get(service_id)
        if conn is None:
            site = service_id.split("@")[1]
            return [d.id for d in self.net.devices_by_site[site]], {E(ElementKind.SITE, site)}
        devices = [e.device for e in conn.access] or [d.id for d in self.net.devices_by_site.get(conn.site, ())]
        return devices, self.fiber_deps(conn.fibers) | {E(ElementKind.SITE, conn.site)}

    def search(self, lost: frozenset[ElementRef]) -> tuple[set[str], set[str]]:
        """(services up, devices reached) with ``lost`` taken out."""
        if lost in self._memo:
            return self._memo[lost]
        reached = {d for d in self.core if self.device_up(d, lost)}
        frontier = list(reached)
        while frontier:
            here = frontier.pop()
            for other, deps in self.links[here]:
                if other in reached or deps & lost or not self.device_up(other, lost):
                    continue
                reached.add(other)
                frontier.append(other)
        up = set()
        for s in self.services:
            devices, deps = self.attachments(s.id)
            if not deps & lost and any(d in reached for d in devices):
                up.add(s.id)
        self._memo[lost] = (up, reached)
        return up, reached

    def connected(self, lost: frozenset[ElementRef]) -> set[str]:
        return self.search(lost)[0]

    def excluded(self, service_site: str) -> set[ElementRef]:
        out: set[ElementRef] = set()
        if self.count_all:
            return out
        for sites in ({service_site}, set(self.net.core_sites)):
            devices = {d.id for site in sites for d in self.net.devices_by_site.get(site, ())}
            out |= {E(ElementKind.SITE, s) for s in sites} | {E(ElementKind.DEVICE, d) for d in devices}
            out |= {E(ElementKind.LINK, x.id) for x in self.net.links
                    if not x.fibers and x.a.device in devices and x.b.device in devices}
        return out

    def spofs(self, service_id: str, site: str, lost: frozenset[ElementRef] = frozenset()) -> set[ElementRef]:
        """Elements (not yet lost, not excluded) whose loss cuts the service off."""
        if service_id not in self.connected(lost):
            return set()
        return {e for e in self.elements if e not in lost and service_id not in self.connected(lost | {e})
                } - self.excluded(site)

    def redundant(self, service_id: str, site: str, lost: frozenset[ElementRef] = frozenset()) -> bool:
        return service_id in self.connected(lost) and not self.spofs(service_id, site, lost)


@pytest.mark.parametrize("count_all", [False, True], ids=["default", "premises+core"])
@pytest.mark.parametrize("seed", range(8))
def test_answers_match_brute_force(make: MakeTopology, seed: int, count_all: bool) -> None:
    """A random network (``random_network``: core, 5–8 sites, closures, a small pool of shared ducts, a
    dual-homed site S0, a last-mile site MS): single points of failure of every site, then offline,
    degraded and unreachable for every single element and 25 random pairs and triples."""
    net = random_network(seed)
    topo = make(net, include_premises=count_all, include_core=count_all)
    oracle = Oracle(net, topo, count_all)
    before, reached_before = oracle.search(frozenset())
    assert len(net.devices_by_site["S0"]) == 2 and topo.service("o0@S0")  # a dual-homed organization site
    for s in topo.services:
        assert set(topo.spof_elements(s)) == oracle.spofs(s.id, s.site), s
        assert topo.is_redundant(s) == oracle.redundant(s.id, s.site), s
    rng = random.Random(seed)
    cuts = [[e] for e in oracle.elements] + [rng.sample(oracle.elements, rng.randint(2, 3)) for _ in range(25)]
    for cut in cuts:
        lost = frozenset(cut)
        after, reached_after = oracle.search(lost)
        impact = cut_impact(topo, cut)
        assert {s.id for s in impact.offline} == before - after, cut
        degraded = {s.id for s in topo.services
                    if s.id in after and oracle.redundant(s.id, s.site) and not oracle.redundant(s.id, s.site, lost)}
        assert {s.id for s in impact.degraded} == degraded, cut
        down = {d for d in reached_before if not oracle.device_up(d, lost)}
        assert set(impact.devices_down) | set(impact.devices_unreachable) >= down
        assert set(impact.devices_unreachable) == reached_before - reached_after - down, cut


def test_synthetic_town_matches_brute_force(make: MakeTopology) -> None:
    """The benchmark's generator at 1 % size (rings, duct trees, feeders, tails, last miles): single
    points of failure of every site, and offline/degraded for a sample of single and double cuts."""
    net = load_json(synthetic_network(SyntheticSpec().scaled(0.01)))
    topo = make(net)
    oracle = Oracle(net, topo, False)
    before, _ = oracle.search(frozenset())
    assert len(before) == len(topo.services) > 40
    assert any(topo.is_redundant(s) for s in topo.services)
    for s in topo.services:
        assert set(topo.spof_elements(s)) == oracle.spofs(s.id, s.site), s
    redundant = [s for s in topo.services if oracle.redundant(s.id, s.site)]
    rng = random.Random(5)
    segments = [E(ElementKind.SEGMENT, s.id) for s in net.segments]
    cuts = [[e] for e in rng.sample(segments, 15)] + [rng.sample(segments, 2) for _ in range(5)]
    seen = {"offline": 0, "degraded": 0}
    for cut in cuts:
        lost = frozenset(cut)
        impact = cut_impact(topo, cut)
        after = oracle.connected(lost)
        assert {s.id for s in impact.offline} == before - after, cut
        degraded = {s.id for s in redundant if s.id in after and not oracle.redundant(s.id, s.site, lost)}
        assert {s.id for s in impact.degraded} == degraded, cut
        seen["offline"] += bool(impact.offline)
        seen["degraded"] += bool(impact.degraded)
    assert seen["offline"] and seen["degraded"]  # the sample exercises both answers
