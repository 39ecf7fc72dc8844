"""Where the list of devices comes from.

``StaticDeviceSource`` reads the ``devices`` of the config file. The NetBox source (pynetbox: active devices
with a primary IP marked for polling, their interfaces' roles and organizations) implements the same
Protocol; :class:`NetBoxClient` states what it needs from pynetbox so that it can be faked in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from metronet_collectors.model import Device


class DeviceSource(Protocol):
    """Extension point: returns the current device list (raises on failure; the caller keeps the last list)."""

    name: str

    async def devices(self) -> Sequence[Device]: ...


class StaticDeviceSource:
    name = "static"

    def __init__(self, devices: Iterable[Device]) -> None:
        self._devices = list(devices)

    async def devices(self) -> Sequence[Device]:
        return list(self._devices)


class NetBoxClient(Protocol):
    """The part of ``pynetbox.api`` a NetBox device source uses (not implemented yet)."""

    @property
    def dcim(self) -> Any: ...

    @property
    def tenancy(self) -> Any: ...
