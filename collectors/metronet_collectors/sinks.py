"""Where line protocol goes: InfluxDB's v1 ``/write`` API (1.x) or the v2 API via influxdb-client (2.x, 3.x, 1.8+).

A sink takes a batch of lines and either accepts it or raises :class:`SinkError`. ``retryable`` errors
(server down, 5xx, 429, timeouts, auth/database problems an operator can fix) keep the batch in the spool
for a later retry; non-retryable ones (400: the data itself is rejected) drop it, counted.

Each batch goes out as **one** request body: the lines joined once and encoded to bytes (influxdb-client is
never handed a list of lines, which it would serialize item by item). With ``sink.gzip: true`` the body is
compressed with gzip level 1 (``Content-Encoding: gzip``; influxdb-client's own ``enable_gzip`` uses level 9,
~5× the CPU for ~20 % fewer bytes, so it stays off). Default off: on a LAN compression costs more than it
saves (benchmarks/sink_bench.py).
"""

from __future__ import annotations

import asyncio
import gzip
import logging
from typing import Any, Protocol
from urllib.parse import urlencode

import urllib3

from metronet_collectors.config import SinkConfig

log = logging.getLogger(__name__)
GZIP_LEVEL = 1


def encode_batch(lines: list[str], compress: bool) -> bytes:
    """One request body for a batch: the lines joined by newlines, UTF-8, gzip level 1 if `compress`."""
    body = "\n".join(lines).encode("utf-8")
    return gzip.compress(body, compresslevel=GZIP_LEVEL) if compress else body


class SinkError(Exception):
    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class Sink(Protocol):
    """Extension point: writes one batch of line-protocol lines (raises SinkError)."""

    name: str

    async def write(self, lines: list[str]) -> None: ...

    def close(self) -> None: ...


def _classify(status: int, body: str, what: str) -> SinkError:
    message = f"{what}: HTTP {status}: {body[:300]}"
    return SinkError(message, retryable=status != 400)


class InfluxV1Sink:
    """POST /write?db=…&precision=ns (InfluxDB 1.x; also 2.x/3.x through their v1 compatibility API)."""

    name = "influxdb_v1"

    def __init__(self, config: SinkConfig) -> None:
        params = {"db": config.database, "precision": "ns"}
        if config.retention_policy:
            params["rp"] = config.retention_policy
        self.url = f"{config.url.rstrip('/')}/write?{urlencode(params)}"
        self.headers = {"Content-Type": "text/plain; charset=utf-8"}
        self.gzip = config.gzip
        if config.gzip:
            self.headers["Content-Encoding"] = "gzip"
        if config.username:
            self.headers.update(urllib3.make_headers(basic_auth=f"{config.username}:{config.password or ''}"))
        self.http = urllib3.PoolManager(
            num_pools=2, maxsize=2, timeout=urllib3.Timeout(total=config.timeout_s), retries=False
        )

    def _post(self, body: bytes) -> None:
        try:
            response = self.http.request("POST", self.url, body=body, headers=self.headers)
        except urllib3.exceptions.HTTPError as exc:
            raise SinkError(f"influxdb_v1: {type(exc).__name__}: {exc}", retryable=True) from exc
        if response.status not in (200, 204):
            raise _classify(response.status, response.data.decode("utf-8", "replace"), "influxdb_v1")

    async def write(self, lines: list[str]) -> None:
        await asyncio.to_thread(lambda: self._post(encode_batch(lines, self.gzip)))

    def close(self) -> None:
        self.http.clear()


class InfluxV2Sink:
    """Writes pre-serialized line protocol through influxdb-client's write service (no hidden retries).

    ``WriteService.post_write`` is what the synchronous ``WriteApi.write`` calls after serializing its
    records; called directly with the finished body it also takes ``content_encoding``, so the sink can
    send its own gzip level 1 body. The client is created without ``enable_gzip`` (which would gzip every
    body again at level 9).
    """

    name = "influxdb_v2"

    def __init__(self, config: SinkConfig) -> None:
        from influxdb_client.client.influxdb_client import InfluxDBClient
        from influxdb_client.domain.write_precision import WritePrecision
        from influxdb_client.service.write_service import WriteService

        self.bucket = config.bucket
        self.org = config.org
        self.precision: Any = WritePrecision.NS
        self.client = InfluxDBClient(
            url=config.url,
            token=str(config.token or ""),
            org=config.org,
            timeout=int(config.timeout_s * 1000),
            retries=False,
            enable_gzip=False,
        )
        self.gzip = config.gzip
        self.service = WriteService(self.client.api_client)  # type: ignore[no-untyped-call]

    def _write(self, lines: list[str]) -> None:
        from influxdb_client.rest import ApiException

        options: dict[str, str] = {"content_encoding": "gzip"} if self.gzip else {}
        try:
            self.service.post_write(  # type: ignore[no-untyped-call]
                org=self.org,
                bucket=self.bucket,
                body=encode_batch(lines, self.gzip),
                precision=self.precision,
                content_type="text/plain; charset=utf-8",
                **options,
            )
        except ApiException as exc:
            raise _classify(int(exc.status or 0), str(exc.body or exc.reason), "influxdb_v2") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise SinkError(f"influxdb_v2: {type(exc).__name__}: {exc}", retryable=True) from exc

    async def write(self, lines: list[str]) -> None:
        await asyncio.to_thread(self._write, lines)

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]


def make_sink(config: SinkConfig) -> Sink:
    if config.type == "influxdb_v2":
        return InfluxV2Sink(config)
    return InfluxV1Sink(config)
