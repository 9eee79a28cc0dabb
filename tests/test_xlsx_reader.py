"""The fast XLSX reader (netconsol.collectors.xlsx) gives exactly what openpyxl gives.

Reference: ``openpyxl.load_workbook(path, data_only=True)`` then
``[list(r) for r in ws.iter_rows(values_only=True)]`` per worksheet (xlsx.openpyxl_sheets).  Same
sheet names, titles, rows (values equal and of the same type) and merged ranges, on: the demo
inventory, workbooks written by ``netconsol generate``, the messy generated workbooks of
test_sheets_parity, workbooks made here with openpyxl, and hand-written Excel-like packages (shared
strings, rich text, formulas with cached values, number formats, 1904 dates, odd cell shapes).
Files the fast reader does not take on (rich inline strings, unknown cell types, broken XML...) must
raise Unsupported from fast_sheets, and read_sheets / collect_sheet must still give what openpyxl
gives, or fail the way the openpyxl reader fails.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Font

import sheets_reference as ref
from netconsol.collectors import xlsx
from netconsol.collectors.sheets import collect_sheet, read_grids
from test_sheets_parity import _messy_grid, _xlsx_value, assert_same

ROOT = Path(__file__).resolve().parents[1]


def _same(fast, reference):
    (a_sheets, a_names), (b_sheets, b_names) = fast, reference
    assert a_names == b_names
    assert [s[0] for s in a_sheets] == [s[0] for s in b_sheets]
    for (title, rows, merged), (_t, ref_rows, ref_merged) in zip(a_sheets, b_sheets):
        assert len(rows) == len(ref_rows), title
        for i, (row, ref_row) in enumerate(zip(rows, ref_rows)):
            assert row == ref_row, (title, i + 1, row, ref_row)
            assert [type(v) for v in row] == [type(v) for v in ref_row], (title, i + 1, row, ref_row)
        assert [str(r) for r in merged] == [str(r) for r in ref_merged], title


def check_fast(path):
    """The fast reader takes the file on and gives what openpyxl gives."""
    fast = xlsx.fast_sheets(path)
    _same(fast, xlsx.openpyxl_sheets(path))
    return fast


def check_fallback(path):
    """The fast reader declines the file; read_sheets still gives what openpyxl gives."""
    with pytest.raises(xlsx.Unsupported):
        xlsx.fast_sheets(path)
    _same(xlsx.read_sheets(path), xlsx.openpyxl_sheets(path))


def same_collect(path, source="x.xlsx", sheet=None, slow=False):
    """collect_sheet gives the same rows as the frozen reference collector (openpyxl reader); a
    workbook the fast reader declines (*slow*) also gets one info issue saying so, and only then."""
    got = collect_sheet(path, source, sheet=sheet)
    said = [i for i in got.tables.get("issues", []) if i["code"] == "xlsx-read-by-openpyxl"]
    assert len(said) == (1 if slow else 0), said
    if said:
        assert said[0]["severity"] == "info" and said[0]["source"] == source and "openpyxl" in said[0]["message"]
        got.tables["issues"].remove(said[0])
        if not got.tables["issues"]:
            del got.tables["issues"]
    assert_same(got, ref.collect_sheet(path, source, sheet=sheet))


# --- real and generated workbooks -------------------------------------------------------------------
DEMO_XLSX = sorted((ROOT / "inventories").rglob("*.xlsx"))


@pytest.mark.parametrize("path", DEMO_XLSX, ids=lambda p: p.name)
def test_demo_workbooks(path):
    sheets, _names = check_fast(path)
    assert any(rows for _t, rows, _m in sheets)


def test_demo_has_merged_cells_and_title_rows():
    merged = [m for p in DEMO_XLSX for _t, _r, ms in xlsx.fast_sheets(p)[0] for m in ms]
    assert merged


def test_generated_city_workbooks(tmp_path):
    from netconsol.generate import generate_city

    generate_city(tmp_path / "city", seed=4242, scale=2.0)
    paths = sorted((tmp_path / "city").rglob("*.xlsx"))
    assert len(paths) >= 2
    for p in paths:
        check_fast(p)
        same_collect(p, p.name)


def _messy_workbook(path, seed):
    r = random.Random(seed)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, title in enumerate(["专网", "互联网出口", "Sheet3"]):
        ws = wb.create_sheet(title)
        for row in _messy_grid(seed * 10 + k, 250):
            ws.append([_xlsx_value(r, v) for v in row])
        for _ in range(15):
            top = r.randrange(4, 200)
            col = r.randrange(1, 6)
            ws.merge_cells(start_row=top, start_column=col, end_row=top + r.randrange(1, 4), end_column=col)
    wb.create_sheet("empty").append(["a", "b"])
    wb.save(path)


@pytest.mark.parametrize("seed", range(3))
def test_messy_generated_workbooks(tmp_path, seed):
    p = tmp_path / "网络自查表.xlsx"
    _messy_workbook(p, seed)
    check_fast(p)
    same_collect(p)
    same_collect(p, sheet="互联网出口")


# --- workbooks made with openpyxl -------------------------------------------------------------------
def test_values_formats_and_shapes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["XX区网络自查表"])
    ws.append([])
    ws.append(["单位", "数量", "比例", "日期", "时间", "时长", "金额", "布尔", "空"])
    rows = [
        ["  前后空格  ", 1, 0.5, dt.date(2027, 6, 30), dt.time(8, 30, 15), dt.timedelta(hours=30, minutes=5),
         1234.5, True, None],
        ["多行\n文本\r\n第三行", -7, 1.25, dt.datetime(2026, 1, 2, 3, 4, 5), dt.time(0, 0), dt.timedelta(0),
         0, False, None],
        ["中文（全角）　空格", 10 ** 15, 1e-9, dt.datetime(1900, 1, 1), dt.time(23, 59, 59, 500000),
         dt.timedelta(days=2, seconds=1), -0.0, None, ""],
        ["x005F_ and _x000D_ and &<>\"'", 2 ** 40, float("1e300"), dt.date(1900, 3, 1), None, None, 3, None, " "],
        ["\t", 0, -1.5, dt.datetime(2100, 12, 31, 23, 59, 59), None, None, None, None, None],
    ]
    for row in rows:
        ws.append(row)
    for r in range(4, 4 + len(rows)):
        ws.cell(r, 3).number_format = "0.00%"
        ws.cell(r, 4).number_format = 'yyyy"年"m"月"d"日"'
        ws.cell(r, 5).number_format = "h:mm:ss"
        ws.cell(r, 6).number_format = "[h]:mm:ss"
        ws.cell(r, 7).number_format = '#,##0.00 "元"'
    ws.cell(20, 15).font = Font(bold=True)  # a styled empty cell far away: part of the extent
    ws.cell(12, 3, "中间有空行和空列")
    ws.cell(14, 700, "很宽的稀疏行")
    ws.merge_cells("A1:I1")
    ws.merge_cells("C25:E27")  # merged beyond the data
    wb.create_sheet("只有标题").append(["只有一行标题"])
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append(["hidden", 1])
    wb.create_sheet("空表")
    notes = wb.create_sheet("批注")
    notes["B2"] = "x"
    notes["F9"].comment = Comment("a comment on an empty cell", "me")
    notes["H3"].hyperlink = "https://example.org/"
    merged_only = wb.create_sheet("只有合并")
    merged_only.merge_cells("B2:C3")
    p = tmp_path / "formats.xlsx"
    wb.save(p)
    sheets, names = check_fast(p)
    assert names == ["数据", "只有标题", "隐藏", "空表", "批注", "只有合并"]
    data = sheets[0][1]
    assert data[3][3] == dt.datetime(2027, 6, 30) and isinstance(data[3][5], dt.timedelta)
    assert len(data[13]) == 700
    assert sheets[3][1] == []
    same_collect(p)
    for name in names:
        same_collect(p, sheet=name)


def test_1904_dates(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["日期", dt.datetime(2027, 6, 30, 12), dt.date(1904, 1, 2), 5])
    ws["B1"].number_format = "yyyy-mm-dd hh:mm"
    ws["C1"].number_format = "yyyy-mm-dd"
    p = tmp_path / "mac.xlsx"
    wb.save(p)
    sheets, _ = check_fast(p)
    assert sheets[0][1][0][1] == dt.datetime(2027, 6, 30, 12)


def test_rich_inline_text_falls_back(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗"), " tail"])
    ws["A2"] = "plain"
    p = tmp_path / "rich.xlsx"
    wb.save(p)
    check_fallback(p)
    same_collect(p, slow=True)


def test_sheet_filter_and_missing_sheet_message(tmp_path):
    p = tmp_path / "two.xlsx"
    _messy_workbook(p, 9)
    assert [g[0] for g in read_grids(p, "Sheet3")] == ["Sheet3"]
    with pytest.raises(FileNotFoundError) as e:
        read_grids(p, "nope")
    with pytest.raises(FileNotFoundError) as e_ref:
        ref.read_grids(p, "nope")
    assert str(e.value) == str(e_ref.value)
    same_collect(p, sheet="nope")


# --- hand-written Excel-like packages ----------------------------------------------------------------
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
NS_X14AC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
            'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"')
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {NS}><numFmts count="3">
<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="#,##0.00&quot;元&quot;"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def _package(path, sheets, strings=None, date1904=False, hidden=(), raw_strings=None, sheet_rels=None):
    """An Excel-like package: *sheets* is [(title, <sheetData> inner XML, extra XML after it)];
    *sheet_rels*: relationships of the first sheet."""
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/>',
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.styles+xml"/>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">',
            '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'styles" Target="styles.xml"/>']
    wb_sheets = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (title, data, extra) in enumerate(sheets, 1):
            ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                      f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
            rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
            state = ' state="hidden"' if title in hidden else ""
            wb_sheets.append(f'<sheet name="{title}" sheetId="{i}"{state} r:id="rId{i}"/>')
            z.writestr(f"xl/worksheets/sheet{i}.xml",
                       f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet {NS} {NS_R} {NS_X14AC}>'
                       f'<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                       f'<sheetFormatPr defaultRowHeight="13.5" x14ac:dyDescent="0.15"/>'
                       f"<sheetData>{data}</sheetData>{extra}"
                       f'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                       f"</worksheet>")
        if strings is not None or raw_strings is not None:
            ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.spreadsheetml.sharedStrings+xml"/>')
            rels.append('<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/sharedStrings" Target="sharedStrings.xml"/>')
            body = raw_strings if raw_strings is not None else "".join(strings)
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                                               f'<sst {NS} count="9" uniqueCount="9">{body}</sst>')
        if sheet_rels:
            z.writestr("xl/worksheets/_rels/sheet1.xml.rels",
                       '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f"{sheet_rels}</Relationships>")
        z.writestr("xl/styles.xml", STYLES)
        pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr defaultThemeVersion="124226"/>'
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                                      f"<workbook {NS} {NS_R}>{pr}<sheets>{''.join(wb_sheets)}</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", "".join(rels) + "</Relationships>")
        z.writestr("[Content_Types].xml", "".join(ct) + "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


STRINGS = ["<si><t>单位名称</t></si>", '<si><t xml:space="preserve">  前后空格 \n 换行  </t></si>',
           "<si><t>IP地址段</t></si>", "<si><t/></si>",
           "<si><t>a &amp; b &lt;c&gt; &#x4E2D;&#25991; x005F_y _x000D_</t></si>",
           "<si><t>运营商</t></si>",
           "<si><t>10.1.1.0/24</t></si>", "<si><t>电信</t></si>", "<si><t>line\r\nend\rx</t></si>"]
EXCEL_ROWS = (
    '<row r="1" spans="1:6" ht="20.25" customHeight="1" x14ac:dyDescent="0.25">'
    '<c r="A1" s="0" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>5</v></c>'
    '<c r="D1" s="3"/><c r="E1" t="inlineStr"><is><t>内联</t></is></c></row>'
    '<row r="2" spans="1:6" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>6</v></c>'
    '<c r="C2" t="s"><v>7</v></c><c r="D2" s="3"><v>46568</v></c><c r="E2" s="2"><v>0.65</v></c>'
    '<c r="F2"><f>D2+1</f><v>46569</v></c></row>'
    '<row r="4" spans="1:6"><c r="A4" t="s"><v>4</v></c><c r="B4" t="str"><f>A4&amp;"x"</f><v>a &amp; bx</v></c>'
    '<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D4" t="b"><v>1</v></c><c r="E4" t="b"><v>0</v></c>'
    '<c r="F4" s="1"><f t="shared" ref="F4:F6" si="0">D2+2</f><v>46570</v></c></row>'
    '<row r="5"><c r="F5" s="1"><f t="shared" si="0"/><v>46571.5</v></c><c r="A5" t="s"><v>3</v></c>'
    '<c r="B5" s="4"><v>0.5</v></c><c r="C5" s="5"><v>1.25</v></c><c r="D5" s="6"><v>1234567.891</v></c>'
    '<c r="E5" s="7"><v>45000.75</v></c></row>'
    '<row r="6"><c r="A6" t="s"><v>8</v></c><c r="B6"><v>1E+20</v></c><c r="C6"><v>-3</v></c>'
    '<c r="D6"><v>2.5e-3</v></c><c r="E6" t="str"><v></v></c><c r="F6" s="1"><f t="shared" si="0"/></c></row>'
    '<row r="7" spans="1:6" hidden="1"><c r="H7" t="inlineStr"><is><t xml:space="preserve"> 中文 </t></is></c></row>'
    '<row r="9"></row>'
    '<row r="10"><c t="inlineStr"><is><t>no coordinate</t></is></c><c><v>5</v></c><c r="E10"><v>6</v></c>'
    '<c><v>7</v></c></row>'
    '<row><c r="B11" t="d"><v>2027-06-30T08:00:00</v></c><c r="C11" t="inlineStr"><is><t/></is></c>'
    '<c r="D11" t="inlineStr"/><c r="E11" t="s"/><c r="F11" t="n"><v/></c></row>'
    '<row r="12">\n  <c r="A12" s="2" t="n"><v>1</v></c>\n</row>'
    '<row r="3" spans="1:2"><c r="A3" t="s"><v>7</v></c></row>'
)


def test_excel_like_package(tmp_path):
    p = tmp_path / "excel.xlsx"
    _package(p, [("自查表", EXCEL_ROWS, '<mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells>'),
                 ("空格", '<row r="1"><c r="A1" t="s"><v>1</v></c></row>', ""),
                 ("隐藏表", '<row r="1"><c r="A1" t="s"><v>7</v></c></row>', ""),
                 ("空", "", "")], STRINGS, hidden=("隐藏表",))
    assert len(xlsx._shared_strings(zipfile.ZipFile(p).read("xl/sharedStrings.xml"))) == len(STRINGS)  # fast too
    sheets, names = check_fast(p)
    rows = sheets[0][1]
    assert rows[1][0] is None  # merged into A1 (read_grids fills it)
    assert rows[3][0] == "a & b <c> 中文 y _x000D_" and rows[2][0] == "电信"
    assert sheets[1][1] == [["  前后空格 \n 换行  "]]
    assert rows[3][1] == "a & bx" and rows[3][2] == "#DIV/0!" and rows[3][3] is True
    assert rows[9][:6] == ["no coordinate", 5, None, None, 6, 7]
    same_collect(p)


def test_hyperlinks_on_empty_filled_and_merged_cells(tmp_path):
    """openpyxl gives an empty cell with a hyperlink the link's target as value, and such cells
    (also on a merged range, or beyond the data) are part of the extent."""
    p = tmp_path / "links.xlsx"
    links = ('<hyperlinks><hyperlink ref="A1" r:id="rIdH"/><hyperlink ref="B1" r:id="rIdH"/>'
             '<hyperlink ref="D2" location="S!A1" display="go"/><hyperlink ref="H9" r:id="rIdH"/>'
             '<hyperlink ref="C3:C4" r:id="rIdH"/><hyperlink ref="F2" r:id="rIdH"/></hyperlinks>')
    rels = ('<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'hyperlink" Target="https://example.org/a?b=1&amp;c=2" TargetMode="External"/>')
    data = ('<row r="1"><c r="A1" t="inlineStr"><is><t>has text</t></is></c><c r="B1" s="0"/></row>'
            '<row r="2"><c r="A2"><v>1</v></c><c r="E2" t="inlineStr"><is><t>top</t></is></c></row>')
    _package(p, [("S", data, '<mergeCells count="1"><mergeCell ref="E2:F3"/></mergeCells>' + links)],
             sheet_rels=rels)
    sheets, _ = check_fast(p)
    rows = sheets[0][1]
    assert rows[0][:2] == ["has text", "https://example.org/a?b=1&c=2"] and len(rows) == 9
    same_collect(p)


@pytest.mark.filterwarnings("ignore:Unknown extension is not supported")
def test_page_breaks_stay_fast_but_rows_outside_sheet_data_fall_back(tmp_path):
    """<rowBreaks> is no row; a <row> elsewhere (openpyxl reads it, wherever it is) is left to openpyxl."""
    p = tmp_path / "breaks.xlsx"
    data = '<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="B3"><v>2</v></c></row>'
    _package(p, [("S", data, '<rowBreaks count="1" manualBreakCount="1"><brk id="2" max="16383" man="1"/>'
                             '</rowBreaks>')])
    check_fast(p)
    _package(p, [("S", data, '<extLst><ext uri="x"><row r="9"><c r="A9"><v>9</v></c></row></ext></extLst>')])
    check_fallback(p)


def test_excel_like_1904(tmp_path):
    p = tmp_path / "mac.xlsx"
    _package(p, [("S", '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="7"><v>45000.5</v></c>'
                       '<c r="C1" s="4"><v>0.25</v></c></row>', "")], date1904=True)
    check_fast(p)


def test_rich_shared_strings_read_by_openpyxl_but_cells_fast(tmp_path):
    p = tmp_path / "rich.xlsx"
    rich = ('<si><r><rPr><b/><sz val="11"/></rPr><t>加粗</t></r><r><t xml:space="preserve"> 普通 </t></r></si>'
            '<si><t>plain</t><rPh sb="0" eb="1"><t>ピン</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>')
    _package(p, [("S", '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>', "")],
             raw_strings=rich)
    sheets, _ = check_fast(p)
    assert sheets[0][1] == [["加粗 普通 ", "plain"]]


@pytest.mark.parametrize("data", [
    '<row r="1"><c r="A1" t="x"><v>1</v></c></row>',                      # unknown cell type
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c></row>',  # rich inline string
    '<row r="1"><c r="A1"><v>1</v><extLst/></c></row>',                   # unexpected child
    '<row r="1"><!-- note --><c r="A1"><v>1</v></c></row>',               # comment among cells
    '<row r="1"><c r="A1" s="1"><v>99999999</v></c></row>',               # date out of range: '#VALUE!'
    '<row r="1"><c r="A0"><v>1</v></c><c r="B1"><v>2</v></c></row>',      # row 0 (openpyxl keeps the cell)
])
def test_odd_cells_fall_back(tmp_path, data):
    p = tmp_path / "odd.xlsx"
    _package(p, [("S", data, "")])
    with pytest.raises(xlsx.Unsupported):
        xlsx.fast_sheets(p)
    with pytest.warns(UserWarning) if "99999999" in data else _nothing():
        same_collect(p, slow=True)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# --- broken files: the same issue row as the openpyxl reader ------------------------------------------
@pytest.mark.parametrize("data", [
    '<row r="1"><c r="A1"><v>1</v></c>',                                  # row not closed
    '<row r="1"><c r="A1"><v>1</v></c></row></row>',                      # extra end tag
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a &nbsp; b</t></is></c></row>',  # undefined entity
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a &#1; b</t></is></c></row>',    # forbidden character
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a \x01 b</t></is></c></row>',    # raw control character
    '<row r="1"><c r="A1" t="s"><v>5</v></c></row>',                      # no such shared string
    '<row r="1"><c r="A1"><v>abc</v></c></row>',                           # not a number
    '<row r="1"><c r="A1" s="42"><v>1</v></c></row>',                      # no such style
    '<row r="1" ht="tall"><c r="A1"><v>1</v></c></row>',                   # bad row height
    '<row r="1" ht="14" x14ac:dyDescent="0.2"><c r="A1"><v>1</v></c></row>'
    '<row r="2" ht="x" x14ac:dyDescent="0.2"><c r="A2"><v>1</v></c></row>',  # bad height on a later row
    '<row r="1" spans="1:1" r="2"><c r="A1"><v>1</v></c></row>',           # repeated row attribute
    '<row r="1" s="9" customFormat="1"><c r="A1"><v>1</v></c></row>',       # no such row style
    '<row r="x"><c r="A1"><v>1</v></c></row>',                             # bad row number
    '<row r="1"><c r="A1" foo:bar="1"><v>1</v></c></row>',                 # unbound prefix
    '<row r="1"><c r="A1" r="B1"><v>1</v></c></row>',                      # repeated attribute
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a ]]> b</t></is></c></row>',  # ']]>' in text
])
def test_broken_sheets_fail_as_with_openpyxl(tmp_path, data):
    p = tmp_path / "broken.xlsx"
    _package(p, [("S", data, "")])
    with pytest.raises(Exception):
        xlsx.fast_sheets(p)
    with pytest.raises(Exception):
        xlsx.openpyxl_sheets(p)
    same_collect(p, "broken.xlsx")
    assert collect_sheet(p, "broken.xlsx").tables["files"][0]["status"] == "failed"


def test_not_a_zip_and_truncated_zip(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_bytes(b"not a zip at all")
    same_collect(p, "fake.xlsx")
    good = tmp_path / "good.xlsx"
    _messy_workbook(good, 1)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:5000])
    same_collect(cut, "cut.xlsx")
    rows = collect_sheet(cut, "cut.xlsx")
    assert rows.tables["files"][0]["status"] == "failed"


def test_fast_reader_used_on_the_bench_shape(tmp_path):
    """The benchmark's workbook shape (openpyxl write-only, inline strings) stays on the fast path."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_sheets import make_xlsx
    finally:
        sys.path.pop(0)
    p = tmp_path / "sheet.xlsx"
    make_xlsx(p, 500)
    check_fast(p)
    same_collect(p, "bench")


def test_shared_string_parsing_matches_openpyxl():
    from openpyxl.reader.strings import read_string_table

    body = "".join(STRINGS) + '<si><t xml:space="preserve">\t</t></si>\n<si><t>&#13;&#10;</t></si>'

    raw = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {NS}>{body}</sst>'.encode()
    assert xlsx._shared_strings(raw) == read_string_table(io.BytesIO(raw))
