"""The merge plan's claim index (_Claims) answers what a scan of every claim answers."""
import random

from netconsol.analyze.merge import _Claims


def _plain(items, version, a, b):
    return [e for e in items if e[2] == version and e[0] <= b and e[1] >= a]


def test_overlapping_equals_a_scan_of_every_claim():
    rnd = random.Random(2323)
    for _ in range(60):
        c, items = _Claims(), []
        for step in range(rnd.randint(1, 80)):
            batch = []
            for _ in range(rnd.randint(1, 5)):
                ver = rnd.choice([4, 4, 6])
                width = 32 if ver == 4 else 128
                plen = rnd.randint(0 if rnd.random() < 0.05 else 8, width)
                first = rnd.randrange(1 << 12) << (width - 12) if rnd.random() < 0.3 else rnd.randrange(1 << width)
                first &= ~((1 << (width - plen)) - 1)
                last = first + (1 << (width - plen)) - 1
                if rnd.random() < 0.2:   # an unaligned range, an equal start claimed twice
                    last = first + rnd.randrange(1 << 10)
                batch.append((first, last, ver, f"owner{step}", "network", "", False))
            if rnd.random() < 0.3:
                c.extend(batch)
            else:
                for e in batch:
                    c.append(e)
            items.extend(batch)
            for _ in range(5):
                probe = rnd.choice(items)
                # before a claim, at its start, at its end, just past it (touching is not sharing)
                a = rnd.choice([probe[0] - rnd.randrange(1 << 8), probe[0], probe[1], probe[1] + 1])
                b = max(a, 0) + rnd.randrange(1 << rnd.randint(0, 40))
                got = c.overlapping(probe[2], max(a, 0), b)
                assert got == _plain(items, probe[2], max(a, 0), b)
    assert c.items == items
