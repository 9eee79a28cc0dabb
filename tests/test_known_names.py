"""sheets.Known's name folding (a district or town cell -> the manifest's name) through its index,
against the plain scan of every name, on hostile lists: duplicates, names that are prefixes of
each other, an empty name, suffix-only names, stems equal to other names, the city's name."""
import random

from netconsol.collectors.sheets import Known


def _lists(rng):
    chars = "金山东港城关西北南河镇乡县区市街道"
    suffixes = ["", "县", "区", "市", "镇", "乡", "街道", "街道办事处"]
    for _ in range(60):
        base = ["".join(rng.choice(chars) for _ in range(rng.randrange(1, 4))) + rng.choice(suffixes)
                for _ in range(rng.randrange(0, 60))]
        if rng.random() < 0.3:
            base += rng.sample(base, min(3, len(base)))      # duplicates
        if rng.random() < 0.1:
            base.append("")
        if rng.random() < 0.2:
            base += ["县", "街道", "镇"]                      # a suffix alone
        rng.shuffle(base)
        yield tuple(base)


def test_fold_name_index_agrees_with_the_plain_scan():
    rng = random.Random(99)
    checked = folded = 0
    for names in _lists(rng):
        for city in ("", "金山市", "东港"):
            k = Known()
            k.city = city
            texts = list(names) + [n[:j] for n in names for j in range(len(n))] + [city + n for n in names[:10]]
            texts += ["".join(rng.choice("金山东港城关县区镇") for _ in range(rng.randrange(1, 5))) for _ in range(40)]
            for t in texts:
                if not t:
                    continue
                want = k._fold_name_plain(t, names)
                assert k._fold_name_scan(t, names) == want, (t, names, city)
                assert k._fold_name(t, names) == (t if t in names else want)
                checked += 1
                folded += want != t
    assert checked > 5000 and folded > 500
