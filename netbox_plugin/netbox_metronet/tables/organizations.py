"""Table of organization profiles."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.tables import PrimaryModelTable, columns

from ..models import OrganizationProfile

__all__ = ("ConnectionSummaryColumn", "OrganizationProfileTable")


class ConnectionSummaryColumn(tables.Column):
    """The organization's connections as "connected / all", linked to its connection list. Needs the
    ``connection_count`` and ``connected_count`` annotations of the list view's queryset."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("order_by", ("connected_count", "connection_count"))
        super().__init__(*args, **kwargs)

    def render(self, record, value):
        if not value:
            return "0"
        url = f"{reverse('plugins:netbox_metronet:connection_list')}?tenant_id={record.tenant_id}"
        return format_html('<a href="{}">{} / {}</a>', url, record.connected_count, value)

    def value(self, record, value):
        return f"{record.connected_count}/{value or 0}"


class OrganizationProfileTable(PrimaryModelTable):
    """Organizations with their type, relation, IČO, town part, contact, sites and connections.

    The name links to the MetroNet profile (the row); the profile page links to the tenant. ``site_count``,
    ``connection_count`` and ``connected_count`` are annotations of the list view's queryset.
    """

    tenant = tables.Column(
        verbose_name=_("Organization"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("tenant__name",),
    )
    org_type = columns.ChoiceFieldColumn(verbose_name=_("Type"))
    town_relation = columns.ChoiceFieldColumn(verbose_name=_("Relation"))
    company_id = tables.Column(verbose_name=_("IČO"))
    town_part = tables.Column(verbose_name=_("Town part"), linkify=True)
    contact = tables.Column(verbose_name=pgettext_lazy("metronet", "Contact"), linkify=True)
    site_count = columns.LinkedCountColumn(
        viewname="dcim:site_list",
        url_params={"tenant_id": "tenant_id"},
        verbose_name=pgettext_lazy("metronet", "Sites"),
    )
    connection_count = ConnectionSummaryColumn(verbose_name=_("Connected / connections"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:organizationprofile_list")

    class Meta(PrimaryModelTable.Meta):
        model = OrganizationProfile
        fields = (
            "pk", "id", "tenant", "org_type", "town_relation", "company_id", "town_part", "contact", "site_count",
            "connection_count", "description", "comments", "tags", "created", "last_updated",
        )
        default_columns = (
            "pk", "tenant", "org_type", "town_relation", "company_id", "town_part", "contact", "site_count",
            "connection_count",
        )
