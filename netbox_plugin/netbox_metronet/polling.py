"""What the MetroNet collectors read from NetBox to know what to poll: custom fields on core objects.

The collectors (``collectors/metronet_collectors/netbox_source.py``) poll the **active** devices with a
**primary IP** whose custom field ``metronet_poll`` is true, with these per-device custom fields:

- ``metronet_snmp_credential`` — the *name* of an SNMP credential in the collector's configuration
  (``auths``); the community or SNMPv3 keys live only in the collector's environment or secrets file,
  never in NetBox;
- ``metronet_snmp_port`` — optional UDP port of the agent (default: the collector's ``snmp.port``);
- ``metronet_napalm_driver`` — optional NAPALM driver (``ios``, ``eos``, ``junos`` …) for what SNMP lacks;

and on interfaces ``metronet_link_role`` (backbone / access / uplink). The organization an interface
serves is not a custom field: it is the tenant of the connected MetroNet ``Connection`` whose
``access_interfaces`` include it.

:func:`ensure_custom_fields` creates these fields (and the choice set of link roles) and is idempotent:
it creates what is missing, adds missing object types, and never changes the type of an existing field
or deletes data. It runs after migrations (:func:`post_migrate_handler`) or from the sample loader.
"""

import logging

from core.models import ObjectType
from dcim.models import Device, Interface
from django.db import transaction
from extras.choices import CustomFieldTypeChoices
from extras.models import CustomField, CustomFieldChoiceSet

logger = logging.getLogger("netbox_metronet.polling")

GROUP = "MetroNet polling"
LINK_ROLE_CHOICE_SET = "MetroNet link roles"
LINK_ROLES = (("backbone", "Backbone"), ("access", "Access"), ("uplink", "Uplink"))

# name → definition; "model" is the object type the field applies to.
CUSTOM_FIELDS = {
    "metronet_poll": {
        "model": Device,
        "type": CustomFieldTypeChoices.TYPE_BOOLEAN,
        "label": "Poll (MetroNet)",
        "description": "MetroNet collectors poll this device (it must also be active and have a primary IP)",
        "default": False,
    },
    "metronet_snmp_credential": {
        "model": Device,
        "type": CustomFieldTypeChoices.TYPE_TEXT,
        "label": "SNMP credential name",
        "description": "Name of an SNMP credential in the collector configuration (auths) — never the secret itself",
        "validation_regex": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
    },
    "metronet_snmp_port": {
        "model": Device,
        "type": CustomFieldTypeChoices.TYPE_INTEGER,
        "label": "SNMP port",
        "description": "UDP port of the SNMP agent (empty: the collector's default, usually 161)",
        "validation_minimum": 1,
        "validation_maximum": 65535,
    },
    "metronet_napalm_driver": {
        "model": Device,
        "type": CustomFieldTypeChoices.TYPE_TEXT,
        "label": "NAPALM driver",
        "description": "NAPALM driver for data SNMP lacks (ios, eos, junos, nxos …); empty: SNMP only",
        "validation_regex": r"^[a-z][a-z0-9_]{0,31}$",
    },
    "metronet_link_role": {
        "model": Interface,
        "type": CustomFieldTypeChoices.TYPE_SELECT,
        "label": "Link role",
        "description": "Role of the link on this interface in the metropolitan network (collector tag `role`)",
        "choice_set": LINK_ROLE_CHOICE_SET,
    },
}


def _choice_set():
    choice_set, created = CustomFieldChoiceSet.objects.get_or_create(
        name=LINK_ROLE_CHOICE_SET,
        defaults={
            "description": "Roles of links in the metropolitan network",
            "extra_choices": [list(choice) for choice in LINK_ROLES],
        },
    )
    if not created:
        have = {value for value, _label in choice_set.extra_choices or ()}
        missing = [list(choice) for choice in LINK_ROLES if choice[0] not in have]
        if missing:  # add missing roles; keep whatever an administrator added
            choice_set.extra_choices = [*(choice_set.extra_choices or []), *missing]
            choice_set.full_clean()
            choice_set.save()
    return choice_set


@transaction.atomic
def ensure_custom_fields():
    """Create the MetroNet polling custom fields if missing; returns {field name: created/updated/unchanged}.

    Existing fields keep their label, description and data; only a missing object type or choice set is
    added. A field of the same name but another type is left alone and logged as an error (changing the
    type would lose data).
    """
    result = {}
    choice_set = None
    for name, spec in CUSTOM_FIELDS.items():
        spec = dict(spec)
        object_type = ObjectType.objects.get_for_model(spec.pop("model"))
        if spec.get("choice_set"):
            choice_set = choice_set or _choice_set()
            spec["choice_set"] = choice_set
        field = CustomField.objects.filter(name=name).first()
        if field is None:
            field = CustomField(name=name, group_name=GROUP, required=False, **spec)
            field.full_clean()
            field.save()
            field.object_types.set([object_type])
            result[name] = "created"
            logger.info("created custom field %s", name)
            continue
        if field.type != spec["type"]:
            logger.error(
                "custom field %s exists with type %s, expected %s: left unchanged (the collectors may misread it)",
                name, field.type, spec["type"],
            )
            result[name] = "conflict"
            continue
        changed = False
        if spec.get("choice_set") and field.choice_set_id is None:
            field.choice_set = spec["choice_set"]
            field.full_clean()
            field.save()
            changed = True
        if not field.object_types.filter(pk=object_type.pk).exists():
            field.object_types.add(object_type)
            changed = True
        result[name] = "updated" if changed else "unchanged"
    return result


def post_migrate_handler(sender, **kwargs):
    """``post_migrate`` receiver (connect with ``sender=`` the plugin's AppConfig): ensure the fields exist."""
    ensure_custom_fields()
