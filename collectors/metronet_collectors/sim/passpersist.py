"""net-snmp ``pass_persist`` helper serving sysUpTime, ifTable, ifXTable, DOM sensors and LLDP from a JSON state.

Standard library only: snmpd runs it as ``python passpersist.py STATE.json [PREFIX]``, one process per
registered subtree (PREFIX: ``.1.3.6.1.2.1`` mib-2 with ENTITY-MIB and ENTITY-SENSOR-MIB,
``.1.0.8802.1.1.2`` LLDP-MIB, ``.1.3.6.1.4.1.9.9.91`` CISCO-ENTITY-SENSOR-MIB); it answers only OIDs under
its PREFIX. The state (written by
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
ENT_PHYSICAL = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1)
ENT_ALIAS = (1, 3, 6, 1, 2, 1, 47, 1, 3, 2, 1, 2)
ENT_SENSOR = (1, 3, 6, 1, 2, 1, 99, 1, 1, 1)
CISCO_SENSOR = (1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1)
LLDP_LOC_PORT = (1, 0, 8802, 1, 1, 2, 1, 3, 7, 1)
LLDP_REM = (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1)
LLDP_LOC_CHASSIS = (1, 0, 8802, 1, 1, 2, 1, 3)
# (name suffix, field, ENTITY-SENSOR-MIB type, scale, precision); Cisco serves optical power in dBm(14)
SENSORS = (
    ("Temperature Sensor", "temperature_c", 8, 9, 1),
    ("Supply Voltage Sensor", "voltage_v", 4, 9, 2),
    ("Bias Current Sensor", "bias_ma", 5, 8, 2),
    ("Tx Power Sensor", "tx_dbm", 6, 7, 3),
    ("Rx Power Sensor", "rx_dbm", 6, 7, 3),
)


def sensor_raw(field: str, value: float, kind: int, scale: int, precision: int) -> int:
    """The integer entPhySensorValue for a reading in the optics schema's unit."""
    if field in ("rx_dbm", "tx_dbm") and kind == 6:
        value = 10 ** (value / 10) / 1000.0  # dBm → W
    elif field == "bias_ma":
        value = value / 1000.0  # mA → A
    return round(value / 10.0 ** (3 * (scale - 9)) * 10.0**precision)


def hex_octets(text: str) -> str:
    """A MAC 'aa:bb:…' as pass_persist 'octet' hex digits."""
    return " ".join(text.split(":"))


def is_mac(text: str) -> bool:
    parts = text.split(":")
    return len(parts) == 6 and all(len(p) == 2 and all(c in "0123456789abcdefABCDEF" for c in p) for p in parts)


class State:
    def __init__(self, path: str, prefix: tuple[int, ...] = ()) -> None:
        self.path = path
        self.prefix = prefix
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
        self.build_entity(e)
        self.build_lldp(e)
        n = len(self.prefix)
        self.entries = {oid: v for oid, v in e.items() if oid[:n] == self.prefix}
        self.keys = sorted(self.entries)

    def build_entity(self, e: dict[tuple[int, ...], tuple[str, Any]]) -> None:
        """ENTITY-MIB chassis → port → transceiver → sensors, alias mapping port → ifIndex, sensor tables."""
        d = self.data
        cisco = d.get("dom_mib") == "cisco"
        optical = [itf for itf in d.get("interfaces", []) if itf.get("optics")]
        if not optical:
            return
        e[(*ENT_PHYSICAL, 2, 1)] = ("string", "MetroNet simulated chassis")
        e[(*ENT_PHYSICAL, 4, 1)] = ("integer", 0)
        e[(*ENT_PHYSICAL, 5, 1)] = ("integer", 3)  # chassis
        e[(*ENT_PHYSICAL, 7, 1)] = ("string", d.get("sys_name", "sim"))
        sensor_table = CISCO_SENSOR if cisco else ENT_SENSOR
        for itf in optical:
            x, name, optics = itf["index"], itf["name"], itf["optics"]
            port, module = 10000 + x * 100, 10000 + x * 100 + 1
            for index, parent, cls, ename, descr in (
                (port, 1, 10, name, f"{name} port"),
                (
                    module,
                    port,
                    9,
                    f"{name} transceiver",
                    "SFP+ 10GBASE-LR" if itf["speed_mbps"] >= 10000 else "SFP 1000BASE-LX",
                ),
            ):
                e[(*ENT_PHYSICAL, 2, index)] = ("string", descr)
                e[(*ENT_PHYSICAL, 4, index)] = ("integer", parent)
                e[(*ENT_PHYSICAL, 5, index)] = ("integer", cls)
                e[(*ENT_PHYSICAL, 7, index)] = ("string", ename)
            e[(*ENT_ALIAS, port, 0)] = ("objectid", f".1.3.6.1.2.1.2.2.1.1.{x}")
            lanes = max(1, int(optics.get("lanes", 1)))
            sensor = module + 1
            for suffix, field, kind, scale, precision in SENSORS:
                per_lane = field in ("rx_dbm", "tx_dbm", "bias_ma") and lanes > 1
                for lane in range(1, lanes + 1) if per_lane else [0]:
                    if cisco and kind == 6:
                        kind, scale, precision = 14, 9, 1  # dBm
                    label = f"{name} Lane {lane} {suffix}" if lane else f"{name} {suffix}"
                    e[(*ENT_PHYSICAL, 2, sensor)] = ("string", label)
                    e[(*ENT_PHYSICAL, 4, sensor)] = ("integer", module)
                    e[(*ENT_PHYSICAL, 5, sensor)] = ("integer", 8)  # sensor
                    e[(*ENT_PHYSICAL, 7, sensor)] = ("string", label)
                    raw = sensor_raw(field, float(optics[field]), kind, scale, precision)
                    e[(*sensor_table, 1, sensor)] = ("integer", kind)
                    e[(*sensor_table, 2, sensor)] = ("integer", scale)
                    e[(*sensor_table, 3, sensor)] = ("integer", precision)
                    e[(*sensor_table, 4, sensor)] = ("integer", raw)
                    e[(*sensor_table, 5, sensor)] = ("integer", 1)  # ok
                    sensor += 1

    def build_lldp(self, e: dict[tuple[int, ...], tuple[str, Any]]) -> None:
        d = self.data
        neighbors = d.get("lldp") or []
        if not neighbors:
            return
        index_of = {itf["name"]: itf["index"] for itf in d.get("interfaces", [])}
        e[(*LLDP_LOC_CHASSIS, 1, 0)] = ("integer", 7)  # lldpLocChassisIdSubtype local
        e[(*LLDP_LOC_CHASSIS, 2, 0)] = ("string", d.get("sys_name", "sim"))
        e[(*LLDP_LOC_CHASSIS, 3, 0)] = ("string", d.get("sys_name", "sim"))
        for itf in d.get("interfaces", []):
            x = itf["index"]
            e[(*LLDP_LOC_PORT, 2, x)] = ("integer", 5)  # interfaceName
            e[(*LLDP_LOC_PORT, 3, x)] = ("string", itf["name"])
            e[(*LLDP_LOC_PORT, 4, x)] = ("string", itf.get("alias") or itf["name"])
        for n, nb in enumerate(neighbors, start=1):
            local = index_of.get(nb["local_interface"])
            if local is None:
                continue
            i = (0, local, n)
            chassis = nb.get("remote_chassis_id", "")
            if is_mac(chassis):
                e[(*LLDP_REM, 4, *i)] = ("integer", 4)
                e[(*LLDP_REM, 5, *i)] = ("octet", hex_octets(chassis))
            else:
                e[(*LLDP_REM, 4, *i)] = ("integer", 7)
                e[(*LLDP_REM, 5, *i)] = ("string", chassis)
            e[(*LLDP_REM, 6, *i)] = ("integer", 5)
            e[(*LLDP_REM, 7, *i)] = ("string", nb["remote_port"])
            e[(*LLDP_REM, 8, *i)] = ("string", nb.get("remote_port_description", ""))
            e[(*LLDP_REM, 9, *i)] = ("string", nb["remote_system"])

    def now(self, oid: tuple[int, ...], asked: tuple[int, ...] = ()) -> float:
        wall = time.time()
        if oid == SYS_UPTIME:
            delay = float(self.data.get("delay_s", 0.0))
            # slow only when a poll starts (sysUpTime asked for directly), not when a walk of another table
            # runs past its end into mib-2
            if delay > 0 and asked in (SYS_UPTIME, SYS_UPTIME[:-1]):
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

    def value(self, oid: tuple[int, ...], asked: tuple[int, ...] = ()) -> tuple[str, str]:
        kind, spec = self.entries[oid]
        if not isinstance(spec, tuple):
            return kind, str(spec)
        t = self.now(oid, asked)
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
    state = State(sys.argv[1], parse_oid(sys.argv[2]) if len(sys.argv) > 2 else ())
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
                kind, value = state.value(key, oid)
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
