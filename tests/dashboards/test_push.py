"""``metronet-grafana push`` against the Grafana API simulator (grafana_sim.py; no Grafana runs here)."""

from __future__ import annotations

import copy

import pytest
from grafana_sim import GrafanaSim

from metronet_dashboards import cli, generate
from metronet_dashboards.push import push
from metronet_dashboards.settings import DEFAULT

TOKEN = "glsa_metronet_test_token_1234567890"


@pytest.fixture
def grafana():  # noqa: ANN201
    sim = GrafanaSim(TOKEN).start()
    yield sim
    sim.stop()


def _push(grafana: GrafanaSim, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setenv("METRONET_TEST_GRAFANA_TOKEN", TOKEN)
    code = cli.main(["push", "--url", grafana.url, "--token-env", "METRONET_TEST_GRAFANA_TOKEN",
                     "--influxdb-url", "http://influx.example:8086", "--prometheus-url", "http://prom.example:9090"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_push_creates_everything_then_updates_idempotently(grafana, monkeypatch, capsys) -> None:  # noqa: ANN001
    bundle = generate.build()
    code, output = _push(grafana, monkeypatch, capsys)
    assert code == 0, output
    assert TOKEN not in output
    assert set(grafana.datasources) == {"metronet-influxdb", "metronet-prometheus"}
    assert grafana.datasources["metronet-influxdb"]["url"] == "http://influx.example:8086"
    assert set(grafana.folders) == {"metronet"}
    assert set(grafana.dashboards) == {b["uid"] for b in bundle.dashboards}
    assert all(d["folderUid"] == "metronet" for d in grafana.dashboards.values())
    assert set(grafana.rules) == {r["uid"] for r in bundle.rules}
    assert grafana.groups == {("metronet", "metronet-influxdb"): 60}
    first = copy.deepcopy((grafana.datasources, grafana.dashboards, grafana.rules))
    calls = len(grafana.calls)

    code, output = _push(grafana, monkeypatch, capsys)
    assert code == 0, output
    assert "created 0," in output
    second = grafana.calls[calls:]
    assert not [c for c in second if c[0] == "POST" and c[1].rstrip("/") in ("/api/datasources", "/api/folders",
                                                                             "/api/v1/provisioning/alert-rules")]
    assert len(grafana.dashboards) == len(first[1]) and len(grafana.rules) == len(first[2])
    for uid, entry in grafana.dashboards.items():
        assert entry["dashboard"]["version"] == first[1][uid]["dashboard"]["version"] + 1
        assert entry["dashboard"]["id"] == first[1][uid]["dashboard"]["id"]
        assert entry["dashboard"]["panels"] == first[1][uid]["dashboard"]["panels"]
    for uid, rule in grafana.rules.items():
        assert rule["id"] == first[2][uid]["id"]
    assert grafana.datasources["metronet-influxdb"]["version"] == 2


def test_push_with_a_wrong_token_fails_cleanly(grafana, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("METRONET_TEST_GRAFANA_TOKEN", "wrong-token-value")
    code = cli.main(["push", "--url", grafana.url, "--token-env", "METRONET_TEST_GRAFANA_TOKEN"])
    out = capsys.readouterr()
    assert code == 1
    assert "401" in out.err and "wrong-token-value" not in out.out + out.err
    assert not grafana.dashboards


def test_push_reports_a_rule_on_a_missing_datasource(grafana) -> None:  # noqa: ANN001
    from grafana_client import GrafanaApi
    from grafana_client.client import GrafanaBadInputError

    bundle = generate.build()
    bundle.rules[0]["data"][0]["datasourceUid"] = "no-such-datasource"
    api = GrafanaApi.from_url(grafana.url, credential=TOKEN)
    with pytest.raises(GrafanaBadInputError, match="data source not found"):
        push(api, bundle, DEFAULT, "http://i:8086", "http://p:9090")


def test_simulator_rejects_what_grafana_rejects(grafana) -> None:  # noqa: ANN001
    assert grafana.route("POST", "/api/dashboards/db", {"dashboard": {"title": "x", "uid": "u"},
                                                          "folderUid": "nope"})[0] == 400
    assert grafana.route("POST", "/api/folders", {"uid": "f", "title": "F"})[0] == 200
    assert grafana.route("POST", "/api/dashboards/db", {"dashboard": {"title": "", "uid": "u"}})[0] == 400
    assert grafana.route("POST", "/api/dashboards/db", {"dashboard": {"title": "x", "uid": "u" * 41}})[0] == 400
    save = "/api/dashboards/db"
    assert grafana.route("POST", save, {"dashboard": {"title": "x", "uid": "u", "version": 1}})[0] == 200
    assert grafana.route("POST", save, {"dashboard": {"title": "x", "uid": "u", "version": 7}})[0] == 412
    rule = {"uid": "r", "title": "R", "folderUID": "f", "ruleGroup": "g", "condition": "B", "for": "1m",
            "noDataState": "OK", "execErrState": "Error",
            "data": [{"refId": "A", "datasourceUid": "__expr__", "relativeTimeRange": {"from": 0, "to": 0}}]}
    status, body = grafana.route("POST", "/api/v1/provisioning/alert-rules", rule)
    assert status == 400 and "condition B does not exist" in body["message"]
