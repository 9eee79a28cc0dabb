"""The demo-case generator: determinism, a ground truth that matches the files, loadable manifest,
sheets that decode as planted, scaling, and every config recognized by the platform parsers."""
import csv
import hashlib
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from netaddr import IPAddress, IPNetwork, IPSet

from netconsol import platforms
from netconsol.collectors.sheets import collect_sheet
from netconsol.generate import GenerateError, generate_city
from netconsol.manifest import load_manifest
from netconsol.normalize import to_cidrs

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "inventories" / "zaozhuang-demo"
SEED = 2017
DOC = IPSet(["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"])
RFC1918 = IPSet(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])
CGNAT = IPNetwork("100.64.0.0/10")
_MASKS = [(0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF for n in range(33)]
MASKS = {str(IPAddress(m)) for m in _MASKS} | {str(IPAddress(m ^ 0xFFFFFFFF)) for m in _MASKS}
ADDR = re.compile(r"(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.])")
SHEET_CODES = {"bad-ip-range", "missing-value", "unknown-carrier", "bad-bandwidth"}
# what the reader says of rows written the way people write them (issue 18): recorded in the truth too
AS_WRITTEN_CODES = {"host-range-subnet", "same-network-rows"}


def _files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "zz"
    summary = generate_city(out, seed=SEED)
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    return out, summary, truth


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


# --- determinism ---------------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes(demo, tmp_path):
    out, _, _ = demo
    again = tmp_path / "again"
    generate_city(again, seed=SEED)
    a, b = _files(out), _files(again)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert any(k.endswith(".xlsx") for k in a), "the workbooks are part of the comparison"


def test_other_seed_gives_another_case(demo, tmp_path):
    out, _, truth = demo
    other = tmp_path / "other"
    generate_city(other, seed=SEED + 1)
    t2 = json.loads((other / "ground_truth.json").read_text(encoding="utf-8"))
    assert [e["public_range"] for e in truth["exits"]] != [e["public_range"] for e in t2["exits"]]


def test_committed_demo_is_the_generated_one(demo):
    out, _, _ = demo
    assert DEMO.is_dir(), "inventories/zaozhuang-demo is missing: regenerate it (see its README.md)"
    a, b = _files(out), _files(DEMO)
    assert a.keys() == b.keys(), sorted(set(a) ^ set(b))[:10]
    stale = [k for k in a if a[k] != b[k]]
    assert stale == [], f"committed demo differs from generate_city(seed={SEED}); regenerate: {stale[:5]}"


def test_regenerating_into_a_foreign_directory_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(GenerateError, match="not empty"):
        generate_city(tmp_path, seed=1, districts=1, towns_per_district=2, departments=3, private_networks=0,
                      exits=1)


# --- ground truth against the files ------------------------------------------------------------
def test_demo_sizes(demo):
    _, summary, truth = demo
    t = truth["totals"]
    assert (t["districts"], t["towns"]) == (6, 64)
    # 30 exits bought on contract, plus the planted CGNAT broadband line (issue 17: 100.64.0.0/10 is an exit)
    assert t["private_networks"] == 12 and t["exits_before"] == 31
    assert summary["devices"] == t["devices"] == len(truth["devices"])
    assert 3 <= len(truth["unconnected_towns"]) <= 6
    plats = [d["platform"] for d in truth["devices"].values()]
    assert plats.count("junos") == 1
    assert {"vrp", "comware", "ios"} <= set(plats)
    seen = {e["seen_in"] for e in truth["exits"]}
    assert seen == {"config", "sheet", "both"}
    assert any(e["disagreements"] for e in truth["exits"])
    assert {e["disposition"] for e in truth["exits"]} == {"migrate", "keep_mandated", "keep_until_contract_end"}


def test_every_manifest_network_is_in_the_ground_truth(demo):
    out, _, truth = demo
    m = load_manifest(out / "inventory.yaml")
    gt = {n["id"]: n for n in truth["networks"]}
    assert [n["id"] for n in m.networks] == list(gt)
    for n in m.networks:
        assert n["prefixes"] == gt[n["id"]]["prefixes"]
        assert n["kind"] == gt[n["id"]]["kind"]
    assert truth["pools"]["extranet_admin"] in gt["extranet-admin"]["prefixes"]
    assert truth["pools"]["extranet_public"] in gt["extranet-public"]["prefixes"]


RULE_TARGET = {"R1": {"intranet"}, "R2": {"keep"}, "R3": {"extranet_vpn"}, "R4": {"extranet_public"},
               "R5": {"extranet_admin"}, "R6": {"extranet_public"},
               "R7": {"extranet_admin", "extranet_public", "extranet_vpn"}}


def test_targets_follow_the_domain_rules(demo):
    _, _, truth = demo
    by_id = {n["id"]: n for n in truth["networks"]}
    for n in truth["networks"]:
        if n["id"].startswith("extranet-"):
            assert n["rule"] is None and n["target"] == n["kind"]
            continue
        if n["kind"] == "lan" and n["on_extranet"]:   # the data centre's LAN, numbered from the admin pool
            assert n["rule"] is None and n["target"] == "extranet_admin"
            continue
        assert n["target"] in RULE_TARGET[n["rule"]], n["id"]
        if n["classified"]:
            assert n["rule"] == "R1"
        elif n["vertical_ministry"] and not n["on_extranet"]:
            assert n["rule"] == "R2"
        elif n["vertical_ministry"]:
            assert n["rule"] == "R3"
    assert by_id["gongan-video"]["target"] == "keep"
    assert by_id["renshe"]["target"] == "extranet_vpn"
    assert by_id["jiaoyu"]["target"] == "extranet_public"
    assert by_id["shipin"]["target"] == "extranet_admin"
    assert by_id["shemi"]["target"] == "intranet"


def test_planted_overlaps_really_overlap(demo):
    _, _, truth = demo
    nets = {n["id"]: n for n in truth["networks"]}
    pairs = {tuple(sorted(o["networks"])) for o in truth["overlaps"]}
    assert ("caizheng", "extranet-admin") in pairs and ("extranet-public", "jiaoyu") in pairs
    assert {o["type"] for o in truth["overlaps"]} == {"identical", "contains", "partial"}
    for o in truth["overlaps"]:
        a, b = (IPSet(nets[x]["prefixes"]) for x in o["networks"])
        assert a & b, o
        for pa, pb in o["prefixes"]:
            assert IPNetwork(pa) in IPNetwork(pb) or IPNetwork(pb) in IPNetwork(pa), (pa, pb)
        kind = "identical" if a == b else ("contains" if a.issubset(b) or b.issubset(a) else "partial")
        assert o["type"] == kind, o
    # and no other pair overlaps (a LAN numbered from an extranet pool, the data centre's, is hosted there)
    ids = [i for i, n in nets.items() if not (n["kind"] == "lan" and n["on_extranet"])]
    for i, x in enumerate(ids):
        for y in ids[i + 1:]:
            if IPSet(nets[x]["prefixes"]) & IPSet(nets[y]["prefixes"]):
                assert tuple(sorted((x, y))) in pairs, (x, y)


def _config_addresses(out: Path, truth):
    """(address, prefix length, host, interface) for every interface address in the configs."""
    rows = []
    for host, d in truth["devices"].items():
        iface = ""
        for line in _text(out / d["file"]).splitlines():
            s = line.strip()
            if line.startswith("interface "):
                iface = line.split()[1]
            elif d["platform"] == "junos" and re.match(r"^ {4}\S+ \{$", line):
                ifd = s.split()[0]
            elif d["platform"] == "junos" and re.match(r"^ {8}unit \d+ \{$", line):
                iface = f"{ifd}.{s.split()[1]}"
            m = re.match(r"^ip address (\S+) (\S+)", s) or re.match(r"^address (\S+)/(\d+);", s)
            if m:
                rows.append((m.group(1), IPNetwork(f"{m.group(1)}/{m.group(2)}").prefixlen, host, iface))
    return rows


def test_the_one_duplicate_address_is_the_planted_one(demo):
    out, _, truth = demo
    seen = {}
    # a planted shut stub holds an address live elsewhere: allocated but unused, not a duplicate
    shut = {(x["device"], x["interface"]) for x in truth["topology"]["shut_stubs"]}
    assert len(shut) == 2
    for addr, _, host, iface in _config_addresses(out, truth):
        if (host, iface) not in shut:
            seen.setdefault(addr, []).append((host, iface))
    dups = {a: v for a, v in seen.items() if len(v) > 1}
    assert len(truth["duplicate_ips"]) == 1
    d = truth["duplicate_ips"][0]
    assert dups == {d["ip"]: [(d["a"]["device"], d["a"]["interface"]), (d["b"]["device"], d["b"]["interface"])]}
    assert d["a"]["network"] != d["b"]["network"]


def test_addresses_are_private_or_documentation_only(demo):
    out, _, truth = demo
    # RFC 6598 shared space only on the planted CGNAT broadband exit (its WAN address and next hop)
    cgnat_ok = set()
    for e in truth["exits"]:
        if e["access_type"] == "cgnat":
            cgnat_ok |= {str(a) for a in IPNetwork(e["public_range"])}
    assert len(cgnat_ok) == 4
    cgnat_ok.add("100.64.0.0")   # the block itself, named in the truth's note
    for p in out.rglob("*"):
        if not p.is_file():
            continue
        if p.suffix in (".xlsx", ".xls"):   # workbooks: their cells (the .xls too, since issue 18)
            from netconsol.collectors.sheets import read_grids
            text = "\n".join(str(v) for _, rows, _ in read_grids(p) for row in rows for v in row)
        else:
            text = _text(p)
        text = text.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
        for m in ADDR.finditer(text):
            a = m.group(1)
            if a in MASKS:
                continue
            if any(int(x) > 255 for x in a.split(".")):
                continue          # the planted bad range (10.0.300.0/24): not an address at all
            if IPAddress(a) in CGNAT:
                assert a in cgnat_ok, f"{p.name}: {a}"
                continue
            assert IPAddress(a) in RFC1918 or IPAddress(a) in DOC, f"{p.name}: {a}"
    for n in truth["networks"]:
        assert IPSet(n["prefixes"]).issubset(RFC1918), n["id"]
    for e in truth["exits"]:
        if e["access_type"] == "cgnat":
            assert IPNetwork(e["public_range"]) in CGNAT
        elif e["public_range"]:
            assert IPNetwork(e["public_range"]) in DOC or any(IPNetwork(e["public_range"]) in IPNetwork(b)
                                                                for b in truth["documentation_blocks"])


def test_config_exits_are_in_their_configs(demo):
    out, _, truth = demo
    addrs = {(h, i): a for a, _, h, i in _config_addresses(out, truth)}
    for e in truth["exits"]:
        if e["seen_in"] == "sheet":
            assert e["device"] is None and e["sheet"]
            continue
        text = _text(out / truth["devices"][e["device"]]["file"])
        assert IPAddress(addrs[(e["device"], e["interface"])]) in IPNetwork(e["public_range"]), e["id"]
        assert re.search(r"(ip route-static 0\.0\.0\.0 0 |ip route 0\.0\.0\.0 0\.0\.0\.0 )", text), e["id"]
        assert "nat outbound" in text or "ip nat outside" in text, e["id"]


def test_exit_dispositions(demo):
    _, _, truth = demo
    cutoff = truth["contract_cutoff"]
    for e in truth["exits"]:
        want = ("keep_mandated" if e["mandated_by"] else
                "keep_until_contract_end" if (e["contract_end"] or "") > cutoff else "migrate")
        assert e["disposition"] == want, e["id"]
        assert e["carrier"] in ("China Telecom", "China Unicom", "China Mobile", "China Broadnet") \
            or not e["carrier_known"]
        if e["seen_in"] == "both":
            assert set(e["disagreements"]) <= {"carrier", "bandwidth_mbps", "public_range"}
            for f in e["disagreements"]:
                assert e["sheet_values"][f] != e[f]


# --- manifest and sheets -------------------------------------------------------------------------
def test_manifest_loads_and_agrees(demo):
    out, _, truth = demo
    m = load_manifest(out / "inventory.yaml")
    raw = yaml.safe_load((out / "inventory.yaml").read_text(encoding="utf-8"))
    assert m.city == "枣庄市" and m.code == "370400" and raw["code"] == "370400"
    assert set(m.devices) == set(truth["devices"])
    off = {(d["name"], t["name"]) for d in m.districts for t in d["towns"] if t["connected"] is False}
    assert off == {(u["district"], u["town"]) for u in truth["unconnected_towns"]}
    for host, d in m.devices.items():
        assert d["role"] == truth["devices"][host]["role"]
    vrfs = {(dev, vrf) for n in m.networks for dev, vrf in n["vrfs"]}
    assert ("ZZ-CORE-01", "admin") in vrfs and ("ZZ-CORE-01", "renshe") in vrfs


def test_sheet_encodings_and_shapes(demo):
    out, _, truth = demo
    by_fmt = {}
    for s in truth["sheets"]:
        by_fmt.setdefault(s["format"], []).append(out / s["file"])
    assert {"gbk", "xlsx", "en"} <= set(by_fmt)
    rooms = [out / s["file"] for s in truth["sheets"] if "机房" in s["file"] or "serverroom" in s["file"]]
    assert rooms, "a 机房 (server room) file for the CSV districts"
    for p in by_fmt["gbk"]:
        if p in rooms:
            rows = list(csv.reader(io.StringIO(p.read_bytes().decode("gb18030"))))
            assert "机房位置" in rows[1] and rows[0][0].endswith("机房自查表")
            continue
        data = p.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        rows = list(csv.reader(io.StringIO(data.decode("gb18030"))))
        assert "单位" in rows[2] and rows[0][0].endswith("自查表")
    for p in by_fmt["en"]:
        rows = list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"))))
        assert "Department" in rows[1]
    merged_vertical = 0
    for p in by_fmt["xlsx"]:
        wb = openpyxl.load_workbook(p)
        assert [ws.title for ws in wb] == ["互联网出口", "局域网及专网", "机房"]   # 机房 since issue 18
        for ws in wb:
            assert ws.cell(1, 1).value.endswith("自查表")
            assert any(r.min_row == 1 and r.max_col > 1 for r in ws.merged_cells.ranges)
            merged_vertical += sum(1 for r in ws.merged_cells.ranges if r.max_row > r.min_row)
    assert merged_vertical > 0


def _cell(out: Path, err) -> str:
    p = out / err["file"]
    col = ord(err["column_letter"]) - 65
    if p.suffix == ".xlsx":
        v = openpyxl.load_workbook(p)[err["sheet"]].cell(err["row"], col + 1).value
        return "" if v is None else str(v)
    if p.suffix == ".xls":
        from python_calamine import CalamineWorkbook
        v = CalamineWorkbook.from_path(str(p)).get_sheet_by_name(err["sheet"]).to_python(
            skip_empty_area=False)[err["row"] - 1][col]
        return str(v)
    rows = list(csv.reader(io.StringIO(_text(p))))
    return rows[err["row"] - 1][col]


def test_planted_sheet_errors_sit_where_recorded(demo):
    out, _, truth = demo
    errs = truth["sheet_errors"]
    assert sorted(e["code"] for e in errs if e["code"] in SHEET_CODES) == sorted(SHEET_CODES)
    assert {e["code"] for e in errs} == SHEET_CODES | AS_WRITTEN_CODES
    for e in errs:
        assert _cell(out, e) == e["value"], e


def test_sheet_collector_reports_exactly_the_planted_errors(demo):
    out, _, truth = demo
    found = set()
    for s in truth["sheets"]:
        rows = collect_sheet(out / s["file"], s["file"])
        for i in rows["issues"]:
            if i["code"] in SHEET_CODES | AS_WRITTEN_CODES:
                found.add((i["source"], i["location"], i["column"].split(" ", 1)[0], i["code"], i["value"]))
    want = {(e["file"], (f"{e['sheet']}!row {e['row']}" if e["sheet"] else f"row {e['row']}"),
             e["column_letter"], e["code"], e["value"]) for e in truth["sheet_errors"]}
    assert found == want


def test_sheet_exit_ranges_read_back(demo):
    out, _, truth = demo
    checked = 0
    for e in truth["exits"]:
        if not e["sheet"] or not e["public_range"]:
            continue
        err = {"file": e["sheet"]["file"], "sheet": e["sheet"]["sheet"], "row": e["sheet"]["row"],
               "column_letter": "H"}
        want = (e["sheet_values"] or {}).get("public_range") or e["public_range"]
        assert to_cidrs(_cell(out, err)).cidrs == [want], e["id"]
        checked += 1
    assert checked >= 10


# --- scaling -------------------------------------------------------------------------------------
def test_small_custom_size(tmp_path):
    s = generate_city(tmp_path / "small", seed=7, districts=2, towns_per_district=3, departments=6,
                      private_networks=4, exits=5, devices=60, unconnected_towns=1)
    truth = json.loads((tmp_path / "small" / "ground_truth.json").read_text(encoding="utf-8"))
    assert s["devices"] == truth["totals"]["devices"] == 60
    assert len(list((tmp_path / "small" / "configs").rglob("*.cfg"))) == 60
    assert truth["totals"]["districts"] == 2 and truth["totals"]["towns"] == 6
    # 5 exits bought on contract, plus the planted CGNAT broadband line (issue 17)
    assert len(truth["exits"]) == 6 and len(truth["unconnected_towns"]) == 1
    load_manifest(tmp_path / "small" / "inventory.yaml")


def test_scale_adds_fictitious_districts(tmp_path):
    s = generate_city(tmp_path / "big", seed=3, scale=2.5)
    truth = json.loads((tmp_path / "big" / "ground_truth.json").read_text(encoding="utf-8"))
    assert s["districts"] == 15 and truth["totals"]["private_networks"] == 30
    assert len(truth["networks"]) == len({n["id"] for n in truth["networks"]})
    assert any(n["id"].startswith("jiaoyu-") for n in truth["networks"])
    load_manifest(tmp_path / "big" / "inventory.yaml")


@pytest.mark.parametrize("sizes,match", [
    (dict(colours=3), "unknown size 'colours'"),
    (dict(devices=5), "devices=5 is below"),
    (dict(departments=999), "departments=999"),
    (dict(exits=500), "exits=500"),
])
def test_impossible_sizes_say_why(tmp_path, sizes, match):
    with pytest.raises(GenerateError, match=match):
        generate_city(tmp_path / "x", seed=1, **sizes)


# --- the parsers recognise every generated config ------------------------------------------------
def test_every_config_detects_as_its_vendor(demo):
    out, _, truth = demo
    wrong = []
    for host, d in truth["devices"].items():
        name, conf = platforms.detect(_text(out / d["file"]))
        if name != d["platform"] or conf < 0.5:
            wrong.append((host, d["platform"], name, conf))
    assert wrong == []
    assert any(d["encoding"] == "gb18030" for d in truth["devices"].values())
