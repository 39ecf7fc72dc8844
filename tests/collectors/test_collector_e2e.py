"""End to end: simulated agents → collector → real InfluxDB 1.6.7, with dead/slow agents and outages."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from collector_services import InfluxDB, free_tcp_port
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import parse_config
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.sim import SimInterface
from metronet_collectors.sim.agent import free_udp_port
from metronet_collectors.spool import Spool

ROOT = Path(__file__).resolve().parents[2]
RATE_IN, RATE_OUT = 2.4e8, 6.0e7


def healthy_interfaces() -> list[SimInterface]:
    return [SimInterface("xe-0/0/1", RATE_IN, RATE_OUT, speed_mbps=10000), SimInterface("ge-0/0/2", 8e6, 8e6)]


def test_healthy_dead_and_slow_agents_into_influxdb(sim_agent, config_dict, influxdb, influx_db):
    agents = [("sw1", sim_agent("sw1", healthy_interfaces())[1], "v2")]
    sw1_device = Path(agents[0][1].device.path)
    agents += [(f"sw{i}", sim_agent(f"sw{i}", healthy_interfaces())[1], "v2") for i in (2, 3)]
    agents.append(("core", sim_agent("core", healthy_interfaces(), v3=True)[1], "v3"))
    slow_device, slow_agent = sim_agent("slow", healthy_interfaces())
    slow_device.set_delay(0.3)  # answers, slowly (the request timeout is 0.4 s)
    agents += [("slow", slow_agent, "v2"), ("dead", free_udp_port(), "v2")]
    interfaces = {"sw1": {"ge-0/0/2": {"role": "access", "organization": "ZŠ Za Chlumem"}}}
    config = parse_config(config_dict(agents, influxdb.url, influx_db, interfaces=interfaces))
    registry = CollectorRegistry()
    collector = Collector(config, CollectorMetrics(registry))

    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(collector.run(stop))
        await asyncio.sleep(3.2)
        agents[0][1].device.set_link("ge-0/0/2", up=False)
        await asyncio.sleep(1.5)
        stop.set()
        await task

    asyncio.run(main())
    assert sw1_device.exists()
    pipeline = collector.pipeline
    assert pipeline is not None

    # every point produced reached InfluxDB
    produced = pipeline.points_spooled
    in_db = influxdb.count(influx_db, "interface", "in_octets") + influxdb.count(influx_db, "device", "reachable")
    assert produced == pipeline.points_written == in_db > 0

    # healthy devices were polled every second, the dead and slow ones notwithstanding
    rows = influxdb.rows('SELECT reachable, poll_duration_s FROM "device" GROUP BY "device"', influx_db)
    times: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        times[row["device"]].append(row["time"])
        assert row["reachable"] == (0 if row["device"] == "dead" else 1)
    for name in ("sw1", "sw2", "sw3", "core"):
        gaps = [(b - a) / 1e9 for a, b in zip(times[name], times[name][1:], strict=False)]
        assert len(times[name]) >= 4, name
        # timestamps are response times: the first v3 poll also discovers the engine, hence the slack
        assert all(0.6 < gap < 1.4 for gap in gaps), (name, gaps)
    assert len(times["dead"]) >= 3
    assert min(r["poll_duration_s"] for r in rows if r["device"] == "slow") >= 0.3
    value = registry.get_sample_value
    assert value("metronet_poll_errors_total", {"reason": "timeout", "device": "dead"}) >= 3
    assert value("metronet_poll_errors_total", {"reason": "timeout", "device": "sw1"}) is None

    # rates against the simulated rate (no false spike anywhere)
    rates = influxdb.rows(
        'SELECT in_bps, out_bps FROM "interface" WHERE "interface" = \'xe-0/0/1\' AND in_bps > 0', influx_db
    )
    assert len(rates) >= 10
    for row in rates:
        assert row["in_bps"] == pytest.approx(RATE_IN, rel=0.005)
        assert row["out_bps"] == pytest.approx(RATE_OUT, rel=0.005)

    # the link taken down: in InfluxDB and on the link-state gauge, with its organization
    (last,) = influxdb.rows(
        'SELECT last(oper_status) FROM "interface" WHERE "device" = \'sw1\' AND "interface" = \'ge-0/0/2\'', influx_db
    )
    assert last["last"] == 2
    labels = {"device": "sw1", "interface": "ge-0/0/2", "organization": "ZŠ Za Chlumem", "role": "access"}
    assert value("metronet_link_oper_up", labels) == 0
    assert value("metronet_link_oper_up", {**labels, "device": "sw2", "organization": "Město Bílina", "role": ""}) == 1
    (tagged,) = influxdb.query('SHOW TAG VALUES FROM "interface" WITH KEY = "organization"', influx_db)
    assert {v for _, v in tagged["values"]} == {"Město Bílina", "ZŠ Za Chlumem"}


def test_influxdb_outage_loses_nothing(sim_agent, config_dict, tmp_path):
    server = InfluxDB(tmp_path / "influx")
    server.start()
    try:
        server.create_database("outage")
        agents = [(f"sw{i}", sim_agent(f"sw{i}", healthy_interfaces())[1], "v2") for i in range(3)]
        config = parse_config(config_dict(agents, server.url, "outage"))
        registry = CollectorRegistry()
        collector = Collector(config, CollectorMetrics(registry))
        queued_during_outage: list[float] = []

        async def main() -> None:
            stop = asyncio.Event()
            task = asyncio.create_task(collector.run(stop, drain_timeout_s=15))
            await asyncio.sleep(1.5)
            await asyncio.to_thread(server.stop)
            await asyncio.sleep(2.5)
            queued_during_outage.append(registry.get_sample_value("metronet_points_queued") or 0)
            await asyncio.to_thread(server.start)
            await asyncio.sleep(1.5)
            stop.set()
            await task

        asyncio.run(main())
        pipeline = collector.pipeline
        assert pipeline is not None
        assert queued_during_outage[0] > 0
        assert registry.get_sample_value("metronet_sink_errors_total", {"retryable": "true"}) >= 1
        in_db = server.count("outage", "interface", "in_octets") + server.count("outage", "device", "reachable")
        assert pipeline.points_spooled == in_db == pipeline.points_written
        assert registry.get_sample_value("metronet_points_queued") == 0
        assert Spool(config.spool.directory).pending_points == 0
    finally:
        server.stop()


def cli(config: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "metronet_collectors", "-c", str(config), *args],
        env=dict(os.environ, PYTHONPATH=str(ROOT / "collectors"), **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_loses_nothing_and_run_replays(sim_agent, config_dict, influxdb, influx_db, tmp_path):
    agents = [(f"sw{i}", sim_agent(f"sw{i}", healthy_interfaces())[1], "v2") for i in range(2)]
    metrics_port = free_tcp_port()
    data = config_dict(agents, f"http://127.0.0.1:{free_tcp_port()}", influx_db)  # nothing listens there
    data["metrics"] = {"listen": f"127.0.0.1:{metrics_port}"}
    path = tmp_path / "collector.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    process = cli(path, "run")
    try:
        time.sleep(3.0)
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as response:
            exposition = response.read().decode()
        for name in (
            "metronet_poll_duration_seconds_bucket",
            "metronet_polls_total",
            "metronet_points_queued",
            "metronet_spool_bytes",
            "metronet_link_oper_up",
            "metronet_sink_errors_total",
        ):
            assert name in exposition, name
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
    spooled = Spool(Path(data["spool"]["directory"])).pending_points
    assert spooled >= 8

    # restart with InfluxDB reachable and no devices: the backlog is replayed, in full
    data["sink"]["url"] = influxdb.url
    data["devices"] = []
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    process = cli(path, "run")
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            in_db = influxdb.count(influx_db, "interface", "in_octets") + influxdb.count(
                influx_db, "device", "reachable"
            )
            if in_db >= spooled:
                break
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert in_db == spooled


def test_poll_once_prints_line_protocol_and_v3_failure_hides_the_secret(sim_agent, config_dict, tmp_path):
    _, agent = sim_agent("core", healthy_interfaces(), v3=True)
    path = tmp_path / "collector.yaml"
    path.write_text(yaml.safe_dump(config_dict([("core", agent, "v3")]), allow_unicode=True))
    good = cli(path, "poll-once", "core", "--rates", "0.5")
    stdout, stderr = good.communicate(timeout=30)
    assert good.returncode == 0, stderr
    assert any(
        line.startswith("interface,device=core,interface=xe-0/0/1,") and "in_bps=" in line
        for line in stdout.splitlines()
    )

    wrong = "wrong-auth-key-31337"
    env_process = cli(path, "--log-level", "DEBUG", "poll-once", "core", METRONET_TEST_V3_AUTH=wrong)
    stdout, stderr = env_process.communicate(timeout=30)
    assert env_process.returncode == 1
    assert "auth" in stderr and "core" in stderr
    for secret in (wrong, "priv-key-67890"):
        assert secret not in stdout + stderr
    assert "device,device=core" in stdout and "reachable=0i" in stdout
