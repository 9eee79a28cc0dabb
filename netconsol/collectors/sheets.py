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
import difflib
import hashlib
import io
import re
from bisect import bisect_left
from pathlib import Path

from .. import normalize as nz
from ..errors import NormalizeError
from ..inventory import Rows
from ..normalize.ipranges import prefix_facts
from ..platforms.base import decode, gc_paused
from ..rules import ColumnRules, load_columns
from ..normalize.vocabulary import default_vocabulary
from ..normalize.text import cell_text
from .declared import read_declared_devices
from .limits import check_xls, check_xlsx
from .rooms import read_rooms

__all__ = ["collect_sheet", "collect_sheets", "SHEET_SUFFIXES", "read_grids", "Known"]

SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _open_workbook(path: Path):
    """The workbook of an XLSX/XLSM/XLSB/XLS/ODS file, read by python-calamine (Rust: the cells and
    merged ranges of every format clerks save, WPS's .xls included).  A zip-based workbook is first
    checked against the size limits (limits.py): a hostile one is refused before it is opened."""
    from python_calamine import CalamineWorkbook

    if Path(path).suffix.lower() == ".xls":
        check_xls(path)
    else:
        check_xlsx(path)
    return CalamineWorkbook.from_path(str(path))


def read_grids(path: Path, sheet: str | None = None, warnings: list | None = None):
    """[(sheet name, rows as lists of cell values, encoding)] of a CSV file or a workbook.

    Workbook cells come from python-calamine (numbers as float or int, dates as datetime, blanks
    as ''); merged ranges are filled with their top-left value, so a district written once over
    ten rows is on each of them.  CSV lines with an unbalanced quote are read without quote
    handling: *warnings* receives (line number, message) for each.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, enc = decode(path.read_bytes())
        rows = _csv_rows(text, warnings)
        return [("", rows, enc)]
    wb = _open_workbook(path)
    names = list(wb.sheet_names)
    fmt = suffix.lstrip(".")
    grids = []
    for i, title in enumerate(names):
        if sheet is not None and title != sheet:
            continue
        ws = wb.get_sheet_by_index(i)
        rows = ws.to_python(skip_empty_area=False)
        for (r1, c1), (r2, c2) in ws.merged_cell_ranges or ():
            if r1 >= len(rows):
                continue
            top = rows[r1][c1] if c1 < len(rows[r1]) else ""
            for r in range(r1, min(r2 + 1, len(rows))):
                row = rows[r]
                for c in range(c1, min(c2 + 1, len(row))):
                    row[c] = top
        grids.append((title, rows, fmt))
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


_cell = cell_text   # the one reading of a cell (normalize/text.py)


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


class Known:
    """What the manifest knows, for reading a sheet: department names and aliases, the devices it
    lists (an empty 单位 is tied to its access device's department), district and town names (to
    fold 金山 -> 金山县, 城关 -> 城关镇) and the extranet domains' ranges (to tell which domain a
    bare 政务外网 row is on).  Empty without a manifest: every name is kept as written."""

    CITY_WORDS = ("市直", "市本级", "市级", "本级", "市属", "直属")
    SUFFIXES = ("街道办事处", "街道", "县", "区", "市", "镇", "乡")

    def __init__(self, manifest=None):
        self.departments: dict = {}      # folded lower name or alias -> manifest name
        self.dept_district: dict = {}
        self.devices: dict = {}          # folded lower hostname -> (hostname, department, district)
        self.districts: tuple = ()
        self.towns: dict = {}            # district -> town names
        self.city = ""
        self.domains: list = []          # (version, first, last, kind) of extranet domain prefixes
        if manifest is None:
            return
        from netaddr import IPNetwork

        self.city = manifest.city
        for dep in manifest.departments:
            for n in [dep["name"], *dep["aliases"]]:
                self.departments[nz.fold(n).lower()] = dep["name"]
            self.dept_district[dep["name"]] = dep["district"]
        for x in [*manifest.networks, *manifest.devices.values()]:
            d = x.get("department")
            if d:
                self.departments.setdefault(nz.fold(d).lower(), d)
        for host, d in manifest.devices.items():
            if d.get("department"):
                self.devices[nz.fold(host).lower()] = (host, d["department"], d.get("district", ""))
        self.districts = tuple(d["name"] for d in manifest.districts)
        self.towns = {d["name"]: tuple(t["name"] for t in d["towns"]) for d in manifest.districts}
        for n in manifest.networks:
            if n["kind"] in ("extranet_admin", "extranet_public"):
                for p in n["prefixes"]:
                    net = IPNetwork(p)
                    self.domains.append((net.version, int(net.first), int(net.last), n["kind"]))

    def device(self, name: str):
        return self.devices.get(nz.fold(name).lower())

    def department(self, name: str) -> tuple[str, bool]:
        """(manifest name, known) of a department as written; unknown names stay as written
        (known is True when the manifest lists no departments: nothing to check against)."""
        hit = self.departments.get(nz.fold(name).lower())
        if hit is not None:
            return hit, True
        return name, not self.departments

    def _fold_name(self, text: str, names) -> str:
        if not names or not text:
            return text
        # the same cell text recurs row after row and sheet after sheet: each (text, name list)
        # is looked at once (the name lists live as long as this object, so their ids are theirs);
        # a name of the list is itself (a dict lookup, not a scan of a province's towns)
        cache = self.__dict__.setdefault("_folded", {})
        key = (text, id(names))
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = text if text in names else self._fold_name_scan(text, names)
        return hit

    def _fold_name_scan(self, text: str, names) -> str:
        """The one name of *names* that starts with *text* or that *text* starts with, else the one
        whose stem is *text* (or the city's name and the stem, a stem of two characters or more);
        *text* itself when none or several.  Looked up in an index of the names (sorted, by
        text, by stem), not by a scan of a province's 1,200 districts per cell."""
        order, at, by_stem = self._name_index(names)
        # (a name that is the text plus a suffix starts with the text: the first test holds it)
        hits = set()
        for i in range(bisect_left(order, (text,)), len(order)):
            if not order[i][0].startswith(text):
                break
            hits.add(order[i][1])
        for k in range(len(text) + 1):
            hits.update(at.get(text[:k], ()))
        if len(hits) != 1:   # also the case where one name's stem is both a prefix and a suffix: keep
            hits = set(by_stem.get(text, ()))
            rest = text[len(self.city):] if self.city and text.startswith(self.city) else None
            if rest is not None and len(rest) > 1:
                hits.update(by_stem.get(rest, ()))
        return names[hits.pop()] if len(hits) == 1 else text

    def _name_index(self, names) -> tuple:
        """([(name, position)] sorted, {name: [positions]}, {stem: [positions]}), once per name list."""
        cache = self.__dict__.setdefault("_name_indexes", {})
        hit = cache.get(id(names))
        if hit is None:
            stems = self._stems(names)
            at, by_stem = {}, {}
            for i, n in enumerate(names):
                at.setdefault(n, []).append(i)
                by_stem.setdefault(stems[n], []).append(i)
            hit = cache[id(names)] = (sorted((n, i) for i, n in enumerate(names)), at, by_stem)
        return hit

    def _fold_name_plain(self, text: str, names) -> str:
        """:meth:`_fold_name_scan` as a scan of every name (tests compare the two)."""
        hits = [n for n in names if n.startswith(text) or text.startswith(n)]
        if len(hits) != 1:
            stems = self._stems(names)
            hits = [n for n in names if stems[n] == text or (text.endswith(stems[n]) and len(stems[n]) > 1
                                                                 and text[:-len(stems[n])] in (self.city, ""))]
        return hits[0] if len(hits) == 1 else text

    def _stems(self, names) -> dict:
        """{name: name without its first matching suffix}, once per name list."""
        cache = self.__dict__.setdefault("_stem_lists", {})
        hit = cache.get(id(names))
        if hit is None:
            hit = cache[id(names)] = {n: next((n[:-len(s)] for s in self.SUFFIXES if n.endswith(s) and len(n) > len(s)),
                                              n) for n in names}
        return hit

    def district(self, text: str, department: str) -> str:
        """The manifest's district for a district cell: exact, else the one name it is a unique
        prefix or stem of (金山 -> 金山县, 东港 -> 东港市); 市直 and the city's own name mean
        city level (''); blank takes the department's district."""
        if not text:
            return self.dept_district.get(department, "")
        if text in self.CITY_WORDS or (self.city and text == self.city):
            return ""   # the city's own name is not a district (金山市 is the city, 金山 is 金山县)
        return self._fold_name(text, self.districts)

    def town(self, district: str, text: str) -> str:
        names = self.towns.get(district)
        if not names:
            names = self.__dict__.get("_all_towns")
            if names is None:
                names = self.__dict__["_all_towns"] = tuple(t for ts in self.towns.values() for t in ts)
        return self._fold_name(text, names)

    def domain_of(self, prefixes) -> str:
        """The extranet domain whose ranges hold every one of *prefixes* ((cidr, family, public)),
        '' when none does (or the manifest names none)."""
        if not self.domains:
            return ""
        from netaddr import IPNetwork

        kinds = set()
        for c, _family, _pub in prefixes:
            net = IPNetwork(c)
            hit = {k for v, a, z, k in self.domains if v == net.version and a <= net.first and net.last <= z}
            if len(hit) != 1:
                return ""
            kinds |= hit
        return kinds.pop() if len(kinds) == 1 else ""


class _Sheet:
    """Context of one sheet while its rows are read."""

    def __init__(self, source, sheet, rows, rules, carriers, out: Rows, known=None, vocabulary=None, file=None):
        self.source, self.sheet, self.rules, self.carriers, self.out = source, sheet, rules, carriers, out
        self.known = known or Known()
        self.vocabulary = vocabulary or default_vocabulary()
        self.file = file if file is not None else {"networks": {}, "unknown": {}}
        self.networks = self.file["networks"]
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

    def unknown_department(self, r: int, name: str, column: str):
        """A department spelling the manifest does not know: one warning per file, at its first row
        (collect_sheet words it when the file is read, with the row count)."""
        u = self.file["unknown"].get(name)
        if u is None:
            self.file["unknown"][name] = [self.loc(r), column, 1]
        else:
            u[2] += 1

    def issue(self, r, col, header, severity, code, message, value, expected):
        column = f"{_col_letter(col)} ({header})" if col is not None else ""
        self.out.issue(self.source, self.loc(r), severity, code, message, column, value, expected)


@gc_paused  # a sheet leaves no reference cycles; 100,000 rows of dicts made the young-generation GC run often
def collect_sheet(path, source: str | None = None, rules: ColumnRules | None = None, carriers=None,
                  sheet: str | None = None, known: Known | None = None, vocabulary=None) -> Rows:
    """Rows from one self-inspection file: CSV, XLSX, XLS or ODS (never raises on bad content).
    *known*: what the manifest knows (:class:`Known`); *vocabulary*: rules/vocabulary.yaml's words."""
    path = Path(path)
    source = source or path.name
    rules = rules or load_columns()
    carriers = carriers or nz.Carriers.load()
    out = Rows()
    fmt = path.suffix.lower().lstrip(".")
    warnings = []
    try:
        grids = read_grids(path, sheet, warnings)
    except Exception as e:  # a broken file is an issue row, never a crash
        out.issue(source, "", "error", "unreadable-sheet", f"cannot read {fmt.upper()} file: {e}",
                  expected="a CSV (UTF-8 or GBK) or an XLSX, XLS or ODS workbook")
        out.add("files", {"source": source, "kind": "sheet", "platform": fmt, "status": "failed",
                          "rows": 0, "accepted": 0, "rejected": 0})
        return out
    for line, message in warnings:
        out.issue(source, f"line {line}", "warning", "unbalanced-quote", message, expected="quotes in pairs")
    total = accepted = rejected = 0
    encoding = grids[0][2] if grids else ""
    file = {"networks": {}, "unknown": {}}   # what one file's sheets share: network names, unknown departments
    for name, rows, _enc in grids:
        ctx = _Sheet(source, name, rows, rules, carriers, out, known, vocabulary, file)
        # a 机房 (server-room) sheet goes to the rooms table, a 设备 sheet to the devices table
        if not read_rooms(ctx, path) and not read_declared_devices(ctx, path):
            _read_sheet(ctx, path)
        total += ctx.total
        accepted += ctx.accepted
        rejected += ctx.rejected
    for name, (loc, column, count) in file["unknown"].items():
        choices = sorted(set((known or Known()).departments.values()))
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        hint = f" (closest manifest name: {close[0]!r})" if close else ""
        out.issue(source, loc, "warning", "unknown-department",
                  f"department {name!r} is not in the manifest's departments{hint}: its {count} row(s) here are "
                  f"kept as written and count as a department of their own; add it to the manifest, or as an "
                  f"alias of the department it is", column, name, "a department name or alias from the manifest")
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
    # what the sheet holds, by its name and title: internet exits, or networks (the default below);
    # a reader of another kind of sheet (e.g. server rooms, 机房) is dispatched here
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
                "mandated_by", "services", "remark", "build")
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
            continue  # seq: read by nothing
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


def _read_range(key, voc):
    """memo entry of an IP range cell: False when blank or a dynamic address (动态地址, 拨号), else
    [cidrs, note, error, text as typed, prefix facts (filled in when the row is accepted),
    host range read as a subnet]."""
    filled_in, v = _given(key)
    if not filled_in or voc.is_dynamic(v):
        return False
    try:
        res = nz.to_cidrs(v)
    except NormalizeError as e:
        return [None, None, _why(e), v, None, ""]
    return [res.cidrs, "; ".join(res.notes), None, v, None, "; ".join(res.subnets)]


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
    """The non-blank data rows of a sheet that has a department column.

    One rule for rows: a row is rejected only when it cannot be tied to a department (its 单位
    is empty and its access device is not one the manifest knows).  Any other bad or unknown cell
    is blanked (IP range, bandwidth, fee, date ...) or kept as written (carrier, network type:
    kind ``unknown``) with an issue naming the column, the value and what was expected.  The cells
    are read column by column and every normalizer runs once per distinct cell of its column.
    """
    n = len(body)
    raw, text, keys, given = _columns(body, col_of, ctx.rules)
    blank = [""] * n
    src, out, carriers, memo, known, voc = ctx.source, ctx.out, ctx.carriers, ctx.memo, ctx.known, ctx.vocabulary
    issue = out.issue
    add_exit = add_network = add_prefix = None
    locp = f"{ctx.sheet}!row " if ctx.sheet else "row "
    label = {f: f"{_col_letter(j)} ({headers[j]})" for f, j in col_of.items()}
    header = {f: headers[j] for f, j in col_of.items()}

    def say(r, f, severity, code, message, value, expected):
        issue(src, locp + str(r), severity, code, message, label.get(f, ""), value, expected)

    def reject(r, f, code, message, value, expected):
        say(r, f, "error", code, message, value, expected)
        ctx.rejected += 1

    kind_text = text.get("network_kind")
    kind_raw = raw.get("network_kind")
    ip_keys, car_keys = keys.get("ip_range"), keys.get("carrier")
    optional = [(i, f, _to_ratio if fn == "_to_ratio" else getattr(nz, fn), memo.setdefault(fn, {}), code, expected,
                 keys[f])
                for i, (f, fn, code, expected) in enumerate(_OPTIONAL) if f in col_of]
    no_values = [None] * len(_OPTIONAL)
    others_required = [(f, given[f]) for f in ctx.rules.required if f != "department"]
    departments = text.get("department", blank)
    districts, towns = text.get("district", blank), text.get("town", blank)
    purposes, devices, models = text.get("purpose", blank), text.get("device", blank), text.get("model", blank)
    mandated, services, names = text.get("mandated_by", blank), text.get("services", blank), \
        text.get("network_name", blank)
    remarks, builds = text.get("remark", blank), text.get("build", blank)
    default_kind = "internet" if exit_sheet else "lan"
    kinds: dict = {}  # folded network class -> (kind, error, unnamed extranet)
    ranges = memo.setdefault("ip_range", {})  # cell key -> _read_range()
    carrier_memo = memo.setdefault("carrier", {})  # cell key -> False or (carrier, known, text as typed)
    model_memo = memo.setdefault("model", {})
    fact_memo = memo.setdefault("facts", {})
    ministry_memo = memo.setdefault("ministry", {})
    place_memo = memo.setdefault("place", {})
    network_kind = nz.network_kind
    exit_id = ctx.exit_id
    seen_nets = ctx.networks  # network id -> (row, kind, cidrs, carrier, carrier as typed, range as typed)
    accepted = 0
    for k in range(n):
        r = nums[k]
        # -- the department: the only reason to lose a row
        department = departments[k]
        device = devices[k]
        dept_note = None
        if not department:
            hit = known.device(device) if device else None
            if hit is None:
                reject(r, "department", "missing-value",
                       "no department: the department cell is empty, not merged, and the row names no access "
                       "device the manifest knows; row rejected", "",
                       "a department name (or a device listed under devices: in inventory.yaml)")
                continue
            department = hit[1]
            dept_note = hit
        for f, g in others_required:
            if not g[k]:
                say(r, f, "warning", "missing-value", f"required {f} is empty; row kept", "", f"a {f}")
        department, dept_known = known.department(department)
        if dept_note is not None:
            say(r, "department", "warning", "department-from-device",
                f"department cell empty: department {department!r} taken from access device {dept_note[0]!r} "
                f"(inventory.yaml devices)", "", "a department name")
        elif not dept_known:
            ctx.unknown_department(r, departments[k], label.get("department", ""))
        # -- district and town folded to the manifest's names
        district = districts[k]
        pk = (district, department)
        hit = place_memo.get(pk)
        if hit is None:
            hit = place_memo[pk] = known.district(district, department)
        district = hit
        town = towns[k]
        if town:
            tk = ("town", district, town)
            t = place_memo.get(tk)
            if t is None:
                t = place_memo[tk] = known.town(district, town)
            town = t
        # -- the IP range: a bad one is blanked, the row kept
        rng = False
        note = ""
        if ip_keys is not None:
            key = ip_keys[k]
            rng = ranges.get(key)
            if rng is None:
                rng = ranges[key] = _read_range(key, voc)
            if rng:
                if rng[2] is not None:
                    say(r, "ip_range", "error", "bad-ip-range",
                        f"cannot read IP range: {rng[2][0]}; left blank, row kept", rng[3], rng[2][1])
                    rng = False
                else:
                    note = rng[1]
                    if rng[1]:
                        say(r, "ip_range", "warning", "host-bits-set", rng[1], rng[3],
                            "a network address, e.g. 10.1.1.0/24")
                    if rng[5]:
                        say(r, "ip_range", "info", "host-range-subnet", rng[5], rng[3],
                            "a subnet, e.g. 10.1.1.0/24")
        if rng:
            if rng[4] is None:
                cidrs = rng[0]
                addresses, facts = prefix_facts(cidrs)
                rng[4] = (" ".join(cidrs), addresses if cidrs else None, facts)
            public, public_ips, prefixes = rng[4]
        else:
            public, public_ips, prefixes = "", None, ()
        # -- network class: an unknown word keeps the row as kind 'unknown', for review
        kind = ""
        if kind_text is not None and kind_text[k]:
            v = kind_text[k]
            hit = kinds.get(v)
            if hit is None:
                try:
                    hit = kinds[v] = (network_kind(v), None, voc.is_unnamed_extranet(v))
                except NormalizeError as e:
                    hit = kinds[v] = ("unknown", _why(e), False)
            kind, err, unnamed = hit
            if err is not None:
                say(r, "network_kind", "warning", "unknown-network-kind",
                    f"unknown network type {kind_raw[k]!r}: kept as kind 'unknown', for review "
                    f"(add the word to rules/vocabulary.yaml network_types)", kind_raw[k], err[1])
            elif unnamed and prefixes:
                kind = known.domain_of(prefixes) or kind
        if not kind and exit_sheet and names[k]:
            # an exit sheet's row named as an extranet or private line (电子政务外网) is not an exit
            try:
                named = network_kind(names[k])
            except NormalizeError:
                named = ""
            if named not in ("", "internet", "lan"):
                kind = named
        if not kind:
            kind = default_kind
        if exit_sheet and kind not in ("internet", "unknown"):
            kind = kind if (kind_text is not None and kind_text[k]) or names[k] else "internet"
        # -- carrier: an unknown name is kept as written
        carrier, carrier_ok, carrier_typed = "", False, ""
        if car_keys is not None:
            key = car_keys[k]
            hit = carrier_memo.get(key)
            if hit is None:
                filled_in, v = _given(key)
                hit = carrier_memo[key] = (*carriers.canonical(v), v) if filled_in else False
            if hit:
                carrier, carrier_ok, carrier_typed = hit
                if not carrier_ok:
                    say(r, "carrier", "warning", "unknown-carrier",
                        f"carrier {carrier_typed!r} not in rules/carriers.yaml; kept as written", carrier_typed,
                        "a carrier name or alias from rules/carriers.yaml (电信, 联通, 移动, ...)")
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
                    say(r, f, "warning", code, f"cannot read {f}: {err[0]}; left blank", v, err[1] or expected)
        bandwidth, fee, contract_end, access, classified, public_facing, peak_util = values
        # -- device model and vendor
        model_text = models[k]
        vendor = model = ""
        if model_text:
            hit = model_memo.get(model_text)
            if hit is None:
                hit = model_memo[model_text] = voc.model(model_text)
            vendor, model = hit
        # -- facts from the free-text columns, with their evidence
        fk = (purposes[k], remarks[k], mandated[k], builds[k], kind_text[k] if kind_text is not None else "")
        facts = fact_memo.get(fk)
        if facts is None:
            facts = fact_memo[fk] = _read_facts(voc, fk, header, ministry_memo)
        ministry, stated, evidence = facts
        if classified is None:
            classified = stated.get("classified")
        if public_facing is None:
            public_facing = stated.get("public_facing")
        loc = locp + str(r)
        purpose = purposes[k]
        if kind == "internet":
            if add_exit is None:
                add_exit = out["exits"].append
            # 动态地址, 拨号, DHCP ... in the IP cell: an exit without a fixed address
            address_mode = "dynamic" if ip_keys is not None and voc.is_dynamic(_given(ip_keys[k])[1]) else "static"
            add_exit({
                "department": department, "district": district, "attributed_by": "sheet", "source": src,
                "location": loc, "exit": exit_id(f"{src}|{department}|{device}|{public}|{carrier}"),
                "origin": "sheet", "town": town, "access_type": access or "", "device": device,
                "model": model, "vendor": vendor, "public_range": public, "public_ips": public_ips,
                "carrier": carrier, "carrier_known": carrier_ok if carrier else None, "bandwidth_mbps": bandwidth,
                "fee_yuan_year": fee, "contract_end": contract_end or "", "mandated_by": mandated[k],
                "services": services[k] or purpose, "peak_util": peak_util, "public_facing": public_facing,
                "address_mode": address_mode,
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
            cidrs = tuple(sorted(p[0] for p in prefixes))
            first = seen_nets.get(network)
            joined = False
            if first is not None:
                differ = []
                if first[1] != kind:
                    differ.append(("network_kind", f"type {kind} here, {first[1]} in {first[0]}"))
                if first[2] != cidrs:
                    differ.append(("ip_range", f"range {public or '(none)'} here, {first[5] or '(none)'} in "
                                               f"{first[0]}"))
                if carrier and first[3] and first[3] != carrier:
                    differ.append(("carrier", f"carrier {carrier} ({carrier_typed}) here, {first[3]} ({first[4]}) "
                                              f"in {first[0]}"))
                if differ:
                    for f, what in differ:
                        say(r, f, "warning", "same-name-disagrees",
                            f"same network {name} of {department} as {first[0]} disagrees: {what}; kept as a "
                            f"network of its own", what, "rows of one network that agree")
                    network = f"{network}@{loc}"
                else:
                    joined = True
                    say(r, "network_name", "info", "same-network-rows",
                        f"same network {name} of {department} as {first[0]}, and they agree: one network "
                        f"({network})", name, "")
            else:
                seen_nets[network] = (loc, kind, cidrs, carrier, carrier_typed, public)
            if not joined:
                if add_network is None:
                    add_network = out["networks"].append
                add_network({
                    "department": department, "district": district, "attributed_by": "sheet", "source": src,
                    "location": loc, "network": network, "name": name, "kind": kind, "town": town,
                    "carrier": carrier, "purpose": purpose, "classified": classified,
                    "vertical_ministry": ministry, "on_extranet": stated.get("on_extranet"),
                    "public_facing": public_facing, "built_by_upper": stated.get("built_by_upper"),
                    "evidence": evidence, "access_device": device, "model": model, "vendor": vendor, "tags": "",
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


def _read_facts(voc, cells, header, ministry_memo):
    """(vertical ministry, {fact: True/False}, evidence) of one row's free-text cells: purpose,
    remark, ministry, build, and the network type (which states 'classified' only: 涉密网)."""
    purpose, remark, ministry_cell, build, kind_cell = cells
    stated: dict = {}
    evidence = []
    for field, cell in (("remark", remark), ("purpose", purpose), ("build", build), ("mandated_by", ministry_cell),
                        ("network_kind", kind_cell)):
        if not cell:
            continue
        for fact, (value, words) in voc.facts(cell).items():
            if field == "network_kind" and fact != "classified":
                continue
            if fact not in stated or (value and not stated[fact]):
                stated[fact] = value
                evidence.append(f"{fact}={'yes' if value else 'no'} ({header.get(field, field)}: {words})")
    ministry = ""
    for field, cell, column in (("mandated_by", ministry_cell, True), ("remark", remark, False),
                                ("build", build, False), ("purpose", purpose, False)):
        if not cell:
            continue
        mk = (cell, column)
        hit = ministry_memo.get(mk)
        if hit is None:
            hit = ministry_memo[mk] = voc.ministry(cell, column)
        if hit[0]:
            ministry = hit[0]
            evidence.append(f"vertical_ministry={ministry} ({header.get(field, field)}: {hit[1]})")
            break
    return ministry, stated, " | ".join(evidence)


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
