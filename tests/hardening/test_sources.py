"""Issue 20, problems 4 and 9 (links): a scan reads the inventory's declared sources only."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from netconsol.cli import cli
from netconsol.errors import InventoryError
from netconsol.scan import run_scan


def test_out_inside_the_inventory_is_not_read_back(demo_copy, monkeypatch):
    monkeypatch.chdir(demo_copy)
    first = run_scan(".", "out", db="netconsol-history.sqlite")
    second = run_scan(".", "out", db="netconsol-history.sqlite")
    for k in ("networks", "conflicts", "prefixes", "devices", "errors", "warnings"):
        assert second.figures[k] == first.figures[k], k
    assert first.figures["networks"] == 127 and first.figures["conflicts"] == 10  # 126: the bad-IP LAN row is kept (issue 18); 127 and 10: the generator's data-centre LAN and 2 reused office LANs (issues 17, 19)
    srcs = set(second.inventory["files"].source)
    assert not any(s.startswith(("out/", ".out")) or "sqlite" in s for s in srcs)


def test_linked_source_folders_are_followed_but_links_out_of_them_are_not(demo_copy, tmp_path):
    # configs/ and sheets/ kept elsewhere (a backup tree), linked in
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    shutil.move(demo_copy / "configs", elsewhere / "configs")
    shutil.move(demo_copy / "sheets", elsewhere / "sheets")
    os.symlink(elsewhere / "configs", demo_copy / "configs")
    os.symlink(elsewhere / "sheets", demo_copy / "sheets")
    secret = tmp_path / "secret.csv"
    secret.write_text("序号,单位,区（市）,网络名称,IP地址段\n1,外部,外部,外部网,10.250.0.0/16\n", encoding="utf-8")
    os.symlink(secret, elsewhere / "sheets" / "leak.csv")
    os.symlink(tmp_path / "secret.csv", elsewhere / "configs" / "leak.cfg")
    res = run_scan(demo_copy, tmp_path / "out")
    assert res.figures["devices"] == 148 and res.figures["networks"] == 127  # 127: + the planted data-centre LAN
    issues = res.inventory["issues"]
    refused = issues[issues.code == "link-outside-source"]
    assert sorted(refused.source) == ["configs/leak.cfg", "sheets/leak.csv"]
    assert (refused.severity == "error").all()
    assert "10.250.0.0/16" not in set(res.inventory["prefixes"].prefix)
    assert "外部网" not in (tmp_path / "out" / "topology.html").read_text(encoding="utf-8")


def test_an_inventory_without_devices_or_rows_is_an_error(tmp_path):
    inv = tmp_path / "inv"
    (inv / "configs").mkdir(parents=True)
    (inv / "sheets").mkdir()
    (inv / "sheets" / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InventoryError, match="no device config and no sheet row"):
        run_scan(inv, tmp_path / "out")
    r = CliRunner().invoke(cli, ["scan", str(inv), "--out", str(tmp_path / "out")])
    assert r.exit_code != 0 and "nothing to scan" in r.output
    assert not (tmp_path / "out").exists()
