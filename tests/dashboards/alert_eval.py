"""Evaluate a generated Grafana alert rule on query results the way Grafana's expressions do: ``reduce`` (last,
dropping NaN/null) per series, then the ``math`` condition over series joined by labels (two series join when
the labels of one are a subset of the other's, as Grafana's server-side expressions do)."""

from __future__ import annotations

import itertools
import re
from typing import Any

Labels = frozenset[tuple[str, str]]


def reduce_last(series: list[dict[str, Any]]) -> dict[Labels, float]:
    out: dict[Labels, float] = {}
    for serie in series:
        labels = frozenset((serie.get("tags") or {}).items())
        values = [row[1] for row in serie["values"] if row[1] is not None]
        if values:
            out[labels] = float(values[-1])
    return out


def evaluate(condition: str, reduced: dict[str, dict[Labels, float]]) -> list[tuple[dict[str, str], dict[str, float]]]:
    """Instances whose condition is true: (labels, values by ref)."""
    refs = sorted(set(re.findall(r"\$(\w+)", condition)))
    firing = []
    for combo in itertools.product(*(list(reduced[r].items()) for r in refs)):
        label_sets = [labels for labels, _ in combo]
        if not all(a <= b or b <= a for a, b in itertools.combinations(label_sets, 2)):
            continue
        values = {ref: value for ref, (_, value) in zip(refs, combo, strict=True)}
        expression = condition.replace("&&", " and ").replace("||", " or ")
        expression = re.sub(r"\$(\w+)", lambda m, v=values: repr(v[m.group(1)]), expression)
        if eval(expression, {"__builtins__": {}}):  # noqa: S307 - our own generated arithmetic/comparisons
            firing.append((dict(frozenset().union(*label_sets)), values))
    return firing
