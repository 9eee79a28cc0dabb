"""Acceptance: internet exits on a city written blind (tests/acceptance/exits, issue 17).

The case folder was written by someone who never saw netconsol's code: 30 configs (VRP, Comware,
IOS, JunOS, EOS), two exit sheets and hand answers (answers.yaml).  The tool runs through its
public path (``run_scan`` on a copy of the inventory, as ``netconsol scan`` does) and its outputs
are read back from the files it writes:

* ``snapshot/exit_candidates.csv``: every candidate's verdict (exit, or the non-exit reason, or
  review), its evidence and carrier;
* ``snapshot/exits.csv``: sheet exits (address mode, public range, carrier);
* ``snapshot/issues.csv``: the error on a bad IP of an exit row;
* ``plans/exits-plan.json``: the plan's tables with their raw column names and values (the CSV
  and XLSX carry labels in the report's language): per-exit rows and ``isolation``, the
  admin-domain devices that also have an exit.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

CASE = Path(__file__).parent / "exits"
ANSWERS = yaml.safe_load((CASE / "answers.yaml").read_text(encoding="utf-8"))
STRONG = {"public-address", "cgnat-address", "dialer", "dhcp-client", "ebgp-carrier"}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    from netconsol.scan import run_scan

    inv = tmp_path_factory.mktemp("case") / "exits"
    inv.mkdir()
    shutil.copy(CASE / "inventory.yaml", inv / "inventory.yaml")
    shutil.copytree(CASE / "configs", inv / "configs")
    shutil.copytree(CASE / "sheets", inv / "sheets")
    o = tmp_path_factory.mktemp("out") / "out"
    run_scan(inv, o, db=o.parent / "history.sqlite")
    return o


def _csv(path: Path) -> pd.DataFrame:
    assert path.is_file(), f"{path} not written"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def candidates(out) -> dict:
    df = _csv(out / "snapshot" / "exit_candidates.csv")
    return {(r["device"], r["interface"]): r for r in df.to_dict("records")}


@pytest.fixture(scope="module")
def plan(out) -> dict:
    doc = json.loads((out / "plans" / "exits-plan.json").read_text(encoding="utf-8"))
    return {name: t["rows"] for name, t in doc["tables"].items()}


def _got(candidates, a) -> str:
    r = candidates.get((a["device"], a["interface"]))
    return r["verdict"] if r is not None else "(not a candidate)"


def test_every_candidate_found(candidates):
    missing = [(a["device"], a["interface"]) for a in ANSWERS["candidates"]
               if (a["device"], a["interface"]) not in candidates]
    assert missing == [], f"{len(missing)} of {len(ANSWERS['candidates'])} candidates missing"


def test_exit_precision_and_recall(candidates):
    truth = {(a["device"], a["interface"]) for a in ANSWERS["candidates"] if a["verdict"] == "exit"}
    said = {k for k, r in candidates.items() if r["verdict"] == "exit"}
    tp = len(truth & said)
    precision = tp / len(said) if said else 0.0
    recall = tp / len(truth)
    assert (precision, recall) == (1.0, 1.0), (
        f"precision {precision:.2f} recall {recall:.2f}; false exits {sorted(said - truth)}; "
        f"missed {sorted(truth - said)}")


@pytest.mark.parametrize("verdict", ["extranet_uplink", "vertical_uplink", "management", "dc_internal",
                                     "private_next_hop", "review"])
def test_each_non_exit_class_exact(candidates, verdict):
    wrong = [(a["device"], a["interface"], _got(candidates, a)) for a in ANSWERS["candidates"]
             if a["verdict"] == verdict and _got(candidates, a) != verdict]
    extra = sorted(k for k, r in candidates.items() if r["verdict"] == verdict and k not in {
        (a["device"], a["interface"]) for a in ANSWERS["candidates"] if a["verdict"] == verdict})
    assert (wrong, extra) == ([], []), f"{verdict}: {len(wrong)} wrong, {len(extra)} extra"


def test_candidate_vrf(candidates):
    wrong = [(a["device"], a["interface"], a["vrf"], candidates[(a["device"], a["interface"])]["vrf"])
             for a in ANSWERS["candidates"] if (a["device"], a["interface"]) in candidates
             and candidates[(a["device"], a["interface"])]["vrf"] != (a["vrf"] or "")]
    assert wrong == []


def test_exit_evidence_and_carrier(candidates):
    """An exit row names its strong evidence as the answer does, and its carrier."""
    wrong = []
    for a in ANSWERS["candidates"]:
        r = candidates.get((a["device"], a["interface"]))
        if r is None or a["verdict"] != "exit":
            continue
        want = set(a["evidence"]) & STRONG
        got = set(r["evidence"].split())
        if not want <= got or r["carrier"] != a["carrier"]:
            wrong.append((a["device"], a["interface"], sorted(want - got), a["carrier"], r["carrier"]))
    assert wrong == []


def test_no_non_candidate_is_an_exit(candidates, out):
    exits = _csv(out / "snapshot" / "exits.csv")
    config_exits = set(zip(exits[exits.origin == "config"].device, exits[exits.origin == "config"].interface))
    bad = [(n["device"], n["interface"]) for n in ANSWERS["non_candidates"]
           if _got(candidates, n) == "exit" or (n["device"], n["interface"]) in config_exits]
    assert bad == []


def test_only_exits_become_exits(candidates, out, plan):
    """The exits table holds exactly the verdict==exit candidates; nothing else is counted or closed."""
    exits = _csv(out / "snapshot" / "exits.csv")
    config_exits = set(zip(exits[exits.origin == "config"].device, exits[exits.origin == "config"].interface))
    assert config_exits == {k for k, r in candidates.items() if r["verdict"] == "exit"}
    planned = {i for x in plan["exits"] for i in (x["config_exit"] or "").split()}
    not_exits = {f"C-{d}:{i}" for (d, i), r in candidates.items() if r["verdict"] != "exit"}
    assert planned & not_exits == set()


def _sheet_row(exits, a):
    hit = exits[(exits.origin == "sheet") & (exits.source == a["file"]) & (exits.location == f"row {a['row']}")]
    return hit.to_dict("records")


def _sheet_cases(xfails: dict):
    out = []
    for a in ANSWERS["sheet_exits"]:
        key = f"{Path(a['file']).stem}:{a['row']}"
        marks = [pytest.mark.xfail(strict=True, reason=xfails[key])] if key in xfails else []
        out.append(pytest.param(a, id=key, marks=marks))
    return out


@pytest.mark.parametrize("a", _sheet_cases({}))
def test_sheet_exit_rows(out, a):
    exits = _csv(out / "snapshot" / "exits.csv")
    rows = _sheet_row(exits, a)
    if not a["is_exit"]:
        assert rows == [], "an extranet line in an exit sheet is not an exit"
        return
    assert len(rows) == 1, "the exit row must be kept"
    assert rows[0]["address_mode"] == a["address_mode"]
    issues = _csv(out / "snapshot" / "issues.csv")
    ip_err = issues[(issues.source == a["file"]) & (issues.location == f"row {a['row']}") &
                    (issues.severity == "error") & issues.column.str.contains("IP")]
    assert (len(ip_err) > 0) == a["ip_error"]


@pytest.mark.parametrize("a", _sheet_cases({}))
def test_sheet_exit_range(out, a):
    rows = _sheet_row(_csv(out / "snapshot" / "exits.csv"), a)
    got = rows[0]["public_range"] if rows else ""
    assert set(got.split()) == (set(a["public_range"].split()) if a["is_exit"] else set())


@pytest.mark.parametrize("a", _sheet_cases({
    "金山县-互联网出口自查表:10": "the answer names 长城宽带 'Great Wall Broadband'; DOMAIN.md lists 鹏博士 and 长城宽带 as "
                          "one carrier and rules/carriers.yaml names it 'Dr. Peng' (长城宽带 is its brand): the "
                          "carrier is found, only its canonical name differs"}))
def test_sheet_exit_carrier(out, a):
    rows = _sheet_row(_csv(out / "snapshot" / "exits.csv"), a)
    if not a["is_exit"]:
        assert rows == []
        return
    assert rows[0]["carrier"] == a["carrier"]


def test_isolation_rows(plan):
    got = {r["device"]: r for r in plan["isolation"]}
    want = {a["device"]: a for a in ANSWERS["isolation"] if a["violation"]}
    assert sorted(got) == sorted(want)
    for d, a in want.items():
        assert got[d]["accepted_exception"] is a["accepted_exception"], d
        assert (got[d]["ministry"] or "") == a["mandated_by"], d
    not_violations = [a["device"] for a in ANSWERS["isolation"] if not a["violation"]]
    assert not set(not_violations) & set(got)
