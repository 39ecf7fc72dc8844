"""The influxdb_v2 sink (influxdb-client, ``/api/v2/write``) against a real server that speaks it.

Debian's InfluxDB 1.6.7 has no ``/api/v2/write``; Debian's ``victoria-metrics`` does (it accepts what
influxdb-client sends: gzip, token header, org/bucket parameters, ns precision). VictoriaMetrics stores
each field as a series ``<measurement>_<field>`` with the tags as labels and does not validate data, so
this test checks the client path — delivery, batching, gzip, and replay after an outage — and counts
samples; data correctness is tested against InfluxDB 1.6.7 (test_collector_e2e.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from collector_services import InfluxDB, free_tcp_port, require_binary
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import Secret, SinkConfig, parse_config
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.sim import SimInterface
from metronet_collectors.sinks import InfluxV1Sink, InfluxV2Sink, SinkError

if TYPE_CHECKING:  # the fixtures' types; conftest is not imported by name (several test folders have one)
    from conftest import ConfigBuilder, SimFactory


class VictoriaMetrics:
    def __init__(self, workdir: Path) -> None:
        self.binary = require_binary("victoria-metrics", "victoria-metrics")
        self.workdir = workdir
        self.port = free_tcp_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.workdir / "victoria-metrics.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [
                self.binary,
                f"-httpListenAddr=127.0.0.1:{self.port}",
                f"-storageDataPath={self.workdir / 'vm-data'}",
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-loggerLevel=ERROR",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"victoria-metrics did not start; see {self.workdir / 'victoria-metrics.log'}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def samples(self, metric: str) -> list[tuple[dict[str, str], list[int]]]:
        """Every stored sample of `metric`: (labels, timestamps in ms)."""
        with urllib.request.urlopen(f"{self.url}/internal/force_flush", timeout=10):
            pass
        query = urllib.parse.urlencode({"match[]": metric, "start": "0"})
        with urllib.request.urlopen(f"{self.url}/api/v1/export?{query}", timeout=10) as response:
            lines = response.read().decode().splitlines()
        out = []
        for line in lines:
            item = json.loads(line)
            out.append((item["metric"], item["timestamps"]))
        return out


class TcpGate:
    """A loopback TCP forwarder in front of a server, to cut it off without stopping it.

    Stopping VictoriaMetrics itself would test its shutdown (a batch acknowledged while it closes its
    storage can be lost there); closing the gate refuses new connections and drops open ones, which is
    what an outage looks like to the client.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_tcp_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.bytes_forwarded = 0  # client → server, request bytes as sent on the wire

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave the port listening.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._open += [client, upstream]
            for a, b, count in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pipe, args=(a, b, count), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self._lock:
                        self.bytes_forwarded += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, sink):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def victoria(tmp_path: Path) -> Iterator[VictoriaMetrics]:
    server = VictoriaMetrics(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_v2_sink_delivers_everything_across_an_outage(
    victoria: VictoriaMetrics,
    sim_agent: SimFactory,
    config_dict: ConfigBuilder,
    monkeypatch: pytest.MonkeyPatch,
    gzip: bool,
) -> None:
    monkeypatch.setenv("METRONET_TEST_INFLUX_TOKEN", "metronet-v2-token")
    _, agent = sim_agent("sw-v2", [SimInterface("ge-0/0/1", in_bps=8e6), SimInterface("ge-0/0/2", in_bps=1e6)])
    data = config_dict([("sw-v2", agent, "v2")])
    gate = TcpGate(victoria.port)
    gate.open()
    data["sink"] = {
        "type": "influxdb_v2",
        "url": gate.url,
        "org": "metronet",
        "bucket": "metronet",
        "token": {"env": "METRONET_TEST_INFLUX_TOKEN"},
        "batch_lines": 3,  # several batches per poll
        "retry_initial_s": 0.2,
        "retry_max_s": 0.5,
        "gzip": gzip,
    }
    config = parse_config(data)
    assert config.sink.gzip is gzip
    registry = CollectorRegistry()
    collector = Collector(config, CollectorMetrics(registry))

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(collector.run(stop, drain_timeout_s=30.0))
        # (drain returns once the spool is empty; the long bound only matters on a loaded machine)
        await asyncio.sleep(1.6)
        gate.close()  # outage: points pile up in the spool, polling goes on
        await asyncio.sleep(2.2)
        gate.open()
        await asyncio.sleep(2.0)
        stop.set()
        await task

    try:
        asyncio.run(scenario())
    finally:
        gate.close()
    pipeline = collector.pipeline
    assert pipeline is not None
    errors = registry.get_sample_value("metronet_sink_errors_total", {"retryable": "true"})
    assert errors and errors > 0  # the outage was seen by the v2 client path

    # VictoriaMetrics makes rows searchable about a second after it acknowledged them (in-memory buffers):
    # read again for up to 5 s until every written point is visible.
    deadline = time.monotonic() + 5
    while True:
        octets = victoria.samples("interface_in_octets")
        reachable = victoria.samples("device_reachable")
        stored = sum(len(ts) for _, ts in octets) + sum(len(ts) for _, ts in reachable)
        if stored >= pipeline.points_written or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert pipeline.points_spooled == pipeline.points_written == stored > 0
    labels = {item[0]["interface"]: item[0] for item in octets}
    assert sorted(labels) == ["ge-0/0/1", "ge-0/0/2"]
    assert labels["ge-0/0/1"]["device"] == "sw-v2" and labels["ge-0/0/1"]["site"] == "Bílina radnice"
    polls = registry.get_sample_value("metronet_polls_total", {"device": "sw-v2"}) or 0
    assert sum(len(ts) for _, ts in reachable) == polls >= 5  # one device point per poll, outage included


def _lines(n: int, t0: int) -> list[str]:
    return [
        f"interface,device=sw-{i % 50:02d},interface=Gi1/0/{i % 48 + 1},site=Bílina\\ radnice "
        f"in_octets={123_456_789 + i}i,out_octets={98_765_432 + i}i,in_bps={8e6 + i} {t0 + i * 1_000_000_000}"
        for i in range(n)
    ]


def test_v2_sink_sends_one_body_per_batch_gzip_level_1_when_asked(victoria: VictoriaMetrics) -> None:
    """Both settings deliver every line; with gzip the request bytes on the wire shrink (it really compresses)."""
    sent: dict[bool, int] = {}
    for run, compress in enumerate((False, True)):
        gate = TcpGate(victoria.port)
        gate.open()
        sink = InfluxV2Sink(
            SinkConfig(
                type="influxdb_v2",
                url=gate.url,
                org="metronet",
                bucket="b",
                token=Secret("t"),
                gzip=compress,
            )
        )
        try:
            asyncio.run(sink.write(_lines(2000, time.time_ns() - 10**13 + run * 10**12)))
        finally:
            sink.close()
            gate.close()
        sent[compress] = gate.bytes_forwarded
    assert sent[False] > 2000 * 80  # the plain body went out as it is
    assert sent[True] < sent[False] / 5  # gzip: far fewer bytes for the same lines
    deadline = time.monotonic() + 5
    while sum(len(ts) for _, ts in victoria.samples("interface_in_octets")) < 4000 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert sum(len(ts) for _, ts in victoria.samples("interface_in_octets")) == 4000


def test_v2_sink_server_down_is_retryable() -> None:
    """The spool keeps a batch the server did not take (the pipeline retries it): a refused connection is retryable."""
    url = f"http://127.0.0.1:{free_tcp_port()}"
    down = InfluxV2Sink(SinkConfig(type="influxdb_v2", url=url, org="o", bucket="b", token=Secret("t")))
    with pytest.raises(SinkError) as failed:
        asyncio.run(down.write(_lines(3, 1)))
    down.close()
    assert failed.value.retryable is True and "influxdb_v2" in str(failed.value)


def test_v1_sink_gzip_into_influxdb(influxdb: InfluxDB, influx_db: str) -> None:
    for run, compress in enumerate((False, True)):
        sink = InfluxV1Sink(SinkConfig(url=influxdb.url, database=influx_db, gzip=compress))
        try:
            asyncio.run(sink.write(_lines(500, 1_790_000_000_000_000_000 + run * 10**13)))
        finally:
            sink.close()
    assert influxdb.count(influx_db, "interface", "in_octets") == 1000
