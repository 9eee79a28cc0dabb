"""The self-inspection report (自查报告) as a plan document.

What the consolidation plan asks each district and department to report:
internet connections (access type, device, IP range, carrier, bandwidth), LAN
and upstream connections (devices, models, IP ranges, carrier), private
networks, the problems found; then the merge and exit plan summaries and the
progress metrics.  Built from inventory tables only (pure); written by
:mod:`netconsol.render.plans` like any plan.

Two layouts: ``sections`` (Markdown: one section per district, its own
tables) and ``sheets`` (XLSX: one city-wide sheet per subject, with district
and department columns, sorted).
"""
from __future__ import annotations

from itertools import compress

import numpy as np
import pandas as pd

from ..analyze.figures import compute_figures
from ..frames import table
from .catalogue import DEFINITIONS, ISSUE_LABELS, issue_text, metric_labels
from .exits_doc import _VALUES_STATIC as _EXIT_VALUES
from .merge import _VALUES as _MERGE_VALUES
from .plans import L, Plan, Section, Text, row_slices
from .reconciliation import add_reconciliation
from .rooms import add_rooms

__all__ = ["build_report", "report_rows", "CITY_LEVEL"]

CITY_LEVEL = L("市直部门", "city departments")

_LABELS = {
    "access_type": L("接入类型", "access type"),
    "model": L("设备型号", "model"),
    "public_range": L("IP地址段", "IP range"),
    "bandwidth_mbps": L("带宽(Mbps)", "bandwidth (Mbps)"),
    "fee_yuan_year": L("年费用(元)", "annual fee (yuan)"),
    "origin": L("来源", "seen in"),
    "evidence": L("配置依据", "config evidence"),
    "vendor": L("厂商", "vendor"),
    "addresses": L("IP地址段", "IP ranges"),
    "name": L("名称", "name"),
    "kind": L("网络类型", "network class"),
    "purpose": L("用途", "purpose"),
    "vertical_ministry": L("主管部委", "ministry"),
    "classified": L("涉密", "classified"),
    "prefixes": L("地址段", "prefixes"),
    "severity": L("级别", "severity"),
    "code": L("问题类型", "problem"),
    "count": L("数量", "count"),
    "example": L("示例", "example"),
    "source": L("来源文件", "source"),
    "location": L("位置", "location"),
    "message": L("说明", "message"),
    "detail": L("说明", "message"),
    "figure": L("项目", "figure"),
    "scope": L("范围", "scope"),
    "definition": L("定义（netconsol）", "definition (netconsol's)"),
    "item": L("项目", "item"),
}
_VALUES = {
    "kind": {
        "extranet_admin": L("政务外网·行政服务域", "extranet admin service domain"),
        "extranet_public": L("政务外网·公共服务域", "extranet public service domain"),
        "extranet_vpn": L("政务外网·专用网络区", "extranet dedicated (VPN) zone"),
        "intranet": L("电子政务内网", "intranet (classified)"),
        "gov_private": L("政务专网", "government private network"),
        "business_private": L("业务专网", "business private network"),
        "internet": L("互联网", "internet"),
        "lan": L("局域网", "LAN"),
        "unknown": L("类型未知（待核实）", "unknown type (for review)"),
    },
    "origin": {"sheet": L("自查表", "sheet"), "config": L("设备配置", "config")},
    "severity": {"error": L("错误", "error"), "warning": L("警告", "warning"), "info": L("提示", "info")},
    "access_type": {
        "fiber_dia": L("互联网专线", "fiber DIA"), "dark_fiber": L("裸光纤", "dark fiber"),
        "mstp": L("MSTP/SDH", "MSTP/SDH"), "mpls_vpn": L("MPLS VPN", "MPLS VPN"),
        "vpn": L("IPsec/SSL VPN", "IPsec/SSL VPN"), "l2tp": L("L2TP/VPDN", "L2TP/VPDN"),
        "adsl": L("ADSL", "ADSL"), "ftth": L("光纤宽带", "FTTH"), "mobile": L("4G/5G", "4G/5G"),
        "other": L("其他", "other"),
    },
}
_FORMATS = {"bandwidth_mbps": "mbps", "fee_yuan_year": "yuan", "value": "float"}

_EXIT_COLS = [("district", "str"), ("department", "str"), ("access_type", "str"), ("device", "str"),
              ("model", "str"), ("public_range", "str"), ("carrier", "str"), ("bandwidth_mbps", "float"),
              ("fee_yuan_year", "float"), ("origin", "str"), ("evidence", "str")]
_LAN_COLS = [("district", "str"), ("department", "str"), ("device", "str"), ("vendor", "str"), ("model", "str"),
             ("network", "str"), ("addresses", "str")]
_NET_COLS = [("district", "str"), ("department", "str"), ("network", "str"), ("name", "str"), ("kind", "str"),
             ("purpose", "str"), ("vertical_ministry", "str"), ("classified", "bool"), ("carrier", "str"),
             ("prefixes", "str")]
_ISSUE_COLS = [("severity", "str"), ("code", "str"), ("count", "int"), ("example", "str"), ("detail", "str")]
_FIGURE_COLS = [("figure", "str"), ("value", "int"), ("definition", "str")]
_METRIC_COLS = [("scope", "str"), ("metric", "str"), ("value", "float"), ("definition", "str")]
_PRIVATE = ("gov_private", "business_private", "lan", "intranet", "extranet_vpn")


def _records(df: pd.DataFrame, columns) -> list[dict]:
    """``df.to_dict("records")`` restricted to *columns*, built column by column."""
    data = [df[c].tolist() if c in df.columns else [None] * len(df) for c in columns]
    return [dict(zip(columns, vals)) for vals in zip(*data)]


def _exits(inv) -> list[dict]:
    rows = _records(inv["exits"], [k for k, _ in _EXIT_COLS])
    return sorted(rows, key=lambda r: (r["district"], r["department"], r["device"], r["public_range"]))


def _joined(keys: list, values: list) -> dict:
    """{key: its distinct values, space-joined in address order (:func:`_cidr_key`)} of the pairs
    ``zip(keys, values)``.  Column-wise: each distinct value ranked once (:func:`_address_ranks`),
    the distinct (key, rank) pairs sorted in one numpy pass, each key's run joined."""
    if not keys:
        return {}
    kcodes, kuniq = pd.factorize(np.array(keys, dtype=object), use_na_sentinel=False)
    vcodes, vuniq = pd.factorize(np.array(values, dtype=object), use_na_sentinel=False)
    vuniq = list(vuniq)
    rank = _address_ranks(vuniq)
    n = len(vuniq)
    pairs = np.sort(kcodes.astype(np.int64) * n + rank[vcodes])  # by key, then address
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # each pair once
    k, r = np.divmod(pairs, n)
    in_order = [None] * n
    for v, i in zip(vuniq, rank.tolist()):
        in_order[i] = v
    vals = list(map(in_order.__getitem__, r.tolist()))
    bounds = np.flatnonzero(np.diff(k)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(vals)]
    return {kuniq[k[a]]: " ".join(vals[a:b]) for a, b in zip(starts, ends)}


_DIGITS_GONE = str.maketrans("", "", "0123456789")


def _address_ranks(values: list) -> np.ndarray:
    """Each of the distinct strings *values*' position in the order of their keys
    :func:`_cidr_key_of` (equal keys: in the order of *values*).  When every value is a dotted
    quad with a prefix length (ASCII digits, no field empty or longer than 18 digits), its key
    (4, (a, b, c, d), n) is the tuple of its five integers: parsed and sorted in numpy;
    otherwise the keys are computed one by one."""
    n = len(values)
    order = None
    if n and all(type(v) is str for v in values) and max(map(len, values)) <= 26:
        text = "\n".join(values)
        # only digits and separators, in the order ...//n per value, and no field empty
        if text.translate(_DIGITS_GONE) == ".../\n" * (n - 1) + ".../" and text[0] != "." and text[-1] != "/" \
                and not any(pair in text for pair in ("..", "./", "/\n", "\n.")):
            fields = np.fromstring(text.replace("/", ".").replace("\n", "."), dtype=np.int64, sep=".")
            if fields.size == 5 * n:
                order = np.lexsort(fields.reshape(n, 5).T[::-1])  # stable: equal keys keep their order
    if order is None:
        order = np.array(sorted(range(n), key=lambda i: _cidr_key(values[i])), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return rank


def _lan(inv) -> list[dict]:
    ifaces = inv["interfaces"]
    devices, subnets = ifaces["device"].tolist(), ifaces["subnet"].tolist()
    keep = [sn != "" for sn in subnets]
    addrs = _joined(list(compress(devices, keep)), list(compress(subnets, keep)))
    rows = []
    for d in _records(inv["devices"], ["district", "department", "device", "vendor", "model", "network"]):
        d["addresses"] = addrs.get(d["device"], "")
        rows.append(d)
    return sorted(rows, key=lambda r: (r["district"], r["department"], r["device"]))


_CIDR_KEYS: dict = {}


def _cidr_key(c: str):
    hit = _CIDR_KEYS.get(c)
    if hit is None:
        if len(_CIDR_KEYS) > 500_000:
            _CIDR_KEYS.clear()
        hit = _CIDR_KEYS[c] = _cidr_key_of(c)
    return hit


def _cidr_key_of(c: str):
    ip, _, plen = c.partition("/")
    if ":" in ip:
        return (6, ip, int(plen or 0))
    try:
        return (4, tuple(int(x) for x in ip.split(".")), int(plen or 0))
    except ValueError:
        return (9, c, 0)


def _networks(inv) -> list[dict]:
    pref = inv["prefixes"]
    nets, prefixes = pref["network"].tolist(), pref["prefix"].tolist()
    keep = [n != "" for n in nets]
    by_net = _joined(list(compress(nets, keep)), list(compress(prefixes, keep)))
    rows = []
    for n in _records(inv["networks"], ["district", "department", "network", "name", "kind", "purpose",
                                        "vertical_ministry", "classified", "carrier"]):
        if n["kind"] not in _PRIVATE:
            continue
        rows.append({"district": n["district"], "department": n["department"], "network": n["network"],
                     "name": n["name"], "kind": n["kind"], "purpose": n["purpose"],
                     "vertical_ministry": n["vertical_ministry"], "classified": n["classified"],
                     "carrier": n["carrier"], "prefixes": by_net.get(n["network"], "")})
    return sorted(rows, key=lambda r: (r["district"], r["department"], r["network"]))


def _runs(keys) -> dict | None:
    """{key: (start, end)} of the runs of equal keys; None when a key comes back after a run ends."""
    out = {}
    prev = object()
    for i, k in enumerate(keys):
        if k != prev:
            if k in out:
                return None
            out[k] = (i, i)
            prev = k
        out[k] = (out[k][0], i + 1)
    return out


def _issue_summary(issues: pd.DataFrame) -> tuple[list[dict], dict]:
    """One row per (severity, code): the count, where the first one is, and its message; and the
    message's words: the zh report says what the code means (render/catalogue.py's message
    catalogue), the en report quotes the first message (every message: the snapshot's issues)."""
    rows, words = [], {}
    order = {"error": 0, "warning": 1, "info": 2}
    for (sev, code), grp in issues.groupby(["severity", "code"], sort=True):
        first = grp.iloc[0]
        key = f"{sev}:{code}"
        words[key] = L(issue_text(code, "zh") + "（原文见快照的 issues 表）", str(first.message)[:200])
        rows.append({"severity": sev, "code": code, "count": len(grp),
                     "example": f"{first.source} {first.location}".strip(), "detail": key})
    return sorted(rows, key=lambda r: (order.get(r["severity"], 9), -r["count"], r["code"])), words


def _before(summary, metric):
    if summary is None or "metric" not in summary.columns:
        return None
    hit = summary[summary.metric == metric]
    v = hit.iloc[0].before if len(hit) else None
    return None if v is None or v != v else v


def report_rows(inv) -> dict:
    """The rows :func:`build_report` tabulates (exits, lan, networks), for callers building both
    layouts of one inventory."""
    return {"exits": _exits(inv), "lan": _lan(inv), "networks": _networks(inv)}


def build_report(inv, city: str = "", merge_summary: pd.DataFrame | None = None,
                 exit_summary: pd.DataFrame | None = None, layout: str = "sections", carriers=None,
                 rows: dict | None = None, figures: pd.DataFrame | None = None) -> Plan:
    """The self-inspection report of *inv* as a Plan (``layout``: sections for Markdown, sheets for XLSX).

    *carriers* (normalize.Carriers) lets carrier names show in Chinese in the zh report.
    *rows*: :func:`report_rows` of *inv* when the caller has it.  *figures*: the scan's figures
    table (analyze/figures.py; computed here when not given): the overview states them, each with
    its definition, and no other count of the whole city is made here."""
    city = city or next(iter(inv["units"][inv["units"].level == "city"].name), "") or "netconsol"
    rows = report_rows(inv) if rows is None else rows
    exits, lan, nets = rows["exits"], rows["lan"], rows["networks"]
    # the definition column carries the metric id: render/catalogue.py words it in either language
    metrics = [{"scope": m["scope"], "metric": m["metric"], "value": m["value"], "definition": m["metric"]}
               for m in _records(inv["metrics"], ["scope", "metric", "value"])]
    metrics.sort(key=lambda r: (r["scope"] != city, r["scope"], r["metric"]))
    if figures is None:
        figures = compute_figures(inv, exit_summary, city)
    overview = [{"figure": f, "value": v, "definition": f}
                for f, v in zip(figures["figure"].tolist(), figures["value"].tolist()) if not pd.isna(v)]
    values = dict(_VALUES)
    if carriers is not None:
        values["carrier"] = {name: L(carriers.zh(name) or name, name) for name in carriers.names}
    # one name per figure, metric and plan-summary code, one definition per id (render/catalogue.py)
    values["figure"] = values["metric"] = metric_labels(_EXIT_VALUES["metric"], _MERGE_VALUES["metric"])
    values["definition"] = DEFINITIONS
    values["code"] = ISSUE_LABELS
    problems, words = _issue_summary(inv["issues"])
    values["detail"] = words
    tables = {"overview": table(overview, _FIGURE_COLS)}
    titles = {"overview": L("概况", "overview")}
    sections = [Section(L("概况", "Overview"), [Text(L(
        "本报告由 netconsol 根据自查表与设备配置自动生成；每一行都注明来源文件与位置（见快照）。",
        "Generated by netconsol from the self-inspection sheets and device configs; every row keeps its "
        "source file and location (see the snapshot)."))], table="overview")]
    if layout == "sheets":
        tables.update(exits=table(exits, _EXIT_COLS), lan=table(lan, _LAN_COLS), networks=table(nets, _NET_COLS))
        titles.update(exits=L("互联网接入", "internet connections"), lan=L("局域网及上联", "LAN and upstream"),
                      networks=L("专网", "private networks"))
    else:
        districts = sorted({r["district"] for r in exits + lan + nets})
        # each kind typed once; a district's table is its run of rows (the rows are sorted by
        # district first), the same frame table() would build from that run
        kinds = (("exits", exits, _EXIT_COLS, L("互联网接入", "internet connections")),
                 ("lan", lan, _LAN_COLS, L("局域网及上联", "LAN and upstream connections")),
                 ("networks", nets, _NET_COLS, L("专网", "private networks")))
        parts = {}
        for key, rs, cols, _t in kinds:
            spans = _runs([r["district"] for r in rs])
            if spans is not None:
                parts[key] = dict(zip(districts, row_slices(table(rs, [c for c in cols if c[0] != "district"]),
                                                            [spans.get(d, (0, 0)) for d in districts])))
        for i, d in enumerate(districts, start=1):
            title = L(d, d) if d else CITY_LEVEL
            for key, rs, cols, t in kinds:
                tid = f"d{i}_{key}"
                if key not in parts:  # not grouped by district: filter
                    tables[tid] = table([r for r in rs if r["district"] == d], [c for c in cols if c[0] != "district"])
                else:
                    tables[tid] = parts[key][d]
                titles[tid] = L(f"{title['zh']} · {t['zh']}", f"{title['en']} · {t['en']}")
                sections.append(Section(titles[tid], table=tid))
    tables["problems"] = table(problems, _ISSUE_COLS)
    titles["problems"] = L("发现的问题", "problems found")
    sections.append(Section(titles["problems"], [Text(L(
        "按类型汇总；逐条明细见快照的 issues 表（netconsol show SNAPSHOT issues）。",
        "Summarised by kind; every single one is in the snapshot's issues table (netconsol show SNAPSHOT issues)."
    ))], table="problems"))
    for key, df, t in (("merge_summary", merge_summary, L("专网整合方案摘要", "merge plan summary")),
                       ("exit_summary", exit_summary, L("互联网出口整合方案摘要", "exit consolidation summary"))):
        if df is not None:
            tables[key] = df.reset_index(drop=True)
            titles[key] = t
            sections.append(Section(t, table=key))
    tables["metrics"] = table(metrics, _METRIC_COLS)
    titles["metrics"] = L("进度指标（netconsol 定义）", "progress metrics (netconsol's definitions)")
    sections.append(Section(titles["metrics"], table="metrics"))
    plan = Plan(name="report", title=L(f"{city}网络自查报告", f"{city} network self-inspection report"),
                tables=tables, titles=titles, labels=_LABELS, values=values, formats=_FORMATS,
                sections=sections if layout == "sections" else [])
    plan = add_rooms(plan, inv, layout)  # 机房 (server rooms): render/rooms.py
    return add_reconciliation(plan, inv, layout)  # 三方核对: render/reconciliation.py
