"""UI views of the fiber plant on NetBox's view-test harness, plus the detail pages and the site panel."""

import html
import json
import re
from decimal import Decimal

from core.models import ObjectType
from django.test import override_settings
from django.urls import reverse
from netbox.choices import CSVDelimiterChoices, ImportFormatChoices
from users.models import ObjectPermission
from utilities.testing import TestCase, ViewTestCases, create_tags

from netbox_metronet.models import (
    FiberCable,
    FiberCableSegment,
    FiberStrand,
    RouteSegment,
    Splice,
    SpliceClosure,
    StrandTermination,
)

from .test_plant_models import add_cables, add_patch_panel, build_places, build_plant, line_json, strand, terminate


class PluginURLMixin:
    def _get_base_url(self):
        return f"plugins:netbox_metronet:{self.model._meta.model_name}_{{}}"


class RouteSegmentViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = RouteSegment

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        # Cables protect the segments of their route; the harness deletes every segment.
        FiberCableSegment.objects.all().delete()
        tags = create_tags("Alpha", "Bravo", "Charlie")
        cls.form_data = {
            "name": "R9",
            "kind": "microduct",
            "status": "planned",
            "asset_owner": cls.p.town.pk,
            "geometry": line_json((13.78, 50.54), (13.781, 50.541), (13.782, 50.541)),
            "length_m": Decimal("321.5"),
            "description": "Along the river",
            "comments": "Shared trench",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "name,kind,status,asset_owner,geometry",
            'R10,duct,active,Town,"{""type"": ""LineString"", ""coordinates"": [[13.77, 50.54], [13.78, 50.55]]}"',
            'R11,aerial,planned,,"{""type"": ""LineString"", ""coordinates"": [[13.78, 50.55], [13.79, 50.55]]}"',
            'R12,direct-buried,,,"{""type"": ""LineString"", ""coordinates"": [[13.79, 50.55], [13.8, 50.56]]}"',
        )
        cls.csv_update_data = (
            "id,kind,description",
            f"{cls.p.r1.pk},aerial,Updated 1",
            f"{cls.p.r2.pk},aerial,Updated 2",
            f"{cls.p.r3.pk},duct,Updated 3",
        )
        cls.bulk_edit_data = {"kind": "microduct", "status": "decommissioned"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_page(self):
        self.p.k1.set_segments([self.p.r1, self.p.r2])
        response = self.client.get(self.p.r2.get_absolute_url())
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        self.assertIn("150.0 m", content)  # measured length
        self.assertIn("measured", content)
        self.assertIn("LineString", content)
        self.assertIn(self.p.k1.get_absolute_url(), content)  # K1 runs through R2
        self.assertNotIn(self.p.k3.get_absolute_url(), content)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_invalid_geometry_is_reported_on_the_form(self):
        self.add_permissions("netbox_metronet.add_routesegment")
        data = {**self.form_data, "geometry": line_json((13.78, 50.54)), "tags": []}
        response = self.client.post(self._get_url("add"), data)
        self.assertHttpStatus(response, 200)
        self.assertIn("a LineString needs at least two positions", response.content.decode())
        self.assertFalse(RouteSegment.objects.filter(name="R9").exists())


class FiberCableViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = FiberCable

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        # Splices protect their strands, hence their cables; the harness deletes every cable.
        Splice.objects.all().delete()
        tags = create_tags("Alpha", "Bravo", "Charlie")
        cls.form_data = {
            "name": "K9",
            "status": "planned",
            "fiber_type": "g657a1",
            "strand_count": 48,
            "a_site": cls.p.site2.pk,
            "b_closure": cls.p.c2.pk,
            "segments": [cls.p.r1.pk, cls.p.r3.pk],  # sorted by pk, as the harness compares M2M values
            "length_m": Decimal("812.0"),
            "description": "Feeder",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "name,strand_count,a_site,a_closure,b_site,b_closure,segments",
            'K10,24,Site 1,,,C2,"R2,R1"',
            "K11,12,,C2,Site 3,,R3",
            "K12,48,,C1,,C3,",
        )
        cls.csv_update_data = (
            "id,status,description",
            f"{cls.p.k1.pk},planned,Updated 1",
            f"{cls.p.k2.pk},construction,Updated 2",
            f"{cls.p.k3.pk},decommissioned,Updated 3",
        )
        cls.bulk_edit_data = {"status": "construction", "fiber_type": "g655"}

    def _import(self, *rows):
        self.add_permissions("netbox_metronet.add_fibercable")
        return self.client.post(self._get_url("bulk_import"), {
            "data": "\n".join(rows), "format": ImportFormatChoices.CSV, "csv_delimiter": CSVDelimiterChoices.AUTO,
        })

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_keeps_the_route_order(self):
        response = self._import("name,strand_count,a_site,b_closure,segments", 'K10,24,Site 1,C2,"R3,R1,R2"')
        self.assertHttpStatus(response, 302)
        cable = FiberCable.objects.get(name="K10")
        self.assertEqual([s.name for s in cable.ordered_segments], ["R3", "R1", "R2"])
        self.assertEqual(cable.strands.count(), 24)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_json_import_takes_the_route_as_a_list(self):
        self.add_permissions("netbox_metronet.add_fibercable")
        data = [{"name": "K10", "strand_count": 12, "a_site": "Site 1", "b_closure": "C2", "segments": ["R3", "R1"]}]
        response = self.client.post(self._get_url("bulk_import"), {"data": json.dumps(data), "format": "json"})
        self.assertHttpStatus(response, 302)
        self.assertEqual([s.name for s in FiberCable.objects.get(name="K10").ordered_segments], ["R3", "R1"])

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_names_an_unknown_segment(self):
        response = self._import("name,strand_count,a_site,b_closure,segments", 'K10,24,Site 1,C2,"R1,R77"')
        self.assertHttpStatus(response, 200)
        self.assertIn("Record 1 segments: Route segment R77 does not exist.", response.content.decode())
        self.assertFalse(FiberCable.objects.filter(name="K10").exists())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_cable_without_ends(self):
        response = self._import("name,strand_count", "K10,24")
        self.assertHttpStatus(response, 200)
        self.assertIn("Give the site or the closure where the A-end of the cable is.", response.content.decode())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_form_keeps_the_submitted_route_order(self):
        self.add_permissions("netbox_metronet.add_fibercable")
        data = {**self.form_data, "segments": [self.p.r3.pk, self.p.r2.pk, self.p.r1.pk], "tags": []}
        self.assertHttpStatus(self.client.post(self._get_url("add"), data), 302)
        cable = FiberCable.objects.get(name="K9")
        self.assertEqual([s.name for s in cable.ordered_segments], ["R3", "R2", "R1"])

        # The edit form lists the route in order too.
        self.add_permissions("netbox_metronet.change_fibercable")
        content = self.client.get(self._get_url("edit", cable)).content.decode()
        select = re.search(r'<select name="segments".*?</select>', content, re.S).group(0)
        self.assertEqual(re.findall(r'<option value="(\d+)"\s+selected', select),
                         [str(s.pk) for s in (self.p.r3, self.p.r2, self.p.r1)])

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_page_lists_route_and_strands(self):
        self.p.k1.set_segments([self.p.r2, self.p.r1])
        response = self.client.get(self.p.k1.get_absolute_url())
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        self.assertLess(content.index(self.p.r2.get_absolute_url()), content.index(self.p.r1.get_absolute_url()))
        self.assertIn("background-color: #ff8000", content)  # strand 2 is orange
        self.assertIn(strand(self.p.k1, 24).get_absolute_url(), content)
        expected = self.p.r1.geometry_length_m + Decimal("150.0")
        self.assertIn(f"{expected} m", content)
        self.assertIn("sum of route segments", content)


class FiberStrandViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = FiberStrand

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        # Splices protect their strands; the harness deletes every strand.
        Splice.objects.all().delete()
        # Strands 21-24 of K1 are missing: adding a strand for a missing number is valid.
        FiberStrand.objects.filter(cable=cls.p.k1, number__gt=20).delete()
        tags = create_tags("Alpha", "Bravo", "Charlie")
        cls.form_data = {
            "cable": cls.p.k1.pk,
            "number": 21,
            "status": "reserved",
            "description": "Spare",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "cable,number,status",
            "K1,22,active",
            "K1,23,reserved",
            "K1,24,",
        )
        first = FiberStrand.objects.filter(cable=cls.p.k1).order_by("number")[:3]
        cls.csv_update_data = (
            "id,status,description",
            *(f"{s.pk},faulty,Updated {s.number}" for s in first),
        )
        cls.bulk_edit_data = {"status": "faulty"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_number_above_the_count_is_rejected(self):
        self.add_permissions("netbox_metronet.add_fiberstrand")
        response = self.client.post(self._get_url("add"), {**self.form_data, "number": 25, "tags": []})
        self.assertHttpStatus(response, 200)
        self.assertIn("Cable K1 has 24 strands; strand 25 does not exist.", response.content.decode())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_page(self):
        fiber = strand(self.p.k1, 2)
        splice = Splice.objects.create(closure=self.p.c1, strand_a=fiber, strand_b=strand(self.p.k3, 2))
        terminate(fiber, front_port=add_patch_panel(self.p.site1)[1][0])
        response = self.client.get(fiber.get_absolute_url())
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        self.assertIn("background-color: #ff8000", content)  # orange
        self.assertIn(splice.get_absolute_url(), content)
        self.assertIn("Front 1", content)
        trace_url = reverse("plugins:netbox_metronet:trace") + f"?strand={fiber.pk}"
        self.assertIn(f'href="{trace_url}"', content)


class SpliceClosureViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = SpliceClosure

    @classmethod
    def setUpTestData(cls):
        # Cables protect the closures they end in and the harness deletes every closure: no cables here.
        cls.p = build_places()
        tags = create_tags("Alpha", "Bravo", "Charlie")
        cls.form_data = {
            "name": "C9",
            "kind": "cabinet",
            "status": "planned",
            "site": cls.p.site2.pk,
            "latitude": Decimal("50.55"),
            "longitude": Decimal("13.75"),
            "description": "Street cabinet",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "name,kind,latitude,longitude,site",
            "C10,dome,50.5,13.7,",
            "C11,inline,50.51,13.71,Site 1",
            "C12,,50.52,13.72,",
        )
        cls.csv_update_data = (
            "id,kind,description",
            f"{cls.p.c1.pk},wall-box,Updated 1",
            f"{cls.p.c2.pk},wall-box,Updated 2",
            f"{cls.p.c3.pk},cabinet,Updated 3",
        )
        cls.bulk_edit_data = {"kind": "wall-box", "status": "construction"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_page_lists_cables_and_splices(self):
        add_cables(self.p)
        response = self.client.get(self.p.c1.get_absolute_url())
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        for cable in (self.p.k1, self.p.k2, self.p.k3):
            self.assertIn(cable.get_absolute_url(), content)
        self.assertNotIn(self.p.k4.get_absolute_url(), content)
        for splice in self.p.splices:
            self.assertIn(splice.get_absolute_url(), content)

    def test_list_counts(self):
        add_cables(self.p)
        self.add_permissions("netbox_metronet.view_spliceclosure")
        response = self.client.get(self._get_url("list") + "?export=table")
        self.assertHttpStatus(response, 200)
        rows = {line.split(",")[0]: line for line in response.content.decode().splitlines()[1:]}
        self.assertIn(",3,3", rows["C1"])  # 3 cables, 3 splices


class SpliceViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = Splice

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        tags = create_tags("Alpha", "Bravo", "Charlie")
        cls.form_data = {
            "closure": cls.p.c1.pk,
            "strand_a": strand(cls.p.k1, 5).pk,
            "strand_b": strand(cls.p.k3, 5).pk,
            "loss_db": Decimal("0.04"),
            "description": "Fusion",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "closure,cable_a,strand_a,cable_b,strand_b,loss_db",
            "C1,K1,6,K3,6,0.03",
            "C1,K1,7,K3,7,",
            "C1,K2,8,K3,8,0.08",
        )
        cls.csv_update_data = (
            "id,loss_db,description",
            *(f"{s.pk},0.02,Updated {i}" for i, s in enumerate(cls.p.splices)),
        )
        # The harness builds an object-permission constraint from the first key: keep it JSON-serializable.
        cls.bulk_edit_data = {"description": "Re-spliced", "loss_db": Decimal("0.07")}

    def _import(self, *rows):
        self.add_permissions("netbox_metronet.add_splice")
        return self.client.post(self._get_url("bulk_import"), {
            "data": "\n".join(rows), "format": ImportFormatChoices.CSV, "csv_delimiter": CSVDelimiterChoices.AUTO,
        })

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_with_a_bad_row_imports_nothing(self):
        before = Splice.objects.count()
        response = self._import(
            "closure,cable_a,strand_a,cable_b,strand_b,loss_db",
            "C1,K1,6,K3,6,0.03",
            "C1,K1,99,K3,7,0.03",
            "C1,K1,8,K3,8,0.03",
        )
        self.assertHttpStatus(response, 200)
        self.assertIn("Record 2 strand_a: Cable K1 has no strand 99 (it has 24 strands).", response.content.decode())
        self.assertEqual(Splice.objects.count(), before)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_yaml_import(self):
        self.add_permissions("netbox_metronet.add_splice")
        data = "- closure: C1\n  cable_a: K1\n  strand_a: 9\n  cable_b: K3\n  strand_b: 9\n  loss_db: 0.02\n"
        response = self.client.post(self._get_url("bulk_import"), {"data": data, "format": "yaml"})
        self.assertHttpStatus(response, 302)
        splice = Splice.objects.get(strand_a=strand(self.p.k1, 9))
        self.assertEqual((splice.strand_b, splice.loss_db), (strand(self.p.k3, 9), Decimal("0.02")))

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_rejects_a_strand_spliced_twice(self):
        response = self._import("closure,cable_a,strand_a,cable_b,strand_b", "C1,K1,1,K3,1")
        self.assertHttpStatus(response, 200)
        self.assertIn("Record 1 strand_a: Strand K1 #1 is already spliced in C1", response.content.decode())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_rejects_a_cable_outside_the_closure(self):
        response = self._import("closure,cable_a,strand_a,cable_b,strand_b", "C1,K4,1,K3,1")
        self.assertHttpStatus(response, 200)
        self.assertIn("Record 1 strand_a: Cable K4 does not enter closure C1", response.content.decode())

    def test_form_strand_selectors_follow_the_closure(self):
        self.add_permissions("netbox_metronet.add_splice")
        content = self.client.get(self._get_url("add")).content.decode()
        for name in ("strand_a", "strand_b"):
            select = re.search(rf'<select name="{name}"[^>]*>', content).group(0)
            params = json.loads(html.unescape(re.search(r'data-dynamic-params="([^"]*)"', select).group(1)))
            self.assertEqual(params, [{"fieldName": "closure", "queryParam": "closure_id"}])


class StrandTerminationViewTestCase(PluginURLMixin, ViewTestCases.PrimaryObjectViewTestCase):
    model = StrandTermination

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()
        cls.device, cls.front, cls.rear = add_patch_panel(cls.p.site1)
        terminate(strand(cls.p.k1, 1), front_port=cls.front[0])
        terminate(strand(cls.p.k1, 2), front_port=cls.front[1])
        terminate(strand(cls.p.k1, 3), rear_port=cls.rear[0])
        tags = create_tags("Alpha", "Bravo", "Charlie")
        cls.form_data = {
            "strand": strand(cls.p.k1, 5).pk,
            "front_port": cls.front[4].pk,
            "description": "ODF 1",
            "tags": [t.pk for t in tags],
        }
        cls.csv_data = (
            "cable,strand,device,front_port,rear_port",
            "K1,6,Patch 1,Front 4,",
            "K1,7,Patch 1,,Rear 2",
            "K4,1,Patch 1,Front 6,",
        )
        cls.csv_update_data = (
            "id,description",
            *(f"{t.pk},Updated {t.pk}" for t in StrandTermination.objects.all()),
        )
        cls.bulk_edit_data = {"description": "Patched"}

    def test_cable_end_is_filled_in(self):
        termination = StrandTermination.objects.get(strand=strand(self.p.k1, 1))
        self.assertEqual(termination.cable_end, "A")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_import_unknown_strand_and_port_at_wrong_site(self):
        self.add_permissions("netbox_metronet.add_strandtermination")
        add_patch_panel(self.p.site3, "Patch 3")
        response = self.client.post(self._get_url("bulk_import"), {
            "data": "cable,strand,device,front_port\nK1,30,Patch 1,Front 4\nK1,8,Patch 3,Front 1",
            "format": ImportFormatChoices.CSV, "csv_delimiter": CSVDelimiterChoices.AUTO,
        })
        self.assertHttpStatus(response, 200)
        self.assertIn("Record 1 strand: Cable K1 has no strand 30 (it has 24 strands).", response.content.decode())
        response = self.client.post(self._get_url("bulk_import"), {
            "data": "cable,strand,device,front_port\nK1,8,Patch 3,Front 1",
            "format": ImportFormatChoices.CSV, "csv_delimiter": CSVDelimiterChoices.AUTO,
        })
        self.assertHttpStatus(response, 200)
        self.assertIn("Record 1 strand: Cable K1 does not end at site Site 3", response.content.decode())


class SitePanelTestCase(TestCase):
    """The fiber-plant panel on NetBox's site page shows only what the user may view."""

    @classmethod
    def setUpTestData(cls):
        cls.p = build_plant()

    def test_panel_lists_cables_and_closures_at_the_site(self):
        self.add_permissions("dcim.view_site", "netbox_metronet.view_fibercable", "netbox_metronet.view_spliceclosure")
        content = self.client.get(self.p.site3.get_absolute_url()).content.decode()
        self.assertIn(self.p.k3.get_absolute_url(), content)  # B-end at Site 3
        self.assertNotIn(self.p.k1.get_absolute_url(), content)
        self.assertIn(self.p.c3.get_absolute_url(), content)
        content = self.client.get(self.p.site1.get_absolute_url()).content.decode()
        self.assertIn(self.p.k1.get_absolute_url(), content)
        self.assertIn(self.p.k4.get_absolute_url(), content)

    def test_panel_respects_permissions(self):
        self.add_permissions("dcim.view_site")
        content = self.client.get(self.p.site3.get_absolute_url()).content.decode()
        self.assertNotIn(self.p.k3.get_absolute_url(), content)
        self.assertNotIn(self.p.c3.get_absolute_url(), content)
        self.assertNotIn("Fiber cables", content)

    def test_panel_respects_object_constraints(self):
        self.add_permissions("dcim.view_site")
        permission = ObjectPermission.objects.create(name="K1 only", actions=["view"], constraints={"name": "K1"})
        permission.users.add(self.user)
        permission.object_types.add(ObjectType.objects.get_for_model(FiberCable))
        content = self.client.get(self.p.site1.get_absolute_url()).content.decode()
        self.assertIn(self.p.k1.get_absolute_url(), content)
        self.assertNotIn(self.p.k4.get_absolute_url(), content)

