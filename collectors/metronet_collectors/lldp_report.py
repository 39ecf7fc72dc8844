"""Client side of the plugin's LLDP report: each device's neighbor snapshot posted to NetBox.

Contract (the server side lives in the NetBox plugin and is tested there)::

    POST {netbox.url}/api/plugins/metronet/lldp-neighbors/report/
    Authorization: Token <netbox.token>
    {"device": "sw-mu-agg", "observed_at": "2026-11-25T12:00:00Z",
     "neighbors": [{"local_interface": "Te1/1/1", "remote_system": "sw-mu-core", "remote_port": "Te1/0/1",
                    "remote_port_description": "…", "remote_chassis_id": "…"}]}
    → 200 {"created": n, "updated": n, "deleted": n}   (a full snapshot: replaces that device's neighbors)
    → 400 field errors; 403 no permission

Polling never waits for it: :meth:`LldpReporter.submit` only records the device's latest snapshot; a
background task posts pending snapshots (HTTP in a worker thread). A failed post stays pending and is
retried on the next round (every ``retry_s``, or sooner when a new snapshot arrives), unless a newer
snapshot replaced it; a 400 answer drops that snapshot (the server refuses it; retrying cannot help).
Outcomes are counted in ``metronet_lldp_reports_total{result}``; log lines never contain the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import urllib3

from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import LldpNeighbor

log = logging.getLogger(__name__)
REPORT_PATH = "/api/plugins/metronet/lldp-neighbors/report/"


@dataclass(frozen=True)
class LldpSnapshot:
    device: str  # NetBox device name
    observed_at_ns: int
    neighbors: list[LldpNeighbor]

    def payload(self) -> dict[str, object]:
        observed = datetime.fromtimestamp(self.observed_at_ns / 1e9, tz=UTC)
        return {
            "device": self.device,
            "observed_at": observed.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "neighbors": [asdict(n) for n in self.neighbors],
        }


class ReportError(Exception):
    def __init__(self, reason: str, message: str, retry: bool) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry = retry


class LldpReporter:
    """Posts the latest LLDP snapshot of each device to NetBox, in the background."""

    def __init__(
        self,
        url: str,
        token: str,
        metrics: CollectorMetrics,
        timeout_s: float = 10.0,
        verify_tls: bool = True,
        retry_s: float = 30.0,
    ) -> None:
        self.endpoint = url.rstrip("/") + REPORT_PATH
        self._headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.metrics = metrics
        self.retry_s = retry_s
        self._http = urllib3.PoolManager(
            timeout=urllib3.Timeout(total=timeout_s),
            retries=False,
            cert_reqs="CERT_REQUIRED" if verify_tls else "CERT_NONE",
        )
        self.pending: dict[str, LldpSnapshot] = {}
        self.results: dict[str, dict[str, int]] = {}  # device → last 200 answer
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def submit(self, snapshot: LldpSnapshot) -> None:
        """Record a device's snapshot (replacing an unsent older one); never blocks."""
        self.pending[snapshot.device] = snapshot
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._http.clear()

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.retry_s)
            self._wake.clear()
            await self.flush()

    async def flush(self) -> None:
        """Post every pending snapshot once; failures that may succeed later stay pending."""
        for device, snapshot in list(self.pending.items()):
            try:
                answer = await asyncio.to_thread(self._post, snapshot)
            except ReportError as exc:
                self.metrics.lldp_reports.labels(result=exc.reason).inc()
                log.warning("LLDP report for %s failed (%s): %s", device, exc.reason, exc)
                if not exc.retry and self.pending.get(device) is snapshot:
                    del self.pending[device]
                continue
            self.metrics.lldp_reports.labels(result="ok").inc()
            self.results[device] = answer
            if self.pending.get(device) is snapshot:
                del self.pending[device]

    def _post(self, snapshot: LldpSnapshot) -> dict[str, int]:
        body = json.dumps(snapshot.payload()).encode()
        started = time.monotonic()
        try:
            response = self._http.request("POST", self.endpoint, body=body, headers=self._headers)
        except urllib3.exceptions.NewConnectionError:  # (a subclass of ConnectTimeoutError in urllib3 2.x)
            raise ReportError("unreachable", "NetBox unreachable: connection failed", True) from None
        except urllib3.exceptions.TimeoutError:
            raise ReportError(
                "timeout", f"no answer from NetBox within {time.monotonic() - started:.1f} s", True
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            raise ReportError("unreachable", f"NetBox unreachable: {type(exc).__name__}", True) from None
        status = response.status
        if status in (401, 403):
            raise ReportError("auth", f"HTTP {status}: the token may not report LLDP neighbors", True)
        if status == 400:
            raise ReportError("rejected", f"HTTP 400: {response.data[:300].decode('utf-8', 'replace')}", False)
        if status != 200:
            raise ReportError("http_error", f"HTTP {status}", True)
        try:
            answer = json.loads(response.data)
            return {key: int(answer[key]) for key in ("created", "updated", "deleted")}
        except (ValueError, KeyError, TypeError):
            raise ReportError("bad_response", "the answer is not {created, updated, deleted}", True) from None
