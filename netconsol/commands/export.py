"""``netconsol export``: the inventory in other tools' import formats (NetBox)."""
from __future__ import annotations

from pathlib import Path

import click

__all__ = ["commands", "export"]


@click.group()
def export():
    """Export a snapshot in another tool's import format: `export netbox`.

    \b
    Example:
      netconsol export netbox out/snapshot --out out/netbox
    """


@export.command("netbox")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the numbered CSV files into (created if missing).")
def netbox_cmd(snapshot, out):
    """CSV files in NetBox's bulk-import formats, numbered in import order.

    Regions (districts), tenants (departments), sites (towns, device locations),
    manufacturers, device types and roles, devices, interfaces, VRFs, prefixes, IP
    addresses, providers (carriers), circuit types and circuits (internet exits).
    Import them in file-name order (README: "Into NetBox").

    \b
    Example:
      netconsol export netbox out/snapshot --out out/netbox
    """
    from ..inventory import Inventory
    from ..render.netbox import netbox_files, write_netbox

    inv = Inventory.load(snapshot)
    paths = write_netbox(inv, out)
    counts = {f.name: len(f.rows) for f in netbox_files(inv)}
    for p in paths:
        click.echo(f"  {p}: {counts[p.name]} rows")
    click.echo(f"netbox import files: {len(paths)} in {out} (import them in file-name order)")


commands = [export]
