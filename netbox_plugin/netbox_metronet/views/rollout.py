"""Views of connections and coverage targets: list, detail, add/edit/delete, bulk import/edit/delete.

Change log and journal tabs come with ``@register_model_view`` on a NetBox model.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import attrs, layout, panels
from netbox.ui.breadcrumbs import Breadcrumb, filtered_list_url
from netbox.views import generic
from utilities.data import resolve_attr_path
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..models import Connection, CoverageTarget

__all__ = (
    "ChoiceListAttr",
    "ConnectionBulkDeleteView",
    "ConnectionBulkEditView",
    "ConnectionBulkImportView",
    "ConnectionDeleteView",
    "ConnectionEditView",
    "ConnectionListView",
    "ConnectionPanel",
    "ConnectionView",
    "CoverageTargetBulkDeleteView",
    "CoverageTargetBulkEditView",
    "CoverageTargetBulkImportView",
    "CoverageTargetDeleteView",
    "CoverageTargetEditView",
    "CoverageTargetListView",
    "CoverageTargetPanel",
    "CoverageTargetView",
)

#: What the connection tables show: organization (and its profile), site, strand, interfaces with their devices.
CONNECTION_QUERYSET = Connection.objects.select_related(
    "tenant__metronet_profile", "site", "strand__cable"
).prefetch_related("access_interfaces__device")


#
# Connections
#

class ConnectionPanel(panels.ObjectAttributesPanel):
    """The connection's fields, with the organization's type and contact from its MetroNet profile."""

    title = _("Connection")
    tenant = attrs.RelatedObjectAttr("tenant", linkify=True, grouped_by="group", label=_("Organization"))
    org_type = attrs.ChoiceAttr("tenant.metronet_profile.org_type", label=_("Organization type"))
    contact = attrs.RelatedObjectAttr(
        "tenant.metronet_profile.contact", linkify=True, label=pgettext_lazy("metronet", "Contact")
    )
    site = attrs.RelatedObjectAttr("site", linkify=True, grouped_by="region", label=_("Site"))
    status = attrs.ChoiceAttr("status", label=_("Status"))
    planned_date = attrs.DateTimeAttr("planned_date", spec="date", label=_("Planned date"))
    construction_start = attrs.DateTimeAttr("construction_start", spec="date", label=_("Construction start"))
    connected_date = attrs.DateTimeAttr("connected_date", spec="date", label=_("Connected date"))
    bandwidth_mbps = attrs.TextAttr("bandwidth_mbps", format_string="{} Mbit/s", label=_("Bandwidth"))
    access_interfaces = attrs.RelatedObjectListAttr(
        "access_interfaces", linkify=True, grouped_by="device", label=_("Access interfaces")
    )
    strand = attrs.RelatedObjectAttr("strand", linkify=True, label=_("Fiber strand"))
    description = attrs.TextAttr("description", label=_("Description"))


@register_model_view(Connection, "list", path="", detail=False)
class ConnectionListView(generic.ObjectListView):
    queryset = CONNECTION_QUERYSET
    filterset = filtersets.ConnectionFilterSet
    filterset_form = forms.ConnectionFilterForm
    table = tables.ConnectionTable


@register_model_view(Connection)
class ConnectionView(generic.ObjectView):
    queryset = Connection.objects.select_related(
        "tenant__group", "tenant__metronet_profile__contact", "site__region", "strand__cable"
    ).prefetch_related("access_interfaces__device")
    template_name = "netbox_metronet/connection.html"
    layout = layout.SimpleLayout(
        breadcrumbs=[
            Breadcrumb("tenant", url=filtered_list_url("plugins:netbox_metronet:connection_list", "tenant_id")),
        ],
        left_panels=[
            ConnectionPanel(),
            CustomFieldsPanel(),
            TagsPanel(),
        ],
        right_panels=[
            panels.CommentsPanel(),
        ],
    )


@register_model_view(Connection, "add", detail=False)
@register_model_view(Connection, "edit")
class ConnectionEditView(generic.ObjectEditView):
    queryset = Connection.objects.all()
    form = forms.ConnectionForm


@register_model_view(Connection, "delete")
class ConnectionDeleteView(generic.ObjectDeleteView):
    queryset = Connection.objects.all()


@register_model_view(Connection, "bulk_import", path="import", detail=False)
class ConnectionBulkImportView(generic.BulkImportView):
    queryset = Connection.objects.all()
    model_form = forms.ConnectionImportForm


@register_model_view(Connection, "bulk_edit", path="edit", detail=False)
class ConnectionBulkEditView(generic.BulkEditView):
    queryset = CONNECTION_QUERYSET
    filterset = filtersets.ConnectionFilterSet
    table = tables.ConnectionTable
    form = forms.ConnectionBulkEditForm


@register_model_view(Connection, "bulk_delete", path="delete", detail=False)
class ConnectionBulkDeleteView(generic.BulkDeleteView):
    queryset = CONNECTION_QUERYSET
    filterset = filtersets.ConnectionFilterSet
    table = tables.ConnectionTable


#
# Coverage targets
#

class ChoiceListAttr(attrs.ObjectAttribute):
    """An ArrayField of choice values, shown as coloured badges with the choices' labels; an empty list shows
    ``empty_label`` (the targets' "all types" / "every relation")."""

    template_name = "netbox_metronet/inc/rollout_choice_badges.html"

    def __init__(self, accessor, choice_set, empty_label, **kwargs):
        super().__init__(accessor, **kwargs)
        self.choice_set = choice_set
        self.empty_label = empty_label

    def render(self, obj, context):
        labels = dict(self.choice_set)
        items = [
            (labels.get(value, value), self.choice_set.colors.get(value) or "secondary")
            for value in (resolve_attr_path(obj, self.accessor) or [])
        ]
        return render_to_string(self.template_name, {"items": items, "empty_label": self.empty_label})


class CoverageTargetPanel(panels.ObjectAttributesPanel):
    title = _("Coverage target")
    name = attrs.TextAttr("name", label=pgettext_lazy("metronet", "Name"))
    share_percent = attrs.TextAttr("share_percent", format_string="{} %", label=_("Share"))
    min_bandwidth_mbps = attrs.TextAttr("min_bandwidth_mbps", format_string="{} Mbit/s", label=_("Minimum bandwidth"))
    due_date = attrs.DateTimeAttr("due_date", spec="date", label=_("Due date"))
    org_types = ChoiceListAttr(
        "org_types", OrganizationTypeChoices, empty_label=_("All types"), label=_("Organization types")
    )
    town_relations = ChoiceListAttr(
        "town_relations", TownRelationChoices, empty_label=_("Every relation"), label=_("Relations to the town")
    )
    description = attrs.TextAttr("description", label=_("Description"))


def _counted_profile_filters(field):
    return lambda context: getattr(context["object"], field)


@register_model_view(CoverageTarget, "list", path="", detail=False)
class CoverageTargetListView(generic.ObjectListView):
    queryset = CoverageTarget.objects.all()
    filterset = filtersets.CoverageTargetFilterSet
    filterset_form = forms.CoverageTargetFilterForm
    table = tables.CoverageTargetTable


@register_model_view(CoverageTarget)
class CoverageTargetView(generic.ObjectView):
    """The target's fields and the organizations it counts (all types or relations when its lists are empty)."""

    queryset = CoverageTarget.objects.all()
    template_name = "netbox_metronet/coveragetarget.html"
    layout = layout.SimpleLayout(
        left_panels=[
            CoverageTargetPanel(),
            CustomFieldsPanel(),
            TagsPanel(),
            panels.CommentsPanel(),
        ],
        right_panels=[
            panels.ObjectsTablePanel(
                "netbox_metronet.organizationprofile",
                title=_("Organizations counted"),
                filters={
                    "org_type": _counted_profile_filters("org_types"),
                    "town_relation": _counted_profile_filters("town_relations"),
                },
            ),
        ],
    )

    def get_extra_context(self, request, instance):
        params = urlencode({"org_type": instance.org_types, "town_relation": instance.town_relations}, doseq=True)
        url = reverse("plugins:netbox_metronet:organizationprofile_list")
        return {"organizations_url": f"{url}?{params}" if params else url}


@register_model_view(CoverageTarget, "add", detail=False)
@register_model_view(CoverageTarget, "edit")
class CoverageTargetEditView(generic.ObjectEditView):
    queryset = CoverageTarget.objects.all()
    form = forms.CoverageTargetForm


@register_model_view(CoverageTarget, "delete")
class CoverageTargetDeleteView(generic.ObjectDeleteView):
    queryset = CoverageTarget.objects.all()


@register_model_view(CoverageTarget, "bulk_import", path="import", detail=False)
class CoverageTargetBulkImportView(generic.BulkImportView):
    queryset = CoverageTarget.objects.all()
    model_form = forms.CoverageTargetImportForm


@register_model_view(CoverageTarget, "bulk_edit", path="edit", detail=False)
class CoverageTargetBulkEditView(generic.BulkEditView):
    queryset = CoverageTarget.objects.all()
    filterset = filtersets.CoverageTargetFilterSet
    table = tables.CoverageTargetTable
    form = forms.CoverageTargetBulkEditForm


@register_model_view(CoverageTarget, "bulk_delete", path="delete", detail=False)
class CoverageTargetBulkDeleteView(generic.BulkDeleteView):
    queryset = CoverageTarget.objects.all()
    filterset = filtersets.CoverageTargetFilterSet
    table = tables.CoverageTargetTable
