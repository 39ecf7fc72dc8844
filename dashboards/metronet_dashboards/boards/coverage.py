"""Coverage: connected organizations against the targets over time, per type and town part.

The numbers are the plugin's coverage report (``GET /api/plugins/metronet/coverage/``) as written by the coverage
exporter, so they equal the coverage page at the exporter's last run.
"""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from .. import common, panels
from .. import queries as q
from ..influxql import InfluxQL
from ..settings import Settings

UID = "metronet-coverage"


def build(settings: Settings) -> Dashboard:
    board = (
        common.base(UID, "MetroNet — Coverage", "Rollout coverage and targets (from the plugin's coverage report).",
                    "now-2y", "now+1y")
        .with_variable(common.town_part()).with_variable(common.netbox(settings))
        .link(common.link("Coverage page", "${netbox}/plugins/metronet/coverage/"))
    )
    target_link = common.link("Target in NetBox",
                              "${netbox}/plugins/metronet/coverage-targets/${__data.fields.target_id}/")
    board.with_panel(panels.stat_panel("Connected", "Organizations connected.",
                                       [InfluxQL("A", q.COVERAGE_TOTALS).table()],
                                       w=6).reduce_options(panels.only_field("connected")))
    board.with_panel(panels.stat_panel("Organizations", "All organizations.",
                                       [InfluxQL("A", q.COVERAGE_TOTALS).table()],
                                       w=6).reduce_options(panels.only_field("total")))
    board.with_panel(panels.bar_panel("Connected by speed class", "Organizations connected at ≥ N Mbit/s (the "
                                      "targets' minimum bandwidths).", [InfluxQL("A", q.COVERAGE_SPEED).table()], w=12,
                                      h=4))
    board.with_panel(
        panels.table_panel("Targets", "Each coverage target now: required vs achieved, projected, due date.",
                           [InfluxQL("A", q.COVERAGE_TARGETS).table()], w=24, h=6)
        .mappings(common.value_map(common.TARGET_STATUS))
        .override_by_name("due", [panels.unit_override("dateTimeAsIso")]).data_links([target_link])
    )
    board.with_panel(panels.timeseries_panel("Targets over time", "Achieved vs required per target.",
                                             [InfluxQL("A", q.COVERAGE_TARGET_HISTORY)], unit="short"))
    board.with_panel(panels.timeseries_panel("Burndown", "Connected, remaining and planned (month ends).",
                                             [InfluxQL("A", q.COVERAGE_BURNDOWN)], unit="short"))
    board.with_panel(panels.timeseries_panel("Connected per organization type", "Over time.",
                                             [InfluxQL("A", q.COVERAGE_TYPE_HISTORY)], unit="short"))
    board.with_panel(panels.timeseries_panel("Connected per town part", "Over time.",
                                             [InfluxQL("A", q.COVERAGE_PART_HISTORY)], unit="short"))
    board.with_panel(panels.table_panel("By organization type", "Now.", [InfluxQL("A", q.COVERAGE_BY_TYPE).table()]))
    board.with_panel(panels.table_panel("By town part", "Now.", [InfluxQL("A", q.COVERAGE_BY_PART).table()]))
    return board
