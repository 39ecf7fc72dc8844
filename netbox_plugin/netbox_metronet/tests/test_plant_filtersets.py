"""FilterSets of the fiber plant on NetBox's filterset-test mixin (one filter per model field, plus the
either-end filters the forms use). The plant is the one drawn in test_plant_models."""

from django.test import TestCase
from utilities.testing import ChangeLoggedFilterSetTestMixin

from netbox_metronet.filtersets import (
    FiberCableFilterSet,
    FiberStrandFilterSet,
    RouteSegmentFilterSet,
    SpliceClosureFilterSet,
    SpliceFilterSet,
    StrandTerminationFilterSet,
)
from netbox_metronet.models import (
    FiberCable,
    FiberStrand,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)

from .test_plant_models import add_patch_panel, build_plant, strand, terminate


class PlantFilterSetMixin(ChangeLoggedFilterSetTestMixin):
    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()

    def count(self, **params):
        return self.filterset(params, self.queryset).qs.count()

    def names(self, **params):
        return sorted(str(o) for o in self.filterset(params, self.queryset).qs)


class RouteSegmentFilterSetTestCase(PlantFilterSetMixin, TestCase):
    queryset = RouteSegment.objects.all()
    filterset = RouteSegmentFilterSet
    ignore_fields = ("geometry",)

    def test_q(self):
        self.assertEqual(self.names(q="r2"), ["R2"])

    def test_kind(self):
        self.assertEqual(self.names(kind=["aerial"]), ["R3"])

    def test_status(self):
        RouteSegment.objects.filter(name="R1").update(status="planned")
        self.assertEqual(self.names(status=["planned"]), ["R1"])
        self.assertEqual(self.count(status=["active", "planned"]), 3)

    def test_asset_owner(self):
        self.assertEqual(self.names(asset_owner_id=[self.p.town.pk]), ["R1"])
        self.assertEqual(self.names(asset_owner=["town"]), ["R1"])

    def test_fiber_cable(self):
        self.assertEqual(self.names(fiber_cable_id=[self.p.k1.pk]), ["R1", "R2"])

    def test_length(self):
        self.assertEqual(self.names(length_m=["150.0"]), ["R2"])


class FiberCableFilterSetTestCase(PlantFilterSetMixin, TestCase):
    queryset = FiberCable.objects.all()
    filterset = FiberCableFilterSet
    filter_name_map = {"route_segment": "segment"}

    def test_q(self):
        self.assertEqual(self.names(q="k3"), ["K3"])

    def test_status(self):
        FiberCable.objects.filter(name="K4").update(status="planned")
        self.assertEqual(self.names(status=["planned"]), ["K4"])

    def test_fiber_type(self):
        FiberCable.objects.filter(name__in=["K1", "K2"]).update(fiber_type="g657a1")
        self.assertEqual(self.names(fiber_type=["g657a1"]), ["K1", "K2"])

    def test_site_either_end(self):
        self.assertEqual(self.names(site_id=[self.p.site1.pk]), ["K1", "K4"])  # A-ends
        self.assertEqual(self.names(site_id=[self.p.site2.pk]), ["K2", "K4"])  # B-ends
        self.assertEqual(self.names(site_id=[self.p.site1.pk, self.p.site3.pk]), ["K1", "K3", "K4"])

    def test_closure_either_end(self):
        self.assertEqual(self.names(closure_id=[self.p.c1.pk]), ["K1", "K2", "K3"])
        self.assertEqual(self.names(closure_id=[self.p.c2.pk]), [])

    def test_ends(self):
        self.assertEqual(self.names(a_site_id=[self.p.site1.pk]), ["K1", "K4"])
        self.assertEqual(self.names(b_closure_id=[self.p.c1.pk]), ["K1"])
        self.assertEqual(self.names(a_closure_id=[self.p.c1.pk]), ["K2", "K3"])
        self.assertEqual(self.names(b_site_id=[self.p.site3.pk]), ["K3"])

    def test_segment(self):
        self.assertEqual(self.names(segment_id=[self.p.r2.pk]), ["K1"])
        self.assertEqual(self.names(segment_id=[self.p.r1.pk, self.p.r3.pk]), ["K1", "K3"])
        self.assertEqual(self.names(segment=["R3"]), ["K3"])

    def test_strand_count(self):
        self.assertEqual(self.names(strand_count=[24]), ["K1"])
        self.assertEqual(self.count(strand_count__lte=[12]), 3)


class FiberStrandFilterSetTestCase(PlantFilterSetMixin, TestCase):
    queryset = FiberStrand.objects.all()
    filterset = FiberStrandFilterSet

    def test_cable(self):
        self.assertEqual(self.count(cable_id=[self.p.k2.pk]), 12)
        self.assertEqual(self.count(cable=["K1", "K2"]), 36)

    def test_number(self):
        self.assertEqual(self.names(number=[13]), ["K1 #13"])
        self.assertEqual(self.count(number=[1, 2]), 8)

    def test_status(self):
        FiberStrand.objects.filter(cable=self.p.k3, number__lte=2).update(status="active")
        self.assertEqual(self.names(status=["active"]), ["K3 #1", "K3 #2"])

    def test_closure(self):
        # Strands of cables that end in C1: K1, K2, K3 (not K4).
        self.assertEqual(self.count(closure_id=[self.p.c1.pk]), 24 + 12 + 12)
        self.assertEqual(self.count(closure_id=[self.p.c2.pk]), 0)

    def test_site(self):
        self.assertEqual(self.count(site_id=[self.p.site2.pk]), 12 + 12)  # K2 and K4

    def test_q(self):
        self.assertEqual(self.count(q="K3"), 12)
        self.assertEqual(self.names(q="K3 7"), [])
        self.assertEqual(self.count(q="7"), 4)


class SpliceClosureFilterSetTestCase(PlantFilterSetMixin, TestCase):
    queryset = SpliceClosure.objects.all()
    filterset = SpliceClosureFilterSet

    def test_q(self):
        self.assertEqual(self.names(q="c2"), ["C2"])

    def test_kind(self):
        SpliceClosure.objects.filter(name="C2").update(kind="cabinet")
        self.assertEqual(self.names(kind=["cabinet"]), ["C2"])

    def test_status(self):
        SpliceClosure.objects.filter(name="C3").update(status="planned")
        self.assertEqual(self.names(status=["planned"]), ["C3"])

    def test_site(self):
        self.assertEqual(self.names(site_id=[self.p.site3.pk]), ["C3"])
        self.assertEqual(self.names(site=["site-3"]), ["C3"])

    def test_latitude(self):
        self.assertEqual(self.names(latitude=["50.542"]), ["C2"])


class SpliceFilterSetTestCase(PlantFilterSetMixin, TestCase):
    queryset = Splice.objects.all()
    filterset = SpliceFilterSet

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Splice.objects.create(closure=cls.p.c1, strand_a=strand(cls.p.k1, 4), strand_b=strand(cls.p.k3, 4),
                              description="to Site 3")

    def test_q(self):
        self.assertEqual(self.names(q="Site 3"), ["K1 #4 ↔ K3 #4"])
        self.assertEqual(self.count(q="K3"), 1)

    def test_closure(self):
        self.assertEqual(self.count(closure_id=[self.p.c1.pk]), 4)
        self.assertEqual(self.count(closure=["C1"]), 4)
        self.assertEqual(self.count(closure_id=[self.p.c2.pk]), 0)

    def test_strand(self):
        self.assertEqual(self.count(strand_a_id=[strand(self.p.k1, 1).pk]), 1)
        self.assertEqual(self.count(strand_b_id=[strand(self.p.k1, 1).pk]), 0)
        self.assertEqual(self.names(strand_id=[strand(self.p.k2, 2).pk, strand(self.p.k1, 3).pk]),
                         ["K1 #2 ↔ K2 #2", "K1 #3 ↔ K2 #3"])

    def test_cable(self):
        self.assertEqual(self.count(cable_id=[self.p.k3.pk]), 1)
        self.assertEqual(self.count(cable_id=[self.p.k2.pk]), 3)

    def test_loss(self):
        self.assertEqual(self.count(loss_db=["0.05"]), 3)


class StrandTerminationFilterSetTestCase(PlantFilterSetMixin, TestCase):
    queryset = StrandTermination.objects.all()
    filterset = StrandTerminationFilterSet

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.device1, front1, rear1 = add_patch_panel(cls.p.site1, "Patch 1")
        cls.device2, front2, rear2 = add_patch_panel(cls.p.site2, "Patch 2")
        cls.front1, cls.rear1 = front1, rear1
        terminate(strand(cls.p.k1, 1), front_port=front1[0])
        terminate(strand(cls.p.k1, 2), rear_port=rear1[0], description="backup")
        terminate(strand(cls.p.k4, 1), front_port=front2[0])  # B-end, Site 2
        terminate(strand(cls.p.k4, 1), front_port=front1[2])  # A-end, Site 1

    def test_q(self):
        self.assertEqual(self.count(q="backup"), 1)
        self.assertEqual(self.count(q="Patch 2"), 1)

    def test_strand_and_cable(self):
        self.assertEqual(self.count(strand_id=[strand(self.p.k4, 1).pk]), 2)
        self.assertEqual(self.count(cable_id=[self.p.k1.pk]), 2)

    def test_cable_end(self):
        self.assertEqual(self.count(cable_end=["B"]), 1)
        self.assertEqual(self.count(cable_end=["A"]), 3)

    def test_ports(self):
        self.assertEqual(self.count(front_port_id=[self.front1[0].pk, self.front1[2].pk]), 2)
        self.assertEqual(self.count(rear_port_id=[self.rear1[0].pk]), 1)

    def test_device_and_site(self):
        self.assertEqual(self.count(device_id=[self.device1.pk]), 3)
        self.assertEqual(self.count(site_id=[self.p.site2.pk]), 1)
