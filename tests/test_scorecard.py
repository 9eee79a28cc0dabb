"""Scorecards (issue 21, point 6): the assessment figures per district and department, over time
from the history, a validated --scope, and a ranking in the report."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol.analyze.scorecard import compute_scorecard, rank_scorecard
from netconsol.cli import cli
from netconsol.inventory import Inventory, Rows

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"
EXIT_SHEET = "sheets/峄城区-互联网出口自查表.csv"
CLOSED_BY = "峄城区卫生健康局"


def _scan(inventory, out, db):
    r = CliRunner().invoke(cli, ["scan", str(inventory), "--out", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output


@pytest.fixture(scope="module")
def two_scans(tmp_path_factory):
    root = tmp_path_factory.mktemp("card")
    inv, out, db = root / "city", root / "out", root / "h.sqlite"
    shutil.copytree(DEMO, inv)
    _scan(inv, out, db)
    first_report = (out / "report.md").read_text(encoding="utf-8")
    sheet = inv / EXIT_SHEET
    rows = sheet.read_bytes().decode("gb18030").split("\r\n")
    sheet.write_bytes("\r\n".join(r for r in rows if not r.startswith(f"1,{CLOSED_BY}")).encode("gb18030"))
    _scan(inv, out, db)
    return {"out": out, "db": db, "first_report": first_report}


def _history(db, *args):
    return CliRunner().invoke(cli, ["history", "--db", str(db), *args])


def test_department_scorecard_over_time_shows_the_exit_closed(two_scans):
    r = _history(two_scans["db"], "--scope", f"dept:{CLOSED_BY}", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [x["id"] for x in rows] == [1, 2]
    assert rows[1]["exits_open"] == rows[0]["exits_open"] - 1
    assert rows[1]["exits_closed"] == 1 and rows[1]["exits_closed_since_first"] == 1
    assert "devices" not in rows[0]          # the city's row counts are not the department's
    # a bare department name is taken for dept:NAME; a district too
    assert json.loads(_history(two_scans["db"], "--scope", CLOSED_BY, "--format", "json").output) == rows
    d = json.loads(_history(two_scans["db"], "--scope", "峄城区", "--format", "json").output)
    assert d[1]["exits_closed"] == 1 and 0 < d[0]["connectivity_rate"] <= 1


def test_unknown_scope_is_an_error_listing_the_known_ones(two_scans):
    r = _history(two_scans["db"], "--scope", "dept:不存在局")
    assert r.exit_code != 0
    assert "dept:不存在局" in r.output and "峄城区" in r.output and f"dept:{CLOSED_BY}" in r.output


def _ranking_row(text):
    section = text[text.index("## 部门排名（netconsol 定义）"):]
    return next(x for x in section.splitlines() if x.startswith("| ") and f"| {CLOSED_BY} |" in x)


def test_report_ranks_districts_and_departments_with_progress(two_scans):
    text = (two_scans["out"] / "report.md").read_text(encoding="utf-8")
    assert "## 区(市)排名（netconsol 定义）" in text and "## 部门排名（netconsol 定义）" in text
    line = _ranking_row(text)
    cells = [c.strip() for c in line.strip("|").split("|")]
    # rank, name, district, rate, to integrate, integrated, open, closed, conflicts, milestones, standing
    assert cells[1:3] == [CLOSED_BY, "峄城区"] and cells[7] == "1"
    first = _ranking_row(two_scans["first_report"])
    assert [c.strip() for c in first.strip("|").split("|")][7] == "0"
    for name in ("scorecard.md", "scorecard.xlsx", "scorecard/departments.csv"):
        assert (two_scans["out"] / "plans" / name).is_file()


def _inv():
    r = Rows()
    r.add("units", {"unit": "city", "name": "C市", "level": "city"})
    for d in ("甲区", "乙区"):
        r.add("units", {"unit": f"d:{d}", "name": d, "level": "district"})
    for dept, dist, conn in (("甲局", "甲区", True), ("乙局", "乙区", False), ("丙局", "乙区", True)):
        r.add("units", {"unit": f"dept:{dept}", "name": dept, "level": "department", "district": dist,
                        "connected": conn})
    r.add("networks", {"network": "n1", "kind": "gov_private", "department": "乙局", "district": "乙区"})
    r.add("networks", {"network": "n2", "kind": "business_private", "department": "甲局", "district": "甲区",
                       "on_extranet": True})
    r.add("networks", {"network": "lan1", "kind": "lan", "department": "甲局", "district": "甲区"})
    return Inventory.from_rows(r)


def test_figures_and_ranking_by_definition():
    card = compute_scorecard(_inv())
    v = {(r.scope, r.figure): r.value for r in card.itertuples()}
    assert v[("C市", "connectivity_rate")] == pytest.approx(2 / 3)
    assert v[("乙区", "connectivity_rate")] == 0.5 and v[("dept:乙局", "connectivity_rate")] == 0
    # private networks are to integrate (one riding the extranet still moves into its VRF); a LAN never is
    assert v[("C市", "networks_to_integrate")] == 2 and v[("dept:甲局", "networks_to_integrate")] == 1
    base = card[card.figure == "networks_to_integrate"][["scope", "figure", "value"]].copy()
    base.loc[base.scope == "dept:甲局", "value"] = 3
    later = compute_scorecard(_inv(), baseline=base)
    assert later[(later.scope == "dept:甲局") & (later.figure == "networks_integrated")].value.item() == 2
    ranks = rank_scorecard(later, "department")
    assert list(ranks.name) == ["丙局", "甲局", "乙局"]   # nothing left, then one left with progress
    assert list(ranks.standing) == ["praised", "praised", "named"]
