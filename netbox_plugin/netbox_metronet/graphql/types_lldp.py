"""GraphQL type and queries of LLDP neighbors."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.types import NetBoxObjectType, register_type

from ..models import LldpNeighbor
from .filters_lldp import LldpNeighborFilter

if TYPE_CHECKING:
    from dcim.graphql.types import DeviceType, InterfaceType

__all__ = ("LldpNeighborType", "LldpQuery")


@register_type(LldpNeighbor, fields="__all__", filters=LldpNeighborFilter, pagination=True)
class LldpNeighborType(NetBoxObjectType):
    device: Annotated["DeviceType", strawberry.lazy("dcim.graphql.types")]
    local_interface: Annotated["InterfaceType", strawberry.lazy("dcim.graphql.types")] | None


@strawberry.type(name="Query")
class LldpQuery:
    metronet_lldp_neighbor: LldpNeighborType = strawberry_django.field()
    metronet_lldp_neighbor_list: list[LldpNeighborType] = strawberry_django.field()


#: strawberry Query types merged into the plugin schema
QUERIES: list = [LldpQuery]
