"""Closed vocabularies typed as free text: access type (接入类型) and network class (网络类别)."""
from __future__ import annotations

import re
from functools import lru_cache

from netconsol.errors import NormalizeError
from netconsol.normalize.text import fold, is_blank
from .vocabulary import default_vocabulary

__all__ = ["access_type", "network_kind", "ACCESS_TYPES", "NETWORK_KINDS"]

ACCESS_TYPES = ("fiber_dia", "dark_fiber", "mstp", "mpls_vpn", "vpn", "l2tp", "adsl", "ftth",
                "mobile", "other")
NETWORK_KINDS = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "gov_private",
                 "business_private", "internet", "lan")

_IGNORED = re.compile(r"[\s\-_.·/+&]+")
_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _key(text: str) -> str:
    return _IGNORED.sub("", fold(text).casefold())


# --- access type ----------------------------------------------------------------------------------
# the words are rules/vocabulary.yaml's access_types
def _vocabulary():
    return default_vocabulary()


EXPECTED_ACCESS = ("an access type: " + ", ".join(ACCESS_TYPES)
                   + " (互联网专线, 裸光纤, MSTP, MPLS VPN, IPsec VPN, L2TP, ADSL, 光纤宽带, 4G/5G, 其他)")
# a carrier or a bandwidth in front of the access type: "电信互联网专线", "100M光纤专线"
_ACCESS_NOISE = re.compile(
    r"^(?:中国)?(?:电信|联通|移动|广电|网通|铁通)|^\d+(?:\.\d+)?(?:[kmg]b?(?:ps)?|兆)|接入方式$|方式$")


@lru_cache(maxsize=4096)
def _access(raw: str) -> str:
    table = _vocabulary().access
    key = _key(raw)
    hit = table.get(key)
    if hit:
        return hit
    key = _key(_REMARK.sub("", fold(raw)))
    for _ in range(3):  # "电信100M互联网专线接入方式"
        if key in table:
            return table[key]
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
# the words are rules/vocabulary.yaml's network_types (and extranet_zone_unnamed, which takes
# extranet_zone_default when no address says which domain)
EXPECTED_KIND = ("a network class: " + ", ".join(NETWORK_KINDS)
                 + " (行政服务域, 公共服务域, 专用网络区, 内网, 政务专网, 业务专网, 互联网, 局域网)")
_EXTRANET_PREFIX = re.compile(r"^(?:电子)?政务外网|^外网")


@lru_cache(maxsize=4096)
def _kind(raw: str) -> str:
    voc = _vocabulary()
    table = voc.kinds
    key = _key(raw)
    if key in table:
        return table[key]
    if key in voc.unnamed_extranet:
        return voc.zone_default
    # "政务外网（行政服务域）": the bracket is the detail, try the whole, the inside, the outside
    folded = fold(raw)
    inner = " ".join(re.findall(r"\(([^()]*)\)", folded))
    for text in (folded.replace("(", "").replace(")", ""), inner, _REMARK.sub("", folded)):
        key = _key(text)
        if not key:
            continue
        if key in table:
            return table[key]
        stripped = _EXTRANET_PREFIX.sub("", key)
        if stripped != key and stripped in table and table[stripped].startswith("extranet"):
            return table[stripped]
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
