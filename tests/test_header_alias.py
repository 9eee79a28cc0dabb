"""The header search's alias lookup (rules._longest_alias) against the plain computation: the
longest alias (two characters or more) a folded header starts with, after an exact alias."""
import random

from netconsol import rules
from netconsol.rules import fold_header, load_columns


def _plain(aliases: dict, h: str) -> str:
    if aliases.get(h):
        return aliases[h]
    best = ""
    for a, f in aliases.items():
        if len(a) >= 2 and len(a) < len(h) and h.startswith(a) and len(a) > len(best):
            best = a
    return aliases[best] if best else ""


def test_longest_alias_agrees_with_the_plain_scan():
    cols = load_columns()
    aliases = cols.aliases
    rng = random.Random(77)
    words = list(aliases) + ["10.1.1.0/24，10.2.2.0-63", "金山县", "a", "ip", "x" * 80, "单", "", "联系人电话"]
    checked = hits = 0
    for _ in range(20000):
        w = rng.choice(words)
        cut = rng.randrange(len(w) + 1)
        h = rng.choice([w, w[:cut], w + rng.choice(words), rng.choice("单ip地址带宽") + w, w + "（必填）"])
        h = fold_header(h)
        if not h:
            continue
        want = _plain(aliases, h)
        assert rules._longest_alias(aliases, h) == want, h
        assert rules._longest_alias(aliases, h, rules._alias_reach(aliases)) == want, h
        assert cols.field_for(h) == want, h
        checked += 1
        hits += bool(want)
    assert checked > 15000 and hits > 3000


def test_longest_alias_small_and_empty_alias_tables():
    assert rules._longest_alias({}, "anything") == ""
    table = {"ab": "x", "abcd": "y", "b": "z"}
    for h, want in (("ab", "x"), ("abc", "x"), ("abcde", "y"), ("abcd", "y"), ("b", "z"), ("bc", ""), ("a", "")):
        assert rules._longest_alias(table, h) == want == _plain(table, h)
