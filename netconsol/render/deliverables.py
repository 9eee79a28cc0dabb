"""The deliverables a department head signs, as plan documents: the scorecard (考核评分), and
helpers to hang them into the self-inspection report.

Analyzers (``netconsol.analyze.scorecard`` ...) give tables; this module gives them their
zh/en labels and titles, and :func:`append_to` adds a plan's tables and sections to another
plan (the report), so scan.py only calls it.
"""
from __future__ import annotations

from .plans import L, Plan, Section, Text

__all__ = ["scorecard_plan", "append_to", "SCORECARD_LABELS"]

SCORECARD_LABELS = {
    "rank": L("名次", "rank"),
    "name": L("名称", "name"),
    "scope": L("范围", "scope"),
    "level": L("层级", "level"),
    "figure": L("考核指标", "figure"),
    "value": L("数值", "value"),
    "numerator": L("分子", "numerator"),
    "denominator": L("分母", "denominator"),
    "connectivity_rate": L("系统联通率", "connectivity rate"),
    "networks_to_integrate": L("待整合专网", "networks to integrate"),
    "networks_integrated": L("已整合专网（整合数）", "networks integrated"),
    "exits_open": L("在用互联网出口", "exits open"),
    "exits_closed": L("已关闭出口", "exits closed"),
    "conflicts_open": L("未解决地址冲突", "conflicts open"),
    "milestones_met": L("完成节点", "milestones met"),
    "standing": L("评价", "standing"),
    "definition": L("定义（netconsol）", "definition (netconsol's)"),
}
_VALUES = {
    "standing": {"praised": L("表扬", "praised"), "named": L("通报（进度滞后）", "named (behind)")},
    "level": {"city": L("全市", "city"), "district": L("区(市)", "district"),
              "department": L("部门", "department")},
    "figure": {k: v for k, v in SCORECARD_LABELS.items()
               if k in ("connectivity_rate", "networks_to_integrate", "networks_integrated", "exits_open",
                        "exits_closed", "conflicts_open", "milestones_met")},
}
_FORMATS = {"connectivity_rate": "ratio"}


def scorecard_plan(card, districts, departments, figures: dict, ranking: str, city: str = "") -> Plan:
    """The scorecard as a plan: the district and department rankings, the figure definitions, and
    every figure per scope (the table history records)."""
    import pandas as pd

    from .plans import table

    defs = table([{"figure": k, "definition": v} for k, v in figures.items()],
                 [("figure", "str"), ("definition", "str")])
    rule = table([{"figure": "ranking", "definition": ranking}], [("figure", "str"), ("definition", "str")])
    defs = pd.concat([defs, rule], ignore_index=True)
    values = {k: dict(v) for k, v in _VALUES.items()}
    values["figure"]["ranking"] = L("排名与评价规则", "ranking and standing")
    intro = Text(L("考核指标与排名均为 netconsol 的定义（见“指标定义”）；进度以本清单在历史库中的首次扫描为基线。",
                   "The figures and the ranking are netconsol's own definitions (see 'definitions'); progress is "
                   "measured from the first scan of this inventory recorded in the history."))
    return Plan(
        name="scorecard", title=L(f"{city}整合进度考核评分", f"{city} consolidation scorecard"),
        tables={"districts": districts, "departments": departments, "definitions": defs, "figures": card},
        titles={"districts": L("区(市)排名（netconsol 定义）", "district ranking (netconsol's definitions)"),
                "departments": L("部门排名（netconsol 定义）", "department ranking (netconsol's definitions)"),
                "definitions": L("指标定义（netconsol）", "definitions (netconsol's)"),
                "figures": L("各范围考核指标", "figures per scope")},
        labels=SCORECARD_LABELS, values=values, formats=_FORMATS,
        sections=[Section(L("区(市)排名（netconsol 定义）", "District ranking (netconsol's definitions)"), [intro],
                          table="districts", columns=tuple(c for c in districts.columns if c != "district")),
                  Section(L("部门排名（netconsol 定义）", "Department ranking (netconsol's definitions)"),
                          table="departments"),
                  Section(L("指标定义（netconsol）", "Definitions (netconsol's)"), table="definitions")])


def append_to(report: Plan, plan: Plan, tables=None, prefix: str = "") -> Plan:
    """Add *plan*'s sections (those showing *tables*, default all) to *report*, with their tables
    (ids prefixed by *prefix*), titles, labels, coded values and formats.  The report's own labels
    win where both name a column."""
    keep = set(tables or plan.tables)
    for name in plan.tables:
        if name in keep:
            report.tables[prefix + name] = plan.tables[name]
            if name in plan.titles:
                report.titles[prefix + name] = plan.titles[name]
    for s in plan.sections:
        if s.table and s.table not in keep:
            continue
        report.sections.append(Section(s.title, list(s.paragraphs), prefix + s.table if s.table else "",
                                       s.columns))
    for attr in ("labels", "values", "formats"):
        mine = dict(getattr(report, attr))  # a copy: a report's label dicts may be module-level
        setattr(report, attr, mine)
        for k, v in getattr(plan, attr).items():
            if k not in mine:
                mine[k] = v
            elif attr == "values" and isinstance(v, dict):
                mine[k] = {**v, **mine[k]}
    return report
