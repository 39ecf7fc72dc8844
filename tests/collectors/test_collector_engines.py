"""The SNMP engines (ezsnmp, pysnmp v1arch, pysnmp v3arch) against the same real snmpd agents."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import ConfigError, parse_config
from metronet_collectors.engines import AUTO_ORDER, make_poller, resolve_engine
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import DeviceSample, PollError, PollErrorReason
from metronet_collectors.sim import SimInterface
from metronet_collectors.sim.agent import free_udp_port
from metronet_collectors.snmp_v1arch import PysnmpV1Poller

ENGINES = ("ezsnmp", "pysnmp", "pysnmp-v3arch")


def poll_with(engine: str, config: dict[str, Any], name: str, times: int = 1) -> list[DeviceSample]:
    cfg = parse_config({**config, "snmp": {**config["snmp"], "engine": engine}})
    device = next(d for d in cfg.devices if d.name == name)

    async def run() -> list[DeviceSample]:
        poller = make_poller(cfg.auths, cfg.snmp, walk_timeout_s=5)
        try:
            return [await poller.poll(device) for _ in range(times)]
        finally:
            poller.close()

    return asyncio.run(run())


def comparable(sample: DeviceSample) -> list[tuple[Any, ...]]:
    """Everything of a sample that does not move between two polls (counters move: they are compared apart)."""
    return [
        (i.if_index, i.if_name, i.counter_bits, i.oper_status, i.admin_status, i.speed_mbps, i.discontinuity_ticks)
        for i in sample.interfaces
    ]


@pytest.mark.parametrize("credential", ["v2", "v3"])
def test_every_engine_reads_the_same_samples(sim_agent, config_dict, credential):
    device, agent = sim_agent(
        "sw1",
        [SimInterface("Te1/1/1", 8e9, 4e9, speed_mbps=10000), SimInterface("Vlan Žatec", 8e3, 0, hc=False)]
        + [SimInterface(f"Gi1/0/{i}", 1e6 * i, 2e5 * i, up=i % 5 != 0) for i in range(1, 27)],
        v3=credential == "v3",
    )
    device.reset_counters("Gi1/0/3")  # a non-zero ifCounterDiscontinuityTime
    config = config_dict([("sw1", agent, credential)])
    results = {engine: poll_with(engine, config, "sw1", times=2) for engine in ENGINES}
    reference = comparable(results["pysnmp-v3arch"][0])
    assert len(reference) == 28  # more rows than one GETBULK carries
    assert any(row[6] > 0 for row in reference) and any(row[2] == 32 for row in reference)
    for engine, (first, second) in results.items():
        # the second poll walks only the moving columns (names from the first): the same answer
        assert comparable(first) == reference, engine
        assert comparable(second) == reference, engine
        assert second.uptime_ticks >= first.uptime_ticks > 100_000
        by_name = {i.if_name: i for i in second.interfaces}
        # counters are read, and move at the simulated rate (8 Gbit/s = 1e9 octets/s) between the two polls
        te_first = next(i for i in first.interfaces if i.if_name == "Te1/1/1")
        dt = (second.uptime_ticks - first.uptime_ticks) / 100
        if dt >= 0.05:
            rate = (by_name["Te1/1/1"].in_octets - te_first.in_octets) / dt
            assert rate == pytest.approx(1e9, rel=0.05), engine


def test_names_are_walked_again_after_a_reboot(sim_agent, config_dict):
    device, agent = sim_agent("sw1", [SimInterface("Gi1/0/1", 1e6, 1e6), SimInterface("Gi1/0/2", 1e6, 1e6)])
    config = config_dict([("sw1", agent, "v2")])
    for engine in ENGINES:
        cfg = parse_config({**config, "snmp": {**config["snmp"], "engine": engine}})

        async def run(cfg: Any = cfg) -> list[str]:
            poller = make_poller(cfg.auths, cfg.snmp)
            try:
                await poller.poll(cfg.devices[0])
                data = device.read()  # a reboot that renumbers the ports (ifName stays with the port)
                data["interfaces"][0]["name"], data["interfaces"][1]["name"] = "Gi1/0/2", "Gi1/0/1"
                data["boot_time"] = time.time()
                device._write(data)
                sample = await poller.poll(cfg.devices[0])
                return [f"{i.if_index}:{i.if_name}" for i in sample.interfaces]
            finally:
                poller.close()

        assert asyncio.run(run()) == ["1:Gi1/0/2", "2:Gi1/0/1"], engine
        device.reboot()


@pytest.mark.parametrize("engine", ["ezsnmp", "pysnmp"])
def test_v3_wrong_key_is_an_auth_error_without_the_secret(sim_agent, config_dict, monkeypatch, caplog, engine):
    _, agent = sim_agent("core", [SimInterface("Te1/0/1", 1e9, 1e9)], v3=True)
    monkeypatch.setenv("METRONET_TEST_V3_AUTH", "wrong-auth-key-999")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PollError) as caught:
        poll_with(engine, config_dict([("core", agent, "v3")]), "core")
    assert caught.value.reason is PollErrorReason.AUTH
    assert "wrong-auth-key-999" not in str(caught.value) and "priv-key" not in str(caught.value)
    assert "wrong-auth-key-999" not in caplog.text


@pytest.mark.parametrize("engine", ENGINES)
def test_dead_agent_is_a_timeout(config_dict, engine):
    started = time.monotonic()
    with pytest.raises(PollError) as caught:
        poll_with(engine, config_dict([("dead", free_udp_port(), "v2")]), "dead")
    assert caught.value.reason is PollErrorReason.TIMEOUT
    assert time.monotonic() - started < 3  # request_timeout_s 0.4 × (retries 1 + 1), not more


def test_v1arch_socket_gets_a_large_receive_buffer():
    from metronet_collectors.config import SnmpOptions

    async def run() -> int:
        poller = PysnmpV1Poller({}, SnmpOptions())
        try:
            return poller.receive_buffer_bytes()
        finally:
            poller.close()

    assert asyncio.run(run()) >= 1 << 20  # the kernel default is ~212 KB


@pytest.mark.parametrize("engine", ["ezsnmp", "pysnmp"])
def test_dead_and_slow_agents_do_not_delay_the_healthy_ones(sim_agent, config_dict, engine):
    interfaces = [SimInterface("Te1/1/1", 2.4e8, 6e7, speed_mbps=10000), SimInterface("Gi1/0/2", 8e6, 8e6)]
    agents: list[tuple[str, Any, str]] = [(f"sw{i}", sim_agent(f"sw{i}", interfaces)[1], "v2") for i in range(3)]
    agents.append(("core", sim_agent("core", interfaces, v3=True)[1], "v3"))
    slow_device, slow_agent = sim_agent("slow", interfaces)
    slow_device.set_delay(0.3)
    agents += [("slow", slow_agent, "v2"), ("dead", free_udp_port(), "v2")]
    data = config_dict(agents)
    data["snmp"] = {**data["snmp"], "engine": engine, "lldp_every": 2}
    registry = CollectorRegistry()
    collector = Collector(parse_config(data), CollectorMetrics(registry))
    polled: dict[str, list[float]] = defaultdict(list)
    failed: dict[str, list[str]] = defaultdict(list)

    async def job(device: Any) -> None:
        lines = await collector.poll_device(device)
        polled[device.name].append(time.monotonic())
        failed[device.name] += [line for line in lines if "reachable=0i" in line]

    async def main() -> None:
        from metronet_collectors.scheduler import Scheduler

        scheduler = Scheduler(job, 1.0, 0.0, 8)
        scheduler.set_devices(collector.config.devices)
        await asyncio.sleep(4.5)
        await scheduler.stop()
        collector.poller.close()

    asyncio.run(main())
    for name in ("sw0", "sw1", "sw2", "core", "slow"):
        assert len(polled[name]) >= 4, (name, engine)
        assert not failed[name], (name, failed[name])
        gaps = [b - a for a, b in zip(polled[name], polled[name][1:], strict=False)]
        assert all(0.6 < gap < 1.5 for gap in gaps), (name, gaps)
    assert len(failed["dead"]) >= 2
    value = registry.get_sample_value
    assert value("metronet_poll_errors_total", {"reason": "timeout", "device": "dead"}) >= 2
    assert value("metronet_poll_errors_total", {"reason": "timeout", "device": "slow"}) is None


def test_engine_option_is_validated():
    with pytest.raises(ConfigError) as caught:
        parse_config({"snmp": {"engine": "netsnmp", "lldp_every": -1, "optics": "yes"}})
    text = str(caught.value)
    assert "snmp.engine: must be one of auto, ezsnmp, pysnmp, pysnmp-v3arch, snmp-exporter, got 'netsnmp'" in text
    assert "snmp.lldp_every: must be ≥ 0, got -1" in text
    assert "snmp.optics: expected true or false, got 'yes'" in text
    assert resolve_engine("auto") == AUTO_ORDER[0]
    assert resolve_engine("pysnmp") == "pysnmp"
