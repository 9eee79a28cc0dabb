"""Yes/no, money and date cells as people fill them in."""
from __future__ import annotations

import calendar
import datetime as _dt
import math
import numbers
import re
from functools import lru_cache

from netconsol.errors import NormalizeError
from netconsol.normalize.text import fold, is_blank

__all__ = ["to_bool", "to_yuan_per_year", "to_date"]

# --- yes / no -------------------------------------------------------------------------------------
EXPECTED_BOOL = "yes or no: 是/否, Y/N, yes/no, √/×, 有/无, true/false, 1/0"
_TRUE = {"是", "是的", "y", "yes", "√", "✓", "✔", "☑", "有", "true", "t", "1", "对", "on", "启用",
         "已", "需要"}
_FALSE = {"否", "不是", "n", "no", "×", "✗", "✘", "☐", "无", "没有", "false", "f", "0",
          "错", "off", "停用", "禁用", "未", "不需要"}


def to_bool(value) -> bool | None:
    """``True``/``False`` for a yes/no cell; ``None`` for a blank one.

    Yes: 是 是的 Y yes √ ✓ 有 true T 1 对 on 启用 已 需要.  No: 否 不是 N no × ✗ 无 没有 false F 0
    错 off 停用 禁用 未 不需要.  Case and width are ignored; numbers 1/0 and booleans pass.
    Anything else raises :class:`NormalizeError`.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real) and value in (0, 1):
        return bool(value)
    text = fold(value).casefold().rstrip(".")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise NormalizeError(value, EXPECTED_BOOL, f"not a yes/no value: {fold(value)!r}")


# --- money ----------------------------------------------------------------------------------------
EXPECTED_YUAN = "an amount in yuan, e.g. 5000, 5,000元/月, 1.2万/年, ￥60000 (a bare number is per year)"
_MONTH = re.compile(r"/月|每月|月租|月费|包月|/month|permonth|/mo|月$")
_QUARTER = re.compile(r"/季度?|每季度?|季度?$")
_YEAR = re.compile(r"/年|每年|年租|年费|包年|/year|peryear|/yr|年$")
_MONEY = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<mult>万|千|k|w)?(?:元|块|rmb|cny|yuan)?")
_CURRENCY = re.compile(r"[¥￥$]|人民币|rmb|cny|费用|租金|资费|金额|约|合计|共计|[:=]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_MULT = {None: 1, "万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000}


class _Bad(Exception):
    pass


@lru_cache(maxsize=8192)
def _yuan(raw: str) -> float:
    s = "".join(fold(raw).casefold().split())
    s = _REMARK.sub("", s)
    s = _THOUSANDS.sub("", s)
    if s in ("免费", "0元", "free"):
        return 0.0
    if s.startswith("-"):
        raise _Bad("negative amount")
    per = 1
    if _MONTH.search(s):
        per, s = 12, _MONTH.sub("", s)
    elif _QUARTER.search(s):
        per, s = 4, _QUARTER.sub("", s)
    elif _YEAR.search(s):
        s = _YEAR.sub("", s)
    s = _CURRENCY.sub("", s)
    m = _MONEY.fullmatch(s)
    if not m:
        raise _Bad(f"not an amount: {raw.strip()!r}")
    # rounded to the fen: 5.52万 is 55200.0, not 55199.99999999999
    return round(float(m.group("num")) * _MULT[m.group("mult")] * per, 2)


def to_yuan_per_year(value) -> float:
    """Yuan per year from a fee cell.

    A bare number (``5000``, a numeric cell, ``5000元``, ``￥60000``) is **yuan per year**: the
    sheets ask for the annual fee (年费用).  A month marker multiplies by 12 (``5,000元/月``,
    ``月租3000``, ``3000/月``, ``每月3000元``), a quarter marker by 4 (``/季``); ``/年``, ``每年``,
    ``年费`` keep it.  ``万`` is ×10,000 (``1.2万/年`` ``1.2万元`` ``6万元/年``), ``千`` ×1,000.
    ``免费`` is 0.  Blank or anything else raises :class:`NormalizeError`.
    """
    if isinstance(value, bool):
        raise NormalizeError(value, EXPECTED_YUAN, "not an amount: a yes/no value")
    if isinstance(value, numbers.Real) and not is_blank(value):
        if not math.isfinite(value) or value < 0:
            raise NormalizeError(value, EXPECTED_YUAN, "negative amount")
        return float(value)
    if is_blank(value):
        raise NormalizeError(value, EXPECTED_YUAN, "empty")
    try:
        return _yuan(value if isinstance(value, str) else fold(value))
    except _Bad as e:
        raise NormalizeError(value, EXPECTED_YUAN, str(e)) from None


# --- dates ----------------------------------------------------------------------------------------
EXPECTED_DATE = "a date, e.g. 2027-06-30, 2027/6/30, 2027年6月30日, 2027年6月 (month end)"
_EXCEL_EPOCH = _dt.date(1899, 12, 30)  # Excel's 1900 date system, leap-year bug included
_SERIAL_MIN, _SERIAL_MAX = 10_000, 2_958_465  # 1927-05-18 .. 9999-12-31
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                  r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_YM = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_NOISE = re.compile(r"^(?:截止|截至|到期日?|有效期至|合同到期|至|到)|(?:到期|止|前)$")


def _date(y: int, m: int, d: int | None) -> str:
    if not 1 <= m <= 12:
        raise _Bad(f"no month {m}")
    if d is None:
        d = calendar.monthrange(y, m)[1]
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        raise _Bad(f"no such day: {y:04d}-{m:02d}-{d:02d}") from None


def _serial(n: float) -> str:
    if 1900 <= n <= 2100 and n == int(n):
        raise _Bad(f"a year alone is not a date: {int(n)}")
    if not _SERIAL_MIN <= n <= _SERIAL_MAX:
        shown = int(n) if n == int(n) else n
        raise _Bad(f"{shown} is out of the Excel date-serial range {_SERIAL_MIN}..{_SERIAL_MAX}")
    return (_EXCEL_EPOCH + _dt.timedelta(days=int(n))).isoformat()


@lru_cache(maxsize=8192)
def _parse_date(raw: str) -> str:
    s = fold(raw).casefold()
    s = _DATE_NOISE.sub("", s.strip()).strip()
    if m := _YMD.fullmatch(s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.fullmatch(s):
        return _date(int(m[1]), int(m[2]), None)
    if m := _COMPACT.fullmatch(s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return _serial(float(s))
    if re.fullmatch(r"\d{4}\s*年", s):
        raise _Bad(f"a year alone is not a date: {s}")
    raise _Bad(f"not a date: {fold(raw)!r}")


def to_date(value) -> str:
    """``YYYY-MM-DD`` from a date cell.

    Text: ``2027-06-30``, ``2027/6/30``, ``2027.6.30``, ``2027年6月30日``, ``20270630``, with or
    without a time part or a word like 截止/到期; a month without a day (``2027年6月``,
    ``2027-06``) means the LAST day of that month: these are contract ends.  Objects:
    ``datetime``/``date``/``pandas.Timestamp``.  Numbers (and digit-only text): Excel serial days
    (``46568`` → 2027-06-30), accepted from 10000 (1927) up; 1900..2100 alone is a year, refused.
    Day-first or month-first text (``30/6/2027``) is refused as ambiguous.
    Blank or anything else raises :class:`NormalizeError`.
    """
    if is_blank(value):
        raise NormalizeError(value, EXPECTED_DATE, "empty")
    try:
        if isinstance(value, _dt.datetime):  # also pandas.Timestamp
            return value.date().isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, bool):
            raise _Bad("not a date: a yes/no value")
        if isinstance(value, numbers.Real):
            return _serial(float(value))
        if hasattr(value, "to_pydatetime"):  # other pandas datetime-likes
            return value.to_pydatetime().date().isoformat()
        return _parse_date(value if isinstance(value, str) else fold(value))
    except _Bad as e:
        raise NormalizeError(value, EXPECTED_DATE, str(e)) from None
