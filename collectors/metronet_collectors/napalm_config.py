"""The ``napalm`` section of the collector config: SSH logins and options of the NAPALM / Netmiko pollers.

::

    napalm:
      credentials:                    # SSH logins by name; secrets only as references
        noc:
          username: metronet-ro
          password: {env: METRONET_SSH_PASSWORD}
          enable_secret: {env: METRONET_SSH_ENABLE}     # optional (Cisco enable)
      credential: noc                 # the login of every device whose own `credential` is not listed above
      port: 22                        # SSH port
      workers: 8                      # threads running the blocking NAPALM / Netmiko calls
      keep_connections: true          # keep each device's SSH session open between polls
      getters: [facts, interfaces, counters, optics, lldp]
      optional_args: {}               # passed to every NAPALM driver (no secrets here)

A device is polled over SSH when its ``napalm_driver`` is set (NetBox custom field
``metronet_napalm_driver``, or ``napalm_driver`` of a static device): a NAPALM driver name (``ios``,
``eos``, ``junos``, ``nxos_ssh`` …) uses NAPALM, ``netmiko:<device_type>`` (``netmiko:cisco_ios``) uses
Netmiko with ntc-templates. Without a ``napalm`` section every device is polled by SNMP, as before.
The per-device timeout is the collector's ``timeout_s``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from metronet_collectors.config import _MISSING, Secret
from metronet_collectors.model import Device

if TYPE_CHECKING:
    from metronet_collectors.config import _Node, _Secrets

GETTERS = ("facts", "interfaces", "counters", "optics", "lldp")
NETMIKO_PREFIX = "netmiko:"
# Netmiko device types whose CLI output the Netmiko poller can parse (ntc-templates' cisco_ios templates).
NETMIKO_DEVICE_TYPES = ("cisco_ios", "cisco_xe")
_DRIVER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class SshCredential:
    """An SSH login; ``password``/``enable_secret`` are resolved references, masked in repr()."""

    name: str
    username: str
    password: Secret | None = field(default=None, repr=False)
    enable_secret: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True)
class NapalmConfig:
    credentials: dict[str, SshCredential] = field(default_factory=dict)
    credential: str = ""
    port: int = 22
    workers: int = 8
    keep_connections: bool = True
    getters: tuple[str, ...] = GETTERS
    optional_args: dict[str, Any] = field(default_factory=dict)

    def credential_for(self, device: Device) -> SshCredential | None:
        """The device's own credential when it names an SSH login, else the default one."""
        return self.credentials.get(device.credential) or self.credentials.get(self.credential)


def driver_error(driver: str) -> str:
    """Why a ``napalm_driver`` value is unusable ("" if it is fine)."""
    if driver.startswith(NETMIKO_PREFIX):
        device_type = driver[len(NETMIKO_PREFIX) :]
        if device_type not in NETMIKO_DEVICE_TYPES:
            return (
                f"netmiko device type {device_type!r} is not supported (supported: {', '.join(NETMIKO_DEVICE_TYPES)})"
            )
        return ""
    if not _DRIVER_NAME.match(driver):
        return f"expected a NAPALM driver name (ios, eos, junos …) or netmiko:<device_type>, got {driver!r}"
    return ""


def parse_napalm(node: _Node, secrets: _Secrets, devices: Sequence[Device]) -> NapalmConfig | None:
    """Validate the ``napalm`` section (errors go to ``node.errors`` naming the field); None when absent."""
    if not node.data:
        node.done()
        for i, device in enumerate(devices):
            if device.napalm_driver:
                node.errors.append(
                    f"devices[{i}].napalm_driver: {device.napalm_driver!r} needs a napalm section (credentials for SSH)"
                )
        return None
    credentials: dict[str, SshCredential] = {}
    creds_node = node.node("credentials")
    for name in creds_node.data:
        entry = creds_node.node(str(name))
        credentials[str(name)] = SshCredential(
            name=str(name),
            username=entry.get_str("username"),
            password=secrets.resolve(entry, "password", required=True),
            enable_secret=secrets.resolve(entry, "enable_secret", required=False),
        )
        entry.done()
    if not credentials:
        node.error("credentials", "at least one SSH login is required")
    default = node.get_str("credential", "")
    if default and default not in credentials:
        node.error("credential", f"unknown credential {default!r} (not in napalm.credentials)")
    keep = node.raw("keep_connections")
    if keep is not None and keep is not _MISSING and not isinstance(keep, bool):
        node.error("keep_connections", f"expected true or false, got {keep!r}")
    getters = node.get_list("getters") if node.raw("getters") not in (None, _MISSING) else list(GETTERS)
    for i, getter in enumerate(getters):
        if getter not in GETTERS:
            node.errors.append(f"{node.at('getters')}[{i}]: must be one of {', '.join(GETTERS)}, got {getter!r}")
    optional_args = node.raw("optional_args")
    if optional_args is None or optional_args is _MISSING:
        optional_args = {}
    if not isinstance(optional_args, Mapping):
        node.error("optional_args", f"expected a mapping, got {type(optional_args).__name__}")
        optional_args = {}
    for key in optional_args:
        if any(word in str(key).lower() for word in ("password", "secret", "key")):
            node.error(f"optional_args.{key}", "secrets go in napalm.credentials as references, not here")
    config = NapalmConfig(
        credentials=credentials,
        credential=default,
        port=node.get_int("port", 22, lo=1, hi=65535),
        workers=node.get_int("workers", 8, lo=1, hi=256),
        keep_connections=keep if isinstance(keep, bool) else True,
        getters=tuple(g for g in getters if g in GETTERS),
        optional_args=dict(optional_args),
    )
    node.done()
    for i, device in enumerate(devices):
        if not device.napalm_driver:
            continue
        problem = driver_error(device.napalm_driver)
        if problem:
            node.errors.append(f"devices[{i}].napalm_driver: {problem}")
        if config.credential_for(device) is None:
            node.errors.append(
                f"devices[{i}]: polled over SSH ({device.napalm_driver}) but has no SSH login: set "
                "napalm.credential or name an entry of napalm.credentials as its snmp.auth"
            )
    return config
