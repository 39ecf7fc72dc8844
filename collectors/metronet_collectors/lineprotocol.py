"""InfluxDB line protocol encoding (valid for InfluxDB 1.x, 2.x and 3.x).

* measurement: commas and spaces escaped; tag keys/values and field keys: commas, equals signs and spaces
  escaped; UTF-8 (Czech diacritics) is written as is. Newlines are not allowed in line protocol: they
  (and other control characters) are replaced by a space. Empty tag values are omitted (InfluxDB rejects them).
* fields: ``int`` → ``123i``; ``float`` → shortest repr (``nan``/``inf`` are dropped: InfluxDB rejects them);
  ``bool`` is written as an integer 0/1 (no booleans or strings in our schema). Integers are clamped to
  the signed 64-bit range InfluxDB accepts (a Counter64 above 2**63-1 is written modulo 2**63).
* timestamps in nanoseconds.
"""

from __future__ import annotations

import math
import re

from metronet_collectors.model import Point

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MEASUREMENT = str.maketrans({",": r"\,", " ": r"\ "})
_KEY = str.maketrans({",": r"\,", "=": r"\=", " ": r"\ "})
INT64_MAX = (1 << 63) - 1


def _clean(text: str) -> str:
    text = _CONTROL.sub(" ", text)
    return text[:-1] + "_" if text.endswith("\\") else text


def escape_measurement(name: str) -> str:
    return _clean(name).translate(_MEASUREMENT)


def escape_key(text: str) -> str:
    return _clean(text).translate(_KEY)


def encode_field(value: int | float) -> str | None:
    if isinstance(value, bool):
        return f"{int(value)}i"
    if isinstance(value, int):
        if value > INT64_MAX or value < -INT64_MAX - 1:
            value = value % (1 << 63)
        return f"{value}i"
    if not math.isfinite(value):
        return None
    return repr(float(value))


def encode_point(point: Point) -> str | None:
    """One line (without newline), or None if the point has no writable field."""
    fields = []
    for key in sorted(point.fields):
        encoded = encode_field(point.fields[key])
        if encoded is not None:
            fields.append(f"{escape_key(key)}={encoded}")
    if not fields:
        return None
    tags = "".join(
        f",{escape_key(key)}={escape_key(value)}" for key, value in sorted(point.tags.items()) if value != ""
    )
    return f"{escape_measurement(point.measurement)}{tags} {','.join(fields)} {point.timestamp_ns}"


def encode_points(points: list[Point]) -> list[str]:
    lines = []
    for point in points:
        line = encode_point(point)
        if line is not None:
            lines.append(line)
    return lines
