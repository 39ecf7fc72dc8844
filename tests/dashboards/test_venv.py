"""grafana-client needs urllib3-future; installed with URLLIB3_NO_OVERRIDE=1 from source (scripts/lib.sh) it must
leave ``urllib3`` to upstream urllib3, so influxdb-client and the collector's sinks keep working."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

import urllib3


def test_urllib3_is_upstream_urllib3() -> None:
    files = importlib.metadata.files("urllib3-future") or []
    assert not any(str(f).startswith("urllib3/") for f in files), "urllib3-future overrides urllib3"
    assert not any(str(f).endswith("urllib3_future.pth") for f in files), "urllib3-future's startup hook is installed"
    upstream = importlib.metadata.distribution("urllib3")
    assert urllib3.__version__ == upstream.version
    assert not hasattr(urllib3, "AsyncPoolManager")  # an urllib3-future-only API


def test_influxdb_client_works_beside_grafana_client(influxdb) -> None:  # noqa: ANN001
    code = textwrap.dedent(f"""
        import grafana_client, niquests, urllib3_future  # the Grafana side is importable
        import urllib3
        from influxdb_client import InfluxDBClient
        client = InfluxDBClient(url="{influxdb.url}", token="", org="")
        assert client.ping(), "ping failed"
        client.close()
        r = urllib3.PoolManager().request("GET", "{influxdb.url}/ping")
        assert r.status == 204, r.status
        print("ok", urllib3.__version__)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok") and result.stderr == ""
