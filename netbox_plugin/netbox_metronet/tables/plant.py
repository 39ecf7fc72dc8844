"""Tables of the fiber plant.

Columns that show a strand draw its IEC 60304 colour as a swatch next to it; the colour and tube names go
through gettext (``COLOUR_LABELS``) so a translated UI names them in its own language.
"""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from netbox.tables import PrimaryModelTable, columns

from ..models import FiberCable, FiberStrand, RouteSegment, Splice, SpliceClosure, StrandTermination
from ..utils.colours import IEC60304_COLOURS

__all__ = (
    "COLOUR_LABELS",
    "FiberCableTable",
    "FiberStrandTable",
    "RouteSegmentTable",
    "SpliceClosureTable",
    "SpliceTable",
    "StrandTerminationTable",
    "colour_label",
    "colour_swatch",
)

#: Translatable names of the IEC 60304 colours (utils.colours keeps the English keys).
COLOUR_LABELS = {
    "blue": _("blue"),
    "orange": _("orange"),
    "green": _("green"),
    "brown": _("brown"),
    "slate": _("slate"),
    "white": _("white"),
    "red": _("red"),
    "black": _("black"),
    "yellow": _("yellow"),
    "violet": _("violet"),
    "rose": _("rose"),
    "aqua": _("aqua"),
}
_COLOUR_HEX = dict(IEC60304_COLOURS)


def colour_label(name: str) -> str:
    """The translated name of an IEC 60304 colour."""
    return str(COLOUR_LABELS.get(name, name))


def colour_swatch(name: str, text=None):
    """A colour swatch followed by ``text`` (default: the colour's name), as safe HTML."""
    label = colour_label(name)
    return format_html(
        '<span class="color-label" style="background-color: #{}" title="{}">&nbsp;</span> {}',
        _COLOUR_HEX.get(name, "ffffff"), label, label if text is None else text,
    )


class FiberColourColumn(tables.Column):
    """The fiber colour (``part="fiber"``) or the tube number and colour (``part="tube"``) of a strand."""

    def __init__(self, *args, strand_accessor=None, part="fiber", **kwargs):
        self.strand_accessor = strand_accessor
        self.part = part
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def _strand(self, record):
        return getattr(record, self.strand_accessor) if self.strand_accessor else record

    def render(self, record):
        strand = self._strand(record)
        if self.part == "tube":
            return colour_swatch(strand.tube_colour, f"{strand.tube} ({colour_label(strand.tube_colour)})")
        return colour_swatch(strand.colour)

    def value(self, record):
        strand = self._strand(record)
        if self.part == "tube":
            return f"{strand.tube} ({colour_label(strand.tube_colour)})"
        return colour_label(strand.colour)


class StrandColumn(tables.Column):
    """A strand as a link, with its colour swatch."""

    def render(self, value):
        return format_html(
            '<span class="color-label" style="background-color: #{}" title="{}">&nbsp;</span> <a href="{}">{}</a>',
            value.colour_hex, colour_label(value.colour), value.get_absolute_url(), value,
        )

    def value(self, value):
        return str(value)


_CABLE_END = """{% load helpers i18n %}{% if record.{end}_site %}{{ record.{end}_site|linkify }}
{% elif record.{end}_closure %}<i class="mdi mdi-vector-point" title="{% trans "Splice closure" %}"></i>
{{ record.{end}_closure|linkify }}{% endif %}"""

_CABLE_LENGTH = """{% load i18n %}{% if record.length_m is not None %}{{ record.length_m }} m
{% elif record.route_sum_m is not None %}{{ record.route_sum_m }} m
<span class="text-muted small">({% trans "route" %})</span>{% endif %}"""

_SEGMENT_LENGTH = """{% load i18n %}{{ record.length }} m
{% if record.length_m is None %}<span class="text-muted small">({% trans "geometry" %})</span>{% endif %}"""


class RouteSegmentTable(PrimaryModelTable):
    name = tables.Column(verbose_name=pgettext_lazy("metronet", "Name"), linkify=True)
    kind = columns.ChoiceFieldColumn(verbose_name=_("Kind"))
    status = columns.ChoiceFieldColumn(verbose_name=_("Status"))
    asset_owner = tables.Column(verbose_name=_("Infrastructure owner"), linkify=True)
    length = columns.TemplateColumn(
        verbose_name=_("Length"), template_code=_SEGMENT_LENGTH, order_by=("length_m", "geometry_length_m")
    )
    length_m = tables.Column(verbose_name=_("Measured length (m)"))
    geometry_length_m = tables.Column(verbose_name=_("Geometry length (m)"))
    cable_count = tables.Column(verbose_name=_("Cables"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:routesegment_list")

    class Meta(PrimaryModelTable.Meta):
        model = RouteSegment
        fields = (
            "pk", "id", "name", "kind", "status", "asset_owner", "length", "length_m", "geometry_length_m",
            "cable_count", "description", "owner", "comments", "tags", "created", "last_updated",
        )
        default_columns = ("pk", "name", "kind", "status", "asset_owner", "length", "cable_count")


class FiberCableTable(PrimaryModelTable):
    name = tables.Column(verbose_name=pgettext_lazy("metronet", "Name"), linkify=True)
    status = columns.ChoiceFieldColumn(verbose_name=_("Status"))
    fiber_type = tables.Column(verbose_name=_("Fiber type"))
    strand_count = tables.Column(verbose_name=_("Strands"))
    a_end = columns.TemplateColumn(
        verbose_name=_("A-end"),
        template_code=_CABLE_END.replace("{end}", "a"),
        order_by=("a_site__name", "a_closure__name"),
    )
    b_end = columns.TemplateColumn(
        verbose_name=_("B-end"),
        template_code=_CABLE_END.replace("{end}", "b"),
        order_by=("b_site__name", "b_closure__name"),
    )
    # The accessor is not "length": FiberCable.length reads the route of each cable; the template uses route_sum_m.
    length = columns.TemplateColumn(
        verbose_name=_("Length"), template_code=_CABLE_LENGTH, accessor="length_m", orderable=False
    )
    length_m = tables.Column(verbose_name=_("Measured length (m)"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:fibercable_list")

    class Meta(PrimaryModelTable.Meta):
        model = FiberCable
        fields = (
            "pk", "id", "name", "status", "fiber_type", "strand_count", "a_end", "b_end", "length", "length_m",
            "description", "owner", "comments", "tags", "created", "last_updated",
        )
        default_columns = ("pk", "name", "status", "fiber_type", "strand_count", "a_end", "b_end", "length")


class FiberStrandTable(PrimaryModelTable):
    cable = tables.Column(verbose_name=_("Cable"), linkify=True)
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    tube = FiberColourColumn(verbose_name=_("Tube"), part="tube", order_by=("cable__name", "number"))
    colour = FiberColourColumn(verbose_name=_("Colour"), order_by=("cable__name", "number"))
    status = columns.ChoiceFieldColumn(verbose_name=_("Status"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:fiberstrand_list")

    class Meta(PrimaryModelTable.Meta):
        model = FiberStrand
        fields = (
            "pk", "id", "cable", "number", "tube", "colour", "status", "description", "owner", "comments", "tags",
            "created", "last_updated",
        )
        default_columns = ("pk", "cable", "number", "tube", "colour", "status", "description")


class SpliceClosureTable(PrimaryModelTable):
    name = tables.Column(verbose_name=pgettext_lazy("metronet", "Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    status = columns.ChoiceFieldColumn(verbose_name=_("Status"))
    site = tables.Column(verbose_name=_("Site"), linkify=True)
    latitude = tables.Column(verbose_name=_("Latitude"))
    longitude = tables.Column(verbose_name=_("Longitude"))
    cable_count = tables.Column(verbose_name=_("Cables"))
    splice_count = tables.Column(verbose_name=_("Splices"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:spliceclosure_list")

    class Meta(PrimaryModelTable.Meta):
        model = SpliceClosure
        fields = (
            "pk", "id", "name", "kind", "status", "site", "latitude", "longitude", "cable_count", "splice_count",
            "description", "owner", "comments", "tags", "created", "last_updated",
        )
        default_columns = ("pk", "name", "kind", "status", "site", "cable_count", "splice_count")


class SpliceTable(PrimaryModelTable):
    id = tables.Column(verbose_name=_("ID"), linkify=True)
    closure = tables.Column(verbose_name=_("Closure"), linkify=True)
    strand_a = StrandColumn(verbose_name=_("Strand A"), order_by=("strand_a__cable__name", "strand_a__number"))
    strand_b = StrandColumn(verbose_name=_("Strand B"), order_by=("strand_b__cable__name", "strand_b__number"))
    loss_db = tables.Column(verbose_name=_("Loss (dB)"))
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:splice_list")

    class Meta(PrimaryModelTable.Meta):
        model = Splice
        fields = (
            "pk", "id", "closure", "strand_a", "strand_b", "loss_db", "description", "owner", "comments", "tags",
            "created", "last_updated",
        )
        default_columns = ("pk", "id", "closure", "strand_a", "strand_b", "loss_db", "description")


_TERMINATION_PORT = """{% load helpers i18n %}{{ record.port|linkify }} <span class="text-muted small">
({% if record.front_port_id %}{% trans "front" %}{% else %}{% trans "rear" %}{% endif %})</span>"""


class StrandTerminationTable(PrimaryModelTable):
    id = tables.Column(verbose_name=_("ID"), linkify=True)
    strand = StrandColumn(verbose_name=_("Strand"), order_by=("strand__cable__name", "strand__number"))
    cable_end = tables.Column(verbose_name=_("Cable end"))
    site = columns.TemplateColumn(
        verbose_name=_("Site"), template_code="{% load helpers %}{{ record.port.device.site|linkify }}",
        orderable=False,
    )
    device = columns.TemplateColumn(
        verbose_name=_("Device"), template_code="{% load helpers %}{{ record.port.device|linkify }}",
        orderable=False,
    )
    port = columns.TemplateColumn(verbose_name=_("Port"), template_code=_TERMINATION_PORT, orderable=False)
    tags = columns.TagColumn(url_name="plugins:netbox_metronet:strandtermination_list")

    class Meta(PrimaryModelTable.Meta):
        model = StrandTermination
        fields = (
            "pk", "id", "strand", "cable_end", "site", "device", "port", "description", "owner", "comments", "tags",
            "created", "last_updated",
        )
        default_columns = ("pk", "id", "strand", "cable_end", "site", "device", "port", "description")
