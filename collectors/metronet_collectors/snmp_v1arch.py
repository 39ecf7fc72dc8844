"""SNMPv2c poller on pysnmp's lean v1arch asyncio API (no SNMP engine, no LCD, no MIB layer).

One ``SnmpDispatcher`` owns one UDP socket per address family with an enlarged receive buffer
(``SO_RCVBUF``; with root also ``SO_RCVBUFFORCE`` past ``net.core.rmem_max``): with the default ~212 KB
buffer, 50 concurrent multi-column responses overflow it and the drops turn into timeouts. Requests in
flight are bounded by a semaphore (``snmp.max_in_flight``) and max-repetitions is capped at 10 for
multi-column requests. SNMPv3 devices are handed to the v3arch :class:`~metronet_collectors.snmp.PysnmpPoller`
(v1arch has no USM).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Mapping, Sequence
from typing import Any

from pyasn1.type.univ import Null
from pysnmp.carrier.asyncio.dgram import udp, udp6
from pysnmp.carrier.asyncio.dispatch import AsyncioDispatcher
from pysnmp.hlapi.v1arch.asyncio import (
    CommunityData,
    SnmpDispatcher,
    Udp6TransportTarget,
    UdpTransportTarget,
    bulk_cmd,
)
from pysnmp.proto.rfc1902 import ObjectName

from metronet_collectors.config import SnmpAuth, SnmpOptions
from metronet_collectors.model import Device, DeviceSample, PollError, PollErrorReason
from metronet_collectors.snmp import PysnmpPoller, split_response
from metronet_collectors.snmp_walk import ColumnWalk, InterfaceTableCache, Oid, Rows

RECEIVE_BUFFER_BYTES = 8 << 20
MAX_MULTI_COLUMN_REPETITIONS = 10


def _udp_socket(family: socket.AddressFamily, receive_buffer: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setblocking(False)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    force = getattr(socket, "SO_RCVBUFFORCE", None)
    if force is not None:
        with contextlib.suppress(OSError):  # needs CAP_NET_ADMIN; without it rmem_max caps SO_RCVBUF
            sock.setsockopt(socket.SOL_SOCKET, force, receive_buffer)
    sock.bind(("::", 0) if family == socket.AF_INET6 else ("0.0.0.0", 0))
    return sock


class PysnmpV1Poller:
    """v2c polls on pysnmp v1arch; v3 polls delegated to a (lazily created) v3arch poller."""

    def __init__(
        self, auths: dict[str, SnmpAuth], options: SnmpOptions, receive_buffer: int = RECEIVE_BUFFER_BYTES
    ) -> None:
        self.auths = auths
        self.options = options
        self.receive_buffer = receive_buffer
        self.max_repetitions = min(options.max_repetitions, MAX_MULTI_COLUMN_REPETITIONS)
        self._dispatcher: SnmpDispatcher | None = None
        self._transport_dispatcher: AsyncioDispatcher | None = None
        self._in_flight: asyncio.Semaphore | None = None
        self._targets: dict[tuple[str, int], UdpTransportTarget | Udp6TransportTarget] = {}
        self._communities: dict[str, CommunityData] = {}
        self._v3: PysnmpPoller | None = None
        self._socket4: socket.socket | None = None
        self.if_cache = InterfaceTableCache()

    def _v3_poller(self) -> PysnmpPoller:
        if self._v3 is None:
            self._v3 = PysnmpPoller(self.auths, self.options)
        return self._v3

    def _auth(self, device: Device) -> SnmpAuth:
        auth = self.auths.get(device.credential)
        if auth is None:
            raise PollError(PollErrorReason.CONFIG, f"unknown credential {device.credential!r}")
        return auth

    def _open(self) -> SnmpDispatcher:
        if self._dispatcher is None:
            transport_dispatcher = AsyncioDispatcher()
            self._socket4 = _udp_socket(socket.AF_INET, self.receive_buffer)
            transport_dispatcher.register_transport(
                udp.DOMAIN_NAME, udp.UdpAsyncioTransport().open_server_mode(sock=self._socket4)
            )
            transport_dispatcher.register_transport(
                udp6.DOMAIN_NAME,
                udp6.Udp6AsyncioTransport().open_server_mode(sock=_udp_socket(socket.AF_INET6, self.receive_buffer)),
            )
            self._transport_dispatcher = transport_dispatcher
            self._dispatcher = SnmpDispatcher(transport_dispatcher)
            self._in_flight = asyncio.Semaphore(self.options.max_in_flight)
        return self._dispatcher

    async def _target(self, device: Device) -> UdpTransportTarget | Udp6TransportTarget:
        key = (device.address, device.port)
        target = self._targets.get(key)
        if target is None:
            kind = Udp6TransportTarget if ":" in device.address else UdpTransportTarget
            target = await kind.create(key, timeout=self.options.request_timeout_s, retries=self.options.retries)
            self._targets[key] = target
        return target

    def _community(self, auth: SnmpAuth) -> CommunityData:
        data = self._communities.get(auth.name)
        if data is None:
            data = CommunityData(str(auth.community), mpModel=1)
            self._communities[auth.name] = data
        return data

    async def _bulk(
        self,
        device: Device,
        community: CommunityData,
        target: Any,
        non_repeaters: Sequence[Oid],
        repeaters: Sequence[Oid],
    ) -> Sequence[Any]:
        dispatcher = self._open()
        assert self._in_flight is not None
        var_binds = [(ObjectName(oid), Null()) for oid in (*non_repeaters, *repeaters)]
        async with self._in_flight:
            error_indication, error_status, error_index, response = await bulk_cmd(
                dispatcher,
                community,
                target,
                len(non_repeaters),
                self.max_repetitions,
                *var_binds,
                lookupMib=False,
            )
        if error_indication:
            if type(error_indication).__name__ == "RequestTimedOut" or "timed out" in str(error_indication).lower():
                raise PollError(PollErrorReason.TIMEOUT, f"{device.name}: no SNMP response from {device.address}")
            raise PollError(PollErrorReason.SNMP_ERROR, f"{device.name}: {error_indication}")
        if int(error_status):
            raise PollError(
                PollErrorReason.SNMP_ERROR, f"{device.name}: agent error {error_status.prettyPrint()} at {error_index}"
            )
        return response  # type: ignore[no-any-return]

    async def _run(self, device: Device, walk: ColumnWalk) -> ColumnWalk:
        community = self._community(self._auth(device))
        target = await self._target(device)
        while (request := walk.next_request()) is not None:
            non_repeaters, repeaters = request
            response = await self._bulk(device, community, target, non_repeaters, repeaters)
            try:
                walk.feed(*split_response(response, len(non_repeaters)))
            except ValueError as exc:
                raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: {exc}") from None
        return walk

    async def walk_table(self, device: Device, columns: Mapping[str, Oid]) -> Rows:
        if self._auth(device).version == "3":
            return await self._v3_poller().walk_table(device, columns)
        return (await self._run(device, ColumnWalk(columns))).rows

    async def poll(self, device: Device) -> DeviceSample:
        if self._auth(device).version == "3":
            return await self._v3_poller().poll(device)
        async def walk(columns: Mapping[str, Oid]) -> tuple[int, Rows]:
            result = await self._run(device, ColumnWalk(columns, with_uptime=True))
            return result.uptime or 0, result.rows

        return await self.if_cache.poll_async(device, walk)

    def receive_buffer_bytes(self) -> int:
        """The kernel's effective SO_RCVBUF of the IPv4 socket (for the benchmark and tests)."""
        self._open()
        assert self._socket4 is not None
        return int(self._socket4.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))

    def close(self) -> None:
        # Not SnmpDispatcher.close(): with requests pending it calls their callbacks with a wrong signature
        # (TypeError, pysnmp 7.1). Closing the transport dispatcher drops the socket and the pending requests.
        self._dispatcher = None
        if self._transport_dispatcher is not None:
            self._transport_dispatcher.close_dispatcher()
            self._transport_dispatcher = None
        if self._v3 is not None:
            self._v3.close()
            self._v3 = None
