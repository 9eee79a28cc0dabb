"""The manifest and attribution: who each row belongs to, by what, and conflicts as issues."""
import textwrap

import pytest

from netconsol.attribute import PrefixIndex, attribute
from netconsol.errors import InventoryError
from netconsol.inventory import Inventory, Rows
from netconsol.manifest import load_manifest

MANIFEST = textwrap.dedent("""\
    city: 枣庄市
    code: "370400"
    districts:
      - name: 薛城区
        code: "370403"
        towns: [临城街道, {name: 周营镇, connected: false}]
    departments:
      - {name: 市公安局}
      - {name: 市人力资源和社会保障局, aliases: [市人社局]}
    networks:
      - id: extranet-admin
        name: 政务外网行政服务域
        kind: extranet_admin
        department: 市大数据局
        prefixes: [10.0.0.0/14]
      - id: gongan
        name: 公安视频专网
        kind: business_private
        department: 市公安局
        vertical_ministry: 公安部
        prefixes: [10.10.0.0/16, 192.168.1.0/24]
        devices: [GA-R01]
      - id: renshe
        name: 人社专网
        kind: business_private
        department: 市人力资源和社会保障局
        prefixes: [192.168.1.0/24]
        vrfs: ["XC-PE-01:RS"]
    devices:
      XC-PE-01: {department: 市大数据局, district: 薛城区, role: pe, network: extranet-admin}
      GHOST-01: {department: 市大数据局}
    """)


@pytest.fixture
def manifest(tmp_path):
    p = tmp_path / "inventory.yaml"
    p.write_text(MANIFEST, encoding="utf-8")
    return load_manifest(p)


def _rows():
    r = Rows()
    for dev in ("XC-PE-01", "GA-R01", "XX-R9"):
        r.add("devices", {"device": dev, "source": f"{dev}.cfg", "location": "file"})

    def pfx(prefix, dev, iface, vrf=""):
        r.add("prefixes", {"prefix": prefix, "device": dev, "interface": iface, "vrf": vrf, "origin": "interface",
                           "source": f"{dev}.cfg", "location": "line 1"})
    pfx("10.0.1.0/30", "XC-PE-01", "GigabitEthernet0/0/1")          # device -> extranet-admin
    pfx("192.168.1.0/30", "XC-PE-01", "GigabitEthernet0/0/2.10", "RS")  # vrf -> renshe
    pfx("10.10.5.0/24", "GA-R01", "GigabitEthernet0/1")              # device -> gongan, agrees with range
    pfx("10.1.9.0/24", "GA-R01", "GigabitEthernet0/2")               # device says gongan, range says admin
    pfx("10.2.0.0/24", "XX-R9", "Vlanif2")                           # containment -> extranet-admin
    pfx("192.168.1.128/25", "XX-R9", "Vlanif3")                      # inside two networks' ranges
    r.add("networks", {"network": "市人社局/人社专网", "name": "人社专网", "kind": "business_private",
                       "department": "市人社局", "attributed_by": "sheet", "source": "s.csv", "location": "row 3"})
    return r


def test_manifest_loads_units_and_networks(manifest):
    assert manifest.city == "枣庄市"
    assert manifest.districts[0]["towns"][1] == {"name": "周营镇", "code": "", "connected": False}
    assert manifest.network("renshe")["vrfs"] == [("XC-PE-01", "RS")]


@pytest.mark.parametrize("bad,match", [
    ("city: X\nnetworks:\n  - {id: a, kind: wan}\n", "kind 'wan' is not one of"),
    ("city: X\nnetworks:\n  - {id: a, kind: lan, prefixes: [10.0.0.300/8]}\n", "prefix '10.0.0.300/8' is not a CIDR"),
    ("city: X\nnetwork: []\n", "unknown key 'network'"),
    ("code: 1\n", "'city' is required"),
    ("city: X\nnetworks:\n  - {id: a, kind: lan, vrfs: [PE1]}\n", "must be 'DEVICE:VRF'"),
    ("city: X\ndevices:\n  R1: {network: nope}\n", "not a networks id"),
])
def test_manifest_errors_name_the_key(tmp_path, bad, match):
    p = tmp_path / "inventory.yaml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(InventoryError, match=match):
        load_manifest(p)


def test_attribution_precedence_and_conflicts(manifest):
    rows = attribute(_rows(), manifest)
    inv = Inventory.from_rows(rows)
    assert inv.validate() == []
    p = inv["prefixes"].set_index(["device", "interface"])
    got = {k: (v.network, v.attributed_by) for k, v in p[p.origin == "interface"].iterrows()}
    assert got[("XC-PE-01", "GigabitEthernet0/0/1")] == ("extranet-admin", "manifest")
    assert got[("XC-PE-01", "GigabitEthernet0/0/2.10")] == ("renshe", "manifest")
    assert got[("GA-R01", "GigabitEthernet0/1")] == ("gongan", "manifest")
    assert got[("GA-R01", "GigabitEthernet0/2")] == ("gongan", "manifest")
    assert got[("XX-R9", "Vlanif2")] == ("extranet-admin", "containment")
    assert got[("XX-R9", "Vlanif3")] == ("", "")
    issues = inv["issues"].set_index("code")
    assert "lies only inside ranges of extranet-admin" in issues.loc["attribution-conflict", "message"]
    assert "gongan, renshe" in issues.loc["attribution-ambiguous", "message"]
    assert issues.loc["device-not-found", "value"] == "GHOST-01"


def test_sheet_network_named_in_manifest_takes_its_id_and_department(manifest):
    inv = Inventory.from_rows(attribute(_rows(), manifest))
    nets = inv["networks"].set_index("network")
    assert "市人社局/人社专网" not in nets.index  # merged into the manifest's network
    assert nets.loc["renshe", "department"] == "市人力资源和社会保障局"
    assert nets.loc["renshe", "attributed_by"] == "manifest"


def test_units_from_manifest(manifest):
    inv = Inventory.from_rows(attribute(Rows(), manifest))
    units = inv["units"].set_index("unit")
    assert units.loc["薛城区/周营镇", "connected"] is False or units.loc["薛城区/周营镇", "connected"] == False  # noqa: E712
    assert units.loc["dept:市人力资源和社会保障局", "aliases"] == "市人社局"
    assert set(units.level) == {"city", "district", "town", "department"}


def test_prefix_index_longest_match():
    idx = PrefixIndex([("10.0.0.0/8", "a"), ("10.1.0.0/16", "b"), ("10.1.0.0/16", "c"), ("2001:db8::/32", "v6")])
    assert idx.lookup("10.1.2.0/24") == [{"b", "c"}, {"a"}]
    assert idx.lookup("10.2.0.0/24") == [{"a"}]
    assert idx.lookup("192.168.0.0/24") == []
    assert idx.lookup("2001:db8:1::/48") == [{"v6"}]


def test_manifest_in_json_syntax_loads_the_same(tmp_path, manifest):
    import json

    import yaml

    data = yaml.safe_load(MANIFEST)
    p = tmp_path / "j" / "inventory.yaml"
    p.parent.mkdir()
    p.write_text("# generated\n" + json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    other = load_manifest(p)
    assert (other.city, other.networks, other.devices, other.districts) == \
        (manifest.city, manifest.networks, manifest.devices, manifest.districts)


def test_prefix_index_equals_netaddr_containment():
    """Longest-first containment hits equal netaddr's, on seeded v4/v6 prefixes and odd spellings."""
    import random

    from netaddr import IPNetwork

    rng = random.Random(11)
    indexed = []
    for k in range(400):
        if k % 5 == 0:
            net = IPNetwork((rng.getrandbits(128) & ~((1 << 96) - 1) | (0x20010db8 << 96), rng.randint(32, 64)),
                            version=6).cidr
        else:
            net = IPNetwork((10 << 24 | rng.getrandbits(16) << 8, rng.randint(8, 28))).cidr
        indexed.append((str(net), f"n{k}"))
    idx = PrefixIndex(indexed)
    queries = [str(IPNetwork(c).cidr) for c, _ in indexed[:100]]
    queries += [f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}/{rng.randint(16, 32)}"
                for _ in range(2000)]
    queries += ["10.1.2.3", "10.1.2.3/32", "2001:db8::1/128", "2001:db8::/48", "0.0.0.0/0", "10.0.0.0/8"]
    nets = [(IPNetwork(c), label) for c, label in indexed]
    for q in queries:
        qn = IPNetwork(q)
        want = {}
        for n, label in nets:
            if n.version == qn.version and n.prefixlen <= qn.prefixlen and qn.network in n:
                want.setdefault(n.prefixlen, set()).add(label)
        assert idx.lookup(q) == [want[p] for p in sorted(want, reverse=True)], q


def test_unknown_department_spelling_is_warned_once_with_its_count(manifest):
    r = _rows()
    for i, dept in enumerate(("市公按局", "市公按局", "市人社局", "市大数据局", "区教育局")):
        r.add("exits", {"exit": f"e{i}", "department": dept, "origin": "sheet", "source": "exits.csv",
                        "location": f"row {i + 2}"})
    inv = Inventory.from_rows(attribute(r, manifest))
    warned = inv["issues"][inv["issues"].code == "unknown-department"].sort_values("value")
    # the alias (市人社局) and a department the manifest's networks name (市大数据局) are known
    assert list(warned.value) == ["区教育局", "市公按局"]
    typo = warned[warned.value == "市公按局"].iloc[0]
    assert (typo.source, typo.location, typo.severity) == ("exits.csv", "row 2", "warning")
    assert "2 row(s)" in typo.message and "closest manifest name: '市公安局'" in typo.message
    assert "closest" not in warned[warned.value == "区教育局"].iloc[0].message
    exits = inv["exits"].set_index("exit")
    assert exits.loc["e1", "department"] == "市公按局"          # kept as written: the warning says so
    assert exits.loc["e2", "department"] == "市人力资源和社会保障局"


def test_no_unknown_department_check_without_a_departments_list(tmp_path):
    p = tmp_path / "inventory.yaml"
    p.write_text("city: X\n", encoding="utf-8")
    r = Rows()
    r.add("exits", {"exit": "e1", "department": "市公按局", "origin": "sheet", "source": "s.csv", "location": "row 2"})
    inv = Inventory.from_rows(attribute(r, load_manifest(p)))
    assert "unknown-department" not in set(inv["issues"].code)


def test_sheet_rows_give_config_devices_model_and_department():
    """Issue 18: the access device a sheet row names gets the row's model when its config does not say
    (a disagreement is a warning), and the row's department when the manifest gives none."""
    r = Rows()
    r.add("devices", {"device": "XC-JY-AR01", "platform": "vrp", "source": "configs/a.cfg"})
    r.add("devices", {"device": "XC-WS-AR01", "platform": "vrp", "model": "AR6120", "source": "configs/b.cfg"})
    r.add("prefixes", {"prefix": "10.9.1.0/24", "device": "XC-JY-AR01", "interface": "Vlanif10",
                       "origin": "interface", "source": "configs/a.cfg", "location": "line 9"})
    for i, (dev, dept, model) in enumerate((("xc-jy-ar01", "区教育局", "AR2240"), ("XC-WS-AR01", "区卫健局", "AR2240"))):
        r.add("networks", {"network": f"{dept}/办公网", "name": "办公网", "kind": "lan", "department": dept,
                           "attributed_by": "sheet", "access_device": dev, "model": model, "vendor": "Huawei",
                           "source": "sheets/s.csv", "location": f"row {i + 4}"})
    inv = Inventory.from_rows(attribute(r, None))
    d = inv["devices"].set_index("device")
    assert (d.loc["XC-JY-AR01", "model"], d.loc["XC-JY-AR01", "department"]) == ("AR2240", "区教育局")
    assert (d.loc["XC-JY-AR01", "model_source"], d.loc["XC-JY-AR01", "attributed_by"]) == ("sheets/s.csv row 4",
                                                                                          "sheet")
    assert d.loc["XC-WS-AR01", "model"] == "AR6120"          # the config's model stays ...
    warn = inv["issues"][inv["issues"].code == "model-disagrees"]
    assert list(warn.location) == ["row 5"] and list(warn.value) == ["AR2240"]   # ... and the sheet's is reported
    p = inv["prefixes"].set_index("prefix")
    assert (p.loc["10.9.1.0/24", "department"], p.loc["10.9.1.0/24", "attributed_by"]) == ("区教育局", "sheet")
