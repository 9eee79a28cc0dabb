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
