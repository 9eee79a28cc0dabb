"""Config collection: vendor detection on mixed folders, coverage that adds up, exit hints, bad files."""
import shutil
from pathlib import Path

import pytest

from netconsol import platforms
from netconsol.collectors import collect
from netconsol.collectors.configs import collect_config
from netconsol.inventory import Inventory

FIX = Path(__file__).parent / "fixtures" / "configs"

MIXED = {
    "batfish/networks/example/live/configs/as2dept1.cfg": "ios",
    "faddr/tests/fixtures/rancid/group_01_3rows/configs/huawei-vrp-v800-ne40": "vrp",
    "faddr/tests/fixtures/rancid/group_01_3rows/configs/juniper-junos-17-vmx": "junos",
    "faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-iosxr-6-xrv": "iosxr",
    "netutils/tests/unit/mock/config/parser/base/hp_comware/hp_comware_full_sent.txt": "comware",
}


@pytest.fixture(scope="module")
def mixed(corpus, tmp_path_factory):
    d = tmp_path_factory.mktemp("mixed")
    for rel in MIXED:
        shutil.copy(corpus / rel, d / Path(rel).name)
    (d / "notes.txt").write_text("meeting notes: call the carrier about the 100M line\n", encoding="utf-8")
    return collect([d])


def test_mixed_folder_is_auto_detected(mixed):
    files = mixed["files"].set_index("source")
    for rel, platform in MIXED.items():
        assert files.loc[Path(rel).name, "platform"] == platform, rel
    assert files.loc["notes.txt", "status"] == "unrecognized"
    issue = mixed["issues"][mixed["issues"].source == "notes.txt"].iloc[0]
    assert issue.code == "unrecognized-file" and "--platform" in issue.expected
    assert mixed.validate() == []


def test_config_lines_add_up_and_unrecognized_lines_are_listed(mixed):
    for f in mixed["files"][mixed["files"].kind == "config"].itertuples():
        if f.status == "unrecognized":
            continue
        assert f.understood + f.ignored + f.unrecognized == f.lines, f.source
        listed = mixed["issues"][(mixed["issues"].source == f.source) & (mixed["issues"].code == "unrecognized-line")]
        assert len(listed) == f.unrecognized, f.source
        assert all(loc.startswith("line ") for loc in listed.location)


def test_every_interface_subnet_is_a_prefix_row(mixed):
    ifaces = mixed["interfaces"][mixed["interfaces"].subnet != ""]
    prefixes = mixed["prefixes"][mixed["prefixes"].origin == "interface"]
    assert len(prefixes) == len(ifaces)
    assert set(zip(prefixes.device, prefixes.interface, prefixes.prefix)) == \
        set(zip(ifaces.device, ifaces.interface, ifaces.subnet))


def test_vrp_exit_hints_with_evidence():
    assert platforms.detect((FIX / "xc-jyj-ar01.cfg").read_text())[0] == "vrp"
    inv = Inventory.from_rows(collect_config(FIX / "xc-jyj-ar01.cfg", "configs/xc-jyj-ar01.cfg"))
    assert inv["devices"].iloc[0].site == "薛城区教育局机房"
    ex = inv["exits"]
    assert list(ex.interface) == ["GigabitEthernet0/0/0"]  # the MSTP extranet line is not an exit
    e = ex.iloc[0]
    assert set(e.evidence.split()) == {"default-route", "nat-outbound", "carrier-description", "public-address"}
    assert (e.carrier, e.public_range, e.public_ips) == ("China Telecom", "203.0.113.0/30", 4)
    assert e.exit == "C-XC-JYJ-AR01:GigabitEthernet0/0/0"


def test_ios_exit_from_nat_outside_default_route_and_carrier_ebgp():
    inv = Inventory.from_rows(collect_config(FIX / "ga-r01.cfg", "configs/ga-r01.cfg"))
    e = inv["exits"].iloc[0]
    assert e.interface == "GigabitEthernet0/0"
    assert {"default-route", "nat-outbound", "ebgp-carrier"} <= set(e.evidence.split())  # ip nat outside
    assert e.carrier == "China Unicom"  # AS4837
    nat = inv["nat"].set_index("kind")
    assert nat.loc["static", "outside"] == "198.51.100.6"


def test_gb18030_config_with_chinese_description(tmp_path):
    text = (FIX / "xc-jyj-ar01.cfg").read_text(encoding="utf-8")
    p = tmp_path / "gbk.cfg"
    p.write_bytes(text.encode("gb18030"))
    inv = Inventory.from_rows(collect_config(p, "gbk.cfg"))
    assert inv["files"].iloc[0].encoding == "gb18030"
    desc = inv["interfaces"].set_index("interface").loc["GigabitEthernet0/0/1", "description"]
    assert desc == "局域网"


def test_platform_can_be_forced(tmp_path):
    p = tmp_path / "snippet.cfg"
    p.write_text("interface GigabitEthernet0/0/1\n ip address 10.1.1.1 255.255.255.0\n", encoding="utf-8")
    inv = Inventory.from_rows(collect_config(p, "snippet.cfg", platform="vrp"))
    assert inv["files"].iloc[0].platform == "vrp"
    assert inv["interfaces"].iloc[0].address == "10.1.1.1/24"
    assert inv["issues"].iloc[0].code == "no-hostname"
    assert inv["devices"].iloc[0].device == "snippet"


def test_duplicate_hostnames_are_kept_apart(tmp_path):
    for n in ("a", "b"):
        shutil.copy(FIX / "ga-r01.cfg", tmp_path / f"{n}.cfg")
    inv = collect([tmp_path])
    assert sorted(inv["devices"].device) == ["GA-R01", "GA-R01@b.cfg"]
    assert "duplicate-hostname" in set(inv["issues"].code)
    assert inv.validate() == []


def test_empty_and_binary_files_do_not_stop_a_scan(tmp_path):
    (tmp_path / "empty.cfg").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 20)
    shutil.copy(FIX / "ga-r01.cfg", tmp_path / "ga.cfg")
    inv = collect([tmp_path])
    assert list(inv["devices"].device) == ["GA-R01"]
    assert set(inv["files"].set_index("source").loc[["empty.cfg", "blob.bin"], "status"]) == {"unrecognized"}


def test_repeated_key_rows_are_kept_once_and_reported():
    from netconsol.collectors import _unique_keys
    from netconsol.inventory import Rows

    rows = Rows()
    base = {"device": "R1", "interface": "Gi0/1", "source": "configs/r1.cfg"}
    rows.add("interfaces", dict(base, address="10.0.0.1/24", location="line 3"))
    rows.add("interfaces", dict(base, address="10.0.0.1/24", location="line 9"))    # the same key again
    rows.add("interfaces", dict(base, address="10.0.0.2/24", location="line 10"))   # another address: kept
    rows.add("interfaces", dict(base, address=None, location="line 11"))            # no address ...
    rows.add("interfaces", dict(base, location="line 12"))                          # ... is the same key as none
    rows.add("routes", {"device": "R1", "prefix": "0.0.0.0/0", "next_hop": "192.0.2.1", "source": "a"})
    _unique_keys(rows)
    assert [r["location"] for r in rows["interfaces"]] == ["line 3", "line 10", "line 11"]
    assert len(rows["routes"]) == 1
    dups = [i for i in rows["issues"] if i["code"] == "duplicate-row"]
    assert [(i["location"], i["value"]) for i in dups] == [("line 9", "R1 Gi0/1 10.0.0.1/24"), ("line 12", "R1 Gi0/1 ")]
