"""Grafana-managed alert rules on InfluxDB: metric thresholds the Prometheus rules (alerts/prometheus) cannot see.

Each rule: InfluxQL queries (refIds A, B, ...) over a relative time range, a ``reduce`` (last) per query named
``R<refId>``, and a ``math`` condition over the reduced values. Labels: ``severity``; annotations: ``summary``,
``description`` (organization and site from the series labels), ``runbook_url`` (a section of docs/runbooks.md),
``netbox_url``, ``dashboard_url`` and Grafana's ``__dashboardUid__``/``__panelId__`` (the panel link in the UI).

Queries whose series carry an ``organization`` label name it; for a device (the ``device`` measurement has no
organization tag) the rule joins the device's interfaces (``interface`` grouped by device, organization, site), so
a reboot raises one alert per organization the device serves, grouped into one notification by device.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from grafana_foundation_sdk.builders import alerting, expr
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import alerting as am
from grafana_foundation_sdk.models import dashboard as dm

from .influxql import InfluxQLQuery
from .settings import EXPRESSION_UID, FOLDER_UID, INFLUXDB_UID, Settings

GROUP = "metronet-influxdb"
GROUP_INTERVAL_S = 60
ORG = "{{ with $labels.organization }}{{ . }}{{ else }}(no organization recorded){{ end }}"
PORT = "{{ $labels.device }} {{ $labels.interface }} at {{ $labels.site }}"


@dataclass(frozen=True)
class Query:
    ref_id: str
    influxql: str
    #: relative time range in seconds before now: (from, to)
    window_s: tuple[int, int]


@dataclass(frozen=True)
class RuleSpec:
    name: str
    severity: str
    summary: str
    description: str
    queries: tuple[Query, ...]
    #: math expression over R<refId> (the last value of each query)
    condition: str
    for_: str
    dashboard_uid: str
    panel_title: str
    netbox_path: str
    extra_labels: dict[str, str] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return "metronet-" + "".join("-" + c.lower() if c.isupper() else c for c in self.name[8:]).lstrip("-")


_PORT_GROUP = 'GROUP BY "device", "interface", "organization", "site", "role"'
_OPTIC_GROUP = 'GROUP BY "device", "interface", "organization", "site", "lane"'
_TARGET = 'FROM "coverage_target" WHERE $timeFilter GROUP BY "target", "target_id", "scope"'

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "MetroNetInterfaceErrors", "warning",
        f"Interface errors on {PORT}",
        f"{PORT} ({{{{ $labels.role }}}}, organization {ORG}) has had {{{{ humanize $values.RA.Value }}}} "
        "errors/s (in + out) on average over 10 minutes.",
        (Query("A", f'SELECT mean("in_errors_ps") + mean("out_errors_ps") AS "errors_ps" FROM "interface" '
                    f'WHERE $timeFilter {_PORT_GROUP}', (600, 0)),),
        "$RA > 1", "5m", "metronet-link", "Errors and discards", "/dcim/interfaces/?device={{ $labels.device }}"
        "&name={{ $labels.interface }}",
    ),
    RuleSpec(
        "MetroNetInterfaceDiscards", "warning",
        f"Interface discards on {PORT}",
        f"{PORT} ({{{{ $labels.role }}}}, organization {ORG}) has discarded {{{{ humanize $values.RA.Value }}}} "
        "packets/s (in + out) on average over 10 minutes: congestion or a QoS/buffer problem.",
        (Query("A", f'SELECT mean("in_discards_ps") + mean("out_discards_ps") AS "discards_ps" FROM "interface" '
                    f'WHERE $timeFilter {_PORT_GROUP}', (600, 0)),),
        "$RA > 10", "5m", "metronet-link", "Errors and discards", "/dcim/interfaces/?device={{ $labels.device }}"
        "&name={{ $labels.interface }}",
    ),
    RuleSpec(
        "MetroNetLinkUtilizationHigh", "warning",
        f"Link utilization high on {PORT}",
        f"{PORT} ({{{{ $labels.role }}}}, organization {ORG}) has run above 80 % of its speed for 15 minutes "
        "(in {{ humanize $values.RA.Value }} %, out {{ humanize $values.RB.Value }} %, 5-minute means).",
        (
            Query("A", 'SELECT mean("in_pct") AS "in_pct" FROM (SELECT "in_bps" / "speed_mbps" / 10000 AS "in_pct" '
                       'FROM "interface" WHERE $timeFilter AND "speed_mbps" > 0) ' + _PORT_GROUP, (300, 0)),
            Query("B", 'SELECT mean("out_pct") AS "out_pct" FROM (SELECT "out_bps" / "speed_mbps" / 10000 AS "out_pct" '
                       'FROM "interface" WHERE $timeFilter AND "speed_mbps" > 0) ' + _PORT_GROUP, (300, 0)),
        ),
        "$RA > 80 || $RB > 80", "15m", "metronet-link", "Traffic",
        "/dcim/interfaces/?device={{ $labels.device }}&name={{ $labels.interface }}",
    ),
    RuleSpec(
        "MetroNetOpticalRxBelowBudget", "critical",
        f"Optical loss above the fiber budget on {PORT}",
        f"{PORT} (organization {ORG}, lane {{{{ $labels.lane }}}}): measured loss "
        "{{ humanize $values.RA.Value }} dB "
        "(tx − rx) exceeds the fiber trace's budget with margin, {{ humanize $values.RB.Value }} dB: receive power is "
        "below what the link was built for (dirty connector, bend, failing optic).",
        (
            Query("A", 'SELECT mean("tx_dbm") - mean("rx_dbm") AS "loss_db" FROM "optics" WHERE $timeFilter '
                       + _OPTIC_GROUP, (900, 0)),
            Query("B", 'SELECT last("loss_with_margin_db") AS "budget_db" FROM "link_budget" WHERE $timeFilter '
                       'GROUP BY "device", "interface"', (172800, 0)),
        ),
        "$RA > $RB", "10m", "metronet-link", "Optical power vs budget",
        "/dcim/interfaces/?device={{ $labels.device }}&name={{ $labels.interface }}",
    ),
    RuleSpec(
        "MetroNetOpticalRxDrift", "warning",
        f"Optical receive power drifting on {PORT}",
        f"{PORT} (organization {ORG}, lane {{{{ $labels.lane }}}}): rx power "
        "{{ humanize $values.RA.Value }} dBm over "
        "the last 15 minutes is more than 3 dB below its level of the previous week "
        "({{ humanize $values.RB.Value }} dBm).",
        (
            Query("A", 'SELECT mean("rx_dbm") AS "rx_dbm" FROM "optics" WHERE $timeFilter ' + _OPTIC_GROUP, (900, 0)),
            Query("B", 'SELECT mean("rx_dbm") AS "rx_dbm" FROM "optics" WHERE $timeFilter ' + _OPTIC_GROUP,
                  (7 * 86400, 86400)),
        ),
        "$RB - $RA > 3", "30m", "metronet-link", "Optical power vs budget",
        "/dcim/interfaces/?device={{ $labels.device }}&name={{ $labels.interface }}",
    ),
    RuleSpec(
        "MetroNetDeviceRebooted", "info",
        "{{ $labels.device }} at {{ $labels.site }} rebooted",
        "{{ $labels.device }} at {{ $labels.site }} (serving {{ $labels.organization }}) restarted: sysUpTime is "
        "{{ humanizeDuration $values.RA.Value }}. Check for a power cut or a crash; the collector skipped one rate "
        "sample.",
        (
            Query("A", 'SELECT last("uptime_s") AS "uptime_s" FROM "device" WHERE $timeFilter GROUP BY "device"',
                  (600, 0)),
            Query("B", 'SELECT count("oper_status") AS "samples" FROM "interface" WHERE $timeFilter '
                       'AND "organization" =~ /.+/ GROUP BY "device", "organization", "site"', (600, 0)),
        ),
        "$RA < 600 && $RB > 0", "0s", "metronet-link", "Device uptime", "/dcim/devices/?name={{ $labels.device }}",
    ),
    RuleSpec(
        "MetroNetCoverageTargetAtRisk", "warning",
        "Coverage target {{ $labels.target }} at risk",
        "Target {{ $labels.target }} (organizations: {{ with $labels.scope }}{{ . }}{{ else }}all{{ end }}; "
        "sites: every site of those organizations) is {{ $values.RA.Value }} organizations short with "
        "{{ $values.RC.Value }} days left, and the last 30 days connected {{ $values.RB.Value }}: at this pace the "
        "due date will be missed. The coverage page lists the missing organizations.",
        (
            Query("A", f'SELECT last("shortfall") AS "shortfall" {_TARGET}', (86400, 0)),
            Query("B", f'SELECT last("achieved") - first("achieved") AS "gained" {_TARGET}', (30 * 86400, 0)),
            Query("C", f'SELECT last("days_left") AS "days_left" {_TARGET}', (86400, 0)),
        ),
        "$RA > 0 && $RC >= 0 && $RA > $RB / 30 * $RC", "0s", "metronet-coverage", "Targets",
        "/plugins/metronet/coverage-targets/{{ $labels.target_id }}/",
    ),
)


def _query_model(q: Query, interval_ms: int = 60_000) -> dict[str, Any]:
    model = InfluxQLQuery(q.ref_id, q.influxql, "time_series", INFLUXDB_UID).to_json()
    model.update({"intervalMs": interval_ms, "maxDataPoints": 43200})
    return model


def _expr_ref() -> dm.DataSourceRef:
    return dm.DataSourceRef(type_val=EXPRESSION_UID, uid=EXPRESSION_UID)


class _Model:
    """A ready JSON query model as the SDK's Dataquery builder."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.model = model

    def build(self) -> Any:
        return self.model


def build_rule(spec: RuleSpec, settings: Settings, panel_ids: dict[tuple[str, str], int]) -> alerting.Rule:
    dashboard_url = f"{settings.grafana_url}/d/{spec.dashboard_uid}"
    rule = (
        alerting.Rule(spec.name).uid(spec.uid).folder_uid(FOLDER_UID).rule_group(GROUP).org_id(1)
        .for_val(spec.for_).no_data_state("OK").exec_err_state("Error").is_paused(False)
        .labels({"severity": spec.severity, **spec.extra_labels})
        .annotations({
            "summary": spec.summary,
            "description": spec.description,
            "runbook_url": f"{settings.runbook_base}#{spec.name.lower()}",
            "netbox_url": settings.netbox_url + spec.netbox_path,
            "dashboard_url": dashboard_url,
            "__dashboardUid__": spec.dashboard_uid,
            "__panelId__": str(panel_ids[(spec.dashboard_uid, spec.panel_title)]),
        })
    )
    for q in spec.queries:
        rule.with_query(
            alerting.Query(q.ref_id).datasource_uid(INFLUXDB_UID).model(_Model(_query_model(q)))  # type: ignore[arg-type]
            .relative_time_range(am.RelativeTimeRange(from_val=q.window_s[0], to=q.window_s[1]))
        )
    for q in spec.queries:
        reduce = (expr.TypeReduce().ref_id(f"R{q.ref_id}").expression(q.ref_id).reducer("last")
                  .settings(expr.ExprTypeReduceSettings().mode("dropNN")).datasource(_expr_ref()))
        rule.with_query(alerting.Query(f"R{q.ref_id}").datasource_uid(EXPRESSION_UID).model(reduce)
                        .relative_time_range(am.RelativeTimeRange(from_val=0, to=0)))
    condition = expr.TypeMath().ref_id("ALERT").expression(spec.condition).datasource(_expr_ref())
    rule.with_query(alerting.Query("ALERT").datasource_uid(EXPRESSION_UID).model(condition)
                    .relative_time_range(am.RelativeTimeRange(from_val=0, to=0)))
    return rule.condition("ALERT")


def rules_api(settings: Settings, panel_ids: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    """The rules as Grafana's provisioning API takes them (``POST /api/v1/provisioning/alert-rules``)."""
    out: list[dict[str, Any]] = json.loads(
        json.dumps([build_rule(s, settings, panel_ids).build() for s in RULES], cls=JSONEncoder)
    )
    return out


def rules_file(settings: Settings, panel_ids: dict[tuple[str, str], int], folder_title: str) -> dict[str, Any]:
    """The same rules as a Grafana file-provisioning document (``provisioning/alerting/*.yaml``)."""
    keep = ("uid", "title", "condition", "data", "noDataState", "execErrState", "for", "annotations", "labels",
            "isPaused")
    rules = [{k: r[k] for k in keep if k in r} for r in rules_api(settings, panel_ids)]
    return {
        "apiVersion": 1,
        "groups": [{"orgId": 1, "name": GROUP, "folder": folder_title, "interval": f"{GROUP_INTERVAL_S}s",
                    "rules": rules}],
    }
