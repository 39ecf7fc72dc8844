"""Grafana's interpolation of InfluxQL queries, as its InfluxDB datasource does it (for running queries here).

- ``$timeFilter`` → ``time >= <from>ms and time <= <to>ms``; ``$__interval``, ``$__range_s`` → the given values;
- a multi-value / include-all variable → its values regex-escaped (Grafana's escapeRegex, which also escapes
  ``/``), one value as is, several as ``(a|b)``; "All" → the variable's allValue (``.*``);
- ``$name``, ``${name}`` and ``[[name]]`` forms.
"""

from __future__ import annotations

import re
from typing import Any

#: Grafana's built-in variables (dashboard, panel and data-link scopes) that need no definition
BUILTINS = {
    "timeFilter", "__timeFilter", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms",
    "__rate_interval",
    "__url_time_range", "__data", "__field", "__series", "__value", "__from", "__to", "__all", "__dashboard", "__org",
    "__user", "__name", "__auto",
}
VARIABLE = re.compile(r"\$\{([A-Za-z0-9_]+)(?:[.:][^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]")
ALL = "$__all"


def escape_regex(value: str) -> str:
    return re.sub(r"[\\^$*+?.()|{}\[\]/]", lambda m: "\\" + m.group(0), value)


def referenced(text: str) -> set[str]:
    return {next(g for g in m.groups() if g) for m in VARIABLE.finditer(text)}


def interpolate(query: str, values: dict[str, list[str]], variables: dict[str, dict[str, Any]], time_from_ms: int,
                time_to_ms: int, interval: str = "1s") -> str:
    range_s = max(1, (time_to_ms - time_from_ms) // 1000)

    def value_of(name: str) -> str:
        if name in ("timeFilter", "__timeFilter"):
            return f"time >= {time_from_ms}ms and time <= {time_to_ms}ms"
        if name == "__interval":
            return interval
        if name == "__range_s":
            return str(range_s)
        variable = variables[name]
        if variable["type"] == "constant":
            return str(variable["query"])
        chosen = values.get(name, [ALL])
        if chosen == [ALL]:
            return str(variable.get("allValue") or ".*")
        if not (variable.get("multi") or variable.get("includeAll")):
            return chosen[0]
        escaped = [escape_regex(v) for v in chosen]
        return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"

    return VARIABLE.sub(lambda m: value_of(next(g for g in m.groups() if g)), query)
