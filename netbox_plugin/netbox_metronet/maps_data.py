"""The data behind the map and the network (topology) view, built in a constant number of SQL queries.

**Map** (:func:`map_geojson`): a GeoJSON FeatureCollection (WGS84) of

- route segments (LineString): kind, status, the fiber cables laid in them with their lit strands, and three
  colours (by kind, by status, by fill = lit strands / strands of the cables in the segment);
- splice closures (Point);
- sites (Point): the organization, its town part, the connection status of the site (the most advanced of its
  connections: connected > construction > design > planned; else ``none``) and whether it is a POP (a site
  with a core or aggregation device, see ``POP_ROLES``).

Queries (7 whatever the size): sites, connections, POP devices, route segments, cable ↔ segment links (with
the cables), lit strand counts, closures; one more for the region when filtered by town part. With a
filter (town part or organization) only the chosen sites are drawn, with the plant that serves them: the
fiber cables ending at them and the cables of the lit fiber paths and last miles of their devices and
connections (one query, plus :func:`topology_loader.build_network`'s 14: 22 in all; from ``topology_cache``,
while the inventory does not change, its version query instead of the 14: 9).

**Network** (:func:`network_graph`): devices as nodes and links (NetBox cables between devices, lit fiber
paths) as edges, from the topology loader (14 queries) plus sites and device roles (2 queries), laid out on
the server (:func:`layout_sites`) and coloured by the live status (:mod:`live_status`).
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import rustworkx as rx
from dcim.models import Device, DeviceRole, Region, Site
from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from tenancy.models import Tenant

from metronet_topology import Network, NetworkError

from .choices import (
    ConnectionStatusChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from .live_status import UNKNOWN, LiveStatus
from .models import Connection, FiberCable, FiberCableSegment, FiberStrand, RouteSegment, SpliceClosure
from .topology_cache import cached_network
from .topology_loader import LoadedNetwork

__all__ = (
    "COLORS", "CONNECTION_STATUS_COLORS", "MapFilter", "POP_ROLES", "layout_sites", "map_geojson", "network_graph",
    "network_payload",
)

#: device roles (slugs) that make a site a POP on the map
POP_ROLES = ("core-switch", "aggregation-switch", "core-router", "router")

#: NetBox/Tabler colour names (as in the ChoiceSets) → hex
COLORS = {
    "blue": "#206bc4", "cyan": "#17a2b8", "orange": "#f76707", "brown": "#8d6e63", "green": "#2fb344",
    "yellow": "#f59f00", "red": "#d63939", "gray": "#868e96", "teal": "#0ca678", "purple": "#ae3ec9",
}
#: site colour by connection status
CONNECTION_STATUS_COLORS = {
    "connected": COLORS["green"], "construction": COLORS["yellow"], "design": COLORS["blue"],
    "planned": COLORS["cyan"], "none": COLORS["gray"],
}
STATUS_RANK = {"planned": 1, "design": 2, "construction": 3, "connected": 4}
#: segment colour by fill (share of lit strands): upper bound → colour
FILL_COLORS = ((0.0, "#adb5bd"), (0.25, COLORS["green"]), (0.5, COLORS["yellow"]), (0.75, COLORS["orange"]),
               (1.0, COLORS["red"]))
LIVE_COLORS = {"up": COLORS["green"], "down": COLORS["red"], "unknown": "#9aa0ac"}
ID_SENTINEL = 2_147_483_000


class FilterError(ValueError):
    """A bad filter parameter (answered with 400)."""


@dataclass(frozen=True)
class MapFilter:
    """``?region=<id>&tenant=<id>&role=<slug>`` of the pages and endpoints (all optional)."""

    region: int | None = None
    tenant: int | None = None
    role: str | None = None
    #: the region and its descendants (set by :meth:`resolve`)
    region_ids: frozenset[int] | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> MapFilter:
        values: dict[str, Any] = {}
        for name in ("region", "tenant"):
            raw = (query.get(name) or "").strip()
            if raw:
                if not raw.isdigit():
                    raise FilterError(_("{name} must be an object ID, not {value!r}.").format(name=name, value=raw))
                values[name] = int(raw)
        role = (query.get("role") or "").strip()
        return cls(role=role or None, **values)

    @property
    def sites_filtered(self) -> bool:
        return self.region is not None or self.tenant is not None

    def query_string(self) -> str:
        parts = [f"{k}={v}" for k, v in (("region", self.region), ("tenant", self.tenant), ("role", self.role)) if v]
        return "&".join(parts)


class _Urls:
    """Object URLs from one ``reverse()`` per view name (thousands of objects)."""

    def __init__(self) -> None:
        self._templates: dict[str, str] = {}

    def __call__(self, viewname: str, pk: Any) -> str:
        template = self._templates.get(viewname)
        if template is None:
            template = reverse(viewname, kwargs={"pk": ID_SENTINEL})
            self._templates[viewname] = template
        return template.replace(str(ID_SENTINEL), str(pk))


def _filtered_sites(user, flt: MapFilter):
    sites = Site.objects.restrict(user, "view")
    if flt.region is not None:
        region = Region.objects.restrict(user, "view").filter(pk=flt.region).first()
        if region is None:
            raise FilterError(_("Unknown town part {id}.").format(id=flt.region))
        sites = sites.filter(region__in=region.get_descendants(include_self=True))
    if flt.tenant is not None:
        sites = sites.filter(tenant_id=flt.tenant)
    return sites


def _fill_color(lit: int, total: int) -> str:
    if total == 0 or lit == 0:
        return FILL_COLORS[0][1]
    share = lit / total
    return next(color for bound, color in FILL_COLORS[1:] if share <= bound)


def _point(lon: Any, lat: Any) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def _serving_cables(user, site_ids: set[int]) -> tuple[set[int], list[str]]:
    """Fiber cables that serve ``site_ids``: ending there, or on a lit path / last mile of their devices."""
    notes: list[str] = []
    cables = set(FiberCable.objects.restrict(user, "view").filter(Q(a_site_id__in=site_ids) | Q(b_site_id__in=site_ids))
                 .values_list("id", flat=True))
    try:
        loaded = cached_network(user)
    except NetworkError as e:
        notes.append(_("The lit fiber paths are left out: {error}").format(error=e.errors[0] if e.errors else e))
        return cables, notes
    net = loaded.network
    wanted = {str(s) for s in site_ids}
    for link in net.links:
        if not link.fibers:
            continue
        if net.device_by_id[link.a.device].site in wanted or net.device_by_id[link.b.device].site in wanted:
            cables.update(int(h.cable) for h in link.fibers)
    for conn in net.connections:
        if conn.site in wanted:
            cables.update(int(h.cable) for h in conn.fibers)
    return cables, notes


def map_geojson(user, flt: MapFilter | None = None) -> dict[str, Any]:
    """The map's FeatureCollection over what ``user`` may view (see the module docstring)."""
    flt = flt or MapFilter()
    url = _Urls()
    features: list[dict[str, Any]] = []
    notes: list[str] = []

    # ---- sites -------------------------------------------------------------------------------------------
    site_rows = list(_filtered_sites(user, flt).values(
        "id", "name", "latitude", "longitude", "tenant_id", "tenant__name", "region__name",
    ).order_by("name"))
    site_ids = {s["id"] for s in site_rows}
    status_of: dict[int, str] = {}
    for site_id, status in (Connection.objects.restrict(user, "view").filter(site_id__in=site_ids)
                            .values_list("site_id", "status")):
        if STATUS_RANK.get(status, 0) > STATUS_RANK.get(status_of.get(site_id, ""), 0):
            status_of[site_id] = status
    pops = set(Device.objects.restrict(user, "view").filter(site_id__in=site_ids, role__slug__in=POP_ROLES)
               .values_list("site_id", flat=True).distinct())
    status_labels = dict(ConnectionStatusChoices.CHOICES)
    drawn_sites = 0
    for s in site_rows:
        if s["latitude"] is None or s["longitude"] is None:
            continue
        drawn_sites += 1
        status = status_of.get(s["id"], "none")
        features.append({"type": "Feature", "id": f"site-{s['id']}", "geometry": _point(s["longitude"], s["latitude"]),
                         "properties": {
            "layer": "site", "id": s["id"], "name": s["name"], "url": url("dcim:site", s["id"]),
            "organization": {"id": s["tenant_id"], "name": s["tenant__name"],
                             "url": url("tenancy:tenant", s["tenant_id"])} if s["tenant_id"] else None,
            "town_part": s["region__name"] or "", "connection_status": status,
            "connection_status_label": str(status_labels.get(status, _("No connection"))),
            "pop": s["id"] in pops, "color": CONNECTION_STATUS_COLORS[status],
        }})

    # ---- plant ---------------------------------------------------------------------------------------------
    cables_qs = FiberCable.objects.restrict(user, "view")
    segments_qs = RouteSegment.objects.restrict(user, "view")
    closures_qs = SpliceClosure.objects.restrict(user, "view")
    if flt.sites_filtered:
        serving, more_notes = _serving_cables(user, site_ids)
        notes += more_notes
        cables_qs = cables_qs.filter(pk__in=serving)
        segments_qs = segments_qs.filter(cable_links__cable__in=cables_qs).distinct()
        ends = cables_qs.values_list("a_closure_id", "b_closure_id")
        closures_qs = closures_qs.filter(Q(pk__in=ends.values("a_closure_id")) | Q(pk__in=ends.values("b_closure_id")))
    lit = dict(FiberStrand.objects.filter(cable__in=cables_qs, status=StrandStatusChoices.ACTIVE)
               .values("cable_id").annotate(n=Count("id")).values_list("cable_id", "n"))
    in_segment: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    cable_status_labels = dict(PlantStatusChoices.CHOICES)
    for row in (FiberCableSegment.objects.filter(cable__in=cables_qs, segment__in=segments_qs)
                .order_by("segment_id", "cable__name")
                .values("segment_id", "cable_id", "cable__name", "cable__status", "cable__strand_count")):
        in_segment[row["segment_id"]].append({
            "id": row["cable_id"], "name": row["cable__name"], "url": url("plugins:netbox_metronet:fibercable",
                                                                          row["cable_id"]),
            "status": row["cable__status"], "status_label": str(cable_status_labels.get(row["cable__status"], "")),
            "strand_count": row["cable__strand_count"], "lit": lit.get(row["cable_id"], 0),
        })
    kind_choices = {c.value: c for c in RouteSegmentKindChoices.CHOICES}
    status_choices = {c.value: c for c in PlantStatusChoices.CHOICES}
    drawn_segments = 0
    for r in segments_qs.values("id", "name", "kind", "status", "geometry", "length_m", "geometry_length_m"):
        geometry = r["geometry"]
        if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
            continue
        drawn_segments += 1
        cables = in_segment.get(r["id"], [])
        strands = sum(c["strand_count"] for c in cables)
        lit_strands = sum(c["lit"] for c in cables)
        kind, status = kind_choices.get(r["kind"]), status_choices.get(r["status"])
        length = r["length_m"] if r["length_m"] is not None else r["geometry_length_m"]
        features.append({"type": "Feature", "id": f"segment-{r['id']}", "geometry": geometry, "properties": {
            "layer": "segment", "id": r["id"], "name": r["name"],
            "url": url("plugins:netbox_metronet:routesegment", r["id"]),
            "kind": r["kind"], "kind_label": str(kind.label) if kind else r["kind"],
            "status": r["status"], "status_label": str(status.label) if status else r["status"],
            "length_m": float(length) if length is not None else None,
            "cables": cables, "strands": strands, "lit_strands": lit_strands,
            "color_kind": COLORS.get(kind.color if kind else "", COLORS["gray"]),
            "color_status": COLORS.get(status.color if status else "", COLORS["gray"]),
            "color_fill": _fill_color(lit_strands, strands),
        }})
    closure_kinds = dict(SpliceClosureKindChoices.CHOICES)
    drawn_closures = 0
    for c in closures_qs.values("id", "name", "kind", "status", "latitude", "longitude"):
        if c["latitude"] is None or c["longitude"] is None:
            continue
        drawn_closures += 1
        features.append({"type": "Feature", "id": f"closure-{c['id']}",
                         "geometry": _point(c["longitude"], c["latitude"]), "properties": {
            "layer": "closure", "id": c["id"], "name": c["name"],
            "url": url("plugins:netbox_metronet:spliceclosure", c["id"]),
            "kind_label": str(closure_kinds.get(c["kind"], c["kind"] or "")), "status": c["status"],
        }})
    return {
        "type": "FeatureCollection", "features": features,
        "counts": {"segments": drawn_segments, "closures": drawn_closures, "sites": drawn_sites},
        "notes": notes,
        "legend": {"fill": [[_("no lit strand"), FILL_COLORS[0][1]]] + [
            [_("up to {share} % of strands lit").format(share=round(bound * 100)), color]
            for bound, color in FILL_COLORS[1:]]},
    }


#
# Network view
#

@dataclass(frozen=True)
class SiteInfo:
    """What the network view needs of a site beyond the topology model."""

    latitude: float | None = None
    longitude: float | None = None
    region_id: int | None = None
    tenant_id: int | None = None


class _BFSTree(rx.visit.BFSVisitor):
    """Collects the tree edges of rustworkx's breadth-first search (``bfs_successors`` lists back edges too)."""

    def __init__(self) -> None:
        self.children: defaultdict[int, list[int]] = defaultdict(list)
        self.parent: dict[int, int] = {}

    def tree_edge(self, edge: tuple[int, int, Any]) -> None:
        self.children[edge[0]].append(edge[1])
        self.parent[edge[1]] = edge[0]


def _bfs_tree(graph: rx.PyGraph, root: int) -> _BFSTree:
    tree = _BFSTree()
    rx.bfs_search(graph, [root], tree)
    return tree


def _radial_tree(graph: rx.PyGraph, root: int, extent: float) -> dict[int, tuple[float, float]]:
    """A radial tree layout (Eades' radial drawing, written here: rustworkx has no tree layout): the BFS tree
    from ``root`` (rustworkx), each node on the circle of its depth within an angular wedge proportional to
    the number of leaves below it."""
    children = _bfs_tree(graph, root).children
    order = [root]
    for node in order:  # breadth-first order from the successor lists
        order.extend(children.get(node, ()))
    leaves: dict[int, int] = {}
    for node in reversed(order):
        leaves[node] = sum(leaves[c] for c in children.get(node, ())) or 1
    depth = {root: 0}
    for node in order:
        for c in children.get(node, ()):
            depth[c] = depth[node] + 1
    ring = extent / 2 / max(1, max(depth.values()))
    pos = {root: (0.0, 0.0)}
    wedge = {root: (0.0, 2 * math.pi)}
    for node in order:
        start, size = wedge[node]
        for c in children.get(node, ()):
            share = size * leaves[c] / leaves[node]
            wedge[c] = (start, share)
            angle = start + share / 2
            pos[c] = (depth[c] * ring * math.cos(angle), depth[c] * ring * math.sin(angle))
            start += share
    return pos


def layout_sites(network: Network, info: dict[str, SiteInfo], extent: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Site positions in a square of ``extent`` units (y up): geographic (equirectangular projection of the
    site coordinates, aspect kept) when every site has coordinates; otherwise sites with coordinates keep
    them and the others are placed by a radial tree from the core over the links between sites (all of them
    when no site has coordinates)."""
    site_ids = [s.id for s in network.sites]
    geo = {sid: (info[sid].longitude, info[sid].latitude) for sid in site_ids
           if sid in info and info[sid].latitude is not None and info[sid].longitude is not None}
    pos: dict[str, tuple[float, float]] = {}
    if geo:
        lat0 = sum(lat for _lon, lat in geo.values()) / len(geo)
        xy = {sid: (lon * math.cos(math.radians(lat0)), lat) for sid, (lon, lat) in geo.items()}
        xs, ys = [p[0] for p in xy.values()], [p[1] for p in xy.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        pos = {sid: ((x - min(xs)) / span * extent, (y - min(ys)) / span * extent) for sid, (x, y) in xy.items()}
    missing = [sid for sid in site_ids if sid not in pos]
    if not missing:
        return pos
    # the site graph: one vertex per site + a root joined to the core sites and to one site per component
    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(site_ids) + 1))
    index = {sid: i for i, sid in enumerate(site_ids)}
    root = len(site_ids)
    device_site = {d.id: d.site for d in network.devices}
    for link in network.links:
        a, b = device_site[link.a.device], device_site[link.b.device]
        if a != b:
            graph.add_edge(index[a], index[b], None)
    for core in network.core_sites:
        graph.add_edge(root, index[core], None)
    for component in rx.connected_components(graph):
        if root not in component:
            graph.add_edge(root, min(component), None)
    tree = _radial_tree(graph, root, extent if not pos else extent / 4)
    if not pos:
        return {sid: (x + extent / 2, y + extent / 2) for sid, i in index.items() for x, y in [tree[i]]}
    # some sites have coordinates: the others hang around the nearest placed ancestor in the tree
    parents = _bfs_tree(graph, root).parent
    for sid in missing:
        node, anchor = index[sid], (extent / 2, extent / 2)
        while node in parents:
            node = parents[node]
            if node != root and site_ids[node] in pos:
                anchor = pos[site_ids[node]]
                break
        x, y = tree[index[sid]]
        pos[sid] = (anchor[0] + x / 8, anchor[1] + y / 8)
    return pos


def network_payload(network: Network, info: dict[str, SiteInfo], live: LiveStatus, flt: MapFilter | None = None,
                    roles: dict[str, dict[str, str]] | None = None, extent: float = 1000.0) -> dict[str, Any]:
    """Nodes (devices) and edges (links) with positions and live status; Django-free except for URLs."""
    flt = flt or MapFilter()
    roles = roles or {}
    url = _Urls()
    site_pos = layout_sites(network, info, extent)
    # which devices pass the filter
    keep_sites = {s.id for s in network.sites
                  if (flt.tenant is None or (info.get(s.id) or SiteInfo()).tenant_id == flt.tenant)}
    if flt.region_ids is not None:
        keep_sites &= {sid for sid, i in info.items() if i.region_id in flt.region_ids}
    devices = [d for d in network.devices if d.site in keep_sites and (flt.role is None or d.role == flt.role)]
    per_site: defaultdict[str, list[Any]] = defaultdict(list)
    for d in devices:
        per_site[d.site].append(d)
    nodes = []
    site_names = {s.id: s.name for s in network.sites}
    spacing = extent / 400
    for sid, here in per_site.items():
        cx, cy = site_pos.get(sid, (0.0, 0.0))
        radius = 0.0 if len(here) == 1 else spacing * (1 + math.sqrt(len(here)))
        for i, d in enumerate(here):
            angle = 2 * math.pi * i / len(here)
            status = live.device_status(d.name) if live.available else UNKNOWN
            role = roles.get(d.role, {})
            nodes.append({
                "id": d.id, "name": d.label, "x": round(cx + radius * math.cos(angle), 3),
                "y": round(cy + radius * math.sin(angle), 3), "site": site_names.get(sid, sid),
                "site_url": url("dcim:site", sid), "role": d.role, "role_label": role.get("name", d.role),
                "role_color": role.get("color", "#868e96"), "status": status, "color": LIVE_COLORS[status],
                "url": url("dcim:device", d.id),
            })
    kept = {n["id"] for n in nodes}
    edges = []
    for link in network.links:
        if link.a.device not in kept or link.b.device not in kept:
            continue
        ends = [(network.device_by_id[e.device].name, e.interface) for e in (link.a, link.b)]
        status = live.link_status(ends) if live.available else UNKNOWN
        edge: dict[str, Any] = {
            "id": link.id, "a": link.a.device, "b": link.b.device, "name": link.name or link.id,
            "kind": "fiber" if link.fibers else "patch", "status": status, "color": LIVE_COLORS[status],
        }
        if link.id.startswith("cable-"):
            edge["url"] = url("dcim:cable", link.id.removeprefix("cable-"))
        elif link.id.startswith("fiber-"):
            ifaces = link.id.split("-")[1:]
            edge["interfaces"] = [{"name": f"{n} {i}", "url": url("dcim:interface", pk)}
                                  for (n, i), pk in zip(ends, ifaces, strict=False)]
        if link.fibers:
            names = {}
            for hop in link.fibers:
                cable = network.cable_by_id.get(hop.cable)
                names[hop.cable] = cable.name if cable else hop.cable
            edge["cables"] = [{"name": n, "url": url("plugins:netbox_metronet:fibercable", c)}
                              for c, n in names.items()]
        edges.append(edge)
    counts = dict.fromkeys(LIVE_COLORS, 0)
    for n in nodes:
        counts[n["status"]] += 1
    return {
        "nodes": nodes, "edges": edges, "extent": extent,
        "counts": {"nodes": len(nodes), "edges": len(edges), "by_status": counts},
        "live": {"state": live.state, "note": live.note},
        "legend": {"status": LIVE_COLORS},
    }


def network_graph(user, flt: MapFilter, live: LiveStatus) -> dict[str, Any]:
    """:func:`network_payload` over what ``user`` may view (18 queries at most)."""
    try:
        loaded: LoadedNetwork = cached_network(user)
    except NetworkError as e:
        return {"nodes": [], "edges": [], "extent": 1000.0, "counts": {"nodes": 0, "edges": 0, "by_status": {}},
                "live": {"state": live.state, "note": live.note}, "legend": {"status": LIVE_COLORS},
                "errors": [str(x) for x in e.errors]}
    info = {str(s["id"]): SiteInfo(
        latitude=float(s["latitude"]) if s["latitude"] is not None else None,
        longitude=float(s["longitude"]) if s["longitude"] is not None else None,
        region_id=s["region_id"], tenant_id=s["tenant_id"],
    ) for s in Site.objects.restrict(user, "view").values("id", "latitude", "longitude", "region_id", "tenant_id")}
    if flt.region is not None:
        region = Region.objects.restrict(user, "view").filter(pk=flt.region).first()
        if region is None:
            raise FilterError(_("Unknown town part {id}.").format(id=flt.region))
        regions = frozenset(region.get_descendants(include_self=True).values_list("id", flat=True))
        flt = dataclasses.replace(flt, region_ids=regions)
    roles = {r["slug"]: {"name": r["name"], "color": f"#{r['color']}" if r["color"] else "#868e96"}
             for r in DeviceRole.objects.values("slug", "name", "color")}
    return network_payload(loaded.network, info, live, flt, roles)


def filter_choices(user) -> dict[str, list[tuple[int | str, str]]]:
    """Choices of the filter forms: town parts (regions), organizations (tenants with a profile), roles."""
    return {
        "regions": list(Region.objects.restrict(user, "view").values_list("id", "name")),  # in tree order
        "tenants": list(Tenant.objects.restrict(user, "view").filter(metronet_profile__isnull=False)
                        .order_by("name").values_list("id", "name")),
        "roles": list(DeviceRole.objects.order_by("name").values_list("slug", "name")),
    }
