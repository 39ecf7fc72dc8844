"""REST API serializer of LLDP neighbors, and the validation of a collector's neighbor report."""

import datetime
from typing import Any

from dcim.api.serializers_.device_components import InterfaceSerializer
from dcim.api.serializers_.devices import DeviceSerializer
from django.utils.translation import gettext as _
from netbox.api.serializers import NetBoxModelSerializer

from ..models import LldpNeighbor

__all__ = ("REPORT_NEIGHBOR_FIELDS", "LldpNeighborSerializer", "neighbor_key", "parse_report")


class LldpNeighborSerializer(NetBoxModelSerializer):
    device = DeviceSerializer(nested=True, read_only=True)
    local_interface = InterfaceSerializer(nested=True, read_only=True, allow_null=True)

    class Meta:
        model = LldpNeighbor
        fields = [
            "id", "url", "display_url", "display", "device", "local_interface", "local_interface_name",
            "remote_system", "remote_port", "remote_port_description", "remote_chassis_id", "first_seen",
            "last_seen", "tags", "custom_fields", "created", "last_updated",
        ]
        brief_fields = ("id", "url", "display", "device", "local_interface_name", "remote_system", "remote_port")
        # Written only by the report endpoint: every field is read-only here.
        read_only_fields = fields


#: a reported neighbor's keys → (required, max length)
REPORT_NEIGHBOR_FIELDS: dict[str, tuple[bool, int]] = {
    "local_interface": (True, 64),
    "remote_system": (False, 255),
    "remote_port": (False, 255),
    "remote_port_description": (False, 255),
    "remote_chassis_id": (False, 255),
}


def neighbor_key(row: dict[str, str]) -> tuple[str, str, str, str]:
    """What identifies a neighbor of a device: local interface, remote system, remote port, remote chassis ID."""
    return row["local_interface"], row["remote_system"], row["remote_port"], row["remote_chassis_id"]


def parse_observed_at(value: Any) -> datetime.datetime:
    """An ISO 8601 time with its UTC offset (``2026-11-25T12:00:00Z``) as an aware UTC datetime."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("Expected an ISO 8601 time in UTC, e.g. \"2026-11-25T12:00:00Z\"."))
    try:
        parsed = datetime.datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(_("Not an ISO 8601 time: {value!r}.").format(value=value)) from None
    if parsed.tzinfo is None:
        raise ValueError(_("Give the time zone (UTC), e.g. \"2026-11-25T12:00:00Z\"."))
    return parsed.astimezone(datetime.UTC)


def parse_report(data: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the shape of a report body: ``({"device", "observed_at", "neighbors"}, errors)``.

    Each neighbor keeps its ``index`` in the request. ``errors`` maps a field to its messages; a bad neighbor is
    reported under ``neighbors`` by its index in the list (``{"neighbors": {"3": {"local_interface": ["..."]}}}``).
    Names are checked later, against NetBox.
    """
    errors: dict[str, Any] = {}
    if not isinstance(data, dict):
        return {}, {"non_field_errors": [_("Expected a JSON object with device, observed_at and neighbors.")]}
    unknown = sorted(set(data) - {"device", "observed_at", "neighbors"})
    if unknown:
        errors["non_field_errors"] = [_("Unknown field(s): {fields}.").format(fields=", ".join(unknown))]
    out: dict[str, Any] = {}
    device = data.get("device")
    if not isinstance(device, str) or not device.strip():
        errors["device"] = [_("Give the NetBox name of the device.")]
    else:
        out["device"] = device.strip()
    try:
        out["observed_at"] = parse_observed_at(data.get("observed_at"))
    except ValueError as e:
        errors["observed_at"] = [str(e)]
    neighbors = data.get("neighbors")
    if not isinstance(neighbors, list):
        errors["neighbors"] = [_("Expected a list (empty when the device sees no neighbor).")]
        return out, errors
    rows, row_errors, seen = [], {}, {}
    for i, item in enumerate(neighbors):
        problems: dict[str, list[str]] = {}
        if not isinstance(item, dict):
            row_errors[str(i)] = {"non_field_errors": [_("Expected an object.")]}
            continue
        for key in sorted(set(item) - set(REPORT_NEIGHBOR_FIELDS)):
            problems[key] = [_("Unknown field.")]
        row = {}
        for key, (required, max_length) in REPORT_NEIGHBOR_FIELDS.items():
            value = item.get(key)
            if value is None:
                value = ""
            if not isinstance(value, str):
                problems[key] = [_("Expected a string.")]
                continue
            value = value.strip()
            if required and not value:
                problems[key] = [_("This field is required.")]
            elif len(value) > max_length:
                problems[key] = [_("At most {n} characters.").format(n=max_length)]
            row[key] = value
        if not problems and not (row["remote_system"] or row["remote_port"] or row["remote_chassis_id"]):
            problems["non_field_errors"] = [_("Give at least one of remote_system, remote_port, remote_chassis_id.")]
        if not problems:
            key = neighbor_key(row)
            if key in seen:
                problems["non_field_errors"] = [
                    _("The same neighbor as row {row} (local interface, remote system, port and chassis ID).")
                    .format(row=seen[key])]
            else:
                seen[key] = i
                row["index"] = i
        if problems:
            row_errors[str(i)] = problems
        else:
            rows.append(row)
    if row_errors:
        errors["neighbors"] = row_errors
    out["neighbors"] = rows
    return out, errors
