"""Optical DOM and LLDP neighbors: simulated snmpd agents → collector → InfluxDB 1.6.7 and the NetBox report."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import pytest
from fake_netbox import LLDP_REPORT_PATH, FakeNetBox, device
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import parse_config
from metronet_collectors.lldp_report import LldpReporter, LldpSnapshot
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import LldpNeighbor
from metronet_collectors.sim import SimInterface, SimNeighbor, SimOptics

TOKEN = "0123456789abcdef0123456789abcdef01234567"


def served_dbm(dbm: float, dom_mib: str) -> float:
    """What the agent can express: ENTITY-SENSOR-MIB watts, scale micro, precision 3; Cisco dBm, precision 1."""
    if dom_mib == "cisco":
        return round(dbm * 10) / 10
    raw = round(10 ** (dbm / 10) / 1000 / 1e-6 * 1e3)  # W → µW × 10³
    return 10 * math.log10(raw * 1e-9 * 1000)


def run_collector(config: dict[str, Any], seconds: float, during: Any = None) -> Collector:
    collector = Collector(parse_config(config), CollectorMetrics(CollectorRegistry()))

    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(collector.run(stop))
        if during is not None:
            await asyncio.sleep(seconds / 2)
            during()
        await asyncio.sleep(seconds / 2 if during is not None else seconds)
        stop.set()
        await task

    asyncio.run(main())
    return collector


@pytest.mark.parametrize(("dom_mib", "engine"), [("entity", "ezsnmp"), ("cisco", "ezsnmp"), ("entity", "pysnmp")])
def test_dom_values_reach_influxdb_and_degraded_optics_show(
    sim_agent, config_dict, influxdb, influx_db, dom_mib, engine
):
    ports = [
        SimInterface("Gi1/0/1", 1e6, 1e6),  # copper: no DOM
        SimInterface("Te1/1/1", 1e8, 1e8, speed_mbps=10000, optics=SimOptics(rx_dbm=-4.2, tx_dbm=-1.7)),
        SimInterface(
            "Hu1/0/49",
            1e8,
            1e8,
            speed_mbps=100000,
            optics=SimOptics(rx_dbm=-2.5, tx_dbm=0.8, temperature_c=41.3, bias_ma=35.12, voltage_v=3.27, lanes=4),
        ),
    ]
    sim, agent = sim_agent("sw-core", ports)
    data = sim.read()
    data["dom_mib"] = dom_mib
    sim._write(data)
    interfaces = {"sw-core": {"Te1/1/1": {"role": "access", "organization": "ZŠ Aléská 270"}}}
    config = config_dict([("sw-core", agent, "v2")], influxdb.url, influx_db, interfaces=interfaces)
    config["snmp"] = {**config["snmp"], "engine": engine, "lldp_every": 0}
    config["timeout_s"] = 1

    collector = run_collector(config, 4.0, during=lambda: sim.set_optics("Te1/1/1", rx_dbm=-27.5))
    rows = influxdb.rows(
        'SELECT * FROM "optics" GROUP BY "interface", "lane", "organization", "role", "site"', influx_db
    )
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_key.setdefault((row["interface"], row["lane"]), []).append(row)
    assert sorted(by_key) == [
        ("Hu1/0/49", "1"),
        ("Hu1/0/49", "2"),
        ("Hu1/0/49", "3"),
        ("Hu1/0/49", "4"),
        ("Te1/1/1", "1"),
    ]
    te = sorted(by_key[("Te1/1/1", "1")], key=lambda r: r["time"])
    assert te[0]["organization"] == "ZŠ Aléská 270" and te[0]["role"] == "access" and te[0]["site"] == "Bílina radnice"
    assert te[0]["rx_dbm"] == pytest.approx(served_dbm(-4.2, dom_mib), abs=1e-5)
    assert te[0]["tx_dbm"] == pytest.approx(served_dbm(-1.7, dom_mib), abs=1e-5)
    assert te[-1]["rx_dbm"] == pytest.approx(served_dbm(-27.5, dom_mib), abs=1e-5)  # the degraded optic
    hu = by_key[("Hu1/0/49", "1")][-1]
    assert (hu["temperature_c"], hu["bias_ma"], hu["voltage_v"]) == pytest.approx((41.3, 35.12, 3.27), abs=1e-9)
    assert hu["rx_dbm"] == pytest.approx(served_dbm(-2.5, dom_mib), abs=1e-5)
    lane3 = by_key[("Hu1/0/49", "3")][-1]
    assert lane3["temperature_c"] is None and lane3["bias_ma"] == pytest.approx(35.12)  # per-lane sensors only
    value = collector.metrics.registry.get_sample_value
    assert value("metronet_table_walks_total", {"table": "optics"}) >= 3
    assert value("metronet_table_walks_total", {"table": "entities"}) == 1  # the entity map is cached
    assert value("metronet_table_walk_errors_total", {"table": "optics", "reason": "timeout"}) is None


def test_lldp_neighbors_reach_influxdb_and_netbox(sim_agent, influxdb, influx_db, tmp_path, monkeypatch):
    core_sim, core = sim_agent(
        "sw-mu-core",
        [SimInterface("Te1/0/1", 1e8, 1e8), SimInterface("Te1/0/5", 1e8, 1e8)],
    )
    agg_sim, agg = sim_agent("sw-mu-agg", [SimInterface("Te1/1/1", 1e8, 1e8)])
    core_sim.set_neighbors(
        [
            SimNeighbor("Te1/0/1", "sw-mu-agg", "Te1/1/1", "sw-mu-core Te1/0/1", "02:00:aa:bb:cc:01"),
            SimNeighbor("Te1/0/5", "sw-zs-aleska", "Te1/1/1", "uplink", "sw-zs-aleska-chassis"),
        ]
    )
    agg_sim.set_neighbors([SimNeighbor("Te1/1/1", "sw-mu-core", "Te1/0/1", "", "02:00:aa:bb:cc:02")])
    netbox = FakeNetBox(token=TOKEN)
    netbox.set(
        [
            device(1, "sw-mu-core", ip="127.0.0.1/32", port=core.port, napalm=None),
            device(2, "sw-mu-agg", ip="127.0.0.1/32", port=agg.port, napalm=None),
        ],
        [],
        [],
    )
    netbox.lldp_fail_next = 1  # the first report fails (503): it is retried, polling goes on
    netbox.start()
    try:
        monkeypatch.setenv("METRONET_TEST_COMMUNITY", "public")
        monkeypatch.setenv("METRONET_TEST_NETBOX_TOKEN", TOKEN)
        config = {
            "interval_s": 1,
            "jitter_s": 0,
            "timeout_s": 1,
            "snmp": {"request_timeout_s": 0.4, "retries": 1, "lldp_every": 2},
            "auths": {"v2": {"version": "2c", "community": {"env": "METRONET_TEST_COMMUNITY"}}},
            "netbox": {"url": netbox.url, "token": {"env": "METRONET_TEST_NETBOX_TOKEN"}, "timeout_s": 2},
            "sink": {"type": "influxdb_v1", "url": influxdb.url, "database": influx_db},
            "spool": {"directory": str(tmp_path / "spool"), "max_bytes": 1 << 24, "segment_bytes": 1 << 16},
            "metrics": {"listen": ""},
        }
        collector = run_collector(config, 3.6)
    finally:
        netbox.stop()
    rows = influxdb.rows('SELECT * FROM "lldp" GROUP BY *', influx_db)
    seen = {(r["device"], r["interface"], r["remote_device"], r["remote_interface"]) for r in rows}
    assert seen == {
        ("sw-mu-core", "Te1/0/1", "sw-mu-agg", "Te1/1/1"),
        ("sw-mu-core", "Te1/0/5", "sw-zs-aleska", "Te1/1/1"),
        ("sw-mu-agg", "Te1/1/1", "sw-mu-core", "Te1/0/1"),
    }
    assert all(r["present"] == 1 for r in rows)
    per_device = {d: sum(1 for r in rows if r["device"] == d) for d in ("sw-mu-core", "sw-mu-agg")}
    assert per_device["sw-mu-core"] >= 4 and per_device["sw-mu-core"] % 2 == 0  # polls 1 and 3 of ≥ 3
    assert netbox.lldp_snapshots["sw-mu-core"] == [
        {
            "local_interface": "Te1/0/1",
            "remote_system": "sw-mu-agg",
            "remote_port": "Te1/1/1",
            "remote_port_description": "sw-mu-core Te1/0/1",
            "remote_chassis_id": "02:00:aa:bb:cc:01",
        },
        {
            "local_interface": "Te1/0/5",
            "remote_system": "sw-zs-aleska",
            "remote_port": "Te1/1/1",
            "remote_port_description": "uplink",
            "remote_chassis_id": "sw-zs-aleska-chassis",
        },
    ]
    assert [n["remote_system"] for n in netbox.lldp_snapshots["sw-mu-agg"]] == ["sw-mu-core"]
    value = collector.metrics.registry.get_sample_value
    assert value("metronet_lldp_reports_total", {"result": "http_error"}) == 1
    assert value("metronet_lldp_reports_total", {"result": "ok"}) >= 2
    assert value("metronet_table_walks_total", {"table": "lldp"}) >= 4


def snapshot(device_name: str, *neighbors: LldpNeighbor) -> LldpSnapshot:
    return LldpSnapshot(device_name, time.time_ns(), list(neighbors))


def test_lldp_report_answers_and_failures():
    netbox = FakeNetBox(token=TOKEN)
    netbox.set([device(1, "sw-mu-core")], [], [])
    netbox.start()
    metrics = CollectorMetrics(CollectorRegistry())
    value = metrics.registry.get_sample_value
    link = LldpNeighbor("Te1/0/1", "sw-mu-agg", "Te1/1/1", "to core", "02:00:00:00:00:01")

    async def main() -> None:
        reporter = LldpReporter(netbox.url, TOKEN, metrics, timeout_s=2)
        reporter.submit(snapshot("sw-mu-core", link))
        await reporter.flush()
        assert reporter.results["sw-mu-core"] == {"created": 1, "updated": 0, "deleted": 0}
        changed = LldpNeighbor("Te1/0/1", "sw-mu-agg", "Te1/1/1", "renamed", "02:00:00:00:00:01")
        reporter.submit(snapshot("sw-mu-core", changed, LldpNeighbor("Te1/0/2", "sw-x", "Gi0/1")))
        await reporter.flush()
        assert reporter.results["sw-mu-core"] == {"created": 1, "updated": 1, "deleted": 0}
        reporter.submit(snapshot("sw-mu-core"))  # an empty snapshot deletes the stored neighbors
        await reporter.flush()
        assert reporter.results["sw-mu-core"] == {"created": 0, "updated": 0, "deleted": 2}
        # a device NetBox does not know: 400 with field errors, dropped (retrying cannot help)
        reporter.submit(snapshot("sw-nowhere", link))
        await reporter.flush()
        assert "sw-nowhere" not in reporter.pending
        # a wrong token: 403, counted as auth, kept for the next round
        bad = LldpReporter(netbox.url, "f" * 40, metrics, timeout_s=2)
        bad.submit(snapshot("sw-mu-core", link))
        await bad.flush()
        assert "sw-mu-core" in bad.pending
        await bad.stop()
        # NetBox down: kept pending, then delivered once it is back
        netbox.stop()
        reporter.submit(snapshot("sw-mu-core", link))
        await reporter.flush()
        assert "sw-mu-core" in reporter.pending
        await reporter.stop()

    try:
        asyncio.run(main())
    finally:
        netbox.stop()
    assert value("metronet_lldp_reports_total", {"result": "ok"}) == 3
    assert value("metronet_lldp_reports_total", {"result": "rejected"}) == 1
    assert value("metronet_lldp_reports_total", {"result": "auth"}) == 1
    assert value("metronet_lldp_reports_total", {"result": "unreachable"}) == 1
    assert netbox.lldp_reports[-1]["device"] == "sw-nowhere"  # the body the server saw
    assert netbox.lldp_reports[0]["observed_at"].endswith("Z")
    assert all(p == LLDP_REPORT_PATH for p, _ in netbox.requests)
