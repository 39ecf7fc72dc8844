"""GraphQL filters of connections and coverage targets, and the enum of connection statuses."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.filters import PrimaryModelFilter, register_filter
from strawberry.scalars import ID
from strawberry_django import BaseFilterLookup, DateFilterLookup, StrFilterLookup

from ..choices import ConnectionStatusChoices
from ..models import Connection, CoverageTarget

if TYPE_CHECKING:
    from dcim.graphql.filters import InterfaceFilter, SiteFilter
    from netbox.graphql.filter_lookups import FloatLookup, IntegerLookup, StringArrayLookup
    from tenancy.graphql.filters import TenantFilter

    from .filters_plant import FiberStrandFilter

__all__ = ("ConnectionFilter", "CoverageTargetFilter", "MetronetConnectionStatusEnum")

# Enum names carry the plugin's prefix so that they cannot clash with NetBox's own enums.
MetronetConnectionStatusEnum = strawberry.enum(
    ConnectionStatusChoices.as_enum(name="MetronetConnectionStatusEnum", prefix="status")
)


@register_filter(Connection, lookups=True)
class ConnectionFilter(PrimaryModelFilter):
    tenant: Annotated["TenantFilter", strawberry.lazy("tenancy.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    tenant_id: ID | None = strawberry_django.filter_field()
    site: Annotated["SiteFilter", strawberry.lazy("dcim.graphql.filters")] | None = strawberry_django.filter_field()
    site_id: ID | None = strawberry_django.filter_field()
    status: BaseFilterLookup[MetronetConnectionStatusEnum] | None = strawberry_django.filter_field()
    planned_date: DateFilterLookup | None = strawberry_django.filter_field()
    construction_start: DateFilterLookup | None = strawberry_django.filter_field()
    connected_date: DateFilterLookup | None = strawberry_django.filter_field()
    bandwidth_mbps: Annotated["IntegerLookup", strawberry.lazy("netbox.graphql.filter_lookups")] | None = (
        strawberry_django.filter_field()
    )
    access_interfaces: Annotated["InterfaceFilter", strawberry.lazy("dcim.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    strand: Annotated["FiberStrandFilter", strawberry.lazy("netbox_metronet.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    strand_id: ID | None = strawberry_django.filter_field()


@register_filter(CoverageTarget, lookups=True)
class CoverageTargetFilter(PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    share_percent: Annotated["FloatLookup", strawberry.lazy("netbox.graphql.filter_lookups")] | None = (
        strawberry_django.filter_field()
    )
    min_bandwidth_mbps: Annotated["IntegerLookup", strawberry.lazy("netbox.graphql.filter_lookups")] | None = (
        strawberry_django.filter_field()
    )
    due_date: DateFilterLookup | None = strawberry_django.filter_field()
    org_types: Annotated["StringArrayLookup", strawberry.lazy("netbox.graphql.filter_lookups")] | None = (
        strawberry_django.filter_field()
    )
    town_relations: Annotated["StringArrayLookup", strawberry.lazy("netbox.graphql.filter_lookups")] | None = (
        strawberry_django.filter_field()
    )
