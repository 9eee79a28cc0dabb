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
    if not CORPUS.is_dir():
        pytest.fail(f"public corpus not found at {CORPUS} (set NETCONSOL_CORPUS)")
    return CORPUS
