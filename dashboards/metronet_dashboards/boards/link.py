"""Link detail: traffic, errors and discards, oper status, 95th percentile, optical power against the budget."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from .. import common, panels
from .. import queries as q
from ..influxql import InfluxQL
from ..settings import Settings

UID = "metronet-link"


def build(settings: Settings) -> Dashboard:
    board = (
        common.base(UID, "MetroNet — Link detail", "One link (or several): device + interface.", "now-24h")
        .with_variable(common.town_part()).with_variable(common.organization()).with_variable(common.device())
        .with_variable(common.interface()).with_variable(common.netbox(settings))
        .link(common.link("Device in NetBox", "${netbox}/dcim/devices/?q=${device}"))
        .link(common.link("Interface in NetBox", "${netbox}/dcim/interfaces/?q=${interface}"))
    )
    board.with_panel(panels.stat_panel("95th percentile in", "95th percentile of the inbound rate over the period.",
                                       [InfluxQL("A", q.LINK_P95).table()], unit="bps", w=6)
                     .reduce_options(panels.only_field("in_p95")))
    board.with_panel(panels.stat_panel("95th percentile out", "95th percentile of the outbound rate over the period.",
                                       [InfluxQL("A", q.LINK_P95).table()], unit="bps", w=6)
                     .reduce_options(panels.only_field("out_p95")))
    board.with_panel(panels.stat_panel("Speed", "ifHighSpeed.", [InfluxQL("A", q.LINK_SPEED).table()],
                                       unit="Mbits", w=6))
    board.with_panel(panels.stat_panel("Device uptime", "sysUpTime at the last poll.",
                                       [InfluxQL("A", q.DEVICE_UPTIME).table()], unit="s", w=6)
                     .thresholds(common.thresholds((None, "orange"), (3600, "green"))))
    board.with_panel(panels.timeseries_panel("Traffic", "Bits per second (collector rates, no false spikes).",
                                             [InfluxQL("A", q.LINK_TRAFFIC)], unit="bps", w=24))
    board.with_panel(panels.timeseries_panel("Errors and discards", "Per second.", [InfluxQL("A", q.LINK_ERRORS)],
                                             unit="cps", w=12))
    board.with_panel(panels.timeseries_panel(
        "Optical power vs budget",
        "rx/tx power (optics) and the fiber trace's loss budget with margin (link_budget, dB): rx should stay above "
        "tx − budget.",
        [InfluxQL("A", q.LINK_OPTICS), InfluxQL("B", q.LINK_BUDGET)], unit="dBm", w=12,
    ).override_by_query("B", [panels.unit_override("dB")]))
    board.with_panel(panels.state_panel("Oper status", "ifOperStatus at each poll.", [InfluxQL("A", q.LINK_STATE)])
                     .mappings(common.value_map(common.OPER_STATUS)))
    return board

