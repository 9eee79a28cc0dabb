"""Vendor syntaxes: one module per platform, all with detect() and parse().

See :mod:`netconsol.platforms.base` for the contract.
"""
from __future__ import annotations

import importlib

from .base import ParseResult

__all__ = ["PLATFORMS", "get", "detect", "forget", "ParseResult"]

# order matters only for ties in detection
PLATFORMS = ("vrp", "comware", "ios", "iosxr", "eos", "junos")


_MODULES: dict = {}
_CISCO = ("ios", "iosxr", "eos")   # their detect() is _cisco.detect_scores(text)[NAME]


def get(name: str):
    mod = _MODULES.get(name)
    if mod is None:
        if name not in PLATFORMS:
            raise KeyError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}")
        mod = _MODULES[name] = importlib.import_module(f"{__name__}.{name}")
    return mod


def forget() -> None:
    """Drop what the parser engines remember across files (repeated boilerplate blocks and
    lines, detection windows).  Results never depend on it: tests/test_parser_memo.py checks
    that a file parsed cold and after many others gives the same rows."""
    from . import _cisco, _hw
    _cisco.forget()
    _hw.forget()


def detect(text: str) -> tuple[str, float]:
    """Best platform for *text* and its confidence; ('', 0.0) when nothing recognizes it.

    Cheap decisive markers first: a Cisco-family config whose header names its dialect
    (``_cisco.decisive``), or a Huawei-family one (a ``sysname`` line) that VRP or Comware
    claims at 0.5 or more (those markers hold every other platform's score to 0.25 at most)
    is settled without scoring the others.  Otherwise every platform is scored: the Cisco
    scores are computed once for the three Cisco dialects, and the first platform at full
    confidence wins at once (a later one could only tie, and ties go to the earlier platform).
    """
    from . import _cisco

    if isinstance(text, str):
        got = _cisco.decisive(text)
        if got is not None:
            return got
        head = "\n" + text[:8192]
        if "\nsysname " in head or "\n sysname " in head:
            v, c = get("vrp").detect(text), get("comware").detect(text)
            if max(v, c) >= 0.5:
                return ("vrp", v) if v >= c else ("comware", c)
    best, conf = "", 0.0
    cisco = None
    for name in PLATFORMS:
        if name in _CISCO:
            if cisco is None:
                cisco = _cisco.detect_scores(text)
            c = cisco[name]
        else:
            c = get(name).detect(text)
        if c > conf:
            best, conf = name, c
            if conf >= 1.0:
                break
    return best, conf
