"""Forms of the fiber plant: model (add/edit), import (CSV/YAML/JSON), bulk-edit and list-filter forms.

Two things differ from a plain NetBox form:

- a fiber cable's route is an *ordered* list of segments (``FiberCable.set_segments``); its fields keep the
  order in which the segments were given (selected in the UI, or ``"S1,S2,S3"`` in an import);
- splices and strand terminations name strands by cable and number in imports (``cable_a`` + ``strand_a``),
  and their UI selectors only offer strands of cables that end in the chosen closure / at the chosen site.
"""

from dcim.models import Device, FrontPort, RearPort, Site
from django import forms
from django.db.models import Case, IntegerField, When
from django.utils.translation import gettext_lazy as _
from netbox.forms import (
    PrimaryModelBulkEditForm,
    PrimaryModelFilterSetForm,
    PrimaryModelForm,
    PrimaryModelImportForm,
)
from tenancy.models import Tenant
from utilities.forms import add_blank_choice
from utilities.forms.fields import (
    CSVChoiceField,
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    JSONField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet

from ..choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ..models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination

__all__ = (
    "FiberCableBulkEditForm",
    "FiberCableFilterForm",
    "FiberCableForm",
    "FiberCableImportForm",
    "FiberStrandBulkEditForm",
    "FiberStrandFilterForm",
    "FiberStrandForm",
    "FiberStrandImportForm",
    "RouteSegmentBulkEditForm",
    "RouteSegmentFilterForm",
    "RouteSegmentForm",
    "RouteSegmentImportForm",
    "SpliceBulkEditForm",
    "SpliceClosureBulkEditForm",
    "SpliceClosureFilterForm",
    "SpliceClosureForm",
    "SpliceClosureImportForm",
    "SpliceFilterForm",
    "SpliceForm",
    "SpliceImportForm",
    "StrandTerminationBulkEditForm",
    "StrandTerminationFilterForm",
    "StrandTerminationForm",
    "StrandTerminationImportForm",
)


#
# Ordered route fields
#

def _reject_duplicates(segments):
    seen = set()
    for segment in segments:
        if segment.pk in seen:
            raise forms.ValidationError(
                _("Route segment {segment} is listed twice; a cable runs through a segment once.").format(
                    segment=segment
                )
            )
        seen.add(segment.pk)
    return segments


class OrderedSegmentsField(DynamicModelMultipleChoiceField):
    """Route segment selector whose value is a list in the order the segments were selected (not by name)."""

    def clean(self, value):
        objects = {str(o.pk): o for o in super().clean(value)}
        return _reject_duplicates([objects[str(v)] for v in (value or []) if str(v) in objects])

    def get_bound_field(self, form, field_name):
        # Render the selected segments in route order (the widget lists them in queryset order).
        bound_field = super().get_bound_field(form, field_name)
        data = bound_field.value()
        if data:
            pks = [int(v) for v in (data if isinstance(data, list | tuple) else [data]) if str(v).isdigit()]
            order = Case(*(When(pk=pk, then=i) for i, pk in enumerate(pks)), output_field=IntegerField())
            self.queryset = self.queryset.order_by(order)
        return bound_field


class CSVOrderedSegmentsField(forms.Field):
    """Route segment names, comma-separated (``"S1,S2"``) or a YAML/JSON list, kept in the given order."""

    def clean(self, value):
        if value in (None, "", []):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        names = value if isinstance(value, list) else str(value).split(",")
        names = [str(n).strip() for n in names if str(n).strip()]
        found = {s.name: s for s in RouteSegment.objects.filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise forms.ValidationError(
                _("Route segment {names} does not exist.").format(names=", ".join(missing)), code="invalid_choice"
            )
        return _reject_duplicates([found[n] for n in names])


class _CableRouteFormMixin:
    """Stores the ``segments`` field through ``FiberCable.set_segments`` to keep their order.

    NetBox's form would ``.set()`` the M2M, which neither keeps order nor fills the through model's position.
    """

    def _save_m2m(self):
        segments = self.instance._m2m_values.pop("segments", None)
        super()._save_m2m()
        if segments is not None:
            self.instance.set_segments(segments)


#
# Model forms
#

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
        FieldSet("latitude", "longitude", name=_("Location")),
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

class RouteSegmentBulkEditForm(PrimaryModelBulkEditForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=add_blank_choice(RouteSegmentKindChoices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=add_blank_choice(PlantStatusChoices), required=False)
    asset_owner = DynamicModelChoiceField(label=_("Infrastructure owner"), queryset=Tenant.objects.all(),
                                          required=False)

    model = RouteSegment
    fieldsets = (FieldSet("kind", "status", "asset_owner", "description"),)
    nullable_fields = ("asset_owner", "description", "comments")


class FiberCableBulkEditForm(PrimaryModelBulkEditForm):
    status = forms.ChoiceField(label=_("Status"), choices=add_blank_choice(PlantStatusChoices), required=False)
    fiber_type = forms.ChoiceField(label=_("Fiber type"), choices=add_blank_choice(FiberTypeChoices), required=False)

    model = FiberCable
    fieldsets = (FieldSet("status", "fiber_type", "description"),)
    nullable_fields = ("description", "comments")


class FiberStrandBulkEditForm(PrimaryModelBulkEditForm):
    status = forms.ChoiceField(label=_("Status"), choices=add_blank_choice(StrandStatusChoices), required=False)

    model = FiberStrand
    fieldsets = (FieldSet("status", "description"),)
    nullable_fields = ("description", "comments")


class SpliceClosureBulkEditForm(PrimaryModelBulkEditForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=add_blank_choice(SpliceClosureKindChoices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=add_blank_choice(PlantStatusChoices), required=False)
    site = DynamicModelChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)

    model = SpliceClosure
    fieldsets = (FieldSet("kind", "status", "site", "description"),)
    nullable_fields = ("site", "description", "comments")


class SpliceBulkEditForm(PrimaryModelBulkEditForm):
    loss_db = forms.DecimalField(
        label=_("Measured loss (dB)"), max_digits=5, decimal_places=2, min_value=0, max_value=10, required=False
    )

    model = Splice
    fieldsets = (FieldSet("loss_db", "description"),)
    nullable_fields = ("loss_db", "description", "comments")


class StrandTerminationBulkEditForm(PrimaryModelBulkEditForm):
    model = StrandTermination
    fieldsets = (FieldSet("description"),)
    nullable_fields = ("description", "comments")


#
# Filter forms (list views)
#

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
