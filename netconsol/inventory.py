"""Inventory: the typed tables of one scan, saved to and loaded from a snapshot directory.

A snapshot is a directory holding one UTF-8 CSV per table (rows sorted by the
table's key, so two snapshots of the same input diff clean) and
``snapshot.json`` naming the tables and their row counts.  Loading casts every
column back to its declared dtype, so save → load gives equal frames.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd

from . import schema
from .errors import InventoryError
from .sanitize import defuse_frame, snapshot_value

__all__ = ["Inventory", "Rows", "SNAPSHOT_FORMAT", "write_csv"]

SNAPSHOT_FORMAT = "netconsol-snapshot"
SNAPSHOT_VERSION = 1


class Rows:
    """Row dicts per table, gathered by collectors before typing (cheap appends).

    ``columns`` holds tables gathered column by column instead ({table: {column: [values]}}):
    collection moves the tables nothing edits after parsing (interfaces, routes, BGP...) that way,
    from the worker processes straight into one typed conversion per column.  A table is in one
    of the two forms, never both."""

    def __init__(self):
        self.tables: dict[str, list[dict]] = defaultdict(list)
        self.columns: dict[str, dict[str, list]] = {}

    def extend_columns(self, table: str, cols: dict) -> None:
        have = self.columns.get(table)
        if have is None:
            self.columns[table] = {k: list(v) for k, v in cols.items()}
        else:
            for k, v in cols.items():
                have[k].extend(v)

    def add(self, table: str, row: dict) -> None:
        self.tables[table].append(row)

    def extend(self, table: str, rows) -> None:
        self.tables[table].extend(rows)

    def update(self, other: "Rows") -> "Rows":
        for name, rows in other.tables.items():
            self.tables[name].extend(rows)
        for name, cols in other.columns.items():
            self.extend_columns(name, cols)
        return self

    def issue(self, source, location, severity, code, message, column="", value="", expected=""):
        self.add("issues", {"source": source, "location": location, "column": column, "severity": severity,
                            "code": code, "message": message, "value": "" if value is None else str(value),
                            "expected": expected})

    def __getitem__(self, table):
        return self.tables[table]


def _sorted(table: str, df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df.reset_index(drop=True)
    # by key only (keys are unique once collected; ties keep arrival order, which is
    # deterministic because sources are read in sorted order)
    key = list(schema.TABLES[table].key)
    order = _key_order(df, key)
    if order is None:
        return df.sort_values(key, kind="mergesort", na_position="first").reset_index(drop=True)
    return df.take(order).reset_index(drop=True)


def _key_order(df: pd.DataFrame, key: list) -> list | None:
    """The row order of ``df.sort_values(key, kind="mergesort")`` by Python's stable sort of the
    key tuples (pandas factorizes each text column first: about twice the time on a province's
    prefixes), or None when a key column is not text or has a missing cell (pandas sorts those)."""
    cols = [df[k] for k in key]
    if not all(isinstance(c.dtype, pd.StringDtype) for c in cols) or any(c.hasnans for c in cols):
        return None
    values = [c.tolist() for c in cols]
    keys = values[0] if len(values) == 1 else list(zip(*values))
    return sorted(range(len(keys)), key=keys.__getitem__)


def _csv_column(s: pd.Series) -> list | None:
    """A column's cells as ``DataFrame.to_csv`` writes them (missing -> ''), or None for a dtype
    not handled here."""
    dt = s.dtype
    if isinstance(dt, pd.StringDtype):
        return s.to_numpy(dtype=object, na_value="").tolist()
    if isinstance(dt, pd.BooleanDtype):
        return ["" if v is None else ("True" if v else "False")
                for v in s.to_numpy(dtype=object, na_value=None).tolist()]
    if isinstance(dt, pd.Int64Dtype):
        return ["" if v is None else str(v) for v in s.to_numpy(dtype=object, na_value=None).tolist()]
    if dt == "float64":
        return ["" if v != v else repr(v) for v in s.tolist()]
    return None


def _csv_specials() -> tuple:
    """Characters that make the csv module (pandas' writer) quote a cell with lineterminator
    '\\n': the delimiter, the quote and '\\n', and '\\r' on Pythons that quote it too."""
    import csv
    import io

    found = []
    for ch in (",", '"', "\n", "\r"):
        f = io.StringIO()
        csv.writer(f, lineterminator="\n").writerow([ch, "x"])
        if f.getvalue().startswith('"'):
            found.append(ch)
    return tuple(found)


_SPECIAL = _csv_specials()


def _quoted(cells: list) -> list:
    """Cells as the csv module's QUOTE_MINIMAL writes them (a column without a delimiter,
    quote or line break anywhere, the usual case, is checked in one pass over its text)."""
    text = "\x00".join(cells)
    if not any(ch in text for ch in _SPECIAL):
        return cells
    return ['"' + v.replace('"', '""') + '"' if any(ch in v for ch in _SPECIAL) else v for v in cells]


def write_csv(df: pd.DataFrame, path) -> None:
    """``df.to_csv(path, index=False, encoding="utf-8", lineterminator="\\n")``, byte for byte
    (tests/test_schema_inventory.py compares them), built column by column: about 3x faster
    on a province's tables.  Other dtypes, or a single column (the csv module quotes a lone
    empty cell): pandas writes the table."""
    cols = [_csv_column(df[c]) for c in df.columns] if df.columns.is_unique and len(df.columns) > 1 else [None]
    if any(c is None for c in cols):
        df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return
    header = ",".join(_quoted([str(c) for c in df.columns]))
    body = "\n".join(map(",".join, zip(*map(_quoted, cols))))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n" + body + "\n" if len(df) else header + "\n")


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _text_columns(table: str) -> list[str]:
    return [c.name for c in schema.TABLES[table].columns if c.dtype == "str"]


class Inventory:
    """The tables of one scan: ``inv["prefixes"]`` is a typed DataFrame."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None):
        self.tables: dict[str, pd.DataFrame] = {}
        for name in schema.TABLES:
            df = (tables or {}).get(name)
            self.tables[name] = _sorted(name, df if df is not None else schema.empty(name))
        extra = set(tables or {}) - set(schema.TABLES)
        if extra:
            raise InventoryError(f"unknown tables {sorted(extra)!r}")

    def replaced(self, **tables: pd.DataFrame) -> "Inventory":
        """A new Inventory holding this one's tables, the ones named replaced (and sorted by key as
        the constructor sorts them); the others are shared, not sorted again."""
        unknown = set(tables) - set(schema.TABLES)
        if unknown:
            raise InventoryError(f"unknown tables {sorted(unknown)!r}")
        new = object.__new__(type(self))
        new.tables = {name: _sorted(name, tables[name]) if name in tables else df for name, df in self.tables.items()}
        return new

    @classmethod
    def from_rows(cls, rows: Rows | dict) -> "Inventory":
        data = rows.tables if isinstance(rows, Rows) else rows
        frames = {name: schema.frame(name, r) for name, r in data.items()}
        for name, cols in (rows.columns.items() if isinstance(rows, Rows) else ()):
            if data.get(name):
                raise InventoryError(f"table {name!r} gathered both as rows and as columns")
            frames[name] = schema.frame_columns(name, cols)
        return cls(frames)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __setitem__(self, name: str, df: pd.DataFrame) -> None:
        if name not in schema.TABLES:
            raise InventoryError(f"unknown table {name!r}")
        self.tables[name] = _sorted(name, df)

    def counts(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.tables.items()}

    def validate(self) -> list[str]:
        problems = []
        for name, df in self.tables.items():
            problems.extend(schema.validate(name, df))
        return problems

    def save(self, path, written: dict | None = None) -> Path:
        """Write the snapshot into *path*: one CSV per table, then ``snapshot.json``.

        *written*: ``{table: (frame, sha256)}`` of tables :meth:`write_tables` has already put into
        *path* (another process may have written them while this one computed the rest); a table is
        skipped only if this inventory still holds that very frame, else it is written again."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        meta = {"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "tables": {}, "sha256": {}}
        written = written or {}
        for name, df in self.tables.items():
            frame, digest = written.get(name, (None, None))
            if frame is not df:
                digest = self.write_tables(path, [name])[name]
            meta["tables"][name] = len(df)
            meta["sha256"][name] = digest
        (path / "snapshot.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path

    def write_tables(self, path, names) -> dict[str, str]:
        """The CSV of each table in *names* into the snapshot folder *path* (as :meth:`save` writes
        them); returns ``{table: sha256 of its file}``.  No ``snapshot.json``: :meth:`save` ends it."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        out = {}
        for name in names:
            # text cells a spreadsheet could take for a formula get a reversible "'" (load removes it)
            write_csv(defuse_frame(self.tables[name], _text_columns(name)), path / f"{name}.csv")
            out[name] = _sha256(path / f"{name}.csv")
        return out

    @classmethod
    def load(cls, path) -> "Inventory":
        path = Path(path)
        meta_file = path / "snapshot.json"
        if not meta_file.is_file():
            raise InventoryError(f"{str(path)!r} is not a snapshot: no snapshot.json (run 'netconsol collect' first)")
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise InventoryError(f"{str(meta_file)!r}: not valid JSON ({e})") from None
        if meta.get("format") != SNAPSHOT_FORMAT:
            raise InventoryError(f"{str(meta_file)!r}: format {meta.get('format')!r}, expected {SNAPSHOT_FORMAT!r}")
        tables = {}
        counts, hashes = meta.get("tables") or {}, meta.get("sha256") or {}
        for name in schema.TABLES:
            f = path / f"{name}.csv"
            if not f.is_file():
                if counts.get(name):
                    raise InventoryError(f"{str(f)!r} is missing; snapshot.json lists {counts[name]} rows "
                                         f"(an incomplete snapshot: scan again)")
                tables[name] = schema.empty(name)
                continue
            # snapshot.json holds each table's rows and digest (older snapshots: rows only)
            if name in hashes and _sha256(f) != hashes[name]:
                raise InventoryError(f"{str(f)!r} does not match snapshot.json (sha256 differs: the file was "
                                     f"changed or cut short after the scan; scan again)")
            if f.stat().st_size == 0:
                if counts.get(name):
                    raise InventoryError(f"{str(f)!r} is empty; snapshot.json lists {counts[name]} rows")
                tables[name] = schema.empty(name)
                continue
            raw = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8")
            if name in counts and len(raw) != counts[name]:
                raise InventoryError(f"{str(f)!r} has {len(raw)} rows; snapshot.json lists {counts[name]} "
                                     f"(an incomplete snapshot: scan again)")
            for c in _text_columns(name):
                if c in raw.columns and raw[c].str.startswith("'").any():
                    raw[c] = raw[c].map(snapshot_value)
            try:
                tables[name] = schema.coerce(name, raw)
            except (ValueError, TypeError) as e:
                raise InventoryError(f"{str(f)!r}: a value does not fit the declared column type ({e})") from None
        return cls(tables)
