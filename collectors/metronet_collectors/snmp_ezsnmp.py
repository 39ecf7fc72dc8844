"""SNMP poller on ezsnmp (net-snmp's C library through SWIG bindings), v2c and v3, in worker threads.

ezsnmp calls block but release the GIL while net-snmp waits for the agent, so each device's whole walk
runs in one worker thread of a bounded pool (``snmp.max_in_flight`` threads) and the event loop only
awaits its result. The multi-column walk is the shared :class:`~metronet_collectors.snmp_walk.ColumnWalk`
driven by ``Session.bulk_get`` (one GETBULK per call). Quirks handled here (see SERVICES-NOTES):

- ``bulk_get`` has no non-repeaters: sysUpTime is asked as one more repeated column in the first request
  and only its first varbind is kept;
- ``bulk_walk([a, b])`` walks only ``a``: not used;
- values are strings: converted by the reported ``type`` (``INTEGER``, ``Counter64``, ``STRING``,
  ``Hex-STRING``, ``OID`` …); with ``print_timeticks_numerically`` a TimeTicks value reports its number as
  its ``type`` too;
- ``oid`` and ``index`` come apart (``print_full_oids`` does not join them): the OID is ``oid + index``;
- errors are exceptions of ezsnmp's own hierarchy (``ezsnmp.exceptions.TimeoutError`` shadows the builtin).
- SNMPv3: every call localizes the passphrases again (~3.5 ms CPU per request on the development VM, ~40×
  a v2c request); fine for a few v3 devices, a cost to know for thousands.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import ezsnmp
from ezsnmp import exceptions as ezsnmp_errors

from metronet_collectors.config import SnmpAuth, SnmpOptions
from metronet_collectors.model import Device, DeviceSample, PollError, PollErrorReason
from metronet_collectors.snmp_walk import (
    SYS_UPTIME,
    ColumnWalk,
    InterfaceTableCache,
    Oid,
    Rows,
    Value,
    VarBind,
    oid_text,
    parse_oid,
)

AUTH_PROTOCOLS = {
    "md5": "MD5",
    "sha": "SHA",
    "sha224": "SHA-224",
    "sha256": "SHA-256",
    "sha384": "SHA-384",
    "sha512": "SHA-512",
}
PRIV_PROTOCOLS = {"des": "DES", "3des": "3DES", "aes": "AES", "aes192": "AES-192", "aes256": "AES-256"}
NUMERIC_TYPES = frozenset({"INTEGER", "Counter32", "Counter64", "Gauge32", "Unsigned32", "UInteger32", "Timeticks"})
END_TYPES = frozenset({"ENDOFMIBVIEW", "NOSUCHOBJECT", "NOSUCHINSTANCE"})
# net-snmp's texts for USM failures (snmp_api.c); the message itself is not passed on, only the kind.
AUTH_MESSAGES = {
    "authentication failure": "AuthenticationFailure",
    "unknown user name": "UnknownUserName",
    "unknown security name": "UnknownSecurityName",
    "unsupported security level": "UnsupportedSecurityLevel",
    "decryption error": "DecryptionError",
    "not in time window": "NotInTimeWindow",
    "wrong digest": "WrongDigest",
}


def ezsnmp_value(kind: str, value: str) -> Value:
    """One ezsnmp result (its ``type`` and string ``value``) → :data:`Value`."""
    if kind in NUMERIC_TYPES or kind.isdigit():  # a TimeTicks value shows its number as its type
        try:
            return int(value)
        except ValueError:
            return 0
    upper = kind.upper()
    if upper in END_TYPES:
        return None
    if kind == "OID" or kind == "OBJECTID":
        try:
            return parse_oid(value)
        except ValueError:
            return ()
    if kind == "Hex-STRING":
        return bytes.fromhex(value.replace(" ", "").replace(":", ""))
    if kind == "IpAddress":
        return bytes(int(part) for part in value.split(".")) if value.count(".") == 3 else value.encode()
    return value.encode("utf-8", "surrogateescape")


class EzsnmpPoller:
    """Polls with ezsnmp in a bounded thread pool; one ezsnmp Session per device (a device is polled by one
    thread at a time: the scheduler never overlaps polls of the same device)."""

    def __init__(self, auths: dict[str, SnmpAuth], options: SnmpOptions, walk_timeout_s: float = 60.0) -> None:
        self.auths = auths
        self.options = options
        self.max_repetitions = min(options.max_repetitions, 10)
        # A thread cannot be cancelled: when the collector stops waiting (timeout_s), the walk goes on in its
        # thread until this deadline (checked between requests), and the device's next walk waits for it.
        self.walk_timeout_s = walk_timeout_s
        self._pool = ThreadPoolExecutor(max_workers=options.max_in_flight, thread_name_prefix="ezsnmp")
        self._sessions: dict[tuple[str, int, str], Any] = {}
        self._busy: dict[tuple[str, int, str], threading.Lock] = {}
        self._lock = threading.Lock()
        self.if_cache = InterfaceTableCache()
        self._prefixes: dict[str, Oid] = {}  # OID text of a column → tuple (ezsnmp splits OID and index)

    def _auth(self, device: Device) -> SnmpAuth:
        auth = self.auths.get(device.credential)
        if auth is None:
            raise PollError(PollErrorReason.CONFIG, f"unknown credential {device.credential!r}")
        return auth

    def _session(self, device: Device, auth: SnmpAuth) -> Any:
        key = (device.address, device.port, auth.name)
        with self._lock:
            session = self._sessions.get(key)
        if session is not None:
            return session
        common: dict[str, Any] = {
            "hostname": f"udp6:[{device.address}]" if ":" in device.address else device.address,
            "port_number": device.port,
            "retries": self.options.retries,
            "timeout": self.options.request_timeout_s,
            "print_oids_numerically": True,
            "print_timeticks_numerically": True,
            "print_enums_numerically": True,
            "set_max_repeaters_to_num": self.max_repetitions,
        }
        if auth.version == "2c":
            session = ezsnmp.Session(version="2c", community=str(auth.community), **common)
        else:
            session = ezsnmp.Session(
                version="3",
                security_level="authPriv",
                security_username=auth.username,
                auth_protocol=AUTH_PROTOCOLS[auth.auth_protocol],
                auth_passphrase=str(auth.auth_key),
                privacy_protocol=PRIV_PROTOCOLS[auth.priv_protocol],
                privacy_passphrase=str(auth.priv_key),
                **common,
            )
        with self._lock:
            self._sessions[key] = session
        return session

    def _bulk(self, device: Device, session: Any, oids: Sequence[Oid]) -> list[VarBind]:
        try:
            results = session.bulk_get([oid_text(oid) for oid in oids])
        except ezsnmp_errors.TimeoutError:
            raise PollError(PollErrorReason.TIMEOUT, f"{device.name}: no SNMP response from {device.address}") from None
        except ezsnmp_errors.GenericError as exc:
            message = str(exc).lower()
            for text, kind in AUTH_MESSAGES.items():
                if text in message:
                    raise PollError(
                        PollErrorReason.AUTH, f"{device.name}: SNMP authentication failed ({kind})"
                    ) from None
            if "timeout" in message:
                raise PollError(PollErrorReason.TIMEOUT, f"{device.name}: no SNMP response") from None
            raise PollError(PollErrorReason.SNMP_ERROR, f"{device.name}: {type(exc).__name__}") from None
        varbinds: list[VarBind] = []
        prefixes = self._prefixes
        for result in results:
            base, index = result.oid, result.index
            try:
                prefix = prefixes.get(base)
                if prefix is None:
                    prefix = prefixes[base] = parse_oid(base)
                oid = prefix + tuple(map(int, index.split("."))) if index else prefix
                varbinds.append((oid, ezsnmp_value(result.type, result.value)))
            except ValueError:
                raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: unparsable OID {base!r}") from None
        return varbinds

    def _walk(self, device: Device, walk: ColumnWalk) -> ColumnWalk:
        auth = self._auth(device)
        key = (device.address, device.port, auth.name)
        with self._lock:
            busy = self._busy.setdefault(key, threading.Lock())
        if not busy.acquire(timeout=self.walk_timeout_s):
            raise PollError(PollErrorReason.TIMEOUT, f"{device.name}: the previous walk is still running")
        try:
            return self._walk_locked(device, self._session(device, auth), walk)
        finally:
            busy.release()

    def _walk_locked(self, device: Device, session: Any, walk: ColumnWalk) -> ColumnWalk:
        deadline = time.monotonic() + self.walk_timeout_s
        while (request := walk.next_request()) is not None:
            if time.monotonic() > deadline:
                raise PollError(
                    PollErrorReason.TIMEOUT, f"{device.name}: walk not complete within {self.walk_timeout_s} s"
                )
            non_repeaters, repeaters = request
            response = self._bulk(device, session, [*non_repeaters, *repeaters])
            if non_repeaters:  # emulated: the first column of the first repetition only
                width = len(non_repeaters) + len(repeaters)
                heads = response[: len(non_repeaters)]
                rest = [vb for i, vb in enumerate(response) if i % width >= len(non_repeaters)]
                nr_part, rep_part = heads, rest
            else:
                nr_part, rep_part = [], response
            try:
                walk.feed(nr_part, rep_part)
            except ValueError as exc:
                raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: {exc}") from None
        return walk

    def _poll_sync(self, device: Device) -> DeviceSample:
        def walk(columns: Mapping[str, Oid]) -> tuple[int, Rows]:
            result = self._walk(device, ColumnWalk(columns, with_uptime=True))
            return result.uptime or 0, result.rows

        return self.if_cache.poll(device, walk)

    async def poll(self, device: Device) -> DeviceSample:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._poll_sync, device)

    async def walk_table(self, device: Device, columns: Mapping[str, Oid]) -> Rows:
        walk = await asyncio.get_running_loop().run_in_executor(self._pool, self._walk, device, ColumnWalk(columns))
        return walk.rows

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            with contextlib.suppress(Exception):  # closing is best effort
                session.close()


__all__ = ["EzsnmpPoller", "SYS_UPTIME", "ezsnmp_value"]
