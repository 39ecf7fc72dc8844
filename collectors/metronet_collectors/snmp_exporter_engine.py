"""SNMP engine ``snmp-exporter``: a local prometheus-snmp-exporter (Go) walks IF-MIB, the collector scrapes it.

The exporter does the SNMP work (GETBULK walks, v2c / v3 USM) at a fraction of the CPU of any Python SNMP
stack (docs/collectors.md, benchmark); everything after the walk stays the collector's: the same
:class:`~metronet_collectors.snmp_walk.InterfaceTableCache` (full walk every 30 polls, moving columns in
between), :class:`~metronet_collectors.model.DeviceSample`, rates, spool, sinks, metrics and schema.

- **Modules**: the collector writes the exporter's ``snmp.yml`` (the 0.21 format Debian ships: version and
  auth per module, numeric OIDs, no MIBs) with three modules per credential of ``auths``:
  ``metronet_full__<auth>`` (sysUpTime + the 14 IF-MIB columns), ``metronet_dyn__<auth>`` (sysUpTime + the
  10 moving columns) and ``metronet_dyn32__<auth>`` (the same + ifIn/OutOctets for devices lacking HC
  counters). The file is created with mode 0600 in ``snmp.exporter.workdir`` (default: a private temp dir
  removed on close); its secrets are never logged (the exporter itself shows them as ``<secret>``).
  Exporter 0.21 has no ``auth=`` URL parameter (that came with the 0.23 format), hence one module per
  credential: ``/snmp?target=HOST:PORT&module=metronet_dyn__<auth>``.
- **Counter64 exactness**: the exposition format carries float64 values, exact only up to 2⁵³ (a 100G port
  passes 2⁵³ octets in ~8 days). The two HC octet columns are therefore declared ``DisplayString`` in the
  module: the exporter then puts the decimal text of the Counter64 in a label
  (``metronet_in64{ifIndex="1",metronet_in64="9223372037534328310"} 1``), which is read back as an exact
  int. All other columns are 32-bit (Counter32, Gauge32, INTEGER, TimeTicks) and exact in float64.
- **Parsing**: a regular expression for the exact lines the exporter emits for these modules (label order
  is sorted by the exporter: ``ifIndex`` then the value label), not prometheus_client's general parser,
  which is ~7× slower (measured: see ``parse_exposition``'s docstring).
- **Errors**: the exporter answers HTTP 500 with its error text; it is matched to the same
  :class:`~metronet_collectors.model.PollErrorReason` as the other engines (``request timeout`` and, on
  loopback, ``connection refused`` → ``timeout``; ``wrong digest`` / ``unknown username`` / … → ``auth``)
  and the text itself is not passed on (only the kind), so no secret can leak through it.
- **Process**: with ``snmp.exporter.manage: true`` (default) the exporter is started on first use, on
  loopback (``listen``; port 0 = a free port), with ``--log.level=warn`` into ``exporter.log`` in the
  workdir, and restarted (at most once a second) when it is found dead or refuses connections (the scrape
  is then retried once); it gets SIGTERM when the collector
  process dies (``PR_SET_PDEATHSIG``). With ``manage: false`` the collector scrapes ``url`` and an exporter
  down is a clear ``internal`` error; that exporter must load the generated file.
- **Concurrency**: scrapes run in a thread pool of ``snmp.max_in_flight`` threads over one urllib3
  connection pool of the same size (keep-alive, no retries, no gzip).
- **Optics and LLDP** (``walk_table``) stay on ezsnmp (pysnmp v1arch if ezsnmp is missing): those walks are
  rarer and their tables vary per vendor. Credentials the exporter cannot express (priv ``3des``) are polled
  by that engine too.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import urllib3
import yaml

from metronet_collectors.config import SnmpAuth, SnmpOptions
from metronet_collectors.model import Device, DeviceSample, PollError, PollErrorReason
from metronet_collectors.snmp_walk import (
    IF_32BIT,
    IF_COLUMNS,
    IF_DYNAMIC_COLUMNS,
    SYS_UPTIME,
    InterfaceTableCache,
    Oid,
    Rows,
    Value,
)

log = logging.getLogger(__name__)

PREFIX = "metronet_"
TEXT_COLUMNS = frozenset({"descr", "name"})  # DisplayString: label value → bytes
EXACT_COLUMNS = frozenset({"in64", "out64"})  # Counter64 as DisplayString: label value → exact int
MODULE_COLUMNS: dict[str, Mapping[str, Oid]] = {
    "full": IF_COLUMNS,
    "dyn": IF_DYNAMIC_COLUMNS,
    "dyn32": {**IF_DYNAMIC_COLUMNS, **{k: IF_COLUMNS[k] for k in IF_32BIT}},
}
# gosnmp's protocol names (exporter 0.21); 3des has no gosnmp equivalent: such devices use the fallback engine
EXPORTER_AUTH = {"md5": "MD5", "sha": "SHA", "sha224": "SHA224", "sha256": "SHA256", "sha384": "SHA384"}
EXPORTER_AUTH["sha512"] = "SHA512"
EXPORTER_PRIV = {"des": "DES", "aes": "AES", "aes192": "AES192", "aes256": "AES256"}
# gosnmp / exporter error texts → the kind reported (the text itself is never passed on)
AUTH_ERRORS = {
    "wrong digest": "WrongDigest",
    "unknown username": "UnknownUserName",
    "unknown user name": "UnknownUserName",
    "unknown security": "UnknownSecurityName",
    "unsupported security": "UnsupportedSecurityLevel",
    "decryption": "DecryptionError",
    "not in time window": "NotInTimeWindow",
    "authentication": "AuthenticationFailure",
    "not authentic": "AuthenticationFailure",
}
TIMEOUT_ERRORS = ("timeout", "connection refused", "no route to host", "network is unreachable", "i/o timeout")
RESTART_MIN_INTERVAL_S = 1.0
READY_TIMEOUT_S = 10.0

_LINE = re.compile(
    r"^" + PREFIX + r"(\w+)\{ifIndex=\"(\d+)\"(?:," + PREFIX + r"\w+=\"((?:[^\"\\\n]|\\.)*)\")?\} (\S+)$",
    re.MULTILINE,
)
_UPTIME = re.compile(r"^" + PREFIX + r"uptime (\S+)$", re.MULTILINE)
_ESCAPE = re.compile(r"\\(.)")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text) if "\\" in text else text


def _dotted(oid: Oid) -> str:
    return ".".join(map(str, oid))


def module_name(kind: str, auth: str) -> str:
    return f"metronet_{kind}__{auth}"


def exporter_auth(auth: SnmpAuth) -> dict[str, Any] | None:
    """The module's ``version`` and ``auth`` for a credential, or None if gosnmp cannot express it."""
    if auth.version == "2c":
        return {"version": 2, "auth": {"community": str(auth.community)}}
    if auth.auth_protocol not in EXPORTER_AUTH or auth.priv_protocol not in EXPORTER_PRIV:
        return None
    return {
        "version": 3,
        "auth": {
            "security_level": "authPriv",
            "username": auth.username,
            "password": str(auth.auth_key),
            "auth_protocol": EXPORTER_AUTH[auth.auth_protocol],
            "priv_protocol": EXPORTER_PRIV[auth.priv_protocol],
            "priv_password": str(auth.priv_key),
        },
    }


def exporter_config(auths: Mapping[str, SnmpAuth], options: SnmpOptions) -> dict[str, Any]:
    """The snmp.yml mapping: three modules (full, dyn, dyn32) per credential the exporter can use."""
    uptime = _dotted(SYS_UPTIME) + ".0"
    index = [{"labelname": "ifIndex", "type": "gauge"}]
    modules: dict[str, Any] = {}
    for auth in auths.values():
        access = exporter_auth(auth)
        if access is None:
            continue
        for kind, columns in MODULE_COLUMNS.items():
            metrics: list[dict[str, Any]] = [{"name": PREFIX + "uptime", "oid": uptime, "type": "gauge"}]
            for name, oid in columns.items():
                text = name in TEXT_COLUMNS or name in EXACT_COLUMNS
                metrics.append(
                    {
                        "name": PREFIX + name,
                        "oid": _dotted(oid),
                        "type": "DisplayString" if text else "gauge",
                        "indexes": index,
                    }
                )
            modules[module_name(kind, auth.name)] = {
                **access,
                "max_repetitions": options.max_repetitions,
                "retries": options.retries,
                "timeout": f"{round(options.request_timeout_s * 1000)}ms",
                "get": [uptime],
                "walk": [_dotted(oid) for oid in columns.values()],
                "metrics": metrics,
            }
    return modules


def parse_exposition(body: str, columns: Mapping[str, Oid]) -> tuple[int | None, Rows]:
    """The exporter's text exposition of one of our modules → (sysUpTime ticks or None, rows).

    Measured on a 50-interface answer of the dyn32 module (12 columns, 640 lines with HELP/TYPE): this
    function 0.56 ms, prometheus_client 0.26's ``text_string_to_metric_families`` 3.8 ms (a Metric and a
    Sample object per line, every label parsed generically) — 0.011 vs 0.075 CPU-s per 1,000 interfaces,
    against a budget of 0.25 for the whole poll.
    Raises ValueError on a value that is not a number.
    """
    rows: Rows = {name: {} for name in columns}
    for match in _LINE.finditer(body):
        name, index, label, number = match.groups()
        column = rows.get(name)
        if column is None:
            continue
        value: Value
        if name in EXACT_COLUMNS:
            value = int(label or number)
        elif name in TEXT_COLUMNS:
            value = _unescape(label or "").encode("utf-8", "surrogateescape")
        else:
            value = int(float(number))
        column[(int(index),)] = value
    uptime = _UPTIME.search(body)
    return (int(float(uptime.group(1))) if uptime else None), rows


def classify_error(device: Device, status: int, body: str) -> PollError:
    """An HTTP error of the exporter → PollError with the same reasons as the other engines (no error text)."""
    text = body.lower()
    if status == 400 and "unknown module" in text:
        return PollError(PollErrorReason.CONFIG, f"{device.name}: the snmp_exporter does not know the module")
    for needle, kind in AUTH_ERRORS.items():
        if needle in text:
            return PollError(PollErrorReason.AUTH, f"{device.name}: SNMP authentication failed ({kind})")
    if any(needle in text for needle in TIMEOUT_ERRORS):
        return PollError(PollErrorReason.TIMEOUT, f"{device.name}: no SNMP response from {device.address}")
    return PollError(PollErrorReason.SNMP_ERROR, f"{device.name}: snmp_exporter answered HTTP {status}")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class ExporterProcess:
    """A prometheus-snmp-exporter child on loopback: started on demand, restarted when found dead."""

    def __init__(self, binary: str, config_file: Path, listen: str, log_file: Path) -> None:
        path = shutil.which(binary)
        if path is None:
            raise PollError(PollErrorReason.CONFIG, f"snmp.exporter.binary: {binary!r} not found")
        self.binary = path
        self.config_file = config_file
        self.listen = listen
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.starts = 0
        self._last_start = 0.0
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def ensure(self) -> str:
        """The base URL of a running exporter (starting or restarting it if needed)."""
        with self._lock:
            if self.process is not None and self.process.poll() is None:
                return self.url
            if self.process is not None:
                log.warning("snmp_exporter exited with status %s; restarting it", self.process.returncode)
                self.process = None
            wait = self._last_start + RESTART_MIN_INTERVAL_S - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._start()
            return self.url

    def recover(self, failed_start: int) -> None:
        """A scrape of start number `failed_start` could not connect: wait briefly for the dying process to
        exit (a SIGKILLed exporter refuses connections before it can be reaped), or stop a live one that
        refuses them; the next ensure() starts a new one. Other threads that failed on the same start
        find it already handled."""
        with self._lock:
            process = self.process
            if process is None or self.starts != failed_start:
                return
            try:
                process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                log.warning("snmp_exporter (pid %s) refuses connections; restarting it", process.pid)
                self.stop()

    def _start(self) -> None:
        host, _, port_text = self.listen.rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
        port = int(port_text) or _free_port(host)
        listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self._last_start = time.monotonic()
        self.starts += 1
        with open(self.log_file, "ab") as log_out:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    f"--config.file={self.config_file}",
                    f"--web.listen-address={listen}",
                    "--log.level=warn",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log_out,
                stderr=subprocess.STDOUT,
                # its own session: a Ctrl-C meant for the collector does not kill it before close() does;
                # PDEATHSIG fires when the spawning thread ends: a worker of our pool, which lives until close()
                start_new_session=True,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 - only prctl, no locks
            )
        self.url = f"http://{listen}"
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    code = self.process.poll()
                    self.stop()
                    raise PollError(
                        PollErrorReason.INTERNAL,
                        f"snmp_exporter did not start (exit status {code}); see {self.log_file}",
                    ) from None
                time.sleep(0.02)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class SnmpExporterPoller:
    """Polls IF-MIB through a prometheus-snmp-exporter; optics / LLDP tables through a fallback engine."""

    def __init__(self, auths: dict[str, SnmpAuth], options: SnmpOptions, walk_timeout_s: float = 60.0) -> None:
        self.auths = auths
        self.options = options
        self.walk_timeout_s = walk_timeout_s
        self.if_cache = InterfaceTableCache()
        settings = options.exporter
        self._tempdir: str | None = None
        if settings.workdir:
            self.workdir = Path(settings.workdir)
            self.workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
        else:
            self._tempdir = tempfile.mkdtemp(prefix="metronet-snmp-exporter-")
            self.workdir = Path(self._tempdir)
        self.config_file = self.workdir / "snmp.yml"
        self.modules = exporter_config(auths, options)
        self._write_config()
        self.exporter: ExporterProcess | None = None
        if settings.manage:
            self.exporter = ExporterProcess(
                settings.binary, self.config_file, settings.listen, self.workdir / "exporter.log"
            )
        self._pool = ThreadPoolExecutor(max_workers=options.max_in_flight, thread_name_prefix="snmp-exporter")
        self._http = urllib3.PoolManager(
            num_pools=2, maxsize=options.max_in_flight, block=True, retries=False, headers={"Accept": "text/plain"}
        )
        self._fallback: Any = None
        self._fallback_lock = threading.Lock()

    def _write_config(self) -> None:
        text = yaml.safe_dump(self.modules, sort_keys=False)
        fd = os.open(self.config_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)  # also when the file existed with other permissions
            out.write(text)

    # -- fallback engine (tables, credentials the exporter cannot express) --------------------------------

    def fallback(self) -> Any:
        with self._fallback_lock:
            if self._fallback is None:
                import importlib.util

                from metronet_collectors.engines import make_poller

                engine = "ezsnmp" if importlib.util.find_spec("ezsnmp") is not None else "pysnmp"
                self._fallback = make_poller(
                    self.auths, replace(self.options, engine=engine), walk_timeout_s=self.walk_timeout_s
                )
            return self._fallback

    async def walk_table(self, device: Device, columns: Mapping[str, Oid]) -> Rows:
        rows: Rows = await self.fallback().walk_table(device, columns)
        return rows

    # -- interface polls ----------------------------------------------------------------------------------

    def _base_url(self) -> str:
        if self.exporter is not None:
            return self.exporter.ensure()
        return self.options.exporter.url

    def _scrape(self, device: Device, module: str) -> str:
        target = f"[{device.address}]:{device.port}" if ":" in device.address else f"{device.address}:{device.port}"
        query = urllib.parse.urlencode({"target": target, "module": module})
        headers = {"X-Prometheus-Scrape-Timeout-Seconds": f"{self.walk_timeout_s:g}"}
        timeout = urllib3.Timeout(connect=2.0, read=self.walk_timeout_s + 1.0)
        for attempt in (1, 2):
            base = self._base_url()
            start = self.exporter.starts if self.exporter is not None else 0
            try:
                response = self._http.request(
                    "GET", f"{base}/snmp?{query}", headers=headers, timeout=timeout, preload_content=True
                )
            except urllib3.exceptions.ReadTimeoutError:
                raise PollError(
                    PollErrorReason.TIMEOUT, f"{device.name}: no answer from the snmp_exporter in time"
                ) from None
            except urllib3.exceptions.HTTPError:
                if self.exporter is not None and attempt == 1:
                    self.exporter.recover(start)  # dead or deaf: the next _base_url() starts a new one
                    continue
                where = "managed snmp_exporter" if self.exporter is not None else f"snmp_exporter at {base}"
                raise PollError(PollErrorReason.INTERNAL, f"{device.name}: the {where} is unreachable") from None
            body = response.data.decode("utf-8", "replace")
            if response.status != 200:
                raise classify_error(device, response.status, body)
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    def _walk(self, device: Device, columns: Mapping[str, Oid], auth: SnmpAuth) -> tuple[int, Rows]:
        kind = "full" if columns is IF_COLUMNS else "dyn32" if "in32" in columns else "dyn"
        body = self._scrape(device, module_name(kind, auth.name))
        try:
            uptime, rows = parse_exposition(body, MODULE_COLUMNS[kind])
        except ValueError:
            raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: unparsable snmp_exporter answer") from None
        if uptime is None:
            raise PollError(PollErrorReason.BAD_RESPONSE, f"{device.name}: no sysUpTime in the response")
        return uptime, rows

    def _poll_sync(self, device: Device, auth: SnmpAuth) -> DeviceSample:
        return self.if_cache.poll(device, lambda columns: self._walk(device, columns, auth))

    async def poll(self, device: Device) -> DeviceSample:
        auth = self.auths.get(device.credential)
        if auth is None:
            raise PollError(PollErrorReason.CONFIG, f"unknown credential {device.credential!r}")
        if module_name("dyn", auth.name) not in self.modules:  # e.g. priv 3des: not in gosnmp
            sample: DeviceSample = await self.fallback().poll(device)
            return sample
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._poll_sync, device, auth)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self.exporter is not None:
            self.exporter.stop()
        self._http.clear()
        with self._fallback_lock:
            if self._fallback is not None:
                self._fallback.close()
                self._fallback = None
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None


__all__ = ["ExporterProcess", "SnmpExporterPoller", "classify_error", "exporter_config", "parse_exposition"]
