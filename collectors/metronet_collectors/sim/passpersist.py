"""net-snmp ``pass_persist`` helper serving sysUpTime, ifTable and ifXTable from a JSON state file.

Standard library only: snmpd runs it as ``python passpersist.py STATE.json``. The state (written by
:class:`metronet_collectors.sim.agent.SimDevice`) describes a boot time and interfaces whose counters
grow linearly: ``value(t) = base + rate_Bps * (t - base_time)``, so a test knows the exact rate.

Time is read once per poll: a request for sysUpTime (the collector's first varbind of every walk)
freezes the simulated clock at that tick for the following requests (up to 2 s), so counters and
sysUpTime of one walk are mutually exact. ``delay_s`` in the state makes that request slow (snmpd is
single-threaded, so the whole agent stalls, like a busy device).
"""

from __future__ import annotations

import bisect
import json
import os
import sys
import time
from typing import Any

SYS = (1, 3, 6, 1, 2, 1, 1)
SYS_UPTIME = (*SYS, 3, 0)
IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IFX_ENTRY = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
FREEZE_S = 2.0


class State:
    def __init__(self, path: str) -> None:
        self.path = path
        self.mtime = -1.0
        self.data: dict[str, Any] = {}
        self.keys: list[tuple[int, ...]] = []
        self.entries: dict[tuple[int, ...], tuple[str, Any]] = {}
        self.frozen_at = 0.0
        self.frozen_t = 0.0

    def reload(self) -> None:
        try:
            mtime = os.stat(self.path).st_mtime_ns
        except OSError:
            return
        if mtime == self.mtime:
            return
        with open(self.path, encoding="utf-8") as fh:
            self.data = json.load(fh)
        self.mtime = mtime
        self.build()

    def build(self) -> None:
        d = self.data
        e: dict[tuple[int, ...], tuple[str, Any]] = {
            (*SYS, 1, 0): ("string", d.get("descr", "MetroNet simulated device")),
            SYS_UPTIME: ("timeticks", ("uptime",)),
            (*SYS, 5, 0): ("string", d.get("sys_name", "sim")),
            (1, 3, 6, 1, 2, 1, 2, 1, 0): ("integer", len(d.get("interfaces", []))),
        }
        for i, itf in enumerate(d.get("interfaces", [])):
            x = itf["index"]
            e[(*IF_ENTRY, 1, x)] = ("integer", x)
            e[(*IF_ENTRY, 2, x)] = ("string", itf.get("descr") or itf["name"])
            e[(*IF_ENTRY, 3, x)] = ("integer", 6)
            e[(*IF_ENTRY, 5, x)] = ("gauge", min(itf["speed_mbps"] * 1_000_000, 4294967295))
            e[(*IF_ENTRY, 7, x)] = ("integer", itf["admin"])
            e[(*IF_ENTRY, 8, x)] = ("integer", itf["oper"])
            e[(*IF_ENTRY, 10, x)] = ("counter", ("in", i, 32))
            e[(*IF_ENTRY, 13, x)] = ("counter", ("in_discards", i, 32))
            e[(*IF_ENTRY, 14, x)] = ("counter", ("in_errors", i, 32))
            e[(*IF_ENTRY, 16, x)] = ("counter", ("out", i, 32))
            e[(*IF_ENTRY, 19, x)] = ("counter", ("out_discards", i, 32))
            e[(*IF_ENTRY, 20, x)] = ("counter", ("out_errors", i, 32))
            e[(*IFX_ENTRY, 1, x)] = ("string", itf["name"])
            if itf.get("hc", True):
                e[(*IFX_ENTRY, 6, x)] = ("counter64", ("in", i, 64))
                e[(*IFX_ENTRY, 10, x)] = ("counter64", ("out", i, 64))
            e[(*IFX_ENTRY, 15, x)] = ("gauge", itf["speed_mbps"])
            e[(*IFX_ENTRY, 18, x)] = ("string", itf.get("alias", ""))
            e[(*IFX_ENTRY, 19, x)] = ("timeticks", itf.get("discontinuity_ticks", 0))
        self.entries = e
        self.keys = sorted(e)

    def now(self, oid: tuple[int, ...]) -> float:
        wall = time.time()
        if oid == SYS_UPTIME:
            delay = float(self.data.get("delay_s", 0.0))
            if delay > 0:
                time.sleep(delay)
                wall = time.time()
            boot = float(self.data.get("boot_time", wall))
            ticks = int((wall - boot) * 100)
            self.frozen_at = wall
            self.frozen_t = boot + ticks / 100.0
            return self.frozen_t
        if wall - self.frozen_at < FREEZE_S:
            return self.frozen_t
        boot = float(self.data.get("boot_time", wall))
        return boot + int((wall - boot) * 100) / 100.0

    def value(self, oid: tuple[int, ...]) -> tuple[str, str]:
        kind, spec = self.entries[oid]
        if not isinstance(spec, tuple):
            return kind, str(spec)
        t = self.now(oid)
        if spec[0] == "uptime":
            boot = float(self.data.get("boot_time", t))
            return kind, str(max(0, round((t - boot) * 100)) % 2**32)
        what, i, bits = spec
        itf = self.data["interfaces"][i]
        elapsed = max(0.0, t - float(itf["base_time"]))
        rate = float(itf.get(what + "_Bps" if what in ("in", "out") else what + "_ps", 0.0))
        base = int(itf.get(what + "_base", 0))
        return kind, str((base + int(rate * elapsed)) % 2**bits)


def parse_oid(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.strip().strip(".").split(".") if x)


def main() -> None:
    state = State(sys.argv[1])
    out = sys.stdout
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        cmd = line.strip()
        if cmd == "PING":
            out.write("PONG\n")
        elif cmd in ("get", "getnext"):
            oid = parse_oid(sys.stdin.readline())
            state.reload()
            key: tuple[int, ...] | None
            if cmd == "get":
                key = oid if oid in state.entries else None
            else:
                pos = bisect.bisect_right(state.keys, oid)
                key = state.keys[pos] if pos < len(state.keys) else None
            if key is None:
                out.write("NONE\n")
            else:
                kind, value = state.value(key)
                out.write("." + ".".join(map(str, key)) + f"\n{kind}\n{value}\n")
        elif cmd == "set":
            sys.stdin.readline()
            sys.stdin.readline()
            out.write("not-writable\n")
        else:
            continue
        out.flush()


if __name__ == "__main__":
    main()
