"""Choosing the SNMP engine behind the :class:`~metronet_collectors.snmp.Poller` protocol (``snmp.engine``).

=================  ========================================================================================
``ezsnmp``         net-snmp C library (ezsnmp), v2c and v3, blocking calls in a bounded thread pool
``pysnmp``         pysnmp 7 v1arch for v2c (lean, asyncio), v3arch for v3 devices
``pysnmp-v3arch``  pysnmp 7 v3arch for every device (the first engine; kept for comparison)
``snmp-exporter``  a local prometheus-snmp-exporter (Go) walks, the collector scrapes it over HTTP
                   (snmp_exporter_engine.py); optics and LLDP walks stay on ezsnmp / pysnmp
``auto``           the fastest engine measured by ``benchmarks/collector_bench.py`` that is installed:
                   :data:`AUTO_ORDER` (figures in docs/collectors.md)
=================  ========================================================================================
"""

from __future__ import annotations

import importlib.util
import shutil

from metronet_collectors.config import SnmpAuth, SnmpOptions
from metronet_collectors.snmp import Poller, PysnmpPoller

AUTO_ORDER = ("snmp-exporter", "ezsnmp", "pysnmp")  # fastest first, by CPU-s per 1,000 interfaces at 50 agents


def _installed(candidate: str, exporter_binary: str) -> bool:
    if candidate == "ezsnmp":
        return importlib.util.find_spec("ezsnmp") is not None
    if candidate == "snmp-exporter":
        return shutil.which(exporter_binary) is not None
    return True


def resolve_engine(engine: str, exporter_binary: str = "prometheus-snmp-exporter") -> str:
    """The concrete engine for a configured ``snmp.engine`` (``auto`` → the first installed of AUTO_ORDER)."""
    if engine != "auto":
        return engine
    for candidate in AUTO_ORDER:
        if _installed(candidate, exporter_binary):
            return candidate
    return "pysnmp"


def make_poller(auths: dict[str, SnmpAuth], options: SnmpOptions, walk_timeout_s: float = 60.0) -> Poller:
    """The poller of ``options.engine``; `walk_timeout_s` bounds a walk the caller stopped waiting for (ezsnmp
    runs walks in threads, which cannot be cancelled; the asyncio engines are cancelled with the caller)."""
    engine = resolve_engine(options.engine, options.exporter.binary)
    if engine == "snmp-exporter":
        from metronet_collectors.snmp_exporter_engine import SnmpExporterPoller

        return SnmpExporterPoller(auths, options, walk_timeout_s=walk_timeout_s)
    if engine == "ezsnmp":
        from metronet_collectors.snmp_ezsnmp import EzsnmpPoller  # the C extension only when chosen

        return EzsnmpPoller(auths, options, walk_timeout_s=walk_timeout_s)
    if engine == "pysnmp":
        from metronet_collectors.snmp_v1arch import PysnmpV1Poller

        return PysnmpV1Poller(auths, options)
    if engine == "pysnmp-v3arch":
        return PysnmpPoller(auths, options)
    raise ValueError(f"snmp.engine: unknown engine {engine!r}")
