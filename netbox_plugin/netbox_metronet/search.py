"""Global search indexes of the plugin's models."""

from netbox.search import SearchIndex, register_search

from . import models


@register_search
class OrganizationProfileIndex(SearchIndex):
    model = models.OrganizationProfile
    fields = (("company_id", 60), ("description", 500), ("comments", 5000))
    display_attrs = ("tenant", "org_type", "town_part")


@register_search
class RouteSegmentIndex(SearchIndex):
    model = models.RouteSegment
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("kind", "status", "asset_owner")


@register_search
class FiberCableIndex(SearchIndex):
    model = models.FiberCable
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("status", "fiber_type", "strand_count")


@register_search
class FiberStrandIndex(SearchIndex):
    model = models.FiberStrand
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("cable", "number", "status")


@register_search
class SpliceClosureIndex(SearchIndex):
    model = models.SpliceClosure
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("kind", "status", "site")


@register_search
class SpliceIndex(SearchIndex):
    model = models.Splice
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("closure", "strand_a", "strand_b")


@register_search
class StrandTerminationIndex(SearchIndex):
    model = models.StrandTermination
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("strand", "front_port", "rear_port")


@register_search
class ConnectionIndex(SearchIndex):
    model = models.Connection
    fields = (("description", 500), ("comments", 5000))
    display_attrs = ("tenant", "site", "status", "bandwidth_mbps")


@register_search
class CoverageTargetIndex(SearchIndex):
    model = models.CoverageTarget
    fields = (("name", 100), ("description", 500), ("comments", 5000))
    display_attrs = ("share_percent", "min_bandwidth_mbps", "due_date")
