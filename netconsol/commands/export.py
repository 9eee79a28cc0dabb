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



@click.command("template")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Workbook to write (.xlsx).")
@click.option("--inventory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Inventory directory whose manifest gives the department and district lists.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of sheet names, headers and notes.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Rules directory replacing the shipped rules/ (per file).")
def template_cmd(out, inventory, lang, rules_dir):
    """Write the self-inspection workbook (自查表) a department fills.

    Sheets 互联网接入, 局域网及专网, 设备 and 机房 with the headers the collector reads, a
    note with an example on each header, drop-down lists (network classes, carriers,
    access types, 是/否, 迁移/保留; departments and districts from --inventory) and IP
    columns formatted as text.  A filled form is read back by `netconsol collect`.

    \b
    Example:
      netconsol template --out 自查表.xlsx --inventory inventories/zaozhuang-demo
    """
    from ..render.template import write_template

    path = write_template(out, lang, inventory, rules_dir)
    click.echo(f"template {path}")


commands = [export, template_cmd]
