"""A simulator of the Grafana 11 HTTP API endpoints ``metronet-grafana push`` uses — NOT a Grafana.

Real HTTP on loopback; state in memory. It validates payloads the way Grafana's handlers do for these calls:
Bearer token (401), uid format (≤ 40 of ``[a-zA-Z0-9_-]``, 400), datasource name/uid conflicts (409), folder uid
conflicts (409), dashboard title required (400), dashboard ``folderUid`` must exist (400 "folder not found"),
dashboard version check without ``overwrite`` (412 "version-mismatch"), an ``id`` for an unknown dashboard (404);
alert rules: folder must exist, title, ruleGroup, condition must name one of the queries' refIds, every query's
``datasourceUid`` must be an existing datasource or ``__expr__``, noDataState/execErrState enums, ``for`` a
duration (400); rule group interval a positive multiple of 10 s. Beyond Grafana (which does not check
dashboards' datasource references on save) it also rejects a panel or target datasource uid that does not exist
(``strict_dashboards``), so a dangling reference fails the test.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UID = re.compile(r"^[a-zA-Z0-9_-]{1,40}$")
DURATION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$|^0$")


class GrafanaSim:
    def __init__(self, token: str, strict_dashboards: bool = True) -> None:
        self.token = token
        self.strict = strict_dashboards
        self.datasources: dict[str, dict[str, Any]] = {}
        self.folders: dict[str, dict[str, Any]] = {}
        self.dashboards: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, dict[str, Any]] = {}
        self.groups: dict[tuple[str, str], int] = {}
        self.calls: list[tuple[str, str, int]] = []
        self._next_id = 1
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.headers.get("Authorization") != f"Bearer {sim.token}":
                    status, body = 401, {"message": "Unauthorized"}
                else:
                    try:
                        payload = json.loads(raw) if raw else None
                    except ValueError:
                        payload = "<bad json>"
                    status, body = sim.route(method, self.path.split("?")[0], payload)
                sim.calls.append((method, self.path, status))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._handle("PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> GrafanaSim:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    # --- routing ------------------------------------------------------------------------------------------------
    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if body == "<bad json>":
            return 400, {"message": "bad request data"}
        parts = [p for p in path.split("/") if p][1:]  # drop "api"
        match method, parts:
            case "GET", ["datasources", "uid", uid]:
                found = self.datasources.get(uid)
                return (200, found) if found else (404, {"message": "Data source not found"})
            case "POST", ["datasources"]:
                return self.create_datasource(body)
            case "PUT", ["datasources", "uid", uid]:
                return self.update_datasource(uid, body)
            case "GET", ["folders", uid]:
                return (200, self.folders[uid]) if uid in self.folders else (404, {"message": "folder not found"})
            case "POST", ["folders"]:
                return self.create_folder(body)
            case "PUT", ["folders", uid]:
                return self.update_folder(uid, body)
            case "GET", ["dashboards", "uid", uid]:
                if uid not in self.dashboards:
                    return 404, {"message": "Dashboard not found"}
                entry = self.dashboards[uid]
                return 200, {"dashboard": entry["dashboard"], "meta": {"folderUid": entry["folderUid"]}}
            case "POST", ["dashboards", "db"]:
                return self.save_dashboard(body)
            case "GET", ["v1", "provisioning", "alert-rules", uid]:
                return (200, self.rules[uid]) if uid in self.rules else (404, {"message": "rule not found"})
            case "POST", ["v1", "provisioning", "alert-rules"]:
                return self.save_rule(None, body)
            case "PUT", ["v1", "provisioning", "alert-rules", uid]:
                return self.save_rule(uid, body)
            case "GET", ["v1", "provisioning", "folder", folder, "rule-groups", group]:
                return self.get_group(folder, group)
            case "PUT", ["v1", "provisioning", "folder", folder, "rule-groups", group]:
                return self.put_group(folder, group, body)
        return 404, {"message": "Not found"}

    # --- datasources --------------------------------------------------------------------------------------------
    def create_datasource(self, body: dict[str, Any]) -> tuple[int, Any]:
        if not body.get("name") or not body.get("type"):
            return 400, {"message": "Required: name, type"}
        uid = body.get("uid", "")
        if not UID.match(uid):
            return 400, {"message": "invalid uid"}
        if uid in self.datasources or any(d["name"] == body["name"] for d in self.datasources.values()):
            return 409, {"message": "data source with the same name or uid already exists"}
        self.datasources[uid] = {**body, "id": self._id(), "version": 1}
        return 200, {"datasource": self.datasources[uid], "id": self.datasources[uid]["id"],
                     "message": "Datasource added"}

    def update_datasource(self, uid: str, body: dict[str, Any]) -> tuple[int, Any]:
        current = self.datasources.get(uid)
        if current is None:
            return 404, {"message": "Data source not found"}
        if body.get("uid", uid) != uid or not body.get("name") or not body.get("type"):
            return 400, {"message": "invalid update"}
        if body.get("version") is not None and body["version"] != current["version"]:
            return 409, {"message": "Datasource has already been updated by someone else"}
        self.datasources[uid] = {**body, "id": current["id"], "version": current["version"] + 1}
        return 200, {"datasource": self.datasources[uid], "message": "Datasource updated"}

    # --- folders ----------------------------------------------------------------------------------------------
    def create_folder(self, body: dict[str, Any]) -> tuple[int, Any]:
        uid, title = body.get("uid", ""), body.get("title", "")
        if not title:
            return 400, {"message": "folder title cannot be empty"}
        if not UID.match(uid):
            return 400, {"message": "uid contains illegal characters"}
        if uid in self.folders:
            return 409, {"message": "a folder with the same uid already exists"}
        self.folders[uid] = {"uid": uid, "title": title, "id": self._id(), "version": 1}
        return 200, self.folders[uid]

    def update_folder(self, uid: str, body: dict[str, Any]) -> tuple[int, Any]:
        folder = self.folders.get(uid)
        if folder is None:
            return 404, {"message": "folder not found"}
        if not body.get("overwrite") and body.get("version") != folder["version"]:
            return 412, {"message": "the folder has been changed by someone else", "status": "version-mismatch"}
        folder.update(title=body.get("title", folder["title"]), version=folder["version"] + 1)
        return 200, folder

    # --- dashboards -----------------------------------------------------------------------------------------------
    def _dangling(self, board: dict[str, Any]) -> list[str]:
        refs = []
        for panel in board.get("panels", []):
            for p in [panel, *panel.get("panels", [])]:
                refs += [p.get("datasource")] + [t.get("datasource") for t in p.get("targets", [])]
        refs += [v.get("datasource") for v in board.get("templating", {}).get("list", [])]
        return [r["uid"] for r in refs if isinstance(r, dict) and r.get("uid") not in self.datasources]

    def save_dashboard(self, body: dict[str, Any]) -> tuple[int, Any]:
        board = dict(body.get("dashboard") or {})
        if not board.get("title"):
            return 400, {"message": "Dashboard title cannot be empty"}
        uid = board.get("uid") or ""
        if not UID.match(uid):
            return 400, {"message": "uid contains illegal characters or is too long"}
        folder = body.get("folderUid") or ""
        if folder and folder not in self.folders:
            return 400, {"message": "folder not found"}
        if self.strict and (dangling := self._dangling(board)):
            return 400, {"message": f"datasource not found: {sorted(set(dangling))}"}
        existing = self.dashboards.get(uid)
        if existing is None and board.get("id"):
            return 404, {"message": "Dashboard not found"}
        stale = existing is not None and board.get("version") != existing["dashboard"]["version"]
        if stale and not body.get("overwrite"):
            return 412, {"message": "The dashboard has been changed by someone else", "status": "version-mismatch"}
        version = 1 if existing is None else existing["dashboard"]["version"] + 1
        board.update(id=existing["dashboard"]["id"] if existing else self._id(), version=version)
        self.dashboards[uid] = {"dashboard": board, "folderUid": folder}
        return 200, {"id": board["id"], "uid": uid, "url": f"/d/{uid}", "status": "success", "version": version,
                     "slug": uid}

    # --- alert rules --------------------------------------------------------------------------------------------
    def _rule_errors(self, rule: dict[str, Any]) -> list[str]:
        errors = []
        if rule.get("folderUID") not in self.folders:
            errors.append("folder does not exist")
        if not rule.get("title") or not rule.get("ruleGroup"):
            errors.append("title and ruleGroup are required")
        if not UID.match(rule.get("uid") or ""):
            errors.append("invalid uid")
        refs = [q.get("refId") for q in rule.get("data", [])]
        if rule.get("condition") not in refs:
            errors.append(f"condition {rule.get('condition')} does not exist, must be one of {refs}")
        for query in rule.get("data", []):
            ds = query.get("datasourceUid")
            if ds != "__expr__" and ds not in self.datasources:
                errors.append(f"failed to build query '{query.get('refId')}': data source not found: {ds}")
            if "relativeTimeRange" not in query:
                errors.append("relativeTimeRange is required")
        if rule.get("noDataState") not in ("Alerting", "NoData", "OK"):
            errors.append("invalid noDataState")
        if rule.get("execErrState") not in ("Alerting", "Error", "OK"):
            errors.append("invalid execErrState")
        if not DURATION.match(str(rule.get("for", ""))):
            errors.append("invalid for")
        return errors

    def save_rule(self, uid: str | None, body: dict[str, Any]) -> tuple[int, Any]:
        rule = dict(body)
        if uid is not None:
            if uid not in self.rules:
                return 404, {"message": "rule not found"}
            rule["uid"] = uid
        elif rule.get("uid") in self.rules:
            return 409, {"message": "rule with this uid already exists"}
        if errors := self._rule_errors(rule):
            return 400, {"message": "invalid alert rule: " + "; ".join(errors)}
        rule["id"] = self.rules[uid]["id"] if uid is not None else self._id()
        rule["provenance"] = "api"
        self.rules[rule["uid"]] = rule
        self.groups.setdefault((rule["folderUID"], rule["ruleGroup"]), 60)
        return (200 if uid is not None else 201), rule

    def get_group(self, folder: str, group: str) -> tuple[int, Any]:
        if (folder, group) not in self.groups:
            return 404, {"message": "rule group not found"}
        rules = [r for r in self.rules.values() if r["folderUID"] == folder and r["ruleGroup"] == group]
        return 200, {"title": group, "folderUid": folder, "interval": self.groups[(folder, group)], "rules": rules}

    def put_group(self, folder: str, group: str, body: dict[str, Any]) -> tuple[int, Any]:
        interval = body.get("interval")
        if not isinstance(interval, int) or interval <= 0 or interval % 10:
            return 400, {"message": "interval must be a positive multiple of 10 s"}
        if folder not in self.folders:
            return 404, {"message": "folder not found"}
        self.groups[(folder, group)] = interval
        return 200, body
