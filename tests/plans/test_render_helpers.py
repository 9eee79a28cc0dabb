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
