"""Optical DOM from ENTITY-SENSOR-MIB (RFC 3433) and CISCO-ENTITY-SENSOR-MIB, mapped to interfaces.

A transceiver's sensors are physical entities (ENTITY-MIB) contained in the transceiver, itself contained
in (or being) the port; the port's entity maps to its ifIndex in entAliasMappingTable::

    entPhysicalIndex 1001  port "Te1/1/1"      ──entAliasMappingIdentifier──▶ ifIndex 25 (IF-MIB ifIndex.25)
      └ 1002  module "Te1/1/1 transceiver"     (entPhysicalContainedIn = 1001)
          ├ 1003 sensor "Te1/1/1 Rx Power Sensor"   entPhySensorType watts(6), scale micro(7), precision 3
          ├ 1004 sensor "Te1/1/1 Tx Power Sensor"   …
          └ 1005 sensor "Te1/1/1 Temperature Sensor" celsius(8), scale units(9), precision 1

A sensor belongs to the first entity up its containment chain that has an alias mapping to a known
ifIndex; failing that, to the interface whose name starts its entPhysicalName (longest match). Values are
``entPhySensorValue × 10^(3·(scale − 9)) × 10^(−precision)``; optical power in watts becomes dBm, in
dBm (Cisco's type 14) stays; current (amperes) is written in mA. A sensor whose status is not ok(1) is
skipped. Rx vs Tx is told by the sensor's name/description ("Rx"/"Receive" vs "Tx"/"Transmit"); the lane
by "Lane N" in the name (else lane "1").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from metronet_collectors.model import OpticsReading
from metronet_collectors.snmp_walk import Oid, Rows, number, text

ENT_PHYSICAL_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1)
ENT_ALIAS_MAPPING_ID: Oid = (1, 3, 6, 1, 2, 1, 47, 1, 3, 2, 1, 2)
ENT_PHY_SENSOR_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 99, 1, 1, 1)
CISCO_SENSOR_ENTRY: Oid = (1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1)
IF_INDEX: Oid = (1, 3, 6, 1, 2, 1, 2, 2, 1, 1)

ENTITY_COLUMNS: dict[str, Oid] = {
    "descr": (*ENT_PHYSICAL_ENTRY, 2),
    "contained_in": (*ENT_PHYSICAL_ENTRY, 4),
    "name": (*ENT_PHYSICAL_ENTRY, 7),
    "alias": ENT_ALIAS_MAPPING_ID,
}
SENSOR_COLUMNS: dict[str, Oid] = {
    "type": (*ENT_PHY_SENSOR_ENTRY, 1),
    "scale": (*ENT_PHY_SENSOR_ENTRY, 2),
    "precision": (*ENT_PHY_SENSOR_ENTRY, 3),
    "value": (*ENT_PHY_SENSOR_ENTRY, 4),
    "status": (*ENT_PHY_SENSOR_ENTRY, 5),
    "cisco_type": (*CISCO_SENSOR_ENTRY, 1),
    "cisco_scale": (*CISCO_SENSOR_ENTRY, 2),
    "cisco_precision": (*CISCO_SENSOR_ENTRY, 3),
    "cisco_value": (*CISCO_SENSOR_ENTRY, 4),
    "cisco_status": (*CISCO_SENSOR_ENTRY, 5),
}
# SensorDataType (ENTITY-SENSOR-MIB), extended by CISCO-ENTITY-SENSOR-MIB with dBm(14)
VOLTS_DC, AMPERES, WATTS, CELSIUS, DBM = 4, 5, 6, 8, 14
UNITS_SCALE = 9  # SensorDataScale units(9); yocto(1) … milli(8) … yotta(17), steps of 10³
NO_LIGHT_DBM = -40.0  # written for 0 W (below any receiver's sensitivity)
FIELDS = ("rx_dbm", "tx_dbm", "temperature_c", "bias_ma", "voltage_v")

_RX = re.compile(r"\b(rx|receive[rd]?)\b|rx\s*power|input\s*power", re.IGNORECASE)
_TX = re.compile(r"\b(tx|transmit(ted)?)\b|tx\s*power|output\s*power", re.IGNORECASE)
_LANE = re.compile(r"\blane\s*(\d+)", re.IGNORECASE)


def sensor_value(raw: int, scale: int, precision: int) -> float:
    """entPhySensorValue with its SensorDataScale and SensorPrecision applied (e.g. 1778, micro, 3 → 1.778e-6)."""
    return raw * 10.0 ** (3 * (scale - UNITS_SCALE)) * 10.0 ** (-precision)


def watts_to_dbm(watts: float) -> float:
    return 10.0 * math.log10(watts * 1000.0) if watts > 0 else NO_LIGHT_DBM


def _interface_of(entity: int, entities: Rows, if_names: Mapping[int, str]) -> str | None:
    """Walk up entPhysicalContainedIn (at most 16 steps) to an entity with an alias mapping to a known ifIndex."""
    aliases: dict[int, int] = {}
    for index, target in entities.get("alias", {}).items():
        if isinstance(target, tuple) and target[: len(IF_INDEX)] == IF_INDEX and len(target) == len(IF_INDEX) + 1:
            aliases.setdefault(index[0], target[-1])
    current: int | None = entity
    for _ in range(16):
        if current is None or current == 0:
            break
        if_index = aliases.get(current)
        if if_index is not None and if_index in if_names:
            return if_names[if_index]
        parent = entities.get("contained_in", {}).get((current,))
        current = parent if isinstance(parent, int) else None
    name = text(entities.get("name", {}).get((entity,)))
    best = ""
    for if_name in if_names.values():
        if len(if_name) > len(best) and (name == if_name or name.startswith(if_name + " ")):
            best = if_name
    return best or None


def optics_readings(entities: Rows, sensors: Rows, if_names: Mapping[int, str]) -> list[OpticsReading]:
    """DOM readings per (interface, lane) from walked ENTITY_COLUMNS and SENSOR_COLUMNS rows."""
    readings: dict[tuple[str, str], dict[str, float]] = {}
    for prefix in ("", "cisco_"):
        types = sensors.get(prefix + "type", {})
        for index, kind in types.items():
            if not isinstance(kind, int) or len(index) != 1:
                continue
            status = sensors.get(prefix + "status", {}).get(index)
            raw = sensors.get(prefix + "value", {}).get(index)
            if status != 1 or not isinstance(raw, int):
                continue
            entity = index[0]
            if_name = _interface_of(entity, entities, if_names)
            if if_name is None:
                continue
            value = sensor_value(
                raw,
                number(sensors.get(prefix + "scale", {}).get(index), UNITS_SCALE),
                number(sensors.get(prefix + "precision", {}).get(index)),
            )
            label = f"{text(entities.get('name', {}).get(index))} {text(entities.get('descr', {}).get(index))}"
            field: str | None = None
            if kind == CELSIUS:
                field = "temperature_c"
            elif kind == VOLTS_DC:
                field = "voltage_v"
            elif kind == AMPERES:
                field, value = "bias_ma", value * 1000.0
            elif kind in (WATTS, DBM) and (_RX.search(label) or _TX.search(label)):
                field = "rx_dbm" if _RX.search(label) else "tx_dbm"
                value = watts_to_dbm(value) if kind == WATTS else value
            if field is None:
                continue
            lane_match = _LANE.search(label)
            lane = lane_match.group(1) if lane_match else "1"
            readings.setdefault((if_name, lane), {})[field] = round(value, 6)
    return [OpticsReading(if_name, lane, values) for (if_name, lane), values in sorted(readings.items())]
