"""The JSON loader and the network checks: every error names the JSON path of the bad entry."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from topology_builders import ring

from metronet_topology import Endpoint, Link, Network, NetworkError, Site, load_json, to_json


def small() -> dict[str, Any]:
    """
    CORE[sw-core] ─K1: D-01─ closure C-1 ─K2: D-02, D-03─ ZS[sw-zs]     link L1 = K1#1 + K2#1
    """
    return {
        "organizations": [{"id": "zs", "name": "ZŠ Aléská", "kind": "school"}],
        "sites": [{"id": "CORE"}, {"id": "ZS", "organizations": ["zs"], "town_part": "Újezd"}],
        "closures": [{"id": "C-1"}],
        "segments": [{"id": "D-01", "length_m": 120.0}, {"id": "D-02"}, {"id": "D-03"}],
        "cables": [
            {"id": "K1", "a": {"site": "CORE"}, "b": {"closure": "C-1"}, "segments": ["D-01"], "strand_count": 12},
            {"id": "K2", "a": {"closure": "C-1"}, "b": {"site": "ZS"}, "segments": ["D-02", "D-03"],
             "strand_count": 12},
        ],
        "splices": [{"closure": "C-1", "a": {"cable": "K1", "strand": 1}, "b": {"cable": "K2", "strand": 1}}],
        "devices": [{"id": "sw-core", "site": "CORE", "role": "core"},
                    {"id": "sw-zs", "site": "ZS", "role": "access", "interfaces": ["Gi0/1", "Gi0/2"]}],
        "links": [{"id": "L1", "a": {"device": "sw-core", "interface": "Te1/0/1"},
                   "b": {"device": "sw-zs", "interface": "Gi0/1"},
                   "fibers": [{"cable": "K1", "strand": 1}, {"cable": "K2", "strand": 1}]}],
        "connections": [{"id": "c-1", "organization": "zs", "site": "ZS", "bandwidth_mbps": 1000}],
        "core_sites": ["CORE"],
    }


def errors_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(NetworkError) as raised:
        load_json(data)
    return list(raised.value.errors)


def test_valid_network_loads_and_round_trips(tmp_path: Path) -> None:
    """The network of ``small()`` loads from data, from a file path and back from ``to_json``."""
    net = load_json(small())
    assert [c.id for c in net.cables] == ["K1", "K2"]
    assert net.cable_length_m(net.cable_by_id["K1"]) == 120.0
    assert net.cable_length_m(net.cable_by_id["K2"]) is None  # D-02 has no length
    assert load_json(to_json(net)) == net
    path = tmp_path / "net.json"
    path.write_text(json.dumps(to_json(net)), encoding="utf-8")
    assert load_json(path) == net
    assert load_json(str(path)) == net


def test_unknown_segment_names_the_path() -> None:
    """K2 runs through D-02 and a duct D-07 that does not exist."""
    data = small()
    data["cables"][1]["segments"][1] = "D-07"
    assert errors_of(data) == ["cables[1].segments[1]: unknown segment 'D-07'"]


def test_error_message_lists_every_problem() -> None:
    """Two more cables (one a duplicate K1, one K4 through an unknown duct), a switch at an unknown site:
    all three reported at once, and the link on that switch not reported again."""
    data = small()
    data["cables"].extend([copy.deepcopy(data["cables"][0]), copy.deepcopy(data["cables"][0])])
    data["cables"][3]["id"] = "K4"
    data["cables"][3]["segments"] = ["D-01", "D-07"]
    data["devices"][1]["site"] = "NOWHERE"
    assert errors_of(data) == [
        "cables[2].id: duplicate cable 'K1' (first at cables[0])",
        "cables[3].segments[1]: unknown segment 'D-07'",
        "devices[1].site: unknown site 'NOWHERE'",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sites"][0].update(id=7), "sites[0].id: expected a string, got int 7"),
        (lambda d: d["sites"][1].update(nmae="x"),
         "sites[1].nmae: unknown field (expected one of id, name, organizations, town_part)"),
        (lambda d: d["cables"][0].pop("a"), "cables[0].a: missing"),
        (lambda d: d["cables"][0].update(a={"site": "CORE", "closure": "C-1"}),
         "cables[0].a: give exactly one of 'site' or 'closure'"),
        (lambda d: d["cables"][0].update(strand_count="12"), "cables[0].strand_count: expected an integer, got "
                                                             "the string '12'"),
        (lambda d: d["links"][0]["fibers"].__setitem__(1, 5),
         "links[0].fibers[1]: expected a cable id or {'cable': ..., 'strand': ...}, got int 5"),
        (lambda d: d.update(sites={}), "sites: expected a list, got an object"),
        (lambda d: d.pop("core_sites"), "core_sites: missing"),
        (lambda d: d.update(extra=1), "extra: unknown field (expected one of organizations, sites, closures, "
                                      "segments, cables, splices, devices, links, connections, core_sites, "
                                      "core_devices)"),
    ],
)
def test_shape_errors_name_the_path(change: Any, expected: str) -> None:
    """Wrong types, unknown or missing fields in ``small()``."""
    data = small()
    change(data)
    assert errors_of(data) == [expected]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sites"][1]["organizations"].append("ghost"), "sites[1].organizations[1]: unknown organization "
                                                                  "'ghost'"),
        (lambda d: d["cables"][0].update(b={"closure": "C-9"}), "cables[0].b: unknown closure 'C-9'"),
        (lambda d: d["links"][0]["fibers"].reverse(),
         "links[0].fibers[0]: cable 'K2' does not continue from site 'CORE' (its ends: closure 'C-1' / site 'ZS')"),
        (lambda d: d["links"][0]["fibers"].pop(),
         "links[0].fibers: the path ends at closure 'C-1', not at site 'ZS' of device 'sw-zs'"),
        (lambda d: d["links"][0]["fibers"][1].update(strand=13),
         "links[0].fibers[1].strand: cable 'K2' has strands 1..12, not 13"),
        (lambda d: d["links"][0]["fibers"][1].update(strand=2),
         "links[0].fibers[1]: strand K1#1 is spliced to K2#1 in closure 'C-1', not to K2#2"),
        (lambda d: d["links"][0]["b"].update(interface="Gi0/9"),
         "links[0].b.interface: device 'sw-zs' has no interface 'Gi0/9'"),
        (lambda d: d["links"][0].update(fibers=[]),
         "links[0].fibers: devices 'sw-core' (site 'CORE') and 'sw-zs' (site 'ZS') are at different sites; give "
         "the fibers of the path"),
        (lambda d: d["splices"][0]["b"].update(cable="K9"), "splices[0].b.cable: unknown cable 'K9'"),
        (lambda d: (d["organizations"].append({"id": "mu"}), d["sites"][0].update(organizations=["mu"]),
                    d["connections"][0].update(site="CORE")),
         "connections[0].site: site 'CORE' does not belong to organization 'zs'"),
        (lambda d: d["connections"][0].update(access=[{"device": "sw-core"}]),
         "connections[0].fibers: the access devices are at CORE, not at site 'ZS'; give the last-mile fibers"),
        (lambda d: d.update(core_sites=[]), "core_sites: name at least one core site"),
        (lambda d: d["cables"][1].update(b={"closure": "C-1"}),
         "cables[1].b: both ends are in closure 'C-1'; a cable runs between two places"),
    ],
)
def test_reference_errors_name_the_path(change: Any, expected: str) -> None:
    """Broken references and inconsistent paths in ``small()``::

        CORE[sw-core] ─K1: D-01─ closure C-1 ─K2: D-02, D-03─ ZS[sw-zs]     link L1 = K1#1 + K2#1
    """
    data = small()
    change(data)
    assert expected in errors_of(data)


def test_a_strand_carries_one_light_path() -> None:
    """A second link L2 from sw-core to a second switch at ZS over the same strands K1#1, K2#1 as L1."""
    data = small()
    data["devices"].append({"id": "sw-zs2", "site": "ZS"})
    data["links"].append({"id": "L2", "a": {"device": "sw-core"}, "b": {"device": "sw-zs2"},
                          "fibers": [{"cable": "K1", "strand": 1}, {"cable": "K2", "strand": 1}]})
    assert errors_of(data) == [
        "links[1].fibers[0].strand: strand K1#1 is already used by link 'L1'",
        "links[1].fibers[1].strand: strand K2#1 is already used by link 'L1'",
    ]


def test_not_json_and_not_an_object(tmp_path: Path) -> None:
    """A truncated file, then a JSON list instead of an object."""
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(NetworkError, match="not valid JSON"):
        load_json(path)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(NetworkError, match="the network must be a JSON object, got a list"):
        load_json(path)


def test_hand_built_network_round_trips() -> None:
    """CORE ─D1─ S1 ─D2─ S2 ─D3─ S3 ─D4─ CORE through JSON text and back."""
    net = ring(3).build("CORE")
    assert load_json(json.loads(json.dumps(to_json(net)))) == net


def test_network_built_in_code_is_checked_the_same_way() -> None:
    """The checks live in ``Network`` itself: a loader from NetBox gets the same messages."""
    with pytest.raises(NetworkError) as raised:
        Network(sites=(Site("A"),), core_sites=("A",),
                links=(Link("L1", Endpoint("sw-a"), Endpoint("sw-b")),))
    assert raised.value.errors == ("links[0].a.device: unknown device 'sw-a'",
                                   "links[0].b.device: unknown device 'sw-b'")
    assert "2 error(s) in the network data" in str(raised.value)
