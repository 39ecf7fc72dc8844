"""The coverage page for project managers, its CSV export, and the burndown chart (inline SVG, drawn here).

Both views require ``netbox_metronet.view_connection``; the profiles, connections and targets counted are the
user's restricted querysets. ``?as_of=YYYY-MM-DD`` computes the report as of another day.
"""

import csv
import datetime
import math

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import View
from utilities.views import ContentTypePermissionRequiredMixin

from ..coverage import Burndown, CoverageReport, TargetStatus, compute_coverage
from ..models import Connection, CoverageTarget, OrganizationProfile
from .trace import safe_url

__all__ = ("CoverageCSVView", "CoverageView", "burndown_svg", "report_for")


def _as_of(request) -> datetime.date | None:
    value = request.GET.get("as_of", "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404(_("as_of must be a date (YYYY-MM-DD), not {value!r}.").format(value=value)) from None


def report_for(request) -> CoverageReport:
    """The coverage report over what the requesting user may view (three queries)."""
    user = request.user
    return compute_coverage(
        as_of=_as_of(request),
        profiles=OrganizationProfile.objects.restrict(user, "view"),
        connections=Connection.objects.restrict(user, "view"),
        targets=CoverageTarget.objects.restrict(user, "view"),
    )


#
# Burndown chart
#

_SVG_COLORS = {
    "connected": "#2fb344",
    "remaining": "#d63939",
    "planned": "#206bc4",
    TargetStatus.MET: "#2fb344",
    TargetStatus.MISSED: "#d63939",
    TargetStatus.ON_TRACK: "#206bc4",
    TargetStatus.BEHIND: "#f76707",
}


def burndown_svg(burndown: Burndown, width: int = 900, height: int = 320) -> SafeString:
    """Draw the burndown as an inline SVG: connected (green), remaining (red), planned (dashed blue), and
    a dashed vertical marker at each target's due date."""
    left, right, top, bottom = 44, 36, 16, 64
    points = burndown.points
    if not points:
        return mark_safe("")
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([burndown.total, 1, *(p.planned for p in points)])
    step = max(1, math.ceil(top_value / 5))
    top_value = step * math.ceil(top_value / step)

    def x(i: float) -> float:
        return left + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / top_value

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'class="metronet-burndown" aria-label="{escape(_("Coverage burndown"))}" '
        'style="max-width: 100%; height: auto; font-size: 11px; font-family: inherit;">',
        f"<title>{escape(_('Coverage burndown'))}</title>",
    ]
    for v in range(0, top_value + 1, step):  # horizontal grid and y labels
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'style="stroke: currentColor; stroke-opacity: 0.15;"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" style="fill: currentColor;">{v}</text>'
        )
    every = max(1, math.ceil(len(points) / 12))
    last = len(points) - 1
    for i, p in enumerate(points):  # month labels; the last one too, unless it would overlap its neighbour
        if i % every == 0 or (i == last and last % every > every // 2):
            out.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'style="fill: currentColor;">{p.month:%Y-%m}</text>'
            )
    for due, name, status in burndown.milestones:  # target markers
        i = next((i for i, p in enumerate(points) if p.month >= due), len(points) - 1)
        color = _SVG_COLORS.get(status, "#888")
        out.append(
            f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{top}" y2="{top + plot_h}" '
            f'style="stroke: {color}; stroke-dasharray: 2 3;"><title>{escape(name)} ({due.isoformat()})</title></line>'
        )

    def polyline(values: list[tuple[int, int]], color: str, dashed: bool = False) -> str:
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in values)
        dash = " stroke-dasharray: 6 4;" if dashed else ""
        return f'<polyline points="{coords}" style="fill: none; stroke: {color}; stroke-width: 2;{dash}"/>'

    out.append(polyline([(i, p.planned) for i, p in enumerate(points)], _SVG_COLORS["planned"], dashed=True))
    actual = [(i, p) for i, p in enumerate(points) if p.connected is not None]
    if actual:
        out.append(polyline([(i, p.remaining) for i, p in actual], _SVG_COLORS["remaining"]))
        out.append(polyline([(i, p.connected) for i, p in actual], _SVG_COLORS["connected"]))
    legend = [
        (_("Connected"), _SVG_COLORS["connected"], False),
        (_("Remaining"), _SVG_COLORS["remaining"], False),
        (pgettext_lazy("metronet", "Planned"), _SVG_COLORS["planned"], True),
        (_("Target due date"), "#888", True),
    ]
    lx = left
    for label, color, dashed in legend:
        dash = " stroke-dasharray: 6 4;" if dashed else ""
        out.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{height - 14}" y2="{height - 14}" '
            f'style="stroke: {color}; stroke-width: 2;{dash}"/>'
            f'<text x="{lx + 30}" y="{height - 10}" style="fill: currentColor;">{escape(label)}</text>'
        )
        lx += 40 + 7 * len(str(label))
    out.append("</svg>")
    # Every text above is escaped or a number/date formatted here.
    return mark_safe("".join(out))


#
# Views
#

class CoverageView(ContentTypePermissionRequiredMixin, View):
    """Coverage per organization type and town part, targets with their status and missing organizations,
    and the burndown chart."""

    template_name = "netbox_metronet/coverage.html"

    def get_required_permission(self):
        return "netbox_metronet.view_connection"

    def get(self, request):
        report = report_for(request)
        context = {
            "report": report,
            "targets": [(t, safe_url(t.target)) for t in report.targets],
            "burndown_svg": burndown_svg(report.burndown),
            "as_of_param": request.GET.get("as_of", ""),
        }
        return render(request, self.template_name, context)


class CoverageCSVView(ContentTypePermissionRequiredMixin, View):
    """One row per organization: type, town part, state, bandwidth, dates and, per target, yes/no/n/a."""

    def get_required_permission(self):
        return "netbox_metronet.view_connection"

    def get(self, request):
        report = report_for(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="metronet-coverage-{report.as_of.isoformat()}.csv"'
        csv.writer(response).writerows(report.csv_rows())
        return response


#: extra URL patterns (urls.py)
URLS = [
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path("coverage/export.csv", CoverageCSVView.as_view(), name="coverage_export"),
]
