"""Real services for the collector tests: a throwaway InfluxDB 1.6.7 and helpers (imported by conftest)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from metronet_collectors.sim import find_binary


def require_binary(name: str, package: str) -> str:
    try:
        return find_binary(name, package)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


def free_tcp_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class InfluxDB:
    """A throwaway influxd (Debian package `influxdb`, 1.6.7) with its data in a temp dir."""

    def __init__(self, workdir: Path) -> None:
        self.binary = require_binary("influxd", "influxdb")
        self.workdir = workdir
        self.port = free_tcp_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = workdir / "influxdb.conf"
        self.config.write_text(
            f"""reporting-enabled = false
bind-address = "127.0.0.1:{free_tcp_port()}"
[meta]
  dir = "{workdir}/meta"
[data]
  dir = "{workdir}/data"
  wal-dir = "{workdir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:{self.port}"
  log-enabled = false
[monitor]
  store-enabled = false
""",
            encoding="utf-8",
        )

    def start(self) -> None:
        log = open(self.workdir / "influxd.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [self.binary, "-config", str(self.config)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/ping", timeout=1) as response:
                    if response.status == 204:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"influxd did not start; see {self.workdir / 'influxd.log'}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def query(self, q: str, db: str = "") -> list[dict[str, Any]]:
        params = urllib.parse.urlencode({"q": q, "db": db, "epoch": "ns"})
        request = urllib.request.Request(f"{self.url}/query", data=params.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            result = json.load(response)["results"][0]
        if "error" in result:
            raise RuntimeError(result["error"])
        series: list[dict[str, Any]] = result.get("series", [])
        return series

    def rows(self, q: str, db: str) -> list[dict[str, Any]]:
        """Query result as dicts (column → value), tags included for GROUP BY queries."""
        out = []
        for serie in self.query(q, db):
            for values in serie["values"]:
                row = dict(zip(serie["columns"], values, strict=True))
                row.update(serie.get("tags", {}))
                out.append(row)
        return out

    def create_database(self, name: str) -> None:
        self.query(f'CREATE DATABASE "{name}"')

    def count(self, db: str, measurement: str, field: str) -> int:
        rows = self.rows(f'SELECT count("{field}") FROM "{measurement}"', db)
        return int(rows[0]["count"]) if rows else 0
