"""The Czech catalogue (locale/cs): complete, compiled, and what a NetBox user who picks Czech actually sees.

NetBox 4.7 selects the language with Django's LocaleMiddleware: the ``django_language`` cookie, else the
``Accept-Language`` header. The user preference ``locale.language`` reaches the middleware through that cookie,
which NetBox sets when the user logs in (LoginView / the ``user_logged_in`` signal) or saves the preference.
"""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation
from utilities.testing import TestCase

import netbox_metronet
from netbox_metronet.choices import RouteSegmentKindChoices, TownRelationChoices
from netbox_metronet.models import CoverageTarget, FiberCable, RouteSegment
from netbox_metronet.navigation import menu

LC_MESSAGES = Path(netbox_metronet.__file__).parent / "locale" / "cs" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{[\w.!:]*\}")

# Plugin msgids that NetBox's own Czech catalogue also has, with a different translation. NetBox's catalogue is in
# LOCALE_PATHS, so Django lets it win over the plugin's: these show NetBox's wording until the plugin gives them a
# message context (pgettext). Keep the list from growing: a new msgid shared with NetBox should get a context.
# Strings that NetBox's own catalogue also has get the "metronet" message context (pgettext), so that
# NetBox's LOCALE_PATHS cannot override them; none may be left.
KNOWN_NETBOX_OVERRIDES: set[str] = set()


def _translated(entry: dict) -> str:
    """What Django shows for a catalogue entry (with its message context, if it has one)."""
    if entry.get("msgctxt"):
        return translation.pgettext(entry["msgctxt"], entry["msgid"])
    return translation.gettext(entry["msgid"])


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (header included) as dicts: flags, msgctxt, msgid, msgid_plural, msgstr[n]."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            entry[key] += _unquote(line)
            continue
        key, _, value = line.partition(" ")
        entry[key] = _unquote(value)
    return entries


class CzechCatalogueTest(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = read_po(LC_MESSAGES / "django.po")
        cls.header = next(e for e in cls.entries if e["msgid"] == "")
        cls.messages = [e for e in cls.entries if e["msgid"] != ""]

    def test_header(self):
        self.assertIn("Language: cs\n", self.header["msgstr"])
        self.assertIn("Plural-Forms: nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;\n", self.header["msgstr"])
        self.assertNotIn("fuzzy", self.header["flags"])

    def test_every_message_translated_and_not_fuzzy(self):
        self.assertGreater(len(self.messages), 400)
        for entry in self.messages:
            with self.subTest(msgid=entry["msgid"]):
                self.assertFalse(entry["obsolete"], "obsolete entry: run makemessages again")
                self.assertNotIn("fuzzy", entry["flags"])
                if "msgid_plural" in entry:
                    forms = [entry.get(f"msgstr[{n}]", "") for n in range(3)]
                    self.assertNotIn("msgstr[3]", entry)
                else:
                    forms = [entry["msgstr"]]
                self.assertTrue(all(forms), "untranslated")

    def test_placeholders_kept(self):
        for entry in self.messages:
            wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
            forms = [v for k, v in entry.items() if k.startswith("msgstr")]
            for form in forms:
                with self.subTest(msgid=entry["msgid"], msgstr=form):
                    self.assertEqual(sorted(PLACEHOLDER.findall(form)), wanted)

    def test_mo_is_compiled_from_the_po(self):
        with open(LC_MESSAGES / "django.mo", "rb") as f:
            mo = gettext.GNUTranslations(f)
        for entry in self.messages:
            with self.subTest(msgid=entry["msgid"]):
                if "msgid_plural" in entry:
                    for n, count in ((0, 1), (1, 3), (2, 5)):
                        self.assertEqual(mo.ngettext(entry["msgid"], entry["msgid_plural"], count),
                                         entry[f"msgstr[{n}]"], "django.mo is stale: run msgfmt")
                elif entry.get("msgctxt"):
                    self.assertEqual(mo.pgettext(entry["msgctxt"], entry["msgid"]), entry["msgstr"],
                                     "django.mo is stale: run msgfmt")
                else:
                    self.assertEqual(mo.gettext(entry["msgid"]), entry["msgstr"], "django.mo is stale: run msgfmt")

    def test_czech_is_a_netbox_language(self):
        self.assertIn("cs", dict(settings.LANGUAGES))

    def test_netbox_catalogue_overrides_only_known_msgids(self):
        with translation.override("cs"):
            overridden = {
                e["msgid"] for e in self.messages
                if "msgid_plural" not in e and _translated(e) != e["msgstr"]
            }
        self.assertLessEqual(overridden, KNOWN_NETBOX_OVERRIDES, "new msgids that NetBox's catalogue translates "
                             "differently: give them a message context (pgettext)")

    def test_menu_labels(self):
        with translation.override("cs"):
            self.assertEqual(str(menu.label), "MetroNet")
            groups = {str(group.label): [str(item.link_text) for item in group.items] for group in menu.groups}
        self.assertEqual(list(groups), ["Organizace", "Optická infrastruktura", "Připojování", "Topologie"])
        self.assertEqual(groups["Topologie"][:2], ["Mapa", "Síť"])
        self.assertIn("Dopad přerušení", groups["Topologie"])
        self.assertIn("Jediná místa selhání", groups["Topologie"])
        self.assertIn("Úseky trasy", groups["Optická infrastruktura"])
        self.assertIn("Optické spojky", groups["Optická infrastruktura"])
        self.assertIn("Trasování vlákna", groups["Optická infrastruktura"])
        self.assertIn("Cíle pokrytí", groups["Připojování"])
        with translation.override("en"):
            self.assertEqual(str(menu.groups[1].label), "Fiber plant")

    def test_model_verbose_names(self):
        with translation.override("cs"):
            self.assertEqual(str(RouteSegment._meta.verbose_name), "úsek trasy")
            self.assertEqual(str(RouteSegment._meta.verbose_name_plural), "úseky trasy")
            self.assertEqual(str(FiberCable._meta.verbose_name), "optický kabel")
            self.assertEqual(str(CoverageTarget._meta.verbose_name_plural), "cíle pokrytí")

    def test_choice_labels(self):
        with translation.override("cs"):
            self.assertEqual(str(dict(RouteSegmentKindChoices)[RouteSegmentKindChoices.DUCT]), "Chránička (HDPE)")
            self.assertEqual(str(dict(TownRelationChoices)[TownRelationChoices.ESTABLISHED]), "Zřízená městem")
            segment = RouteSegment(name="D-07", kind=RouteSegmentKindChoices.MICRODUCT)
            self.assertEqual(segment.get_kind_display(), "Mikrotrubička")

    def test_validation_error_from_models_plant(self):
        cable = FiberCable(name="K-01", a_site_id=1, a_closure_id=2)
        with translation.override("cs"):
            with self.assertRaises(ValidationError) as raised:
                cable.clean_ends()
            # Lazy messages are rendered when read: read them in Czech.
            errors = raised.exception.message_dict
        self.assertEqual(errors["a_closure"], ["Konec je buď v lokalitě, nebo ve spojce, ne obojí."])
        self.assertEqual(errors["b_site"], ["Zadejte lokalitu nebo spojku, kde je konec B kabelu."])


class CzechCoveragePageTest(TestCase):
    user_permissions = (
        "netbox_metronet.view_connection",
        "netbox_metronet.view_organizationprofile",
        "netbox_metronet.view_coveragetarget",
    )

    def assertCzechCoveragePage(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Language"], "cs")
        self.assertContains(response, "<title>Pokrytí | NetBox</title>", html=False)
        self.assertContains(response, "Podle typu organizace")
        self.assertContains(response, "Podle části obce")
        self.assertContains(response, "Exportovat CSV")
        self.assertContains(response, "Stav k <span")  # the date is an <span> of the isodate filter
        self.assertContains(response, "Cíle pokrytí")  # the MetroNet menu
        self.assertNotContains(response, "By town part")

    def test_user_preference_selects_czech(self):
        # The preference is applied at login: NetBox sets the language cookie that LocaleMiddleware reads.
        self.user.set_password("heslo-pro-test")
        self.user.save()
        self.user.config.set("locale.language", "cs", commit=True)
        self.client.logout()
        response = self.client.post(reverse("login"), {"username": self.user.username, "password": "heslo-pro-test"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "cs")
        self.assertCzechCoveragePage(self.client.get(reverse("plugins:netbox_metronet:coverage") + "?as_of=2025-06-15"))

    def test_accept_language_selects_czech(self):
        url = reverse("plugins:netbox_metronet:coverage") + "?as_of=2025-06-15"
        self.assertCzechCoveragePage(self.client.get(url, headers={"accept-language": "cs,en;q=0.5"}))
        english = self.client.get(url, headers={"accept-language": "en"})
        self.assertContains(english, "By town part")
        self.assertNotContains(english, "Podle části obce")
