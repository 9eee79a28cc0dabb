"""Shared helpers of the hardening tests: a private copy of the demo inventory per test."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "inventories" / "zaozhuang-demo"


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    dst = tmp_path / "inv"
    shutil.copytree(DEMO, dst)
    return dst
