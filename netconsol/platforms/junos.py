"""Juniper JunOS configuration: curly-brace (``show configuration``) and ``set`` (``| display set``).

Both formats name the same configuration paths, so both are reduced to one
stream of statements ``(path tokens, line number)``: a ``set`` line is its own
path; a brace line is the path of the blocks it sits in plus its own tokens
(a block opener ``unit 100 {`` is a statement too: it declares the unit).
The statements are then dispatched on their first token to a few readers
(interfaces, routing-instances, routing-options, protocols bgp, security nat,
system host-name, snmp location, version, vlans).  What no reader takes is
matched against :data:`IGNORED` (known, deliberately not read) and otherwise
listed as unrecognized.

JunOS quirks handled here:

* ``inactive:`` (brace) and ``deactivate PATH`` (set) switch a subtree off;
  ``delete PATH`` removes what was set before it; ``activate`` undoes
  ``deactivate``.  Inactive statements count as ignored and produce no rows.
* ``replace:`` / ``protect:`` prefixes, ``/* annotations */``, ``#`` comments
  (RANCID headers, ``## Last commit``, ``## SECRET-DATA``), ``{master}``
  prompts.
* JunOS has no ``secondary`` keyword: on a unit's family the first address is
  primary unless another is marked ``primary``; the others are secondary.
* A unit listed in ``routing-instances R interface`` belongs to VRF R; this is
  applied after the whole file is read, since the instance may come first.
* Unbalanced braces are repaired using indentation (JunOS output is
  indented): a ``}`` indented like an open block closes that block, so one
  missing or extra brace does not shift the rest of the file.

``apply-groups`` are not expanded (``groups`` are ignored), and
``logical-systems`` are ignored.
"""
from __future__ import annotations

import re

from .base import ParseResult, gc_paused, make_address

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "IGNORED", "detect", "parse"]

NAME = "junos"
VENDOR = "juniper"
# the registry (netconsol.platforms): detection tie order (lower first), and the NAPALM drivers
# whose running config this module parses: driver -> (vendor of the box, transport)
ORDER = 60
LIVE_DRIVERS = {"junos": ("juniper", "netconf")}
DRIVER_ALIASES = {"juniper_junos": "junos", "juniper": "junos"}  # names nornir/netmiko inventories use -> driver

# Configuration paths read on purpose by no reader: a statement whose path
# starts with one of these (``*`` = any one token, e.g. an interface name)
# counts as ignored.  Readers run first, so e.g. ``system host-name`` is read
# although ``system`` is listed.  Anything else is unrecognized.
IGNORED = frozenset({
    # whole hierarchies
    "system", "snmp", "firewall", "policy-options", "class-of-service", "chassis", "groups",
    "apply-groups", "apply-groups-except", "forwarding-options", "services", "event-options", "access",
    "access-profile", "applications", "poe", "ethernet-switching-options", "virtual-chassis",
    "switch-options", "multi-chassis", "logical-systems", "accounting-options", "dynamic-profiles",
    "protocols", "routing-options", "routing-instances", "security", "vlans", "bridge-domains",
    "smtp", "schema", "tenants", "vmhost", "jsrc", "jsrc-partition", "diameter", "fabric", "wlan",
    "session-limit-group", "unified-edge", "multicast-snooping-options",
    # interfaces: containers that are not interfaces
    "interfaces interface-range", "interfaces interface-set", "interfaces traceoptions",
    "interfaces apply-groups", "interfaces apply-groups-except",
    # interface (IFD) options
    "interfaces * mtu", "interfaces * speed", "interfaces * link-mode", "interfaces * duplex",
    "interfaces * flexible-vlan-tagging", "interfaces * vlan-tagging", "interfaces * stacked-vlan-tagging",
    "interfaces * native-vlan-id", "interfaces * encapsulation", "interfaces * gigether-options",
    "interfaces * ether-options", "interfaces * aggregated-ether-options", "interfaces * redundant-ether-options",
    "interfaces * fastether-options", "interfaces * mac", "interfaces * hold-time", "interfaces * traceoptions",
    "interfaces * apply-groups", "interfaces * apply-groups-except", "interfaces * enable", "interfaces * traps",
    "interfaces * no-traps", "interfaces * per-unit-scheduler", "interfaces * hierarchical-scheduler",
    "interfaces * optics-options", "interfaces * esi", "interfaces * damping", "interfaces * framing",
    "interfaces * clocking", "interfaces * media-type", "interfaces * auto-negotiation",
    "interfaces * no-auto-negotiation", "interfaces * flow-control", "interfaces * no-flow-control",
    "interfaces * sonet-options", "interfaces * vlan-vci-tagging", "interfaces * e1-options",
    "interfaces * t1-options", "interfaces * fabric-options", "interfaces * number-of-sub-ports",
    "interfaces * port-mode", "interfaces * description-string", "interfaces * bandwidth",
    "interfaces * mtu-options", "interfaces * switch-options", "interfaces * ethernet-switch-profile",
    "interfaces * vlan-offload", "interfaces * satop-options", "interfaces * serial-options",
    "interfaces * dsl-options", "interfaces * tunnel", "interfaces * sampling", "interfaces * passive-monitor-mode",
    "interfaces * accounting-profile", "interfaces * native-vlan",
    "interfaces * logical-tunnel-options", "interfaces * otn-options", "interfaces * anchor-point",
    "interfaces * link-degrade-monitor", "interfaces * forwarding-class-accounting", "interfaces * unidirectional",
    "interfaces * interface-transmit-statistics", "interfaces * multiservice-options",
    "interfaces * services-options", "interfaces * vlan-rewrite", "interfaces * storm-control",
    "interfaces * ima-link-options", "interfaces * atm-options", "interfaces * dce", "interfaces * no-keepalives",
    "interfaces * keepalives", "interfaces * receive-bucket", "interfaces * transmit-bucket",
    "interfaces * shared-scheduler", "interfaces * schedulers", "interfaces * mac-learn-enable",
    # unit options
    "interfaces * unit * encapsulation", "interfaces * unit * vlan-id-list", "interfaces * unit * vlan-id-range",
    "interfaces * unit * native-inner-vlan-id", "interfaces * unit * inner-vlan-id-range",
    "interfaces * unit * input-vlan-map", "interfaces * unit * output-vlan-map", "interfaces * unit * proxy-arp",
    "interfaces * unit * arp-resp", "interfaces * unit * traps", "interfaces * unit * no-traps",
    "interfaces * unit * mac", "interfaces * unit * bandwidth", "interfaces * unit * mtu",
    "interfaces * unit * apply-groups", "interfaces * unit * apply-groups-except", "interfaces * unit * tunnel",
    "interfaces * unit * peer-unit", "interfaces * unit * point-to-point", "interfaces * unit * multipoint",
    "interfaces * unit * accounting-profile", "interfaces * unit * enable", "interfaces * unit * esi",
    "interfaces * unit * virtual-gateway-accept-data", "interfaces * unit * virtual-gateway-v4-mac",
    "interfaces * unit * virtual-gateway-v6-mac", "interfaces * unit * rpm", "interfaces * unit * dial-options",
    "interfaces * unit * demux-source", "interfaces * unit * demux-options", "interfaces * unit * shaping",
    "interfaces * unit * layer2-policer", "interfaces * unit * vlan-tags-outer",
    "interfaces * unit * interface-shared-with", "interfaces * unit * ppp-options",
    "interfaces * unit * pppoe-options", "interfaces * unit * dlci", "interfaces * unit * vci",
    "interfaces * unit * no-dhcp-flood", "interfaces * unit * clear-dont-fragment-bit",
    "interfaces * unit * copy-tos-to-outer-ip-header", "interfaces * unit * etree-ac-role",
    # unit families other than inet/inet6 (all of them), and inet/inet6 options
    "interfaces * unit * family",
})
_END = None  # trie marker: a pattern ends here


def _compile_ignored(patterns):
    trie: dict = {}
    for pat in patterns:
        node = trie
        for tok in pat.split():
            node = node.setdefault(tok, {})
        node[_END] = True
    return trie


_TRIE = _compile_ignored(IGNORED)


def _ignored(node, p, i, n):
    """True when p[i:] starts with a pattern of *node* (exact token first, then ``*``)."""
    while True:
        if _END in node:
            return True
        if i >= n:
            return False
        star = node.get("*")
        nxt = node.get(p[i])
        if nxt is None:
            if star is None:
                return False
            node = star
        elif star is None:
            node = nxt
        else:
            return _ignored(nxt, p, i + 1, n) or _ignored(star, p, i + 1, n)
        i += 1


U, I, X = 3, 2, 1  # line status: understood, ignored, unrecognized (0 = not yet seen, 5 = blank)

# interface name prefix (letters before the digits) -> kind
_KINDS = {}
for _k, _names in {
    "physical": "ge xe et fe mge xle fte so t1 e1 t3 e3 at se ds ce cau coc ct sxe oc ls gi xgige",
    "aggregate": "ae reth as",
    "loopback": "lo",
    "vlan": "irb vlan",
    "management": "fxp em me vme",
    "tunnel": "gr ip st lt vt fti mt pd pe ipip gre ut vtep",
}.items():
    for _n in _names.split():
        _KINDS[_n] = _k
_LETTERS = re.compile(r"[a-z]*")

_IFD_NOT_NAMES = frozenset({"interface-range", "interface-set", "traceoptions", "apply-groups",
                            "apply-groups-except", "[", "]"})
_MODIFIERS = frozenset({"inactive:", "replace:", "protect:", "active:", "delete:"})
_L2_INSTANCES = frozenset({"virtual-switch", "vpls", "l2vpn", "evpn", "mac-vrf", "forwarding",
                           "l2backhaul-vpn", "evpn-vpws", "no-forwarding", "mpls-internet-multicast",
                           "mpls-forwarding"})

_TOK = re.compile(r'"((?:[^"\\]|\\.)*)(?:"|$)|([{};])|(#.*)|(/\*.*?(?:\*/|$))|([^\s{};"]+)')
_SECRET = re.compile(
    r'((?<![\w-])(?:encrypted-password|authentication-key|secret|pre-shared-key|simple-password|plain-text-password|'
    r'hello-authentication-key|key|password|community)\s+(?:ascii-text\s+|hexadecimal\s+)?)("[^"]*"?|[^\s;]+)')
_HASHED = re.compile(r'\$\d+\$\S*')


def _redact(text: str) -> str:
    """A line fit to show in a report: secret values replaced."""
    return _HASHED.sub("<redacted>", _SECRET.sub(r"\1<redacted>", text))


_VERSION = re.compile(r'^[ \t]*(?:set )?version "?\d{1,2}\.\d+(?:[^\s;"]*R[^\s;"]*|[^\s;"]*"?;)', re.M)


def detect(text: str) -> float:
    """Confidence 0..1 that *text* is a JunOS configuration (either format)."""
    score = 0.0
    if "RANCID-CONTENT-TYPE: juniper" in text:
        score += 0.5
    nset = text.count("\nset ") + text.startswith("set ")
    if nset >= 3:
        score += 0.45
    elif nset:
        score += 0.3
    if "interfaces {" in text:
        score += 0.35
    if "host-name " in text:
        score += 0.2
    if "family inet" in text:
        score += 0.15
    if "unit 0" in text:
        score += 0.1
    if "routing-options" in text:
        score += 0.15
    if "## Last commit" in text or "## Last changed" in text:
        score += 0.3
    if _VERSION.search(text):
        score += 0.2
    if ";\n" in text and "\n}" in text:
        score += 0.1
    # IOS / VRP / Comware markers: flat "interface X" sections and "!" / "#" separators
    if "\ninterface " in text:
        score -= 0.3
    if "\n!\n" in text or "\nsysname " in text or "\nhostname " in text:
        score -= 0.3
    return max(0.0, min(1.0, score))


class _Ifd:
    __slots__ = ("name", "line", "desc", "disabled", "parent", "units")

    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.desc = ""
        self.disabled = False
        self.parent = ""
        self.units = {}


class _Unit:
    __slots__ = ("num", "line", "desc", "disabled", "vlan", "addrs", "unnumbered", "mode")

    def __init__(self, num, line):
        self.mode = ""        # dhcp (family inet dhcp) / ppp (negotiate-address): learnt at run time
        self.num = num
        self.line = line
        self.desc = ""
        self.disabled = False
        self.vlan = None
        self.addrs = {}       # address as written -> [line, primary flag, family]
        self.unnumbered = ""


class _State:
    __slots__ = ("device", "issues", "ifds", "ris", "routes", "defaults", "asn", "bgp", "nat_rs", "pools",
                 "zones", "vlans", "mgmt_instance")

    def __init__(self):
        self.mgmt_instance = False   # system management-instance: fxp0/em0 live in mgmt_junos
        self.device = {"hostname": "", "model": "", "os_version": "", "serial": "", "location": ""}
        self.issues = []
        self.ifds = {}
        self.ris = {}        # name -> dict
        self.routes = {}     # (vrf, prefix) -> dict
        self.defaults = {}   # (vrf, rib) -> static defaults preference
        self.asn = {}        # vrf -> routing-options autonomous-system
        self.bgp = {}        # vrf -> {"local_as", "groups"}
        self.nat_rs = {}     # (kind, rule-set) -> dict
        self.pools = {}      # (kind, pool) -> dict
        self.zones = {}      # zone -> [interfaces]
        self.vlans = {}      # vlan / bridge-domain name -> [vlan id, l3 interface]

    def issue(self, line, column, code, message, value, expected, severity="error"):
        self.issues.append({"location": f"line {line}", "column": column, "severity": severity, "code": code,
                            "message": message, "value": _redact(value), "expected": expected})


# ---------------------------------------------------------------- readers
# Each reader gets the state, the path, its length and the line; it returns
# U when it read the statement, or 0 to leave it to IGNORED.

def _r_version(st, p, n, ln):
    if n >= 2:
        st.device["os_version"] = p[1]
        return U
    return 0


def _r_system(st, p, n, ln):
    if n >= 3 and p[1] == "host-name":
        st.device["hostname"] = p[2]
        return U
    if n == 2 and p[1] == "management-instance":
        st.mgmt_instance = True
        return U
    return 0


def _r_snmp(st, p, n, ln):
    if n >= 3 and p[1] == "location":
        st.device["location"] = p[2]
        return U
    return 0


def _r_interfaces(st, p, n, ln):
    if n == 1:
        return U
    name = p[1]
    if name in _IFD_NOT_NAMES:
        return 0
    num = None
    if "." in name:  # "fxp0.0" is shorthand for "fxp0 unit 0"
        base, _, u = name.rpartition(".")
        if u.isdigit() and base:
            name, num = base, u
    ifd = st.ifds.get(name)
    if ifd is None:
        ifd = st.ifds[name] = _Ifd(name, ln)
    if num is None:
        if n == 2:
            return U
        k = p[2]
        if k == "unit":
            if n == 3:
                return 0
            num = p[3]
            i = 4
        elif k == "description":
            if n > 3:
                ifd.desc = p[3]
                return U
            return 0
        elif k == "disable":
            ifd.disabled = True
            return U
        elif k == "gigether-options" or k == "ether-options" or k == "fastether-options":
            if n > 4 and p[3] == "802.3ad":
                t = p[5] if p[4] == "bundle" and n > 5 else p[4]
                if t[:2] == "ae":
                    ifd.parent = t
                    return U
            elif n > 4 and p[3] == "redundant-parent":
                ifd.parent = p[4]
                return U
            return 0
        else:
            return 0
    else:
        i = 2
    unit = ifd.units.get(num)
    if unit is None:
        unit = ifd.units[num] = _Unit(num, ln)
    if n == i:
        return U
    k = p[i]
    if k == "family":
        if n == i + 1:
            return 0
        fam = p[i + 1]
        if fam != "inet" and fam != "inet6":
            return 0
        if n == i + 2:
            return U
        k = p[i + 2]
        if k == "address":
            if n == i + 3:
                return 0
            a = p[i + 3]
            rec = unit.addrs.get(a)
            if rec is None:
                rec = unit.addrs[a] = [ln, False, 4 if fam == "inet" else 6]
            if n > i + 4 and p[i + 4] == "primary":
                rec[1] = True
            return U  # primary, preferred, vrrp-group, arp...: options of this address
        if k == "unnumbered-address":
            if n > i + 3:
                unit.unnumbered = p[i + 3]
                return U
        if fam == "inet" and (k == "dhcp" or k == "dhcp-client"):
            unit.mode = "dhcp"      # DHCP client: broadband evidence for the exit check
            return U
        if fam == "inet" and k == "negotiate-address":
            unit.mode = "ppp"       # PPPoE (pp0): the address is negotiated
            return U
        return 0
    if k == "description":
        if n > i + 1:
            unit.desc = p[i + 1]
            return U
        return 0
    if k == "disable":
        unit.disabled = True
        return U
    if k == "vlan-id":
        if n > i + 1:
            v = p[i + 1]
            if v.isdigit() and int(v) <= 4095:
                unit.vlan = int(v)
                return U
            st.issue(ln, "vlan-id", "bad-value", f"vlan-id {v!r} on {name}.{num} is not a VLAN number",
                     v, "an integer 0..4095")
            return X
        return 0
    if k == "vlan-tags":
        for j in range(i + 1, n - 1):
            if p[j] == "outer":
                v = p[j + 1].rpartition(".")[2]  # "0x8100.102" names the TPID too
                if v.isdigit():
                    unit.vlan = int(v)
                return U
        return U if n > i + 1 else 0
    return 0


def _values(p, i, n):
    return [t for t in p[i:n] if t != "[" and t != "]"]


def _r_routing_options(st, p, i, n, ln, vrf):
    """p[i] is the token after ``routing-options``."""
    if n == i:
        return U
    k = p[i]
    if k == "static":
        return _static(st, p, i + 1, n, ln, vrf, "")
    if k == "rib" and n > i + 2 and p[i + 2] == "static":
        return _static(st, p, i + 3, n, ln, vrf, p[i + 1])
    if k == "autonomous-system":
        if n > i + 1:
            if p[i + 1] in _AS_OPTIONS:
                return U
            a = _asn(p[i + 1])
            if a is None:
                st.issue(ln, "autonomous-system", "bad-value", f"AS number {p[i + 1]!r} not understood",
                         p[i + 1], "an AS number (65001 or 1.10)")
                return X
            st.asn[vrf] = a
            return U
    return 0


_AS_OPTIONS = frozenset({"loops", "asdot-notation", "independent-domain", "[", "]"})


def _static(st, p, j, n, ln, vrf, rib):
    if n == j:
        return U
    k = p[j]
    if k == "defaults":
        if n > j + 2 and p[j + 1] == "preference" and p[j + 2].isdigit():
            st.defaults[(vrf, rib)] = int(p[j + 2])
            return U
        return I
    if k != "route" or n == j + 1:
        return 0
    prefix = p[j + 1]
    r = st.routes.get((vrf, prefix))
    if r is None:
        r = st.routes[(vrf, prefix)] = {"line": ln, "rib": rib, "nh": {}, "pref": None, "discard": False,
                                        "table": ""}
    i = j + 2
    while i < n:
        k = p[i]
        if k == "next-hop":
            i += 1
            while i < n and p[i] not in _ROUTE_WORDS:
                t = p[i]
                if t != "[" and t != "]" and t not in r["nh"]:
                    r["nh"][t] = [ln, None]
                i += 1
            continue
        if k == "qualified-next-hop":
            if i + 1 >= n:
                return 0
            t = p[i + 1]
            q = r["nh"].get(t)
            if q is None:
                q = r["nh"][t] = [ln, None]
            i += 2
            while i + 1 < n and p[i] in _QNH_WORDS:
                if p[i] == "preference" and p[i + 1].isdigit():
                    q[1] = int(p[i + 1])
                i += 2
            continue
        if k == "discard" or k == "reject" or k == "receive":
            r["discard"] = True
            i += 1
            continue
        if k == "preference":
            if i + 1 < n:
                v = p[i + 1]
                if v == "metric-value" and i + 2 < n:  # "preference { metric-value N; }"
                    i += 1
                    v = p[i + 1]
                if v.isdigit():
                    r["pref"] = int(v)
            i += 2
            continue
        if k == "next-table":
            if i + 1 < n:
                r["table"] = p[i + 1]
            i += 2
            continue
        # metric, tag, install, resolve, community, as-path...: route options not read
        break
    return U


_ROUTE_WORDS = frozenset({"next-hop", "qualified-next-hop", "discard", "reject", "receive", "preference",
                          "next-table", "metric", "tag", "install", "no-install", "readvertise",
                          "no-readvertise", "resolve", "no-resolve", "retain", "no-retain", "active",
                          "passive", "community", "as-path", "bfd-liveness-detection", "tag2", "lsp-next-hop",
                          "p2mp-lsp-next-hop", "static-lsp-next-hop", "color", "longest-match"})
_QNH_WORDS = frozenset({"preference", "metric", "tag", "interface", "bfd-liveness-detection"})


def _asn(tok):
    if tok.isdigit():
        return int(tok)
    a, dot, b = tok.partition(".")
    if dot and a.isdigit() and b.isdigit():
        return int(a) * 65536 + int(b)
    return None


def _r_routing_instances(st, p, n, ln):
    if n == 1:
        return U
    name = p[1]
    if name in ("apply-groups", "apply-groups-except"):
        return 0
    ri = st.ris.get(name)
    if ri is None:
        ri = st.ris[name] = {"line": ln, "type": "", "rd": "", "imp": [], "exp": [], "desc": "", "ifs": []}
    if n == 2:
        return U
    k = p[2]
    if k == "instance-type":
        if n > 3:
            ri["type"] = p[3]
            return U
    elif k == "interface":
        if n > 3:
            ri["ifs"].append(p[3])
            return U
    elif k == "route-distinguisher":
        if n > 3:
            ri["rd"] = p[3]
            return U
    elif k == "vrf-target":
        if n == 3:
            return U
        t = p[3]
        if t == "import" or t == "export":
            if n > 4:
                ri["imp" if t == "import" else "exp"].append(_rt(p[4]))
            return U
        if t == "auto":
            return U
        rt = _rt(t)
        ri["imp"].append(rt)
        ri["exp"].append(rt)
        return U
    elif k == "vrf-import" or k == "vrf-export":
        return U  # policy names, not route targets
    elif k == "description":
        if n > 3:
            ri["desc"] = p[3]
            return U
    elif k == "routing-options":
        return _r_routing_options(st, p, 3, n, ln, name)
    elif k == "protocols":
        if n > 3 and p[3] == "bgp":
            return _bgp(st, p, 4, n, ln, name)
    return 0


def _rt(t):
    return t[7:] if t.startswith("target:") else t


def _r_protocols(st, p, n, ln):
    if n > 1 and p[1] == "bgp":
        return _bgp(st, p, 2, n, ln, "")
    if n > 2 and p[1] == "lldp":
        # "protocols lldp interface X" runs LLDP; "protocols lldp disable" stops it, wherever it stands
        if n == 3 and p[2] == "disable":
            st.device["lldp"] = False
            return U
        if n > 3 and p[2] == "interface" and p[-1] != "disable":
            if st.device.get("lldp") is not False:
                st.device["lldp"] = True
            return U
    return 0


def _bgp(st, p, j, n, ln, vrf):
    b = st.bgp.get(vrf)
    if b is None:
        b = st.bgp[vrf] = {"local_as": None, "groups": {}}
    if n == j:
        return U
    k = p[j]
    if k == "local-as":
        if n > j + 1:
            b["local_as"] = _asn(p[j + 1])
            return U
        return 0
    if k == "group":
        if n == j + 1:
            return 0
        gname = p[j + 1]
        j += 2
    elif k == "neighbor":  # not valid JunOS outside a group; read it anyway
        gname = ""
    else:
        return 0
    g = b["groups"].get(gname)
    if g is None:
        g = b["groups"][gname] = {"line": ln, "type": "", "peer_as": None, "local_as": None, "desc": "",
                                  "nbrs": {}, "allow": []}
    if n == j:
        return U
    k = p[j]
    obj = g
    if k == "neighbor":
        if n == j + 1:
            return 0
        addr = p[j + 1]
        obj = g["nbrs"].get(addr)
        if obj is None:
            obj = g["nbrs"][addr] = {"line": ln, "peer_as": None, "local_as": None, "desc": ""}
        j += 2
        if n == j:
            return U
        k = p[j]
    elif k == "type":
        if n > j + 1:
            g["type"] = p[j + 1]
            return U
        return 0
    elif k == "allow":
        g["allow"].extend(_values(p, j + 1, n))
        return U
    if k == "peer-as" or k == "local-as":
        if n > j + 1:
            a = _asn(p[j + 1])
            if a is None:
                st.issue(ln, k, "bad-value", f"AS number {p[j + 1]!r} not understood", p[j + 1],
                         "an AS number (65001 or 1.10)")
                return X
            obj["peer_as" if k == "peer-as" else "local_as"] = a
            return U
        return 0
    if k == "description":
        if n > j + 1:
            obj["desc"] = p[j + 1]
            return U
    return 0


_NAT_KINDS = frozenset({"source", "destination", "static"})
_NAT_THEN = frozenset({"source-nat", "destination-nat", "static-nat"})
_NAT_OPTS = frozenset({"mapped-port", "routing-instance", "persistent-nat", "address-persistent",
                       "rule-session-count-alarm"})


def _r_security(st, p, n, ln):
    if n < 2:
        return 0
    if p[1] == "zones":
        # security zones security-zone Z interfaces IF
        if n > 4 and p[2] == "security-zone" and p[4] == "interfaces":
            if n > 5:
                st.zones.setdefault(p[3], [])
                if p[5] not in st.zones[p[3]]:
                    st.zones[p[3]].append(p[5])
            return U
        return 0
    if p[1] != "nat":
        return 0
    if n == 2:
        return U
    kind = p[2]
    if kind not in _NAT_KINDS:
        return 0
    if n == 3:
        return U
    k = p[3]
    if k == "pool":
        if n < 5:
            return 0
        pool = st.pools.get((kind, p[4]))
        if pool is None:
            pool = st.pools[(kind, p[4])] = {"addr": "", "port": ""}
        if n > 6 and p[5] == "address":
            v = _values(p, 6, n)
            if v and not pool["addr"]:
                pool["addr"] = v[0] + ("-" + v[2] if len(v) > 2 and v[1] == "to" else "")
            if "port" in v and v.index("port") + 1 < len(v):
                pool["port"] = v[v.index("port") + 1]
        return U
    if k != "rule-set" or n < 5:
        return 0
    key = (kind, p[4])
    rs = st.nat_rs.get(key)
    if rs is None:
        rs = st.nat_rs[key] = {"line": ln, "from": [], "to": [], "rules": {}}
    if n == 5:
        return U
    k = p[5]
    if k == "from" or k == "to":
        if n > 7:
            rs[k].append((p[6], p[7]))
            return U
        return U if n == 6 else 0
    if k != "rule" or n < 7:
        return 0
    rule = rs["rules"].get(p[6])
    if rule is None:
        rule = rs["rules"][p[6]] = {"line": ln, "src": [], "dst": [], "src_names": [], "dst_names": [],
                                    "dport": "", "proto": "", "action": "", "value": "", "then_line": 0,
                                    "mapped_port": "", "ri": ""}
    if n == 7:
        return U
    k = p[7]
    if k == "match":
        if n == 8:
            return U
        if n == 9:
            return U  # "source-address {" style opener
        what = p[8]
        vals = _values(p, 9, n)
        if what == "source-address":
            rule["src"].extend(vals)
        elif what == "destination-address":
            rule["dst"].extend(vals)
        elif what == "source-address-name":
            rule["src_names"].extend(vals)
        elif what == "destination-address-name":
            rule["dst_names"].extend(vals)
        elif what == "destination-port":
            rule["dport"] = "-".join(v for v in vals if v != "to")
        elif what == "protocol":
            rule["proto"] = " ".join(vals)
        elif what in ("source-port", "application"):
            pass
        else:
            return 0
        return U
    if k == "then":
        if n < 10:
            return U if n == 8 or (n == 9 and p[8] in _NAT_THEN) else 0
        if p[8] not in _NAT_THEN:
            return 0
        act = p[9]
        if not rule["then_line"]:
            rule["then_line"] = ln
        if act == "off" or act == "interface":
            rule["action"] = act
        elif act in ("pool", "prefix", "prefix-name"):
            rule["action"] = act
            if n > 10:
                v = p[10]
                if v == "mapped-port" and n > 11:
                    rule["mapped_port"] = p[11]
                elif v == "routing-instance" and n > 11:
                    rule["ri"] = p[11]
                elif v not in _NAT_OPTS and not rule["value"]:
                    rule["value"] = v
                    if n > 12 and p[11] == "mapped-port":
                        rule["mapped_port"] = p[12]
        elif act == "inet":
            rule["action"] = act
        return U
    return 0


def _r_vlans(st, p, n, ln):
    # vlans V vlan-id N / l3-interface irb.X ; bridge-domains BD vlan-id N / routing-interface irb.X
    if n == 1:
        return U
    if n < 4:
        return U if n == 2 else 0
    v = st.vlans.get(p[1])
    if v is None:
        v = st.vlans[p[1]] = [None, ""]
    k = p[2]
    if k == "vlan-id" and p[3].isdigit():
        v[0] = int(p[3])
        return U
    if k == "l3-interface" or k == "routing-interface":
        v[1] = p[3]
        return U
    return 0


_READERS = {
    "version": _r_version,
    "system": _r_system,
    "snmp": _r_snmp,
    "interfaces": _r_interfaces,
    "routing-options": lambda st, p, n, ln: _r_routing_options(st, p, 1, n, ln, ""),
    "routing-instances": _r_routing_instances,
    "protocols": _r_protocols,
    "security": _r_security,
    "vlans": _r_vlans,
    "bridge-domains": _r_vlans,
}


# ---------------------------------------------------------------- parse

@gc_paused
def parse(text: str) -> ParseResult:
    """Parse a JunOS configuration (brace or set format, or both). Never raises."""
    res = ParseResult(NAME, VENDOR)
    st = _State()
    lines = text.split("\n")
    status = bytearray(len(lines) + 1)
    try:
        stmts, inactive, deleted = _statements(lines, status, st)
        _dispatch(stmts, inactive, deleted, status, st)
    except Exception as e:  # a parser bug must not stop a scan: report it and keep what was read
        st.issue(0, "", "parse-error", f"internal error while reading: {type(e).__name__}: {e}", "",
                 "a readable JunOS configuration")
    for stage in (_finish_interfaces, _finish_vrfs, _finish_routes, _finish_bgp, _finish_nat):
        try:
            stage(st, res)
        except Exception as e:
            st.issue(0, "", "parse-error", f"internal error in {stage.__name__}: {type(e).__name__}: {e}", "",
                     "a readable JunOS configuration")
    _count(lines, status, res)
    res.device = st.device
    res.issues = st.issues
    return res


def _statements(lines, status, st):
    """Pass 1: lines -> statements [(path, line)], plus inactive/deleted path prefixes."""
    stmts = []
    add = stmts.append
    inactive = {}
    deleted = {}
    cur = []           # path of the open blocks
    stack = []         # per open block: (tokens pushed, indent, line)
    in_comment = False
    model = serial = ""
    serial_col = -1    # where RANCID's "show chassis hardware" header puts "Serial number"
    ln = 0
    for raw in lines:
        ln += 1
        s = raw.strip()
        if not s:
            status[ln] = 5
            continue
        if in_comment:
            status[ln] = I
            e = s.find("*/")
            if e < 0:
                continue
            in_comment = False
            s = s[e + 2:].strip()
            if not s:
                continue
        c = s[0]
        last = s[-1]
        if c == "s" and s[:4] == "set " and '"' not in s and "#" not in s and "/*" not in s:
            if stack:
                _unclosed(st, ln, stack, cur)
            path = s.split()
            del path[0]
            add((path, ln))
            continue
        if last == ";" or last == "{":
            body = s[:-1]
            if '"' not in s:
                toks = body.split() if ("#" not in s and "/*" not in s and "{" not in body and "}" not in body
                                        and ";" not in body) else None
            else:
                toks = _qsplit(body)
            if toks is not None and not (c == "s" and s[:4] == "set "):
                # brace format, fast path: "words;" or "words {"
                if toks and toks[0][-1:] == ":" and toks[0] in _MODIFIERS:
                    if toks[0] == "inactive:" and len(toks) > 1:
                        inactive[tuple(cur + toks[1:])] = ln
                    del toks[0]
                if last == ";":
                    if toks:
                        add((cur + toks, ln))
                    else:
                        status[ln] = I
                else:
                    if toks:
                        cur.extend(toks)
                        add((cur[:], ln))
                    else:
                        status[ln] = I
                    stack.append((len(toks), raw.find(c), ln))
                continue
        elif c == "}" and len(s) == 1:
            status[ln] = I
            if not stack:
                status[ln] = X
                st.issue(ln, "", "parse-error", "closing brace without an open block", "}", "balanced { }")
                continue
            indent = raw.find(c)
            if stack[-1][1] != indent and len(stack) > 1 and _realign(st, ln, indent, stack, cur):
                continue
            del cur[len(cur) - stack.pop()[0]:]
            continue
        if c == "#":
            status[ln] = I
            if s.startswith("# Model: "):  # RANCID "show version" header
                model = model or s[9:].strip()
            elif s.startswith("# Item ") and "Serial number" in s:   # RANCID "show chassis hardware"
                serial_col = s.index("Serial number")
            elif s.startswith("# Chassis ") and serial_col > 0 and not serial:
                serial = (s[serial_col:].split() or [""])[0]
            continue
        if c == "/" and s.startswith("/*"):
            status[ln] = I
            e = s.find("*/", 2)
            if e < 0:
                in_comment = True
                continue
            s = s[e + 2:].strip()
            if not s:
                continue
            c = s[0]
        if c in "sdai" and (s.startswith("set ") or s.startswith("deactivate ") or s.startswith("delete ")
                            or s.startswith("activate ") or s.startswith("annotate ")
                            or s.startswith("insert ")):
            # a "set"-format command (the plain "set" case was handled above)
            if stack:
                _unclosed(st, ln, stack, cur)
            toks = _qsplit(s)
            if toks is None:
                toks, in_comment = _tokens(s)
            verb = toks[0] if toks else ""
            path = toks[1:]
            if not path:
                status[ln] = X
                continue
            if verb == "set":
                add((path, ln))
            elif verb == "deactivate":
                inactive[tuple(path)] = ln
                status[ln] = U
            elif verb == "delete":
                deleted[tuple(path)] = ln
                status[ln] = U
            elif verb == "activate":
                inactive.pop(tuple(path), None)
                status[ln] = U
            else:  # annotate (a comment), insert ... before/after (order only)
                status[ln] = I
            continue
        if c == "{" and s[-1] == "}" and " " not in s:  # {master}, {master:0}, {primary:node0}
            status[ln] = I
            continue
        if c == "[" and s[-1] == "]" and s.startswith("[edit"):
            status[ln] = I
            continue
        # general path: quotes, comments, several statements or braces on one line
        before = len(stmts)
        toks = []
        mod = ""
        for m in _TOK.finditer(s):
            li = m.lastindex
            if li == 5:
                t = m.group(5)
                if not toks and t[-1] == ":" and t in _MODIFIERS:
                    mod = t
                else:
                    toks.append(t)
            elif li == 1:
                toks.append(m.group(1).replace('\\"', '"'))
            elif li == 2:
                g = m.group(2)
                if mod == "inactive:" and toks:
                    inactive[tuple(cur + toks)] = ln
                mod = ""
                if g == ";":
                    if toks:
                        add((cur + toks, ln))
                elif g == "{":
                    cur.extend(toks)
                    if toks:
                        add((cur[:], ln))
                    stack.append((len(toks), raw.find(c), ln))
                else:
                    if toks:
                        add((cur + toks, ln))
                    if stack:
                        del cur[len(cur) - stack.pop()[0]:]
                    else:
                        st.issue(ln, "", "parse-error", "closing brace without an open block", "}",
                                 "balanced { }")
                        status[ln] = X
                toks = []
            elif li == 3:
                break
            elif li == 4:
                g = m.group(4)
                if len(g) < 4 or not g.endswith("*/"):
                    in_comment = True
                    break
        if toks:  # no terminator: read it anyway (hand-edited or truncated line)
            if mod == "inactive:":
                inactive[tuple(cur + toks)] = ln
            add((cur + toks, ln))
        if len(stmts) == before and not status[ln]:
            status[ln] = I  # only braces, a comment or a "replace:" modifier
    if stack:
        st.issue(stack[-1][2], "", "parse-error",
                 f"{len(stack)} block(s) not closed at end of file (truncated?)", "", "balanced { }")
    if model:
        st.device["model"] = model
    if serial:
        st.device["serial"] = serial
    return stmts, inactive, deleted


def _qsplit(s):
    """Tokens of a line whose only complication is double quotes; None when it needs the full tokenizer."""
    parts = s.split('"')
    if not len(parts) & 1 or "\\" in s:
        return None
    toks = []
    odd = False
    for part in parts:
        if odd:
            toks.append(part)
        elif "#" in part or "{" in part or "}" in part or ";" in part or "/*" in part:
            return None
        else:
            toks.extend(part.split())
        odd = not odd
    return toks


def _tokens(s):
    """Tokens of one set-format line with quotes and comments; and whether a /* comment stays open."""
    toks = []
    for m in _TOK.finditer(s):
        li = m.lastindex
        if li == 5:
            toks.append(m.group(5))
        elif li == 1:
            toks.append(m.group(1).replace('\\"', '"'))
        elif li == 3:
            break
        elif li == 4:
            g = m.group(4)
            if len(g) < 4 or not g.endswith("*/"):
                return toks, True
    return toks, False


def _unclosed(st, ln, stack, cur):
    st.issue(ln, "", "parse-error", f"{len(stack)} block(s) not closed before a set command "
             f"(opened line {stack[-1][2]})", "", "balanced { }")
    stack.clear()
    cur.clear()


def _realign(st, ln, indent, stack, cur):
    """A closing brace indented unlike the innermost open block: trust the indentation.

    Returns True when the brace is an extra one to skip; otherwise pops the
    blocks left open so that the caller's pop closes the matching one.
    """
    if indent > stack[-1][1]:
        st.issue(ln, "", "parse-error", "extra closing brace (by indentation) skipped", "}", "balanced { }")
        return True
    for k in range(len(stack) - 2, -1, -1):
        if stack[k][1] == indent:
            st.issue(ln, "", "parse-error", f"{len(stack) - 1 - k} block(s) not closed before this brace "
                     f"(opened line {stack[-1][2]})", "}", "balanced { }")
            while len(stack) > k + 1:
                del cur[len(cur) - stack.pop()[0]:]
            break
    return False


def _dispatch(stmts, inactive, deleted, status, st):
    """Pass 2: hand each active statement to its reader; set each line's status."""
    readers = _READERS
    trie = _TRIE
    if inactive or deleted:
        lens = sorted({len(k) for k in inactive} | {len(k) for k in deleted})
        keep = []
        for path, ln in stmts:
            off = False
            for k in lens:
                if k > len(path):
                    break
                key = tuple(path[:k])
                if key in inactive:
                    off = True
                    break
                d = deleted.get(key)
                if d is not None and ln < d:
                    off = True
                    break
            if off:
                if status[ln] < I:
                    status[ln] = I
            else:
                keep.append((path, ln))
        stmts = keep
    for path, ln in stmts:
        n = len(path)
        r = readers.get(path[0])
        r = r(st, path, n, ln) if r is not None else 0
        if not r:
            r = I if _ignored(trie, path, 0, n) else X
        if status[ln] < r:
            status[ln] = r


def _count(lines, status, res):
    # a non-blank line nothing has classified yet is unrecognized
    z = status.find(0, 1)
    while z >= 0:
        status[z] = X if lines[z - 1].strip() else 5
        z = status.find(0, z + 1)
    res.lines = len(status) - 1 - status.count(5)
    res.understood = status.count(U)
    res.ignored = status.count(I)
    unrec = []
    z = status.find(X, 1)
    while z >= 0:
        unrec.append((z, _redact(lines[z - 1].strip())))
        z = status.find(X, z + 1)
    res.unrecognized = unrec


# ---------------------------------------------------------------- tables

def _kind(name):
    return _KINDS.get(_LETTERS.match(name).group(), "other")


def _finish_interfaces(st, res):
    vrf_of = {}
    for rname, ri in st.ris.items():
        if ri["type"] in _L2_INSTANCES:
            continue
        for ifname in ri["ifs"]:
            vrf_of.setdefault(ifname, rname)
            if "." not in ifname:
                vrf_of.setdefault(ifname + ".0", rname)
    vlan_of = {}
    for vid, l3 in st.vlans.values():
        if vid is not None and l3:
            vlan_of[l3] = vid
    nat_of = {}
    for (kind, _), rs in st.nat_rs.items():
        role = "outbound" if kind == "source" else "outside"
        side = rs["to"] if kind == "source" else rs["from"]
        if kind == "source" and not any(r["action"] in ("interface", "pool") for r in rs["rules"].values()):
            continue
        for what, val in side:
            for ifname in (st.zones.get(val, ()) if what == "zone" else (val,) if what == "interface" else ()):
                if nat_of.get(ifname) != "outbound":
                    nat_of[ifname] = role
    if st.mgmt_instance:
        # with `system management-instance` the management ports belong to mgmt_junos
        for ifd in st.ifds.values():
            if _kind(ifd.name) == "management":
                vrf_of.setdefault(ifd.name, "mgmt_junos")
                for num in ifd.units:
                    vrf_of.setdefault(f"{ifd.name}.{num}", "mgmt_junos")
    rows = res.interfaces
    issue = st.issue
    for ifd in st.ifds.values():
        base = _kind(ifd.name)
        if not ifd.units:
            rows.append({"interface": ifd.name, "kind": base, "parent": ifd.parent, "description": ifd.desc,
                         "admin_up": not ifd.disabled, "address": "", "ip": "", "prefixlen": None, "subnet": "",
                         "family": None, "secondary": False, "vrf": vrf_of.get(ifd.name, ""), "unnumbered": "",
                         "nat": nat_of.get(ifd.name, ""), "vlan": None, "location": f"line {ifd.line}"})
            continue
        for num, u in ifd.units.items():
            full = f"{ifd.name}.{num}"
            vlan = u.vlan if u.vlan is not None else vlan_of.get(full)
            kind = base
            if num != "0" and u.vlan is not None and (base == "physical" or base == "aggregate"):
                kind = "subinterface"
            common = {"interface": full, "kind": kind, "parent": ifd.name, "description": u.desc or ifd.desc,
                      "admin_up": not (ifd.disabled or u.disabled), "vrf": vrf_of.get(full, ""),
                      "unnumbered": u.unnumbered, "nat": nat_of.get(full, ""), "address_mode": u.mode,
                      "vlan": vlan}
            n_rows = 0
            if u.addrs:
                primary = {4: False, 6: False}
                for rec in u.addrs.values():
                    if rec[1]:
                        primary[rec[2]] = True
                seen = {4: 0, 6: 0}
                done = set()
                for a, (ln, is_primary, fam) in u.addrs.items():
                    ip, _, plen = a.partition("/")
                    if not plen:
                        plen = "32" if fam == 4 else "128"
                    try:
                        if (":" in ip) != (fam == 6):
                            raise ValueError(f"{a!r} is not an IPv{fam} address")
                        cols = make_address(ip, plen)
                    except ValueError as e:
                        issue(ln, "address", "bad-address", f"{full}: {e}", a,
                              "an IPv4 address/length (10.1.1.1/24)" if fam == 4 else
                              "an IPv6 address/length (2001:db8::1/64)")
                        continue
                    if cols["address"] in done:
                        continue
                    done.add(cols["address"])
                    secondary = (not is_primary) if primary[fam] else seen[fam] > 0
                    seen[fam] += 1
                    rows.append({**common, **cols, "secondary": secondary, "location": f"line {ln}"})
                    n_rows += 1
            if not n_rows:
                rows.append({**common, "address": "", "ip": "", "prefixlen": None, "subnet": "", "family": None,
                             "secondary": False, "location": f"line {u.line}"})


def _finish_vrfs(st, res):
    for name, ri in st.ris.items():
        if ri["type"] in _L2_INSTANCES:
            continue
        res.vrfs.append({"vrf": name, "rd": ri["rd"], "import_rt": " ".join(dict.fromkeys(ri["imp"])),
                         "export_rt": " ".join(dict.fromkeys(ri["exp"])), "description": ri["desc"],
                         "location": f"line {ri['line']}"})


def _finish_routes(st, res):
    for (vrf, prefix), r in st.routes.items():
        ip, _, plen = prefix.partition("/")
        if not plen:
            plen = "128" if ":" in ip else "32"
        try:
            net = make_address(ip, plen)["subnet"]
        except ValueError as e:
            st.issue(r["line"], "route", "bad-address", f"static route: {e}", prefix,
                     "a destination prefix (10.0.0.0/8)")
            continue
        pref = r["pref"]
        if pref is None:
            pref = st.defaults.get((vrf, r["rib"]))
        base = {"vrf": vrf, "prefix": net, "distance": pref, "description": ""}
        if r["nh"] and not r["discard"]:
            for nh, (ln, qpref) in r["nh"].items():
                if nh == "0.0.0.0":  # JunOS treats next-hop 0.0.0.0 as discard
                    nh_ip, nh_if = "", ""
                elif nh[:1].isdigit() or ":" in nh:
                    nh_ip, nh_if = nh, ""
                else:
                    nh_ip, nh_if = "", nh
                res.routes.append({**base, "next_hop": nh_ip, "interface": nh_if,
                                   "distance": qpref if qpref is not None else pref, "location": f"line {ln}"})
        else:
            res.routes.append({**base, "next_hop": "", "interface": "", "location": f"line {r['line']}"})
    _dedupe(res.routes, ("vrf", "prefix", "next_hop", "interface"))


def _finish_bgp(st, res):
    for vrf, b in st.bgp.items():
        for g in b["groups"].values():
            peers = list(g["nbrs"].items()) + [(a, {"line": g["line"], "peer_as": None, "local_as": None,
                                                    "desc": ""}) for a in g["allow"] if a not in g["nbrs"]]
            for addr, nb in peers:
                local = nb["local_as"] or g["local_as"] or b["local_as"] or st.asn.get(vrf) or st.asn.get("")
                remote = nb["peer_as"] or g["peer_as"]
                if remote is None and g["type"] == "internal":
                    remote = local
                if remote is not None and local is not None:
                    ebgp = remote != local
                elif g["type"] in ("internal", "external"):
                    ebgp = g["type"] == "external"
                else:
                    ebgp = None
                res.bgp.append({"vrf": vrf, "local_as": local, "neighbor": addr, "remote_as": remote,
                                "description": nb["desc"] or g["desc"], "ebgp": ebgp,
                                "location": f"line {nb['line']}"})
    _dedupe(res.bgp, ("vrf", "neighbor"))


def _finish_nat(st, res):
    for (kind, _), rs in st.nat_rs.items():
        ctx = " ".join(f"{d} {w} {v}" for d, items in (("from", rs["from"]), ("to", rs["to"])) for w, v in items)
        if kind == "source":
            to_if = [v for w, v in rs["to"] if w == "interface"]
            iface = to_if[0] if to_if else ctx
        else:
            from_if = [v for w, v in rs["from"] if w == "interface"]
            iface = from_if[0] if from_if else ctx
        ri = [v for w, v in rs["from"] if w == "routing-instance"]
        for rule in rs["rules"].values():
            act = rule["action"]
            if not act or act == "off":
                continue
            loc = f"line {rule['then_line'] or rule['line']}"
            src = " ".join(rule["src"] or rule["src_names"])
            dst = " ".join(rule["dst"] or rule["dst_names"])
            if kind == "source":
                row = {"kind": "outbound", "interface": iface, "inside": src,
                       "outside": "interface" if act == "interface" else rule["value"],
                       "protocol": rule["proto"], "inside_port": "", "outside_port": "",
                       "vrf": ri[0] if ri else ""}
            elif kind == "static":
                row = {"kind": "static", "interface": iface, "inside": rule["value"], "outside": dst,
                       "protocol": rule["proto"], "inside_port": rule["mapped_port"], "outside_port": rule["dport"],
                       "vrf": rule["ri"]}
            else:
                pool = st.pools.get(("destination", rule["value"]), {})
                row = {"kind": "server", "interface": iface, "inside": pool.get("addr") or rule["value"],
                       "outside": dst, "protocol": rule["proto"], "inside_port": pool.get("port", ""),
                       "outside_port": rule["dport"], "vrf": ri[0] if ri else ""}
            row["location"] = loc
            res.nat.append(row)
    _dedupe(res.nat, ("kind", "interface", "inside", "outside", "protocol", "inside_port", "outside_port"))


def _dedupe(rows, key):
    seen = set()
    out = []
    for r in rows:
        k = tuple(r[c] for c in key)
        if k not in seen:
            seen.add(k)
            out.append(r)
    rows[:] = out
