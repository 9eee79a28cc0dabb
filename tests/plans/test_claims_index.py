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


def _block(rnd, ver):
    width = 32 if ver == 4 else 128
    plen = rnd.choice([0, width, width - 1]) if rnd.random() < 0.1 else rnd.randint(8, width)
    first = rnd.randrange(1 << 12) << (width - 12) if rnd.random() < 0.5 else rnd.randrange(1 << width)
    first &= ~((1 << (width - plen)) - 1)
    return ver, first, first + (1 << (width - plen)) - 1


def test_plan_claims_answer_what_a_scan_of_the_claims_in_claim_order_answers():
    """_PlanClaims finds each member prefix's overlaps up front (one sweep); a query must still give
    exactly the claimed entries a scan of every claim gives, in claim order: fixed entries (pools,
    domain prefixes, repeated ranges among them), then the members' prefixes as they are claimed
    (IPv4 and IPv6 mixed, /0, host routes, the same prefix in several members, members with none)."""
    from types import SimpleNamespace

    from netconsol.analyze.merge import _PlanClaims

    rnd = random.Random(2324)
    asked = 0
    for _ in range(80):
        fixed = []
        for i in range(rnd.randint(0, 30)):
            ver, first, last = _block(rnd, rnd.choice([4, 4, 6]))
            fixed.append((first, last, ver, f"pool{i}", rnd.choice(["pool", "domain"]), "", rnd.random() < 0.5))
            if rnd.random() < 0.2:   # the same range again, another owner
                fixed.append((first, last, ver, f"dup{i}", "domain", "d", False))
        pool = [(e[2], e[0], e[1]) for e in fixed] or [_block(rnd, 4)]
        members = []
        for _ in range(rnd.randint(0, 25)):
            bounds = sorted({rnd.choice(pool) if rnd.random() < 0.3 else _block(rnd, rnd.choice([4, 4, 6]))
                             for _ in range(rnd.randint(0, 4))})
            members.append(SimpleNamespace(bounds=bounds))
        pc = _PlanClaims(list(fixed), members)
        claimed = list(fixed)
        for m in members:
            base = pc.base[id(m)]
            for j, (ver, first, last) in enumerate(m.bounds):
                want = [e for e in claimed if e[2] == ver and e[0] <= last and e[1] >= first]
                assert pc.overlapping(base + j) == want
                asked += 1
            for j, (ver, first, last) in enumerate(m.bounds):
                if rnd.random() < 0.7:   # kept (or hidden): claimed; moved: not
                    e = (first, last, ver, f"net{id(m)}", "network", "", False)
                    pc.claim(base + j, e)
                    claimed.append(e)
    assert asked > 500
