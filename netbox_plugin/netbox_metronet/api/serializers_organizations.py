"""REST API serializer of organization profiles."""

from dcim.api.serializers_.sites import RegionSerializer
from netbox.api.fields import ChoiceField
from netbox.api.serializers import PrimaryModelSerializer
from tenancy.api.serializers_.contacts import ContactSerializer
from tenancy.api.serializers_.tenants import TenantSerializer

from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..models import OrganizationProfile

__all__ = ("OrganizationProfileSerializer",)


class OrganizationProfileSerializer(PrimaryModelSerializer):
    tenant = TenantSerializer(nested=True)
    org_type = ChoiceField(choices=OrganizationTypeChoices)
    town_relation = ChoiceField(choices=TownRelationChoices, required=False)
    contact = ContactSerializer(nested=True, required=False, allow_null=True)
    town_part = RegionSerializer(nested=True, required=False, allow_null=True)

    class Meta:
        model = OrganizationProfile
        fields = [
            "id", "url", "display_url", "display", "tenant", "org_type", "town_relation", "company_id", "contact",
            "town_part", "description", "owner", "comments", "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "tenant", "org_type", "description")
