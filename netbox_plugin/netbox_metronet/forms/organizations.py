"""Forms of organization profiles: edit, CSV/YAML/JSON import, bulk edit and list filter."""

from dcim.models import Region
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.forms import (
    PrimaryModelBulkEditForm,
    PrimaryModelFilterSetForm,
    PrimaryModelForm,
    PrimaryModelImportForm,
)
from tenancy.models import Contact, Tenant
from utilities.forms import add_blank_choice
from utilities.forms.fields import (
    ChoiceField,
    CSVChoiceField,
    CSVModelChoiceField,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    MultipleChoiceField,
    TagFilterField,
)
from utilities.forms.rendering import FieldSet

from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..models import OrganizationProfile

__all__ = (
    "OrganizationProfileBulkEditForm",
    "OrganizationProfileFilterForm",
    "OrganizationProfileForm",
    "OrganizationProfileImportForm",
)


class OrganizationProfileForm(PrimaryModelForm):
    """Create or edit a profile. ``?tenant=<id>`` in the add URL preselects the organization."""

    tenant = DynamicModelChoiceField(
        label=_("Organization (tenant)"),
        queryset=Tenant.objects.all(),
        selector=True,
        quick_add=True,
    )
    org_type = ChoiceField(label=_("Organization type"), choices=add_blank_choice(OrganizationTypeChoices))
    town_relation = ChoiceField(
        label=_("Relation to the town"),
        choices=TownRelationChoices,
        initial=TownRelationChoices.ESTABLISHED,
    )
    town_part = DynamicModelChoiceField(
        label=_("Town part"),
        queryset=Region.objects.all(),
        required=False,
    )
    contact = DynamicModelChoiceField(
        label=pgettext_lazy("metronet", "Contact"),
        queryset=Contact.objects.all(),
        required=False,
        selector=True,
    )

    fieldsets = (
        FieldSet("tenant", "org_type", "town_relation", "company_id", "description", "tags", name=_("Organization")),
        FieldSet("town_part", "contact", name=_("Location and contact")),
    )

    class Meta:
        model = OrganizationProfile
        fields = (
            "tenant", "org_type", "town_relation", "company_id", "town_part", "contact", "description", "owner",
            "comments", "tags",
        )


class OrganizationProfileImportForm(PrimaryModelImportForm):
    """One profile per row. An invalid IČO is rejected by the model validator; the import view names the row."""

    tenant = CSVModelChoiceField(
        label=_("Organization (tenant)"),
        queryset=Tenant.objects.all(),
        to_field_name="name",
        help_text=_("Name of the tenant"),
    )
    org_type = CSVChoiceField(
        label=_("Organization type"),
        choices=OrganizationTypeChoices,
        help_text=_("Organization type"),
    )
    town_relation = CSVChoiceField(
        label=_("Relation to the town"),
        choices=TownRelationChoices,
        required=False,
        help_text=_("Relation to the town (default: established)"),
    )
    contact = CSVModelChoiceField(
        label=pgettext_lazy("metronet", "Contact"),
        queryset=Contact.objects.all(),
        required=False,
        to_field_name="name",
        help_text=_("Name of the contact"),
    )
    town_part = CSVModelChoiceField(
        label=_("Town part"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="name",
        help_text=_("Name of the region that is the town part"),
    )

    class Meta:
        model = OrganizationProfile
        fields = (
            "tenant", "org_type", "town_relation", "company_id", "contact", "town_part", "description", "owner",
            "comments", "tags",
        )


class OrganizationProfileBulkEditForm(PrimaryModelBulkEditForm):
    org_type = ChoiceField(
        label=_("Organization type"),
        choices=add_blank_choice(OrganizationTypeChoices),
        required=False,
    )
    town_relation = ChoiceField(
        label=_("Relation to the town"),
        choices=add_blank_choice(TownRelationChoices),
        required=False,
    )
    town_part = DynamicModelChoiceField(
        label=_("Town part"),
        queryset=Region.objects.all(),
        required=False,
    )
    contact = DynamicModelChoiceField(
        label=pgettext_lazy("metronet", "Contact"),
        queryset=Contact.objects.all(),
        required=False,
    )

    model = OrganizationProfile
    fieldsets = (
        FieldSet("org_type", "town_relation", "description", name=_("Organization")),
        FieldSet("town_part", "contact", name=_("Location and contact")),
    )
    nullable_fields = ("town_part", "contact", "description", "comments")


class OrganizationProfileFilterForm(PrimaryModelFilterSetForm):
    model = OrganizationProfile
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("org_type", "town_relation", "company_id", name=_("Attributes")),
        FieldSet("tenant_id", "town_part_id", "contact_id", name=_("Organization")),
        FieldSet("owner_group_id", "owner_id", name=_("Ownership")),
    )
    selector_fields = ("filter_id", "q", "org_type", "town_part_id")

    org_type = MultipleChoiceField(
        label=_("Organization type"),
        choices=OrganizationTypeChoices,
        required=False,
    )
    town_relation = MultipleChoiceField(
        label=_("Relation to the town"),
        choices=TownRelationChoices,
        required=False,
    )
    company_id = forms.CharField(
        label=_("Company ID (IČO)"),
        required=False,
    )
    tenant_id = DynamicModelMultipleChoiceField(
        label=_("Organization (tenant)"),
        queryset=Tenant.objects.all(),
        required=False,
    )
    town_part_id = DynamicModelMultipleChoiceField(
        label=_("Town part"),
        queryset=Region.objects.all(),
        required=False,
    )
    contact_id = DynamicModelMultipleChoiceField(
        label=pgettext_lazy("metronet", "Contact"),
        queryset=Contact.objects.all(),
        required=False,
    )
    tag = TagFilterField(model)
