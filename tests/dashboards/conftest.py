"""Fixtures for the dashboard tests: the collector tests' real InfluxDB 1.6.7 (re-exported), a NetBox double.

tests/collectors belongs to the collector work; its helpers are imported, not copied: ``collector_services``
(InfluxDB, free ports, binaries) and the session ``influxdb`` fixture of its conftest.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

COLLECTOR_TESTS = Path(__file__).resolve().parents[1] / "collectors"
if str(COLLECTOR_TESTS) not in sys.path:
    sys.path.insert(0, str(COLLECTOR_TESTS))
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

_spec = importlib.util.spec_from_file_location("metronet_collector_tests_conftest", COLLECTOR_TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_collector_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_collector_conftest)

influxdb = _collector_conftest.influxdb  # session-scoped real influxd on a free port
