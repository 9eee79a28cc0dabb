"""Shared engine for the Huawei VRP and H3C Comware config syntaxes.

The two are siblings (Comware grew out of VRP): ``#`` separators, one-space
indented sub-commands, ``undo`` negation, ``ip vpn-instance``,
``ip route-static``, ``bgp ASN`` with per-VRF families.  :mod:`.vrp` and
:mod:`.comware` each hand a :class:`Dialect` (interface names, aggregation
naming) to :func:`parse_text`; everything else here is shared.

Speed: the text is cut at its ``#`` separator lines into chunks (a ``#`` in
column 0 closes any block, so each chunk starts afresh).  Common chunk
shapes -- an ignored statement and its block, an interface and its
sub-commands, a run of Comware's one-space global statements, a statement on
its own -- are read on fast paths; any other chunk goes through the
line-by-line engine (``_Parser._general``), the reference for what a line
means.  What depends on the text alone (a line's words and handler, what an
interface sub-command does, that a chunk holds only ignored lines, a static
route's row) is remembered across files once met twice: configs repeat their
boilerplate, one-off lines are not kept.  Known-but-unread statements are
data (the ``*_IGNORE`` sets below), so coverage is auditable: every
non-blank line ends up understood, ignored or unrecognized, exactly once
(ignored lines are counted as the remainder).
"""
from __future__ import annotations

import re
from itertools import chain
from socket import AF_INET as _AF_INET, inet_pton as _pton

from .base import ParseResult, line_loc, make_address

__all__ = ["Dialect", "parse_text", "detect_scores", "split_interface_name", "redact", "forget"]

# line statuses returned by every handler
U, I, X = 0, 1, 2  # understood, ignored, unrecognized

# ---------------------------------------------------------------------------
# Known statements deliberately not read.  Keyed by first word (top level)
# or by first word inside a block.  A top-level ignored statement takes its
# indented children with it (aaa, user-interface, acl ... are whole blocks).
# ---------------------------------------------------------------------------
TOP_IGNORE = frozenset("""
    aaa user-interface line local-user clock ntp ntp-service sntp info-center stelnet ssh telnet ftp
    sftp tftp scp http https acl rule traffic qos stp lldp cdp vlan dhcp dhcpv6 radius-server radius
    hwtacacs-server hwtacacs domain role user-group password-recovery system-working-mode irf irf-port
    igmp-snooping mld-snooping dns dns-server l2vpn mpls mpls-ldp ospf ospfv3 isis rip ripng route-policy
    license set vsm icmp dcn local-aaa-server vm-manager undo cpu-defend cpu-defend-policy drop-profile
    diffserv port-group arp mac-address bfd vrrp ssl pki rsa dsa ecc peer-public-key public-key ike ipsec
    firewall security-policy policy-based-route time-range authentication-profile dot1x
    dot1x-access-profile mac-access-profile mac-authentication capwap wlan observe-port port-mirroring
    mirroring-group sflow netstream nqa track multicast pim igmp mld ntdp ndp cluster sep rrpp smart-link
    erps dldp loopback-detect loopback-detection e-trunk lacp link-aggregation ethernet jumboframe
    voice-vlan poe fan power device board slot stack cli command-privilege super user-security-policy
    user management-plane ptp scheduler job event configuration evpn vxlan bridge-domain
    segment-routing tunnel-policy tunnel-selector xpl ifit telemetry netconf grpc web portal cwmp
    load-balance dialer-rule l2tp l2tp-group keychain error-down monitor-link port-isolate port-security
    bpdu bpdu-protection copyright-info storm-constrain gateway gvrp mvrp vsi fcoe evb assistant ops
    free-rule-template web-auth-server ip-pool interface-group anti-attack anti-virus ips nhrp ipv6-prefix
    snmp ntp-server ip-link sla probe hrp switchover heartbeat vlan-mapping mac-vlan ssh-user
    terminal lacp-mode energy-saving pki-domain system dot1q ipsec-policy ike-peer ike-proposal
    ipsec-proposal xconnect mpls-l2vpn pw-template vpls vsi-template transceiver diagnose
    authentication accounting authorization user-profile traffic-policy traffic-filter traffic-classifier
    http-server ping trace ssh-server banner update remote-unit dialer-group firewall-nat
    security-zone zone-pair object-policy object-group
""".split())
# second word after a top-level "ip" / "ipv6" that we do not read
TOP_IP_IGNORE = frozenset("""
    ip-prefix community-filter as-path-filter extcommunity-filter rd-filter dcn http https host domain
    unreachables ttl-expires source-route redirects fast-forwarding netstream pool prefix-list
    community-list as-path extcommunity-list load-sharing local icmp ttl soft-gre forward-broadcast
    ipv6-prefix mac-binding relay urpf verify anycast frr option vpn-instance-id dhcp direct-broadcast
    topology security-check hwtacacs radius unnumbered address-set service-set port-set
""".split())
TOP_IPV6_IGNORE = frozenset("""
    prefix ip-prefix nd dhcp neighbor icmp icmp-error host hop-limit pathmtu unicast-forwarding
    fast-forwarding netstream mtu source-route redirects anycast local load-sharing ttl enable
""".split())
TOP_NAT_IGNORE = frozenset("""
    alg log session aging-time filter-mode dns-map overlap-address mapping-mode link-switch
    hairpin port-block-group port-block global-policy policy link-protect fragment enable
    mapping-behavior filtering-behavior instance server-group address-pool pool
""".split())

# interface sub-commands we do not read
IF_IGNORE = frozenset("""
    mtu speed duplex negotiation stp lldp traffic-policy traffic-filter qos sflow loopback-detect
    loopback-detection jumboframe flow-control arp ospf ospfv3 isis rip ripng pim igmp mld mpls ldp rsvp vrrp
    bfd ntdp ndp dhcp dhcpv6 dcn encapsulation link-protocol ppp pppoe-client dialer tunnel-protocol
    source destination keepalive gre ipsec statistic statistics trust control-flap set portswitch
    port-isolate port-security mac-address mac-limit authentication-profile dot1x mac-authen
    mac-authentication poe voice-vlan device transceiver carrier clock bandwidth cost frame-relay
    service-policy l2 mpls-l2vpn l2vc bridge-domain esi evpn vxlan trunkport mode lacp least max
    e-trunk load-balance distribute-weight smart-link rrpp storm-suppression broadcast-suppression
    multicast-suppression unicast-suppression storm-constrain storm-control flow-interval link-delay combo
    eee alias priority enable snmp-agent packet-filter mdi loopback crc-statistics trap-threshold
    port-mirroring mirror mirroring-group vlan-mapping user-vlan apply ip-subnet-vlan protocol-vlan
    anti-attack arp-snooping urpf multicast igmp-snooping mld-snooping bpdu l2protocol-tunnel
    service-manage detect-group hrp redirect dhcp-snooping local-proxy-arp proxy-arp port-group
    monitor-link vrrp6 nat64 nd ipv6-nd portal web-auth-server dldp lldp-agent link-aggregation
    shutdown-interval error-down port-type port-mode mac-vlan qinq-mapping tunnel ospf-cost
    ethernet-oam oam cfm efm 802.1x authentication tcp mss fec transmit-delay band-width
    flow-stat flow-statistic ip-link nqa track pfc dcb lossless ecn wred queue-scheduler fast-reroute
    description-alias trunk-member hold-time timer undo-shutdown bpdu-protection edged-port
    unidirectional flow-wred pki tunnel-destination sub-interface ptp synchronization
    broadcast-storm multicast-storm unicast-storm unknown-unicast-suppression rmon rmon-statistics
    qos-profile gateway dialer-group dialer-number reset
""".split())
IF_IP_IGNORE = frozenset("""
    netstream urpf verify policy-based-route forward-broadcast relay redirect redirects unreachables
    fast-forwarding mtu count source dhcp pim igmp topology ospf isis rip netflow accounting
    directed-broadcast proxy-arp local-proxy-arp mac-binding source-check flow-statistic ttl-expires
    icmp tcp helper-address subnet-vlan dhcp-snooping nat address-set traffic-filter
""".split())
IF_IPV6_IGNORE = frozenset("""
    enable nd mtu dhcp pim mld verify urpf traffic-filter policy-based-route netstream ospf ospfv3
    isis ripng unreachables redirects source-route icmp neighbor fast-forwarding dhcpv6 flow-statistic
    forward-broadcast address-policy
""".split())
IF_NAT_IGNORE = frozenset("hairpin alg enable log filter-mode mapping-behavior port-block policy".split())
VPN_IGNORE = frozenset("""
    ipv4-family ipv6-family address-family apply-label tnl-policy vpn-instance-capability routing-table
    prefix import export vpn frr arp mpls-label limit label route-limit pim multicast
    vpn-id service-id ipv6 ip default-color evpn vxlan vni tunnel-selector nexthop
    vpn-target-list
""".split())
BGP_IGNORE = frozenset("""
    router-id timer graceful-restart undo import-route network preference maximum reflector reflect
    bestroute summary aggregate default-route default dampening compare-different-as-med confederation
    private-4-byte-as check-first-as balance log-peer-change routing-table apply-label vpn-route
    nexthop slow-peer tcp as-path-limit route-select auto-frr ext-community-change policy
    tunnel-selector rr-filter supernet load-balancing segment-routing vpn-target route-distinguisher
    filter-policy ipv4-family-label ebgp-interface-sensitive ibgp-ebgp-compare preference-value
    active-route-advertise nexthop-recursive-lookup always-compare-med deterministic-med
    mpls-local-ifnet advertise-rib-active ingress-lsp peer-group-as log fast-reroute pic
    bgp-rib-only import-rib export-rib route-replicate ipv6-family-label update-delay bestroute-as-path
    ignore-first-as reflect-between-clients synchronization enforce-first-as labeled-route
    route-limit advertise-l2vpn-evpn
""".split())
PEER_ATTR_IGNORE = frozenset("""
    enable connect-interface ebgp-max-hop password route-policy next-hop-local next-hop-invariable
    reflect-client advertise-community advertise-ext-community advertise-large-community bfd timer
    keep-all-routes route-limit ip-prefix filter-policy as-path-filter route-update-interval
    allow-as-loop public-as-only substitute-as default-route-advertise label-route-capability
    capability-advertise valid-ttl-hops tracking preferred-value fake-as local-as ignore
    graceful-restart log-change upe signaling as-override soo path-mtu prefix-list tcp-mss
    advertise-best-external dscp out-delay keychain ssl-policy advertise mpls-local-ifnet
    source-address ttl-security listen-only connect-retry-time check-tunnel-reachable
    reflect-self advertise-irb advertise-arp encap-type nexthop-recursive-lookup
    route-update-timer update-source next-hop-self default-originate route-map distribute-list
    send-community remove-private-as peer-as-check discard-ext-community orf bmp-monitor
    add-path capability ignore-first-as rpd-policy high-priority import-reoriginate
""".split())
NATPOLICY_IGNORE = frozenset("""
    source-zone destination-zone destination-address service description disable enable time-range
    user user-group ingress-interface
""".split())
NATPOOL_IGNORE = frozenset("exclude-address port-range mode route enable".split())

_CIPHER_WORDS = ("cipher", "password", "secret", "simple", "key", "hash", "community", "%^%#", "%$%$", "$1")


def redact(text: str) -> str:
    """Cut a line at its first secret-looking keyword so no credential is copied anywhere."""
    low = text.lower()
    if not any(w in low for w in _CIPHER_WORDS):
        return text
    words = text.split()
    out = []
    for w in words:
        lw = w.lower()
        if lw.startswith(("%^%#", "%$%$", "$1", "$c$", "$h$")):
            out.append("<redacted>")
            break
        out.append(w)
        if lw in ("cipher", "password", "secret", "simple", "irreversible-cipher", "key", "hash",
                  "authentication-key", "pre-shared-key", "shared-key", "community", "plain"):
            out.append("<redacted>")
            break
    return " ".join(out)


# ---------------------------------------------------------------------------
# Interface names
# ---------------------------------------------------------------------------
_DIGITS = "0123456789"


def split_interface_name(name: str) -> tuple[str, str]:
    """'GE0/0/1.100' -> ('GE', '0/0/1.100'); '25GE1/0/1' -> ('25GE', '1/0/1')."""
    i, n = 0, len(name)
    while i < n and name[i] in _DIGITS:
        i += 1
    while i < n and name[i] not in _DIGITS:
        i += 1
    return name[:i], name[i:]


_DIALECTS: list = []


class Dialect:
    """What differs between VRP and Comware: interface names, aggregation naming, detection."""

    def __init__(self, name, vendor, aliases, kinds, member_aggregate, discovery=None):
        self.name = name
        self.vendor = vendor
        self.discovery = discovery or {}  # protocol -> statement regex (base.discovery_state)
        self.aliases = aliases          # lower-case type prefix -> canonical prefix
        self.kinds = kinds              # canonical prefix -> kind
        self.member_aggregate = member_aggregate  # canonical aggregate prefix for a bare group number
        self._cache = {}
        self._kinds = {}                # normalized name -> (kind, parent, vlan)
        self._info = {}                 # name as written -> (normalized name, kind, parent, vlan)
        self.routes = {}                # static route statement -> its row, without location
        _DIALECTS.append(self)

    def normalize_interface(self, name: str) -> str:
        """Full canonical interface name; unknown prefixes are kept as written."""
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        raw = "".join(name.split())
        prefix, rest = split_interface_name(raw)
        canon = self.aliases.get(prefix.lower(), prefix)
        out = canon + rest
        if len(self._cache) < 100_000:
            self._cache[name] = out
        return out

    def iface_info(self, raw: str) -> tuple:
        """(normalized name, kind, parent, vlan) of a name as written, cached."""
        hit = self._info.get(raw)
        if hit is None:
            name = self.normalize_interface(raw)
            hit = (name,) + self.interface_facts(name)
            if len(self._info) < 100_000:
                self._info[raw] = hit
        return hit

    def interface_facts(self, full: str) -> tuple:
        """(kind, parent, vlan) of a normalized name, cached: names repeat across configs."""
        hit = self._kinds.get(full)
        if hit is None:
            kind, parent = self.interface_kind(full)
            vlan = None
            if kind == "vlan":
                num = split_interface_name(full)[1]
                if num.isdigit():
                    vlan = int(num)
            hit = (kind, parent, vlan)
            if len(self._kinds) < 100_000:
                self._kinds[full] = hit
        return hit

    def interface_kind(self, full: str) -> tuple[str, str]:
        """(kind, parent) of a normalized name; parent only for subinterfaces."""
        prefix, rest = split_interface_name(full)
        kind = self.kinds.get(prefix, "other")
        if "." in rest and kind in ("physical", "aggregate", "other"):
            return "subinterface", full[: len(prefix) + rest.index(".")]
        return kind, ""


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------
def _is_v4(tok: str) -> bool:
    try:                                  # strict dotted quad, in C: the common case
        _pton(_AF_INET, tok)
        return True
    except (OSError, ValueError, TypeError):
        pass
    parts = tok.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


_from_bytes = int.from_bytes
# netmask or prefix length (as written) -> prefix length, for the IPv4 fast path
_V4_LEN = {}
for _n in range(33):
    _V4_LEN[".".join(str((((0xFFFFFFFF << (32 - _n)) & 0xFFFFFFFF) >> _s) & 255) for _s in (24, 16, 8, 0))] = _n
    _V4_LEN[str(_n)] = _n
# (module-level code here makes lists from generator expressions, not comprehensions: see setup.py)
_V4_NET = list((0xFFFFFFFF << (32 - _n)) & 0xFFFFFFFF for _n in range(33))


def _address(ip: str, length: str) -> dict:
    """base.make_address, with the common IPv4 case (dotted quad, netmask or 0..32) done inline."""
    hit = _v4_subnet(ip, length)
    if hit is None:
        return make_address(ip, length)
    return {"address": f"{ip}/{hit[0]}", "ip": ip, "prefixlen": hit[0], "subnet": hit[1], "family": 4}


def _v4_subnet(ip: str, length: str):
    """(prefix length, subnet text) of a strict dotted quad and a known mask or length, else None
    (make_address then decides, with its reasons)."""
    plen = _V4_LEN.get(length)
    if plen is None:
        return None
    try:
        v = _from_bytes(_pton(_AF_INET, ip), "big") & _V4_NET[plen]
    except (OSError, ValueError, TypeError):
        return None
    return plen, f"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}/{plen}"


def _subnet(ip: str, length: str) -> str:
    """_address(ip, length)["subnet"]."""
    hit = _v4_subnet(ip, length)
    return hit[1] if hit is not None else make_address(ip, length)["subnet"]


# ip route-static words after the destination: 1 preference N, 2 description ..., 3 keyword and value,
# 4 track/bfd/nqa and their arguments (to "description" or the end), 5 a flag
_ROUTE_KW = {"preference": 1, "description": 2}
_ROUTE_KW.update(dict.fromkeys(("tag", "vpn-instance", "name", "weight", "cost", "relay-arp"), 3))
_ROUTE_KW.update(dict.fromkeys(("track", "bfd", "nqa"), 4))
_ROUTE_KW.update(dict.fromkeys(("inherit-cost", "permanent", "no-advertise", "no-install", "public",
                                "recursive-lookup", "global", "dhcp", "ldp-sync", "sr", "tunnel-policy"), 5))


def _address_t(ip: str, length: str) -> tuple:
    """_address as a tuple (address, ip, prefixlen, subnet, family), for interface rows."""
    hit = _v4_subnet(ip, length)
    if hit is not None:
        return (f"{ip}/{hit[0]}", ip, hit[0], hit[1], 4)
    d = make_address(ip, length)
    return d["address"], d["ip"], d["prefixlen"], d["subnet"], d["family"]


_HEX = frozenset("0123456789abcdefABCDEF:.")


def _is_addr_like(tok: str) -> bool:
    """An IPv4/IPv6 address token (as opposed to an interface name or keyword)."""
    if "/" in tok:
        return False
    if ":" in tok:
        return all(c in _HEX for c in tok) and tok.count(":") >= 2
    return tok[:1].isdigit() and "." in tok


def _as_number(tok: str):
    """'65001' -> 65001; asdot '1.10' -> 65546; ValueError otherwise."""
    if "." in tok:
        hi, lo = tok.split(".", 1)
        v = int(hi) * 65536 + int(lo)
    else:
        v = int(tok)
    if v < 0 or v > 4294967295:
        raise ValueError(tok)
    return v


_NO_ROLES = frozenset()


class _Iface:
    """One interface; what its sub-commands do not set stays at the class defaults."""
    description = ""
    admin_up = True
    vrf = ""
    unnumbered = ""
    address_mode = ""        # dhcp / ppp: an address the interface learns at run time (a WAN port)
    gateways = ""            # VRRP virtual addresses, space separated
    roles = _NO_ROLES        # NAT roles; a new set when one is added
    addrs = ()               # ((address, ip, prefixlen, subnet, family), secondary, location), no repeats
    route_mode = False

    def __init__(self, info, loc):
        self.name, self.kind, self.parent, self.vlan = info
        self.loc = loc

    def add_address(self, addr, secondary, loc):
        key = addr[0]
        for prev in self.addrs:
            if prev[0][0] == key:
                return
        self.addrs += ((addr, secondary, loc),)


class _Parser:
    # state that starts the same in every parse (instance attributes once set)
    cur_if = None
    cur_vrf = None
    local_as = None
    bgp_vrf = ""
    bgp_sub_indent = -1
    cur_pool = None
    cur_rule = None
    block = None              # set by top-level handlers that open a block
    banner = None             # set by "header ..." to the banner's delimiter
    block_indent = 0          # indent of the statement that opened self.block
    open_banner = None        # delimiter of a banner still running at the end of a chunk

    def __init__(self, dialect: Dialect):
        self.d = dialect
        self.r = ParseResult(platform=dialect.name, vendor=dialect.vendor,
                             device={"hostname": "", "model": "", "os_version": "", "serial": "", "location": ""})
        self.ifaces = {}
        self.vrfs = {}
        self.peers = {}           # (vrf, neighbor) -> dict
        self.groups = {}          # name -> {"as": int|None, "internal": bool|None}
        self.pools = {}           # nat address-group -> "A-B"
        self.nat_rows = []        # (row, pool) pending outside resolution
        self.nat_rules = []       # USG nat-policy rules, turned into rows at the end

    # -- issues -----------------------------------------------------------
    def issue(self, n, column, code, message, value, expected="", severity="error"):
        self.r.issues.append({"location": line_loc(n), "column": column, "severity": severity, "code": code,
                              "message": message, "value": redact(value), "expected": expected})

    # -- main loop --------------------------------------------------------
    def run(self, text: str) -> ParseResult:
        """The text in chunks between "#" separator lines; common chunk shapes on fast paths.

        A "#" line in column 0 closes whatever block is open, so each chunk starts
        afresh.  Three shapes, which make up most of a VRP or Comware config, are
        read without the per-line engine: an ignored statement with its indented
        block (aaa, acl, user-interface ...: nothing to read line by line), an
        interface with its indented sub-commands, and Comware's run of one-space
        indented global statements.  Every other chunk, and whatever follows an
        open banner, goes line by line through :meth:`_general`, which is the
        reference for what each line means.

        Configs repeat themselves (port after port, device after device), so what
        depends on the text alone is remembered across files: for a chunk, that
        it holds nothing but ignored lines, or which of an interface's lines need
        a handler; for a line, its words and handler.  Ignored lines are not
        counted one by one: every non-blank line is understood, ignored or
        unrecognized, so ignored = lines - understood - unrecognized.
        """
        r = self.r
        if "\r" in text:
            text = text.replace("\r\n", "\n")   # only the trailing \r of a line goes: strip() drops it anyway
        self.blanks = 0
        unrec = r.unrecognized
        add_unrec = unrec.append
        funcs, missing = _FUNCS, _MISSING
        K_SET, K_ADDR, K_NOOP, K_UNREC, K_HEADER = _K_SET, _K_ADDR, _K_NOOP, _K_UNREC, _K_HEADER
        chunks_get, ign_bad, seen = _CHUNKS.get, _IGN_BAD.search, _SEEN
        topl_get = _TOPLINE.get
        general = self._general
        top_interface, IF, Iface = _Parser.top_interface, _IF, _Iface
        dialect, ifaces = self.d, self.ifaces
        info_get, ifaces_get = dialect._info.get, ifaces.get
        understood = 0
        n = 1                      # line number of the chunk's first line
        banner = False             # a banner still open at the end of the last chunk
        for chunk in text.split("\n#\n"):
            if banner:
                # a banner runs on across the separator: the "#" line is banner text
                lines = chunk.split("\n")
                lines.insert(0, "#")
                understood += general(enumerate(lines, n - 1))
                n += len(lines)
                banner = self.open_banner is not None
                continue
            plan = chunks_get(chunk)
            if plan is not None:
                if plan.__class__ is int:      # nothing but ignored lines
                    n += plan
                    continue
                lines = None
            else:
                self.block = None      # the separator closed any block
                lines = chunk.split("\n")
                nl = len(lines)
                first = lines[0]
                e = topl_get(first)
                if e is None:
                    e = _top_line(first)
                h, words, s, col = e
                h = funcs[h]
                if col == 0:
                    # a statement in column 0
                    if h is None:
                        # an ignored statement: its indented block goes whole, unless a line
                        # comes back to column 0, is blank or is a "!" comment (a version?)
                        if nl == 1 or ign_bad(chunk) is None:
                            _remember(chunk, nl + 1)
                            n += nl + 1
                            continue
                    elif h is top_interface and (nl == 1 or chunk.count("\n ") == nl - 1):
                        # an interface, every sub-command indented (so none starts a statement):
                        # met before, its plan is made and kept; met first, it is read directly
                        k = hash(chunk)
                        if k in seen:
                            todo = []
                            b0 = self.blanks
                            understood += self._interface_direct(lines, words, s, n, todo)
                            if None not in todo and self.open_banner is None:
                                _remember(chunk, (nl, self.blanks - b0, words, s, tuple(todo),
                                                  _interface_name(words)))
                        else:
                            if len(seen) >= _SEEN_MAX:
                                seen.clear()
                            seen.add(k)
                            understood += self._interface_direct(lines, words, s, n)
                        n += nl + 1
                        continue
                    elif nl == 1 or (nl == 2 and not lines[1]):
                        # a statement on its own (the last chunk ends with an empty line)
                        if nl == 2:
                            self.blanks += 1
                        if h is missing:
                            c = s[0]
                            if c == "!":
                                if "ersion" in s:
                                    self.header_comment(s)
                            elif c != "#" and c != "<" and c != "[":
                                add_unrec((n, redact(s)))
                        else:
                            try:
                                st = h(self, words, s, n, 0)
                            except Exception as e:
                                st = self.parse_error(n, s, e)
                            if st == U:
                                understood += 1
                            elif st == X:
                                add_unrec((n, redact(s)))
                            if self.banner is not None:
                                self.open_banner, self.banner = self.banner, None
                                self.block_indent = 0
                                banner = True
                        n += nl + 1
                        continue
                elif col == 1:
                    understood += self._flat(chunk, lines, n)
                    n += nl + 1
                    banner = self.open_banner is not None
                    continue
            if plan is None:
                b0 = self.blanks
                understood += general(enumerate(lines, n))
                n += nl + 1
                banner = self.open_banner is not None
                if not (self.touched or banner) and self.blanks == b0:
                    _remember(chunk, nl + 1)    # read line by line and found to hold only ignored lines
                continue
            # an interface and the sub-commands that need a handler
            nl, blanks, words, s, todo, raw = plan
            if raw is not None:
                # top_interface, inline
                info = info_get(raw)
                if info is None:
                    info = dialect.iface_info(raw)
                rec = ifaces_get(info[0])
                if rec is None:
                    rec = ifaces[info[0]] = Iface(info, f"line {n}")
                self.cur_if = rec
                self.block = IF
                st = U
            else:
                self.block = None
                st = top_interface(self, words, s, n, 0)
            if st != U or self.block is not IF:
                # the header did not open the interface: line by line
                if st == X:
                    add_unrec((n, redact(s)))
                self.block = self.block or _UNK
                self.block_indent = 0
                it = enumerate(lines or chunk.split("\n"), n)
                next(it)
                understood += general(it)
                n += nl + 1
                banner = self.open_banner is not None
                continue
            understood += 1
            self.blanks += blanks
            rec = self.cur_if
            for off, kind, a, b in todo:
                if kind == K_SET:
                    setattr(rec, a, b)
                    understood += 1
                elif kind == K_ADDR:
                    rec.add_address(a, b, f"line {n + off}")
                    understood += 1
                elif kind == K_NOOP:
                    understood += 1
                elif kind == K_UNREC:
                    add_unrec((n + off, a))
                elif kind == K_HEADER:
                    self.header_comment(a)
                else:
                    m = n + off
                    words, s = b
                    try:
                        st = funcs[a](self, words, s, m)
                    except Exception as e:  # a surprise in one line never stops the file
                        st = self.parse_error(m, s, e)
                    if st == U:
                        understood += 1
                    elif st == X:
                        add_unrec((m, redact(s)))
            n += nl + 1
        r.lines = nlines = n - 2 - self.blanks     # n is past the last chunk and its separator
        r.understood = understood
        r.ignored = nlines - understood - len(unrec)
        self.finish()
        return r

    def _interface_direct(self, lines, words, s, n, todo=None) -> int:
        """An interface chunk read line by line (first meetings).  With a *todo* list (the
        chunk met again), every sub-command's entry that needs something is appended to it
        as (line offset, kind, a, b), the plan the next meetings replay."""
        try:
            st = _Parser.top_interface(self, words, s, n, 0)
        except Exception as e:  # pragma: no cover - top_interface checks its words
            st = self.parse_error(n, s, e)
        it = enumerate(lines, n)
        next(it)
        if st != U or self.block is not _IF:
            if st == X:
                self.r.unrecognized.append((n, redact(s)))
            self.block = self.block or _UNK
            self.block_indent = 0
            if todo is not None:
                todo.append(None)       # no plan
            return self._general(it)
        understood = 1
        add_unrec = self.r.unrecognized.append
        ifl, ifl_get, ifd, seen, missing, funcs = _IFLINE, _IFLINE.get, _IFD, _SEEN, _MISSING, _FUNCS
        rec = self.cur_if
        for m, line in it:
            e = ifl_get(line)
            if e is None:
                words = line.split()
                if not words:
                    self.blanks += 1
                    continue
                k = hash(line)                  # remembered when met again (see _admit)
                if k in seen or todo is not None:
                    e = _if_effect(words, line.strip(), False)
                    if k in seen:
                        if len(ifl) >= _LINE_MAX:
                            ifl.clear()
                        ifl[line] = e
                    else:
                        if len(seen) >= _SEEN_MAX:
                            seen.clear()
                        seen.add(k)
                else:
                    if len(seen) >= _SEEN_MAX:
                        seen.clear()
                    seen.add(k)
                    h = ifd.get(words[0], missing)
                    if h is None:
                        continue
                    s = line.strip()
                    if h is missing:
                        c = s[0]
                        if c == "!":
                            if "ersion" in s:
                                self.header_comment(s)
                        elif c != "#" and c != "<" and c != "[":
                            add_unrec((m, redact(s)))
                        continue
                    try:
                        st = h(self, words, s, m)
                    except Exception as e:  # a surprise in one line never stops the file
                        st = self.parse_error(m, s, e)
                    if st == U:
                        understood += 1
                    elif st == X:
                        add_unrec((m, redact(s)))
                    continue
            elif e[0] == K_PROBE:               # a remembered line met once more: what does it do?
                e = ifl[line] = _if_effect(*e[2], True)
            kind, a, b = e
            if not kind:
                continue
            if todo is not None:
                todo.append((m - n, kind, a, b))
            if kind == K_SET:
                setattr(rec, a, b)
                understood += 1
            elif kind == K_ADDR:
                rec.add_address(a, b, f"line {m}")
                understood += 1
            elif kind == K_NOOP:
                understood += 1
            elif kind == K_UNREC:
                add_unrec((m, a))
            elif kind == K_HEADER:
                self.header_comment(a)
            else:
                words, s = b
                try:
                    st = funcs[a](self, words, s, m)
                except Exception as e:  # a surprise in one line never stops the file
                    st = self.parse_error(m, s, e)
                if st == U:
                    understood += 1
                elif st == X:
                    add_unrec((m, redact(s)))
        return understood

    def _flat(self, chunk, lines, n) -> int:
        """Comware: global statements indented by one space, each its own statement."""
        understood = 0
        add_unrec = self.r.unrecognized.append
        missing, funcs = _MISSING, _FUNCS
        topl_get = _TOPLINE.get
        it = enumerate(lines, n)
        only_ignored = True
        for m, line in it:
            e = topl_get(line)
            if e is None:
                e = _top_line(line)
            h, words, s, col = e
            h = funcs[h]
            if col != 1:
                # blank, or not indented by exactly one space: line by line from here
                self.block_indent = 1
                return understood + self._general(chain(((m, line),), it))
            if h is None:
                self.block = _IGN
                continue
            only_ignored = False
            if h is missing:
                c = s[0]
                if c == "#":
                    self.block = None
                    continue
                if c == "!" or c == "<" or c == "[":
                    if c == "!" and "ersion" in s:
                        self.header_comment(s)
                    continue
                self.block = _UNK
                add_unrec((m, redact(s)))
                continue
            self.block = None
            try:
                st = h(self, words, s, m, 1)
            except Exception as e:
                st = self.parse_error(m, s, e)
            if st == U:
                understood += 1
            elif st == X:
                add_unrec((m, redact(s)))
                if self.block is None:
                    self.block = _UNK
            if self.banner is not None:
                self.open_banner, self.banner = self.banner, None
                self.block_indent = 1
                return understood + self._general(it)
        if only_ignored:
            _remember(chunk, len(lines) + 1)
        return understood

    def _general(self, it) -> int:
        """Line by line from *it* ((number, line) pairs), from and back to the block state in self.

        The reference reading of every line; returns how many were understood.
        """
        add_unrec = self.r.unrecognized.append
        understood = 0
        topd, ifd, missing = _TOP, _IFD, _MISSING
        top_discovery, discovery_first = _Parser.top_discovery, _DISCOVERY_FIRST
        IGN, UNK, IFB = _IGN, _UNK, _IF
        # block state lives in locals; handlers that open blocks or banners set
        # self.block / self.banner, which are read back after each top-level call
        block, block_indent, banner = self.block, self.block_indent, self.open_banner
        touched = False            # a handler, a comment with a version or an unrecognized line
        gl, gl_get, seen = _GENLINE, _GENLINE.get, _SEEN
        for n, line in it:
            if banner is not None:
                # banner text runs to the line holding the delimiter (never a blank line)
                if banner in line:
                    banner = None
                elif not line or line.isspace():
                    self.blanks += 1
                continue
            e = gl_get(line)
            if e is None:
                s = line.strip()
                if not s:
                    self.blanks += 1
                    continue
                c = s[0]
                indent = 0 if line[0] == c else line.find(c)
                words = s.split()
                k = hash(line)                  # remembered when met again (see _admit)
                if k in seen:
                    if len(gl) >= _LINE_MAX:
                        gl.clear()
                    gl[line] = (s, c, indent, tuple(words))
                else:
                    if len(seen) >= _SEEN_MAX:
                        seen.clear()
                    seen.add(k)
            else:
                s, c, indent, words = e
            if c == "#":
                if indent <= block_indent:
                    block = None
                continue
            if c == "!" or c == "<" or c == "[":
                # comments (RANCID and VRP "!" lines) and pasted CLI prompts
                if c == "!" and "ersion" in s:
                    self.header_comment(s)
                    touched = True
                continue
            if block is not None and indent > block_indent:
                if block is IFB:
                    h = ifd.get(words[0], missing)
                    if h is None:
                        continue
                    touched = True
                    if h is missing:
                        add_unrec((n, redact(s)))
                        continue
                    try:
                        st = h(self, words, s, n)
                    except Exception as e:  # a surprise in one line never stops the file
                        st = self.parse_error(n, s, e)
                elif block is IGN:
                    continue
                elif block is UNK:
                    add_unrec((n, redact(s)))
                    touched = True
                    continue
                else:
                    touched = True
                    try:
                        st = block(self, words, s, n, indent)
                    except Exception as e:
                        st = self.parse_error(n, s, e)
            else:
                block_indent = indent
                h = topd.get(words[0], missing)
                if h is None:
                    if words[0] not in discovery_first or not _discovery_line(words):
                        block = IGN
                        continue
                    h = top_discovery
                touched = True
                if h is missing:
                    block = UNK
                    add_unrec((n, redact(s)))
                    continue
                self.block = None
                try:
                    st = h(self, words, s, n, indent)
                except Exception as e:
                    st = self.parse_error(n, s, e)
                block, banner = self.block, self.banner
                self.banner = None
                if st == X and block is None:
                    block = UNK
            if st == U:
                understood += 1
            elif st == X:
                add_unrec((n, redact(s)))
        self.block, self.block_indent, self.open_banner = block, block_indent, banner
        self.touched = touched
        return understood

    def parse_error(self, n, s, e):
        self.issue(n, s.split(None, 1)[0] if s.split() else "", "parse-error",
                   f"could not read line: {type(e).__name__}: {e}", s, "a complete statement")
        return X

    # sentinels (never called)
    def ignore_block(self, *a):  # pragma: no cover
        return I

    def unknown_block(self, *a):  # pragma: no cover
        return X

    # -- header / device --------------------------------------------------
    def header_comment(self, s):
        dev = self.r.device
        body = s.lstrip("!").strip()
        if body.startswith("Software Version"):
            v = body[len("Software Version"):].strip()
            if v:
                dev["os_version"] = v
        elif "(" in body and "Version" in body and body.endswith(")"):
            # "! VRP (R) software, Version 8.180 (NE40E V800R011C00SPC607B607)"
            inner = body[body.rfind("(") + 1:-1].split()
            if len(inner) == 2:
                if not dev["model"]:
                    dev["model"] = inner[0]
                if not dev["os_version"]:
                    dev["os_version"] = inner[1]

    def top_sysname(self, words, s, n, indent):
        if len(words) < 2:
            return X
        self.r.device["hostname"] = s.split(None, 1)[1]
        return U

    def top_version(self, words, s, n, indent):
        # Comware: "version 7.1.045, Release 2418P06"
        if len(words) < 2:
            return X
        self.r.device["os_version"] = s.split(None, 1)[1]
        return U

    def top_snmp(self, words, s, n, indent):
        if len(words) >= 4 and words[1] == "sys-info" and words[2] == "location":
            self.r.device["location"] = s.split(None, 3)[3]
            return U
        self.block = _IGN
        return I

    def top_discovery(self, words, s, n, indent):
        """A system-view "lldp ..." / "undo lldp ..." line: LLDP switched on or off when it is the
        dialect's statement for that (``Dialect.discovery``), else an LLDP setting not read."""
        for protocol, pattern in self.d.discovery.items():
            m = pattern.fullmatch(s)
            if m is not None:
                self.r.device[protocol] = m.group("off") is None
                return U
        self.block = _IGN
        return I

    def top_header(self, words, s, n, indent):
        # banners: Comware "header motd %" ... "%"; VRP 'header login information "..."'
        parts = s.split(None, 2)
        rest = parts[2] if len(parts) > 2 else ""
        if rest.startswith("information"):
            rest = rest[len("information"):].strip()
        if rest and not rest.startswith("file "):
            delim = rest[0]
            if rest.count(delim) < 2:
                self.banner = delim
        self.block = _IGN
        return I

    def top_return(self, words, s, n, indent):
        return I

    # -- interfaces -------------------------------------------------------
    def top_interface(self, words, s, n, indent):
        if len(words) < 2:
            return X
        raw = words[1]
        if len(words) >= 3 and words[2][:1].isdigit():  # "interface GigabitEthernet 0/0/1"
            raw += words[2]
        info = self.d.iface_info(raw)
        rec = self.ifaces.get(info[0])
        if rec is None:
            rec = self.ifaces[info[0]] = _Iface(info, f"line {n}")
        self.cur_if = rec
        self.block = _IF
        return U

    def in_interface(self, words, s, n, indent):
        # the block sentinel; run() dispatches interface sub-commands inline through _IFD
        h = _IFD.get(words[0], _MISSING)
        if h is None:
            return I
        return X if h is _MISSING else h(self, words, s, n)

    def if_description(self, words, s, n):
        # s starts with the word "description": the rest after the blanks that follow it
        self.cur_if.description = s[11:].lstrip()
        return U

    def if_shutdown(self, words, s, n):
        if len(words) != 1:
            return X
        self.cur_if.admin_up = False
        return U

    def if_vrrp(self, words, s, n):
        # "vrrp vrid N virtual-ip A [A ...]" (VRP, Comware); priority, preempt-mode, track...: not read
        if len(words) > 4 and words[1] == "vrid" and words[3] == "virtual-ip":
            rec = self.cur_if
            have = rec.gateways.split()
            for a in words[4:]:
                parts = a.split(".")
                if len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts) and a not in have:
                    have.append(a)
            rec.gateways = " ".join(have)
            return U
        return I

    def if_undo(self, words, s, n):
        if len(words) == 2 and words[1] == "shutdown":
            self.cur_if.admin_up = True
            return U
        # other "undo X" lines switch off features we do not model
        return I if len(words) > 1 else X

    def if_ip(self, words, s, n):
        nw = len(words)
        w1 = words[1] if nw > 1 else ""
        if w1 != "address":
            if w1 == "binding":
                if nw == 4 and words[2] == "vpn-instance":
                    self.cur_if.vrf = words[3]
                    return U
                return X
            if w1 in IF_IP_IGNORE:
                return I
            return X
        # ip address A.B.C.D MASK|LEN [sub] | unnumbered interface X | dhcp-alloc ...
        rec = self.cur_if
        if nw < 3:
            return X
        a = words[2]
        if a == "unnumbered":
            if nw >= 5 and words[3] == "interface":
                rec.unnumbered = self.d.normalize_interface("".join(words[4:]))
                return U
            return X
        if a in ("dhcp-alloc", "ppp-negotiate", "bootp-alloc", "auto"):
            # address learnt at run time: no address to record, but a DHCP client or a PPP
            # dialer is broadband evidence (an exit when it also routes or NATs out)
            rec.address_mode = "ppp" if a == "ppp-negotiate" else ("dhcp" if a != "auto" else "")
            return U
        if nw < 4:
            self.issue(n, "ip address", "bad-address", f"address {a!r} without a mask", s,
                       "ip address A.B.C.D MASK|LEN [sub]")
            return U
        secondary = False
        if nw > 4:
            if nw == 5 and words[4] == "sub":
                secondary = True
            else:
                return X
        try:
            addr = _address_t(a, words[3])
        except ValueError as e:
            self.issue(n, "ip address", "bad-address", str(e), f"{a} {words[3]}",
                       "IPv4 address and netmask or prefix length, e.g. 10.1.1.1 255.255.255.0")
            return U
        rec.add_address(addr, secondary, f"line {n}")
        return U

    def if_ipv6(self, words, s, n):
        w1 = words[1] if len(words) > 1 else ""
        if w1 != "address":
            return I if (w1 in IF_IPV6_IGNORE or not w1) else X
        nw = len(words)
        if nw < 3:
            return X
        a = words[2]
        if a == "auto" or a in ("dhcp-alloc",):
            return U  # auto link-local / autoconfig: nothing fixed to record
        if "/" in a:
            ip, plen = a.split("/", 1)
            extra = words[3:]
        elif nw >= 4 and words[3].isdigit():
            ip, plen = a, words[3]
            extra = words[4:]
        elif nw >= 4 and words[3] == "link-local":
            return U  # explicit link-local: not a routed address
        else:
            self.issue(n, "ipv6 address", "bad-address", f"IPv6 address {a!r} without a prefix length", s,
                       "ipv6 address X:X::X/LEN")
            return U
        eui = False
        for w in extra:
            if w in ("eui-64", "eui64"):
                eui = True
            elif w not in ("anycast", "cga"):
                return X
        try:
            addr = make_address(ip, plen)
        except ValueError as e:
            self.issue(n, "ipv6 address", "bad-address", str(e), a, "ipv6 address X:X::X/LEN")
            return U
        if eui:
            # the host part comes from the MAC: record the prefix only, with no host address
            addr = dict(addr, address=addr["subnet"], ip="")
        self.cur_if.add_address((addr["address"], addr["ip"], addr["prefixlen"], addr["subnet"], addr["family"]),
                                False, line_loc(n))
        return U

    def if_nat(self, words, s, n):
        w1 = words[1] if len(words) > 1 else ""
        rec = self.cur_if
        if w1 == "outbound":
            return self.nat_outbound(words, n, rec)
        if w1 == "server":
            st = self.nat_server(words, n, rec.name)
            if st == U:
                rec.roles = rec.roles | {"server"}
            return st
        if w1 == "static":
            if len(words) == 3 and words[2] == "enable":  # Comware: apply global static mappings here
                rec.roles = rec.roles | {"static"}
                return U
            st = self.nat_static(words, n, rec.name)
            if st == U:
                rec.roles = rec.roles | {"static"}
            return st
        if w1 in IF_NAT_IGNORE:
            return I
        return X

    def _vlan_after(self, words, start):
        for w in words[start:]:
            if w.isdigit():
                v = int(w)
                if 0 < v < 4095:
                    self.cur_if.vlan = v
                    return U
                return X
        return X

    def if_dot1q(self, words, s, n):
        # VRP: dot1q termination vid 100 [to 200]
        if len(words) >= 4 and words[1] == "termination" and words[2] == "vid":
            return self._vlan_after(words, 3)
        return X

    def if_vlan_type(self, words, s, n):
        # VRP: vlan-type dot1q 100 [default]; Comware: vlan-type dot1q vid 100 [second-dot1q 20]
        if len(words) >= 3 and words[1] == "dot1q":
            return self._vlan_after(words, 2)
        return X

    def if_qinq(self, words, s, n):
        if len(words) >= 5 and words[1] == "termination" and words[2] == "pe-vid":
            return self._vlan_after(words, 3)
        return I

    def if_eth_trunk(self, words, s, n):
        # VRP member port: "eth-trunk 1"
        if len(words) >= 2 and words[1].isdigit():
            self.cur_if.parent = "Eth-Trunk" + words[1]
            return U
        return X

    def if_port(self, words, s, n):
        w1 = words[1] if len(words) > 1 else ""
        rec = self.cur_if
        if w1 == "link-mode" and len(words) == 3:
            rec.route_mode = words[2] == "route"
            return U
        if w1 == "link-aggregation" and len(words) >= 4 and words[2] == "group" and words[3].isdigit():
            agg = "Route-Aggregation" if rec.route_mode else self.d.member_aggregate
            rec.parent = agg + words[3]
            return U
        return I if w1 else X

    # -- NAT --------------------------------------------------------------
    def nat_outbound(self, words, n, rec):
        # nat outbound [ACL] [address-group N] [no-pat] | [interface X]
        acl = pool = ""
        outside = rec.name if rec is not None else ""
        i, nw = 2, len(words)
        vrf = ""
        while i < nw:
            w = words[i]
            if w == "address-group" and i + 1 < nw:
                pool = words[i + 1]
                i += 2
            elif w == "interface" and i + 1 < nw:
                outside = self.d.normalize_interface(words[i + 1])
                i += 2
            elif w == "vpn-instance" and i + 1 < nw:
                vrf = words[i + 1]
                i += 2
            elif w.isdigit() and not acl and i == 2:
                acl = w
                i += 1
            elif w == "acl" and i + 1 < nw:
                acl = words[i + 1]
                i += 2
            else:
                i += 1  # no-pat, port-preserved, track ...: modifiers we do not model
        row = {"kind": "outbound", "interface": rec.name if rec is not None else "",
               "inside": f"acl {acl}" if acl else "any", "outside": outside, "protocol": "",
               "inside_port": "", "outside_port": "", "vrf": vrf, "location": line_loc(n)}
        self.nat_rows.append((row, pool))
        if rec is not None:
            rec.roles = rec.roles | {"outbound"}
        return U

    def nat_server(self, words, n, ifname):
        # nat server [id N|name X] [protocol P] global A [P..] inside B [Q..] [vpn-instance V] ...
        try:
            gi = words.index("global")
            ii = words.index("inside")
        except ValueError:
            return X
        if ii < gi + 2 or ii + 1 >= len(words):
            return X
        proto = ""
        if "protocol" in words:
            pi = words.index("protocol")
            if pi + 1 < len(words):
                proto = words[pi + 1]
        glob = words[gi + 1:ii]
        if glob[0] == "current-interface":
            outside, gports = ifname, glob[1:]
        elif glob[0] == "interface" and len(glob) > 1:
            outside, gports = self.d.normalize_interface(glob[1]), glob[2:]
        else:
            outside, gports = glob[0], glob[1:]
        stop = ("vpn-instance", "rule", "acl", "reversible", "description", "counting", "no-reverse",
                "unr-route", "track", "vrrp", "zone")
        tail = words[ii + 1:]
        inside = tail[0]
        iports, vrf = [], ""
        for j, w in enumerate(tail[1:], 1):
            if w in stop:
                if w == "vpn-instance" and j + 1 < len(tail):
                    vrf = tail[j + 1]
                break
            iports.append(w)
        if (_is_addr_like(outside) and not _is_v4(outside) and ":" not in outside) or \
                (_is_addr_like(inside) and not _is_v4(inside) and ":" not in inside):
            self.issue(n, "nat server", "bad-address", f"bad address in {' '.join(words[gi:ii + 2])!r}",
                       " ".join(words), "nat server protocol tcp global A P inside B Q")
            return U
        row = {"kind": "server", "interface": ifname, "inside": inside, "outside": outside,
               "protocol": proto, "inside_port": " ".join(iports), "outside_port": " ".join(gports),
               "vrf": vrf, "location": line_loc(n)}
        self.r.nat.append(row)
        return U

    def nat_static(self, words, n, ifname):
        nw = len(words)
        vrf = ""
        if "vpn-instance" in words:
            vi = words.index("vpn-instance")
            if vi + 1 < nw:
                vrf = words[vi + 1]
        if "global" in words and "inside" in words:   # VRP: nat static global A inside B
            gi, ii = words.index("global"), words.index("inside")
            if gi + 1 >= nw or ii + 1 >= nw:
                return X
            outside, inside = words[gi + 1], words[ii + 1]
        elif nw >= 5 and words[2] in ("outbound", "inbound"):  # Comware: nat static outbound LOCAL GLOBAL
            inside, outside = words[3], words[4]
            if words[2] == "inbound":
                inside, outside = outside, inside
        else:
            return X
        if not (_is_v4(inside) or ":" in inside) or not (_is_v4(outside) or ":" in outside):
            self.issue(n, "nat static", "bad-address", f"bad address in {' '.join(words)!r}", " ".join(words),
                       "nat static global A.B.C.D inside A.B.C.D")
            return U
        self.r.nat.append({"kind": "static", "interface": ifname, "inside": inside, "outside": outside,
                           "protocol": "", "inside_port": "", "outside_port": "", "vrf": vrf,
                           "location": line_loc(n)})
        return U

    def top_nat(self, words, s, n, indent):
        w1 = words[1] if len(words) > 1 else ""
        if w1 == "address-group" and len(words) >= 3:
            self.cur_pool = words[2]
            if len(words) >= 5 and _is_v4(words[3]) and _is_v4(words[4]):  # VRP: nat address-group 1 A B
                self.pools[words[2]] = f"{words[3]}-{words[4]}"
            self.block = _NATPOOL
            return U
        if w1 == "server":
            return self.nat_server(words, n, "")
        if w1 == "static":
            return self.nat_static(words, n, "")
        if w1 == "outbound":
            return self.nat_outbound(words, n, None)
        if w1 in TOP_NAT_IGNORE:
            self.block = _IGN
            return I
        return X

    def in_natpool(self, words, s, n, indent):
        w0 = words[0]
        if w0 == "address" and len(words) >= 3:          # Comware: address A B
            a, b = words[1], words[2]
        elif w0 == "section" and len(words) >= 4:        # VRP/USG: section 0 A B
            a, b = words[2], words[3]
        elif w0 in NATPOOL_IGNORE:
            return I
        else:
            return X
        if not (_is_v4(a) and _is_v4(b)):
            self.issue(n, "nat address-group", "bad-address", f"bad pool range {a}-{b}", f"{a} {b}",
                       "two IPv4 addresses")
            return U
        prev = self.pools.get(self.cur_pool)
        self.pools[self.cur_pool] = f"{prev} {a}-{b}" if prev else f"{a}-{b}"
        return U

    def top_nat_policy(self, words, s, n, indent):
        # USG firewalls: policy-based source NAT
        if len(words) != 1:
            return X
        self.cur_rule = None
        self.block = _NATPOLICY
        return U

    def in_nat_policy(self, words, s, n, indent):
        w0 = words[0]
        nw = len(words)
        if w0 == "rule" and nw >= 3 and words[1] == "name":
            self.cur_rule = {"name": words[2], "egress": "", "sources": [], "action": "",
                             "location": line_loc(n)}
            self.nat_rules.append(self.cur_rule)
            return U
        rule = self.cur_rule
        if rule is None:
            return X
        if w0 == "egress-interface" and nw == 2:
            rule["egress"] = self.d.normalize_interface(words[1])
            return U
        if w0 == "source-address" and nw >= 2:
            if nw == 4 and words[2] == "mask":
                src = f"{words[1]}/{words[3]}"
                try:
                    src = make_address(words[1], words[3])["subnet"]
                except ValueError as e:
                    self.issue(n, "source-address", "bad-address", str(e), src, "A.B.C.D mask A.B.C.D")
                    return U
            elif nw == 3 and words[2].isdigit():
                try:
                    src = make_address(words[1], words[2])["subnet"]
                except ValueError as e:
                    self.issue(n, "source-address", "bad-address", str(e), f"{words[1]} {words[2]}",
                               "A.B.C.D LEN")
                    return U
            elif nw == 4 and words[1] == "range":
                src = f"{words[2]}-{words[3]}"
            elif nw == 3 and words[1] == "address-set":
                src = f"address-set {words[2]}"
            else:
                return X
            rule["sources"].append(src)
            return U
        if w0 == "action" and nw >= 2:
            if words[1] == "source-nat" and nw >= 3:
                if words[2] == "easy-ip":
                    rule["action"] = "easy-ip"
                elif words[2] == "address-group" and nw >= 4:
                    rule["action"] = words[3]
                else:
                    return X
                return U
            if words[1] in ("no-nat", "destination-nat", "nat"):
                return I  # no source translation / inbound mapping: not an outbound NAT
            return X
        if w0 in NATPOLICY_IGNORE:
            return I
        return X

    # -- VRFs -------------------------------------------------------------
    def top_ip(self, words, s, n, indent):
        w1 = words[1] if len(words) > 1 else ""
        if w1 == "vpn-instance":
            if len(words) != 3:
                return X
            name = words[2]
            v = self.vrfs.get(name)
            if v is None:
                v = {"vrf": name, "rd": "", "import": [], "export": [], "description": "",
                     "location": line_loc(n)}
                self.vrfs[name] = v
            self.cur_vrf = v
            self.block = _VPN
            return U
        if w1 == "route-static":
            return self.route(words, n, 4, s)
        if w1 in TOP_IP_IGNORE:
            self.block = _IGN
            return I
        self.block = _UNK
        return X

    def in_vpn(self, words, s, n, indent):
        w0 = words[0]
        v = self.cur_vrf
        if w0 == "route-distinguisher" and len(words) == 2:
            if not v["rd"]:
                v["rd"] = words[1]
            return U
        if w0 == "vpn-target" and len(words) >= 2:
            if "evpn" in words:
                return I  # EVPN route targets are not the L3VPN import/export
            rts, mode = [], "both"
            for w in words[1:]:
                if w == "export-extcommunity":
                    mode = "export"
                elif w == "import-extcommunity":
                    mode = "import"
                elif w == "both":
                    mode = "both"
                elif ":" in w:
                    rts.append(w)
                else:
                    return X
            if not rts:
                return X
            for rt in rts:
                if mode in ("import", "both") and rt not in v["import"]:
                    v["import"].append(rt)
                if mode in ("export", "both") and rt not in v["export"]:
                    v["export"].append(rt)
            return U
        if w0 == "description":
            parts = s.split(None, 1)
            v["description"] = parts[1] if len(parts) > 1 else ""
            return U
        if w0 in VPN_IGNORE:
            return I
        return X

    # -- static routes ----------------------------------------------------
    def top_ipv6(self, words, s, n, indent):
        w1 = words[1] if len(words) > 1 else ""
        if w1 == "route-static":
            return self.route(words, n, 6, s)
        if not w1 or w1 in TOP_IPV6_IGNORE:
            self.block = _IGN
            return I
        self.block = _UNK
        return X

    def route(self, words, n, family, s):
        known = self.d.routes.get(s)          # the same statement read before: its row again
        if known is not None:
            row = known.copy()
            row["location"] = f"line {n}"
            self.r.routes.append(row)
            return U
        nw = len(words)
        i = 2
        vrf = ""
        if i < nw and words[i] == "vpn-instance":
            if i + 1 >= nw:
                return X
            vrf = words[i + 1]
            i += 2
        if i >= nw:
            return X
        p = words[i]
        if not (p[:1].isdigit() or ":" in p):
            # ip route-static default-preference / recursive-lookup / bfd ...: global knobs
            return I
        if "/" in p:
            ip, plen = p.split("/", 1)
            i += 1
        else:
            if i + 1 >= nw:
                self.issue(n, "ip route-static", "bad-address", f"prefix {p!r} without a mask",
                           " ".join(words), "ip route-static A.B.C.D MASK|LEN NEXTHOP")
                return U
            ip, plen = p, words[i + 1]
            i += 2
        try:
            prefix = _subnet(ip, plen)
        except ValueError as e:
            self.issue(n, "ip route-static" if family == 4 else "ipv6 route-static", "bad-address", str(e),
                       f"{ip} {plen}", "destination address and mask or prefix length")
            return U
        nh = intf = desc = ""
        dist = None
        kw = _ROUTE_KW.get
        while i < nw:
            w = words[i]
            k = kw(w)
            if k is not None:
                if k == 1:                      # preference N
                    if i + 1 < nw:
                        if words[i + 1].isdigit():
                            dist = int(words[i + 1])
                        i += 2
                        continue
                    # a last word "preference" is read as an interface name, below
                elif k == 2:                    # description runs to the end
                    desc = " ".join(words[i + 1:])
                    break
                elif k == 3:                    # keyword and its value
                    i += 2
                    continue
                elif k == 4:
                    # track/bfd arguments run to "description" or the end
                    i = words.index("description", i) if "description" in words[i:] else nw
                    continue
                else:                           # a flag
                    i += 1
                    continue
            try:
                _pton(_AF_INET, w)              # a dotted quad: the next hop
            except (OSError, ValueError, TypeError):
                if _is_addr_like(w):
                    if family == 4 and not _is_v4(w):
                        self.issue(n, "ip route-static", "bad-address", f"bad next hop {w!r}", w, "A.B.C.D")
                        return U
                    if not nh:
                        nh = w
                elif not intf:
                    intf = self.d.normalize_interface(w)
                i += 1
                continue
            if not nh:
                nh = w
            i += 1
        row = {"vrf": vrf, "prefix": prefix, "next_hop": nh, "interface": intf, "distance": dist,
               "description": desc}
        _admit(self.d.routes, s, row.copy(), _LINE_MAX)
        row["location"] = f"line {n}"
        self.r.routes.append(row)
        return U

    # -- BGP --------------------------------------------------------------
    def top_bgp(self, words, s, n, indent):
        if len(words) < 2:
            return X
        try:
            self.local_as = _as_number(words[1])
        except ValueError:
            self.issue(n, "bgp", "bad-value", f"bad AS number {words[1]!r}", words[1], "1..4294967295 or asdot")
            self.local_as = None
        self.bgp_vrf, self.bgp_sub_indent = "", -1
        self.block = _BGP
        return U

    def in_bgp(self, words, s, n, indent):
        if indent <= self.bgp_sub_indent:
            self.bgp_vrf, self.bgp_sub_indent = "", -1
        w0 = words[0]
        if w0 == "peer":
            return self.bgp_peer(words, s, n)
        if w0 in ("ipv4-family", "ipv6-family", "address-family", "l2vpn-family", "ip"):
            if w0 == "ip" and (len(words) != 3 or words[1] != "vpn-instance"):
                return X
            if "vpn-instance" in words:
                vi = words.index("vpn-instance")
                if vi + 1 >= len(words):
                    return X
                self.bgp_vrf, self.bgp_sub_indent = words[vi + 1], indent
            elif self.bgp_sub_indent < 0:
                self.bgp_vrf, self.bgp_sub_indent = "", indent
            return U
        if w0 == "group":
            if len(words) < 2:
                return X
            g = self.groups.setdefault(words[1], {"as": None, "internal": None})
            if len(words) >= 3:
                if words[2] in ("internal", "external"):
                    g["internal"] = words[2] == "internal"
            return U
        if w0 in BGP_IGNORE:
            return I
        return X

    def bgp_peer(self, words, s, n):
        nw = len(words)
        if nw < 3:
            return X
        who, attr = words[1], words[2]
        if attr in PEER_ATTR_IGNORE:
            return I
        is_addr = _is_addr_like(who)
        if not is_addr:
            # a peer group's attributes
            g = self.groups.setdefault(who, {"as": None, "internal": None})
            if attr == "as-number" and nw == 4:
                try:
                    g["as"] = _as_number(words[3])
                except ValueError:
                    self.issue(n, "peer as-number", "bad-value", f"bad AS number {words[3]!r}", words[3],
                               "1..4294967295 or asdot")
                return U
            if attr == "description":
                return U
            return X
        key = (self.bgp_vrf, who)
        if attr == "as-number":
            if nw != 4:
                return X
            try:
                asn = _as_number(words[3])
            except ValueError:
                self.issue(n, "peer as-number", "bad-value", f"bad AS number {words[3]!r}", words[3],
                           "1..4294967295 or asdot")
                return U
            self._peer(key, n)["as"] = asn
            return U
        if attr == "description":
            parts = s.split(None, 3)
            self._peer(key, n)["description"] = parts[3] if len(parts) > 3 else ""
            return U
        if attr == "group" and nw >= 4:
            p = self._peer(key, n)
            p["group"] = words[3]
            if nw >= 6 and words[4] == "as-number":
                try:
                    p["as"] = _as_number(words[5])
                except ValueError:
                    pass
            return U
        return X

    def _peer(self, key, n):
        p = self.peers.get(key)
        if p is None:
            p = {"as": None, "group": "", "description": "", "location": line_loc(n)}
            self.peers[key] = p
        return p

    # -- results ----------------------------------------------------------
    def finish(self):
        r = self.r
        # NAT first: nat-policy rules mark their egress interfaces before interface rows are built
        steps = []
        if self.nat_rows or self.nat_rules:
            steps.append(self._finish_nat)
        if self.ifaces:
            steps.append(self._finish_interfaces)
        if self.vrfs:
            steps.append(self._finish_vrfs)
        if self.peers:
            steps.append(self._finish_bgp)
        for step in steps:
            try:
                step()
            except Exception as e:  # pragma: no cover - defensive: never raise out of parse()
                r.issues.append({"location": "", "column": "", "severity": "error", "code": "parse-error",
                                 "message": f"{step.__name__}: {type(e).__name__}: {e}", "value": "",
                                 "expected": ""})

    def _finish_interfaces(self):
        add = self.r.interfaces.append
        for rec in self.ifaces.values():
            roles = rec.roles
            nat = "outbound" if "outbound" in roles else ("server" if roles else "")
            if not rec.addrs:
                add({"interface": rec.name, "kind": rec.kind, "parent": rec.parent, "description": rec.description,
                     "admin_up": rec.admin_up, "vrf": rec.vrf, "unnumbered": rec.unnumbered, "nat": nat,
                     "address_mode": rec.address_mode, "gateways": rec.gateways, "vlan": rec.vlan, "address": "", "ip": "", "prefixlen": None, "subnet": "", "family": None,
                     "secondary": None, "location": rec.loc})
                continue
            for (address, ip, plen, subnet, family), sec, loc in rec.addrs:
                add({"interface": rec.name, "kind": rec.kind, "parent": rec.parent, "description": rec.description,
                     "admin_up": rec.admin_up, "vrf": rec.vrf, "unnumbered": rec.unnumbered, "nat": nat,
                     "address_mode": rec.address_mode, "gateways": rec.gateways, "vlan": rec.vlan, "address": address, "ip": ip, "prefixlen": plen, "subnet": subnet,
                     "family": family, "secondary": sec, "location": loc})

    def _finish_vrfs(self):
        for v in self.vrfs.values():
            self.r.vrfs.append({"vrf": v["vrf"], "rd": v["rd"], "import_rt": " ".join(v["import"]),
                                "export_rt": " ".join(v["export"]), "description": v["description"],
                                "location": v["location"]})

    def _finish_nat(self):
        for row, pool in self.nat_rows:
            if pool:
                row["outside"] = self.pools.get(pool, f"address-group {pool}")
            self.r.nat.append(row)
        for rule in self.nat_rules:
            action = rule["action"]
            if not action:
                continue
            intf = rule["egress"]
            if action == "easy-ip":
                outside = intf
            else:
                outside = self.pools.get(action, f"address-group {action}")
            self.r.nat.append({"kind": "outbound", "interface": intf, "inside": " ".join(rule["sources"]) or "any",
                               "outside": outside, "protocol": "", "inside_port": "", "outside_port": "",
                               "vrf": "", "location": rule["location"]})
            rec = self.ifaces.get(intf)
            if rec is not None:
                rec.roles = rec.roles | {"outbound"}

    def _finish_bgp(self):
        local = self.local_as
        for (vrf, nbr), p in self.peers.items():
            remote = p["as"]
            if remote is None and p["group"]:
                g = self.groups.get(p["group"])
                if g is not None:
                    remote = g["as"]
                    if remote is None and g["internal"]:
                        remote = local
            ebgp = None if remote is None or local is None else remote != local
            self.r.bgp.append({"vrf": vrf, "local_as": local, "neighbor": nbr, "remote_as": remote,
                               "description": p["description"], "ebgp": ebgp, "location": p["location"]})


# chunk shapes for run()'s fast paths
# after the first line: a line in column 0, a blank line or a "!" comment (which may carry a version)
_IGN_BAD = re.compile(r"\n(?![^\S\n]+[^\s!])")
# what depends on the text alone, remembered across files (each cleared when full):
# chunk text -> its line count + 1 when it holds only ignored lines, or an interface's
# plan (line count, blank lines, header words, header text, todo) where todo lists the
# sub-commands that need something: (line offset, handler | _MISSING | _HEADER, words, text)
_CHUNKS: dict = {}
_CHUNKS_MAX = 1024
_HEADER = object()          # todo: a "!" comment that may carry a version


def _remember(chunk: str, plan) -> None:
    _admit(_CHUNKS, chunk, plan, _CHUNKS_MAX)


_SEEN: set = set()          # hashes of texts met once: remembered only when met again
_SEEN_MAX = 8192


def _admit(cache: dict, key: str, value, limit: int) -> None:
    """Remember *value* for *key* the second time *key* is met (one-off lines and chunks --
    descriptions, addresses -- would only crowd out the boilerplate); clear when full."""
    h = hash(key)
    if h in _SEEN:
        if len(cache) >= limit:
            cache.clear()
        cache[key] = value
    else:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN.add(h)


def _interface_name(words) -> str | None:
    """The interface name as written in an "interface" statement, or None."""
    if len(words) < 2:
        return None
    raw = words[1]
    if len(words) >= 3 and words[2][:1].isdigit():  # "interface GigabitEthernet 0/0/1"
        raw += words[2]
    return raw


# what an interface sub-command does, as a remembered entry (kind, a, b):
K_IGNORE, K_UNREC, K_HEADER, K_SET, K_ADDR, K_NOOP, K_CALL, K_PROBE = range(8)
_K_UNREC, _K_HEADER, _K_SET, _K_ADDR, _K_NOOP = K_UNREC, K_HEADER, K_SET, K_ADDR, K_NOOP
# K_UNREC a = redacted text; K_HEADER a = text (a "!" comment with a version); K_SET a = attribute,
# b = value; K_ADDR a = (address, ip, prefixlen, subnet, family), b = secondary; K_NOOP understood,
# nothing to record; K_CALL a = handler number, b = (words, text); K_PROBE as K_CALL, for a handler
# whose effect is found (probed) when the line is met once more
_PROBED = ("if_description", "if_shutdown", "if_undo", "if_ip", "if_dot1q", "if_vlan_type", "if_qinq",
           "if_eth_trunk", "if_port", "if_ipv6")
_PROBE_INFO = ("", "", "", None)
_PROBE_SET = {"name": "", "kind": "", "parent": "", "vlan": None, "loc": ""}   # what _Iface() sets


def _if_effect(words, s: str, probe: bool) -> tuple:
    """The entry for an interface sub-command.  With *probe* (a remembered line met once more),
    what a handler does is found by running it once on a blank interface of a bare parser (no
    dialect, no result, no other state); a handler that reaches for anything else, raises an
    issue or does more than one thing is called every time."""
    h = _IFD.get(words[0], _MISSING)
    if h is None:
        return K_IGNORE, None, None
    if h is _MISSING:
        c = s[0]
        if c == "#" or c == "<" or c == "[":
            return K_IGNORE, None, None
        if c == "!":
            return (K_HEADER, s, None) if "ersion" in s else (K_IGNORE, None, None)
        return K_UNREC, redact(s), None
    words = tuple(words)
    if h.__name__ not in _PROBED:
        return K_CALL, _CODE[h], (words, s)
    if not probe:
        return K_PROBE, _CODE[h], (words, s)
    call = (K_CALL, _CODE[h], (words, s))
    bare = _Parser.__new__(_Parser)
    rec = bare.cur_if = _Iface(_PROBE_INFO, "")
    try:
        st = h(bare, words, s, 0)
    except Exception:
        return call
    if bare.__dict__.keys() != {"cur_if"}:
        return call
    changed = [(k, v) for k, v in rec.__dict__.items()
               if k not in _PROBE_SET or (k != "loc" and v != _PROBE_SET[k])]
    if not changed:
        return (K_NOOP if st == U else K_IGNORE if st == I else K_UNREC), \
            (redact(s) if st == X else None), None
    if st != U or len(changed) != 1:
        return call
    k, v = changed[0]
    if k == "addrs":
        if len(v) != 1:
            return call
        return K_ADDR, v[0][0], v[0][1]
    return K_SET, k, v


# line -> (handler or None or _MISSING, words, stripped, column): as a top-level statement;
# column 0 or 1 when the first word starts there (one space of Comware indent), else -1
_TOPLINE: dict = {}
# line -> (handler or None or _MISSING, words, stripped): as an interface sub-command
_IFLINE: dict = {}
# line -> (stripped, first character, indent, words), for the line-by-line engine
_GENLINE: dict = {}
_LINE_MAX = 4096


def _top_line(line: str) -> tuple:
    """_TOPLINE's entry for *line* (stored unless blank)."""
    words = line.split()
    if not words:
        return 0, (), "", -1
    w0 = words[0]
    c = w0[0]
    col = 0 if line[0] == c else (1 if line[0] == " " and line[1] == c else -1)
    h = _TOP.get(w0, _MISSING)
    if h is None and _discovery_line(words):
        h = _Parser.top_discovery
    e = (_CODE[h], tuple(words), line.strip(), col)
    _admit(_TOPLINE, line, e, _LINE_MAX)
    return e


# block sentinels and dispatch tables (plain functions, called with the parser as first argument)
_MISSING = object()
_IGN, _UNK = _Parser.ignore_block, _Parser.unknown_block
_IF, _BGP, _VPN = _Parser.in_interface, _Parser.in_bgp, _Parser.in_vpn
_NATPOOL, _NATPOLICY = _Parser.in_natpool, _Parser.in_nat_policy
# top-level first word -> handler, or None: a known statement whose block is ignored
_TOP = dict.fromkeys(TOP_IGNORE)
_TOP.update({
    "interface": _Parser.top_interface, "ip": _Parser.top_ip, "ipv6": _Parser.top_ipv6,
    "bgp": _Parser.top_bgp, "sysname": _Parser.top_sysname, "snmp-agent": _Parser.top_snmp,
    "nat": _Parser.top_nat, "version": _Parser.top_version, "header": _Parser.top_header,
    "nat-policy": _Parser.top_nat_policy, "return": _Parser.top_return,
})
# interface sub-command first word -> handler, or None: known and not read
_IFD = dict.fromkeys(IF_IGNORE)
_IFD.update({
    "description": _Parser.if_description, "shutdown": _Parser.if_shutdown, "undo": _Parser.if_undo,
    "ip": _Parser.if_ip, "ipv6": _Parser.if_ipv6, "nat": _Parser.if_nat, "dot1q": _Parser.if_dot1q,
    "vlan-type": _Parser.if_vlan_type, "qinq": _Parser.if_qinq, "eth-trunk": _Parser.if_eth_trunk,
    "port": _Parser.if_port, "vrrp": _Parser.if_vrrp,
})
# remembered entries name their handler by number, so that they hold atomic values only
# (the cyclic garbage collector then stops visiting them): 0 ignored, 1 missing, 2 header
_FUNCS = [None, _MISSING, _HEADER]
_FUNCS += sorted(set(h for h in list(_TOP.values()) + list(_IFD.values()) if h is not None) | {_Parser.top_discovery},
                 key=lambda f: f.__name__)
_CODE = dict((h, i) for i, h in enumerate(_FUNCS))


_DISCOVERY_FIRST = frozenset({"lldp", "undo"})


def _discovery_line(words) -> bool:
    """An ignored top-level statement that may switch LLDP on or off (a handler decides): never
    remembered as ignored, so the fact is read in every file that states it."""
    w0 = words[0]
    return w0 == "lldp" or (w0 == "undo" and len(words) > 1 and words[1] == "lldp")

def forget() -> None:
    """Drop what is remembered across files (results never depend on it; a benchmark
    that wants every run to start cold, or a long-lived process, may call this)."""
    for table in (_CHUNKS, _SEEN, _TOPLINE, _IFLINE, _GENLINE, _DETECT_MEMO):
        table.clear()
    for d in _DIALECTS:
        for table in (d._cache, d._kinds, d._info, d.routes):
            table.clear()
    _last_detect[:] = [None, (0.0, 0.0)]


def parse_text(text, dialect: Dialect) -> ParseResult:
    """Parse one VRP/Comware configuration; never raises."""
    if isinstance(text, (bytes, bytearray)):
        from .base import decode
        text = decode(bytes(text))[0]
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    p = _Parser(dialect)
    try:
        return p.run(text)
    except Exception as e:  # pragma: no cover - the per-line guard should make this unreachable
        r = p.r
        r.issues.append({"location": "", "column": "", "severity": "error", "code": "parse-error",
                         "message": f"{type(e).__name__}: {e}", "value": "", "expected": ""})
        # keep the counts honest: whatever was not accounted for is unrecognized
        missing = r.lines - r.understood - r.ignored - len(r.unrecognized)
        r.unrecognized.extend((0, "") for _ in range(max(missing, 0)))
        return r


# ---------------------------------------------------------------------------
# Detection: one regex pass over the statements at the head and tail of the
# text, plus a few substrings near the top; no parsing
# ---------------------------------------------------------------------------
# Scores add up features of the VRP/Comware family (capped) and features one
# sibling prints and the other does not (capped), minus half the sibling's.
FAMILY_CAP = 0.45
SPECIFIC_CAP = 0.55
F, V, C = 0, 1, 2           # family, VRP, Comware

# a statement's opening words (at any indent unless a set of indents is given)
# -> features: (name, group, weight, indents or None)
LINE_FEATURES = {
    "sysname ": [("sysname", F, 0.12, None), ("indented sysname", C, 0.15, {1})],
    "return": [("return", F, 0.06, {0})],
    "ip route-static ": [("route-static", F, 0.05, None), ("route-static col 0", V, 0.05, {0}),
                         ("indented route-static", C, 0.1, {1})],
    "ip vpn-instance ": [("vpn-instance", F, 0.05, None)],
    "ip binding vpn-instance ": [("vpn-instance", F, 0.05, None)],
    "ipv4-family vpn-instance ": [("vpn-instance", F, 0.05, None), ("ipv4-family", V, 0.1, None)],
    "undo ": [("undo", F, 0.05, None)],
    "undo shutdown": [("undo", F, 0.05, None), ("undo shutdown", V, 0.05, None)],
    # VRP
    "ipv4-family": [("ipv4-family", V, 0.1, None)],
    "user-interface ": [("user-interface", V, 0.1, None)],
    "stelnet ": [("stelnet", V, 0.05, None)],
    "vlan batch ": [("vlan batch", V, 0.1, None)],
    "acl name ": [("acl name", V, 0.1, None)],
    "dot1q termination ": [("dot1q termination", V, 0.1, None)],
    "firewall zone ": [("firewall zone", V, 0.15, None)],
    "nat-policy": [("nat-policy", V, 0.1, None)],
    "service-manage ": [("service-manage", V, 0.1, None)],
    # Comware
    "version 7.": [("version 7", C, 0.25, {0, 1})],
    "version 5.": [("version 5", C, 0.25, {0, 1})],
    "irf ": [("irf", C, 0.1, None)],
    "irf-port": [("irf-port", C, 0.1, None)],
    "port link-mode ": [("port link-mode", C, 0.1, None)],
    "user-role ": [("user-role", C, 0.1, None)],
    "authorization-attribute user-role ": [("user-role", C, 0.1, None)],
    "header motd": [("header motd", C, 0.1, None)],
    "address-family ipv4": [("address-family ipv4", C, 0.1, None)],
    "acl advanced ": [("acl advanced", C, 0.1, None)],
    "acl basic ": [("acl basic", C, 0.1, None)],
    "line vty ": [("line vty", C, 0.05, None)],
    "line class ": [("line class", C, 0.05, None)],
    "vlan-type dot1q vid ": [("vlan-type dot1q vid", C, 0.1, None)],
    "link-aggregation group ": [("link-aggregation group", C, 0.05, None)],
    "port link-aggregation group ": [("link-aggregation group", C, 0.05, None)],
    "security-zone name ": [("security-zone name", C, 0.15, None)],
    "object-policy ": [("object-policy", C, 0.1, None)],
}
# "interface X": X's type (VRP AR/S ports and tunnels numbered slot/0/port keep their "0/0/")
IFACE_FEATURES = {
    "LoopBack": [("LoopBack", F, 0.03)], "NULL": [("NULL0", F, 0.02)],
    "Vlanif": [("Vlanif", V, 0.15)], "Eth-Trunk": [("Eth-Trunk", V, 0.15)],
    "XGigabitEthernet": [("XGigabitEthernet", V, 0.1)], "MEth": [("MEth", V, 0.1)],
    "Vbdif": [("Vbdif", V, 0.1)], "100GE": [("100GE", V, 0.1)], "10GE": [("10GE", V, 0.1)],
    "25GE": [("25GE", V, 0.1)], "GigabitEthernet0/0/": [("GigabitEthernet0/0/", V, 0.05)],
    "Tunnel0/0/": [("Tunnel0/0/", V, 0.05)],
    "Vlan-interface": [("Vlan-interface", C, 0.2)], "Bridge-Aggregation": [("Bridge-Aggregation", C, 0.2)],
    "Route-Aggregation": [("Route-Aggregation", C, 0.15)],
    "Ten-GigabitEthernet": [("Ten-GigabitEthernet", C, 0.15)],
    "M-GigabitEthernet": [("M-GigabitEthernet", C, 0.1)], "FortyGigE": [("FortyGigE", C, 0.1)],
    "HundredGigE": [("HundredGigE", C, 0.1)],
}
# substrings near the top: banners and version lines in the first DETECT_TOP characters,
# local-user secrets within DETECT_HEAD
TOP_FEATURES = (
    ("HUAWEI", V, 0.3), ("Huawei Versatile Routing Platform", V, 0.3),
    ("display current-configuration", V, 0.1), ("!Software Version V", V, 0.3),
    ("H3C", C, 0.3), ("Comware", C, 0.3),
)
HEAD_FEATURES = (("irreversible-cipher", V, 0.05), ("%^%#", V, 0.1), ("%$%$", V, 0.1),
                 (" class manage", C, 0.05))
# family markers also looked for in the whole text once the window shows the family's shape
# (separator and sysname), so that a plain VRP/Comware config still reaches the cap
FAMILY_ANYWHERE = (("undo ", "undo", 0.05), ("vpn-instance", "vpn-instance", 0.05),
                   ("ip route-static", "route-static", 0.05), ("LoopBack", "LoopBack", 0.03),
                   ("NULL0", "NULL0", 0.02))
FAMILY_RESCAN = 0.24
DETECT_TOP = 512
DETECT_HEAD = 1024              # statements read at the start of the text ...
DETECT_TAIL = 512               # ... and at its end (return, user-interface / line vty)


def _trie(words) -> str:
    """A regex alternation of literal *words* as a trie: one test per branch head at each line."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if "" in node:
            return "(?:" + "|".join(alts) + ")?" if alts else ""
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return emit(tree)


def _line_keys() -> dict:
    """Statements in column 0 or indented by one space (deeper ones are sub-sub-commands):
    the opening words as written (one leading space for indented ones) -> features."""
    # (a function, not a module-level loop: see setup.py on comprehensions in module-level code)
    keys = {}
    for kw, feats in LINE_FEATURES.items():
        for indent in (0, 1):
            fl = [(name, group, w) for name, group, w, indents in feats if indents is None or indent in indents]
            if fl:
                keys[" " * indent + kw] = fl
    return keys


_LINE_KEYS = _line_keys()
_DETECT_LINE = re.compile(r"\n(interface +[0-9]*[A-Za-z][A-Za-z-]*(?:0/0/)?|" + _trie(_LINE_KEYS) + ")")
_DETECT_MEMO: dict = {}            # statements found in a window -> their features
_last_detect = [None, (0.0, 0.0)]   # the last text scored and its (vrp, comware) scores


def detect_scores(text) -> tuple:
    """(VRP confidence, Comware confidence) for *text*, each 0..1; the last text's are kept.

    Reads the statements of the first DETECT_HEAD and last DETECT_TAIL characters
    (configs name their version, host, first interfaces and ACLs near the top,
    return and the terminal lines at the bottom) and a few substrings near the
    top; cost does not grow with the file.
    """
    if text is _last_detect[0]:
        return _last_detect[1]
    if not isinstance(text, str) or not text:
        return 0.0, 0.0
    n = len(text)
    if n <= DETECT_HEAD + DETECT_TAIL:
        win = "\n" + text + "\n"
    else:   # whole lines only
        head = text.rfind("\n", 0, DETECT_HEAD)
        tail = text.find("\n", n - DETECT_TAIL)
        win = "\n" + text[:head] + text[tail:] + "\n"
    found = frozenset(_DETECT_LINE.findall(win))
    memo = _DETECT_MEMO.get(found)     # configs from one template open the same statements
    if memo is None:
        hits = {}
        for s in found:
            feats = _LINE_KEYS.get(s)
            if feats is None:      # "interface TYPE"
                feats = IFACE_FEATURES.get(s[10:].lstrip(), ())
            for name, group, w in feats:
                hits[name] = (group, w)
        sums = [0.0, 0.0, 0.0]
        for group, w in hits.values():
            sums[group] += w
        memo = (frozenset(hits), sums)
        if len(_DETECT_MEMO) >= 4096:
            _DETECT_MEMO.clear()
        _DETECT_MEMO[found] = memo
    names, sums = memo
    sums = sums.copy()
    # substrings (their names are none of the statements' features)
    if "\n#\n" in win:
        sums[F] += 0.12
    top = text[:DETECT_TOP]
    for m, group, w in TOP_FEATURES:
        if m in top:
            sums[group] += w
    head = text[:DETECT_HEAD]
    for m, group, w in HEAD_FEATURES:
        if m in head:
            sums[group] += w
    fam = sums[F]
    if text.startswith("#\n") or text.startswith("sysname "):
        fam += 0.06
    if FAMILY_RESCAN <= fam < FAMILY_CAP:
        # the family's shape is there: what the middle of the text adds, until the cap
        for m, name, w in FAMILY_ANYWHERE:
            if name not in names and m in text:
                fam += w
                if fam >= FAMILY_CAP:
                    break
    fam = min(fam, FAMILY_CAP)
    vrp, cw = min(sums[V], SPECIFIC_CAP), min(sums[C], SPECIFIC_CAP)
    if fam < 0.1:
        # without the family's shape, stray words ("to HUAWEI core") must not win
        out = (round(max(0.0, min(1.0, fam + min(vrp, 0.15) - 0.5 * cw)), 3),
               round(max(0.0, min(1.0, fam + min(cw, 0.15) - 0.5 * vrp)), 3))
    else:
        out = (round(max(0.0, min(1.0, fam + vrp - 0.5 * cw)), 3),
               round(max(0.0, min(1.0, fam + cw - 0.5 * vrp)), 3))
    _last_detect[:] = [text, out]
    return out


