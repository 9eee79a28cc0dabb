"""One conformance suite for every platform parser, driven by fixture folders.

tests/fixtures/platforms/<platform>/<case>/input.cfg   the config text
tests/fixtures/platforms/<platform>/<case>/expected.json

expected.json may hold "device" (dict, compared key by key), and any of the
tables "interfaces", "vrfs", "routes", "nat", "bgp", "neighbors": the full list
of rows the parser must return, each row compared on the keys the expected
rows name (so a fixture states only what it proves, but extra or missing rows
fail).  Optional "coverage": {"lines", "understood", "ignored",
"unrecognized": [line numbers]} and "detect_min" (minimum confidence).
"""
import json
from pathlib import Path

import pytest

from netconsol import platforms

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "platforms"
CASES = sorted(p for p in HERE.glob("*/*") if (p / "expected.json").is_file())
TABLES = ("interfaces", "vrfs", "routes", "nat", "bgp", "neighbors")


def _project(rows, keys):
    return sorted((json.dumps({k: r.get(k) for k in keys}, sort_keys=True, ensure_ascii=False, default=str)
                   for r in rows))


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_platform_case(case):
    platform = case.parent.name
    text = (case / "input.cfg").read_text(encoding="utf-8")
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    mod = platforms.get(platform)
    result = mod.parse(text)
    assert result.check_counts(), "understood + ignored + unrecognized != lines"
    for k, v in expected.get("device", {}).items():
        assert result.device.get(k) == v, f"device.{k}"
    for table in TABLES:
        if table not in expected:
            continue
        want = expected[table]
        keys = sorted({k for r in want for k in r}) or ["location"]
        assert _project(getattr(result, table), keys) == _project(want, keys), table
    cov = expected.get("coverage")
    if cov:
        for k in ("lines", "understood", "ignored"):
            if k in cov:
                assert getattr(result, k) == cov[k], k
        if "unrecognized" in cov:
            assert [n for n, _ in result.unrecognized] == cov["unrecognized"]
    if "detect_min" in expected:
        name, conf = platforms.detect(text)
        assert name == platform and conf >= expected["detect_min"]


def test_every_platform_has_cases():
    have = {p.parent.name for p in CASES}
    assert set(platforms.PLATFORMS) <= have, f"platforms without fixture cases: {set(platforms.PLATFORMS) - have}"
