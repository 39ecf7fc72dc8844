from netbox.api.routers import NetBoxRouter

from . import views_lldp, views_maps, views_organizations, views_plant, views_reports, views_rollout, views_topology

app_name = "netbox_metronet"

router = NetBoxRouter()
router.APIRootView = views_organizations.MetroNetRootView
for module in (views_organizations, views_plant, views_rollout, views_lldp):
    for prefix, viewset in module.ROUTES:
        router.register(prefix, viewset)

urlpatterns = [*views_reports.URLS, *views_topology.URLS, *views_maps.URLS, *views_lldp.URLS, *router.urls]
