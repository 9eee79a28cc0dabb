"""Blind acceptance cases of issue 19 (tests/acceptance/topology/*/answers.yaml), run through the public path.

Each case folder is an inventory: it is collected (``netconsol.collectors.collect``) and analyzed
(``netconsol.analyze.analyze``, what ``scan`` runs), and every hand answer is compared:

* ``links``: exactly the links (status ``link``) of the links table, with the answer's subnet
  (``unnumbered``: a link between two unnumbered interfaces) and VRF (one end in that VRF);
* ``non_links``: none of them is a link;  ``candidate_links``: exactly the rows of status
  ``candidate``, never counted as links;
* ``conflicts``: exactly the conflicts of the answered classes (identical, contains, partial,
  duplicate-ip, shared-by-design), pair, class and prefix;  ``not_conflicts``: no problem class
  (identical, contains, partial, duplicate-ip) between the pair;
* ``unused_allocated``: exactly the ``allocated-unused`` info issues (device, interface, prefix);
* ``devices`` (NX-OS and EOS cases): the parser's platform, VRFs, interfaces (vrf, address,
  admin state, gateway addresses, unnumbered source), static routes and BGP neighbours.

Pairs are unordered.  The answers are read as written; none is edited here.
"""
from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from netconsol.analyze import analyze
from netconsol.collectors import collect

HERE = Path(__file__).parent / "topology"
CASES = sorted(p.name for p in HERE.iterdir() if (p / "answers.yaml").is_file())
ANSWERED = ("identical", "contains", "partial", "duplicate-ip", "shared-by-design")
PROBLEMS = ("identical", "contains", "partial", "duplicate-ip")


def test_all_seven_cases_present():
    assert CASES == ["eos-features", "nxos-features", "pe-ce-vrf", "reused-lan-two-depts", "shut-stub",
                     "vrf-reuse-mlag", "vrrp-pair"]


@lru_cache(maxsize=None)
def _run(case: str):
    inv = analyze(collect([HERE / case]))
    answers = yaml.safe_load((HERE / case / "answers.yaml").read_text(encoding="utf-8"))
    return inv, answers


def _end(text: str) -> tuple[str, str]:
    device, _, interface = text.partition(":")
    return device, interface


def _pair(a: str, b: str) -> frozenset:
    return frozenset((_end(a), _end(b)))


def _rows(df: pd.DataFrame):
    return df.to_dict("records")


def _link_rows(inv, status: str) -> dict[frozenset, dict]:
    out = {}
    for r in _rows(inv["links"]):
        if (r.get("status") or "link") != status:
            continue
        out[frozenset(((r["a_device"], r["a_interface"]), (r["b_device"], r["b_interface"])))] = r
    return out


def _vrf_of(inv, device: str, interface: str) -> set:
    itf = inv["interfaces"]
    return set(itf.loc[(itf.device == device) & (itf.interface == interface), "vrf"])


@pytest.mark.parametrize("case", CASES)
def test_links(case):
    inv, ans = _run(case)
    links = _link_rows(inv, "link")
    expected = {_pair(x["a"], x["b"]): x for x in ans["links"]}
    missing = sorted(str(sorted(p)) for p in expected if p not in links)
    extra = sorted(str(sorted(p)) for p in links if p not in expected)
    assert not missing and not extra, f"missing links {missing}; links not in the answers {extra}"
    for pair, x in expected.items():
        row = links[pair]
        if x["subnet"] == "unnumbered":
            assert "unnumbered" in row["evidence"].split(), (x, row)
        else:
            assert x["subnet"] in row["subnet"].split(), (x, row)
        vrfs = set().union(*(_vrf_of(inv, *end) for end in pair))
        assert x["vrf"] in vrfs, (x, vrfs)


@pytest.mark.parametrize("case", CASES)
def test_non_links(case):
    inv, ans = _run(case)
    links = _link_rows(inv, "link")
    wrong = [x for x in ans["non_links"] if _pair(x["a"], x["b"]) in links]
    assert not wrong, wrong


@pytest.mark.parametrize("case", CASES)
def test_candidate_links(case):
    inv, ans = _run(case)
    candidates = set(_link_rows(inv, "candidate"))
    expected = {_pair(x["a"], x["b"]) for x in ans["candidate_links"]}
    assert candidates == expected
    assert not candidates & set(_link_rows(inv, "link"))


def _conflict_index(inv) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for r in _rows(inv["conflicts"]):
        pair = frozenset(((r["a_device"], r["a_interface"]), (r["b_device"], r["b_interface"])))
        out.setdefault((pair, r["kind"]), []).append(r)
    return out


def _prefix_matches(kind: str, prefix: str, row: dict) -> bool:
    if kind in ("duplicate-ip", "shared-by-design"):
        return row["overlap"] == prefix.split("/")[0] or row["overlap"] == prefix
    if kind == "contains":
        return prefix in row["b_prefix"].split()
    return prefix in row["a_prefix"].split() and prefix in row["b_prefix"].split()


@pytest.mark.parametrize("case", CASES)
def test_conflicts(case):
    inv, ans = _run(case)
    index = _conflict_index(inv)
    expected = {(_pair(x["a"], x["b"]), x["class"]): x for x in ans["conflicts"]}
    got = {k for k in index if k[1] in ANSWERED}
    missing = sorted(f"{sorted(k[0])} {k[1]}" for k in expected if k not in got)
    extra = sorted(f"{sorted(k[0])} {k[1]}" for k in got if k not in expected)
    assert not missing and not extra, f"missing conflicts {missing}; conflicts not in the answers {extra}"
    for k, x in expected.items():
        assert any(_prefix_matches(x["class"], x["prefix"], r) for r in index[k]), (x, index[k])


@pytest.mark.parametrize("case", CASES)
def test_not_conflicts(case):
    inv, ans = _run(case)
    index = _conflict_index(inv)
    wrong = [(x, kind) for x in ans["not_conflicts"] for kind in PROBLEMS if (_pair(x["a"], x["b"]), kind) in index]
    assert not wrong, wrong


@pytest.mark.parametrize("case", CASES)
def test_unused_allocated(case):
    inv, ans = _run(case)
    iss = inv["issues"]
    rows = iss[iss.code == "allocated-unused"]
    assert set(rows.severity) <= {"info"}
    itf = inv["interfaces"]
    got = set()
    for r in _rows(rows):
        # the issue names the interface (column) and the prefix (value) at the config line (source, location)
        hit = itf[(itf.source == r["source"]) & (itf.location == r["location"]) & (itf.interface == r["column"])]
        assert len(hit) >= 1, r
        got.add((hit.iloc[0].device, r["column"], r["value"]))
    expected = {(x["device"], x["interface"], x["prefix"]) for x in ans["unused_allocated"]}
    assert got == expected


DEVICE_CASES = [c for c in CASES if "devices" in yaml.safe_load((HERE / c / "answers.yaml").read_text("utf-8"))]


@pytest.mark.parametrize("case", DEVICE_CASES)
def test_parser_answers(case):
    inv, ans = _run(case)
    devices, vrfs, itf, routes, bgp = (inv[t] for t in ("devices", "vrfs", "interfaces", "routes", "bgp"))
    for d in ans["devices"]:
        name = d["device"]
        dev = devices[devices.device == name]
        assert list(dev.platform) == [d["platform"]], name
        assert set(vrfs.loc[vrfs.device == name, "vrf"]) == set(d["vrfs"]), name
        mine = itf[itf.device == name]
        listed = set(mine.loc[(mine.address != "") | (mine.vrf != ""), "interface"])
        assert listed == {i["name"] for i in d["interfaces"]}, name
        for i in d["interfaces"]:
            rows = mine[mine.interface == i["name"]]
            primary = rows[~rows.secondary.fillna(False).astype(bool)]
            assert set(rows.vrf) == {i["vrf"]}, (name, i)
            assert i["address"] in set(primary.address), (name, i, list(primary.address))
            assert set(rows.admin_up.astype(bool)) == {i["admin_up"]}, (name, i)
            if "gateways" in i:
                got = set(" ".join(rows.gateways).split())
                assert got == set(i["gateways"]), (name, i, got)
            if "unnumbered" in i:
                assert set(rows.unnumbered) == {i["unnumbered"]}, (name, i)
        mine = routes[routes.device == name]
        got = {(r["vrf"], r["prefix"], r["next_hop"] or r["interface"]) for r in _rows(mine)}
        assert got == {(r["vrf"], r["prefix"], r["next_hop"]) for r in d["static_routes"]}, name
        mine = bgp[bgp.device == name]
        got = {(r["neighbor"], None if pd.isna(r["remote_as"]) else int(r["remote_as"]), r["vrf"]) for r in _rows(mine)}
        assert got == {(b["neighbor"], b["remote_as"], b["vrf"]) for b in d["bgp_neighbors"]}, name


def _link_set(inv):
    return sorted(map(tuple, inv["links"][["a_device", "a_interface", "b_device", "b_interface"]].to_numpy()))


def test_symlinked_configs_folder_is_followed(tmp_path):
    """Rule 7: an inventory whose configs/ is a symlink scans as the same devices and links."""
    src = HERE / "pe-ce-vrf"
    inv_dir = tmp_path / "linked"
    inv_dir.mkdir()
    shutil.copy(src / "inventory.yaml", inv_dir / "inventory.yaml")
    (inv_dir / "configs").symlink_to((src / "configs").resolve(), target_is_directory=True)
    linked = analyze(collect([inv_dir]))
    direct, _ = _run("pe-ce-vrf")
    assert sorted(linked["devices"].device) == sorted(direct["devices"].device)
    assert len(linked["devices"]) == 4
    assert _link_set(linked) == _link_set(direct)


def test_inventory_without_devices_or_rows_is_an_error(tmp_path):
    """Rule 7: an inventory that yields no device and no sheet row says so as an error."""
    inv_dir = tmp_path / "empty"
    (inv_dir / "configs").mkdir(parents=True)
    shutil.copy(HERE / "pe-ce-vrf" / "inventory.yaml", inv_dir / "inventory.yaml")
    inv = collect([inv_dir])
    iss = inv["issues"]
    hit = iss[(iss.code == "empty-inventory") & (iss.severity == "error")]
    assert len(hit) == 1
    assert "no device" in hit.iloc[0].message
