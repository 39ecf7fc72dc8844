"""Topology dependency labels on the collector's /metrics: ``metronet_topology_dependency_info``.

The alert rules (``alerts/prometheus/metronet.rules.yml``) join this info metric on ``(device, interface)``
to give link and device alerts the ``parent_device`` / ``upstream_link`` labels Alertmanager's inhibit
rules use, and the backbone alert its ``organizations``. The rows come from a JSON file written by
``python -m metronet_topology.alerts export`` (format ``metronet-alert-dependencies/1``)::

    {"format": "metronet-alert-dependencies/1", "generated_at": 1767225600.0,
     "rows": [{"device": "sw-agg", "interface": "Gi1/0/1", "parent_device": "sw-agg",
               "upstream_link": "sw-core:Te1/0/1", "organizations": ["Gymnázium Bílina"], "link_end": "near"}]}

The file is named by the environment variable ``METRONET_DEPENDENCIES_FILE`` (unset: nothing is exported,
the rules fall back to alerts without the labels). It is re-read at a scrape when its modification time
or size changed, so regenerating it with the inventory (write + rename) is enough; an unreadable or
invalid file keeps the last good rows and counts ``metronet_topology_dependencies_errors_total``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

ENV_VAR = "METRONET_DEPENDENCIES_FILE"
FORMAT = "metronet-alert-dependencies/1"
LABELS = ("device", "interface", "parent_device", "upstream_link", "organizations", "link_end")
ORGANIZATION_SEPARATOR = "; "
log = logging.getLogger(__name__)

Row = tuple[str, str, str, str, str, str]


class DependencyFileError(ValueError):
    """The dependency file is not a ``metronet-alert-dependencies/1`` document."""


def parse_document(data: Any) -> list[Row]:
    """Validate a parsed dependency document and return its rows as label tuples (in ``LABELS`` order)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DependencyFileError(f"expected an object with format {FORMAT!r}")
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise DependencyFileError("rows: expected a list")
    out: list[Row] = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("device"), str) or not row["device"]:
            raise DependencyFileError(f"rows[{i}].device: expected a non-empty string")
        values: list[str] = []
        for name in LABELS:
            value = row.get(name, [] if name == "organizations" else "")
            if name == "organizations":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise DependencyFileError(f"rows[{i}].organizations: expected a list of strings")
                value = ORGANIZATION_SEPARATOR.join(value)
            elif not isinstance(value, str):
                raise DependencyFileError(f"rows[{i}].{name}: expected a string")
            values.append(value)
        out.append((values[0], values[1], values[2], values[3], values[4], values[5]))
    return out


class DependencyInfoCollector(Collector):
    """A prometheus-client custom collector serving the rows of a dependency file (re-read on change)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._rows: list[Row] = []
        self._loaded_at = 0.0
        self._errors = 0

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
        except OSError as exc:
            if self._stamp is not None or self._errors == 0:
                log.warning("dependency file %s: %s (keeping %d rows)", self.path, exc.strerror, len(self._rows))
            self._stamp = None
            self._errors += 1
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            rows = parse_document(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            log.warning("dependency file %s: %s (keeping %d rows)", self.path, exc, len(self._rows))
            self._errors += 1
            return
        self._rows, self._loaded_at = rows, time.time()
        log.info("dependency file %s: %d rows", self.path, len(rows))

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        with self._lock:
            self._refresh()
            rows, loaded_at, errors = list(self._rows), self._loaded_at, self._errors
        info = GaugeMetricFamily(
            "metronet_topology_dependency_info",
            "Topology dependency labels of a device (interface empty) or a link end, for alert inhibition.",
            labels=LABELS,
        )
        for row in rows:
            info.add_metric(row, 1.0)
        yield info
        yield GaugeMetricFamily(
            "metronet_topology_dependencies_last_load_timestamp_seconds",
            "Unix time the dependency file was last loaded (0: never).",
            value=loaded_at,
        )
        yield CounterMetricFamily(
            "metronet_topology_dependencies_errors",
            "Failed reads of the dependency file (the last good rows are kept).",
            value=errors,
        )


def register_dependencies(registry: CollectorRegistry, path: str | None = None) -> DependencyInfoCollector | None:
    """Serve the dependency file ``path`` (default ``$METRONET_DEPENDENCIES_FILE``) on ``registry``."""
    path = path if path is not None else os.environ.get(ENV_VAR, "")
    if not path:
        return None
    collector = DependencyInfoCollector(Path(path))
    registry.register(collector)
    return collector
