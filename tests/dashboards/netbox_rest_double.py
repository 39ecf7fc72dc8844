"""A NetBox REST double for the coverage exporter: real HTTP on loopback, token auth, offset paging.

Serves the four endpoints the exporter reads, in the shapes of the plugin's serializers and
``CoverageReport.to_dict()`` / ``FiberTrace.to_dict()``; records the requests it got.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

TOKEN = "0123456789abcdef0123456789abcdef01234567"

ORGS = [
    # tenant_id, name, org_type, town part, state, best bandwidth, site, lat, lon
    (11, "ZŠ Aléská", "school", "Teplické Předměstí", "connected", 1000, "ZŠ Aléská", 50.5491, 13.7712),
    (12, "MŠ Čapkova", "kindergarten", "Teplické Předměstí", "connected", 1000, "MŠ Čapkova", 50.5502, 13.7801),
    (13, "Městská knihovna", "culture", "Střed", "connected", 100, "Městská knihovna", 50.5487, 13.7745),
    (14, "MŠ Síbova", "kindergarten", "Střed", "in_progress", None, "MŠ Síbova", 50.5455, 13.7690),
    (15, "Pečovatelská služba", "social", "Pražské Předměstí", "planned", None, "Pečovatelská služba", None, None),
]


def _counts(orgs: list[tuple[Any, ...]], key: Any, label: str) -> dict[str, Any]:
    states = [o[4] for o in orgs]
    return {
        "key": key, "label": label, "total": len(orgs), "connected": states.count("connected"),
        "in_progress": states.count("in_progress"), "planned": states.count("planned"),
        "not_planned": states.count("not_planned"),
        "connected_at_least": {str(t): sum(1 for o in orgs if o[5] is not None and o[5] >= t) for t in (100, 1000)},
    }


def coverage_report(as_of: str = "2026-11-25") -> dict[str, Any]:
    types = ["school", "kindergarten", "culture", "social"]
    parts = sorted({o[3] for o in ORGS})
    return {
        "as_of": as_of,
        "thresholds_mbps": [100, 1000],
        "totals": _counts(ORGS, None, "All organizations"),
        "by_type": [_counts([o for o in ORGS if o[2] == t], t, t.capitalize()) for t in types],
        "by_town_part": [_counts([o for o in ORGS if o[3] == p], i + 1, p) for i, p in enumerate(parts)],
        "targets": [
            {"id": 1, "name": "Všechny školy a školky 1 Gbit/s", "share_percent": 100.0, "min_bandwidth_mbps": 1000,
             "due_date": "2027-01-24", "org_types": ["school", "kindergarten"], "town_relations": [],
             "eligible": 3, "required": 3, "achieved": 2, "projected": 2, "shortfall": 1, "status": "behind",
             "missing": [{"tenant_id": 14, "name": "MŠ Síbova", "state": "in_progress", "best_bandwidth_mbps": None,
                          "planned_date": "2027-03-01", "projected": False}]},
            {"id": 2, "name": "Polovina organizací", "share_percent": 50.0, "min_bandwidth_mbps": 100,
             "due_date": "2025-12-31", "org_types": [], "town_relations": [], "eligible": 5, "required": 3,
             "achieved": 3, "projected": 3, "shortfall": 0, "status": "met", "missing": []},
        ],
        "burndown": {"total": 5, "points": [
            {"month": "2026-09-30", "connected": 1, "remaining": 4, "planned": 2},
            {"month": "2026-10-31", "connected": 2, "remaining": 3, "planned": 3},
            {"month": "2026-11-30", "connected": 3, "remaining": 2, "planned": 4},
            {"month": "2026-12-31", "connected": None, "remaining": None, "planned": 4},
        ], "milestones": []},
        "organizations": [
            {"tenant_id": o[0], "profile_id": o[0] + 100, "name": o[1], "org_type": o[2], "town_relation": "founded",
             "town_part_id": parts.index(o[3]) + 1, "town_part": o[3], "state": o[4], "best_bandwidth_mbps": o[5],
             "planned_date": None, "connected_date": None, "targets": {}}
            for o in ORGS
        ],
    }


def sites() -> list[dict[str, Any]]:
    return [{"id": 100 + o[0], "name": o[6], "tenant": {"id": o[0], "name": o[1]}, "latitude": o[7],
             "longitude": o[8]} for o in ORGS] + [
        {"id": 99, "name": "Bílina radnice", "tenant": None, "latitude": 50.548, "longitude": 13.775}]


def connections(core: str) -> list[dict[str, Any]]:
    def iface(device: str, name: str, pk: int) -> dict[str, Any]:
        return {"id": pk, "name": name, "device": {"id": pk // 10, "name": device}}

    return [
        {"id": 1, "tenant": {"id": 11, "name": "ZŠ Aléská"}, "status": {"value": "connected"},
         "access_interfaces": [iface(core, "Gi1/0/1", 501)], "strand": {"id": 7}},
        {"id": 2, "tenant": {"id": 12, "name": "MŠ Čapkova"}, "status": {"value": "connected"},
         "access_interfaces": [iface(core, "Gi1/0/2", 502)], "strand": None},
        {"id": 3, "tenant": {"id": 13, "name": "Městská knihovna"}, "status": {"value": "connected"},
         "access_interfaces": [iface(core, "Gi1/0/3", 503)], "strand": {"id": 8}},
    ]


def trace(strand_id: int) -> dict[str, Any]:
    loss = {7: 3.5, 8: 6.0}[strand_id]
    return {
        "origin": {"id": strand_id}, "complete": True, "hops": [], "total_length_m": 2400.0,
        "loss_budget": [
            {"wavelength_nm": 1310, "fiber_loss_db": 0.84, "splice_loss_db": 0.4, "connector_loss_db": 1.0,
             "total_db": loss - 1.0, "margin_db": 1.0, "total_with_margin_db": loss, "complete": True},
            {"wavelength_nm": 1550, "fiber_loss_db": 0.53, "splice_loss_db": 0.4, "connector_loss_db": 1.0,
             "total_db": loss - 1.3, "margin_db": 1.0, "total_with_margin_db": loss - 0.3, "complete": True},
        ],
        "budget_margin_db": 1.0, "issues": [],
    }


class FakeNetBox:
    def __init__(self, core_device: str, page_size_cap: int = 2) -> None:
        self.requests: list[tuple[str, str]] = []  # (path with query, Authorization header)
        self.report = coverage_report()
        self.core = core_device
        self.cap = page_size_cap
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                fake.requests.append((self.path, self.headers.get("Authorization", "")))
                status, body = fake.route(self.path, self.headers.get("Authorization", ""))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _page(self, path: str, query: dict[str, list[str]], rows: list[dict[str, Any]]) -> dict[str, Any]:
        limit = min(int(query.get("limit", ["50"])[0]), self.cap)
        offset = int(query.get("offset", ["0"])[0])
        nxt = None
        if offset + limit < len(rows):
            params = {**query, "limit": limit, "offset": offset + limit}
            nxt = f"{self.url}{path}?{urlencode(params, doseq=True)}"
        return {"count": len(rows), "next": nxt, "previous": None, "results": rows[offset:offset + limit]}

    def route(self, raw: str, auth: str) -> tuple[int, Any]:
        if auth != f"Token {TOKEN}":
            return 403, {"detail": "Invalid token"}
        url = urlparse(raw)
        query = parse_qs(url.query)
        if url.path == "/api/plugins/metronet/coverage/":
            return 200, {**self.report, "as_of": query.get("as_of", [self.report["as_of"]])[0]}
        if url.path == "/api/dcim/sites/":
            wanted = {int(t) for t in query.get("tenant_id", [])}
            rows = [s for s in sites() if s["tenant"] and s["tenant"]["id"] in wanted]
            return 200, self._page(url.path, query, rows)
        if url.path == "/api/plugins/metronet/connections/":
            rows = connections(self.core) if query.get("status") == ["connected"] else []
            return 200, self._page(url.path, query, rows)
        if url.path.startswith("/api/plugins/metronet/fiber-strands/") and url.path.endswith("/trace/"):
            strand = int(url.path.split("/")[-3])
            return (200, trace(strand)) if strand in (7, 8) else (404, {"detail": "Not found."})
        return 404, {"detail": "Not found."}

    def start(self) -> FakeNetBox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
