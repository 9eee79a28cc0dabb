"""The three-way reconciliation (三方核对) part of the self-inspection report: how many objects the
sheets, the configs and live devices agree on, per object type, and every disagreement listed.
Pure: adds tables and sections to a report :class:`~netconsol.render.plans.Plan` from the
inventory's ``reconciliation`` table (analyze/reconcile.py, computed by the pipeline during a
scan); render/plans.py writes it like every table."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from ..frames import table
from .plans import L, Section, Text

__all__ = ["reconciliation_rows", "add_reconciliation", "OBJECTS"]

OBJECTS = ("device", "address", "prefix", "exit", "link")  # the order of schema.py's object column
LABELS = {
    "object": L("核对对象", "object"),
    "key": L("对象", "compared"),
    "aspect": L("核对项", "aspect"),
    "declared": L("自查表填报", "declared (sheets)"),
    "configured": L("设备配置", "configured"),
    "observed": L("在线采集", "seen live"),
    "finding": L("不一致之处", "disagreement"),
    "agree": L("一致", "agree"),
    "partial": L("部分来源未提及", "partial (a source silent)"),
    "disagree": L("不一致", "disagree"),
    "compared": L("核对条数", "rows compared"),
}
VALUES = {
    "object": {"device": L("设备", "device"), "address": L("接口地址", "interface address"),
               "prefix": L("网段", "prefix"), "exit": L("互联网出口", "internet exit"),
               "link": L("链路", "link")},
    "aspect": {"presence": L("是否存在", "presence"), "model": L("型号", "model"), "carrier": L("运营商", "carrier"),
               "neighbour": L("邻居", "neighbour"), "department": L("部门", "department"),
               "range": L("地址段", "range")},
}
_SUM_COLS = [("object", "str"), ("compared", "int"), ("agree", "int"), ("partial", "int"), ("disagree", "int")]
_DIS_COLS = [("object", "str"), ("key", "str"), ("aspect", "str"), ("declared", "str"), ("configured", "str"),
             ("observed", "str"), ("finding", "str"), ("department", "str"), ("source", "str"), ("location", "str")]
_SIDES = (("declared", L("自查表", "sheet")), ("configured", L("配置", "config")), ("observed", L("在线", "live")))


def _finding(r: dict, shown) -> dict:
    """The disagreement in words, both languages: the analyzer's message is the English one; the
    Chinese one is worded here from the row's parts (*shown*: value -> its label, e.g. carriers)."""
    obj, aspect = r["object"], r["aspect"]
    if aspect in ("model", "carrier", "department", "range"):
        what = VALUES["aspect"][aspect]
        parts = [(side, shown(r[col], "zh")) for col, side in _SIDES if r[col]]
        zh = f"{what['zh']}不一致：" + "，".join(f"{side['zh']} {v}" for side, v in parts)
    elif obj == "prefix":
        zh = (f"{r['key']} 已配置于{r['department'] or '该部门'}的设备，但自查表未填报" if r["configured"] else
              f"{r['key']} 在线可见，但{r['department'] or '该部门'}的自查表未填报")
    elif obj == "address":
        zh = (f"{r['key']}：配置备份中有、在线设备上没有（备份过期？）" if r["configured"] else
              f"{r['key']}：在线设备上有、配置备份中没有")
    elif obj == "link":
        zh = f"由网段推断的链路与 LLDP/CDP 邻居不符：{r['observed']}"
    else:
        zh = f"{VALUES['object'].get(obj, L(obj, obj))['zh']}不一致"
    return L(zh, r["message"])


def _s(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def reconciliation_rows(inv) -> tuple[list[dict], list[dict]]:
    """(counts per object type, the disagreements) of the inventory's ``reconciliation`` table.

    Counts add up: compared = agree + partial + disagree for every object type.  The
    disagreements keep the table's order (object, key, aspect)."""
    df = inv["reconciliation"] if "reconciliation" in inv.tables else None
    if df is None or df.empty:
        return [], []
    # counted column by column (a province's table has hundreds of thousands of rows, and the
    # report asks twice, once per layout); only the disagreements are read row by row
    objects = df["object"].to_numpy(dtype=object, na_value="")
    statuses = df["status"].to_numpy(dtype=object, na_value="")
    counts = {obj: {"object": obj, "compared": 0, "agree": 0, "partial": 0, "disagree": 0}
              for obj in dict.fromkeys(objects)}
    for (obj, status), n in Counter(zip(objects, statuses)).items():
        counts[obj]["compared"] += n
        counts[obj][status] += n
    disagree = []
    for r in df[statuses == "disagree"].to_dict("records"):
        row = {k: _s(r.get(k)) for k, _ in _DIS_COLS if k != "finding"}
        row["message"] = _s(r.get("message"))
        disagree.append(row)
    order = {o: i for i, o in enumerate(OBJECTS)}
    summary = sorted(counts.values(), key=lambda c: (order.get(c["object"], len(order)), c["object"]))
    return summary, disagree


def add_reconciliation(plan, inv, layout: str = "sections"):
    """Add the reconciliation tables to a report *plan* (in place) and return it; nothing when the
    inventory has no reconciliation rows."""
    summary, disagree = reconciliation_rows(inv)
    if not summary:
        return plan
    plan.labels = {**plan.labels, **{k: v for k, v in LABELS.items() if k not in plan.labels}}
    values = dict(plan.values)
    for k, v in VALUES.items():
        values.setdefault(k, v)
    # what each source says is shown as the report shows such values (a carrier in Chinese in the
    # zh report); a model or an address stays as written
    carriers = values.get("carrier") or {}
    for col, _side in _SIDES:
        values.setdefault(col, carriers)

    def shown(v, lang):
        hit = carriers.get(v)
        return hit[lang] if hit else v

    findings = {}
    for i, r in enumerate(disagree):
        findings[f"rec{i}"] = _finding(r, shown)
        r["finding"] = f"rec{i}"
    values["finding"] = findings
    plan.values = values
    plan.tables["reconciliation_summary"] = table(summary, _SUM_COLS)
    plan.titles["reconciliation_summary"] = L("三方核对 · 按对象类型", "reconciliation · by object type")
    plan.tables["reconciliation_disagree"] = table(disagree, _DIS_COLS)
    plan.titles["reconciliation_disagree"] = L("三方核对 · 不一致项", "reconciliation · disagreements")
    if layout == "sections":
        n = sum(c["compared"] for c in summary)
        new = [Section(plan.titles["reconciliation_summary"], [Text(L(
            "自查表填报、设备配置与在线采集三方核对 {n} 项：一致 {agree} 项，部分来源未提及 {partial} 项，"
            "不一致 {disagree} 项（逐项列于下表）。",
            "Sheets, configs and live devices compared on {n} items: {agree} agree, {partial} partial (a source "
            "silent), {disagree} disagree (each listed below)."),
            {"n": n, "agree": sum(c["agree"] for c in summary), "partial": sum(c["partial"] for c in summary),
             "disagree": len(disagree)})], table="reconciliation_summary"),
            Section(plan.titles["reconciliation_disagree"], table="reconciliation_disagree")]
        at = next((i for i, s in enumerate(plan.sections) if s.table == "problems"), len(plan.sections))
        plan.sections[at:at] = new
    return plan
