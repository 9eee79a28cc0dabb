"""The main process's share of collection (issue 23, the single-core tail): each index or
column-wise path gives what the plain computation gives, on random and hostile inputs."""
from __future__ import annotations

import random

from netconsol.attribute import _TownFinder


def _plain_named(text, cands):
    for i in (1, 2):
        hit = {c[:2] for c in cands if c[i] and c[i] in text}
        if hit:
            return hit
    return set()


def test_town_finder_equals_searching_every_name():
    rng = random.Random(2301)
    alphabet = "南湖东西镇乡街道办事处 -·a"
    for n_cands in (0, 1, 5, 65, 300, 2000):
        cands = []
        for k in range(n_cands):
            town = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
            stem = rng.choice([town[:-1], town[:2], "", town])         # empty stems are never matched
            cands.append((f"D{k % 7}", town, stem))
        finder = _TownFinder(cands)
        for _ in range(60):
            text = "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 3, 12, 40, 200])))
            assert finder.named(text) == _plain_named(text, cands), (n_cands, text)
    # the index path is taken (many names, a short text) and finds nested and repeated names
    cands = [(f"D{k}", f"T{k:05d}镇", f"T{k:05d}") for k in range(3000)] + [("Dx", "湖镇", "湖"), ("Dy", "南湖镇", "南湖")]
    finder = _TownFinder(cands)
    assert finder.named("UPLINK-南湖镇") == {("Dx", "湖镇"), ("Dy", "南湖镇")}
    assert finder.named("to T00042 and T00043") == {("D42", "T00042镇"), ("D43", "T00043镇")}
    assert finder._lengths is not None
