"""The Bílina sample's plan: what each row of ``bilina_organizations.csv`` is, and the synthetic network.

Read by ``generate_bilina.py`` (pure Python, no Django). Everything here except the organization names,
types, addresses and the two IČO (which come from the CSV's public sources) is SYNTHETIC: coordinates
(metres east/north of the town centre), town-part assignment, connection statuses, dates and bandwidths,
and the ring of splice closures.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = (
    "BRANCHES", "CORE_10G_PORTS", "CORE_1G_PORTS", "CORE_SITE", "ORGS", "Org", "RING", "RING_STRANDS", "SITES",
    "SitePlan", "TOWN_PARTS",
)


@dataclass(frozen=True)
class Org:
    slug: str
    name: str  # tenant name: the registered name where a source gives it, else the name in common use
    short: str
    relation: str
    relation_assumed: bool  # no source states the relation: the description says so with [?]
    note: str = ""
    company_id: str = ""


ORGS = [
    Org("mesto-bilina", "Město Bílina – Městský úřad", "MěÚ Bílina", "founded", False,
        "The town of Bílina and its office; hosts the MetroNet core node.", "00266230"),
    Org("mp-bilina", "Městská policie Bílina", "MP Bílina", "founded", False, "Town police, a unit of the town."),
    Org("zs-aleska", "Základní škola, Bílina, Aléská 270, okres Teplice, příspěvková organizace", "ZŠ Aléská",
        "established", False),
    Org("zs-za-chlumem", "Základní škola, Bílina, Za Chlumem 824, okres Teplice, příspěvková organizace",
        "ZŠ Za Chlumem", "established", False),
    Org("zs-lidicka", "Základní škola Bílina, Lidická", "ZŠ Lidická", "established", True,
        "[?] exact registered name not found."),
    Org("zus-bilina", "Základní umělecká škola Gustava Waltera Bílina", "ZUŠ Bílina", "established", False,
        "Registered 2009 as Základní umělecká škola Bílina, příspěvková organizace.", "63788047"),
    Org("ddm-bilina", "Dům dětí a mládeže Bílina", "DDM Bílina", "other", True,
        "[?] founder not confirmed."),
    Org("ms-sibova", "Mateřská škola Bílina - Síbova", "MŠ Síbova", "established", True,
        "Seat Síbova 332; branches Aléská 264 and Žižkovo údolí 275 (with a nursery)."),
    Org("ms-capkova", "Mateřská škola Bílina Čapkova 869, příspěvková organizace", "MŠ Čapkova", "established",
        False, "Seat Čapkova 869; building Za Chlumem 818."),
    Org("ms-svabinskeho", "Mateřská škola Maxe Švabinského", "MŠ Švabinského", "established", True,
        "[?] exact registered name not found. Branch Antonína Sovy 668."),
    Org("knihovna-bilina", "Městská knihovna Bílina", "Knihovna Bílina", "established", True,
        "[?] legal form not confirmed (příspěvková organizace or a unit of the town). Branch on Chlum."),
    Org("kc-bilina", "Kulturní centrum Bílina", "KC Bílina", "established", True,
        "[?] legal form not confirmed. Runs the town theatre and the Fontána culture house."),
    Org("ic-bilina", "Informační centrum Bílina", "IC Bílina", "founded", True,
        "Tourist information: Mírové náměstí and the Kyselka spa area. [?] legal form not in sources."),
    Org("mts-bilina", "Městské technické služby Bílina", "MTS Bílina", "founded", True,
        "[?] legal form not confirmed."),
    Org("plavecka-hala", "Plavecká hala Bílina", "Plavecká hala", "founded", True,
        "Operated by Městské technické služby Bílina."),
    Org("koupaliste-kyselka", "Koupaliště Kyselka", "Koupaliště Kyselka", "other", True,
        "[?] operator not confirmed."),
    Org("zimni-stadion", "Zimní stadion Bílina", "Zimní stadion", "other", True, "[?] operator not confirmed."),
    Org("pecovatelska-sluzba", "Pečovatelská služba Bílina", "Pečovatelská služba", "other", True,
        "[?] legal form not confirmed (the town directory lists it under 'Ostatní organizace')."),
    Org("hnsp-bilina", "Hornická nemocnice s poliklinikou spol. s r.o.", "Hornická nemocnice", "other", True,
        "[?] the town's current ownership share not confirmed."),
]


@dataclass(frozen=True)
class SitePlan:
    """One CSV row: the organization's building, its synthetic position and its (synthetic) connection."""

    csv_name: str
    org: str
    slug: str
    name: str
    part: str  # region slug of the town part (synthetic assignment)
    xy: tuple[int, int]  # metres east / north of the town centre (synthetic)
    status: str  # connection status
    date: str = ""  # connected date (connected) or planned date (other statuses)
    start: str = ""  # construction start
    mbps: int = 1000
    feed: str = ""  # closure the site's drop cable starts at ("" = no cable yet)
    note: str = ""


SITES = [
    SitePlan("Město Bílina – Městský úřad Bílina (IČO 00266230)", "mesto-bilina", "mu-bilina",
             "Městský úřad Bílina", "bilina-stred", (-180, 140), "connected", "2022-03-15", "2021-10-04", 10000,
             note="Core node; the office LAN is patched in the building."),
    SitePlan("Městská policie Bílina", "mp-bilina", "mp-bilina", "Městská policie Bílina", "bilina-stred",
             (-260, 330), "connected", "2022-06-30", "2022-04-11", feed="SC-07"),
    SitePlan("Základní škola, Bílina, Aléská 270, okres Teplice, příspěvková organizace", "zs-aleska",
             "zs-aleska", "ZŠ Aléská 270", "teplicke-predmesti", (1050, 900), "connected", "2022-09-01",
             "2022-06-27", 10000, "SC-08"),
    SitePlan("Základní škola, Bílina, Za Chlumem 824, okres Teplice, příspěvková organizace", "zs-za-chlumem",
             "zs-za-chlumem", "ZŠ Za Chlumem 824", "ujezdske-predmesti", (1150, -1250), "connected",
             "2022-10-14", "2022-07-18", 10000, "SC-09"),
    SitePlan("Základní škola Bílina, Lidická [?] (exact registered name not found)", "zs-lidicka", "zs-lidicka",
             "ZŠ Lidická", "teplicke-predmesti", (1300, 250), "connected", "2023-06-16", "2023-04-03",
             feed="SC-03"),
    SitePlan("Základní umělecká škola Gustava Waltera Bílina (registered 2009 as Základní umělecká škola Bílina, "
             "příspěvková organizace; IČO 63788047)", "zus-bilina", "zus-bilina", "ZUŠ Bílina", "bilina-stred",
             (150, 120), "connected", "2023-04-20", "2023-02-13", feed="SC-01"),
    SitePlan("Dům dětí a mládeže Bílina [?] founder not confirmed", "ddm-bilina", "ddm-bilina", "DDM Bílina",
             "bilina-stred", (-620, -300), "connected", "2024-05-24", "2024-03-18", feed="SC-07"),
    SitePlan("Mateřská škola Bílina - Síbova (seat)", "ms-sibova", "ms-sibova", "MŠ Síbova 332",
             "teplicke-predmesti", (700, 980), "connected", "2023-08-25", "2023-06-19", feed="SC-08"),
    SitePlan("Mateřská škola Bílina - Síbova, pracoviště MŠ Aléská", "ms-sibova", "ms-aleska", "MŠ Aléská 264",
             "teplicke-predmesti", (980, 620), "connected", "2023-08-25", "2023-06-19", feed="SC-08"),
    SitePlan("Mateřská škola Bílina - Síbova, pracoviště MŠ Žižkovo údolí (incl. nursery/jesle)", "ms-sibova",
             "ms-zizkovo-udoli", "MŠ Žižkovo údolí 275", "mostecke-predmesti", (-1050, 320), "connected",
             "2024-06-28", "2024-04-22", feed="SC-06"),
    SitePlan("Mateřská škola Bílina Čapkova 869, příspěvková organizace", "ms-capkova", "ms-capkova",
             "MŠ Čapkova 869", "ujezdske-predmesti", (1100, -900), "construction", "2026-12-15", "2026-09-14",
             feed="SC-09"),
    SitePlan("Mateřská škola Bílina Čapkova 869 – budova MŠ Za Chlumem", "ms-capkova", "ms-za-chlumem",
             "MŠ Za Chlumem 818", "ujezdske-predmesti", (780, -1320), "construction", "2026-12-15", "2026-09-14",
             feed="SC-09"),
    SitePlan("Mateřská škola Maxe Švabinského [?] exact registered name", "ms-svabinskeho", "ms-svabinskeho",
             "MŠ M. Švabinského 664", "prazske-predmesti", (-200, -1200), "connected", "2023-11-17", "2023-09-04",
             feed="SC-05"),
    SitePlan("Mateřská škola Maxe Švabinského – odloučené pracoviště", "ms-svabinskeho", "ms-sovy",
             "MŠ Antonína Sovy 668", "prazske-predmesti", (-400, -1150), "design", "2026-12-18", feed="SC-05"),
    SitePlan("Městská knihovna Bílina [?] legal form (PO vs. city unit)", "knihovna-bilina", "knihovna-bilina",
             "Městská knihovna Bílina", "bilina-stred", (-110, -170), "connected", "2023-04-20", "2023-02-13",
             feed="SC-01"),
    SitePlan("Městská knihovna Bílina – pobočka na Chlumu", "knihovna-bilina", "knihovna-chlum",
             "Knihovna – pobočka Chlum", "ujezdske-predmesti", (1250, -1000), "connected", "2024-03-22",
             "2024-01-29", 100, "SC-09"),
    SitePlan("Kulturní centrum Bílina – Městské divadlo [?] legal form", "kc-bilina", "mestske-divadlo",
             "Městské divadlo Bílina", "bilina-stred", (-430, -420), "construction", "2026-12-31", "2026-10-05",
             feed="SC-07"),
    SitePlan("Kulturní centrum Bílina – Kulturní dům Fontána", "kc-bilina", "kd-fontana", "Kulturní dům Fontána",
             "bilina-stred", (350, -380), "design", "2026-12-31", feed="SC-01"),
    SitePlan("Informační centrum Bílina – Mírové náměstí", "ic-bilina", "ic-namesti", "IC Mírové náměstí",
             "bilina-stred", (190, -140), "connected", "2023-09-12", "2023-07-24", 100, "SC-01"),
    SitePlan("Informační centrum Bílina – na Kyselce", "ic-bilina", "ic-kyselka", "IC Kyselka", "chuderice",
             (1450, -450), "cancelled", "2025-06-30",
             note="Cancelled 2024-11: seasonal office, served over LTE instead."),
    SitePlan("Městské technické služby Bílina [?] legal form", "mts-bilina", "mts-depo", "MTS Bílina – depo",
             "mostecke-predmesti", (-1400, -550), "connected", "2022-11-25", "2022-09-12", 100, "SC-06"),
    SitePlan("Plavecká hala Bílina (operated by Městské technické služby Bílina)", "plavecka-hala",
             "plavecka-hala", "Plavecká hala Bílina", "mostecke-predmesti", (-1150, 150), "connected", "2022-12-09",
             "2022-10-03", feed="SC-06"),
    SitePlan("Koupaliště Kyselka [?] operator", "koupaliste-kyselka", "koupaliste-kyselka", "Koupaliště Kyselka",
             "chuderice", (1600, -600), "planned", "2025-05-31"),
    SitePlan("Zimní stadion Bílina [?] operator", "zimni-stadion", "zimni-stadion", "Zimní stadion Bílina",
             "chuderice", (1500, 300), "planned", "2026-09-30"),
    SitePlan("Pečovatelská služba Bílina [?] legal form (city directory: 'Ostatní organizace')",
             "pecovatelska-sluzba", "pecovatelska-sluzba", "Pečovatelská služba Bílina", "prazske-predmesti",
             (150, -1250), "connected", "2024-02-16", "2023-12-04", feed="SC-05"),
    SitePlan("Hornická nemocnice s poliklinikou spol. s r.o. [?] current ownership share", "hnsp-bilina",
             "hnsp-bilina", "Hornická nemocnice Bílina", "prazske-predmesti", (-450, -1400), "connected",
             "2024-10-11", "2024-07-01", 10000, "SC-05"),
]

TOWN_PARTS = [  # (slug, name, statistical note)
    ("bilina-stred", "Bílina", "Town centre (statistical unit Bílina-střed)."),
    ("chuderice", "Chudeřice", ""),
    ("mostecke-predmesti", "Mostecké Předměstí", ""),
    ("prazske-predmesti", "Pražské Předměstí", ""),
    ("teplicke-predmesti", "Teplické Předměstí", ""),
    ("ujezdske-predmesti", "Újezdské Předměstí", ""),
]

# --- the synthetic plant ----------------------------------------------------------------------------------------

CORE_SITE = "mu-bilina"
# Ring closures in order, clockwise from the core: (name, place, x, y). Closure k drops tube k (fibers 12k-11..12k).
RING = [
    ("SC-01", "Mírové náměstí", 20, -30),
    ("SC-02", "Teplická", 600, 420),
    ("SC-03", "Lidická", 1150, -80),
    ("SC-04", "Za Chlumem", 650, -750),
    ("SC-05", "Pražská", -150, -950),
    ("SC-06", "Žižkovo údolí", -900, -250),
]
# Branch closures fed by a 48-fiber distribution cable from a ring closure: name -> (place, x, y, ring closure).
BRANCHES = {
    "SC-07": ("Husova", -350, -120, "SC-01"),
    "SC-08": ("Aléská", 850, 760, "SC-02"),
    "SC-09": ("Za Chlumem – sídliště", 900, -1050, "SC-04"),
}
RING_STRANDS = 96
CORE_10G_PORTS = [f"Te1/0/{n}" for n in range(5, 17)]
CORE_1G_PORTS = [f"Gi1/0/{n}" for n in range(1, 25)]
