"""The self-inspection workbook (自查表) a department fills: ``netconsol template``.

Four sheets (互联网接入, 局域网及专网, 设备, 机房) whose headers are the header aliases the
collector reads (rules/columns.yaml: the first alias of each field, the rooms section for
机房), so a filled form reads back with no header guessing.  Each header carries a comment
with an example; drop-down lists come from the rules (network classes, carriers, access
types, 是/否, 迁移/保留) and, given an inventory, from its manifest (departments, districts);
IP columns are formatted as text so a spreadsheet never turns ``10.1.1.0`` into a number.

The drop-down values live on one hidden sheet named :data:`LISTS_SHEET`, which the
collector knows to skip (collectors/rooms.py): Excel caps an inline list at 255 characters,
a city has more departments than that.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..rules import LISTS_SHEET, load_columns, load_room_rules, load_yaml, rules_path

__all__ = ["SHEETS", "template_workbook", "template_bytes", "write_template", "sheet_headers", "LISTS_SHEET"]

# sheet id -> (zh name, en name, fields); the fields are columns.yaml field names ('rooms': its rooms section)
SHEETS = (
    ("internet", "互联网接入", "Internet access", "columns",
     ("seq", "district", "town", "department", "access_type", "device", "model", "ip_range", "carrier", "bandwidth",
      "fee", "contract_end", "mandated_by", "services", "peak_util", "remark")),
    ("networks", "局域网及专网", "LAN and private networks", "columns",
     ("seq", "district", "town", "department", "network_name", "network_kind", "access_type", "device", "model",
      "ip_range", "carrier", "bandwidth", "purpose", "classified", "public_facing", "mandated_by", "remark")),
    ("devices", "设备", "Devices", "columns",
     ("seq", "district", "town", "department", "device", "model", "ip_range", "network_kind", "purpose", "remark")),
    ("rooms", "机房", "Server rooms", "rooms",
     ("seq", "district", "department", "location", "network_kinds", "bandwidth", "server_model", "servers",
      "storage_model", "storage_tb", "cloud", "remark")),
)

EXAMPLES = {
    "seq": ("1", "1"), "district": ("市中区", "市中区"), "town": ("光明路街道", "光明路街道"),
    "department": ("市公安局", "市公安局"), "network_name": ("公安视频专网", "公安视频专网"),
    "network_kind": ("政务外网行政服务域", "政务外网行政服务域"), "network_kinds": ("政务外网行政服务域、互联网", "行政服务域, 互联网"),
    "access_type": ("互联网专线", "互联网专线 (fiber DIA)"), "device": ("SZ-GML-AR01", "SZ-GML-AR01"),
    "model": ("华为AR2240", "Huawei AR2240"), "ip_range": ("10.1.1.0/24（公网：192.0.2.0/29；动态地址写“动态”）",
                                                         "10.1.1.0/24 (public: 192.0.2.0/29; dynamic: 动态)"),
    "carrier": ("中国电信", "China Telecom"), "bandwidth": ("100M", "100M"), "fee": ("5000元/月", "60000"),
    "contract_end": ("2027-06-30", "2027-06-30"), "mandated_by": ("公安部", "公安部 (ministry)"),
    "services": ("门户网站", "portal website"), "peak_util": ("65%", "65%"), "purpose": ("视频会议", "video conference"),
    "classified": ("否", "否 (no)"), "public_facing": ("是", "是 (yes)"), "remark": ("", ""),
    "location": ("市政务服务中心3楼机房", "3F, city service centre"), "server_model": ("华为2288H V5", "Huawei 2288H V5"),
    "servers": ("4", "4"), "storage_model": ("华为OceanStor 5300", "Huawei OceanStor 5300"),
    "storage_tb": ("100TB", "100TB"), "cloud": ("迁移", "迁移 (migrate) / 保留 (keep)"),
}
NOTES = {
    "zh": {"ip_range": "格式：CIDR、地址+掩码、范围均可；本列为文本格式", "department": "必填",
           "bandwidth": "如 100M、1G、千兆", "cloud": "迁移（迁至政务云）或 保留", "servers": "整数（台）",
           "storage_tb": "如 100TB、500G"},
    "en": {"ip_range": "CIDR, address + mask or range; this column is text", "department": "required",
           "bandwidth": "e.g. 100M, 1G", "cloud": "迁移 (migrate to the government cloud) or 保留 (keep)",
           "servers": "a whole number", "storage_tb": "e.g. 100TB, 500G"},
}
# drop-down values the collector's normalizers accept (checked by the tests)
KIND_WORDS = ("政务外网行政服务域", "政务外网公共服务域", "政务外网专用网络区", "电子政务内网", "政务专网", "业务专网",
              "互联网", "局域网")
ACCESS_WORDS = ("互联网专线", "裸光纤", "MSTP", "MPLS VPN", "IPsec VPN", "L2TP", "ADSL", "光纤宽带", "4G/5G", "其他")
YES_NO = ("是", "否")
CLOUD_WORDS = ("迁移", "保留")
ROWS = 200          # rows of each sheet prepared with validations and text format


def _display(alias: str) -> str:
    """A header as written in the form: the alias, 'ip...' in capitals (the collector folds case)."""
    if alias.lower().startswith("ip"):
        return "IP" + alias[2:]
    return alias.replace("(tb)", "(TB)").replace("(m)", "(M)")


def _english(aliases) -> str:
    ascii_ = [a for a in aliases if a.isascii() and not a.startswith("#")]
    spaced = [a for a in ascii_ if " " in a]
    pick = (spaced or ascii_ or [aliases[0]])[0]
    return " ".join("IP" if w == "ip" else w for w in pick.split(" ")).capitalize().replace("Ip ", "IP ")


def sheet_headers(lang: str = "zh", columns_path=None) -> dict:
    """{sheet name: [(field, header text)]} as the template writes them."""
    cols = load_columns(columns_path)
    raw = load_yaml(cols.path)["fields"]
    rooms = load_room_rules(str(cols.path))
    out = {}
    for _sid, zh, en, section, fields in SHEETS:
        aliases = raw if section == "columns" else {f: list(v) for f, v in rooms.headers.items()}
        heads = []
        for f in fields:
            a = [str(x) for x in aliases[f]]
            heads.append((f, _display(a[0]) if lang == "zh" else _english(a)))
        out[zh if lang == "zh" else en] = heads
    return out


def _lists(carriers_names, departments, districts):
    lists = {"network_kind": KIND_WORDS, "network_kinds": KIND_WORDS, "access_type": ACCESS_WORDS,
             "carrier": tuple(carriers_names), "classified": YES_NO, "public_facing": YES_NO, "cloud": CLOUD_WORDS}
    if departments:
        lists["department"] = tuple(departments)
    if districts:
        lists["district"] = tuple(districts)
    return lists


def template_workbook(lang: str = "zh", inventory=None, rules_dir=None):
    """The workbook (an openpyxl Workbook, not saved)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..manifest import MANIFEST_NAMES, load_manifest
    from ..normalize.carriers import Carriers

    inv_dir = Path(inventory) if inventory else None
    carriers = Carriers.load(rules_path("carriers.yaml", rules_dir, inv_dir))
    carrier_names = [carriers.zh(n) or n for n in carriers.names]
    departments, districts = [], []
    if inv_dir:
        mpath = next((inv_dir / n for n in MANIFEST_NAMES if (inv_dir / n).is_file()), None)
        if mpath is None:
            from ..errors import InventoryError
            raise InventoryError(f"{str(inv_dir)!r}: no manifest ({', '.join(MANIFEST_NAMES)}) to take "
                                 f"departments and districts from")
        m = load_manifest(mpath)
        departments = sorted({d["name"] for d in m.departments if d["name"]})
        districts = [d["name"] for d in m.districts if d["name"]]
    lists = _lists(carrier_names, departments, districts)
    headers = sheet_headers(lang, rules_path("columns.yaml", rules_dir, inv_dir))

    wb = Workbook()
    wb.remove(wb.active)
    # fixed document properties: two runs give the same bytes
    stamp = _dt.datetime(2017, 12, 1)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.lastModifiedBy = "netconsol"
    wb.properties.creator = "netconsol"
    wb.properties.title = "自查表" if lang == "zh" else "Self-inspection workbook"

    list_ref = {}
    for col, (f, values) in enumerate(sorted(lists.items()), start=1):
        letter = get_column_letter(col)
        list_ref[f] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for name, heads in headers.items():
        ws = wb.create_sheet(name)
        for j, (f, text) in enumerate(heads, start=1):
            c = ws.cell(row=1, column=j, value=text)
            c.font, c.fill = bold, fill
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ex = EXAMPLES.get(f, ("", ""))[0 if lang == "zh" else 1]
            note = NOTES[lang].get(f, "")
            body = ("例：" if lang == "zh" else "e.g. ") + ex if ex else ""
            body = "\n".join(x for x in (body, note) if x) or ("选填" if lang == "zh" else "optional")
            c.comment = Comment(body, "netconsol", width=260, height=90)
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = 22 if f in ("ip_range", "location", "department") else 14
            rng = f"{letter}2:{letter}{ROWS + 1}"
            if f == "ip_range":
                for r in range(2, ROWS + 2):
                    ws.cell(row=r, column=j).number_format = "@"
            if f in list_ref:
                # carriers and departments: a warning, not a stop (a new carrier or a department the
                # manifest does not know yet is reported by the collector, not refused by the form)
                strict = f not in ("carrier", "department", "district")
                dv = DataValidation(type="list", formula1=f"={list_ref[f]}", allow_blank=True,
                                    showErrorMessage=True, errorStyle="stop" if strict else "warning")
                dv.error = ("请从下拉列表中选择" if lang == "zh" else "Pick a value from the list")
                dv.add(rng)
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    lst = wb.create_sheet(LISTS_SHEET)
    for col, (f, values) in enumerate(sorted(lists.items()), start=1):
        lst.cell(row=1, column=col, value=f)
        for r, v in enumerate(values, start=2):
            lst.cell(row=r, column=col, value=str(v)).data_type = "s"
    lst.sheet_state = "hidden"
    wb.active = 0
    return wb


def template_bytes(lang: str = "zh", inventory=None, rules_dir=None) -> bytes:
    """The workbook as XLSX bytes: same inputs, same bytes (fixed document and zip times)."""
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    wb = template_workbook(lang, inventory, rules_dir)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(wb, archive).write_data()   # unlike wb.save(), keeps properties.modified
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2017, 12, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_template(out, lang: str = "zh", inventory=None, rules_dir=None) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(template_bytes(lang, inventory, rules_dir))
    return out
