"""Collector benchmark: interface-samples/s, client CPU-s per 1,000 interfaces and client RSS.

    PYTHONPATH=collectors python benchmarks/collector_bench.py [--agents 1,50] [--ports 48] [--rounds 5] [--v3]

For each agent count it starts that many 48-port agents and measures, in the same run and against the same
agents, the clients below (``--clients`` picks some). Agents (``--agent-kind``):

- ``netns`` (default; needs root and iproute2): net-snmp ``snmpd`` serving its own, native (C) IF-MIB in a
  scratch network namespace holding 24 veth pairs (48 ports) + lo + the veth that links it to the host
  (50 rows in ifTable); the agents listen on that link's address. The agent is not the bottleneck.
- ``sim``: the collector's simulated devices (``snmpd`` + the Python pass_persist helper of
  ``metronet_collectors.sim``, moving counters). The Python helper answers each varbind and is the
  bottleneck in wall time (CPU-s per 1,000 interfaces of the client are still comparable).

Clients:

- **ezsnmp**, **pysnmp** (v1arch), **pysnmp-v3arch**, **exporter-engine** (``snmp.engine: snmp-exporter``):
  the collector's engines (``snmp.engine``; one
  multi-column GETBULK walk of ifTable + ifXTable per device) polling every agent concurrently, ``--rounds``
  times after one warm-up round. Each engine runs in a fresh child process (this script with ``--child``),
  so CPU = the child's own CPU time (all threads) after the warm-up and RSS = its peak RSS (``ru_maxrss``,
  Python interpreter and imports included), free of the other engines. For **exporter-engine** the child
  starts its own prometheus-snmp-exporter (``snmp.exporter.manage``): CPU = the child's CPU + the exporter's
  utime+stime from ``/proc/<pid>/stat`` over the same timed rounds, RSS = the child's peak RSS + the
  exporter's ``VmHWM``;
All clients walk the same columns: what the engines walk in steady state (``IF_DYNAMIC_COLUMNS``: the 10
moving ifTable/ifXTable columns; names come from a full walk every 30 polls, done in the warm-up round).

- **snmpbulkwalk** (net-snmp CLI, C): one process per column for the same 10 columns + sysUpTime, 8
  processes at a time; CPU = user+sys of the terminated children (``RUSAGE_CHILDREN``; the agents are
  still running, so their CPU is not in it);
- **snmp-exporter**: Debian's ``prometheus-snmp-exporter`` (Go) with a generated ``snmp.yml`` module of
  numeric OIDs for the same columns; every target scraped over HTTP concurrently (``/snmp?target=…``);
  CPU = utime+stime of the exporter process from ``/proc/<pid>/stat`` before and after the timed rounds,
  RSS = its ``VmHWM``.

With ``--v3`` the agents also get an SNMPv3 authPriv user (SHA/AES) and the v3-capable engines run again
with it (``ezsnmp v3``, ``pysnmp v3``: pysnmp polls v3 devices with v3arch whatever the engine).

Interface-samples/s = interface rows polled / wall time (rows per agent as the agent reports them).
Extrapolation: CPU-s per 1,000 interfaces × interfaces per second the network needs (e.g. 5,000 devices ×
48 ports / 60 s = 4,000 interfaces/s) = cores needed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from metronet_collectors.config import ExporterOptions, Secret, SnmpAuth, SnmpOptions
from metronet_collectors.engines import make_poller
from metronet_collectors.model import Device
from metronet_collectors.sim import SimDevice, SimInterface, SnmpdAgent
from metronet_collectors.sim.agent import V3User
from metronet_collectors.snmp_walk import IF_DYNAMIC_COLUMNS as COLUMNS  # what a steady-state poll walks
from metronet_collectors.snmp_walk import SYS_UPTIME


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class NetnsAgents:
    """``count`` native snmpd agents in one scratch network namespace with ``ports`` veth ports."""

    def __init__(self, workdir: Path, count: int, ports: int, v3: bool = False) -> None:
        self.workdir = workdir
        self.ns = f"mnbench{os.getpid()}"
        self.host_if = f"mnb{os.getpid()}h"[:15]
        self.address = "10.254.77.2"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []
        ip = shutil.which("ip") or "/usr/sbin/ip"
        snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
        run = lambda *cmd: subprocess.run(cmd, check=True, capture_output=True)  # noqa: E731
        run(ip, "netns", "add", self.ns)
        try:
            run(ip, "-n", self.ns, "link", "set", "lo", "up")
            for i in range(ports // 2):
                run(ip, "-n", self.ns, "link", "add", f"p{i}a", "type", "veth", "peer", "name", f"p{i}b")
                run(ip, "-n", self.ns, "link", "set", f"p{i}a", "up")
                run(ip, "-n", self.ns, "link", "set", f"p{i}b", "up")
            run(ip, "link", "add", self.host_if, "type", "veth", "peer", "name", "uplink", "netns", self.ns)
            run(ip, "addr", "add", "10.254.77.1/30", "dev", self.host_if)
            run(ip, "link", "set", self.host_if, "up")
            run(ip, "-n", self.ns, "addr", "add", f"{self.address}/30", "dev", "uplink")
            run(ip, "-n", self.ns, "link", "set", "uplink", "up")
            for i in range(count):
                port = 21000 + i
                conf = workdir / f"snmpd-{i}.conf"
                lines = [f"agentAddress udp:{self.address}:{port}", "rocommunity public 10.254.77.0/30"]
                if v3:
                    lines += [
                        f'createUser {V3_USER[0]} SHA "{V3_USER[1]}" AES "{V3_USER[2]}"',
                        f"rouser {V3_USER[0]} priv",
                    ]
                lines += [f"engineID metronet-bench-{i}", "dontLogTCPWrappersConnects yes"]
                conf.write_text(
                    "\n".join(lines) + "\n",
                    encoding="utf-8",
                )
                env = dict(
                    os.environ, SNMP_PERSISTENT_DIR=str(workdir / f"persist-{i}"), MIBS="", MIBDIRS="/nonexistent"
                )
                log = open(workdir / f"snmpd-{i}.log", "wb")  # noqa: SIM115
                self.processes.append(
                    subprocess.Popen(
                        [ip, "netns", "exec", self.ns, snmpd, "-f", "-Lo", "-C", "-c", str(conf)],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        env=env,
                        start_new_session=True,
                    )  # fmt: skip
                )
                log.close()
                self.ports.append(port)
            for port in self.ports:
                wait_ready(self.address, port)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=10)
        ip = shutil.which("ip") or "/usr/sbin/ip"
        subprocess.run([ip, "netns", "del", self.ns], check=False, capture_output=True)
        subprocess.run([ip, "link", "del", self.host_if], check=False, capture_output=True)


def wait_ready(address: str, port: int, timeout: float = 20.0) -> None:
    snmpget = shutil.which("snmpget")
    if snmpget is None:
        raise SystemExit("snmpget not found: install the Debian package 'snmp'")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cmd = [
            snmpget,
            "-v2c",
            "-c",
            "public",
            "-t",
            "0.5",
            "-r",
            "0",
            "-On",
            "-m",
            "",
            f"{address}:{port}",
            ".1.3.6.1.2.1.1.3.0",
        ]
        if subprocess.run(cmd, capture_output=True, check=False).returncode == 0:
            return
        time.sleep(0.1)
    raise SystemExit(f"agent {address}:{port} did not answer")


def start_agents(workdir: Path, count: int, ports: int, v3: bool = False) -> list[SnmpdAgent]:
    agents = []

    def one(i: int) -> SnmpdAgent:
        interfaces = [
            SimInterface(f"Gi1/0/{p}", in_bps=1e7 + p * 1e5, out_bps=5e6, speed_mbps=1000) for p in range(1, ports + 1)
        ]
        device = SimDevice.create(workdir / f"bench-{i:03d}.json", f"bench-{i:03d}", interfaces)
        agent = SnmpdAgent(device, community="public", v3_user=V3User(*V3_USER) if v3 else None)
        agent.start(timeout=30)
        return agent

    with ThreadPoolExecutor(8) as pool:
        agents = list(pool.map(one, range(count)))
    return agents


V3_USER = ("metronet", "bench-auth-key-1", "bench-priv-key-1")
ENGINE_OF = {"exporter-engine": "snmp-exporter"}  # client name → snmp.engine, where they differ
ENGINES = ("ezsnmp", "pysnmp", "pysnmp-v3arch", "exporter-engine")
ALL_CLIENTS = (*ENGINES, "snmpbulkwalk", "snmp-exporter")
V3_CLIENTS = ("ezsnmp", "pysnmp", "exporter-engine")


async def engine_rounds(
    engine: str, address: str, agent_ports: list[int], rounds: int, v3: bool, workdir: Path | None = None
) -> tuple[float, float, int, float]:
    """(CPU s, wall s, interface samples, RSS MB of helper processes) of ``rounds`` polls of every agent;
    CPU includes the engine's exporter process, if it has one."""
    auths = {
        "v2": SnmpAuth(name="v2", version="2c", community=Secret("public")),
        "v3": SnmpAuth(
            name="v3",
            version="3",
            username=V3_USER[0],
            auth_key=Secret(V3_USER[1]),
            priv_key=Secret(V3_USER[2]),
        ),
    }
    options = SnmpOptions(
        request_timeout_s=5.0, retries=2, max_repetitions=10, engine=engine, max_in_flight=max(64, len(agent_ports))
    )
    if workdir is not None:
        options = replace(options, exporter=ExporterOptions(workdir=str(workdir)))
    poller = make_poller(auths, options)
    devices = [
        Device(name=f"bench-{i:03d}", address=address, port=p, credential="v3" if v3 else "v2")
        for i, p in enumerate(agent_ports)
    ]
    try:
        warm = await asyncio.gather(*(poller.poll(d) for d in devices))  # warm-up (engine, sockets, sessions)
        expected = sum(len(s.interfaces) for s in warm) * rounds
        exporter = getattr(poller, "exporter", None)
        helper_pid: int | None = exporter.pid if exporter is not None else None
        helper0 = proc_cpu_s(helper_pid) if helper_pid is not None else 0.0
        cpu0, wall0 = time.process_time(), time.perf_counter()
        seen = 0
        for _ in range(rounds):
            samples = await asyncio.gather(*(poller.poll(d) for d in devices))
            seen += sum(len(s.interfaces) for s in samples)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        helper_rss = 0.0
        if helper_pid is not None:
            if exporter.pid != helper_pid:
                raise SystemExit(f"{engine}: the exporter was restarted during the timed rounds")
            cpu += proc_cpu_s(helper_pid) - helper0
            helper_rss = proc_hwm_mb(helper_pid)
    finally:
        poller.close()
    if seen != expected:
        raise SystemExit(f"{engine} saw {seen} interface samples, expected {expected}")
    return cpu, wall, seen, helper_rss


def run_child(engine: str, address: str, agent_ports: list[int], rounds: int, v3: bool) -> dict[str, float]:
    """Run one engine in a fresh interpreter (own CPU time and peak RSS); returns its JSON result."""
    cmd = [sys.executable, __file__, "--child", engine, "--address", address, "--rounds", str(rounds)]
    cmd += ["--child-ports", ",".join(map(str, agent_ports))] + (["--v3"] if v3 else [])
    result = subprocess.run(cmd, capture_output=True, check=False, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{engine}: {result.stderr.strip()[-400:]}")
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def child_main(engine: str, address: str, agent_ports: list[int], rounds: int, v3: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="metronet-bench-engine-") as tmp:
        cpu, wall, seen, helper_rss = asyncio.run(
            engine_rounds(ENGINE_OF.get(engine, engine), address, agent_ports, rounds, v3, Path(tmp))
        )
    print(json.dumps({"cpu": cpu, "wall": wall, "seen": seen, "rss_mb": rss_mb() + helper_rss}))
    return 0


def snmpbulkwalk_rounds(address: str, agent_ports: list[int], rounds: int) -> tuple[float, float]:
    binary = shutil.which("snmpbulkwalk")
    if binary is None:
        raise SystemExit("snmpbulkwalk not found: install the Debian package 'snmp'")
    columns = [".".join(map(str, oid)) for oid in [SYS_UPTIME, *COLUMNS.values()]]

    def walk(job: tuple[int, str]) -> int:
        port, oid = job
        result = subprocess.run(
            [
                binary,
                "-v2c",
                "-c",
                "public",
                "-Cr10",
                "-On",
                "-Oq",
                "-m",
                "",
                "-t",
                "5",
                f"{address}:{port}",
                "." + oid,
            ],
            capture_output=True,
            check=False,
            env=dict(os.environ, MIBS="", MIBDIRS="/nonexistent"),
        )
        if result.returncode != 0:
            raise SystemExit(f"snmpbulkwalk failed: {result.stderr.decode()[:200]}")
        return result.stdout.count(b"\n")

    jobs = [(port, oid) for port in agent_ports for oid in columns]
    walk(jobs[0])  # warm-up
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        for _ in range(rounds):
            list(pool.map(walk, jobs))
    wall = time.perf_counter() - wall0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


SNMP_EXPORTER_MODULE = "metronet_if"


def snmp_exporter_config(max_repetitions: int = 10) -> str:
    """A minimal snmp_exporter 0.21 snmp.yml: one module walking the same IF-MIB columns by numeric OID."""
    metrics = [{"name": "sysUpTime", "oid": ".".join(map(str, SYS_UPTIME)) + ".0", "type": "gauge"}]
    for name, oid in COLUMNS.items():
        kind = "counter" if name.startswith(("in", "out")) else "gauge"
        metrics.append(
            {
                "name": f"if_{name}",
                "oid": ".".join(map(str, oid)),
                "type": kind,
                "indexes": [{"labelname": "ifIndex", "type": "gauge"}],
            }
        )
    module = {
        "version": 2,
        "auth": {"community": "public"},
        "max_repetitions": max_repetitions,
        "retries": 2,
        "timeout": "5s",
        "get": [".".join(map(str, SYS_UPTIME)) + ".0"],
        "walk": [".".join(map(str, oid)) for oid in COLUMNS.values()],
        "metrics": metrics,
    }
    return json.dumps({SNMP_EXPORTER_MODULE: module}, indent=1)  # JSON is YAML


def proc_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


def proc_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def snmp_exporter_rounds(
    workdir: Path, address: str, agent_ports: list[int], rounds: int
) -> tuple[float, float, int, float]:
    binary = shutil.which("prometheus-snmp-exporter")
    if binary is None:
        raise SystemExit("prometheus-snmp-exporter not found: install the Debian package 'prometheus-snmp-exporter'")
    config = workdir / "snmp.yml"
    config.write_text(snmp_exporter_config(), encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(workdir / "snmp_exporter.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [binary, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"snmp_exporter did not start; see {workdir / 'snmp_exporter.log'}") from None
                time.sleep(0.05)

        def scrape(agent_port: int) -> int:
            query = urllib.parse.urlencode({"target": f"{address}:{agent_port}", "module": SNMP_EXPORTER_MODULE})
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/snmp?{query}", timeout=60) as response:
                body = response.read()
            return body.count(b"\nif_in_discards{")

        with ThreadPoolExecutor(max(1, len(agent_ports))) as pool:
            warm = sum(pool.map(scrape, agent_ports))
            cpu0, wall0 = proc_cpu_s(process.pid), time.perf_counter()
            seen = 0
            for _ in range(rounds):
                seen += sum(pool.map(scrape, agent_ports))
            wall = time.perf_counter() - wall0
            cpu = proc_cpu_s(process.pid) - cpu0
        if seen != warm * rounds:
            raise SystemExit(f"snmp_exporter saw {seen} interface samples, expected {warm * rounds}")
        return cpu, wall, seen, proc_hwm_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


def print_row(count: int, rounds: int, client: str, seen: int, cpu: float, wall: float, rss: float | None) -> None:
    label = f"{count:>6} {seen // (count * rounds):>6} {client:<18}"
    rss_text = f"{rss:>7.0f}" if rss is not None else f"{'':>7}"
    print(f"{label} {seen / wall:>12.0f} {cpu / (seen / 1000):>11.3f} {wall:>7.2f} {rss_text}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", default="1,50", help="comma-separated agent counts (default 1,50)")
    parser.add_argument("--ports", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--agent-kind", choices=("netns", "sim"), default="netns", help="see the docstring")
    parser.add_argument("--clients", default=",".join(ALL_CLIENTS), help="comma-separated subset of the clients")
    parser.add_argument("--v3", action="store_true", help="also poll with SNMPv3 authPriv (v3-capable engines)")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--child-ports", default="", help=argparse.SUPPRESS)
    parser.add_argument("--address", default="127.0.0.1", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        ports = [int(p) for p in args.child_ports.split(",")]
        return child_main(args.child, args.address, ports, args.rounds, args.v3)
    clients = [c for c in args.clients.split(",") if c]
    unknown = set(clients) - set(ALL_CLIENTS)
    if unknown:
        parser.error(f"--clients: unknown {', '.join(sorted(unknown))} (choose from {', '.join(ALL_CLIENTS)})")
    header = f"{'agents':>6} {'if/agt':>6} {'client':<18} {'if-samples/s':>12} {'CPU-s/1k if':>11}"
    print(f"{header} {'wall s':>7} {'RSS MB':>7}")
    for count in [int(n) for n in args.agents.split(",")]:
        with tempfile.TemporaryDirectory(prefix="metronet-bench-") as tmp:
            netns: NetnsAgents | None = None
            sims: list[SnmpdAgent] = []
            try:
                if args.agent_kind == "netns":
                    netns = NetnsAgents(Path(tmp), count, args.ports, v3=args.v3)
                    address, agent_ports = netns.address, netns.ports
                else:
                    sims = start_agents(Path(tmp), count, args.ports, v3=args.v3)
                    address, agent_ports = "127.0.0.1", [a.port for a in sims]

                def row(client: str, seen: int, cpu: float, wall: float, rss: float | None, n: int = count) -> None:
                    print_row(n, args.rounds, client, seen, cpu, wall, rss)

                runs = [(c, False) for c in clients]
                if args.v3:
                    runs += [(c, True) for c in clients if c in V3_CLIENTS]
                seen_any = 0
                for client, v3 in runs:
                    if client in ENGINES:
                        r = run_child(client, address, agent_ports, args.rounds, v3)
                        seen_any = int(r["seen"])
                        row(client + (" v3" if v3 else ""), int(r["seen"]), r["cpu"], r["wall"], r["rss_mb"])
                    elif client == "snmpbulkwalk":
                        cpu, wall = snmpbulkwalk_rounds(address, agent_ports, args.rounds)
                        rows = seen_any or count * args.ports * args.rounds
                        row(client, rows, cpu, wall, None)
                    else:
                        cpu, wall, seen, rss = snmp_exporter_rounds(Path(tmp), address, agent_ports, args.rounds)
                        seen_any = seen_any or seen
                        row(client, seen, cpu, wall, rss)
            finally:
                for agent in sims:
                    agent.stop()
                if netns is not None:
                    netns.stop()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
