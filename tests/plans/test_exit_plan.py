"""The exit plan (issue #7): reconcile sheets with configs, dispositions, sizing, figures, exports.

Small inventories are built row by row, the way the collectors and the attribution write them;
the last tests run the whole chain on the demo city and compare with its ground truth.
"""
import datetime as dt
import json
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from netconsol.analyze.exits import UNIFIED, buy, load_exit_rules, reconcile_exits, with_rules
from netconsol.render.exits_doc import plan_exits
from netconsol.cli import cli
from netconsol.errors import NetconsolError, RulesError
from netconsol.inventory import Inventory, Rows
from netconsol.render.plans import LANGS, L, Plan, escape_md, markdown_text, plan_document, table, write_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "netconsol" / "rules" / "exits.yaml"
# the shipped rules name no site and no date (issue 17): the demo city's own rules do
RULES = ROOT / "inventories" / "zaozhuang-demo" / "rules" / "exits.yaml"


# ---- building inventories ----------------------------------------------------------------------
class City:
    """Rows of a small city: devices with exit interfaces, NAT rules, sheet-declared exits."""

    def __init__(self):
        self.rows = Rows()
        self.n = 0

    def unit(self, department, district=""):
        self.rows.add("units", {"unit": f"dept:{department}", "name": department, "level": "department",
                                "district": district, "source": "inventory.yaml", "location": "departments"})
        return self

    def device(self, host, department="", district=""):
        self.rows.add("devices", {"device": host, "vendor": "huawei", "platform": "vrp", "department": department,
                                  "district": district, "attributed_by": "manifest" if department else "",
                                  "source": f"configs/{host}.cfg", "location": "file"})
        return self

    def config_exit(self, host, interface, public="", carrier="", department="", district="", description="",
                    evidence="default-route nat-outbound"):
        ip = ""
        if public:
            first = public.split()[0]
            net, plen = first.split("/")
            a, b, c, d = (int(x) for x in net.split("."))
            ip = f"{a}.{b}.{c}.{d + 2}"
            self.rows.add("interfaces", {"device": host, "interface": interface, "address": f"{ip}/{plen}", "ip": ip,
                                         "prefixlen": int(plen), "subnet": first, "family": 4, "nat": "outbound",
                                         "description": description, "source": f"configs/{host}.cfg",
                                         "location": "line 10"})
        elif description:
            self.rows.add("interfaces", {"device": host, "interface": interface, "description": description,
                                         "source": f"configs/{host}.cfg", "location": "line 10"})
        self.rows.add("exits", {"exit": f"C-{host}:{interface}", "origin": "config", "device": host,
                                "interface": interface, "public_range": public, "carrier": carrier,
                                "carrier_known": bool(carrier) or None, "department": department, "district": district,
                                "evidence": evidence, "attributed_by": "manifest" if department else "",
                                "source": f"configs/{host}.cfg", "location": "line 10"})
        return self

    def nat_server(self, host, interface, public, port, inside, inside_port, protocol="tcp", kind="server"):
        self.rows.add("nat", {"device": host, "kind": kind, "interface": interface, "inside": inside,
                              "outside": public, "protocol": protocol, "inside_port": str(inside_port),
                              "outside_port": str(port), "source": f"configs/{host}.cfg", "location": "line 20"})
        return self

    def sheet_exit(self, department, district="", public="", carrier="", bandwidth=None, fee=None, contract_end="",
                   mandated_by="", services="", peak_util=None, device=""):
        self.n += 1
        self.rows.add("exits", {"exit": f"S-{self.n:03d}", "origin": "sheet", "department": department,
                                "district": district, "public_range": public, "carrier": carrier,
                                "carrier_known": True if carrier else None, "bandwidth_mbps": bandwidth,
                                "fee_yuan_year": fee, "contract_end": contract_end, "mandated_by": mandated_by,
                                "services": services, "peak_util": peak_util, "device": device,
                                "attributed_by": "sheet", "source": "sheets/出口.csv", "location": f"row {self.n + 1}"})
        return self

    def inventory(self) -> Inventory:
        inv = Inventory.from_rows(self.rows)
        assert inv.validate() == []
        return inv


@pytest.fixture(scope="module")
def rules():
    return load_exit_rules(RULES)


def _by_sheet(exits, sheet_id):
    rows = exits[exits["sheet_exit"] == sheet_id]
    assert len(rows) == 1, sheet_id
    return rows.iloc[0]


def _by_config(exits, config_id):
    rows = exits[exits["config_exit"].str.split().apply(lambda ids: config_id in ids)]
    assert len(rows) == 1, config_id
    return rows.iloc[0]


# ---- (a) reconciliation ------------------------------------------------------------------------
def reconcile_city():
    c = City()
    c.unit("区教育局", "薛城区").unit("区卫健局", "薛城区").unit("区民政局", "薛城区")
    c.device("XC-JY-FW01", "区教育局", "薛城区").device("XC-WJ-AR01", "区卫健局", "薛城区")
    # seen in both, the sheet writes another carrier and half the bandwidth
    c.config_exit("XC-JY-FW01", "GigabitEthernet1/0/1", "203.0.113.0/29", "China Unicom", "区教育局", "薛城区",
                  description="TO-CU 互联网专线 200M")
    c.sheet_exit("区教育局", "薛城区", "203.0.113.0/29", "China Telecom", 100, 60000)            # S-001
    # declared, the department's router was collected, but no config evidence of it
    c.sheet_exit("区卫健局", "薛城区", "198.51.100.0/30", "China Mobile", 50, 24000)            # S-002
    # declared by a department none of whose devices was collected
    c.sheet_exit("区民政局", "薛城区", "198.51.100.4/30", "China Telecom", 20, 18000)           # S-003
    # found in a config, declared nowhere
    c.config_exit("XC-WJ-AR01", "GigabitEthernet0/0/2", "192.0.2.8/30", "China Telecom", "区卫健局", "薛城区")
    return c.inventory()


def test_exit_seen_in_sheet_and_config_is_one_exit_with_the_carrier_disagreement():
    exits, dis = reconcile_exits(reconcile_city())
    assert len(exits) == 4          # 3 sheet rows + 2 config exits, one pair matched
    e = _by_sheet(exits, "S-001")
    assert e["seen_in"] == "both" and e["match_by"] == "range"
    assert e["config_exit"] == "C-XC-JY-FW01:GigabitEthernet1/0/1"
    assert e["exit"].startswith("E-") and e["device"] == "XC-JY-FW01"
    assert e["carrier"] == "China Unicom"        # rules: the cabled interface's carrier wins
    assert e["bandwidth_mbps"] == 100            # rules: the sheet's contract bandwidth wins
    assert e["fee_yuan_year"] == 60000
    carrier = dis[(dis["exit"] == e["exit"]) & (dis["field"] == "carrier")]
    assert len(carrier) == 1
    d = carrier.iloc[0]
    assert (d["sheet_value"], d["config_value"], d["kept"], d["kept_from"]) == \
        ("China Telecom", "China Unicom", "China Unicom", "config")
    assert (d["sheet_source"], d["sheet_location"]) == ("sheets/出口.csv", "row 2")
    assert (d["config_source"], d["config_location"]) == ("configs/XC-JY-FW01.cfg", "line 10")
    # the config states 200M in the interface description: a bandwidth disagreement too
    bw = dis[(dis["exit"] == e["exit"]) & (dis["field"] == "bandwidth_mbps")].iloc[0]
    assert (bw["sheet_value"], bw["config_value"]) == ("100", "200")
    assert set(dis["exit"]) == {e["exit"]}       # nothing else disagrees


def test_one_sided_exits_are_flagged():
    exits, _ = reconcile_exits(reconcile_city())
    assert _by_sheet(exits, "S-002")["flag"] == "declared_not_configured"
    assert _by_sheet(exits, "S-003")["flag"] == "declared_not_collected"   # no device of 区民政局 collected
    cfg = _by_config(exits, "C-XC-WJ-AR01:GigabitEthernet0/0/2")
    assert (cfg["seen_in"], cfg["flag"]) == ("config", "configured_not_declared")
    assert (exits["seen_in"] == "both").sum() == 1
    assert exits.loc[exits["seen_in"] == "both", "flag"].tolist() == [""]


def test_range_overlap_beats_device_name_and_device_beats_department():
    c = City()
    c.device("FW-A", "局A").device("FW-B", "局A")
    c.config_exit("FW-A", "G0/1", "203.0.113.8/30", "China Telecom", "局A")
    c.config_exit("FW-B", "G0/1", "203.0.113.12/30", "China Unicom", "局A")
    # names FW-A but its range is FW-B's: the range decides
    c.sheet_exit("局A", public="203.0.113.12/30", carrier="China Unicom", device="FW-A")
    # no range: the device name decides, not the department
    c.sheet_exit("局A", carrier="China Telecom", device="fw-a")
    exits, _ = reconcile_exits(c.inventory())
    assert _by_sheet(exits, "S-001")["config_exit"] == "C-FW-B:G0/1"
    assert _by_sheet(exits, "S-001")["match_by"] == "range"
    assert _by_sheet(exits, "S-002")["config_exit"] == "C-FW-A:G0/1"
    assert _by_sheet(exits, "S-002")["match_by"] == "device"


def test_department_and_carrier_match_only_when_unique():
    c = City()
    c.device("R1", "局B").device("R2", "局B").device("R3", "局C")
    c.config_exit("R1", "G0/1", carrier="China Telecom", department="局B")
    c.config_exit("R2", "G0/1", carrier="China Telecom", department="局B")
    c.config_exit("R3", "G0/1", carrier="China Mobile", department="局C")
    c.sheet_exit("局B", carrier="China Telecom")     # two candidates: not matched
    c.sheet_exit("局C", carrier="China Mobile")      # the only pair
    exits, _ = reconcile_exits(c.inventory())
    assert _by_sheet(exits, "S-001")["seen_in"] == "sheet"
    assert _by_sheet(exits, "S-002")["match_by"] == "department_carrier"
    assert len(exits) == 4


def test_disjoint_ranges_are_never_one_exit_and_an_ha_pair_is():
    c = City()
    c.device("FW1", "局D").device("FW2", "局D")
    # an HA pair: both firewalls carry the same outside subnet
    c.config_exit("FW1", "G1/0/1", "203.0.113.16/29", "China Telecom", "局D")
    c.config_exit("FW2", "G1/0/1", "203.0.113.16/29", "China Telecom", "局D")
    c.sheet_exit("局D", public="198.51.100.64/30", carrier="China Telecom", device="FW1")
    exits, _ = reconcile_exits(c.inventory())
    assert len(exits) == 2
    pair = _by_config(exits, "C-FW1:G1/0/1")
    assert pair["config_exit"] == "C-FW1:G1/0/1 C-FW2:G1/0/1" and pair["device"] == "FW1 FW2"
    assert pair["public_ips"] == 8
    assert _by_sheet(exits, "S-001")["seen_in"] == "sheet"


# ---- (b) dispositions ----------------------------------------------------------------------------
def disposition_city():
    c = City()
    for dept in ("市公安局", "市审计局", "市政务服务中心", "市档案馆", "市统计局"):
        c.unit(dept)
    c.device("GA-FW01", "市公安局").device("ZW-FW01", "市政务服务中心").device("DA-AR01", "市档案馆")
    c.sheet_exit("市公安局", public="192.0.2.0/30", carrier="China Telecom", bandwidth=100, fee=48000,
                 mandated_by="公安部要求保留")                                                          # S-001
    c.sheet_exit("市审计局", public="203.0.113.40/30", carrier="China Unicom", bandwidth=1000, fee=288000,
                 contract_end="2028-12-31")                                                              # S-002
    c.config_exit("ZW-FW01", "GigabitEthernet0/0/1", "203.0.113.0/29", "China Telecom", "市政务服务中心")
    c.nat_server("ZW-FW01", "GigabitEthernet0/0/1", "203.0.113.3", 443, "10.8.1.10", 8443)
    c.nat_server("ZW-FW01", "", "203.0.113.4", "", "10.8.1.11", "", protocol="", kind="static")
    c.sheet_exit("市政务服务中心", public="203.0.113.0/29", carrier="China Telecom", bandwidth=200, fee=84000,
                 services="网上办事大厅 www.zwfw.example.gov.cn；办公上网")                                   # S-003
    c.config_exit("DA-AR01", "GigabitEthernet0/1", "198.51.100.8/30", "China Mobile", "市档案馆")
    c.sheet_exit("市档案馆", public="198.51.100.8/30", carrier="China Mobile", bandwidth=50, fee=30000,
                 services="办公上网", contract_end="2026-12-31")                                            # S-004
    c.sheet_exit("市统计局", public="198.51.100.12/30", carrier="China Unicom", bandwidth=20, fee=18000,
                 mandated_by="省厅要求")                                                                   # S-005
    return c.inventory()


def _plan_row(plan, exits, sheet_id):
    eid = _by_sheet(exits, sheet_id)["exit"]
    x = plan.tables["exits"]
    return x[x["exit"] == eid].iloc[0]


def test_dispositions(rules):
    inv = disposition_city()
    exits, _ = reconcile_exits(inv, rules)
    plan = plan_exits(inv, rules)
    ga = _plan_row(plan, exits, "S-001")
    assert (ga["disposition"], ga["ministry"], ga["target_site"], ga["target_date"]) == ("keep_mandated", "公安部", "", "")
    assert ga["cost_after_yuan"] == 48000 and not ga["in_pool"]
    sj = _plan_row(plan, exits, "S-002")
    assert (sj["disposition"], sj["target_date"], sj["target_site"]) == \
        ("keep_until_contract_end", "2028-12-31", "city-core")
    zw = _plan_row(plan, exits, "S-003")
    assert (zw["disposition"], zw["target_date"], zw["target_site"]) == ("migrate", "2027-06-30", "city-core")
    assert zw["addresses_returned"] == 8 and zw["cost_after_yuan"] == 0 and zw["saving_yuan"] == 84000
    da = _plan_row(plan, exits, "S-004")
    assert da["disposition"] == "decommission"       # 办公上网 is what the line is used for, not a service
    tj = _plan_row(plan, exits, "S-005")
    assert tj["disposition"] == "decommission" and "mandate_not_recognized" in tj["notes"].split()

    svc = plan.tables["services"]
    svc = svc[svc["exit"] == zw["exit"]]
    nat = svc[svc["kind"] == "nat_server"].iloc[0]
    assert (nat["protocol"], nat["public_address"], nat["public_port"], nat["inside_address"], nat["inside_port"]) == \
        ("tcp", "203.0.113.3", "443", "10.8.1.10", "8443")
    static = svc[svc["kind"] == "nat_static"].iloc[0]        # a global static rule, found by its address
    assert (static["public_address"], static["inside_address"]) == ("203.0.113.4", "10.8.1.11")
    sheet = svc[svc["kind"] == "sheet"]
    assert sheet["service"].tolist() == ["网上办事大厅 www.zwfw.example.gov.cn"]
    assert sheet["dns_name"].tolist() == ["www.zwfw.example.gov.cn"]
    assert set(svc["target_site"]) == {"city-core"}

    addr = plan.tables["addresses"]
    assert set(addr["prefix"]) == {"203.0.113.0/29", "198.51.100.8/30", "198.51.100.12/30"}
    assert set(addr["disposition"]) == {"migrate", "decommission"}


# ---- (c) the numbers add up ----------------------------------------------------------------------
def numbers_city():
    c = City()
    for dept, dist in (("市发改委", ""), ("市公安局", ""), ("区教育局", "薛城区"), ("区卫健局", "滕州市"),
                       ("区民政局", "滕州市"), ("区交通局", "峄城区")):
        c.unit(dept, dist)
    c.device("JY-FW01", "区教育局", "薛城区")
    c.sheet_exit("市发改委", "", "203.0.113.0/30", "China Telecom", 100, 50000, peak_util=0.5)
    c.sheet_exit("市公安局", "", "203.0.113.4/30", "China Unicom", 200, 90000, mandated_by="公安部")
    c.sheet_exit("区教育局", "薛城区", "203.0.113.8/29", "China Unicom", 500, None, peak_util=0.8,
                 services="门户网站")                                 # no fee: estimated
    c.config_exit("JY-FW01", "G0/0/1", "203.0.113.8/29", "China Unicom", "区教育局", "薛城区")
    c.sheet_exit("区卫健局", "市直", "198.51.100.0/30", "China Mobile", 1000, 250000, peak_util=0.3,
                 contract_end="2029-06-30")
    c.sheet_exit("区民政局", "滕州市", "", "中国铁塔", 50, 20000)            # a carrier the rules do not price
    c.config_exit("JT-AR01", "G0/1", "192.0.2.4/30", "China Mobile", evidence="default-route")  # no bandwidth, no dept
    return c.inventory()


def _sum(df, col):
    return float(df[col].fillna(0).sum())


def _metric(plan, metric):
    s = plan.tables["summary"]
    return s[s["metric"] == metric].iloc[0]


def test_per_exit_and_per_district_figures_sum_to_the_totals(rules):
    plan = plan_exits(numbers_city(), rules)
    x, d, design, mix = (plan.tables[k] for k in ("exits", "districts", "design", "carriers"))
    cost = _metric(plan, "cost_yuan")
    assert _sum(x, "cost_before_yuan") == pytest.approx(cost["before"])
    assert _sum(x, "cost_after_yuan") + _sum(design, "yuan_per_year") == pytest.approx(cost["after"])
    assert _metric(plan, "saving_yuan")["after"] == pytest.approx(cost["before"] - cost["after"])
    assert _sum(x, "saving_yuan") - _sum(design, "yuan_per_year") == pytest.approx(cost["before"] - cost["after"])
    for col, metric, side in (("exits_before", "exits", "before"), ("exits_after", "exits", "after"),
                              ("cost_before_yuan", "cost_yuan", "before"), ("cost_after_yuan", "cost_yuan", "after"),
                              ("bandwidth_before_mbps", "bandwidth_bought_mbps", "before"),
                              ("bandwidth_after_mbps", "bandwidth_bought_mbps", "after"),
                              ("cost_estimated_yuan", "cost_estimated_yuan", "before"),
                              ("addresses_returned", "public_addresses_returned", "after"),
                              ("services_to_republish", "services_to_republish", "after"),
                              ("departments", "departments", "before"),
                              ("departments_behind_before", "departments_behind_unified", "before"),
                              ("departments_behind_after", "departments_behind_unified", "after")):
        assert _sum(d, col) == pytest.approx(_metric(plan, metric)[side]), col
    assert _sum(d, "unified_cost_share_yuan") == _sum(design, "yuan_per_year")
    assert _sum(d, "saving_yuan") == pytest.approx(cost["before"] - cost["after"])
    # issue 21: the districts' own rows (the unified exit's row left out) add up to the city's saving
    # once each pays its share of the unified exit (saving_yuan alone is gross)
    districts_only = d[d["district"] != UNIFIED]
    assert _sum(districts_only, "net_saving_yuan") == pytest.approx(_metric(plan, "saving_yuan")["after"])
    assert (districts_only["net_saving_yuan"] == districts_only["saving_yuan"]
            - districts_only["unified_cost_share_yuan"]).all()
    assert _sum(districts_only, "saving_yuan") != pytest.approx(_metric(plan, "saving_yuan")["after"])
    assert d[d["district"] == UNIFIED]["exits_after"].item() == len(design)
    for disp in ("keep_mandated", "keep_until_contract_end", "migrate", "decommission"):
        assert _sum(d, disp) == (x["disposition"] == disp).sum()
    assert int(_metric(plan, "exits")["before"]) == len(x) == 6
    # carrier mix adds up to the same totals
    assert _sum(mix, "exits_before") == len(x)
    assert _sum(mix, "exits_after") == _metric(plan, "exits")["after"]
    assert _sum(mix, "cost_before_yuan") == pytest.approx(cost["before"])
    assert _sum(mix, "cost_after_yuan") == pytest.approx(cost["after"])
    assert _sum(mix, "bandwidth_share_before") == pytest.approx(1, abs=1e-3)
    # 市直 in a sheet is the manifest's city level, and the manifest's district wins for known departments
    assert set(d["district"]) == {"", "薛城区", "滕州市", "峄城区", UNIFIED}
    row = x[x["department"] == "区卫健局"].iloc[0]
    assert row["district"] == "滕州市"


def test_missing_fee_is_estimated_from_the_tiers_and_flagged(rules):
    plan = plan_exits(numbers_city(), rules)
    x = plan.tables["exits"]
    jy = x[x["department"] == "区教育局"].iloc[0]
    assert jy["fee_estimated"] and "fee_estimated" in jy["notes"].split()
    assert jy["cost_before_yuan"] == 159600                 # China Unicom 500 Mbps tier
    other = x[x["carrier"] == "中国铁塔"].iloc[0]
    assert not other["fee_estimated"] and other["cost_before_yuan"] == 20000
    cfg = x[x["seen_in"] == "config"].iloc[0]               # no bandwidth: 100 Mbps assumed, priced
    assert cfg["bandwidth_mbps"] == 100 and {"bandwidth_assumed", "fee_estimated"} <= set(cfg["notes"].split())
    assert cfg["cost_before_yuan"] == 43200                 # China Mobile 100 Mbps
    zero = plan_exits(numbers_city(), with_rules(rules, missing_fee="zero")).tables["exits"]
    assert zero[zero["department"] == "区教育局"]["cost_before_yuan"].item() == 0


def test_every_unified_site_has_the_required_carriers_and_follows_the_formula(rules):
    plan = plan_exits(numbers_city(), rules)
    x, design = plan.tables["exits"], plan.tables["design"]
    pooled = x[x["in_pool"]]
    # mandated exits stay out of the pool, contract-kept ones are in it (pool_includes_contract_kept)
    assert set(pooled["disposition"]) == {"keep_until_contract_end", "migrate", "decommission"}
    sum_peak = float(pooled["peak_mbps"].sum())
    sum_commit = float(pooled["bandwidth_mbps"].sum())
    # peak = bandwidth × peak utilisation when known, else the bandwidth
    assert sum_peak == pytest.approx(100 * 0.5 + 500 * 0.8 + 1000 * 0.3 + 50 + 100)
    assert sum_commit == pytest.approx(100 + 500 + 1000 + 50 + 100)
    pool = max(sum_peak * rules.concurrency, sum_commit * rules.oversubscription) * rules.headroom
    assert _metric(plan, "bandwidth_needed_mbps")["after"] == pytest.approx(pool, abs=0.01)
    sites = {s.id: s for s in rules.sites}
    assert len(set(design["site"])) == len(rules.sites) >= 2
    for site_id, lines in design.groupby("site"):
        site = sites[site_id]
        assert set(site.carriers) <= set(lines["carrier"]) and len(lines) >= 2
        n = len(lines)
        demand = pool * site.capacity_share
        per_line = demand / (n - 1) if site.carrier_split == "survive_one_loss" else demand / n
        for _, ln in lines.iterrows():
            assert ln["need_mbps"] == pytest.approx(per_line, abs=0.01)
            tiers = rules.tiers_for(ln["carrier"])
            want = next(t for t in tiers if t.mbps >= per_line)        # rounded UP to the tier
            assert (ln["bought_mbps"], ln["yuan_per_year"]) == (want.mbps, want.yuan)
            assert ln["bought_mbps"] >= ln["need_mbps"]
    # China Mobile carries 1100 of 1750 pooled Mbps: above optional_carrier_min_share, added at the primary
    primary = design[design["site"] == "city-core"]
    assert primary[primary["carrier"] == "China Mobile"]["optional"].item()
    assert "China Mobile" not in set(design[design["site"] == "seat-backup"]["carrier"])


def test_buy_takes_the_cheapest_lines_covering_the_need(rules):
    tiers = rules.tiers_for("China Telecom")
    assert buy(tiers, 150) == (200, 84000, "1×200")
    assert buy(tiers, 200) == (200, 84000, "1×200")
    assert buy(tiers, 0) == (100, 48000, "1×100")
    # the cheapest combination, not the next tier up: 2×2000 costs less than 1×5000
    assert buy(tiers, 4000) == (4000, 2 * 504000, "2×2000")
    assert buy(tiers, 12500) == (12500, 1800000 + 504000 + 168000, "1×10000 + 1×2000 + 1×500")
    # brute force over every combination of up to 3 lines agrees on the price
    from itertools import combinations_with_replacement as cwr
    for need in (120, 700, 2300, 4400, 9000):
        cheapest = min(sum(t.yuan for t in c) for n in (1, 2, 3) for c in cwr(tiers, n)
                       if sum(t.mbps for t in c) >= need)
        assert buy(tiers, need)[1] == cheapest, need
    assert buy(tiers, 20000) == (20000, 3600000, "2×10000")


# ---- (d) policy changes ----------------------------------------------------------------------
def _rules_text(**replace):
    text = RULES.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _write_rules(tmp_path, text):
    p = tmp_path / "exits.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_three_required_carriers(tmp_path, rules):
    three = load_exit_rules(_write_rules(tmp_path, _rules_text(**{
        "required: [China Telecom, China Unicom]": "required: [China Telecom, China Unicom, China Mobile]"})))
    base = plan_exits(numbers_city(), rules).tables["design"]
    plan = plan_exits(numbers_city(), three)
    design = plan.tables["design"]
    for site in three.sites:
        lines = design[design["site"] == site.id]
        assert set(lines["carrier"]) == {"China Telecom", "China Unicom", "China Mobile"}
        assert not lines["optional"].any()
    backup = design[design["site"] == "seat-backup"]
    assert len(backup) == 3 and len(base[base["site"] == "seat-backup"]) == 2
    pool = _metric(plan, "bandwidth_needed_mbps")["after"]
    assert backup["need_mbps"].iloc[0] == pytest.approx(pool * 0.5 / 3, abs=0.01)


def test_concurrency_and_plan_date_change_the_plan(rules):
    inv = numbers_city()
    base = plan_exits(inv, rules)
    low = plan_exits(inv, with_rules(rules, concurrency=0.3, oversubscription=0.1))
    p0 = _metric(base, "bandwidth_needed_mbps")["after"]
    p1 = _metric(low, "bandwidth_needed_mbps")["after"]
    assert p1 == pytest.approx(p0 * 0.3 / 0.6)              # the peak term binds in both
    assert _sum(low.tables["design"], "yuan_per_year") <= _sum(base.tables["design"], "yuan_per_year")
    # a plan date after the contract end: the exit moves instead of being kept
    late = plan_exits(inv, with_rules(rules, plan_date="2030-01-01")).tables["exits"]
    early = base.tables["exits"]
    assert early[early["department"] == "区卫健局"]["disposition"].item() == "keep_until_contract_end"
    assert late[late["department"] == "区卫健局"]["disposition"].item() == "decommission"
    assert set(late["target_date"]) - {""} == {"2030-01-01"}
    # an earlier plan date keeps the same exit, now with its own contract end as target date
    assert early[early["department"] == "区卫健局"]["target_date"].item() == "2029-06-30"


def test_plan_date_from_yaml_and_mandated_ministries(tmp_path):
    no_police = {"plan_date: 2027-06-30": "plan_date: 2030-12-31",
                 "  - name: 公安部\n    aliases: [公安, Ministry of Public Security]\n": ""}
    r = load_exit_rules(_write_rules(tmp_path, _rules_text(**no_police)))
    assert r.plan_date == "2030-12-31"
    x = plan_exits(numbers_city(), r).tables["exits"]
    assert x[x["department"] == "市公安局"]["disposition"].item() == "decommission"
    assert (x["disposition"] != "keep_until_contract_end").all()


@pytest.mark.parametrize("change, key, value", [
    ({"concurrency: 0.6": "concurrency: 0.6\nsurprise: 1"}, "surprise", "1"),
    ({"concurrency: 0.6": "concurrency: high"}, "concurrency", "'high'"),
    ({"headroom: 1.3": "headroom: 0.8"}, "headroom", "0.8"),
    ({"required: [China Telecom, China Unicom]": "required: [China Telecom]"}, "carriers.required",
     "['China Telecom']"),
    ({"required: [China Telecom, China Unicom]": "required: [电信, 中国电信]"}, "carriers.required", "['电信', '中国电信']"),
    ({"required: [China Telecom, China Unicom]": "required: [China Telecom, Acme Net]"}, "carriers.required[1]",
     "'Acme Net'"),
    ({"plan_date: 2027-06-30": "plan_date: next year"}, "plan_date", "'next year'"),
    ({"missing_fee: estimate": "missing_fee: guess"}, "missing_fee", "'guess'"),
    ({"min_sites: 2": "min_sites: 3"}, "sites", "['city-core', 'seat-backup']"),
    ({"    200: 84000\n": "    200: 8400\n"}, "tiers.China Telecom.200", "8400"),
    ({"  match_by: [range, device, department_carrier, department]": "  match_by: [range, psychic]"},
     "reconcile.match_by[1]", "'psychic'"),
])
def test_bad_rules_are_refused_naming_file_key_and_value(tmp_path, change, key, value):
    path = _write_rules(tmp_path, _rules_text(**change))
    with pytest.raises(RulesError) as e:
        load_exit_rules(path)
    msg = str(e.value)
    assert str(path) in msg and key in msg and value in msg, msg


def test_every_rules_key_is_documented_in_place():
    text = SHIPPED.read_text(encoding="utf-8").splitlines()
    import yaml
    data = yaml.safe_load("\n".join(text))
    for key in data:
        i = next(n for n, line in enumerate(text) if line.startswith(f"{key}:"))
        j = i - 1
        while j >= 0 and text[j].strip() and not text[j].startswith("#"):
            j -= 1
        assert j >= 0 and text[j].startswith("#"), f"rules/exits.yaml: {key} has no comment above it"


# ---- (e) exports -------------------------------------------------------------------------------
def export_plan(rules):
    c = City()
    c.unit("区教育局|<b>*x*</b>", "薛城区")
    c.sheet_exit("区教育局|<b>*x*</b>", "薛城区", "203.0.113.0/29", "China Telecom", 100, 48000,
                 services="=cmd|' /C calc'!A0；门户网站 <script>")
    c.sheet_exit("市公安局", "", "192.0.2.0/30", "China Unicom", 100, 45600, mandated_by="公安部")
    return plan_exits(c.inventory(), rules, snapshot="snap")


@pytest.fixture(scope="module")
def plan(rules):
    return export_plan(rules)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "md"])
@pytest.mark.parametrize("lang", LANGS)
def test_each_format_is_written_inside_out(tmp_path, plan, fmt, lang):
    out = tmp_path / "out" / ("plan" if fmt == "csv" else f"plan.{fmt}")
    paths = write_plan(plan, fmt, out, lang)
    assert paths and all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert all(tmp_path / "out" in p.parents for p in paths)
    if fmt == "csv":
        assert {p.name for p in paths} == {f"{t}.csv" for t in plan.tables}
        head = (out / "exits.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert head.split(",")[0] == ("出口编号" if lang == "zh" else "exit")
    if fmt == "json":
        doc = json.loads(paths[0].read_text(encoding="utf-8"))
        assert doc["plan"] == "exits" and doc["lang"] == lang
        assert set(doc["tables"]) == set(plan.tables)
        rows = doc["tables"]["exits"]["rows"]
        assert {r["disposition"] for r in rows} == {"migrate", "keep_mandated"}


def test_csv_prefix_and_formula_defused(tmp_path, plan):
    paths = write_plan(plan, "csv", tmp_path / "exit-plan.csv", "en")
    assert sorted(p.name for p in paths) == sorted(f"exit-plan-{t}.csv" for t in plan.tables)
    text = (tmp_path / "exit-plan-services.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ",=cmd" not in text


def test_xlsx_sheets_headers_frozen_numbers(tmp_path, plan):
    path = write_plan(plan, "xlsx", tmp_path / "plan.xlsx", "zh")[0]
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    for table_id in ("summary", "exits", "districts"):
        assert any(n.endswith(" " + table_id) for n in names), names
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3"
    ws = wb[next(n for n in names if n.endswith(" exits"))]
    zh = [c.value for c in ws[1]]
    en = [c.value for c in ws[2]]
    assert zh[0] == "出口编号" and en[0] == "exit"
    assert "处置方式" in zh and "disposition" in en
    col = en.index("cost_before (yuan/yr)") if "cost_before (yuan/yr)" in en else en.index("cost before (yuan/yr)")
    values = [ws.cell(row=r, column=col + 1).value for r in range(3, ws.max_row + 1)]
    assert all(isinstance(v, (int, float)) for v in values) and sorted(values) == [45600, 48000]
    assert ws.column_dimensions["A"].width >= len("E-0123456789")
    # data that looks like a formula stays text, defused as in the CSV (a leading "'": netconsol/sanitize.py)
    svc = wb[next(n for n in names if n.endswith(" services"))]
    cells = [c for row in svc.iter_rows(min_row=3) for c in row if isinstance(c.value, str) and c.value.startswith("'=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert wb.properties.created == wb.properties.modified == dt.datetime(2000, 1, 1)


def test_two_runs_give_identical_bytes(tmp_path, plan, rules, monkeypatch):
    first = {}
    for fmt in ("xlsx", "json", "md"):
        first[fmt] = write_plan(plan, fmt, tmp_path / "a" / f"p.{fmt}", "zh")[0].read_bytes()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 400 * 86400)     # another day, another zip timestamp
    again = export_plan(rules)                                           # built again from the rows
    for fmt in ("xlsx", "json", "md"):
        assert write_plan(again, fmt, tmp_path / "b" / f"p.{fmt}", "zh")[0].read_bytes() == first[fmt], fmt
    csv_a = write_plan(plan, "csv", tmp_path / "c1", "zh")
    csv_b = write_plan(plan, "csv", tmp_path / "c2", "zh")
    assert [p.read_bytes() for p in csv_a] == [p.read_bytes() for p in csv_b]


def test_markdown_escapes_labels_from_the_input(plan):
    md = markdown_text(plan, "zh")
    assert "区教育局\\|&lt;b&gt;\\*x\\*&lt;/b&gt;" in md
    assert "<b>" not in md and "<script>" not in md
    assert "&lt;script&gt;" in md
    header = None
    for line in md.splitlines():      # every table row has as many cells as its header
        if not line.startswith("|"):
            header = None
            continue
        cells = len(line.replace("\\|", "").split("|"))
        if header is None:
            header = cells
        assert cells == header, line
    assert "## 统一出口设计" in md and "## 概要" in md
    assert "max(Σ" in markdown_text(plan, "en")
    assert escape_md("a|b<c>*d*\n[e]") == "a\\|b&lt;c&gt;\\*d\\* \\[e\\]"


def test_output_paths_cannot_escape(tmp_path, plan):
    with pytest.raises(NetconsolError):
        write_plan(plan, "md", tmp_path / "x" / ".." / ".." / "evil.md", "zh")
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "summary.csv").symlink_to(tmp_path / "elsewhere" / "summary.csv")
    with pytest.raises(NetconsolError):
        write_plan(plan, "csv", tmp_path / "out", "zh")
    assert not (tmp_path / "elsewhere" / "summary.csv").exists()
    bad = Plan(name="x", title=L("x", "x"), tables={"../up": table([], [("a", "str")])})
    with pytest.raises(NetconsolError):
        write_plan(bad, "csv", tmp_path / "o2", "zh")
    with pytest.raises(NetconsolError):
        write_plan(plan, "pdf", tmp_path / "p.pdf", "zh")


def test_generic_plan_for_other_plans(tmp_path):
    """The exporters know nothing of exits: a merge plan reuses them with its own tables and labels."""
    merge = Plan(name="merge", title=L("专网整合方案", "Merge plan"),
                 tables={"summary": table([{"metric": "networks", "value": 12}], [("metric", "str"), ("value", "int")]),
                         "networks": table([{"network": "gongan", "target": "keep"}],
                                           [("network", "str"), ("target", "str")])},
                 titles={"summary": L("汇总", "Summary"), "networks": L("网络", "Networks")},
                 labels={"target": L("目标域", "target")}, values={"target": {"keep": L("保留", "keep")}})
    path = write_plan(merge, "xlsx", str(tmp_path / "m") + "/", "en")[0]
    assert path.name == "merge-plan.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["网络 networks"]
    assert [c.value for c in ws[1]] == ["网络", "目标域"] and ws["B3"].value == "keep"
    assert "| 保留 |" in markdown_text(merge, "zh")
    assert plan_document(merge, "zh")["tables"]["summary"]["rows"] == [{"metric": "networks", "value": 12}]


def test_cli_plan_exits(tmp_path):
    snap = tmp_path / "snap"
    disposition_city().save(snap)
    runner = CliRunner()
    out = tmp_path / "report.md"
    res = runner.invoke(cli, ["plan", "exits", str(snap), "--format", "md", "--lang", "en", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.is_file() and "Internet exit consolidation plan" in out.read_text(encoding="utf-8")
    res = runner.invoke(cli, ["plan", "exits", str(snap), "--format", "xlsx", "--out", str(tmp_path / "x") + "/"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x" / "exits-plan.xlsx").is_file()
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "exits.yaml").write_text(_rules_text(**{"headroom: 1.3": "headroom: lots"}), encoding="utf-8")
    res = runner.invoke(cli, ["plan", "exits", str(snap), "--out", str(tmp_path / "y.xlsx"), "--rules", str(rules_dir)])
    assert res.exit_code != 0 and "headroom" in res.output and "'lots'" in res.output
    res = runner.invoke(cli, ["plan", "exits", "--help"])
    assert res.exit_code == 0 and "Example:" in res.output
    res = runner.invoke(cli, ["plan", "exits", str(snap), "--out", "../evil.md", "--format", "md"])
    assert res.exit_code != 0 and "'..'" in res.output


# ---- the demo city ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The committed demo (inventories/zaozhuang-demo) or, before it is committed, the same case
    written by netconsol.generate into a temporary directory."""
    path = ROOT / "inventories" / "zaozhuang-demo"
    if not (path / "ground_truth.json").is_file():
        from netconsol.generate import generate_city
        path = tmp_path_factory.mktemp("demo") / "zaozhuang-demo"
        generate_city(path)
    from netconsol.collectors import collect
    inv = collect([path])
    truth = json.loads((path / "ground_truth.json").read_text(encoding="utf-8"))
    return inv, truth


def _find(exits, planted):
    """Reconciled exits holding a planted exit: by its sheet row (file and row as Excel shows it),
    else by its config interface, else by its public range."""
    from netaddr import IPSet
    sheet = planted.get("sheet")
    if sheet and planted["seen_in"] != "config":
        loc = f"{sheet['sheet']}!row {sheet['row']}" if sheet.get("sheet") else f"row {sheet['row']}"
        return exits[(exits["sheet_source"] == sheet["file"]) & (exits["sheet_location"] == loc)]
    if planted.get("device"):
        want = f"C-{planted['device']}:{planted['interface']}"
        return exits[exits["config_exit"].str.split().apply(lambda ids: want in ids)]
    want = IPSet([planted["public_range"]])
    return exits[exits["public_range"].apply(lambda r: bool(r) and bool(IPSet(r.split()) & want))]


def test_demo_every_planted_exit_is_found(demo, rules):
    inv, truth = demo
    exits, _ = reconcile_exits(inv, rules)
    assert len(exits) == len(truth["exits"])
    for planted in truth["exits"]:
        hits = _find(exits, planted)
        assert len(hits) == 1, planted["id"]
        found = hits.iloc[0]
        assert found["seen_in"] == planted["seen_in"], planted["id"]
        if planted["seen_in"] == "both":     # the same exit from both sides: its config interface too
            assert f"C-{planted['device']}:{planted['interface']}" in found["config_exit"].split(), planted["id"]
        if planted.get("public_range"):
            from netaddr import IPSet
            assert IPSet(found["public_range"].split()) & IPSet([planted["public_range"]]), planted["id"]
        if planted["seen_in"] == "config":
            assert found["flag"] == "configured_not_declared"
        elif planted["seen_in"] == "sheet":
            assert found["flag"] in ("declared_not_configured", "declared_not_collected")


def test_demo_every_planted_disagreement_is_reported(demo, rules):
    inv, truth = demo
    exits, dis = reconcile_exits(inv, rules)
    planted = 0
    for p in truth["exits"]:
        eid = _find(exits, p).iloc[0]["exit"]
        fields = set(dis[dis["exit"] == eid]["field"])
        for f in p["disagreements"]:
            planted += 1
            assert f in fields, (p["id"], f, fields)
    assert planted and len(dis) == planted      # and nothing that was not planted


def test_demo_dispositions_equal_the_ground_truth(demo, rules):
    """The ground truth says keep_mandated, keep_until_contract_end, else migrate; the plan also
    tells exits with services to move (migrate) from those simply closed (decommission), so a
    planted 'migrate' is 'migrate' exactly when its services can be seen: the sheet's services
    column, or NAT server/static rules on the exit's device."""
    inv, truth = demo
    exits, _ = reconcile_exits(inv, rules)
    plan = plan_exits(inv, rules).tables["exits"]
    nat = inv["nat"]
    published = set(nat[nat["kind"].isin(["server", "static"])]["device"])
    for p in truth["exits"]:
        eid = _find(exits, p).iloc[0]["exit"]
        got = plan[plan["exit"] == eid]["disposition"].item()
        want = p["disposition"]
        if want == "migrate":
            visible = (p["services"] and p["seen_in"] != "config") or (p.get("device") in published)
            want = "migrate" if visible else "decommission"
        assert got == want, (p["id"], p["department"], got, want)
    assert truth["contract_cutoff"] == rules.plan_date


def test_metrics_count_the_exits_the_plan_counts_under_the_same_rules():
    from netconsol.analyze import compute_metrics

    c = City()
    c.device("R3", "局C")
    c.config_exit("R3", "G0/1", carrier="China Mobile", department="局C")
    c.sheet_exit("局C", carrier="China Mobile")          # joined only by department and carrier
    inv = c.inventory()
    rules = load_exit_rules(RULES)
    only_ranges = with_rules(rules, match_by=("range",))

    def city_exits(r):
        m = compute_metrics(inv, exit_rules=r)
        return int(m[(m.level == "city") & (m.metric == "exits")].value.iloc[0])

    assert city_exits(rules) == len(plan_exits(inv, rules).tables["exits"]) == 1
    assert city_exits(only_ranges) == len(plan_exits(inv, only_ranges).tables["exits"]) == 2
    # each plan row names the exits rows it joins: what the topology page colours
    row = plan_exits(inv, rules).tables["exits"].iloc[0]
    assert (row.sheet_exit, row.config_exit) == ("S-001", "C-R3:G0/1")


def test_one_line_declared_in_two_sheet_rows_is_one_exit(rules):
    c = City()
    c.device("FW9", "局E")
    c.config_exit("FW9", "G0/1", "203.0.113.40/30", "China Unicom", "局E")
    c.sheet_exit("局E", public="203.0.113.40/30", carrier="China Unicom", bandwidth=100.0)
    c.sheet_exit("局E", public="203.0.113.40/30", carrier="China Unicom", fee=36000.0)   # the same line again
    c.sheet_exit("局F", public="203.0.113.40/30", carrier="China Unicom")                 # another department's claim
    c.sheet_exit("局E", carrier="China Telecom", bandwidth=50.0)                          # no range: a line of its own
    c.sheet_exit("局E", carrier="China Telecom", bandwidth=50.0)
    inv = c.inventory()
    exits, _ = reconcile_exits(inv, rules)
    line = exits[exits.sheet_exit == "S-001 S-002"]
    assert len(line) == 1 and line.iloc[0].config_exit == "C-FW9:G0/1" and line.iloc[0].match_by == "range"
    assert (line.iloc[0].bandwidth_mbps, line.iloc[0].fee_yuan_year) == (100.0, 36000.0)   # each row's own fields
    assert line.iloc[0].sheet_location == "row 2 row 3"
    assert set(exits.sheet_exit) == {"S-001 S-002", "S-003", "S-004", "S-005"}
    plan = plan_exits(inv, rules).tables["exits"]
    assert len(plan) == 4                                   # was 5: the copied row counted as a second line
    assert "duplicate_sheet_rows" in plan[plan.sheet_exit == "S-001 S-002"].iloc[0].notes
    assert not plan[plan.sheet_exit != "S-001 S-002"].notes.str.contains("duplicate_sheet_rows").any()


def test_description_bandwidth_is_read_from_the_exits_own_port_only():
    """The bandwidth a description names comes from the config exit's own port: not from the same
    port name on another device, nor from another port of its device."""
    c = City()
    c.unit("区教育局", "薛城区")
    c.device("XC-JY-FW01", "区教育局", "薛城区").device("XC-JY-SW01", "区教育局", "薛城区")
    c.config_exit("XC-JY-FW01", "GigabitEthernet1/0/1", "203.0.113.0/29", "China Unicom", "区教育局", "薛城区",
                  description="TO-CU 互联网专线 300M")
    c.config_exit("XC-JY-FW01", "GigabitEthernet1/0/9", "203.0.113.8/29", "China Unicom", "区教育局", "薛城区")
    # the same port name elsewhere, and another port of the exit's device, each naming a bandwidth
    c.rows.add("interfaces", {"device": "XC-JY-SW01", "interface": "GigabitEthernet1/0/9",
                              "description": "uplink 1000M", "source": "configs/XC-JY-SW01.cfg", "location": "line 3"})
    c.rows.add("interfaces", {"device": "XC-JY-FW01", "interface": "GigabitEthernet1/0/2",
                              "description": "专线 50M", "source": "configs/XC-JY-FW01.cfg", "location": "line 4"})
    exits, _ = reconcile_exits(c.inventory())
    own = _by_config(exits, "C-XC-JY-FW01:GigabitEthernet1/0/1")
    assert own["bandwidth_mbps"] == 300
    other = _by_config(exits, "C-XC-JY-FW01:GigabitEthernet1/0/9")
    assert other["bandwidth_mbps"] is None or other["bandwidth_mbps"] != other["bandwidth_mbps"] \
        or str(other["bandwidth_mbps"]) == "<NA>"
