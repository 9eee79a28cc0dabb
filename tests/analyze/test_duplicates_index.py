"""find_conflicts' duplicate addresses: the indexed pass (only addresses held twice are looked at row
by row, _held_twice) gives what the plain walk over every row gives, on random interface tables."""
import random
from collections import defaultdict

import pandas as pd
from netconsol import schema
from netconsol.analyze.overlaps import ADDRESS_ERRORS, _DUP_COLUMNS, _DupRow, _duplicates, _held_twice
from netconsol.analyze.topology import _s, ip_int, tuples
from netconsol.inventory import Inventory


# the plain computation: every row's addresses walked into one dict (as before the index)
def _plain_held(itf) -> dict:
    if "gateways" not in itf.columns:
        itf = itf.assign(gateways="")
    by_ip = defaultdict(dict)
    for r in tuples(itf, _DUP_COLUMNS):
        r = _DupRow._make(r)
        if r.admin_up is False or (r.admin_up is not None and r.admin_up is not pd.NA and not r.admin_up):
            continue
        key = (r.device, r.interface)
        gws = _s(r.gateways).split()
        held = []
        ip = _s(r.ip)
        if ip and not _s(r.unnumbered):
            held.append(ip)
        held.extend(gws)
        for h in held:
            try:
                fam, n = ip_int(h)
            except ADDRESS_ERRORS:
                continue
            if fam == 6 and (n >> 118) == 0x3FA:
                continue
            slot = by_ip[(fam, n)].get(key)
            if slot is None:
                by_ip[(fam, n)][key] = slot = [r, False, False]
            if h == ip and not _s(r.unnumbered):
                if slot[0] is not r and not slot[1]:
                    slot[0] = r
                slot[1] = True
            if h in gws:
                slot[2] = True
    return by_ip


def _shared(by_ip) -> list:
    """The addresses two interfaces or more hold, in order, with their holders' slots."""
    return [(k, list(owners.items())) for k, owners in by_ip.items() if len(owners) > 1]


ADDRESSES = ["10.0.0.1", "10.0.0.2", "10.0.0.1", "192.168.1.1", "2001:db8::1", "2001:DB8::1", "fe80::1",
             "10.0.0.01", "not-an-ip", "", "0.0.0.0", "255.255.255.255", "::", "::ffff:10.0.0.1"]


def _random_inventory(rnd):
    rows, prefixes = [], []
    for i in range(rnd.randint(0, 80)):
        dev = rnd.choice(["R1", "R2", "R3", "Vx1"])
        itf = rnd.choice(["Gi0/0", "Gi0/1", "Loopback0", "Vlanif10", "Vxlan1", "nve1"])
        ip = rnd.choice(ADDRESSES)
        plen = "128" if ":" in ip else rnd.choice(["32", "24", "30"])
        gws = " ".join(rnd.sample(ADDRESSES[:7], rnd.randint(0, 2))) if rnd.random() < 0.4 else ""
        subnet = f"{ip}/{plen}" if ip else ""
        rows.append({"device": dev, "interface": itf, "kind": rnd.choice(["physical", "loopback", "vlan"]),
                     "vrf": rnd.choice(["", "", "A"]), "ip": ip, "address": f"{ip}/{plen}" if ip else "",
                     "subnet": subnet, "prefixlen": int(plen) if ip else None,
                     "admin_up": rnd.choice([True, True, False, None]),
                     "unnumbered": rnd.choice(["", "", "Loopback0"]), "gateways": gws,
                     "source": f"{dev}.cfg", "location": f"line {i}"})
        if subnet and rnd.random() < 0.7:
            prefixes.append({"prefix": subnet, "network": rnd.choice(["", "n1"]), "department": rnd.choice(["", "d"]),
                             "device": dev, "interface": itf, "origin": "interface", "source": f"{dev}.cfg",
                             "location": f"line {i}"})
    return Inventory({"interfaces": schema.frame("interfaces", rows), "prefixes": schema.frame("prefixes", prefixes)})


def test_indexed_duplicates_equal_the_plain_walk():
    rnd = random.Random(2323)
    found = 0
    for i in range(50):
        inv = _random_inventory(rnd)
        want = _shared(_plain_held(inv["interfaces"]))
        assert _shared(_held_twice(inv["interfaces"])) == want
        found += len(want)
        if want and i < 10:
            assert _duplicates(inv)   # the rows made of them
    assert found > 50   # the random tables do hold shared addresses
