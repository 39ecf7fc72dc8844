"""Shortest and physically disjoint routes through the plant between two sites."""

from __future__ import annotations

import random

import pytest
from topology_builders import MakeTopology, Plan, random_network

from metronet_topology import ElementKind, ElementRef, UnknownElementError, disjoint_paths, shortest_path


def two_sites(*cables: tuple[str, tuple[str, ...]]) -> Plan:
    plan = Plan().site("A").site("B")
    for cable_id, segments in cables:
        plan.cable(cable_id, "A", "B", *segments)
    return plan


def test_disjoint_paths_refused_when_they_share_a_duct(make: MakeTopology) -> None:
    """
    A ═K1: D1, D7═ B
    A ═K2: D2, D7═ B      both cables run through duct D7: not disjoint, and D7 is the reason
    """
    topo = make(two_sites(("K1", ("D1", "D7")), ("K2", ("D2", "D7"))).build("A"))
    result = disjoint_paths(topo, "A", "B")
    assert not result.disjoint
    assert result.first is not None and result.first.cables == ("K1",)
    assert result.second is None
    assert [str(e) for e in result.shared] == ["segment:D7"]


def test_disjoint_paths_found_over_separate_ducts(make: MakeTopology) -> None:
    """
    A ═K1: D1, D7═ B
    A ═K2: D2, D7═ B
    A ═K3: D3══════ B      K3 shares nothing with K1: the pair is K1 + K3
    """
    topo = make(two_sites(("K1", ("D1", "D7")), ("K2", ("D2", "D7")), ("K3", ("D3",))).build("A"))
    result = disjoint_paths(topo, "A", "B")
    assert result.disjoint
    assert result.first is not None and result.second is not None
    assert {result.first.cables, result.second.cables} == {("K1",), ("K3",)}
    assert result.to_dict()["shared"] == []


def test_a_shared_closure_is_not_disjoint(make: MakeTopology) -> None:
    """
    A ─K1: D1─ closure C ─K2: D2─ B
    A ─K3: D3─ closure C ─K4: D4─ B      separate ducts, but both routes are spliced in C
    """
    plan = (Plan().site("A").site("B").closure("C").cable("K1", "A", "C", "D1").cable("K2", "C", "B", "D2")
            .cable("K3", "A", "C", "D3").cable("K4", "C", "B", "D4"))
    result = disjoint_paths(make(plan.build("A")), "A", "B")
    assert result.second is None
    assert [str(e) for e in result.shared] == ["closure:C"]


def test_trap_topology_still_finds_the_pair(make: MakeTopology) -> None:
    """The shortest route A─X─Y─B blocks every partner; avoiding X─Y gives A─X─B and A─Y─B.

    A ──1── X ──1── Y ──1── B
    │        └──────5───────┘ (X─B)
    └───────5───────┘          (A─Y)
    """
    plan = Plan().site("A").site("X").site("Y").site("B")
    for cable_id, a, b, length in (("AX", "A", "X", 1.0), ("XY", "X", "Y", 1.0), ("YB", "Y", "B", 1.0),
                                   ("XB", "X", "B", 5.0), ("AY", "A", "Y", 5.0)):
        plan.cable(cable_id, a, b, f"D-{cable_id}", length=length)
    result = disjoint_paths(make(plan.build("A")), "A", "B")
    assert result.first is not None and result.second is not None
    assert {result.first.cables, result.second.cables} == {("AX", "XB"), ("AY", "YB")}


def test_shortest_path_by_length_and_with_an_avoided_segment(make: MakeTopology) -> None:
    """
    A ─K1 (400 m): D1─ closure C ─K2 (300 m): D2─ B
    └────────────────K3 (500 m): D3─────────────┘
    """
    plan = (Plan().site("A").site("B").closure("C").cable("K1", "A", "C", "D1", length=400.0)
            .cable("K2", "B", "C", "D2", length=300.0).cable("K3", "A", "B", "D3", length=500.0))
    topo = make(plan.build("A"))
    direct = shortest_path(topo, "A", "B")
    assert direct is not None and direct.cables == ("K3",) and direct.length_m == 500.0
    around = shortest_path(topo, "A", "B", avoid=["segment:D3"])
    assert around is not None
    assert (around.cables, around.closures, around.segments, around.length_m) == (("K1", "K2"), ("C",),
                                                                                  ("D1", "D2"), 700.0)
    assert shortest_path(topo, "A", "B", avoid=["segment:D3", "closure:C"]) is None
    with pytest.raises(UnknownElementError, match="unknown site 'Q'"):
        shortest_path(topo, "A", "Q")


@pytest.mark.parametrize("seed", range(12))
def test_disjoint_routes_share_nothing_and_shared_elements_separate(make: MakeTopology, seed: int) -> None:
    """On random plants with few ducts shared by many cables: a pair returned shares no cable, duct,
    closure or inner site; when none is returned, each element in ``shared`` really lies on every route
    (avoiding it leaves no route at all)."""
    net = random_network(seed)
    topo = make(net)
    rng = random.Random(seed)
    sites = [s.id for s in net.sites]
    for a, b in (rng.sample(sites, 2) for _ in range(6)):
        result = disjoint_paths(topo, a, b)
        ends = {ElementRef(ElementKind.SITE, a), ElementRef(ElementKind.SITE, b)}
        if result.first is None:
            assert shortest_path(topo, a, b) is None
            continue
        if result.second is not None:
            assert not (set(result.first.elements) & set(result.second.elements)) - ends
            assert result.first.places[0].id == a and result.second.places[-1].id == b
        for element in result.shared:
            assert shortest_path(topo, a, b, avoid=[element]) is None, element
