"""The domain rules' faster paths answer what the plain computation answers."""
import random

import pandas as pd

from netconsol.domains import _contains, _contains_any, decide, load_domain_rules

WORDS = ["vpn", "vpngw", "gov", "gov.cn", "a+b", "(x)", "e-gov", "dmz", "专网", "政务", "外网", "x", "9", "c++",
         "net work", "Ünï", "z.z", "[a]", "\\d"]
ALPHABET = list("abcxyz09 .-_+()[]\\") + ["vpn", "gov", "dmz", "专网", "政务", "外", "Ünï", "gw", "cn"]


def test_contains_any_is_any_contains_on_random_words_and_texts():
    rnd = random.Random(23)
    for _ in range(4000):
        words = tuple(rnd.sample(WORDS, rnd.randint(1, 6)))
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 12)))
        assert _contains_any(text, words) == any(_contains(text, w) for w in words), (text, words)


def test_contains_any_whole_words():
    # a word that fails its boundary test gives way to a longer one of the same list, not a miss
    assert _contains_any("the vpngw here", ("vpn", "vpngw"))
    assert not _contains_any("avpnb", ("vpn",))
    assert _contains_any("省政务外网", ("政务",))   # non-ASCII words are substrings


def test_assign_domains_decides_alike_networks_once_with_the_same_answers(tmp_path):
    """assign_domains shares one decision between networks alike in every field the rules read:
    each row equals decide() on that network alone."""
    from netconsol.analyze.merge import _rule_fields, assign_domains
    from netconsol.inventory import Inventory

    rules = load_domain_rules()
    fields = _rule_fields(rules)
    assert {"kind", "name"} <= fields
    rnd = random.Random(7)
    rows = []
    for i in range(300):
        rows.append({"network": f"N{i:03d}", "name": rnd.choice(["政务外网", "vpn", "", "视频专网", "dmz 区"]),
                     "kind": rnd.choice(["lan", "dedicated", "internet"]), "department": rnd.choice(["A", "B", ""]),
                     "purpose": rnd.choice(["", "video", "办公"]), "classified": rnd.choice([True, False, None]),
                     "public_facing": rnd.choice([True, False, None]), "district": "", "vertical_ministry": ""})
    from netconsol import schema
    inv = Inventory({"networks": schema.frame("networks", rows)})
    got = assign_domains(inv, rules)
    nets = {r["network"]: r for r in got.to_dict("records")}
    from netconsol.analyze.merge import _scope_networks
    for net in _scope_networks(inv):
        d = decide(rules, net)
        r = nets[net["network"]]
        assert (r["target"], r["method"], r["rule"], r["domain_rule"], bool(r["ambiguous"])) == \
            (d.target, d.method, d.rule, d.domain_rule, d.ambiguous), net
