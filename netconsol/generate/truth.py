"""The manifest (inventory.yaml), the ground truth (ground_truth.json) and the README of a generated case.

The manifest is written by plain string building (a province manifest lists
20,000+ devices; PyYAML's emitter would dominate the run); every scalar that
YAML could read as something else is double-quoted.  Tests load it back with
both ``yaml.safe_load`` and :func:`netconsol.manifest.load_manifest`.
"""
from __future__ import annotations

import json
import re

from . import places as P
from .addressing import DOC_BLOCKS, find_overlaps, ip, size
from .model import CUTOFF, World

__all__ = ["manifest_text", "ground_truth", "readme_text", "yq"]

_PLAIN = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][\w\u4e00-\u9fff\-./（）]*")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def yq(v) -> str:
    """A YAML scalar for *v*: plain when unambiguous, else a JSON (= YAML double-quoted) string."""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if _PLAIN.fullmatch(s) and s.lower() not in _RESERVED and not re.fullmatch(r"[\d._+-]+(e[\d+-]+)?", s):
        return s
    return json.dumps(s, ensure_ascii=False)


def _flow(d: dict) -> str:
    parts = []
    for k, v in d.items():
        if isinstance(v, list):
            parts.append(f"{k}: [{', '.join(yq(x) for x in v)}]")
        else:
            parts.append(f"{k}: {yq(v)}")
    return "{" + ", ".join(parts) + "}"


def _vrfs(w: World, vrf: str) -> list[str]:
    out = []
    for d in w.devices:
        if any(v[0] == vrf for v in d.vrfs):
            out.append(f"{d.host}:{vrf}")
    return out


def network_vrfs(w: World, net: dict) -> list[str]:
    if net["id"] == "extranet-admin":
        return _vrfs(w, "admin")
    if net["id"] == "extranet-public":
        return _vrfs(w, "public")
    if net.get("vrf"):
        return _vrfs(w, net["vrf"])
    return []


def town_departments(w: World) -> list[dict]:
    return [dict(name=t["name"] + ("办事处" if t["name"].endswith("街道") else "人民政府"), district=d["name"],
                 connected=t["connected"]) for d in w.districts for t in d["towns"]]


_HEADER = ("# {city} — a generated, fictitious consolidation case (netconsol generate, seed {seed}).",
           "# Every name, device and address is made up; public addresses come from the documentation",
           "# blocks 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24.  Regenerate rather than edit:",
           "# see README.md.  The answers (targets, overlaps, exits, planted errors) are in ground_truth.json.")
# above this many devices the manifest is written in JSON syntax (JSON is YAML): netconsol loads
# it with the json module, ~70x faster than a YAML parser on a province-sized file
JSON_MANIFEST_DEVICES = 5000


def manifest_data(w: World) -> dict:
    """The manifest as data, keys in the order they are written."""
    data = {"city": w.P.city, "code": w.P.city_code,
            "description": "Generated demo: extranet core, district PEs, town access routers, department CEs and "
                           "private networks",
            "districts": [], "departments": [], "networks": [], "devices": {}}
    for d in w.districts:
        x = {"name": d["name"]}
        if d["code"]:
            x["code"] = d["code"]
        x["towns"] = [t["name"] if t["connected"] else {"name": t["name"], "connected": False} for t in d["towns"]]
        data["districts"].append(x)
    for dep in w.departments:
        x = {"name": dep["name"], "district": dep["district"], "connected": dep["connected"]}
        if dep["aliases"]:
            x["aliases"] = dep["aliases"]
        data["departments"].append(x)
    data["departments"] += town_departments(w)
    for n in w.networks:
        x = {"id": n["id"], "name": n["name"], "kind": n["kind"], "department": n["department"]}
        if n["district"]:
            x["district"] = n["district"]
        x.update(purpose=n["purpose"], classified=n["classified"], vertical_ministry=n["vertical_ministry"],
                 on_extranet=n["on_extranet"], public_facing=n["public_facing"])
        if n["carrier"]:
            x["carrier"] = n["carrier"]
        if n["tags"]:
            x["tags"] = n["tags"]
        x["prefixes"] = list(n["prefixes"])
        x["devices"] = list(n["devices"])
        vrfs = network_vrfs(w, n)
        if vrfs:
            x["vrfs"] = vrfs
        data["networks"].append(x)
    for d in w.devices:
        x = {"department": d.department, "district": d.district}
        if d.town:
            x["town"] = d.town
        x.update(role=d.role, network=d.network, site=d.site)
        data["devices"][d.host] = x
    return data


def manifest_text(w: World) -> str:
    data = manifest_data(w)
    header = [h.format(city=w.P.city, seed=w.seed) for h in _HEADER]
    if len(w.devices) > JSON_MANIFEST_DEVICES:
        body = json.dumps(data, ensure_ascii=False, indent=1)
        return "\n".join(header) + "\n" + body + "\n"
    L = header + [f"city: {data['city']}", f"code: {yq(data['code'])}",
                  f"description: {yq(data['description'])}", "districts:"]
    for d in data["districts"]:
        L.append(f"  - name: {yq(d['name'])}")
        if "code" in d:
            L.append(f"    code: {yq(d['code'])}")
        L.append("    towns:")
        for t in d["towns"]:
            L.append(f"      - {yq(t)}" if isinstance(t, str) else f"      - {{name: {yq(t['name'])}, connected: false}}")
    L.append("departments:")
    L += [f"  - {_flow(dep)}" for dep in data["departments"]]
    L.append("networks:")
    for n in data["networks"]:
        for i, (k, v) in enumerate(n.items()):
            lead = "  - " if i == 0 else "    "
            if k == "vrfs":
                L.append(f"{lead}vrfs:")
                L += [f"      - {yq(x)}" for x in v]
            elif isinstance(v, list):
                L.append(f"{lead}{k}: [{', '.join(yq(x) for x in v)}]")
            elif k == "kind":
                L.append(f"{lead}{k}: {v}")
            else:
                L.append(f"{lead}{k}: {yq(v)}")
    L.append("devices:")
    L += [f"  {yq(host)}: {_flow(x)}" for host, x in data["devices"].items()]
    return "\n".join(L) + "\n"


def _iface_addresses(w: World):
    """Addresses in use: a shut interface's address is allocated but unused (a planted stub)."""
    for d in w.devices:
        for i in d.ifaces:
            if i.shutdown:
                continue
            for a, p in i.addrs:
                yield a, p, d, i


def check(w: World) -> tuple[list, list]:
    """(overlaps, duplicate ips) computed from the case itself; raises if anything was not planted."""
    # a LAN numbered from the extranet's pool (the data centre) is hosted there by design: no overlap
    nets = {n["id"]: n["prefixes"] for n in w.networks if not (n["kind"] == "lan" and n["on_extranet"])}
    overlaps = find_overlaps(nets)
    planted = {tuple(sorted(p)) for p in w.planted_overlaps}
    found = {tuple(o["networks"]) for o in overlaps}
    if found != planted:
        raise AssertionError(f"generator bug: overlaps {sorted(found ^ planted)!r} were not planned")
    pools = {"extranet-admin", "extranet-public"}
    for o in overlaps:
        o["planted"] = True
        o["with_pool"] = bool(pools & set(o["networks"]))
    seen: dict[int, list] = {}
    for a, p, d, i in _iface_addresses(w):
        seen.setdefault(a, []).append((d.host, i.name))
    dups = {a: v for a, v in seen.items() if len(v) > 1}
    planted_ips = {x["ip"] for x in w.duplicate_ips}
    if {ip(a) for a in dups} != planted_ips or any(len(v) != 2 for v in dups.values()):
        raise AssertionError(f"generator bug: duplicate addresses {sorted(ip(a) for a in dups)!r} "
                             f"!= planted {sorted(planted_ips)!r}")
    return overlaps, w.duplicate_ips


def ground_truth(w: World, sheet_files, sheet_errors, overlaps) -> dict:
    nets = []
    for n in w.networks:
        nets.append({
            "id": n["id"], "name": n["name"], "kind": n["kind"], "department": n["department"],
            "district": n["district"], "purpose": n["purpose"], "classified": n["classified"],
            "vertical_ministry": n["vertical_ministry"], "on_extranet": n["on_extranet"],
            "public_facing": n["public_facing"], "prefixes": n["prefixes"], "devices": n["devices"],
            "vrfs": network_vrfs(w, n), "target": n["target"], "rule": n["rule"] or None,
            "carrier": n["carrier"] or None, "tags": n["tags"], "sheet": n.get("sheet"),
        })
    exits = []
    for e in w.exits:
        exits.append({
            "id": e.id, "department": e.department, "district": e.district, "town": e.town,
            "carrier": e.carrier, "carrier_known": e.carrier_known, "bandwidth_mbps": e.bandwidth_mbps,
            "fee_yuan_year": e.fee_yuan_year, "public_range": e.public_range or None,
            "public_ips": size(int(e.public_range.split("/")[1])) if e.public_range else None,
            "contract_end": e.contract_end or None, "mandated_by": e.mandated_by or None,
            "access_type": e.access_type, "services": e.services or None, "peak_util": e.peak_util,
            "seen_in": e.seen_in, "disagreements": e.disagreements, "sheet_values": e.sheet_values or None,
            "sheet_blank": e.sheet_blank or None,
            "device": e.device or None, "interface": e.interface or None, "evidence": e.evidence or None,
            "sheet": e.sheet or None, "disposition": e.disposition, "note": e.note or None,
            "address_mode": e.address_mode,
        })
    # every interface planted with exit-like evidence, and what it is (issue 17): the verdict the
    # generator meant, from DOMAIN.md's classes; "review" for a carrier's name alone on an extranet line
    candidates = sorted(({k: v for k, v in c.items()} for c in w.candidates),
                        key=lambda c: (c["device"], c["interface"]))
    devices = {}
    for d in w.devices:
        devices[d.host] = {"file": d.path, "platform": d.platform, "vendor": d.vendor, "encoding": d.encoding,
                           "model": d.model, "role": d.role, "department": d.department, "district": d.district,
                           "town": d.town, "network": d.network}
    unconnected = [{"district": d["name"], "town": t["name"]} for d in w.districts for t in d["towns"]
                   if not t["connected"]]
    towns = [t for d in w.districts for t in d["towns"]]
    seen = {k: sum(1 for e in w.exits if e.seen_in == k) for k in ("config", "sheet", "both")}
    return {
        "generator": {"name": "netconsol.generate", "format": 1},
        "seed": w.seed, "scale": w.scale, "sizes": w.sizes.as_dict(),
        "city": {"name": w.P.city, "code": w.P.city_code, "profile": w.P.key},
        "pools": w.pools, "documentation_blocks": list(DOC_BLOCKS), "contract_cutoff": CUTOFF,
        "rules": "targets follow DOMAIN.md's default rules R1-R7; rule null = already in its target domain",
        "networks": nets,
        "overlaps": overlaps,
        "duplicate_ips": w.duplicate_ips,
        "exits": exits,
        "exit_candidates": candidates,
        "topology": w.topology,
        "rooms": [dict(r) for r in w.rooms],
        "unconnected_towns": unconnected,
        "unconnected_departments": [d["name"] for d in w.departments if not d["connected"]],
        "sheet_errors": sheet_errors,
        "sheets": [{"file": f.path, "format": f.fmt, "sheets": [p.sheet for p in f.parts],
                    "rows": sum(len(p.rows) for p in f.parts)} for f in sheet_files],
        "devices": devices,
        "notes": w.notes,
        "totals": {
            "devices": len(w.devices), "configs": len(w.devices), "sheets": len(sheet_files),
            "exits_before": len(w.exits), "exits_config_only": seen["config"], "exits_sheet_only": seen["sheet"],
            "exits_both": seen["both"],
            "exits_disagreeing": sum(1 for e in w.exits if e.disagreements),
            "networks": len(w.networks),
            "private_networks": sum(1 for n in w.networks if n["kind"] not in ("extranet_admin", "extranet_public", "lan")),
            "departments": len(w.departments), "districts": len(w.districts), "towns": len(towns),
            "towns_connected": sum(1 for t in towns if t["connected"]), "overlaps": len(overlaps),
            "overlaps_with_pools": sum(1 for o in overlaps if o["with_pool"]),
            "duplicate_ips": len(w.duplicate_ips), "sheet_errors": len(sheet_errors),
            "exit_candidates": len(candidates),
            "exit_candidates_by_verdict": {v: sum(1 for c in candidates if c["verdict"] == v)
                                           for v in sorted({c["verdict"] for c in candidates})},
            "exits_dynamic": sum(1 for e in w.exits if e.address_mode == "dynamic"),
            "reused_lans": len(w.topology.get("reused_lans", ())), "shut_stubs": len(w.topology.get("shut_stubs", ())),
            "vrrp_pairs": len(w.topology.get("vrrp_pairs", ())), "rooms": len(w.rooms),
        },
    }


def readme_text(w: World, truth: dict) -> str:
    t = truth["totals"]
    plat = {}
    for d in w.devices:
        plat[d.platform] = plat.get(d.platform, 0) + 1
    lines = [
        f"# {w.P.city} demo inventory (generated, fictitious)",
        "",
        f"{w.P.description}, written by",
        "`netconsol.generate`. Every department, device, address and figure is made up; public addresses come",
        "only from the documentation blocks 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24.",
        "",
        "Regenerate (byte-identical for the same seed):",
        "",
        "```",
        f"python -c \"from netconsol.generate import generate_city; generate_city('inventories/{w.P.key}-demo', seed={w.seed}"
        + ("" if w.P.key == P.DEFAULT_PROFILE else f", city='{w.P.key}'") + ")\"",
        "```",
        "",
        "## What is inside",
        "",
        "| path | contents |",
        "|---|---|",
        f"| `inventory.yaml` | the manifest: city {w.P.city}" + (f" ({w.P.city_code})" if w.P.city_code else "") + ", districts and towns (`connected: false` for towns "
        "without an extranet line), departments with aliases, named networks (kind, prefixes, devices, `DEVICE:VRF`), "
        "and a `devices` map (department, district, town, role, network, site) |",
        f"| `configs/core/` | the extranet core `{w.P.core_prefix}-CORE-01` (Huawei VRP): vpn-instances `admin`, `public` and the "
        "dedicated-zone VRFs of the vertical networks already on the extranet |",
        "| `configs/<code>-<district>/` | the district PE (`XC-PE-01`, VRP), the town access routers (`XC-LC-AR01`; "
        "H3C Comware and Huawei VRP alternating, /30 links in the admin and public VRFs, eBGP in "
        "`ipv4-family vpn-instance`) and the district departments' CEs |",
        "| `configs/city/` | city departments' CE routers (VRP, Comware, IOS) |",
        "| `configs/private/<network>/` | the routers of each department private network (IOS, VRP, Comware, one JunOS) |",
        "| `sheets/` | self-inspection sheets per district and for 市直部门: GBK CSV, XLSX with merged cells, "
        "UTF-8 CSV, one English CSV; parts 互联网出口 and 局域网及专网 |",
        "| `ground_truth.json` | the answers: every network's target domain and deciding rule, planted address "
        "overlaps and the duplicate address, every internet exit with its expected disposition, unconnected "
        "towns, planted sheet errors (file, sheet, row, column, code), device list, totals |",
        "",
        "Most configs are UTF-8; those listed with `\"encoding\": \"gb18030\"` in `ground_truth.json` are GB18030, "
        "as Chinese-language VRP/Comware backups often are.",
        "",
        "## Sizes",
        "",
        "| | |",
        "|---|---|",
        f"| seed | {w.seed} |",
        f"| districts / towns (connected) | {t['districts']} / {t['towns']} ({t['towns_connected']}) |",
        f"| departments (incl. district bureaus) | {t['departments']} |",
        f"| private networks | {t['private_networks']} |",
        f"| devices (= configs) | {t['devices']}: " + ", ".join(f"{k} {v}" for k, v in sorted(plat.items())) + " |",
        f"| internet exits | {t['exits_before']}: config only {t['exits_config_only']}, sheet only "
        f"{t['exits_sheet_only']}, both {t['exits_both']} ({t['exits_disagreeing']} disagreeing) |",
        f"| address overlaps (with extranet pools) | {t['overlaps']} ({t['overlaps_with_pools']}) |",
        f"| duplicate host addresses | {t['duplicate_ips']} |",
        f"| planted sheet errors | {t['sheet_errors']} |",
        f"| exit candidates | {t['exit_candidates']}: " + ", ".join(f"{k} {v}" for k, v in
                                                             t["exit_candidates_by_verdict"].items()) + " |",
        f"| reused LANs / shut stubs / VRRP pairs | {t['reused_lans']} / {t['shut_stubs']} / {t['vrrp_pairs']} |",
        f"| server rooms | {t['rooms']} |",
        f"| extranet pools | admin {w.pools['extranet_admin']}, public {w.pools['extranet_public']} |",
        "",
        "## Ground truth, in short",
        "",
        "- `networks[]`: id, kind, purpose, `target` (extranet_admin / extranet_public / extranet_vpn / intranet / "
        "keep) and the DOMAIN.md `rule` (R1–R7) that decides it.",
        "- `overlaps[]`: pairs of network ids, the overlapping prefix pairs, `type` identical / contains / partial "
        "(the two address plans compared as sets), `with_pool`. `duplicate_ips[]`: the same address on two devices.",
        "- `exits[]`: id, department, district, town, carrier (canonical English), bandwidth_mbps, fee_yuan_year, "
        "public_range, contract_end, mandated_by, `seen_in` (config / sheet / both), `disagreements` with the "
        "sheet's values, device/interface, and `disposition` (keep_mandated, keep_until_contract_end after "
        f"{CUTOFF}, else migrate).",
        "- `sheet_errors[]`: file, sheet, row (1-based, as Excel shows it), column, value and the issue `code` "
        "the collector must report (bad-ip-range, missing-value, unknown-carrier, bad-bandwidth).",
        "- `exit_candidates[]`: every interface planted with exit-like evidence and what it is (`verdict`: exit, "
        "extranet_uplink, vertical_uplink, management, dc_internal, private_next_hop; review for a carrier's name "
        "alone on an extranet line), with the evidence meant and the plant's kind; written from the generator's "
        "intent, never from netconsol's analyzers. `exits[].address_mode`: dynamic for broadband rows whose IP "
        "cell says 动态地址, 拨号, DHCP...",
        "- `topology`: `reused_lans` (two departments' routers on one office subnet: a conflict, not a link), "
        "`shut_stubs` (a shut interface holding an address live elsewhere: allocated-unused, no conflict), "
        "`vrrp_pairs` (a virtual address on two routers: shared by design).",
        "- `rooms[]`: the server rooms (机房) of the sheets: department, location, servers, storage, cloud.",
        "",
    ]
    return "\n".join(lines)
