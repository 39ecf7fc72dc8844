"""Alert dependencies: the parents of every device toward the core, for alert suppression.

``python -m metronet_topology.alerts export --network NET.json --out dependencies.json`` writes the
labels the alert rules join (``metronet_topology_dependency_info``, see ``alerts/README.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._compile import VKind
from .errors import NetworkError
from .impact import cut_impact
from .jsonio import load_json
from .model import ElementKind, ElementRef, Endpoint
from .options import AnalysisOptions
from .topology import Topology

__all__ = (
    "DEPENDENCY_FORMAT",
    "DependencyLabels",
    "DeviceDependency",
    "alert_dependencies",
    "alert_dependencies_data",
    "alert_dependency_labels",
    "dependency_document",
    "dependency_textfile",
)


@dataclass(frozen=True, slots=True)
class DeviceDependency:
    """Where a device hangs in the network, seen from the core.

    ``parents``
        the neighbours one link nearer the core; the device is unreachable (not down) when all of them are
        down, so an alert on it is suppressed then. Two parents mean a ring or a redundant uplink;
    ``chain``
        the usual path upward: parent, grandparent, …, core device;
    ``depth``
        links between it and the core (0 for a core device, None when unreachable);
    ``offline_services`` / ``offline_organizations``
        who loses service when this device goes down (what its alert should name).
    """

    device: str
    site: str
    role: str
    depth: int | None
    parents: tuple[str, ...]
    chain: tuple[str, ...]
    offline_services: tuple[str, ...]
    offline_organizations: tuple[str, ...]

    @property
    def reachable(self) -> bool:
        return self.depth is not None

    def to_dict(self) -> dict[str, Any]:
        return {"device": self.device, "site": self.site, "role": self.role, "reachable": self.reachable,
                "depth": self.depth, "parents": list(self.parents), "chain": list(self.chain),
                "offline_services": list(self.offline_services),
                "offline_organizations": list(self.offline_organizations)}


def alert_dependencies(topology: Topology) -> tuple[DeviceDependency, ...]:
    """Every device's parents toward the core, in the order of the network's devices::

        sw-core ── sw-pop1 ── sw-dist ── sw-zs          sw-zs:   parents (sw-dist,), chain sw-dist, sw-pop1,
                      │                                            sw-core, depth 3
                   sw-pop2 ══ sw-ms (two uplinks:       sw-ms:   parents (sw-pop2, sw-pop3) — alert
                      │      to sw-pop2 and sw-pop3)             suppressed only when both are down
                   sw-pop3

    The offline organizations come from :func:`cut_impact` of the device alone.
    """
    net, c = topology.network, topology._c
    out = []
    for device in net.devices:
        v = c.device_vertex[device.id]
        distance = topology._distances.get(v)
        if distance is None:
            out.append(DeviceDependency(device.id, device.site, device.role, None, (), (), (), ()))
            continue
        parents: set[int] = set()
        for link in topology._graph.neighbors(v):
            if c.kind[link] is VKind.LINK and topology._distances.get(link) == distance - 1:
                parents.update(n for n in topology._graph.neighbors(link)
                               if n != v and topology._distances.get(n) == distance - 2)
        chain = []
        up = topology._primary.get(v)
        while up is not None and up != c.root:
            if c.kind[up] is VKind.DEVICE:
                chain.append(c.label[up])
            up = topology._primary.get(up)
        cut = topology._cut_vertices((ElementRef(ElementKind.DEVICE, device.id),))
        offline = topology._service_refs(cut.offline)
        out.append(DeviceDependency(
            device=device.id, site=device.site, role=device.role, depth=(distance - 1) // 2,
            parents=tuple(sorted(c.label[p] for p in parents)), chain=tuple(chain),
            offline_services=tuple(s.id for s in offline),
            offline_organizations=tuple(sorted({s.organization for s in offline})),
        ))
    return tuple(out)


def alert_dependencies_data(topology: Topology) -> list[dict[str, Any]]:
    """:func:`alert_dependencies` as plain data (JSON/YAML-ready) for the alerting side::

        sw-core ── sw-pop1 ── sw-zs     →  [{"device": "sw-core", "depth": 0, "parents": [], ...},
                                            {"device": "sw-pop1", "depth": 1, "parents": ["sw-core"], ...},
                                            {"device": "sw-zs", "depth": 2, "parents": ["sw-pop1"],
                                             "chain": ["sw-pop1", "sw-core"], "offline_organizations": ["zs"]}]
    """
    return [d.to_dict() for d in alert_dependencies(topology)]


# --- Labels for the alerting pipeline (Prometheus info metric → Alertmanager inhibit rules) -------------

DEPENDENCY_FORMAT = "metronet-alert-dependencies/1"


@dataclass(frozen=True, slots=True)
class DependencyLabels:
    """One row of ``metronet_topology_dependency_info`` (see ``alerts/README.md``).

    A *device row* (``interface`` empty) or an *interface row* (one per end of every link). Names are the
    devices' and organizations' labels (the names the collector uses), not ids::

        sw-core Te1 ══ L1 ══ Te9 sw-agg Gi1 ── L2 ── Gi9 sw-school      L1 is a bridge

        sw-agg          (device row)  parent_device=sw-core  upstream_link=sw-core:Te1  organizations=school
        sw-school       (device row)  parent_device=sw-agg   upstream_link=sw-core:Te1  organizations=school
        sw-core Te1     (near end)    parent_device=sw-core  upstream_link=""            organizations=school
        sw-agg  Te9     (far end)     parent_device=sw-core  upstream_link=sw-core:Te1  link_end=far
        sw-agg  Gi1     (near end)    parent_device=sw-agg   upstream_link=sw-core:Te1  organizations=school

    ``upstream_link``
        the link *nearest the core* on the usual path whose single loss cuts the device off (a bridge:
        the feeder of its branch), named ``"<device>:<interface>"`` by its end nearer the core — the value
        ``MetroNetBackboneLinkDown`` sets on itself; empty when no single link cuts it off (a ring, two
        uplinks). On a link's far end: that link itself. One value per row, so a cut of a deeper bridge
        (below the feeder) is not matched by what hangs behind it (see ``alerts/README.md``, limits);
    ``parent_device``
        device row: the next device up the usual path; interface row: the link's end nearer the core;
    ``organizations``
        whom the loss of the device (device row) or of the link (interface rows) takes offline;
    ``link_end``
        ``near`` or ``far`` (from the core; ties: the link's A end is near), empty on device rows.
    """

    device: str
    interface: str = ""
    parent_device: str = ""
    upstream_link: str = ""
    organizations: tuple[str, ...] = ()
    link_end: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"device": self.device, "interface": self.interface, "parent_device": self.parent_device,
                "upstream_link": self.upstream_link, "organizations": list(self.organizations),
                "link_end": self.link_end}


def alert_dependency_labels(topology: Topology) -> tuple[DependencyLabels, ...]:
    """The dependency labels of every reachable device and of both ends of every link (see
    :class:`DependencyLabels`); devices and links cut off from the core get no row. One cut per link and
    per device (cached by the topology)."""
    net, c = topology.network, topology._c
    device_label = {d.id: d.label for d in net.devices}
    org_label = {o.id: o.label for o in net.organizations}
    dist = topology._distances

    def orgs(ref: ElementRef) -> tuple[str, ...]:
        return tuple(sorted({org_label.get(o, o) for o in cut_impact(topology, [ref]).offline_organizations}))

    # each link's near end (toward the core) and far end
    ends: dict[str, tuple[Endpoint, Endpoint]] = {}
    for link in net.links:
        da, db = dist.get(c.device_vertex[link.a.device]), dist.get(c.device_vertex[link.b.device])
        if da is None or db is None:
            continue
        ends[link.id] = (link.a, link.b) if da <= db else (link.b, link.a)

    def link_name(link_id: str) -> str:
        near = ends[link_id][0]
        return f"{device_label[near.device]}:{near.interface}"

    cuts_off: dict[str, frozenset[str]] = {}

    def upstream_bridge(device_id: str) -> str:
        """The link nearest the core on the usual path whose loss leaves ``device_id`` unreachable."""
        found = ""
        up = topology._primary.get(c.device_vertex[device_id])
        while up is not None and up != c.root:
            if c.kind[up] is VKind.LINK:
                link_id = c.label[up]
                if link_id not in cuts_off:
                    impact = cut_impact(topology, [ElementRef(ElementKind.LINK, link_id)])
                    cuts_off[link_id] = frozenset(impact.devices_unreachable)
                if device_id in cuts_off[link_id] and link_id in ends:
                    found = link_name(link_id)
            up = topology._primary.get(up)
        return found

    deps = {d.device: d for d in alert_dependencies(topology)}
    upstream = {d.id: upstream_bridge(d.id) for d in net.devices if deps[d.id].reachable}
    rows: list[DependencyLabels] = []
    for device in net.devices:
        dep = deps[device.id]
        if not dep.reachable:
            continue
        rows.append(DependencyLabels(
            device=device.label, parent_device=device_label.get(dep.chain[0], "") if dep.chain else "",
            upstream_link=upstream[device.id],
            organizations=tuple(sorted(org_label.get(o, o) for o in dep.offline_organizations))))
    for link in net.links:
        if link.id not in ends:
            continue
        near, far = ends[link.id]
        offline = orgs(ElementRef(ElementKind.LINK, link.id))
        parent = device_label[near.device]
        if near.interface:
            rows.append(DependencyLabels(device_label[near.device], near.interface, parent,
                                         upstream[near.device], offline, "near"))
        if far.interface:
            rows.append(DependencyLabels(device_label[far.device], far.interface, parent,
                                         link_name(link.id), offline, "far"))
    return tuple(rows)


def dependency_document(topology: Topology, generated_at: float | None = None) -> dict[str, Any]:
    """:func:`alert_dependency_labels` as the JSON document the collector reads::

        {"format": "metronet-alert-dependencies/1", "generated_at": 1767225600.0,
         "rows": [{"device": "sw-agg", "interface": "", "parent_device": "sw-core",
                   "upstream_link": "sw-core:Te1", "organizations": ["Gymnázium Bílina"], "link_end": ""}, ...]}
    """
    return {"format": DEPENDENCY_FORMAT, "generated_at": time.time() if generated_at is None else generated_at,
            "rows": [row.to_dict() for row in alert_dependency_labels(topology)]}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def dependency_textfile(topology: Topology) -> str:
    """The rows in the Prometheus text format (for node_exporter's textfile collector or any file server)."""
    lines = ["# HELP metronet_topology_dependency_info Topology parents of a device or link end "
             "(alert inhibition labels).", "# TYPE metronet_topology_dependency_info gauge"]
    for row in alert_dependency_labels(topology):
        labels = {"device": row.device, "interface": row.interface, "parent_device": row.parent_device,
                  "upstream_link": row.upstream_link, "organizations": "; ".join(row.organizations),
                  "link_end": row.link_end}
        text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items() if v)
        lines.append(f"metronet_topology_dependency_info{{{text}}} 1")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m metronet_topology.alerts export --network NET.json --out deps.json [--format json|prom]``."""
    parser = argparse.ArgumentParser(prog="python -m metronet_topology.alerts",
                                     description="Alert dependency labels of a network, for the collector.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the dependency rows of a network JSON file")
    export.add_argument("--network", type=Path, required=True, help="network JSON (metronet_topology.load_json)")
    export.add_argument("--out", type=Path, help="output file (default: standard output)")
    export.add_argument("--format", choices=("json", "prom"), default="json",
                        help="json: the collector's dependency file; prom: Prometheus text format")
    export.add_argument("--backend", choices=("rustworkx", "networkx"), default="rustworkx")
    args = parser.parse_args(argv)
    try:
        network = load_json(args.network)
    except (OSError, ValueError, NetworkError) as exc:
        print(f"error: {args.network}: {exc}", file=sys.stderr)
        return 2
    topology = Topology(network, AnalysisOptions(backend=args.backend))
    if args.format == "json":
        text = json.dumps(dependency_document(topology), ensure_ascii=False, indent=1) + "\n"
    else:
        text = dependency_textfile(topology)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.out, text)
        rows = text.count('"device"') if args.format == "json" else text.count("\n") - 2
        print(f"{args.out}: {rows} dependency rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
