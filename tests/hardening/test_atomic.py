"""Issue 20, problems 5 and 9 (OS faults): outputs are all-or-nothing, snapshots are checked
on load, two scans never share an --out, workers die with the scan."""
from __future__ import annotations

import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol import schema
from netconsol.cli import cli
from netconsol.errors import InventoryError
from netconsol.inventory import Inventory
from netconsol.render import outdir
from netconsol.scan import run_scan

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _scan_cmd(inv, out, *extra):
    return [sys.executable, "-c", "from netconsol.cli import main; main()", "scan", str(inv), "--out", str(out), *extra]


def _complete(out: Path) -> set:
    """The files of a complete scan in *out* (its snapshot verified), or fail."""
    Inventory.load(out / "snapshot")  # row counts and digests checked
    json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def test_truncated_snapshot_table_is_a_clear_error(tmp_path):
    inv = Inventory({"issues": schema.frame("issues", [{"source": f"s{i}", "location": "row 1", "code": "x"}
                                                       for i in range(40)])})
    snap = inv.save(tmp_path / "snap")
    f = snap / "issues.csv"
    f.write_text("".join(f.read_text(encoding="utf-8").splitlines(True)[:3]), encoding="utf-8")
    with pytest.raises(InventoryError, match="snapshot.json"):
        Inventory.load(snap)
    r = CliRunner().invoke(cli, ["show", str(snap), "issues"])
    assert r.exit_code != 0 and "snapshot.json" in r.output and "Traceback" not in r.output


def test_show_of_an_empty_table(tmp_path):
    snap = Inventory().save(tmp_path / "snap")
    for fmt in ("text", "csv", "json"):
        r = CliRunner().invoke(cli, ["show", str(snap), "links", "--format", fmt])
        assert r.exit_code == 0, r.output
    (snap / "links.csv").write_text("", encoding="utf-8")  # an empty file where the table has no rows
    meta = json.loads((snap / "snapshot.json").read_text(encoding="utf-8"))
    meta["sha256"].pop("links")
    (snap / "snapshot.json").write_text(json.dumps(meta), encoding="utf-8")
    r = CliRunner().invoke(cli, ["show", str(snap), "links"])
    assert r.exit_code == 0 and "(no rows)" in r.output


def test_second_scan_into_the_same_out_refuses(demo_copy, tmp_path):
    out = tmp_path / "out"
    held = outdir.lock_out(out)
    try:
        r = CliRunner().invoke(cli, ["scan", str(demo_copy), "--out", str(out), "--no-history"])
        assert r.exit_code != 0
        assert "in use by another netconsol process" in r.output and str(os.getpid()) in r.output
        assert not out.exists()
    finally:
        held.release()
    assert run_scan(demo_copy, out).figures["devices"] == 148


def test_file_size_limit_gives_one_line_and_keeps_the_previous_scan(demo_copy, tmp_path):
    """A disk that fills up mid-scan (RLIMIT_FSIZE: writes past 200 KB fail with EFBIG)."""
    out = tmp_path / "out"
    run_scan(demo_copy, out)
    before = _complete(out)

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    p = subprocess.run(_scan_cmd(demo_copy, out, "--no-history"), env=ENV, capture_output=True, text=True,
                       preexec_fn=limit, timeout=120)
    assert p.returncode != 0
    err = [ln for ln in p.stderr.splitlines() if ln.startswith("Error")]
    assert len(err) == 1 and "File too large" in err[0], p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    assert _complete(out) == before
    # an --out whose parent is a file: one line too
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    p = subprocess.run(_scan_cmd(demo_copy, tmp_path / "plain" / "out"), env=ENV, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode != 0 and "Traceback" not in p.stderr and p.stderr.count("\n") <= 2, p.stderr


def _children(pid: int) -> set[int]:
    kids = set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(d))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_their_parent(tmp_path):
    code = (
        "import time, sys\n"
        "from netconsol.scan import _Background\n"
        "bg = _Background(lambda: time.sleep(60), 'test worker')\n"
        "print(bg._proc.pid, flush=True)\n"
        "time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code], env=ENV, stdout=subprocess.PIPE, text=True)
    worker = int(p.stdout.readline())
    assert _alive(worker)
    p.kill()
    p.wait()
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_kill_9_at_random_points_leaves_a_whole_scan(demo_copy, tmp_path):
    out = tmp_path / "out"
    db = tmp_path / "history.sqlite"
    t = time.monotonic()
    subprocess.run(_scan_cmd(demo_copy, out, "--db", str(db)), env=ENV, check=True, capture_output=True, timeout=120)
    span = time.monotonic() - t
    reference = _complete(out)
    rng = random.Random(20)
    for attempt in range(10):
        p = subprocess.Popen(_scan_cmd(demo_copy, out, "--db", str(db)), env=ENV, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, span))
        kids = _children(p.pid)
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert _complete(out) == reference, attempt
        deadline = time.monotonic() + 5
        while any(map(_alive, kids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, kids)), attempt
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the next scan cleans what the killed ones left beside --out
    run_scan(demo_copy, out, db=db)
    assert [p.name for p in tmp_path.iterdir() if ".netconsol-new-" in p.name or ".netconsol-old-" in p.name] == []


def test_collect_out_is_all_or_nothing_and_locked(demo_copy, tmp_path, monkeypatch):
    """`netconsol collect --out` stages its snapshot beside --out and swaps it in (render/outdir.py)."""
    out = tmp_path / "snap"
    r = CliRunner().invoke(cli, ["collect", str(demo_copy), "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(Inventory.load(out)["devices"]) == 148
    # a collect that dies half-way through writing (a full disk at the third table) leaves the
    # previous snapshot, whole
    from netconsol import inventory as inventory_module

    real_write, calls = inventory_module.write_csv, []

    def full_disk_at_third_table(df, f, *a, **k):
        calls.append(f)
        if len(calls) > 2:
            raise OSError(28, "No space left on device", str(f))
        return real_write(df, f, *a, **k)

    monkeypatch.setattr(inventory_module, "write_csv", full_disk_at_third_table)
    (demo_copy / "configs" / "extra.cfg").write_text("hostname EXTRA-R1\n!\nend\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["collect", str(demo_copy), "--out", str(out), "--quiet"])
    assert r.exit_code != 0 and "No space left on device" in r.output and "Traceback" not in r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if ".netconsol-new-" in p.name] == []
    assert len(calls) == 3
    monkeypatch.setattr(inventory_module, "write_csv", real_write)
    # a second writer into the same --out stops at once, naming the holder
    held = outdir.lock_out(out)
    try:
        r = CliRunner().invoke(cli, ["collect", str(demo_copy), "--out", str(out), "--quiet"])
        assert r.exit_code != 0 and "in use by another netconsol process" in r.output
    finally:
        held.release()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # an --out inside the source folder is not read back as input: the same snapshot again
    inside = demo_copy / "snap"
    for _ in range(2):
        r = CliRunner().invoke(cli, ["collect", str(demo_copy), "--out", str(inside), "--quiet"])
        assert r.exit_code == 0, r.output
    inv = Inventory.load(inside)
    assert len(inv["devices"]) == 149 and not inv["files"].source.str.contains("snap/").any()


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for kid in _children(todo.pop()):
            if kid not in found:
                found.add(kid)
                todo.append(kid)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_kill_9_at_random_points_of_a_generated_province_scan(tmp_path):
    """Issue 20, done-when: kill -9 at 10 seeded random points of a larger scan (two cities made by
    `netconsol generate --scale 8`, ~900 configs each, scanned in turn into one --out): --out is
    always the previous scan or the new one, whole (snapshot digests checked, every file of that
    scan, its figures); the history database passes PRAGMA integrity_check; no process of the
    scan outlives it by 5 s."""
    cities = []
    for seed in (11, 12):
        city = tmp_path / f"city{seed}"
        r = CliRunner().invoke(cli, ["generate", str(city), "--scale", "8", "--seed", str(seed)])
        assert r.exit_code == 0, r.output
        cities.append(city)
    out, db = tmp_path / "out", tmp_path / "history.sqlite"
    whole, spans = [], []
    for city in cities:
        t = time.monotonic()
        subprocess.run(_scan_cmd(city, out, "--db", str(db)), env=ENV, check=True, capture_output=True, timeout=180)
        spans.append(time.monotonic() - t)
        whole.append((_complete(out), (out / "summary.json").read_text(encoding="utf-8")))
    assert whole[0] != whole[1] and json.loads(whole[0][1])["devices"] > 800
    span = max(spans)
    rng = random.Random(20)
    finished = 0
    for attempt in range(10):
        new = attempt % 2          # out holds the other city's scan: this one replaces it or not at all
        p = subprocess.Popen(_scan_cmd(cities[new], out, "--db", str(db)), env=ENV, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, span))
        kids = _descendants(p.pid)
        p.send_signal(signal.SIGKILL)
        p.wait()
        got = (_complete(out), (out / "summary.json").read_text(encoding="utf-8"))
        assert got in whole, attempt
        if got == whole[new]:
            finished += 1
        else:   # the previous scan stays: the next attempt scans the other city over it again
            cities.reverse()
            whole.reverse()
        deadline = time.monotonic() + 5
        while any(map(_alive, kids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, kids)), (attempt, sorted(k for k in kids if _alive(k)))
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", attempt
    print(f"kill -9 x10: {10 - finished} left the previous scan, {finished} found the new one complete")
    assert finished < 10       # the kills did land inside scans
    run_scan(cities[0], out, db=db)
    assert [p.name for p in tmp_path.iterdir() if ".netconsol-new-" in p.name or ".netconsol-old-" in p.name] == []
