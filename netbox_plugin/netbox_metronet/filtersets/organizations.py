"""FilterSet of organization profiles, used by the list view, the REST API and the tenant page panels."""

import django_filters
from dcim.models import Region
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from netbox.filtersets import PrimaryModelFilterSet
from tenancy.models import Contact, Tenant
from utilities.filters import TreeNodeMultipleChoiceFilter
from utilities.filtersets import register_filterset

from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..models import OrganizationProfile

__all__ = ("OrganizationProfileFilterSet",)


@register_filterset
class OrganizationProfileFilterSet(PrimaryModelFilterSet):
    """Filters: ``org_type``, ``town_relation``, ``town_part_id``/``town_part`` (slug, with sub-regions),
    ``tenant_id``/``tenant`` (slug), ``contact_id``, ``company_id`` (with NetBox's lookups) and ``q``
    (tenant name, IČO, description)."""

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
    org_type = django_filters.MultipleChoiceFilter(
        choices=OrganizationTypeChoices,
        distinct=False,
        null_value=None,
        label=_("Organization type"),
    )
    town_relation = django_filters.MultipleChoiceFilter(
        choices=TownRelationChoices,
        distinct=False,
        null_value=None,
        label=_("Relation to the town"),
    )
    town_part_id = TreeNodeMultipleChoiceFilter(
        queryset=Region.objects.all(),
        field_name="town_part",
        lookup_expr="in",
        label=_("Town part (ID)"),
    )
    town_part = TreeNodeMultipleChoiceFilter(
        queryset=Region.objects.all(),
        field_name="town_part",
        lookup_expr="in",
        to_field_name="slug",
        label=_("Town part (slug)"),
    )
    contact_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Contact.objects.all(),
        distinct=False,
        label=_("Contact (ID)"),
    )

    class Meta:
        model = OrganizationProfile
        fields = ("id", "company_id", "description")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tenant__name__icontains=value) | Q(company_id__icontains=value) | Q(description__icontains=value)
        )
