"""``Topology``: a network compiled into a graph, analysed once, then asked many questions.

::

    net = load_json("network.json")            # or Network(...) built by the NetBox loader
    topo = Topology(net)                       # AnalysisOptions() by default
    trace(topo, "c-17")                        # org site → access switch → … → core
    cut_impact(topo, ["segment:D-07"])         # who goes offline, who loses redundancy
    single_points_of_failure(topo)             # per organization site, with a score
    alert_dependencies(topo)                   # parents of every device toward the core
    disjoint_paths(topo, "POP-1", "POP-4")     # two routes sharing no duct, closure or cable
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ._blocks import BlockTree, SubtreeIndex
from ._compile import ServiceRef, VKind, compile_network
from ._cuts import Baseline, CutVertices, analyse_cut
from ._graphlib import Graph, make_graph
from .errors import UnknownElementError
from .model import ElementRef
from .network import Network
from .options import AnalysisOptions

__all__ = ("ServiceRef", "Topology")


class Topology:
    """A :class:`Network` analysed for the answers (:func:`trace`, :func:`cut_impact`, ...)::

        Network ──compile──▶ service graph ──▶ block-cut tree from the core ──▶ who is redundant,
                             (devices, links,                                  certificates of the
                              accesses as vertices)                            redundant ones

    Building it costs O(V + E) plus one connectivity check per shared-risk group of each larger block;
    each question afterwards touches only the blocks it concerns. Answers to cuts are cached (1,024).
    A Topology is read-only once built; build a new one when the network changes.
    """

    def __init__(self, network: Network, options: AnalysisOptions | None = None) -> None:
        self.network = network
        self.options = options or AnalysisOptions()
        c = self._c = compile_network(network, self.options)
        self._graph: Graph = make_graph(self.options.backend, len(c.kind), c.edges)
        accesses = list(c.access_at)
        tree = self._tree = BlockTree(self._graph, c.root, c.killers, accesses)
        self._distances = self._graph.distances(c.root)
        self._primary: dict[int, int] = {}
        for v, d in self._distances.items():
            if v != c.root:
                self._primary[v] = min(n for n in self._graph.neighbors(v) if self._distances.get(n) == d - 1)
        reached = {s: [a for a in c.service_accesses[s] if tree.reached(a)] for s in c.service_at}
        self._reached_accesses = reached
        none: frozenset[int] = frozenset()
        core = none if self.options.include_core else c.core_elements
        self._excluded = {s: (none if self.options.include_premises else c.premises[s]) | core
                          for s in c.service_at}
        self._base = Baseline(
            c=c, graph=self._graph, tree=tree,
            accesses_below=SubtreeIndex(tree.up, c.root, accesses),
            devices_below=SubtreeIndex(tree.up, c.root, list(c.device_vertex.values())),
            primary_below=SubtreeIndex(self._primary, c.root, accesses),
            reached_accesses=reached,
            primary_access={s: min(r, key=lambda a: (self._distances[a], a)) for s, r in reached.items() if r},
            excluded=self._excluded,
            redundant=frozenset(s for s in c.service_at if self._is_redundant(s)),
            ignored=core,
        )
        self._base.watch_certificates()
        self._cache: dict[frozenset[int], CutVertices] = {}

    # ---- services ---------------------------------------------------------------------------------

    @property
    def services(self) -> tuple[ServiceRef, ...]:
        """Every analysed organization site, sorted by organization and site."""
        return tuple(sorted(self._c.service_at.values()))

    def service(self, key: str | ServiceRef) -> ServiceRef:
        """A service by id (a connection id, or ``org@site`` for an implied one)."""
        ident = key.id if isinstance(key, ServiceRef) else key
        v = self._c.service_vertex.get(ident)
        if v is None:
            raise UnknownElementError(f"unknown service {ident!r}")
        return self._c.service_at[v]

    def services_of(self, organization: str) -> tuple[ServiceRef, ...]:
        """The analysed sites of one organization."""
        return tuple(s for s in self.services if s.organization == organization)

    def is_connected(self, service: str | ServiceRef) -> bool:
        """Whether any access of the service reaches the core."""
        return bool(self._reached_accesses[self._service_vertex(service)])

    def is_redundant(self, service: str | ServiceRef) -> bool:
        """Connected, and no single element (outside the excluded premises/core) cuts it off."""
        return self._service_vertex(service) in self._base.redundant

    def _service_vertex(self, service: str | ServiceRef) -> int:
        return self._c.service_vertex[self.service(service).id]

    def _spof(self, s: int) -> set[int]:
        """Elements whose single loss cuts every access of service ``s`` (before any cut)."""
        reached = self._reached_accesses[s]
        if not reached:
            return set()
        out = self._tree.spof(reached[0])
        for a in reached[1:]:
            out &= self._tree.spof(a)
        return out

    def _is_redundant(self, s: int) -> bool:
        reached = self._reached_accesses[s]
        if len(reached) != 1:
            return bool(reached) and self._excluded[s].issuperset(self._spof(s))
        excluded, tree = self._excluded[s], self._tree
        for w in tree.chain(reached[0]):  # one access: stop at the first separator that counts
            if not excluded.issuperset(tree.killers[w]):
                return False
            extra = tree.extra(tree.home[w]).get(w)
            if extra and not excluded.issuperset(extra):
                return False
        return True

    # ---- elements ---------------------------------------------------------------------------------

    def element(self, ref: ElementRef | str) -> ElementRef:
        """Check an element (``ElementRef`` or ``"kind:id"``) against the network."""
        element = ElementRef.parse(ref) if isinstance(ref, str) else ref
        if element not in self._c.element_index:
            raise UnknownElementError(f"unknown {element.kind.value} {element.id!r}")
        return element

    def removed_by(self, elements: Iterable[ElementRef]) -> frozenset[int]:
        """What ``elements`` take out, as opaque vertex ids: two element sets with equal results have the
        same impact on service (the segments along one cable route, say), so the work can be shared."""
        return frozenset(v for e in elements for v in self._c.hits[self._c.element(e)])

    def spof_elements(self, service: str | ServiceRef) -> tuple[ElementRef, ...]:
        """The elements whose single loss cuts ``service`` off, premises/core excluded per the options."""
        s = self._service_vertex(service)
        return self._c.refs(self._spof(s) - self._excluded[s])

    def path_elements(self, service: str | ServiceRef) -> int:
        """How many elements (premises/core excluded per the options) the service's usual path uses."""
        s = self._service_vertex(service)
        path = self._service_path(s)
        if path is None:
            return 0
        return len({e for v in path for e in self._c.killers[v]} - self._excluded[s])

    # ---- cuts -------------------------------------------------------------------------------------

    def _cut(self, removed: frozenset[int]) -> CutVertices:
        cached = self._cache.get(removed)
        if cached is None:
            cached = self._cache[removed] = analyse_cut(self._base, removed)
            if len(self._cache) > 1024:
                self._cache.pop(next(iter(self._cache)))
        return cached

    def clear_cache(self) -> None:
        """Forget the cuts computed so far (they are kept, up to 1,024, for repeated questions)."""
        self._cache.clear()

    # ---- for the answer modules of this package ---------------------------------------------------

    def _primary_path(self, v: int) -> list[int] | None:
        """Vertices from ``v`` to the root along the primary (fewest hops) path, or None if unreachable."""
        if v not in self._distances:
            return None
        path = [v]
        while path[-1] != self._c.root:
            path.append(self._primary[path[-1]])
        return path

    def _service_path(self, s: int) -> list[int] | None:
        """The primary path of service vertex ``s``: from its nearest access to the root."""
        access = self._base.primary_access.get(s)
        return None if access is None else self._primary_path(access)

    def _cut_vertices(self, elements: Sequence[ElementRef]) -> CutVertices:
        return self._cut(self.removed_by(elements))

    def _labels(self, vertices: Iterable[int], kind: VKind) -> tuple[str, ...]:
        return tuple(sorted(self._c.label[v] for v in vertices if self._c.kind[v] is kind))

    def _service_refs(self, vertices: Iterable[int]) -> tuple[ServiceRef, ...]:
        return tuple(sorted(self._c.service_at[v] for v in vertices))
