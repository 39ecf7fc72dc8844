"""GraphQL filters of the fiber plant (``<Model>Filter``, importable from ``netbox_metronet.graphql.filters``).

Choice fields filter by enums named ``Metronet...Enum``: NetBox's schema already has a ``CableEndEnum`` (dcim).
"""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.filters import PrimaryModelFilter, register_filter
from strawberry.scalars import ID
from strawberry_django import BaseFilterLookup, StrFilterLookup

from .. import models
from ..choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)

if TYPE_CHECKING:
    from dcim.graphql.filters import FrontPortFilter, RearPortFilter, SiteFilter
    from netbox.graphql.filter_lookups import FloatLookup, IntegerLookup
    from tenancy.graphql.filters import TenantFilter

__all__ = (
    "FiberCableFilter",
    "FiberStrandFilter",
    "MetronetCableEndEnum",
    "MetronetFiberTypeEnum",
    "MetronetPlantStatusEnum",
    "MetronetRouteSegmentKindEnum",
    "MetronetSpliceClosureKindEnum",
    "MetronetStrandStatusEnum",
    "RouteSegmentFilter",
    "SpliceClosureFilter",
    "SpliceFilter",
    "StrandTerminationFilter",
)

MetronetCableEndEnum = strawberry.enum(CableEndChoices.as_enum(name="MetronetCableEndEnum", prefix="end"))
MetronetFiberTypeEnum = strawberry.enum(FiberTypeChoices.as_enum(name="MetronetFiberTypeEnum", prefix="type"))
MetronetPlantStatusEnum = strawberry.enum(PlantStatusChoices.as_enum(name="MetronetPlantStatusEnum", prefix="status"))
MetronetRouteSegmentKindEnum = strawberry.enum(
    RouteSegmentKindChoices.as_enum(name="MetronetRouteSegmentKindEnum", prefix="kind")
)
MetronetSpliceClosureKindEnum = strawberry.enum(
    SpliceClosureKindChoices.as_enum(name="MetronetSpliceClosureKindEnum", prefix="kind")
)
MetronetStrandStatusEnum = strawberry.enum(
    StrandStatusChoices.as_enum(name="MetronetStrandStatusEnum", prefix="status")
)

_FILTERS = "netbox_metronet.graphql.filters_plant"  # this module (see types_plant._TYPES)
_LOOKUPS = "netbox.graphql.filter_lookups"


def _enum(name: str):
    return BaseFilterLookup[Annotated[name, strawberry.lazy(_FILTERS)]] | None


@register_filter(models.RouteSegment, lookups=True)
class RouteSegmentFilter(PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    kind: _enum("MetronetRouteSegmentKindEnum") = strawberry_django.filter_field()
    status: _enum("MetronetPlantStatusEnum") = strawberry_django.filter_field()
    asset_owner: Annotated["TenantFilter", strawberry.lazy("tenancy.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    asset_owner_id: ID | None = strawberry_django.filter_field()
    length_m: Annotated["FloatLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()
    geometry_length_m: Annotated["FloatLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()
    cables: Annotated["FiberCableFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()


@register_filter(models.FiberCable, lookups=True)
class FiberCableFilter(PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    status: _enum("MetronetPlantStatusEnum") = strawberry_django.filter_field()
    fiber_type: _enum("MetronetFiberTypeEnum") = strawberry_django.filter_field()
    strand_count: Annotated["IntegerLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()
    length_m: Annotated["FloatLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()
    a_site: Annotated["SiteFilter", strawberry.lazy("dcim.graphql.filters")] | None = strawberry_django.filter_field()
    a_site_id: ID | None = strawberry_django.filter_field()
    a_closure: Annotated["SpliceClosureFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    a_closure_id: ID | None = strawberry_django.filter_field()
    b_site: Annotated["SiteFilter", strawberry.lazy("dcim.graphql.filters")] | None = strawberry_django.filter_field()
    b_site_id: ID | None = strawberry_django.filter_field()
    b_closure: Annotated["SpliceClosureFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    b_closure_id: ID | None = strawberry_django.filter_field()
    segments: Annotated["RouteSegmentFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()


@register_filter(models.FiberStrand, lookups=True)
class FiberStrandFilter(PrimaryModelFilter):
    cable: Annotated["FiberCableFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    cable_id: ID | None = strawberry_django.filter_field()
    number: Annotated["IntegerLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()
    status: _enum("MetronetStrandStatusEnum") = strawberry_django.filter_field()


@register_filter(models.SpliceClosure, lookups=True)
class SpliceClosureFilter(PrimaryModelFilter):
    name: StrFilterLookup | None = strawberry_django.filter_field()
    kind: _enum("MetronetSpliceClosureKindEnum") = strawberry_django.filter_field()
    status: _enum("MetronetPlantStatusEnum") = strawberry_django.filter_field()
    site: Annotated["SiteFilter", strawberry.lazy("dcim.graphql.filters")] | None = strawberry_django.filter_field()
    site_id: ID | None = strawberry_django.filter_field()
    latitude: Annotated["FloatLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()
    longitude: Annotated["FloatLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()


@register_filter(models.Splice, lookups=True)
class SpliceFilter(PrimaryModelFilter):
    closure: Annotated["SpliceClosureFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    closure_id: ID | None = strawberry_django.filter_field()
    strand_a: Annotated["FiberStrandFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    strand_a_id: ID | None = strawberry_django.filter_field()
    strand_b: Annotated["FiberStrandFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    strand_b_id: ID | None = strawberry_django.filter_field()
    loss_db: Annotated["FloatLookup", strawberry.lazy(_LOOKUPS)] | None = strawberry_django.filter_field()


@register_filter(models.StrandTermination, lookups=True)
class StrandTerminationFilter(PrimaryModelFilter):
    strand: Annotated["FiberStrandFilter", strawberry.lazy(_FILTERS)] | None = strawberry_django.filter_field()
    strand_id: ID | None = strawberry_django.filter_field()
    cable_end: _enum("MetronetCableEndEnum") = strawberry_django.filter_field()
    front_port: Annotated["FrontPortFilter", strawberry.lazy("dcim.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    front_port_id: ID | None = strawberry_django.filter_field()
    rear_port: Annotated["RearPortFilter", strawberry.lazy("dcim.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    rear_port_id: ID | None = strawberry_django.filter_field()
