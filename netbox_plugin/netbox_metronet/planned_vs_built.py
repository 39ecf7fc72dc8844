"""Planned vs built: the device-to-device links NetBox documents against the LLDP neighbors the collectors saw.

Planned links are the *interface links* of :func:`topology_loader.load_parts`: connected NetBox cables between
two interfaces, and lit fiber paths (interface ─ patch cord ─ panel ─ strands and splices ─ panel ─ patch cord ─
interface). Each has two sides; a side is a device and an interface::

    planned   sw-core Te1/0/5 ══ fiber ══ sw-zs Te1/1/1
    seen      sw-core Te1/0/5 → "sw-zs" "Te1/1/1"        confirms it (from the sw-core side)
              sw-zs   Te1/1/1 → "sw-core" "Te1/0/6"      contradicts it: the link is *mismatched*

A neighbor row (local device D, local interface I → remote system R, remote port P) *matches* a side when R is
the side's device name and P — or, for devices announcing a MAC or ifIndex as port ID, the remote port
description — is its interface name. Names are compared case-insensitively, R without a domain
(``sw-core.bilina.local``), ports with the usual abbreviations (``TenGigabitEthernet1/0/5`` = ``Te1/0/5``).

Every planned link is exactly one of:

- **confirmed** — a fresh neighbor on one of its interfaces matches the other side, and none contradicts it;
- **mismatched** — a fresh neighbor on one of its interfaces names another device or port, or a fresh neighbor
  between its two devices was seen on other interfaces (patched into the wrong port);
- **missing** — no fresh neighbor on either interface (``no_data`` when neither device has any stored neighbor:
  perhaps its collector does not run).

A fresh neighbor that is neither evidence for nor against a planned link is **unexpected** (a link NetBox does
not document). A neighbor whose ``last_seen`` is older than the maximum age (``PLUGINS_CONFIG
["netbox_metronet"]["lldp_stale_hours"]``, default 24) is **stale** and counts as nothing.

Queries: the 14 of the topology loader and one for the neighbors, whatever the size of the inventory; through
``topology_cache`` (the pages and the REST endpoint) only the version query while neither the inventory nor the
neighbors change and no fresh neighbor turns stale (the comparison is memoized on the cache entry), the version
query and the neighbors otherwise.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from netbox.plugins import get_plugin_config

from .models import LldpNeighbor
from .topology_loader import InterfaceLink, LoadedParts, load_parts

__all__ = ("DEFAULT_STALE_HOURS", "PlannedVsBuilt", "compare", "port_key", "stale_hours", "system_key")

DEFAULT_STALE_HOURS = 24.0
STATUSES = ("confirmed", "mismatched", "missing", "unexpected", "stale")

_ABBREVIATIONS = (  # long interface-name prefixes (lower case) → the short ones, longest first
    ("hundredgigabitethernet", "hu"), ("hundredgige", "hu"), ("fortygigabitethernet", "fo"),
    ("twentyfivegigabitethernet", "twe"), ("twentyfivegige", "twe"), ("tengigabitethernet", "te"),
    ("gigabitethernet", "gi"), ("fastethernet", "fa"), ("ethernet", "eth"), ("port-channel", "po"),
)


def system_key(name: str) -> str:
    """An LLDP system name or a NetBox device name, compared case-insensitively and without a domain."""
    return name.strip().lower().split(".")[0] if name else ""


def port_key(name: str) -> str:
    """An interface name with the usual abbreviations and without spaces, lower case."""
    value = re.sub(r"\s+", "", name or "").lower()
    for long, short in _ABBREVIATIONS:
        if value.startswith(long):
            return short + value[len(long):]
    return value


def stale_hours() -> float:
    """The configured maximum age of a neighbor, in hours."""
    return float(get_plugin_config("netbox_metronet", "lldp_stale_hours", DEFAULT_STALE_HOURS))


@dataclass
class PlannedVsBuilt:
    """The comparison: each list holds plain dicts (see :meth:`to_dict`)."""

    max_age_hours: float
    now: datetime.datetime
    confirmed: list[dict[str, Any]] = field(default_factory=list)
    mismatched: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    #: until when the stale cutoff leaves the answer as it is: the oldest fresh neighbor's ``last_seen`` plus the
    #: maximum age (None without fresh neighbors); not part of :meth:`to_dict`
    fresh_until: datetime.datetime | None = None

    def summary(self) -> dict[str, int]:
        return {status: len(getattr(self, status)) for status in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        return {"max_age_hours": self.max_age_hours, "now": self.now.isoformat(), "summary": self.summary(),
                **{status: getattr(self, status) for status in STATUSES}}

    def csv_rows(self) -> list[list[Any]]:
        """One row per planned link (with the neighbors seen on it) and per unexpected or stale neighbor."""
        rows: list[list[Any]] = [[
            "status", "via", "link", "device_a", "interface_a", "device_b", "interface_b", "seen_device",
            "seen_interface", "seen_remote_system", "seen_remote_port", "seen_last_seen", "note",
        ]]

        def seen_cells(n: dict[str, Any] | None) -> list[Any]:
            if n is None:
                return ["", "", "", "", ""]
            return [n["device"]["name"], n["local_interface"]["name"], n["remote_system"], n["remote_port"],
                    n["last_seen"]]

        for status in ("confirmed", "mismatched", "missing"):
            for item in getattr(self, status):
                p = item["planned"]
                head = [status, p["via"], p["id"], p["a"]["device"]["name"], p["a"]["interface"]["name"],
                        p["b"]["device"]["name"], p["b"]["interface"]["name"]]
                seen = item.get("seen") or [None]
                for n in seen:
                    note = "no LLDP data from either device" if item.get("no_data") else ""
                    rows.append([*head, *seen_cells(n), note])
        for status in ("unexpected", "stale"):
            for n in getattr(self, status):
                rows.append([status, "", "", "", "", "", "", *seen_cells(n), ""])
        return rows


def _neighbor_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "device": {"id": row["device_id"], "name": row["device__name"] or ""},
        "local_interface": {"id": row["local_interface_id"], "name": row["local_interface_name"]},
        "remote_system": row["remote_system"], "remote_port": row["remote_port"],
        "remote_port_description": row["remote_port_description"], "remote_chassis_id": row["remote_chassis_id"],
        "first_seen": row["first_seen"].isoformat(), "last_seen": row["last_seen"].isoformat(),
    }


def compare(neighbors: QuerySet | None = None, *, max_age_hours: float | None = None,
            now: datetime.datetime | None = None, parts: LoadedParts | None = None,
            **querysets: QuerySet) -> PlannedVsBuilt:
    """Compare ``neighbors`` (default: all) with the planned links of ``parts``, or else loaded from
    ``querysets`` (see :func:`topology_loader.load_parts`; pass the user's restricted ones)."""
    if parts is not None and querysets:
        raise TypeError("give parts or querysets, not both")
    max_age = stale_hours() if max_age_hours is None else float(max_age_hours)
    now = now or timezone.now()
    oldest = now - datetime.timedelta(hours=max_age)
    if parts is None:
        parts = load_parts(**querysets)
    names = {dev: name for dev, (name, _site) in parts.devices.items()}
    result = PlannedVsBuilt(max_age_hours=max_age, now=now)

    def side_dict(side: tuple[str, int, str]) -> dict[str, Any]:
        return {"device": {"id": int(side[0]), "name": names.get(side[0], "")},
                "interface": {"id": side[1], "name": side[2]}}

    def planned_dict(link: InterfaceLink) -> dict[str, Any]:
        return {"id": link.id, "via": link.via, "a": side_dict(link.a), "b": side_dict(link.b)}

    # planned sides: (device id, interface key) → (link, the far side)
    at: dict[tuple[str, str], tuple[InterfaceLink, tuple[str, int, str]]] = {}
    between: dict[frozenset[str], list[InterfaceLink]] = {}
    for link in parts.interface_links:
        at[(link.a[0], port_key(link.a[2]))] = (link, link.b)
        at[(link.b[0], port_key(link.b[2]))] = (link, link.a)
        between.setdefault(frozenset((link.a[0], link.b[0])), []).append(link)
    device_by_key: dict[str, str] = {}
    for dev, name in names.items():
        device_by_key.setdefault(system_key(name), dev)

    qs = neighbors if neighbors is not None else LldpNeighbor.objects.all()
    rows = list(qs.order_by("device__name", "local_interface_name", "remote_system", "remote_port").values(
        "id", "device_id", "device__name", "local_interface_id", "local_interface_name", "remote_system",
        "remote_port", "remote_port_description", "remote_chassis_id", "first_seen", "last_seen",
    ))
    reporting = {str(r["device_id"]) for r in rows}
    fresh = [r["last_seen"] for r in rows if r["last_seen"] >= oldest]
    if fresh:
        result.fresh_until = min(fresh) + datetime.timedelta(hours=max_age)
    confirms: dict[str, list[dict[str, Any]]] = {}
    contradicts: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        n = _neighbor_dict(row)
        if row["last_seen"] < oldest:
            result.stale.append(n)
            continue
        dev = str(row["device_id"])
        remote_dev = device_by_key.get(system_key(row["remote_system"]))
        planned = at.get((dev, port_key(row["local_interface_name"])))
        if planned is not None:
            link, far = planned
            ports = {port_key(row["remote_port"]), port_key(row["remote_port_description"])} - {""}
            if remote_dev == far[0] and port_key(far[2]) in ports:
                confirms.setdefault(link.id, []).append(n)
            else:
                contradicts.setdefault(link.id, []).append(n)
            continue
        # Not on a planned interface: between two devices that have a planned link, it is that link on
        # other ports; otherwise nobody planned it.
        candidates = [link for link in between.get(frozenset((dev, remote_dev or "")), ()) if remote_dev != dev]
        if candidates:  # prefer the planned link on the remote port the neighbor names
            ports = {port_key(row["remote_port"]), port_key(row["remote_port_description"])} - {""}
            link = next((c for c in candidates
                         if port_key((c.a if c.a[0] == remote_dev else c.b)[2]) in ports), candidates[0])
            contradicts.setdefault(link.id, []).append(n)
            continue
        result.unexpected.append(n)

    for link in sorted(parts.interface_links, key=lambda x: (names.get(x.a[0], ""), x.a[2], x.id)):
        item: dict[str, Any] = {"planned": planned_dict(link)}
        if link.id in contradicts:
            item["seen"] = contradicts[link.id] + confirms.get(link.id, [])
            result.mismatched.append(item)
        elif link.id in confirms:
            item["seen"] = confirms[link.id]
            result.confirmed.append(item)
        else:
            item["seen"] = []
            item["no_data"] = link.a[0] not in reporting and link.b[0] not in reporting
            result.missing.append(item)
    return result
