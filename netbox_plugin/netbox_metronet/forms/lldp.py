"""List-filter form of LLDP neighbors (the neighbors are written by the collectors, not edited in forms)."""

from dcim.models import Device, Interface, Site
from django import forms
from django.utils.translation import gettext_lazy as _
from netbox.forms import NetBoxModelFilterSetForm
from utilities.forms.fields import DynamicModelMultipleChoiceField, TagFilterField
from utilities.forms.rendering import FieldSet
from utilities.forms.widgets import DateTimePicker

from ..models import LldpNeighbor

__all__ = ("LldpNeighborFilterForm",)


class LldpNeighborFilterForm(NetBoxModelFilterSetForm):
    model = LldpNeighbor
    fieldsets = (
        FieldSet("q", "filter_id", "tag"),
        FieldSet("site_id", "device_id", "local_interface_id", name=_("Local end")),
        FieldSet("remote_system", "remote_port", name=_("Neighbor")),
        FieldSet("last_seen__gte", "last_seen__lte", name=_("Seen")),
    )
    site_id = DynamicModelMultipleChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)
    device_id = DynamicModelMultipleChoiceField(
        label=_("Device"), queryset=Device.objects.all(), required=False, query_params={"site_id": "$site_id"}
    )
    local_interface_id = DynamicModelMultipleChoiceField(
        label=_("Local interface"), queryset=Interface.objects.all(), required=False,
        query_params={"device_id": "$device_id"},
    )
    remote_system = forms.CharField(label=_("Remote system"), required=False)
    remote_port = forms.CharField(label=_("Remote port"), required=False)
    last_seen__gte = forms.DateTimeField(label=_("Last seen after"), required=False, widget=DateTimePicker())
    last_seen__lte = forms.DateTimeField(label=_("Last seen before"), required=False, widget=DateTimePicker())
    tag = TagFilterField(model)
