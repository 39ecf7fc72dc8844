"""A loopback webhook receiver for Alertmanager: logs every alert it is sent and keeps the notifications.

    python alerts/webhook_receiver.py --listen 127.0.0.1:9095 --out .data/alerts/notifications.jsonl

Alertmanager's ``webhook_configs`` POST a JSON document (version 4) per notification: a group of alerts
for one receiver. For each alert one UTF-8 line goes to standard output::

    2026-11-25T10:15:02Z noc-critical firing MetroNetAccessLinkDown severity=critical
        organizations="Gymnázium Bílina" summary="Gymnázium Bílina is offline: ..."     (one line)

and each notification is appended as one JSON line to ``--out`` (``received_at`` = Unix time of arrival,
``path``, ``receiver``, ``status``, ``groupKey``, ``alerts`` as sent), flushed at once so tests and
benchmarks can read it while the receiver runs. ``organizations`` is the alert's ``organizations`` label
(topology: who is offline) or else its ``organization`` label. ``GET /-/healthy`` answers 200.
Standard library only (``http.server``); it listens on loopback addresses only.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_BODY = 8 << 20


def alert_line(receiver: str, alert: dict[str, Any], now: float | None = None) -> str:
    """The log line of one alert (status, alertname, severity, organizations, summary)."""
    labels: dict[str, str] = alert.get("labels", {})
    annotations: dict[str, str] = alert.get("annotations", {})
    organizations = labels.get("organizations") or labels.get("organization") or ""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if now is None else now))
    return (
        f"{stamp} {receiver} {alert.get('status', '?')} {labels.get('alertname', '?')} "
        f"severity={labels.get('severity', '')} organizations={json.dumps(organizations, ensure_ascii=False)} "
        f"summary={json.dumps(annotations.get('summary', ''), ensure_ascii=False)}"
    )


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], out: Path | None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.out = out
        self.lock = threading.Lock()
        self.count = 0
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)

    def record(self, path: str, payload: dict[str, Any]) -> None:
        received_at = time.time()
        receiver = str(payload.get("receiver") or path.rstrip("/").rsplit("/", 1)[-1])
        with self.lock:
            self.count += 1
            for alert in payload.get("alerts", []):
                print(alert_line(receiver, alert, received_at), flush=True)
            if self.out is not None:
                entry = {"received_at": received_at, "path": path, "receiver": receiver,
                         "status": payload.get("status"), "groupKey": payload.get("groupKey"),
                         "alerts": payload.get("alerts", [])}
                with self.out.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Handler(BaseHTTPRequestHandler):
    server: Receiver
    protocol_version = "HTTP/1.1"

    def _answer(self, code: int, body: bytes = b"") -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path in ("/-/healthy", "/-/ready"):
            self._answer(200, b"OK\n")
        else:
            self._answer(404, b"not found\n")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            self._answer(400, b"expected a JSON body\n")
            return
        try:
            payload = json.loads(self.rfile.read(length).decode("utf-8"))
            if not isinstance(payload, dict) or not isinstance(payload.get("alerts", []), list):
                raise ValueError("not an Alertmanager webhook document")
        except ValueError as exc:
            self._answer(400, f"bad request: {exc}\n".encode())
            return
        self.server.record(self.path, payload)
        self._answer(200, b"OK\n")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        pass  # one line per alert is logged instead of one per request


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:9095", help="loopback HOST:PORT (default 127.0.0.1:9095)")
    parser.add_argument("--out", type=Path, help="append each notification as a JSON line to this file")
    args = parser.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    host = host.strip("[]")
    if not ipaddress.ip_address(host).is_loopback:
        parser.error(f"--listen: {host} is not a loopback address")
    sys.stdout.reconfigure(encoding="utf-8", line_buffering=True)  # type: ignore[union-attr]
    server = Receiver((host, int(port)), args.out)
    print(f"webhook receiver on http://{args.listen}/ (notifications: {args.out or 'not kept'})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
