"""Netmiko poller: Cisco IOS / IOS-XE CLI over SSH parsed with ntc-templates, for devices without a NAPALM driver.

Selected by ``napalm_driver: netmiko:<device_type>`` (``netmiko:cisco_ios``, ``netmiko:cisco_xe``). One poll::

    show version                  → uptime (ntc-templates UPTIME_*; whole minutes → reboot detection only)
    show interfaces               → status, speed (BW), errors, input/output queue drops (ntc-templates)
                                    + octet counters (a small template of our own, below: ntc-templates'
                                    cisco_ios_show_interfaces matches "N bytes" without capturing it)
    show interfaces transceiver   → optics: rx/tx dBm, temperature, laser bias (ntc-templates)
    show lldp neighbors detail    → LLDP neighbors (ntc-templates)

Same output model, time base, sessions and error reasons as the NAPALM poller (napalm_base).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from typing import Any

import textfsm
from netutils.interface import canonical_interface_name
from ntc_templates.parse import parse_output

from metronet_collectors.model import (
    Device,
    DeviceSample,
    InterfaceSample,
    LldpNeighbor,
    OpticsReading,
    PollError,
    PollErrorReason,
)
from metronet_collectors.napalm_base import CliDeviceSample, SessionPool, UptimeTracker, dbm, optics_reading
from metronet_collectors.napalm_config import NETMIKO_DEVICE_TYPES, NETMIKO_PREFIX, NapalmConfig
from metronet_collectors.napalm_poller import InterfaceNames

PLATFORM = "cisco_ios"  # the ntc-templates platform used for every supported device type
# Hand-written (ntc-templates' template discards the byte counts): octets per interface of `show interfaces`.
OCTETS_TEMPLATE = r"""Value Required INTERFACE (\S+)
Value IN_OCTETS (\d+)
Value OUT_OCTETS (\d+)

Start
  ^\S+\s+is\s+.+?,\s+line\s+protocol.*$$ -> Continue.Record
  ^${INTERFACE}\s+is\s+.+?,\s+line\s+protocol
  ^\s+\d+\s+packets\s+input,\s+${IN_OCTETS}\s+bytes
  ^\s+\d+\s+packets\s+output,\s+${OUT_OCTETS}\s+bytes
"""
_UNITS_S = {"years": 365 * 86400, "weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60}
ConnectFactory = Callable[..., Any]  # netmiko.ConnectHandler


def netmiko_connect(**kwargs: Any) -> Any:
    from netmiko import ConnectHandler

    return ConnectHandler(**kwargs)


def octet_counters(output: str) -> dict[str, tuple[int, int]]:
    fsm = textfsm.TextFSM(io.StringIO(OCTETS_TEMPLATE))
    result = {}
    for name, in_octets, out_octets in fsm.ParseText(output):
        if in_octets and out_octets:
            result[name] = (int(in_octets), int(out_octets))
    return result


def uptime_seconds(version: list[dict[str, str]]) -> float | None:
    if not version:
        return None
    row = version[0]
    parts = [row.get(f"uptime_{unit}", "") for unit in _UNITS_S]
    if not any(parts):
        return None
    return float(sum(int(p) * seconds for p, seconds in zip(parts, _UNITS_S.values(), strict=True) if p))


def _status(link: str, protocol: str) -> tuple[int, int]:
    """(ifOperStatus, ifAdminStatus) codes from IOS' "X is <link>, line protocol is <protocol>"."""
    admin = 2 if "administratively" in link else 1
    protocol = protocol.lower()
    if protocol.startswith("up"):
        oper = 1
    elif protocol.startswith("dormant"):
        oper = 5
    elif protocol.startswith("testing"):
        oper = 3
    else:
        oper = 2
    return oper, admin


def _bandwidth_mbps(text: str) -> int:
    """ntc-templates BANDWIDTH ("1000000 Kbit") → Mbit/s."""
    parts = text.split()
    if not parts or not parts[0].isdigit():
        return 0
    value = int(parts[0])
    unit = parts[1].lower() if len(parts) > 1 else "kbit"
    return {"kbit": value // 1000, "mbit": value, "gbit": value * 1000}.get(unit, value // 1000)


def _count(row: Mapping[str, str], key: str) -> int:
    value = row.get(key, "")
    return int(value) if value.isdigit() else 0


def interface_samples(output: str, names: Callable[[str], str]) -> list[InterfaceSample]:
    rows = parse_output(platform=PLATFORM, command="show interfaces", data=output)
    octets = octet_counters(output)
    samples = []
    for position, row in enumerate(rows, start=1):
        name = row["interface"]
        if name not in octets:
            continue
        oper, admin = _status(row.get("link_status", ""), row.get("protocol_status", ""))
        in_octets, out_octets = octets[name]
        samples.append(
            InterfaceSample(
                if_index=position,
                if_name=names(name),
                in_octets=in_octets,
                out_octets=out_octets,
                counter_bits=64,
                in_errors=_count(row, "input_errors"),
                out_errors=_count(row, "output_errors"),
                in_discards=_count(row, "queue_drops"),
                out_discards=_count(row, "queue_output_drops"),
                oper_status=oper,
                admin_status=admin,
                speed_mbps=_bandwidth_mbps(row.get("bandwidth", "")),
                discontinuity_ticks=0,
            )
        )
    return samples


def optics_samples(output: str, names: Callable[[str], str]) -> list[OpticsReading]:
    if "Invalid input" in output:
        return []
    samples = []
    # ntc-templates indexes this template as "show interface transceiver" (IOS accepts both spellings)
    for row in parse_output(platform=PLATFORM, command="show interface transceiver", data=output):

        def number(key: str, row: Mapping[str, str] = row) -> float | None:
            try:
                return float(row.get(key, ""))
            except ValueError:
                return None

        samples.append(
            optics_reading(
                names(canonical_interface_name(row["interface"])),
                "1",
                rx_dbm=dbm(row.get("rx_pwr")),
                tx_dbm=dbm(row.get("tx_pwr")),
                temperature_c=number("temperature"),
                bias_ma=number("current"),
            )
        )
    return samples


def lldp_neighbors(output: str, names: Callable[[str], str]) -> list[LldpNeighbor]:
    rows = parse_output(platform=PLATFORM, command="show lldp neighbors detail", data=output)
    return [
        LldpNeighbor(
            local_interface=names(canonical_interface_name(row.get("local_interface", ""))),
            remote_system=row.get("neighbor_name", ""),
            remote_port=row.get("neighbor_port_id", ""),
            remote_chassis_id=row.get("chassis_id", ""),
            remote_port_description=row.get("neighbor_interface", ""),
        )
        for row in rows
    ]


class NetmikoPoller:
    """Polls Cisco IOS/IOS-XE CLI with Netmiko in a thread pool; one session per device, reused between polls."""

    def __init__(
        self,
        config: NapalmConfig,
        timeout_s: float,
        connect: ConnectFactory = netmiko_connect,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.timeout_s = timeout_s
        self.connect = connect
        self.clock = clock
        self.sessions = SessionPool(config.workers, config.keep_connections, "netmiko")
        self.uptime = UptimeTracker()
        self.neighbors: dict[str, list[LldpNeighbor]] = {}

    def _connect(self, device: Device) -> Any:
        device_type = device.napalm_driver.removeprefix(NETMIKO_PREFIX)
        if not device.napalm_driver.startswith(NETMIKO_PREFIX) or device_type not in NETMIKO_DEVICE_TYPES:
            raise PollError(
                PollErrorReason.CONFIG, f"{device.name}: napalm_driver {device.napalm_driver!r} is not a Netmiko type"
            )
        credential = self.config.credential_for(device)
        if credential is None:
            raise PollError(PollErrorReason.CONFIG, f"{device.name}: no SSH login (napalm.credential)")
        connection = self.connect(
            device_type=device_type,
            host=device.address,
            port=self.config.port,
            username=credential.username,
            password=str(credential.password or ""),
            secret=str(credential.enable_secret or ""),
            conn_timeout=self.timeout_s,
            auth_timeout=self.timeout_s,
            banner_timeout=self.timeout_s,
            read_timeout_override=self.timeout_s,
        )
        if credential.enable_secret is not None:
            connection.enable()
        return connection

    def _collect(self, device: Device, connection: Any) -> CliDeviceSample:
        started = time.monotonic()
        getters = self.config.getters
        names = InterfaceNames(device)
        uptime = None
        if "facts" in getters:
            output = connection.send_command("show version")
            uptime = uptime_seconds(parse_output(platform=PLATFORM, command="show version", data=output))
        before = self.clock()
        output = connection.send_command("show interfaces") if "counters" in getters else ""
        now = (before + self.clock()) / 2
        interfaces = interface_samples(output, names) if output else []
        optics = []
        if "optics" in getters:
            optics = optics_samples(connection.send_command("show interfaces transceiver"), names)
        neighbors = []
        if "lldp" in getters:
            neighbors = lldp_neighbors(connection.send_command("show lldp neighbors detail"), names)
        return CliDeviceSample(
            device=device,
            timestamp_ns=int(now * 1e9),
            uptime_ticks=self.uptime.ticks(device.name, uptime, now),
            duration_s=time.monotonic() - started,
            interfaces=interfaces,
            optics=optics,
            neighbors=neighbors,
            reported_uptime_s=uptime,
        )

    async def poll(self, device: Device) -> DeviceSample:
        sample = await self.sessions.run(
            device, lambda: self._connect(device), _disconnect, lambda conn: self._collect(device, conn)
        )
        self.neighbors[device.name] = sample.neighbors
        return sample

    def close(self) -> None:
        self.sessions.close(_disconnect)


def _disconnect(connection: Any) -> None:
    connection.disconnect()
