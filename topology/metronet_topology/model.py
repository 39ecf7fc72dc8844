"""The input model: plain, frozen records of the physical plant and of the logical network.

The records mirror the plugin's models (``netbox_metronet.models``) and NetBox core objects, keyed by a
string ``id`` (the loader from NetBox uses primary keys or unique names; hand-made data uses readable names)::

    Organization ──< Site (dcim.Site, in a town part)
                      │
    RouteSegment <──┐ │   FiberCable: A end and B end at a Site or a SpliceClosure,
    (duct, length)  └─┼── laid along ordered RouteSegments, strand_count strands
                      │
    SpliceClosure ────┘   Splice: strand ↔ strand inside a closure where both cables end

    Device (at a Site, role) ── Link ── Device       a patch cable within one site, or a lit fiber path:
                                 └── fibers: ordered (cable, strand) hops from A's site to B's site

    Connection: an organization's site served by access interfaces (and, when the access switch is
    elsewhere, the last-mile fibers from the organization's site to it)

All references are by id; :class:`metronet_topology.network.Network` checks them and names the bad entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = (
    "CableEnd",
    "Connection",
    "Device",
    "ElementKind",
    "ElementRef",
    "Endpoint",
    "FiberCable",
    "FiberHop",
    "Link",
    "Organization",
    "PlaceKind",
    "RouteSegment",
    "Site",
    "Splice",
    "SpliceClosure",
    "StrandRef",
)


class ElementKind(StrEnum):
    """What can be taken out (cut, burnt, switched off) — in the order results list them."""

    SITE = "site"
    CLOSURE = "closure"
    SEGMENT = "segment"
    CABLE = "cable"
    DEVICE = "device"
    LINK = "link"


_KIND_ORDER = {kind: i for i, kind in enumerate(ElementKind)}


@dataclass(frozen=True, slots=True)
class ElementRef:
    """One element of the network, e.g. ``ElementRef(ElementKind.SEGMENT, "D-07")`` or ``segment:D-07``."""

    kind: ElementKind
    id: str

    @classmethod
    def parse(cls, text: str) -> ElementRef:
        """``"segment:D-07"`` → ``ElementRef(ElementKind.SEGMENT, "D-07")`` (ValueError on a bad kind)."""
        kind, sep, ident = text.partition(":")
        if not sep or not ident:
            raise ValueError(f"{text!r}: expected '<kind>:<id>', kind one of {', '.join(ElementKind)}")
        try:
            return cls(ElementKind(kind), ident)
        except ValueError:
            raise ValueError(f"{text!r}: unknown kind {kind!r}, expected one of {', '.join(ElementKind)}") from None

    def sort_key(self) -> tuple[int, str]:
        return _KIND_ORDER[self.kind], self.id

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


class PlaceKind(StrEnum):
    """Where a fiber cable can end."""

    SITE = "site"
    CLOSURE = "closure"


@dataclass(frozen=True, slots=True)
class CableEnd:
    """A cable end: at a site (``PlaceKind.SITE``) or in a splice closure (``PlaceKind.CLOSURE``)."""

    kind: PlaceKind
    id: str

    def element(self) -> ElementRef:
        return ElementRef(ElementKind(self.kind.value), self.id)

    def __str__(self) -> str:
        return f"{self.kind.value} {self.id!r}"


@dataclass(frozen=True, slots=True)
class Organization:
    """A town organization (``tenancy.Tenant`` with its MetroNet profile)."""

    id: str
    name: str = ""
    kind: str = ""
    town_part: str = ""
    contact: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Site:
    """A building (``dcim.Site``): a POP, the core, or an organization's site; ``town_part`` is its region."""

    id: str
    name: str = ""
    organizations: tuple[str, ...] = ()
    town_part: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class SpliceClosure:
    """A splice closure; ``site`` when it is inside a building (it then fails with the building)."""

    id: str
    name: str = ""
    site: str | None = None


@dataclass(frozen=True, slots=True)
class RouteSegment:
    """A piece of civil route (duct, microduct, aerial span); many cables may run through it."""

    id: str
    name: str = ""
    kind: str = ""
    length_m: float | None = None


@dataclass(frozen=True, slots=True)
class FiberCable:
    """A fiber cable between two places, along ``segments`` ordered from its A end to its B end."""

    id: str
    a: CableEnd
    b: CableEnd
    segments: tuple[str, ...] = ()
    strand_count: int | None = None
    length_m: float | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class StrandRef:
    """Strand ``number`` (1-based) of cable ``cable``."""

    cable: str
    number: int

    def __str__(self) -> str:
        return f"{self.cable}#{self.number}"


@dataclass(frozen=True, slots=True)
class Splice:
    """Two strands joined inside ``closure``; both cables end in it."""

    closure: str
    a: StrandRef
    b: StrandRef
    loss_db: float | None = None


@dataclass(frozen=True, slots=True)
class Device:
    """An active device (``dcim.Device``) at a site. ``interfaces``, when given, are checked on links."""

    id: str
    site: str
    role: str = ""
    name: str = ""
    interfaces: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An interface of a device (``interface`` may be empty when unknown)."""

    device: str
    interface: str = ""

    def __str__(self) -> str:
        return f"{self.device} {self.interface}".strip()


@dataclass(frozen=True, slots=True)
class FiberHop:
    """One cable of a fiber path, optionally with the strand used in it."""

    cable: str
    strand: int | None = None

    def __str__(self) -> str:
        return self.cable if self.strand is None else f"{self.cable}#{self.strand}"


@dataclass(frozen=True, slots=True)
class Link:
    """A link between two device interfaces.

    Without ``fibers`` it is a patch cable (``dcim.Cable``) and both devices are at one site; with
    ``fibers`` it is a lit fiber path whose cables run, in order, from A's site to B's site (through
    closures where consecutive cables are spliced, or sites where they are patched through).
    """

    id: str
    a: Endpoint
    b: Endpoint
    fibers: tuple[FiberHop, ...] = ()
    name: str = ""

    @property
    def is_fiber(self) -> bool:
        return bool(self.fibers)


@dataclass(frozen=True, slots=True)
class Connection:
    """An organization's site served by the network (the plugin's ``Connection``).

    ``access`` are the interfaces that serve it; when empty, every device at the site serves it.
    ``fibers`` is the last-mile fiber path from the organization's site to the access devices' site,
    when the access switch is not in the organization's building. Only connections whose ``status`` is in
    :attr:`AnalysisOptions.service_statuses` are analysed.
    """

    id: str
    organization: str
    site: str
    access: tuple[Endpoint, ...] = ()
    fibers: tuple[FiberHop, ...] = ()
    status: str = "connected"
    bandwidth_mbps: int | None = None
