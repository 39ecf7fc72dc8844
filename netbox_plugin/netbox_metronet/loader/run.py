"""Reading a network file and loading it in one transaction (all or nothing)."""

import json
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from .base import Loader, LoadError, Stats
from .core import load_core
from .plant import load_plant
from .schema import validate

__all__ = ("load_network", "read_network_file")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def read_network_file(path: str | Path) -> dict:
    """The data of a ``.yaml``/``.yml`` or ``.json`` network file; a LoadError says what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LoadError([("", _("cannot read {path}: {error}").format(path=path, error=e.strerror))]) from e
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        if path.suffix.lower() in (".yaml", ".yml"):
            return yaml.safe_load(text)
    except json.JSONDecodeError as e:
        raise LoadError([("", _("{path}: invalid JSON at line {line}, column {column}: {error}").format(
            path=path, line=e.lineno, column=e.colno, error=e.msg))]) from e
    except yaml.YAMLError as e:
        raise LoadError([("", _("{path}: invalid YAML: {error}").format(path=path, error=e))]) from e
    raise LoadError([("", _("{path}: unknown file type {suffix!r}; use .yaml, .yml or .json").format(
        path=path, suffix=path.suffix))])


def load_network(data: dict, *, dry_run: bool = False) -> Stats:
    """Load a whole network (see ``docs/sample-data.md``) in one transaction and return the counts.

    The file's structure is checked first (all problems at once); then objects are created or updated in
    dependency order, each validated with ``full_clean()``. The first error raises :class:`LoadError` naming
    the place in the file, and the transaction is rolled back: nothing is written. A dry run rolls back too.
    """
    errors = validate(data)
    if errors:
        raise LoadError(errors)
    loader = Loader()
    try:
        with transaction.atomic():
            load_core(loader, data)
            load_plant(loader, data)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return loader.stats
