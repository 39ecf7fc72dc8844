"""Headless Chromium: the coverage and trace pages render in a real browser (with NetBox's CSS and JS).

Uses Debian's ``chromium`` (never a downloaded browser) through the ``playwright`` package, against Django's
live server. Screenshots go to ``$METRONET_ARTIFACTS`` (``./metronet test`` sets it to ``.data/artifacts``),
else to a temporary directory: ``coverage.png`` and ``trace.png``.

The data are the hand-made town of ``test_coverage`` and the fiber plant of ``test_trace``; the expected
numbers are explained there (3 of 7 organizations connected; a 2400 m path with 2.01 dB at 1310 nm).
"""

import os
import shutil
import tempfile
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from playwright.sync_api import expect, sync_playwright
from users.models import User

from netbox_metronet.tests.test_coverage import CoverageFixture
from netbox_metronet.tests.test_trace import TraceFixture

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
PASSWORD = "metronet-browser-test-password"


class _Town(CoverageFixture):
    """Holds the coverage fixture's objects (set up per test: a live-server test case has no setUpTestData)."""


class _Plant(TraceFixture):
    """Holds the trace fixture's objects."""


class BrowserTestCase(StaticLiveServerTestCase):

    def setUp(self):
        super().setUp()
        # Everything the pages need is created before the browser starts: the ORM is not used while
        # playwright's event loop runs.
        _Town.setUpTestData()
        _Plant.setUpTestData()
        User.objects.create_superuser(username="admin", email="admin@example.com", password=PASSWORD)
        self.strand_pk = _Plant.k2_5.pk
        self.artifacts = Path(os.environ.get("METRONET_ARTIFACTS") or tempfile.mkdtemp(prefix="metronet-browser-"))
        self.artifacts.mkdir(parents=True, exist_ok=True)

    def test_coverage_and_trace_pages(self):
        executable = shutil.which("chromium")
        self.assertIsNotNone(executable, "Debian's chromium must be installed (./metronet test installs it)")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{self.live_server_url}/login/")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")

                page.goto(f"{self.live_server_url}/plugins/metronet/coverage/?as_of=2025-06-15")
                expect(page.locator("#coverage-summary")).to_contain_text("3 of 7 organizations connected")
                expect(page.locator("#coverage-targets")).to_contain_text("80 % at 1 Gbit/s")
                expect(page.locator("#coverage-targets [data-status=behind]")).to_be_visible()
                expect(page.locator("svg.metronet-burndown")).to_be_visible()
                # NetBox's stylesheet loaded: the page is not unstyled (the navbar is laid out beside the page).
                self.assertGreater(page.locator("nav, aside, .navbar").count(), 0)
                page.screenshot(path=str(self.artifacts / "coverage.png"), full_page=True)

                page.goto(f"{self.live_server_url}/plugins/metronet/trace/?strand={self.strand_pk}")
                expect(page.locator("#trace-total-length")).to_contain_text("2400 m")
                expect(page.locator("#trace-budget")).to_contain_text("2.01 dB")
                expect(page.locator("#trace-hops tbody tr")).to_have_count(7)
                page.screenshot(path=str(self.artifacts / "trace.png"), full_page=True)
            finally:
                browser.close()
        for name in ("coverage.png", "trace.png"):
            self.assertGreater((self.artifacts / name).stat().st_size, 10_000, name)
