"""NOC overview: what is down now, the worst links by utilization and errors, optical margins."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from .. import common, panels
from .. import queries as q
from ..influxql import InfluxQL
from ..settings import Settings

UID = "metronet-noc"


def build(settings: Settings) -> Dashboard:
    links = [common.link_detail_link(), common.netbox_device_link()]
    board = common.base(
        UID, "MetroNet — NOC overview",
        "What is down now, the worst links over the period and optical margins. Links: row → link detail, NetBox.",
    ).with_variable(common.town_part()).with_variable(common.organization()).with_variable(common.netbox(settings))
    board.with_row(panels.row("Now"))
    board.with_panel(
        panels.stat_panel("Links down", "Service links (access, backbone, uplink), admin up, oper not up, last 5 min.",
                          [InfluxQL("A", q.LINKS_DOWN_COUNT).table()]).no_value("0")
        .thresholds(common.thresholds((None, "green"), (1, "red")))
    )
    board.with_panel(
        panels.stat_panel("Devices unreachable", "Devices whose last poll (last 5 min) failed.",
                          [InfluxQL("A", q.DEVICES_UNREACHABLE_COUNT).table()]).no_value("0")
        .thresholds(common.thresholds((None, "green"), (1, "red")))
    )
    board.with_panel(
        panels.stat_panel("Devices reachable", "Devices answering / devices polled in the last 5 min.",
                          [InfluxQL("A", q.DEVICES_REACHABLE).table()], w=4)
    )
    board.with_panel(
        panels.table_panel("Links down now", "Service links down, with the organization they serve.",
                           [InfluxQL("A", q.LINKS_DOWN_TABLE).table()], w=12, h=4)
        .mappings(common.value_map(common.OPER_STATUS)).data_links(links)
    )
    board.with_panel(
        panels.table_panel("Unreachable devices", "Devices whose last poll failed.",
                           [InfluxQL("A", q.DEVICES_UNREACHABLE_TABLE).table()], w=24, h=5)
        .mappings(common.value_map(common.REACHABLE)).data_links([common.netbox_device_link()])
    )
    board.with_row(panels.row("Worst links over the period"))
    board.with_panel(
        panels.table_panel("Worst links by utilization", "Peak utilization (in, out) of ifHighSpeed; top 10.",
                           [InfluxQL("A", q.UTILIZATION).table()], unit="percent")
        .transformations([
            panels.transform("calculateField", mode="reduceRow", alias="peak_pct",
                             reduce={"reducer": "max", "include": ["in_pct", "out_pct"]}),
            *panels.top("peak_pct"),
        ]).thresholds(common.thresholds((None, "green"), (70, "yellow"), (85, "red"))).data_links(links)
    )
    board.with_panel(
        panels.table_panel("Worst links by errors and discards", "Mean per second over the period; top 10.",
                           [InfluxQL("A", q.ERRORS).table()], unit="cps")
        .transformations([
            panels.transform("calculateField", mode="reduceRow", alias="total_ps",
                             reduce={"reducer": "sum", "include": ["in_errors_ps", "out_errors_ps", "in_discards_ps",
                                                                   "out_discards_ps"]}),
            *panels.top("total_ps"),
        ]).data_links(links)
    )
    board.with_row(panels.row("Optics"))
    board.with_panel(
        panels.table_panel(
            "Optical margins",
            "Measured loss (tx − rx at the same port, equal transmitters assumed) against the fiber trace's budget "
            "with margin from NetBox (link_budget); margin_db < 0: the link is below its budget.",
            [InfluxQL("A", q.OPTICS_LOSS).table(), InfluxQL("B", q.BUDGETS).table()], unit="dB", w=12,
        ).transformations([
            panels.transform("merge"),
            panels.transform("calculateField", mode="binary", alias="margin_db",
                             binary={"left": "budget_db", "operator": "-", "right": "loss_db"}),
            panels.sort_ascending("margin_db"),
        ]).thresholds(common.thresholds((None, "red"), (0, "yellow"), (1, "green"))).data_links(links)
    )
    board.with_panel(
        panels.table_panel("Optical levels now", "Last rx/tx power per port and lane (optics measurement).",
                           [InfluxQL("A", q.OPTICS_NOW).table()], unit="dBm", w=12).data_links(links)
    )
    return board

