"""The Bílina sample generator (pure Python, no Django): deterministic, committed output up to date, and the
generated network meets what the sample promises (real facts kept, [?] visible, synthetic plant complete).

The fiber paths are walked here on the plain data; ``netbox_metronet/tests/test_sample_load.py`` walks them
again in NetBox after loading.
"""

import csv
import datetime
import importlib.util
import math
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "netbox_plugin" / "netbox_metronet"
SAMPLE_DIR = PACKAGE / "sample_data"
CENTRE = (13.7761, 50.5481)
CORE_SITE = "mu-bilina"
TOWN_PARTS = {"Bílina", "Chudeřice", "Mostecké Předměstí", "Pražské Předměstí", "Teplické Předměstí",
              "Újezdské Předměstí"}


def load_module(name: str, path: Path):
    """Import a module from its file, without importing the ``netbox_metronet`` package (which needs Django)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generator = load_module("metronet_generate_bilina", SAMPLE_DIR / "generate_bilina.py")
ico = load_module("metronet_utils_ico", PACKAGE / "utils" / "ico.py")
geo = load_module("metronet_utils_geo", PACKAGE / "utils" / "geo.py")


@pytest.fixture(scope="module")
def text() -> str:
    return generator.generate()


@pytest.fixture(scope="module")
def data(text) -> dict:
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    with (SAMPLE_DIR / "bilina_organizations.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- determinism and the committed file ------------------------------------------------------------------------

def test_generator_is_deterministic(text):
    assert generator.generate() == text
    assert generator.build() == generator.build()


def test_committed_yaml_is_what_the_generator_writes(text):
    committed = (SAMPLE_DIR / "bilina.yaml").read_text(encoding="utf-8")
    assert committed == text, "bilina.yaml is out of date: run netbox_metronet/sample_data/generate_bilina.py"
    assert generator.main(["--check"]) == 0


def test_check_mode_detects_a_stale_file(tmp_path):
    stale = tmp_path / "bilina.yaml"
    stale.write_text("# old\n", encoding="utf-8")
    assert generator.main(["--check", "-o", str(stale)]) == 1


def test_yaml_reads_back_to_the_generated_data(data):
    assert data == generator.build()


def test_header_says_generated_and_synthetic(text):
    header = text.split("\n\n", 1)[0]
    assert "GENERATED FILE" in header and "generate_bilina.py" in header
    assert "SYNTHETIC" in header and "coordinate" in header and "fiber plant" in header


# --- real facts from the CSV -------------------------------------------------------------------------------------

def test_csv_copy_keeps_the_sources(csv_rows):
    assert len(csv_rows) == 26
    assert all(row["source"].startswith("http") for row in csv_rows)


def test_every_csv_row_is_a_site_with_its_real_address(data, csv_rows):
    sites = {s["comments"].split("\n")[0].removeprefix("Source row: "): s for s in data["sites"]}
    assert set(sites) == {row["name"] for row in csv_rows}
    for row in csv_rows:
        site = sites[row["name"]]
        assert site["physical_address"] == f"{row['street']}, {row['postcode']} {row['city']}"
        assert row["source"] in site["comments"]
        org = next(o for o in data["organizations"] if o["slug"] == site["tenant"])
        assert org["org_type"] == row["org_type"]


def test_unconfirmed_facts_stay_marked(data, csv_rows):
    """Rows whose name carries [?] keep the marker in the organization's description."""
    sites = {s["comments"].split("\n")[0].removeprefix("Source row: "): s for s in data["sites"]}
    orgs = {o["slug"]: o for o in data["organizations"]}
    for row in csv_rows:
        if "[?]" in row["name"]:
            assert "[?]" in orgs[sites[row["name"]]["tenant"]].get("description", ""), row["name"]
        if "[?]" in row["street"] + row["postcode"]:
            assert "[?]" in sites[row["name"]]["physical_address"]


def test_company_ids_only_where_a_source_gives_them(data):
    ids = {o["slug"]: o["company_id"] for o in data["organizations"] if "company_id" in o}
    assert ids == {"mesto-bilina": "00266230", "zus-bilina": "63788047"}
    assert all(ico.is_valid_ico(v) for v in ids.values())


def test_town_relations(data):
    orgs = {o["slug"]: o for o in data["organizations"]}
    assert orgs["mp-bilina"]["town_relation"] == "founded"  # a unit of the town
    for org in data["organizations"]:
        if "příspěvková organizace" in org["name"]:
            assert org["town_relation"] == "established", org["name"]


def test_town_parts_and_synthetic_coordinates(data):
    parts = [r for r in data["regions"] if r.get("parent") == "bilina"]
    assert {r["name"] for r in parts} == TOWN_PARTS
    part_slugs = {r["slug"] for r in parts}
    for site in data["sites"]:
        assert site["region"] in part_slugs
        assert geo.haversine_m(CENTRE, (site["longitude"], site["latitude"])) <= 2000, site["name"]
        assert "synthetic" in site["description"]


# --- the synthetic plant -----------------------------------------------------------------------------------------

def test_route_segments(data):
    for seg in data["route_segments"]:
        assert seg["kind"] in ("duct", "microduct")
        assert 100 <= geo.linestring_length_m(seg["geometry"]) <= 1500, seg["name"]


def test_cable_sizes_and_routes(data):
    segments = {s["name"]: s for s in data["route_segments"]}
    for cable in data["fiber_cables"]:
        backbone = cable["name"].startswith("BB-")
        assert cable["strand_count"] in ((72, 96) if backbone else (24, 48)), cable["name"]
        # consecutive segments meet (the route is continuous)
        ends = [segments[name]["geometry"]["coordinates"] for name in cable["segments"]]
        for first, second in zip(ends, ends[1:], strict=False):
            assert {tuple(first[0]), tuple(first[-1])} & {tuple(second[0]), tuple(second[-1])}, cable["name"]
        route = sum(geo.linestring_length_m(segments[n]["geometry"]) for n in cable["segments"])
        assert route < cable["length_m"] < route * 1.1 + 40


def test_ring_of_closures(data):
    ring = [c for c in data["fiber_cables"] if c["name"].startswith("BB-")]
    assert ring[0]["a_site"] == CORE_SITE and ring[-1]["b_site"] == CORE_SITE
    for first, second in zip(ring, ring[1:], strict=False):
        assert first["b_closure"] == second["a_closure"]
    assert 4 <= len(ring) - 1 <= 6


def test_connections_mix(data):
    connections = data["connections"]
    statuses = Counter(c["status"] for c in connections)
    assert statuses["cancelled"] == 1
    assert statuses["connected"] > len(connections) / 2
    assert statuses["construction"] and statuses["design"] and statuses["planned"]
    for c in connections:
        if c["status"] == "connected":
            assert datetime.date(2022, 1, 1) <= c["connected_date"] <= datetime.date(2024, 12, 31)
            assert c["access_interfaces"]
            assert c["site"] == CORE_SITE or c["strand"]
        elif c["status"] != "cancelled":
            assert c["planned_date"].year in (2025, 2026)
    assert {c["bandwidth_mbps"] for c in connections} == {100, 1000, 10000}


def org_states(data: dict, due: datetime.date) -> dict[str, bool]:
    """Organization -> connected at >= 1 Gbit/s by ``due`` (any of its sites)."""
    state = {o["slug"]: False for o in data["organizations"]}
    for c in data["connections"]:
        if c["status"] == "connected" and c["bandwidth_mbps"] >= 1000 and c["connected_date"] <= due:
            state[c["tenant"]] = True
    return state


def test_targets_overall_missed_schools_met(data):
    targets = {t["name"]: t for t in data["coverage_targets"]}
    overall = next(t for t in targets.values() if not t.get("org_types") and not t.get("town_relations"))
    state = org_states(data, overall["due_date"])
    assert sum(state.values()) < math.ceil(float(overall["share_percent"]) / 100 * len(state))
    schools = next(t for t in targets.values() if t.get("org_types") == ["school"])
    types = {o["slug"]: o["org_type"] for o in data["organizations"]}
    state = org_states(data, schools["due_date"])
    assert all(state[slug] for slug, kind in types.items() if kind == "school")


def test_connected_sites_have_a_spliced_path_to_the_core(data):
    cables = {c["name"]: c for c in data["fiber_cables"]}
    splices: dict[tuple[str, str, int], tuple[str, int]] = {}
    for s in data["splices"]:
        for a, b, *_loss in s["pairs"]:
            for key, other in (((s["closure"], s["a_cable"], a), (s["b_cable"], b)),
                               ((s["closure"], s["b_cable"], b), (s["a_cable"], a))):
                assert key not in splices, f"strand spliced twice: {key}"
                splices[key] = other
    terminated = {(t["cable"], n) for t in data["strand_terminations"]
                  for n in generator_numbers(t["strands"])}
    for c in data["connections"]:
        if c["status"] != "connected" or c["site"] == CORE_SITE:
            continue
        cable, number = c["strand"]["cable"], c["strand"]["number"]
        assert cables[cable]["b_site"] == c["site"]
        assert (cable, number) in terminated
        place_key = "a"
        for _hop in range(20):
            end = cables[cable]
            if f"{place_key}_site" in end:
                assert end[f"{place_key}_site"] == CORE_SITE
                assert (cable, number) in terminated
                break
            closure = end[f"{place_key}_closure"]
            cable, number = splices[(closure, cable, number)]
            place_key = "b" if cables[cable].get("a_closure") == closure else "a"
        else:
            pytest.fail(f"no path to the core from {c['site']}")


def generator_numbers(value) -> list[int]:
    first, _, last = str(value).partition("-")
    return list(range(int(first), int(last or first) + 1))
