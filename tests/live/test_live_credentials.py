"""Credentials never leak: repr, scrubbing, and config redaction (all vendors, real corpus configs)."""
from __future__ import annotations

import pytest

from netconsol.collectors.configs import collect_config
from netconsol.credentials import MASK, Credentials, redact_config, scrub

# (config line, what must remain, the secret that must be gone)
REDACT_CASES = [
    # Cisco IOS
    ("enable secret 5 $1$mUNS$EA8GP0//goIY0zv7gjl0E0", "enable secret 5 <redacted>", "$1$mUNS"),
    ("enable password cisco123", "enable password <redacted>", "cisco123"),
    ("username faddr privilege 15 secret 5 $1$2PVi$G3FmVHNhRBeg", "username faddr privilege 15 secret 5 <redacted>",
     "$1$2PVi"),
    ("username cisco privilege 15 password 0 plainpw", "username cisco privilege 15 password 0 <redacted>",
     "plainpw"),
    ("snmp-server community PUBL1C RO", "snmp-server community <redacted> RO", "PUBL1C"),
    ("snmp-server community wr1te RW 10", "snmp-server community <redacted> RW 10", "wr1te"),
    ("snmp-server user u1 g1 v3 auth sha AUTHPW priv aes 128 PRIVPW",
     "snmp-server user u1 g1 v3 auth sha <redacted> priv aes 128 <redacted>", "AUTHPW"),
    ("tacacs-server key 7 045802150C2E", "tacacs-server key 7 <redacted>", "045802150C2E"),
    (" neighbor 10.0.0.2 password 7 02050D480809", " neighbor 10.0.0.2 password 7 <redacted>", "02050D480809"),
    (" ip ospf message-digest-key 1 md5 7 0822455D0A16", " ip ospf message-digest-key 1 md5 7 <redacted>",
     "0822455D0A16"),
    ("  key-string 7 110A1016141D", "  key-string 7 <redacted>", "110A1016141D"),
    ("crypto isakmp key V3ryS3cret address 1.2.3.4", "crypto isakmp key <redacted> address 1.2.3.4", "V3ryS3cret"),
    # Arista EOS
    ("username admin privilege 15 role network-admin secret sha512 $6$salt$hash",
     "username admin privilege 15 role network-admin secret sha512 <redacted>", "$6$salt$hash"),
    # Huawei VRP / H3C Comware
    (" local-user admin password irreversible-cipher $1c$uj7|KFC$0%tR'H-Y$",
     " local-user admin password irreversible-cipher <redacted>", "$1c$uj7"),
    (" local-user admin password cipher %^%#abc%^%#", " local-user admin password cipher <redacted>", "%^%#abc"),
    ("snmp-agent community read cipher %^%#Zz1%^%#", "snmp-agent community read cipher <redacted>", "%^%#Zz1"),
    ("snmp-agent community write private9", "snmp-agent community write <redacted>", "private9"),
    ("super password level 15 cipher OPQ123", "super password level 15 cipher <redacted>", "OPQ123"),
    (" peer 10.0.0.2 password cipher %^%#Peer%^%#", " peer 10.0.0.2 password cipher <redacted>", "%^%#Peer"),
    # JunOS, brace and set formats
    ('        encrypted-password "$6$l.w9q1ej$o6wp"; ## SECRET-DATA',
     '        encrypted-password "<redacted>"; ## SECRET-DATA', "$6$l.w9q1ej"),
    ('set system root-authentication encrypted-password "$6$Z5pg$XF"',
     'set system root-authentication encrypted-password "<redacted>"', "$6$Z5pg"),
    ('    authentication-key "$9$dkbs4"; ## SECRET-DATA', '    authentication-key "<redacted>"; ## SECRET-DATA',
     "$9$dkbs4"),
    ("    community n0tpublic {", "    community <redacted> {", "n0tpublic"),
    ("set snmp community n0tpublic authorization read-only",
     "set snmp community <redacted> authorization read-only", "n0tpublic"),
]

KEPT = [
    "service password-encryption",
    " description secret password for the lab",
    "key chain OSPF-KEYS",
    " key 1",
    "crypto key generate rsa modulus 2048",
    "ssh server cipher aes256_gcm aes128_gcm aes256_ctr 3des_cbc",
    "interface GigabitEthernet0/0/1",
    " ip vrf forwarding MGMT",
]


@pytest.mark.parametrize("line,expected,secret", REDACT_CASES, ids=[c[0].strip()[:40] for c in REDACT_CASES])
def test_redact_masks_the_secret_and_keeps_the_line(line, expected, secret):
    got = redact_config(line)
    assert got == expected
    assert secret not in got


@pytest.mark.parametrize("line", KEPT)
def test_redact_leaves_lines_without_secrets_alone(line):
    assert redact_config(line) == line


def test_redact_keeps_every_line_and_its_layout():
    text = "hostname R1\r\nenable secret 5 $1$x$y\r\n!\r\ninterface Gi0/1\r\n ip address 10.0.0.1 255.255.255.0\r\n"
    got = redact_config(text)
    assert got.count("\r\n") == text.count("\r\n")
    assert got == text.replace("$1$x$y", MASK)


@pytest.mark.parametrize("rel,platform,secrets", [
    ("faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-ios-15-7206", "ios",
     ["$1$mUNS$EA8GP0//goIY0zv7gjl0E0", "$1$2PVi$G3FmVHNhRBegJrfGfEZtV/"]),
    ("faddr/tests/fixtures/rancid/group_01_3rows/configs/huawei-vrp-v800-ne40", "vrp",
     ["$1c$uj7|KFCkcT$0%tRLKwdS"]),
    ("faddr/tests/fixtures/rancid/group_01_3rows/configs/juniper-junos-17-vmx", "junos",
     ["$6$l.w9q1ej$o6wpvl3fSg8XTjUV3E4v82P6hVmR0uJVRAplW84y4WKe2I1TOkko66foOF",
      "$6$uA/QUnw8$jsRC/NQPeNotLR5z0iUZsj0kmp6b3p7kUvY8ntjjLms3YmIC6gcPMEUeSFEmdPvGBaTSGzhx2YeC4Dx2HXMzY."]),
    ("napalm/test/ios/mocked_data/test_get_config/normal/show_running_config.txt", "ios", []),
])
def test_redacted_corpus_configs_lose_secrets_not_inventory(corpus, rel, platform, secrets):
    text = (corpus / rel).read_text(encoding="utf-8", errors="replace")
    for s in secrets:
        assert s in text, f"corpus changed: {s!r} not in {rel}"
    red = redact_config(text)
    for s in secrets:
        assert s not in red
    assert len(red.splitlines()) == len(text.splitlines())
    before = collect_config(rel, "x", platform, text=text)
    after = collect_config(rel, "x", platform, text=red)
    for table in ("devices", "interfaces", "vrfs", "routes", "bgp", "nat"):
        assert after[table] == before[table], table
    assert before["interfaces"], "the config should give interfaces"


def test_napalm_csr1_plaintext_passwords_are_masked(corpus):
    text = (corpus / "napalm/test/ios/mocked_data/test_get_config/normal/show_running_config.txt").read_text()
    red = redact_config(text)
    assert "enable password cisco" in text and "enable password <redacted>" in red
    assert "username cisco privilege 15 password 0 <redacted>" in red


def test_credentials_hide_password_and_secret():
    c = Credentials("netops", "Pw-1!abc", "En-2!def")
    for shown in (repr(c), str(c), f"{c}"):
        assert "Pw-1!abc" not in shown and "En-2!def" not in shown
        assert "netops" in shown


def test_credentials_from_env():
    env = {"NETCONSOL_USERNAME": "u", "NETCONSOL_PASSWORD": "p4ss", "NETCONSOL_SECRET": "s3c"}
    c = Credentials.from_env(env)
    assert (c.username, c.password, c.secret) == ("u", "p4ss", "s3c")
    assert Credentials.from_env({"NETCONSOL_USERNAME": "u"}) is None
    assert Credentials.from_env({"NETCONSOL_USERNAME": "u", "NETCONSOL_PASSWORD": "p"}).secret == ""


def test_scrub_removes_every_occurrence_longest_first():
    c = Credentials("u", "abc", "abcdef")
    assert c.scrub("login abcdef then abc") == "login ******** then ********"
    assert scrub(None, ["x"]) == ""
    assert Credentials("u", "").scrub("nothing to hide") == "nothing to hide"
