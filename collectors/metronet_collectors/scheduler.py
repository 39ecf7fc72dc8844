"""Fixed-interval scheduling with jitter, a concurrency limit, overrun counting and stable-hash sharding.

Each device runs in its own task with its own clock::

    t0 + phase(device) + k·interval + U(0, jitter)      phase = stable hash of the name, spread over the interval

so polls are spread evenly and a slow or dead device only ever delays itself: the job is bounded by the
per-device timeout (applied by the job), and slots it misses meanwhile are skipped and counted as
overruns rather than run late in a burst. A semaphore caps the polls in flight.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable

from metronet_collectors.model import Device

log = logging.getLogger(__name__)


def stable_hash(name: str) -> int:
    """64-bit hash of a device name, the same in every process and Python version (unlike hash())."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")


def shard_devices(devices: Iterable[Device], index: int, count: int) -> list[Device]:
    """The devices replica `index` of `count` polls (as Prometheus' hashmod relabelling does)."""
    return [d for d in devices if stable_hash(d.name) % count == index]


class Scheduler:
    def __init__(
        self,
        job: Callable[[Device], Awaitable[None]],
        interval_s: float,
        jitter_s: float = 0.0,
        concurrency: int = 32,
        on_overrun: Callable[[Device, int], None] | None = None,
        spread: bool = True,
    ) -> None:
        self.job = job
        self.interval_s = interval_s
        self.jitter_s = jitter_s
        self.semaphore = asyncio.Semaphore(concurrency)
        self.on_overrun = on_overrun or (lambda device, missed: None)
        self.spread = spread
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._devices: dict[str, Device] = {}

    def phase(self, device: Device) -> float:
        return (stable_hash(device.name) / 2**64) * self.interval_s if self.spread else 0.0

    def set_devices(self, devices: Iterable[Device]) -> None:
        """Start tasks for new devices and stop those of removed ones (for an inventory refresh).

        A device that stays keeps its task and phase; its next poll uses the new attributes (address,
        credential, interface roles and organizations).
        """
        wanted = {d.name: d for d in devices}
        for name in list(self._tasks):
            if name not in wanted:
                self._tasks.pop(name).cancel()
                self._devices.pop(name, None)
        start = time.monotonic()
        self._devices.update(wanted)
        for name, device in wanted.items():
            if name not in self._tasks:
                self._tasks[name] = asyncio.create_task(self._loop(name, start + self.phase(device)))

    @property
    def devices(self) -> list[Device]:
        return list(self._devices.values())

    async def _loop(self, name: str, next_at: float) -> None:
        while True:
            device = self._devices.get(name)
            if device is None:
                return
            delay = next_at + (random.uniform(0, self.jitter_s) if self.jitter_s else 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            async with self.semaphore:
                device = self._devices.get(name, device)  # the latest inventory's view of it
                try:
                    await self.job(device)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a job reports its own failures; this is a last resort
                    log.exception("poll of %s failed unexpectedly", device.name)
            next_at += self.interval_s
            now = time.monotonic()
            if now > next_at:
                missed = int((now - next_at) // self.interval_s) + 1
                next_at += missed * self.interval_s
                self.on_overrun(device, missed)

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        self._devices.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
