#!/usr/bin/env bash
# Installs what the tests need: the package with its test and dask extras (the dask extra so
# that tests/test_dask_collect.py runs, not skips), and Debian's
# chromium for the browser tests of the topology HTML when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e '.[test,dask]'
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
      || echo "tests/setup.sh: could not install chromium; browser tests will fail" >&2
  fi
fi
