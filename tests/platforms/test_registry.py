"""The platform registry: each vendor module declares itself; detection, the CLI's --platform
choices and live collection read the registry, so a new vendor is one module (plus fixtures)."""
from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

from netconsol import platforms
from netconsol.cli import cli
from netconsol.collectors import live

DUMMY = '''
from netconsol.platforms.base import ParseResult

NAME = "dummyos"
VENDOR = "dummy"
ORDER = 70
LIVE_DRIVERS = {"dummy_napalm": ("dummy", "netmiko")}
DRIVER_ALIASES = {"dummy": "dummy_napalm"}


def detect(text):
    return 1.0 if "\\n!dummyos-config" in "\\n" + text[:4096] else 0.0


def parse(text):
    return ParseResult()
'''


def test_the_shipped_vendors_register_themselves():
    assert platforms.names() == ("vrp", "comware", "ios", "iosxr", "eos", "nxos", "junos")
    assert {n: platforms.get(n).VENDOR for n in platforms.names()} == {
        "vrp": "huawei", "comware": "h3c", "ios": "cisco", "iosxr": "cisco", "eos": "arista", "nxos": "cisco",
        "junos": "juniper"}
    # NX-OS is a platform of its own (issue 19): NAPALM's nxos_ssh driver maps to its parser
    assert live.DRIVERS == {"huawei_vrp": "vrp", "ios": "ios", "nxos_ssh": "nxos", "eos": "eos", "junos": "junos"}
    assert live._driver_name("cisco_nxos") == "nxos_ssh" and live._driver_name("huawei") == "huawei_vrp"


def test_a_new_vendor_is_one_module(tmp_path, monkeypatch):
    path = tmp_path / "dummyos.py"
    path.write_text(DUMMY, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("dummyos", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(platforms, "_MODULES", dict(platforms._MODULES))
    monkeypatch.setattr(platforms, "PLATFORMS", platforms.PLATFORMS)
    platforms.register(mod)

    assert platforms.names()[-1] == "dummyos"
    assert platforms.detect("!dummyos-config\nhostname x\n") == ("dummyos", 1.0)
    assert platforms.detect("sysname HZ-R1\n#\ninterface GigabitEthernet0/0/1\n")[0] == "vrp"  # others unchanged
    r = CliRunner().invoke(cli, ["collect", "--help"])
    assert "dummyos" in r.output
    r = CliRunner().invoke(cli, ["collect", str(tmp_path), "--out", str(tmp_path / "o"), "--platform", "nosuch"])
    assert r.exit_code != 0 and "dummyos" in r.output  # the choices offered name the new vendor
    assert live._driver_name("dummy") == "dummy_napalm" and live.DRIVERS["dummy_napalm"] == "dummyos"
    assert "dummy_napalm" in live._NETMIKO_DRIVERS and live._VENDOR["dummy_napalm"] == "dummy"


def test_a_module_missing_a_declaration_is_refused():
    import types

    with pytest.raises(TypeError, match="lacks ORDER"):
        platforms.register(types.SimpleNamespace(__name__="half", NAME="half", VENDOR="x", detect=None, parse=None))
