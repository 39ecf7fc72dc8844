"""GraphQL type and queries of organization profiles."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.types import PrimaryObjectType, register_type

from ..models import OrganizationProfile
from .filters_organizations import OrganizationProfileFilter

if TYPE_CHECKING:
    from dcim.graphql.types import RegionType
    from tenancy.graphql.types import ContactType, TenantType

__all__ = ("OrganizationProfileType", "OrganizationsQuery")


@register_type(OrganizationProfile, fields="__all__", filters=OrganizationProfileFilter, pagination=True)
class OrganizationProfileType(PrimaryObjectType):
    tenant: Annotated["TenantType", strawberry.lazy("tenancy.graphql.types")]
    contact: Annotated["ContactType", strawberry.lazy("tenancy.graphql.types")] | None
    town_part: Annotated["RegionType", strawberry.lazy("dcim.graphql.types")] | None


@strawberry.type(name="Query")
class OrganizationsQuery:
    metronet_organization_profile: OrganizationProfileType = strawberry_django.field()
    metronet_organization_profile_list: list[OrganizationProfileType] = strawberry_django.field()


#: strawberry Query types merged into the plugin schema
QUERIES: list = [OrganizationsQuery]
