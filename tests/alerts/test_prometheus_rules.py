"""Prometheus rules and Alertmanager config: promtool/amtool checks, rule unit tests, conventions."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "alerts"
RULES = ALERTS / "prometheus" / "metronet.rules.yml"
RULE_TESTS = sorted((ALERTS / "prometheus" / "tests").glob("*.yml"))
AM_CONFIG = ALERTS / "alertmanager" / "alertmanager.yml"
RUNBOOKS = ROOT / "docs" / "runbooks.md"


def _binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` not found on PATH: install the Debian package `{package}` (apt-get install {package})")
    return path


@pytest.fixture(scope="session")
def promtool() -> str:
    return _binary("promtool", "prometheus")


@pytest.fixture(scope="session")
def amtool() -> str:
    return _binary("amtool", "prometheus-alertmanager")


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=cwd, check=False)


def _alert_rules() -> list[dict]:
    doc = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in doc["groups"] for rule in group["rules"] if "alert" in rule]


def test_promtool_check_rules(promtool: str) -> None:
    res = _run(promtool, "check", "rules", str(RULES))
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"SUCCESS: {len(_alert_rules())} rules found" in res.stdout


@pytest.mark.parametrize("test_file", RULE_TESTS, ids=lambda p: p.name)
def test_promtool_test_rules(promtool: str, test_file: Path) -> None:
    res = _run(promtool, "test", "rules", test_file.name, cwd=test_file.parent)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "SUCCESS" in res.stdout


def test_promtool_test_rules_can_fail(promtool: str, tmp_path: Path) -> None:
    """A wrong expectation (another organization) must make promtool fail: the unit tests have teeth."""
    src = ALERTS / "prometheus" / "tests" / "links.test.yml"
    text = src.read_text(encoding="utf-8").replace("../metronet.rules.yml", str(RULES))
    broken = text.replace("organization: Gymnázium Bílina", "organization: Gymnazium Bilina", 1)
    assert broken != text
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    res = _run(promtool, "test", "rules", "broken.yml", cwd=tmp_path)
    assert res.returncode != 0
    assert "FAILED" in res.stdout + res.stderr


def _seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smh])", duration))


def test_every_alert_fires_and_resolves_in_unit_tests() -> None:
    fired: set[str] = set()
    resolved: set[str] = set()
    for test_file in RULE_TESTS:
        doc = yaml.safe_load(test_file.read_text(encoding="utf-8"))
        for case in doc["tests"]:
            fired_here: set[str] = set()
            for check in sorted(case.get("alert_rule_test", []), key=lambda c: _seconds(c["eval_time"])):
                if check["exp_alerts"]:
                    fired_here.add(check["alertname"])
                elif check["alertname"] in fired_here:
                    resolved.add(check["alertname"])
            fired |= fired_here
    names = {rule["alert"] for rule in _alert_rules()}
    assert names - fired == set(), "alerts never expected to fire"
    assert names - resolved == set(), "alerts never expected to be quiet after firing"


def test_czech_organization_names_intact_in_unit_tests() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in RULE_TESTS)
    for name in ("Základní škola Bílina, Lidická 18", "Městský úřad Bílina", "Gymnázium Bílina, Žižkova 3"):
        assert f"organization: {name}" in text or f'organization="{name}"' in text
        assert f"{name}" in text


def test_alert_conventions() -> None:
    runbook_anchors = {
        re.sub(r"[^a-z0-9]+", "", line.lstrip("#").strip().lower())
        for line in RUNBOOKS.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }
    names = [rule["alert"] for rule in _alert_rules()]
    assert len(names) == len(set(names))
    for rule in _alert_rules():
        name = rule["alert"]
        assert re.fullmatch(r"MetroNet(?:[A-Z][a-z0-9]+)+", name), name
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, name
        ann = rule["annotations"]
        assert ann["summary"].strip() and ann["description"].strip(), name
        assert ann["runbook_url"] == f"docs/runbooks.md#{name.lower()}", name
        assert name.lower() in runbook_anchors, f"no '## {name}' section in docs/runbooks.md"
        assert "for" in rule, name
    link_rules = [r for r in _alert_rules() if "metronet_link_oper_up" in r["expr"]]
    for rule in link_rules:
        text = rule["annotations"]["summary"] + rule["annotations"]["description"]
        assert "$labels.device" in text and "$labels.interface" in text, rule["alert"]
    access = next(r for r in _alert_rules() if r["alert"] == "MetroNetAccessLinkDown")
    assert "$labels.organization" in access["annotations"]["summary"]


def test_amtool_check_config(amtool: str) -> None:
    res = _run(amtool, "check-config", str(AM_CONFIG))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "SUCCESS" in res.stdout
    assert "5 inhibit rules" in res.stdout


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        (["alertname=MetroNetAccessLinkDown", "severity=critical", "organization=Městský úřad Bílina"], "noc-critical"),
        (["alertname=MetroNetBackboneLinkDown", "severity=critical"], "noc-critical"),
        (["alertname=MetroNetCollectorWritesFailing", "severity=warning"], "noc-warning"),
        (["alertname=MetroNetInventoryProblems", "severity=info"], "noc-info"),
    ],
)
def test_amtool_routes(amtool: str, labels: list[str], receiver: str) -> None:
    res = _run(amtool, "config", "routes", "test", f"--config.file={AM_CONFIG}", *labels)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip() == receiver


def test_inhibit_rules_use_labels_the_rules_set() -> None:
    """Inhibit `equal` labels must be set by the source alert rule itself (see alerts/README.md)."""
    config = yaml.safe_load(AM_CONFIG.read_text(encoding="utf-8"))
    rules = {r["alert"]: r for r in _alert_rules()}
    backbone = next(i for i in config["inhibit_rules"] if "MetroNetBackboneLinkDown" in i["source_matchers"][0])
    assert backbone["equal"] == ["upstream_link"]
    own_link = "{{ $labels.device }}:{{ $labels.interface }}"
    assert rules["MetroNetBackboneLinkDown"]["labels"]["upstream_link"] == own_link
    device = next(
        i
        for i in config["inhibit_rules"]
        if "MetroNetDeviceUnreachable" in i["source_matchers"][0] and i["equal"] == ["parent_device"]
    )
    assert "MetroNetAccessLinkDown" in device["target_matchers"][0]
    assert rules["MetroNetDeviceUnreachable"]["labels"]["parent_device"] == "{{ $labels.device }}"
    for rule in config["inhibit_rules"]:
        for matcher in rule["source_matchers"] + rule["target_matchers"]:
            for name in re.findall(r"MetroNet[A-Za-z]+", matcher):
                assert name in rules, name
