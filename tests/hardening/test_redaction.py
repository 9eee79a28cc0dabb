"""Issue 20, problem 7: secrets are replaced only where a secret stands, never inside data."""
from __future__ import annotations

import pytest

from netconsol.collectors.configs import collect_config
from netconsol.collectors.live import _clean_config, _scrub_obj, classify
from netconsol.credentials import Credentials

CONFIG = """hostname R1
username admin privilege 15 password {pw}
enable secret {sec}
!
interface GigabitEthernet1
 description uplink to 10.1.1.254
 ip address 10.1.1.1 255.255.255.0
!
interface GigabitEthernet2
 ip address 10.10.10.1 255.255.255.0
 vlan 10
!
ip route 0.0.0.0 0.0.0.0 10.1.1.254
end
"""


@pytest.mark.parametrize("pw,sec", [("Gigabit", "10"), ("interface", "Gigabit"), ("10", "interface")])
def test_config_keeps_its_data_and_loses_its_secrets(pw, sec):
    creds = Credentials("admin", pw, sec)
    text = CONFIG.format(pw=pw, sec=sec)
    clean = _clean_config({"running": text}, creds)["running"]
    assert "GigabitEthernet1" in clean and "ip address 10.1.1.1 255.255.255.0" in clean
    assert "interface GigabitEthernet2" in clean and "10.10.10.1" in clean
    for line in clean.splitlines():
        if "password" in line or "secret" in line:
            assert pw not in line.split() and sec not in line.split(), line
    rows = collect_config("r1.cfg", "r1.cfg", text=clean)
    addrs = {r["address"] for r in rows["interfaces"]}
    assert {"10.1.1.1/24", "10.10.10.1/24"} <= addrs
    assert not [i for i in rows["issues"] if i["severity"] == "error"]


def test_echoes_and_keyword_places_are_scrubbed():
    creds = Credentials("admin", "interface", "10")
    out = creds.scrub_data("R1>enable\nPassword: 10\nR1#show run interface GigabitEthernet1\n"
                           "interface GigabitEthernet1\n  snmp community=10\nurl ssh://admin:interface@192.0.2.1\n"
                           "interface\n")
    assert "Password: ********" in out and "community=********" in out and "admin:********@" in out
    assert "show run interface GigabitEthernet1" in out and "\ninterface GigabitEthernet1\n" in out
    assert out.endswith("\n********\n")  # the password typed alone, echoed
    data = _scrub_obj({"GigabitEthernet1": {"ipv4": {"10.1.1.1": {"prefix_length": 24}}, "description": "interface"}},
                      Credentials("u", "Gigabit", "10"))
    assert data == {"GigabitEthernet1": {"ipv4": {"10.1.1.1": {"prefix_length": 24}}, "description": "interface"}}


def test_error_messages_lose_whole_tokens_only():
    creds = Credentials("admin", "Gigabit", "10")
    code, reason = classify(RuntimeError("login with Gigabit failed on GigabitEthernet1 at 10.1.1.1, enable 10"), creds)
    assert "login with ******** failed on GigabitEthernet1 at 10.1.1.1, enable ********" in reason
