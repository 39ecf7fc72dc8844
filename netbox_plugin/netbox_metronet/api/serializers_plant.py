"""REST API serializers of the fiber plant.

A fiber cable's ``segments`` is its route in order: read as a list of brief route segments, written as a list
of route segment IDs (or ``{"id": ...}`` / ``{"name": ...}`` objects) from the A-end to the B-end.
"""

from dcim.api.serializers import FrontPortSerializer, RearPortSerializer, SiteSerializer
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from netbox.api.fields import ChoiceField, RelatedObjectCountField
from netbox.api.serializers import PrimaryModelSerializer
from rest_framework import serializers
from tenancy.api.serializers import TenantSerializer

from ..choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ..models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination

__all__ = (
    "FiberCableSerializer",
    "FiberStrandSerializer",
    "RouteSegmentSerializer",
    "SpliceClosureSerializer",
    "SpliceSerializer",
    "StrandTerminationSerializer",
)


class RouteSegmentSerializer(PrimaryModelSerializer):
    kind = ChoiceField(choices=RouteSegmentKindChoices)
    status = ChoiceField(choices=PlantStatusChoices, required=False)
    asset_owner = TenantSerializer(nested=True, required=False, allow_null=True)
    length = serializers.DecimalField(
        max_digits=9, decimal_places=1, read_only=True,
        help_text=_("Measured length when given, else the geometry length (m)"),
    )
    cable_count = RelatedObjectCountField("cables")

    class Meta:
        model = RouteSegment
        fields = [
            "id", "url", "display_url", "display", "name", "kind", "status", "asset_owner", "geometry", "length_m",
            "geometry_length_m", "length", "cable_count", "description", "owner", "comments", "tags",
            "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "name", "description")


class SpliceClosureSerializer(PrimaryModelSerializer):
    kind = ChoiceField(choices=SpliceClosureKindChoices, required=False)
    status = ChoiceField(choices=PlantStatusChoices, required=False)
    site = SiteSerializer(nested=True, required=False, allow_null=True)
    splice_count = RelatedObjectCountField("splices")

    class Meta:
        model = SpliceClosure
        fields = [
            "id", "url", "display_url", "display", "name", "kind", "status", "site", "latitude", "longitude",
            "splice_count", "description", "owner", "comments", "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "name", "description")


@extend_schema_field({"type": "array", "items": {"type": "object"}})
class RouteField(serializers.Field):
    """A cable's route segments in order (read: brief segments; write: IDs, ``{"id"}`` or ``{"name"}``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "segment_links")  # prefetched by the viewset, in route order
        super().__init__(**kwargs)

    def to_representation(self, links):
        serializer = RouteSegmentSerializer(nested=True, context=self.context)
        return [serializer.to_representation(link.segment) for link in links.all()]

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError(_("Give the route as a list of route segment IDs, in order."))
        keys = [item.get("id", item.get("name")) if isinstance(item, dict) else item for item in data]
        by_id = RouteSegment.objects.in_bulk([k for k in keys if isinstance(k, int)])
        by_name = RouteSegment.objects.in_bulk([k for k in keys if isinstance(k, str)], field_name="name")
        segments, seen = [], set()
        for key in keys:
            segment = by_id.get(key) if isinstance(key, int) else by_name.get(key)
            if segment is None:
                raise serializers.ValidationError(_("Route segment {key} does not exist.").format(key=key))
            if segment.pk in seen:
                raise serializers.ValidationError(
                    _("Route segment {segment} is listed twice; a cable runs through a segment once.").format(
                        segment=segment
                    )
                )
            seen.add(segment.pk)
            segments.append(segment)
        return segments


class FiberCableSerializer(PrimaryModelSerializer):
    status = ChoiceField(choices=PlantStatusChoices, required=False)
    fiber_type = ChoiceField(choices=FiberTypeChoices, required=False)
    a_site = SiteSerializer(nested=True, required=False, allow_null=True)
    a_closure = SpliceClosureSerializer(nested=True, required=False, allow_null=True)
    b_site = SiteSerializer(nested=True, required=False, allow_null=True)
    b_closure = SpliceClosureSerializer(nested=True, required=False, allow_null=True)
    segments = RouteField(required=False)
    length = serializers.SerializerMethodField(read_only=True)

    class Meta:
        model = FiberCable
        fields = [
            "id", "url", "display_url", "display", "name", "status", "fiber_type", "strand_count", "a_site",
            "a_closure", "b_site", "b_closure", "segments", "length_m", "length", "description", "owner", "comments",
            "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "name", "description")

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_length(self, obj):
        """Measured length, else the sum of the route segments' lengths (m)."""
        if obj.length_m is not None:
            return obj.length_m
        if hasattr(obj, "route_sum_m"):  # annotated by the viewset (filtersets.annotate_route_length)
            return obj.route_sum_m if obj.route_sum_m is not None else 0
        return obj.route_length_m

    def create(self, validated_data):
        segments = validated_data.pop("segment_links", None)
        instance = super().create(validated_data)
        if segments is not None:
            instance.set_segments(segments)
        return instance

    def update(self, instance, validated_data):
        segments = validated_data.pop("segment_links", None)
        instance = super().update(instance, validated_data)
        if segments is not None:
            instance.set_segments(segments)
        return instance


class FiberStrandSerializer(PrimaryModelSerializer):
    cable = FiberCableSerializer(nested=True)
    status = ChoiceField(choices=StrandStatusChoices, required=False)
    tube = serializers.IntegerField(read_only=True)
    colour = serializers.CharField(read_only=True)
    colour_hex = serializers.CharField(read_only=True)

    class Meta:
        model = FiberStrand
        fields = [
            "id", "url", "display_url", "display", "cable", "number", "tube", "colour", "colour_hex", "status",
            "description", "owner", "comments", "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "cable", "number", "description")


class SpliceSerializer(PrimaryModelSerializer):
    closure = SpliceClosureSerializer(nested=True)
    strand_a = FiberStrandSerializer(nested=True)
    strand_b = FiberStrandSerializer(nested=True)

    class Meta:
        model = Splice
        fields = [
            "id", "url", "display_url", "display", "closure", "strand_a", "strand_b", "loss_db", "description",
            "owner", "comments", "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "strand_a", "strand_b", "description")


class StrandTerminationSerializer(PrimaryModelSerializer):
    strand = FiberStrandSerializer(nested=True)
    cable_end = ChoiceField(choices=CableEndChoices, required=False, allow_blank=True)
    front_port = FrontPortSerializer(nested=True, required=False, allow_null=True)
    rear_port = RearPortSerializer(nested=True, required=False, allow_null=True)

    class Meta:
        model = StrandTermination
        fields = [
            "id", "url", "display_url", "display", "strand", "cable_end", "front_port", "rear_port", "description",
            "owner", "comments", "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "strand", "cable_end", "description")
        # StrandTermination.clean() fills cable_end from the port's site; keep it when creating.
        model_clean_fields = ("cable_end",)
