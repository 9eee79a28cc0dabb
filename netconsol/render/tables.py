"""Small renderers for tables: text for terminals, CSV, JSON."""
from __future__ import annotations

import json

import pandas as pd

from ..sanitize import csv_text, defuse_frame

__all__ = ["table_text", "records"]


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with JSON-able values (NA -> None)."""
    out = []
    for row in df.itertuples(index=False):
        out.append({c: (None if v is pd.NA or (isinstance(v, float) and v != v) else
                        (v.item() if hasattr(v, "item") else v)) for c, v in zip(df.columns, row)})
    return out


def table_text(df: pd.DataFrame, fmt: str = "text") -> str:
    if fmt == "csv":  # text cells a spreadsheet could take for a formula get a leading "'"
        text_cols = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) and df[c].dtype != object
                     or df[c].dtype == object and all(isinstance(v, str) for v in df[c].tolist())]
        return defuse_frame(df, text_cols, csv_text).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(records(df), ensure_ascii=False, indent=1) + "\n"
    if df.empty:
        return "(no rows)\n"
    cols = [c for c in df.columns if (df[c].astype(str).replace({"<NA>": "", "nan": ""}) != "").any()] or list(df.columns)
    view = df[cols].astype(str).replace({"<NA>": "", "nan": ""})
    return view.to_string(index=False) + "\n"
