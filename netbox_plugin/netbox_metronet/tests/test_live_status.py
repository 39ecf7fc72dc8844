"""``live_status`` against a real InfluxDB 1.x (Debian's ``influxd``, started here on a free port).

Points are written with the collectors' schema (``docs/collectors.md``): measurement ``interface`` with tags
device/interface and field ``oper_status``; measurement ``device`` with field ``reachable``.
"""

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from utilities.testing import TestCase

from metronet_collectors.sim import find_binary
from netbox_metronet.live_status import get_live_status, query_live_status
from netbox_metronet.tests.test_topology_loader import VIEW_PERMISSIONS, build_plant

DB = "metronet"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class InfluxServer:
    """A throwaway influxd with its data in a temporary directory."""

    def __init__(self):
        self.binary = find_binary("influxd", "influxdb")
        self.dir = Path(tempfile.mkdtemp(prefix="metronet-influx-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (self.dir / "influxdb.conf").write_text(
            f'reporting-enabled = false\nbind-address = "127.0.0.1:{free_port()}"\n'
            f'[meta]\n  dir = "{self.dir}/meta"\n'
            f'[data]\n  dir = "{self.dir}/data"\n  wal-dir = "{self.dir}/wal"\n  query-log-enabled = false\n'
            f'[http]\n  bind-address = "127.0.0.1:{self.port}"\n  log-enabled = false\n'
            '[monitor]\n  store-enabled = false\n'
        )
        self.process = None

    def start(self):
        log = open(self.dir / "influxd.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen([self.binary, "-config", str(self.dir / "influxdb.conf")], stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/ping", timeout=1) as response:
                    if response.status == 204:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"influxd did not start; see {self.dir / 'influxd.log'}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def post(self, path: str, body: bytes, **params) -> None:
        url = f"{self.url}{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=10):
            pass

    def write(self, lines: list[str]) -> None:
        self.post("/write", "\n".join(lines).encode(), db=DB, precision="s")


def settings_for(url: str, **more) -> dict:
    """PLUGINS_CONFIG with the plugin's current settings and this InfluxDB."""
    current = settings.PLUGINS_CONFIG.get("netbox_metronet", {})
    return {"netbox_metronet": {**current, "influxdb": {"url": url, "database": DB, "timeout": 1.0, **more}}}


class LiveStatusTestCase(SimpleTestCase):
    server: InfluxServer

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = InfluxServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.server.post("/query", b"", q=f'CREATE DATABASE "{DB}"')
        now = int(time.time())
        cls.server.write([
            # sw-a: Te1 went down after being up; Te2 up
            f"interface,device=sw-a,interface=Te1,site=A oper_status=1i {now - 120}",
            f"interface,device=sw-a,interface=Te1,site=A oper_status=2i {now - 60}",
            f"interface,device=sw-a,interface=Te2,site=A oper_status=1i {now - 60}",
            # sw-b: up long ago (outside the window), down now; the device poll failed
            f"interface,device=sw-b,interface=Gi0/1 oper_status=1i {now - 7200}",
            f"device,device=sw-b reachable=0i {now - 30}",
            f"device,device=sw-a reachable=1i {now - 30}",
            # sw-c: only an old point: unknown
            f"interface,device=sw-c,interface=Gi0/1 oper_status=1i {now - 7200}",
        ])

    def setUp(self):
        cache.clear()

    def test_latest_status(self):
        status = query_live_status({"url": self.server.url, "database": DB, "timeout": 2, "max_age_s": 600})
        self.assertEqual(status.state, "ok", status.note)
        self.assertEqual(status.interface_status("sw-a", "Te1"), "down")
        self.assertEqual(status.interface_status("sw-a", "Te2"), "up")
        self.assertEqual(status.interface_status("sw-b", "Gi0/1"), "unknown")  # older than max_age_s
        self.assertEqual(status.device_status("sw-a"), "up")
        self.assertEqual(status.device_status("sw-b"), "down")
        self.assertEqual(status.device_status("sw-c"), "unknown")
        self.assertEqual(status.link_status([("sw-a", "Te2"), ("sw-z", "x")]), "up")
        self.assertEqual(status.link_status([("sw-a", "Te2"), ("sw-a", "Te1")]), "down")
        # a longer window sees sw-b's and sw-c's old points
        old = query_live_status({"url": self.server.url, "database": DB, "max_age_s": 10_000})
        self.assertEqual(old.interface_status("sw-c", "Gi0/1"), "up")

    def test_unreachable_and_not_configured(self):
        with override_settings(PLUGINS_CONFIG={"netbox_metronet": {}}):
            status = get_live_status()
        self.assertEqual(status.state, "not_configured")
        self.assertEqual(status.device_status("sw-a"), "unknown")
        dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        started = time.monotonic()
        status = query_live_status({"url": dead, "database": DB, "timeout": 1})
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual(status.state, "unavailable")
        self.assertIn("unreachable", status.note)
        status = query_live_status({"url": self.server.url, "database": "no_such_db"})
        self.assertEqual(status.state, "unavailable")
        self.assertIn("query failed", status.note)  # 1.6.7 says only "not executed" for an unknown database
        status = query_live_status({"url": f"{self.server.url}/nowhere", "database": DB})
        self.assertEqual(status.state, "unavailable")  # HTTP 404

    def test_cached(self):
        url = f"http://127.0.0.1:{free_port()}"
        with override_settings(PLUGINS_CONFIG=settings_for(url)):
            self.assertEqual(get_live_status().state, "unavailable")
        with override_settings(PLUGINS_CONFIG=settings_for(self.server.url)):
            first = get_live_status()
            self.assertEqual(first.state, "ok")
            self.assertEqual(first.interface_status("sw-cache", "Te1"), "unknown")
            self.server.write([f"interface,device=sw-cache,interface=Te1 oper_status=1i {int(time.time())}"])
            self.assertEqual(get_live_status().interface_status("sw-cache", "Te1"), "unknown")  # cached
            cache.clear()
            self.assertEqual(get_live_status().interface_status("sw-cache", "Te1"), "up")


class NetworkEndpointLiveTestCase(TestCase):
    """The network endpoint colours devices from InfluxDB, and says so when InfluxDB is down."""

    @classmethod
    def setUpTestData(cls):
        build_plant()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = InfluxServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.server.post("/query", b"", q=f'CREATE DATABASE "{DB}"')
        now = int(time.time())
        cls.server.write([f"interface,device=sw-s2,interface=Te1 oper_status=2i {now}",
                          f"device,device=sw-core reachable=1i {now}"])

    def setUp(self):
        super().setUp()
        cache.clear()
        self.add_permissions(*VIEW_PERMISSIONS)

    def test_live_and_unavailable(self):
        url = reverse("plugins-api:netbox_metronet-api:maps-network")
        with override_settings(PLUGINS_CONFIG=settings_for(self.server.url)):
            data = self.client.get(url).json()
        self.assertEqual(data["live"]["state"], "ok")
        status = {n["name"]: n["status"] for n in data["nodes"]}
        self.assertEqual(status, {"sw-core": "up", "sw-s2": "down", "sw-s1": "unknown", "rtr-core": "unknown"})
        self.assertEqual(len([e for e in data["edges"] if e["status"] == "down"]), 1)
        cache.clear()
        with override_settings(PLUGINS_CONFIG=settings_for(f"http://127.0.0.1:{free_port()}")):
            response = self.client.get(url)
            page = self.client.get(reverse("plugins:netbox_metronet:network"))
        self.assertHttpStatus(response, 200)
        self.assertHttpStatus(page, 200)
        data = response.json()
        self.assertEqual(data["live"]["state"], "unavailable")
        self.assertTrue(data["live"]["note"])
        self.assertEqual({n["status"] for n in data["nodes"]}, {"unknown"})
