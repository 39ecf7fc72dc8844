"""LLDP neighbors as the collectors saw them: the "built" side of planned vs built.

Each row is one neighbor seen on one local interface of a NetBox device::

    sw-zs-aleska Gi1/0/9  ──LLDP──▶  remote system "sw-mu-agg", port "Gi1/0/3", chassis 00:1b:..
    (device FK, local interface FK + the name as reported)      (strings as the neighbor announced them)

Rows are written by the collectors through ``POST /api/plugins/metronet/lldp-neighbors/report/`` (a full
snapshot per device: new neighbors are created, seen ones get a new ``last_seen`` and keep ``first_seen``,
the others are deleted); people read them, compare them with the planned links, and may delete them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from netbox.models import NetBoxModel

__all__ = ("LldpNeighbor",)


class LldpNeighbor(NetBoxModel):
    """One LLDP neighbor seen on a local interface of a device (read-mostly: written by the collectors)."""

    device = models.ForeignKey(
        to="dcim.Device", on_delete=models.CASCADE, related_name="metronet_lldp_neighbors",
        verbose_name=_("device"),
    )
    local_interface = models.ForeignKey(
        to="dcim.Interface", on_delete=models.SET_NULL, related_name="metronet_lldp_neighbors",
        blank=True, null=True, verbose_name=_("local interface"),
        help_text=_("The device's interface the neighbor was seen on (empty when the interface was deleted)"),
    )
    local_interface_name = models.CharField(
        verbose_name=_("local interface name"), max_length=64,
        help_text=_("The local interface as the collector reported it"),
    )
    remote_system = models.CharField(
        verbose_name=_("remote system"), max_length=255, blank=True,
        help_text=_("LLDP system name of the neighbor (empty when it does not announce one)"),
    )
    remote_port = models.CharField(
        verbose_name=_("remote port"), max_length=255, blank=True, help_text=_("LLDP port ID of the neighbor"),
    )
    remote_port_description = models.CharField(
        verbose_name=_("remote port description"), max_length=255, blank=True,
    )
    remote_chassis_id = models.CharField(verbose_name=_("remote chassis ID"), max_length=255, blank=True)
    first_seen = models.DateTimeField(verbose_name=_("first seen"))
    last_seen = models.DateTimeField(verbose_name=_("last seen"))

    class Meta:
        ordering = ("device", "local_interface_name", "remote_system", "remote_port", "pk")
        verbose_name = _("LLDP neighbor")
        verbose_name_plural = _("LLDP neighbors")
        constraints = (
            models.UniqueConstraint(
                fields=("device", "local_interface_name", "remote_system", "remote_port", "remote_chassis_id"),
                name="netbox_metronet_lldpneighbor_unique_neighbor",
                violation_error_message=_("This neighbor is already recorded on this interface."),
            ),
        )

    def __str__(self):
        return f"{self.device} {self.local_interface_name} → {self.remote_system} {self.remote_port}"

    def get_absolute_url(self):
        return reverse("plugins:netbox_metronet:lldpneighbor", args=[self.pk])
