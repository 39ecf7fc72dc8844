"""A synthetic town network of any size, shaped like a real one, for benchmarks and demos.

::

    CORE-1 ═══ CORE-2                       two core sites, joined over two ducts
      ║ ╲       ╱ ║
      ║  ring r: CORE-1 ─ POP ─ POP ─ … ─ POP ─ CORE-2      backbone rings, some hops spliced in a
      ║                    │                               closure, some POPs with both ring directions
      ║                duct tree of the POP                 leaving through one duct (a classic trap)
      ║              ╱        │         ╲
      ║     feeder cable → closure → drop cables → organization sites (one access switch each)
      ║              some switches daisy-chained, some with a second uplink ("tail") to the next POP —
      ║              half of those tails leave the building through the same duct as the first uplink
      ║              a few organizations served straight from a POP port over a last-mile fiber
      ║              dark cables from POPs to spare closures; empty spare ducts

The result is JSON data for :func:`~metronet_topology.jsonio.load_json`. ``strand_count`` of the cables
adds up to :attr:`SyntheticSpec.strands`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

__all__ = ("SyntheticSpec", "synthetic_network")


@dataclass(frozen=True, slots=True)
class SyntheticSpec:
    """Sizes and shape of :func:`synthetic_network` (the defaults are the benchmark's network)."""

    devices: int = 5000
    segments: int = 20000
    cables: int = 20000
    strands: int = 50000
    rings: int = 12
    pops_per_ring: int = 10
    tail_share: float = 0.08
    fake_tail_share: float = 0.5
    daisy_share: float = 0.25
    last_mile_share: float = 0.05
    seed: int = 1

    def scaled(self, factor: float) -> SyntheticSpec:
        """The same shape at ``factor`` of the size (rings and POPs shrink with the square root)."""
        root = factor ** 0.5
        return SyntheticSpec(
            devices=max(20, round(self.devices * factor)), segments=max(60, round(self.segments * factor)),
            cables=max(40, round(self.cables * factor)), strands=max(100, round(self.strands * factor)),
            rings=max(2, round(self.rings * root)), pops_per_ring=max(2, round(self.pops_per_ring * root)),
            tail_share=self.tail_share, fake_tail_share=self.fake_tail_share, daisy_share=self.daisy_share,
            last_mile_share=self.last_mile_share, seed=self.seed,
        )


class _Builder:
    def __init__(self, spec: SyntheticSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.data: dict[str, list[Any]] = {k: [] for k in (
            "organizations", "sites", "closures", "segments", "cables", "splices", "devices", "links",
            "connections")}
        self.used: dict[str, int] = {}
        self.ports: dict[str, int] = {}
        self.cable_index: dict[str, dict[str, Any]] = {}

    def segment(self) -> str:
        seg_id = f"D{len(self.data['segments']) + 1:05d}"
        self.data["segments"].append({"id": seg_id, "kind": "duct", "length_m": round(self.rng.uniform(20, 400), 1)})
        return seg_id

    def site(self, site_id: str, org: str | None = None, town_part: str = "") -> str:
        entry: dict[str, Any] = {"id": site_id, "town_part": town_part}
        if org:
            self.data["organizations"].append({"id": org, "name": f"Organization {org}", "kind": "school"})
            entry["organizations"] = [org]
        self.data["sites"].append(entry)
        return site_id

    def closure(self, closure_id: str) -> dict[str, str]:
        self.data["closures"].append({"id": closure_id})
        return {"closure": closure_id}

    def device(self, device_id: str, site: str, role: str) -> str:
        self.data["devices"].append({"id": device_id, "site": site, "role": role})
        return device_id

    def port(self, device: str) -> dict[str, str]:
        self.ports[device] = self.ports.get(device, 0) + 1
        return {"device": device, "interface": f"Gi0/{self.ports[device]}"}

    def cable(self, a: dict[str, str], b: dict[str, str], segments: list[str]) -> str:
        cable_id = f"K{len(self.data['cables']) + 1:05d}"
        entry = {"id": cable_id, "a": a, "b": b, "segments": segments}
        self.data["cables"].append(entry)
        self.cable_index[cable_id] = entry
        self.used[cable_id] = 0
        return cable_id

    def strand(self, cable: str) -> dict[str, Any]:
        self.used[cable] += 1
        return {"cable": cable, "strand": self.used[cable]}

    def link(self, a: str, b: str, fibers: list[dict[str, Any]], closures: list[str]) -> None:
        for closure, (x, y) in zip(closures, zip(fibers, fibers[1:], strict=False), strict=True):
            self.data["splices"].append({"closure": closure, "a": x, "b": y})
        link_id = f"L{len(self.data['links']) + 1:05d}"
        self.data["links"].append({"id": link_id, "a": self.port(a), "b": self.port(b), "fibers": fibers})

    def patch(self, a: str, b: str) -> None:
        link_id = f"L{len(self.data['links']) + 1:05d}"
        self.data["links"].append({"id": link_id, "a": self.port(a), "b": self.port(b)})


class _DuctTree:
    """The ducts of one POP's area: chamber 0 is the POP, every other chamber has a duct to its parent."""

    def __init__(self, b: _Builder, size: int) -> None:
        self.parent = [0]
        self.duct = [""]
        self.depth = [0]
        for i in range(1, size + 1):
            p = b.rng.randint(max(0, i - 6), i - 1)
            self.parent.append(p)
            self.duct.append(b.segment())
            self.depth.append(self.depth[p] + 1)

    def up(self, i: int, stop: int = 0) -> list[str]:
        """Ducts from chamber ``i`` up to chamber ``stop`` (an ancestor)."""
        out = []
        while i != stop:
            out.append(self.duct[i])
            i = self.parent[i]
        return out

    def ancestors(self, i: int) -> list[int]:
        out = []
        while i:
            i = self.parent[i]
            out.append(i)
        return out

    def between(self, i: int, j: int) -> list[str]:
        above_j = set(self.ancestors(j)) | {j}
        meet = i
        while meet not in above_j:
            meet = self.parent[meet]
        return self.up(i, meet) + list(reversed(self.up(j, meet)))


def synthetic_network(spec: SyntheticSpec | None = None) -> dict[str, Any]:
    """Generate the network described by ``spec`` as JSON data (the whole shape is in the module docstring)::

        synthetic_network(SyntheticSpec().scaled(0.01))
          CORE-1 ══ CORE-2, 2 rings × 2 POPs, 50 devices, 200 segments, 200 cables, 500 strands
    """
    spec = spec or SyntheticSpec()
    b = _Builder(spec)
    rng = b.rng
    for core in ("CORE-1", "CORE-2"):
        b.site(core, town_part="centre")
        b.device(core.lower(), core, "core")
    for _ in range(2):
        cable = b.cable({"site": "CORE-1"}, {"site": "CORE-2"}, [b.segment() for _ in range(3)])
        b.link("core-1", "core-2", [b.strand(cable)], [])

    pops: list[tuple[str, list[str]]] = []
    for r in range(spec.rings):
        previous, previous_device, last_duct = "CORE-1", "core-1", ""
        ring_pops = [f"POP-{r + 1:02d}-{p + 1:02d}" for p in range(spec.pops_per_ring)]
        for name in [*ring_pops, "CORE-2"]:
            if name != "CORE-2":
                b.site(name, town_part=f"part-{r + 1}")
                devices = [b.device(f"agg-{name[4:].lower()}", name, "distribution")]
                if rng.random() < 0.25:
                    devices.append(b.device(f"dist-{name[4:].lower()}", name, "distribution"))
                    b.patch(devices[0], devices[1])
                pops.append((name, devices))
                device = devices[0]
            else:
                device = "core-2"
            ducts = [b.segment() for _ in range(rng.randint(3, 6))]
            if last_duct and rng.random() < 0.1:  # both ring directions leave `previous` through one duct
                ducts[0] = last_duct
            if rng.random() < 0.25:
                closure = f"C-R{len(b.data['closures']) + 1:05d}"
                cut = rng.randint(1, len(ducts) - 1)
                k1 = b.cable({"site": previous}, b.closure(closure), ducts[:cut])
                k2 = b.cable({"closure": closure}, {"site": name}, ducts[cut:])
                b.link(previous_device, device, [b.strand(k1), b.strand(k2)], [closure])
            else:
                b.link(previous_device, device, [b.strand(b.cable({"site": previous}, {"site": name}, ducts))], [])
            previous, previous_device, last_duct = name, device, ducts[-1]

    fixed = len(b.data["devices"])
    switches = max(0, spec.devices - fixed)
    tails = round(switches * spec.tail_share)
    last_miles = round(switches * spec.last_mile_share)
    tree_ducts = max(len(pops), spec.segments - len(b.data["segments"]) - 3 * tails)
    trees = [_DuctTree(b, max(1, tree_ducts // len(pops) - (1 if i < tree_ducts % len(pops) else 0) + 1))
             for i in range(len(pops))]
    feeders: list[dict[int, tuple[str, str]]] = []
    for (name, _), tree in zip(pops, trees, strict=True):
        chambers = [i for i in range(1, len(tree.parent)) if tree.depth[i] >= 2]
        points = rng.sample(chambers, min(len(chambers), max(1, len(tree.parent) // 40)))
        feeder: dict[int, tuple[str, str]] = {}
        for i in points:
            closure = f"C-F{len(b.data['closures']) + 1:05d}"
            feeder[i] = (b.cable({"site": name}, b.closure(closure), list(reversed(tree.up(i)))), closure)
        feeders.append(feeder)

    placed: list[list[tuple[str, str, int, int]]] = [[] for _ in pops]  # (device, site, chamber, depth)
    for n in range(switches):
        p = n % len(pops)
        (pop, pop_devices), tree = pops[p], trees[p]
        chamber = rng.randint(1, len(tree.parent) - 1)
        site = b.site(f"ORG-{n + 1:05d}", f"org-{n + 1:05d}", f"part-{p // spec.pops_per_ring + 1}")
        switch = b.device(f"acc-{n + 1:05d}", site, "access")
        b.data["connections"].append({"id": f"c-{n + 1:05d}", "organization": f"org-{n + 1:05d}", "site": site,
                                      "bandwidth_mbps": 1000})
        chain = [x for x in placed[p] if x[3] < 3]
        if chain and rng.random() < spec.daisy_share:
            up_device, up_site, up_chamber, up_depth = rng.choice(chain)
            ducts = tree.between(chamber, up_chamber) or [tree.duct[chamber]]
            b.link(up_device, switch, [b.strand(b.cable({"site": up_site}, {"site": site}, ducts))], [])
            placed[p].append((switch, site, chamber, up_depth + 1))
            continue
        up_device = rng.choice(pop_devices)
        point = next((a for a in [chamber, *tree.ancestors(chamber)] if a in feeders[p]), None)
        if point is None:
            cable = b.cable({"site": pop}, {"site": site}, list(reversed(tree.up(chamber))))
            b.link(up_device, switch, [b.strand(cable)], [])
        else:
            feeder_cable, closure = feeders[p][point]
            drop = b.cable({"closure": closure}, {"site": site}, list(reversed(tree.up(chamber, point))))
            b.link(up_device, switch, [b.strand(feeder_cable), b.strand(drop)], [closure])
        placed[p].append((switch, site, chamber, 1))

    for n, (switch, site, chamber, _) in enumerate(rng.sample([x for xs in placed for x in xs], tails)):
        p = next(i for i, xs in enumerate(placed) if any(x[0] == switch for x in xs))
        other_pop, other_devices = pops[(p + 1) % len(pops)]
        ducts = [b.segment() for _ in range(3)]
        if n < tails * spec.fake_tail_share:  # the second cable leaves the building in the first one's duct
            ducts[0] = trees[p].duct[chamber]
        b.link(other_devices[0], switch, [b.strand(b.cable({"site": other_pop}, {"site": site}, ducts))], [])

    for n in range(last_miles):
        p = rng.randrange(len(pops))
        (pop, pop_devices), tree = pops[p], trees[p]
        chamber = rng.randint(1, len(tree.parent) - 1)
        site = b.site(f"LM-{n + 1:05d}", f"lm-{n + 1:05d}", f"part-{p // spec.pops_per_ring + 1}")
        cable = b.cable({"site": site}, {"site": pop}, tree.up(chamber))
        b.data["connections"].append({"id": f"c-lm-{n + 1:05d}", "organization": f"lm-{n + 1:05d}", "site": site,
                                      "access": [b.port(pop_devices[0])], "fibers": [b.strand(cable)]})

    while len(b.data["cables"]) < spec.cables:  # dark cables to spare closures
        p = rng.randrange(len(pops))
        (pop, _), tree = pops[p], trees[p]
        chamber = rng.randint(1, len(tree.parent) - 1)
        closure = f"C-S{len(b.data['closures']) + 1:05d}"
        b.cable({"site": pop}, b.closure(closure), list(reversed(tree.up(chamber))))
    while len(b.data["segments"]) < spec.segments:  # empty spare ducts
        b.segment()

    counts = {cable: used + 1 for cable, used in b.used.items()}
    cables = list(counts)
    for i in range(max(0, spec.strands - sum(counts.values()))):
        counts[cables[(i * 7919) % len(cables)]] += 1
    for cable, count in counts.items():
        b.cable_index[cable]["strand_count"] = count
    return {**b.data, "core_sites": ["CORE-1", "CORE-2"]}
