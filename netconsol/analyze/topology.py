"""Topology: L3 links inferred from shared subnets, and one graph of the whole inventory.

Links (``infer_links``) follow Batfish's ``synthesizeL3Topology`` where it applies to
configs (checked against ``tests/basic/topology.ref`` of its example network):

* every pair of interfaces on one subnet links (a /30 or /31 gives one link, a LAN
  segment with n routers gives n·(n-1)/2), secondary addresses included;
* never: loopbacks, /32 and /128 host routes, shut-down interfaces (Batfish drops
  inactive interfaces), two interfaces of one device, two interfaces sharing a host
  address (a duplicate, an anycast gateway: reported by
  :func:`netconsol.analyze.overlaps.find_conflicts`), IPv6 link-local addresses;
  out-of-band ``management`` interfaces link like any other, within their VRF;
* masks that disagree (10.0.0.1/24 against 10.0.0.2/30) link when both addresses lie in
  the smaller subnet, which is recorded as the link's subnet.

**Evidence, VRF by VRF (issue 19).**  Two interfaces on one subnet meet only when their
VRF contexts can: the same context (:func:`vrf_contexts`: one VRF name, or a shared route
target, within the inventory), global to global, or a PE's VPN instance (a ``pe`` device,
or an interface of an extranet network) to a CE's global or VRF-lite interface on the
extranet's plan.  A subnet reused on one device pair in several VRFs pairs VRF by VRF,
and SVIs by VLAN id, never across.  Then the owners: two departments' interfaces on one
subnet are a conflict, not a link, unless other evidence says they are one network
(both attributed to one network by the manifest, a /30–/31 on the extranet plan, an
interface description naming the peer device, an LLDP/CDP neighbour: the ``evidence``
column names it).  A side whose department is unknown is never compatible: the pair is
a ``candidate`` (``status``), shown and counted apart.  (In an inventory that attributes
no device at all, as Batfish's example, the subnet alone decides.)  Unnumbered
interfaces (EOS ``ip address unnumbered``) link when their lenders' addresses peer
(BGP neighbour statements, LLDP), the descriptions picking the ports.

What stops reused private space from producing links is also the attribution
(``prefixes.network``).  Two interfaces on one subnet link only when their networks
are **compatible**:

1. the same network, or either side unattributed (nothing says they differ);
2. otherwise exactly one side is an extranet network X (extranet_admin,
   extranet_public, extranet_vpn) and the other a department's own network Y that is
   not the intranet, and X is carried for Y's department: X belongs to the same
   department (a per-department VPN, or the operator's own network), or the shared
   subnet lies in X's address plan and not in Y's (the access link is numbered
   from the extranet's plan, so the CE is attached to it, not reusing it);
3. anything else is not a link: two different department networks, two extranet
   domains, anything with the intranet.

Departments alone never block a link: a CE of one department faces a PE of another.

Links already in ``inv["links"]`` with other evidence (lldp, cdp, sheet, manifest) are
kept; rows from LLDP/CDP neighbours are added when the inventory carries a
``neighbors`` table (device, interface, neighbor, neighbor_interface, protocol).
One row per interface pair; several subnets or kinds of evidence are space-separated.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict, namedtuple
from contextlib import suppress
from itertools import repeat
from socket import AF_INET, inet_pton

import networkx as nx
import numpy as np
import pandas as pd
from netaddr import AddrFormatError, IPAddress, IPNetwork

from .. import schema
from .unionfind import DisjointSets

__all__ = [
    "EXTRANET_KINDS", "build_graph", "infer_links", "interface_addresses", "vrf_contexts",
    "compatible_networks", "node_id", "LINK_EXCLUDED_KINDS",
]

EXTRANET_KINDS = ("extranet_admin", "extranet_public", "extranet_vpn")
LINK_EXCLUDED_KINDS = ("loopback",)
_NODE_KEYS = ("type", "label", "vendor", "platform", "department", "district", "town", "network", "kind",
              "addresses", "carrier", "evidence")


def node_id(kind: str, name: str) -> str:
    """``device:NAME``, ``subnet:CTX|CIDR``, ``network:ID``, ``exit:ID``, ``unit:NAME``."""
    return f"{kind}:{name}"


def _s(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


_ROW_TYPES: dict[tuple, type] = {}


def rows(df: pd.DataFrame, columns=None):
    """``df[columns].itertuples(index=False)``, the same values, built column by column.

    itertuples reads a string column one element at a time through pandas' extension-array
    ``__getitem__``; here a string column is converted once (the same ``str`` objects) and
    other columns are iterated as itertuples iterates them (nullable ints and booleans stay
    numpy scalars or ``pd.NA``).
    """
    cols = tuple(df.columns if columns is None else columns)
    data = []
    for c in cols:
        s = df[c]
        data.append(s.to_numpy(dtype=object).tolist() if isinstance(s.dtype, pd.StringDtype) else list(s))
    typ = _ROW_TYPES.get(cols)
    if typ is None:
        typ = _ROW_TYPES[cols] = namedtuple("Pandas", cols, rename=True)
    return map(typ._make, zip(*data))


def tuples(df: pd.DataFrame, columns):
    """Plain tuples of *columns*, values as :func:`rows` gives them (for unpacking in loops)."""
    data = []
    for c in columns:
        s = df[c]
        data.append(s.to_numpy(dtype=object).tolist() if isinstance(s.dtype, pd.StringDtype) else list(s))
    return zip(*data)


_IP_CACHE: dict[str, tuple[int, int]] = {}
_LEADING_ZERO = re.compile(r"(?:^|\.)0[0-9]")


# what reading an address or a CIDR of a table row can raise: the row is malformed (its collector
# reported it as an issue row); anything else is a fault and propagates
ADDRESS_ERRORS = (AddrFormatError, ValueError, TypeError)


def ip_int(text: str) -> tuple[int, int]:
    """(family, integer) of an address, as ``netaddr.IPAddress`` reads it (ValueError if it does not).

    Dotted quads take the path netaddr itself takes (no part with a leading zero, then
    inet_pton); anything else goes to netaddr.  Cached: the same address is read by the
    topology, the duplicate check and the merge plan.
    """
    hit = _IP_CACHE.get(text)
    if hit is not None:
        return hit
    hit = None
    if ":" not in text:
        try:
            packed = inet_pton(AF_INET, text)
        except (OSError, ValueError, TypeError):
            packed = None
        if packed is not None and not _LEADING_ZERO.search(text):
            hit = (4, int.from_bytes(packed, "big"))
    if hit is None:
        a = IPAddress(text)
        hit = (a.version, int(a))
    if len(_IP_CACHE) > 1_000_000:
        _IP_CACHE.clear()
    _IP_CACHE[text] = hit
    return hit


_NET_CACHE: dict[str, tuple[int, int, int]] = {}


def net_bounds(cidr: str) -> tuple[int, int, int]:
    """(family, first, last) of a CIDR as netaddr reads it (cached: subnets repeat).  A plain
    'a.b.c.d/n' is read with inet_pton (see :func:`ip_int`); anything else by netaddr."""
    hit = _NET_CACHE.get(cidr)
    if hit is None:
        addr, slash, plen = cidr.partition("/")
        if slash and plen.isdigit() and len(plen) <= 2 and (plen == "0" or plen[0] != "0") and int(plen) <= 32 \
                and ":" not in addr:
            try:
                family, value = ip_int(addr)    # a dotted quad as netaddr reads it, in C
            except ValueError:
                family = 0
            if family == 4:
                size = 1 << (32 - int(plen))
                first = value & ~(size - 1)
                hit = (4, first, first + size - 1)
        if hit is None:
            n = IPNetwork(cidr)
            hit = (n.version, n.first, n.last)
        if len(_NET_CACHE) > 500_000:
            _NET_CACHE.clear()
        _NET_CACHE[cidr] = hit
    return hit


def _dotted_quads(texts: list, prefix: bool):
    """The canonical dotted quads among the str *texts* (``a.b.c.d``, or ``a.b.c.d/n`` when *prefix*),
    read in bulk with numpy: arrays of the accepted indices, their addresses and their prefix lengths
    (zeros without *prefix*).

    Canonical: four parts of 1-3 ASCII digits, none above 255 and none with a leading zero, then
    (*prefix*) '/' and a length 0-32 without a leading zero; what inet_pton, and so netaddr, reads
    as :func:`ip_int` and :func:`net_bounds` do.  Any other text is left out (the caller reads it
    one by one, netaddr being the reference)."""
    width = 18 if prefix else 15
    n = len(texts)
    none = np.zeros(0, dtype=np.int64)
    if not n or not all(type(t) is str for t in texts):
        return none, none, none
    if not all(map(str.isascii, texts)):   # read the ASCII texts; the others are not dotted quads
        sub = [i for i, t in enumerate(texts) if t.isascii()]
        idx, value, plen = _dotted_quads([texts[i] for i in sub], prefix)
        return np.asarray(sub, dtype=np.int64)[idx] if len(idx) else none, value, plen
    # fixed-width bytes: a longer text is cut (refused by the length check), a NUL pads
    u = np.array(texts, dtype=f"S{width}").view(np.uint8).reshape(n, width)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    digit = (u >= 48) & (u <= 57)
    dot, slash = u == 46, u == 47
    sep = dot | slash
    ok = (lens <= width) & (np.count_nonzero(u, axis=1) == lens) & (digit | sep | (u == 0)).all(axis=1)
    ok &= (np.count_nonzero(dot, axis=1) == 3) & (np.count_nonzero(slash, axis=1) == (1 if prefix else 0))
    if prefix:   # the '/' after the third dot
        ok &= np.argmax(slash, axis=1) > (width - 1 - np.argmax(dot[:, ::-1], axis=1))
    # the parts read left to right, one column at a time over every text (Horner: a part's value is
    # 10 * value + digit; the address 256 * address + part at the end of each part)
    address = np.zeros(n, dtype=np.int64)
    plen = np.zeros(n, dtype=np.int64)
    value = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    lead0 = np.zeros(n, dtype=bool)
    nul = np.zeros(n, dtype=np.uint8)
    for j in range(width + 1):
        c = u[:, j] if j < width else nul
        d = c.astype(np.int64) - 48
        isd = (d >= 0) & (d <= 9)
        lead0 |= isd & (count == 0) & (d == 0)
        value = np.where(isd, value * 10 + d, value)
        count += isd
        end = (sep[:, j] if j < width else False) | (lens == j)   # a part ends at '.', '/' or the text's end
        if not end.any():
            continue
        last = end & (lens == j) if prefix else np.zeros(n, dtype=bool)   # the prefix length
        octet = end & ~last
        ok &= ~octet | ((count >= 1) & (count <= 3) & (value <= 255) & ~(lead0 & (count > 1)))
        ok &= ~last | ((count >= 1) & (count <= 2) & (value <= 32) & ~(lead0 & (count > 1)))
        address = np.where(octet, (address << 8) | (value & 255), address)
        plen = np.where(last, value, plen)
        value[end], count[end], lead0[end] = 0, 0, False
    idx = np.flatnonzero(ok)
    return idx, address[idx], plen[idx]


def ip_ints(texts: list) -> list:
    """:func:`ip_int` of each of *texts*, None where netaddr refuses it; canonical dotted quads
    read in bulk, the rest one by one.  Fills ip_int's cache (later stages read the same addresses)."""
    idx, value, _ = _dotted_quads(texts, False)
    return _bulk_read(texts, idx, list(zip(repeat(4), value.tolist())), _IP_CACHE, 1_000_000, ip_int)


def nets_bounds(texts: list) -> list:
    """:func:`net_bounds` of each of the CIDR *texts*, None where netaddr refuses it; canonical
    'a.b.c.d/n' read in bulk, the rest one by one.  Fills net_bounds' cache."""
    idx, value, plen = _dotted_quads(texts, True)
    size = np.left_shift(np.int64(1), 32 - plen)
    first = value & ~(size - 1)
    return _bulk_read(texts, idx, list(zip(repeat(4), first.tolist(), (first + size - 1).tolist())),
                      _NET_CACHE, 500_000, net_bounds)


def _bulk_read(texts: list, idx, read: list, cache: dict, cap: int, one) -> list:
    """The answers for *texts*: *read* (what the bulk reader made of the texts at positions *idx*),
    put into *cache* (cleared first if it would pass *cap* entries), and ``one(text)`` for each of
    the others (None where netaddr refuses it)."""
    idx = idx.tolist()
    out = [None] * len(texts)
    for i, r in zip(idx, read):
        out[i] = r
    if len(cache) + len(read) > cap:
        cache.clear()
    cache.update(zip(map(texts.__getitem__, idx), read))
    if len(idx) < len(texts):
        for i, t in enumerate(texts):
            if out[i] is None:
                with suppress(*ADDRESS_ERRORS):   # refused: stays None
                    out[i] = one(t)
    return out


# ----------------------------------------------------------------------------------------------
def vrf_contexts(inv) -> dict[tuple[str, str], str]:
    """(device, vrf) -> routing-context label for VRFs, '' -> 'global'.

    VRF names are local, but two VRFs are one routing context when they share a route
    target (one exports what the other imports) or carry the same name (VRF-lite is
    configured with one name end to end).  The label is the sorted first member,
    ``DEVICE:VRF``.
    """
    vrfs = inv["vrfs"]
    nodes = set()
    for device, vrf in tuples(inv["interfaces"], ("device", "vrf")):
        if vrf:
            nodes.add((device, vrf))
    exporters = defaultdict(set)
    imports = {}
    for r in rows(vrfs, ("device", "vrf", "export_rt", "import_rt")):
        nodes.add((r.device, r.vrf))
        for rt in _s(r.export_rt).split():
            exporters[rt].add((r.device, r.vrf))
        imports[(r.device, r.vrf)] = _s(r.import_rt).split()
    sets = DisjointSets(nodes)
    union = sets.union
    by_name = defaultdict(list)
    for n in nodes:
        by_name[n[1]].append(n)
    for members in by_name.values():
        for m in members[1:]:
            union(members[0], m)
    # importer of rt ~ every exporter of rt: union the exporters of each rt into one group
    # first, then each importer with that group's first member -- linear, not importers ×
    # exporters (a province's 10,000 PEs share one admin route target)
    imported = {rt for rts in imports.values() for rt in rts}
    first_exporter = {}
    for rt, members in exporters.items():
        if rt not in imported:
            continue  # exported, imported by nobody: joins nothing
        ordered = sorted(members)
        first_exporter[rt] = ordered[0]
        for m in ordered[1:]:
            union(ordered[0], m)
    for node, rts in imports.items():
        for rt in rts:
            if rt in first_exporter:
                union(node, first_exporter[rt])
    out = {}
    for members in sets.groups(nodes).values():
        label = "%s:%s" % min(members)
        for m in members:
            out[m] = label
    return out


# the columns of :func:`interface_addresses`, in order
ADDRESS_KEYS = ("device", "interface", "kind", "vrf", "address", "ip", "subnet", "family", "start", "end", "ip_int",
                "secondary", "admin_up", "source", "location", "network", "net_kind", "department",
                "device_department", "vctx", "context", "linkable", "link_local", "description", "vlan", "gateways")


def _texts(s: pd.Series) -> list:
    """``[_s(v) for v in s]``, converted once per column for string and nullable-integer columns."""
    if isinstance(s.dtype, pd.StringDtype):
        return s.fillna("").to_numpy(dtype=object).tolist()
    if isinstance(s.dtype, pd.Int64Dtype):
        return s.astype("string").fillna("").to_numpy(dtype=object).tolist()
    return [_s(v) for v in s]


def _values(s: pd.Series) -> list:
    """The column's values as :func:`tuples` gives them."""
    return s.to_numpy(dtype=object).tolist() if isinstance(s.dtype, pd.StringDtype) else list(s)


def interface_addresses(inv, vctx: dict | None = None) -> dict[str, list]:
    """Every interface address (ip set) with its attribution and context, column by column:
    ``{key: [value per address]}``, the keys :data:`ADDRESS_KEYS` (:func:`address_rows` gives the
    same as one dict per address).

    Keys: the interfaces columns plus ``network``, ``net_kind``, ``department`` (of the
    prefix row), ``device_department``, ``context`` (network id, else 'global' or the VRF
    context), ``vctx`` ('global' or the VRF context), ``family``, ``start``, ``end``, ``ip_int``
    and ``linkable``.  *vctx*: :func:`vrf_contexts` of *inv* when the caller has it already.
    """
    pre = inv["prefixes"]
    on_itf = pre[pre["origin"] == "interface"] if len(pre) else pre
    attr = {(d, i, p): (n, dp) for d, i, p, n, dp in tuples(
        on_itf, ("device", "interface", "prefix", "network", "department"))}
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev_dept = dict(tuples(inv["devices"], ("device", "department")))
    itf = inv["interfaces"]
    n = len(itf)
    if vctx is None:
        vctx = vrf_contexts(inv)
    ips, subnets, unnum = _texts(itf["ip"]), _texts(itf["subnet"]), _texts(itf["unnumbered"])
    keep = [i for i in range(n) if ips[i] and subnets[i] and not unnum[i]]
    # addresses as integers once per distinct text; a malformed row is the parser's issue, not a crash here
    ip, subnet = [ips[i] for i in keep], [subnets[i] for i in keep]
    fse, ip_read = nets_bounds(subnet), ip_ints(ip)
    if None in fse or None in ip_read:
        ok = [k for k, (b, v) in enumerate(zip(fse, ip_read)) if b is not None and v is not None]
        keep, ip, subnet = [keep[k] for k in ok], [ip[k] for k in ok], [subnet[k] for k in ok]
        fse, ip_read = [fse[k] for k in ok], [ip_read[k] for k in ok]

    sel = np.asarray(keep, dtype=np.intp)

    def picked(name, read=_values):
        """Column *name* of the kept rows, read as *read* reads a column ('' when there is no such column)."""
        return read(itf[name].take(sel)) if name in itf.columns else [""] * len(keep)

    device, interface, kind, vrf = (picked(c) for c in ("device", "interface", "kind", "vrf"))
    family = [b[0] for b in fse]
    ip_n = [v[1] for v in ip_read]
    admin_up = picked("admin_up")
    # a sub-interface of a shut-down port is down whatever its own line says (VRP and Comware
    # keep 'shutdown' on the physical port; its .100 has no shutdown line of its own)
    up_col = itf["admin_up"]
    if isinstance(up_col.dtype, pd.BooleanDtype):
        shut = np.flatnonzero(~up_col.fillna(True).to_numpy(dtype=bool))
    else:
        shut = [i for i, u in enumerate(up_col) if u is not pd.NA and u is not None and not bool(u)]
    all_dev, all_itf = itf["device"], itf["interface"]
    down = set(zip(_values(all_dev.take(shut)), _values(all_itf.take(shut))))
    parent_down = set()
    if down and "parent" in itf.columns:
        # only the shut ports' devices can hold their sub-interfaces
        near = np.flatnonzero(all_dev.isin({d for d, _ in down}).to_numpy(dtype=bool))
        parent_down = {(d, i) for d, i, par in zip(_values(all_dev.take(near)), _values(all_itf.take(near)),
                                                   _values(itf["parent"].take(near))) if par and (d, par) in down}
    pl = itf["prefixlen"]
    if pd.api.types.is_integer_dtype(pl.dtype):
        plen = pl.to_numpy(dtype="int64", na_value=1 << 62)[sel].tolist()   # missing: never < 32
    else:
        plen = [_s(v) for v in pl.take(sel)]   # read as int() only where the row is otherwise linkable
    link_local = [f == 6 and (v >> 118) == 0x3FA for f, v in zip(family, ip_n)]  # fe80::/10
    linkable = [k not in LINK_EXCLUDED_KINDS and (u is pd.NA or u is None or bool(u)) and (d, i) not in parent_down
                and not ll and (p < (32 if f == 4 else 128) if type(p) is int else
                                p != "" and int(p) < (32 if f == 4 else 128))
                for k, u, d, i, ll, p, f in zip(kind, admin_up, device, interface, link_local, plen, family)]
    no_attr = ("", "")
    nd = [attr.get(k, no_attr) for k in zip(device, interface, subnet)]
    network = [x[0] for x in nd]
    dept_of = {d: _s(dev_dept.get(d, "")) for d in set(device)}
    ctx_v = ["global" if not v else vctx.get((d, v), f"{d}:{v}") for d, v in zip(device, vrf)]
    return {
        "device": device, "interface": interface, "kind": kind, "vrf": vrf, "address": picked("address"),
        "ip": ip, "subnet": subnet, "family": family, "start": [b[1] for b in fse], "end": [b[2] for b in fse],
        "ip_int": ip_n, "secondary": picked("secondary"), "admin_up": admin_up, "source": picked("source"),
        "location": picked("location"), "network": network, "net_kind": [kinds.get(x, "") for x in network],
        "department": [x[1] for x in nd], "device_department": [dept_of[d] for d in device], "vctx": ctx_v,
        "context": [x or c for x, c in zip(network, ctx_v)], "linkable": linkable, "link_local": link_local,
        "description": picked("description", _texts), "vlan": picked("vlan", _texts),
        "gateways": picked("gateways", _texts),
    }


def address_rows(addrs: dict) -> list[dict]:
    """:func:`interface_addresses`' columns as one dict per address (keys in :data:`ADDRESS_KEYS` order)."""
    return [dict(zip(ADDRESS_KEYS, r)) for r in zip(*(addrs[k] for k in ADDRESS_KEYS))]


class Plans:
    """Which networks' address plans (manifest and sheet ranges) contain a CIDR.

    Keyed by (family, prefix length) then the network bits, so a lookup costs one
    dict probe per distinct plan length.
    """

    def __init__(self, items):
        self._by_len: dict[tuple[int, int], dict[int, set]] = defaultdict(dict)
        items = list(items)
        for (cidr, label), b in zip(items, nets_bounds([cidr for cidr, _ in items])):
            if b is None:
                continue   # a CIDR netaddr refuses
            fam, start, end = b
            width = 32 if fam == 4 else 128
            plen = width - (end - start + 1).bit_length() + 1
            self._by_len[(fam, plen)].setdefault(start >> (width - plen), set()).add(label)

    def containing(self, cidr: str) -> set:
        fam, start, end = net_bounds(cidr)
        width = 32 if fam == 4 else 128
        plen = width - (end - start + 1).bit_length() + 1
        out = set()
        for (f, pl), table in self._by_len.items():
            if f == fam and pl <= plen:
                out |= table.get(start >> (width - pl), set())
        return out


def _plan_index(inv) -> Plans:
    """Address plans: manifest and sheet ranges per network."""
    p = inv["prefixes"]
    rows = p[(p["origin"].isin(["manifest", "sheet"])) & (p["network"] != "")]
    return Plans(zip(rows["prefix"], rows["network"]))


def compatible_networks(a: dict, b: dict, subnet: str, nets: dict, plans: Plans) -> bool:
    """The link-compatibility rule of the module docstring, for two interface addresses."""
    na, nb = a["network"], b["network"]
    if not na or not nb or na == nb:
        return True
    ka, kb = nets.get(na, {}).get("kind", ""), nets.get(nb, {}).get("kind", "")
    ea, eb = ka in EXTRANET_KINDS, kb in EXTRANET_KINDS
    if ea == eb:
        return False
    x, y = (a, b) if ea else (b, a)
    ky = kb if ea else ka
    if ky == "intranet":
        return False
    xdept = nets.get(x["network"], {}).get("department", "")
    ydepts = {y["department"], y["device_department"], nets.get(y["network"], {}).get("department", "")} - {""}
    if xdept and xdept in ydepts:
        return True
    in_plan = plans.containing(subnet) if subnet else set()
    return x["network"] in in_plan and y["network"] not in in_plan


PE_ROLES = ("pe", "core")   # manifest roles of the devices that carry the extranet's VPN instances


def _nets(inv) -> dict:
    return {r.network: {"kind": r.kind, "department": r.department, "district": r.district, "town": r.town,
                        "name": r.name, "carrier": r.carrier}
            for r in rows(inv["networks"], ("network", "kind", "department", "district", "town", "name", "carrier"))}


def infer_links(inv, neighbors=None, *, addrs: dict | None = None) -> pd.DataFrame:
    """The links table: L3 links from shared subnets, plus kept and neighbour-derived rows.

    Rows carry ``status`` ``link`` or ``candidate`` (module docstring, evidence rules).
    *addrs*: :func:`interface_addresses` of *inv* when the caller has it already.
    """
    every = interface_addresses(inv) if addrs is None else addrs
    D, I, FAM, START, END, IPN = (every[k] for k in ("device", "interface", "family", "start", "end", "ip_int"))
    VRF, VCTX, NET, NKIND, DESC, VLAN, KIND, SUB = (every[k] for k in (
        "vrf", "vctx", "network", "net_kind", "description", "vlan", "kind", "subnet"))
    DEPT, DDEPT, SRC, LOC = (every[k] for k in ("department", "device_department", "source", "location"))
    linkable = [i for i, ok in enumerate(every["linkable"]) if ok]
    nets = _nets(inv)
    plans = _plan_index(inv)
    ips_of = defaultdict(set)
    for key, fam_ip in zip(zip(D, I), zip(FAM, IPN)):
        ips_of[key].add(fam_ip)
    groups = defaultdict(list)   # (family, start, end) -> linkable addresses (indices)
    for i in linkable:
        groups[(FAM[i], START[i], END[i])].append(i)
    found: dict[tuple, dict] = {}
    dev = {r.device: r for r in rows(inv["devices"], ("device", "department", "network", "role"))}
    departments_known = any(r.department for r in dev.values())
    peers = _neighbor_pairs(inv, neighbors)
    # (device, subnet span) -> how many of the device's interfaces hold it: a subnet reused per VRF/VLAN
    # (counted when first asked for: only SVIs of differing VLANs on one subnet ask)
    per_device: Counter | None = None

    def reused(i) -> bool:
        nonlocal per_device
        if per_device is None:
            per_device = Counter((D[k], FAM[k], START[k], END[k]) for k in linkable)
        return per_device[(D[i], FAM[i], START[i], END[i])] > 1

    def pe_device(device) -> bool:
        """A PE of the extranet: the manifest's role says so (pe, or the core that carries the VPN
        instances); a device the manifest gives no role is one when its network is the extranet.  A CE
        or town router the manifest files under the extranet's network (it serves the extranet) is not."""
        d = dev.get(device)
        if d is None:
            return False
        if d.role:
            return d.role in PE_ROLES
        return nets.get(d.network, {}).get("kind", "") in EXTRANET_KINDS

    def on_extranet_plan(subnet) -> bool:
        return any(nets.get(n, {}).get("kind", "") in EXTRANET_KINDS for n in plans.containing(subnet))

    def peer_evidence(a, b, subnet) -> str:
        """Evidence beyond the shared subnet that two ends are one network ('' when none)."""
        if frozenset((D[a].lower(), D[b].lower())) in peers:
            return "lldp"
        if _names(DESC[a], D[b]) or _names(DESC[b], D[a]):
            return "description"
        fam, start, end = net_bounds(subnet)
        if end - start <= 3 and on_extranet_plan(subnet):
            return "extranet-plan"
        return ""

    def attribution(i) -> dict:
        return {"network": NET[i], "department": DEPT[i], "device_department": DDEPT[i]}

    def consider(a, b, subnet):
        if D[a] == D[b]:
            return
        ka, kb = (D[a], I[a]), (D[b], I[b])
        if ips_of[ka] & ips_of[kb]:
            return
        # VRF contexts: the same context, or a PE's VPN instance facing a CE on the extranet's plan
        if VCTX[a] != VCTX[b]:
            x, y = (a, b) if VRF[a] and pe_device(D[a]) else (b, a)
            if not (VRF[x] and (pe_device(D[x]) or NKIND[x] in EXTRANET_KINDS) and not pe_device(D[y])
                    and (on_extranet_plan(subnet) or NKIND[x] in EXTRANET_KINDS)):
                return
        # SVIs of one subnet reused per VLAN on a device pair: pair them VLAN by VLAN
        if VLAN[a] and VLAN[b] and VLAN[a] != VLAN[b] and KIND[a] == KIND[b] == "vlan" and (reused(a) or reused(b)):
            return
        na, nb = NET[a], NET[b]
        if na and nb and na != nb and not compatible_networks(attribution(a), attribution(b), subnet, nets, plans):
            return
        status, evidence = "link", "subnet"   # the attribution alone decides: the subnet is the evidence
        if not (na and nb):
            da = DDEPT[a] or DEPT[a]
            db = DDEPT[b] or DEPT[b]
            ev = peer_evidence(a, b, subnet)
            if da and db:
                if da != db:
                    if not ev:
                        return  # two departments' reused space: a conflict (overlaps), not a link
                    evidence = ev
            elif not da and not db and not departments_known:
                evidence = ev or "subnet"   # nothing in the inventory is attributed: the subnet alone
            elif ev:
                evidence = ev
            else:
                status, evidence = "candidate", "subnet"
        if kb < ka:
            a, b, ka, kb = b, a, kb, ka
        row = found.get(ka + kb)
        if row is None:
            found[ka + kb] = row = {"a_device": ka[0], "a_interface": ka[1], "b_device": kb[0], "b_interface": kb[1],
                                    "subnets": set(), "evidence": set(), "status": status, "source": SRC[a],
                                    "location": f"{LOC[a]} / {SRC[b]} {LOC[b]}".strip()}
        elif status == "link":
            row["status"] = "link"
        row["subnets"].add(subnet)
        row["evidence"].update(("subnet", evidence))

    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (D[m], I[m], IPN[m]))
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                consider(members[i], members[j], SUB[members[i]])
    # masks that disagree: subnets of one family nested in each other
    from .intervals import overlapping_pairs

    for fam in (4, 6):
        keys = sorted(k for k in groups if k[0] == fam)
        spans = [(k[1], k[2]) for k in keys]
        for i, j in overlapping_pairs(spans):
            big, small = (keys[i], keys[j]) if spans[i][1] - spans[i][0] >= spans[j][1] - spans[j][0] else \
                (keys[j], keys[i])
            for a in groups[big]:
                if not small[1] <= IPN[a] <= small[2]:
                    continue
                for b in groups[small]:
                    consider(a, b, SUB[b])
    for r in found.values():   # the rows made above, their sets written out
        subnets, evidence = r.pop("subnets"), r.pop("evidence")
        r["subnet"] = " ".join(subnets) if len(subnets) == 1 else " ".join(sorted(subnets, key=_cidr_key))
        r["evidence"] = " ".join(sorted(evidence))
    out_rows = list(found.values())
    out_rows.extend(_unnumbered_links(inv, every))
    out_rows.extend(_kept_links(inv))
    out_rows.extend(_neighbor_links(inv, neighbors))
    merged: dict[tuple, dict] = {}
    for r in out_rows:
        k = (r["a_device"], r["a_interface"], r["b_device"], r["b_interface"])
        m = merged.get(k)
        if m is None:
            merged[k] = dict(r)
            continue
        m["evidence"] = " ".join(sorted(set(m["evidence"].split()) | set(r["evidence"].split())))
        if r.get("subnet") and not m.get("subnet"):
            m["subnet"] = r["subnet"]
        if r.get("status", "link") == "link":
            m["status"] = "link"   # other evidence (lldp, a kept row) settles a candidate
    df = schema.frame("links", merged.values())
    return df.sort_values(["a_device", "a_interface", "b_device", "b_interface"], kind="mergesort").reset_index(
        drop=True)


def _cidr_key(c):
    return net_bounds(c)


def _ordered(ad, ai, bd, bi):
    return (ad, ai, bd, bi) if (ad, ai) <= (bd, bi) else (bd, bi, ad, ai)


# evidence this module infers itself: such rows are recomputed, never kept
_INFERRED = frozenset({"subnet", "unnumbered", "description", "extranet-plan", "department", "manifest", "bgp",
                       "ospf"})


def _names(description: str, device: str) -> bool:
    """An interface description naming a device (as a whole word: TO_R1 names R1, not R10)."""
    if not description or not device:
        return False
    return re.search(r"(?<![A-Za-z0-9])%s(?![A-Za-z0-9])" % re.escape(device.lower()), description.lower()) is not None


def _neighbor_pairs(inv, neighbors) -> set:
    """{frozenset(device, neighbour)} (lower case) of the LLDP/CDP neighbour rows."""
    if neighbors is None:
        neighbors = inv.tables.get("neighbors")
    if neighbors is None or len(neighbors) == 0:
        return set()
    if isinstance(neighbors, pd.DataFrame):
        neighbors = neighbors.to_dict("records")
    out = set()
    for n in neighbors:
        a, b = _s(n.get("device")).lower(), _s(n.get("neighbor")).strip().lower()
        if a and b:
            out.add(frozenset((a, b)))
            out.add(frozenset((a, b.split(".")[0])))
    return out


def _unnumbered_links(inv, every) -> list[dict]:
    """Links between unnumbered interfaces (EOS ``ip address unnumbered Loopback0``, NX-OS / IOS
    ``ip unnumbered``): two devices whose lender addresses peer (a BGP neighbour statement of one
    names the other's lender address, or an LLDP/CDP neighbour row) are linked by their unnumbered
    ports; with several such ports on a device, the descriptions naming the peer pick the port (a
    port whose description names another device is not used)."""
    itf = inv["interfaces"]
    unnum = itf[(itf["unnumbered"] != "") & (itf["admin_up"].fillna(True).astype(bool))]
    if len(unnum) == 0:
        return []
    owner = {}   # (device, lender interface) -> its addresses
    addr_dev = defaultdict(set)
    for device, interface, ip, kind in zip(every["device"], every["interface"], every["ip"], every["kind"]):
        owner.setdefault((device, interface), set()).add(ip)
        if kind == "loopback":
            addr_dev[ip].add(device)
    ports = defaultdict(list)   # device -> [(interface, description, lender ips, source, location)]
    for r in rows(unnum, ("device", "interface", "unnumbered", "description", "source", "location")):
        ports[r.device].append((r.interface, _s(r.description), owner.get((r.device, r.unnumbered), set()),
                                r.source, r.location))
    peered = set()
    bgp = inv["bgp"]
    for device, neighbor in tuples(bgp, ("device", "neighbor")):
        for other in addr_dev.get(neighbor, ()):
            if other != device:
                peered.add(frozenset((device, other)))
    lower = {d.lower(): d for d in ports}
    for pair in _neighbor_pairs(inv, None):
        names = [lower.get(x) for x in pair]
        if len(names) == 2 and all(names):
            peered.add(frozenset(names))
    out = []
    for pair in sorted(peered, key=sorted):
        a_dev, b_dev = sorted(pair)
        if a_dev not in ports or b_dev not in ports:
            continue

        def pick(dev, other):
            mine = ports[dev]
            named = [p for p in mine if _names(p[1], other)]
            if named:
                return named
            unnamed = [p for p in mine if not any(_names(p[1], d) for d in ports if d != dev)]
            return unnamed if len(unnamed) == 1 else []
        pa, pb = pick(a_dev, b_dev), pick(b_dev, a_dev)
        if len(pa) != 1 or len(pb) != 1:
            continue
        (ai, _, _, src, loc), (bi, _, _, bsrc, bloc) = pa[0], pb[0]
        out.append({"a_device": a_dev, "a_interface": ai, "b_device": b_dev, "b_interface": bi, "subnet": "",
                    "evidence": "unnumbered", "status": "link", "source": src,
                    "location": f"{loc} / {bsrc} {bloc}"})
    return out


def _kept_links(inv) -> list[dict]:
    """Links the collectors recorded with other evidence (lldp, cdp, sheet, manifest)."""
    out = []
    links = inv["links"]
    # our own earlier inference (every kind of evidence one this module infers) is recomputed: skipped
    kept = [i for i, ev in enumerate(_texts(links["evidence"])) if not _INFERRED.issuperset(ev.split())]
    if len(kept) < len(links):
        links = links.iloc[kept]
    for r in rows(links, ("a_device", "a_interface", "b_device", "b_interface", "subnet", "evidence", "source",
                          "location")):
        ev = [e for e in _s(r.evidence).split() if e not in _INFERRED]
        if not ev:
            continue  # our own earlier inference: recomputed above
        ad, ai, bd, bi = _ordered(r.a_device, r.a_interface, r.b_device, r.b_interface)
        out.append({"a_device": ad, "a_interface": ai, "b_device": bd, "b_interface": bi, "subnet": _s(r.subnet),
                    "evidence": " ".join(ev), "status": "link", "source": r.source, "location": r.location})
    return out


def _neighbor_links(inv, neighbors) -> list[dict]:
    """LLDP/CDP neighbours (device, interface, neighbor, neighbor_interface, protocol) as links.

    A neighbour's system name is matched to a device case-insensitively, also without
    its domain (``R1.example.net`` -> ``R1``); an unmatched name is kept as written.
    """
    if neighbors is None:
        neighbors = inv.tables.get("neighbors")
    if neighbors is None or len(neighbors) == 0:
        return []
    if isinstance(neighbors, pd.DataFrame):
        neighbors = neighbors.to_dict("records")
    known = {}
    for d in inv["devices"]["device"]:
        known[d.lower()] = d
        known.setdefault(d.lower().split(".")[0], d)
    out = []
    for n in neighbors:
        other = _s(n.get("neighbor")).strip()
        if not other:
            continue
        other = known.get(other.lower(), known.get(other.lower().split(".")[0], other))
        proto = (_s(n.get("protocol")) or "lldp").lower()
        ad, ai, bd, bi = _ordered(_s(n.get("device")), _s(n.get("interface")), other,
                                  _s(n.get("neighbor_interface")))
        out.append({"a_device": ad, "a_interface": ai, "b_device": bd, "b_interface": bi, "subnet": "",
                    "evidence": proto, "status": "link", "source": _s(n.get("source")),
                    "location": _s(n.get("location"))})
    return out


# ----------------------------------------------------------------------------------------------
def _unit_lookup(inv):
    units = list(rows(inv["units"]))
    by_id = {r.unit: r for r in units}
    towns_by_name = defaultdict(list)
    for r in units:
        if r.level == "town":
            towns_by_name[r.name].append(r.unit)
    city = next((r.unit for r in units if r.level == "city"), "")
    return by_id, towns_by_name, city


def town_unit(district: str, town: str, by_id, towns_by_name) -> str:
    """Unit id of a town named on a device, exit or network ('' when it names none)."""
    if not town:
        return ""
    if town in by_id:
        return town
    if district and f"{district}/{town}" in by_id:
        return f"{district}/{town}"
    cands = towns_by_name.get(town, [])
    if len(cands) == 1:
        return cands[0]
    if district:
        return f"{district}/{town}"
    return town


def _segments(subnet, members, links_by_subnet, context, device, interface) -> list[list]:
    """The members (address indices) of one subnet grouped into segments: members sharing a context,
    and members whose interfaces a link of this subnet joins; in order of each segment's first member.
    *context*, *device*, *interface*: those columns of :func:`interface_addresses`."""
    sets = DisjointSets(range(len(members)))
    union = sets.union
    first_of_ctx = {}
    for i, m in enumerate(members):
        j = first_of_ctx.setdefault(context[m], i)
        if j != i:
            union(j, i)
    pairs = links_by_subnet.get(subnet)
    if pairs:
        of_key = defaultdict(list)
        for i, m in enumerate(members):
            of_key[(device[m], interface[m])].append(i)
        for ka, kb in pairs:
            xs, ys = of_key.get(ka), of_key.get(kb)
            if not xs or not ys:
                continue
            if ka == kb:
                for j in xs[1:]:
                    union(xs[0], j)
            else:
                for j in xs + ys[1:]:
                    union(ys[0], j)
    return [[members[i] for i in group] for group in sets.groups().values()]


_BLANK_NODE = dict.fromkeys(_NODE_KEYS, "")


def build_graph(inv, links: pd.DataFrame | None = None, *, addrs: dict | None = None) -> nx.Graph:
    """One graph of devices, subnets, networks, units (city/district/town/department) and exits.

    Node ids: ``device:NAME``, ``subnet:CTX|CIDR`` (CTX = the network id, else 'global' or
    the VRF context; '+'-joined when linked interfaces of several networks share it),
    ``network:ID``, ``exit:ID``, ``unit:UNIT`` (units.unit).  Every node has the attributes
    type, label, vendor, platform, department, district, town, network, kind, addresses,
    carrier, evidence ('' when not applicable).  Edges have ``type``: address (device-subnet),
    link (device-device, with evidence and interfaces), member (device/subnet-network),
    located (device/network/exit-unit), owned (-> department unit), part_of (unit-unit),
    exit (exit-device).  *addrs*: :func:`interface_addresses` of *inv* when the caller has it.
    """
    if addrs is None:
        addrs = interface_addresses(inv)
    if links is None:
        links = infer_links(inv, addrs=addrs)
    nets = _nets(inv)
    by_id, towns_by_name, city = _unit_lookup(inv)

    # the nodes and edges are collected first, in the order they are made, and handed to networkx
    # in one add_nodes_from and one add_edges_from (every edge joins nodes made before it, so the
    # nodes' and the adjacency's order is that of adding them one by one)
    nodes: dict[str, dict] = {}   # node id -> attributes
    edges: list = []              # (u, v, attributes)

    def add(nid, **attrs):
        node = nodes.get(nid)
        if node is not None:
            for k, v in attrs.items():
                if v not in ("", None) and not node.get(k):
                    node[k] = v
            return nid
        base = _BLANK_NODE.copy()
        for k, v in attrs.items():
            base[k] = "" if v is None else v
        nodes[nid] = base
        return nid

    # add() again with the same attributes changes nothing: the unit, network and bare device
    # nodes below are added once per distinct call
    done: dict = {}
    LOCATED, OWNED, MEMBER, PART_OF = ({"type": t} for t in ("located", "owned", "member", "part_of"))

    def unit(uid, level="", district=""):
        if not uid:
            return ""
        key = ("unit", uid, level, district)
        hit = done.get(key)
        if hit is not None:
            return hit
        r = by_id.get(uid)
        if r is not None:
            nid = add(node_id("unit", uid), type="unit", label=r.name, kind=r.level, district=r.district,
                      town=r.name if r.level == "town" else "")
        else:
            name = uid.split("/")[-1].removeprefix("dept:")
            nid = add(node_id("unit", uid), type="unit", label=name, kind=level, district=district,
                      town=name if level == "town" else "")
        done[key] = nid
        return nid

    net_nodes: dict = {}   # network id -> its node, once network_node made it
    dev_nodes: dict = {}   # device -> its node, once bare_device made it (bare_device fills a blank kind)

    def network_node(nid):
        hit = net_nodes.get(nid)
        if hit is None:
            hit = net_nodes[nid] = _network_node(add, nid, nets)
        return hit

    def bare_device(dev):
        hit = dev_nodes.get(dev)
        if hit is None:
            hit = dev_nodes[dev] = add(node_id("device", dev), type="device", label=dev, kind="unknown")
        return hit

    located: dict = {}   # (district, town) -> the unit a thing there is located in ('' none)
    owned: dict = {}     # (department, district) -> the department's unit

    def place(nid, department, district, town):
        # the units made on the first call of each (district, town) and (department, district), in
        # the order one call per thing would make them: where it is, then whose it is
        u = located.get((district, town))
        if u is None:
            t = town_unit(district, town, by_id, towns_by_name)
            u = located[(district, town)] = (unit(t, "town", district) if t else
                                             unit(district, "district", district) if district else "")
        if u:
            edges.append((nid, u, LOCATED))
        if department:
            u = owned.get((department, district))
            if u is None:
                u = owned[(department, district)] = unit(f"dept:{department}", "department", district)
            edges.append((nid, u, OWNED))

    # units and their hierarchy
    for r in rows(inv["units"], ("unit", "level", "district")):
        u = unit(r.unit)
        if r.level == "town" and r.district:
            edges.append((u, unit(r.district, "district", r.district), PART_OF))
        elif r.level == "district" and city:
            edges.append((u, unit(city, "city"), PART_OF))
        elif r.level == "department":
            parent = r.district or city
            if parent:
                edges.append((u, unit(parent, "district" if r.district else "city", r.district), PART_OF))

    D, I, ADDR, SUB, NET, CTX = (addrs[k] for k in ("device", "interface", "address", "subnet", "network", "context"))
    by_dev = defaultdict(list)
    for d, a in zip(D, ADDR):
        by_dev[d].append(a)
    for r in rows(inv["devices"], ("device", "vendor", "platform", "department", "district", "town", "network", "role",
                                   "model", "site")):
        nid = add(node_id("device", r.device), type="device", label=r.device, vendor=r.vendor, platform=r.platform,
                  department=r.department, district=r.district, town=r.town, network=r.network, kind=r.role,
                  addresses=" ".join(sorted(set(by_dev.get(r.device, [])))), model=r.model, site=r.site)
        place(nid, r.department, r.district, r.town)
        if r.network:
            edges.append((nid, network_node(r.network), MEMBER))
    for nid_, n in nets.items():
        nn = network_node(nid_)
        place(nn, n["department"], n["district"], n["town"])

    # subnets: one node per segment (interfaces of a subnet joined by a link or sharing a context)
    links_by_subnet = defaultdict(list)  # subnet -> [(a key, b key)] of link rows written in pair order
    if "status" not in links.columns:
        links = links.assign(status="link")
    link_rows = list(tuples(links, ("a_device", "a_interface", "b_device", "b_interface", "subnet", "evidence",
                                    "status")))
    for ad, ai, bd, bi, subnet, _, status in link_rows:
        if status == "candidate":
            continue  # a candidate joins no segment
        ka, kb = (ad, ai), (bd, bi)
        if ka > kb:
            continue  # a pair of interfaces is looked up in order: a row written the other way never matches
        for sn in _s(subnet).split():
            links_by_subnet[sn].append((ka, kb))
    groups = defaultdict(list)
    for i, ok in enumerate(addrs["linkable"]):
        if ok:
            groups[SUB[i]].append(i)
    for subnet, members in groups.items():
        first = members[0]
        if len(members) == 1:   # one address (most LANs): its subnet node, address edge, member edge
            ctx, net, dev, address = CTX[first], NET[first], D[first], " ".join((ADDR[first],))
            sid = "subnet:" + ctx + "|" + subnet
            if sid in nodes:
                add(sid, type="subnet", label=subnet, network=net, kind="subnet", addresses=address, cidr=subnet,
                    context=ctx)
            else:
                nodes[sid] = {**_BLANK_NODE, "type": "subnet", "label": subnet, "network": net, "kind": "subnet",
                              "addresses": address, "cidr": subnet, "context": ctx}
            edges.append((dev_nodes.get(dev) or bare_device(dev), sid,
                          {"type": "address", "interface": " ".join((I[first],)), "address": address}))
            if net:
                edges.append((sid, net_nodes.get(net) or network_node(net), MEMBER))
            continue
        if all(CTX[m] == CTX[first] for m in members):
            segments = (members,)  # one context: one segment whatever the links say
        else:
            segments = _segments(subnet, members, links_by_subnet, CTX, D, I)
        for seg in segments:
            if len(seg) == 1:
                ctx = CTX[seg[0]]
                networks = [NET[seg[0]]] if NET[seg[0]] else []
                address = " ".join((ADDR[seg[0]],))
            else:
                ctx = "+".join(sorted({CTX[m] for m in seg}))
                networks = sorted({NET[m] for m in seg if NET[m]})
                address = " ".join(sorted({ADDR[m] for m in seg}))
            sid = "subnet:" + ctx + "|" + subnet
            if sid in nodes:
                add(sid, type="subnet", label=subnet, network=" ".join(networks), kind="subnet", addresses=address,
                    cidr=subnet, context=ctx)
            else:
                nodes[sid] = {**_BLANK_NODE, "type": "subnet", "label": subnet, "network": " ".join(networks),
                              "kind": "subnet", "addresses": address, "cidr": subnet, "context": ctx}
            devs = [D[m] for m in seg]
            if len(set(devs)) == len(devs):   # one address per device: an edge per address
                for m, dev in zip(seg, devs):
                    edges.append((dev_nodes.get(dev) or bare_device(dev), sid,
                                  {"type": "address", "interface": " ".join((I[m],)), "address": " ".join((ADDR[m],))}))
            else:
                per_dev = defaultdict(list)
                for m, dev in zip(seg, devs):
                    per_dev[dev].append(m)
                for dev, ms in per_dev.items():
                    edges.append((dev_nodes.get(dev) or bare_device(dev), sid,
                                  {"type": "address", "interface": " ".join(sorted({I[m] for m in ms})),
                                   "address": " ".join(sorted({ADDR[m] for m in ms}))}))
            for n in networks:
                edges.append((sid, net_nodes.get(n) or network_node(n), MEMBER))

    # links: one edge per device pair, its interfaces and evidence gathered over the pair's rows (a
    # link settles a candidate); no edge made above joins two devices
    pairs: dict[tuple, dict] = {}
    for ad, ai, bd, bi, subnet, evidence, status in link_rows:
        a = dev_nodes.get(ad) or bare_device(ad)
        b = dev_nodes.get(bd) or bare_device(bd)
        key = (a, b) if a <= b else (b, a)
        e = pairs.get(key)
        if status == "candidate":
            # shown apart (a dashed edge on the page), never walked as a link by the metrics
            if e is None:
                pairs[key] = {"type": "candidate", "evidence": _s(evidence), "interfaces": f"{ai}--{bi}",
                              "subnet": _s(subnet), "count": 1}
            continue
        if e is None or e["type"] == "candidate":
            new = {"type": "link", "evidence": _s(evidence), "interfaces": f"{ai}--{bi}", "subnet": _s(subnet),
                   "count": 1}
            if e is None:
                pairs[key] = new
            else:
                e.update(new)
            continue
        e["interfaces"] = e["interfaces"] + " " + f"{ai}--{bi}"
        e["evidence"] = " ".join(sorted(set(e["evidence"].split()) | set(_s(evidence).split())))
        e["count"] += 1
    edges.extend((a, b, attrs) for (a, b), attrs in pairs.items())

    for r in rows(inv["exits"], ("exit", "carrier", "department", "district", "town", "evidence", "public_range",
                                 "device", "interface")):
        xn = add(node_id("exit", r.exit), type="exit", label=r.exit, carrier=r.carrier, department=r.department,
                 district=r.district, town=r.town, kind="internet", evidence=r.evidence,
                 addresses=r.public_range)
        place(xn, r.department, r.district, r.town)
        if r.device and node_id("device", r.device) in nodes:
            edges.append((xn, node_id("device", r.device), {"type": "exit", "interface": r.interface}))
    g = nx.Graph()
    g.add_nodes_from(nodes.items())
    g.add_edges_from(edges)
    return g


def _network_node(add, nid, nets):
    n = nets.get(nid, {})
    return add(node_id("network", nid), type="network", label=n.get("name", "") or nid, kind=n.get("kind", ""),
               department=n.get("department", ""), district=n.get("district", ""), town=n.get("town", ""),
               carrier=n.get("carrier", ""), network=nid)
