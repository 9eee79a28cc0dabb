"""Acceptance: three-way reconciliation on a city written blind (tests/acceptance/reconcile, issue 22 point 4).

The case folder was written by someone who never saw netconsol's code: 7 config backups (VRP, Comware,
IOS-XE), a LAN sheet and an exit sheet drifting from them, and 26 hand answers (answers.yaml; each
decision explained in the folder's README.md).  The tool runs through its public path: the case is
collected with ``netconsol.open(DIR).inventory`` (as ``netconsol collect`` does), saved as a snapshot,
and ``netconsol reconcile SNAPSHOT`` writes the ``reconciliation`` table, read back from the snapshot.

How an answer row is found among the tool's rows (the mapping, one place: :func:`_tool_key`,
:func:`_status`, :func:`_value`):

* ``object`` and ``aspect`` are the same words (device, prefix, exit; presence, range, carrier, model).
* ``key``: a device's hostname and an exit's ``HOST:INTERFACE`` (a declared-only exit: the hostname
  the sheet names) are the tool's key as written.  A prefix's key is the CIDR followed by its
  department (``10.20.1.0/24 市公安局``): the table's key is (object, key, aspect), and private
  ranges are reused by different departments, so the CIDR alone is not unique in a real city.
* ``status``: ``agree`` and ``disagree`` are the tool's words.  The tool has one word for a row some
  source is silent on, ``partial``; which side spoke is in its ``declared`` / ``configured`` columns:
  ``declared_only`` = ``partial`` with declared set and configured empty; ``configured_only`` =
  ``partial`` with configured set and declared empty.  Nothing is observed here (no live source), so
  ``observed`` must be empty on every row.
* values: a presence row's ``yes`` is the tool's ``yes``, ``no`` its empty cell; ranges are compared
  as sets of CIDRs; carriers are compared after folding the answer's Chinese name through
  ``rules/carriers.yaml`` (中国电信 -> China Telecom), the tool's canonical name.

Nothing is weakened: every answer row must be found with its status, values and department, and for
the devices, prefixes and exits of the case the tool must not report a disagreement or a one-sided
row that the answers do not have, nor any row about an object the answers do not know.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from netaddr import IPNetwork

import netconsol
from netconsol.cli import cli
from netconsol.inventory import Inventory
from netconsol.normalize.carriers import default_carriers

CASE = Path(__file__).parent / "reconcile"
ANSWERS = yaml.safe_load((CASE / "answers.yaml").read_text(encoding="utf-8"))["rows"]
OBJECTS = ("device", "prefix", "exit")


@pytest.fixture(scope="module")
def rec(tmp_path_factory) -> pd.DataFrame:
    inv_dir = tmp_path_factory.mktemp("case") / "reconcile"
    inv_dir.mkdir()
    shutil.copy(CASE / "inventory.yaml", inv_dir / "inventory.yaml")
    shutil.copytree(CASE / "configs", inv_dir / "configs")
    shutil.copytree(CASE / "sheets", inv_dir / "sheets")
    snap = tmp_path_factory.mktemp("out") / "snapshot"
    netconsol.open(inv_dir).inventory.save(snap)
    r = CliRunner().invoke(cli, ["reconcile", str(snap)])
    assert r.exit_code == 0, r.output
    df = Inventory.load(snap)["reconciliation"].fillna("")
    assert len(df), "the reconciliation table is empty"
    return df


# ---------------------------------------------------------------------------------------------- mapping
def _tool_key(a: dict) -> str:
    return f"{a['key']} {a['department']}" if a["object"] == "prefix" else str(a["key"])


def _status(row: dict) -> str:
    """The answer's status word for a tool row (see the module docstring)."""
    if row["status"] in ("agree", "disagree"):
        return row["status"]
    if row["status"] == "partial" and row["declared"] and not row["configured"]:
        return "declared_only"
    if row["status"] == "partial" and row["configured"] and not row["declared"]:
        return "configured_only"
    return f"({row['status']}: declared {row['declared']!r}, configured {row['configured']!r})"


def _value(aspect: str, v) -> object:
    v = "" if v is None else str(v)
    if aspect == "presence":
        return {"yes": "yes", "no": ""}.get(v, v)
    if aspect == "range":
        return frozenset(str(IPNetwork(p).cidr) for p in v.replace(",", " ").split())
    if aspect == "carrier":
        return default_carriers().canonical(v)[0] if v else ""
    return v


def _rows(rec: pd.DataFrame) -> dict:
    return {(r["object"], r["key"], r["aspect"]): r for r in rec.to_dict("records")}


# ---------------------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("a", ANSWERS, ids=[f"{a['object']}-{a['key']}-{a['aspect']}" for a in ANSWERS])
def test_answer_row(rec, a):
    rows = _rows(rec)
    key = (a["object"], _tool_key(a), a["aspect"])
    same_object = sorted(k for k in rows if k[:2] == key[:2])
    assert key in rows, f"no row {key}; rows of that object: {same_object}"
    got = rows[key]
    assert _status(got) == a["status"], (a["why"], got["message"])
    assert (_value(a["aspect"], got["declared"]), _value(a["aspect"], got["configured"])) == (
        _value(a["aspect"], a["declared"]), _value(a["aspect"], a["configured"])), got["message"]
    assert got["department"] == a["department"]
    assert got["message"], "the disagreement (or agreement) in words"


def test_nothing_observed(rec):
    """No live source: the observed column is empty (never 'no') on every row."""
    assert sorted(set(rec["observed"])) == [""]


def test_no_disagreement_or_one_sided_row_beyond_the_answers(rec):
    known = {(a["object"], _tool_key(a), a["aspect"]) for a in ANSWERS}
    extra = sorted((r["object"], r["key"], r["aspect"], _status(r)) for r in rec.to_dict("records")
                   if r["object"] in OBJECTS and r["status"] != "agree"
                   and (r["object"], r["key"], r["aspect"]) not in known)
    assert extra == [], f"{len(extra)} rows the answers do not have"


def test_no_row_about_an_object_the_answers_do_not_know(rec):
    """Exit ranges are compared as the exit's range, not as department prefixes; extranet uplinks
    are the city's; the not-exit traps (DC-SP-R01's NAT to the extranet, HK-NY-R01's shut 电信
    port) are no exits."""
    objects = {(a["object"], _tool_key(a)) for a in ANSWERS}
    extra = sorted({(r["object"], r["key"]) for r in rec.to_dict("records")
                    if r["object"] in OBJECTS and (r["object"], r["key"]) not in objects})
    assert extra == [], f"{len(extra)} objects the answers do not know"


def test_counts(rec):
    """The README's counts: 15 agree, 2 disagree, 4 declared_only, 5 configured_only among the rows
    the answers name."""
    rows = _rows(rec)
    got = {}
    for a in ANSWERS:
        r = rows.get((a["object"], _tool_key(a), a["aspect"]))
        s = _status(r) if r is not None else "(missing)"
        got[s] = got.get(s, 0) + 1
    assert got == {"agree": 15, "disagree": 2, "declared_only": 4, "configured_only": 5}
