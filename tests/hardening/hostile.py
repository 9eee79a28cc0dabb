"""Hostile inputs of issue 20 (problem 6), built small and on the fly: XLSX workbooks that ask a
reader for gigabytes, YAML alias bombs.  Also used by benchmarks/fuzz.py."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl


def _base_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "局域网及专网"
    ws.append(["序号", "单位", "区（市）", "网络名称", "IP地址段"])
    ws.append([1, "市财政局", "市中区", "财政专网", "10.1.0.0/20"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, edit, extra: dict | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in (extra or {}):
                continue
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = edit(body.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, body)
        for name, writer in (extra or {}).items():
            with dst.open(name, "w") as f:
                writer(f)
    return out.getvalue()


def merge_bomb() -> bytes:
    return _rewrite(_base_xlsx(), lambda x: x.replace("</sheetData>", "</sheetData><mergeCells count=\"1\">"
                                                      "<mergeCell ref=\"A20:XFD3000\"/></mergeCells>"))


def far_cell() -> bytes:
    return _rewrite(_base_xlsx(), lambda x: x.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))


def beyond_grid() -> bytes:
    """A cell reference past Excel's grid (a 10-digit row, as a mutation leaves it): python-calamine
    tries to allocate the grid and aborts the whole process (seen in the 100,000-input fuzz run)."""
    return _rewrite(_base_xlsx(), lambda x: x.replace(
        "</sheetData>", '<row r="1234567890"><c r="B1234567890" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))


def strings_bomb(mb: int = 260) -> bytes:
    block = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">')

    def write(f):
        f.write(head)
        chunk = block * 1024
        for _ in range(mb):
            f.write(chunk)
        f.write(b"</sst>")
    return _rewrite(_base_xlsx(), lambda x: x, {"xl/sharedStrings.xml": write})


def yaml_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(levels):
        p, n = chr(97 + i), chr(98 + i)
        lines.append(f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def write_all(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, fn in (("merge-bomb.xlsx", merge_bomb), ("far-cell.xlsx", far_cell), ("strings-bomb.xlsx", strings_bomb),
                     ("beyond-grid.xlsx", beyond_grid)):
        p = folder / name
        p.write_bytes(fn())
        made[name] = p
    return made
