"""Turn a :class:`Network` into the service graph the answers work on.

Every link and every access (organization site → access device) becomes a vertex of its own, so that
"what fails together" is always a set of vertices::

    access ── device ── link ── device ── link ── device(core) ── ROOT
      │         │        │                          │
    org site, device,  link, cables, segments,    device, site
    last-mile site     closures, sites at the ends
    fibers

An organization site (a *service*) is up when any of its accesses reaches the root; it is not a vertex
of the graph, so that no path runs through an organization's building from one switch to another.
Each vertex lists the elements whose loss removes it (its *killers*); each element lists the vertices it
removes (its *hits*). A duct segment hits every link whose cables run through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

from .model import CableEnd, ElementKind, ElementRef, FiberCable, FiberHop, PlaceKind
from .network import Network, site_end
from .options import AnalysisOptions

__all__ = ("Compiled", "ServiceRef", "VKind", "cable_elements", "compile_network", "place_elements")


class VKind(IntEnum):
    ROOT = 0
    DEVICE = 1
    LINK = 2
    ACCESS = 3
    SERVICE = 4


@dataclass(frozen=True, slots=True, order=True)
class ServiceRef:
    """An organization's site that the network serves (a connection, or implied by a device at the site).

    Implied services (an organization's site with devices but no connection record) have the id
    ``"<organization>@<site>"``.
    """

    organization: str
    site: str
    id: str

    def __str__(self) -> str:
        return f"{self.organization} @ {self.site}"


@dataclass(frozen=True, slots=True)
class Access:
    """An access vertex: ``service`` reaches ``device`` over ``fibers`` (empty: in the same building)."""

    service: ServiceRef
    service_vertex: int
    device: str
    start_site: str
    fibers: tuple[FiberHop, ...]


@dataclass
class Compiled:
    elements: list[ElementRef] = field(default_factory=list)
    element_index: dict[ElementRef, int] = field(default_factory=dict)
    kind: list[VKind] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    killers: list[tuple[int, ...]] = field(default_factory=list)
    edges: list[tuple[int, int, float]] = field(default_factory=list)
    root: int = 0
    device_vertex: dict[str, int] = field(default_factory=dict)
    link_vertex: dict[str, int] = field(default_factory=dict)
    service_vertex: dict[str, int] = field(default_factory=dict)
    service_at: dict[int, ServiceRef] = field(default_factory=dict)
    access_at: dict[int, Access] = field(default_factory=dict)
    service_accesses: dict[int, list[int]] = field(default_factory=dict)
    core_devices: tuple[str, ...] = ()
    core_elements: frozenset[int] = frozenset()
    premises: dict[int, frozenset[int]] = field(default_factory=dict)
    hits: list[list[int]] = field(default_factory=list)

    def add_vertex(self, kind: VKind, label: str, killers: Iterable[ElementRef]) -> int:
        self.kind.append(kind)
        self.label.append(label)
        self.killers.append(tuple(sorted({self.element_index[e] for e in killers})))
        return len(self.kind) - 1

    def element(self, ref: ElementRef) -> int:
        return self.element_index[ref]

    def refs(self, elements: Iterable[int]) -> tuple[ElementRef, ...]:
        return tuple(sorted((self.elements[e] for e in elements), key=ElementRef.sort_key))


def place_elements(net: Network, end: CableEnd) -> set[ElementRef]:
    """A site, or a closure and the site it is in."""
    refs = {end.element()}
    if end.kind is PlaceKind.CLOSURE:
        site = net.closure_by_id[end.id].site
        if site is not None:
            refs.add(ElementRef(ElementKind.SITE, site))
    return refs


def cable_elements(net: Network, cable: FiberCable) -> set[ElementRef]:
    """What cuts a cable: itself, each segment it runs through, and the places where it ends."""
    refs = {ElementRef(ElementKind.CABLE, cable.id)}
    refs.update(ElementRef(ElementKind.SEGMENT, s) for s in cable.segments)
    refs |= place_elements(net, cable.a) | place_elements(net, cable.b)
    return refs


def _fiber_elements(net: Network, fibers: Iterable[FiberHop]) -> set[ElementRef]:
    refs: set[ElementRef] = set()
    for hop in fibers:
        refs |= cable_elements(net, net.cable_by_id[hop.cable])
    return refs


def _all_elements(net: Network) -> list[ElementRef]:
    refs = [ElementRef(ElementKind.SITE, s.id) for s in net.sites]
    refs += [ElementRef(ElementKind.CLOSURE, c.id) for c in net.closures]
    refs += [ElementRef(ElementKind.SEGMENT, s.id) for s in net.segments]
    refs += [ElementRef(ElementKind.CABLE, c.id) for c in net.cables]
    refs += [ElementRef(ElementKind.DEVICE, d.id) for d in net.devices]
    refs += [ElementRef(ElementKind.LINK, link.id) for link in net.links]
    return refs


def compile_network(net: Network, options: AnalysisOptions) -> Compiled:
    """The service graph of ``net`` (see the module docstring)."""
    c = Compiled()
    c.elements = _all_elements(net)
    c.element_index = {ref: i for i, ref in enumerate(c.elements)}
    c.root = c.add_vertex(VKind.ROOT, "core", ())
    for device in net.devices:
        c.device_vertex[device.id] = c.add_vertex(
            VKind.DEVICE, device.id,
            (ElementRef(ElementKind.DEVICE, device.id), ElementRef(ElementKind.SITE, device.site)),
        )
    for link in net.links:
        a, b = net.device_by_id[link.a.device], net.device_by_id[link.b.device]
        killers = {ElementRef(ElementKind.LINK, link.id), ElementRef(ElementKind.SITE, a.site)}
        killers |= _fiber_elements(net, link.fibers) if link.fibers else set()
        v = c.link_vertex[link.id] = c.add_vertex(VKind.LINK, link.id, killers)
        c.edges.append((c.device_vertex[a.id], v, 1.0))
        c.edges.append((v, c.device_vertex[b.id], 1.0))

    core_sites = set(net.core_sites)
    core = net.core_devices or tuple(d.id for d in net.devices if d.site in core_sites)
    c.core_devices = core
    for device_id in core:
        c.edges.append((c.root, c.device_vertex[device_id], 1.0))

    _add_services(net, options, c)
    _exclusions(net, c, core_sites)
    c.hits = [[] for _ in c.elements]
    for v, vertex_killers in enumerate(c.killers):
        for e in vertex_killers:
            c.hits[e].append(v)
    return c


def _add_services(net: Network, options: AnalysisOptions, c: Compiled) -> None:
    served: set[tuple[str, str]] = set()
    for conn in net.connections:
        served.add((conn.organization, conn.site))
        if conn.status not in options.service_statuses:
            continue
        service = ServiceRef(conn.organization, conn.site, conn.id)
        far_site = net.walk(conn.fibers, site_end(conn.site))[-1].end.id if conn.fibers else conn.site
        if conn.access:
            devices = list(dict.fromkeys(e.device for e in conn.access))
        else:
            devices = [d.id for d in net.devices_by_site.get(far_site, ())]
        _add_service(net, c, service, devices, conn.fibers)
    for site in net.sites:
        devices = [d.id for d in net.devices_by_site.get(site.id, ())]
        for org in site.organizations:
            if devices and (org, site.id) not in served:
                _add_service(net, c, ServiceRef(org, site.id, f"{org}@{site.id}"), devices, ())


def _add_service(net: Network, c: Compiled, service: ServiceRef, devices: list[str],
                 fibers: tuple[FiberHop, ...]) -> None:
    v = c.service_vertex[service.id] = c.add_vertex(VKind.SERVICE, service.id, ())
    c.service_at[v] = service
    c.service_accesses[v] = []
    killers = {ElementRef(ElementKind.SITE, service.site)} | _fiber_elements(net, fibers)
    for device in devices:
        access = c.add_vertex(VKind.ACCESS, f"{service.id}->{device}", killers)
        c.access_at[access] = Access(service, v, device, service.site, fibers)
        c.service_accesses[v].append(access)
        c.edges.append((access, c.device_vertex[device], 1.0))


def _patch_links_by_site(net: Network) -> dict[str, list[str]]:
    by_site: dict[str, list[str]] = {}
    for link in net.links:
        if not link.fibers:
            by_site.setdefault(net.device_by_id[link.a.device].site, []).append(link.id)
    return by_site


def _building_elements(net: Network, sites: set[str], devices: set[str],
                       patch_links: dict[str, list[str]]) -> set[ElementRef]:
    """A set of buildings with their devices, closures and the patch cables between those devices."""
    refs = {ElementRef(ElementKind.SITE, s) for s in sites}
    refs |= {ElementRef(ElementKind.DEVICE, d) for d in devices}
    for site in sites:
        refs |= {ElementRef(ElementKind.CLOSURE, cl.id) for cl in net.closures_by_site.get(site, ())}
        for link_id in patch_links.get(site, ()):
            link = net.link_by_id[link_id]
            if link.a.device in devices and link.b.device in devices:
                refs.add(ElementRef(ElementKind.LINK, link.id))
    return refs


def _exclusions(net: Network, c: Compiled, core_sites: set[str]) -> None:
    patch_links = _patch_links_by_site(net)
    core_devices = {d.id for d in net.devices if d.site in core_sites} | set(c.core_devices)
    core_sites = core_sites | {net.device_by_id[d].site for d in c.core_devices}
    c.core_elements = frozenset(c.element(e) for e in _building_elements(net, core_sites, core_devices, patch_links))
    for v, service in c.service_at.items():
        devices = {d.id for d in net.devices_by_site.get(service.site, ())}
        c.premises[v] = frozenset(
            c.element(e) for e in _building_elements(net, {service.site}, devices, patch_links)
        )
