"""netconsol init: a starter inventory.yaml from a folder of sheets and configs."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--city", default="", help="The city's name (default: the folder's name).")
@click.option("--force", is_flag=True, help="Overwrite an existing inventory.yaml.")
def init_cmd(folder, city, force):
    """Write FOLDER/inventory.yaml from the sheets and configs in FOLDER: the districts and
    departments the sheets name, and every device of the configs (with its department when a
    sheet row names it).  The next 'netconsol scan FOLDER' accepts it as it is; docs/inventory.md
    describes every key to add.

    \b
    Example:
      netconsol init my-city --city 枣庄市
      netconsol scan my-city --out out/
    """
    from ..starter import write_starter

    path = write_starter(folder, city=city, force=force)
    text = path.read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(text)
    click.echo(f"wrote {path}: districts {len(data.get('districts') or [])}, departments "
               f"{len(data.get('departments') or [])}, devices {len(data.get('devices') or {})}")


commands = [init_cmd]
