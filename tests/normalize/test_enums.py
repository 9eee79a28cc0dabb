import pytest

from netconsol.errors import NormalizeError
from netconsol.normalize.enums import ACCESS_TYPES, NETWORK_KINDS, access_type, network_kind

ACCESS = [
    ("互联网专线", "fiber_dia"), ("光纤专线", "fiber_dia"), ("专线", "fiber_dia"), ("DIA", "fiber_dia"),
    ("dia", "fiber_dia"), ("互联网专线接入", "fiber_dia"), ("光纤", "fiber_dia"),
    ("光纤接入", "fiber_dia"), ("数据专线", "fiber_dia"), ("电信互联网专线", "fiber_dia"),
    ("100M光纤专线", "fiber_dia"), ("电信100M互联网专线", "fiber_dia"),
    ("光纤专线（电信）", "fiber_dia"), ("互联网 专线", "fiber_dia"), ("光纤接入方式", "fiber_dia"),
    ("裸光纤", "dark_fiber"), ("裸纤", "dark_fiber"), ("暗光纤", "dark_fiber"),
    ("MSTP", "mstp"), ("mstp", "mstp"), ("SDH", "mstp"), ("MSTP专线", "mstp"), ("ＭＳＴＰ", "mstp"),
    ("DDN", "mstp"),
    ("MPLS VPN", "mpls_vpn"), ("MPLS-VPN", "mpls_vpn"), ("mpls vpn", "mpls_vpn"),
    ("ｍｐｌｓ ｖｐｎ", "mpls_vpn"), ("MPLSVPN", "mpls_vpn"), ("VPN专线", "mpls_vpn"),
    ("联通VPN专线", "mpls_vpn"),
    ("IPsec VPN", "vpn"), ("IPSEC", "vpn"), ("SSL VPN", "vpn"), ("SSL-VPN", "vpn"), ("VPN", "vpn"),
    ("vpn", "vpn"), ("IPsec/SSL VPN", "vpn"),
    ("L2TP", "l2tp"), ("VPDN", "l2tp"), ("L2TP/VPDN", "l2tp"),
    ("ADSL", "adsl"), ("拨号", "adsl"), ("PPPoE", "adsl"), ("pppoe", "adsl"), ("宽带拨号", "adsl"),
    ("光纤宽带", "ftth"), ("FTTH", "ftth"), ("宽带", "ftth"), ("家庭宽带", "ftth"),
    ("企业宽带", "ftth"), ("移动宽带", "ftth"), ("光纤到户", "ftth"),
    ("4G", "mobile"), ("5G", "mobile"), ("４Ｇ", "mobile"), ("4G/5G", "mobile"), ("无线", "mobile"),
    ("LTE", "mobile"), ("物联网卡", "mobile"), ("5G CPE", "mobile"),
    ("其他", "other"), ("其它", "other"), ("other", "other"),
    ("fiber_dia", "fiber_dia"), ("mpls_vpn", "mpls_vpn"),     # already normalized
]


@pytest.mark.parametrize("raw, expected", ACCESS)
def test_access_type(raw, expected):
    assert access_type(raw) == expected


def test_every_access_type_reachable():
    assert {e for _, e in ACCESS} == set(ACCESS_TYPES)


@pytest.mark.parametrize("raw, reason", [
    ("快", "unknown access type '快'"),
    ("卫星", "unknown access type '卫星'"),
    ("电信", "unknown access type '电信'"),
    ("", "empty"),
    (None, "empty"),
])
def test_access_type_rejected(raw, reason):
    with pytest.raises(NormalizeError) as e:
        access_type(raw)
    assert e.value.reason == reason


KINDS = [
    ("行政服务域", "extranet_admin"), ("政务外网行政服务域", "extranet_admin"),
    ("外网行政域", "extranet_admin"), ("admin", "extranet_admin"), ("ADMIN", "extranet_admin"),
    ("政务外网（行政服务域）", "extranet_admin"), ("政务外网-行政服务域", "extranet_admin"),
    ("电子政务外网行政服务域", "extranet_admin"),
    ("公共服务域", "extranet_public"), ("政务外网公共服务域", "extranet_public"),
    ("public", "extranet_public"), ("政务外网-公共服务域", "extranet_public"),
    ("公用网络区", "extranet_public"),
    # the trap: bare 外网 is the e-government extranet, not the internet
    ("外网", "extranet_public"), ("政务外网", "extranet_public"), ("电子政务外网", "extranet_public"),
    ("专用网络区", "extranet_vpn"), ("专用网络", "extranet_vpn"), ("VPN", "extranet_vpn"),
    ("MPLS VPN 专区", "extranet_vpn"), ("电子政务外网专用网络区", "extranet_vpn"),
    ("内网", "intranet"), ("电子政务内网", "intranet"), ("涉密网", "intranet"),
    ("涉密内网", "intranet"), ("政务内网", "intranet"),
    ("政务专网", "gov_private"),
    ("业务专网", "business_private"), ("专网", "business_private"), ("行业专网", "business_private"),
    ("纵向专网", "business_private"), ("公安网", "business_private"),
    ("视频专网", "business_private"), ("财政专网", "business_private"),
    ("教育专网", "business_private"),        # any other ...专网
    ("互联网", "internet"), ("外网出口", "internet"), ("internet", "internet"),
    ("Internet", "internet"), ("互联网出口", "internet"), ("公网", "internet"),
    ("局域网", "lan"), ("内部网", "lan"), ("LAN", "lan"), ("lan", "lan"), ("办公网", "lan"),
    ("ＬＡＮ", "lan"),
    ("extranet_admin", "extranet_admin"), ("business_private", "business_private"),
]


@pytest.mark.parametrize("raw, expected", KINDS)
def test_network_kind(raw, expected):
    assert network_kind(raw) == expected


def test_every_network_kind_reachable():
    assert {k for _, k in KINDS} == set(NETWORK_KINDS)


@pytest.mark.parametrize("raw, reason", [
    ("xx", "unknown network class 'xx'"),
    ("政务专网?", "unknown network class '政务专网?'"),
    ("网络", "unknown network class '网络'"),
    ("", "empty"),
    (None, "empty"),
])
def test_network_kind_rejected(raw, reason):
    with pytest.raises(NormalizeError) as e:
        network_kind(raw)
    assert e.value.reason == reason
