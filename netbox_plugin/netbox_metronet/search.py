"""Global search indexes of the plugin's models."""

from netbox.search import SearchIndex

from . import models


class OrganizationProfileIndex(SearchIndex):
    model = models.OrganizationProfile
    fields = (("company_id", 60), ("description", 500), ("comments", 5000))
    display_attrs = ("tenant", "org_type", "town_part")


class RouteSegmentIndex(SearchIndex):
    model = models.RouteSegment
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("kind", "status", "asset_owner")


class FiberCableIndex(SearchIndex):
    model = models.FiberCable
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("status", "fiber_type", "strand_count")


class FiberStrandIndex(SearchIndex):
    model = models.FiberStrand
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("cable", "number", "status")


class SpliceClosureIndex(SearchIndex):
    model = models.SpliceClosure
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("kind", "status", "site")


class SpliceIndex(SearchIndex):
    model = models.Splice
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("closure", "strand_a", "strand_b")


class StrandTerminationIndex(SearchIndex):
    model = models.StrandTermination
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("strand", "front_port", "rear_port")


class ConnectionIndex(SearchIndex):
    model = models.Connection
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("tenant", "site", "status", "bandwidth_mbps")


class CoverageTargetIndex(SearchIndex):
    model = models.CoverageTarget
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("share_percent", "min_bandwidth_mbps", "due_date")


class LldpNeighborIndex(SearchIndex):
    model = models.LldpNeighbor
    fields = (("remote_system", 100), ("remote_port", 300), ("remote_chassis_id", 300),
              ("remote_port_description", 500))
    display_attrs = ("device", "local_interface_name", "remote_port", "last_seen")


#: Loaded by NetBox through PluginConfig.search_indexes.
indexes = [
    OrganizationProfileIndex,
    RouteSegmentIndex,
    FiberCableIndex,
    FiberStrandIndex,
    SpliceClosureIndex,
    SpliceIndex,
    StrandTerminationIndex,
    ConnectionIndex,
    CoverageTargetIndex,
    LldpNeighborIndex,
]
