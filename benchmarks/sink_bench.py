"""Sink benchmark: points/s through the collector's spool + sink path vs a raw HTTP write of the same batches.

    .venv/bin/python benchmarks/sink_bench.py [--points 100000] [--rounds 5] [--batch 5000]

Starts a throwaway InfluxDB 1.6.7 (Debian ``influxdb``) and VictoriaMetrics (Debian ``victoria-metrics``)
on free loopback ports, with the test suite's helpers (tests/collectors/collector_services.py,
test_collector_sink_v2.py), and generates ``--points`` realistic ``interface`` lines (the collector's own
schema and line protocol: 48-port devices, tags with Czech names, counters and rates) plus one ``device``
line per poll. Then, in the same run, alternating round by round so that noise hits both alike:

- **collector v1**: every poll's lines are ``submit``-ted to the collector's ``Pipeline`` (spool append +
  fsync, read back in batches of ``--batch`` lines, ``InfluxV1Sink`` POST ``/write``), timed from the first
  submit until the sink acknowledged the last point;
- **raw v1**: the same lines, grouped into the same batch sizes, POSTed to ``/write`` with urllib3 from one
  thread (no spool);
- **collector v2** / **raw v2** (plain and gzip): the same against VictoriaMetrics' ``/api/v2/write`` —
  the collector through ``InfluxV2Sink`` (influxdb-client's write service, one joined body per batch) with
  ``sink.gzip: false`` (the default) and ``true`` (gzip level 1, as the raw gzip run);
- **spool bytes/point**: the spool's size on disk after appending every poll (records of 4-byte length,
  CRC and count + the lines, zlib level 1 compressed: ``spool.compress``, the default), and the same polls
  spooled uncompressed (``spool.compress: false``, the previous format) for comparison;
- **replay**: the spool filled while the server is "down" (the points appended before the pipeline
  starts), then drained by the pipeline to InfluxDB 1.6.7: the replay rate after an outage.

Every series is created once before timing (steady state: the same network polled every minute); each
run writes new timestamps. The final count in InfluxDB is checked (the run fails if a point is missing).
Medians are printed, and each collector run is compared with the raw run of the same round (they run
back to back, ABBA order across rounds): the median of those ratios and their range. Compare ratios, not
absolute figures (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import urllib3
from prometheus_client import CollectorRegistry

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "collectors"), str(ROOT / "tests" / "collectors")]

from collector_services import InfluxDB  # noqa: E402 - the test suite's helpers, see the docstring
from test_collector_sink_v2 import VictoriaMetrics  # noqa: E402

from metronet_collectors.config import Secret, SinkConfig  # noqa: E402
from metronet_collectors.lineprotocol import encode_points  # noqa: E402
from metronet_collectors.metrics import CollectorMetrics  # noqa: E402
from metronet_collectors.model import Device, DeviceSample, InterfaceMeta, InterfaceRates, InterfaceSample  # noqa: E402
from metronet_collectors.pipeline import Pipeline  # noqa: E402
from metronet_collectors.schema import sample_points  # noqa: E402
from metronet_collectors.sinks import InfluxV1Sink, InfluxV2Sink, Sink  # noqa: E402
from metronet_collectors.spool import Spool  # noqa: E402

PORTS = 48
V2_PLAIN = "collector v2 (spool + InfluxV2Sink)"
V2_GZIP = "collector v2 (spool + InfluxV2Sink, gzip 1)"
FULL_LOAD_DEVICES = 5000
INTERVAL_S = 60


def make_polls(points: int, run: int = 0) -> list[list[str]]:
    """Lines of `points` interface points (48 per device poll, + 1 device point per poll) in the real schema.

    The same series in every run (500 devices: steady state, as a collector polling the same network), with
    timestamps 10 minutes apart between runs so that every run writes new points.
    """
    polls = []
    t0 = 1_790_000_000_000_000_000 + run * 600_000_000_000
    n_polls = max(1, points // PORTS)
    for p in range(n_polls):
        name = f"sw-{p % 500:03d}-bilina"
        device = Device(
            name=name,
            address="10.0.0.1",
            site=f"ZŠ Lidická {p % 500}",
            role="access",
            organization="Město Bílina",
            interfaces={f"GigabitEthernet1/0/{i}": InterfaceMeta("access", f"Organizace č. {i}") for i in (1, 2)},
        )
        interfaces = [
            InterfaceSample(
                if_index=i,
                if_name=f"GigabitEthernet1/0/{i}",
                in_octets=123_456_789_012 + p * 1000 + i,
                out_octets=98_765_432_109 + p * 1000 + i,
                counter_bits=64,
                in_errors=i,
                out_errors=0,
                in_discards=3,
                out_discards=0,
                oper_status=1,
                admin_status=1,
                speed_mbps=1000,
                discontinuity_ticks=0,
            )
            for i in range(1, PORTS + 1)
        ]
        rates = {
            itf.if_name: InterfaceRates(12_345_678.9 + i, 2_345_678.1, 0.0, 0.0, 0.05, 0.0)
            for i, itf in enumerate(interfaces)
        }
        sample = DeviceSample(device, t0 + p * 1_000_000_000, 123_456_789, 0.25, interfaces)
        polls.append(encode_points(sample_points(sample, rates)))  # type: ignore[arg-type]
    return polls


def batches_of(polls: list[list[str]], size: int) -> list[bytes]:
    lines = [line for poll in polls for line in poll]
    return ["\n".join(lines[i : i + size]).encode() for i in range(0, len(lines), size)]


def raw_write(url: str, bodies: list[bytes], headers: dict[str, str], compress: bool = False) -> float:
    http = urllib3.PoolManager(maxsize=1, retries=False, timeout=urllib3.Timeout(total=60))
    started = time.perf_counter()
    for body in bodies:
        data = gzip.compress(body, compresslevel=1) if compress else body
        response = http.request("POST", url, body=data, headers=headers)
        if response.status not in (200, 204):
            raise RuntimeError(f"raw write: HTTP {response.status}: {response.data[:200]!r}")
    elapsed = time.perf_counter() - started
    http.clear()
    return elapsed


async def pipeline_write(sink: Sink, polls: list[list[str]], spool_dir: Path, batch: int) -> tuple[float, int]:
    """Seconds from the first submit until the sink acknowledged every point; spool bytes at the peak."""
    spool = Spool(spool_dir, max_bytes=8 << 30, segment_bytes=64 << 20)
    pipeline = Pipeline(spool, sink, CollectorMetrics(CollectorRegistry()), batch_lines=batch, retry_initial_s=0.1)
    total = sum(len(p) for p in polls)
    started = time.perf_counter()
    pipeline.start()
    for poll in polls:
        pipeline.submit(poll)
    peak = 0
    while pipeline.points_written < total:
        peak = max(peak, spool.size_bytes)
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    await pipeline.stop()
    spool.close()
    return elapsed, peak


def plain_spool_bytes(polls: list[list[str]], spool_dir: Path) -> int:
    """Bytes on disk of the same polls spooled uncompressed (spool.compress: false), as `replay` fills it."""
    spool = Spool(spool_dir, max_bytes=8 << 30, segment_bytes=64 << 20, compress=False)
    for i in range(0, len(polls), 100):
        spool.append(polls[i : i + 100])
    size = spool.size_bytes
    spool.close()
    return size


async def replay(sink: Sink, polls: list[list[str]], spool_dir: Path, batch: int) -> tuple[float, int]:
    """Fill the spool as during an outage (one record per poll, group commits), then time the drain."""
    spool = Spool(spool_dir, max_bytes=8 << 30, segment_bytes=64 << 20)
    for i in range(0, len(polls), 100):
        spool.append(polls[i : i + 100])
    size = spool.size_bytes
    pipeline = Pipeline(spool, sink, CollectorMetrics(CollectorRegistry()), batch_lines=batch, retry_initial_s=0.1)
    total = spool.pending_points
    started = time.perf_counter()
    pipeline.start()
    while pipeline.points_written < total:
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    await pipeline.stop()
    spool.close()
    return elapsed, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000, help="interface points per measurement")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=5000, help="lines per HTTP write (sink.batch_lines)")
    args = parser.parse_args()

    polls = make_polls(args.points)
    total = sum(len(p) for p in polls)
    line_bytes = sum(len(line) + 1 for poll in polls for line in poll) / total
    bodies = batches_of(polls, args.batch)  # for the sizes printed below
    results: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        results.setdefault(name, []).append(total / seconds)

    with tempfile.TemporaryDirectory(prefix="metronet-sink-bench-") as tmp_text:
        tmp = Path(tmp_text)
        influx = InfluxDB(tmp / "influxdb")
        (tmp / "vm").mkdir()
        vm = VictoriaMetrics(tmp / "vm")
        influx.start()
        vm.start()
        try:
            influx.create_database("bench")
            v1 = SinkConfig(url=influx.url, database="bench", batch_lines=args.batch, timeout_s=60)
            v1_url = f"{influx.url}/write?db=bench&precision=ns"
            v2 = SinkConfig(type="influxdb_v2", url=vm.url, org="metronet", bucket="b", token=Secret("t"), timeout_s=60)
            v2_url = f"{vm.url}/api/v2/write?org=metronet&bucket=b&precision=ns"
            v2_headers = {"Content-Type": "text/plain", "Authorization": "Token t"}
            # warm-up: create every series once on both servers (steady state: the network is polled every minute)
            raw_write(v1_url, batches_of(make_polls(args.points, 0), args.batch), {"Content-Type": "text/plain"})
            raw_write(v2_url, batches_of(make_polls(args.points, 0), args.batch), v2_headers)
            spool_bytes = 0
            replay_size = 0
            plain_size = plain_spool_bytes(make_polls(args.points, 0), tmp / "spool-plain")
            run = 0
            for r in range(args.rounds):
                order = ("raw", "collector", "gzip", "collector2gz", "raw2", "collector2", "replay")
                for kind in order if r % 2 == 0 else tuple(reversed(order)):
                    run += 1
                    polls = make_polls(args.points, run)
                    bodies = batches_of(polls, args.batch)
                    if kind == "raw":
                        record("raw v1 /write", raw_write(v1_url, bodies, {"Content-Type": "text/plain"}))
                    elif kind == "collector":
                        sink: Sink = InfluxV1Sink(v1)
                        seconds, peak = asyncio.run(pipeline_write(sink, polls, tmp / f"spool-{run}", args.batch))
                        sink.close()
                        record("collector v1 (spool + InfluxV1Sink)", seconds)
                        spool_bytes = max(spool_bytes, peak)
                    elif kind == "replay":
                        sink = InfluxV1Sink(v1)
                        seconds, replay_size = asyncio.run(replay(sink, polls, tmp / f"spool-{run}", args.batch))
                        sink.close()
                        record("replay after outage (spool → InfluxV1Sink)", seconds)
                    elif kind in ("collector2", "collector2gz"):
                        compress = kind == "collector2gz"
                        sink = InfluxV2Sink(replace(v2, gzip=compress))
                        seconds, _ = asyncio.run(pipeline_write(sink, polls, tmp / f"spool-{run}", args.batch))
                        sink.close()
                        record(V2_GZIP if compress else V2_PLAIN, seconds)
                    elif kind == "raw2":
                        record("raw v2 /api/v2/write", raw_write(v2_url, bodies, v2_headers))
                    else:
                        headers = {**v2_headers, "Content-Encoding": "gzip"}
                        record("raw v2 /api/v2/write (gzip)", raw_write(v2_url, bodies, headers, compress=True))
            stored = influx.count("bench", "interface", "in_octets")
            expected = (3 * args.rounds + 1) * sum(
                1 for poll in polls for line in poll if line.startswith("interface,")
            )
            if stored != expected:
                print(f"ERROR: InfluxDB holds {stored} interface points of {expected}", file=sys.stderr)
                return 1
        finally:
            vm.stop()
            influx.stop()

    med = {name: statistics.median(values) for name, values in results.items()}
    fields = sum(line.split(" ")[-2].count("=") for poll in polls for line in poll) / total
    print(f"{total} points per run ({len(polls)} polls of {PORTS} interfaces + 1 device point, ", end="")
    print(f"{fields:.1f} fields/point), ", end="")
    print(
        f"{len(bodies)} batches of ≤ {args.batch} lines, {line_bytes:.0f} bytes/line, {args.rounds} rounds (medians)\n"
    )
    print(f"{'path':<46}{'points/s':>12}  {'vs raw: median of per-round ratios (min–max)'}")
    pairs = [
        ("raw v1 /write", ""),
        ("collector v1 (spool + InfluxV1Sink)", "raw v1 /write"),
        ("replay after outage (spool → InfluxV1Sink)", "raw v1 /write"),
        ("raw v2 /api/v2/write", ""),
        ("raw v2 /api/v2/write (gzip)", "raw v2 /api/v2/write"),
        (V2_PLAIN, "raw v2 /api/v2/write"),
        (V2_GZIP, "raw v2 /api/v2/write (gzip)"),
        (V2_GZIP, "raw v2 /api/v2/write"),
    ]
    for n, (name, ref) in enumerate(pairs):
        label = name if n < len(pairs) - 1 else "  … vs raw v2 without gzip"
        if not ref:
            print(f"{label:<46}{med[name]:>12,.0f}  1.00")
            continue
        ratios = [a / b for a, b in zip(results[name], results[ref], strict=True)]  # same round = neighbours
        spread = f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
        rate = f"{med[name]:>12,.0f}" if label == name else " " * 12
        print(f"{label:<46}{rate}  {spread}")
    per_point = replay_size / total
    load = FULL_LOAD_DEVICES * (PORTS + 1) / INTERVAL_S
    day = per_point * load * 86400
    print(
        f"\nspool on disk: {per_point:.1f} bytes/point compressed (zlib 1), {plain_size / total:.0f} uncompressed "
        f"(peak while sending: {spool_bytes / 1e6:.1f} MB)"
    )
    backlog = load * 86400
    replay_rate = med["replay after outage (spool → InfluxV1Sink)"]
    catch_up = (
        f"caught up in {backlog / (replay_rate - load) / 3600:.1f} h "
        f"(replay {replay_rate:,.0f}/s minus live {load:,.0f}/s)"
        if replay_rate > load
        else f"never caught up by this server: replay {replay_rate:,.0f}/s ≤ live {load:,.0f}/s"
    )
    print(
        f"24 h outage at full load ({FULL_LOAD_DEVICES} devices × {PORTS} ports / {INTERVAL_S} s = {load:,.0f} "
        f"points/s): {backlog / 1e6:,.0f} M points = {day / 1e9:,.0f} GB of spool (spool.max_bytes); {catch_up}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
