"""Coverage of the town's organizations: who is connected, who is on the way, and how the targets stand.

The organizations are the ``OrganizationProfile`` rows (one per tenant). The state of an organization
follows from its connections, the best one winning::

    connected     a connection with status "connected"
    in progress   else a connection in design or construction
    planned       else a planned connection
    not planned   no connection, or only cancelled ones

A coverage target asks that ``share_percent`` of the eligible organizations (``org_types`` /
``town_relations``; empty = all) be connected at ``min_bandwidth_mbps`` or more by ``due_date``::

    required  = ceil(share% x eligible)
    achieved  = eligible organizations with a connected connection at >= min bandwidth,
                connected on or before min(due date, as of)
    projected = achieved + the others with an active (planned/design/construction) connection at
                >= min bandwidth and a planned date on or before the due date (while the due date is
                still ahead: once it has passed, projected = achieved)
    status    = met       achieved >= required
                missed    else, the due date has passed
                on track  else, projected >= required
                behind    otherwise

The burndown runs month by month from the first connected or planned date to the latest due date (or
``as_of``, when later): at the end of each month the cumulative number of connected organizations, the
remaining ones (all organizations - connected), and the planned line (organizations connected or planned
to be by then). Example, 3 organizations, as of 2025-03-15::

    org X connected 2025-01-10 / org Y planned 2025-03-31 / org Z planned 2025-05-31, target due 2025-06-30

    month        2025-01  2025-02  2025-03  2025-04  2025-05  2025-06
    connected          1        1        1        -        -        -    (- : after as_of)
    remaining          2        2        2        -        -        -
    planned            1        1        2        2        3        3

Everything is computed from three queries (profiles, connections, targets); the pure functions below take
plain data, so a report can be built from any source. ``as_of`` stands for "today" (tests pass a date).
A connected connection without a connected date (which validation forbids) counts as connected from the
beginning.
"""

import calendar
import datetime
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from utilities.choices import unpack_grouped_choices

from .choices import ConnectionStatusChoices, OrganizationTypeChoices, TownRelationChoices
from .models import Connection, CoverageTarget, OrganizationProfile

__all__ = (
    "Burndown",
    "BurndownPoint",
    "ConnectionFacts",
    "CoverageReport",
    "GroupCounts",
    "MissingOrganization",
    "OrgState",
    "OrganizationFacts",
    "OrganizationStatus",
    "TargetQualification",
    "TargetResult",
    "TargetStatus",
    "build_burndown",
    "build_report",
    "compute_coverage",
    "evaluate_target",
    "is_eligible",
    "load_organizations",
    "organization_status",
)

ACTIVE_STATUSES = (ConnectionStatusChoices.PLANNED, *ConnectionStatusChoices.IN_PROGRESS)


class OrgState:
    """The coverage state of an organization."""

    CONNECTED = "connected"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    NOT_PLANNED = "not_planned"

    ORDER = (CONNECTED, IN_PROGRESS, PLANNED, NOT_PLANNED)
    LABELS = {
        CONNECTED: _("Connected"),
        IN_PROGRESS: _("In progress"),
        PLANNED: pgettext_lazy("metronet", "Planned"),
        NOT_PLANNED: _("Not planned"),
    }
    COLORS = {CONNECTED: "green", IN_PROGRESS: "yellow", PLANNED: "cyan", NOT_PLANNED: "gray"}


class TargetStatus:
    """The status of a coverage target."""

    MET = "met"
    MISSED = "missed"
    ON_TRACK = "on_track"
    BEHIND = "behind"

    LABELS = {MET: _("Met"), MISSED: _("Missed"), ON_TRACK: _("On track"), BEHIND: _("Behind")}
    COLORS = {MET: "green", MISSED: "red", ON_TRACK: "blue", BEHIND: "orange"}


@functools.cache
def _labels(choiceset: Any) -> dict[str, Any]:
    return dict(unpack_grouped_choices(list(choiceset)))


def _label(choiceset: Any, value: str) -> str:
    """The (translated) label of a choice value; the value itself when unknown."""
    return str(_labels(choiceset).get(value, value))


@dataclass(frozen=True)
class ConnectionFacts:
    """What coverage needs of a ``Connection``."""

    pk: int
    status: str
    bandwidth_mbps: int | None
    planned_date: datetime.date | None
    connected_date: datetime.date | None

    @property
    def is_connected(self) -> bool:
        return self.status == ConnectionStatusChoices.CONNECTED

    @property
    def is_active(self) -> bool:
        """Planned, in design or in construction: on the way to being connected."""
        return self.status in ACTIVE_STATUSES

    def fast_enough(self, min_bandwidth_mbps: int) -> bool:
        return self.bandwidth_mbps is not None and self.bandwidth_mbps >= min_bandwidth_mbps


@dataclass
class OrganizationFacts:
    """An organization (profile) with its connections and the coverage facts derived from them."""

    profile_id: int
    tenant_id: int
    name: str
    org_type: str
    town_relation: str
    town_part_id: int | None
    town_part_name: str | None
    connections: tuple[ConnectionFacts, ...] = ()
    #: one of OrgState
    state: str = field(init=False)
    #: best bandwidth of a connected connection
    best_bandwidth_mbps: int | None = field(init=False)
    #: first date a connection went into service
    connected_date: datetime.date | None = field(init=False)
    #: earliest planned date of an active (planned/design/construction) connection
    planned_date: datetime.date | None = field(init=False)

    def __post_init__(self) -> None:
        connected = [c for c in self.connections if c.is_connected]
        active = [c for c in self.connections if c.is_active]
        if connected:
            self.state = OrgState.CONNECTED
        elif any(c.status in ConnectionStatusChoices.IN_PROGRESS for c in active):
            self.state = OrgState.IN_PROGRESS
        elif active:
            self.state = OrgState.PLANNED
        else:
            self.state = OrgState.NOT_PLANNED
        bandwidths = [c.bandwidth_mbps for c in connected if c.bandwidth_mbps is not None]
        self.best_bandwidth_mbps = max(bandwidths) if bandwidths else None
        dates = [c.connected_date for c in connected if c.connected_date is not None]
        self.connected_date = min(dates) if dates else None
        planned = [c.planned_date for c in active if c.planned_date is not None]
        self.planned_date = min(planned) if planned else None

    @property
    def state_label(self) -> str:
        return str(OrgState.LABELS[self.state])

    @property
    def state_color(self) -> str:
        return OrgState.COLORS[self.state]

    @property
    def org_type_label(self) -> str:
        return _label(OrganizationTypeChoices, self.org_type)

    @property
    def town_relation_label(self) -> str:
        return _label(TownRelationChoices, self.town_relation)

    @property
    def expected_date(self) -> datetime.date | None:
        """When the organization was or is planned to be connected (the burndown's planned line)."""
        return self.connected_date if self.state == OrgState.CONNECTED else self.planned_date

    def achieved(self, min_bandwidth_mbps: int, cutoff: datetime.date) -> bool:
        """Connected at ``min_bandwidth_mbps`` or more on or before ``cutoff``."""
        return any(
            c.is_connected
            and c.fast_enough(min_bandwidth_mbps)
            and (c.connected_date is None or c.connected_date <= cutoff)
            for c in self.connections
        )

    def planned_by(self, min_bandwidth_mbps: int, due_date: datetime.date) -> bool:
        """Has an active connection at ``min_bandwidth_mbps`` or more planned on or before ``due_date``."""
        return any(
            c.is_active
            and c.fast_enough(min_bandwidth_mbps)
            and c.planned_date is not None
            and c.planned_date <= due_date
            for c in self.connections
        )


def is_eligible(org: OrganizationFacts, target: Any) -> bool:
    """Whether ``org`` is among the organizations a target counts (empty filters = all)."""
    return (not target.org_types or org.org_type in target.org_types) and (
        not target.town_relations or org.town_relation in target.town_relations
    )


def _cutoff(target: Any, as_of: datetime.date) -> datetime.date:
    return min(target.due_date, as_of)


@dataclass
class GroupCounts:
    """Counts of one group of organizations (an org type, a town part, or all)."""

    key: Any
    label: str
    total: int = 0
    connected: int = 0
    in_progress: int = 0
    planned: int = 0
    not_planned: int = 0
    #: minimum bandwidth (Mbit/s) -> organizations whose best connected bandwidth reaches it
    connected_at_least: dict[int, int] = field(default_factory=dict)

    def add(self, org: OrganizationFacts, thresholds: Sequence[int]) -> None:
        self.total += 1
        setattr(self, org.state, getattr(self, org.state) + 1)
        for threshold in thresholds:
            reached = org.best_bandwidth_mbps is not None and org.best_bandwidth_mbps >= threshold
            self.connected_at_least[threshold] = self.connected_at_least.get(threshold, 0) + int(reached)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": str(self.label), "total": self.total, "connected": self.connected,
            "in_progress": self.in_progress, "planned": self.planned, "not_planned": self.not_planned,
            "connected_at_least": {str(k): v for k, v in self.connected_at_least.items()},
        }


@dataclass(frozen=True)
class MissingOrganization:
    """An eligible organization that does not (yet) count toward a target."""

    organization: OrganizationFacts
    #: will count by the (not yet passed) due date if the active connections keep their planned dates
    projected: bool


@dataclass
class TargetResult:
    target: Any
    eligible: int
    required: int
    achieved: int
    projected: int
    status: str
    missing: list[MissingOrganization]

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.achieved)

    @property
    def status_label(self) -> str:
        return str(TargetStatus.LABELS[self.status])

    @property
    def scope_label(self) -> str:
        """The organizations counted, e.g. "School, Kindergarten; Established by the town" ("" = all)."""
        types = ", ".join(_label(OrganizationTypeChoices, v) for v in self.target.org_types)
        relations = ", ".join(_label(TownRelationChoices, v) for v in self.target.town_relations)
        return "; ".join(part for part in (types, relations) if part)

    @property
    def status_color(self) -> str:
        return TargetStatus.COLORS[self.status]

    def to_dict(self) -> dict[str, Any]:
        t = self.target
        return {
            "id": t.pk, "name": t.name, "share_percent": float(t.share_percent),
            "min_bandwidth_mbps": t.min_bandwidth_mbps, "due_date": t.due_date.isoformat(),
            "org_types": list(t.org_types), "town_relations": list(t.town_relations),
            "eligible": self.eligible, "required": self.required, "achieved": self.achieved,
            "projected": self.projected, "shortfall": self.shortfall, "status": self.status,
            "missing": [
                {
                    "tenant_id": m.organization.tenant_id, "name": m.organization.name,
                    "state": m.organization.state, "best_bandwidth_mbps": m.organization.best_bandwidth_mbps,
                    "planned_date": _iso(m.organization.planned_date), "projected": m.projected,
                }
                for m in self.missing
            ],
        }


def evaluate_target(target: Any, organizations: Iterable[OrganizationFacts], as_of: datetime.date) -> TargetResult:
    """Count a target's eligible, required, achieved and projected organizations and derive its status."""
    eligible = [o for o in organizations if is_eligible(o, target)]
    required = math.ceil(target.share_percent * len(eligible) / 100)
    cutoff = _cutoff(target, as_of)
    achieved = [o for o in eligible if o.achieved(target.min_bandwidth_mbps, cutoff)]
    done = {o.profile_id for o in achieved}
    open_ = target.due_date >= as_of
    missing = [
        MissingOrganization(o, projected=open_ and o.planned_by(target.min_bandwidth_mbps, target.due_date))
        for o in eligible
        if o.profile_id not in done
    ]
    projected = len(achieved) + sum(1 for m in missing if m.projected)
    if len(achieved) >= required:
        status = TargetStatus.MET
    elif target.due_date < as_of:
        status = TargetStatus.MISSED
    elif projected >= required:
        status = TargetStatus.ON_TRACK
    else:
        status = TargetStatus.BEHIND
    return TargetResult(
        target=target, eligible=len(eligible), required=required, achieved=len(achieved), projected=projected,
        status=status, missing=missing,
    )


@dataclass(frozen=True)
class BurndownPoint:
    #: last day of the month
    month: datetime.date
    #: cumulative connected organizations (None for months after as_of)
    connected: int | None
    #: organizations still to connect (None for months after as_of)
    remaining: int | None
    #: organizations connected or planned to be by the end of the month
    planned: int


@dataclass
class Burndown:
    total: int
    points: list[BurndownPoint]
    #: (due date, target name, target status) of each target, for markers on the chart
    milestones: list[tuple[datetime.date, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "points": [
                {"month": p.month.isoformat(), "connected": p.connected, "remaining": p.remaining, "planned": p.planned}
                for p in self.points
            ],
            "milestones": [{"date": d.isoformat(), "target": n, "status": s} for d, n, s in self.milestones],
        }


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def build_burndown(
    organizations: Sequence[OrganizationFacts], targets: Sequence[TargetResult], as_of: datetime.date
) -> Burndown:
    """Month-by-month connected / remaining / planned counts over all organizations (see the module docstring)."""
    connected_orgs = [o for o in organizations if o.state == OrgState.CONNECTED]
    dates = [o.expected_date for o in organizations if o.expected_date is not None]
    start = min(dates) if dates else as_of
    # To the latest due date (or today, when later); without targets to the last date known.
    end = max(max(t.target.due_date for t in targets), as_of) if targets else max([as_of, *dates])
    end = max(end, start)
    undated = sum(1 for o in connected_orgs if o.connected_date is None)
    points = []
    month = start.replace(day=1)
    while month <= end:
        last = _month_end(month)
        planned = undated + sum(1 for d in dates if d <= last)
        if month > as_of:
            connected = remaining = None
        else:
            connected = undated + sum(1 for o in connected_orgs if o.connected_date and o.connected_date <= last)
            remaining = len(organizations) - connected
        points.append(BurndownPoint(month=last, connected=connected, remaining=remaining, planned=planned))
        month = last + datetime.timedelta(days=1)
    milestones = [(t.target.due_date, str(t.target.name), t.status) for t in targets]
    return Burndown(total=len(organizations), points=points, milestones=milestones)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class CoverageReport:
    """Everything the coverage page, its CSV export and the REST endpoint show."""

    as_of: datetime.date
    organizations: list[OrganizationFacts]
    #: distinct minimum bandwidths of the targets, ascending: columns "connected at >= N Mbit/s"
    thresholds: list[int]
    totals: GroupCounts
    by_type: list[GroupCounts]
    by_town_part: list[GroupCounts]
    targets: list[TargetResult]
    burndown: Burndown

    def organization(self, tenant_id: int) -> OrganizationFacts | None:
        return next((o for o in self.organizations if o.tenant_id == tenant_id), None)

    def qualifications(self, org: OrganizationFacts) -> list[tuple[TargetResult, bool | None]]:
        """For each target: True if ``org`` counts toward it, False if eligible but not (yet), None if not eligible."""
        return [
            (t, org.achieved(t.target.min_bandwidth_mbps, _cutoff(t.target, self.as_of))
             if is_eligible(org, t.target) else None)
            for t in self.targets
        ]

    def csv_rows(self) -> list[list[str]]:
        """The export: a header, then one row per organization; a target column is yes / no / n/a (not eligible)."""
        answer = {True: str(_("yes")), False: str(_("no")), None: str(_("n/a"))}
        header = [
            str(_("Organization")), str(_("Type")), str(_("Town part")), str(_("Relation to the town")),
            str(pgettext_lazy("metronet", "State")), str(_("Best bandwidth (Mbit/s)")), str(_("Planned date")),
            str(_("Connected date")),
            *(str(t.target.name) for t in self.targets),
        ]
        rows = [header]
        for org in self.organizations:
            rows.append([
                org.name, org.org_type_label, org.town_part_name or "", org.town_relation_label, org.state_label,
                "" if org.best_bandwidth_mbps is None else str(org.best_bandwidth_mbps),
                _iso(org.planned_date) or "", _iso(org.connected_date) or "",
                *(answer[q] for _t, q in self.qualifications(org)),
            ])
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "thresholds_mbps": self.thresholds,
            "totals": self.totals.to_dict(),
            "by_type": [g.to_dict() for g in self.by_type],
            "by_town_part": [g.to_dict() for g in self.by_town_part],
            "targets": [t.to_dict() for t in self.targets],
            "burndown": self.burndown.to_dict(),
            "organizations": [
                {
                    "tenant_id": o.tenant_id, "profile_id": o.profile_id, "name": o.name, "org_type": o.org_type,
                    "town_relation": o.town_relation, "town_part_id": o.town_part_id,
                    "town_part": o.town_part_name, "state": o.state, "best_bandwidth_mbps": o.best_bandwidth_mbps,
                    "planned_date": _iso(o.planned_date), "connected_date": _iso(o.connected_date),
                    "targets": {str(t.target.pk): q for t, q in self.qualifications(o)},
                }
                for o in self.organizations
            ],
        }


def build_report(
    organizations: Sequence[OrganizationFacts], targets: Sequence[Any], as_of: datetime.date
) -> CoverageReport:
    """Aggregate ``organizations`` per type and town part and evaluate ``targets`` (pure: no queries)."""
    thresholds = sorted({t.min_bandwidth_mbps for t in targets})
    totals = GroupCounts(key=None, label=str(_("All organizations")))
    by_type: dict[str, GroupCounts] = {}
    by_part: dict[int | None, GroupCounts] = {}
    for org in organizations:
        totals.add(org, thresholds)
        by_type.setdefault(org.org_type, GroupCounts(org.org_type, org.org_type_label)).add(org, thresholds)
        part_label = org.town_part_name or str(_("No town part"))
        by_part.setdefault(org.town_part_id, GroupCounts(org.town_part_id, part_label)).add(org, thresholds)
    type_order = {value: i for i, value in enumerate(OrganizationTypeChoices.values())}
    results = [evaluate_target(t, organizations, as_of) for t in targets]
    return CoverageReport(
        as_of=as_of,
        organizations=list(organizations),
        thresholds=thresholds,
        totals=totals,
        by_type=sorted(by_type.values(), key=lambda g: (type_order.get(g.key, len(type_order)), g.label)),
        by_town_part=sorted(by_part.values(), key=lambda g: (g.key is None, g.label.casefold())),
        targets=results,
        burndown=build_burndown(organizations, results, as_of),
    )


def load_organizations(profiles=None, connections=None) -> list[OrganizationFacts]:
    """Load organizations and their connections in two queries (pass restricted querysets to limit them)."""
    profiles = OrganizationProfile.objects.all() if profiles is None else profiles
    connections = Connection.objects.all() if connections is None else connections
    by_tenant: dict[int, list[ConnectionFacts]] = defaultdict(list)
    for pk, tenant_id, status, bandwidth, planned, connected in connections.order_by("pk").values_list(
        "pk", "tenant_id", "status", "bandwidth_mbps", "planned_date", "connected_date"
    ):
        by_tenant[tenant_id].append(ConnectionFacts(pk, status, bandwidth, planned, connected))
    return [
        OrganizationFacts(
            profile_id=p.pk,
            tenant_id=p.tenant_id,
            name=p.tenant.name,
            org_type=p.org_type,
            town_relation=p.town_relation,
            town_part_id=p.town_part_id,
            town_part_name=p.town_part.name if p.town_part_id else None,
            connections=tuple(by_tenant.get(p.tenant_id, ())),
        )
        for p in profiles.select_related("tenant", "town_part")
    ]


def compute_coverage(
    *, as_of: datetime.date | None = None, profiles=None, connections=None, targets=None
) -> CoverageReport:
    """The coverage report in three queries. Pass querysets (e.g. ``.restrict(user, "view")``) to limit the data."""
    as_of = as_of or datetime.date.today()
    targets = CoverageTarget.objects.all() if targets is None else targets
    return build_report(load_organizations(profiles, connections), list(targets), as_of)


@dataclass(frozen=True)
class TargetQualification:
    target: Any
    #: None: not eligible; True: counts toward the target; False: eligible, does not count (yet)
    qualifies: bool | None
    #: eligible and not counting yet, but an active connection is planned to make it count by the due date
    projected: bool


@dataclass
class OrganizationStatus:
    organization: OrganizationFacts
    targets: list[TargetQualification]


def organization_status(
    tenant: Any, *, as_of: datetime.date | None = None, profiles=None, connections=None, targets=None
) -> OrganizationStatus | None:
    """One organization's state and its standing toward each target (three queries); None without a profile."""
    as_of = as_of or datetime.date.today()
    profiles = (OrganizationProfile.objects.all() if profiles is None else profiles).filter(tenant_id=tenant.pk)
    connections = (Connection.objects.all() if connections is None else connections).filter(tenant_id=tenant.pk)
    orgs = load_organizations(profiles, connections)
    if not orgs:
        return None
    org = orgs[0]
    result = []
    for target in CoverageTarget.objects.all() if targets is None else targets:
        if not is_eligible(org, target):
            result.append(TargetQualification(target, None, False))
            continue
        qualifies = org.achieved(target.min_bandwidth_mbps, _cutoff(target, as_of))
        projected = (
            not qualifies and target.due_date >= as_of and org.planned_by(target.min_bandwidth_mbps, target.due_date)
        )
        result.append(TargetQualification(target, qualifies, projected))
    return OrganizationStatus(organization=org, targets=result)
