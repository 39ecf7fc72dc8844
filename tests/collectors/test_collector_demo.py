"""The demo: ``prepare`` from the Bílina sample file, start the printed Procfile lines, points land in InfluxDB."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import time
from contextlib import redirect_stdout, suppress
from pathlib import Path

import yaml
from collector_services import InfluxDB, free_tcp_port, require_binary

from metronet_collectors.config import load_config
from metronet_collectors.demo import expand_names, main, plan_from_network, stable_ports
from metronet_collectors.sim import SimDevice

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "netbox_plugin" / "netbox_metronet" / "sample_data" / "bilina.yaml"
ONLY = ["sw-mu-core", "sw-mu-agg", "sw-zs-aleska"]


def test_plan_from_the_sample_network() -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    plan = {d.name: d for d in plan_from_network(data)}
    assert len(plan) == 19 and "pp-mu-odf-a" not in plan  # switches only, not patch panels
    core, agg, school = plan["sw-mu-core"], plan["sw-mu-agg"], plan["sw-zs-aleska"]
    assert len(core.ports) == 16 and core.ports["Te1/0/1"].speed_mbps == 10_000
    assert (core.ports["Te1/0/1"].role, agg.ports["Te1/1/1"].role) == ("backbone", "backbone")
    assert core.ports["Te1/0/1"].out_bps == agg.ports["Te1/1/1"].in_bps > 0  # one link, both ends
    assert (core.ports["Te1/0/5"].role, school.ports["Te1/1/1"].role) == ("access", "uplink")
    assert core.ports["Te1/0/5"].organization == school.ports["Te1/1/1"].organization == school.organization
    assert core.ports["Te1/0/5"].out_bps == school.ports["Te1/1/1"].in_bps
    assert not school.ports["Gi1/0/1"].up and school.ports["Te1/1/1"].up
    assert expand_names("Gi1/0/[9-10]") == ["Gi1/0/9", "Gi1/0/10"]
    ports = stable_ports(plan, 16100)
    assert len(set(ports.values())) == 19 and all(16100 <= p < 17100 for p in ports.values())
    assert stable_ports(["sw-mu-core", "sw-x"], 16100)["sw-mu-core"] == ports["sw-mu-core"]  # stable


def test_prepare_start_and_poll_into_influxdb(tmp_path: Path) -> None:
    require_binary("snmpd", "snmpd")
    require_binary("influxd", "influxdb")
    workdir = tmp_path / "demo"
    influx_port, meta_port = free_tcp_port(), free_tcp_port()
    base_port = 30000 + os.getpid() % 20000
    out = io.StringIO()
    with redirect_stdout(out):
        rc = main(
            [
                "prepare", "--from-yaml", str(SAMPLE), "--workdir", str(workdir), "--only", ",".join(ONLY),
                "--base-port", str(base_port), "--influx-port", str(influx_port),
                "--influx-meta-port", str(meta_port), "--interval", "1", "--metrics-listen", "",
            ]
        )  # fmt: skip
    assert rc == 0
    procfile = dict(re.findall(r"^([a-z-]+): (.+)$", out.getvalue(), re.M))
    assert sorted(procfile) == ["collector", "influxdb", "snmp-agents"]
    config = load_config(workdir / "collector.yaml")  # valid, with the community from secrets.yaml
    assert [d.name for d in config.devices] == sorted(ONLY)
    assert (
        (workdir / "devices" / "snmpd-sw-mu-core" / "snmpd.conf")
        .read_text()
        .startswith(f"agentAddress udp:127.0.0.1:{config.devices[1].port}")
    )

    env = dict(os.environ, PYTHONPATH=str(ROOT / "collectors"))
    processes = {
        name: subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=ROOT,
            env=env,
            stdout=open(tmp_path / f"{name}.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name, command in procfile.items()
    }
    influx = InfluxDB.__new__(InfluxDB)  # only its query helpers, on the demo's server
    influx.url = f"http://127.0.0.1:{influx_port}"
    try:
        deadline = time.monotonic() + 40
        rows: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            for name, process in processes.items():
                assert process.poll() is None, f"{name} exited: {(tmp_path / f'{name}.log').read_text()[-2000:]}"
            try:
                rows = influx.rows(
                    'SELECT last("in_bps") AS in_bps, last("out_bps") AS out_bps FROM "interface" '
                    "GROUP BY device, interface, role, organization",
                    "metronet",
                )
            except (OSError, RuntimeError):
                rows = []
            if {r["device"] for r in rows} == set(ONLY):
                break
            time.sleep(0.5)
        assert {r["device"] for r in rows} == set(ONLY), [
            (tmp_path / f"{n}.log").read_text()[-1500:] for n in processes
        ]
        by_port = {(r["device"], r["interface"]): r for r in rows}
        school = yaml.safe_load((workdir / "collector.yaml").read_text())["devices"][2]
        org = school["organization"]
        core_side, school_side = by_port[("sw-mu-core", "Te1/0/5")], by_port[("sw-zs-aleska", "Te1/1/1")]
        assert (core_side["role"], core_side["organization"]) == ("access", org)
        assert (school_side["role"], school_side["organization"]) == ("uplink", org)
        assert by_port[("sw-mu-core", "Te1/0/1")]["role"] == "backbone"
        # Rates measured through snmpd match the simulated link, seen from both ends.
        state = SimDevice(workdir / "devices" / "sw-zs-aleska.json").read()
        uplink = next(row for row in state["interfaces"] if row["name"] == "Te1/1/1")
        expected = uplink["nominal_in_Bps"] * 8
        assert abs(float(school_side["in_bps"]) - expected) / expected < 0.02  # type: ignore[arg-type]
        assert abs(float(core_side["out_bps"]) - expected) / expected < 0.02  # type: ignore[arg-type]
        down = influx.rows(
            "SELECT last(\"oper_status\") FROM \"interface\" WHERE device = 'sw-zs-aleska' AND interface = 'Gi1/0/1'",
            "metronet",
        )
        assert down[0]["last"] == 2
    finally:
        for process in processes.values():
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"{name} did not stop on SIGTERM") from None
    # The agents' supervisor stopped its snmpd children.
    leftover = subprocess.run(["pgrep", "-f", str(workdir / "devices")], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""
