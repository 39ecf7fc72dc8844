"""Rollout: connections of organization sites and the town's coverage targets."""

import datetime
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.models import PrimaryModel

from ..choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices

__all__ = ("Connection", "CoverageTarget")


class Connection(PrimaryModel):
    """The connection of one organization site to the metropolitan network, from plan to service.

    ``strand`` is the fiber at the organization's end; the whole path (hops, length, loss budget) is
    traced from it.
    """

    tenant = models.ForeignKey(
        to="tenancy.Tenant", on_delete=models.PROTECT, related_name="metronet_connections",
        verbose_name=_("organization"),
    )
    site = models.ForeignKey(
        to="dcim.Site", on_delete=models.PROTECT, related_name="metronet_connections",
        verbose_name=pgettext_lazy("metronet", "site"),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=30, choices=ConnectionStatusChoices,
        default=ConnectionStatusChoices.PLANNED,
    )
    planned_date = models.DateField(
        verbose_name=_("planned date"), blank=True, null=True, help_text=_("When the connection is to be in service")
    )
    construction_start = models.DateField(verbose_name=_("construction start"), blank=True, null=True)
    connected_date = models.DateField(
        verbose_name=_("connected date"), blank=True, null=True, help_text=_("When the connection went into service")
    )
    bandwidth_mbps = models.PositiveIntegerField(
        verbose_name=_("bandwidth (Mbit/s)"), blank=True, null=True, help_text=_("Contracted bandwidth")
    )
    access_interfaces = models.ManyToManyField(
        to="dcim.Interface", related_name="+", blank=True, verbose_name=_("access interfaces"),
        help_text=_("Switch interfaces that serve the organization"),
    )
    strand = models.ForeignKey(
        to="netbox_metronet.FiberStrand", on_delete=models.SET_NULL, related_name="connections",
        blank=True, null=True, verbose_name=_("fiber strand"),
        help_text=_("The strand at the organization's end; the fiber path is traced from it"),
    )

    clone_fields = ("tenant", "status", "planned_date", "bandwidth_mbps")

    class Meta:
        ordering = ("tenant__name", "site__name")
        verbose_name = _("connection")
        verbose_name_plural = _("connections")

    def __str__(self):
        return f"{self.tenant} @ {self.site}"

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:connection", args=[self.pk])

    def get_status_color(self):
        return ConnectionStatusChoices.colors.get(self.status)

    def clean(self):
        super().clean()
        errors = {}
        if self.site_id and self.tenant_id and self.site.tenant_id and self.site.tenant_id != self.tenant_id:
            errors["site"] = _("Site {site} belongs to {owner}, not to {tenant}.").format(
                site=self.site, owner=self.site.tenant, tenant=self.tenant
            )
        if self.status == ConnectionStatusChoices.CONNECTED and not self.connected_date:
            errors["connected_date"] = _("A connected connection needs the date it went into service.")
        if self.connected_date and self.status != ConnectionStatusChoices.CONNECTED:
            errors["connected_date"] = _(
                "Only a connected connection has a connected date (status is {status})."
            ).format(status=self.get_status_display())
        if self.connected_date and self.connected_date > datetime.date.today():
            errors["connected_date"] = _("The connected date {date} is in the future.").format(date=self.connected_date)
        if self.construction_start and self.connected_date and self.construction_start > self.connected_date:
            errors["construction_start"] = _(
                "Construction start {start} is after the connected date {end}."
            ).format(start=self.construction_start, end=self.connected_date)
        if self.strand_id and self.site_id:
            cable = self.strand.cable
            if self.site_id not in (cable.a_site_id, cable.b_site_id):
                errors["strand"] = _("Strand {strand} is in cable {cable}, which does not end at {site}.").format(
                    strand=self.strand, cable=cable, site=self.site
                )
        if errors:
            raise ValidationError(errors)


class CoverageTarget(PrimaryModel):
    """A town target: ``share_percent`` of organizations (optionally of some types) connected at
    ``min_bandwidth_mbps`` or more by ``due_date``."""

    name = models.CharField(verbose_name=pgettext_lazy("metronet", "name"), max_length=100, unique=True)
    share_percent = models.DecimalField(
        verbose_name=_("share (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    min_bandwidth_mbps = models.PositiveIntegerField(verbose_name=_("minimum bandwidth (Mbit/s)"))
    due_date = models.DateField(verbose_name=_("due date"))
    org_types = ArrayField(
        base_field=models.CharField(max_length=50, choices=OrganizationTypeChoices),
        blank=True, default=list, verbose_name=_("organization types"),
        help_text=_("Empty: all organization types"),
    )
    town_relations = ArrayField(
        base_field=models.CharField(max_length=30, choices=TownRelationChoices),
        blank=True, default=list, verbose_name=_("relations to the town"),
        help_text=_("Empty: every relation"),
    )

    clone_fields = ("share_percent", "min_bandwidth_mbps", "due_date")

    class Meta:
        ordering = ("due_date", "name")
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:coveragetarget", args=[self.pk])
