"""Plain data passed between the collector's stages: devices to poll, polled samples and points to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class InterfaceMeta:
    """What the inventory knows about one interface (keyed by its ifName on the device)."""

    role: str = ""  # backbone / access / uplink
    organization: str = ""  # the organization (tenant) served over this interface


@dataclass(frozen=True, slots=True)
class Device:
    """One device to poll, as a device source delivers it."""

    name: str
    address: str
    port: int = 161
    credential: str = ""  # name of an entry in `credentials`
    site: str = ""
    role: str = ""
    organization: str = ""
    napalm_driver: str = ""  # NAPALM driver name for what SNMP lacks ("" = none)
    interfaces: dict[str, InterfaceMeta] = field(default_factory=dict, hash=False, compare=False)

    def interface_meta(self, if_name: str) -> InterfaceMeta:
        return self.interfaces.get(if_name, InterfaceMeta())


@dataclass(frozen=True, slots=True)
class InterfaceSample:
    """One row of ifTable/ifXTable as read in one poll.

    Counters are raw agent values; ``counter_bits`` says whether the octet counters are the 64-bit HC ones
    or the 32-bit fallback (which wraps at 2**32).
    """

    if_index: int
    if_name: str
    in_octets: int
    out_octets: int
    counter_bits: int  # 64 or 32
    in_errors: int
    out_errors: int
    in_discards: int
    out_discards: int
    oper_status: int  # IF-MIB ifOperStatus: 1 up, 2 down, 3 testing, 5 dormant, 7 lowerLayerDown, ...
    admin_status: int  # 1 up, 2 down, 3 testing
    speed_mbps: int  # ifHighSpeed (0 = unknown)
    discontinuity_ticks: int  # ifCounterDiscontinuityTime (0 if not served)


@dataclass(frozen=True, slots=True)
class DeviceSample:
    """The result of one successful poll of one device."""

    device: Device
    timestamp_ns: int  # collector clock when the response arrived (the points' timestamp)
    uptime_ticks: int  # agent sysUpTime in 1/100 s: the time base of counter deltas
    duration_s: float
    interfaces: list[InterfaceSample]


class PollErrorReason(StrEnum):
    """Why a poll failed: the `reason` label of `metronet_poll_errors_total`."""

    TIMEOUT = "timeout"
    AUTH = "auth"
    SNMP_ERROR = "snmp_error"
    BAD_RESPONSE = "bad_response"
    CONFIG = "config"
    INTERNAL = "internal"
    SSH_ERROR = "ssh_error"  # SSH polls: connection refused, reset or closed (napalm_base.classify)


class PollError(Exception):
    """A device could not be polled; carries a reason and a message free of secrets."""

    def __init__(self, reason: PollErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class InterfaceRates:
    """Per-second rates derived from two consecutive samples of one interface."""

    in_bps: float
    out_bps: float
    in_errors_ps: float
    out_errors_ps: float
    in_discards_ps: float
    out_discards_ps: float


FieldValue = int | float


@dataclass(frozen=True, slots=True)
class Point:
    """One InfluxDB point. Fields are ints (written with ``i``) or floats; there are no string fields."""

    measurement: str
    tags: dict[str, str]
    fields: dict[str, FieldValue]
    timestamp_ns: int


@dataclass(frozen=True, slots=True)
class OpticsReading:
    """Digital optical monitoring (DOM) of one interface lane, in the units of the ``optics`` measurement.

    ``values`` holds the fields the device reported: ``rx_dbm``, ``tx_dbm``, ``temperature_c``, ``bias_ma``,
    ``voltage_v`` (a sensor the agent does not serve, or reports as not ok, is absent).
    """

    if_name: str
    lane: str  # "1" for single-lane optics; QSFP lanes "1".."4" from the sensor names
    values: dict[str, float]


@dataclass(frozen=True, slots=True)
class LldpNeighbor:
    """One LLDP remote system seen on a local interface (LLDP-MIB lldpRemTable)."""

    local_interface: str
    remote_system: str  # lldpRemSysName ("" if not advertised)
    remote_port: str  # lldpRemPortId as text (a MAC address as aa:bb:cc:dd:ee:ff)
    remote_port_description: str = ""
    remote_chassis_id: str = ""
