"""``netconsol reconcile``: sheets, configs and live devices compared (the reconciliation table)."""
from __future__ import annotations

from pathlib import Path

import click

__all__ = ["commands"]


@click.command("reconcile")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
def reconcile_cmd(snapshot):
    """Compare what sheets declare, configs configure and live devices show; write the
    reconciliation table into SNAPSHOT (devices, addresses, prefixes, exits, links).

    The snapshot should hold sheets, configs and live rows (collect them together);
    links inferred by `netconsol analyze` are checked against LLDP/CDP neighbours.

    \b
    Example:
      netconsol reconcile out/snapshot
      netconsol show out/snapshot reconciliation --where status=disagree
    """
    from ..analyze.reconcile import reconcile
    from ..inventory import Inventory

    inv = Inventory.load(snapshot)
    inv.tables["reconciliation"] = reconcile(inv)
    problems = inv.validate()
    if problems:
        raise click.ClickException("reconciliation breaks the contract: " + "; ".join(problems[:3]))
    inv.save(snapshot)
    df = inv["reconciliation"]
    counts = df["status"].value_counts().to_dict()
    click.echo(f"reconciliation {len(df)} rows: " + ", ".join(f"{k} {counts.get(k, 0)}"
                                                          for k in ("agree", "partial", "disagree")))


commands = [reconcile_cmd]
