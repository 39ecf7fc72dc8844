"""The fiber trace page: pick a strand or a patch-panel port and see the path, its length and its loss budget.

``GET trace/?strand=<id>`` (or ``?front_port=<id>`` / ``?rear_port=<id>``) traces; without a parameter the page
shows only the form. The origin is looked up in the user's restricted queryset, so an object the user may not
see gives 404; the page itself requires ``netbox_metronet.view_fiberstrand``.
"""

from typing import Any

from dcim.models import FrontPort, RearPort
from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from utilities.forms.fields import DynamicModelChoiceField
from utilities.views import ContentTypePermissionRequiredMixin, get_action_url

from ..models import FiberStrand
from ..trace import STRAND_RELATED, FiberTrace, SpliceHop, StrandHop, TerminationHop, trace_port, trace_strand

__all__ = ("TraceForm", "TraceView", "link", "safe_url")


def safe_url(obj: Any) -> str | None:
    """``obj.get_absolute_url()``, or None when the object has no page (yet)."""
    if obj is None:
        return None
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return None


def link(obj: Any) -> dict[str, Any] | None:
    """``{"text": str(obj), "url": ...}`` for the templates (rendered as plain text when ``url`` is None)."""
    return None if obj is None else {"text": str(obj), "url": safe_url(obj)}


class TraceForm(forms.Form):
    """Pick the origin of a trace: a strand, a front port or a rear port (submitted by GET)."""

    strand = DynamicModelChoiceField(queryset=FiberStrand.objects.all(), required=False, label=_("Fiber strand"))
    front_port = DynamicModelChoiceField(queryset=FrontPort.objects.all(), required=False, label=_("Front port"))
    rear_port = DynamicModelChoiceField(queryset=RearPort.objects.all(), required=False, label=_("Rear port"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            try:
                get_action_url(field.queryset.model, action="list", rest_api=True)
            except NoReverseMatch:
                # No REST endpoint to search the objects (yet): ask for the ID instead.
                self.fields[name] = forms.IntegerField(
                    required=False, min_value=1, label=_("{label} (ID)").format(label=field.label)
                )


def _param(request, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(_("{name} must be an object ID, not {value!r}.").format(name=name, value=value)) from None


def _port_links(port: Any) -> dict[str, Any] | None:
    if port is None:
        return None
    return {"port": link(port), "device": link(port.device), "site": link(port.device.site)}


def hop_rows(trace: FiberTrace) -> list[dict[str, Any]]:
    """The hops of a trace as template rows, with links that degrade to text."""
    rows = []
    for number, hop in enumerate(trace.hops, start=1):
        row: dict[str, Any] = {"number": number, "kind": hop.kind}
        if isinstance(hop, TerminationHop):
            row |= {
                "port": link(hop.port), "port_type": hop.port._meta.verbose_name, "device": link(hop.device),
                "site": link(hop.site),
            }
        elif isinstance(hop, StrandHop):
            row |= {
                "strand": link(hop.strand), "cable": link(hop.cable), "number_in_cable": hop.strand.number,
                "colour": hop.strand.colour, "colour_hex": hop.strand.colour_hex,
                "fiber_type": hop.cable.get_fiber_type_display(), "length_m": hop.length_m,
                "direction": f"{hop.enter_end} → {hop.exit_end}",
            }
        elif isinstance(hop, SpliceHop):
            row |= {
                "closure": link(hop.closure), "splice": link(hop.splice), "loss_db": hop.loss_db,
                "measured": hop.measured,
            }
        rows.append(row)
    return rows


class TraceView(ContentTypePermissionRequiredMixin, View):
    """Trace a fiber path from a strand or from a front/rear port."""

    template_name = "netbox_metronet/trace.html"

    def get_required_permission(self):
        return "netbox_metronet.view_fiberstrand"

    def get(self, request):
        user = request.user
        strand_id, front_id, rear_id = (_param(request, n) for n in ("strand", "front_port", "rear_port"))
        origin, trace = None, None
        if strand_id:
            origin = get_object_or_404(
                FiberStrand.objects.restrict(user, "view").select_related(*STRAND_RELATED), pk=strand_id
            )
            trace = trace_strand(origin)
        elif front_id or rear_id:
            model = FrontPort if front_id else RearPort
            origin = get_object_or_404(
                model.objects.restrict(user, "view").select_related("device__site"), pk=front_id or rear_id
            )
            trace = trace_port(origin)
        initial = {"strand": strand_id, "front_port": front_id, "rear_port": rear_id}
        form = TraceForm(initial={k: v for k, v in initial.items() if v})
        context = {
            "form": form,
            "origin": origin,
            "origin_link": link(origin),
            "origin_type": origin._meta.verbose_name if origin is not None else "",
            "trace": trace,
            "rows": hop_rows(trace) if trace else [],
            "start": _port_links(trace.start_port) if trace else None,
            "end": _port_links(trace.end_port) if trace else None,
        }
        return render(request, self.template_name, context)


#: extra URL patterns (urls.py)
URLS = [path("trace/", TraceView.as_view(), name="trace")]
