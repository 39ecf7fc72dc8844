"""Engine ``snmp-exporter``: the real prometheus-snmp-exporter walking real snmpd agents, scraped by the collector."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from collector_services import free_tcp_port, require_binary
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import ConfigError, parse_config
from metronet_collectors.engines import AUTO_ORDER, make_poller, resolve_engine
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import DeviceSample, PollError, PollErrorReason
from metronet_collectors.rates import RateCalculator
from metronet_collectors.sim import SimInterface
from metronet_collectors.sim.agent import free_udp_port
from metronet_collectors.snmp_exporter_engine import SnmpExporterPoller, parse_exposition
from metronet_collectors.snmp_walk import IF_COLUMNS, IF_DYNAMIC_COLUMNS


@pytest.fixture(autouse=True)
def exporter_binary() -> str:
    return require_binary("prometheus-snmp-exporter", "prometheus-snmp-exporter")


def with_engine(config: dict[str, Any], engine: str, **snmp: Any) -> Any:
    return parse_config({**config, "snmp": {**config["snmp"], "engine": engine, **snmp}})


def poll_times(cfg: Any, names: list[str], times: int = 1, pause_s: float = 0.0) -> list[list[DeviceSample]]:
    """Poll every named device `times` times (devices concurrently); returns one list of samples per round."""
    devices = [d for d in cfg.devices if d.name in names]

    async def run() -> list[list[DeviceSample]]:
        poller = make_poller(cfg.auths, cfg.snmp, walk_timeout_s=5)
        try:
            rounds = []
            for i in range(times):
                if i and pause_s:
                    await asyncio.sleep(pause_s)
                rounds.append(list(await asyncio.gather(*(poller.poll(d) for d in devices))))
            return rounds
        finally:
            poller.close()

    return asyncio.run(run())


def comparable(sample: DeviceSample) -> list[tuple[Any, ...]]:
    return [
        (i.if_index, i.if_name, i.counter_bits, i.oper_status, i.admin_status, i.speed_mbps, i.discontinuity_ticks)
        for i in sample.interfaces
    ]


@pytest.mark.parametrize("credential", ["v2", "v3"])
def test_same_samples_as_ezsnmp_and_rates_at_the_simulated_rate(sim_agent, config_dict, credential):
    device, agent = sim_agent(
        "sw1",
        [SimInterface("Te1/1/1", 8e9, 4e9, speed_mbps=10000), SimInterface("Vlan Žatec", 8e3, 0, hc=False)]
        + [SimInterface(f"Gi1/0/{i}", 1e6 * i, 2e5 * i, up=i % 5 != 0) for i in range(1, 27)],
        v3=credential == "v3",
    )
    device.reset_counters("Gi1/0/3")  # a non-zero ifCounterDiscontinuityTime
    config = config_dict([("sw1", agent, credential)])
    (ez,) = poll_times(with_engine(config, "ezsnmp"), ["sw1"])[0]
    first, second = (r[0] for r in poll_times(with_engine(config, "snmp-exporter"), ["sw1"], times=2, pause_s=0.3))
    reference = comparable(ez)
    assert len(reference) == 28 and any(r[6] > 0 for r in reference) and any(r[2] == 32 for r in reference)
    assert comparable(first) == reference  # full walk (names walked)
    assert comparable(second) == reference  # steady state: moving columns only, names from the cache
    assert second.uptime_ticks > first.uptime_ticks >= ez.uptime_ticks > 100_000
    ez_by_name = {i.if_name: i for i in ez.interfaces}
    for itf in first.interfaces:  # counters polled later by the exporter never go back, and are ints
        old = ez_by_name[itf.if_name]
        assert type(itf.in_octets) is int and itf.in_octets >= old.in_octets and itf.out_octets >= old.out_octets
        assert (itf.in_errors, itf.out_errors, itf.in_discards, itf.out_discards) >= (0, 0, 0, 0)
    rates = RateCalculator()
    rates.update(first)
    computed = rates.update(second)
    te, vlan, gi7 = computed["Te1/1/1"], computed["Vlan Žatec"], computed["Gi1/0/7"]
    assert not isinstance(te, str) and not isinstance(vlan, str) and not isinstance(gi7, str)
    assert te.in_bps == pytest.approx(8e9, rel=0.02) and te.out_bps == pytest.approx(4e9, rel=0.02)
    assert vlan.in_bps == pytest.approx(8e3, rel=0.05)  # the 32-bit fallback row
    assert gi7.in_bps == pytest.approx(7e6, rel=0.02) and gi7.out_bps == pytest.approx(1.4e6, rel=0.02)


def test_counter64_above_2_53_is_exact(sim_agent, config_dict):
    device, agent = sim_agent("sw1", [SimInterface("Hu0/0/0", 0, 0, speed_mbps=100000)])
    device.set_counters("Hu0/0/0", 2**63 + 12345, 2**53 + 1)  # 2**53 + 1 has no float64
    (sample,) = poll_times(with_engine(config_dict([("sw1", agent, "v2")]), "snmp-exporter"), ["sw1"])[0]
    (itf,) = sample.interfaces
    assert (itf.in_octets, itf.out_octets, itf.counter_bits) == (2**63 + 12345, 2**53 + 1, 64)


def test_dead_and_stopped_agents_among_healthy_ones_time_out_alone(sim_agent, config_dict):
    healthy = [(f"sw{i}", sim_agent(f"sw{i}", [SimInterface("Gi1/0/1", 1e6, 1e6)])[1], "v2") for i in range(3)]
    _, stopped = sim_agent("stopped", [SimInterface("Gi1/0/1", 1e6, 1e6)])
    agents = [*healthy, ("stopped", stopped, "v2"), ("dead", free_udp_port(), "v2")]
    cfg = with_engine(config_dict(agents), "snmp-exporter")
    stopped.pause()  # SIGSTOP: the agent stays silent (a real timeout, not an ICMP port unreachable)
    try:

        async def run() -> dict[str, Any]:
            poller = make_poller(cfg.auths, cfg.snmp, walk_timeout_s=5)
            try:
                results = await asyncio.gather(*(poller.poll(d) for d in cfg.devices), return_exceptions=True)
            finally:
                poller.close()
            return {d.name: r for d, r in zip(cfg.devices, results, strict=True)}

        started = time.monotonic()
        results = asyncio.run(run())
        elapsed = time.monotonic() - started
    finally:
        stopped.resume()
    for name in ("sw0", "sw1", "sw2"):
        assert isinstance(results[name], DeviceSample) and len(results[name].interfaces) == 1, results[name]
    for name in ("stopped", "dead"):
        assert isinstance(results[name], PollError) and results[name].reason is PollErrorReason.TIMEOUT, name
        assert name in str(results[name])
    assert elapsed < 4  # request_timeout_s 0.4 × (retries 1 + 1) + exporter start, not more


def test_v3_wrong_key_is_an_auth_error_without_the_secret(sim_agent, config_dict, monkeypatch, caplog, tmp_path):
    _, agent = sim_agent("core", [SimInterface("Te1/0/1", 1e9, 1e9)], v3=True)
    monkeypatch.setenv("METRONET_TEST_V3_AUTH", "wrong-auth-key-999")
    caplog.set_level(logging.DEBUG)
    workdir = tmp_path / "exporter"
    cfg = with_engine(config_dict([("core", agent, "v3")]), "snmp-exporter", exporter={"workdir": str(workdir)})
    with pytest.raises(PollError) as caught:
        poll_times(cfg, ["core"])
    assert caught.value.reason is PollErrorReason.AUTH
    assert "wrong-auth-key-999" not in str(caught.value) and "priv-key" not in str(caught.value)
    assert "wrong-auth-key-999" not in caplog.text
    assert "wrong-auth-key-999" not in (workdir / "exporter.log").read_text(encoding="utf-8", errors="replace")
    # the generated snmp.yml holds the secrets: owner-only
    assert stat.S_IMODE((workdir / "snmp.yml").stat().st_mode) == 0o600
    assert "wrong-auth-key-999" in (workdir / "snmp.yml").read_text(encoding="utf-8")


def test_killed_exporter_is_restarted(sim_agent, config_dict):
    _, agent = sim_agent("sw1", [SimInterface("Gi1/0/1", 1e6, 1e6)])
    cfg = with_engine(config_dict([("sw1", agent, "v2")]), "snmp-exporter")

    third: list[int] = []

    async def run() -> tuple[int, int, int, DeviceSample]:
        poller = make_poller(cfg.auths, cfg.snmp, walk_timeout_s=5)
        assert isinstance(poller, SnmpExporterPoller) and poller.exporter is not None
        try:
            await poller.poll(cfg.devices[0])
            first_pid = poller.exporter.pid
            assert first_pid is not None
            os.kill(first_pid, signal.SIGKILL)
            await asyncio.sleep(0.2)
            sample = await poller.poll(cfg.devices[0])
            second_pid = poller.exporter.pid
            assert second_pid is not None
            os.kill(second_pid, signal.SIGKILL)  # no pause: the scrape may find it alive, then refused, and retry
            await poller.poll(cfg.devices[0])
            third.append(poller.exporter.pid or 0)
            os.kill(third[0], 0)  # the third process is alive
            return first_pid, second_pid, poller.exporter.starts, sample
        finally:
            poller.close()
            assert poller.exporter.process is None

    first_pid, second_pid, starts, sample = asyncio.run(run())
    assert second_pid != first_pid and starts == 3 and len(sample.interfaces) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(third[0], 0)  # stopped and reaped on close()


def test_unmanaged_exporter_down_is_a_clear_error(config_dict, tmp_path):
    url = f"http://127.0.0.1:{free_tcp_port()}"
    exporter = {"manage": False, "url": url, "workdir": str(tmp_path / "x")}
    cfg = with_engine(config_dict([("sw1", free_udp_port(), "v2")]), "snmp-exporter", exporter=exporter)
    with pytest.raises(PollError) as caught:
        poll_times(cfg, ["sw1"])
    assert caught.value.reason is PollErrorReason.INTERNAL and url in str(caught.value)
    assert "unreachable" in str(caught.value)
    assert (tmp_path / "x" / "snmp.yml").exists()  # written for the operator's exporter


def test_tables_walk_through_the_fallback_engine(sim_agent, config_dict):
    _, agent = sim_agent("sw1", [SimInterface("Gi1/0/1", 1e6, 1e6), SimInterface("Gi1/0/2", 1e6, 1e6)])
    cfg = with_engine(config_dict([("sw1", agent, "v2")]), "snmp-exporter")

    async def run() -> Any:
        poller = make_poller(cfg.auths, cfg.snmp, walk_timeout_s=5)
        try:
            return await poller.walk_table(cfg.devices[0], {"name": IF_COLUMNS["name"]})
        finally:
            poller.close()

    rows = asyncio.run(run())
    assert rows == {"name": {(1,): b"Gi1/0/1", (2,): b"Gi1/0/2"}}


def test_collector_writes_rates_into_influxdb(sim_agent, config_dict, influxdb, influx_db):
    _, agent = sim_agent("sw1", [SimInterface("xe-0/0/1", 2.4e8, 6e7, speed_mbps=10000)])
    config = with_engine(config_dict([("sw1", agent, "v2")], influxdb.url, influx_db), "snmp-exporter", optics=False)
    registry = CollectorRegistry()
    collector = Collector(config, CollectorMetrics(registry))

    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(collector.run(stop))
        await asyncio.sleep(3.5)
        stop.set()
        await task

    asyncio.run(main())
    rates = influxdb.rows('SELECT in_bps, out_bps FROM "interface" WHERE in_bps > 0', influx_db)
    assert len(rates) >= 2
    for row in rates:
        assert row["in_bps"] == pytest.approx(2.4e8, rel=0.005) and row["out_bps"] == pytest.approx(6e7, rel=0.005)
    assert registry.get_sample_value("metronet_poll_errors_total", {"reason": "timeout", "device": "sw1"}) is None


def test_parser_reads_the_exporters_escapes_and_skips_foreign_lines():
    body = (
        "# HELP metronet_name x\n# TYPE metronet_name gauge\n"
        'metronet_name{ifIndex="3",metronet_name="Gi\\"1\\\\x\\nz"} 1\n'
        'metronet_in64{ifIndex="3",metronet_in64="18446744073709551615"} 1\n'
        'metronet_in_errors{ifIndex="3"} 4.294967295e+09\n'
        "metronet_uptime 4.2e+06\nsnmp_scrape_duration_seconds 0.01\n"
        'other_metric{ifIndex="3"} 7\n'
    )
    uptime, rows = parse_exposition(body, {k: IF_COLUMNS[k] for k in ("name", "in64", "in_errors")})
    assert uptime == 4_200_000
    assert rows == {
        "name": {(3,): b'Gi"1\\x\nz'},
        "in64": {(3,): 2**64 - 1},
        "in_errors": {(3,): 2**32 - 1},
    }
    assert parse_exposition("snmp_scrape_duration_seconds 1\n", IF_DYNAMIC_COLUMNS)[0] is None


def test_config_errors_name_the_field_and_auto_prefers_the_exporter(exporter_binary):
    with pytest.raises(ConfigError) as caught:
        parse_config({"snmp": {"engine": "snmp-exporter", "exporter": {"manage": False, "listen": "0.0.0.0:9"}}})
    assert "snmp.exporter.url: required when manage is false (the URL of the exporter to scrape)" in caught.value.errors
    assert any(e.startswith("snmp.exporter.listen: expected a loopback") for e in caught.value.errors)
    with pytest.raises(ConfigError) as caught:
        parse_config({"snmp": {"engine": "snmp-exporter", "exporter": {"binary": "/nonexistent/snmp_exporter"}}})
    assert caught.value.errors == [
        "snmp.exporter.binary: '/nonexistent/snmp_exporter' not found (Debian package prometheus-snmp-exporter)"
    ]
    with pytest.raises(ConfigError) as caught:
        parse_config({"snmp": {"exporter": {"bogus": 1}}})
    assert caught.value.errors == ["snmp.exporter.bogus: unknown option"]
    assert Path(exporter_binary).exists()
    assert AUTO_ORDER[0] == "snmp-exporter" and resolve_engine("auto") == "snmp-exporter"
    assert resolve_engine("auto", "/nonexistent/snmp_exporter") == "ezsnmp"  # the fallback
    poller = make_poller({}, parse_config({}).snmp)
    try:
        assert isinstance(poller, SnmpExporterPoller)
        workdir = poller.workdir
        assert stat.S_IMODE(workdir.stat().st_mode) == 0o700
    finally:
        poller.close()
    assert not workdir.exists()  # the private temp dir is removed on close
