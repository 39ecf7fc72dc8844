"""REST endpoints behind the map and the network view (read by their pages' JavaScript).

- ``GET /api/plugins/metronet/maps/geo/?region=<id>&tenant=<id>``: GeoJSON FeatureCollection of route
  segments, splice closures and sites (:func:`maps_data.map_geojson`); requires
  ``netbox_metronet.view_routesegment``.
- ``GET /api/plugins/metronet/maps/network/?region=<id>&tenant=<id>&role=<slug>``: devices (positions laid
  out on the server) and links with their live status (:func:`maps_data.network_graph`); requires
  ``dcim.view_device``.

Both authenticate as every NetBox API view does (session or token), answer 403 without the permission,
400 for a bad filter, and read only objects the user may view.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from netbox.api.authentication import IsAuthenticatedOrLoginNotRequired
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..live_status import get_live_status
from ..maps_data import FilterError, MapFilter, map_geojson, network_graph

__all__ = ("MAP_PERMISSION", "NETWORK_PERMISSION", "MapGeoAPIView", "NetworkGraphAPIView", "URLS")

MAP_PERMISSION = "netbox_metronet.view_routesegment"
NETWORK_PERMISSION = "dcim.view_device"


class _MapsView(APIView):
    permission_classes = [IsAuthenticatedOrLoginNotRequired]
    required_permission = ""

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.has_perm(self.required_permission):
            raise PermissionDenied()

    def map_filter(self, request) -> MapFilter:
        try:
            return MapFilter.from_query(request.query_params)
        except FilterError as e:
            raise ValidationError({"detail": str(e)}) from None


class MapGeoAPIView(_MapsView):
    """Route segments, closures and sites as GeoJSON."""

    required_permission = MAP_PERMISSION

    def get_view_name(self):
        return "Map Features"

    @extend_schema(operation_id="plugins_metronet_maps_geo_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        flt = self.map_filter(request)
        try:
            return Response(map_geojson(request.user, flt))
        except FilterError as e:
            raise ValidationError({"detail": str(e)}) from None


class NetworkGraphAPIView(_MapsView):
    """Devices and links, laid out, with their live status."""

    required_permission = NETWORK_PERMISSION

    def get_view_name(self):
        return "Network Graph"

    @extend_schema(operation_id="plugins_metronet_maps_network_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        flt = self.map_filter(request)
        try:
            return Response(network_graph(request.user, flt, get_live_status()))
        except FilterError as e:
            raise ValidationError({"detail": str(e)}) from None


#: extra URL patterns (api/urls.py)
URLS = [
    path("maps/geo/", MapGeoAPIView.as_view(), name="maps-geo"),
    path("maps/network/", NetworkGraphAPIView.as_view(), name="maps-network"),
]
