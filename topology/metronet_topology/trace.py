"""Trace of a service: from the organization's site through access and distribution to the core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._compile import ServiceRef, VKind, cable_elements, place_elements
from .model import CableEnd, ElementKind, ElementRef, FiberHop, PlaceKind
from .network import Network, site_end
from .topology import Topology

__all__ = ("ServiceTrace", "TraceHop", "TraceLeg", "trace")


@dataclass(frozen=True, slots=True)
class TraceLeg:
    """One cable of a hop, in the direction of travel, with its segments in that order."""

    cable: str
    strand: int | None
    start: CableEnd
    end: CableEnd
    segments: tuple[str, ...]
    length_m: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"cable": self.cable, "strand": self.strand, "from": {self.start.kind.value: self.start.id},
                "to": {self.end.kind.value: self.end.id}, "segments": list(self.segments),
                "length_m": self.length_m}


@dataclass(frozen=True, slots=True)
class TraceHop:
    """One step toward the core.

    ``kind`` is ``"access"`` for the step from the organization's site to its access device (``source``
    is then the site; ``legs`` are the last-mile fibers, empty inside one building) and ``"link"`` for a
    link between two devices (``link`` is its id; ``legs`` are empty for a patch cable).
    """

    kind: str
    source: str
    target: str
    link: str | None
    legs: tuple[TraceLeg, ...]

    @property
    def closures(self) -> tuple[str, ...]:
        """Closures where the hop's cables are spliced, in order."""
        return tuple(leg.end.id for leg in self.legs[:-1] if leg.end.kind is PlaceKind.CLOSURE)

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s for leg in self.legs for s in leg.segments)

    @property
    def length_m(self) -> float | None:
        lengths = [leg.length_m for leg in self.legs]
        return None if any(x is None for x in lengths) else sum(x for x in lengths if x is not None)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "from": self.source, "to": self.target, "link": self.link,
                "legs": [leg.to_dict() for leg in self.legs], "closures": list(self.closures),
                "segments": list(self.segments), "length_m": self.length_m}


@dataclass(frozen=True, slots=True)
class ServiceTrace:
    """The usual (fewest hops) path of a service to the core; ``hops`` is empty when it has none."""

    service: ServiceRef
    hops: tuple[TraceHop, ...]
    elements: tuple[ElementRef, ...]

    @property
    def connected(self) -> bool:
        return bool(self.hops)

    @property
    def devices(self) -> tuple[str, ...]:
        """Access device first, core device last."""
        return tuple(h.target for h in self.hops)

    def render(self) -> str:
        """The trace as text, one hop per line."""
        lines = [f"{self.service.organization} @ site {self.service.site}"]
        if not self.hops:
            return lines[0] + ": no path to the core"
        for hop in self.hops:
            via = " ⟶ ".join(
                f"{leg.cable}{'' if leg.strand is None else f'#{leg.strand}'} [{', '.join(leg.segments)}]"
                + (f" ⟶ closure {leg.end.id}" if leg.end.kind is PlaceKind.CLOSURE else "")
                for leg in hop.legs
            ) or ("in building" if hop.kind == "access" else "patch")
            name = f"link {hop.link}: " if hop.link else ""
            lines.append(f"  {hop.source} ─{name}{via}─▶ {hop.target}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"service": {"id": self.service.id, "organization": self.service.organization,
                            "site": self.service.site},
                "connected": self.connected, "hops": [h.to_dict() for h in self.hops],
                "elements": [str(e) for e in self.elements]}


def _legs(net: Network, fibers: tuple[FiberHop, ...], start_site: str) -> tuple[TraceLeg, ...]:
    return tuple(
        TraceLeg(leg.cable.id, leg.hop.strand, leg.start, leg.end, leg.segments, net.cable_length_m(leg.cable))
        for leg in net.walk(fibers, site_end(start_site))
    )


def trace(topology: Topology, service: str | ServiceRef) -> ServiceTrace:
    """The path of an organization site's service to the core, hop by hop, with every cable, segment and
    closure it runs through::

        ZŠ Aléská @ site ZS-ALESKA
          ZS-ALESKA ─in building─▶ sw-aleska
          sw-aleska ─link L7: K12#3 [D-08, D-07] ⟶ closure C-3 ⟶ K4#3 [D-02]─▶ sw-pop2
          sw-pop2 ─link L2: K1#1 [D-01]─▶ sw-core

    ``service`` is a connection id (or ``org@site`` for a site served by its own devices). The path is the
    one with the fewest hops (ties: the first device and link in the data), the one cut impact calls "usual".
    """
    ref = topology.service(service)
    net, c = topology.network, topology._c
    path = topology._service_path(c.service_vertex[ref.id])
    if path is None:
        return ServiceTrace(ref, (), ())
    hops: list[TraceHop] = []
    elements: set[ElementRef] = {ElementRef(ElementKind.SITE, ref.site)}
    previous_device: str | None = None
    for v in path[:-1]:
        kind = c.kind[v]
        if kind is VKind.ACCESS:
            access = c.access_at[v]
            legs = _legs(net, access.fibers, access.start_site)
            hops.append(TraceHop("access", access.start_site, access.device, None, legs))
        elif kind is VKind.LINK:
            link = net.link_by_id[c.label[v]]
            assert previous_device is not None
            forward = link.a.device == previous_device
            near, far = (link.a, link.b) if forward else (link.b, link.a)
            fibers = link.fibers if forward else tuple(reversed(link.fibers))
            legs = _legs(net, fibers, net.device_by_id[near.device].site)
            hops.append(TraceHop("link", near.device, far.device, link.id, legs))
            elements.add(ElementRef(ElementKind.LINK, link.id))
        elif kind is VKind.DEVICE:
            previous_device = c.label[v]
            device = net.device_by_id[previous_device]
            elements |= {ElementRef(ElementKind.DEVICE, device.id), ElementRef(ElementKind.SITE, device.site)}
    for hop in hops:
        for leg in hop.legs:
            elements |= cable_elements(net, net.cable_by_id[leg.cable])
            elements |= place_elements(net, leg.start) | place_elements(net, leg.end)
    return ServiceTrace(ref, tuple(hops), tuple(sorted(elements, key=ElementRef.sort_key)))
