"""SNMP poller: one multi-column GETBULK walk of ifTable/ifXTable per device, with pysnmp 7 (asyncio).

Varbinds are passed as ``(ObjectName(oid), Null())`` tuples with ``lookupMib=False``: no MIB is ever
loaded or resolved at run time (an ``ObjectType`` would force MIB lookup and triple the CPU cost). The
first request of a walk carries sysUpTime.0 as a non-repeater, so counters and their time base come from
the same agent response.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from pyasn1.type.univ import Null
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    usm3DESEDEPrivProtocol,
    usmAesCfb128Protocol,
    usmAesCfb192Protocol,
    usmAesCfb256Protocol,
    usmDESPrivProtocol,
    usmHMAC128SHA224AuthProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC256SHA384AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
)
from pysnmp.proto.rfc1902 import ObjectName

from metronet_collectors.config import SnmpAuth, SnmpOptions
from metronet_collectors.model import Device, DeviceSample, InterfaceSample, PollError, PollErrorReason

Oid = tuple[int, ...]

SYS_UPTIME: Oid = (1, 3, 6, 1, 2, 1, 1, 3)  # GETNEXT of this returns sysUpTime.0
IF_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IFX_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)

COLUMNS: dict[str, Oid] = {
    "descr": (*IF_ENTRY, 2),
    "admin": (*IF_ENTRY, 7),
    "oper": (*IF_ENTRY, 8),
    "in32": (*IF_ENTRY, 10),
    "in_discards": (*IF_ENTRY, 13),
    "in_errors": (*IF_ENTRY, 14),
    "out32": (*IF_ENTRY, 16),
    "out_discards": (*IF_ENTRY, 19),
    "out_errors": (*IF_ENTRY, 20),
    "name": (*IFX_ENTRY, 1),
    "in64": (*IFX_ENTRY, 6),
    "out64": (*IFX_ENTRY, 10),
    "high_speed": (*IFX_ENTRY, 15),
    "discontinuity": (*IFX_ENTRY, 19),
}

AUTH_PROTOCOLS: dict[str, Any] = {
    "md5": usmHMACMD5AuthProtocol,
    "sha": usmHMACSHAAuthProtocol,
    "sha224": usmHMAC128SHA224AuthProtocol,
    "sha256": usmHMAC192SHA256AuthProtocol,
    "sha384": usmHMAC256SHA384AuthProtocol,
    "sha512": usmHMAC384SHA512AuthProtocol,
}
PRIV_PROTOCOLS: dict[str, Any] = {
    "des": usmDESPrivProtocol,
    "3des": usm3DESEDEPrivProtocol,
    "aes": usmAesCfb128Protocol,
    "aes192": usmAesCfb192Protocol,
    "aes256": usmAesCfb256Protocol,
}
# pysnmp error indications that mean "the agent rejected our credentials" (USM report PDUs).
AUTH_ERRORS = frozenset(
    {
        "WrongDigest",
        "UnknownUserName",
        "UnknownSecurityName",
        "UnsupportedSecurityLevel",
        "DecryptionError",
        "AuthenticationError",
        "AuthenticationFailure",
        "NotInTimeWindow",
    }
)
END_OF_COLUMN = frozenset({"EndOfMibView", "NoSuchObject", "NoSuchInstance"})


class Poller(Protocol):
    """Extension point: anything that turns a device into a :class:`DeviceSample` (or raises PollError)."""

    async def poll(self, device: Device) -> DeviceSample: ...

    def close(self) -> None: ...


def _decode(value: Any) -> str:
    return bytes(value.asOctets()).decode("utf-8", "replace")


class PysnmpPoller:
    """Polls IF-MIB counters with pysnmp's v3arch asyncio API (v2c and v3 authPriv) on one shared engine."""

    def __init__(self, auths: dict[str, SnmpAuth], options: SnmpOptions) -> None:
        self.auths = auths
        self.options = options
        self.engine = SnmpEngine()
        self.context = ContextData()
        self._targets: dict[tuple[str, int], UdpTransportTarget] = {}
        self._auth_data: dict[str, CommunityData | UsmUserData] = {}

    def _credentials(self, device: Device) -> CommunityData | UsmUserData:
        auth = self.auths.get(device.credential)
        if auth is None:
            raise PollError(PollErrorReason.CONFIG, f"unknown credential {device.credential!r}")
        cached = self._auth_data.get(auth.name)
        if cached is not None:
            return cached
        data: CommunityData | UsmUserData
        if auth.version == "2c":
            data = CommunityData(f"metronet-{auth.name}", str(auth.community), mpModel=1)
        else:
            data = UsmUserData(
                auth.username,
                authKey=str(auth.auth_key),
                privKey=str(auth.priv_key),
                authProtocol=AUTH_PROTOCOLS[auth.auth_protocol],
                privProtocol=PRIV_PROTOCOLS[auth.priv_protocol],
            )
        self._auth_data[auth.name] = data
        return data

    async def _target(self, device: Device) -> UdpTransportTarget:
        key = (device.address, device.port)
        target = self._targets.get(key)
        if target is None:
            target = await UdpTransportTarget.create(
                key, timeout=self.options.request_timeout_s, retries=self.options.retries
            )
            self._targets[key] = target
        return target

    async def _bulk(
        self,
        device: Device,
        auth: CommunityData | UsmUserData,
        target: UdpTransportTarget,
        non_repeaters: Sequence[Oid],
        columns: Sequence[Oid],
    ) -> list[tuple[Oid, Any]]:
        var_binds = [(ObjectName(oid), Null()) for oid in (*non_repeaters, *columns)]
        error_indication, error_status, error_index, response = await bulk_cmd(
            self.engine,
            auth,
            target,
            self.context,
            len(non_repeaters),
            self.options.max_repetitions,
            *var_binds,
            lookupMib=False,
        )
        if error_indication:
            kind = type(error_indication).__name__
            if kind == "RequestTimedOut":
                raise PollError(PollErrorReason.TIMEOUT, f"{device.name}: no SNMP response from {device.address}")
            if kind in AUTH_ERRORS:
                raise PollError(PollErrorReason.AUTH, f"{device.name}: SNMP authentication failed ({kind})")
            raise PollError(PollErrorReason.SNMP_ERROR, f"{device.name}: {error_indication}")
        if int(error_status):
            raise PollError(
                PollErrorReason.SNMP_ERROR, f"{device.name}: agent error {error_status.prettyPrint()} at {error_index}"
            )
        return [(tuple(oid), value) for oid, value in response]

    async def walk(self, device: Device) -> tuple[int, dict[str, dict[int, Any]]]:
        """Walk all COLUMNS at once; returns (sysUpTime ticks, {column: {ifIndex: value}})."""
        auth = self._credentials(device)
        target = await self._target(device)
        names = list(COLUMNS)
        cursor = {name: COLUMNS[name] for name in names}
        rows: dict[str, dict[int, Any]] = {name: {} for name in names}
        uptime: int | None = None
        active = names
        for _ in range(10_000):  # hard bound: 10,000 requests per walk
            if not active:
                break
            first = uptime is None
            response = await self._bulk(
                device, auth, target, [SYS_UPTIME] if first else [], [cursor[name] for name in active]
            )
            if first:
                if not response or response[0][0][: len(SYS_UPTIME)] != SYS_UPTIME:
                    raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: no sysUpTime in response")
                uptime = int(response[0][1])
                response = response[1:]
            finished: set[str] = set()
            progressed = False
            for i, (oid, value) in enumerate(response):
                name = active[i % len(active)]
                if name in finished:
                    continue
                column = COLUMNS[name]
                if (
                    type(value).__name__ in END_OF_COLUMN
                    or len(oid) != len(column) + 1
                    or oid[: len(column)] != column
                    or oid <= cursor[name]
                ):
                    finished.add(name)
                    continue
                rows[name][oid[-1]] = value
                cursor[name] = oid
                progressed = True
            active = [name for name in active if name not in finished]
            if not progressed:
                break
        return uptime or 0, rows

    async def poll(self, device: Device) -> DeviceSample:
        started = time.monotonic()
        uptime, rows = await self.walk(device)
        timestamp_ns = time.time_ns()
        interfaces: list[InterfaceSample] = []
        indexes = sorted(set(rows["descr"]) | set(rows["name"]))
        for index in indexes:
            name = _decode(rows["name"][index]) if index in rows["name"] else ""
            if not name:
                name = _decode(rows["descr"][index]) if index in rows["descr"] else f"ifIndex{index}"
            hc = index in rows["in64"] and index in rows["out64"]
            in_octets = rows["in64" if hc else "in32"].get(index)
            out_octets = rows["out64" if hc else "out32"].get(index)
            if in_octets is None or out_octets is None:
                continue

            def counter(column: str, index: int = index) -> int:
                value = rows[column].get(index)
                return int(value) if value is not None else 0

            interfaces.append(
                InterfaceSample(
                    if_index=index,
                    if_name=name,
                    in_octets=int(in_octets),
                    out_octets=int(out_octets),
                    counter_bits=64 if hc else 32,
                    in_errors=counter("in_errors"),
                    out_errors=counter("out_errors"),
                    in_discards=counter("in_discards"),
                    out_discards=counter("out_discards"),
                    oper_status=counter("oper"),
                    admin_status=counter("admin"),
                    speed_mbps=counter("high_speed"),
                    discontinuity_ticks=counter("discontinuity"),
                )
            )
        return DeviceSample(
            device=device,
            timestamp_ns=timestamp_ns,
            uptime_ticks=uptime,
            duration_s=time.monotonic() - started,
            interfaces=interfaces,
        )

    def close(self) -> None:
        dispatcher = self.engine.transport_dispatcher
        if dispatcher is not None:
            dispatcher.close_dispatcher()
