"""Bulk-edit forms of the fiber-plant models."""

from dcim.models import Site
from django import forms
from django.utils.translation import gettext_lazy as _
from netbox.forms import (
    PrimaryModelBulkEditForm,
)
from tenancy.models import Tenant
from utilities.forms import add_blank_choice
from utilities.forms.fields import (
    DynamicModelChoiceField,
)
from utilities.forms.rendering import FieldSet

from ...choices import (
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ...models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination

__all__ = (
    "FiberCableBulkEditForm",
    "FiberStrandBulkEditForm",
    "RouteSegmentBulkEditForm",
    "SpliceBulkEditForm",
    "SpliceClosureBulkEditForm",
    "StrandTerminationBulkEditForm",
)


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
