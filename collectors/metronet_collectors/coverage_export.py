"""Coverage exporter: the plugin's coverage report (and fiber budgets) as InfluxDB points for dashboards and alerts.

One run reads NetBox's REST API with the collector's NetBox settings (``netbox.url``, ``netbox.token`` from the
environment or the secrets file; the token is never logged) and writes through the collector's sink
(``sink``: InfluxDB v1 ``/write`` or the v2 API), then exits; schedule it (cron, systemd timer) or pass
``--interval``::

    metronet-coverage-export -c collector.yaml [--once | --interval 3600] [--as-of 2025-06-30] [--print]

Reads (all existing endpoints)::

    GET /api/plugins/metronet/coverage/[?as_of=]          the coverage page's numbers (CoverageReport.to_dict())
    GET /api/dcim/sites/?tenant_id=...                     site positions (paged)
    GET /api/plugins/metronet/connections/?status=connected   access interfaces and fiber strand (paged)
    GET /api/plugins/metronet/fiber-strands/<id>/trace/    loss budget of a connection's strand

Writes (timestamp = the run, except the burndown's month ends; tag values from NetBox names)::

    coverage           scope=all|org_type|town_part, key, label[, town_part]   total connected in_progress planned
                                                                               not_planned
    coverage_speed     scope, label, min_mbps                                  connected (at >= min_mbps)
    coverage_target    target, target_id, scope                                share_percent min_bandwidth_mbps
                                                                               eligible required achieved projected
                                                                               shortfall status_code due_ms days_left
    coverage_org       organization, tenant_id, org_type, town_part            state_code connected
                                                                               best_bandwidth_mbps
    coverage_site      site, organization, town_part                           latitude longitude state_code
    coverage_burndown  (none; month-end timestamps)                            connected remaining planned
    link_budget        device, interface, organization, wavelength_nm          loss_db margin_db loss_with_margin_db
                                                                               length_m complete

``state_code``: 0 not planned, 1 planned, 2 in progress, 3 connected; ``status_code``: 0 met, 1 on track,
2 behind, 3 missed. ``link_budget`` is written for the access interfaces of connected connections that have a
strand, at one wavelength (``--budget-wavelength``, default 1310 nm).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import urllib3

from metronet_collectors.config import Config, ConfigError, load_config
from metronet_collectors.lineprotocol import encode_points
from metronet_collectors.model import Point
from metronet_collectors.sinks import SinkError, make_sink

log = logging.getLogger("metronet_collectors.coverage_export")

STATE_CODES = {"not_planned": 0, "planned": 1, "in_progress": 2, "connected": 3}
STATUS_CODES = {"met": 0, "on_track": 1, "behind": 2, "missed": 3}


class ExportError(Exception):
    """NetBox could not be read (the message never contains the token)."""


class NetBoxReader:
    """GETs JSON from NetBox's REST API with a token, following ``next`` links."""

    def __init__(self, url: str, token: str, timeout_s: float = 30.0, page_size: int = 500) -> None:
        self.base = url.rstrip("/")
        scheme = "Bearer" if token.startswith("nbt_") else "Token"
        self._headers = {"Authorization": f"{scheme} {token}", "Accept": "application/json"}
        self.page_size = page_size
        self.http = urllib3.PoolManager(timeout=urllib3.Timeout(total=timeout_s), retries=False)

    def get(self, path_or_url: str, params: dict[str, Any] | None = None) -> Any:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self.base + path_or_url
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        shown = url.split("?")[0]
        try:
            response = self.http.request("GET", url, headers=self._headers)
        except urllib3.exceptions.HTTPError as exc:
            raise ExportError(f"GET {shown}: {type(exc).__name__}") from exc
        if response.status != 200:
            raise ExportError(f"GET {shown}: HTTP {response.status}")
        try:
            return json.loads(response.data)
        except ValueError as exc:
            raise ExportError(f"GET {shown}: not JSON") from exc

    def get_all(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        page = self.get(path, {**(params or {}), "limit": self.page_size})
        results: list[dict[str, Any]] = list(page.get("results", []))
        while page.get("next"):
            page = self.get(page["next"])
            results.extend(page.get("results", []))
        return results

    def close(self) -> None:
        self.http.clear()


def _tags(**tags: Any) -> dict[str, str]:
    return {k: str(v) for k, v in tags.items() if v is not None and str(v) != ""}


def _group_points(group: dict[str, Any], scope: str, ts: int) -> list[Point]:
    key = group.get("key")
    tags = _tags(scope=scope, key=key, label=group.get("label"),
                 town_part=group.get("label") if scope == "town_part" else None)
    fields: dict[str, int | float] = {
        name: int(group[name]) for name in ("total", "connected", "in_progress", "planned", "not_planned")
    }
    points = [Point("coverage", tags, fields, ts)]
    for threshold, count in (group.get("connected_at_least") or {}).items():
        points.append(Point("coverage_speed", {**tags, "min_mbps": str(threshold)}, {"connected": int(count)}, ts))
    return points


def _day_ns(day: str) -> int:
    date = datetime.date.fromisoformat(day)
    return int(datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC).timestamp()) * 10**9


def coverage_points(report: dict[str, Any], ts: int) -> list[Point]:
    """Points of one coverage report (``GET /api/plugins/metronet/coverage/``)."""
    points = _group_points(report["totals"], "all", ts)
    for group in report.get("by_type", []):
        points += _group_points(group, "org_type", ts)
    for group in report.get("by_town_part", []):
        points += _group_points(group, "town_part", ts)
    as_of = datetime.date.fromisoformat(report["as_of"])
    for target in report.get("targets", []):
        due = datetime.date.fromisoformat(target["due_date"])
        scope = "; ".join(part for part in (", ".join(target.get("org_types", [])),
                                            ", ".join(target.get("town_relations", []))) if part)
        points.append(Point(
            "coverage_target", _tags(target=target["name"], target_id=target["id"], scope=scope),
            {
                "share_percent": float(target["share_percent"]),
                "min_bandwidth_mbps": int(target["min_bandwidth_mbps"]),
                "eligible": int(target["eligible"]), "required": int(target["required"]),
                "achieved": int(target["achieved"]), "projected": int(target["projected"]),
                "shortfall": int(target["shortfall"]), "status_code": STATUS_CODES.get(target["status"], -1),
                "due_ms": _day_ns(target["due_date"]) // 10**6, "days_left": (due - as_of).days,
            },
            ts,
        ))
    for org in report.get("organizations", []):
        fields: dict[str, int | float] = {
            "state_code": STATE_CODES.get(org["state"], -1), "connected": int(org["state"] == "connected"),
        }
        if org.get("best_bandwidth_mbps") is not None:
            fields["best_bandwidth_mbps"] = int(org["best_bandwidth_mbps"])
        points.append(Point("coverage_org", _tags(organization=org["name"], tenant_id=org["tenant_id"],
                                                  org_type=org["org_type"], town_part=org.get("town_part")),
                            fields, ts))
    for month in (report.get("burndown") or {}).get("points", []):
        fields = {name: int(month[name]) for name in ("connected", "remaining", "planned") if month[name] is not None}
        points.append(Point("coverage_burndown", {}, fields, _day_ns(month["month"])))
    return points


def site_points(sites: Iterable[dict[str, Any]], report: dict[str, Any], ts: int) -> list[Point]:
    """Positions of the organizations' sites (NetBox ``dcim.Site`` latitude/longitude) with the org's state."""
    orgs = {org["tenant_id"]: org for org in report.get("organizations", [])}
    points = []
    for site in sites:
        tenant = site.get("tenant") or {}
        org = orgs.get(tenant.get("id"))
        if org is None or site.get("latitude") is None or site.get("longitude") is None:
            continue
        points.append(Point(
            "coverage_site", _tags(site=site["name"], organization=org["name"], town_part=org.get("town_part")),
            {"latitude": float(site["latitude"]), "longitude": float(site["longitude"]),
             "state_code": STATE_CODES.get(org["state"], -1)},
            ts,
        ))
    return points


def budget_points(connections: Iterable[dict[str, Any]], traces: dict[int, dict[str, Any]], wavelength_nm: int,
                  ts: int) -> list[Point]:
    """``link_budget`` of each access interface of a connection whose strand was traced."""
    points = []
    for connection in connections:
        strand = connection.get("strand") or {}
        trace = traces.get(strand.get("id", -1))
        if trace is None:
            continue
        budget = next((b for b in trace.get("loss_budget", []) if b["wavelength_nm"] == wavelength_nm), None)
        if budget is None:
            continue
        for interface in connection.get("access_interfaces") or []:
            device = (interface.get("device") or {}).get("name")
            if not device:
                continue
            points.append(Point(
                "link_budget",
                _tags(device=device, interface=interface["name"], organization=(connection.get("tenant") or {}).get(
                    "name"), wavelength_nm=wavelength_nm),
                {"loss_db": float(budget["total_db"]), "margin_db": float(budget["margin_db"]),
                 "loss_with_margin_db": float(budget["total_with_margin_db"]),
                 "length_m": float(trace.get("total_length_m", 0.0)), "complete": int(bool(budget["complete"]))},
                ts,
            ))
    return points


def collect(reader: NetBoxReader, as_of: datetime.date | None, wavelength_nm: int, now_ns: int) -> list[Point]:
    report = reader.get("/api/plugins/metronet/coverage/", {"as_of": as_of.isoformat()} if as_of else None)
    points = coverage_points(report, now_ns)
    tenant_ids = sorted({org["tenant_id"] for org in report.get("organizations", [])})
    if tenant_ids:
        points += site_points(reader.get_all("/api/dcim/sites/", {"tenant_id": tenant_ids}), report, now_ns)
    connections = reader.get_all("/api/plugins/metronet/connections/", {"status": "connected"})
    strand_ids = {int(c["strand"]["id"]) for c in connections if (c.get("strand") or {}).get("id") is not None}
    traces = {sid: reader.get(f"/api/plugins/metronet/fiber-strands/{sid}/trace/") for sid in sorted(strand_ids)}
    points += budget_points(connections, traces, wavelength_nm, now_ns)
    return points


async def _write(config: Config, lines: list[str]) -> None:
    sink = make_sink(config.sink)
    try:
        step = config.sink.batch_lines
        for start in range(0, len(lines), step):
            await sink.write(lines[start:start + step])
    finally:
        sink.close()


def run_once(config: Config, as_of: datetime.date | None, wavelength_nm: int, print_only: bool) -> int:
    if not config.netbox.url or config.netbox.token is None:
        raise ConfigError(["netbox.url and netbox.token are required for the coverage export"])
    reader = NetBoxReader(config.netbox.url, str(config.netbox.token), config.netbox.timeout_s,
                          config.netbox.page_size)
    try:
        lines = encode_points(collect(reader, as_of, wavelength_nm, time.time_ns()))
    finally:
        reader.close()
    if print_only:
        sys.stdout.write("".join(line + "\n" for line in lines))
    else:
        asyncio.run(_write(config, lines))
    log.info("coverage export: %d points %s", len(lines), "printed" if print_only else f"written to {config.sink.url}")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="metronet-coverage-export", description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", type=Path, required=True, help="the collector's YAML config")
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)")
    parser.add_argument("--interval", type=float, default=0.0, help="repeat every N seconds (default: run once)")
    parser.add_argument("--budget-wavelength", type=int, default=1310, help="wavelength of link_budget (nm)")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print line protocol, write nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        for error in exc.errors:
            print(f"config error: {error}", file=sys.stderr)
        return 2
    while True:
        try:
            run_once(config, args.as_of, args.budget_wavelength, args.print_only)
            status = 0
        except (ExportError, SinkError, ConfigError) as exc:
            log.error("coverage export failed: %s", exc)
            status = 1
        if args.interval <= 0:
            return status
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
