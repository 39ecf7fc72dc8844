"""The device list from NetBox's REST API (pynetbox).

Devices to poll are the **active** devices with a **primary IP** whose boolean custom field
``metronet_poll`` is true. Per device, custom fields give the poll profile:

- ``metronet_snmp_credential`` — the *name* of an entry of the collector config's ``auths`` (the secrets
  themselves stay in the collector's environment or secrets file; NetBox never holds one);
- ``metronet_snmp_port`` — optional UDP port (default: the config's ``snmp.port``);
- ``metronet_napalm_driver`` — optional NAPALM driver name (``ios``, ``eos``, …, or ``netmiko:cisco_ios``).

A device with ``metronet_napalm_driver`` is polled over SSH when the collector config has a ``napalm``
section (the source is given it as ``napalm``): it needs no SNMP credential. An empty
``metronet_snmp_credential`` then means the default SSH login (``napalm.credential``; without one the
device is reported as ``no_credential``), and the field may also name an SSH login of
``napalm.credentials`` instead of an ``auths`` entry.

Interfaces: those of the polled devices with the custom field ``metronet_link_role`` (backbone / access /
uplink) get that role; the organization an interface serves is the tenant of the MetroNet connection
(status *connected*) whose ``access_interfaces`` include it. The custom fields are created in NetBox by
``netbox_metronet.polling.ensure_custom_fields()``.

A device NetBox describes incompletely (no credential name, an unknown credential, a bad port) is left
out and reported as an :class:`InventoryProblem`; the others go on. Any failure to read NetBox raises
:class:`InventoryError`, and the caller (:class:`metronet_collectors.inventory.InventoryRefresher`) keeps
polling the last known list.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pynetbox
import requests

from metronet_collectors.config import NetBoxConfig
from metronet_collectors.inventory import InventoryError, InventoryProblem
from metronet_collectors.model import Device, InterfaceMeta

if TYPE_CHECKING:
    from metronet_collectors.napalm_config import NapalmConfig

log = logging.getLogger(__name__)

CF_POLL = "metronet_poll"
CF_CREDENTIAL = "metronet_snmp_credential"
CF_PORT = "metronet_snmp_port"
CF_NAPALM = "metronet_napalm_driver"
CF_LINK_ROLE = "metronet_link_role"
LINK_ROLES = ("backbone", "access", "uplink")
DEVICE_ID_CHUNK = 50  # device ids per interface query (keeps URLs short)


class _TimeoutSession(requests.Session):
    """A requests session with a default timeout (pynetbox sets none) and TLS verification switch."""

    def __init__(self, timeout_s: float, verify: bool) -> None:
        super().__init__()
        self.timeout_s = timeout_s
        self.verify = verify

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout_s)
        return super().request(*args, **kwargs)


def make_api(config: NetBoxConfig) -> Any:
    """A pynetbox API client for `config` (token from the collector's secrets, never logged)."""
    api = pynetbox.api(config.url, token=str(config.token) if config.token is not None else None)
    api.http_session = _TimeoutSession(config.timeout_s, config.verify_tls)
    return api


def _nested(record: Mapping[str, Any] | None, key: str) -> str:
    if not isinstance(record, Mapping):
        return ""
    value = record.get(key)
    return str(value) if value is not None else ""


def _address(primary_ip: Any) -> str:
    """'192.0.2.1/24' → '192.0.2.1' (also IPv6); '' if absent or malformed."""
    text = _nested(primary_ip, "address")
    try:
        return str(ipaddress.ip_interface(text).ip) if text else ""
    except ValueError:
        return ""


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


@dataclass(frozen=True, slots=True)
class _Row:
    """A device record as read from NetBox, before validation."""

    id: int
    data: Mapping[str, Any]


class NetBoxDeviceSource:
    """Implements :class:`~metronet_collectors.inventory.DeviceSource` over NetBox's REST API."""

    name = "netbox"

    def __init__(
        self,
        config: NetBoxConfig,
        known_credentials: Collection[str],
        default_port: int = 161,
        api: Any = None,
        napalm: NapalmConfig | None = None,
    ) -> None:
        self.config = config
        self.known_credentials = set(known_credentials)
        self.napalm = napalm  # SSH polling configured: devices with a NAPALM driver need no SNMP credential
        self.default_port = default_port
        self.api = api if api is not None else make_api(config)
        self.problems: list[InventoryProblem] = []  # from the last successful read

    async def devices(self) -> Sequence[Device]:
        return await asyncio.to_thread(self.fetch)

    # -- reading NetBox (synchronous; run in a worker thread) ---------------------------------------------

    def _list(self, endpoint: Any, **filters: Any) -> list[dict[str, Any]]:
        """All records of a filtered list view, following NetBox's pages; errors become InventoryError."""
        try:
            return [dict(record) for record in endpoint.filter(limit=self.config.page_size, **filters)]
        except pynetbox.RequestError as exc:
            status = getattr(exc.req, "status_code", 0)
            reason = "auth" if status in (401, 403) else "http_error"
            raise InventoryError(reason, f"NetBox answered HTTP {status} for {endpoint.url}") from None
        except pynetbox.ContentError:
            raise InventoryError("bad_response", f"NetBox sent no JSON for {endpoint.url}") from None
        except requests.Timeout:
            raise InventoryError("timeout", f"NetBox did not answer within {self.config.timeout_s} s") from None
        except requests.RequestException as exc:
            message = f"cannot reach NetBox at {self.config.url}: {type(exc).__name__}"
            raise InventoryError("unreachable", message) from None

    def fetch(self) -> list[Device]:
        """Read the device list now (raises InventoryError when NetBox cannot be read)."""
        problems: list[InventoryProblem] = []
        rows = [
            _Row(int(d["id"]), d)
            for d in self._list(self.api.dcim.devices, status="active", has_primary_ip=True, **{f"cf_{CF_POLL}": True})
        ]
        try:
            return self._build(rows, problems)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InventoryError("bad_response", f"unexpected NetBox data: {type(exc).__name__}: {exc}") from None
        finally:
            self.problems = problems

    def _build(self, rows: list[_Row], problems: list[InventoryProblem]) -> list[Device]:
        accepted: dict[int, dict[str, Any]] = {}
        names: set[str] = set()
        for row in rows:
            spec = self._device_spec(row.data, problems)
            if spec is None:
                continue
            if spec["name"] in names:
                problems.append(InventoryProblem(spec["name"], "duplicate_name", "another polled device has this name"))
                continue
            names.add(spec["name"])
            accepted[row.id] = spec

        interfaces: dict[int, dict[str, InterfaceMeta]] = {device_id: {} for device_id in accepted}
        roles = self._interface_roles(sorted(accepted))
        organizations = self._interface_organizations(set(accepted))
        for device_id, if_name in sorted(roles.keys() | organizations.keys()):
            interfaces[device_id][if_name] = InterfaceMeta(
                role=roles.get((device_id, if_name), ""), organization=organizations.get((device_id, if_name), "")
            )
        devices = [Device(**spec, interfaces=interfaces[device_id]) for device_id, spec in accepted.items()]
        devices.sort(key=lambda d: d.name)
        for problem in problems:
            log.warning("NetBox device %s not polled (%s): %s", problem.device, problem.reason, problem.message)
        return devices

    def _device_spec(self, data: Mapping[str, Any], problems: list[InventoryProblem]) -> dict[str, Any] | None:
        name = str(data.get("name") or f"device #{data.get('id')}")
        status = data.get("status")
        status_value = status.get("value") if isinstance(status, Mapping) else status
        custom = data.get("custom_fields") or {}
        if status_value != "active" or custom.get(CF_POLL) is not True:
            return None  # the server filters these out already; be safe if a filter was ignored
        address = _address(data.get("primary_ip"))
        if not data.get("name"):
            problems.append(InventoryProblem(name, "no_name", "the device has no name"))
            return None
        if not address:
            problems.append(InventoryProblem(name, "no_address", "no usable primary IP address"))
            return None
        napalm = custom.get(CF_NAPALM)
        driver = napalm.strip() if isinstance(napalm, str) else ""
        over_ssh = bool(driver) and self.napalm is not None
        credential = custom.get(CF_CREDENTIAL)
        credential = credential.strip() if isinstance(credential, str) else ""
        if not credential and not (over_ssh and self.napalm is not None and self.napalm.credential):
            message = f"custom field {CF_CREDENTIAL} is empty"
            if over_ssh:
                message += " and napalm.credential (the default SSH login) is not set"
            problems.append(InventoryProblem(name, "no_credential", message))
            return None
        ssh_logins = self.napalm.credentials if over_ssh and self.napalm is not None else {}
        if credential and credential not in self.known_credentials and credential not in ssh_logins:
            where = "in neither auths nor napalm.credentials" if over_ssh else "not in the collector's auths"
            problems.append(InventoryProblem(name, "unknown_credential", f"{CF_CREDENTIAL} {credential!r} is {where}"))
            return None
        port = custom.get(CF_PORT)
        if port is None:
            port = self.default_port
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            problems.append(InventoryProblem(name, "bad_port", f"custom field {CF_PORT} must be 1–65535"))
            return None
        return {
            "name": name,
            "address": address,
            "port": port,
            "credential": credential,
            "site": _nested(data.get("site"), "name"),
            "role": _nested(data.get("role"), "slug"),
            "organization": _nested(data.get("tenant"), "name"),
            "napalm_driver": driver,
        }

    def _interface_roles(self, device_ids: list[int]) -> dict[tuple[int, str], str]:
        roles: dict[tuple[int, str], str] = {}
        for chunk in _chunks(device_ids, DEVICE_ID_CHUNK):
            records = self._list(self.api.dcim.interfaces, device_id=chunk, **{f"cf_{CF_LINK_ROLE}": list(LINK_ROLES)})
            for itf in records:
                role = (itf.get("custom_fields") or {}).get(CF_LINK_ROLE)
                if isinstance(role, Mapping):  # NetBox serializes a selection as {"value": …, "label": …}
                    role = role.get("value")
                device_id = int((itf.get("device") or {}).get("id", 0))
                if role in LINK_ROLES and device_id in device_ids and itf.get("name"):
                    roles[(device_id, str(itf["name"]))] = str(role)
        return roles

    def _interface_organizations(self, device_ids: set[int]) -> dict[tuple[int, str], str]:
        """(device id, interface name) → tenant name of the connected Connection using that interface."""
        found: dict[tuple[int, str], str] = {}
        connections = self._list(self.api.plugins.metronet.connections, status="connected")
        for connection in sorted(connections, key=lambda c: int(c["id"])):
            organization = _nested(connection.get("tenant"), "name")
            for itf in connection.get("access_interfaces") or ():
                device_id = int((itf.get("device") or {}).get("id", 0))
                key = (device_id, str(itf.get("name") or ""))
                if device_id in device_ids and key[1] and organization:
                    found.setdefault(key, organization)  # the oldest connection wins, deterministically
        return found
