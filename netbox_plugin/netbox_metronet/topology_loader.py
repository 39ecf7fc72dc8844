"""Build a :class:`metronet_topology.Network` from NetBox in a constant number of SQL queries.

What becomes what (ids are primary keys as strings; links get ``cable-<pk>`` or ``fiber-<pk>-<pk>``)::

    dcim.Site (+ tenant, region)             → Site (organizations = its tenant, town_part = region name)
    Tenant + OrganizationProfile (+ contact) → Organization (kind = org_type, contact = contact name)
    SpliceClosure / RouteSegment             → SpliceClosure / RouteSegment
    FiberCable + FiberCableSegment (ordered) → FiberCable (cables without both ends are left out)
    Splice                                   → Splice
    dcim.Device with at least one interface  → Device (role = role slug); passive panels are left out
    dcim.Cable interface ── interface        → Link "cable-<pk>" (a patch cable within a site)
    interface ─ patch cord ─ panel port ─ strand termination ─ strand ─ splices ─ ... ─ strand termination
        ─ panel port ─ patch cord ─ interface                → Link "fiber-<if>-<if>" with its FiberHops
    Connection (+ access interfaces, strand) → Connection (see "Adaptations")

The lit fiber paths are walked in memory, from the rows already loaded: the walk leaves a strand at one end
of its cable; in a closure the splice gives the next strand; at a site the strand termination gives the
panel port (a rear port is followed to its only front port), and that port's NetBox cable leads to an
interface (the path ends) or to another panel port (patched through: the walk continues on the strand
terminated there). A broken walk (unspliced, unterminated, not patched) gives no link; it is counted in
``LoadedNetwork.broken_paths``.

:func:`load_parts` does the same without building the :class:`Network` (no validation, no core needed) and
also gives the planned *interface links* (``InterfaceLink``: connected NetBox cables between two interfaces,
wherever they are, and the lit fiber paths), which planned-vs-built compares with the LLDP neighbors seen.

Queries (14, whatever the size of the inventory): sites, organization profiles (with tenant, town part and
contact), connections (with tenant), closures, route segments, cable segments (ordered), fiber cables,
splices, devices, interfaces, strand terminations, port mappings, NetBox cable terminations, connection
access interfaces. Each is one ``values()`` query; the restricted querysets enter the others as subqueries.
The plugin's pages and endpoints call it through :mod:`topology_cache`, which keeps the result between requests
while the inventory version (one query) does not change.

**Core sites.** ``PLUGINS_CONFIG["netbox_metronet"]["core_sites"]``: a list of site names (slugs are
accepted too). When it is not configured, the core is the site(s) of the town office: the sites of the
organizations whose profile has ``org_type = "office"`` and that have at least one loaded device (falling
back to all such sites when none has a device).

**Permissions.** Every queryset may be passed in already restricted (``restricted_querysets(user)``);
objects that refer to something the user cannot see (a cable ending in a hidden closure, a device at a
hidden site, ...) are left out and counted in ``LoadedNetwork.skipped``, so the result always validates.

**Adaptations** of the library's model to NetBox's:

- The plugin's ``Connection.access_interfaces`` usually names both ends of the organization's uplink (the
  switch in the building and the core/aggregation port). The library's access devices must be at the
  organization's site (or at the end of the last-mile fibers), and an interface may carry only one link, so
  the loader keeps the access *devices* at the organization's site (without interface names). When none
  is there, the connection's ``strand`` is walked from the organization's site: if it reaches the access
  devices' site, that is the last mile; otherwise the access is dropped (the devices at the site serve).
- Only NetBox cables with status ``connected`` and fiber cables not ``planned``/``decommissioned`` carry
  light; the others are loaded as plant (so they can be cut) but give no link.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dcim.models import Cable, CableTermination, Device, Interface, PortMapping, Site
from django.db.models import QuerySet
from netbox.plugins import get_plugin_config

import metronet_topology as mt
from metronet_topology import CableEnd, Endpoint, FiberHop, Link, Network, Organization, PlaceKind, StrandRef

from .choices import OrganizationTypeChoices, PlantStatusChoices
from .models import (
    Connection,
    FiberCable,
    FiberCableSegment,
    OrganizationProfile,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)

__all__ = (
    "InterfaceLink", "LoadedNetwork", "LoadedParts", "build_network", "configured_core_sites", "load_parts",
    "restricted_querysets",
)

#: The keyword arguments of :func:`build_network` that take a queryset, with their models.
QUERYSET_MODELS: dict[str, Any] = {
    "sites": Site,
    "profiles": OrganizationProfile,
    "closures": SpliceClosure,
    "segments": RouteSegment,
    "cables": FiberCable,
    "splices": Splice,
    "terminations": StrandTermination,
    "devices": Device,
    "interfaces": Interface,
    "dcim_cables": Cable,
    "connections": Connection,
}

#: Fiber cables in these states carry no light (they are still loaded as plant).
DARK_CABLE_STATUSES = frozenset({PlantStatusChoices.PLANNED, PlantStatusChoices.DECOMMISSIONED})
MAX_WALK = 500


@dataclass
class LoadedNetwork:
    """The network and what the plugin needs around it (contacts, names) plus the loader's diagnostics."""

    network: Network
    #: organization id → {"id", "name", "email", "phone"} of its profile's contact
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: what was left out because it refers to an object not loaded (hidden or missing), by kind
    skipped: Counter = field(default_factory=Counter)
    #: fiber walks from a patched interface that did not reach another interface
    broken_paths: int = 0
    #: human-readable notes about adaptations (last mile not found, ...)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InterfaceLink:
    """A planned device-to-device link: a connected NetBox cable between two interfaces (``via="cable"``, at any
    sites) or a lit fiber path (``via="fiber"``). Ends are ``(device id, interface id, interface name)``."""

    id: str
    a: tuple[str, int, str]
    b: tuple[str, int, str]
    via: str


@dataclass
class LoadedParts:
    """Everything :func:`build_network` loads, before it becomes a validated :class:`Network`."""

    network_kwargs: dict[str, Any]
    #: device id → (name, site id) of every loaded (non-passive) device
    devices: dict[str, tuple[str, str]]
    interface_links: list[InterfaceLink]
    contacts: dict[str, dict[str, Any]]
    skipped: Counter
    broken_paths: int
    notes: list[str]


def restricted_querysets(user) -> dict[str, QuerySet]:
    """Every queryset :func:`build_network` reads, restricted to what ``user`` may view."""
    return {name: model.objects.restrict(user, "view") for name, model in QUERYSET_MODELS.items()}


def configured_core_sites() -> list[str] | None:
    """``PLUGINS_CONFIG["netbox_metronet"]["core_sites"]`` (site names), or None when not configured."""
    value = get_plugin_config("netbox_metronet", "core_sites", None)
    if not value:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _s(pk: Any) -> str:
    return str(pk)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def build_network(core_sites: Iterable[str] | None = None, **querysets: QuerySet) -> LoadedNetwork:
    """Load the network; ``querysets`` (see ``QUERYSET_MODELS``) default to ``Model.objects.all()``.

    ``core_sites``: site names (or slugs) of the core; default :func:`configured_core_sites`, else the town
    office's site. Raises :class:`metronet_topology.NetworkError` when the result does not validate (e.g.
    no core site is visible).
    """
    parts = load_parts(core_sites, **querysets)
    network = Network(**parts.network_kwargs)
    return LoadedNetwork(network=network, contacts=parts.contacts, skipped=parts.skipped,
                         broken_paths=parts.broken_paths, notes=parts.notes)


def load_parts(core_sites: Iterable[str] | None = None, **querysets: QuerySet) -> LoadedParts:
    """The rows of :func:`build_network` in the library's records, and the planned interface links (the same
    queries; nothing is validated, so this works without a core)."""
    unknown = set(querysets) - set(QUERYSET_MODELS)
    if unknown:
        raise TypeError(f"unknown querysets: {', '.join(sorted(unknown))}")
    qs = {name: querysets.get(name, model.objects.all()) for name, model in QUERYSET_MODELS.items()}
    skipped: Counter = Counter()
    notes: list[str] = []

    # ---- 1. sites and organizations --------------------------------------------------------------------
    site_rows = list(qs["sites"].values("id", "name", "slug", "tenant_id", "region__name"))
    profile_rows = list(qs["profiles"].values(
        "tenant_id", "tenant__name", "org_type", "town_part__name",
        "contact_id", "contact__name", "contact__email", "contact__phone",
    ))
    connection_rows = list(qs["connections"].values(
        "id", "tenant_id", "tenant__name", "site_id", "status", "bandwidth_mbps", "strand__cable_id", "strand__number",
    ))
    organizations: dict[str, Organization] = {}
    contacts: dict[str, dict[str, Any]] = {}
    for p in profile_rows:
        oid = _s(p["tenant_id"])
        organizations[oid] = Organization(
            id=oid, name=p["tenant__name"] or "", kind=p["org_type"] or "", town_part=p["town_part__name"] or "",
            contact=p["contact__name"] or "",
        )
        if p["contact_id"]:
            contacts[oid] = {"id": p["contact_id"], "name": p["contact__name"], "email": p["contact__email"] or "",
                             "phone": p["contact__phone"] or ""}
    for c in connection_rows:  # a connection's tenant without a profile is still an organization
        oid = _s(c["tenant_id"])
        if oid not in organizations:
            organizations[oid] = Organization(id=oid, name=c["tenant__name"] or "")
    sites: dict[str, mt.Site] = {}
    for s in site_rows:
        tenant = _s(s["tenant_id"]) if s["tenant_id"] else None
        sites[_s(s["id"])] = mt.Site(
            id=_s(s["id"]), name=s["name"], town_part=s["region__name"] or "",
            organizations=(tenant,) if tenant in organizations else (),
        )

    # ---- 2. plant -----------------------------------------------------------------------------------------
    closures: dict[str, mt.SpliceClosure] = {}
    for c in qs["closures"].values("id", "name", "site_id"):
        site = _s(c["site_id"]) if c["site_id"] else None
        if site is not None and site not in sites:
            skipped["closure site"] += 1  # inside a hidden building: keep the closure, forget the building
            site = None
        closures[_s(c["id"])] = mt.SpliceClosure(id=_s(c["id"]), name=c["name"], site=site)
    segments: dict[str, mt.RouteSegment] = {}
    for r in qs["segments"].values("id", "name", "kind", "length_m", "geometry_length_m"):
        length = r["length_m"] if r["length_m"] is not None else r["geometry_length_m"]
        segments[_s(r["id"])] = mt.RouteSegment(id=_s(r["id"]), name=r["name"], kind=r["kind"] or "",
                                              length_m=_float(length) if length else None)
    route: defaultdict[str, list[str]] = defaultdict(list)
    for link in (FiberCableSegment.objects.filter(cable__in=qs["cables"]).order_by("cable_id", "position")
                 .values_list("cable_id", "segment_id")):
        if _s(link[1]) in segments:
            route[_s(link[0])].append(_s(link[1]))
        else:
            skipped["cable segment"] += 1
    cables: dict[str, mt.FiberCable] = {}
    cable_ends: dict[str, dict[str, CableEnd]] = {}  # cable id → {"A": end, "B": end}
    lit_cables: set[str] = set()
    for c in qs["cables"].values("id", "name", "status", "strand_count", "length_m",
                                 "a_site_id", "a_closure_id", "b_site_id", "b_closure_id"):
        ends = {}
        for end in ("a", "b"):
            if c[f"{end}_site_id"] and _s(c[f"{end}_site_id"]) in sites:
                ends[end.upper()] = CableEnd(PlaceKind.SITE, _s(c[f"{end}_site_id"]))
            elif c[f"{end}_closure_id"] and _s(c[f"{end}_closure_id"]) in closures:
                ends[end.upper()] = CableEnd(PlaceKind.CLOSURE, _s(c[f"{end}_closure_id"]))
        if len(ends) < 2:
            skipped["fiber cable"] += 1  # an end missing, or at a hidden place
            continue
        cid = _s(c["id"])
        cables[cid] = mt.FiberCable(id=cid, a=ends["A"], b=ends["B"], segments=tuple(route.get(cid, ())),
                                  strand_count=c["strand_count"], length_m=_float(c["length_m"]), name=c["name"])
        cable_ends[cid] = ends
        if c["status"] not in DARK_CABLE_STATUSES:
            lit_cables.add(cid)
    splices: list[mt.Splice] = []
    partner: dict[tuple[str, StrandRef], StrandRef] = {}
    for s in qs["splices"].values("closure_id", "strand_a__cable_id", "strand_a__number", "strand_b__cable_id",
                                  "strand_b__number", "loss_db"):
        closure, ca, cb = _s(s["closure_id"]), _s(s["strand_a__cable_id"]), _s(s["strand_b__cable_id"])
        where = CableEnd(PlaceKind.CLOSURE, closure)
        if closure not in closures or ca not in cables or cb not in cables \
                or where not in cable_ends[ca].values() or where not in cable_ends[cb].values():
            skipped["splice"] += 1
            continue
        a, b = StrandRef(ca, s["strand_a__number"]), StrandRef(cb, s["strand_b__number"])
        splices.append(mt.Splice(closure=closure, a=a, b=b, loss_db=_float(s["loss_db"])))
        partner[(closure, a)] = b
        partner[(closure, b)] = a

    # ---- 3. devices and their ports ---------------------------------------------------------------------
    device_rows = list(qs["devices"].values("id", "name", "site_id", "role__slug"))
    interface_rows = list(qs["interfaces"].filter(device__in=qs["devices"]).values_list("id", "name", "device_id"))
    interface_of: dict[int, tuple[str, str]] = {i: (_s(d), name) for i, name, d in interface_rows}
    with_interfaces = {d for _i, (d, _n) in interface_of.items()}
    devices: dict[str, mt.Device] = {}
    for d in device_rows:
        did = _s(d["id"])
        if did not in with_interfaces:
            continue  # passive (patch panels): their ports are followed, they are no vertex
        if _s(d["site_id"]) not in sites:
            skipped["device"] += 1
            continue
        devices[did] = mt.Device(id=did, site=_s(d["site_id"]), role=d["role__slug"] or "", name=d["name"] or "")
    interface_of = {i: v for i, v in interface_of.items() if v[0] in devices}

    # strand terminations: port → strand end, strand end → port
    port_strand: dict[tuple[str, int], tuple[StrandRef, str]] = {}  # ("front"/"rear", port id) → strand, end
    strand_port: dict[tuple[StrandRef, str], tuple[str, int]] = {}
    for t in qs["terminations"].values("strand__cable_id", "strand__number", "cable_end", "front_port_id",
                                       "rear_port_id"):
        cid = _s(t["strand__cable_id"])
        if cid not in cables:
            skipped["strand termination"] += 1
            continue
        port = ("front", t["front_port_id"]) if t["front_port_id"] else ("rear", t["rear_port_id"])
        strand = StrandRef(cid, t["strand__number"])
        port_strand[port] = (strand, t["cable_end"])
        strand_port[(strand, t["cable_end"])] = port
    rear_fronts: defaultdict[int, list[int]] = defaultdict(list)
    front_rear: dict[int, int] = {}
    for front, rear in PortMapping.objects.filter(device__in=qs["devices"]).values_list("front_port_id",
                                                                                         "rear_port_id"):
        rear_fronts[rear].append(front)
        front_rear[front] = rear
    # NetBox cables (connected ones carry light): who is at the far end of each cabled object
    by_cable: defaultdict[int, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: {"A": [], "B": []})
    for cable_id, end, model, obj_id in (
        CableTermination.objects.filter(cable__in=qs["dcim_cables"].filter(status="connected"))
        .filter(termination_type__app_label="dcim", termination_type__model__in=("interface", "frontport", "rearport"))
        .values_list("cable_id", "cable_end", "termination_type__model", "termination_id")
    ):
        kind = {"interface": "interface", "frontport": "front", "rearport": "rear"}[model]
        by_cable[cable_id][end].append((kind, obj_id))
    peer: dict[tuple[str, int], tuple[int, tuple[str, int]]] = {}  # object → (dcim cable, far object)
    for cable_id, ends in by_cable.items():
        if len(ends["A"]) == 1 and len(ends["B"]) == 1:
            a, b = ends["A"][0], ends["B"][0]
            peer[a] = (cable_id, b)
            peer[b] = (cable_id, a)
        else:
            skipped["dcim cable with several terminations per end"] += 1

    def strand_at(port: tuple[str, int]) -> tuple[StrandRef, str] | None:
        """The strand end terminated on a panel port (a front port through its rear port)."""
        if port in port_strand:
            return port_strand[port]
        if port[0] == "front" and port[1] in front_rear:
            rear = front_rear[port[1]]
            if len(rear_fronts[rear]) == 1:
                return port_strand.get(("rear", rear))
        return None

    def patched_port(port: tuple[str, int]) -> tuple[str, int]:
        """Where a NetBox patch cord plugs in at a strand's end: a rear port's only front port."""
        if port[0] == "rear" and len(rear_fronts.get(port[1], ())) == 1:
            return "front", rear_fronts[port[1]][0]
        return port

    def walk(start: tuple[str, int], site: str) -> tuple[tuple[FiberHop, ...], int] | None:
        """From a panel port at ``site`` patched to an interface: the fiber hops up to the far interface."""
        hops: list[FiberHop] = []
        seen: set[StrandRef] = set()
        here = strand_at(start)
        at = CableEnd(PlaceKind.SITE, site)
        for _ in range(MAX_WALK):
            if here is None:
                return None
            strand, end = here
            if strand in seen or strand.cable not in lit_cables or cable_ends[strand.cable][end] != at:
                return None
            seen.add(strand)
            hops.append(FiberHop(strand.cable, strand.number))
            far_end = "B" if end == "A" else "A"
            place = cable_ends[strand.cable][far_end]
            if place.kind is PlaceKind.CLOSURE:
                nxt = partner.get((place.id, strand))
                if nxt is None:
                    return None
                ends = cable_ends[nxt.cable]
                here = (nxt, "A" if ends["A"] == place else "B")
                at = place
                continue
            port = strand_port.get((strand, far_end))
            if port is None:
                return None
            port = patched_port(port)
            if port not in peer:
                return None
            _cable, far = peer[port]
            if far[0] == "interface":
                if far[1] not in interface_of or devices[interface_of[far[1]][0]].site != place.id:
                    return None
                return tuple(hops), far[1]
            here = strand_at(far)  # patched through to another panel (checked to be at this site above)
            at = place
        return None

    # ---- 4. links ------------------------------------------------------------------------------------------
    links: list[Link] = []
    interface_links: list[InterfaceLink] = []
    broken = 0
    done: set[int] = set()  # interfaces on a link
    lit: set[tuple[str, int | None]] = set()  # strands on a link
    for (kind, obj), (cable_id, far) in sorted(peer.items()):
        if kind != "interface" or obj in done or obj not in interface_of:
            continue
        dev_a, name_a = interface_of[obj]
        if far[0] == "interface":
            done.update((obj, far[1]))
            if far[1] not in interface_of:
                skipped["link"] += 1
                continue
            dev_b, name_b = interface_of[far[1]]
            if dev_a != dev_b:
                interface_links.append(InterfaceLink(f"cable-{cable_id}", (dev_a, obj, name_a), (dev_b, far[1], name_b),
                                                     "cable"))
            if dev_a == dev_b or devices[dev_a].site != devices[dev_b].site:
                skipped["link"] += 1
                continue
            links.append(Link(id=f"cable-{cable_id}", a=Endpoint(dev_a, name_a), b=Endpoint(dev_b, name_b),
                              name=f"{devices[dev_a].label} {name_a} — {devices[dev_b].label} {name_b}"))
            continue
        result = walk(far, devices[dev_a].site)
        if result is None:
            if strand_at(far) is not None:
                broken += 1
            continue
        hops, other = result
        strands = {(h.cable, h.strand) for h in hops}
        if other in done or strands & lit or other == obj:
            skipped["link"] += 1  # inconsistent data: an interface or a strand on two light paths
            continue
        done.update((obj, other))
        lit.update(strands)
        dev_b, name_b = interface_of[other]
        if dev_a == dev_b:
            skipped["link"] += 1
            continue
        links.append(Link(id=f"fiber-{obj}-{other}", a=Endpoint(dev_a, name_a), b=Endpoint(dev_b, name_b),
                          fibers=hops, name=f"{devices[dev_a].label} {name_a} — {devices[dev_b].label} {name_b}"))
        interface_links.append(InterfaceLink(f"fiber-{obj}-{other}", (dev_a, obj, name_a), (dev_b, other, name_b),
                                             "fiber"))

    # ---- 5. connections ------------------------------------------------------------------------------------
    access: defaultdict[int, list[int]] = defaultdict(list)
    for conn_id, iface in Connection.access_interfaces.through.objects.filter(
            connection__in=qs["connections"]).values_list("connection_id", "interface_id"):
        access[conn_id].append(iface)

    def last_mile(strand: StrandRef, site: str) -> tuple[tuple[FiberHop, ...], str] | None:
        """Walk ``strand`` from its end at ``site`` to the site where the path ends (no patching through)."""
        ends = cable_ends.get(strand.cable)
        if ends is None:
            return None
        end = "A" if ends["A"] == CableEnd(PlaceKind.SITE, site) else "B"
        hops: list[FiberHop] = []
        for _ in range(MAX_WALK):
            hops.append(FiberHop(strand.cable, strand.number))
            place = cable_ends[strand.cable]["B" if end == "A" else "A"]
            if place.kind is PlaceKind.SITE:
                return tuple(hops), place.id
            nxt = partner.get((place.id, strand))
            if nxt is None:
                return None
            strand = nxt
            end = "A" if cable_ends[strand.cable]["A"] == place else "B"
        return None

    connections: list[mt.Connection] = []
    for c in connection_rows:
        cid, site, org = _s(c["id"]), _s(c["site_id"]), _s(c["tenant_id"])
        if site not in sites or (sites[site].organizations and org not in sites[site].organizations):
            skipped["connection"] += 1
            continue
        access_devices = list(dict.fromkeys(interface_of[i][0] for i in access.get(c["id"], ()) if i in interface_of))
        here = [d for d in access_devices if devices[d].site == site]
        fibers: tuple[FiberHop, ...] = ()
        if here:
            access_devices = here
        elif access_devices:
            elsewhere = {devices[d].site for d in access_devices}
            mile = None
            if c["strand__cable_id"] and _s(c["strand__cable_id"]) in cables:
                mile = last_mile(StrandRef(_s(c["strand__cable_id"]), c["strand__number"]), site)
            if mile is not None and mile[1] in elsewhere:
                fibers = mile[0]
                access_devices = [d for d in access_devices if devices[d].site == mile[1]]
            else:
                notes.append(f"connection {cid}: access devices at other sites and no last-mile fiber path to them; "
                             "the devices at the site serve it")
                access_devices = []
        connections.append(mt.Connection(
            id=cid, organization=org, site=site, access=tuple(Endpoint(d) for d in access_devices), fibers=fibers,
            status=c["status"], bandwidth_mbps=c["bandwidth_mbps"],
        ))
    # A strand carries one light path: a last mile over a strand already lit by a link is not a last mile.
    for i, conn in enumerate(connections):
        if conn.fibers and any((h.cable, h.strand) in lit for h in conn.fibers):
            connections[i] = mt.Connection(id=conn.id, organization=conn.organization, site=conn.site, access=(),
                                         status=conn.status, bandwidth_mbps=conn.bandwidth_mbps)
            notes.append(f"connection {conn.id}: its strand is lit by a link; the devices at the site serve it")

    # ---- 6. core -------------------------------------------------------------------------------------------
    names = list(core_sites) if core_sites is not None else configured_core_sites()
    if names is not None:
        wanted = set(names)
        core = [_s(s["id"]) for s in site_rows if s["name"] in wanted or s["slug"] in wanted]
    else:
        offices = {_s(p["tenant_id"]) for p in profile_rows if p["org_type"] == OrganizationTypeChoices.OFFICE}
        office_sites = [sid for sid, s in sites.items() if set(s.organizations) & offices]
        with_devices = {d.site for d in devices.values()}
        core = [s for s in office_sites if s in with_devices] or office_sites
        core.sort(key=int)

    network_kwargs = {
        "sites": tuple(sites.values()), "core_sites": tuple(core), "organizations": tuple(organizations.values()),
        "closures": tuple(closures.values()), "segments": tuple(segments.values()),
        "cables": tuple(cables.values()), "splices": tuple(splices), "devices": tuple(devices.values()),
        "links": tuple(links), "connections": tuple(connections),
    }
    return LoadedParts(network_kwargs=network_kwargs, devices={d.id: (d.name, d.site) for d in devices.values()},
                       interface_links=interface_links, contacts=contacts, skipped=skipped, broken_paths=broken,
                       notes=notes)
