"""Closed vocabularies typed as free text: access type (接入类型) and network class (网络类别)."""
from __future__ import annotations

import re
from functools import lru_cache

from netconsol.errors import NormalizeError
from netconsol.normalize.text import fold, is_blank

__all__ = ["access_type", "network_kind", "ACCESS_TYPES", "NETWORK_KINDS"]

ACCESS_TYPES = ("fiber_dia", "dark_fiber", "mstp", "mpls_vpn", "vpn", "l2tp", "adsl", "ftth",
                "mobile", "other")
NETWORK_KINDS = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "gov_private",
                 "business_private", "internet", "lan")

_IGNORED = re.compile(r"[\s\-_.·/+&]+")
_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _key(text: str) -> str:
    return _IGNORED.sub("", fold(text).casefold())


def _table(spec: dict[str, list[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for enum, words in spec.items():
        table[_key(enum)] = enum
        for w in words:
            assert _key(w) not in table or table[_key(w)] == enum, w  # one meaning per spelling
            table[_key(w)] = enum
    return table


# --- access type ----------------------------------------------------------------------------------
_ACCESS = _table({
    "fiber_dia": ["互联网专线", "光纤专线", "专线", "DIA", "互联网专线接入", "光纤", "光纤接入",
                  "光纤互联网专线", "互联网光纤专线", "宽带专线", "数据专线", "以太网专线",
                  "internet专线", "专线接入", "独享专线", "fiber", "fiber DIA",
                  "Direct Internet Access", "leased line"],
    "dark_fiber": ["裸光纤", "裸纤", "暗光纤", "dark fiber", "dark fibre", "光纤直连"],
    "mstp": ["MSTP", "SDH", "MSTP专线", "SDH专线", "MSTP电路", "数字电路", "DDN", "DDN专线",
             "E1", "E1专线"],
    # "VPN专线" is what carriers call the MPLS VPN product they sell (电信/联通 "VPN专线"), a
    # carrier-built circuit, so it is mpls_vpn; a plain "VPN" is a tunnel the department runs
    # itself over the internet (IPsec/SSL), so it is vpn.
    "mpls_vpn": ["MPLS VPN", "MPLS-VPN", "MPLSVPN", "MPLS", "VPN专线", "MPLS VPN专线", "L3VPN",
                 "BGP/MPLS VPN"],
    "vpn": ["IPsec VPN", "IPsec", "SSL VPN", "SSLVPN", "VPN", "IPsec/SSL VPN", "GRE", "GRE VPN",
            "VPN隧道"],
    "l2tp": ["L2TP", "VPDN", "L2TP VPN", "L2TP/VPDN"],
    "adsl": ["ADSL", "拨号", "PPPoE", "ADSL拨号", "宽带拨号", "DSL", "xDSL", "拨号上网"],
    "ftth": ["光纤宽带", "FTTH", "宽带", "家庭宽带", "FTTB", "光纤到户", "企业宽带", "商务宽带",
             "普通宽带", "宽带接入", "光宽带", "光纤入户", "PON", "GPON", "EPON"],
    "mobile": ["4G", "5G", "3G", "4G/5G", "无线", "LTE", "物联网卡", "无线网卡", "4G路由器",
               "5G CPE", "CPE", "移动网络", "cellular", "wireless", "无线接入", "4G网卡"],
    "other": ["其他", "其它", "other", "others"],
})
EXPECTED_ACCESS = ("an access type: " + ", ".join(ACCESS_TYPES)
                   + " (互联网专线, 裸光纤, MSTP, MPLS VPN, IPsec VPN, L2TP, ADSL, 光纤宽带, 4G/5G, 其他)")
# a carrier or a bandwidth in front of the access type: "电信互联网专线", "100M光纤专线"
_ACCESS_NOISE = re.compile(
    r"^(?:中国)?(?:电信|联通|移动|广电|网通|铁通)|^\d+(?:\.\d+)?(?:[kmg]b?(?:ps)?|兆)|接入方式$|方式$")


@lru_cache(maxsize=4096)
def _access(raw: str) -> str:
    key = _key(raw)
    hit = _ACCESS.get(key)
    if hit:
        return hit
    key = _key(_REMARK.sub("", fold(raw)))
    for _ in range(3):  # "电信100M互联网专线接入方式"
        if key in _ACCESS:
            return _ACCESS[key]
        new = _ACCESS_NOISE.sub("", key)
        if new == key or not new:
            break
        key = new
    raise NormalizeError(raw, EXPECTED_ACCESS, f"unknown access type {fold(raw)!r}")


def access_type(value) -> str:
    """Return one of :data:`ACCESS_TYPES` for an access-type cell.

    ``fiber_dia``: 互联网专线, 光纤专线, 专线, DIA, 光纤, 光纤接入 · ``dark_fiber``: 裸光纤, 裸纤 ·
    ``mstp``: MSTP, SDH, MSTP专线, DDN · ``mpls_vpn``: MPLS VPN, MPLS-VPN, **VPN专线** (the
    carriers' name for their MPLS VPN product) · ``vpn``: IPsec VPN, SSL VPN, a bare **VPN**
    (a tunnel the department runs over the internet) · ``l2tp``: L2TP, VPDN · ``adsl``: ADSL,
    拨号, PPPoE · ``ftth``: 光纤宽带, FTTH, 宽带, 家庭宽带, 企业宽带 (shared broadband, not a
    dedicated line) · ``mobile``: 4G, 5G, 无线, LTE, 物联网卡 · ``other``: 其他, 其它.

    Case, width, spaces and dashes are ignored; a leading carrier or bandwidth (``电信互联网专线``,
    ``100M光纤专线``) and bracketed remarks are dropped.  Blank or unknown text raises
    :class:`NormalizeError` (blank with reason ``empty``).
    """
    if is_blank(value):
        raise NormalizeError(value, EXPECTED_ACCESS, "empty")
    return _access(value if isinstance(value, str) else fold(value))


# --- network class --------------------------------------------------------------------------------
_KIND = _table({
    "extranet_admin": ["行政服务域", "政务外网行政服务域", "电子政务外网行政服务域", "外网行政域",
                       "外网行政服务域", "行政域", "行政服务区", "政务外网行政域", "admin",
                       "extranet admin"],
    # Bare 外网 / 政务外网 / 电子政务外网 land here (see network_kind's docstring).
    "extranet_public": ["公共服务域", "政务外网公共服务域", "电子政务外网公共服务域", "外网公共域",
                        "外网公共服务域", "公共域", "公共服务区", "政务外网公共域", "公用网络区",
                        "公用网络", "外网", "政务外网", "电子政务外网", "public",
                        "extranet public", "extranet"],
    "extranet_vpn": ["专用网络区", "专用网络", "政务外网专用网络区", "电子政务外网专用网络区",
                     "外网专用网络区", "专用区", "VPN", "MPLS VPN", "MPLS VPN专区", "VPN专区",
                     "政务外网VPN", "外网VPN", "extranet vpn"],
    "intranet": ["内网", "电子政务内网", "政务内网", "涉密网", "涉密内网", "涉密网络", "涉密",
                 "intranet"],
    "gov_private": ["政务专网", "电子政务专网", "gov private"],
    # anything else ending in 专网 is a department's business network too (see _kind)
    "business_private": ["业务专网", "专网", "行业专网", "纵向专网", "公安网", "公安专网",
                         "公安信息网", "视频专网", "视频监控专网", "金税网", "金保网", "财政专网",
                         "税务专网", "人社专网", "卫健专网", "医保专网", "社保专网", "垂直专网",
                         "部门专网", "business private"],
    "internet": ["互联网", "外网出口", "互联网出口", "因特网", "公网", "internet", "ISP",
                 "互联网接入区", "internet exit"],
    "lan": ["局域网", "内部网", "LAN", "办公网", "内部局域网", "办公局域网", "本地局域网",
            "机关局域网"],
})
EXPECTED_KIND = ("a network class: " + ", ".join(NETWORK_KINDS)
                 + " (行政服务域, 公共服务域, 专用网络区, 内网, 政务专网, 业务专网, 互联网, 局域网)")
_EXTRANET_PREFIX = re.compile(r"^(?:电子)?政务外网|^外网")


@lru_cache(maxsize=4096)
def _kind(raw: str) -> str:
    key = _key(raw)
    if key in _KIND:
        return _KIND[key]
    # "政务外网（行政服务域）": the bracket is the detail, try the whole, the inside, the outside
    folded = fold(raw)
    inner = " ".join(re.findall(r"\(([^()]*)\)", folded))
    for text in (folded.replace("(", "").replace(")", ""), inner, _REMARK.sub("", folded)):
        key = _key(text)
        if not key:
            continue
        if key in _KIND:
            return _KIND[key]
        stripped = _EXTRANET_PREFIX.sub("", key)
        if stripped != key and stripped in _KIND and _KIND[stripped].startswith("extranet"):
            return _KIND[stripped]
        if key.endswith("专网") and not key.startswith("政务") and "内网" not in key:
            return "business_private"
    raise NormalizeError(raw, EXPECTED_KIND, f"unknown network class {folded!r}")


def network_kind(value) -> str:
    """Return one of :data:`NETWORK_KINDS` (DOMAIN.md's network classes) for a network-type cell.

    - ``extranet_admin``: 行政服务域, 政务外网行政服务域, 外网行政域, admin;
    - ``extranet_public``: 公共服务域, 政务外网公共服务域, 公用网络区, public, and the bare
      **外网 / 政务外网 / 电子政务外网**.  In these sheets 外网 is the e-government extranet (the
      counterpart of 内网), not the internet.  A department that names no zone is on the
      extranet's common network: the zone that exchanges with other departments and reaches
      the internet through the unified exit.  Calling it extranet_admin would claim "no
      internet access", which the plan must not assume without evidence;
    - ``extranet_vpn``: 专用网络区, 专用网络, VPN, MPLS VPN 专区 (a VPN *as a network class* is a
      department's zone on the extranet; as an access type see :func:`access_type`);
    - ``intranet``: 内网, 电子政务内网, 涉密网, 涉密内网.  内网 is read as the classified
      intranet, the counterpart of 外网.  If someone meant their office LAN, the mistake errs
      towards isolation (rule R1: record only, never bridged), the safe side;
    - ``gov_private``: 政务专网;
    - ``business_private``: 业务专网, 专网, 行业专网, 纵向专网, 公安网, 视频专网, and any other
      ``…专网`` (财政专网, 教育专网);
    - ``internet``: 互联网, 外网出口, 互联网出口, 公网, internet (an exit, so 外网出口 is here);
    - ``lan``: 局域网, 内部网, LAN, 办公网.

    Case, width, spaces, dashes and brackets are ignored (``政务外网（行政服务域）`` →
    extranet_admin).  Blank or unknown text raises :class:`NormalizeError`.
    """
    if is_blank(value):
        raise NormalizeError(value, EXPECTED_KIND, "empty")
    return _kind(value if isinstance(value, str) else fold(value))
