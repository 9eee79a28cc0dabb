"""discover(): which files of an inventory directory are read, in which order."""
from __future__ import annotations

import os
from pathlib import Path

from netconsol.collectors import _SKIP_DIRS, _SKIP_NAMES, SHEET_SUFFIXES, discover

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"


def _reference(root: Path):
    """The rule written plainly with pathlib (the first implementation)."""
    sheets, configs = [], []
    for f in sorted(root.rglob("*")):
        if not f.is_file() or f.name in _SKIP_NAMES or f.name.startswith("."):
            continue
        if any(part in _SKIP_DIRS for part in f.relative_to(root).parts[:-1]):
            continue
        # a link to a file is read only when it resolves inside its own folder (configs/, sheets/ or
        # the inventory), issue 20
        rel = f.relative_to(root).parts
        own = (root / rel[0]).resolve() if rel[0] in ("configs", "sheets") and len(rel) > 1 else root.resolve()
        if f.is_symlink() and not f.resolve().is_relative_to(own):
            continue
        (sheets if f.suffix.lower() in SHEET_SUFFIXES else configs).append((f, f.relative_to(root).as_posix()))
    return sheets, configs


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    files = ["inventory.yaml", "configs/a/r1.cfg", "configs/a/r1.cfg.bak", "configs/a.b/x.cfg", "configs/a-b/y.txt",
             "configs/A/z.cfg", "configs/.hidden.cfg", "configs/.dir/seen.cfg", "rules/columns.yaml",
             "configs/rules/not-read.cfg", ".git/config", "live/host.cfg", "configs/sub/live/no.cfg",
             "sheets/部门.xlsx", "sheets/exits.CSV", "sheets/README.md", "ground_truth.json", "top.cfg",
             "configs/__pycache__/x.pyc", "configs/deep/er/est/r9.cfg"]
    for rel in files:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("hostname x\n", encoding="utf-8")
    os.symlink(root / "top.cfg", root / "configs" / "link.cfg")          # a link out of configs/: not read
    os.symlink(root / "configs" / "A" / "z.cfg", root / "configs" / "inlink.cfg")  # a link inside it: read
    os.symlink(root / "configs" / "a", root / "configs" / "linkdir")     # a link to a folder: not followed
    os.symlink(root / "missing.cfg", root / "configs" / "broken.cfg")   # a dangling link: not a file
    return root


def test_discover_matches_the_pathlib_rule(tmp_path):
    root = _tree(tmp_path)
    found = discover([root])
    manifest, base, sheets, configs = found
    assert (sheets, configs) == _reference(root)
    assert manifest == root / "inventory.yaml" and base == root
    rels = [r for _, r in configs]
    assert "configs/inlink.cfg" in rels and "configs/.dir/seen.cfg" in rels
    # a link out of configs/ (to the inventory's top.cfg) is not read, and said so
    assert "configs/link.cfg" not in rels and [r for r, _ in found.refused] == ["configs/link.cfg"]
    assert not any(r.startswith(("configs/linkdir/", "rules/", "live/", ".git/")) or "/rules/" in r or "/live/" in r
                   for r in rels)
    assert [r for _, r in sheets] == ["sheets/exits.CSV", "sheets/部门.xlsx"]


def test_discover_demo_matches_the_pathlib_rule():
    _m, _b, sheets, configs = discover([DEMO])
    assert (sheets, configs) == _reference(DEMO)
    assert len(configs) > 100 and len(sheets) > 5


def test_discover_exclude_matches_resolving_every_path(tmp_path):
    """discover(exclude=...) derives a file's real path from its folder's (only links are resolved):
    the same files as resolving every file and folder, with the inventory itself reached through a
    link (so given and real paths differ) and exclusions named through that link."""
    root = _tree(tmp_path)
    for rel in ("out/snapshot/devices.csv", "out/report.md", "configs/a/keep.cfg", "configs/a/drop.cfg"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("hostname y\n", encoding="utf-8")
    (root / "history.sqlite").write_text("x", encoding="utf-8")
    alias = tmp_path / "alias"
    os.symlink(root, alias)
    exclude = [alias / "out", alias / "history.sqlite", alias / "configs" / "a" / "drop.cfg",
               root / "configs" / "A" / "z.cfg"]      # z.cfg: also what configs/inlink.cfg resolves to
    skip = {os.path.realpath(x) for x in exclude}

    def kept(f: Path) -> bool:
        rel = f.relative_to(alias).parts
        return not any(os.path.realpath(alias.joinpath(*rel[:i])) in skip for i in range(1, len(rel) + 1))

    want_sheets, want_configs = _reference(alias)
    _m, _b, sheets, configs = discover([alias], exclude=exclude)
    assert sheets == [x for x in want_sheets if kept(x[0])]
    assert configs == [x for x in want_configs if kept(x[0])]
    rels = {r for _, r in configs}
    assert "configs/a/keep.cfg" in rels and "configs/a/r1.cfg" in rels
    assert not rels & {"configs/a/drop.cfg", "configs/A/z.cfg", "configs/inlink.cfg", "history.sqlite"}
    assert not any(r.startswith("out/") for r in rels)
    # without exclude the same tree gives every file
    assert "configs/a/drop.cfg" in {r for _, r in discover([alias])[3]}
