"""Self-inspection sheets (自查表): CSV and XLSX, Chinese or English headers.

Every non-blank data row below the header is either accepted (rows in
``networks``/``exits`` and ``prefixes``) or rejected (an ``issues`` row of
severity error naming file, sheet, row, column, the raw value and what was
expected).  A value that is wrong in a secondary column (bandwidth, fee, date,
access type, yes/no) does not reject the row: the cell is left blank and a
warning says so.  The ``files`` table holds one line per file:
rows = accepted + rejected.
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from .. import normalize as nz
from ..errors import NormalizeError
from ..inventory import Rows
from ..platforms.base import decode
from ..rules import ColumnRules, load_columns

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


def _read_sheet(ctx: _Sheet, path: Path):
    rows, rules = ctx.rows, ctx.rules
    h, mapping = _find_header(rows, rules)
    data_start = h + 1
    nonblank = [i for i in range(max(data_start, 0), len(rows)) if any(_cell(v) for v in rows[i])]
    if h < 0:
        nonblank = [i for i in range(len(rows)) if any(_cell(v) for v in rows[i])]
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
    last = {}
    for i in nonblank:
        ctx.total += 1
        raw_row = rows[i]
        rec = {}
        for j, f in mapping.items():
            rec[f] = _cell(raw_row[j]) if j < len(raw_row) else ""
        for f in rules.fill_down:
            if f in rec:
                if rec[f]:
                    last[f] = rec[f]
                else:
                    rec[f] = last.get(f, "")
        _read_row(ctx, i + 1, rec, col_of, headers, exit_sheet, missing)


def _read_row(ctx, r, rec, col_of, headers, exit_sheet, missing):
    def hdr(f):
        j = col_of.get(f)
        return j, headers.get(j, f)

    def reject(f, code, message, value, expected):
        j, name = hdr(f)
        ctx.issue(r, j, name, "error", code, message, value, expected)
        ctx.rejected += 1

    def warn(f, code, message, value, expected):
        j, name = hdr(f)
        ctx.issue(r, j, name, "warning", code, message, value, expected)

    if missing:
        reject(missing[0], "missing-column", f"sheet has no {missing[0]} column", "",
               f"a column for {missing[0]}")
        return
    for f in ctx.rules.required:
        if not nz.fold(rec.get(f, "")):
            reject(f, "missing-value", f"required {f} is empty; row rejected", "", f"a {f} name")
            return
    # network class first: it decides whether the row is an exit or a network
    kind = ""
    raw_kind = rec.get("network_kind", "")
    if nz.fold(raw_kind):
        try:
            kind = nz.network_kind(raw_kind)
        except NormalizeError as e:
            reject("network_kind", "bad-network-kind", f"unknown network class: {e.reason or e}", raw_kind,
                   e.expected)
            return
    if not kind:
        kind = "internet" if exit_sheet else "lan"
    cidrs, note = [], ""
    raw_ip = rec.get("ip_range", "")
    if nz.fold(raw_ip):
        try:
            res = nz.to_cidrs(raw_ip)
        except NormalizeError as e:
            reject("ip_range", "bad-ip-range", f"cannot read IP range: {e.reason or e}", raw_ip, e.expected)
            return
        cidrs = list(res.cidrs)
        note = "; ".join(res.notes)
        if note:
            warn("ip_range", "host-bits-set", note, raw_ip, "a network address, e.g. 10.1.1.0/24")
    department = nz.fold(rec.get("department", ""))
    district = nz.fold(rec.get("district", ""))
    town = nz.fold(rec.get("town", ""))
    carrier, known = "", False
    raw_carrier = rec.get("carrier", "")
    if nz.fold(raw_carrier):
        carrier, known = ctx.carriers.canonical(raw_carrier)
        if not known:
            warn("carrier", "unknown-carrier", f"carrier {raw_carrier!r} not in rules/carriers.yaml; kept as written",
                 raw_carrier, "a carrier name or alias from rules/carriers.yaml (电信, 联通, 移动, ...)")

    def optional(f, fn, code, expected):
        raw = rec.get(f, "")
        if not nz.fold(raw):
            return None
        try:
            return fn(raw)
        except NormalizeError as e:
            warn(f, code, f"cannot read {f}: {e.reason or e}; left blank", raw, e.expected or expected)
            return None

    bandwidth = optional("bandwidth", nz.to_mbps, "bad-bandwidth", "e.g. 100M, 1G, 百兆")
    fee = optional("fee", nz.to_yuan_per_year, "bad-fee", "e.g. 60000, 5000元/月, 6万/年")
    contract_end = optional("contract_end", nz.to_date, "bad-date", "a date, e.g. 2027-06-30")
    access = optional("access_type", nz.access_type, "bad-access-type", "an access type, e.g. 互联网专线")
    classified = optional("classified", nz.to_bool, "bad-yes-no", "是 or 否")
    public_facing = optional("public_facing", nz.to_bool, "bad-yes-no", "是 or 否")
    peak = optional("peak_util", _to_ratio, "bad-utilisation", "a percentage, e.g. 65%")
    loc = ctx.loc(r)
    base = {"department": department, "district": district, "attributed_by": "sheet", "source": ctx.source,
            "location": loc}
    purpose = nz.fold(rec.get("purpose", ""))
    if kind == "internet":
        public = " ".join(cidrs)
        ident = "|".join([department, carrier, public, nz.fold(rec.get("device", ""))])
        ctx.out.add("exits", {
            **base, "exit": "S-" + hashlib.sha1(f"{ctx.source}|{loc}|{ident}".encode()).hexdigest()[:10],
            "origin": "sheet", "town": town, "access_type": access or "", "device": nz.fold(rec.get("device", "")),
            "model": nz.fold(rec.get("model", "")), "public_range": public,
            "public_ips": sum(_size(c) for c in cidrs) if cidrs else None, "carrier": carrier,
            "carrier_known": known if carrier else None, "bandwidth_mbps": bandwidth, "fee_yuan_year": fee,
            "contract_end": contract_end or "", "mandated_by": nz.fold(rec.get("mandated_by", "")),
            "services": nz.fold(rec.get("services", "")) or purpose, "peak_util": peak,
        })
        for c in cidrs:
            ctx.out.add("prefixes", {**base, "prefix": c, "family": 6 if ":" in c else 4, "origin": "exit",
                                     "public": nz.is_public(c), "note": note})
    else:
        name = nz.fold(rec.get("network_name", "")) or purpose or kind
        network = f"{department}/{name}"
        ctx.out.add("networks", {
            **base, "network": network, "name": name, "kind": kind, "town": town, "carrier": carrier,
            "purpose": purpose, "classified": classified, "vertical_ministry": nz.fold(rec.get("mandated_by", "")),
            "public_facing": public_facing, "tags": "",
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
