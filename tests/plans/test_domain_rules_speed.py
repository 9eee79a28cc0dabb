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


def test_decide_with_a_rule_memo_gives_the_plain_decision_on_hostile_networks():
    """decide(rules, net, memo) keeps each rule's value per combination of the fields it reads (and
    their types); over many networks sharing one memo, every decision equals decide() alone."""
    import numpy as np

    rules = load_domain_rules()
    rnd = random.Random(2325)
    texts = ["", "政务外网", "vpn", "VPN gw", "视频专网", "dmz 区", "=cmd()", "a \"quoted\"\nline", "+1", "1", "True",
             " ", "公安", "便民服务 门户", "办公 oa"]
    flags = [True, False, None, pd.NA, np.True_, np.False_, float("nan"), 1, 0]
    memo: dict = {}
    n_memo = 0
    for i in range(1500):
        net = {"network": f"N{i}", "name": rnd.choice(texts), "kind": rnd.choice(["lan", "dedicated", "", None, 1]),
               "purpose": rnd.choice(texts), "tags": rnd.choice(["", "dmz", "public web", "vpn x", None]),
               "vertical_ministry": rnd.choice(["", "公安部", None, pd.NA]), "department": rnd.choice(["A", ""])}
        for f in ("classified", "public_facing", "on_extranet", "built_by_upper"):
            net[f] = rnd.choice(flags)
        if rnd.random() < 0.02:
            net["tags"] = ["unhashable"]   # a value no memo key holds: decided alone
            try:
                plain = decide(rules, net)
            except Exception as e:   # the plain path's own failure, the memo path must fail alike
                try:
                    decide(rules, net, memo)
                except type(e):
                    continue
                raise AssertionError("the memo path did not fail as the plain one did")
        else:
            plain = decide(rules, net)
        assert decide(rules, net, memo) == plain, net
        n_memo = len(memo)
    assert n_memo < 1500 * len(rules.rules) / 2   # the memo is shared: most rule values were reused
