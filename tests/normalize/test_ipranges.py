"""to_cidrs / is_public over the spellings people type into the IP-range column.

Expected CIDR lists are worked out by hand (block boundaries), not copied from the code.
"""
import random

import netaddr
import pytest

from netconsol.errors import NormalizeError
from netconsol.normalize.ipranges import EXPECTED_RANGE, RangeResult, is_public, to_cidrs
from netconsol.normalize import ipranges
from netconsol.normalize.text import fold

# 10.1.1.1-10.1.1.254: from .1 up to the first /26 boundary, then back down to .254
COVER_1_254 = ['10.1.1.1/32', '10.1.1.2/31', '10.1.1.4/30', '10.1.1.8/29', '10.1.1.16/28',
               '10.1.1.32/27', '10.1.1.64/26', '10.1.1.128/26', '10.1.1.192/27', '10.1.1.224/28',
               '10.1.1.240/29', '10.1.1.248/30', '10.1.1.252/31', '10.1.1.254/32']

CIDRS = [
    # CIDR
    ("10.1.1.0/24", ["10.1.1.0/24"]),
    ("192.168.0.0/16", ["192.168.0.0/16"]),
    ("172.16.0.0/12", ["172.16.0.0/12"]),
    ("203.0.113.8/29", ["203.0.113.8/29"]),
    (" 10.1.1.0/24 ", ["10.1.1.0/24"]),
    ("10.1.1.0 / 24", ["10.1.1.0/24"]),
    ("010.001.001.000/24", ["10.1.1.0/24"]),           # zero-padded octets are decimal
    ("10.1.1.0/024", ["10.1.1.0/24"]),
    ("0.0.0.0/0", ["0.0.0.0/0"]),
    # address + netmask
    ("10.1.1.0 255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.1.0/255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.0.0 255.255.252.0", ["10.1.0.0/22"]),
    ("10.1.1.0   255.255.255.128", ["10.1.1.0/25"]),
    ("10.1.1.0 掩码255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.1.0掩码255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.1.0 子网掩码：255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.1.0 mask 255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.1.1 255.255.255.255", ["10.1.1.1/32"]),
    ("10.0.0.0 255.0.0.0", ["10.0.0.0/8"]),
    # address + wildcard mask (ACL style)
    ("10.1.1.0 0.0.0.255", ["10.1.1.0/24"]),
    ("10.1.1.0/0.0.0.255", ["10.1.1.0/24"]),
    ("10.1.1.0 0.0.0.63", ["10.1.1.0/26"]),
    ("10.0.0.0 0.255.255.255", ["10.0.0.0/8"]),
    ("10.1.1.7 0.0.0.0", ["10.1.1.7/32"]),
    ("10.1.0.0 反掩码 0.0.3.255", ["10.1.0.0/22"]),
    # ranges
    # issue 18: every host of one subnet is that subnet (said in RangeResult.subnets)
    ("10.1.1.1-10.1.1.254", ["10.1.1.0/24"]),
    ("10.1.1.1-254", ["10.1.1.0/24"]),
    ("10.1.1.1-10.1.1.255", ["10.1.1.0/24"]),
    ("198.51.100.17-198.51.100.22", ["198.51.100.16/29"]),
    ("10.1.1.1-10.1.1.253", COVER_1_254[:-1]),
    ("10.9.0.10-10.9.0.20", ["10.9.0.10/31", "10.9.0.12/30", "10.9.0.16/30", "10.9.0.20/32"]),
    ("10.1.1.0-255", ["10.1.1.0/24"]),
    ("10.1.1.0-10.1.1.255", ["10.1.1.0/24"]),
    ("10.1.1.0~10.1.1.255", ["10.1.1.0/24"]),
    ("10.1.1.0 ~ 10.1.1.255", ["10.1.1.0/24"]),
    ("10.1.1.0 至 10.1.1.255", ["10.1.1.0/24"]),
    ("10.1.1.0至10.1.1.255", ["10.1.1.0/24"]),
    ("10.1.1.0到10.1.1.255", ["10.1.1.0/24"]),
    ("10.1.1.0 - 10.1.1.127", ["10.1.1.0/25"]),
    ("10.1.1.0—10.1.1.127", ["10.1.1.0/25"]),
    ("10.1.1.0--10.1.1.127", ["10.1.1.0/25"]),
    ("10.1.1.0 to 10.1.1.127", ["10.1.1.0/25"]),
    ("10.1.1.0-10.1.2.255", ["10.1.1.0/24", "10.1.2.0/24"]),  # not a /23: 10.1.0.0/23 starts lower
    ("10.1.1.0-2.255", ["10.1.1.0/24", "10.1.2.0/24"]),       # short range over two octets
    ("192.168.0.0-192.168.3.255", ["192.168.0.0/22"]),
    ("172.16.0.0-172.31.255.255", ["172.16.0.0/12"]),
    ("192.168.1.10-192.168.1.20",
     ["192.168.1.10/31", "192.168.1.12/30", "192.168.1.16/30", "192.168.1.20/32"]),
    ("203.0.113.1-5", ["203.0.113.1/32", "203.0.113.2/31", "203.0.113.4/31"]),
    ("198.51.100.7-7", ["198.51.100.7/32"]),
    ("203.0.113.250-203.0.113.255", ["203.0.113.250/31", "203.0.113.252/30"]),
    # globs
    ("10.1.*.*", ["10.1.0.0/16"]),
    ("10.1.1.*", ["10.1.1.0/24"]),
    ("10.*.*.*", ["10.0.0.0/8"]),
    ("10.1.x.x", ["10.1.0.0/16"]),
    ("10.1.1.X", ["10.1.1.0/24"]),
    ("192.168.1-2.*", ["192.168.1.0/24", "192.168.2.0/24"]),
    # bare addresses
    ("10.1.1.5", ["10.1.1.5/32"]),
    ("203.0.113.1", ["203.0.113.1/32"]),
    ("2001:db8::1", ["2001:db8::1/128"]),
    # lists
    ("10.1.1.0/24,10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24，10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24;10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24；10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24、10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24\n10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24\r\n10.1.2.0/24\r\n", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24 10.2.0.0/16", ["10.1.1.0/24", "10.2.0.0/16"]),
    ("10.1.1.0/24/10.2.2.0/24", ["10.1.1.0/24", "10.2.2.0/24"]),
    ("10.1.1.1/10.1.1.2", ["10.1.1.1/32", "10.1.1.2/32"]),
    ("10.1.1.0/255.255.255.0/10.2.2.0/24", ["10.1.1.0/24", "10.2.2.0/24"]),
    ("10.1.1.0/24和10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24 | 10.1.2.0/24", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.1 10.1.1.2", ["10.1.1.1/32", "10.1.1.2/32"]),   # a space, then an address: a list
    ("10.1.1.0 255.255.255.0, 10.1.2.0 255.255.255.0", ["10.1.1.0/24", "10.1.2.0/24"]),
    ("10.1.1.0/24,", ["10.1.1.0/24"]),
    # mixed forms, in input order
    ("10.1.1.0/24，192.168.1.1-3；203.0.113.0 255.255.255.248、2001:db8::/48",
     ["10.1.1.0/24", "192.168.1.0/30", "203.0.113.0/29", "2001:db8::/48"]),
    ("172.16.5.*\n10.9.0.0 0.0.255.255\n192.168.7.1", ["172.16.5.0/24", "10.9.0.0/16", "192.168.7.1/32"]),
    ("10.2.0.0/16, 10.1.1.0/24", ["10.2.0.0/16", "10.1.1.0/24"]),   # not sorted: input order
    # duplicates removed, first position kept
    ("10.1.1.0/24, 10.1.1.0 255.255.255.0", ["10.1.1.0/24"]),
    ("10.1.1.0/24;10.1.2.0/24;10.1.1.*", ["10.1.1.0/24", "10.1.2.0/24"]),
    # full-width input
    ("１０．１．１．０／２４", ["10.1.1.0/24"]),
    ("１０．１．１．１－２５４", ["10.1.1.0/24"]),
    ("１０．１．１．０～１０．１．１．２５５", ["10.1.1.0/24"]),
    ("１０．１．１．０　２５５．２５５．２５５．０", ["10.1.1.0/24"]),
    ("１０．１．１．０／２４，１０．１．２．０／２４", ["10.1.1.0/24", "10.1.2.0/24"]),
    # IPv6
    ("2001:db8::/32", ["2001:db8::/32"]),
    ("2001:DB8:1::/48", ["2001:db8:1::/48"]),
    ("2001:db8::-2001:db8::ff", ["2001:db8::/120"]),
    ("2001:db8::/32, 10.1.1.0/24", ["2001:db8::/32", "10.1.1.0/24"]),
    # junk around values
    ("10.1.1.0/24。", ["10.1.1.0/24"]),
    ("10.1.1.0/24.", ["10.1.1.0/24"]),
    ("IP:10.1.1.0/24", ["10.1.1.0/24"]),
    ("IP：10.1.1.0/24。", ["10.1.1.0/24"]),
    ("ip 地址: 10.1.1.0/24", ["10.1.1.0/24"]),
    ("公网IP地址：203.0.113.8/29", ["203.0.113.8/29"]),
    ("IPv6：2001:db8::/48", ["2001:db8::/48"]),
    ("办公网:10.1.1.0/24, 视频网:10.2.0.0/16", ["10.1.1.0/24", "10.2.0.0/16"]),
    ("(10.1.1.0/24)", ["10.1.1.0/24"]),
    ("（10.1.1.0/24）", ["10.1.1.0/24"]),
    ("[10.1.1.0/24]", ["10.1.1.0/24"]),
    ("【10.1.1.0/24】", ["10.1.1.0/24"]),
    ("<10.1.1.0/24>", ["10.1.1.0/24"]),
    ("“10.1.1.0/24”", ["10.1.1.0/24"]),
    ("[（10.1.1.0/24）]", ["10.1.1.0/24"]),
    ("【IP：10.1.1.0 掩码 255.255.255.0】。", ["10.1.1.0/24"]),
]


@pytest.mark.parametrize("raw, expected", CIDRS)
def test_to_cidrs(raw, expected):
    r = to_cidrs(raw)
    assert isinstance(r, RangeResult)
    assert r.cidrs == expected
    assert r.hosts == []


HOST_BITS = [
    ("10.1.1.5/24", ["10.1.1.0/24"], ["10.1.1.5"],
     ["host bits set in 10.1.1.5/24: network 10.1.1.0/24"]),
    ("192.168.1.130/25", ["192.168.1.128/25"], ["192.168.1.130"],
     ["host bits set in 192.168.1.130/25: network 192.168.1.128/25"]),
    ("10.1.1.5 255.255.255.0", ["10.1.1.0/24"], ["10.1.1.5"],
     ["host bits set in 10.1.1.5/24: network 10.1.1.0/24"]),
    ("10.1.1.5/0.0.0.255", ["10.1.1.0/24"], ["10.1.1.5"],
     ["host bits set in 10.1.1.5/24: network 10.1.1.0/24"]),
    ("10.1.1.0 反掩码 0.0.3.255", ["10.1.0.0/22"], ["10.1.1.0"],   # .1.0 is not a /22 boundary
     ["host bits set in 10.1.1.0/22: network 10.1.0.0/22"]),
    ("１０．１．１．５／２４", ["10.1.1.0/24"], ["10.1.1.5"],
     ["host bits set in 10.1.1.5/24: network 10.1.1.0/24"]),
    ("203.0.113.9/29, 203.0.113.10/29", ["203.0.113.8/29"], ["203.0.113.9", "203.0.113.10"],
     ["host bits set in 203.0.113.9/29: network 203.0.113.8/29",
      "host bits set in 203.0.113.10/29: network 203.0.113.8/29"]),
    ("2001:db8::1/64", ["2001:db8::/64"], ["2001:db8::1"],
     ["host bits set in 2001:db8::1/64: network 2001:db8::/64"]),
    ("2001:db8:0:1::5/48", ["2001:db8::/48"], ["2001:db8:0:1::5"],
     ["host bits set in 2001:db8:0:1::5/48: network 2001:db8::/48"]),
]


@pytest.mark.parametrize("raw, cidrs, hosts, notes", HOST_BITS)
def test_host_bits_kept(raw, cidrs, hosts, notes):
    r = to_cidrs(raw)
    assert (r.cidrs, r.hosts, r.notes) == (cidrs, hosts, notes)


def test_remark_is_dropped_with_a_note():
    r = to_cidrs("10.1.1.0/24（办公网）")
    assert r.cidrs == ["10.1.1.0/24"]
    assert r.notes == ["ignored remark '(办公网)'"]


def test_plain_cidr_has_no_notes():
    r = to_cidrs("10.1.1.0/24")
    assert (r.notes, r.hosts) == ([], [])


def test_result_lists_are_fresh_each_call():
    first = to_cidrs("10.9.9.0/24")
    first.cidrs.append("junk")
    first.notes.append("junk")
    assert to_cidrs("10.9.9.0/24").cidrs == ["10.9.9.0/24"]
    assert to_cidrs("10.9.9.0/24").notes == []


REJECT = [
    ("10.1.1.300/24", "octet 300 > 255"),
    ("10.1.1.300", "octet 300 > 255"),
    ("256.1.1.0/24", "octet 256 > 255"),
    ("10.1.1.0 255.255.255.0, 10.1.999.0/24", "octet 999 > 255"),
    ("10.1.1.1-10.1.1.300", "octet 300 > 255"),
    ("10.1.1.1-300", "octet 300 > 255"),
    ("10.1.1.0 255.0.255.0", "mask 255.0.255.0 is not contiguous"),
    ("10.1.1.0/255.0.255.0", "mask 255.0.255.0 is not contiguous"),
    ("10.1.1.0 255.255.255.1", "mask 255.255.255.1 is not contiguous"),
    ("10.1.1.0 0.0.255.0", "mask 0.0.255.0 is not contiguous"),
    ("10.1.1.9-10.1.1.1", "range end before start"),
    ("10.1.1.9-1", "range end before start"),
    ("10.1.2.0~10.1.1.255", "range end before start"),
    ("", "empty"),
    ("   ", "empty"),
    ("\u3000", "empty"),
    (None, "empty"),
    (float("nan"), "empty"),
    ("。", "empty"),
    ("xx", "not an address: 'xx'"),
    ("10.1.1.0/24, xx", "not an address: 'xx'"),
    ("待定", "not an address: '待定'"),
    ("10.1.1.0/24 办公", "not an address: '办公'"),
    ("10.1.1", "not an address: '10.1.1'"),
    ("10.1.1.1.1", "not an address: '10.1.1.1.1'"),
    ("2001:db8::zz", "not an address: '2001:db8::zz'"),
    ("10.1.1.0/33", "prefix /33 > 32"),
    ("2001:db8::/129", "prefix /129 > 128"),
    ("10.1.1.0/", "missing prefix length after '/'"),
    ("10.1.1.0/abc", "not a prefix length or mask: 'abc'"),
    ("255.255.255.0", "mask 255.255.255.0 without an address"),
    ("255.255.0.0", "mask 255.255.0.0 without an address"),
    ("10.*.1.*", "invalid glob 10.*.1.*: '*' only in the last octets"),
    ("10.1.1.*-5", "not an address: '10.1.1.*-5'"),
    ("10.1.1.1-2001:db8::1", "range mixes IPv4 and IPv6: '10.1.1.1-2001:db8::1'"),
    ("10.1.1.1-10.1.1.2-10.1.1.3", "not a range: '10.1.1.1-10.1.1.2-10.1.1.3'"),
]


@pytest.mark.parametrize("raw, reason", REJECT)
def test_rejected(raw, reason):
    with pytest.raises(NormalizeError) as e:
        to_cidrs(raw)
    assert e.value.reason == reason
    assert e.value.expected == EXPECTED_RANGE
    assert e.value.value is raw or e.value.value == raw
    assert reason in str(e.value)


def test_error_is_a_value_error():
    with pytest.raises(ValueError):
        to_cidrs("xx")


def test_fast_path_agrees_with_netaddr():
    """The plain a.b.c.d/len path does its own integer math; netaddr is the reference."""
    rng = random.Random(20170)
    for _ in range(5000):
        ip = netaddr.IPAddress(rng.getrandbits(32), 4)
        plen = rng.randint(0, 32)
        text = f"{ip}/{plen}"
        net = netaddr.IPNetwork(text)
        r = to_cidrs(text)
        assert r.cidrs == [str(net.cidr)], text
        assert r.hosts == ([] if net.ip == net.network else [str(ip)]), text
        assert to_cidrs(str(ip)).cidrs == [f"{ip}/32"]


def test_integer_range_cover_agrees_with_netaddr():
    """IPv4 ranges are covered with integer math; netaddr.iprange_to_cidrs is the reference."""
    rng = random.Random(2017)
    for _ in range(3000):
        a = rng.getrandbits(32)
        b = min(a + rng.choice([0, 1, 2, 255, 256, 1000, 65535, 1 << 20, rng.getrandbits(32)]),
                0xFFFFFFFF)
        start, end = netaddr.IPAddress(a, 4), netaddr.IPAddress(b, 4)
        if start.words[0] == 255 and (a == b):
            continue  # a lone 255.x quad may be a mask; covered by test_rejected
        expected = [str(c) for c in netaddr.iprange_to_cidrs(start, end)]
        if a & 1:  # every host of one subnet (network and broadcast, or the network only, left out)
            for top in (b + 1, b):
                whole = netaddr.iprange_to_cidrs(netaddr.IPAddress(a - 1, 4), netaddr.IPAddress(min(top, 2**32 - 1), 4))
                if top <= 2**32 - 1 and len(whole) == 1 and whole[0].size >= 4:
                    expected = [str(whole[0])]
                    break
        assert to_cidrs(f"{start}-{end}").cidrs == expected, (str(start), str(end))


def test_host_range_of_one_subnet_says_so():
    r = to_cidrs("10.2.3.1-10.2.3.254")
    assert r.cidrs == ["10.2.3.0/24"] and r.notes == []
    assert r.subnets == ["host range 10.2.3.1-10.2.3.254 (network and broadcast left out) read as the subnet "
                         "10.2.3.0/24"]
    assert to_cidrs("10.2.3.0-10.2.3.255").subnets == []   # already the exact subnet: nothing to say


def test_whole_ipv4_space():
    assert to_cidrs("0.0.0.0-255.255.255.255").cidrs == ["0.0.0.0/0"]
    assert to_cidrs("0.0.0.0 0.0.0.0").cidrs == ["0.0.0.0/32"]   # wildcard 0.0.0.0 = one host


PUBLIC = [
    ("203.0.113.0/24", True),       # documentation blocks count as public: demo stand-ins
    ("198.51.100.7", True),
    ("192.0.2.0/24", True),
    ("2001:db8::/32", True),
    ("2001:db8:1::/48", True),
    ("１９８．５１．１００．０／２４", True),
    ("10.1.1.0/24", False),
    ("10.0.0.0/8", False),
    ("172.16.0.0/12", False),
    ("172.31.255.0/24", False),
    ("192.168.1.1", False),
    ("100.64.0.0/10", False),
    ("100.127.1.0/24", False),
    ("127.0.0.1", False),
    ("169.254.1.1", False),
    ("224.0.0.5", False),
    ("239.1.1.1", False),
    ("0.0.0.0/8", False),
    ("0.0.0.0/0", False),          # contains private space
    ("192.168.0.0/15", False),     # half private: not public
    ("240.0.0.1", False),
    ("255.255.255.255", False),
    ("fc00::/7", False),
    ("fd12:3456::/48", False),
    ("fe80::1", False),
    ("fe80::/10", False),
    ("ff02::1", False),
    ("::1", False),
]


@pytest.mark.parametrize("cidr, expected", PUBLIC)
def test_is_public(cidr, expected):
    assert is_public(cidr) is expected


def test_is_public_accepts_netaddr_objects():
    assert is_public(netaddr.IPNetwork("203.0.113.0/24")) is True
    assert is_public(netaddr.IPNetwork("10.0.0.0/8")) is False


def test_is_public_rejects_junk():
    with pytest.raises(NormalizeError) as e:
        is_public("xx")
    assert e.value.reason == "not an address: 'xx'"


def _general_or_error(raw):
    try:
        return ipranges._parse_general(raw)
    except ipranges._Bad as e:
        return ("error", str(e))


def _fast_or_error(raw):
    try:
        return ipranges._parse.__wrapped__(raw)  # not the cached one
    except ipranges._Bad as e:
        return ("error", str(e))


_FULL = str.maketrans("0123456789./-~ ", "０１２３４５６７８９．／－～\u3000")


def _shapes(rng):
    """Generators of the cells the fast paths take (and their near misses)."""
    def octet():
        if rng.random() < 0.08:
            return rng.choice(["256", "300", "999", "0", "255", "010", "001"])
        return str(rng.randrange(256))

    def quad(first=None):
        return ".".join([first or octet(), octet(), octet(), octet()])

    def mask():
        n = rng.randrange(33)
        m = (0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF
        if rng.random() < 0.2:
            m ^= 1 << rng.randrange(32)  # a hole
        if rng.random() < 0.1:
            m ^= 0xFFFFFFFF  # a wildcard
        return ".".join(str((m >> s) & 255) for s in (24, 16, 8, 0))

    def sp():
        return rng.choice(["", "", " ", "  ", "\t", "\u3000", "\n", " \n "])

    return [
        lambda: f"{sp()}{quad()}/{rng.randrange(40)}{sp()}",
        lambda: f"{sp()}{quad()}{rng.choice([' ', '  ', '/', ' / ', chr(9), chr(10), chr(0x3000)])}{mask()}{sp()}",
        lambda: f"{quad()} 255.{octet()}.{octet()}.{octet()}",
        lambda: f"{sp()}{quad()}{sp()}{rng.choice(['-', '--', '~', '～', '至', ' to '])}{sp()}{octet()}{sp()}",
        lambda: f"{quad()}{rng.choice(['-', '~', ' - '])}{quad()}",
        lambda: (lambda q: f"{q}-{q.rsplit('.', 1)[0]}.{rng.randrange(256)}")(quad()),
        lambda: f"{quad()}-{octet()}.{octet()}",
        lambda: f"{quad()}",
        lambda: f"{quad()} {quad()}",
    ]


def test_fast_paths_agree_with_the_general_path():
    """Plain CIDR, address + netmask and range cells skip the general path's passes; on many
    generated cells (good and bad octets, masks with holes, backwards ranges, odd spacing,
    full-width text) they give exactly what the general path gives, errors included."""
    rng = random.Random(4242)
    shapes = _shapes(rng)
    fast_hits = 0
    for i in range(20000):
        raw = rng.choice(shapes)()
        if i % 5 == 0:
            raw = raw.translate(_FULL)
        elif i % 7 == 0:
            raw = raw.replace("1", "\u0661")  # an Arabic-Indic digit: \d matches it, int() reads it
        expected = _general_or_error(raw)
        assert _fast_or_error(raw) == expected, repr(raw)
        if ipranges._fast(raw) is not None or ipranges._fast(fold(raw, keep_newlines=True)) is not None:
            fast_hits += 1
    assert fast_hits > 5000  # the fast paths are taken, not just agreed with


def test_fast_lists_agree_with_the_general_path():
    """Comma-separated lists of those shapes (10.1.1.0/26，10.2.2.0-63: what a province's sheets
    hold most) take the list fast path; on many generated lists (bare addresses with a mask in the
    next item, repeated items, host bits, empty items, trailing commas, full-width commas and
    digits, 、) they give exactly what the general path gives, errors included."""
    rng = random.Random(2323)
    shapes = _shapes(rng)
    shapes.append(lambda: rng.choice(["255.255.255.0", "0.0.0.255", "10.1.1.0/24", "", " ", "10.1.1.5/24",
                                      "0.0.0.0/0", "10.1.1.1/32", "10.1.*.*", "2001:db8::/32", "x"]))
    list_hits = 0
    for i in range(20000):
        items = [rng.choice(shapes)() for _ in range(rng.randrange(1, 5))]
        if rng.random() < 0.1:
            items.append(items[0])   # the same item twice
        raw = rng.choice([",", "，", ", ", " ,", "、", ",,"]).join(items)
        if i % 5 == 0:
            raw = raw.translate(_FULL)
        elif i % 11 == 0:
            raw = raw + rng.choice([",", "，", "。"])
        expected = _general_or_error(raw)
        assert _fast_or_error(raw) == expected, repr(raw)
        if ipranges._fast_list(raw) is not None:
            list_hits += 1
    assert list_hits > 300  # the list path is taken, not just agreed with


def test_prefix_facts_agree_with_is_public():
    """prefix_facts() reads the public flag off the first octet for to_cidrs' IPv4 output;
    is_public() and netaddr's size are the reference, over every first octet and length."""
    rng = random.Random(77)
    cells = [f"{a}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}/{n}"
             for a in range(256) for n in range(33)]
    cells += [f"{rng.getrandbits(32) >> 24}.1.2.3-{rng.randrange(256)}.9.9.9" for _ in range(300)]
    cells += ["2001:db8::/32", "fe80::/10", "fc00::/7", "::/0", "::1", "2001:db8::1-2001:db8::ff", "64:ff9b::/96"]
    seen = 0
    for cell in cells:
        try:
            cidrs = to_cidrs(cell).cidrs
        except NormalizeError:
            continue
        nets = [netaddr.IPNetwork(c) for c in cidrs]
        expected = (sum(n.size for n in nets), [(c, n.version, is_public(c)) for c, n in zip(cidrs, nets)])
        assert ipranges.prefix_facts(cidrs) == expected, cell
        seen += len(cidrs)
    assert seen > 8000
    assert ipranges.prefix_facts([]) == (0, [])


def test_span_is_public_agrees_with_is_public():
    """span_is_public (integers in) against is_public (the CIDR text) on random IPv4 and IPv6
    blocks of every prefix length, /0, /32 and /128 included, and the blocks around each
    not-public range's edges."""
    import netaddr

    rng = random.Random(606)
    nets = []
    for _ in range(20000):
        if rng.random() < 0.6:
            plen = rng.choice([0, 1, 7, 8, 9, 10, 11, 12, 16, 24, 30, 31, 32, rng.randrange(33)])
            addr = rng.choice([rng.getrandbits(32), rng.choice([0x0A000000, 0x64400000, 0xAC100000, 0xC0A80000,
                                                                0xA9FE0000, 0x7F000001, 0xE0000000, 0xF0000000,
                                                                0x643FFFFF, 0x64800000, 0xAC0FFFFF, 0xAC200000])])
            nets.append(netaddr.IPNetwork((addr, plen), version=4).cidr)
        else:
            plen = rng.choice([0, 7, 8, 10, 64, 96, 127, 128, rng.randrange(129)])
            addr = rng.choice([rng.getrandbits(128), 0, 1, 0xFFFF << 32 | rng.getrandbits(32),
                               0xFC00 << 112 | rng.getrandbits(100), 0xFE80 << 112, 0xFF00 << 112,
                               0x20010DB8 << 96 | rng.getrandbits(64)])
            nets.append(netaddr.IPNetwork((addr, plen), version=6).cidr)
    public = 0
    for n in nets:
        want = is_public(str(n))
        assert ipranges.span_is_public(n.version, n.first, n.last) == want, str(n)
        public += want
    assert 2000 < public < len(nets) - 2000
