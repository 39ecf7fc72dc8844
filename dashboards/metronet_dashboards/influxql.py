"""An InfluxQL query (Grafana's InfluxDB datasource in InfluxQL mode) for grafana-foundation-sdk.

The SDK has no InfluxDB query type, so this is the small ``Dataquery`` variant it allows: the raw-query model
Grafana stores for InfluxQL (``query`` + ``rawQuery: true`` + ``resultFormat``).
"""

from __future__ import annotations

import typing

from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.cog import variants as cogvariants
from grafana_foundation_sdk.models import dashboard

from .settings import INFLUXDB_UID

ResultFormat = typing.Literal["time_series", "table"]


class InfluxQLQuery(cogvariants.Dataquery):
    def __init__(self, ref_id: str, query: str, result_format: ResultFormat, datasource_uid: str) -> None:
        self.ref_id = ref_id
        self.query = query
        self.result_format = result_format
        self.datasource_uid = datasource_uid
        self.hide = False

    def to_json(self) -> dict[str, object]:
        return {
            "refId": self.ref_id,
            "datasource": {"type": "influxdb", "uid": self.datasource_uid},
            "query": self.query,
            "rawQuery": True,
            "resultFormat": self.result_format,
        }


class InfluxQL(cogbuilder.Builder[InfluxQLQuery]):
    """``InfluxQL("A", "SELECT ...")``; ``.table()`` for table results."""

    def __init__(self, ref_id: str, query: str, datasource_uid: str = INFLUXDB_UID) -> None:
        self._internal = InfluxQLQuery(ref_id, " ".join(query.split()), "time_series", datasource_uid)

    def table(self) -> typing.Self:
        self._internal.result_format = "table"
        return self

    def build(self) -> InfluxQLQuery:
        return self._internal


class PromQLQuery(cogvariants.Dataquery):
    def __init__(self, ref_id: str, expr: str, legend: str, instant: bool, datasource_uid: str) -> None:
        self.ref_id, self.expr, self.legend, self.instant, self.datasource_uid = (
            ref_id, expr, legend, instant, datasource_uid
        )

    def to_json(self) -> dict[str, object]:
        return {
            "refId": self.ref_id,
            "datasource": {"type": "prometheus", "uid": self.datasource_uid},
            "expr": self.expr,
            "legendFormat": self.legend,
            "instant": self.instant,
            "range": not self.instant,
        }


class PromQL(cogbuilder.Builder[PromQLQuery]):
    """A Prometheus query (the collector's own metrics)."""

    def __init__(self, ref_id: str, expr: str, legend: str = "__auto", instant: bool = False,
                 datasource_uid: str = "") -> None:
        from .settings import PROMETHEUS_UID

        self._internal = PromQLQuery(ref_id, " ".join(expr.split()), legend, instant, datasource_uid or PROMETHEUS_UID)

    def build(self) -> PromQLQuery:
        return self._internal


def influx_ref(uid: str = INFLUXDB_UID) -> dashboard.DataSourceRef:
    return dashboard.DataSourceRef(type_val="influxdb", uid=uid)


def prometheus_ref() -> dashboard.DataSourceRef:
    from .settings import PROMETHEUS_UID

    return dashboard.DataSourceRef(type_val="prometheus", uid=PROMETHEUS_UID)
