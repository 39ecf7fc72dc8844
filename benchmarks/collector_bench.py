"""Collector benchmark: interface-samples/s and client CPU-s per 1,000 interfaces.

    PYTHONPATH=collectors python benchmarks/collector_bench.py [--agents 1,50] [--ports 48] [--rounds 5]

For each agent count it starts that many 48-port agents and measures, in the same run and against the same
agents, the clients below. Agents (``--agent-kind``):

- ``netns`` (default; needs root and iproute2): net-snmp ``snmpd`` serving its own, native (C) IF-MIB in a
  scratch network namespace holding 24 veth pairs (48 ports) + lo + the veth that links it to the host
  (50 rows in ifTable); the agents listen on that link's address. The agent is not the bottleneck.
- ``sim``: the collector's simulated devices (``snmpd`` + the Python pass_persist helper of
  ``metronet_collectors.sim``, moving counters). The Python helper answers each varbind and is the
  bottleneck in wall time (CPU-s per 1,000 interfaces of the client are still comparable).

Clients:

- **collector**: ``PysnmpPoller`` (the production poller: one multi-column GETBULK walk of ifTable +
  ifXTable per device) polling every agent concurrently (concurrency = agents), ``--rounds`` times after
  one warm-up round; CPU = this process's CPU time (all threads), which contains only the client;
- **snmpbulkwalk** (net-snmp CLI, C): one process per column for the same 14 columns + sysUpTime, 8
  processes at a time; CPU = user+sys of the terminated children (``RUSAGE_CHILDREN``; the agents are
  still running, so their CPU is not in it).

Interface-samples/s = interface rows polled / wall time (rows per agent as the agent reports them).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from metronet_collectors.config import Secret, SnmpAuth, SnmpOptions
from metronet_collectors.model import Device
from metronet_collectors.sim import SimDevice, SimInterface, SnmpdAgent
from metronet_collectors.snmp import COLUMNS, SYS_UPTIME, PysnmpPoller


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class NetnsAgents:
    """``count`` native snmpd agents in one scratch network namespace with ``ports`` veth ports."""

    def __init__(self, workdir: Path, count: int, ports: int) -> None:
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
                conf.write_text(
                    f"agentAddress udp:{self.address}:{port}\nrocommunity public 10.254.77.0/30\n"
                    f"engineID metronet-bench-{i}\ndontLogTCPWrappersConnects yes\n",
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


def start_agents(workdir: Path, count: int, ports: int) -> list[SnmpdAgent]:
    agents = []

    def one(i: int) -> SnmpdAgent:
        interfaces = [
            SimInterface(f"Gi1/0/{p}", in_bps=1e7 + p * 1e5, out_bps=5e6, speed_mbps=1000) for p in range(1, ports + 1)
        ]
        device = SimDevice.create(workdir / f"bench-{i:03d}.json", f"bench-{i:03d}", interfaces)
        agent = SnmpdAgent(device, community="public")
        agent.start(timeout=30)
        return agent

    with ThreadPoolExecutor(8) as pool:
        agents = list(pool.map(one, range(count)))
    return agents


async def collector_rounds(address: str, agent_ports: list[int], rounds: int) -> tuple[float, float, int]:
    auths = {"v2": SnmpAuth(name="v2", version="2c", community=Secret("public"))}
    poller = PysnmpPoller(auths, SnmpOptions(request_timeout_s=5.0, retries=2, max_repetitions=10))
    devices = [
        Device(name=f"bench-{i:03d}", address=address, port=p, credential="v2") for i, p in enumerate(agent_ports)
    ]
    try:
        warm = await asyncio.gather(*(poller.poll(d) for d in devices))  # warm-up (engine, sockets)
        expected = sum(len(s.interfaces) for s in warm) * rounds
        cpu0, wall0 = time.process_time(), time.perf_counter()
        seen = 0
        for _ in range(rounds):
            samples = await asyncio.gather(*(poller.poll(d) for d in devices))
            seen += sum(len(s.interfaces) for s in samples)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    finally:
        poller.close()
    if seen != expected:
        raise SystemExit(f"collector saw {seen} interface samples, expected {expected}")
    return cpu, wall, seen


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", default="1,50", help="comma-separated agent counts (default 1,50)")
    parser.add_argument("--ports", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--agent-kind", choices=("netns", "sim"), default="netns", help="see the docstring")
    args = parser.parse_args(argv)
    header = f"{'agents':>6} {'if/agt':>6} {'client':<13} {'if-samples/s':>12} {'CPU-s/1k if':>11}"
    print(f"{header} {'wall s':>7} {'RSS MB':>7}")
    for count in [int(n) for n in args.agents.split(",")]:
        with tempfile.TemporaryDirectory(prefix="metronet-bench-") as tmp:
            netns: NetnsAgents | None = None
            sims: list[SnmpdAgent] = []
            try:
                if args.agent_kind == "netns":
                    netns = NetnsAgents(Path(tmp), count, args.ports)
                    address, agent_ports = netns.address, netns.ports
                else:
                    sims = start_agents(Path(tmp), count, args.ports)
                    address, agent_ports = "127.0.0.1", [a.port for a in sims]
                cpu, wall, seen = asyncio.run(collector_rounds(address, agent_ports, args.rounds))
                k = seen / 1000
                label = f"{count:>6} {seen // (count * args.rounds):>6}"
                print(f"{label} {'collector':<13} {seen / wall:>12.0f} {cpu / k:>11.3f} {wall:>7.2f} {rss_mb():>7.0f}")
                cpu, wall = snmpbulkwalk_rounds(address, agent_ports, args.rounds)
                print(f"{label} {'snmpbulkwalk':<13} {seen / wall:>12.0f} {cpu / k:>11.3f} {wall:>7.2f} {'':>7}")
            finally:
                for agent in sims:
                    agent.stop()
                if netns is not None:
                    netns.stop()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
