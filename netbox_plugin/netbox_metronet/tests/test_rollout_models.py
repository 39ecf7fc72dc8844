"""Validation of organization profiles and connections, with the exact messages users get."""

import datetime
from decimal import Decimal

from dcim.models import Site
from django.core.exceptions import ValidationError
from django.test import TestCase
from tenancy.models import Tenant

from netbox_metronet.choices import ConnectionStatusChoices, OrganizationTypeChoices
from netbox_metronet.models import Connection, CoverageTarget, FiberCable, OrganizationProfile


def validation_messages(instance) -> dict[str, list[str]]:
    """Run full_clean() and return its messages by field ({} when the instance is valid)."""
    try:
        instance.full_clean()
    except ValidationError as e:
        return e.message_dict
    return {}


class OrganizationProfileValidationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tenant = Tenant.objects.create(name="Město Bílina", slug="mesto-bilina")

    def profile(self, company_id):
        return OrganizationProfile(tenant=self.tenant, org_type=OrganizationTypeChoices.OFFICE, company_id=company_id)

    def test_valid_ico(self):
        self.assertEqual(validation_messages(self.profile("00266230")), {})

    def test_empty_ico_is_allowed(self):
        self.assertEqual(validation_messages(self.profile("")), {})

    def test_ico_checksum(self):
        self.assertEqual(
            validation_messages(self.profile("00266231")),
            {"company_id": ["IČO 00266231 fails its checksum (last digit should be 0)"]},
        )

    def test_ico_length(self):
        self.assertEqual(
            validation_messages(self.profile("1234567")),
            {"company_id": ["an IČO has exactly 8 digits, got '1234567'"]},
        )

    def test_ico_digits_only(self):
        self.assertEqual(
            validation_messages(self.profile("0026623X")),
            {"company_id": ["an IČO has exactly 8 digits, got '0026623X'"]},
        )

    def test_one_profile_per_tenant(self):
        self.profile("00266230").save()
        messages = validation_messages(self.profile(""))
        self.assertEqual(list(messages), ["tenant"])


class ConnectionValidationTestCase(TestCase):
    """::

        Site A (POP) ====cable K1==== Site B (school, tenant ZŠ)      Site C (kindergarten, tenant MŠ)
    """

    @classmethod
    def setUpTestData(cls):
        cls.school = Tenant.objects.create(name="ZŠ Aléská", slug="zs-aleska")
        cls.kindergarten = Tenant.objects.create(name="MŠ Čapkova", slug="ms-capkova")
        cls.pop = Site.objects.create(name="POP Radnice", slug="pop-radnice")
        cls.school_site = Site.objects.create(name="ZŠ Aléská budova", slug="zs-aleska-budova", tenant=cls.school)
        cls.kindergarten_site = Site.objects.create(
            name="MŠ Čapkova budova", slug="ms-capkova-budova", tenant=cls.kindergarten
        )
        cls.cable = FiberCable.objects.create(name="K1", strand_count=12, a_site=cls.pop, b_site=cls.school_site)

    def connection(self, **kwargs):
        return Connection(**{"tenant": self.school, "site": self.school_site, **kwargs})

    def test_valid_connection(self):
        connection = self.connection(
            status=ConnectionStatusChoices.CONNECTED,
            planned_date=datetime.date(2024, 6, 30),
            construction_start=datetime.date(2024, 4, 1),
            connected_date=datetime.date(2024, 6, 15),
            strand=self.cable.strands.get(number=3),
        )
        self.assertEqual(validation_messages(connection), {})

    def test_site_without_tenant_is_allowed(self):
        self.assertEqual(validation_messages(self.connection(site=self.pop)), {})

    def test_connected_without_date(self):
        self.assertEqual(
            validation_messages(self.connection(status=ConnectionStatusChoices.CONNECTED)),
            {"connected_date": ["A connected connection needs the date it went into service."]},
        )

    def test_connected_date_without_connected_status(self):
        connection = self.connection(
            status=ConnectionStatusChoices.CONSTRUCTION, connected_date=datetime.date(2024, 1, 2)
        )
        self.assertEqual(
            validation_messages(connection),
            {"connected_date": ["Only a connected connection has a connected date (status is Construction)."]},
        )

    def test_connected_date_in_future(self):
        future = datetime.date.today() + datetime.timedelta(days=30)
        connection = self.connection(status=ConnectionStatusChoices.CONNECTED, connected_date=future)
        self.assertEqual(
            validation_messages(connection),
            {"connected_date": [f"The connected date {future.isoformat()} is in the future."]},
        )

    def test_construction_start_after_connected_date(self):
        connection = self.connection(
            status=ConnectionStatusChoices.CONNECTED,
            construction_start=datetime.date(2024, 5, 2),
            connected_date=datetime.date(2024, 5, 1),
        )
        self.assertEqual(
            validation_messages(connection),
            {"construction_start": ["Construction start 2024-05-02 is after the connected date 2024-05-01."]},
        )

    def test_site_of_another_tenant(self):
        self.assertEqual(
            validation_messages(self.connection(site=self.kindergarten_site)),
            {"site": ["Site MŠ Čapkova budova belongs to MŠ Čapkova, not to ZŠ Aléská."]},
        )

    def test_strand_of_cable_not_ending_at_site(self):
        connection = Connection(
            tenant=self.kindergarten, site=self.kindergarten_site, strand=self.cable.strands.get(number=5)
        )
        self.assertEqual(
            validation_messages(connection),
            {"strand": ["Strand K1 #5 is in cable K1, which does not end at MŠ Čapkova budova."]},
        )


class CoverageTargetValidationTestCase(TestCase):
    def target(self, share):
        return CoverageTarget(
            name="All schools", share_percent=share, min_bandwidth_mbps=1000, due_date=datetime.date(2024, 12, 31)
        )

    def test_share_within_bounds(self):
        self.assertEqual(validation_messages(self.target(Decimal("100"))), {})

    def test_share_above_100(self):
        self.assertEqual(list(validation_messages(self.target(Decimal("100.01")))), ["share_percent"])

    def test_share_zero(self):
        self.assertEqual(list(validation_messages(self.target(Decimal("0")))), ["share_percent"])
