"""Issue 21, points 2 and 3, on a demo scan: one figure, one value, one definition; the Chinese
deliverables in Chinese; Markdown without stray escapes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from netconsol import schema
from netconsol.analyze.figures import FIGURES
from netconsol.analyze.metrics import METRICS
from netconsol.render.catalogue import DEFINITIONS, FIGURE_LABELS, ISSUE_LABELS, metric_labels
from netconsol.render.exits_doc import _VALUES_STATIC
from netconsol.render.merge import _VALUES as MERGE_VALUES
from netconsol.scan import run_scan

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures") / "out"
    run_scan(DEMO, out)
    return out


def _md_tables(text: str):
    """Each Markdown table of *text* as (header, rows) of cell strings."""
    tables, cur = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip()[1:-1].split(" | ")]
            if cur is None:
                cur = (cells, [])
                tables.append(cur)
            elif not set("".join(cells)) <= set("-:|"):
                cur[1].append(cells)
        else:
            cur = None
    return tables


def _number(cell: str):
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def _stated(scan: Path) -> dict:
    """{label: {(value, where)}} of every city-wide figure the outputs state."""
    city = "枣庄市"
    found: dict = {}
    docs = [scan / "report.md", *sorted((scan / "plans").glob("*.md"))]
    for doc in docs:
        for header, rows in _md_tables(doc.read_text(encoding="utf-8")):
            label_col = next((i for i, h in enumerate(header) if h in ("项目", "指标", "考核指标")), None)
            if label_col is None:
                continue
            scope_col = next((i for i, h in enumerate(header) if h == "范围"), None)
            for row in rows:
                if scope_col is not None and row[scope_col] != city:
                    continue
                label = row[label_col]
                # the plans' summaries key a figure by label and item (按目标域 | 改址)
                item = row[label_col + 1] if header[label_col + 1:label_col + 2] in (["项目"], ["分项"]) else ""
                for i, h in enumerate(header):
                    if h in ("数值", "整合前", "整合后"):
                        v = _number(row[i])
                        if v is not None:
                            key = (label, item, "整合后" if h == "整合后" else "")
                            found.setdefault(key, set()).add((v, doc.name))
    summary = json.loads((scan / "summary.json").read_text(encoding="utf-8"))
    for k, v in summary.items():
        if v is not None:
            found.setdefault((FIGURE_LABELS[k]["zh"], "", ""), set()).add((float(v), "summary.json"))
    return found


def test_every_label_states_one_value(scan):
    found = _stated(scan)
    assert len(found) > 40
    twice = {k: sorted(v) for k, v in found.items() if len({x for x, _ in v}) > 1}
    assert not twice, f"labels with two values: {twice}"
    # the ones issue 21 found stating two numbers: departments (125 in the report, 128 in the exit
    # plan), address conflicts (8 and 4 under one name)
    assert {x for x, _ in found[("部门数", "", "")]} == {128.0}
    assert {w for _, w in found[("部门数", "", "")]} >= {"report.md", "exits-plan.md", "summary.json"}
    assert {x for x, _ in found[("地址冲突", "", "")]} == {8.0}
    assert {x for x, _ in found[("需处置的地址冲突", "", "")]} == {4.0}


def test_figures_table_has_one_definition_per_figure_and_summary_reads_it(scan):
    summary = json.loads((scan / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) == set(FIGURES)
    assert set(FIGURES) <= set(DEFINITIONS) and set(METRICS) <= set(DEFINITIONS)
    assert all(d["zh"] and d["en"] and d["zh"] != d["en"] for d in DEFINITIONS.values())
    report = (scan / "report.md").read_text(encoding="utf-8")
    for fid in FIGURES:
        if summary[fid] is not None:
            assert f"| {FIGURE_LABELS[fid]['zh']} | {summary[fid]:,} | {DEFINITIONS[fid]['zh']} |" in report


def test_a_code_has_one_name_across_figures_metrics_and_plan_summaries():
    labels = metric_labels(_VALUES_STATIC["metric"], MERGE_VALUES["metric"])
    assert labels["conflicts"] != labels["conflicts_to_resolve"]
    assert labels["networks"] != labels["networks_in_scope"]
    with pytest.raises(ValueError):
        metric_labels({"conflicts": {"zh": "需处置的地址冲突", "en": "conflicts to resolve"}})


def test_readme_walkthrough_states_the_scan_figures(scan):
    summary = json.loads((scan / "summary.json").read_text(encoding="utf-8"))
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"devices (\d+), networks (\d+), prefixes (\d+), conflicts (\d+)\n"
                  r"internet exits: (\d+) before -> (\d+) after\n"
                  r"towns attached to the extranet: (\d+)/(\d+); departments connected: (\d+)/(\d+)", text)
    assert m, "the README's scan output is gone"
    keys = ("devices", "networks", "prefixes", "conflicts", "exits_before", "exits_after", "towns_attached", "towns",
            "departments_connected", "departments")
    assert dict(zip(keys, map(int, m.groups()))) == {k: summary[k] for k in keys}
    prose = re.search(r"\(2017-era divisions\): (\d+) districts and (\d+) towns/streets \((\d+) not yet connected\), "
                      r"(\d+)\s+departments", text)
    assert prose and tuple(map(int, prose.groups())) == (
        summary["districts"], summary["towns"], summary["towns"] - summary["towns_attached"], summary["departments"])


# -- Chinese deliverables in Chinese ------------------------------------------------------------
def _identifiers() -> set:
    """Identifiers a zh deliverable must not show: the schema's snake_case choices, metric, figure
    and plan-summary ids, and issue codes."""
    ids = {c for t in schema.TABLES.values() for col in t.columns for c in col.choices if "_" in c}
    ids |= set(METRICS) | set(FIGURES) | set(ISSUE_LABELS)
    ids |= set(metric_labels(_VALUES_STATIC["metric"], MERGE_VALUES["metric"]))
    ids |= {"extranet_admin", "extranet_public", "extranet_vpn", "renumber", "exits_keep_mandated", "keep_mandated",
            "keep_until_contract_end", "decommission", "vrf_split"}
    # plain English words that are also ids (exits, networks, links ...) are looked for in the
    # Markdown only: the milestones workbook has an English-name column (英文名称) on purpose
    return {i for i in ids if "_" in i or "-" in i}, {i for i in ids if "_" not in i and "-" not in i}


def _zh_texts(scan: Path):
    for doc in [scan / "report.md", *sorted((scan / "plans").glob("*.md"))]:
        yield doc.name, doc.read_text(encoding="utf-8")
    for book in [scan / "report.xlsx", *sorted((scan / "plans").glob("*.xlsx"))]:
        wb = CalamineWorkbook.from_path(str(book))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            # row 2 is the English header, on purpose (two header rows: Chinese, English)
            cells = [str(c) for i, r in enumerate(rows) if i != 1 for c in r if c not in ("", None)]
            yield f"{book.name}!{name}", "\n".join(cells)


def test_zh_outputs_hold_no_untranslated_identifier(scan):
    ids, words = _identifiers()
    assert {"extranet_admin", "renumber", "exits_keep_mandated", "connectivity_rate", "bad-ip-range"} <= ids | words

    def pattern(xs, edge=r"\w-"):  # a plain word in a path (rules/exits.yaml) is no identifier shown
        return re.compile(rf"(?<![{edge}])(" + "|".join(sorted(map(re.escape, xs), key=len, reverse=True))
                          + rf")(?![{edge}])")
    compound, plain = pattern(ids), pattern(words, r"\w./-")
    found = {}
    for where, text in _zh_texts(scan):
        hits = sorted(set(compound.findall(text)) | (set(plain.findall(text)) if where.endswith(".md") else set()))
        if hits:
            found[where] = hits
    assert not found, f"untranslated identifiers in the zh outputs: {found}"
    report = (scan / "report.md").read_text(encoding="utf-8")
    assert "China Mobile" not in report and "中国移动" in report
    assert "系统联通率" in report and "IP地址段无法识别" in report


def test_markdown_has_no_stray_escapes(scan, tmp_path):
    for _, text in _zh_texts(scan):
        assert "\\_" not in text and "\\!" not in text
    en = tmp_path / "en"
    run_scan(DEMO, en, lang="en")
    report = (en / "report.md").read_text(encoding="utf-8")
    assert "address_overlaps" not in report and "address overlaps" in report
    assert "\\_" not in report
    assert "octet 317" in report  # the English report quotes the issue's own message
