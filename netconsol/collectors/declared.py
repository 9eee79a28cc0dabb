"""Declared devices: the 设备 (devices) sheet of the self-inspection workbook.

A sheet named as ``device_sheet_words`` in rules/columns.yaml says (``netconsol template``
writes the 设备 sheet) lists the devices a department declares: name (接入设备), model
(设备型号), department (单位), district and town, an IP range.  Such a sheet is not networks:
the sheet collector hands it here (:func:`read_declared_devices`, a dispatch like the rooms
one) and each row becomes a ``devices`` row of platform ``sheet``.

After every file is read, :func:`fold_declared` meets the declared devices with the
configured and live ones, before hostnames are made unique:

* a declared device that a config (or a live host) also has is that device, not a second
  one: its row leaves the table and the device records the declaration (``declared_by``,
  ``declared_model``); the attribution step then gives it the sheet's model when the config
  is silent (a disagreement is a ``model-disagrees`` warning, the config's kept) and the
  sheet's department when the manifest gives none;
* a declared device no config has stays, platform ``sheet``: the inventory knows it exists;
* a device declared twice keeps its first row, the second is a ``duplicate-declared-device``
  warning.

The reconciliation (analyze/reconcile.py) reads the declaration as the device's sheet side.
As everywhere, a row without a department or a device name is rejected with an error naming
file, sheet, row and column; a bad IP range is blanked with an error and the row kept;
rows = accepted + rejected.
"""
from __future__ import annotations

from pathlib import Path

from .. import normalize as nz
from ..errors import NormalizeError
from ..normalize.ipranges import prefix_facts

__all__ = ["is_device_sheet", "read_declared_devices", "fold_declared", "DECLARED"]

DECLARED = "declared"   # Rows holding declared devices matched to a config: read by attribute(), never a table


def is_device_sheet(name: str, words) -> bool:
    n = (name or "").strip().lower()
    return any(n == w or n.endswith(("-" + w, "_" + w, " " + w)) for w in words)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return nz.fold(str(v)).strip()


def read_declared_devices(ctx, path: Path) -> bool:
    """Read the sheet of *ctx* (a ``sheets._Sheet``) as declared devices when it is a device
    sheet; False (nothing done) for any other sheet."""
    from .sheets import _blank_row, _find_header

    rules = ctx.rules
    name = ctx.sheet if ctx.sheet else Path(path).stem
    if not is_device_sheet(name, rules.device_sheet_words):
        return False
    rows = ctx.rows
    h, mapping = _find_header(rows, rules)
    body = [(i + 1, r) for i, r in enumerate(rows) if i > h and not _blank_row(r)]
    ctx.total += len(body)
    if h < 0 or "device" not in mapping.values():
        if body:
            ctx.rejected += len(body)
            ctx.issue(body[0][0], None, "", "error", "no-header",
                      f"device sheet: no header row with a device column (接入设备); all {len(body)} non-blank "
                      "rows rejected", "", "a header row with 单位, 接入设备, 设备型号 (netconsol template writes one)")
        return True
    col_of = {f: j for j, f in mapping.items()}
    header = {j: _cell(rows[h][j]) for j in mapping}
    last: dict = {}

    def get(row, f):
        j = col_of.get(f)
        return _cell(row[j]) if j is not None and j < len(row) else ""

    def say(r, f, severity, code, message, value, expected):
        j = col_of.get(f)
        ctx.issue(r, j, header.get(j, f), severity, code, message, value, expected)

    for r, row in body:
        vals = {f: get(row, f) for f in col_of}
        for f in rules.fill_down:       # district, town: merged cells
            if vals.get(f):
                last[f] = vals[f]
            elif f in col_of and last.get(f):
                vals[f] = last[f]
        device = vals.get("device", "")
        if not device:
            say(r, "device", "error", "missing-value", "declared device without a name; row rejected", "",
                "a device name (hostname), e.g. SZ-GML-AR01")
            ctx.rejected += 1
            continue
        department = vals.get("department", "")
        if not department:
            hit = ctx.known.device(device)
            if hit is None:
                say(r, "department", "error", "missing-value",
                    f"declared device {device!r} without a department (and not one inventory.yaml lists); "
                    "row rejected", "", "a department name")
                ctx.rejected += 1
                continue
            department = hit[1]
        department, known = ctx.known.department(department)
        if not known:
            ctx.unknown_department(r, department, header.get(col_of.get("department"), ""))
        district = ctx.known.district(vals.get("district", ""), department)
        town = ctx.known.town(district, vals["town"]) if vals.get("town") else ""
        model = vals.get("model", "")
        where = ctx.loc(r)
        if vals.get("ip_range"):
            try:
                res = nz.to_cidrs(vals["ip_range"])
            except NormalizeError as e:
                say(r, "ip_range", "error", "bad-ip-range", f"cannot read IP range: {e.reason or e}; left blank, "
                    "row kept", vals["ip_range"], e.expected)
            else:
                _n, facts = prefix_facts(res.cidrs)
                for cidr, family, public in facts:
                    ctx.out.add("prefixes", {
                        "prefix": cidr, "family": family, "network": "", "department": department,
                        "district": district, "origin": "sheet", "public": public,
                        "note": f"declared for device {device}" + (f"; {'; '.join(res.notes)}" if res.notes else ""),
                        "attributed_by": "sheet", "source": ctx.source, "location": where})
        ctx.out.add("devices", {
            "device": device, "vendor": "", "platform": "sheet", "model": model, "department": department,
            "district": district, "town": town, "attributed_by": "sheet",
            "model_source": f"{ctx.source} {where}" if model else "",
            "declared_by": f"{ctx.source} {where}", "declared_model": model,
            "source": ctx.source, "location": where})
        ctx.accepted += 1
    return True


def fold_declared(rows) -> None:
    """Declared devices (platform ``sheet``) met with configured and live ones, in place: see
    the module docstring.  Runs before hostnames are made unique."""
    devices = rows["devices"]
    if not any(d.get("platform") == "sheet" for d in devices):
        return
    real = {}
    for d in devices:
        if d.get("platform") != "sheet":
            real.setdefault(nz.fold(d["device"]).lower(), []).append(d)
    kept, first = [], {}
    for d in devices:
        if d.get("platform") != "sheet":
            kept.append(d)
            continue
        key = nz.fold(d["device"]).lower()
        if key in first:
            f = first[key]
            rows.issue(d["source"], d["location"], "warning", "duplicate-declared-device",
                       f"device {d['device']!r} is declared again (first in {f['source']} {f['location']}); "
                       "the first declaration is kept", column="device", value=d["device"],
                       expected="one row per device")
            continue
        first[key] = d
        matches = real.get(key)
        if not matches:
            kept.append(d)
            continue
        for m in matches:
            m["declared_by"], m["declared_model"] = d["declared_by"], d["declared_model"]
        # the attribution step reads it as a sheet row naming the device (model, department)
        rows.add(DECLARED, {"device": d["device"], "model": d["model"], "department": d["department"],
                            "district": d["district"], "attributed_by": "sheet", "source": d["source"],
                            "location": d["location"]})
    rows.tables["devices"] = kept
