"""Single points of failure per organization site, a redundancy score, and the town-wide worst elements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from ._compile import ServiceRef
from .model import ElementRef
from .topology import Topology

__all__ = ("OrganizationRedundancy", "ServiceRedundancy", "SpofReport", "single_points_of_failure")

Level = Literal["redundant", "single", "disconnected"]
_LEVEL_ORDER: dict[Level, int] = {"disconnected": 0, "single": 1, "redundant": 2}


@dataclass(frozen=True, slots=True)
class ServiceRedundancy:
    """One organization site: the elements whose single loss cuts it off, and how much of its path is
    protected.

    ``score`` = 1 − (single points of failure / elements on its usual path), premises and core left out
    as the options say: 1.0 when no single loss cuts it off, 0.0 for a plain chain where every duct,
    cable and switch is one; 0.0 also when it is not connected at all.
    """

    service: ServiceRef
    connected: bool
    spofs: tuple[ElementRef, ...]
    path_elements: int
    score: float

    @property
    def level(self) -> Level:
        if not self.connected:
            return "disconnected"
        return "single" if self.spofs else "redundant"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.service.id, "organization": self.service.organization, "site": self.service.site,
                "level": self.level, "score": round(self.score, 4), "path_elements": self.path_elements,
                "spofs": [str(e) for e in self.spofs]}


@dataclass(frozen=True, slots=True)
class OrganizationRedundancy:
    """An organization over all its sites: ``spofs`` cut off at least one of them; the level and score
    are those of its worst site."""

    organization: str
    sites: tuple[ServiceRedundancy, ...]
    spofs: tuple[ElementRef, ...]
    level: Level
    score: float


@dataclass(frozen=True, slots=True)
class SpofReport:
    """:func:`single_points_of_failure` for every organization site."""

    services: tuple[ServiceRedundancy, ...]

    def by_organization(self) -> tuple[OrganizationRedundancy, ...]:
        grouped: defaultdict[str, list[ServiceRedundancy]] = defaultdict(list)
        for s in self.services:
            grouped[s.service.organization].append(s)
        out = []
        for org, sites in sorted(grouped.items()):
            spofs = {e for s in sites for e in s.spofs}
            worst = min(sites, key=lambda s: (_LEVEL_ORDER[s.level], s.score))
            out.append(OrganizationRedundancy(org, tuple(sites), tuple(sorted(spofs, key=ElementRef.sort_key)),
                                              worst.level, worst.score))
        return tuple(out)

    def critical_elements(self, limit: int | None = None) -> tuple[tuple[ElementRef, tuple[ServiceRef, ...]], ...]:
        """Elements that are a single point of failure for the most organization sites, most first."""
        cut_off: defaultdict[ElementRef, list[ServiceRef]] = defaultdict(list)
        for s in self.services:
            for e in s.spofs:
                cut_off[e].append(s.service)
        ranked = sorted(cut_off.items(), key=lambda item: (-len(item[1]), item[0].sort_key()))
        return tuple((e, tuple(services)) for e, services in ranked[:limit])

    def rows(self) -> list[dict[str, str | int | float]]:
        """One flat row per organization site, for a CSV export."""
        return [{"organization": s.service.organization, "site": s.service.site, "service": s.service.id,
                 "level": s.level, "score": round(s.score, 4), "spof_count": len(s.spofs),
                 "spofs": " ".join(str(e) for e in s.spofs)} for s in self.services]


def single_points_of_failure(topology: Topology) -> SpofReport:
    """For every organization site, the elements whose single loss disconnects it from the core.

    A star leaf's uplink is one; a ring protects everything but the building itself (left out by
    default, see :class:`AnalysisOptions`); a second cable in the same duct protects nothing::

        sw-core ── K1 (D-01) ── sw-pop ══ K2 (D-02) ══ sw-zs        ZŠ: spofs = D-01, K1, L1 (the pop's
                                  ║                      ║                  uplink), sw-pop, POP site,
                                  ╚═ K3 (D-02) ══════════╝                  D-02 (K2 and K3 share it)

    Found from the block-cut tree of the service graph (articulation points and bridges), with each
    element's shared risk added: a duct or closure carrying several links of one ring is tried as one
    loss. Complexity: O(V + E) for the tree, plus one connectivity check of a block per group of
    elements that hit two or more of its links.
    """
    out = []
    for ref in topology.services:
        spofs = topology.spof_elements(ref)
        connected = topology.is_connected(ref)
        on_path = topology.path_elements(ref)
        score = (1.0 - len(spofs) / on_path if on_path else 1.0) if connected else 0.0
        out.append(ServiceRedundancy(ref, connected, spofs, on_path, max(0.0, score)))
    return SpofReport(tuple(out))
