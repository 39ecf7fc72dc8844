"""Every answer is checked with both graph libraries behind it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # topology_builders.py, next to the tests

from topology_builders import MakeTopology  # noqa: E402

from metronet_topology import AnalysisOptions, Network, Topology  # noqa: E402


@pytest.fixture(params=["rustworkx", "networkx"])
def make(request: pytest.FixtureRequest) -> MakeTopology:
    """``make(network, include_premises=True, ...)`` → a Topology on the parametrized backend."""

    def build(network: Network, **options: object) -> Topology:
        return Topology(network, AnalysisOptions(backend=request.param, **options))  # type: ignore[arg-type]

    return build
