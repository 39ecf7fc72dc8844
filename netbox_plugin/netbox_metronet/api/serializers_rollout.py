"""REST API serializers of connections and coverage targets."""

from dcim.api.serializers_.device_components import InterfaceSerializer
from dcim.api.serializers_.sites import SiteSerializer
from dcim.models import Interface
from netbox.api.fields import ChoiceField, SerializedPKRelatedField
from netbox.api.serializers import PrimaryModelSerializer
from rest_framework import serializers
from tenancy.api.serializers_.tenants import TenantSerializer

from ..choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from ..models import Connection, CoverageTarget
from .serializers_plant import FiberStrandSerializer

__all__ = ("ConnectionSerializer", "CoverageTargetSerializer")


class ConnectionSerializer(PrimaryModelSerializer):
    tenant = TenantSerializer(nested=True)
    site = SiteSerializer(nested=True)
    status = ChoiceField(choices=ConnectionStatusChoices, required=False)
    access_interfaces = SerializedPKRelatedField(
        queryset=Interface.objects.all(),
        serializer=InterfaceSerializer,
        nested=True,
        required=False,
        many=True,
    )
    strand = FiberStrandSerializer(nested=True, required=False, allow_null=True)

    class Meta:
        model = Connection
        fields = [
            "id", "url", "display_url", "display", "tenant", "site", "status", "planned_date", "construction_start",
            "connected_date", "bandwidth_mbps", "access_interfaces", "strand", "description", "owner", "comments",
            "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "tenant", "site", "status", "description")


class CoverageTargetSerializer(PrimaryModelSerializer):
    org_types = serializers.ListField(child=ChoiceField(choices=OrganizationTypeChoices), required=False)
    town_relations = serializers.ListField(child=ChoiceField(choices=TownRelationChoices), required=False)

    class Meta:
        model = CoverageTarget
        fields = [
            "id", "url", "display_url", "display", "name", "share_percent", "min_bandwidth_mbps", "due_date",
            "org_types", "town_relations", "description", "owner", "comments", "tags", "custom_fields", "created",
            "last_updated",
        ]
        brief_fields = ("id", "url", "display", "name", "description")
