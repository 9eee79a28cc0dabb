"""Extranet expansion plan (issue 21, point 4): every unreached town, department and district named
with the nearest PE or town node, the proposed link and domains, grouped by district, in the
report and in its own plan file; departments with classified networks and their intranet node."""
import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol.analyze.expansion import intranet_needs, plan_expansion
from netconsol.cli import cli
from netconsol.inventory import Inventory

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("exp")
    r = CliRunner().invoke(cli, ["scan", str(DEMO), "--out", str(root / "out"), "--no-history"])
    assert r.exit_code == 0, r.output
    return root / "out"


def test_every_unreached_town_and_department_is_named(out):
    inv = Inventory.load(out / "snapshot")
    plan = plan_expansion(inv)
    towns = plan[plan.level == "town"]
    # the demo's four towns marked not connected, each under its district with the district's PE
    assert sorted(zip(towns.district, towns.name)) == [("台儿庄区", "马兰屯镇"), ("山亭区", "冯卯镇"), ("山亭区", "店子镇"),
                                                        ("峄城区", "阴平镇")]
    pe = {"台儿庄区": "TEZ-PE-01", "山亭区": "ST-PE-01", "峄城区": "YC-PE-01"}
    assert all(pe[d] == n for d, n in zip(towns.district, towns.nearest))
    assert set(towns.link) == {"leased_line"} and set(towns.domains) == {"extranet_public extranet_admin"}
    metrics = inv["metrics"]
    city = metrics[(metrics.level == "city") & (metrics.metric == "connectivity_rate")].iloc[0]
    depts = plan[plan.level == "department"]
    assert len(depts) == city.denominator - city.numerator == 8
    assert set(depts[depts.district == ""].nearest) == {"ZZ-CORE-01"}
    # grouped by district: each district's rows are one run, city level last
    runs = [d for i, d in enumerate(plan.district) if i == 0 or d != plan.district.iloc[i - 1]]
    assert len(runs) == len(set(runs)) and runs[-1] == ""


def test_classified_networks_need_an_intranet_node(out):
    inv = Inventory.load(out / "snapshot")
    need = intranet_needs(inv)
    assert list(zip(need.department, need.networks, need.intranet_node)) == [("市委办公室", "shemi", "city")]


def test_plan_file_and_report_section(out):
    rows = list(csv.DictReader(io.StringIO((out / "plans" / "expansion-plan.csv").read_text(encoding="utf-8-sig"))))
    assert {r["名称"] for r in rows} >= {"马兰屯镇", "冯卯镇", "店子镇", "阴平镇", "市统计局"}
    assert {r["最近接入节点"] for r in rows if r["名称"] == "阴平镇"} == {"YC-PE-01"}
    md = (out / "plans" / "expansion-plan.md").read_text(encoding="utf-8")
    assert "镇（街） 4 个、部门 8 个" in md and "市级电子政务内网节点" in md
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## 外网扩容：未覆盖的区(市)、镇（街）与部门" in report and "| 峄城区 | 镇（街） | 阴平镇 |" in report
