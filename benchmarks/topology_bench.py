"""Benchmark of the topology library on a generated town network, networkx and rustworkx side by side.

    .venv/bin/python benchmarks/topology_bench.py [--scale 1.0] [--samples 200] [--seed 1]
                                                  [--backends rustworkx,networkx]

The network (``metronet_topology.synthetic``, default size: 5,000 devices, 20,000 route segments, 20,000
fiber cables, 50,000 strands; backbone rings, duct trees with feeder and drop cables, daisy chains,
redundant tails — half of them sharing a duct —, last-mile connections, dark cables) is written once to
a JSON file. Each backend then runs in a child process of its own, so that its peak memory is its own,
and measures: loading the JSON (validation included), building the ``Topology`` (service graph, block-cut
tree, redundancy, certificates), the trace of a service, the impact of one cut (a random segment, cache
cleared), the impact of cutting each segment once (the sweep), the SPOF report, the alert dependencies,
shortest and disjoint routes between POPs, and the peak RSS. The parent prints the table and checks that
both backends gave the same answers. Targets: one cut < 200 ms after load, the sweep < 60 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "topology"))

from metronet_topology import (  # noqa: E402
    AnalysisOptions,
    Topology,
    alert_dependencies,
    cut_impact,
    cut_impacts,
    disjoint_paths,
    load_json,
    shortest_path,
    single_points_of_failure,
    trace,
)
from metronet_topology.synthetic import SyntheticSpec, synthetic_network  # noqa: E402

CUT_TARGET_S = 0.200
SWEEP_TARGET_S = 60.0


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _timed(fn: Any, *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def _quantiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median": statistics.median(ordered), "p95": ordered[int(0.95 * (len(ordered) - 1))],
            "max": ordered[-1]}


def measure(backend: str, data_path: str, samples: int, seed: int) -> dict[str, Any]:
    """Everything for one backend, in this process."""
    rng = random.Random(seed)
    rss_start = _rss_mb()
    out: dict[str, Any] = {"backend": backend}
    network, out["load_s"] = _timed(load_json, data_path)
    rss_loaded = _rss_mb()
    topo, out["build_s"] = _timed(Topology, network, AnalysisOptions(backend=backend))  # type: ignore[arg-type]
    services = topo.services
    out["services"] = len(services)
    out["redundant"] = sum(1 for s in services if topo.is_redundant(s))

    times = []
    for service in rng.sample(services, min(samples, len(services))):
        _, elapsed = _timed(trace, topo, service)
        times.append(elapsed)
    out["trace"] = _quantiles(times)

    segments = [f"segment:{s.id}" for s in network.segments]
    times = []
    for segment in rng.sample(segments, min(samples, len(segments))):
        topo.clear_cache()
        _, elapsed = _timed(cut_impact, topo, [segment])
        times.append(elapsed)
    out["cut"] = _quantiles(times)
    hubs = {d.site for d in network.devices if d.role in ("core", "distribution")}
    backbone = sorted({f"segment:{s}" for c in network.cables if c.a.id in hubs and c.b.id in hubs
                       for s in c.segments})
    times = []
    for segment in rng.sample(backbone, min(samples, len(backbone))):
        topo.clear_cache()
        _, elapsed = _timed(cut_impact, topo, [segment])
        times.append(elapsed)
    out["cut_backbone"] = _quantiles(times)
    out["backbone_segments"] = len(backbone)
    topo.clear_cache()
    pairs = [rng.sample(segments, 2) for _ in range(max(1, samples // 4))]
    times = []
    for pair in pairs:
        topo.clear_cache()
        _, elapsed = _timed(cut_impact, topo, pair)
        times.append(elapsed)
    out["cut2"] = _quantiles(times)

    topo.clear_cache()
    sweep, out["sweep_s"] = _timed(cut_impacts, topo, segments)
    out["segments"] = len(segments)
    out["distinct_cuts"] = len({topo.removed_by([ref]) for ref in sweep})
    out["segments_offline"] = sum(1 for impact in sweep.values() if impact.offline)
    out["segments_degraded"] = sum(1 for impact in sweep.values() if impact.degraded)

    report, out["spof_s"] = _timed(single_points_of_failure, topo)
    out["levels"] = {level: sum(1 for s in report.services if s.level == level)
                     for level in ("redundant", "single", "disconnected")}
    deps, out["alerts_s"] = _timed(alert_dependencies, topo)
    out["devices"] = len(deps)

    pops = sorted({d.site for d in network.devices if d.role == "distribution"})
    pop_pairs = [rng.sample(pops, 2) for _ in range(max(2, samples // 10))]
    _timed(shortest_path, topo, *pop_pairs[0])  # builds the plant graph once
    out["shortest"] = _quantiles([_timed(shortest_path, topo, a, b)[1] for a, b in pop_pairs])
    results = [_timed(disjoint_paths, topo, a, b) for a, b in pop_pairs]
    out["disjoint"] = _quantiles([elapsed for _, elapsed in results])
    out["disjoint_found"] = sum(1 for r, _ in results if r.disjoint)

    out["rss_start_mb"] = rss_start
    out["rss_loaded_mb"] = rss_loaded
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    digest = hashlib.sha256()
    for ref, impact in sweep.items():
        digest.update(json.dumps([str(ref), impact.to_dict()], sort_keys=True).encode())
    digest.update(json.dumps(report.rows(), sort_keys=True).encode())
    digest.update(json.dumps([d.to_dict() for d in deps], sort_keys=True).encode())
    out["digest"] = digest.hexdigest()[:16]
    return out


def _ms(q: dict[str, float]) -> str:
    return f"{q['median'] * 1000:.2f} / {q['p95'] * 1000:.2f} / {q['max'] * 1000:.1f} ms"


def report(spec: SyntheticSpec, generate_s: float, size_mb: float, results: list[dict[str, Any]]) -> str:
    first = results[0]
    lines = [
        f"MetroNet topology benchmark — {spec.devices:,} devices, {spec.segments:,} route segments, "
        f"{spec.cables:,} cables, {spec.strands:,} strands (seed {spec.seed})",
        f"generated in {generate_s:.2f} s, JSON {size_mb:.1f} MB; {first['services']:,} organization sites "
        f"({first['redundant']:,} redundant), {first['devices']:,} devices",
        "",
    ]
    rows: list[tuple[str, list[str]]] = [
        ("load_json (parse + validate)", [f"{r['load_s']:.2f} s" for r in results]),
        ("build Topology (graph + baseline)", [f"{r['build_s']:.2f} s" for r in results]),
        ("trace, median / p95 / max", [_ms(r["trace"]) for r in results]),
        ("cut 1 segment, median / p95 / max", [_ms(r["cut"]) for r in results]),
        (f"cut 1 of {first['backbone_segments']:,} backbone segments", [_ms(r["cut_backbone"]) for r in results]),
        ("cut 2 segments, median / p95 / max", [_ms(r["cut2"]) for r in results]),
        (f"sweep: each of {first['segments']:,} segments", [f"{r['sweep_s']:.2f} s" for r in results]),
        ("  distinct cuts computed", [f"{r['distinct_cuts']:,}" for r in results]),
        ("SPOF report, all sites", [f"{r['spof_s']:.2f} s" for r in results]),
        ("alert dependencies, all devices", [f"{r['alerts_s']:.2f} s" for r in results]),
        ("shortest route POP→POP, median / p95 / max", [_ms(r["shortest"]) for r in results]),
        ("disjoint routes POP↔POP, median / p95 / max", [_ms(r["disjoint"]) for r in results]),
        ("RSS after load → peak", [f"{r['rss_loaded_mb']:.0f} → {r['peak_rss_mb']:.0f} MB" for r in results]),
        ("answers digest", [r["digest"] for r in results]),
    ]
    width = max(len(label) for label, _ in rows) + 2
    col = max(30, *(len(v) + 2 for _, values in rows for v in values))
    lines.append(" " * width + "".join(r["backend"].ljust(col) for r in results))
    lines += [label.ljust(width) + "".join(v.ljust(col) for v in values) for label, values in rows]
    lines.append("")
    for r in results:
        cut_ok = max(r["cut"]["max"], r["cut_backbone"]["max"]) < CUT_TARGET_S
        sweep_ok = r["sweep_s"] < SWEEP_TARGET_S
        lines.append(f"{r['backend']}: every timed cut {'meets' if cut_ok else 'MISSES'} "
                     f"< {CUT_TARGET_S * 1000:.0f} ms, "
                     f"sweep {'meets' if sweep_ok else 'MISSES'} < {SWEEP_TARGET_S:.0f} s; segments taking someone "
                     f"offline {r['segments_offline']:,}, degrading someone {r['segments_degraded']:,}; "
                     f"levels {r['levels']}; disjoint POP pairs {r['disjoint_found']}")
    same = len({r["digest"] for r in results}) == 1
    lines.append(f"both backends gave the same answers: {'yes' if same else 'NO'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor of the generated network")
    parser.add_argument("--samples", type=int, default=200, help="random traces and cuts to time")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="rustworkx,networkx")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.samples, args.seed)))
        return 0

    spec = SyntheticSpec(seed=args.seed)
    if args.scale != 1.0:
        spec = spec.scaled(args.scale)
    data, generate_s = _timed(synthetic_network, spec)
    results = []
    with tempfile.TemporaryDirectory(prefix="metronet-topology-bench-") as tmp:
        path = Path(tmp) / "network.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        del data
        for backend in args.backends.split(","):
            print(f"… {backend}", file=sys.stderr, flush=True)
            child = subprocess.run(
                [sys.executable, __file__, "--child", backend, "--data", str(path), "--samples", str(args.samples),
                 "--seed", str(args.seed)],
                capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return child.returncode
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print(report(spec, generate_s, size_mb, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
