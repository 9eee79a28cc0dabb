"""Build hook: the parser engines compiled with Cython, when it can be done.

Metadata and dependencies live in setup.cfg.  This file only adds the optional compiled
engines: ``netconsol/platforms/_cisco.py`` and ``_hw.py`` are plain Python (the source of
truth, run as such wherever no compiler is at hand) and are also compiled, unchanged, into
extension modules of the same names.  A compiled engine takes 1.3-1.5x less CPU time than the
interpreter running the same code (benchmarks/bench_parsers.py prints both).  The flags are
GCC's and Clang's; another compiler that refuses them leaves the plain Python engines.

Each compiled module carries the SHA-256 of the source it was built from
(``__source_sha256__``); ``netconsol.platforms`` loads the plain source instead when the two
differ (a source edited after ``pip install -e .``), or when ``NETCONSOL_PURE=1`` is set.
A missing Cython or compiler, or a failed compile, leaves the plain Python engines: the
install never fails for it.

One rule for the engines' source: no list, set or dict comprehension in module-level code
(a generator expression, ``list(x for x in ...)``, instead).  Cython 3.0-3.3 compiles such a
comprehension for CPython 3.11 so that each run of it drops one reference to None per loop
variable that it never took: a few runs go unnoticed, a comprehension in a module-level loop
aborts the interpreter at exit ("none_dealloc").  tests/platforms/test_engines.py checks the rule.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ENGINES = ("_cisco", "_hw")            # netconsol/platforms/<name>.py
STAGE = Path("build") / "cython"       # relative: the build's own directory, never a machine path


class OptionalBuildExt(build_ext):
    """build_ext that warns and carries on when an engine does not compile; the engines side by side."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            self.parallel = min(len(ENGINES), os.cpu_count() or 1)

    def run(self):
        try:
            super().run()
        except Exception as e:  # no compiler, no Python headers...
            self.warn(f"netconsol: compiled engines not built ({e}); the plain Python engines are used")

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as e:
            self.warn(f"netconsol: {ext.name} not compiled ({e}); its plain Python source is used")


def _extensions():
    if os.environ.get("NETCONSOL_PURE") == "1":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    from setuptools import Extension

    # Cython reads a staged copy of each engine with one line added, the SHA-256 of the source,
    # so that a stale build can be told from a fresh one at import time
    pkg = STAGE / "netconsol" / "platforms"
    pkg.mkdir(parents=True, exist_ok=True)
    for d in (STAGE / "netconsol", pkg):
        (d / "__init__.py").write_text("")
    exts = []
    for name in ENGINES:
        src = (HERE / "netconsol" / "platforms" / f"{name}.py").read_bytes()
        staged = pkg / f"{name}.py"
        body = src + f"\n\n__source_sha256__ = {hashlib.sha256(src).hexdigest()!r}\n".encode()
        if not staged.exists() or staged.read_bytes() != body:
            staged.write_bytes(body)
        # no debug information: a third of the compile time, four fifths of the size
        exts.append(Extension(f"netconsol.platforms.{name}", [str(staged)], extra_compile_args=["-g0"]))
    try:
        return cythonize(exts, compiler_directives={"language_level": 3, "binding": True,
                                                    # Python semantics exactly: annotations are not C types
                                                    "annotation_typing": False},
                         build_dir=str(STAGE / "c"), quiet=True)
    except Exception as e:  # a Cython that cannot read the source: plain Python it is
        print(f"netconsol: compiled engines not built ({e}); the plain Python engines are used")
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
