"""Global search finds the plugin's objects, and only for users allowed to view them."""

from dcim.models import Site
from tenancy.models import Tenant
from utilities.testing import TestCase

from netbox_metronet.models import FiberCable, OrganizationProfile, SpliceClosure


class GlobalSearchTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        # NetBox indexes saved objects when the transaction commits: run those callbacks here.
        with cls.captureOnCommitCallbacks(execute=True):
            site = Site.objects.create(name="Search site", slug="search-site")
            closure = SpliceClosure.objects.create(name="SC-SEARCHABLE", latitude=50.54, longitude=13.77)
            FiberCable.objects.create(name="K-SEARCHABLE-01", strand_count=12, a_site=site, b_closure=closure)
            tenant = Tenant.objects.create(name="ZŠ Hledaná", slug="zs-hledana")
            OrganizationProfile.objects.create(tenant=tenant, org_type="school", company_id="00266230")

    def test_search_finds_cable_closure_and_ico(self):
        self.add_permissions("netbox_metronet.view_fibercable", "netbox_metronet.view_spliceclosure",
                             "netbox_metronet.view_organizationprofile")
        response = self.client.get("/search/?q=SEARCHABLE")
        self.assertHttpStatus(response, 200)
        self.assertContains(response, "K-SEARCHABLE-01")
        self.assertContains(response, "SC-SEARCHABLE")
        response = self.client.get("/search/?q=00266230")
        self.assertContains(response, OrganizationProfile.objects.get().get_absolute_url())

    def test_search_hides_objects_without_permission(self):
        response = self.client.get("/search/?q=SEARCHABLE")
        self.assertHttpStatus(response, 200)
        self.assertNotContains(response, "K-SEARCHABLE-01")
