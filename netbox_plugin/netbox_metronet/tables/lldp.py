"""Table of LLDP neighbors."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from netbox.tables import NetBoxTable, columns

from ..models import LldpNeighbor

__all__ = ("LldpNeighborTable",)


class LldpNeighborTable(NetBoxTable):
    """Device and local interface (linked), what the neighbor announced, first and last seen."""

    device = tables.Column(verbose_name=_("Device"), linkify=True, order_by=("device__name",))
    site = tables.Column(verbose_name=_("Site"), accessor="device__site", linkify=True,
                         order_by=("device__site__name",))
    local_interface = tables.Column(verbose_name=_("Local interface"), linkify=True, order_by=("local_interface_name",))
    local_interface_name = tables.Column(verbose_name=_("Local interface name"))
    remote_system = tables.Column(verbose_name=_("Remote system"), linkify=lambda record: record.get_absolute_url())
    remote_port = tables.Column(verbose_name=_("Remote port"))
    remote_port_description = tables.Column(verbose_name=_("Remote port description"))
    remote_chassis_id = tables.Column(verbose_name=_("Remote chassis ID"))
    first_seen = columns.DateTimeColumn(verbose_name=_("First seen"))
    last_seen = columns.DateTimeColumn(verbose_name=_("Last seen"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:lldpneighbor_list")

    class Meta(NetBoxTable.Meta):
        model = LldpNeighbor
        fields = (
            "pk", "id", "device", "site", "local_interface", "local_interface_name", "remote_system", "remote_port",
            "remote_port_description", "remote_chassis_id", "first_seen", "last_seen", "tags", "created",
            "last_updated",
        )
        default_columns = (
            "pk", "device", "local_interface", "remote_system", "remote_port", "remote_port_description",
            "first_seen", "last_seen",
        )

    def render_local_interface(self, value, record):
        return value if value is not None else record.local_interface_name
