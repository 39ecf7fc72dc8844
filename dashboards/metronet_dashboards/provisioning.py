"""Grafana provisioning documents: datasources, the dashboard provider.

The datasource URLs are Grafana's ``$VARIABLE`` references in the files (Grafana expands environment variables in
provisioning files); ``push`` fills them in from its options instead.
"""

from __future__ import annotations

from typing import Any

from .settings import FOLDER_TITLE, FOLDER_UID, INFLUXDB_UID, PROMETHEUS_UID, Settings


def datasources(settings: Settings, influxdb_url: str = "$METRONET_INFLUXDB_URL",
                prometheus_url: str = "$METRONET_PROMETHEUS_URL") -> list[dict[str, Any]]:
    """The two datasources: InfluxDB in InfluxQL mode (1.8, 2.x with a DBRP mapping, 3.x) and Prometheus."""
    return [
        {
            "name": "MetroNet InfluxDB",
            "type": "influxdb",
            "uid": INFLUXDB_UID,
            "access": "proxy",
            "url": influxdb_url,
            "jsonData": {"version": "InfluxQL", "dbName": settings.influxdb_database, "httpMode": "POST",
                         "timeInterval": "60s"},
            "editable": False,
        },
        {
            "name": "MetroNet Prometheus",
            "type": "prometheus",
            "uid": PROMETHEUS_UID,
            "access": "proxy",
            "url": prometheus_url,
            "jsonData": {"httpMethod": "POST", "timeInterval": "30s"},
            "editable": False,
        },
    ]


def datasources_file(settings: Settings) -> dict[str, Any]:
    sources = datasources(settings)
    for source in sources:
        source["orgId"] = 1
    # credentials, when the servers need them, go into secureJsonData from the environment as well
    sources[0]["user"] = "$METRONET_INFLUXDB_USER"
    sources[0]["secureJsonData"] = {"password": "$METRONET_INFLUXDB_PASSWORD"}
    return {"apiVersion": 1, "datasources": sources}


def dashboards_file() -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "providers": [{
            "name": "metronet",
            "orgId": 1,
            "folder": FOLDER_TITLE,
            "folderUid": FOLDER_UID,
            "type": "file",
            "disableDeletion": True,
            "allowUiUpdates": False,
            "updateIntervalSeconds": 60,
            # the directory where the deployment copies dashboards/generated/*.json
            "options": {"path": "$METRONET_DASHBOARDS_DIR", "foldersFromFilesStructure": False},
        }],
    }
