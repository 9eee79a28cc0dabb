"""A starter inventory.yaml from a folder of sheets and configs (``netconsol init DIR``).

Collects the folder as a scan would (no manifest), then writes what it found: the districts
named in the sheets, the departments with their district, and every device of the configs,
with the department and district a sheet row ties it to (the access device named in an exit or
LAN row).  Everything else is left for a person: towns, aliases, named networks (see
docs/inventory.md).  The file is one the next ``netconsol scan DIR`` accepts as it is.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InventoryError
from .manifest import MANIFEST_NAMES

__all__ = ["starter_manifest", "write_starter", "CITY_LEVEL_WORDS"]

# the suffixes of a county-level division's name (区, 县, 市 ...), which clerks leave out
DIVISION_SUFFIXES = ("区", "县", "市", "旗", "自治县", "林区", "特区")
# what clerks write in a district column for the city's own departments
CITY_LEVEL_WORDS = ("市直", "市级", "市本级", "本级", "市直部门", "市属")


def starter_manifest(folder, city: str = "") -> dict:
    """The manifest (as a dict) of what the sheets and configs under *folder* name."""
    from .collectors import collect

    folder = Path(folder)
    inv = collect([folder])
    city = city or folder.resolve().name

    def district_of(d):
        return "" if d in CITY_LEVEL_WORDS else d

    # clerks shorten district names (峄城 for 峄城区): a spelling that another spelling seen, or the
    # start of a department's name (峄城区卫生健康局), extends by a division suffix alone is that district
    tables = ("networks", "exits", "prefixes", "devices")
    seen = {district_of(d) for t in tables for d in inv[t]["district"].tolist()}
    seen.discard("")
    names = {n for t in tables for n in inv[t]["department"].tolist() if n}

    def longer(d):
        return {d + x for x in DIVISION_SUFFIXES if d + x in seen or any(n.startswith(d + x) for n in names)}

    full = {d: next(iter(ls)) for d in seen if not d.endswith(DIVISION_SUFFIXES) and len(ls := longer(d)) == 1}

    depts: dict[str, str] = {}
    for t in ("networks", "exits", "prefixes", "devices"):
        df = inv[t]
        for dept, dist in zip(df["department"].tolist(), df["district"].tolist()):
            dist = full.get(district_of(dist), district_of(dist))
            if dept and (dept not in depts or (not depts[dept] and dist)):
                depts[dept] = dist
    districts = sorted({d for d in depts.values() if d})
    owner: dict[str, tuple] = {}
    for t in ("exits", "prefixes", "networks"):
        df = inv[t]
        if "device" not in df.columns:
            continue
        for dev, dept in zip(df["device"].tolist(), df["department"].tolist()):
            if dev and dept and dev not in owner:
                owner[dev] = (dept, depts.get(dept, ""))
    devices = {}
    for dev in sorted(inv["devices"]["device"].tolist()):
        dept, dist = owner.get(dev, ("", ""))
        devices[dev] = {k: v for k, v in (("department", dept), ("district", dist)) if v}
    return {
        "city": city,
        "districts": [{"name": d} for d in districts],
        "departments": [{"name": n, "district": depts[n]} for n in sorted(depts)],
        "devices": devices,
    }


_HEADER = """\
# inventory.yaml: a starter written by `netconsol init` from the sheets and configs it found.
# Check it, then add what it cannot know: district codes and towns (with connected: false for
# towns not yet on the extranet), department aliases, named networks (private networks with their
# kind, ministry, prefixes).  Every key is described in docs/inventory.md.
"""


def write_starter(folder, city: str = "", force: bool = False) -> Path:
    """Write ``FOLDER/inventory.yaml``; refuses to overwrite an existing manifest unless *force*."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InventoryError(f"{str(folder)!r} is not a folder of sheets and configs")
    for name in MANIFEST_NAMES:
        if (folder / name).exists() and not force:
            raise InventoryError(f"{str(folder / name)!r} exists; --force overwrites it")
    data = starter_manifest(folder, city)
    if not data["devices"]:
        data.pop("devices")
    text = _HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    target = folder / "inventory.yaml"
    target.write_text(text, encoding="utf-8")
    return target
