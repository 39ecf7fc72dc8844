"""The "Coverage status" panel on a tenant's page: the organization's state and its standing toward each target."""

from netbox.plugins import PluginTemplateExtension

from .coverage import organization_status
from .models import Connection, CoverageTarget, OrganizationProfile

__all__ = ("EXTENSIONS", "TenantCoverageStatus")


class TenantCoverageStatus(PluginTemplateExtension):
    """Shown to users who may view connections, on tenants that have a MetroNet organization profile."""

    models = ["tenancy.tenant"]

    def right_page(self):
        user = self.context["request"].user
        if not user.has_perm("netbox_metronet.view_connection"):
            return ""
        status = organization_status(
            self.context["object"],
            profiles=OrganizationProfile.objects.restrict(user, "view"),
            connections=Connection.objects.restrict(user, "view"),
            targets=CoverageTarget.objects.restrict(user, "view"),
        )
        if status is None:
            return ""
        return self.render("netbox_metronet/inc/coverage_tenant_panel.html", extra_context={"status": status})


#: PluginTemplateExtension classes registered by template_content.py
EXTENSIONS: list = [TenantCoverageStatus]
