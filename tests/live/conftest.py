"""Fixtures for the live-collection tests: credentials and the SSH device simulator."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from livedata import PASSWORD, SECRET, USERNAME  # noqa: E402
from simulator import Simulator  # noqa: E402

from netconsol.credentials import Credentials  # noqa: E402


@pytest.fixture
def creds() -> Credentials:
    return Credentials(USERNAME, PASSWORD, SECRET)


@pytest.fixture
def sim():
    with Simulator() as s:
        yield s
