"""Self-inspection sheets (自查表) the way districts hand them in.

Per district two parts, 互联网出口 (exits) and 局域网及专网 (LANs and private
networks), in one of four shapes: a GBK CSV pair with Chinese headers and a
title row (district and department written once per run, as a CSV export of
merged cells leaves them), an XLSX workbook with both parts as sheets, merged
district/department cells and title rows, a UTF-8 (BOM) CSV pair, and one
English-header CSV pair.  City-level departments report in 市直部门.

Cells carry what people type: carrier aliases, full-width digits, ranges,
masks and globs, 百兆 / 2*100M, 元/月 and 万/年, 2027年6月30日, blanks.  A few
planted bad values (octet > 255, no department, unknown carrier, bandwidth
快) are returned with file, sheet, row and column so tests can check that the
collector reports exactly those.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field

from . import places as P
from .addressing import cidr, mask, parse, size
from .model import World

__all__ = ["build_sheets", "SheetFile", "write_sheet_file", "FIXED_TIME"]

FIXED_TIME = dt.datetime(2017, 8, 31, 9, 0, 0)   # workbook properties and zip entries: no wall clock

EXIT_COLS_ZH = ["序号", "单位", "区（市）", "镇街", "接入类型", "接入设备", "设备型号", "IP地址段", "运营商", "带宽",
                "费用", "合同到期", "上级要求", "发布服务", "峰值利用率"]
EXIT_COLS_XLSX = ["序号", "单位", "区(市)", "镇街", "接入类型", "接入设备", "设备型号", "IP地址段", "运营商",
                  "带宽（M）", "费用（元/年）", "合同到期时间", "上级要求", "发布服务", "峰值利用率"]
EXIT_COLS_EN = ["No.", "Department", "District", "Town", "Access type", "Access device", "Device model", "IP range",
                "Carrier", "Bandwidth", "Annual fee", "Contract end", "Mandated by", "Published services",
                "Peak utilization"]
LAN_COLS_ZH = ["序号", "单位", "区（市）", "镇街", "网络名称", "网络类型", "连接设备", "设备型号", "IP地址段", "运营商", "用途",
               "备注"]
LAN_COLS_XLSX = ["序号", "单位", "区(市)", "镇街", "网络名称", "网络类型", "连接设备", "设备型号", "IP地址段", "运营商",
                 "用途", "备注"]
LAN_COLS_EN = ["No.", "Department", "District", "Town", "Network name", "Network type", "Device", "Device model",
               "IP range", "Carrier", "Purpose", "Remarks"]
# logical field -> column index, the same in all three header sets
E = {k: i for i, k in enumerate(("seq", "department", "district", "town", "access", "device", "model", "ip",
                                 "carrier", "bandwidth", "fee", "contract", "mandated", "services", "peak"))}
N = {k: i for i, k in enumerate(("seq", "department", "district", "town", "name", "kind", "device", "model", "ip",
                                 "carrier", "purpose", "remark"))}


@dataclass
class Part:
    sheet: str                   # sheet name (XLSX) or '' (CSV)
    pre: list                    # rows above the header (title, 填报单位 line)
    header: list
    rows: list                   # data rows (lists of cell values)
    refs: list = field(default_factory=list)   # per data row: ('exit', Exit) | ('network', id) | ('row', None)
    runs: bool = False           # CSV export of merged cells: district/department only on a run's first row

    def row_number(self, k: int) -> int:
        """1-based row number, as Excel shows it, of data row *k*."""
        return len(self.pre) + 1 + k + 1


@dataclass
class SheetFile:
    path: str                    # relative to the inventory
    fmt: str                     # gbk, utf8bom, en, xlsx, xls
    parts: list


def _fmt_for(i: int, nd: int) -> str:
    if i == min(3, nd - 1) and nd >= 2:
        return "en"
    real = ("gbk", "xlsx", "gbk", "en", "xls", "utf8bom")   # one .xls, as WPS and older Excel save
    if i < len(real):
        return real[i]
    # openpyxl needs ~50 ms a workbook: added districts get one now and then, CSV otherwise
    return "xlsx" if i % 20 == 0 else ("gbk", "utf8bom")[i % 2]


# --- cell spellings ----------------------------------------------------------------------------
_FW = str.maketrans("0123456789./", "０１２３４５６７８９．／")


def _range_text(rng, prefixes, exact=True, fmt="zh", hosts=None):
    """The cell people type for *prefixes*; *hosts* receives True for each one written as the hosts
    of its subnet (10.1.1.1-254: the reader says so with an info issue)."""
    out = []
    for p in prefixes:
        n, plen = parse(p)
        a = n
        last = n + size(plen) - 1
        s_ip = _ip(a)
        styles = ["cidr", "fullwidth", "mask", "tilde", "short"] if fmt != "en" else ["cidr", "mask", "dash"]
        if plen in (8, 16, 24):
            styles.append("glob")
        if not exact and plen <= 30:
            styles.append("hosts")
        st = rng.choice(styles)
        if st == "cidr":
            out.append(p)
        elif st == "fullwidth":
            out.append(p.translate(_FW))
        elif st == "mask":
            out.append(f"{s_ip} {mask(plen)}")
        elif st == "tilde":
            out.append(f"{s_ip}～{_ip(last)}")
        elif st == "dash":
            out.append(f"{s_ip}-{_ip(last)}")
        elif st == "short":
            out.append(f"{s_ip}-{last & 255}" if (a >> 8) == (last >> 8) else f"{s_ip}～{_ip(last)}")
        elif st == "glob":
            octs = s_ip.split(".")
            keep = plen // 8
            out.append(".".join(octs[:keep] + ["*"] * (4 - keep)))
        else:   # usable hosts only: what people type, not exactly the prefix
            if hosts is not None:
                hosts.append(True)
            out.append(f"{_ip(a + 1)}-{(last - 1) & 255}" if (a >> 8) == (last >> 8) else f"{_ip(a + 1)}-{_ip(last - 1)}")
    sep = "，" if fmt != "en" else ", "
    return sep.join(out)


def _ip(n):
    return f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _bw_text(rng, mbps, fmt):
    b = int(mbps)
    if fmt == "en":
        return rng.choice((f"{b}Mbps", f"{b}M")) if b < 1000 else "1G"
    opts = {100: ("百兆", "100M", "100Mbps", "100"), 200: ("200M", "2*100M"), 1000: ("1G", "千兆", "1000M")}
    return rng.choice(opts.get(b, (f"{b}M", f"{b}Mbps", f"{b}M")))


def _fee_text(rng, fee, fmt, xlsx=False):
    f = int(fee)
    if fmt == "en":
        return str(f)
    if xlsx and rng.random() < 0.5:
        return f                                  # a number cell under 费用（元/年）
    return rng.choice((f"{f // 12}元/月", f"{f / 10000:g}万/年", f"{f}元/年", str(f)))


def _date_text(rng, iso, fmt, xlsx=False):
    y, m, d = (int(x) for x in iso.split("-"))
    if xlsx and rng.random() < 0.4:
        return dt.datetime(y, m, d)               # a real date cell
    if fmt == "en":
        return iso
    return rng.choice((f"{y}年{m}月{d}日", iso, f"{y}/{m}/{d}"))


def _access_text(rng, access, fmt):
    if fmt == "en":
        return {"fiber_dia": rng.choice(("fiber DIA", "leased line")), "ftth": "FTTH", "mobile": "4G"}[access]
    return {"fiber_dia": rng.choice(("互联网专线", "光纤专线", "互联网专线")), "ftth": "光纤宽带",
            "mobile": "4G"}[access]


def _carrier_text(rng, canonical, fmt, carriers=P.CARRIERS):
    if canonical not in carriers:
        return canonical
    if fmt == "en":
        return rng.choice((canonical, {"China Telecom": "CTCC", "China Unicom": "CUCC", "China Mobile": "CMCC",
                                       "China Broadnet": "CATV"}[canonical]))
    return rng.choice(carriers[canonical]["sheet"])


def _dept_text(rng, w, name):
    d = w.dept(name) if name in w._dept_index else None
    if d and d["aliases"] and rng.random() < 0.35:
        return rng.choice(d["aliases"])
    return name


# --- building the rows ---------------------------------------------------------------------------
def build_sheets(w: World, seed) -> tuple[list, list]:
    """(sheet files, planted errors) for the whole case."""
    rng = random.Random(f"{seed}-sheets")
    files = []
    units = [("", "市直部门", "xlsx")] + [(d["name"], d["name"], _fmt_for(i, len(w.districts)))
                                         for i, d in enumerate(w.districts)]
    nets = {n["id"]: n for n in w.networks}
    dev_by_host = {d.host: d for d in w.devices}
    hosts_seen = set()
    by_d = {}
    for e in w.exits:
        if e.seen_in in ("sheet", "both"):
            by_d.setdefault(("exit", e.district), []).append(e)
    for d in w.departments:
        if d["name"] in w.ces:
            by_d.setdefault(("dept", d["district"]), []).append(d)
    for (dn, tn), devs in w.town_routers.items():
        by_d.setdefault(("town", dn), []).append((tn, devs))
    for n in w.networks:
        if not n["id"].startswith("extranet") and "no-sheet" not in n["tags"].split():
            by_d.setdefault(("net", n["district"] or ""), []).append(n)
    for room in w.rooms:
        by_d.setdefault(("room", room["district"]), []).append(room)
    drng = random.Random(f"{seed}-dynamic")   # words for dynamic addresses: their own rng, the rows' draws unchanged
    for dname, label, fmt in units:
        slug = next((d["slug"] for d in w.districts if d["name"] == dname), "city")
        exits = sorted(by_d.get(("exit", dname), ()), key=lambda e: (e.department, e.town, e.id))
        zh_district = dname or "市直"
        if dname and fmt in ("gbk", "utf8bom"):   # clerks shorten the district: 市中 for 市中区, 滕州 for 滕州市
            zh_district = dname[:-1]
        xlsx = fmt in ("xlsx", "xls")
        hosts_rows = set()   # id() of rows whose range was written as a subnet's hosts
        erows, erefs = [], []
        for e in exits:
            r = [""] * len(E)
            r[E["department"]] = _dept_text(rng, w, e.department)
            r[E["district"]] = zh_district
            r[E["town"]] = e.town
            r[E["access"]] = _access_text(rng, e.access_type, fmt)
            r[E["device"]] = e.sheet_device
            r[E["model"]] = e.model
            rngtxt = e.sheet_values.get("public_range") or e.public_range
            r[E["ip"]] = _range_text(rng, [rngtxt], True, fmt) if rngtxt else _dynamic_text(drng, e, fmt)
            carrier = e.sheet_values.get("carrier") or e.carrier
            r[E["carrier"]] = _carrier_text(rng, carrier, fmt, w.P.carriers)
            if e.sheet_values.get("bandwidth_raw"):
                r[E["bandwidth"]] = e.sheet_values["bandwidth_raw"]
            else:
                r[E["bandwidth"]] = _bw_text(rng, e.sheet_values.get("bandwidth_mbps") or e.bandwidth_mbps, fmt)
            e.sheet_blank = []
            if e.fee_yuan_year is not None and rng.random() > 0.1:
                r[E["fee"]] = _fee_text(rng, e.fee_yuan_year, fmt, xlsx)
            elif e.fee_yuan_year is not None:
                e.sheet_blank.append("fee_yuan_year")
            if e.contract_end and rng.random() > 0.08:
                r[E["contract"]] = _date_text(rng, e.contract_end, fmt, xlsx)
            elif e.contract_end:
                e.sheet_blank.append("contract_end")
            r[E["mandated"]] = e.mandated_by
            r[E["services"]] = e.services
            if e.peak_util is not None and rng.random() > 0.3:
                r[E["peak"]] = f"{round(e.peak_util * 100)}%" if not xlsx else e.peak_util
            elif e.peak_util is not None:
                e.sheet_blank.append("peak_util")
            erows.append(r)
            erefs.append(("exit", e))
        nrows, nrefs = [], []
        for d in by_d.get(("dept", dname), ()):
            ce = w.ces[d["name"]]
            lan = next(i for i in ce.ifaces if i.addrs and i.addrs[0][1] in (24, 26))
            r = [""] * len(N)
            r[N["department"]] = _dept_text(rng, w, d["name"])
            r[N["district"]] = zh_district
            r[N["name"]] = rng.choice(("机关局域网", "办公网", "本单位局域网")) if fmt != "en" else "Office LAN"
            r[N["kind"]] = "局域网" if fmt != "en" else "LAN"
            r[N["device"]] = ce.host
            r[N["model"]] = ce.model
            said = []
            r[N["ip"]] = _range_text(rng, [cidr(lan.addrs[0][0] & ~(size(lan.addrs[0][1]) - 1), lan.addrs[0][1])],
                                     rng.random() < 0.8, fmt, said)
            if said:
                hosts_rows.add(id(r))
            r[N["purpose"]] = "办公" if fmt != "en" else "office"
            r[N["remark"]] = rng.choice(("正常使用", "无", "")) if fmt != "en" else ""
            nrows.append(r)
            nrefs.append(("lan", d["name"]))
        for tn, devs in by_d.get(("town", dname), ()):
            dev = devs[0]
            lans = [i for i in dev.ifaces if i.vrf and i.addrs and i.addrs[0][1] < 30]
            ranges = [cidr(a & ~(size(p) - 1), p) for i in lans for a, p in i.addrs]
            line = [i.desc for i in dev.ifaces if "MSTP" in i.desc]
            r = [""] * len(N)
            r[N["department"]] = tn + ("办事处" if tn.endswith("街道") else "人民政府")
            r[N["district"]] = zh_district
            r[N["town"]] = tn
            r[N["name"]] = f"{tn}便民服务中心及机关局域网" if fmt != "en" else f"{tn} town LAN"
            r[N["kind"]] = "局域网" if fmt != "en" else "LAN"
            r[N["device"]] = dev.host + (f"等{len(devs)}台" if len(devs) > 1 and fmt != "en" else "")
            r[N["model"]] = dev.model
            r[N["ip"]] = _range_text(rng, ranges, True, fmt)
            r[N["carrier"]] = _carrier_text(rng, next(c for c in P.CARRIERS if any(
                a in line[0] for a in P.CARRIERS[c]["config"])), fmt, w.P.carriers) if line else ""
            r[N["purpose"]] = "接入政务外网" if fmt != "en" else "extranet access"
            nrows.append(r)
            nrefs.append(("town", tn))
        for n in by_d.get(("net", dname), ()):
            r = [""] * len(N)
            r[N["department"]] = _dept_text(rng, w, n["department"])
            r[N["district"]] = zh_district
            r[N["name"]] = n["name"]
            kind = n["sheet_kind"]
            if fmt == "en":
                kind = {"业务专网": "business private", "政务专网": "gov private", "涉密网": "intranet",
                        "局域网": "LAN"}[kind]
            r[N["kind"]] = kind
            r[N["device"]] = n["devices"][0] + (f"等{len(n['devices'])}台" if len(n["devices"]) > 1 and fmt != "en"
                                                else "")
            r[N["model"]] = dev_by_host[n["devices"][0]].model
            r[N["ip"]] = "" if n["classified"] else _range_text(rng, n["prefixes"], n["id"] != "renshe", fmt)
            r[N["carrier"]] = _carrier_text(rng, n["carrier"], fmt, w.P.carriers) if n["carrier"] else ""
            r[N["purpose"]] = n["purpose"] + ("（涉密，地址不填报）" if n["classified"] else "")
            r[N["remark"]] = _remark(n, fmt)
            nrows.append(r)
            nrefs.append(("network", n["id"]))
        if fmt == "utf8bom":   # (a GBK export blanks a run's repeated department: that would be another row rule)
            # a department's LAN written twice, the same way (two people filled it in): one network
            k = next((k for k, (kind, _) in enumerate(nrefs) if kind == "lan"), None)
            if k is not None:
                nrows.insert(k + 1, list(nrows[k]))
                nrefs.insert(k + 1, ("same", nrefs[k][1]))
        for k, r in enumerate(erows):
            r[E["seq"]] = k + 1
        for k, r in enumerate(nrows):
            r[N["seq"]] = k + 1
        if fmt == "en":
            title_e = [f"{slug.capitalize()} self-inspection: internet exits (2017)"]
            title_n = [f"{slug.capitalize()} self-inspection: LANs and private networks (2017)"]
            ecols, ncols = EXIT_COLS_EN, LAN_COLS_EN
        else:
            title_e = [f"{label}互联网出口自查表"]
            title_n = [f"{label}局域网及专网自查表"]
            ecols, ncols = (EXIT_COLS_XLSX, LAN_COLS_XLSX) if xlsx else (EXIT_COLS_ZH, LAN_COLS_ZH)
        pre_e = [title_e]
        pre_n = [title_n]
        if xlsx or fmt == "gbk":
            sub = f"填报单位（盖章）：{P.bureau_name(dname, '大数据中心') if dname else '市大数据局'}    填报日期：2017年8月"
            pre_e.append([sub])
            pre_n.append([sub])
        runs = fmt == "gbk"
        if xlsx:
            path = f"sheets/{label}-网络自查表.{fmt}"
            parts = [Part("互联网出口", pre_e, ecols, erows, erefs), Part("局域网及专网", pre_n, ncols, nrows, nrefs)]
        elif fmt == "en":
            parts = [Part("", pre_e, ecols, erows, erefs)], [Part("", pre_n, ncols, nrows, nrefs)]
        else:
            parts = [Part("", pre_e, ecols, erows, erefs, runs)], [Part("", pre_n, ncols, nrows, nrefs, runs)]
        hosts_seen |= hosts_rows
        room_part = _room_part(w, by_d.get(("room", dname), ()), label, slug, fmt, xlsx)
        if xlsx:
            if room_part is not None:
                parts.append(room_part)
            files.append(SheetFile(path, fmt, parts))
        elif fmt == "en":
            files.append(SheetFile(f"sheets/{slug}-internet-exits.csv", fmt, parts[0]))
            files.append(SheetFile(f"sheets/{slug}-networks.csv", fmt, parts[1]))
        else:
            files.append(SheetFile(f"sheets/{label}-互联网出口自查表.csv", fmt, parts[0]))
            files.append(SheetFile(f"sheets/{label}-局域网及专网自查表.csv", fmt, parts[1]))
        if room_part is not None and not xlsx:
            name = f"sheets/{slug}-serverroom-inventory.csv" if fmt == "en" else f"sheets/{label}-机房自查表.csv"
            files.append(SheetFile(name, fmt, [room_part]))
    errors = _plant(w, files, rng, hosts_seen)
    for f in files:
        for part in f.parts:
            for k, (kind, obj) in enumerate(part.refs):
                if kind == "exit":
                    obj.sheet = {"file": f.path, "sheet": part.sheet, "row": part.row_number(k)}
                elif kind == "network":
                    nets[obj].setdefault("sheet", {"file": f.path, "sheet": part.sheet, "row": part.row_number(k)})
                elif kind == "room":
                    obj["sheet"] = {"file": f.path, "sheet": part.sheet, "row": part.row_number(k)}
    return files, errors


DYNAMIC_WORDS = ("动态地址", "动态", "拨号", "DHCP", "自动获取", "PPPoE", "ADSL拨号")
ROOM_COLS_ZH = ["序号", "单位", "区(市)", "机房位置", "接入网络类型", "带宽", "服务器型号", "服务器数量(台)", "存储型号",
                "存储容量(TB)", "是否迁移政务云", "备注"]
ROOM_COLS_EN = ["No.", "Department", "District", "Location", "Network type", "Bandwidth", "Server model", "Servers",
                "Storage model", "Storage (TB)", "Government cloud", "Remarks"]


def _dynamic_text(rng, e, fmt) -> str:
    """The IP cell of a broadband exit without a fixed address (DOMAIN.md: still an exit)."""
    e.address_mode = "dynamic"
    if fmt == "en":
        return rng.choice(("DHCP", "PPPoE"))
    return rng.choice(DYNAMIC_WORDS)


def _room_part(w, rooms, label, slug, fmt, xlsx):
    """The 机房 (server room) part of a district's self-inspection: one row per room."""
    if not rooms:
        return None
    rows, refs = [], []
    for k, room in enumerate(rooms):
        en = fmt == "en"
        dept = room["department"]
        kinds = room["kinds"] if not en else {"政务外网": "extranet", "电子政务外网": "extranet",
                                               "政务外网、互联网": "extranet, internet"}[room["kinds"]]
        cloud = ({"migrate": "迁移", "keep": "保留"} if not en else {"migrate": "migrate", "keep": "keep"})[room["cloud"]]
        bw = int(room["bandwidth_mbps"])
        rows.append([k + 1, dept, room["district"] or ("市直" if not en else "city"), room["location"], kinds,
                     f"{bw}M", room["server_model"], room["servers"] if xlsx else f"{room['servers']}台" if not en
                     else str(room["servers"]), room["storage_model"],
                     "" if room["storage_tb"] is None else f"{room['storage_tb']:g}TB", cloud, room["remark"]])
        refs.append(("room", room))
    header = ROOM_COLS_EN if fmt == "en" else ROOM_COLS_ZH
    title = [f"{slug.capitalize()} self-inspection: server rooms (2017)"] if fmt == "en" else [f"{label}机房自查表"]
    return Part("机房" if xlsx else "", [title], header, rows, refs)


def _remark(n, fmt) -> str:
    """备注 as clerks write it: the facts that decide the merge target, in words."""
    if fmt == "en":
        return ""
    if n["classified"]:
        return "涉密"
    if n.get("vertical_ministry"):
        if n.get("on_extranet"):
            return f"{n['vertical_ministry']}统一建设，已接入政务外网专用网络区"
        return f"{n['vertical_ministry']}垂直管理，与政务外网物理隔离"
    if n.get("public_facing"):
        return "面向公众，为群众办事提供服务"
    return "正常使用"


def _plant(w, files, rng, hosts_seen=frozenset()):
    """The few bad cells, each recorded where Excel would show it; and what the reader is to say
    of rows written the way people write them (host ranges, a LAN written twice)."""
    errors = []

    def record(f, part, k, col, value, code, severity, rejects):
        errors.append({"file": f.path, "sheet": part.sheet, "row": part.row_number(k),
                       "column": part.header[col], "column_letter": chr(65 + col), "value": value, "code": code,
                       "severity": severity, "rejects_row": rejects})

    # unknown carrier and unreadable bandwidth: already in the exit rows
    for f in files:
        for part in f.parts:
            for k, (kind, obj) in enumerate(part.refs):
                if kind != "exit":
                    continue
                if not obj.carrier_known:
                    record(f, part, k, E["carrier"], part.rows[k][E["carrier"]], "unknown-carrier", "warning", False)
                if obj.sheet_values.get("bandwidth_raw"):
                    record(f, part, k, E["bandwidth"], obj.sheet_values["bandwidth_raw"], "bad-bandwidth", "warning",
                           False)
    # a row without its department: the first data row of a CSV LAN part (nothing above to fill from)
    lan_csv = [(f, f.parts[0]) for f in files if f.fmt in ("gbk", "utf8bom") and f.parts[0].header[4] == "网络名称"
               and f.parts[0].rows]
    if lan_csv:
        f, part = lan_csv[0]
        town_rows = [k for k, (kind, _) in enumerate(part.refs) if kind == "town"]
        k = town_rows[0] if town_rows else 0
        row, ref = part.rows.pop(k), part.refs.pop(k)
        part.rows.insert(0, row)
        part.refs.insert(0, ref)
        row[N["department"]] = ""
        row[N["device"]] = ""   # nor a device the manifest knows: nothing ties the row to a department
        ref_note = ("row", ref)
        part.refs[0] = ref_note
        record(f, part, 0, N["department"], "", "missing-value", "error", True)
        for j, r in enumerate(part.rows):
            r[N["seq"]] = j + 1
    # an octet above 255: a department LAN row of an XLSX (else any) LAN part
    cands = [(f, p) for f in files for p in f.parts if p.header[4] in ("网络名称", "Network name")
             and any(kind == "lan" for kind, _ in p.refs)]
    cands.sort(key=lambda fp: fp[0].fmt != "xlsx")
    if cands:
        f, part = cands[0]
        k = next(k for k, (kind, _) in enumerate(part.refs) if kind == "lan")
        n, plen = _first_prefix(w, part.refs[k][1])
        bad = f"{n >> 24}.{(n >> 16) & 255}.{((n >> 8) & 255) + 256}.{n & 255}/{plen}"
        part.rows[k][N["ip"]] = bad
        hosts_seen.discard(id(part.rows[k]))
        record(f, part, k, N["ip"], bad, "bad-ip-range", "error", False)   # blanked, the row kept
    for f in files:
        for part in f.parts:
            if part.header[4] not in ("网络名称", "Network name"):
                continue
            for k, row in enumerate(part.rows):
                if id(row) in hosts_seen:
                    record(f, part, k, N["ip"], row[N["ip"]], "host-range-subnet", "info", False)
                if part.refs[k][0] == "same":
                    record(f, part, k, N["name"], row[N["name"]], "same-network-rows", "info", False)
    return errors


def _first_prefix(w, dept):
    ce = w.ces[dept]
    lan = next(i for i in ce.ifaces if i.addrs and i.addrs[0][1] in (24, 26))
    a, p = lan.addrs[0]
    return a & ~(size(p) - 1), p


# --- writing -------------------------------------------------------------------------------------
def _runs_blanked(part: Part):
    """Rows as a CSV export of merged cells leaves them: district/department on a run's first row only."""
    out = []
    prev = (None, None)
    for r in part.rows:
        r = list(r)
        key = (r[2], r[1])
        if key[0] == prev[0] and out:
            r[2] = ""
        if key == prev and out and key[1]:
            r[1] = ""
        prev = key
        out.append(r)
    return out


def _csv_bytes(part: Part, encoding: str) -> bytes:
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\r\n")
    width = len(part.header)
    for pre in part.pre:
        wr.writerow(pre + [""] * (width - len(pre)))
    wr.writerow(part.header)
    rows = _runs_blanked(part) if part.runs else part.rows
    for r in rows:
        wr.writerow(["" if v is None else (v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else v) for v in r])
    text = buf.getvalue()
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(encoding)


class _FixedZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one fixed timestamp, so a workbook is byte-identical run to run."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zi = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zinfo_or_arcname = zi
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl writes each worksheet from a temporary file, whose mtime would land in the zip
        with open(filename, "rb") as fh:
            data = fh.read()
        self.writestr(arcname or str(filename), data)

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode == "w" and isinstance(name, str):     # openpyxl streams worksheets through open()
            zi = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            name = zi
        return super().open(name, mode, pwd, force_zip64=force_zip64)


def _xlsx_bytes(parts) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "netconsol generate"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "netconsol generate"
    for part in parts:
        ws = wb.create_sheet(part.sheet)
        width = len(part.header)
        r = 1
        for pre in part.pre:
            ws.cell(r, 1, pre[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            if r == 1:
                ws.cell(r, 1).font = Font(bold=True, size=14)
                ws.cell(r, 1).alignment = Alignment(horizontal="center")
            r += 1
        for j, h in enumerate(part.header):
            ws.cell(r, j + 1, h).font = Font(bold=True)
        r += 1
        first = r
        for row in part.rows:
            for j, v in enumerate(row):
                if v not in ("", None):
                    c = ws.cell(r, j + 1, v)
                    if isinstance(v, dt.datetime):
                        c.number_format = "yyyy-mm-dd"
                    elif isinstance(v, float) and j == E["peak"]:
                        c.number_format = "0%"
            r += 1
        last = r - 1
        # district merged over all data rows; department merged over each run of equal names
        if last > first:
            ws.merge_cells(start_row=first, start_column=3, end_row=last, end_column=3)
            ws.cell(first, 3).alignment = Alignment(vertical="center")
        k = 0
        while k < len(part.rows):
            j = k
            while j + 1 < len(part.rows) and part.rows[j + 1][1] == part.rows[k][1] and part.rows[k][1]:
                j += 1
            if j > k:
                ws.merge_cells(start_row=first + k, start_column=2, end_row=first + j, end_column=2)
                ws.cell(first + k, 2).alignment = Alignment(vertical="center")
            k = j + 1
        for j, wd in enumerate((6, 26, 10, 12, 12, 16, 12, 30, 18, 10, 14, 14, 12, 14, 10)[:width]):
            ws.column_dimensions[chr(65 + j)].width = wd
    buf = io.BytesIO()
    archive = _FixedZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()     # save_workbook() would stamp properties.modified with now()
    return buf.getvalue()


def _xls_bytes(parts) -> bytes:
    """A BIFF8 .xls (what WPS and older Excel save), with xlwt: title merged across, district
    merged over the data rows, department merged over each run of equal names."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    pct_style = xlwt.easyxf(num_format_str="0%")
    for part in parts:
        ws = wb.add_sheet(part.sheet)
        width = len(part.header)
        r = 0
        for pre in part.pre:
            ws.write_merge(r, r, 0, width - 1, pre[0])
            r += 1
        for j, h in enumerate(part.header):
            ws.write(r, j, h)
        r += 1
        first = r
        merged = set()
        if len(part.rows) > 1:
            ws.write_merge(first, first + len(part.rows) - 1, 2, 2, part.rows[0][2])
            merged |= {(first + k, 2) for k in range(len(part.rows))}
        k = 0
        while k < len(part.rows):
            j = k
            while j + 1 < len(part.rows) and part.rows[j + 1][1] == part.rows[k][1] and part.rows[k][1]:
                j += 1
            if j > k:
                ws.write_merge(first + k, first + j, 1, 1, part.rows[k][1])
                merged |= {(first + i, 1) for i in range(k, j + 1)}
            k = j + 1
        for k, row in enumerate(part.rows):
            for j, v in enumerate(row):
                if v in ("", None) or (first + k, j) in merged:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write(first + k, j, v, date_style)
                elif isinstance(v, float) and j == E["peak"] and part.header[4] not in ("网络名称", "Network name"):
                    ws.write(first + k, j, v, pct_style)
                else:
                    ws.write(first + k, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_sheet_file(f: SheetFile) -> bytes:
    if f.fmt == "xlsx":
        return _xlsx_bytes(f.parts)
    if f.fmt == "xls":
        return _xls_bytes(f.parts)
    enc = {"gbk": "gbk", "utf8bom": "utf-8-sig", "en": "utf-8"}[f.fmt]
    return _csv_bytes(f.parts[0], enc)
