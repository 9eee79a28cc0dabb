"""The merge plan's reasons are codes in the analyzer and words in the renderer.

analyze/merge.py writes stable reason codes with parameters into its prose columns
(rationale, ambiguity, action_reason, attach_note, nat reason, conflict and isolation detail);
render/merge.py words them in zh and en.  The wording of each code is pinned here in both
languages, including the codes the demo and the other merge-plan tests never produce.
"""
import re

import pytest

from netconsol.analyze.merge import merge_tables, parse_reasons, reason, reasons
from netconsol.domains import load_domain_rules
from netconsol.render.merge import REASON_COLUMNS, word_reasons, worded

from test_merge_plan import RULES, City, _row  # (tests/plans is on sys.path: rootdir imports)

CODE = re.compile(r"^[a-z_]+$")


@pytest.fixture(scope="module")
def rules():
    return load_domain_rules(RULES)


def test_a_reason_cell_round_trips_whatever_its_values_hold():
    cell = reasons(reason("acting", network="a b;c"), reason("nat", pool="10.0.0.0/29"), "",
                   reason("x", v="50% = half; 或者 一半", empty=""))
    assert parse_reasons(cell) == [("acting", {"network": "a b;c"}), ("nat", {"pool": "10.0.0.0/29"}),
                                   ("x", {"v": "50% = half; 或者 一半", "empty": ""})]
    assert parse_reasons("") == [] and parse_reasons(None) == []


def _small_city():
    c = City()
    c.network("oa", purpose="OA", public_facing=False, prefixes=["10.1.8.0/24"])      # in the public pool
    c.network("blank", purpose="", public_facing=None, classified=None)               # no addresses
    c.network("big", purpose="OA", public_facing=False, prefixes=["10.0.0.0/17"])    # NAT: too many to move
    return c


def test_the_analyzer_writes_codes_and_the_renderer_words_them(rules):
    res = merge_tables(_small_city().inv(), rules)
    assert not any(c.endswith(("_zh", "_en")) for c in res.assignment.columns)
    seen = set()
    for table, col in REASON_COLUMNS:
        for cell in getattr(res, table)[col]:
            for code, params in parse_reasons(cell):
                assert CODE.match(code), (table, col, cell)
                seen.add(code)
            for lang in ("zh", "en"):
                assert word_reasons(cell, lang, rules, col) or not cell
    assert {"rule", "no_prefixes", "over_addresses", "nat", "acting"} <= seen, seen
    r = _row(res.networks, "big")
    assert parse_reasons(r["action_reason"])[0] == ("over_addresses", {"n": "32768", "limit": "16384"})
    en, labels = worded(res, rules, "en")
    words = _row(en.networks, "big")["action_reason"]
    assert words.startswith("32,768 addresses to move, more than 16,384; NAT at the department edge through ")
    assert labels["action_reason"][words]["zh"].startswith("需迁移地址32,768个，超过阈值16,384个；在部门边界做NAT")
    zh, _ = worded(res, rules, "zh")
    assert _row(zh.networks, "blank")["action_reason"] == "清单中没有该网络的地址段：迁移前需补充其地址。"
    assert res.networks.equals(merge_tables(_small_city().inv(), rules).networks)   # codes are stable


@pytest.mark.parametrize("column,cell,zh,en", [
    ("action_reason", reasons(reason("over_devices", n=21, limit=20), reason("over_interfaces", n=1201, limit=200),
                              reason("nat", pool="10.1.0.0/29")),
     "需改址设备21台，超过阈值20台；需改址接口地址1201个，超过阈值200个；在部门边界做NAT，NAT地址池10.1.0.0/29",
     "21 devices to readdress, more than 20; 1201 interface addresses to change, more than 200; NAT at the "
     "department edge through 10.1.0.0/29"),
    ("action_reason", reason("no_pool", target="extranet_public"),
     "没有extranet_public的地址池，无法改址或分配NAT地址池：请在清单中给出该域的地址段。",
     "No address pool for extranet_public: neither renumbering nor a NAT pool is possible; give the domain's "
     "ranges in the manifest."),
    ("reason", reasons(reason("rule_nat", rule="R9"), reason("nat_pool_full", target="extranet_admin", plen=28)),
     "规则R9要求NAT；地址池extranet_admin连/28的NAT地址池也无法分配，需扩充地址池",
     "rule R9 asks for NAT; the pool extranet_admin cannot even hold a /28 NAT pool: enlarge the pool"),
    ("attach_note", reasons(reason("no_devices"), reason("city_core", device="CORE-1")),
     "清单中没有该网络的设备；市直单位，建议接入核心CORE-1",
     "no device of this network in the inventory; city level: suggested core CORE-1"),
    ("detail", reason("overlaps_allocation", prefix="10.1.0.0/24", block="10.1.0.0/22", owner="x",
                      target="extranet_public"),
     "10.1.0.0/24与分配给x（extranet_public）的10.1.0.0/22重叠",
     "10.1.0.0/24 overlaps 10.1.0.0/22 allocated to x (extranet_public)"),
    ("detail", reason("bridged_kept", network="gongan", device="GA-R1", extranet_device="PE-1"),
     "保留的纵向网络gongan的设备GA-R1直接连到政务外网设备PE-1，应经网闸或前置交换服务器",
     "kept network gongan: its device GA-R1 is linked to the extranet device PE-1: exchange must go through a "
     "gap or front-end server"),
    ("detail", reasons(reason("acting", network="n1"), reason("vrf_split")),
     "n1：与同一VRF内的网络地址重叠，为其单独建立VRF（独立RD/RT），无需改址。",
     "n1: Overlaps a network of the same VRF: it gets a VRF of its own (its own RD/RT); no renumbering."),
    ("ambiguity", reasons(reason("unknown_facts", rule="R1", target="intranet", facts="classified purpose"),
                          reason("default_rule")),
     "“是否涉密、用途”未知，规则R1（电子政务内网）可能适用；无规则与已知情况相符，按默认规则处理",
     "classified, purpose unknown: rule R1 (the e-government intranet) might apply; no rule matched the known "
     "facts; the default rule applied"),
])
def test_each_code_in_both_languages(rules, column, cell, zh, en):
    assert word_reasons(cell, "zh", rules, column) == zh
    assert word_reasons(cell, "en", rules, column) == en


def test_a_rationale_fills_the_rules_sentence_and_says_a_blank_purpose(rules):
    cell = reasons(reason("rule", id="R4", name="网站群", purpose=""))
    assert word_reasons(cell, "en", rules, "rationale").startswith("网站群 serves citizens and companies "
                                                                  "(purpose not stated)")
    assert "（用途未填）" in word_reasons(cell, "zh", rules, "rationale")
