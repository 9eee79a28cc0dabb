"""The fast paths of collection give what the library paths gave (issue 23).

Exit evidence reads subnets and next hops as integers (a canonical dotted quad in C, anything
else through netaddr); snapshot defusing looks at a column's distinct first characters first;
both must agree with netaddr and with the cell-by-cell rule on every input, odd ones included.
"""
import shutil
from pathlib import Path

import pandas as pd
import pytest
from netaddr import IPAddress, IPNetwork

from netconsol.collectors.exit_evidence import _ip, _span
from netconsol.sanitize import defuse_frame, snapshot_text

TEXTS = ["10.1.1.0/24", "10.1.1.5/24", "0.0.0.0/0", "255.255.255.255/32", "100.64.0.0/10", "100.127.255.252/30",
         "203.0.113.8/29", "10.1.1.0/024", "10.1.1.0/33", "010.1.1.0/24", "10.1.1/24", "10.1.1.0", " 10.1.1.0/24",
         "2001:db8::1/64", "2001:DB8:0::/48", "::ffff:10.1.1.1/128", "fe80::1%eth0/64", "bogus", "", "10.1.1.0/",
         "10.1.1.0/x", "1.2.3.4/8", "10.0.0.256/24", "１０.1.1.0/24"]


def _netaddr_span(text):
    try:
        n = IPNetwork(text)
    except Exception:
        return None
    return n.version, n.first, n.last, str(n)


def _netaddr_ip(text):
    try:
        a = IPAddress(text)
    except Exception:
        return None
    return a.version, a.value


@pytest.mark.parametrize("text", TEXTS)
def test_spans_equal_netaddr(text):
    assert _span(text) == _netaddr_span(text)
    host = text.partition("/")[0]
    assert _ip(host) == _netaddr_ip(host)


def test_defuse_frame_equals_cell_by_cell_rule():
    cells = ["x", "=1+1", "", "'quoted", "＝１", "+86", "-", "@sum", "\tTab", "plain", None, "中文"]
    df = pd.DataFrame({"a": pd.array(cells, dtype="str"), "b": pd.array(["safe"] * len(cells), dtype="str")})
    got = defuse_frame(df, ["a", "b"])
    want = [None if v is None else snapshot_text(v) for v in cells]
    assert got["a"].tolist()[:-2] == want[:-2] and got["a"].tolist()[-1] == want[-1]
    assert pd.isna(got["a"].tolist()[-2])
    assert got["b"].tolist() == ["safe"] * len(cells)
    clean = df[["b"]]
    assert defuse_frame(clean, ["b"]) is clean          # nothing to change: the frame itself, no copy


# ---- tables gathered column by column (collect) give what row dicts give (collect_rows)
FIX = Path(__file__).resolve().parent / "fixtures" / "configs"
DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"


def test_columnar_collect_equals_row_dicts(tmp_path):
    import pandas.testing as pdt

    from netconsol.collectors import collect, collect_rows
    from netconsol.inventory import Inventory

    for src in (DEMO,):
        rows = collect_rows([src], workers=1)
        want = Inventory.from_rows(rows)
        got = collect([src], workers=1)
        assert len(got["interfaces"]) > 500 and len(got["bgp"]) > 100
        for name, df in want.tables.items():
            pdt.assert_frame_equal(got[name], df, obj=name)
    # two configs with one hostname: the second device renamed in every columnar table too
    for n in ("a", "b"):
        shutil.copy(FIX / "ga-r01.cfg", tmp_path / f"{n}.cfg")
    got = collect([tmp_path], workers=1)
    assert set(got["interfaces"].device) == {"GA-R01", "GA-R01@b.cfg"}
    pdt.assert_frame_equal(got["interfaces"], Inventory.from_rows(collect_rows([tmp_path], workers=1))["interfaces"])


def test_repeated_key_rows_in_columns_are_kept_once_and_reported():
    from netconsol.collectors import _as_columns, _unique_keys
    from netconsol.inventory import Rows

    rows = Rows()
    base = {"device": "R1", "interface": "Gi0/1", "source": "configs/r1.cfg"}
    rows.add("interfaces", dict(base, address="10.0.0.1/24", location="line 3"))
    rows.add("interfaces", dict(base, address="10.0.0.1/24", location="line 9"))
    rows.add("interfaces", dict(base, address="10.0.0.2/24", location="line 10"))
    rows.add("interfaces", dict(base, address=None, location="line 11"))
    rows.add("interfaces", dict(base, location="line 12"))
    _as_columns(rows)
    assert not rows.tables.get("interfaces") and len(rows.columns["interfaces"]["device"]) == 5
    _unique_keys(rows)
    assert rows.columns["interfaces"]["location"] == ["line 3", "line 10", "line 11"]
    dups = [i for i in rows["issues"] if i["code"] == "duplicate-row"]
    assert [(i["location"], i["value"]) for i in dups] == [("line 9", "R1 Gi0/1 10.0.0.1/24"), ("line 12", "R1 Gi0/1 ")]


def test_frame_columns_equals_frame_and_refuses_undeclared():
    import pandas.testing as pdt

    from netconsol import schema

    odd = [{"device": "r1", "interface": "Gi0/1", "prefixlen": "24", "vlan": 7.0, "admin_up": 1, "secondary": None,
            "family": None, "description": float("nan"), "vrf": pd.NA, "source": "s", "location": 3},
           {"device": "r2", "interface": "Gi0/2", "prefixlen": 24, "vlan": "", "admin_up": "", "secondary": False,
            "family": 4, "description": "d", "source": "s", "location": "line 1"}]
    for k in range(1, len(odd) + 1):
        pdt.assert_frame_equal(schema.frame_columns("interfaces", schema.columns_of("interfaces", odd[:k])),
                               schema.frame("interfaces", odd[:k]))
    with pytest.raises(ValueError, match="undeclared"):
        schema.columns_of("interfaces", odd + [{"device": "x", "bogus": 1}])


def test_network_of_by_index_equals_by_sets():
    """Exit verdicts look up the smallest manifest network holding an address or subnet in an
    index of CIDRs; the answer must be the one asking each network's IPSet gives, ties included."""
    import random

    from netaddr import IPSet

    from netconsol.collectors.exit_evidence import Context

    rng = random.Random(23)
    ctx = Context()
    blocks = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.0/24", "172.16.0.0/12", "192.0.2.0/25",
              "192.0.2.128/25", "2001:db8::/32", "2001:db8:1::/48"]
    for i in range(40):
        ps = IPSet()
        for _ in range(rng.randint(0, 3)):
            base = IPNetwork(rng.choice(blocks))
            plen = min(base.prefixlen + rng.randint(0, 6), 32 if base.version == 4 else 128)
            ps.add(IPNetwork(f"{IPAddress(base.first + rng.randrange(base.size))}/{plen}").cidr)
        ctx.networks.append((ps, f"n{i}", "", False, False))
    queries = []
    for _ in range(1000):
        base = IPNetwork(rng.choice(blocks))
        a = IPAddress(base.first + rng.randrange(base.size))
        queries.append(a)
        queries.append(IPNetwork(f"{a}/{rng.randint(max(0, base.prefixlen - 4), 32 if a.version == 4 else 128)}"))
    hits = 0
    for q in queries:
        got = ctx.network_of(q)
        assert got == ctx._network_of_by_sets(q), q
        hits += got is not None
    assert hits > 300


def test_next_hops_are_placed_as_a_scan_of_every_subnet_would():
    """Exit evidence places a route's next hop (and an eBGP neighbor) on the first interface, in the
    parser's order, whose subnet holds it, in the route's VRF else in any: looked up in an index of
    the subnets by prefix length.  Checked against netaddr over every subnet, on random devices
    with overlapping, nested and repeated subnets in several VRFs, both families."""
    import random

    from netconsol.collectors.exit_evidence import gather
    from netconsol.inventory import Rows
    from netconsol.normalize import Carriers

    rng = random.Random(2311)
    carriers = Carriers.load()
    blocks = [IPNetwork("10.9.0.0/20"), IPNetwork("203.0.113.0/24"), IPNetwork("2001:db8:5::/56")]
    checked = 0
    for device_no in range(60):
        rows, dev = Rows(), f"R{device_no}"
        subnets = []
        for i in range(rng.randint(1, 40)):
            base = rng.choice(blocks)
            plen = rng.randint(base.prefixlen + 2, (32 if base.version == 4 else 128) - 1)
            net = IPNetwork(f"{IPAddress(base.first + rng.randrange(base.size))}/{plen}").cidr
            vrf = rng.choice(["", "", "a", "b"])
            subnets.append((f"If{i}", net, vrf))
            rows.add("interfaces", {"device": dev, "interface": f"If{i}", "subnet": str(net), "vrf": vrf,
                                    "address": str(net.ip), "kind": "physical"})
        expected = {}
        for j in range(rng.randint(1, 30)):
            base = rng.choice(blocks)
            hop = IPAddress(base.first + rng.randrange(base.size))
            vrf = rng.choice(["", "a", "b"])
            rows.add("routes", {"device": dev, "vrf": vrf, "prefix": "0.0.0.0/0" if hop.version == 4 else "::/0",
                                "next_hop": str(hop), "interface": ""})
            on = next((n for n, net, v in subnets if v == vrf and hop in net), None) or \
                next((n for n, net, v in subnets if hop in net), None)
            if on:
                expected.setdefault(on, []).append(str(hop))
        got = {r["interface"]: r["next_hops"].split() for r in gather(dev, rows, carriers, "x.cfg")
               if "default-route" in r["evidence"]}
        assert got == {k: list(dict.fromkeys(v)) for k, v in expected.items()}, dev
        checked += len(expected)
    assert checked > 100
