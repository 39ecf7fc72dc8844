"""Choice sets of the MetroNet models.

Sets with a ``key`` can be replaced or extended by NetBox's ``FIELD_CHOICES`` setting, e.g.::

    FIELD_CHOICES = {
        "netbox_metronet.OrganizationProfile.org_type+": [("library", "Library", "teal")],
    }
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from utilities.choices import Choice, ChoiceSet

__all__ = (
    "ConnectionStatusChoices",
    "FiberTypeChoices",
    "OrganizationTypeChoices",
    "PlantStatusChoices",
    "RouteSegmentKindChoices",
    "SpliceClosureKindChoices",
    "StrandStatusChoices",
    "TownRelationChoices",
    "CableEndChoices",
)


class OrganizationTypeChoices(ChoiceSet):
    key = "OrganizationProfile.org_type"

    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    OFFICE = "office"
    CULTURE = "culture"
    SPORT = "sport"
    POLICE = "police"
    SOCIAL = "social"
    HEALTH = "health"
    UTILITY = "utility"
    COMPANY = "company"
    OTHER = "other"

    CHOICES = [
        Choice(SCHOOL, _("School"), color="blue"),
        Choice(KINDERGARTEN, _("Kindergarten"), color="cyan"),
        Choice(OFFICE, _("Town office"), color="indigo"),
        Choice(CULTURE, _("Culture"), color="purple"),
        Choice(SPORT, _("Sport"), color="green"),
        Choice(POLICE, _("Police"), color="dark"),
        Choice(SOCIAL, _("Social services"), color="orange"),
        Choice(HEALTH, _("Health"), color="red"),
        Choice(UTILITY, _("Utility / technical services"), color="yellow"),
        Choice(COMPANY, _("Company"), color="teal"),
        Choice(OTHER, _("Other"), color="gray"),
    ]


class TownRelationChoices(ChoiceSet):
    key = "OrganizationProfile.town_relation"

    ESTABLISHED = "established"
    FOUNDED = "founded"
    OTHER = "other"

    CHOICES = [
        Choice(ESTABLISHED, _("Established by the town"), color="green",
               description=_("A contributory organization (příspěvková organizace) established by the town")),
        Choice(FOUNDED, _("Founded by the town"), color="teal",
               description=_("A company founded or owned by the town, or a unit of the town office")),
        Choice(OTHER, _("Other"), color="gray", description=_("Not established or founded by the town")),
    ]


class PlantStatusChoices(ChoiceSet):
    """Life cycle of outside-plant objects (route segments, cables, closures)."""

    key = "FiberPlant.status"

    PLANNED = "planned"
    CONSTRUCTION = "construction"
    ACTIVE = "active"
    DECOMMISSIONED = "decommissioned"

    CHOICES = [
        Choice(PLANNED, pgettext_lazy("metronet", "Planned"), color="cyan"),
        Choice(CONSTRUCTION, _("Under construction"), color="yellow"),
        Choice(ACTIVE, _("Active"), color="green"),
        Choice(DECOMMISSIONED, _("Decommissioned"), color="red"),
    ]


class RouteSegmentKindChoices(ChoiceSet):
    key = "RouteSegment.kind"

    DUCT = "duct"
    MICRODUCT = "microduct"
    AERIAL = "aerial"
    DIRECT_BURIED = "direct-buried"

    CHOICES = [
        Choice(DUCT, _("Duct"), color="blue"),
        Choice(MICRODUCT, _("Microduct"), color="cyan"),
        Choice(AERIAL, _("Aerial"), color="orange"),
        Choice(DIRECT_BURIED, _("Direct-buried"), color="brown"),
    ]


class FiberTypeChoices(ChoiceSet):
    """Fiber types; the keys index ``attenuation_db_per_km`` in ``PLUGINS_CONFIG``."""

    key = "FiberCable.fiber_type"

    G652D = "g652d"
    G657A1 = "g657a1"
    G657A2 = "g657a2"
    G655 = "g655"
    OM3 = "om3"
    OM4 = "om4"

    CHOICES = [
        (_("Single-mode"), [
            Choice(G652D, "G.652.D"),
            Choice(G657A1, "G.657.A1"),
            Choice(G657A2, "G.657.A2"),
            Choice(G655, "G.655"),
        ]),
        (_("Multi-mode"), [
            Choice(OM3, "OM3"),
            Choice(OM4, "OM4"),
        ]),
    ]


class StrandStatusChoices(ChoiceSet):
    key = "FiberStrand.status"

    AVAILABLE = "available"
    RESERVED = "reserved"
    ACTIVE = "active"
    FAULTY = "faulty"

    CHOICES = [
        Choice(AVAILABLE, pgettext_lazy("metronet", "Available"), color="green"),
        Choice(RESERVED, pgettext_lazy("metronet", "Reserved"), color="yellow"),
        Choice(ACTIVE, _("Active (lit)"), color="blue"),
        Choice(FAULTY, pgettext_lazy("metronet", "Faulty"), color="red"),
    ]


class SpliceClosureKindChoices(ChoiceSet):
    key = "SpliceClosure.kind"

    DOME = "dome"
    INLINE = "inline"
    CABINET = "cabinet"
    WALL_BOX = "wall-box"

    CHOICES = [
        Choice(DOME, _("Dome closure")),
        Choice(INLINE, _("In-line closure")),
        Choice(CABINET, _("Street cabinet")),
        Choice(WALL_BOX, _("Wall box")),
    ]


class ConnectionStatusChoices(ChoiceSet):
    key = "Connection.status"

    PLANNED = "planned"
    DESIGN = "design"
    CONSTRUCTION = "construction"
    CONNECTED = "connected"
    CANCELLED = "cancelled"

    CHOICES = [
        Choice(PLANNED, pgettext_lazy("metronet", "Planned"), color="cyan"),
        Choice(DESIGN, _("Design"), color="blue"),
        Choice(CONSTRUCTION, _("Construction"), color="yellow"),
        Choice(CONNECTED, _("Connected"), color="green"),
        Choice(CANCELLED, _("Cancelled"), color="gray"),
    ]

    #: Statuses counted as "in progress" on the coverage page.
    IN_PROGRESS = (DESIGN, CONSTRUCTION)


class CableEndChoices(ChoiceSet):
    A = "A"
    B = "B"

    CHOICES = [
        (A, "A"),
        (B, "B"),
    ]
