"""Routes through the fiber plant between two sites: the shortest, and two physically disjoint ones.

Here the graph is the plant itself — sites and closures joined by cables — whatever is lit on it::

    site A ── cable ── closure ── cable ── site B        each cable also stands for its route segments

Two routes are *physically disjoint* when they share no cable, no route segment (duct), no closure and no
site other than their two ends.
"""

from __future__ import annotations

import weakref
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._blocks import BlockTree
from ._graphlib import Graph, make_graph
from .model import CableEnd, ElementKind, ElementRef, PlaceKind
from .network import Network, site_end
from .topology import Topology
from .trace import TraceLeg

__all__ = ("DisjointPaths", "SitePath", "disjoint_paths", "shortest_path")


@dataclass(frozen=True, slots=True)
class SitePath:
    """A route from one site to another: the places passed and the cables between them."""

    places: tuple[CableEnd, ...]
    legs: tuple[TraceLeg, ...]
    length_m: float
    elements: tuple[ElementRef, ...]

    @property
    def cables(self) -> tuple[str, ...]:
        return tuple(leg.cable for leg in self.legs)

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s for leg in self.legs for s in leg.segments)

    @property
    def closures(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.places if p.kind is PlaceKind.CLOSURE)

    def to_dict(self) -> dict[str, Any]:
        return {"places": [{p.kind.value: p.id} for p in self.places], "legs": [leg.to_dict() for leg in self.legs],
                "length_m": self.length_m, "elements": [str(e) for e in self.elements]}


@dataclass(frozen=True, slots=True)
class DisjointPaths:
    """Two physically disjoint routes, or what prevents them.

    ``second`` is None when no disjoint pair was found; ``shared`` then lists the elements that every
    route between the two sites uses (a duct both routes must take, a closure…) — the reason. It can be
    empty when the plant has routes around every single element but no two fully disjoint ones.
    """

    first: SitePath | None
    second: SitePath | None
    shared: tuple[ElementRef, ...] = ()

    @property
    def disjoint(self) -> bool:
        return self.second is not None

    def to_dict(self) -> dict[str, Any]:
        return {"disjoint": self.disjoint, "first": self.first.to_dict() if self.first else None,
                "second": self.second.to_dict() if self.second else None, "shared": [str(e) for e in self.shared]}


@dataclass
class _Plant:
    graph: Graph
    place_vertex: dict[CableEnd, int]
    places: list[CableEnd | None]
    cable_at: dict[int, str]
    killers: list[tuple[int, ...]]
    elements: list[ElementRef]
    hits: dict[ElementRef, list[int]] = field(default_factory=dict)


_PLANTS: weakref.WeakKeyDictionary[Topology, _Plant] = weakref.WeakKeyDictionary()


def _plant(topology: Topology) -> _Plant:
    plant = _PLANTS.get(topology)
    if plant is None:
        plant = _PLANTS[topology] = _build_plant(topology.network, topology)
    return plant


def _build_plant(net: Network, topology: Topology) -> _Plant:
    elements: list[ElementRef] = []
    index: dict[ElementRef, int] = {}

    def element(ref: ElementRef) -> int:
        if ref not in index:
            index[ref] = len(elements)
            elements.append(ref)
        return index[ref]

    places: list[CableEnd | None] = []
    killers: list[tuple[int, ...]] = []
    place_vertex: dict[CableEnd, int] = {}
    for site in net.sites:
        place_vertex[site_end(site.id)] = len(places)
        places.append(site_end(site.id))
        killers.append((element(ElementRef(ElementKind.SITE, site.id)),))
    for closure in net.closures:
        end = CableEnd(PlaceKind.CLOSURE, closure.id)
        place_vertex[end] = len(places)
        places.append(end)
        own = [element(ElementRef(ElementKind.CLOSURE, closure.id))]
        if closure.site is not None:
            own.append(element(ElementRef(ElementKind.SITE, closure.site)))
        killers.append(tuple(own))
    cable_at: dict[int, str] = {}
    edges: list[tuple[int, int, float]] = []
    for order, cable in enumerate(net.cables, start=1):
        v = len(places)
        places.append(None)
        cable_at[v] = cable.id
        own = [element(ElementRef(ElementKind.CABLE, cable.id))]
        own += [element(ElementRef(ElementKind.SEGMENT, s)) for s in dict.fromkeys(cable.segments)]
        killers.append(tuple(own))
        # ties go to the cable listed first, whatever the library: a micrometre per position in the data
        half = ((net.cable_length_m(cable) or 1.0) + order * 1e-6) / 2
        edges.append((place_vertex[cable.a], v, half))
        edges.append((v, place_vertex[cable.b], half))
    plant = _Plant(make_graph(topology.options.backend, len(places), edges), place_vertex, places, cable_at,
                   killers, elements)
    hits: defaultdict[ElementRef, list[int]] = defaultdict(list)
    for v, own_killers in enumerate(killers):
        for e in own_killers:
            hits[elements[e]].append(v)
    plant.hits = dict(hits)
    return plant


def _site_path(net: Network, plant: _Plant, vertices: list[int]) -> SitePath:
    places: list[CableEnd] = []
    legs: list[TraceLeg] = []
    elements: set[ElementRef] = set()
    total = 0.0
    for i, v in enumerate(vertices):
        elements.update(plant.elements[e] for e in plant.killers[v])
        place = plant.places[v]
        if place is not None:
            places.append(place)
            continue
        cable = net.cable_by_id[plant.cable_at[v]]
        start, end = plant.places[vertices[i - 1]], plant.places[vertices[i + 1]]
        assert start is not None and end is not None
        segments = cable.segments if cable.a == start else tuple(reversed(cable.segments))
        length = net.cable_length_m(cable)
        total += length or 0.0
        legs.append(TraceLeg(cable.id, None, start, end, segments, length))
    return SitePath(tuple(places), tuple(legs), total, tuple(sorted(elements, key=ElementRef.sort_key)))


def _ends(topology: Topology, plant: _Plant, a: str, b: str) -> tuple[int, int]:
    topology.network.site(a)
    topology.network.site(b)
    return plant.place_vertex[site_end(a)], plant.place_vertex[site_end(b)]


def shortest_path(topology: Topology, a: str, b: str, avoid: Iterable[ElementRef | str] = ()) -> SitePath | None:
    """The shortest route (by cable length; 1 m for a cable of unknown length) from site ``a`` to site
    ``b`` through the plant, avoiding ``avoid`` (e.g. a segment under construction)::

        A ─K1 (400 m)─ C-1 ─K2 (300 m)─ B           shortest_path(topo, "A", "B")        → K3
        └────────────K3 (500 m)─────────┘           ... avoid=["segment:D-09"] (in K3)   → K1, K2
    """
    plant = _plant(topology)
    source, target = _ends(topology, plant, a, b)
    removed = {v for e in avoid for v in plant.hits.get(topology.element(e), ())}
    vertices = plant.graph.shortest_path(source, target, removed)
    return None if vertices is None else _site_path(topology.network, plant, vertices)


def _partner_removed(net: Network, plant: _Plant, path: list[int]) -> set[int]:
    """What a second route must avoid: the first's inner places and cables, and every cable sharing one of
    its segments."""
    removed = set(path[1:-1])
    for v in path:
        cable = plant.cable_at.get(v)
        if cable is not None:
            for segment in net.cable_by_id[cable].segments:
                removed.update(plant.hits.get(ElementRef(ElementKind.SEGMENT, segment), ()))
    return removed


def disjoint_paths(topology: Topology, a: str, b: str) -> DisjointPaths:
    """Two routes between sites ``a`` and ``b`` that share no cable, duct segment, closure or site.

    Two cables side by side in one duct are *not* disjoint::

        A ═K1═╗                 ╔═K1═ B     K1 and K2 both run through D-07:
              ╠═══ D-07 (duct) ═╣           disjoint_paths(topo, "A", "B")
        A ═K2═╝                 ╚═K2═ B     → second=None, shared=(segment:D-07,)

    The first route is the shortest; the second is the shortest that avoids everything the first uses
    (its places, cables, and every cable in its segments). When the shortest route leaves no partner (a
    "trap"), routes avoiding one, then two, … of its elements are tried, breadth first, up to
    ``AnalysisOptions.disjoint_search_limit`` first routes (two Dijkstra runs each); the pair found is then
    not always the one of least total length. ``shared`` is exact: the elements whose single loss
    separates the two sites.
    """
    plant = _plant(topology)
    net = topology.network
    source, target = _ends(topology, plant, a, b)
    if source == target:
        raise ValueError(f"a route needs two different sites (got {a!r} twice)")
    first = plant.graph.shortest_path(source, target)
    if first is None:
        return DisjointPaths(None, None)
    # Branch on the first route: when it leaves no partner, retry with one more of its elements avoided.
    # A disjoint pair (Q1, Q2) stays reachable along the branch that never avoids an element of Q1.
    queue: deque[frozenset[int]] = deque([frozenset()])
    seen: set[frozenset[int]] = {frozenset()}
    tried = 0
    while queue and tried < topology.options.disjoint_search_limit:
        avoided = queue.popleft()
        candidate = first if not avoided else plant.graph.shortest_path(source, target, avoided)
        if candidate is None:
            continue
        tried += 1
        second = plant.graph.shortest_path(source, target, _partner_removed(net, plant, candidate))
        if second is not None:
            return DisjointPaths(_site_path(net, plant, candidate), _site_path(net, plant, second))
        for x in candidate[1:-1]:
            branch = avoided | {x}
            if branch not in seen:
                seen.add(branch)
                queue.append(branch)
    tree = BlockTree(plant.graph, source, plant.killers, [target])
    shared = tree.spof(target) - set(plant.killers[source]) - set(plant.killers[target])
    refs = tuple(sorted((plant.elements[e] for e in shared), key=ElementRef.sort_key))
    return DisjointPaths(_site_path(net, plant, first), None, refs)
