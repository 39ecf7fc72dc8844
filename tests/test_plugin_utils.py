"""Django-free helpers of the plugin: IČO checksum, IEC 60304 colours, GeoJSON validation and length."""

import math

import pytest

from netbox_metronet.utils.colours import strand_colour
from netbox_metronet.utils.geo import GeometryError, haversine_m, linestring_length_m, validate_linestring
from netbox_metronet.utils.ico import ico_error, is_valid_ico


@pytest.mark.parametrize("ico", ["00266230", "63788047", "25596641"])
def test_valid_icos(ico):
    assert is_valid_ico(ico)


def test_ico_checksum_error_names_expected_digit():
    # 0026623x: weighted sum 78 -> check digit (11 - 78 % 11) % 10 = 0
    assert ico_error("00266231") == "IČO 00266231 fails its checksum (last digit should be 0)"


@pytest.mark.parametrize("bad", ["", "1234567", "123456789", "0026623a", "００２６６２３０"])
def test_ico_must_be_eight_ascii_digits(bad):
    assert "exactly 8 digits" in ico_error(bad)


def test_ico_check_digit_edge_cases():
    # s % 11 == 1 -> (11 - 1) % 10 = 0 (Bílina's 00266230: s = 78)
    assert is_valid_ico("00266230")
    # s % 11 == 0 -> (11 - 0) % 10 = 1: 0000000x has s = 0
    assert is_valid_ico("00000001")
    assert not is_valid_ico("00000000")
    # 1234567x: 8+14+18+20+20+18+14 = 112, 112 % 11 = 2, (11 - 2) % 10 = 9
    assert is_valid_ico("12345679")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, (1, "blue", "blue", "0000ff")),
        (12, (1, "blue", "aqua", "00ffff")),
        (13, (2, "orange", "blue", "0000ff")),
        (30, (3, "green", "white", "ffffff")),
        (144, (12, "aqua", "aqua", "00ffff")),
        (145, (13, "blue", "blue", "0000ff")),
    ],
)
def test_iec60304_colours(number, expected):
    assert strand_colour(number) == expected


def test_strand_numbers_start_at_one():
    with pytest.raises(ValueError, match="start at 1"):
        strand_colour(0)


def test_haversine_one_degree_of_latitude():
    # One degree of latitude on the mean-radius sphere: 2*pi*R/360 = 111195.08 m
    assert haversine_m((13.0, 50.0), (13.0, 51.0)) == pytest.approx(2 * math.pi * 6_371_008.8 / 360, rel=1e-9)


def test_linestring_length_sums_legs():
    a, b, c = (13.7761, 50.5481), (13.7761, 50.5491), (13.7771, 50.5491)
    geometry = {"type": "LineString", "coordinates": [list(a), list(b), list(c)]}
    assert linestring_length_m(geometry) == pytest.approx(haversine_m(a, b) + haversine_m(b, c))
    # 0.001 deg of latitude = 111.195 m
    assert haversine_m(a, b) == pytest.approx(111.195, abs=0.01)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ([13.7, 50.5], "must be a GeoJSON object"),
        ({"type": "Point", "coordinates": [13.7, 50.5]}, "must be LineString, got 'Point'"),
        ({"type": "LineString", "coordinates": [[13.7, 50.5]]}, "at least two positions"),
        ({"type": "LineString", "coordinates": [[13.7, 50.5], [13.7, 95.0]]}, "position 2 [13.7, 95.0] is outside"),
        ({"type": "LineString", "coordinates": [[13.7, 50.5], ["13.7", 50.6]]}, "position 2 must be"),
        ({"type": "LineString", "coordinates": [[13.7, 50.5], [13.7, 50.5]]}, "same point"),
    ],
)
def test_invalid_geometries_are_explained(geometry, message):
    with pytest.raises(GeometryError) as err:
        validate_linestring(geometry)
    assert message in str(err.value)
