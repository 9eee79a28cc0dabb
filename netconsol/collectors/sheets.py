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
import re
from pathlib import Path

from .. import normalize as nz
from ..errors import NormalizeError
from ..inventory import Rows
from ..normalize.ipranges import prefix_facts
from ..platforms.base import decode, gc_paused
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


def read_grids(path: Path, sheet: str | None = None, declined: list | None = None, warnings: list | None = None):
    """[(sheet name, rows as lists of cell values, encoding)] of a CSV or XLSX file.

    XLSX merged ranges are filled with their top-left value, so a district
    written once over ten rows is on each of them.  XLSX cells are read by
    :mod:`.xlsx` (exactly what openpyxl's ``iter_rows(values_only=True)`` gives, read
    fast, or by openpyxl itself where the fast reader cannot be sure: *declined* then receives
    why).  CSV lines with an unbalanced quote are read without quote handling: *warnings*
    receives (line number, message) for each.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, enc = decode(path.read_bytes())
        rows = _csv_rows(text, warnings)
        return [("", rows, enc)]
    from .xlsx import read_sheets  # imported here: only XLSX needs it (and openpyxl, slow to import)

    sheets, names = read_sheets(path, declined)
    grids = []
    for title, rows, merged in sheets:
        if sheet is not None and title != sheet:
            continue
        for rng in merged:
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else None
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                row = rows[r]
                for c in range(rng.min_col - 1, rng.max_col):
                    if c < len(row):
                        row[c] = top
        grids.append((title, rows, "xlsx"))
    if sheet is not None and not grids:
        raise FileNotFoundError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(names)})")
    return grids


# the csv module's states (default dialect, doublequote, not strict): 0 start of field, 1 in an
# unquoted field, 2 in a quoted field, 3 a quote seen inside a quoted field
_MULTILINE_MAX = 50  # physical lines one quoted cell may span (a cell typed with Alt+Enter)


def _quote_state(line: str, state: int = 0) -> tuple[int, bool]:
    """(state at the end of *line*, whether a quote closed a quoted cell in the middle of
    a field, as in ``"6"7``: the csv module reads on, a well-formed file does not have it)."""
    sloppy = False
    for ch in line:
        if state == 2:
            if ch == '"':
                state = 3
        elif ch == ",":
            state = 0
        elif state == 0:
            state = 2 if ch == '"' else 1
        elif state == 3:
            if ch != '"':
                sloppy = True
            state = 2 if ch == '"' else 1
    return (0 if state == 3 else state), sloppy


def _csv_rows(text: str, warnings: list | None = None) -> list[list[str]]:
    """Rows of a CSV text, one per physical line, so that a stray quote cannot swallow the rows
    after it.  A quoted cell may still span lines (Alt+Enter in a spreadsheet) when it closes
    within a few lines and its row has the width of the file's usual row; otherwise the line
    that opened the quote is read without quote handling and *warnings* gets its number."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, spans, prev = [], False, 0
    for rec in reader:
        rows.append(rec)
        spans = spans or reader.line_num - prev > 1
        prev = reader.line_num
    if not spans:  # the usual file: each record one physical line
        return rows
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    single = [next(csv.reader([ln]), []) for ln in lines]
    widths = {}
    for r in single:
        if len(r) > 1:
            widths[len(r)] = widths.get(len(r), 0) + 1
    width = max(widths, key=lambda w: (widths[w], w)) if widths else 0
    rows, i, physical = [], 0, 0
    while i < len(lines):
        state, sloppy = _quote_state(lines[i])
        if state != 2:
            rows.append(single[i])
            physical += 1
            i += 1
            continue
        j = i
        while state == 2 and not sloppy and j + 1 < len(lines) and j - i < _MULTILINE_MAX:
            j += 1
            # a line that is a whole row on its own is a row, not the rest of a cell
            sloppy = width > 1 and len(single[j]) >= width
            state, bad = _quote_state("\n" + lines[j], 2)
            sloppy = sloppy or bad
        joined = next(csv.reader(["\n".join(lines[i:j + 1])]), []) if state != 2 and not sloppy else []
        if joined and len(joined) == width:
            rows.append(joined)
            physical += j - i + 1
            i = j + 1
            continue
        rows.append(next(csv.reader([lines[i]], quoting=csv.QUOTE_NONE), []))
        physical += 1
        if warnings is not None:
            warnings.append((i + 1, f"line {i + 1}: unbalanced quote (\"); line read without quote handling, "
                                    f"so it cannot swallow the lines after it"))
        i += 1
    if physical != len(lines):  # every physical line is in exactly one row
        raise ValueError(f"CSV rows cover {physical} of {len(lines)} lines")
    return rows


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
        self.memo: dict = {}  # normalizer -> {cell: result}: most columns repeat a few values

    def exit_id(self, says: str) -> str:
        """Stable id from what the row says (not where it sits), so inserting a row
        elsewhere does not rename exits between scans; repeats get a suffix.  *says*:
        'source|department|device|public range|carrier'."""
        base = "S-" + hashlib.sha1(says.encode()).hexdigest()[:10]
        n = self.ids.get(base, 0) + 1
        self.ids[base] = n
        return base if n == 1 else f"{base}-{n}"

    def loc(self, r: int) -> str:
        return f"{self.sheet}!row {r}" if self.sheet else f"row {r}"

    def issue(self, r, col, header, severity, code, message, value, expected):
        column = f"{_col_letter(col)} ({header})" if col is not None else ""
        self.out.issue(self.source, self.loc(r), severity, code, message, column, value, expected)


@gc_paused  # a sheet leaves no reference cycles; 100,000 rows of dicts made the young-generation GC run often
def collect_sheet(path, source: str | None = None, rules: ColumnRules | None = None, carriers=None,
                  sheet: str | None = None) -> Rows:
    """Rows from one CSV/XLSX self-inspection file (never raises on bad content)."""
    path = Path(path)
    source = source or path.name
    rules = rules or load_columns()
    carriers = carriers or nz.Carriers.load()
    out = Rows()
    fmt = path.suffix.lower().lstrip(".")
    declined = []
    warnings = []
    try:
        grids = read_grids(path, sheet, declined, warnings)
    except Exception as e:  # a broken file is an issue row, never a crash
        out.issue(source, "", "error", "unreadable-sheet", f"cannot read {fmt.upper()} file: {e}",
                  expected="a CSV (UTF-8 or GBK) or XLSX file")
        out.add("files", {"source": source, "kind": "sheet", "platform": fmt, "status": "failed",
                          "rows": 0, "accepted": 0, "rejected": 0})
        return out
    for line, message in warnings:
        out.issue(source, f"line {line}", "warning", "unbalanced-quote", message, expected="quotes in pairs")
    total = accepted = rejected = 0
    encoding = grids[0][2] if grids else ""
    for name, rows, _enc in grids:
        ctx = _Sheet(source, name, rows, rules, carriers, out)
        _read_sheet(ctx, path)
        total += ctx.total
        accepted += ctx.accepted
        rejected += ctx.rejected
    status = "parsed" if rejected == 0 else ("partial" if accepted else "failed")
    if fmt == "csv" and not any(not _blank_row(r) for _n, rows, _e in grids for r in rows):
        out.issue(source, "", "error", "empty-sheet", "the file holds no rows at all (empty, or blank lines only)",
                  expected="a header row and data rows")
        status = "failed"
    out.add("files", {"source": source, "kind": "sheet", "platform": fmt, "encoding": encoding, "status": status,
                      "rows": total, "accepted": accepted, "rejected": rejected})
    if fmt in ("xlsx", "xlsm"):  # a formula without its result reads as an empty cell: say so
        from .formulas import uncached_formulas

        for title, ref in uncached_formulas(path):
            out.issue(source, f"{title}!{ref}", "warning", "formula-no-value",
                      f"cell {ref} holds a formula without a calculated value; read as empty",
                      column=re.sub(r"[0-9]+$", "", ref), expected="a workbook saved by a program that calculates "
                      "(open and save it in Excel or WPS)")
    if declined:   # same rows, read the slow way: say why, so a slow scan is explained
        out.issue(source, "", "info", "xlsx-read-by-openpyxl",
                  f"workbook read cell by cell with openpyxl (about 5x slower): the fast reader does not "
                  f"handle it exactly ({declined[0]})", expected="")
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
    first = {f: j for j, f in mapping.items()}
    for j, v in enumerate(rows[h]):  # a second column of a field already read is named, not dropped silently
        f = rules.field_for(v) if v not in (None, "") and j not in mapping else ""
        if f and f in first:
            ctx.issue(h + 1, j, _cell(v), "warning", "duplicate-column",
                      f"column {_col_letter(j)} ({_cell(v)}) is a second {f} column after column "
                      f"{_col_letter(first[f])} ({headers[first[f]]}); only the first is read", _cell(v),
                      "one column per field")
    context_text = f"{path.stem} {ctx.sheet} {title}".lower()
    exit_sheet = any(w in context_text for w in rules.exit_sheet_words)
    missing = [f for f in rules.required if f not in mapping.values()]
    col_of = {f: j for j, f in mapping.items()}

    body, nums = [], []  # the non-blank data rows and their sheet row numbers (1-based)
    for i in range(h + 1, len(rows)):
        row = rows[i]
        if not _blank_row(row):
            body.append(row)
            nums.append(i + 1)
    ctx.total += len(body)
    if not body:
        return
    if missing:
        f = missing[0]
        for r in nums:
            _field_reject(ctx, r, col_of, headers, f, "missing-column", f"sheet has no {f} column", "",
                          f"a column for {f}")
        return
    _read_rows(ctx, body, nums, col_of, headers, exit_sheet)


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
# fields whose folded text goes into the output tables or decides the row (network class)
_TEXT_FIELDS = ("department", "district", "town", "network_name", "network_kind", "device", "model", "purpose",
                "mandated_by", "services")
# fields whose text as typed goes to a normalizer: read through a memo keyed by the cell
_KEYED_FIELDS = ("ip_range", "carrier") + tuple(o[0] for o in _OPTIONAL)
_FILLED = "filled"  # ("filled", text as typed): a blank cell of a fill-down column with a value above


def _field_issue(ctx, r, col_of, headers, f, severity, code, message, value, expected):
    j = col_of.get(f)
    ctx.issue(r, j, headers.get(j, f), severity, code, message, value, expected)


def _field_reject(ctx, r, col_of, headers, f, code, message, value, expected):
    _field_issue(ctx, r, col_of, headers, f, "error", code, message, value, expected)
    ctx.rejected += 1


def _given(key) -> tuple[bool, str]:
    """(whether the cell counts as filled in, its text as typed) for a cell key of _columns:
    filled in when the folded text is non-blank.  Printable text left after strip() folds to
    something non-blank when it is ASCII (NFKC and the punctuation table leave ASCII alone)."""
    if type(key) is tuple:
        return True, key[1]
    s = key.strip()
    return bool(s) and (s.isascii() or bool(nz.fold(s))), s


def _columns(body, col_of, rules):
    """The cells of the data rows, column by column; each distinct cell text of a column is
    stripped and folded once.

    *text*: folded (and filled down) text of the fields in _TEXT_FIELDS and fill-down fields;
    *raw*: the network class as typed; *keys*: for _KEYED_FIELDS, a key per row from which
    :func:`_given` tells whether the cell is filled in and its text as typed (the cell itself, or
    ``("filled", text)`` where fill-down gave a blank cell a value); *given*: for required
    fields, whether the row has them.
    """
    width = min(map(len, body))
    fold = nz.fold
    folded: dict[str, str] = {"": ""}
    fill = set(rules.fill_down)
    raw, text, keys, given = {}, {}, {}, {}
    needed = set(_TEXT_FIELDS).union(rules.required, _KEYED_FIELDS)
    for f, j in col_of.items():
        if f not in needed:
            continue  # seq, remark: read by nothing
        cells = [row[j] for row in body] if j < width else [row[j] if j < len(row) else "" for row in body]
        if set(map(type, cells)) != {str}:  # XLSX numbers, dates, None: not keys of one dict (1 == 1.0 == True)
            cells = [v.strip() if type(v) is str else _cell(v) for v in cells]
        if f in _TEXT_FIELDS or f in fill:
            stripped = {v: v.strip() for v in set(cells)}
            for s in set(stripped.values()).difference(folded):
                folded[s] = fold(s)
            to_text = {v: folded[s] for v, s in stripped.items()}
            rec = list(map(to_text.__getitem__, cells))
            if f == "network_kind":
                raw[f] = list(map(stripped.__getitem__, cells))
            if f in fill:
                own = rec.copy()
                last = ""
                for k, v in enumerate(rec):
                    if v:
                        last = v
                    else:
                        rec[k] = last
                if f in _KEYED_FIELDS:
                    keys[f] = [(_FILLED, stripped[c]) if t and not o else c for c, o, t in zip(cells, own, rec)]
            elif f in _KEYED_FIELDS:
                keys[f] = cells
            text[f] = given[f] = rec
        else:
            keys[f] = cells
            if f in rules.required:
                filled_in = {c: _given(c)[0] for c in set(cells)}
                given[f] = list(map(filled_in.__getitem__, cells))
    return raw, text, keys, given


def _why(e: NormalizeError) -> tuple[str, str]:
    """What an issue row says of a normalizer's error (kept instead of the exception: its
    traceback would tie the reader's frame, and the whole sheet, into a reference cycle)."""
    return f"{e.reason or e}", e.expected


def _read_range(key):
    """memo entry of an IP range cell: False when blank, else [cidrs, note, error, text as typed,
    prefix facts (filled in when the row is accepted)]."""
    filled_in, v = _given(key)
    if not filled_in:
        return False
    try:
        res = nz.to_cidrs(v)
    except NormalizeError as e:
        return [None, None, _why(e), v, None]
    return [res.cidrs, "; ".join(res.notes), None, v, None]


def _read_value(func, key):
    """memo entry of a secondary cell: False when blank, else (value, error, text as typed)."""
    filled_in, v = _given(key)
    if not filled_in:
        return False
    try:
        return func(v), None, v
    except NormalizeError as e:
        return None, _why(e), v


def _read_rows(ctx: _Sheet, body, nums, col_of, headers, exit_sheet):
    """The non-blank data rows of a sheet whose required columns are all there.

    Same decisions, in the same order, as one row at a time (missing required value, network
    class, IP range, carrier, secondary columns): the cells are read column by column and every
    normalizer runs once per distinct cell of its column.
    """
    n = len(body)
    raw, text, keys, given = _columns(body, col_of, ctx.rules)
    blank = [""] * n
    src, out, carriers, memo = ctx.source, ctx.out, ctx.carriers, ctx.memo
    issue = out.issue
    # out[table].append, taken when the table's first row comes (so tables appear in out in the same
    # order as with out.add): a bound list method instead of a Python call per row
    add_exit = add_network = add_prefix = None
    locp = f"{ctx.sheet}!row " if ctx.sheet else "row "
    label = {f: f"{_col_letter(j)} ({headers[j]})" for f, j in col_of.items()}

    def warn(r, f, code, message, value, expected):
        issue(src, locp + str(r), "warning", code, message, label.get(f, ""), value, expected)

    def reject(r, f, code, message, value, expected):
        issue(src, locp + str(r), "error", code, message, label.get(f, ""), value, expected)
        ctx.rejected += 1

    required = [(f, given[f]) for f in ctx.rules.required]
    kind_text = text.get("network_kind")
    kind_raw = raw.get("network_kind")
    ip_keys, car_keys = keys.get("ip_range"), keys.get("carrier")
    optional = [(i, f, _to_ratio if fn == "_to_ratio" else getattr(nz, fn), memo.setdefault(fn, {}), code, expected,
                 keys[f])
                for i, (f, fn, code, expected) in enumerate(_OPTIONAL) if f in col_of]
    no_values = [None] * len(_OPTIONAL)
    departments = text.get("department", blank)   # rules may let a sheet go without one: blank
    districts, towns = text.get("district", blank), text.get("town", blank)
    purposes, devices, models = text.get("purpose", blank), text.get("device", blank), text.get("model", blank)
    mandated, services, names = text.get("mandated_by", blank), text.get("services", blank), \
        text.get("network_name", blank)
    default_kind = "internet" if exit_sheet else "lan"
    kinds: dict = {}  # folded network class -> (kind, error)
    ranges = memo.setdefault("ip_range", {})  # cell key -> _read_range()
    carrier_memo = memo.setdefault("carrier", {})  # cell key -> False or (carrier, known, text as typed)
    network_kind = nz.network_kind
    exit_id = ctx.exit_id
    accepted = 0
    for k in range(n):
        r = nums[k]
        for f, g in required:
            if not g[k]:
                reject(r, f, "missing-value", f"required {f} is empty; row rejected", "", f"a {f} name")
                break
        else:
            f = None
        if f is not None:
            continue
        # network class first: it decides whether the row is an exit or a network
        kind = ""
        if kind_text is not None and kind_text[k]:
            v = kind_text[k]
            hit = kinds.get(v)
            if hit is None:
                try:
                    hit = kinds[v] = (network_kind(v), None)
                except NormalizeError as e:
                    hit = kinds[v] = ("", _why(e))
            kind, err = hit
            if err is not None:
                reject(r, "network_kind", "bad-network-kind", f"unknown network class: {err[0]}", kind_raw[k], err[1])
                continue
        if not kind:
            kind = default_kind
        rng = False
        if ip_keys is not None:
            key = ip_keys[k]
            rng = ranges.get(key)
            if rng is None:
                rng = ranges[key] = _read_range(key)
            if rng:
                if rng[2] is not None:
                    reject(r, "ip_range", "bad-ip-range", f"cannot read IP range: {rng[2][0]}", rng[3], rng[2][1])
                    continue
                if rng[1]:
                    warn(r, "ip_range", "host-bits-set", rng[1], rng[3], "a network address, e.g. 10.1.1.0/24")
        carrier, known = "", False
        if car_keys is not None:
            key = car_keys[k]
            hit = carrier_memo.get(key)
            if hit is None:
                filled_in, v = _given(key)
                hit = carrier_memo[key] = (*carriers.canonical(v), v) if filled_in else False
            if hit:
                carrier, known, v = hit
                if not known:
                    warn(r, "carrier", "unknown-carrier", f"carrier {v!r} not in rules/carriers.yaml; kept as written",
                         v, "a carrier name or alias from rules/carriers.yaml (电信, 联通, 移动, ...)")
        values = no_values
        for i, f, func, fmemo, code, expected, fkeys in optional:
            key = fkeys[k]
            hit = fmemo.get(key)
            if hit is None:
                hit = fmemo[key] = _read_value(func, key)
            if hit:
                if values is no_values:
                    values = no_values.copy()
                values[i], err, v = hit
                if err is not None:
                    warn(r, f, code, f"cannot read {f}: {err[0]}; left blank", v, err[1] or expected)
        bandwidth, fee, contract_end, access, classified, public_facing, peak_util = values
        department = departments[k]
        district = districts[k]
        loc = locp + str(r)
        purpose = purposes[k]
        device = devices[k]
        if rng:
            note = rng[1]
            if rng[4] is None:
                cidrs = rng[0]
                addresses, facts = prefix_facts(cidrs)
                rng[4] = (" ".join(cidrs), addresses if cidrs else None, facts)
            public, public_ips, prefixes = rng[4]
        else:
            public, public_ips, prefixes = "", None, ()
        if kind == "internet":
            if add_exit is None:
                add_exit = out["exits"].append
            add_exit({
                "department": department, "district": district, "attributed_by": "sheet", "source": src,
                "location": loc, "exit": exit_id(f"{src}|{department}|{device}|{public}|{carrier}"),
                "origin": "sheet", "town": towns[k], "access_type": access or "", "device": device,
                "model": models[k], "public_range": public, "public_ips": public_ips, "carrier": carrier,
                "carrier_known": known if carrier else None, "bandwidth_mbps": bandwidth,
                "fee_yuan_year": fee, "contract_end": contract_end or "", "mandated_by": mandated[k],
                "services": services[k] or purpose, "peak_util": peak_util,
            })
            for c, family, pub in prefixes:
                if add_prefix is None:
                    add_prefix = out["prefixes"].append
                add_prefix({
                    "department": department, "district": district, "attributed_by": "sheet", "source": src,
                    "location": loc, "prefix": c, "family": family, "origin": "exit", "public": pub, "note": note})
        else:
            name = names[k] or purpose or kind
            network = f"{department}/{name}"
            if add_network is None:
                add_network = out["networks"].append
            add_network({
                "department": department, "district": district, "attributed_by": "sheet", "source": src,
                "location": loc, "network": network, "name": name, "kind": kind, "town": towns[k],
                "carrier": carrier, "purpose": purpose, "classified": classified,
                "vertical_ministry": mandated[k], "public_facing": public_facing, "tags": "",
            })
            for c, family, pub in prefixes:
                if add_prefix is None:
                    add_prefix = out["prefixes"].append
                add_prefix({
                    "department": department, "district": district, "attributed_by": "sheet", "source": src,
                    "location": loc, "prefix": c, "family": family, "network": network, "origin": "sheet",
                    "public": pub, "note": note})
        accepted += 1
    ctx.accepted += accepted


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
