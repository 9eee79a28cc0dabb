"""The figures of a scan: one table, one value and one definition per figure (issue 21, point 2).

Every count the outputs state for the whole city (the report's overview, summary.json, the lines
``netconsol scan`` prints, the README's walk-through) is read from this table, so one label never
carries two numbers.  Where a plan states the same figure (the exit plan's departments and exits,
the metrics' connectivity), the figure is taken from that plan or metric, not counted again.

Columns: ``figure`` (a stable id, also summary.json's key), ``scope`` (the city), ``value``,
``unit`` and ``definition`` (netconsol's own, in English; render/ words it in Chinese from the
figure id).  Pure: tables in, a table out.
"""
from __future__ import annotations

import pandas as pd

from ..frames import table
from .metrics import METRICS

__all__ = ["compute_figures", "FIGURES", "FIGURE_COLUMNS", "as_dict"]

# id -> (unit, definition); the order is the table's
FIGURES = {
    "districts": ("count", "netconsol definition: units of level district in the manifest"),
    "departments": ("count", "netconsol definition: departments in scope (units of level department; the "
                             "denominator of the connectivity rate, the exit plan's departments)"),
    "departments_connected": ("count", "netconsol definition: departments connected to the extranet (the "
                                       "numerator of the connectivity rate)"),
    "towns": ("count", "netconsol definition: towns/streets (units of level town)"),
    "towns_attached": ("count", "netconsol definition: towns/streets attached to the extranet (the numerator of "
                                "the town connectivity)"),
    "devices": ("count", "netconsol definition: rows of the devices table (configs read and devices sheets name)"),
    "networks": ("count", "netconsol definition: rows of the networks table, every kind"),
    "private_and_lan_networks": ("count", "netconsol definition: networks of kind gov_private, business_private, "
                                          "lan, intranet or extranet_vpn (the report's per-department lists)"),
    "prefixes": ("count", "netconsol definition: rows of the prefixes table"),
    "exit_records": ("count", "netconsol definition: rows of the exits table (a sheet row and a config each "
                              "count)"),
    "exits_before": ("count", "netconsol definition: internet exits in use today, a line seen both in a sheet and "
                              "in a config counted once (the exit plan's exits before)"),
    "exits_after": ("count", "netconsol definition: internet exits after the exit plan (kept exits plus unified "
                             "exit lines)"),
    "conflicts": ("count", METRICS["conflicts"]),  # the metric's own: one figure, one definition
    "links": ("count", "netconsol definition: links found (candidate links not counted)"),
    "candidate_links": ("count", "netconsol definition: candidate links (listed for review, not counted)"),
    "errors": ("count", "netconsol definition: issues of severity error"),
    "warnings": ("count", "netconsol definition: issues of severity warning"),
    "info": ("count", "netconsol definition: issues of severity info"),
}
FIGURE_COLUMNS = [("figure", "str"), ("scope", "str"), ("value", "int"), ("unit", "str"), ("definition", "str")]


def _city_metric(metrics: pd.DataFrame, name: str, part: str):
    hit = metrics[(metrics.metric == name) & (metrics.level == "city")]
    if not len(hit):
        return None
    v = hit.iloc[0][part]
    return None if v != v else v


def compute_figures(inv, exit_summary: pd.DataFrame | None = None, city: str = "") -> pd.DataFrame:
    """The figures table of *inv* (with its metrics and conflicts) and the exit plan's *exit_summary*.
    A figure that cannot be known (no exit plan) has value NA."""
    m = inv["metrics"]
    sev = inv["issues"].severity.value_counts().to_dict()
    units = inv["units"]
    before = after = None
    if exit_summary is not None and "metric" in exit_summary.columns:
        row = exit_summary[exit_summary.metric == "exits"]
        if len(row):
            before, after = int(row.iloc[0].before), int(row.iloc[0].after)
    kinds = inv["networks"]["kind"]
    links = inv["links"]["status"]
    values = {
        "districts": int((units.level == "district").sum()),
        "departments": int(_city_metric(m, "connectivity_rate", "denominator") or 0),
        "departments_connected": int(_city_metric(m, "connectivity_rate", "numerator") or 0),
        "towns": int(_city_metric(m, "town_connectivity", "denominator") or 0),
        "towns_attached": int(_city_metric(m, "town_connectivity", "numerator") or 0),
        "devices": len(inv["devices"]),
        "networks": len(inv["networks"]),
        "private_and_lan_networks": int(kinds.isin(["gov_private", "business_private", "lan", "intranet",
                                                    "extranet_vpn"]).sum()),
        "prefixes": len(inv["prefixes"]),
        "exit_records": len(inv["exits"]),
        "exits_before": before,
        "exits_after": after,
        "conflicts": int((inv["conflicts"]["kind"] != "shared-by-design").sum()),
        "links": int((links != "candidate").sum()),
        "candidate_links": int((links == "candidate").sum()),
        "errors": int(sev.get("error", 0)), "warnings": int(sev.get("warning", 0)), "info": int(sev.get("info", 0)),
    }
    rows = [{"figure": k, "scope": city, "value": values[k],
             "unit": unit, "definition": definition} for k, (unit, definition) in FIGURES.items()]
    return table(rows, FIGURE_COLUMNS)


def as_dict(figures: pd.DataFrame) -> dict:
    """{figure: value}, unknown values as None (summary.json)."""
    return {k: None if pd.isna(v) else int(v) for k, v in zip(figures["figure"].tolist(), figures["value"].tolist())}
