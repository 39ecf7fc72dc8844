"""The benchmark's prometheus-snmp-exporter anchor: its generated snmp.yml is valid and walks the real agent."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from collector_services import free_tcp_port, require_binary

from metronet_collectors.sim import SimInterface

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import collector_bench  # noqa: E402


def test_exporter_module_walks_the_same_columns(sim_agent, tmp_path):
    binary = require_binary("prometheus-snmp-exporter", "prometheus-snmp-exporter")
    _, agent = sim_agent("sw1", [SimInterface(f"Gi1/0/{i}", 8e6 * i, 1e6) for i in range(1, 13)])
    config = tmp_path / "snmp.yml"
    config.write_text(collector_bench.snmp_exporter_config(), encoding="utf-8")
    check = subprocess.run([binary, f"--config.file={config}", "--dry-run"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    port = free_tcp_port()
    process = subprocess.Popen(
        [binary, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        query = urllib.parse.urlencode({"target": f"127.0.0.1:{agent.port}", "module": "metronet_if"})
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/snmp?{query}", timeout=10) as response:
                    body = response.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "snmp_exporter did not answer"
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert body.count("\nif_in_discards{") == 12
    assert 'if_in64{ifIndex="12"}' in body and "sysUpTime " in body
