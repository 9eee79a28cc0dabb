"""`netconsol topology`: links inferred when missing, one file written, errors in one line."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from netconsol.cli import cli
from netconsol.collectors import collect
from netconsol.render.html import unpack_page_data


@pytest.fixture(scope="module")
def snapshot(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("snap") / "example"
    collect([corpus / "batfish" / "networks" / "example" / "live" / "configs"]).save(out)
    return out


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="netconsol-data">(.*?)</script>', html, re.S)
    return unpack_page_data(json.loads(m.group(1)))


def test_infers_links_and_writes_only_the_file(snapshot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["topology", str(snapshot), "--html", "out/t.html", "--lang", "en",
                                 "--title", "example"])
    assert r.exit_code == 0, r.output
    assert re.search(r"wrote out/t\.html: \d+ nodes, \d+ edges \(\d+ links inferred\)", r.output)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out", "out/t.html"]
    data = _data((tmp_path / "out" / "t.html").read_text(encoding="utf-8"))
    assert data["title"] == "example" and data["lang"] == "en"
    assert any(e["type"] == "link" for e in data["edges"])
    again = CliRunner().invoke(cli, ["topology", str(snapshot), "--html", "out/t2.html", "--lang", "en",
                                     "--title", "example"])
    assert again.exit_code == 0
    assert (tmp_path / "out" / "t.html").read_bytes() == (tmp_path / "out" / "t2.html").read_bytes()


def test_bad_output_path_is_one_line(snapshot, tmp_path):
    r = CliRunner().invoke(cli, ["topology", str(snapshot), "--html", str(tmp_path / "a" / ".." / "t.html")])
    assert r.exit_code == 1
    assert r.output.startswith("Error:") and "'..' is not allowed" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "t.html").exists()
