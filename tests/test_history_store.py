"""History keeps what it points at (issue 21, point 1): two scans into the same --out, and the
diff between them still shows the change, from any working directory."""
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from netconsol.cli import cli
from netconsol.snapshots import keep_snapshot, resolve_snapshot, snapshot_digest, store_dir

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"
EXIT_SHEET = "sheets/峄城区-互联网出口自查表.csv"


def _scan(inventory, out, db):
    r = CliRunner().invoke(cli, ["scan", str(inventory), "--out", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output


def test_two_scans_into_one_out_diff_shows_the_change_from_another_folder(tmp_path, monkeypatch):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    inv = work / "city"
    shutil.copytree(DEMO, inv)
    monkeypatch.chdir(work)
    # relative paths, as the README shows: the history database lands beside out/
    _scan(Path("city"), Path("out"), Path("netconsol-history.sqlite"))
    sheet = inv / EXIT_SHEET
    rows = sheet.read_bytes().decode("gb18030").split("\r\n")
    kept = [r for r in rows if not r.startswith("1,峄城区卫生健康局")]              # one exit closed
    assert len(kept) == len(rows) - 1
    sheet.write_bytes("\r\n".join(kept).encode("gb18030"))
    _scan(Path("city"), Path("out"), Path("netconsol-history.sqlite"))

    monkeypatch.chdir(elsewhere)
    db = work / "netconsol-history.sqlite"
    r = CliRunner().invoke(cli, ["diff", "1", "2", "--db", str(db), "--table", "exits", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [(d["table"], d["change"]) for d in rows] == [("exits", "removed")]
    # the history names its own copies, relative to the database's folder; out/ was overwritten
    r = CliRunner().invoke(cli, ["history", "--db", str(db), "--format", "json"])
    snaps = [x["snapshot"] for x in json.loads(r.output)]
    assert len(set(snaps)) == 2 and all(s.startswith("netconsol-history.snapshots/") for s in snaps)
    assert all(Path(x["inventory"]).is_absolute() for x in json.loads(r.output))


def test_store_is_by_content_and_never_rewritten(tmp_path):
    snap = tmp_path / "s"
    snap.mkdir()
    (snap / "snapshot.json").write_text("{}\n")
    (snap / "units.csv").write_text("unit\nA\n")
    db = tmp_path / "h.sqlite"
    first = keep_snapshot(db, snap)
    assert first == f"h.snapshots/{snapshot_digest(snap)}"
    assert keep_snapshot(db, snap) == first                  # same content: the same copy
    (snap / "units.csv").write_text("unit\nB\n")
    second = keep_snapshot(db, snap)
    assert second != first
    assert (tmp_path / first / "units.csv").read_text() == "unit\nA\n"
    assert resolve_snapshot(db, first) == tmp_path / first
    assert sorted(p.name for p in store_dir(db).iterdir()) == sorted([first[-64:], second[-64:]])


def test_a_scan_that_fails_after_recording_leaves_the_history_as_it_was(tmp_path, monkeypatch):
    """The scan is written into the history while the topology page is drawn, in a transaction
    committed only once the outputs are published: a page that fails leaves no scan row, no stored
    copy and no lock held, and the previous --out in place."""
    import sqlite3

    import pytest

    from netconsol.render import html
    from netconsol.scan import run_scan

    db = tmp_path / "h.sqlite"
    first = run_scan(DEMO, tmp_path / "out", db=db)
    assert first.scan_id == 1
    before = (tmp_path / "out" / "summary.json").read_bytes()

    def broken(*a, **k):
        raise RuntimeError("page failed")

    monkeypatch.setattr(html, "write_topology_html", broken)
    with pytest.raises(RuntimeError, match="page failed"):
        run_scan(DEMO, tmp_path / "out", db=db)
    con = sqlite3.connect(db)
    assert con.execute("SELECT id FROM scans").fetchall() == [(1,)]
    assert {r[0] for r in con.execute("SELECT DISTINCT scan_id FROM scan_metrics")} == {1}
    con.close()
    assert [p.name for p in store_dir(db).iterdir()] == [Path(first_snapshot(db)).name]
    assert (tmp_path / "out" / "summary.json").read_bytes() == before
    monkeypatch.undo()
    again = run_scan(DEMO, tmp_path / "out", db=db)     # the lock was released: recorded as scan 2
    assert again.scan_id == 2


def first_snapshot(db) -> str:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT snapshot FROM scans WHERE id = 1").fetchone()[0]
    finally:
        con.close()
