"""CIDR strings to integer columns in bulk, read as :func:`~netconsol.analyze.topology.net_bounds`
(and so netaddr) reads them.

The common form, a canonical IPv4 ``a.b.c.d/len`` (octets 0-255 without leading zeros, a length
0-32 without one), is read by numpy, all strings at once: the strings as a fixed-width code-point
matrix, one pass per character column.  Everything else (IPv6, a bare address, a leading zero,
spaces, a netmask, garbage) goes one by one to ``net_bounds``, which reads a dotted quad the way
netaddr does and hands the rest to netaddr itself; a string it refuses gets family 0.  The two
paths agree (tests/analyze/test_interval_arrays.py checks random and hostile strings).
"""
from __future__ import annotations

import numpy as np

from .intervals import split128
from .topology import ADDRESS_ERRORS, net_bounds

__all__ = ["cidr_bounds"]

_WIDTH = 18  # len("255.255.255.255/32")


def _canonical_v4(cidrs: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ok, first address, prefix length) of every string, ok only for a canonical a.b.c.d/len."""
    n = len(cidrs)
    lens = np.fromiter((len(c) if type(c) is str else _WIDTH + 1 for c in cidrs), dtype=np.int64, count=n)
    text = [c if type(c) is str and len(c) <= _WIDTH else "" for c in cidrs]
    codes = np.array(text, dtype=f"<U{_WIDTH}").view(np.uint32).reshape(n, _WIDTH)
    # one byte per character, column-major so that each pass reads one contiguous column
    cols = np.ascontiguousarray(np.minimum(codes, 255).astype(np.uint8).T)
    ok = (lens >= 9) & (lens <= _WIDTH)
    seps = np.zeros(n, dtype=np.int8)     # separators seen: 3 dots, then the slash
    cur = np.zeros(n, dtype=np.int64)     # the number being read
    digits = np.zeros(n, dtype=np.int8)   # its digits so far
    lead = np.zeros(n, dtype=bool)        # its first digit is 0
    addr = np.zeros(n, dtype=np.int64)
    for k in range(_WIDTH + 1):
        inside = k < lens
        if k < _WIDTH:
            ch = cols[k]
            d = ch.astype(np.int64) - 48
            is_digit = inside & (ch >= 48) & (ch <= 57)
        else:
            ch = np.zeros(n, dtype=np.uint8)
            is_digit = np.zeros(n, dtype=bool)
        at_end = lens == k
        is_dot = inside & (ch == 46)
        is_slash = inside & (ch == 47)
        closes = is_dot | is_slash | at_end
        ok &= ~inside | is_digit | is_dot | is_slash          # no other character (NUL included)
        ok &= ~closes | ((digits >= 1) & (digits <= 3) & ~(lead & (digits > 1)))
        ok &= ~is_dot | (seps <= 2)
        ok &= ~is_slash | (seps == 3)
        ok &= ~at_end | (seps == 4)
        octet = is_dot | is_slash
        ok &= ~octet | (cur <= 255)
        addr = np.where(octet, (addr << 8) | (cur & 255), addr)
        if k == _WIDTH:
            break
        lead = np.where(is_digit & (digits == 0), d == 0, lead)
        cur = np.where(is_digit, cur * 10 + d, np.where(octet, 0, cur))
        digits = np.where(is_digit, digits + 1, np.where(octet, 0, digits))
        seps = seps + octet
    # at the end, cur holds the length (digits checked above at the end column)
    ok &= cur <= 32
    return ok, addr, np.where(ok, cur, 0)


def cidr_bounds(cidrs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(family, first_hi, first_lo, last_hi, last_lo) columns of *cidrs*: family int8 (4, 6, or 0
    for a string ``net_bounds`` refuses or a value that is not a string, its bounds 0), the first and last address as hi/lo uint64
    halves (IPv4: hi 0).  The same values as ``net_bounds``, string by string."""
    cidrs = list(cidrs)
    n = len(cidrs)
    family = np.zeros(n, dtype=np.int8)
    zeros = np.zeros(n, dtype=np.uint64)
    if n == 0:
        return family, zeros, zeros.copy(), zeros.copy(), zeros.copy()
    ok, addr, plen = _canonical_v4(cidrs)
    size = np.left_shift(np.int64(1), 32 - plen)
    first = addr & ~(size - 1)
    first_lo = np.where(ok, first, 0).astype(np.uint64)
    last_lo = np.where(ok, first + size - 1, 0).astype(np.uint64)
    family[ok] = 4
    first_hi, last_hi = zeros, zeros.copy()
    rest = np.flatnonzero(~ok)
    if len(rest):
        fam, lo_first, lo_last = [], [], []
        for i in rest.tolist():
            c = cidrs[i]
            f = s = e = 0   # not a string, or one net_bounds refuses: family 0 (the caller skips it;
            if isinstance(c, str):   # the collector that read it reported it with its file and row)
                try:
                    f, s, e = net_bounds(c)
                except ADDRESS_ERRORS:
                    f = s = e = 0
            fam.append(f)
            lo_first.append(s)
            lo_last.append(e)
        family[rest] = fam
        h, l_ = split128(lo_first)
        first_hi[rest], first_lo[rest] = h, l_
        h, l_ = split128(lo_last)
        last_hi[rest], last_lo[rest] = h, l_
    return family, first_hi, first_lo, last_hi, last_lo
