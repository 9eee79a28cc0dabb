"""Seeded fuzzing of every input netconsol reads: configs, CSV and XLSX sheets, YAML.

Each input is a mutation of a real file (the demo inventory's configs and sheets, the public
corpus's configs under ../shared/corpus, the shipped rules) and goes through the collector a
scan would use.  Counted:

* crashes: an exception escaping the collector or the typing of its rows (a bad file must be
  issue rows, never an exception; a YAML loader may only raise its documented errors);
* hangs: an input taking more than --hang seconds (default 10);
* ledger violations: config lines != understood + ignored + unrecognized; sheet rows !=
  accepted + rejected; a CSV whose rows do not cover its physical lines (the reader's check).

    python benchmarks/fuzz.py --n 100000 --seed 1          # the full run (figures in README)
    python benchmarks/fuzz.py --n 300 --seed 7 --json      # what tests/hardening/test_fuzz.py runs

Same seed, same inputs: a failure is reproduced with --seed and --only INDEX.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netconsol import safeyaml  # noqa: E402
from netconsol.collectors.configs import collect_config  # noqa: E402
from netconsol.collectors.sheets import collect_sheet  # noqa: E402
from netconsol.errors import NetconsolError  # noqa: E402
from netconsol.inventory import Inventory  # noqa: E402
from netconsol.platforms.base import decode  # noqa: E402
from netconsol.rules import load_columns  # noqa: E402
import netconsol.normalize as nz  # noqa: E402

DEMO = ROOT / "inventories" / "zaozhuang-demo"
CORPUS = Path(os.environ.get("NETCONSOL_CORPUS", ROOT.parents[1] / "shared" / "corpus"))
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

# what mutations insert: the characters and tokens that broke readers before
ATOMS = ['"', "'", ",", "\r", "\n", "\r\n", "\x00", "\x08", "\x1b[2K", "\t", "=", "+", "-", "@", "＝１＋１",
         "99999999999999999999", "18446744073709551616", "-1", "0", "4095", "4096", "65536", "4294967296",
         "2001:db8:10::1/64", "2001:db8::/32", "::/0", "ipv6 route ::/0 2001:db8::1", "ipv6 address 2001:db8::1/64",
         "ip nat outside", "interface Vlanif99999999999999999999", "vlan 99999", "peer-as 99999999999999999999;",
         "local-as 88888888888888888888;", "autonomous-system 77777777777777777777;", "bgp 99999999999999999999",
         " ", "  ", "#", "!", "}", "{", ";", "\u3000", "１０．１．１．０／２４", "\ufeff", "\u202e", "💥",
         "10.0.0.0/33", "300.1.1.1", "10.1.1.1-10.1.1.0", "*", "<b>", "&amp;", "%s", "{0}", "\\"]


def _files():
    configs = sorted(p for p in (DEMO / "configs").rglob("*") if p.is_file())
    if CORPUS.is_dir():
        for sub in ("batfish", "napalm", "napalm-huawei-vrp", "netutils", "ttp_templates"):
            d = CORPUS / sub
            if d.is_dir():
                configs += sorted(p for p in d.rglob("*") if p.is_file() and p.suffix.lower() in
                                  (".cfg", ".conf", ".txt", ".raw", "") and p.stat().st_size < 200_000)
    csvs = sorted((DEMO / "sheets").glob("*.csv"))
    xlsxs = sorted((DEMO / "sheets").glob("*.xlsx"))
    yamls = sorted((ROOT / "rules").glob("*.yaml")) + [DEMO / "inventory.yaml"]
    return configs, csvs, xlsxs, yamls


def mutate(text: str, rng: random.Random, others: list[str]) -> str:
    for _ in range(rng.choice((1, 1, 1, 2, 3, 5))):
        op = rng.randrange(9)
        n = len(text)
        at = rng.randrange(n + 1) if n else 0
        if op <= 2:                                  # insert an atom
            text = text[:at] + rng.choice(ATOMS) + text[at:]
        elif op == 3 and n:                          # delete a span
            text = text[:at] + text[at + rng.randrange(1, 40):]
        elif op == 4:                                # a line of another file
            src = rng.choice(others).splitlines() or [""]
            text = text[:at] + "\n" + rng.choice(src) + "\n" + text[at:]
        elif op == 5 and n:                          # duplicate or drop a line
            lines = text.splitlines(True)
            i = rng.randrange(len(lines)) if lines else 0
            if lines:
                lines[i:i + 1] = [lines[i]] * rng.choice((0, 2, 3))
            text = "".join(lines)
        elif op == 6 and n:                          # a number made huge
            digits = [i for i in range(min(n, 20000)) if text[i].isdigit()]
            if digits:
                i = rng.choice(digits)
                text = text[:i] + "9" * rng.choice((5, 12, 20, 40)) + text[i + 1:]
        elif op == 7 and n:                          # cut short
            text = text[:at]
        else:                                        # a random byte-ish character
            text = text[:at] + chr(rng.choice((rng.randrange(32), rng.randrange(0x20, 0x3000)))) + text[at:]
    return text


class Hang(BaseException):
    """Raised by the timer: a BaseException, so that no collector's ``except Exception`` turns a
    hang into an issue row."""


def _alarm(signum, frame):
    raise Hang()


def run(n: int, seed: int, hang: float = 10.0, only: int | None = None, progress=None) -> dict:
    configs, csvs, xlsxs, yamls = _files()
    texts = {p: decode(p.read_bytes())[0] for p in configs + csvs + yamls}
    others = [texts[p] for p in configs[:60]]
    xlsx_parts = {p: {i.filename: zipfile.ZipFile(p).read(i) for i in zipfile.ZipFile(p).infolist()} for p in xlsxs}
    columns, carriers = load_columns(), nz.Carriers.load()
    figures = {"inputs": 0, "config": 0, "csv": 0, "xlsx": 0, "yaml": 0, "crashes": 0, "hangs": 0,
               "ledger_violations": 0, "config_lines": 0, "sheet_rows": 0, "issues": 0, "slowest_s": 0.0,
               "seed": seed, "failures": []}
    tmp = Path(tempfile.mkdtemp(prefix="netconsol-fuzz-"))
    old = signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    try:
        for k in range(n):
            rng = random.Random(f"{seed}:{k}")
            if only is not None and k != only:
                continue
            roll = rng.random()
            kind = "config" if roll < 0.6 else "csv" if roll < 0.85 else "xlsx" if roll < 0.9 else "yaml"
            figures["inputs"] += 1
            figures[kind] += 1
            t = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, hang)
            try:
                problem = _one(kind, rng, tmp, configs, csvs, xlsxs, yamls, texts, others, xlsx_parts, columns,
                               carriers, figures)
            except Hang:
                figures["hangs"] += 1
                problem = f"hang > {hang} s"
            except Exception as e:  # noqa: BLE001 - what the fuzzer counts
                figures["crashes"] += 1
                problem = f"crash: {type(e).__name__}: {e}"[:300] + "\n" + traceback.format_exc()[-800:]
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.monotonic() - t
            figures["slowest_s"] = max(figures["slowest_s"], round(took, 3))
            if took > hang and not problem:  # over the limit however it ended
                figures["hangs"] += 1
                problem = f"hang: {took:.1f} s > {hang} s"
            if problem:
                if problem.startswith("ledger"):
                    figures["ledger_violations"] += 1
                figures["failures"].append({"index": k, "kind": kind, "problem": problem})
            if progress and k % 1000 == 999:
                progress(k + 1, figures)
    finally:
        signal.signal(signal.SIGALRM, old)
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["failures"] = figures["failures"][:50]
    return figures


def _one(kind, rng, tmp, configs, csvs, xlsxs, yamls, texts, others, xlsx_parts, columns, carriers, figures):
    if kind == "config":
        src = rng.choice(configs)
        text = mutate(texts[src], rng, others)
        rows = collect_config(src, src.name, carriers=carriers, text=text)
        Inventory.from_rows(rows)  # typing: no overflow, no undeclared column
        figures["issues"] += len(rows["issues"])
        for f in rows["files"]:
            if f.get("lines") is not None and f.get("understood") is not None:
                figures["config_lines"] += f["lines"]
                if f["understood"] + f["ignored"] + f["unrecognized"] != f["lines"]:
                    return f"ledger: {src.name}: {f}"
        return ""
    if kind == "csv":
        src = rng.choice(csvs)
        text = mutate(texts[src], rng, [texts[c] for c in csvs])
        p = tmp / "sheet.csv"
        p.write_bytes(text.encode(rng.choice(("utf-8", "gb18030")), errors="replace"))
        return _sheet(p, src.name, columns, carriers, figures)
    if kind == "xlsx":
        src = rng.choice(xlsxs)
        parts = dict(xlsx_parts[src])
        names = [n for n in parts if n.endswith(".xml")]
        for _ in range(rng.choice((1, 2))):
            name = rng.choice(names)
            body = parts[name].decode("utf-8", errors="replace")
            parts[name] = mutate(body, rng, [body]).encode("utf-8", errors="replace")
        p = tmp / "sheet.xlsx"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            for name, body in parts.items():
                z.writestr(name, body)
        return _sheet(p, src.name, columns, carriers, figures)
    src = rng.choice(yamls)
    text = mutate(texts[src], rng, [texts[y] for y in yamls])
    try:
        safeyaml.load(text)
    except (safeyaml.YamlLimitError, __import__("yaml").YAMLError):
        figures["yaml_refused"] = figures.get("yaml_refused", 0) + 1   # the loader's documented refusal
    p = tmp / src.name
    p.write_text(text, encoding="utf-8", errors="replace")
    try:
        if src.name == "inventory.yaml":
            from netconsol.manifest import load_manifest
            load_manifest(p)
        elif src.name == "columns.yaml":
            load_columns(p)
        elif src.name == "carriers.yaml":
            nz.Carriers.load(p)
        else:
            from netconsol.rules import load_yaml
            load_yaml(p)
    except NetconsolError:
        # a clear error naming the file is the right answer to a broken rules file: counted, not a crash
        figures["rules_refused"] = figures.get("rules_refused", 0) + 1
    return ""


def _sheet(p, name, columns, carriers, figures):
    rows = collect_sheet(p, name, columns, carriers)
    Inventory.from_rows(rows)
    figures["issues"] += len(rows["issues"])
    for i in rows["issues"]:  # the CSV reader's own check: its rows cover every physical line
        if "CSV rows cover" in i["message"]:
            return f"ledger: {name}: {i['message']}"
    for f in rows["files"]:
        figures["sheet_rows"] += f.get("rows") or 0
        if (f.get("rows") or 0) != (f.get("accepted") or 0) + (f.get("rejected") or 0):
            return f"ledger: {name}: {f}"
    return ""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hang", type=float, default=10.0)
    ap.add_argument("--only", type=int)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    def progress(k, f):
        print(f"{k}: crashes {f['crashes']}, hangs {f['hangs']}, ledger {f['ledger_violations']}", file=sys.stderr)

    figures = run(a.n, a.seed, a.hang, a.only, None if a.json else progress)
    if a.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for k, v in figures.items():
            if k != "failures":
                print(f"{k:>18}: {v}")
        for f in figures["failures"][:10]:
            print(f"  #{f['index']} {f['kind']}: {f['problem'][:400]}")
    return 1 if figures["crashes"] or figures["hangs"] or figures["ledger_violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
