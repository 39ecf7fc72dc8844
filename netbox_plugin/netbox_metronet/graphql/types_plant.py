"""GraphQL types and query fields of the fiber plant (``metronet_fiber_cable``, ``metronet_fiber_cable_list``...).

``FiberCableType.route`` lists a cable's route segments in order (``segments`` is the plain, unordered M2M).
Related objects reached through custom resolvers are restricted to those the user may view, as NetBox's own
relation fields are.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.db.models import Q
from netbox.graphql.types import PrimaryObjectType, register_type
from strawberry.types import Info

from .. import models
from .filters_plant import (
    FiberCableFilter,
    FiberStrandFilter,
    RouteSegmentFilter,
    SpliceClosureFilter,
    SpliceFilter,
    StrandTerminationFilter,
)

if TYPE_CHECKING:
    from dcim.graphql.types import FrontPortType, RearPortType, SiteType
    from tenancy.graphql.types import TenantType

__all__ = (
    "FiberCableType",
    "FiberStrandType",
    "PlantQuery",
    "RouteSegmentType",
    "SpliceClosureType",
    "SpliceType",
    "StrandTerminationType",
)

_TYPES = "netbox_metronet.graphql.types_plant"  # this module: the package re-export is still importing it


def _viewable(info: Info, model):
    return model.objects.restrict(info.context.request.user, "view")


@register_type(models.RouteSegment, fields="__all__", filters=RouteSegmentFilter, pagination=True)
class RouteSegmentType(PrimaryObjectType):
    asset_owner: Annotated["TenantType", strawberry.lazy("tenancy.graphql.types")] | None
    cables: list[Annotated["FiberCableType", strawberry.lazy(_TYPES)]]

    @strawberry_django.field(only=["length_m", "geometry_length_m"])
    def length(self) -> Decimal:
        """Measured length, else the geometry length (m)."""
        return self.length


@register_type(models.SpliceClosure, fields="__all__", filters=SpliceClosureFilter, pagination=True)
class SpliceClosureType(PrimaryObjectType):
    site: Annotated["SiteType", strawberry.lazy("dcim.graphql.types")] | None
    splices: list[Annotated["SpliceType", strawberry.lazy(_TYPES)]]

    @strawberry_django.field
    def cables(self, info: Info) -> list[Annotated["FiberCableType", strawberry.lazy(_TYPES)]]:
        """Cables with an end in this closure."""
        return list(_viewable(info, models.FiberCable).filter(Q(a_closure=self) | Q(b_closure=self)))


@register_type(models.FiberCable, fields="__all__", filters=FiberCableFilter, pagination=True)
class FiberCableType(PrimaryObjectType):
    a_site: Annotated["SiteType", strawberry.lazy("dcim.graphql.types")] | None
    a_closure: Annotated["SpliceClosureType", strawberry.lazy(_TYPES)] | None
    b_site: Annotated["SiteType", strawberry.lazy("dcim.graphql.types")] | None
    b_closure: Annotated["SpliceClosureType", strawberry.lazy(_TYPES)] | None
    segments: list[Annotated["RouteSegmentType", strawberry.lazy(_TYPES)]]
    strands: list[Annotated["FiberStrandType", strawberry.lazy(_TYPES)]]

    @strawberry_django.field
    def route(self, info: Info) -> list[Annotated["RouteSegmentType", strawberry.lazy(_TYPES)]]:
        """The route segments in order, from the A-end to the B-end."""
        visible = set(_viewable(info, models.RouteSegment).filter(cables=self).values_list("pk", flat=True))
        return [segment for segment in self.ordered_segments if segment.pk in visible]

    @strawberry_django.field
    def length(self) -> Decimal:
        """Measured length, else the sum of the route segments' lengths (m)."""
        return self.length


@register_type(models.FiberStrand, fields="__all__", filters=FiberStrandFilter, pagination=True)
class FiberStrandType(PrimaryObjectType):
    cable: Annotated["FiberCableType", strawberry.lazy(_TYPES)]
    splices_a: list[Annotated["SpliceType", strawberry.lazy(_TYPES)]]
    splices_b: list[Annotated["SpliceType", strawberry.lazy(_TYPES)]]
    terminations: list[Annotated["StrandTerminationType", strawberry.lazy(_TYPES)]]

    @strawberry_django.field(only=["number"])
    def tube(self) -> int:
        return self.tube

    @strawberry_django.field(only=["number"])
    def tube_colour(self) -> str:
        return self.tube_colour

    @strawberry_django.field(only=["number"])
    def colour(self) -> str:
        """IEC 60304 fiber colour name."""
        return self.colour

    @strawberry_django.field(only=["number"])
    def colour_hex(self) -> str:
        """Fiber colour as RRGGBB."""
        return self.colour_hex


@register_type(models.Splice, fields="__all__", filters=SpliceFilter, pagination=True)
class SpliceType(PrimaryObjectType):
    closure: Annotated["SpliceClosureType", strawberry.lazy(_TYPES)]
    strand_a: Annotated["FiberStrandType", strawberry.lazy(_TYPES)]
    strand_b: Annotated["FiberStrandType", strawberry.lazy(_TYPES)]


@register_type(models.StrandTermination, fields="__all__", filters=StrandTerminationFilter, pagination=True)
class StrandTerminationType(PrimaryObjectType):
    strand: Annotated["FiberStrandType", strawberry.lazy(_TYPES)]
    front_port: Annotated["FrontPortType", strawberry.lazy("dcim.graphql.types")] | None
    rear_port: Annotated["RearPortType", strawberry.lazy("dcim.graphql.types")] | None


@strawberry.type(name="Query")
class PlantQuery:
    metronet_route_segment: RouteSegmentType = strawberry_django.field()
    metronet_route_segment_list: list[RouteSegmentType] = strawberry_django.field()

    metronet_fiber_cable: FiberCableType = strawberry_django.field()
    metronet_fiber_cable_list: list[FiberCableType] = strawberry_django.field()

    metronet_fiber_strand: FiberStrandType = strawberry_django.field()
    metronet_fiber_strand_list: list[FiberStrandType] = strawberry_django.field()

    metronet_splice_closure: SpliceClosureType = strawberry_django.field()
    metronet_splice_closure_list: list[SpliceClosureType] = strawberry_django.field()

    metronet_splice: SpliceType = strawberry_django.field()
    metronet_splice_list: list[SpliceType] = strawberry_django.field()

    metronet_strand_termination: StrandTerminationType = strawberry_django.field()
    metronet_strand_termination_list: list[StrandTerminationType] = strawberry_django.field()


#: strawberry Query types merged into the plugin schema
QUERIES: list = [PlantQuery]
