"""REST API of LLDP neighbors: the read-mostly model viewset and the collectors' report endpoint.

``POST /api/plugins/metronet/lldp-neighbors/report/`` (the contract the collectors rely on)::

    {"device": "sw-zs-aleska", "observed_at": "2026-11-25T12:00:00Z",
     "neighbors": [{"local_interface": "Gi1/0/9", "remote_system": "sw-mu-agg", "remote_port": "Gi1/0/3",
                    "remote_port_description": "ZŠ Aléská", "remote_chassis_id": "00:1b:54:aa:bb:cc"}]}

is a full snapshot of the device's neighbors: a neighbor (local interface, remote system, remote port, remote
chassis ID) already stored gets ``last_seen = observed_at`` and the new port description and keeps
``first_seen``; a new one is created with both times at ``observed_at``; a stored one missing from the report is
deleted. ``local_interface`` is required; ``remote_system`` (empty when the neighbor does not announce one),
``remote_port``, ``remote_port_description`` and ``remote_chassis_id`` are strings that may be empty or left out,
but one of system, port and chassis ID must be given. Answers:

- 200 ``{"created": n, "updated": n, "deleted": n}``;
- 400 with the errors by field, a bad neighbor by its index: ``{"device": ["Unknown device 'x' ..."]}``,
  ``{"neighbors": {"2": {"local_interface": ["Unknown interface 'Gi9/9' on device 'sw-x'."]}}}``; a report older
  than the one stored is refused under ``observed_at``;
- 403 without all of ``add``, ``change`` and ``delete`` permission on LLDP neighbors (and 400 "unknown device" for a
  device the user may not view).

The rows are written with bulk queries (a constant number per report) inside one transaction; the change log
gets no entry for a report (``last_seen`` changes on every poll), the global search index is updated.
"""

from __future__ import annotations

from typing import Any

from dcim.models import Device, Interface
from django.db import transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from netbox.api.authentication import IsAuthenticatedOrLoginNotRequired
from netbox.api.viewsets import NetBoxModelViewSet
from netbox.search.backends import search_backend
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import filtersets
from ..models import LldpNeighbor
from .serializers_lldp import LldpNeighborSerializer, neighbor_key, parse_report

__all__ = ("REPORT_PERMISSIONS", "LldpNeighborViewSet", "LldpReportAPIView", "apply_report")

REPORT_PERMISSIONS = (
    "netbox_metronet.add_lldpneighbor", "netbox_metronet.change_lldpneighbor", "netbox_metronet.delete_lldpneighbor",
)


class LldpNeighborViewSet(NetBoxModelViewSet):
    """List, retrieve and delete (the collectors write through the report endpoint)."""

    queryset = LldpNeighbor.objects.select_related("device", "local_interface")
    serializer_class = LldpNeighborSerializer
    filterset_class = filtersets.LldpNeighborFilterSet
    http_method_names = ["get", "delete", "head", "options"]


def apply_report(device: Device, observed_at, neighbors: list[dict[str, str]],
                 interfaces: dict[str, int]) -> dict[str, int]:
    """Replace the stored neighbors of ``device`` by the reported ones (see the module docstring)."""
    now = timezone.now()
    with transaction.atomic():
        stored = {(r.local_interface_name, r.remote_system, r.remote_port, r.remote_chassis_id): r
                  for r in LldpNeighbor.objects.select_for_update().filter(device=device)}
        reported = {neighbor_key(n): n for n in neighbors}
        create, update = [], []
        for key, n in reported.items():
            row = stored.get(key)
            if row is None:
                create.append(LldpNeighbor(
                    device=device, local_interface_id=interfaces[n["local_interface"]],
                    local_interface_name=n["local_interface"], remote_system=n["remote_system"],
                    remote_port=n["remote_port"], remote_port_description=n["remote_port_description"],
                    remote_chassis_id=n["remote_chassis_id"], first_seen=observed_at, last_seen=observed_at,
                ))
                continue
            row.local_interface_id = interfaces[n["local_interface"]]
            row.remote_port_description = n["remote_port_description"]
            row.last_seen = observed_at
            row.last_updated = now
            update.append(row)
        gone = [row.pk for key, row in stored.items() if key not in reported]
        deleted = 0
        if gone:
            deleted, _by_model = LldpNeighbor.objects.filter(pk__in=gone).delete()
        if update:
            LldpNeighbor.objects.bulk_update(update, ["local_interface", "remote_port_description", "last_seen",
                                                      "last_updated"])
        if create:
            create = LldpNeighbor.objects.bulk_create(create)
        if create:
            search_backend.cache(create, remove_existing=False)
        if update:
            search_backend.cache(update)
    return {"created": len(create), "updated": len(update), "deleted": deleted}


class LldpReportAPIView(APIView):
    """A collector's full snapshot of one device's LLDP neighbors (the contract is in the module docstring)."""

    permission_classes = [IsAuthenticatedOrLoginNotRequired]

    def get_view_name(self):
        return "LLDP Neighbor Report"

    @extend_schema(operation_id="plugins_metronet_lldp_neighbors_report_create", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        if not request.user.has_perms(REPORT_PERMISSIONS):
            raise PermissionDenied()
        report, errors = parse_report(request.data)
        device = None
        if "device" in report:
            device = Device.objects.restrict(request.user, "view").filter(name=report["device"]).first()
            if device is None:
                errors.setdefault("device", []).append(
                    _("Unknown device {name!r} (no device of that name, or you may not view it).").format(
                        name=report["device"]))
        interfaces: dict[str, int] = {}
        if device is not None:
            interfaces = dict(Interface.objects.filter(device=device).values_list("name", "id"))
            found = errors.get("neighbors")
            row_errors: dict[str, Any] = found if isinstance(found, dict) else {}
            for row in report.get("neighbors", ()):
                if row["local_interface"] not in interfaces:
                    row_errors[str(row["index"])] = {"local_interface": [
                        _("Unknown interface {name!r} on device {device!r}.").format(
                            name=row["local_interface"], device=device.name)]}
            if row_errors:
                errors["neighbors"] = dict(sorted(row_errors.items(), key=lambda kv: int(kv[0])))
            if "observed_at" in report:
                newest = (LldpNeighbor.objects.filter(device=device).order_by("-last_seen")
                          .values_list("last_seen", flat=True).first())
                if newest is not None and report["observed_at"] < newest:
                    errors.setdefault("observed_at", []).append(
                        _("Older than the neighbors stored for this device (last seen {time}).").format(
                            time=newest.isoformat()))
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        counts = apply_report(device, report["observed_at"], report["neighbors"], interfaces)
        return Response(counts, status=status.HTTP_200_OK)


#: (URL prefix, viewset) pairs registered by api/urls.py
ROUTES: list = [("lldp-neighbors", LldpNeighborViewSet)]

#: extra URL patterns (api/urls.py), placed before the router's
URLS = [
    path("lldp-neighbors/report/", LldpReportAPIView.as_view(), name="lldpneighbor-report"),
]
