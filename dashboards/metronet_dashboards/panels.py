"""Panel shorthands over grafana-foundation-sdk builders (one place for sizes, legends and reducers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from grafana_foundation_sdk.builders import bargauge, stat, statetimeline, table, timeseries
from grafana_foundation_sdk.builders import common as cb
from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.cog import variants as cogvariants
from grafana_foundation_sdk.models import common as cm
from grafana_foundation_sdk.models import dashboard as dm

from .influxql import influx_ref

Targets = Sequence[cogbuilder.Builder[cogvariants.Dataquery]]


def transform(id_: str, **options: Any) -> dm.DataTransformerConfig:
    return dm.DataTransformerConfig(id_val=id_, options=options)


def top(sort_field: str, limit: int = 10) -> list[dm.DataTransformerConfig]:
    """Sort a table by ``sort_field`` (descending) and keep the first ``limit`` rows."""
    return [
        transform("sortBy", sort=[{"field": sort_field, "desc": True}]),
        transform("limit", limitField=limit),
    ]


def _common(panel: Any, title: str, description: str, targets: Targets, unit: str, w: int, h: int) -> Any:
    panel.title(title).description(description).datasource(influx_ref()).span(w).height(h).unit(unit)
    for target in targets:
        panel.with_target(target)
    return panel


def stat_panel(title: str, description: str, targets: Targets, unit: str = "short", w: int = 4, h: int = 4,
               calc: str = "lastNotNull") -> stat.Panel:
    panel: stat.Panel = _common(stat.Panel(), title, description, targets, unit, w, h)
    return (
        panel.reduce_options(cb.ReduceDataOptions().calcs([calc]).values(False))
        .graph_mode(cm.BigValueGraphMode.NONE).color_mode(cm.BigValueColorMode.BACKGROUND)
    )


def timeseries_panel(title: str, description: str, targets: Targets, unit: str, w: int = 12, h: int = 8,
                     calcs: Sequence[str] = ("mean", "max", "lastNotNull")) -> timeseries.Panel:
    panel: timeseries.Panel = _common(timeseries.Panel(), title, description, targets, unit, w, h)
    return panel.legend(
        cb.VizLegendOptions().display_mode(cm.LegendDisplayMode.TABLE).placement(cm.LegendPlacement.BOTTOM)
        .show_legend(True).calcs(list(calcs))
    ).line_width(1).fill_opacity(10).span_nulls(False)


def table_panel(title: str, description: str, targets: Targets, unit: str = "short", w: int = 12,
                h: int = 8) -> table.Panel:
    panel: table.Panel = _common(table.Panel(), title, description, targets, unit, w, h)
    return panel.filterable(True)


def state_panel(title: str, description: str, targets: Targets, w: int = 24, h: int = 6) -> statetimeline.Panel:
    panel: statetimeline.Panel = _common(statetimeline.Panel(), title, description, targets, "none", w, h)
    return panel.show_value(cm.VisibilityMode.NEVER).merge_values(True)


def bar_panel(title: str, description: str, targets: Targets, unit: str = "short", w: int = 12,
              h: int = 6) -> bargauge.Panel:
    panel: bargauge.Panel = _common(bargauge.Panel(), title, description, targets, unit, w, h)
    return panel.reduce_options(cb.ReduceDataOptions().calcs(["lastNotNull"]).values(False)).orientation(
        cm.VizOrientation.HORIZONTAL
    )


def row(title: str) -> db.Row:
    return db.Row(title)


def only_field(name: str, calc: str = "lastNotNull") -> cb.ReduceDataOptions:
    """Reduce options showing one field of a multi-field result."""
    return cb.ReduceDataOptions().calcs([calc]).values(False).fields(f"/^{name}$/")


def unit_override(unit: str) -> dm.DynamicConfigValue:
    return dm.DynamicConfigValue(id_val="unit", value=unit)


def sort_ascending(field: str) -> dm.DataTransformerConfig:
    return transform("sortBy", sort=[{"field": field, "desc": False}])
