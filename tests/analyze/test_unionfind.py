"""DisjointSets: the groups and their roots do not depend on the order of the unions."""
import random

import networkx as nx

from netconsol.analyze.unionfind import DisjointSets


def _groups_after(pairs, items):
    s = DisjointSets(items)
    for a, b in pairs:
        s.union(a, b)
    return s, s.groups()


def test_roots_are_smallest_members_whatever_the_union_order():
    rng = random.Random(5)
    items = [f"n{i:03d}" for i in range(300)]
    pairs = [tuple(rng.sample(items, 2)) for _ in range(220)]
    _s, ref = _groups_after(pairs, items)
    for _ in range(5):
        shuffled = [p if rng.random() < 0.5 else p[::-1] for p in rng.sample(pairs, len(pairs))]
        s, got = _groups_after(shuffled, items)
        assert got == ref                                   # same roots, same members, same order
        assert all(root == min(members) for root, members in got.items())
        assert all(s.find(m) == root for root, members in got.items() for m in members)
    # the same partition as networkx's connected components
    g = nx.Graph()
    g.add_nodes_from(items)
    g.add_edges_from(pairs)
    assert sorted(map(sorted, ref.values())) == sorted(sorted(c) for c in nx.connected_components(g))


def test_groups_follow_the_given_order():
    s = DisjointSets(range(6))
    s.union(4, 1)
    s.union(5, 3)
    assert dict(s.groups()) == {0: [0], 1: [1, 4], 2: [2], 3: [3, 5]}
    assert list(s.groups([5, 4, 3, 2, 1, 0])) == [3, 1, 2, 0]        # keyed by root, in order of first member given
    assert s.groups([5, 4, 3, 2, 1, 0])[3] == [5, 3]
