"""REST API viewsets of the fiber plant (registered by api/urls.py from ``ROUTES``)."""

from django.db.models import Prefetch
from netbox.api.viewsets import NetBoxModelViewSet

from .. import filtersets
from ..filtersets import annotate_route_length
from ..models import FiberCable, FiberCableSegment, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination
from . import serializers_plant as serializers

__all__ = (
    "FiberCableViewSet",
    "FiberStrandViewSet",
    "RouteSegmentViewSet",
    "SpliceClosureViewSet",
    "SpliceViewSet",
    "StrandTerminationViewSet",
)

#: a strand's display name reads its cable
_STRAND_DISPLAY = {("display",): ("cable",)}


class RouteSegmentViewSet(NetBoxModelViewSet):
    queryset = RouteSegment.objects.all()
    serializer_class = serializers.RouteSegmentSerializer
    filterset_class = filtersets.RouteSegmentFilterSet


class FiberCableViewSet(NetBoxModelViewSet):
    queryset = annotate_route_length(FiberCable.objects.all())
    serializer_class = serializers.FiberCableSerializer
    filterset_class = filtersets.FiberCableFilterSet
    field_prefetches = {
        ("segments",): (
            Prefetch(
                "segment_links", queryset=FiberCableSegment.objects.select_related("segment").order_by("position")
            ),
        ),
    }


class FiberStrandViewSet(NetBoxModelViewSet):
    queryset = FiberStrand.objects.all()
    serializer_class = serializers.FiberStrandSerializer
    filterset_class = filtersets.FiberStrandFilterSet
    field_prefetches = _STRAND_DISPLAY


class SpliceClosureViewSet(NetBoxModelViewSet):
    queryset = SpliceClosure.objects.all()
    serializer_class = serializers.SpliceClosureSerializer
    filterset_class = filtersets.SpliceClosureFilterSet


class SpliceViewSet(NetBoxModelViewSet):
    queryset = Splice.objects.all()
    serializer_class = serializers.SpliceSerializer
    filterset_class = filtersets.SpliceFilterSet
    field_prefetches = {("display",): ("strand_a__cable", "strand_b__cable")}


class StrandTerminationViewSet(NetBoxModelViewSet):
    queryset = StrandTermination.objects.all()
    serializer_class = serializers.StrandTerminationSerializer
    filterset_class = filtersets.StrandTerminationFilterSet
    field_prefetches = {("display",): ("strand__cable", "front_port", "rear_port")}


#: (URL prefix, viewset) pairs registered by api/urls.py
ROUTES: list = [
    ("route-segments", RouteSegmentViewSet),
    ("fiber-cables", FiberCableViewSet),
    ("fiber-strands", FiberStrandViewSet),
    ("splice-closures", SpliceClosureViewSet),
    ("splices", SpliceViewSet),
    ("strand-terminations", StrandTerminationViewSet),
]
