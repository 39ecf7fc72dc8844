"""FilterSets of the rollout: connections and coverage targets."""

import django_filters
from dcim.models import Device, Interface, Region, Site
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.filtersets import PrimaryModelFilterSet
from tenancy.models import Tenant
from utilities.filters import TreeNodeMultipleChoiceFilter
from utilities.filtersets import register_filterset

from ..choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from ..models import Connection, CoverageTarget, FiberStrand

__all__ = ("ConnectionFilterSet", "CoverageTargetFilterSet")


@register_filterset
class ConnectionFilterSet(PrimaryModelFilterSet):
    """Filters of connections.

    ``org_type``, ``town_relation`` and ``town_part_id``/``town_part`` look through the organization's MetroNet
    profile (a tenant without a profile matches none of them). Dates and ``bandwidth_mbps`` get NetBox's
    generated lookups, e.g. ``planned_date__gte=2024-01-01&planned_date__lte=2024-12-31``.
    """

    tenant_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Tenant.objects.all(),
        distinct=False,
        label=_("Organization (tenant) (ID)"),
    )
    tenant = django_filters.ModelMultipleChoiceFilter(
        field_name="tenant__slug",
        queryset=Tenant.objects.all(),
        distinct=False,
        to_field_name="slug",
        label=_("Organization (tenant) (slug)"),
    )
    site_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Site.objects.all(),
        distinct=False,
        label=_("Site (ID)"),
    )
    site = django_filters.ModelMultipleChoiceFilter(
        field_name="site__slug",
        queryset=Site.objects.all(),
        distinct=False,
        to_field_name="slug",
        label=pgettext_lazy("metronet", "Site (slug)"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ConnectionStatusChoices,
        distinct=False,
        null_value=None,
        label=_("Status"),
    )
    org_type = django_filters.MultipleChoiceFilter(
        field_name="tenant__metronet_profile__org_type",
        choices=OrganizationTypeChoices,
        distinct=False,
        null_value=None,
        label=_("Organization type"),
    )
    town_relation = django_filters.MultipleChoiceFilter(
        field_name="tenant__metronet_profile__town_relation",
        choices=TownRelationChoices,
        distinct=False,
        null_value=None,
        label=_("Relation to the town"),
    )
    town_part_id = TreeNodeMultipleChoiceFilter(
        queryset=Region.objects.all(),
        field_name="tenant__metronet_profile__town_part",
        lookup_expr="in",
        label=_("Town part (ID)"),
    )
    town_part = TreeNodeMultipleChoiceFilter(
        queryset=Region.objects.all(),
        field_name="tenant__metronet_profile__town_part",
        lookup_expr="in",
        to_field_name="slug",
        label=_("Town part (slug)"),
    )
    strand_id = django_filters.ModelMultipleChoiceFilter(
        queryset=FiberStrand.objects.all(),
        distinct=False,
        label=_("Fiber strand (ID)"),
    )
    access_interface_id = django_filters.ModelMultipleChoiceFilter(
        field_name="access_interfaces",
        queryset=Interface.objects.all(),
        label=_("Access interface (ID)"),
    )
    device_id = django_filters.ModelMultipleChoiceFilter(
        field_name="access_interfaces__device",
        queryset=Device.objects.all(),
        label=_("Access device (ID)"),
    )

    class Meta:
        model = Connection
        fields = ("id", "planned_date", "construction_start", "connected_date", "bandwidth_mbps", "description")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tenant__name__icontains=value)
            | Q(site__name__icontains=value)
            | Q(tenant__metronet_profile__company_id__icontains=value)
            | Q(description__icontains=value)
        )


@register_filterset
class CoverageTargetFilterSet(PrimaryModelFilterSet):
    """Filters of coverage targets.

    ``org_type`` and ``town_relation`` match targets whose list contains any of the given values. A target with
    an empty list applies to every type (or relation) but stores no value, so it is not matched by them.
    """

    org_type = django_filters.MultipleChoiceFilter(
        field_name="org_types",
        choices=OrganizationTypeChoices,
        method="filter_contained",
        label=_("Organization type"),
    )
    town_relation = django_filters.MultipleChoiceFilter(
        field_name="town_relations",
        choices=TownRelationChoices,
        method="filter_contained",
        label=_("Relation to the town"),
    )

    class Meta:
        model = CoverageTarget
        fields = ("id", "name", "share_percent", "min_bandwidth_mbps", "due_date", "description")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_contained(self, queryset, name, value):
        """``name`` is the array field; keep the targets whose array holds at least one of ``value``."""
        if not value:
            return queryset
        return queryset.filter(**{f"{name}__overlap": list(value)})
