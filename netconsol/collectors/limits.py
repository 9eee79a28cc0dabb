"""Limits on a workbook, checked on the zip itself before any spreadsheet reader opens it.

A few kilobytes of XLSX can ask a reader for gigabytes: one cell at XFD1048576 (a grid of 17
billion cells), ``<mergeCell ref="A20:XFD3000"/>`` (48 million cells to fill), a shared-strings
part that inflates from 7 MB to 2 GB.  :func:`check_xlsx` streams the parts (never holding one
whole), measuring what they expand to, the extent of the cells they address and the area of
their merged ranges; over a limit it raises :class:`SheetTooLarge` ("sheet too large: ...").
It knows nothing of the reader that comes after, so whichever reader is used is protected.
"""
from __future__ import annotations

import re
import zipfile

__all__ = ["check_xlsx", "SheetTooLarge", "MAX_UNZIPPED", "MAX_SHARED_STRINGS", "MAX_CELLS", "MAX_MERGED"]

MAX_UNZIPPED = 400 * 1024 * 1024        # bytes all parts expand to
MAX_SHARED_STRINGS = 200 * 1024 * 1024  # bytes of xl/sharedStrings.xml
MAX_CELLS = 10_000_000                  # rows x columns of a sheet's grid, as readers build it
MAX_MERGED = 2_000_000                  # cells covered by a sheet's merged ranges
_CHUNK = 1 << 20

_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,9})\"")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"([0-9]{1,9})\"")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})([0-9]{1,9})(?::([A-Z]{1,3})([0-9]{1,9}))?\"")


class SheetTooLarge(ValueError):
    """A workbook over a limit; the message starts with 'sheet too large:'."""


def _col(letters: bytes) -> int:
    n = 0
    for b in letters:
        n = n * 26 + (b - 64)
    return n


def check_xlsx(path) -> None:
    """Raise :class:`SheetTooLarge` when the workbook at *path* is over a limit; a file that is
    not a zip is left for the reader to reject with its own error."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with zf:
        total = 0
        for info in zf.infolist():
            name = info.filename
            is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            is_strings = name.lower().endswith("sharedstrings.xml")
            limit = MAX_SHARED_STRINGS if is_strings else MAX_UNZIPPED
            if info.file_size > limit or total + info.file_size > MAX_UNZIPPED:
                raise SheetTooLarge(f"sheet too large: part {name} declares {info.file_size:,} bytes "
                                    f"(limit {limit:,}; all parts {MAX_UNZIPPED:,})")
            max_row = max_col = merged = 0
            tail = b""
            size = 0
            try:
                with zf.open(info) as f:
                    while True:
                        chunk = f.read(_CHUNK)
                        if not chunk:
                            break
                        size += len(chunk)
                        total += len(chunk)
                        if size > limit or total > MAX_UNZIPPED:
                            raise SheetTooLarge(f"sheet too large: part {name} expands past {min(limit, MAX_UNZIPPED):,} "
                                                f"bytes (a zip bomb?)")
                        if not is_sheet:
                            continue
                        data = tail + chunk
                        for m in _ROW.finditer(data):
                            max_row = max(max_row, int(m.group(1)))
                        for m in _CELL.finditer(data):
                            max_row = max(max_row, int(m.group(2)))
                            max_col = max(max_col, _col(m.group(1)))
                        for m in _MERGE.finditer(data):
                            c1, r1 = _col(m.group(1)), int(m.group(2))
                            c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                            merged += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
                            max_row, max_col = max(max_row, r1, r2), max(max_col, c1, c2)
                        if merged > MAX_MERGED:
                            raise SheetTooLarge(f"sheet too large: {name} merges {merged:,} cells "
                                                f"(limit {MAX_MERGED:,})")
                        if max_row * max_col > MAX_CELLS:
                            raise SheetTooLarge(f"sheet too large: {name} spans {max_row:,} rows x {max_col:,} "
                                                f"columns (limit {MAX_CELLS:,} cells)")
                        # a tag cut by the chunk boundary is matched whole with the next chunk
                        cut = data.rfind(b"<")
                        tail = data[cut:] if cut >= 0 and b">" not in data[cut:] and len(data) - cut < 4096 else b""
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
                return  # a broken or encrypted part: the reader reports it
