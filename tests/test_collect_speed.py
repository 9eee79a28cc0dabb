"""The fast paths of collection give what the library paths gave (issue 23).

Exit evidence reads subnets and next hops as integers (a canonical dotted quad in C, anything
else through netaddr); snapshot defusing looks at a column's distinct first characters first;
both must agree with netaddr and with the cell-by-cell rule on every input, odd ones included.
"""
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
