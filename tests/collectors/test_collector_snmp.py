"""The SNMP poller and rate computation against real net-snmp agents (simulated devices)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from metronet_collectors.config import parse_config
from metronet_collectors.model import DeviceSample, InterfaceRates, PollError, PollErrorReason
from metronet_collectors.rates import RateCalculator, SkipReason
from metronet_collectors.sim import SimInterface
from metronet_collectors.snmp import PysnmpPoller


def poll(config: dict[str, Any], name: str) -> DeviceSample:
    cfg = parse_config(config)
    device = next(d for d in cfg.devices if d.name == name)

    async def run() -> DeviceSample:
        poller = PysnmpPoller(cfg.auths, cfg.snmp)
        try:
            return await poller.poll(device)
        finally:
            poller.close()

    return asyncio.run(run())


def test_poll_v2c_reads_all_columns(sim_agent, config_dict):
    _, agent = sim_agent(
        "sw1",
        [SimInterface("xe-0/0/1", 8e9, 4e9, speed_mbps=10000), SimInterface("Vlan Žatec", 8e3, 0, hc=False)]
        + [SimInterface(f"ge-0/0/{i}", 1e6 * i, 0) for i in range(2, 24)],
    )
    sample = poll(config_dict([("sw1", agent, "v2")]), "sw1")
    assert sample.uptime_ticks >= 100_000
    by_name = {i.if_name: i for i in sample.interfaces}
    assert len(by_name) == 24  # more rows than one GETBULK response carries
    assert by_name["xe-0/0/1"].counter_bits == 64
    assert by_name["xe-0/0/1"].speed_mbps == 10000
    assert by_name["xe-0/0/1"].oper_status == 1 and by_name["xe-0/0/1"].admin_status == 1
    assert by_name["Vlan Žatec"].counter_bits == 32  # no ifHC counters: 32-bit fallback


def test_rates_match_the_simulated_rate(sim_agent, config_dict):
    _, agent = sim_agent("sw1", [SimInterface("xe-0/0/1", 3.7e9, 1.25e9, speed_mbps=10000, in_errors_ps=2.0)])
    config = config_dict([("sw1", agent, "v2")])
    calc = RateCalculator()
    first = calc.update(poll(config, "sw1"))
    assert first["xe-0/0/1"] is SkipReason.FIRST
    time.sleep(1.0)
    rates = calc.update(poll(config, "sw1"))["xe-0/0/1"]
    assert isinstance(rates, InterfaceRates)
    assert rates.in_bps == pytest.approx(3.7e9, rel=0.002)
    assert rates.out_bps == pytest.approx(1.25e9, rel=0.002)
    assert rates.in_errors_ps == pytest.approx(2.0, abs=1.0)  # whole errors over ~1 s


def test_32bit_counter_wrap_gives_the_true_rate(sim_agent, config_dict):
    # 400 Mbit/s = 50 MB/s: starting 25 MB below 2**32, the 32-bit counter wraps within the second.
    device, agent = sim_agent("old", [SimInterface("eth0", 4e8, 4e8, hc=False)])
    config = config_dict([("old", agent, "v2")])
    calc = RateCalculator()
    device.set_counters("eth0", 2**32 - 25_000_000, 2**32 - 25_000_000)
    before = poll(config, "old")
    calc.update(before)
    time.sleep(1.0)
    after = poll(config, "old")
    assert after.interfaces[0].in_octets < before.interfaces[0].in_octets  # it did wrap
    rates = calc.update(after)["eth0"]
    assert isinstance(rates, InterfaceRates)
    assert rates.in_bps == pytest.approx(4e8, rel=0.002)


def test_reboot_gives_no_sample_then_rates_resume(sim_agent, config_dict):
    device, agent = sim_agent("sw1", [SimInterface("ge-0/0/1", 8e8, 8e8)])
    config = config_dict([("sw1", agent, "v2")])
    calc = RateCalculator()
    calc.update(poll(config, "sw1"))
    time.sleep(0.3)
    device.reboot()
    time.sleep(0.3)
    assert calc.update(poll(config, "sw1"))["ge-0/0/1"] is SkipReason.REBOOT
    time.sleep(0.5)
    rates = calc.update(poll(config, "sw1"))["ge-0/0/1"]
    assert isinstance(rates, InterfaceRates) and rates.in_bps == pytest.approx(8e8, rel=0.005)


def test_counter_discontinuity_gives_no_sample(sim_agent, config_dict):
    device, agent = sim_agent("sw1", [SimInterface("ge-0/0/1", 8e8, 8e8)])
    config = config_dict([("sw1", agent, "v2")])
    calc = RateCalculator()
    calc.update(poll(config, "sw1"))
    time.sleep(0.3)
    device.reset_counters("ge-0/0/1")  # counters restart, sysUpTime does not
    assert calc.update(poll(config, "sw1"))["ge-0/0/1"] is SkipReason.DISCONTINUITY


def test_link_down_is_seen(sim_agent, config_dict):
    device, agent = sim_agent("sw1", [SimInterface("ge-0/0/1", 8e6, 8e6), SimInterface("ge-0/0/2", 8e6, 8e6)])
    config = config_dict([("sw1", agent, "v2")])
    device.set_link("ge-0/0/2", up=False)
    sample = poll(config, "sw1")
    assert {i.if_name: i.oper_status for i in sample.interfaces} == {"ge-0/0/1": 1, "ge-0/0/2": 2}


def test_v3_auth_priv(sim_agent, config_dict):
    _, agent = sim_agent("core", [SimInterface("xe-1/0/0", 1e9, 1e9, speed_mbps=10000)], v3=True)
    sample = poll(config_dict([("core", agent, "v3")]), "core")
    assert [i.if_name for i in sample.interfaces] == ["xe-1/0/0"]


def test_v3_wrong_key_is_an_auth_error(sim_agent, config_dict, monkeypatch):
    _, agent = sim_agent("core", [SimInterface("xe-1/0/0", 1e9, 1e9)], v3=True)
    monkeypatch.setenv("METRONET_TEST_V3_AUTH", "wrong-auth-key-999")
    with pytest.raises(PollError) as caught:
        poll(config_dict([("core", agent, "v3")]), "core")
    assert caught.value.reason is PollErrorReason.AUTH
    assert "wrong-auth-key-999" not in str(caught.value)


def test_dead_agent_times_out(config_dict):
    from metronet_collectors.sim.agent import free_udp_port

    with pytest.raises(PollError) as caught:
        poll(config_dict([("dead", free_udp_port(), "v2")]), "dead")
    assert caught.value.reason is PollErrorReason.TIMEOUT
