"""The network file's structure, checked before anything touches the database.

Every problem is reported with its place in the file (``sites[3].latitude: ...``, indexes from 0), all of
them at once, so a hand-edited file can be fixed in one go. Whether referenced objects exist and whether the
values pass NetBox's own validation is checked later, while loading (see ``loader.run``).
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

__all__ = ("FORMAT", "SCHEMA", "SECTIONS", "expand_names", "parse_numbers", "validate")

FORMAT = "metronet-network/1"


@dataclass(frozen=True)
class F:
    """One field: its kind, whether it is required, and the fields of a nested mapping (``map``/``maps``)."""

    kind: str
    required: bool = False
    sub: dict[str, "F"] = field(default_factory=dict)


def req(kind: str, sub: dict[str, F] | None = None) -> F:
    return F(kind, True, sub or {})


def opt(kind: str, sub: dict[str, F] | None = None) -> F:
    return F(kind, False, sub or {})


S, T = opt("str"), opt("text")
NAMED = {"name": req("str"), "slug": req("str"), "description": S}
PORT_END = {"device": req("str"), "interface": S, "front_port": S, "rear_port": S}

#: Top-level sections in load order, each a list of mappings with these fields.
SECTIONS: dict[str, dict[str, F]] = {
    "regions": {**NAMED, "parent": S},
    "tenant_groups": {**NAMED, "parent": S},
    "organizations": {
        **NAMED, "group": S, "comments": T, "org_type": req("str"), "town_relation": S, "company_id": S,
        "town_part": S,
        "contact": opt("map", {"name": req("str"), "title": S, "phone": S, "email": S, "address": S, "link": S,
                               "description": S}),
    },
    "sites": {
        **NAMED, "status": S, "region": S, "tenant": S, "facility": S, "physical_address": S,
        "shipping_address": S, "latitude": opt("number"), "longitude": opt("number"), "comments": T,
    },
    "manufacturers": NAMED,
    "device_roles": {**NAMED, "color": S},
    "device_types": {
        "manufacturer": req("str"), "model": req("str"), "slug": req("str"), "part_number": S,
        "u_height": opt("number"), "is_full_depth": opt("bool"), "description": S, "comments": T,
        "interfaces": opt("maps", {"name": req("str"), "type": req("str"), "mgmt_only": opt("bool"),
                                   "description": S}),
        "rear_ports": opt("maps", {"name": req("str"), "type": req("str"), "positions": opt("int"),
                                   "description": S}),
        "front_ports": opt("maps", {"name": req("str"), "type": req("str"), "rear_port": req("str"),
                                    "rear_port_position": opt("int"), "description": S}),
    },
    "devices": {
        "name": req("str"), "device_type": req("str"), "role": req("str"), "site": req("str"), "tenant": S,
        "status": S, "serial": S, "asset_tag": S, "description": S, "comments": T,
        "interfaces": opt("maps", {"name": req("str"), "type": S, "description": S, "enabled": opt("bool"),
                                   "mgmt_only": opt("bool")}),
    },
    "cables": {
        "a": req("map", PORT_END), "b": req("map", PORT_END), "type": S, "status": S, "label": S, "color": S,
        "length": opt("number"), "length_unit": S, "description": S,
    },
    "route_segments": {
        "name": req("str"), "kind": req("str"), "status": S, "asset_owner": S, "length_m": opt("number"),
        "geometry": req("any"), "description": S, "comments": T,
    },
    "splice_closures": {
        "name": req("str"), "kind": S, "status": S, "site": S, "latitude": req("number"),
        "longitude": req("number"), "description": S, "comments": T,
    },
    "fiber_cables": {
        "name": req("str"), "status": S, "fiber_type": S, "strand_count": req("int"), "length_m": opt("number"),
        "a_site": S, "a_closure": S, "b_site": S, "b_closure": S, "segments": opt("names"),
        "strands": opt("strand_status"), "description": S, "comments": T,
    },
    "splices": {"closure": req("str"), "a_cable": req("str"), "b_cable": req("str"), "pairs": req("pairs")},
    "strand_terminations": {
        "cable": req("str"), "device": req("str"), "strands": req("numbers"), "rear_ports": opt("names"),
        "front_ports": opt("names"), "cable_end": S,
    },
    "connections": {
        "tenant": req("str"), "site": req("str"), "status": S, "planned_date": opt("date"),
        "construction_start": opt("date"), "connected_date": opt("date"), "bandwidth_mbps": opt("int"),
        "access_interfaces": opt("maps", {"device": req("str"), "interface": req("str")}),
        "strand": opt("map", {"cable": req("str"), "number": req("int")}), "description": S, "comments": T,
    },
    "coverage_targets": {
        "name": req("str"), "share_percent": req("number"), "min_bandwidth_mbps": req("int"), "due_date": req("date"),
        "org_types": opt("names"), "town_relations": opt("names"), "description": S, "comments": T,
    },
}
SCHEMA: dict[str, F] = {"format": req("str"), "meta": opt("any"), **{k: opt("maps", v) for k, v in SECTIONS.items()}}

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")
_PATTERN = re.compile(r"^(.*?)\[([^\[\]]+)\](.*)$")


def parse_numbers(value: Any) -> list[int]:
    """Strand numbers from ``5``, ``"1-24"``, ``"1,3,5-8"`` or a list of those, in the given order.

    >>> parse_numbers([1, "3-5"])
    [1, 3, 4, 5]
    """
    if isinstance(value, bool):
        raise ValueError(_("expected strand numbers, got a boolean"))
    if isinstance(value, int):
        if value < 1:
            raise ValueError(_("numbers start at 1, got {value}").format(value=value))
        return [value]
    if isinstance(value, list):
        return [n for item in value for n in parse_numbers(item)]
    if isinstance(value, str):
        numbers: list[int] = []
        for part in value.split(","):
            match = _RANGE.match(part)
            if not match:
                raise ValueError(_("{value!r} is not a number or a range like '1-24'").format(value=value))
            first, last = int(match[1]), int(match[2] or match[1])
            if first < 1 or last < first:
                raise ValueError(_("range {range!r} must go up from 1").format(range=part.strip()))
            numbers.extend(range(first, last + 1))
        return numbers
    raise ValueError(_("expected strand numbers (5, '1-24' or a list), got {type}").format(type=_type(value)))


def expand_names(value: Any) -> list[str]:
    """Names from ``"R[1-24]"`` (one bracketed range of numbers per group, groups multiply) or a list of names.

    >>> expand_names("Gi1/0/[1-3]")
    ['Gi1/0/1', 'Gi1/0/2', 'Gi1/0/3']
    """
    if isinstance(value, list):
        return [name for item in value for name in expand_names(item)]
    if not isinstance(value, str) or not value:
        raise ValueError(_("expected a name or a pattern like 'R[1-24]', got {value!r}").format(value=value))
    match = _PATTERN.match(value)
    if not match:
        return [value]
    head, numbers, tail = match[1], parse_numbers(match[2]), expand_names(match[3]) if match[3] else [""]
    return [f"{head}{n}{rest}" for n in numbers for rest in tail]


def _check(value: Any, spec: F, path: str, errors: list[tuple[str, str]]) -> None:
    kind = spec.kind
    if kind == "any":
        return
    if kind in ("str", "text"):
        if not isinstance(value, str):
            hint = _(" (quote it: an IČO and other digit strings must be strings)") if isinstance(value, int) else ""
            errors.append((path, _("expected a string, got {type}").format(type=_type(value)) + hint))
    elif kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append((path, _("expected an integer, got {type}").format(type=_type(value))))
    elif kind == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            errors.append((path, _("expected a number, got {type}").format(type=_type(value))))
    elif kind == "bool":
        if not isinstance(value, bool):
            errors.append((path, _("expected true or false, got {type}").format(type=_type(value))))
    elif kind == "date":
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                errors.append((path, _("expected a date YYYY-MM-DD, got {value!r}").format(value=value)))
        elif not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            errors.append((path, _("expected a date YYYY-MM-DD, got {value!r}").format(value=_type(value))))
    elif kind == "numbers":
        try:
            parse_numbers(value)
        except ValueError as e:
            errors.append((path, str(e)))
    elif kind == "names":
        try:
            expand_names(value)
        except ValueError as e:
            errors.append((path, str(e)))
    elif kind == "strand_status":
        if not isinstance(value, dict):
            errors.append((path, _("expected a mapping of status to strand numbers, got {type}").format(
                type=_type(value))))
            return
        for status, numbers in value.items():
            _check(numbers, F("numbers"), f"{path}.{status}", errors)
    elif kind == "pairs":
        if not isinstance(value, list) or not value:
            errors.append((path, _("expected a list of [strand A, strand B] or [strand A, strand B, loss dB]")))
            return
        for i, pair in enumerate(value):
            ok = (isinstance(pair, list) and len(pair) in (2, 3)
                  and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in pair[:2])
                  and (len(pair) == 2 or (isinstance(pair[2], int | float) and not isinstance(pair[2], bool))))
            if not ok:
                errors.append((f"{path}[{i}]", _("expected [strand A, strand B] or [strand A, strand B, loss dB], "
                                                 "got {value!r}").format(value=pair)))
    elif kind == "map":
        _check_mapping(value, spec.sub, path, errors)
    elif kind == "maps":
        if not isinstance(value, list):
            errors.append((path, _("expected a list, got {type}").format(type=_type(value))))
            return
        for i, item in enumerate(value):
            _check_mapping(item, spec.sub, f"{path}[{i}]", errors)
    else:  # pragma: no cover - a schema bug
        raise AssertionError(f"unknown field kind {kind}")


def _check_mapping(value: Any, fields: dict[str, F], path: str, errors: list[tuple[str, str]]) -> None:
    if not isinstance(value, dict):
        errors.append((path, _("expected a mapping, got {type}").format(type=_type(value))))
        return
    for key in value:
        if key not in fields:
            errors.append((_join(path, str(key)), _("unknown key (expected one of: {keys})").format(
                keys=", ".join(fields))))
    for key, spec in fields.items():
        if key not in value or value[key] is None:
            if spec.required:
                errors.append((_join(path, key), pgettext_lazy("metronet", "required")))
            continue
        _check(value[key], spec, _join(path, key), errors)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def validate(data: Any) -> list[tuple[str, str]]:
    """All structural problems of a loaded file as ``(path, message)``, empty when it is well-formed."""
    errors: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return [("", _("the file must hold a mapping of sections, got {type}").format(type=_type(data)))]
    _check_mapping(data, SCHEMA, "", errors)
    if isinstance(data.get("format"), str) and data["format"] != FORMAT:
        errors.append(("format", _("unsupported format {value!r}; this loader reads {format!r}").format(
            value=data["format"], format=FORMAT)))
    return errors
