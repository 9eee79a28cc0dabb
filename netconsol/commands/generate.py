"""netconsol generate: write a seeded, fictitious consolidation case (the demo city, or a province)."""
from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=2017, show_default=True, help="Random seed: same seed, same bytes.")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Size relative to the demo city (200 gives a province of >20,000 device configs).")
@click.option("--devices", type=int, help="Total device configs (adds town routers).")
@click.option("--departments", type=int, help="City departments.")
@click.option("--exits", type=int, help="Separately bought internet exits.")
@click.option("--private-networks", type=int, help="Department private networks.")
@click.option("--city", type=click.Choice(["zaozhuang", "hongchuan"]), default="zaozhuang", show_default=True,
              help="City profile: the demo's divisions (zaozhuang) or a made-up second city (hongchuan, 泓川市).")
def generate(out, seed, scale, devices, departments, exits, private_networks, city):
    """Write a fictitious city (configs/, sheets/, inventory.yaml, ground_truth.json) into OUT.

    The shipped demo inventories/zaozhuang-demo is this command's output with the
    default seed. OUT must be empty or a folder this command wrote before.

    \b
    Example:
      netconsol generate /tmp/city --seed 7
      netconsol generate /tmp/province --scale 200
      netconsol generate /tmp/other-city --city hongchuan
    """
    from ..generate import generate_city

    sizes = {k: v for k, v in {"devices": devices, "departments": departments, "exits": exits,
                               "private_networks": private_networks}.items() if v is not None}
    summary = generate_city(out, seed=seed, scale=scale, city=city, **sizes)
    click.echo(f"{out}: {summary.get('configs', 0)} configs, {summary.get('sheets', 0)} sheets, "
               f"{summary.get('networks', 0)} networks, {summary.get('exits', 0)} exits "
               f"(ground truth in {out / 'ground_truth.json'})")


commands = [generate]
