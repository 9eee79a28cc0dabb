"""Three-way reconciliation: what the sheets declare, the configs configure and live devices show.

Pure: tables in, the ``reconciliation`` table out.  A row's source kind comes from the
``files`` table (sheet, config, live).  Devices are matched by hostname; a live device that
collect renamed ``HOST@source`` (the same hostname as a config) is the same device ``HOST``.

Objects and aspects:

- ``device`` / presence, model: sheet exits name their access device and model; configs and
  live getters give the device rows;
- ``address`` / presence: per device seen both in a config and live, every interface address
  of either (a backup that no longer matches the running device shows here);
- ``prefix`` / presence: every range a sheet declares, and whether a configured / live
  interface subnet lies in it; configured subnets of a department that files sheets but
  declares no range holding them;
- ``exit`` / presence, carrier: sheet exits against config and live exits of the same device
  or public range;
- ``link`` / neighbour: links inferred from shared subnets against the LLDP/CDP neighbours
  live devices report: confirmed, contradicted (another neighbour on that port) or only one side.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import pandas as pd
from netaddr import IPNetwork, IPSet

from .. import schema

__all__ = ["reconcile"]



def _s(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def _base(device: str) -> str:
    return device.split("@", 1)[0]


def _vendor_words(words) -> re.Pattern:
    """The pattern of what a model comparison leaves out: the vendor words (columns.yaml
    ``model_vendor_words``), longest first, and spaces, '-' and '_'."""
    alts = [re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))]
    return re.compile("|".join(alts + [r"[\s\-_]+"]), re.I)


def _status(values: list[str], vendor_words: re.Pattern) -> str:
    def key(m):
        return vendor_words.sub("", m).lower()

    given = [v for v in values if v]
    if len(given) < len(values):
        return "disagree" if len({key(v) for v in given}) > 1 else "partial"
    return "agree" if len({key(v) for v in given}) == 1 else "disagree"


_WHO = ("declared in a sheet", "configured", "seen live")


class _Within:
    """The CIDRs of a set of networks that lie in a given network, by bisection over the merged,
    sorted CIDRs (two CIDRs are nested or disjoint: a merged CIDR either holds the asked network,
    which is then the answer, or lies inside it, or apart).  What ``IPSet(nets) & IPSet([net])``
    gives, without a pass over the whole set per question."""

    def __init__(self, nets):
        self.cidrs = sorted(IPSet(nets).iter_cidrs(), key=lambda n: (n.version, n.first))
        self.keys = [(n.version, n.first) for n in self.cidrs]

    def __call__(self, net) -> list[str]:
        key = (net.version, net.first)
        j = bisect_right(self.keys, key)
        if j and self.cidrs[j - 1].version == net.version and self.cidrs[j - 1].last >= net.last:
            return [str(net.cidr)]  # a merged CIDR holds it whole
        i, out = bisect_left(self.keys, key), []
        while i < len(self.cidrs) and self.cidrs[i].version == net.version and self.cidrs[i].first <= net.last:
            out.append(str(self.cidrs[i]))
            i += 1
        return out


def _presence_message(what: str, flags) -> str:
    has = [w for w, f in zip(_WHO, flags) if f]
    lacks = [w for w, f in zip(_WHO, flags) if not f]
    if not lacks:
        return f"{what}: declared, configured and seen live"
    return f"{what}: {' and '.join(has) or 'nowhere'}; not {' nor '.join(lacks)}"


def reconcile(inv, column_rules=None) -> pd.DataFrame:
    """The ``reconciliation`` table of an inventory holding sheets, configs and live rows.

    *column_rules*: :func:`netconsol.rules.load_columns` (its ``model_vendor_words``); None = shipped."""
    from ..rules import load_columns

    vendor_words = _vendor_words((column_rules or load_columns()).model_vendor_words)
    kind_of = {r.source: r.kind for r in inv["files"].itertuples(index=False)}
    rows: list[dict] = []

    def add(obj, key, aspect, declared, configured, observed, status, message, department="", source="",
            location=""):
        rows.append({"object": obj, "key": key, "aspect": aspect, "declared": declared, "configured": configured,
                     "observed": observed, "status": status, "message": message, "department": department,
                     "source": source, "location": location})

    # ---- devices
    devs: dict[str, dict] = {}
    for d in inv["devices"].to_dict("records"):
        k = kind_of.get(d["source"], "")
        slot = {"sheet": 0, "config": 1, "live": 2}.get(k)
        if slot is None:
            continue
        e = devs.setdefault(_base(d["device"]), {"rows": [None, None, None], "dept": ""})
        e["rows"][slot] = e["rows"][slot] or d
        e["dept"] = e["dept"] or _s(d["department"])
        if slot and _s(d.get("declared_by")) and e["rows"][0] is None:
            # a 设备 sheet declared this configured / live device (collectors/declared.py)
            said = _s(d["declared_by"])   # 'SOURCE LOCATION', SOURCE a file of the files table
            src = max((f for f in kind_of if said.startswith(f + " ")), key=len, default="")
            loc = said[len(src) + 1:] if src else said
            e["rows"][0] = {"model": _s(d.get("declared_model")), "source": src, "location": loc}
    sheet_exits = [e for e in inv["exits"].to_dict("records") if kind_of.get(e["source"]) == "sheet"]
    for x in sheet_exits:
        if _s(x["device"]):
            e = devs.setdefault(_base(x["device"]), {"rows": [None, None, None], "dept": ""})
            e["rows"][0] = e["rows"][0] or {"model": _s(x["model"]), "source": x["source"], "location": x["location"]}
            e["dept"] = e["dept"] or _s(x["department"])
    for name in sorted(devs):
        e = devs[name]
        flags = [r is not None for r in e["rows"]]
        if sum(flags) < 2 and not flags[2]:
            continue  # known to one offline source only: nothing to reconcile (the inventory lists it)
        first = next(r for r in e["rows"] if r is not None)
        src, loc = _s(first.get("source")), _s(first.get("location"))
        add("device", name, "presence", *["yes" if f else "" for f in flags],
            "agree" if all(flags) else "partial", _presence_message(f"device {name}", flags), e["dept"], src, loc)
        # a configured / live row whose model a sheet filled in (model_source names the row) does not
        # say anything of its own
        models = [_s(r.get("model")) if r and (i == 0 or _s(r.get("model_source")) in ("", "config", "live"))
                  else "" for i, r in enumerate(e["rows"])]
        if sum(bool(m) for m in models) >= 2:
            st = _status([m for m, f in zip(models, flags) if f], vendor_words)
            msg = (f"model agrees: {next(m for m in models if m)}" if st == "agree" else
                   "model differs: " + ", ".join(f"{w} {m!r}" for w, m in zip(("sheet", "config", "live"), models)
                                                 if m))
            add("device", name, "model", *models, st if st != "partial" else "partial", msg, e["dept"], src, loc)

    # ---- interface addresses (devices seen both in a config and live)
    both = {n for n, e in devs.items() if e["rows"][1] is not None and e["rows"][2] is not None}
    addr: dict[tuple, list] = {}
    for i in inv["interfaces"].to_dict("records"):
        if not _s(i["address"]):
            continue
        base = _base(i["device"])
        if base not in both:
            continue
        k = kind_of.get(i["source"], "")
        if k not in ("config", "live"):
            continue
        e = addr.setdefault((base, i["interface"], i["address"]), [None, None])
        e[0 if k == "config" else 1] = e[0 if k == "config" else 1] or i
    for (dev, ifname, address), (c, o) in sorted(addr.items()):
        key = f"{dev} {ifname} {address}"
        first = c or o
        if c and o:
            add("address", key, "presence", "", address, address, "agree",
                f"{address} on {dev} {ifname}: in the config and on the live device", devs[dev]["dept"],
                first["source"], first["location"])
        elif c:
            add("address", key, "presence", "", address, "", "disagree",
                f"{address} on {dev} {ifname} is in the config backup but not on the live device (stale backup?)",
                devs[dev]["dept"], c["source"], c["location"])
        else:
            add("address", key, "presence", "", "", address, "disagree",
                f"{address} on {dev} {ifname} is on the live device but not in the config backup",
                devs[dev]["dept"], o["source"], o["location"])

    # ---- prefixes: declared ranges against configured / observed interface subnets
    pf = inv["prefixes"].to_dict("records")
    # sets built once from lists (IPSet.add one network at a time re-compacts the whole set)
    conf_nets, live_nets = {}, {}
    conf_list, live_list = [], []
    for p in pf:
        k = kind_of.get(p["source"], "")
        if p["origin"] != "interface" or k not in ("config", "live"):
            continue
        net = IPNetwork(p["prefix"])
        (conf_list if k == "config" else live_list).append(net)
        dept = p["department"] or devs.get(_base(p["device"]), {}).get("dept", "")
        (conf_nets if k == "config" else live_nets).setdefault(dept, []).append(net)
    conf_sets = {d: IPSet(v) for d, v in conf_nets.items()}
    live_sets = {d: IPSet(v) for d, v in live_nets.items()}
    conf_inside, live_inside = _Within(conf_list), _Within(live_list)
    declared_nets: dict[str, list] = {}
    seen = set()
    for p in sorted((p for p in pf if kind_of.get(p["source"]) == "sheet" and p["origin"] in ("sheet", "exit")),
                    key=lambda p: (p["prefix"], p["department"], p["source"], p["location"])):
        net = IPNetwork(p["prefix"])
        declared_nets.setdefault(p["department"], []).append(net)
        if (p["prefix"], p["department"]) in seen:
            continue
        seen.add((p["prefix"], p["department"]))
        c = " ".join(conf_inside(net)[:4])
        o = " ".join(live_inside(net)[:4])
        if c and o:
            st, msg = "agree", f"declared range {p['prefix']} is configured and seen live"
        elif c or o:
            st, msg = "partial", (f"declared range {p['prefix']} is " +
                                  ("configured but not seen live" if c else "seen live but in no config"))
        else:
            st, msg = "partial", f"declared range {p['prefix']} is on no configured or live interface"
        add("prefix", p["prefix"], "presence", p["prefix"], c, o, st, msg, p["department"], p["source"],
            p["location"])
    for dept, nets in sorted(declared_nets.items()):
        declared = IPSet(nets)
        for kind, sets in (("config", conf_sets), ("live", live_sets)):
            extra = sets.get(dept, IPSet()) - declared
            for net in extra.iter_cidrs():
                add("prefix", str(net), "presence", "", str(net) if kind == "config" else "",
                    str(net) if kind == "live" else "", "disagree",
                    f"{net} is {'configured' if kind == 'config' else 'seen live'} for {dept} but no sheet "
                    f"row of {dept} declares it", dept)

    # ---- exits
    ex = inv["exits"].to_dict("records")
    by_kind = {"config": [], "live": []}
    for x in ex:
        k = kind_of.get(x["source"], "")
        if k in by_kind:
            by_kind[k].append(x)

    def match(x, pool):
        rng = IPSet(_s(x["public_range"]).split()) if _s(x["public_range"]) else IPSet()
        for y in pool:
            if _s(x["device"]) and _base(_s(y["device"])) == _base(_s(x["device"])):
                return y
            if rng and rng & IPSet(_s(y["public_range"]).split()):
                return y
        return None

    used = set()
    for x in sorted(sheet_exits, key=lambda x: x["exit"]):
        c, o = match(x, by_kind["config"]), match(x, by_kind["live"])
        for y in (c, o):
            if y is not None:
                used.add(y["exit"])
        key = _s(x["device"]) or _s(x["public_range"]) or x["exit"]
        flags = [True, c is not None, o is not None]
        add("exit", key, "presence", x["exit"], c["exit"] if c else "", o["exit"] if o else "",
            "agree" if all(flags) else "partial", _presence_message(f"exit {key}", flags), _s(x["department"]),
            x["source"], x["location"])
        carriers = [_s(x["carrier"]), _s(c["carrier"]) if c else "", _s(o["carrier"]) if o else ""]
        if sum(bool(v) for v in carriers) >= 2:
            given = {v for v in carriers if v}
            add("exit", key, "carrier", *carriers, "agree" if len(given) == 1 else "disagree",
                "carrier agrees: " + next(iter(given)) if len(given) == 1 else
                "carrier differs: " + ", ".join(f"{w} {v}" for w, v in zip(("sheet", "config", "live"), carriers)
                                                if v), _s(x["department"]), x["source"], x["location"])
    for k, pool in by_kind.items():
        for y in sorted(pool, key=lambda y: y["exit"]):
            if y["exit"] in used:
                continue
            other = match(y, by_kind["live" if k == "config" else "config"])
            if k == "live" and other is not None:
                continue   # reported from the config side
            flags = [False, k == "config" or other is not None, k == "live" or other is not None]
            key = _s(y["device"]) or y["exit"]
            add("exit", key, "presence", "", y["exit"] if k == "config" else (other["exit"] if other else ""),
                y["exit"] if k == "live" else (other["exit"] if other else ""), "partial",
                _presence_message(f"exit {key}", flags) + " (not in any sheet: undeclared exit)",
                _s(y["department"]), y["source"], y["location"])

    # ---- links: inferred (shared subnet) against live neighbours (LLDP/CDP)
    links = inv["links"].to_dict("records")
    inferred, heard = {}, {}
    for lk in links:
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
    live_ports = {k for k in heard if k[0] != "_link"}
    for (a, b), lk in sorted(inferred.items()):
        key = f"{a[0]} {a[1]} {b[0]} {b[1]}"
        ha, hb = heard.get(a), heard.get(b)
        if ha == b or hb == a:
            add("link", key, "neighbour", "", f"{a[0]}:{a[1]} - {b[0]}:{b[1]}", f"{a[0]}:{a[1]} - {b[0]}:{b[1]}",
                "agree", f"inferred link {a[0]} {a[1]} - {b[0]} {b[1]} confirmed by LLDP/CDP", "",
                lk["source"], lk["location"])
        elif ha or hb:
            port, other = (a, ha) if ha else (b, hb)
            add("link", key, "neighbour", "", f"{a[0]}:{a[1]} - {b[0]}:{b[1]}", f"{port[0]}:{port[1]} - "
                f"{other[0]}:{other[1]}", "disagree",
                f"inferred link {a[0]} {a[1]} - {b[0]} {b[1]} contradicted: LLDP/CDP on {port[0]} {port[1]} "
                f"reports {other[0]} {other[1]}", "", lk["source"], lk["location"])
    inferred_ports = {p for pair in inferred for p in pair}
    for k, lk in sorted((k, v) for k, v in heard.items() if k[0] == "_link"):
        a, b = k[1], k[2]
        if tuple(sorted((a, b))) in inferred or a in inferred_ports or b in inferred_ports:
            continue
        add("link", f"{a[0]} {a[1]} {b[0]} {b[1]}", "neighbour", "", "", f"{a[0]}:{a[1]} - {b[0]}:{b[1]}",
            "partial", f"LLDP/CDP link {a[0]} {a[1]} - {b[0]} {b[1]}: no link inferred from the configs",
            "", lk["source"], lk["location"])
    del live_ports
    df = schema.frame("reconciliation", rows)
    if len(df):
        df = df.drop_duplicates(subset=list(schema.TABLES["reconciliation"].key), keep="first")
        df = df.sort_values(["object", "key", "aspect"], kind="mergesort").reset_index(drop=True)
    return df
