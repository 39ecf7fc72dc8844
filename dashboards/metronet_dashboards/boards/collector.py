"""Collector health: the collector's own metrics (Prometheus) and what it wrote (the device measurement)."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from .. import common, panels
from .. import queries as q
from ..influxql import InfluxQL, PromQL, prometheus_ref
from ..settings import Settings

UID = "metronet-collector"

#: PromQL on the collector's /metrics (docs/collectors.md, "Metrics"); job names matching metronet.*
PROM_DEVICES = 'sum(metronet_devices{job=~"metronet.*"})'
PROM_POLL_P95 = ('histogram_quantile(0.95, sum by (le) (rate(metronet_poll_duration_seconds_bucket'
                 '{job=~"metronet.*"}[5m])))')
PROM_QUEUED = 'sum(metronet_points_queued{job=~"metronet.*"})'
PROM_LAST_WRITE_AGE = 'time() - max(metronet_last_successful_write_timestamp_seconds{job=~"metronet.*"})'
PROM_ERRORS = 'sum by (reason) (rate(metronet_poll_errors_total{job=~"metronet.*"}[5m]))'
PROM_WRITTEN = 'sum(rate(metronet_points_written_total{job=~"metronet.*"}[5m]))'
#: the dropped and overrun counters have labels, so they have no series until the first drop / overrun: fall back
#: to 0 (``or on()`` only when nothing matched) so a healthy collector shows 0, not "No data"
PROM_DROPPED = ('sum by (reason) (increase(metronet_points_dropped_total{job=~"metronet.*"}[1h]))'
                ' or on() label_replace(vector(0), "reason", "none", "", "")')
PROM_OVERRUNS = 'sum(rate(metronet_poll_overruns_total{job=~"metronet.*"}[5m])) or vector(0)'
PROMQL = (PROM_DEVICES, PROM_POLL_P95, PROM_QUEUED, PROM_LAST_WRITE_AGE, PROM_ERRORS, PROM_WRITTEN, PROM_DROPPED,
          PROM_OVERRUNS)


def _prom(panel):  # type: ignore[no-untyped-def]
    return panel.datasource(prometheus_ref())


def build(settings: Settings) -> Dashboard:
    board = common.base(UID, "MetroNet — Collector health",
                        "Polling 84/84 devices, cycle 11 s of 60 s, 0 points queued: the collector's own view.")
    board.with_row(panels.row("From the collector's metrics (Prometheus)"))
    board.with_panel(_prom(panels.stat_panel("Devices polled", "metronet_devices.", [PromQL("A", PROM_DEVICES)])))
    board.with_panel(_prom(panels.stat_panel("Poll duration p95", "Over 5 min.", [PromQL("A", PROM_POLL_P95)],
                                             unit="s")))
    board.with_panel(_prom(panels.stat_panel("Points queued", "Produced, not yet accepted by InfluxDB.",
                                             [PromQL("A", PROM_QUEUED)])
                           .thresholds(common.thresholds((None, "green"), (1000, "orange")))))
    board.with_panel(_prom(panels.stat_panel("Last write", "Seconds since the last accepted batch.",
                                             [PromQL("A", PROM_LAST_WRITE_AGE)], unit="s")
                           .thresholds(common.thresholds((None, "green"), (300, "red")))))
    board.with_panel(_prom(panels.stat_panel("Points written", "Per second.", [PromQL("A", PROM_WRITTEN)],
                                             unit="cps")))
    board.with_panel(_prom(panels.stat_panel("Poll overruns", "Skipped slots per second.",
                                             [PromQL("A", PROM_OVERRUNS)], unit="cps")))
    board.with_panel(_prom(panels.timeseries_panel("Poll errors by reason", "Per second.",
                                                   [PromQL("A", PROM_ERRORS, legend="{{reason}}")], unit="cps")))
    board.with_panel(_prom(panels.timeseries_panel("Points dropped by reason", "Per hour.",
                                                   [PromQL("A", PROM_DROPPED, legend="{{reason}}")], unit="short")))
    board.with_row(panels.row("From what it wrote (InfluxDB device measurement)"))
    board.with_panel(panels.stat_panel("Devices reachable", "Answering / polled, last 5 min.",
                                       [InfluxQL("A", q.DEVICES_REACHABLE).table()], w=6))
    board.with_panel(panels.timeseries_panel("Polls", "Polls written per interval.",
                                             [InfluxQL("A", q.POLLS_PER_INTERVAL)],
                                             unit="short", w=9))
    board.with_panel(panels.timeseries_panel("Poll duration by device", "Max per interval.",
                                             [InfluxQL("A", q.POLL_DURATION)], unit="s", w=9))
    board.with_panel(panels.table_panel("Failed polls by device", "In the period.",
                                        [InfluxQL("A", q.FAILED_POLLS).table()], w=24, h=6)
                     .data_links([common.netbox_device_link()]))
    board.with_variable(common.netbox(settings))
    return board
