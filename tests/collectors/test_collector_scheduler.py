"""Scheduling: fixed interval, a stuck device delays nobody, overruns counted, stable sharding."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from metronet_collectors.model import Device
from metronet_collectors.scheduler import Scheduler, shard_devices, stable_hash


def test_slow_device_delays_nobody_and_overruns_are_counted():
    calls: dict[str, list[float]] = defaultdict(list)
    overruns: dict[str, int] = defaultdict(int)
    devices = [Device(f"sw{i}", "192.0.2.1") for i in range(5)] + [Device("slow", "192.0.2.2")]

    async def job(device: Device) -> None:
        calls[device.name].append(time.monotonic())
        await asyncio.sleep(0.55 if device.name == "slow" else 0.01)

    def on_overrun(device: Device, missed: int) -> None:
        overruns[device.name] += missed

    async def main() -> None:
        scheduler = Scheduler(job, interval_s=0.2, concurrency=3, on_overrun=on_overrun)
        scheduler.set_devices(devices)
        await asyncio.sleep(1.25)
        await scheduler.stop()

    asyncio.run(main())
    for i in range(5):
        times = calls[f"sw{i}"]
        assert len(times) >= 5
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert max(gaps) < 0.3 and min(gaps) > 0.1, gaps
    assert 2 <= len(calls["slow"]) <= 3
    assert overruns["slow"] >= 2 and sum(overruns.values()) == overruns["slow"]


def test_stable_hash_sharding():
    devices = [Device(f"dev-{i}", "192.0.2.1") for i in range(1000)]
    shards = [shard_devices(devices, i, 3) for i in range(3)]
    assert sum(len(s) for s in shards) == 1000
    assert all(250 < len(s) < 420 for s in shards)
    assert stable_hash("bil-core-1") == 0xEABE7871B0E7A328  # sha256-based: the same in every process
    # adding a fourth replica moves devices, but assignment depends only on the name
    assert shard_devices(devices[:10], 0, 3) == [d for d in shards[0] if d in devices[:10]]
