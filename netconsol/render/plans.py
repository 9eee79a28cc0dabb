"""Plan documents and their exporters: CSV, XLSX, JSON and Markdown, in Chinese or English.

A plan (the exit plan, the merge plan, ...) is a :class:`Plan`: named tables (DataFrames, rows
already sorted by the analyzer), a title per table, zh/en labels for columns and for coded values
(``keep_mandated`` → 保留（部委要求）), a display format per column, and report sections for the
Markdown narrative.  Analyzers build plans; this module only writes them.

Formats (``write_plan``):

- ``csv``  one UTF-8 (with BOM, so Excel/WPS open it right) file per table; ``--out DIR`` writes
  ``DIR/<table>.csv``, ``--out PATH.csv`` writes ``PATH-<table>.csv`` beside it.  Headers and
  coded values in the chosen language; text starting with ``= + - @`` gets a leading ``'`` so a
  spreadsheet never runs it as a formula.
- ``xlsx`` one sheet per table; two header rows (Chinese, English), frozen; numbers stored as
  numbers with number formats; text always stored as text (never a formula); deterministic bytes
  (fixed document dates and zip entry times).
- ``json`` one document: ids and codes as keys and values, labels alongside.
- ``md``   a report: title, sections with their paragraphs and tables.  Every value from the
  input is escaped (``|``, ``<``, ``*``, ...): labels are data, never formatting.

Files are only written inside the ``out`` path: names come from plan/table ids checked against
``[a-z][a-z0-9_]*`` and every resolved path is checked to lie below the output directory.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import re
import unicodedata
import weakref
import zipfile
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import add, and_, itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import NetconsolError
from ..frames import missing as _missing, table  # noqa: F401  (table: re-exported for the plans)
from ..sanitize import csv_text, defuse, formula_leading, xlsx_text

_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str

__all__ = [
    "LANGS", "FORMATS", "FORMAT_SUFFIX", "Plan", "Section", "Text", "L", "COMMON_LABELS", "table",
    "write_plan", "plan_document", "plan_json", "markdown_text", "xlsx_bytes", "csv_texts", "escape_md", "PlanOutputError",
]

LANGS = ("zh", "en")
FORMATS = ("csv", "xlsx", "json", "md")
FORMAT_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "md": ".md"}
# display formats a column may have; the default follows the dtype
COLUMN_FORMATS = ("text", "int", "float", "mbps", "yuan", "ratio", "bool", "date")
XLSX_TIMESTAMP = _dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class PlanOutputError(NetconsolError):
    """A plan cannot be written where asked (bad path, unknown format or language)."""


def L(zh: str, en: str) -> dict:
    """A label in both languages."""
    return {"zh": zh, "en": en}


# Columns shared by most plans; a plan's own labels override these.
COMMON_LABELS = {
    "district": L("区县", "district"),
    "department": L("部门", "department"),
    "town": L("镇街", "town/street"),
    "network": L("网络", "network"),
    "device": L("设备", "device"),
    "interface": L("接口", "interface"),
    "carrier": L("运营商", "carrier"),
    "prefix": L("地址段", "prefix"),
    "metric": L("指标", "metric"),
    "before": L("整合前", "before"),
    "after": L("整合后", "after"),
    "change": L("变化", "change"),
    "unit": L("单位", "unit"),
    "value": L("数值", "value"),
    "note": L("备注", "note"),
    "notes": L("备注", "notes"),
    "source": L("来源文件", "source"),
    "location": L("来源位置", "location"),
}
_BOOL = {True: L("是", "yes"), False: L("否", "no")}


@dataclass
class Text:
    """A paragraph: a template per language and its parameters.

    Parameters are data: string parameters are escaped for the output format before they are
    substituted, so a department named ``A|B <x>`` cannot break a Markdown table or inject HTML.
    Templates use ``str.format`` syntax (``{pool:,.0f}``).
    """
    template: dict
    params: dict = field(default_factory=dict)

    def render(self, lang: str, escape=lambda s: s) -> str:
        params = {k: escape(v) if isinstance(v, str) else v for k, v in self.params.items()}
        return self.template[lang].format(**params)


@dataclass
class Section:
    """A part of the report: a title, paragraphs, and optionally a table (all or some columns)."""
    title: dict
    paragraphs: list = field(default_factory=list)
    table: str = ""
    columns: tuple = ()


@dataclass
class Plan:
    """A plan: tables plus everything needed to label them in Chinese or English.

    ``tables``   ordered {id: DataFrame}; ids become file and sheet names
    ``titles``   {table id: L(zh, en)}
    ``labels``   {column id: L(zh, en)}; COMMON_LABELS fill the gaps, then the id itself
    ``values``   {column id: {code: L(zh, en)}} for coded values (a value of space-separated
                 codes is translated code by code)
    ``formats``  {column id: one of COLUMN_FORMATS}; default from the dtype
    ``sections`` Markdown report; empty = one section per table
    ``meta``     JSON-able facts about the run (plan date, rules file, snapshot)
    """
    name: str
    title: dict
    tables: dict
    titles: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def check(self) -> "Plan":
        if not _ID.match(self.name):
            raise PlanOutputError(f"plan name {self.name!r}: expected letters a-z, digits and '_'")
        for name, df in self.tables.items():
            if not _ID.match(name):
                raise PlanOutputError(f"plan {self.name}: table id {name!r}: expected letters a-z, digits and '_'")
            if not isinstance(df, pd.DataFrame):
                raise PlanOutputError(f"plan {self.name}: table {name!r} is {type(df).__name__}, not a DataFrame")
            for col, fmt in self.formats.items():
                if fmt not in COLUMN_FORMATS:
                    raise PlanOutputError(f"plan {self.name}: column {col!r}: format {fmt!r} not in {COLUMN_FORMATS}")
        for s in self.sections:
            if s.table and s.table not in self.tables:
                raise PlanOutputError(f"plan {self.name}: section names unknown table {s.table!r}")
        return self

    # -- labels ------------------------------------------------------------------------------
    def label(self, column: str, lang: str) -> str:
        lab = self.labels.get(column) or COMMON_LABELS.get(column)
        return lab[lang] if lab else column

    def table_title(self, name: str, lang: str) -> str:
        t = self.titles.get(name)
        return t[lang] if t else name

    def fmt(self, df: pd.DataFrame, column: str) -> str:
        if column in self.formats:
            return self.formats[column]
        dtype = df[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            return "bool"
        if pd.api.types.is_integer_dtype(dtype):
            return "int"
        if pd.api.types.is_float_dtype(dtype):
            return "float"
        if dtype == object and len(df) and all(v is None or type(v) is int for v in df[column].tolist()):
            return "int"  # a count column
        return "text"

    def value_label(self, column: str, value, lang: str):
        """The value as shown to people: coded values and booleans translated, others as they are."""
        if _missing(value):
            return None
        if isinstance(value, bool):
            return _BOOL[value][lang]
        codes = self.values.get(column)
        if codes and isinstance(value, str):
            hit = codes.get(value)
            if hit:
                return hit[lang]
            parts = value.split(" ")
            if len(parts) > 1 and all(p in codes for p in parts):
                return ("、" if lang == "zh" else ", ").join(codes[p][lang] for p in parts)
        return value


def _plain(v):
    """A cell as a plain Python value (numpy scalars unwrapped, NA -> None)."""
    if _missing(v):
        return None
    return v.item() if hasattr(v, "item") else v


def _plain_dtype(dtype) -> bool:
    return isinstance(dtype, (pd.StringDtype, pd.Int64Dtype, pd.BooleanDtype)) or \
        (isinstance(dtype, np.dtype) and dtype.kind in "fiub")


def _column_values(df: pd.DataFrame, dtypes=None) -> list[list]:
    """Per column, its values: what ``df.itertuples()`` yields, up to :func:`_plain` (the writers
    see them only through it).  The frames of plans hold strings, nullable ints and booleans and
    floats: one conversion of the whole frame (a column at a time costs a Series each, which
    dominates the thousands of small tables of a report)."""
    dtypes = list(df.dtypes) if dtypes is None else dtypes
    if df.shape[1] and all(_plain_dtype(t) for t in dtypes):
        arr = df.to_numpy(dtype=object)
        return [arr[:, k].tolist() for k in range(arr.shape[1])]
    out = []
    for k in range(df.shape[1]):
        s = df.iloc[:, k]
        out.append(s.to_numpy(dtype=object).tolist() if isinstance(s.dtype, pd.StringDtype) else list(s))
    return out


def _one_kind(dtype, values) -> bool:
    """True when equal values of this column are written alike: one type per column (strings,
    ints, booleans, floats without a -0.0) and its missing marker, so a dict of its distinct
    values cannot serve 1.0 the text of True or -0.0 that of 0.0 (:func:`_memo_column` keeps those
    apart by type for the columns where they could meet)."""
    if isinstance(dtype, (pd.StringDtype, pd.Int64Dtype, pd.BooleanDtype)):
        return True
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iub":
            return True
        if dtype.kind == "f":
            return 0.0 not in values or not any(v == 0.0 and math.copysign(1.0, v) < 0 for v in values)
    return False


def _frame_columns(df: pd.DataFrame) -> tuple[list, list, list]:
    """(dtypes, :func:`_column_values`, :func:`_one_kind` per column) of *df*, the dtypes read once
    (a frame :func:`row_slices` made: taken from its parent's, read once for all its slices)."""
    seen = _SLICED.get(id(df))
    if seen is not None and seen[0]() is df:
        return seen[1]
    dtypes = list(df.dtypes)
    values = _column_values(df, dtypes)
    return dtypes, values, [_one_kind(t, v) for t, v in zip(dtypes, values)]


_SLICED: dict = {}  # id(slice) -> (weakref to it, its (dtypes, column values, one-kind flags), (whole's, a, b))


def _slice_of(df: pd.DataFrame):
    """(the whole frame's (dtypes, column values, one-kind flags), a, b) when *df* is the rows a:b of
    a frame :func:`row_slices` cut; else None."""
    seen = _SLICED.get(id(df))
    return seen[2] if seen is not None and seen[0]() is df else None


def row_slices(df: pd.DataFrame, spans) -> list[pd.DataFrame]:
    """``df.iloc[a:b].reset_index(drop=True)`` for each ``(a, b)`` of *spans*: tables of a plan
    that are runs of one frame's rows (a report's thousands of per-district tables).  The writers
    read each slice's columns from *df*'s, converted once, instead of converting every small
    frame on its own; so the slices are for writing, not for editing in place."""
    whole = dtypes, values, kinds = _frame_columns(df)
    out = []
    for a, b in spans:
        part = df.iloc[a:b]
        part.index = pd.RangeIndex(b - a)  # a new frame: the index is its own, df's is untouched
        key = id(part)
        _SLICED[key] = (weakref.ref(part, lambda _ref, key=key: _SLICED.pop(key, None)),
                        (dtypes, [v[a:b] for v in values], kinds), (whole, a, b))
        out.append(part)
    return out


_FORMAT_OF_DTYPE: dict = {}


def _dtype_format(dtype) -> str:
    """The display format a column of *dtype* has by default (see :meth:`Plan.fmt`)."""
    with suppress(KeyError, TypeError):   # not met yet (or a dtype that does not hash: not kept)
        return _FORMAT_OF_DTYPE[dtype]
    if pd.api.types.is_bool_dtype(dtype):
        fmt = "bool"
    elif pd.api.types.is_integer_dtype(dtype):
        fmt = "int"
    elif pd.api.types.is_float_dtype(dtype):
        fmt = "float"
    else:
        fmt = "text"
    with suppress(TypeError):
        _FORMAT_OF_DTYPE[dtype] = fmt
    return fmt


def _formats(plan: "Plan", df: pd.DataFrame, dtypes=None) -> dict:
    """{column: plan.fmt(df, column)} by the dtypes alone (read once): an object column of ints
    is text here, as the Markdown writer has always aligned and written it."""
    dtypes = df.dtypes if dtypes is None else dtypes
    formats = plan.formats
    return {c: formats[c] if c in formats else _dtype_format(t) for c, t in zip(df.columns.tolist(), dtypes)}


def _map_column(fn, values, one_kind: bool, made: list | None = None) -> list:
    """[fn(v) for v in values], fn called once per distinct value: for a column of one kind
    (:func:`_one_kind`) through a dict of its distinct values (C-level passes), else
    :func:`_memo_column`.  *made*, a list: every result fn returned is appended to it (each
    distinct result once)."""
    memo = None
    if one_kind:
        try:
            memo = {v: fn(v) for v in dict.fromkeys(values)}
        except TypeError:  # pd.NA met a value of its hash (2**61 - 1): NA == it is not a bool
            memo = None     # the typed memo below compares by type first
    if memo is not None:
        if made is not None:
            made.extend(memo.values())
        return list(map(memo.__getitem__, values))
    if made is None:
        return _memo_column(fn, values)

    def noted(v):
        x = fn(v)
        made.append(x)
        return x

    return _memo_column(noted, values)


def _memo_column(fn, values) -> list:
    """[fn(v) for v in values], computed once per distinct value: strings by themselves, ints,
    bools, None and floats by (type, value), so 1, 1.0 and True stay apart.  0.0 (equal to -0.0
    but written differently), NaN and every other type are formatted each time."""
    seen = {}
    out = []
    append = out.append
    for v in values:
        t = type(v)
        if t is str:
            key = v
        elif t is int or t is bool or v is None or (t is float and v == v and v != 0.0):
            key = (t, v)
        else:
            append(fn(v))
            continue
        hit = seen.get(key, _UNSEEN)
        if hit is _UNSEEN:
            hit = seen[key] = fn(v)
        append(hit)
    return out


_UNSEEN = object()


def _text_labels(plan: "Plan", column: str, values, one_kind: bool, lang: str):
    """(distinct values, their labels) of a column of one kind whose every label
    (:meth:`Plan.value_label`) is text or missing (None); None when a label is anything else (a
    number, a boolean: the writers format it value by value) or the distinct values cannot be
    taken (see :func:`_map_column`).  The labels are what the writers then escape column-wise."""
    if not one_kind:
        return None
    try:
        distinct = list(dict.fromkeys(values))
    except TypeError:
        return None
    codes = plan.values.get(column)
    if not codes and all(type(v) is str for v in distinct):
        return distinct, distinct  # a text is its own label: never missing, no codes
    sep = "、" if lang == "zh" else ", "
    labels = []
    for v in distinct:
        if type(v) is str and codes:
            # Plan.value_label of a text, inline: its code's label, or each of its space-separated codes'
            hit = codes.get(v)
            if hit:
                lab = hit[lang]
            else:
                parts = v.split(" ")
                lab = sep.join(codes[p][lang] for p in parts) if len(parts) > 1 and all(p in codes for p in parts) \
                    else v
        else:
            lab = plan.value_label(column, _plain(v), lang)
        if lab is not None and type(lab) is not str:
            return None
        labels.append(lab)
    return distinct, labels


def _defused(texts: list) -> list:
    """[defuse(t) for t in texts], looking only at the distinct first characters when none leads a formula."""
    if any(map(formula_leading, set(map(_FIRST_CHAR, texts)))):
        return list(map(defuse, texts))
    return texts


_FIRST_CHAR = itemgetter(slice(0, 1))


def _by_label(distinct: list, labels: list, texts: list, missing, values) -> tuple[list, list]:
    """(per value of the column, its cell; the distinct cells): *texts* are the cells of the
    labels that are not None, in order; a None label's cell is *missing*."""
    it = iter(texts)
    made = [missing if lab is None else next(it) for lab in labels]
    memo = dict(zip(distinct, made))
    return list(map(memo.__getitem__, values)), made


# -- output paths -------------------------------------------------------------------------------
def _check_out(out) -> Path:
    out = Path(out)
    if ".." in out.parts:
        raise PlanOutputError(f"--out {str(out)!r}: '..' is not allowed; name the output path directly "
                              "(an absolute path is fine)")
    if str(out) in ("", "."):
        raise PlanOutputError("--out: empty path")
    return out


def _inside(base: Path, name: str) -> Path:
    """base/name, refusing anything that would land outside *base* (a symlink included)."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise PlanOutputError(f"output name {name!r} is not a plain file name")
    path = base / name
    root = base.resolve()
    target = path.resolve()
    if target.parent != root:
        raise PlanOutputError(f"{str(path)!r} resolves to {str(target)!r}, outside the output directory {str(root)!r}")
    return path


def _file_target(plan: Plan, fmt: str, out: Path, dir_hint: bool) -> Path:
    suffix = FORMAT_SUFFIX[fmt]
    if out.is_dir() or dir_hint:
        return _inside(out, f"{plan.name}-plan{suffix}")
    return _inside(out.parent if str(out.parent) else Path("."), out.name)


def write_plan(plan: Plan, fmt: str, out, lang: str = "zh") -> list[Path]:
    """Write *plan* as *fmt* (csv, xlsx, json, md) in *lang* (zh, en) under *out*; the paths written.

    csv: *out* is a directory (``DIR/<table>.csv``) or, ending in ``.csv``, a prefix
    (``PATH-<table>.csv``).  Other formats: *out* is the file, or an existing directory /
    a path ending in ``/`` (``<plan>-plan.<ext>`` inside it).
    """
    if fmt not in FORMATS:
        raise PlanOutputError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise PlanOutputError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
    plan.check()
    dir_hint = str(out).endswith(("/", "\\"))  # Path() drops the trailing slash that says "a directory"
    out = _check_out(out)
    written = []
    if fmt == "csv":
        if out.suffix.lower() == ".csv":
            base, prefix = (out.parent if str(out.parent) else Path(".")), out.stem + "-"
        else:
            base, prefix = out, ""
        base.mkdir(parents=True, exist_ok=True)
        for name, text in csv_texts(plan, lang).items():
            path = _inside(base, f"{prefix}{name}.csv")
            path.write_bytes(text.encode("utf-8-sig"))
            written.append(path)
        return written
    target = _file_target(plan, fmt, out, dir_hint)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        target.write_bytes(xlsx_bytes(plan, lang))
    elif fmt == "json":
        target.write_bytes((plan_json(plan, lang) + "\n").encode("utf-8"))
    else:
        target.write_bytes(markdown_text(plan, lang).encode("utf-8"))
    return [target]


# -- CSV ----------------------------------------------------------------------------------------


def _csv_cell(plan: Plan, df, col, v, lang):
    v = plan.value_label(col, _plain(v), lang)
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    if isinstance(v, int):
        return str(v)
    return csv_text(str(v))


def csv_texts(plan: Plan, lang: str = "zh") -> dict:
    """{table id: CSV text}: labelled header, coded values translated, formulas defused."""
    out = {}
    for name, df in plan.tables.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([plan.label(c, lang) for c in df.columns])
        cols = list(df.columns)
        _dtypes, values, kinds = _frame_columns(df)
        cells = []
        for c, vals, one in zip(cols, values, kinds):
            text = _text_labels(plan, c, vals, one, lang)
            if text is not None:  # csv_text of each label, column-wise
                distinct, labels = text
                cells.append(_by_label(distinct, labels, _defused([t for t in labels if t is not None]), "",
                                       vals)[0])
            else:
                cells.append(_map_column(lambda v, c=c: _csv_cell(plan, df, c, v, lang), vals, one))
        w.writerows(zip(*cells) if cells else [()] * len(df))
        out[name] = buf.getvalue()
    return out


# -- JSON ---------------------------------------------------------------------------------------
def plan_document(plan: Plan, lang: str = "zh") -> dict:
    """The whole plan as one JSON-able document: rows keep ids and codes; labels alongside."""
    return _document(plan, lang, _row_dicts)


def _row_dicts(df: pd.DataFrame) -> list[dict]:
    names = list(df.columns)
    return [dict(zip(names, vals)) for vals in zip(*(map(_plain, col) for col in _column_values(df)))] \
        if names else [{} for _ in range(len(df))]


def _document(plan: Plan, lang: str, rows_of) -> dict:
    plan.check()
    tables = {}
    for name, df in plan.tables.items():
        cols = []
        for c in df.columns:
            entry = {"id": c, "label": plan.label(c, lang), "label_zh": plan.label(c, "zh"),
                     "label_en": plan.label(c, "en"), "format": plan.fmt(df, c)}
            if c in plan.values:
                entry["values"] = {code: lab[lang] for code, lab in sorted(plan.values[c].items())}
            cols.append(entry)
        tables[name] = {"title": plan.table_title(name, lang), "columns": cols, "rows": rows_of(df)}
    return {"format": "netconsol-plan", "version": 1, "plan": plan.name, "lang": lang,
            "title": plan.title[lang], "meta": plan.meta, "tables": tables}


def plan_json(plan: Plan, lang: str = "zh") -> str:
    """``json.dumps(plan_document(plan, lang), ensure_ascii=False, indent=1)``, the same text.

    With an indent, json encodes in Python, value by value; here the rows (nearly all of a
    plan's bytes) are written column by column: each column's distinct values encoded once as
    json encodes them, each row's lines joined at its indent.  The rest of the document, and
    any table holding a value other than str, int, float, bool or None, goes through json."""
    marks, rows = {}, {}

    def mark(df):
        token = "@@netconsol-rows-%d@@" % len(marks)
        marks[token] = df
        return token

    text = json.dumps(_document(plan, lang, mark), ensure_ascii=False, indent=1)
    pieces, at = [], 0
    for token, df in marks.items():
        quoted = '"%s"' % token
        i = text.find(quoted, at)
        if i < 0 or text.count(quoted) != 1 or text[i - 8:i] != '"rows": ':
            return json.dumps(plan_document(plan, lang), ensure_ascii=False, indent=1)
        level = i - text.rfind("\n", 0, i) - 1 - len('"rows": ')
        rows = _json_rows(df, level)
        if rows is None:  # a value json decides: the plain document
            return json.dumps(plan_document(plan, lang), ensure_ascii=False, indent=1)
        pieces += [text[at:i], rows]
        at = i + len(quoted)
    pieces.append(text[at:])
    return "".join(pieces)


def _json_value(v) -> str:
    """One cell as json writes it after :func:`_plain` (NaN/NA -> null); _NotPlain for others."""
    v = _plain(v)
    t = type(v)
    if t is str:
        return _json_string(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return int.__repr__(v)
    if t is float:
        return float.__repr__(v) if v not in (math.inf, -math.inf) else ("Infinity" if v > 0 else "-Infinity")
    raise _NotPlain(v)


def _json_rows(df: pd.DataFrame, level: int) -> str | None:
    """The ``rows`` list of *df* as ``json.dumps(..., indent=1)`` writes it at nesting *level*
    (the spaces before its key); None when json must decide (a value of another type, no or
    repeated or non-string column names)."""
    names = list(df.columns)
    if not len(df):
        return "[]"
    if not names or len(set(names)) != len(names) or any(type(c) is not str for c in names):
        return None
    _dtypes, values, kinds = _frame_columns(df)
    item, key = " " * (level + 1), " " * (level + 2)
    cols = []
    try:
        for c, vals, one in zip(names, values, kinds):
            # each distinct value's line, key included, made once: the rows share it
            cols.append(_map_column(lambda v, head="%s%s: " % (key, _json_string(c)): head + _json_value(v), vals, one))
    except _NotPlain:
        return None
    open_, close = item + "{\n", "\n" + item + "}"
    body = ",\n".join(map(add, map(add, repeat(open_, len(df)), map(",\n".join, zip(*cols))), repeat(close, len(df))))
    return "[\n" + body + "\n" + " " * level + "]"


# -- Markdown -----------------------------------------------------------------------------------
# escaped where Markdown would read them: \ ` * [ ] | ~ anywhere, '#' at the start of the text,
# '_' unless inside a word (CommonMark never reads an intraword '_' as emphasis: address_overlaps
# stays as written).  '!' needs no escape: the '[' of an image is escaped already.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|~]|^#|(?<![^\W_])_|_(?![^\W_]))")
_MD_ANY = re.compile(r"[&<>\\`*_\[\]|#~\r\n]")  # a character escape_md may change (or a line break)


def escape_md(value) -> str:
    """Text as literal Markdown: emphasis/link/table characters backslash-escaped (an intraword
    ``_`` left as it is), ``<``, ``>`` and ``&`` as entities, line breaks as spaces."""
    s = str(value)
    if not _MD_ANY.search(s):
        return s
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return re.sub(r"\s*[\r\n]+\s*", " ", s)


def _md_escaped(texts: list) -> list:
    """[escape_md(t) for t in texts]: one search of them all when none has a character to escape."""
    if _MD_ANY.search("\x00".join(texts)):  # NUL: not a character escape_md reads
        return list(map(escape_md, texts))
    return texts


def _md_number(v, fmt: str, lang: str) -> str:
    if fmt == "ratio":
        return f"{v * 100:.1f}%"
    if fmt in ("int", "yuan") or (isinstance(v, float) and v.is_integer()):
        return f"{v:,.0f}"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{v:,}"


def _md_cell(plan: Plan, df, col, v, lang, fmt=None) -> str:
    v = plan.value_label(col, _plain(v), lang)
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _md_number(v, plan.fmt(df, col) if fmt is None else fmt, lang)
    return escape_md(v)


def _md_table(plan: Plan, name: str, lang: str, columns=(), rows_cache: dict | None = None) -> str:
    """The table's Markdown.  *rows_cache* (one plan, one language): a table :func:`row_slices` cut
    takes its rows from its whole frame's, rendered once for all its slices."""
    df = plan.tables[name]
    names = df.columns.tolist()  # an Index iterates element by element: its list, once
    at: dict = {}
    for i, c in enumerate(names):
        at.setdefault(c, i)  # a repeated name: its first column, as list.index found it
    cols = [c for c in (columns or names) if c in at]
    if df.empty:
        return "（无）\n" if lang == "zh" else "(none)\n"
    dtypes, values, kinds = _frame_columns(df)
    fmts = _formats(plan, df, dtypes)
    numeric = {c: fmts[c] in ("int", "float", "mbps", "yuan", "ratio") for c in cols}
    lines = ["| " + " | ".join(escape_md(plan.label(c, lang)) for c in cols) + " |",
             "|" + "|".join("---:" if numeric[c] else "---" for c in cols) + "|"]
    idx = [at[c] for c in cols]
    sliced = _slice_of(df) if rows_cache is not None else None
    if sliced is not None:
        whole, a, b = sliced
        key = (id(whole), tuple(cols))  # the whole frame lives as long as its slices, in the plan
        rows = rows_cache.get(key)
        if rows is None:
            rows = rows_cache[key] = _md_rows(plan, df, lang, cols, idx, fmts, whole[1], whole[2], len(whole[1][0])
                                              if whole[1] else b - a)
        lines += rows[a:b]
    else:
        lines += _md_rows(plan, df, lang, cols, idx, fmts, values, kinds, len(df))
    return "\n".join(lines) + "\n"


def _md_rows(plan: Plan, df, lang: str, cols, idx, fmts, values, kinds, n: int) -> list[str]:
    """The Markdown rows of *values* (a frame's columns), *cols* at positions *idx*."""
    cells = []
    for c, i in zip(cols, idx):
        text = _text_labels(plan, c, values[i], kinds[i], lang)
        if text is not None:  # escape_md of each label, column-wise
            distinct, labels = text
            cells.append(_by_label(distinct, labels, _md_escaped([t for t in labels if t is not None]), "",
                                   values[i])[0])
        else:
            cells.append(_map_column(lambda v, c=c: _md_cell(plan, df, c, v, lang, fmts[c]), values[i], kinds[i]))
    return ["| " + " | ".join(row) + " |" for row in (zip(*cells) if cells else [()] * n)]


def markdown_text(plan: Plan, lang: str = "zh") -> str:
    """A readable report: title, facts of the run, then each section's paragraphs and table."""
    plan.check()
    out = [f"# {escape_md(plan.title[lang])}", ""]
    if plan.meta:
        for k in sorted(plan.meta):
            v = plan.meta[k]
            if isinstance(v, (dict, list)):
                continue
            out.append(f"- {escape_md(plan.label(k, lang))}: {escape_md(v)}")
        out.append("")
    sections = plan.sections or [Section(plan.titles.get(n) or L(n, n), table=n) for n in plan.tables]
    rows_cache: dict = {}
    for s in sections:
        out += [f"## {escape_md(s.title[lang])}", ""]
        for p in s.paragraphs:
            out += [p.render(lang, escape_md), ""]
        if s.table:
            out += [_md_table(plan, s.table, lang, s.columns, rows_cache)]
    return "\n".join(out).rstrip("\n") + "\n"


# -- XLSX ---------------------------------------------------------------------------------------
_XLSX_FORMATS = {"int": "#,##0", "yuan": "#,##0", "ratio": "0.0%", "mbps": "General", "float": "General"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class _CharWidths(dict):
    """Character -> display width (2 for East Asian wide or fullwidth, else 1), filled as met:
    ``sum(map(widths.__getitem__, text))`` runs in C once a text's characters are known (a
    regex of every wide range took ~10x longer per text)."""

    def __missing__(self, ch):
        w = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return w


_CHAR_WIDTH = _CharWidths()


def _width(text) -> int:
    """Display width: 2 per wide or fullwidth character, 1 per other."""
    text = str(text)
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTH.__getitem__, text))


def _sheet_name(plan: Plan, name: str, used: set) -> str:
    zh = plan.titles.get(name, {}).get("zh", "")
    base = _SHEET_BAD.sub(" ", f"{zh} {name}".strip())[:31]
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:28]}~{n}"
        n += 1
    used.add(title.lower())
    return title


def xlsx_bytes(plan: Plan, lang: str = "zh", timestamp: _dt.datetime = XLSX_TIMESTAMP) -> bytes:
    """The plan as an XLSX workbook: one sheet per table, headers in Chinese (row 1) and English
    (row 2), frozen below them, numbers as numbers; identical bytes for identical plans."""
    plan.check()
    fast = all(len(df.columns) for df in plan.tables.values())
    if fast:
        try:
            return _xlsx_fast(plan, lang, timestamp)
        except _NotPlain:
            pass
    return _xlsx_openpyxl(plan, lang, timestamp)


def _xlsx_workbook(plan: Plan, lang: str, timestamp):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = "netconsol"
    props.lastModifiedBy = "netconsol"
    props.title = plan.title[lang]
    props.created = timestamp
    props.modified = timestamp
    return wb


def _xlsx_headers(plan: Plan, ws, cols) -> list[int]:
    """Write the two header rows; the columns' starting widths."""
    from openpyxl.styles import Alignment, Font, PatternFill

    head_fill = PatternFill("solid", fgColor="DDEBF7")
    head_font = Font(bold=True)
    sub_font = Font(italic=True, color="555555")
    widths = []
    for j, c in enumerate(cols, start=1):
        zh, en = plan.label(c, "zh"), plan.label(c, "en")
        for r, (text, font) in enumerate(((zh, head_font), (en, sub_font)), start=1):
            cell = ws.cell(row=r, column=j, value=text)
            cell.data_type = "s"
            cell.font = font
            cell.fill = head_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        # long headers wrap: they widen a column only up to 24, values up to 60
        widths.append(min(max(_width(zh), _width(en)), 24))
    return widths


def _xlsx_finish(ws, cols, widths, n_rows) -> None:
    from openpyxl.utils import get_column_letter

    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = "A3"
    if cols:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(cols))}{max(2, n_rows + 2)}"


def _xlsx_openpyxl(plan: Plan, lang: str, timestamp) -> bytes:
    """The workbook built cell by cell in openpyxl (the reference the fast path reproduces)."""
    from openpyxl.writer.excel import ExcelWriter

    wb = _xlsx_workbook(plan, lang, timestamp)
    used: set = set()
    for name, df in plan.tables.items():
        ws = wb.create_sheet(_sheet_name(plan, name, used))
        cols = list(df.columns)
        fmts = [plan.fmt(df, c) for c in cols]
        widths = _xlsx_headers(plan, ws, cols)
        for i, row in enumerate(df.itertuples(index=False), start=3):
            for j, (c, v, fmt) in enumerate(zip(cols, row, fmts), start=1):
                v = plan.value_label(c, _plain(v), lang)
                if v is None:
                    continue
                cell = ws.cell(row=i, column=j)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    cell.value = v
                    cell.number_format = _XLSX_FORMATS.get(fmt, "General")
                    shown = _md_number(v, fmt, lang)
                else:
                    cell.value = shown = xlsx_text(str(v))  # control characters escaped, formulas defused
                    cell.data_type = "s"  # data, never a formula
                widths[j - 1] = max(widths[j - 1], _width(shown))
        _xlsx_finish(ws, cols, widths, len(df))
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(wb, archive).write_data()
    return _fixed_zip(raw.getvalue())


_EMPTY = [None, None, None, 0, None]  # an empty cell (nothing written) in _xlsx_fast's columns


_TAIL = itemgetter(4)


class _NotPlain(Exception):
    """A value the fast XLSX path does not write itself (the openpyxl path decides)."""


# what lxml writes for text in openpyxl's ASCII-encoded sheet XML; anything outside it goes to openpyxl
_XML_TEXT_OK = re.compile("[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _xml_text(s: str) -> str:
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    if not s.isascii():
        s = s.encode("ascii", "xmlcharrefreplace").decode("ascii")  # &#NNNN; as lxml writes them
    return s


def _xlsx_text_cells(distinct: list, labels: list, values: list):
    """What ``_map_column(cell_xml, values, True, made)`` gives (the cells, the distinct cells) for
    a column whose labels are text or None (:func:`_text_labels`), computed column-wise: one
    search for control characters, the distinct first characters for formulas, one escape of
    them all.  None (cell by cell, then) when a text is longer than a cell holds."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # the same characters as sanitize's

    present = [t for t in labels if t is not None]
    if ILLEGAL_CHARACTERS_RE.search("\n".join(present)):
        shown = list(map(xlsx_text, present))
    else:
        shown = _defused(present)
    if shown and max(map(len, shown)) > 32767:
        return None
    if not _XML_TEXT_OK.fullmatch("\n".join(shown)):  # "\n" is among its characters
        raise _NotPlain(shown)
    # NUL cannot be in a shown text (escaped above): it parts the texts escaped at once
    xml = _xml_text("\x00".join(shown)).split("\x00")
    texts = [["s", None, "></c>" if t == "" else '><is><t%s>%s</t></is></c>' % (
              ' xml:space="preserve"' if t != t.strip() else "", x),
              len(t) if t.isascii() else sum(map(_CHAR_WIDTH.__getitem__, t)), None]
             for t, x in zip(shown, xml)]
    return _by_label(distinct, labels, texts, _EMPTY, values)


def _xlsx_fast(plan: Plan, lang: str, timestamp) -> bytes:
    """The same workbook as :func:`_xlsx_openpyxl`, byte for byte, without a cell object per value.

    openpyxl builds the workbook with the header rows only (sheet settings, widths, freeze,
    filter, styles); the data rows are rendered here as openpyxl renders them (inline strings,
    numbers with their number format's style) and spliced into each sheet's XML.  Styles are
    registered in the order openpyxl's writer would meet them: the two header styles, then the
    data cells' number formats by first use.
    """
    from openpyxl.cell.cell import Cell, ILLEGAL_CHARACTERS_RE
    from openpyxl.compat import safe_string
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = _xlsx_workbook(plan, lang, timestamp)
    used: set = set()
    sheets = []  # (dimension, data rows XML)
    style_of: dict = {}  # number format -> ' s="N"' or ''
    headers_registered = False
    for name, df in plan.tables.items():
        ws = wb.create_sheet(_sheet_name(plan, name, used))
        cols = list(df.columns)
        fmts = [plan.fmt(df, c) for c in cols]
        widths = _xlsx_headers(plan, ws, cols)
        if not headers_registered:  # the first cells the writer styles: sheet 1's two header rows
            wb._cell_styles.add(ws.cell(row=1, column=1)._style)
            wb._cell_styles.add(ws.cell(row=2, column=1)._style)
            headers_registered = True
        letters = [get_column_letter(j) for j in range(1, len(cols) + 1)]
        # per column, each distinct value rendered once: [kind, number format, XML after the
        # coordinate, shown width, the cell's XML after its row number (set below)]; _EMPTY for none
        rendered = []
        _dtypes, values, kinds = _frame_columns(df)
        for c, fmt, vals, one in zip(cols, fmts, values, kinds):
            num_fmt = _XLSX_FORMATS.get(fmt, "General")

            def cell_xml(v, c=c, fmt=fmt, num_fmt=num_fmt):
                v = plan.value_label(c, _plain(v), lang)
                if v is None:
                    return _EMPTY
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    if type(v) not in (int, float):
                        raise _NotPlain(v)
                    return ["n", num_fmt, "><v>%s</v></c>" % safe_string(v), _width(_md_number(v, fmt, lang)), None]
                shown = xlsx_text(str(v))  # control characters escaped, formulas defused
                text = shown[:32767]
                if ILLEGAL_CHARACTERS_RE.search(text) or not _XML_TEXT_OK.fullmatch(text):
                    raise _NotPlain(text)
                if text == "":
                    body = "></c>"
                else:
                    space = ' xml:space="preserve"' if text != text.strip() else ""
                    body = '><is><t%s>%s</t></is></c>' % (space, _xml_text(text))
                return ["s", None, body, _width(shown), None]

            text = _text_labels(plan, c, vals, one, lang)
            cells = _xlsx_text_cells(*text, vals) if text is not None else None
            if cells is not None:
                rendered.append(cells)
                continue
            made = []
            rendered.append((_map_column(cell_xml, vals, one, made), made))
        n = len(df)
        # the number formats' styles are registered as openpyxl's writer meets them: row by row,
        # the first number of each column in (row, column) order
        firsts = []
        for j, (cells, made) in enumerate(rendered):
            numbers = False
            for x in made:
                if x[3] > widths[j]:
                    widths[j] = x[3]
                numbers = numbers or x[0] == "n"
            if numbers:
                first = next(i for i, x in enumerate(cells) if x[0] == "n")
                firsts.append((first, j, cells[first][1]))
        for _first, _j, num_fmt in sorted(firsts):
            if num_fmt not in style_of:  # first use: register as openpyxl would when the cell is written
                probe = Cell(ws)
                probe.number_format = num_fmt
                style_of[num_fmt] = ' s="%d"' % wb._cell_styles.add(probe._style) if probe.has_style else ""
        rows = list(map(str, range(3, n + 3)))
        # the sheet's rows as one join over (row start, then per column: cell start, row number,
        # the rest of the cell); a column with empty cells has "" in place of its cell's pieces
        parts = [repeat('<row r="', n), rows, repeat('">', n)]
        blank = None  # per row: every cell so far empty (only while every column has gaps)
        for j, (cells, made) in enumerate(rendered):
            gaps = False
            for x in made:
                if x is _EMPTY:
                    gaps = True
                elif x[4] is None:
                    x[4] = ('" t="inlineStr"' if x[0] == "s" else '"%s t="n"' % style_of[x[1]]) + x[2]
            head = '<c r="' + letters[j]
            tails = list(map(_TAIL, cells))
            if gaps:
                parts += [[head if t is not None else "" for t in tails],
                          [r if t is not None else "" for r, t in zip(rows, tails)],
                          [t if t is not None else "" for t in tails]]
                if j == 0 or blank is not None:
                    empty = [t is None for t in tails]
                    blank = empty if j == 0 else list(map(and_, blank, empty))
            else:
                parts += [repeat(head, n), rows, tails]
                blank = None
        parts.append(repeat("</row>", n))
        if blank is not None and any(blank):  # rows with no cell at all are not written
            kept = [i for i, b in enumerate(blank) if not b]
            parts = [[p[i] for i in kept] for p in map(list, parts)]
            last_row = rows[kept[-1]] if kept else 2
        else:
            last_row = rows[-1] if n else 2
        rows_xml = "".join(chain.from_iterable(zip(*parts)))
        _xlsx_finish(ws, cols, widths, n)
        sheets.append(("A1:%s%s" % (letters[-1], last_row), rows_xml))
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(wb, archive).write_data()

    def splice(name, data):
        if not (name.startswith("xl/worksheets/sheet") and name.endswith(".xml")):
            return data
        dim, rows_xml = sheets[int(name[len("xl/worksheets/sheet"):-4]) - 1]
        head = b'<dimension ref="A1:%s2"/>' % dim.split(":")[1].rstrip("0123456789").encode()
        if head not in data or data.count(b"</sheetData>") != 1:
            raise _NotPlain(name)
        before, after = data.replace(head, b'<dimension ref="%s"/>' % dim.encode(), 1).split(b"</sheetData>")
        return b"".join((before, rows_xml.encode("utf-8"), b"</sheetData>", after))

    return _fixed_zip(raw.getvalue(), splice)


def _fixed_zip(data: bytes, edit=None) -> bytes:
    """The same archive with every entry stamped with one fixed time: zip entries carry the
    wall-clock time they were written, which would make two runs differ.  *edit(name, bytes)*
    may change an entry's contents on the way."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = src.read(info.filename)
            dst.writestr(fixed, edit(info.filename, content) if edit else content)
    return out.getvalue()
