"""Traces of services and alert dependency chains."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from topology_builders import MakeTopology, Plan, ring

from metronet_topology import (
    Connection,
    Endpoint,
    FiberHop,
    Link,
    Network,
    UnknownElementError,
    alert_dependencies,
    alert_dependencies_data,
    to_json,
    trace,
)
from metronet_topology.alerts import DependencyLabels, alert_dependency_labels
from metronet_topology.alerts import main as alerts_main
from metronet_topology.jsonio import load_json


def school_behind_a_closure() -> Network:
    """
    CORE[sw-core] ─K1: D1─ POP[sw-pop] ─K2: D2, D3─ closure C1 ─K3: D4─ ZS[sw-zs]  (zs)
    L1 = K1#1;  L2 = K2#4 spliced in C1 to K3#7. K2 is recorded from C1 (A end) to POP (B end) with its
    segments in that order (D3, D2), so on the way from the school to the core it is walked A → B.
    """
    plan = (Plan().site("CORE").device("sw-core", "CORE").site("POP").device("sw-pop", "POP")
            .site("ZS", "zs").device("sw-zs", "ZS").closure("C1")
            .cable("K1", "CORE", "POP", "D1").cable("K2", "C1", "POP", "D3", "D2").cable("K3", "C1", "ZS", "D4")
            .link("L1", "sw-core", "sw-pop", "K1").link("L2", "sw-pop", "sw-zs", "K2", "K3"))
    net = plan.build("CORE")
    data = to_json(net)
    data["links"][0]["fibers"] = [{"cable": "K1", "strand": 1}]
    data["links"][1]["fibers"] = [{"cable": "K2", "strand": 4}, {"cable": "K3", "strand": 7}]
    data["splices"] = [{"closure": "C1", "a": {"cable": "K2", "strand": 4}, "b": {"cable": "K3", "strand": 7}}]
    return load_json(data)


def test_trace_from_the_school_to_the_core(make: MakeTopology) -> None:
    """
    CORE[sw-core] ─K1#1: D1─ POP[sw-pop] ─K2#4: D2, D3─ closure C1 ─K3#7: D4─ ZS[sw-zs]
    traced from the school: in the building, then L2 back through C1 (K3#7 then K2#4), then L1
    """
    result = trace(make(school_behind_a_closure()), "zs@ZS")
    assert result.connected
    assert result.devices == ("sw-zs", "sw-pop", "sw-core")
    access, to_pop, to_core = result.hops
    assert (access.kind, access.source, access.target, access.legs) == ("access", "ZS", "sw-zs", ())
    assert (to_pop.link, to_pop.source, to_pop.target) == ("L2", "sw-zs", "sw-pop")
    assert [(leg.cable, leg.strand) for leg in to_pop.legs] == [("K3", 7), ("K2", 4)]
    assert to_pop.segments == ("D4", "D3", "D2")
    assert to_pop.closures == ("C1",)
    assert to_pop.length_m == 300.0
    assert (to_core.link, to_core.segments) == ("L1", ("D1",))
    assert [str(e) for e in result.elements] == [
        "site:CORE", "site:POP", "site:ZS", "closure:C1", "segment:D1", "segment:D2", "segment:D3", "segment:D4",
        "cable:K1", "cable:K2", "cable:K3", "device:sw-core", "device:sw-pop", "device:sw-zs", "link:L1", "link:L2",
    ]
    assert result.render().splitlines() == [
        "zs @ site ZS",
        "  ZS ─in building─▶ sw-zs",
        "  sw-zs ─link L2: K3#7 [D4] ⟶ closure C1 ⟶ K2#4 [D3, D2]─▶ sw-pop",
        "  sw-pop ─link L1: K1#1 [D1]─▶ sw-core",
    ]
    assert result.to_dict()["hops"][1]["closures"] == ["C1"]


def test_trace_of_a_last_mile_connection(make: MakeTopology) -> None:
    """
    CORE[sw0] ─K1─ POP[swp] ─(port Gi0/5)─ K9: D9 ─ MS   (no switch at the kindergarten)
    """
    plan = (Plan().site("CORE").device("sw0", "CORE").site("POP").device("swp", "POP").site("MS", "ms")
            .cable("K1", "CORE", "POP", "D1").cable("K9", "MS", "POP", "D9").link("L1", "sw0", "swp", "K1"))
    plan.connections.append(Connection("c-ms", "ms", "MS", (Endpoint("swp", "Gi0/5"),), (FiberHop("K9", 2),)))
    result = trace(make(plan.build("CORE")), "c-ms")
    assert [(h.kind, h.source, h.target) for h in result.hops] == [("access", "MS", "swp"), ("link", "swp", "sw0")]
    assert [(leg.cable, leg.strand, leg.segments) for leg in result.hops[0].legs] == [("K9", 2, ("D9",))]


def test_trace_of_a_cut_off_site_and_of_an_unknown_one(make: MakeTopology) -> None:
    """
    CORE[sw0]      X[swx] (ox)      no path to trace; and no service called "nope"
    """
    plan = Plan().site("CORE").device("sw0", "CORE").site("X", "ox").device("swx", "X")
    topo = make(plan.build("CORE"))
    result = trace(topo, "ox@X")
    assert not result.connected
    assert result.render() == "ox @ site X: no path to the core"
    with pytest.raises(UnknownElementError, match="unknown service 'nope'"):
        trace(topo, "nope")


def test_alert_dependencies_of_a_tree_and_a_ring(make: MakeTopology) -> None:
    """
    CORE[sw0] ─ S1[sw1] ─ S2[sw2] ─ S3[sw3] ─ S4[sw4] ─ S5[sw5] ─ CORE
                 └─ LEAF[swl] (one uplink, to sw1)
    sw3 is three links from the core both ways round: two parents, sw2 and sw4; its alert is
    suppressed only when both are down. The leaf's chain is swl → sw1 → sw0.
    """
    plan = ring(5).site("LEAF", "ol").device("swl", "LEAF").cable("KL", "LEAF", "S1", "DL")
    plan.link("LL", "swl", "sw1", "KL")
    deps = {d.device: d for d in alert_dependencies(make(plan.build("CORE")))}
    assert (deps["sw0"].depth, deps["sw0"].parents, deps["sw0"].chain) == (0, (), ())
    assert (deps["sw1"].depth, deps["sw1"].parents, deps["sw1"].chain) == (1, ("sw0",), ("sw0",))
    assert (deps["swl"].depth, deps["swl"].parents, deps["swl"].chain) == (2, ("sw1",), ("sw1", "sw0"))
    assert deps["sw3"].parents == ("sw2", "sw4")
    assert deps["sw3"].chain == ("sw2", "sw1", "sw0")
    # what each alert names: sw1 down takes its own site and the leaf behind it, the ring survives
    assert deps["sw1"].offline_organizations == ("o1", "ol")
    assert deps["sw3"].offline_organizations == ("o3",)
    assert deps["sw0"].offline_organizations == ("o1", "o2", "o3", "o4", "o5", "ol")


def test_alert_dependencies_export_plain_data(make: MakeTopology) -> None:
    """
    CORE[sw0] ─D1─ S1[sw1] ─D2─ CORE        ISLAND[sw-island] (no link: unreachable, no parents)
    """
    plan = ring(1).site("ISLAND").device("sw-island", "ISLAND")
    data = alert_dependencies_data(make(plan.build("CORE")))
    assert data[1] == {"device": "sw1", "site": "S1", "role": "access", "reachable": True, "depth": 1,
                       "parents": ["sw0"], "chain": ["sw0"], "offline_services": ["o1@S1"],
                       "offline_organizations": ["o1"]}
    assert data[2]["reachable"] is False and data[2]["depth"] is None and data[2]["parents"] == []


def _labelled_tree() -> Network:
    """
    CORE[core] ─L1: core Te1 → agg Te9─ POP[agg] ─L2: agg Gi1 → s1 Gi9─ S1[s1]   (o1)
                                            └──── L3: agg Gi2 → s2 Gi9─ S2[s2]   (o2)
    CORE[core] ─L4: core Te3 → mu Gi9─ MU[mu] (omu);  RING: core Te5 ─ r Te1, r Te2 ─ core Te6 (ring site R, or)
    """
    plan = Plan().site("CORE").device("core", "CORE").site("POP").device("agg", "POP")
    for site, org, dev in (("S1", "o1", "s1"), ("S2", "o2", "s2"), ("MU", "omu", "mu"), ("R", "or", "r")):
        plan.site(site, org).device(dev, site)
    plan.cable("K1", "CORE", "POP", "D1").cable("K2", "POP", "S1", "D2").cable("K3", "POP", "S2", "D3")
    plan.cable("K4", "CORE", "MU", "D4").cable("K5", "CORE", "R", "D5").cable("K6", "R", "CORE", "D6")
    for link, a, b, cable in (
        ("L1", ("core", "Te1"), ("agg", "Te9"), "K1"), ("L2", ("agg", "Gi1"), ("s1", "Gi9"), "K2"),
        ("L3", ("agg", "Gi2"), ("s2", "Gi9"), "K3"), ("L4", ("mu", "Gi9"), ("core", "Te3"), "K4"),
        ("L5", ("core", "Te5"), ("r", "Te1"), "K5"), ("L6", ("r", "Te2"), ("core", "Te6"), "K6"),
    ):
        plan.links.append(Link(link, Endpoint(*a), Endpoint(*b), (FiberHop(cable),)))
    network = plan.build("CORE")
    names = {"o1": "Gymnázium Bílina", "o2": "ZŠ Lidická", "omu": "Městský úřad Bílina", "or": "Nemocnice"}
    return replace(network, organizations=tuple(replace(o, name=names[o.id]) for o in network.organizations))


def test_alert_dependency_labels_of_a_tree_with_a_ring(make: MakeTopology) -> None:
    rows = {(r.device, r.interface): r for r in alert_dependency_labels(make(_labelled_tree()))}
    both = ("Gymnázium Bílina", "ZŠ Lidická")
    # devices: the feeder L1 (named by its core end) for everything behind it, parents up the usual path
    assert rows["agg", ""] == DependencyLabels("agg", "", "core", "core:Te1", both)
    assert rows["s1", ""] == DependencyLabels("s1", "", "agg", "core:Te1", ("Gymnázium Bílina",))
    assert rows["core", ""].upstream_link == "" and rows["core", ""].parent_device == ""
    # link ends: near end on the core side whatever the cabling order (L4 is cabled mu → core)
    assert rows["core", "Te1"] == DependencyLabels("core", "Te1", "core", "", both, "near")
    assert rows["agg", "Te9"] == DependencyLabels("agg", "Te9", "core", "core:Te1", both, "far")
    assert rows["agg", "Gi2"] == DependencyLabels("agg", "Gi2", "agg", "core:Te1", ("ZŠ Lidická",), "near")
    assert rows["core", "Te3"].link_end == "near" and rows["mu", "Gi9"].link_end == "far"
    assert rows["mu", "Gi9"].upstream_link == "core:Te3"
    # the ring: no single link cuts r off, so no upstream link and nobody offline when one side is cut
    assert rows["r", ""].upstream_link == "" and rows["r", ""].organizations == ("Nemocnice",)
    assert rows["core", "Te5"].organizations == () and rows["r", "Te1"].upstream_link == "core:Te5"
    assert len(rows) == 6 + 2 * 6


def test_alert_dependency_export_command(tmp_path: Path) -> None:
    """The command the collector's dependency file comes from: JSON and Prometheus text, Czech names kept."""
    (tmp_path / "net.json").write_text(json.dumps(to_json(_labelled_tree()), ensure_ascii=False), "utf-8")
    assert alerts_main(["export", "--network", str(tmp_path / "net.json"), "--out", str(tmp_path / "d.json")]) == 0
    document = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert document["format"] == "metronet-alert-dependencies/1"
    row = next(r for r in document["rows"] if (r["device"], r["interface"]) == ("agg", "Te9"))
    assert row == {"device": "agg", "interface": "Te9", "parent_device": "core", "upstream_link": "core:Te1",
                   "organizations": ["Gymnázium Bílina", "ZŠ Lidická"], "link_end": "far"}
    assert alerts_main(["export", "--network", str(tmp_path / "net.json"), "--format", "prom",
                        "--out", str(tmp_path / "d.prom")]) == 0
    text = (tmp_path / "d.prom").read_text(encoding="utf-8")
    assert ('metronet_topology_dependency_info{device="s1",parent_device="agg",upstream_link="core:Te1",'
            'organizations="Gymnázium Bílina"} 1') in text
    assert alerts_main(["export", "--network", str(tmp_path / "missing.json")]) == 2
