"""The NAPALM poller: NAPALM's own ``mock`` driver on recorded results, and the real ``ios`` driver over SSH.

No vendor device or CLI can run here. Two simulators stand in for it, both driven through NAPALM itself:

* NAPALM's ``mock`` driver (``napalm.base.mock.MockDriver``) replays ``napalm_data/mock/<device>/<getter>.<n>``
  — the JSON results of the n-th call, in the shape the ios driver returns. Between calls the counters of
  ``sw-core`` advance by exactly 60 s of traffic at known rates (Gi1/0/1: 8 Mbit/s in, 4 Mbit/s out, 2
  errors/s; Te1/1/1: 2.5 / 1 Gbit/s), its uptime by 60 s, and call 4 comes after a reboot. ``sw-flaky``'s
  second get_facts raises ``ConnectionClosedException``. The collector clock is injected (60 s per poll).
* fakenos SSH servers (``metronet_collectors.napalm_sim``) render Catalyst IOS show commands from a
  moving state; NAPALM's real ``ios`` driver logs in over SSH (Netmiko, paramiko) and parses them. This
  path runs end to end into InfluxDB 1.6.7.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from collector_services import InfluxDB
from conftest import ConfigBuilder
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import ConfigError, parse_config
from metronet_collectors.lineprotocol import encode_points
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import Device, InterfaceMeta, InterfaceRates, PollError, PollErrorReason
from metronet_collectors.napalm_base import SSH_ERROR, CliDeviceSample
from metronet_collectors.napalm_config import NapalmConfig, SshCredential
from metronet_collectors.napalm_poller import NapalmPoller, SelectingPoller, extra_points
from metronet_collectors.napalm_sim import SimIosNetwork, SimIosSwitch, SimPort
from metronet_collectors.rates import RateCalculator, SkipReason

MOCK_DATA = Path(__file__).parent / "napalm_data" / "mock"
PASSWORD_ENV = "METRONET_TEST_SSH_PASSWORD"
PASSWORD = "s3cret-ssh-Passw0rd"
ADDRESSES = {"sw-core": "192.0.2.1", "sw-flaky": "192.0.2.2"}  # hostnames the mock driver is opened with


class StepClock:
    """The collector clock, moved by the test: 60 s per poll, as the recorded data advance."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def mock_driver_factory(opened: list[str] | None = None) -> Callable[[str], Any]:
    """NAPALM's own mock driver class, reading each device's recorded results by the address it is opened with."""
    from napalm import get_network_driver

    mock_class = get_network_driver("mock")
    paths = {address: MOCK_DATA / name for name, address in ADDRESSES.items()}

    def factory(driver: str) -> Any:
        assert driver == "mock"

        def build(hostname: str, username: str, password: str, timeout: int = 60, optional_args: Any = None) -> Any:
            assert password == PASSWORD  # the resolved secret reaches the driver
            if opened is not None:
                opened.append(hostname)
            args = {**(optional_args or {}), "path": str(paths[hostname])}
            return mock_class(hostname, username, password, timeout, args)

        return build

    return factory


def napalm_config(**overrides: Any) -> NapalmConfig:
    from metronet_collectors.config import Secret

    credential = SshCredential("noc", "metronet-ro", Secret(PASSWORD))
    return NapalmConfig(credentials={"noc": credential}, credential="noc", **overrides)


def device(name: str, interfaces: dict[str, InterfaceMeta] | None = None) -> Device:
    return Device(
        name=name,
        address=ADDRESSES[name],
        site="Bílina radnice",
        role="core",
        organization="Město Bílina",
        napalm_driver="mock",
        interfaces=interfaces or {},
    )


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def mock_poller(clock: StepClock) -> Iterator[NapalmPoller]:
    poller = NapalmPoller(napalm_config(), timeout_s=5.0, driver_factory=mock_driver_factory(), clock=clock)
    yield poller
    poller.close()


def test_recorded_counters_give_the_known_rates(mock_poller: NapalmPoller, clock: StepClock) -> None:
    core = device("sw-core", {"Gi1/0/1": InterfaceMeta(role="uplink", organization="ZŠ Lidická")})
    rates = RateCalculator()

    async def polls() -> list[CliDeviceSample]:
        samples = []
        for _ in range(3):
            sample = await mock_poller.poll(core)
            assert isinstance(sample, CliDeviceSample)
            samples.append(sample)
            clock.now += 60
        return samples

    samples = asyncio.run(polls())
    first = rates.update(samples[0])
    assert set(first.values()) == {SkipReason.FIRST}
    for sample in samples[1:]:
        result = rates.update(sample)
        # The inventory calls it Gi1/0/1: the sample uses the inventory's spelling (netutils canonical names).
        gi = result["Gi1/0/1"]
        te = result["TenGigabitEthernet1/1/1"]
        assert isinstance(gi, InterfaceRates) and isinstance(te, InterfaceRates)
        assert gi.in_bps == pytest.approx(8e6, rel=1e-9) and gi.out_bps == pytest.approx(4e6, rel=1e-9)
        assert gi.in_errors_ps == pytest.approx(2.0)
        assert te.in_bps == pytest.approx(2.5e9, rel=1e-9) and te.out_bps == pytest.approx(1e9, rel=1e-9)
    last = samples[-1]
    by_name = {itf.if_name: itf for itf in last.interfaces}
    assert set(by_name) == {"Gi1/0/1", "TenGigabitEthernet1/1/1", "GigabitEthernet1/0/2"}  # Vlan1: no octets
    assert (by_name["Gi1/0/1"].oper_status, by_name["Gi1/0/1"].admin_status, by_name["Gi1/0/1"].speed_mbps) == (
        1,
        1,
        1000,
    )
    assert (by_name["GigabitEthernet1/0/2"].oper_status, by_name["GigabitEthernet1/0/2"].admin_status) == (2, 2)
    assert by_name["TenGigabitEthernet1/1/1"].speed_mbps == 10000
    assert by_name["Gi1/0/1"].out_discards == 0  # NAPALM's -1 (not supported) is not written as a counter
    # uptime on the collector clock: 120 s after the first poll
    assert last.uptime_ticks - samples[0].uptime_ticks == 120 * 100
    assert last.reported_uptime_s == 1_000_980.0
    optics = {(o.if_name, o.lane): o.values for o in last.optics}
    assert optics[("TenGigabitEthernet1/1/1", "1")] == {"rx_dbm": pytest.approx(-8.1), "tx_dbm": -2.4, "bias_ma": 6.1}
    assert optics[("Gi1/0/1", "1")] == {"tx_dbm": -5.0, "bias_ma": 14.2}  # -100 dBm = no reading, left out
    [neighbor] = last.neighbors
    assert (neighbor.local_interface, neighbor.remote_system, neighbor.remote_port) == (
        "TenGigabitEthernet1/1/1",
        "sw-mu-agg",
        "Te1/1/2",
    )
    assert mock_poller.neighbors["sw-core"] == last.neighbors
    lines = encode_points(extra_points(last))
    assert any(
        line.startswith("optics,device=sw-core,interface=Gi1/0/1,lane=1,organization=ZŠ\\ Lidická,role=uplink")
        for line in lines
    ), lines
    assert any(
        line.startswith("lldp,device=sw-core,interface=TenGigabitEthernet1/1/1,remote_device=sw-mu-agg,")
        for line in lines
    ), lines


def test_reboot_is_detected_from_the_uptime(mock_poller: NapalmPoller, clock: StepClock) -> None:
    core = device("sw-core")
    rates = RateCalculator()

    async def polls() -> list[dict[str, InterfaceRates | SkipReason]]:
        results = []
        for _ in range(4):
            results.append(rates.update(await mock_poller.poll(core)))
            clock.now += 60
        return results

    results = asyncio.run(polls())
    assert isinstance(results[2]["GigabitEthernet1/0/1"], InterfaceRates)
    # Poll 4: uptime 120 s, counters restarted — no (false, huge) rate, the reboot is the reason.
    assert results[3]["GigabitEthernet1/0/1"] is SkipReason.REBOOT
    assert results[3]["TenGigabitEthernet1/1/1"] is SkipReason.REBOOT


def test_connection_closed_is_a_poll_error_and_others_go_on(
    clock: StepClock, config_dict: ConfigBuilder, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    data = config_dict([("sw-core", 161, "v2"), ("sw-flaky", 161, "v2")])
    for item in data["devices"]:
        item.update(address=ADDRESSES[item["name"]], napalm_driver="mock")
    data["napalm"] = {
        "credentials": {"noc": {"username": "metronet-ro", "password": {"env": PASSWORD_ENV}}},
        "credential": "noc",
    }
    config = parse_config(data)
    assert config.napalm is not None and config.devices[0].napalm_driver == "mock"
    opened: list[str] = []
    poller = NapalmPoller(config.napalm, config.timeout_s, driver_factory=mock_driver_factory(opened), clock=clock)
    registry = CollectorRegistry()
    collector = Collector(config, CollectorMetrics(registry), poller=poller)
    core, flaky = config.devices

    async def rounds() -> list[dict[str, list[str]]]:
        out = []
        for _ in range(3):
            lines = await asyncio.gather(collector.poll_device(core), collector.poll_device(flaky))
            out.append({"sw-core": lines[0], "sw-flaky": lines[1]})
            clock.now += 60
        return out

    try:
        with caplog.at_level("DEBUG"):
            results = asyncio.run(rounds())
    finally:
        poller.close()
    errors = {
        (s.labels["device"], s.labels["reason"]): s.value
        for metric in registry.collect()
        if metric.name == "metronet_poll_errors"
        for s in metric.samples
        if s.name.endswith("_total")
    }
    assert errors == {("sw-flaky", "ssh_error"): 1.0} and SSH_ERROR is PollErrorReason.SSH_ERROR
    second = results[1]
    assert any("reachable=0i" in line for line in second["sw-flaky"])
    assert "ConnectionClosedException" in collector.last_errors.get("sw-flaky", "") or results[2]["sw-flaky"]
    # sw-core is unaffected: it has interface points with rates in round 2
    assert any(line.startswith("interface,") and "in_bps=" in line for line in second["sw-core"])
    # round 3: the broken session was dropped and sw-flaky reconnected
    assert any(line.startswith("device,") and "reachable=1i" in line for line in results[2]["sw-flaky"])
    assert opened.count(ADDRESSES["sw-flaky"]) == 2 and opened.count(ADDRESSES["sw-core"]) == 1
    assert PASSWORD not in caplog.text


def test_stuck_poll_times_out_and_does_not_overlap(clock: StepClock) -> None:
    """A driver hanging in its thread: the collector's timeout ends the poll; the next one fails at once."""
    gate = threading.Event()

    class Hanging:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def open(self) -> None:
            gate.wait(10)

        def close(self) -> None:
            pass

    poller = NapalmPoller(napalm_config(), timeout_s=0.3, driver_factory=lambda name: Hanging, clock=clock)
    core = device("sw-core")

    async def scenario() -> tuple[BaseException | None, BaseException | None]:
        first: BaseException | None = None
        second: BaseException | None = None
        try:
            await asyncio.wait_for(poller.poll(core), 0.3)
        except BaseException as exc:
            first = exc
        started = time.monotonic()
        try:
            await asyncio.wait_for(poller.poll(core), 5)
        except BaseException as exc:
            second = exc
        assert time.monotonic() - started < 1.0
        return first, second

    try:
        first, second = asyncio.run(scenario())
    finally:
        gate.set()
        poller.close()
    assert isinstance(first, TimeoutError)
    assert isinstance(second, PollError) and second.reason is PollErrorReason.TIMEOUT
    assert "still running" in str(second)


def test_selecting_poller_routes_by_driver() -> None:
    class Named:
        def __init__(self, name: str) -> None:
            self.name = name

        async def poll(self, device: Device) -> Any:
            return self.name

        def close(self) -> None:
            pass

    poller = SelectingPoller(Named("snmp"), Named("napalm"), Named("netmiko"))  # type: ignore[arg-type]
    for driver, expected in (("", "snmp"), ("ios", "napalm"), ("netmiko:cisco_ios", "netmiko")):
        dev = Device(name="x", address="192.0.2.9", napalm_driver=driver)
        assert asyncio.run(poller.poll(dev)) == expected


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"napalm": {"credentials": {}, "credential": ""}}, "napalm.credentials: at least one SSH login is required"),
        (
            {"napalm": {"credentials": {"noc": {"username": "u", "password": "plain"}}}},
            "napalm.credentials.noc.password: must be a reference {env: NAME} or {secret: NAME}",
        ),
        (
            {"napalm": {"credentials": {"noc": {"username": "u", "password": {"env": "METRONET_TEST_UNSET_X"}}}}},
            "napalm.credentials.noc.password: environment variable METRONET_TEST_UNSET_X is not set",
        ),
        ({"napalm": {"credentials": {}, "credential": "nope"}}, "napalm.credential: unknown credential 'nope'"),
        ({"napalm": {"getters": ["facts", "bgp"]}}, "napalm.getters[1]: must be one of"),
        ({"napalm": {"workers": 0}}, "napalm.workers: must be ≥ 1"),
        ({"napalm": {"keep_connections": "yes"}}, "napalm.keep_connections: expected true or false"),
        ({"napalm": {"optional_args": {"secret": "x"}}}, "napalm.optional_args.secret: secrets go in"),
        ({"napalm": {"timeout": 3}}, "napalm.timeout: unknown option"),
        ({"driver": "Cisco IOS"}, "devices[0].napalm_driver: expected a NAPALM driver name"),
        ({"driver": "netmiko:juniper_junos"}, "devices[0].napalm_driver: netmiko device type 'juniper_junos'"),
        ({"driver": "ios", "napalm": None}, "devices[0].napalm_driver: 'ios' needs a napalm section"),
    ],
)
def test_config_errors_name_the_field(
    config_dict: ConfigBuilder, monkeypatch: pytest.MonkeyPatch, patch: dict[str, Any], expected: str
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    data = config_dict([("sw-core", 161, "v2")])
    data["devices"][0]["napalm_driver"] = patch.get("driver", "ios")
    napalm: dict[str, Any] | None = {
        "credentials": {"noc": {"username": "u", "password": {"env": PASSWORD_ENV}}},
        "credential": "noc",
    }
    if "napalm" in patch:
        napalm = None if patch["napalm"] is None else {**(napalm or {}), **patch["napalm"]}
    if napalm is not None:
        data["napalm"] = napalm
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    assert any(error.startswith(expected) for error in info.value.errors), info.value.errors
    assert PASSWORD not in str(info.value)


def test_config_without_napalm_section_keeps_snmp(config_dict: ConfigBuilder) -> None:
    config = parse_config(config_dict([("sw-core", 161, "v2")]))
    assert config.napalm is None
    assert PASSWORD not in repr(napalm_config()) and PASSWORD not in str(napalm_config().credentials)


# -- the real NAPALM ios driver over SSH, against simulated IOS switches -----------------------------------


def ios_switches() -> list[SimIosSwitch]:
    return [
        SimIosSwitch(
            "sw-zs-lidicka",
            [
                SimPort(
                    "GigabitEthernet1/0/1",
                    in_bps=40e6,
                    out_bps=12e6,
                    optics=(-7.5, -5.1, 33.0, 15.5),
                    neighbor=("sw-mu-agg", "Gi1/0/7"),
                ),
                SimPort("GigabitEthernet1/0/2", in_bps=2e6, out_bps=1e6),
                SimPort("GigabitEthernet1/0/3", up=False),
            ],
        ),
        SimIosSwitch("sw-gymnazium", [SimPort("GigabitEthernet1/0/1", in_bps=100e6, out_bps=25e6)]),
    ]


@pytest.fixture
def ios_network() -> Iterator[SimIosNetwork]:
    network = SimIosNetwork(ios_switches(), "metronet-ro", PASSWORD)
    network.start()
    yield network
    network.stop()


def ios_config(
    config_dict: ConfigBuilder, network: SimIosNetwork, monkeypatch: pytest.MonkeyPatch, **overrides: Any
) -> dict[str, Any]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    names = list(network.switches)
    data = config_dict(
        [(name, 161, "v2") for name in names],
        interfaces={"sw-zs-lidicka": {"Gi1/0/1": {"role": "uplink", "organization": "ZŠ Lidická"}}},
        **overrides,
    )
    for item in data["devices"]:
        item.update(address=network.addresses[item["name"]], napalm_driver="ios")
    data["napalm"] = {
        "credentials": {"noc": {"username": "metronet-ro", "password": {"env": PASSWORD_ENV}}},
        "credential": "noc",
        "port": network.port,
        "workers": 4,
    }
    return data


def test_ios_driver_over_ssh_measures_the_simulated_rates(
    ios_network: SimIosNetwork, config_dict: ConfigBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = parse_config(ios_config(config_dict, ios_network, monkeypatch, timeout_s=20, interval_s=30))
    assert config.napalm is not None
    poller = NapalmPoller(config.napalm, config.timeout_s)
    rates = RateCalculator()
    lidicka = next(d for d in config.devices if d.name == "sw-zs-lidicka")

    async def two_polls() -> list[CliDeviceSample]:
        samples = []
        for _ in range(2):
            sample = await poller.poll(lidicka)
            assert isinstance(sample, CliDeviceSample)
            samples.append(sample)
            await asyncio.sleep(1.5)
        return samples

    try:
        first, second = asyncio.run(two_polls())
    finally:
        poller.close()
    rates.update(first)
    result = rates.update(second)
    gi1 = result["Gi1/0/1"]  # inventory spelling
    gi2 = result["GigabitEthernet1/0/2"]
    assert isinstance(gi1, InterfaceRates) and isinstance(gi2, InterfaceRates)
    # Δt is the collector clock between the middles of two get_interfaces_counters calls: jitter ≈ tens of ms
    assert gi1.in_bps == pytest.approx(40e6, rel=0.05) and gi1.out_bps == pytest.approx(12e6, rel=0.05)
    assert gi2.in_bps == pytest.approx(2e6, rel=0.05)
    by_name = {itf.if_name: itf for itf in second.interfaces}
    assert (by_name["GigabitEthernet1/0/3"].oper_status, by_name["GigabitEthernet1/0/3"].admin_status) == (2, 1)
    assert by_name["Gi1/0/1"].speed_mbps == 1000
    assert second.reported_uptime_s == pytest.approx(3 * 86400 + 5 * 3600 + 17 * 60, abs=120)
    [optic] = second.optics
    assert optic.if_name == "Gi1/0/1" and optic.values == {"rx_dbm": -7.5, "tx_dbm": -5.1, "bias_ma": 15.5}
    [neighbor] = second.neighbors
    assert (neighbor.local_interface, neighbor.remote_system) == ("Gi1/0/1", "sw-mu-agg")
    assert neighbor.remote_port == "Gi1/0/7"


# fakenos' listener thread raises EBADF when its server is stopped while listening (fakenos/core/servers.py)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_wrong_password_is_auth_and_dead_switch_is_ssh_error(
    ios_network: SimIosNetwork, config_dict: ConfigBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = parse_config(ios_config(config_dict, ios_network, monkeypatch, timeout_s=10, interval_s=30))
    assert config.napalm is not None
    from metronet_collectors.config import Secret

    wrong = NapalmConfig(
        credentials={"noc": SshCredential("noc", "metronet-ro", Secret("not-the-password"))},
        credential="noc",
        port=ios_network.port,
    )
    lidicka, gymnazium = sorted(config.devices, key=lambda d: d.name != "sw-zs-lidicka")
    ios_network.stop(["sw-gymnazium"])

    async def polls() -> tuple[BaseException, BaseException]:
        bad = NapalmPoller(wrong, config.timeout_s)
        good = NapalmPoller(config.napalm, config.timeout_s)  # type: ignore[arg-type]
        try:
            results = await asyncio.gather(bad.poll(lidicka), good.poll(gymnazium), return_exceptions=True)
        finally:
            bad.close()
            good.close()
        return results[0], results[1]  # type: ignore[return-value]

    auth, dead = asyncio.run(polls())
    assert isinstance(auth, PollError) and auth.reason is PollErrorReason.AUTH, auth
    assert "not-the-password" not in str(auth)
    assert isinstance(dead, PollError) and dead.reason in (SSH_ERROR, PollErrorReason.TIMEOUT), dead


def test_ios_end_to_end_into_influxdb(
    ios_network: SimIosNetwork,
    config_dict: ConfigBuilder,
    monkeypatch: pytest.MonkeyPatch,
    influxdb: InfluxDB,
    influx_db: str,
) -> None:
    """YAML-shaped config → Collector (SNMP + NAPALM selection) → spool → InfluxDB 1.6.7, read back with InfluxQL."""
    data = ios_config(
        config_dict, ios_network, monkeypatch, influx_url=influxdb.url, db=influx_db, interval_s=6, timeout_s=6
    )
    config = parse_config(data)
    registry = CollectorRegistry()
    collector = Collector(config, CollectorMetrics(registry))
    assert isinstance(collector.poller, SelectingPoller)

    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(collector.run(stop, drain_timeout_s=10))
        await asyncio.sleep(20)
        stop.set()
        await task

    asyncio.run(main())
    rows = influxdb.rows(
        'SELECT "in_bps", "out_bps", "oper_status" FROM "interface" WHERE "in_bps" > 0 GROUP BY "device", "interface"',
        influx_db,
    )
    by_port: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_port.setdefault((row["device"], row["interface"]), []).append(row)
    assert by_port[("sw-gymnazium", "GigabitEthernet1/0/1")], rows
    for row in by_port[("sw-gymnazium", "GigabitEthernet1/0/1")]:
        assert row["in_bps"] == pytest.approx(100e6, rel=0.05) and row["out_bps"] == pytest.approx(25e6, rel=0.05)
    for row in by_port[("sw-zs-lidicka", "Gi1/0/1")]:
        assert row["in_bps"] == pytest.approx(40e6, rel=0.05)
    tagged = influxdb.rows(
        'SELECT last("in_octets") FROM "interface" WHERE "organization" = \'ZŠ Lidická\' GROUP BY "role"', influx_db
    )
    assert [row["role"] for row in tagged] == ["uplink"]
    optics = influxdb.rows('SELECT "rx_dbm", "tx_dbm", "bias_ma" FROM "optics" GROUP BY "interface", "lane"', influx_db)
    assert optics and all(row["rx_dbm"] == -7.5 and row["interface"] == "Gi1/0/1" for row in optics)
    devices = influxdb.rows('SELECT "reachable", "uptime_s" FROM "device" GROUP BY "device"', influx_db)
    assert {row["device"] for row in devices} == {"sw-zs-lidicka", "sw-gymnazium"}
    assert all(row["reachable"] == 1 and row["uptime_s"] > 3 * 86400 for row in devices)
    written = registry.get_sample_value("metronet_points_written_total")
    assert written is not None and written >= len(rows) + len(optics) + len(devices)


# -- SSH devices and the SNMP table walks / the NetBox LLDP report -------------------------------------------


def mock_napalm_section(device_name: str, **overrides: Any) -> dict[str, Any]:
    """A napalm section whose devices all use NAPALM's mock driver replaying `device_name`'s recorded calls."""
    return {
        "credentials": {"noc": {"username": "metronet-ro", "password": {"env": PASSWORD_ENV}}},
        "credential": "noc",
        "optional_args": {"path": str(MOCK_DATA / device_name)},
        **overrides,
    }


def test_ssh_devices_are_not_snmp_walked_for_optics_and_lldp(
    sim_agent: Any, config_dict: ConfigBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A device with a napalm_driver and an SNMP credential whose address answers SNMP: only the SSH poll runs."""
    from metronet_collectors.sim import SimInterface, SimNeighbor, SimOptics

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    sim, agent = sim_agent(
        "sw-core", [SimInterface("Hu1/0/49", 1e8, 1e8, speed_mbps=100000, optics=SimOptics(rx_dbm=-3.0, tx_dbm=-1.0))]
    )
    sim.set_neighbors([SimNeighbor("Hu1/0/49", "sw-snmp-only", "Hu1/0/1", "", "02:00:aa:bb:cc:09")])
    data = config_dict([("sw-core", agent, "v2")], timeout_s=5, interval_s=10)
    data["snmp"].update(engine="ezsnmp", optics=True, lldp_every=1)
    data["devices"][0]["napalm_driver"] = "mock"
    data["napalm"] = mock_napalm_section("sw-core")
    config = parse_config(data)
    registry = CollectorRegistry()
    collector = Collector(config, CollectorMetrics(registry))
    [core] = config.devices

    async def polls() -> list[list[str]]:
        return [await collector.poll_device(core) for _ in range(2)]

    try:
        results = asyncio.run(polls())
    finally:
        collector.poller.close()
    for lines in results:
        assert any(line.startswith("device,") and "reachable=1i" in line for line in lines), lines
        optics = [line for line in lines if line.startswith("optics,")]
        lldp = [line for line in lines if line.startswith("lldp,")]
        # the SSH poll's readings only: the simulated agent's Hu1/0/49 optic and neighbor are never walked
        assert optics and not any("Hu1/0/49" in line for line in optics), optics
        assert len(lldp) == 1 and "remote_device=sw-mu-agg" in lldp[0], lldp
    for table in ("optics", "entities", "lldp"):
        assert not registry.get_sample_value("metronet_table_walks_total", {"table": table}), table


def test_ssh_lldp_neighbors_are_reported_to_netbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A NetBox device polled over SSH (no SNMP credential): its neighbors reach the plugin's LLDP report."""
    from fake_netbox import FakeNetBox
    from fake_netbox import device as netbox_device

    token = "0123456789abcdef0123456789abcdef01234567"
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("METRONET_TEST_NETBOX_TOKEN", token)
    netbox = FakeNetBox(token=token)
    netbox.set([netbox_device(1, "sw-core", ip="127.0.0.1/32", credential=None, napalm="mock")], [], [])
    netbox.start()
    data: dict[str, Any] = {
        "interval_s": 10,
        "timeout_s": 5,
        "snmp": {"lldp_every": 2},
        "netbox": {"url": netbox.url, "token": {"env": "METRONET_TEST_NETBOX_TOKEN"}, "timeout_s": 2},
        "spool": {"directory": str(tmp_path / "spool"), "max_bytes": 1 << 24, "segment_bytes": 1 << 16},
        "metrics": {"listen": ""},
        "napalm": mock_napalm_section("sw-core"),
    }
    registry = CollectorRegistry()
    collector = Collector(parse_config(data), CollectorMetrics(registry))
    reporter = collector.tables.reporter
    assert reporter is not None
    reports_ok: list[float] = []

    async def polls() -> None:
        devices = await collector.load_devices()
        assert devices is not None and [d.name for d in devices] == ["sw-core"]
        for _ in range(3):
            lines = await collector.poll_device(devices[0])
            assert any(line.startswith("device,") and "reachable=1i" in line for line in lines), lines
            await reporter.flush()
            reports_ok.append(registry.get_sample_value("metronet_lldp_reports_total", {"result": "ok"}) or 0)
        await reporter.stop()

    try:
        asyncio.run(polls())
    finally:
        collector.poller.close()
        netbox.stop()
    assert reports_ok == [1, 1, 2]  # polls 1 and 3: the snmp.lldp_every cadence
    assert netbox.lldp_snapshots["sw-core"] == [
        {
            "local_interface": "TenGigabitEthernet1/1/1",
            "remote_system": "sw-mu-agg",
            "remote_port": "Te1/1/2",
            "remote_port_description": "TenGigabitEthernet1/1/2",
            "remote_chassis_id": "0C:11:22:44:00:00",
        }
    ]
    assert not registry.get_sample_value("metronet_table_walks_total", {"table": "lldp"})
