"""The inventory manifest (``inventory.yaml``): who is who in this city.

Names the city, its districts and towns, departments and named networks, and
attributes devices, VRFs and address ranges to them::

    city: 枣庄市
    code: "370400"
    districts:
      - name: 薛城区
        code: "370403"
        towns: [临城街道, {name: 周营镇, connected: false}]
    departments:
      - {name: 市公安局, district: ""}          # '' = city level
    networks:
      - id: gongan-video
        name: 公安视频专网
        kind: business_private                 # a class from DOMAIN.md
        department: 市公安局
        purpose: 视频监控
        vertical_ministry: 公安部
        classified: false
        public_facing: false
        prefixes: [10.10.0.0/16]
        devices: [GA-CORE-01]                  # the network's own routers
        vrfs: ["XC-PE-01:GA"]                  # device:vrf pairs carrying it
    devices:
      XC-PE-01: {department: 市大数据局, district: 薛城区, role: pe, network: extranet-admin}

Every key is optional except ``city``; unknown keys are errors naming the key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from netaddr import AddrFormatError, IPNetwork

from .errors import InventoryError
from .rules import load_yaml
from .errors import RulesError
from .schema import NETWORK_KINDS

__all__ = ["Manifest", "load_manifest", "MANIFEST_NAMES"]

MANIFEST_NAMES = ("inventory.yaml", "inventory.yml")

_TOP = {"city", "code", "districts", "departments", "networks", "devices", "description"}
_DISTRICT = {"name", "code", "towns"}
_TOWN = {"name", "code", "connected"}
_DEPT = {"name", "district", "connected", "aliases"}
_NET = {"id", "name", "aliases", "kind", "department", "district", "town", "carrier", "purpose", "classified",
        "vertical_ministry", "on_extranet", "public_facing", "tags", "prefixes", "devices", "vrfs"}
_DEV = {"department", "district", "town", "role", "network", "site"}


@dataclass
class Manifest:
    path: Path
    city: str
    code: str = ""
    districts: list = field(default_factory=list)    # dicts: name, code, towns [dicts name, code, connected]
    departments: list = field(default_factory=list)  # dicts: name, district, connected, aliases
    networks: list = field(default_factory=list)     # dicts with _NET keys (prefixes as CIDR strings)
    devices: dict = field(default_factory=dict)      # hostname -> dict of _DEV keys

    def network(self, nid: str) -> dict | None:
        for n in self.networks:
            if n["id"] == nid:
                return n
        return None


def _check_keys(path, where, data, allowed):
    if not isinstance(data, dict):
        raise InventoryError(f"{path}: {where}: expected a mapping, got {data!r}")
    for k in data:
        if k not in allowed:
            raise InventoryError(f"{path}: {where}: unknown key {k!r}; known: {', '.join(sorted(allowed))}")


def _s(v) -> str:
    return "" if v is None else str(v).strip()


def load_manifest(path) -> Manifest:
    path = Path(path)
    try:
        data = load_yaml(path)
    except RulesError as e:
        raise InventoryError(str(e)) from None
    _check_keys(path, "top level", data, _TOP)
    if not _s(data.get("city")):
        raise InventoryError(f"{path}: key 'city' is required (the city or province name)")
    m = Manifest(path=path, city=_s(data["city"]), code=_s(data.get("code")))
    for i, d in enumerate(data.get("districts") or []):
        _check_keys(path, f"districts[{i}]", d, _DISTRICT)
        towns = []
        for j, t in enumerate(d.get("towns") or []):
            if isinstance(t, str):
                t = {"name": t}
            _check_keys(path, f"districts[{i}].towns[{j}]", t, _TOWN)
            towns.append({"name": _s(t.get("name")), "code": _s(t.get("code")),
                          "connected": t.get("connected", True)})
        m.districts.append({"name": _s(d.get("name")), "code": _s(d.get("code")), "towns": towns})
    for i, d in enumerate(data.get("departments") or []):
        if isinstance(d, str):
            d = {"name": d}
        _check_keys(path, f"departments[{i}]", d, _DEPT)
        m.departments.append({"name": _s(d.get("name")), "district": _s(d.get("district")),
                              "connected": d.get("connected"), "aliases": [_s(a) for a in d.get("aliases") or []]})
    seen = set()
    for i, n in enumerate(data.get("networks") or []):
        _check_keys(path, f"networks[{i}]", n, _NET)
        nid = _s(n.get("id"))
        if not nid:
            raise InventoryError(f"{path}: networks[{i}]: key 'id' is required")
        if nid in seen:
            raise InventoryError(f"{path}: networks[{i}]: duplicate id {nid!r}")
        seen.add(nid)
        kind = _s(n.get("kind"))
        if kind not in NETWORK_KINDS:
            raise InventoryError(f"{path}: networks[{i}] ({nid}): kind {kind!r} is not one of {', '.join(NETWORK_KINDS)}")
        prefixes = []
        for p in n.get("prefixes") or []:
            try:
                prefixes.append(str(IPNetwork(str(p)).cidr))
            except (AddrFormatError, ValueError):
                raise InventoryError(f"{path}: networks[{i}] ({nid}): prefix {p!r} is not a CIDR, "
                                     f"e.g. 10.10.0.0/16") from None
        vrfs = []
        for v in n.get("vrfs") or []:
            if ":" not in str(v):
                raise InventoryError(f"{path}: networks[{i}] ({nid}): vrfs entry {v!r} must be 'DEVICE:VRF'")
            dev, vrf = str(v).split(":", 1)
            vrfs.append((dev.strip(), vrf.strip()))
        net = {k: n.get(k) for k in _NET}
        net.update(id=nid, name=_s(n.get("name")) or nid, kind=kind, prefixes=prefixes, vrfs=vrfs,
                   devices=[_s(d) for d in n.get("devices") or []],
                   aliases=[_s(a) for a in n.get("aliases") or []])
        for k in ("department", "district", "town", "carrier", "purpose", "vertical_ministry", "tags"):
            net[k] = _s(n.get(k))
        m.networks.append(net)
    for host, d in (data.get("devices") or {}).items():
        _check_keys(path, f"devices.{host}", d or {}, _DEV)
        d = {k: _s(v) for k, v in (d or {}).items()}
        if d.get("network") and d["network"] not in seen:
            raise InventoryError(f"{path}: devices.{host}: network {d['network']!r} is not a networks id")
        m.devices[str(host)] = d
    return m
