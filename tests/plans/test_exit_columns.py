"""exits' column reader (``_columns``) gives what iterating a column gives, value for value, and
``admin_devices`` built on it answers what the cell-by-cell walk answers."""
import math
import random

import numpy as np
import pandas as pd
import pytest
from netaddr import IPAddress, IPNetwork, IPSet, valid_ipv4, valid_ipv6

from netconsol.analyze.exits import _columns, admin_devices

_STR = pd.StringDtype("python", na_value=np.nan)
_TEXT = ["10.0.0.0/24", "", " ", "a\nb", '"q"', "=1+1", "2001:db8::/32", "行政", None]


def _same(a, b):
    if a is pd.NA or b is pd.NA:
        return a is b
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and (a is b or a == b)


@pytest.mark.parametrize("seed", range(4))
def test_columns_equal_iteration(seed):
    rnd = random.Random(seed)
    n = rnd.choice([0, 1, 7, 50])
    df = pd.DataFrame({
        "s": pd.array([rnd.choice(_TEXT) for _ in range(n)], dtype=_STR),
        "t": pd.array([rnd.choice(_TEXT) for _ in range(n)], dtype="string"),   # pd.NA for missing
        "i": pd.array([rnd.choice([1, 0, -5, None]) for _ in range(n)], dtype="Int64"),
        "b": pd.array([rnd.choice([True, False, None]) for _ in range(n)], dtype="boolean"),
        "o": pd.Series([rnd.choice(["x", None, float("nan"), 3]) for _ in range(n)], dtype=object),
    })
    got = _columns(df, ["s", "t", "i", "b", "o"])
    for col, values in zip(["s", "t", "i", "b", "o"], got):
        want = list(df[col])
        assert len(values) == len(want)
        assert all(_same(x, y) for x, y in zip(values, want)), col


def _admin_plain(inv):
    """admin_devices as first written: iterating the columns cell by cell."""
    kinds = {n: k for n, k in zip(inv["networks"]["network"], inv["networks"]["kind"])}
    admin_nets = {n for n, k in kinds.items() if k == "extranet_admin"}
    found, p, space = {}, inv["prefixes"], IPSet()
    for prefix, network, origin, device, interface in zip(p["prefix"], p["network"], p["origin"], p["device"],
                                                          p["interface"]):
        if network not in admin_nets:
            continue
        if origin == "manifest":
            space.add(IPNetwork(prefix))
        elif origin == "interface" and device:
            found.setdefault(device, []).append(f"{interface} {prefix}")
    if space.size:
        r = inv["routes"]
        for device, vrf, nh in zip(r["device"], r["vrf"], r["next_hop"]):
            if nh and device not in found and (valid_ipv4(nh) or valid_ipv6(nh)) and IPAddress(nh) in space:
                found.setdefault(device, []).append(f"route via {nh}" + (f" (VRF {vrf})" if vrf else ""))
    return found


def test_admin_devices_equal_the_plain_walk():
    s = lambda xs: pd.array(xs, dtype=_STR)   # noqa: E731  (the inventory's: a missing text is NaN)
    inv = {
        "networks": pd.DataFrame({"network": s(["A", "B", None]), "kind": s(["extranet_admin", "lan", "extranet_admin"])}),
        "prefixes": pd.DataFrame({
            "prefix": s(["10.1.0.0/16", "10.1.2.0/24", "10.9.0.0/24", "192.168.0.1/30", "2001:db8::/48", "10.1.3.0/24"]),
            "network": s(["A", "A", "B", "A", "A", None]),
            "origin": s(["manifest", "interface", "interface", "interface", "manifest", "interface"]),
            "device": s([None, "R1", "R2", None, None, "R3"]),
            "interface": s([None, "Gi0/1", "Gi0/2", "Gi0/3", None, "Gi0/4"])}),
        "routes": pd.DataFrame({
            "device": s(["R4", "R4", "R5", "R6", "R7", "R1", "R8"]),
            "vrf": s(["", "adm", None, "", "", "", ""]),
            "next_hop": s(["10.1.9.9", "10.1.9.8", "", "GigabitEthernet0/0", "2001:db8::1", "10.1.0.1", "10.2.0.1"])}),
    }
    want = _admin_plain(inv)
    assert admin_devices(inv) == want
    # a network id missing on both sides matches (NaN is one object), as in the plain walk
    assert {"R1", "R3", "R4", "R7"} <= set(want) and len(want) == 5


@pytest.mark.parametrize("seed", range(4))
def test_holds_equals_ipset_membership(seed):
    """``span_within(space)`` of an address's span answers ``address in space`` (IPv4, IPv6, IPv4-mapped, /0, /32,
    /128, adjacent and nested CIDRs merged by the set, an empty set)."""
    from netconsol.analyze.intervals import span_within

    rnd = random.Random(seed)
    cidrs = ["10.0.0.0/8", "10.1.0.0/16", "192.0.2.7/32", "198.51.100.0/25", "198.51.100.128/25",
             "2001:db8::/48", "2001:db8:1::1/128", "::ffff:10.0.0.0/104"]
    if seed == 1:
        cidrs.append("0.0.0.0/0")
    if seed == 2:
        cidrs = []
    cidrs += [f"172.{rnd.randrange(16, 32)}.{rnd.randrange(256)}.0/{rnd.randint(20, 30)}" for _ in range(30)]
    space = IPSet(cidrs)
    within = span_within(space)

    def inside(a):
        return within(a.version, int(a), int(a))

    probes = ["10.255.255.255", "11.0.0.0", "9.255.255.255", "192.0.2.7", "192.0.2.8", "198.51.100.255",
              "2001:db8::1", "2001:db8:1::1", "2001:db8:1::2", "::ffff:10.1.2.3", "::ffff:11.0.0.1", "::",
              "0.0.0.0", "255.255.255.255", "::a00:1"]
    probes += [f"172.{rnd.randrange(16, 32)}.{rnd.randrange(256)}.{rnd.randrange(256)}" for _ in range(500)]
    probes += [f"2001:db8::{rnd.randrange(1 << 16):x}" for _ in range(50)]
    answers = [(p, inside(IPAddress(p)), IPAddress(p) in space) for p in probes]
    assert all(got == want for _, got, want in answers), [a for a in answers if a[1] != a[2]]
    assert any(want for *_, want in answers) == bool(cidrs)
