"""Analysis commands: analyze (links, conflicts, metrics into the snapshot), overlaps, links.

Thin: the pipeline (:mod:`netconsol.pipeline`) loads the snapshot and runs the analyzers."""
from __future__ import annotations

from pathlib import Path

import click

__all__ = ["commands"]

_SNAPSHOT = click.Path(exists=True, file_okay=False, path_type=Path)
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
                       show_default=True, help="Output format.")
_NO_POOLS = click.option("--no-pools", is_flag=True,
                         help="Do not report overlaps with the extranet domains' address pools.")


def _pipeline(snapshot: Path, no_pools: bool = False):
    """The pipeline over SNAPSHOT, which must be a snapshot (these commands read and write one)."""
    from ..inventory import Inventory
    from ..pipeline import Pipeline

    pipe = Pipeline(snapshot, pools={} if no_pools else None)
    if pipe.kind != "snapshot":
        Inventory.load(snapshot)  # fails, saying why it is not a snapshot
    return pipe


def _counts(series) -> str:
    vc = series.value_counts()
    return ", ".join(f"{k} {v}" for k, v in sorted(vc.items())) or "none"


@click.command("analyze")
@click.argument("snapshot", type=_SNAPSHOT)
@click.option("--summary", is_flag=True, help="Also print links by evidence, the graph, unattached towns and "
                                              "the conflicts by kind.")
@_NO_POOLS
def analyze_cmd(snapshot, summary, no_pools):
    """Infer links, find address conflicts and compute progress metrics; write them into SNAPSHOT.

    The links, conflicts and metrics tables of the snapshot are replaced; the
    other tables are written back unchanged.  Metric definitions are netconsol's
    own and are stated in the metrics table's definition column.

    \b
    Example:
      netconsol analyze out/snapshot --summary
      netconsol show out/snapshot metrics --where level=city
    """
    from ..analyze import town_status

    pipe = _pipeline(snapshot, no_pools)
    inv = pipe.analyzed()
    problems = inv.validate()
    if problems:
        raise click.ClickException("analysis tables break the contract: " + "; ".join(problems[:3]))
    inv.save(snapshot)
    links, conflicts, metrics = inv["links"], inv["conflicts"], inv["metrics"]
    click.echo(f"links {len(links)} ({_counts(links['evidence'])})")
    click.echo(f"conflicts {len(conflicts)} ({_counts(conflicts['kind'])})")
    city = metrics[metrics["level"] == "city"]
    for r in city.itertuples(index=False):
        if r.denominator == r.denominator and r.denominator > 0:  # a rate with something to count
            shown = "n/a" if r.value != r.value else f"{r.value:.1%}"
            click.echo(f"{r.scope} {r.metric}: {shown} ({int(r.numerator)}/{int(r.denominator)})")
    if summary:
        g = pipe.graph()
        types = {}
        for _, d in g.nodes(data=True):
            types[d["type"]] = types.get(d["type"], 0) + 1
        click.echo("graph: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())) + f"; edges {g.number_of_edges()}")
        for r in city.itertuples(index=False):
            if r.denominator != r.denominator:
                click.echo(f"{r.scope} {r.metric}: {int(r.value)}")
        towns = town_status(inv, g)
        off = towns[~towns["attached"]]
        click.echo(f"towns not attached: {len(off)} of {len(towns)}")
        for r in off.itertuples(index=False):
            click.echo(f"  {r.unit} ({r.basis})")
    click.echo(f"written to {snapshot} (netconsol show {snapshot} conflicts)")


@click.command("overlaps")
@click.argument("snapshot", type=_SNAPSHOT)
@_FORMAT
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["identical", "contains", "partial", "duplicate-ip", "pool"]),
              help="Only conflicts of this kind (repeatable).")
@_NO_POOLS
def overlaps_cmd(snapshot, fmt, kinds, no_pools):
    """Print the address conflicts of SNAPSHOT, computed fresh (the snapshot is not changed).

    Overlapping ranges of different networks, VRF contexts or departments
    (identical, contains, partial), duplicate host addresses, and ranges inside an
    extranet domain's address pool.

    \b
    Example:
      netconsol overlaps out/snapshot --kind duplicate-ip
      netconsol overlaps out/snapshot --format csv > conflicts.csv
    """
    from ..render.tables import table_text

    df = _pipeline(snapshot, no_pools).overlaps()
    if kinds:
        df = df[df["kind"].isin(kinds)]
    if fmt == "text":
        df = df[["kind", "a_prefix", "a_network", "a_device", "a_interface", "b_prefix", "b_network", "b_device",
                 "b_interface", "overlap", "addresses"]]
    click.echo(table_text(df, fmt), nl=False)


@click.command("links")
@click.argument("snapshot", type=_SNAPSHOT)
@_FORMAT
@click.option("--device", help="Only links with this device at either end.")
def links_cmd(snapshot, fmt, device):
    """Print the links of SNAPSHOT inferred fresh from shared subnets (plus recorded LLDP/CDP/sheet links).

    \b
    Example:
      netconsol links out/snapshot --device XC-PE-01
      netconsol links out/snapshot --format json
    """
    from ..render.tables import table_text

    df = _pipeline(snapshot).links()
    if device:
        df = df[(df["a_device"] == device) | (df["b_device"] == device)]
    if fmt == "text":
        df = df[["a_device", "a_interface", "b_device", "b_interface", "subnet", "evidence"]]
    click.echo(table_text(df, fmt), nl=False)


commands = [analyze_cmd, overlaps_cmd, links_cmd]
