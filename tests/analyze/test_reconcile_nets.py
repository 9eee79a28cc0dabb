"""reconcile's integer prefixes (``_Net``) answer what ``netaddr.IPNetwork`` answers."""
import random

import pytest
from netaddr import AddrFormatError, IPNetwork

from netconsol.analyze.reconcile import _Net, _subnet

HOSTILE = ["10.0.0.0/24", "10.0.0.1/24", "10.0.0.255/32", "0.0.0.0/0", "255.255.255.255/0", "192.168.1.7/31",
           "10.1.2.3/8", "10.0.0.0/00", "10.0.0.0/024", "010.0.0.0/24", "10.00.0.0/16", "10.0.0.0", "10.0.0.0/33",
           "10.0.0.0/255.255.255.0", "10.0.0.0/0.0.0.255", " 10.0.0.0/24", "10.0.0.0/24 ", "10.0.0/24",
           "10.0.0.0/٢٤", "10.0.0.0/²", "１０.0.0.0/24", "10.0.0.0/+24", "10.0.0.0/-1", "10.0.0.0/", "/24",
           "2001:db8::/32", "2001:DB8::1/64", "2001:db8:0:0::/128", "::/0", "::ffff:10.0.0.1/120",
           "::10.0.0.1/128", "fe80::1%eth0/64", "2001:db8::/129", "1.2.3.4/1", "172.16.5.4/12"]


def _random(rnd):
    r = rnd.random()
    if r < 0.25:
        return f"2001:db8:{rnd.randrange(1 << 16):x}::{rnd.randrange(1 << 16):x}/{rnd.randint(0, 128)}"
    if r < 0.3:
        x = rnd.randrange(1 << 32)   # IPv6 addresses whose integers fall in IPv4's range
        return f"::{x >> 16:x}:{x & 0xFFFF:x}/{rnd.randint(96, 128)}"
    return f"{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(256)}/{rnd.randint(0, 32)}"


def _both(text):
    try:
        want = IPNetwork(text)
    except (AddrFormatError, ValueError, TypeError) as e:
        want = type(e)
    try:
        got = _Net.parse(text)
    except (AddrFormatError, ValueError, TypeError) as e:
        got = type(e)
    return got, want


def _same(got, want):
    assert (got.version, got.first, got.last, got.prefixlen, got.size, str(got)) == \
        (want.version, want.first, want.last, want.prefixlen, want.size, str(want))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_prefixes_read_as_netaddr_reads_them(text):
    got, want = _both(text)
    if isinstance(want, type):
        assert got is want, text   # netaddr refuses it: so does the integer path, with the same error
    else:
        _same(got, want)


def test_random_prefixes_compare_order_and_contain_as_netaddr_does():
    rnd = random.Random(2311)
    texts = [_random(rnd) for _ in range(3000)] + [t for t in HOSTILE if not isinstance(_both(t)[1], type)]
    # nested and equal subnets written with host bits set, so order and containment are exercised
    for _ in range(500):
        a, b, c = rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)
        texts += [f"10.{a}.{b}.{c}/{rnd.randint(8, 32)}" for _ in range(3)]
    ours = [_Net.parse(t) for t in texts]
    theirs = [IPNetwork(t) for t in texts]
    for g, w in zip(ours, theirs):
        _same(g, w)
    # order: sorting gives the same permutation (a stable sort, equal keys keep their places)
    order = sorted(range(len(texts)), key=lambda i: ours[i])
    assert order == sorted(range(len(texts)), key=lambda i: theirs[i])
    for _ in range(20000):
        i, j = rnd.randrange(len(texts)), rnd.randrange(len(texts))
        if rnd.random() < 0.3:   # a pair likely nested: same first octets
            j = min(len(texts) - 1, i + rnd.randint(0, 2))
        assert (ours[i] == ours[j]) == (theirs[i] == theirs[j])
        assert (ours[i] < ours[j]) == (theirs[i] < theirs[j])
        assert (ours[j] in ours[i]) == (theirs[j] in theirs[i]), (texts[i], texts[j])
        if ours[i] == ours[j]:
            assert hash(ours[i]) == hash(ours[j])
    assert len(set(ours)) == len(set(theirs))


def test_subnet_key_and_size():
    for text in ("10.0.0.7/24", "2001:db8::5/126", "192.0.2.1/32"):
        net, key, size = _subnet(text)
        ref = IPNetwork(text)
        assert key == (ref.version, ref.first, ref.prefixlen) and size == ref.size and str(net) == str(ref)


def test_bulk_read_of_prefixes_matches_one_by_one():
    """``_subnets`` (canonical IPv4 read by numpy, the rest when asked) gives what ``_subnet`` gives."""
    from netconsol.analyze.reconcile import _subnets

    rnd = random.Random(2317)
    texts = HOSTILE + [_random(rnd) for _ in range(3000)] + ["10.0.0.0/24"] * 3 + [None, float("nan"), ""]
    info = _subnets(texts)
    for text in texts:
        if not isinstance(text, str):
            continue
        try:
            want = _subnet(text)
        except (AddrFormatError, ValueError, TypeError) as e:
            with pytest.raises(type(e)):
                info(text)
            continue
        got = info(text)
        _same(got[0], want[0])
        assert got[1:] == want[1:], text
    assert _subnets([]) == {}
