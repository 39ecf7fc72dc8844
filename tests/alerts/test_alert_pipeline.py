"""End to end: simulated switches → collector → Prometheus → Alertmanager → webhook, suppression from topology.

    sw-core Te1/0/1 ══ backbone ══ Te1/1/1 sw-agg Gi1/0/1 ── Gi1/0/9 sw-gym   Gymnázium Bílina, Žižkova 3
          │                                     Gi1/0/2 ── Gi1/0/9 sw-zs    Základní škola Bílina, Lidická 18
          Te1/0/3 ── Gi1/0/9 sw-mu   Městský úřad Bílina

Real net-snmp agents (``metronet_collectors.sim``), the collector as a process (``python -m
metronet_collectors run``, polling every second) with the dependency file written by ``python -m
metronet_topology.alerts export`` from this network, an InfluxDB 1.6.7 as its sink, Prometheus (1 s scrape
and evaluation; the production rules with minutes scaled to seconds, so ``for: 2m`` is 2 s), Alertmanager
with the production routes and inhibit rules (receiver URL and group timers adapted), and the webhook
receiver. Link states are changed in the agents' state files; the delay is measured from that change to
the receiver's arrival time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from alert_stack import (
    ROOT,
    RULES,
    Alertmanager,
    MissingBinary,
    Prometheus,
    Webhook,
    adapted_alertmanager_config,
    free_port,
    http_json,
    scaled_rules,
    wait_until,
)

sys.path.insert(0, str(ROOT / "tests" / "collectors"))
from collector_services import InfluxDB, require_binary  # noqa: E402

from metronet_collectors.sim import SimDevice, SimInterface, SnmpdAgent  # noqa: E402
from metronet_topology import (  # noqa: E402
    CableEnd,
    Connection,
    Device,
    Endpoint,
    FiberCable,
    FiberHop,
    Link,
    Network,
    Organization,
    PlaceKind,
    RouteSegment,
    Site,
    to_json,
)

GYM, ZS, MU = "Gymnázium Bílina, Žižkova 3", "Základní škola Bílina, Lidická 18", "Městský úřad Bílina"
#: device → {interface: (role, organization)}
PORTS: dict[str, dict[str, tuple[str, str]]] = {
    "sw-core": {"Te1/0/1": ("backbone", ""), "Te1/0/3": ("access", MU)},
    "sw-agg": {"Te1/1/1": ("backbone", ""), "Gi1/0/1": ("access", GYM), "Gi1/0/2": ("access", ZS)},
    "sw-gym": {"Gi1/0/9": ("uplink", GYM)},
    "sw-zs": {"Gi1/0/9": ("uplink", ZS)},
    "sw-mu": {"Gi1/0/9": ("uplink", MU)},
}
#: (link, near end, far end) as cabled
LINKS = [
    ("L1", ("sw-core", "Te1/0/1"), ("sw-agg", "Te1/1/1")),
    ("L2", ("sw-agg", "Gi1/0/1"), ("sw-gym", "Gi1/0/9")),
    ("L3", ("sw-agg", "Gi1/0/2"), ("sw-zs", "Gi1/0/9")),
    ("L4", ("sw-core", "Te1/0/3"), ("sw-mu", "Gi1/0/9")),
]
N_LINK_ENDS = sum(len(ports) for ports in PORTS.values())
SITES = {"sw-core": "radnice", "sw-agg": "pop-teplicka", "sw-gym": "gym", "sw-zs": "zs", "sw-mu": "radnice-mu"}
ORG_SITES = {"gym": GYM, "zs": ZS, "radnice-mu": MU}
POLL_S = 1.0
TIMEOUT_S = 30.0  # generous: the 2-core machine is shared; the measured delays are reported


def network() -> Network:
    """The drawn network for metronet_topology: one fiber cable per link, one duct per cable."""
    site = {s: CableEnd(PlaceKind.SITE, s) for s in set(SITES.values())}
    orgs = {name: f"org-{i}" for i, name in enumerate(ORG_SITES.values())}
    return Network(
        sites=tuple(Site(s, s, (orgs[ORG_SITES[s]],) if s in ORG_SITES else ()) for s in sorted(site)),
        organizations=tuple(Organization(oid, name) for name, oid in orgs.items()),
        segments=tuple(RouteSegment(f"D-{link}") for link, _, _ in LINKS),
        cables=tuple(FiberCable(f"K-{link}", site[SITES[a[0]]], site[SITES[b[0]]], (f"D-{link}",))
                     for link, a, b in LINKS),
        devices=tuple(Device(name, SITES[name], name=name) for name in PORTS),
        links=tuple(Link(link, Endpoint(*a), Endpoint(*b), (FiberHop(f"K-{link}"),)) for link, a, b in LINKS),
        connections=tuple(Connection(f"C-{s}", orgs[name], s) for s, name in ORG_SITES.items()),
        core_sites=("radnice",),
    )


class Stack:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.devices: dict[str, SimDevice] = {}
        self.agents: dict[str, SnmpdAgent] = {}
        self.services: list[Any] = []
        self.collector: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        (self.workdir / "devices").mkdir(parents=True, exist_ok=True)
        for name, ports in PORTS.items():
            interfaces = [SimInterface(itf, 2e7, 1e7, speed_mbps=10000 if itf.startswith("Te") else 1000)
                          for itf in ports]
            self.devices[name] = SimDevice.create(self.workdir / "devices" / f"{name}.json", name, interfaces)
            self.agents[name] = SnmpdAgent(self.devices[name], community="public")
            self.agents[name].start()
        self.influxdb = InfluxDB(self.workdir / "influxdb")
        self.influxdb.start()
        self.services.append(self.influxdb)
        self.influxdb.create_database("metronet")
        # topology → dependency file, with the real command
        (self.workdir / "network.json").write_text(json.dumps(to_json(network()), ensure_ascii=False), "utf-8")
        self.dependencies = self.workdir / "dependencies.json"
        env = dict(os.environ, PYTHONPATH=f"{ROOT / 'collectors'}:{ROOT / 'topology'}")
        subprocess.run([sys.executable, "-W", "ignore::RuntimeWarning", "-m", "metronet_topology.alerts", "export",
                        "--network", str(self.workdir / "network.json"), "--out", str(self.dependencies)],
                       check=True, env=env, capture_output=True)
        self.metrics_port = free_port()
        config = {
            "interval_s": POLL_S, "jitter_s": 0, "timeout_s": 1, "concurrency": 8,
            "snmp": {"request_timeout_s": 0.4, "retries": 1},
            "auths": {"v2": {"version": "2c", "community": {"env": "METRONET_TEST_COMMUNITY"}}},
            "devices": [
                {"name": name, "address": "127.0.0.1", "site": SITES[name], "role": "switch",
                 "snmp": {"auth": "v2", "port": self.agents[name].port},
                 "interfaces": {itf: {"role": role, "organization": org} for itf, (role, org) in ports.items()}}
                for name, ports in PORTS.items()
            ],
            "sink": {"type": "influxdb_v1", "url": self.influxdb.url, "database": "metronet"},
            "spool": {"directory": str(self.workdir / "spool")},
            "metrics": {"listen": f"127.0.0.1:{self.metrics_port}"},
        }
        (self.workdir / "collector.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        log = (self.workdir / "collector.log").open("ab")
        self.collector = subprocess.Popen(
            [sys.executable, "-m", "metronet_collectors", "-c", str(self.workdir / "collector.yaml"), "run"],
            env=dict(env, METRONET_TEST_COMMUNITY="public", METRONET_DEPENDENCIES_FILE=str(self.dependencies)),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.webhook = Webhook(self.workdir / "webhook")
        self.webhook.start()
        self.services.append(self.webhook)
        self.alertmanager = Alertmanager(self.workdir / "am", adapted_alertmanager_config(self.webhook.url))
        self.alertmanager.start()
        self.services.append(self.alertmanager)
        self.prometheus = Prometheus(self.workdir / "prom", scaled_rules(RULES.read_text(encoding="utf-8")),
                                     [f"127.0.0.1:{self.metrics_port}"], f"127.0.0.1:{self.alertmanager.port}")
        self.prometheus.start()
        self.services.append(self.prometheus)
        # every link polled up and the topology rows scraped
        wait_until(lambda: len(self.prometheus.query("metronet_link_oper_up == 1")) == N_LINK_ENDS
                   and self.prometheus.query("count(metronet_topology_dependency_info)"), 60, 0.5,
                   "all links up in Prometheus")

    def stop(self) -> None:
        if self.collector is not None:
            self.collector.terminate()
            try:
                self.collector.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.collector.kill()
                self.collector.wait()
        for service in reversed(self.services):
            service.stop()
        for agent in self.agents.values():
            agent.stop()

    def set_links(self, up: bool, *ports: tuple[str, str]) -> float:
        for device, interface in ports:
            self.devices[device].set_link(interface, up)
        return time.time()

    def received(self, since: float, alertname: str, status: str = "firing") -> list[tuple[float, dict[str, Any]]]:
        return [(t, a) for t, a in self.webhook.alerts(since)
                if a["labels"]["alertname"] == alertname and a["status"] == status]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_binary("snmpd", "snmpd")
    require_binary("snmpget", "snmp")
    require_binary("influxd", "influxdb")
    stack = Stack(tmp_path_factory.mktemp("alert-pipeline"))
    try:
        stack.start()
    except MissingBinary as exc:
        stack.stop()
        pytest.fail(str(exc), pytrace=False)
    except BaseException:
        stack.stop()
        raise
    yield stack
    stack.stop()


def _delays(name: str, values: list[float]) -> None:
    print(f"\n{name}: " + ", ".join(f"{v:.2f} s" for v in values))


def test_access_link_down_names_the_organization_then_resolves(stack: Stack) -> None:
    """(a) sw-agg Gi1/0/2 goes down (and the school's end with it): one alert naming the school, Czech name
    intact, with the topology labels; (c) back up: the resolution arrives."""
    t_down = stack.set_links(False, ("sw-agg", "Gi1/0/2"), ("sw-zs", "Gi1/0/9"))
    firing = wait_until(lambda: stack.received(t_down, "MetroNetAccessLinkDown"), TIMEOUT_S, what="access alert")
    time.sleep(2.5)  # a second notification (the uplink end, a duplicate) would have arrived by now
    firing = stack.received(t_down, "MetroNetAccessLinkDown")
    assert len(firing) == 1, firing
    received_at, alert = firing[0]
    assert alert["labels"]["organization"] == ZS
    assert alert["labels"]["device"] == "sw-agg" and alert["labels"]["interface"] == "Gi1/0/2"
    assert alert["labels"]["upstream_link"] == "sw-core:Te1/0/1"
    assert alert["labels"]["parent_device"] == "sw-agg"
    assert alert["annotations"]["summary"] == f"{ZS} is offline: access link sw-agg Gi1/0/2 is down."
    log = stack.webhook.log.read_text(encoding="utf-8")
    assert f'firing MetroNetAccessLinkDown severity=critical organizations="{ZS}"' in log
    down_delay = received_at - t_down

    t_up = stack.set_links(True, ("sw-agg", "Gi1/0/2"), ("sw-zs", "Gi1/0/9"))
    resolved = wait_until(lambda: stack.received(t_up, "MetroNetAccessLinkDown", "resolved"), TIMEOUT_S,
                          what="resolved notification")
    assert resolved[0][1]["labels"]["organization"] == ZS
    assert f'resolved MetroNetAccessLinkDown severity=critical organizations="{ZS}"' in \
        stack.webhook.log.read_text(encoding="utf-8")
    _delays("access link down → webhook; up → resolved", [down_delay, resolved[0][0] - t_up])
    assert down_delay < TIMEOUT_S


def test_backbone_cut_is_one_notification_naming_everyone_behind_it(stack: Stack) -> None:
    """(b) the backbone fiber L1 is cut: both ends go down, the access links behind it go down and the
    schools' switches stop answering. One notification: the backbone alert naming both schools; the
    access-link and device alerts behind it are active in Alertmanager but inhibited, never sent."""
    wait_until(lambda: not stack.prometheus.query('ALERTS{alertname="MetroNetAccessLinkDown"}'), TIMEOUT_S,
               what="quiet start")
    behind = [("sw-agg", "Gi1/0/1"), ("sw-agg", "Gi1/0/2"), ("sw-gym", "Gi1/0/9"), ("sw-zs", "Gi1/0/9")]
    t_cut = stack.set_links(False, ("sw-core", "Te1/0/1"), ("sw-agg", "Te1/1/1"), *behind)
    stack.agents["sw-gym"].pause()
    stack.agents["sw-zs"].pause()
    try:
        backbone = wait_until(lambda: stack.received(t_cut, "MetroNetBackboneLinkDown"), TIMEOUT_S,
                              what="backbone alert")
        received_at, alert = backbone[0]
        assert alert["labels"]["device"] == "sw-core" and alert["labels"]["interface"] == "Te1/0/1"
        assert alert["labels"]["organizations"] == f"{GYM}; {ZS}"
        assert GYM in alert["annotations"]["summary"] and ZS in alert["annotations"]["summary"]

        def dependents_inhibited() -> list[dict[str, Any]] | None:
            held = [a for a in stack.alertmanager.alerts()
                    if a["labels"]["alertname"] in ("MetroNetAccessLinkDown", "MetroNetDeviceUnreachable")]
            names = {(a["labels"]["alertname"], a["labels"]["device"], a["labels"].get("interface", ""))
                     for a in held}
            want = {("MetroNetAccessLinkDown", "sw-agg", "Gi1/0/1"), ("MetroNetAccessLinkDown", "sw-agg", "Gi1/0/2"),
                    ("MetroNetDeviceUnreachable", "sw-gym", ""), ("MetroNetDeviceUnreachable", "sw-zs", "")}
            return held if want <= names else None

        held = wait_until(dependents_inhibited, TIMEOUT_S, 0.5, "dependent alerts in Alertmanager")
        for dependent in held:
            assert dependent["status"]["state"] == "suppressed", dependent
            assert dependent["status"]["inhibitedBy"], dependent
            assert dependent["labels"]["upstream_link"] == "sw-core:Te1/0/1"
        time.sleep(2.0)  # past group_wait/group_interval: anything not inhibited would have been sent
        sent = {a["labels"]["alertname"] for _, a in stack.webhook.alerts(t_cut) if a["status"] == "firing"}
        assert sent & {"MetroNetAccessLinkDown", "MetroNetDeviceUnreachable", "MetroNetDevicePollErrors"} == set()
        assert len(stack.received(t_cut, "MetroNetBackboneLinkDown")) == 1
        # the far end (sw-agg Te1/1/1) raises no second backbone alert
        assert {a["labels"]["device"] for a in stack.alertmanager.alerts()
                if a["labels"]["alertname"] == "MetroNetBackboneLinkDown"} == {"sw-core"}
    finally:
        stack.agents["sw-gym"].resume()
        stack.agents["sw-zs"].resume()
        t_up = stack.set_links(True, ("sw-core", "Te1/0/1"), ("sw-agg", "Te1/1/1"), *behind)
    resolved = wait_until(lambda: stack.received(t_up, "MetroNetBackboneLinkDown", "resolved"), TIMEOUT_S,
                          what="backbone resolved")
    _delays("backbone cut → webhook; repaired → resolved", [received_at - t_cut, resolved[0][0] - t_up])


def test_alertmanager_api_answers(stack: Stack) -> None:
    status = http_json(f"{stack.alertmanager.url}/api/v2/status")
    assert status["cluster"]["status"] == "disabled"
    rules = http_json(f"{stack.prometheus.url}/api/v1/rules")["data"]["groups"]
    assert sum(len(g["rules"]) for g in rules) == 13
