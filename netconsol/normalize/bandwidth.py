"""Bandwidth as typed into the exit sheets (``100M``, ``1G``, ``2×100M``, ``千兆``) -> Mbps."""
from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache

from netconsol.errors import NormalizeError
from netconsol.normalize.text import fold, is_blank

__all__ = ["to_mbps", "EXPECTED_BANDWIDTH"]

EXPECTED_BANDWIDTH = "a bandwidth such as 100M, 1G, 2*100M, 千兆, 512K (a bare number is Mbps)"

# Kilo is binary here on purpose: carriers sell 512K / 1M / 2M (=2048K, an E1) circuits and a
# "512K" line is half of a "1M" one, so 512K = 0.5 Mbps.  G is decimal: 1G = 1000M, as sold.
_FACTOR = {"k": 1 / 1024, "m": 1.0, "g": 1000.0, "t": 1_000_000.0}
_UNITS: dict[str, float] = {"": 1.0, "ge": 1000.0, "gbe": 1000.0, "fe": 100.0, "e1": 2.048}
for _p, _f in _FACTOR.items():
    for _s in ("", "b", "bps", "bit", "bits", "ps", "bitps", "bitsps"):
        _UNITS[_p + _s] = _f

_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PER_SECOND = re.compile(r"(?<=[kmgt])(b|bit|bits)?/s")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WORDS = [("万兆", "10000m"), ("千兆", "1000m"), ("百兆", "100m"), ("兆比特", "m"), ("兆位", "m"),
          ("兆", "m"), ("每秒", "")]
# words that qualify a bandwidth without changing it
_NOISE = re.compile(r"带宽|速率|独享|共享|对称|双向|上下行|bandwidth|[:：]")
_UPDOWN = re.compile(r"/|上行|下行|上传|下载|up|down")
_PART = re.compile(
    r"(?:(?P<n1>\d+)[*x×])?(?P<num>\d+(?:\.\d+)?)?(?P<unit>[a-z0-9]*?)(?:[*x×](?P<n2>\d+))?")


class _Bad(Exception):
    pass


def _part(text: str) -> float:
    m = _PART.fullmatch(text)
    if not m or (m.group("num") is None and not m.group("unit")):
        raise _Bad(f"not a bandwidth: {text!r}")
    unit = m.group("unit")
    if unit not in _UNITS:
        raise _Bad(f"unknown unit {unit!r}" if m.group("num") else f"not a bandwidth: {text!r}")
    value = float(m.group("num") or 1) * _UNITS[unit]
    for n in ("n1", "n2"):
        if m.group(n):
            value *= int(m.group(n))
    return value


@lru_cache(maxsize=16384)
def _parse(raw: str) -> float:
    s = fold(raw).casefold()
    s = _REMARK.sub("", s)
    for word, repl in _WORDS:
        s = s.replace(word, repl)
    s = _NOISE.sub("", s)
    s = "".join(s.split())
    s = _THOUSANDS.sub("", s)
    s = _PER_SECOND.sub(lambda m: (m.group(1) or "") + "ps", s)
    if not s:
        raise _Bad("empty")
    if s.startswith("-") and any(ch.isdigit() for ch in s):
        raise _Bad("negative bandwidth")
    parts = [p for p in _UPDOWN.split(s) if p]
    if not parts:
        raise _Bad(f"not a bandwidth: {raw.strip()!r}")
    value = max(_part(p) for p in parts)
    if value <= 0:
        raise _Bad("bandwidth must be more than 0")
    return value


def to_mbps(value) -> float:
    """Return the bandwidth of one sheet cell in Mbps.

    ``100M`` ``100m`` ``100Mbps`` ``100 Mbps`` ``100兆`` ``100Mb/s`` → 100; ``1G`` ``1Gbps``
    ``1000M`` ``千兆`` ``GE`` → 1000; ``百兆`` ``FE`` → 100; ``万兆`` ``10GE`` → 10000;
    ``2*100M`` ``2×100M`` ``2x100M`` ``100M*2`` → 200; ``512K`` ``512Kbps`` → 0.5 (K is 1/1024 M,
    see ``_FACTOR``); ``E1`` → 2.048; a bare number (``100``, or a numeric cell) is Mbps;
    full-width ``１００Ｍ`` works.

    Up and down given separately (``100M/100M``, ``上行100M下行200M``, ``上行20M/下行100M``) →
    the LARGER of the two: exits are sized and pooled on the wider direction (downstream, for
    government offices), and symmetric lines give the same number either way.  Bracketed remarks
    (``100M（共享）``) and qualifiers (带宽, 独享, 共享, 对称) are ignored.

    Raises :class:`NormalizeError` for anything else (``快``, ``-5M``, ``abc``, ``0``).
    """
    if isinstance(value, bool):
        raise NormalizeError(value, EXPECTED_BANDWIDTH, "not a bandwidth: a yes/no value")
    if isinstance(value, numbers.Real) and not is_blank(value):
        if not math.isfinite(value) or value <= 0:
            raise NormalizeError(value, EXPECTED_BANDWIDTH,
                                 "negative bandwidth" if value < 0 else "bandwidth must be more than 0")
        return float(value)
    if is_blank(value):
        raise NormalizeError(value, EXPECTED_BANDWIDTH, "empty")
    try:
        return _parse(value if isinstance(value, str) else fold(value))
    except _Bad as e:
        raise NormalizeError(value, EXPECTED_BANDWIDTH, str(e)) from None
