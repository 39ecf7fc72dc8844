"""The InfluxQL of the dashboards and alert rules, in one place.

Portable InfluxQL only (InfluxDB 1.8, 2.x through DBRP, 3.x): no INTEGRAL, SAMPLE, HOLT_WINTERS, SLIMIT/SOFFSET or
regex field selection; rates are the collector's ``*_bps``/``*_ps`` fields (written only when trustworthy, see
docs/collectors.md) so no query derives them. Template variables are Grafana's: ``$timeFilter``,
``$__interval``, ``$__range_s`` and the dashboard variables, always matched as ``=~ /^$var$/`` (every variable is
multi-value with an "All" of ``.*``, so Grafana regex-escapes the values, e.g. ``Gi1/0/1``).

Measurements written by the coverage exporter (``metronet_collectors.coverage_export``): ``coverage``
(scope all/org_type/town_part), ``coverage_speed``, ``coverage_target``, ``coverage_org``, ``coverage_site``,
``coverage_burndown``, ``link_budget``.
"""

from __future__ import annotations

#: link roles from the inventory: interfaces that carry a service (other ports are usually down on purpose)
SERVICE_ROLES = "/^(access|backbone|uplink)$/"
#: "now" for the status panels: the collector polls every 60 s, so 5 minutes is at least four polls
NOW = "time > now() - 5m"

ORG = '"organization" =~ /^$organization$/'
LINK = '"device" =~ /^$device$/ AND "interface" =~ /^$interface$/'

# --- template variables ------------------------------------------------------------------------------------
VAR_TOWN_PART = 'SHOW TAG VALUES FROM "coverage_org" WITH KEY = "town_part"'
VAR_ORGANIZATION = 'SHOW TAG VALUES FROM "coverage_org" WITH KEY = "organization" WHERE "town_part" =~ /^$town_part$/'
VAR_DEVICE = 'SHOW TAG VALUES FROM "interface" WITH KEY = "device" WHERE "organization" =~ /^$organization$/'
VAR_INTERFACE = 'SHOW TAG VALUES FROM "interface" WITH KEY = "interface" WHERE "device" =~ /^$device$/'

# --- what is down now ----------------------------------------------------------------------------------------
LAST_LINK_STATE = f"""SELECT last("oper_status") AS "oper_status", last("admin_status") AS "admin_status"
    FROM "interface" WHERE {NOW} AND "role" =~ {SERVICE_ROLES} AND {ORG}
    GROUP BY "device", "interface", "organization", "site", "role\""""
LINKS_DOWN_COUNT = f"""SELECT count("oper_status") AS "links_down" FROM ({LAST_LINK_STATE})
    WHERE "oper_status" != 1 AND "admin_status" = 1"""
LINKS_DOWN_TABLE = f"""SELECT "oper_status", "admin_status" FROM ({LAST_LINK_STATE})
    WHERE "oper_status" != 1 AND "admin_status" = 1 GROUP BY "device", "interface", "organization", "site", "role\""""
LAST_REACHABLE = f"""SELECT last("reachable") AS "reachable" FROM "device" WHERE {NOW}
    GROUP BY "device", "site", "role\""""
DEVICES_UNREACHABLE_COUNT = f"""SELECT count("reachable") AS "unreachable" FROM ({LAST_REACHABLE})
    WHERE "reachable" = 0"""
DEVICES_UNREACHABLE_TABLE = f"""SELECT "reachable" FROM ({LAST_REACHABLE}) WHERE "reachable" = 0
    GROUP BY "device", "site", "role\""""
DEVICES_REACHABLE = f"""SELECT sum("reachable") AS "reachable", count("reachable") AS "devices"
    FROM ({LAST_REACHABLE})"""

# --- worst links ------------------------------------------------------------------------------------------
UTILIZATION = f"""SELECT max("in_pct") AS "in_pct", max("out_pct") AS "out_pct" FROM (
    SELECT "in_bps" / "speed_mbps" / 10000 AS "in_pct", "out_bps" / "speed_mbps" / 10000 AS "out_pct"
    FROM "interface" WHERE $timeFilter AND "speed_mbps" > 0 AND {ORG})
    GROUP BY "device", "interface", "organization\""""
ERRORS = f"""SELECT mean("in_errors_ps") AS "in_errors_ps", mean("out_errors_ps") AS "out_errors_ps",
    mean("in_discards_ps") AS "in_discards_ps", mean("out_discards_ps") AS "out_discards_ps"
    FROM "interface" WHERE $timeFilter AND {ORG} GROUP BY "device", "interface", "organization\""""
OPTICS_NOW = f"""SELECT last("rx_dbm") AS "rx_dbm", last("tx_dbm") AS "tx_dbm" FROM "optics"
    WHERE time > now() - 15m AND {ORG} GROUP BY "device", "interface", "organization", "lane\""""
OPTICS_LOSS = f"""SELECT mean("tx_dbm") - mean("rx_dbm") AS "loss_db" FROM "optics"
    WHERE time > now() - 15m AND {ORG} GROUP BY "device", "interface", "organization\""""
BUDGETS = """SELECT last("loss_with_margin_db") AS "budget_db" FROM "link_budget" WHERE $timeFilter
    GROUP BY "device", "interface\""""

# --- one link -----------------------------------------------------------------------------------------------
LINK_TRAFFIC = f"""SELECT mean("in_bps") AS "in_bps", mean("out_bps") AS "out_bps" FROM "interface"
    WHERE {LINK} AND $timeFilter GROUP BY time($__interval), "device", "interface" fill(none)"""
LINK_ERRORS = f"""SELECT mean("in_errors_ps") AS "in_errors_ps", mean("out_errors_ps") AS "out_errors_ps",
    mean("in_discards_ps") AS "in_discards_ps", mean("out_discards_ps") AS "out_discards_ps" FROM "interface"
    WHERE {LINK} AND $timeFilter GROUP BY time($__interval), "device", "interface" fill(none)"""
LINK_STATE = f"""SELECT last("oper_status") AS "oper_status" FROM "interface" WHERE {LINK} AND $timeFilter
    GROUP BY time($__interval), "device", "interface" fill(previous)"""
LINK_P95 = f"""SELECT percentile("in_bps", 95) AS "in_p95", percentile("out_bps", 95) AS "out_p95" FROM "interface"
    WHERE {LINK} AND $timeFilter GROUP BY "device", "interface\""""
LINK_SPEED = f"""SELECT last("speed_mbps") AS "speed_mbps" FROM "interface" WHERE {LINK} AND $timeFilter
    GROUP BY "device", "interface\""""
LINK_OPTICS = f"""SELECT mean("rx_dbm") AS "rx_dbm", mean("tx_dbm") AS "tx_dbm" FROM "optics"
    WHERE {LINK} AND $timeFilter GROUP BY time($__interval), "device", "interface", "lane" fill(none)"""
LINK_BUDGET = f"""SELECT last("loss_db") AS "loss_db", last("loss_with_margin_db") AS "loss_with_margin_db"
    FROM "link_budget" WHERE {LINK} AND $timeFilter GROUP BY "device", "interface", "wavelength_nm\""""
DEVICE_UPTIME = """SELECT last("uptime_s") AS "uptime_s" FROM "device" WHERE "device" =~ /^$device$/ AND $timeFilter
    GROUP BY "device\""""

# --- one organization --------------------------------------------------------------------------------------------
ACCESS = f"""{ORG} AND "role" = 'access'"""
ORG_CONNECTION = f"""SELECT last("state_code") AS "state", last("best_bandwidth_mbps") AS "bandwidth_mbps"
    FROM "coverage_org" WHERE {ORG} AND $timeFilter GROUP BY "organization", "tenant_id\""""
ORG_LINK_NOW = f"""SELECT last("oper_status") AS "oper_status" FROM "interface" WHERE {ACCESS} AND {NOW}
    GROUP BY "organization", "device", "interface\""""
#: share of polls with ifOperStatus up (1): floor(1 / oper_status) is 1 for up and 0 for any other code
ORG_AVAILABILITY = f"""SELECT mean("up") * 100 AS "availability" FROM (
    SELECT floor(1 / "oper_status") AS "up" FROM "interface" WHERE {ACCESS} AND $timeFilter)
    GROUP BY "organization\""""
ORG_TRAFFIC = f"""SELECT sum("in_bps") AS "in_bps", sum("out_bps") AS "out_bps" FROM (
    SELECT mean("in_bps") AS "in_bps", mean("out_bps") AS "out_bps" FROM "interface" WHERE {ACCESS} AND $timeFilter
    GROUP BY time($__interval), "organization", "device", "interface")
    WHERE $timeFilter GROUP BY time($__interval), "organization" fill(none)"""
ORG_VOLUME = f"""SELECT mean("in_bps") / 8 * $__range_s AS "in_bytes", mean("out_bps") / 8 * $__range_s AS "out_bytes"
    FROM "interface" WHERE {ACCESS} AND $timeFilter GROUP BY "organization", "device", "interface\""""

# --- coverage (the numbers of the plugin's coverage page, written by the coverage exporter) -----------------------
COVERAGE_TOTALS = """SELECT last("connected") AS "connected", last("total") AS "total" FROM "coverage"
    WHERE "scope" = 'all' AND $timeFilter"""
COVERAGE_TYPE_HISTORY = """SELECT last("connected") AS "connected" FROM "coverage"
    WHERE "scope" = 'org_type' AND $timeFilter GROUP BY time($__interval), "label" fill(previous)"""
COVERAGE_PART_HISTORY = """SELECT last("connected") AS "connected" FROM "coverage"
    WHERE "scope" = 'town_part' AND "town_part" =~ /^$town_part$/ AND $timeFilter
    GROUP BY time($__interval), "town_part" fill(previous)"""
_COUNTS = """last("total") AS "total", last("connected") AS "connected", last("in_progress") AS "in_progress",
    last("planned") AS "planned", last("not_planned") AS "not_planned\""""
COVERAGE_BY_TYPE = f"""SELECT {_COUNTS} FROM "coverage" WHERE "scope" = 'org_type' AND $timeFilter GROUP BY "label\""""
COVERAGE_BY_PART = f"""SELECT {_COUNTS} FROM "coverage" WHERE "scope" = 'town_part' AND "town_part" =~ /^$town_part$/
    AND $timeFilter GROUP BY "town_part\""""
COVERAGE_SPEED = """SELECT last("connected") AS "connected" FROM "coverage_speed" WHERE "scope" = 'all' AND $timeFilter
    GROUP BY "min_mbps\""""
COVERAGE_TARGETS = """SELECT last("eligible") AS "eligible", last("required") AS "required",
    last("achieved") AS "achieved", last("projected") AS "projected", last("shortfall") AS "shortfall",
    last("status_code") AS "status", last("due_ms") AS "due", last("days_left") AS "days_left"
    FROM "coverage_target" WHERE $timeFilter GROUP BY "target", "target_id\""""
COVERAGE_TARGET_HISTORY = """SELECT last("achieved") AS "achieved", last("required") AS "required"
    FROM "coverage_target" WHERE $timeFilter GROUP BY time($__interval), "target" fill(previous)"""
COVERAGE_BURNDOWN = """SELECT last("connected") AS "connected", last("remaining") AS "remaining",
    last("planned") AS "planned" FROM "coverage_burndown" WHERE $timeFilter GROUP BY time($__interval) fill(none)"""

# --- collector health from the device measurement ------------------------------------------------------------------
POLL_DURATION = """SELECT max("poll_duration_s") AS "poll_duration_s" FROM "device" WHERE $timeFilter
    GROUP BY time($__interval), "device" fill(none)"""
POLLS_PER_INTERVAL = """SELECT count("reachable") AS "polls" FROM "device" WHERE $timeFilter
    GROUP BY time($__interval) fill(0)"""
FAILED_POLLS = """SELECT count("reachable") AS "failed_polls" FROM "device" WHERE $timeFilter AND "reachable" = 0
    GROUP BY "device", "site\""""

# --- map -------------------------------------------------------------------------------------------------------------
SITES = """SELECT last("latitude") AS "latitude", last("longitude") AS "longitude", last("state_code") AS "state"
    FROM "coverage_site" WHERE $timeFilter AND "town_part" =~ /^$town_part$/ GROUP BY "site", "organization\""""
SITE_REACHABLE = f"""SELECT min("reachable") AS "reachable" FROM ({LAST_REACHABLE}) GROUP BY "site\""""
