"""netconsol's exceptions. Messages quote the bad value and say where it was."""
from __future__ import annotations

__all__ = ["NetconsolError", "RulesError", "InventoryError", "NormalizeError", "CollectError"]


class NetconsolError(Exception):
    """Base class: the CLI prints str(e) as one line (``--debug`` for the traceback)."""


class RulesError(NetconsolError):
    """A rules/*.yaml file is wrong: names file, key and value."""


class InventoryError(NetconsolError):
    """An inventory directory, manifest or snapshot is wrong or missing."""


class CollectError(NetconsolError):
    """A collector cannot run at all (one bad file is an issue row, not this)."""


class NormalizeError(NetconsolError, ValueError):
    """A value cannot be normalized; ``value`` is the raw text, ``expected`` says what would be right."""

    def __init__(self, value, expected: str, reason: str = ""):
        self.value = value
        self.expected = expected
        self.reason = reason
        msg = f"{value!r}: {reason + '; ' if reason else ''}expected {expected}"
        super().__init__(msg)
