"""Text from input made safe for the spreadsheets and CSV files netconsol writes: the one place.

Two rules, after Unicode NFKC normalization (which a spreadsheet may apply too: a full-width
``＝１＋１`` becomes ``=1+1``):

* **Formula injection** (OWASP "CSV Injection"): a cell whose text begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is prefixed with a single quote ``'``, so a
  spreadsheet shows it as text and never evaluates it.  Applied to every text cell of every
  CSV and XLSX written (plans, report, ``show --format csv``, snapshot tables).
* **Control characters**: XML 1.0 (so XLSX) cannot hold U+0000-U+0008, U+000B, U+000C and
  U+000E-U+001F (openpyxl raises ``IllegalCharacterError``).  In XLSX cells each is written
  as its visible escape ``\\x08``; CSV keeps them (text files hold them, and the snapshot
  reads them back exactly).

Snapshot CSVs are read back by netconsol itself, so there the quote prefix is reversible:
:func:`snapshot_text` prefixes ``'`` to a formula-leading cell *and* to a cell that already
begins with ``'``, and :func:`snapshot_value` removes exactly one leading ``'``: every
string round-trips unchanged through save and load.
"""
from __future__ import annotations

import re
import unicodedata
from operator import itemgetter

import pandas as pd

__all__ = ["FORMULA_START", "formula_leading", "defuse", "csv_text", "xlsx_text", "snapshot_text",
           "snapshot_value", "defuse_frame"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FIRST_CACHE: dict = {}


def _first_leads(ch: str) -> bool:
    hit = _FIRST_CACHE.get(ch)
    if hit is None:
        hit = ch.startswith(FORMULA_START) or unicodedata.normalize("NFKC", ch).startswith(FORMULA_START)
        if len(_FIRST_CACHE) < 4096:
            _FIRST_CACHE[ch] = hit
    return hit


def formula_leading(s: str) -> bool:
    """True when a spreadsheet could read *s* as a formula (after NFKC)."""
    return bool(s) and _first_leads(s[0])


def defuse(s: str) -> str:
    """*s* with a leading ``'`` when it is formula-leading."""
    return "'" + s if formula_leading(s) else s


def csv_text(s: str) -> str:
    """A text cell for a CSV file people open in a spreadsheet."""
    return defuse(s)


def xlsx_text(s: str) -> str:
    """A text cell for an XLSX sheet: control characters escaped, formulas defused."""
    if _ILLEGAL_XML.search(s):
        s = _ILLEGAL_XML.sub(lambda m: "\\x%02x" % ord(m.group()), s)
    return defuse(s)


def snapshot_text(s: str) -> str:
    """A text cell of a snapshot CSV: defused, and reversibly (see :func:`snapshot_value`)."""
    return "'" + s if s[:1] == "'" or formula_leading(s) else s


def snapshot_value(s: str) -> str:
    """The string :func:`snapshot_text` was given."""
    return s[1:] if s[:1] == "'" else s


_FIRST = itemgetter(slice(0, 1))


def _needs(first: str) -> bool:
    return first == "'" or (first != "" and _first_leads(first))


def defuse_frame(df: pd.DataFrame, columns, fn=snapshot_text) -> pd.DataFrame:
    """*df* with *fn* applied to the cells of the text *columns* that need it (a copy where
    anything changed; the usual table, with no such cell, is returned as is)."""
    changed = {}
    for c in columns:
        s = df[c]
        # the distinct first characters first (one C-level pass): the usual column has none
        # that needs anything, and no cell is looked at twice
        cells = s.to_numpy(dtype=object, na_value="")
        if not any(map(_needs, set(map(_FIRST, cells)))):
            continue
        firsts = s.str[:1]
        mask = firsts.map(_needs, na_action="ignore").fillna(False).astype(bool)
        if mask.any():
            changed[c] = s.where(~mask, s[mask].map(fn))
    if not changed:
        return df
    out = df.copy()
    for c, s in changed.items():
        out[c] = s.astype(df[c].dtype)
    return out
