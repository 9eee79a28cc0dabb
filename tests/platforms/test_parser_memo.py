"""The parser engines remember repeated text across files (boilerplate blocks, ignored lines,
detection windows) to read a fleet faster.  What they remember must never change a result:
each file parsed cold (right after ``platforms.forget()``) equals the same file parsed warm,
after many other files, mutated variants of them and itself have been read, in another order.
"""
from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from netconsol import platforms
from netconsol.platforms.base import decode

from test_cisco_corpus import _mutate  # noqa: E402  (tests/platforms is on sys.path: rootdir-less test modules)

DEMO = Path(__file__).resolve().parents[2] / "inventories" / "zaozhuang-demo" / "configs"

SOURCES = {
    "ios": ["batfish/networks/example/live/configs/*.cfg",
            "faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-ios-15-7206",
            "netutils/tests/unit/mock/config/parser/base/cisco_ios/*.txt"],
    "iosxr": ["faddr/tests/fixtures/rancid/group_01_3rows/configs/cisco-iosxr-6-xrv"],
    "eos": ["netutils/tests/unit/mock/config/parser/base/arista_eos/*.txt"],
    "vrp": ["faddr/tests/fixtures/rancid/group_01_3rows/configs/huawei-vrp-v800-ne40",
            "napalm-huawei-vrp/test/unit/huawei_vrp/**/*.txt"],
    "comware": ["netutils/tests/unit/mock/config/parser/base/hp_comware/*.txt"],
}


def _texts(corpus: Path) -> list[tuple[str, str]]:
    """(platform, text) for the corpus files above and every demo config, in a stable order."""
    out = []
    for plat, patterns in SOURCES.items():
        for pattern in patterns:
            for p in sorted(corpus.glob(pattern)):
                if p.is_file():
                    out.append((plat, decode(p.read_bytes())[0]))
    for p in sorted(DEMO.rglob("*")):
        if p.is_file() and p.suffix in (".cfg", ".txt", ".conf"):
            text = decode(p.read_bytes())[0]
            plat, conf = platforms.detect(text)
            if plat:
                out.append((plat, text))
    return out


def _result(plat: str, text: str) -> dict:
    return dataclasses.asdict(platforms.get(plat).parse(text))


def test_remembered_text_never_changes_a_result(corpus):
    items = _texts(corpus)
    assert {p for p, _ in items} >= {"ios", "iosxr", "eos", "vrp", "comware"}
    assert len(items) > 60
    rng = random.Random(20261127)
    # every file twice: as written, and a mutated variant (truncations, moved blocks, stray bytes)
    items += [(p, _mutate(rng, t)) for p, t in items]

    platforms.forget()
    cold = []
    for plat, text in items:
        platforms.forget()
        cold.append((_result(plat, text), platforms.detect(text)))

    # warm: everything read twice in a shuffled order, then each file again
    order = list(range(len(items)))
    for _ in range(2):
        rng.shuffle(order)
        for k in order:
            platforms.get(items[k][0]).parse(items[k][1])
            platforms.detect(items[k][1])
    for k, (plat, text) in enumerate(items):
        assert platforms.detect(text) == cold[k][1], k
        warm = _result(plat, text)
        assert warm == cold[k][0], (k, plat)


@pytest.mark.parametrize("plat", ["ios", "vrp"])
def test_a_remembered_block_in_another_context_is_read_again(plat):
    """The same text block after an open interface (no bare '!' or '#' between) belongs to it."""
    if plat == "ios":
        block = "ip access-list extended X\n permit ip any any\n"
        a = "hostname a\n!\n" + block + "!\ninterface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n!\nend\n"
        b = "hostname b\n!\ninterface Gi0/2\n description x\n" + block + "!\nend\n"
    else:
        block = "acl number 3000\n rule 5 permit ip\n"
        a = "sysname a\n#\n" + block + "#\ninterface GigabitEthernet0/0/1\n ip address 10.0.0.1 255.255.255.0\n#\nreturn\n"
        b = "sysname b\n#\ninterface GigabitEthernet0/0/2\n description x\n" + block + "#\nreturn\n"
    platforms.forget()
    cold_b = _result(plat, b)
    for _ in range(3):
        _result(plat, a)
    assert _result(plat, b) == cold_b
    assert cold_b["understood"] + cold_b["ignored"] + len(cold_b["unrecognized"]) == cold_b["lines"]
