"""Control simulated devices from a shell (for demos and the alerting tests).

python -m metronet_collectors.sim serve STATE.json --port 16101 [--create NAME --ports 24]
python -m metronet_collectors.sim link STATE.json ge-0/0/5 down|up
python -m metronet_collectors.sim reboot STATE.json
python -m metronet_collectors.sim delay STATE.json 2.5
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from metronet_collectors.sim.agent import SimDevice, SimInterface, SnmpdAgent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metronet_collectors.sim", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run snmpd for a state file until interrupted")
    serve.add_argument("state", type=Path)
    serve.add_argument("--port", type=int, default=16101)
    serve.add_argument("--community", default="public")
    serve.add_argument("--create", metavar="NAME", help="create the state file: a switch named NAME")
    serve.add_argument("--ports", type=int, default=24, help="ports of a created switch (1 Gbit/s, 10 Mbit/s in)")
    link = commands.add_parser("link", help="take a link down or bring it up")
    link.add_argument("state", type=Path)
    link.add_argument("interface")
    link.add_argument("updown", choices=("up", "down"))
    reboot = commands.add_parser("reboot", help="restart sysUpTime and all counters")
    reboot.add_argument("state", type=Path)
    delay = commands.add_parser("delay", help="make every poll this many seconds slower")
    delay.add_argument("state", type=Path)
    delay.add_argument("seconds", type=float)
    optics = commands.add_parser("optics", help="change a port's DOM readings (e.g. a degraded rx power)")
    optics.add_argument("state", type=Path)
    optics.add_argument("interface")
    for name in ("rx-dbm", "tx-dbm", "temperature-c", "bias-ma", "voltage-v"):
        optics.add_argument(f"--{name}", type=float)
    args = parser.parse_args(argv)

    if args.command == "serve":
        if args.create:
            ports = [SimInterface(f"ge-0/0/{i}", in_bps=1e7, out_bps=5e6) for i in range(args.ports)]
            SimDevice.create(args.state.resolve(), args.create, ports)
        agent = SnmpdAgent(SimDevice(args.state.resolve()), port=args.port, community=args.community)
        agent.start()  # before blocking the signals: snmpd would inherit the mask
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        print(f"serving {args.state} on udp:127.0.0.1:{agent.port} (community {args.community}); Ctrl-C stops")
        try:
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
        finally:
            agent.stop()
        return 0
    device = SimDevice(args.state)
    if args.command == "link":
        device.set_link(args.interface, up=args.updown == "up")
    elif args.command == "optics":
        names = ("rx_dbm", "tx_dbm", "temperature_c", "bias_ma", "voltage_v")
        values = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
        if not values:
            parser.error("optics: give at least one of --rx-dbm, --tx-dbm, --temperature-c, --bias-ma, --voltage-v")
        device.set_optics(args.interface, **values)
    elif args.command == "reboot":
        device.reboot()
    else:
        device.set_delay(args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
