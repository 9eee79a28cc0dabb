#!/usr/bin/env bash
# Installs what the tests need: the package with its test and dask extras (the dask extra so
# that tests/test_dask_collect.py runs, not skips), and from Debian, when missing: chromium for
# the browser tests of the topology HTML, and LibreOffice's headless calc for the test that
# converts the self-inspection workbook (`netconsol template`) as a clerk's office suite opens it.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e '.[test,dask]'
if command -v apt-get >/dev/null 2>&1; then
  updated=
  if ! command -v chromium >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
      || echo "tests/setup.sh: could not install chromium; browser tests will fail" >&2
    updated=1
  fi
  if ! command -v soffice >/dev/null 2>&1; then
    ( { [ -n "$updated" ] || apt-get update -qq; } \
      && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null) \
      || echo "tests/setup.sh: could not install libreoffice-calc-nogui; the workbook conversion test will skip" >&2
  fi
fi
