"""Vendor syntaxes: one module per platform, all with detect() and parse().

See :mod:`netconsol.platforms.base` for the contract.
"""
from __future__ import annotations

import importlib

from .base import ParseResult

__all__ = ["PLATFORMS", "get", "detect", "ParseResult"]

# order matters only for ties in detection
PLATFORMS = ("vrp", "comware", "ios", "iosxr", "eos", "junos")


def get(name: str):
    if name not in PLATFORMS:
        raise KeyError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}")
    return importlib.import_module(f"{__name__}.{name}")


def detect(text: str) -> tuple[str, float]:
    """Best platform for *text* and its confidence; ('', 0.0) when nothing recognizes it."""
    best, conf = "", 0.0
    for name in PLATFORMS:
        c = get(name).detect(text)
        if c > conf:
            best, conf = name, c
    return best, conf
