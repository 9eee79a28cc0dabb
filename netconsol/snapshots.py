"""The history's own copies of snapshots, stored by content.

A scan writes ``OUT/snapshot``; the next scan into the same ``--out`` overwrites it.  So that
history keeps what it points at, each recorded scan's snapshot is also copied into a store
beside the history database, in a folder named after the SHA-256 of its files (names and
bytes): two scans of the same inputs share one copy, and a copy is never rewritten.  The
history records the copy's path relative to the database's folder, so ``netconsol diff``
resolves it from any working directory, and after the database's folder moves as a whole.

Layout, beside ``netconsol-history.sqlite``::

    netconsol-history.snapshots/<sha256>/snapshot.json, units.csv, ...
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import InventoryError

__all__ = ["store_dir", "keep_snapshot", "snapshot_digest", "stored_path", "resolve_snapshot"]


def store_dir(db) -> Path:
    """The snapshot store of the history database *db*."""
    db = Path(db)
    return db.parent / f"{db.stem}.snapshots"


def snapshot_digest(snapshot) -> str:
    """SHA-256 over the snapshot's files, in name order (name, length, bytes)."""
    snapshot = Path(snapshot)
    h = hashlib.sha256()
    for f in sorted(p for p in snapshot.iterdir() if p.is_file()):
        data = f.read_bytes()
        h.update(f.name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return h.hexdigest()


def stored_path(db, digest: str) -> str:
    """Where the store of *db* keeps the snapshot whose :func:`snapshot_digest` is *digest*,
    relative to the database's folder, as the history records it."""
    return (store_dir(db) / digest).relative_to(Path(db).parent).as_posix()


def keep_snapshot(db, snapshot, digest: str | None = None) -> str:
    """Copy *snapshot* into the store of *db* (unless a copy with the same content is there) and
    return its path relative to the database's folder, as the history records it.  *digest*: its
    :func:`snapshot_digest`, if the caller has it (taken from a copy with the same files)."""
    snapshot = Path(snapshot)
    if not (snapshot / "snapshot.json").is_file():
        raise InventoryError(f"{str(snapshot)!r} is not a snapshot: no snapshot.json")
    digest = digest or snapshot_digest(snapshot)
    store = store_dir(db)
    target = store / digest
    if not (target / "snapshot.json").is_file():
        store.mkdir(parents=True, exist_ok=True)
        # copied beside the target, then renamed: a reader never sees half a copy
        tmp = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=store))
        try:
            for f in sorted(p for p in snapshot.iterdir() if p.is_file()):
                shutil.copyfile(f, tmp / f.name)
            try:
                os.replace(tmp, target)
            except OSError:
                if not (target / "snapshot.json").is_file():  # not a concurrent writer of the same copy
                    raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return stored_path(db, digest)


def resolve_snapshot(db, recorded: str) -> Path:
    """The snapshot folder a history row names: relative paths are relative to the database's
    folder (rows written before the store existed were relative to where the scan ran: those
    are tried as given when the database-relative path does not exist)."""
    p = Path(recorded)
    if p.is_absolute():
        return p
    beside = Path(db).parent / p
    return beside if beside.exists() else p
