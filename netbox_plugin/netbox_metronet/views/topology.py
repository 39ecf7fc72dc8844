"""MetroNet → Topology pages: cut impact, single points of failure, planned vs built (each with a CSV export).

The pages show exactly what the REST endpoints answer (``api/views_topology.py``: :func:`impact_data`,
:func:`spof_data`, :func:`planned_vs_built_for`), over the objects the user may view. Permissions: cut impact
and SPOF need ``netbox_metronet.view_routesegment`` and ``netbox_metronet.view_connection`` (as the REST
endpoints); planned vs built needs ``netbox_metronet.view_lldpneighbor`` and ``dcim.view_cable``.

``impact/?route_segment=12&route_segment=13&closure=3&fiber_cable=7&device=5&site=2`` cuts those elements at
once; the detail pages of route segments, closures, fiber cables, devices and sites link here with their own
element ("What breaks if this is cut?", ``template_content_topology.py``).

The SPOF page's per-organization table and the planned-vs-built lists are paginated as NetBox's lists are
(``?page=``, ``?per_page=``, the user's preferred page length); the CSV exports hold every row.
"""

from __future__ import annotations

import csv
from typing import Any

from dcim.models import Device, Site
from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import View
from utilities.forms.fields import DynamicModelMultipleChoiceField
from utilities.paginator import EnhancedPaginator, get_paginate_count
from utilities.views import ContentTypePermissionRequiredMixin

from metronet_topology import ElementRef, NetworkError

from ..api.views_topology import (
    ELEMENT_KEYS,
    PLANNED_VS_BUILT_PERMISSIONS,
    REQUIRED_PERMISSIONS,
    impact_data,
    load_topology,
    max_age_param,
    planned_vs_built_for,
    spof_for_user,
    unknown_elements,
)
from ..models import FiberCable, RouteSegment, SpliceClosure

__all__ = (
    "ImpactCSVView", "ImpactForm", "ImpactView", "PlannedVsBuiltCSVView", "PlannedVsBuiltView", "SpofCSVView",
    "SpofView", "URLS", "impact_csv_rows", "spof_csv_rows",
)

#: element type (the REST key) → (URL name of its page, form field)
ELEMENT_PAGES = {
    "route_segment": "plugins:netbox_metronet:routesegment",
    "closure": "plugins:netbox_metronet:spliceclosure",
    "fiber_cable": "plugins:netbox_metronet:fibercable",
    "device": "dcim:device",
    "site": "dcim:site",
}
LEVEL_ORDER = {"disconnected": 0, "single": 1, "redundant": 2}


def paginate(request, items: list[Any]):
    """NetBox's paginator over ``items``: (paginator, the requested page; the last one past the end)."""
    paginator = EnhancedPaginator(items, get_paginate_count(request))
    return paginator, paginator.get_page(request.GET.get("page"))


def element_url(item: dict[str, Any]) -> str | None:
    """The page of an element dict of the REST answer (links: the NetBox cable of a patch link)."""
    kind, ident = item["type"], item["id"]
    try:
        if kind in ELEMENT_PAGES:
            return reverse(ELEMENT_PAGES[kind], args=[ident])
        if kind == "link" and isinstance(ident, str) and ident.startswith("cable-"):
            return reverse("dcim:cable", args=[int(ident.split("-", 1)[1])])
    except (NoReverseMatch, ValueError):
        return None
    return None


def _with_urls(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "url": element_url(item)} for item in items]


def _contacts_text(org: dict[str, Any]) -> str:
    people = []
    if org.get("contact"):
        people.append(org["contact"])
    people += [c for c in org.get("contacts", []) if not org.get("contact") or c["id"] != org["contact"]["id"]]
    return "; ".join(" ".join(v for v in (c["name"], c.get("email", ""), c.get("phone", "")) if v) for c in people)


class _TopologyPage(ContentTypePermissionRequiredMixin, View):
    def get_required_permission(self):
        return REQUIRED_PERMISSIONS[0]

    additional_permissions = list(REQUIRED_PERMISSIONS[1:])


#
# Cut impact
#

class ImpactForm(forms.Form):
    """The elements to cut at once (submitted by GET); the keys are those of the REST endpoint."""

    route_segment = DynamicModelMultipleChoiceField(
        queryset=RouteSegment.objects.all(), required=False, label=_("Route segments"))
    closure = DynamicModelMultipleChoiceField(
        queryset=SpliceClosure.objects.all(), required=False, label=_("Splice closures"))
    fiber_cable = DynamicModelMultipleChoiceField(
        queryset=FiberCable.objects.all(), required=False, label=_("Fiber cables"))
    device = DynamicModelMultipleChoiceField(queryset=Device.objects.all(), required=False, label=_("Devices"))
    site = DynamicModelMultipleChoiceField(
        queryset=Site.objects.all(), required=False, label=pgettext_lazy("metronet", "Sites"))


def requested_elements(request) -> list[ElementRef]:
    """The elements named in the query string (``route_segment=12&closure=3``...); 404 for a non-integer ID."""
    refs = []
    for key in ImpactForm.base_fields:
        for value in request.GET.getlist(key):
            value = value.strip()
            if not value:
                continue
            if not value.isdigit() or int(value) < 1:
                raise Http404(_("{key} must be an object ID, not {value!r}.").format(key=key, value=value))
            refs.append(ElementRef(ELEMENT_KEYS[key], str(int(value))))
    return list(dict.fromkeys(refs))


def impact_for(request) -> tuple[dict[str, Any] | None, list[str]]:
    """(impact data or None, errors to show) for the elements of the request."""
    refs = requested_elements(request)
    if not refs:
        return None, []
    try:
        loaded, topo = load_topology(request.user)
    except NetworkError as e:
        return None, [str(_("The network data is inconsistent.")), *e.errors]
    unknown = unknown_elements(topo, refs)
    if unknown:
        keys = {kind: key for key, kind in ELEMENT_KEYS.items()}
        return None, [str(_("Unknown {type} {id} (it does not exist, is not part of the network, or you may not "
                            "view it).")).format(type=keys[r.kind], id=r.id) for r in unknown]
    return impact_data(loaded, topo, refs, request.user), []


def impact_csv_rows(data: dict[str, Any]) -> list[list[Any]]:
    """One row per organization site that goes offline, loses redundancy or is rerouted, with its contacts."""
    orgs = {o["id"]: o for o in (*data["offline_organizations"], *data["degraded_organizations"])}
    rows: list[list[Any]] = [["state", "organization", "organization_type", "site", "connection", "contacts"]]
    for state, services in (("offline", data["offline"]), ("degraded", data["degraded"]),
                            ("rerouted", data["rerouted"])):
        for s in services:
            org = orgs.get(s["organization"]["id"], s["organization"])
            rows.append([state, org["name"], org["type"], s["site"]["name"], s["connection"] or "",
                         _contacts_text(org)])
    return rows


class ImpactView(_TopologyPage):
    """Pick elements to cut; see who goes offline (with contacts), who loses redundancy, what ran over the cut."""

    template_name = "netbox_metronet/impact.html"

    def get(self, request):
        data, errors = impact_for(request)
        form = ImpactForm(request.GET or None)
        context: dict[str, Any] = {"form": form, "errors": errors, "data": data,
                                   "query": request.GET.urlencode()}
        if data is not None:
            context |= {
                "cut": _with_urls(data["cut"]),
                "cables": _with_urls(data["fiber_cables_cut"]),
                "links": _with_urls(data["links_cut"]),
                "devices_down": _with_urls(data["devices_down"]),
                "devices_unreachable": _with_urls(data["devices_unreachable"]),
            }
        return render(request, self.template_name, context)


class ImpactCSVView(_TopologyPage):
    def get(self, request):
        data, errors = impact_for(request)
        if data is None:
            raise Http404("; ".join(errors) or _("Name at least one element to cut."))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="metronet-impact-{timezone.now():%Y-%m-%d}.csv"'
        csv.writer(response).writerows(impact_csv_rows(data))
        return response


#
# Single points of failure
#

SPOF_SORTS = {
    "name": lambda o: (o["name"].lower(),),
    "type": lambda o: (o["type"], o["name"].lower()),
    "level": lambda o: (LEVEL_ORDER.get(o["level"], 9), o["score"], o["name"].lower()),
    "score": lambda o: (o["score"], o["name"].lower()),
    "spofs": lambda o: (len(o["spofs"]), o["name"].lower()),
}


def spof_for(request) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        return spof_for_user(request.user), []  # memoized on the topology cache entry
    except NetworkError as e:
        return None, [str(_("The network data is inconsistent.")), *e.errors]


def spof_csv_rows(data: dict[str, Any]) -> list[list[Any]]:
    """One row per organization and single point of failure (one row without an element when it has none)."""
    rows: list[list[Any]] = [["organization", "organization_type", "level", "score", "spof_count", "element_type",
                              "element_id", "element_name"]]
    for o in data["organizations"]:
        head = [o["name"], o["type"], o["level"], o["score"], len(o["spofs"])]
        for e in o["spofs"] or [None]:
            rows.append([*head, *((e["type"], e["id"], e["name"]) if e else ("", "", ""))])
    return rows


class SpofView(_TopologyPage):
    """Per organization its single points of failure and redundancy score (sortable: ``?sort=score``, ``-score``,
    ``name``, ``type``, ``level``, ``spofs``; ``?organization=<tenant id>`` shows one; paginated), and town-wide
    the elements that are a single point of failure for the most sites."""

    template_name = "netbox_metronet/spof.html"

    def get(self, request):
        data, errors = spof_for(request)
        sort = request.GET.get("sort", "score")
        key = SPOF_SORTS.get(sort.lstrip("-"), SPOF_SORTS["score"])
        organizations: list[dict[str, Any]] = []
        levels = {"redundant": 0, "single": 0, "disconnected": 0}
        only = request.GET.get("organization", "").strip()
        if data is not None:
            for o in sorted(data["organizations"], key=key, reverse=sort.startswith("-")):
                levels[o["level"]] = levels.get(o["level"], 0) + 1
                if not only or str(o["id"]) == only:
                    organizations.append(o)
        paginator, page = paginate(request, organizations)
        if data is not None:  # links and site names for the rows shown only
            sites = {s["site"]["id"]: s for s in data["sites"]}
            organizations = [{**o, "spofs": _with_urls(o["spofs"]),
                              "site_names": [sites[s]["site"]["name"] for s in o["sites"] if s in sites]}
                             for o in page.object_list]
        context = {
            "data": data, "errors": errors, "organizations": organizations, "levels": levels, "sort": sort,
            "paginator": paginator, "page": page,
            "only": only, "critical": _with_urls(data["critical_elements"]) if data else [],
            "sort_links": {k: "-" + k if sort == k else k for k in SPOF_SORTS},
        }
        return render(request, self.template_name, context)


class SpofCSVView(_TopologyPage):
    def get(self, request):
        data, errors = spof_for(request)
        if data is None:
            raise Http404("; ".join(errors))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="metronet-spof-{timezone.now():%Y-%m-%d}.csv"'
        csv.writer(response).writerows(spof_csv_rows(data))
        return response


#
# Planned vs built
#

class _PlannedVsBuiltPage(ContentTypePermissionRequiredMixin, View):
    def get_required_permission(self):
        return PLANNED_VS_BUILT_PERMISSIONS[0]

    additional_permissions = list(PLANNED_VS_BUILT_PERMISSIONS[1:])

    def comparison(self, request):
        try:
            hours = max_age_param(request.GET.get("max_age_hours"))
        except ValueError:
            raise Http404(_("max_age_hours must be a positive number of hours.")) from None
        return planned_vs_built_for(request.user, hours)


#: the sections of the planned-vs-built page, in page order
PVB_SECTIONS = ("mismatched", "unexpected", "missing", "confirmed", "stale")


class PlannedVsBuiltView(_PlannedVsBuiltPage):
    """Planned links against the LLDP neighbors seen: mismatched, unexpected, missing, confirmed, stale (in this
    order, one list paginated across the sections; a section without any row shows on the first page)."""

    template_name = "netbox_metronet/planned_vs_built.html"

    def get(self, request):
        result = self.comparison(request)
        rows = [(status, item) for status in PVB_SECTIONS for item in getattr(result, status)]
        paginator, page = paginate(request, rows)
        shown: dict[str, list[dict[str, Any]]] = {status: [] for status in PVB_SECTIONS}
        for status, item in page.object_list:
            shown[status].append(item)
        summary = result.summary()
        visible = {status: bool(shown[status]) or (summary[status] == 0 and page.number == 1)
                   for status in PVB_SECTIONS}
        context = {"result": result, "summary": summary, "max_age_param": request.GET.get("max_age_hours", ""),
                   "shown": shown, "visible": visible, "paginator": paginator, "page": page}
        return render(request, self.template_name, context)


class PlannedVsBuiltCSVView(_PlannedVsBuiltPage):
    def get(self, request):
        result = self.comparison(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="metronet-planned-vs-built-{timezone.now():%Y-%m-%d}.csv"')
        csv.writer(response).writerows(result.csv_rows())
        return response


#: extra URL patterns (urls.py)
URLS = [
    path("topology/impact/", ImpactView.as_view(), name="topology_impact"),
    path("topology/impact/export.csv", ImpactCSVView.as_view(), name="topology_impact_export"),
    path("topology/spof/", SpofView.as_view(), name="topology_spof"),
    path("topology/spof/export.csv", SpofCSVView.as_view(), name="topology_spof_export"),
    path("topology/planned-vs-built/", PlannedVsBuiltView.as_view(), name="planned_vs_built"),
    path("topology/planned-vs-built/export.csv", PlannedVsBuiltCSVView.as_view(), name="planned_vs_built_export"),
]
