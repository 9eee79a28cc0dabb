"""Shared engine for the Cisco-like syntaxes: IOS/IOS-XE, IOS-XR and Arista EOS.

All three write ``!``-separated running configs whose sub-commands are
indented under their parent.  One pass over ``text.split("\\n")``: each line
is ``str.split()`` once and dispatched through dicts keyed by first word,
inside a stack of block frames found by indentation (so EOS's 3-space and
XR's nested blocks need no special casing).  Rows are built at the end, when
every interface/peer statement has been seen.

Coverage rules (see :mod:`netconsol.platforms.base`): a line a handler turns
into rows or state is *understood*; a known line deliberately not read is
*ignored*, and so is every line indented under it (children of ``router
ospf``, ``line vty``, certificates...); anything else is *unrecognized*, and so
are the children of an unrecognized line.  A line whose value is bad (an
address that is not one) is understood and reported in ``issues``.

Dialect differences live in the three platform modules as data (ignore
sets, interface-name tables) plus a few handler overrides.
"""
from __future__ import annotations

import re
from socket import AF_INET as _AF_INET, inet_ntop as _ntop, inet_pton as _pton

from .base import ParseResult, decode, make_address, line_loc

__all__ = [
    "CiscoParser", "make_normalizer", "interface_kind", "parse_asn", "redact", "detect_scores", "decisive",
    "UNDERSTOOD", "IGNORED", "UNRECOGNIZED", "forget",
]

UNRECOGNIZED, UNDERSTOOD, IGNORED = 0, 1, 2

# words after which the rest of a line may be a secret: never copied into rows,
# issue values or the unrecognized list
SECRET_WORDS = frozenset({
    "password", "secret", "key", "key-string", "md5", "community", "authentication-key",
    "encrypted", "hash", "sha512", "pre-shared-key", "psk", "passphrase", "message-digest-key",
})


def redact(text: str) -> str:
    """*text* with everything after a secret keyword replaced by ``<removed>``."""
    words = text.split()
    for i, w in enumerate(words):
        if w.lower() in SECRET_WORDS:
            return " ".join(words[:i + 1] + ["<removed>"])
    return " ".join(words)


def parse_asn(tok: str):
    """'65001' -> 65001, asdot '1.10' -> 65546; None if not an AS number."""
    if tok.isdigit():
        v = int(tok)
        return v if v <= 0xFFFFFFFF else None
    hi, dot, lo = tok.partition(".")
    if dot and hi.isdigit() and lo.isdigit():
        h, l_ = int(hi), int(lo)
        if h <= 65535 and l_ <= 65535:
            return h * 65536 + l_
    return None


# IPv4 interface addresses, the commonest value of all: dotted masks and prefix lengths -> length, and the
# address dict of base.make_address built without its general checks; anything unusual goes to make_address
_V4_LEN = {}
_V4_NETMASK = []
for _n in range(33):
    _m = (0xFFFFFFFF << (32 - _n)) & 0xFFFFFFFF
    _V4_LEN[".".join(str((_m >> _s) & 255) for _s in (24, 16, 8, 0))] = _n
    _V4_LEN[str(_n)] = _n
    _V4_NETMASK.append(_m)
_from_bytes = int.from_bytes


def _address(ip: str, length: str) -> dict:
    """base.make_address(ip, length), faster for a strict dotted quad with a dotted mask or 0..32."""
    plen = _V4_LEN.get(length)
    if plen is not None:
        try:
            v = _from_bytes(_pton(_AF_INET, ip), "big")
        except (OSError, ValueError, TypeError):   # leading zeros, IPv6, junk: make_address decides
            return make_address(ip, length)
        net = _ntop(_AF_INET, (v & _V4_NETMASK[plen]).to_bytes(4, "big"))
        return {"address": f"{ip}/{plen}", "ip": ip, "prefixlen": plen, "subnet": f"{net}/{plen}", "family": 4}
    return make_address(ip, length)


def _fast_v4(ip: str, length: str):
    """The address dict of make_address(ip, length) for a strict dotted quad and a known mask, else None."""
    plen = _V4_LEN.get(length)
    if plen is None:
        return None
    try:
        _pton(_AF_INET, ip)      # strict: four decimal octets 0-255 without leading zeros
    except (OSError, ValueError, TypeError):
        return None
    address = f"{ip}/{plen}"
    if plen == 32:
        subnet = address
    elif plen == 24:
        subnet = f"{ip[:ip.rindex('.')]}.0/24"
    else:
        subnet = f"{_ntop(_AF_INET, (_from_bytes(_pton(_AF_INET, ip), 'big') & _V4_NETMASK[plen]).to_bytes(4, 'big'))}/{plen}"
    return {"address": address, "ip": ip, "prefixlen": plen, "subnet": subnet, "family": 4}


def _is_v4(tok: str) -> bool:
    parts = tok.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


def _looks_v4(tok: str) -> bool:
    """Cheap shape test: digits and three dots (validated later by make_address)."""
    return tok[:1].isdigit() and tok.count(".") == 3


def _looks_ip(tok: str) -> bool:
    return _looks_v4(tok) or (":" in tok and all(c in "0123456789abcdefABCDEF:." for c in tok))


# ---------------------------------------------------------------- interface names

def make_normalizer(canonical, abbreviations):
    """A ``normalize_interface(name)`` for one dialect.

    *canonical*: full type names as the platform prints them; *abbreviations*:
    lowercase short forms -> full name.  A type prefix is matched exactly
    (case-insensitively), then as an abbreviation, then as the unique
    canonical name it starts (IOS accepts any unambiguous prefix: ``Gig0/1``).
    Unknown types are returned unchanged.  Results are memoized.
    """
    full = {c.lower(): c for c in canonical}
    abbr = dict(abbreviations)
    cache: dict = {}

    def normalize_interface(name: str) -> str:
        got = cache.get(name)
        if got is not None:
            return got
        name_s = name.strip()
        i = 0
        n = len(name_s)
        while i < n and not name_s[i].isdigit():
            i += 1
        prefix, rest = name_s[:i], name_s[i:]
        key = prefix.lower().rstrip()
        if " " in prefix:  # "GigabitEthernet 0/1"
            key = key.replace(" ", "")
        out = full.get(key) or abbr.get(key)
        if out is None and len(key) >= 2:
            hits = [c for lc, c in full.items() if lc.startswith(key)]
            if len(hits) == 1:
                out = hits[0]
        result = (out + rest) if (out is not None and rest) else name_s
        if len(cache) > 20000:
            cache.clear()
        cache[name] = result
        return result

    normalize_interface.cache = cache   # the parse loop looks names up in it (see CiscoParser._class_tables)
    return normalize_interface


# type prefix -> kind; anything else is "other"
KIND_BY_TYPE = {}
for _k, _names in {
    "physical": ("Ethernet", "FastEthernet", "GigabitEthernet", "TenGigabitEthernet", "TwentyFiveGigE",
                 "FortyGigabitEthernet", "HundredGigE", "TwoGigabitEthernet", "FiveGigabitEthernet",
                 "TenGigE", "FortyGigE", "FiftyGigE", "FourHundredGigE", "TwoHundredGigE", "Serial", "POS",
                 "ATM", "Cellular", "UnconnectedEthernet", "GigE", "Wlan-GigabitEthernet"),
    "loopback": ("Loopback", "loopback"),
    "vlan": ("Vlan", "BVI", "BDI"),
    "aggregate": ("Port-channel", "Port-Channel", "Bundle-Ether", "Bundle-POS", "Multilink", "Recirc-Channel",
                  "port-channel"),
    "tunnel": ("Tunnel", "tunnel-te", "tunnel-ip", "tunnel-tp", "Vxlan", "nve"),
    "management": ("Management", "MgmtEth", "mgmt"),
}.items():
    for _n in _names:
        KIND_BY_TYPE[_n] = _k


def _split_type(name: str):
    i = 0
    n = len(name)
    while i < n and not name[i].isdigit():
        i += 1
    return name[:i], name[i:]


_KIND_CACHE: dict = {}


def interface_kind(name: str):
    """(kind, parent) for a normalized name."""
    got = _KIND_CACHE.get(name)
    if got is not None:
        return got
    base, dot, _sub = name.partition(".")
    if dot:
        got = ("subinterface", base)
    else:
        got = (KIND_BY_TYPE.get(_split_type(name)[0], "other"), "")
    if len(_KIND_CACHE) > 20000:
        _KIND_CACHE.clear()
    _KIND_CACHE[name] = got
    return got


# ---------------------------------------------------------------- records

def add_gateway(itf, address: str) -> bool:
    """Add a first-hop virtual IPv4 address to the interface's ``gateways`` (False: not an address)."""
    if not _is_v4(address):
        return False
    have = itf.get("gateways", "")
    if not have:
        itf["gateways"] = address
    elif address not in have.split():
        itf["gateways"] = have + " " + address
    return True


class Iface(dict):
    """An interface being read: its row of the interfaces table (the columns of _ROW_IF, which the handlers
    write) and its addresses, which finish() makes into rows: this dict itself for the first (or only) one."""
    __slots__ = ("primary", "secondaries", "extra", "line")


def _new_iface(name, line):
    itf = Iface(_ROW_IF)
    facts = _IFACE_FACTS.get(name)
    if facts is None:
        facts = _iface_facts(name)
    itf["interface"] = name
    itf["kind"], itf["parent"], itf["vlan"] = facts
    itf.primary = None        # (address dict, line number) or, read by the loop, (ip, length, line number)
    itf.secondaries = ()      # more of those, "secondary"
    itf.extra = ()            # IPv6 and EOS "ip address virtual": more addresses, none secondary
    itf.line = line
    return itf


_IFACE_FACTS: dict = {}   # name -> (kind, parent, vlan)
_ROW_IF = {"interface": "", "kind": "", "parent": "", "description": "", "admin_up": True, "address": "", "ip": "",
           "prefixlen": None, "subnet": "", "family": None, "secondary": None, "vrf": "", "unnumbered": "", "nat": "",
           "address_mode": "", "vlan": None, "location": ""}
_SLASH = list(f"/{i}" for i in range(33))
_LOCS = list(line_loc(i) for i in range(4096))   # "line N", made once


def _locations(n: int) -> list:
    """_LOCS, long enough to be indexed by n (grown for big configs)."""
    if n >= len(_LOCS):
        _LOCS.extend(line_loc(i) for i in range(len(_LOCS), n + 1024))
    return _LOCS


def _v4_subnet(ip: str, plen: int) -> str:
    """The network of a strict dotted quad under a prefix length, as make_address writes it."""
    if plen == 24:
        return ip[:ip.rindex(".")] + ".0/24"
    return _ntop(_AF_INET, (_from_bytes(_pton(_AF_INET, ip), "big") & _V4_NETMASK[plen]).to_bytes(4, "big")) + _SLASH[plen]

# the parse loop's bounds for "exactly i + 1 spaces, then a printable ASCII character other than '!'"
_PADS = list((" " * (i + 1) + '"', " " * (i + 1) + "\x7f") for i in range(16))
_NO_NOOP = (frozenset(), None, frozenset(), None)
_SEEN_MAX = 16384   # lines remembered per set
_EMPTY = frozenset()
_PURE_MAX = 2048    # pure chunks remembered per dialect (each at most 4 KB)


def _iface_facts(name):
    kind, parent = interface_kind(name)
    vlan = int(name[4:]) if kind == "vlan" and name[:4] == "Vlan" and name[4:].isdigit() else None
    if len(_IFACE_FACTS) > 20000:
        _IFACE_FACTS.clear()
    got = _IFACE_FACTS[name] = (kind, parent, vlan)
    return got


class Peer:
    """A BGP neighbor, peer-group, template or XR neighbor-group (same fields)."""
    __slots__ = ("vrf", "name", "asn", "remote_as", "description", "local_as", "group", "inherit",
                 "is_group", "declared", "line")

    def __init__(self, vrf, name, asn, line):
        self.vrf = vrf
        self.name = name
        self.asn = asn
        self.remote_as = None
        self.description = ""
        self.local_as = None
        self.group = ""
        self.inherit = ""
        self.is_group = False
        self.declared = False
        self.line = line


class Vrf:
    __slots__ = ("name", "rd", "imp", "exp", "description", "line")

    def __init__(self, name, line):
        self.name = name
        self.rd = ""
        self.imp = []
        self.exp = []
        self.description = ""
        self.line = line


# ---------------------------------------------------------------- known-line data shared by all three

# interface sub-commands that are known and deliberately not read
IF_IGNORE = frozenset("""
duplex speed negotiation media-type mtu bandwidth delay load-interval keepalive cdp lldp switchport
spanning-tree service-policy storm-control standby vrrp carrier-delay logging snmp mpls isis arp
mac-address tunnel pppoe ppp dialer crypto qos priority-queue mls power udld authentication dot1x mab
flowcontrol hold-queue clock framing cable dsl atm pvc frame-relay serial fair-queue random-detect
rate-limit traffic-shape bfd ospfv3 default glbp zone-member xconnect bridge-group service macsec mop
platform hardware macro device-tracking access-session trust auto wrr-queue rcv-queue queue-set
srr-queue source destination peer ethernet lacp port-channel small-frame transceiver pim nhrp
ntp cts dampening uc-tx-queue sampling ipx appletalk max-reserved-bandwidth no-autostate
autostate l2protocol-tunnel lldp-agent mdix ptp queue-monitor traffic-loopback link-debounce sflow
mlag vxlan errdisable shape flow medium physical-layer vlan-range channel-protocol cos custom-queue-list
priority-group tx-ring-limit translate umbrella evc host-reachability member pseudowire shape-average
label-switching hsrp fabric multipoint point-to-point negotiate fec error-correction dhcp counters
service-instance redundancy nat64 nameif security-level management-only monitor rewrite l2transport
bundle-member mac-accounting arp-timeout dot1q lacp-priority lacp-port-priority bundle-speed lfs
transport description-string vrrp-group poe ip-access-group soft-gre ethernet-services encapsulation-type
bgp-policy h323-gateway mka synchronous tx-queue priority-flow-control mld multicast mac l2 phy dcbx
msrp mvrp flow-spec igmp tcp mfib rip evpn l2-protocol ipv4 unicast-rpf isis-bfd pvlan-mapping
""".split())

# "ip X" inside an interface, known and not read
IF_IP_IGNORE = frozenset("""
access-group ospf helper-address redirects unreachables proxy-arp mtu tcp pim igmp directed-broadcast
route-cache flow policy verify dhcp mroute-cache nbar virtual-reassembly split-horizon summary-address
hello-interval hold-time authentication rip eigrp local-proxy-arp sticky-arp arp accounting wccp irdp
bgp multicast load-sharing information-reply mask-reply security admission inspect ips dns ddns nhrp
router sap rsvp cgmp portbundle urd traffic-export sdee mobile sla bandwidth-percent virtual-router
attachment icmp port access-list cef dvmrp lisp options subscriber flowspec msdp source-route
directed-broadcast-forwarding local policy-route dhcp-relay multicast-boundary mfib attached-routes
""".split())

# "ipv6 X" / "ipv4 X" inside an interface, other than address/unnumbered, are all known and not read
# (nd, enable, ospf, traffic-filter, access-group, mtu, ...)

# sub-commands of "router bgp" that are known and not read
BGP_IGNORE = frozenset("""
bgp network redistribute timers maximum-paths aggregate-address default-information distance
synchronization auto-summary no table-map default-metric distribute-list exit-address-family
exit-peer-session exit-peer-policy exit-vrf router-id maximum-routes graceful-restart graceful-restart-helper
ucmp update default bfd nsr mpls segment-routing import export label allocate-label vlan vlan-aware-bundle
ibgp dynamic-med additional-paths soft-reconfiguration address-family-identifier shutdown
monitoring bmp nexthop retain socket-buffer-size nexthop-trigger-delay ebgp-multihop log-neighbor-changes
maximum-accepted-routes auto-local-addr aigp rib-has-route slow-peer sso bgp-policy description
peer-filter keepalive dampening inter-as-hybrid confederation cluster-id default-route router-id
rpki interface mvpn host-routes route-target rd evpn vpn service snmp-server vrf-aware exit local-as dynamic ip ipv6 passive
""".split())

# attributes of "neighbor X ..." (IOS/EOS one-line form) that are known and not read
NEIGHBOR_IGNORE = frozenset("""
activate update-source send-community route-map next-hop-self route-reflector-client soft-reconfiguration
ebgp-multihop password timers maximum-prefix maximum-routes maximum-accepted-routes prefix-list
filter-list distribute-list default-originate allowas-in remove-private-as shutdown bfd fall-over
version weight advertisement-interval as-override send-label ttl-security disable-connected-check
fall-over capability dont-capability-negotiate enforce-first-as export-localpref additional-paths
advertise auto-local-addr local-v6-addr local-v4-addr next-hop-unchanged next-hop-peer graceful-restart
graceful-restart-helper idle-restart-timer unsuppress-map transport path-attribute advertise-map
ha-mode slow-peer aigp dmzlink-bw soo accept-route-legacy-rt translate-update cluster-id
remote-private-as route-to-peer out-delay peer-tag encapsulation rib-in metric-out link-bandwidth
missing-policy bfd-enable ebgp-multihop-ttl default-route maximum-paths local-preference
log-neighbor-changes passive remote-as-range route-target
""".split())

# sub-commands of an XR "neighbor X" / "neighbor-group G" block that are known and not read
XR_NEIGHBOR_IGNORE = frozenset("""
update-source password bfd timers ebgp-multihop shutdown address-family ttl-security graceful-restart
dmz-link-bandwidth local advertisement-interval keychain egress-engineering session-open-mode
tcp ignore-connected-check capability enforce-first-as log send-buffer-size receive-buffer-size
graceful-maintenance precedence dscp bmp-activate idle-watch-time cluster-id update suppress-4byte-as
""".split())

_DAYS = frozenset({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"})


def _quoted_tail(tokens, i):
    """Value starting at tokens[i], joining a double-quoted phrase; returns (value, next index)."""
    t = tokens[i]
    if t.startswith('"') and not (len(t) > 1 and t.endswith('"')):
        j = i + 1
        parts = [t]
        while j < len(tokens):
            parts.append(tokens[j])
            if tokens[j].endswith('"'):
                break
            j += 1
        return " ".join(parts).strip('"'), j + 1
    return t.strip('"'), i + 1


# ---------------------------------------------------------------- the engine

_TABLES: dict = {}   # parser class -> (top-level handlers, interface handlers), as functions of (parser, ...)


def forget() -> None:
    """Drop what is remembered across files: the pure chunks and the ignored lines met before
    (results never depend on it; a benchmark that wants a cold start, or a long-lived process,
    may call this).  The dispatch tables stay: they are the dialect's, not the text's."""
    for tables in _TABLES.values():
        for noop in tables[2].values():
            noop[2].clear()
        tables[5].clear()
        tables[5]["!"] = (1, 0, False)
        tables[6].clear()


def _unbound(table: dict) -> dict:
    out = {}
    for k, h in table.items():
        f = getattr(h, "__func__", None)
        if f is None or getattr(h, "__self__", None) is None:   # not a bound method: call it without the parser
            f = (lambda _f: lambda _self, *a: _f(*a))(h)
        out[k] = f
    return out

class CiscoParser:
    """One parse of one config; subclasses set the dialect tables."""

    NAME = ""
    VENDOR = "cisco"
    TOP_IGNORE: dict = {}          # first word -> None (all) or set of second words
    normalize = staticmethod(lambda s: s)
    BANNER_EOF = False             # EOS: "banner login" then text until "EOF"
    # Block handlers' known-and-ignored lines, as data the loop checks before calling the handler:
    # handler name -> (first words the handler returns IGNORED for, whatever follows and whatever the frame;
    #                  third words of "neighbor X ATTR" lines it returns IGNORED for, or None).
    # Each entry must say exactly what the handler would return: no state is changed for these lines.
    FRAME_NOOP: dict = {}
    # LLDP/CDP switched on or off device-wide: protocol -> regex of the whole statement (stripped), with
    # a group "off" taking part in the form that turns it off; read by t_discovery
    DISCOVERY: dict = {}

    def __init__(self):
        self.r = ParseResult(platform=self.NAME, vendor=self.VENDOR)
        self.r.device = {"hostname": "", "model": "", "os_version": "", "serial": "", "location": ""}
        self.stack = []            # (indent, handler, data, known-and-ignored words of the handler or None)
        self.ifaces: dict = {}
        self.vrfs: dict = {}
        self.peers: dict = {}      # (vrf, name) -> Peer
        self.templates: dict = {}  # name -> Peer (IOS peer-session templates, XR neighbor/session groups)
        self.bgp_asn = None
        self.banner_end = None
        self.last_line = 0
        # the dialect's dispatch tables, as plain functions called with the parser first: resolved once per
        # class (binding a dozen methods per parse costs more than a small config's whole parse)
        tables = _TABLES.get(type(self))
        if tables is None:
            tables = _TABLES[type(self)] = self._class_tables()
        self._tables = tables

    # The dispatch tables are the class's until someone asks for them: then the parser gets its own copies
    # (which may be changed) and the loop stops relying on what it knows of the class's.
    @property
    def top(self) -> dict:
        t = self.__dict__.get("_own_top")
        if t is None:
            t = self._own_top = self._tables[0].copy()
        return t

    @property
    def if_table(self) -> dict:
        t = self.__dict__.get("_own_if")
        if t is None:
            t = self._own_if = self._tables[1].copy()
        return t

    def _class_tables(self):
        """(top handlers, interface handlers, frame no-ops by handler function, fast address words)."""
        cls = type(self)
        top = _unbound(self.top_handlers())
        ift = _unbound(self.interface_handlers())
        noop = {}
        for name, (words, attrs) in cls.FRAME_NOOP.items():
            # then: lines found ignored in such a block, remembered across files; the last: the function the
            # handler hands its other "neighbor" lines to, called by the loop itself (CiscoParser.in_bgp's only)
            f = getattr(cls, name)
            noop[f] = (frozenset(words), None if attrs is None else frozenset(attrs), set(),
                       cls.bgp_neighbor if f is CiscoParser.in_bgp and attrs is not None else None)
        # interface sub-commands whose handler is CiscoParser.i_ip's "address" form (XR: i_ipv4's)
        addr = {}
        if cls.if_address is CiscoParser.if_address:
            for word, f in ift.items():
                col = getattr(f, "fast_address", None)
                if col:
                    addr[word] = (f, col)
        # first words of top-level statements that are ignored with their children whatever follows:
        # no handler and TOP_IGNORE[w] is None, or the t_ignore handler; "ip X" for t_ip's ignored Xs
        top_noop = frozenset([w for w, v in cls.TOP_IGNORE.items() if v is None and w not in top]
                             + [w for w, f in top.items() if f is CiscoParser.t_ignore])
        # first word -> second words for which its handler returns IGNORED, and nothing else ("ip X"), or
        # the second words for which it does something ("router bgp N", "snmp-server location L",
        # "ipv6 route ...", "no lldp run"; with a third word): a statement either way ignored with its children
        rules = {}
        if top.get("ip") is CiscoParser.t_ip and cls.IP_TOP_IGNORE is CiscoParser.IP_TOP_IGNORE:
            rules["ip"] = (True, _IP_TOP_NOOP)
        for word, f, unless in (("router", CiscoParser.t_router, {"bgp"}),
                                ("snmp-server", CiscoParser.t_snmp, {"location"}),
                                ("ipv6", CiscoParser.t_ipv6, {"route"}), ("no", CiscoParser.t_no, set(cls.DISCOVERY))):
            if top.get(word) is f:
                rules[word] = (False, frozenset(unless))
        ip_noop = rules
        # interface sub-commands known and ignored (no handler of their own)
        if_noop = frozenset(w for w in IF_IGNORE if w not in ift)
        inline_if = cls.in_interface is CiscoParser.in_interface
        # "interface NAME" read by the loop itself, when t_interface would do just that: the names normalized
        # before (the normalizer's memo); a name met for the first time goes to t_interface
        cache = getattr(cls.normalize, "cache", None)
        if_head = cache.get if (cache is not None and inline_if and top.get("interface") is CiscoParser.t_interface
                                and cls.t_interface is CiscoParser.t_interface
                                and cls.iface_name is CiscoParser.iface_name) else None
        fast = (cls.TOP_IGNORE.get, top_noop, ip_noop, if_noop, frozenset(addr),
                # interface sub-commands are dispatched in the loop, not by in_interface, unless overridden
                inline_if, if_head)
        # the last two: pure chunks seen (text -> line, blank counts), interface lines found ignored
        return top, ift, noop, addr, fast, {"!": (1, 0, False)}, set()

    # ---- tables (overridden per dialect)
    def top_handlers(self) -> dict:
        return {
            "hostname": self.t_hostname,
            "interface": self.t_interface,
            "banner": self.t_banner,
            "snmp-server": self.t_snmp,
            "ip": self.t_ip,
            "ipv6": self.t_ipv6,
            "router": self.t_router,
            "end": self.t_ignore,
            "no": self.t_no,
            "lldp": self.t_discovery,
            "cdp": self.t_discovery,
        }

    def interface_handlers(self) -> dict:
        return {
            "description": self.i_description,
            "ip": self.i_ip,
            "ipv6": self.i_ipv6,
            "vrf": self.i_vrf,
            "shutdown": self.i_shutdown,
            "no": self.i_no,
            "encapsulation": self.i_encapsulation,
            "channel-group": self.i_channel_group,
            "standby": self.i_standby,
            "vrrp": self.i_vrrp,
        }

    # ---- the loop
    def parse(self, text: str) -> ParseResult:
        if not isinstance(text, str):   # bytes from a file handed over undecoded: decode, never raise
            text = decode(bytes(text))[0] if isinstance(text, (bytes, bytearray)) else str(text or "")
        r = self.r
        if "\r" in text:
            text = text.replace("\r\n", "\n")   # a line's trailing CR is whitespace to every reader here
        # Every non-blank line is understood, ignored or unrecognized.  The loop counts the blank and the
        # understood ones and lists the unrecognized ones; the rest are the ignored ones.  So ignored lines
        # (most of a config: comments, the children of ignored statements) cost next to nothing.
        blank = 0
        stack = self.stack
        pop = stack.pop
        tables = self._tables
        own = self.__dict__
        top_ignore_get, top_noop, ip_noop, if_noop, addr_words, inline_if, if_head = tables[4]
        pure = tables[5]
        pure_get = pure.get     # (a bare "!" is in it from the start: one line, no state change)
        if_seen = tables[6]
        if "_own_top" in own:   # tables someone may have changed: the general paths only
            top_noop, ip_noop, if_head = _EMPTY, {}, None
            pure = {"!": (1, 0, False)}
            pure_get = pure.get
            top_get = own["_own_top"].get
        else:
            top_get = tables[0].get
        if "_own_if" in own:
            if_noop = addr_words = _EMPTY
            if_head = None
            if_seen = set()
            if_get = own["_own_if"].get
        else:
            if_get = tables[1].get
        if_ignore = IF_IGNORE
        pads = _PADS
        ifaces = self.ifaces
        in_interface = self.in_interface
        flo1, fhi1 = pads[0]
        v4_len_get, pton, AF_INET = _V4_LEN.get, _pton, _AF_INET
        comment = self.comment
        unrec = r.unrecognized
        add_unrec = unrec.append
        understood = 0
        skip_indent = -1
        skip_unrec = False
        # skip0: skipping the children of an ignored top-level statement (skip_indent == 0, not skip_unrec,
        # no banner running), the commonest state of all: a line's first character decides
        skip0 = False
        # fkind: 1 (2 for an interface read inline) when the lines indented by exactly one more space than the
        # innermost frame go to it without the general path: such a line is not skipped and pops no frame
        fkind = 0
        flo = fhi = fhandler = fdata = fnoop = fattr = fseen = fnb = None
        fi1 = 0
        U, I = UNDERSTOOD, IGNORED   # locals: this loop runs once per line
        banner_end = None
        # The text comes in chunks between bare "!" lines.  A chunk that opens with a top-level statement
        # ignored with its children and holds nothing else (route-maps, ACLs, line blocks...) means the
        # same whatever precedes it: fleets repeat such boilerplate, so it is remembered across files
        # (its line and blank counts) and skipped whole next time.
        n0 = -1         # the number of the line before the chunk (chunks after the first follow a "!" line)
        for chunk in text.split("\n!\n"):
            n0 += 1
            if banner_end is None:
                e = pure_get(chunk)
                if e is not None:
                    n0 += e[0]
                    blank += e[1]
                    if e[2]:            # opened by an ignored statement: whatever was open is closed
                        if stack:
                            stack.clear()
                        skip_indent, skip_unrec, skip0, fkind = 0, False, True, 0
                    continue
            else:                       # the "!" before this chunk is banner text
                self._banner_line("!")
                banner_end = self.banner_end
                if banner_end is None and skip_indent == 0 and not skip_unrec:
                    skip0 = True
            lines = chunk.split("\n")
            impure = False
            blank0 = blank
            for n, line in enumerate(lines, n0 + 1):
                # String comparisons, not slices, classify a line by its first characters: line < '"' is
                # '' or led by whitespace, a control character or '!'; '!' <= line < '"' is led by '!';
                # ' ' <= line < '!' is led by a space; flo <= line < fhi is fi1 spaces then a printable
                # ASCII character other than '!'.
                if line < '"':
                    if skip0:
                        if line >= "!":                     # a comment (at most a header fact: see comment())
                            if line != "!" and line != "! " and len(line) > 2:
                                impure = True
                                comment(line.split(), line)
                            continue
                        if line >= " ":                     # a child: ignored with its parent
                            if "!" in line:                 # an indented comment?
                                words = line.split()
                                if words[0][0] == "!" and len(words) > 1:
                                    impure = True
                                    comment(words, line)
                            elif line.isspace():
                                blank += 1
                            continue
                        if not line:
                            blank += 1
                            continue
                        if line[0] == "\t":
                            if "!" in line:
                                words = line.split()
                                if words[0][0] == "!" and len(words) > 1:
                                    impure = True
                                    comment(words, line)
                            elif line.isspace():
                                blank += 1
                            continue
                        skip0 = False       # led by a control character: the general path
                    elif fkind and flo <= line < fhi:
                        impure = True
                        if line in fseen:           # a line this block's handler ignores, met before
                            skip_indent, skip_unrec = fi1, False
                            continue
                        words = line.split()
                        first = words[0]
                        if fkind == 2:              # an interface sub-command, dispatched here
                            skip_indent = -1
                            if first in if_noop:    # known, ignored: its children too
                                skip_indent, skip_unrec = fi1, False
                                if len(fseen) < _SEEN_MAX:
                                    fseen.add(line)
                                continue
                            h = if_get(first)
                            if h is None:
                                if first in if_ignore:
                                    skip_indent, skip_unrec = fi1, False
                                else:
                                    add_unrec((n, redact(line)))
                                    skip_indent, skip_unrec = fi1, True
                                continue
                            if first in addr_words and len(words) > 2 and words[1] == "address":
                                # "ip address A MASK [secondary]" / "A/LEN [secondary]": if_address() without
                                # the calls, for a strict dotted quad and a known mask; else the long way
                                a = words[2]
                                if "/" in a:
                                    ip, _, plen = a.partition("/")
                                    k = 3
                                elif len(words) > 3 and words[3] != "secondary":
                                    ip, plen, k = a, words[3], 4
                                else:
                                    ip = None
                                if ip is not None:
                                    plen = v4_len_get(plen)
                                    if plen is not None:
                                        try:
                                            pton(AF_INET, ip)   # strict: 4 decimal octets, no leading zeros
                                        except (OSError, ValueError, TypeError):
                                            plen = None         # make_address decides (in if_address)
                                    if plen is not None:        # (ip, length, line): rows made in finish()
                                        if len(words) > k and words[k] == "secondary":
                                            fdata.secondaries += ((ip, plen, n),)
                                        else:
                                            fdata.primary = (ip, plen, n)
                                        understood += 1
                                        continue
                            try:
                                st = h(self, words, n, line, fdata)
                            except Exception as e:  # a surprise on one line never stops the parse
                                self.issue(n, first, "parse-error", f"could not parse line: {type(e).__name__}: {e}",
                                           redact(line), "")
                                st = UNRECOGNIZED
                            if st == U:
                                understood += 1
                            elif st == I:
                                skip_indent, skip_unrec = fi1, False
                            else:
                                add_unrec((n, redact(line)))
                                skip_indent, skip_unrec = fi1, True
                            continue
                        if first in fnoop or (fattr is not None and first == "neighbor" and len(words) > 2
                                              and words[2] in fattr):
                            skip_indent, skip_unrec = fi1, False     # known, ignored: its children too
                            if len(fseen) < _SEEN_MAX:
                                fseen.add(line)
                            continue
                        depth = len(stack)
                        try:
                            if fnb is not None and first == "neighbor":   # in_bgp would hand it to fnb: called directly
                                st = fnb(self, words, n, line, fdata)
                            else:
                                st = fhandler(words, n, line, fi1, fdata)
                        except Exception as e:  # a surprise on one line never stops the parse
                            self.issue(n, first, "parse-error", f"could not parse line: {type(e).__name__}: {e}",
                                       redact(line), "")
                            st = UNRECOGNIZED
                        if st == U:
                            understood += 1
                            skip_indent = -1
                        elif st == I:
                            skip_indent, skip_unrec = fi1, False
                        else:
                            add_unrec((n, redact(line)))
                            skip_indent, skip_unrec = fi1, True
                        if len(stack) != depth:     # the handler opened a block: its lines are the fast ones now
                            fkind = 0
                            fr = stack[-1]
                            fi = fr[0]
                            if (skip_indent < 0 or skip_indent > fi) and fi < 16:
                                flo, fhi = pads[fi]
                                fi1, fhandler, fdata = fi + 1, fr[1], fr[2]
                                fnoop, fattr, fseen, fnb = fr[3] or _NO_NOOP
                                fkind = 2 if (inline_if and fdata.__class__ is Iface) else 1
                                if fkind == 2:
                                    fseen = if_seen
                        continue
                    elif line >= "!":
                        if banner_end is None:          # a comment, the commonest line of all (see comment())
                            if line != "!" and line != "! " and len(line) > 2:
                                impure = True
                                comment(line.split(), line)
                            continue
                elif skip0:
                    skip0 = False           # a statement: the skipped block is over
                if banner_end is not None:      # banner text: ignored until its delimiter
                    impure = True
                    if line and not line.isspace():
                        self._banner_line(line)
                        banner_end = self.banner_end
                        if banner_end is None and skip_indent == 0 and not skip_unrec:
                            skip0 = True
                    else:
                        blank += 1
                    continue
                if line >= '"':
                    # a statement at indent 0 (or led by an unusual whitespace character: indent 0 too)
                    w = line.split(None, 2)
                    if not w:
                        blank += 1
                        if skip_indent == 0 and not skip_unrec:
                            skip0 = True
                        continue
                    first = w[0]
                    if first == "interface" and if_head is not None and len(w) == 2:
                        name = if_head(w[1])
                        if name is not None:    # t_interface(), and the interface frame made the fast one
                            impure = True
                            itf = ifaces.get(name)
                            if itf is None:
                                itf = ifaces[name] = _new_iface(name, n)
                            if stack:
                                stack.clear()
                            stack.append((0, in_interface, itf, None))
                            understood += 1
                            skip_indent, fkind, fi1, flo, fhi, fhandler, fdata = -1, 2, 1, flo1, fhi1, in_interface, itf
                            fnoop, fattr, fseen, fnb = _EMPTY, None, if_seen, None
                            continue
                    if first in top_noop:       # ignored, with its children, whatever the state was
                        if stack:
                            stack.clear()
                        skip_indent, skip_unrec, skip0, fkind = 0, False, True, 0
                        continue
                    rule = ip_noop.get(first)
                    if rule is not None and (
                            (len(w) > 1 and w[1] in rule[1]) if rule[0] else not (len(w) > 2 and w[1] in rule[1])):
                        if stack:
                            stack.clear()
                        skip_indent, skip_unrec, skip0, fkind = 0, False, True, 0
                        continue
                    if first[0] == "!":
                        impure = True
                        words = line.split()
                        if len(words) > 1:
                            comment(words, line)
                        if skip_indent == 0 and not skip_unrec:
                            skip0 = True
                        continue
                    impure = True
                    if stack:
                        stack.clear()
                    fkind = 0
                    skip_indent = -1
                    indent = 0
                    words = w if len(w) < 3 else line.split()
                    try:
                        h = top_get(first)
                        if h is not None:
                            st = h(self, words, n, line, 0)
                        else:
                            ig = top_ignore_get(first, 0)
                            if ig is None or (ig and len(words) > 1 and words[1] in ig):
                                st = I
                            else:
                                st = self.top_other(words, n, line, 0)
                        if first == "banner":
                            banner_end = self.banner_end
                    except Exception as e:  # a surprise on one line never stops the parse
                        self.issue(n, first, "parse-error", f"could not parse line: {type(e).__name__}: {e}",
                                   redact(line), "")
                        st = UNRECOGNIZED
                else:
                    # indented (not a fast frame's child), blank, or led by a control character
                    impure = True
                    words = line.split()
                    if not words:
                        blank += 1
                        if skip_indent == 0 and not skip_unrec:
                            skip0 = True
                        continue
                    first = words[0]
                    if first[0] == "!":
                        if len(words) > 1:
                            comment(words, line)
                        if skip_indent == 0 and not skip_unrec:
                            skip0 = True
                        continue
                    c0 = line[0]
                    if c0 == " " or c0 == "\t":
                        indent = len(line) - len(line.lstrip())
                        if skip_indent >= 0:
                            if indent > skip_indent:
                                if skip_unrec:
                                    add_unrec((n, redact(line)))
                                continue
                            skip_indent = -1
                        while stack and stack[-1][0] >= indent:
                            pop()
                    else:
                        indent = 0
                        skip_indent = -1
                        if stack:
                            stack.clear()
                    try:
                        if stack:
                            fr = stack[-1]
                            nf = fr[3]
                            if nf is not None and (first in nf[0] or (
                                    nf[1] is not None and first == "neighbor" and len(words) > 2 and words[2] in nf[1])):
                                st = I
                            else:
                                data = fr[2]
                                if inline_if and data.__class__ is Iface:
                                    h = if_get(first)
                                    if h is not None:
                                        st = h(self, words, n, line, data)
                                    elif first in if_ignore:
                                        st = I
                                    else:
                                        st = UNRECOGNIZED
                                else:
                                    st = fr[1](words, n, line, indent, data)
                        else:
                            h = top_get(first)
                            if h is not None:
                                st = h(self, words, n, line, indent)
                            else:
                                ig = top_ignore_get(first, 0)
                                if ig is None or (ig and len(words) > 1 and words[1] in ig):
                                    st = I
                                else:
                                    st = self.top_other(words, n, line, indent)
                        if first == "banner":
                            banner_end = self.banner_end
                    except Exception as e:  # a surprise on one line never stops the parse
                        self.issue(n, first, "parse-error", f"could not parse line: {type(e).__name__}: {e}",
                                   redact(line), "")
                        st = UNRECOGNIZED
                if st == U:
                    understood += 1
                elif st == I:
                    skip_indent, skip_unrec = indent, False
                    if indent == 0 and banner_end is None:
                        skip0 = True
                else:
                    add_unrec((n, redact(line)))
                    skip_indent, skip_unrec = indent, True
                fkind = 0
                if stack and banner_end is None:
                    fr = stack[-1]
                    fi = fr[0]
                    if (skip_indent < 0 or skip_indent > fi) and fi < 16:
                        flo, fhi = pads[fi]
                        fi1, fhandler, fdata = fi + 1, fr[1], fr[2]
                        fnoop, fattr, fseen, fnb = fr[3] or _NO_NOOP
                        fkind = 2 if (inline_if and fdata.__class__ is Iface) else 1
                        if fkind == 2:
                            fseen = if_seen
            n0 += len(lines)
            if not impure and len(chunk) <= 4096:
                # pure if what comes first, after bare "!" lines, is a statement ignored with its children
                k = 0
                while k < len(lines) and (lines[k] == "!" or lines[k] == "! "):
                    k += 1
                w = lines[k].split(None, 2) if k < len(lines) and lines[k] >= '"' else None
                if w and w[0][0] != "!":
                    first = w[0]
                    rule = ip_noop.get(first)
                    if first in top_noop or (rule is not None and (
                            (len(w) > 1 and w[1] in rule[1]) if rule[0] else not (len(w) > 2 and w[1] in rule[1]))):
                        if len(pure) >= _PURE_MAX:
                            pure.clear()
                            pure["!"] = (1, 0, False)
                        pure[chunk] = (len(lines), blank - blank0, True)
        nonblank = n0 - blank
        r.lines, r.understood, r.ignored = nonblank, understood, nonblank - understood - len(unrec)
        self.last_line = n0
        stack.clear()   # its frames hold bound methods: a parser -> stack -> method -> parser cycle for the GC
        try:
            self.finish()
        except Exception as e:  # pragma: no cover - defensive
            self.issue(0, "", "parse-error", f"could not build rows: {type(e).__name__}: {e}", "", "")
        return r

    # ---- helpers
    def issue(self, n, column, code, message, value, expected, severity="error"):
        self.r.issues.append({"location": line_loc(n) if n else "", "column": column, "severity": severity,
                              "code": code, "message": message, "value": value, "expected": expected})

    def bad_address(self, n, column, value, err):
        self.issue(n, column, "bad-address", f"line {n}: {column} {value!r} is not a valid address: {err}",
                   value, "IPv4 address with a contiguous mask or prefix length (10.1.1.1 255.255.255.0, "
                          "10.1.1.1/24), or IPv6 address/length")

    def push(self, indent, handler, data=None):
        f = getattr(handler, "__func__", None)
        self.stack.append((indent, handler, data, self._tables[2].get(f) if f is not None else None))

    def comment(self, words, line):
        """Comment lines carrying facts: RANCID headers, EOS/XR banners.  Total: any comment, however
        mangled, is read or passed over without raising (the parse loop calls it unguarded; the
        mutation fuzz in tests/platforms/test_cisco_corpus.py feeds it truncated and garbled ones)."""
        if len(words) < 2:
            return
        w0 = words[0]
        d = self.r.device
        if w0 == "!Chassis" and len(words) > 2 and words[1] == "type:" and not d["model"]:
            d["model"] = words[2]
        elif w0 == "!" and words[1] == "device:" and len(words) > 3:   # EOS: "! device: h (vEOS, EOS-4.21.1.1F)"
            inner = line.partition("(")[2].partition(")")[0]
            parts = [p.strip() for p in inner.split(",")]
            if parts and parts[0] and not d["model"]:
                d["model"] = parts[0]
            if len(parts) > 1 and parts[1].startswith("EOS-") and not d["os_version"]:
                d["os_version"] = parts[1][4:]
        elif w0 == "!!" and len(words) > 4 and words[1] == "IOS" and words[2] == "XR" and not d["os_version"]:
            d["os_version"] = words[4]
        elif w0 == "!Processor" and len(words) > 2 and words[1] == "ID:" and not d["serial"]:   # RANCID: board ID
            d["serial"] = words[2]
        elif w0 == "!Image:" and not d["os_version"]:   # RANCID XR: "!Image: xrv9k-xr-6.0.1 version=6.0.1 [Boot image]"
            for w in words:
                if w.startswith("version="):
                    d["os_version"] = w[8:]

    def top_other(self, words, n, line, indent):
        return UNRECOGNIZED

    def t_ignore(self, words, n, line, indent):
        return IGNORED

    # ---- device
    def t_no(self, words, n, line, indent):
        if len(words) > 2 and words[1] in self.DISCOVERY:   # "no lldp run", "no cdp run"
            return self.t_discovery(words, n, line, indent)
        return IGNORED

    def t_discovery(self, words, n, line, indent):
        """A discovery protocol switched on or off device-wide ("lldp run", "no cdp run", XR "cdp" and
        the "lldp" block, as the dialect's DISCOVERY says); other lldp / cdp settings are not read."""
        s = line.strip()
        for protocol, pattern in self.DISCOVERY.items():
            m = pattern.fullmatch(s)
            if m is not None:
                self.r.device[protocol] = m.group("off") is None
                self.push(indent, self.in_ignored)   # an XR "lldp" block's settings: not read
                return UNDERSTOOD
        return IGNORED

    def in_ignored(self, words, n, line, indent, data):
        return IGNORED

    def t_hostname(self, words, n, line, indent):
        if len(words) < 2:
            return UNRECOGNIZED
        self.r.device["hostname"] = words[1].strip('"')
        return UNDERSTOOD

    def t_version(self, words, n, line, indent):
        if len(words) < 2:
            return UNRECOGNIZED
        self.r.device["os_version"] = words[1]
        return UNDERSTOOD

    def t_snmp(self, words, n, line, indent):
        if len(words) > 2 and words[1] == "location":
            self.r.device["location"] = line.strip().split(None, 2)[2]
            return UNDERSTOOD
        return IGNORED

    def t_license(self, words, n, line, indent):
        # "license udi pid CSR1000V sn 9SAGBHTUEE9"
        if len(words) > 3 and words[1] == "udi" and words[2] == "pid":
            d = self.r.device
            if not d["model"]:
                d["model"] = words[3]
            if len(words) > 5 and words[4] == "sn" and not d["serial"]:
                d["serial"] = words[5]
            return UNDERSTOOD
        return IGNORED

    # ---- banners
    def t_banner(self, words, n, line, indent):
        rest = line.strip().split(None, 2)
        if len(rest) < 3:
            if self.BANNER_EOF or len(words) == 2:
                self.banner_end = "EOF"
            return IGNORED
        body = rest[2]
        delim = "^C" if body.startswith("^C") else body[0]
        if delim not in body[len(delim):]:
            self.banner_end = delim
        return IGNORED

    def _banner_line(self, line):
        if self.banner_end == "EOF":
            if line.strip() == "EOF":
                self.banner_end = None
        elif self.banner_end in line:
            self.banner_end = None

    # ---- interfaces
    def iface_name(self, words):
        if len(words) < 2:
            return None
        name = words[1]
        if len(words) > 2 and words[2][:1].isdigit() and name[-1:].isalpha():   # "FastEthernet 0/0"
            name += words[2]
        return self.normalize(name)

    def t_interface(self, words, n, line, indent):
        name = self.iface_name(words)
        if not name:
            return UNRECOGNIZED
        itf = self.ifaces.get(name)
        if itf is None:
            itf = self.ifaces[name] = _new_iface(name, n)
        self.stack.append((indent, self.in_interface, itf, None))   # self.push(), minus its look-up
        return UNDERSTOOD

    def in_interface(self, words, n, line, indent, itf):
        h = self.if_table.get(words[0])
        if h is not None:
            return h(self, words, n, line, itf)
        if words[0] in IF_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def i_description(self, words, n, line, itf):
        parts = line.strip().split(None, 1)
        itf["description"] = parts[1] if len(parts) > 1 else ""
        return UNDERSTOOD

    def i_shutdown(self, words, n, line, itf):
        itf["admin_up"] = False
        return UNDERSTOOD

    def i_no(self, words, n, line, itf):
        if len(words) < 2:
            return UNRECOGNIZED
        w1 = words[1]
        if w1 == "shutdown":
            itf["admin_up"] = True
            return UNDERSTOOD
        if (w1 == "ip" or w1 == "ipv4") and len(words) > 2 and words[2] == "address":
            return UNDERSTOOD
        if w1 in self.if_table or w1 in IF_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def i_vrf(self, words, n, line, itf):
        # "vrf forwarding V" (IOS-XE, old EOS), "vrf member V" (NX-OS style), "vrf V" (XR, new EOS)
        if len(words) > 2 and words[1] in ("forwarding", "member"):
            itf["vrf"] = words[2]
        elif len(words) == 2:
            itf["vrf"] = words[1]
        else:
            return UNRECOGNIZED
        return UNDERSTOOD

    def i_ip(self, words, n, line, itf):
        if len(words) < 2:
            return UNRECOGNIZED
        w1 = words[1]
        if w1 == "address":
            return self.if_address(words, n, itf, "ip address")
        if w1 == "vrf" and len(words) > 3 and words[2] == "forwarding":
            itf["vrf"] = words[3]
            return UNDERSTOOD
        if w1 == "unnumbered" and len(words) > 2:
            itf["unnumbered"] = self.normalize(words[2])
            return UNDERSTOOD
        if w1 == "nat" and len(words) > 2:
            return self.if_nat(words, n, itf)
        if w1 == "virtual-router" and len(words) > 3 and words[2] == "address":   # EOS VARP
            return UNDERSTOOD if add_gateway(itf, words[3].partition("/")[0]) else UNRECOGNIZED
        if w1 in IF_IP_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def if_nat(self, words, n, itf):
        if words[2] in ("inside", "outside") and len(words) == 3:
            itf["nat"] = words[2]
            return UNDERSTOOD
        return IGNORED

    def if_address(self, words, n, itf, column):
        """ip/ipv4 address A MASK [secondary] | A/LEN [secondary] | dhcp | negotiated | pool."""
        if len(words) < 3:
            return UNRECOGNIZED
        a = words[2]
        virtual = a == "virtual" and len(words) > 3   # EOS anycast gateway: the SVI's address in a fabric
        if virtual:
            words = words[1:]
            a = words[2]
        if a == "unnumbered" and len(words) > 3:   # EOS "ip address unnumbered Loopback0"
            itf["unnumbered"] = self.normalize(words[3])
            return UNDERSTOOD
        if a in ("dhcp", "negotiated", "pool", "unnumbered", "virtual"):
            # a DHCP client / PPP-negotiated address: broadband evidence for the exit check
            if a == "dhcp":
                itf["address_mode"] = "dhcp"
            elif a == "negotiated":
                itf["address_mode"] = "ppp"
            return UNDERSTOOD
        rest = words[3:]
        if "/" in a:
            ip, _, plen = a.partition("/")
            value = a
        elif rest and rest[0] != "secondary":
            ip, plen = a, rest[0]
            rest = rest[1:]
            value = f"{a} {plen}"
        else:
            self.bad_address(n, column, a, "no mask or prefix length")
            return UNDERSTOOD
        try:
            addr = _address(ip, plen)
        except ValueError as e:
            self.bad_address(n, column, value, e)
            return UNDERSTOOD
        if addr["family"] != 4:
            self.bad_address(n, column, value, "IPv6 address on an IPv4 statement")
            return UNDERSTOOD
        if rest and rest[0] == "secondary":
            itf.secondaries += ((addr, n),)
        elif virtual:
            itf.extra += ((addr, n),)
            add_gateway(itf, addr["ip"])
        else:
            itf.primary = (addr, n)   # a later primary replaces the earlier one, as on the device
        return UNDERSTOOD

    def i_ipv6(self, words, n, line, itf):
        if len(words) > 2 and words[1] == "address":
            a = words[2]
            if "/" not in a:
                # autoconfig, dhcp, "FE80::1 link-local", general-prefix names: no routable prefix to record
                return UNDERSTOOD
            if len(words) > 3 and words[3] in ("link-local",):
                return UNDERSTOOD
            ip, _, plen = a.partition("/")
            if ":" not in ip:
                self.bad_address(n, "ipv6 address", a, "not an IPv6 address")
                return UNDERSTOOD
            try:
                addr = make_address(ip, plen)
            except ValueError as e:
                self.bad_address(n, "ipv6 address", a, e)
                return UNDERSTOOD
            itf.extra += ((addr, n),)
            return UNDERSTOOD
        return IGNORED

    def i_standby(self, words, n, line, itf):
        """HSRP: ``standby [N] ip VIP [secondary]``; other standby settings are not read."""
        i = 2 if len(words) > 1 and words[1].isdigit() else 1
        if len(words) > i + 1 and words[i] == "ip":
            return UNDERSTOOD if add_gateway(itf, words[i + 1]) else UNRECOGNIZED
        return IGNORED

    def i_vrrp(self, words, n, line, itf):
        """VRRP: IOS ``vrrp N ip VIP``, EOS ``vrrp N ipv4 VIP``; other vrrp settings are not read."""
        if len(words) > 3 and words[1].isdigit() and words[2] in ("ip", "ipv4"):
            return UNDERSTOOD if add_gateway(itf, words[3]) else UNRECOGNIZED
        return IGNORED

    def i_encapsulation(self, words, n, line, itf):
        # IOS "encapsulation dot1Q 100 [native|second-dot1q N]", XR "encapsulation dot1q 100",
        # EOS "encapsulation dot1q vlan 100"
        if len(words) > 2 and words[1].lower() in ("dot1q", "dot1ad"):
            v = words[3] if (words[2] == "vlan" and len(words) > 3) else words[2]
            v = v.split(",")[0].split("-")[0]
            if v.isdigit():
                itf["vlan"] = int(v)
                return UNDERSTOOD
            return IGNORED
        return IGNORED   # ppp, hdlc, frame-relay, untagged, default...

    def i_channel_group(self, words, n, line, itf):
        if len(words) > 1 and words[1].isdigit():
            itf["parent"] = self.normalize("Port-channel" + words[1])
            return UNDERSTOOD
        return IGNORED

    # ---- ip / ipv6 top-level
    IP_TOP_IGNORE = frozenset("""
    domain domain-name domain-lookup cef ssh http forward-protocol name-server prefix-list community-list
    as-path access-list bgp-community tcp ftp tftp scp dhcp host sla flow-export flow-cache multicast-routing
    routing icmp source-route classless subnet-zero finger bootp rcmd options explicit-path extcommunity-list
    igmp pim radius tacacs arp wccp local ips inspect audit auth-proxy admission device rsvp default-gateway
    default-network multicast hardware virtual-router load-sharing telnet dns name http-client
    flow-top-talkers flow ospf accounting-threshold accounting-list sla-responder gratuitous-arps
    mroute rip fast-switching security nbar igmp-snooping port-map urpf reflexive-list ddns trigger-authentication
    dhcp-client verify unnumbered-ptp-ppp mfib client track vrf-sitemap msdp policy
    software source-interface traffic-export ssh-server service
    """.split())

    def t_ip(self, words, n, line, indent):
        if len(words) < 2:
            return UNRECOGNIZED
        w1 = words[1]
        if w1 == "route":
            return self.ip_route(words, n, 2, "")
        if w1 == "vrf" and len(words) > 2:
            return self.vrf_start(words[2], n, indent)
        if w1 == "nat":
            return self.ip_nat(words, n)
        if w1 in self.IP_TOP_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def t_ipv6(self, words, n, line, indent):
        if len(words) > 2 and words[1] == "route":
            return self.ip_route(words, n, 2, "")
        return IGNORED   # unicast-routing, cef, prefix-list, access-list, nd, dhcp...

    # ---- static routes
    def ip_route(self, words, n, i, vrf):
        """[vrf V] PREFIX (MASK | /LEN) [IF] [NH] [DIST] [name X | tag N | track N | permanent ...]."""
        nw = len(words)
        if i < nw and words[i] == "vrf" and i + 1 < nw:
            vrf = words[i + 1]
            i += 2
        if i >= nw:
            return UNRECOGNIZED
        p = words[i]
        if "/" in p:
            ip, _, plen = p.partition("/")
            i += 1
        elif i + 1 < nw and (_looks_v4(words[i + 1]) or words[i + 1].isdigit()) and _looks_v4(p):
            ip, plen = p, words[i + 1]
            i += 2
        elif p[:1].isdigit():
            self.bad_address(n, "ip route", p, "no mask or prefix length")
            return UNDERSTOOD
        else:
            return IGNORED   # "ip route static bfd ...", "ip route profile", "ipv6 route static resolve..."
        try:
            dest = make_address(ip, plen)
        except ValueError as e:
            self.bad_address(n, "ip route", p if "/" in p else f"{ip} {plen}", e)
            return UNDERSTOOD
        nh, ifname, dist, desc = self.route_tail(words, i, n)
        self.r.routes.append({"vrf": vrf, "prefix": dest["subnet"], "next_hop": nh, "interface": ifname,
                              "distance": dist, "description": desc, "location": line_loc(n)})
        return UNDERSTOOD

    ROUTE_SKIP1 = frozenset({"tag", "track", "metric", "vrf", "permanent", "global", "multicast", "dhcp",
                             "bfd", "tunnel"})

    def route_tail(self, words, i, n):
        nh = ifname = desc = ""
        dist = None
        nw = len(words)
        while i < nw:
            t = words[i]
            if t == "name" or t == "description":
                if i + 1 < nw:
                    desc, i = _quoted_tail(words, i + 1)
                    continue
                i += 1
                continue
            if t in ("tag", "track", "metric", "vrf", "label"):
                i += 2
                continue
            if t in ("permanent", "global", "multicast", "dhcp", "unicast", "reachable"):
                i += 1
                continue
            if t == "bfd":
                break
            if not nh and _looks_ip(t):
                nh = t
            elif t.isdigit():
                if dist is None:
                    dist = int(t)
            elif not ifname and not nh and t[:1].isalpha():
                ifname = self.normalize(t)
            i += 1
        return nh, ifname, dist, desc

    # ---- NAT (IOS syntax)
    def ip_nat(self, words, n):
        nw = len(words)
        if nw > 3 and words[3] == "destination":   # TCP load distribution: known, not read
            return IGNORED
        if nw < 5 or words[2] not in ("inside", "outside") or words[3] != "source":
            return IGNORED if nw > 2 and words[2] in ("pool", "translation", "log", "service", "settings",
                                                       "create", "stateful", "sip-sbc", "portmap",
                                                       "name", "switchover", "piggyback-support",
                                                       "host", "limit", "forwarding") else UNRECOGNIZED
        side = words[2]
        kind = words[4]
        if kind in ("list", "route-map"):
            if side == "outside":
                return IGNORED
            if nw < 8:
                return UNRECOGNIZED
            inside = words[5]
            how = words[6]
            target = words[7]
            iface = ""
            if how == "interface":
                target = iface = self.normalize(target)
            elif how != "pool":
                return UNRECOGNIZED
            vrf = self._after(words, "vrf", 8)
            self.r.nat.append({"kind": "inside_source", "interface": iface, "inside": inside, "outside": target,
                               "protocol": "", "inside_port": "", "outside_port": "", "vrf": vrf,
                               "location": line_loc(n)})
            return UNDERSTOOD
        if kind == "static":
            return self.nat_static(words, n, 5, side)
        return UNRECOGNIZED

    @staticmethod
    def _after(words, key, start):
        for j in range(start, len(words) - 1):
            if words[j] == key:
                return words[j + 1]
        return ""

    def nat_static(self, words, n, i, side):
        nw = len(words)
        proto = ""
        if i < nw and words[i] in ("tcp", "udp"):
            proto = words[i]
            i += 1
        network = i < nw and words[i] == "network"
        if network:
            i += 1
        if i >= nw:
            return UNRECOGNIZED
        a = words[i]
        i += 1
        a_port = b_port = ""
        iface = ""
        if proto and i < nw and words[i].isdigit():
            a_port = words[i]
            i += 1
        if i >= nw:
            return UNRECOGNIZED
        if words[i] == "interface" and i + 1 < nw:
            b = iface = self.normalize(words[i + 1])
            i += 2
        else:
            b = words[i]
            i += 1
        if proto and i < nw and words[i].isdigit():
            b_port = words[i]
            i += 1
        for v in (a, b if not iface else a):
            if not _is_v4(v):
                self.bad_address(n, "ip nat", v, "not an IPv4 address")
                return UNDERSTOOD
        if network and i < nw:
            m = words[i].lstrip("/")
            try:
                a = make_address(a, m)["subnet"]
                if not iface:
                    b = make_address(b, m)["subnet"]
            except ValueError as e:
                self.bad_address(n, "ip nat", words[i], e)
                return UNDERSTOOD
            i += 1
        vrf = self._after(words, "vrf", i)
        if side == "outside":   # outside source static GLOBAL LOCAL: the local one is seen inside
            a, b, a_port, b_port = b, a, b_port, a_port
        self.r.nat.append({"kind": "static", "interface": iface, "inside": a, "outside": b, "protocol": proto,
                           "inside_port": a_port, "outside_port": b_port, "vrf": vrf, "location": line_loc(n)})
        return UNDERSTOOD

    # ---- VRFs (IOS "ip vrf" / "vrf definition"; EOS "vrf instance"; XR overrides)
    def vrf_start(self, name, n, indent):
        v = self.vrfs.get(name)
        if v is None:
            v = self.vrfs[name] = Vrf(name, n)
        self.push(indent, self.in_vrf, v)
        return UNDERSTOOD

    VRF_IGNORE = frozenset("""
    import export maximum vpn exit-address-family mdt bgp snmp context vnet ipv4 ipv6 protection
    route-replicate multicast ip
    """.split())

    def in_vrf(self, words, n, line, indent, v):
        w0 = words[0]
        if w0 == "rd" and len(words) > 1:
            v.rd = words[1]
            return UNDERSTOOD
        if w0 == "route-target":
            return self.vrf_rt(words, v)
        if w0 == "description":
            parts = line.strip().split(None, 1)
            v.description = parts[1] if len(parts) > 1 else ""
            return UNDERSTOOD
        if w0 == "address-family":
            return UNDERSTOOD   # RTs below it are read by this same frame
        if w0 in self.VRF_IGNORE or w0 == "no":
            return IGNORED
        return UNRECOGNIZED

    def vrf_rt(self, words, v):
        """route-target [import|export|both] [evpn|vpn-ipv4|...] RT."""
        if len(words) < 2:
            return UNRECOGNIZED
        d = words[1]
        vals = words[2:]
        if d not in ("import", "export", "both"):
            d, vals = "both", words[1:]
        vals = [x for x in vals if ":" in x]
        if not vals:
            return IGNORED   # "route-target import evpn" without a value, "stitching" forms
        rt = vals[0]
        if d in ("import", "both") and rt not in v.imp:
            v.imp.append(rt)
        if d in ("export", "both") and rt not in v.exp:
            v.exp.append(rt)
        return UNDERSTOOD

    # ---- routers
    def t_router(self, words, n, line, indent):
        if len(words) > 2 and words[1] == "bgp":
            asn = parse_asn(words[2])
            if asn is None:
                self.issue(n, "router bgp", "bad-asn", f"line {n}: {words[2]!r} is not an AS number",
                           words[2], "AS number: 1-4294967295 or asdot 1.10")
            self.bgp_asn = asn
            self.push(indent, self.in_bgp, "")
            return UNDERSTOOD
        return IGNORED   # ospf, eigrp, isis, rip, lisp, ...

    def peer(self, vrf, name, n):
        key = (vrf, name)
        p = self.peers.get(key)
        if p is None:
            p = self.peers[key] = Peer(vrf, name, self.bgp_asn, n)
        return p

    def declare(self, vrf, name, n):
        """The peer a remote-as / peer-group / inherit statement declares; its row points at that line."""
        p = self.peer(vrf, name, n)
        if not p.declared:
            p.declared = True
            p.line = n
        return p

    def undeclare(self, words, vrf):
        """``no neighbor X`` removes the peer (EOS and IOS both print it after a deletion)."""
        if len(words) == 3 and words[1] == "neighbor":
            self.peers.pop((vrf, words[2]), None)
            return UNDERSTOOD
        return IGNORED

    def in_bgp(self, words, n, line, indent, vrf):
        w0 = words[0]
        if w0 == "neighbor":
            if len(words) > 2 and words[2] in NEIGHBOR_IGNORE:   # most neighbor lines: known, not read
                return IGNORED
            return self.bgp_neighbor(words, n, line, vrf)
        if w0 == "no":
            return self.undeclare(words, vrf)
        if w0 == "address-family":
            # IOS: "address-family ipv4 vrf V" holds that VRF's neighbors
            if len(words) > 3 and words[-2] == "vrf":
                self.push(indent, self.in_bgp, words[-1])
                return UNDERSTOOD
            self.push(indent, self.in_bgp, vrf)
            return UNDERSTOOD
        if w0 == "template" and len(words) > 2:
            t = self.templates.get(words[2])
            if t is None:
                t = self.templates[words[2]] = Peer("", words[2], self.bgp_asn, n)
                t.is_group = True
            self.push(indent, self.in_template, t)
            return UNDERSTOOD
        if w0 in BGP_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def in_template(self, words, n, line, indent, t):
        w0 = words[0]
        if w0 == "remote-as" and len(words) > 1:
            t.remote_as = parse_asn(words[1])
            return UNDERSTOOD
        if w0 == "description":
            t.description = line.strip().split(None, 1)[1] if len(words) > 1 else ""
            return UNDERSTOOD
        if w0 == "local-as" and len(words) > 1:
            t.local_as = parse_asn(words[1])
            return UNDERSTOOD
        if w0 == "inherit" and len(words) > 2:
            t.inherit = words[2]
            return UNDERSTOOD
        return IGNORED

    def bgp_neighbor(self, words, n, line, vrf):
        """neighbor X remote-as N | peer-group [G] | peer group [G] | description T | local-as N | inherit ..."""
        nw = len(words)
        if nw < 3:
            return UNRECOGNIZED
        name = words[1]
        a = words[2]
        if a == "peer" and nw > 3 and words[3] == "group":   # EOS >= 4.23 "peer group"
            a = "peer-group"
            words = words[:2] + ["peer-group"] + words[4:]
            nw = len(words)
        if a == "remote-as" or a == "peer-group":     # the commonest: self.peer() / self.declare() inline
            if a == "remote-as" and nw < 4:
                return UNRECOGNIZED
            key = (vrf, name)
            p = self.peers.get(key)
            if p is None:
                p = self.peers[key] = Peer(vrf, name, self.bgp_asn, n)
            if a == "peer-group" and nw == 3:
                p.is_group = True
                return UNDERSTOOD
            if not p.declared:
                p.declared = True
                p.line = n
            t = words[3]
            if a == "peer-group":
                p.group = t
                return UNDERSTOOD
            p.remote_as = ras = int(t) if (t.isdigit() and len(t) < 10) else parse_asn(t)
            if ras is None:
                self.issue(n, "neighbor remote-as", "bad-asn", f"line {n}: {t!r} is not an AS number",
                           t, "AS number: 1-4294967295 or asdot 1.10", severity="warning")
            return UNDERSTOOD
        if a == "description":
            p = self.peer(vrf, name, n)
            p.description = line.strip().split(None, 3)[3] if nw > 3 else ""
            return UNDERSTOOD
        if a == "local-as" and nw > 3:
            p = self.peer(vrf, name, n)
            p.local_as = parse_asn(words[3])
            return UNDERSTOOD
        if a == "inherit" and nw > 4 and words[3] == "peer-session":
            self.declare(vrf, name, n).inherit = words[4]
            return UNDERSTOOD
        if a in NEIGHBOR_IGNORE or a == "inherit":
            return IGNORED
        return UNRECOGNIZED

    # ---- rows
    # an unnumbered interface's row carries the address it borrows (EOS, NX-OS; IOS keeps it blank)
    BORROW_UNNUMBERED = False

    def finish(self):
        r = self.r
        add = r.interfaces.append
        locs = _locations(self.last_line)
        if self.BORROW_UNNUMBERED:
            ifaces = self.ifaces
            for itf in ifaces.values():
                src = itf["unnumbered"]
                if src and itf.primary is None:
                    lender = ifaces.get(src)
                    if lender is not None and lender.primary is not None:
                        itf.primary = lender.primary[:-1] + (itf.line,)
        for itf in self.ifaces.values():
            primary, secondaries, extra = itf.primary, itf.secondaries, itf.extra
            if not secondaries and not extra:
                if primary is None:
                    itf["location"] = locs[itf.line]
                    add(itf)
                    continue
                if len(primary) == 3:   # the commonest: one IPv4 address, read in the loop; itf is its row
                    ip, plen, ln = primary
                    address = ip + _SLASH[plen]
                    itf["address"] = address
                    itf["ip"] = ip
                    itf["prefixlen"] = plen
                    itf["subnet"] = (address if plen == 32 else ip[:ip.rindex(".")] + ".0/24" if plen == 24
                                     else _v4_subnet(ip, plen))
                    itf["family"] = 4
                    itf["secondary"] = False
                    itf["location"] = locs[ln]
                    add(itf)
                    continue
            base = itf
            # addresses: (make_address dict, line) or, read in the loop, (strict dotted quad, length, line)
            for entries, sec in (((primary,) if primary is not None else (), False), (secondaries, True),
                                 (extra, False)):
                for e in entries:
                    row = base.copy()
                    if len(e) == 3:
                        ip, plen, ln = e
                        address = ip + _SLASH[plen]
                        row["address"] = address
                        row["ip"] = ip
                        row["prefixlen"] = plen
                        row["subnet"] = (address if plen == 32 else ip[:ip.rindex(".")] + ".0/24" if plen == 24
                                         else _v4_subnet(ip, plen))
                        row["family"] = 4
                    else:
                        a, ln = e
                        row["address"] = a["address"]
                        row["ip"] = a["ip"]
                        row["prefixlen"] = a["prefixlen"]
                        row["subnet"] = a["subnet"]
                        row["family"] = a["family"]
                    row["secondary"] = sec
                    row["location"] = locs[ln]
                    add(row)
        for v in self.vrfs.values():
            r.vrfs.append({"vrf": v.name, "rd": v.rd, "import_rt": " ".join(v.imp), "export_rt": " ".join(v.exp),
                           "description": v.description, "location": locs[v.line]})
        peers = self.peers
        peers_get = peers.get
        templates = self.templates
        add = r.bgp.append
        for p in peers.values():
            if p.is_group or not p.declared:
                continue
            group = p.group
            if p.inherit:
                remote, desc, local = self.resolve_peer(p)
            elif group:   # resolve_peer() for a peer-group member without templates of its own, inline
                remote, desc, local = p.remote_as, p.description, p.local_as
                g = peers_get((p.vrf, group)) or peers_get(("", group)) or templates.get(group)
                if g is not None:
                    if g.inherit:
                        remote, desc, local = self.resolve_peer(p)
                    else:
                        if remote is None:
                            remote = g.remote_as
                        if not desc:
                            desc = g.description
                        if local is None:
                            local = g.local_as
            else:
                remote, desc, local = p.remote_as, p.description, p.local_as
            if local is None:
                local = p.asn
            ebgp = None if (remote is None or local is None) else remote != local
            add({"vrf": p.vrf, "local_as": local, "neighbor": p.name, "remote_as": remote,
                          "description": desc, "ebgp": ebgp, "location": locs[p.line]})

    def resolve_peer(self, p):
        """remote AS, description, local AS: the neighbor's own, else its group's, else its templates'."""
        remote, desc, local = p.remote_as, p.description, p.local_as
        if not p.group and not p.inherit:
            return remote, desc, local
        chain = []
        if p.group:
            g = self.peers.get((p.vrf, p.group)) or self.peers.get(("", p.group)) or self.templates.get(p.group)
            if g is not None:
                chain.append(g)
        name = p.inherit
        seen = set()
        while name and name not in seen:
            seen.add(name)
            t = self.templates.get(name)
            if t is None:
                break
            chain.append(t)
            name = t.inherit
        for g in chain:
            if remote is None:
                remote = g.remote_as
            if not desc:
                desc = g.description
            if local is None:
                local = g.local_as
            if g.inherit and g.inherit not in seen:   # a group's own session template
                t = self.templates.get(g.inherit)
                if t is not None:
                    seen.add(g.inherit)
                    chain.append(t)
        return remote, desc, local


CiscoParser.i_ip.fast_address = "ip address"   # the loop reads "ip address A M" itself (see _class_tables)
# "ip X" at the top that t_ip returns IGNORED for, whatever follows
_IP_TOP_NOOP = CiscoParser.IP_TOP_IGNORE - {"route", "vrf", "nat"}
CiscoParser.FRAME_NOOP = {
    "in_bgp": (BGP_IGNORE - {"neighbor", "no", "address-family", "template"}, NEIGHBOR_IGNORE),
    "in_vrf": ((CiscoParser.VRF_IGNORE | {"no"}) - {"rd", "route-target", "description", "address-family"}, None),
}


# ---------------------------------------------------------------- detection

_EOS_SLASH_ADDR = re.compile(r"\n[ \t]+ip address \d+\.\d+\.\d+\.\d+/\d+")

IOS_MARKERS = ("\nversion 1", "boot-start-marker", "service timestamps", "\nip vrf ", "vrf definition ",
               "ip vrf forwarding", "no ip domain", "\nip cef", "GigabitEthernet0/", "FastEthernet",
               "ip nat inside", "encapsulation dot1Q", "Port-channel", "\nline vty", "\nline con 0",
               "RANCID-CONTENT-TYPE: cisco\n", "\nip route ", " ip address ")
XR_MARKERS = (" ipv4 address ", "RP/0/", "!! IOS XR", "\nrouter static", "MgmtEth", "Bundle-Ether",
              "\nend-policy", "\nend-set", "GigabitEthernet0/0/0/", "TenGigE", "cisco-xr", "\nroute-policy ",
              "neighbor-group ", "ipv4 unnumbered", "\nline default", "\nl2vpn")
EOS_MARKERS = ("! device:", "vrf instance ", "Arista", "arista", "\nip routing vrf", "\nmanagement api",
               "transceiver qsfp", "\ndaemon ", "EOS-", "vEOS", "ip virtual-router", "\nmlag configuration",
               "service routing protocols model", "encapsulation dot1q vlan", "\ninterface Vxlan")
# also written by IOS now and then (old routers' Ethernet1, Batfish's IOS tests): a third of a marker each
EOS_WEAK_MARKERS = ("\ninterface Ethernet1\n", "\ninterface Management1\n", "Port-Channel", " peer group")
NXOS_MARKERS = ("\nfeature ", "\nvdc ", "cisco-nx", "NX-OS", "nxos")
# NX-OS's own statements: any one of them makes a Cisco-like config NX-OS
NXOS_STRONG = ("\nfeature ", "\nvrf context ", "\nvdc ", "cisco-nx", "\nboot nxos ", "  vrf member ",
               "\nswitchname ", "\nfabric forwarding ")
FOREIGN_MARKERS = ("\nsysname ", "\n sysname ", "\n#\n", "\n#\r\n", "\nreturn", "\nundo ", "\n undo ", "system {",
                   "interfaces {", "\nset system ", "\nset interfaces ", "## Last commit", "host-name ",
                   "\n ip binding vpn-instance", "vpn-instance ")


def decisive(text: str):
    """The dialect a config's own header names, at full confidence, or None; a few short searches.

    IOS prints ``version 15.2`` (12.x, 16.x, 17.x) near the top, IOS-XR ``!! IOS XR Configuration``,
    EOS ``! device: NAME (MODEL, EOS-...)``: exactly one of them in the first KB, a ``hostname`` line in
    the first 4 KB, and no Huawei ``#`` separator line or JunOS brace block anywhere (single-character
    searches first: they run at memory speed).  Anything less clear-cut is for :func:`detect_scores`.
    """
    if not isinstance(text, str):
        return None
    h = "\n" + text[:1024]
    ios = "\nversion 1" in h
    xr = "!! IOS XR" in h
    eos = "! device:" in h
    if ios + xr + eos != 1:
        return None
    if ios and any(m in text[:65536] for m in NXOS_STRONG):   # NX-OS 10.x writes "version 10.2(3)" too
        return None
    if "\nhostname " not in h and "\nhostname " not in "\n" + text[:4096]:
        return None
    if "#" in text and ("\n#\n" in text or "\n#\r" in text or text.startswith("#")):
        return None
    if "{" in text and ("{\n" in text or "{\r" in text):
        return None
    return ("ios" if ios else "iosxr" if xr else "eos"), 1.0


def detect_scores(text: str) -> dict:
    """Confidence for each of ios, iosxr, eos, nxos: the header's dialect (see decisive()), else cheap markers."""
    got = decisive(text)
    if got is not None:
        out = {"ios": 0.0, "iosxr": 0.0, "eos": 0.0, "nxos": 0.0}
        out[got[0]] = got[1]
        return out
    t = "\n" + text[:400_000]
    base = 0.0
    if "\nhostname " in t:
        base += 0.3
    if "\n!" in t:
        base += 0.15
    if "\ninterface " in t:
        base += 0.25
    if " ip address " in t or " ipv4 address " in t:
        base += 0.15
    if "\nend" in t:
        base += 0.05
    foreign = sum(1 for m in FOREIGN_MARKERS if m in t)
    penalty = 1.0 if not foreign else (0.25 if foreign == 1 else 0.1)
    ios = sum(1 for m in IOS_MARKERS if m in t)
    xr = sum(1 for m in XR_MARKERS if m in t)
    eos = sum(1 for m in EOS_MARKERS if m in t)
    if _EOS_SLASH_ADDR.search(t) and not any(m in t for m in NXOS_MARKERS):   # NX-OS writes A/LEN too
        eos += 1
    eos += sum(1 for m in EOS_WEAK_MARKERS if m in t) / 3
    nxos = sum(1 for m in NXOS_STRONG if m in t)
    w_ios, w_xr, w_eos, w_nxos = 1 + ios, 3 * xr, 3 * eos, 4 * nxos
    total = w_ios + w_xr + w_eos + w_nxos
    out = {}
    for name, hits, w in (("ios", ios, w_ios), ("iosxr", xr, w_xr), ("eos", eos, w_eos), ("nxos", nxos, w_nxos)):
        conf = min(1.0, base + 0.1 * min(int(hits), 3)) * penalty if base else 0.0
        out[name] = round(conf * w / total, 3)
    return out
