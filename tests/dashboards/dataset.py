"""One data set for every dashboard and alert query: simulated devices polled by the real collector into a real
InfluxDB 1.6.7, plus the coverage exporter's points from a NetBox double.

    core-bilina (site Bílina radnice, core)            sw-aleska (site ZŠ Aléská, access, org ZŠ Aléská)
      Gi1/0/1 access ZŠ Aléská  400/200 Mbit/s, 2 err/s,  ─── Gi0/1 uplink  200/400 Mbit/s, optic rx −6.5 tx −2.2
              optic rx −6.0 tx −2.0 (loss 4 dB > budget 3.5)       rebooted halfway
      Gi1/0/2 access MŠ Čapkova 300/300 Mbit/s, down halfway
      Gi1/0/3 access Městská knihovna 950/500 Mbit/s of 1 Gbit/s (95 %)
    sw-dead (site Pečovatelská služba): no agent → reachable=0

Optics a week ago are not something the collector can produce now: the drift rule's history (rx −2.5 dBm three
days ago on core-bilina Gi1/0/1, i.e. 3.5 dB above today) is written as points of the documented schema with the
collector's line-protocol encoder and v1 sink.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collector_services import InfluxDB, require_binary
from netbox_rest_double import TOKEN, FakeNetBox
from prometheus_client import CollectorRegistry

from metronet_collectors import coverage_export
from metronet_collectors.collector import Collector
from metronet_collectors.config import parse_config
from metronet_collectors.lineprotocol import encode_points
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import Point
from metronet_collectors.sim import SimDevice, SimInterface, SimOptics, SnmpdAgent
from metronet_collectors.sim.agent import free_udp_port
from metronet_collectors.sinks import make_sink

CORE, SWITCH, DEAD = "core-bilina", "sw-aleska", "sw-dead"
ALESKA, CAPKOVA, KNIHOVNA = "ZŠ Aléská", "MŠ Čapkova", "Městská knihovna"
RATE_IN, RATE_OUT = 4.0e8, 2.0e8  # core-bilina Gi1/0/1
ENV = {"METRONET_DASH_COMMUNITY": "public", "METRONET_DASH_NETBOX_TOKEN": TOKEN}


@dataclass
class DataSet:
    influxdb: InfluxDB
    db: str
    start_ms: int
    end_ms: int
    netbox: FakeNetBox
    exported: int
    registry: CollectorRegistry
    notes: dict[str, Any] = field(default_factory=dict)

    def rows(self, query: str) -> list[dict[str, Any]]:
        return self.influxdb.rows(query, self.db)


def _config(influx_url: str, db: str, workdir: Path, agents: dict[str, int], netbox_url: str = "") -> dict[str, Any]:
    def dev(name: str, port: int, site: str, role: str, org: str, interfaces: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "address": "127.0.0.1", "site": site, "role": role, "organization": org,
                "snmp": {"auth": "v2", "port": port}, "interfaces": interfaces}

    data: dict[str, Any] = {
        "interval_s": 1, "jitter_s": 0, "timeout_s": 1, "concurrency": 8,
        "snmp": {"request_timeout_s": 0.4, "retries": 1},
        "auths": {"v2": {"version": "2c", "community": {"env": "METRONET_DASH_COMMUNITY"}}},
        "devices": [
            dev(CORE, agents[CORE], "Bílina radnice", "core", "Město Bílina", {
                "Gi1/0/1": {"role": "access", "organization": ALESKA},
                "Gi1/0/2": {"role": "access", "organization": CAPKOVA},
                "Gi1/0/3": {"role": "access", "organization": KNIHOVNA},
            }),
            dev(SWITCH, agents[SWITCH], ALESKA, "access", ALESKA,
                {"Gi0/1": {"role": "uplink", "organization": ALESKA}}),
            dev(DEAD, agents[DEAD], "Pečovatelská služba", "access", "Pečovatelská služba", {}),
        ],
        "sink": {"type": "influxdb_v1", "url": influx_url, "database": db, "retry_initial_s": 0.2, "retry_max_s": 1},
        "spool": {"directory": str(workdir / "spool"), "max_bytes": 1 << 24, "segment_bytes": 1 << 16},
        "metrics": {"listen": ""},
    }
    if netbox_url:  # the exporter's config: the collector's file with its NetBox source
        data["netbox"] = {"url": netbox_url, "token": {"env": "METRONET_DASH_NETBOX_TOKEN"}}
        data["devices"] = []
    return data


def build(influxdb: InfluxDB, workdir: Path) -> DataSet:
    require_binary("snmpd", "snmpd")
    require_binary("snmpget", "snmp")
    db = "dashboards"
    influxdb.query(f'DROP DATABASE "{db}"')
    influxdb.create_database(db)
    core = SimDevice.create(workdir / "core.json", CORE, [
        SimInterface("Gi1/0/1", RATE_IN, RATE_OUT, in_errors_ps=2.0, optics=SimOptics(rx_dbm=-6.0, tx_dbm=-2.0)),
        SimInterface("Gi1/0/2", 3.0e8, 3.0e8),
        SimInterface("Gi1/0/3", 9.5e8, 5.0e8),
    ], uptime_s=100000.0)
    switch = SimDevice.create(workdir / "sw.json", SWITCH, [
        SimInterface("Gi0/1", RATE_OUT, RATE_IN, optics=SimOptics(rx_dbm=-6.5, tx_dbm=-2.2)),
    ], uptime_s=5000.0)
    agents = [SnmpdAgent(core), SnmpdAgent(switch)]
    netbox = FakeNetBox(CORE).start()
    try:
        for agent in agents:
            agent.start()
        ports = {CORE: agents[0].port, SWITCH: agents[1].port, DEAD: free_udp_port()}
        config = parse_config(_config(influxdb.url, db, workdir, ports), environ=ENV)
        registry = CollectorRegistry()
        collector = Collector(config, CollectorMetrics(registry))
        start_ms = int(time.time() * 1000) - 1000

        async def main() -> None:
            stop = asyncio.Event()
            task = asyncio.create_task(collector.run(stop))
            await asyncio.sleep(4.5)
            core.set_link("Gi1/0/2", up=False)
            switch.reboot()
            await asyncio.sleep(4.5)
            stop.set()
            await task

        asyncio.run(main())
    finally:
        for agent in agents:
            agent.stop()
    # the drift rule's history (see the module docstring)
    three_days_ago = time.time_ns() - 3 * 86400 * 10**9
    history = [
        Point("optics", {"device": CORE, "interface": "Gi1/0/1", "site": "Bílina radnice", "organization": ALESKA,
                         "role": "access", "lane": "1"}, {"rx_dbm": -2.5, "tx_dbm": -2.0}, three_days_ago + i * 10**9)
        for i in range(5)
    ]
    sink = make_sink(config.sink)
    asyncio.run(sink.write(encode_points(history)))
    sink.close()
    # the coverage exporter, reading the NetBox double with the collector's config
    export_config = parse_config(_config(influxdb.url, db, workdir, ports, netbox.url), environ=ENV)
    exported = coverage_export.run_once(export_config, None, 1310, print_only=False)
    end_ms = int(time.time() * 1000) + 1000
    return DataSet(influxdb, db, start_ms, end_ms, netbox, exported, registry,
                   notes={"lane_tag": _lane(influxdb, db)})


def _lane(influxdb: InfluxDB, db: str) -> list[str]:
    series = influxdb.query('SHOW TAG VALUES FROM "optics" WITH KEY = "lane"', db)
    return [v for _, v in series[0]["values"]] if series else []

