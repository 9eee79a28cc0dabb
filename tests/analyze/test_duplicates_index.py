"""find_conflicts' duplicate addresses: the indexed pass (only addresses held twice are looked at row
by row) gives what the plain walk over every row gives, on random interface tables."""
import random
from collections import defaultdict

import pandas as pd
from netaddr import IPAddress

from netconsol import schema
from netconsol.analyze.overlaps import (ADDRESS_ERRORS, KIND_ORDER, _DUP_COLUMNS, _DupRow, _cid, _duplicates,
                                        _vtep_devices)
from netconsol.analyze.topology import _s, ip_int, tuples
from netconsol.inventory import Inventory


# the plain computation: the walk over every row as it was before the index (kept as the reference)
def _plain_duplicates(inv) -> list[tuple]:
    """Host addresses held twice: ``duplicate-ip``, or ``shared-by-design`` when both holders hold it
    on purpose.  Holders: every up interface's own addresses and its first-hop virtual addresses
    (``gateways``: HSRP/VRRP/VARP, anycast).  Two holders that both list the address as a gateway
    share it by design (a VRRP IP-address owner included); a loopback /32 on two devices that both
    run a VXLAN tunnel interface is an MLAG/vPC-shared VTEP, by design too.  An interface address
    equal to another's virtual address is a real duplicate.  Shut interfaces hold nothing (their
    addresses are allocated but unused), unnumbered interfaces borrow, and one device's interfaces
    in different VRFs do not clash."""
    nets = {}
    for origin, device, interface, prefix, network, department in tuples(
            inv["prefixes"], ("origin", "device", "interface", "prefix", "network", "department")):
        if origin == "interface":
            nets[(device, interface, prefix)] = (network, department)
    itf = inv["interfaces"]
    if "gateways" not in itf.columns:
        itf = itf.assign(gateways="")
    by_ip = defaultdict(dict)
    row_of = {}
    for r in tuples(itf, _DUP_COLUMNS):
        r = _DupRow._make(r)
        if r.admin_up is False or (r.admin_up is not None and r.admin_up is not pd.NA and not r.admin_up):
            continue
        key = (r.device, r.interface)
        row_of.setdefault(key, r)
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
            if fam == 6 and (n >> 118) == 0x3FA:  # fe80::/10, link-local
                continue
            slot = by_ip[(fam, n)].get(key)
            if slot is None:
                by_ip[(fam, n)][key] = slot = [r, False, False]  # row, own address, gateway
            if h == ip and not _s(r.unnumbered):
                if slot[0] is not r and not slot[1]:
                    slot[0] = r
                slot[1] = True
            if h in gws:
                slot[2] = True
    vteps = None
    out = []
    for (fam, n), owners in by_ip.items():
        if len(owners) < 2:
            continue
        keys = sorted(owners)
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                (ra, _own_a, gw_a), (rb, _own_b, gw_b) = owners[keys[x]], owners[keys[y]]
                if ra.device == rb.device and _s(ra.vrf) != _s(rb.vrf):
                    continue  # one device keeps its VRFs apart
                if gw_a and gw_b:
                    kind = "shared-by-design"
                elif gw_a or gw_b:
                    kind = "duplicate-ip"
                else:
                    if vteps is None:
                        vteps = _vtep_devices(inv)
                    kind = ("shared-by-design" if ra.kind == rb.kind == "loopback" and ra.device != rb.device
                            and ra.device in vteps and rb.device in vteps else "duplicate-ip")
                cols = {}
                for p, r in (("a", ra), ("b", rb)):
                    net, dept = nets.get((r.device, r.interface, _s(r.subnet)), ("", ""))
                    cols.update({f"{p}_prefix": _s(r.address), f"{p}_network": net, f"{p}_vrf": r.vrf,
                                 f"{p}_device": r.device, f"{p}_interface": r.interface, f"{p}_department": dept})
                sig_a = f"{fam}|{n}|{ra.device}|{ra.interface}"
                sig_b = f"{fam}|{n}|{rb.device}|{rb.interface}"
                row = {"conflict": _cid(kind, sig_a, sig_b), "kind": kind, **cols,
                       "overlap": str(IPAddress(n, fam)), "addresses": 1, "source": ra.source,
                       "location": ra.location}
                out.append(((fam, n, -n, KIND_ORDER.index(kind)), row))
    return out


ADDRESSES = ["10.0.0.1", "10.0.0.2", "10.0.0.1", "192.168.1.1", "2001:db8::1", "2001:DB8::1", "fe80::1",
             "10.0.0.01", "not-an-ip", "", "0.0.0.0", "255.255.255.255", "::", "::ffff:10.0.0.1"]


def _random_inventory(rnd):
    rows, prefixes = [], []
    for i in range(rnd.randint(0, 40)):
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
    for _ in range(100):
        inv = _random_inventory(rnd)
        want = _plain_duplicates(inv)
        assert _duplicates(inv) == want
        found += len(want)
    assert found > 50   # the random tables do hold duplicates
