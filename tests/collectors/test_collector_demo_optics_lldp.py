"""The demo's simulated network: DOM rx power from the fiber plant and LLDP neighbors from the cables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from metronet_collectors.demo import SYNTHETIC_RX_DBM, plan_from_network, port_optics, rx_dbm_for_length

SAMPLE = Path(__file__).resolve().parents[2] / "netbox_plugin/netbox_metronet/sample_data/bilina.yaml"


@pytest.fixture(scope="module")
def network() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_lldp_neighbors_match_the_switch_to_switch_cables_on_both_ends(network):
    devices = {d.name: d for d in plan_from_network(network)}
    seen = {
        (d.name, n.local_interface, n.remote_system, n.remote_port)
        for d in devices.values()
        for p in d.ports.values()
        for n in p.neighbors
    }
    cables = [c for c in network["cables"] if "interface" in c["a"] and "interface" in c["b"]]
    cables = [c for c in cables if c["a"]["device"] in devices and c["b"]["device"] in devices]
    assert cables  # the sample has DAC links between the core switches
    for cable in cables:
        a, b = cable["a"], cable["b"]
        assert (a["device"], a["interface"], b["device"], b["interface"]) in seen
        assert (b["device"], b["interface"], a["device"], a["interface"]) in seen
    # every neighbor relation is symmetric
    assert all((r, rp, d, lp) in seen for d, lp, r, rp in seen)


def test_rx_power_follows_the_drop_cable_length(network):
    devices = {d.name: d for d in plan_from_network(network)}
    lengths = {c["name"]: c["length_m"] for c in network["fiber_cables"]}
    checked = 0
    for conn in network["connections"]:
        cable = (conn.get("strand") or {}).get("cable")
        if conn["status"] != "connected" or cable not in lengths:
            continue
        for end in conn["access_interfaces"]:
            port = devices[end["device"]].ports[end["interface"]]
            optics = port_optics(port)
            if port.optical:
                assert optics is not None and optics.rx_dbm == rx_dbm_for_length(lengths[cable])
                checked += 1
    assert checked >= 10
    assert rx_dbm_for_length(0) == pytest.approx(-2.0 - 1.3)
    assert rx_dbm_for_length(10_000) == pytest.approx(-2.0 - 3.5 - 1.3)
    dac = devices["sw-mu-core"].ports["Te1/0/1"]
    assert dac.up and port_optics(dac) is None  # a DAC has no DOM
    office = devices["sw-mu-core"].ports["Te1/0/3"]  # the office LAN: no drop cable in the file
    assert port_optics(office) is not None and port_optics(office).rx_dbm == SYNTHETIC_RX_DBM
