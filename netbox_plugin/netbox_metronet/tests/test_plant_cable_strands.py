from django.core.exceptions import ValidationError
from django.test import TestCase

from netbox_metronet.models import FiberCable, SpliceClosure


class FiberCableStrandsTestCase(TestCase):
    def test_strands_follow_strand_count(self):
        a = SpliceClosure.objects.create(name="C1", latitude=50.5, longitude=13.7)
        b = SpliceClosure.objects.create(name="C2", latitude=50.51, longitude=13.71)
        cable = FiberCable.objects.create(name="K1", strand_count=24, a_closure=a, b_closure=b)
        self.assertEqual(list(cable.strands.values_list("number", flat=True)), list(range(1, 25)))
        cable.strand_count = 12
        cable.full_clean()
        cable.save()
        self.assertEqual(cable.strands.count(), 12)

    def test_cable_needs_both_ends(self):
        cable = FiberCable(name="K2", strand_count=12)
        with self.assertRaises(ValidationError) as ctx:
            cable.full_clean()
        self.assertIn("a_site", ctx.exception.message_dict)
