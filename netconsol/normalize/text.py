"""Folding hand-typed spreadsheet text to one plain form before parsing it.

People fill the self-inspection sheets with a Chinese input method switched on: digits, letters
and punctuation arrive full-width (``１０．１．１．０／２４``), commas as ``，`` or ``、``, dashes as
``—``.  Every parser in :mod:`netconsol.normalize` calls :func:`fold` first so it only has to know
the ASCII spelling.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "is_blank", "cell_text"]

# NFKC already maps the full-width forms (，；：（）～＿－／．) and the ideographic space; these are
# the CJK punctuation marks it leaves alone.
_CJK_PUNCT = str.maketrans({
    "、": ",", "。": ".", "｡": ".",
    "—": "-", "–": "-", "―": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-", "﹣": "-",
    "〜": "~", "∼": "~",
    "【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]",
    "“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'",
    "《": "<", "》": ">", "〈": "<", "〉": ">",
    # zero-width characters that survive copy-paste from web pages and Word
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
# whether a text holds any of them: str.translate looks every character up in the table (most of
# fold's time on CJK text: descriptions, sheet cells), a search of one character class does not
_HAS_CJK_PUNCT = re.compile("[" + "".join(map(re.escape, map(chr, _CJK_PUNCT))) + "]")
_SPACES = re.compile(r"\s+")
_H_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def _to_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        # a spreadsheet number cell read by pandas: 100.0 is the 100 someone typed
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if _is_na(v):
        return ""
    return str(v)


def _is_na(v) -> bool:
    """pandas.NA / NaT / numpy.nan without importing pandas on the hot path."""
    if type(v).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(v != v)  # NaN is not equal to itself
    except (TypeError, ValueError):  # arrays, odd objects: not a missing scalar
        return False


@lru_cache(maxsize=65536)
def _fold_str(s: str, keep_newlines: bool) -> str:
    s = unicodedata.normalize("NFKC", s)
    if not s.isascii() and _HAS_CJK_PUNCT.search(s) is not None:
        s = s.translate(_CJK_PUNCT)
    if keep_newlines:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
        s = _H_SPACES.sub(" ", s)
        s = _NEWLINES.sub("\n", s)
        return s.strip()
    return _SPACES.sub(" ", s).strip()


def fold(s, keep_newlines: bool = False) -> str:
    """Return ``s`` as plain ASCII-punctuated text, stripped, with whitespace runs collapsed.

    - Unicode NFKC: full-width digits, letters and punctuation become ASCII
      (``１０．１．１．０／２４`` → ``10.1.1.0/24``), the ideographic space becomes a space;
    - Chinese punctuation becomes ASCII: ``，、``→``,`` ``；``→``;`` ``：``→``:`` ``（）``→``()``
      ``。``→``.`` ``－—–``→``-`` ``～〜``→``~`` ``＿``→``_`` ``【】``→``[]`` ``“”``→``"``
      ``‘’``→``'``; zero-width characters are dropped;
    - whitespace runs become one space.  With ``keep_newlines=True`` line breaks survive (one
      ``\\n`` between non-empty lines, spaces around them removed) so callers can split lists
      typed one item per line in a cell.

    ``None``, NaN, ``pandas.NA`` and ``NaT`` fold to ``""``; a float with no fraction folds to its
    integer spelling (``100.0`` → ``"100"``) since that is what was typed into the cell.
    Case is kept: callers casefold when they compare.
    """
    if type(s) is str:
        return _fold_str(s, keep_newlines)
    return _fold_str(_to_text(s), keep_newlines)


def is_blank(v) -> bool:
    """True for ``None``, NaN/NA/NaT and text that folds to nothing (spaces, full-width spaces).

    Placeholders such as ``-``, ``/`` or ``无`` are *not* blank: whether they mean "none" depends on
    the column (``无`` is a valid "no" for :func:`netconsol.normalize.to_bool`).
    """
    if v is None:
        return True
    if isinstance(v, str):
        if not v or v.isspace():
            return True
        # printable ASCII left after stripping cannot fold away: skip NFKC on the hot path
        return not v.strip().isascii() and fold(v) == ""
    if isinstance(v, float):
        return math.isnan(v)
    return _is_na(v)


def cell_text(v) -> str:
    """A spreadsheet cell as the text a clerk typed: '' for an empty cell, 12 for a whole number
    the reader handed over as 12.0, else the value stripped."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
