"""Outside fiber plant: route segments, fiber cables and strands, splice closures, splices, terminations.

How the pieces fit::

    Site A (POP)                 closure C1                       Site B (school)
    [patch panel]==cable K1==========( )==========cable K2===========[patch panel]
     front port 1 -- strand K1#1 --- splice --- strand K2#5 -- front port 3
                  \\__ runs through route segments S1, S2 (ducts), in order __/

- a route segment is a piece of civil infrastructure (duct, microduct, aerial, direct-buried) with a
  GeoJSON LineString; many cables may run through one segment;
- a fiber cable has two ends, each at a site or in a splice closure, and runs through an ordered list
  of route segments; its strands are created with it and numbered 1..strand_count;
- a splice joins two strands inside a closure where both of their cables end;
- a strand termination puts a strand's end on a NetBox front or rear port at the site where its cable ends.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.models import PrimaryModel

from ..choices import (
    CableEndChoices,
    FiberTypeChoices,
    PlantStatusChoices,
    RouteSegmentKindChoices,
    SpliceClosureKindChoices,
    StrandStatusChoices,
)
from ..utils.colours import strand_colour
from ..utils.geo import GeometryError, linestring_length_m

__all__ = (
    "FiberCable",
    "FiberCableSegment",
    "FiberStrand",
    "RouteSegment",
    "Splice",
    "SpliceClosure",
    "StrandTermination",
)

MAX_STRANDS = 864


class RouteSegment(PrimaryModel):
    """A piece of civil route (a duct between two chambers, an aerial span...) with its WGS84 geometry."""

    name = models.CharField(verbose_name=pgettext_lazy("metronet", "name"), max_length=100, unique=True)
    kind = models.CharField(
        verbose_name=pgettext_lazy("metronet", "kind"), max_length=30, choices=RouteSegmentKindChoices
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=30, choices=PlantStatusChoices, default=PlantStatusChoices.ACTIVE
    )
    asset_owner = models.ForeignKey(
        to="tenancy.Tenant",
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
        null=True,
        verbose_name=_("infrastructure owner"),
        help_text=_("Who owns the duct or poles (the town, a utility, an operator)"),
    )
    geometry = models.JSONField(
        verbose_name=_("geometry"),
        help_text=_('GeoJSON LineString in WGS84, e.g. {"type": "LineString", "coordinates": [[13.77, 50.54], ...]}'),
    )
    length_m = models.DecimalField(
        verbose_name=_("length (m)"),
        max_digits=9,
        decimal_places=1,
        blank=True,
        null=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Measured length; leave empty to compute it from the geometry"),
    )
    geometry_length_m = models.DecimalField(
        verbose_name=_("geometry length (m)"),
        max_digits=9,
        decimal_places=1,
        editable=False,
        default=Decimal("0"),
    )

    clone_fields = ("kind", "status", "asset_owner")

    class Meta:
        ordering = ("name",)
        verbose_name = _("route segment")
        verbose_name_plural = _("route segments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:routesegment", args=[self.pk])

    def get_kind_color(self):
        return RouteSegmentKindChoices.colors.get(self.kind)

    def get_status_color(self):
        return PlantStatusChoices.colors.get(self.status)

    @property
    def length(self) -> Decimal:
        """The measured length when given, else the length of the geometry (metres)."""
        return self.length_m if self.length_m is not None else self.geometry_length_m

    def clean(self):
        super().clean()
        try:
            linestring_length_m(self.geometry)
        except GeometryError as e:
            raise ValidationError({"geometry": str(e)}) from e

    def save(self, *args, **kwargs):
        self.geometry_length_m = Decimal(f"{linestring_length_m(self.geometry):.1f}")
        super().save(*args, **kwargs)


class _CableEndsMixin(models.Model):
    """Two ends, each either at a site or in a splice closure."""

    a_site = models.ForeignKey(
        to="dcim.Site", on_delete=models.PROTECT, related_name="+", blank=True, null=True, verbose_name=_("A-end site")
    )
    a_closure = models.ForeignKey(
        to="netbox_metronet.SpliceClosure", on_delete=models.PROTECT, related_name="+", blank=True, null=True,
        verbose_name=_("A-end closure"),
    )
    b_site = models.ForeignKey(
        to="dcim.Site", on_delete=models.PROTECT, related_name="+", blank=True, null=True, verbose_name=_("B-end site")
    )
    b_closure = models.ForeignKey(
        to="netbox_metronet.SpliceClosure", on_delete=models.PROTECT, related_name="+", blank=True, null=True,
        verbose_name=_("B-end closure"),
    )

    class Meta:
        abstract = True

    def end(self, end: str):
        """The site or closure at end ``"A"`` or ``"B"``."""
        return (self.a_site or self.a_closure) if end == CableEndChoices.A else (self.b_site or self.b_closure)

    def end_at_closure(self, closure_id: int) -> str | None:
        if self.a_closure_id == closure_id:
            return CableEndChoices.A
        if self.b_closure_id == closure_id:
            return CableEndChoices.B
        return None

    def end_at_site(self, site_id: int) -> str | None:
        if self.a_site_id == site_id:
            return CableEndChoices.A
        if self.b_site_id == site_id:
            return CableEndChoices.B
        return None

    def clean_ends(self):
        errors = {}
        for end in ("a", "b"):
            site, closure = getattr(self, f"{end}_site_id"), getattr(self, f"{end}_closure_id")
            if site and closure:
                errors[f"{end}_closure"] = _("An end is either at a site or in a closure, not both.")
            elif not site and not closure:
                errors[f"{end}_site"] = _("Give the site or the closure where the {end}-end of the cable is.").format(
                    end=end.upper()
                )
        if not errors and (self.a_closure_id and self.a_closure_id == self.b_closure_id):
            errors["b_closure"] = _("Both ends are in the same closure; a cable must run between two places.")
        if errors:
            raise ValidationError(errors)


class FiberCable(_CableEndsMixin, PrimaryModel):
    """An outside-plant fiber cable between two places, laid along an ordered list of route segments.

    Saving a cable creates its strands 1..strand_count (and removes unused strands above a lowered count).
    """

    name = models.CharField(verbose_name=pgettext_lazy("metronet", "name"), max_length=100, unique=True)
    status = models.CharField(
        verbose_name=_("status"), max_length=30, choices=PlantStatusChoices, default=PlantStatusChoices.ACTIVE
    )
    fiber_type = models.CharField(
        verbose_name=_("fiber type"), max_length=30, choices=FiberTypeChoices, default=FiberTypeChoices.G652D
    )
    strand_count = models.PositiveSmallIntegerField(
        verbose_name=_("strand count"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STRANDS)],
    )
    length_m = models.DecimalField(
        verbose_name=_("length (m)"),
        max_digits=9,
        decimal_places=1,
        blank=True,
        null=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Measured (OTDR or sheath marks) length; leave empty to use the sum of its route segments"),
    )
    segments = models.ManyToManyField(
        to=RouteSegment,
        through="FiberCableSegment",
        related_name="cables",
        blank=True,
        verbose_name=_("route segments"),
    )

    clone_fields = ("status", "fiber_type", "strand_count", "a_site", "a_closure")

    class Meta:
        ordering = ("name",)
        verbose_name = _("fiber cable")
        verbose_name_plural = _("fiber cables")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:fibercable", args=[self.pk])

    def get_status_color(self):
        return PlantStatusChoices.colors.get(self.status)

    @property
    def ordered_segments(self) -> list[RouteSegment]:
        return [link.segment for link in self.segment_links.select_related("segment").order_by("position")]

    def set_segments(self, segments) -> None:
        """Replace the route with ``segments``, in the given order."""
        self.segment_links.all().delete()
        FiberCableSegment.objects.bulk_create(
            FiberCableSegment(cable=self, segment=segment, position=i) for i, segment in enumerate(segments, start=1)
        )

    @property
    def route_length_m(self) -> Decimal:
        return sum((s.length for s in self.ordered_segments), Decimal("0"))

    @property
    def length(self) -> Decimal:
        """The measured length when given, else the sum of the route segments' lengths (metres)."""
        return self.length_m if self.length_m is not None else self.route_length_m

    def clean(self):
        super().clean()
        self.clean_ends()
        if self.pk and self.strand_count:
            used = (
                FiberStrand.objects.filter(cable=self, number__gt=self.strand_count)
                .filter(Q(splices_a__isnull=False) | Q(splices_b__isnull=False) | Q(terminations__isnull=False))
                .values_list("number", flat=True)
                .distinct()
            )
            if used:
                raise ValidationError({
                    "strand_count": _("Strands {numbers} are spliced or terminated; the count cannot go below them.")
                    .format(numbers=", ".join(str(n) for n in sorted(used)))
                })

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        existing = set(self.strands.values_list("number", flat=True))
        FiberStrand.objects.bulk_create(
            FiberStrand(cable=self, number=n) for n in range(1, self.strand_count + 1) if n not in existing
        )
        self.strands.filter(number__gt=self.strand_count).delete()


class FiberCableSegment(models.Model):
    """Position of a route segment in a cable's route (1 = the segment at the cable's A-end)."""

    cable = models.ForeignKey(to=FiberCable, on_delete=models.CASCADE, related_name="segment_links")
    segment = models.ForeignKey(to=RouteSegment, on_delete=models.PROTECT, related_name="cable_links")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("cable", "position")
        constraints = (
            models.UniqueConstraint(fields=("cable", "position"), name="netbox_metronet_cablesegment_unique_position"),
        )
        verbose_name = _("cable route segment")

    def __str__(self):
        return f"{self.cable} #{self.position}: {self.segment}"


class FiberStrand(PrimaryModel):
    """One fiber of a cable. Its colour follows from its number (IEC 60304)."""

    cable = models.ForeignKey(
        to=FiberCable, on_delete=models.CASCADE, related_name="strands", verbose_name=_("cable")
    )
    number = models.PositiveSmallIntegerField(
        verbose_name=_("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_STRANDS)]
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=30, choices=StrandStatusChoices, default=StrandStatusChoices.AVAILABLE
    )

    class Meta:
        ordering = ("cable", "number")
        constraints = (
            models.UniqueConstraint(fields=("cable", "number"), name="netbox_metronet_fiberstrand_unique_number"),
        )
        verbose_name = _("fiber strand")
        verbose_name_plural = _("fiber strands")

    def __str__(self):
        return f"{self.cable} #{self.number}"

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:fiberstrand", args=[self.pk])

    def get_status_color(self):
        return StrandStatusChoices.colors.get(self.status)

    @property
    def tube(self) -> int:
        return strand_colour(self.number)[0]

    @property
    def tube_colour(self) -> str:
        return strand_colour(self.number)[1]

    @property
    def colour(self) -> str:
        return strand_colour(self.number)[2]

    @property
    def colour_hex(self) -> str:
        return strand_colour(self.number)[3]

    def clean(self):
        super().clean()
        if self.cable_id and self.number and self.number > self.cable.strand_count:
            raise ValidationError({
                "number": _("Cable {cable} has {count} strands; strand {number} does not exist.").format(
                    cable=self.cable, count=self.cable.strand_count, number=self.number
                )
            })


class SpliceClosure(PrimaryModel):
    """A splice closure (in a cable chamber, on a pole, in a cabinet) at a WGS84 point."""

    name = models.CharField(verbose_name=pgettext_lazy("metronet", "name"), max_length=100, unique=True)
    kind = models.CharField(
        verbose_name=pgettext_lazy("metronet", "kind"), max_length=30, choices=SpliceClosureKindChoices,
        default=SpliceClosureKindChoices.DOME,
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=30, choices=PlantStatusChoices, default=PlantStatusChoices.ACTIVE
    )
    site = models.ForeignKey(
        to="dcim.Site", on_delete=models.PROTECT, related_name="+", blank=True, null=True,
        verbose_name=pgettext_lazy("metronet", "site"),
        help_text=_("The site the closure is in, if it is inside a building"),
    )
    latitude = models.DecimalField(
        verbose_name=_("latitude"), max_digits=8, decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)], help_text=_("WGS84, decimal degrees"),
    )
    longitude = models.DecimalField(
        verbose_name=_("longitude"), max_digits=9, decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)], help_text=_("WGS84, decimal degrees"),
    )

    clone_fields = ("kind", "status", "site")

    class Meta:
        ordering = ("name",)
        verbose_name = _("splice closure")
        verbose_name_plural = _("splice closures")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:spliceclosure", args=[self.pk])

    def get_status_color(self):
        return PlantStatusChoices.colors.get(self.status)

    @property
    def cables(self):
        return FiberCable.objects.filter(Q(a_closure=self) | Q(b_closure=self))


class Splice(PrimaryModel):
    """A fusion (or mechanical) splice of two strands inside a closure where both cables end."""

    closure = models.ForeignKey(
        to=SpliceClosure, on_delete=models.CASCADE, related_name="splices", verbose_name=_("closure")
    )
    strand_a = models.ForeignKey(
        to=FiberStrand, on_delete=models.PROTECT, related_name="splices_a", verbose_name=_("strand A")
    )
    strand_b = models.ForeignKey(
        to=FiberStrand, on_delete=models.PROTECT, related_name="splices_b", verbose_name=_("strand B")
    )
    loss_db = models.DecimalField(
        verbose_name=_("measured loss (dB)"), max_digits=5, decimal_places=2, blank=True, null=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
        help_text=_("OTDR-measured splice loss; empty uses the configured default"),
    )

    clone_fields = ("closure",)

    class Meta:
        ordering = ("closure", "strand_a__cable__name", "strand_a__number")
        constraints = (
            models.UniqueConstraint(fields=("closure", "strand_a"), name="netbox_metronet_splice_unique_strand_a"),
            models.UniqueConstraint(fields=("closure", "strand_b"), name="netbox_metronet_splice_unique_strand_b"),
        )
        verbose_name = _("splice")
        verbose_name_plural = _("splices")

    def __str__(self):
        return f"{self.strand_a} ↔ {self.strand_b}"

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:splice", args=[self.pk])

    def other(self, strand_id: int) -> FiberStrand:
        return self.strand_b if self.strand_a_id == strand_id else self.strand_a

    def clean(self):
        super().clean()
        if not (self.closure_id and self.strand_a_id and self.strand_b_id):
            return
        if self.strand_a_id == self.strand_b_id:
            raise ValidationError({"strand_b": _("A strand cannot be spliced to itself.")})
        errors = {}
        for field in ("strand_a", "strand_b"):
            strand = getattr(self, field)
            if strand.cable.end_at_closure(self.closure_id) is None:
                errors[field] = _("Cable {cable} does not enter closure {closure} (its ends: {a} / {b}).").format(
                    cable=strand.cable, closure=self.closure, a=strand.cable.end("A"), b=strand.cable.end("B")
                )
                continue
            clash = (
                Splice.objects.filter(closure_id=self.closure_id)
                .filter(Q(strand_a_id=strand.pk) | Q(strand_b_id=strand.pk))
                .exclude(pk=self.pk)
                .first()
            )
            if clash:
                errors[field] = _("Strand {strand} is already spliced in {closure} (splice {splice}).").format(
                    strand=strand, closure=self.closure, splice=clash
                )
        if errors:
            raise ValidationError(errors)


class StrandTermination(PrimaryModel):
    """The end of a strand on a NetBox front or rear port (a patch panel) at the site where its cable ends."""

    strand = models.ForeignKey(
        to=FiberStrand, on_delete=models.CASCADE, related_name="terminations", verbose_name=_("strand")
    )
    cable_end = models.CharField(
        verbose_name=_("cable end"), max_length=1, choices=CableEndChoices, blank=True,
        help_text=_("Filled in from the port's site; give it only for a cable with both ends at one site"),
    )
    front_port = models.ForeignKey(
        to="dcim.FrontPort", on_delete=models.CASCADE, related_name="+", blank=True, null=True,
        verbose_name=_("front port"),
    )
    rear_port = models.ForeignKey(
        to="dcim.RearPort", on_delete=models.CASCADE, related_name="+", blank=True, null=True,
        verbose_name=_("rear port"),
    )

    class Meta:
        ordering = ("strand",)
        constraints = (
            models.UniqueConstraint(fields=("strand", "cable_end"), name="netbox_metronet_termination_unique_end"),
            models.UniqueConstraint(fields=("front_port",), name="netbox_metronet_termination_unique_front_port"),
            models.UniqueConstraint(fields=("rear_port",), name="netbox_metronet_termination_unique_rear_port"),
            models.CheckConstraint(
                condition=Q(front_port__isnull=True, rear_port__isnull=False)
                | Q(front_port__isnull=False, rear_port__isnull=True),
                name="netbox_metronet_termination_one_port",
            ),
        )
        verbose_name = _("strand termination")
        verbose_name_plural = _("strand terminations")

    def __str__(self):
        return f"{self.strand} → {self.port}"

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:strandtermination", args=[self.pk])

    @property
    def port(self):
        return self.front_port or self.rear_port

    def clean(self):
        super().clean()
        if bool(self.front_port_id) == bool(self.rear_port_id):
            raise ValidationError({"front_port": _("Give exactly one port: a front port or a rear port.")})
        if not self.strand_id:
            return
        cable = self.strand.cable
        site_id = self.port.device.site_id
        ends = [e for e in (CableEndChoices.A, CableEndChoices.B) if getattr(cable, f"{e.lower()}_site_id") == site_id]
        if not ends:
            raise ValidationError({
                "strand": _("Cable {cable} does not end at site {site} of port {port} (its ends: {a} / {b}).").format(
                    cable=cable, site=self.port.device.site, port=self.port, a=cable.end("A"), b=cable.end("B")
                )
            })
        if self.cable_end and self.cable_end not in ends:
            raise ValidationError({"cable_end": _("The {end}-end of {cable} is not at site {site}.").format(
                end=self.cable_end, cable=cable, site=self.port.device.site)})
        if not self.cable_end:
            if len(ends) > 1:
                raise ValidationError({"cable_end": _("Both ends of {cable} are at this site; choose one.").format(
                    cable=cable)})
            self.cable_end = ends[0]
        clash = StrandTermination.objects.filter(strand_id=self.strand_id, cable_end=self.cable_end).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"strand": _("The {end}-end of strand {strand} is already terminated ({other}).")
                                   .format(end=self.cable_end, strand=self.strand, other=clash.first())})
