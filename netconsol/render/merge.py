"""The merge plan (专网整合方案) as a document: its zh/en labels, coded values, sections and prose.

:func:`netconsol.analyze.merge.merge_tables` computes the plan's tables; this module labels them
and writes the narrative (:class:`~netconsol.render.plans.Plan`), which :func:`write_plan` exports.
"""
from __future__ import annotations

import pandas as pd

from ..analyze.merge import TARGET_WORDS, MergeResult, merge_tables
from ..analyze.overlaps import default_pools
from ..domains import DomainRules, load_domain_rules
from .plans import L, Plan, Section, Text

__all__ = ["plan_merge", "merge_document", "LABELS"]


def plan_merge(inv, rules: DomainRules | None = None, pools: dict | None = None, snapshot: str = "", *,
               links: pd.DataFrame | None = None, graph=None, vctx: dict | None = None) -> Plan:
    """The merge plan of *inv* as a :class:`~netconsol.render.plans.Plan` (see :mod:`netconsol.analyze.merge`).

    *pools*: ``{domain kind: [CIDR, ...]}``; None = :func:`~netconsol.analyze.overlaps.default_pools`.
    *links*, *graph*, *vctx*: as :func:`merge_tables`.
    """
    rules = rules or load_domain_rules()
    pools = default_pools(inv) if pools is None else pools
    return merge_document(merge_tables(inv, rules, pools, links=links, graph=graph, vctx=vctx), rules, pools, snapshot)


# ---- the plan document ---------------------------------------------------------------------------------
LABELS = {
    "network": L("网络", "network"), "name": L("名称", "name"), "kind": L("网络类别", "kind"),
    "prefixes_before": L("整合前地址段", "prefixes before"), "addresses_before": L("整合前地址数", "addresses before"),
    "target": L("目标域", "target"), "method": L("接入方式", "method"), "rule": L("依据规则", "rule"),
    "domain_rule": L("定域规则", "domain from rule"),
    "rationale": L("理由", "rationale"), "ambiguous": L("需人工确认", "ambiguous"),
    "ambiguity": L("待确认原因", "why ambiguous"), "conflicts": L("地址冲突数", "conflicts"),
    "action": L("地址处置", "address action"), "renumber_map": L("改址对照（旧→新）", "renumber map (old→new)"),
    "renumbered_addresses": L("改址地址数", "renumbered addresses"), "nat_pool": L("NAT地址池", "NAT pool"),
    "action_reason": L("处置说明", "action reason"), "prefixes_after": L("整合后地址段", "prefixes after"),
    "attach_point": L("接入点", "attach point"), "attach_path": L("接入路径", "attach path"),
    "attach_distance": L("跳数", "hops"), "attach_note": L("接入说明", "attach note"),
    "wave": L("迁移批次", "wave"), "moves_with": L("同批联动网络", "moves with"),
    "conflict": L("冲突编号", "conflict"), "other": L("冲突对象", "other side"),
    "other_kind": L("对象类型", "other kind"), "other_target": L("对象所属域", "other side's domain"),
    "scope": L("冲突范围", "scope"), "overlap": L("重叠地址段", "overlap"), "addresses": L("地址数", "addresses"),
    "proposal": L("建议", "proposal"), "acting_network": L("需处置网络", "network that acts"),
    "detail": L("说明", "detail"), "old_prefix": L("原地址段", "old prefix"), "new_prefix": L("新地址段", "new prefix"),
    "block": L("分配地址块", "allocated block"), "old_address": L("原接口地址", "old address"),
    "new_address": L("新接口地址", "new address"), "pool_addresses": L("池地址数", "pool addresses"),
    "exposed_servers": L("对外发布服务器", "exposed servers"), "hidden_prefixes": L("NAT内侧地址段", "prefixes behind NAT"),
    "reason": L("原因", "reason"), "group": L("联动组", "group"), "networks": L("网络", "networks"),
    "count": L("数量", "count"), "actions": L("地址处置", "actions"), "check": L("检查项", "check"),
    "vrf": L("VRF", "VRF"), "metric": L("指标", "metric"), "item": L("分项", "item"), "value": L("数值", "value"),
    "rules": L("规则文件", "rules file"), "pools": L("目标地址池", "target pools"), "snapshot": L("快照", "snapshot"),
}
_VALUES = {
    "target": {k: v for k, v in TARGET_WORDS.items()},
    "kind": {"gov_private": L("政务专网", "government private network"),
             "business_private": L("业务专网", "business private network"), "lan": L("局域网", "LAN"),
             "intranet": L("电子政务内网", "intranet")},
    "method": {"vrf": L("VRF/MPLS VPN", "VRF / MPLS VPN"), "renumber": L("改址", "renumbering"),
               "nat": L("边界NAT", "NAT at the edge"), "ipsec": L("IPsec/SSL VPN（安全接入平台）", "IPsec/SSL VPN (secure access platform)"),
               "gap": L("网闸/前置服务器", "gap / front-end server"), "frontend": L("前置交换服务器", "front-end exchange server"),
               "record": L("仅登记", "record only")},
    "action": {"none": L("无需改址", "none"), "renumber": L("改址", "renumber"), "nat": L("边界NAT", "NAT"),
               "vrf_split": L("单独建VRF", "own VRF"), "unresolved": L("未解决", "unresolved"),
               "record": L("仅登记", "record only")},
    "scope": {"pool": L("与目标地址池", "with the target pool"), "domain": L("与域内已用地址", "with the domain's used space"),
              "same_plan": L("同一地址规划内", "within one address plan"), "same_vrf": L("同一VRF内", "within one VRF"),
              "separate": L("不同路由域", "separate routing domains")},
    "other_kind": {"pool": L("地址池", "pool"), "domain": L("域网络", "domain network"), "network": L("网络", "network")},
    "check": {"prefix_in_other_domain": L("地址落入另一域", "prefix in the other domain"),
              "vrf_binding": L("PE接口VRF绑定错误", "PE interface in the wrong VRF"),
              "bridged": L("隔离网络直连政务外网", "isolated network linked to the extranet"),
              "exit_both_domains": L("出口同时服务两个域", "exit serving both domains")},
    "metric": {"networks": L("纳入整合的网络", "networks in scope"), "target": L("按目标域", "by target"),
               "wave": L("按迁移批次", "by wave"), "no_wave": L("无批次（保留/内网）", "no wave (kept / intranet)"),
               "action": L("按地址处置", "by address action"),
               "renumbered_addresses": L("改址地址数", "renumbered addresses"),
               "readdressed_interfaces": L("需改接口地址数", "interface addresses to change"),
               "conflicts": L("需处置的地址冲突", "conflicts to resolve"),
               "separate_overlaps": L("不同路由域间的重叠（无需处置）", "overlaps across routing domains (nothing to do)"),
               "ambiguous": L("需人工确认的网络", "networks to confirm by hand"),
               "isolation_violations": L("隔离检查违规", "isolation violations")},
}
_TARGET_LIST = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "keep")


def merge_document(res: MergeResult, rules: DomainRules, pools: dict, snapshot: str) -> Plan:
    values = {k: dict(v) for k, v in _VALUES.items()}
    values["other_target"] = dict(_VALUES["target"])
    values["actions"] = dict(_VALUES["action"])
    values["proposal"] = dict(_VALUES["action"], separate=L("无需处置（路由域隔离）", "nothing (separate routing domains)"))
    item = {t: TARGET_WORDS[t] for t in _TARGET_LIST}
    item.update({a: v for a, v in _VALUES["action"].items()})
    item.update({str(w): L(f"第{w}批", f"wave {w}") for w in (1, 2, 3)})
    values["item"] = item
    for col, texts in sorted(res.texts.items()):
        values[col] = {en: L(zh, en) for en, (zh, en) in sorted(texts.items())}
    s = res.summary.set_index(["metric", "item"])["value"].to_dict()
    p = {"n": s[("networks", "")], "admin": s[("target", "extranet_admin")], "public": s[("target", "extranet_public")],
         "vpn": s[("target", "extranet_vpn")], "intranet": s[("target", "intranet")], "keep": s[("target", "keep")],
         "w1": s[("wave", "1")], "w2": s[("wave", "2")], "w3": s[("wave", "3")],
         "renumber": s[("action", "renumber")], "nat": s[("action", "nat")], "vrf_split": s[("action", "vrf_split")],
         "unresolved": s[("action", "unresolved")], "addresses": s[("renumbered_addresses", "")],
         "conflicts": s[("conflicts", "")], "separate": s[("separate_overlaps", "")],
         "ambiguous": s[("ambiguous", "")], "violations": s[("isolation_violations", "")],
         "growth": rules.growth_factor, "dev": rules.nat_devices_over, "ifc": rules.nat_interfaces_over,
         "addr": rules.nat_addresses_over}
    sections = [
        Section(L("概要", "Summary"), [
            Text(L("纳入整合的网络 {n} 个：行政服务域 {admin} 个，公共服务域 {public} 个，专用网络区VRF {vpn} 个，"
                   "电子政务内网 {intranet} 个（仅登记），保留受控交换 {keep} 个。",
                   "{n} networks in scope: {admin} to the administrative domain, {public} to the public domain, "
                   "{vpn} as dedicated-zone VRFs, {intranet} recorded for the intranet, {keep} kept outside "
                   "with controlled exchange."), p),
            Text(L("需处置的地址冲突 {conflicts} 处：改址 {renumber} 个网络（共 {addresses:,} 个地址），边界NAT {nat} 个，"
                   "单独建VRF {vrf_split} 个，未解决 {unresolved} 个；不同路由域之间的重叠 {separate} 处无需处置。"
                   "迁移批次：第1批 {w1} 个，第2批 {w2} 个，第3批 {w3} 个。需人工确认 {ambiguous} 个；隔离检查违规 {violations} 项。",
                   "{conflicts} address conflicts to resolve: {renumber} networks renumbered ({addresses:,} addresses), "
                   "{nat} NATed at the edge, {vrf_split} given a VRF of their own, {unresolved} unresolved; {separate} "
                   "overlaps across routing domains need nothing. Waves: {w1} networks in wave 1, {w2} in wave 2, "
                   "{w3} in wave 3. {ambiguous} networks to confirm by hand; {violations} isolation violations."), p),
        ], table="summary"),
        Section(L("各网络整合方案", "Plan per network"), [
            Text(L("目标域由 rules/domains.yaml 的规则依次判定（先符合者为准）；涉密网络一律纳入内网（程序强制）。"
                   "事实缺失（如未填是否涉密）或同时符合多条不同目标的规则时标记为“需人工确认”。",
                   "Targets follow the rules of rules/domains.yaml, first match wins; classified networks always go to "
                   "the intranet (enforced in code). A network is flagged for confirmation when facts are missing "
                   "(e.g. classified left blank) or rules with different targets match."), {}),
        ], table="networks", columns=("network", "name", "department", "prefixes_before", "target", "method", "rule",
                                      "domain_rule", "ambiguous", "conflicts", "action", "renumber_map", "nat_pool",
                                      "attach_point", "attach_path", "wave", "rationale")),
        Section(L("地址冲突与处置建议", "Address conflicts and proposals"), [
            Text(L("行政服务域与公共服务域共用一个地址规划；专用网络区的网络各在自己的VRF中，只与同一VRF内的网络冲突。"
                   "同一规划内按地址空间从大到小依次保留，较小的一方迁移。改址块按迁移地址数×{growth}向上取2的幂并按大小对齐，"
                   "与清单中所有已有地址及其他分配均不重叠；超过阈值（设备{dev}台、接口地址{ifc}个、地址{addr:,}个）"
                   "或地址池不足时改为部门边界NAT。",
                   "The administrative and public domains share one address plan; dedicated-zone networks each live in "
                   "their own VRF and conflict only within it. Within a plan the larger address space keeps its "
                   "addresses and the smaller moves. Renumbered blocks are the moved addresses × {growth}, rounded "
                   "up to a power of two, aligned, and disjoint from every prefix of the inventory and every other "
                   "allocation; past the thresholds ({dev} devices, {ifc} interface addresses, {addr:,} addresses) or "
                   "when the pool has no room, the network is NATed at its edge instead."), p),
        ], table="conflicts"),
        Section(L("改址对照表", "Renumbering map"), table="renumbering"),
        Section(L("接口地址变更清单", "Interface address changes"), table="readdressing"),
        Section(L("边界NAT", "NAT at the department edge"), table="nat"),
        Section(L("迁移批次", "Migration waves"), [
            Text(L("共用设备或存在地址冲突的网络同批迁移；无需改址的先迁（第1批），改址或单独建VRF的第2批，NAT的第3批。",
                   "Networks sharing a device or an address conflict move together; those with nothing to change "
                   "first (wave 1), renumbering or an own VRF in wave 2, NAT in wave 3."), {}),
        ], table="waves"),
        Section(L("隔离检查", "Isolation check"), table="isolation"),
    ]
    titles = {"summary": L("汇总", "Summary"), "networks": L("网络整合", "Networks"),
              "conflicts": L("地址冲突", "Conflicts"), "renumbering": L("改址对照", "Renumbering"),
              "readdressing": L("接口改址", "Interface changes"), "nat": L("边界NAT", "NAT"),
              "waves": L("迁移批次", "Waves"), "isolation": L("隔离检查", "Isolation")}
    tables = {"summary": res.summary, "networks": res.networks, "conflicts": res.conflicts,
              "renumbering": res.renumbering, "readdressing": res.readdressing, "nat": res.nat, "waves": res.waves,
              "isolation": res.isolation}
    meta = {"rules": rules.path.name, "pools": "; ".join(f"{k} {' '.join(v)}" for k, v in sorted(pools.items()))}
    if snapshot:
        meta["snapshot"] = snapshot
    return Plan(name="merge", title=L("专网整合方案", "Private network integration plan"), tables=tables,
                titles=titles, labels=LABELS, values=values, sections=sections, meta=meta).check()
