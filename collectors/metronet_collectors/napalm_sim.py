"""Simulated Cisco IOS switches over SSH (fakenos) for the NAPALM ``ios`` driver and Netmiko + ntc-templates.

No vendor CLI can run here, so a switch is a fakenos SSH server (paramiko, real SSH on 127.0.0.1) whose
show commands are rendered from a :class:`SimIosSwitch` state, in the text layout of a Catalyst 2960-X on
IOS 15.2(7)E: the same lines NAPALM's ios driver and ntc-templates parse on a real switch. Counters grow
at the configured rates with the wall clock (read at the moment a command is rendered), links go up and
down, the switch reboots (uptime and counters restart), optics and LLDP neighbors are served::

    show version | show hosts | show ip interface brief       (NAPALM get_facts, Netmiko uptime)
    show interfaces | show interface summary                  (get_interfaces(_counters), Netmiko counters)
    show interfaces transceiver                               (get_optics, Netmiko optics)
    show lldp neighbors detail                                (get_lldp_neighbors_detail, Netmiko LLDP)

Each switch listens on its own loopback address (:class:`SimIosNetwork`). Not simulated: anything beyond
these commands (answered with IOS' "% Invalid input"), configuration mode, IOS' own SSH server (paramiko's
server side negotiates), output paging (Netmiko and NAPALM send ``terminal length 0``). Faithful on
purpose: IOS reports uptime in whole minutes, short interface names in the transceiver and LLDP tables.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from netutils.interface import abbreviated_interface_name

PROMPTS = ["{base_prompt}>", "{base_prompt}#"]


@dataclass
class SimPort:
    name: str  # long IOS name, e.g. GigabitEthernet1/0/1
    in_bps: float = 0.0
    out_bps: float = 0.0
    up: bool = True
    admin_up: bool = True
    speed_mbps: int = 1000
    description: str = ""
    in_errors_ps: float = 0.0
    optics: tuple[float, float, float, float] | None = None  # rx dBm, tx dBm, °C, bias mA
    neighbor: tuple[str, str] | None = None  # remote system name, remote port (short name)
    # counters at `since` (the wall clock); rates apply from then on
    in_octets: float = 0.0
    out_octets: float = 0.0
    in_errors: float = 0.0
    since: float = field(default_factory=time.time)


class SimIosSwitch:
    """The state of one simulated switch; every method is safe to call while its SSH server runs."""

    def __init__(self, hostname: str, ports: list[SimPort], uptime_s: float = 3 * 86400 + 5 * 3600 + 17 * 60) -> None:
        self.hostname = hostname
        self.ports = {port.name: port for port in ports}
        self.boot = time.time() - uptime_s
        self.lock = threading.Lock()
        self.mac_base = 0x0C1122330000 + (sum(hostname.encode()) << 8)

    # -- state changes ----------------------------------------------------------------------------------

    def _settle(self, port: SimPort, now: float) -> None:
        dt = now - port.since
        if port.up:
            port.in_octets += port.in_bps / 8 * dt
            port.out_octets += port.out_bps / 8 * dt
            port.in_errors += port.in_errors_ps * dt
        port.since = now

    def set_rate(self, name: str, in_bps: float, out_bps: float) -> None:
        with self.lock:
            port = self.ports[name]
            self._settle(port, time.time())
            port.in_bps, port.out_bps = in_bps, out_bps

    def set_link(self, name: str, up: bool) -> None:
        with self.lock:
            port = self.ports[name]
            self._settle(port, time.time())
            port.up = up

    def reboot(self) -> None:
        """Uptime and every counter restart from zero."""
        with self.lock:
            now = time.time()
            self.boot = now
            for port in self.ports.values():
                port.in_octets = port.out_octets = port.in_errors = 0.0
                port.since = now

    def counters(self, name: str) -> tuple[int, int, int]:
        with self.lock:
            port = self.ports[name]
            self._settle(port, time.time())
            return int(port.in_octets), int(port.out_octets), int(port.in_errors)

    # -- command output ---------------------------------------------------------------------------------

    def _uptime_text(self) -> str:
        minutes_total = int((time.time() - self.boot) // 60)
        weeks, rest = divmod(minutes_total, 7 * 24 * 60)
        days, rest = divmod(rest, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = []
        for value, unit in ((weeks, "week"), (days, "day"), (hours, "hour")):
            if value:
                parts.append(f"{value} {unit}{'s' if value != 1 else ''}")
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        return ", ".join(parts)

    def show_version(self) -> str:
        return f"""Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Mon 22-Mar-21 09:13 by prod_rel_team

ROM: Bootstrap program is C2960X boot loader
BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E, RELEASE SOFTWARE (fc1)

{self.hostname} uptime is {self._uptime_text()}
System returned to ROM by power-on
System image file is "flash:c2960x-universalk9-mz.152-7.E4.bin"
Last reload reason: power-on

cisco WS-C2960X-48TS-L (APM86XXX) processor (revision D0) with 524288K bytes of memory.
Processor board ID FOC2110X0{sum(self.hostname.encode()) % 1000:03d}
Last reset from power-on
{len(self.ports)} Gigabit Ethernet interfaces
The password-recovery mechanism is enabled.

512K bytes of flash-simulated non-volatile configuration memory.
Base ethernet MAC Address       : {self._mac(0, colon=True)}
Model number                    : WS-C2960X-48TS-L
System serial number            : FOC2110X0AB

Configuration register is 0xF
"""

    def _mac(self, index: int, colon: bool = False) -> str:
        value = f"{self.mac_base + index:012x}"
        if colon:
            return ":".join(value[i : i + 2] for i in range(0, 12, 2))
        return ".".join(value[i : i + 4] for i in range(0, 12, 4))

    def show_hosts(self) -> str:
        return (
            "Default domain is bilina.metronet\nName/address lookup uses domain service\nName servers are 10.0.0.53\n"
        )

    def show_ip_interface_brief(self) -> str:
        lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
        for port in self.ports.values():
            status = "administratively down" if not port.admin_up else ("up" if port.up else "down")
            lines.append(f"{port.name:<23}unassigned      YES unset  {status:<22}{'up' if port.up else 'down'}")
        return "\n".join(lines) + "\n"

    def show_interfaces(self) -> str:
        blocks = []
        with self.lock:
            now = time.time()
            for index, port in enumerate(self.ports.values(), start=1):
                self._settle(port, now)
                if not port.admin_up:
                    head = f"{port.name} is administratively down, line protocol is down (disabled)"
                elif port.up:
                    head = f"{port.name} is up, line protocol is up (connected)"
                else:
                    head = f"{port.name} is down, line protocol is down (notconnect)"
                rate_in = int(port.in_bps) if port.up else 0
                rate_out = int(port.out_bps) if port.up else 0
                in_octets, out_octets, errors = int(port.in_octets), int(port.out_octets), int(port.in_errors)
                descr = f"  Description: {port.description}\n" if port.description else ""
                blocks.append(
                    f"""{head}
  Hardware is Gigabit Ethernet, address is {self._mac(index)} (bia {self._mac(index)})
{descr}  MTU 1500 bytes, BW {port.speed_mbps * 1000} Kbit/sec, DLY 10 usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation ARPA, loopback not set
  Keepalive set (10 sec)
  Full-duplex, {port.speed_mbps}Mb/s, media type is 10/100/1000BaseTX
  input flow-control is off, output flow-control is unsupported
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input never, output 00:00:01, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate {rate_in} bits/sec, {rate_in // 8000} packets/sec
  5 minute output rate {rate_out} bits/sec, {rate_out // 8000} packets/sec
     {in_octets // 1000} packets input, {in_octets} bytes, 0 no buffer
     Received {in_octets // 100000} broadcasts ({in_octets // 200000} multicasts)
     0 runts, 0 giants, 0 throttles
     {errors} input errors, {errors} CRC, 0 frame, 0 overrun, 0 ignored
     0 watchdog, {in_octets // 200000} multicast, 0 pause input
     0 input packets with dribble condition detected
     {out_octets // 1000} packets output, {out_octets} bytes, 0 underruns
     0 output errors, 0 collisions, 1 interface resets
     0 unknown protocol drops
     0 babbles, 0 late collision, 0 deferred
     0 lost carrier, 0 no carrier, 0 pause output
     0 output buffer failures, 0 output buffers swapped out"""
                )
        return "\n".join(blocks) + "\n"

    def show_interface_summary(self) -> str:
        lines = [
            " *: interface is up",
            " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue",
            " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue",
            " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)",
            " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)",
            " TRTL: throttle count",
            "",
            "  Interface                   IHQ       IQD       OHQ       OQD"
            "      RXBS      RXPS      TXBS      TXPS      TRTL",
            "-" * 117,
        ]
        for port in self.ports.values():
            star = "*" if port.up else " "
            rx, tx = (int(port.in_bps), int(port.out_bps)) if port.up else (0, 0)
            lines.append(
                f"{star} {port.name:<26}{0:>5}{0:>10}{0:>10}{0:>10}"
                f"{rx:>10}{rx // 8000:>10}{tx:>10}{tx // 8000:>10}{0:>10}"
            )
        return "\n".join(lines) + "\n"

    def show_interfaces_transceiver(self) -> str:
        lines = [
            "If device is externally calibrated, only calibrated values are printed.",
            "++ : high alarm, +  : high warning, -  : low warning, -- : low alarm.",
            "NA or N/A: not applicable, Tx: transmit, Rx: receive.",
            "mA: milliamperes, dBm: decibels (milliwatts).",
            "",
            "                                           Optical   Optical",
            "           Temperature  Voltage  Current   Tx Power  Rx Power",
            "Port       (Celsius)    (Volts)  (mA)      (dBm)     (dBm)",
            "---------  -----------  -------  --------  --------  --------",
        ]
        for port in self.ports.values():
            if port.optics is None:
                continue
            rx, tx, temp, bias = port.optics
            rx_text = f"{rx:.1f}" if port.up else "-40.0"
            lines.append(
                f"{abbreviated_interface_name(port.name):<11}{temp:>6.1f}       3.29"
                f"  {bias:>8.1f}  {tx:>8.1f}  {rx_text:>8}"
            )
        return "\n".join(lines) + "\n"

    def show_lldp_neighbors_detail(self) -> str:
        chunks: list[str] = []
        for port in self.ports.values():
            if port.neighbor is None or not port.up:
                continue
            system, remote_port = port.neighbor
            chunks.append(
                f"""------------------------------------------------
Local Intf: {abbreviated_interface_name(port.name)}
Chassis id: {self._mac(900 + len(chunks))}
Port id: {remote_port}
Port Description: {remote_port}
System Name: {system}

System Description:
Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Mon 22-Mar-21 09:13 by prod_rel_team

Time remaining: 101 seconds
System Capabilities: B
Enabled Capabilities: B
Management Addresses:
    IP: 10.0.0.{len(chunks) + 2}
Auto Negotiation - supported, enabled
Physical media capabilities:
    1000baseT(FD)
    100base-TX(FD)
Media Attachment Unit type: 30
Vlan ID: 1
"""
            )
        return "\n".join(chunks) + f"\nTotal entries displayed: {len(chunks)}\n"

    def commands(self) -> dict[str, dict[str, Any]]:
        """The fakenos NOS command table of this switch."""

        def show(render: Any) -> dict[str, Any]:
            return {"output": lambda _device, **_kw: render(), "help": "", "prompt": PROMPTS}

        return {
            "enable": {"output": None, "new_prompt": "{base_prompt}#", "help": "", "prompt": "{base_prompt}>"},
            "terminal width 511": {"output": "", "help": "", "prompt": PROMPTS},
            "terminal length 0": {"output": "", "help": "", "prompt": PROMPTS},
            "show version": show(self.show_version),
            "show hosts": show(self.show_hosts),
            "show ip interface brief": show(self.show_ip_interface_brief),
            "show interfaces": show(self.show_interfaces),
            "show interface summary": show(self.show_interface_summary),
            "show interfaces transceiver": show(self.show_interfaces_transceiver),
            "show lldp neighbors detail": show(self.show_lldp_neighbors_detail),
            "_default_": {"output": "% Invalid input detected at '^' marker.", "help": "", "prompt": PROMPTS},
        }


def free_port(addresses: list[str]) -> int:
    """A TCP port free on every one of `addresses` (all of 127.0.0.0/8 is loopback on Linux)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((addresses[0], 0))
            port: int = probe.getsockname()[1]
        try:
            for address in addresses:
                with socket.socket() as sock:
                    sock.bind((address, port))
        except OSError:
            continue
        return port
    raise RuntimeError(f"no TCP port free on all of {addresses}")


def _wake_accepting_sessions(ssh_server: Any) -> None:
    """Let fakenos connection workers still blocked in ``Transport.accept()`` (no timeout) finish.

    fakenos closes its transports on stop, but paramiko's ``accept(timeout=None)`` waits on a condition that
    closing does not notify: a worker whose client connected and never opened a channel would block forever,
    and as a non-daemon thread it keeps the interpreter from exiting. Closing + notifying ends its wait.
    """
    lock = getattr(ssh_server, "_active_sessions_lock", None)
    sessions = getattr(ssh_server, "_active_sessions", None)
    if lock is None or sessions is None:
        return
    with lock:
        pending = list(sessions)
    for session in pending:
        session.close()
        with session.server_accept_cv:
            session.server_accept_cv.notify_all()


class SimIosNetwork:
    """One fakenos SSH server per switch, each on its own loopback address (127.0.0.10, .11 …), one port.

    As in a real network the switches differ by address and share the SSH port, so the collector's
    ``napalm.port`` applies to all of them. ``addresses[name]`` and ``port`` are set by start().
    """

    def __init__(self, switches: list[SimIosSwitch], username: str, password: str, first_address: int = 10) -> None:
        self.switches = {switch.hostname: switch for switch in switches}
        self.username = username
        self.password = password
        self.addresses = {name: f"127.0.0.{first_address + i}" for i, name in enumerate(self.switches)}
        self.port = 0
        self._servers: dict[str, Any] = {}

    def start(self) -> None:
        from fakenos import FakeNOS
        from fakenos.core.nos import Nos

        self.port = free_port(list(self.addresses.values()))
        for name, switch in self.switches.items():
            nos_name = f"metronet_ios_{name}"
            nos = Nos(name=nos_name, initial_prompt="{base_prompt}>", commands=switch.commands())
            host = {
                "username": self.username,
                "password": self.password,
                "port": self.port,
                "nos": {"plugin": nos_name},
                "server": {
                    "plugin": "ParamikoSshServer",
                    "configuration": {"address": self.addresses[name], "timeout": 1},
                },
            }
            server = FakeNOS(inventory={"hosts": {name: host}}, plugins=[nos])
            server.start()
            self._servers[name] = server

    def stop(self, names: list[str] | None = None) -> None:
        """Stop all servers (or only `names`: those switches become unreachable)."""
        for name in list(self._servers) if names is None else names:
            server = self._servers.pop(name, None)
            if server is not None:
                ssh_servers = [host.server for host in server.hosts.values() if host.server is not None]
                server.stop()
                for ssh in ssh_servers:
                    _wake_accepting_sessions(ssh)

    def __enter__(self) -> SimIosNetwork:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
