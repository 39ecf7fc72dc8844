"""From produced lines to InfluxDB: spool first (durable), then send in order with retries and backoff.

::

    submit(lines) ──▶ memory list ──(spool task: append + fsync, group commit)──▶ Spool
                                                                                   │ read_batch (oldest first)
                                       sink.write ◀──(send task: backoff on error)─┘ commit after success

Polling never waits for either task: ``submit`` only appends to a list. Replay after an outage is the
normal send loop working through the backlog one bounded batch at a time (each batch in a worker thread),
so the event loop — and with it live polling — keeps running; live points are spooled behind the backlog
and so stay in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time

from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.sinks import Sink, SinkError
from metronet_collectors.spool import Spool

log = logging.getLogger(__name__)


class Pipeline:
    def __init__(
        self,
        spool: Spool,
        sink: Sink,
        metrics: CollectorMetrics,
        batch_lines: int = 5000,
        retry_initial_s: float = 1.0,
        retry_max_s: float = 60.0,
    ) -> None:
        self.spool = spool
        self.sink = sink
        self.metrics = metrics
        self.batch_lines = batch_lines
        self.retry_initial_s = retry_initial_s
        self.retry_max_s = retry_max_s
        self._pending: list[list[str]] = []
        self._pending_points = 0
        self._wake_spool = asyncio.Event()
        self._wake_send = asyncio.Event()
        self._idle = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.points_written = 0
        self.points_spooled = 0

    def submit(self, lines: list[str]) -> None:
        """Hand over the lines of one poll; never blocks."""
        if not lines:
            return
        self._pending.append(lines)
        self._pending_points += len(lines)
        self._idle.clear()
        self._wake_spool.set()
        self._update_gauges()

    def _update_gauges(self) -> None:
        self.metrics.points_queued.set(self._pending_points + self.spool.pending_points)
        self.metrics.spool_bytes.set(self.spool.size_bytes)

    def start(self) -> None:
        self._update_gauges()
        self._tasks = [asyncio.create_task(self._spool_loop()), asyncio.create_task(self._send_loop())]

    async def _spool_loop(self) -> None:
        while True:
            await self._wake_spool.wait()
            self._wake_spool.clear()
            batches, self._pending = self._pending, []
            points = sum(len(b) for b in batches)
            try:
                await asyncio.to_thread(self.spool.append, batches)
                self.points_spooled += points
            except OSError as exc:
                log.error("spool: cannot append %d points: %s", points, exc)
                self.metrics.points_dropped.labels(reason="spool_error").inc(points)
            self._pending_points -= points
            self._update_gauges()
            self._wake_send.set()

    async def _send_loop(self) -> None:
        delay = self.retry_initial_s
        while True:
            batch = await asyncio.to_thread(self.spool.read_batch, self.batch_lines)
            if batch is None:
                # Idle only when nothing is queued *or being appended* (the spool loop takes `_pending` before
                # its append finishes; `_pending_points` drops only after it), else drain() returns too early.
                if not self._pending and self._pending_points == 0:
                    self._idle.set()
                self._wake_send.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake_send.wait(), timeout=1.0)
                continue
            try:
                await self.sink.write(batch.lines)
            except SinkError as exc:
                self.metrics.sink_errors.labels(retryable=str(exc.retryable).lower()).inc()
                if exc.retryable:
                    log.warning("%s; %d points kept in the spool, retrying in %.1f s", exc, batch.points, delay)
                    await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                    delay = min(delay * 2, self.retry_max_s)
                    continue
                log.error("%s; dropping a batch of %d points the server rejected", exc, batch.points)
                self.metrics.points_dropped.labels(reason="rejected").inc(batch.points)
            else:
                self.points_written += batch.points
                self.metrics.points_written.inc(batch.points)
                self.metrics.last_write.set(time.time())
            delay = self.retry_initial_s
            await asyncio.to_thread(self.spool.commit, batch)
            self._update_gauges()

    async def drain(self, timeout: float) -> bool:
        """Wait until everything submitted has been written (True) or `timeout` passed (False)."""
        self._wake_send.set()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """Spool what is still in memory, then stop; unsent points stay in the spool for the next start."""
        if self._pending:
            batches, self._pending = self._pending, []
            await asyncio.to_thread(self.spool.append, batches)
            self.points_spooled += sum(len(b) for b in batches)
            self._pending_points = 0
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
