"""Rollout panels on NetBox core pages: a tenant's MetroNet profile and connections, a site's connections.

Every query goes through ``.restrict(user, "view")``, so a user sees only the profiles and connections their
object permissions allow; without ``view_connection`` the connections panel is not rendered at all.
"""

from django.urls import reverse
from django.utils.http import urlencode
from netbox.plugins import PluginTemplateExtension

from .models import Connection, OrganizationProfile
from .tables import ConnectionTable

__all__ = ("EXTENSIONS", "SiteConnections", "TenantOrganizationProfile")

CONNECTIONS_TEMPLATE = "netbox_metronet/inc/rollout_connections.html"


def connections_panel(extension, filters: dict, exclude: tuple, add_params: dict):
    """Render the connections matching ``filters`` that the user may view, as a table without the ``exclude``
    columns, with an "add" button prefilled with ``add_params`` (when the user may add connections)."""
    request = extension.context["request"]
    user = request.user
    if not user.has_perm("netbox_metronet.view_connection"):
        return ""
    connections = (
        Connection.objects.restrict(user, "view")
        .filter(**filters)
        .select_related("tenant__metronet_profile", "site", "strand__cable")
        .prefetch_related("access_interfaces__device", "tags")
    )
    table = ConnectionTable(connections, exclude=exclude, orderable=False)
    table.configure(request)
    add_url = None
    if user.has_perm("netbox_metronet.add_connection"):
        params = {**add_params, "return_url": extension.context["object"].get_absolute_url()}
        add_url = f"{reverse('plugins:netbox_metronet:connection_add')}?{urlencode(params)}"
    return extension.render(CONNECTIONS_TEMPLATE, extra_context={"table": table, "add_url": add_url})


class TenantOrganizationProfile(PluginTemplateExtension):
    """On a tenant: its MetroNet profile (or a button to create one, prefilled with the tenant) and its
    connections."""

    models = ["tenancy.tenant"]

    def right_page(self):
        tenant = self.context["object"]
        user = self.context["request"].user
        profile = (
            OrganizationProfile.objects.restrict(user, "view")
            .select_related("town_part", "contact")
            .filter(tenant=tenant)
            .first()
        )
        add_url = None
        if profile is None:
            if OrganizationProfile.objects.filter(tenant=tenant).exists():
                # There is a profile, but not one this user may see.
                return ""
            if not user.has_perm("netbox_metronet.add_organizationprofile"):
                return ""
            params = {"tenant": tenant.pk, "return_url": tenant.get_absolute_url()}
            add_url = f"{reverse('plugins:netbox_metronet:organizationprofile_add')}?{urlencode(params)}"
        return self.render(
            "netbox_metronet/inc/rollout_tenant_profile.html", extra_context={"profile": profile, "add_url": add_url}
        )

    def full_width_page(self):
        tenant = self.context["object"]
        return connections_panel(self, {"tenant": tenant}, exclude=("tenant",), add_params={"tenant": tenant.pk})


class SiteConnections(PluginTemplateExtension):
    """On a site: the MetroNet connections of the site."""

    models = ["dcim.site"]

    def full_width_page(self):
        site = self.context["object"]
        add_params = {"site": site.pk}
        if site.tenant_id:
            add_params["tenant"] = site.tenant_id
        return connections_panel(self, {"site": site}, exclude=("site",), add_params=add_params)


#: PluginTemplateExtension classes registered by template_content.py
EXTENSIONS: list = [TenantOrganizationProfile, SiteConnections]
