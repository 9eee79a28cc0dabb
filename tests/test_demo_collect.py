"""The shipped demo city collected end to end, checked against the generator's ground truth:
the planted problems come out as issues, and nothing else does."""
import json
from pathlib import Path

import pytest

from netconsol.collectors import collect

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def truth():
    return json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def inv():
    return collect([DEMO])


def test_contract_holds(inv):
    assert inv.validate() == []


def test_only_the_planted_problems_are_issues(inv, truth):
    want = set()
    for e in truth["sheet_errors"]:
        loc = f"{e['sheet']}!row {e['row']}" if e["sheet"] else f"row {e['row']}"
        want.add((e["file"], loc, e["column_letter"], e["code"], e["severity"]))
    got = {(r.source, r.location, r.column.split(" ")[0], r.code, r.severity) for r in inv["issues"].itertuples()}
    assert got == want


def test_every_device_config_is_read_completely(inv, truth):
    configs = inv["files"][inv["files"].kind == "config"]
    assert len(configs) == truth["totals"]["configs"]
    assert set(configs.status) == {"parsed"}
    assert (configs.unrecognized == 0).all()
    devices = inv["devices"].set_index("device")
    assert set(devices.index) == set(truth["devices"])
    for name, d in truth["devices"].items():
        row = devices.loc[name]
        assert (row.platform, row.source) == (d["platform"], d["file"]), name
        assert (row.department, row.district, row.network) == (d["department"], d["district"], d["network"]), name
        assert row.attributed_by == "manifest"


def test_sheet_rows_add_up(inv, truth):
    sheets = inv["files"][inv["files"].kind == "sheet"].set_index("source")
    for s in truth["sheets"]:
        f = sheets.loc[s["file"]]
        assert f.rows == s["rows"], s["file"]
        assert f.accepted + f.rejected == f.rows
    rejected = sum(1 for e in truth["sheet_errors"] if e["rejects_row"])
    assert int(sheets.rejected.sum()) == rejected


def test_config_exits_are_found_with_evidence(inv, truth):
    cfg = inv["exits"][inv["exits"].origin == "config"]
    found = {(r.device, r.interface): set(r.evidence.split()) for r in cfg.itertuples()}
    planted = [e for e in truth["exits"] if e["seen_in"] in ("config", "both")]
    assert {(e["device"], e["interface"]) for e in planted} == set(found)
    for e in planted:
        assert set(e["evidence"]) <= found[(e["device"], e["interface"])], e["id"]


def test_sheet_exits_are_read(inv, truth):
    sheet = inv["exits"][inv["exits"].origin == "sheet"]
    planted = [e for e in truth["exits"] if e["seen_in"] in ("sheet", "both")]
    locs = {(r.source, r.location) for r in sheet.itertuples()}
    for e in planted:
        s = e["sheet"]
        loc = f"{s['sheet']}!row {s['row']}" if s["sheet"] else f"row {s['row']}"
        assert (s["file"], loc) in locs, e["id"]


def test_department_aliases_take_manifest_names(inv):
    depts = set(inv["units"][inv["units"].level == "department"].name)
    used = set(inv["exits"].department) | set(inv["networks"].department)
    assert used - {""} <= depts


def test_parallel_collection_equals_serial(inv):
    import pandas.testing as pdt

    par = collect([DEMO], workers=2)
    for name in inv.tables:
        pdt.assert_frame_equal(inv[name], par[name], check_exact=True)
