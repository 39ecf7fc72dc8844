"""REST API and GraphQL of the fiber plant on NetBox's API-test harness, plus the ordered cable route."""

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import status
from utilities.testing import APITestCase, APIViewTestCases

from netbox_metronet.models import (
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)

from .test_plant_models import add_patch_panel, build_places, build_plant, line, strand, terminate


class RouteSegmentAPITestCase(APIViewTestCases.APIViewTestCase):
    model = RouteSegment
    view_namespace = "plugins-api:netbox_metronet"
    graphql_base_name = "metronet_route_segment"
    brief_fields = ["description", "display", "id", "name", "url"]
    bulk_update_data = {"description": "New description", "status": "planned"}
    bulk_update_invalid_data = {"geometry": line((13.77, 50.54))}

    @classmethod
    def setUpTestData(cls):
        cls.p = build_places()
        cls.create_data = [
            {"name": "R4", "kind": "duct", "geometry": line((13.77, 50.54), (13.78, 50.55))},
            {"name": "R5", "kind": "aerial", "status": "planned", "asset_owner": cls.p.town.pk,
             "geometry": line((13.78, 50.55), (13.79, 50.55)), "length_m": Decimal("80.5")},
            {"name": "R6", "kind": "microduct", "geometry": line((13.79, 50.55), (13.8, 50.56), (13.81, 50.56))},
        ]

    def test_bad_geometry_is_a_400_naming_the_field(self):
        self.add_permissions("netbox_metronet.add_routesegment")
        data = {"name": "R9", "kind": "duct", "geometry": line((13.77, 50.54), (13.78, 95))}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(
            response.data["geometry"],
            ["position 2 [13.78, 95.0] is outside WGS84 bounds (lon -180..180, lat -90..90)"],
        )

    def test_lengths_are_read_only_and_computed(self):
        self.add_permissions("netbox_metronet.view_routesegment")
        response = self.client.get(self._get_detail_url(self.p.r2), **self.header)
        self.assertEqual(response.data["length"], 150.0)  # measured
        response = self.client.get(self._get_detail_url(self.p.r1), **self.header)
        self.assertEqual(Decimal(str(response.data["length"])), self.p.r1.geometry_length_m)


class FiberCableAPITestCase(APIViewTestCases.APIViewTestCase):
    model = FiberCable
    view_namespace = "plugins-api:netbox_metronet"
    graphql_base_name = "metronet_fiber_cable"
    brief_fields = ["description", "display", "id", "name", "url"]
    bulk_update_data = {"description": "New description", "fiber_type": "g655"}
    bulk_update_invalid_data = {"strand_count": 0}
    user_permissions = ("netbox_metronet.view_spliceclosure", "dcim.view_site", "netbox_metronet.view_routesegment")

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        Splice.objects.all().delete()  # splices protect strands; the harness deletes cables
        cls.create_data = [
            {"name": "K5", "strand_count": 12, "a_site": cls.p.site1.pk, "b_closure": cls.p.c2.pk,
             "segments": [cls.p.r1.pk, cls.p.r2.pk]},
            {"name": "K6", "strand_count": 24, "a_closure": cls.p.c2.pk, "b_closure": cls.p.c3.pk,
             "status": "planned", "fiber_type": "g657a2"},
            {"name": "K7", "strand_count": 48, "a_site": cls.p.site2.pk, "b_site": cls.p.site3.pk,
             "length_m": Decimal("1200.0")},
        ]

    def test_route_is_read_and_written_in_order(self):
        self.add_permissions("netbox_metronet.add_fibercable", "netbox_metronet.view_fibercable",
                             "netbox_metronet.change_fibercable")
        data = {"name": "K9", "strand_count": 12, "a_site": self.p.site1.pk, "b_closure": self.p.c2.pk,
                "segments": [self.p.r3.pk, self.p.r1.pk, {"name": "R2"}]}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_201_CREATED)
        self.assertEqual([s["name"] for s in response.data["segments"]], ["R3", "R1", "R2"])
        self.assertEqual(sorted(response.data["segments"][0]), ["description", "display", "id", "name", "url"])
        cable = FiberCable.objects.get(pk=response.data["id"])
        self.assertEqual(list(cable.segment_links.values_list("segment__name", "position")),
                         [("R3", 1), ("R1", 2), ("R2", 3)])
        self.assertEqual(cable.strands.count(), 12)

        response = self.client.patch(self._get_detail_url(cable), {"segments": [self.p.r2.pk]}, format="json",
                                     **self.header)
        self.assertHttpStatus(response, status.HTTP_200_OK)
        self.assertEqual([s["name"] for s in response.data["segments"]], ["R2"])
        self.assertEqual(response.data["length"], 150.0)

        response = self.client.get(f"{self._get_list_url()}?name=K1", **self.header)
        self.assertEqual([s["name"] for s in response.data["results"][0]["segments"]], ["R1", "R2"])
        self.assertEqual(Decimal(str(response.data["results"][0]["length"])), self.p.k1.length)

    def test_unknown_segment_is_named(self):
        self.add_permissions("netbox_metronet.add_fibercable")
        data = {"name": "K9", "strand_count": 12, "a_site": self.p.site1.pk, "b_closure": self.p.c2.pk,
                "segments": [self.p.r1.pk, 999999]}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["segments"], ["Route segment 999999 does not exist."])
        self.assertFalse(FiberCable.objects.filter(name="K9").exists())

    def test_cable_needs_its_ends(self):
        self.add_permissions("netbox_metronet.add_fibercable")
        response = self.client.post(self._get_list_url(), {"name": "K9", "strand_count": 12}, format="json",
                                    **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["a_site"], ["Give the site or the closure where the A-end of the cable is."])


class FiberStrandAPITestCase(APIViewTestCases.APIViewTestCase):
    model = FiberStrand
    view_namespace = "plugins-api:netbox_metronet"
    graphql_base_name = "metronet_fiber_strand"
    brief_fields = ["cable", "description", "display", "id", "number", "url"]
    bulk_update_data = {"status": "faulty", "description": "Broken in R2"}
    bulk_update_invalid_data = {"status": "melted"}
    user_permissions = ("netbox_metronet.view_fibercable",)

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        # Splices protect strands and the harness deletes strands; it also lists them all on one page (50).
        Splice.objects.all().delete()
        FiberCable.objects.exclude(pk=cls.p.k1.pk).delete()
        FiberStrand.objects.filter(cable=cls.p.k1, number__gt=20).delete()
        cls.create_data = [
            {"cable": cls.p.k1.pk, "number": 21},
            {"cable": cls.p.k1.pk, "number": 22, "status": "reserved"},
            {"cable": cls.p.k1.pk, "number": 23, "description": "Spare"},
        ]

    def test_number_above_count(self):
        self.add_permissions("netbox_metronet.add_fiberstrand")
        response = self.client.post(self._get_list_url(), {"cable": self.p.k1.pk, "number": 25}, format="json",
                                    **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["number"], ["Cable K1 has 24 strands; strand 25 does not exist."])

    def test_colour(self):
        self.add_permissions("netbox_metronet.view_fiberstrand")
        response = self.client.get(self._get_detail_url(strand(self.p.k1, 14)), **self.header)
        self.assertEqual((response.data["tube"], response.data["colour"], response.data["colour_hex"]),
                         (2, "orange", "ff8000"))


class SpliceClosureAPITestCase(APIViewTestCases.APIViewTestCase):
    model = SpliceClosure
    view_namespace = "plugins-api:netbox_metronet"
    graphql_base_name = "metronet_splice_closure"
    brief_fields = ["description", "display", "id", "name", "url"]
    bulk_update_data = {"kind": "cabinet", "description": "New description"}
    bulk_update_invalid_data = {"latitude": 91}
    user_permissions = ("dcim.view_site",)

    @classmethod
    def setUpTestData(cls):
        cls.p = build_places()  # no cables: they protect their closures, and the harness deletes closures
        cls.create_data = [
            {"name": "C4", "latitude": Decimal("50.5"), "longitude": Decimal("13.7")},
            {"name": "C5", "kind": "inline", "latitude": Decimal("50.51"), "longitude": Decimal("13.71")},
            {"name": "C6", "kind": "wall-box", "site": cls.p.site1.pk, "latitude": Decimal("50.52"),
             "longitude": Decimal("13.72")},
        ]


class SpliceAPITestCase(APIViewTestCases.APIViewTestCase):
    model = Splice
    view_namespace = "plugins-api:netbox_metronet"
    graphql_base_name = "metronet_splice"
    brief_fields = ["description", "display", "id", "strand_a", "strand_b", "url"]
    bulk_update_data = {"loss_db": Decimal("0.06"), "description": "OTDR 2025"}
    bulk_update_invalid_data = {"loss_db": Decimal("11")}
    user_permissions = (
        "netbox_metronet.view_spliceclosure", "netbox_metronet.view_fiberstrand", "netbox_metronet.view_fibercable",
    )

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        cls.create_data = [
            {"closure": cls.p.c1.pk, "strand_a": strand(cls.p.k1, 6).pk, "strand_b": strand(cls.p.k3, 6).pk},
            {"closure": cls.p.c1.pk, "strand_a": strand(cls.p.k1, 7).pk, "strand_b": strand(cls.p.k3, 7).pk,
             "loss_db": Decimal("0.03")},
            {"closure": cls.p.c1.pk, "strand_a": strand(cls.p.k2, 8).pk, "strand_b": strand(cls.p.k3, 8).pk},
        ]

    def test_strand_spliced_twice(self):
        self.add_permissions("netbox_metronet.add_splice")
        data = {"closure": self.p.c1.pk, "strand_a": strand(self.p.k3, 9).pk, "strand_b": strand(self.p.k2, 1).pk}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["strand_b"], ["Strand K2 #1 is already spliced in C1 (splice K1 #1 ↔ K2 #1)."])


class StrandTerminationAPITestCase(APIViewTestCases.APIViewTestCase):
    model = StrandTermination
    view_namespace = "plugins-api:netbox_metronet"
    graphql_base_name = "metronet_strand_termination"
    brief_fields = ["cable_end", "description", "display", "id", "strand", "url"]
    bulk_update_data = {"description": "ODF row 2"}
    bulk_update_invalid_data = {"cable_end": "C"}
    user_permissions = (
        "netbox_metronet.view_fiberstrand", "netbox_metronet.view_fibercable", "dcim.view_frontport",
        "dcim.view_rearport", "dcim.view_device",
    )

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        cls.device, cls.front, cls.rear = add_patch_panel(cls.p.site1)
        terminate(strand(cls.p.k1, 1), front_port=cls.front[0])
        terminate(strand(cls.p.k1, 2), front_port=cls.front[1])
        terminate(strand(cls.p.k1, 3), rear_port=cls.rear[0])
        cls.create_data = [
            {"strand": strand(cls.p.k1, 4).pk, "front_port": cls.front[3].pk},
            {"strand": strand(cls.p.k1, 5).pk, "rear_port": cls.rear[4].pk},
            {"strand": strand(cls.p.k4, 1).pk, "front_port": cls.front[5].pk, "description": "K4 A-end"},
        ]

    def test_cable_end_is_filled_in(self):
        self.add_permissions("netbox_metronet.add_strandtermination")
        data = {"strand": strand(self.p.k4, 2).pk, "rear_port": self.rear[5].pk}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_201_CREATED)
        self.assertEqual(response.data["cable_end"]["value"], "A")
        self.assertEqual(StrandTermination.objects.get(pk=response.data["id"]).cable_end, "A")

    def test_port_at_the_wrong_site(self):
        self.add_permissions("netbox_metronet.add_strandtermination")
        _, front3, _ = add_patch_panel(self.p.site3, "Patch 3")
        data = {"strand": strand(self.p.k1, 9).pk, "front_port": front3[0].pk}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)
        self.assertEqual(
            response.data["strand"], ["Cable K1 does not end at site Site 3 of port Front 1 (its ends: Site 1 / C1)."]
        )


class FiberCableGraphQLRouteTestCase(APITestCase):
    """``route`` lists the segments in order, and only those the user may view."""

    model = FiberCable

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        cls.p.k2.set_segments([cls.p.r3, cls.p.r1, cls.p.r2])

    def _query(self):
        query = '{ metronet_fiber_cable_list(filters: {name: {exact: "K2"}}) { name route { name } strands { id } } }'
        response = self.client.post(reverse("graphql"), data={"query": query}, format="json", **self.header)
        self.assertHttpStatus(response, status.HTTP_200_OK)
        data = json.loads(response.content)
        self.assertNotIn("errors", data)
        return data["data"]["metronet_fiber_cable_list"]

    def test_route_in_order(self):
        self.add_permissions("netbox_metronet.view_fibercable", "netbox_metronet.view_routesegment",
                             "netbox_metronet.view_fiberstrand")
        (cable,) = self._query()
        self.assertEqual([s["name"] for s in cable["route"]], ["R3", "R1", "R2"])
        self.assertEqual(len(cable["strands"]), 12)

    def test_route_without_segment_permission(self):
        self.add_permissions("netbox_metronet.view_fibercable")
        (cable,) = self._query()
        self.assertEqual(cable["route"], [])
        self.assertEqual(cable["strands"], [])
        self.assertTrue(FiberCableSegment.objects.filter(cable=self.p.k2).exists())


class ListQueryScalingTestCase(APITestCase):
    """Lists of the plant load in a number of queries that does not grow with the number of objects."""

    maxDiff = None

    model = FiberCable
    user_permissions = tuple(
        f"netbox_metronet.view_{m}"
        for m in ("routesegment", "fibercable", "fiberstrand", "spliceclosure", "splice", "strandtermination")
    ) + ("dcim.view_site", "dcim.view_device", "dcim.view_frontport", "dcim.view_rearport")

    URLS = (
        "plugins-api:netbox_metronet-api:fibercable-list",
        "plugins-api:netbox_metronet-api:fiberstrand-list",
        "plugins-api:netbox_metronet-api:splice-list",
        "plugins-api:netbox_metronet-api:strandtermination-list",
        "plugins-api:netbox_metronet-api:routesegment-list",
        "plugins-api:netbox_metronet-api:spliceclosure-list",
        "plugins:netbox_metronet:fibercable_list",
        "plugins:netbox_metronet:fiberstrand_list",
        "plugins:netbox_metronet:splice_list",
        "plugins:netbox_metronet:strandtermination_list",
        "plugins:netbox_metronet:routesegment_list",
        "plugins:netbox_metronet:spliceclosure_list",
    )

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        cls.device, cls.front, cls.rear = add_patch_panel(cls.p.site1, ports=8)
        terminate(strand(cls.p.k1, 10), front_port=cls.front[0])
        terminate(strand(cls.p.k4, 1), rear_port=cls.rear[0])

    def _counts(self):
        self.client.force_login(self.user)  # the UI lists use the session, the API the token
        counts = {}
        for name in self.URLS:
            url = reverse(name) + "?per_page=1000&limit=1000"
            self.client.get(url, **self.header)  # warm the caches
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url, **self.header)
            self.assertHttpStatus(response, status.HTTP_200_OK)
            counts[name] = len(queries)
        return counts

    def test_queries_do_not_grow_with_objects(self):
        before = self._counts()
        c4 = SpliceClosure.objects.create(name="C4", latitude=Decimal("50.5"), longitude=Decimal("13.7"))
        RouteSegment.objects.create(name="R4", kind="duct", geometry=line((13.7, 50.5), (13.71, 50.5)))
        cables = []
        for i, site in enumerate((self.p.site1, self.p.site2, self.p.site3), start=5):
            cables.append(FiberCable.objects.create(name=f"K{i}", strand_count=12, a_site=site, b_closure=c4))
            cables[-1].set_segments([self.p.r3, self.p.r1])
        for n in (1, 2, 3):
            Splice.objects.create(closure=c4, strand_a=strand(cables[0], n), strand_b=strand(cables[1], n))
            Splice.objects.create(closure=self.p.c1, strand_a=strand(self.p.k1, 20 + n), strand_b=strand(self.p.k3, n))
        terminate(strand(cables[0], 2), front_port=self.front[1])
        terminate(strand(self.p.k1, 11), rear_port=self.rear[1])
        self.assertEqual(self._counts(), before)
