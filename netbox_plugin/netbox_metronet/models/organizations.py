"""The organization profile: what MetroNet adds to a NetBox tenant."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.models import PrimaryModel

from ..choices import OrganizationTypeChoices, TownRelationChoices
from ..utils.ico import ico_error

__all__ = ("OrganizationProfile", "validate_ico")


def validate_ico(value: str) -> None:
    """Django validator for the Czech company ID (IČO): 8 digits with a checksum."""
    if value and (error := ico_error(value)):
        raise ValidationError(error)


class OrganizationProfile(PrimaryModel):
    """A town organization: a ``tenancy.Tenant`` plus what the rollout needs to know about it.

    The organization's buildings are the tenant's ``dcim.Site``\\ s; the part of town is a ``dcim.Region``.
    """

    tenant = models.OneToOneField(
        to="tenancy.Tenant",
        on_delete=models.CASCADE,
        related_name="metronet_profile",
        verbose_name=_("organization (tenant)"),
    )
    org_type = models.CharField(
        verbose_name=_("organization type"),
        max_length=50,
        choices=OrganizationTypeChoices,
    )
    town_relation = models.CharField(
        verbose_name=_("relation to the town"),
        max_length=30,
        choices=TownRelationChoices,
        default=TownRelationChoices.ESTABLISHED,
    )
    company_id = models.CharField(
        verbose_name=_("company ID (IČO)"),
        max_length=8,
        blank=True,
        validators=[validate_ico],
        help_text=_("Czech company identification number: 8 digits, the last one a checksum"),
    )
    contact = models.ForeignKey(
        to="tenancy.Contact",
        on_delete=models.SET_NULL,
        related_name="+",
        blank=True,
        null=True,
        verbose_name=pgettext_lazy("metronet", "contact"),
        help_text=_("Who to call about the organization's connection"),
    )
    town_part = models.ForeignKey(
        to="dcim.Region",
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
        null=True,
        verbose_name=_("town part"),
    )

    clone_fields = ("org_type", "town_relation", "town_part")

    class Meta:
        ordering = ("tenant__name",)
        verbose_name = _("organization profile")
        verbose_name_plural = _("organization profiles")

    def __str__(self):
        return str(self.tenant)

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:organizationprofile", args=[self.pk])

    def get_org_type_color(self):
        return OrganizationTypeChoices.colors.get(self.org_type)

    def get_town_relation_color(self):
        return TownRelationChoices.colors.get(self.town_relation)
