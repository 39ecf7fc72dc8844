"""The Netmiko poller (Cisco IOS CLI parsed with ntc-templates) against simulated IOS switches over real SSH.

The switches are fakenos SSH servers (``metronet_collectors.napalm_sim``) rendering Catalyst 2960-X
IOS 15.2 show output from a moving state; Netmiko logs in with paramiko as it would on a real switch.
The same rendered text is parsed by NAPALM's ios driver in test_collector_napalm.py, so both parsers are
checked against one another here too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from metronet_collectors.config import Secret
from metronet_collectors.model import Device, InterfaceMeta, InterfaceRates
from metronet_collectors.napalm_base import CliDeviceSample
from metronet_collectors.napalm_config import NapalmConfig, SshCredential
from metronet_collectors.napalm_sim import SimIosNetwork, SimIosSwitch, SimPort
from metronet_collectors.netmiko_poller import NetmikoPoller, interface_samples, octet_counters, uptime_seconds
from metronet_collectors.rates import RateCalculator, SkipReason

PASSWORD = "n3tmiko-Passw0rd"


def switch() -> SimIosSwitch:
    return SimIosSwitch(
        "sw-ms-sibirska",
        [
            SimPort(
                "GigabitEthernet1/0/1",
                in_bps=30e6,
                out_bps=6e6,
                in_errors_ps=3.0,
                optics=(-9.2, -4.8, 36.5, 17.0),
                neighbor=("sw-mu-agg", "Gi1/0/9"),
            ),
            SimPort("GigabitEthernet1/0/2", in_bps=1e6, out_bps=0.5e6, speed_mbps=100),
            SimPort("GigabitEthernet1/0/3", admin_up=False, up=False),
        ],
    )


@pytest.fixture
def network() -> Iterator[SimIosNetwork]:
    net = SimIosNetwork([switch()], "metronet-ro", PASSWORD, first_address=30)
    net.start()
    yield net
    net.stop()


def poller_for(network: SimIosNetwork, **overrides: Any) -> NetmikoPoller:
    config = NapalmConfig(
        credentials={"noc": SshCredential("noc", "metronet-ro", Secret(PASSWORD))},
        credential="noc",
        port=network.port,
        **overrides,
    )
    return NetmikoPoller(config, timeout_s=15.0)


def device(network: SimIosNetwork) -> Device:
    return Device(
        name="sw-ms-sibirska",
        address=network.addresses["sw-ms-sibirska"],
        site="MŠ Sibiřská",
        napalm_driver="netmiko:cisco_ios",
        interfaces={"Gi1/0/1": InterfaceMeta(role="uplink", organization="MŠ Sibiřská")},
    )


def test_netmiko_ntc_templates_rates_status_optics_lldp(network: SimIosNetwork) -> None:
    poller = poller_for(network)
    dev = device(network)
    sim = network.switches["sw-ms-sibirska"]
    rates = RateCalculator()

    async def polls() -> list[CliDeviceSample]:
        samples = []
        for _ in range(2):
            sample = await poller.poll(dev)
            assert isinstance(sample, CliDeviceSample)
            samples.append(sample)
            await asyncio.sleep(1.5)
        sim.reboot()
        sample = await poller.poll(dev)
        assert isinstance(sample, CliDeviceSample)
        samples.append(sample)
        return samples

    try:
        first, second, rebooted = asyncio.run(polls())
    finally:
        poller.close()
    rates.update(first)
    result = rates.update(second)
    gi1, gi2 = result["Gi1/0/1"], result["GigabitEthernet1/0/2"]
    assert isinstance(gi1, InterfaceRates) and isinstance(gi2, InterfaceRates)
    assert gi1.in_bps == pytest.approx(30e6, rel=0.05) and gi1.out_bps == pytest.approx(6e6, rel=0.05)
    assert gi1.in_errors_ps == pytest.approx(3.0, rel=0.2)
    assert gi2.in_bps == pytest.approx(1e6, rel=0.05)
    by_name = {itf.if_name: itf for itf in second.interfaces}
    assert [by_name[n].speed_mbps for n in ("Gi1/0/1", "GigabitEthernet1/0/2")] == [1000, 100]
    assert (by_name["GigabitEthernet1/0/3"].oper_status, by_name["GigabitEthernet1/0/3"].admin_status) == (2, 2)
    assert (by_name["Gi1/0/1"].oper_status, by_name["Gi1/0/1"].admin_status) == (1, 1)
    [optic] = second.optics
    assert optic.if_name == "Gi1/0/1"  # "Gi1/0/1" in the table → canonical → the inventory's spelling
    assert optic.values == {"rx_dbm": -9.2, "tx_dbm": -4.8, "temperature_c": 36.5, "bias_ma": 17.0}
    [neighbor] = second.neighbors
    assert (neighbor.local_interface, neighbor.remote_system, neighbor.remote_port) == (
        "Gi1/0/1",
        "sw-mu-agg",
        "Gi1/0/9",
    )
    # After the reboot: uptime "0 minutes" and counters from zero → no rate, reason reboot.
    assert rebooted.reported_uptime_s is not None and rebooted.reported_uptime_s < 120
    assert rates.update(rebooted)["Gi1/0/1"] is SkipReason.REBOOT


def test_link_down_shows_in_the_next_poll(network: SimIosNetwork) -> None:
    poller = poller_for(network, getters=("counters",))
    dev = device(network)
    network.switches["sw-ms-sibirska"].set_link("GigabitEthernet1/0/2", up=False)
    try:
        sample = asyncio.run(poller.poll(dev))
    finally:
        poller.close()
    assert isinstance(sample, CliDeviceSample)
    by_name = {itf.if_name: itf for itf in sample.interfaces}
    assert by_name["GigabitEthernet1/0/2"].oper_status == 2 and by_name["GigabitEthernet1/0/2"].admin_status == 1
    assert sample.optics == [] and sample.neighbors == []  # not asked for


def test_octet_template_agrees_with_napalm_ios_parser() -> None:
    """The hand-written octets template and NAPALM's own ios regexes read the same numbers from one output."""
    from napalm.ios.ios import IOSDriver

    sim = switch()
    text = sim.show_interfaces()

    class Canned(IOSDriver):  # type: ignore[misc]
        def _send_command(self, command: str) -> str:
            return text if command == "show interfaces" else sim.show_interface_summary()

    napalm = Canned("192.0.2.1", "u", "p").get_interfaces_counters()
    ours = octet_counters(text)
    assert ours == {name: (c["rx_octets"], c["tx_octets"]) for name, c in napalm.items()}
    assert len(ours) == 3
    samples = {s.if_name: s for s in interface_samples(text, lambda name: name)}
    assert {name: s.in_errors for name, s in samples.items()} == {n: c["rx_errors"] for n, c in napalm.items()}


def test_uptime_from_show_version() -> None:
    sim = SimIosSwitch("sw-x", [], uptime_s=2 * 7 * 86400 + 3 * 86400 + 4 * 3600 + 5 * 60 + 30)
    from ntc_templates.parse import parse_output

    parsed = parse_output(platform="cisco_ios", command="show version", data=sim.show_version())
    assert uptime_seconds(parsed) == 2 * 7 * 86400 + 3 * 86400 + 4 * 3600 + 5 * 60
    assert uptime_seconds([]) is None
