"""Line protocol: types and escaping, checked by a real InfluxDB 1.6.7."""

from __future__ import annotations

import urllib.request

from metronet_collectors.lineprotocol import encode_point
from metronet_collectors.model import Point


def test_types_and_escaping():
    point = Point(
        "interface",
        {"device": "bil-core-1", "interface": "Gi0/1 uplink,a=b", "organization": "Město Bílina", "role": ""},
        {"in_octets": 2**64 - 1, "in_bps": 1.5e9, "oper_status": 1, "nan": float("nan"), "up": True},
        1_700_000_000_000_000_000,
    )
    assert encode_point(point) == (
        r"interface,device=bil-core-1,interface=Gi0/1\ uplink\,a\=b,organization=Město\ Bílina "
        f"in_bps=1500000000.0,in_octets={2**63 - 1}i,oper_status=1i,up=1i 1700000000000000000"
    )


def test_control_characters_and_trailing_backslash():
    point = Point("m", {"t": "a\nb\\"}, {"v": 1.0}, 1)
    assert encode_point(point) == r"m,t=a\ b_ v=1.0 1"
    assert encode_point(Point("m", {}, {"v": float("inf")}, 1)) is None


def test_real_influxdb_accepts_and_returns_czech_tags(influxdb, influx_db):
    tags = {
        "device": "bil-žst-1",
        "interface": "Gi0/1 → Řečiště, příčná",
        "organization": 'ZŠ "Za Chlumem"=Bílina',
        "site": "Mostecká 1",
    }
    point = Point("interface", tags, {"in_octets": 123, "in_bps": 4.5, "oper_status": 1}, 1_700_000_000_000_000_000)
    line = encode_point(point)
    assert line is not None
    request = urllib.request.Request(
        f"{influxdb.url}/write?db={influx_db}&precision=ns", data=line.encode("utf-8"), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
    (row,) = influxdb.rows('SELECT * FROM "interface"', influx_db)
    assert {k: row[k] for k in tags} == tags
    assert row["in_octets"] == 123 and row["in_bps"] == 4.5
    (fields,) = influxdb.query('SHOW FIELD KEYS FROM "interface"', influx_db)
    assert dict(fields["values"]) == {"in_bps": "float", "in_octets": "integer", "oper_status": "integer"}
