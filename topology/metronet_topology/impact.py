"""Cut impact: what one or several elements taken out at once do to the organizations' service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ._compile import ServiceRef, VKind
from ._cuts import CutVertices
from .model import CableEnd, ElementKind, ElementRef, PlaceKind
from .topology import Topology

__all__ = ("CutImpact", "cut_impact", "cut_impacts")


@dataclass(frozen=True, slots=True)
class CutImpact:
    """The effect of taking ``cut`` out at once.

    ``cables_cut``
        cables severed: named in the cut, running through a cut segment, or ending in a cut closure/site;
    ``links_cut``
        links that run over a cut element (their cables, segments, closures, sites) or are cut themselves;
    ``devices_down``
        devices cut themselves or standing in a cut site;
    ``devices_unreachable``
        devices still up but with no path left to the core;
    ``offline``
        organization sites that lose every path to the core;
    ``degraded``
        organization sites still connected that were redundant (no single point of failure) and no
        longer are: one more loss would cut them off;
    ``rerouted``
        organization sites whose usual (fewest hops) path ran over the cut and that stay connected over
        another one. ``offline`` and ``rerouted`` together are the services that ran over the cut.
    """

    cut: tuple[ElementRef, ...]
    cables_cut: tuple[str, ...]
    links_cut: tuple[str, ...]
    devices_down: tuple[str, ...]
    devices_unreachable: tuple[str, ...]
    offline: tuple[ServiceRef, ...]
    degraded: tuple[ServiceRef, ...]
    rerouted: tuple[ServiceRef, ...]

    @property
    def offline_organizations(self) -> tuple[str, ...]:
        """Organizations with at least one site offline (``offline`` says which sites)."""
        return tuple(sorted({s.organization for s in self.offline}))

    @property
    def degraded_organizations(self) -> tuple[str, ...]:
        return tuple(sorted({s.organization for s in self.degraded}))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for a REST answer or a CSV export."""

        def services(refs: tuple[ServiceRef, ...]) -> list[dict[str, str]]:
            return [{"id": s.id, "organization": s.organization, "site": s.site} for s in refs]

        return {
            "cut": [str(e) for e in self.cut],
            "cables_cut": list(self.cables_cut),
            "links_cut": list(self.links_cut),
            "devices_down": list(self.devices_down),
            "devices_unreachable": list(self.devices_unreachable),
            "offline": services(self.offline),
            "degraded": services(self.degraded),
            "rerouted": services(self.rerouted),
            "offline_organizations": list(self.offline_organizations),
            "degraded_organizations": list(self.degraded_organizations),
        }


def _cables_cut(topology: Topology, elements: Iterable[ElementRef]) -> tuple[str, ...]:
    net = topology.network
    cables: set[str] = set()

    def at(place: CableEnd) -> None:
        cables.update(c.id for c in net.cables_by_place.get(place, ()))

    for e in elements:
        if e.kind is ElementKind.CABLE:
            cables.add(e.id)
        elif e.kind is ElementKind.SEGMENT:
            cables.update(c.id for c in net.cables_by_segment.get(e.id, ()))
        elif e.kind is ElementKind.CLOSURE:
            at(CableEnd(PlaceKind.CLOSURE, e.id))
        elif e.kind is ElementKind.SITE:
            at(CableEnd(PlaceKind.SITE, e.id))
            for closure in net.closures_by_site.get(e.id, ()):
                at(CableEnd(PlaceKind.CLOSURE, closure.id))
    return tuple(sorted(cables))


def cut_impact(topology: Topology, elements: Iterable[ElementRef | str]) -> CutImpact:
    """Take ``elements`` out at once and tell who loses service.

    A duct segment carries many cables; cutting it cuts them all, and every link over them::

                  ┌── K1 (D-01, D-07) ── sw-pop2 ── K3 ── sw-zs ─┐
        sw-core ──┤                                              ├── ZŠ Aléská (seems redundant)
                  └── K2 (D-02, D-07) ── sw-pop3 ── K4 ── sw-zs ─┘

        cut_impact(topo, ["segment:D-07"])  → cables_cut K1, K2; links over them cut;
                                              offline: ZŠ Aléská (both cables run through D-07)
        cut_impact(topo, ["segment:D-01"])  → offline: none; rerouted: ZŠ Aléská if K1 was its usual path

    ``elements`` are ``ElementRef`` objects or strings ``"segment:D-07"``, ``"closure:C-3"``, ``"cable:K1"``,
    ``"device:sw-pop2"``, ``"site:POP-2"``, ``"link:L7"``; an unknown one raises
    :class:`~metronet_topology.errors.UnknownElementError`.
    """
    refs = tuple(sorted({topology.element(e) for e in elements}, key=ElementRef.sort_key))
    return _impact(topology, refs, topology._cut_vertices(refs))


def _impact(topology: Topology, refs: tuple[ElementRef, ...], result: CutVertices) -> CutImpact:
    return CutImpact(
        cut=refs,
        cables_cut=_cables_cut(topology, refs),
        links_cut=topology._labels(result.removed, VKind.LINK),
        devices_down=topology._labels(result.removed, VKind.DEVICE),
        devices_unreachable=topology._labels(result.unreachable_devices, VKind.DEVICE),
        offline=topology._service_refs(result.offline),
        degraded=topology._service_refs(result.degraded),
        rerouted=topology._service_refs(result.rerouted),
    )


def cut_impacts(topology: Topology, elements: Iterable[ElementRef | str]) -> dict[ElementRef, CutImpact]:
    """The impact of each element taken out alone — e.g. every segment, to colour a map by risk.

    ::

        cut_impacts(topo, [f"segment:{s.id}" for s in net.segments])
        → {segment:D-01: CutImpact(offline=(), degraded=(...)), segment:D-02: CutImpact(...), ...}

    Elements that take out the same links and devices (the segments along one cable route) share one
    computation.
    """
    refs = [topology.element(e) for e in elements]
    by_removed: dict[frozenset[int], CutVertices] = {}
    out: dict[ElementRef, CutImpact] = {}
    for ref in refs:
        removed = topology.removed_by((ref,))
        result = by_removed.get(removed)
        if result is None:
            result = by_removed[removed] = topology._cut_vertices((ref,))
        out[ref] = _impact(topology, (ref,), result)
    return out
