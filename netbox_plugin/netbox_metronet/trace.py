"""Fiber trace: follow a strand through its splices to the ports at both ends, with length and loss budget.

A traced path from the patch panel at the POP to the patch panel at a school::

      Site A (POP)             closure C1                closure C2             Site B (school)
     [panel-a FP1]==K1 #1 (1200 m)==(splice)==K2 #5 (800 m)==(splice)==K3 #2 (400 m)==[panel-b FP3]
           |              |             |            |            |            |             |
         hop 1          hop 2         hop 3        hop 4        hop 5        hop 6         hop 7
      termination      strand        splice       strand       splice       strand      termination
                     (A -> B)     0.05 dB meas.  (A -> B)    0.10 dB dflt.  (B -> A)

This path is expressed as::

    FiberTrace(
        hops=[
            TerminationHop(panel-a FP1),            # start_port
            StrandHop(K1 #1, 1200 m, A -> B),
            SpliceHop(C1, 0.05 dB, measured),
            StrandHop(K2 #5, 800 m, A -> B),
            SpliceHop(C2, 0.10 dB, default),
            StrandHop(K3 #2, 400 m, B -> A),        # K3 was laid from site B towards C2
            TerminationHop(panel-b FP3),            # end_port
        ],
        total_length_m=2400, splice_count=2, connector_count=2,
        budgets=[LossBudget(1310 nm, 1.99 dB), LossBudget(1550 nm, 1.68 dB)], issues=[],
    )

How the walk goes: leaving a strand at one end of its cable,

- if that end is in a splice closure, the splice in that closure using the strand gives the next strand;
  the walk enters the next strand's cable at its end in the same closure and leaves it at the other end;
- if that end is at a site, the strand's termination for that cable end gives the port, and the walk stops.

A trace from a strand walks out of both ends of its cable and joins the two walks (the A-side walk
reversed, so the path reads from the A-side port). A trace from a front or rear port starts at that port
and walks out of the other end of the strand terminated on it: traced from the other end, the path above
comes back hop for hop reversed.

A broken path is returned, not raised: the walk stops and the trace carries a :class:`TraceIssue`
(``unspliced`` strand in a closure, ``unterminated`` strand at a site, ``missing_end`` of a cable,
``loop`` when a strand would be visited twice, ``bad_splice`` when a splice leads to a cable that does not
enter the closure, ``no_strand`` for a port with no strand terminated on it). Gaps in the data that do not
break the path are issues too (``unknown_length`` of a cable, ``unknown_attenuation`` of a fiber type at a
wavelength); the loss budget is then marked incomplete.

Queries: one for the origin, one per splice closure or site end reached, and one more when a cable's
length comes from its route segments -- the count grows with the number of hops, never with the size of
the inventory.
"""

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from dcim.models import FrontPort, RearPort
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from netbox.plugins import get_plugin_config

from .choices import CableEndChoices
from .models import FiberCable, FiberCableSegment, FiberStrand, Splice, SpliceClosure, StrandTermination

__all__ = (
    "BREAK_CODES",
    "FiberTrace",
    "Hop",
    "LossBudget",
    "LossSettings",
    "SpliceHop",
    "StrandHop",
    "TerminationHop",
    "TraceIssue",
    "hops_summary",
    "trace_port",
    "trace_strand",
)

#: select_related() paths that load a strand with its cable and both cable ends.
STRAND_RELATED = ("cable", "cable__a_site", "cable__a_closure", "cable__b_site", "cable__b_closure")
#: select_related() paths that load a termination's port with its device and site.
PORT_RELATED = ("front_port__device__site", "rear_port__device__site")

#: Issue codes that mean the path is broken (the walk stopped before a port).
BREAK_CODES = frozenset({"unspliced", "unterminated", "missing_end", "loop", "bad_splice", "no_strand"})

_KM = Decimal(1000)


def _other_end(end: str) -> str:
    return CableEndChoices.B if end == CableEndChoices.A else CableEndChoices.A


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class LossSettings:
    """The loss-budget parameters (``PLUGINS_CONFIG["netbox_metronet"]``), as Decimals."""

    attenuation_db_per_km: Mapping[str, Mapping[str, Decimal]]
    splice_loss_db: Decimal
    connector_loss_db: Decimal
    wavelengths: tuple[int, ...]
    budget_margin_db: Decimal

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> "LossSettings":
        """Build from a plugin configuration mapping (default: the running NetBox's ``PLUGINS_CONFIG``)."""

        def get(name: str) -> Any:
            return config[name] if config is not None else get_plugin_config("netbox_metronet", name)

        attenuation = {
            str(fiber_type): {str(wl): _decimal(v) for wl, v in per_wavelength.items()}
            for fiber_type, per_wavelength in (get("attenuation_db_per_km") or {}).items()
        }
        return cls(
            attenuation_db_per_km=attenuation,
            splice_loss_db=_decimal(get("splice_loss_db")),
            connector_loss_db=_decimal(get("connector_loss_db")),
            wavelengths=tuple(int(w) for w in get("wavelengths")),
            budget_margin_db=_decimal(get("budget_margin_db")),
        )

    def attenuation(self, fiber_type: str, wavelength: int) -> Decimal | None:
        """dB/km of ``fiber_type`` at ``wavelength`` nm, or ``None`` when not configured."""
        return self.attenuation_db_per_km.get(fiber_type, {}).get(str(wavelength))


@dataclass(frozen=True)
class TerminationHop:
    """A strand's end on a front or rear port (a connector)."""

    kind: ClassVar[str] = "termination"
    termination: StrandTermination
    port: FrontPort | RearPort

    @property
    def device(self):
        return self.port.device

    @property
    def site(self):
        return self.port.device.site

    def reversed(self) -> "TerminationHop":
        return self


@dataclass(frozen=True)
class StrandHop:
    """A strand of a cable, walked from cable end ``enter_end`` to ``exit_end``."""

    kind: ClassVar[str] = "strand"
    strand: FiberStrand
    enter_end: str
    exit_end: str
    length_m: Decimal | None = None

    @property
    def cable(self) -> FiberCable:
        return self.strand.cable

    @property
    def fiber_type(self) -> str:
        return self.strand.cable.fiber_type

    def reversed(self) -> "StrandHop":
        return dataclasses.replace(self, enter_end=self.exit_end, exit_end=self.enter_end)


@dataclass(frozen=True)
class SpliceHop:
    """A splice in a closure; ``loss_db`` is the measured loss, else the configured default."""

    kind: ClassVar[str] = "splice"
    splice: Splice
    closure: SpliceClosure
    loss_db: Decimal
    measured: bool

    def reversed(self) -> "SpliceHop":
        return self


Hop = TerminationHop | StrandHop | SpliceHop


@dataclass(frozen=True)
class TraceIssue:
    """Something wrong with a path: ``code`` (see the module docstring) and a message naming the place."""

    code: str
    message: str
    strand: FiberStrand | None = None
    closure: SpliceClosure | None = None
    site: Any = None
    cable: FiberCable | None = None
    wavelength: int | None = None

    @property
    def breaks_path(self) -> bool:
        return self.code in BREAK_CODES


@dataclass(frozen=True)
class LossBudget:
    """The loss of a path at one wavelength. ``complete`` is False when a length or attenuation is unknown."""

    wavelength_nm: int
    fiber_loss_db: Decimal
    splice_loss_db: Decimal
    connector_loss_db: Decimal
    margin_db: Decimal
    complete: bool

    @property
    def total_db(self) -> Decimal:
        return self.fiber_loss_db + self.splice_loss_db + self.connector_loss_db

    @property
    def total_with_margin_db(self) -> Decimal:
        return self.total_db + self.margin_db


@dataclass
class FiberTrace:
    """The result of a trace: ordered hops from ``start_port`` to ``end_port``, totals, budget and issues."""

    origin: Any
    hops: list[Hop]
    issues: list[TraceIssue] = field(default_factory=list)
    budgets: list[LossBudget] = field(default_factory=list)
    budget_margin_db: Decimal = Decimal(0)

    @property
    def strand_hops(self) -> list[StrandHop]:
        return [h for h in self.hops if isinstance(h, StrandHop)]

    @property
    def splice_hops(self) -> list[SpliceHop]:
        return [h for h in self.hops if isinstance(h, SpliceHop)]

    @property
    def termination_hops(self) -> list[TerminationHop]:
        return [h for h in self.hops if isinstance(h, TerminationHop)]

    @property
    def start_port(self) -> FrontPort | RearPort | None:
        return self.hops[0].port if self.hops and isinstance(self.hops[0], TerminationHop) else None

    @property
    def end_port(self) -> FrontPort | RearPort | None:
        if len(self.hops) > 1 and isinstance(self.hops[-1], TerminationHop):
            return self.hops[-1].port
        return None

    @property
    def total_length_m(self) -> Decimal:
        """Sum of the known cable lengths (see ``length_complete``)."""
        return sum((h.length_m for h in self.strand_hops if h.length_m is not None), Decimal(0))

    @property
    def length_complete(self) -> bool:
        return all(h.length_m is not None for h in self.strand_hops)

    @property
    def splice_count(self) -> int:
        return len(self.splice_hops)

    @property
    def connector_count(self) -> int:
        return len(self.termination_hops)

    @property
    def is_complete(self) -> bool:
        """True when the path runs from a port to a port without a break."""
        return (
            self.start_port is not None
            and self.end_port is not None
            and not any(issue.breaks_path for issue in self.issues)
        )

    def budget(self, wavelength_nm: int) -> LossBudget | None:
        return next((b for b in self.budgets if b.wavelength_nm == wavelength_nm), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready representation (used by the REST API)."""
        return {
            "origin": _ref(self.origin),
            "complete": self.is_complete,
            "hops": [_hop_dict(h) for h in self.hops],
            "start_port": _ref(self.start_port),
            "end_port": _ref(self.end_port),
            "total_length_m": float(self.total_length_m),
            "length_complete": self.length_complete,
            "splice_count": self.splice_count,
            "connector_count": self.connector_count,
            "loss_budget": [
                {
                    "wavelength_nm": b.wavelength_nm,
                    "fiber_loss_db": float(b.fiber_loss_db),
                    "splice_loss_db": float(b.splice_loss_db),
                    "connector_loss_db": float(b.connector_loss_db),
                    "total_db": float(b.total_db),
                    "margin_db": float(b.margin_db),
                    "total_with_margin_db": float(b.total_with_margin_db),
                    "complete": b.complete,
                }
                for b in self.budgets
            ],
            "budget_margin_db": float(self.budget_margin_db),
            "issues": [
                {
                    "code": i.code,
                    "message": i.message,
                    "breaks_path": i.breaks_path,
                    "strand": _ref(i.strand),
                    "closure": _ref(i.closure),
                    "site": _ref(i.site),
                    "cable": _ref(i.cable),
                    "wavelength_nm": i.wavelength,
                }
                for i in self.issues
            ],
        }


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"object_type": obj._meta.label_lower, "id": obj.pk, "display": str(obj)}


def _hop_dict(hop: Hop) -> dict[str, Any]:
    if isinstance(hop, TerminationHop):
        return {
            "type": hop.kind, "port": _ref(hop.port), "device": _ref(hop.device), "site": _ref(hop.site),
            "termination_id": hop.termination.pk,
        }
    if isinstance(hop, StrandHop):
        return {
            "type": hop.kind, "strand": _ref(hop.strand), "number": hop.strand.number, "cable": _ref(hop.cable),
            "fiber_type": hop.fiber_type, "length_m": None if hop.length_m is None else float(hop.length_m),
            "enter_end": hop.enter_end, "exit_end": hop.exit_end,
        }
    return {
        "type": hop.kind, "splice_id": hop.splice.pk, "closure": _ref(hop.closure),
        "loss_db": float(hop.loss_db), "measured": hop.measured,
    }


#
# The walk
#

def _end_place(cable: FiberCable, end: str) -> tuple[Any, Any]:
    """``(site, closure)`` at a cable end (from the select_related cache)."""
    if end == CableEndChoices.A:
        return (cable.a_site if cable.a_site_id else None), (cable.a_closure if cable.a_closure_id else None)
    return (cable.b_site if cable.b_site_id else None), (cable.b_closure if cable.b_closure_id else None)


def _find_termination(strand: FiberStrand, end: str, site: Any) -> StrandTermination | None:
    """The termination of ``strand`` at cable end ``end`` (one query).

    A termination saved without ``full_clean()`` may have a blank ``cable_end``; it counts when its port is
    at the site of that end.
    """
    candidates = list(
        StrandTermination.objects.filter(strand_id=strand.pk)
        .filter(Q(cable_end=end) | Q(cable_end=""))
        .select_related(*PORT_RELATED)
        .order_by("pk")
    )
    exact = [t for t in candidates if t.cable_end == end]
    if exact:
        return exact[0]
    return next((t for t in candidates if t.port.device.site_id == site.pk), None)


def _find_splice(strand: FiberStrand, closure: SpliceClosure) -> Splice | None:
    """The splice using ``strand`` in ``closure`` (one query)."""
    related = [f"strand_{side}__{path}" for side in ("a", "b") for path in STRAND_RELATED]
    return (
        Splice.objects.filter(closure_id=closure.pk)
        .filter(Q(strand_a_id=strand.pk) | Q(strand_b_id=strand.pk))
        .select_related("closure", "strand_a", "strand_b", *related)
        .order_by("pk")
        .first()
    )


def _walk(
    strand: FiberStrand, end: str, visited: set[int], splice_loss_db: Decimal
) -> tuple[list[Hop], list[TraceIssue]]:
    """Walk out of ``strand`` at cable end ``end`` until a port or a break; hops in walking order."""
    hops: list[Hop] = []
    while True:
        cable = strand.cable
        site, closure = _end_place(cable, end)
        if site is not None:
            termination = _find_termination(strand, end, site)
            if termination is None:
                return hops, [TraceIssue(
                    "unterminated",
                    _("Strand {strand} is not terminated at site {site} ({end}-end of {cable}).").format(
                        strand=strand, site=site, end=end, cable=cable),
                    strand=strand, site=site, cable=cable,
                )]
            hops.append(TerminationHop(termination=termination, port=termination.port))
            return hops, []
        if closure is None:
            return hops, [TraceIssue(
                "missing_end",
                _("The {end}-end of cable {cable} is neither at a site nor in a closure.").format(end=end, cable=cable),
                strand=strand, cable=cable,
            )]
        splice = _find_splice(strand, closure)
        if splice is None:
            return hops, [TraceIssue(
                "unspliced",
                _("Strand {strand} is not spliced in closure {closure}.").format(strand=strand, closure=closure),
                strand=strand, closure=closure, cable=cable,
            )]
        loss = splice.loss_db if splice.loss_db is not None else splice_loss_db
        splice_hop = SpliceHop(splice=splice, closure=closure, loss_db=loss, measured=splice.loss_db is not None)
        nxt = splice.other(strand.pk)
        if nxt.pk in visited:
            return hops, [TraceIssue(
                "loop",
                _("Loop: splice {splice} in closure {closure} leads back to strand {strand}, already on the path.")
                .format(splice=splice, closure=closure, strand=nxt),
                strand=nxt, closure=closure, cable=nxt.cable,
            )]
        enter = nxt.cable.end_at_closure(closure.pk)
        if enter is None:
            return hops, [TraceIssue(
                "bad_splice",
                _("Splice {splice} in closure {closure} uses strand {strand}, whose cable does not enter the closure.")
                .format(splice=splice, closure=closure, strand=nxt),
                strand=nxt, closure=closure, cable=nxt.cable,
            )]
        visited.add(nxt.pk)
        hops += [splice_hop, StrandHop(strand=nxt, enter_end=enter, exit_end=_other_end(enter))]
        strand, end = nxt, _other_end(enter)


def _finish(origin: Any, hops: list[Hop], issues: list[TraceIssue], settings: LossSettings) -> FiberTrace:
    """Fill in cable lengths (one query when a cable has no measured length) and the loss budgets."""
    strand_hops = [h for h in hops if isinstance(h, StrandHop)]
    from_route = {h.cable.pk for h in strand_hops if h.cable.length_m is None}
    route_lengths: dict[int, Decimal] = {}
    if from_route:
        route_lengths = dict(
            FiberCableSegment.objects.filter(cable_id__in=from_route)
            .order_by()
            .values("cable_id")
            .annotate(total=Sum(Coalesce("segment__length_m", "segment__geometry_length_m")))
            .values_list("cable_id", "total")
        )
    reported: set[int] = set()
    for i, hop in enumerate(hops):
        if not isinstance(hop, StrandHop):
            continue
        cable = hop.cable
        length = cable.length_m if cable.length_m is not None else route_lengths.get(cable.pk)
        hops[i] = dataclasses.replace(hop, length_m=length)
        if length is None and cable.pk not in reported:
            reported.add(cable.pk)
            issues.append(TraceIssue(
                "unknown_length",
                _("Cable {cable} has neither a measured length nor route segments.").format(cable=cable),
                cable=cable,
            ))

    strand_hops = [h for h in hops if isinstance(h, StrandHop)]
    splice_loss = sum((h.loss_db for h in hops if isinstance(h, SpliceHop)), Decimal(0))
    connectors = sum(1 for h in hops if isinstance(h, TerminationHop))
    budgets = []
    for wavelength in settings.wavelengths:
        fiber_loss, complete, unknown = Decimal(0), True, {}
        for hop in strand_hops:
            attenuation = settings.attenuation(hop.fiber_type, wavelength)
            if attenuation is None:
                unknown.setdefault(hop.fiber_type, []).append(hop.cable)
                complete = False
            elif hop.length_m is None:
                complete = False
            else:
                fiber_loss += attenuation * hop.length_m / _KM
        for fiber_type, cables in unknown.items():
            names = ", ".join(dict.fromkeys(str(c) for c in cables))
            issues.append(TraceIssue(
                "unknown_attenuation",
                _("No attenuation is configured for fiber type {fiber_type} at {wavelength} nm (cables {cables}).")
                .format(fiber_type=fiber_type or "?", wavelength=wavelength, cables=names),
                cable=cables[0], wavelength=wavelength,
            ))
        budgets.append(LossBudget(
            wavelength_nm=wavelength,
            fiber_loss_db=fiber_loss,
            splice_loss_db=splice_loss,
            connector_loss_db=settings.connector_loss_db * connectors,
            margin_db=settings.budget_margin_db,
            complete=complete,
        ))
    return FiberTrace(
        origin=origin, hops=hops, issues=issues, budgets=budgets, budget_margin_db=settings.budget_margin_db
    )


def trace_strand(strand: FiberStrand | int, *, settings: LossSettings | None = None) -> FiberTrace:
    """Trace the path through ``strand`` (an instance or a primary key) from its A-side end to its B-side end.

    Pass an instance loaded with ``select_related(*STRAND_RELATED)`` to save a query.
    """
    settings = settings or LossSettings.from_config()
    if not isinstance(strand, FiberStrand):
        strand = FiberStrand.objects.select_related(*STRAND_RELATED).get(pk=strand)
    visited = {strand.pk}
    a_hops, a_issues = _walk(strand, CableEndChoices.A, visited, settings.splice_loss_db)
    b_hops, b_issues = _walk(strand, CableEndChoices.B, visited, settings.splice_loss_db)
    hops: list[Hop] = [
        *(h.reversed() for h in reversed(a_hops)),
        StrandHop(strand=strand, enter_end=CableEndChoices.A, exit_end=CableEndChoices.B),
        *b_hops,
    ]
    return _finish(strand, hops, a_issues + b_issues, settings)


def trace_port(port: FrontPort | RearPort, *, settings: LossSettings | None = None) -> FiberTrace:
    """Trace from a front or rear port through the strand terminated on it; the path starts at ``port``."""
    settings = settings or LossSettings.from_config()
    lookup = {"front_port_id": port.pk} if isinstance(port, FrontPort) else {"rear_port_id": port.pk}
    termination = (
        StrandTermination.objects.filter(**lookup)
        .select_related(*PORT_RELATED, *(f"strand__{p}" for p in STRAND_RELATED))
        .first()
    )
    if termination is None:
        issue = TraceIssue("no_strand", _("No fiber strand is terminated on port {port}.").format(port=port))
        return _finish(port, [], [issue], settings)
    strand = termination.strand
    end = termination.cable_end or strand.cable.end_at_site(termination.port.device.site_id) or CableEndChoices.A
    hops, issues = _walk(strand, _other_end(end), {strand.pk}, settings.splice_loss_db)
    hops = [
        TerminationHop(termination=termination, port=termination.port),
        StrandHop(strand=strand, enter_end=end, exit_end=_other_end(end)),
        *hops,
    ]
    return _finish(port, hops, issues, settings)


def hops_summary(hops: Sequence[Hop]) -> str:
    """A one-line text form of a path, e.g. ``panel-a FP1 | K1 #1 | C1 | K2 #5 | panel-b FP3`` (for logs, tests)."""
    parts = []
    for hop in hops:
        if isinstance(hop, TerminationHop):
            parts.append(f"{hop.device} {hop.port}")
        elif isinstance(hop, StrandHop):
            parts.append(str(hop.strand))
        else:
            parts.append(str(hop.closure))
    return " | ".join(parts)
