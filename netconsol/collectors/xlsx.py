"""Fast XLSX cell reader giving exactly what openpyxl gives.

:func:`read_sheets` returns, for every worksheet of a workbook, its title, its rows and its merged
ranges, where the rows are exactly ``[list(r) for r in ws.iter_rows(values_only=True)]`` of
``openpyxl.load_workbook(path, data_only=True)``: rows 1 to max_row, each padded with None to
max_column, empty rows included (none at all for a sheet without cells).

How: openpyxl itself still reads the package (content types, workbook, relationships, styles,
properties, comments, hyperlinks, merged cells, row/column dimensions, tables, drawings), so sheet
order, titles, hidden sheets, the 1904 flag, the date formats of the cell styles and every error
openpyxl raises on those parts stay its own.  Only the two parts that grow with the data are read
here, from the raw XML:

* the shared string table, when every ``<si>`` is one plain ``<t>`` (no rich text runs, no
  phonetic runs); otherwise openpyxl's own ``read_string_table`` reads it;
* the ``<sheetData>`` of each worksheet: openpyxl is handed the worksheet with ``<sheetData>``
  emptied, and the rows and cells are tokenized here with regular expressions that accept a
  strict subset of the XML (plain ``<row>``/``<c>`` elements of the default namespace; ``<v>``,
  ``<f>`` and a plain ``<is><t>`` in a cell) and turn values into Python the way openpyxl's
  ``WorkSheetParser.parse_cell`` does with ``data_only=True``.

Well-formedness: the shared string table goes through expat (the parser behind openpyxl's
``iterparse``) with no handlers; what is left of a worksheet is parsed by openpyxl itself; the
text inside ``<sheetData>`` is checked here for what expat would reject among the shapes the
tokenizer accepts (characters XML does not allow, ``]]>``, references that are not well-formed,
attribute names, unbound prefixes, repeated attributes, rows not closed or nested, cells outside a
row), which is much cheaper than a second full parse.

Anything else (another encoding than UTF-8, a DOCTYPE, comments, CDATA or processing instructions
among the cells, prefixed element names, a namespace declared inside the cells, an unknown cell
type, a cell element of another shape, rich inline strings, a value openpyxl cannot convert, a
date out of range, a style index out of range, a row number below 1 or beyond 1,048,576, openpyxl
other than 3.1, whose private attributes ``_cells``, ``_current_row``, ``_cell_styles`` and
``_date_formats`` are read here) raises :class:`Unsupported` or another exception;
:func:`read_sheets` then reads the whole file with openpyxl (:func:`openpyxl_sheets`, the
reference), which gives openpyxl's result or raises openpyxl's error.
"""
from __future__ import annotations

import io
import re
import warnings

from .limits import check_xlsx

__all__ = ["read_sheets", "openpyxl_sheets", "fast_sheets", "Unsupported"]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class Unsupported(Exception):
    """The fast reader does not handle this file exactly: read it with openpyxl."""


def openpyxl_sheets(path):
    """(sheets, sheet names) read the reference way: sheets as [(title, rows, merged ranges)]."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)], list(ws.merged_cells.ranges))
              for ws in wb.worksheets]
    return sheets, wb.sheetnames


def read_sheets(path, declined: list | None = None):
    """(sheets, sheet names) of an XLSX file, fast when it can be done exactly, else by openpyxl.

    Any exception of the fast reader (Unsupported, or a broken file) sends the file to openpyxl,
    so a broken file fails with openpyxl's own error.  *declined*: a list that receives why the
    fast reader handed the file over, when it did (the collector tells the user: ~5x slower).
    """
    check_xlsx(path)  # limits.py: a hostile workbook is refused before any reader opens it
    try:
        return fast_sheets(path)
    except Exception as e:
        if declined is not None:
            declined.append(f"{type(e).__name__}: {e}"[:200])
        return openpyxl_sheets(path)


# --- XML text -------------------------------------------------------------------------------------
_WS = "[ \t\r\n]"
_ATTR = r"""%s+[^ \t\r\n=<>/"']+%s*=%s*(?:"[^"<]*"|'[^'<]*')""" % (_WS, _WS, _WS)
_REF = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# bytes other than those of characters XML does not allow (C0 controls but tab and line ends; in
# UTF-8 they are never part of a longer sequence)
_GOOD_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x9, 0xA, 0xD))


def _ref(m):
    if m.group(1):
        return _NAMED[m.group(1)]
    c = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    if not (c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF):
        raise Unsupported("character reference to a character XML does not allow")
    return chr(c)


def _text(s: str) -> str:
    """Character data as expat gives it: line ends normalized, then entity and character
    references replaced; Unsupported where expat would fail (an '&' that is not a reference)."""
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        n = s.count("&")
        s, k = _REF.subn(_ref, s)
        if k != n:
            raise Unsupported("'&' that is not a reference")
    return s


_DECL = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _utf8(raw: bytes) -> str:
    """The part as text; Unsupported unless it is UTF-8 without a DOCTYPE."""
    if raw[:3] == b"\xef\xbb\xbf":
        raw = raw[3:]
    head = raw[:200]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        raise Unsupported("not UTF-8")
    if head.startswith(b"<?xml"):
        m = _DECL.match(head)
        if m and m.group(1).lower() not in (b"utf-8", b"utf8"):  # expat reads both as UTF-8
            raise Unsupported("not UTF-8")
    if b"<!DOCTYPE" in raw:
        raise Unsupported("DOCTYPE")
    return raw.decode("utf-8")


def _check_xml(raw: bytes) -> str:
    """The part as text, after expat (as used by openpyxl's iterparse) found it well-formed."""
    from xml.parsers import expat

    text = _utf8(raw)
    p = expat.ParserCreate(None, "}")
    try:
        p.Parse(raw, True)
    except expat.ExpatError as e:
        raise Unsupported(f"not well-formed: {e}") from None
    return text


_ROOT = re.compile(r"<([^ \t\r\n?!/>]+)((?:%s)*)%s*/?>" % (_ATTR, _WS))


def _root_prefixes(text: str, name: str) -> set:
    """The namespace prefixes the root element declares; Unsupported unless the root is *name*
    without a prefix, in the main namespace declared as the default one."""
    m = _ROOT.search(text)
    if not m or m.group(1) != name:
        raise Unsupported(f"root is not <{name}>")
    attrs = _ATTRS.findall(m.group(2))
    if ("xmlns", MAIN_NS, "") not in attrs and ("xmlns", "", MAIN_NS) not in attrs:
        raise Unsupported("main namespace is not the default one")
    return {k[6:] for k, _v1, _v2 in attrs if k.startswith("xmlns:")} | {"xml"}


# --- shared strings ---------------------------------------------------------------------------------
_SST = re.compile(r"""(<si>)(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>)</si>|[ \t\r\n]+|([\s\S])""")


def _shared_strings(raw: bytes) -> list:
    """The shared string table as openpyxl's read_string_table gives it (text of the one <t>,
    'x005F_' removed), or Unsupported when some <si> is not one plain <t>."""
    text = _check_xml(raw)
    _root_prefixes(text, "sst")
    if text.count("xmlns=") != 1:
        raise Unsupported("default namespace redeclared")
    start = re.search(r"<sst\b[^>]*>", text)
    if start is None or text[start.end() - 2] == "/":
        return []
    end = text.rfind("</sst>")
    strings = []
    add = strings.append
    for si, t, other in _SST.findall(text, start.end(), end):
        if si:
            if "&" in t or "\r" in t:
                t = _text(t)
            if "x005F_" in t:
                t = t.replace("x005F_", "")
            add(t)
        elif other:
            raise Unsupported("shared string other than one plain <t>")
    return strings


# --- worksheet cells --------------------------------------------------------------------------------
# One token of <sheetData>: a cell in a common shape (groups 1-6), a cell of any other shape (7), a row
# start with r first (8: r, 9: the other attributes) or any other (10, 11: "/" when empty), a row end
# (12), white space (no group) or anything else (13).
_TOKEN = re.compile(
    r'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?(?: t="([a-zA-Z]+)")?'
    r'(?:/>|>(?:<v>([^<&\r]+)</v>|<is><t(?: xml:space="preserve")?>([^<]+)</t></is>)?</c>)'
    r"|(<c(?:@A)*+@W*(?:/>|>(?:[^<]++|<(?!/c>))*+</c>))"
    r'|<row r="([1-9][0-9]{0,6})"((?:@A)*+)@W*>'
    r"|(<row(?:@A)*+)@W*(/?)>"
    r"|(</row>)"
    r"|@W+"
    r"|([\s\S])".replace("@A", _ATTR).replace("@W", _WS))
_ATTRS = re.compile(r"""([^ \t\r\n=<>/"']+)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')""")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?\Z")
_CELL = re.compile(r"<c((?:%s)*)%s*(?:/>|>(.*)</c>)\Z" % (_ATTR, _WS), re.S)
_INNER = re.compile(
    r"<v(?P<va>(?:@A)*)@W*>(?P<v>[^<]*)</v>|(?P<v0><v(?P<va0>(?:@A)*)@W*/>)"
    r"|<f(?P<fa>(?:@A)*)@W*(?:/>|>(?P<f>[^<]*)</f>)"
    r"|<is>@W*<t(?P<ta>(?:@A)*)@W*>(?P<it>[^<]*)</t>@W*</is>"
    r"|<is>@W*<t(?P<ta0>(?:@A)*)@W*/>@W*</is>|(?P<it0><is>@W*</is>|<is@W*/>)"
    r"|@W+|(?P<other>[\s\S])".replace("@A", _ATTR).replace("@W", _WS))
_TYPES = frozenset(("n", "s", "b", "e", "str", "d", "inlineStr"))
_MAX_ROW = 1048576


def _attrs(s: str, prefixes) -> dict:
    """Attributes of a start tag as expat would give them (names as written), or Unsupported
    for anything expat would reject or this reader does not expect."""
    out = {}
    n = 0
    for name, v1, v2 in _ATTRS.findall(s):
        n += 1
        if not _NAME.match(name) or name.startswith("xmlns"):
            raise Unsupported(f"attribute name {name!r}")
        if ":" in name and name.split(":", 1)[0] not in prefixes:
            raise Unsupported(f"attribute prefix of {name!r}")
        v = v1 if v1 or not v2 else v2
        if "&" in v or "\t" in v or "\n" in v or "\r" in v:
            _text(v)  # the references must be well-formed
            raise Unsupported("attribute value with references or line breaks")
        out[name] = v
    if len(out) != n or len({k.split(":")[-1] for k in out if ":" in k}) != sum(":" in k for k in out):
        raise Unsupported("repeated attribute")
    return out


def _columns():
    from openpyxl.utils.cell import get_column_letter

    return {get_column_letter(i + 1): i for i in range(18278)}


_COLS: dict = {}
_ROW_OR_CELL = re.compile(r"<(?:[^ \t\r\n<>/:!?]+:)?(?:row|c)[ \t\r\n/>]")


def _split_sheet(raw: bytes):
    """(worksheet without its cells, the text inside <sheetData>, namespace prefixes of the root).

    What is left of the worksheet goes to openpyxl, whose parser checks it; the text inside
    <sheetData> is checked here for what expat would reject among elements this reader accepts:
    characters XML does not allow (in the whole part) and ']]>'; the tokenizer of _Grid.parse checks
    the rest (tags, attributes, references, nesting of rows and cells) and rejects comments, CDATA,
    processing instructions and namespace declarations."""
    if raw.translate(None, _GOOD_BYTES):
        raise Unsupported("character XML does not allow")
    text = _utf8(raw)
    if "\ufffe" in text or "\uffff" in text:
        raise Unsupported("character XML does not allow")
    prefixes = _root_prefixes(text, "worksheet")
    i = text.find("<sheetData")
    if i < 0 or text.find("<sheetData", i + 1) >= 0:
        raise Unsupported("no <sheetData> or several")
    if text.count("xmlns=", 0, i) != 1:
        raise Unsupported("default namespace redeclared")
    if text.startswith("<sheetData/>", i):
        return raw, "", prefixes
    if not text.startswith("<sheetData>", i):
        raise Unsupported("<sheetData> of another shape")
    j = text.find("</sheetData>", i)
    if j < 0 or text.find("</sheetData>", j + 1) >= 0:
        raise Unsupported("</sheetData> missing or repeated")
    body = text[i + len("<sheetData>"): j]
    rest = text[:i] + "<sheetData/>" + text[j + len("</sheetData>"):]
    if _ROW_OR_CELL.search(rest):  # openpyxl would read a row anywhere in the part
        raise Unsupported("rows or cells outside <sheetData>")
    if "]]>" in body:  # comments, CDATA, processing instructions, xmlns: the tokenizer rejects them
        raise Unsupported("']]>' among the cells")
    return rest.encode("utf-8"), body, prefixes


class _Grid:
    """Cells of one sheet as openpyxl's WorkSheetParser (data_only=True) reads them."""

    def __init__(self, strings, date_formats, timedelta_formats, epoch, n_styles, check_row_dim, prefixes):
        self.strings, self.date_formats, self.timedelta_formats = strings, date_formats, timedelta_formats
        self.epoch, self.n_styles, self.check_row_dim = epoch, n_styles, check_row_dim
        self.prefixes = prefixes
        self.rows: dict[int, list] = {}
        self.max_col = 0

    def value(self, t, v, style):
        """The value of a cell of type *t* (not inlineStr) with <v> text *v* ("" when none), as
        parse_cell gives it with data_only=True."""
        if not v:
            return None
        if t == "n":
            value = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
            if style in self.date_formats:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(value, self.epoch, timedelta=style in self.timedelta_formats)
                except (OverflowError, ValueError):
                    raise Unsupported("date out of range") from None  # openpyxl: '#VALUE!' and a warning
            return value
        if t == "s":
            return self.strings[int(v)]
        if t == "b":
            return bool(int(v))
        if t == "str" or t == "e":
            return v
        if t == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(v)
        raise Unsupported(f"cell type {t!r}")

    def parse(self, body: str) -> None:
        if not _COLS:
            _COLS.update(_columns())
        cols = _COLS
        rows = self.rows
        strings = self.strings
        date_formats = self.date_formats
        value_of = self.value
        styles: dict[str, int] = {}
        inline: dict[str, str] = {}
        row_attrs: set = set()  # attribute texts after r="..." of row starts, checked
        max_style = -1
        row_counter = col_counter = 0
        in_row = False
        cur_key, cur = None, None  # coordinate row text -> row list, for the cells of the row being read
        pos, size = 0, len(body)
        while pos < size:
            end = body.find("</row>", pos + (1 << 20)) if size - pos > 1 << 21 else -1
            end = size if end < 0 else end + len("</row>")
            for (col, rw, s, t, v, it, gen, frow, frow_attrs, grow, slash, row_end,
                 other) in _TOKEN.findall(body, pos, end):
                if col:
                    if s:
                        style = styles.get(s)
                        if style is None:
                            style = styles[s] = int(s)
                    else:
                        style = 0
                    if t == "inlineStr":
                        if not it:
                            value = None
                        elif "&" in it or "\r" in it:
                            value = inline.get(it)
                            if value is None:
                                value = inline[it] = _text(it)
                        else:
                            value = it
                    elif not t or t == "n":
                        if not v:
                            value = None
                        elif style in date_formats:
                            value = value_of("n", v, style)
                        else:
                            value = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                    elif t == "s":
                        value = strings[int(v)] if v else None
                    else:
                        value = value_of(t, v, style)
                    c = cols[col]
                    if rw != cur_key:
                        if not in_row:
                            raise Unsupported("cell outside a row")
                        r = int(rw)
                        cur = rows.get(r)
                        if cur is None:
                            cur = rows[r] = []
                        cur_key = rw
                    col_counter = c + 1
                elif frow:
                    if in_row:
                        raise Unsupported("row inside a row")
                    if frow_attrs and frow_attrs not in row_attrs:  # the same few attribute texts repeat
                        a = _attrs(frow_attrs, self.prefixes)
                        if "r" in a:
                            raise Unsupported("repeated attribute")
                        if len(a) > ("spans" in a):
                            self.check_row_dim({"r": frow, **a})
                        row_attrs.add(frow_attrs)
                    in_row = True
                    row_counter = int(frow)
                    col_counter = 0
                    cur_key = None
                    continue
                elif gen:
                    if not in_row:
                        raise Unsupported("cell outside a row")
                    r, c, value, style = self._generic(gen, row_counter, col_counter)
                    if style > max_style:
                        max_style = style
                    cur = rows.get(r)
                    if cur is None:
                        cur = rows[r] = []
                    cur_key = None
                    col_counter = c + 1
                elif grow:
                    if in_row:
                        raise Unsupported("row inside a row")
                    a = _attrs(grow[4:], self.prefixes)
                    rv = a.get("r")
                    if rv is None:
                        row_counter += 1
                    elif rv.isdigit() and rv.isascii():
                        row_counter = int(rv)
                    else:
                        raise Unsupported("row number other than digits")
                    col_counter = 0
                    cur_key = None
                    in_row = not slash
                    if len(a) > (rv is not None) + ("spans" in a):
                        self.check_row_dim(a)
                    continue
                elif row_end:
                    if not in_row:
                        raise Unsupported("</row> without a row")
                    in_row = False
                    cur_key = None
                    continue
                elif other:
                    raise Unsupported(f"unexpected text among the cells near {other!r}")
                else:
                    continue  # white space
                n = len(cur)
                if c == n:
                    cur.append(value)
                elif c > n:
                    cur.extend([None] * (c - n))
                    cur.append(value)
                else:
                    cur[c] = value
            pos = end
        if in_row:
            raise Unsupported("row not closed")
        self.max_col = max(map(len, rows.values()), default=0)  # a row's list ends with its last cell
        if styles:
            max_style = max(max_style, max(styles.values()))
        if rows and max(max_style, 0) >= self.n_styles:
            raise Unsupported("style index out of range")  # openpyxl: IndexError binding the cell

    def _generic(self, text, row_counter, col_counter):
        """(row, column index, value, style) of a cell element of any shape this reader accepts."""
        m = _CELL.match(text)
        if m is None:
            raise Unsupported("cell element")
        a = _attrs(m.group(1), self.prefixes)
        for k in a:
            if k not in ("r", "s", "t", "cm", "vm", "ph") and ":" not in k:
                raise Unsupported(f"cell attribute {k}")
        coord = a.get("r")
        if coord is not None:
            if not (coord.isascii() and coord.isalnum()):
                raise Unsupported("coordinate")
            from openpyxl.utils.cell import coordinate_to_tuple

            row, col = coordinate_to_tuple(coord)
        else:
            row, col = row_counter, col_counter + 1
        s = a.get("s")
        if s:
            if not (s.isdigit() and s.isascii()):
                raise Unsupported("style id")
            style = int(s)
        else:
            if s == "":
                raise Unsupported("empty style id")
            style = 0
        t = a.get("t", "n")
        if t not in _TYPES:
            raise Unsupported(f"cell type {t!r}")
        v, it = None, None
        seen_v = seen_is = False
        for tok in _INNER.finditer(m.group(2) or ""):
            g = tok.lastgroup
            if g == "other":
                raise Unsupported("cell content")
            if g in ("v", "v0"):
                _attrs(tok.group("va") or tok.group("va0") or "", self.prefixes)
                if not seen_v:
                    seen_v = True
                    v = _text(tok.group("v")) if g == "v" else ""
            elif g in ("f", "fa"):
                _attrs(tok.group("fa") or "", self.prefixes)
                _text(tok.group("f") or "")
            elif g in ("it", "ta", "ta0", "it0"):
                _attrs(tok.group("ta") or tok.group("ta0") or "", self.prefixes)
                if not seen_is:
                    seen_is = True
                    it = _text(tok.group("it")) if g == "it" else ""
        if t == "inlineStr":
            value = it
        else:
            value = self.value(t, v or "", style)
        if row < 1 or col < 1:
            raise Unsupported("row or column below 1")
        return row, col - 1, value, style

    def result(self, extra_cells, current_row) -> list:
        """Rows 1..max_row padded to max_column, with the cells openpyxl added to the worksheet
        besides the parsed ones: merged cells (value None, as in openpyxl where they replace the
        parsed cell), anchors of comments (extent only) and of hyperlinks (openpyxl gives a cell
        with no value the link's target as value)."""
        from openpyxl.cell import MergedCell

        rows = self.rows
        if not rows and not current_row:
            return []  # openpyxl's iter_rows() of a worksheet that never had a cell
        max_row = max(rows, default=1)
        max_col = max(self.max_col, 1)
        merged, linked = [], []
        for (r, c), cell in extra_cells.items():
            if r > max_row:
                max_row = r
            if c > max_col:
                max_col = c
            if isinstance(cell, MergedCell):
                merged.append((r, c))
            elif cell.value is not None:
                linked.append((r, c, cell.value))
        if max_row > _MAX_ROW:
            raise Unsupported("row beyond 1048576")
        out = []
        blank = [None] * max_col
        for r in range(1, max_row + 1):
            row = rows.get(r)
            if row is None:
                out.append(blank.copy())
            else:
                if len(row) < max_col:
                    row.extend([None] * (max_col - len(row)))
                out.append(row)
        for r, c in merged:
            out[r - 1][c - 1] = None
        for r, c, value in linked:
            if out[r - 1][c - 1] is None:
                out[r - 1][c - 1] = value
        return out


def fast_sheets(path):
    """(sheets, sheet names) like :func:`openpyxl_sheets`, or Unsupported (or openpyxl's error
    on the package parts it reads)."""
    import openpyxl
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.reader.strings import read_string_table
    from openpyxl.worksheet.dimensions import RowDimension
    from openpyxl.xml.constants import SHARED_STRINGS

    if not openpyxl.__version__.startswith("3.1."):
        raise Unsupported(f"openpyxl {openpyxl.__version__}")

    class Archive:
        """The zip archive, handing openpyxl each worksheet without its cells."""

        def __init__(self, zf):
            self._zf = zf
            self.parts: set = set()
            self.bodies: list = []  # (text inside <sheetData>, root prefixes) in the order openpyxl reads them

        def __getattr__(self, name):
            return getattr(self._zf, name)

        def open(self, name, *args, **kw):
            if name in self.parts and not args and not kw:
                rest, body, prefixes = _split_sheet(self._zf.read(name))
                self.bodies.append((body, prefixes))
                return io.BytesIO(rest)
            return self._zf.open(name, *args, **kw)

    class Reader(ExcelReader):
        def read_strings(self):
            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                raw = self.archive.read(ct.PartName[1:])
                try:
                    self.shared_strings = _shared_strings(raw)
                except Unsupported:
                    self.shared_strings = read_string_table(io.BytesIO(raw))

        def read_worksheets(self):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.archive.parts = {rel.target for _sheet, rel in self.parser.find_sheets()
                                      if "chartsheet" not in rel.Type}
            super().read_worksheets()

    reader = Reader(path, read_only=False, data_only=True)
    archive = reader.archive = Archive(reader.archive)
    try:
        reader.read()
    finally:
        archive.close()
    wb = reader.wb
    worksheets = wb.worksheets
    if len(worksheets) != len(archive.bodies):
        raise Unsupported("worksheets and parts do not pair up")
    checked: dict = {}
    sheets = []
    for ws, (body, prefixes) in zip(worksheets, archive.bodies):
        def check_row_dim(a, ws=ws):
            """What bind_row_dimensions would do with a row's attributes (memo: without r)."""
            r = a.pop("r", None)
            key = tuple(a.items())
            if key in checked:
                return
            if r is not None:
                a = {"r": r, **a}
            # as ElementTree names them (a prefixed name is '{namespace}name': only the '{' matters here)
            rd = {"{%s}%s" % tuple(k.split(":", 1)) if ":" in k else k: v for k, v in a.items()}
            if {k for k in rd if not k.startswith("{")} - {"r", "spans"}:
                if "s" in rd:
                    rd["s"] = wb._cell_styles[int(rd["s"])]
                RowDimension(ws, **rd)
            checked[key] = True

        grid = _Grid(reader.shared_strings, wb._date_formats, wb._timedelta_formats, wb.epoch,
                     len(wb._cell_styles), check_row_dim, prefixes)
        grid.parse(body)
        rows = grid.result(ws._cells, ws._current_row)
        sheets.append((ws.title, rows, list(ws.merged_cells.ranges)))
    return sheets, wb.sheetnames
