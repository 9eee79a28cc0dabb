"""The whole job over one inventory directory: collect, analyze, plan, draw, report, record.

Outputs, all inside ``out``::

    snapshot/                 the inventory tables (CSV) incl. links, conflicts, metrics
    plans/merge-plan.{md,xlsx,json} and plans/merge/*.csv
    plans/exits-plan.{md,xlsx,json} and plans/exits/*.csv
    report.md, report.xlsx    the self-inspection report (自查报告)
    topology.html             interactive topology, current and proposed
    summary.json              the figures printed at the end

Same inputs give byte-identical outputs: nothing here writes a time or a path
that depends on the machine into them (the history database records when).
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import os
import shutil
import pickle
import queue
import re
import threading
import time
import traceback
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InventoryError
from .inventory import Inventory
from .render import outdir
from .workers import die_with_parent

__all__ = ["run_scan", "ScanResult"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
# niceness of the forked workers whose results are waited for late (conflicts, reconciliation,
# exit plan, plan files): the process inferring links and making the merge plan, and then the
# topology page's worker, go first (CFS weights 1024 : 335)
_OFF_CHAIN = 5


@dataclass
class ScanResult:
    out: Path
    inventory: Inventory
    outputs: dict = field(default_factory=dict)   # name -> [paths]
    figures: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)   # stage -> seconds (stages run by workers overlap)
    cpu: dict = field(default_factory=dict)       # stage -> CPU seconds (this process's; topology: its worker's)
    scan_id: int | None = None
    db: Path | None = None

    @property
    def errors(self) -> int:
        return int((self.inventory["issues"].severity == "error").sum())

    def summary_lines(self) -> list[str]:
        f = self.figures
        lines = [
            f"devices {f['devices']}, networks {f['networks']}, prefixes {f['prefixes']}, "
            f"conflicts {f['conflicts']}",
            f"internet exits: {f['exits_before']} before -> {f['exits_after']} after",
            f"towns attached to the extranet: {f['towns_attached']}/{f['towns']}; "
            f"departments connected: {f['departments_connected']}/{f['departments']}",
            f"issues: {f['errors']} errors, {f['warnings']} warnings, {f['info']} info",
        ]
        for name, paths in self.outputs.items():
            shown = paths[0] if len(paths) == 1 else f"{paths[0].parent}/ ({len(paths)} files)"
            lines.append(f"{name:<10} {shown}")
        if self.scan_id is not None:
            lines.append(f"history    scan {self.scan_id} recorded in {self.db}")
        return lines


def _lang_for(inv: Inventory) -> str:
    names = " ".join(inv["units"].name.tolist()[:50] + inv["networks"].name.tolist()[:50])
    return "zh" if _CJK.search(names) else "en"


def run_scan(inventory, out, rules_dir=None, lang=None, platform=None, db=None, progress=None,
             workers: int | None = None, dask: str | None = None) -> ScanResult:
    inventory, out = Path(inventory), Path(out)
    if ".." in out.parts:
        raise InventoryError(f"--out {str(out)!r}: '..' is not allowed; name the output directory directly")
    if out.exists() and not out.is_dir():
        raise InventoryError(f"--out {str(out)!r} exists and is not a folder")
    # one scan at a time per --out; everything is written into a staging folder beside it and
    # put in place at the end (render/outdir.py): --out is the previous scan or this one, whole
    lock = outdir.lock_out(out)
    try:
        outdir.recover(out)
        work = outdir.staging_dir(out)
        try:
            result = _run_scan(inventory, out, work, rules_dir, lang, platform, db, progress, workers, dask)
        finally:
            shutil.rmtree(work, ignore_errors=True)  # gone already when published
    finally:
        lock.release()
    return result


def _not_inputs(out: Path, db) -> list:
    """What a scan writes, never to be read back as input when it sits inside the inventory."""
    paths = [out, *outdir.sidecar_paths(out)]
    if db:
        db = Path(db)
        from .snapshots import store_dir

        paths += [db, db.with_name(db.name + ".lock"), db.with_name(db.name + "-journal"),
                  db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), store_dir(db)]
    return paths


def _run_scan(inventory: Path, final: Path, out: Path, rules_dir, lang, platform, db, progress,
              workers=None, dask=None) -> ScanResult:
    from .pipeline import Pipeline
    from .analyze.overlays import exit_overlay, merge_overlay
    from .deliverables import build_deliverables
    from .render.html import page_base, write_topology_html
    from .render.plans import write_plan
    from .render.report import build_report, report_rows

    say = progress or (lambda *a, **k: None)
    timings, cpu = {}, {}

    t, c = time.perf_counter(), time.process_time()
    pipe = Pipeline(inventory, rules_dir=rules_dir, platform=platform, exclude=_not_inputs(final, db) + [out],
                    workers=workers, dask=dask)
    _manifest, _base, sheets, configs = pipe.found
    total = len(sheets) + len(configs)
    files = [p for p, _ in sheets + configs] + ([_manifest] if _manifest else [])
    hashing = None
    if db:
        # the history's hash of every input file: a forked worker at the lowest priority reads
        # them again, on the core the start and the end of collection leave idle
        from .history import inputs_digest

        hashing = _Background(lambda: inputs_digest(files), "netconsol inputs digest", nice=19)
    try:
        pipe.progress = lambda n: say("collect", n, total)
        inv = pipe.inventory
        timings["collect"] = time.perf_counter() - t
        cpu["collect"] = time.process_time() - c
        if not len(inv["devices"]) and not int(inv["files"].rows.fillna(0).sum()):
            raise InventoryError(f"{str(inventory)!r}: no device config and no sheet row found "
                                 f"({len(configs)} config files, {len(sheets)} sheets read); nothing to scan")
    except BaseException:
        if hashing is not None:
            hashing.cancel()
        raise
    lang = lang or _lang_for(inv)
    with _cyclic_gc_paused():
        # the exit plan reads the collected tables only, and the snapshot's collected tables are
        # final: a forked worker makes the one and writes the others while this process links
        from .analyze import ANALYZED_TABLES

        collected = {name: df for name, df in inv.tables.items() if name not in ANALYZED_TABLES}

        def early_work(collected_inv=inv):
            return pipe.exit_plan(), collected_inv.write_tables(out / "snapshot", collected)

        early = _Background(early_work, "netconsol exit plan and snapshot worker", nice=_OFF_CHAIN)
        say("analyze")
        t, c = time.perf_counter(), time.process_time()
        # the metrics count exits by the exit plan's own rules (the pipeline's).  The conflicts,
        # metrics and reconciliation, which the plans do not read, come from forked workers meanwhile
        exit_rules = pipe.exit_rules
        try:
            inv = pipe.analyzed(run_later=lambda fn: _Background(fn, f"netconsol {getattr(fn, '__name__', '')} worker",
                                                                 nice=_OFF_CHAIN))
        except BaseException:
            for job in (hashing, early):
                if job is not None:
                    job.cancel()
            raise
        timings["analyze"] = time.perf_counter() - t
        cpu["analyze"] = time.process_time() - c

        topology = writer = extra_writer = history = None
        try:
            try:
                city = next(iter(inv["units"][inv["units"].level == "city"].name), "")
                title = f"{city} 网络拓扑" if lang == "zh" else f"{city or inventory.name} network topology"

                def draw(receive):
                    t, c = time.perf_counter(), time.process_time()
                    base = page_base(pipe.graph())      # the graph alone, while the plans are made
                    merge_rows, exit_rows, unified = receive()
                    path = write_topology_html(pipe.graph(), out / "topology.html", base=base, merge=merge_rows,
                                               exits=exit_rows, unified=unified, title=title, lang=lang)
                    return path, time.perf_counter() - t, time.process_time() - c

                # the page needs the graph and then the plans' overlays: a forked worker lays the
                # graph out from now on and draws the page once this process hands it the overlays
                topology = _Background(draw, "netconsol topology worker", inbox=True)
                say("plans")
                t, c = time.perf_counter(), time.process_time()
                merge = pipe.merge_document()
                exits, written = early.result()
                exit_rows, unified = exit_overlay(exits, exit_rules, lang)
                topology.send((merge_overlay(merge, lang), exit_rows, unified))
                timings["plans"] = time.perf_counter() - t
                cpu["plans"] = time.process_time() - c
                out.mkdir(parents=True, exist_ok=True)

                # the plan files need only the plans: a forked worker writes them from now on, while
                # this process waits for the conflicts, makes the deliverables and writes the
                # snapshot and the report

                def write_plans():
                    t, c = time.perf_counter(), time.process_time()
                    plans_dir.mkdir(exist_ok=True)
                    written_by = {}
                    for key, plan in (("merge", merge), ("exits", exits)):
                        written = []
                        for fmt in ("md", "xlsx", "json"):
                            written += write_plan(plan, fmt, plans_dir / f"{key}-plan.{fmt}", lang)
                        written += write_plan(plan, "csv", plans_dir / key, lang)
                        written_by[f"{key} plan"] = written
                    return written_by, time.perf_counter() - t, time.process_time() - c

                plans_dir = out / "plans"
                writer = _Background(write_plans, "netconsol plans writer", nice=_OFF_CHAIN)
                t, c = time.perf_counter(), time.process_time()
                # the conflicts and metrics (the deliverables and figures read them); the
                # reconciliation is waited for by the snapshot, below
                pipe.finish(reconciliation=False)
                timings["analyze"] += time.perf_counter() - t  # waited for: analyze's share of the time
                cpu["analyze"] += time.process_time() - c
            except BaseException:
                pipe.cancel()
                raise

            outputs = {}
            t, c = time.perf_counter(), time.process_time()
            figure_table = _figures(inv, exits, city)  # every city-wide count the outputs state
            # scorecard, milestones, expansion plan (issue 21): own plan files and report sections
            inv_dir = inventory if inventory.is_dir() else inventory.parent
            extra = build_deliverables(inv, pipe.graph(), merge, exits, city=city, db=db, inventory=inventory,
                                       rules_dir=rules_dir, inventory_dir=inv_dir, units=pipe.unit_status())
            timings["deliverables"] = time.perf_counter() - t
            cpu["deliverables"] = time.process_time() - c

            def write_deliverables():
                t, c = time.perf_counter(), time.process_time()
                plans_dir.mkdir(exist_ok=True)
                return extra.write(plans_dir, lang), time.perf_counter() - t, time.process_time() - c

            extra_writer = _Background(write_deliverables, "netconsol deliverables writer")
            t, c = time.perf_counter(), time.process_time()
            pipe.finish()   # the reconciliation table
            timings["analyze"] += time.perf_counter() - t
            cpu["analyze"] += time.process_time() - c
            t, c = time.perf_counter(), time.process_time()
            inv.save(out / "snapshot", written={name: (collected[name], sha) for name, sha in written.items()})
            outputs["snapshot"] = [out / "snapshot"]
            timings["snapshot"] = time.perf_counter() - t
            cpu["snapshot"] = time.process_time() - c
            # the writers' own times, below (keeps the stages' order)
            timings["write plans"] = cpu["write plans"] = timings["write deliverables"] = \
                cpu["write deliverables"] = 0.0

            say("report")
            t, c = time.perf_counter(), time.process_time()
            rows = report_rows(inv)  # both layouts tabulate the same rows
            report_md = build_report(inv, city, merge.tables.get("summary"), exits.tables.get("summary"),
                                     layout="sections", carriers=pipe.carriers, rows=rows, figures=figure_table)
            report_x = build_report(inv, city, merge.tables.get("summary"), exits.tables.get("summary"),
                                    layout="sheets", carriers=pipe.carriers, rows=rows, figures=figure_table)
            _borrow_labels(report_md, merge, exits)
            _borrow_labels(report_x, merge, exits)
            extra.hang_into(report_md)
            extra.hang_into(report_x)
            report = write_plan(report_md, "md", out / "report.md", lang) + \
                write_plan(report_x, "xlsx", out / "report.xlsx", lang)
            timings["report"] = time.perf_counter() - t
            cpu["report"] = time.process_time() - c

            # the workers' own times: stages overlap
            written_by, timings["write plans"], cpu["write plans"] = writer.result()
            outputs.update(written_by)
            written_by, timings["write deliverables"], cpu["write deliverables"] = extra_writer.result()
            outputs.update(written_by)
            outputs["report"] = report
            if db:   # recorded while the page is drawn: committed once the outputs are published
                t, c = time.perf_counter(), time.process_time()
                history = _PendingHistory(db, inventory, out / "snapshot", inv, hashing.result(), extra.history_rows)
                timings["history"], cpu["history"] = time.perf_counter() - t, time.process_time() - c
            say("topology")
            path, timings["topology"], cpu["topology"] = topology.result()
            outputs["topology"] = [path]
        except BaseException:
            if history is not None:
                history.rollback()
            raise
        finally:
            pipe.cancel()   # nothing once finished
            for job in (hashing, early, writer, extra_writer, topology):
                if job is not None:
                    job.cancel()

        t, c = time.perf_counter(), time.process_time()
        from .analyze.figures import as_dict

        figures = as_dict(figure_table)
        (out / "summary.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                          encoding="utf-8")
        outputs["summary"] = [out / "summary.json"]
        timings["summary"] = time.perf_counter() - t
        cpu["summary"] = time.process_time() - c
    try:
        outdir.publish(out, final)
    except BaseException:
        if history is not None:
            history.rollback()
        raise
    outputs = {k: [final / p.relative_to(out) for p in v] for k, v in outputs.items()}
    result = ScanResult(out=final, inventory=inv, outputs=outputs, figures=figures, timings=timings, cpu=cpu)
    if history is not None:
        t, c = time.perf_counter(), time.process_time()
        result.scan_id, result.db = history.commit(final / "snapshot"), Path(db)
        timings["history"] += time.perf_counter() - t
        cpu["history"] += time.process_time() - c
    return result


class _PendingHistory:
    """The scan recorded in the history database *db*, under its lock, in one transaction left
    open: :meth:`commit` (once the outputs are published) keeps the snapshot's copy in the store
    and makes the rows visible; :meth:`rollback` (the scan failed) leaves the database as it was."""

    def __init__(self, db, inventory: Path, snapshot: Path, inv: Inventory, inputs_digest: str, rows):
        from .history import HistoryDB
        from .snapshots import snapshot_digest, stored_path

        db = Path(db)
        self._lock = outdir.PathLock(db.with_name(db.name + ".lock"), f"history database {str(db)!r}", wait=30)
        self._db, self._h = db, None
        try:
            self._h = HistoryDB(db)
            # the history's own copy, stored by content (the next scan into this --out overwrites
            # it): named by the digest of the snapshot's files, taken here before they move
            self._digest = snapshot_digest(snapshot)
            self.scan_id = self._h.record(str(inventory.resolve()), stored_path(db, self._digest), inv, inputs_digest,
                                          commit=False)
            self._h.record_figures(self.scan_id, rows, commit=False)
        except BaseException:
            self.rollback()
            raise

    def commit(self, snapshot: Path) -> int:
        from .snapshots import keep_snapshot

        try:
            keep_snapshot(self._db, snapshot, digest=self._digest)
            self._h.commit()
        except BaseException:
            self.rollback()
            raise
        self._close()
        return self.scan_id

    def rollback(self) -> None:
        if self._h is not None:
            self._h.rollback()
        self._close()

    def _close(self) -> None:
        if self._h is not None:
            self._h.close()
            self._h = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


class _Background:
    """``fn()`` in a forked child process, started now; :meth:`result` waits for its return
    value (pickled back) or raises its exception.  Where processes cannot fork, ``fn`` runs in
    this process when the result is asked for.  *nice*: the child's niceness increment, for work
    off the scan's longest chain (collect, links, merge plan, topology page), which then gets the
    cores first when more processes than cores are ready to run.  *inbox*: ``fn(receive)`` is
    called instead, ``receive()`` waiting for what this process hands it later with :meth:`send`
    (the worker starts on what it has, then takes the rest)."""

    def __init__(self, fn, name: str = "netconsol-worker", nice: int = 0, inbox: bool = False):
        self._fn = fn
        self._name = name
        self._proc = None
        self._inbox = inbox
        self._sent = []
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        take, self._give = ctx.Pipe(duplex=False) if inbox else (None, None)
        parent = os.getpid()

        def run():
            die_with_parent(parent)  # a killed scan leaves no worker behind, writing or not
            if nice:
                os.nice(nice)
            try:
                payload = ("ok", fn(_drained(take)) if inbox else fn(), "")
            except BaseException as e:  # noqa: BLE001 -- handed to the parent, which raises it
                payload = ("error", e, traceback.format_exc())
            if payload[0] == "error":
                try:
                    pickle.loads(pickle.dumps(payload[1]))
                except Exception:  # an exception that does not travel: its text
                    payload = ("error", None, payload[2])
            send.send(payload)
            send.close()

        self._proc = ctx.Process(target=run, name=name, daemon=True)
        self._proc.start()
        send.close()
        if inbox:
            take.close()

    def send(self, obj) -> None:
        """Hand *obj* to the worker's ``receive()`` (an *inbox* worker).  The worker takes it off
        the pipe at once (:func:`_drained`), so this does not wait for the worker to ask for it."""
        if self._proc is None:
            self._sent.append(obj)
        elif self._proc:
            with suppress(BrokenPipeError):   # the worker ended first: result() says how
                self._give.send(obj)

    def result(self):
        if self._proc is None:
            return self._fn(iter(self._sent).__next__) if self._inbox else self._fn()
        try:
            status, value, text = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise RuntimeError(f"{self._name} ended without a result (exit code {self._proc.exitcode})")
        finally:
            self._recv.close()
            if self._inbox:
                self._give.close()
        self._proc.join()
        self._proc = False
        if status == "ok":
            return value
        if value is None:
            raise RuntimeError(f"{self._name} failed:\n{text}")
        raise value

    def cancel(self) -> None:
        """Stop the worker if its result was never asked for (this process failed first)."""
        if self._proc:
            self._proc.terminate()
            self._proc.join()
            self._proc = False
            if self._inbox:
                self._give.close()


def _drained(conn):
    """``receive()`` for an inbox worker: a thread takes each object off *conn* as soon as it is
    sent (a pipe holds 64 KB; the sender would otherwise wait, its objects unread, until the
    worker asks), and ``receive()`` returns them in order."""
    box = queue.SimpleQueue()

    def drain():
        with suppress(EOFError, OSError):   # the sender closed its end: nothing more comes
            while True:
                box.put(conn.recv())

    threading.Thread(target=drain, name="netconsol-inbox", daemon=True).start()
    return box.get


@contextmanager
def _cyclic_gc_paused():
    """The stages after collection create millions of long-lived objects (rows, graph nodes,
    plan tables); CPython's cyclic collector would walk all of them again at every full
    collection (a quarter of those stages' time on a 20,000-device province).  Reference
    counting still frees everything; the collector is back on afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _borrow_labels(report, *plans):
    """The plan summaries keep the labels their own plans give their columns and codes."""
    for p in plans:
        for k, v in p.labels.items():
            report.labels.setdefault(k, v)
        for k, v in p.values.items():
            report.values.setdefault(k, v)
        for k, v in p.formats.items():
            report.formats.setdefault(k, v)


def _figures(inv: Inventory, exit_plan, city: str = ""):
    """The figures table (analyze/figures.py): summary.json, the printed lines and the report read it."""
    from .analyze.figures import compute_figures

    return compute_figures(inv, exit_plan.tables.get("summary"), city)
