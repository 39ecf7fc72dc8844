"""Where the list of devices comes from, and how it is kept fresh.

``StaticDeviceSource`` reads the ``devices`` of the config file; ``NetBoxDeviceSource``
(:mod:`metronet_collectors.netbox_source`) reads NetBox's REST API. :class:`InventoryRefresher` reloads a
source periodically: when the source fails it keeps the last known list (and counts the failure), and it
saves each good list to a cache file so that a collector restarted during a NetBox outage still polls.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import Device, InterfaceMeta

log = logging.getLogger(__name__)


class DeviceSource(Protocol):
    """Extension point: returns the current device list (raises on failure; the caller keeps the last list)."""

    name: str

    async def devices(self) -> Sequence[Device]: ...


class InventoryError(Exception):
    """The device source could not be read; ``reason`` is a metric label (unreachable, timeout, auth, …)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class InventoryProblem:
    """A device the source describes but that cannot be polled (it is left out; the others go on)."""

    device: str
    reason: str  # no_credential, unknown_credential, no_address, bad_port, duplicate_name, no_name
    message: str


class StaticDeviceSource:
    name = "static"

    def __init__(self, devices: Iterable[Device]) -> None:
        self._devices = list(devices)

    async def devices(self) -> Sequence[Device]:
        return list(self._devices)


def devices_to_json(devices: Iterable[Device]) -> list[dict[str, Any]]:
    return [asdict(d) for d in devices]


def devices_from_json(data: Any) -> list[Device]:
    devices = []
    for item in data:
        interfaces = {str(k): InterfaceMeta(**v) for k, v in (item.pop("interfaces", None) or {}).items()}
        devices.append(Device(**item, interfaces=interfaces))
    return devices


class InventoryRefresher:
    """Loads a :class:`DeviceSource`; on failure keeps the last known list (or the cached one at start)."""

    def __init__(self, source: DeviceSource, metrics: CollectorMetrics, cache_file: Path | None = None) -> None:
        self.source = source
        self.metrics = metrics
        self.cache_file = cache_file
        self.devices: list[Device] | None = None  # None: never loaded
        self.last_success: float | None = None

    async def refresh(self) -> list[Device] | None:
        """Reload; returns the list to poll (the last known one if the source failed), None if none yet."""
        try:
            devices = list(await self.source.devices())
        except InventoryError as exc:
            self._failed(exc.reason, str(exc))
        except Exception as exc:  # a bug in a source must not stop polling the last known list
            log.exception("device source %s failed", self.source.name)
            self._failed("internal", type(exc).__name__)
        else:
            self.devices = devices
            self.last_success = time.time()
            self.metrics.inventory_refresh.set(self.last_success)
            self._report_problems()
            self._save_cache(devices)
            return devices
        if self.devices is None:
            self.devices = self._load_cache()
        return self.devices

    def _failed(self, reason: str, message: str) -> None:
        self.metrics.inventory_errors.labels(source=self.source.name, reason=reason).inc()
        kept = "keeping the last known list" if self.devices is not None else "no device list yet"
        log.warning("device source %s failed (%s): %s; %s", self.source.name, reason, message, kept)

    def _report_problems(self) -> None:
        problems: list[InventoryProblem] = list(getattr(self.source, "problems", []))
        self.metrics.inventory_problems.clear()
        for problem in problems:
            self.metrics.inventory_problems.labels(device=problem.device, reason=problem.reason).set(1)

    def _save_cache(self, devices: list[Device]) -> None:
        if self.cache_file is None:
            return
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache_file.parent, prefix=".inventory-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"saved_at": time.time(), "devices": devices_to_json(devices)}, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.cache_file)
        except OSError as exc:
            log.warning("cannot save the inventory cache %s: %s", self.cache_file, exc.strerror)

    def _load_cache(self) -> list[Device] | None:
        if self.cache_file is None or not self.cache_file.exists():
            return None
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
            devices = devices_from_json(data["devices"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cannot read the inventory cache %s: %s", self.cache_file, type(exc).__name__)
            return None
        log.warning("using the cached device list from %s (%d devices)", self.cache_file, len(devices))
        self.metrics.inventory_refresh.set(float(data.get("saved_at", 0.0)))
        return devices
