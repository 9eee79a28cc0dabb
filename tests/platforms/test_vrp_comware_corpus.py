"""Huawei VRP and H3C Comware parsers against the public corpus, plus what the
shared conformance runner does not check (issues rows, secrets, encodings)
and a seeded mutation fuzz.

Expected values are written by hand from the corpus files themselves and from
faddr's lab spec (faddr/tests/fixtures/lab/LAB.md).
"""
import json
import random
import re
from pathlib import Path

import pytest

from netconsol import platforms, schema
from netconsol.platforms import comware, vrp
from netconsol.platforms.base import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platforms"
NE40 = "faddr/tests/fixtures/rancid/{group}/configs/huawei-vrp-v800-ne40"
NETUTILS = "netutils/tests/unit/mock/config/parser/base/hp_comware/"
NAPALM_VRP = "napalm-huawei-vrp/test/unit/huawei_vrp"
TABLES = ("interfaces", "vrfs", "routes", "nat", "bgp")


def _read(path: Path) -> str:
    return decode(path.read_bytes())[0]


def _by(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def _all_text(result) -> str:
    """Everything a parse hands on: rows, device, issues, unrecognized lines."""
    parts = [json.dumps(result.device, ensure_ascii=False)]
    for t in TABLES + ("issues",):
        parts.append(json.dumps(getattr(result, t), ensure_ascii=False, default=str))
    parts.append(json.dumps(result.unrecognized, ensure_ascii=False))
    return "\n".join(parts)


def _detect_name(text):
    return platforms.detect(text)[0]


# ---------------------------------------------------------------------------
# (a) faddr NE40E RANCID backup: descriptions restate the intended address
# ---------------------------------------------------------------------------
DESC_ADDR = re.compile(r"ipv4 address (\d+\.\d+\.\d+\.\d+/\d+)")
DESC_VRF = re.compile(r"\bvrf (\w+)")


@pytest.mark.parametrize("group", ["group_01_3rows", "group_02_4rows"])
def test_ne40_addresses_match_their_descriptions(corpus, group):
    text = _read(corpus / NE40.format(group=group))
    r = vrp.parse(text)
    assert r.check_counts()
    assert r.unrecognized == []
    checked = 0
    for row in r.interfaces:
        m = DESC_ADDR.search(row["description"])
        if not m:
            continue
        checked += 1
        assert row["address"] == m.group(1), row["interface"]
        v = DESC_VRF.search(row["description"])
        assert row["vrf"] == (v.group(1) if v else ""), row["interface"]
    # LAB.md: vlans 100, 101, 102, 110, 121, 122, 123 carry "ipv4 address" descriptions on port 1
    assert checked == 7


def test_ne40_known_values_from_lab_md(corpus):
    r = vrp.parse(_read(corpus / NE40.format(group="group_01_3rows")))
    assert r.device == {"hostname": "huawei-vrp-v800-ne40", "model": "NE40E",
                        "os_version": "V800R011C00SPC607B607", "serial": "", "location": "",
                        "lldp": True}   # "lldp enable" in the system view
    ifs = _by(r.interfaces, "interface")
    # vlan 100: ipv4 address 10.100.100.1/24
    v100 = ifs["Ethernet1/0/1.100"]
    assert (v100["address"], v100["vlan"], v100["vrf"], v100["kind"], v100["parent"]) == \
        ("10.100.100.1/24", 100, "", "subinterface", "Ethernet1/0/1")
    # vlan 110: vrf Test001, ipv4 address 10.110.110.1/24
    v110 = ifs["Ethernet1/0/1.110"]
    assert (v110["address"], v110["vlan"], v110["vrf"]) == ("10.110.110.1/24", 110, "Test001")
    # vlan 101 is native ("vlan-type dot1q 101 default"); vlan 102 is QinQ s-vlan 102
    assert ifs["Ethernet1/0/1.101"]["vlan"] == 101
    assert ifs["Ethernet1/0/1.102"]["vlan"] == 102
    # the ACL'd vlan 123 is shut down in the Huawei config
    assert ifs["Ethernet1/0/1.123"]["admin_up"] is False
    assert ifs["Ethernet1/0/1.121"]["admin_up"] is True
    # OAM address of the Huawei box (LAB.md device table)
    assert ifs["Ethernet1/0/0"]["address"] == "192.168.100.114/24"
    assert ifs["Ethernet1/0/0"]["location"] == "line 63"
    # DCN subinterfaces borrow the DCN loopback's address
    dcn = ifs["Ethernet1/0/2.4094"]
    assert (dcn["unnumbered"], dcn["vrf"], dcn["address"]) == ("LoopBack2147483647", "__dcn_vpn__", "")
    assert ifs["LoopBack2147483647"]["kind"] == "loopback"
    assert ifs["NULL0"]["address"] == ""
    # VRF Test001: RD 1.1.1.1:110, RT import/export 64501:110
    assert [(v["vrf"], v["rd"], v["import_rt"], v["export_rt"]) for v in r.vrfs] == \
        [("Test001", "1.1.1.1:110", "64501:110", "64501:110")]
    # the LAB.md static routes, transcribed by hand
    routes = sorted((x["vrf"], x["prefix"], x["interface"], x["next_hop"], x["distance"], x["description"])
                    for x in r.routes)
    assert routes == sorted([
        ("", "110.1.0.0/24", "", "10.0.0.1", None, ""),
        ("", "110.2.0.0/24", "", "10.0.0.2", 20, ""),
        ("", "110.3.0.0/24", "", "10.0.0.3", None, "Static_Route_03"),
        ("", "110.4.0.0/24", "", "10.0.0.4", 40, "Static_Route_04"),
        ("", "110.5.0.0/24", "Ethernet1/0/1.500", "", None, ""),
        ("", "110.6.0.0/24", "Ethernet1/0/1.500", "10.0.0.5", None, ""),
        ("", "110.7.0.0/24", "Ethernet1/0/1.500", "", 70, ""),
        ("", "110.8.0.0/24", "Ethernet1/0/1.500", "10.0.0.5", None, "Static_Route_08"),
        ("", "110.9.0.0/24", "Ethernet1/0/1.500", "10.0.0.5", 90, "Static_Route_09"),
        ("Test001", "220.1.0.0/24", "", "20.0.0.2", None, ""),
        ("Test002", "220.2.0.0/24", "Ethernet1/0/1.502", "20.0.0.2", None, ""),
    ])
    # the local-user's irreversible-cipher must not travel anywhere
    assert "$1c$" not in _all_text(r) and "KFCkcT" not in _all_text(r)


def test_ne40_detects_as_vrp(corpus):
    text = _read(corpus / NE40.format(group="group_01_3rows"))
    assert vrp.detect(text) >= 0.8
    assert comware.detect(text) < vrp.detect(text)
    assert _detect_name(text) == "vrp"


# ---------------------------------------------------------------------------
# (b) netutils Comware 7 configs
# ---------------------------------------------------------------------------
def test_netutils_comware_full(corpus):
    text = _read(corpus / NETUTILS / "hp_comware_full_sent.txt")
    assert comware.detect(text) > vrp.detect(text)
    assert _detect_name(text) == "comware"
    r = comware.parse(text)
    assert r.check_counts()
    assert r.unrecognized == []
    assert r.device == {"hostname": "NTC123456", "model": "", "os_version": "7.1.045, Release 2418P06",
                        "serial": "", "location": "Test-Location", "lldp": True}   # " lldp global enable"
    assert [(v["vrf"], v["rd"], v["import_rt"], v["export_rt"], v["description"]) for v in r.vrfs] == [
        ("vpn1", "65001:1", "65001:1", "65001:1", "vpn1"),
        ("internal", "1:1", "", "", "internal"),
    ]
    ifs = _by(r.interfaces, "interface")
    assert set(ifs) == {"NULL0", "LoopBack1", "Vlan-interface102", "Ten-GigabitEthernet1/0/1"}
    assert (ifs["LoopBack1"]["address"], ifs["LoopBack1"]["vrf"]) == ("192.0.2.1/32", "internal")
    v102 = ifs["Vlan-interface102"]
    assert (v102["address"], v102["vrf"], v102["admin_up"], v102["vlan"], v102["kind"]) == \
        ("192.0.2.2/32", "vpn2", False, 102, "vlan")
    assert ifs["Ten-GigabitEthernet1/0/1"]["description"] == "Test-Port-1"
    assert ifs["Ten-GigabitEthernet1/0/1"]["address"] == ""
    assert sorted((b["vrf"], b["local_as"], b["neighbor"], b["remote_as"], b["ebgp"]) for b in r.bgp) == [
        ("vpn2", 65003, "192.0.2.61", 65006, True),
        ("vpn2", 65003, "192.0.2.62", 65006, True),
    ]
    assert sorted((x["vrf"], x["prefix"], x["next_hop"], x["description"]) for x in r.routes) == [
        ("vpn1", "0.0.0.0/0", "192.0.2.1", ""),
        ("vpn2", "192.0.2.61/32", "192.0.2.68", "Test-Peer-2"),
        ("vpn2", "192.0.2.62/32", "192.0.2.68", "Test-Peer-2"),
    ]
    everything = _all_text(r)
    assert "$c$3$" not in everything and "$h$6$" not in everything
    assert "Test-Community" not in everything


def test_netutils_comware_bgp_and_banner(corpus):
    text = _read(corpus / NETUTILS / "hp_comware_sent.txt")
    assert comware.detect(text) > vrp.detect(text)
    assert _detect_name(text) == "comware"
    r = comware.parse(text)
    assert r.check_counts() and r.unrecognized == []
    assert r.device["hostname"] == "HP-JKT-01"
    # 10.20.240.1 has a description but no as-number in this file; 10.30.240.1 only has
    # per-family attributes (password, enable, route-policy), which do not define a peer
    assert [(b["vrf"], b["local_as"], b["neighbor"], b["remote_as"], b["description"], b["ebgp"]) for b in r.bgp] == [
        ("", 65330, "10.20.240.1", None, "***Point to Point Connection**", None)]
    # the motd banner, delimited by '#', is ignored line by line (its text never reaches a row)
    assert "WARNING" not in _all_text(r)
    assert "$x$x$" not in _all_text(r)


def test_netutils_comware_special(corpus):
    text = _read(corpus / NETUTILS / "hp_comware_special_sent.txt")
    r = comware.parse(text)
    assert r.check_counts() and r.unrecognized == []
    assert r.device["hostname"] == "NTC-Router"  # trailing spaces trimmed
    # nothing in this file is Comware-only (rsa peer-public-key, vlan/name exist on VRP too):
    # detection can only say "VRP/Comware family", never that it is VRP rather than Comware
    assert comware.detect(text) >= vrp.detect(text) >= 0.2


# ---------------------------------------------------------------------------
# (c) napalm-huawei-vrp config snippets
# ---------------------------------------------------------------------------
NAPALM_UNRECOGNIZED = {"new_typo.conf": [3]}  # "fadfadfadfaa" at top level


@pytest.mark.parametrize("name", ["initial.conf", "merge_good.conf", "merge_typo.conf", "new_good.conf",
                                  "new_typo.conf"])
def test_napalm_vrp_snippets(corpus, name):
    text = _read(corpus / NAPALM_VRP / name)
    assert vrp.detect(text) >= comware.detect(text)
    assert _detect_name(text) == "vrp"
    r = vrp.parse(text)
    assert r.check_counts()
    assert [n for n, _ in r.unrecognized] == NAPALM_UNRECOGNIZED.get(name, [])
    if "sysname" in text:
        assert r.device["hostname"] == "vagrant_vrp_box"


# ---------------------------------------------------------------------------
# (d) every VRP/Comware corpus file: never raises, counts add up; other
#     vendors' configs stay low-confidence and still parse without raising
# ---------------------------------------------------------------------------
def _hw_corpus_files(corpus):
    files = [corpus / NE40.format(group=g) for g in ("group_01_3rows", "group_02_4rows")]
    files += sorted((corpus / NETUTILS).glob("*.txt"))
    files += [corpus / "netutils/tests/unit/mock/config/compliance/compliance/hp_comware/hp_comware_full_backup.txt"]
    files += sorted((corpus / NAPALM_VRP).glob("*.conf"))
    files += [corpus / "faddr/tests/fixtures/ttp/huawei-vrp.conf",
              corpus / "napalm-huawei-vrp/test/unit/mocked_data/test_get_facts/vrp5/"
                       "display_current_configuration___inc_sysname.txt"]
    files += sorted((corpus / "ttp_templates/docs/ttp_templates").glob("*huawei*.md"))
    return files


def _foreign_files(corpus):
    files = sorted((corpus / "batfish/networks/example/live/configs").glob("*.cfg"))
    files += [corpus / "faddr/tests/fixtures/rancid/group_01_3rows/configs/juniper-junos-17-vmx",
              corpus / "faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-ios-15-7206",
              corpus / "faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-iosxr-6-xrv"]
    files += sorted((corpus / "netutils/tests/unit/mock/config/parser/base").glob("*/*_full_sent.txt"))
    return [f for f in files if "hp_comware" not in str(f)]


def test_every_hw_corpus_file_parses_and_counts(corpus):
    files = _hw_corpus_files(corpus)
    assert len(files) >= 14 and all(f.is_file() for f in files), [f for f in files if not f.is_file()]
    for f in files:
        text = _read(f)
        for mod in (vrp, comware):
            r = mod.parse(text)
            assert r.check_counts(), f
            assert not [i for i in r.issues if i["code"] == "parse-error"], f


def test_foreign_configs_detect_low_and_parse_safely(corpus):
    files = _foreign_files(corpus)
    assert len(files) >= 15
    for f in files:
        text = _read(f)
        assert vrp.detect(text) < 0.3, f
        assert comware.detect(text) < 0.3, f
        for mod in (vrp, comware):
            assert mod.parse(text).check_counts(), f


# ---------------------------------------------------------------------------
# what the shared runner does not compare: issues, secrets, encodings, names
# ---------------------------------------------------------------------------
HW_CASES = sorted(p for plat in ("vrp", "comware") for p in (FIXTURES / plat).glob("*")
                  if (p / "expected.json").is_file())


def _project(rows, keys):
    return sorted(json.dumps({k: r.get(k) for k in keys}, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.mark.parametrize("case", HW_CASES, ids=[f"{p.parent.name}/{p.name}" for p in HW_CASES])
def test_fixture_issues_and_secrets(case):
    mod = platforms.get(case.parent.name)
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    result = mod.parse((case / "input.cfg").read_text(encoding="utf-8"))
    want = expected.get("issues", [])
    keys = sorted({k for r in want for k in r}) or ["location"]
    assert _project(result.issues, keys) == _project(want, keys)
    everything = _all_text(result)
    for secret in ("notarealsecret", "notasecret"):
        assert secret not in everything


def test_fixture_cases_cover_every_construct():
    for plat in ("vrp", "comware"):
        have = {p.name for p in (FIXTURES / plat).iterdir()}
        assert {"sub_address_secondary", "vpn_instance_binding", "route_static_vpn_instance_default",
                "nat_outbound_server", "bgp_vpn_instance_peers", "unnumbered_loopback", "ipv6",
                "shutdown_admin_state", "gb18030_chinese_description", "coverage_unrecognized_lines",
                "bad_address_issue"} <= have, plat


@pytest.mark.parametrize("mod", [vrp, comware], ids=["vrp", "comware"])
def test_gb18030_bytes_decode_and_parse(mod):
    case = FIXTURES / mod.NAME / "gb18030_chinese_description"
    text = (case / "input.cfg").read_text(encoding="utf-8")
    raw = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded, enc = decode(raw)
    assert enc == "gb18030"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    r = mod.parse(decoded)
    assert r.interfaces[0]["description"] == expected["interfaces"][0]["description"]
    # parse() also accepts the raw bytes
    assert mod.parse(raw).interfaces[0]["description"] == expected["interfaces"][0]["description"]


@pytest.mark.parametrize("mod,raw,full", [
    (vrp, "GE0/0/1", "GigabitEthernet0/0/1"),
    (vrp, "GE0/0/1.100", "GigabitEthernet0/0/1.100"),
    (vrp, "XGE0/0/2", "XGigabitEthernet0/0/2"),
    (vrp, "Eth-Trunk10", "Eth-Trunk10"),
    (vrp, "eth-trunk10.20", "Eth-Trunk10.20"),
    (vrp, "Vlanif100", "Vlanif100"),
    (vrp, "Loop0", "LoopBack0"),
    (vrp, "MEth0/0/1", "MEth0/0/1"),
    (vrp, "Tun0/0/1", "Tunnel0/0/1"),
    (vrp, "NULL0", "NULL0"),
    (vrp, "25GE1/0/1", "25GE1/0/1"),
    (vrp, "GigabitEthernet 0/0/1", "GigabitEthernet0/0/1"),
    (comware, "GE1/0/1", "GigabitEthernet1/0/1"),
    (comware, "XGE1/0/49", "Ten-GigabitEthernet1/0/49"),
    (comware, "BAGG1", "Bridge-Aggregation1"),
    (comware, "RAGG10.100", "Route-Aggregation10.100"),
    (comware, "Vlan-int100", "Vlan-interface100"),
    (comware, "MGE0/0/0", "M-GigabitEthernet0/0/0"),
    (comware, "FGE1/0/53", "FortyGigE1/0/53"),
    (comware, "Loop1", "LoopBack1"),
    (comware, "Tunnel1", "Tunnel1"),
])
def test_normalize_interface(mod, raw, full):
    assert mod.normalize_interface(raw) == full


@pytest.mark.parametrize("mod", [vrp, comware], ids=["vrp", "comware"])
@pytest.mark.parametrize("text", ["", "\n\n", "#", "return", "interface", "ip", "ip route-static",
                                  "ip route-static vpn-instance", "bgp", "bgp x\n peer", "nat server",
                                  "header motd %", "\x00\x01\x02", " \t \r\n", "interface GE0/0/1\n ip address",
                                  "interface GE0/0/1\n ipv6 address", "ip vpn-instance A\n vpn-target",
                                  None, b"sysname \xff\xfe"])
def test_degenerate_inputs_never_raise(mod, text):
    r = mod.parse(text)
    assert r.check_counts()
    assert 0.0 <= mod.detect(text) <= 1.0


def _schema_problems(result):
    problems = []
    for table in TABLES:
        rows = [dict(r, device="dev", source="src") for r in getattr(result, table)]
        problems += schema.validate(table, schema.frame(table, rows))
    issues = [dict(i, source="src") for i in result.issues]
    problems += schema.validate("issues", schema.frame("issues", issues))
    return problems


def test_rows_fit_the_table_contract(corpus):
    """Declared columns only, declared dtypes and choices, no duplicate keys."""
    texts = [(c.parent.name, (c / "input.cfg").read_text(encoding="utf-8")) for c in HW_CASES]
    texts += [("vrp", _read(corpus / NE40.format(group="group_01_3rows"))),
              ("comware", _read(corpus / NETUTILS / "hp_comware_full_sent.txt"))]
    for name, text in texts:
        result = platforms.get(name).parse(text)
        assert _schema_problems(result) == [], name


def test_byte_order_mark_is_not_a_line():
    r = vrp.parse("\ufeff#\nsysname BOM\n#\nreturn\n")
    assert r.device["hostname"] == "BOM" and r.unrecognized == []


def test_detection_discriminates_fixture_configs():
    for case in HW_CASES:
        text = (case / "input.cfg").read_text(encoding="utf-8")
        own = platforms.get(case.parent.name).detect(text)
        other = (comware if case.parent.name == "vrp" else vrp).detect(text)
        assert own > other, case


# ---------------------------------------------------------------------------
# 3. seeded mutation fuzz
# ---------------------------------------------------------------------------
WORDS = ("interface", "ip", "address", "vpn-instance", "route-static", "bgp", "peer", "as-number", "group",
         "nat", "server", "global", "inside", "outbound", "undo", "shutdown", "#", "return", "description",
         "ipv4-family", "address-family", "header", "motd", "%", "sub", "255.255.255.0", "24", "10.0.0.1",
         "GE0/0/1", "Eth-Trunk1.10", "dot1q", "termination", "vid", "vlan-type", "qinq", "unnumbered",
         "2001:db8::1/64", "0.0.0.0", "preference", "abc", "\u653f\u52a1", "-", ".", "/", ":")


def _mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    op = rng.randrange(9)
    if op == 0:                                   # truncate anywhere
        return text[:rng.randrange(len(text) + 1)]
    if op == 1 and lines:                         # delete lines
        for _ in range(rng.randint(1, 10)):
            if lines:
                del lines[rng.randrange(len(lines))]
    elif op == 2 and lines:                       # duplicate lines
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
    elif op == 3 and len(lines) > 2:              # shuffle a window
        i = rng.randrange(len(lines) - 1)
        window = lines[i:i + rng.randint(2, 40)]
        rng.shuffle(window)
        lines[i:i + len(window)] = window
    elif op == 4:                                 # random bytes as characters
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(text) + 1)
            junk = "".join(chr(rng.choice([rng.randrange(0, 32), rng.randrange(32, 127), rng.randrange(128, 0x3000)]))
                           for _ in range(rng.randint(1, 8)))
            text = text[:i] + junk + text[i:]
        return text
    elif op == 5 and lines:                       # random words into lines
        for _ in range(rng.randint(1, 15)):
            i = rng.randrange(len(lines))
            ws = lines[i].split(" ")
            ws.insert(rng.randrange(len(ws) + 1), rng.choice(WORDS))
            lines[i] = " ".join(ws)
    elif op == 6 and lines:                       # cut lines mid-token
        for _ in range(rng.randint(1, 15)):
            i = rng.randrange(len(lines))
            lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)]
    elif op == 7 and lines:                       # re-indent lines
        for _ in range(rng.randint(1, 15)):
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.randrange(5) + lines[i].lstrip()
    else:                                         # whole random statements
        for _ in range(rng.randint(1, 10)):
            stmt = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8)))
            lines.insert(rng.randrange(len(lines) + 1), " " * rng.randrange(3) + stmt)
    return "\n".join(lines)


def test_mutation_fuzz_never_raises(corpus):
    seeds = [_read(f) for f in _hw_corpus_files(corpus)[:6]]
    seeds += [(c / "input.cfg").read_text(encoding="utf-8") for c in HW_CASES]
    rng = random.Random(20240611)
    parse_errors = 0
    for k in range(1000):
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            text = _mutate(rng, text)
        for mod in (vrp, comware):
            r = mod.parse(text)
            assert r.check_counts(), (k, mod.NAME)
            assert r.lines == sum(1 for line in text.split("\n") if line.strip()), (k, mod.NAME)
            parse_errors += sum(1 for i in r.issues if i["code"] == "parse-error")
            for table in TABLES:
                for row in getattr(r, table):
                    assert row["location"].startswith("line "), (k, table, row)
            assert 0.0 <= mod.detect(text) <= 1.0
    # handlers check their arguments: the per-line guard is a last resort, not the normal path
    assert parse_errors == 0
