"""MetroNet: the metropolitan fiber network's inventory, fiber plant and rollout, as a NetBox plugin."""

from django.utils.translation import gettext_lazy as _
from netbox.plugins import PluginConfig

__version__ = "0.1.0"


class MetroNetConfig(PluginConfig):
    name = "netbox_metronet"
    verbose_name = _("MetroNet")
    description = _("Metropolitan fiber network: organizations, fiber plant, fiber traces and rollout coverage")
    version = __version__
    author = "MetroNet developers"
    base_url = "metronet"
    min_version = "4.7.0"
    max_version = "4.7.99"
    graphql_schema = "graphql.schema.schema"
    default_settings = {
        # Fiber attenuation in dB/km by fiber type and wavelength (nm), used by the loss budget of a trace.
        # Values are the usual planning maxima of ITU-T G.652.D / G.657 single-mode fiber.
        "attenuation_db_per_km": {
            "g652d": {"1310": 0.35, "1550": 0.22},
            "g657a1": {"1310": 0.35, "1550": 0.22},
            "g657a2": {"1310": 0.35, "1550": 0.22},
            "g655": {"1310": 0.40, "1550": 0.23},
            "om3": {"850": 3.0, "1300": 1.0},
            "om4": {"850": 3.0, "1300": 1.0},
        },
        # Loss assumed for a fusion splice without a measured value, and for each connector (mated pair).
        "splice_loss_db": 0.1,
        "connector_loss_db": 0.5,
        # Wavelengths (nm) shown in a trace's loss budget.
        "wavelengths": [1310, 1550],
        # Safety margin (dB) added to a computed budget.
        "budget_margin_db": 3.0,
        # Site names (or slugs) of the network core, for topology answers (cut impact, single points of
        # failure). None: the site(s) of the town office (organization type "office") that have devices.
        "core_sites": None,
        # Seconds a loaded and compiled topology is kept per worker process, keyed by a version of the inventory
        # (docs/topology.md, "Caching"); also the maximum age of an entry. 0 disables the cache.
        "topology_cache_seconds": 300,
        # Map background (docs/maps.md): a tile URL template such as "https://tile.example.org/{z}/{x}/{y}.png"
        # and its attribution. Empty: a plain background, and the map makes no request outside NetBox.
        "map_tile_url": "",
        "map_tile_attribution": "",
        # Live status on the network view (docs/maps.md): InfluxDB 1.x /query of the collectors' data.
        # Empty url: every status is "unknown".
        "influxdb": {"url": "", "database": "metronet", "timeout": 2.0},
    }

    def ready(self):
        super().ready()
        from django.db.models.signals import post_migrate

        from .polling import post_migrate_handler
        from .topology_cache import connect_signals

        # The custom fields the collectors read (metronet_poll, metronet_link_role, ...) exist after every migrate.
        post_migrate.connect(post_migrate_handler, sender=self, dispatch_uid="netbox_metronet.ensure_custom_fields")
        # Saves and deletes of what the topology is loaded from clear this process's topology cache.
        connect_signals()


config = MetroNetConfig
