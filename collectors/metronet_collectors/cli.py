"""``metronet-collector``: run | poll-once DEVICE | check-config.

Exit codes: 0 ok; 1 the poll (poll-once) failed; 2 the configuration is invalid (each error names the field)
or the command line is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from prometheus_client import CollectorRegistry, start_http_server

from metronet_collectors.collector import Collector
from metronet_collectors.config import Config, ConfigError, load_config
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.scheduler import shard_devices

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
DEFAULT_CONFIG = "/etc/metronet/collector.yaml"
log = logging.getLogger("metronet_collectors")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="metronet-collector", description=__doc__.splitlines()[0])
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        default=Path(os.environ.get("METRONET_COLLECTOR_CONFIG", DEFAULT_CONFIG)),
        help=f"YAML config (default: $METRONET_COLLECTOR_CONFIG or {DEFAULT_CONFIG})",
    )
    parser.add_argument("--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"), help="overrides log_level")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="poll every device forever and write to InfluxDB (stop with SIGTERM)")
    once = commands.add_parser("poll-once", help="poll one device and print the line protocol it would write")
    once.add_argument("device", help="device name as in the config")
    once.add_argument(
        "--rates", type=float, default=0.0, metavar="SECONDS", help="poll twice, SECONDS apart, to include rates"
    )
    commands.add_parser("check-config", help="validate the config and exit (0 ok, 2 invalid)")
    return parser


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("pysnmp").setLevel(logging.WARNING)


def _check(config: Config) -> int:
    if config.netbox.url:
        print(
            f"{config.source}: OK: devices from NetBox {config.netbox.url} (refreshed every "
            f"{config.netbox.refresh_s:.0f} s), {len(config.auths)} auths, sink {config.sink.type} {config.sink.url}, "
            f"spool {config.spool.directory} (max {config.spool.max_bytes} bytes)"
        )
        return EXIT_OK
    mine = shard_devices(config.devices, config.shard_index, config.shard_count)
    print(
        f"{config.source}: OK: {len(config.devices)} devices ({len(mine)} in shard {config.shard_index} of "
        f"{config.shard_count}), {len(config.auths)} auths, sink {config.sink.type} {config.sink.url}, "
        f"spool {config.spool.directory} (max {config.spool.max_bytes} bytes)"
    )
    return EXIT_OK


async def _poll_once(config: Config, name: str, rates_after_s: float) -> int:
    collector = Collector(config, CollectorMetrics(CollectorRegistry()))
    devices = await collector.inventory.refresh() or []
    device = next((d for d in devices if d.name == name), None)
    if device is None:
        where = f"NetBox {config.netbox.url}" if config.netbox.url else str(config.source)
        print(f"error: no device named {name!r} in {where}", file=sys.stderr)
        collector.poller.close()
        return EXIT_CONFIG
    try:
        lines = await collector.poll_device(device)
        if rates_after_s > 0 and device.name not in collector.last_errors:
            await asyncio.sleep(rates_after_s)
            lines = await collector.poll_device(device)
    finally:
        collector.poller.close()
    for line in lines:
        print(line)
    error = collector.last_errors.get(device.name)
    if error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


async def _run(config: Config) -> int:
    registry = CollectorRegistry()
    metrics = CollectorMetrics(registry)
    if config.metrics_listen:
        host, port = config.metrics_listen.rsplit(":", 1)
        start_http_server(int(port), addr=host, registry=registry)
        log.info("metrics on http://%s/metrics", config.metrics_listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await Collector(config, metrics).run(stop)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        for error in exc.errors:
            print(f"config error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    _setup_logging(args.log_level or config.log_level)
    if args.command == "check-config":
        return _check(config)
    if args.command == "poll-once":
        return asyncio.run(_poll_once(config, args.device, args.rates))
    return asyncio.run(_run(config))
