"""The NetBox device source (pynetbox over real HTTP to a NetBox API double on loopback)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fake_netbox import FakeNetBox, connection, device, interface
from prometheus_client import CollectorRegistry

from metronet_collectors.collector import Collector
from metronet_collectors.config import NetBoxConfig, Secret, parse_config
from metronet_collectors.inventory import InventoryError, InventoryRefresher
from metronet_collectors.metrics import CollectorMetrics
from metronet_collectors.model import InterfaceMeta
from metronet_collectors.netbox_source import NetBoxDeviceSource
from metronet_collectors.sim import SimInterface

if TYPE_CHECKING:  # the fixtures' types; conftest is not imported by name (several test folders have one)
    from conftest import ConfigBuilder, SimFactory

TOKEN = "0123456789abcdef0123456789abcdef01234567"
DEVICES = "/api/dcim/devices/"
INTERFACES = "/api/dcim/interfaces/"
CONNECTIONS = "/api/plugins/metronet/connections/"


def bilina_like() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    core = device(1, "sw-mu-core", ip="10.10.0.1/24", role="core-switch", napalm="ios")
    agg = device(2, "sw-mu-agg", ip="10.10.0.2/24", role="aggregation-switch", port=16102)
    police = device(3, "sw-mp-bilina", ip="10.10.1.3/24", credential=None, tenant="Městská policie Bílina")
    school = device(4, "sw-zs-aleska", ip="2001:db8::4/64", credential="v3", tenant="ZŠ Aléská 270")
    panel = device(5, "pp-mu-odf-a", ip=None, poll=None, credential=None)
    planned = device(6, "sw-planned", ip="10.10.1.6/24", status="planned")
    no_ip = device(7, "sw-no-ip", ip=None)
    unknown = device(8, "sw-unknown-cred", ip="10.10.1.8/24", credential="core-v9")
    off = device(9, "sw-not-polled", ip="10.10.1.9/24", poll=False)
    devices = [core, agg, police, school, panel, planned, no_ip, unknown, off]
    core_agg = interface(11, core, "Te1/0/1", "backbone")
    core_school = interface(12, core, "Te1/0/5", "access")
    core_unused = interface(13, core, "Te1/0/9")
    agg_core = interface(21, agg, "Te1/1/1", "backbone")
    agg_police = interface(22, agg, "Gi1/0/1", "access")
    police_up = interface(31, police, "Gi1/0/9", "uplink")
    school_up = interface(41, school, "Te1/1/1", "uplink")
    school_lan = interface(42, school, "Gi1/0/1")
    planned_up = interface(61, planned, "Gi1/0/9", "uplink")
    interfaces = [
        core_agg,
        core_school,
        core_unused,
        agg_core,
        agg_police,
        police_up,
        school_up,
        school_lan,
        planned_up,
    ]
    connections = [
        connection(1, "Městská policie Bílina", "connected", [police_up, agg_police]),
        connection(2, "ZŠ Aléská 270", "connected", [school_up, core_school, school_lan]),
        connection(3, "Plavecká hala Bílina", "planned", [core_unused]),
    ]
    return devices, interfaces, connections


@pytest.fixture
def netbox() -> Iterator[FakeNetBox]:
    server = FakeNetBox(token=TOKEN, max_page_size=1000)
    server.set(*bilina_like())
    server.start()
    yield server
    server.stop()


def source_for(server: FakeNetBox, page_size: int = 2, token: str = TOKEN) -> NetBoxDeviceSource:
    config = NetBoxConfig(url=server.url, token=Secret(token), timeout_s=2.0, page_size=page_size)
    return NetBoxDeviceSource(config, known_credentials={"v2", "v3"}, default_port=161)


def test_devices_interfaces_and_organizations_across_pages(netbox: FakeNetBox) -> None:
    source = source_for(netbox, page_size=2)
    devices = {d.name: d for d in source.fetch()}

    assert sorted(devices) == ["sw-mu-agg", "sw-mu-core", "sw-zs-aleska"]
    core, agg, school = devices["sw-mu-core"], devices["sw-mu-agg"], devices["sw-zs-aleska"]
    assert (core.address, core.port, core.credential, core.napalm_driver) == ("10.10.0.1", 161, "v2", "ios")
    assert (core.site, core.role, core.organization) == ("Bílina radnice", "core-switch", "Město Bílina – Městský úřad")
    assert (agg.address, agg.port, agg.napalm_driver) == ("10.10.0.2", 16102, "")
    assert (school.address, school.credential) == ("2001:db8::4", "v3")
    assert core.interfaces == {
        "Te1/0/1": InterfaceMeta("backbone", ""),
        "Te1/0/5": InterfaceMeta("access", "ZŠ Aléská 270"),
    }  # Te1/0/9 has no role and serves only a planned connection
    assert agg.interfaces == {
        "Te1/1/1": InterfaceMeta("backbone", ""),
        "Gi1/0/1": InterfaceMeta("access", "Městská policie Bílina"),
    }
    assert school.interfaces == {
        "Te1/1/1": InterfaceMeta("uplink", "ZŠ Aléská 270"),
        "Gi1/0/1": InterfaceMeta("", "ZŠ Aléská 270"),  # serves the organization, no role set
    }
    # The devices NetBox lists for polling but that cannot be polled are reported, not silently dropped.
    assert sorted((p.device, p.reason) for p in source.problems) == [
        ("sw-mp-bilina", "no_credential"),
        ("sw-unknown-cred", "unknown_credential"),
    ]

    # Server-side filters were asked for, and the pages followed (5 polled-candidates, 2 per page → 3 pages).
    device_queries = netbox.requests_to(DEVICES)
    assert len(device_queries) == 3
    assert all(
        q["status"] == ["active"] and q["has_primary_ip"] == ["True"] and q["cf_metronet_poll"] == ["True"]
        for q in device_queries
    )
    assert [q.get("offset", ["0"])[0] for q in device_queries] == ["0", "2", "4"]
    interface_queries = netbox.requests_to(INTERFACES)
    assert sorted(interface_queries[0]["cf_metronet_link_role"]) == ["access", "backbone", "uplink"]
    assert sorted(interface_queries[0]["device_id"]) == ["1", "2", "4"]
    assert all(q["status"] == ["connected"] for q in netbox.requests_to(CONNECTIONS))
    assert len(netbox.requests_to(CONNECTIONS)) == 1  # 2 connected connections, page size 2


def test_server_side_page_cap_is_followed(netbox: FakeNetBox) -> None:
    netbox.max_page_size = 1  # NetBox's MAX_PAGE_SIZE below the requested limit
    devices = source_for(netbox, page_size=500).fetch()
    assert [d.name for d in devices] == ["sw-mu-agg", "sw-mu-core", "sw-zs-aleska"]
    assert len(netbox.requests_to(DEVICES)) == 5


def test_unreachable_netbox_keeps_last_list_and_counts(netbox: FakeNetBox, tmp_path: Path) -> None:
    metrics = CollectorMetrics(CollectorRegistry())
    cache = tmp_path / "inventory.json"
    refresher = InventoryRefresher(source_for(netbox), metrics, cache_file=cache)
    first = asyncio.run(refresher.refresh())
    assert first is not None and len(first) == 3
    assert (
        metrics.registry.get_sample_value(
            "metronet_inventory_problems", {"device": "sw-mp-bilina", "reason": "no_credential"}
        )
        == 1
    )

    netbox.stop()
    again = asyncio.run(refresher.refresh())
    assert again == first and again is not None
    assert [d.interfaces for d in again] == [d.interfaces for d in first]
    labels = {"source": "netbox", "reason": "unreachable"}
    assert metrics.registry.get_sample_value("metronet_inventory_errors_total", labels) == 1
    asyncio.run(refresher.refresh())
    assert metrics.registry.get_sample_value("metronet_inventory_errors_total", labels) == 2

    # A collector restarted while NetBox is still down polls the cached list.
    restarted = InventoryRefresher(source_for(netbox), CollectorMetrics(CollectorRegistry()), cache_file=cache)
    cached = asyncio.run(restarted.refresh())
    assert cached is not None
    assert [(d.name, d.address, d.port, d.credential, d.interfaces) for d in cached] == [
        (d.name, d.address, d.port, d.credential, d.interfaces) for d in first
    ]

    # Without a cache and without NetBox there is no list (and no exception).
    assert asyncio.run(InventoryRefresher(source_for(netbox), metrics).refresh()) is None


def test_wrong_token_is_an_auth_error_without_the_token_in_logs(
    netbox: FakeNetBox, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "feedfacefeedfacefeedfacefeedfacefeedface"
    with pytest.raises(InventoryError) as error:
        source_for(netbox, token=wrong).fetch()
    assert error.value.reason == "auth"
    caplog.set_level(logging.DEBUG)
    metrics = CollectorMetrics(CollectorRegistry())
    assert asyncio.run(InventoryRefresher(source_for(netbox, token=wrong), metrics).refresh()) is None
    assert (
        metrics.registry.get_sample_value("metronet_inventory_errors_total", {"source": "netbox", "reason": "auth"})
        == 1
    )
    assert "auth" in caplog.text
    assert wrong not in caplog.text and wrong not in str(error.value)


def test_collector_polls_netbox_devices_and_follows_refreshes(
    netbox: FakeNetBox, sim_agent: SimFactory, config_dict: ConfigBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: NetBox lists two simulated agents; a refresh changes a role; NetBox goes away; polling goes on."""
    _, agent_a = sim_agent("sw-a", [SimInterface("ge-0/0/1", in_bps=8e6), SimInterface("ge-0/0/2")])
    _, agent_b = sim_agent("sw-b", [SimInterface("ge-0/0/1", in_bps=1e6)])
    dev_a = device(1, "sw-a", ip="127.0.0.1/8", port=agent_a.port)
    dev_b = device(2, "sw-b", ip="127.0.0.1/8", port=agent_b.port, credential="missing")
    itf_a = interface(11, dev_a, "ge-0/0/1", "access")
    netbox.set([dev_a, dev_b], [itf_a], [connection(1, "ZŠ Za Chlumem", "connected", [itf_a])])
    monkeypatch.setenv("METRONET_TEST_NETBOX_TOKEN", TOKEN)
    data = config_dict([])
    data["netbox"] = {"url": netbox.url, "token": {"env": "METRONET_TEST_NETBOX_TOKEN"}, "refresh_s": 0.3}
    config = parse_config(data)
    metrics = CollectorMetrics(CollectorRegistry())
    collector = Collector(config, metrics)
    produced: list[str] = []

    polls_when_netbox_stopped: list[float] = []

    def polls(name: str) -> float:
        return metrics.registry.get_sample_value("metronet_polls_total", {"device": name}) or 0.0

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(collector.run(stop, drain_timeout_s=0.1))
        await asyncio.sleep(1.2)
        assert polls("sw-b") == 0  # reported (no such credential), not polled
        # NetBox changes: sw-b gets a valid credential, sw-a's port becomes a backbone link.
        dev_b["custom_fields"]["metronet_snmp_credential"] = "v2"
        itf_a["custom_fields"]["metronet_link_role"] = {"value": "backbone", "label": "Backbone"}
        await asyncio.sleep(1.5)
        netbox.stop()
        polls_when_netbox_stopped.append(polls("sw-a"))
        await asyncio.sleep(1.6)
        stop.set()
        await task

    original = Collector.poll_device

    async def recording(self: Collector, dev: Any) -> list[str]:
        lines = await original(self, dev)
        produced.extend(lines)
        return lines

    monkeypatch.setattr(Collector, "poll_device", recording)
    asyncio.run(scenario())

    a_lines = [line for line in produced if line.startswith("interface,device=sw-a,interface=ge-0/0/1")]
    assert any("role=access" in line and "organization=ZŠ\\ Za\\ Chlumem" in line for line in a_lines)
    assert any("role=backbone" in line for line in a_lines)
    assert any(line.startswith("interface,device=sw-b,") for line in produced)  # polled after the refresh
    assert metrics.registry.get_sample_value(
        "metronet_inventory_errors_total", {"source": "netbox", "reason": "unreachable"}
    )
    assert polls("sw-a") > polls_when_netbox_stopped[0]  # still polled while NetBox is unreachable
    assert polls("sw-b") > 0


def test_netbox_config_errors_name_the_field(config_dict: ConfigBuilder) -> None:
    from metronet_collectors.config import ConfigError

    data = config_dict([("sw1", 16101, "v2")])
    data["netbox"] = {"url": "netbox.example", "token": "literal-token", "page_size": 0, "verify_tls": "yes"}
    with pytest.raises(ConfigError) as error:
        parse_config(data)
    assert sorted(error.value.errors) == [
        "devices: must be empty when netbox.url is set (the device list comes from NetBox)",
        "netbox.page_size: must be ≥ 1, got 0",
        "netbox.token: must be a reference {env: NAME} or {secret: NAME}, never the secret itself",
        "netbox.url: must start with http:// or https://, got 'netbox.example'",
        "netbox.verify_tls: expected true or false, got 'yes'",
    ]
    assert "literal-token" not in str(error.value)
    data = config_dict([])
    data["netbox"] = {"url": "https://netbox.example/", "token": {"env": "METRONET_TEST_NO_SUCH_VAR"}}
    with pytest.raises(ConfigError) as error:
        parse_config(data)
    assert error.value.errors == ["netbox.token: environment variable METRONET_TEST_NO_SUCH_VAR is not set"]


def test_ssh_devices_need_no_snmp_credential(netbox: FakeNetBox) -> None:
    """With a napalm section, a device with a NAPALM driver and no SNMP credential is kept (polled over SSH)."""
    from metronet_collectors.napalm_config import NapalmConfig, SshCredential

    ssh_only = device(10, "sw-ssh-only", ip="10.10.1.10/24", credential=None, napalm="ios")
    ssh_login = device(11, "sw-ssh-login", ip="10.10.1.11/24", credential="noc-core", napalm="netmiko:cisco_ios")
    typo = device(12, "sw-ssh-typo", ip="10.10.1.12/24", credential="noc-cor", napalm="ios")
    devices, interfaces, connections = bilina_like()
    netbox.set([*devices, ssh_only, ssh_login, typo], interfaces, connections)
    logins = {name: SshCredential(name, "metronet-ro", Secret("x")) for name in ("noc", "noc-core")}
    config = NetBoxConfig(url=netbox.url, token=Secret(TOKEN), timeout_s=2.0)

    # SNMP only (no napalm section): nothing changes, the SSH-only device lacks a credential
    snmp_only = NetBoxDeviceSource(config, known_credentials={"v2", "v3"})
    assert "sw-ssh-only" not in {d.name for d in snmp_only.fetch()}
    assert ("sw-ssh-only", "no_credential") in {(p.device, p.reason) for p in snmp_only.problems}

    with_ssh = NetBoxDeviceSource(
        config, known_credentials={"v2", "v3"}, napalm=NapalmConfig(credentials=logins, credential="noc")
    )
    found = {d.name: d for d in with_ssh.fetch()}
    assert sorted(found) == ["sw-mu-agg", "sw-mu-core", "sw-ssh-login", "sw-ssh-only", "sw-zs-aleska"]
    assert (found["sw-ssh-only"].credential, found["sw-ssh-only"].napalm_driver) == ("", "ios")
    assert (found["sw-ssh-login"].credential, found["sw-ssh-login"].napalm_driver) == ("noc-core", "netmiko:cisco_ios")
    assert sorted((p.device, p.reason) for p in with_ssh.problems) == [
        ("sw-mp-bilina", "no_credential"),  # no NAPALM driver: still needs an SNMP credential
        ("sw-ssh-typo", "unknown_credential"),  # names neither an SNMP auth nor an SSH login
        ("sw-unknown-cred", "unknown_credential"),
    ]

    # no default SSH login: an SSH device without a credential name cannot log in
    no_default = NetBoxDeviceSource(config, known_credentials={"v2", "v3"}, napalm=NapalmConfig(credentials=logins))
    assert "sw-ssh-only" not in {d.name for d in no_default.fetch()}
    [problem] = [p for p in no_default.problems if p.device == "sw-ssh-only"]
    assert problem.reason == "no_credential" and "napalm.credential" in problem.message
