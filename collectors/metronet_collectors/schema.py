"""The InfluxDB schema: how a poll becomes points. See docs/collectors.md for the table.

``interface`` (tags device, interface, site, organization, role)
    in_octets, out_octets, in_errors, out_errors, in_discards, out_discards: integer counters as read;
    oper_status, admin_status (IF-MIB codes), speed_mbps: integers;
    in_bps, out_bps, in_errors_ps, out_errors_ps, in_discards_ps, out_discards_ps: floats, present only
    when a trustworthy rate exists (see rates.py).
``device`` (tags device, site, role)
    reachable (integer 1/0), uptime_s, poll_duration_s (floats), interfaces, interfaces_up (integers).
``optics`` (tags device, interface, site, organization, role, lane) — reserved for DOM polling (not yet
    produced): rx_dbm, tx_dbm, temperature_c, bias_ma (floats).

Tag values come from the inventory (names, roles, organizations) — bounded cardinality, no timestamps or
free text; an interface's organization/role is empty (and so omitted) when the inventory gives none.
"""

from __future__ import annotations

from metronet_collectors.model import Device, DeviceSample, FieldValue, InterfaceRates, Point
from metronet_collectors.rates import SkipReason

MEASUREMENT_INTERFACE = "interface"
MEASUREMENT_DEVICE = "device"
MEASUREMENT_OPTICS = "optics"


def device_tags(device: Device) -> dict[str, str]:
    return {"device": device.name, "site": device.site, "role": device.role}


def sample_points(sample: DeviceSample, rates: dict[str, InterfaceRates | SkipReason]) -> list[Point]:
    """Points of one successful poll: one ``interface`` point per interface and one ``device`` point."""
    device = sample.device
    points: list[Point] = []
    up = 0
    for itf in sample.interfaces:
        meta = device.interface_meta(itf.if_name)
        fields: dict[str, FieldValue] = {
            "in_octets": itf.in_octets,
            "out_octets": itf.out_octets,
            "in_errors": itf.in_errors,
            "out_errors": itf.out_errors,
            "in_discards": itf.in_discards,
            "out_discards": itf.out_discards,
            "oper_status": itf.oper_status,
            "admin_status": itf.admin_status,
            "speed_mbps": itf.speed_mbps,
        }
        rate = rates.get(itf.if_name)
        if isinstance(rate, InterfaceRates):
            fields.update(
                in_bps=float(rate.in_bps),
                out_bps=float(rate.out_bps),
                in_errors_ps=float(rate.in_errors_ps),
                out_errors_ps=float(rate.out_errors_ps),
                in_discards_ps=float(rate.in_discards_ps),
                out_discards_ps=float(rate.out_discards_ps),
            )
        up += itf.oper_status == 1
        tags = {
            "device": device.name,
            "interface": itf.if_name,
            "site": device.site,
            "organization": meta.organization or device.organization,
            "role": meta.role,
        }
        points.append(Point(MEASUREMENT_INTERFACE, tags, fields, sample.timestamp_ns))
    points.append(
        Point(
            MEASUREMENT_DEVICE,
            device_tags(device),
            {
                "reachable": 1,
                "uptime_s": sample.uptime_ticks / 100.0,
                "poll_duration_s": float(sample.duration_s),
                "interfaces": len(sample.interfaces),
                "interfaces_up": up,
            },
            sample.timestamp_ns,
        )
    )
    return points


def unreachable_point(device: Device, duration_s: float, timestamp_ns: int) -> Point:
    """The ``device`` point written when a poll failed (so dashboards see the gap as data)."""
    return Point(
        MEASUREMENT_DEVICE,
        device_tags(device),
        {"reachable": 0, "poll_duration_s": float(duration_s)},
        timestamp_ns,
    )
