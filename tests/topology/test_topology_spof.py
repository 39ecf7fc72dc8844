"""Single points of failure and the redundancy score."""

from __future__ import annotations

from topology_builders import MakeTopology, Plan, ring

from metronet_topology import single_points_of_failure


def star() -> Plan:
    """
                 ┌─ K1 (D1) ── A[swa]  oa
    CORE[sw0] ───┼─ K2 (D2) ── B[swb]  ob
                 └─ K3 (D3) ── C[swc]  oc
    """
    plan = Plan().site("CORE").device("sw0", "CORE")
    for i, name in enumerate("ABC", start=1):
        low = name.lower()
        plan.site(name, f"o{low}").device(f"sw{low}", name)
        plan.cable(f"K{i}", "CORE", name, f"D{i}").link(f"L{i}", "sw0", f"sw{low}", f"K{i}")
    return plan


def test_star_leaf_uplink_is_a_single_point_of_failure(make: MakeTopology) -> None:
    """Leaf A hangs on one uplink: its link, cable and duct are single points of failure; its own
    building and switch are left out (premises), as is the core."""
    topo = make(star().build("CORE"))
    report = single_points_of_failure(topo)
    a = next(s for s in report.services if s.service.site == "A")
    assert [str(e) for e in a.spofs] == ["segment:D1", "cable:K1", "link:L1"]
    assert a.level == "single"
    assert a.score == 0.0  # every element on its path (outside premises and core) is a SPOF


def test_premises_and_core_count_when_asked(make: MakeTopology) -> None:
    """
    CORE[sw0] ── K1 (D1) ── A[swa]    with premises and core counted, A's building and switch and the core
                                      building and switch join the uplink as single points of failure
    """
    topo = make(star().build("CORE"), include_premises=True, include_core=True)
    spofs = [str(e) for e in topo.spof_elements("oa@A")]
    assert spofs == ["site:A", "site:CORE", "segment:D1", "cable:K1", "device:sw0", "device:swa", "link:L1"]


def test_ring_has_no_spof_outside_the_premises(make: MakeTopology) -> None:
    """
    CORE ─D1─ S1 ─D2─ S2 ─D3─ S3 ─D4─ CORE      everyone redundant, score 1.0
    """
    report = single_points_of_failure(make(ring(3).build("CORE")))
    assert [(s.service.id, s.level, s.score) for s in report.services] == [
        ("o1@S1", "redundant", 1.0), ("o2@S2", "redundant", 1.0), ("o3@S3", "redundant", 1.0),
    ]
    assert report.critical_elements() == ()


def test_ring_with_a_shared_duct_at_the_pop(make: MakeTopology) -> None:
    """Both directions of the ring leave S1 through duct X: X is a SPOF of S1's organization only.

    CORE ─K1: D1─ S1 ─K2: X, D2─ S2 ─K3: D3─ CORE
                   └──── and K1 also runs through X (K1: X, D1)
    """
    plan = ring(2).reroute("K1", "D1", "X").reroute("K2", "X", "D2")
    topo = make(plan.build("CORE"))
    assert [str(e) for e in topo.spof_elements("o1@S1")] == ["segment:X"]
    assert topo.spof_elements("o2@S2") == ()
    report = single_points_of_failure(topo)
    o1 = next(s for s in report.services if s.service.id == "o1@S1")
    assert o1.level == "single"
    assert 0.0 < o1.score < 1.0
    assert [(str(e), [s.id for s in svc]) for e, svc in report.critical_elements()] == [("segment:X", ["o1@S1"])]


def test_by_organization_takes_the_worst_site(make: MakeTopology) -> None:
    """Organization o has a redundant site R (on the ring) and a leaf site L::

        CORE ─D1─ R[swr] ─D2─ CORE        L[swl] ─K3: D3─ R
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("R", "o").device("swr", "R")
            .site("L", "o").device("swl", "L")
            .cable("K1", "CORE", "R", "D1").cable("K2", "R", "CORE", "D2").cable("K3", "L", "R", "D3")
            .link("L1", "sw0", "swr", "K1").link("L2", "swr", "sw0", "K2").link("L3", "swl", "swr", "K3"))
    report = single_points_of_failure(make(plan.build("CORE")))
    (org,) = report.by_organization()
    assert org.organization == "o"
    assert org.level == "single"
    assert [s.service.site for s in org.sites] == ["L", "R"]
    assert "segment:D3" in [str(e) for e in org.spofs]
    rows = report.rows()
    assert rows[1]["site"] == "R" and rows[1]["level"] == "redundant" and rows[1]["spof_count"] == 0


def test_disconnected_site_scores_zero(make: MakeTopology) -> None:
    """
    CORE[sw0]      X[swx] (ox)      no link at all: reported as disconnected, score 0, not ignored
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("X", "ox").device("swx", "X"))
    report = single_points_of_failure(make(plan.build("CORE")))
    (x,) = report.services
    assert (x.level, x.score, x.spofs) == ("disconnected", 0.0, ())
