"""``netbox_metronet.polling``: the custom fields the collectors read, and the collector's NetBox device
source (``metronet_collectors.netbox_source``, pynetbox) run against NetBox's real REST API views.

The second part routes pynetbox's HTTP requests through Django's test client (same URLs, query strings,
headers and JSON as over the network), so NetBox's own filtersets and serializers answer the collector's
queries inside the test transaction.
"""

import json
import urllib.parse
from types import SimpleNamespace

from dcim.models import Device, DeviceRole, DeviceType, Interface, Manufacturer, Site
from django.test import TestCase, override_settings
from extras.choices import CustomFieldTypeChoices
from extras.models import CustomField, CustomFieldChoiceSet
from ipam.models import IPAddress
from tenancy.models import Tenant
from utilities.testing import APITestCase
from utilities.testing.api import TOKEN_PREFIX

from netbox_metronet.models import Connection
from netbox_metronet.polling import CUSTOM_FIELDS, LINK_ROLE_CHOICE_SET, ensure_custom_fields


class EnsureCustomFieldsTestCase(TestCase):
    def setUp(self):
        # Start from a database without them, also once ensure_custom_fields() runs after migrations
        # (simulated here: created, then removed).
        ensure_custom_fields()
        CustomField.objects.filter(name__in=CUSTOM_FIELDS).delete()
        CustomFieldChoiceSet.objects.filter(name=LINK_ROLE_CHOICE_SET).delete()

    def test_creates_fields_once(self):
        first = ensure_custom_fields()
        self.assertEqual(first, dict.fromkeys(CUSTOM_FIELDS, "created"))
        second = ensure_custom_fields()
        self.assertEqual(second, dict.fromkeys(CUSTOM_FIELDS, "unchanged"))
        self.assertEqual(CustomField.objects.filter(name__startswith="metronet_").count(), len(CUSTOM_FIELDS))

        poll = CustomField.objects.get(name="metronet_poll")
        self.assertEqual(poll.type, CustomFieldTypeChoices.TYPE_BOOLEAN)
        self.assertEqual([ot.model for ot in poll.object_types.all()], ["device"])
        role = CustomField.objects.get(name="metronet_link_role")
        self.assertEqual(role.type, CustomFieldTypeChoices.TYPE_SELECT)
        self.assertEqual([ot.model for ot in role.object_types.all()], ["interface"])
        self.assertEqual([c[0] for c in role.choice_set.choices], ["backbone", "access", "uplink"])
        port = CustomField.objects.get(name="metronet_snmp_port")
        self.assertEqual((port.validation_minimum, port.validation_maximum), (1, 65535))

    def test_repairs_missing_object_type_and_choices_and_keeps_edits(self):
        ensure_custom_fields()
        field = CustomField.objects.get(name="metronet_snmp_credential")
        field.label = "Credential (edited by an admin)"
        field.save()
        field.object_types.clear()
        choice_set = CustomFieldChoiceSet.objects.get(name=LINK_ROLE_CHOICE_SET)
        choice_set.extra_choices = [["backbone", "Backbone"], ["ring", "Ring"]]
        choice_set.save()

        result = ensure_custom_fields()
        self.assertEqual(result["metronet_snmp_credential"], "updated")
        field.refresh_from_db()
        self.assertEqual(field.label, "Credential (edited by an admin)")
        self.assertEqual([ot.model for ot in field.object_types.all()], ["device"])
        choice_set.refresh_from_db()
        self.assertEqual([c[0] for c in choice_set.extra_choices], ["backbone", "ring", "access", "uplink"])

    def test_field_of_another_type_is_left_alone(self):
        CustomField.objects.create(name="metronet_poll", type=CustomFieldTypeChoices.TYPE_TEXT)
        with self.assertLogs("netbox_metronet.polling", level="ERROR"):
            result = ensure_custom_fields()
        self.assertEqual(result["metronet_poll"], "conflict")
        self.assertEqual(CustomField.objects.get(name="metronet_poll").type, CustomFieldTypeChoices.TYPE_TEXT)


class _Response:
    """The part of requests.Response pynetbox uses, from a Django test response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.ok = response.status_code < 400
        self.headers = response.headers
        self.content = response.content
        self.text = response.content.decode()
        self.reason = response.reason_phrase
        self.url = ""
        self.request = SimpleNamespace(body=None)

    def json(self):
        return json.loads(self.content)


class _DjangoSession:
    """pynetbox's ``http_session`` routed through Django's test client; records the requests made."""

    def __init__(self, client):
        self.client = client
        self.calls = []

    def get(self, url, headers=None, params=None, json=None):
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        for key, value in (params or {}).items():
            query[key] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        self.calls.append((parts.path, query))
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()}
        return _Response(self.client.get(parts.path, query, **extra))


@override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
class CollectorSourceAgainstNetBoxAPITestCase(APITestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_custom_fields()
        manufacturer = Manufacturer.objects.create(name="Cisco", slug="cisco")
        device_type = DeviceType.objects.create(manufacturer=manufacturer, model="C9300-24S", slug="c9300-24s")
        role = DeviceRole.objects.create(name="Access switch", slug="access-switch")
        town = Tenant.objects.create(name="Město Bílina", slug="mesto-bilina")
        school = Tenant.objects.create(name="ZŠ Aléská 270", slug="zs-aleska")
        planned_org = Tenant.objects.create(name="Plavecká hala", slug="plavecka-hala")
        core_site = Site.objects.create(name="MÚ Bílina", slug="mu-bilina", tenant=town)
        school_site = Site.objects.create(name="ZŠ Aléská", slug="zs-aleska", tenant=school)
        pool_site = Site.objects.create(name="Plavecká hala", slug="plavecka-hala", tenant=planned_org)

        def make(name, site, n, status="active", ip=None, **cf):
            dev = Device.objects.create(
                name=name, device_type=device_type, role=role, site=site, tenant=site.tenant, status=status
            )
            interfaces = [
                Interface.objects.create(device=dev, name=f"Gi1/0/{i}", type="1000base-x-sfp") for i in range(1, n + 1)
            ]
            if ip:
                address = IPAddress.objects.create(address=ip, assigned_object=interfaces[0])
                dev.primary_ip4 = address
            dev.custom_field_data.update(cf)
            dev.save()
            return dev, interfaces

        cls.core, core_ifs = make(
            "sw-mu-core", core_site, 4, ip="10.1.0.1/24", metronet_poll=True,
            metronet_snmp_credential="core-v3", metronet_napalm_driver="ios",
        )
        cls.school_sw, school_ifs = make(
            "sw-zs-aleska", school_site, 2, ip="10.1.1.4/24", metronet_poll=True,
            metronet_snmp_credential="public-v2", metronet_snmp_port=16104,
        )
        make("sw-no-cred", school_site, 1, ip="10.1.1.5/24", metronet_poll=True)
        make("sw-offline", school_site, 1, status="offline", ip="10.1.1.6/24", metronet_poll=True,
             metronet_snmp_credential="public-v2")
        make("sw-no-ip", school_site, 1, metronet_poll=True, metronet_snmp_credential="public-v2")
        make("sw-not-polled", school_site, 1, ip="10.1.1.7/24", metronet_snmp_credential="public-v2")
        for itf, value in ((core_ifs[0], "backbone"), (core_ifs[1], "access"), (school_ifs[0], "uplink")):
            itf.custom_field_data["metronet_link_role"] = value
            itf.save()
        connected = Connection.objects.create(tenant=school, site=school_site, status="connected")
        connected.access_interfaces.set([core_ifs[1], school_ifs[0], school_ifs[1]])
        planned = Connection.objects.create(tenant=planned_org, site=pool_site, status="planned")
        planned.access_interfaces.set([core_ifs[2]])

    def test_collector_source_reads_the_real_api(self):
        from metronet_collectors.config import NetBoxConfig, Secret
        from metronet_collectors.model import InterfaceMeta
        from metronet_collectors.netbox_source import NetBoxDeviceSource, make_api

        config = NetBoxConfig(
            url="http://testserver", token=Secret(f"{TOKEN_PREFIX}{self.token.key}.{self.token.token}"), page_size=2
        )
        api = make_api(config)
        api.http_session = session = _DjangoSession(self.client)
        source = NetBoxDeviceSource(config, known_credentials={"core-v3", "public-v2"}, api=api)

        devices = {d.name: d for d in source.fetch()}

        self.assertEqual(sorted(devices), ["sw-mu-core", "sw-zs-aleska"])
        core, school_sw = devices["sw-mu-core"], devices["sw-zs-aleska"]
        self.assertEqual(
            (core.address, core.port, core.credential, core.napalm_driver, core.site, core.role, core.organization),
            ("10.1.0.1", 161, "core-v3", "ios", "MÚ Bílina", "access-switch", "Město Bílina"),
        )
        self.assertEqual((school_sw.address, school_sw.port, school_sw.credential), ("10.1.1.4", 16104, "public-v2"))
        self.assertEqual(
            core.interfaces,
            {"Gi1/0/1": InterfaceMeta("backbone", ""), "Gi1/0/2": InterfaceMeta("access", "ZŠ Aléská 270")},
        )
        self.assertEqual(
            school_sw.interfaces,
            {"Gi1/0/1": InterfaceMeta("uplink", "ZŠ Aléská 270"), "Gi1/0/2": InterfaceMeta("", "ZŠ Aléská 270")},
        )
        self.assertEqual([(p.device, p.reason) for p in source.problems], [("sw-no-cred", "no_credential")])
        # NetBox did the filtering (the source re-checks, but must not have to page through everything).
        device_pages = [q for path, q in session.calls if path == "/api/dcim/devices/"]
        self.assertEqual(len(device_pages), 2)  # 3 matching devices, 2 per page
        self.assertTrue(all(call[0].startswith("/api/") for call in session.calls))

    def test_wrong_token_is_an_auth_error(self):
        from metronet_collectors.config import NetBoxConfig, Secret
        from metronet_collectors.inventory import InventoryError
        from metronet_collectors.netbox_source import NetBoxDeviceSource, make_api

        config = NetBoxConfig(url="http://testserver", token=Secret(f"{TOKEN_PREFIX}nosuchkey.nosuchtoken"))
        api = make_api(config)
        api.http_session = _DjangoSession(self.client)
        with self.assertRaises(InventoryError) as error:
            NetBoxDeviceSource(config, known_credentials={"v2"}, api=api).fetch()
        self.assertEqual(error.exception.reason, "auth")
