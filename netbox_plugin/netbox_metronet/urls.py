"""URLs of the plugin: every model's views come from ``@register_model_view``; extra pages are listed here."""

from django.urls import include, path
from utilities.urls import get_model_urls

from . import views  # noqa: F401  (registers the model views)
from .views import coverage as coverage_views
from .views import maps as maps_views
from .views import topology as topology_views
from .views import trace as trace_views

#: model name -> URL prefix
MODELS = {
    "organizationprofile": "organizations",
    "routesegment": "route-segments",
    "fibercable": "fiber-cables",
    "fiberstrand": "fiber-strands",
    "spliceclosure": "splice-closures",
    "splice": "splices",
    "strandtermination": "strand-terminations",
    "connection": "connections",
    "coveragetarget": "coverage-targets",
    "lldpneighbor": "lldp-neighbors",
}

urlpatterns = [*coverage_views.URLS, *trace_views.URLS, *maps_views.URLS, *topology_views.URLS]
for model, plural in MODELS.items():
    urlpatterns += [
        path(f"{plural}/", include(get_model_urls("netbox_metronet", model, detail=False))),
        path(f"{plural}/<int:pk>/", include(get_model_urls("netbox_metronet", model))),
    ]
