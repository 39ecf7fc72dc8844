"""Cut impact on hand-made networks whose answer is drawn in each test."""

from __future__ import annotations

import pytest
from topology_builders import MakeTopology, Plan, ring

from metronet_topology import ElementKind, ElementRef, UnknownElementError, cut_impact, cut_impacts


def ids(services: tuple[object, ...]) -> list[str]:
    return sorted(s.id for s in services)  # type: ignore[attr-defined]


def test_ring_cut_once_keeps_everyone_but_everyone_loses_redundancy(make: MakeTopology) -> None:
    """
    CORE[sw0] ─D1─ S1 ─D2─ S2 ─D3─ S3 ─D4─ S4 ─D5─ S5 ─D6─ CORE
                       ✂
    Cutting D2 leaves every site connected around the other side, but each one now hangs on a chain.
    """
    topo = make(ring(5).build("CORE"))
    assert all(topo.is_redundant(s) for s in topo.services)
    impact = cut_impact(topo, ["segment:D2"])
    assert impact.offline == ()
    assert ids(impact.degraded) == ["o1@S1", "o2@S2", "o3@S3", "o4@S4", "o5@S5"]
    assert impact.cables_cut == ("K2",)
    assert impact.links_cut == ("L2",)
    assert impact.devices_unreachable == ()
    # S2 and S3 reached the core through S1 (fewest hops); they now go round the other way
    assert ids(impact.rerouted) == ["o2@S2", "o3@S3"]


def test_ring_cut_twice_isolates_the_arc_between_the_cuts(make: MakeTopology) -> None:
    """
    CORE[sw0] ─D1─ S1 ─D2─ S2 ─D3─ S3 ─D4─ S4 ─D5─ S5 ─D6─ CORE
                       ✂    └─ isolated ─┘ ✂
    S2 and S3 are offline; S1, S4, S5 stay connected but lose their second way.
    """
    topo = make(ring(5).build("CORE"))
    impact = cut_impact(topo, ["segment:D2", "segment:D4"])
    assert ids(impact.offline) == ["o2@S2", "o3@S3"]
    assert impact.offline_organizations == ("o2", "o3")
    assert ids(impact.degraded) == ["o1@S1", "o4@S4", "o5@S5"]
    assert impact.devices_unreachable == ("sw2", "sw3")
    assert impact.devices_down == ()


def test_shared_duct_makes_two_redundant_cables_one_failure(make: MakeTopology) -> None:
    """
                 ┌─ K1: D1, D9 ─┐
    CORE[sw0] ───┤   (L1)        ├─── SCHOOL[sw1]   two links, two cables... one duct D9
                 └─ K2: D2, D9 ─┘
                       (L2)
    Cutting D9 cuts both cables, so the school goes offline; D1 alone only reroutes it.
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("SCHOOL", "zs").device("sw1", "SCHOOL")
            .cable("K1", "CORE", "SCHOOL", "D1", "D9").cable("K2", "CORE", "SCHOOL", "D2", "D9")
            .link("L1", "sw0", "sw1", "K1").link("L2", "sw0", "sw1", "K2"))
    topo = make(plan.build("CORE"))
    impact = cut_impact(topo, ["segment:D9"])
    assert impact.cables_cut == ("K1", "K2")
    assert impact.links_cut == ("L1", "L2")
    assert ids(impact.offline) == ["zs@SCHOOL"]
    assert not topo.is_redundant("zs@SCHOOL")
    one = cut_impact(topo, ["segment:D1"])
    assert one.offline == () and one.degraded == ()  # it had no redundancy to lose
    assert ids(one.rerouted) == ["zs@SCHOOL"]


def test_separate_ducts_are_redundant_and_one_cut_only_degrades(make: MakeTopology) -> None:
    """
                 ┌─ K1: D1 ─┐
    CORE[sw0] ───┤          ├─── SCHOOL[sw1]     the same, but in two ducts
                 └─ K2: D2 ─┘
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("SCHOOL", "zs").device("sw1", "SCHOOL")
            .cable("K1", "CORE", "SCHOOL", "D1").cable("K2", "CORE", "SCHOOL", "D2")
            .link("L1", "sw0", "sw1", "K1").link("L2", "sw0", "sw1", "K2"))
    topo = make(plan.build("CORE"))
    assert topo.is_redundant("zs@SCHOOL")
    impact = cut_impact(topo, ["segment:D2"])
    assert impact.offline == ()
    assert ids(impact.degraded) == ["zs@SCHOOL"]


def test_closure_cut_cuts_every_cable_ending_in_it(make: MakeTopology) -> None:
    """
                                   ┌─ K2 ── A[swa]   (oa)
    CORE[sw0] ── K1 ── closure C1 ─┤
                                   └─ K3 ── B[swb]   (ob)
    POP ── K4 (D4, passes near C1 but does not end in it) ── B

    Cutting C1 cuts K1, K2, K3 — and with them both links — but not K4.
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("A", "oa").device("swa", "A")
            .site("B", "ob").device("swb", "B").closure("C1")
            .cable("K1", "CORE", "C1", "D1").cable("K2", "C1", "A", "D2").cable("K3", "C1", "B", "D3")
            .cable("K4", "CORE", "B", "D4")
            .link("LA", "sw0", "swa", "K1", "K2").link("LB", "sw0", "swb", "K1", "K3"))
    topo = make(plan.build("CORE"))
    impact = cut_impact(topo, ["closure:C1"])
    assert impact.cables_cut == ("K1", "K2", "K3")
    assert impact.links_cut == ("LA", "LB")
    assert ids(impact.offline) == ["oa@A", "ob@B"]
    assert impact.devices_unreachable == ("swa", "swb")


def test_site_cut_takes_its_devices_and_cables(make: MakeTopology) -> None:
    """
    CORE[sw0] ── K1 ── POP[swp] ── K2 ── A[swa]
                         └─────── K3 ── B[swb]
    Losing the POP building: its switch is down, A and B unreachable, every cable ending there cut.
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("POP").device("swp", "POP")
            .site("A", "oa").device("swa", "A").site("B", "ob").device("swb", "B")
            .cable("K1", "CORE", "POP", "D1").cable("K2", "POP", "A", "D2").cable("K3", "POP", "B", "D3")
            .link("L1", "sw0", "swp", "K1").link("L2", "swp", "swa", "K2").link("L3", "swp", "swb", "K3"))
    topo = make(plan.build("CORE"))
    impact = cut_impact(topo, [ElementRef(ElementKind.SITE, "POP")])
    assert impact.devices_down == ("swp",)
    assert impact.devices_unreachable == ("swa", "swb")
    assert impact.cables_cut == ("K1", "K2", "K3")
    assert ids(impact.offline) == ["oa@A", "ob@B"]
    device = cut_impact(topo, ["device:swp"])
    assert device.cables_cut == () and device.links_cut == ()
    assert ids(device.offline) == ["oa@A", "ob@B"]


def test_cutting_an_organizations_own_building_takes_it_offline(make: MakeTopology) -> None:
    """
    CORE[sw0] ─D1─ S1 ─D2─ S2 ─D3─ CORE        S1 burns: o1 offline (the building is gone),
                                                 o2 stays connected over D3 but loses its way via S1.
    """
    topo = make(ring(2).build("CORE"))
    impact = cut_impact(topo, ["site:S1"])
    assert ids(impact.offline) == ["o1@S1"]
    assert ids(impact.degraded) == ["o2@S2"]


def test_last_mile_fiber_from_a_pop_switch(make: MakeTopology) -> None:
    """
    CORE[sw0] ── K1 ── POP[swp] ── K9 (D9) ── MS (kindergarten, no switch of its own)
    The kindergarten is served by a port of swp over K9: cutting D9 takes it offline, nothing else.
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("POP").device("swp", "POP").site("MS", "ms")
            .cable("K1", "CORE", "POP", "D1").cable("K9", "MS", "POP", "D9")
            .link("L1", "sw0", "swp", "K1").connection("c-ms", "ms", "MS", access=("swp",), fibers=("K9",)))
    topo = make(plan.build("CORE"))
    assert [s.id for s in topo.services] == ["c-ms"]
    impact = cut_impact(topo, ["segment:D9"])
    assert ids(impact.offline) == ["c-ms"]
    assert impact.links_cut == () and impact.devices_unreachable == ()
    assert ids(cut_impact(topo, ["device:swp"]).offline) == ["c-ms"]


def test_planned_connections_are_not_services(make: MakeTopology) -> None:
    """
    CORE[sw0] ─K1: D1─ S[sw1]   connection c1 of o at S is only *planned*: not a service, so no cut takes
                                it offline — unless the options count planned connections too
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("S", "o").device("sw1", "S")
            .cable("K1", "CORE", "S", "D1").link("L1", "sw0", "sw1", "K1")
            .connection("c1", "o", "S", status="planned"))
    assert make(plan.build("CORE")).services == ()
    topo = make(plan.build("CORE"), service_statuses=frozenset({"planned", "connected"}))
    assert ids(cut_impact(topo, ["segment:D1"]).offline) == ["c1"]


def test_unknown_element_is_named(make: MakeTopology) -> None:
    """
    CORE ─D1─ S1 ─D2─ S2 ─D3─ CORE      there is no D-99, and "duct" is not a kind of element
    """
    topo = make(ring(2).build("CORE"))
    with pytest.raises(UnknownElementError, match="unknown segment 'D-99'"):
        cut_impact(topo, ["segment:D-99"])
    with pytest.raises(ValueError, match="unknown kind 'duct'"):
        cut_impact(topo, ["duct:D1"])


def test_cut_impacts_of_every_segment(make: MakeTopology) -> None:
    """
    CORE ─D1─ S1 ─D2─ S2 ─D3─ CORE      every duct of a 2-site ring: nobody offline, both lose redundancy
    """
    topo = make(ring(2).build("CORE"))
    result = cut_impacts(topo, ["segment:D1", "segment:D2", "segment:D3"])
    assert list(result) == [ElementRef(ElementKind.SEGMENT, d) for d in ("D1", "D2", "D3")]
    for impact in result.values():
        assert impact.offline == ()
        assert ids(impact.degraded) == ["o1@S1", "o2@S2"]
    assert result[ElementRef(ElementKind.SEGMENT, "D2")].to_dict()["cables_cut"] == ["K2"]
