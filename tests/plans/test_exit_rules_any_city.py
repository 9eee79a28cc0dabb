"""Issue 17: the shipped exit rules fit any city (no demo place, no invented site or date)."""
from __future__ import annotations

from pathlib import Path

from netconsol.analyze.exits import TBD_SITE, load_exit_rules
from netconsol.collectors import collect
from netconsol.render.exits_doc import plan_exits
from netconsol.render.plans import markdown_text

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "acceptance" / "exits"
DEMO_PLACES = ("枣庄", "薛城", "Xuecheng", "Zaozhuang", "市中区", "滕州")


def test_shipped_rules_name_no_place_and_no_date():
    text = (ROOT / "netconsol" / "rules" / "exits.yaml").read_text(encoding="utf-8")
    assert not any(p in text for p in DEMO_PLACES)
    r = load_exit_rules()
    assert (r.sites_decided, r.plan_date_set) == (False, False)
    # the placeholder site is a code (analyze/ holds no label); render/ words it 待定 / to be decided
    assert [(s.id, s.name) for s in r.sites] == [(TBD_SITE, TBD_SITE)]


def test_city_without_sites_gets_sites_to_be_decided(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")   # 2027-01-01: the scan date stands in
    inv = collect([CASE / "inventory.yaml", CASE / "configs", CASE / "sheets"])
    plan = plan_exits(inv, load_exit_rules())
    zh, en = markdown_text(plan, "zh"), markdown_text(plan, "en")
    assert "统一出口站点待定" in zh and "sites to be decided" in en.lower()
    design = plan.tables["design"]
    assert set(design["site"]) == {TBD_SITE}
    assert "| 待定 |" in zh and "| to be decided |" in en and f"| {TBD_SITE} |" not in zh + en
    assert "2027-01-01" in zh
    assert not any(p in zh + en for p in DEMO_PLACES)
    summary = plan.tables["summary"].set_index("metric")
    assert summary.loc["unified_sites", "after"] == 1 and summary.loc["unified_lines", "after"] >= 2


def test_generated_city_names_its_own_sites():
    r = load_exit_rules(ROOT / "inventories" / "zaozhuang-demo" / "rules" / "exits.yaml")
    assert r.sites_decided and r.plan_date == "2027-06-30"
    assert [s.name for s in r.sites] == ["市大数据中心", "薛城区备份出口"]
