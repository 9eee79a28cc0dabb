"""The deliverables a department head signs, as plan documents: the scorecard (考核评分), and
helpers to hang them into the self-inspection report.

Analyzers (``netconsol.analyze.scorecard`` ...) give tables; this module gives them their
zh/en labels and titles, and :func:`append_to` adds a plan's tables and sections to another
plan (the report), so scan.py only calls it.
"""
from __future__ import annotations

from .catalogue import DEFINITIONS
from .plans import L, Plan, Section, Text

# netconsol's own definitions of the scorecard's figures (analyze/scorecard.py computes them), in
# both languages; the connectivity rate is the metrics table's (render/catalogue.py): one definition
FIGURE_DEFINITIONS = {
    "connectivity_rate": DEFINITIONS["connectivity_rate"],
    "networks_to_integrate": L("netconsol 定义：尚未进入电子政务外网某一域或电子政务内网的专网（政务专网、业务专网）；部门局域网不计",
                               "netconsol definition: private networks (kind gov_private or business_private) not yet "
                               "in an extranet domain or the intranet; departments' LANs are not counted"),
    "networks_integrated": L("netconsol 定义（整合数）：基线扫描时的待整合专网数减去当前待整合专网数（不小于 0）",
                             "netconsol definition (networks integrated): networks to integrate at the baseline scan "
                             "minus networks to integrate now (never below 0)"),
    "exits_open": L("netconsol 定义：在用互联网出口（自查表与配置核对合并，同一线路只计一次），即出口整合方案所列",
                    "netconsol definition: internet exits in use (sheet and config evidence reconciled, one line "
                    "counted once), as the exit plan lists them"),
    "exits_closed": L("netconsol 定义：基线扫描时的在用出口数减去当前在用出口数（不小于 0）",
                      "netconsol definition: exits open at the baseline scan minus exits open now (never below 0)"),
    "conflicts_open": L("netconsol 定义：一侧在该范围内的地址冲突（冲突表的每一行）",
                        "netconsol definition: address conflicts (every conflicts row) with a side in the scope"),
    "milestones_met": L("netconsol 定义：该范围已完成的 rules/milestones.yaml 时间节点 ÷ 适用于该范围的节点",
                        "netconsol definition: milestones of rules/milestones.yaml done for the scope / milestones "
                        "that apply to it"),
}
RANKING = L("netconsol 的排名定义：先比完成节点（比例），再比系统联通率，再比剩余工作（待整合专网 + 在用出口 + 未解决冲突，少者在前），"
            "再比基线以来的进展（已整合专网 + 已关闭出口，多者在前）；数字相同名次相同。通报（进度滞后）：有逾期节点或联通率低于 100%。"
            "表扬：两者皆无，且已无待办工作或基线以来有进展",
            "netconsol definition of the ranking: milestones met (share), then connectivity rate, then work left "
            "(networks to integrate + exits open + conflicts open, fewer first), then progress since the baseline "
            "(networks integrated + exits closed, more first); equal figures share a rank. Named (the slow): a "
            "milestone overdue or connectivity below 100%. Praised (the fast): neither, and nothing left to do or "
            "progress since the baseline scan")

__all__ = ["scorecard_plan", "milestones_plan", "expansion_plan", "append_to", "SCORECARD_LABELS", "MILESTONE_LABELS"]

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
    from .plans import table

    # the definition column carries the figure id, worded per language by values["definition"]
    defs = table([{"figure": k, "definition": k} for k in [*figures, "ranking"]],
                 [("figure", "str"), ("definition", "str")])
    values = {k: dict(v) for k, v in _VALUES.items()}
    values["definition"] = {**{k: (v if isinstance(v, dict) else L(v, v)) for k, v in figures.items()},
                            "ranking": ranking if isinstance(ranking, dict) else L(ranking, ranking)}
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


MILESTONE_LABELS = {
    "milestone": L("时间节点", "milestone"),
    "due": L("截止日期", "due"),
    "city": L("全市", "city"),
    "districts_done": L("已完成区(市)", "districts done"),
    "departments_done": L("已完成部门", "departments done"),
    "overdue": L("逾期单位", "overdue"),
    "as_of": L("评估日期", "as of"),
    "status": L("状态", "status"),
    "scope": L("范围", "scope"),
    "scope_name": L("名称", "name"),
    "level": L("层级", "level"),
    "check": L("完成标准", "check"),
    "left": L("未完成项", "left to do"),
    "name_en": L("英文名称", "name (English)"),
    "plan": L("方案", "plan"),
    "item": L("项目", "item"),
    "action": L("处置", "action"),
    "wave": L("迁移批次", "wave"),
    "name": L("名称", "name"),
}
_STATUS = {"done": L("已完成", "done"), "due": L("未到期", "due"), "overdue": L("已逾期", "overdue"),
           "n/a": L("不适用", "n/a")}
_CHECKS = {
    "self_inspection": L("各部门均已报送自查", "every department reported"),
    "expansion_plan": L("外网扩容提升方案已编制", "expansion plan drawn"),
    "merge_plan": L("专网整合方案已编制", "merge plan drawn"),
    "exit_plan": L("出口整合方案已编制", "exit plan drawn"),
    "towns_public": L("全部镇（街）接入公共服务域", "every town reached by the public service domain"),
    "gov_private_merged": L("无剩余政务专网", "no government private network left"),
    "exits_consolidated": L("无待迁移或关闭的出口", "no exit left to migrate or close"),
    "classified_intranet": L("涉密网络均在内网", "every classified network on the intranet"),
    "private_merged": L("无剩余专网（保留的除外）", "no private network left (kept ones aside)"),
}


def milestones_plan(overview, status, schedule, milestones: list, city: str = "", actions: dict | None = None) -> Plan:
    """Milestones as a plan: the due / overdue / done view, every scope's status, and the due date
    of every plan row."""
    names = {m["id"]: L(m["name"], m["name_en"]) for m in milestones}
    names.update(wave=L("迁移批次截止", "wave due date"), contract_end=L("合同到期", "contract end"))
    values = {"milestone": names, "city": _STATUS, "status": _STATUS, "check": _CHECKS,
              "level": _VALUES["level"], "plan": {"merge": L("专网整合", "merge"), "exits": L("出口整合", "exits")},
              "action": dict(actions or {})}
    as_of = overview["as_of"].iloc[0] if len(overview) else ""
    intro = Text(L("按 rules/milestones.yaml 的时间节点（默认取实施方案的节点），以 {as_of} 为评估日期；完成标准为 "
                   "netconsol 的定义（见各节点的完成标准）。",
                   "Milestones of rules/milestones.yaml (the seed plan's by default), judged as at {as_of}; what "
                   "counts as done is netconsol's definition (each milestone's check)."), {"as_of": as_of})
    return Plan(
        name="milestones", title=L(f"{city}整合时间节点", f"{city} consolidation milestones"),
        tables={"overview": overview, "status": status, "schedule": schedule},
        titles={"overview": L("时间节点：到期 / 逾期 / 完成", "milestones: due / overdue / done"),
                "status": L("各单位节点状态", "status per scope"),
                "schedule": L("方案各项截止日期", "due date of every plan row")},
        labels=MILESTONE_LABELS, values=values, formats={},
        sections=[Section(L("时间节点：到期 / 逾期 / 完成", "Milestones: due / overdue / done"), [intro],
                          table="overview", columns=("milestone", "due", "city", "districts_done",
                                                     "departments_done", "overdue")),
                  Section(L("方案各项截止日期", "Due date of every plan row"), table="schedule")])


EXPANSION_LABELS = {
    "level": L("类别", "level"),
    "name": L("名称", "name"),
    "gap": L("缺口", "gap"),
    "devices": L("现有设备", "devices there"),
    "nearest": L("最近接入节点", "nearest node"),
    "nearest_role": L("节点类型", "node type"),
    "link": L("建议链路", "proposed link"),
    "domains": L("开通域", "domains"),
    "basis": L("依据", "basis"),
    "networks": L("涉密网络", "classified networks"),
    "intranet_node": L("所需内网节点", "intranet node needed"),
    "node_level": L("节点层级", "node level"),
}
_EXPANSION_VALUES = {
    "level": {"district": L("区(市)", "district"), "town": L("镇（街）", "town/street"),
              "department": L("部门", "department")},
    "gap": {"no_pe": L("无外网PE", "no extranet PE"), "pe_unreached": L("PE未接入骨干", "PE not reached"),
            "not_attached": L("未接入电子政务外网", "not attached to the extranet"),
            "no_public_domain": L("未开通公共服务域", "no public service domain"),
            "not_connected": L("未联通电子政务外网", "not connected to the extranet")},
    "nearest_role": {"pe": L("区县PE", "district PE"), "town": L("镇街节点", "town node"),
                     "core": L("市级核心", "city core")},
    "link": {"leased_line": L("新建专线（MSTP/裸光纤）接入", "new leased line (MSTP/dark fiber)"),
             "add_vrf": L("在现有链路上开通公共服务域VPN实例", "add the public-domain VPN instance on the existing link")},
    "domains": {"extranet_public": L("公共服务域", "public service domain"),
                "extranet_admin": L("行政服务域", "administrative service domain")},
    "basis": {"graph": L("拓扑", "topology"), "manifest": L("清单标注", "manifest"),
              "graph (contradicts manifest)": L("拓扑（与清单不符）", "topology (contradicts the manifest)"),
              "unknown": L("未知", "unknown"), "extranet network": L("外网承载", "extranet network")},
    "node_level": {"city": L("市级", "city"), "district": L("区县级", "district")},
}


def expansion_plan(extranet, intranet, city: str = "") -> Plan:
    """The extranet expansion plan (外网扩容提升方案) and the intranet's needs, grouped by district."""
    values = {k: dict(v) for k, v in _EXPANSION_VALUES.items()}
    values["intranet_node"] = {"city": L("市级电子政务内网节点", "city intranet node")}
    values["intranet_node"].update({d: L(f"{d}电子政务内网节点", f"{d} intranet node")
                                    for d in intranet["intranet_node"].tolist() if d != "city"})
    values["district"] = {"": L("市直", "city level")}
    counts = extranet["level"].value_counts().to_dict()
    intro = Text(L("电子政务外网尚未覆盖：区(市) {d} 个、镇（街） {t} 个、部门 {p} 个；逐一列出最近接入节点（按拓扑与清单，"
                   "netconsol 的选择）、建议链路与开通域。",
                   "Not yet reached by the extranet: {d} districts, {t} towns/streets, {p} departments; each with the "
                   "nearest node (from the topology and the manifest, netconsol's choice), the proposed link and the "
                   "domains."), {"d": counts.get("district", 0), "t": counts.get("town", 0),
                                 "p": counts.get("department", 0)})
    intra = Text(L("持有涉密网络的部门及其所需的电子政务内网节点（市级部门接市级节点，区县部门接区县节点）。",
                   "Departments holding classified networks and the intranet node each needs (city departments the "
                   "city node, district departments the district's node)."))
    return Plan(
        name="expansion", title=L(f"{city}电子政务外网扩容提升方案", f"{city} extranet expansion plan"),
        tables={"extranet": extranet, "intranet": intranet},
        titles={"extranet": L("外网扩容：未覆盖的区(市)、镇（街）与部门", "extranet: districts, towns and departments to reach"),
                "intranet": L("内网延伸：涉密网络所需节点", "intranet: nodes classified networks need")},
        labels=EXPANSION_LABELS, values=values, formats={},
        sections=[Section(L("外网扩容：未覆盖的区(市)、镇（街）与部门", "Extranet: districts, towns and departments to reach"),
                          [intro], table="extranet"),
                  Section(L("内网延伸：涉密网络所需节点", "Intranet: nodes classified networks need"), [intra],
                          table="intranet")])
