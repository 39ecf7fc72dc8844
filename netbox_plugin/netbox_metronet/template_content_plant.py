"""Fiber-plant panel on NetBox's site page: the fiber cables with an end at the site and the closures in it.

Both tables come from ``.restrict(user, "view")`` querysets; a table the user may not view at all is left out,
and the panel is not rendered when neither is viewable.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from netbox.plugins import PluginTemplateExtension

from .models import FiberCable, SpliceClosure
from .tables import FiberCableTable, SpliceClosureTable
from .views.plant import embedded_table, fiber_cables_queryset, splice_closures_queryset

__all__ = ("EXTENSIONS", "SiteFiberPlant")

SITE_PANEL_TEMPLATE = "netbox_metronet/inc/plant_site_panel.html"


def _add_url(user, model_name: str, params: dict) -> str | None:
    if not user.has_perm(f"netbox_metronet.add_{model_name}"):
        return None
    return f"{reverse(f'plugins:netbox_metronet:{model_name}_add')}?{urlencode(params)}"


class SiteFiberPlant(PluginTemplateExtension):
    """On a site: its fiber cables (either end at the site) and its splice closures."""

    models = ["dcim.site"]

    def full_width_page(self):
        site = self.context["object"]
        user = self.context["request"].user
        return_url = site.get_absolute_url()
        context = {"cables_table": None, "closures_table": None}
        if user.has_perm("netbox_metronet.view_fibercable"):
            cables = FiberCable.objects.restrict(user, "view").filter(Q(a_site=site) | Q(b_site=site))
            context["cables_table"] = embedded_table(FiberCableTable, fiber_cables_queryset(cables))
            context["add_cable_url"] = _add_url(user, "fibercable", {"a_site": site.pk, "return_url": return_url})
        if user.has_perm("netbox_metronet.view_spliceclosure"):
            closures = splice_closures_queryset(SpliceClosure.objects.restrict(user, "view").filter(site=site))
            context["closures_table"] = embedded_table(SpliceClosureTable, closures, exclude=("site",))
            context["add_closure_url"] = _add_url(
                user, "spliceclosure", {"site": site.pk, "latitude": site.latitude or "",
                                        "longitude": site.longitude or "", "return_url": return_url}
            )
        if context["cables_table"] is None and context["closures_table"] is None:
            return ""
        return self.render(SITE_PANEL_TEMPLATE, extra_context=context)


#: PluginTemplateExtension classes registered by template_content.py
EXTENSIONS: list = [SiteFiberPlant]
