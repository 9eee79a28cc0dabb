"""The inventory contract: every table of one scan, declared once.

Each table has ordered columns (name, dtype, one-line description) and a key.
Collectors produce plain row dicts; :func:`frame` turns them into a typed
DataFrame and :func:`validate` checks a frame against its declaration.

dtypes: ``str`` (missing = ""), ``int`` (nullable Int64: bounded fields only, such as
prefix lengths, VLAN ids and AS numbers, checked by the collectors), ``count`` (Python
ints in an object column, missing = None: address counts, which an IPv6 range takes past
2**63), ``float`` (float64, missing = NaN), ``bool`` (nullable boolean).  Every row carries provenance:
``source`` (file relative to the inventory, or a host) and ``location``
(``line 12``, ``sheet 出口!row 7``, ``manifest``...).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd

__all__ = [
    "Column", "Table", "TABLES", "NETWORK_KINDS", "SEVERITIES", "ATTRIBUTIONS",
    "frame", "empty", "validate", "columns",
]

NETWORK_KINDS = (
    "extranet_admin", "extranet_public", "extranet_vpn", "intranet",
    "gov_private", "business_private", "internet", "lan",
    "unknown",   # a sheet's network type nobody's vocabulary knows: kept, flagged for review
)
SEVERITIES = ("error", "warning", "info")
# how a row got its department/district/network: the manifest, the sheet row
# itself, containment in a prefix the manifest attributes, or nothing yet.
ATTRIBUTIONS = ("manifest", "sheet", "containment", "config", "")

PANDAS_DTYPES = {"str": "str", "int": "Int64", "count": "object", "float": "float64", "bool": "boolean"}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    description: str
    choices: tuple = ()


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: tuple
    columns: tuple = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, dtype, description, choices=()):
    return Column(name, dtype, description, tuple(choices))


PROVENANCE = (
    _c("source", "str", "file (relative to the inventory directory) or host the row came from"),
    _c("location", "str", "where in the source: 'line N', 'SHEET!row N', 'manifest', 'getter NAME'"),
)
ATTRIBUTION = (
    _c("attributed_by", "str", "what attributed department/district/network: manifest, sheet, containment, config or ''",
       ATTRIBUTIONS),
)

_TABLES = [
    Table("units", "Administrative units named by the manifest: city, districts, towns/streets, departments.",
          ("unit",), (
              _c("unit", "str", "stable id: district/town/department name path, e.g. '薛城区/临城街道'"),
              _c("name", "str", "name as written in the manifest"),
              _c("level", "str", "city, district, town or department", ("city", "district", "town", "department")),
              _c("code", "str", "administrative division code where known (370403)"),
              _c("district", "str", "district the unit belongs to ('' for city-level)"),
              _c("connected", "bool", "manifest says the unit is attached to the extranet (NA = unknown)"),
              _c("aliases", "str", "other spellings of the name seen in sheets, separated by '|'"),
          ) + PROVENANCE),
    Table("devices", "One row per network device found in configs, live collection or sheets.",
          ("device",), (
              _c("device", "str", "hostname as configured (sysname / hostname / host-name)"),
              _c("vendor", "str", "huawei, h3c, cisco, juniper, arista, or ''"),
              _c("platform", "str", "parser that read it: vrp, comware, ios, iosxr, nxos, junos, eos, sheet, live"),
              _c("model", "str", "hardware model where stated"),
              _c("os_version", "str", "software version where stated"),
              _c("serial", "str", "chassis serial number where stated (IOS 'license udi ... sn', RANCID "
                                  "'!Processor ID:' / '# Chassis' header, live get_facts)"),
              _c("lldp", "bool", "LLDP switched on (True) or off (False) device-wide by the config (lldp run, "
                                 "lldp enable, lldp global enable, protocols lldp); blank: not stated, the "
                                 "platform default applies"),
              _c("cdp", "bool", "CDP switched on or off device-wide by the config (cdp run / no cdp run; XR cdp); "
                                "blank: not stated"),
              _c("site", "str", "site / snmp location as configured (snmp-agent sys-info location, snmp-server location)"),
              _c("department", "str", "owning department"),
              _c("district", "str", "district"),
              _c("town", "str", "town/street"),
              _c("network", "str", "named network (networks.network) the device belongs to"),
              _c("role", "str", "role from the manifest (core, pe, ce, access, firewall...)"),
              _c("model_source", "str", "where model came from: config, live, or the sheet row (SOURCE LOCATION) "
                                        "when the config does not say"),
              _c("declared_by", "str", "the 设备-sheet row declaring the device (SOURCE LOCATION), '' = not declared"),
              _c("declared_model", "str", "the model that row declares ('' = none)"),
              _c("confidence", "float", "platform detection confidence 0..1"),
          ) + ATTRIBUTION + PROVENANCE),
    Table("interfaces", "One row per interface address (an interface without an address has one row with empty ip).",
          ("device", "interface", "address"), (
              _c("device", "str", "devices.device"),
              _c("interface", "str", "normalized full interface name (GigabitEthernet0/0/1, Vlanif10, ge-0/0/0.0)"),
              _c("kind", "str", "physical, subinterface, vlan, loopback, aggregate, tunnel, management, other"),
              _c("parent", "str", "parent interface of a subinterface / member's aggregate"),
              _c("description", "str", "interface description"),
              _c("admin_up", "bool", "False when shutdown / disable"),
              _c("address", "str", "address with prefix length as configured, e.g. 10.1.1.1/24"),
              _c("ip", "str", "host address without length"),
              _c("prefixlen", "int", "prefix length"),
              _c("subnet", "str", "network in CIDR form, e.g. 10.1.1.0/24"),
              _c("family", "int", "4 or 6"),
              _c("secondary", "bool", "secondary / sub address"),
              _c("vrf", "str", "VRF / vpn-instance / routing-instance; '' = global table"),
              _c("unnumbered", "str", "interface it borrows its address from (the row's address is the borrowed one "
                                      "where the platform says it: EOS, NX-OS)"),
              _c("gateways", "str", "first-hop virtual addresses held on the interface, space separated: HSRP/VRRP "
                                    "virtual IPs, EOS ip virtual-router address, anycast gateways (EOS ip address "
                                    "virtual, NX-OS fabric forwarding mode anycast-gateway)"),
              _c("nat", "str", "NAT role: inside, outside, outbound, server or ''"),
              _c("address_mode", "str", "address learnt at run time: dhcp (DHCP client: ip address dhcp / "
                                        "dhcp-alloc, family inet dhcp) or ppp (ppp-negotiate, negotiated, "
                                        "negotiate-address); '' = configured or none", ("dhcp", "ppp", "")),
              _c("vlan", "int", "dot1q / VLAN id where stated"),
          ) + PROVENANCE),
    Table("vrfs", "VRFs / vpn-instances / routing-instances per device.",
          ("device", "vrf"), (
              _c("device", "str", "devices.device"),
              _c("vrf", "str", "VRF name"),
              _c("rd", "str", "route distinguisher"),
              _c("import_rt", "str", "import route targets, space separated"),
              _c("export_rt", "str", "export route targets, space separated"),
              _c("description", "str", "description"),
          ) + PROVENANCE),
    Table("routes", "Static routes (including defaults) per device and VRF.",
          ("device", "vrf", "prefix", "next_hop", "interface"), (
              _c("device", "str", "devices.device"),
              _c("vrf", "str", "VRF; '' = global"),
              _c("prefix", "str", "destination in CIDR form (0.0.0.0/0 = default)"),
              _c("next_hop", "str", "next-hop address, '' if interface-only"),
              _c("interface", "str", "outgoing interface, '' if not stated"),
              _c("distance", "int", "preference / administrative distance"),
              _c("description", "str", "route description / name"),
          ) + PROVENANCE),
    Table("nat", "NAT statements: outbound/inside-source, server/static mappings.",
          ("device", "kind", "interface", "inside", "outside", "protocol", "inside_port", "outside_port"), (
              _c("device", "str", "devices.device"),
              _c("kind", "str", "outbound, server, static, inside_source", ("outbound", "server", "static", "inside_source")),
              _c("interface", "str", "interface the statement applies to, if any"),
              _c("inside", "str", "inside (private) address, ACL or pool"),
              _c("outside", "str", "outside (public) address, pool or interface"),
              _c("protocol", "str", "tcp, udp or ''"),
              _c("inside_port", "str", "inside port"),
              _c("outside_port", "str", "outside (global) port"),
              _c("vrf", "str", "VRF of the inside side"),
          ) + PROVENANCE),
    Table("bgp", "BGP neighbors per device and VRF.",
          ("device", "vrf", "neighbor"), (
              _c("device", "str", "devices.device"),
              _c("vrf", "str", "VRF; '' = global"),
              _c("local_as", "int", "local AS number"),
              _c("neighbor", "str", "neighbor address or group"),
              _c("remote_as", "int", "remote AS number"),
              _c("description", "str", "neighbor description"),
              _c("ebgp", "bool", "remote AS differs from local AS"),
          ) + PROVENANCE),
    Table("networks", "Named networks: the extranet domains, private networks, LANs and internet connections.",
          ("network",), (
              _c("network", "str", "stable id of the network (from the manifest, or derived from a sheet row)"),
              _c("name", "str", "name as written"),
              _c("kind", "str", "class per DOMAIN.md", NETWORK_KINDS),
              _c("department", "str", "owning department"),
              _c("district", "str", "district"),
              _c("town", "str", "town/street"),
              _c("carrier", "str", "canonical carrier of the line, if any"),
              _c("purpose", "str", "what it is used for (OA, 公文, 网站, 视频会议...)"),
              _c("classified", "bool", "classified (涉密)"),
              _c("vertical_ministry", "str", "ministry mandating a national vertical network, '' if none"),
              _c("on_extranet", "bool", "the vertical network already rides the extranet dedicated zone"),
              _c("public_facing", "bool", "serves citizens or companies and needs internet reachability"),
              _c("built_by_upper", "bool", "built by the province or a ministry (统一建设, 统建); blank: not stated"),
              _c("evidence", "str", "where the facts were read: 'COLUMN: words' per fact, separated by ' | '"),
              _c("access_device", "str", "access / connected device as the sheet names it (接入设备, 连接设备)"),
              _c("model", "str", "device model from the sheet (设备型号), vendor word removed: AR2240"),
              _c("vendor", "str", "device vendor from the sheet's model cell: Huawei, H3C, Cisco, Ruijie ..."),
              _c("tags", "str", "free tags, space separated"),
          ) + ATTRIBUTION + PROVENANCE),
    Table("prefixes", "Every address range seen: interface subnets, sheet ranges, manifest ranges.",
          ("prefix", "network", "vrf", "device", "interface", "source", "location"), (
              _c("prefix", "str", "CIDR"),
              _c("family", "int", "4 or 6"),
              _c("network", "str", "networks.network it belongs to ('' if not attributed)"),
              _c("vrf", "str", "VRF on the device ('' = global or not applicable)"),
              _c("department", "str", "department"),
              _c("district", "str", "district"),
              _c("device", "str", "device it is configured on, '' for sheet/manifest ranges"),
              _c("interface", "str", "interface it is configured on"),
              _c("origin", "str", "interface, sheet, manifest or exit", ("interface", "sheet", "manifest", "exit")),
              _c("public", "bool", "globally routable (not RFC 1918/6598, loopback, link-local, documentation is public)"),
              _c("note", "str", "normalization note, e.g. host bits set in 10.1.1.5/24"),
          ) + ATTRIBUTION + PROVENANCE),
    Table("neighbors", "LLDP/CDP neighbours as a device states them (config or live getter).",
          ("device", "interface", "neighbor", "neighbor_interface"), (
              _c("device", "str", "devices.device"),
              _c("interface", "str", "local interface"),
              _c("neighbor", "str", "neighbour's system name"),
              _c("neighbor_interface", "str", "neighbour's interface (port id)"),
              _c("protocol", "str", "lldp or cdp"),
          ) + PROVENANCE),
    Table("links", "Links between devices/networks, each with its evidence.",
          ("a_device", "a_interface", "b_device", "b_interface"), (
              _c("a_device", "str", "one end: device"),
              _c("a_interface", "str", "one end: interface"),
              _c("b_device", "str", "other end: device"),
              _c("b_interface", "str", "other end: interface"),
              _c("subnet", "str", "shared subnet, if inferred from addresses"),
              _c("evidence", "str", "subnet, unnumbered, description, lldp, cdp, sheet, manifest, extranet-plan, "
                                    "department"),
              _c("status", "str", "link: the evidence says the two ends meet; candidate: they share a subnet but "
                                  "a side's department or network is unknown (shown and counted apart)",
                 ("link", "candidate", "")),
          ) + PROVENANCE),
    Table("exits", "Internet connections (exits), from sheets and from config evidence.",
          ("exit",), (
              _c("exit", "str", "stable id"),
              _c("origin", "str", "sheet or config", ("sheet", "config")),
              _c("department", "str", "department"),
              _c("district", "str", "district"),
              _c("town", "str", "town/street"),
              _c("access_type", "str", "access type enum (fiber_dia, dark_fiber, mstp, mpls_vpn, vpn, l2tp, adsl, ftth, mobile, other)"),
              _c("device", "str", "access device hostname or as written in the sheet"),
              _c("model", "str", "access device model"),
              _c("vendor", "str", "access device vendor from the sheet's model cell (Huawei, H3C ...)"),
              _c("interface", "str", "exit interface (configs)"),
              _c("public_range", "str", "public addresses, CIDRs separated by spaces"),
              _c("public_ips", "count", "number of public addresses (an IPv6 range counts 2**64 and more)"),
              _c("carrier", "str", "canonical carrier, or the name as written when unknown"),
              _c("carrier_known", "bool", "carrier matched rules/carriers.yaml"),
              _c("bandwidth_mbps", "float", "bandwidth in Mbps"),
              _c("fee_yuan_year", "float", "annual fee in yuan"),
              _c("contract_end", "str", "contract end date YYYY-MM-DD"),
              _c("mandated_by", "str", "ministry mandating the exit, '' if none"),
              _c("services", "str", "services published through it"),
              _c("peak_util", "float", "peak utilisation 0..1"),
              _c("address_mode", "str", "static (a range written or configured) or dynamic (动态地址, DHCP, 拨号, "
                                        "PPPoE, a DHCP client or dialer interface)", ("static", "dynamic", "")),
              _c("public_facing", "bool", "the sheet says it serves the public (面向公众, 便民); blank: not stated"),
              _c("evidence", "str", "config exits: the evidence pieces (exit_candidates.evidence)"),
          ) + ATTRIBUTION + PROVENANCE),
    Table("exit_candidates", "Every config interface with exit-like evidence, its evidence pieces and the verdict: "
          "only verdict 'exit' becomes an exits row; the others say why not, 'review' is for a person.",
          ("device", "interface"), (
              _c("device", "str", "devices.device"),
              _c("interface", "str", "interface (the logical one for PPPoE: Dialer1, pp0.0)"),
              _c("vrf", "str", "VRF of the interface ('' = global)"),
              _c("address", "str", "addresses of the interface, space separated"),
              _c("address_mode", "str", "dhcp or ppp when the address is learnt at run time", ("dhcp", "ppp", "")),
              _c("next_hops", "str", "next hops of the default/static routes out of it, space separated"),
              _c("public_range", "str", "public (or carrier-grade NAT) subnets on it, space separated"),
              _c("carrier", "str", "carrier from eBGP AS or the description"),
              _c("evidence", "str", "pieces, space separated: public-address, cgnat-address, dialer, dhcp-client, "
                                    "default-route, static-route, nat-outbound, ebgp-carrier, carrier-description"),
              _c("verdict", "str", "exit, extranet_uplink, vertical_uplink, management, dc_internal, "
                                   "private_next_hop or review",
                 ("exit", "extranet_uplink", "vertical_uplink", "management", "dc_internal", "private_next_hop",
                  "review")),
              _c("reason", "str", "why this verdict, in words (the network, VRF or next hop that decided it)"),
              _c("exit", "str", "exits.exit when the verdict is exit"),
              _c("department", "str", "department of the device"),
              _c("district", "str", "district of the device"),
          ) + PROVENANCE),
    Table("conflicts", "Address conflicts: overlapping ranges across networks/VRFs/departments, duplicate host "
          "addresses, and overlaps with a target domain's address pool.",
          ("conflict",), (
              _c("conflict", "str", "stable id: hash of the two sides"),
              _c("kind", "str", "identical, contains, partial (ranges), duplicate-ip (same host address twice), "
                 "pool (range overlaps a domain's address pool), shared-by-design (the same address held on "
                 "purpose: anycast gateway, VRRP/HSRP/VARP virtual address, MLAG-shared VTEP; listed, not a problem)",
                 ("identical", "contains", "partial", "duplicate-ip", "pool", "shared-by-design")),
              _c("a_prefix", "str", "first range (the larger one for 'contains')"),
              _c("a_network", "str", "network of the first range"),
              _c("a_vrf", "str", "VRF of the first range"),
              _c("a_device", "str", "device of the first range ('' for sheet/manifest ranges)"),
              _c("a_interface", "str", "interface of the first range"),
              _c("a_department", "str", "department of the first range"),
              _c("b_prefix", "str", "second range, or the pool"),
              _c("b_network", "str", "network of the second range, or the pool's domain"),
              _c("b_vrf", "str", "VRF of the second range"),
              _c("b_device", "str", "device of the second range"),
              _c("b_interface", "str", "interface of the second range"),
              _c("b_department", "str", "department of the second range"),
              _c("overlap", "str", "the overlapping addresses as CIDRs, space separated"),
              _c("addresses", "count", "number of overlapping addresses (an IPv6 range counts 2**64 and more)"),
          ) + PROVENANCE),
    Table("metrics", "Progress metrics per scope (city, district, department); definitions are netconsol's own.",
          ("scope", "metric"), (
              _c("scope", "str", "city name, district name, or 'dept:NAME'"),
              _c("level", "str", "city, district, town or department", ("city", "district", "town", "department")),
              _c("metric", "str", "metric id, e.g. town_coverage, connectivity_rate, exits, conflicts"),
              _c("value", "float", "the value (a ratio 0..1 for rates)"),
              _c("numerator", "float", "numerator of a rate, or the count"),
              _c("denominator", "float", "denominator of a rate (NaN for counts)"),
              _c("definition", "str", "how it is computed (netconsol's definition, labelled so in outputs)"),
          ) + PROVENANCE),
    Table("rooms", "Server rooms (机房) from the self-inspection workbook: one row per room and server model.",
          ("source", "location"), (
              _c("room", "str", "stable id of the room: department/room location as written"),
              _c("department", "str", "department running the room"),
              _c("district", "str", "district"),
              _c("address", "str", "where the room is (机房位置) as written"),
              _c("network_kinds", "str", "network classes the room is attached to, space separated (DOMAIN.md kinds)"),
              _c("bandwidth_mbps", "float", "bandwidth of the room's connection in Mbps"),
              _c("server_model", "str", "server model as written"),
              _c("servers", "int", "number of servers of that model"),
              _c("storage_model", "str", "storage model as written"),
              _c("storage_tb", "float", "storage capacity in TB"),
              _c("cloud", "str", "migrate (moves to the government cloud 政务云), keep, or '' when not stated",
                 ("migrate", "keep", "")),
              _c("remark", "str", "remark as written"),
          ) + PROVENANCE),
    Table("reconciliation", "Three-way reconciliation: what the sheets declare, the configs configure and live "
          "devices show, per device, interface address, prefix and exit, with the disagreement in words.",
          ("object", "key", "aspect"), (
              _c("object", "str", "device, address, prefix, exit or link", ("device", "address", "prefix", "exit", "link")),
              _c("key", "str", "what is compared: hostname, 'device interface address', prefix, exit device, "
                               "'a_device a_interface b_device b_interface'"),
              _c("aspect", "str", "the attribute compared: presence, model, address, carrier, neighbour..."),
              _c("declared", "str", "what the self-inspection sheets say ('' = not declared)"),
              _c("configured", "str", "what the device configs say ('' = not configured)"),
              _c("observed", "str", "what live collection saw (getters, LLDP/CDP) ('' = not observed)"),
              _c("status", "str", "agree, disagree, or partial (some sources silent)", ("agree", "disagree", "partial")),
              _c("message", "str", "the disagreement (or agreement) in words"),
              _c("department", "str", "department"),
          ) + PROVENANCE),
    Table("files", "One row per input file: what read it and how much of it was understood.",
          ("source",), (
              _c("source", "str", "file relative to the inventory directory, or host"),
              _c("kind", "str", "config, sheet, manifest, live", ("config", "sheet", "manifest", "live")),
              _c("platform", "str", "parser (vrp, comware, ios, junos, eos) or sheet format (csv, xlsx)"),
              _c("confidence", "float", "platform detection confidence"),
              _c("encoding", "str", "encoding the file was decoded with"),
              _c("status", "str", "parsed, partial, failed, unrecognized", ("parsed", "partial", "failed", "unrecognized")),
              _c("lines", "int", "config lines (non-blank)"),
              _c("understood", "int", "lines turned into rows or state"),
              _c("ignored", "int", "lines skipped by a known rule (banners, aaa, snmp...)"),
              _c("unrecognized", "int", "lines nothing recognized (each listed in issues)"),
              _c("rows", "int", "sheet data rows"),
              _c("accepted", "int", "sheet rows accepted"),
              _c("rejected", "int", "sheet rows rejected"),
          )),
    Table("issues", "Every problem found: rejected rows, unparsed lines, conflicting attributions.",
          ("source", "location", "column", "code", "value"), (
              _c("source", "str", "file or host"),
              _c("location", "str", "line / sheet!row"),
              _c("column", "str", "sheet column or config keyword"),
              _c("severity", "str", "error, warning or info", SEVERITIES),
              _c("code", "str", "stable machine code, e.g. bad-ip-range, unknown-carrier, unrecognized-line"),
              _c("message", "str", "what was wrong and what would be right"),
              _c("value", "str", "the raw value"),
              _c("expected", "str", "what was expected"),
          )),
]

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}
for _t in _TABLES:
    assert len(set(_t.names)) == len(_t.names), f"duplicate column in {_t.name}"


def columns(table: str) -> list[str]:
    return TABLES[table].names


def _default(dtype: str):
    return "" if dtype == "str" else pd.NA


def frame(table: str, rows=()) -> pd.DataFrame:
    """Typed DataFrame for *table* from row dicts; missing keys get defaults.

    Unknown keys are an error: a collector writing a column the contract
    does not declare is a bug, not data to drop silently.
    """
    spec = TABLES[table]
    names = spec.names
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return pd.DataFrame({c.name: _typed([], c.dtype) for c in spec.columns}, columns=names)
    present = set().union(*rows)
    extra = present - set(names)
    if extra:
        raise ValueError(f"table {table!r}: undeclared columns {sorted(extra)!r}")
    # column by column (no intermediate frame of objects): the usual cells, str / int / bool /
    # None, go straight into typed arrays; anything else takes _typed's general path
    data = {}
    for col in spec.columns:
        name = col.name
        values = list(map(_get, rows, repeat(name))) if name in present else [None] * len(rows)
        data[name] = _typed_fast(values, col.dtype)
    return pd.DataFrame(data, columns=names)


def columns_of(table: str, rows: list) -> dict:
    """*rows* (dicts) as {column: [values]} over the table's declared columns; a missing key is
    None, as :func:`frame` reads it.  Undeclared keys are an error, as in :func:`frame`."""
    spec = TABLES[table]
    extra = set().union(*rows) - set(spec.names) if rows else set()
    if extra:
        raise ValueError(f"table {table!r}: undeclared columns {sorted(extra)!r}")
    return {name: list(map(_get, rows, repeat(name))) for name in spec.names}


def frame_columns(table: str, cols: dict) -> pd.DataFrame:
    """:func:`frame` of rows given column by column (as :func:`columns_of` makes them): one typed
    conversion per column, the same dtypes and cells as frame() of the same rows."""
    spec = TABLES[table]
    extra = set(cols) - set(spec.names)
    if extra:
        raise ValueError(f"table {table!r}: undeclared columns {sorted(extra)!r}")
    n = len(next(iter(cols.values()))) if cols else 0
    if not n:
        return frame(table, [])
    data = {c.name: _typed_fast(cols[c.name] if c.name in cols else [None] * n, c.dtype) for c in spec.columns}
    return pd.DataFrame(data, columns=spec.names)


_get = dict.get
_NONE = type(None)


def _typed_fast(values: list, dtype: str):
    types = set(map(type, values))
    if dtype == "str":
        if types <= {str, _NONE}:
            return pd.array(["" if v is None else v for v in values] if _NONE in types else values, dtype="str")
    elif dtype == "int":
        if types <= {int, _NONE}:
            # whole columns in C: an object array, its None cells masked (and zeroed), then int64
            cells = np.array(values, dtype=object)
            mask = cells == None    # noqa: E711 (elementwise: the cells that are None)
            if _NONE in types:
                cells[mask] = 0
            try:
                data = cells.astype(np.int64)
            except OverflowError:
                return pd.array(values, dtype="Int64")
            return pd.arrays.IntegerArray(data, mask)
    elif dtype == "count":
        return count_array(values)
    elif dtype == "bool":
        if types <= {bool, _NONE}:
            cells = np.array(values, dtype=object)
            return pd.arrays.BooleanArray(cells == True, cells == None)     # noqa: E711,E712 (elementwise)
    return _typed(values, dtype)


def _typed(values, dtype):
    s = values.astype(object) if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    s = s.reset_index(drop=True)
    if dtype == "str":
        if not len(s):
            return pd.Series([], dtype="str")
        return s.where(s.notna(), "").astype("str")
    missing = s.isna() | s.isin([""])
    s = s.where(~missing, None)
    if dtype == "int":
        return pd.array([None if v is None else int(v) for v in s.tolist()], dtype="Int64")
    if dtype == "count":
        return count_array(s.tolist())
    if dtype == "float":
        return pd.to_numeric(s, errors="raise").astype("float64")
    if dtype == "bool":
        return pd.array([None if v is None else bool(v) for v in s.tolist()], dtype="boolean")
    raise ValueError(f"unknown dtype {dtype!r}")


def count_array(values) -> np.ndarray:
    """An object array of Python ints (None = missing): any size, no Int64 overflow.  Text
    (read back from a snapshot) must be a whole decimal number."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if v is None or v is pd.NA or v == "" or (isinstance(v, float) and v != v):
            out[i] = None
        elif isinstance(v, str):
            if not v.strip().isdigit():
                raise ValueError(f"not a count: {v!r}")
            out[i] = int(v)
        else:
            out[i] = int(v)
    return out


def empty(table: str) -> pd.DataFrame:
    return frame(table, [])


def coerce(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame (e.g. read back from CSV as text) to the declared dtypes."""
    spec = TABLES[table]
    out = {}
    for col in spec.columns:
        s = df[col.name] if col.name in df.columns else pd.Series([None] * len(df))
        if col.dtype == "str":
            out[col.name] = s.fillna("").astype("str")
        elif col.dtype == "int":
            out[col.name] = pd.to_numeric(s.replace("", None), errors="raise").astype("Int64")
        elif col.dtype == "float":
            out[col.name] = pd.to_numeric(s.replace("", None), errors="raise").astype("float64")
        elif col.dtype == "count":
            out[col.name] = pd.Series(count_array(s.tolist()), dtype=object)
        elif col.dtype == "bool":
            mapped = s.map(lambda v: pd.NA if v in ("", None) or v is pd.NA else
                           (v if isinstance(v, bool) else str(v) == "True"))
            out[col.name] = mapped.astype("boolean")
    return pd.DataFrame(out, columns=spec.names).reset_index(drop=True)


def validate(table: str, df: pd.DataFrame) -> list[str]:
    """Problems of *df* against the contract; an empty list means valid."""
    spec = TABLES[table]
    problems = []
    if list(df.columns) != spec.names:
        problems.append(f"{table}: columns {list(df.columns)!r} != declared {spec.names!r}")
        return problems
    for col in spec.columns:
        want = PANDAS_DTYPES[col.dtype]
        got = str(df[col.name].dtype)
        if want == "str":
            ok = pd.api.types.is_string_dtype(df[col.name])
        elif col.dtype == "count":
            ok = got == "object" and all(v is None or type(v) is int for v in df[col.name].tolist())
        else:
            ok = got == want
        if not ok:
            problems.append(f"{table}.{col.name}: dtype {got} != declared {want}")
        if col.choices and len(df):
            # the distinct values first (hashed in C), each then as text
            bad = sorted({str(v) for v in df[col.name].dropna().unique()} - set(col.choices))
            if bad:
                problems.append(f"{table}.{col.name}: values {bad[:5]!r} not in {list(col.choices)!r}")
    if len(df):
        dup = df.duplicated(subset=list(spec.key), keep=False)
        if dup.any():
            first = df[dup].head(3)[list(spec.key)].to_dict("records")
            problems.append(f"{table}: {int(dup.sum())} rows share a key {spec.key!r}, e.g. {first!r}")
    return problems
