"""The InfluxDB schema: how a poll becomes points. See docs/collectors.md for the table.

``interface`` (tags device, interface, site, organization, role)
    in_octets, out_octets, in_errors, out_errors, in_discards, out_discards: integer counters as read;
    oper_status, admin_status (IF-MIB codes), speed_mbps: integers;
    in_bps, out_bps, in_errors_ps, out_errors_ps, in_discards_ps, out_discards_ps: floats, present only
    when a trustworthy rate exists (see rates.py).
``device`` (tags device, site, role)
    reachable (integer 1/0), uptime_s, poll_duration_s (floats), interfaces, interfaces_up (integers).
``optics`` (tags device, interface, site, organization, role, lane)
    rx_dbm, tx_dbm, temperature_c, bias_ma, voltage_v (floats; only those the device reports).
``lldp`` (tags device, interface, remote_device, remote_interface)
    present (integer 1): one point per neighbor seen in an LLDP walk.

Tag values come from the inventory (names, roles, organizations) — bounded cardinality, no timestamps or
free text; an interface's organization/role is empty (and so omitted) when the inventory gives none.
"""

from __future__ import annotations

from metronet_collectors.model import (
    Device,
    DeviceSample,
    FieldValue,
    InterfaceRates,
    LldpNeighbor,
    OpticsReading,
    Point,
)
from metronet_collectors.rates import SkipReason

MEASUREMENT_INTERFACE = "interface"
MEASUREMENT_DEVICE = "device"
MEASUREMENT_OPTICS = "optics"
MEASUREMENT_LLDP = "lldp"


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


def optics_points(device: Device, readings: list[OpticsReading], timestamp_ns: int) -> list[Point]:
    """One ``optics`` point per interface lane with DOM values."""
    points = []
    for reading in readings:
        if not reading.values:
            continue
        meta = device.interface_meta(reading.if_name)
        tags = {
            "device": device.name,
            "interface": reading.if_name,
            "site": device.site,
            "organization": meta.organization or device.organization,
            "role": meta.role,
            "lane": reading.lane,
        }
        fields: dict[str, FieldValue] = {key: float(value) for key, value in reading.values.items()}
        points.append(Point(MEASUREMENT_OPTICS, tags, fields, timestamp_ns))
    return points


def lldp_points(device: Device, neighbors: list[LldpNeighbor], timestamp_ns: int) -> list[Point]:
    """One ``lldp`` point (present=1) per neighbor."""
    return [
        Point(
            MEASUREMENT_LLDP,
            {
                "device": device.name,
                "interface": n.local_interface,
                "remote_device": n.remote_system or n.remote_chassis_id,
                "remote_interface": n.remote_port,
            },
            {"present": 1},
            timestamp_ns,
        )
        for n in neighbors
    ]
