"""netconsol scan / history / diff: the one-command job and progress tracking."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import NetconsolError
from . import PlatformChoice

DEFAULT_DB_NAME = "netconsol-history.sqlite"


def default_db(out: Path) -> Path:
    """The history database beside --out (a sibling of the output directory)."""
    out = Path(out)
    return (out.parent if str(out.parent) else Path(".")) / DEFAULT_DB_NAME


@click.command()
@click.argument("inventory", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output directory: snapshot/, plans/, report, topology.html.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help=f"History database (default: {DEFAULT_DB_NAME} beside --out).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Report language (default: zh for Chinese inventories).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Rules directory replacing the shipped rules/ (per file).")
@click.option("--platform", type=PlatformChoice(),
              help="Parse every config with this platform instead of auto-detecting.")
@click.option("--no-history", is_flag=True, help="Do not record the scan in the history database.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any error-level issue was found.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Local processes parsing files (default: one per core from 200 files; 1 = this process).")
@click.option("--dask", "dask", metavar="ADDRESS",
              help="Parse files on a dask.distributed cluster: a scheduler address or 'local' "
                   "(pip install 'netconsol[dask]').")
def scan(inventory, out, db, lang, rules_dir, platform, no_history, strict, workers, dask):
    """Run the whole job on an inventory: collect, analyze, both plans, topology, report.

    Writes OUT/snapshot (tables), OUT/plans (merge and exit plans: md, xlsx,
    json, csv), OUT/report.md and OUT/report.xlsx (自查报告), OUT/topology.html,
    and records the scan in the history database.

    \b
    Example:
      netconsol scan inventories/zaozhuang-demo --out out/
      netconsol history --db netconsol-history.sqlite
    """
    from ..scan import run_scan

    if workers and dask:
        raise click.UsageError("--workers and --dask: choose one (dask workers are the cluster's)")
    bar = {}

    def progress(stage, n=None, total=None):
        if stage == "collect" and total:
            if "collect" not in bar:
                bar["collect"] = click.progressbar(length=total, label="collect", file=click.get_text_stream("stderr"))
                bar["collect"].__enter__()
            bar["collect"].update(n or 1)
        else:
            if "collect" in bar:
                bar.pop("collect").__exit__(None, None, None)
            click.echo(f"... {stage}", err=True)

    result = run_scan(inventory, out, rules_dir=rules_dir, lang=lang, platform=platform,
                      db=None if no_history else (db or default_db(out)), progress=progress, workers=workers,
                      dask=dask)
    for line in result.summary_lines():
        click.echo(line)
    if strict and result.errors:
        raise SystemExit(1)


@click.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_DB_NAME),
              show_default=True, help="History database.")
@click.option("--scope", help="A district, or 'dept:NAME' (or a department's name), to follow instead of the "
                              "city: its scorecard figures over time. An unknown scope is an error listing "
                              "the known ones.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def history(db, scope, fmt):
    """List recorded scans with their metrics over time.

    \b
    Example:
      netconsol history --db netconsol-history.sqlite
      netconsol history --scope 薛城区
      netconsol history --scope dept:市公安局
    """
    from ..history import HistoryDB
    from ..render.tables import table_text

    if not db.is_file():
        raise NetconsolError(f"no history database at {str(db)!r} (netconsol scan records one beside --out)")
    h = HistoryDB(db)
    try:
        scans = h.scans()
        if scope is not None:
            scope = _known_scope(scope, h.scopes())
        metrics = h.metrics(scope)
    finally:
        h.close()
    if scans.empty:
        click.echo("(no scans recorded)")
        return
    view = scans[["id", "started", "inventory", "snapshot", "devices", "networks", "exits", "conflicts", "issues"]]
    if scope is not None:  # the scans' row counts are the city's: a scope shows its own figures only
        view = scans[["id", "started"]]
    if not metrics.empty:
        # a metric of the same name (exits, conflicts) is the analysed figure: it replaces the row count
        m = metrics.drop(columns=["started"])
        view = view.drop(columns=[c for c in m.columns if c in view.columns and c != "scan"])
        view = view.merge(m, left_on="id", right_on="scan", how="left").drop(columns=["scan"])
    if scope is not None:
        from ..analyze.scorecard import progress_over_time

        view = progress_over_time(view)  # the scorecard's figures, with progress since the first scan listed
    click.echo(table_text(view, fmt), nl=False)


def _known_scope(scope: str, known: list) -> str:
    """*scope* as the history records it (a department's bare name is taken for 'dept:NAME'),
    else an error listing the scopes it knows."""
    if scope in known:
        return scope
    if f"dept:{scope}" in known:
        return f"dept:{scope}"
    districts = [k for k in known if not k.startswith("dept:")]
    depts = [k for k in known if k.startswith("dept:")]
    raise NetconsolError(f"--scope {scope!r}: no such scope in the history; known: the city and districts "
                         f"{', '.join(districts) or '(none)'}; departments {', '.join(depts) or '(none)'}")


@click.command()
@click.argument("scan_a")
@click.argument("scan_b")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_DB_NAME),
              show_default=True, help="History database to resolve scan ids.")
@click.option("--table", "tables", multiple=True,
              type=click.Choice(["units", "devices", "networks", "prefixes", "exits", "conflicts", "metrics"]),
              help="Only these tables (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def diff(scan_a, scan_b, db, tables, fmt):
    """Show what changed between two scans (ids from 'netconsol history', or snapshot paths).

    \b
    Example:
      netconsol diff 1 2
      netconsol diff out-may/snapshot out-june/snapshot --table exits
    """
    from ..history import HistoryDB, diff_snapshots
    from ..inventory import Inventory
    from ..render.tables import table_text

    def resolve(ref):
        if str(ref).isdigit():
            if not db.is_file():
                raise NetconsolError(f"scan id {ref} given but no history database at {str(db)!r}")
            h = HistoryDB(db)
            try:
                return h.snapshot_of(ref)
            finally:
                h.close()
        return Path(ref)

    a, b = Inventory.load(resolve(scan_a)), Inventory.load(resolve(scan_b))
    d = diff_snapshots(a, b, tables or None)
    if d.empty:
        click.echo("no changes")
        return
    click.echo(table_text(d, fmt), nl=False)


commands = [scan, history, diff]
