"""Start simulated devices (net-snmp ``snmpd`` + the pass_persist helper) and change their state.

Example::

    dev = SimDevice.create(tmp / "sw1.json", "sw1", [SimInterface("ge-0/0/1", in_bps=8e6, out_bps=2e6)])
    with SnmpdAgent(dev, port=16101, community="public") as agent:
        ...
        dev.set_link("ge-0/0/1", up=False)   # ifOperStatus down, counters stop
        dev.reboot()                         # sysUpTime and counters restart from 0
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

PASS_PERSIST = Path(__file__).with_name("passpersist.py")
COUNTERS = ("in", "out", "in_errors", "out_errors", "in_discards", "out_discards")


def find_binary(name: str, debian_package: str) -> str:
    """Path of a binary (also looked up in /usr/sbin), or RuntimeError naming the Debian package."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if path is None:
        raise RuntimeError(f"'{name}' not found: install the Debian package '{debian_package}'")
    return path


@dataclass
class SimOptics:
    """DOM of a pluggable optic: served by ENTITY-SENSOR-MIB (or CISCO-ENTITY-SENSOR-MIB) sensors."""

    rx_dbm: float = -5.0
    tx_dbm: float = -2.0
    temperature_c: float = 35.0
    bias_ma: float = 6.5
    voltage_v: float = 3.3
    lanes: int = 1  # >1: rx/tx/bias per lane ("<ifName> Lane N Rx Power Sensor"), like a QSFP


@dataclass
class SimNeighbor:
    """An LLDP remote system seen on a local port (lldpRemTable)."""

    local_interface: str
    remote_system: str
    remote_port: str  # served as lldpRemPortId with subtype interfaceName(5)
    remote_port_description: str = ""
    remote_chassis_id: str = ""  # aa:bb:cc:dd:ee:ff → subtype macAddress(4); other text → local(7)


@dataclass
class SimInterface:
    """A simulated port. Rates are bits/s (converted to octets/s for the counters)."""

    name: str
    in_bps: float = 0.0
    out_bps: float = 0.0
    speed_mbps: int = 1000
    hc: bool = True  # serve 64-bit ifHC*Octets (False: only 32-bit ifIn/OutOctets)
    up: bool = True
    in_errors_ps: float = 0.0
    out_errors_ps: float = 0.0
    in_discards_ps: float = 0.0
    out_discards_ps: float = 0.0
    in_initial: int = 0  # counter value at start (to provoke a 32-bit wrap soon)
    out_initial: int = 0
    alias: str = ""
    optics: SimOptics | None = None  # a transceiver with DOM sensors (None: no DOM, e.g. copper or DAC)


class SimDevice:
    """The JSON state file of one simulated device; every change is written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(
        cls,
        path: Path,
        sys_name: str,
        interfaces: list[SimInterface],
        uptime_s: float = 1000.0,
        neighbors: list[SimNeighbor] | None = None,
        dom_mib: str = "entity",
    ) -> Self:
        """Write a new state file. ``dom_mib``: ``entity`` (ENTITY-SENSOR-MIB, optical power in watts) or
        ``cisco`` (CISCO-ENTITY-SENSOR-MIB, optical power in dBm)."""
        if dom_mib not in ("entity", "cisco"):
            raise ValueError(f"dom_mib must be 'entity' or 'cisco', got {dom_mib!r}")
        now = time.time()
        rows: list[dict[str, Any]] = []
        for index, itf in enumerate(interfaces, start=1):
            spec = asdict(itf)
            row: dict[str, Any] = {
                "index": index,
                "name": itf.name,
                "alias": itf.alias,
                "speed_mbps": itf.speed_mbps,
                "hc": itf.hc,
                "admin": 1,
                "oper": 1 if itf.up else 2,
                "base_time": now,
                "in_Bps": itf.in_bps / 8 if itf.up else 0.0,
                "out_Bps": itf.out_bps / 8 if itf.up else 0.0,
                "nominal_in_Bps": itf.in_bps / 8,
                "nominal_out_Bps": itf.out_bps / 8,
                "in_base": itf.in_initial,
                "out_base": itf.out_initial,
                "optics": asdict(itf.optics) if itf.optics is not None else None,
            }
            for name in COUNTERS[2:]:
                row[name + "_ps"] = spec[name + "_ps"]
                row[name + "_base"] = 0
            rows.append(row)
        device = cls(path)
        device._write(
            {
                "sys_name": sys_name,
                "boot_time": now - uptime_s,
                "delay_s": 0.0,
                "interfaces": rows,
                "dom_mib": dom_mib,
                "lldp": [asdict(n) for n in neighbors or []],
            }
        )
        return device

    def read(self) -> dict[str, Any]:
        with open(self.path, encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
        return data

    def _write(self, data: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, self.path)

    @staticmethod
    def _rebase(row: dict[str, Any], now: float) -> None:
        """Fold the counters' growth so far into their base, so that a rate change starts now."""
        elapsed = max(0.0, now - float(row["base_time"]))
        for name in COUNTERS:
            key = name + "_Bps" if name in ("in", "out") else name + "_ps"
            row[name + "_base"] = int(row.get(name + "_base", 0)) + int(float(row.get(key, 0.0)) * elapsed)
        row["base_time"] = now

    def _row(self, data: dict[str, Any], if_name: str) -> dict[str, Any]:
        row: dict[str, Any]
        for row in data["interfaces"]:
            if row["name"] == if_name:
                return row
        raise KeyError(f"{self.path.stem}: no interface {if_name!r}")

    def set_link(self, if_name: str, up: bool) -> None:
        """Take a link down (oper status down, counters stop) or bring it back up at its nominal rate."""
        data = self.read()
        row = self._row(data, if_name)
        self._rebase(row, time.time())
        row["oper"] = 1 if up else 2
        row["in_Bps"] = row["nominal_in_Bps"] if up else 0.0
        row["out_Bps"] = row["nominal_out_Bps"] if up else 0.0
        self._write(data)

    def set_rate(self, if_name: str, in_bps: float, out_bps: float) -> None:
        data = self.read()
        row = self._row(data, if_name)
        self._rebase(row, time.time())
        row["in_Bps"] = row["nominal_in_Bps"] = in_bps / 8
        row["out_Bps"] = row["nominal_out_Bps"] = out_bps / 8
        self._write(data)

    def reboot(self) -> None:
        """The device restarts: sysUpTime starts again from 0 and so do all counters."""
        data = self.read()
        now = time.time()
        data["boot_time"] = now
        for row in data["interfaces"]:
            row["base_time"] = now
            for name in COUNTERS:
                row[name + "_base"] = 0
        self._write(data)

    def reset_counters(self, if_name: str) -> None:
        """Counters restart without a reboot; ifCounterDiscontinuityTime records when."""
        data = self.read()
        now = time.time()
        row = self._row(data, if_name)
        row["base_time"] = now
        for name in COUNTERS:
            row[name + "_base"] = 0
        row["discontinuity_ticks"] = int((now - float(data["boot_time"])) * 100)
        self._write(data)

    def set_counters(self, if_name: str, in_octets: int, out_octets: int) -> None:
        """Set the octet counters' current value (e.g. just below 2**32 to provoke a wrap)."""
        data = self.read()
        row = self._row(data, if_name)
        self._rebase(row, time.time())
        row["in_base"], row["out_base"] = in_octets, out_octets
        self._write(data)

    def set_optics(self, if_name: str, **values: float) -> None:
        """Change DOM readings of a port (rx_dbm, tx_dbm, temperature_c, bias_ma, voltage_v), e.g. a dirty
        connector: ``set_optics("Te1/1/1", rx_dbm=-27.5)``. A port without optics gets default ones."""
        unknown = set(values) - {"rx_dbm", "tx_dbm", "temperature_c", "bias_ma", "voltage_v"}
        if unknown:
            raise ValueError(f"unknown optics value(s): {', '.join(sorted(unknown))}")
        data = self.read()
        row = self._row(data, if_name)
        optics = row.get("optics") or asdict(SimOptics())
        optics.update({k: float(v) for k, v in values.items()})
        row["optics"] = optics
        self._write(data)

    def set_neighbors(self, neighbors: list[SimNeighbor]) -> None:
        """Replace the LLDP neighbor table."""
        data = self.read()
        names = {row["name"] for row in data["interfaces"]}
        for n in neighbors:
            if n.local_interface not in names:
                raise KeyError(f"{self.path.stem}: no interface {n.local_interface!r}")
        data["lldp"] = [asdict(n) for n in neighbors]
        self._write(data)

    def set_delay(self, seconds: float) -> None:
        """Make every poll of this agent take `seconds` longer (a slow device)."""
        data = self.read()
        data["delay_s"] = seconds
        self._write(data)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class V3User:
    username: str
    auth_key: str
    priv_key: str
    auth_protocol: str = "SHA"  # snmpd createUser names: MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512
    priv_protocol: str = "AES"  # DES AES


class SnmpdAgent:
    """A net-snmp ``snmpd`` on 127.0.0.1:`port` answering mib-2 from a :class:`SimDevice`."""

    def __init__(
        self,
        device: SimDevice,
        port: int | None = None,
        community: str = "public",
        v3_user: V3User | None = None,
        python: str = sys.executable,
    ) -> None:
        self.device = device
        self.port = port or free_udp_port()
        self.community = community
        self.v3_user = v3_user
        self.python = python
        self.workdir = device.path.parent / f"snmpd-{device.path.stem}"
        self.process: subprocess.Popen[bytes] | None = None

    def config_text(self) -> str:
        lines = [
            f"agentAddress udp:127.0.0.1:{self.port}",
            f"rocommunity {self.community} 127.0.0.1",
            f"engineID metronet-sim-{self.port}",
            "dontLogTCPWrappersConnects yes",
        ]
        # mib-2 (IF-MIB, ENTITY-MIB, ENTITY-SENSOR-MIB), LLDP-MIB, CISCO-ENTITY-SENSOR-MIB: one helper each
        lines += [
            f"pass_persist -p 1 {prefix} {self.python} {PASS_PERSIST} {self.device.path} {prefix}"
            for prefix in (".1.3.6.1.2.1", ".1.0.8802.1.1.2", ".1.3.6.1.4.1.9.9.91")
        ]
        if self.v3_user is not None:
            u = self.v3_user
            user = f'createUser {u.username} {u.auth_protocol} "{u.auth_key}" {u.priv_protocol} "{u.priv_key}"'
            lines.insert(2, user)
            lines.insert(3, f"rouser {u.username} priv")
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 10.0) -> None:
        snmpd = find_binary("snmpd", "snmpd")
        self.workdir.mkdir(parents=True, exist_ok=True)
        conf = self.workdir / "snmpd.conf"
        conf.write_text(self.config_text(), encoding="utf-8")
        log = open(self.workdir / "snmpd.log", "ab")  # noqa: SIM115 - kept open for the child's lifetime
        env = dict(os.environ, SNMP_PERSISTENT_DIR=str(self.workdir / "persist"), MIBS="", MIBDIRS="/nonexistent")
        self.process = subprocess.Popen(
            [snmpd, "-f", "-Lo", "-C", "-c", str(conf), "-I", "-system_mib,interfaces,ifTable,ifXTable"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        log.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        snmpget = shutil.which("snmpget")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"snmpd exited with {self.process.returncode}; see {self.workdir / 'snmpd.log'}")
            if snmpget is None:
                time.sleep(0.5)
                return
            probe = subprocess.run(
                [
                    snmpget,
                    "-v2c",
                    "-c",
                    self.community,
                    "-t",
                    "0.3",
                    "-r",
                    "0",
                    "-On",
                    "-m",
                    "",
                    f"127.0.0.1:{self.port}",
                    ".1.3.6.1.2.1.1.5.0",
                ],
                capture_output=True,
                check=False,
            )
            if probe.returncode == 0:
                self._warm_up(snmpget)
                return
            time.sleep(0.05)
        raise RuntimeError(f"snmpd on port {self.port} did not answer within {timeout} s")

    def _warm_up(self, snmpget: str) -> None:
        """snmpd starts a pass_persist helper at the first request under its subtree: start them now, so that
        the first LLDP / Cisco walk of a test is not slowed by a Python start-up."""
        getnext = str(Path(snmpget).with_name("snmpgetnext"))
        for prefix in (".1.0.8802.1.1.2", ".1.3.6.1.4.1.9.9.91"):
            subprocess.run(
                [
                    getnext,
                    "-v2c",
                    "-c",
                    self.community,
                    "-t",
                    "2",
                    "-r",
                    "0",
                    "-On",
                    "-m",
                    "",
                    f"127.0.0.1:{self.port}",
                    prefix,
                ],
                capture_output=True,
                check=False,
            )

    def pause(self) -> None:
        """Freeze the agent (SIGSTOP): requests go unanswered, as with a dead device."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGCONT)
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
