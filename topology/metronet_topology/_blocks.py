"""Which single losses separate a vertex from the root: the block-cut tree, corrected for shared risk.

The biconnected components (blocks) of the graph form a tree rooted at the root vertex::

    ROOT ─[B0]─ core ─[B1: ring]─ pop2 ─[B2]─ link ─[B3]─ sw-school ─[B4]─ access ─[B5]─ service
                     (cut vertices: core, pop2, link, sw-school, access)

A vertex reaches the root through the chain of blocks above it, entering each block at one vertex and
leaving it at the block's top. It is cut off by the loss of an element exactly when, in one of those
blocks, the element's hits separate the entry from the top. In a block of two vertices (a bridge) any
hit does. In a larger block one removed vertex never does (it is 2-connected), but an element that
removes several vertices at once may: a duct carrying both directions of a ring. Those elements are
grouped by the vertices they remove and tried once per group.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from ._graphlib import Graph

__all__ = ("BlockTree", "SubtreeIndex")


class BlockTree:
    """The block-cut tree of the subgraph on ``vertices`` (all when None), rooted at ``root``.

    ``killers[v]`` are the elements whose loss removes ``v``. ``targets`` are the vertices whose single
    points of failure will be asked for; only blocks on their chains are examined.
    """

    def __init__(self, graph: Graph, root: int, killers: Sequence[Sequence[int]], targets: Iterable[int],
                 vertices: Collection[int] | None = None) -> None:
        self.graph = graph
        self.root = root
        self.killers = killers
        self.blocks = graph.blocks(vertices)
        self.vertex_blocks: defaultdict[int, list[int]] = defaultdict(list)
        for b, members in enumerate(self.blocks):
            for v in members:
                self.vertex_blocks[v].append(b)
        self.top: list[int] = [-1] * len(self.blocks)
        self.home: dict[int, int] = {}
        self.up: dict[int, int] = {}
        self.order: list[int] = [root]
        for v in self.order:  # breadth-first over the block-cut tree; the list grows while iterated
            for b in self.vertex_blocks.get(v, ()):
                if self.top[b] != -1:
                    continue
                self.top[b] = v
                for w in self.blocks[b]:
                    if w != v and w != root and w not in self.home:
                        self.home[w] = b
                        self.up[w] = v
                        self.order.append(w)
        self.marked: set[int] = set()
        for t in targets:
            while t != root and t in self.home and t not in self.marked:
                self.marked.add(t)
                t = self.up[t]
        self._extra: dict[int, dict[int, list[int]]] = {}

    def reached(self, v: int) -> bool:
        return v == self.root or v in self.home

    def chain(self, v: int) -> list[int]:
        """``v`` and the vertices through which its chain of blocks leaves toward the root (root excluded)."""
        out = []
        while v != self.root:
            out.append(v)
            v = self.up[v]
        return out

    def separators(self, v: int) -> set[int]:
        """Elements whose loss separates ``v`` from the top of its own block (``v``'s killers included)."""
        out = set(self.killers[v])
        extra = self.extra(self.home[v]).get(v)
        if extra:
            out.update(extra)
        return out

    def spof(self, v: int) -> set[int]:
        """Every element whose single loss separates reached vertex ``v`` from the root."""
        out: set[int] = set()
        for w in self.chain(v):
            out.update(self.killers[w])
            extra = self.extra(self.home[w]).get(w)
            if extra:
                out.update(extra)
        return out

    def extra(self, b: int) -> dict[int, list[int]]:
        """For the marked vertices of block ``b``: elements that separate them from the top together."""
        cached = self._extra.get(b)
        if cached is not None:
            return cached
        result: dict[int, list[int]] = {}
        self._extra[b] = result
        members = self.blocks[b]
        top = self.top[b]
        marked = [v for v in members if v != top and v in self.marked]
        if len(members) <= 2 or not marked:
            return result
        hits: defaultdict[int, list[int]] = defaultdict(list)
        for v in members:
            for e in self.killers[v]:
                hits[e].append(v)
        groups: dict[frozenset[int], list[int]] = {}
        marked_set = set(marked)
        for e, hit in hits.items():
            if len(hit) < 2 or top in hit:  # one vertex never separates a block; the top's killers are above
                continue
            reduced = self._reduce(hit, marked_set)
            if len(reduced) >= 2:
                groups.setdefault(reduced, []).append(e)
        if not groups:
            return result
        member_set = set(members)
        for removed, elements in groups.items():
            reach = self.graph.component(top, member_set - removed)
            for v in marked:
                if v not in reach:
                    result.setdefault(v, []).extend(elements)
        return result

    def _reduce(self, hit: list[int], marked: set[int]) -> frozenset[int]:
        """Drop removed vertices that would only be left hanging: an unmarked vertex of degree ≤ 2 with a
        removed neighbour is a leaf once that neighbour is gone, and removing a leaf separates nothing."""
        current = set(hit)
        for x in hit:
            if x in marked or self.graph.degree(x) > 2:
                continue
            if any(n != x and n in current for n in self.graph.neighbors(x)):
                current.discard(x)
        return frozenset(current)


class SubtreeIndex:
    """Descendants of a vertex in a tree given by parent pointers, as slices of one depth-first order."""

    def __init__(self, parent: Mapping[int, int], root: int, keep: Iterable[int]) -> None:
        children: defaultdict[int, list[int]] = defaultdict(list)
        for v, p in parent.items():
            children[p].append(v)
        self.tin: dict[int, int] = {}
        self.tout: dict[int, int] = {}
        order: list[int] = []
        stack = [(root, False)]
        while stack:
            v, done = stack.pop()
            if done:
                self.tout[v] = len(order) - 1
                continue
            self.tin[v] = len(order)
            order.append(v)
            stack.append((v, True))
            stack.extend((c, False) for c in sorted(children.get(v, ()), reverse=True))
        kept = sorted((self.tin[v], v) for v in keep if v in self.tin)
        self._positions = [pos for pos, _ in kept]
        self._vertices = [v for _, v in kept]

    def below(self, v: int) -> list[int]:
        """The kept vertices in the subtree of ``v`` (``v`` included), empty when ``v`` is not in the tree."""
        start = self.tin.get(v)
        if start is None:
            return []
        lo = bisect.bisect_left(self._positions, start)
        hi = bisect.bisect_right(self._positions, self.tout[v])
        return self._vertices[lo:hi]

    def has_below(self, v: int) -> bool:
        start = self.tin.get(v)
        if start is None:
            return False
        lo = bisect.bisect_left(self._positions, start)
        return lo < len(self._positions) and self._positions[lo] <= self.tout[v]
