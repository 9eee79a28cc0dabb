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


# ---- typing and sorting the tables (Inventory.from_rows)
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from netconsol import schema  # noqa: E402
from netconsol.inventory import _sorted  # noqa: E402


@pytest.mark.parametrize("seed", range(8))
def test_int_and_bool_columns_equal_pandas_conversion(seed):
    rng = random.Random(seed)
    n = rng.choice([0, 1, 5, 300])
    none_share = rng.choice([0.0, 0.3, 1.0])
    ints = [None if rng.random() < none_share else rng.choice([0, -1, 7, 2**62, -2**63, 2**63 - 1]) for _ in range(n)]
    bools = [None if rng.random() < none_share else rng.choice([True, False]) for _ in range(n)]
    got_i, got_b = schema._typed_fast(list(ints), "int"), schema._typed_fast(list(bools), "bool")
    assert got_i.dtype == "Int64" and got_b.dtype == "boolean"
    assert got_i.tolist() == pd.array(ints, dtype="Int64").tolist()
    assert got_b.tolist() == pd.array(bools, dtype="boolean").tolist()
    assert [v is pd.NA for v in got_i.tolist()] == [v is None for v in ints]
    assert [v is pd.NA for v in got_b.tolist()] == [v is None for v in bools]


def test_int_column_too_wide_for_int64_is_refused_as_pandas_does():
    with pytest.raises((OverflowError, TypeError)):
        pd.array([2**70, None], dtype="Int64")
    with pytest.raises((OverflowError, TypeError)):
        schema._typed_fast([2**70, None], "int")


def _pandas_sorted(table, df):
    return df.sort_values(list(schema.TABLES[table].key), kind="mergesort", na_position="first").reset_index(drop=True)


@pytest.mark.parametrize("seed", range(6))
def test_sorting_by_key_equals_pandas_mergesort(seed):
    """Python's sort of the key tuples gives pandas' stable order: repeated keys (arrival order
    kept), empty cells, non-ASCII text, prefixes of each other, and a single-column key."""
    rng = random.Random(seed)
    words = ["", "a", "A", "a b", "ab", "b", "中", "中文", "Ω", "z\x00", "10.1.1.0/24", "10.1.1.0/8", "é", "e\u0301"]
    n = rng.choice([1, 2, 50, 400])
    rows = [{"prefix": rng.choice(words), "network": rng.choice(words), "vrf": rng.choice(words[:4]),
             "device": rng.choice(words), "interface": rng.choice(words[:3]), "source": rng.choice(words[:3]),
             "location": rng.choice(words[:2]), "note": str(i)} for i in range(n)]
    df = schema.frame("prefixes", rows)
    got = _sorted("prefixes", df)
    assert got.equals(_pandas_sorted("prefixes", df))
    assert got["note"].tolist() != [] and len(got) == n
    devices = schema.frame("devices", [{"device": rng.choice(words), "vendor": str(i)} for i in range(n)])
    assert _sorted("devices", devices).equals(_pandas_sorted("devices", devices))


def test_sorting_a_key_with_missing_cells_is_left_to_pandas():
    df = schema.frame("devices", [{"device": "b"}, {"device": "a"}, {"device": "c"}])
    df["device"] = pd.array(["b", None, "a"], dtype="str")
    got = _sorted("devices", df)
    assert got["device"].isna().tolist() == [True, False, False]
    assert got.equals(_pandas_sorted("devices", df))


# ---- exit verdicts (collectors/exit_evidence.py)
import re  # noqa: E402

from netconsol.collectors.exit_evidence import ExitEvidenceRules  # noqa: E402


def _plain_is_datacentre(words, *texts):
    for w in words:
        for t in texts:
            if not t:
                continue
            if w.isascii():
                if re.search(r"(?<![a-z0-9])" + re.escape(w) + r"(?![a-z0-9])", t.lower()):
                    return True
            elif w in t:
                return True
    return False


def test_datacentre_words_in_one_pattern_equal_one_search_per_word():
    rng = random.Random(77)
    pool = ["dc", "idc", "dc1", "data center", "DC", "c.d", "a+b", "数据中心", "机房", "", "x"]
    alphabet = "dcix1 .+-_数据中心机房ABD"
    for _ in range(300):
        words = tuple(rng.sample(pool, rng.randint(0, 5)))
        rules = ExitEvidenceRules(path="-", management_vrfs=frozenset(), datacentre_words=words)
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(0, 4))]
        assert rules.is_datacentre(*texts) == _plain_is_datacentre(words, *texts), (words, texts)
    rules = ExitEvidenceRules(path="-", management_vrfs=frozenset(), datacentre_words=("dc", "数据中心"))
    assert rules.is_datacentre("", "City-DC-2") and rules.is_datacentre("市数据中心")
    assert not rules.is_datacentre("idc", "dcx", "abc")


# ---- repeated keys and the paused collector (collectors/__init__.py)
import gc  # noqa: E402
import os  # noqa: E402

from netconsol.collectors import _init_worker, _key_text, _key_tuples, collect_rows  # noqa: E402


def test_key_text_equals_str_of_value_or_empty():
    rng = random.Random(5)
    pool = ["", "a", "中", None, 0, 1, 2.5, 0.0, False, True, "0"]
    for n in (0, 1, 10, 200):
        for choices in (pool[:3], pool[:4], pool):
            values = [rng.choice(choices) for _ in range(n)]
            assert _key_text(list(values)) == [str(v or "") for v in values]
    rows = [{"device": "r1", "vrf": None}, {"device": None, "vrf": 0}, {}]
    assert _key_tuples(rows, ("device", "vrf")) == [("r1", ""), ("", ""), ("", "")]


def test_collection_pauses_the_collector_and_gives_it_back(monkeypatch):
    DEMO = os.path.join(os.path.dirname(__file__), "..", "inventories", "zaozhuang-demo")
    seen = []
    import netconsol.collectors as C
    orig = C.attribute

    def spy(rows, manifest):
        seen.append(gc.isenabled())
        return orig(rows, manifest)
    C.attribute = spy
    try:
        assert gc.isenabled()
        rows = collect_rows([DEMO], workers=1)
    finally:
        C.attribute = orig
    assert seen == [False] and gc.isenabled() and rows["devices"]
    import netconsol.workers

    monkeypatch.setattr(netconsol.workers, "die_with_parent", lambda parent=None: None)
    gc.disable()        # a forked pool worker starts with the parent's collector paused
    try:
        _init_worker({}, None, None)
        assert gc.isenabled()
    finally:
        gc.enable()


# ---- attribution by containment (attribute.py)
from netaddr import IPNetwork  # noqa: E402

from netconsol.attribute import PrefixIndex, _inside_any, _own_ranges, _parse  # noqa: E402


def _random_cidr(rng, v6=False):
    if v6:
        plen = rng.choice([32, 48, 56, 64, 127, 128])
        return str(IPNetwork(f"2001:db8:{rng.randrange(4):x}::{rng.randrange(65536):x}/{plen}").cidr)
    plen = rng.choice([0, 8, 12, 16, 20, 24, 28, 30, 32])
    return str(IPNetwork(f"10.{rng.randrange(3)}.{rng.randrange(4)}.{rng.randrange(256)}/{plen}").cidr)


def test_own_range_shortcut_equals_the_index_of_every_range():
    """The shortcut (a prefix inside one of its own network's ranges) holds exactly when the
    index of every network's ranges lists that network among the ranges holding the prefix."""
    rng = random.Random(4242)
    networks = [{"id": f"N{k}", "prefixes": sorted({_random_cidr(rng, v6=rng.random() < 0.3)
                                                    for _ in range(rng.randint(0, 3))})} for k in range(40)]
    index = PrefixIndex((p, n["id"]) for n in networks for p in n["prefixes"])
    own = _own_ranges(networks)
    inside = 0
    for _ in range(3000):
        cidr = _random_cidr(rng, v6=rng.random() < 0.3)
        contained = set().union(*index.lookup(cidr))
        for n in networks:
            got = _inside_any(_parse(cidr), own.get(n["id"], ()))
            assert got == (n["id"] in contained), (cidr, n)
            inside += got
    assert inside > 100        # the inputs do land inside ranges, not only outside them
