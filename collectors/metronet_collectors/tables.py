"""Optics (DOM) and LLDP walks after a device's interface poll, with their own cadence and error counting.

Per device and poll, after the IF-MIB walk succeeded and within what is left of ``timeout_s``:

- **optics** (``snmp.optics``): the DOM sensor values (ENTITY-SENSOR-MIB + CISCO-ENTITY-SENSOR-MIB, one
  multi-column walk) every poll; the ENTITY-MIB map (names, containment, entAliasMapping → ifIndex) on the
  first poll, every ``ENTITY_REFRESH_POLLS`` polls and whenever a sensor appears that the map lacks;
- **LLDP** (``snmp.lldp_every: N``): lldpLocPortTable + lldpRemTable on the first poll and every Nth poll;
  the snapshot is also handed to the :class:`~metronet_collectors.lldp_report.LldpReporter` (when
  ``netbox.url`` is set and ``snmp.lldp_report`` is true), which posts it in the background.

A failing table walk is counted (``metronet_table_walk_errors_total{table,reason}``) and logged; the
device's interface points are written all the same. A poller that cannot walk tables (a test double) and
devices whose credential is not an SNMP one are skipped.

**Devices polled over SSH** (a ``napalm_driver`` while the config has a ``napalm`` section, or a sample
that came from the NAPALM/Netmiko poller) are never SNMP-walked: their poll already read optics and LLDP
(written by ``napalm_poller.extra_points``), so a walk would only duplicate those points and spend the
poll's time budget. Their LLDP neighbors go to the NetBox reporter like the walked ones, on the same
cadence (first and every ``snmp.lldp_every``-th successful poll; every poll when it is 0), when the
``lldp`` getter is configured (without it the poll reads no neighbors, and an empty snapshot would delete
the device's neighbors in NetBox).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from metronet_collectors.config import Config
from metronet_collectors.lldp import LLDP_COLUMNS, lldp_neighbors
from metronet_collectors.lldp_report import LldpReporter, LldpSnapshot
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import (
    Device,
    DeviceSample,
    LldpNeighbor,
    OpticsReading,
    PollError,
    PollErrorReason,
)
from metronet_collectors.napalm_base import CliDeviceSample
from metronet_collectors.optics import ENTITY_COLUMNS, SENSOR_COLUMNS, optics_readings
from metronet_collectors.snmp import TableWalker
from metronet_collectors.snmp_walk import Oid, Rows

log = logging.getLogger(__name__)
ENTITY_REFRESH_POLLS = 30


@dataclass
class TableResults:
    """What the extra walks of one poll produced (None: not walked this time, or failed)."""

    timestamp_ns: int
    optics: list[OpticsReading] | None = None
    lldp: list[LldpNeighbor] | None = None


class TablePoller:
    def __init__(self, config: Config, metrics: CollectorMetrics, poller: object) -> None:
        self.config = config
        self.metrics = metrics
        self.walker = poller if isinstance(poller, TableWalker) else None
        self.polls: dict[str, int] = {}  # device → successful polls so far
        self.entities: dict[str, tuple[Rows, int]] = {}  # device → (ENTITY-MIB rows, poll number)
        self.reporter: LldpReporter | None = None
        if config.netbox.url and config.netbox.token is not None and config.snmp.lldp_report:
            self.reporter = LldpReporter(
                config.netbox.url,
                str(config.netbox.token),
                metrics,
                timeout_s=config.netbox.timeout_s,
                verify_tls=config.netbox.verify_tls,
            )

    def start(self) -> None:
        if self.reporter is not None:
            self.reporter.start()

    async def stop(self) -> None:
        if self.reporter is not None:
            await self.reporter.stop()

    async def _walk(self, table: str, device: Device, columns: Mapping[str, Oid], budget_s: float) -> Rows | None:
        assert self.walker is not None
        self.metrics.table_walks.labels(table=table).inc()
        started = time.monotonic()
        try:
            if budget_s <= 0:
                raise TimeoutError
            return await asyncio.wait_for(self.walker.walk_table(device, columns), budget_s)
        except (TimeoutError, PollError) as exc:
            reason = exc.reason.value if isinstance(exc, PollError) else PollErrorReason.TIMEOUT.value
            self.metrics.table_walk_errors.labels(table=table, reason=reason).inc()
            log.warning("%s: %s walk failed (%s): %s", device.name, table, reason, exc or "no answer in time")
            return None
        except Exception as exc:
            self.metrics.table_walk_errors.labels(table=table, reason=PollErrorReason.INTERNAL.value).inc()
            log.exception("%s: unexpected error in the %s walk", device.name, table)
            del exc
            return None
        finally:
            self.metrics.table_walk_duration.labels(table=table).observe(time.monotonic() - started)

    def polled_over_ssh(self, device: Device, sample: DeviceSample) -> bool:
        """True for a device the NAPALM/Netmiko pollers poll (see with_ssh_pollers): no SNMP table walks."""
        return isinstance(sample, CliDeviceSample) or (self.config.napalm is not None and bool(device.napalm_driver))

    def _report_ssh_lldp(self, device: Device, sample: DeviceSample, count: int) -> None:
        napalm = self.config.napalm
        if self.reporter is None or not isinstance(sample, CliDeviceSample) or napalm is None:
            return
        if "lldp" not in napalm.getters or (count - 1) % max(1, self.config.snmp.lldp_every) != 0:
            return
        self.reporter.submit(LldpSnapshot(device.name, sample.timestamp_ns, list(sample.neighbors)))

    async def poll(self, device: Device, sample: DeviceSample, budget_s: float) -> TableResults:
        """Walk what is due for this device within `budget_s` seconds; never raises for a table failure."""
        results = TableResults(timestamp_ns=sample.timestamp_ns)
        if self.polled_over_ssh(device, sample):
            count = self.polls.get(device.name, 0) + 1
            self.polls[device.name] = count
            self._report_ssh_lldp(device, sample, count)
            return results
        if self.walker is None or device.credential not in self.config.auths:
            return results
        deadline = time.monotonic() + budget_s
        count = self.polls.get(device.name, 0) + 1
        self.polls[device.name] = count
        if_names = {itf.if_index: itf.if_name for itf in sample.interfaces}
        if self.config.snmp.optics:
            sensors = await self._walk("optics", device, SENSOR_COLUMNS, deadline - time.monotonic())
            if sensors is not None:
                sensor_ids = {index for column in sensors.values() for index in column}
                cached = self.entities.get(device.name)
                stale = cached is None or count - cached[1] >= ENTITY_REFRESH_POLLS
                if sensor_ids and (stale or not sensor_ids <= set(cached[0].get("name", {}) if cached else ())):
                    rows = await self._walk("entities", device, ENTITY_COLUMNS, deadline - time.monotonic())
                    if rows is not None:
                        self.entities[device.name] = cached = (rows, count)
                if cached is not None or not sensor_ids:
                    results.optics = optics_readings(cached[0] if cached else {}, sensors, if_names)
        every = self.config.snmp.lldp_every
        if every > 0 and (count - 1) % every == 0:
            rows = await self._walk("lldp", device, LLDP_COLUMNS, deadline - time.monotonic())
            if rows is not None:
                results.lldp = lldp_neighbors(rows, if_names)
                if self.reporter is not None:
                    self.reporter.submit(LldpSnapshot(device.name, sample.timestamp_ns, results.lldp))
        return results
