"""The inventory as NetBox bulk-import CSV files (``netconsol export netbox``).

One CSV per NetBox object type, numbered in the order NetBox needs them (an object's
references must exist before it is imported): regions (city, districts), tenants
(departments), sites (towns, device locations), manufacturers, device types, device
roles, devices, interfaces, VRFs, prefixes, IP addresses, providers (carriers), circuit
types (access types) and circuits (internet exits).

Column names and choice values are those of NetBox's import forms
(``<app>/forms/bulk_import.py``); ``tests/fixtures/netbox/import_forms.json`` keeps the
field lists read from NetBox's source with the commit each came from, and the tests check
every header, every choice value and every reference against it.

References in NetBox's CSV import are by *name* (``to_field_name='name'``; a device type
by its ``model``), so every object here has a unique name, and slugs are ASCII, stable and
unique: the ASCII part of the name plus a short hash of the whole name (Chinese names stay
in ``name``).  Every cell is neutralized against formula injection the same way, so a
reference and the row it names still match.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["NETBOX_FILES", "NetboxFile", "netbox_files", "write_netbox", "slugify", "neutralize"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    """Cell text a spreadsheet never runs as a formula: a leading = + - @ TAB CR gets a quote."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    s = str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def slugify(name: str, prefix: str = "") -> str:
    """ASCII slug NetBox accepts (``^[-a-zA-Z0-9_]+$``, <= 100): the ASCII words of *name*
    plus 8 hex digits of its SHA-1, so two names never share a slug and a rerun gives the same."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")[:60].strip("-")
    digest = hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    parts = [p for p in (prefix, ascii_part, digest) if p]
    return "-".join(parts)


# NetBox boolean cells: the import forms read 'true' / 'false'
def _bool(v) -> str:
    return "true" if v else "false"


VENDORS = {"huawei": "Huawei", "h3c": "H3C", "cisco": "Cisco", "juniper": "Juniper", "arista": "Arista"}
UNKNOWN_VENDOR = "Unknown manufacturer (未知厂商)"
UNKNOWN_ROLE = "unclassified (未分类)"
UNKNOWN_PROVIDER = "Unknown carrier (未知运营商)"
# netconsol interface kinds -> NetBox InterfaceTypeChoices: netconsol does not know the medium of a
# physical port, so 'other' rather than a guessed 1000base-t
IFACE_TYPES = {"loopback": "virtual", "vlan": "virtual", "subinterface": "virtual", "tunnel": "virtual",
               "aggregate": "lag", "physical": "other", "management": "other", "other": "other", "": "other"}
ACCESS_TYPES = {"fiber_dia": "互联网专线 (fiber DIA)", "dark_fiber": "裸光纤 (dark fiber)", "mstp": "MSTP/SDH",
                "mpls_vpn": "MPLS VPN", "vpn": "IPsec/SSL VPN", "l2tp": "L2TP/VPDN", "adsl": "ADSL",
                "ftth": "光纤宽带 (FTTH)", "mobile": "4G/5G", "other": "other (其他)"}
UNKNOWN_ACCESS = "internet access, type not stated (未注明接入类型)"
ROLE_COLOR = "9e9e9e"
TYPE_COLOR = "2196f3"


@dataclass
class NetboxFile:
    """One import file: NetBox model (``app.Model``), import form, header and rows (lists of cells)."""
    name: str
    model: str
    form: str
    header: list
    rows: list = field(default_factory=list)

    def text(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header)
        for r in self.rows:
            w.writerow([neutralize(v) for v in r])
        return buf.getvalue()


NETBOX_FILES = (
    ("01-regions.csv", "dcim.region", "dcim.RegionImportForm", ["name", "slug", "parent", "description"]),
    ("02-tenants.csv", "tenancy.tenant", "tenancy.TenantImportForm", ["name", "slug", "description"]),
    ("03-sites.csv", "dcim.site", "dcim.SiteImportForm", ["name", "slug", "status", "region", "tenant", "description"]),
    ("04-manufacturers.csv", "dcim.manufacturer", "dcim.ManufacturerImportForm", ["name", "slug", "description"]),
    ("05-device-types.csv", "dcim.devicetype", "dcim.DeviceTypeImportForm",
     ["manufacturer", "model", "slug", "description"]),
    ("06-device-roles.csv", "dcim.devicerole", "dcim.DeviceRoleImportForm", ["name", "slug", "color", "description"]),
    ("07-devices.csv", "dcim.device", "dcim.DeviceImportForm",
     ["name", "role", "tenant", "manufacturer", "device_type", "serial", "status", "site", "description"]),
    ("08-interfaces.csv", "dcim.interface", "dcim.InterfaceImportForm",
     ["device", "name", "type", "enabled", "mgmt_only", "description"]),
    ("09-vrfs.csv", "ipam.vrf", "ipam.VRFImportForm", ["name", "rd", "tenant", "enforce_unique", "description"]),
    ("10-prefixes.csv", "ipam.prefix", "ipam.PrefixImportForm", ["prefix", "vrf", "tenant", "status", "description"]),
    ("11-ip-addresses.csv", "ipam.ipaddress", "ipam.IPAddressImportForm",
     ["address", "vrf", "tenant", "status", "role", "device", "interface", "description"]),
    ("12-providers.csv", "circuits.provider", "circuits.ProviderImportForm", ["name", "slug", "description"]),
    ("13-circuit-types.csv", "circuits.circuittype", "circuits.CircuitTypeImportForm",
     ["name", "slug", "color", "description"]),
    ("14-circuits.csv", "circuits.circuit", "circuits.CircuitImportForm",
     ["cid", "provider", "type", "status", "tenant", "termination_date", "commit_rate", "description"]),
)

# choice columns and the NetBox ChoiceSet their values come from (checked by the tests)
CHOICE_COLUMNS = {
    ("03-sites.csv", "status"): "dcim.SiteStatusChoices",
    ("07-devices.csv", "status"): "dcim.DeviceStatusChoices",
    ("08-interfaces.csv", "type"): "dcim.InterfaceTypeChoices",
    ("10-prefixes.csv", "status"): "ipam.PrefixStatusChoices",
    ("11-ip-addresses.csv", "status"): "ipam.IPAddressStatusChoices",
    ("11-ip-addresses.csv", "role"): "ipam.IPAddressRoleChoices",
    ("14-circuits.csv", "status"): "circuits.CircuitStatusChoices",
}
# reference columns: (file, column) -> (file, column) of the row it names
REFERENCES = {
    ("01-regions.csv", "parent"): ("01-regions.csv", "name"),
    ("03-sites.csv", "region"): ("01-regions.csv", "name"),
    ("03-sites.csv", "tenant"): ("02-tenants.csv", "name"),
    ("05-device-types.csv", "manufacturer"): ("04-manufacturers.csv", "name"),
    ("07-devices.csv", "role"): ("06-device-roles.csv", "name"),
    ("07-devices.csv", "tenant"): ("02-tenants.csv", "name"),
    ("07-devices.csv", "manufacturer"): ("04-manufacturers.csv", "name"),
    ("07-devices.csv", "device_type"): ("05-device-types.csv", "model"),
    ("07-devices.csv", "site"): ("03-sites.csv", "name"),
    ("08-interfaces.csv", "device"): ("07-devices.csv", "name"),
    ("09-vrfs.csv", "tenant"): ("02-tenants.csv", "name"),
    ("10-prefixes.csv", "vrf"): ("09-vrfs.csv", "name"),
    ("10-prefixes.csv", "tenant"): ("02-tenants.csv", "name"),
    ("11-ip-addresses.csv", "vrf"): ("09-vrfs.csv", "name"),
    ("11-ip-addresses.csv", "tenant"): ("02-tenants.csv", "name"),
    ("11-ip-addresses.csv", "device"): ("07-devices.csv", "name"),
    ("14-circuits.csv", "provider"): ("12-providers.csv", "name"),
    ("14-circuits.csv", "type"): ("13-circuit-types.csv", "name"),
    ("14-circuits.csv", "tenant"): ("02-tenants.csv", "name"),
}


def _s(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _s(v) for k, v in r.items()} for r in df.to_dict("records")]


def netbox_files(inv) -> list[NetboxFile]:
    """The import files of an inventory, in import order (pure: no files written)."""
    units = _records(inv["units"])
    devices = _records(inv["devices"])
    interfaces = _records(inv["interfaces"])
    prefixes = _records(inv["prefixes"])
    vrfs = _records(inv["vrfs"])
    exits = _records(inv["exits"])
    files = {name: NetboxFile(name, model, form, list(header)) for name, model, form, header in NETBOX_FILES}

    # regions: the city, then its districts (a district named by a row but not by the manifest too)
    city = next((u["name"] for u in units if u["level"] == "city"), "") or "City (市)"
    districts = sorted({u["name"] for u in units if u["level"] == "district"}
                       | {r["district"] for t in (devices, prefixes, exits) for r in t if r["district"]})
    files["01-regions.csv"].rows.append([city, slugify(city, "r"), "", "city (市)"])
    for d in districts:
        if d != city:
            files["01-regions.csv"].rows.append([d, slugify(d, "r"), city, "district (区/县)"])
    regions = {city} | set(districts)

    # tenants: departments of the manifest and of every row that names one
    tenants = sorted({u["name"] for u in units if u["level"] == "department"}
                     | {r["department"] for t in (devices, prefixes, exits, vrfs) for r in t if r.get("department")})
    for t in tenants:
        files["02-tenants.csv"].rows.append([t, slugify(t, "t"), "department (部门)"])

    # sites: towns of the manifest (name = 'district/town', unique), then device locations
    sites: dict[str, list] = {}
    town_site = {}
    for u in sorted(units, key=lambda u: u["unit"]):
        if u["level"] == "town":
            name = f"{u['district']}/{u['name']}" if u["district"] else u["name"]
            town_site[(u["district"], u["name"])] = name
            sites.setdefault(name, [name, slugify(name, "s"), "active" if u["connected"] != "False" else "planned",
                                    u["district"] if u["district"] in regions else city, "", "town/street (镇/街)"])

    def site_of(d: dict) -> str:
        if d["town"]:
            name = town_site.get((d["district"], d["town"])) or (f"{d['district']}/{d['town']}" if d["district"]
                                                                 else d["town"])
            sites.setdefault(name, [name, slugify(name, "s"), "active", d["district"] or city, "",
                                    "town/street (镇/街)"])
            return name
        if d["site"]:
            name = d["site"]
            sites.setdefault(name, [name, slugify(name, "s"), "active", d["district"] or city, d["department"],
                                    "device location as configured (snmp location)"])
            return name
        name = f"{d['district'] or city} (location not stated / 未注明位置)"
        sites.setdefault(name, [name, slugify(name, "s"), "active", d["district"] or city, "",
                                "devices whose config names no location"])
        return name

    device_site = {d["device"]: site_of(d) for d in devices}
    files["03-sites.csv"].rows.extend(sites[k] for k in sorted(sites))

    # manufacturers, device types, roles
    def vendor_of(d):
        return VENDORS.get(d["vendor"], d["vendor"].title() if d["vendor"] else UNKNOWN_VENDOR)

    def model_of(d):
        return d["model"] or f"{vendor_of(d)} (model not stated / 型号未注明)"

    mfrs = sorted({vendor_of(d) for d in devices})
    for m in mfrs:
        files["04-manufacturers.csv"].rows.append([m, slugify(m, "m"), ""])
    types = sorted({(vendor_of(d), model_of(d)) for d in devices})
    seen_models: dict[str, str] = {}
    for m, model in types:
        # NetBox finds a device type by model within its manufacturer; the same model name under
        # two manufacturers would be two rows with one name: keep it unique across the file
        if model in seen_models and seen_models[model] != m:
            model = f"{model} ({m})"
        seen_models[model] = m
        files["05-device-types.csv"].rows.append([m, model, slugify(f"{m} {model}", "dt"), ""])
    type_name = {}
    for row in files["05-device-types.csv"].rows:
        type_name.setdefault((row[0], row[1]), row[1])
    roles = sorted({d["role"] or UNKNOWN_ROLE for d in devices})
    for r in roles:
        files["06-device-roles.csv"].rows.append([r, slugify(r, "role"), ROLE_COLOR, ""])

    for d in sorted(devices, key=lambda d: d["device"]):
        m = vendor_of(d)
        model = model_of(d)
        dt = type_name.get((m, model)) or type_name.get((m, f"{model} ({m})")) or f"{model} ({m})"
        desc = " ".join(x for x in (d["network"] and f"network {d['network']}", d["platform"] and
                                    f"read by netconsol {d['platform']}", d["os_version"]) if x)
        files["07-devices.csv"].rows.append([d["device"], d["role"] or UNKNOWN_ROLE, d["department"], m, dt,
                                             d["serial"], "active", device_site[d["device"]], desc])

    known_devices = {d["device"] for d in devices}
    seen_if = set()
    for i in sorted(interfaces, key=lambda i: (i["device"], i["interface"])):
        k = (i["device"], i["interface"])
        if k in seen_if or i["device"] not in known_devices:
            continue
        seen_if.add(k)
        files["08-interfaces.csv"].rows.append([
            i["device"], i["interface"], IFACE_TYPES.get(i["kind"], "other"),
            _bool(i["admin_up"] != "False"), _bool(i["kind"] == "management"), i["description"]])

    # VRFs: one NetBox VRF per name (a VPN instance spans the PEs that carry it); the RD only
    # when every device agrees on one (NetBox keeps RDs unique)
    by_name: dict[str, list] = {}
    for v in vrfs:
        by_name.setdefault(v["vrf"], []).append(v)
    for r in prefixes + interfaces:
        if r.get("vrf"):
            by_name.setdefault(r["vrf"], [])
    dept_of_device = {d["device"]: d["department"] for d in devices}
    rd_count: dict[str, int] = {}
    for name, rows in by_name.items():
        rds = {r["rd"] for r in rows if r["rd"]}
        if len(rds) == 1:
            rd_count[next(iter(rds))] = rd_count.get(next(iter(rds)), 0) + 1
    for name in sorted(by_name):
        rows = by_name[name]
        rds = {r["rd"] for r in rows if r["rd"]}
        rd = next(iter(rds)) if len(rds) == 1 and rd_count[next(iter(rds))] == 1 else ""
        depts = {dept_of_device.get(r["device"], "") for r in rows} - {""}
        tenant = next(iter(depts)) if len(depts) == 1 else ""
        desc = next((r["description"] for r in sorted(rows, key=lambda r: r["device"]) if r["description"]), "")
        devs = sorted({r["device"] for r in rows})
        if devs:
            desc = (desc + "; " if desc else "") + f"on {len(devs)} device(s)"
        files["09-vrfs.csv"].rows.append([name, rd, tenant, "false", desc])

    network_names = {n["network"]: n["name"] for n in _records(inv["networks"])}
    seen_p = set()
    for p in sorted(prefixes, key=lambda p: (p["vrf"], p["prefix"], p["department"], p["network"], p["origin"])):
        k = (p["prefix"], p["vrf"], p["department"])
        if k in seen_p:
            continue
        seen_p.add(k)
        what = network_names.get(p["network"], p["network"])
        desc = "; ".join(x for x in (what and f"network {what}", f"from {p['origin']}") if x)
        files["10-prefixes.csv"].rows.append([p["prefix"], p["vrf"], p["department"], "active", desc])

    seen_a = set()
    for i in sorted(interfaces, key=lambda i: (i["device"], i["interface"], i["address"])):
        if not i["address"] or i["device"] not in known_devices:
            continue
        k = (i["device"], i["interface"], i["address"])
        if k in seen_a:
            continue
        seen_a.add(k)
        role = "secondary" if i["secondary"] == "True" else ("loopback" if i["kind"] == "loopback" else "")
        files["11-ip-addresses.csv"].rows.append([i["address"], i["vrf"], dept_of_device.get(i["device"], ""),
                                                  "active", role, i["device"], i["interface"], i["description"]])

    providers = sorted({e["carrier"] or UNKNOWN_PROVIDER for e in exits})
    for p in providers:
        files["12-providers.csv"].rows.append([p, slugify(p, "p"), "carrier (运营商)"])
    ctypes = sorted({ACCESS_TYPES.get(e["access_type"], UNKNOWN_ACCESS) if e["access_type"] else UNKNOWN_ACCESS
                     for e in exits})
    for c in ctypes:
        files["13-circuit-types.csv"].rows.append([c, slugify(c, "ct"), TYPE_COLOR, "internet access (互联网接入)"])
    for e in sorted(exits, key=lambda e: e["exit"]):
        ctype = ACCESS_TYPES.get(e["access_type"], UNKNOWN_ACCESS) if e["access_type"] else UNKNOWN_ACCESS
        rate = ""
        if e["bandwidth_mbps"]:
            rate = str(int(round(float(e["bandwidth_mbps"]) * 1000)))   # NetBox commit_rate is in Kbps
        where = e["device"] + (":" + e["interface"] if e["interface"] else "")
        desc = "; ".join(x for x in (f"internet exit from {e['origin']}", where and f"at {where}",
                                     e["public_range"] and f"public {e['public_range']}", e["source"]) if x)
        files["14-circuits.csv"].rows.append([e["exit"], e["carrier"] or UNKNOWN_PROVIDER, ctype, "active",
                                              e["department"], e["contract_end"], rate, desc])
    return [files[name] for name, *_ in NETBOX_FILES]


def write_netbox(inv, out) -> list[Path]:
    """Write the import files into directory *out*; returns their paths in import order."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for f in netbox_files(inv):
        p = out / f.name
        p.write_text(f.text(), encoding="utf-8", newline="")
        written.append(p)
    return written
