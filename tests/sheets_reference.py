"""Frozen reference: netconsol/collectors/sheets.py as it was before the column-wise reader
(commit 70c88b2), kept verbatim apart from absolute imports.  tests/test_sheets_parity.py
checks that the current reader gives the same rows, in the same order, on the demo sheets and
on generated messy sheets.  Do not "fix" or speed up this file: it is the yardstick.
"""
from __future__ import annotations

import csv
import hashlib
import io
from functools import partial
from pathlib import Path

from netconsol import normalize as nz
from netconsol.errors import NormalizeError
from netconsol.inventory import Rows
from netconsol.platforms.base import decode
from netconsol.rules import ColumnRules, dynamic_word, load_columns

__all__ = ["collect_sheet", "collect_sheets", "SHEET_SUFFIXES", "read_grids"]

SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def read_grids(path: Path, sheet: str | None = None):
    """[(sheet name, rows as lists of cell values, encoding)] of a CSV or XLSX file.

    XLSX merged ranges are filled with their top-left value, so a district
    written once over ten rows is on each of them.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, enc = decode(path.read_bytes())
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return [("", rows, enc)]
    import openpyxl  # imported here: only XLSX needs it, and it is slow to import

    wb = openpyxl.load_workbook(path, data_only=True)
    grids = []
    for ws in wb.worksheets:
        if sheet is not None and ws.title != sheet:
            continue
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else None
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                row = rows[r]
                for c in range(rng.min_col - 1, rng.max_col):
                    if c < len(row):
                        row[c] = top
        grids.append((ws.title, rows, "xlsx"))
    if sheet is not None and not grids:
        raise FileNotFoundError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
    return grids


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _find_header(rows, rules: ColumnRules):
    best, best_n, best_map = -1, 0, {}
    for i, row in enumerate(rows[: rules.header_search_rows]):
        mapping = {}
        for j, v in enumerate(row):
            f = rules.field_for(v) if v not in (None, "") else ""
            if f and f not in mapping.values():
                mapping[j] = f
        if len(mapping) > best_n:
            best, best_n, best_map = i, len(mapping), mapping
    if best_n < rules.min_header_matches:
        return -1, {}
    return best, best_map


class _Sheet:
    """Context of one sheet while its rows are read."""

    def __init__(self, source, sheet, rows, rules, carriers, out: Rows):
        self.source, self.sheet, self.rules, self.carriers, self.out = source, sheet, rules, carriers, out
        self.rows = rows
        self.rejected = 0
        self.accepted = 0
        self.total = 0
        self.ids: dict[str, int] = {}
        self.memo: dict = {}  # (converter, raw cell) -> result: most columns repeat a few values

    def exit_id(self, *fields) -> str:
        """Stable id from what the row says (not where it sits), so inserting a row
        elsewhere does not rename exits between scans; repeats get a suffix."""
        base = "S-" + hashlib.sha1("|".join((self.source,) + fields).encode()).hexdigest()[:10]
        n = self.ids.get(base, 0) + 1
        self.ids[base] = n
        return base if n == 1 else f"{base}-{n}"

    def loc(self, r: int) -> str:
        return f"{self.sheet}!row {r}" if self.sheet else f"row {r}"

    def issue(self, r, col, header, severity, code, message, value, expected):
        column = f"{_col_letter(col)} ({header})" if col is not None else ""
        self.out.issue(self.source, self.loc(r), severity, code, message, column, value, expected)


def collect_sheet(path, source: str | None = None, rules: ColumnRules | None = None, carriers=None,
                  sheet: str | None = None) -> Rows:
    """Rows from one CSV/XLSX self-inspection file (never raises on bad content)."""
    path = Path(path)
    source = source or path.name
    rules = rules or load_columns()
    carriers = carriers or nz.Carriers.load()
    out = Rows()
    fmt = path.suffix.lower().lstrip(".")
    try:
        grids = read_grids(path, sheet)
    except Exception as e:  # a broken file is an issue row, never a crash
        out.issue(source, "", "error", "unreadable-sheet", f"cannot read {fmt.upper()} file: {e}",
                  expected="a CSV (UTF-8 or GBK) or XLSX file")
        out.add("files", {"source": source, "kind": "sheet", "platform": fmt, "status": "failed",
                          "rows": 0, "accepted": 0, "rejected": 0})
        return out
    total = accepted = rejected = 0
    encoding = grids[0][2] if grids else ""
    for name, rows, _enc in grids:
        ctx = _Sheet(source, name, rows, rules, carriers, out)
        _read_sheet(ctx, path)
        total += ctx.total
        accepted += ctx.accepted
        rejected += ctx.rejected
    status = "parsed" if rejected == 0 else ("partial" if accepted else "failed")
    out.add("files", {"source": source, "kind": "sheet", "platform": fmt, "encoding": encoding, "status": status,
                      "rows": total, "accepted": accepted, "rejected": rejected})
    return out


def _blank_row(row) -> bool:
    for v in row:
        if v is not None and (not isinstance(v, str) or v.strip()):
            return False
    return True


def _read_sheet(ctx: _Sheet, path: Path):
    rows, rules = ctx.rows, ctx.rules
    h, mapping = _find_header(rows, rules)
    if h < 0:
        nonblank = [i for i in range(len(rows)) if not _blank_row(rows[i])]
        if nonblank:
            ctx.total = ctx.rejected = len(nonblank)
            ctx.issue(nonblank[0] + 1, None, "", "error", "no-header",
                      f"no header row found in the first {rules.header_search_rows} rows; "
                      f"all {len(nonblank)} non-blank rows rejected", "",
                      "a header row with at least %d known column names (单位, IP地址段, 运营商, ...)"
                      % rules.min_header_matches)
        return
    title = " ".join(_cell(v) for r in rows[:h] for v in r if _cell(v))
    headers = {j: _cell(rows[h][j]) for j in mapping}
    context_text = f"{path.stem} {ctx.sheet} {title}".lower()
    exit_sheet = any(w in context_text for w in rules.exit_sheet_words)
    missing = [f for f in rules.required if f not in mapping.values()]
    col_of = {f: j for j, f in mapping.items()}
    items = sorted(mapping.items())
    fill = [f for f in rules.fill_down if f in col_of]
    last = {}
    fold = nz.fold
    folded: dict[str, str] = {}
    for i in range(h + 1, len(rows)):
        raw_row = rows[i]
        if _blank_row(raw_row):
            continue
        ctx.total += 1
        n = len(raw_row)
        raw, rec = {}, {}
        for j, f in items:
            v = raw_row[j] if j < n else ""
            v = v.strip() if type(v) is str else _cell(v)
            raw[f] = v
            if v:
                x = folded.get(v)
                if x is None:
                    x = folded[v] = fold(v)
                rec[f] = x
            else:
                rec[f] = ""
        for f in fill:
            if rec[f]:
                last[f] = rec[f]
            else:
                rec[f] = last.get(f, "")
        _read_row(ctx, i + 1, raw, rec, col_of, headers, exit_sheet, missing)


# secondary columns: a bad value blanks the cell with a warning, the row is kept
_OPTIONAL = (
    ("bandwidth", "to_mbps", "bad-bandwidth", "e.g. 100M, 1G, 百兆"),
    ("fee", "to_yuan_per_year", "bad-fee", "e.g. 60000, 5000元/月, 6万/年"),
    ("contract_end", "to_date", "bad-date", "a date, e.g. 2027-06-30"),
    ("access_type", "access_type", "bad-access-type", "an access type, e.g. 互联网专线"),
    ("classified", "to_bool", "bad-yes-no", "是 or 否"),
    ("public_facing", "to_bool", "bad-yes-no", "是 or 否"),
    ("peak_util", "_to_ratio", "bad-utilisation", "a percentage, e.g. 65%"),
)


def _field_issue(ctx, r, col_of, headers, f, severity, code, message, value, expected):
    j = col_of.get(f)
    ctx.issue(r, j, headers.get(j, f), severity, code, message, value, expected)


def _field_reject(ctx, r, col_of, headers, f, code, message, value, expected):
    _field_issue(ctx, r, col_of, headers, f, "error", code, message, value, expected)
    ctx.rejected += 1


def _read_row(ctx, r, raw, rec, col_of, headers, exit_sheet, missing):
    """One data row: *raw* cell texts as typed, *rec* the same folded."""
    # issue()/reject() are module functions taking the row's context explicitly: closures made
    # per row cost more than the rest of a clean row (100,000-row sheets)
    issue = partial(_field_issue, ctx, r, col_of, headers)
    reject = partial(_field_reject, ctx, r, col_of, headers)

    if missing:
        reject(missing[0], "missing-column", f"sheet has no {missing[0]} column", "",
               f"a column for {missing[0]}")
        return
    for f in ctx.rules.required:
        if not rec.get(f):
            reject(f, "missing-value", f"required {f} is empty; row rejected", "", f"a {f} name")
            return
    get = rec.get
    # network class first: it decides whether the row is an exit or a network
    kind = ""
    if get("network_kind"):
        try:
            kind = nz.network_kind(rec["network_kind"])
        except NormalizeError as e:
            reject("network_kind", "bad-network-kind", f"unknown network class: {e.reason or e}",
                   raw["network_kind"], e.expected)
            return
    if not kind and exit_sheet and get("network_name"):
        try:
            named = nz.network_kind(rec["network_name"])
        except NormalizeError:
            named = ""
        if named not in ("", "internet", "lan"):
            kind = named
    if not kind:
        kind = "internet" if exit_sheet else "lan"
    cidrs, note, dynamic, res = [], "", False, None
    if get("ip_range"):
        try:
            res = nz.to_cidrs(raw["ip_range"])
        except NormalizeError as e:
            if kind != "internet":
                reject("ip_range", "bad-ip-range", f"cannot read IP range: {e.reason or e}", raw["ip_range"],
                       e.expected)
                return
            if dynamic_word(raw["ip_range"]) in ctx.rules.dynamic_address_words:
                dynamic = True
            else:
                issue("ip_range", "error", "bad-ip-range",
                      f"cannot read IP range: {e.reason or e}; the exit is kept without a range", raw["ip_range"],
                      e.expected)
            res = None
    if res is not None:
        cidrs = res.cidrs
        note = "; ".join(res.notes)
        if note:
            issue("ip_range", "warning", "host-bits-set", note, raw["ip_range"],
                  "a network address, e.g. 10.1.1.0/24")
    carrier, known = "", False
    if get("carrier"):
        hit = ctx.memo.get(("carrier", raw["carrier"]))
        if hit is None:
            hit = ctx.memo[("carrier", raw["carrier"])] = ctx.carriers.canonical(raw["carrier"])
        carrier, known = hit
        if not known:
            issue("carrier", "warning", "unknown-carrier",
                  f"carrier {raw['carrier']!r} not in rules/carriers.yaml; kept as written", raw["carrier"],
                  "a carrier name or alias from rules/carriers.yaml (电信, 联通, 移动, ...)")
    values = {}
    memo = ctx.memo
    for f, fn, code, expected in _OPTIONAL:
        if not get(f):
            values[f] = None
            continue
        key = (fn, raw[f])
        hit = memo.get(key)
        if hit is None:
            func = _to_ratio if fn == "_to_ratio" else getattr(nz, fn)
            try:
                hit = memo[key] = (func(raw[f]), None)
            except NormalizeError as e:
                hit = memo[key] = (None, e)
        values[f], err = hit
        if err is not None:
            issue(f, "warning", code, f"cannot read {f}: {err.reason or err}; left blank", raw[f],
                  err.expected or expected)
    department, district, town = rec["department"], get("district", ""), get("town", "")
    loc = ctx.loc(r)
    base = {"department": department, "district": district, "attributed_by": "sheet", "source": ctx.source,
            "location": loc}
    purpose = get("purpose", "")
    device = get("device", "")
    if kind == "internet":
        public = " ".join(cidrs)
        ctx.out.add("exits", {
            **base, "exit": ctx.exit_id(department, device, public, carrier),
            "origin": "sheet", "town": town, "access_type": values["access_type"] or "", "device": device,
            "model": get("model", ""), "public_range": public,
            "public_ips": sum(_size(c) for c in cidrs) if cidrs else None, "carrier": carrier,
            "carrier_known": known if carrier else None, "bandwidth_mbps": values["bandwidth"],
            "fee_yuan_year": values["fee"], "contract_end": values["contract_end"] or "",
            "mandated_by": get("mandated_by", ""), "address_mode": "dynamic" if dynamic else "static",
            "services": get("services", "") or purpose,
            "peak_util": values["peak_util"],
        })
        for c in cidrs:
            ctx.out.add("prefixes", {**base, "prefix": c, "family": 6 if ":" in c else 4, "origin": "exit",
                                     "public": nz.is_public(c), "note": note})
    else:
        name = get("network_name", "") or purpose or kind
        network = f"{department}/{name}"
        ctx.out.add("networks", {
            **base, "network": network, "name": name, "kind": kind, "town": town, "carrier": carrier,
            "purpose": purpose, "classified": values["classified"], "vertical_ministry": get("mandated_by", ""),
            "public_facing": values["public_facing"], "tags": "",
        })
        for c in cidrs:
            ctx.out.add("prefixes", {**base, "prefix": c, "family": 6 if ":" in c else 4, "network": network,
                                     "origin": "sheet", "public": nz.is_public(c), "note": note})
    ctx.accepted += 1


def _size(cidr: str) -> int:
    plen = int(cidr.rsplit("/", 1)[1])
    return 2 ** ((128 if ":" in cidr else 32) - plen)


def _to_ratio(value) -> float:
    s = nz.fold(value).rstrip("%")
    try:
        v = float(s)
    except ValueError:
        raise NormalizeError(value, "a percentage, e.g. 65%", "not a number") from None
    v = v / 100 if (str(value).strip().endswith("%") or v > 1) else v
    if not 0 <= v <= 1:
        raise NormalizeError(value, "a percentage between 0% and 100%", "out of range")
    return v


def collect_sheets(paths, base=None, rules=None, carriers=None) -> Rows:
    """Rows from many sheet files; *base* makes ``source`` relative to the inventory directory."""
    rules = rules or load_columns()
    carriers = carriers or nz.Carriers.load()
    out = Rows()
    for p in sorted(Path(p) for p in paths):
        src = p.relative_to(base).as_posix() if base else p.name
        out.update(collect_sheet(p, src, rules, carriers))
    return out
