"""Generate a realistic, fictitious consolidation case for a city like Zaozhuang, with its answers.

    >>> from netconsol.generate import generate_city
    >>> summary = generate_city("inventories/zaozhuang-demo", seed=2017)

writes an inventory directory the collectors read (``inventory.yaml``,
``configs/``, ``sheets/``) plus ``ground_truth.json`` (what an analysis of it
must find) and a ``README.md``.  Same seed and sizes, byte-identical files.

Sizes: ``scale`` multiplies the demo (6 districts, 40 city departments, 12
private networks, 30 exits); explicit sizes override it:

- ``districts``: beyond the 6 real ones, fictitious districts are added;
- ``towns_per_district``: default the real counts (64 in all), ~10 for added districts;
- ``departments``: city-level departments (at most %(max_depts)d);
- ``district_departments``: bureaus per district (default 4);
- ``private_networks``: the 12 canonical ones, then district copies;
- ``exits``: separately bought internet exits (scale alone caps them at %(exit_cap)d: the
  documentation blocks hold only so many /29s and /30s);
- ``devices``: total device configs; extra access routers are added to towns to reach it;
- ``unconnected_towns``: towns without an extranet line (default ~6%%).

This module writes files because writing an inventory is its whole job; it
prints nothing.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import model
from .configs import render
from .model import GenerateError, SIZE_KEYS, plan, resolve_sizes
from .sheets import build_sheets, write_sheet_file
from ..rules import DEFAULT_RULES_DIR
from .truth import check, ground_truth, manifest_text, readme_text

__all__ = ["generate_city", "GenerateError", "SIZE_KEYS", "DEFAULT_SEED", "CITIES"]
__doc__ = __doc__ % {"max_depts": len(model.P.CITY_DEPARTMENTS), "exit_cap": model.EXIT_CAP_BY_SCALE}

DEFAULT_SEED = 2017
CITIES = tuple(model.P.PROFILES)   # city profiles: the demo's (zaozhuang) and a made-up second city
_OWNED = ("configs", "sheets", "rules", "inventory.yaml", "ground_truth.json", "README.md")


def _prepare(out: Path):
    """An empty directory, or one this generator wrote before (its files are replaced)."""
    if out.exists():
        if not out.is_dir():
            raise GenerateError(f"output {str(out)!r} exists and is not a directory")
        entries = [p.name for p in out.iterdir()]
        if entries and "ground_truth.json" not in entries:
            raise GenerateError(f"output directory {str(out)!r} is not empty and holds no ground_truth.json: "
                                f"refusing to overwrite an inventory the generator did not write")
        for name in _OWNED:
            p = out / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)


def exit_rules_text(w) -> str:
    """The generated city's own rules/exits.yaml: the shipped file with the city's unified exit sites
    (the big-data centre, a backup exit in the seat district) and its plan date.  The shipped rules
    name no place; a city names its own."""
    text = (DEFAULT_RULES_DIR / "exits.yaml").read_text(encoding="utf-8")
    names = [d["name"] for d in w.districts]
    seat = w.P.seat if w.P.seat in names else names[0]
    sites = (
        "sites:\n"
        "  - id: city-core\n    name: 市大数据中心\n    name_en: City big-data centre\n    district: \"\"\n"
        "    role: primary\n    capacity_share: 1.0\n"
        f"  - id: seat-backup\n    name: {seat}备份出口\n    name_en: {seat} backup exit\n    district: {seat}\n"
        "    role: backup\n    capacity_share: 0.5\n    carrier_split: even\n    optional_carriers: []\n")
    head = "# Written by netconsol generate: the generated city's exit sites and plan date.\n"
    return head + text.replace("sites: []\n", sites, 1).replace("plan_date: null", f"plan_date: {model.CUTOFF}", 1)


def generate_city(out_dir, seed: int = DEFAULT_SEED, scale: float = 1.0, city: str = model.P.DEFAULT_PROFILE,
                  **sizes) -> dict:
    """Write a generated case into *out_dir*; return a summary (counts, sizes, bytes written).

    Raises :class:`GenerateError` for sizes it cannot honour (naming the size and
    the limit) and when *out_dir* holds files it did not write.  *city* names a profile of
    :data:`CITIES`: ``zaozhuang`` (the demo's divisions) or ``hongchuan`` (a made-up city).
    """
    if city not in model.P.PROFILES:
        raise GenerateError(f"unknown city profile {city!r}; known: {', '.join(CITIES)}")
    resolved = resolve_sizes(scale, sizes, len(model.P.PROFILES[city].districts))
    out = Path(out_dir)
    try:
        w = plan(seed, scale, resolved, model.P.PROFILES[city])
    except OverflowError as e:      # an allocator ran dry: the sizes ask for more than the plan holds
        raise GenerateError(f"sizes {resolved.as_dict()!r} do not fit the address plan: {e}") from None
    if sizes.get("exits") is None and round(30 * scale) > model.EXIT_CAP_BY_SCALE:
        w.notes.append(f"exits capped at {model.EXIT_CAP_BY_SCALE} (scale {scale} would ask for {round(30 * scale)}): "
                       f"public addresses come only from three documentation /24s")
    sheet_files, sheet_errors = build_sheets(w, seed)
    overlaps, _dups = check(w)
    truth = ground_truth(w, sheet_files, sheet_errors, overlaps)
    _prepare(out)
    written = 0
    dirs = set()
    for d in w.devices:
        path = out / d.path
        if path.parent not in dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            dirs.add(path.parent)
        data = render(d).encode(d.encoding)
        path.write_bytes(data)
        written += len(data)
    (out / "sheets").mkdir(exist_ok=True)
    for f in sheet_files:
        data = write_sheet_file(f)
        (out / f.path).write_bytes(data)
        written += len(data)
    (out / "rules").mkdir(exist_ok=True)
    for name, text in (("rules/exits.yaml", exit_rules_text(w)), ("inventory.yaml", manifest_text(w)),
                       ("ground_truth.json", json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"),
                       ("README.md", readme_text(w, truth))):
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        written += len(data)
    t = truth["totals"]
    return {
        "out_dir": str(out), "seed": seed, "scale": scale, "city": w.P.city, "sizes": resolved.as_dict(),
        "devices": t["devices"], "configs": t["configs"], "sheets": t["sheets"],
        "files": t["configs"] + t["sheets"] + 3, "bytes": written,
        "districts": t["districts"], "towns": t["towns"], "towns_connected": t["towns_connected"],
        "departments": t["departments"], "networks": t["networks"], "exits": t["exits_before"],
        "overlaps": t["overlaps"], "duplicate_ips": t["duplicate_ips"], "sheet_errors": t["sheet_errors"],
        "pools": dict(w.pools), "notes": list(w.notes),
    }
