"""Views of organization profiles: list, detail, add/edit/delete, bulk import/edit/delete.

Change log and journal tabs come with ``@register_model_view`` on a NetBox model.
"""

from dcim.models import Site
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from extras.ui.panels import CustomFieldsPanel, TagsPanel
from netbox.ui import attrs, layout, panels
from netbox.ui.breadcrumbs import Breadcrumb, filtered_list_url
from netbox.views import generic
from utilities.views import register_model_view

from .. import filtersets, forms, tables
from ..choices import ConnectionStatusChoices
from ..models import Connection, OrganizationProfile

__all__ = (
    "OrganizationProfileBulkDeleteView",
    "OrganizationProfileBulkEditView",
    "OrganizationProfileBulkImportView",
    "OrganizationProfileDeleteView",
    "OrganizationProfileEditView",
    "OrganizationProfileListView",
    "OrganizationProfilePanel",
    "OrganizationProfileView",
)


def _count_by_tenant(queryset: QuerySet) -> Coalesce:
    """A subquery counting the rows of ``queryset`` that belong to the profile's tenant (0 when none)."""
    return Coalesce(
        Subquery(
            queryset.filter(tenant=OuterRef("tenant_id")).order_by().values("tenant").annotate(c=Count("*")).values("c")
        ),
        0,
    )


def annotate_counts(queryset: QuerySet) -> QuerySet:
    """Add ``site_count``, ``connection_count`` and ``connected_count`` (of the tenant) to profiles."""
    return queryset.annotate(
        site_count=_count_by_tenant(Site.objects.all()),
        connection_count=_count_by_tenant(Connection.objects.all()),
        connected_count=_count_by_tenant(Connection.objects.filter(status=ConnectionStatusChoices.CONNECTED)),
    )


class OrganizationProfilePanel(panels.ObjectAttributesPanel):
    """The profile's own fields, with the contact's phone and e-mail for whoever has to call."""

    title = _("Organization")
    tenant = attrs.RelatedObjectAttr("tenant", linkify=True, grouped_by="group", label=_("Tenant"))
    org_type = attrs.ChoiceAttr("org_type", label=_("Type"))
    town_relation = attrs.ChoiceAttr("town_relation", label=_("Relation to the town"))
    company_id = attrs.TextAttr("company_id", label=_("IČO"), style="font-monospace", copy_button=True)
    town_part = attrs.NestedObjectAttr("town_part", linkify=True, label=_("Town part"))
    contact = attrs.RelatedObjectAttr("contact", linkify=True, label=pgettext_lazy("metronet", "Contact"))
    contact_phone = attrs.TextAttr("contact.phone", label=_("Phone"), copy_button=True)
    contact_email = attrs.TextAttr("contact.email", label=_("E-mail"), copy_button=True)
    description = attrs.TextAttr("description", label=_("Description"))


def _tenant_id(context) -> int:
    return context["object"].tenant_id


@register_model_view(OrganizationProfile, "list", path="", detail=False)
class OrganizationProfileListView(generic.ObjectListView):
    queryset = annotate_counts(OrganizationProfile.objects.select_related("tenant", "town_part", "contact"))
    filterset = filtersets.OrganizationProfileFilterSet
    filterset_form = forms.OrganizationProfileFilterForm
    table = tables.OrganizationProfileTable


@register_model_view(OrganizationProfile)
class OrganizationProfileView(generic.ObjectView):
    """Profile fields; the tenant's sites (with coordinates) and the tenant's connections, both as live tables.
    The template adds an "Add a connection" button prefilled with the tenant."""

    queryset = OrganizationProfile.objects.select_related("tenant__group", "town_part", "contact")
    template_name = "netbox_metronet/organizationprofile.html"
    layout = layout.SimpleLayout(
        breadcrumbs=[
            Breadcrumb(
                "town_part",
                url=filtered_list_url("plugins:netbox_metronet:organizationprofile_list", "town_part_id"),
            ),
        ],
        left_panels=[
            OrganizationProfilePanel(),
            CustomFieldsPanel(),
            TagsPanel(),
            panels.CommentsPanel(),
        ],
        right_panels=[
            panels.ObjectsTablePanel(
                "dcim.site",
                title=pgettext_lazy("metronet", "Sites"),
                filters={"tenant_id": _tenant_id},
                include_columns=["latitude", "longitude"],
                exclude_columns=["tenant"],
            ),
        ],
        bottom_panels=[
            panels.ObjectsTablePanel(
                "netbox_metronet.connection",
                title=pgettext_lazy("metronet", "Connections"),
                filters={"tenant_id": _tenant_id},
                exclude_columns=["tenant"],
            ),
        ],
    )


@register_model_view(OrganizationProfile, "add", detail=False)
@register_model_view(OrganizationProfile, "edit")
class OrganizationProfileEditView(generic.ObjectEditView):
    queryset = OrganizationProfile.objects.all()
    form = forms.OrganizationProfileForm


@register_model_view(OrganizationProfile, "delete")
class OrganizationProfileDeleteView(generic.ObjectDeleteView):
    queryset = OrganizationProfile.objects.all()


@register_model_view(OrganizationProfile, "bulk_import", path="import", detail=False)
class OrganizationProfileBulkImportView(generic.BulkImportView):
    queryset = OrganizationProfile.objects.all()
    model_form = forms.OrganizationProfileImportForm


@register_model_view(OrganizationProfile, "bulk_edit", path="edit", detail=False)
class OrganizationProfileBulkEditView(generic.BulkEditView):
    queryset = annotate_counts(OrganizationProfile.objects.select_related("tenant", "town_part", "contact"))
    filterset = filtersets.OrganizationProfileFilterSet
    table = tables.OrganizationProfileTable
    form = forms.OrganizationProfileBulkEditForm


@register_model_view(OrganizationProfile, "bulk_delete", path="delete", detail=False)
class OrganizationProfileBulkDeleteView(generic.BulkDeleteView):
    queryset = annotate_counts(OrganizationProfile.objects.select_related("tenant", "town_part", "contact"))
    filterset = filtersets.OrganizationProfileFilterSet
    table = tables.OrganizationProfileTable
