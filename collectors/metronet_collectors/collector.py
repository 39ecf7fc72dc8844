"""Wires the stages together: device source → scheduler → poller → rates → points → pipeline (spool, sink)."""

from __future__ import annotations

import asyncio
import logging
import time

from metronet_collectors.config import Config
from metronet_collectors.engines import make_poller
from metronet_collectors.inventory import DeviceSource, InventoryRefresher, StaticDeviceSource
from metronet_collectors.lineprotocol import encode_points
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import Device, PollError, PollErrorReason
from metronet_collectors.napalm_poller import extra_points, with_ssh_pollers
from metronet_collectors.pipeline import Pipeline
from metronet_collectors.rates import RateCalculator, SkipReason
from metronet_collectors.scheduler import Scheduler, shard_devices
from metronet_collectors.schema import lldp_points, optics_points, sample_points, unreachable_point
from metronet_collectors.sinks import Sink, make_sink
from metronet_collectors.snmp import Poller
from metronet_collectors.spool import Spool
from metronet_collectors.tables import TablePoller

log = logging.getLogger(__name__)


def make_source(config: Config) -> DeviceSource:
    """The NetBox source when ``netbox.url`` is set, else the static ``devices`` of the config."""
    if config.netbox.url:
        from metronet_collectors.netbox_source import NetBoxDeviceSource  # pynetbox only when used

        return NetBoxDeviceSource(
            config.netbox, config.auths.keys(), default_port=config.snmp.port, napalm=config.napalm
        )
    return StaticDeviceSource(config.devices)


class Collector:
    def __init__(
        self,
        config: Config,
        metrics: CollectorMetrics,
        source: DeviceSource | None = None,
        poller: Poller | None = None,
        sink: Sink | None = None,
    ) -> None:
        self.config = config
        self.metrics = metrics
        self.source = source or make_source(config)
        self.inventory = InventoryRefresher(self.source, metrics, cache_file=config.netbox.cache_file)
        snmp_poller = poller or make_poller(config.auths, config.snmp, walk_timeout_s=config.timeout_s)
        self.poller = poller or with_ssh_pollers(config, snmp_poller)
        self.rates = RateCalculator(max_gap_s=max(3600.0, 10 * config.interval_s))
        # optics and LLDP walks of SNMP-polled devices; LLDP reports of all devices (SSH ones included)
        self.tables = TablePoller(config, metrics, snmp_poller)
        self._sink = sink
        self.pipeline: Pipeline | None = None
        self.devices: list[Device] = []
        self.last_errors: dict[str, str] = {}  # device name → message of its last failed poll

    async def poll_device(self, device: Device) -> list[str]:
        """Poll one device; returns its line-protocol lines (also for failures: a reachable=0 point)."""
        started = time.monotonic()
        self.metrics.polls.labels(device=device.name).inc()
        try:
            sample = await asyncio.wait_for(self.poller.poll(device), self.config.timeout_s)
            extra = await self.tables.poll(device, sample, self.config.timeout_s - (time.monotonic() - started))
        except (TimeoutError, PollError) as exc:
            reason = exc.reason if isinstance(exc, PollError) else PollErrorReason.TIMEOUT
            message = str(exc) or f"{device.name}: no complete answer within {self.config.timeout_s} s"
            return self._failed(device, started, reason, message)
        except Exception as exc:
            log.exception("%s: unexpected error while polling", device.name)
            return self._failed(device, started, PollErrorReason.INTERNAL, f"{type(exc).__name__}")
        duration = time.monotonic() - started
        self.metrics.poll_duration.observe(duration)
        self.last_errors.pop(device.name, None)
        rates = self.rates.update(sample)
        for rate in rates.values():
            if isinstance(rate, SkipReason) and rate is not SkipReason.FIRST:
                self.metrics.rate_skips.labels(reason=rate.value).inc()
        for itf in sample.interfaces:
            meta = device.interface_meta(itf.if_name)
            self.metrics.link_oper_up.labels(
                device=device.name,
                interface=itf.if_name,
                organization=meta.organization or device.organization,
                role=meta.role,
            ).set(1 if itf.oper_status == 1 else 0)
        points = sample_points(sample, rates) + extra_points(sample)
        if extra.optics is not None:
            points += optics_points(device, extra.optics, extra.timestamp_ns)
        if extra.lldp is not None:
            points += lldp_points(device, extra.lldp, extra.timestamp_ns)
        return encode_points(points)

    def _failed(self, device: Device, started: float, reason: PollErrorReason, message: str) -> list[str]:
        duration = time.monotonic() - started
        self.metrics.poll_duration.observe(duration)
        self.metrics.poll_errors.labels(reason=reason.value, device=device.name).inc()
        log.warning("poll failed (%s): %s", reason.value, message)
        self.last_errors[device.name] = f"{reason.value}: {message}"
        return encode_points([unreachable_point(device, duration, time.time_ns())])

    async def _job(self, device: Device) -> None:
        lines = await self.poll_device(device)
        if self.pipeline is not None:
            self.pipeline.submit(lines)

    async def load_devices(self) -> list[Device] | None:
        """This shard's devices from the source; the last known list if it fails; None if there is none yet."""
        devices = await self.inventory.refresh()
        if devices is None:
            return None
        mine = shard_devices(devices, self.config.shard_index, self.config.shard_count)
        self.metrics.devices.set(len(mine))
        return mine

    def refresh_interval_s(self) -> float:
        return self.config.netbox.refresh_s if self.config.netbox.url else 0.0

    async def _refresh_loop(self, scheduler: Scheduler) -> None:
        """Reload the device list every netbox.refresh_s (every 10 s at most while there is none yet)."""
        while True:
            wait = self.refresh_interval_s()
            if self.inventory.devices is None:
                wait = min(wait, 10.0)
            await asyncio.sleep(wait)
            devices = await self.load_devices()
            if devices is not None:
                if [d.name for d in devices] != [d.name for d in self.devices]:
                    log.info("device list changed: %d devices", len(devices))
                self.devices = devices
                scheduler.set_devices(devices)

    def open_pipeline(self) -> Pipeline:
        spool = Spool(
            self.config.spool.directory,
            max_bytes=self.config.spool.max_bytes,
            segment_bytes=self.config.spool.segment_bytes,
            compress=self.config.spool.compress,
            on_drop=lambda points, reason: self.metrics.points_dropped.labels(reason=reason).inc(points),
        )
        sink = self._sink or make_sink(self.config.sink)
        self.pipeline = Pipeline(
            spool,
            sink,
            self.metrics,
            batch_lines=self.config.sink.batch_lines,
            retry_initial_s=self.config.sink.retry_initial_s,
            retry_max_s=self.config.sink.retry_max_s,
        )
        return self.pipeline

    async def run(self, stop: asyncio.Event, drain_timeout_s: float = 5.0) -> None:
        """Poll until `stop` is set; then spool what is in memory and try briefly to send it."""
        pipeline = self.open_pipeline()
        pipeline.start()
        self.tables.start()
        self.devices = await self.load_devices() or []
        log.info(
            "polling %d devices every %.0f s (shard %d of %d), writing to %s",
            len(self.devices),
            self.config.interval_s,
            self.config.shard_index,
            self.config.shard_count,
            pipeline.sink.name,
        )
        scheduler = Scheduler(
            self._job,
            self.config.interval_s,
            self.config.jitter_s,
            self.config.concurrency,
            on_overrun=lambda device, missed: self.metrics.overruns.labels(device=device.name).inc(missed),
        )
        scheduler.set_devices(self.devices)
        refresher = asyncio.create_task(self._refresh_loop(scheduler)) if self.refresh_interval_s() > 0 else None
        try:
            await stop.wait()
        finally:
            if refresher is not None:
                refresher.cancel()
                await asyncio.gather(refresher, return_exceptions=True)
            await scheduler.stop()
            await self.tables.stop()
            await pipeline.drain(drain_timeout_s)
            await pipeline.stop()
            pipeline.sink.close()
            pipeline.spool.close()
            self.poller.close()
