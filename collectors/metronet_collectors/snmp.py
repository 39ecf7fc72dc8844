"""SNMP poller: one multi-column GETBULK walk of ifTable/ifXTable per device, with pysnmp 7 (asyncio).

Varbinds are passed as ``(ObjectName(oid), Null())`` tuples with ``lookupMib=False``: no MIB is ever
loaded or resolved at run time (an ``ObjectType`` would force MIB lookup and triple the CPU cost). The
first request of a walk carries sysUpTime.0 as a non-repeater, so counters and their time base come from
the same agent response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from pyasn1.type.univ import Null, ObjectIdentifier, OctetString
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
from metronet_collectors.model import Device, DeviceSample, PollError, PollErrorReason
from metronet_collectors.snmp_walk import (
    IF_COLUMNS,
    SYS_UPTIME,
    ColumnWalk,
    InterfaceTableCache,
    Oid,
    Rows,
    Value,
    VarBind,
)

COLUMNS = IF_COLUMNS  # the IF-MIB columns of one poll (name kept for existing callers)
__all__ = ["COLUMNS", "SYS_UPTIME", "Poller", "PysnmpPoller", "TableWalker", "pysnmp_value", "split_response"]

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


@runtime_checkable
class TableWalker(Protocol):
    """A poller that can also walk other tables (ENTITY-SENSOR-MIB, LLDP-MIB) for the optics and LLDP parts."""

    async def walk_table(self, device: Device, columns: Mapping[str, Oid]) -> Rows: ...


def pysnmp_value(value: Any) -> Value:
    """A pysnmp/pyasn1 value → the engine-independent :data:`Value` (None for end of column)."""
    if type(value).__name__ in END_OF_COLUMN:
        return None
    if isinstance(value, OctetString):  # also IpAddress and Opaque
        return bytes(value.asOctets())
    if isinstance(value, ObjectIdentifier):
        return tuple(value)
    return int(value)


def split_response(response: Sequence[Any], non_repeaters: int) -> tuple[list[VarBind], list[VarBind]]:
    varbinds = [(tuple(oid), pysnmp_value(value)) for oid, value in response]
    return varbinds[:non_repeaters], varbinds[non_repeaters:]


class PysnmpPoller:
    """Polls IF-MIB counters with pysnmp's v3arch asyncio API (v2c and v3 authPriv) on one shared engine."""

    def __init__(self, auths: dict[str, SnmpAuth], options: SnmpOptions) -> None:
        self.auths = auths
        self.options = options
        self.engine = SnmpEngine()
        self.context = ContextData()
        self._targets: dict[tuple[str, int], UdpTransportTarget] = {}
        self._auth_data: dict[str, CommunityData | UsmUserData] = {}
        self.if_cache = InterfaceTableCache()

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
    ) -> Sequence[Any]:
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
        return response  # type: ignore[no-any-return]

    async def _run(self, device: Device, walk: ColumnWalk) -> ColumnWalk:
        auth = self._credentials(device)
        target = await self._target(device)
        while (request := walk.next_request()) is not None:
            non_repeaters, repeaters = request
            response = await self._bulk(device, auth, target, non_repeaters, repeaters)
            try:
                walk.feed(*split_response(response, len(non_repeaters)))
            except ValueError as exc:
                raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: {exc}") from None
        return walk

    async def walk(self, device: Device) -> tuple[int, Rows]:
        """Walk all IF-MIB COLUMNS at once; returns (sysUpTime ticks, {column: {(ifIndex,): value}})."""
        walk = await self._run(device, ColumnWalk(IF_COLUMNS, with_uptime=True))
        return walk.uptime or 0, walk.rows

    async def walk_table(self, device: Device, columns: Mapping[str, Oid]) -> Rows:
        return (await self._run(device, ColumnWalk(columns))).rows

    async def poll(self, device: Device) -> DeviceSample:
        async def walk(columns: Mapping[str, Oid]) -> tuple[int, Rows]:
            result = await self._run(device, ColumnWalk(columns, with_uptime=True))
            return result.uptime or 0, result.rows

        return await self.if_cache.poll_async(device, walk)

    def close(self) -> None:
        dispatcher = self.engine.transport_dispatcher
        if dispatcher is not None:
            dispatcher.close_dispatcher()
