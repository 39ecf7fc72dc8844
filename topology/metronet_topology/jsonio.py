"""The network as JSON: ``load_json`` (every error names its JSON path) and ``to_json``.

The format, with every field (optional ones may be left out)::

    {
      "organizations": [{"id": "zs-aleska", "name": "ZŠ Aléská", "kind": "school", "town_part": "Újezd",
                         "contact": "..."}],
      "sites": [{"id": "ZS-ALESKA", "name": "...", "organizations": ["zs-aleska"], "town_part": "Újezd"}],
      "closures": [{"id": "C-3", "name": "", "site": null}],
      "segments": [{"id": "D-07", "name": "", "kind": "duct", "length_m": 120.5}],
      "cables": [{"id": "K12", "a": {"site": "POP-2"}, "b": {"closure": "C-3"}, "segments": ["D-07"],
                  "strand_count": 24, "length_m": null, "name": ""}],
      "splices": [{"closure": "C-3", "a": {"cable": "K12", "strand": 3}, "b": {"cable": "K4", "strand": 3},
                   "loss_db": 0.05}],
      "devices": [{"id": "sw-aleska", "site": "ZS-ALESKA", "role": "access", "name": "", "interfaces": []}],
      "links": [{"id": "L7", "a": {"device": "sw-pop2", "interface": "Te1/0/4"}, "b": {"device": "sw-aleska"},
                 "fibers": [{"cable": "K12", "strand": 3}, "K4"], "name": ""}],
      "connections": [{"id": "c-17", "organization": "zs-aleska", "site": "ZS-ALESKA", "access": [],
                       "fibers": [], "status": "connected", "bandwidth_mbps": 1000}],
      "core_sites": ["CORE"],
      "core_devices": []
    }

A fiber hop is ``{"cable": ..., "strand": ...}`` or just the cable id.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .errors import NetworkError
from .model import (
    CableEnd,
    Connection,
    Device,
    Endpoint,
    FiberCable,
    FiberHop,
    Link,
    Organization,
    PlaceKind,
    RouteSegment,
    Site,
    Splice,
    SpliceClosure,
    StrandRef,
)
from .network import Network

__all__ = ("load_json", "to_json")

_MISSING = object()


class _Reader:
    """Typed access to a JSON object; problems are collected with their path."""

    def __init__(self, errors: list[str], path: str, value: object, fields: tuple[str, ...]) -> None:
        self.errors = errors
        self.path = path
        self.ok = isinstance(value, Mapping)
        self.data: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
        if not self.ok:
            errors.append(f"{path}: expected an object, got {_describe(value)}")
        for key in self.data:
            if key not in fields:
                errors.append(f"{path}.{key}: unknown field (expected one of {', '.join(fields)})")

    def raw(self, key: str, required: bool = False) -> object:
        if key not in self.data or self.data[key] is None:
            if required and self.ok:
                self.errors.append(f"{self.path}.{key}: missing")
            return _MISSING
        return self.data[key]

    def string(self, key: str, required: bool = False) -> str:
        value = self.raw(key, required)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            self.errors.append(f"{self.path}.{key}: expected a string, got {_describe(value)}")
            return ""
        return value

    def optional_string(self, key: str) -> str | None:
        value = self.raw(key, False)
        return None if value is _MISSING else self.string(key)

    def number(self, key: str) -> float | None:
        value = self.raw(key, False)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.errors.append(f"{self.path}.{key}: expected a number, got {_describe(value)}")
            return None
        return float(value)

    def integer(self, key: str) -> int | None:
        value = self.raw(key, False)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors.append(f"{self.path}.{key}: expected an integer, got {_describe(value)}")
            return None
        return value

    def items[T](self, key: str, parse: Callable[[str, object], T | None], required: bool = False) -> tuple[T, ...]:
        return _items(self.errors, f"{self.path}.{key}" if self.path else key, self.raw(key, required), parse)

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        return self.items(key, self._string_item, required)

    def _string_item(self, path: str, value: object) -> str | None:
        if isinstance(value, str) and value:
            return value
        self.errors.append(f"{path}: expected a non-empty string, got {_describe(value)}")
        return None


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{type(value).__name__} {value!r}"


def _items[T](errors: list[str], path: str, value: object, parse: Callable[[str, object], T | None]) -> tuple[T, ...]:
    if value is _MISSING:
        return ()
    if not isinstance(value, list):
        errors.append(f"{path}: expected a list, got {_describe(value)}")
        return ()
    out = []
    for i, item in enumerate(value):
        parsed = parse(f"{path}[{i}]", item)
        if parsed is not None:
            out.append(parsed)
    return tuple(out)


class _Parser:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def reader(self, path: str, value: object, *fields: str) -> _Reader:
        return _Reader(self.errors, path, value, fields)

    def sub[T](self, r: _Reader, key: str, parse: Callable[[str, object], T | None]) -> T | None:
        """A required nested object."""
        value = r.raw(key, True)
        return None if value is _MISSING else parse(f"{r.path}.{key}", value)

    def organization(self, path: str, value: object) -> Organization | None:
        r = self.reader(path, value, "id", "name", "kind", "town_part", "contact")
        return Organization(r.string("id", True), r.string("name"), r.string("kind"), r.string("town_part"),
                            r.string("contact")) if r.ok else None

    def site(self, path: str, value: object) -> Site | None:
        r = self.reader(path, value, "id", "name", "organizations", "town_part")
        return Site(r.string("id", True), r.string("name"), r.strings("organizations"),
                    r.string("town_part")) if r.ok else None

    def closure(self, path: str, value: object) -> SpliceClosure | None:
        r = self.reader(path, value, "id", "name", "site")
        return SpliceClosure(r.string("id", True), r.string("name"), r.optional_string("site")) if r.ok else None

    def segment(self, path: str, value: object) -> RouteSegment | None:
        r = self.reader(path, value, "id", "name", "kind", "length_m")
        return RouteSegment(r.string("id", True), r.string("name"), r.string("kind"),
                            r.number("length_m")) if r.ok else None

    def place(self, path: str, value: object) -> CableEnd | None:
        r = self.reader(path, value, "site", "closure")
        if not r.ok:
            return None
        given = [kind for kind in PlaceKind if r.data.get(kind.value) is not None]
        if len(given) != 1:
            self.errors.append(f"{path}: give exactly one of 'site' or 'closure'")
            return None
        return CableEnd(given[0], r.string(given[0].value, True))

    def cable(self, path: str, value: object) -> FiberCable | None:
        r = self.reader(path, value, "id", "a", "b", "segments", "strand_count", "length_m", "name")
        if not r.ok:
            return None
        a, b = self.sub(r, "a", self.place), self.sub(r, "b", self.place)
        cable_id, segments = r.string("id", True), r.strings("segments")
        count, length, name = r.integer("strand_count"), r.number("length_m"), r.string("name")
        if a is None or b is None:
            return None
        return FiberCable(cable_id, a, b, segments, count, length, name)

    def strand(self, path: str, value: object) -> StrandRef | None:
        r = self.reader(path, value, "cable", "strand")
        cable, number = r.string("cable", True), r.integer("strand")
        if number is None and r.ok and "strand" not in r.data:
            self.errors.append(f"{path}.strand: missing")
        return StrandRef(cable, number) if r.ok and number is not None else None

    def splice(self, path: str, value: object) -> Splice | None:
        r = self.reader(path, value, "closure", "a", "b", "loss_db")
        if not r.ok:
            return None
        closure = r.string("closure", True)
        a, b = self.sub(r, "a", self.strand), self.sub(r, "b", self.strand)
        loss = r.number("loss_db")
        return Splice(closure, a, b, loss) if a is not None and b is not None else None

    def device(self, path: str, value: object) -> Device | None:
        r = self.reader(path, value, "id", "site", "role", "name", "interfaces")
        return Device(r.string("id", True), r.string("site", True), r.string("role"), r.string("name"),
                      r.strings("interfaces")) if r.ok else None

    def endpoint(self, path: str, value: object) -> Endpoint | None:
        r = self.reader(path, value, "device", "interface")
        return Endpoint(r.string("device", True), r.string("interface")) if r.ok else None

    def hop(self, path: str, value: object) -> FiberHop | None:
        if isinstance(value, str) and value:
            return FiberHop(value)
        if isinstance(value, str) or not isinstance(value, Mapping):
            self.errors.append(f"{path}: expected a cable id or {{'cable': ..., 'strand': ...}}, got "
                               f"{_describe(value)}")
            return None
        r = self.reader(path, value, "cable", "strand")
        return FiberHop(r.string("cable", True), r.integer("strand"))

    def link(self, path: str, value: object) -> Link | None:
        r = self.reader(path, value, "id", "a", "b", "fibers", "name")
        if not r.ok:
            return None
        link_id = r.string("id", True)
        a, b = self.sub(r, "a", self.endpoint), self.sub(r, "b", self.endpoint)
        fibers, name = r.items("fibers", self.hop), r.string("name")
        return Link(link_id, a, b, fibers, name) if a is not None and b is not None else None

    def connection(self, path: str, value: object) -> Connection | None:
        r = self.reader(path, value, "id", "organization", "site", "access", "fibers", "status", "bandwidth_mbps")
        if not r.ok:
            return None
        return Connection(r.string("id", True), r.string("organization", True), r.string("site", True),
                          r.items("access", self.endpoint), r.items("fibers", self.hop),
                          r.string("status") or "connected", r.integer("bandwidth_mbps"))

    def network(self, value: object) -> Network:
        r = self.reader("", value, "organizations", "sites", "closures", "segments", "cables", "splices", "devices",
                        "links", "connections", "core_sites", "core_devices")
        if not r.ok:
            self.errors[-1] = f"the network must be a JSON object, got {_describe(value)}"
            raise NetworkError(self.errors)
        r.path = ""
        organizations = r.items("organizations", self.organization)
        sites = r.items("sites", self.site, required=True)
        closures = r.items("closures", self.closure)
        segments = r.items("segments", self.segment)
        cables = r.items("cables", self.cable)
        splices = r.items("splices", self.splice)
        devices = r.items("devices", self.device)
        links = r.items("links", self.link)
        connections = r.items("connections", self.connection)
        core_sites, core_devices = r.strings("core_sites", required=True), r.strings("core_devices")
        self.errors = [e.removeprefix(".") for e in self.errors]
        if self.errors:
            raise NetworkError(self.errors)
        return Network(sites=sites, core_sites=core_sites, organizations=organizations, closures=closures,
                       segments=segments, cables=cables, splices=splices, devices=devices, links=links,
                       connections=connections, core_devices=core_devices)


def load_json(source: str | os.PathLike[str] | Mapping[str, Any]) -> Network:
    """Load a network from a JSON file (path) or from already parsed JSON data.

    Shape errors and reference errors alike raise :class:`NetworkError` with every problem found, each
    starting with the JSON path of the bad entry::

        >>> load_json({"sites": [{"id": "A"}], "core_sites": ["A"],
        ...            "cables": [{"id": "K1", "a": {"site": "A"}, "b": {"site": "A"}, "segments": ["D-07"]}]})
        Traceback (most recent call last):
        metronet_topology.errors.NetworkError: 1 error(s) in the network data:
          cables[0].segments[0]: unknown segment 'D-07'
    """
    if isinstance(source, Mapping):
        data: object = source
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise NetworkError([f"{source}: not valid JSON ({e.msg} at line {e.lineno} column {e.colno})"]) from e
    return _Parser().network(data)


def _place(end: CableEnd) -> dict[str, str]:
    return {end.kind.value: end.id}


def _hop(hop: FiberHop) -> str | dict[str, object]:
    return hop.cable if hop.strand is None else {"cable": hop.cable, "strand": hop.strand}


def _endpoint(e: Endpoint) -> dict[str, str]:
    return {"device": e.device, "interface": e.interface} if e.interface else {"device": e.device}


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional values (``id`` always stays)."""
    return {k: v for k, v in d.items() if k == "id" or v not in (None, "", [], ())}


def to_json(network: Network) -> dict[str, Any]:
    """The network as JSON-ready data (empty optional fields left out); ``load_json(to_json(n)) == n``::

        Network(sites=(Site("CORE"), Site("ZS", organizations=("zs",))), core_sites=("CORE",), ...)
          → {"sites": [{"id": "CORE"}, {"id": "ZS", "organizations": ["zs"]}], "core_sites": ["CORE"], ...}
    """
    n = network
    return {
        "organizations": [_clean({"id": o.id, "name": o.name, "kind": o.kind, "town_part": o.town_part,
                                  "contact": o.contact}) for o in n.organizations],
        "sites": [_clean({"id": s.id, "name": s.name, "organizations": list(s.organizations),
                          "town_part": s.town_part}) for s in n.sites],
        "closures": [_clean({"id": c.id, "name": c.name, "site": c.site}) for c in n.closures],
        "segments": [_clean({"id": s.id, "name": s.name, "kind": s.kind, "length_m": s.length_m})
                     for s in n.segments],
        "cables": [_clean({"id": c.id, "a": _place(c.a), "b": _place(c.b), "segments": list(c.segments),
                           "strand_count": c.strand_count, "length_m": c.length_m, "name": c.name})
                   for c in n.cables],
        "splices": [_clean({"closure": s.closure, "a": {"cable": s.a.cable, "strand": s.a.number},
                            "b": {"cable": s.b.cable, "strand": s.b.number}, "loss_db": s.loss_db})
                    for s in n.splices],
        "devices": [_clean({"id": d.id, "site": d.site, "role": d.role, "name": d.name,
                            "interfaces": list(d.interfaces)}) for d in n.devices],
        "links": [_clean({"id": link.id, "a": _endpoint(link.a), "b": _endpoint(link.b),
                          "fibers": [_hop(h) for h in link.fibers], "name": link.name}) for link in n.links],
        "connections": [_clean({"id": c.id, "organization": c.organization, "site": c.site,
                                "access": [_endpoint(e) for e in c.access], "fibers": [_hop(h) for h in c.fibers],
                                "status": c.status, "bandwidth_mbps": c.bandwidth_mbps}) for c in n.connections],
        "core_sites": list(n.core_sites),
        "core_devices": list(n.core_devices),
    }
