"""Structure of every generated dashboard and alert rule, and the committed files against the generator."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from grafana_foundation_sdk.models import units
from grafana_vars import BUILTINS, referenced

from metronet_dashboards import generate
from metronet_dashboards.alert_rules import RULES

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = generate.build()
UNITS = {v for v in vars(units).values() if isinstance(v, str)}
UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")
PROVISIONED = {d["uid"]: d["type"] for d in yaml.safe_load(
    (ROOT / "dashboards/provisioning/datasources/metronet.yaml").read_text())["datasources"]}


def panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for panel in board["panels"]:
        out += [panel, *panel.get("panels", [])]
    return out


def walk(node: Any, key: str) -> list[Any]:
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                found.append(v)
            found += walk(v, key)
    elif isinstance(node, list):
        for item in node:
            found += walk(item, key)
    return found


def test_the_committed_files_are_what_the_generator_produces() -> None:
    assert generate.check(ROOT) == []


def test_check_notices_an_edited_or_stray_file(tmp_path: Path) -> None:
    for rel in generate.render(BUNDLE):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    assert generate.check(tmp_path) == []
    noc = tmp_path / "dashboards/generated/metronet-noc.json"
    noc.write_text(noc.read_text().replace("Links down", "Links up"))
    (tmp_path / "dashboards/generated/old.json").write_text("{}")
    problems = generate.check(tmp_path)
    assert len(problems) == 2 and "metronet-noc.json" in problems[0] and "old.json" in problems[1]


def test_the_six_dashboards_with_unique_uids_and_panel_ids() -> None:
    uids = [b["uid"] for b in BUNDLE.dashboards]
    assert sorted(uids) == sorted(["metronet-noc", "metronet-link", "metronet-organization", "metronet-coverage",
                                   "metronet-collector", "metronet-map"])
    assert all(UID.match(u) for u in uids)
    for board in BUNDLE.dashboards:
        ids = [p["id"] for p in panels(board)]
        assert len(ids) == len(set(ids)), board["uid"]
        assert {"geomap"} <= {p["type"] for p in panels(board)} or board["uid"] != "metronet-map"


@pytest.mark.parametrize("board", BUNDLE.dashboards, ids=lambda b: b["uid"])
def test_dashboard_structure(board: dict[str, Any]) -> None:
    variables = {v["name"] for v in board["templating"]["list"]}
    for panel in panels(board):
        if panel["type"] == "row":
            continue
        targets = panel.get("targets", [])
        assert targets, panel["title"]
        refs = [t["refId"] for t in targets]
        assert len(refs) == len(set(refs)), panel["title"]
        for override in panel.get("fieldConfig", {}).get("overrides", []):
            if override["matcher"]["id"] == "byFrameRefID":
                assert override["matcher"]["options"] in refs, panel["title"]
        for unit in walk(panel.get("fieldConfig", {}), "unit") + [
            p["value"] for o in panel.get("fieldConfig", {}).get("overrides", []) for p in o["properties"]
            if p["id"] == "unit"
        ]:
            assert unit in UNITS, (panel["title"], unit)
        for ref in [panel.get("datasource"), *[t["datasource"] for t in targets]]:
            assert ref is not None and PROVISIONED.get(ref["uid"]) == ref["type"], (panel["title"], ref)
        texts = [t.get("query") or t.get("expr", "") for t in targets] + [panel["title"]]
        texts += [link["url"] for link in walk(panel, "links") for link in link if isinstance(link, dict)]
        for name in set().union(*(referenced(t) for t in texts)):
            assert name in variables or name in BUILTINS, (panel["title"], name)
    for var in board["templating"]["list"]:
        if var["type"] == "query":
            assert PROVISIONED.get(var["datasource"]["uid"]) == var["datasource"]["type"]
            assert referenced(var["query"]) <= variables - {var["name"]}
    for link in board.get("links", []):
        assert referenced(link.get("url", "")) <= variables | BUILTINS


def test_queries_avoid_what_influxdb_3_lacks() -> None:
    forbidden = re.compile(r"\b(INTEGRAL|SAMPLE|HOLT_WINTERS|SLIMIT|SOFFSET|DERIVATIVE|NON_NEGATIVE_DERIVATIVE"
                           r"|CHANDE_MOMENTUM_OSCILLATOR|KAUFMANS)\b|\(/", re.IGNORECASE)
    texts = walk(BUNDLE.dashboards, "query") + [q["model"].get("query", "") for r in BUNDLE.rules for q in r["data"]]
    for text in texts:
        assert not forbidden.search(str(text)), text


@pytest.mark.parametrize("rule", BUNDLE.rules, ids=lambda r: r["title"])
def test_alert_rule_structure(rule: dict[str, Any]) -> None:
    assert UID.match(rule["uid"])
    refs = [q["refId"] for q in rule["data"]]
    assert len(refs) == len(set(refs)) and rule["condition"] in refs
    for query in rule["data"]:
        model = query["model"]
        if query["datasourceUid"] == "__expr__":
            math = model["type"] == "math"
            used = set(re.findall(r"\$(\w+)", model["expression"])) if math else {model["expression"]}
            assert used <= set(refs) - {query["refId"]}, (query["refId"], used)
        else:
            assert PROVISIONED.get(query["datasourceUid"]) == "influxdb"
            assert query["relativeTimeRange"]["from"] > query["relativeTimeRange"]["to"] >= 0
            assert referenced(model["query"]) <= {"timeFilter", "__interval"}
    assert rule["labels"]["severity"] in ("critical", "warning", "info")
    notes = rule["annotations"]
    assert notes["summary"] and "organization" in notes["description"] and "site" in notes["description"]
    anchor = notes["runbook_url"].split("#", 1)[1]
    headings = {h.strip().lower() for h in re.findall(r"^## (.+)$", (ROOT / "docs/runbooks.md").read_text(), re.M)}
    assert anchor in headings
    board = next(b for b in BUNDLE.dashboards if b["uid"] == notes["__dashboardUid__"])
    assert int(notes["__panelId__"]) in {p["id"] for p in panels(board)}
    assert notes["dashboard_url"].endswith("/d/" + board["uid"])
    assert notes["netbox_url"].startswith("http")


def test_rule_file_matches_the_api_rules() -> None:
    data = yaml.safe_load((ROOT / "alerts/grafana/metronet-rules.yaml").read_text())
    (group,) = data["groups"]
    assert group["folder"] == "MetroNet" and group["interval"] == "60s"
    assert [r["uid"] for r in group["rules"]] == [r["uid"] for r in BUNDLE.rules] == [s.uid for s in RULES]
    assert all(r["data"] == a["data"] for r, a in zip(group["rules"], BUNDLE.rules, strict=True))
