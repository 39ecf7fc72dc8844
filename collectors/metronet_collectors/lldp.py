"""LLDP remote neighbors from LLDP-MIB (IEEE 802.1AB-2005, ``1.0.8802.1.1.2``).

lldpRemTable is indexed by (lldpRemTimeMark, lldpRemLocalPortNum, lldpRemIndex); the local port number
is mapped to an interface through lldpLocPortTable: its lldpLocPortId (subtype interfaceName(5),
interfaceAlias(1) or local(7)) or lldpLocPortDesc when either is an ifName of the device, else the port
number read as an ifIndex (what most agents use), else ``lldpPort<N>``.
"""

from __future__ import annotations

from collections.abc import Mapping

from metronet_collectors.model import LldpNeighbor
from metronet_collectors.snmp_walk import Oid, Rows, Value, number, text

LLDP_MIB: Oid = (1, 0, 8802, 1, 1, 2)
LOC_PORT_ENTRY: Oid = (*LLDP_MIB, 1, 3, 7, 1)
REM_ENTRY: Oid = (*LLDP_MIB, 1, 4, 1, 1)

LLDP_COLUMNS: dict[str, Oid] = {
    "loc_port_id_subtype": (*LOC_PORT_ENTRY, 2),
    "loc_port_id": (*LOC_PORT_ENTRY, 3),
    "loc_port_desc": (*LOC_PORT_ENTRY, 4),
    "chassis_id_subtype": (*REM_ENTRY, 4),
    "chassis_id": (*REM_ENTRY, 5),
    "port_id_subtype": (*REM_ENTRY, 6),
    "port_id": (*REM_ENTRY, 7),
    "port_desc": (*REM_ENTRY, 8),
    "sys_name": (*REM_ENTRY, 9),
}
CHASSIS_MAC, PORT_MAC = 4, 3  # LldpChassisIdSubtype macAddress(4), LldpPortIdSubtype macAddress(3)
NETWORK_ADDRESS = (5, 4)  # chassis networkAddress(5), port networkAddress(4)


def mac_text(value: bytes) -> str:
    return ":".join(f"{b:02x}" for b in value)


def id_text(value: Value, subtype: int, mac_subtype: int, address_subtype: int) -> str:
    """An LLDP chassis/port id as text: a MAC as aa:bb:…, an IPv4 network address dotted, else UTF-8 (or hex)."""
    if not isinstance(value, bytes):
        return text(value)
    if subtype == mac_subtype and len(value) == 6:
        return mac_text(value)
    if subtype == address_subtype and len(value) == 5 and value[0] == 1:  # IANA family 1 = IPv4
        return ".".join(str(b) for b in value[1:])
    try:
        decoded = value.decode("utf-8")
    except UnicodeDecodeError:
        return mac_text(value)
    return decoded if decoded.isprintable() else mac_text(value)


def local_interfaces(rows: Rows, if_names: Mapping[int, str]) -> dict[int, str]:
    """lldpLocPortNum → local interface name."""
    known = set(if_names.values())
    ports: dict[int, str] = {}
    port_numbers = {index[0] for index in rows.get("loc_port_id", {})} | {
        index[1] for index in rows.get("port_id", {}) if len(index) == 3
    }
    for num in sorted(port_numbers):
        port_id = text(rows.get("loc_port_id", {}).get((num,)))
        port_desc = text(rows.get("loc_port_desc", {}).get((num,)))
        if port_id in known:
            ports[num] = port_id
        elif port_desc in known:
            ports[num] = port_desc
        elif num in if_names:
            ports[num] = if_names[num]
        else:
            ports[num] = f"lldpPort{num}"
    return ports


def lldp_neighbors(rows: Rows, if_names: Mapping[int, str]) -> list[LldpNeighbor]:
    """Remote neighbors from walked LLDP_COLUMNS rows, sorted by local interface."""
    locals_ = local_interfaces(rows, if_names)
    neighbors: list[LldpNeighbor] = []
    for index, port_id in rows.get("port_id", {}).items():
        if len(index) != 3:
            continue
        neighbors.append(
            LldpNeighbor(
                local_interface=locals_.get(index[1], f"lldpPort{index[1]}"),
                remote_system=text(rows.get("sys_name", {}).get(index)),
                remote_port=id_text(port_id, number(rows.get("port_id_subtype", {}).get(index)), PORT_MAC, 4),
                remote_port_description=text(rows.get("port_desc", {}).get(index)),
                remote_chassis_id=id_text(
                    rows.get("chassis_id", {}).get(index),
                    number(rows.get("chassis_id_subtype", {}).get(index)),
                    CHASSIS_MAC,
                    5,
                ),
            )
        )
    return sorted(neighbors, key=lambda n: (n.local_interface, n.remote_system, n.remote_port))
