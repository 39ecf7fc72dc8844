"""The small interface the answers need from a graph library, with a networkx and a rustworkx version.

Vertices are the integers ``0..n-1``; edges carry a float weight (used by shortest paths only). The
answers never touch the libraries directly, so the choice stays one option
(:attr:`AnalysisOptions.backend`) and the benchmark can run both on the same data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from .options import BackendName

__all__ = ("Graph", "make_graph")


class Graph(Protocol):
    """An undirected simple graph on ``0..n-1``."""

    def neighbors(self, v: int) -> Iterable[int]: ...

    def degree(self, v: int) -> int: ...

    def blocks(self, vertices: Collection[int] | None = None) -> list[list[int]]:
        """Biconnected components (vertex lists) of the subgraph induced on ``vertices`` (all when None)."""
        ...

    def component(self, source: int, vertices: Collection[int]) -> set[int]:
        """Vertices connected to ``source`` in the subgraph induced on ``vertices``."""
        ...

    def distances(self, source: int) -> dict[int, int]:
        """Hop distance from ``source`` of every vertex it reaches."""
        ...

    def shortest_path(self, source: int, target: int, removed: Collection[int] = ()) -> list[int] | None:
        """Lightest path by edge weight avoiding ``removed`` vertices, or None."""
        ...


def make_graph(backend: BackendName, n: int, edges: Sequence[tuple[int, int, float]]) -> Graph:
    """Build a graph with the named library (imported only when used)."""
    if backend == "rustworkx":
        return _RxGraph(n, edges)
    if backend == "networkx":
        return _NxGraph(n, edges)
    raise ValueError(f"unknown graph backend {backend!r} (rustworkx or networkx)")


class _RxGraph:
    def __init__(self, n: int, edges: Sequence[tuple[int, int, float]]) -> None:
        import rustworkx as rx

        self._rx = rx
        graph: rx.PyGraph[int, float] = rx.PyGraph(multigraph=False)
        graph.add_nodes_from(range(n))
        graph.add_edges_from(list(edges))
        self._g = graph

    def neighbors(self, v: int) -> Iterable[int]:
        return self._g.neighbors(v)

    def degree(self, v: int) -> int:
        return self._g.degree(v)

    def blocks(self, vertices: Collection[int] | None = None) -> list[list[int]]:
        graph = self._g if vertices is None else self._g.subgraph(list(vertices))
        payload = graph.nodes()  # the payload of a vertex is its id, also in a subgraph
        groups: dict[int, set[int]] = {}
        for (u, v), comp in self._rx.biconnected_components(graph).items():
            group = groups.setdefault(comp, set())
            group.add(payload[u])
            group.add(payload[v])
        return [list(group) for group in groups.values()]

    def component(self, source: int, vertices: Collection[int]) -> set[int]:
        sub = self._g.subgraph(list(vertices))
        payload = sub.nodes()
        try:
            local = payload.index(source)
        except ValueError:
            return set()
        return {payload[i] for i in self._rx.node_connected_component(sub, local)}

    def distances(self, source: int) -> dict[int, int]:
        return {v: depth for depth, layer in enumerate(self._rx.bfs_layers(self._g, [source])) for v in layer}

    def shortest_path(self, source: int, target: int, removed: Collection[int] = ()) -> list[int] | None:
        graph = self._g
        if removed:
            graph = graph.copy()
            graph.remove_nodes_from(list(removed))
            if source in removed or target in removed:
                return None
        paths = self._rx.dijkstra_shortest_paths(graph, source, target=target, weight_fn=float)
        if target not in paths:
            return None
        return list(paths[target])


class _NxGraph:
    def __init__(self, n: int, edges: Sequence[tuple[int, int, float]]) -> None:
        import networkx as nx

        self._nx = nx
        graph: nx.Graph[int] = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_weighted_edges_from(edges, weight="w")
        self._g = graph

    def neighbors(self, v: int) -> Iterable[int]:
        return self._g.adj[v]

    def degree(self, v: int) -> int:
        return len(self._g.adj[v])

    def blocks(self, vertices: Collection[int] | None = None) -> list[list[int]]:
        graph = self._g if vertices is None else self._g.subgraph(vertices)
        # types-networkx declares the items as lists of sets; networkx yields one set per block
        blocks: Iterable[Iterable[int]] = self._nx.biconnected_components(graph)  # type: ignore[assignment]
        return [list(block) for block in blocks]

    def component(self, source: int, vertices: Collection[int]) -> set[int]:
        if source not in vertices:
            return set()
        return set(self._nx.node_connected_component(self._g.subgraph(vertices), source))

    def distances(self, source: int) -> dict[int, int]:
        return dict(self._nx.single_source_shortest_path_length(self._g, source))

    def shortest_path(self, source: int, target: int, removed: Collection[int] = ()) -> list[int] | None:
        if source in removed or target in removed:
            return None
        graph = self._nx.restricted_view(self._g, removed, []) if removed else self._g
        try:
            path: list[int] = self._nx.dijkstra_path(graph, source, target, weight="w")
        except self._nx.NetworkXNoPath:
            return None
        return path
