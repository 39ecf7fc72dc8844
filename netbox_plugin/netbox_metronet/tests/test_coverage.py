"""Coverage numbers, page, CSV export, REST endpoint and tenant panel on a small hand-made town.

As of 2025-06-15 (``AS_OF``); organizations (type, town part, relation) and their connections::

    #  organization       type          town part     relation     connections (status, bandwidth, dates)
    1  ZŠ Alfa            school        Centrum       established  connected 1000, connected 2024-09-01
    2  ZŠ Beta            school        Předměstí     established  connected 1000, connected 2025-02-10;
                                                                   cancelled (planned 2024-01-31, ignored)
    3  MŠ Gama            kindergarten  Centrum       established  construction 1000, planned 2025-08-31
    4  MŠ Delta           kindergarten  Předměstí     established  design 1000, planned 2026-03-31
    5  Městský úřad       office        Centrum       founded      connected 100, connected 2025-05-01;
                                                                   planned 1000 (upgrade), planned 2025-10-31
    6  Technické služby   office        Předměstí     founded      planned 1000, planned 2025-11-30
    7  Správa majetku     office        Předměstí     other        cancelled (planned 2024-03-31)

    states: 1, 2, 5 connected; 3, 4 in progress; 6 planned; 7 not planned
    best bandwidth: 1, 2 = 1000; 5 = 100. Target bandwidths: 100 and 1000.

Targets (ordered by due date):

    T2 "Kindergartens by 2024"  kindergarten, 50 %, >= 100, due 2024-12-31
       eligible 3, 4 = 2; required ceil(0.5 x 2) = 1; achieved 0; projected 0 (no plan <= 2024-12-31)
       -> due date passed: MISSED; missing 3 (in progress, 2025-08-31), 4 (in progress, 2026-03-31)
    T1 "Schools at 1 Gbit/s"    school, 100 %, >= 1000, due 2025-03-31
       eligible 1, 2; required 2; achieved 1 (2024-09-01), 2 (2025-02-10) = 2 -> MET
    T3 "80 % at 1 Gbit/s"       all, 80 %, >= 1000, due 2025-12-31
       eligible 7; required ceil(5.6) = 6; achieved 1, 2 = 2 (5 has only 100)
       projected 2 + 3 (2025-08-31) + 5 (upgrade 2025-10-31) + 6 (2025-11-30) = 5 (4 is 2026) < 6 -> BEHIND
       missing 3 (proj.), 4, 5 (proj.), 6 (proj.), 7
    T4 "Established at 100"     established, 75 %, >= 100, due 2026-06-30
       eligible 1, 2, 3, 4; required ceil(3.0) = 3; achieved 1, 2 = 2;
       projected 2 + 3 (2025-08-31) + 4 (2026-03-31) = 4 >= 3 -> ON TRACK

Aggregates (total, connected, in progress, planned, not planned, >= 100, >= 1000):

    school        2  2  0  0  0  2  2
    kindergarten  2  0  2  0  0  0  0
    office        3  1  0  1  1  1  0
    Centrum       3  2  1  0  0  2  1     (1, 3, 5)
    Předměstí     4  1  1  1  1  1  1     (2, 4, 6, 7)
    all           7  3  2  1  1  3  2

Burndown over all 7: expected dates 1: 2024-09-01, 2: 2025-02-10, 5: 2025-05-01 (connected), 3: 2025-08-31,
6: 2025-11-30, 4: 2026-03-31 (planned), 7: none. From 2024-09 to the latest due date 2026-06 = 22 months;
connected/remaining only up to June 2025 (as of); see BURNDOWN below.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

from core.models import ObjectType
from dcim.models import Region, Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from tenancy.models import Tenant
from users.constants import TOKEN_PREFIX
from users.models import ObjectPermission, Token
from utilities.testing import TestCase

from netbox_metronet.coverage import OrgState, TargetStatus, compute_coverage
from netbox_metronet.models import Connection, CoverageTarget, OrganizationProfile

AS_OF = datetime.date(2025, 6, 15)
D = datetime.date.fromisoformat
VIEW_PERMISSIONS = (
    "netbox_metronet.view_connection",
    "netbox_metronet.view_organizationprofile",
    "netbox_metronet.view_coveragetarget",
)

# (name, type, town part, relation, [(status, bandwidth, planned date, connected date)])
ORGANIZATIONS = [
    ("ZŠ Alfa", "school", "Centrum", "established", [("connected", 1000, None, "2024-09-01")]),
    ("ZŠ Beta", "school", "Předměstí", "established",
     [("connected", 1000, None, "2025-02-10"), ("cancelled", 1000, "2024-01-31", None)]),
    ("MŠ Gama", "kindergarten", "Centrum", "established", [("construction", 1000, "2025-08-31", None)]),
    ("MŠ Delta", "kindergarten", "Předměstí", "established", [("design", 1000, "2026-03-31", None)]),
    ("Městský úřad", "office", "Centrum", "founded",
     [("connected", 100, None, "2025-05-01"), ("planned", 1000, "2025-10-31", None)]),
    ("Technické služby", "office", "Předměstí", "founded", [("planned", 1000, "2025-11-30", None)]),
    ("Správa majetku", "office", "Předměstí", "other", [("cancelled", None, "2024-03-31", None)]),
]

# (name, share %, min bandwidth, due date, org types, town relations)
TARGETS = [
    ("Schools at 1 Gbit/s", "100", 1000, "2025-03-31", ["school"], []),
    ("Kindergartens by 2024", "50", 100, "2024-12-31", ["kindergarten"], []),
    ("80 % at 1 Gbit/s", "80", 1000, "2025-12-31", [], []),
    ("Established at 100", "75", 100, "2026-06-30", [], ["established"]),
]

# month, connected, remaining, planned (connected + planned to be by the end of the month)
BURNDOWN = [
    ("2024-09-30", 1, 6, 1), ("2024-10-31", 1, 6, 1), ("2024-11-30", 1, 6, 1), ("2024-12-31", 1, 6, 1),
    ("2025-01-31", 1, 6, 1), ("2025-02-28", 2, 5, 2), ("2025-03-31", 2, 5, 2), ("2025-04-30", 2, 5, 2),
    ("2025-05-31", 3, 4, 3), ("2025-06-30", 3, 4, 3),
    # after as_of: only the planned line; 3 (2025-08-31), 6 (2025-11-30), 4 (2026-03-31) join it
    ("2025-07-31", None, None, 3), ("2025-08-31", None, None, 4), ("2025-09-30", None, None, 4),
    ("2025-10-31", None, None, 4), ("2025-11-30", None, None, 5), ("2025-12-31", None, None, 5),
    ("2026-01-31", None, None, 5), ("2026-02-28", None, None, 5), ("2026-03-31", None, None, 6),
    ("2026-04-30", None, None, 6), ("2026-05-31", None, None, 6), ("2026-06-30", None, None, 6),
]


def build_town(prefix: str = "") -> dict[str, Tenant]:
    """Create ORGANIZATIONS (names prefixed with ``prefix``); return the tenants by name."""
    parts = {}
    tenants = {}
    for i, (name, org_type, part, relation, connections) in enumerate(ORGANIZATIONS, start=1):
        if part not in parts:
            slug = f"{prefix}part-{len(parts) + 1}".lower()
            parts[part] = Region.objects.create(name=f"{prefix}{part}", slug=slug)
        tenant = Tenant.objects.create(name=f"{prefix}{name}", slug=f"{prefix}org-{i}".lower())
        site = Site.objects.create(name=f"{prefix}{name} building", slug=f"{prefix}site-{i}".lower(), tenant=tenant)
        OrganizationProfile.objects.create(
            tenant=tenant, org_type=org_type, town_relation=relation, town_part=parts[part]
        )
        for status, bandwidth, planned, connected in connections:
            Connection.objects.create(
                tenant=tenant, site=site, status=status, bandwidth_mbps=bandwidth,
                planned_date=D(planned) if planned else None, connected_date=D(connected) if connected else None,
            )
        tenants[name] = tenant
    return tenants


class CoverageFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tenants = build_town()
        cls.targets = {
            name: CoverageTarget.objects.create(
                name=name, share_percent=Decimal(share), min_bandwidth_mbps=bw, due_date=D(due),
                org_types=types, town_relations=relations,
            )
            for name, share, bw, due, types, relations in TARGETS
        }


class CoverageReportTestCase(CoverageFixture, TestCase):

    def setUp(self):
        super().setUp()
        self.report = compute_coverage(as_of=AS_OF)

    def test_organization_states(self):
        expected = {
            # name: (state, best bandwidth, planned date, connected date)
            "ZŠ Alfa": (OrgState.CONNECTED, 1000, None, D("2024-09-01")),
            "ZŠ Beta": (OrgState.CONNECTED, 1000, None, D("2025-02-10")),  # the cancelled plan does not count
            "MŠ Gama": (OrgState.IN_PROGRESS, None, D("2025-08-31"), None),
            "MŠ Delta": (OrgState.IN_PROGRESS, None, D("2026-03-31"), None),
            "Městský úřad": (OrgState.CONNECTED, 100, D("2025-10-31"), D("2025-05-01")),
            "Technické služby": (OrgState.PLANNED, None, D("2025-11-30"), None),
            "Správa majetku": (OrgState.NOT_PLANNED, None, None, None),
        }
        actual = {
            o.name: (o.state, o.best_bandwidth_mbps, o.planned_date, o.connected_date)
            for o in self.report.organizations
        }
        self.assertEqual(actual, expected)

    def test_aggregates(self):
        def rows(groups):
            return {
                g.label: (g.total, g.connected, g.in_progress, g.planned, g.not_planned,
                          g.connected_at_least[100], g.connected_at_least[1000])
                for g in groups
            }

        self.assertEqual(self.report.thresholds, [100, 1000])
        self.assertEqual(rows(self.report.by_type), {
            "School": (2, 2, 0, 0, 0, 2, 2),
            "Kindergarten": (2, 0, 2, 0, 0, 0, 0),
            "Town office": (3, 1, 0, 1, 1, 1, 0),
        })
        self.assertEqual([g.key for g in self.report.by_type], ["school", "kindergarten", "office"])  # choice order
        self.assertEqual(rows(self.report.by_town_part), {
            "Centrum": (3, 2, 1, 0, 0, 2, 1),
            "Předměstí": (4, 1, 1, 1, 1, 1, 1),
        })
        self.assertEqual(rows([self.report.totals])["All organizations"], (7, 3, 2, 1, 1, 3, 2))

    def test_targets(self):
        results = {t.target.name: t for t in self.report.targets}
        self.assertEqual(
            [t.target.name for t in self.report.targets],
            ["Kindergartens by 2024", "Schools at 1 Gbit/s", "80 % at 1 Gbit/s", "Established at 100"],
        )
        # name: (eligible, required, achieved, projected, status, shortfall)
        expected = {
            "Kindergartens by 2024": (2, 1, 0, 0, TargetStatus.MISSED, 1),
            "Schools at 1 Gbit/s": (2, 2, 2, 2, TargetStatus.MET, 0),
            "80 % at 1 Gbit/s": (7, 6, 2, 5, TargetStatus.BEHIND, 4),
            "Established at 100": (4, 3, 2, 4, TargetStatus.ON_TRACK, 1),
        }
        self.assertEqual(
            {n: (r.eligible, r.required, r.achieved, r.projected, r.status, r.shortfall) for n, r in results.items()},
            expected,
        )

        def missing(name):
            return {
                m.organization.name: (m.organization.state, m.organization.planned_date, m.projected)
                for m in results[name].missing
            }

        self.assertEqual(missing("Kindergartens by 2024"), {
            "MŠ Gama": (OrgState.IN_PROGRESS, D("2025-08-31"), False),
            "MŠ Delta": (OrgState.IN_PROGRESS, D("2026-03-31"), False),
        })
        self.assertEqual(missing("Schools at 1 Gbit/s"), {})
        self.assertEqual(missing("80 % at 1 Gbit/s"), {
            "MŠ Gama": (OrgState.IN_PROGRESS, D("2025-08-31"), True),
            "MŠ Delta": (OrgState.IN_PROGRESS, D("2026-03-31"), False),
            "Městský úřad": (OrgState.CONNECTED, D("2025-10-31"), True),
            "Technické služby": (OrgState.PLANNED, D("2025-11-30"), True),
            "Správa majetku": (OrgState.NOT_PLANNED, None, False),
        })

    def test_target_status_moves_with_as_of(self):
        # As of 2025-02-09, the day before ZŠ Beta was connected: cutoff min(2025-03-31, 2025-02-09); only ZŠ Alfa
        # counts (1 of 2 required), ZŠ Beta has no active connection to project -> behind (the due date is ahead).
        early = compute_coverage(as_of=D("2025-02-09"))
        schools = next(t for t in early.targets if t.target.name == "Schools at 1 Gbit/s")
        self.assertEqual((schools.achieved, schools.projected, schools.status), (1, 1, TargetStatus.BEHIND))

        # As of 2026-01-15 "80 % at 1 Gbit/s" (due 2025-12-31) has passed with 2 of 6 -> missed. The plans of
        # MŠ Gama, Městský úřad and Technické služby (all <= 2025-12-31, all overdue now) no longer project:
        # projected = achieved = 2, and no missing organization is "planned by the due date".
        late = compute_coverage(as_of=D("2026-01-15"))
        all_gbit = next(t for t in late.targets if t.target.name == "80 % at 1 Gbit/s")
        self.assertEqual((all_gbit.achieved, all_gbit.projected, all_gbit.status), (2, 2, TargetStatus.MISSED))
        self.assertEqual([m.projected for m in all_gbit.missing], [False] * 5)

    def test_burndown(self):
        burndown = self.report.burndown
        self.assertEqual(burndown.total, 7)
        self.assertEqual(
            [(p.month.isoformat(), p.connected, p.remaining, p.planned) for p in burndown.points], BURNDOWN
        )
        self.assertEqual(len(burndown.points), 22)
        self.assertEqual(
            [(d.isoformat(), s) for d, _n, s in burndown.milestones],
            [("2024-12-31", "missed"), ("2025-03-31", "met"), ("2025-12-31", "behind"), ("2026-06-30", "on_track")],
        )

    def test_constant_queries(self):
        with CaptureQueriesContext(connection) as small:
            compute_coverage(as_of=AS_OF)
        build_town(prefix="X ")  # twice the organizations and connections
        with CaptureQueriesContext(connection) as large:
            report = compute_coverage(as_of=AS_OF)
        self.assertEqual(report.totals.total, 14)
        self.assertEqual(len(small.captured_queries), 3)  # profiles, connections, targets
        self.assertEqual(len(large.captured_queries), 3)


class CoverageViewsTestCase(CoverageFixture, TestCase):

    def api_get(self, *permissions, as_of=AS_OF):
        self.add_permissions(*permissions)
        token = Token.objects.create(user=self.user)
        url = reverse("plugins-api:netbox_metronet-api:coverage") + f"?as_of={as_of.isoformat()}"
        return APIClient().get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN_PREFIX}{token.key}.{token.token}")

    def test_page(self):
        self.add_permissions(*VIEW_PERMISSIONS)
        response = self.client.get(reverse("plugins:netbox_metronet:coverage") + "?as_of=2025-06-15")
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        self.assertIn("3 of 7 organizations connected", content)
        for name, *_rest in TARGETS:
            self.assertIn(name, content)
        for status in ("met", "missed", "behind", "on_track"):
            self.assertIn(f'data-status="{status}"', content)
        self.assertIn("<svg", content)
        self.assertIn("Technické služby", content)  # a missing organization of "80 % at 1 Gbit/s"
        self.assertIn('id="coverage-by-type"', content)
        self.assertIn('id="coverage-by-town-part"', content)

    def test_csv_export(self):
        self.add_permissions(*VIEW_PERMISSIONS)
        response = self.client.get(reverse("plugins:netbox_metronet:coverage_export") + "?as_of=2025-06-15")
        self.assertHttpStatus(response, 200)
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        self.assertIn("metronet-coverage-2025-06-15.csv", response["Content-Disposition"])
        header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(header, [
            "Organization", "Type", "Town part", "Relation to the town", "State", "Best bandwidth (Mbit/s)",
            "Planned date", "Connected date",
            "Kindergartens by 2024", "Schools at 1 Gbit/s", "80 % at 1 Gbit/s", "Established at 100",
        ])
        # Target columns: yes = counts, no = eligible but does not count, n/a = not eligible
        self.assertEqual({row[0]: row[1:] for row in rows}, {
            "ZŠ Alfa": ["School", "Centrum", "Established by the town", "Connected", "1000", "", "2024-09-01",
                        "n/a", "yes", "yes", "yes"],
            "ZŠ Beta": ["School", "Předměstí", "Established by the town", "Connected", "1000", "", "2025-02-10",
                        "n/a", "yes", "yes", "yes"],
            "MŠ Gama": ["Kindergarten", "Centrum", "Established by the town", "In progress", "", "2025-08-31", "",
                        "no", "n/a", "no", "no"],
            "MŠ Delta": ["Kindergarten", "Předměstí", "Established by the town", "In progress", "", "2026-03-31", "",
                         "no", "n/a", "no", "no"],
            "Městský úřad": ["Town office", "Centrum", "Founded by the town", "Connected", "100", "2025-10-31",
                             "2025-05-01", "n/a", "n/a", "no", "n/a"],
            "Technické služby": ["Town office", "Předměstí", "Founded by the town", "Planned", "", "2025-11-30", "",
                                 "n/a", "n/a", "no", "n/a"],
            "Správa majetku": ["Town office", "Předměstí", "Other", "Not planned", "", "", "",
                               "n/a", "n/a", "no", "n/a"],
        })

    def test_api_returns_same_numbers(self):
        response = self.api_get(*VIEW_PERMISSIONS)
        self.assertHttpStatus(response, 200)
        data = response.json()
        self.assertEqual(data["as_of"], "2025-06-15")
        totals = data["totals"]
        self.assertEqual(
            (totals["total"], totals["connected"], totals["in_progress"], totals["planned"], totals["not_planned"]),
            (7, 3, 2, 1, 1),
        )
        self.assertEqual(totals["connected_at_least"], {"100": 3, "1000": 2})
        self.assertEqual(
            [(t["name"], t["eligible"], t["required"], t["achieved"], t["projected"], t["status"])
             for t in data["targets"]],
            [
                ("Kindergartens by 2024", 2, 1, 0, 0, "missed"),
                ("Schools at 1 Gbit/s", 2, 2, 2, 2, "met"),
                ("80 % at 1 Gbit/s", 7, 6, 2, 5, "behind"),
                ("Established at 100", 4, 3, 2, 4, "on_track"),
            ],
        )
        self.assertEqual(
            [(p["month"], p["connected"], p["remaining"], p["planned"]) for p in data["burndown"]["points"]],
            BURNDOWN,
        )
        # ... and exactly what the page's report holds
        self.assertEqual(data, json.loads(json.dumps(compute_coverage(as_of=AS_OF).to_dict())))

    def test_permissions(self):
        page = reverse("plugins:netbox_metronet:coverage")
        export = reverse("plugins:netbox_metronet:coverage_export")
        self.assertHttpStatus(self.client.get(page), 403)
        self.assertHttpStatus(self.client.get(export), 403)
        self.assertHttpStatus(self.api_get(), 403)  # a valid token without permission
        anonymous = APIClient().get(reverse("plugins-api:netbox_metronet-api:coverage"))
        self.assertIn(anonymous.status_code, (401, 403))

    def test_restricted_to_viewable_objects(self):
        # May view connections, but only profiles of schools: the report covers only those two organizations.
        self.add_permissions("netbox_metronet.view_connection", "netbox_metronet.view_coveragetarget")
        permission = ObjectPermission.objects.create(
            name="schools only", actions=["view"], constraints={"org_type": "school"}
        )
        permission.object_types.add(ObjectType.objects.get_for_model(OrganizationProfile))
        permission.users.add(self.user)
        response = self.client.get(reverse("plugins:netbox_metronet:coverage") + "?as_of=2025-06-15")
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "2 of 2 organizations connected")
        self.assertNotContains(response, "Technické služby")

    def test_tenant_panel(self):
        self.add_permissions("tenancy.view_tenant", *VIEW_PERMISSIONS)
        # Counted as of today (after every date above): ZŠ Alfa counts toward each target it is eligible for.
        url = reverse("tenancy:tenant", kwargs={"pk": self.tenants["ZŠ Alfa"].pk})
        response = self.client.get(url)
        self.assertHttpStatus(response, 200)
        content = response.content.decode()
        self.assertIn("Coverage status", content)
        self.assertIn("Connected", content)
        self.assertEqual(content.count(">Counts<"), 3)  # schools, 80 % at 1 Gbit/s, established
        self.assertEqual(content.count(">Not eligible<"), 1)  # kindergartens

        # MŠ Gama (construction, planned 2025-08-31): eligible for three targets, counts toward none; every due
        # date has passed by today (2026-06-30 is the latest), so none shows as "planned to count".
        response = self.client.get(reverse("tenancy:tenant", kwargs={"pk": self.tenants["MŠ Gama"].pk}))
        content = response.content.decode()
        self.assertIn("In progress", content)
        self.assertEqual(content.count(">Counts<"), 0)
        self.assertEqual(content.count(">Does not count<"), 3)
        self.assertEqual(content.count(">Not eligible<"), 1)

    def test_tenant_panel_needs_permission(self):
        self.add_permissions("tenancy.view_tenant")
        response = self.client.get(reverse("tenancy:tenant", kwargs={"pk": self.tenants["ZŠ Alfa"].pk}))
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, "Coverage status")
