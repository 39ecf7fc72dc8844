"""``Network``: the whole input, checked once, with the look-ups the answers need.

Every problem is reported with the path of the bad entry, which is also its JSON path::

    cables[3].segments[1]: unknown segment 'D-07'
    links[2].fibers: the path ends at closure 'C-3', not at site 'ZS-ALESKA' of device 'sw-aleska'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .errors import NetworkError, UnknownElementError
from .model import (
    CableEnd,
    Connection,
    Device,
    Endpoint,
    FiberCable,
    FiberHop,
    Link,
    Organization,
    PlaceKind,
    RouteSegment,
    Site,
    Splice,
    SpliceClosure,
    StrandRef,
)

__all__ = ("FiberLeg", "Network")


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class FiberLeg:
    """One cable of a walked fiber path, in the direction of travel (``segments`` reordered to match)."""

    hop: FiberHop
    cable: FiberCable
    start: CableEnd
    end: CableEnd
    segments: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    """The physical and logical network. Construction checks every reference and raises
    :class:`~metronet_topology.errors.NetworkError` listing all problems.

    A ring of two POPs and a school, drawn with its ids::

        site CORE [sw-core] ══K1 (D-01, D-02)══ site POP [sw-pop] ══K2 (D-03)══ site ZS [sw-zs]
               ╚═══════════════════════K3 (D-04) via closure C-1, K4 (D-05)══════════╝
    """

    sites: tuple[Site, ...]
    core_sites: tuple[str, ...]
    organizations: tuple[Organization, ...] = ()
    closures: tuple[SpliceClosure, ...] = ()
    segments: tuple[RouteSegment, ...] = ()
    cables: tuple[FiberCable, ...] = ()
    splices: tuple[Splice, ...] = ()
    devices: tuple[Device, ...] = ()
    links: tuple[Link, ...] = ()
    connections: tuple[Connection, ...] = ()
    core_devices: tuple[str, ...] = ()

    site_by_id: Mapping[str, Site] = field(init=False, repr=False, compare=False)
    organization_by_id: Mapping[str, Organization] = field(init=False, repr=False, compare=False)
    closure_by_id: Mapping[str, SpliceClosure] = field(init=False, repr=False, compare=False)
    segment_by_id: Mapping[str, RouteSegment] = field(init=False, repr=False, compare=False)
    cable_by_id: Mapping[str, FiberCable] = field(init=False, repr=False, compare=False)
    device_by_id: Mapping[str, Device] = field(init=False, repr=False, compare=False)
    link_by_id: Mapping[str, Link] = field(init=False, repr=False, compare=False)
    connection_by_id: Mapping[str, Connection] = field(init=False, repr=False, compare=False)
    devices_by_site: Mapping[str, tuple[Device, ...]] = field(init=False, repr=False, compare=False)
    cables_by_place: Mapping[CableEnd, tuple[FiberCable, ...]] = field(init=False, repr=False, compare=False)
    cables_by_segment: Mapping[str, tuple[FiberCable, ...]] = field(init=False, repr=False, compare=False)
    closures_by_site: Mapping[str, tuple[SpliceClosure, ...]] = field(init=False, repr=False, compare=False)
    splice_partner: Mapping[tuple[str, StrandRef], StrandRef] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        errors: list[str] = []
        put = object.__setattr__
        put(self, "site_by_id", _index("sites", "site", self.sites, errors))
        put(self, "organization_by_id", _index("organizations", "organization", self.organizations, errors))
        put(self, "closure_by_id", _index("closures", "closure", self.closures, errors))
        put(self, "segment_by_id", _index("segments", "segment", self.segments, errors))
        put(self, "cable_by_id", _index("cables", "cable", self.cables, errors))
        put(self, "device_by_id", _index("devices", "device", self.devices, errors))
        put(self, "link_by_id", _index("links", "link", self.links, errors))
        put(self, "connection_by_id", _index("connections", "connection", self.connections, errors))
        by_site: defaultdict[str, list[Device]] = defaultdict(list)
        for device in self.devices:
            by_site[device.site].append(device)
        put(self, "devices_by_site", {k: tuple(v) for k, v in by_site.items()})
        by_place: defaultdict[CableEnd, list[FiberCable]] = defaultdict(list)
        by_segment: defaultdict[str, list[FiberCable]] = defaultdict(list)
        for cable in self.cables:
            by_place[cable.a].append(cable)
            if cable.b != cable.a:
                by_place[cable.b].append(cable)
            for segment in dict.fromkeys(cable.segments):
                by_segment[segment].append(cable)
        put(self, "cables_by_place", {k: tuple(v) for k, v in by_place.items()})
        put(self, "cables_by_segment", {k: tuple(v) for k, v in by_segment.items()})
        closures_by_site: defaultdict[str, list[SpliceClosure]] = defaultdict(list)
        for closure in self.closures:
            if closure.site is not None:
                closures_by_site[closure.site].append(closure)
        put(self, "closures_by_site", {k: tuple(v) for k, v in closures_by_site.items()})
        put(self, "splice_partner", {})
        _Checker(self, errors).run()
        if errors:
            raise NetworkError(errors)

    # ---- look-ups used by the answers -------------------------------------------------------------

    def device(self, device_id: str) -> Device:
        """A device by id (UnknownElementError when there is none)."""
        try:
            return self.device_by_id[device_id]
        except KeyError:
            raise UnknownElementError(f"unknown device {device_id!r}") from None

    def site(self, site_id: str) -> Site:
        """A site by id (UnknownElementError when there is none)."""
        try:
            return self.site_by_id[site_id]
        except KeyError:
            raise UnknownElementError(f"unknown site {site_id!r}") from None

    def cable_length_m(self, cable: FiberCable) -> float | None:
        """The measured length, else the sum of its segments' lengths (None when one is unknown)."""
        if cable.length_m is not None:
            return cable.length_m
        lengths = [self.segment_by_id[s].length_m for s in cable.segments]
        if not lengths or any(length is None for length in lengths):
            return None
        return sum(length for length in lengths if length is not None)

    def walk(self, fibers: Iterable[FiberHop], start: CableEnd) -> list[FiberLeg]:
        """The cables of a (valid) fiber path from ``start``, each oriented in the direction of travel."""
        legs: list[FiberLeg] = []
        here = start
        for hop in fibers:
            cable = self.cable_by_id[hop.cable]
            if cable.a == here:
                legs.append(FiberLeg(hop, cable, cable.a, cable.b, cable.segments))
                here = cable.b
            else:
                legs.append(FiberLeg(hop, cable, cable.b, cable.a, tuple(reversed(cable.segments))))
                here = cable.a
        return legs


def site_end(site_id: str) -> CableEnd:
    """The cable end at site ``site_id``."""
    return CableEnd(PlaceKind.SITE, site_id)


def _index[T: _HasId](path: str, noun: str, items: tuple[T, ...], errors: list[str]) -> dict[str, T]:
    index: dict[str, T] = {}
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if not item.id:
            errors.append(f"{path}[{i}].id: a {noun} needs a non-empty id")
        elif item.id in index:
            errors.append(f"{path}[{i}].id: duplicate {noun} {item.id!r} (first at {path}[{first[item.id]}])")
        else:
            index[item.id] = item
            first[item.id] = i
    return index


class _Checker:
    """Reference and consistency checks; each problem is appended with the path of the bad entry."""

    def __init__(self, net: Network, errors: list[str]) -> None:
        self.net = net
        self.errors = errors
        self.strand_user: dict[StrandRef, str] = {}
        self.port_user: dict[Endpoint, str] = {}

    def err(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def run(self) -> None:
        net = self.net
        for i, site in enumerate(net.sites):
            for j, org in enumerate(site.organizations):
                if org not in net.organization_by_id:
                    self.err(f"sites[{i}].organizations[{j}]", f"unknown organization {org!r}")
        for i, closure in enumerate(net.closures):
            if closure.site is not None and closure.site not in net.site_by_id:
                self.err(f"closures[{i}].site", f"unknown site {closure.site!r}")
        for i, segment in enumerate(net.segments):
            if segment.length_m is not None and segment.length_m < 0:
                self.err(f"segments[{i}].length_m", f"a length cannot be negative ({segment.length_m})")
        for i, cable in enumerate(net.cables):
            self.check_cable(i, cable)
        for i, splice in enumerate(net.splices):
            self.check_splice(i, splice)
        for i, device in enumerate(net.devices):
            if device.site not in net.site_by_id:
                self.err(f"devices[{i}].site", f"unknown site {device.site!r}")
            if len(set(device.interfaces)) != len(device.interfaces):
                self.err(f"devices[{i}].interfaces", "an interface is listed twice")
        for i, link in enumerate(net.links):
            self.check_link(i, link)
        for i, connection in enumerate(net.connections):
            self.check_connection(i, connection)
        if not net.core_sites:
            self.err("core_sites", "name at least one core site")
        for i, site_id in enumerate(net.core_sites):
            if site_id not in net.site_by_id:
                self.err(f"core_sites[{i}]", f"unknown site {site_id!r}")
        for i, device_id in enumerate(net.core_devices):
            if device_id not in net.device_by_id:
                self.err(f"core_devices[{i}]", f"unknown device {device_id!r}")

    def place_known(self, path: str, end: CableEnd) -> bool:
        known = end.id in (self.net.site_by_id if end.kind is PlaceKind.SITE else self.net.closure_by_id)
        if not known:
            self.err(path, f"unknown {end}")
        return known

    def check_cable(self, i: int, cable: FiberCable) -> None:
        path = f"cables[{i}]"
        self.place_known(f"{path}.a", cable.a)
        self.place_known(f"{path}.b", cable.b)
        if cable.a == cable.b and cable.a.kind is PlaceKind.CLOSURE:
            self.err(f"{path}.b", f"both ends are in {cable.a}; a cable runs between two places")
        for j, segment in enumerate(cable.segments):
            if segment not in self.net.segment_by_id:
                self.err(f"{path}.segments[{j}]", f"unknown segment {segment!r}")
        if cable.strand_count is not None and cable.strand_count < 1:
            self.err(f"{path}.strand_count", f"a cable has at least one strand (got {cable.strand_count})")
        if cable.length_m is not None and cable.length_m <= 0:
            self.err(f"{path}.length_m", f"a length must be positive ({cable.length_m})")

    def strand_ok(self, path: str, strand: StrandRef) -> FiberCable | None:
        cable = self.net.cable_by_id.get(strand.cable)
        if cable is None:
            self.err(f"{path}.cable", f"unknown cable {strand.cable!r}")
            return None
        if strand.number < 1 or (cable.strand_count is not None and strand.number > cable.strand_count):
            self.err(f"{path}.strand", f"cable {cable.id!r} has strands 1..{cable.strand_count}, not {strand.number}")
        return cable

    def check_splice(self, i: int, splice: Splice) -> None:
        path = f"splices[{i}]"
        if splice.closure not in self.net.closure_by_id:
            self.err(f"{path}.closure", f"unknown closure {splice.closure!r}")
            return
        if splice.a == splice.b:
            self.err(f"{path}.b", f"strand {splice.a} cannot be spliced to itself")
            return
        where = CableEnd(PlaceKind.CLOSURE, splice.closure)
        partners = self.net.splice_partner
        assert isinstance(partners, dict)
        for side, strand in (("a", splice.a), ("b", splice.b)):
            cable = self.strand_ok(f"{path}.{side}", strand)
            if cable is None:
                continue
            if where not in (cable.a, cable.b):
                self.err(f"{path}.{side}", f"cable {cable.id!r} does not end in closure {splice.closure!r}")
            elif (splice.closure, strand) in partners:
                self.err(f"{path}.{side}", f"strand {strand} is already spliced in closure {splice.closure!r}")
        partners.setdefault((splice.closure, splice.a), splice.b)
        partners.setdefault((splice.closure, splice.b), splice.a)

    def endpoint_ok(self, path: str, endpoint: Endpoint, user: str) -> Device | None:
        device = self.net.device_by_id.get(endpoint.device)
        if device is None:
            self.err(f"{path}.device", f"unknown device {endpoint.device!r}")
            return None
        if endpoint.interface and device.interfaces and endpoint.interface not in device.interfaces:
            self.err(f"{path}.interface", f"device {device.id!r} has no interface {endpoint.interface!r}")
        if endpoint.interface:
            other = self.port_user.setdefault(endpoint, user)
            if other != user:
                self.err(f"{path}.interface", f"{endpoint} is already used by {other}")
        return device

    def check_link(self, i: int, link: Link) -> None:
        path = f"links[{i}]"
        user = f"link {link.id!r}"
        a = self.endpoint_ok(f"{path}.a", link.a, user)
        b = self.endpoint_ok(f"{path}.b", link.b, user)
        if a is None or b is None or a.site not in self.net.site_by_id or b.site not in self.net.site_by_id:
            return  # reported with the device
        if a.id == b.id:
            self.err(f"{path}.b", f"a link joins two devices; both ends are on {a.id!r}")
        elif not link.fibers and a.site != b.site:
            self.err(f"{path}.fibers", f"devices {a.id!r} (site {a.site!r}) and {b.id!r} (site {b.site!r}) are at "
                                       "different sites; give the fibers of the path")
        elif link.fibers:
            self.check_fibers(f"{path}.fibers", link.fibers, a.site, {b.site}, f"site {b.site!r} of device {b.id!r}",
                              user)

    def check_connection(self, i: int, conn: Connection) -> None:
        path = f"connections[{i}]"
        net = self.net
        if conn.organization not in net.organization_by_id:
            self.err(f"{path}.organization", f"unknown organization {conn.organization!r}")
        site = net.site_by_id.get(conn.site)
        if site is None:
            self.err(f"{path}.site", f"unknown site {conn.site!r}")
            return
        if site.organizations and conn.organization not in site.organizations:
            self.err(f"{path}.site", f"site {site.id!r} does not belong to organization {conn.organization!r}")
        devices = [self.endpoint_ok(f"{path}.access[{j}]", e, f"connection {conn.id!r}")
                   for j, e in enumerate(conn.access)]
        access_sites = {d.site for d in devices if d is not None and d.site in net.site_by_id}
        if not conn.fibers:
            if access_sites and access_sites != {conn.site}:
                self.err(f"{path}.fibers", f"the access devices are at {', '.join(sorted(access_sites))}, not at "
                                           f"site {conn.site!r}; give the last-mile fibers")
            return
        if len(access_sites) > 1:
            self.err(f"{path}.access", f"access devices at several sites ({', '.join(sorted(access_sites))}) cannot "
                                       "share one last-mile fiber path")
            return
        target = f"site {next(iter(access_sites))!r} of the access devices" if access_sites else "a site"
        self.check_fibers(f"{path}.fibers", conn.fibers, conn.site, access_sites or None, target,
                          f"connection {conn.id!r}")

    def check_fibers(self, path: str, fibers: tuple[FiberHop, ...], start_site: str, end_sites: set[str] | None,
                     target: str, user: str) -> None:
        """Walk the path from ``start_site``; it must end at one of ``end_sites`` (any site when None)."""
        net = self.net
        here = site_end(start_site)
        previous: StrandRef | None = None
        for j, hop in enumerate(fibers):
            hop_path = f"{path}[{j}]"
            cable = net.cable_by_id.get(hop.cable)
            if cable is None:
                self.err(hop_path, f"unknown cable {hop.cable!r}")
                return
            if here not in (cable.a, cable.b):
                self.err(hop_path, f"cable {cable.id!r} does not continue from {here} (its ends: {cable.a} / "
                                   f"{cable.b})")
                return
            strand: StrandRef | None = None
            if hop.strand is not None:
                strand = StrandRef(cable.id, hop.strand)
                if hop.strand < 1 or (cable.strand_count is not None and hop.strand > cable.strand_count):
                    self.err(f"{hop_path}.strand", f"cable {cable.id!r} has strands 1..{cable.strand_count}, "
                                                   f"not {hop.strand}")
                other = self.strand_user.setdefault(strand, user)
                if other != user:
                    self.err(f"{hop_path}.strand", f"strand {strand} is already used by {other}")
            if here.kind is PlaceKind.CLOSURE:
                self.check_junction(hop_path, here.id, previous, strand)
            previous = strand
            here = cable.b if cable.a == here else cable.a
        if here.kind is not PlaceKind.SITE or (end_sites is not None and here.id not in end_sites):
            self.err(path, f"the path ends at {here}, not at {target}")

    def check_junction(self, path: str, closure: str, before: StrandRef | None, after: StrandRef | None) -> None:
        """Where both strands are known, a recorded splice of either must join them."""
        if before is None or after is None:
            return
        for strand, other in ((before, after), (after, before)):
            partner = self.net.splice_partner.get((closure, strand))
            if partner is not None and partner != other:
                self.err(path, f"strand {strand} is spliced to {partner} in closure {closure!r}, not to {other}")
                return
