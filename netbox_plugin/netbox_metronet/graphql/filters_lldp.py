"""GraphQL filter of LLDP neighbors."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.filters import NetBoxModelFilter, register_filter
from strawberry.scalars import ID
from strawberry_django import DatetimeFilterLookup, StrFilterLookup

from ..models import LldpNeighbor

if TYPE_CHECKING:
    from dcim.graphql.filters import DeviceFilter, InterfaceFilter

__all__ = ("LldpNeighborFilter",)


@register_filter(LldpNeighbor, lookups=True)
class LldpNeighborFilter(NetBoxModelFilter):
    device: Annotated["DeviceFilter", strawberry.lazy("dcim.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    device_id: ID | None = strawberry_django.filter_field()
    local_interface: Annotated["InterfaceFilter", strawberry.lazy("dcim.graphql.filters")] | None = (
        strawberry_django.filter_field()
    )
    local_interface_id: ID | None = strawberry_django.filter_field()
    local_interface_name: StrFilterLookup | None = strawberry_django.filter_field()
    remote_system: StrFilterLookup | None = strawberry_django.filter_field()
    remote_port: StrFilterLookup | None = strawberry_django.filter_field()
    remote_port_description: StrFilterLookup | None = strawberry_django.filter_field()
    remote_chassis_id: StrFilterLookup | None = strawberry_django.filter_field()
    first_seen: DatetimeFilterLookup | None = strawberry_django.filter_field()
    last_seen: DatetimeFilterLookup | None = strawberry_django.filter_field()
