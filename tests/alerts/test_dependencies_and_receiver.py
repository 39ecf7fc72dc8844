"""The collector's dependency info metric (dependencies.py) and the webhook receiver, each on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from alert_stack import RECEIVER, Webhook, wait_until
from prometheus_client import CollectorRegistry, generate_latest

from metronet_collectors.dependencies import DependencyFileError, parse_document, register_dependencies
from metronet_collectors.metrics import CollectorMetrics

ROW = {"device": "sw-agg", "interface": "Gi1/0/1", "parent_device": "sw-agg", "upstream_link": "sw-core:Te1/0/1",
       "organizations": ["Gymnázium Bílina, Žižkova 3", "Základní škola Bílina"], "link_end": "near"}


def _write(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"format": "metronet-alert-dependencies/1", "rows": rows}, ensure_ascii=False),
                   encoding="utf-8")
    tmp.replace(path)


def test_info_metric_follows_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "deps.json"
    _write(path, [ROW])
    monkeypatch.setenv("METRONET_DEPENDENCIES_FILE", str(path))
    registry = CollectorRegistry()
    CollectorMetrics(registry)  # the hook in metrics.py registers the file named by the environment
    labels = {k: v for k, v in ROW.items() if k != "organizations"}
    labels["organizations"] = "Gymnázium Bílina, Žižkova 3; Základní škola Bílina"
    assert registry.get_sample_value("metronet_topology_dependency_info", labels) == 1.0
    assert "Gymnázium Bílina, Žižkova 3; Základní škola Bílina" in generate_latest(registry).decode("utf-8")
    # regenerated with another row: picked up at the next scrape
    _write(path, [dict(ROW, interface="Gi1/0/2", organizations=[])])
    assert registry.get_sample_value("metronet_topology_dependency_info", labels) is None
    assert registry.get_sample_value("metronet_topology_dependency_info",
                                     dict(labels, interface="Gi1/0/2", organizations="")) == 1.0
    # a broken file keeps the last good rows and is counted
    path.write_text("{not json", encoding="utf-8")
    assert registry.get_sample_value("metronet_topology_dependency_info",
                                     dict(labels, interface="Gi1/0/2", organizations="")) == 1.0
    assert registry.get_sample_value("metronet_topology_dependencies_errors_total") == 1.0


def test_no_file_configured_exports_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("METRONET_DEPENDENCIES_FILE", raising=False)
    registry = CollectorRegistry()
    assert CollectorMetrics(registry).dependencies is None
    assert register_dependencies(registry) is None
    assert "metronet_topology_dependency_info" not in generate_latest(registry).decode()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "other/1", "rows": []}, "format"),
        ({"format": "metronet-alert-dependencies/1", "rows": [{"interface": "x"}]}, r"rows\[0\].device"),
        ({"format": "metronet-alert-dependencies/1", "rows": [{"device": "a", "organizations": "x"}]},
         r"rows\[0\].organizations"),
    ],
)
def test_bad_documents_are_rejected(document: dict, message: str) -> None:
    with pytest.raises(DependencyFileError, match=message):
        parse_document(document)


def test_webhook_receiver_logs_and_keeps_alerts(tmp_path: Path) -> None:
    hook = Webhook(tmp_path)
    hook.start()
    try:
        payload = {"version": "4", "receiver": "noc-critical", "status": "firing", "groupKey": "{}:{}", "alerts": [
            {"status": "firing", "labels": {"alertname": "MetroNetBackboneLinkDown", "severity": "critical",
                                            "organizations": "Gymnázium Bílina; Městský úřad Bílina"},
             "annotations": {"summary": "Backbone link sw-core Te1/0/1 is down (offline: Gymnázium Bílina)."}}]}
        request = urllib.request.Request(f"{hook.url}/alerts/critical", json.dumps(payload).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        bad = urllib.request.Request(f"{hook.url}/alerts/critical", b"[1, 2]", {"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError, match="400"):
            urllib.request.urlopen(bad, timeout=5)
        line = wait_until(lambda: "MetroNetBackboneLinkDown" in hook.tail() and hook.tail(), 5)
        assert ('noc-critical firing MetroNetBackboneLinkDown severity=critical '
                'organizations="Gymnázium Bílina; Městský úřad Bílina" '
                'summary="Backbone link sw-core Te1/0/1 is down (offline: Gymnázium Bílina)."') in line
        [kept] = hook.notifications()
        assert kept["receiver"] == "noc-critical" and kept["path"] == "/alerts/critical"
        assert kept["alerts"] == payload["alerts"]
    finally:
        hook.stop()


def test_webhook_receiver_refuses_a_non_loopback_address() -> None:
    result = subprocess.run([sys.executable, str(RECEIVER), "--listen", "0.0.0.0:9"], capture_output=True,
                            text=True, timeout=30, env=dict(os.environ), check=False)
    assert result.returncode == 2 and "not a loopback address" in result.stderr
