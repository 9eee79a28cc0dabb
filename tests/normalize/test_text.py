import math

import pytest

from netconsol.normalize.text import fold, is_blank

FOLD = [
    ("１０．１．１．０／２４", "10.1.1.0/24"),
    ("ＣＴＣＣ", "CTCC"),
    ("１００Ｍ", "100M"),
    ("a，b", "a,b"),
    ("a；b", "a;b"),
    ("a、b", "a,b"),
    ("a：b", "a:b"),
    ("（备注）", "(备注)"),
    ("结束。", "结束."),
    ("1－2", "1-2"),
    ("1—2", "1-2"),
    ("1–2", "1-2"),
    ("1～2", "1~2"),
    ("1〜2", "1~2"),
    ("a＿b", "a_b"),
    ("【电信】", "[电信]"),
    ("“电信”", '"电信"'),
    ("‘电信’", "'电信'"),
    ("  a   b\t c  ", "a b c"),
    ("a\u3000\u3000b", "a b"),          # ideographic spaces
    ("a\u200bb\ufeff", "ab"),           # zero-width characters from copy-paste
    ("a\nb", "a b"),
    (None, ""),
    (float("nan"), ""),
    (100.0, "100"),                     # a number cell read by pandas
    (1.5, "1.5"),
    (100, "100"),
    ("ＡＢＣ　ｘｙｚ", "ABC xyz"),       # case is kept
]


@pytest.mark.parametrize("raw, expected", FOLD)
def test_fold(raw, expected):
    assert fold(raw) == expected


KEEP_NEWLINES = [
    ("10.1.1.0/24\n10.1.2.0/24", "10.1.1.0/24\n10.1.2.0/24"),
    ("  a  \r\n\r\n  b   c \n", "a\nb c"),
    ("a\rb", "a\nb"),
    ("１\n２", "1\n2"),
]


@pytest.mark.parametrize("raw, expected", KEEP_NEWLINES)
def test_fold_keep_newlines(raw, expected):
    assert fold(raw, keep_newlines=True) == expected


def test_fold_pandas_missing():
    pd = pytest.importorskip("pandas")
    assert fold(pd.NA) == ""
    assert fold(pd.NaT) == ""


BLANK = [None, "", " ", "\u3000", "\n\t", float("nan"), math.nan]
NOT_BLANK = ["0", 0, "-", "/", "无", "x", 0.0]


@pytest.mark.parametrize("v", BLANK)
def test_is_blank(v):
    assert is_blank(v) is True


@pytest.mark.parametrize("v", NOT_BLANK)
def test_is_not_blank(v):
    assert is_blank(v) is False


def test_is_blank_pandas_and_numpy():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert is_blank(pd.NA) and is_blank(pd.NaT) and is_blank(np.nan) and is_blank(np.float64("nan"))
    assert not is_blank(np.int64(0))


def _fold_plain(s: str, keep_newlines: bool) -> str:
    """fold's steps without its shortcuts: NFKC, then the CJK punctuation table on every text."""
    import re
    import unicodedata

    from netconsol.normalize.text import _CJK_PUNCT

    s = unicodedata.normalize("NFKC", s).translate(_CJK_PUNCT)
    if keep_newlines:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
        s = re.sub(r"[^\S\n]+", " ", s)
        s = re.sub(r"\s*\n\s*", "\n", s)
        return s.strip()
    return re.sub(r"\s+", " ", s).strip()


def test_fold_agrees_with_the_plain_steps_on_random_text():
    """fold skips the punctuation table for text holding none of its characters; on random text
    (ASCII, CJK, every table character, full-width forms, zero-width marks, line breaks, quotes,
    formula prefixes) it gives what the plain steps give."""
    import random

    from netconsol.normalize.text import _CJK_PUNCT, _fold_str

    rng = random.Random(515)
    table = [chr(c) for c in _CJK_PUNCT]
    pool = list("abcXYZ019 .,-=+@'\"\t\n\r") + table + list("政务外网电信联通移动１０．／（）～＿－\u3000\u00a0") + ["\u200b", "\ufeff"]
    translated = 0
    for _ in range(20000):
        s = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 12)))
        if rng.random() < 0.3:
            s = "".join(c for c in s if c.isascii())
        for keep in (False, True):
            want = _fold_plain(s, keep)
            assert _fold_str.__wrapped__(s, keep) == want, (s, keep)
            assert fold(s, keep_newlines=keep) == want
        translated += s.translate(_CJK_PUNCT) != s
    assert translated > 5000
