"""The merge plan (专网整合方案) as a document: its zh/en labels, coded values, sections and prose.

:func:`netconsol.analyze.merge.merge_tables` computes the plan's tables; this module labels them
and writes the narrative (:class:`~netconsol.render.plans.Plan`), which :func:`write_plan` exports.
"""
from __future__ import annotations

import pandas as pd

from ..analyze.merge import MergeResult, merge_tables, parse_reasons
from ..analyze.overlaps import default_pools
from ..domains import DomainRules, load_domain_rules
from .plans import L, Plan, Section, Text

__all__ = ["plan_merge", "merge_document", "word_reasons", "worded", "LABELS", "TARGET_WORDS", "REASON_COLUMNS"]


def plan_merge(inv, rules: DomainRules | None = None, pools: dict | None = None, snapshot: str = "", *,
               links: pd.DataFrame | None = None, graph=None, vctx: dict | None = None) -> Plan:
    """The merge plan of *inv* as a :class:`~netconsol.render.plans.Plan` (see :mod:`netconsol.analyze.merge`).

    *pools*: ``{domain kind: [CIDR, ...]}``; None = :func:`~netconsol.analyze.overlaps.default_pools`.
    *links*, *graph*, *vctx*: as :func:`merge_tables`.
    """
    rules = rules or load_domain_rules()
    pools = default_pools(inv) if pools is None else pools
    return merge_document(merge_tables(inv, rules, pools, links=links, graph=graph, vctx=vctx), rules, pools, snapshot)


# ---- reason codes in words ------------------------------------------------------------------------------
TARGET_WORDS = {
    "extranet_admin": L("政务外网行政服务域", "the extranet administrative service domain"),
    "extranet_public": L("政务外网公共服务域", "the extranet public service domain"),
    "extranet_vpn": L("政务外网专用网络区（VRF）", "the extranet dedicated zone (a VRF)"),
    "intranet": L("电子政务内网", "the e-government intranet"),
    "keep": L("保留（受控交换）", "kept outside (controlled exchange)"),
}
_FACT_WORDS = {"classified": L("是否涉密", "classified"), "on_extranet": L("是否已承载于政务外网", "on_extranet"),
               "public_facing": L("是否面向公众", "public_facing"), "purpose": L("用途", "purpose")}
# the columns holding reason codes (analyze/merge.py), table by table, in the order they are worded
REASON_COLUMNS = (("networks", "rationale"), ("networks", "ambiguity"), ("networks", "action_reason"),
                  ("networks", "attach_note"), ("nat", "reason"), ("conflicts", "detail"), ("isolation", "detail"))


def _target(t: str, lang: str) -> str:
    return TARGET_WORDS.get(t, L(t, t))[lang]


def _n(v: str) -> str:
    return f"{int(v):,}"


def _rationale(code: str, p: dict, lang: str, rules: DomainRules) -> str:
    if code == "on_extranet_lan":
        return (f"{p['name']}的地址段均取自电子政务外网地址规划，已在政务外网上，无需整合。" if lang == "zh" else
                f"{p['name']} is numbered from the extranet's address plan: already on the extranet, nothing to "
                f"integrate.")
    if code == "evidence":
        return f"依据（自查表原文）：{p['text']}" if lang == "zh" else f" Evidence (as the sheet says): {p['text']}"
    if code == "classified_guard":
        if lang == "zh":
            return (f"但该网络涉密：涉密网络一律不接入政务外网（程序强制，不取决于规则顺序），"
                    f"不按规则{p['rule']}划入{_target(p['target'], 'zh')}，改为纳入电子政务内网，仅登记。")
        return (f" But it is classified: classified networks never join the extranet (enforced in code, "
                f"whatever the rule order), so instead of {_target(p['target'], 'en')} (rule {p['rule']}) it is "
                f"recorded for the e-government intranet.")
    vals = {k: "" for k in ("name", "purpose", "vertical_ministry", "department", "kind", "network")}
    vals.update({k: v for k, v in p.items() if k != "id"})
    vals["purpose"] = vals["purpose"] or ("用途未填" if lang == "zh" else "purpose not stated")
    text = rules.rule(p["id"]).rationale[lang].format(**vals)
    if code == "domain_rule":
        return (f"接入域由规则{p['id']}确定：" if lang == "zh" else f" Domain from rule {p['id']}: ") + text
    return text


def _ambiguity(code: str, p: dict, lang: str) -> str:
    if code == "unknown_facts":
        facts = ("、" if lang == "zh" else ", ").join(_FACT_WORDS.get(f, L(f, f))[lang] for f in p["facts"].split())
        t = _target(p["target"], lang)
        return (f"“{facts}”未知，规则{p['rule']}（{t}）可能适用" if lang == "zh" else
                f"{facts} unknown: rule {p['rule']} ({t}) might apply")
    if code == "also_matches":
        pairs = list(zip(p["rules"].split(), p["targets"].split()))
        if lang == "zh":
            return "同时符合" + "、".join(f"规则{r}（{_target(t, 'zh')}）" for r, t in pairs)
        return "also matches " + ", ".join(f"rule {r} ({_target(t, 'en')})" for r, t in pairs)
    if code == "default_rule":
        return "无规则与已知情况相符，按默认规则处理" if lang == "zh" else "no rule matched the known facts; the default rule applied"
    if code == "classified_guard":
        return (f"规则{p['rule']}将涉密网络划入政务外网，已被强制改为内网，请检查规则顺序" if lang == "zh" else
                f"rule {p['rule']} put a classified network in the extranet; overridden to the intranet: "
                f"check the rule order")
    raise KeyError(code)


# action reasons, NAT reasons, attach notes, conflict and isolation details: code -> (zh, en) templates
_REASONS = {
    "no_prefixes": ("清单中没有该网络的地址段：迁移前需补充其地址。",
                    "No address range of this network in the inventory: find its addresses before it moves."),
    "vrf_split": ("与同一VRF内的网络地址重叠，为其单独建立VRF（独立RD/RT），无需改址。",
                  "Overlaps a network of the same VRF: it gets a VRF of its own (its own RD/RT); no renumbering."),
    "over_devices": ("需改址设备{n}台，超过阈值{limit}台", "{n} devices to readdress, more than {limit}"),
    "over_interfaces": ("需改址接口地址{n}个，超过阈值{limit}个", "{n} interface addresses to change, more than {limit}"),
    "over_addresses": ("需迁移地址{n:,}个，超过阈值{limit:,}个", "{n:,} addresses to move, more than {limit:,}"),
    "no_pool": ("没有{target}的地址池，无法改址或分配NAT地址池：请在清单中给出该域的地址段。",
                "No address pool for {target}: neither renumbering nor a NAT pool is possible; give the "
                "domain's ranges in the manifest."),
    "rule_nat": ("规则{rule}要求NAT", "rule {rule} asks for NAT"),
    "pool_full": ("地址池{target}已无可用的/{plen}地址块（最大空闲块{largest:,}个地址），改为边界NAT",
                  "pool {target} has no free /{plen} (largest free block {largest:,} addresses): NAT at the edge instead"),
    "renumber": ("改址：分配地址块{block}（{addresses:,}个地址×增长系数{growth}），原地址段按对照表迁入",
                 "renumbered into the allocated block {block} ({addresses:,} addresses × growth {growth}), old "
                 "prefixes as in the map"),
    "renumber_no_margin": ("改址：分配地址块{block}（地址池空间不足，未留增长余量），原地址段按对照表迁入",
                           "renumbered into the allocated block {block} (no room for the growth margin in the pool), "
                           "old prefixes as in the map"),
    "nat_pool_full": ("地址池{target}连/{plen}的NAT地址池也无法分配，需扩充地址池",
                      "the pool {target} cannot even hold a /{plen} NAT pool: enlarge the pool"),
    "nat": ("在部门边界做NAT，NAT地址池{pool}", "NAT at the department edge through {pool}"),
    "separate_vrfs": ("{a}与{b}分属不同的专用网络区VRF，地址互不可见，无需改址。",
                      "{a} and {b} are in different dedicated-zone VRFs: their addresses never meet; nothing to change."),
    "separate_domains": ("{a}（{a_words}）与{b}（{b_words}）不在同一路由域，彼此之间不路由（专用VRF、内网或网闸隔离），无需改址。",
                         "{a} ({a_words}) and {b} ({b_words}) are not in one routing domain (own VRF, intranet "
                         "or behind a gap): no routing between them; nothing to change."),
    "no_link": ("网络设备在清单中未找到到政务外网PE的链路", "no link from the network's devices to an extranet PE in the inventory"),
    "no_devices": ("清单中没有该网络的设备", "no device of this network in the inventory"),
    "via_department": ("经本部门政务外网设备{device}接入", "through the department's extranet device {device}"),
    "by_district": ("按所在区县建议接入{device}", "suggested by district: {device}"),
    "city_core": ("市直单位，建议接入核心{device}", "city level: suggested core {device}"),
    "unreachable": ("不可达", "unreachable"),
    "in_other_pool": ("{prefix}位于{pool}地址池内（{overlap}）", "{prefix} lies in the {pool} pool ({overlap})"),
    "overlaps_allocation": ("{prefix}与分配给{owner}（{target}）的{block}重叠",
                            "{prefix} overlaps {block} allocated to {owner} ({target})"),
    "bridged_classified": ("涉密网络{network}的设备{device}直接连到政务外网设备{extranet_device}，应物理隔离",
                           "classified network {network}: its device {device} is linked to the extranet device "
                           "{extranet_device}: it must be physically isolated"),
    "bridged_kept": ("保留的纵向网络{network}的设备{device}直接连到政务外网设备{extranet_device}，应经网闸或前置交换服务器",
                     "kept network {network}: its device {device} is linked to the extranet device {extranet_device}: "
                     "exchange must go through a gap or front-end server"),
    "vrf_binding": ("{device} {interface}绑定在VRF {vrf}（{domains_zh}），而{network}的目标是{target}：需改绑",
                    "{device} {interface} is bound to VRF {vrf} ({domains_en}) but {network} goes to {target}: rebind it"),
    "exit_both_domains": ("设备{device}同时承载行政服务域和公共服务域，又有互联网出口（{exits}）：行政服务域可能经此出口访问互联网，"
                          "应关闭该出口或将其限定在公共服务域",
                          "device {device} carries both the administrative and the public domain and has an internet "
                          "exit ({exits}): the administrative domain may reach the internet through it; close the "
                          "exit or confine it to the public domain"),
}
_NUMBERS = ("n", "limit", "largest", "addresses")  # integer parameters, shown with thousands separators where asked


def _reason(code: str, p: dict, lang: str) -> str:
    vals = {k: int(v) if k in _NUMBERS else v for k, v in p.items()}
    if code == "separate_domains":
        vals.update(a_words=_target(p["a_target"], lang), b_words=_target(p["b_target"], lang))
    elif code == "vrf_binding":
        vals.update(domains_zh="、".join(p["domains"].split()), domains_en=", ".join(p["domains"].split()))
    return _REASONS[code][0 if lang == "zh" else 1].format(**vals)


def word_reasons(cell, lang: str, rules: DomainRules | None = None, column: str = "") -> str:
    """A reason-code cell of the merge plan (:func:`netconsol.analyze.merge.parse_reasons`) in words.

    *column* ``rationale`` (which needs *rules*, whose sentences it fills) and ``ambiguity`` have
    their own codes; every other column's codes are in ``_REASONS``, an ``acting`` item first
    naming the network the rest is said of."""
    items = parse_reasons(cell)
    if not items:
        return ""
    if column == "rationale":
        return "".join(_rationale(code, p, lang, rules or load_domain_rules()) for code, p in items)
    sep = "；" if lang == "zh" else "; "
    if column == "ambiguity":
        return sep.join(_ambiguity(code, p, lang) for code, p in items)
    head = ""
    if items[0][0] == "acting":
        head = items[0][1]["network"] + ("：" if lang == "zh" else ": ")
        items = items[1:]
    return head + sep.join(_reason(code, p, lang) for code, p in items)


def worded(res: MergeResult, rules: DomainRules | None = None, lang: str = "en") -> tuple[MergeResult, dict]:
    """(a copy of *res* whose reason columns are worded in *lang*, {column: {words in lang: L(zh, en)}}),
    the second being the value labels the plan document gives the English words."""
    import dataclasses

    rules = rules or load_domain_rules()
    labels: dict = {}
    tables = {}
    for name, col in REASON_COLUMNS:
        df = tables.get(name, getattr(res, name))
        if col not in df.columns:
            continue
        memo = {}
        for cell in df[col].tolist():
            if cell not in memo:
                zh, en = (word_reasons(cell, x, rules, col) for x in ("zh", "en"))
                memo[cell] = (zh, en)
                if zh or en:
                    labels.setdefault(col, {})[en if lang == "en" else zh] = L(zh, en)
        df = df.copy()
        df[col] = df[col].map(lambda c: memo[c][0 if lang == "zh" else 1]).astype(df[col].dtype)
        tables[name] = df
    return dataclasses.replace(res, **tables), labels


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
    "rule": {"on_extranet": L("已在外网", "on the extranet")},
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
    "metric": {"networks_in_scope": L("纳入整合的网络", "networks in scope"), "target": L("按目标域", "by target"),
               "wave": L("按迁移批次", "by wave"), "no_wave": L("无批次（保留/内网）", "no wave (kept / intranet)"),
               "action": L("按地址处置", "by address action"),
               "renumbered_addresses": L("改址地址数", "renumbered addresses"),
               "readdressed_interfaces": L("需改接口地址数", "interface addresses to change"),
               "conflicts_to_resolve": L("需处置的地址冲突", "conflicts to resolve"),
               "separate_overlaps": L("不同路由域间的重叠（无需处置）", "overlaps across routing domains (nothing to do)"),
               "ambiguous": L("需人工确认的网络", "networks to confirm by hand"),
               "lans_on_extranet": L("已在政务外网上的局域网（不计入整合）", "LANs already on the extranet (not counted)"),
               "isolation_violations": L("隔离检查违规", "isolation violations")},
}
_TARGET_LIST = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "keep")


def merge_document(res: MergeResult, rules: DomainRules, pools: dict, snapshot: str) -> Plan:
    # the reason columns carry their English words; the value labels give them in Chinese
    res, texts = worded(res, rules, "en")
    values = {k: dict(v) for k, v in _VALUES.items()}
    values["other_target"] = dict(_VALUES["target"])
    values["actions"] = dict(_VALUES["action"])
    values["proposal"] = dict(_VALUES["action"], separate=L("无需处置（路由域隔离）", "nothing (separate routing domains)"))
    item = {t: TARGET_WORDS[t] for t in _TARGET_LIST}
    item.update({a: v for a, v in _VALUES["action"].items()})
    item.update({str(w): L(f"第{w}批", f"wave {w}") for w in (1, 2, 3)})
    values["item"] = item
    for col, words in sorted(texts.items()):
        values[col] = dict(sorted(words.items()))
    s = res.summary.set_index(["metric", "item"])["value"].to_dict()
    p = {"n": s[("networks_in_scope", "")], "admin": s[("target", "extranet_admin")], "public": s[("target", "extranet_public")],
         "vpn": s[("target", "extranet_vpn")], "intranet": s[("target", "intranet")], "keep": s[("target", "keep")],
         "w1": s[("wave", "1")], "w2": s[("wave", "2")], "w3": s[("wave", "3")],
         "renumber": s[("action", "renumber")], "nat": s[("action", "nat")], "vrf_split": s[("action", "vrf_split")],
         "unresolved": s[("action", "unresolved")], "addresses": s[("renumbered_addresses", "")],
         "conflicts": s[("conflicts_to_resolve", "")], "separate": s[("separate_overlaps", "")],
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
    # one fact per target pool, labelled with the domain's name (no domain id in a zh document)
    meta = {"rules": rules.path.name, **{f"pools_{k}": " ".join(v) for k, v in sorted(pools.items())}}
    labels = dict(LABELS, **{f"pools_{k}": L(f"目标地址池（{TARGET_WORDS[k]['zh']}）", f"target pool ({TARGET_WORDS[k]['en']})")
                             for k in pools if k in TARGET_WORDS})
    if snapshot:
        meta["snapshot"] = snapshot
    values["other"] = {t: TARGET_WORDS[t] for t in _TARGET_LIST if t in TARGET_WORDS}  # a pool as the other side
    return Plan(name="merge", title=L("专网整合方案", "Private network integration plan"), tables=tables,
                titles=titles, labels=labels, values=values, sections=sections, meta=meta).check()
