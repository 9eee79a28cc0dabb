"""Collectors: sources in, one Inventory out.

``collect(sources)`` accepts files and directories.  A directory holding an
``inventory.yaml`` is an inventory: its ``configs/`` and ``sheets/`` folders are
read, and the manifest attributes rows to districts, departments and networks.
Any other directory is walked: ``.csv``/``.xlsx``/``.xls``/``.ods`` files are sheets, every other
file is tried as a device config.
"""
from __future__ import annotations

import os
from itertools import repeat
from pathlib import Path

from .. import normalize as nz
from .. import schema
from ..attribute import attribute
from ..errors import CollectError
from ..inventory import Inventory, Rows
from ..manifest import MANIFEST_NAMES, load_manifest
from ..rules import load_columns, rules_path
from .configs import collect_config
from .declared import DECLARED, fold_declared
from .exit_evidence import judge_rows, load_exit_evidence
from ..normalize.vocabulary import load_vocabulary
from ..platforms.base import gc_paused
from .sheets import SHEET_SUFFIXES, Known, collect_sheet

__all__ = ["collect", "collect_rows", "discover"]

_SKIP_NAMES = {"inventory.yaml", "inventory.yml", "hosts.yaml", "hosts.yml", "ground_truth.json",
               "README.md", "readme.md", ".gitkeep"}
_SKIP_DIRS = {"rules", ".git", "__pycache__", "live"}


# the inventory's declared input folders: either may be a link to a folder kept elsewhere (a
# backup tree), which is followed; a file link inside one must stay inside its resolved folder
_SOURCE_DIRS = ("configs", "sheets")


class Found(tuple):
    """What :func:`discover` returns, (manifest, base, sheets, configs), with ``refused``:
    [(relative path, why)] of files not read (links leading out of their folder)."""
    refused: list = []


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _files_under(root: Path, exclude=frozenset(), refused: list | None = None) -> list[tuple[str, ...]]:
    """Relative parts of the files to read under *root*, in ``sorted(root.rglob("*"))`` order:
    regular files (or links to one), not in a skipped folder, not named like a manifest or
    hidden.  Folders are not followed through links (as rglob), except ``configs/`` and
    ``sheets/`` themselves.  A file link resolving outside its folder's resolved root (the
    inventory, or the resolved ``configs/`` / ``sheets/``) is not read: *refused* gets it.
    Paths in *exclude* (resolved: the scan's own --out, history database) are skipped.  One
    scandir per folder: a province's 23,000 files cost no Path objects."""
    found = []

    def walk(folder: str, folder_real: str, prefix: tuple, allowed: str):
        # folder_real: the folder's resolved path; an entry that is not a link resolves to
        # folder_real/name, so os.path.realpath (an lstat per path component) is only asked of links
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except PermissionError:
            return
        for e in entries:
            try:
                link = e.is_symlink()
                top_source = not prefix and e.name in _SOURCE_DIRS and link and e.is_dir()
                if e.is_dir(follow_symlinks=False) or top_source:
                    real = os.path.realpath(e.path) if link else os.path.join(folder_real, e.name)
                    if e.name not in _SKIP_DIRS and real not in exclude:
                        walk(e.path, real, prefix + (e.name,), real if top_source or (not prefix and e.name in
                                                                                        _SOURCE_DIRS) else allowed)
                elif e.is_file() and e.name not in _SKIP_NAMES and not e.name.startswith("."):
                    if link or exclude:
                        real = os.path.realpath(e.path) if link else os.path.join(folder_real, e.name)
                        if real in exclude:
                            continue
                        if link and not _inside(real, allowed):
                            if refused is not None:
                                refused.append(("/".join(prefix + (e.name,)),
                                                f"a link resolving outside {'/'.join(prefix[:1]) or 'the inventory'}"
                                                f" ({real})"))
                            continue
                    found.append(prefix + (e.name,))
            except OSError:
                continue
    root_real = os.path.realpath(root)
    walk(str(root), root_real, (), root_real)
    found.sort()
    return found


def discover(sources, exclude=()):
    """(manifest path or None, base dir, [sheet files], [config files]) for *sources*, as a
    :class:`Found` (``.refused``: files not read).  *exclude*: paths never read (a scan's
    --out folder and history database, when they sit inside the inventory)."""
    manifest = None
    sheets, configs = [], []
    base = None
    refused = []
    skip = frozenset(os.path.realpath(x) for x in exclude)
    for s in sources:
        p = Path(s)
        if not p.exists():
            raise CollectError(f"source {str(p)!r} does not exist")
        if p.is_dir():
            base = base or p
            for name in MANIFEST_NAMES:
                if (p / name).is_file():
                    manifest = manifest or p / name
            for parts in _files_under(p, skip, refused):
                f = p.joinpath(*parts)
                (sheets if f.suffix.lower() in SHEET_SUFFIXES else configs).append((f, "/".join(parts)))
        else:
            if p.name in MANIFEST_NAMES:
                manifest = manifest or p
                continue
            (sheets if p.suffix.lower() in SHEET_SUFFIXES else configs).append((p, p.name))
    found = Found((manifest, base, sheets, configs))
    found.refused = refused
    return found


_STATE: dict = {}
PARALLEL_MIN_FILES = 200
DASK_CONNECT_TIMEOUT = "20s"     # how long --dask ADDRESS waits for the scheduler


def _workers(n_jobs: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    if n_jobs < PARALLEL_MIN_FILES:
        return 1
    return min(os.cpu_count() or 1, 8)


def _init_worker(columns, carriers, platform, known=None, vocabulary=None, parent=None, columnar=False):
    import gc

    from ..workers import die_with_parent

    die_with_parent(parent)
    gc.enable()     # a forked worker inherits the parent's paused collector (collect_rows): its own is on
    _STATE.update(columns=columns, carriers=carriers, platform=platform, known=known, vocabulary=vocabulary,
                  columnar=columnar)


# tables nothing edits once a file is parsed (attribution and exit verdicts read them at most):
# gathered column by column, they cross from the workers as lists and are typed once per column
COLUMNAR = ("interfaces", "vrfs", "routes", "nat", "bgp", "neighbors")


def _as_columns(out: Rows) -> None:
    """Move *out*'s COLUMNAR tables from row dicts into ``out.columns``."""
    for table in COLUMNAR:
        part = out.tables.pop(table, None)
        if part:
            out.extend_columns(table, schema.columns_of(table, part))


def _collect_chunk(chunk):
    out = Rows()
    for kind, path, src in chunk:
        if kind == "sheet":
            out.update(collect_sheet(Path(path), src, _STATE["columns"], _STATE["carriers"],
                                     known=_STATE.get("known"), vocabulary=_STATE.get("vocabulary")))
        else:
            out.update(collect_config(path, src, _STATE["platform"], _STATE["carriers"], judge=False))
    if _STATE.get("columnar"):
        _as_columns(out)
    return dict(out.tables), out.columns, len(chunk)


def _collect_chunk_with(state, chunk):
    """:func:`_collect_chunk` on a dask worker: the shared state comes with the task (scattered
    once to every worker), not from a pool initializer."""
    _STATE.update(state)
    return _collect_chunk(chunk)


def _dask_client(address: str):
    """A dask.distributed client: ``local`` starts a LocalCluster on 127.0.0.1 (one worker process
    per core), anything else is a scheduler address (``tcp://host:8786``)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CollectError("--dask needs dask.distributed: pip install 'netconsol[dask]'") from None
    if address == "local":
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, host="127.0.0.1",
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT), None
    except (OSError, TimeoutError, ValueError) as e:
        raise CollectError(f"--dask {address!r}: cannot reach the dask scheduler ({e})") from None


def _run_on_dask(address, chunks, state):
    """Each chunk parsed by a dask worker, results yielded in input order (as the local pool)."""
    client, cluster = _dask_client(address)
    try:
        shared = client.scatter(state, broadcast=True)
        futures = client.map(_collect_chunk_with, [shared] * len(chunks), chunks, pure=False)
        for f in futures:
            yield f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather(rows: Rows, results, progress) -> None:
    """Chunks' results (tables, columns, files), in input order, into *rows*."""
    for tables, cols, n in results:
        for name, part in tables.items():
            rows.extend(name, part)
        for name, part in cols.items():
            rows.extend_columns(name, part)
        if progress:
            progress(n)


# the main process holds every parsed row (millions of acyclic dicts and lists) while it gathers,
# attributes and types them: the cyclic collector would walk them all again at each full collection
@gc_paused
def collect_rows(sources, platform: str | None = None, rules_dir=None, progress=None,
                 workers: int | None = None, found=None, dask: str | None = None, columnar: bool = False) -> Rows:
    """Rows of every source, attributed.  *workers*: processes for parsing files (default: one
    per core when there are at least PARALLEL_MIN_FILES files; 1 = in this process).  *dask*: a
    dask.distributed scheduler address (or ``local``) to parse the files on instead; the files must
    be readable by the workers at the same paths.  *found*: what ``discover(sources)`` returned,
    if the caller has it already.  *columnar*: the COLUMNAR tables in ``rows.columns`` (what
    :func:`collect` types), not as row dicts."""
    found = found or discover(sources)
    manifest_path, base, sheets, configs = found
    inv_dir = manifest_path.parent if manifest_path else base
    columns = load_columns(rules_path("columns.yaml", rules_dir, inv_dir))
    carriers = nz.Carriers.load(rules_path("carriers.yaml", rules_dir, inv_dir))
    manifest = load_manifest(manifest_path) if manifest_path else None
    vocabulary = load_vocabulary(rules_path("vocabulary.yaml", rules_dir, inv_dir))
    known = Known(manifest)
    rows = Rows()
    for src, why in getattr(found, "refused", ()):
        rows.issue(src, "file", "error", "link-outside-source", f"not read: {why}",
                   expected="a file inside the inventory's configs/ or sheets/ folder")
    jobs = [("sheet", str(p), src) for p, src in sheets] + [("config", str(p), src) for p, src in configs]
    workers = _workers(len(jobs), workers)
    if dask:
        # files are independent: chunks of them go to the cluster, results come back in order
        size = max(16, min(256, len(jobs) // 64 or 16))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        state = dict(columns=columns, carriers=carriers, platform=platform, known=known, vocabulary=vocabulary,
                     columnar=columnar)
        _gather(rows, _run_on_dask(dask, chunks, state), progress)
    elif workers <= 1:
        for kind, path, src in jobs:
            if kind == "sheet":
                rows.update(collect_sheet(Path(path), src, columns, carriers, known=known, vocabulary=vocabulary))
            else:
                rows.update(collect_config(path, src, platform, carriers, judge=False))
            if progress:
                progress(1)
    else:
        # files are independent: parse them in worker processes, chunk by chunk, and put the
        # chunks back in input order so the result does not depend on who finished first
        from concurrent.futures import ProcessPoolExecutor

        size = max(16, min(256, len(jobs) // (workers * 8) or 16))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=(columns, carriers, platform, known, vocabulary, os.getpid(),
                                           columnar)) as pool:
            _gather(rows, pool.map(_collect_chunk, chunks), progress)
    if columnar:
        _as_columns(rows)       # what this process parsed itself (workers=1): the same form
    if manifest:
        rows.add("files", {"source": manifest.path.name, "kind": "manifest", "platform": "yaml", "status": "parsed"})
    sheet_rows = sum(int(f.get("accepted") or 0) for f in rows["files"] if f.get("kind") == "sheet")
    if not rows["devices"] and not sheet_rows:
        where = str(inv_dir) if inv_dir is not None else ", ".join(map(str, sources))
        rows.issue(manifest_path.name if manifest_path else where, "", "error", "empty-inventory",
                   f"the inventory {where!r} yielded no device and no sheet row ({len(configs)} config files, "
                   f"{len(sheets)} sheets read)", value=where,
                   expected="config backups under configs/ and self-inspection sheets under sheets/")
    fold_declared(rows)   # a 设备 sheet's device that a config has is that device (collectors/declared.py)
    _unique_devices(rows)
    attribute(rows, manifest)
    rows.tables.pop(DECLARED, None)
    # exit verdicts again, now that the manifest says whose address space is whose
    judge_rows(rows, manifest, load_exit_evidence(rules_path("exit_evidence.yaml", rules_dir, inv_dir)))
    _unique_keys(rows)
    return rows


@gc_paused
def collect(sources, platform: str | None = None, rules_dir=None, progress=None,
            workers: int | None = None, found=None, dask: str | None = None) -> Inventory:
    """One Inventory from files and directories; bad files become issues, never exceptions."""
    return Inventory.from_rows(collect_rows(sources, platform, rules_dir, progress, workers, found, dask,
                                            columnar=True))


def _unique_devices(rows: Rows):
    """Two configs with the same hostname: the second device is renamed 'HOST@source' and flagged."""
    seen = {}
    renamed = {}
    for d in rows["devices"]:
        if d["device"] in seen:
            new = f"{d['device']}@{d['source']}"
            rows.issue(d["source"], "file", "warning", "duplicate-hostname",
                       f"hostname {d['device']!r} also in {seen[d['device']]}; this one is named {new!r}",
                       column="hostname", value=d["device"])
            renamed[(d["source"], d["device"])] = new
            d["device"] = new
        else:
            seen[d["device"]] = d["source"]
    if renamed:
        for cols in rows.columns.values():
            if "device" in cols and "source" in cols:
                cols["device"] = [renamed.get(k, k[1]) for k in zip(cols["source"], cols["device"])]
        for table in ("interfaces", "vrfs", "routes", "nat", "bgp", "prefixes", "exits", "exit_candidates"):
            for r in rows[table]:
                new = renamed.get((r.get("source"), r.get("device")))
                if new:
                    r["device"] = new
                    if table == "exits" or (table == "exit_candidates" and r.get("exit")):
                        r["exit"] = f"C-{new}:{r['interface']}"


def _key_text(values: list) -> list:
    """``[str(v or "") for v in values]``; text and None cells (the usual ones) without a call each."""
    types = set(map(type, values))
    if types <= {str}:
        return values
    if types <= {str, type(None)}:
        return [v or "" for v in values]
    return [str(v or "") for v in values]


def _key_tuples(part: list, key) -> list:
    """Each row's key as text: ``tuple(str(r.get(c, "") or "") for c in key)``, column by column."""
    return list(zip(*(_key_text(list(map(dict.get, part, repeat(c)))) for c in key)))


def _key_tuples_columns(cols: dict, key) -> list:
    """:func:`_key_tuples` of a table gathered column by column."""
    return list(zip(*(_key_text(cols[c]) for c in key)))


def _unique_keys(rows: Rows):
    """The contract's keys are unique: a repeated row is kept once and reported."""
    for table, cols in rows.columns.items():
        spec = schema.TABLES[table]
        keys = _key_tuples_columns(cols, spec.key)
        if len(set(keys)) == len(keys):
            continue
        seen = set()
        keep = []
        for i, k in enumerate(keys):
            if k in seen:
                rows.issue(cols["source"][i] or "", cols["location"][i] or "", "warning", "duplicate-row",
                           f"{table}: a row with the same {', '.join(spec.key)} already exists; kept once",
                           value=" ".join(k))
                continue
            seen.add(k)
            keep.append(i)
        rows.columns[table] = {c: [v[i] for i in keep] for c, v in cols.items()}
    for table, spec in schema.TABLES.items():
        if table == "issues" or table not in rows.tables:
            continue
        part = rows[table]
        keys = _key_tuples(part, spec.key)
        if len(set(keys)) == len(keys):     # the usual case: nothing repeated
            continue
        seen = set()
        kept = []
        for r, k in zip(part, keys):
            if k in seen:
                rows.issue(r.get("source", ""), r.get("location", ""), "warning", "duplicate-row",
                           f"{table}: a row with the same {', '.join(spec.key)} already exists; kept once",
                           value=" ".join(k))
                continue
            seen.add(k)
            kept.append(r)
        rows.tables[table] = kept
    seen = set()
    kept = []
    issues = rows["issues"]
    for r, k in zip(issues, zip(*(map(dict.get, issues, repeat(c), repeat("")) for c in schema.TABLES["issues"].key))):
        if k not in seen:
            seen.add(k)
            kept.append(r)
    rows.tables["issues"] = kept
