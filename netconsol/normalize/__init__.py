"""Normalize hand-typed sheet cells: IP ranges, carriers, bandwidth, enums, yes/no, money, dates.

Every function is pure (the carriers rules file is the only file read) and raises
:class:`netconsol.errors.NormalizeError` with the raw value, what was expected and why.
"""
from netconsol.normalize.bandwidth import to_mbps
from netconsol.normalize.carriers import Carriers, default_carriers
from netconsol.normalize.enums import ACCESS_TYPES, NETWORK_KINDS, access_type, network_kind
from netconsol.normalize.ipranges import RangeResult, is_public, to_cidrs
from netconsol.normalize.text import fold, is_blank
from netconsol.normalize.values import to_bool, to_date, to_yuan_per_year

__all__ = [
    "fold", "is_blank",
    "RangeResult", "to_cidrs", "is_public",
    "Carriers", "default_carriers",
    "to_mbps",
    "access_type", "network_kind", "ACCESS_TYPES", "NETWORK_KINDS",
    "to_bool", "to_yuan_per_year", "to_date",
]
