"""Views of LLDP neighbors: list, detail, delete, bulk delete (read-mostly: the collectors write them through
``POST /api/plugins/metronet/lldp-neighbors/report/``; there is no add or edit form).

Change log and journal tabs come with ``@register_model_view`` on a NetBox model.
"""

from django.utils.translation import gettext_lazy as _
from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.object_actions import BulkDelete, BulkExport, DeleteObject
from netbox.ui import attrs, layout, panels
from netbox.ui.breadcrumbs import Breadcrumb, filtered_list_url
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..models import LldpNeighbor

__all__ = (
    "LldpNeighborBulkDeleteView",
    "LldpNeighborDeleteView",
    "LldpNeighborListView",
    "LldpNeighborPanel",
    "LldpNeighborView",
)

LLDP_QUERYSET = LldpNeighbor.objects.select_related("device__site", "local_interface")


class LldpNeighborPanel(panels.ObjectAttributesPanel):
    title = _("LLDP neighbor")
    device = attrs.RelatedObjectAttr("device", linkify=True, grouped_by="site", label=_("Device"))
    local_interface = attrs.RelatedObjectAttr("local_interface", linkify=True, label=_("Local interface"))
    local_interface_name = attrs.TextAttr("local_interface_name", label=_("Local interface (as reported)"))
    remote_system = attrs.TextAttr("remote_system", label=_("Remote system"))
    remote_port = attrs.TextAttr("remote_port", label=_("Remote port"))
    remote_port_description = attrs.TextAttr("remote_port_description", label=_("Remote port description"))
    remote_chassis_id = attrs.TextAttr("remote_chassis_id", label=_("Remote chassis ID"))
    first_seen = attrs.DateTimeAttr("first_seen", label=_("First seen"))
    last_seen = attrs.DateTimeAttr("last_seen", label=_("Last seen"))


@register_model_view(LldpNeighbor, "list", path="", detail=False)
class LldpNeighborListView(generic.ObjectListView):
    queryset = LLDP_QUERYSET
    filterset = filtersets.LldpNeighborFilterSet
    filterset_form = forms.LldpNeighborFilterForm
    table = tables.LldpNeighborTable
    actions = (BulkExport, BulkDelete)


@register_model_view(LldpNeighbor)
class LldpNeighborView(generic.ObjectView):
    queryset = LLDP_QUERYSET
    template_name = "netbox_metronet/lldpneighbor.html"
    actions = (DeleteObject,)
    layout = layout.SimpleLayout(
        breadcrumbs=[
            Breadcrumb("device", url=filtered_list_url("plugins:netbox_metronet:lldpneighbor_list", "device_id")),
        ],
        left_panels=[LldpNeighborPanel()],
        right_panels=[CustomFieldsPanel(), TagsPanel()],
    )


@register_model_view(LldpNeighbor, "delete")
class LldpNeighborDeleteView(generic.ObjectDeleteView):
    queryset = LldpNeighbor.objects.all()


@register_model_view(LldpNeighbor, "bulk_delete", path="delete", detail=False)
class LldpNeighborBulkDeleteView(generic.BulkDeleteView):
    queryset = LLDP_QUERYSET
    filterset = filtersets.LldpNeighborFilterSet
    table = tables.LldpNeighborTable
