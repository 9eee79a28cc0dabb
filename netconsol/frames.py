"""Typed plan tables from row dicts: the one helper analyzers and renderers share.

Analyzers build their answer tables with :func:`table`; renderers format them.  Kept outside both
layers so that ``analyze/`` never imports ``render/``.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["table", "missing"]


def table(rows, columns) -> pd.DataFrame:
    """A typed DataFrame from row dicts; *columns* = [(name, dtype)], dtype str|int|float|bool.

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
