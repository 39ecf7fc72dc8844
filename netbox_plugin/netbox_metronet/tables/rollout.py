"""Tables of the rollout: connections and coverage targets."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.tables import PrimaryModelTable, columns

from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..models import Connection, CoverageTarget

__all__ = ("ChoiceArrayColumn", "ConnectionTable", "CoverageTargetTable", "ProfileOrgTypeColumn")


def _interface_label(interface) -> str:
    return f"{interface.device} {interface}"


class ChoiceArrayColumn(tables.Column):
    """An ArrayField of choice values, rendered as coloured badges with the choices' labels."""

    def __init__(self, choice_set, *args, **kwargs):
        self.choice_set = choice_set
        kwargs.setdefault("empty_values", (None, "", []))
        super().__init__(*args, **kwargs)

    def _labels(self):
        return dict(self.choice_set)

    def render(self, value):
        labels = self._labels()
        return format_html_join(
            " ",
            '<span class="badge text-bg-{}">{}</span>',
            ((self.choice_set.colors.get(v) or "secondary", labels.get(v, v)) for v in value),
        )

    def value(self, value):
        labels = self._labels()
        return ", ".join(str(labels.get(v, v)) for v in value)


class ProfileOrgTypeColumn(tables.Column):
    """The organization type from the MetroNet profile of the row's tenant, as a coloured badge (a dash for a
    tenant without a profile)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("accessor", "tenant")
        kwargs.setdefault("order_by", ("tenant__metronet_profile__org_type",))
        super().__init__(*args, **kwargs)

    @staticmethod
    def _profile(tenant):
        return getattr(tenant, "metronet_profile", None)

    def render(self, value):
        if (profile := self._profile(value)) is None:
            return self.default
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            profile.get_org_type_color() or "secondary",
            profile.get_org_type_display(),
        )

    def value(self, value):
        profile = self._profile(value)
        return profile.get_org_type_display() if profile is not None else ""


class ConnectionTable(PrimaryModelTable):
    """Connections: organization, site, status badge, dates, bandwidth and access interfaces."""

    tenant = tables.Column(verbose_name=_("Organization"), linkify=True, order_by=("tenant__name",))
    org_type = ProfileOrgTypeColumn(verbose_name=_("Organization type"))
    site = tables.Column(verbose_name=_("Site"), linkify=True, order_by=("site__name",))
    status = columns.ChoiceFieldColumn(verbose_name=_("Status"))
    planned_date = columns.DateColumn(verbose_name=pgettext_lazy("metronet", "Planned"))
    construction_start = columns.DateColumn(verbose_name=_("Construction start"))
    connected_date = columns.DateColumn(verbose_name=_("Connected"))
    bandwidth_mbps = tables.Column(verbose_name=_("Bandwidth (Mbit/s)"))
    access_interfaces = columns.ManyToManyColumn(
        verbose_name=_("Access interfaces"),
        transform=_interface_label,
        linkify_item=True,
        orderable=False,
    )
    strand = tables.Column(verbose_name=_("Fiber strand"), linkify=True)
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:connection_list")

    class Meta(PrimaryModelTable.Meta):
        model = Connection
        fields = (
            "pk", "id", "tenant", "org_type", "site", "status", "planned_date", "construction_start",
            "connected_date", "bandwidth_mbps", "access_interfaces", "strand", "description", "comments", "tags",
            "created", "last_updated",
        )
        default_columns = (
            "pk", "id", "tenant", "site", "status", "planned_date", "connected_date", "bandwidth_mbps",
            "access_interfaces",
        )


class CoverageTargetTable(PrimaryModelTable):
    name = tables.Column(verbose_name=pgettext_lazy("metronet", "Name"), linkify=True)
    share_percent = tables.Column(verbose_name=_("Share (%)"))
    min_bandwidth_mbps = tables.Column(verbose_name=_("Minimum bandwidth (Mbit/s)"))
    due_date = columns.DateColumn(verbose_name=_("Due date"))
    org_types = ChoiceArrayColumn(OrganizationTypeChoices, verbose_name=_("Organization types"), orderable=False)
    town_relations = ChoiceArrayColumn(TownRelationChoices, verbose_name=_("Relations to the town"), orderable=False)
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:coveragetarget_list")

    class Meta(PrimaryModelTable.Meta):
        model = CoverageTarget
        fields = (
            "pk", "id", "name", "share_percent", "min_bandwidth_mbps", "due_date", "org_types", "town_relations",
            "description", "comments", "tags", "created", "last_updated",
        )
        default_columns = (
            "pk", "name", "share_percent", "min_bandwidth_mbps", "due_date", "org_types", "town_relations",
        )
