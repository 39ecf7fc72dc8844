"""NAPALM poller: interface counters, status, optics, LLDP neighbors and uptime over SSH/API, same output as SNMP.

One poll of a device whose ``napalm_driver`` names a NAPALM driver (``ios``, ``eos``, ``junos`` …)::

    get_facts()                 → uptime (reboot detection; see napalm_base for the time base)
    get_interfaces()            → oper status (is_up), admin status (is_enabled), speed (Mbit/s)
    get_interfaces_counters()   → rx/tx octets, errors, discards   (t = collector clock mid-call)
    get_optics()                → optics samples (rx/tx dBm, laser bias per lane)
    get_lldp_neighbors_detail() → LLDP neighbors

NAPALM is blocking: every call runs in a worker thread (:class:`~metronet_collectors.napalm_base.SessionPool`),
bounded by the collector's per-device ``timeout_s`` (also passed to the driver as its timeout). Interface
names are reported as the inventory spells them when the inventory knows the interface under another
spelling (``Gi1/0/1`` in NetBox, ``GigabitEthernet1/0/1`` from the device: netutils' canonical names).

:class:`SelectingPoller` puts the SNMP, NAPALM and Netmiko pollers behind the one ``Poller`` protocol and
picks one per device from its ``napalm_driver``; :func:`with_ssh_pollers` builds it from the config.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from netutils.interface import canonical_interface_name

from metronet_collectors.model import (
    Device,
    DeviceSample,
    InterfaceSample,
    LldpNeighbor,
    OpticsReading,
    Point,
    PollError,
    PollErrorReason,
)
from metronet_collectors.napalm_base import (
    CliDeviceSample,
    SessionPool,
    UptimeTracker,
    dbm,
    optics_reading,
)
from metronet_collectors.napalm_config import NETMIKO_PREFIX, NapalmConfig, driver_error

if TYPE_CHECKING:
    from metronet_collectors.config import Config
    from metronet_collectors.snmp import Poller

log = logging.getLogger(__name__)

DriverFactory = Callable[[str], Any]  # driver name → NAPALM NetworkDriver class


def napalm_driver_class(name: str) -> Any:
    from napalm import get_network_driver  # imported when the first NAPALM device is polled

    return get_network_driver(name)


class InterfaceNames:
    """Maps the device's interface names to the inventory's spelling (exact first, then canonical)."""

    def __init__(self, device: Device) -> None:
        self.known = device.interfaces
        self.canonical = {canonical_interface_name(name): name for name in device.interfaces}

    def __call__(self, name: str) -> str:
        if name in self.known or not self.canonical:
            return name
        return self.canonical.get(canonical_interface_name(name), name)


def _int(value: Any) -> int:
    """A NAPALM counter; -1 (not supported by the driver) and anything non-numeric → 0."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if number >= 0 else 0


def interface_samples(
    interfaces: Mapping[str, Mapping[str, Any]],
    counters: Mapping[str, Mapping[str, Any]],
    names: Callable[[str], str],
) -> list[InterfaceSample]:
    """InterfaceSamples from get_interfaces + get_interfaces_counters (interfaces without octets are left out)."""
    samples = []
    for position, (name, counter) in enumerate(sorted(counters.items()), start=1):
        rx, tx = counter.get("rx_octets"), counter.get("tx_octets")
        if not isinstance(rx, int) or not isinstance(tx, int) or rx < 0 or tx < 0:
            continue
        info = interfaces.get(name, {})
        is_up, is_enabled = info.get("is_up"), info.get("is_enabled")
        speed = info.get("speed")
        samples.append(
            InterfaceSample(
                if_index=position,
                if_name=names(name),
                in_octets=rx,
                out_octets=tx,
                counter_bits=64,
                in_errors=_int(counter.get("rx_errors")),
                out_errors=_int(counter.get("tx_errors")),
                in_discards=_int(counter.get("rx_discards")),
                out_discards=_int(counter.get("tx_discards")),
                oper_status=0 if is_up is None else (1 if is_up else 2),
                admin_status=0 if is_enabled is None else (1 if is_enabled else 2),
                speed_mbps=max(0, round(speed)) if isinstance(speed, int | float) else 0,
                discontinuity_ticks=0,
            )
        )
    return samples


def napalm_optics(optics: Mapping[str, Any], names: Callable[[str], str]) -> list[OpticsReading]:
    """OpticsReadings from get_optics (NAPALM's openconfig-like shape; "channel" as drivers return it)."""
    samples = []
    for name, data in sorted(optics.items()):
        physical = (data or {}).get("physical_channels") or {}
        channels = physical.get("channel", physical.get("channels")) or []
        for channel in channels:
            state = channel.get("state") or {}

            def instant(key: str, state: Mapping[str, Any] = state) -> Any:
                return (state.get(key) or {}).get("instant")

            bias = instant("laser_bias_current")
            samples.append(
                optics_reading(
                    names(name),
                    str(int(channel.get("index", 0)) + 1),  # NAPALM counts channels from 0, the schema lanes from 1
                    rx_dbm=dbm(instant("input_power")),
                    tx_dbm=dbm(instant("output_power")),
                    bias_ma=float(bias) if isinstance(bias, int | float) and bias >= 0 else None,
                )
            )
    return samples


def napalm_neighbors(lldp: Mapping[str, Any], names: Callable[[str], str]) -> list[LldpNeighbor]:
    neighbors = []
    for local, entries in sorted(lldp.items()):
        for entry in entries or []:
            neighbors.append(
                LldpNeighbor(
                    local_interface=names(local),
                    remote_system=str(entry.get("remote_system_name") or ""),
                    remote_port=str(entry.get("remote_port") or ""),
                    remote_chassis_id=str(entry.get("remote_chassis_id") or ""),
                    remote_port_description=str(entry.get("remote_port_description") or ""),
                )
            )
    return neighbors


class NapalmPoller:
    """Polls devices with their NAPALM driver in a thread pool; one session per device, reused between polls."""

    def __init__(
        self,
        config: NapalmConfig,
        timeout_s: float,
        driver_factory: DriverFactory = napalm_driver_class,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.timeout_s = timeout_s
        self.driver_factory = driver_factory
        self.clock = clock
        self.sessions = SessionPool(config.workers, config.keep_connections, "napalm")
        self.uptime = UptimeTracker()
        self.neighbors: dict[str, list[LldpNeighbor]] = {}  # device → neighbors at its last successful poll

    def _connect(self, device: Device) -> Any:
        credential = self.config.credential_for(device)
        if credential is None:
            raise PollError(PollErrorReason.CONFIG, f"{device.name}: no SSH login (napalm.credential)")
        problem = driver_error(device.napalm_driver)
        if problem or device.napalm_driver.startswith(NETMIKO_PREFIX):
            raise PollError(PollErrorReason.CONFIG, f"{device.name}: napalm_driver: {problem or 'not NAPALM'}")
        driver_class = self.driver_factory(device.napalm_driver)
        optional_args: dict[str, Any] = {"port": self.config.port, **self.config.optional_args}
        if credential.enable_secret is not None:
            optional_args["secret"] = str(credential.enable_secret)
        driver = driver_class(
            device.address,
            credential.username,
            str(credential.password or ""),
            timeout=max(1, round(self.timeout_s)),
            optional_args=optional_args,
        )
        driver.open()
        return driver

    def _collect(self, device: Device, driver: Any) -> CliDeviceSample:
        started = time.monotonic()
        getters = self.config.getters
        names = InterfaceNames(device)
        uptime: float | None = None
        if "facts" in getters:
            facts = driver.get_facts()
            value = facts.get("uptime")
            uptime = float(value) if isinstance(value, int | float) and value >= 0 else None
        interfaces = driver.get_interfaces() if "interfaces" in getters else {}
        counters: dict[str, Any] = {}
        before = self.clock()
        if "counters" in getters:
            counters = driver.get_interfaces_counters()
        now = (before + self.clock()) / 2  # the counters' time: the middle of the command
        optics = napalm_optics(driver.get_optics(), names) if "optics" in getters else []
        neighbors = napalm_neighbors(driver.get_lldp_neighbors_detail(), names) if "lldp" in getters else []
        return CliDeviceSample(
            device=device,
            timestamp_ns=int(now * 1e9),
            uptime_ticks=self.uptime.ticks(device.name, uptime, now),
            duration_s=time.monotonic() - started,
            interfaces=interface_samples(interfaces, counters, names),
            optics=optics,
            neighbors=neighbors,
            reported_uptime_s=uptime,
        )

    async def poll(self, device: Device) -> DeviceSample:
        sample = await self.sessions.run(
            device, lambda: self._connect(device), _close_driver, lambda driver: self._collect(device, driver)
        )
        self.neighbors[device.name] = sample.neighbors
        return sample

    def close(self) -> None:
        self.sessions.close(_close_driver)


def _close_driver(driver: Any) -> None:
    driver.close()


class SelectingPoller:
    """One ``Poller`` for all devices: NAPALM or Netmiko when the device's ``napalm_driver`` says so, else SNMP."""

    def __init__(self, snmp: Poller, napalm: Poller | None = None, netmiko: Poller | None = None) -> None:
        self.snmp = snmp
        self.napalm = napalm
        self.netmiko = netmiko

    def poller_for(self, device: Device) -> Poller:
        driver = device.napalm_driver
        if driver.startswith(NETMIKO_PREFIX) and self.netmiko is not None:
            return self.netmiko
        if driver and not driver.startswith(NETMIKO_PREFIX) and self.napalm is not None:
            return self.napalm
        return self.snmp

    async def poll(self, device: Device) -> DeviceSample:
        return await self.poller_for(device).poll(device)

    def close(self) -> None:
        for poller in (self.snmp, self.napalm, self.netmiko):
            if poller is not None:
                poller.close()


def with_ssh_pollers(config: Config, snmp: Poller) -> Poller:
    """The collector's poller: `snmp` alone without a ``napalm`` section, else SNMP + NAPALM + Netmiko."""
    napalm_config: NapalmConfig | None = getattr(config, "napalm", None)
    if napalm_config is None:
        return snmp
    from metronet_collectors.netmiko_poller import NetmikoPoller  # imports this module

    return SelectingPoller(
        snmp,
        NapalmPoller(napalm_config, config.timeout_s),
        NetmikoPoller(napalm_config, config.timeout_s),
    )


def extra_points(sample: DeviceSample) -> list[Point]:
    """Points an SSH poll carries beyond ``interface`` and ``device``: its ``optics`` and ``lldp`` (schema.py)."""
    if not isinstance(sample, CliDeviceSample):
        return []
    from metronet_collectors.schema import lldp_points, optics_points

    device, timestamp_ns = sample.device, sample.timestamp_ns
    return optics_points(device, sample.optics, timestamp_ns) + lldp_points(device, sample.neighbors, timestamp_ns)
