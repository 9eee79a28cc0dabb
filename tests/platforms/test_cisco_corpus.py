"""The Cisco IOS, IOS-XR and Arista EOS parsers against public configs with known answers.

* Batfish's example network (13 IOS routers) against Batfish's own
  vendor-independent model (derived/example_live_expected_from_viModel.json);
* faddr's RANCID lab backups (IOS 7206, IOS-XRv) against the lab spec
  faddr/tests/fixtures/lab/LAB.md, expectations written by hand from it;
* NAPALM's IOS ``get_bgp_config`` cases against their expected_result.json;
* every other Cisco/Arista config in the corpus: parses, counts add up;
* seeded random mutations of real configs: never raises, counts add up;
* the ``issues`` our fixture cases state, secrets, detection, name normalization.
"""
import json
import random
from pathlib import Path

import pytest

from netconsol import platforms
from netconsol.platforms import eos, ios, iosxr

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platforms"
BATFISH = "batfish/networks/example/live/configs"
BATFISH_REF = "batfish/derived/example_live_expected_from_viModel.json"
GRAMMAR = "batfish/projects/batfish/src/test/resources/org/batfish"
FADDR = "faddr/tests/fixtures/rancid/group_01_3rows/configs"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _by_interface(result):
    out = {}
    for row in result.interfaces:
        d = out.setdefault(row["interface"], {"prefixes": set(), "vrf": row["vrf"], "admin_up": row["admin_up"],
                                              "vlan": row["vlan"], "kind": row["kind"]})
        if row["address"]:
            d["prefixes"].add(row["address"])
    return out


# ---------------------------------------------------------------- (a) Batfish example network

def _batfish_nodes(corpus):
    ref = json.loads((corpus / BATFISH_REF).read_text())
    nodes = [(n, d) for n, d in ref.items() if (corpus / BATFISH / f"{n}.cfg").is_file()]
    assert len(nodes) == 13
    return nodes


def test_batfish_example_interfaces_match_vi_model(corpus):
    for node, ref in _batfish_nodes(corpus):
        result = ios.parse(_read(corpus / BATFISH / f"{node}.cfg"))
        assert result.check_counts()
        assert result.device["hostname"] == node
        got = _by_interface(result)
        assert set(ref["interfaces"]) <= set(got), node
        for name, want in ref["interfaces"].items():
            g = got[name]
            assert g["prefixes"] == set(want["prefixes"]), (node, name)
            assert (g["vrf"] or "default") == want["vrf"], (node, name)
            assert g["admin_up"] == want["adminUp"], (node, name)


def test_batfish_example_bgp_matches_vi_model(corpus):
    for node, ref in _batfish_nodes(corpus):
        result = ios.parse(_read(corpus / BATFISH / f"{node}.cfg"))
        got = {((r["vrf"] or "default"), r["neighbor"]): (r["local_as"], str(r["remote_as"])) for r in result.bgp}
        want = {(vrf, nb): (d["localAs"], d["remoteAsns"])
                for vrf, vd in ref.get("vrfs", {}).items()
                for nb, d in vd.get("bgp", {}).get("neighbors", {}).items()}
        assert got == want, node
        for r in result.bgp:
            assert r["ebgp"] == (r["remote_as"] != r["local_as"])


def test_batfish_example_every_line_accounted(corpus):
    for node, _ in _batfish_nodes(corpus):
        result = ios.parse(_read(corpus / BATFISH / f"{node}.cfg"))
        assert result.unrecognized == [], node
        assert result.issues == [], node


# ---------------------------------------------------------------- (b) faddr lab: LAB.md by hand

# LAB.md "port 1" subinterfaces, Loopbacks and the static-route interfaces, as the 7206 implements them
IOS_LAB_INTERFACES = {
    # name: (prefixes, vrf, vlan, admin_up)
    "Loopback0": ({"1.1.1.1/32"}, "", None, True),
    "Loopback10": ({"10.10.10.1/32"}, "OAM", None, True),
    "FastEthernet0/0": ({"192.168.100.111/24"}, "", None, True),
    "FastEthernet1/0": (set(), "", None, True),
    "FastEthernet1/0.100": ({"10.100.100.1/24"}, "", 100, True),
    "FastEthernet1/0.101": ({"10.101.101.1/24"}, "", 101, True),
    "FastEthernet1/0.102": ({"10.102.102.1/24"}, "", 102, True),
    "FastEthernet1/0.110": ({"10.110.110.1/24"}, "Test001", 110, True),
    "FastEthernet1/0.121": ({"10.121.121.121/24"}, "", 121, True),
    "FastEthernet1/0.122": ({"10.122.122.122/24"}, "", 122, True),
    "FastEthernet1/0.123": ({"10.123.123.123/24"}, "", 123, True),
    "FastEthernet1/0.500": ({"10.0.0.6/30"}, "", 500, True),
    "FastEthernet1/0.501": ({"20.0.0.1/30"}, "Test001", 501, True),
    "FastEthernet1/0.502": ({"20.0.0.3/31"}, "Test002", 502, True),
    "FastEthernet2/0": (set(), "", None, False),
    "FastEthernet3/0": (set(), "", None, False),
}

# LAB.md "Routes": (vrf, prefix, next hop, interface, distance, name)
IOS_LAB_ROUTES = {
    ("", "110.1.0.0/24", "10.0.0.1", "", None, ""),
    ("", "110.2.0.0/24", "10.0.0.2", "", 20, ""),
    ("", "110.3.0.0/24", "10.0.0.3", "", None, "Static_Route_03"),
    ("", "110.4.0.0/24", "10.0.0.4", "", 40, "Static_Route_04"),
    ("", "110.5.0.0/24", "", "FastEthernet1/0.500", None, ""),
    ("", "110.6.0.0/24", "10.0.0.5", "FastEthernet1/0.500", None, ""),
    ("", "110.7.0.0/24", "", "FastEthernet1/0.500", 70, ""),
    ("", "110.8.0.0/24", "10.0.0.5", "FastEthernet1/0.500", None, "Static_Route_08"),
    ("", "110.9.0.0/24", "10.0.0.5", "FastEthernet1/0.500", 90, "Static_Route_09"),
    ("Test001", "220.1.0.0/24", "20.0.0.2", "", None, ""),
    ("Test002", "220.2.0.0/24", "20.0.0.2", "FastEthernet1/0.502", None, ""),
}

# LAB.md "VRF": (rd, import, export); OAM comes from the Loopback10 section
IOS_LAB_VRFS = {
    "OAM": ("10.10.10.1:10", "10.10.10.1:10", "10.10.10.1:10"),
    "Test001": ("1.1.1.1:110", "64501:110", "64501:110"),
    "Test002": ("64502:110", "64502:110", "64502:110"),
    "Test003": ("64503:110", "64503:110", "64503:110"),
}


def _routes(result):
    return {(r["vrf"], r["prefix"], r["next_hop"], r["interface"], r["distance"], r["description"])
            for r in result.routes}


def _check_interfaces(result, expected):
    got = _by_interface(result)
    assert set(got) == set(expected)
    for name, (prefixes, vrf, vlan, up) in expected.items():
        g = got[name]
        assert (g["prefixes"], g["vrf"], g["vlan"], g["admin_up"]) == (prefixes, vrf, vlan, up), name


def test_faddr_ios_7206_matches_lab_spec(corpus):
    text = _read(corpus / FADDR / "cisco-ios-15-7206")
    result = ios.parse(text)
    assert result.check_counts()
    assert result.unrecognized == []
    assert result.device == {"hostname": "cisco-ios-15-7206", "model": "7206VXR", "os_version": "15.2",
                             "serial": "4279256517", "location": ""}   # RANCID's "!Processor ID:"
    _check_interfaces(result, IOS_LAB_INTERFACES)
    assert _routes(result) == IOS_LAB_ROUTES
    assert {v["vrf"]: (v["rd"], v["import_rt"], v["export_rt"]) for v in result.vrfs} == IOS_LAB_VRFS
    assert platforms.detect(text)[0] == "ios"


XR_LAB_INTERFACES = {
    "MgmtEth0/RP0/CPU0/0": ({"192.168.100.113/24"}, "", None, True),
    "GigabitEthernet0/0/0/0.100": ({"10.100.100.1/24"}, "", 100, True),
    "GigabitEthernet0/0/0/0.101": ({"10.101.101.1/24"}, "", 101, True),
    "GigabitEthernet0/0/0/0.102": ({"10.102.102.1/24"}, "", 102, True),
    "GigabitEthernet0/0/0/0.110": ({"10.110.110.1/24"}, "Test001", 110, True),
    "GigabitEthernet0/0/0/0.121": ({"10.121.121.121/24"}, "", 121, True),
    "GigabitEthernet0/0/0/0.122": ({"10.122.122.122/24"}, "", 122, True),
    "GigabitEthernet0/0/0/0.123": ({"10.123.123.123/24"}, "", 123, False),   # shut in the lab config
    "GigabitEthernet0/0/0/0.500": ({"10.0.0.6/30"}, "", 500, True),
    "GigabitEthernet0/0/0/0.501": ({"20.0.0.1/30"}, "Test001", 501, True),
    "GigabitEthernet0/0/0/0.502": ({"20.0.0.3/31"}, "Test002", 502, True),
    "GigabitEthernet0/0/0/1": (set(), "", None, False),
    "GigabitEthernet0/0/0/2": (set(), "", None, False),
    "GigabitEthernet0/0/0/3": (set(), "", None, False),
}
_XR_P1 = "GigabitEthernet0/0/0/0.500"
XR_LAB_ROUTES = {
    ("", "110.1.0.0/24", "10.0.0.1", "", None, ""),
    ("", "110.2.0.0/24", "10.0.0.2", "", 20, ""),
    ("", "110.3.0.0/24", "10.0.0.3", "", None, "Static_Route_03"),
    ("", "110.4.0.0/24", "10.0.0.4", "", 40, "Static_Route_04"),
    ("", "110.5.0.0/24", "", _XR_P1, None, ""),
    ("", "110.6.0.0/24", "10.0.0.5", _XR_P1, None, ""),
    ("", "110.7.0.0/24", "", _XR_P1, 70, ""),
    ("", "110.8.0.0/24", "10.0.0.5", _XR_P1, None, "Static_Route_08"),
    ("", "110.9.0.0/24", "10.0.0.5", _XR_P1, 90, "Static_Route_09"),
    ("Test001", "220.1.0.0/24", "20.0.0.2", "", None, ""),
    ("Test001", "230.3.0.0/24", "20.0.0.3", "", None, ""),   # in the backup, not in LAB.md
    ("Test002", "220.2.0.0/24", "20.0.0.2", "GigabitEthernet0/0/0/0.502", None, ""),
}


def test_faddr_iosxr_matches_lab_spec(corpus):
    text = _read(corpus / FADDR / "cisco-iosxr-6-xrv")
    result = iosxr.parse(text)
    assert result.check_counts()
    assert result.unrecognized == []
    assert result.device["hostname"] == "cisco-iosxr-6-xrv"
    assert result.device["os_version"] == "6.0.1"   # from the RANCID "!Image: ... version=6.0.1" header
    _check_interfaces(result, XR_LAB_INTERFACES)
    assert _routes(result) == XR_LAB_ROUTES
    assert [(v["vrf"], v["import_rt"], v["export_rt"]) for v in result.vrfs] == [("Test001", "64501:110",
                                                                                  "64501:110")]
    assert platforms.detect(text)[0] == "iosxr"


def test_faddr_header_secrets_not_copied(corpus):
    # the RANCID header of the XR backup carries password hashes in "!" comments
    text = _read(corpus / FADDR / "cisco-iosxr-6-xrv")
    _assert_no_secret(iosxr.parse(text), ["$1$gaae$w6TbTEQI8OFqSMnfpcinn0", "$1$UpiO$LGGm9H0zoPnUFQMFbVHCz0"])
    text = _read(corpus / FADDR / "cisco-ios-15-7206")
    _assert_no_secret(ios.parse(text), ["$1$mUNS$EA8GP0//goIY0zv7gjl0E0", "$1$2PVi$G3FmVHNhRBegJrfGfEZtV/"])


# ---------------------------------------------------------------- (c) NAPALM and ntc raws

def test_napalm_ios_bgp_config_matches_expected(corpus):
    cases = sorted((corpus / "napalm/test/ios/mocked_data/test_get_bgp_config").glob("*/show_running_config.txt"))
    assert len(cases) >= 5
    for path in cases:
        result = ios.parse(_read(path))
        assert result.check_counts()
        expected = json.loads((path.parent / "expected_result.json").read_text())
        want = {nb: (nd["remote_as"] or gd["remote_as"], nd["local_as"])
                for gd in expected.values() for nb, nd in gd["neighbors"].items()}
        got = {r["neighbor"]: (r["remote_as"], r["local_as"]) for r in result.bgp}
        assert got == want, path.parent.name


def _corpus_files(corpus, *patterns):
    files = []
    for p in patterns:
        files += sorted(f for f in corpus.glob(p) if f.is_file())
    return files


def test_napalm_and_ntc_ios_raws_parse(corpus):
    files = _corpus_files(corpus, "napalm/test/ios/mocked_data/*/*/show_*config.txt",
                          "ntc-templates/tests/cisco_ios/show_running-config_interface/*.raw",
                          "netutils/tests/unit/mock/config/parser/base/cisco_ios/*.txt",
                          "ttp_templates/test/platform/cisco_ios/*/*.txt")
    assert len(files) >= 9
    for path in files:
        result = ios.parse(_read(path))
        assert result.check_counts(), path
        assert result.interfaces or result.bgp, path
        assert not [i for i in result.issues if i["code"] == "parse-error"], path


def test_ntc_running_config_interface_rows(corpus):
    raw = corpus / "ntc-templates/tests/cisco_ios/show_running-config_interface"
    result = ios.parse(_read(raw / "cisco_ios_show_running-config_interface.raw"))
    got = _by_interface(result)
    assert got["GigabitEthernet2/0/4.223415"]["prefixes"] == {"10.30.33.161/30"}
    assert got["GigabitEthernet2/0/4.223415"]["vrf"] == "CLIENT_VOIP:1234"
    assert got["GigabitEthernet2/0/4.223415"]["vlan"] == 2234
    # "ipv6 address FE80:A8::2DA::1689/126" has two "::": reported, not invented
    bad = [i for i in result.issues if i["code"] == "bad-address"]
    assert [i["value"] for i in bad] == ["FE80:A8::2DA::1689/126"]


# ---------------------------------------------------------------- (d) Batfish unit-test configs

@pytest.mark.parametrize("module,pattern", [
    (ios, f"{GRAMMAR}/grammar/cisco/testconfigs/*"),
    (eos, f"{GRAMMAR}/vendor/arista/grammar/testconfigs/*"),
    (eos, f"{GRAMMAR}/vendor/arista/grammar/snapshots/*/configs/*"),
], ids=["ios-grammar", "eos-grammar", "eos-snapshots"])
def test_batfish_unit_configs_parse(corpus, module, pattern):
    files = _corpus_files(corpus, pattern)
    assert len(files) >= 20
    unrecognized = lines = 0
    for path in files:
        result = module.parse(_read(path))
        assert result.check_counts(), path
        assert not [i for i in result.issues if i["code"] == "parse-error"], path
        lines += result.lines
        unrecognized += len(result.unrecognized)
    assert unrecognized <= 0.01 * lines   # show-run-all configs included


def test_xr_corpus_configs_parse(corpus):
    files = _corpus_files(corpus, "faddr/tests/fixtures/rancid/*/configs/cisco-iosxr*",
                          "ttp_templates/test/platform/cisco_xr/*/*.txt")
    assert len(files) >= 3
    for path in files:
        result = iosxr.parse(_read(path))
        assert result.check_counts() and result.unrecognized == [], path


def test_eos_corpus_configs(corpus):
    path = corpus / "netutils/tests/unit/mock/config/parser/base/arista_eos/eos_full_sent.txt"
    result = eos.parse(_read(path))
    assert result.check_counts() and result.unrecognized == []
    assert result.device["hostname"] == "nyc-leaf-01"
    assert result.device["location"] == "Network to Code - NYC | NY"
    got = _by_interface(result)
    assert got["Ethernet2"]["prefixes"] == {"10.11.11.14/30"}
    assert platforms.detect(_read(path))[0] == "eos"


# ---------------------------------------------------------------- issues stated by our fixture cases

OUR_CASES = sorted(p for plat in ("ios", "iosxr", "eos") for p in (FIXTURES / plat).glob("*")
                   if (p / "expected.json").is_file())


@pytest.mark.parametrize("case", OUR_CASES, ids=[f"{p.parent.name}/{p.name}" for p in OUR_CASES])
def test_fixture_issues(case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    result = platforms.get(case.parent.name).parse((case / "input.cfg").read_text(encoding="utf-8"))
    want = expected.get("issues", [])
    keys = sorted({k for w in want for k in w}) or ["code"]
    got = sorted(json.dumps({k: i.get(k) for k in keys}, sort_keys=True) for i in result.issues)
    assert got == sorted(json.dumps(w, sort_keys=True) for w in want)
    for i in result.issues:
        assert set(i) == {"location", "column", "severity", "code", "message", "value", "expected"}
        assert i["message"] and i["expected"]


# ---------------------------------------------------------------- secrets

SECRET_CONFIG = """\
hostname sec1
enable secret 5 $1$SECRETHASH1$abc
enable password PLAINENABLE
username admin privilege 15 password 0 PLAINUSERPW
key chain KC
 key 1
  key-string KEYSTRING1
tacacs-server key TACACSKEY
snmp-server community COMMUNITYSTR RO
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
 standby 1 authentication md5 key-string HSRPKEY
 ip ospf message-digest-key 1 md5 OSPFKEY
 frobnicate password UNKNOWNPW
router bgp 65000
 neighbor 10.1.1.2 remote-as 65001
 neighbor 10.1.1.2 password 7 BGPPW
 neighbor 10.1.1.2 wibble secret WIBBLESECRET
crypto isakmp key ISAKMPKEY address 0.0.0.0
"""
SECRETS = ["SECRETHASH1", "PLAINENABLE", "PLAINUSERPW", "KEYSTRING1", "TACACSKEY", "COMMUNITYSTR", "HSRPKEY",
           "OSPFKEY", "UNKNOWNPW", "BGPPW", "WIBBLESECRET", "ISAKMPKEY"]


def _assert_no_secret(result, secrets):
    blob = json.dumps([result.device, result.interfaces, result.vrfs, result.routes, result.nat, result.bgp,
                       result.issues, result.unrecognized], default=str)
    for s in secrets:
        assert s not in blob, s


@pytest.mark.parametrize("module", [ios, iosxr, eos], ids=["ios", "iosxr", "eos"])
def test_secrets_never_copied(module):
    result = module.parse(SECRET_CONFIG)
    assert result.check_counts()
    _assert_no_secret(result, SECRETS)


def test_unrecognized_lines_are_listed_with_line_numbers():
    result = ios.parse(SECRET_CONFIG)
    assert [n for n, _ in result.unrecognized] == [14, 18]
    assert result.unrecognized[0][1] == "frobnicate password <removed>"


# ---------------------------------------------------------------- detection and names

def test_detect_discriminates_cisco_dialects(corpus):
    for path, want in [(corpus / BATFISH / "as1border1.cfg", "ios"),
                       (corpus / FADDR / "cisco-ios-15-7206", "ios"),
                       (corpus / FADDR / "cisco-iosxr-6-xrv", "iosxr"),
                       (corpus / "netutils/tests/unit/mock/config/parser/base/arista_eos/eos_full_sent.txt", "eos"),
                       (corpus / "netutils/tests/unit/mock/config/parser/base/cisco_ios/ios_full_sent.txt", "ios")]:
        text = _read(path)
        scores = {m.NAME: m.detect(text) for m in (ios, iosxr, eos)}
        assert max(scores, key=scores.get) == want, (path.name, scores)
        assert scores[want] >= 0.6, (path.name, scores)


def test_detect_low_on_other_vendors(corpus):
    files = _corpus_files(corpus, f"{FADDR}/huawei-vrp-v800-ne40", f"{FADDR}/juniper-junos-17-vmx",
                          "netutils/tests/unit/mock/config/parser/base/hp_comware/*.txt",
                          "netutils/tests/unit/mock/config/parser/base/juniper_junos/*.txt",
                          "napalm-huawei-vrp/test/unit/huawei_vrp/*.conf",
                          f"{GRAMMAR}/grammar/juniper/testconfigs/*")
    assert len(files) >= 10
    for path in files:
        text = _read(path)
        for m in (ios, iosxr, eos):
            assert m.detect(text) < 0.3, (path.name, m.NAME)


def test_detect_eos_needs_more_than_mstp():
    text = "hostname s1\n!\nspanning-tree mode mstp\n!\ninterface GigabitEthernet0/1\n ip address 10.0.0.1 255.255.255.0\n!\nend\n"
    assert ios.detect(text) > eos.detect(text)


@pytest.mark.parametrize("module,given,want", [
    (ios, "Gi0/1", "GigabitEthernet0/1"), (ios, "gi0/1.100", "GigabitEthernet0/1.100"),
    (ios, "Te1/0/1", "TenGigabitEthernet1/0/1"), (ios, "Fa0/0", "FastEthernet0/0"), (ios, "Po10", "Port-channel10"),
    (ios, "port-channel10", "Port-channel10"), (ios, "Lo0", "Loopback0"), (ios, "Vl100", "Vlan100"),
    (ios, "Tu5", "Tunnel5"), (ios, "Eth1/1", "Ethernet1/1"), (ios, "Gig0/2", "GigabitEthernet0/2"),
    (ios, "GigabitEthernet 0/3", "GigabitEthernet0/3"), (ios, "Null0", "Null0"), (ios, "Foo7", "Foo7"),
    (iosxr, "Gi0/0/0/0", "GigabitEthernet0/0/0/0"), (iosxr, "Te0/0/0/1", "TenGigE0/0/0/1"),
    (iosxr, "BE10", "Bundle-Ether10"), (iosxr, "Mg0/RP0/CPU0/0", "MgmtEth0/RP0/CPU0/0"),
    (iosxr, "Hu0/0/0/0", "HundredGigE0/0/0/0"), (iosxr, "Lo0", "Loopback0"),
    (eos, "Et1", "Ethernet1"), (eos, "Eth2/1", "Ethernet2/1"), (eos, "Po10", "Port-Channel10"),
    (eos, "Port-channel10", "Port-Channel10"), (eos, "Ma1", "Management1"), (eos, "Vl20", "Vlan20"),
])
def test_normalize_interface(module, given, want):
    assert module.normalize_interface(given) == want


# ---------------------------------------------------------------- robustness

def _mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        if op == 0:                                   # truncate the file anywhere
            joined = "\n".join(lines)
            lines = joined[:rng.randrange(len(joined) + 1)].split("\n")
        elif op == 1:                                 # delete a run of lines
            del lines[i:i + rng.randint(1, 5)]
        elif op == 2:                                 # duplicate a line
            lines.insert(i, lines[i])
        elif op == 3:                                 # shuffle a window
            w = lines[i:i + rng.randint(2, 12)]
            rng.shuffle(w)
            lines[i:i + len(w)] = w
        elif op == 4:                                 # random bytes into a line
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12))).decode("latin-1")
            p = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:p] + junk + lines[i][p:]
        elif op == 5:                                 # cut a line mid-token
            p = rng.randrange(len(lines[i]) + 1)
            lines[i:i + 1] = [lines[i][:p], lines[i][p:]]
        elif op == 6:                                 # drop or add indentation
            lines[i] = lines[i].lstrip() if rng.random() < 0.5 else " " * rng.randint(1, 4) + lines[i]
        else:                                         # keep a line's first word only / drop its last token
            words = lines[i].split()
            lines[i] = " ".join(words[:1] if rng.random() < 0.5 else words[:-1])
    return "\n".join(lines)


def test_random_mutations_never_raise(corpus):
    seeds = _corpus_files(corpus, f"{BATFISH}/*.cfg", f"{FADDR}/cisco-ios-15-7206", f"{FADDR}/cisco-iosxr-6-xrv",
                          "netutils/tests/unit/mock/config/parser/base/cisco_ios/*.txt",
                          "netutils/tests/unit/mock/config/parser/base/arista_eos/*.txt",
                          f"{GRAMMAR}/grammar/cisco/testconfigs/ios-nat-*",
                          f"{GRAMMAR}/grammar/cisco/testconfigs/ios-bgp-*")
    texts = [_read(p) for p in seeds]
    rng = random.Random(20240611)
    for k in range(1000):
        text = _mutate(rng, rng.choice(texts))
        for module in (ios, iosxr, eos):
            result = module.parse(text)
            assert result.check_counts(), (k, module.NAME)
            errors = [i for i in result.issues if i["code"] == "parse-error"]
            assert not errors, (k, module.NAME, errors[:1])
        assert 0.0 <= ios.detect(text) <= 1.0


def test_handler_surprise_becomes_parse_error_issue():
    parser = ios.IosParser()
    parser.top["hostname"] = lambda *a: 1 // 0
    result = parser.parse("hostname x\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\n")
    assert result.check_counts()
    assert [n for n, _ in result.unrecognized] == [1]
    assert [(i["code"], i["location"]) for i in result.issues] == [("parse-error", "line 1")]
    assert [r["address"] for r in result.interfaces] == ["10.0.0.1/32"]


@pytest.mark.parametrize("module", [ios, iosxr, eos], ids=["ios", "iosxr", "eos"])
@pytest.mark.parametrize("given", ["", "\n\n  \n", "!", "end", b"hostname r1\ninterface Lo0\n", None,
                                   "interface\n ip address\n ip address 1.2.3.4\nrouter bgp\n neighbor\nip route\n"
                                   "ip route vrf\nip nat inside source static\nbanner motd ^C\n"])
def test_degenerate_inputs(module, given):
    result = module.parse(given)
    assert result.check_counts()


def test_netutils_ios_full_states_lldp_and_cdp(corpus):
    # a real "show run" with "lldp run" and "cdp run" at the top level: both read, as understood lines
    result = ios.parse(_read(corpus / "netutils/tests/unit/mock/config/parser/base/cisco_ios/ios_full_sent.txt"))
    assert (result.device["lldp"], result.device["cdp"]) == (True, True)
    assert result.check_counts() and result.unrecognized == []
    # the Batfish routers state neither: the platform default applies, nothing is claimed
    batfish = ios.parse(_read(corpus / BATFISH / "as1border1.cfg"))
    assert "lldp" not in batfish.device and "cdp" not in batfish.device
