"""FilterSets of the fiber plant: route segments, cables, strands, closures, splices and strand terminations.

Besides one filter per model field (NetBox's convention, checked by the filterset tests), a few filters look
at both ends of a cable at once: ``site_id`` / ``closure_id`` on cables and strands ("has an end there"),
which is what the Splice and StrandTermination forms use to narrow their strand selectors.
"""

import django_filters
from dcim.models import FrontPort, RearPort, Site
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.filtersets import PrimaryModelFilterSet
from tenancy.models import Tenant
from utilities.filters import MultiValueNumberFilter
from utilities.filtersets import register_filterset

from ..choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ..models import (
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)

__all__ = (
    "FiberCableFilterSet",
    "FiberStrandFilterSet",
    "RouteSegmentFilterSet",
    "SpliceClosureFilterSet",
    "SpliceFilterSet",
    "StrandTerminationFilterSet",
    "annotate_route_length",
)


def annotate_route_length(queryset):
    """Annotate fiber cables with ``route_sum_m``: the sum of their route segments' lengths (one subquery).

    A segment's length is its measured length, else its geometry length, as in ``RouteSegment.length``.
    Lists use this instead of ``FiberCable.length``, which reads the segments of each cable separately.
    """
    total = (
        FiberCableSegment.objects.filter(cable=OuterRef("pk"))
        .order_by()
        .values("cable")
        .annotate(total=Sum(Coalesce("segment__length_m", "segment__geometry_length_m")))
        .values("total")
    )
    return queryset.annotate(
        route_sum_m=Subquery(total, output_field=DecimalField(max_digits=12, decimal_places=1))
    )


def _either_end(prefix: str, place: str, ids) -> Q:
    """``Q``: cables (``prefix``: path to the cable) whose A- or B-end ``place`` (site/closure) is in ``ids``."""
    return Q(**{f"{prefix}a_{place}__in": ids}) | Q(**{f"{prefix}b_{place}__in": ids})


@register_filterset
class RouteSegmentFilterSet(PrimaryModelFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=RouteSegmentKindChoices, distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=PlantStatusChoices, distinct=False)
    asset_owner_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Tenant.objects.all(), distinct=False, label=_("Infrastructure owner (ID)")
    )
    asset_owner = django_filters.ModelMultipleChoiceFilter(
        field_name="asset_owner__slug",
        queryset=Tenant.objects.all(),
        to_field_name="slug",
        distinct=False,
        label=_("Infrastructure owner (slug)"),
    )
    fiber_cable_id = django_filters.ModelMultipleChoiceFilter(
        field_name="cables", queryset=FiberCable.objects.all(), label=_("Fiber cable (ID)")
    )

    class Meta:
        model = RouteSegment
        fields = ("id", "name", "length_m", "geometry_length_m", "description")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(comments__icontains=value)
        )


@register_filterset
class FiberCableFilterSet(PrimaryModelFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PlantStatusChoices, distinct=False)
    fiber_type = django_filters.MultipleChoiceFilter(choices=FiberTypeChoices, distinct=False)
    a_site_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Site.objects.all(), distinct=False, label=_("A-end site (ID)")
    )
    b_site_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Site.objects.all(), distinct=False, label=_("B-end site (ID)")
    )
    a_closure_id = django_filters.ModelMultipleChoiceFilter(
        queryset=SpliceClosure.objects.all(), distinct=False, label=_("A-end closure (ID)")
    )
    b_closure_id = django_filters.ModelMultipleChoiceFilter(
        queryset=SpliceClosure.objects.all(), distinct=False, label=_("B-end closure (ID)")
    )
    site_id = MultiValueNumberFilter(method="filter_site", label=_("Site, either end (ID)"))
    closure_id = MultiValueNumberFilter(method="filter_closure", label=_("Splice closure, either end (ID)"))
    segment_id = django_filters.ModelMultipleChoiceFilter(
        field_name="segments", queryset=RouteSegment.objects.all(), label=_("Route segment (ID)")
    )
    segment = django_filters.ModelMultipleChoiceFilter(
        field_name="segments__name",
        queryset=RouteSegment.objects.all(),
        to_field_name="name",
        label=_("Route segment (name)"),
    )

    class Meta:
        model = FiberCable
        fields = ("id", "name", "strand_count", "length_m", "description")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(comments__icontains=value)
        )

    def filter_site(self, queryset, name, value):
        return queryset.filter(_either_end("", "site", value))

    def filter_closure(self, queryset, name, value):
        return queryset.filter(_either_end("", "closure", value))


@register_filterset
class FiberStrandFilterSet(PrimaryModelFilterSet):
    cable_id = django_filters.ModelMultipleChoiceFilter(
        queryset=FiberCable.objects.all(), distinct=False, label=_("Cable (ID)")
    )
    cable = django_filters.ModelMultipleChoiceFilter(
        field_name="cable__name",
        queryset=FiberCable.objects.all(),
        to_field_name="name",
        distinct=False,
        label=_("Cable (name)"),
    )
    status = django_filters.MultipleChoiceFilter(choices=StrandStatusChoices, distinct=False)
    closure_id = MultiValueNumberFilter(
        method="filter_closure", label=_("Splice closure where the strand's cable ends (ID)")
    )
    site_id = MultiValueNumberFilter(method="filter_site", label=_("Site where the strand's cable ends (ID)"))

    class Meta:
        model = FiberStrand
        fields = ("id", "number", "description")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        query = Q(cable__name__icontains=value) | Q(description__icontains=value) | Q(comments__icontains=value)
        if value.strip().isdigit():
            query |= Q(number=int(value))
        return queryset.filter(query)

    def filter_closure(self, queryset, name, value):
        return queryset.filter(_either_end("cable__", "closure", value))

    def filter_site(self, queryset, name, value):
        return queryset.filter(_either_end("cable__", "site", value))


@register_filterset
class SpliceClosureFilterSet(PrimaryModelFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SpliceClosureKindChoices, distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=PlantStatusChoices, distinct=False)
    site_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Site.objects.all(), distinct=False, label=_("Site (ID)")
    )
    site = django_filters.ModelMultipleChoiceFilter(
        field_name="site__slug", queryset=Site.objects.all(), to_field_name="slug", distinct=False,
        label=pgettext_lazy("metronet", "Site (slug)"),
    )

    class Meta:
        model = SpliceClosure
        fields = ("id", "name", "latitude", "longitude", "description")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(comments__icontains=value)
        )


@register_filterset
class SpliceFilterSet(PrimaryModelFilterSet):
    closure_id = django_filters.ModelMultipleChoiceFilter(
        queryset=SpliceClosure.objects.all(), distinct=False, label=_("Closure (ID)")
    )
    closure = django_filters.ModelMultipleChoiceFilter(
        field_name="closure__name", queryset=SpliceClosure.objects.all(), to_field_name="name", distinct=False,
        label=_("Closure (name)"),
    )
    strand_a_id = django_filters.ModelMultipleChoiceFilter(
        queryset=FiberStrand.objects.all(), distinct=False, label=_("Strand A (ID)")
    )
    strand_b_id = django_filters.ModelMultipleChoiceFilter(
        queryset=FiberStrand.objects.all(), distinct=False, label=_("Strand B (ID)")
    )
    strand_id = MultiValueNumberFilter(method="filter_strand", label=_("Strand, either side (ID)"))
    cable_id = MultiValueNumberFilter(method="filter_cable", label=_("Cable, either side (ID)"))

    class Meta:
        model = Splice
        fields = ("id", "loss_db", "description")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(closure__name__icontains=value)
            | Q(strand_a__cable__name__icontains=value)
            | Q(strand_b__cable__name__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )

    def filter_strand(self, queryset, name, value):
        return queryset.filter(Q(strand_a_id__in=value) | Q(strand_b_id__in=value))

    def filter_cable(self, queryset, name, value):
        return queryset.filter(Q(strand_a__cable_id__in=value) | Q(strand_b__cable_id__in=value))


@register_filterset
class StrandTerminationFilterSet(PrimaryModelFilterSet):
    strand_id = django_filters.ModelMultipleChoiceFilter(
        queryset=FiberStrand.objects.all(), distinct=False, label=_("Strand (ID)")
    )
    cable_id = django_filters.ModelMultipleChoiceFilter(
        field_name="strand__cable", queryset=FiberCable.objects.all(), distinct=False, label=_("Cable (ID)")
    )
    cable_end = django_filters.MultipleChoiceFilter(choices=CableEndChoices, distinct=False)
    front_port_id = django_filters.ModelMultipleChoiceFilter(
        queryset=FrontPort.objects.all(), distinct=False, label=_("Front port (ID)")
    )
    rear_port_id = django_filters.ModelMultipleChoiceFilter(
        queryset=RearPort.objects.all(), distinct=False, label=_("Rear port (ID)")
    )
    device_id = MultiValueNumberFilter(method="filter_device", label=_("Device (ID)"))
    site_id = MultiValueNumberFilter(method="filter_site", label=_("Site (ID)"))

    class Meta:
        model = StrandTermination
        fields = ("id", "description")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(strand__cable__name__icontains=value)
            | Q(front_port__device__name__icontains=value)
            | Q(rear_port__device__name__icontains=value)
            | Q(front_port__name__icontains=value)
            | Q(rear_port__name__icontains=value)
            | Q(description__icontains=value)
            | Q(comments__icontains=value)
        )

    def filter_device(self, queryset, name, value):
        return queryset.filter(Q(front_port__device_id__in=value) | Q(rear_port__device_id__in=value))

    def filter_site(self, queryset, name, value):
        return queryset.filter(Q(front_port__device__site_id__in=value) | Q(rear_port__device__site_id__in=value))
