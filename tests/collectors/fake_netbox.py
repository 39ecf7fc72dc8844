"""A small NetBox REST API double on 127.0.0.1 for the collector's NetBox device source.

It speaks real HTTP (pynetbox talks to it through requests) and mimics what the source relies on: token
authentication (``Authorization: Token …`` / ``Bearer …``), list views with ``limit``/``offset`` paging,
``count``/``next``/``previous`` and a ``MAX_PAGE_SIZE`` cap, the filters the source uses (evaluated, so the
answer depends on them) and nested objects shaped as NetBox 4.x serializes them. Unknown filters are
answered with HTTP 400 so a misspelt filter fails a test instead of being silently ignored. Every request
is recorded in ``requests``.

It also takes the collector's LLDP report (``POST /api/plugins/metronet/lldp-neighbors/report/``) and
validates it against the contract (see :func:`validate_lldp_report`): 403 without a valid token, 400 with
field errors, else 200 ``{"created", "updated", "deleted"}`` computed against the device's last snapshot,
which it replaces (``lldp_snapshots``). ``lldp_fail_next`` answers the next N reports with HTTP 503.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Record = dict[str, Any]
LLDP_REPORT_PATH = "/api/plugins/metronet/lldp-neighbors/report/"
LLDP_NEIGHBOR_FIELDS = {
    "local_interface": True,  # name → required
    "remote_system": True,
    "remote_port": True,
    "remote_port_description": False,
    "remote_chassis_id": False,
}


def validate_lldp_report(body: Any, known_devices: set[str]) -> dict[str, list[str]]:
    """Field errors of an LLDP report, shaped as Django REST framework's 400 answer ({} when valid)."""
    if not isinstance(body, dict):
        return {"non_field_errors": ["Expected a JSON object."]}
    errors: dict[str, list[str]] = {}
    for key in sorted(set(body) - {"device", "observed_at", "neighbors"}):
        errors[key] = ["Unknown field."]
    name = body.get("device")
    if not isinstance(name, str) or not name:
        errors["device"] = ["This field is required."]
    elif name not in known_devices:
        errors["device"] = [f"No device named {name!r}."]
    observed = body.get("observed_at")
    try:
        if not isinstance(observed, str):
            raise ValueError
        parsed = datetime.fromisoformat(observed.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError
    except ValueError:
        errors["observed_at"] = ["Expected an ISO 8601 date-time with a time zone."]
    neighbors = body.get("neighbors")
    if not isinstance(neighbors, list):
        errors["neighbors"] = ["Expected a list."]
        return errors
    for i, item in enumerate(neighbors):
        if not isinstance(item, dict):
            errors[f"neighbors[{i}]"] = ["Expected an object."]
            continue
        for key in sorted(set(item) - set(LLDP_NEIGHBOR_FIELDS)):
            errors[f"neighbors[{i}].{key}"] = ["Unknown field."]
        for key, required in LLDP_NEIGHBOR_FIELDS.items():
            value = item.get(key)
            if value is None and not required:
                continue
            if not isinstance(value, str) or (required and not value and key != "remote_system"):
                errors[f"neighbors[{i}].{key}"] = ["This field is required (a string)."]
    return errors


def device(
    id: int,
    name: str,
    *,
    ip: str | None = "10.0.0.1/24",
    status: str = "active",
    poll: bool | None = True,
    credential: str | None = "v2",
    port: int | None = None,
    napalm: str | None = None,
    site: str = "Bílina radnice",
    role: str = "access-switch",
    tenant: str | None = "Město Bílina – Městský úřad",
) -> Record:
    return {
        "id": id,
        "url": f"/api/dcim/devices/{id}/",
        "display": name,
        "name": name,
        "status": {"value": status, "label": status.title()},
        "site": {"id": 100 + id, "name": site, "slug": site.lower().replace(" ", "-")},
        "role": {"id": 7, "name": role.replace("-", " ").title(), "slug": role},
        "tenant": {"id": 200 + id, "name": tenant, "slug": "t"} if tenant else None,
        "primary_ip": {"id": 300 + id, "family": {"value": 4}, "address": ip} if ip else None,
        "custom_fields": {
            "metronet_poll": poll,
            "metronet_snmp_credential": credential,
            "metronet_snmp_port": port,
            "metronet_napalm_driver": napalm,
        },
    }


def interface(id: int, dev: Record, name: str, role: str | None = None) -> Record:
    return {
        "id": id,
        "url": f"/api/dcim/interfaces/{id}/",
        "display": name,
        "device": {"id": dev["id"], "name": dev["name"], "display": dev["name"]},
        "name": name,
        # NetBox 4.x serializes a selection custom field as {"value", "label"} (None when empty).
        "custom_fields": {"metronet_link_role": {"value": role, "label": role.title()} if role else None},
    }


def nested_interface(itf: Record) -> Record:
    return {k: itf[k] for k in ("id", "url", "display", "device", "name")}


def connection(id: int, tenant: str, status: str, interfaces: list[Record]) -> Record:
    return {
        "id": id,
        "url": f"/api/plugins/metronet/connections/{id}/",
        "tenant": {"id": 900 + id, "name": tenant, "slug": f"t{id}"},
        "site": {"id": 800 + id, "name": f"site {id}"},
        "status": {"value": status, "label": status.title()},
        "access_interfaces": [nested_interface(i) for i in interfaces],
    }


def _truthy(value: str) -> bool:
    return value.lower() in ("true", "1", "yes")


def _cf(record: Record, name: str) -> Any:
    return (record.get("custom_fields") or {}).get(name)


Filter = Callable[[Record, list[str]], bool]

FILTERS: dict[str, dict[str, Filter]] = {
    "/api/dcim/devices/": {
        "status": lambda r, v: r["status"]["value"] in v,
        "has_primary_ip": lambda r, v: (r["primary_ip"] is not None) == _truthy(v[0]),
        "cf_metronet_poll": lambda r, v: _cf(r, "metronet_poll") is _truthy(v[0]),
    },
    "/api/dcim/interfaces/": {
        "device_id": lambda r, v: str(r["device"]["id"]) in v,
        "cf_metronet_link_role": lambda r, v: (_cf(r, "metronet_link_role") or {}).get("value") in v,
    },
    "/api/plugins/metronet/connections/": {
        "status": lambda r, v: r["status"]["value"] in v,
    },
}


class FakeNetBox:
    def __init__(self, token: str = "0123456789abcdef0123456789abcdef01234567", max_page_size: int = 1000) -> None:
        self.token = token
        self.max_page_size = max_page_size
        self.data: dict[str, list[Record]] = {path: [] for path in FILTERS}
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0
        self.lldp_snapshots: dict[str, list[Record]] = {}  # device → neighbors of its last accepted report
        self.lldp_reports: list[Any] = []  # every report body received (valid or not)
        self.lldp_fail_next = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, devices: list[Record], interfaces: list[Record], connections: list[Record]) -> None:
        with self.lock:
            self.data = {
                "/api/dcim/devices/": devices,
                "/api/dcim/interfaces/": interfaces,
                "/api/plugins/metronet/connections/": connections,
            }

    def requests_to(self, path: str) -> list[dict[str, list[str]]]:
        return [query for p, query in self.requests if p == path]

    def start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("API-Version", "4.7")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                parsed = urllib.parse.urlsplit(self.path)
                owner.requests.append((parsed.path, {}))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.headers.get("Authorization") not in (f"Token {owner.token}", f"Bearer {owner.token}"):
                    self._send(403, {"detail": "You do not have permission to perform this action."})
                    return
                if parsed.path != LLDP_REPORT_PATH:
                    self._send(404, {"detail": "Not found."})
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._send(400, {"detail": "JSON parse error"})
                    return
                with owner.lock:
                    owner.lldp_reports.append(body)
                    if owner.lldp_fail_next > 0:
                        owner.lldp_fail_next -= 1
                        self._send(503, {"detail": "Service unavailable"})
                        return
                    known = {d["name"] for d in owner.data.get("/api/dcim/devices/", [])}
                    errors = validate_lldp_report(body, known)
                    if errors:
                        self._send(400, errors)
                        return

                    def key(n: Record) -> tuple[str, str, str]:
                        return (n["local_interface"], n["remote_system"], n["remote_port"])

                    old = {key(n): n for n in owner.lldp_snapshots.get(body["device"], [])}
                    new = {key(n): n for n in body["neighbors"]}
                    counts = {
                        "created": len(new.keys() - old.keys()),
                        "updated": sum(1 for k in new.keys() & old.keys() if new[k] != old[k]),
                        "deleted": len(old.keys() - new.keys()),
                    }
                    owner.lldp_snapshots[body["device"]] = list(body["neighbors"])
                self._send(200, counts)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                owner.requests.append((parsed.path, query))
                if self.headers.get("Authorization") not in (f"Token {owner.token}", f"Bearer {owner.token}"):
                    self._send(403, {"detail": "Invalid token"})
                    return
                if parsed.path == "/api/":
                    self._send(200, {"dcim": f"{owner.url}/api/dcim/"})
                    return
                filters = FILTERS.get(parsed.path)
                if filters is None:
                    self._send(404, {"detail": "Not found."})
                    return
                unknown = set(query) - set(filters) - {"limit", "offset", "brief"}
                if unknown:
                    self._send(400, {name: ["Unknown filter"] for name in sorted(unknown)})
                    return
                with owner.lock:
                    records = [
                        r
                        for r in owner.data[parsed.path]
                        if all(f(r, query[k]) for k, f in filters.items() if k in query)
                    ]
                limit = min(int(query.get("limit", ["50"])[0]) or owner.max_page_size, owner.max_page_size)
                offset = int(query.get("offset", ["0"])[0])
                page = records[offset : offset + limit]

                def link(start: int) -> str:
                    q = {k: v for k, v in query.items() if k not in ("limit", "offset")}
                    q.update(limit=[str(limit)], offset=[str(start)])
                    return f"{owner.url}{parsed.path}?{urllib.parse.urlencode(q, doseq=True)}"

                self._send(
                    200,
                    {
                        "count": len(records),
                        "next": link(offset + limit) if offset + limit < len(records) else None,
                        "previous": link(max(0, offset - limit)) if offset > 0 else None,
                        "results": page,
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Shut the server down and close its socket: NetBox becomes unreachable (connection refused)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
