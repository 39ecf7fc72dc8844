"""REST endpoints of the topology analysis (``metronet_topology`` over the network loaded from NetBox).

- ``POST /api/plugins/metronet/topology/impact/`` with a list of elements taken out at once::

      [{"route_segment": 12}, {"closure": 3}, {"fiber_cable": 7}, {"device": 5}, {"site": 2}, {"link": "cable-9"}]

  (or ``{"elements": [...]}``) answers which organizations go offline, which only lose redundancy (with the
  contact of their profile), which services ran over the cut, and the cables, links and devices cut.
- ``GET /api/plugins/metronet/topology/planned-vs-built/``: the planned device-to-device links against the
  LLDP neighbors seen (``planned_vs_built``); needs ``view_lldpneighbor`` and ``dcim.view_cable``.
- ``GET /api/plugins/metronet/topology/spof/``: for every organization site its single points of failure,
  level (``redundant``, ``single``, ``disconnected``) and redundancy score; per organization; and the
  elements that are a single point of failure for the most sites.

The MetroNet → Topology pages (``views/topology.py``) show the same data: they call :func:`impact_data` and
:func:`spof_data` below, which build these responses. An organization's ``contacts`` are its tenancy contact
assignments (those the user may view), ``contact`` the contact of its MetroNet profile.

Both authenticate as every NetBox API view does (session or token), require
``netbox_metronet.view_routesegment`` and ``netbox_metronet.view_connection`` (403 otherwise), and load only
the objects the user may view (``topology_loader.restricted_querysets``). A network that does not validate
(e.g. no core site visible or configured) is answered with 409 and the list of problems. The loaded network
and its compiled topology come from ``topology_cache`` (kept per worker process while the inventory version,
one query, does not change); so is the SPOF report (:func:`spof_for_user`) and the planned-vs-built
comparison (memoized on the cache entry, see ``topology_cache``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from netbox.api.authentication import IsAuthenticatedOrLoginNotRequired
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from tenancy.models import ContactAssignment, Tenant

from metronet_topology import (
    ElementKind,
    ElementRef,
    Network,
    NetworkError,
    ServiceRef,
    Topology,
    UnknownElementError,
    cut_impact,
    single_points_of_failure,
)

from ..planned_vs_built import PlannedVsBuilt
from ..topology_cache import cached_analysis, cached_planned_vs_built, cached_topology
from ..topology_loader import LoadedNetwork

__all__ = (
    "ELEMENT_KEYS", "PLANNED_VS_BUILT_PERMISSIONS", "REQUIRED_PERMISSIONS", "URLS", "TopologyPlannedVsBuiltAPIView",
    "max_age_param", "planned_vs_built_for", "TopologyImpactAPIView", "TopologySpofAPIView",
    "contact_assignments", "impact_data", "load_topology", "spof_data", "spof_for_user", "unknown_elements",
)

REQUIRED_PERMISSIONS = ("netbox_metronet.view_routesegment", "netbox_metronet.view_connection")

#: request key → element kind of the library
ELEMENT_KEYS: dict[str, ElementKind] = {
    "route_segment": ElementKind.SEGMENT,
    "closure": ElementKind.CLOSURE,
    "fiber_cable": ElementKind.CABLE,
    "device": ElementKind.DEVICE,
    "site": ElementKind.SITE,
    "link": ElementKind.LINK,
}
_KEY_OF = {kind: key for key, kind in ELEMENT_KEYS.items()}


def load_topology(user) -> tuple[LoadedNetwork, Topology]:
    """The network ``user`` may view, compiled (raises :class:`NetworkError` when it does not validate); kept
    between requests while the inventory does not change (``topology_cache``)."""
    return cached_topology(user)


class _TopologyView(APIView):
    permission_classes = [IsAuthenticatedOrLoginNotRequired]

    def load(self, request) -> tuple[LoadedNetwork, Topology] | Response:
        if not request.user.has_perms(REQUIRED_PERMISSIONS):
            raise PermissionDenied()
        try:
            return load_topology(request.user)
        except NetworkError as e:
            return Response({"detail": _("The network data is inconsistent."), "errors": list(e.errors)},
                            status=status.HTTP_409_CONFLICT)


def _element_name(net: Network, ref: ElementRef) -> str:
    table: Any = {
        ElementKind.SITE: net.site_by_id, ElementKind.CLOSURE: net.closure_by_id,
        ElementKind.SEGMENT: net.segment_by_id, ElementKind.CABLE: net.cable_by_id,
        ElementKind.DEVICE: net.device_by_id, ElementKind.LINK: net.link_by_id,
    }[ref.kind]
    obj = table.get(ref.id)
    return getattr(obj, "name", "") or ref.id if obj is not None else ref.id


def element_dict(net: Network, ref: ElementRef) -> dict[str, Any]:
    """``{"type": "route_segment", "id": 12, "name": "D-01"}`` (links keep their string ids)."""
    ident: int | str = ref.id if ref.kind is ElementKind.LINK else int(ref.id)
    return {"type": _KEY_OF[ref.kind], "id": ident, "name": _element_name(net, ref)}


def contact_assignments(user, org_ids) -> dict[str, list[dict[str, Any]]]:
    """Organization (tenant) id → its tenancy contact assignments that ``user`` may view (one query)."""
    ids = sorted({int(o) for o in org_ids})
    out: dict[str, list[dict[str, Any]]] = {str(i): [] for i in ids}
    if not ids or not user.has_perm("tenancy.view_contactassignment"):
        return out
    rows = (ContactAssignment.objects.restrict(user, "view")
            .filter(object_type=ContentType.objects.get_for_model(Tenant), object_id__in=ids)
            .order_by("object_id", "priority", "contact__name")
            .values("object_id", "contact_id", "contact__name", "contact__email", "contact__phone", "role__name",
                    "priority"))
    for r in rows:
        out[str(r["object_id"])].append({
            "id": r["contact_id"], "name": r["contact__name"], "email": r["contact__email"] or "",
            "phone": r["contact__phone"] or "", "role": r["role__name"] or "", "priority": r["priority"] or "",
        })
    return out


def organization_dict(loaded: LoadedNetwork, org_id: str,
                      assignments: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    org = loaded.network.organization_by_id.get(org_id)
    out = {"id": int(org_id), "name": org.name if org else "", "type": org.kind if org else "",
           "contact": loaded.contacts.get(org_id)}
    if assignments is not None:
        out["contacts"] = assignments.get(org_id, [])
    return out


def service_dict(loaded: LoadedNetwork, ref: ServiceRef) -> dict[str, Any]:
    net = loaded.network
    site = net.site_by_id.get(ref.site)
    connection: int | None = int(ref.id) if ref.id in net.connection_by_id else None
    return {"service": ref.id, "connection": connection, "organization": organization_dict(loaded, ref.organization),
            "site": {"id": int(ref.site), "name": site.name if site else ""}}


def _organizations(loaded: LoadedNetwork, refs: tuple[ServiceRef, ...],
                   assignments: dict[str, list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    return [organization_dict(loaded, org, assignments) for org in sorted({r.organization for r in refs}, key=int)]


def unknown_elements(topo: Topology, refs: list[ElementRef]) -> list[ElementRef]:
    """The elements of ``refs`` that are not part of the loaded network."""
    unknown = []
    for ref in refs:
        try:
            topo.element(ref)
        except UnknownElementError:
            unknown.append(ref)
    return unknown


def impact_data(loaded: LoadedNetwork, topo: Topology, refs: list[ElementRef], user) -> dict[str, Any]:
    """The answer of ``POST topology/impact/`` (and of the Cut impact page) for known elements ``refs``."""
    net = loaded.network
    impact = cut_impact(topo, refs)
    over_cut = tuple(sorted(set(impact.offline) | set(impact.rerouted)))
    assignments = contact_assignments(user, {s.organization for s in (*impact.offline, *impact.degraded)})
    return {
        "cut": [element_dict(net, r) for r in impact.cut],
        "offline_organizations": _organizations(loaded, impact.offline, assignments),
        "offline": [service_dict(loaded, s) for s in impact.offline],
        "degraded_organizations": _organizations(loaded, impact.degraded, assignments),
        "degraded": [service_dict(loaded, s) for s in impact.degraded],
        "rerouted": [service_dict(loaded, s) for s in impact.rerouted],
        "services_over_cut": [{**service_dict(loaded, s), "state": "offline" if s in impact.offline else "rerouted"}
                              for s in over_cut],
        "fiber_cables_cut": [element_dict(net, ElementRef(ElementKind.CABLE, c)) for c in impact.cables_cut],
        "links_cut": [element_dict(net, ElementRef(ElementKind.LINK, x)) for x in impact.links_cut],
        "devices_down": [element_dict(net, ElementRef(ElementKind.DEVICE, d)) for d in impact.devices_down],
        "devices_unreachable": [element_dict(net, ElementRef(ElementKind.DEVICE, d))
                                for d in impact.devices_unreachable],
    }


def spof_data(loaded: LoadedNetwork, topo: Topology) -> dict[str, Any]:
    """The answer of ``GET topology/spof/`` (and of the Single points of failure page)."""
    net = loaded.network
    report = single_points_of_failure(topo)

    def site_row(s) -> dict[str, Any]:
        return {**service_dict(loaded, s.service), "level": s.level, "score": round(s.score, 4),
                "path_elements": s.path_elements, "spofs": [element_dict(net, e) for e in s.spofs]}

    return {
        "sites": [site_row(s) for s in report.services],
        "organizations": [{
            **organization_dict(loaded, o.organization), "level": o.level, "score": round(o.score, 4),
            "sites": [int(s.service.site) for s in o.sites], "spofs": [element_dict(net, e) for e in o.spofs],
        } for o in report.by_organization()],
        "critical_elements": [{**element_dict(net, e), "sites": len(services)}
                              for e, services in report.critical_elements(limit=25)],
    }


def spof_for_user(user) -> dict[str, Any]:
    """:func:`spof_data` over what ``user`` may view, computed once per topology cache entry (raises
    :class:`NetworkError` when the network does not validate). Shared between requests: do not modify it."""
    return cached_analysis(user, "spof", spof_data)


def parse_elements(data: Any) -> list[ElementRef]:
    """The request body as element refs; ValidationError names every bad entry."""
    if isinstance(data, dict) and "elements" in data:
        data = data["elements"]
    if not isinstance(data, list) or not data:
        raise ValidationError({"elements": [_("Give a non-empty list of elements, e.g. [{\"route_segment\": 12}].")]})
    refs, errors = [], {}
    for i, item in enumerate(data):
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in ELEMENT_KEYS:
            errors[str(i)] = _("Expected one key of {keys}.").format(keys=", ".join(ELEMENT_KEYS))
            continue
        key, value = next(iter(item.items()))
        kind = ELEMENT_KEYS[key]
        if kind is ElementKind.LINK:
            if not isinstance(value, str) or not value:
                errors[str(i)] = _("A link is given by its id, e.g. \"cable-9\".")
                continue
            refs.append(ElementRef(kind, value))
        else:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors[str(i)] = _("{key}: expected a positive integer ID.").format(key=key)
                continue
            refs.append(ElementRef(kind, str(value)))
    if errors:
        raise ValidationError({"elements": errors})
    return refs


class TopologyImpactAPIView(_TopologyView):
    """What a cut takes down: organizations offline, those losing redundancy, services over the cut."""

    def get_view_name(self):
        return "Topology Cut Impact"

    @extend_schema(operation_id="plugins_metronet_topology_impact_create", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        if not request.user.has_perms(REQUIRED_PERMISSIONS):
            raise PermissionDenied()
        refs = parse_elements(request.data)
        result = self.load(request)
        if isinstance(result, Response):
            return result
        loaded, topo = result
        unknown = unknown_elements(topo, refs)
        if unknown:
            raise ValidationError({"elements": [
                _("Unknown {type} {id} (it does not exist, is not part of the network, or you may not view it).")
                .format(type=_KEY_OF[r.kind], id=r.id) for r in unknown]})
        return Response(impact_data(loaded, topo, refs, request.user))


class TopologySpofAPIView(_TopologyView):
    """Single points of failure and redundancy score of every organization site."""

    def get_view_name(self):
        return "Topology Single Points of Failure"

    @extend_schema(operation_id="plugins_metronet_topology_spof_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not request.user.has_perms(REQUIRED_PERMISSIONS):
            raise PermissionDenied()
        try:
            return Response(spof_for_user(request.user))
        except NetworkError as e:
            return Response({"detail": _("The network data is inconsistent."), "errors": list(e.errors)},
                            status=status.HTTP_409_CONFLICT)


PLANNED_VS_BUILT_PERMISSIONS = ("netbox_metronet.view_lldpneighbor", "dcim.view_cable")


def max_age_param(value: Any) -> float | None:
    """``?max_age_hours=`` as a positive number of hours (None when not given); ValueError otherwise."""
    if value in (None, ""):
        return None
    hours = float(value)
    if not hours > 0 or hours != hours or hours == float("inf"):
        raise ValueError(value)
    return hours


def planned_vs_built_for(user, max_age_hours: float | None = None) -> PlannedVsBuilt:
    """:func:`planned_vs_built.compare` over what ``user`` may view (the planned links from ``topology_cache``,
    the comparison memoized there while neither the inventory nor the neighbors change and no neighbor turns
    stale). Shared between requests: do not modify it."""
    return cached_planned_vs_built(user, max_age_hours)


class TopologyPlannedVsBuiltAPIView(APIView):
    """Planned links (NetBox cables, lit fiber paths) against the LLDP neighbors seen: confirmed, mismatched,
    missing, unexpected, stale. ``?max_age_hours=`` overrides ``lldp_stale_hours``. Requires
    ``netbox_metronet.view_lldpneighbor`` and ``dcim.view_cable``."""

    permission_classes = [IsAuthenticatedOrLoginNotRequired]

    def get_view_name(self):
        return "Topology Planned vs Built"

    @extend_schema(operation_id="plugins_metronet_topology_planned_vs_built_retrieve",
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not request.user.has_perms(PLANNED_VS_BUILT_PERMISSIONS):
            raise PermissionDenied()
        try:
            hours = max_age_param(request.query_params.get("max_age_hours"))
        except ValueError:
            raise ValidationError({"max_age_hours": [_("Expected a positive number of hours.")]}) from None
        return Response(planned_vs_built_for(request.user, hours).to_dict())


#: extra URL patterns (api/urls.py)
URLS = [
    path("topology/planned-vs-built/", TopologyPlannedVsBuiltAPIView.as_view(), name="topology-planned-vs-built"),
    path("topology/impact/", TopologyImpactAPIView.as_view(), name="topology-impact"),
    path("topology/spof/", TopologySpofAPIView.as_view(), name="topology-spof"),
]
