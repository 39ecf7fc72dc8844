"""The collector part of the local demo: simulated agents for the Bílina sample network, InfluxDB, collector.

    python -m metronet_collectors.demo prepare --from-yaml bilina.yaml --workdir DIR   # writes files, prints Procfile
    python -m metronet_collectors.demo agents --workdir DIR      # runs every simulated snmpd until SIGTERM
    python -m metronet_collectors.demo collector --workdir DIR   # waits for InfluxDB, creates the db, runs

``prepare`` reads the sample network file (the one ``netbox metronet_load`` loads) directly, so it needs
neither a running NetBox nor primary IPs in it. Every switch (a device whose type has interfaces) becomes
one net-snmp ``snmpd`` agent on 127.0.0.1 with the ports of its device type; links get roles and
organizations from the file: a cable between two switches is ``backbone``; an interface in a *connected*
connection is ``uplink`` on the organization's access switch and ``access`` on the core/aggregation side,
with that connection's organization. Those links are up with steady traffic (mirrored on both ends);
other ports are down. Ports are a stable mapping of the device name: ``base_port + crc32(name) mod 1000``
(the next free port on a collision, names taken in sorted order), written to ``agents.json``.

Files written to DIR: ``devices/<name>.json`` (simulated state; change it with ``python -m
metronet_collectors.sim link …``), ``devices/snmpd-<name>/snmpd.conf``, ``agents.json``, ``collector.yaml``
(static device list, InfluxDB 1.x ``/write`` sink), ``secrets.yaml`` (the demo community, mode 0600),
``influxdb.conf`` (data under ``DIR/influxdb``), ``spool/``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import time
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from metronet_collectors.sim.agent import SimDevice, SimInterface, SimNeighbor, SimOptics, SnmpdAgent

PORT_SPAN = 1000
COMMUNITY = "public"
# Optical budget of the demo's fiber links (rx = tx − loss): an LR optic launches TX_DBM; the loss is the
# drop cable's length (the connection's strand cable in the file) × ATTENUATION_DB_PER_KM (G.652.D at
# 1310 nm, the plugin's default) + two connectors + a splice allowance. The backbone part of the path is
# not traced here. A fiber port up without a known cable gets SYNTHETIC_RX_DBM (stated, not derived).
TX_DBM = -2.0
ATTENUATION_DB_PER_KM = 0.35
CONNECTORS_DB = 2 * 0.5
SPLICES_DB = 0.3
SYNTHETIC_RX_DBM = -6.0
_RANGE = re.compile(r"\[(\d+)-(\d+)\]")


def expand_names(pattern: str) -> list[str]:
    """'Gi1/0/[1-24]' → ['Gi1/0/1', …, 'Gi1/0/24'] (one numeric range, as in the sample file)."""
    match = _RANGE.search(pattern)
    if match is None:
        return [pattern]
    lo, hi = int(match.group(1)), int(match.group(2))
    return [pattern[: match.start()] + str(n) + pattern[match.end() :] for n in range(lo, hi + 1)]


def speed_mbps(if_type: str) -> int:
    for prefix, speed in (("100gbase", 100_000), ("40gbase", 40_000), ("25gbase", 25_000), ("10gbase", 10_000)):
        if if_type.startswith(prefix):
            return speed
    return 1000


def stable_ports(names: Iterable[str], base_port: int) -> dict[str, int]:
    """Device name → UDP port: base + crc32(name) mod PORT_SPAN, probing upwards on a collision."""
    ports: dict[str, int] = {}
    used: set[int] = set()
    for name in sorted(names):
        offset = zlib.crc32(name.encode("utf-8")) % PORT_SPAN
        while base_port + offset in used:
            offset = (offset + 1) % PORT_SPAN
        used.add(base_port + offset)
        ports[name] = base_port + offset
    return ports


def _rate(key: str, lo: float, hi: float) -> float:
    """A steady, reproducible rate in [lo, hi) bits/s for a link."""
    return lo + (zlib.crc32(key.encode("utf-8")) % 10_000) / 10_000 * (hi - lo)


@dataclass
class DemoPort:
    name: str
    speed_mbps: int
    role: str = ""
    organization: str = ""
    in_bps: float = 0.0
    out_bps: float = 0.0
    up: bool = False
    optical: bool = False  # an SFP/SFP+ cage (…-x-sfp…): gets a transceiver with DOM when the link is up
    dac: bool = False  # a direct-attach copper cable: no DOM
    rx_dbm: float | None = None
    neighbors: list[SimNeighbor] = field(default_factory=list)


def rx_dbm_for_length(length_m: float) -> float:
    """Received power of the demo's LR optic over `length_m` of G.652.D fiber (see TX_DBM)."""
    return round(TX_DBM - (length_m / 1000 * ATTENUATION_DB_PER_KM + CONNECTORS_DB + SPLICES_DB), 2)


@dataclass
class DemoDevice:
    name: str
    site: str
    role: str
    organization: str
    ports: dict[str, DemoPort] = field(default_factory=dict)
    port: int = 0


def plan_from_network(data: Mapping[str, Any], only: set[str] | None = None) -> list[DemoDevice]:
    """The simulated switches of a sample network file (format metronet-network/1)."""
    sites = {s["slug"]: s["name"] for s in data.get("sites", [])}
    orgs = {o["slug"]: o["name"] for o in data.get("organizations", [])}
    types = {t["slug"]: t for t in data.get("device_types", [])}
    devices: dict[str, DemoDevice] = {}
    for spec in data.get("devices", []):
        dtype = types.get(spec["device_type"], {})
        if not dtype.get("interfaces") or (only and spec["name"] not in only):
            continue
        device = DemoDevice(
            name=spec["name"],
            site=sites.get(spec.get("site", ""), spec.get("site", "")),
            role=spec.get("role", ""),
            organization=orgs.get(spec.get("tenant", ""), ""),
        )
        for template in dtype["interfaces"]:
            for if_name in expand_names(template["name"]):
                if_type = template.get("type", "")
                device.ports[if_name] = DemoPort(if_name, speed_mbps(if_type), optical="-x" in if_type)
        devices[device.name] = device

    def port(end: Mapping[str, Any]) -> DemoPort | None:
        device = devices.get(end.get("device", ""))
        return device.ports.get(end.get("interface", "")) if device and "interface" in end else None

    for cable in data.get("cables", []):
        a, b = port(cable["a"]), port(cable["b"])
        if a is None or b is None:
            continue  # a patch cord to a patch panel: the link is described by a connection
        rate = _rate(f"{cable['a']['device']}:{a.name}", 2e8, 2e9)
        for end, in_bps, out_bps in ((a, rate / 3, rate), (b, rate, rate / 3)):
            end.role, end.up, end.in_bps, end.out_bps = "backbone", True, in_bps, out_bps
            end.dac = str(cable.get("type", "")).startswith("dac")
        link_neighbors(devices, cable["a"], cable["b"])
    cable_length = {c["name"]: float(c["length_m"]) for c in data.get("fiber_cables", []) if c.get("length_m")}
    for conn in data.get("connections", []):
        if conn.get("status") != "connected":
            continue
        organization = orgs.get(conn["tenant"], conn["tenant"])
        down = _rate(f"{conn['tenant']}:down", 5e6, 3e8)  # towards the organization
        up = down * (0.2 + zlib.crc32(conn["tenant"].encode()) % 50 / 100)
        for end in conn.get("access_interfaces", []):
            itf = port(end)
            if itf is None:
                continue
            at_org = devices[end["device"]].role == "access-switch"
            itf.role = "uplink" if at_org else "access"
            itf.organization, itf.up = organization, True
            itf.in_bps, itf.out_bps = (down, up) if at_org else (up, down)
            itf.in_bps = min(itf.in_bps, itf.speed_mbps * 1e6 * 0.9)
            itf.out_bps = min(itf.out_bps, itf.speed_mbps * 1e6 * 0.9)
            length = cable_length.get((conn.get("strand") or {}).get("cable", ""))
            if length is not None:
                itf.rx_dbm = rx_dbm_for_length(length)
        # the organization's switch ports and the core/aggregation ports, paired in order (a protected
        # connection lists two of each): LLDP neighbors over the fiber
        ends = [e for e in conn.get("access_interfaces", []) if port(e) is not None]
        org_ends = [e for e in ends if devices[e["device"]].role == "access-switch"]
        core_ends = [e for e in ends if devices[e["device"]].role != "access-switch"]
        for org_end, core_end in zip(org_ends, core_ends, strict=False):
            link_neighbors(devices, org_end, core_end)
    return sorted(devices.values(), key=lambda d: d.name)


def chassis_mac(name: str) -> str:
    """A stable locally administered MAC for a device's LLDP chassis id."""
    digest = zlib.crc32(name.encode("utf-8")).to_bytes(4, "big")
    return ":".join(f"{b:02x}" for b in (b"\x02\x00" + digest))


def link_neighbors(devices: Mapping[str, DemoDevice], a: Mapping[str, Any], b: Mapping[str, Any]) -> None:
    """Each end of a switch-to-switch link sees the other as its LLDP neighbor."""
    for near, far in ((a, b), (b, a)):
        device = devices[near["device"]]
        device.ports[near["interface"]].neighbors.append(
            SimNeighbor(
                local_interface=near["interface"],
                remote_system=far["device"],
                remote_port=far["interface"],
                remote_port_description=f"{near['device']} {near['interface']}",
                remote_chassis_id=chassis_mac(far["device"]),
            )
        )


def port_optics(port: DemoPort) -> SimOptics | None:
    if not (port.optical and port.up) or port.dac:
        return None
    return SimOptics(rx_dbm=port.rx_dbm if port.rx_dbm is not None else SYNTHETIC_RX_DBM, tx_dbm=TX_DBM)


def influxdb_conf(workdir: Path, http_port: int, meta_port: int) -> str:
    data = workdir / "influxdb"
    return f"""# InfluxDB 1.x for the MetroNet demo (Debian package influxdb); data under {data}
reporting-enabled = false
bind-address = "127.0.0.1:{meta_port}"
[meta]
  dir = "{data}/meta"
[data]
  dir = "{data}/data"
  wal-dir = "{data}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:{http_port}"
  log-enabled = false
[monitor]
  store-enabled = false
"""


def collector_config(
    devices: list[DemoDevice], influx_url: str, database: str, interval_s: float, metrics_listen: str
) -> dict[str, Any]:
    return {
        "interval_s": interval_s,
        "jitter_s": min(5.0, interval_s / 10),
        "timeout_s": min(10.0, interval_s),
        "concurrency": 32,
        "snmp": {"request_timeout_s": 1.0, "retries": 1},
        "secrets_file": "secrets.yaml",
        "auths": {"demo-v2": {"version": "2c", "community": {"secret": "demo_community"}}},
        "devices": [
            {
                "name": d.name,
                "address": "127.0.0.1",
                "site": d.site,
                "role": d.role,
                "organization": d.organization,
                "snmp": {"auth": "demo-v2", "port": d.port},
                "interfaces": {
                    p.name: {"role": p.role, "organization": p.organization}
                    for p in d.ports.values()
                    if p.role or p.organization
                },
            }
            for d in devices
        ],
        "sink": {"type": "influxdb_v1", "url": influx_url, "database": database},
        "spool": {"directory": "spool", "max_bytes": 256 << 20, "segment_bytes": 8 << 20},
        "metrics": {"listen": metrics_listen},
    }


def prepare(args: argparse.Namespace) -> int:
    workdir: Path = args.workdir.resolve()
    data = yaml.safe_load(args.from_yaml.read_text(encoding="utf-8"))
    only = set(args.only.split(",")) if args.only else None
    devices = plan_from_network(data, only)
    if not devices:
        print("error: no switches found in the network file", file=sys.stderr)
        return 2
    ports = stable_ports((d.name for d in devices), args.base_port)
    (workdir / "devices").mkdir(parents=True, exist_ok=True)
    agents = []
    for device in devices:
        device.port = ports[device.name]
        state = workdir / "devices" / f"{device.name}.json"
        sim = SimDevice.create(
            state,
            device.name,
            [
                SimInterface(
                    p.name,
                    in_bps=p.in_bps,
                    out_bps=p.out_bps,
                    speed_mbps=p.speed_mbps,
                    up=p.up,
                    optics=port_optics(p),
                )
                for p in device.ports.values()
            ],
            uptime_s=86400.0,
            neighbors=[n for p in device.ports.values() for n in p.neighbors],
        )
        agent = SnmpdAgent(sim, port=device.port, community=COMMUNITY)
        agent.workdir.mkdir(parents=True, exist_ok=True)
        (agent.workdir / "snmpd.conf").write_text(agent.config_text(), encoding="utf-8")
        agents.append({"name": device.name, "state": str(state), "port": device.port})
    (workdir / "agents.json").write_text(json.dumps(agents, indent=1) + "\n", encoding="utf-8")
    influx_url = f"http://127.0.0.1:{args.influx_port}"
    config = collector_config(devices, influx_url, args.database, args.interval, args.metrics_listen)
    header = "# MetroNet demo collector config, generated by `python -m metronet_collectors.demo prepare`.\n"
    (workdir / "collector.yaml").write_text(
        header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    secrets = workdir / "secrets.yaml"
    secrets.write_text(f"demo_community: {COMMUNITY}\n", encoding="utf-8")
    secrets.chmod(0o600)
    (workdir / "influxdb.conf").write_text(
        influxdb_conf(workdir, args.influx_port, args.influx_meta_port), encoding="utf-8"
    )
    python = sys.executable
    print(f"# {len(devices)} simulated switches on udp 127.0.0.1 ({min(ports.values())}–{max(ports.values())})")
    print(f"snmp-agents: exec {python} -m metronet_collectors.demo agents --workdir {workdir}")
    print(f"influxdb: exec influxd -config {workdir / 'influxdb.conf'}")
    print(f"collector: exec {python} -m metronet_collectors.demo collector --workdir {workdir}")
    return 0


def _wait_signal() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    signal.sigwait({signal.SIGINT, signal.SIGTERM})


def run_agents(args: argparse.Namespace) -> int:
    specs = json.loads((args.workdir / "agents.json").read_text(encoding="utf-8"))
    agents = [SnmpdAgent(SimDevice(Path(s["state"])), port=int(s["port"]), community=COMMUNITY) for s in specs]
    started: list[SnmpdAgent] = []
    try:
        for agent in agents:
            agent.start()  # before blocking signals: snmpd would inherit the mask
            started.append(agent)
        print(f"{len(started)} simulated agents answer on udp 127.0.0.1 (community {COMMUNITY})", flush=True)
        _wait_signal()
    finally:
        for agent in started:
            agent.stop()
    return 0


def _influx_request(url: str, path: str, params: dict[str, str], method: str = "GET") -> int:
    query = urllib.parse.urlencode(params)
    request = urllib.request.Request(f"{url}{path}?{query}" if query else f"{url}{path}", method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        status: int = response.status
        return status


def ensure_database(url: str, database: str, wait_s: float) -> None:
    """Wait for InfluxDB 1.x to answer /ping, then CREATE DATABASE (idempotent in InfluxQL)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            _influx_request(url, "/ping", {})
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    escaped = database.replace('"', '\\"')
    _influx_request(url, "/query", {"q": f'CREATE DATABASE "{escaped}"'}, method="POST")


def run_collector(args: argparse.Namespace) -> int:
    from metronet_collectors.cli import main as cli_main
    from metronet_collectors.config import ConfigError, load_config

    path = args.workdir / "collector.yaml"
    try:
        config = load_config(path)
    except ConfigError as exc:
        for error in exc.errors:
            print(f"config error: {error}", file=sys.stderr)
        return 2
    ensure_database(config.sink.url, config.sink.database, args.wait)
    return cli_main(["-c", str(path), "run"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metronet_collectors.demo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="write agent, collector and InfluxDB configs; print Procfile lines")
    prep.add_argument("--from-yaml", type=Path, required=True, help="sample network file (bilina.yaml)")
    prep.add_argument("--workdir", type=Path, required=True)
    prep.add_argument("--only", default="", help="comma-separated device names (default: every switch)")
    prep.add_argument("--base-port", type=int, default=16100, help="UDP ports base_port … base_port+999")
    prep.add_argument("--influx-port", type=int, default=8086)
    prep.add_argument("--influx-meta-port", type=int, default=8088)
    prep.add_argument("--database", default="metronet")
    prep.add_argument("--interval", type=float, default=60.0, help="collector poll interval, seconds")
    prep.add_argument("--metrics-listen", default="127.0.0.1:9108", help="collector /metrics ('' = off)")
    agents = commands.add_parser("agents", help="run the simulated agents of a prepared workdir until SIGTERM")
    agents.add_argument("--workdir", type=Path, required=True)
    coll = commands.add_parser("collector", help="wait for InfluxDB, create the database, run the collector")
    coll.add_argument("--workdir", type=Path, required=True)
    coll.add_argument("--wait", type=float, default=60.0, help="seconds to wait for InfluxDB")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    if args.command == "prepare":
        return prepare(args)
    if args.command == "agents":
        return run_agents(args)
    return run_collector(args)


if __name__ == "__main__":
    sys.exit(main())
