"""Formula cells a workbook holds without a cached value.

A sheet saved by a program that does not calculate (a script, some exporters) keeps
``=A1&B1`` but no result; every reader then sees an empty cell, and a row loses its IP range
without a word.  :func:`uncached_formulas` lists those cells so the collector can warn.
"""
from __future__ import annotations

import posixpath
import re
import zipfile

__all__ = ["uncached_formulas"]

_SHEET = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_RID_FIRST = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_TARGET_FIRST = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL = re.compile(r'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_REF = re.compile(r'\br="([A-Z]{1,3}[0-9]{1,7})"')
_UNESCAPE = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


def _text(s: str) -> str:
    for a, b in _UNESCAPE:
        s = s.replace(a, b)
    return s


def uncached_formulas(path, limit: int = 1000) -> list[tuple[str, str]]:
    """[(sheet title, cell reference)] of formula cells without a cached value, in sheet order
    (at most *limit*); [] for a file that is not a readable workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            targets = dict(_REL.findall(rels)) or {i: t for t, i in _REL_TARGET_FIRST.findall(rels)}
            sheets = _SHEET.findall(book) or [(n, i) for i, n in _SHEET_RID_FIRST.findall(book)]
            found = []
            for name, rid in sheets:
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                if part not in z.namelist():
                    continue
                xml = z.read(part).decode("utf-8", "replace")
                if "<f" not in xml and ":f" not in xml:
                    continue
                for m in _CELL.finditer(xml):
                    body = m.group(2) or ""
                    if re.search(r"<(?:\w+:)?f\b", body) and not re.search(r"<(?:\w+:)?v>[^<]", body):
                        ref = _REF.search(m.group(1))
                        found.append((_text(name), ref.group(1) if ref else "?"))
                        if len(found) >= limit:
                            return found
            return found
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return []
