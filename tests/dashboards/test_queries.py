"""Every panel, variable and alert query, interpolated as Grafana does, run against real InfluxDB 1.6.7 holding
what the collector polled from simulated devices and what the coverage exporter wrote (see dataset.py)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from alert_eval import evaluate, reduce_last
from dataset import ALESKA, CAPKOVA, CORE, DEAD, KNIHOVNA, RATE_IN, RATE_OUT, SWITCH, DataSet, build
from grafana_vars import interpolate
from netbox_rest_double import coverage_report

from metronet_dashboards import generate
from metronet_dashboards import queries as q

BUNDLE = generate.build()
#: what a user selects on each dashboard (others: All)
SELECTION: dict[str, dict[str, list[str]]] = {
    "metronet-link": {"town_part": ["Teplické Předměstí"], "organization": [ALESKA], "device": [CORE],
                      "interface": ["Gi1/0/1"]},
    "metronet-organization": {"town_part": ["Teplické Předměstí"], "organization": [CAPKOVA]},
}


def _variables(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in board["templating"]["list"]}


def _panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for panel in board["panels"]:
        out += [panel, *panel.get("panels", [])]
    return out


PANEL_TARGETS = [
    pytest.param(board, panel, target, id=f"{board['uid']}:{panel['title']}:{target['refId']}")
    for board in BUNDLE.dashboards for panel in _panels(board) for target in panel.get("targets", [])
    if target["datasource"]["type"] == "influxdb"
]
VARIABLES = [
    pytest.param(board, var, id=f"{board['uid']}:{var['name']}")
    for board in BUNDLE.dashboards for var in board["templating"]["list"] if var["type"] == "query"
]
RULES = [pytest.param(rule, id=rule["title"]) for rule in BUNDLE.rules]


@pytest.fixture(scope="module")
def data(influxdb, tmp_path_factory) -> DataSet:  # noqa: ANN001 - pytest fixtures
    return build(influxdb, tmp_path_factory.mktemp("dashboards"))


UNITS_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "M": 30 * 86400, "y": 365 * 86400}


def _relative_ms(expression: str, now_ms: int) -> int:
    """Grafana's ``now``, ``now-6h``, ``now+1y`` → epoch ms."""
    match = re.fullmatch(r"now(?:([+-])(\d+)([smhdwMy]))?", expression)
    assert match, expression
    if not match.group(1):
        return now_ms
    offset = int(match.group(2)) * UNITS_S[match.group(3)] * 1000
    return now_ms + offset if match.group(1) == "+" else now_ms - offset


def time_range(data: DataSet, board: dict[str, Any]) -> tuple[int, int, str]:
    """The dashboard's default time range (ending no earlier than the data) and Grafana's auto interval for it."""
    start = _relative_ms(board["time"]["from"], data.end_ms)
    end = max(_relative_ms(board["time"]["to"], data.end_ms), data.end_ms)
    return start, end, f"{max(1, (end - start) // 1000 // 1000)}s"


def run(data: DataSet, board: dict[str, Any], query: str, zoom: bool = False,
        **selection: list[str]) -> list[dict[str, Any]]:
    """``zoom``: the user zoomed in on the data's own minute (1 s interval) instead of the default range."""
    chosen = {**SELECTION.get(board["uid"], {}), **selection}
    start, end, interval = (data.start_ms, data.end_ms, "1s") if zoom else time_range(data, board)
    text = interpolate(query, chosen, _variables(board), start, end, interval)
    return data.influxdb.query(text, data.db)


def rows(data: DataSet, board_uid: str, query: str, zoom: bool = False,
         **selection: list[str]) -> list[dict[str, Any]]:
    board = next(b for b in BUNDLE.dashboards if b["uid"] == board_uid)
    out = []
    for serie in run(data, board, query, zoom, **selection):
        for values in serie["values"]:
            out.append({**dict(zip(serie["columns"], values, strict=True)), **serie.get("tags", {})})
    return out


def test_the_data_set_is_complete(data: DataSet) -> None:
    assert data.exported > 20
    assert {r["device"] for r in data.rows('SELECT last("reachable") FROM "device" GROUP BY "device"')} == {
        CORE, SWITCH, DEAD}
    assert data.rows('SELECT count("rx_dbm") FROM "optics"'), "the collector wrote no optics points"


@pytest.mark.parametrize(("board", "panel", "target"), PANEL_TARGETS)
def test_panel_query_returns_data(data: DataSet, board: dict[str, Any], panel: dict[str, Any],
                                  target: dict[str, Any]) -> None:
    series = run(data, board, target["query"])
    assert series and any(s["values"] for s in series), f"no data for: {target['query']}"


@pytest.mark.parametrize(("board", "var"), VARIABLES)
def test_variable_query_offers_the_selection(data: DataSet, board: dict[str, Any], var: dict[str, Any]) -> None:
    series = run(data, board, var["query"])
    values = {v for _, v in series[0]["values"]} if series else set()
    assert values, var["query"]
    wanted = SELECTION.get(board["uid"], {}).get(var["name"], [])
    assert set(wanted) <= values


def test_traffic_panel_shows_the_simulated_rate(data: DataSet) -> None:
    points = [r for r in rows(data, "metronet-link", q.LINK_TRAFFIC, zoom=True) if r["in_bps"] is not None]
    assert len(points) >= 4
    for row in points:
        assert row["in_bps"] == pytest.approx(RATE_IN, rel=0.005)
        assert row["out_bps"] == pytest.approx(RATE_OUT, rel=0.005)
    (p95,) = rows(data, "metronet-link", q.LINK_P95)
    assert p95["in_p95"] == pytest.approx(RATE_IN, rel=0.005)
    assert p95["out_p95"] == pytest.approx(RATE_OUT, rel=0.005)


def test_noc_panels_show_what_is_down_and_the_worst_link(data: DataSet) -> None:
    (down,) = rows(data, "metronet-noc", q.LINKS_DOWN_COUNT)
    assert down["links_down"] == 1
    (link,) = rows(data, "metronet-noc", q.LINKS_DOWN_TABLE)
    assert (link["device"], link["interface"], link["organization"], link["oper_status"]) == (
        CORE, "Gi1/0/2", CAPKOVA, 2)
    (dead,) = rows(data, "metronet-noc", q.DEVICES_UNREACHABLE_TABLE)
    assert dead["device"] == DEAD
    (reach,) = rows(data, "metronet-noc", q.DEVICES_REACHABLE)
    assert (reach["reachable"], reach["devices"]) == (2, 3)
    utilization = {r["interface"]: r for r in rows(data, "metronet-noc", q.UTILIZATION) if r["device"] == CORE}
    assert utilization["Gi1/0/3"]["in_pct"] == pytest.approx(95.0, rel=0.005)
    assert utilization["Gi1/0/1"]["out_pct"] == pytest.approx(20.0, rel=0.005)
    errors = {r["interface"]: r for r in rows(data, "metronet-noc", q.ERRORS) if r["device"] == CORE}
    # 2 errors/s polled every ~1 s: each poll's counter delta is an integer (1, 2 or 3), so the mean of a few
    # per-poll rates scatters by several per cent when the machine is loaded; octets (above) are exact.
    assert errors["Gi1/0/1"]["in_errors_ps"] == pytest.approx(2.0, rel=0.1)
    (loss,) = [r for r in rows(data, "metronet-noc", q.OPTICS_LOSS) if r["device"] == CORE]
    assert loss["loss_db"] == pytest.approx(4.0, abs=0.05)
    budgets = {(r["device"], r["interface"]): r["budget_db"] for r in rows(data, "metronet-noc", q.BUDGETS)}
    assert budgets == {(CORE, "Gi1/0/1"): 3.5, (CORE, "Gi1/0/3"): 6.0}


def test_organization_availability_and_volume(data: DataSet) -> None:
    raw = data.rows(f'SELECT "oper_status" FROM "interface" WHERE "interface" = \'Gi1/0/2\' AND "device" = \'{CORE}\'')
    expected = 100.0 * sum(1 for r in raw if r["oper_status"] == 1) / len(raw)
    assert 0 < expected < 100
    (availability,) = rows(data, "metronet-organization", q.ORG_AVAILABILITY)
    assert availability["availability"] == pytest.approx(expected)
    (volume,) = rows(data, "metronet-organization", q.ORG_VOLUME, organization=[ALESKA])
    board = next(b for b in BUNDLE.dashboards if b["uid"] == "metronet-organization")
    start, end, _ = time_range(data, board)
    range_s = (end - start) // 1000
    assert volume["in_bytes"] == pytest.approx(RATE_IN / 8 * range_s, rel=0.005)


def test_coverage_panels_equal_the_coverage_endpoint(data: DataSet) -> None:
    report = coverage_report()
    (totals,) = rows(data, "metronet-coverage", q.COVERAGE_TOTALS)
    assert (totals["connected"], totals["total"]) == (report["totals"]["connected"], report["totals"]["total"])
    keys = ("total", "connected", "in_progress", "planned", "not_planned")
    by_type = {r["label"]: tuple(r[k] for k in keys) for r in rows(data, "metronet-coverage", q.COVERAGE_BY_TYPE)}
    assert by_type == {g["label"]: tuple(g[k] for k in keys) for g in report["by_type"]}
    by_part = {r["town_part"]: tuple(r[k] for k in keys) for r in rows(data, "metronet-coverage", q.COVERAGE_BY_PART)}
    assert by_part == {g["label"]: tuple(g[k] for k in keys) for g in report["by_town_part"]}
    speed = {r["min_mbps"]: r["connected"] for r in rows(data, "metronet-coverage", q.COVERAGE_SPEED)}
    assert speed == report["totals"]["connected_at_least"]
    targets = {r["target"]: r for r in rows(data, "metronet-coverage", q.COVERAGE_TARGETS)}
    for target in report["targets"]:
        row = targets[target["name"]]
        assert (row["required"], row["achieved"], row["projected"], row["shortfall"]) == (
            target["required"], target["achieved"], target["projected"], target["shortfall"])
    burndown = rows(data, "metronet-coverage", q.COVERAGE_BURNDOWN)
    assert [r["connected"] for r in burndown if r["connected"] is not None][-1] == 3


def test_map_has_positions_and_reachability(data: DataSet) -> None:
    sites = {r["site"]: r for r in rows(data, "metronet-map", q.SITES)}
    assert set(sites) == {ALESKA, CAPKOVA, KNIHOVNA, "MŠ Síbova"}  # Pečovatelská služba has no position
    assert sites[ALESKA]["latitude"] == pytest.approx(50.5491)
    reach = {r["site"]: r["reachable"] for r in rows(data, "metronet-map", q.SITE_REACHABLE)}
    assert reach == {"Bílina radnice": 1, ALESKA: 1, "Pečovatelská služba": 0}


def _alert_results(data: DataSet, rule: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    now_ms = int(time.time() * 1000)
    results = {}
    for item in rule["data"]:
        if item["datasourceUid"] == "__expr__":
            continue
        window = item["relativeTimeRange"]
        text = interpolate(item["model"]["query"], {}, {}, now_ms - window["from"] * 1000, now_ms - window["to"] * 1000,
                           interval=f"{item['model']['intervalMs'] // 1000}s")
        results[item["refId"]] = data.influxdb.query(text, data.db)
    return results


@pytest.mark.parametrize("rule", RULES)
def test_alert_query_returns_data(data: DataSet, rule: dict[str, Any]) -> None:
    for ref, series in _alert_results(data, rule).items():
        assert series and any(s["values"] for s in series), f"{rule['title']} {ref}: no data"


EXPECTED_FIRING = {
    "MetroNetInterfaceErrors": [{"device": CORE, "interface": "Gi1/0/1", "organization": ALESKA}],
    "MetroNetInterfaceDiscards": [],
    "MetroNetLinkUtilizationHigh": [{"device": CORE, "interface": "Gi1/0/3", "organization": KNIHOVNA}],
    "MetroNetOpticalRxBelowBudget": [{"device": CORE, "interface": "Gi1/0/1", "organization": ALESKA}],
    "MetroNetOpticalRxDrift": [{"device": CORE, "interface": "Gi1/0/1", "organization": ALESKA}],
    "MetroNetDeviceRebooted": [{"device": SWITCH, "organization": ALESKA, "site": ALESKA}],
    "MetroNetCoverageTargetAtRisk": [{"target": "Všechny školy a školky 1 Gbit/s"}],
}


@pytest.mark.parametrize("rule", RULES)
def test_alert_fires_for_exactly_the_expected_series(data: DataSet, rule: dict[str, Any]) -> None:
    results = _alert_results(data, rule)
    reduced = {f"R{ref}": reduce_last(series) for ref, series in results.items()}
    condition = next(i for i in rule["data"] if i["refId"] == rule["condition"])["model"]["expression"]
    firing = evaluate(condition, reduced)
    expected = EXPECTED_FIRING[rule["title"]]
    assert len(firing) == len(expected), firing
    for want in expected:
        assert any(want.items() <= labels.items() for labels, _ in firing), (want, firing)
