"""The pipeline (netconsol.open): rules resolution shared by scan, `plan` and `topology`, and the
Python API example of the README run as written."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import netconsol
from netconsol import schema
from netconsol.cli import cli
from netconsol.rules import DEFAULT_RULES_DIR

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def own_rules(tmp_path_factory):
    """The demo with its own rules/: a larger exit headroom and a larger renumbering margin."""
    inv = tmp_path_factory.mktemp("inv") / "city"
    shutil.copytree(DEMO, inv)
    (inv / "rules").mkdir(exist_ok=True)  # the demo ships its own exits.yaml (its sites); edit that one
    exits = (inv / "rules" / "exits.yaml").read_text(encoding="utf-8")
    assert "\nheadroom: 1.3\n" in exits
    (inv / "rules" / "exits.yaml").write_text(exits.replace("\nheadroom: 1.3\n", "\nheadroom: 2.5\n"), encoding="utf-8")
    domains = (DEFAULT_RULES_DIR / "domains.yaml").read_text(encoding="utf-8")
    assert "\ngrowth_factor: 2\n" in domains
    (inv / "rules" / "domains.yaml").write_text(domains.replace("\ngrowth_factor: 2\n", "\ngrowth_factor: 16\n"),
                                                encoding="utf-8")
    return inv


@pytest.fixture(scope="module")
def scanned(own_rules, tmp_path_factory):
    out = tmp_path_factory.mktemp("scan")
    r = CliRunner().invoke(cli, ["scan", str(own_rules), "--out", str(out / "out"), "--db", str(out / "h.sqlite")])
    assert r.exit_code == 0, r.output
    return out / "out"


def _plan_json(args, out: Path) -> dict:
    r = CliRunner().invoke(cli, args + ["--format", "json", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))


def _pool_needed(doc) -> float:
    rows = doc["tables"]["summary"]["rows"]
    return [r for r in rows if r["metric"] == "bandwidth_needed_mbps"][0]["after"]


def test_pipeline_resolves_rules_inventory_first(own_rules, tmp_path):
    p = netconsol.open(own_rules)
    assert p.rules_path("exits.yaml") == own_rules / "rules" / "exits.yaml"
    assert p.rules_path("carriers.yaml") == DEFAULT_RULES_DIR / "carriers.yaml"
    assert p.exit_rules.headroom == 2.5 and p.domain_rules.growth_factor == 16
    other = tmp_path / "r"
    other.mkdir()
    (other / "exits.yaml").write_text((DEFAULT_RULES_DIR / "exits.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert netconsol.open(own_rules, rules_dir=other).rules_path("exits.yaml") == other / "exits.yaml"
    assert netconsol.open(own_rules, rules_dir=other).rules_path("domains.yaml") == own_rules / "rules" / "domains.yaml"


def test_plan_commands_honour_the_inventorys_rules(own_rules, scanned, tmp_path):
    # scan honoured the inventory's rules before; the plan commands now give the same tables
    for key in ("exits", "merge"):
        from_scan = json.loads((scanned / "plans" / f"{key}-plan.json").read_text(encoding="utf-8"))
        planned = _plan_json(["plan", key, str(own_rules)], tmp_path / f"{key}.json")
        shipped = _plan_json(["plan", key, str(DEMO)], tmp_path / f"{key}-shipped.json")
        assert planned["tables"] == from_scan["tables"]
        assert planned["tables"] != shipped["tables"], key
    exits = json.loads((tmp_path / "exits.json").read_text(encoding="utf-8"))
    shipped = json.loads((tmp_path / "exits-shipped.json").read_text(encoding="utf-8"))
    assert _pool_needed(exits) > _pool_needed(shipped) * 1.5  # headroom 2.5 against 1.3
    # a snapshot carries no rules: its plan uses the shipped ones, as the demo does when told to
    from_snapshot = _plan_json(["plan", "exits", str(scanned / "snapshot")], tmp_path / "snap.json")
    shipped_only = _plan_json(["plan", "exits", str(DEMO), "--rules", str(DEFAULT_RULES_DIR)], tmp_path / "sh.json")
    assert from_snapshot["tables"] == shipped_only["tables"]


def test_topology_plan_honours_the_inventorys_rules(own_rules, scanned, tmp_path):
    pages = {}
    for name, inv in (("own", own_rules), ("shipped", DEMO)):
        r = CliRunner().invoke(cli, ["topology", str(inv), "--html", str(tmp_path / f"{name}.html"), "--plan"])
        assert r.exit_code == 0, r.output
        pages[name] = (tmp_path / f"{name}.html").read_bytes()
    # the page scan drew with the inventory's rules, byte for byte; not the shipped rules' page
    assert pages["own"] == (scanned / "topology.html").read_bytes()
    assert pages["own"] != pages["shipped"]


def _readme_api_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the Python API section has one python example"
    return blocks[0]


def test_readme_python_api_example_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    scope: dict = {}
    exec(compile(_readme_api_example(), "README.md (Python API)", "exec"), scope)
    p = scope["p"]
    assert isinstance(p, netconsol.Pipeline)
    for name, df in (("networks", scope["networks"]), ("links", scope["links"]), ("conflicts", scope["conflicts"]),
                     ("metrics", scope["metrics"])):
        assert isinstance(df, pd.DataFrame), name
        assert list(df.columns) == schema.columns(name), name
        assert len(df), name
    # the demo's planted conflicts as the scan counts them (10: + the 2 reused office LANs of issue 19),
    # plus the 2 VRRP virtual addresses, listed as shared-by-design and not counted
    assert len(scope["conflicts"]) == 12
    assert (scope["conflicts"]["kind"] != "shared-by-design").sum() == 10
    merge, exits = scope["merge"], scope["exits"]
    assert isinstance(merge.networks, pd.DataFrame) and len(merge.networks)
    assert set(merge.networks["target"]) <= {"extranet_admin", "extranet_public", "extranet_vpn", "intranet", "keep"}
    assert {"disposition", "sheet_exit", "config_exit"} <= set(exits.tables["exits"].columns)


def test_public_api_is_small_and_explicit():
    assert netconsol.__all__ == ["open", "Pipeline", "Inventory", "NetconsolError", "TABLES", "__version__"]
    for name in netconsol.__all__:
        assert getattr(netconsol, name) is not None
    with pytest.raises(netconsol.NetconsolError, match="does not exist"):
        netconsol.open("no/such/inventory")
