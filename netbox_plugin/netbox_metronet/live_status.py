"""Live status of devices and interfaces: the latest ``oper_status`` the collectors wrote to InfluxDB.

Configuration, ``PLUGINS_CONFIG["netbox_metronet"]["influxdb"]``::

    {"url": "http://127.0.0.1:8086", "database": "metronet", "timeout": 2.0,
     "max_age_s": 600, "username": "", "password": ""}

One HTTP request to InfluxDB 1.x's ``/query`` (InfluxQL, two statements; InfluxDB 2.x/3.x answer it through
their v1 compatibility API) reads, for every series of the schema in ``docs/collectors.md``::

    SELECT last("oper_status") FROM "interface" WHERE time > now() - <max_age>s GROUP BY "device", "interface"
    SELECT last("reachable")   FROM "device"    WHERE time > now() - <max_age>s GROUP BY "device"

``oper_status`` is IF-MIB's code (1 up, 2 down, others: testing, dormant, ...). The answer is cached for
``CACHE_SECONDS`` in Django's cache, failures included, so a dead InfluxDB costs at most one short timeout
per half minute. Nothing here raises: without a URL the status is ``not_configured``; a refused connection,
a timeout, an HTTP error or an InfluxQL error give ``unavailable`` with a note; every device and interface is
then ``unknown``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _
from netbox.plugins import get_plugin_config

__all__ = ("CACHE_SECONDS", "LiveStatus", "get_live_status", "influxdb_settings", "query_live_status")

CACHE_SECONDS = 30
DEFAULTS: dict[str, Any] = {"url": "", "database": "metronet", "timeout": 2.0, "max_age_s": 600,
                            "username": "", "password": ""}

UP, DOWN, UNKNOWN = "up", "down", "unknown"


@dataclass(frozen=True)
class LiveStatus:
    """What InfluxDB said. ``state``: ``ok``, ``not_configured`` or ``unavailable``; ``note`` says why."""

    state: str
    note: str = ""
    #: (device, interface) → latest oper_status code
    interfaces: dict[tuple[str, str], int] = field(default_factory=dict)
    #: device → latest ``reachable`` (1 or 0)
    devices: dict[str, int] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.state == "ok"

    def interface_status(self, device: str, interface: str) -> str:
        code = self.interfaces.get((device, interface))
        return UNKNOWN if code is None else UP if code == 1 else DOWN

    def device_status(self, device: str) -> str:
        """``down`` when the last poll failed, ``up`` when it succeeded; without a ``device`` point, from the
        interfaces: ``up`` when any is up, ``down`` when all reported are down, else ``unknown``."""
        reachable = self.devices.get(device)
        if reachable is not None:
            return UP if reachable else DOWN
        codes = [c for (d, _i), c in self.interfaces.items() if d == device]
        if not codes:
            return UNKNOWN
        return UP if 1 in codes else DOWN

    def link_status(self, ends: list[tuple[str, str]]) -> str:
        """A link between interfaces: ``down`` when an end is down, ``up`` when an end is up, else unknown."""
        states = {self.interface_status(d, i) for d, i in ends}
        if DOWN in states:
            return DOWN
        return UP if UP in states else UNKNOWN


def influxdb_settings() -> dict[str, Any]:
    """``PLUGINS_CONFIG["netbox_metronet"]["influxdb"]`` with the defaults filled in."""
    configured = get_plugin_config("netbox_metronet", "influxdb", None) or {}
    return {**DEFAULTS, **configured}


def _series_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for serie in result.get("series", []):
        for values in serie.get("values", []):
            row = dict(zip(serie["columns"], values, strict=False))
            row.update(serie.get("tags") or {})
            rows.append(row)
    return rows


def query_live_status(settings: dict[str, Any]) -> LiveStatus:
    """Ask InfluxDB now (no cache)."""
    url = (settings.get("url") or "").rstrip("/")
    if not url:
        return LiveStatus("not_configured", _("Live status is not configured (PLUGINS_CONFIG influxdb url)."))
    age = int(settings.get("max_age_s") or DEFAULTS["max_age_s"])
    query = (
        f'SELECT last("oper_status") AS "oper_status" FROM "interface" WHERE time > now() - {age}s '
        'GROUP BY "device", "interface"; '
        f'SELECT last("reachable") AS "reachable" FROM "device" WHERE time > now() - {age}s GROUP BY "device"'
    )
    params = urllib.parse.urlencode({"db": settings.get("database") or DEFAULTS["database"], "q": query})
    request = urllib.request.Request(f"{url}/query?{params}", headers={"Accept": "application/json"})
    if settings.get("username"):
        token = base64.b64encode(f"{settings['username']}:{settings.get('password', '')}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=float(settings.get("timeout") or DEFAULTS["timeout"])) as resp:
            body = json.load(resp)
    except urllib.error.HTTPError as e:
        return LiveStatus("unavailable", _("InfluxDB answered HTTP {code}.").format(code=e.code))
    except (OSError, ValueError) as e:  # refused, timeout, DNS, not JSON
        reason = getattr(e, "reason", None) or e
        return LiveStatus("unavailable", _("InfluxDB is unreachable: {reason}").format(reason=reason))
    results = body.get("results") if isinstance(body, dict) else None
    errors = [r["error"] for r in results or () if isinstance(r, dict) and r.get("error")]
    errors.sort(key=lambda e: e == "not executed")  # InfluxDB marks the statements after a failed one so
    if isinstance(body, dict) and body.get("error"):
        errors.insert(0, body["error"])
    if errors:
        return LiveStatus("unavailable", _("InfluxDB query failed: {error}").format(error=errors[0]))
    if not isinstance(results, list) or len(results) != 2:
        return LiveStatus("unavailable", _("Unexpected answer from InfluxDB."))
    interfaces = {
        (r["device"], r["interface"]): int(r["oper_status"])
        for r in _series_rows(results[0]) if r.get("device") and r.get("interface") and r.get("oper_status") is not None
    }
    devices = {r["device"]: int(r["reachable"]) for r in _series_rows(results[1])
               if r.get("device") and r.get("reachable") is not None}
    note = "" if interfaces or devices else _("No status in InfluxDB for the last {age} s.").format(age=age)
    return LiveStatus("ok", note, interfaces, devices)


def get_live_status() -> LiveStatus:
    """The live status, cached for ``CACHE_SECONDS`` per configuration (failures too)."""
    settings = influxdb_settings()
    if not settings.get("url"):
        return query_live_status(settings)
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:16]
    key = f"netbox_metronet:live_status:{digest}"
    status = cache.get(key)
    if status is None:
        status = query_live_status(settings)
        cache.set(key, status, CACHE_SECONDS)
    return status
