"""Keep the loaded and compiled topology between requests, per worker process, keyed by an inventory version.

Loading the network (:mod:`topology_loader`, 14 queries) and compiling its :class:`metronet_topology.Topology`
take seconds at 5,000 devices, while one cut after that takes well under a millisecond. Every topology
request (cut impact, SPOF, planned vs built, the map's filtered plant and the network view) asks this module
instead of the loader::

    request ──► inventory_version()  (1 query) ──┐
                restriction of the user's view ──┼─► key ──► hit: the cached LoadedParts / Network / Topology
                core sites, transaction        ──┘          miss: load_parts (14 queries), build, keep

**The key.** :func:`inventory_version` is one SQL query (a ``UNION ALL`` over every table the loader reads):
for each table ``count(*)``, ``max(id)`` and, when it has one, ``max(last_updated)``. Any create, update or
delete through NetBox (UI, REST, bulk import and edit, ``metronet_load``: they all save with a fresh
``last_updated`` or change a count) changes it. The key adds the SQL of the user's restricted querysets (users
with the same object permissions share an entry; a changed permission is a new key), the configured core sites
and, inside a transaction, its id and savepoints (what a transaction sees is not what others see).

**What bypasses it.** A queryset ``.update()`` that does not set ``last_updated`` and raw SQL ``UPDATE``\\ s
change no count, id or timestamp. Mitigations: in this process, NetBox's ``post_save`` / ``post_delete`` /
``m2m_changed`` signals of those models clear the cache (:func:`connect_signals`; ``.update()`` sends none),
and every entry expires after ``PLUGINS_CONFIG["netbox_metronet"]["topology_cache_seconds"]`` (default 300;
0 disables the cache). :func:`clear` empties it by hand.

**Analyses memoized on an entry.** What depends only on the entry's network (the SPOF report) is computed
once per entry (:func:`cached_analysis`): an entry is one inventory version and one permission scope, so a
memo is too. Planned vs built also reads the LLDP neighbors, which change on every collector report: the
version query carries a row for :class:`LldpNeighbor` (count, max id, max ``last_updated`` and ``last_seen``)
that is *not* part of the entry's key (a report does not reload the topology) but of the memo's
(:func:`cached_planned_vs_built`), with the digest of the user's neighbor queryset and the maximum age. The
stale cutoff moves with the clock: a memo is valid until the oldest fresh neighbor it counted turns stale
(``min(last_seen) + max_age``; :attr:`PlannedVsBuilt.fresh_until`), so a memoized answer is the answer
computed now (with ``now`` set to the request's time). At most :data:`MAX_MEMOS` memos per entry (LRU).

**Memory.** At most :data:`MAX_ENTRIES` entries per worker process. At 5,000 devices an entry (the loaded
rows, the validated network and the compiled topology) is a few hundred MB of resident memory (measured by
``benchmarks/plugin_endpoints.py``); a town of hundreds of devices needs a few MB.

Entries are shared between requests and threads: callers must not modify what they get.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dcim.models import Cable, CableTermination, Device, DeviceRole, Interface, PortMapping, Region, Site
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from netbox.plugins import get_plugin_config
from tenancy.models import Contact, Tenant

from metronet_topology import Network, NetworkError, Topology

from .models import (
    Connection,
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    LldpNeighbor,
    OrganizationProfile,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)
from .planned_vs_built import PlannedVsBuilt, compare, stale_hours
from .topology_loader import LoadedNetwork, LoadedParts, configured_core_sites, load_parts, restricted_querysets

__all__ = (
    "DEFAULT_CACHE_SECONDS", "MAX_ENTRIES", "MAX_MEMOS", "VERSION_MODELS", "cache_seconds", "cached_analysis",
    "cached_network", "cached_parts", "cached_planned_vs_built", "cached_topology",
    "clear", "connect_signals", "inventory_version", "stats",
)

DEFAULT_CACHE_SECONDS = 300
MAX_ENTRIES = 2
#: memoized analyses per entry (the SPOF report; planned vs built per neighbor scope and maximum age)
MAX_MEMOS = 16

#: Every model whose table the loader reads (directly or through a join: names of tenants, regions, roles,
#: contacts; strand numbers). Front and rear ports enter only by id (through terminations and port mappings,
#: which their deletion cascades to).
VERSION_MODELS: tuple[type[Model], ...] = (
    Site, Region, Tenant, Contact, OrganizationProfile, Connection, Connection.access_interfaces.through,
    SpliceClosure, RouteSegment, FiberCableSegment, FiberCable, FiberStrand, Splice, Device, DeviceRole, Interface,
    StrandTermination, PortMapping, CableTermination, Cable,
)


def cache_seconds() -> float:
    """``topology_cache_seconds``: the maximum age of an entry; 0 (or less) disables the cache."""
    return float(get_plugin_config("netbox_metronet", "topology_cache_seconds", DEFAULT_CACHE_SECONDS) or 0)


def _version_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for model in VERSION_MODELS:
        fields = {f.attname for f in model._meta.concrete_fields}
        stamp = "max(last_updated)::text" if "last_updated" in fields else "NULL"
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        parts.append(f"SELECT count(*), max({pk}), {stamp} FROM {table}")
    # The LLDP neighbors: not part of an entry's key, only of planned vs built's memo (see the module docstring).
    table = quote(LldpNeighbor._meta.db_table)
    parts.append(f"SELECT count(*), max(id), max(last_updated)::text || ' ' || max(last_seen)::text FROM {table}")
    # The current transaction's id when it has written something (NULL otherwise, e.g. in autocommit).
    parts.append("SELECT txid_current_if_assigned(), NULL, NULL")
    return " UNION ALL ".join(parts)


_VERSION_SQL: str | None = None


def inventory_version() -> tuple[Any, ...]:
    """One query: ``(count, max id, max last_updated)`` of every table in :data:`VERSION_MODELS`, then that of
    the LLDP neighbors (with their max ``last_seen``), and the id of the current transaction if it has written
    anything."""
    global _VERSION_SQL  # noqa: PLW0603 - built once, after the app registry is ready
    if _VERSION_SQL is None:
        _VERSION_SQL = _version_sql()
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        return tuple(tuple(row) for row in cursor.fetchall())


def _restriction(querysets: dict[str, QuerySet]) -> str:
    """A digest of the SQL of the user's restricted querysets: equal for users who may view the same objects."""
    digest = hashlib.sha256()
    for name in sorted(querysets):
        try:
            sql = str(querysets[name].query)
        except EmptyResultSet:  # the user may view none of these
            sql = "none"
        digest.update(f"{name}:{sql}\n".encode())
    return digest.hexdigest()


@dataclass
class _Entry:
    """The loaded rows of one key; the validated network and the compiled topology are built on first use."""

    parts: LoadedParts
    created: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded: LoadedNetwork | NetworkError | None = None
    topo: Topology | None = None
    memo_lock: threading.Lock = field(default_factory=threading.Lock)
    memos: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)

    def memoized[T](self, key: tuple[Any, ...], compute: Callable[[], T],
                 valid: Callable[[T], bool] | None = None) -> T:
        """The memo ``key`` of this entry when there is one (and ``valid`` accepts it), else ``compute()`` kept.
        Concurrent requests wait for one computation. An exception is not kept."""
        with self.memo_lock:
            if key in self.memos and (valid is None or valid(self.memos[key])):
                self.memos.move_to_end(key)
                _stats["memo_hits"] += 1
                return self.memos[key]
            _stats["memo_misses"] += 1
            value = compute()
            self.memos[key] = value
            self.memos.move_to_end(key)
            while len(self.memos) > MAX_MEMOS:
                self.memos.popitem(last=False)
            return value

    def network(self) -> LoadedNetwork:
        with self.lock:
            if self.loaded is None:
                parts = self.parts
                try:
                    self.loaded = LoadedNetwork(network=Network(**parts.network_kwargs), contacts=parts.contacts,
                                                skipped=parts.skipped, broken_paths=parts.broken_paths,
                                                notes=parts.notes)
                except NetworkError as e:
                    self.loaded = e
        if isinstance(self.loaded, NetworkError):
            raise self.loaded
        return self.loaded

    def topology(self) -> tuple[LoadedNetwork, Topology]:
        loaded = self.network()
        with self.lock:
            if self.topo is None:
                self.topo = Topology(loaded.network)
            return loaded, self.topo


_now = time.monotonic
_clock = timezone.now  # the wall clock of planned vs built's stale cutoff
_lock = threading.Lock()
_entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
_stats = {"hits": 0, "misses": 0, "clears": 0, "memo_hits": 0, "memo_misses": 0}


def clear() -> None:
    """Forget every entry."""
    with _lock:
        _entries.clear()
        _stats["clears"] += 1


def _changed(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: something the topology is loaded from was saved or deleted."""
    clear()


def stats() -> dict[str, int]:
    """Hits, misses and clears (and hits and misses of the memoized analyses) since the process started, and
    the entries held."""
    with _lock:
        return {**_stats, "entries": len(_entries)}


def _entry(user) -> _Entry:
    return _lookup(user)[0]


def _lookup(user) -> tuple[_Entry, Any]:
    """The entry of ``user`` and the version of the LLDP neighbors (None when the cache is disabled)."""
    querysets = restricted_querysets(user)
    seconds = cache_seconds()
    if seconds <= 0:
        return _Entry(parts=load_parts(**querysets), created=_now()), None
    version = inventory_version()
    n = len(VERSION_MODELS)
    lldp = (version[n], *version[n + 1:])  # with the transaction's id
    key = (version[:n] + version[n + 1:], _restriction(querysets), tuple(configured_core_sites() or ()),
           tuple(connection.savepoint_ids) if connection.in_atomic_block else ())
    now = _now()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and now - entry.created <= seconds:
            _entries.move_to_end(key)
            _stats["hits"] += 1
            return entry, lldp
        _stats["misses"] += 1
        # Load under the lock: concurrent requests of a threaded worker wait for one load instead of each
        # running it (and holding the rows twice).
        entry = _Entry(parts=load_parts(**querysets), created=now)
        _entries[key] = entry
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
        return entry, lldp


def cached_parts(user) -> LoadedParts:
    """:func:`topology_loader.load_parts` over what ``user`` may view, from the cache when it is current."""
    return _entry(user).parts


def cached_network(user) -> LoadedNetwork:
    """:func:`topology_loader.build_network` over what ``user`` may view, from the cache when it is current
    (raises :class:`NetworkError` when it does not validate)."""
    return _entry(user).network()


def cached_topology(user) -> tuple[LoadedNetwork, Topology]:
    """The network ``user`` may view and its compiled topology, from the cache when current (raises
    :class:`NetworkError` when it does not validate)."""
    return _entry(user).topology()


def cached_analysis[T](user, name: str, compute: Callable[[LoadedNetwork, Topology], T]) -> T:
    """``compute(network, topology)`` over what ``user`` may view, computed once per cache entry (one inventory
    version and permission scope) and ``name``; ``compute`` must depend on nothing else. Raises
    :class:`NetworkError` when the network does not validate. Callers must not modify the answer."""
    entry = _entry(user)
    return entry.memoized(("analysis", name), lambda: compute(*entry.topology()))


@dataclass(frozen=True)
class _PlannedVsBuiltMemo:
    lldp_version: Any
    result: PlannedVsBuilt


def cached_planned_vs_built(user, max_age_hours: float | None = None) -> PlannedVsBuilt:
    """:func:`planned_vs_built.compare` of the LLDP neighbors ``user`` may view with the planned links of the
    cache entry, memoized on the entry per (neighbor queryset, maximum age) while the neighbors' version does
    not change and no neighbor counted as fresh has turned stale since; ``now`` of the answer is this call's."""
    neighbors = LldpNeighbor.objects.restrict(user, "view")
    max_age = stale_hours() if max_age_hours is None else float(max_age_hours)
    entry, lldp = _lookup(user)
    now = _clock()

    def valid(memo: _PlannedVsBuiltMemo) -> bool:
        fresh_until = memo.result.fresh_until
        return memo.lldp_version == lldp and lldp is not None and (fresh_until is None or now <= fresh_until)

    memo = entry.memoized(
        ("planned_vs_built", _restriction({"lldp": neighbors}), max_age),
        lambda: _PlannedVsBuiltMemo(lldp, compare(neighbors, max_age_hours=max_age, now=now, parts=entry.parts)),
        valid)
    return memo.result if memo.result.now == now else dataclasses.replace(memo.result, now=now)


def connect_signals() -> None:
    """Clear the cache on ``post_save`` / ``post_delete`` / ``m2m_changed`` of the models the loader reads (in
    this process; other workers see the new inventory version)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in VERSION_MODELS:
        uid = f"netbox_metronet.topology_cache.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete", weak=False)
    m2m_changed.connect(_changed, sender=Connection.access_interfaces.through,
                        dispatch_uid="netbox_metronet.topology_cache.access_interfaces", weak=False)
