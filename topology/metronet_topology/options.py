"""Options of the analysis: one frozen record, never a row of booleans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ("AnalysisOptions", "BackendName")

BackendName = Literal["rustworkx", "networkx"]


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """How :class:`~metronet_topology.topology.Topology` analyses a network.

    ``include_premises``
        Count the organization's own building, the devices in it and the patch cables between them as
        single points of failure. Off by default: a school with one switch would otherwise never be
        "redundant", and the question engineers ask is about the network between the building and the core.
    ``include_core``
        Count the core sites, the devices in them and the patch cables between those as single points of
        failure (off by default: with one core router every organization would list it).
    ``service_statuses``
        Which connection statuses are services to analyse (the plugin's ``ConnectionStatusChoices``).
    ``disjoint_search_limit``
        How many first routes :func:`disjoint_paths` tries before giving up on a disjoint pair.
    ``backend``
        The graph library behind the answers (see ``docs/topology.md`` for the measurements).

    Cut impact always reports what really goes offline, premises and core included; the two switches
    above only shape the single points of failure and, through them, "loses redundancy".
    """

    include_premises: bool = False
    include_core: bool = False
    service_statuses: frozenset[str] = frozenset({"connected"})
    disjoint_search_limit: int = 64
    backend: BackendName = "rustworkx"
