"""Scan history: each scan recorded in an embedded SQLite database, and diffs between scans.

The database holds one row per scan (when, which inventory, where its snapshot
is, a hash of the inputs, and the city-level metrics) and the metrics table of
every scan, so progress can be listed over time without opening snapshots.
``diff_snapshots`` compares two snapshots table by table on content keys,
ignoring provenance (a line moving in a file is not a change in the network).
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .errors import InventoryError
from .inventory import Inventory

__all__ = ["HistoryDB", "diff_snapshots", "DIFF_KEYS", "inputs_digest"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,          -- UTC ISO time the scan ran
    inventory TEXT NOT NULL,        -- inventory directory as given
    snapshot TEXT NOT NULL,         -- the history's copy of the snapshot (relative to the database's folder)
    inputs_sha1 TEXT NOT NULL,      -- hash of every input file (path + bytes)
    devices INTEGER, networks INTEGER, prefixes INTEGER, exits INTEGER, conflicts INTEGER, issues INTEGER
);
CREATE TABLE IF NOT EXISTS scan_metrics (
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    scope TEXT NOT NULL, level TEXT, metric TEXT NOT NULL, value REAL, numerator REAL, denominator REAL,
    PRIMARY KEY (scan_id, scope, metric)
);
"""

# content keys per table for diffs: what identifies "the same thing" across scans
DIFF_KEYS = {
    "units": ("unit",),
    "devices": ("device",),
    "networks": ("network",),
    "prefixes": ("prefix", "network", "vrf", "device", "interface", "origin"),
    "exits": ("exit",),
    "conflicts": ("conflict",),
    "metrics": ("scope", "metric"),
}
_IGNORED = {"source", "location", "confidence"}


def inputs_digest(paths) -> str:
    h = hashlib.sha1()
    for p in sorted(Path(p) for p in paths):
        h.update(p.as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class HistoryDB:
    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = sqlite3.connect(self.path)
            self.con.executescript(SCHEMA)
        except sqlite3.DatabaseError as e:
            raise InventoryError(f"{self.path}: not a netconsol history database ({e})") from None

    def close(self):
        self.con.close()

    def _writing(self, commit: bool):
        """``with self.con`` (committed at the end, rolled back on an error), or nothing: the
        caller's transaction stays open."""
        return self.con if commit else nullcontext()

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        self.con.rollback()

    def record(self, inventory: str, snapshot: str, inv: Inventory, digest: str, started: str | None = None,
               commit: bool = True) -> int:
        """Record one scan and its metrics; its id.  *commit*: False leaves the rows in an open
        transaction, for the caller to ``commit()`` once the scan's outputs are in place (or
        ``rollback()``): nothing is visible to a reader before that."""
        started = started or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        counts = inv.counts()
        with self._writing(commit):
            cur = self.con.execute(
                "INSERT INTO scans (started, inventory, snapshot, inputs_sha1, devices, networks, prefixes, exits,"
                " conflicts, issues) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (started, str(inventory), str(snapshot), digest, counts["devices"], counts["networks"],
                 counts["prefixes"], counts["exits"], counts["conflicts"], counts["issues"]))
            scan_id = cur.lastrowid
            self.con.executemany("INSERT INTO scan_metrics VALUES (?,?,?,?,?,?,?)",
                                 _metric_rows(scan_id, inv["metrics"], "metric"))
        return scan_id

    def record_figures(self, scan_id: int, rows: pd.DataFrame, commit: bool = True) -> None:
        """Add figures (scope, level, figure, value, numerator, denominator: the scorecard's) to a
        recorded scan; a (scope, figure) the metrics table already gave keeps that row."""
        with self._writing(commit):
            self.con.executemany("INSERT OR IGNORE INTO scan_metrics VALUES (?,?,?,?,?,?,?)",
                                 _metric_rows(scan_id, rows, "figure"))

    def scopes(self) -> list[str]:
        """Every scope any recorded scan has figures for."""
        return [r[0] for r in self.con.execute("SELECT DISTINCT scope FROM scan_metrics ORDER BY scope")]

    def baseline(self, inventory: str, figures) -> pd.DataFrame:
        """(scope, figure, value) of the first scan of *inventory* that recorded *figures*."""
        marks = ",".join("?" * len(figures))
        row = self.con.execute(
            f"SELECT MIN(s.id) FROM scans s JOIN scan_metrics m ON m.scan_id = s.id "
            f"WHERE s.inventory = ? AND m.metric IN ({marks})", (str(inventory), *figures)).fetchone()
        if not row or row[0] is None:
            return pd.DataFrame(columns=["scope", "figure", "value"])
        return pd.read_sql_query(
            f"SELECT scope, metric AS figure, value FROM scan_metrics WHERE scan_id = ? AND metric IN ({marks}) "
            f"ORDER BY scope, metric", self.con, params=(row[0], *figures))

    def scans(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM scans ORDER BY id", self.con)

    def metrics(self, scope: str | None = None) -> pd.DataFrame:
        """Metrics over time: one row per scan, one column per metric (for *scope*, default the city)."""
        q = "SELECT s.id AS scan, s.started, m.scope, m.level, m.metric, m.value FROM scans s " \
            "JOIN scan_metrics m ON m.scan_id = s.id"
        df = pd.read_sql_query(q, self.con)
        if df.empty:
            return df
        df = df[df.level == "city"] if scope is None else df[df.scope == scope]
        wide = df.pivot_table(index=["scan", "started"], columns="metric", values="value", aggfunc="first")
        return wide.reset_index().rename_axis(columns=None)

    def snapshot_of(self, ref: str) -> Path:
        """A scan id (number) or a snapshot path -> the snapshot directory."""
        if str(ref).isdigit():
            row = self.con.execute("SELECT snapshot FROM scans WHERE id = ?", (int(ref),)).fetchone()
            if not row:
                raise InventoryError(f"no scan {ref} in {self.path} (netconsol history lists them)")
            from .snapshots import resolve_snapshot

            return resolve_snapshot(self.path, row[0])
        return Path(ref)


def _f(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else float(v)


def _metric_rows(scan_id: int, df: pd.DataFrame, name: str):
    """(scan_id, scope, level, *name*, value, numerator, denominator) of each row of *df*, the
    numbers as :func:`_f` gives them; built column by column (a province records ~135,000)."""
    def numbers(s: pd.Series) -> list:
        if s.dtype == "float64":
            return [None if v != v else v for v in s.tolist()]
        return list(map(_f, s.tolist()))

    return zip([scan_id] * len(df), df["scope"].tolist(), df["level"].tolist(), df[name].tolist(),
               numbers(df["value"]), numbers(df["numerator"]), numbers(df["denominator"]))


def _norm(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float):
        return round(v, 9)
    return v.item() if hasattr(v, "item") else v


def diff_snapshots(a: Inventory, b: Inventory, tables=None) -> pd.DataFrame:
    """What changed from *a* to *b*: one row per added, removed or changed thing.

    Columns: table, change (added/removed/changed), key, column, before, after.
    A changed row has one diff row per changed column.
    """
    out = []
    for table in tables or DIFF_KEYS:
        key = list(DIFF_KEYS[table])
        cols = [c for c in a[table].columns if c not in _IGNORED and c not in key]
        da = _index(a[table], key)
        db = _index(b[table], key)
        for k in sorted(set(da) | set(db)):
            label = " | ".join(str(x) for x in k)
            if k not in db:
                out.append((table, "removed", label, "", "", ""))
            elif k not in da:
                out.append((table, "added", label, "", "", ""))
            else:
                ra, rb = da[k], db[k]
                for c in cols:
                    va, vb = _norm(ra[c]), _norm(rb[c])
                    if va != vb:
                        out.append((table, "changed", label, c, "" if va is None else str(va),
                                    "" if vb is None else str(vb)))
    return pd.DataFrame(out, columns=["table", "change", "key", "column", "before", "after"])


def _index(df: pd.DataFrame, key) -> dict:
    rows = {}
    for rec in df.to_dict("records"):
        k = tuple("" if _norm(rec[c]) is None else str(rec[c]) for c in key)
        rows.setdefault(k, rec)
    return rows

