"""Carriers: every alias in rules/carriers.yaml, real sheet spellings, descriptions, ASNs."""
from pathlib import Path

import pytest
import yaml

from netconsol.errors import RulesError
from netconsol.normalize.carriers import DEFAULT_CARRIERS_PATH, Carriers, default_carriers

RULES = Path(__file__).resolve().parents[2] / "netconsol" / "rules" / "carriers.yaml"
DATA = yaml.safe_load(RULES.read_text(encoding="utf-8"))
EVERY_NAME = [
    (spelling, c["name"])
    for c in DATA["carriers"]
    for spelling in [c["name"], c["name_zh"], *(c.get("aliases") or []), *(c.get("historical") or [])]
]
TEXT_EXCLUDED = set(DATA.get("text_exclude") or [])


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in s)


@pytest.fixture(scope="module")
def carriers() -> Carriers:
    return Carriers.load()


def test_default_path_is_the_repo_rules_file():
    assert DEFAULT_CARRIERS_PATH == RULES
    assert default_carriers() is default_carriers()


def test_yaml_lists_the_seven_carriers_of_domain_md():
    assert [c["name"] for c in DATA["carriers"]] == [
        "China Telecom", "China Unicom", "China Mobile", "CERNET", "CSTNET", "China Broadnet",
        "Dr. Peng"]


@pytest.mark.parametrize("spelling, name", EVERY_NAME)
def test_every_yaml_name_maps_to_its_carrier(carriers, spelling, name):
    assert carriers.canonical(spelling) == (name, True)
    assert carriers.canonical(f"  {spelling} ") == (name, True)
    assert carriers.canonical(spelling.lower()) == (name, True)
    assert carriers.canonical(spelling.upper()) == (name, True)
    assert carriers.canonical(_fullwidth(spelling)) == (name, True)


@pytest.mark.parametrize("spelling, name", EVERY_NAME)
def test_every_yaml_name_is_found_in_text(carriers, spelling, name):
    expected = "" if spelling in TEXT_EXCLUDED else name
    assert carriers.find_in_text(f"To_{spelling}_100M") == expected
    assert carriers.find_in_text(f"uplink-{spelling}-GE0/0/1") == expected
    assert carriers.find_in_text(f"{spelling}出口") == expected


# (as typed in a sheet, canonical)
REAL_LIFE = [
    ("枣庄电信", "China Telecom"),
    ("山东联通分公司", "China Unicom"),
    ("中国电信枣庄分公司", "China Telecom"),
    ("电信 ", "China Telecom"),
    ("ＣＴＣＣ", "China Telecom"),
    ("china unicom", "China Unicom"),
    ("CMCC", "China Mobile"),
    ("移动公司", "China Mobile"),
    ("网通", "China Unicom"),
    ("中国网通", "China Unicom"),
    ("铁通", "China Mobile"),
    ("中国铁通枣庄分公司", "China Mobile"),
    ("中国电信股份有限公司枣庄分公司", "China Telecom"),
    ("中国移动通信集团山东有限公司", "China Mobile"),
    ("中国移动通信集团山东有限公司枣庄分公司", "China Mobile"),
    ("中国联合网络通信有限公司枣庄市分公司", "China Unicom"),
    ("中国联通滕州分公司", "China Unicom"),
    ("滕州市移动", "China Mobile"),
    ("薛城区电信", "China Telecom"),
    ("山东省枣庄市联通", "China Unicom"),
    ("电信专线", "China Telecom"),
    ("联通宽带", "China Unicom"),
    ("移动线路", "China Mobile"),
    ("电信局", "China Telecom"),
    ("广电宽带", "China Broadnet"),
    ("枣庄广电网络", "China Broadnet"),
    ("枣庄长城宽带", "Dr. Peng"),
    ("长城宽带", "Dr. Peng"),          # not "长城" + 宽带 trimmed
    ("电信通", "Dr. Peng"),            # Beijing's 电信通, not China Telecom
    ("联通（备用）", "China Unicom"),
    ("电信(主)", "China Telecom"),
    ("运营商：联通", "China Unicom"),
    ("China Telecom Co., Ltd.", "China Telecom"),
    ("China Mobile Zaozhuang Branch", "China Mobile"),
    ("CHINA-UNICOM", "China Unicom"),
    ("China_Telecom", "China Telecom"),
    ("chinatelecom", "China Telecom"),
    ("Ｃｈｉｎａ　Ｍｏｂｉｌｅ", "China Mobile"),
    ("ct", "China Telecom"),
    ("Cu", "China Unicom"),
    ("cm", "China Mobile"),
    ("163", "China Telecom"),
    ("169", "China Unicom"),
    ("DianXin", "China Telecom"),
    ("教育网", "CERNET"),
    ("科技网", "CSTNET"),
    ("有线", "China Broadnet"),       # a whole cell saying 有线 in the carrier column
]


@pytest.mark.parametrize("raw, name", REAL_LIFE)
def test_real_life_spellings(carriers, raw, name):
    assert carriers.canonical(raw) == (name, True)


# unknown: kept as written (stripped), flagged, never dropped
UNKNOWN = [
    ("CTRL", "CTRL"),
    ("  长江通信 ", "长江通信"),
    ("某某网络科技有限公司", "某某网络科技有限公司"),
    ("电信/联通", "电信/联通"),          # two carriers in one cell: a person must decide
    ("电信局域网", "电信局域网"),
    ("CTC", "CTC"),
    ("1630", "1630"),
    ("公司", "公司"),
    ("枣庄", "枣庄"),
    ("Mobile", "Mobile"),              # too generic alone
    ("自建", "自建"),
]


@pytest.mark.parametrize("raw, kept", UNKNOWN)
def test_unknown_names_are_kept(carriers, raw, kept):
    assert carriers.canonical(raw) == (kept, False)


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_blank(carriers, blank):
    assert carriers.canonical(blank) == ("", False)


TEXT = [
    ("To_ChinaNet_100M", "China Telecom"),
    ("uplink-CMCC-GE0/0/1", "China Mobile"),
    ("电信出口", "China Telecom"),
    ("联通互联网专线", "China Unicom"),
    ("Internet-CU", "China Unicom"),
    ("To-CT-Internet", "China Telecom"),
    ("ToChinaTelecom", "China Telecom"),
    ("To_ChinaNetcom_old", "China Unicom"),     # longest alias wins over ChinaNet
    ("To-163-backbone", "China Telecom"),
    ("link to CN2 GIA", "China Telecom"),
    ("DX-uplink 200M", "China Telecom"),
    ("LT_Internet", "China Unicom"),
    ("移动互联网专线", "China Mobile"),
    ("电信通出口", "Dr. Peng"),
    ("有线电视出口", "China Broadnet"),
    ("*** 网通 ***", "China Unicom"),
    ("电信-联通互备", "China Telecom"),         # first one named wins
    ("backup via 联通, primary via 电信", "China Unicom"),
    ("ＴＯ＿ＣＭＣＣ", "China Mobile"),
    ("peer AS4134 ChinaNet", "China Telecom"),
    # not a carrier
    ("CTRL-link", ""),
    ("To_core_CTRL", ""),
    ("peer 10.163.1.1", ""),
    ("mgmt 192.168.169.1/24", ""),
    ("GE0/0/163", ""),
    ("vlan 163", ""),
    ("Vlanif169", ""),
    ("ACCT-server", ""),
    ("CUSTOMER-LAN", ""),
    ("CMD server", ""),
    ("移动办公网", ""),
    ("移动终端接入", ""),
    ("有线网络接入", ""),
    ("系统联通率统计", ""),
    ("To_Core_Switch", ""),
    ("", ""),
    (None, ""),
]


@pytest.mark.parametrize("text, name", TEXT)
def test_find_in_text(carriers, text, name):
    assert carriers.find_in_text(text) == name


ASNS = [(asn, c["name"]) for c in DATA["carriers"] for asn in c.get("asns") or []]


@pytest.mark.parametrize("asn, name", ASNS)
def test_every_yaml_asn(carriers, asn, name):
    assert carriers.by_asn(asn) == name
    assert carriers.by_asn(f"AS{asn}") == name


@pytest.mark.parametrize("asn, name", [
    (4134, "China Telecom"), (4809, "China Telecom"), (23764, "China Telecom"),
    (4837, "China Unicom"), (9929, "China Unicom"), (9800, "China Unicom"), (10099, "China Unicom"),
    (9808, "China Mobile"), (58453, "China Mobile"), (58807, "China Mobile"), (9394, "China Mobile"),
    (4538, "CERNET"), (7497, "CSTNET"), (17964, "Dr. Peng"),
    ("as4837", "China Unicom"), (" 9808 ", "China Mobile"), ("ＡＳ４１３４", "China Telecom"),
    (64512, ""), (0, ""), ("AS", ""), ("xx", ""), (None, ""),
])
def test_by_asn(carriers, asn, name):
    assert carriers.by_asn(asn) == name


@pytest.mark.parametrize("name, zh", [
    ("China Telecom", "中国电信"), ("China Unicom", "中国联通"), ("China Mobile", "中国移动"),
    ("CERNET", "中国教育和科研计算机网"), ("CSTNET", "中国科技网"), ("China Broadnet", "中国广电"),
    ("Dr. Peng", "鹏博士"), ("网通", "中国联通"), ("CMCC", "中国移动"), ("Nobody", ""),
])
def test_zh(carriers, name, zh):
    assert carriers.zh(name) == zh


def test_names(carriers):
    assert carriers.names[:3] == ["China Telecom", "China Unicom", "China Mobile"]


# --- rules file checks: errors name file, key and value -----------------------------------------
GOOD = "carriers:\n  - {name: A, name_zh: 甲, aliases: [a1], historical: [], asns: [1]}\n"
BAD_RULES = [
    ("carriers: []\n", "carriers"),
    ("- just a list\n", "top level"),
    ("carriers:\n  - {name_zh: 甲}\n", "carriers[0].name"),
    ("carriers:\n  - {name: A, name_zh: 甲, aliases: [163]}\n", "carriers[0].aliases[0]: 163"),
    ("carriers:\n  - {name: A, name_zh: 甲, asns: [abc]}\n", "carriers[0].asns[0]: 'abc'"),
    ("carriers:\n  - {name: A, name_zh: 甲, asn: [1]}\n", "carriers[0].asn"),
    ("carriers:\n  - {name: A, name_zh: 甲, aliases: x}\n", "carriers[0].aliases: 'x'"),
    (GOOD + "  - {name: B, name_zh: 乙, aliases: [A1]}\n", "carriers[1].aliases[0]: 'A1' already names 'A'"),
    (GOOD + "  - {name: A, name_zh: 乙}\n", "carriers[1].name: 'A'"),
    (GOOD + "  - {name: B, name_zh: 乙, asns: [1]}\n", "carriers[1].asns[0]: 1 already belongs to 'A'"),
    (GOOD + "strip_suffixes: 公司\n", "strip_suffixes: '公司'"),
    (GOOD + "strip_place: [枣庄]\n", "key strip_place"),
    ("carriers: [\n", "not valid YAML"),
]


@pytest.mark.parametrize("text, fragment", BAD_RULES)
def test_bad_rules_are_refused(tmp_path, text, fragment):
    path = tmp_path / "carriers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as e:
        Carriers.load(path)
    assert str(path) in str(e.value)
    assert fragment in str(e.value)


def test_missing_rules_file(tmp_path):
    with pytest.raises(RulesError) as e:
        Carriers.load(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(e.value)


def test_minimal_rules_file(tmp_path):
    path = tmp_path / "carriers.yaml"
    path.write_text(GOOD, encoding="utf-8")
    c = Carriers.load(path)
    assert c.canonical("A1") == ("A", True)
    assert c.canonical("甲") == ("A", True)
    assert c.canonical("枣庄A1") == ("枣庄A1", False)   # no strip_places in this file
    assert c.by_asn(1) == "A"
    assert c.find_in_text("to-a1") == "A"


def test_find_in_text_prefilter_changes_nothing(carriers):
    """The literal prefilter only skips texts the full pattern cannot match: with it and without
    it, every alias in every context and every demo description give the same carrier."""
    import random
    from pathlib import Path

    import yaml

    from netconsol.normalize.carriers import _find_cached

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "netconsol" / "rules" / "carriers.yaml").read_text("utf-8"))
    aliases = [a for c in data["carriers"] for a in [c["name"], c["name_zh"], *(c.get("aliases") or []),
                                                     *(c.get("historical") or [])]]
    rng = random.Random(5)
    texts = [f"{pre}{a}{post}" for a in aliases for pre, post in
             (("", ""), ("To_", "_100M"), ("uplink-", "-GE0/0/1"), ("10.", ".1.1"), ("x", "y"), ("vlan ", ""),
              ("CTRL", ""), ("移动办公", a), ("", "出口"))]
    demo = Path(__file__).resolve().parents[2] / "inventories" / "zaozhuang-demo" / "configs"
    for p in sorted(demo.rglob("*.cfg")):
        texts += [l.split(None, 1)[1] for l in p.read_text("utf-8", "replace").splitlines()
                  if l.strip().startswith("description ") and len(l.split(None, 1)) > 1]
    texts += ["".join(rng.choice("ctumb1693 -_.电信联通移动广电网") for _ in range(12)) for _ in range(3000)]
    with_pre = [carriers.find_in_text(t) for t in texts]
    _find_cached.cache_clear()
    pre = carriers._text_pre
    try:
        carriers._text_pre = type("Always", (), {"search": staticmethod(lambda t: True)})()
        without = [carriers.find_in_text(t) for t in texts]
    finally:
        carriers._text_pre = pre
        _find_cached.cache_clear()
    assert with_pre == without
    assert sum(1 for x in with_pre if x) > len(aliases)      # the texts do name carriers


def test_find_in_text_blank_and_odd_text_as_the_plain_steps():
    """Text that folds to nothing (spaces, full-width spaces, zero-width marks) names no carrier;
    any other text is what the folded, casefolded search finds, cache or not."""
    import random

    from netconsol.normalize import carriers as cm
    from netconsol.normalize.text import fold, is_blank

    c = Carriers.load()
    rng = random.Random(8)
    pool = ["", " ", "\u3000", "\u200b", "\ufeff", "\t", "\n", "To_ChinaNet", "CT", "电信", "联通率", "移动办公",
            "CTRL", "10.163.1.1", "ＣＵ", "=cmd", "'x", '"q"', "163", "uplink-CMCC", "、", "联通"]
    for _ in range(3000):
        s = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 4)))
        want = "" if is_blank(s) else cm._find_cached.__wrapped__(c, s)
        assert c.find_in_text(s) == want, repr(s)
        if not fold(s):
            assert c.find_in_text(s) == ""
