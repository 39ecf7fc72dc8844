"""One organization: its connection, the access link now, availability and traffic over the period."""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Dashboard

from .. import common, panels
from .. import queries as q
from ..influxql import InfluxQL
from ..settings import Settings

UID = "metronet-organization"


def build(settings: Settings) -> Dashboard:
    board = (
        common.base(UID, "MetroNet — Organization",
                    "An organization's connection (from the plugin's coverage report), its access link and traffic.",
                    "now-30d")
        .with_variable(common.town_part()).with_variable(common.organization()).with_variable(common.netbox(settings))
        .link(common.link("Organization in NetBox", "${netbox}/tenancy/tenants/?q=${organization}"))
        .link(common.link("Coverage page", "${netbox}/plugins/metronet/coverage/"))
    )
    tenant_link = common.link("Organization in NetBox", "${netbox}/tenancy/tenants/${__data.fields.tenant_id}/")
    board.with_panel(
        panels.stat_panel("Connection", "Coverage state of the organization (connected, in progress, planned).",
                          [InfluxQL("A", q.ORG_CONNECTION).table()], w=6)
        .reduce_options(panels.only_field("state")).mappings(common.value_map(common.ORG_STATE))
        .data_links([tenant_link])
    )
    board.with_panel(
        panels.stat_panel("Contracted bandwidth", "Best bandwidth of a connected connection.",
                          [InfluxQL("A", q.ORG_CONNECTION).table()], unit="Mbits", w=6)
        .reduce_options(panels.only_field("bandwidth_mbps"))
    )
    board.with_panel(
        panels.stat_panel("Access link now", "ifOperStatus of the access interface(s), last 5 min.",
                          [InfluxQL("A", q.ORG_LINK_NOW).table()], w=6, calc="min")
        .mappings(common.value_map(common.OPER_STATUS)).data_links([common.link_detail_link()])
    )
    board.with_panel(
        panels.stat_panel(
            "Availability", "Share of polls in the period with the access link up (a device that is not polled at "
            "all counts neither way).", [InfluxQL("A", q.ORG_AVAILABILITY).table()], unit="percent", w=6, calc="min",
        ).decimals(3).thresholds(common.thresholds((None, "red"), (99, "orange"), (99.9, "green")))
    )
    board.with_panel(panels.timeseries_panel(
        "Traffic", "Sum over the organization's access interfaces; in = from the organization into the network.",
        [InfluxQL("A", q.ORG_TRAFFIC)], unit="bps", w=16,
    ))
    board.with_panel(
        panels.table_panel("Traffic volume over the period", "Mean rate × length of the period, per access port.",
                           [InfluxQL("A", q.ORG_VOLUME).table()], unit="decbytes", w=8)
        .data_links([common.link_detail_link()])
    )
    return board
