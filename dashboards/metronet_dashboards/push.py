"""Push datasources, the folder, dashboards and alert rules to a Grafana over its HTTP API (grafana-client).

Idempotent: each object is looked up by uid and updated when it exists, created otherwise, so a second run
changes nothing but versions. Order matters and is Grafana's: datasources (rules reference their uids), the
folder (dashboards and rules live in it), dashboards (rules link to their panels), then the rules and their
group's evaluation interval.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError

from . import alert_rules, provisioning
from .generate import Bundle
from .settings import FOLDER_TITLE, FOLDER_UID, Settings

log = logging.getLogger(__name__)


@dataclass
class PushReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def add(self, created: bool, what: str) -> None:
        (self.created if created else self.updated).append(what)


def _exists(call: Any, *args: Any) -> dict[str, Any] | None:
    try:
        result: dict[str, Any] = call(*args)
        return result
    except GrafanaClientError as exc:
        if exc.status_code == 404:
            return None
        raise


def push(api: GrafanaApi, bundle: Bundle, settings: Settings, influxdb_url: str, prometheus_url: str,
         influxdb_user: str = "", influxdb_password: str = "") -> PushReport:
    report = PushReport()
    for source in provisioning.datasources(settings, influxdb_url, prometheus_url):
        if source["type"] == "influxdb" and influxdb_user:
            source["user"] = influxdb_user
            source["secureJsonData"] = {"password": influxdb_password}
        current = _exists(api.datasource.get_datasource_by_uid, source["uid"])
        if current is None:
            api.datasource.create_datasource(source)
        else:
            api.datasource.update_datasource_by_uid(source["uid"], {**source, "version": current.get("version")})
        report.add(current is None, f"datasource {source['uid']}")

    folder = _exists(api.folder.get_folder, FOLDER_UID)
    if folder is None:
        api.folder.create_folder(FOLDER_TITLE, uid=FOLDER_UID)
    elif folder.get("title") != FOLDER_TITLE:
        api.folder.update_folder(FOLDER_UID, title=FOLDER_TITLE, version=folder.get("version"), overwrite=True)
    report.add(folder is None, f"folder {FOLDER_UID}")

    for board in bundle.dashboards:
        existing = _exists(api.dashboard.get_dashboard, board["uid"])
        api.dashboard.update_dashboard({
            "dashboard": {**board, "id": None, "version": None}, "folderUid": FOLDER_UID, "overwrite": True,
            "message": "metronet-grafana push",
        })
        report.add(existing is None, f"dashboard {board['uid']}")

    for rule in bundle.rules:
        existing = _exists(api.alertingprovisioning.get_alertrule, rule["uid"])
        if existing is None:
            api.alertingprovisioning.create_alertrule(rule)
        else:
            api.alertingprovisioning.update_alertrule(rule["uid"], rule)
        report.add(existing is None, f"alert rule {rule['uid']}")
    group = api.alertingprovisioning.get_rule_group(FOLDER_UID, alert_rules.GROUP)
    if group.get("interval") != alert_rules.GROUP_INTERVAL_S:
        group["interval"] = alert_rules.GROUP_INTERVAL_S
        api.alertingprovisioning.update_rule_group(FOLDER_UID, alert_rules.GROUP, group)
    log.info("pushed: %d created, %d updated", len(report.created), len(report.updated))
    return report
