"""The netconsol command line: thin click commands over the library.

Library errors (NetconsolError) become one clear line; ``--debug`` shows the
traceback.  Only this module and ``render/`` print or write files.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, schema
from .commands import PlatformChoice
from .errors import NetconsolError

__all__ = ["main", "cli"]


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NetconsolError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(e)) from None
        except OSError as e:  # disk full, read-only or forbidden path: one line, non-zero exit
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f" {e.filename!r}" if e.filename else ""
            raise click.ClickException(f"cannot read or write{where}: {e.strerror or e}") from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="netconsol")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx, debug):
    """netconsol: inventory a city's government networks and plan their consolidation.

    \b
    Example:
      netconsol collect inventories/zaozhuang-demo --out out/snapshot
      netconsol show out/snapshot prefixes
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _file_summaries(inv):
    files = inv["files"]
    lines = []
    for r in files.itertuples(index=False):
        if r.kind == "sheet":
            lines.append(f"  {r.source}: rows {_n(r.rows)}: {_n(r.accepted)} accepted, {_n(r.rejected)} rejected")
        elif r.kind == "config":
            if r.status in ("unrecognized", "failed"):
                lines.append(f"  {r.source}: {r.status}")
            else:
                lines.append(f"  {r.source}: {r.platform} lines {_n(r.lines)}: {_n(r.understood)} understood, "
                             f"{_n(r.ignored)} ignored, {_n(r.unrecognized)} unrecognized")
    return lines


def _n(v):
    return 0 if v is None or v is __import__("pandas").NA else int(v)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Snapshot directory to write (created if missing; replaced whole only once the new snapshot is complete).")
@click.option("--platform", type=PlatformChoice(),
              help="Parse every config with this platform instead of auto-detecting.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Rules directory replacing the shipped rules/ (per file).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any error-level issue was found.")
@click.option("--quiet", "-q", is_flag=True, help="Only the totals, not one line per file.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Local processes parsing files (default: one per core from 200 files; 1 = this process).")
@click.option("--dask", "dask", metavar="ADDRESS",
              help="Parse files on a dask.distributed cluster: a scheduler address (tcp://host:8786) or 'local' "
                   "(pip install 'netconsol[dask]'; workers read the files at the same paths).")
def collect(sources, out, platform, rules_dir, strict, quiet, workers, dask):
    """Read configs, sheets and the manifest into a snapshot directory.

    SOURCES are inventory directories (with inventory.yaml, configs/, sheets/),
    other directories, or single files (.cfg/.txt configs, .csv/.xlsx sheets).

    \b
    Example:
      netconsol collect inventories/zaozhuang-demo --out out/snapshot
      netconsol collect province/ --out out/snapshot --dask tcp://10.0.0.5:8786
    """
    from .collectors import collect as run, discover
    from .render.outdir import sidecar_paths, staged_output

    if workers and dask:
        raise click.UsageError("--workers and --dask: choose one (dask workers are the cluster's)")
    # all or nothing, one writer at a time, as a scan's --out (render/outdir.py); an --out
    # inside a source folder is never read back as input
    with staged_output(out) as work:
        found = discover(sources, exclude=[out, work, *sidecar_paths(out)])
        inv = run(sources, platform=platform, rules_dir=rules_dir, found=found, workers=workers, dask=dask)
        problems = inv.validate()
        if problems:
            raise NetconsolError("collected tables break the contract: " + "; ".join(problems[:3]))
        inv.save(work)
    if not quiet:
        for line in _file_summaries(inv):
            click.echo(line)
    counts = inv.counts()
    sev = inv["issues"]["severity"].value_counts().to_dict()
    click.echo(f"snapshot {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("issues", "files")))
    click.echo(f"issues: {sev.get('error', 0)} errors, {sev.get('warning', 0)} warnings, {sev.get('info', 0)} info "
               f"(netconsol show {out} issues)")
    if strict and sev.get("error", 0):
        sys.exit(1)


@cli.command()
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("table", required=False, type=click.Choice(list(schema.TABLES)))
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--where", "where", multiple=True, metavar="COLUMN=VALUE", help="Keep rows whose column equals value.")
@click.option("--limit", type=int, default=0, help="Print at most this many rows (0 = all).")
def show(snapshot, table, fmt, where, limit):
    """Print a table of a snapshot (without TABLE: the tables and their row counts).

    \b
    Example:
      netconsol show out/snapshot prefixes --where origin=sheet
      netconsol show out/snapshot issues --format csv
    """
    from .inventory import Inventory
    from .render.tables import table_text

    inv = Inventory.load(snapshot)
    if table is None:
        for name, spec in schema.TABLES.items():
            click.echo(f"{name:<11} {len(inv[name]):>8}  {spec.description}")
        return
    df = inv[table]
    for cond in where:
        if "=" not in cond:
            raise click.BadParameter(f"{cond!r}: expected COLUMN=VALUE", param_hint="--where")
        col, val = cond.split("=", 1)
        if col not in df.columns:
            raise click.BadParameter(f"{col!r} is not a column of {table}: {', '.join(df.columns)}",
                                     param_hint="--where")
        df = df[df[col].astype(str) == val]
    if limit:
        df = df.head(limit)
    click.echo(table_text(df, fmt), nl=False)


def _register():
    import importlib

    from .commands import MODULES

    for name in MODULES:
        mod = importlib.import_module(f"{__package__}.commands.{name}")
        for command in mod.commands:
            cli.add_command(command)


_register()


def main():
    cli(prog_name="netconsol")


if __name__ == "__main__":
    main()
