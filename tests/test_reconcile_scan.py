"""Issue 22, point 4 in the scan: the reconciliation table is computed by the pipeline, stored in
the snapshot, and summed up in the report (counts per object type that add up, every
disagreement listed)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from netconsol.analyze.reconcile import reconcile
from netconsol.inventory import Inventory
from netconsol.pipeline import Pipeline
from netconsol.render.plans import write_plan
from netconsol.render.reconciliation import reconciliation_rows
from netconsol.render.report import build_report
from netconsol.rules import load_columns
from netconsol.scan import run_scan

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    out = tmp_path_factory.mktemp("recon") / "out"
    return run_scan(DEMO, out), out


def test_scan_stores_the_reconciliation_the_analyzer_gives(scanned):
    result, out = scanned
    stored = Inventory.load(out / "snapshot")["reconciliation"]
    pipe = Pipeline(DEMO)
    direct = reconcile(pipe.linked.inventory, load_columns())
    assert len(stored) == len(direct) > 100
    assert stored[["object", "key", "aspect", "status"]].values.tolist() == \
        direct[["object", "key", "aspect", "status"]].values.tolist()
    # the demo's planted carrier disagreements (sheet vs config) are among them
    carriers = stored[(stored.object == "exit") & (stored.aspect == "carrier") & (stored.status == "disagree")]
    # exits are keyed HOST:INTERFACE (the blind reconciliation case, tests/acceptance/reconcile)
    assert sorted(k.split(":")[0] for k in carriers.key) == ["GA-CE01", "SZ-XWZ-AR01", "TEZ-ZFB-CE01"]
    assert pipe.analyzed()["reconciliation"].equals(pipe.reconciliation())


def test_report_counts_per_object_add_up_and_list_each_disagreement(scanned, tmp_path):
    result, out = scanned
    inv = Inventory.load(out / "snapshot")
    rec = inv["reconciliation"]
    summary, disagree = reconciliation_rows(inv)
    assert [s["object"] for s in summary] == ["device", "prefix", "exit"]   # schema order, present ones
    for s in summary:
        rows = rec[rec.object == s["object"]]
        assert s["compared"] == len(rows) == s["agree"] + s["partial"] + s["disagree"]
        assert s["disagree"] == int((rows.status == "disagree").sum())
    # 3 exit carriers and 1 exit range (ZRZY-R03: /29 declared, /30 configured); a configured prefix no
    # sheet declares is one-sided (partial), not a disagreement (the blind reconciliation case)
    assert len(disagree) == int((rec.status == "disagree").sum()) == 4
    text = (out / "report.md").read_text(encoding="utf-8")
    part = text.split("## 三方核对 · 按对象类型", 1)[1].split("\n## 发现的问题", 1)[0]
    n = len(rec)
    assert f"三方核对 {n} 项：一致 {int((rec.status == 'agree').sum())} 项" in part
    assert "| 互联网出口 | 42 | 18 | 20 | 4 |" in part
    listed = part.split("## 三方核对 · 不一致项", 1)[1]
    for d in disagree:
        assert f"| {d['key']} |" in listed
    assert listed.count("\n| ") == len(disagree) + 1      # the header and one line each
    # worded in Chinese, carriers too: the analyzer's English message is the en report's
    assert "| 运营商 | 中国电信 | 中国联通 |  | 运营商不一致：自查表 中国电信，配置 中国联通 |" in listed
    assert "| 203.0.113.8/29 | 203.0.113.8/30 |" in listed     # ZRZY-R03's exit range: /29 declared, /30 configured
    assert "carrier differs" not in listed and "China" not in listed
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    titles = [ws.title for ws in wb.worksheets]
    assert any("不一致" in t for t in titles), titles
    # English too, and a report of an inventory without reconciliation rows has no such section
    en = tmp_path / "report.md"
    write_plan(build_report(inv, "Zaozhuang"), "md", en, "en")
    en_text = en.read_text(encoding="utf-8")
    assert "## reconciliation · by object type" in en_text
    assert "carrier differs: sheet China Telecom, config China Unicom" in en_text
    inv.tables["reconciliation"] = rec.iloc[0:0]
    write_plan(build_report(inv, "Zaozhuang"), "md", en, "en")
    assert "reconciliation" not in en.read_text(encoding="utf-8")
