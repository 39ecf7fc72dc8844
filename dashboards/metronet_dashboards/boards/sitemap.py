"""Geomap of the organizations' sites: position from NetBox, coloured by coverage state and reachability."""

from __future__ import annotations

from grafana_foundation_sdk.builders import geomap
from grafana_foundation_sdk.builders.dashboard import Dashboard
from grafana_foundation_sdk.models import common as cm
from grafana_foundation_sdk.models import geomap as gm

from .. import common, panels
from .. import queries as q
from ..influxql import InfluxQL, influx_ref
from ..settings import Settings

UID = "metronet-map"


def build(settings: Settings) -> Dashboard:
    board = common.base(UID, "MetroNet — Map", "Sites with their coverage state and whether their devices answer.",
                        "now-24h").with_variable(common.town_part()).with_variable(common.netbox(settings))
    layer = cm.MapLayerOptions(
        type_val="markers", name="Sites",
        location=cm.FrameGeometrySource(mode=cm.FrameGeometrySourceMode.COORDS, latitude="latitude",
                                        longitude="longitude"),
        config={
            "style": {
                "color": {"field": "state", "fixed": "dark-green"}, "size": {"fixed": 8},
                "text": {"field": "site", "mode": "field"},
                "textConfig": {"fontSize": 10, "offsetY": -12},
            },
            "showLegend": True,
        },
        tooltip=True,
    )
    panel = (
        geomap.Panel().title("Sites").description(
            "Colour = coverage state (coverage_site); tooltip: reachability of the site's devices (last 5 min)."
        ).datasource(influx_ref()).span(24).height(18)
        .with_target(InfluxQL("A", q.SITES).table()).with_target(InfluxQL("B", q.SITE_REACHABLE).table())
        .transformations([panels.transform("joinByField", byField="site", mode="outer")])
        .view(geomap.MapViewConfig().id("coords").lat(50).lon(13).zoom(13))
        .basemap(_basemap()).layers([_Layer(layer)]).tooltip(geomap.TooltipOptions().mode(gm.TooltipMode.DETAILS))
        .mappings(common.value_map(common.ORG_STATE)).unit("none")
        .data_links([common.link("Site in NetBox", "${netbox}/dcim/sites/?q=${__data.fields.site}")])
    )
    board.with_panel(panel)
    board.with_panel(panels.table_panel("Sites", "The same data as a table.",
                                        [InfluxQL("A", q.SITES).table(), InfluxQL("B", q.SITE_REACHABLE).table()],
                                        w=24, h=8)
                     .transformations([panels.transform("joinByField", byField="site", mode="outer")])
                     .override_by_name("state", [panels.unit_override("none")]))
    return board


class _Layer:
    """A ready MapLayerOptions as a builder (the SDK's layer builders cover only its own layer types)."""

    def __init__(self, layer: cm.MapLayerOptions) -> None:
        self.layer = layer

    def build(self) -> cm.MapLayerOptions:
        return self.layer


def _basemap() -> _Layer:
    return _Layer(cm.MapLayerOptions(type_val="osm-standard", name="OpenStreetMap"))
