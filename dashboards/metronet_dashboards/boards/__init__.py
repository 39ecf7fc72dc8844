"""One module per dashboard; ``ALL`` lists their builder functions (settings → dashboard builder)."""

from __future__ import annotations

from collections.abc import Callable

from grafana_foundation_sdk.builders.dashboard import Dashboard

from ..settings import Settings
from . import collector, coverage, link, noc, organization, sitemap

ALL: tuple[Callable[[Settings], Dashboard], ...] = (
    noc.build, link.build, organization.build, coverage.build, collector.build, sitemap.build,
)
