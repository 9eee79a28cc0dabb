"""Milestones (issue 21, point 5): rules/milestones.yaml (the seed plan's dates, editable, an
inventory's own file wins), a due date per plan row, a due / overdue / done view in the report,
tracked by the history scan by scan."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol.analyze.milestones import load_milestones, milestone_status, plan_schedule
from netconsol.cli import cli
from netconsol.errors import RulesError
from netconsol.inventory import Inventory, Rows

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"
SHIPPED = Path(__file__).resolve().parents[1] / "netconsol" / "rules" / "milestones.yaml"


def test_shipped_default_is_the_seed_plans_dates():
    ms = load_milestones(default_as_of="2018-02-01")
    due = {m["check"]: m["due"] for m in ms.milestones}
    assert due == {"self_inspection": "2017-12-31", "expansion_plan": "2017-12-31", "merge_plan": "2018-01-15",
                   "exit_plan": "2018-03-31", "towns_public": "2018-05-31", "gov_private_merged": "2018-05-31",
                   "exits_consolidated": "2018-05-31", "classified_intranet": "2018-11-30",
                   "private_merged": "2018-11-30"}
    assert ms.as_of == "2018-02-01" and sorted(ms.waves) == [1, 2, 3]


def test_bad_rules_name_the_file_and_key(tmp_path):
    p = tmp_path / "milestones.yaml"
    p.write_text(SHIPPED.read_text(encoding="utf-8").replace("check: exit_plan", "check: exits_plan"),
                 encoding="utf-8")
    with pytest.raises(RulesError, match=r"milestones.yaml: milestones\[3\] \(M3\): check 'exits_plan'"):
        load_milestones(p, default_as_of="2018-01-01")
    p.write_text("as_of: 2018-13-01\n", encoding="utf-8")
    with pytest.raises(RulesError, match="milestones.yaml: a date is not a date .month must be in 1..12"):
        load_milestones(p)


def _inv():
    r = Rows()
    r.add("units", {"unit": "c", "name": "C市", "level": "city"})
    r.add("units", {"unit": "d", "name": "甲区", "level": "district"})
    for dept in ("甲局", "乙局"):
        r.add("units", {"unit": f"dept:{dept}", "name": dept, "level": "department", "district": "甲区"})
    r.add("networks", {"network": "n1", "kind": "gov_private", "department": "乙局", "district": "甲区"})
    r.add("networks", {"network": "lan", "kind": "lan", "department": "甲局", "district": "甲区"})
    return Inventory.from_rows(r)


def test_status_done_due_overdue_by_scope(tmp_path):
    p = tmp_path / "milestones.yaml"
    p.write_text(SHIPPED.read_text(encoding="utf-8").replace('as_of: ""', "as_of: 2018-04-01"), encoding="utf-8")
    ms = load_milestones(p)
    st = milestone_status(_inv(), ms)
    s = {(r.milestone, r.scope): r.status for r in st.itertuples()}
    assert s[("M1", "dept:甲局")] == "done" and s[("M1", "dept:乙局")] == "done"   # both reported something
    assert s[("M4-gov", "dept:乙局")] == "due" and s[("M4-gov", "dept:甲局")] == "done"
    assert s[("M4-gov", "甲区")] == "due" and s[("M2", "C市")] == "done" and s[("M2", "甲区")] == "n/a"
    ms.as_of = "2018-06-01"
    s = {(r.milestone, r.scope): r.status for r in milestone_status(_inv(), ms).itertuples()}
    assert s[("M4-gov", "dept:乙局")] == "overdue" and s[("M4-gov", "dept:甲局")] == "done"
    import pandas as pd
    merge = pd.DataFrame({"network": ["n1", "x"], "name": ["N1", "X"], "department": ["乙局", "甲局"],
                          "district": ["甲区", "甲区"], "target": ["extranet_admin", "intranet"],
                          "wave": pd.array([2, None], dtype="Int64"), "kind": ["gov_private", "gov_private"]})
    exits = pd.DataFrame({"exit": ["E1", "E2", "E3"], "department": ["甲局"] * 3, "district": ["甲区"] * 3,
                          "disposition": ["decommission", "keep_until_contract_end", "keep_mandated"],
                          "contract_end": ["", "2019-03-31", ""], "device": ["r1", "r2", "r3"]})
    sch = plan_schedule(ms, merge, exits)
    due = dict(zip(sch.item, zip(sch.due, sch.status)))
    assert due == {"n1": ("2018-05-31", "overdue"), "x": ("2018-11-30", "due"), "E1": ("2018-05-31", "overdue"),
                   "E2": ("2019-03-31", "due"), "E3": ("", "")}


def test_scan_reports_the_view_and_history_tracks_it(tmp_path):
    inv = tmp_path / "city"
    shutil.copytree(DEMO, inv)
    (inv / "rules").mkdir(exist_ok=True)
    (inv / "rules" / "milestones.yaml").write_text(
        SHIPPED.read_text(encoding="utf-8").replace('as_of: ""', "as_of: 2018-04-01"), encoding="utf-8")
    db = tmp_path / "h.sqlite"
    r = CliRunner().invoke(cli, ["scan", str(inv), "--out", str(tmp_path / "out"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    view = report[report.index("## 时间节点：到期 / 逾期 / 完成"):]
    assert "以 2018-04-01 为评估日期" in view
    rows = {x.split("|")[1].strip(): x.split("|")[3].strip() for x in view.splitlines()[4:14] if x.startswith("| ")}
    assert rows["编制专网整合方案"] == "已完成"
    assert rows["完成自查报告和电子政务外网扩容提升方案"] == "已逾期"     # 3 departments reported nothing
    assert rows["互联网出口整合完成"] == "未到期"
    sched = (tmp_path / "out" / "plans" / "milestones" / "schedule.csv").read_text(encoding="utf-8-sig")
    assert "caizheng" in sched and "2018-05-31" in sched
    h = json.loads(CliRunner().invoke(cli, ["history", "--db", str(db), "--format", "json"]).output)
    assert h[0]["milestone:M2"] == 1 and h[0]["milestone:M1"] == -1 and h[0]["milestone:M4-exits"] == 0
