"""Benchmark: collect a generated 100,000-row self-inspection sheet.

Target (issue #2): <= 10 s and <= 1 GB peak for 100,000 rows.  Each format is
collected in a fresh child process so peak memory (ru_maxrss) is its own.
Side by side, the anchor: pandas.read_csv of the same file (decode + split
only, no normalization), to show what the per-cell normalization costs.

cpu_s is the child's whole CPU time (interpreter start and imports included);
for netconsol, collect_cpu_s is collect_sheet() alone, read_cpu_s the part of
it spent reading the file into rows (read_grids) and tables_cpu_s
Inventory.from_rows() (typing and sorting the tables).  With --xlsx the same
rows as an XLSX are collected twice: with python-calamine (the reader since issue
18) and with the previous hand-written XLSX reader (netconsol/collectors/xlsx.py,
removed by issue 18, loaded from git at PREVIOUS_READER_COMMIT, exactly as it
ran); and the same rows as an .xls (BIFF8 holds 65,536 rows a sheet: two
sheets of half the rows each, written with xlwt) through calamine.  load is the
1-minute load average when the child ends.  The machine is shared: compare
cpu_s, not wall_s, and with --repeat the tools run interleaved.

    python benchmarks/bench_sheets.py [--rows 100000] [--xlsx] [--repeat 1]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PREVIOUS_READER_COMMIT = "0d96681"   # the last commit with netconsol/collectors/xlsx.py
CARRIERS = ["电信", "中国电信枣庄分公司", "联通", "网通", "CMCC", "移动", "广电", "天翼", "China Unicom"]
KINDS = ["互联网", "业务专网", "局域网", "政务外网公共服务域", "专网"]
BW = ["100M", "百兆", "1G", "2*100M", "20Mbps", "千兆", "50M"]
FEES = ["5000元/月", "6万/年", "12000", "", "3000/月"]


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    lines = ["XX市网络自查表", "序号,单位名称,区（市）,镇街,网络类型,接入类型,接入设备,IP地址段,运营商,带宽,费用,用途"]
    for i in range(rows):
        a, b = rnd.randrange(256), rnd.randrange(256)
        r = rnd.random()
        if r < 0.5:
            ip = f"10.{a}.{b}.0/24"
        elif r < 0.7:
            ip = f"192.168.{a}.0 255.255.255.0"
        elif r < 0.8:
            ip = f"10.{a}.{b}.1-254"
        elif r < 0.9:
            ip = f"１０．{a}．{b}．０／２４"
        elif r < 0.995:
            ip = f"203.0.113.{(b // 8) * 8}/29"
        else:
            ip = f"10.{a}.{b}.300/24"  # a bad row now and then
        lines.append(",".join([str(i + 1), f"单位{i % 400}", f"区{i % 6}", f"镇{i % 64}", rnd.choice(KINDS),
                               "互联网专线", f"AR{rnd.randrange(1000, 9999)}", f'"{ip}"', rnd.choice(CARRIERS),
                               rnd.choice(BW), rnd.choice(FEES), "办公"]))
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def make_xls(path: Path, rows: int) -> None:
    import csv as _csv
    import io

    import xlwt

    csv_path = path.with_suffix(".csv")
    make_csv(csv_path, rows)
    recs = list(_csv.reader(io.StringIO(csv_path.read_bytes().decode("gb18030"))))
    head, body = recs[:2], recs[2:]
    wb = xlwt.Workbook(encoding="utf-8")
    half = (len(body) + 1) // 2
    for n, chunk in enumerate((body[:half], body[half:])):
        ws = wb.add_sheet(f"自查{n + 1}")
        for i, rec in enumerate(head + chunk):
            for j, v in enumerate(rec):
                ws.write(i, j, v)
    wb.save(str(path))


def make_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    csv_path = path.with_suffix(".csv")
    make_csv(csv_path, rows)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("自查")
    import csv as _csv
    import io

    for rec in _csv.reader(io.StringIO(csv_path.read_bytes().decode("gb18030"))):
        ws.append(rec)
    wb.save(path)


CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
t = time.perf_counter()
if sys.argv[1] in ("netconsol", "netconsol-previous"):
    from netconsol.collectors import sheets
    from netconsol.inventory import Inventory
    if sys.argv[1] == "netconsol-previous":
        # the hand-written XLSX reader issue 18 removed, as it ran: loaded from git
        import importlib.util, subprocess, tempfile
        src = subprocess.run(["git", "show", sys.argv[3] + ":netconsol/collectors/xlsx.py"], capture_output=True,
                             text=True, check=True, cwd=sys.argv[4]).stdout
        tmp = Path(tempfile.mkdtemp()) / "xlsx_previous.py"
        tmp.write_text(src)
        spec = importlib.util.spec_from_file_location("xlsx_previous", tmp)
        prev = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(prev)
        def previous_grids(path, sheet=None, warnings=None):   # read_grids' signature (CSV warnings unused here)
            out = []
            for title, rows, merged in prev.read_sheets(path)[0]:
                for rng in merged:
                    top = rows[rng.min_row - 1][rng.min_col - 1]
                    for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                        for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                            rows[r][c] = top
                out.append((title, rows, "xlsx"))
            return out
        sheets.read_grids = previous_grids
    read_cpu = []
    read_grids = sheets.read_grids
    def timed_read(*a, **kw):
        r0 = time.process_time()
        try:
            return read_grids(*a, **kw)
        finally:
            read_cpu.append(time.process_time() - r0)
    sheets.read_grids = timed_read
    c0 = time.process_time()
    rows = sheets.collect_sheet(Path(sys.argv[2]), "bench")
    c1 = time.process_time()
    inv = Inventory.from_rows(rows)
    c2 = time.process_time()
    f = inv["files"].iloc[0]
    extra = {"collect_cpu_s": round(c1 - c0, 2), "read_cpu_s": round(sum(read_cpu), 2),
             "tables_cpu_s": round(c2 - c1, 2),
             "rows": int(f.rows), "accepted": int(f.accepted), "rejected": int(f.rejected)}
else:
    import pandas as pd
    df = pd.read_csv(sys.argv[2], encoding="gb18030", skiprows=1, dtype=str)
    extra = {"rows": len(df)}
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": round(wall, 2), "cpu_s": round(ru.ru_utime + ru.ru_stime, 2), "peak_mb": ru.ru_maxrss // 1024,
                  **extra, "load": round(os.getloadavg()[0], 2)}))
"""


ROOT = Path(__file__).resolve().parents[1]


def run(kind: str, path: Path, rows: int | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), PREVIOUS_READER_COMMIT, str(ROOT)],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if rows is not None and result.get("rows") != rows:
        # a reader that failed (its file an issue row) is no time to print
        raise SystemExit(f"{kind} on {path.name}: read {result.get('rows')} rows, expected {rows:,}: {result}")
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--xlsx", action="store_true",
                    help="also time an XLSX of the same rows (python-calamine and the previous reader) and an XLS")
    ap.add_argument("--repeat", type=int, default=1, help="rounds, anchor and netconsol interleaved")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        csv_path = Path(d) / "sheet.csv"
        make_csv(csv_path, args.rows)
        x = Path(d) / "sheet.xlsx"
        xls = Path(d) / "sheet.xls"
        if args.xlsx:
            make_xlsx(x, args.rows)
            make_xls(xls, args.rows)
        print(f"load average before: {os.getloadavg()[0]:.2f} (wall times grow with other load; cpu_s less so)")
        print(f"{args.rows:,} rows, CSV {csv_path.stat().st_size / 1e6:.1f} MB (GB18030)"
              + (f", XLSX {x.stat().st_size / 1e6:.1f} MB" if args.xlsx else ""))
        for _ in range(args.repeat):
            print(f"  pandas.read_csv only (anchor): {run('pandas', csv_path)}")
            print(f"  netconsol collect_sheet CSV  : {run('netconsol', csv_path, args.rows)}")
            if args.xlsx:
                print(f"  netconsol collect_sheet XLSX, python-calamine: {run('netconsol', x, args.rows)}")
                print(f"  netconsol collect_sheet XLSX, previous reader: {run('netconsol-previous', x, args.rows)}")
                print(f"  netconsol collect_sheet XLS (2 sheets), calamine: {run('netconsol', xls, args.rows)}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
