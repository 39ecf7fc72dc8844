"""The map (MetroNet → Topology → Map) and the network view (→ Network).

The pages hold the filter form and the drawing area; their JavaScript (``static/netbox_metronet/map.js``,
``network.js``, drawing with the vendored Leaflet) reads the data from the REST endpoints of
``api/views_maps.py`` with the same query string. The map requires ``netbox_metronet.view_routesegment``,
the network view ``dcim.view_device`` (as their endpoints do).
"""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import View
from netbox.plugins import get_plugin_config
from utilities.views import ContentTypePermissionRequiredMixin

from ..api.views_maps import MAP_PERMISSION, NETWORK_PERMISSION
from ..maps_data import CONNECTION_STATUS_COLORS, LIVE_COLORS, FilterError, MapFilter, filter_choices

__all__ = ("MapView", "NetworkView", "URLS")


#: strings the pages' JavaScript shows (passed with json_script, so any translation is safe)
JS_STRINGS = {
    "loading": _("Loading…"), "load_failed": _("Could not load the data"), "drawn": _("Drawn"),
    "segments": _("route segments"), "closures": _("splice closures"), "sites": pgettext_lazy("metronet", "sites"),
    "devices": _("devices"), "links": _("links"), "cables": _("Cables in the segment"),
    "no_cables": _("No cables in this segment."), "lit": _("lit"), "strands": _("strands"),
    "impact": _("If cut"), "computing": _("Computing the cut impact…"),
    "offline": _("Organizations that lose service"), "degraded": _("Organizations that lose only redundancy"),
    "none": _("none"), "impact_failed": _("The cut impact is not available"), "clear": _("Clear selection"),
    "organization": _("Organization"), "town_part": _("Town part"), "connection_status": _("Connection"),
    "pop": _("POP"), "site": _("Site"), "role": _("Role"), "status": _("Status"), "length": _("Length"),
    "kind": _("Kind"), "selected_segments": _("Selected segments"), "contact": pgettext_lazy("metronet", "Contact"),
    "live_unknown": _("Live status unknown"), "interfaces": _("Interfaces"), "fiber_cables": _("Fiber cables"),
    "fiber_path": _("Lit fiber path"), "patch": _("Patch cable"), "open": _("Open in NetBox"),
    "closure": _("Splice closure"), "problems": _("The network data is inconsistent"),
}


def _selected(request) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in ("region", "tenant", "role", "color")}


def _filter_error(request) -> str:
    try:
        MapFilter.from_query(request.GET)
    except FilterError as e:
        return str(e)
    return ""


class MapView(ContentTypePermissionRequiredMixin, View):
    """Route segments, closures, POPs and organization sites on a map; click a segment for its cables and the
    cut impact (REST ``topology/impact/``)."""

    template_name = "netbox_metronet/map.html"

    def get_required_permission(self):
        return MAP_PERMISSION

    def get(self, request):
        config = {
            "data_url": reverse("plugins-api:netbox_metronet-api:maps-geo"),
            "impact_url": reverse("plugins-api:netbox_metronet-api:topology-impact"),
            "tile_url": get_plugin_config("netbox_metronet", "map_tile_url", "") or "",
            "tile_attribution": get_plugin_config("netbox_metronet", "map_tile_attribution", "") or "",
            "query": request.GET.urlencode(),
            "color_mode": request.GET.get("color") or "kind",
        }
        context = {
            "config": config,
            "choices": filter_choices(request.user),
            "selected": _selected(request),
            "filter_error": _filter_error(request),
            "site_colors": [(k, v) for k, v in CONNECTION_STATUS_COLORS.items()],
            "js_strings": JS_STRINGS,
            "color_modes": [("kind", _("Kind")), ("status", _("Status")), ("fill", _("Fill (lit strands)"))],
        }
        return render(request, self.template_name, context)


class NetworkView(ContentTypePermissionRequiredMixin, View):
    """Devices and links laid out on the server, coloured by live status, drawn on a canvas."""

    template_name = "netbox_metronet/topology_view.html"

    def get_required_permission(self):
        return NETWORK_PERMISSION

    def get(self, request):
        config = {
            "data_url": reverse("plugins-api:netbox_metronet-api:maps-network"),
            "query": request.GET.urlencode(),
        }
        context = {
            "config": config,
            "choices": filter_choices(request.user),
            "selected": _selected(request),
            "filter_error": _filter_error(request),
            "status_colors": list(LIVE_COLORS.items()),
            "js_strings": JS_STRINGS,
        }
        return render(request, self.template_name, context)


#: extra URL patterns (urls.py)
URLS = [
    path("map/", MapView.as_view(), name="map"),
    path("network/", NetworkView.as_view(), name="network"),
]
