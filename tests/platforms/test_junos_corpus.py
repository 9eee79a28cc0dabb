"""The JunOS parser against public configs, and its promises: never raise, counts add up, no secrets.

Fixture folders (tests/fixtures/platforms/junos/*) are run by the shared
conformance suite; this file adds what that suite does not read from them
("issues", "no_secrets") and checks the parser over the public corpus:

* faddr's lab vMX (RANCID backup of ``show configuration`` and ``| display set``),
  expectations written by hand from faddr/tests/fixtures/lab/LAB.md and the file;
* netutils' full JunOS config, ttp_templates' ``display set`` interfaces (vs its .yml),
  NAPALM's mocked ``get_config`` running config;
* every Batfish juniper grammar test config;
* 1,000 seeded random mutations of those configs.
"""
import json
import random
import time
from pathlib import Path

import pytest

from netconsol import schema
from netconsol.platforms import junos

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platforms" / "junos"
CASES = sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").is_file())
TABLES = ("interfaces", "vrfs", "routes", "nat", "bgp")

VMX = "faddr/tests/fixtures/rancid/{}/configs/juniper-junos-17-vmx"
NETUTILS = "netutils/tests/unit/mock/config/parser/base/juniper_junos/junos_full_sent.txt"
TTP = "ttp_templates/test/platform/juniper_junos/show_configuration_interfaces_pipe_display_set/"
NAPALM = "napalm/test/junos/mocked_data/test_get_config/normal/expected_result.json"
BATFISH = "batfish/projects/batfish/src/test/resources/org/batfish/grammar/juniper/testconfigs"
SET_MARKER = "# juniper-junos-17-vmx> show configuration | display set"
HASHES = ("$1$", "$5$", "$6$", "$9$")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def parse(text: str):
    r = junos.parse(text)
    assert r.check_counts(), "understood + ignored + unrecognized != lines"
    assert not [i for i in r.issues if "internal error" in i["message"]], r.issues
    return r


def assert_valid_tables(r):
    """Rows use declared columns only, have the declared types, and keys are unique."""
    for table in TABLES:
        rows = [{**row, "device": "d", "source": "s"} for row in getattr(r, table)]
        problems = schema.validate(table, schema.frame(table, rows))
        assert not problems, problems
    for row in r.issues:
        assert set(row) <= set(schema.columns("issues")), row


def assert_no_secrets(r, secrets=()):
    blob = json.dumps([getattr(r, t) for t in TABLES + ("issues",)] + [r.unrecognized, r.device],
                      ensure_ascii=False)
    for s in tuple(secrets) + HASHES:
        assert s not in blob, f"secret {s!r} copied into the result"


def rows_by(r, table, key):
    out = {}
    for row in getattr(r, table):
        out.setdefault(row[key], []).append(row)
    return out


def junos_corpus_files(corpus: Path) -> list[Path]:
    files = [corpus / VMX.format("group_01_3rows"), corpus / VMX.format("group_02_4rows"), corpus / NETUTILS]
    files += sorted((corpus / TTP).glob("*.txt"))
    files += sorted(p for p in (corpus / BATFISH).iterdir() if p.is_file())
    return files


# ---------------------------------------------------------------- fixture extras

@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_fixture_detected_issues_and_secrets(case):
    text = (case / "input.cfg").read_text(encoding="utf-8")
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert junos.detect(text) >= 0.5
    r = parse(text)
    assert_valid_tables(r)
    assert_no_secrets(r, expected.get("no_secrets", ()))
    if "issues" in expected:
        want = expected["issues"]
        keys = sorted({k for w in want for k in w})
        got = sorted(json.dumps({k: i.get(k) for k in keys}, sort_keys=True) for i in r.issues)
        assert got == sorted(json.dumps(w, sort_keys=True) for w in want)
    else:
        assert r.issues == []


def test_brace_and_set_fixture_pairs_agree():
    pairs = [(p, p.with_name(p.name[:-len("_brace")] + "_set")) for p in CASES if p.name.endswith("_brace")]
    assert pairs
    for brace, flat in pairs:
        a = json.loads((brace / "expected.json").read_text(encoding="utf-8"))
        b = json.loads((flat / "expected.json").read_text(encoding="utf-8"))
        assert {k: v for k, v in a.items() if k != "coverage"} == {k: v for k, v in b.items() if k != "coverage"}


# ---------------------------------------------------------------- (a) faddr lab vMX

def test_faddr_vmx_rancid_backup(corpus):
    text = read(corpus / VMX.format("group_01_3rows"))
    r = parse(text)
    assert_valid_tables(r)
    assert_no_secrets(r)
    # the serial is the Chassis row's "Serial number" column of RANCID's "show chassis hardware" header
    assert r.device == {"hostname": "juniper-junos-17-vmx", "model": "vmx", "os_version": "17.2R1.13",
                        "serial": "VM61ED53C9B6", "location": ""}
    assert r.unrecognized == [] and r.issues == []
    ifs = rows_by(r, "interfaces", "interface")
    # LAB.md: port 1 units, vlan N = unit N, addresses 10.N.N.x/24; QinQ 102 = outer tag 102
    for unit, addr in ((100, "10.100.100.1/24"), (101, "10.101.101.1/24"), (102, "10.102.102.1/24"),
                       (110, "10.110.110.1/24"), (121, "10.121.121.121/24")):
        (row,) = ifs[f"ge-0/0/1.{unit}"]
        assert (row["address"], row["vlan"], row["kind"], row["parent"], row["admin_up"], row["secondary"]) == \
               (addr, unit, "subinterface", "ge-0/0/1", True, False)
        assert addr in row["description"]  # the lab repeats the address in each description
    assert ifs["ge-0/0/1.110"][0]["vrf"] == "Test001"
    assert all(row["vrf"] == "" for u in (100, 101, 102, 121) for row in ifs[f"ge-0/0/1.{u}"])
    # unit 123 is disabled; the set view adds 20.20.20.20/24 "preferred", which is not "primary"
    u123 = {row["address"]: row for row in ifs["ge-0/0/1.123"]}
    assert set(u123) == {"10.123.123.123/24", "20.20.20.20/24"}
    assert not u123["10.123.123.123/24"]["secondary"] and u123["20.20.20.20/24"]["secondary"]
    assert all(not row["admin_up"] for row in u123.values())
    # "deactivate interfaces ge-0/0/1 unit 122" in the set view switches the unit off
    assert "ge-0/0/1.122" not in ifs
    # the static-route interfaces of LAB.md: .501 in Test001 (/30), .502 in Test002 (/31)
    assert (ifs["ge-0/0/1.501"][0]["address"], ifs["ge-0/0/1.501"][0]["vrf"]) == ("20.0.0.1/30", "Test001")
    assert (ifs["ge-0/0/1.502"][0]["address"], ifs["ge-0/0/1.502"][0]["vrf"]) == ("20.0.0.3/31", "Test002")
    assert (ifs["fxp0.0"][0]["address"], ifs["fxp0.0"][0]["kind"], ifs["fxp0.0"][0]["description"]) == \
           ("192.168.100.112/24", "management", "OAM")
    assert set(ifs) == {f"ge-0/0/1.{u}" for u in (100, 101, 102, 110, 121, 123, 501, 502)} | {"fxp0.0"}
    # an address seen in both views is one row, located at its first statement (the brace view)
    assert ifs["ge-0/0/1.100"][0]["location"] == "line 1136"
    vrfs = {v["vrf"]: (v["rd"], v["import_rt"], v["export_rt"]) for v in r.vrfs}
    assert vrfs == {"Test001": ("1.1.1.1:110", "64501:110", "64501:110"),
                    "Test002": ("64502:110", "64502:110", "64502:110")}
    routes = sorted((x["vrf"], x["prefix"], x["next_hop"], x["distance"]) for x in r.routes)
    assert routes == [("", "110.1.0.0/24", "10.0.0.1", None), ("", "110.2.0.0/24", "10.0.0.2", 20),
                      ("Test001", "220.1.0.0/24", "20.0.0.2", None)]
    assert r.bgp == [] and r.nat == []


def test_faddr_vmx_brace_and_set_views_agree(corpus):
    """group_02's backup holds the same config twice: brace view, then set view."""
    text = read(corpus / VMX.format("group_02_4rows"))
    i = text.index(SET_MARKER)
    brace, flat = parse(text[:i]), parse(text[i:])

    def project(r):
        return {t: sorted(json.dumps({k: v for k, v in row.items() if k != "location"}, sort_keys=True)
                          for row in getattr(r, t)) for t in TABLES}

    assert project(brace) == project(flat)
    ifs = rows_by(brace, "interfaces", "interface")
    assert ifs["ge-0/0/1.122"][0]["address"] == "10.122.122.122/24"  # not deactivated in this revision
    assert brace.device["hostname"] == flat.device["hostname"] == "juniper-junos-17-vmx"
    assert brace.unrecognized == flat.unrecognized == []


# ---------------------------------------------------------------- (b) netutils, ttp_templates

def test_netutils_full_config(corpus):
    r = parse(read(corpus / NETUTILS))
    assert_valid_tables(r)
    assert_no_secrets(r)
    assert r.device["hostname"] == "nyc-rtr-01" and r.device["os_version"] == "18.2R1.9"
    assert r.device["lldp"] is True          # "set protocols lldp interface all"
    assert r.unrecognized == []
    addrs = {(x["interface"], x["address"]) for x in r.interfaces}
    assert addrs == {("ge-0/0/0.0", "10.10.0.21/30"), ("ge-0/0/1.0", "10.10.0.25/30"), ("ge-0/0/2.0", ""),
                     ("ge-0/0/3.0", "10.11.11.5/30"), ("ge-0/0/4.0", ""), ("ge-0/0/5.0", ""), ("ge-0/0/6.0", ""),
                     ("ge-0/0/7.0", ""), ("fxp0.0", "10.0.0.15/24"), ("lo0.0", "10.0.20.1/32")}
    kinds = {x["interface"]: x["kind"] for x in r.interfaces}
    assert (kinds["ge-0/0/0.0"], kinds["fxp0.0"], kinds["lo0.0"]) == ("physical", "management", "loopback")
    bgp = sorted((b["neighbor"], b["local_as"], b["remote_as"], b["ebgp"]) for b in r.bgp)
    assert bgp == [("10.10.0.22", 65252, 65252, False), ("10.10.0.26", 65252, 65252, False),
                   ("10.11.11.6", 65252, 65253, True)]
    assert [(v["vrf"], v["description"]) for v in r.vrfs] == [("mgmt_junos", "Management VRF")]


def _yml_records(path: Path) -> list[dict]:
    """The tiny subset of YAML that ttp's expected files use: a list of flat mappings."""
    recs, cur, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            cur = {}
            recs.append(cur)
            line = "  " + line[2:]
        if line.startswith("  - ") and key:
            cur[key].append(line[4:].strip())
            continue
        k, _, v = line.strip().partition(":")
        v = v.strip()
        key = k
        cur[k] = [] if v == "" else (None if v == "null" else {"true": True, "false": False}.get(v, v.strip("'")))
        if v == "[]":
            cur[k] = []
    return recs


def test_ttp_display_set_interfaces_match_ttp_expected(corpus):
    txt = next((corpus / TTP).glob("*.txt"))
    r = parse(read(txt))
    assert_valid_tables(r)
    assert r.unrecognized == []
    ours = rows_by(r, "interfaces", "interface")
    want = _yml_records(txt.with_suffix(".yml"))
    assert len(want) == 15
    compared = 0
    for w in want:
        name = w["name"]
        if name not in ours:  # an IFD with units has no row of its own: its units carry it
            assert any(k.startswith(name + ".") for k in ours), name
            continue
        rows = ours[name]
        v4 = sorted(x["address"] for x in rows if x["family"] == 4)
        v6 = sorted(x["address"] for x in rows if x["family"] == 6)
        # ttp also lists virtual-gateway-address (10.100.100.1/29), which is not the unit's address
        assert v4 == sorted(a for a in w["ipv4_addresses"] if a != "10.100.100.1/29"), name
        assert v6 == sorted(w["ipv6_addresses"]), name
        assert all(x["admin_up"] == w["enabled"] for x in rows), name
        assert all(x["vrf"] == (w["vrf"] or "") for x in rows), name
        if w["description"]:
            assert all(x["description"] == w["description"] for x in rows), name
        if "." in name:
            assert all(x["parent"] == name.split(".")[0] for x in rows)
        elif w["lag"]:
            assert rows[0]["parent"] == w["lag"]
        compared += 1
    assert compared == 11


# ---------------------------------------------------------------- (c) NAPALM get_config

def test_napalm_get_config_running(corpus):
    path = corpus / NAPALM
    if not path.is_file():
        pytest.skip("NAPALM junos get_config mock not in corpus")
    running = json.loads(path.read_text(encoding="utf-8"))["running"]
    r = parse(running)
    assert_no_secrets(r, ("sdnfh2p9f8whefi2p98fehwuinoief98p2hif3beuis98ehfoi2",))
    assert r.device["hostname"] == "some-switch"
    assert r.device["location"] == "napalm"
    assert r.device["os_version"] == "18.1"
    # the mock has one "}" too many inside system login: reported, and the rest still read in place
    assert [(i["code"], i["location"]) for i in r.issues] == [("parse-error", "line 25")]
    assert r.unrecognized == []
    assert junos.detect(running) >= 0.5


# ---------------------------------------------------------------- (d) Batfish grammar tests

def test_batfish_juniper_configs_parse(corpus):
    files = sorted(p for p in (corpus / BATFISH).iterdir() if p.is_file())
    assert len(files) >= 100
    lines = understood = 0
    for f in files:
        text = read(f)
        r = parse(text)
        assert_valid_tables(r)
        assert junos.detect(text) >= 0.5, f.name
        lines += r.lines
        understood += r.understood
    assert understood > 0.25 * lines


def test_batfish_spot_checks(corpus):
    d = corpus / BATFISH
    r = parse(read(d / "nat-source"))
    nat = sorted((x["kind"], x["interface"], x["inside"], x["outside"]) for x in r.nat)
    assert nat == [("outbound", "ge-0/0/1.0", "2.2.2.2/24", "POOL"),
                   ("outbound", "ge-0/0/1.0", "3.3.3.0/24", "interface")]
    r = parse(read(d / "static-routes"))
    rt = {(x["vrf"], x["prefix"], x["next_hop"], x["interface"]): x["distance"] for x in r.routes}
    assert rt[("", "4.0.0.0/8", "10.0.0.1", "")] is None
    assert ("", "4.0.0.0/8", "", "ge-0/0/0.0") in rt
    assert ("", "11.0.0.0/32", "1.2.3.6", "") in rt       # no length = /32
    assert ("", "14.0.0.0/8", "", "") in rt                # next-hop 0.0.0.0 = discard
    assert rt[("ri3", "5.5.5.0/24", "1.2.3.4", "")] == 180  # qualified-next-hop preference
    assert rt[("ri3", "5.5.5.0/24", "2.3.4.5", "")] == 150
    r = parse(read(d / "junos-static-defaults"))
    rt = {(x["vrf"], x["prefix"]): x["distance"] for x in r.routes}
    assert rt[("", "10.200.1.0/24")] == 50 and rt[("", "10.200.2.0/24")] == 7
    assert rt[("RED", "10.210.1.0/24")] is None and rt[("BLUE", "10.220.1.0/24")] == 80
    assert rt[("", "2001:db8:200::/48")] == 60
    r = parse(read(d / "switch-options-with-route-instance"))
    assert {(b["neighbor"], b["local_as"], b["remote_as"], b["ebgp"]) for b in r.bgp} == {
        ("172.31.254.42", 65001, 65000, True), ("172.31.255.0", 65100, 65100, False)}
    assert [(v["vrf"], v["rd"], v["import_rt"]) for v in r.vrfs] == [("Campus", "172.31.255.53:1006", "10755:1006")]
    assert {x["interface"]: x["vrf"] for x in r.interfaces}["ge-0/0/2.0"] == "Campus"
    r = parse(read(d / "bgp-routing-options-as-gh-6710"))  # BGP only inside groups: not expanded
    assert r.device["hostname"] == "bgp-routing-options-as-gh-6710" and r.bgp == [] and r.unrecognized == []
    r = parse(read(d / "irb-interfaces"))
    assert [(x["interface"], x["kind"], x["vlan"]) for x in r.interfaces] == [("irb.0", "vlan", 5)]


# ---------------------------------------------------------------- detection

def test_detect_is_low_on_other_vendors(corpus):
    others = sorted((corpus / "batfish/networks/example/live/configs").glob("*.cfg"))
    faddr = corpus / "faddr/tests/fixtures/rancid/group_01_3rows/configs"
    others += [faddr / "huawei-vrp-v800-ne40", faddr / "cisco-ios-15-7206", faddr / "cisco-iosxr-6-xrv",
               faddr / "cisco-nexus-test"]
    base = corpus / "netutils/tests/unit/mock/config/parser/base"
    others += sorted(base.glob("hp_comware/*.txt")) + sorted(base.glob("cisco_ios/*.txt"))
    others += sorted(base.glob("arista_eos/*.txt")) + sorted(base.glob("cisco_nxos/*.txt"))
    others += sorted((corpus / "napalm-huawei-vrp/test/unit/huawei_vrp").glob("*.conf"))
    assert len(others) > 20
    for f in others:
        assert junos.detect(read(f)) < 0.3, f


def test_detect_is_high_on_junos(corpus):
    for f in junos_corpus_files(corpus)[:6]:
        assert junos.detect(read(f)) >= 0.6, f


# ---------------------------------------------------------------- robustness

def _mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(8)
        i = rng.randrange(len(lines) + 1)
        if op == 0:
            return "\n".join(lines)[: rng.randrange(len(text) + 1)]  # truncate
        if op == 1 and lines:
            del lines[min(i, len(lines) - 1)]
        elif op == 2 and lines:
            j = min(i, len(lines) - 1)
            lines[j:j] = lines[j: j + rng.randint(1, 5)]
        elif op == 3:
            lines.insert(i, rng.choice(["{", "}", "}}", "foo {", "inactive: bar {", "/*", "*/", '"', "set",
                                        "deactivate", "delete interfaces", "replace:", "unit", ";", "[", "]"]))
        elif op == 4 and lines:
            j = min(i, len(lines) - 1)
            s = lines[j]
            k = rng.randrange(len(s) + 1)
            junk = "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 32), rng.randrange(0x80, 0x3000)]))
                           for _ in range(rng.randint(1, 8)))
            lines[j] = s[:k] + junk + s[k + rng.randint(0, 4):]
        elif op == 5 and lines:
            j = min(i, len(lines) - 1)
            lines[j] = lines[j].replace("{", "").replace("}", "") if rng.random() < 0.5 else lines[j] + " {"
        elif op == 6:
            rng.shuffle(lines)
        elif op == 7 and lines:
            j = min(i, len(lines) - 1)
            toks = lines[j].split()
            if toks:
                toks[rng.randrange(len(toks))] = rng.choice(["999.1.1.1/99", "::zz/200", "", "address", "unit",
                                                             "family", "x" * 300, "inet6", "/", "-1"])
                lines[j] = " ".join(toks)
    return "\n".join(lines)


def test_random_mutations_never_raise(corpus):
    sources = [read(f) for f in junos_corpus_files(corpus)]
    sources += [(c / "input.cfg").read_text(encoding="utf-8") for c in CASES]
    large = [s for s in sources if s.count("\n") > 40]  # the vMX, netutils, ttp and the larger fixtures
    rng = random.Random(20240301)
    for n in range(1000):
        text = _mutate(rng, rng.choice(large if n % 2 else sources))
        try:
            r = junos.parse(text)
        except Exception as e:  # pragma: no cover - the failure message is the point
            pytest.fail(f"mutation {n} raised {type(e).__name__}: {e}")
        assert r.check_counts(), f"mutation {n}: counts do not add up"
        assert r.lines == sum(1 for line in text.split("\n") if line.strip())
        assert not [i for i in r.issues if "internal error" in i["message"]], (n, r.issues)
        junos.detect(text)


def test_secrets_in_unrecognized_lines_are_redacted():
    text = ('set system host-name s1\n'
            'set frobnicate authentication-key "$9$AbCdEfGh" peer 192.0.2.1\n'
            'mystery { secret "plain-text-secret"; pre-shared-key ascii-text topsecret99; }\n')
    r = parse(text)
    assert [n for n, _ in r.unrecognized] == [2, 3]
    assert_no_secrets(r, ("AbCdEfGh", "plain-text-secret", "topsecret99"))
    assert "192.0.2.1" in r.unrecognized[0][1]  # only the secret is cut, the rest stays readable


@pytest.mark.parametrize("text", ["", "\n\n", "}", "{", "set", "deactivate", "/*", '"', "\x00\xff", "inactive:",
                                  "interfaces { ge-0/0/0 { unit", "set interfaces ge-0/0/0 unit 0 family inet address"])
def test_degenerate_inputs(text):
    r = parse(text)
    assert 0.0 <= junos.detect(text) <= 1.0
    assert r.lines == sum(1 for line in text.split("\n") if line.strip())


# ---------------------------------------------------------------- speed

def test_speed_within_bounds_of_bare_split(corpus):
    """Parsing stays within a small factor of reading and splitting the lines (benchmark: 5,000+ configs)."""
    text = read(corpus / VMX.format("group_01_3rows"))
    config = "\n".join(line for line in text.split("\n") if not line.startswith("#"))  # config lines only
    big = config * 40

    def best(fn):
        t = []
        for _ in range(5):
            t0 = time.perf_counter()
            fn()
            t.append(time.perf_counter() - t0)
        return min(t)

    bare = best(lambda: [line.split() for line in big.split("\n")])
    ours = best(lambda: junos.parse(big))
    n = big.count("\n") + 1
    print(f"junos: {ours / n * 1e6:.2f} us/line, bare split {bare / n * 1e6:.2f} us/line, {ours / bare:.1f}x")
    assert ours < 25 * bare  # generous bound against noisy CI; typically 5-10x
