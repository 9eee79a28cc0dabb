"""NX-OS over real public configs of ../shared/corpus: NAPALM's nxos_ssh test data and faddr's
cisco-nexus-test (RANCID backup).  Expectations read by hand from the files."""
from __future__ import annotations

from netconsol import platforms
from netconsol.platforms import nxos

NAPALM = "napalm/test/nxos_ssh/mocked_data/test_get_config/normal/show_running_config.txt"
FADDR = "faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-nexus-test"


def _rows(result, name):
    return [r for r in result.interfaces if r["interface"] == name]


def test_napalm_nxos_ssh_running_config(corpus):
    text = (corpus / NAPALM).read_text(encoding="utf-8")
    assert platforms.detect(text)[0] == "nxos"
    r = nxos.parse(text)
    assert r.check_counts()
    assert r.device["hostname"] == "nxos1"
    assert {v["vrf"] for v in r.vrfs} >= {"management"}
    mgmt = _rows(r, "mgmt0")
    assert [(x["vrf"], x["address"]) for x in mgmt] == [("management", "10.0.0.71/24")]
    assert {(x["vrf"], x["prefix"], x["next_hop"]) for x in r.routes} >= {("management", "0.0.0.0/0", "10.0.0.2")}
    # "interface Vlan1" with no "no shutdown": an SVI is down by default
    assert [x["admin_up"] for x in _rows(r, "Vlan1")] == [False]
    assert [x["address"] for x in _rows(r, "Ethernet2/1")] == ["10.10.10.10/24"]


def test_faddr_cisco_nexus_svi_vrf_member_and_hsrp(corpus):
    text = (corpus / FADDR).read_text(encoding="utf-8")
    assert platforms.detect(text)[0] == "nxos"
    r = nxos.parse(text)
    assert r.check_counts()
    (v100,) = _rows(r, "Vlan100")
    assert (v100["vrf"], v100["address"], v100["admin_up"], v100["gateways"]) == \
        ("VRF_Test", "10.100.100.1/24", True, "10.100.100.100")
