"""What a set of removed vertices does: who loses the core, who loses redundancy.

Only the blocks that contain a removed vertex are looked at. In each, the vertices that no longer reach
the block's top are lost, with everything hanging below them in the block-cut tree.

Who *loses redundancy* needs more care, because a block can stay large after a cut (a ring of rings
tied together by redundant tails). Every vertex of a block with an organization site below it that was
redundant (a *watched* vertex) carries a **certificate**: two routes to the top of its block that share
no vertex and no element (duct, cable, closure, site…). While the cut leaves both routes whole, no
single further loss can cut the vertex off, so it is skipped. Only vertices whose certificate the cut
breaks are examined, in stages from cheap to exact: new cut vertices and bridges (one block-cut tree
of the block without the cut), a new certificate, and last the shared-risk groups of the block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ._blocks import BlockTree, SubtreeIndex
from ._compile import Compiled
from ._graphlib import Graph

__all__ = ("Baseline", "CutVertices", "analyse_cut", "certificate")


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
            if tree.top[b] == -1 or len(members) <= 2:
                continue
            watched = [v for v in members if v != tree.top[b] and below.has_below(v)]
            if not watched:
                continue
            self.watch[b] = watched
            graph = self.block_graph(b)
            for v in watched:
                proof = certificate(graph, v, tree.top[b], c.killers, c.hits, self.ignored, members)
                if proof is not None:
                    self.certificate[v] = proof
                    for x in proof:
                        self.certificate_users[x].append(v)


def certificate(graph: Graph, v: int, top: int, killers: Sequence[Sequence[int]], hits: Sequence[Sequence[int]],
                ignored: Collection[int], within: Collection[int]) -> frozenset[int] | None:
    """Two routes from ``v`` to ``top`` sharing no vertex and no element (elements of ``v``, ``top`` and
    ``ignored`` aside), as the set of their inner vertices; None when the first route leaves no partner."""
    first = graph.shortest_path(v, top)
    if first is None:
        return None
    inner = first[1:-1]
    skip = set(killers[v]) | set(killers[top]) | set(ignored)
    inside = within if isinstance(within, set | frozenset) else set(within)
    conflicts = set(inner)
    for u in inner:
        for e in killers[u]:
            if e not in skip:
                conflicts.update(x for x in hits[e] if x in inside)
    conflicts.discard(v)
    conflicts.discard(top)
    second = graph.shortest_path(v, top, conflicts)
    return None if second is None else frozenset(inner) | frozenset(second[1:-1])


class _Cut:
    """The analysis of one cut; block-cut trees of the touched blocks are built when first needed."""

    def __init__(self, base: Baseline, removed: frozenset[int]) -> None:
        self.base = base
        self.removed = removed
        self.subs: dict[int, BlockTree] = {}

    def sub(self, b: int, targets: Collection[int]) -> BlockTree:
        sub = self.subs.get(b)
        if sub is None:
            tree = self.base.tree
            alive = [v for v in tree.blocks[b] if v not in self.removed]
            sub = self.subs[b] = BlockTree(self.base.block_graph(b), tree.top[b], self.base.c.killers, targets,
                                           alive)
        return sub

    def separators(self, b: int, v: int, exact: bool) -> set[int]:
        """Elements whose loss now separates ``v`` from the top of block ``b``: the new cut vertices and
        bridges on its way (``exact``: and the shared-risk groups, unless a new certificate rules them out)."""
        base = self.base
        sub = self.sub(b, base.watch.get(b, ()))
        chain = sub.chain(v)
        out = {e for w in chain for e in base.c.killers[w]}
        if not exact:
            return out
        for w in chain:
            home = sub.home[w]
            if len(sub.blocks[home]) <= 2:
                continue
            graph = base.block_graph(b).induced(sub.blocks[home])
            if certificate(graph, w, sub.top[home], base.c.killers, base.c.hits, base.ignored,
                           sub.blocks[home]) is None:
                extra = sub.extra(home).get(w)
                if extra:
                    out.update(extra)
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
        single = [s for s in services if len(base.reached_accesses[s]) == 1]
        touched.update(s for s in services if len(base.reached_accesses[s]) > 1)
        if not single:
            continue
        baseline = tree.separators(v)
        new = cut.separators(b, v, exact=False) - baseline
        pending = [s for s in single if base.excluded[s].issuperset(new)]
        degraded.update(s for s in single if s not in pending)
        if pending:
            new = cut.separators(b, v, exact=True) - baseline
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
