"""Sections that become MetroNet objects: route segments, closures, fiber cables, splices, terminations,
connections and coverage targets.

Natural keys: segments, closures, fiber cables and coverage targets by name; a strand by cable and number;
a splice by its closure and strands; a termination by strand and cable end; a connection by organization
and site. Splices and terminations are never moved: a strand or port already used otherwise is an error.
"""

import datetime

from dcim.models import Device, FrontPort, Interface, RearPort, Site
from django.utils.translation import gettext as _
from tenancy.models import Tenant

from ..choices import StrandStatusChoices
from ..models import (
    Connection,
    CoverageTarget,
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)
from .base import CREATED, UNCHANGED, UPDATED, Loader, pick
from .core import coordinate
from .schema import expand_names, parse_numbers

__all__ = ("load_plant",)


def to_date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


class PlantLoader:
    """Loads the plugin's sections; keeps each cable's strands (by number) and each closure's splices."""

    def __init__(self, ld: Loader):
        self.ld = ld
        self._strands: dict[int, dict[int, FiberStrand]] = {}
        self._splices: dict[int, dict[int, Splice]] = {}

    def strands(self, cable: FiberCable) -> dict[int, FiberStrand]:
        if cable.pk not in self._strands:
            self._strands[cable.pk] = {s.number: s for s in cable.strands.select_related("cable")}
        return self._strands[cable.pk]

    def strand(self, path: str, cable: FiberCable, number: int) -> FiberStrand:
        strand = self.strands(cable).get(number)
        if strand is None:
            self.ld.fail(path, _("cable {cable} has no strand {number} (it has {count})").format(
                cable=cable.name, number=number, count=cable.strand_count))
        return strand

    def cable(self, path: str, name: str) -> FiberCable:
        return self.ld.ref(path, FiberCable, name=name)

    # --- sections ----------------------------------------------------------------------------------------------

    def route_segments(self, entries: list) -> None:
        for i, e in enumerate(entries):
            path = f"route_segments[{i}]"
            values = pick(e, "kind", "status", "length_m", "geometry", "description", "comments")
            if "asset_owner" in e:
                values["asset_owner"] = self.ld.opt_ref(e, "asset_owner", path, Tenant)
            obj = self.ld.put(path, RouteSegment, {"name": e["name"]}, values)
            self.ld.remember(RouteSegment, obj, name=e["name"])

    def splice_closures(self, entries: list) -> None:
        for i, e in enumerate(entries):
            path = f"splice_closures[{i}]"
            values = pick(e, "kind", "status", "description", "comments")
            values.update(latitude=coordinate(e["latitude"]), longitude=coordinate(e["longitude"]))
            if "site" in e:
                values["site"] = self.ld.opt_ref(e, "site", path, Site)
            obj = self.ld.put(path, SpliceClosure, {"name": e["name"]}, values)
            self.ld.remember(SpliceClosure, obj, name=e["name"])

    def fiber_cables(self, entries: list) -> None:
        for i, e in enumerate(entries):
            path = f"fiber_cables[{i}]"
            values = pick(e, "status", "fiber_type", "strand_count", "length_m", "description", "comments")
            for end in ("a", "b"):
                if f"{end}_site" in e or f"{end}_closure" in e:  # one end given: the other field is cleared
                    values[f"{end}_site"] = self.ld.opt_ref(e, f"{end}_site", path, Site)
                    values[f"{end}_closure"] = self.ld.opt_ref(e, f"{end}_closure", path, SpliceClosure,
                                                               field="name")
            existing = self.ld.find(path, FiberCable, name=e["name"])
            before = existing.strands.count() if existing else 0
            cable, outcome = self.ld.upsert(path, FiberCable, {"name": e["name"]}, values, obj=existing)
            self.ld.remember(FiberCable, cable, name=e["name"])
            if outcome != UNCHANGED:
                self._strands.pop(cable.pk, None)
                if (after := cable.strands.count()) > before:
                    self.ld.stats.add(FiberStrand, CREATED, after - before)
            if "segments" in e:
                segments = [self.ld.ref(f"{path}.segments[{j}]", RouteSegment, name=name)
                            for j, name in enumerate(expand_names(e["segments"]))]
                current = list(cable.segment_links.order_by("position").values_list("segment_id", flat=True))
                if current != [s.pk for s in segments]:
                    cable.set_segments(segments)
                    self.ld.stats.add(FiberCableSegment, CREATED, len(segments))
                    outcome = self.ld.mark_updated(cable, outcome)
            if "strands" in e:
                self.strand_statuses(f"{path}.strands", cable, e["strands"])

    def strand_statuses(self, path: str, cable: FiberCable, statuses: dict) -> None:
        """Give the listed strands their status and every other strand of the cable ``available``."""
        wanted: dict[int, str] = {}
        for status, numbers in statuses.items():
            if status not in StrandStatusChoices.values():
                self.ld.fail(f"{path}.{status}", _("unknown strand status; expected one of {choices}").format(
                    choices=", ".join(StrandStatusChoices.values())))
            for number in parse_numbers(numbers):
                if number > cable.strand_count:
                    self.ld.fail(f"{path}.{status}", _("cable {cable} has no strand {number} (it has {count})")
                                 .format(cable=cable.name, number=number, count=cable.strand_count))
                if wanted.setdefault(number, status) != status:
                    self.ld.fail(f"{path}.{status}", _("strand {number} is listed as {first} and {second}").format(
                        number=number, first=wanted[number], second=status))
        for number, strand in sorted(self.strands(cable).items()):
            status = wanted.get(number, StrandStatusChoices.AVAILABLE)
            if strand.status != status:
                strand.status = status
                self.ld.validate(strand, path)
                strand.save()
                self.ld.stats.add(FiberStrand, UPDATED)

    def splices(self, entries: list) -> None:
        for i, e in enumerate(entries):
            path = f"splices[{i}]"
            closure = self.ld.ref(f"{path}.closure", SpliceClosure, name=e["closure"])
            cables = {}
            for key in ("a_cable", "b_cable"):
                cables[key] = self.cable(f"{path}.{key}", e[key])
                if cables[key].end_at_closure(closure.pk) is None:
                    cable = cables[key]
                    self.ld.fail(f"{path}.{key}", _("cable {cable} does not end in closure {closure} (its ends: "
                                                    "{a} / {b})").format(cable=cable.name, closure=closure.name,
                                                                         a=cable.end("A"), b=cable.end("B")))
            if closure.pk not in self._splices:
                self._splices[closure.pk] = {}
                for s in Splice.objects.filter(closure=closure):
                    self._splices[closure.pk].update({s.strand_a_id: s, s.strand_b_id: s})
            spliced = self._splices[closure.pk]
            for j, pair in enumerate(e["pairs"]):
                where = f"{path}.pairs[{j}]"
                a = self.strand(where, cables["a_cable"], pair[0])
                b = self.strand(where, cables["b_cable"], pair[1])
                values = {"loss_db": pair[2]} if len(pair) > 2 else {}
                found = {s.pk: s for s in (spliced.get(a.pk), spliced.get(b.pk)) if s is not None}
                if found:
                    splice = next(iter(found.values()))
                    if len(found) > 1 or {splice.strand_a_id, splice.strand_b_id} != {a.pk, b.pk}:
                        mine = a if a.pk in spliced else b
                        clash = spliced[mine.pk]
                        other = clash.strand_b if clash.strand_a_id == mine.pk else clash.strand_a
                        self.ld.fail(where, _("strand {strand} is already spliced to {other} in {closure}; the loader "
                                              "does not re-splice (delete that splice first)").format(
                            strand=mine, other=other, closure=closure.name))
                else:
                    splice = Splice(closure=closure, strand_a=a, strand_b=b)
                splice = self.ld.put(where, Splice, {}, values, obj=splice,
                                     field_paths={"strand_a": where, "strand_b": where})
                spliced[a.pk] = spliced[b.pk] = splice

    def strand_terminations(self, entries: list) -> None:
        for i, e in enumerate(entries):
            path = f"strand_terminations[{i}]"
            cable = self.cable(f"{path}.cable", e["cable"])
            device = self.ld.ref(f"{path}.device", Device, name=e["device"])
            kinds = [k for k in ("rear_ports", "front_ports") if e.get(k)]
            if len(kinds) != 1:
                self.ld.fail(path, _("give exactly one of rear_ports, front_ports"))
            kind = kinds[0]
            field, other_field, model = (("rear_port", "front_port", RearPort) if kind == "rear_ports"
                                         else ("front_port", "rear_port", FrontPort))
            numbers, names = parse_numbers(e["strands"]), expand_names(e[kind])
            if len(numbers) != len(names):
                self.ld.fail(path, _("{strands} strands but {ports} ports").format(strands=len(numbers),
                                                                                    ports=len(names)))
            ends = [end for end in ("A", "B") if getattr(cable, f"{end.lower()}_site_id") == device.site_id]
            if not ends:
                self.ld.fail(f"{path}.device", _("cable {cable} does not end at site {site} of device {device} (its "
                                                 "ends: {a} / {b})").format(cable=cable.name, site=device.site,
                                                                            device=device.name, a=cable.end("A"),
                                                                            b=cable.end("B")))
            end = e.get("cable_end") or ends[0]
            if end not in ends or (len(ends) > 1 and not e.get("cable_end")):
                message = (_("give the cable end (A or B) of {cable} at {site}") if len(ends) > 1
                           else _("the {end}-end of {cable} is not at {site}"))
                self.ld.fail(f"{path}.cable_end", message.format(cable=cable.name, site=device.site, end=end))
            ports = {p.name: p for p in model.objects.filter(device=device).select_related("device")}
            by_strand = {t.strand_id: t for t in StrandTermination.objects.filter(strand__cable=cable, cable_end=end)}
            by_port = {getattr(t, f"{field}_id"): t
                       for t in StrandTermination.objects.filter(**{f"{field}__device": device})}
            for k, (number, name) in enumerate(zip(numbers, names, strict=True)):
                where = f"{path}.strands[{k}]"
                strand = self.strand(where, cable, number)
                port = ports.get(name)
                if port is None:
                    self.ld.fail(f"{path}.{kind}[{k}]", _("no {object}").format(
                        object=self.ld.describe(model, {"name": name, "device": device})))
                current, holder = by_strand.get(strand.pk), by_port.get(port.pk)
                if holder is not None and (current is None or holder.pk != current.pk):
                    self.ld.fail(where, _("port {port} of {device} already holds strand {strand}; the loader does "
                                          "not move terminations").format(port=name, device=device.name,
                                                                          strand=holder.strand))
                obj = current or StrandTermination(strand=strand, cable_end=end)
                obj = self.ld.put(where, StrandTermination, {}, {field: port, other_field: None}, obj=obj)
                by_strand[strand.pk] = by_port[port.pk] = obj

    def connections(self, entries: list) -> None:
        for i, e in enumerate(entries):
            path = f"connections[{i}]"
            tenant = self.ld.ref(f"{path}.tenant", Tenant, slug=e["tenant"])
            site = self.ld.ref(f"{path}.site", Site, slug=e["site"])
            values = pick(e, "status", "bandwidth_mbps", "description", "comments")
            for key in ("planned_date", "construction_start", "connected_date"):  # dates always follow the file
                values[key] = to_date(e.get(key))
            if "strand" in e:
                s = e["strand"]
                values["strand"] = None if s is None else self.strand(
                    f"{path}.strand.number", self.cable(f"{path}.strand.cable", s["cable"]), s["number"])
            existing = self.ld.find(path, Connection, tenant=tenant, site=site)
            conn, outcome = self.ld.upsert(path, Connection, {"tenant": tenant, "site": site}, values, obj=existing)
            if "access_interfaces" in e:
                interfaces = []
                for j, it in enumerate(e["access_interfaces"] or []):
                    where = f"{path}.access_interfaces[{j}]"
                    device = self.ld.ref(f"{where}.device", Device, name=it["device"])
                    interfaces.append(self.ld.ref(f"{where}.interface", Interface, device=device,
                                                  name=it["interface"]))
                self.ld.set_m2m(conn, "access_interfaces", interfaces, outcome)

    def coverage_targets(self, entries: list) -> None:
        for i, e in enumerate(entries):
            values = pick(e, "share_percent", "min_bandwidth_mbps", "org_types", "town_relations", "description",
                          "comments")
            values["due_date"] = to_date(e["due_date"])
            self.ld.upsert(f"coverage_targets[{i}]", CoverageTarget, {"name": e["name"]}, values)


def load_plant(ld: Loader, data: dict) -> None:
    plant = PlantLoader(ld)
    plant.route_segments(data.get("route_segments") or [])
    plant.splice_closures(data.get("splice_closures") or [])
    plant.fiber_cables(data.get("fiber_cables") or [])
    plant.splices(data.get("splices") or [])
    plant.strand_terminations(data.get("strand_terminations") or [])
    plant.connections(data.get("connections") or [])
    plant.coverage_targets(data.get("coverage_targets") or [])
