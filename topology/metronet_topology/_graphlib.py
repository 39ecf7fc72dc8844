"""The small interface the answers need from a graph library, with a networkx and a rustworkx version.

Vertices are integers; edges carry a float weight (used by shortest paths only). The answers never touch
the libraries directly, so the choice stays one option (:attr:`AnalysisOptions.backend`) and the
benchmark runs both on the same data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from .options import BackendName

__all__ = ("Graph", "make_graph")


class Graph(Protocol):
    """An undirected simple graph; vertex ids are those given when it was built."""

    def neighbors(self, v: int) -> Iterable[int]: ...

    def degree(self, v: int) -> int: ...

    def induced(self, vertices: Collection[int]) -> Graph:
        """The subgraph induced on ``vertices``, as a graph of its own (same vertex ids)."""
        ...

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
    """A graph on ``0..n-1`` built with the named library (imported only when used)."""
    if backend == "rustworkx":
        import rustworkx as rx

        graph: rx.PyGraph[int, float] = rx.PyGraph(multigraph=False)
        graph.add_nodes_from(range(n))
        graph.add_edges_from(list(edges))
        return _RxGraph(graph)
    if backend == "networkx":
        import networkx as nx

        nx_graph: nx.Graph[int] = nx.Graph()
        nx_graph.add_nodes_from(range(n))
        nx_graph.add_weighted_edges_from(edges, weight="w")
        return _NxGraph(nx_graph)
    raise ValueError(f"unknown graph backend {backend!r} (rustworkx or networkx)")


class _RxGraph:
    """A rustworkx graph whose node payloads are the vertex ids (node indices differ in subgraphs)."""

    def __init__(self, graph: object) -> None:
        import rustworkx as rx

        assert isinstance(graph, rx.PyGraph)
        self._rx = rx
        self._g: rx.PyGraph[int, float] = graph
        self._ids: list[int] = graph.nodes()
        self._index = {v: i for i, v in enumerate(self._ids)}

    def _sub(self, vertices: Collection[int]) -> tuple[object, list[int]]:
        sub = self._g.subgraph([self._index[v] for v in vertices if v in self._index])
        return sub, sub.nodes()

    def neighbors(self, v: int) -> Iterable[int]:
        return [self._ids[i] for i in self._g.neighbors(self._index[v])]

    def degree(self, v: int) -> int:
        return self._g.degree(self._index[v])

    def induced(self, vertices: Collection[int]) -> Graph:
        return _RxGraph(self._sub(vertices)[0])

    def blocks(self, vertices: Collection[int] | None = None) -> list[list[int]]:
        graph, ids = (self._g, self._ids) if vertices is None else self._sub(vertices)
        assert isinstance(graph, self._rx.PyGraph)
        groups: dict[int, set[int]] = {}
        for (u, v), comp in self._rx.biconnected_components(graph).items():
            group = groups.setdefault(comp, set())
            group.add(ids[u])
            group.add(ids[v])
        return [list(group) for group in groups.values()]

    def component(self, source: int, vertices: Collection[int]) -> set[int]:
        graph, ids = self._sub(vertices)
        assert isinstance(graph, self._rx.PyGraph)
        try:
            local = ids.index(source)
        except ValueError:
            return set()
        return {ids[i] for i in self._rx.node_connected_component(graph, local)}

    def distances(self, source: int) -> dict[int, int]:
        layers = self._rx.bfs_layers(self._g, [self._index[source]])
        return {self._ids[i]: depth for depth, layer in enumerate(layers) for i in layer}

    def shortest_path(self, source: int, target: int, removed: Collection[int] = ()) -> list[int] | None:
        if source in removed or target in removed or source not in self._index or target not in self._index:
            return None
        graph = self._g
        if removed:
            graph = graph.copy()
            graph.remove_nodes_from([self._index[v] for v in removed if v in self._index])
        paths = self._rx.dijkstra_shortest_paths(graph, self._index[source], target=self._index[target],
                                                 weight_fn=float)
        local = self._index[target]
        return [self._ids[i] for i in paths[local]] if local in paths else None


class _NxGraph:
    def __init__(self, graph: object) -> None:
        import networkx as nx

        assert isinstance(graph, nx.Graph)
        self._nx = nx
        self._g: nx.Graph[int] = graph

    def neighbors(self, v: int) -> Iterable[int]:
        return self._g.adj[v]

    def degree(self, v: int) -> int:
        return len(self._g.adj[v])

    def induced(self, vertices: Collection[int]) -> Graph:
        return _NxGraph(self._g.subgraph(vertices).copy())

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
        if source in removed or target in removed or source not in self._g or target not in self._g:
            return None
        graph = self._nx.restricted_view(self._g, removed, []) if removed else self._g
        try:
            path: list[int] = self._nx.dijkstra_path(graph, source, target, weight="w")
        except self._nx.NetworkXNoPath:
            return None
        return path
