import datetime

import pytest

from netconsol.errors import NormalizeError
from netconsol.normalize.values import to_bool, to_date, to_yuan_per_year

BOOL = [
    ("是", True), ("否", False), ("Y", True), ("N", False), ("y", True), ("n", False),
    ("yes", True), ("no", False), ("YES", True), ("No", False), ("√", True), ("×", False),
    ("有", True), ("无", False), ("true", True), ("false", False), ("TRUE", True),
    ("1", True), ("0", False), (1, True), (0, False), (1.0, True), (0.0, False),
    (True, True), (False, False), ("ＹＥＳ", True), ("Ｎ", False), (" 是 ", True),
    ("是的", True), ("不是", False), ("✓", True), ("✗", False),
    (None, None), ("", None), ("  ", None), (float("nan"), None),
]


@pytest.mark.parametrize("raw, expected", BOOL)
def test_to_bool(raw, expected):
    assert to_bool(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "x", "2", 2, "是否", "待定"])
def test_to_bool_rejected(raw):
    with pytest.raises(NormalizeError) as e:
        to_bool(raw)
    assert e.value.reason.startswith("not a yes/no value")


YUAN = [
    ("5000", 5000), (5000, 5000), (5000.0, 5000), ("5000元", 5000), ("5,000元/月", 60000),
    ("1.2万/年", 12000), ("1.2万元", 12000), ("6万元/年", 60000), ("￥60000", 60000),
    ("¥60,000", 60000), ("月租3000", 36000), ("3000/月", 36000), ("每月3000元", 36000),
    (" 3000 元 / 月 ", 36000), ("3000元/月（含税）", 36000), ("年费5000", 5000),
    ("5000元/年", 5000), ("每年5000元", 5000), ("1.2w", 12000), ("3千元/月", 36000),
    ("１２００元／月", 14400), ("人民币5000元", 5000), ("1000/季度", 4000), ("免费", 0),
]


@pytest.mark.parametrize("raw, expected", YUAN)
def test_to_yuan_per_year(raw, expected):
    assert to_yuan_per_year(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw, reason", [
    ("abc", "not an amount: 'abc'"), ("-5", "negative amount"), (-5, "negative amount"),
    ("", "empty"), (None, "empty"), ("很贵", "not an amount: '很贵'"),
    ("5000美元?", "not an amount: '5000美元?'"),
])
def test_to_yuan_rejected(raw, reason):
    with pytest.raises(NormalizeError) as e:
        to_yuan_per_year(raw)
    assert e.value.reason == reason


DATES = [
    ("2027-06-30", "2027-06-30"), ("2027/6/30", "2027-06-30"), ("2027.6.30", "2027-06-30"),
    ("2027年6月30日", "2027-06-30"), ("2027年06月30日", "2027-06-30"), ("2027年6月", "2027-06-30"),
    ("2027-06", "2027-06-30"), ("2027/6", "2027-06-30"), ("2027-02", "2027-02-28"),
    ("2028年2月", "2028-02-29"), ("2027年12月", "2027-12-31"), ("20270630", "2027-06-30"),
    ("2027-06-30 00:00:00", "2027-06-30"), ("2027/6/30 0:00", "2027-06-30"),
    ("２０２７年６月３０日", "2027-06-30"), ("截止2027年6月30日", "2027-06-30"),
    ("2027年6月30日到期", "2027-06-30"), (" 2027-6-1 ", "2027-06-01"),
    (datetime.datetime(2027, 6, 30, 15, 30), "2027-06-30"), (datetime.date(2027, 6, 30), "2027-06-30"),
    (46568, "2027-06-30"), (46568.0, "2027-06-30"), (46568.75, "2027-06-30"), ("46568", "2027-06-30"),
    (45658, "2025-01-01"),
]


@pytest.mark.parametrize("raw, expected", DATES)
def test_to_date(raw, expected):
    assert to_date(raw) == expected


def test_to_date_pandas():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert to_date(pd.Timestamp("2027-06-30 08:00")) == "2027-06-30"
    assert to_date(np.int64(46568)) == "2027-06-30"
    assert to_date(np.datetime64("2027-06-30")) == "2027-06-30"


@pytest.mark.parametrize("raw, reason", [
    ("2027-02-30", "no such day: 2027-02-30"), ("2027-13-01", "no month 13"),
    ("30/6/2027", "not a date: '30/6/2027'"), ("abc", "not a date: 'abc'"),
    (2027, "a year alone is not a date: 2027"), ("2027年", "a year alone is not a date: 2027年"),
    (5, "5 is out of the Excel date-serial range 10000..2958465"),
    ("", "empty"), (None, "empty"), (True, "not a date: a yes/no value"),
])
def test_to_date_rejected(raw, reason):
    with pytest.raises(NormalizeError) as e:
        to_date(raw)
    assert e.value.reason == reason


def test_fees_are_rounded_to_the_fen():
    from netconsol.normalize import to_yuan_per_year

    assert to_yuan_per_year("5.52万/年") == 55200.0
    assert to_yuan_per_year("0.07万") == 700.0
