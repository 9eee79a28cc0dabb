"""The merge plan (issue #6): domain rules, address conflicts, renumber/NAT allocation, attach
points, waves, the isolation check, exports, and the demo city against its ground truth.

Small inventories are built row by row, the way the manifest attribution and the config parsers
write them (networks, prefixes, devices, interfaces); the last tests run the whole chain on the
demo city.
"""
import json
import random
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from netaddr import IPAddress, IPNetwork, IPSet

from netconsol.analyze.merge import assign_domains as _assign_domains, merge_tables as _merge_tables
from netconsol.render.merge import plan_merge, word_reasons, worded
from netconsol.cli import cli
from netconsol.domains import decide, load_domain_rules
from netconsol.errors import RulesError
from netconsol.inventory import Inventory, Rows
from netconsol.render.plans import FORMATS, LANGS, write_plan

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "netconsol" / "rules" / "domains.yaml"


# The analyzer's prose columns hold reason codes; these tests read them as the plan words them.
def assign_domains(inv, rules):
    """The assignment table with its rationale and ambiguity worded (``*_zh``, ``*_en``)."""
    a = _assign_domains(inv, rules)
    for col in ("rationale", "ambiguity"):
        for lang in ("zh", "en"):
            a[f"{col}_{lang}"] = [word_reasons(c, lang, rules, col) for c in a[col]]
    return a


def merge_tables(inv, rules, **kw):
    """The merge plan's tables with their reason columns in English, as the plan document shows them."""
    return worded(_merge_tables(inv, rules, **kw), rules)[0]


# ---- building inventories ----------------------------------------------------------------------
class City:
    """Rows of a small city: the two extranet domains with their pools, private networks, devices."""

    def __init__(self, admin_pool="10.0.0.0/16", public_pool="10.1.0.0/16"):
        self.rows = Rows()
        self.pools = {"extranet_admin": admin_pool, "extranet_public": public_pool}
        self.network("extranet-admin", kind="extranet_admin", department="市大数据局", purpose="行政办公",
                     prefixes=[admin_pool], classified=False)
        self.network("extranet-public", kind="extranet_public", department="市大数据局", purpose="便民服务",
                     prefixes=[public_pool], classified=False)

    def network(self, nid, kind="gov_private", department="", purpose="", classified=False, vertical_ministry="",
                on_extranet=None, public_facing=None, tags="", prefixes=(), name="", district="",
                origin="manifest"):
        self.rows.add("networks", {
            "network": nid, "name": name or nid, "kind": kind, "department": department or f"{nid}局",
            "district": district, "purpose": purpose, "classified": classified,
            "vertical_ministry": vertical_ministry, "on_extranet": on_extranet, "public_facing": public_facing,
            "tags": tags, "attributed_by": "manifest", "source": "inventory.yaml", "location": f"networks.{nid}"})
        for p in prefixes:
            self.prefix(p, nid, origin=origin, department=department or f"{nid}局")
        return self

    def prefix(self, p, network, origin="manifest", device="", interface="", vrf="", department=""):
        self.rows.add("prefixes", {
            "prefix": str(IPNetwork(p).cidr), "family": IPNetwork(p).version, "network": network, "vrf": vrf,
            "department": department, "device": device, "interface": interface, "origin": origin,
            "attributed_by": "manifest" if network else "", "source": "inventory.yaml" if origin != "interface"
            else f"configs/{device}.cfg", "location": f"networks.{network}.prefixes" if origin != "interface"
            else f"line {len(self.rows['prefixes']) + 1}"})

    def device(self, host, network="", role="router", department="", district=""):
        self.rows.add("devices", {"device": host, "vendor": "huawei", "platform": "vrp", "network": network,
                                  "role": role, "department": department, "district": district,
                                  "attributed_by": "manifest", "source": f"configs/{host}.cfg", "location": "file"})
        return self

    def iface(self, host, interface, address, network, vrf="", department=""):
        n = IPNetwork(address)
        self.rows.add("interfaces", {"device": host, "interface": interface, "kind": "physical",
                                     "address": address, "ip": str(n.ip), "prefixlen": n.prefixlen,
                                     "subnet": str(n.cidr), "family": n.version, "vrf": vrf, "admin_up": True,
                                     "source": f"configs/{host}.cfg", "location": f"line {len(self.rows['interfaces'])}"})
        self.prefix(str(n.cidr), network, origin="interface", device=host, interface=interface, vrf=vrf,
                    department=department)
        return self

    def nat_server(self, host, inside, outside):
        self.rows.add("nat", {"device": host, "kind": "server", "interface": "GigabitEthernet0/0/1",
                              "inside": inside, "outside": outside, "protocol": "tcp", "inside_port": "80",
                              "outside_port": "80", "source": f"configs/{host}.cfg", "location": "line 40"})

    def exit(self, eid, host, interface, public_range):
        self.rows.add("exits", {"exit": eid, "origin": "config", "device": host, "interface": interface,
                                "public_range": public_range, "source": f"configs/{host}.cfg", "location": "line 9"})

    def inv(self) -> Inventory:
        inv = Inventory.from_rows(self.rows)
        assert inv.validate() == []
        return inv


@pytest.fixture(scope="module")
def rules():
    return load_domain_rules(RULES)


def _row(df, network):
    hit = df[df["network"] == network]
    assert len(hit) == 1, (network, hit)
    return hit.iloc[0]


def _rules_file(tmp_path, mutate, name="domains.yaml"):
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---- the rules -----------------------------------------------------------------------------------
def seven(city=None):
    """One network per default rule, each with every fact known."""
    c = city or City()
    c.network("shemi", purpose="涉密公文传输", classified=True, public_facing=False, prefixes=["10.200.0.0/16"])
    c.network("gongan", kind="business_private", purpose="视频监控", vertical_ministry="公安部", on_extranet=False,
              public_facing=False, prefixes=["10.10.0.0/16"])
    c.network("renshe", kind="business_private", purpose="社保经办", vertical_ministry="人力资源和社会保障部",
              on_extranet=True, public_facing=False, prefixes=["192.168.10.0/24"])
    c.network("wangzhan", purpose="门户网站群", public_facing=True, prefixes=["172.30.0.0/24"])
    c.network("oa", purpose="OA与公文流转", public_facing=False, prefixes=["172.31.0.0/24"])
    c.network("jiaohuan", purpose="数据共享交换", public_facing=False, tags="exchange-client",
              prefixes=["172.29.0.0/24"])
    c.network("chengguan", purpose="数字城管外勤站点", public_facing=False, tags="remote-sites no-leased-line",
              prefixes=["172.28.0.0/24"])
    c.network("huanjing", purpose="环境监测", public_facing=None, prefixes=["172.27.0.0/24"])
    return c


def test_each_default_rule_is_exercised_and_named_in_the_rationale(rules):
    a = assign_domains(seven().inv(), rules)
    want = {"shemi": ("R1", "intranet", "record"), "gongan": ("R2", "keep", "gap"),
            "renshe": ("R3", "extranet_vpn", "vrf"), "wangzhan": ("R4", "extranet_public", "vrf"),
            "oa": ("R5", "extranet_admin", "vrf"), "jiaohuan": ("R6", "extranet_public", "frontend"),
            "chengguan": ("R7", "extranet_admin", "ipsec"), "huanjing": ("default", "extranet_admin", "vrf")}
    assert set(a["network"]) == set(want)  # the extranet domains themselves are not planned
    for nid, (rule, target, method) in want.items():
        r = _row(a, nid)
        assert (r["rule"], r["target"], r["method"]) == (rule, target, method), nid
        if rule != "default":
            assert f"R{rule[1]}" in r["rationale_zh"] and f"rule {rule}" in r["rationale_en"], nid
        else:
            assert "default rule" in r["rationale_en"] and "默认规则" in r["rationale_zh"]
    # R7 only sets the method; the domain comes from the rule after it
    assert _row(a, "chengguan")["domain_rule"] == "R5"
    assert "rule R5" in _row(a, "chengguan")["rationale_en"]


def test_r7_domain_follows_the_later_rules(rules):
    c = City()
    c.network("kiosk", purpose="便民服务自助终端，外勤", public_facing=True, tags="remote-sites")
    r = _row(assign_domains(c.inv(), rules), "kiosk")
    assert (r["rule"], r["domain_rule"], r["target"], r["method"]) == ("R7", "R4", "extranet_public", "ipsec")


def test_ambiguity_missing_facts_and_competing_rules(rules):
    c = City()
    c.network("known", purpose="OA", public_facing=False)
    c.network("blank-classified", purpose="OA", public_facing=False, classified=None)
    c.network("blank-purpose", purpose="", public_facing=None)
    c.network("both", purpose="公积金数据共享交换", public_facing=False, tags="exchange-client")
    a = assign_domains(c.inv(), rules)
    assert not _row(a, "known")["ambiguous"]
    r = _row(a, "blank-classified")
    assert r["ambiguous"] and r["target"] == "extranet_admin"
    assert "classified unknown: rule R1" in r["ambiguity_en"] and "是否涉密" in r["ambiguity_zh"]
    r = _row(a, "blank-purpose")
    assert r["ambiguous"] and "purpose" in r["ambiguity_en"]
    r = _row(a, "both")
    assert r["rule"] == "R6" and r["ambiguous"] and "also matches rule R5" in r["ambiguity_en"]
    # a network nobody gave addresses for moves with nothing to change, but the plan says so
    r = _row(merge_tables(c.inv(), rules).networks, "known")
    assert r["action"] == "none" and "No address range" in r["action_reason"]


def test_keywords_fold_width_and_match_ascii_words_whole(rules):
    base = {"kind": "gov_private", "classified": False, "vertical_ministry": "", "tags": "", "name": "x",
            "public_facing": None}
    assert decide(rules, dict(base, purpose="ＯＡ系统")).rule == "R5"      # full-width OA
    assert decide(rules, dict(base, purpose="Board meetings archive")).rule == "default"   # no 'oa' inside words
    assert decide(rules, dict(base, purpose="12345热线")).rule == "R4"


@pytest.mark.parametrize("mutate,words", [
    (lambda d: d["rules"][6]["when"][0].update(field="colour"), ["rules[6] (R5)", "when[0].field", "'colour'"]),
    (lambda d: d["rules"][2]["when"][1].update(op="roughly"), ["rules[2] (R3)", "when[1].op", "'roughly'"]),
    (lambda d: d["rules"][4].update(target="extranet_common"), ["rules[4] (R4)", "target", "'extranet_common'"]),
    (lambda d: d["rules"][4].update(method="teleport"), ["rules[4] (R4)", "method", "'teleport'"]),
    (lambda d: d["rules"][0]["when"][0]["any"][0].update(field="secret"),
     ["rules[0] (R1)", "when[0].any[0].field", "'secret'"]),
    (lambda d: d["rules"][3]["when"][0]["any"][0].update(keywords="nowhere"), ["rules[3] (R7)", "keywords", "'nowhere'"]),
    (lambda d: d["rules"][4].update(colour="red"), ["rules[4] (R4)", "unknown key 'colour'"]),
    (lambda d: d["rules"][4]["rationale"].update(en="{name} is {size}"), ["rules[4] (R4)", "rationale.en", "{size}"]),
    (lambda d: d["rules"].pop(), ["rules", "default"]),
    (lambda d: d["rules"][0].update(method="vrf"), ["rules[0] (R1)", "method", "record"]),
    (lambda d: d.update(growth="lots"), ["top level", "'growth'"]),
    (lambda d: d["nat_when"].update(devices_over=-1), ["nat_when.devices_over", "-1"]),
])
def test_rules_errors_name_file_rule_and_key(tmp_path, mutate, words):
    path = _rules_file(tmp_path, mutate)
    with pytest.raises(RulesError) as e:
        load_domain_rules(path)
    msg = str(e.value)
    assert str(path) in msg
    for w in words:
        assert w in msg, (w, msg)


def test_yaml_true_as_an_operator_name_is_the_operator(tmp_path):
    # `op: true` unquoted is a YAML boolean; it still means the operator 'true'
    path = _rules_file(tmp_path, lambda d: d["rules"][2]["when"][1].update(op=False))
    r = load_domain_rules(path)
    assert r.rule("R3").when[1].op == "false"


def _classified_city():
    c = City()
    c.network("mi-web", purpose="门户网站", classified=True, public_facing=True, prefixes=["172.30.0.0/24"])
    c.network("mi-oa", purpose="OA", classified=True, public_facing=False, prefixes=["172.31.0.0/24"],
              vertical_ministry="国家保密局", on_extranet=True)
    return c


@pytest.mark.parametrize("order", ["r1_last", "r1_removed", "everything_public"])
def test_classified_never_goes_to_the_extranet_whatever_the_rule_order(tmp_path, order):
    def mutate(d):
        r1 = d["rules"].pop(0)
        if order == "r1_last":
            d["rules"].insert(len(d["rules"]) - 1, r1)
        elif order == "everything_public":
            for r in d["rules"]:
                if r["target"] in ("intranet", "keep", "extranet_admin", "extranet_vpn"):
                    r["target"], r["method"] = "extranet_public", "vrf"
    rules = load_domain_rules(_rules_file(tmp_path, mutate))
    inv = _classified_city().inv()
    a = assign_domains(inv, rules)
    for nid in ("mi-web", "mi-oa"):
        r = _row(a, nid)
        assert r["target"] == "intranet" and r["method"] == "record", (order, nid, r["target"])
        assert r["guard"] and r["ambiguous"] and "never join the extranet" in r["rationale_en"]
    res = merge_tables(inv, rules)
    n = res.networks
    assert set(n[n["network"].isin(["mi-web", "mi-oa"])]["action"]) == {"record"}
    assert n[n["network"].isin(["mi-web", "mi-oa"])]["wave"].isna().all()
    assert not res.allocations


# ---- addresses: renumbering, NAT, conflicts ----------------------------------------------------------
def _existing(inv, pools) -> IPSet:
    """Every prefix of the inventory except the pool declarations themselves."""
    pool_nets = [IPNetwork(p) for p in pools.values()]
    out = []
    for r in inv["prefixes"].itertuples(index=False):
        n = IPNetwork(r.prefix)
        if r.network in ("extranet-admin", "extranet-public") and any(p in n for p in pool_nets):
            continue
        out.append(n)
    return IPSet(out)


def test_renumber_into_an_aligned_free_block_with_a_map_that_keeps_host_offsets(rules):
    c = City(admin_pool="10.0.0.0/20")
    for i in range(0, 8):   # the pool's first half is in use
        c.prefix(f"10.0.{i}.0/24", "extranet-admin", origin="interface", device="PE", interface=f"Vlanif{i}")
    c.network("caizheng", purpose="预算与国库集中支付", public_facing=False,
              prefixes=["10.0.2.0/23", "192.168.7.0/25"])     # planted inside the pool, plus a clean block
    c.device("CZ-R01", "caizheng", department="caizheng局")
    c.iface("CZ-R01", "Vlanif10", "10.0.2.77/24", "caizheng")
    c.iface("CZ-R01", "Vlanif20", "10.0.3.1/25", "caizheng")
    c.iface("CZ-R01", "Vlanif30", "192.168.7.9/25", "caizheng")
    inv = c.inv()
    res = merge_tables(inv, rules)
    r = _row(res.networks, "caizheng")
    assert r["action"] == "renumber" and r["conflicts"] == 1
    ren = res.renumbering[res.renumbering["network"] == "caizheng"]
    assert list(ren["old_prefix"]) == ["10.0.2.0/23"]            # only the conflicting block moves
    block = IPNetwork(ren.iloc[0]["block"])
    assert block.prefixlen == 22                                  # 512 addresses × 2 = a /22
    assert block.first % block.size == 0 and block in IPNetwork("10.0.0.0/20")
    assert not (IPSet([block]) & _existing(inv, c.pools))
    new = IPNetwork(ren.iloc[0]["new_prefix"])
    assert new.prefixlen == 23 and new in block
    assert r["renumber_map"] == f"10.0.2.0/23→{new}"
    assert "192.168.7.0/25" in r["prefixes_after"].split() and str(new) in r["prefixes_after"].split()
    rd = res.readdressing.set_index("interface")
    assert rd.loc["Vlanif10", "new_address"] == f"{IPAddress(new.first + 77)}/24"   # host offset kept
    assert rd.loc["Vlanif20", "new_address"] == f"{IPAddress(new.first + 256 + 1)}/25"
    assert "Vlanif30" not in rd.index
    assert r["wave"] == 2


def test_the_larger_network_keeps_its_addresses_and_the_smaller_moves(rules):
    c = City()
    c.network("budongchan", purpose="不动产登记便民服务", public_facing=True, prefixes=["172.16.0.0/20"])
    c.network("gongjijin", purpose="公积金数据共享交换", public_facing=False, tags="exchange-client",
              prefixes=["172.16.8.0/22", "172.17.0.0/24"])
    c.network("shipin", purpose="视频会议", public_facing=False, prefixes=["172.16.12.0/24"])  # admin-bound
    res = merge_tables(c.inv(), rules)
    n = res.networks.set_index("network")
    assert n.loc["budongchan", "action"] == "none"
    assert n.loc["gongjijin", "action"] == "renumber" and n.loc["shipin", "action"] == "renumber"
    assert n.loc["gongjijin", "renumber_map"].startswith("172.16.8.0/22→10.1.")      # into the public pool
    assert n.loc["shipin", "renumber_map"].startswith("172.16.12.0/24→10.0.")        # into the admin pool
    conf = res.conflicts
    pair = conf[(conf["network"] == "gongjijin") & (conf["other"] == "budongchan")].iloc[0]
    assert pair["scope"] == "same_plan" and pair["proposal"] == "renumber" and pair["overlap"] == "172.16.8.0/22"
    # admin and public share one address plan: a cross-domain overlap is a conflict too
    assert ((conf["network"] == "shipin") & (conf["other"] == "budongchan")).any()
    # conflicting networks move together
    assert n.loc["budongchan", "wave"] == n.loc["gongjijin", "wave"] == n.loc["shipin", "wave"] == 2
    assert set(n.loc["budongchan", "moves_with"].split()) == {"gongjijin", "shipin"}


def test_vpn_networks_conflict_only_within_their_vrf(rules):
    c = City()
    c.network("renshe", kind="business_private", purpose="社保", vertical_ministry="人社部", on_extranet=True,
              public_facing=False, prefixes=["192.168.10.0/24"])
    c.network("yibao", kind="business_private", purpose="医保", vertical_ministry="医保局", on_extranet=True,
              public_facing=False, prefixes=["192.168.10.0/24"])
    c.network("renshe-xian", kind="business_private", purpose="社保", vertical_ministry="人社部", on_extranet=True,
              public_facing=False, prefixes=["192.168.10.128/25"])
    c.network("in-pool", kind="business_private", purpose="x", vertical_ministry="医保局", on_extranet=True,
              public_facing=False, prefixes=["10.0.5.0/24"])   # inside the admin pool, but in its own VRF
    res = merge_tables(c.inv(), rules)
    n = res.networks.set_index("network")
    assert n.loc["renshe", "action"] == "none" and n.loc["yibao", "action"] == "none"
    assert n.loc["renshe-xian", "action"] == "vrf_split" and n.loc["in-pool", "action"] == "none"
    conf = res.conflicts
    sep = conf[(conf["network"] == "renshe") & (conf["other"] == "yibao")].iloc[0]
    assert sep["scope"] == "separate" and sep["proposal"] == "separate"
    same = conf[(conf["network"] == "renshe-xian") & (conf["other"] == "renshe")].iloc[0]
    assert same["scope"] == "same_vrf" and same["proposal"] == "vrf_split"
    assert not res.allocations


def test_kept_and_intranet_networks_only_record_their_overlaps(rules):
    c = seven()
    c.network("chengguan2", purpose="数字城管外勤站点", public_facing=False, tags="remote-sites",
              prefixes=["10.10.8.0/21"])                        # inside the kept police network
    c.network("mi2", purpose="OA", classified=True, prefixes=["10.200.1.0/24"])
    res = merge_tables(c.inv(), rules)
    conf = res.conflicts
    for a, b in (("chengguan2", "gongan"), ("mi2", "shemi")):
        row = conf[((conf["network"] == a) & (conf["other"] == b)) | ((conf["network"] == b) & (conf["other"] == a))]
        assert len(row) == 1 and row.iloc[0]["proposal"] == "separate", (a, b)
    assert _row(res.networks, "chengguan2")["action"] == "none"


def test_nat_past_a_threshold_with_a_pool_sized_to_the_exposed_servers(rules):
    c = City(admin_pool="10.8.0.0/16", public_pool="10.0.0.0/14")
    c.network("jiaoyu", purpose="教育资源公共服务", public_facing=True, prefixes=["10.1.0.0/16", "172.20.0.0/16"])
    c.device("JY-R01", "jiaoyu")
    c.iface("JY-R01", "Vlanif10", "10.1.3.1/24", "jiaoyu")
    for k in range(3):
        c.nat_server("JY-R01", f"10.1.3.{10 + k}", f"192.0.2.{27 + k}")
    c.network("small", purpose="门户网站", public_facing=True, prefixes=["10.1.200.0/22"])
    c.device("S-R01", "small")
    # explicit pools: 10.1.0.0/16 is no pool any more but still the public network's own range,
    # so jiaoyu conflicts with it, and the NAT pool comes from the pool given
    res = merge_tables(c.inv(), rules, pools={"extranet_admin": ["10.8.0.0/16"], "extranet_public": ["10.4.0.0/16"]})
    r = _row(res.networks, "jiaoyu")
    assert r["action"] == "nat" and IPNetwork(r["nat_pool"]) in IPNetwork("10.4.0.0/16")
    assert _row(res.conflicts, "jiaoyu")["other_kind"] == "domain"
    res = merge_tables(c.inv(), rules)   # the default pools: 10.1.0.0/16 lies in the public pool
    r = _row(res.networks, "jiaoyu")
    assert r["action"] == "nat" and "65,536 addresses to move, more than 16,384" in r["action_reason"]
    pool = IPNetwork(r["nat_pool"])
    assert pool.prefixlen == 29            # 3 servers + 1 outbound = /30, but never below /29
    nat = _row(res.nat, "jiaoyu")
    assert nat["exposed_servers"] == 3 and nat["hidden_prefixes"] == "10.1.0.0/16"
    assert r["wave"] == 3
    # the hidden block still counts as taken: 'small' (inside it) must move
    assert _row(res.networks, "small")["action"] == "renumber"
    # the default NAT pool without servers is a /28
    c2 = City()
    c2.network("plain", purpose="门户网站", public_facing=True, prefixes=["10.1.0.0/17"])
    r2 = _row(merge_tables(c2.inv(), rules).networks, "plain")
    assert r2["action"] == "nat" and IPNetwork(r2["nat_pool"]).prefixlen == 28


def test_pool_exhaustion_falls_back_to_nat_with_a_reason(rules):
    c = City(admin_pool="10.0.0.0/24")
    for i in range(0, 256, 16):
        if i != 96:
            c.prefix(f"10.0.0.{i}/28", "extranet-admin", origin="interface", device="PE", interface=f"Vlanif{i}")
    c.network("big", purpose="OA", public_facing=False, prefixes=["10.0.0.0/26"])
    res = merge_tables(c.inv(), rules)
    r = _row(res.networks, "big")
    assert r["action"] == "nat" and r["nat_pool"] == "10.0.0.96/28"
    assert "pool extranet_admin has no free /26 (largest free block 16 addresses)" in r["action_reason"]
    # and when even the NAT pool does not fit, it is unresolved, said so
    c.prefix("10.0.0.96/28", "extranet-admin", origin="interface", device="PE", interface="Vlanif96")
    r = _row(merge_tables(c.inv(), rules).networks, "big")
    assert r["action"] == "unresolved" and "enlarge the pool" in r["action_reason"] and r["nat_pool"] == ""


def test_lan_segments_numbered_from_the_pools_stay_where_they_are(rules):
    c = City()
    c.network("town-lan", kind="lan", purpose="接入政务外网", classified=None,
              prefixes=["10.0.12.0/24", "10.1.14.0/24"], origin="sheet", department="临城街道办事处")
    c.device("XC-LC-AR01", "extranet-admin", role="access", department="临城街道办事处")
    c.iface("XC-LC-AR01", "Vlanif100", "10.0.12.1/24", "extranet-admin", vrf="admin")
    c.iface("XC-LC-AR01", "Vlanif200", "10.1.14.1/24", "extranet-public", vrf="public")
    c.network("other-lan", kind="lan", purpose="办公", prefixes=["10.0.12.128/25"], origin="sheet")
    res = merge_tables(c.inv(), rules)
    r = _row(res.networks, "town-lan")
    assert r["action"] == "none" and r["conflicts"] == 1 and res.isolation.empty
    # a LAN of another department on the same block is a conflict: the smaller one moves
    o = _row(res.networks, "other-lan")
    assert o["action"] == "renumber" and o["renumber_map"].startswith("10.0.12.128/25→10.0.")


def _stress_city(seed: int):
    """200 private networks on heavily overlapping RFC 1918 space, into pools that are nearly full."""
    rng = random.Random(seed)
    c = City(admin_pool="10.64.0.0/16", public_pool="10.65.0.0/16")
    for pool, net in (("10.64", "extranet-admin"), ("10.65", "extranet-public")):
        holes = set(rng.sample(range(256), 24))
        for i in range(256):
            if i in holes:
                # a hole, partly used: leaves free blocks of assorted sizes
                used = rng.choice([0, 0, 1, 2])
                for k in range(used):
                    c.prefix(f"{pool}.{i}.{rng.randrange(0, 256, 64)}/26", net, origin="interface",
                             device=f"PE{pool[-1]}", interface=f"Vlanif{i}-{k}")
                continue
            c.prefix(f"{pool}.{i}.0/24", net, origin="interface", device=f"PE{pool[-1]}", interface=f"Vlanif{i}")
    for k in range(200):
        prefixes = set()
        for _ in range(rng.choice([1, 1, 2, 3])):
            plen = rng.choice([22, 23, 24, 24, 25, 26])
            base = rng.choice(["172.16.0.0", "192.168.0.0", "10.64.0.0"])
            n = IPNetwork(f"{base}/{plen}")
            n = IPNetwork((n.first + rng.randrange(0, 64) * n.size, plen), version=4)
            prefixes.add(str(n))
        public = rng.random() < 0.4
        c.network(f"n{k:03d}", purpose="门户网站" if public else "OA", public_facing=public,
                  prefixes=sorted(prefixes))
        dev = f"D{k:03d}"
        c.device(dev, f"n{k:03d}")
        first = IPNetwork(sorted(prefixes)[0])
        c.iface(dev, "Vlanif1", f"{IPAddress(first.first + 1)}/{first.prefixlen}", f"n{k:03d}")
    return c


def test_stress_allocations_never_collide_with_anything(rules):
    c = _stress_city(2017)
    inv = c.inv()
    res = merge_tables(inv, rules)
    existing = _existing(inv, c.pools)
    blocks = [b for _, _, b in res.allocations]
    assert len(blocks) > 20
    taken = IPSet()
    for owner, purpose, b in res.allocations:
        target = _row(res.networks, owner)["target"]
        assert b in IPNetwork(c.pools[target]), (owner, b)
        assert b.first % b.size == 0
        assert not (IPSet([b]) & existing), (owner, b)
        assert not (IPSet([b]) & taken), (owner, b)
        taken.add(b)
    # the result is conflict-free: everything advertised in the shared plan is pairwise disjoint
    seen = IPSet()
    for r in res.networks.itertuples(index=False):
        after = IPSet(r.prefixes_after.split()) if r.prefixes_after else IPSet()
        if r.action in ("nat", "unresolved"):
            after = IPSet([x for x in r.prefixes_after.split()
                           if x not in _row(res.nat, r.network)["hidden_prefixes"].split()])
        if r.nat_pool:
            after.add(IPNetwork(r.nat_pool))
        assert not (after & seen), r.network
        seen |= after
        own = IPSet([b for o, _, b in res.allocations if o == r.network])
        pools = IPSet(c.pools.values())
        assert not ((after - own) & pools), r.network
    acts = set(res.networks["action"])
    assert {"renumber", "nat"} <= acts
    nat = res.networks[res.networks["action"] == "nat"]
    assert nat["action_reason"].str.contains("has no free").any()
    assert res.isolation.empty
    # deterministic
    again = merge_tables(c.inv(), rules)
    assert again.allocations == res.allocations and again.networks.equals(res.networks)


# ---- attach points, isolation --------------------------------------------------------------------
def _attached_city():
    c = City()
    c.device("PE1", "extranet-admin", role="pe", department="市大数据局", district="薛城区")
    c.device("CORE", "extranet-admin", role="core", department="市大数据局")
    c.device("CE1", "extranet-admin", role="ce", department="财政局")
    c.network("caizheng", department="财政局", purpose="OA", public_facing=False, prefixes=["172.16.0.0/20"])
    c.device("CZ-R1", "caizheng", department="财政局")
    c.device("CZ-R2", "caizheng", department="财政局")
    c.iface("CZ-R2", "g0/1", "172.16.9.2/30", "caizheng")
    c.iface("CZ-R1", "g0/1", "172.16.9.1/30", "caizheng")
    c.iface("CZ-R1", "g0/0", "172.16.1.1/30", "caizheng")
    c.iface("CE1", "g0/1", "172.16.1.2/30", "caizheng")
    c.iface("CE1", "g0/0", "10.0.255.2/30", "extranet-admin")
    c.iface("PE1", "g1/0/1", "10.0.255.1/30", "extranet-admin", vrf="admin")
    c.iface("CORE", "g1/0/1", "10.0.254.1/30", "extranet-admin")
    c.iface("PE1", "g1/0/0", "10.0.254.2/30", "extranet-admin")
    c.network("island", department="档案局", district="薛城区", purpose="OA", public_facing=False,
              prefixes=["172.18.0.0/24"])
    c.device("DA-R1", "island", department="档案局")
    c.iface("DA-R1", "g0/0", "172.18.0.1/24", "island")
    return c


def test_attach_point_is_the_nearest_pe_with_its_path(rules):
    res = merge_tables(_attached_city().inv(), rules)
    r = _row(res.networks, "caizheng")
    assert r["attach_point"] == "PE1" and r["attach_path"] == "CZ-R1 → CE1 → PE1" and r["attach_distance"] == 2
    r = _row(res.networks, "island")
    assert r["attach_point"] == "PE1" and r["attach_path"] == "" and pd_na(r["attach_distance"])
    assert "no link from the network's devices" in r["attach_note"] and "suggested by district" in r["attach_note"]


def pd_na(v):
    import pandas as pd
    return v is pd.NA or v is None


def test_isolation_violations_are_rows(rules):
    c = _attached_city()
    # the PE port facing caizheng's CE sits in the public VRF while caizheng goes to admin
    c.network("web", purpose="门户网站", public_facing=True, prefixes=["172.19.0.0/24"])
    c.device("W-R1", "web")
    c.iface("W-R1", "g0/0", "10.1.255.2/30", "web")
    c.iface("PE1", "g1/0/9", "10.1.255.1/30", "web", vrf="public")
    c.iface("PE1", "g1/0/8", "10.0.250.1/30", "extranet-admin", vrf="admin")
    c.iface("W-R1", "g0/8", "10.0.250.2/30", "extranet-admin")          # web also hangs in the admin VRF
    # a classified network wired to the PE
    c.network("mi", purpose="OA", classified=True, prefixes=["10.200.0.0/24"])
    c.device("MI-R1", "mi")
    c.iface("MI-R1", "g0/0", "10.200.9.2/30", "mi")
    c.iface("PE1", "g1/0/7", "10.200.9.1/30", "mi")
    # an exit on a device carrying both domains
    c.device("X-R1", "", department="某局")
    c.iface("X-R1", "g0/8", "172.16.14.1/24", "caizheng")
    c.iface("X-R1", "g0/9", "172.19.0.1/24", "web")
    c.exit("X-1", "X-R1", "g0/2", "192.0.2.8/30")
    res = merge_tables(c.inv(), rules)
    iso = res.isolation
    checks = set(iso["check"])
    assert {"vrf_binding", "bridged", "exit_both_domains"} <= checks, iso
    v = iso[iso["check"] == "vrf_binding"].iloc[0]
    assert (v["network"], v["device"], v["interface"], v["vrf"]) == ("web", "PE1", "g1/0/8", "admin")
    b = iso[iso["check"] == "bridged"].iloc[0]
    assert (b["network"], b["device"]) == ("mi", "PE1")
    x = iso[iso["check"] == "exit_both_domains"].iloc[0]
    assert x["device"] == "X-R1" and "X-1" in x["detail"]
    s = res.summary.set_index(["metric", "item"])["value"]
    assert s[("isolation_violations", "")] == len(iso)


def test_isolation_reads_a_vrfs_domain_from_the_prefixes_in_its_context(rules):
    """A PE VRF whose name no rule knows is a domain's by the domain prefixes configured in it: the
    check reads those prefixes (only for the contexts it asks about), and still finds the binding."""
    c = _attached_city()
    c.network("web", purpose="门户网站", public_facing=True, prefixes=["172.19.0.0/24"])
    c.device("W-R1", "web")
    c.iface("W-R1", "g0/0", "10.1.255.2/30", "web")
    c.iface("PE1", "g1/0/9", "10.1.255.1/30", "web", vrf="vpn-07")
    c.iface("PE1", "g1/0/8", "10.0.250.1/30", "extranet-admin", vrf="vpn-03")   # admin, by its prefix only
    c.iface("W-R1", "g0/8", "10.0.250.2/30", "extranet-admin")
    assert not any("vpn-03" in names for names in rules.vrf_names.values())
    iso = merge_tables(c.inv(), rules).isolation
    v = iso[iso["check"] == "vrf_binding"]
    assert [tuple(r) for r in v[["network", "device", "interface", "vrf"]].itertuples(index=False)] == \
        [("web", "PE1", "g1/0/8", "vpn-03")], iso


def test_isolation_catches_a_prefix_in_the_other_domains_pool(tmp_path, rules):
    # with admin and public as separate plans nothing moves an admin network out of the public pool,
    # and the isolation check is what says so
    separate = load_domain_rules(_rules_file(tmp_path, lambda d: d["address_plans"].update(shared=[])))
    c = City()
    c.network("oa", purpose="OA", public_facing=False, prefixes=["10.1.7.0/24"])
    assert _row(merge_tables(c.inv(), separate).isolation, "oa")["check"] == "prefix_in_other_domain"
    assert merge_tables(c.inv(), rules).isolation.empty      # shared plan: it is renumbered instead


# ---- exports -------------------------------------------------------------------------------------
def _all_outputs(plan, out: Path) -> dict:
    files = {}
    for lang in LANGS:
        for fmt in FORMATS:
            d = out / f"{fmt}-{lang}"
            d.mkdir(parents=True)
            for p in write_plan(plan, fmt, d if fmt == "csv" else d / f"merge.{fmt}", lang):
                assert d in p.parents
                files[str(p.relative_to(out))] = p.read_bytes()
    return files


def test_two_runs_give_byte_identical_plans_in_every_format(tmp_path, rules):
    c = _stress_city(7)
    one = _all_outputs(plan_merge(c.inv(), rules), tmp_path / "one")
    two = _all_outputs(plan_merge(_stress_city(7).inv(), load_domain_rules(RULES)), tmp_path / "two")
    assert one.keys() == two.keys() and len(one) == 2 * (8 + 3)
    for k in one:
        assert one[k] == two[k], k


def test_exports_carry_labels_in_both_languages(tmp_path, rules):
    plan = plan_merge(seven().inv(), rules, snapshot="snap")
    en = json.loads(_all_outputs(plan, tmp_path)["json-en/merge.json"])
    nets = {r["network"]: r for r in en["tables"]["networks"]["rows"]}
    assert nets["oa"]["target"] == "extranet_admin" and nets["oa"]["rule"] == "R5"
    cols = {c["id"]: c for c in en["tables"]["networks"]["columns"]}
    assert cols["target"]["label_zh"] == "目标域" and cols["target"]["label_en"] == "target"
    zh_csv = (tmp_path / "csv-zh" / "networks.csv").read_text(encoding="utf-8-sig")
    assert "政务外网行政服务域" in zh_csv and "按规则R5" in zh_csv      # rationale in Chinese
    en_md = (tmp_path / "md-en" / "merge.md").read_text(encoding="utf-8")
    assert "rule R5 moves it into the extranet administrative service domain" in en_md


def test_cli_plan_merge(tmp_path):
    c = seven()
    snap = c.inv().save(tmp_path / "snap")
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(cli, ["plan", "merge", str(snap), "--format", "csv", "--lang", "en", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in (
        "summary", "networks", "conflicts", "renumbering", "readdressing", "nat", "waves", "isolation"))
    bad = tmp_path / "rules"
    bad.mkdir()
    _rules_file(bad, lambda d: d["rules"][6]["when"][0].update(field="colour"))
    res = runner.invoke(cli, ["plan", "merge", str(snap), "--rules", str(bad), "--out", str(tmp_path / "x.md"),
                              "--format", "md"])
    assert res.exit_code != 0 and "colour" in res.output and "rules[6] (R5)" in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = runner.invoke(cli, ["plan", "merge", str(snap), "--out", "../evil.md", "--format", "md"])
    assert res.exit_code != 0 and "'..'" in res.output
    res = runner.invoke(cli, ["plan", "merge", "--help"])
    assert res.exit_code == 0 and "netconsol plan merge" in res.output.split("Example")[-1]


# ---- the demo city ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The committed demo (inventories/zaozhuang-demo) or, when absent, the same case written by
    netconsol.generate into a temporary directory."""
    path = ROOT / "inventories" / "zaozhuang-demo"
    if not (path / "ground_truth.json").is_file():
        from netconsol.generate import generate_city
        path = tmp_path_factory.mktemp("demo") / "zaozhuang-demo"
        generate_city(path)
    from netconsol.collectors import collect
    inv = collect([path])
    truth = json.loads((path / "ground_truth.json").read_text(encoding="utf-8"))
    return inv, truth


@pytest.fixture(scope="module")
def demo_plan(demo, rules):
    inv, _ = demo
    return merge_tables(inv, rules)


def test_demo_targets_and_rules_equal_the_ground_truth(demo, demo_plan):
    _, truth = demo
    n = demo_plan.networks.set_index("network")
    checked = 0
    for t in truth["networks"]:
        if t["rule"] is None and t["kind"] == "lan":   # the data centre's LAN, numbered from the admin pool
            assert (n.loc[t["id"], "target"], n.loc[t["id"], "rule"]) == (t["target"], "on_extranet")
            continue
        if t["rule"] is None:                      # already an extranet domain: not planned
            assert t["id"] not in n.index
            continue
        assert (n.loc[t["id"], "target"], n.loc[t["id"], "rule"]) == (t["target"], t["rule"]), t["id"]
        checked += 1
    assert checked == truth["totals"]["private_networks"]


def test_demo_every_planted_conflict_gets_a_proposal(demo, demo_plan):
    _, truth = demo
    domains = {n["id"]: n["kind"] for n in truth["networks"] if n["rule"] is None}
    conf = demo_plan.conflicts
    n = demo_plan.networks.set_index("network")
    for o in truth["overlaps"]:
        a, b = o["networks"]
        if a in domains or b in domains:
            net, pool = (b, domains[a]) if a in domains else (a, domains[b])
            rows = conf[(conf["network"] == net) & (conf["other"] == pool) & (conf["other_kind"] == "pool")]
            assert len(rows) == 1, o
            assert rows.iloc[0]["proposal"] in ("renumber", "nat"), o
            assert n.loc[net, "action"] == rows.iloc[0]["proposal"]
        else:
            rows = conf[((conf["network"] == a) & (conf["other"] == b)) | ((conf["network"] == b) & (conf["other"] == a))]
            assert len(rows) == 1, o
            assert rows.iloc[0]["proposal"] in ("renumber", "nat", "vrf_split", "separate"), o
        overlap = IPSet(rows.iloc[0]["overlap"].split())
        planted = IPSet([x for pair in o["prefixes"] for x in pair[:1]]) & IPSet([x for pair in o["prefixes"]
                                                                                  for x in pair[1:]])
        assert overlap == planted or overlap <= planted or planted <= overlap, o
    # what an architect expects of the canonical six
    p = {(r.network, r.other): r.proposal for r in conf.itertuples()}
    assert p[("caizheng", "extranet_admin")] == "renumber"
    assert p[("jiaoyu", "extranet_public")] == "nat"
    assert p[("gongjijin", "budongchan")] == "renumber"
    assert p[("shipin", "rexian-12345")] == "renumber"
    assert p[("renshe", "yibao")] == "separate" and p[("chengguan", "gongan-video")] == "separate"


def test_demo_allocations_fit_their_pools_and_nothing_else(demo, demo_plan):
    inv, truth = demo
    existing = _existing(inv, truth["pools"])
    taken = IPSet()
    for owner, _, b in demo_plan.allocations:
        target = demo_plan.networks.set_index("network").loc[owner, "target"]
        assert b in IPNetwork(truth["pools"][target])
        assert not (IPSet([b]) & existing) and not (IPSet([b]) & taken)
        taken.add(b)
    # every interface inside a moved prefix has its new address
    rd = demo_plan.readdressing
    p = inv["prefixes"]
    for r in demo_plan.renumbering.itertuples():
        old = IPNetwork(r.old_prefix)
        own = p[(p["network"] == r.network) & (p["origin"] == "interface")]
        keys = {(d, i) for d, i, x in zip(own["device"], own["interface"], own["prefix"]) if IPNetwork(x) in old}
        got = rd[rd["network"] == r.network]
        assert set(zip(got["device"], got["interface"])) == keys and keys, r.network
        for a, b in zip(got["old_address"], got["new_address"]):
            assert IPNetwork(b) in IPNetwork(r.block) and IPNetwork(a).prefixlen == IPNetwork(b).prefixlen
    # classified and kept networks have no wave; the extranet is reached from every moved network
    n = demo_plan.networks.set_index("network")
    assert pd_na(n.loc["shemi", "wave"]) and pd_na(n.loc["gongan-video", "wave"])
    moved = n[n["target"].str.startswith("extranet")]
    assert (moved["attach_point"] != "").all()
    assert n.loc["renshe", "attach_path"] == "RS-R01 → ZZ-CORE-01"


def test_demo_plan_is_deterministic_in_every_format(demo, rules, tmp_path):
    inv, _ = demo
    one = _all_outputs(plan_merge(inv, rules, snapshot="demo"), tmp_path / "one")
    two = _all_outputs(plan_merge(inv, load_domain_rules(RULES), snapshot="demo"), tmp_path / "two")
    assert one == two
    assert re.search("专网整合方案", one["md-zh/merge.md"].decode())


def test_lans_the_extranet_already_numbers_need_no_review_but_private_networks_do(rules):
    c = City()
    c.network("town-lan", kind="lan", purpose="", classified=None, prefixes=["10.0.12.0/24"], origin="sheet")
    c.network("dept-lan", kind="lan", purpose="", classified=None, prefixes=["192.168.77.0/24"], origin="sheet")
    c.network("mystery", kind="gov_private", purpose="", classified=None, prefixes=["172.30.0.0/24"])
    a = assign_domains(c.inv(), rules).set_index("network")
    assert not a.loc["town-lan", "ambiguous"]          # inside the admin pool: already integrated
    assert a.loc["dept-lan", "ambiguous"]              # outside the plan, facts missing
    assert a.loc["mystery", "ambiguous"] and "classified" in a.loc["mystery", "ambiguity_en"]


def test_an_exit_public_block_is_not_part_of_the_network_space(rules):
    """A network's own listing of its carrier block (an exit's public range) is the exit plan's
    business: not counted, claimed or renumbered by the merge plan.  (The flag arrives as a
    nullable boolean cell, numpy's bool_: compared by value.)"""
    c = City()
    c.network("shebao", purpose="社保业务", prefixes=["192.168.5.0/24"])
    for p, public in (("203.0.113.8/29", True), ("198.51.100.0/29", True)):
        c.prefix(p, "shebao")
        c.rows["prefixes"][-1]["public"] = public
    c.exit("X-1", "SB-FW01", "GigabitEthernet0/0/1", "203.0.113.8/29")   # only the first is an exit's
    inv = c.inv()
    assert inv["prefixes"]["public"].dtype == "boolean"
    r = _row(merge_tables(inv, rules).networks, "shebao")
    assert r["addresses_before"] == 256 + 8                 # the exit's /29 left out, the other kept
    before = r["prefixes_before"].split()
    assert "203.0.113.8/29" not in before and "198.51.100.0/29" in before
