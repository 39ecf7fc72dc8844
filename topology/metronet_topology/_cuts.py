"""What a set of removed vertices does: who loses the core, who loses redundancy.

Only the blocks that contain a removed vertex are looked at. In each, the vertices that no longer reach
the block's top are lost, with everything hanging below them in the block-cut tree.

Who *loses redundancy* needs more care, because a block can stay large after a cut (a ring of rings
tied together by redundant tails). Every vertex of a block with a redundant organization site below it
(a *watched* vertex) carries a **certificate**: a few routes to the top of its block such that no
single element (duct, cable, closure, site…) lies on all of them — usually two routes sharing nothing::

    v ══ route 1 ══╗
    ║              ╠══ top        a cut that leaves every route of the certificate whole cannot make
    ╚═══ route 2 ══╝              one more loss fatal for v: v is skipped

Only vertices whose certificate the cut breaks are examined: a new certificate is sought in the block
without the cut; failing that, the search has found an element on every remaining route — a new
single point of failure. The exact fallback (new cut vertices and bridges from the block-cut tree of
the block without the cut, then the shared-risk elements of the shortest route) serves the rare cases
the certificate cannot decide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ._blocks import BlockTree, SubtreeIndex
from ._compile import Compiled
from ._graphlib import Graph

__all__ = ("Baseline", "Cover", "CutVertices", "analyse_cut", "cover")


@dataclass(frozen=True, slots=True)
class CutVertices:
    """What a set of removed vertices does, in vertex ids (services by their service vertex)."""

    removed: frozenset[int]
    offline: frozenset[int]
    unreachable_devices: frozenset[int]
    degraded: frozenset[int]
    rerouted: frozenset[int]


@dataclass
class Baseline:
    """The analysed network before any cut (built by :class:`~metronet_topology.topology.Topology`)."""

    c: Compiled
    graph: Graph
    tree: BlockTree
    accesses_below: SubtreeIndex
    devices_below: SubtreeIndex
    primary_below: SubtreeIndex
    reached_accesses: dict[int, list[int]]
    primary_access: dict[int, int]
    excluded: dict[int, frozenset[int]]
    redundant: frozenset[int]
    ignored: frozenset[int]
    watch: dict[int, list[int]] = field(default_factory=dict)
    certificate: dict[int, frozenset[int]] = field(default_factory=dict)
    certificate_users: defaultdict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    skip: dict[int, frozenset[int]] = field(default_factory=dict)
    block_graphs: dict[int, Graph] = field(default_factory=dict)

    def block_graph(self, b: int) -> Graph:
        graph = self.block_graphs.get(b)
        if graph is None:
            graph = self.block_graphs[b] = self.graph.induced(self.tree.blocks[b])
        return graph

    def watch_certificates(self) -> None:
        """Watch every vertex of a larger block with a redundant organization site below; certify it."""
        tree, c = self.tree, self.c
        redundant_accesses = [a for s in self.redundant for a in self.reached_accesses[s]]
        below = SubtreeIndex(tree.up, c.root, redundant_accesses)
        for b, members in enumerate(tree.blocks):
            top = tree.top[b]
            if top == -1 or len(members) <= 2:
                continue
            watched = [v for v in members if v != top and below.has_below(v)]
            if not watched:
                continue
            self.watch[b] = watched
            graph = self.block_graph(b)
            for v in watched:
                shared: frozenset[int] | None = None
                for a in below.below(v):
                    excluded = self.excluded[c.access_at[a].service_vertex]
                    shared = excluded if shared is None else shared & excluded
                skip = frozenset(c.killers[v]) | frozenset(c.killers[top]) | self.ignored | (shared or frozenset())
                self.skip[v] = skip
                proof = cover(graph, v, top, c.killers, c.hits, skip)
                if proof.routes is not None:
                    self.certificate[v] = proof.routes
                    for x in proof.routes:
                        self.certificate_users[x].append(v)


@dataclass(frozen=True, slots=True)
class Cover:
    """The outcome of :func:`cover`: a certificate (``routes``), or an element on every route
    (``separator``), or neither when the top cannot be reached at all."""

    routes: frozenset[int] | None = None
    separator: int | None = None


def cover(graph: Graph, v: int, top: int, killers: Sequence[Sequence[int]], hits: Sequence[Sequence[int]],
          skip: Collection[int], removed: Collection[int] = ()) -> Cover:
    """Routes from ``v`` to ``top`` (avoiding ``removed``) such that no element outside ``skip`` lies on
    all of them.

    Start from the shortest route; while some elements lie on every route so far, add the shortest route
    avoiding all of them, or else one avoiding just one of them. When not even that exists, that element
    separates ``v`` from ``top``. Each new route drops at least one shared element, so this ends.
    """
    def elements(route: list[int]) -> set[int]:
        return {e for u in route[1:-1] for e in killers[u] if e not in skip}

    blocked = set(removed)
    first = graph.shortest_path(v, top, blocked)
    if first is None:
        return Cover()
    inner = set(first[1:-1])
    common = elements(first)
    while common:
        avoid = blocked | {x for e in common for x in hits[e]}
        avoid.discard(v)
        avoid.discard(top)
        route = graph.shortest_path(v, top, avoid)
        if route is None:
            e = min(common)
            route = graph.shortest_path(v, top, (blocked | set(hits[e])) - {v, top})
            if route is None:
                return Cover(separator=e)
        inner.update(route[1:-1])
        common &= elements(route)
    return Cover(routes=frozenset(inner))


class _Cut:
    """The analysis of one cut; block-cut trees of the touched blocks are built when first needed."""

    def __init__(self, base: Baseline, removed: frozenset[int]) -> None:
        self.base = base
        self.removed = removed
        self.subs: dict[int, BlockTree] = {}
        self.sub_graphs: dict[tuple[int, int], Graph] = {}

    def sub(self, b: int) -> BlockTree:
        sub = self.subs.get(b)
        if sub is None:
            tree = self.base.tree
            alive = [v for v in tree.blocks[b] if v not in self.removed]
            sub = self.subs[b] = BlockTree(self.base.block_graph(b), tree.top[b], self.base.c.killers, (), alive)
        return sub

    def separators(self, b: int, v: int, exact: bool) -> set[int]:
        """Elements whose loss now separates ``v`` from the top of block ``b``: the new cut vertices and
        bridges on its way, and (``exact``) the shared-risk groups that separate it inside a still
        2-connected part, unless a new certificate rules them out."""
        base = self.base
        sub = self.sub(b)
        chain = sub.chain(v)
        out = {e for w in chain for e in base.c.killers[w]}
        if not exact:
            return out
        for w in chain:
            part = sub.home[w]
            members = sub.blocks[part]
            if len(members) <= 2:
                continue
            graph = self.sub_graphs.get((b, part))
            if graph is None:
                graph = self.sub_graphs[(b, part)] = base.block_graph(b).induced(members)
            top = sub.top[part]
            skip = frozenset(base.c.killers[w]) | frozenset(base.c.killers[top]) | base.ignored
            if cover(graph, w, top, base.c.killers, base.c.hits, skip).routes is None:
                out |= self.group_separators(graph, w, top, members)
        return out

    def group_separators(self, graph: Graph, v: int, top: int, members: Collection[int]) -> set[int]:
        """Elements removing two or more vertices of a 2-connected part that together separate ``v`` from
        ``top``. Such an element must hit the shortest route, so only the elements on it are tried."""
        killers, hits = self.base.c.killers, self.base.c.hits
        route = graph.shortest_path(v, top)
        if route is None:
            return set()
        inside = set(members)
        groups: dict[frozenset[int], list[int]] = {}
        for e in {e for u in route[1:-1] for e in killers[u]}:
            hit = frozenset(x for x in hits[e] if x in inside)
            if len(hit) >= 2 and v not in hit and top not in hit:
                groups.setdefault(hit, []).append(e)
        out: set[int] = set()
        for hit, elements in groups.items():
            if v not in graph.component(top, inside - hit):
                out.update(elements)
        return out

    def spof_after(self, v: int) -> set[int]:
        """All single points of failure of a still reached vertex after the cut."""
        base, out = self.base, set()
        tree = base.tree
        while v != base.c.root:
            b = tree.home[v]
            if not self.touches(b) or (v in base.certificate and not base.certificate[v] & self.removed):
                out |= tree.separators(v)
                v = tree.up[v]
            else:
                out |= self.separators(b, v, exact=True)
                v = tree.top[b]
        return out

    def touches(self, b: int) -> bool:
        return any(v in self.removed for v in self.base.tree.blocks[b])


def analyse_cut(base: Baseline, removed: frozenset[int]) -> CutVertices:
    """Who is offline, unreachable, degraded or rerouted once ``removed`` vertices are gone."""
    tree, c = base.tree, base.c
    cut = _Cut(base, removed)
    lost: set[int] = set()
    suspects: dict[int, int] = {}  # watched vertex → its block, when the cut breaks its certificate
    affected = {b for v in removed for b in tree.vertex_blocks.get(v, ()) if tree.top[b] != -1}
    for b in affected:
        members, top = tree.blocks[b], tree.top[b]
        if top in removed:
            lost.update(v for v in members if v != top)
            continue
        hit = [v for v in members if v in removed]
        if len(members) == 2 or len(hit) == 1:  # a 2-connected block survives the loss of one vertex
            lost.update(hit)
        else:
            reach = base.graph.component(top, [v for v in members if v not in removed])
            lost.update(v for v in members if v != top and v not in reach)
        for v in base.watch.get(b, ()):
            if v not in lost and (v not in base.certificate or base.certificate[v] & removed):
                suspects[v] = b

    lost_accesses = {a for v in lost for a in base.accesses_below.below(v)}
    touched = {c.access_at[a].service_vertex for a in lost_accesses}
    offline = {s for s in touched if lost_accesses.issuperset(base.reached_accesses[s])}
    unreachable = {d for v in lost for d in base.devices_below.below(v)} - removed
    degraded: set[int] = set()
    for v, b in suspects.items():
        services: dict[int, None] = {}
        for a in base.accesses_below.below(v):
            s = c.access_at[a].service_vertex
            if s in base.redundant and s not in offline:
                services[s] = None
        pending = [s for s in services if len(base.reached_accesses[s]) == 1]
        touched.update(s for s in services if len(base.reached_accesses[s]) > 1)
        if pending and v in base.certificate:  # its certificate is broken: look for another one
            found = cover(base.block_graph(b), v, tree.top[b], c.killers, c.hits, base.skip[v], removed)
            if found.routes is not None:
                continue
            if found.separator is not None:
                degraded.update(s for s in pending if found.separator not in base.excluded[s])
                pending = [s for s in pending if found.separator in base.excluded[s]]
        if pending:
            new = cut.separators(b, v, exact=True) - tree.separators(v)
            degraded.update(s for s in pending if not base.excluded[s].issuperset(new))
    for s in touched - offline - degraded:  # several accesses: what now cuts all those still up
        if s not in base.redundant:
            continue
        alive = [a for a in base.reached_accesses[s] if a not in lost_accesses]
        left = cut.spof_after(alive[0])
        for a in alive[1:]:
            left &= cut.spof_after(a)
        if not base.excluded[s].issuperset(left):
            degraded.add(s)
    rerouted = {c.access_at[a].service_vertex for v in removed for a in base.primary_below.below(v)
                if base.primary_access.get(c.access_at[a].service_vertex) == a} - offline
    return CutVertices(removed, frozenset(offline), frozenset(unreachable), frozenset(degraded),
                       frozenset(rerouted))
