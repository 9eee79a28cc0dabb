"""The report's address lists (render/report.py ``_joined``): column-wise, equal to the plain
per-key sort by ``_cidr_key_of`` on random and hostile addresses (issue 23)."""
from __future__ import annotations

import random

import pytest

from netconsol.render import report as R


def _plain(keys, values) -> dict:
    first = {}
    for v in values:
        first.setdefault(v, len(first))
    seen = {}
    for k, v in zip(keys, values):
        seen.setdefault(k, set()).add(v)
    # address order; equal keys ("1.2.3.4/24", "01.2.3.4/24") by first appearance in the table
    return {k: " ".join(sorted(vs, key=lambda v: (R._cidr_key_of(v), first[v]))) for k, vs in seen.items()}


HOSTILE = ["0.0.0.0/0", "255.255.255.255/32", "10.1.2.3/24", "10.1.2.0/24", "10.1.2.0/8", "01.2.3.4/24",
           "1.2.3.4/24", "1.2.3.4/024", "1.2.3.4", "1.2.3", "1.2.3.4.5/6", "999.1.1.1/33", "2001:db8::/32",
           "2001:db8::1/128", "::/0", "fe80::1%eth0/64", "garbage", "", "1.2.3.4/", "１.2.3.4/8", "10.0.0.0/8\n1",
           "192.0.2.0/24 ", " 192.0.2.0/24", "192.0.2.0/24"]


def _canonical(rng):
    return "%d.%d.%d.%d/%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randrange(256),
                               rng.randrange(33))


@pytest.mark.parametrize("seed", range(12))
def test_joined_equals_the_plain_sort_on_random_and_hostile_addresses(seed):
    rng = random.Random(seed)
    n = rng.randrange(0, 400)
    pool = [_canonical(rng) for _ in range(rng.randrange(1, 60))]
    if seed % 2:  # odd seeds: hostile values among them (the per-value path); even: dotted quads only
        pool += rng.sample(HOSTILE, rng.randrange(1, len(HOSTILE)))
    keys = [rng.choice(["a", "b", "政务", "c|d", "", "x" * 3]) for _ in range(n)]
    values = [rng.choice(pool) for _ in range(n)]
    assert R._joined(keys, values) == _plain(keys, values)


def test_joined_orders_by_address_not_by_text():
    keys = ["d"] * 5
    values = ["10.0.0.10/32", "10.0.0.9/32", "9.0.0.0/8", "10.0.0.9/31", "10.0.0.9/32"]
    assert R._joined(keys, values) == {"d": "9.0.0.0/8 10.0.0.9/31 10.0.0.9/32 10.0.0.10/32"}
    assert R._joined([], []) == {}
    # an IPv6 prefix among them: IPv4 first, then IPv6 by its text
    assert R._joined(["d", "d", "d"], ["2001:db8::/32", "10.0.0.0/8", "2001:db8::/31"]) == \
        {"d": "10.0.0.0/8 2001:db8::/31 2001:db8::/32"}


def test_address_ranks_take_the_integer_path_only_for_dotted_quads():
    # ranks are a permutation in address order, whichever path computed them
    for values in (["10.0.0.1/32", "9.255.255.255/32", "10.0.0.0/8"], ["10.0.0.1/32", "01.0.0.0/8", "::/0"]):
        ranks = R._address_ranks(values).tolist()
        assert sorted(ranks) == list(range(len(values)))
        assert [values[i] for i in sorted(range(len(values)), key=ranks.__getitem__)] == \
            sorted(values, key=R._cidr_key_of)


def test_joined_on_dotted_quads_beyond_byte_values_and_leading_zeros():
    # no other kind of value among them: numbers past 255 and 999 and leading zeros still sort as
    # their integer tuples do (a base-1000 key would overflow into the next field past 999)
    values = ["1000.0.0.0/8", "999.0.0.0/8", "1.0.0.0/1000", "1.0.0.0/999", "1.0.0.1/0", "01.0.0.0/8",
              "1.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "1.2.3.4/024", "1.0.0.1000/8", "1.0.1.0/8",
              "1.0.0.999/8", "1.0.0.1/1"]
    keys = ["k"] * len(values)
    assert R._joined(keys, values) == _plain(keys, values)
    assert R._joined(keys[:8], values[:8]) == _plain(keys[:8], values[:8])


@pytest.mark.parametrize("values", [["1.0.1.0/8", "1.0.0.1000/8", "1.0.0.999/8"],
                                    ["1.0.0.1/0", "1.0.0.0/1000", "1.0.0.0/999"],
                                    ["1000.0.0.0/8", "999.0.0.0/9", "1.1000.0.0/8", "2.0.0.0/8"],
                                    ["10.0.0.0/8", "1..2.3/4", "1.2.3.4/5"], ["1.2.3.4/", "1.2.3.4/5"],
                                    [".1.2.3/4", "1.2.3.4/5"], ["1.2.3.4/5", "1.2.3./4", "0.0.0.0/0"],
                                    ["1.2.3.4/5", "9" * 19 + ".0.0.0/0"], ["1.2.3.4/5", "1.2.3.4.5/6", "1.2.3/4"]])
def test_joined_on_fields_past_three_digits(values):
    # every value a dotted quad without leading zeros: a field past 999 must not overflow into
    # its neighbour of a base-1000 key
    keys = ["k"] * len(values)
    assert R._joined(keys, values) == _plain(keys, values)
