"""GraphQL filter of organization profiles (``OrganizationProfileFilter``), and the enums of its choice fields."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.filters import PrimaryModelFilter, register_filter
from strawberry.scalars import ID
from strawberry_django import BaseFilterLookup, StrFilterLookup

from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..models import OrganizationProfile

if TYPE_CHECKING:
    from dcim.graphql.filters import RegionFilter
    from netbox.graphql.filter_lookups import TreeNodeFilter
    from tenancy.graphql.filters import ContactFilter, TenantFilter

__all__ = ("MetronetOrganizationTypeEnum", "MetronetTownRelationEnum", "OrganizationProfileFilter")

# Enum names carry the plugin's prefix so that they cannot clash with NetBox's own enums.
MetronetOrganizationTypeEnum = strawberry.enum(
    OrganizationTypeChoices.as_enum(name="MetronetOrganizationTypeEnum", prefix="type")
)
MetronetTownRelationEnum = strawberry.enum(
    TownRelationChoices.as_enum(name="MetronetTownRelationEnum", prefix="relation")
)


@register_filter(OrganizationProfile, lookups=True)
class OrganizationProfileFilter(PrimaryModelFilter):
    tenant: Annotated["TenantFilter", strawberry.lazy("tenancy.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    tenant_id: ID | None = strawberry_django.filter_field()
    org_type: BaseFilterLookup[MetronetOrganizationTypeEnum] | None = strawberry_django.filter_field()
    town_relation: BaseFilterLookup[MetronetTownRelationEnum] | None = strawberry_django.filter_field()
    company_id: StrFilterLookup | None = strawberry_django.filter_field()
    contact: Annotated["ContactFilter", strawberry.lazy("tenancy.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    contact_id: ID | None = strawberry_django.filter_field()
    town_part: Annotated["RegionFilter", strawberry.lazy("dcim.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    town_part_id: Annotated["TreeNodeFilter", strawberry.lazy("netbox.graphql.filter_lookups")] | None = (
        strawberry_django.filter_field()
    )
