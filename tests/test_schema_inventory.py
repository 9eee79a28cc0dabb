"""The inventory contract: declarations are complete, frames validate, snapshots round-trip."""
import json

import pandas as pd
import pandas.testing as pdt
import pytest

from netconsol import schema
from netconsol.errors import InventoryError
from netconsol.inventory import Inventory, Rows

REQUIRED_TABLES = {"devices", "interfaces", "networks", "prefixes", "links", "exits", "issues"}


def test_required_tables_declared():
    assert REQUIRED_TABLES <= set(schema.TABLES)


@pytest.mark.parametrize("name", sorted(schema.TABLES))
def test_every_table_and_column_is_described(name):
    spec = schema.TABLES[name]
    assert spec.description.strip(), name
    assert spec.key and set(spec.key) <= set(spec.names), name
    for col in spec.columns:
        assert col.description.strip(), f"{name}.{col.name}"
        assert col.dtype in schema.PANDAS_DTYPES, f"{name}.{col.name}"


@pytest.mark.parametrize("name", sorted(set(schema.TABLES) - {"files", "issues"}))
def test_rows_carry_provenance(name):
    assert {"source", "location"} <= set(schema.TABLES[name].names)


def _sample_rows():
    r = Rows()
    r.add("interfaces", {"device": "XC-PE-01", "interface": "GigabitEthernet0/0/1", "address": "10.0.0.1/30",
                         "ip": "10.0.0.1", "prefixlen": 30, "subnet": "10.0.0.0/30", "family": 4,
                         "admin_up": True, "secondary": False, "vrf": "admin", "description": "至临城街道",
                         "source": "configs/xc-pe-01.cfg", "location": "line 40"})
    r.add("interfaces", {"device": "XC-PE-01", "interface": "LoopBack0", "address": "", "admin_up": None,
                         "source": "configs/xc-pe-01.cfg", "location": "line 50"})
    r.add("exits", {"exit": "S-1", "origin": "sheet", "department": "区教育局", "bandwidth_mbps": 100.5,
                    "fee_yuan_year": 0.1 + 0.2, "carrier_known": False, "public_ips": 8,
                    "source": "sheets/a.csv", "location": "row 4"})
    r.issue("sheets/a.csv", "row 5", "error", "bad-ip-range", "octet 300 > 255", "F (IP地址段)",
            "203.0.113.300/30", "a CIDR")
    return r


def test_snapshot_round_trip_keeps_types_and_values(tmp_path):
    inv = Inventory.from_rows(_sample_rows())
    assert inv.validate() == []
    inv.save(tmp_path / "snap")
    back = Inventory.load(tmp_path / "snap")
    for name in schema.TABLES:
        pdt.assert_frame_equal(inv[name], back[name], check_exact=True)
    assert back["exits"].loc[0, "fee_yuan_year"] == 0.1 + 0.2  # floats survive CSV exactly
    assert back["interfaces"]["admin_up"].isna().sum() == 1
    meta = json.loads((tmp_path / "snap" / "snapshot.json").read_text())
    assert meta["tables"]["interfaces"] == 2


def test_snapshot_is_byte_identical_for_same_rows(tmp_path):
    a = Inventory.from_rows(_sample_rows()).save(tmp_path / "a")
    rows = _sample_rows()
    rows.tables["interfaces"].reverse()  # order of arrival must not matter
    b = Inventory.from_rows(rows).save(tmp_path / "b")
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_replaced_sorts_only_the_new_tables_and_equals_the_constructor():
    inv = Inventory.from_rows(_sample_rows())
    links = pd.concat([schema.frame("links", [{"a_device": "B", "a_interface": "x", "b_device": "C",
                                                 "b_interface": "y", "subnet": "10.0.0.0/30", "evidence": "subnet"}]),
                       schema.frame("links", [{"a_device": "A", "a_interface": "x", "b_device": "B",
                                                 "b_interface": "y", "subnet": "10.0.0.4/30", "evidence": "subnet"}])],
                      ignore_index=True)
    new = inv.replaced(links=links)
    ref = Inventory({**inv.tables, "links": links})
    for name in schema.TABLES:
        pdt.assert_frame_equal(new[name], ref[name], check_exact=True)
    assert new["links"].a_device.tolist() == ["A", "B"]           # sorted by key, as the constructor does
    assert new["exits"] is inv["exits"] and new["links"] is not links
    with pytest.raises(InventoryError):
        inv.replaced(nonsense=links)


def test_save_skips_only_tables_written_from_the_same_frame(tmp_path):
    """A table another process wrote (write_tables) is not written again by save(written=...),
    unless the inventory no longer holds that very frame: then save writes the one it holds."""
    inv = Inventory.from_rows(_sample_rows())
    ref = inv.save(tmp_path / "ref")
    early = tmp_path / "early"
    digests = inv.write_tables(early, ["exits", "interfaces"])
    (early / "exits.csv").write_text("left as written\n")     # not rewritten: it is the same frame
    stale = (inv["interfaces"], digests["interfaces"])
    inv["interfaces"] = inv["interfaces"].iloc[:1]              # replaced after the early write
    inv.save(early, written={"exits": (inv["exits"], digests["exits"]), "interfaces": stale})
    assert (early / "exits.csv").read_text() == "left as written\n"
    assert (early / "interfaces.csv").read_bytes() != (ref / "interfaces.csv").read_bytes()
    meta = json.loads((early / "snapshot.json").read_text())
    assert meta["tables"]["interfaces"] == 1 and meta["sha256"]["exits"] == digests["exits"]
    for f in sorted(ref.iterdir()):
        if f.name not in ("exits.csv", "interfaces.csv", "snapshot.json"):
            assert f.read_bytes() == (early / f.name).read_bytes(), f.name


def test_undeclared_column_is_refused():
    with pytest.raises(ValueError, match="undeclared"):
        schema.frame("devices", [{"device": "x", "colour": "red"}])


def test_validate_reports_bad_choice_and_duplicate_key():
    df = schema.frame("issues", [{"source": "a", "severity": "fatal"}])
    assert any("severity" in p for p in schema.validate("issues", df))
    df = schema.frame("devices", [{"device": "R1"}, {"device": "R1"}])
    assert any("share a key" in p for p in schema.validate("devices", df))
    df = schema.frame("devices", [{"device": "R1"}]).astype({"confidence": "object"})
    assert any("confidence" in p for p in schema.validate("devices", df))


def test_load_refuses_a_non_snapshot(tmp_path):
    with pytest.raises(InventoryError, match="not a snapshot"):
        Inventory.load(tmp_path)
    (tmp_path / "snapshot.json").write_text('{"format": "netconsol-snapshot", "version": 1}')
    (tmp_path / "devices.csv").write_text("device,confidence\nR1,high\n")
    with pytest.raises(InventoryError, match="declared column type"):
        Inventory.load(tmp_path)


TRICKY = ["", "plain", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", "crlf\r\n", " lead", "trail ", "逗号，中文",
          '"', ",", "\t tab", "=1+1", "x" * 300]


def test_snapshot_writer_equals_pandas_to_csv(tmp_path):
    """write_csv is to_csv built by hand for speed: same bytes on every dtype and awkward text."""
    from netconsol.inventory import write_csv

    n = len(TRICKY)
    df = pd.DataFrame({
        "s": pd.array(TRICKY, dtype="str"),
        "s_na": pd.array([None if i % 3 == 0 else t for i, t in enumerate(TRICKY)], dtype="str"),
        "i": pd.array([None if i % 4 == 0 else (i - 7) * 10 ** (i % 12) for i in range(n)], dtype="Int64"),
        "b": pd.array([None if i % 5 == 0 else bool(i % 2) for i in range(n)], dtype="boolean"),
        "f": [float("nan"), 0.1, 1e-07, 1e16, 100.0, 0.3333333333333333, -2.5, 1e300, 5e-324, 3.0, 0.0, -0.0,
              123456789.123, float("nan"), 2.0 / 3][:n],
        'col,"odd"': pd.array(["x"] * n, dtype="str"),
    })
    for frame in (df, df.iloc[:0], df[["s"]], df[["s", "b"]].iloc[:1]):
        a, b = tmp_path / "pandas.csv", tmp_path / "ours.csv"
        frame.to_csv(a, index=False, encoding="utf-8", lineterminator="\n")
        write_csv(frame, b)
        assert b.read_bytes() == a.read_bytes()


def test_demo_snapshot_written_as_pandas_would(tmp_path):
    from pathlib import Path

    from netconsol.collectors import collect

    inv = collect([Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"])
    inv.save(tmp_path / "snap")
    for name, df in inv.tables.items():
        ref = tmp_path / f"{name}.ref.csv"
        df.to_csv(ref, index=False, encoding="utf-8", lineterminator="\n")
        assert (tmp_path / "snap" / f"{name}.csv").read_bytes() == ref.read_bytes(), name


def _frame_reference(table, rows):
    """schema.frame as first written: a frame of objects, then every column through _typed."""
    spec = schema.TABLES[table]
    raw = pd.DataFrame.from_records(rows)
    data = {c.name: schema._typed(raw[c.name] if c.name in raw.columns else [None] * len(raw), c.dtype)
            for c in spec.columns}
    return pd.DataFrame(data, columns=spec.names)


def test_frame_equals_the_reference_on_the_demo_and_odd_cells():
    from pathlib import Path

    from netconsol.collectors import collect_rows

    rows = collect_rows([Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"], workers=1)
    for table, part in rows.tables.items():
        if part:
            pdt.assert_frame_equal(schema.frame(table, part), _frame_reference(table, part))
    odd = [{"device": "r1", "interface": "Gi0/1", "prefixlen": "24", "vlan": 7.0, "admin_up": 1, "secondary": None,
            "family": None, "description": float("nan"), "vrf": pd.NA, "source": "s", "location": 3},
           {"device": "r2", "interface": "Gi0/2", "prefixlen": 24, "vlan": "", "admin_up": "", "secondary": False,
            "family": 4, "description": "d", "source": "s", "location": "line 1"},
           {"device": "r3", "interface": "Gi0/3", "admin_up": True, "source": "s", "location": "line 2"}]
    for k in range(1, len(odd) + 1):
        pdt.assert_frame_equal(schema.frame("interfaces", odd[:k]), _frame_reference("interfaces", odd[:k]))
    with pytest.raises(ValueError, match="undeclared"):
        schema.frame("interfaces", odd + [{"device": "x", "bogus": 1}])
