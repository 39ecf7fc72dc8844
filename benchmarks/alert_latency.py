"""Link-down-to-webhook latency of the alert pipeline, with the Prometheus + Alertmanager anchor in the same run.

    .venv/bin/python benchmarks/alert_latency.py [--trials 20]

1. **Full pipeline**: the stack of ``tests/alerts/test_alert_pipeline.py`` — simulated net-snmp agents, the
   collector process polling every second (dependency file from topology), Prometheus (1 s scrape and
   evaluation, production rules with minutes scaled to seconds: ``for: 2m`` → 2 s), Alertmanager
   (production config, group_wait/group_interval 1 s), the webhook receiver. A trial takes an access link
   down in the agent's state file and times the arrival of the ``MetroNetAccessLinkDown`` notification,
   then brings it up and times the resolution.
2. **Anchor**: the same Prometheus, rules, Alertmanager and receiver, scraping a tiny prometheus-client
   exporter whose ``metronet_link_oper_up`` gauge is flipped directly: what the pipeline costs without
   SNMP polling.

Target: full-pipeline delay ≤ one poll interval + 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in ("collectors", "topology", "tests/alerts", "tests/collectors"):
    sys.path.insert(0, str(ROOT / path))

from alert_stack import (  # noqa: E402
    RULES,
    Alertmanager,
    Prometheus,
    Webhook,
    adapted_alertmanager_config,
    free_port,
    scaled_rules,
    wait_until,
)
from prometheus_client import CollectorRegistry, Gauge, start_http_server  # noqa: E402
from test_alert_pipeline import POLL_S, ZS, Stack  # noqa: E402

FOR_S = 2.0  # `for: 2m` of MetroNetAccessLinkDown, scaled
TIMEOUT_S = 60.0


def _trial(flip, received, pause: float = 1.0) -> tuple[float, float]:
    """(down → firing notification, up → resolved notification) in seconds."""
    t_down = flip(False)
    fired = wait_until(lambda: received(t_down, "firing"), TIMEOUT_S, 0.05, "firing notification")
    t_up = flip(True)
    resolved = wait_until(lambda: received(t_up, "resolved"), TIMEOUT_S, 0.05, "resolved notification")
    time.sleep(pause)
    return fired[0][0] - t_down, resolved[0][0] - t_up


def full_pipeline(workdir: Path, trials: int) -> list[tuple[float, float]]:
    stack = Stack(workdir)
    try:
        stack.start()
        ports = (("sw-agg", "Gi1/0/2"), ("sw-zs", "Gi1/0/9"))

        def received(since: float, status: str) -> list[tuple[float, dict]]:
            return [(t, a) for t, a in stack.received(since, "MetroNetAccessLinkDown", status)
                    if a["labels"]["organization"] == ZS]

        return [_trial(lambda up: stack.set_links(up, *ports), received) for _ in range(trials)]
    finally:
        stack.stop()


def anchor(workdir: Path, trials: int) -> list[tuple[float, float]]:
    registry = CollectorRegistry()
    gauge = Gauge("metronet_link_oper_up", "anchor", ["device", "interface", "organization", "role"],
                  registry=registry)
    link = gauge.labels(device="sw-agg", interface="Gi1/0/2", organization=ZS, role="access")
    link.set(1)
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    services = []
    try:
        webhook = Webhook(workdir / "webhook")
        webhook.start()
        services.append(webhook)
        alertmanager = Alertmanager(workdir / "am", adapted_alertmanager_config(webhook.url))
        alertmanager.start()
        services.append(alertmanager)
        prometheus = Prometheus(workdir / "prom", scaled_rules(RULES.read_text(encoding="utf-8")),
                                [f"127.0.0.1:{port}"], f"127.0.0.1:{alertmanager.port}")
        prometheus.start()
        services.append(prometheus)
        wait_until(lambda: prometheus.query("metronet_link_oper_up == 1"), TIMEOUT_S, 0.2, "first scrape")

        def flip(up: bool) -> float:
            link.set(1 if up else 0)
            return time.time()

        def received(since: float, status: str) -> list[tuple[float, dict]]:
            return [(t, a) for t, a in webhook.alerts(since)
                    if a["labels"]["alertname"] == "MetroNetAccessLinkDown" and a["status"] == status]

        return [_trial(flip, received) for _ in range(trials)]
    finally:
        for service in reversed(services):
            service.stop()
        server.shutdown()
        thread.join()


def _row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"{name:<44} {len(values):>3} {ordered[0]:>6.2f} {statistics.median(ordered):>7.2f} "
            f"{p95:>6.2f} {ordered[-1]:>6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--parts", default="full,anchor", help="comma-separated: full, anchor")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory(prefix="metronet-alert-bench-") as tmp:
        print(f"poll interval {POLL_S:.0f} s, scrape/eval 1 s, for: {FOR_S:.0f} s, "
              f"Alertmanager group_wait/group_interval 1 s, {args.trials} trials each", flush=True)
        full = full_pipeline(Path(tmp) / "full", args.trials) if "full" in parts else []
        base = anchor(Path(tmp) / "anchor", args.trials) if "anchor" in parts else []
    print(f"\n{'seconds':<44} {'n':>3} {'min':>6} {'median':>7} {'p95':>6} {'max':>6}")
    for name, results, index in (("link down → webhook (snmpd → collector → …)", full, 0),
                                 ("link down → webhook, anchor (gauge flipped)", base, 0),
                                 ("link up → resolved (snmpd → collector → …)", full, 1),
                                 ("link up → resolved, anchor (gauge flipped)", base, 1)):
        if results:
            print(_row(name, [r[index] for r in results]))
    if not full:
        return 0
    worst = max(d for d, _ in full)
    target = POLL_S + 5.0
    print(f"\ntarget: link down → webhook ≤ poll interval + 5 s = {target:.0f} s; "
          f"p95 {'meets' if sorted(d for d, _ in full)[round(0.95 * (len(full) - 1))] <= target else 'misses'} it"
          f", max {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
