"""`netconsol export netbox`: headers, choice values and references checked against the field lists
read from NetBox's own import forms (tests/fixtures/netbox/import_forms.json, with their commits)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol.cli import cli
from netconsol.collectors import collect
from netconsol.inventory import Inventory, Rows
from netconsol.render.netbox import CHOICE_COLUMNS, NETBOX_FILES, REFERENCES, netbox_files, slugify

ROOT = Path(__file__).resolve().parents[1]
NB = json.loads((ROOT / "tests/fixtures/netbox/import_forms.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    snap = tmp_path_factory.mktemp("snap")
    collect([ROOT / "inventories/zaozhuang-demo"]).save(snap)
    out = tmp_path_factory.mktemp("netbox")
    res = CliRunner().invoke(cli, ["export", "netbox", str(snap), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return snap, out


def _read(path: Path):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_files_numbered_in_dependency_order(demo_export):
    _, out = demo_export
    names = sorted(p.name for p in out.iterdir())
    assert names == [f for f, *_ in NETBOX_FILES]
    order = {f: i for i, f in enumerate(names)}
    for (src, _col), (dst, _dcol) in REFERENCES.items():
        assert order[dst] <= order[src], f"{src} refers to {dst}, imported later"


def test_every_header_is_a_field_of_the_netbox_import_form(demo_export):
    _, out = demo_export
    for fname, _model, form, _header in NETBOX_FILES:
        header, rows = _read(out / fname)
        spec = NB["forms"][form]
        unknown = [h for h in header if h not in spec["fields"]]
        assert not unknown, f"{fname}: {unknown} not in {form} ({spec['path']}@{spec['commit'][:8]})"
        missing = [r for r in spec["required"] if r not in header]
        assert not missing, f"{fname}: required {missing} of {form} missing"
        assert len(set(header)) == len(header)
        assert rows, f"{fname}: no rows from the demo"
        for r in rows:   # required cells filled in
            for req in spec["required"]:
                assert r[req], f"{fname}: empty required {req!r} in {r}"


def test_every_choice_value_is_netbox_s(demo_export):
    _, out = demo_export
    for (fname, col), choice_set in CHOICE_COLUMNS.items():
        _, rows = _read(out / fname)
        allowed = set(NB["choices"][choice_set]["values"])
        used = {r[col] for r in rows if r[col]}
        assert used, f"{fname}.{col}: no value used"
        assert used <= allowed, f"{fname}.{col}: {sorted(used - allowed)} not in {choice_set}"
    bools = set(NB["booleans"])
    for fname, col in (("08-interfaces.csv", "enabled"), ("08-interfaces.csv", "mgmt_only"),
                       ("09-vrfs.csv", "enforce_unique")):
        _, rows = _read(out / fname)
        assert {r[col] for r in rows} <= bools


def test_every_reference_points_at_a_row_of_the_export(demo_export):
    _, out = demo_export
    files = {f: _read(out / f)[1] for f, *_ in NETBOX_FILES}
    for (src, col), (dst, dcol) in REFERENCES.items():
        form = dict((f, fm) for f, _m, fm, _h in NETBOX_FILES)[src]
        assert NB["references"][f"{form}.{col}"] == dcol or (dcol == "name")
        targets = {r[dcol] for r in files[dst]}
        refs = {r[col] for r in files[src] if r[col]}
        dangling = refs - targets
        assert not dangling, f"{src}.{col} -> {dst}.{dcol}: {sorted(dangling)[:5]}"
    assert {r["site"] for r in files["07-devices.csv"]}      # every device has a site
    assert all(r["site"] for r in files["07-devices.csv"])
    # an interface and an address name an interface of their own device
    ifaces = {(r["device"], r["name"]) for r in files["08-interfaces.csv"]}
    assert all((r["device"], r["interface"]) in ifaces for r in files["11-ip-addresses.csv"])
    # a device type is found by model within its manufacturer
    types = {(r["manufacturer"], r["model"]) for r in files["05-device-types.csv"]}
    assert all((r["manufacturer"], r["device_type"]) in types for r in files["07-devices.csv"])
    # names NetBox looks rows up by are unique within their file
    for fname, key in (("01-regions.csv", "name"), ("02-tenants.csv", "name"), ("03-sites.csv", "name"),
                       ("07-devices.csv", "name"), ("09-vrfs.csv", "name"), ("12-providers.csv", "name"),
                       ("14-circuits.csv", "cid"), ("05-device-types.csv", "model")):
        values = [r[key] for r in files[fname]]
        assert len(values) == len(set(values)), fname


def test_slugs_ascii_unique_and_stable(demo_export):
    _, out = demo_export
    pat = re.compile(NB["slug_pattern"])
    for fname, *_ in NETBOX_FILES:
        header, rows = _read(out / fname)
        if "slug" not in header:
            continue
        slugs = [r["slug"] for r in rows]
        assert all(pat.match(s) and len(s) <= 100 for s in slugs), fname
        assert len(set(slugs)) == len(slugs), fname
    assert slugify("市公安局", "t") == slugify("市公安局", "t") != slugify("市教育局", "t")
    assert slugify("China Telecom", "p").startswith("p-china-telecom-")


def test_demo_counts_add_up(demo_export):
    snap, out = demo_export
    inv = Inventory.load(snap)
    files = {f: _read(out / f)[1] for f, *_ in NETBOX_FILES}
    assert len(files["07-devices.csv"]) == len(inv["devices"])
    assert len(files["14-circuits.csv"]) == len(inv["exits"])
    districts = set(inv["units"].query("level == 'district'")["name"])
    assert districts <= {r["name"] for r in files["01-regions.csv"]}
    addressed = inv["interfaces"][inv["interfaces"]["address"] != ""]
    assert len(files["11-ip-addresses.csv"]) == len(addressed.drop_duplicates(["device", "interface", "address"]))


def test_same_snapshot_same_bytes(demo_export, tmp_path):
    snap, out = demo_export
    res = CliRunner().invoke(cli, ["export", "netbox", str(snap), "--out", str(tmp_path)])
    assert res.exit_code == 0
    for fname, *_ in NETBOX_FILES:
        assert (tmp_path / fname).read_bytes() == (out / fname).read_bytes()


def test_labels_neutralized_against_formula_injection():
    rows = Rows()
    rows.add("devices", {"device": "=cmd|'/c calc'!A1", "vendor": "huawei", "platform": "vrp",
                         "department": "+SUM(1,2)", "district": "@区", "source": "x.cfg", "location": "file"})
    rows.add("interfaces", {"device": "=cmd|'/c calc'!A1", "interface": "GigabitEthernet0/0/1", "kind": "physical",
                            "description": "-2+3", "address": "10.1.1.1/24", "ip": "10.1.1.1", "prefixlen": 24,
                            "subnet": "10.1.1.0/24", "family": 4, "source": "x.cfg", "location": "line 3"})
    rows.add("exits", {"exit": "S-1", "origin": "sheet", "department": "+SUM(1,2)", "carrier": "=1+1",
                       "source": "s.csv", "location": "row 2"})
    inv = Inventory.from_rows(rows)
    files = {f.name: f for f in netbox_files(inv)}
    for f in files.values():
        for line in f.text().splitlines()[1:]:
            for cell in next(csv.reader([line])):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (f.name, cell)
    text = files["07-devices.csv"].text()
    assert "'=cmd|'/c calc'!A1" in text and "'+SUM(1,2)" in text
    # references still match after neutralizing
    dev = _read_text(files["07-devices.csv"].text())
    ifs = _read_text(files["08-interfaces.csv"].text())
    assert ifs[0]["device"] == dev[0]["name"]
    assert _read_text(files["14-circuits.csv"].text())[0]["provider"] == \
        _read_text(files["12-providers.csv"].text())[0]["name"] == "'=1+1"


def _read_text(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(rows[0], r)) for r in rows[1:]]
