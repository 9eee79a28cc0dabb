"""Fixtures for the topology HTML tests: one headless Chromium for the session, a watched page
per test, and the graphs (a collected public corpus network, the demo city, a seeded
demo-like graph)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cdp import Chromium, chromium_binary  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="session")
def browser():
    if not chromium_binary():
        pytest.fail("chromium not found: run tests/setup.sh (apt-get install chromium) or set NETCONSOL_CHROMIUM")
    with Chromium(width=1280, height=800) as b:
        yield b


@pytest.fixture
def page(browser):
    p = browser.new_page()
    yield p
    p.close()


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory):
    """The demo city, collected once (inventories/zaozhuang-demo)."""
    if not (DEMO / "inventory.yaml").is_file():
        pytest.fail(f"demo inventory missing at {DEMO}")
    from netconsol.collectors import collect

    out = tmp_path_factory.mktemp("demo") / "snapshot"
    collect([DEMO]).save(out)
    return out
