"""json_indented is json.dumps(ensure_ascii=False, indent=1) written for speed: same text."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from netconsol.render.plans import json_indented, plan_document

ODD = [{}, [], {"a": []}, {"a": {}}, (1, (2, 3)), "s", 3, None, 1e-7, 1e16, -0.0, 10 ** 30,
       [1, 2.5, float("nan"), float("inf"), -float("inf"), True, False, None, 'q"\\\n\t\u2028\x00é中文'],
       {"k": [{"x": [[], {}, [1, [2, {"y": None}]]]}], "中文": "值", "": ""},
       {1: "int key", None: "none key"}]          # non-str keys: the json module's own answer


@pytest.mark.parametrize("obj", ODD)
def test_odd_values(obj):
    assert json_indented(obj) == json.dumps(obj, ensure_ascii=False, indent=1)


def test_seeded_random_documents():
    rng = random.Random(3)

    def value(depth):
        r = rng.random()
        if depth > 3 or r < 0.5:
            return rng.choice([None, True, False, rng.randint(-10 ** 6, 10 ** 6), rng.random() * 1e3,
                               "".join(rng.choice("ab,\"\\\n中é ") for _ in range(rng.randint(0, 6)))])
        if r < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {f"k{i}": value(depth + 1) for i in range(rng.randint(0, 4))}

    for _ in range(300):
        doc = value(0)
        assert json_indented(doc) == json.dumps(doc, ensure_ascii=False, indent=1)


def test_demo_plans_in_both_languages():
    from netconsol.analyze import analyze
    from netconsol.analyze.exits import load_exit_rules, plan_exits
    from netconsol.analyze.merge import load_domain_rules, plan_merge
    from netconsol.collectors import collect

    inv = analyze(collect([Path(__file__).resolve().parents[2] / "inventories" / "zaozhuang-demo"]))
    plans = [plan_merge(inv, load_domain_rules()), plan_exits(inv, load_exit_rules())]
    for plan in plans:
        for lang in ("zh", "en"):
            doc = plan_document(plan, lang)
            assert json_indented(doc) == json.dumps(doc, ensure_ascii=False, indent=1)
