"""Limits on a workbook, checked on the zip itself before any spreadsheet reader opens it.

A few kilobytes of XLSX can ask a reader for gigabytes: one cell at XFD1048576 (a grid of 17
billion cells), ``<mergeCell ref="A20:XFD3000"/>`` (48 million cells to fill), a shared-strings
part that inflates from 7 MB to 2 GB.  :func:`check_xlsx` streams the parts (never holding one
whole), measuring what they expand to, the extent of the cells they address and the area of
their merged ranges; over a limit it raises :class:`SheetTooLarge` ("sheet too large: ...").
It knows nothing of the reader that comes after, so whichever reader is used is protected.

A legacy ``.xls`` (BIFF8 in an OLE2 compound file) is no zip: :func:`check_xls` caps its size
and walks the records of its workbook stream (read with olefile) before python-calamine opens
it, since calamine builds every sheet's whole grid when the workbook is opened: 5.6 KB of .xls
with a cell at A1 and one at IV65536 took 529 MB at open and 1.17 GB once read, and a workbook
holds up to 65,535 such sheets.  The extent of each sheet's cells (and its DIMENSIONS record),
the sum of the grids over all sheets (all built at once), its merged
ranges and the strings table's declared count (calamine reserves room for that many
strings up front) are checked against the same limits.
"""
from __future__ import annotations

import os
import re
import struct
import zipfile

__all__ = ["check_xlsx", "check_xls", "SheetTooLarge", "MAX_UNZIPPED", "MAX_SHARED_STRINGS", "MAX_CELLS",
           "MAX_MERGED", "MAX_XLS_BYTES"]

MAX_UNZIPPED = 400 * 1024 * 1024        # bytes all parts expand to
MAX_SHARED_STRINGS = 200 * 1024 * 1024  # bytes of xl/sharedStrings.xml
MAX_CELLS = 10_000_000                  # rows x columns of a sheet's grid, as readers build it
MAX_MERGED = 2_000_000                  # cells covered by a sheet's merged ranges
MAX_XLS_BYTES = 64 * 1024 * 1024        # size of a legacy .xls file (a clerk's form is a few hundred KB)
_CHUNK = 1 << 20

# any number of letters and digits: a mutated r="B1234567890" must be seen, not skipped (python-calamine
# aborts the process trying to allocate its grid: 1.6 TB asked for, in the fuzz run)
# the r="..." of every cell ("B12") and row ("12"): <c ...> and <row ...> found from their literal
# start, namespaced ones (<x:c ...>) from the colon (a colon is rare in a sheet, so that scan is
# quick; it may also see ":c r=..." in text, which can only make the check stricter).  Two
# scans with a literal start instead of one with an optional prefix at every "<": 0.35 s, not
# 0.8 s, on a 100,000-row sheet's 79 MB
_REFS = (re.compile(rb"<(?:c|row)\b[^>]*?\br=\"([A-Z]*)([0-9]+)\""),
         re.compile(rb":(?:c|row)\b[^>]*?\br=\"([A-Z]*)([0-9]+)\""))
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?\"")
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384   # the largest grid Excel, WPS and every reader know


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
            # every XML part: a sheet is wherever the workbook's relationships point, not only xl/worksheets/
            is_sheet = name.endswith(".xml")
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
                        # every reference of the chunk at once (findall, in C), then its largest
                        # row number and column: a sheet's million cells make no match objects
                        for refs in (_REFS[0].findall(data), _REFS[1].findall(data)):
                            if not refs:
                                continue
                            letters, numbers = zip(*refs)
                            max_row = max(max_row, max(map(int, numbers)))
                            max_col = max(max_col, max(map(_col, set(letters) - {b""}), default=0))
                        for m in _MERGE.finditer(data) if b"mergeCell" in data else ():
                            c1, r1 = _col(m.group(1)), int(m.group(2))
                            c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                            merged += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
                            max_row, max_col = max(max_row, r1, r2), max(max_col, c1, c2)
                        # a declared <dimension> may span the whole grid (whole rows formatted) and
                        # readers do not build it: only a reference beyond Excel's grid is refused
                        dim_row = dim_col = 0
                        for m in _DIMENSION.finditer(data) if b"dimension" in data else ():
                            c1, r1 = _col(m.group(1)), int(m.group(2))
                            c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                            dim_row, dim_col = max(dim_row, r1, r2), max(dim_col, c1, c2)
                        if max(max_row, dim_row) > EXCEL_ROWS or max(max_col, dim_col) > EXCEL_COLUMNS:
                            raise SheetTooLarge(f"sheet too large: {name} addresses row "
                                                f"{max(max_row, dim_row):,}, column {max(max_col, dim_col):,} "
                                                f"(a sheet has at most {EXCEL_ROWS:,} rows and "
                                                f"{EXCEL_COLUMNS:,} columns)")
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


# BIFF8 record types (MS-XLS 2.3): cells whose first two fields are row and column
_XLS_CELLS = frozenset((0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6))
_XLS_MULRK, _XLS_MULBLANK, _XLS_MERGED = 0x00BD, 0x00BE, 0x00E5
_XLS_DIMENSIONS, _XLS_SST, _XLS_BOF, _XLS_EOF = 0x0200, 0x00FC, 0x0809, 0x000A


def check_xls(path) -> None:
    """Raise :class:`SheetTooLarge` when the legacy .xls at *path* is over a limit: the file's
    size, a sheet's grid (rows x columns its cells and DIMENSIONS reach), its merged cells, or a
    strings table declaring more strings than its stream could hold.  A file that is not an
    OLE2 compound file, or has no workbook stream, is left for the reader to reject."""
    import olefile

    size = os.path.getsize(path)
    if size > MAX_XLS_BYTES:
        raise SheetTooLarge(f"sheet too large: the .xls file is {size:,} bytes (limit {MAX_XLS_BYTES:,})")
    try:
        if not olefile.isOleFile(str(path)):
            return
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book", "WORKBOOK", "BOOK") if ole.exists(n)), None)
            if name is None:
                return
            data = ole.openstream(name).read(MAX_XLS_BYTES + 1)
    except (OSError, ValueError, struct.error, IndexError, KeyError, RuntimeError):
        return  # a broken compound file: the reader reports it
    if len(data) > MAX_XLS_BYTES:
        raise SheetTooLarge(f"sheet too large: the .xls workbook stream is over {MAX_XLS_BYTES:,} bytes")
    sheet, max_row, max_col, merged, grids = 0, 0, 0, 0, 0
    unpack = struct.unpack_from
    off, end = 0, len(data)
    while off + 4 <= end:
        rtype, rlen = unpack("<HH", data, off)
        body = off + 4
        off = body + rlen
        if off > end:
            break  # a truncated record: the reader reports it
        if rtype in _XLS_CELLS and rlen >= 4:
            r, c = unpack("<HH", data, body)
            max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
        elif rtype in (_XLS_MULRK, _XLS_MULBLANK) and rlen >= 6:
            r, = unpack("<H", data, body)
            c, = unpack("<H", data, off - 2)     # the last column ends the record
            max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
        elif rtype == _XLS_DIMENSIONS and rlen >= 12:
            _r0, r1, _c0, c1 = unpack("<IIHH", data, body)
            max_row, max_col = max(max_row, r1), max(max_col, c1)
        elif rtype == _XLS_MERGED and rlen >= 2:
            n, = unpack("<H", data, body)
            for i in range(min(n, (rlen - 2) // 8)):
                r0, r1, c0, c1 = unpack("<HHHH", data, body + 2 + 8 * i)
                merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
                max_row, max_col = max(max_row, r0 + 1, r1 + 1), max(max_col, c0 + 1, c1 + 1)
            if merged > MAX_MERGED:
                raise SheetTooLarge(f"sheet too large: sheet {sheet} of the .xls merges {merged:,} cells "
                                    f"(limit {MAX_MERGED:,})")
        elif rtype == _XLS_SST and rlen >= 8:
            _total, unique = unpack("<II", data, body)
            # each string takes at least 3 bytes (length and flags) of what is left of the stream
            if unique > (end - body) // 3 + 1:
                raise SheetTooLarge(f"sheet too large: the .xls strings table declares {unique:,} strings in "
                                    f"{end - body:,} bytes")
        elif rtype == _XLS_BOF:
            max_row = max_col = merged = 0
        elif rtype == _XLS_EOF:
            sheet += 1
            grids += max_row * max_col
            max_row = max_col = merged = 0
        if max_row * max_col > MAX_CELLS:
            raise SheetTooLarge(f"sheet too large: sheet {sheet} of the .xls spans {max_row:,} rows x "
                                f"{max_col:,} columns (limit {MAX_CELLS:,} cells)")
        if grids + max_row * max_col > MAX_CELLS:
            # calamine builds every sheet's grid when the workbook opens: the limit is the workbook's
            raise SheetTooLarge(f"sheet too large: the .xls sheets' grids add up to over {MAX_CELLS:,} cells "
                                f"({sheet} sheets)")
