"""Three-way reconciliation: what the sheets declare, the configs configure and live devices show.

Pure: tables in, the ``reconciliation`` table out.  A row's source kind comes from the ``files``
table (sheet, config, live); only the kinds the inventory holds are compared, so an inventory
without live collection reconciles sheets against configs and leaves ``observed`` empty.  Devices
are matched by hostname (case and width folded); a live device that collect renamed
``HOST@source`` is the device ``HOST``.

The shape (acceptance case ``tests/acceptance/reconcile``): an object that some collected source
lacks gets a ``presence`` row, ``partial`` (its ``declared`` / ``configured`` / ``observed`` cells
say who has it); an object two sources hold gets one row per attribute they both state, ``agree``
or ``disagree``; a device gets a ``presence`` row either way (it is the object people look up).

- ``device`` / presence, model: declared = a sheet naming it as access device (LAN and exit rows,
  device rows); configured = a config backup with that hostname; observed = live getters.  The
  configured model is the config's own statement, never the one collect copied from a sheet
  (``devices.model_source``), so a sheet is not compared with itself.
- ``address`` / presence: per device seen both in a config and live, every interface address of
  either (a backup that no longer matches the running device shows here).
- ``prefix`` / presence, range: a department's LAN ranges.  Declared = the ranges of its sheet's
  LAN rows (exit rows' public ranges are the exit's range); configured / observed = the subnets of
  interfaces that are up, private, not host routes, not inside the extranet's own pools (uplinks
  are the city's, not the department's) and not exit interfaces, owned by the device's department.
  A declared range is matched to the subnets it overlaps, of its department or on the access device
  it names: equal is ``agree``; overlapping but different (a /24 declared, a /23 configured) is one
  ``range`` / ``disagree`` row keyed by the declared range, not two one-sided rows.  A subnet no
  declared range of its department matches is one-sided.  Key: ``CIDR department`` (private
  ranges repeat across departments).
- ``exit`` / presence, carrier, range: sheet exits matched to config exits by
  :func:`netconsol.analyze.exits.reconcile_exits` (the plan's matching, one definition), live exits
  to them by device and interface or public range.  Key: ``HOST:INTERFACE`` of the configured (or
  observed) exit; a declared-only exit is keyed by the device its sheet row names.
- ``link`` / neighbour: links inferred from shared subnets against the LLDP/CDP neighbours live
  devices report: confirmed, contradicted (another neighbour on that port) or only one side.
"""
from __future__ import annotations

import re
from socket import AF_INET, inet_pton

import numpy as np
import pandas as pd
from netaddr import IPNetwork, IPSet

from .. import schema
from ..normalize.text import fold
from .intervals import span_within
from .topology import _LEADING_ZERO, tuples

__all__ = ["reconcile"]

SIDES = ("sheet", "config", "live")
_HAS = ("declared", "configured", "seen live")
_LACKS = ("no sheet declares it", "no config backup has it", "not seen live")
_COLUMN = ("sheet", "config", "live")


def _s(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def _base(device: str) -> str:
    return device.split("@", 1)[0]


def _dkey(device) -> str:
    """A hostname as a match key: the live suffix dropped, width and case folded."""
    return fold(_base(_s(device))).casefold()


def _vendor_words(words) -> re.Pattern:
    """The pattern of what a model comparison leaves out: the vendor words (columns.yaml
    ``model_vendor_words``), longest first, and spaces, '-' and '_'."""
    alts = [re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))]
    return re.compile("|".join(alts + [r"[\s\-_]+"]), re.I)


def _cidrs(text) -> list[IPNetwork]:
    return [IPNetwork(p) for p in _s(text).split()]


def _words(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


_ROW_COLUMNS = ("object", "key", "aspect", "declared", "configured", "observed", "status", "message", "department",
                "source", "location")


class _Table:
    """The rows being built and the sides the inventory collected.

    Live collection reaches the devices it was pointed at, not the city: the observed side
    counts for an object only when one of its devices was seen live (*live*); for every other
    object ``observed`` is not collected rather than missing."""

    def __init__(self, collected):
        self.collected = collected
        self.live_devices: set = set()
        self.rows: list[tuple] = []   # in the order of _ROW_COLUMNS

    def sides(self, devices=()) -> tuple:
        return self.collected[:2] + (self.collected[2] and any(d in self.live_devices for d in devices),)

    def add(self, obj, key, aspect, values, status, message, department="", source="", location=""):
        declared, configured, observed = values
        self.rows.append((obj, key, aspect, declared, configured, observed, status, message, department, source,
                          location))

    def frame(self) -> pd.DataFrame:
        """The rows as the ``reconciliation`` table (``schema.frame`` of them, given column by column)."""
        return schema.frame_columns("reconciliation", dict(zip(_ROW_COLUMNS, map(list, zip(*self.rows)))))

    @staticmethod
    def complete(flags, sides) -> bool:
        """Every side that applies holds the object."""
        return all(f for f, c in zip(flags, sides) if c)

    def presence(self, obj, key, what, flags, sides, department, source, location, lacks=None):
        """One presence row: agree when every side that applies holds the object, else partial.
        *lacks*: {side: words} saying why a side lacks it, instead of the plain words."""
        flags = [f and c for f, c in zip(flags, sides)]
        has = [w for w, f in zip(_HAS, flags) if f]
        missing = [(lacks or {}).get(i) or w for i, (w, f, c) in enumerate(zip(_LACKS, flags, sides)) if c and not f]
        msg = f"{what}: {_words(has) or 'nowhere'}" + "".join("; " + m for m in missing)
        self.add(obj, key, "presence", ["yes" if f else "" for f in flags], "partial" if missing else "agree",
                 msg, department, source, location)

    def compare(self, obj, key, aspect, what, values, same, department, source, location, show=str, detail=None):
        """One attribute row when two sides or more state it: agree or disagree, in words.
        *detail(values)*: words added to a disagreement."""
        given = [(i, v) for i, v in enumerate(values) if not (isinstance(v, str) and v == "")]
        if len(given) < 2:
            return
        first = given[0][1]
        agree = all(same(first, v) for _, v in given[1:])
        text = [show(v) if not (isinstance(v, str) and v == "") else "" for v in values]
        if agree:
            msg = f"{what}: {aspect} agrees ({_words(_COLUMN[i] for i, _ in given)}): {text[given[0][0]]}"
        else:
            msg = f"{what}: {aspect} differs: " + ", ".join(f"{_COLUMN[i]} {text[i]}" for i, _ in given)
            extra = detail(values) if detail else ""
            msg += f" ({extra})" if extra else ""
        self.add(obj, key, aspect, text, "agree" if agree else "disagree", msg, department, source, location)


def reconcile(inv, column_rules=None, exit_rules=None) -> pd.DataFrame:
    """The ``reconciliation`` table of an inventory holding at least two of: sheets, configs, live rows.

    *column_rules*: :func:`netconsol.rules.load_columns` (its ``model_vendor_words``); None = shipped.
    *exit_rules*: :func:`netconsol.analyze.exits.load_exit_rules` (how sheet and config exits are
    matched); None = shipped."""
    from ..rules import load_columns

    vendor_words = _vendor_words((column_rules or load_columns()).model_vendor_words)
    kind_of = dict(tuples(inv["files"], ("source", "kind")))   # itertuples' values, read column-wise
    collected = tuple(k in set(kind_of.values()) for k in SIDES)
    t = _Table(collected)
    if sum(collected) >= 2:
        devs = _devices(inv, kind_of, t, vendor_words)
        _addresses(inv, kind_of, t, devs)
        exit_ports = _exits(inv, kind_of, t, devs, exit_rules)
        _prefixes(inv, kind_of, t, devs, exit_ports)
    if collected[2]:
        _links(inv, t)
    df = t.frame()
    if len(df):
        df = df.drop_duplicates(subset=list(schema.TABLES["reconciliation"].key), keep="first")
        df = df.sort_values(["object", "key", "aspect"], kind="mergesort").reset_index(drop=True)
    return df


# ---------------------------------------------------------------------------------------------- devices
# devices.declared_by: "SOURCE LOCATION", the location a sheet row ("设备!row 2", "row 2")
_DECLARED = re.compile(r"^(.*) ((?:[^ ]*!)?row \d+)$")


def _devices(inv, kind_of, t: _Table, vendor_words) -> dict:
    """{match key: {"name", "rows": [sheet, config, live], "dept", "models": [...]}} with the device rows added."""
    devs: dict[str, dict] = {}

    dkey = _Memo(_dkey)

    def note(name, slot, row, dept, model):
        k = dkey(name)
        if not k:
            return
        e = devs.setdefault(k, {"names": ["", "", ""], "rows": [None, None, None], "dept": ["", "", ""],
                                "models": ["", "", ""]})
        e["names"][slot] = e["names"][slot] or _base(_s(name)).strip()
        e["name"] = e["names"][1] or e["names"][2] or e["names"][0]   # the hostname as configured
        e["rows"][slot] = e["rows"][slot] or row
        e["dept"][slot] = e["dept"][slot] or _s(dept)
        e["models"][slot] = e["models"][slot] or _s(model)

    devices = inv["devices"]
    # the columns read here (a row is kept as its sheet / config / live side: source, location)
    wanted = [c for c in ("device", "source", "location", "department", "model", "model_source", "declared_by",
                          "declared_model") if c in devices.columns]
    for d in _records(devices, np.ones(len(devices), dtype=bool), wanted):
        slot = {"sheet": 0, "config": 1, "live": 2}.get(kind_of.get(d["source"], ""))
        if slot is None:
            continue
        # a model collect copied from a sheet row is the sheet's word, not the config's
        stated = _s(d["model"]) if slot == 0 or _s(d.get("model_source")) in ("", "config", "live") else ""
        declared = _DECLARED.match(_s(d.get("declared_by")))
        if declared and slot != 0:   # a config device a 设备 sheet row declares too: that row is the sheet side
            note(d["device"], 0, {"source": declared[1], "location": declared[2]}, d["department"],
                 _s(d.get("declared_model")))
        note(d["device"], slot, d, d["department"], stated)
    for table, column in (("networks", "access_device"), ("exits", "device")):
        df = inv[table]
        for source, name, location, department, model in _records(
                df, np.ones(len(df), dtype=bool), ["source", column, "location", "department", "model"], as_tuples=True):
            if kind_of.get(source) == "sheet" and _s(name):
                note(name, 0, {"source": source, "location": location}, department, model)
    t.live_devices = {k for k, e in devs.items() if e["rows"][2] is not None}
    key_of = _Memo(lambda m: vendor_words.sub("", m).lower())   # the comparison's own key, once per model

    def same_model(a, b) -> bool:
        return key_of(a) == key_of(b)
    for k in sorted(devs, key=lambda k: (devs[k]["name"], k)):
        e = devs[k]
        flags = [r is not None for r in e["rows"]]
        sides = t.sides([k])
        if not any(f and c for f, c in zip(flags, sides)):
            continue
        dept = e["dept"][1] or e["dept"][2] or e["dept"][0]   # the manifest's owner wins over a sheet's word
        first = next(r for r in e["rows"] if r is not None)
        src, loc = _s(first.get("source")), _s(first.get("location"))
        name = e["name"]
        t.presence("device", name, "device " + name, flags, sides, dept, src, loc)
        t.compare("device", name, "model", "device " + name, e["models"], same_model,
                  dept, src, loc)
    return devs


# ---------------------------------------------------------------------------------------------- addresses
def _addresses(inv, kind_of, t: _Table, devs):
    both = {k for k, e in devs.items() if e["rows"][1] is not None and e["rows"][2] is not None}
    addr: dict[tuple, list] = {}
    itf = inv["interfaces"]
    if not both or not len(itf):   # no device both configured and seen live: nothing to compare
        return
    # the rows of those devices that hold an address, picked on the columns first
    dkey = _Memo(_dkey)
    mine = [dkey(d) in both for d in itf["device"].tolist()]
    pick = _true(itf["address"].fillna("").ne("")) & np.array(mine, dtype=bool)
    for i in _records(itf, pick):
        k = kind_of.get(i["source"], "")
        if k not in ("config", "live"):
            continue
        slot = 0 if k == "config" else 1
        e = addr.setdefault((devs[_dkey(i["device"])]["name"], i["interface"], i["address"]), [None, None])
        e[slot] = e[slot] or i
    for (dev, ifname, address), (c, o) in sorted(addr.items()):
        key = f"{dev} {ifname} {address}"
        dept = devs[_dkey(dev)]["dept"][1]
        first = c or o
        if c and o:
            t.add("address", key, "presence", ["", address, address], "agree",
                  f"{address} on {dev} {ifname}: in the config and on the live device", dept,
                  first["source"], first["location"])
        elif c:
            t.add("address", key, "presence", ["", address, ""], "disagree",
                  f"{address} on {dev} {ifname} is in the config backup but not on the live device (stale backup?)",
                  dept, c["source"], c["location"])
        else:
            t.add("address", key, "presence", ["", "", address], "disagree",
                  f"{address} on {dev} {ifname} is on the live device but not in the config backup",
                  dept, o["source"], o["location"])


# ---------------------------------------------------------------------------------------------- exits
def _exits(inv, kind_of, t: _Table, devs, exit_rules) -> set:
    """Add the exit rows; return the (device key, interface) of every configured / observed exit
    (their subnets are the exits' ranges, not department prefixes)."""
    from .exits import load_exit_rules, reconcile_exits

    raw = inv["exits"]
    kinds = raw["source"].map(lambda s: kind_of.get(s, ""))
    by_id = {r["exit"]: r for r in raw.to_dict("records")}
    ports = {(_dkey(r["device"]), _s(r["interface"])) for r in by_id.values() if _s(r["interface"])}
    offline = {"exits": raw[kinds.isin(["sheet", "config"])], "interfaces": inv["interfaces"],
               "devices": inv["devices"], "units": inv["units"]}
    joined, _ = reconcile_exits(offline, exit_rules or load_exit_rules())
    objects = []   # [sheet rows, config rows, live rows, department]
    for j in joined.to_dict("records"):
        objects.append([[by_id[i] for i in _s(j["sheet_exit"]).split() if i in by_id],
                        [by_id[i] for i in _s(j["config_exit"]).split() if i in by_id], [], _s(j["department"])])
    # live exits join the exit of the same device and interface, else of the same public addresses
    for y in sorted((r for r, k in zip(raw.to_dict("records"), kinds) if k == "live"), key=lambda r: r["exit"]):
        port = (_dkey(y["device"]), _s(y["interface"]))
        public = IPSet(_cidrs(y["public_range"]))
        hit = next((o for o in objects if any((_dkey(c["device"]), _s(c["interface"])) == port for c in o[1])), None)
        if hit is None and public:
            hit = next((o for o in objects if any(public & IPSet(_cidrs(r["public_range"])) for r in o[0] + o[1])),
                       None)
        if hit is None:
            hit = next((o for o in objects if not o[1] and not o[2] and
                        any(_dkey(s["device"]) == port[0] for s in o[0])), None)
        if hit is None:
            objects.append([[], [], [y], _s(y["department"])])
        else:
            hit[2].append(y)
    keys: dict[str, int] = {}
    for sheet, config, live, dept in objects:
        named = config or live
        key = " ".join(dict.fromkeys(f"{devs.get(_dkey(r['device']), {}).get('name') or _base(_s(r['device']))}:"
                                     f"{_s(r['interface'])}" for r in named)) if named else \
            _s(sheet[0]["device"]) or _s(sheet[0]["public_range"]) or sheet[0]["exit"]
        if key in keys:     # two declared-only exits of one device: the sheet row's id tells them apart
            key = f"{key} {sheet[0]['exit'] if sheet else named[0]['exit']}"
        keys[key] = 1
        sides = (sheet, config, live)
        first = next(r for side in sides for r in side)
        src, loc = _s(first["source"]), _s(first["location"])
        dept = dept or _s(first["department"])
        flags = [bool(s) for s in sides]
        applies = t.sides({_dkey(r["device"]) for side in sides for r in side})
        what = f"exit {key}"
        if not t.complete(flags, applies):
            lacks = {}
            if sheet and not config:
                dev = devs.get(_dkey(sheet[0]["device"]))
                lacks[1] = (f"the config of {dev['name']} has no exit" if dev and dev["rows"][1] is not None
                            else f"no config backup of {_s(sheet[0]['device'])}" if _s(sheet[0]["device"])
                            else "no config exit matches it")
            if not sheet:
                lacks[0] = f"no exit sheet row declares it ({' '.join(sorted({_s(r['exit']) for r in config + live}))})"
            t.presence("exit", key, what, flags, applies, dept, src, loc, lacks)
        carriers = [next((_s(r["carrier"]) for r in side if _s(r["carrier"])), "") for side in sides]
        t.compare("exit", key, "carrier", what, carriers, str.__eq__, dept, src, loc)
        ranges = [[c for r in side for c in _cidrs(r["public_range"])] for side in sides]
        t.compare("exit", key, "range", what, [IPSet(r) if r else "" for r in ranges], IPSet.__eq__, dept, src, loc,
                  show=lambda s: " ".join(str(c) for c in s.iter_cidrs()))
    return ports


# ---------------------------------------------------------------------------------------------- prefixes
class _Memo(dict):
    """``f(x)`` once per distinct *x* (hashable, and ``f`` pure)."""

    def __init__(self, f):
        super().__init__()
        self.f = f

    def __missing__(self, x):
        v = self[x] = self.f(x)
        return v

    __call__ = dict.__getitem__


def _true(mask):
    """A boolean Series (nullable or not) as a numpy mask, missing values False."""
    return mask.to_numpy(dtype=bool, na_value=False)


def _records(df: pd.DataFrame, mask, columns=None, as_tuples=False) -> list:
    """``df.to_dict("records")`` of the rows *mask* picks, only *columns* if given (with
    *as_tuples*, tuples of them): the same values (a missing number or flag is None, a missing
    text NaN), built column by column instead of cell by cell."""
    cols = list(columns) if columns is not None else list(df.columns)
    part = df.loc[mask, cols]
    data = []
    for c in cols:
        col = part[c]
        values = col.tolist()
        if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and not isinstance(col.dtype, pd.StringDtype):
            values = [None if v is pd.NA else v for v in values]   # nullable ints and flags
        data.append(values)
    if as_tuples:
        return list(zip(*data))
    return [dict(zip(cols, row)) for row in zip(*data)]


def _prefixes(inv, kind_of, t: _Table, devs, exit_ports):
    from .overlaps import default_pools

    pools = IPSet(c for cidrs in default_pools(inv).values() for c in cidrs)
    itf = inv["interfaces"]
    dkey = _Memo(_dkey)
    # an interface without a name holds no port a prefix row names ('' is not NaN)
    shut = _true(itf["admin_up"].eq(False)) & _true(itf["interface"].notna())
    down = {(dkey(d), i) for d, i in _records(itf, shut, ["device", "interface"], as_tuples=True)}
    nets = inv["networks"]
    networks = _records(nets, np.ones(len(nets), dtype=bool), ["network", "access_device"], as_tuples=True)
    access = {n: dkey(a) for n, a in networks}
    inv_access_names = {n: _s(a) for n, a in networks}
    subnets = {1: [], 2: []}     # side -> [(net, department, device key, row)]
    owners: dict = {}            # subnet -> departments of the devices holding it ('' = none)
    # the rows read, picked on the columns first: sheet ranges, and interface subnets that are
    # not public from configs and live devices (in table order, as a walk over every row)
    pfx = inv["prefixes"]
    kinds = pd.Series([kind_of.get(x, "") for x in pfx["source"].tolist()], index=pfx.index, dtype=object)
    origin = pfx["origin"]
    # (prefix, department, network, source, location) of the sheet ranges
    declared = _records(pfx, (kinds == "sheet").to_numpy() & _true(origin.eq("sheet")),
                        ["prefix", "department", "network", "source", "location"], as_tuples=True)
    held = (kinds.isin(("config", "live")).to_numpy() & _true(origin.eq("interface"))
            & ~_true(pfx["public"].eq(True)))
    # a subnet is keyed by (version, network address, prefix length): equal exactly when the
    # IPNetworks are (netaddr compares version, first and last) and ordered as they are, without
    # netaddr working out its key again at every dict lookup; the IPNetwork first seen is shown
    # (the rows held are read as tuples: _P names their fields; every distinct prefix string is
    # read once, the canonical IPv4 ones all at once by numpy)
    rows_held = _records(pfx, held, _P_COLUMNS, as_tuples=True)
    info = _subnets([p[0] for p in rows_held] + [p[0] for p in declared])
    for p, kind in zip(rows_held, kinds[held].tolist()):
        net, nk, size = info(p[0])
        port = (dkey(p[1]), _s(p[2]))
        if size == 1 or port in down or port in exit_ports:
            continue
        dev = devs.get(port[0])
        dept = (dev["dept"][1] or dev["dept"][2] or dev["dept"][0]) if dev else _s(p[3])
        owners.setdefault(nk, set()).add(dept)
        if dept:
            subnets[1 if kind == "config" else 2].append((net, dept, port[0], p, nk))
    within = span_within(pools)

    def inside_pools(net) -> bool:
        return within(net.version, net.first, net.last)

    def uplink(net, nk, size) -> bool:
        """A link into the extranet: inside its pools, and point-to-point or shared with a device
        of another owner (the PE).  It is the city's; a department's sheet need not declare it.  A
        department LAN numbered from the extranet's plan (inside the pools too) is the department's."""
        return inside_pools(net) and (size <= 4 or len(owners.get(nk, ())) > 1)
    # the subnets a declared range may match, by department and by device (the range's access
    # device), each once with its bounds and whether it is an uplink: a declared range looks only
    # at its department's and its device's subnets, not at every subnet of the city
    cand = {1: ({}, {}), 2: ({}, {})}     # side -> (department -> [i], device key -> [i])
    bounds = {1: [], 2: []}               # side -> [(first, last)] by index
    holders = {1: {}, 2: {}}              # side -> subnet key -> device keys holding it
    up: dict = {}
    for side in (1, 2):
        by_dept, by_dev = cand[side]
        for i, (n, d, k, _, nk) in enumerate(subnets[side]):
            if nk not in up:
                up[nk] = uplink(n, nk, n.size)
            bounds[side].append((n.first, n.last))
            if not up[nk]:   # an uplink matches no declared range: not a candidate
                by_dept.setdefault(d, []).append(i)
                by_dev.setdefault(k, []).append(i)
            holders[side].setdefault(nk, set()).add(k)
    used = set()
    seen = set()
    for p in sorted(declared, key=lambda p: (info(p[0])[1], p[1], p[3], p[4])):
        (net, nk, _), dept = info(p[0]), _s(p[1])
        if (nk, dept) in seen:
            continue
        seen.add((nk, dept))
        dev = access.get(p[2], "")
        found = [[], [], []]      # per side: the subnets matched, each once (as IPNetworks)
        keys = [None, set(), set()]
        first, last = net.first, net.last
        for side in (1, 2):
            by_dept, by_dev = cand[side]
            near = by_dept.get(dept, [])
            if dev and dev in by_dev:
                near = sorted(set(near).union(by_dev[dev]))
            bounds_of = bounds[side]
            for i in near:
                lo, hi = bounds_of[i]
                if lo <= last and first <= hi:
                    n, nk_i = subnets[side][i][0], subnets[side][i][4]
                    used.add((side, i))
                    if nk_i not in keys[side]:
                        keys[side].add(nk_i)
                        found[side].append(n)
        found[0] = [net]
        key, what = f"{net} {dept}", f"{dept} LAN {net}"
        flags = [bool(f) for f in found]
        applies = t.sides({dev}.union(*(holders[side][nk_i] for side in (1, 2) for nk_i in keys[side])))
        if not t.complete(flags, applies):
            d = devs.get(dev) if dev else None
            named = _s(inv_access_names.get(p[2]))
            lacks = {1: (f"not on any interface of {d['name']}'s config nor of another {dept} device"
                         if d and d["rows"][1] is not None else
                         f"its device {named} has no config backup, and no {dept} config holds it" if named else
                         f"no {dept} config holds it")}
            t.presence("prefix", key, what, flags, applies, dept, p[3], p[4], lacks)
        if sum(map(bool, found)) < 2:
            continue
        t.compare("prefix", key, "range", what, [(tuple(f) if len(f) == 1 else tuple(sorted(f))) if f else "" for f in found], _same_range, dept,
                  p[3], p[4], show=lambda nets: " ".join(str(n) for n in nets), detail=_range_detail)
    rest: dict[tuple, list] = {}   # (subnet key, department) -> [IPNetwork first seen, sheet, config, live]
    for side in (1, 2):
        for i, (n, d, k, p, nk) in enumerate(subnets[side]):
            if (side, i) not in used and not up[nk]:
                e = rest.setdefault((nk, d), [n, None, None, None])
                e[side + 1] = e[side + 1] or p
    for (_, dept), (net, *rows) in sorted(rest.items(), key=lambda kv: kv[0]):
        first = next(r for r in rows if r is not None)
        on = " ".join(sorted({devs[dkey(r[1])]["name"] if dkey(r[1]) in devs else _s(r[1])
                              for r in rows if r is not None}))
        t.presence("prefix", f"{net} {dept}", f"{dept} LAN {net} on {on}", [False] + [r is not None for r in rows[1:]],
                   t.sides({dkey(r[1]) for r in rows if r is not None}), dept, first[4],
                   first[5], {0: f"no sheet row of {dept} declares it"})


class _Net:
    """A prefix as ``netaddr.IPNetwork`` reads it, for what this module asks of one: ``version``,
    ``first``, ``last``, ``prefixlen``, ``size``, ``str()`` (the address as written, host bits
    kept), equality and hash (version, first, last), order (IPNetwork's ``sort_key``) and ``in``
    (every address of one inside the other, same family).  A plain 'a.b.c.d/n' is read on
    integers (inet_pton, the way :func:`netconsol.analyze.topology.ip_int` reads a dotted quad as
    netaddr does); anything else by netaddr itself, whose answers are copied (tests/analyze/test_reconcile_nets.py compares both on hostile inputs)."""

    __slots__ = ("version", "first", "last", "prefixlen", "value", "text")

    def __init__(self, version, value, prefixlen, text):
        width = 32 if version == 4 else 128
        host = (1 << (width - prefixlen)) - 1
        self.version, self.value, self.prefixlen, self.text = version, value, prefixlen, text
        self.first = value & ~host
        self.last = self.first | host

    @classmethod
    def parse(cls, text: str) -> "_Net":
        addr, slash, plen = text.partition("/")
        if slash and plen.isascii() and plen.isdigit() and len(plen) <= 2 and (plen == "0" or plen[0] != "0") \
                and int(plen) <= 32 and addr.isascii() and not _LEADING_ZERO.search(addr):
            try:
                packed = inet_pton(AF_INET, addr)   # a dotted quad netaddr reads the same way
            except (OSError, ValueError):
                packed = None
            if packed is not None:
                return cls(4, int.from_bytes(packed, "big"), int(plen), text)
        net = IPNetwork(text)
        return cls(net.version, net.value, net.prefixlen, str(net))

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def key(self) -> tuple:
        return self.version, self.first, self.last

    def __hash__(self):
        return hash((self.version, self.first, self.last))

    def __eq__(self, other):
        return (self.version, self.first, self.last) == (other.version, other.first, other.last)

    def sort_key(self) -> tuple:
        return self.version, self.first, self.prefixlen - 1, self.value - self.first

    def __lt__(self, other):
        return self.sort_key() < other.sort_key()

    def __contains__(self, other) -> bool:
        return self.version == other.version and self.first <= other.first and other.last <= self.last


# the columns of a prefix row _prefixes reads, in the order of its tuples
_P_COLUMNS = ["prefix", "device", "interface", "department", "source", "location"]


def _subnets(texts) -> _Memo:
    """:func:`_subnet` as a memo (one call per distinct value), filled at once for the canonical
    IPv4 strings among *texts* (read by numpy: cidrs._canonical_v4);
    any other value is read by :func:`_subnet` when first asked for, as before."""
    from .cidrs import _canonical_v4 as canonical_v4

    info = _Memo(_subnet)
    distinct = list(dict.fromkeys(t for t in texts if type(t) is str))
    if not distinct:
        return info
    ok, addr, plen = canonical_v4(distinct)
    pick = np.flatnonzero(ok)
    for i, value, length in zip(pick.tolist(), addr[pick].tolist(), plen[pick].tolist()):
        net = _Net(4, value, length, distinct[i])
        info[distinct[i]] = net, (4, net.first, length), net.last - net.first + 1
    return info


def _subnet(text: str) -> tuple:
    """(net, key, size) of a prefix: key (version, network address, prefix length)."""
    net = _Net.parse(text)
    return net, (net.version, net.first, net.prefixlen), net.last - net.first + 1


def _same_range(declared: tuple, held: tuple) -> bool:
    """A declared range agrees with the subnets a config (or live device) holds in it when they are
    the same subnet, or when it is a block summarising several subnets that all lie inside it (a
    department declares its /16, its routers carry /24s of it).  One subnet with another prefix
    length is one LAN with the wrong mask on one side (the acceptance case's /24 against /23), and a
    subnet reaching out of the declared range is partly undeclared: both disagree."""
    if set(declared) == set(held):
        return True
    outer = declared[0]
    return len(declared) == 1 and len(held) > 1 and all(n in outer for n in held)


def _range_detail(values) -> str:
    """Words for a declared range and the subnets another side holds in its place."""
    declared = values[0][0]
    out = []
    for side, nets in zip(_COLUMN[1:], values[1:]):
        if isinstance(nets, str) or _same_range(values[0], nets):
            continue
        wider = [str(n) for n in nets if n not in declared]
        if len(nets) == 1 and declared.prefixlen != nets[0].prefixlen:
            out.append(f"one LAN, prefix length /{declared.prefixlen} declared, /{nets[0].prefixlen} in the {side}")
        elif wider:
            out.append(f"the {side}'s {' '.join(wider)} reaches beyond the declared range")
    return "; ".join(out)


# ---------------------------------------------------------------------------------------------- links
def _links(inv, t: _Table):
    """Links inferred (shared subnet) against live neighbours (LLDP/CDP)."""
    inferred, heard = {}, {}
    for lk in inv["links"].to_dict("records"):
        a = (_base(lk["a_device"]), lk["a_interface"])
        b = (_base(lk["b_device"]), lk["b_interface"])
        ev = set(_s(lk["evidence"]).split())
        if ev & {"lldp", "cdp"}:
            heard[a], heard[b] = b, a
            heard.setdefault(("_link",) + tuple(sorted((a, b))), lk)
        if "subnet" in ev:
            inferred[tuple(sorted((a, b)))] = lk
    for n in inv["neighbors"].to_dict("records"):
        a = (_base(n["device"]), n["interface"])
        heard.setdefault(a, (_base(n["neighbor"]), n["neighbor_interface"]))
    for (a, b), lk in sorted(inferred.items()):
        key = f"{a[0]} {a[1]} {b[0]} {b[1]}"
        ha, hb = heard.get(a), heard.get(b)
        pair = f"{a[0]}:{a[1]} - {b[0]}:{b[1]}"
        if ha == b or hb == a:
            t.add("link", key, "neighbour", ["", pair, pair], "agree",
                  f"inferred link {a[0]} {a[1]} - {b[0]} {b[1]} confirmed by LLDP/CDP", "", lk["source"], lk["location"])
        elif ha or hb:
            port, other = (a, ha) if ha else (b, hb)
            t.add("link", key, "neighbour", ["", pair, f"{port[0]}:{port[1]} - {other[0]}:{other[1]}"], "disagree",
                  f"inferred link {a[0]} {a[1]} - {b[0]} {b[1]} contradicted: LLDP/CDP on {port[0]} {port[1]} "
                  f"reports {other[0]} {other[1]}", "", lk["source"], lk["location"])
    inferred_ports = {p for pair in inferred for p in pair}
    for k, lk in sorted((k, v) for k, v in heard.items() if k[0] == "_link"):
        a, b = k[1], k[2]
        if tuple(sorted((a, b))) in inferred or a in inferred_ports or b in inferred_ports:
            continue
        t.add("link", f"{a[0]} {a[1]} {b[0]} {b[1]}", "neighbour", ["", "", f"{a[0]}:{a[1]} - {b[0]}:{b[1]}"],
              "partial", f"LLDP/CDP link {a[0]} {a[1]} - {b[0]} {b[1]}: no link inferred from the configs",
              "", lk["source"], lk["location"])
