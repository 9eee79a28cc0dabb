import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the shared public corpus lives beside the project (../shared/corpus); NETCONSOL_CORPUS overrides
CORPUS = Path(os.environ.get("NETCONSOL_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"public corpus not found at {CORPUS} (set NETCONSOL_CORPUS)")
    return CORPUS
