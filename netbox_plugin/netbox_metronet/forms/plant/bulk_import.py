"""Bulk import (CSV/YAML/JSON) forms of the fiber-plant models."""

from dcim.models import Device, FrontPort, RearPort, Site
from django import forms
from django.utils.translation import gettext_lazy as _
from netbox.forms import (
    PrimaryModelImportForm,
)
from tenancy.models import Tenant
from utilities.forms.fields import (
    CSVChoiceField,
    CSVModelChoiceField,
)

from ...choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ...models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination
from .fields import CSVOrderedSegmentsField, _CableRouteFormMixin

__all__ = (
    "FiberCableImportForm",
    "FiberStrandImportForm",
    "RouteSegmentImportForm",
    "SpliceClosureImportForm",
    "SpliceImportForm",
    "StrandTerminationImportForm",
)


class RouteSegmentImportForm(PrimaryModelImportForm):
    kind = CSVChoiceField(label=_("Kind"), choices=RouteSegmentKindChoices)
    status = CSVChoiceField(label=_("Status"), choices=PlantStatusChoices, required=False)
    asset_owner = CSVModelChoiceField(
        label=_("Infrastructure owner"), queryset=Tenant.objects.all(), required=False, to_field_name="name",
        help_text=_("Tenant name"),
    )

    class Meta:
        model = RouteSegment
        fields = (
            "name", "kind", "status", "asset_owner", "geometry", "length_m", "description", "owner", "comments",
            "tags",
        )


class FiberCableImportForm(_CableRouteFormMixin, PrimaryModelImportForm):
    status = CSVChoiceField(label=_("Status"), choices=PlantStatusChoices, required=False)
    fiber_type = CSVChoiceField(label=_("Fiber type"), choices=FiberTypeChoices, required=False)
    a_site = CSVModelChoiceField(
        label=_("A-end site"), queryset=Site.objects.all(), required=False, to_field_name="name",
        help_text=_("Site name (give a site or a closure)"),
    )
    a_closure = CSVModelChoiceField(
        label=_("A-end closure"), queryset=SpliceClosure.objects.all(), required=False, to_field_name="name",
        help_text=_("Splice closure name"),
    )
    b_site = CSVModelChoiceField(
        label=_("B-end site"), queryset=Site.objects.all(), required=False, to_field_name="name",
        help_text=_("Site name (give a site or a closure)"),
    )
    b_closure = CSVModelChoiceField(
        label=_("B-end closure"), queryset=SpliceClosure.objects.all(), required=False, to_field_name="name",
        help_text=_("Splice closure name"),
    )
    segments = CSVOrderedSegmentsField(
        label=_("Route segments"), required=False,
        help_text=_('Route segment names from the A-end to the B-end, comma-separated and quoted (e.g. "S1,S2,S3")'),
    )

    class Meta:
        model = FiberCable
        fields = (
            "name", "status", "fiber_type", "strand_count", "a_site", "a_closure", "b_site", "b_closure", "length_m",
            "description", "owner", "comments", "tags",
        )


class FiberStrandImportForm(PrimaryModelImportForm):
    cable = CSVModelChoiceField(
        label=_("Cable"), queryset=FiberCable.objects.all(), to_field_name="name", help_text=_("Fiber cable name")
    )
    status = CSVChoiceField(label=_("Status"), choices=StrandStatusChoices, required=False)

    class Meta:
        model = FiberStrand
        fields = ("cable", "number", "status", "description", "owner", "comments", "tags")


class SpliceClosureImportForm(PrimaryModelImportForm):
    kind = CSVChoiceField(label=_("Kind"), choices=SpliceClosureKindChoices, required=False)
    status = CSVChoiceField(label=_("Status"), choices=PlantStatusChoices, required=False)
    site = CSVModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, to_field_name="name", help_text=_("Site name")
    )

    class Meta:
        model = SpliceClosure
        fields = (
            "name", "kind", "status", "site", "latitude", "longitude", "description", "owner", "comments", "tags",
        )


def _bound_object(form, field_name):
    """The object named by ``field_name`` in a bound import form's data (None if absent or not found)."""
    if not form.is_bound or not form.data.get(field_name):
        return None
    try:
        return form.fields[field_name].to_python(form.data[field_name])
    except forms.ValidationError:
        return None


def _limit_strands(form, strand_field: str, cable_field: str):
    """Resolve ``strand_field`` (a strand number) among the strands of the cable named in ``cable_field``."""
    cable = _bound_object(form, cable_field)
    if cable is None and not form.is_bound and form.instance.pk:
        cable = getattr(form.instance, strand_field).cable
    field = form.fields[strand_field]
    if cable is None:
        field.queryset = FiberStrand.objects.none()
        field.error_messages["invalid_choice"] = _("Strand %(value)s: give a valid {cable_field} first.").format(
            cable_field=cable_field
        )
        return
    field.queryset = FiberStrand.objects.filter(cable=cable)
    field.error_messages["invalid_choice"] = _(
        "Cable {cable} has no strand %(value)s (it has {count} strands)."
    ).format(cable=cable, count=cable.strand_count)


class SpliceImportForm(PrimaryModelImportForm):
    closure = CSVModelChoiceField(
        label=_("Closure"), queryset=SpliceClosure.objects.all(), to_field_name="name",
        help_text=_("Splice closure name"),
    )
    cable_a = CSVModelChoiceField(
        label=_("Cable A"), queryset=FiberCable.objects.all(), to_field_name="name", help_text=_("Cable of strand A")
    )
    strand_a = CSVModelChoiceField(
        label=_("Strand A"), queryset=FiberStrand.objects.all(), to_field_name="number",
        help_text=_("Strand number in cable A"),
    )
    cable_b = CSVModelChoiceField(
        label=_("Cable B"), queryset=FiberCable.objects.all(), to_field_name="name", help_text=_("Cable of strand B")
    )
    strand_b = CSVModelChoiceField(
        label=_("Strand B"), queryset=FiberStrand.objects.all(), to_field_name="number",
        help_text=_("Strand number in cable B"),
    )

    class Meta:
        model = Splice
        fields = (
            "closure", "cable_a", "strand_a", "cable_b", "strand_b", "loss_db", "description", "owner", "comments",
            "tags",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_strands(self, "strand_a", "cable_a")
        _limit_strands(self, "strand_b", "cable_b")


class StrandTerminationImportForm(PrimaryModelImportForm):
    cable = CSVModelChoiceField(
        label=_("Cable"), queryset=FiberCable.objects.all(), to_field_name="name", help_text=_("Fiber cable name")
    )
    strand = CSVModelChoiceField(
        label=_("Strand"), queryset=FiberStrand.objects.all(), to_field_name="number",
        help_text=_("Strand number in the cable"),
    )
    device = CSVModelChoiceField(
        label=_("Device"), queryset=Device.objects.all(), to_field_name="name",
        help_text=_("Device with the port (a patch panel)"),
    )
    front_port = CSVModelChoiceField(
        label=_("Front port"), queryset=FrontPort.objects.all(), required=False, to_field_name="name",
        help_text=_("Front port name on the device (give a front or a rear port)"),
    )
    rear_port = CSVModelChoiceField(
        label=_("Rear port"), queryset=RearPort.objects.all(), required=False, to_field_name="name",
        help_text=_("Rear port name on the device"),
    )
    cable_end = CSVChoiceField(
        label=_("Cable end"), choices=CableEndChoices, required=False,
        help_text=_("Only for a cable with both ends at the port's site"),
    )

    class Meta:
        model = StrandTermination
        fields = (
            "cable", "strand", "device", "front_port", "rear_port", "cable_end", "description", "owner", "comments",
            "tags",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_strands(self, "strand", "cable")
        device = _bound_object(self, "device")
        if device is None and not self.is_bound and self.instance.pk:
            device = self.instance.port.device
        for name, model in (("front_port", FrontPort), ("rear_port", RearPort)):
            self.fields[name].queryset = model.objects.filter(device=device) if device else model.objects.none()


#
# Bulk edit forms
#
