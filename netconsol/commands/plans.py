"""``netconsol plan``: consolidation plans built from a snapshot, written as CSV, XLSX, JSON or Markdown.

Every plan subcommand takes the same output options (:func:`plan_output_options`) and writes
through :func:`netconsol.render.plans.write_plan`; the library does the work, these stay thin.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..render.plans import FORMATS, LANGS

__all__ = ["plan", "plan_output_options", "write_and_report", "commands"]


@click.group()
def plan():
    """Consolidation plans from a snapshot: `plan exits` (internet exits).

    \b
    Example:
      netconsol plan exits out/snapshot --format xlsx --out out/exit-plan.xlsx
    """


def plan_output_options(f):
    """The options every `plan` subcommand shares: --format, --lang, --out, --rules."""
    f = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
                     help="Rules directory replacing the shipped rules/ (per file).")(f)
    f = click.option("--out", "-o", "out", required=True, type=click.Path(),
                     help="Output file (xlsx/json/md) or directory; csv: a directory, or PATH.csv as a prefix "
                          "(PATH-<table>.csv). Nothing is written outside it.")(f)
    f = click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
                     help="Language of headers and labels (XLSX headers are always zh + en).")(f)
    f = click.option("--format", "fmt", type=click.Choice(FORMATS), default="xlsx", show_default=True,
                     help="Output format.")(f)
    return f


def write_and_report(plan_doc, fmt: str, lang: str, out: str) -> None:
    from ..render.plans import write_plan

    for path in write_plan(plan_doc, fmt, out, lang):
        click.echo(f"wrote {path}")


@plan.command("exits")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@plan_output_options
def plan_exits_command(snapshot, fmt, lang, out, rules_dir):
    """Internet-exit consolidation plan (互联网出口整合方案) for a snapshot.

    Reconciles the exits declared in sheets with those found in configs, gives every exit a
    disposition (keep_mandated, keep_until_contract_end, migrate, decommission), sizes the
    unified multi-carrier exit on the pooled peak, and lists public blocks to return, services
    to republish and costs before/after, per district and for the city.  Policy:
    rules/exits.yaml (or --rules DIR/exits.yaml).

    \b
    Example:
      netconsol plan exits out/snapshot --format xlsx --lang zh --out out/exit-plan.xlsx
      netconsol plan exits out/snapshot --format csv --out out/exit-plan/
      netconsol plan exits out/snapshot --format md --lang en --out out/exit-plan.md
    """
    from ..analyze.exits import load_exit_rules
    from ..render.exits_doc import plan_exits
    from ..inventory import Inventory
    from ..normalize.carriers import Carriers
    from ..rules import rules_path

    inv = Inventory.load(snapshot)
    carriers = Carriers.load(rules_path("carriers.yaml", rules_dir))
    rules = load_exit_rules(rules_path("exits.yaml", rules_dir), carriers=carriers)
    write_and_report(plan_exits(inv, rules, snapshot=snapshot.name), fmt, lang, out)


# ---- plan merge ---------------------------------------------------------------------------------
@plan.command("merge")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@plan_output_options
def plan_merge_command(snapshot, fmt, lang, out, rules_dir):
    """Private-network integration plan (专网整合方案) for a snapshot.

    Assigns every department private network and LAN a target domain (extranet administrative or
    public service domain, a dedicated-zone VRF, the intranet, or kept outside) by the first
    matching rule of rules/domains.yaml (or --rules DIR/domains.yaml), with the rule and a
    rationale; checks its addresses against the target pool and the networks planned into the
    same address plan and proposes, per conflict, renumbering into a free block (old→new map) or
    NAT at the department edge; names the nearest extranet PE, the migration wave, and checks
    that the result keeps the domains isolated.  Pools: the manifest ranges of the
    extranet_admin and extranet_public networks.

    \b
    Example:
      netconsol plan merge out/snapshot --format xlsx --lang zh --out out/merge-plan.xlsx
      netconsol plan merge out/snapshot --format csv --out out/merge-plan/
      netconsol plan merge out/snapshot --format md --lang en --out out/merge-plan.md
    """
    from ..analyze.merge import load_domain_rules, plan_merge
    from ..inventory import Inventory
    from ..rules import rules_path

    inv = Inventory.load(snapshot)
    rules = load_domain_rules(rules_path("domains.yaml", rules_dir))
    write_and_report(plan_merge(inv, rules, snapshot=snapshot.name), fmt, lang, out)
# ---- end of plan merge --------------------------------------------------------------------------

commands = [plan]
