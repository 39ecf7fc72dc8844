"""REST API views of organization profiles, and the root view of the plugin's API."""

from netbox.api.viewsets import NetBoxModelViewSet
from rest_framework.routers import APIRootView

from .. import filtersets
from ..models import OrganizationProfile
from .serializers_organizations import OrganizationProfileSerializer

__all__ = ("MetroNetRootView", "OrganizationProfileViewSet")


class MetroNetRootView(APIRootView):
    """MetroNet API root view"""

    def get_view_name(self):
        return "MetroNet"


class OrganizationProfileViewSet(NetBoxModelViewSet):
    queryset = OrganizationProfile.objects.all()
    serializer_class = OrganizationProfileSerializer
    filterset_class = filtersets.OrganizationProfileFilterSet


#: (URL prefix, viewset) pairs registered by api/urls.py
ROUTES: list = [("organizations", OrganizationProfileViewSet)]
