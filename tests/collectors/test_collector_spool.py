"""The on-disk spool: order, durability across restarts, torn writes, the disk bound."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from metronet_collectors.config import ConfigError, parse_config
from metronet_collectors.spool import Spool


def lines(start: int, n: int) -> list[str]:
    return [f"interface,device=bil-core-1,interface=xe-0/0/1 in_octets={i}i {i}" for i in range(start, start + n)]


def drain(spool: Spool, max_lines: int = 7) -> list[str]:
    out: list[str] = []
    while (batch := spool.read_batch(max_lines)) is not None:
        out.extend(batch.lines)
        spool.commit(batch)
    return out


# compressed records of these lines are ~5× smaller: segments and bounds shrink with them
SIZES = pytest.mark.parametrize("compress,scale", [(False, 1), (True, 8)], ids=["plain", "zlib"])


@SIZES
def test_in_order_across_segments_and_segments_are_deleted(tmp_path: Path, compress: bool, scale: int):
    spool = Spool(tmp_path, max_bytes=1 << 20, segment_bytes=4096 // scale, compress=compress)
    for k in range(50):
        spool.append([lines(k * 10, 10)])
    assert len(list(tmp_path.glob("seg-*.log"))) > 3
    assert spool.pending_points == 500
    assert drain(spool) == lines(0, 500)
    assert spool.pending_points == 0
    assert len(list(tmp_path.glob("seg-*.log"))) == 1


def test_restart_resumes_at_the_cursor(tmp_path: Path):
    spool = Spool(tmp_path, segment_bytes=4096)
    spool.append([lines(0, 30), lines(30, 30)])
    batch = spool.read_batch(30)
    assert batch is not None and batch.lines == lines(0, 30)
    spool.commit(batch)
    unacknowledged = spool.read_batch(30)  # read but not committed: must come back after a crash
    assert unacknowledged is not None
    del spool  # no close(): as after kill -9

    again = Spool(tmp_path, segment_bytes=4096)
    assert again.pending_points == 30
    again.append([lines(60, 5)])
    assert drain(again) == lines(30, 35)


def test_torn_tail_is_cut_off(tmp_path: Path):
    spool = Spool(tmp_path)
    spool.append([lines(0, 10)])
    spool.close()
    (segment,) = tmp_path.glob("seg-*.log")
    with open(segment, "ab") as fh:
        fh.write(b"\x40\x00\x00\x00garbage")  # a record header whose payload never made it to disk
    again = Spool(tmp_path)
    assert again.pending_points == 10
    again.append([lines(10, 1)])
    assert drain(again) == lines(0, 11)


@SIZES
def test_disk_bound_drops_oldest_and_counts(tmp_path: Path, compress: bool, scale: int):
    dropped: list[tuple[int, str]] = []
    limit = 64 * 1024 // scale
    spool = Spool(tmp_path, limit, limit // 4, on_drop=lambda n, r: dropped.append((n, r)), compress=compress)
    for k in range(200):
        spool.append([lines(k * 20, 20)])
    assert spool.size_bytes <= limit
    lost = sum(n for n, _ in dropped)
    assert lost > 0 and {r for _, r in dropped} == {"spool_full"}
    remaining = drain(spool, 100)
    assert len(remaining) + lost == 4000
    assert remaining == lines(4000 - len(remaining), len(remaining))  # the newest survive, in order


def v1_record(payload_lines: list[str]) -> bytes:
    """A record exactly as the previous (uncompressed, version 1) format wrote it, built independently of Spool."""
    payload = "\n".join(payload_lines).encode("utf-8")
    return struct.pack("<III", len(payload), zlib.crc32(payload), len(payload_lines)) + payload


def records_on_disk(segment: Path) -> list[tuple[int, int, bytes]]:
    """(length word, points, payload as stored) of every record of a segment."""
    data, out, pos = segment.read_bytes(), [], 0
    while pos < len(data):
        word, crc, count = struct.unpack_from("<III", data, pos)
        payload = data[pos + 12 : pos + 12 + (word & 0x7FFFFFFF)]
        assert zlib.crc32(payload) == crc  # the CRC is over the payload as stored
        out.append((word, count, payload))
        pos += 12 + len(payload)
    return out


def test_compressed_records_round_trip_and_are_smaller(tmp_path: Path):
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    a, b = Spool(plain, compress=False), Spool(packed)  # compress=True is the default
    for k in range(20):
        a.append([lines(k * 50, 50)])
        b.append([lines(k * 50, 50)])
    assert b.size_bytes * 4 < a.size_bytes
    ((segment,),) = [list(packed.glob("seg-*.log"))]
    stored = records_on_disk(segment)
    assert len(stored) == 20 and all(word & (1 << 31) for word, _, _ in stored)
    assert zlib.decompress(stored[0][2]).decode() == "\n".join(lines(0, 50))
    assert all(not word & (1 << 31) for word, _, _ in records_on_disk(next(plain.glob("seg-*.log"))))
    batch = b.read_batch(120)
    assert batch is not None and batch.lines == lines(0, 150) and batch.points == 150
    b.commit(batch)
    del b  # no close(): as after kill -9
    again = Spool(packed)
    assert again.pending_points == 850
    assert drain(again, 100) == lines(150, 850)
    assert drain(a, 100) == lines(0, 1000)


def test_segment_of_the_previous_format_replays(tmp_path: Path):
    (tmp_path / "seg-0000000000000003.log").write_bytes(v1_record(lines(0, 10)) + v1_record(lines(10, 5)))
    (tmp_path / "seg-0000000000000004.log").write_bytes(v1_record(lines(15, 20)))
    (tmp_path / "cursor").write_text("3 0\n")
    spool = Spool(tmp_path, segment_bytes=1 << 20)
    assert spool.pending_points == 35
    spool.append([lines(35, 7)])  # a compressed record appended behind the old ones, in the same segment
    newest = records_on_disk(tmp_path / "seg-0000000000000004.log")
    assert [w >> 31 for w, _, _ in newest] == [0, 1]
    assert drain(spool, 12) == lines(0, 42)


def test_torn_compressed_record_is_cut_off_at_restart(tmp_path: Path):
    spool = Spool(tmp_path)
    spool.append([lines(0, 10), lines(10, 10)])
    spool.close()
    (segment,) = tmp_path.glob("seg-*.log")
    good = segment.stat().st_size
    payload = zlib.compress("\n".join(lines(20, 40)).encode(), 1)
    record = struct.pack("<III", (1 << 31) | len(payload), zlib.crc32(payload), 40) + payload
    with open(segment, "ab") as fh:
        fh.write(record[: 12 + len(payload) // 2])  # the crash hit in the middle of the payload
    again = Spool(tmp_path)
    assert segment.stat().st_size == good
    assert again.pending_points == 20
    again.append([lines(20, 3)])
    assert drain(again) == lines(0, 23)


def test_compressed_payload_that_does_not_inflate_is_skipped_and_counted(tmp_path: Path):
    dropped: list[tuple[int, str]] = []
    junk = b"not zlib at all"
    record = struct.pack("<III", (1 << 31) | len(junk), zlib.crc32(junk), 9)  # CRC fine, payload not zlib
    (tmp_path / "seg-0000000000000001.log").write_bytes(v1_record(lines(0, 2)) + record + junk)
    spool = Spool(tmp_path, on_drop=lambda n, r: dropped.append((n, r)))
    spool.append([lines(2, 2)])
    assert drain(spool) == lines(0, 4)
    assert dropped == [(9, "spool_corrupt")]


def test_spool_compress_config():
    auths = {"v2": {"version": "2c", "community": {"env": "COMMUNITY"}}}
    base = {"auths": auths, "devices": [{"name": "sw1", "address": "192.0.2.1", "snmp": {"auth": "v2"}}]}
    env = {"COMMUNITY": "public"}
    assert parse_config(base, env).spool.compress is True
    assert parse_config({**base, "spool": {"compress": False}}, env).spool.compress is False
    with pytest.raises(ConfigError) as caught:
        parse_config({**base, "spool": {"compress": "yes"}}, env)
    assert caught.value.errors == ["spool.compress: expected true or false, got 'yes'"]
