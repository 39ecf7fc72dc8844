"""Building blocks shared by the dashboards: template variables, value mappings, links, panel helpers."""

from __future__ import annotations

import typing

from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.models import dashboard as dm

from . import queries as q
from .influxql import influx_ref
from .settings import Settings

#: IF-MIB ifOperStatus codes
OPER_STATUS = {
    "1": ("up", "green"), "2": ("down", "red"), "3": ("testing", "blue"), "4": ("unknown", "gray"),
    "5": ("dormant", "yellow"), "6": ("notPresent", "gray"), "7": ("lowerLayerDown", "orange"),
}
#: coverage_org / coverage_site state_code (netbox_metronet.coverage.OrgState)
ORG_STATE = {"0": ("not planned", "gray"), "1": ("planned", "blue"), "2": ("in progress", "yellow"),
             "3": ("connected", "green")}
#: coverage_target status_code (netbox_metronet.coverage.TargetStatus)
TARGET_STATUS = {"0": ("met", "green"), "1": ("on track", "blue"), "2": ("behind", "orange"), "3": ("missed", "red")}
REACHABLE = {"0": ("unreachable", "red"), "1": ("reachable", "green")}


def value_map(codes: dict[str, tuple[str, str]]) -> list[dm.ValueMapping]:
    options = {code: dm.ValueMappingResult(text=text, color=color, index=i)
               for i, (code, (text, color)) in enumerate(codes.items())}
    return [dm.ValueMap(options=options)]


def thresholds(*steps: tuple[float | None, str]) -> db.ThresholdsConfig:
    return db.ThresholdsConfig().mode(dm.ThresholdsMode.ABSOLUTE).steps(
        [dm.Threshold(value=value, color=color) for value, color in steps]
    )


def _variable(name: str, label: str, query: str) -> db.QueryVariable:
    return (
        db.QueryVariable(name).label(label).query(query).datasource(influx_ref())
        .multi(True).include_all(True).all_value(".*")
        .refresh(dm.VariableRefresh.ON_TIME_RANGE_CHANGED).sort(dm.VariableSort.ALPHABETICAL_CASE_INSENSITIVE_ASC)
        .current(dm.VariableOption(selected=True, text="All", value="$__all"))
    )


def town_part() -> db.QueryVariable:
    return _variable("town_part", "Town part", q.VAR_TOWN_PART)


def organization() -> db.QueryVariable:
    return _variable("organization", "Organization", q.VAR_ORGANIZATION)


def device() -> db.QueryVariable:
    return _variable("device", "Device", q.VAR_DEVICE)


def interface() -> db.QueryVariable:
    return _variable("interface", "Interface", q.VAR_INTERFACE)


def netbox(settings: Settings) -> db.ConstantVariable:
    """``$netbox``: NetBox's base URL for data links (a constant: hidden, set at generation)."""
    return db.ConstantVariable("netbox").value(settings.netbox_url)


def link(title: str, url: str) -> db.DashboardLink:
    return db.DashboardLink(title).type(dm.DashboardLinkType.LINK).url(url).target_blank(True)


def dashboard_links() -> list[cogbuilder.Builder[dm.DashboardLink]]:
    """Links to the other MetroNet dashboards (by tag), keeping the time range and variables."""
    return [
        db.DashboardLink("MetroNet").type(dm.DashboardLinkType.DASHBOARDS).tags(["metronet"]).as_dropdown(True)
        .include_vars(True).keep_time(True)
    ]


def netbox_device_link() -> db.DashboardLink:
    return link("Device in NetBox", "${netbox}/dcim/devices/?q=${__data.fields.device}")


def link_detail_link() -> db.DashboardLink:
    return db.DashboardLink("Link detail").type(dm.DashboardLinkType.LINK).url(
        "/d/metronet-link?var-device=${__data.fields.device}&var-interface=${__data.fields.interface}&${__url_time_range}"
    )


def base(uid: str, title: str, description: str, time_from: str = "now-6h", time_to: str = "now") -> db.Dashboard:
    return (
        db.Dashboard(title).uid(uid).description(description).tags(["metronet"]).timezone("browser")
        .time(time_from, time_to).refresh("1m").editable().tooltip(dm.DashboardCursorSync.CROSSHAIR)
        .links(typing.cast(list[cogbuilder.Builder[dm.DashboardLink]], dashboard_links()))
    )
