"""The collector's own health, for Prometheus (prometheus-client; the registry is passed in)."""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram

from metronet_collectors.dependencies import register_dependencies

POLL_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class CollectorMetrics:
    """Every metric the collector exports; tests build their own ``CollectorRegistry()``."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.registry = registry
        self.poll_duration = Histogram(
            "metronet_poll_duration_seconds",
            "Time to poll one device (successful or not).",
            buckets=POLL_BUCKETS,
            registry=registry,
        )
        self.polls = Counter("metronet_polls_total", "Device polls attempted.", ["device"], registry=registry)
        self.poll_errors = Counter(
            "metronet_poll_errors_total",
            "Device polls that failed, by reason.",
            ["reason", "device"],
            registry=registry,
        )
        self.overruns = Counter(
            "metronet_poll_overruns_total",
            "Poll slots skipped because the previous poll of the device was still running.",
            ["device"],
            registry=registry,
        )
        self.rate_skips = Counter(
            "metronet_rate_skips_total",
            "Interface samples written without rates (reboot, counter discontinuity, ...).",
            ["reason"],
            registry=registry,
        )
        self.points_written = Counter(
            "metronet_points_written_total", "Points accepted by the sink.", registry=registry
        )
        self.points_queued = Gauge(
            "metronet_points_queued", "Points produced but not yet accepted by the sink.", registry=registry
        )
        self.points_dropped = Counter(
            "metronet_points_dropped_total", "Points lost, by reason.", ["reason"], registry=registry
        )
        self.spool_bytes = Gauge("metronet_spool_bytes", "Bytes on disk in the spool.", registry=registry)
        self.sink_errors = Counter(
            "metronet_sink_errors_total", "Failed writes to the sink.", ["retryable"], registry=registry
        )
        self.last_write = Gauge(
            "metronet_last_successful_write_timestamp_seconds",
            "Unix time of the last batch the sink accepted.",
            registry=registry,
        )
        self.devices = Gauge("metronet_devices", "Devices this collector (shard) polls.", registry=registry)
        self.inventory_refresh = Gauge(
            "metronet_inventory_last_refresh_timestamp_seconds",
            "Unix time the device list was last loaded.",
            registry=registry,
        )
        self.inventory_errors = Counter(
            "metronet_inventory_errors_total",
            "Failed reads of the device source (the last known device list is kept), by reason.",
            ["source", "reason"],
            registry=registry,
        )
        self.inventory_problems = Gauge(
            "metronet_inventory_problems",
            "Devices the source lists but that cannot be polled (1 per device and reason; e.g. no_credential).",
            ["device", "reason"],
            registry=registry,
        )
        self.link_oper_up = Gauge(
            "metronet_link_oper_up",
            "1 if the interface's ifOperStatus is up, else 0 (from the last successful poll).",
            ["device", "interface", "organization", "role"],
            registry=registry,
        )
        # Topology dependency labels for the alert rules, from $METRONET_DEPENDENCIES_FILE (dependencies.py).
        self.dependencies = register_dependencies(registry)
        self.table_walks = Counter(
            "metronet_table_walks_total",
            "Walks of tables other than IF-MIB: optics (DOM sensor values), entities (ENTITY-MIB map), lldp.",
            ["table"],
            registry=registry,
        )
        self.table_walk_errors = Counter(
            "metronet_table_walk_errors_total",
            "Failed walks of optics / entities / lldp tables, by reason (the device's interface poll still counts).",
            ["table", "reason"],
            registry=registry,
        )
        self.table_walk_duration = Histogram(
            "metronet_table_walk_duration_seconds",
            "Time to walk one optics / entities / lldp table set of one device.",
            ["table"],
            buckets=POLL_BUCKETS,
            registry=registry,
        )
        self.lldp_reports = Counter(
            "metronet_lldp_reports_total",
            "LLDP snapshots posted to NetBox, by result: ok, timeout, unreachable, auth, rejected, http_error, "
            "bad_response.",
            ["result"],
            registry=registry,
        )
