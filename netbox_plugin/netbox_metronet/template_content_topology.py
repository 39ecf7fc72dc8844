"""Links from detail pages to the topology pages.

- "What breaks if this is cut?" on route segments, splice closures, fiber cables, devices and sites: the Cut
  impact page with that element selected;
- "Single points of failure" on a tenant: the SPOF page reduced to that organization (a link only: the
  analysis runs when the page is opened, not on every tenant page).

Shown to users who may use the topology pages (``netbox_metronet.view_routesegment`` and ``view_connection``).
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from netbox.plugins import PluginTemplateExtension

from .api.views_topology import REQUIRED_PERMISSIONS

__all__ = ("EXTENSIONS", "TenantSpofButton", "WhatBreaksButton")

#: model label → the query parameter of the impact page
CUT_PARAMETERS = {
    "netbox_metronet.routesegment": "route_segment",
    "netbox_metronet.spliceclosure": "closure",
    "netbox_metronet.fibercable": "fiber_cable",
    "dcim.device": "device",
    "dcim.site": "site",
}


def _may_use(context) -> bool:
    return context["request"].user.has_perms(REQUIRED_PERMISSIONS)


class WhatBreaksButton(PluginTemplateExtension):
    models = list(CUT_PARAMETERS)

    def buttons(self):
        if not _may_use(self.context):
            return ""
        obj = self.context["object"]
        key = CUT_PARAMETERS[obj._meta.label_lower]
        url = reverse("plugins:netbox_metronet:topology_impact") + "?" + urlencode({key: obj.pk})
        return format_html(
            '<a href="{}" class="btn btn-outline-danger" id="metronet-what-breaks">'
            '<i class="mdi mdi-content-cut" aria-hidden="true"></i> {}</a>', url, _("What breaks if this is cut?"))


class TenantSpofButton(PluginTemplateExtension):
    models = ["tenancy.tenant"]

    def buttons(self):
        if not _may_use(self.context):
            return ""
        url = reverse("plugins:netbox_metronet:topology_spof") + "?" + urlencode(
            {"organization": self.context["object"].pk})
        return format_html(
            '<a href="{}" class="btn btn-outline-secondary" id="metronet-tenant-spof">'
            '<i class="mdi mdi-source-branch" aria-hidden="true"></i> {}</a>', url, _("Single points of failure"))


#: PluginTemplateExtension classes registered by template_content.py
EXTENSIONS: list = [WhatBreaksButton, TenantSpofButton]
