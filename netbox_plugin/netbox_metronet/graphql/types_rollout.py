"""GraphQL types and queries of connections and coverage targets."""

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from netbox.graphql.types import PrimaryObjectType, register_type

from ..models import Connection, CoverageTarget
from .filters_rollout import ConnectionFilter, CoverageTargetFilter

if TYPE_CHECKING:
    from dcim.graphql.types import InterfaceType, SiteType
    from tenancy.graphql.types import TenantType

    from .types_plant import FiberStrandType

__all__ = ("ConnectionType", "CoverageTargetType", "RolloutQuery")


@register_type(Connection, fields="__all__", filters=ConnectionFilter, pagination=True)
class ConnectionType(PrimaryObjectType):
    tenant: Annotated["TenantType", strawberry.lazy("tenancy.graphql.types")]
    site: Annotated["SiteType", strawberry.lazy("dcim.graphql.types")]
    access_interfaces: list[Annotated["InterfaceType", strawberry.lazy("dcim.graphql.types")]]
    strand: Annotated["FiberStrandType", strawberry.lazy("netbox_metronet.graphql.types")] | None


@register_type(CoverageTarget, fields="__all__", filters=CoverageTargetFilter, pagination=True)
class CoverageTargetType(PrimaryObjectType):
    pass


@strawberry.type(name="Query")
class RolloutQuery:
    metronet_connection: ConnectionType = strawberry_django.field()
    metronet_connection_list: list[ConnectionType] = strawberry_django.field()

    metronet_coverage_target: CoverageTargetType = strawberry_django.field()
    metronet_coverage_target_list: list[CoverageTargetType] = strawberry_django.field()


#: strawberry Query types merged into the plugin schema
QUERIES: list = [RolloutQuery]
