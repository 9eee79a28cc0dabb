"""Helpers the plan writers lean on for speed: each equals the plain computation."""
from __future__ import annotations

import math
import random
import unicodedata

from netconsol.render.plans import _memo_column, _width


def test_display_width_counts_wide_and_fullwidth_twice():
    rng = random.Random(1)
    pools = [(32, 127), (0x3000, 0xA000), (0xFF00, 0xFFEF), (0x80, 0x2FFF), (0x1F300, 0x1F6FF), (0xAC00, 0xD7A3)]
    for _ in range(5000):
        text = "".join(chr(rng.randrange(*rng.choice(pools))) for _ in range(rng.randrange(0, 9)))
        assert _width(text) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert _width("政务外网 ABC") == 12 and _width("１０．１") == 8 and _width(42) == 2


def test_memo_column_equals_a_plain_map():
    calls = []

    def fn(v):
        calls.append(v)
        return f"{type(v).__name__}:{v!r}"

    values = ["a", "a", 1, 1, True, True, 1.0, 1.0, 0.0, -0.0, -0.0, math.nan, math.nan, None, None, "a", 2.5, 2.5]
    assert _memo_column(fn, values) == [fn(v) for v in values]
    # 1, True and 1.0 stay apart; -0.0 is not served 0.0's text
    assert _memo_column(fn, [0.0, -0.0]) == ["float:0.0", "float:-0.0"]
    calls.clear()
    _memo_column(fn, ["x"] * 50 + [7] * 50 + [None] * 50)
    assert len(calls) == 3      # each distinct value formatted once


# -- the column-wise writers against the plain cell-by-cell computation (issue 23) ----------------
import csv  # noqa: E402
import io  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from netconsol.render import plans as P  # noqa: E402

NA_HASH = hash(pd.NA)  # an int equal in hash to pd.NA: a dict of both would compare them
HOSTILE = ["=1+1", "@x", "+", "-", "\tlead", "a\tb", "<b>&amp;\"'</b>", "政务外网", "", " pad ", "x|y*z_",
           "#h", "＝SUM(A1)", "a\nb", "a\u2028b", "ctl\x01x", "１０．１", "‘’", "[l](u)", "~~s~~", "`c`", "\\"]


def _hostile_plan() -> P.Plan:
    n = len(HOSTILE)
    strs = pd.Series(HOSTILE, dtype="str")
    strs[[3, 7]] = None
    ints = pd.array([1, None, -3, NA_HASH, 0, 2**40] * 4, dtype="Int64")[:n]
    floats = np.array([0.0, -0.0, math.nan, 1.5, 1e20, -2.25, 3.0, 1 / 3] * 3)[:n]
    bools = pd.array([True, None, False] * 8, dtype="boolean")[:n]
    mixed = pd.Series(([1, 1.0, True, None, "=x", 2**64, -0.0, 0.0, "1", math.nan, False] * 2)[:n], dtype=object)
    codes = pd.Series((["keep", "move keep", "move", "", "other", None, "=keep"] * 4)[:n], dtype="str")
    main = pd.DataFrame({"label": strs, "count": ints, "rate": floats, "ok": bools, "mixed": mixed, "action": codes,
                         "flag": np.array([True, False] * 11)[:n], "fee": floats * 1000, "share": floats})
    gaps = pd.DataFrame({"a": pd.Series(["x", None, None, "=y"], dtype="str"),
                         "b": pd.array([None, None, 2, None], dtype="Int64")})
    return P.Plan(
        name="hostile", title=P.L("敌意 <值>", "hostile <values>"),
        tables={"main": main, "gaps": gaps, "empty": main.iloc[0:0], "wide": pd.DataFrame({"人": ["汉字" * 40]})},
        labels={"label": P.L("名=称", "=name"), "mixed": P.L("@混合", "+mixed")},
        values={"action": {"keep": P.L("保留", "keep it"), "move": P.L("迁移", "=move")}},
        formats={"fee": "yuan", "share": "ratio"})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fast_xlsx_is_the_openpyxl_workbook_byte_for_byte_on_hostile_values(lang):
    plan = _hostile_plan()
    fast = P._xlsx_fast(plan, lang, P.XLSX_TIMESTAMP)  # not handed to openpyxl: the fast path wrote it
    assert fast == P._xlsx_openpyxl(plan, lang, P.XLSX_TIMESTAMP)
    assert P.xlsx_bytes(plan, lang) == fast


def test_a_value_the_fast_xlsx_cannot_write_goes_to_openpyxl():
    plan = _hostile_plan()
    for odd in ("bad\ufffe", "cr\rlf"):  # lxml's own way with these: openpyxl writes them
        plan.tables["odd"] = pd.DataFrame({"t": pd.Series(["ok", odd], dtype="str")})
        with pytest.raises(P._NotPlain):
            P._xlsx_fast(plan, "zh", P.XLSX_TIMESTAMP)
    assert P.xlsx_bytes(plan, "zh") == P._xlsx_openpyxl(plan, "zh", P.XLSX_TIMESTAMP)


def _plain_rows(df):
    return [list(row) for row in df.itertuples(index=False)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_is_the_plain_cell_by_cell_text_on_hostile_values(lang):
    plan = _hostile_plan()
    texts = P.csv_texts(plan, lang)
    for name, df in plan.tables.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([plan.label(c, lang) for c in df.columns])
        for row in _plain_rows(df):
            w.writerow([P._csv_cell(plan, df, c, v, lang) for c, v in zip(df.columns, row)])
        assert texts[name] == buf.getvalue()
    assert "'=1+1" in texts["main"] and "'@x" in texts["main"] and "'＝SUM(A1)" in texts["main"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_tables_are_the_plain_cell_by_cell_text_on_hostile_values(lang):
    plan = _hostile_plan()
    for name, df in plan.tables.items():
        if df.empty:
            continue
        fmts = P._formats(plan, df)
        want = [" | ".join(P._md_cell(plan, df, c, v, lang, fmts[c]) for c, v in zip(df.columns, row))
                for row in _plain_rows(df)]
        got = P._md_table(plan, name, lang).split("\n")[2:-1]
        assert got == ["| " + w + " |" for w in want]
    text = P.markdown_text(plan, lang)
    assert "&lt;b&gt;&amp;amp;" in text and "x\\|y\\*z\\_" in text and "<b>" not in text


def test_map_column_equals_a_plain_map_on_every_kind_of_column():
    plan = _hostile_plan()
    df = plan.tables["main"]
    dtypes, values, kinds = P._frame_columns(df)
    assert kinds == [True, True, False, True, False, True, True, False, False]  # -0.0 and mixed types: by type
    for vals, one in zip(values, kinds):
        def fn(v):
            return f"{type(v).__name__}:{v!r}"
        assert P._map_column(fn, vals, one) == [fn(v) for v in vals]
        made = []
        assert P._map_column(fn, vals, True if one else False, made) == [fn(v) for v in vals]
        assert set(made) == {fn(v) for v in vals}
    # pd.NA and the int of its hash in one column: still each its own text
    col = pd.array([pd.NA, NA_HASH, pd.NA], dtype="Int64").to_numpy(dtype=object).tolist()
    assert P._map_column(repr, col, True) == ["<NA>", repr(NA_HASH), "<NA>"]


def test_row_slices_write_as_the_plain_slices_do():
    plan = _hostile_plan()
    main = plan.tables["main"]
    spans = [(0, 5), (5, 5), (5, 17), (17, len(main)), (0, len(main))]
    parts = P.row_slices(main, spans)
    plain = [main.iloc[a:b].reset_index(drop=True) for a, b in spans]
    for got, want in zip(parts, plain):
        pd.testing.assert_frame_equal(got, want)
    assert main.index.equals(pd.RangeIndex(len(main)))  # the parent untouched
    sliced = P.Plan(name="s", title=P.L("s", "s"), tables={f"t{i}": t for i, t in enumerate(parts)},
                    values=plan.values, formats=plan.formats, labels=plan.labels)
    fresh = P.Plan(name="s", title=P.L("s", "s"), tables={f"t{i}": t for i, t in enumerate(plain)},
                   values=plan.values, formats=plan.formats, labels=plan.labels)
    assert P.markdown_text(sliced, "zh") == P.markdown_text(fresh, "zh")
    assert P.csv_texts(sliced, "en") == P.csv_texts(fresh, "en")
    assert P.xlsx_bytes(sliced, "zh") == P.xlsx_bytes(fresh, "zh")
    # sections showing some columns of the slices: each slice's rows as a fresh frame's, whichever
    # columns a section shows (the whole frame's rows are rendered once per choice of columns)
    for lang in ("zh", "en"):
        picks = [("label", "action"), (), ("rate", "label"), ("action",), ("label", "action")]
        secs = [P.Section(P.L("节", "sec"), table=f"t{i}", columns=pick) for i, pick in enumerate(picks)]
        secs += [P.Section(P.L("节", "sec"), table=f"t{i}", columns=("ok",)) for i in range(len(parts))]
        sliced.sections = fresh.sections = secs
        assert P.markdown_text(sliced, lang) == P.markdown_text(fresh, lang)
    n = len(P._SLICED)
    del parts, sliced, got
    assert len(P._SLICED) == n - len(spans)  # a slice's columns are forgotten with it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_json_is_jsons_own_text_on_hostile_values(lang):
    import decimal
    import json

    plan = _hostile_plan()
    plan.tables["inf"] = pd.DataFrame({"f": [math.inf, -math.inf, 2.5e-300, math.nan], "s": ['"q"\\', "\x00\x1f", "\ud800", "é"]})
    plan.tables["nocols"] = pd.DataFrame(index=range(2))
    plan.meta = {"snapshot": "@@netconsol-rows-0@@ is only text", "n": 3}
    want = json.dumps(P.plan_document(plan, lang), ensure_ascii=False, indent=1)
    assert P.plan_json(plan, lang) == want
    del plan.tables["nocols"]
    plan.meta = {}
    assert P.plan_json(plan, lang) == json.dumps(P.plan_document(plan, lang), ensure_ascii=False, indent=1)
    assert P._json_rows(plan.tables["main"], 3) is not None  # the column-wise rows were taken
    plan.tables["odd"] = pd.DataFrame({"d": pd.Series([decimal.Decimal("1.5")], dtype=object)})
    assert P._json_rows(plan.tables["odd"], 3) is None
    with pytest.raises(TypeError):  # json's own verdict on the value, not a text of ours
        P.plan_json(plan, lang)


# -- text columns escaped column-wise (issue 23, fourth round) ------------------------------------
ALPHABET = ["a", "Z", "0", " ", "\t", "\n", "\r", "=", "+", "-", "@", "'", "|", "*", "_", "#", "<", "&", ">", "`",
            "[", "~", "\\", "\x01", "\x1f", "政", "＝", "＋", "\u2028", "é", "\U0001F600", "\x7f", "\x85", "\xa0"]


def _random_text_plan(seed: int) -> P.Plan:
    rng = random.Random(seed)
    n = rng.randrange(0, 30)

    def text(clean):
        # odd seeds: no character the fast XLSX leaves to openpyxl (so that path is compared too)
        pool = ALPHABET[:3] + ["政", "é", " "] if clean else [a for a in ALPHABET if seed % 2 == 0 or
                                                             a not in ("\r", "\x7f", "\x85")]
        return "".join(rng.choice(pool) for _ in range(rng.randrange(0, 7)))

    cols = {}
    for j in range(4):
        clean = j % 2 == 0  # clean columns take the no-escape branches, the others the escaping ones
        vals = [None if rng.random() < 0.15 else text(clean) for _ in range(n)]
        cols[f"t{j}"] = pd.Series(vals, dtype="str")
    codes = ["keep", "move", "keep move", "move odd", "odd", "=x", "", *([None] if seed % 4 < 2 else [])]
    cols["code"] = pd.Series([rng.choice(codes) for _ in range(n)], dtype="str")
    cols["ok"] = pd.array([rng.choice([True, False, None]) for _ in range(n)], dtype="boolean")
    return P.Plan(name="rand", title=P.L("随机", "random"), tables={"t": pd.DataFrame(cols)},
                  values={"code": {"keep": P.L("保留", "keep"), "move": P.L("=迁移", "@move")}})


@pytest.mark.parametrize("seed", range(16))
def test_text_columns_written_column_wise_equal_the_cell_by_cell_writers(seed):
    plan = _random_text_plan(seed)
    df = plan.tables["t"]
    for lang in ("zh", "en"):
        rows = _plain_rows(df)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([plan.label(c, lang) for c in df.columns])
        for row in rows:
            w.writerow([P._csv_cell(plan, df, c, v, lang) for c, v in zip(df.columns, row)])
        assert P.csv_texts(plan, lang)["t"] == buf.getvalue()
        if len(df):
            fmts = P._formats(plan, df)
            want = ["| " + " | ".join(P._md_cell(plan, df, c, v, lang, fmts[c]) for c, v in zip(df.columns, row))
                    + " |" for row in rows]
            assert P._md_table(plan, "t", lang).split("\n")[2:-1] == want
        try:
            fast = P._xlsx_fast(plan, lang, P.XLSX_TIMESTAMP)
        except P._NotPlain:  # a character lxml writes its own way: openpyxl writes the workbook
            continue
        assert fast == P._xlsx_openpyxl(plan, lang, P.XLSX_TIMESTAMP)


def test_a_text_longer_than_a_cell_is_cut_as_openpyxl_cuts_it():
    plan = P.Plan(name="long", title=P.L("长", "long"),
                  tables={"t": pd.DataFrame({"a": pd.Series(["x" * 40000, "=y", None], dtype="str")})})
    assert P._xlsx_fast(plan, "zh", P.XLSX_TIMESTAMP) == P._xlsx_openpyxl(plan, "zh", P.XLSX_TIMESTAMP)
