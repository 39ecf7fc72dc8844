"""Fiber trace: hops, length, loss budget, broken paths, query count, page and REST endpoint.

The main path (lengths and fiber types chosen so each cable contributes a different attenuation)::

      Site A                       closure C1                    closure C2                    Site B
    [panel-a FP1]==K1 #1 ====================( )====K2 #5 ===========( )==== K3 #2 =========[panel-b FP3]
                   G.652.D, 1200 m (measured)  |  G.657.A1, 800 m     |  G.655, 400 m from route
                   A-end at site A           0.05 dB              default        segments 250 m + 150 m;
                                             measured             0.10 dB        A-end at site B (laid
                                                                                 from the school)

    1310 nm: fiber 1.2 x 0.35 + 0.8 x 0.35 + 0.4 x 0.40 = 0.420 + 0.280 + 0.160 = 0.860 dB
             splices 0.05 + 0.10 = 0.15 dB, connectors 2 x 0.5 = 1.00 dB        -> total 2.01 dB
    1550 nm: fiber 1.2 x 0.22 + 0.8 x 0.22 + 0.4 x 0.23 = 0.264 + 0.176 + 0.092 = 0.532 dB
             + 0.15 + 1.00                                                        -> total 1.682 = 1.68 dB
    total length 1200 + 800 + 400 = 2400 m; 2 splices, 2 connectors; margin 3.0 dB (defaults)

Broken paths, on the same closures:

    panel-a FP2 == K1 #2 ==( C1 )== K2 #6 ==( C2: K2 #6 not spliced )          -> "unspliced", in C2
    K2 #7 and K6 #1 (K6 runs C2 -> C1) spliced to each other in both C1 and C2  -> "loop"
    K7 #1: A-end at site A without a termination, B-end nowhere                 -> "unterminated" + "missing_end"
"""

import dataclasses
from decimal import Decimal

from dcim.models import FrontPort, RearPort, Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from users.constants import TOKEN_PREFIX
from users.models import Token
from utilities.testing import TestCase, create_test_device

from netbox_metronet.models import FiberCable, RouteSegment, Splice, SpliceClosure, StrandTermination
from netbox_metronet.trace import LossSettings, SpliceHop, StrandHop, TerminationHop, trace_port, trace_strand


def segment(name: str, length_m: str) -> RouteSegment:
    return RouteSegment.objects.create(
        name=name, kind="duct", length_m=Decimal(length_m),
        geometry={"type": "LineString", "coordinates": [[13.70, 50.50], [13.71, 50.51]]},
    )


def cable(name: str, fiber_type: str, length_m: str | None, a, b) -> FiberCable:
    """A 12-strand cable from ``a`` to ``b`` (each a Site or a SpliceClosure)."""
    ends = {}
    for end, place in (("a", a), ("b", b)):
        if place is not None:
            ends[f"{end}_site" if isinstance(place, Site) else f"{end}_closure"] = place
    return FiberCable.objects.create(
        name=name, fiber_type=fiber_type, strand_count=12, length_m=Decimal(length_m) if length_m else None, **ends
    )


def closure(name: str) -> SpliceClosure:
    return SpliceClosure.objects.create(name=name, latitude=Decimal("50.5"), longitude=Decimal("13.7"))


def describe(hop) -> tuple:
    """A hop as a comparable tuple."""
    if isinstance(hop, TerminationHop):
        return ("termination", f"{hop.device.name}:{hop.port.name}")
    if isinstance(hop, StrandHop):
        return ("strand", str(hop.strand), f"{hop.enter_end}->{hop.exit_end}", hop.length_m)
    assert isinstance(hop, SpliceHop)
    return ("splice", hop.closure.name, hop.loss_db, hop.measured)


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


# The path of the main fixture, read from site A: (kind, what, direction, length / loss, measured).
EXPECTED_FORWARD = [
    ("termination", "panel-a:FP1"),
    ("strand", "K1 #1", "A->B", Decimal("1200")),
    ("splice", "C1", Decimal("0.05"), True),
    ("strand", "K2 #5", "A->B", Decimal("800")),
    ("splice", "C2", Decimal("0.1"), False),
    ("strand", "K3 #2", "B->A", Decimal("400")),  # 250 + 150 from the route segments
    ("termination", "panel-b:FP3"),
]


class TraceFixture:
    """The plant drawn in the module docstring."""

    @classmethod
    def setUpTestData(cls):
        cls.site_a = Site.objects.create(name="Site A", slug="site-a")
        cls.site_b = Site.objects.create(name="Site B", slug="site-b")
        panel_a = create_test_device("panel-a", site=cls.site_a)
        panel_b = create_test_device("panel-b", site=cls.site_b)
        cls.fp1 = FrontPort.objects.create(device=panel_a, name="FP1", type="lc")
        cls.fp2 = FrontPort.objects.create(device=panel_a, name="FP2", type="lc")
        cls.fp3 = FrontPort.objects.create(device=panel_b, name="FP3", type="lc")
        cls.rp9 = RearPort.objects.create(device=panel_b, name="RP9", type="lc")
        cls.c1, cls.c2 = closure("C1"), closure("C2")

        cls.k1 = cable("K1", "g652d", "1200", cls.site_a, cls.c1)
        cls.k2 = cable("K2", "g657a1", "800", cls.c1, cls.c2)
        cls.k3 = cable("K3", "g655", None, cls.site_b, cls.c2)
        cls.k3.set_segments([segment("S1", "250"), segment("S2", "150")])
        strand = {(c.name, s.number): s for c in (cls.k1, cls.k2, cls.k3) for s in c.strands.all()}
        cls.k1_1, cls.k2_5, cls.k3_2 = strand["K1", 1], strand["K2", 5], strand["K3", 2]
        Splice.objects.create(closure=cls.c1, strand_a=cls.k1_1, strand_b=cls.k2_5, loss_db=Decimal("0.05"))
        # Spliced "backwards" (K3 as strand A) and without a measured loss: the default 0.1 dB applies.
        Splice.objects.create(closure=cls.c2, strand_a=cls.k3_2, strand_b=cls.k2_5)
        StrandTermination.objects.create(strand=cls.k1_1, cable_end="A", front_port=cls.fp1)
        StrandTermination.objects.create(strand=cls.k3_2, cable_end="A", front_port=cls.fp3)

        # Broken: K1 #2 -> C1 -> K2 #6, which nobody spliced in C2.
        cls.k1_2, cls.k2_6 = strand["K1", 2], strand["K2", 6]
        Splice.objects.create(closure=cls.c1, strand_a=cls.k1_2, strand_b=cls.k2_6)
        StrandTermination.objects.create(strand=cls.k1_2, cable_end="A", front_port=cls.fp2)

        # Loop: K6 runs from C2 back to C1; K2 #7 and K6 #1 are spliced together in both closures.
        k6 = cable("K6", "g652d", "700", cls.c2, cls.c1)
        cls.k2_7, cls.k6_1 = strand["K2", 7], k6.strands.get(number=1)
        Splice.objects.create(closure=cls.c2, strand_a=cls.k2_7, strand_b=cls.k6_1)
        Splice.objects.create(closure=cls.c1, strand_a=cls.k6_1, strand_b=cls.k2_7)

        # Unterminated at site A and missing its B-end (saved without validation).
        cls.k7_1 = cable("K7", "g652d", "100", cls.site_a, None).strands.get(number=1)


class FiberTraceTestCase(TraceFixture, TestCase):

    def assert_main_numbers(self, trace):
        self.assertTrue(trace.is_complete, trace.issues)
        self.assertEqual(trace.issues, [])
        self.assertEqual(trace.total_length_m, Decimal("2400"))
        self.assertEqual(trace.splice_count, 2)
        self.assertEqual(trace.connector_count, 2)
        self.assertEqual([b.wavelength_nm for b in trace.budgets], [1310, 1550])
        b1310, b1550 = trace.budget(1310), trace.budget(1550)
        self.assertAlmostEqual(float(b1310.fiber_loss_db), 0.86, places=3)
        self.assertAlmostEqual(float(b1310.splice_loss_db), 0.15, places=3)
        self.assertAlmostEqual(float(b1310.connector_loss_db), 1.00, places=3)
        self.assertAlmostEqual(float(b1310.total_db), 2.01, places=2)
        self.assertAlmostEqual(float(b1550.total_db), 1.68, places=2)
        self.assertAlmostEqual(float(b1310.total_with_margin_db), 5.01, places=2)  # + 3.0 dB margin
        self.assertEqual(trace.budget_margin_db, Decimal("3.0"))
        self.assertTrue(b1310.complete and b1550.complete)

    def test_trace_from_middle_strand(self):
        trace = trace_strand(self.k2_5.pk)
        self.assertEqual([describe(h) for h in trace.hops], EXPECTED_FORWARD)
        self.assertEqual(trace.start_port, self.fp1)
        self.assertEqual(trace.end_port, self.fp3)
        self.assert_main_numbers(trace)

    def test_trace_from_a_side_port_starts_there(self):
        trace = trace_port(self.fp1)
        self.assertEqual([describe(h) for h in trace.hops], EXPECTED_FORWARD)
        self.assert_main_numbers(trace)

    def test_trace_from_b_side_port_is_reversed(self):
        trace = trace_port(self.fp3)
        self.assertEqual(trace.start_port, self.fp3)
        self.assertEqual(trace.end_port, self.fp1)
        # Reversed hop by hop; each strand is walked the other way: K3 #2 from its A-end (site B) to C2, etc.
        expected = [
            ("termination", "panel-b:FP3"),
            ("strand", "K3 #2", "A->B", Decimal("400")),
            ("splice", "C2", Decimal("0.1"), False),
            ("strand", "K2 #5", "B->A", Decimal("800")),
            ("splice", "C1", Decimal("0.05"), True),
            ("strand", "K1 #1", "B->A", Decimal("1200")),
            ("termination", "panel-a:FP1"),
        ]
        self.assertEqual([describe(h) for h in trace.hops], expected)
        self.assertEqual(len(expected), len(EXPECTED_FORWARD))
        self.assert_main_numbers(trace)

    def test_port_without_strand(self):
        trace = trace_port(self.rp9)
        self.assertEqual(trace.hops, [])
        self.assertEqual([i.code for i in trace.issues], ["no_strand"])
        self.assertFalse(trace.is_complete)

    def test_unspliced_strand_in_closure_is_flagged(self):
        trace = trace_port(self.fp2)
        # FP2 -> K1 #2 -> splice C1 (default 0.1 dB) -> K2 #6, then nothing in C2
        self.assertEqual([describe(h) for h in trace.hops], [
            ("termination", "panel-a:FP2"),
            ("strand", "K1 #2", "A->B", Decimal("1200")),
            ("splice", "C1", Decimal("0.1"), False),
            ("strand", "K2 #6", "A->B", Decimal("800")),
        ])
        self.assertFalse(trace.is_complete)
        self.assertIsNone(trace.end_port)
        self.assertEqual(len(trace.issues), 1)
        issue = trace.issues[0]
        self.assertEqual((issue.code, issue.closure, issue.strand), ("unspliced", self.c2, self.k2_6))
        self.assertIn("C2", issue.message)
        self.assertIn("K2 #6", issue.message)
        # Budget of the part traced: 1310 nm: 1.2 x 0.35 + 0.8 x 0.35 = 0.70, + 0.1 splice + 1 x 0.5 connector = 1.30
        self.assertAlmostEqual(float(trace.budget(1310).total_db), 1.30, places=2)

    def test_loop_is_flagged_and_terminates(self):
        trace = trace_strand(self.k2_7.pk)
        codes = [i.code for i in trace.issues]
        self.assertIn("loop", codes)
        self.assertFalse(trace.is_complete)
        # A-side: out of K2's A-end in C1 -> K6 #1 (enters C1 at its B-end), out at C2 -> back to K2 #7: loop.
        # B-side: out of K2's B-end in C2 -> K6 #1, already on the path: loop. Each strand appears once.
        self.assertEqual([describe(h) for h in trace.hops], [
            ("strand", "K6 #1", "A->B", Decimal("700")),
            ("splice", "C1", Decimal("0.1"), False),
            ("strand", "K2 #7", "A->B", Decimal("800")),
        ])
        loops = [i for i in trace.issues if i.code == "loop"]
        self.assertEqual({i.closure.name for i in loops}, {"C2"})

    def test_unterminated_and_missing_end(self):
        trace = trace_strand(self.k7_1.pk)
        issues = {i.code: i for i in trace.issues}
        self.assertEqual(set(issues), {"unterminated", "missing_end"})
        self.assertEqual(issues["unterminated"].site, self.site_a)
        self.assertIn("Site A", issues["unterminated"].message)
        self.assertEqual([describe(h) for h in trace.hops], [("strand", "K7 #1", "A->B", Decimal("100"))])

    def test_unknown_attenuation(self):
        settings = dataclasses.replace(LossSettings.from_config(), wavelengths=(1310, 1625))
        trace = trace_strand(self.k2_5.pk, settings=settings)
        self.assertTrue(trace.budget(1310).complete)
        self.assertFalse(trace.budget(1625).complete)
        unknown = [i for i in trace.issues if i.code == "unknown_attenuation"]
        # three fiber types on the path, none configured at 1625 nm
        self.assertEqual(len(unknown), 3)
        self.assertTrue(all(i.wavelength == 1625 for i in unknown))
        self.assertTrue(trace.is_complete)  # a data gap, not a break

    def test_queries_grow_with_hops_only(self):
        """3-cable vs 5-cable path: one query for the strand, one per splice closure passed, one per site end,
        one for the route lengths = cables + 3."""
        site_x = Site.objects.create(name="Site X", slug="site-x")
        site_y = Site.objects.create(name="Site Y", slug="site-y")
        fp_x = FrontPort.objects.create(device=create_test_device("panel-x", site=site_x), name="FPX", type="lc")
        fp_y = FrontPort.objects.create(device=create_test_device("panel-y", site=site_y), name="FPY", type="lc")
        closures = [closure(f"D{i}") for i in range(1, 5)]
        places = [site_x, *closures, site_y]
        cables = [cable(f"L{i}", "g652d", "500", places[i - 1], places[i]) for i in range(1, 6)]
        cables[2].length_m = None
        cables[2].save()
        cables[2].set_segments([segment("S9", "500")])
        strands = [c.strands.get(number=1) for c in cables]
        for place, (left, right) in zip(closures, zip(strands, strands[1:], strict=False), strict=True):
            Splice.objects.create(closure=place, strand_a=left, strand_b=right)
        StrandTermination.objects.create(strand=strands[0], cable_end="A", front_port=fp_x)
        StrandTermination.objects.create(strand=strands[-1], cable_end="B", front_port=fp_y)

        five = trace_strand(strands[2].pk)
        self.assertTrue(five.is_complete, five.issues)
        self.assertEqual(five.total_length_m, Decimal("2500"))
        self.assertEqual(len(five.hops), 11)  # 2 terminations + 5 strands + 4 splices

        three_queries = count_queries(lambda: trace_strand(self.k2_5.pk))
        five_queries = count_queries(lambda: trace_strand(strands[2].pk))
        self.assertEqual(three_queries, 3 + 3)
        self.assertEqual(five_queries, 5 + 3)
        self.assertEqual(five_queries - three_queries, 2 * 1)  # one query per extra cable (its splice)
        # Traced from a port: no query for the strand (the termination brings it): cables + 2.
        self.assertEqual(count_queries(lambda: trace_port(self.fp1)), 3 + 2)


class FiberTraceViewTestCase(TraceFixture, TestCase):
    """The page and the REST endpoint, with and without permission."""

    def test_page_requires_permission(self):
        response = self.client.get(reverse("plugins:netbox_metronet:trace") + f"?strand={self.k2_5.pk}")
        self.assertHttpStatus(response, 403)

    def test_page_without_origin_shows_form(self):
        self.add_permissions("netbox_metronet.view_fiberstrand")
        response = self.client.get(reverse("plugins:netbox_metronet:trace"))
        self.assertHttpStatus(response, 200)
        self.assertContains(response, 'id="trace-form"')
        self.assertNotContains(response, 'id="trace-hops"')

    def test_page_from_strand(self):
        self.add_permissions("netbox_metronet.view_fiberstrand")
        response = self.client.get(reverse("plugins:netbox_metronet:trace") + f"?strand={self.k2_5.pk}")
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        self.assertIn("2400 m", content)
        self.assertIn("2.01", content)  # 1310 nm
        self.assertIn("1.68", content)  # 1550 nm
        self.assertEqual(content.count('data-hop="strand"'), 3)
        self.assertEqual(content.count('data-hop="splice"'), 2)
        self.assertEqual(content.count('data-hop="termination"'), 2)

    def test_page_from_port_and_broken_path(self):
        self.add_permissions("netbox_metronet.view_fiberstrand", "dcim.view_frontport")
        response = self.client.get(reverse("plugins:netbox_metronet:trace") + f"?front_port={self.fp2.pk}")
        self.assertHttpStatus(response, 200)
        self.assertContains(response, 'data-issue="unspliced"')
        self.assertContains(response, "not spliced in closure C2")

    def test_page_hides_objects_without_permission(self):
        self.add_permissions("netbox_metronet.view_fiberstrand")  # but not dcim.view_frontport
        response = self.client.get(reverse("plugins:netbox_metronet:trace") + f"?front_port={self.fp1.pk}")
        self.assertHttpStatus(response, 404)

    def api_get(self, pk, *permissions):
        self.add_permissions(*permissions)
        token = Token.objects.create(user=self.user)
        client = APIClient()
        url = reverse("plugins-api:netbox_metronet-api:fiberstrand-trace", kwargs={"pk": pk})
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")

    def test_api_returns_same_numbers(self):
        response = self.api_get(self.k2_5.pk, "netbox_metronet.view_fiberstrand")
        self.assertHttpStatus(response, 200)
        data = response.json()
        self.assertTrue(data["complete"])
        self.assertEqual(data["total_length_m"], 2400.0)
        self.assertEqual((data["splice_count"], data["connector_count"]), (2, 2))
        self.assertEqual([h["type"] for h in data["hops"]], [e[0] for e in EXPECTED_FORWARD])
        self.assertEqual(data["start_port"]["id"], self.fp1.pk)
        self.assertEqual(data["end_port"]["id"], self.fp3.pk)
        budget = {b["wavelength_nm"]: b["total_db"] for b in data["loss_budget"]}
        self.assertAlmostEqual(budget[1310], 2.01, places=2)
        self.assertAlmostEqual(budget[1550], 1.68, places=2)
        self.assertEqual(data["budget_margin_db"], 3.0)
        self.assertEqual(data["issues"], [])

    def test_api_broken_path(self):
        response = self.api_get(self.k1_2.pk, "netbox_metronet.view_fiberstrand")
        self.assertHttpStatus(response, 200)
        data = response.json()
        self.assertFalse(data["complete"])
        self.assertEqual([(i["code"], i["closure"]["display"]) for i in data["issues"]], [("unspliced", "C2")])

    def test_api_without_permission(self):
        response = self.api_get(self.k2_5.pk)  # a valid token, no permission
        self.assertHttpStatus(response, 404)
        anonymous = APIClient().get(
            reverse("plugins-api:netbox_metronet-api:fiberstrand-trace", kwargs={"pk": self.k2_5.pk})
        )
        self.assertIn(anonymous.status_code, (401, 403))
