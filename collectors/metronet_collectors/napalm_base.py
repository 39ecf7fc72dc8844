"""What the SSH pollers (NAPALM, Netmiko) share: their samples, the optics points, the time base and sessions.

The SSH pollers produce the same :class:`~metronet_collectors.model.DeviceSample` as the SNMP poller (so
rates, schema and sinks are unchanged) as a :class:`CliDeviceSample`, which also carries the optics read
in the same poll (``model.OpticsReading``) and the LLDP neighbors (``model.LldpNeighbor``).

Time base of the counters::

    SNMP:  Δt = Δ sysUpTime (the agent's clock, 1/100 s, read in the same PDU as the counters)
    SSH:   Δt = Δ collector clock at the middle of the counters command; the device's uptime (IOS: whole
           minutes) only serves to detect a reboot:

           boot ≈ now − uptime     reboot  ⇔  uptime went back, or boot moved later by > BOOT_SLACK_S
           uptime_ticks = (now − boot) × 100                      (boot kept fixed between reboots)

so :class:`~metronet_collectors.rates.RateCalculator` sees an uptime that grows with the collector's
clock and goes back exactly when the device rebooted (its rate is then skipped as ``reboot``).

Blocking calls run in a thread pool; :class:`SessionPool` keeps one SSH session per device (when
``keep_connections``), never runs two polls of one device at once (a poll still stuck in its thread after
the collector's timeout makes the next one fail at once as ``timeout``), and drops a session after any
error so that the next poll reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from metronet_collectors.model import Device, DeviceSample, LldpNeighbor, OpticsReading, PollError, PollErrorReason

T = TypeVar("T")

BOOT_SLACK_S = 90.0  # IOS reports uptime in whole minutes: its boot time estimate moves by up to 60 s
NO_READING_DBM = -99.0  # NAPALM's ios driver reports an absent optical reading ("N/A") as -100.0 dBm
# The `reason` label of connection failures over SSH (refused, reset, closed): "ssh_error".
SSH_ERROR: PollErrorReason = PollErrorReason.SSH_ERROR


@dataclass(frozen=True, slots=True)
class CliDeviceSample(DeviceSample):
    """A :class:`DeviceSample` polled over SSH, with what SNMP's IF-MIB poll does not carry."""

    optics: list[OpticsReading] = field(default_factory=list)
    neighbors: list[LldpNeighbor] = field(default_factory=list)
    reported_uptime_s: float | None = None  # the device's own figure (None: not read)


def optics_reading(if_name: str, lane: str, **values: float | None) -> OpticsReading:
    """An OpticsReading with only the values the device reported."""
    return OpticsReading(if_name, lane, {key: value for key, value in values.items() if value is not None})


def dbm(value: Any) -> float | None:
    """A power reading in dBm, None when absent (``N/A``, NAPALM's -100.0, not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > NO_READING_DBM else None


class UptimeTracker:
    """Turns the device's reported uptime into the collector-clock time base described in the module doc."""

    def __init__(self) -> None:
        self._state: dict[str, tuple[float, float]] = {}  # device → (boot estimate, last reported uptime)

    def ticks(self, device_name: str, reported_uptime_s: float | None, now_s: float) -> int:
        previous = self._state.get(device_name)
        if reported_uptime_s is None or reported_uptime_s < 0:  # unknown: no reboot detection
            boot = previous[0] if previous else now_s
            self._state[device_name] = (boot, previous[1] if previous else -1.0)
            return round((now_s - boot) * 100)
        boot = now_s - reported_uptime_s
        if previous is not None:
            old_boot, old_uptime = previous
            rebooted = (0 <= reported_uptime_s < old_uptime - 1.0) or boot - old_boot > BOOT_SLACK_S
            if not rebooted:
                boot = old_boot
        self._state[device_name] = (boot, reported_uptime_s)
        return max(0, round((now_s - boot) * 100))

    def forget(self, device_name: str) -> None:
        self._state.pop(device_name, None)


def classify(device: Device, exc: BaseException) -> PollError:
    """A PollError (reason + message without secrets) for an exception of NAPALM, Netmiko or paramiko."""
    if isinstance(exc, PollError):
        return exc
    kind = type(exc).__name__
    names = {cls.__name__ for cls in type(exc).__mro__}
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    message = f"{device.name}: {kind}" + (f": {detail}" if detail else "")
    if names & {"ConnectAuthError", "AuthenticationException", "NetmikoAuthenticationException"}:
        return PollError(PollErrorReason.AUTH, f"{device.name}: SSH authentication failed ({kind})")
    if names & {"ConnectTimeoutError", "NetmikoTimeoutException", "ReadTimeout", "TimeoutError", "timeout"}:
        return PollError(PollErrorReason.TIMEOUT, message)
    if names & {"ModuleImportError", "DriverTemplateNotImplemented"}:
        return PollError(PollErrorReason.CONFIG, message)
    if names & {"NotImplementedError"}:
        return PollError(PollErrorReason.CONFIG, f"{device.name}: the driver does not implement a getter: {kind}")
    if names & {"ConnectionException", "SSHException", "NoValidConnectionsError", "EOFError"} or isinstance(
        exc, OSError | socket.error
    ):
        return PollError(SSH_ERROR, message)
    if names & {"ValueError", "KeyError", "TypeError", "IndexError", "AttributeError", "TextFSMError"}:
        return PollError(PollErrorReason.BAD_RESPONSE, message)
    return PollError(PollErrorReason.INTERNAL, message)


@dataclass
class _Session:
    connection: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class SessionPool:
    """One SSH session per device, used by one poll at a time, in a bounded thread pool."""

    def __init__(self, workers: int, keep_connections: bool, name: str) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self.keep_connections = keep_connections
        self._sessions: dict[str, _Session] = {}
        self._guard = threading.Lock()

    def _session(self, device: Device) -> _Session:
        with self._guard:
            return self._sessions.setdefault(device.name, _Session())

    async def run(
        self,
        device: Device,
        connect: Callable[[], Any],
        disconnect: Callable[[Any], None],
        work: Callable[[Any], T],
    ) -> T:
        """Run ``work(connection)`` in a worker thread, connecting first when there is no open session."""
        session = self._session(device)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._blocking, device, session, connect, disconnect, work)

    def _blocking(
        self,
        device: Device,
        session: _Session,
        connect: Callable[[], Any],
        disconnect: Callable[[Any], None],
        work: Callable[[Any], T],
    ) -> T:
        # Taken inside the thread: a poll cancelled before it started never holds the lock.
        if not session.lock.acquire(blocking=False):
            raise PollError(PollErrorReason.TIMEOUT, f"{device.name}: the previous SSH poll is still running")
        try:
            connection = session.connection
            session.connection = None
            try:
                if connection is None:
                    connection = connect()
                result = work(connection)
            except BaseException as exc:
                if connection is not None:
                    _quietly(disconnect, connection)
                raise classify(device, exc) from None
            if self.keep_connections:
                session.connection = connection
            else:
                _quietly(disconnect, connection)
            return result
        finally:
            session.lock.release()

    def forget(self, names: Iterable[str], disconnect: Callable[[Any], None]) -> None:
        for name in names:
            with self._guard:
                session = self._sessions.pop(name, None)
            if session is not None and session.connection is not None and session.lock.acquire(blocking=False):
                _quietly(disconnect, session.connection)
                session.lock.release()

    def close(self, disconnect: Callable[[Any], None]) -> None:
        with self._guard:
            names = list(self._sessions)
        self.forget(names, disconnect)
        self.executor.shutdown(wait=False, cancel_futures=True)


def _quietly(disconnect: Callable[[Any], None], connection: Any) -> None:
    # closing a broken session may fail in many ways; the session is dropped anyway
    with contextlib.suppress(Exception):
        disconnect(connection)
