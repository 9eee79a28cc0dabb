import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _find_corpus() -> Path:
    """The shared public corpus: $NETCONSOL_CORPUS, else ../shared/corpus beside the
    checkout or beside any parent (a clone in a temporary directory), else the
    workplace's /work/shared/corpus."""
    env = os.environ.get("NETCONSOL_CORPUS")
    if env:
        return Path(env)
    for parent in ROOT.parents:
        cand = parent / "shared" / "corpus"
        if cand.is_dir():
            return cand
    return Path("/work/shared/corpus")


CORPUS = _find_corpus()


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The public corpus. Absent: the tests that read it are skipped with the reason, except where
    NETCONSOL_REQUIRE_CORPUS=1 (set by .ci/run): there its absence fails them, so CI never passes
    without the public configs."""
    if not CORPUS.is_dir():
        msg = f"public corpus not found at {CORPUS} (clone it beside the checkout as ../shared/corpus or set NETCONSOL_CORPUS)"
        if os.environ.get("NETCONSOL_REQUIRE_CORPUS") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return CORPUS
