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


# --- attachment evidence read from configs, on variants of the blind case (tests/acceptance/expansion),
# edited in a temporary copy: the case's own files stay as written

CASE = Path(__file__).resolve().parent / "acceptance" / "expansion"


def _variant(tmp_path, edits: dict, extra: dict | None = None):
    """A copy of the blind case with *edits* ({file: [(old, new)]}) and *extra* files; its
    expansion plan keyed by (level, name) and the inventory."""
    import shutil

    import netconsol

    inv_dir = tmp_path / "case"
    inv_dir.mkdir()
    shutil.copy(CASE / "inventory.yaml", inv_dir / "inventory.yaml")
    shutil.copytree(CASE / "configs", inv_dir / "configs")
    for name, pairs in edits.items():
        path = inv_dir / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for name, text in (extra or {}).items():
        (inv_dir / name).write_text(text, encoding="utf-8")
    p = netconsol.open(inv_dir)
    plan = plan_expansion(p.inventory, p.graph())
    return {(r["level"], r["name"]): r for r in plan.to_dict("records")}, p.inventory


_XL_ROUTER = """#
 sysname XL-LCZ-AR01
#
interface GigabitEthernet0/0/0
 description UPLINK-JSS-CORE-01-岭城镇
#
interface GigabitEthernet0/0/0.100
 vlan-type dot1q 100
 description 岭城镇-行政服务域上联
 ip binding vpn-instance GOV_ADMIN
 ip address 10.0.48.2 255.255.255.252
#
interface GigabitEthernet0/0/0.200
 vlan-type dot1q 200
 description 岭城镇-公共服务域上联
 ip binding vpn-instance GOV_PUBLIC
 ip address 10.4.48.2 255.255.255.252
#
snmp-agent sys-info location 西岭县岭城镇人民政府机房
#
return
"""
_CORE_PORT = """interface GigabitEthernet2/0/6
 shutdown
 description 预留-市人社局-线路待开通
#
"""
_CORE_TO_XL = _CORE_PORT + """interface GigabitEthernet2/0/7
 undo shutdown
 description TO-岭城镇-XL-LCZ-AR01
#
interface GigabitEthernet2/0/7.100
 vlan-type dot1q 100
 description TO-岭城镇-XL-LCZ-AR01-行政服务域
 ip binding vpn-instance GOV_ADMIN
 ip address 10.0.48.1 255.255.255.252
#
interface GigabitEthernet2/0/7.200
 vlan-type dot1q 200
 description TO-岭城镇-XL-LCZ-AR01-公共服务域
 ip binding vpn-instance GOV_PUBLIC
 ip address 10.4.48.1 255.255.255.252
#
"""


def test_district_without_pe_reaches_its_towns_from_an_attached_town_router(tmp_path):
    # 岭城镇's router hangs off the city core (no 西岭县 PE yet): the other 西岭县 towns and
    # departments are nearest to it; the district itself still needs its PE from the core
    plan, inv = _variant(tmp_path, {
        "inventory.yaml": [("- {name: 岭城镇, connected: false}", "- 岭城镇"),
                           ("  DGQ-YCZ-AR01:", "  XL-LCZ-AR01:    {department: 西岭县人民政府办公室, district: 西岭县, role: access, "
                                               "network: extranet-admin}\n  DGQ-YCZ-AR01:")],
        "configs/JSS-CORE-01.cfg": [(_CORE_PORT, _CORE_TO_XL)]}, {"configs/XL-LCZ-AR01.cfg": _XL_ROUTER})
    dev = inv["devices"].set_index("device")
    assert dev.loc["XL-LCZ-AR01", "town"] == "岭城镇"  # from its snmp location
    assert ("town", "岭城镇") not in plan
    for name in ("白云乡", "龙潭乡", "青石镇"):
        assert (plan[("town", name)]["nearest"], plan[("town", name)]["nearest_role"]) == ("XL-LCZ-AR01", "town_router")
    assert (plan[("district", "西岭县")]["nearest"], plan[("district", "西岭县")]["nearest_role"]) == \
        ("JSS-CORE-01", "city_core")


def test_a_port_brought_up_attaches_and_a_shut_port_does_not(tmp_path):
    # 北岭乡's reserved port brought up: its GOV_ADMIN sub-interface now attaches it (admin only,
    # against the manifest's connected: false); the department named on a sub-interface of a port
    # still shut down stays unconnected
    plan, inv = _variant(tmp_path, {"configs/JSX-PE-01.cfg": [
        ("interface GigabitEthernet1/0/3\n shutdown", "interface GigabitEthernet1/0/3\n undo shutdown")],
        "configs/JSS-CORE-01.cfg": [(_CORE_PORT, _CORE_PORT.replace("预留-市人社局-线路待开通", "预留-市人社局") + """\
interface GigabitEthernet2/0/6.100
 vlan-type dot1q 100
 description TO-市人社局-行政服务域
 ip binding vpn-instance GOV_ADMIN
 ip address 10.0.1.25 255.255.255.252
#
""")]})
    row = plan[("town", "北岭乡")]
    assert (row["gap"], row["domains"], row["basis"]) == ("no_public_domain", "extranet_public",
                                                          "config (contradicts manifest)")
    assert plan[("department", "市人社局")]["gap"] == "not_connected"


def test_a_router_naming_two_towns_is_placed_in_neither(tmp_path):
    _, inv = _variant(tmp_path, {"configs/JSX-NHZ-MSR01.cfg": [
        ("snmp-agent sys-info location 金山县南湖镇人民政府一楼机房", "snmp-agent sys-info location 金山县南湖镇石门镇联合机房")]})
    nhz = inv["devices"].set_index("device").loc["JSX-NHZ-MSR01"]
    # the location names two towns; its uplink descriptions name 南湖镇 alone, which then places it
    assert nhz["town"] == "南湖镇"
    issue = inv["issues"][(inv["issues"].code == "town-from-config") & (inv["issues"].value == "南湖镇")]
    assert "interface descriptions" in issue.message.iloc[0]
