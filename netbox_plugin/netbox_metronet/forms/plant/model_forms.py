"""Add/edit forms of the fiber-plant models."""

from dcim.models import Device, FrontPort, RearPort, Site
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.forms import (
    PrimaryModelForm,
)
from tenancy.models import Tenant
from utilities.forms.fields import (
    DynamicModelChoiceField,
    JSONField,
)
from utilities.forms.rendering import FieldSet

from ...models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination
from .fields import OrderedSegmentsField, _CableRouteFormMixin

__all__ = (
    "FiberCableForm",
    "FiberStrandForm",
    "RouteSegmentForm",
    "SpliceClosureForm",
    "SpliceForm",
    "StrandTerminationForm",
)


class RouteSegmentForm(PrimaryModelForm):
    asset_owner = DynamicModelChoiceField(
        label=_("Infrastructure owner"), queryset=Tenant.objects.all(), required=False,
        help_text=RouteSegment._meta.get_field("asset_owner").help_text,
    )
    geometry = JSONField(label=_("Geometry"), help_text=RouteSegment._meta.get_field("geometry").help_text)

    fieldsets = (
        FieldSet("name", "kind", "status", "asset_owner", "description", "tags", name=_("Route segment")),
        FieldSet("geometry", "length_m", name=_("Geometry")),
    )

    class Meta:
        model = RouteSegment
        fields = (
            "name", "kind", "status", "asset_owner", "geometry", "length_m", "description", "owner", "comments",
            "tags",
        )


class FiberCableForm(_CableRouteFormMixin, PrimaryModelForm):
    a_site = DynamicModelChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)
    a_closure = DynamicModelChoiceField(label=_("Splice closure"), queryset=SpliceClosure.objects.all(), required=False)
    b_site = DynamicModelChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)
    b_closure = DynamicModelChoiceField(label=_("Splice closure"), queryset=SpliceClosure.objects.all(), required=False)
    segments = OrderedSegmentsField(
        label=_("Route segments"), queryset=RouteSegment.objects.all(), required=False,
        help_text=_("In order, from the A-end to the B-end"),
    )

    fieldsets = (
        FieldSet("name", "status", "fiber_type", "strand_count", "description", "tags", name=_("Fiber cable")),
        FieldSet("a_site", "a_closure", name=_("A-end (a site or a closure)")),
        FieldSet("b_site", "b_closure", name=_("B-end (a site or a closure)")),
        FieldSet("segments", "length_m", name=_("Route")),
    )

    class Meta:
        model = FiberCable
        fields = (
            "name", "status", "fiber_type", "strand_count", "a_site", "a_closure", "b_site", "b_closure", "length_m",
            "description", "owner", "comments", "tags",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "segments" not in self.initial:
            self.initial["segments"] = [s.pk for s in self.instance.ordered_segments]


class FiberStrandForm(PrimaryModelForm):
    cable = DynamicModelChoiceField(label=_("Cable"), queryset=FiberCable.objects.all(), selector=True)

    fieldsets = (FieldSet("cable", "number", "status", "description", "tags", name=_("Fiber strand")),)

    class Meta:
        model = FiberStrand
        fields = ("cable", "number", "status", "description", "owner", "comments", "tags")


class SpliceClosureForm(PrimaryModelForm):
    site = DynamicModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False,
        help_text=SpliceClosure._meta.get_field("site").help_text,
    )

    fieldsets = (
        FieldSet("name", "kind", "status", "site", "description", "tags", name=_("Splice closure")),
        FieldSet("latitude", "longitude", name=pgettext_lazy("metronet", "Location")),
    )

    class Meta:
        model = SpliceClosure
        fields = (
            "name", "kind", "status", "site", "latitude", "longitude", "description", "owner", "comments", "tags",
        )


class SpliceForm(PrimaryModelForm):
    closure = DynamicModelChoiceField(label=_("Closure"), queryset=SpliceClosure.objects.all())
    strand_a = DynamicModelChoiceField(
        label=_("Strand A"), queryset=FiberStrand.objects.all(), query_params={"closure_id": "$closure"},
        help_text=_("Strands of the cables that end in the closure"),
    )
    strand_b = DynamicModelChoiceField(
        label=_("Strand B"), queryset=FiberStrand.objects.all(), query_params={"closure_id": "$closure"},
    )

    fieldsets = (
        FieldSet("closure", "strand_a", "strand_b", "loss_db", "description", "tags", name=_("Splice")),
    )

    class Meta:
        model = Splice
        fields = ("closure", "strand_a", "strand_b", "loss_db", "description", "owner", "comments", "tags")


class StrandTerminationForm(PrimaryModelForm):
    site = DynamicModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False,
        help_text=_("Narrows the strands and devices below"),
    )
    strand = DynamicModelChoiceField(
        label=_("Strand"), queryset=FiberStrand.objects.all(), query_params={"site_id": "$site"},
    )
    device = DynamicModelChoiceField(
        label=_("Device"), queryset=Device.objects.all(), required=False, query_params={"site_id": "$site"},
    )
    front_port = DynamicModelChoiceField(
        label=_("Front port"), queryset=FrontPort.objects.all(), required=False,
        query_params={"device_id": "$device"},
    )
    rear_port = DynamicModelChoiceField(
        label=_("Rear port"), queryset=RearPort.objects.all(), required=False,
        query_params={"device_id": "$device"},
    )

    fieldsets = (
        FieldSet("site", "strand", "cable_end", "description", "tags", name=_("Strand termination")),
        FieldSet("device", "front_port", "rear_port", name=_("Port (one of front or rear)")),
    )

    class Meta:
        model = StrandTermination
        fields = ("strand", "cable_end", "front_port", "rear_port", "description", "owner", "comments", "tags")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        port = self.instance.port if self.instance.pk else None
        if port is not None:
            self.initial.setdefault("device", port.device_id)
            self.initial.setdefault("site", port.device.site_id)


#
# Import forms
#
