"""The real alert pipeline on loopback for tests and the latency benchmark.

Prometheus 2.42 and Alertmanager 0.25 (Debian packages ``prometheus``, ``prometheus-alertmanager``), the
webhook receiver (``alerts/webhook_receiver.py``), all as child processes with their data in a temporary
directory and free ports. The rule file is the production one with its durations scaled from minutes
to seconds (``scaled_rules``); the Alertmanager configuration is the production one with the receiver
URLs and the grouping timers changed (``adapted_alertmanager_config``).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "alerts" / "prometheus" / "metronet.rules.yml"
AM_CONFIG = ROOT / "alerts" / "alertmanager" / "alertmanager.yml"
RECEIVER = ROOT / "alerts" / "webhook_receiver.py"
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d)")


class MissingBinary(RuntimeError):
    pass


def binary(name: str, package: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if path is None:
        raise MissingBinary(f"`{name}` not found: install the Debian package `{package}` (apt-get install {package})")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def seconds(duration: str) -> float:
    """'1h30m' → 5400.0 (Prometheus duration syntax)."""
    return sum(int(n) * _UNITS[u] for n, u in _DURATION.findall(duration))


def _format(value: float) -> str:
    return f"{round(value * 1000)}ms" if value < 1 or value != int(value) else f"{int(value)}s"


def scaled_rules(text: str, factor: float = 60.0, interval: str = "1s") -> str:
    """The rule file with every ``for:`` and every range selector ``[…]`` divided by ``factor`` (minutes
    become seconds; ranges at least 2 s) and every group ``interval:`` set to ``interval``. Expressions,
    labels and annotations are otherwise the production ones."""

    def scale_for(match: re.Match[str]) -> str:
        value = seconds(match.group(2))
        return f"{match.group(1)}{_format(value / factor) if value else '0s'}"

    def scale_range(match: re.Match[str]) -> str:
        return f"[{_format(max(2.0, seconds(match.group(1)) / factor))}]"

    text = re.sub(r"^(\s+for: )(\S+)$", scale_for, text, flags=re.M)
    text = re.sub(r"^(\s+interval: )\S+$", lambda m: m.group(1) + interval, text, flags=re.M)
    return re.sub(r"\[((?:\d+(?:ms|s|m|h|d))+)\]", scale_range, text)


def adapted_alertmanager_config(webhook_base: str, timer: str = "1s") -> str:
    """The production alertmanager.yml with the webhook URLs moved to ``webhook_base`` (scheme, host,
    port) and every group_wait / group_interval set to ``timer``; routes, grouping and inhibit rules kept."""
    config = yaml.safe_load(AM_CONFIG.read_text(encoding="utf-8"))
    for receiver in config["receivers"]:
        for hook in receiver.get("webhook_configs", []):
            path = urllib.parse.urlsplit(hook["url"]).path
            hook["url"] = webhook_base.rstrip("/") + path

    def routes(route: dict[str, Any]) -> None:
        for key in ("group_wait", "group_interval"):
            if key in route:
                route[key] = timer
        for child in route.get("routes", []):
            routes(child)

    routes(config["route"])
    config["route"]["group_wait"] = config["route"]["group_interval"] = timer
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def http_json(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def wait_until(check: Callable[[], Any], timeout: float, interval: float = 0.1, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout} s")
        time.sleep(interval)


class Service:
    """A child process in its own session with its output in ``<workdir>/<name>.log``."""

    def __init__(self, name: str, workdir: Path, argv: list[str], ready_url: str, env: dict[str, str] | None = None):
        self.name, self.workdir, self.argv, self.ready_url, self.env = name, workdir, argv, ready_url, env
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
                                            env=self.env, start_new_session=True)

        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.ready_url, timeout=1) as response:
                    return bool(response.status == 200)
            except OSError:
                return False

        try:
            wait_until(ready, timeout, 0.05, f"{self.name} ready at {self.ready_url}")
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"{self.name} did not become ready:\n{self.tail()}") from None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        self.process = None


class Webhook(Service):
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out = workdir / "notifications.jsonl"
        argv = [sys.executable, str(RECEIVER), "--listen", f"127.0.0.1:{self.port}", "--out", str(self.out)]
        super().__init__("webhook", workdir, argv, f"{self.url}/-/healthy")

    def notifications(self) -> list[dict[str, Any]]:
        if not self.out.exists():
            return []
        return [json.loads(line) for line in self.out.read_text(encoding="utf-8").splitlines() if line.strip()]

    def alerts(self, since: float = 0.0) -> list[tuple[float, dict[str, Any]]]:
        """(received_at, alert) of every alert received since ``since`` (Unix time)."""
        return [(n["received_at"], a) for n in self.notifications() if n["received_at"] >= since for a in n["alerts"]]


class Alertmanager(Service):
    def __init__(self, workdir: Path, config_text: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = workdir / "alertmanager.yml"
        workdir.mkdir(parents=True, exist_ok=True)
        config.write_text(config_text, encoding="utf-8")
        argv = [binary("prometheus-alertmanager", "prometheus-alertmanager"), f"--config.file={config}",
                f"--storage.path={workdir / 'am-data'}", f"--web.listen-address=127.0.0.1:{self.port}",
                "--cluster.listen-address=", "--log.level=warn"]
        super().__init__("alertmanager", workdir, argv, f"{self.url}/-/ready")

    def alerts(self) -> list[dict[str, Any]]:
        """Every alert Alertmanager holds (``status.state`` active / suppressed, ``status.inhibitedBy``)."""
        result: list[dict[str, Any]] = http_json(f"{self.url}/api/v2/alerts")
        return result


class Prometheus(Service):
    def __init__(self, workdir: Path, rules_text: str, targets: list[str], alertmanager: str,
                 interval: str = "1s") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "rules.yml").write_text(rules_text, encoding="utf-8")
        config = {
            "global": {"scrape_interval": interval, "evaluation_interval": interval, "scrape_timeout": interval},
            "rule_files": ["rules.yml"],
            "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]},
            "scrape_configs": [{"job_name": "metronet-collector", "static_configs": [{"targets": targets}]}],
        }
        (workdir / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        argv = [binary("prometheus", "prometheus"), f"--config.file={workdir / 'prometheus.yml'}",
                f"--storage.tsdb.path={workdir / 'tsdb'}", f"--web.listen-address=127.0.0.1:{self.port}",
                "--rules.alert.resend-delay=1s", "--log.level=warn"]
        super().__init__("prometheus", workdir, argv, f"{self.url}/-/ready")

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = http_json(f"{self.url}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        result: list[dict[str, Any]] = data["data"]["result"]
        return result
