"""Analyzers catch only what a malformed row raises (its collector reported it as an issue row);
any other fault propagates, and an address pool the merge plan cannot read is an error, not a
pool silently dropped."""
from __future__ import annotations

import pytest

from netconsol.analyze import cidrs, find_conflicts, infer_links, overlaps, topology
from netconsol.analyze.merge import merge_tables
from netconsol.errors import NetconsolError
from netconsol.inventory import Inventory


def _inv(case):
    case.network("a", "gov_private", department="d1", prefixes=["10.1.0.0/24"])
    case.network("b", "gov_private", department="d2", prefixes=["10.1.0.0/25"])
    case.device("r1", department="d1", network="a").iface("r1", "g0", "10.1.0.1/24")
    case.device("r2", department="d2", network="b").iface("r2", "g0", "10.1.0.2/24")
    return case.inv()


def test_a_malformed_prefix_row_is_skipped_not_a_crash(case):
    inv = _inv(case)
    prefixes = inv["prefixes"].copy()
    prefixes.loc[len(prefixes)] = prefixes.iloc[0]
    prefixes.loc[len(prefixes) - 1, "prefix"] = "10.0.317.0/24"
    bad = Inventory({**inv.tables, "prefixes": prefixes})
    good = find_conflicts(inv, {})
    assert len(good) >= 1
    assert find_conflicts(bad, {}).equals(good)


def test_any_other_fault_propagates(case, monkeypatch):
    inv = _inv(case)

    def broken(cidr):
        raise KeyError(cidr)  # a bug, not a bad address

    # find_conflicts reads prefixes in bulk (cidrs.cidr_bounds), which hands any string it does not
    # read itself (here an IPv6 prefix) to net_bounds and catches no more than its address errors
    case.network("c", "gov_private", department="d1", prefixes=["2001:db8::/32"])
    monkeypatch.setattr(cidrs, "net_bounds", broken)
    with pytest.raises(KeyError):
        find_conflicts(case.inv(), {})
    monkeypatch.setattr(topology, "net_bounds", broken)
    with pytest.raises(KeyError):
        infer_links(inv)


def test_an_unreadable_pool_is_an_error(case):
    inv = _inv(case)
    with pytest.raises(NetconsolError, match=r"address pool 'extranet_admin': 'ten/14' is not an address or CIDR"):
        merge_tables(inv, pools={"extranet_admin": ["10.0.0.0/14", "ten/14"]})
    assert len(merge_tables(inv, pools={"extranet_admin": ["10.0.0.0/14"]}).networks) == 2
