"""docs/inventory.md and `netconsol init` (issue 21, point 9): every manifest key documented
with an example; a starter inventory.yaml from a folder of sheets and configs that the next
scan accepts without edits."""
import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from netconsol import manifest
from netconsol.cli import cli
from netconsol.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "inventories" / "zaozhuang-demo"
DOC = ROOT / "docs" / "inventory.md"


def test_every_manifest_key_is_documented_with_an_example(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_]+)` \|.*$", text, re.M)}
    for keys in (manifest._TOP, manifest._DISTRICT, manifest._TOWN, manifest._DEPT, manifest._NET, manifest._DEV):
        for k in keys:
            assert k in rows, f"manifest key {k!r} not documented in docs/inventory.md"
            assert f"{k}:" in rows[k] or k in ("districts", "departments", "networks", "devices"), k
    # the example manifest in the document is itself valid and uses every key
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    (tmp_path / "inventory.yaml").write_text(example, encoding="utf-8")
    m = load_manifest(tmp_path / "inventory.yaml")
    data = yaml.safe_load(example)
    assert set(data) == manifest._TOP and set(data["networks"][0]) == manifest._NET
    assert set(next(iter(data["devices"].values()))) == manifest._DEV and m.city == "枣庄市"


def test_init_writes_a_starter_the_next_scan_accepts(tmp_path):
    city = tmp_path / "city"
    city.mkdir()
    shutil.copytree(DEMO / "configs", city / "configs")
    shutil.copytree(DEMO / "sheets", city / "sheets")
    r = CliRunner().invoke(cli, ["init", str(city), "--city", "枣庄市"])
    assert r.exit_code == 0, r.output
    data = yaml.safe_load((city / "inventory.yaml").read_text(encoding="utf-8"))
    assert data["city"] == "枣庄市"
    assert [d["name"] for d in data["districts"]] == sorted(["市中区", "薛城区", "峄城区", "台儿庄区", "山亭区", "滕州市"])
    depts = {d["name"]: d["district"] for d in data["departments"]}
    assert depts["峄城区卫生健康局"] == "峄城区" and depts["市财政局"] == ""     # 市直 is the city level
    assert len(data["devices"]) == len(list((city / "configs").rglob("*.cfg")))
    assert data["devices"]["GA-CE01"] == {"department": "市公安局"}   # named as the device of a sheet row
    # a second init refuses to overwrite; the scan accepts the file as written
    again = CliRunner().invoke(cli, ["init", str(city)])
    assert again.exit_code != 0 and "exists" in again.output
    r = CliRunner().invoke(cli, ["scan", str(city), "--out", str(tmp_path / "out"), "--no-history", "--strict"])
    assert "inventory.yaml" not in r.output or "error" not in r.output.lower(), r.output
    assert (tmp_path / "out" / "report.md").is_file(), r.output
    snap = (tmp_path / "out" / "snapshot" / "units.csv").read_text(encoding="utf-8")
    assert "dept:峄城区卫生健康局" in snap and "district" in snap
