"""Benchmark (issue #3): interfaces, addresses and VRFs from >= 5,000 configs, side by side.

One run times, on the same files and extracting the same fields
(file, interface, ip/prefixlen, vrf, secondary):

1. the floor: a bare Python loop that reads, decodes and splits each file into lines;
2. netconsol: the platform parser of each file (known platform), and again with detection;
3. ttp: one parser, one template, all files as its input (``ttp(data=DIR)``, single process);
4. ciscoconfparse2: in a subprocess with the python of a throwaway venv
   (``benchmarks/_work/venv``, created on first use; GPL-3.0, so never a netconsol dependency),
   timed inside the subprocess; interpreter start and import are reported apart.

Every tool's output is normalized to a set of tuples and the sets must be equal
before any timing is printed (else: counts, a diff sample, exit 1).

Inputs are written deterministically under ``benchmarks/_work/`` (git-ignored):

- IOS: copies of the 13 Batfish example configs (``shared/corpus/batfish/.../configs``)
  with renamed hostnames, shifted interface addresses and, by copy number, a
  ``vrf forwarding`` or ``ip vrf forwarding`` interface and secondary addresses;
- VRP / Comware: copies of a real NE40E VRP config (faddr RANCID fixture) and a real
  Comware 7 config (netutils fixture), renamed, shifted, some with ``sub`` addresses;
  netconsol only (ttp and ciscoconfparse2 have no VRP/Comware equivalent), checked
  against a plain count of the ``ip address`` statements.

    python benchmarks/bench_parsers.py                  # 5,200 + 5,200 files, best of 3
    python benchmarks/bench_parsers.py --files 520 --no-ccp --repeat 1   # quick look
    python benchmarks/bench_parsers.py --profile        # + cProfile of the netconsol hot path
    python benchmarks/bench_parsers.py --instructions 1040   # + instruction counts (valgrind)

CPU seconds on a shared 2-core machine move by +-20% between runs; ``--instructions N`` also
counts the machine instructions of one pass of each tool over every k-th of the files (N of
them), under valgrind's callgrind, after a first pass (so what the tools remember is warm):
a measure the machine's load does not move.  Instructions are not time (regex C code runs
more instructions per cycle than the Python interpreter), so both are printed.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"


def _find_corpus() -> Path:
    """$NETCONSOL_CORPUS, else shared/corpus beside the checkout or any parent (as tests/conftest.py)."""
    if os.environ.get("NETCONSOL_CORPUS"):
        return Path(os.environ["NETCONSOL_CORPUS"])
    for parent in ROOT.parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared" / "corpus"
    return Path("/work/shared/corpus")


CORPUS = _find_corpus()
BATFISH = CORPUS / "batfish/networks/example/live/configs"
VRP_SRC = CORPUS / "faddr/tests/fixtures/rancid/group_01_3rows/configs/huawei-vrp-v800-ne40"
COMWARE_SRC = CORPUS / "netutils/tests/unit/mock/config/parser/base/hp_comware/hp_comware_full_sent.txt"

TARGETS = {"ttp": 3.0, "ciscoconfparse2": 50.0}   # netconsol must be this many times faster
FLOOR_TARGET = 10.0                                 # netconsol within this factor of the bare loop

# --------------------------------------------------------------------------- inputs

_MASK_LEN = {".".join(str((((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF) >> s) & 255) for s in (24, 16, 8, 0)): n
             for n in range(33)}
_ADDR = re.compile(r"^( ip address )(\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+)$")


def _shift(ip: str, k: int) -> str:
    p = [int(x) for x in ip.split(".")]
    v = (((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) + (k << 8)) & 0xFFFFFFFF
    if v >> 24 in (0, 127) or v >> 24 >= 224:
        v = (v & 0x00FFFFFF) | (11 << 24)
    return f"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}"


def derive_ios(text: str, base: str, r: int) -> tuple[str, str]:
    """Copy *r* of a Batfish config: (hostname, text).  Deterministic."""
    host = f"{base}-{r:03d}"
    vrf_kind = r % 3                      # 0 none, 1 'vrf forwarding', 2 'ip vrf forwarding'
    vrf = f"CUST{r % 5}" if vrf_kind == 1 else f"MGMT{r % 4}"
    n_sec = (2 if r % 8 == 0 else 1) if r % 4 == 0 else 0
    out, addressed, vrf_done, block_done = [], 0, False, False
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("hostname "):
            out.append(f"hostname {host}")
            continue
        if line.startswith("interface ") and not block_done and vrf_kind:
            out += ([f"vrf definition {vrf}", f" rd 65000:{r}", " address-family ipv4", " exit-address-family", "!"]
                    if vrf_kind == 1 else [f"ip vrf {vrf}", f" rd 65000:{r}", "!"])
            block_done = True
        m = _ADDR.match(line)
        if m:
            addressed += 1
            if addressed == 2 and vrf_kind and not vrf_done:     # IOS prints the VRF before the address
                out.append(f" vrf forwarding {vrf}" if vrf_kind == 1 else f" ip vrf forwarding {vrf}")
                vrf_done = True
            a = _shift(m.group(2), r)
            out.append(f" ip address {a} {m.group(3)}")
            o = a.split(".")
            for j in range(n_sec):
                out.append(f" ip address {172 if j == 0 else 192}.{(16 + r % 16) if j == 0 else 168}.{o[2]}.{o[3]} "
                           f"{m.group(3)} secondary")
            continue
        out.append(line)
    return host, "\n".join(out) + "\n"


def derive_hw(text: str, base: str, r: int) -> tuple[str, str]:
    """Copy *r* of a VRP or Comware config: (sysname, text); every 4th copy gets ' sub' addresses."""
    host = f"{base}-{r:04d}"
    out = []
    for line in text.splitlines():
        if line.startswith("sysname "):
            out.append(f"sysname {host}")
            continue
        m = _ADDR.match(line)
        if m:
            a = _shift(m.group(2), r)
            out.append(f" ip address {a} {m.group(3)}")
            if r % 4 == 0:
                o = a.split(".")
                out.append(f" ip address 172.{16 + r % 16}.{o[2]}.{o[3]} {m.group(3)} sub")
            continue
        out.append(line)
    return host, "\n".join(out) + "\n"


def build_inputs(n: int) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Write the IOS and the VRP/Comware sets (n files each); return their paths (+ platform for HW)."""
    ios_dir, hw_dir = WORK / "ios", WORK / "hw"
    for d in (ios_dir, hw_dir):
        d.mkdir(parents=True, exist_ok=True)
        for p in d.iterdir():
            p.unlink()
    bases = sorted(BATFISH.glob("*.cfg"))
    if len(bases) != 13:
        sys.exit(f"expected the 13 Batfish example configs in {BATFISH}, found {len(bases)}")
    texts = [(b.stem, b.read_text()) for b in bases]
    ios = []
    for k in range(n):
        base, text = texts[k % len(texts)]
        host, out = derive_ios(text, base, k // len(texts))
        p = ios_dir / f"{host}.cfg"
        p.write_text(out)
        ios.append(p)
    hw_src = [("vrp", "ne40", VRP_SRC.read_text()), ("comware", "cw7", COMWARE_SRC.read_text())]
    hw = []
    for k in range(n):
        plat, base, text = hw_src[k % 2]
        host, out = derive_hw(text, base, k // 2)
        p = hw_dir / f"{host}.cfg"
        p.write_text(out)
        hw.append((p, plat))
    return ios, hw


# --------------------------------------------------------------------------- the tools

def run_bare(paths) -> tuple[int, None]:
    lines = 0
    for p in paths:
        with open(p, "rb") as f:
            lines += len(f.read().decode("utf-8").splitlines())
    return lines, None


def run_netconsol(items, detect: bool, cold: bool = False) -> tuple[int, set]:
    """Every run starts with nothing remembered (``platforms.forget()``): what the engines
    remember of repeated blocks is built within the run.  *cold*: forget before every file
    too, the figure for a fleet in which no block of text repeats."""
    from netconsol.platforms import base, forget, get
    from netconsol.platforms import detect as detect_platform

    out, lines = set(), 0
    add = out.add
    forget()
    for p, plat in items:
        if cold:
            forget()
        with open(p, "rb") as f:
            text, _ = base.decode(f.read())
        if detect:
            plat, _conf = detect_platform(text)
        r = get(plat).parse(text)
        lines += r.lines
        name = p.stem
        for row in r.interfaces:
            if row["family"] == 6:
                continue
            addr = row["address"]
            add((name, row["interface"], addr, row["vrf"] or "", bool(row["secondary"]) if addr else False))
    return lines, out


def run_minimal(items) -> tuple[int, set]:
    """A reference, not a tool: the least a per-line classifier does for these fields alone.  Every
    line is looked at once (comment, top-level statement or child; its first word checked against
    the IOS engine's known words, so coverage could be counted), interfaces keep addresses and
    VRF; nothing else is read (no BGP, routes, NAT, issues, other dialects, odd indentation).
    What netconsol's engine would cost if it read only what ttp's template reads."""
    from netconsol.platforms import _cisco, base, ios

    known_top = set(ios.TOP_IGNORE) | set(ios.IosParser().top_handlers())
    known_if = set(_cisco.IF_IGNORE) | set(ios.IosParser().interface_handlers())
    mask_len = _cisco._V4_LEN
    out, lines = set(), 0
    for p, _plat in items:
        with open(p, "rb") as f:
            text, _ = base.decode(f.read())
        name, ifaces, itf, unrecognized = p.stem, [], None, []
        for n, line in enumerate(text.split("\n"), 1):
            if not line or line[0] == "!":
                continue
            lines += 1
            w = line.split()
            if line[0] != " ":
                itf = None
                if w[0] == "interface":
                    itf = [w[1], "", None, []]
                    ifaces.append(itf)
                elif w[0] not in known_top:
                    unrecognized.append(n)
                continue
            if itf is None:
                continue
            if w[0] == "ip" and len(w) > 3 and w[1] == "address":
                if len(w) > 4 and w[4] == "secondary":
                    itf[3].append(f"{w[2]}/{mask_len[w[3]]}")
                else:
                    itf[2] = f"{w[2]}/{mask_len[w[3]]}"
            elif w[0] == "vrf" and len(w) > 2:
                itf[1] = w[2]
            elif w[0] == "ip" and len(w) > 3 and w[1] == "vrf":
                itf[1] = w[3]
            elif w[0] not in known_if:
                unrecognized.append(n)
        for iname, vrf, primary, secondaries in ifaces:
            if primary:
                out.add((name, iname, primary, vrf, False))
            out.update((name, iname, a, vrf, True) for a in secondaries)
            if not primary and not secondaries:
                out.add((name, iname, "", vrf, False))
    return lines, out


TTP_TEMPLATE = """
<group name="host">
hostname {{ hostname }}
</group>
<group name="interfaces">
interface {{ interface | _start_ }}
 vrf forwarding {{ vrf }}
 ip vrf forwarding {{ vrf }}
 ip address {{ ip }} {{ mask }}
 <group name="secondaries*">
 ip address {{ ip | _start_ }} {{ mask }} secondary
 </group>
</group>
"""


def run_ttp(directory: Path) -> tuple[int, set]:
    from ttp import ttp

    parser = ttp(data=str(directory), template=TTP_TEMPLATE)
    parser.parse(one=True)             # single process, like every other row
    out = set()
    ttp_tuples(parser.result()[0], out)
    return 0, out


def ttp_tuples(results, out: set) -> None:
    """(host, interface, ip/len, vrf, secondary) tuples into *out* from ttp's results (one per input)."""
    for res in results:
        host = res.get("host", {}).get("hostname", "")
        ifaces = res.get("interfaces", [])
        if isinstance(ifaces, dict):   # ttp returns a dict for a single match
            ifaces = [ifaces]
        for i in ifaces:
            name, vrf = i["interface"], i.get("vrf", "")
            if "ip" in i:
                out.add((host, name, f"{i['ip']}/{_MASK_LEN[i['mask']]}", vrf, False))
            secs = i.get("secondaries", [])
            if isinstance(secs, dict):
                secs = [secs]
            for s in secs:
                out.add((host, name, f"{s['ip']}/{_MASK_LEN[s['mask']]}", vrf, True))
            if "ip" not in i and not secs:
                out.add((host, name, "", vrf, False))


CCP_CHILD = r'''
import json, re, sys, time
t0 = time.perf_counter()
from ciscoconfparse2 import CiscoConfParse
t_import = time.perf_counter() - t0
MASK_LEN = {".".join(str((((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF) >> s) & 255) for s in (24, 16, 8, 0)): n
            for n in range(33)}
ADDR = re.compile(r"^\s+ip address (\S+) (\S+)(?: (secondary))?\s*$")
VRF = re.compile(r"^\s+(?:ip )?vrf forwarding (\S+)")
paths = json.loads(sys.stdin.read())
runs = []
for _ in range(int(sys.argv[1])):
    w, c = time.perf_counter(), time.process_time()
    out = []
    for path in paths:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8").splitlines()
        name = path.rsplit("/", 1)[-1][:-4]
        parse = CiscoConfParse(lines, syntax="ios")
        for intf in parse.find_objects(r"^interface\s"):
            iface = intf.text.split(None, 1)[1].strip()
            vrf = ""
            for ch in intf.find_child_objects(r"vrf forwarding"):
                m = VRF.match(ch.text)
                if m:
                    vrf = m.group(1)
            n = 0
            for ch in intf.find_child_objects(r"^\s+ip address \S+ \S+"):
                m = ADDR.match(ch.text)
                if m:
                    out.append((name, iface, f"{m.group(1)}/{MASK_LEN[m.group(2)]}", vrf, bool(m.group(3))))
                    n += 1
            if not n:
                out.append((name, iface, "", vrf, False))
    runs.append((time.perf_counter() - w, time.process_time() - c))
from importlib.metadata import version
print(json.dumps({"import_s": t_import, "runs": runs, "rows": out, "version": version("ciscoconfparse2")}))
'''


def ccp_python() -> Path:
    """The throwaway venv's python, with ciscoconfparse2 as pinned in requirements-venv.txt."""
    venv = WORK / "venv"
    py = venv / "bin" / "python"
    pin = next(l.split("#")[0].strip() for l in (HERE / "requirements-venv.txt").read_text().splitlines()
               if l.startswith("ciscoconfparse2"))
    have = subprocess.run([str(py), "-c", "import ciscoconfparse2"], capture_output=True) if py.exists() else None
    if have is None or have.returncode:
        print(f"creating {venv} with {pin} (benchmark only; GPL-3.0, never a netconsol dependency)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", pin], check=True)
    return py


def run_ccp(paths, repeat: int) -> dict:
    py = ccp_python()
    t = time.perf_counter()
    proc = subprocess.run([str(py), "-c", CCP_CHILD, str(repeat)], input=json.dumps([str(p) for p in paths]),
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode:
        sys.exit(f"ciscoconfparse2 child failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout)
    res["rows"] = {tuple(r) for r in res["rows"]}
    res["startup_s"] = wall - sum(w for w, _ in res["runs"])   # interpreter + import + JSON, untimed
    return res


# --------------------------------------------------------------------------- measuring

def best_of(n: int, fn, *args):
    """(wall, cpu) of the least-CPU of n runs of fn(*args), and its result; a function marked
    ``timed_inside`` (a subprocess's work) returns its own (wall, cpu) with its result."""
    best, result = None, None
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        result = fn(*args)
        t = (time.perf_counter() - w, time.process_time() - c)
        if getattr(fn, "timed_inside", False):
            t, result = result
        if best is None or t[1] < best[1]:     # CPU time: other jobs' load inflates wall time
            best = t
    return best, result


def interleaved(n: int, *calls):
    """Each of n repeats runs every (fn, *args) in turn; per call the least-CPU run is kept:
    [(wall, cpu), result] in the order given."""
    best = [None] * len(calls)
    results = [None] * len(calls)
    for _ in range(n):
        for k, (fn, *args) in enumerate(calls):
            t, results[k] = best_of(1, fn, *args)
            if best[k] is None or t[1] < best[k][1]:
                best[k] = t
    return list(zip(best, results))


def compare(named: dict) -> bool:
    names = list(named)
    ref = named[names[0]]
    ok = True
    for other in names[1:]:
        s = named[other]
        if s != ref:
            ok = False
            print(f"MISMATCH {names[0]} ({len(ref)} tuples) vs {other} ({len(s)} tuples)")
            for label, d in ((f"only in {names[0]}", ref - s), (f"only in {other}", s - ref)):
                for t in sorted(d)[:8]:
                    print(f"  {label}: {t}")
                if len(d) > 8:
                    print(f"  ... {len(d) - 8} more {label}")
    return ok


def table(title, rows, files, lines, bare, nc):
    """Ratios use CPU seconds (best run): robust to other jobs on the cores; wall seconds shown too."""
    print(f"\n{title}: {files:,} files, {lines:,} lines")
    print(f"{'tool':<36}{'files':>6}{'lines':>10}{'wall s':>8}{'cpu s':>8}{'us/line':>8}{'x bare':>7}"
          f"{'netconsol faster':>17}")
    for tool, (w, c) in rows:
        sp = "" if tool.startswith(("netconsol", "bare")) else f"{c / nc[1]:.1f}x"
        print(f"{tool:<36}{files:>6,}{lines:>10,}{w:>8.3f}{c:>8.3f}{c / lines * 1e6:>8.2f}{c / bare[1]:>7.1f}{sp:>17}")


def profile_netconsol(items, label, top=18):
    from netconsol.platforms import base, get

    texts = [(base.decode(p.read_bytes())[0], get(plat)) for p, plat in items]
    prof = cProfile.Profile()
    prof.enable()
    for text, mod in texts:
        mod.parse(text)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(top)
    print(f"\n--- cProfile, netconsol parse only, {label} ({len(texts):,} files), by own time ---")
    print("\n".join(l for l in s.getvalue().splitlines()[4:] if l.strip()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=5200, help="files per set (IOS, and VRP/Comware); default 5200")
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool, best kept (default 3)")
    ap.add_argument("--ccp-repeat", type=int, default=1, help="runs of ciscoconfparse2 (slow; default 1)")
    ap.add_argument("--no-ccp", action="store_true", help="skip ciscoconfparse2 (no venv needed)")
    ap.add_argument("--profile", action="store_true", help="cProfile netconsol's parsers on both sets")
    ap.add_argument("--instructions", type=int, default=0, metavar="N",
                    help="also count instructions of a pass over N of the files per tool (needs valgrind)")
    ap.add_argument("--_passes", nargs=2, metavar=("TOOL", "K"), help=argparse.SUPPRESS)   # child of --instructions
    args = ap.parse_args()
    if args._passes:
        return _passes(args._passes[0], int(args._passes[1]))

    import ttp as ttp_mod
    import netconsol

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"python {platform.python_version()}, netconsol {netconsol.__version__ if hasattr(netconsol, '__version__') else ''}"
          f" @ {commit}, ttp {getattr(ttp_mod, '__version__', '') or _dist_version('ttp')}, {os.cpu_count()} cores")
    ios, hw = build_inputs(args.files)
    ios_items = [(p, "ios") for p in ios]

    print(f"load average before measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f"  (other jobs share the cores: tools interleaved, best of {args.repeat} kept)", flush=True)

    # ---- IOS: every tool, interleaved (each repeat runs them all in turn, so they share the
    # machine's conditions of the moment; per tool the run with the least CPU time is kept)
    (t_bare, (lines, _)), (t_nc, (nc_lines, nc)), (t_ncd, (_, ncd)), (t_ncc, (_, ncc)), (t_ttp, (_, tt)), \
        (t_min, (_, mn)) = interleaved(args.repeat, (run_bare, ios), (run_netconsol, ios_items, False),
                                       (run_netconsol, ios_items, True), (run_netconsol, ios_items, False, True),
                                       (run_ttp, WORK / "ios"), (run_minimal, ios_items))
    sets = {"netconsol": nc, "netconsol+detect": ncd, "netconsol cold": ncc, "ttp": tt, "minimal classifier": mn}
    ccp = None
    if not args.no_ccp:
        print(f"ciscoconfparse2: {args.ccp_repeat} run(s) of {len(ios):,} files in a subprocess ...", flush=True)
        ccp = run_ccp(ios, args.ccp_repeat)
        sets["ciscoconfparse2"] = ccp["rows"]
    ok = compare(sets)
    n_sec = sum(1 for t in nc if t[4])
    n_vrf = sum(1 for t in nc if t[3])
    n_addr = sum(1 for t in nc if t[2])
    print(f"IOS results {'IDENTICAL' if ok else 'DIFFER'} across {', '.join(sets)}: {len(nc):,} tuples "
          f"({n_addr:,} addresses, {n_sec:,} secondary, {n_vrf:,} in a VRF)")

    # ---- VRP / Comware: netconsol vs the floor
    (h_bare, (h_lines, _)), (h_nc, (_, hnc)), (h_ncd, (_, hncd)), (h_ncc, (_, hncc)) = \
        interleaved(args.repeat, (run_bare, [p for p, _ in hw]), (run_netconsol, hw, False),
                    (run_netconsol, hw, True), (run_netconsol, hw, False, True))
    expect = sum(1 for p, _ in hw for l in p.read_text().splitlines() if _ADDR.match(l) or _ADDR.match(l.removesuffix(" sub")))
    got = sum(1 for t in hnc if t[2])
    hw_ok = compare({"netconsol": hnc, "netconsol+detect": hncd, "netconsol cold": hncc}) and got == expect
    print(f"VRP/Comware: {got:,} addresses extracted, {expect:,} 'ip address' statements in the files "
          f"({'OK' if hw_ok else 'MISMATCH'})")
    if not (ok and hw_ok):
        sys.exit(1)

    rows = [("bare read+decode+split (floor)", t_bare), ("netconsol ios.parse", t_nc),
            ("netconsol detect + parse", t_ncd), ("netconsol, each file cold", t_ncc), ("ttp (1 template, 1 process)", t_ttp),
            ("minimal classifier (reference)", t_min)]
    if ccp:
        ccp_best = min(ccp["runs"], key=lambda r: r[1])
        rows.append(("ciscoconfparse2 (subprocess)", tuple(ccp_best)))
    table("IOS (Batfish-derived)", rows, len(ios), lines, t_bare, t_nc)
    print(f"  minimal classifier: interfaces/addresses/VRFs alone, every line classified (see run_minimal): "
          f"{t_ttp[1] / t_min[1]:.1f}x faster than ttp")
    if ccp:
        print(f"  ciscoconfparse2 {ccp['version']}: import {ccp['import_s']:.2f} s, interpreter start + import + "
              f"result transfer {ccp['startup_s']:.2f} s (not in the timed figure)")
    table("VRP + Comware (corpus-derived)", [("bare read+decode+split (floor)", h_bare),
                                             ("netconsol vrp/comware parse", h_nc),
                                             ("netconsol detect + parse", h_ncd),
             ("netconsol, each file cold", h_ncc)],
          len(hw), h_lines, h_bare, h_nc)

    print("\ntargets (CPU-time ratios):")
    verdicts = [("netconsol >= 3x faster than ttp", t_ttp[1] / t_nc[1], TARGETS["ttp"], True)]
    if ccp:
        verdicts.append(("netconsol >= 50x faster than ciscoconfparse2", ccp_best[1] / t_nc[1],
                         TARGETS["ciscoconfparse2"], True))
    verdicts += [("netconsol IOS within 10x of bare loop", t_nc[1] / t_bare[1], FLOOR_TARGET, False),
                 ("netconsol VRP/Comware within 10x of bare loop", h_nc[1] / h_bare[1], FLOOR_TARGET, False)]
    for label, v, goal, higher in verdicts:
        met = v >= goal if higher else v <= goal
        print(f"  {label:<48} {v:7.1f}x  {'MET' if met else 'MISSED'}")

    if args.profile:
        profile_netconsol(ios_items, "IOS")
        profile_netconsol(hw, "VRP + Comware")
    if args.instructions:
        count_instructions(ios, hw, args.instructions)


# --------------------------------------------------------------------------- instruction counts

_SAMPLE = WORK / "sample"
_TOOLS = {"bare IOS": "bare-ios", "netconsol IOS": "nc-ios", "ttp IOS": "ttp", "bare VRP/Comware": "bare-hw",
          "netconsol VRP/Comware": "nc-hw"}


def _passes(tool: str, k: int) -> None:
    """Child of --instructions: *k* passes of one tool over the sample."""
    listing = json.loads((_SAMPLE / "listing.json").read_text())
    ios = [Path(p) for p in listing["ios"]]
    hw = [(Path(p), plat) for p, plat in listing["hw"]]
    for _ in range(k):
        if tool == "bare-ios":
            run_bare(ios)
        elif tool == "nc-ios":
            run_netconsol([(p, "ios") for p in ios], False)
        elif tool == "ttp":
            run_ttp(_SAMPLE / "ios")
        elif tool == "bare-hw":
            run_bare([p for p, _ in hw])
        else:
            run_netconsol(hw, False)


def count_instructions(ios: list, hw: list, n: int) -> None:
    valgrind = shutil.which("valgrind")
    if not valgrind:
        print("\ninstructions: valgrind not found (Debian: apt-get install valgrind); skipped")
        return
    step = max(1, len(ios) // n)
    ios_s, hw_s = ios[::step][:n], hw[::step][:n]
    shutil.rmtree(_SAMPLE, ignore_errors=True)
    (_SAMPLE / "ios").mkdir(parents=True)
    for p in ios_s:
        shutil.copyfile(p, _SAMPLE / "ios" / p.name)
    (_SAMPLE / "listing.json").write_text(json.dumps({"ios": [str(_SAMPLE / "ios" / p.name) for p in ios_s],
                                                      "hw": [[str(p), plat] for p, plat in hw_s]}))

    def collected(tool, k):
        return subprocess.Popen([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                                 str(Path(__file__).resolve()), "--_passes", tool, str(k)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    print(f"\ninstructions (callgrind; one pass over {len(ios_s):,} IOS and {len(hw_s):,} VRP/Comware files, "
          f"after a first pass; millions):", flush=True)
    got = {}
    for label, tool in _TOOLS.items():
        one, two = collected(tool, 1), collected(tool, 2)     # the two runs share the machine's 2 cores
        counts = []
        for proc in (one, two):
            m = re.search(r"Collected : (\d+)", proc.communicate()[1])
            counts.append(int(m.group(1)) if m else 0)
        got[label] = (counts[1] - counts[0]) / 1e6
        print(f"  {label:<36} {got[label]:9,.0f} M", flush=True)
    print(f"  ttp / netconsol IOS: {got['ttp IOS'] / got['netconsol IOS']:.2f}x; netconsol / bare: IOS "
          f"{got['netconsol IOS'] / got['bare IOS']:.1f}x, VRP/Comware "
          f"{got['netconsol VRP/Comware'] / got['bare VRP/Comware']:.1f}x")


def _dist_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return "?"


if __name__ == "__main__":
    main()
