"""Form fields shared by the fiber-plant forms: the ordered route of a cable."""

from django import forms
from django.db.models import Case, IntegerField, When
from django.utils.translation import gettext_lazy as _
from utilities.forms.fields import (
    DynamicModelMultipleChoiceField,
)

from ...models import RouteSegment

__all__ = (
    "CSVOrderedSegmentsField",
    "OrderedSegmentsField",
    "_CableRouteFormMixin",
    "_reject_duplicates",
)


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
