"""Vendor syntaxes: one module per platform, all with detect() and parse(); a registry of them.

See :mod:`netconsol.platforms.base` for the contract.  Each vendor module declares what the rest
of netconsol reads from the registry: ``NAME`` (the ``--platform`` value, the fixture folder),
``VENDOR``, ``ORDER`` (detection ties go to the lower), ``detect(text)`` (its detection markers,
scored 0..1), ``parse(text)``, and ``LIVE_DRIVERS`` / ``DRIVER_ALIASES`` (the NAPALM drivers
whose running config it parses).  Every ``netconsol/platforms/<name>.py`` that declares ``NAME``
is registered on import; :func:`register` adds a module from elsewhere.
"""
from __future__ import annotations

import importlib
import pkgutil

from .base import ParseResult

__all__ = ["PLATFORMS", "get", "detect", "forget", "ParseResult", "register", "names", "drivers",
           "driver_aliases"]

_MODULES: dict = {}   # name -> module, the registry
PLATFORMS: tuple = ()  # registered names in detection order (ORDER, then name)
_CISCO = ("ios", "iosxr", "eos", "nxos")   # their detect() is _cisco.detect_scores(text)[NAME]


def register(module) -> None:
    """Add a vendor module to the registry (it declares NAME, VENDOR, ORDER, detect, parse)."""
    global PLATFORMS
    missing = [k for k in ("NAME", "VENDOR", "ORDER", "detect", "parse") if not hasattr(module, k)]
    if missing:
        raise TypeError(f"platform module {module.__name__!r} lacks {', '.join(missing)}")
    _MODULES[module.NAME] = module
    PLATFORMS = tuple(sorted(_MODULES, key=lambda n: (_MODULES[n].ORDER, n)))


def _register_own() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "NAME"):
            register(mod)


def names() -> tuple:
    """The registered platform names, in detection order (the CLI's --platform choices)."""
    return PLATFORMS


def drivers() -> dict:
    """{NAPALM driver: (platform name, vendor, transport)} over the registry."""
    return {d: (n, v[0], v[1]) for n in PLATFORMS for d, v in sorted(getattr(_MODULES[n], "LIVE_DRIVERS", {}).items())}


def driver_aliases() -> dict:
    """{name an inventory may write: NAPALM driver} over the registry."""
    return {a: d for n in PLATFORMS for a, d in sorted(getattr(_MODULES[n], "DRIVER_ALIASES", {}).items())}


def get(name: str):
    mod = _MODULES.get(name)
    if mod is None:
        raise KeyError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}")
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


_register_own()
