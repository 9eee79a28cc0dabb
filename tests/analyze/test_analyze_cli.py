"""The analysis commands: analyze writes its tables back, overlaps and links print fresh results."""
import json

import pytest
from click.testing import CliRunner

from netconsol.cli import cli
from netconsol.inventory import Inventory


@pytest.fixture
def snapshot(case, tmp_path):
    case.unit("枣庄市", "city").unit("薛城区", "district", district="薛城区")
    case.unit("薛城区/临城街道", "town", district="薛城区", connected=True)
    case.unit("薛城区/周营镇", "town", district="薛城区", connected=False)
    case.network("extranet-admin", "extranet_admin", "市大数据局", prefixes=["10.0.0.0/14"])
    case.network("caizheng", "gov_private", "市财政局", prefixes=["10.1.0.0/20"])
    case.device("XC-PE-01", "市大数据局", "薛城区", network="extranet-admin", role="pe")
    case.device("XC-LC-AR01", "临城街道办事处", "薛城区", "临城街道", network="extranet-admin", role="access")
    case.iface("XC-PE-01", "Gi1/0/1.100", "10.3.0.1/30", vrf="admin", network="extranet-admin",
               department="市大数据局")
    case.iface("XC-LC-AR01", "Gi0/0/0.100", "10.3.0.2/30", vrf="admin", network="extranet-admin",
               department="市大数据局")
    case.iface("CZ-R01", "Gi0/0/0", "10.1.0.1/24", network="caizheng", department="市财政局")
    case.iface("CZ-R02", "Gi0/0/0", "10.1.0.1/24", network="caizheng", department="市财政局")
    path = tmp_path / "snap"
    case.inv().save(path)
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_analyze_writes_links_conflicts_metrics(snapshot):
    r = run("analyze", snapshot, "--summary")
    assert r.exit_code == 0, r.output
    assert "links 1 (subnet 1)" in r.output
    assert "conflicts 2 (duplicate-ip 1, pool 1)" in r.output
    assert "towns not attached: 1 of 2" in r.output and "薛城区/周营镇 (manifest)" in r.output
    inv = Inventory.load(snapshot)
    assert inv.validate() == []
    assert len(inv["links"]) == 1 and len(inv["conflicts"]) == 2 and len(inv["metrics"]) > 0
    assert json.loads((snapshot / "snapshot.json").read_text())["tables"]["conflicts"] == 2
    again = run("analyze", snapshot)
    assert again.exit_code == 0
    assert Inventory.load(snapshot)["conflicts"].equals(inv["conflicts"])


def test_analyze_no_pools(snapshot):
    # without pools the same overlap is a range pair against the extranet's manifest range
    assert "conflicts 2 (contains 1, duplicate-ip 1)" in run("analyze", snapshot, "--no-pools").output


def test_overlaps_formats(snapshot):
    r = run("overlaps", snapshot, "--format", "json")
    rows = json.loads(r.output)
    assert {x["kind"] for x in rows} == {"pool", "duplicate-ip"}
    text = run("overlaps", snapshot, "--kind", "pool").output
    assert "10.1.0.0/20" in text and "duplicate-ip" not in text
    csv = run("overlaps", snapshot, "--format", "csv").output
    assert csv.splitlines()[0].startswith("conflict,kind,a_prefix")
    assert Inventory.load(snapshot)["conflicts"].empty  # overlaps does not write


def test_links_command(snapshot):
    r = run("links", snapshot, "--device", "XC-PE-01")
    assert "XC-LC-AR01" in r.output and "10.3.0.0/30" in r.output
    assert run("links", snapshot, "--device", "nobody").output == "(no rows)\n"


def test_not_a_snapshot(tmp_path):
    r = CliRunner().invoke(cli, ["analyze", str(tmp_path)])
    assert r.exit_code != 0 and "not a snapshot" in r.output


@pytest.mark.parametrize("name", ["analyze", "overlaps", "links"])
def test_help_ends_with_an_example(name):
    r = run(name, "--help")
    assert r.exit_code == 0
    doc = cli.commands[name].help
    assert doc.rstrip().splitlines()[-1].strip().startswith("netconsol ")
    assert f"netconsol {name} " in doc.split("Example:")[1]
    assert "Example:" in r.output


@pytest.mark.parametrize("no_pools", [False, True])
def test_the_commands_print_what_the_analyzers_give(snapshot, no_pools, monkeypatch):
    """analyze, overlaps and links run through the pipeline (netconsol.pipeline) and print what
    the analyzers called directly on the snapshot give, in the same order."""
    from netconsol import pipeline
    from netconsol.analyze import analyze, find_conflicts, infer_links
    from netconsol.render.tables import table_text

    made = []
    real = pipeline.Pipeline.__init__

    def spy(self, *a, **k):
        made.append(k.get("pools"))
        real(self, *a, **k)

    monkeypatch.setattr(pipeline.Pipeline, "__init__", spy)
    flag = ["--no-pools"] if no_pools else []
    pools = {} if no_pools else None
    inv = Inventory.load(snapshot)
    want = find_conflicts(inv, pools=pools)
    assert run("overlaps", snapshot, "--format", "csv", *flag).output == table_text(want, "csv")
    assert run("links", snapshot, "--format", "json").output == table_text(infer_links(inv), "json")
    r = run("analyze", snapshot, *flag)
    assert r.exit_code == 0, r.output
    direct = analyze(inv, pools=pools)
    for name in ("links", "conflicts", "metrics"):
        saved, fresh = Inventory.load(snapshot)[name], direct[name]
        assert saved.reset_index(drop=True).astype(str).equals(fresh.reset_index(drop=True).astype(str)), name
    assert made == [pools, None, pools]
