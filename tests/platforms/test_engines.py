"""The parser engines (platforms/_cisco.py, _hw.py) run compiled where setup.py could build them
(Cython, the same source), else as plain Python.  Either way the results are the source's:

- the compiled engines give exactly what the plain Python engines give (``NETCONSOL_PURE=1``, a
  subprocess), over the corpus, the demo configs and mutated variants of them, detection included;
- a compiled build older than its source (edited after ``pip install -e .``) is not run: the
  source is, and ``platforms.ENGINES`` says why;
- the engines' source keeps the one rule setup.py states for Cython's sake.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from netconsol import platforms

from test_cisco_corpus import _mutate  # noqa: E402  (tests/platforms is on sys.path)
from test_parser_memo import _texts  # noqa: E402

ROOT = Path(platforms.__file__).resolve().parents[2]

CHILD = r"""
import dataclasses, json, sys
from netconsol import platforms
items = json.loads(sys.stdin.read())
out = []
for plat, text in items:
    platforms.forget()
    out.append([platforms.detect(text), dataclasses.asdict(platforms.get(plat).parse(text))])
print(json.dumps({"engines": platforms.ENGINES, "results": out,
                  "edited": getattr(sys.modules["netconsol.platforms._cisco"], "EDITED_AFTER_THE_BUILD", False)}))
"""


def _child(items, env_extra, root=ROOT):
    """CHILD run on the netconsol package under *root* (first on its path: ``python -c`` puts the cwd there)."""
    env = {**os.environ, **env_extra}
    env["PYTHONPATH"] = os.pathsep.join([str(root)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    proc = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(items), capture_output=True, text=True,
                          env=env, cwd=str(root))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_compiled_engines_equal_the_plain_python_ones(corpus):
    rng = random.Random(20261128)
    items = _texts(corpus)
    items += [(p, _mutate(rng, t)) for p, t in items]
    pure = _child(items, {"NETCONSOL_PURE": "1"})
    assert set(pure["engines"]) == {"_cisco", "_hw"}
    assert all(v.startswith("python") for v in pure["engines"].values()), pure["engines"]
    here = []
    for plat, text in items:
        platforms.forget()
        here.append([platforms.detect(text), dataclasses.asdict(platforms.get(plat).parse(text))])
    here = json.loads(json.dumps(here))            # tuples as lists, as the child's JSON has them
    assert len(here) == len(pure["results"]) > 120
    diffs = [i for i, (a, b) in enumerate(zip(here, pure["results"])) if a != b]
    assert not diffs, f"{len(diffs)} results differ ({platforms.ENGINES}); first: item {diffs[0]}"
    # and the results are not empty ones: every table the engines fill is filled somewhere
    for table in ("interfaces", "vrfs", "routes", "bgp", "nat", "issues", "unrecognized"):
        assert any(r[1][table] for r in here), table


def test_a_stale_compiled_engine_is_not_run(tmp_path):
    """A copy of the package whose _cisco.py differs from the source its build was made from."""
    pkg = tmp_path / "netconsol"
    shutil.copytree(ROOT / "netconsol", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    src = pkg / "platforms" / "_cisco.py"
    src.write_text(src.read_text() + "\nEDITED_AFTER_THE_BUILD = True\n")
    got = _child([["ios", "hostname r1\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\n"]], {},
                 root=tmp_path)
    def built(name):
        return any(p.suffix in (".so", ".pyd") for p in (ROOT / "netconsol" / "platforms").glob(f"{name}.*"))

    assert got["engines"]["_cisco"] == ("python (compiled build is stale: pip install -e . rebuilds it)"
                                        if built("_cisco") else "python (not compiled)")
    assert got["engines"]["_hw"] == platforms.ENGINES["_hw"]     # its source and build as here: as it runs here
    assert got["edited"] is True        # the edited source is what ran
    result = got["results"][0][1]
    assert result["device"]["hostname"] == "r1"
    assert [r["address"] for r in result["interfaces"]] == ["10.0.0.1/32"]


def test_no_comprehension_in_the_engines_module_level_code():
    """Cython 3.0-3.3 drops a reference to None per loop variable each time a module-level list, set or
    dict comprehension runs (CPython 3.11): in a module-level loop that aborted the interpreter at exit."""
    found = []
    for name in ("_cisco", "_hw"):
        path = ROOT / "netconsol" / "platforms" / f"{name}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_functions = {id(node) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                              ast.Lambda))
                        for node in ast.walk(f)}
        found += [f"{path.name}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp)) and id(n) not in in_functions]
    assert not found, f"module-level comprehensions (use list(x for x in ...)): {found}"
