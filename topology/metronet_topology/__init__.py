"""MetroNet topology: a Django-free library answering questions about a metropolitan fiber network.

Build a :class:`Network` (by hand, :func:`load_json`, or the plugin's NetBox loader), wrap it in a
:class:`Topology`, and ask: :func:`trace`, :func:`cut_impact` / :func:`cut_impacts`,
:func:`single_points_of_failure`, :func:`alert_dependencies`, :func:`shortest_path`,
:func:`disjoint_paths`. See ``docs/topology.md``.
"""

from ._compile import ServiceRef
from .alerts import DeviceDependency, alert_dependencies, alert_dependencies_data
from .errors import NetworkError, TopologyError, UnknownElementError
from .impact import CutImpact, cut_impact, cut_impacts
from .jsonio import load_json, to_json
from .model import (
    CableEnd,
    Connection,
    Device,
    ElementKind,
    ElementRef,
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
from .options import AnalysisOptions
from .paths import DisjointPaths, SitePath, disjoint_paths, shortest_path
from .spof import OrganizationRedundancy, ServiceRedundancy, SpofReport, single_points_of_failure
from .topology import Topology
from .trace import ServiceTrace, TraceHop, TraceLeg, trace

__all__ = (
    "AnalysisOptions",
    "CableEnd",
    "Connection",
    "CutImpact",
    "Device",
    "DeviceDependency",
    "DisjointPaths",
    "ElementKind",
    "ElementRef",
    "Endpoint",
    "FiberCable",
    "FiberHop",
    "Link",
    "Network",
    "NetworkError",
    "Organization",
    "OrganizationRedundancy",
    "PlaceKind",
    "RouteSegment",
    "ServiceRedundancy",
    "ServiceRef",
    "ServiceTrace",
    "Site",
    "SitePath",
    "Splice",
    "SpliceClosure",
    "SpofReport",
    "StrandRef",
    "Topology",
    "TopologyError",
    "TraceHop",
    "TraceLeg",
    "UnknownElementError",
    "alert_dependencies",
    "alert_dependencies_data",
    "cut_impact",
    "cut_impacts",
    "disjoint_paths",
    "load_json",
    "shortest_path",
    "single_points_of_failure",
    "to_json",
    "trace",
)
