"""Scan history and diffs: recorded metrics over time; diffs on content, not on provenance."""
import pytest

from netconsol.errors import InventoryError
from netconsol.history import HistoryDB, diff_snapshots
from netconsol.inventory import Inventory, Rows


def _inv(exits=("E1", "E2"), bw=100.0, town_rate=0.5, line="line 3"):
    r = Rows()
    for e in exits:
        r.add("exits", {"exit": e, "origin": "sheet", "bandwidth_mbps": bw, "source": "a.csv", "location": line})
    r.add("devices", {"device": "R1", "department": "市公安局", "source": "r1.cfg", "location": line})
    r.add("metrics", {"scope": "枣庄市", "level": "city", "metric": "town_connectivity", "value": town_rate,
                      "numerator": town_rate * 64, "denominator": 64, "definition": "d"})
    return Inventory.from_rows(r)


def test_diff_reports_added_removed_changed_and_ignores_provenance():
    a = _inv()
    b = _inv(exits=("E1", "E3"), bw=200.0, town_rate=0.75, line="line 9")
    d = diff_snapshots(a, b)
    got = set(map(tuple, d[["table", "change", "key", "column"]].values))
    assert got == {
        ("exits", "removed", "E2", ""), ("exits", "added", "E3", ""),
        ("exits", "changed", "E1", "bandwidth_mbps"),
        ("metrics", "changed", "枣庄市 | town_connectivity", "value"),
        ("metrics", "changed", "枣庄市 | town_connectivity", "numerator"),
    }
    row = d[(d.column == "bandwidth_mbps")].iloc[0]
    assert (row.before, row.after) == ("100.0", "200.0")


def test_same_snapshot_has_no_diff(tmp_path):
    a = _inv()
    a.save(tmp_path / "s")
    assert diff_snapshots(a, Inventory.load(tmp_path / "s")).empty


def test_history_records_scans_and_metrics(tmp_path):
    h = HistoryDB(tmp_path / "h.sqlite")
    i1 = h.record("inv", "out1/snapshot", _inv(town_rate=0.5), "x" * 40, started="2026-01-01T00:00:00+00:00")
    i2 = h.record("inv", "out2/snapshot", _inv(town_rate=0.75), "y" * 40, started="2026-02-01T00:00:00+00:00")
    scans = h.scans()
    assert list(scans.id) == [i1, i2] and list(scans.exits) == [2, 2]
    m = h.metrics()
    assert list(m.town_connectivity) == [0.5, 0.75]
    assert h.snapshot_of(str(i2)).as_posix() == "out2/snapshot"
    with pytest.raises(InventoryError, match="no scan 99"):
        h.snapshot_of("99")
    h.close()


def test_not_a_database_is_a_clear_error(tmp_path):
    p = tmp_path / "h.sqlite"
    p.write_text("hello, this is not sqlite" * 20)
    with pytest.raises(InventoryError, match="not a netconsol history database"):
        HistoryDB(p)


def test_metric_rows_match_the_row_by_row_reading():
    """The rows the history records, built column by column, are the ones itertuples + _f gave:
    NaN/None/NA as NULL, integers and numeric text as floats, labels untouched."""
    import numpy as np
    import pandas as pd

    from netconsol.history import _f, _metric_rows

    df = pd.DataFrame({
        "scope": ["市中区", "b", "c", "=1+1"], "level": ["city", None, "town", "x"],
        "figure": ["f1", "f2", "f3", "f4"], "value": [1.5, np.nan, 3.0, -0.0],
        "numerator": pd.array([1, None, 3, 4], dtype="Int64"),
        "denominator": pd.Series([1, "2", None, np.nan], dtype=object)})
    expected = [(7, r.scope, r.level, r.figure, _f(r.value), _f(r.numerator), _f(r.denominator))
                for r in df.itertuples(index=False)]
    got = list(_metric_rows(7, df, "figure"))
    assert got == expected
    assert got[1][4:6] == (None, None) and got[1][6] == 2.0 and got[2][6] is None
    assert all(type(v) is float for v in got[0][4:])
