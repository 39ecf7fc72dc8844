"""The MetroNet menu in NetBox's navigation."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.plugins import PluginMenu, PluginMenuButton, PluginMenuItem


def _item(model: str, label, add: bool = True) -> PluginMenuItem:
    buttons = ()
    if add:
        buttons = (
            PluginMenuButton(f"plugins:netbox_metronet:{model}_add", _("Add"), "mdi mdi-plus-thick",
                             permissions=[f"netbox_metronet.add_{model}"]),
            PluginMenuButton(f"plugins:netbox_metronet:{model}_bulk_import", _("Import"), "mdi mdi-upload",
                             permissions=[f"netbox_metronet.add_{model}"]),
        )
    return PluginMenuItem(
        link=f"plugins:netbox_metronet:{model}_list",
        link_text=label,
        permissions=[f"netbox_metronet.view_{model}"],
        buttons=buttons,
    )


menu = PluginMenu(
    label=_("MetroNet"),
    icon_class="mdi mdi-lan",
    groups=(
        (_("Organizations"), (
            _item("organizationprofile", _("Organizations")),
        )),
        (_("Fiber plant"), (
            _item("routesegment", _("Route segments")),
            _item("fibercable", _("Fiber cables")),
            _item("fiberstrand", _("Fiber strands"), add=False),
            _item("spliceclosure", _("Splice closures")),
            _item("splice", _("Splices")),
            _item("strandtermination", _("Strand terminations")),
            PluginMenuItem(link="plugins:netbox_metronet:trace", link_text=_("Fiber trace"),
                           permissions=["netbox_metronet.view_fiberstrand"]),
        )),
        (_("Rollout"), (
            _item("connection", pgettext_lazy("metronet", "Connections")),
            _item("coveragetarget", _("Coverage targets")),
            PluginMenuItem(link="plugins:netbox_metronet:coverage", link_text=_("Coverage"),
                           permissions=["netbox_metronet.view_connection"]),
        )),
        (_("Topology"), (
            PluginMenuItem(link="plugins:netbox_metronet:map", link_text=_("Map"),
                           permissions=["netbox_metronet.view_routesegment"]),
            PluginMenuItem(link="plugins:netbox_metronet:network", link_text=_("Network"),
                           permissions=["dcim.view_device"]),
            PluginMenuItem(link="plugins:netbox_metronet:topology_impact", link_text=_("Cut impact"),
                           permissions=["netbox_metronet.view_routesegment", "netbox_metronet.view_connection"]),
            PluginMenuItem(link="plugins:netbox_metronet:topology_spof", link_text=_("Single points of failure"),
                           permissions=["netbox_metronet.view_routesegment", "netbox_metronet.view_connection"]),
            PluginMenuItem(link="plugins:netbox_metronet:planned_vs_built", link_text=_("Planned vs built"),
                           permissions=["netbox_metronet.view_lldpneighbor", "dcim.view_cable"]),
            _item("lldpneighbor", _("LLDP neighbors"), add=False),
        )),
    ),
)
