"""Acceptance: the extranet expansion plan on a city written blind (tests/acceptance/expansion,
issue 21 point 4, and the point 6 connectivity figures).

The case folder was written by someone who never saw netconsol's code: an invented city (金山市)
of 9 VRP and Comware configs and a manifest, with hand answers (answers.yaml; each decision is
explained in its README.md).  The tool runs through its public path (``run_scan`` on a copy of
the inventory, as ``netconsol scan`` does) and every answer is compared with what it writes:

* ``plans/expansion-plan.json``: the plan's tables with their raw column names and coded values
  (the CSV, XLSX and Markdown carry labels in the report's language): ``extranet`` (one row per
  unreached district, town and department: gap, nearest node and its type, domains) and
  ``intranet`` (departments holding classified networks and the intranet node they need);
* ``snapshot/metrics.csv``: the connectivity figures per city and district (town_connectivity,
  town_coverage_public, connectivity_rate, as numerator / denominator);
* ``summary.json``: the city's figures the scan prints.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

CASE = Path(__file__).parent / "expansion"
ANSWERS = yaml.safe_load((CASE / "answers.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    from netconsol.scan import run_scan

    inv = tmp_path_factory.mktemp("case") / "expansion"
    inv.mkdir()
    shutil.copy(CASE / "inventory.yaml", inv / "inventory.yaml")
    shutil.copytree(CASE / "configs", inv / "configs")
    o = tmp_path_factory.mktemp("out") / "out"
    run_scan(inv, o, db=o.parent / "history.sqlite")
    return o


@pytest.fixture(scope="module")
def plan(out) -> dict:
    path = out / "plans" / "expansion-plan.json"
    assert path.is_file(), f"{path} not written"
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {name: t["rows"] for name, t in doc["tables"].items()}


@pytest.fixture(scope="module")
def gaps(plan) -> dict:
    return {(r["level"], r["name"], r["district"]): r for r in plan["extranet"]}


@pytest.fixture(scope="module")
def needs(plan) -> dict:
    return {(r["department"], r["district"]): r for r in plan["intranet"]}


@pytest.fixture(scope="module")
def metrics(out) -> dict:
    df = pd.read_csv(out / "snapshot" / "metrics.csv", dtype=str, keep_default_na=False)
    return {(r["scope"], r["level"], r["metric"]): r for r in df.to_dict("records")}


def _domains(value: str) -> set:
    return set(str(value).split())


def _key(a: dict) -> tuple:
    return a["level"], a["name"], a["district"]


@pytest.mark.parametrize("answer", ANSWERS["gaps"], ids=lambda a: f"{a['level']}-{a['name']}")
def test_gap(gaps, answer):
    row = gaps.get(_key(answer))
    assert row is not None, f"{_key(answer)} missing from the expansion plan; it lists {sorted(gaps)}"
    got = {"gap": row["gap"], "nearest_node": row["nearest"], "node_type": row["nearest_role"],
           "domains": _domains(row["domains"])}
    want = {"gap": answer["gap"], "nearest_node": answer["nearest_node"], "node_type": answer["node_type"],
            "domains": set(answer["domains"])}
    assert got == want


@pytest.mark.parametrize("answer", ANSWERS["not_gaps"], ids=lambda a: f"{a['level']}-{a['name']}")
def test_not_a_gap(gaps, answer):
    row = gaps.get(_key(answer))
    assert row is None, f"{_key(answer)} is reached, but the plan lists it: {row}"


def test_no_gap_beyond_the_answers(gaps):
    expected = {_key(a) for a in ANSWERS["gaps"]}
    assert sorted(set(gaps) - expected) == []


@pytest.mark.parametrize("answer", ANSWERS["intranet_needs"], ids=lambda a: a["department"])
def test_intranet_need(needs, answer):
    row = needs.get((answer["department"], answer["district"]))
    assert row is not None, f"{answer['department']} ({answer['district']!r}) missing; listed: {sorted(needs)}"
    assert row["node_level"] == answer["node_level"]


@pytest.mark.parametrize("answer", ANSWERS["not_intranet_needs"], ids=lambda a: a["department"])
def test_not_an_intranet_need(needs, answer):
    listed = [k for k in needs if k[0] == answer["department"]]
    assert listed == []


def test_no_intranet_need_beyond_the_answers(needs):
    expected = {(a["department"], a["district"]) for a in ANSWERS["intranet_needs"]}
    assert sorted(set(needs) - expected) == []


def _pair(metrics, scope, level, metric) -> tuple[int, int]:
    r = metrics.get((scope, level, metric))
    assert r is not None, f"no {metric} row for {scope!r}"
    return int(float(r["numerator"] or 0)), int(float(r["denominator"] or 0))


def test_city_counts(out, metrics):
    c = ANSWERS["counts"]
    city = "金山市"
    got = {"towns_connected": _pair(metrics, city, "city", "town_connectivity")[0],
           "towns_total": _pair(metrics, city, "city", "town_connectivity")[1],
           "departments_connected": _pair(metrics, city, "city", "connectivity_rate")[0],
           "departments_total": _pair(metrics, city, "city", "connectivity_rate")[1]}
    assert got == c
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["towns_attached"], summary["towns"], summary["departments_connected"],
            summary["departments"]) == (c["towns_connected"], c["towns_total"], c["departments_connected"],
                                        c["departments_total"])


_FIGURES = {"towns_total": ("town_connectivity", 1), "towns_connected": ("town_connectivity", 0),
            "towns_public_domain": ("town_coverage_public", 0), "departments_total": ("connectivity_rate", 1),
            "departments_connected": ("connectivity_rate", 0)}


@pytest.mark.parametrize("answer", ANSWERS["counts_by_district"], ids=lambda a: a["district"] or "city-level")
def test_district_counts(metrics, answer):
    districts = [a["district"] for a in ANSWERS["counts_by_district"] if a["district"]]
    got = {}
    for key in answer:
        if key == "district":
            continue
        metric, i = _FIGURES[key]
        if answer["district"]:
            got[key] = _pair(metrics, answer["district"], "district", metric)[i]
        else:
            # city-level departments: the city's figure less its districts' (the metrics table has
            # no row of its own for them; counts add up)
            got[key] = _pair(metrics, "金山市", "city", metric)[i] - sum(
                _pair(metrics, d, "district", metric)[i] for d in districts)
    assert got == {k: v for k, v in answer.items() if k != "district"}
