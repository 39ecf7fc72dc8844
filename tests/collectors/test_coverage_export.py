"""metronet-coverage-export against a NetBox REST double (real HTTP; tests/dashboards/netbox_rest_double.py): points,
paging, token handling. Its data in a real InfluxDB is tested with the dashboards (tests/dashboards)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from netbox_rest_double import TOKEN, FakeNetBox, coverage_report  # noqa: E402

from metronet_collectors import coverage_export  # noqa: E402


@pytest.fixture
def netbox():  # noqa: ANN201
    fake = FakeNetBox("core-bilina").start()
    yield fake
    fake.stop()


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "collector.yaml"
    path.write_text(yaml.safe_dump({
        "netbox": {"url": url, "token": {"env": "METRONET_TEST_NB_TOKEN"}},
        "devices": [],
        "auths": {},
        "sink": {"type": "influxdb_v1", "url": "http://127.0.0.1:9", "database": "metronet"},
        "spool": {"directory": str(tmp_path / "spool")},
        "metrics": {"listen": ""},
    }))
    return path


def test_print_writes_the_report_as_points(netbox, tmp_path, monkeypatch, capsys, caplog) -> None:  # noqa: ANN001
    monkeypatch.setenv("METRONET_TEST_NB_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    assert coverage_export.main(["-c", str(_config(tmp_path, netbox.url)), "--print", "--as-of", "2026-11-25"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    by_measurement: dict[str, list[str]] = {}
    for line in lines:
        by_measurement.setdefault(line.split(",", 1)[0].split(" ", 1)[0], []).append(line)
    report = coverage_report()
    assert len(by_measurement["coverage"]) == 1 + len(report["by_type"]) + len(report["by_town_part"])
    assert len(by_measurement["coverage_target"]) == 2 and len(by_measurement["coverage_org"]) == 5
    assert len(by_measurement["coverage_site"]) == 4  # one organization's site has no position
    assert len(by_measurement["coverage_burndown"]) == 4
    assert len(by_measurement["link_budget"]) == 2  # two connections with a traced strand
    total = next(line for line in by_measurement["coverage"] if "scope=all" in line)
    assert "connected=3i" in total and "total=5i" in total
    budget = next(line for line in by_measurement["link_budget"] if "interface=Gi1/0/1" in line)
    assert "loss_with_margin_db=3.5" in budget and "wavelength_nm=1310" in budget
    target = next(line for line in by_measurement["coverage_target"] if "target_id=1" in line)
    assert "days_left=60i" in target and "status_code=2i" in target and r"Všechny\ školy" in target
    # paging followed (the double serves 2 rows per page), the as_of passed through, the token sent and never shown
    assert any("offset=2" in path for path, _ in netbox.requests if path.startswith("/api/dcim/sites/"))
    assert any("as_of=2026-11-25" in path for path, _ in netbox.requests)
    assert all(auth == f"Token {TOKEN}" for _, auth in netbox.requests)
    assert TOKEN not in out.out + out.err + caplog.text


def test_a_refused_token_or_a_dead_netbox_fails_without_the_token(netbox, tmp_path, monkeypatch, capsys,
                                                                   caplog) -> None:  # noqa: ANN001
    monkeypatch.setenv("METRONET_TEST_NB_TOKEN", "wrong-secret-token-value")
    caplog.set_level(logging.DEBUG)
    assert coverage_export.main(["-c", str(_config(tmp_path, netbox.url)), "--print"]) == 1
    assert "HTTP 403" in caplog.text
    netbox.stop()
    assert coverage_export.main(["-c", str(_config(tmp_path, netbox.url)), "--print"]) == 1
    out = capsys.readouterr()
    assert "wrong-secret-token-value" not in out.out + out.err + caplog.text
    netbox.stop = lambda: None  # already stopped


def test_budget_points_use_the_chosen_wavelength() -> None:
    from netbox_rest_double import connections, trace

    points = coverage_export.budget_points(connections("core"), {7: trace(7)}, 1550, 1)
    (point,) = points
    assert point.tags == {"device": "core", "interface": "Gi1/0/1", "organization": "ZŠ Aléská",
                          "wavelength_nm": "1550"}
    assert point.fields["loss_with_margin_db"] == pytest.approx(3.2)
