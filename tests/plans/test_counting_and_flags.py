"""Counting and review flags (issue 21, points 7 and 8): only networks that need integration are
counted as such, LANs already on the extranet apart; a review flag agrees with its text, the
default rule always flags, and the same facts give the same flag."""
import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol.analyze.merge import ON_EXTRANET, assign_domains
from netconsol.cli import cli
from netconsol.domains import load_domain_rules
from netconsol.inventory import Inventory

from test_merge_plan import City  # noqa: E402 -- the merge tests' small city (tests/plans on sys.path)

DEMO = Path(__file__).resolve().parents[2] / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("count")
    r = CliRunner().invoke(cli, ["scan", str(DEMO), "--out", str(root / "out"), "--no-history", "--lang", "en"])
    assert r.exit_code == 0, r.output
    return root / "out"


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_only_networks_to_integrate_are_counted(out):
    inv = Inventory.load(out / "snapshot")
    private = int(inv["networks"].kind.isin(["gov_private", "business_private"]).sum())
    lans = int((inv["networks"].kind == "lan").sum())
    summary = {(r["metric"], r["item"]): r["value"] for r in _csv(out / "plans" / "merge" / "summary.csv")}
    # the 12 private networks, and the one LAN whose only range is the planted bad IP: its row is kept
    # (issue 18) with no range, so nothing shows it on the extranet, and it stays in scope for review
    assert summary[("networks in scope", "")] == str(private + 1) == "13"
    assert summary[("LANs already on the extranet (not counted)", "")] == str(lans - 1) == "112"  # 112: + the planted data-centre LAN in the admin pool (issue 17)
    nets = _csv(out / "plans" / "merge" / "networks.csv")
    on = [r for r in nets if r["rule"] == "on the extranet"]
    assert len(on) == lans - 1 and all(r["ambiguous"] == "no" for r in on)


def test_flag_agrees_with_its_text_and_the_default_rule_always_flags(out):
    nets = _csv(out / "plans" / "merge" / "networks.csv")
    for r in nets:
        asks = "confirm by hand" in r["rationale"] or r["why ambiguous"]
        assert (r["ambiguous"] == "yes") == bool(asks), r["network"]
        if r["rule"] == "default":
            assert r["ambiguous"] == "yes", r["network"]


def test_same_facts_same_flag():
    rules = load_domain_rules()
    c = City()
    facts = dict(kind="lan", purpose="", classified=None)
    c.network("lan-a", prefixes=["192.168.77.0/24"], department="甲局", **facts)
    c.network("lan-b", prefixes=["192.168.78.0/24"], department="乙局", **facts)
    c.network("lan-c", prefixes=["172.20.1.0/24"], department="丙局", **facts)
    a = assign_domains(c.inv(), rules).set_index("network")
    assert a.loc["lan-a", "ambiguous"] == a.loc["lan-b", "ambiguous"] == a.loc["lan-c", "ambiguous"]
    assert a.loc["lan-a", "rule"] == a.loc["lan-b", "rule"] != ON_EXTRANET
