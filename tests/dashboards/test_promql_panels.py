"""Every PromQL target (and PromQL variable query) of the generated dashboards, run against a real Prometheus
scraping the real collector.

    3 simulated switches (net-snmp ``snmpd``, 2 interfaces each) + 1 dead device (a port that never answers)
        → ``python -m metronet_collectors run`` (every 2 s, sink: the session's InfluxDB 1.6.7, /metrics)
        → Prometheus 2.42 (Debian ``prometheus``, 1 s scrape, job ``metronet-collector``)

Helpers are imported from tests/alerts/alert_stack.py (Prometheus as a child process, free ports) and
tests/collectors (``require_binary``, the session ``influxdb`` fixture through conftest.py).

Targets are interpolated as Grafana's Prometheus datasource does: the dashboard's default time range ending now,
``$__interval`` = max(the datasource's ``timeInterval``, range / max data points), ``$__rate_interval`` =
max($__interval + timeInterval, 4 × timeInterval), ``$__range``/``_s``/``_ms``, ``$__interval_ms`` and template
variables with a user's selection (grafana_vars.interpolate); a range query's start and end are aligned to the
step as Grafana does. Time series targets run through ``/api/v1/query_range``; stat/table/gauge panels and
instant targets through ``/api/v1/query`` (a stat target with ``range: true`` runs through both, as Grafana
would fetch it with a range query). Each must answer ``success`` with data.

Numbers are checked against hand-computed values. Rates over the panels' production windows (``[5m]``, ``[1h]``)
would divide minutes-old data by five minutes, so for rate values the expressions are evaluated with their range
selectors scaled down (alert_stack.scaled_rules, the technique of the alert tests: [5m] → [20s]); ratios and
gauges are checked on the panel expression itself.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from grafana_vars import interpolate

from metronet_dashboards import generate
from metronet_dashboards.boards import collector as collector_board

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "alerts"))
from alert_stack import ROOT, MissingBinary, Prometheus, free_port, scaled_rules, seconds, wait_until  # noqa: E402
from collector_services import require_binary  # noqa: E402

from metronet_collectors.sim import SimDevice, SimInterface, SnmpdAgent  # noqa: E402

BUNDLE = generate.build()
INTERVAL_S = 2.0
#: live devices → their interfaces; DEAD's port is a UDP socket that never answers (every request times out;
#: a closed port would be refused at once by the loopback's ICMP port unreachable, unlike a dead device)
LIVE = {"sw-a": ["Gi1/0/1", "Gi1/0/2"], "sw-b": ["Gi1/0/1", "Gi1/0/2"], "sw-c": ["Te1/0/1", "Te1/0/2"]}
DEAD = "sw-dead"
N_DEVICES = len(LIVE) + 1
#: SNMP request timeout × (retries + 1) = 0.6 s for the dead device: inside the (0.5, 1.0] histogram bucket
REQUEST_TIMEOUT_S, RETRIES = 0.3, 1
#: Grafana's default max data points for a panel (about its width in pixels)
MAX_DATA_POINTS = 1000
#: the selection a user makes on each dashboard (others: All) — no PromQL dashboard has query variables today
SELECTION: dict[str, dict[str, list[str]]] = {}
#: scale of the range selectors for numeric checks: [5m] → [20s], [1h] → [240s]
SCALE = 15.0
SCALED_WINDOW_S = 20.0

PROM_DS = next(d for d in BUNDLE.datasources_file["datasources"] if d["type"] == "prometheus")
TIME_INTERVAL_S = seconds(PROM_DS["jsonData"]["timeInterval"])
INSTANT_PANELS = {"stat", "table", "gauge", "bargauge"}


def _panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for panel in board["panels"]:
        out += [panel, *panel.get("panels", [])]
    return out


def _is_prom(ds: dict[str, Any] | None) -> bool:
    return bool(ds) and (ds.get("type") == "prometheus" or ds.get("uid") == PROM_DS["uid"])  # type: ignore[union-attr]


#: (board, panel, target, endpoint) for every PromQL target: "range" and/or "instant"
PROM_TARGETS = [
    (board, panel, target, endpoint)
    for board in BUNDLE.dashboards for panel in _panels(board) for target in panel.get("targets", [])
    if _is_prom(target.get("datasource")) or ("expr" in target and _is_prom(panel.get("datasource")))
    for endpoint in (
        (["instant"] if target.get("instant") or panel["type"] in INSTANT_PANELS else [])
        + (["range"] if target.get("range", not target.get("instant")) and panel["type"] not in {"table"} else [])
    )
]
PROM_VARIABLES = [(board, var) for board in BUNDLE.dashboards for var in board["templating"]["list"]
                  if var["type"] == "query" and _is_prom(var.get("datasource"))]


# --- Grafana's interpolation for the Prometheus datasource --------------------------------------------------------

def _duration(value_s: float) -> str:
    return f"{int(value_s)}s" if value_s == int(value_s) else f"{round(value_s * 1000)}ms"


def grafana_window(board: dict[str, Any], now_s: float) -> tuple[float, float, float]:
    """(from, to, interval) in seconds for the dashboard's default time range ending ``now_s``."""
    def relative(expression: str) -> float:
        if expression == "now":
            return now_s
        sign, amount = expression[3], expression[4:]
        return now_s - seconds(amount) if sign == "-" else now_s + seconds(amount)

    start, end = relative(board["time"]["from"]), relative(board["time"]["to"])
    interval = max(TIME_INTERVAL_S, math.ceil((end - start) / MAX_DATA_POINTS))
    return start, end, interval


def expand(board: dict[str, Any], expr: str, start: float, end: float, interval: float) -> str:
    range_s = max(1, int(end - start))
    rate_interval = max(interval + TIME_INTERVAL_S, 4 * TIME_INTERVAL_S)
    builtins = {  # longest names first: $__interval_ms before $__interval
        "$__rate_interval": _duration(rate_interval), "${__rate_interval}": _duration(rate_interval),
        "$__interval_ms": str(int(interval * 1000)), "$__range_ms": str(range_s * 1000),
        "$__range_s": str(range_s), "$__range": f"{range_s}s", "$__interval": _duration(interval),
        "${__interval}": _duration(interval), "${__range}": f"{range_s}s",
    }
    for name, value in builtins.items():
        expr = expr.replace(name, value)
    variables = {v["name"]: v for v in board["templating"]["list"]}
    text = interpolate(expr, SELECTION.get(board["uid"], {}), variables, int(start * 1000), int(end * 1000),
                       _duration(interval))
    assert "$" not in text, f"unexpanded variable in {text}"
    return text


# --- Prometheus HTTP API ------------------------------------------------------------------------------------------

def api(base: str, path: str, **params: Any) -> dict[str, Any]:
    """GET ``path``; the JSON body also for 4xx answers (bad_data: the query's error)."""
    url = f"{base}{path}?" + urllib.parse.urlencode({k: str(v) for k, v in params.items()})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read() or b"{}")
        body.setdefault("status", f"HTTP {exc.code}")
    return body


def instant(base: str, expr: str, at: float | None = None) -> list[dict[str, Any]]:
    body = api(base, "/api/v1/query", query=expr, time=at if at is not None else time.time())
    assert body["status"] == "success", f"{expr}: {body}"
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def value(base: str, expr: str) -> float:
    (sample,) = instant(base, expr)
    return float(sample["value"][1])


def by_label(base: str, expr: str, label: str) -> dict[str, float]:
    return {s["metric"].get(label, ""): float(s["value"][1]) for s in instant(base, expr)}


# --- the stack -------------------------------------------------------------------------------------------------------

class Stack:
    def __init__(self, workdir: Path, influxdb: Any) -> None:
        self.workdir, self.influxdb = workdir, influxdb
        self.agents: list[SnmpdAgent] = []
        self.collector: subprocess.Popen[bytes] | None = None
        self.prometheus: Prometheus | None = None
        self.first_seen = 0.0
        self.blackhole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    @property
    def url(self) -> str:
        assert self.prometheus is not None
        return self.prometheus.url

    def start(self) -> None:
        ports = {}
        for name, interfaces in LIVE.items():
            device = SimDevice.create(self.workdir / f"{name}.json", name,
                                      [SimInterface(i, 1e7, 5e6, speed_mbps=1000) for i in interfaces])
            agent = SnmpdAgent(device, community="public")
            agent.start()
            self.agents.append(agent)
            ports[name] = agent.port
        self.blackhole.bind(("127.0.0.1", 0))
        ports[DEAD] = self.blackhole.getsockname()[1]
        self.influxdb.create_database("promql_panels")
        metrics_port = free_port()
        config = {
            "interval_s": INTERVAL_S, "jitter_s": 0, "timeout_s": 1.5, "concurrency": 8,
            "snmp": {"request_timeout_s": REQUEST_TIMEOUT_S, "retries": RETRIES},
            "auths": {"v2": {"version": "2c", "community": {"env": "METRONET_TEST_COMMUNITY"}}},
            "devices": [{"name": name, "address": "127.0.0.1", "site": f"site-{name}", "role": "switch",
                         "snmp": {"auth": "v2", "port": port},
                         "interfaces": {i: {"role": "access", "organization": f"org-{name}"}
                                        for i in LIVE.get(name, [])}}
                        for name, port in ports.items()],
            "sink": {"type": "influxdb_v1", "url": self.influxdb.url, "database": "promql_panels"},
            "spool": {"directory": str(self.workdir / "spool")},
            "metrics": {"listen": f"127.0.0.1:{metrics_port}"},
        }
        (self.workdir / "collector.yaml").write_text(yaml.safe_dump(config), "utf-8")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "collectors"), METRONET_TEST_COMMUNITY="public")
        with (self.workdir / "collector.log").open("ab") as log:
            self.collector = subprocess.Popen(
                [sys.executable, "-m", "metronet_collectors", "-c", str(self.workdir / "collector.yaml"), "run"],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        # no rules and no Alertmanager needed: an empty rule file, an address nothing is sent to
        self.prometheus = Prometheus(self.workdir / "prom", "groups: []\n", [f"127.0.0.1:{metrics_port}"],
                                     f"127.0.0.1:{free_port()}", interval="1s")
        self.prometheus.start()

        def series_exist() -> bool:
            if self.collector is not None and self.collector.poll() is not None:
                raise RuntimeError("collector exited:\n" + (self.workdir / "collector.log").read_text("utf-8"))
            return bool(instant(self.url, 'metronet_poll_errors_total{reason="timeout"}')
                        and instant(self.url, "metronet_last_successful_write_timestamp_seconds > 0")
                        and instant(self.url, "metronet_points_written_total > 0"))

        wait_until(series_exist, 60, 0.5, "the collector's series in Prometheus")
        self.first_seen = time.time()
        # rate() needs two samples inside the window; Grafana aligns a range query's end down to its step
        # (timeInterval, 30 s), and the scaled checks want a full scaled window of data
        step = max(grafana_window(board, time.time())[2] for board, _, _, _ in PROM_TARGETS)
        assert step <= 120, f"a {step} s step would keep the test waiting: widen MAX_DATA_POINTS"
        # the last aligned step must lie a few scrapes after the first sample, or rate() sees one sample only
        first_step = math.ceil((self.first_seen + 5) / step) * step
        ready_at = max(first_step + 3, self.first_seen + SCALED_WINDOW_S + 3)
        time.sleep(max(0.0, ready_at - time.time()))

    def collector_log(self) -> str:
        return (self.workdir / "collector.log").read_text("utf-8", errors="replace")[-3000:]

    def stop(self) -> None:
        if self.collector is not None:
            self.collector.terminate()
            try:
                self.collector.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.collector.kill()
                self.collector.wait()
            self.collector = None
        if self.prometheus is not None:
            self.prometheus.stop()
        for agent in self.agents:
            agent.stop()
        self.blackhole.close()


@pytest.fixture(scope="module")
def stack(influxdb: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:  # noqa: ANN401
    require_binary("snmpd", "snmpd")
    require_binary("influxd", "influxdb")
    stack = Stack(tmp_path_factory.mktemp("promql-panels"), influxdb)
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


# --- tests -----------------------------------------------------------------------------------------------------------

def test_every_promql_constant_is_on_a_dashboard() -> None:
    """The collector board's PromQL constants are all in the generated JSON (and nothing is missed here)."""
    exprs = {t["expr"] for _, _, t, _ in PROM_TARGETS}
    assert {" ".join(e.split()) for e in collector_board.PROMQL} <= exprs
    assert exprs, "no PromQL target found: the selection of targets is broken"


def test_the_generated_json_holds_these_targets() -> None:
    """What is executed here is what is committed (the check test compares whole files)."""
    for board in BUNDLE.dashboards:
        committed = json.loads((ROOT / "dashboards" / "generated" / f"{board['uid']}.json").read_text("utf-8"))
        assert [t.get("expr") for p in _panels(committed) for t in p.get("targets", [])] == [
            t.get("expr") for p in _panels(board) for t in p.get("targets", [])]


@pytest.mark.parametrize(("board", "panel", "target", "endpoint"), [
    pytest.param(*t, id=f"{t[0]['uid']}:{t[1]['title']}:{t[2]['refId']}:{t[3]}") for t in PROM_TARGETS])
def test_promql_target_returns_data(stack: Stack, board: dict[str, Any], panel: dict[str, Any],
                                    target: dict[str, Any], endpoint: str) -> None:
    now = time.time()
    start, end, interval = grafana_window(board, now)
    expr = expand(board, target["expr"], start, end, interval)
    if endpoint == "instant":
        body = api(stack.url, "/api/v1/query", query=expr, time=end)
    else:  # Grafana aligns start and end down to the step
        body = api(stack.url, "/api/v1/query_range", query=expr, step=interval,
                   start=math.floor(start / interval) * interval, end=math.floor(end / interval) * interval)
    assert body.get("status") == "success", f"{expr}: {body}"
    result = body["data"]["result"]
    assert result, f"no data for {expr} ({endpoint}); collector log:\n{stack.collector_log()}"
    if endpoint == "range":
        assert body["data"]["resultType"] == "matrix"
        assert all(s["values"] for s in result)
    else:
        assert body["data"]["resultType"] in ("vector", "scalar")


def test_promql_variable_queries(stack: Stack) -> None:
    """PromQL template variables (label_values / query_result / metrics): none exist today; any added must
    answer with values through the endpoint Grafana uses."""
    for board, var in PROM_VARIABLES:
        query = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
        now = time.time()
        start, end, interval = grafana_window(board, now)
        query = expand(board, query, start, end, interval)
        if query.startswith("label_values("):
            args = [a.strip() for a in query[len("label_values("):-1].rsplit(",", 1)]
            label = args[-1]
            params: dict[str, Any] = {"start": start, "end": end}
            if len(args) == 2:
                params["match[]"] = args[0]
            body = api(stack.url, f"/api/v1/label/{label}/values", **params)
        elif query.startswith("query_result("):
            body = api(stack.url, "/api/v1/query", query=query[len("query_result("):-1], time=end)
        else:
            pytest.fail(f"{board['uid']}:{var['name']}: unsupported variable query {query}")
        assert body.get("status") == "success" and body["data"], (var["name"], body)


def test_devices_polled_is_the_number_of_devices(stack: Stack) -> None:
    assert value(stack.url, collector_board.PROM_DEVICES) == N_DEVICES


def test_polls_and_points_per_second(stack: Stack) -> None:
    """polls/s = devices / interval; points written/s = points per cycle / interval: one ``device`` point and
    one ``interface`` point per interface for a live device, one ``device`` point for the dead one."""
    polls = value(stack.url, f"sum(rate(metronet_polls_total[{int(SCALED_WINDOW_S)}s]))")
    assert polls == pytest.approx(N_DEVICES / INTERVAL_S, rel=0.2)
    points_per_cycle = sum(1 + len(itfs) for itfs in LIVE.values()) + 1
    written = value(stack.url, scaled_rules(collector_board.PROM_WRITTEN, SCALE))
    assert written == pytest.approx(points_per_cycle / INTERVAL_S, rel=0.3), stack.collector_log()


def test_the_dead_device_is_in_the_errors_panel_with_reason_timeout(stack: Stack) -> None:
    errors = by_label(stack.url, scaled_rules(collector_board.PROM_ERRORS, SCALE), "reason")
    assert set(errors) == {"timeout"}, errors
    assert errors["timeout"] == pytest.approx(1 / INTERVAL_S, rel=0.25)
    # and the only device behind it is the dead one
    assert {s["metric"]["device"] for s in instant(stack.url, "metronet_poll_errors_total")} == {DEAD}
    # the panel's production expression ([5m]) names the same single reason
    assert set(by_label(stack.url, collector_board.PROM_ERRORS, "reason")) == {"timeout"}


def test_poll_duration_p95_is_in_the_dead_devices_bucket(stack: Stack) -> None:
    """3 of 4 polls answer from loopback in well under 0.5 s, 1 of 4 (the dead device) waits
    0.3 s × 2 tries = 0.6 s: the (0.5, 1.0] bucket holds the top 25 %, so histogram_quantile interpolates
    0.5 + (0.95 − 0.75) / 0.25 × 0.5 = 0.9 s."""
    assert value(stack.url, collector_board.PROM_POLL_P95) == pytest.approx(0.9, abs=0.05)


def test_queue_last_write_overruns_and_drops_of_a_healthy_collector(stack: Stack) -> None:
    points_per_cycle = sum(1 + len(itfs) for itfs in LIVE.values()) + 1
    assert 0 <= value(stack.url, collector_board.PROM_QUEUED) <= 2 * points_per_cycle
    age = value(stack.url, collector_board.PROM_LAST_WRITE_AGE)
    assert 0 <= age <= 2 * INTERVAL_S + 2, age
    assert value(stack.url, collector_board.PROM_OVERRUNS) == 0
    assert by_label(stack.url, collector_board.PROM_DROPPED, "reason") == {"none": 0.0}
