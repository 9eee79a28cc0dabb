"""Server rooms (机房) of the self-inspection workbook: the ``rooms`` table.

A sheet is a room sheet when its name (a CSV: its file name) contains one of the words of
``rooms.sheet_words`` in rules/columns.yaml; the sheet collector hands such a sheet here
instead of reading it as networks.  Headers are matched with the same folding as every
sheet (:func:`netconsol.rules.fold_header`) against the ``rooms.fields`` aliases.

One row per room and server model.  As everywhere: a row without a department is rejected
(an error naming file, sheet, row, column); a bad bandwidth, count, capacity or cloud cell
is left blank with a warning and the row kept; rows = accepted + rejected.
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import normalize as nz
from ..errors import NormalizeError
from ..rules import LISTS_SHEET, ROOM_FIELDS, RoomRules, _word, load_room_rules  # noqa: F401 (re-exported)
from ..normalize.text import cell_text

__all__ = ["LISTS_SHEET", "RoomRules", "load_room_rules", "is_room_sheet", "read_rooms", "ROOM_FIELDS"]

def is_room_sheet(name: str, rules: RoomRules) -> bool:
    n = (name or "").lower()
    return any(w in n for w in rules.sheet_words)


_cell = cell_text   # the one reading of a cell (normalize/text.py)


def _col(i: int) -> str:
    s, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_SPLIT = re.compile(r"[、,，;；/|+\s]+")
_TB = re.compile(r"^(\d+(?:\.\d+)?)\s*(pb|p|tb|t|gb|g)?$", re.I)


def to_tb(value) -> float:
    """Storage capacity in TB: ``100TB``, ``50T``, ``500G`` (0.5), ``1P``; a bare number is TB."""
    s = nz.fold(value).replace(" ", "").lower()
    m = _TB.match(s)
    if not m:
        raise NormalizeError(value, "a capacity such as 100TB, 50T, 500G (a bare number is TB)", f"not a capacity: {s!r}")
    n = float(m.group(1))
    unit = (m.group(2) or "t")[0]
    return n * 1024 if unit == "p" else (n / 1024 if unit == "g" else n)


def to_count(value) -> int:
    s = nz.fold(value).replace(" ", "")
    s = re.sub(r"(台|套|个|units?)$", "", s)
    if not s.isdigit():
        raise NormalizeError(value, "a whole number of servers, e.g. 12", f"not a count: {s!r}")
    if len(s) > 9:   # a room holds thousands, not billions (and the column is a 64-bit integer)
        raise NormalizeError(value, "a whole number of servers, e.g. 12", f"not a plausible count: {s[:20]!r}")
    return int(s)


def read_rooms(ctx, path: Path) -> bool:
    """Read the sheet of *ctx* (a ``sheets._Sheet``) into ``rooms`` when it is a room sheet, or
    skip the template's list sheet; False (nothing done) for any other sheet."""
    if ctx.sheet == LISTS_SHEET:
        return True
    rules = load_room_rules(str(ctx.rules.path))
    name = ctx.sheet if ctx.sheet else Path(path).stem
    if not is_room_sheet(name, rules):
        return False
    rows = ctx.rows
    best, mapping = -1, {}
    for i, row in enumerate(rows[:20]):
        m = {}
        for j, v in enumerate(row):
            f = rules.field_for(v) if _cell(v) else ""
            if f and f not in m.values():
                m[j] = f
        if len(m) > len(mapping):
            best, mapping = i, m
    body = [(i + 1, r) for i, r in enumerate(rows[best + 1:] if best >= 0 else rows, start=best + 1)
            if any(_cell(v) for v in r)]
    ctx.total += len(body)
    if len(mapping) < 3:
        if body:
            ctx.rejected += len(body)
            ctx.issue(body[0][0], None, "", "error", "no-header",
                      f"room sheet: no header row found; all {len(body)} non-blank rows rejected", "",
                      "a header row with 单位, 机房位置, 服务器型号, ... (netconsol template writes one)")
        return True
    col_of = {f: j for j, f in mapping.items()}
    header = {j: _cell(rows[best][j]) for j in mapping}
    last: dict = {}

    def get(row, f):
        j = col_of.get(f)
        return _cell(row[j]) if j is not None and j < len(row) else ""

    for r, row in body:
        vals = {f: get(row, f) for f in col_of}
        for f in rules.fill_down:
            if vals.get(f):
                last[f] = vals[f]
            elif f in col_of and last.get(f):
                vals[f] = last[f]
        missing = [f for f in rules.required if not vals.get(f)]
        if missing:
            f = missing[0]
            j = col_of.get(f)
            ctx.issue(r, j, header.get(j, f), "error", "missing-value" if j is not None else "missing-column",
                      f"required {f} is empty; row rejected", "", f"a {f} name")
            ctx.rejected += 1
            continue

        def warn(f, code, e):
            j = col_of[f]
            ctx.issue(r, j, header[j], "warning", code, f"cannot read {f}: {e.reason or e}; left blank",
                      vals[f], e.expected)

        kinds = []
        if vals.get("network_kinds"):
            for part in [p for p in _SPLIT.split(nz.fold(vals["network_kinds"])) if p]:
                try:
                    k = nz.network_kind(part)
                except NormalizeError as e:
                    warn("network_kinds", "bad-network-kind", e)
                    continue
                if k not in kinds:
                    kinds.append(k)
        out = {}
        for f, func, code in (("bandwidth", nz.to_mbps, "bad-bandwidth"), ("servers", to_count, "bad-count"),
                              ("storage_tb", to_tb, "bad-capacity")):
            if vals.get(f):
                try:
                    out[f] = func(vals[f])
                except NormalizeError as e:
                    warn(f, code, e)
        cloud = ""
        if vals.get("cloud"):
            w = _word(vals["cloud"])
            if w in rules.migrate:
                cloud = "migrate"
            elif w in rules.keep:
                cloud = "keep"
            else:
                warn("cloud", "bad-cloud", NormalizeError(vals["cloud"], "迁移 (migrate) or 保留 (keep)",
                                                          f"not a migrate/keep answer: {vals['cloud']!r}"))
        department = nz.fold(vals.get("department", ""))
        address = vals.get("location", "")
        ctx.out.add("rooms", {
            "room": f"{department}/{address}" if address else department, "department": department,
            "district": nz.fold(vals.get("district", "")), "address": address,
            "network_kinds": " ".join(kinds), "bandwidth_mbps": out.get("bandwidth"),
            "server_model": vals.get("server_model", ""), "servers": out.get("servers"),
            "storage_model": vals.get("storage_model", ""), "storage_tb": out.get("storage_tb"),
            "cloud": cloud, "remark": vals.get("remark", ""), "source": ctx.source, "location": ctx.loc(r)})
        ctx.accepted += 1
    return True
