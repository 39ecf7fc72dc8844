"""Validation of the fiber-plant models, with the exact messages users see, and the fixture the plant tests share.

The shared plant (``build_plant``)::

    Site 1 ==K1 (24)== C1 ==K2 (12)== Site 2
      (R1, R2)          \\
                         ==K3 (12)== Site 3        K4 (12): Site 1 == Site 2, through no closure
                            (R3)

Splices in C1: K1#1-K2#1, K1#2-K2#2, K1#3-K2#3.
"""

import json
from decimal import Decimal
from types import SimpleNamespace

from dcim.models import FrontPort, RearPort, Site
from django.core.exceptions import ValidationError
from django.test import TestCase
from tenancy.models import Tenant
from utilities.testing import create_test_device

from netbox_metronet.models import (
    FiberCable,
    FiberStrand,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)


def line(*points):
    """A GeoJSON LineString through ``points`` ((lon, lat) pairs)."""
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def line_json(*points) -> str:
    """``line()`` as the JSON a form posts (key order as PostgreSQL's jsonb returns it: shorter keys first)."""
    return json.dumps(line(*points))


def build_plant() -> SimpleNamespace:
    """Create the plant drawn in this module's docstring and return its objects by name."""
    return add_cables(build_places())


def build_places() -> SimpleNamespace:
    """The sites, the route segments and the closures of the plant, without cables."""
    p = SimpleNamespace()
    p.site1, p.site2, p.site3 = (
        Site.objects.create(name=f"Site {i}", slug=f"site-{i}", latitude=Decimal("50.54"), longitude=Decimal("13.77"))
        for i in (1, 2, 3)
    )
    p.town = Tenant.objects.create(name="Town", slug="town")
    p.r1 = RouteSegment.objects.create(
        name="R1", kind="duct", asset_owner=p.town, geometry=line((13.770, 50.540), (13.771, 50.541))
    )
    p.r2 = RouteSegment.objects.create(
        name="R2", kind="duct", geometry=line((13.771, 50.541), (13.772, 50.542)), length_m=Decimal("150.0")
    )
    p.r3 = RouteSegment.objects.create(name="R3", kind="aerial", geometry=line((13.772, 50.542), (13.773, 50.540)))
    p.c1 = SpliceClosure.objects.create(name="C1", latitude=Decimal("50.541"), longitude=Decimal("13.771"))
    p.c2 = SpliceClosure.objects.create(name="C2", latitude=Decimal("50.542"), longitude=Decimal("13.772"))
    p.c3 = SpliceClosure.objects.create(name="C3", latitude=Decimal("50.543"), longitude=Decimal("13.773"),
                                        site=p.site3)
    return p


def add_cables(p: SimpleNamespace) -> SimpleNamespace:
    """Add the cables K1-K4 and the splices in C1 to ``build_places()``."""
    p.k1 = FiberCable.objects.create(name="K1", strand_count=24, a_site=p.site1, b_closure=p.c1)
    p.k1.set_segments([p.r1, p.r2])
    p.k2 = FiberCable.objects.create(name="K2", strand_count=12, a_closure=p.c1, b_site=p.site2)
    p.k3 = FiberCable.objects.create(name="K3", strand_count=12, a_closure=p.c1, b_site=p.site3)
    p.k3.set_segments([p.r3])
    p.k4 = FiberCable.objects.create(name="K4", strand_count=12, a_site=p.site1, b_site=p.site2)
    p.splices = [
        Splice.objects.create(closure=p.c1, strand_a=strand(p.k1, n), strand_b=strand(p.k2, n),
                              loss_db=Decimal("0.05"))
        for n in (1, 2, 3)
    ]
    return p


def strand(cable, number) -> FiberStrand:
    return FiberStrand.objects.get(cable=cable, number=number)


def terminate(fiber, **port) -> StrandTermination:
    """Terminate ``fiber`` on ``front_port=`` or ``rear_port=``, validated (clean() fills in the cable end)."""
    termination = StrandTermination(strand=fiber, **port)
    termination.full_clean()
    termination.save()
    return termination


def add_patch_panel(site, name="Patch 1", ports=6):
    """A device at ``site`` with front ports "Front 1".."Front n" and rear ports "Rear 1".."Rear n"."""
    device = create_test_device(name, site=site)
    front = [FrontPort.objects.create(device=device, name=f"Front {i}", type="lc") for i in range(1, ports + 1)]
    rear = [RearPort.objects.create(device=device, name=f"Rear {i}", type="lc") for i in range(1, ports + 1)]
    return device, front, rear


class RouteSegmentValidationTestCase(TestCase):
    def assertGeometryError(self, geometry, message):
        segment = RouteSegment(name="X", kind="duct", geometry=geometry)
        with self.assertRaises(ValidationError) as ctx:
            segment.full_clean()
        self.assertEqual(ctx.exception.message_dict, {"geometry": [message]})

    def test_position_outside_wgs84(self):
        self.assertGeometryError(
            line((13.77, 50.54), (200, 50.5)),
            "position 2 [200.0, 50.5] is outside WGS84 bounds (lon -180..180, lat -90..90)",
        )

    def test_latitude_outside_wgs84(self):
        self.assertGeometryError(
            line((13.77, 95), (13.78, 50.5)),
            "position 1 [13.77, 95.0] is outside WGS84 bounds (lon -180..180, lat -90..90)",
        )

    def test_one_point(self):
        self.assertGeometryError(line((13.77, 50.54)), "a LineString needs at least two positions")

    def test_not_a_linestring(self):
        self.assertGeometryError(
            {"type": "Point", "coordinates": [13.77, 50.54]}, "geometry type must be LineString, got 'Point'"
        )

    def test_length_from_geometry_or_measured(self):
        segment = RouteSegment.objects.create(name="X", kind="duct", geometry=line((13.77, 50.54), (13.78, 50.54)))
        # 0.01 degree of longitude at 50.54 N is about 707 m
        self.assertAlmostEqual(float(segment.geometry_length_m), 707.1, delta=1)
        self.assertEqual(segment.length, segment.geometry_length_m)
        segment.length_m = Decimal("720.0")
        self.assertEqual(segment.length, Decimal("720.0"))


class FiberCableValidationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()

    def test_cable_with_no_ends(self):
        cable = FiberCable(name="K9", strand_count=12)
        with self.assertRaises(ValidationError) as ctx:
            cable.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "a_site": ["Give the site or the closure where the A-end of the cable is."],
            "b_site": ["Give the site or the closure where the B-end of the cable is."],
        })

    def test_end_at_a_site_and_a_closure(self):
        cable = FiberCable(name="K9", strand_count=12, a_site=self.p.site1, a_closure=self.p.c2, b_site=self.p.site2)
        with self.assertRaises(ValidationError) as ctx:
            cable.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "a_closure": ["An end is either at a site or in a closure, not both."],
        })

    def test_lowering_strand_count_under_a_spliced_strand(self):
        Splice.objects.create(closure=self.p.c1, strand_a=strand(self.p.k1, 20), strand_b=strand(self.p.k3, 4))
        cable = FiberCable.objects.get(pk=self.p.k1.pk)
        cable.strand_count = 12
        with self.assertRaises(ValidationError) as ctx:
            cable.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "strand_count": ["Strands 20 are spliced or terminated; the count cannot go below them."],
        })
        # Lowering to a count above every used strand is fine, and removes the unused strands above it.
        cable.strand_count = 20
        cable.full_clean()
        cable.save()
        self.assertEqual(cable.strands.count(), 20)

    def test_route_is_kept_in_order(self):
        self.p.k2.set_segments([self.p.r3, self.p.r1, self.p.r2])
        self.assertEqual([s.name for s in self.p.k2.ordered_segments], ["R3", "R1", "R2"])
        # R2 is measured (150 m); R1 and R3 come from their geometry.
        expected = self.p.r1.geometry_length_m + Decimal("150.0") + self.p.r3.geometry_length_m
        self.assertEqual(self.p.k2.length, expected)


class FiberStrandValidationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()

    def test_number_above_the_strand_count(self):
        fiber = FiberStrand(cable=self.p.k2, number=13)
        with self.assertRaises(ValidationError) as ctx:
            fiber.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "number": ["Cable K2 has 12 strands; strand 13 does not exist."],
        })

    def test_colours_follow_iec_60304(self):
        fiber = strand(self.p.k1, 14)
        self.assertEqual((fiber.tube, fiber.tube_colour, fiber.colour, fiber.colour_hex),
                         (2, "orange", "orange", "ff8000"))


class SpliceValidationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()

    def test_strand_spliced_twice_in_a_closure(self):
        splice = Splice(closure=self.p.c1, strand_a=strand(self.p.k1, 1), strand_b=strand(self.p.k3, 1))
        with self.assertRaises(ValidationError) as ctx:
            splice.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "strand_a": ["Strand K1 #1 is already spliced in C1 (splice K1 #1 ↔ K2 #1)."],
        })

    def test_strand_spliced_twice_as_strand_b(self):
        splice = Splice(closure=self.p.c1, strand_a=strand(self.p.k3, 1), strand_b=strand(self.p.k2, 2))
        with self.assertRaises(ValidationError) as ctx:
            splice.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "strand_b": ["Strand K2 #2 is already spliced in C1 (splice K1 #2 ↔ K2 #2)."],
        })

    def test_cable_that_does_not_enter_the_closure(self):
        splice = Splice(closure=self.p.c1, strand_a=strand(self.p.k4, 1), strand_b=strand(self.p.k3, 1))
        with self.assertRaises(ValidationError) as ctx:
            splice.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "strand_a": ["Cable K4 does not enter closure C1 (its ends: Site 1 / Site 2)."],
        })

    def test_strand_spliced_to_itself(self):
        fiber = strand(self.p.k3, 5)
        with self.assertRaises(ValidationError) as ctx:
            Splice(closure=self.p.c1, strand_a=fiber, strand_b=fiber).full_clean()
        self.assertEqual(ctx.exception.message_dict, {"strand_b": ["A strand cannot be spliced to itself."]})

    def test_valid_splice(self):
        Splice(closure=self.p.c1, strand_a=strand(self.p.k1, 4), strand_b=strand(self.p.k3, 4)).full_clean()


class StrandTerminationValidationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        cls.device1, cls.front1, cls.rear1 = add_patch_panel(cls.p.site1, "Patch 1")
        cls.device2, cls.front2, cls.rear2 = add_patch_panel(cls.p.site2, "Patch 2")

    def test_port_at_the_wrong_site(self):
        # K1 runs from Site 1 to closure C1: a port at Site 2 cannot terminate it.
        termination = StrandTermination(strand=strand(self.p.k1, 1), front_port=self.front2[0])
        with self.assertRaises(ValidationError) as ctx:
            termination.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "strand": ["Cable K1 does not end at site Site 2 of port Front 1 (its ends: Site 1 / C1)."],
        })

    def test_exactly_one_port(self):
        termination = StrandTermination(strand=strand(self.p.k1, 1), front_port=self.front1[0],
                                        rear_port=self.rear1[0])
        with self.assertRaises(ValidationError) as ctx:
            termination.full_clean()
        self.assertEqual(ctx.exception.message_dict, {
            "front_port": ["Give exactly one port: a front port or a rear port."],
        })

    def test_cable_end_is_filled_in(self):
        termination = StrandTermination(strand=strand(self.p.k4, 1), rear_port=self.rear2[0])
        termination.full_clean()
        self.assertEqual(termination.cable_end, "B")
