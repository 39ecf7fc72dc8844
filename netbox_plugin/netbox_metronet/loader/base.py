"""The loader's working state: counts, lookups by name/slug, and validated create-or-update of one object.

Every object goes through :meth:`Loader.upsert`: found by its natural key (slug or name), changed only where
the file differs, validated with ``full_clean()`` (so NetBox's and MetroNet's model validation applies) and
saved. A validation error becomes a :class:`LoadError` naming the place in the file, e.g.
``sites[3].latitude: Ensure that there are no more than 2 digits before the decimal point.``
"""

from collections import Counter
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

__all__ = ("CREATED", "UNCHANGED", "UPDATED", "LoadError", "Loader", "Stats", "pick")

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class LoadError(Exception):
    """The file cannot be loaded; ``errors`` are ``(place in the file, message)`` pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("\n".join(f"{path}: {message}" if path else message for path, message in errors))
        self.errors = errors


class Stats:
    """Created/updated/unchanged counts per model (``app_label.ModelName``), in the order models were met."""

    def __init__(self):
        self.counts: dict[str, Counter] = {}

    def add(self, model: type[models.Model] | str, outcome: str, n: int = 1) -> None:
        label = model if isinstance(model, str) else model._meta.label
        self.counts.setdefault(label, Counter())[outcome] += n

    def get(self, label: str, outcome: str) -> int:
        return self.counts.get(label, Counter())[outcome]

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {label: {o: c[o] for o in (CREATED, UPDATED, UNCHANGED)} for label, c in self.counts.items()}

    def table(self) -> str:
        width = max([len(label) for label in self.counts] + [5])
        head = (pgettext_lazy("metronet", "model"), pgettext_lazy("metronet", "created"), _("updated"), _("unchanged"))
        lines = [f"{head[0]:<{width}}  {head[1]:>9}  {head[2]:>9}  {head[3]:>9}"]
        lines += [f"{label:<{width}}  {c[CREATED]:>9}  {c[UPDATED]:>9}  {c[UNCHANGED]:>9}"
                  for label, c in self.counts.items()]
        lines.append(f"{_('total'):<{width}}  {self.total(CREATED):>9}  {self.total(UPDATED):>9}  "
                     f"{self.total(UNCHANGED):>9}")
        return "\n".join(lines)


def _message_list(error: ValidationError) -> list[tuple[str | None, str]]:
    if hasattr(error, "error_dict"):
        return [(None if f == "__all__" else f, m) for f, msgs in error.message_dict.items() for m in msgs]
    return [(None, m) for m in error.messages]


class Loader:
    """State shared by the section loaders (``loader.core``, ``loader.plant``)."""

    def __init__(self):
        self.stats = Stats()
        self._refs: dict[tuple, Any] = {}

    # --- errors ------------------------------------------------------------------------------------------------

    @staticmethod
    def fail(path: str, message: str) -> NoReturn:
        raise LoadError([(path, message)])

    def validate(self, obj: models.Model, path: str, field_paths: dict[str, str] | None = None,
                 exclude: list[str] | None = None) -> None:
        """``full_clean()``; errors become a :class:`LoadError` at ``path.<field>`` (or ``field_paths[field]``)."""
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as e:
            field_paths = field_paths or {}
            errors = []
            for name, message in _message_list(e):
                where = field_paths.get(name) if name else None
                errors.append((where or (f"{path}.{name}" if name else path), message))
            raise LoadError(errors) from e

    # --- lookups -----------------------------------------------------------------------------------------------

    @staticmethod
    def describe(model: type[models.Model], lookup: dict) -> str:
        """``route segment named 'D-07'``, ``site with slug 'zs-aleska'``, ``interface named 'Gi1/0/9' on sw-x``."""
        what = model._meta.verbose_name
        owners = " ".join(_("on {owner}").format(owner=v) for v in lookup.values() if isinstance(v, models.Model))
        keys = {k: v for k, v in lookup.items() if not isinstance(v, models.Model)}
        if list(keys) == ["name"]:
            text = _("{what} named {name!r}").format(what=what, name=keys["name"])
        else:
            shown = ", ".join(f"{k} {v!r}" for k, v in keys.items())
            text = _("{what} with {fields}").format(what=what, fields=shown)
        return f"{text} {owners}".strip()

    def ref(self, path: str, model: type[models.Model], **lookup) -> Any:
        """The one object of ``model`` matching ``lookup`` (cached), or a LoadError at ``path``."""
        key = (model, tuple(sorted(lookup.items())))
        if key in self._refs:
            return self._refs[key]
        try:
            obj = model.objects.get(**lookup)
        except model.DoesNotExist:
            self.fail(path, _("no {object}").format(object=self.describe(model, lookup)))
        except MultipleObjectsReturned:
            self.fail(path, _("more than one {object} in NetBox; make it unique first").format(
                object=self.describe(model, lookup)))
        self._refs[key] = obj
        return obj

    def opt_ref(self, entry: dict, key: str, path: str, model: type[models.Model], field: str = "slug"):
        """A reference from ``entry[key]`` by ``field`` (None when the value is null)."""
        value = entry.get(key)
        return None if value is None else self.ref(f"{path}.{key}", model, **{field: value})

    def remember(self, model: type[models.Model], obj: models.Model, **lookup) -> None:
        self._refs[(model, tuple(sorted(lookup.items())))] = obj

    def find(self, path: str, model: type[models.Model], **lookup) -> Any:
        """The existing object matching the natural key, None if there is none."""
        try:
            return model.objects.filter(**lookup).get()
        except model.DoesNotExist:
            return None
        except MultipleObjectsReturned:
            self.fail(path, _("more than one {object} in NetBox; the loader cannot tell which to update").format(
                object=self.describe(model, lookup)))

    # --- create or update ----------------------------------------------------------------------------------------

    def upsert(self, path: str, model: type[models.Model], lookup: dict, values: dict, *,
               obj: models.Model | None = None, field_paths: dict[str, str] | None = None,
               exclude: list[str] | None = None) -> tuple[models.Model, str]:
        """Create or update the object found by ``lookup`` so that it has ``values``; returns it and the outcome.

        Pass ``obj`` when the caller already looked the object up. Only changed objects are validated and saved.
        """
        if obj is None:
            obj = self.find(path, model, **lookup)
        if obj is None:
            obj = model(**lookup)
        outcome = CREATED if obj._state.adding else UNCHANGED
        for name, value in values.items():
            field = model._meta.get_field(name)
            if isinstance(field, models.DecimalField) and value is not None and not isinstance(value, Decimal):
                value = Decimal(str(value))
            if isinstance(field, models.CharField | models.TextField) and value is None and not field.null:
                value = ""
            if field.many_to_one or field.one_to_one:
                current = getattr(obj, field.attname)
                changed = current != (value.pk if value is not None else None)
            else:
                changed = getattr(obj, name) != value
            if changed:
                setattr(obj, name, value)
                if outcome == UNCHANGED:
                    outcome = UPDATED
        if outcome != UNCHANGED:
            self.validate(obj, path, field_paths, exclude)
            try:
                obj.save()
            except LoadError:
                raise
            except Exception as e:  # a save-time check (NetBox cable paths, a database constraint): say where
                self.fail(path, f"{type(e).__name__}: {e}")  # NetBox's own (translated) message
        self.stats.add(model, outcome)
        return obj, outcome

    def put(self, path: str, model: type[models.Model], lookup: dict, values: dict, **kwargs) -> models.Model:
        """:meth:`upsert` for callers that only need the object."""
        return self.upsert(path, model, lookup, values, **kwargs)[0]

    def set_m2m(self, obj: models.Model, name: str, targets: list[models.Model], outcome: str) -> str:
        """Make the many-to-many ``name`` of ``obj`` hold exactly ``targets``; returns the (updated) outcome."""
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
            manager.set(targets)
            return self.mark_updated(obj, outcome)
        return outcome

    def mark_updated(self, obj: models.Model, outcome: str) -> str:
        """Count an unchanged object as updated after the caller changed something beside its fields."""
        if outcome == UNCHANGED:
            self.stats.add(type(obj), UNCHANGED, -1)
            self.stats.add(type(obj), UPDATED)
            return UPDATED
        return outcome


def pick(entry: dict, *keys: str) -> dict:
    """The given keys that the entry has (a key left out of the file keeps the object's current value)."""
    return {k: entry[k] for k in keys if k in entry}
