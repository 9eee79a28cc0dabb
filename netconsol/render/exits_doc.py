"""The internet-exit consolidation plan as a document (互联网出口整合方案): every zh/en label, the
sections and their text.  The figures come from :func:`netconsol.analyze.exits.exit_plan`; this
module only says them.  :func:`plan_exits` = analysis + document, what the CLI and the scan write.
"""
from __future__ import annotations

from ..analyze.exits import DISPOSITIONS, TBD_SITE, UNIFIED, ExitPlan, ExitRules, exit_plan
from .plans import L, Plan, Section, Text

__all__ = ["exits_document", "plan_exits", "LABELS"]


def plan_exits(inv, rules: ExitRules | None = None, snapshot: str = "") -> Plan:
    """The exit consolidation plan of *inv* as a document (see :func:`netconsol.analyze.exits.exit_plan`)."""
    return exits_document(exit_plan(inv, rules, snapshot))


# ----------------------------------------------------------------------------------------------
# labels (zh / en)
# ----------------------------------------------------------------------------------------------
LABELS = {
    "exit": L("出口编号", "exit"), "seen_in": L("发现于", "seen in"), "flag": L("核对标记", "check flag"),
    "match_by": L("匹配依据", "matched by"), "access_type": L("接入类型", "access type"),
    "public_range": L("公网地址段", "public range"), "public_ips": L("公网地址数", "public addresses"),
    "bandwidth_mbps": L("带宽(Mbps)", "bandwidth (Mbps)"), "peak_util": L("峰值利用率", "peak utilisation"),
    "peak_mbps": L("峰值(Mbps)", "peak (Mbps)"), "fee_yuan_year": L("申报年费(元)", "declared fee (yuan/yr)"),
    "cost_before_yuan": L("整合前年费(元)", "cost before (yuan/yr)"),
    "fee_estimated": L("费用为估算", "fee estimated"), "contract_end": L("合同到期", "contract end"),
    "mandated_by": L("主管部委要求", "mandated by"), "ministry": L("保留依据部委", "mandating ministry"),
    "services_count": L("对外服务数", "services"), "disposition": L("处置方式", "disposition"),
    "target_site": L("目标出口", "target site"), "target_date": L("完成日期", "target date"),
    "in_pool": L("计入统一带宽池", "in pool"), "addresses_returned": L("退还地址数", "addresses returned"),
    "services_to_republish": L("需重新发布服务", "services to republish"),
    "cost_after_yuan": L("整合后年费(元)", "cost after (yuan/yr)"), "saving_yuan": L("节约(元/年,未计统一出口费用)", "gross saving (yuan/yr, before the unified exit's cost)"),
    "net_saving_yuan": L("净节约(元/年,扣除统一出口费用分摊)", "net saving (yuan/yr, after the unified exit cost share)"),
    "departments": L("部门数", "departments"),
    "departments_behind_before": L("整合前经统一出口部门", "departments behind unified exit, before"),
    "departments_behind_after": L("整合后经统一出口部门", "departments behind unified exit, after"),
    "exits_before": L("整合前出口数", "exits before"), "exits_after": L("整合后出口数", "exits after"),
    "keep_mandated": L("保留(部委要求)", "keep (mandated)"),
    "keep_until_contract_end": L("保留至合同到期", "keep until contract end"),
    "migrate": L("迁移", "migrate"), "decommission": L("关停", "decommission"),
    "bandwidth_before_mbps": L("整合前带宽(Mbps)", "bandwidth before (Mbps)"),
    "bandwidth_after_mbps": L("整合后带宽(Mbps)", "bandwidth after (Mbps)"),
    "cost_estimated_yuan": L("其中估算(元)", "of which estimated (yuan)"),
    "unified_cost_share_yuan": L("统一出口费用分摊(元/年)", "unified exit cost share (yuan/yr)"),
    "bandwidth_share_before": L("整合前带宽占比", "bandwidth share before"),
    "bandwidth_share_after": L("整合后带宽占比", "bandwidth share after"),
    "site": L("出口站点", "site"), "role": L("角色", "role"), "site_district": L("站点所在区县", "site district"),
    "capacity_share": L("承载比例", "capacity share"), "carrier_split": L("运营商分担方式", "carrier split"),
    "optional": L("可选运营商", "optional carrier"),
    "site_demand_mbps": L("站点需求(Mbps)", "site demand (Mbps)"), "need_mbps": L("单线需求(Mbps)", "need per line (Mbps)"),
    "bought_mbps": L("采购带宽(Mbps)", "bought (Mbps)"), "lines": L("线路规格", "lines"),
    "yuan_per_year": L("年费(元)", "yuan per year"), "step": L("计算步骤", "step"),
    "kind": L("类型", "kind"), "service": L("服务", "service"), "protocol": L("协议", "protocol"),
    "public_address": L("原公网地址", "old public address"), "public_port": L("公网端口", "public port"),
    "inside_address": L("内网地址", "inside address"), "inside_port": L("内网端口", "inside port"),
    "dns_name": L("域名", "DNS name"),
    "addresses": L("地址数", "addresses"), "return_date": L("退还日期", "return date"),
    "bandwidth_from": L("带宽来源", "bandwidth from"), "field": L("字段", "field"),
    "sheet_value": L("自查表值", "sheet value"), "config_value": L("配置值", "config value"),
    "kept": L("采用值", "value kept"), "kept_from": L("采用来源", "kept from"),
    "sheet_exit": L("自查表出口", "sheet exit"), "config_exit": L("配置出口", "config exit"),
    "sheet_source": L("自查表文件", "sheet file"), "sheet_location": L("自查表位置", "sheet location"),
    "config_source": L("配置文件", "config file"), "config_location": L("配置位置", "config location"),
    "plan_date": L("整合完成日期", "plan date"), "rules": L("规则文件", "rules file"),
    "snapshot": L("数据快照", "snapshot"),
    "admin_evidence": L("行政服务域依据", "admin-domain evidence"), "exits": L("出口", "exits"),
    "interfaces": L("出口接口", "exit interfaces"), "dispositions": L("出口处置", "dispositions"),
    "violation": L("违规", "violation"), "accepted_exception": L("认可的例外", "accepted exception"),
    "rule": L("依据规则", "rule"), "vrf": L("VRF", "VRF"), "address": L("接口地址", "interface address"),
    "next_hops": L("下一跳", "next hops"), "evidence": L("证据", "evidence"), "verdict": L("判定", "verdict"),
    "reason": L("判定理由", "reason"),
}

_VALUES_STATIC = {
    "disposition": {d: LABELS[d] for d in DISPOSITIONS},
    "seen_in": {"both": L("自查表+配置", "sheet and config"), "sheet": L("仅自查表", "sheet only"),
                "config": L("仅配置", "config only")},
    "flag": {"declared_not_configured": L("申报但配置中未发现", "declared, not configured"),
             "declared_not_collected": L("申报(该部门设备未采集)", "declared, devices not collected"),
             "configured_not_declared": L("配置中发现但未申报", "configured, not declared")},
    "match_by": {"range": L("地址段重叠", "range overlap"), "device": L("设备名", "device name"),
                 "department_carrier": L("部门+运营商", "department + carrier"), "department": L("部门", "department")},
    "role": {"primary": L("主用", "primary"), "backup": L("备用", "backup")},
    "kind": {"nat_server": L("NAT服务器映射", "NAT server"), "nat_static": L("NAT静态映射", "NAT static"),
             "sheet": L("自查表申报", "declared in sheet")},
    "field": {"carrier": L("运营商", "carrier"), "bandwidth_mbps": L("带宽", "bandwidth"),
              "public_range": L("公网地址段", "public range"), "department": L("部门", "department")},
    "kept_from": {"sheet": L("自查表", "sheet"), "config": L("配置", "config"), "union": L("合并", "union")},
    "access_type": {"fiber_dia": L("互联网专线", "fiber DIA"), "dark_fiber": L("裸光纤", "dark fiber"),
                    "mstp": L("MSTP/SDH", "MSTP/SDH"), "mpls_vpn": L("MPLS VPN", "MPLS VPN"),
                    "vpn": L("IPsec/SSL VPN", "IPsec/SSL VPN"), "l2tp": L("L2TP/VPDN", "L2TP/VPDN"),
                    "adsl": L("ADSL", "ADSL"), "ftth": L("光纤宽带", "FTTH broadband"), "mobile": L("4G/5G", "4G/5G"),
                    "other": L("其他", "other")},
    "bandwidth_from": {"sheet": L("自查表", "sheet"), "config": L("配置", "config"),
                       "description": L("接口描述", "interface description")},
    "verdict": {"exit": L("互联网出口", "exit"), "extranet_uplink": L("政务外网上联", "extranet uplink"),
                "vertical_uplink": L("纵向专网上联", "vertical-network uplink"),
                "management": L("带外管理", "management"), "dc_internal": L("数据中心内部缺省路由", "DC internal default"),
                "private_next_hop": L("私网下一跳", "private next hop"), "review": L("待人工核实", "review")},
    "notes": {"fee_estimated": L("费用按资费估算", "fee estimated from tiers"),
              "bandwidth_assumed": L("带宽未知按默认值", "bandwidth assumed"),
              "bandwidth_unknown": L("带宽未知", "bandwidth unknown"),
              "bandwidth_from_description": L("带宽取自接口描述", "bandwidth from the interface description"),
              "mandate_not_recognized": L("部委要求未识别,请核实", "mandate not recognized, check"),
              "no_department": L("未归属部门", "no department"),
              "duplicate_sheet_rows": L("自查表重复申报,已合并", "declared in several sheet rows, merged")},
    "unit": {"count": L("个", "count"), "percent": L("%", "%"), "mbps": L("Mbps", "Mbps"),
             "yuan_per_year": L("元/年", "yuan/yr"), "addresses": L("个地址", "addresses"),
             "factor": L("系数", "factor")},
    "carrier_split": {"survive_one_loss": L("单运营商故障仍满足需求", "survives one carrier loss"),
                      "even": L("平均分担", "even split")},
    "step": {"sum_peak_mbps": L("各出口峰值之和 Σpeak", "sum of peaks Σpeak"),
             "concurrency": L("并发系数", "concurrency"),
             "concurrent_peak_mbps": L("并发峰值 Σpeak×并发系数", "concurrent peak Σpeak×concurrency"),
             "sum_committed_mbps": L("现有签约带宽之和 Σcommitted", "sum of committed Σcommitted"),
             "oversubscription": L("收敛系数", "oversubscription"),
             "committed_floor_mbps": L("保底 Σcommitted×收敛系数", "floor Σcommitted×oversubscription"),
             "headroom": L("冗余系数", "headroom"),
             "pool_mbps": L("统一带宽池 max(...)×冗余系数", "pool max(...)×headroom")},
    "metric": {
        "exits": L("互联网出口数", "internet exits"), "exit_reduction_pct": L("出口压减率", "exit reduction"),
        "exits_keep_mandated": L("保留出口(部委要求)", "exits kept (mandated)"),
        "exits_keep_until_contract_end": L("保留至合同到期", "exits kept until contract end"),
        "exits_migrate": L("迁移出口", "exits migrated"), "exits_decommission": L("关停出口", "exits closed"),
        "unified_sites": L("统一出口站点", "unified exit sites"), "unified_lines": L("统一出口线路", "unified exit lines"),
        "bandwidth_bought_mbps": L("采购带宽", "bandwidth bought"),
        "bandwidth_peak_sum_mbps": L("各出口峰值之和", "sum of exit peaks"),
        "bandwidth_needed_mbps": L("需求带宽(统一带宽池)", "bandwidth needed (pool)"),
        "cost_yuan": L("年费用", "annual cost"), "cost_estimated_yuan": L("其中估算费用", "of which estimated"),
        "saving_yuan": L("年节约", "annual saving"), "saving_pct": L("节约率", "saving rate"),
        "departments": L("部门数", "departments"),
        "departments_behind_unified": L("经统一出口上网部门", "departments behind the unified exit"),
        "departments_behind_unified_pct": L("统一出口覆盖率", "share behind the unified exit"),
        "public_addresses": L("公网地址", "public addresses"),
        "public_addresses_returned": L("退还公网地址", "public addresses returned"),
        "services_to_republish": L("需重新发布服务(均需改DNS)", "services to republish (each a DNS change)"),
        "dns_names_known": L("其中已知域名", "of which DNS name known"),
        "exits_seen_in_both": L("自查表与配置一致发现", "exits seen in sheet and config"),
        "declared_not_configured": L("申报但配置未发现", "declared, not configured"),
        "declared_not_collected": L("申报但设备未采集", "declared, devices not collected"),
        "configured_not_declared": L("配置发现但未申报", "configured, not declared"),
        "disagreements": L("自查表与配置不一致项", "sheet/config disagreements"),
    },
}


# the placeholder site the exit rules size when a city names none (analyze/exits.py: TBD_SITE)
TBD_SITE_NAME = L("待定", "to be decided")


def _site_name(site) -> dict:
    """A unified exit site's name in both languages; the placeholder site's worded here."""
    if site.id == TBD_SITE and site.name == TBD_SITE:
        return TBD_SITE_NAME
    return L(site.name, site.name_en)


def exits_document(plan: ExitPlan) -> Plan:
    """The exit plan's document: labels (zh/en), value labels, formats, sections and text."""
    tables, rules, carriers, f, snapshot = plan.tables, plan.rules, plan.carriers, plan.facts, plan.snapshot
    values = {k: dict(v) for k, v in _VALUES_STATIC.items()}
    sites = {s.id: _site_name(s) for s in rules.sites}
    values["site"] = values["target_site"] = sites
    values["dispositions"] = values["disposition"]  # the isolation check's exits
    values["rule"] = {"keep_mandated (rules/exits.yaml mandated_ministries)": L(
        "部委要求保留（rules/exits.yaml 的 mandated_ministries）", "keep_mandated (rules/exits.yaml mandated_ministries)")}
    carr = {}
    for t in ("exits", "design", "carriers", "addresses"):
        for c in tables[t]["carrier"]:
            if c:
                zh = carriers.zh(c)
                carr[c] = L(zh or c, c)
    carr[""] = L("未知", "unknown")
    values["carrier"] = carr
    values["district"] = {"": L("市直", "city level"), UNIFIED: L("统一出口", "unified exit")}
    values["site_district"] = {"": L("市级", "city level")}
    values["department"] = {"": L("(未归属)", "(unattributed)")}
    formats = {"bandwidth_mbps": "mbps", "peak_mbps": "mbps", "site_demand_mbps": "mbps", "need_mbps": "mbps",
               "bought_mbps": "mbps", "bandwidth_before_mbps": "mbps", "bandwidth_after_mbps": "mbps",
               "fee_yuan_year": "yuan", "cost_before_yuan": "yuan", "cost_after_yuan": "yuan", "saving_yuan": "yuan",
               "cost_estimated_yuan": "yuan", "unified_cost_share_yuan": "yuan", "net_saving_yuan": "yuan", "yuan_per_year": "yuan",
               "peak_util": "ratio", "bandwidth_share_before": "ratio", "bandwidth_share_after": "ratio",
               "capacity_share": "ratio"}
    site_list = "、".join(sites[s.id]["zh"] for s in rules.sites)
    site_list_en = ", ".join(sites[s.id]["en"] for s in rules.sites)
    split = L("运营商分担方式：“单运营商故障仍满足需求”的站点，单线需求 = 站点需求 ÷ (运营商数 − 1)；"
              "“平均分担”的站点，单线需求 = 站点需求 ÷ 运营商数。",
              "Carrier split: at a site that survives one carrier loss, per line = site demand ÷ (carriers − 1); "
              "at an evenly split site, per line = site demand ÷ carriers.")
    p = dict(f, plan_date=rules.plan_date, sites=site_list, sites_en=site_list_en,
             concurrency=rules.concurrency, oversubscription=rules.oversubscription, headroom=rules.headroom,
             reduction=100 * (1 - f["n_after"] / f["n_before"]) if f["n_before"] else 0.0)
    sections = [
        Section(L("概要", "Summary"), [
            Text(L("计划完成日期 {plan_date}。现有互联网出口 {n_before} 个，整合后 {n_after} 个（保留 {kept} 个，"
                   "统一出口线路 {lines} 条），压减 {reduction:.1f}%。", "Plan date {plan_date}. {n_before} internet "
                   "exits today, {n_after} after ({kept} kept, {lines} unified exit lines), a reduction of "
                   "{reduction:.1f}%."), p),
            Text(L("年费用由 {cost_before:,.0f} 元变为 {cost_after:,.0f} 元，年节约 {saving:,.0f} 元。",
                   "Annual cost goes from {cost_before:,.0f} to {cost_after:,.0f} yuan, saving {saving:,.0f} "
                   "yuan a year.") if f["saving"] >= 0 else
                 L("年费用由 {cost_before:,.0f} 元变为 {cost_after:,.0f} 元，每年增加 {extra:,.0f} 元"
                   "（统一出口按冗余要求配置，换来的是审计、多运营商冗余和出口压减）。",
                   "Annual cost goes from {cost_before:,.0f} to {cost_after:,.0f} yuan, {extra:,.0f} yuan a year "
                   "more: the unified exit is sized for redundancy, and buys audit, carrier diversity and fewer "
                   "exits rather than savings."), dict(p, extra=-f["saving"])),
            Text(L("{n_depts} 个部门中，经统一出口上网的部门由 {behind_before} 个变为 {behind_after} 个"
                   "（口径：没有自建出口的部门，本工具定义）。",
                   "Of {n_depts} departments, {behind_before} were behind the unified exit before and "
                   "{behind_after} after (netconsol's definition: departments without an exit of their own)."), p),
        ], table="summary"),
        Section(L("统一出口设计", "Unified exit design"), [
            *([] if rules.sites_decided else [Text(L(
                "统一出口站点待定：本市的规则未指定站点（在清单的 rules/exits.yaml 中列出 sites）；下表按一个待定的主用站点测算带宽与费用。",
                "Unified exit sites to be decided: the city's rules name no site (list them under sites in the "
                "inventory's rules/exits.yaml); the table sizes one primary site still to be decided."), {})]),
            *([] if rules.plan_date_set else [Text(L(
                "本市规则未指定整合完成日期，暂按扫描日期 {plan_date} 计算。",
                "The city's rules set no plan date; the scan date {plan_date} is used."), {"plan_date": rules.plan_date})]),
            Text(L("统一出口站点：{sites}。带宽按汇聚峰值而非现有采购量之和确定："
                   "带宽池 = max(Σ峰值 {sum_peak:,.1f} × 并发系数 {concurrency}, Σ签约带宽 {sum_commit:,.1f} × 收敛系数 "
                   "{oversubscription}) × 冗余系数 {headroom} = {pool:,.1f} Mbps。",
                   "Unified exit sites: {sites_en}. Bandwidth is sized on the pooled peak, not the sum of "
                   "purchases: pool = max(Σpeak {sum_peak:,.1f} × concurrency {concurrency}, Σcommitted "
                   "{sum_commit:,.1f} × oversubscription {oversubscription}) × headroom {headroom} = "
                   "{pool:,.1f} Mbps."),
                 p),
            Text(split, {}),
            Text(L("各站点需求 = 带宽池 × 承载比例；单线需求向上取整到运营商资费档位。统一出口年费用 {unified_cost:,.0f} 元。",
                   "Site demand = pool × capacity share; each line is rounded up to the carrier's tier. "
                   "Unified exit cost: {unified_cost:,.0f} yuan a year."), p),
        ], table="design"),
        Section(L("带宽池计算", "Pool sizing"), table="pool"),
        Section(L("各出口处置", "Disposition of each exit"), [
            Text(L("处置规则依次为：部委要求保留 → 合同晚于计划日期到期则保留至到期 → 有对外服务则迁移 → 否则关停。",
                   "Rules, first match wins: mandated by a ministry → kept; contract ending after the plan date → "
                   "kept until it ends; publishes services → migrated; otherwise closed."), {}),
        ], table="exits", columns=("exit", "district", "department", "carrier", "bandwidth_mbps", "cost_before_yuan",
                                   "fee_estimated", "disposition", "target_site", "target_date", "services_count",
                                   "addresses_returned", "cost_after_yuan", "notes")),
        Section(L("分区县情况", "Per district"), table="districts"),
        Section(L("运营商结构", "Carrier mix"), table="carriers"),
        Section(L("需重新发布的服务与DNS变更", "Services to republish and DNS changes"), table="services",
                columns=("exit", "department", "kind", "service", "protocol", "public_address", "public_port",
                         "inside_address", "inside_port", "dns_name", "target_site", "target_date")),
        Section(L("需退还的公网地址", "Public addresses to return"), table="addresses"),
        Section(L("行政服务域隔离检查", "Administrative domain isolation"), [_isolation_text(f)],
                table="isolation"),
        Section(L("自查表与配置核对", "Sheets versus configs"), [
            Text(L("自查表申报与设备配置中发现的出口已逐一核对；下表列出两者不一致的字段及各自来源。",
                   "Exits declared in sheets and found in configs were matched; the table lists every field on "
                   "which they disagree, with both sources."), {}),
        ], table="disagreements"),
        Section(L("附录：配置中的出口候选及判定", "Appendix: exit candidates in configs and their verdicts"), [
            Text(L("每个带有出口特征的接口及其证据与判定；只有判定为“互联网出口”的计入出口数，“待人工核实”的既不计入也不建议关停。",
                   "Every interface with exit-like evidence, its evidence and verdict; only verdict 'exit' is "
                   "counted, 'review' is neither counted nor proposed for closing."), {}),
        ], table="candidates"),
    ]
    titles = {"summary": L("汇总", "Summary"), "design": L("统一出口设计", "Unified exit design"),
              "pool": L("带宽池计算", "Pool sizing"), "exits": L("出口处置", "Exits"),
              "districts": L("分区县", "Districts"), "carriers": L("运营商结构", "Carrier mix"),
              "services": L("服务迁移", "Services"), "addresses": L("地址退还", "Addresses"),
              "disagreements": L("核对差异", "Disagreements"), "isolation": L("隔离检查", "Isolation"),
              "candidates": L("出口候选", "Exit candidates")}
    meta = {"plan_date": rules.plan_date, "rules": rules.path}
    if snapshot:
        meta["snapshot"] = snapshot
    return Plan(name="exits", title=L("互联网出口整合方案", "Internet exit consolidation plan"), tables=tables,
                titles=titles, labels=LABELS, values=values, formats=formats, sections=sections, meta=meta).check()


def _isolation_text(f: dict) -> Text:
    """What the plan says about the administrative domain, from the isolation rows only."""
    n, ok = f.get("isolation_violations", 0), f.get("isolation_accepted", 0)
    if not n:
        return Text(L("未发现同时承载行政服务域和互联网出口的设备。",
                      "No device carries the administrative domain and an internet exit."), {})
    return Text(L("{n} 台承载行政服务域的设备同时有互联网出口（{devices}），行政服务域可能经此直接访问互联网，"
                  "违反行政服务域不直连互联网的要求；其中 {ok} 台的出口按部委要求保留，列为认可的例外。",
                  "{n} devices carrying the administrative domain also have an internet exit ({devices}): the "
                  "administrative domain may reach the internet directly through them; {ok} of them keep a "
                  "ministry-mandated exit and are listed as accepted exceptions."),
                {"n": n, "ok": ok, "devices": f.get("isolation_devices", "")})
