"""List-filter forms of the fiber-plant models."""

from dcim.models import Device, Site
from django import forms
from django.utils.translation import gettext_lazy as _
from netbox.forms import (
    PrimaryModelFilterSetForm,
)
from tenancy.models import Tenant
from utilities.forms.fields import (
    DynamicModelMultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet

from ...choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ...models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination

__all__ = (
    "FiberCableFilterForm",
    "FiberStrandFilterForm",
    "RouteSegmentFilterForm",
    "SpliceClosureFilterForm",
    "SpliceFilterForm",
    "StrandTerminationFilterForm",
)


_OWNERSHIP = FieldSet("owner_group_id", "owner_id", name=_("Ownership"))


class RouteSegmentFilterForm(PrimaryModelFilterSetForm):
    model = RouteSegment
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("kind", "status", "asset_owner_id", name=_("Attributes")),
        _OWNERSHIP,
    )
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=RouteSegmentKindChoices, required=False)
    status = forms.MultipleChoiceField(label=_("Status"), choices=PlantStatusChoices, required=False)
    asset_owner_id = DynamicModelMultipleChoiceField(
        label=_("Infrastructure owner"), queryset=Tenant.objects.all(), required=False
    )
    tag = TagFilterField(model)


class FiberCableFilterForm(PrimaryModelFilterSetForm):
    model = FiberCable
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("status", "fiber_type", "strand_count", name=_("Attributes")),
        FieldSet("site_id", "closure_id", "segment_id", name=_("Ends and route")),
        _OWNERSHIP,
    )
    status = forms.MultipleChoiceField(label=_("Status"), choices=PlantStatusChoices, required=False)
    fiber_type = forms.MultipleChoiceField(label=_("Fiber type"), choices=FiberTypeChoices, required=False)
    strand_count = forms.IntegerField(label=_("Strand count"), min_value=1, required=False)
    site_id = DynamicModelMultipleChoiceField(label=_("Site (either end)"), queryset=Site.objects.all(),
                                              required=False)
    closure_id = DynamicModelMultipleChoiceField(
        label=_("Splice closure (either end)"), queryset=SpliceClosure.objects.all(), required=False
    )
    segment_id = DynamicModelMultipleChoiceField(
        label=_("Route segment"), queryset=RouteSegment.objects.all(), required=False
    )
    tag = TagFilterField(model)


class FiberStrandFilterForm(PrimaryModelFilterSetForm):
    model = FiberStrand
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("cable_id", "number", "status", "closure_id", name=_("Attributes")),
        _OWNERSHIP,
    )
    cable_id = DynamicModelMultipleChoiceField(label=_("Cable"), queryset=FiberCable.objects.all(), required=False)
    number = forms.IntegerField(label=_("Number"), min_value=1, required=False)
    status = forms.MultipleChoiceField(label=_("Status"), choices=StrandStatusChoices, required=False)
    closure_id = DynamicModelMultipleChoiceField(
        label=_("Cable ends in closure"), queryset=SpliceClosure.objects.all(), required=False
    )
    tag = TagFilterField(model)


class SpliceClosureFilterForm(PrimaryModelFilterSetForm):
    model = SpliceClosure
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("kind", "status", "site_id", name=_("Attributes")),
        _OWNERSHIP,
    )
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=SpliceClosureKindChoices, required=False)
    status = forms.MultipleChoiceField(label=_("Status"), choices=PlantStatusChoices, required=False)
    site_id = DynamicModelMultipleChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)
    tag = TagFilterField(model)


class SpliceFilterForm(PrimaryModelFilterSetForm):
    model = Splice
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("closure_id", "cable_id", name=_("Attributes")),
        _OWNERSHIP,
    )
    closure_id = DynamicModelMultipleChoiceField(label=_("Closure"), queryset=SpliceClosure.objects.all(),
                                                 required=False)
    cable_id = DynamicModelMultipleChoiceField(label=_("Cable"), queryset=FiberCable.objects.all(), required=False)
    tag = TagFilterField(model)


class StrandTerminationFilterForm(PrimaryModelFilterSetForm):
    model = StrandTermination
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("cable_id", "cable_end", "site_id", "device_id", name=_("Attributes")),
        _OWNERSHIP,
    )
    cable_id = DynamicModelMultipleChoiceField(label=_("Cable"), queryset=FiberCable.objects.all(), required=False)
    cable_end = forms.MultipleChoiceField(label=_("Cable end"), choices=CableEndChoices, required=False)
    site_id = DynamicModelMultipleChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)
    device_id = DynamicModelMultipleChoiceField(
        label=_("Device"), queryset=Device.objects.all(), required=False, query_params={"site_id": "$site_id"}
    )
    tag = TagFilterField(model)
