"""What the generated objects refer to: datasource uids, the folder, NetBox, the runbooks.

The committed files are generated with the defaults; a deployment that needs other values generates its own
(``metronet-grafana generate --netbox-url ...``) or pushes with options.
"""

from __future__ import annotations

from dataclasses import dataclass

INFLUXDB_UID = "metronet-influxdb"
PROMETHEUS_UID = "metronet-prometheus"
FOLDER_UID = "metronet"
FOLDER_TITLE = "MetroNet"
#: Grafana's uid for server-side expressions in alert rules
EXPRESSION_UID = "__expr__"


@dataclass(frozen=True)
class Settings:
    #: base URL of NetBox, used in data links and alert annotations
    netbox_url: str = "http://127.0.0.1:8000"
    #: the runbooks document; a rule's runbook_url is ``<runbook_base>#<alert name lower-cased>``
    runbook_base: str = "https://github.com/metronet-project/metronet/blob/main/docs/runbooks.md"
    #: Grafana's own URL as seen by whoever reads the alerts ("" = relative links)
    grafana_url: str = ""
    influxdb_database: str = "metronet"


DEFAULT = Settings()
