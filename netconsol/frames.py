"""Typed DataFrames from row dicts: what analyzers return and render/ writes.

Below both layers (analyzers build their tables with :func:`table`; the plan writers read them),
so neither imports the other for it.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["table", "missing"]


def table(rows, columns) -> pd.DataFrame:
    """A typed DataFrame from row dicts; *columns* = [(name, dtype)], dtype str|int|count|float|bool
    (count: Python ints of any size in an object column, for address counts: an IPv6 /64 holds 2**64).

    Missing keys get the dtype's blank ('' / NA / NaN); rows keep their order.
    """
    rows = list(rows)
    data = {}
    for name, dtype in columns:
        values = [r.get(name) for r in rows]
        if dtype == "str":
            data[name] = pd.Series([v if type(v) is str else "" if missing(v) else str(v) for v in values],
                                   dtype="str")
        elif dtype == "int":
            data[name] = pd.Series([pd.NA if missing(v) else int(v) for v in values], dtype="Int64")
        elif dtype == "count":  # address counts: Python ints of any size (IPv6), no Int64 overflow
            data[name] = pd.Series([None if missing(v) else int(v) for v in values], dtype=object)
        elif dtype == "float":
            data[name] = pd.Series([math.nan if missing(v) else float(v) for v in values], dtype="float64")
        elif dtype == "bool":
            data[name] = pd.Series([pd.NA if missing(v) else bool(v) for v in values], dtype="boolean")
        else:
            raise ValueError(f"column {name!r}: unknown dtype {dtype!r}")
    return pd.DataFrame(data, columns=[c for c, _ in columns])


def missing(v) -> bool:
    if v.__class__ is str:
        return False
    if v is None or v is pd.NA:
        return True
    try:
        return isinstance(v, float) and math.isnan(v)
    except TypeError:
        return False
