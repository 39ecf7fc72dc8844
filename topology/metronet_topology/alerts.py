"""Alert dependencies: the parents of every device toward the core, for alert suppression."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._compile import VKind
from .model import ElementKind, ElementRef
from .topology import Topology

__all__ = ("DeviceDependency", "alert_dependencies", "alert_dependencies_data")


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
