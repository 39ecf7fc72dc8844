"""A small YAML writer with one fixed, stable style (pure Python).

PyYAML's output style has changed between versions; the committed sample must be byte-identical to what the
generator writes, so it is written here: block mappings and sequences, flow style for lists of scalars and
of [lon, lat] positions and for small flat mappings, literal blocks for multi-line text, plain scalars
where they cannot be read as anything but a string, JSON-style double quotes otherwise (valid YAML).
The output reads back with ``yaml.safe_load`` to the same data (dates as ``datetime.date``).
"""

from __future__ import annotations

import datetime
import json
import re

__all__ = ("render",)

_PLAIN = re.compile(r"^[A-Za-zÀ-ž][\w .,/()'–-]*$")
_PLAIN_IN_FLOW = re.compile(r"^[A-Za-zÀ-ž][\w ./()'–-]*$")  # no commas inside [...] or {...}
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}  # YAML 1.1 booleans and null
FLOW_MAPPING_MAX = 80


def scalar(value, in_flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        plain = _PLAIN_IN_FLOW if in_flow else _PLAIN
        if plain.match(value) and value.lower() not in _RESERVED and not value.endswith(" "):
            return value
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def is_scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool | datetime.date)


def is_position(value) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value)


def flow(value) -> str | None:
    """Flow-style text for a list of scalars or of [lon, lat] positions, or for a small flat mapping; None when
    block style reads better (e.g. a list of splice pairs: one pair a line)."""
    if isinstance(value, list) and (all(map(is_scalar, value)) or all(map(is_position, value))):
        return "[" + ", ".join(flow(v) or scalar(v, True) for v in value) + "]"
    if isinstance(value, dict) and value and all(map(is_scalar, value.values())):
        text = "{" + ", ".join(f"{k}: {scalar(v, True)}" for k, v in value.items()) + "}"
        return text if len(text) <= FLOW_MAPPING_MAX else None
    return None


def emit(value, indent: int = 0) -> list[str]:
    """Lines of ``value`` (a dict or list) in block style at ``indent``; entries of top-level lists stay block."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and "\n" in item:
                lines.append(f"{pad}{key}: |-")
                lines.extend(f"{pad}  {line}".rstrip() for line in item.split("\n"))
            elif is_scalar(item):
                lines.append(f"{pad}{key}: {scalar(item)}")
            elif indent > 0 and (text := flow(item)) is not None:
                lines.append(f"{pad}{key}: {text}")
            else:
                lines.append(f"{pad}{key}:")
                lines.extend(emit(item, indent + 2))
    elif isinstance(value, list):
        for item in value:
            text = flow(item) if indent > 2 or not isinstance(item, dict) else None
            if text is not None:
                lines.append(f"{pad}- {text}")
            elif isinstance(item, dict):
                body = emit(item, indent + 2)
                lines.append(f"{pad}- {body[0].lstrip()}")
                lines.extend(body[1:])
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def render(data: dict, header: str = "", section_comments: dict[str, str] | None = None) -> str:
    """The YAML text of ``data``: ``header`` (comment lines) first, a blank line between top-level keys and
    ``section_comments[key]`` as a comment above a key."""
    section_comments = section_comments or {}
    out = [header.rstrip("\n")] if header else []
    for key, value in data.items():
        if out:
            out.append("")
        if key in section_comments:
            out.append(f"# {section_comments[key]}")
        out.extend(emit({key: value}))
    return "\n".join(out) + "\n"
