"""REST endpoints for the computed reports: coverage and the trace of a fiber strand.

- ``GET /api/plugins/metronet/coverage/[?as_of=YYYY-MM-DD]``: the numbers of the coverage page
  (``CoverageReport.to_dict()``); requires ``netbox_metronet.view_connection`` (403 otherwise) and counts only
  the profiles, connections and targets the user may view.
- ``GET /api/plugins/metronet/fiber-strands/<pk>/trace/``: ``FiberTrace.to_dict()`` of the strand; a strand the
  user may not view is 404.

Both authenticate as every NetBox API view does (session or ``Authorization: Bearer nbt_...`` token).
"""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from netbox.api.authentication import IsAuthenticatedOrLoginNotRequired
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..coverage import compute_coverage
from ..models import Connection, CoverageTarget, FiberStrand, OrganizationProfile
from ..trace import STRAND_RELATED, trace_strand

__all__ = ("CoverageAPIView", "StrandTraceAPIView")


class CoverageAPIView(APIView):
    """Coverage per organization type and town part, targets, burndown and organizations."""

    permission_classes = [IsAuthenticatedOrLoginNotRequired]

    def get_view_name(self):
        return "Coverage"

    @extend_schema(
        operation_id="plugins_metronet_coverage_retrieve",
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="Compute as of this day (default today)")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        user = request.user
        if not user.has_perm("netbox_metronet.view_connection"):
            raise PermissionDenied()
        as_of = None
        if value := request.query_params.get("as_of"):
            try:
                as_of = datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError({"as_of": _("Not a date (YYYY-MM-DD): {value!r}").format(value=value)}) from None
        report = compute_coverage(
            as_of=as_of,
            profiles=OrganizationProfile.objects.restrict(user, "view"),
            connections=Connection.objects.restrict(user, "view"),
            targets=CoverageTarget.objects.restrict(user, "view"),
        )
        return Response(report.to_dict())


class StrandTraceAPIView(APIView):
    """The fiber path through a strand: hops, length, loss budget per wavelength and broken-path issues."""

    permission_classes = [IsAuthenticatedOrLoginNotRequired]

    def get_view_name(self):
        return "Fiber Strand Trace"

    @extend_schema(operation_id="plugins_metronet_fiber_strands_trace_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        strand = get_object_or_404(
            FiberStrand.objects.restrict(request.user, "view").select_related(*STRAND_RELATED), pk=pk
        )
        return Response(trace_strand(strand).to_dict())


#: extra URL patterns (api/urls.py)
URLS = [
    path("coverage/", CoverageAPIView.as_view(), name="coverage"),
    path("fiber-strands/<int:pk>/trace/", StrandTraceAPIView.as_view(), name="fiberstrand-trace"),
]
