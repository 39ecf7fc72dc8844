"""Fixtures for the collector tests: real net-snmp agents and a real InfluxDB 1.6.7, all on 127.0.0.1.

Binaries are looked up at run time; a missing one fails the test with the Debian package to install
(snmpd, snmp, influxdb).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from collector_services import InfluxDB, require_binary

from metronet_collectors.sim import SimDevice, SimInterface, SnmpdAgent
from metronet_collectors.sim.agent import V3User


@pytest.fixture(scope="session")
def influxdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InfluxDB]:
    server = InfluxDB(tmp_path_factory.mktemp("influxdb"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def influx_db(influxdb: InfluxDB, request: pytest.FixtureRequest) -> str:
    """A fresh database name for one test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:60]
    influxdb.query(f'DROP DATABASE "{name}"')
    influxdb.create_database(name)
    return name


SimFactory = Callable[..., tuple[SimDevice, SnmpdAgent]]
V3 = V3User("metronet", "auth-key-12345", "priv-key-67890")


@pytest.fixture
def sim_agent(tmp_path: Path) -> Iterator[SimFactory]:
    """Start simulated devices: ``sim_agent("sw1", [SimInterface(...)], v3=True)`` → (device, agent)."""
    require_binary("snmpd", "snmpd")
    require_binary("snmpget", "snmp")
    agents: list[SnmpdAgent] = []

    def start(name: str, interfaces: list[SimInterface], v3: bool = False, uptime_s: float = 1000.0) -> Any:
        device = SimDevice.create(tmp_path / f"{name}.json", name, interfaces, uptime_s=uptime_s)
        agent = SnmpdAgent(device, community="public", v3_user=V3 if v3 else None)
        agent.start()
        agents.append(agent)
        return device, agent

    yield start
    for agent in agents:
        agent.stop()


@pytest.fixture
def env_secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "METRONET_TEST_COMMUNITY": "public",
        "METRONET_TEST_V3_AUTH": V3.auth_key,
        "METRONET_TEST_V3_PRIV": V3.priv_key,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


ConfigBuilder = Callable[..., dict[str, Any]]


@pytest.fixture
def config_dict(tmp_path: Path, env_secrets: dict[str, str]) -> ConfigBuilder:
    """Build a config mapping for parse_config(): ``config_dict([(name, agent, auth)...], influx=..., db=...)``."""

    def build(
        agents: list[tuple[str, SnmpdAgent | int, str]],
        influx_url: str = "http://127.0.0.1:9",
        db: str = "metronet",
        interfaces: dict[str, dict[str, dict[str, str]]] | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        devices = []
        for name, agent, auth in agents:
            port = agent if isinstance(agent, int) else agent.port
            device: dict[str, Any] = {
                "name": name,
                "address": "127.0.0.1",
                "site": "Bílina radnice",
                "role": "access",
                "organization": "Město Bílina",
                "snmp": {"auth": auth, "port": port},
            }
            if interfaces and name in interfaces:
                device["interfaces"] = interfaces[name]
            devices.append(device)
        config: dict[str, Any] = {
            "interval_s": 1,
            "jitter_s": 0,
            "timeout_s": 1,
            "concurrency": 8,
            "snmp": {"request_timeout_s": 0.4, "retries": 1},
            "auths": {
                "v2": {"version": "2c", "community": {"env": "METRONET_TEST_COMMUNITY"}},
                "v3": {
                    "version": "3",
                    "username": V3.username,
                    "auth_protocol": "sha",
                    "auth_key": {"env": "METRONET_TEST_V3_AUTH"},
                    "priv_protocol": "aes",
                    "priv_key": {"env": "METRONET_TEST_V3_PRIV"},
                },
            },
            "devices": devices,
            "sink": {
                "type": "influxdb_v1",
                "url": influx_url,
                "database": db,
                "retry_initial_s": 0.2,
                "retry_max_s": 1,
            },
            "spool": {"directory": str(tmp_path / "spool"), "max_bytes": 1 << 24, "segment_bytes": 1 << 16},
            "metrics": {"listen": ""},
        }
        config.update(overrides)
        return config

    return build
