"""Attribution: which department, district and named network each row belongs to.

Precedence, strongest first, recorded in ``attributed_by``:

1. ``manifest`` — the manifest names the device:vrf pair, the device, or the
   network by name (sheet rows whose network name matches a manifest network);
2. ``sheet`` — the self-inspection row says it;
3. ``containment`` — the prefix lies inside a range the manifest gives a network
   (longest match).

When a weaker source contradicts a stronger one (a prefix on a device of
network A lies only inside ranges of network B) the stronger wins and an
``attribution-conflict`` warning names both: a choice, but not a silent one.
"""
from __future__ import annotations

import difflib
from socket import AF_INET as _AF_INET, inet_pton as _pton

from netaddr import IPNetwork

from .inventory import Rows
from .manifest import Manifest
from .normalize import fold

__all__ = ["attribute", "PrefixIndex"]


_WIDTH = {4: 32, 6: 128}


def _parse(cidr: str) -> tuple[int, int, int]:
    """(version, address as an integer, prefix length) of a CIDR text.  Plain IPv4 'a.b.c.d/n'
    (every prefix a collector writes) in C via inet_pton; anything else through netaddr."""
    addr, slash, plen = cidr.partition("/")
    n = (int(plen) if slash else 32) if ":" not in addr and (not slash or (plen.isdigit() and len(plen) <= 2)) else 99
    if n <= 32:
        try:
            return 4, int.from_bytes(_pton(_AF_INET, addr), "big"), n
        except OSError:     # not a plain dotted quad: netaddr reads it, or says why not
            n = 99
    net = IPNetwork(cidr)
    return net.version, int(net.ip), net.prefixlen


def _own_ranges(networks) -> dict:
    """{network id: [(version, prefix length, address >> (width - length))]} of its manifest ranges."""
    own: dict = {}
    for n in networks:
        for cidr in n["prefixes"]:
            version, value, plen = _parse(str(cidr))
            own.setdefault(n["id"], []).append((version, plen, value >> (_WIDTH[version] - plen)))
    return own


def _inside_any(parsed: tuple[int, int, int], ranges) -> bool:
    """Whether the prefix *parsed* (``_parse``) lies inside one of *ranges* (:func:`_own_ranges`)."""
    version, value, plen = parsed
    for v, length, key in ranges:
        if v == version and length <= plen and value >> (_WIDTH[v] - length) == key:
            return True
    return False


class PrefixIndex:
    """Longest-match lookup of IPv4/IPv6 prefixes to labels, by integer keys per prefix length."""

    def __init__(self, items):
        self._by_len: dict[tuple[int, int], dict[int, set]] = {}
        for cidr, label in items:
            version, value, plen = _parse(str(cidr))
            self._by_len.setdefault((version, plen), {}).setdefault(value >> (_WIDTH[version] - plen),
                                                                    set()).add(label)
        lens = sorted(self._by_len, key=lambda k: -k[1])
        # per version, longest first: (prefix length, shift, table)
        self._lens = {v: [(plen, _WIDTH[v] - plen, self._by_len[(v, plen)]) for ver, plen in lens if ver == v]
                      for v in (4, 6)}

    def lookup(self, cidr: str) -> list[set]:
        """Label sets of every indexed prefix containing *cidr*, longest first."""
        return self.lookup_parsed(_parse(cidr))

    def lookup_parsed(self, parsed: tuple[int, int, int]) -> list[set]:
        """:meth:`lookup` of a prefix already read by ``_parse``: (version, address, length)."""
        version, value, plen = parsed
        found = []
        for length, shift, table in self._lens[version]:
            if length > plen:
                continue
            hit = table.get(value >> shift)
            if hit:
                found.append(hit)
        return found


def attribute(rows: Rows, manifest: Manifest | None) -> Rows:
    """Fill department/district/network/attributed_by in *rows* from *manifest* (in place)."""
    if manifest is None:
        _sheet_devices(rows, {})
        _dedupe_networks(rows)
        return rows
    src = manifest.path.name
    _units(rows, manifest, src)
    _canonical_departments(rows, manifest)
    net_by_id = {n["id"]: n for n in manifest.networks}
    by_name = {}
    for n in manifest.networks:
        for name in [n["name"], n["id"], *n["aliases"]]:
            by_name[fold(name).lower()] = n["id"]
    for n in manifest.networks:
        rows.add("networks", {
            "network": n["id"], "name": n["name"], "kind": n["kind"], "department": n["department"],
            "district": n["district"], "town": n["town"], "carrier": n["carrier"], "purpose": n["purpose"],
            "classified": n.get("classified"), "vertical_ministry": n["vertical_ministry"],
            "on_extranet": n.get("on_extranet"), "public_facing": n.get("public_facing"), "tags": n["tags"],
            "attributed_by": "manifest", "source": src, "location": f"networks.{n['id']}"})
        for p in n["prefixes"]:
            rows.add("prefixes", {"prefix": p, "family": 6 if ":" in p else 4, "network": n["id"],
                                  "department": n["department"], "district": n["district"], "origin": "manifest",
                                  "public": None, "attributed_by": "manifest", "source": src,
                                  "location": f"networks.{n['id']}.prefixes"})
    # device -> attribution from the devices map, then from networks[].devices
    dev_attr: dict[str, dict] = {}
    for host, d in manifest.devices.items():
        dev_attr[host] = dict(d)
    for n in manifest.networks:
        for host in n["devices"]:
            a = dev_attr.setdefault(host, {})
            if a.get("network") and a["network"] != n["id"]:
                rows.issue(src, f"networks.{n['id']}.devices", "warning", "attribution-conflict",
                           f"device {host!r} is listed under network {n['id']!r} but the devices map says "
                           f"{a['network']!r}; keeping {a['network']!r}", value=host)
                continue
            a.setdefault("network", n["id"])
            a.setdefault("department", n["department"])
            a.setdefault("district", n["district"])
    vrf_net = {(dev, vrf): n["id"] for n in manifest.networks for dev, vrf in n["vrfs"]}
    index = PrefixIndex((p, n["id"]) for n in manifest.networks for p in n["prefixes"])
    own = _own_ranges(manifest.networks)

    for d in rows["devices"]:
        a = dev_attr.get(d["device"])
        if a:
            for k in ("department", "district", "town", "network", "role"):
                if a.get(k):
                    d[k] = a[k]
            if a.get("site") and not d.get("site"):
                d["site"] = a["site"]
            d["attributed_by"] = "manifest"
    _device_towns(rows, manifest, src)
    known_devices = {d["device"] for d in rows["devices"]}
    for host in sorted(set(dev_attr) - known_devices):
        rows.issue(src, f"devices.{host}", "warning", "device-not-found",
                   f"the manifest names device {host!r} but no config or live collection produced it",
                   value=host, expected="a config backup whose hostname is " + host)

    for p in rows["prefixes"]:
        origin = p.get("origin")
        if origin == "manifest":
            continue
        if origin == "interface":
            dev = p.get("device", "")
            vrf = p.get("vrf", "")
            strong, how = "", ""
            if (dev, vrf) in vrf_net:
                strong, how = vrf_net[(dev, vrf)], "manifest"
            elif dev_attr.get(dev, {}).get("network") and not vrf:
                strong, how = dev_attr[dev]["network"], "manifest"
            parsed = _parse(p["prefix"])
            if strong and _inside_any(parsed, own.get(strong, ())):
                # inside a range of its own network (the usual case): no other network's range
                # can contradict it, so the index of every range is not asked
                _set_net(p, net_by_id.get(strong), strong, how, dev_attr.get(dev, {}))
                continue
            hits = index.lookup_parsed(parsed)
            if strong:
                contained = set().union(*hits) if hits else set()
                if contained and strong not in contained:
                    rows.issue(p.get("source", ""), p.get("location", ""), "warning", "attribution-conflict",
                               f"{p['prefix']} on {dev} {p.get('interface', '')} is attributed to network "
                               f"{strong!r} by the manifest but lies only inside ranges of "
                               f"{', '.join(sorted(contained))}", value=p["prefix"])
                _set_net(p, net_by_id.get(strong), strong, how, dev_attr.get(dev, {}))
            elif hits and len(hits[0]) == 1:
                nid = next(iter(hits[0]))
                _set_net(p, net_by_id.get(nid), nid, "containment", dev_attr.get(dev, {}))
            else:
                if hits:
                    rows.issue(p.get("source", ""), p.get("location", ""), "warning", "attribution-ambiguous",
                               f"{p['prefix']} lies inside ranges of several networks "
                               f"({', '.join(sorted(hits[0]))}); not attributed", value=p["prefix"])
                a = dev_attr.get(dev, {})
                p["department"] = a.get("department", "")
                p["district"] = a.get("district", "")
                p["attributed_by"] = "manifest" if a else ""
        elif origin == "sheet" and p.get("network"):
            pass  # rewritten with the networks below
    # sheet networks whose name names a manifest network take its id
    renamed = {}
    for n in rows["networks"]:
        if n.get("attributed_by") == "manifest":
            continue
        nid = by_name.get(fold(n.get("name", "")).lower())
        if nid:
            renamed[n["network"]] = nid
            m = net_by_id[nid]
            if m["department"] and n.get("department") and fold(n["department"]) != fold(m["department"]):
                rows.issue(n.get("source", ""), n.get("location", ""), "warning", "attribution-conflict",
                           f"sheet says network {n['name']!r} belongs to {n['department']!r}, "
                           f"the manifest says {m['department']!r}; keeping the manifest",
                           column="department", value=n["department"])
            n["network"] = nid
    for p in rows["prefixes"]:
        if p.get("network") in renamed:
            p["network"] = renamed[p["network"]]
    for e in rows["exits"]:
        if e.get("origin") == "config":
            a = dev_attr.get(e.get("device", ""))
            if a:
                for k in ("department", "district", "town"):
                    e[k] = a.get(k, "")
                e["attributed_by"] = "manifest"
    _sheet_devices(rows, dev_attr)
    _dedupe_networks(rows)
    return rows


_TOWN_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡", "街")
_BACKBONE_ROLES = ("pe", "core")


def _town_stem(name: str) -> str:
    for suffix in _TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class _TownFinder:
    """Which of *cands* [(district, town, stem)] a text names: ``{c[:2] for c in cands if c[i] and
    c[i] in text}`` for the full names (i = 1), else for the stems (i = 2).  Against many names (a
    device of no known district is matched with every town of a province) the text's substrings
    of each name length are looked up in a dict instead of searching the text for every name."""

    def __init__(self, cands):
        self.cands = cands
        self._lengths = None     # {i: [(name length, {name: [(district, town)]})]}, built when first needed

    def _index(self) -> dict:
        if self._lengths is None:
            self._lengths = {}
            for i in (1, 2):
                by_len: dict = {}
                for c in self.cands:
                    if c[i]:
                        by_len.setdefault(len(c[i]), {}).setdefault(c[i], []).append(c[:2])
                self._lengths[i] = sorted(by_len.items())
        return self._lengths

    def named(self, text: str) -> set:
        for i in (1, 2):     # the full name first, then its stem
            # a text lookup per position and name length, or a text search per name: the fewer
            if len(self.cands) > 64 and (len(text) + 1) * 8 < len(self.cands):
                hit = set()
                for length, names in self._index()[i]:
                    for j in range(len(text) - length + 1):
                        got = names.get(text[j:j + length])
                        if got:
                            hit.update(got)
            else:
                hit = {c[:2] for c in self.cands if c[i] and c[i] in text}
            if hit:
                return hit
        return set()


_NO_TOWNS = _TownFinder(())


def _device_towns(rows: Rows, m: Manifest, src: str) -> None:
    """A town router the manifest places in no town is placed by its config: the one manifest town
    (of its district, when known) named in its snmp location, else the one named in its interface
    descriptions (an uplink described 'UPLINK-...-南湖镇').  The full name first, then its stem
    (南湖 for 南湖镇).  Backbone devices (pe, core) describe every town they serve, so they are never
    placed; a source naming two towns places nothing (the next source may).  Each placement is an info issue, so the
    manifest line that would say it can be added."""
    towns = [(d["name"], t["name"]) for d in m.districts for t in d["towns"]]
    if not towns:
        return
    descriptions: dict = {}     # raw: folded only for the devices their snmp location does not place
    cols = rows.columns.get("interfaces")   # interfaces travel column by column from the parsers
    pairs = zip(cols.get("device", ()), cols.get("description", ())) if cols else \
        ((i.get("device", ""), i.get("description")) for i in rows["interfaces"])
    for device, description in pairs:
        if description:
            descriptions.setdefault(device or "", []).append(description)

    # (district, town, stem) once, and per district: a province has thousands of towns and devices
    keyed = [(district, town, _town_stem(town)) for district, town in towns]
    by_district: dict = {}
    for k in keyed:
        by_district.setdefault(k[0], []).append(k)
    finders = {None: _TownFinder(keyed)}
    for name, cands in by_district.items():
        finders[name] = _TownFinder(cands)

    for d in rows["devices"]:
        if d.get("town") or d.get("role") in _BACKBONE_ROLES:
            continue
        finder = finders.get(d["district"], _NO_TOWNS) if d.get("district") else finders[None]
        for what, texts in (("snmp location", (d.get("site") or "",)),
                            ("interface descriptions", descriptions.get(d["device"], ()))):
            hit = finder.named(" ".join(map(fold, texts)))
            if len(hit) == 1:
                district, town = next(iter(hit))
                d["town"] = town
                if not d.get("district"):
                    d["district"] = district
                rows.issue(d.get("source", src), f"devices.{d['device']}", "info", "town-from-config",
                           f"device {d['device']!r} placed in town {town!r} ({district}) because its {what} "
                           f"names it; the manifest gives it no town", column="town", value=town,
                           expected=f"town: {town} under devices.{d['device']} in the manifest, to say it there")
                break
            # two towns named in one source: that source places nothing (a guess); the next may


def _model_key(m: str) -> str:
    return "".join(ch for ch in fold(m).casefold() if ch.isalnum())


def _sheet_devices(rows: Rows, dev_attr: dict):
    """Sheet rows name their access device (接入设备 / 连接设备) and its model (设备型号): a config
    device they name gets its model from the sheet when the config does not say (a disagreement is
    reported), and its department when the manifest does not give one (a conflict with the
    manifest is reported; the manifest wins).  The device's unattributed interface prefixes then
    belong to that department too."""
    named: dict = {}   # folded hostname -> [sheet rows naming it]
    # "declared": 设备-sheet rows naming a configured device (collectors/declared.py), not a table
    for table, col in (("networks", "access_device"), ("exits", "device"), ("declared", "device")):
        for r in rows.tables.get(table, ()):
            if r.get("attributed_by") != "sheet" or not r.get(col):
                continue
            named.setdefault(fold(r[col]).lower(), []).append(r)
    if not named:
        return
    sheet_dept = {}
    for d in rows["devices"]:
        said = named.get(fold(d["device"]).lower())
        if not said:
            if d.get("model") and not d.get("model_source"):
                d["model_source"] = "config"
            continue
        first = said[0]
        where = f"{first.get('source', '')} {first.get('location', '')}"
        models = [r for r in said if r.get("model")]
        if models:
            m = models[0]
            if not d.get("model"):
                d["model"] = m["model"]
                d["model_source"] = f"{m.get('source', '')} {m.get('location', '')}"
            else:
                d.setdefault("model_source", "config")
                a, b = _model_key(d["model"]), _model_key(m["model"])
                if a and b and a not in b and b not in a:
                    rows.issue(m.get("source", ""), m.get("location", ""), "warning", "model-disagrees",
                               f"the sheet says device {d['device']!r} is a {m['model']!r}, its config says "
                               f"{d['model']!r}; keeping the config's", column="model", value=m["model"],
                               expected=d["model"])
        depts = sorted({r["department"] for r in said if r.get("department")})
        if not depts:
            continue
        if len(depts) > 1:
            rows.issue(first.get("source", ""), first.get("location", ""), "warning", "attribution-conflict",
                       f"sheet rows tie device {d['device']!r} to several departments ({', '.join(depts)}); "
                       f"taking {first['department']!r} ({where})", column="device", value=d["device"])
        dept = first.get("department") or depts[0]
        if d.get("attributed_by") == "manifest" and d.get("department"):
            if fold(d["department"]) != fold(dept):
                rows.issue(first.get("source", ""), first.get("location", ""), "warning", "attribution-conflict",
                           f"the sheet ties device {d['device']!r} to {dept!r}, the manifest to "
                           f"{d['department']!r}; keeping the manifest", column="device", value=d["device"])
            continue
        if not d.get("department"):
            d["department"] = dept
            d["district"] = d.get("district") or first.get("district", "")
            d["attributed_by"] = "sheet"
            sheet_dept[d["device"]] = (dept, d["district"])
    for p in rows["prefixes"] if sheet_dept else ():
        hit = sheet_dept.get(p.get("device", ""))
        if hit and p.get("origin") == "interface" and not p.get("department"):
            p["department"], p["district"] = hit
            p["attributed_by"] = "sheet"


def _set_net(p, net, nid, how, dev):
    p["network"] = nid
    p["department"] = (net or {}).get("department") or dev.get("department", "")
    p["district"] = (net or {}).get("district") or dev.get("district", "")
    p["attributed_by"] = how


def _units(rows: Rows, m: Manifest, src: str):
    rows.add("units", {"unit": m.city, "name": m.city, "level": "city", "code": m.code, "source": src,
                       "location": "city"})
    for d in m.districts:
        rows.add("units", {"unit": d["name"], "name": d["name"], "level": "district", "code": d["code"],
                           "district": d["name"], "source": src, "location": f"districts.{d['name']}"})
        for t in d["towns"]:
            rows.add("units", {"unit": f"{d['name']}/{t['name']}", "name": t["name"], "level": "town",
                               "code": t["code"], "district": d["name"], "connected": t["connected"],
                               "source": src, "location": f"districts.{d['name']}.towns"})
    for dep in m.departments:
        rows.add("units", {"unit": f"dept:{dep['name']}", "name": dep["name"], "level": "department",
                           "district": dep["district"], "connected": dep["connected"],
                           "aliases": "|".join(dep["aliases"]), "source": src, "location": "departments"})


def _canonical_departments(rows: Rows, m: Manifest):
    """Sheet rows spelled with a department's alias (市人社局) take the manifest's name.

    A spelling the manifest does not know (not a department's name or alias, nor a department its
    networks or devices name) stays as it is, so it counts as a department of its own in every
    plan; each such spelling gets one ``unknown-department`` warning at its first row, with the
    number of rows and the closest manifest name, so that it can be added as an alias.  Only
    checked when the manifest lists departments."""
    names = {}
    for dep in m.departments:
        for n in [dep["name"], *dep["aliases"]]:
            names[fold(n).lower()] = dep["name"]
    known = set(names)
    known.update(fold(x["department"]).lower() for x in [*m.networks, *m.devices.values()] if x.get("department"))
    unknown: dict[str, list] = {}   # folded spelling -> [spelling, source, location, rows]
    folded: dict = {}               # spelling -> its folded key: a province's 50,000 cells have few spellings
    for table in ("networks", "exits", "prefixes"):
        for r in rows[table]:
            d = r.get("department")
            if d:
                k = folded.get(d)
                if k is None:
                    k = folded[d] = fold(d).lower()
                r["department"] = names.get(k, d)
                if k not in known and m.departments:
                    u = unknown.get(k)
                    if u is None:
                        unknown[k] = [d, r.get("source", ""), r.get("location", ""), 1]
                    else:
                        u[3] += 1
    choices = sorted({dep["name"] for dep in m.departments})
    for _k, (d, source, location, count) in sorted(unknown.items()):
        close = difflib.get_close_matches(d, choices, n=1, cutoff=0.6)
        hint = f" (closest manifest name: {close[0]!r})" if close else ""
        rows.issue(source, location, "warning", "unknown-department",
                   f"department {d!r} is not in the manifest's departments{hint}: its {count} row(s) count as a "
                   f"department of their own; add it to the manifest, or as an alias of the department it is",
                   column="department", value=d, expected="a department name or alias from the manifest")


def _dedupe_networks(rows: Rows):
    """One networks row per id: the manifest's if any, else the first sheet row; disagreements warned."""
    seen: dict[str, dict] = {}
    kept = []
    for n in sorted(rows["networks"], key=lambda r: (r.get("attributed_by") != "manifest",
                                                      r.get("source", ""), r.get("location", ""))):
        first = seen.get(n["network"])
        if first is None:
            seen[n["network"]] = n
            kept.append(n)
            continue
        if first.get("attributed_by") == "manifest" and n.get("attributed_by") == "sheet":
            # what the sheet row says and the manifest does not: its facts, with their evidence
            for k in ("classified", "on_extranet", "public_facing", "built_by_upper"):
                if first.get(k) is None and n.get(k) is not None:
                    first[k] = n[k]
            for k in ("vertical_ministry", "evidence", "access_device", "model", "vendor", "purpose", "carrier"):
                if not first.get(k) and n.get(k):
                    first[k] = n[k]
        if n.get("kind") and first.get("kind") and n["kind"] != first["kind"] and n["attributed_by"] != "manifest":
            rows.issue(n.get("source", ""), n.get("location", ""), "warning", "network-conflict",
                       f"network {n['network']!r} is {n['kind']!r} here but {first['kind']!r} in "
                       f"{first.get('source', '')} {first.get('location', '')}; keeping the first",
                       column="network_kind", value=n["kind"])
    rows.tables["networks"] = kept
