"""The package as a user installs it: a wheel built from the tracked sources, installed into a
fresh virtual environment (not editable), scans the demo city from outside the checkout.

The wheel is pure Python (the parser engines are not compiled since issue 23). The venv sees the
system's site-packages for the dependencies (no download here), but netconsol itself must come
from the wheel: the test checks where it was imported from.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tracked_copy(dst: Path) -> Path:
    """The files git tracks (and the uncommitted edits to them), without build output."""
    try:
        files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                               cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("the wheel test builds from the files git tracks: run it in a git checkout")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / f)
    return dst


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    src = _tracked_copy(tmp / "src")
    env = dict(os.environ, PYTHONPATH="")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp / "dist"), str(src)], check=True, env=env, cwd=tmp)
    wheels = list((tmp / "dist").glob("netconsol-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheels[0])],
                   check=True, env=env, cwd=tmp)
    return py, wheels[0], tmp


def test_wheel_carries_rules_templates_and_vis_network(wheel_venv):
    import zipfile
    _, whl, _ = wheel_venv
    names = set(zipfile.ZipFile(whl).namelist())
    shipped = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "netconsol" / "rules").glob("*.yaml"))
    assert shipped and set(shipped) <= names, set(shipped) - names
    for f in ("netconsol/render/vendor/vis-network-9.1.2/vis-network.min.js",
              "netconsol/render/vendor/vis-network-9.1.2/vis-network.css",
              "netconsol/render/vendor/vis-network-9.1.2/LICENSE-MIT",
              "netconsol/render/templates/topology.js"):
        assert f in names, f


def test_wheel_install_scans_the_demo(wheel_venv):
    py, _, tmp = wheel_venv
    env = dict(os.environ, PYTHONPATH="")
    where = subprocess.run([str(py), "-c", "import netconsol, netconsol.rules as r; "
                            "print(netconsol.__file__); print(r.DEFAULT_RULES_DIR)"],
                           check=True, capture_output=True, text=True, cwd=tmp, env=env).stdout.split()
    venv = str(py.parent.parent)
    assert where[0].startswith(venv) and where[1].startswith(venv), where
    out = tmp / "out"
    cli = py.parent / "netconsol"
    r = subprocess.run([str(cli), "scan", str(ROOT / "inventories" / "zaozhuang-demo"), "--out", str(out)],
                       capture_output=True, text=True, cwd=tmp, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary and (out / "topology.html").stat().st_size > 400_000  # vis-network inlined
    assert (out / "plans" / "exits-plan.md").is_file() and (out / "plans" / "merge-plan.md").is_file()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods.add(node.module.split(".")[0])
    return mods


# import name -> distribution name where they differ
_DIST = {"python_calamine": "python-calamine", "yaml": "pyyaml", "markupsafe": "markupsafe", "jinja2": "jinja2", "websocket": "websocket-client"}


def _declared(section: str) -> set[str]:
    import configparser
    import re
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    key, _, extra = section.partition(":")
    text = cfg["options.extras_require"][extra] if extra else cfg["options"][key]
    return {re.split(r"[<>=!~\[ ]", line.strip())[0].lower() for line in text.splitlines() if line.strip()}


def test_every_third_party_import_is_declared():
    stdlib = set(sys.stdlib_module_names)
    runtime = _declared("install_requires")
    test = runtime | _declared("extras_require:test")
    # tests put their own folders and benchmarks/ on sys.path: their modules are local
    local = {p.stem for d in ("tests", "benchmarks") for p in (ROOT / d).rglob("*.py")}
    # an optional extra (dask) is imported only where its feature runs (collect --dask)
    optional = runtime | _declared("extras_require:dask")
    for folder, declared in (("netconsol", optional), ("tests", test)):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for mod in _imports(path) - stdlib - local - {"netconsol"}:
                assert _DIST.get(mod.lower(), mod.lower()) in declared, f"{path.relative_to(ROOT)} imports {mod!r}, not declared"
