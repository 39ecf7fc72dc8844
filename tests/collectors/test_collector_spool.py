"""The on-disk spool: order, durability across restarts, torn writes, the disk bound."""

from __future__ import annotations

from pathlib import Path

from metronet_collectors.spool import Spool


def lines(start: int, n: int) -> list[str]:
    return [f"interface,device=bil-core-1,interface=xe-0/0/1 in_octets={i}i {i}" for i in range(start, start + n)]


def drain(spool: Spool, max_lines: int = 7) -> list[str]:
    out: list[str] = []
    while (batch := spool.read_batch(max_lines)) is not None:
        out.extend(batch.lines)
        spool.commit(batch)
    return out


def test_in_order_across_segments_and_segments_are_deleted(tmp_path: Path):
    spool = Spool(tmp_path, max_bytes=1 << 20, segment_bytes=4096)
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


def test_disk_bound_drops_oldest_and_counts(tmp_path: Path):
    dropped: list[tuple[int, str]] = []
    spool = Spool(tmp_path, max_bytes=64 * 1024, segment_bytes=16 * 1024, on_drop=lambda n, r: dropped.append((n, r)))
    for k in range(200):
        spool.append([lines(k * 20, 20)])
    assert spool.size_bytes <= 64 * 1024
    lost = sum(n for n, _ in dropped)
    assert lost > 0 and {r for _, r in dropped} == {"spool_full"}
    remaining = drain(spool, 100)
    assert len(remaining) + lost == 4000
    assert remaining == lines(4000 - len(remaining), len(remaining))  # the newest survive, in order
