"""Sections that become NetBox core objects: regions, tenants (organizations), sites, equipment, cables.

Natural keys: regions, tenant groups, tenants, sites, manufacturers, device roles and device types by slug;
contacts, devices, interfaces and ports by name; a cable by its two ends.
"""

from decimal import Decimal

from dcim.models import (
    Cable,
    CableTermination,
    Device,
    DeviceRole,
    DeviceType,
    FrontPort,
    FrontPortTemplate,
    Interface,
    InterfaceTemplate,
    Manufacturer,
    PortMapping,
    PortTemplateMapping,
    RearPort,
    RearPortTemplate,
    Region,
    Site,
)
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from tenancy.models import Contact, Tenant, TenantGroup

from ..models import OrganizationProfile
from .base import CREATED, Loader, pick
from .schema import expand_names

__all__ = ("load_core",)

COORDINATE = Decimal("0.000001")
PORT_KINDS = {"interface": Interface, "front_port": FrontPort, "rear_port": RearPort}


def coordinate(value):
    return None if value is None else Decimal(str(value)).quantize(COORDINATE)


def load_nested(ld: Loader, section: str, entries: list, model) -> None:
    """Regions and tenant groups: ``name``, ``slug``, ``parent`` (slug), ``description``."""
    for i, e in enumerate(entries):
        path = f"{section}[{i}]"
        values = {"name": e["name"], **pick(e, "description")}
        if "parent" in e:
            values["parent"] = ld.opt_ref(e, "parent", path, model)
        obj = ld.put(path, model, {"slug": e["slug"]}, values)
        ld.remember(model, obj, slug=e["slug"])


def load_organizations(ld: Loader, entries: list) -> None:
    """Each organization is a tenant, its MetroNet profile and (optionally) a contact."""
    for i, e in enumerate(entries):
        path = f"organizations[{i}]"
        values = {"name": e["name"], **pick(e, "description", "comments")}
        if "group" in e:
            values["group"] = ld.opt_ref(e, "group", path, TenantGroup)
        tenant = ld.put(path, Tenant, {"slug": e["slug"]}, values)
        ld.remember(Tenant, tenant, slug=e["slug"])
        profile = pick(e, "org_type", "town_relation", "company_id")
        if "town_part" in e:
            profile["town_part"] = ld.opt_ref(e, "town_part", path, Region)
        if e.get("contact"):
            c = e["contact"]
            profile["contact"] = ld.put(f"{path}.contact", Contact, {"name": c["name"]},
                                        pick(c, "title", "phone", "email", "address", "link", "description"))
        elif "contact" in e:
            profile["contact"] = None
        ld.upsert(path, OrganizationProfile, {"tenant": tenant}, profile, field_paths={"tenant": f"{path}.slug"})


def load_sites(ld: Loader, entries: list) -> None:
    for i, e in enumerate(entries):
        path = f"sites[{i}]"
        values = {"name": e["name"], **pick(e, "status", "facility", "physical_address", "shipping_address",
                                             "description", "comments")}
        for key in ("latitude", "longitude"):
            if key in e:
                values[key] = coordinate(e[key])
        if "region" in e:
            values["region"] = ld.opt_ref(e, "region", path, Region)
        if "tenant" in e:
            values["tenant"] = ld.opt_ref(e, "tenant", path, Tenant)
        site = ld.put(path, Site, {"slug": e["slug"]}, values)
        ld.remember(Site, site, slug=e["slug"])


def load_device_types(ld: Loader, entries: list) -> None:
    for i, e in enumerate(entries):
        path = f"device_types[{i}]"
        values = {"model": e["model"], **pick(e, "part_number", "u_height", "is_full_depth", "description",
                                               "comments")}
        values["manufacturer"] = ld.ref(f"{path}.manufacturer", Manufacturer, slug=e["manufacturer"])
        dtype = ld.put(path, DeviceType, {"slug": e["slug"]}, values)
        ld.remember(DeviceType, dtype, slug=e["slug"])
        for j, t in enumerate(e.get("interfaces") or []):
            for name in expand_names(t["name"]):
                ld.upsert(f"{path}.interfaces[{j}]", InterfaceTemplate, {"device_type": dtype, "name": name},
                          pick(t, "type", "mgmt_only", "description"))
        for j, t in enumerate(e.get("rear_ports") or []):
            for name in expand_names(t["name"]):
                ld.upsert(f"{path}.rear_ports[{j}]", RearPortTemplate, {"device_type": dtype, "name": name},
                          pick(t, "type", "positions", "description"))
        for j, t in enumerate(e.get("front_ports") or []):
            load_front_port_templates(ld, f"{path}.front_ports[{j}]", dtype, t)


def load_front_port_templates(ld: Loader, path: str, dtype: DeviceType, t: dict) -> None:
    """Front port templates and their mapping to rear port templates (NetBox 4.7: ``PortTemplateMapping``).

    ``name`` and ``rear_port`` patterns pair up one to one; a single rear port takes the front ports on
    positions 1..n (e.g. 12 LC fronts on one MPO rear).
    """
    names, rears = expand_names(t["name"]), expand_names(t["rear_port"])
    if len(rears) not in (1, len(names)):
        ld.fail(f"{path}.rear_port", _("{fronts} front ports but {rears} rear ports; give one rear port or as many "
                                       "as front ports").format(fronts=len(names), rears=len(rears)))
    for k, name in enumerate(names):
        rear_name = rears[k] if len(rears) > 1 else rears[0]
        position = t.get("rear_port_position", 1) if len(rears) > 1 or len(names) == 1 else k + 1
        rear = ld.ref(f"{path}.rear_port", RearPortTemplate, device_type=dtype, name=rear_name)
        front = ld.put(path, FrontPortTemplate, {"device_type": dtype, "name": name}, pick(t, "type", "description"))
        ld.upsert(path, PortTemplateMapping, {"front_port": front, "front_port_position": 1},
                  {"device_type": dtype, "rear_port": rear, "rear_port_position": position},
                  field_paths={"rear_port_position": f"{path}.rear_port_position"})


def load_devices(ld: Loader, entries: list) -> None:
    for i, e in enumerate(entries):
        path = f"devices[{i}]"
        dtype = ld.ref(f"{path}.device_type", DeviceType, slug=e["device_type"])
        values = {
            "device_type": dtype,
            "role": ld.ref(f"{path}.role", DeviceRole, slug=e["role"]),
            "site": ld.ref(f"{path}.site", Site, slug=e["site"]),
            **pick(e, "status", "serial", "asset_tag", "description", "comments"),
        }
        if "tenant" in e:
            values["tenant"] = ld.opt_ref(e, "tenant", path, Tenant)
        existing = ld.find(path, Device, name=e["name"])
        if existing and existing.device_type_id != dtype.pk:
            ld.fail(f"{path}.device_type", _("device {device} is a {type} in NetBox; the loader does not change "
                                             "device types (delete the device first)").format(
                device=existing.name, type=existing.device_type))
        device, outcome = ld.upsert(path, Device, {"name": e["name"]}, values, obj=existing)
        ld.remember(Device, device, name=e["name"])
        if outcome == CREATED:  # NetBox instantiated the device type's components
            for model in (Interface, RearPort, FrontPort, PortMapping):
                ld.stats.add(model, CREATED, model.objects.filter(device=device).count())
        else:
            sync_components(ld, path, device)
        for j, it in enumerate(e.get("interfaces") or []):
            where = f"{path}.interfaces[{j}]"
            iface = ld.find(where, Interface, device=device, name=it["name"])
            if iface is None and "type" not in it:
                ld.fail(f"{where}.name", _("device {device} has no interface {name!r} (give its type to create it)")
                        .format(device=device.name, name=it["name"]))
            ld.upsert(where, Interface, {"device": device, "name": it["name"]},
                      pick(it, "type", "description", "enabled", "mgmt_only"), obj=iface)


def sync_components(ld: Loader, path: str, device: Device) -> None:
    """Create the components (and front/rear port mappings) that the device type gained since the device was
    created; NetBox only instantiates templates when a device is created."""
    pairs = ((InterfaceTemplate, Interface), (RearPortTemplate, RearPort), (FrontPortTemplate, FrontPort))
    for template_model, model in pairs:
        have = set(model.objects.filter(device=device).values_list("name", flat=True))
        for template in template_model.objects.filter(device_type=device.device_type_id).exclude(name__in=have):
            component = template.instantiate(device=device)
            ld.validate(component, path)
            component.save()
            ld.stats.add(model, CREATED)
    mapped = set(PortMapping.objects.filter(device=device).values_list("front_port__name", "front_port_position"))
    fronts = {p.name: p for p in FrontPort.objects.filter(device=device)}
    rears = {p.name: p for p in RearPort.objects.filter(device=device)}
    templates = PortTemplateMapping.objects.filter(device_type=device.device_type_id).select_related(
        "front_port", "rear_port")
    for t in templates:
        if (t.front_port.name, t.front_port_position) in mapped:
            continue
        mapping = PortMapping(device=device, front_port=fronts[t.front_port.name],
                              front_port_position=t.front_port_position, rear_port=rears[t.rear_port.name],
                              rear_port_position=t.rear_port_position)
        ld.validate(mapping, path)
        mapping.save()
        ld.stats.add(PortMapping, CREATED)


def port_end(ld: Loader, end: dict, path: str):
    kinds = [k for k in PORT_KINDS if end.get(k)]
    if len(kinds) != 1:
        ld.fail(path, _("give exactly one of interface, front_port, rear_port"))
    device = ld.ref(f"{path}.device", Device, name=end["device"])
    kind = kinds[0]
    return ld.ref(f"{path}.{kind}", PORT_KINDS[kind], device=device, name=end[kind])


def termination_key(obj) -> tuple[int, int]:
    return ContentType.objects.get_for_model(obj).pk, obj.pk


def load_cables(ld: Loader, entries: list) -> None:
    """NetBox cables between two ports. An existing cable between the same two ports is updated; a port that
    is already cabled to something else is an error (the loader does not re-patch)."""
    for i, e in enumerate(entries):
        path = f"cables[{i}]"
        a, b = port_end(ld, e["a"], f"{path}.a"), port_end(ld, e["b"], f"{path}.b")
        values = pick(e, "type", "status", "label", "color", "length", "length_unit", "description")
        ends = {}
        for side, obj in (("a", a), ("b", b)):
            ct_id, pk = termination_key(obj)
            ends[side] = CableTermination.objects.filter(termination_type_id=ct_id, termination_id=pk).first()
        if ends["a"] is None and ends["b"] is None:
            cable = Cable(a_terminations=[a], b_terminations=[b])
            ld.upsert(path, Cable, {}, values, obj=cable)
            continue
        cable_ids = {t.cable_id for t in ends.values() if t is not None}
        peers = {(t.termination_type_id, t.termination_id)
                 for t in CableTermination.objects.filter(cable_id__in=cable_ids)}
        if len(cable_ids) != 1 or peers != {termination_key(a), termination_key(b)}:
            side = "a" if ends["a"] is not None else "b"
            other = ", ".join(f"{t.termination.device} {t.termination}" for t in CableTermination.objects.filter(
                cable_id=ends[side].cable_id).exclude(cable_end=ends[side].cable_end)) or "-"
            port = ends[side].termination
            ld.fail(f"{path}.{side}", _("{port} on {device} is already cabled to {other} (cable {cable}); the loader "
                                        "does not re-patch").format(port=port, device=port.device, other=other,
                                                                   cable=ends[side].cable))
        ld.upsert(path, Cable, {}, values, obj=Cable.objects.get(pk=cable_ids.pop()))


def load_core(ld: Loader, data: dict) -> None:
    load_nested(ld, "regions", data.get("regions") or [], Region)
    load_nested(ld, "tenant_groups", data.get("tenant_groups") or [], TenantGroup)
    load_organizations(ld, data.get("organizations") or [])
    load_sites(ld, data.get("sites") or [])
    for i, e in enumerate(data.get("manufacturers") or []):
        obj = ld.put(f"manufacturers[{i}]", Manufacturer, {"slug": e["slug"]},
                     {"name": e["name"], **pick(e, "description")})
        ld.remember(Manufacturer, obj, slug=e["slug"])
    for i, e in enumerate(data.get("device_roles") or []):
        obj = ld.put(f"device_roles[{i}]", DeviceRole, {"slug": e["slug"]},
                     {"name": e["name"], **pick(e, "color", "description")})
        ld.remember(DeviceRole, obj, slug=e["slug"])
    load_device_types(ld, data.get("device_types") or [])
    load_devices(ld, data.get("devices") or [])
    load_cables(ld, data.get("cables") or [])
