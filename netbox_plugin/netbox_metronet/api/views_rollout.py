"""REST API views of connections and coverage targets."""

from netbox.api.viewsets import NetBoxModelViewSet

from .. import filtersets
from ..models import Connection, CoverageTarget
from .serializers_rollout import ConnectionSerializer, CoverageTargetSerializer

__all__ = ("ConnectionViewSet", "CoverageTargetViewSet")


class ConnectionViewSet(NetBoxModelViewSet):
    # The strand is shown with its cable's name
    queryset = Connection.objects.select_related("strand__cable")
    serializer_class = ConnectionSerializer
    filterset_class = filtersets.ConnectionFilterSet


class CoverageTargetViewSet(NetBoxModelViewSet):
    queryset = CoverageTarget.objects.all()
    serializer_class = CoverageTargetSerializer
    filterset_class = filtersets.CoverageTargetFilterSet


#: (URL prefix, viewset) pairs registered by api/urls.py
ROUTES: list = [("connections", ConnectionViewSet), ("coverage-targets", CoverageTargetViewSet)]
