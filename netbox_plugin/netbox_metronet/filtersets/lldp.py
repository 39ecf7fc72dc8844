"""FilterSet of LLDP neighbors (list view, REST API)."""

import django_filters
from dcim.models import Device, Interface, Site
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.filtersets import NetBoxModelFilterSet
from utilities.filtersets import register_filterset

from ..models import LldpNeighbor

__all__ = ("LldpNeighborFilterSet",)


@register_filterset
class LldpNeighborFilterSet(NetBoxModelFilterSet):
    """Filters: ``device_id``/``device`` (name), ``site_id``/``site`` (slug), ``local_interface_id``, the
    reported strings (with NetBox's lookups, e.g. ``remote_system__ic=core``), ``first_seen``/``last_seen``
    (``__gte``/``__lte``) and ``q`` (device, local interface, remote system, port, description, chassis)."""

    device_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Device.objects.all(),
        distinct=False,
        label=_("Device (ID)"),
    )
    device = django_filters.ModelMultipleChoiceFilter(
        field_name="device__name",
        queryset=Device.objects.all(),
        distinct=False,
        to_field_name="name",
        label=_("Device (name)"),
    )
    site_id = django_filters.ModelMultipleChoiceFilter(
        field_name="device__site",
        queryset=Site.objects.all(),
        distinct=False,
        label=_("Site (ID)"),
    )
    site = django_filters.ModelMultipleChoiceFilter(
        field_name="device__site__slug",
        queryset=Site.objects.all(),
        distinct=False,
        to_field_name="slug",
        label=pgettext_lazy("metronet", "Site (slug)"),
    )
    local_interface_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Interface.objects.all(),
        distinct=False,
        label=_("Local interface (ID)"),
    )

    class Meta:
        model = LldpNeighbor
        fields = (
            "id", "local_interface_name", "remote_system", "remote_port", "remote_port_description",
            "remote_chassis_id", "first_seen", "last_seen",
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(device__name__icontains=value)
            | Q(local_interface_name__icontains=value)
            | Q(remote_system__icontains=value)
            | Q(remote_port__icontains=value)
            | Q(remote_port_description__icontains=value)
            | Q(remote_chassis_id__icontains=value)
        )
