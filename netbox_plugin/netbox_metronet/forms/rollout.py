"""Forms of the rollout (connections, coverage targets): edit, CSV/YAML/JSON import, bulk edit, list filter.

``Connection.clean()`` checks the dates and the status against each other, the site against the organization and
the strand against the site; its errors land on the form fields (and, on import, carry the record number).
"""

from decimal import Decimal

from dcim.models import Device, Interface, Region, Site
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.forms import (
    PrimaryModelBulkEditForm,
    PrimaryModelFilterSetForm,
    PrimaryModelForm,
    PrimaryModelImportForm,
)
from tenancy.models import Tenant
from utilities.forms import add_blank_choice
from utilities.forms.fields import (
    ChoiceField,
    CSVChoiceField,
    CSVModelChoiceField,
    CSVModelMultipleChoiceField,
    CSVMultipleChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    MultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DatePicker

from ..choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from ..models import Connection, CoverageTarget, FiberCable, FiberStrand

__all__ = (
    "ConnectionBulkEditForm",
    "ConnectionFilterForm",
    "ConnectionForm",
    "ConnectionImportForm",
    "CoverageTargetBulkEditForm",
    "CoverageTargetFilterForm",
    "CoverageTargetForm",
    "CoverageTargetImportForm",
)


#
# Connections
#

class ConnectionForm(PrimaryModelForm):
    """Create or edit a connection. The site selector lists the organization's sites, the interface selector the
    interfaces of the chosen access device, the strand selector the strands of cables ending at the site."""

    tenant = DynamicModelChoiceField(
        label=_("Organization (tenant)"),
        queryset=Tenant.objects.all(),
        selector=True,
    )
    site = DynamicModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.all(),
        selector=True,
        query_params={"tenant_id": "$tenant"},
    )
    status = ChoiceField(
        label=_("Status"),
        choices=ConnectionStatusChoices,
        initial=ConnectionStatusChoices.PLANNED,
    )
    device = DynamicModelChoiceField(
        label=_("Access device"),
        queryset=Device.objects.all(),
        required=False,
        selector=True,
        help_text=_("Narrows the interface selection to one switch"),
    )
    access_interfaces = DynamicModelMultipleChoiceField(
        label=_("Access interfaces"),
        queryset=Interface.objects.all(),
        required=False,
        query_params={"device_id": "$device"},
        context={"parent": "device"},
    )
    strand = DynamicModelChoiceField(
        label=_("Fiber strand"),
        queryset=FiberStrand.objects.all(),
        required=False,
        selector=True,
        query_params={"site_id": "$site"},
        help_text=_("The strand at the organization's end; the fiber path is traced from it"),
    )

    fieldsets = (
        FieldSet("tenant", "site", "status", "description", "tags", name=_("Connection")),
        FieldSet("planned_date", "construction_start", "connected_date", name=_("Dates")),
        FieldSet("bandwidth_mbps", "device", "access_interfaces", "strand", name=pgettext_lazy("metronet", "Service")),
    )

    class Meta:
        model = Connection
        fields = (
            "tenant", "site", "status", "planned_date", "construction_start", "connected_date", "bandwidth_mbps",
            "access_interfaces", "strand", "description", "owner", "comments", "tags",
        )
        widgets = {
            "planned_date": DatePicker(),
            "construction_start": DatePicker(),
            "connected_date": DatePicker(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # When editing, preselect the device of the first access interface so that the selector shows its peers.
        if self.instance.pk and not self.initial.get("device"):
            interface = self.instance.access_interfaces.first()
            if interface is not None:
                self.initial["device"] = interface.device_id


class ConnectionImportForm(PrimaryModelImportForm):
    """One connection per row. The strand is given as ``cable`` (name) + ``strand_number``; access interfaces as
    interface names of ``device`` (device names are looked up at the connection's site)."""

    tenant = CSVModelChoiceField(
        label=_("Organization (tenant)"),
        queryset=Tenant.objects.all(),
        to_field_name="name",
        help_text=_("Name of the tenant"),
    )
    site = CSVModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.all(),
        to_field_name="name",
        help_text=_("Name of the site"),
    )
    status = CSVChoiceField(
        label=_("Status"),
        choices=ConnectionStatusChoices,
        required=False,
        help_text=_("Connection status (default: planned)"),
    )
    device = CSVModelChoiceField(
        label=_("Access device"),
        queryset=Device.objects.all(),
        required=False,
        to_field_name="name",
        help_text=_("Name of the access device whose interfaces are listed in access_interfaces"),
    )
    access_interfaces = CSVModelMultipleChoiceField(
        label=_("Access interfaces"),
        queryset=Interface.objects.all(),
        required=False,
        to_field_name="name",
        help_text=_('Interface names on the access device, comma-separated in double quotes (e.g. "Gi0/1,Gi0/2")'),
    )
    cable = CSVModelChoiceField(
        label=_("Fiber cable"),
        queryset=FiberCable.objects.all(),
        required=False,
        to_field_name="name",
        help_text=_("Name of the fiber cable of the strand"),
    )
    strand_number = forms.IntegerField(
        label=_("Strand number"),
        required=False,
        min_value=1,
        help_text=_("Number of the strand in the cable"),
    )

    class Meta:
        model = Connection
        fields = (
            "tenant", "site", "status", "planned_date", "construction_start", "connected_date", "bandwidth_mbps",
            "device", "access_interfaces", "cable", "strand_number", "description", "owner", "comments", "tags",
        )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data:
            # Device names are unique per site: look the device up at the connection's site, its interfaces on it.
            if site := data.get("site"):
                params = {f"site__{self.fields['site'].to_field_name}": site}
                self.fields["device"].queryset = self.fields["device"].queryset.filter(**params)
            device = data.get("device")
            params = {f"device__{self.fields['device'].to_field_name}": device} if device else {"pk__in": []}
            if site:
                params[f"device__site__{self.fields['site'].to_field_name}"] = site
            self.fields["access_interfaces"].queryset = self.fields["access_interfaces"].queryset.filter(**params)

    def clean(self):
        super().clean()
        cable = self.cleaned_data.get("cable")
        number = self.cleaned_data.get("strand_number")
        if cable is None and number is None:
            return self.cleaned_data
        if cable is None or number is None:
            raise forms.ValidationError(_("Give both the cable and the strand number, or neither."))
        strand = FiberStrand.objects.filter(cable=cable, number=number).first()
        if strand is None:
            raise forms.ValidationError({
                "strand_number": _("Cable {cable} has no strand {number}.").format(cable=cable, number=number)
            })
        # Set before the model form's own validation, so that Connection.clean() checks the strand against the site.
        self.instance.strand = strand
        return self.cleaned_data


class ConnectionBulkEditForm(PrimaryModelBulkEditForm):
    status = ChoiceField(
        label=_("Status"),
        choices=add_blank_choice(ConnectionStatusChoices),
        required=False,
    )
    planned_date = forms.DateField(label=_("Planned date"), required=False, widget=DatePicker())
    construction_start = forms.DateField(label=_("Construction start"), required=False, widget=DatePicker())
    connected_date = forms.DateField(label=_("Connected date"), required=False, widget=DatePicker())
    bandwidth_mbps = forms.IntegerField(label=_("Bandwidth (Mbit/s)"), required=False, min_value=0)

    model = Connection
    fieldsets = (
        FieldSet("status", "description", name=_("Connection")),
        FieldSet("planned_date", "construction_start", "connected_date", name=_("Dates")),
        FieldSet("bandwidth_mbps", name=pgettext_lazy("metronet", "Service")),
    )
    nullable_fields = (
        "planned_date", "construction_start", "connected_date", "bandwidth_mbps", "description", "comments",
    )


class ConnectionFilterForm(PrimaryModelFilterSetForm):
    model = Connection
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("status", "bandwidth_mbps", name=_("Attributes")),
        FieldSet(
            "planned_date__gte", "planned_date__lte", "connected_date__gte", "connected_date__lte", name=_("Dates")
        ),
        FieldSet("tenant_id", "org_type", "town_relation", "town_part_id", name=_("Organization")),
        FieldSet("site_id", "device_id", name=pgettext_lazy("metronet", "Location")),
        FieldSet("owner_group_id", "owner_id", name=_("Ownership")),
    )
    selector_fields = ("filter_id", "q", "status", "tenant_id", "site_id")

    status = MultipleChoiceField(label=_("Status"), choices=ConnectionStatusChoices, required=False)
    bandwidth_mbps = forms.IntegerField(label=_("Bandwidth (Mbit/s)"), required=False, min_value=0)
    planned_date__gte = forms.DateField(label=_("Planned from"), required=False, widget=DatePicker())
    planned_date__lte = forms.DateField(label=_("Planned until"), required=False, widget=DatePicker())
    connected_date__gte = forms.DateField(label=_("Connected from"), required=False, widget=DatePicker())
    connected_date__lte = forms.DateField(label=_("Connected until"), required=False, widget=DatePicker())
    tenant_id = DynamicModelMultipleChoiceField(
        label=_("Organization (tenant)"), queryset=Tenant.objects.all(), required=False
    )
    org_type = MultipleChoiceField(label=_("Organization type"), choices=OrganizationTypeChoices, required=False)
    town_relation = MultipleChoiceField(label=_("Relation to the town"), choices=TownRelationChoices, required=False)
    town_part_id = DynamicModelMultipleChoiceField(label=_("Town part"), queryset=Region.objects.all(), required=False)
    site_id = DynamicModelMultipleChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, query_params={"tenant_id": "$tenant_id"}
    )
    device_id = DynamicModelMultipleChoiceField(
        label=_("Access device"), queryset=Device.objects.all(), required=False, query_params={"site_id": "$site_id"}
    )
    tag = TagFilterField(model)


#
# Coverage targets
#

class CoverageTargetForm(PrimaryModelForm):
    org_types = MultipleChoiceField(
        label=_("Organization types"),
        choices=OrganizationTypeChoices,
        required=False,
        help_text=_("Empty: all organization types"),
    )
    town_relations = MultipleChoiceField(
        label=_("Relations to the town"),
        choices=TownRelationChoices,
        required=False,
        help_text=_("Empty: every relation"),
    )

    fieldsets = (
        FieldSet("name", "share_percent", "min_bandwidth_mbps", "due_date", "description", "tags", name=_("Target")),
        FieldSet("org_types", "town_relations", name=_("Organizations counted")),
    )

    class Meta:
        model = CoverageTarget
        fields = (
            "name", "share_percent", "min_bandwidth_mbps", "due_date", "org_types", "town_relations", "description",
            "owner", "comments", "tags",
        )
        widgets = {"due_date": DatePicker()}


class CoverageTargetImportForm(PrimaryModelImportForm):
    org_types = CSVMultipleChoiceField(
        label=_("Organization types"),
        choices=OrganizationTypeChoices,
        required=False,
        help_text=_('Comma-separated organization types in double quotes (e.g. "school,kindergarten"); '
                    'empty: all types'),
    )
    town_relations = CSVMultipleChoiceField(
        label=_("Relations to the town"),
        choices=TownRelationChoices,
        required=False,
        help_text=_('Comma-separated relations in double quotes (e.g. "established,founded"); empty: every relation'),
    )

    class Meta:
        model = CoverageTarget
        fields = (
            "name", "share_percent", "min_bandwidth_mbps", "due_date", "org_types", "town_relations", "description",
            "owner", "comments", "tags",
        )


class CoverageTargetBulkEditForm(PrimaryModelBulkEditForm):
    share_percent = forms.DecimalField(
        label=_("Share (%)"), required=False, min_value=Decimal("0.01"), max_value=Decimal("100"), decimal_places=2
    )
    min_bandwidth_mbps = forms.IntegerField(label=_("Minimum bandwidth (Mbit/s)"), required=False, min_value=0)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DatePicker())
    org_types = MultipleChoiceField(label=_("Organization types"), choices=OrganizationTypeChoices, required=False)
    town_relations = MultipleChoiceField(label=_("Relations to the town"), choices=TownRelationChoices, required=False)

    model = CoverageTarget
    fieldsets = (
        FieldSet("share_percent", "min_bandwidth_mbps", "due_date", "description", name=_("Target")),
        FieldSet("org_types", "town_relations", name=_("Organizations counted")),
    )
    nullable_fields = ("description", "comments")


class CoverageTargetFilterForm(PrimaryModelFilterSetForm):
    model = CoverageTarget
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("org_type", "town_relation", "min_bandwidth_mbps", "due_date__gte", "due_date__lte",
                 name=_("Attributes")),
        FieldSet("owner_group_id", "owner_id", name=_("Ownership")),
    )

    org_type = MultipleChoiceField(label=_("Organization type"), choices=OrganizationTypeChoices, required=False)
    town_relation = MultipleChoiceField(label=_("Relation to the town"), choices=TownRelationChoices, required=False)
    min_bandwidth_mbps = forms.IntegerField(label=_("Minimum bandwidth (Mbit/s)"), required=False, min_value=0)
    due_date__gte = forms.DateField(label=_("Due from"), required=False, widget=DatePicker())
    due_date__lte = forms.DateField(label=_("Due until"), required=False, widget=DatePicker())
    tag = TagFilterField(model)
