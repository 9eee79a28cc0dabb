"""netconsol scan end to end on the demo city: every output, byte-identical reruns, history, and a
diff that reports exactly what changed between two scans."""
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from netaddr import IPSet
from click.testing import CliRunner

from netconsol.cli import cli
from netconsol.inventory import Inventory

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"
EXIT_SHEET = "sheets/峄城区-互联网出口自查表.csv"


def _files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _scan(inventory, out, db):
    r = CliRunner().invoke(cli, ["scan", str(inventory), "--out", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    root = tmp_path_factory.mktemp("scan")
    db = root / "history.sqlite"
    first = _scan(DEMO, root / "a", db)
    _scan(DEMO, root / "a2", db)
    changed = root / "demo-b"
    shutil.copytree(DEMO, changed)
    manifest = changed / "inventory.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "{name: 阴平镇, connected: false}" in text
    text = text.replace("{name: 阴平镇, connected: false}", "阴平镇")          # a town connected
    i = text.index("  - id: chengguan")
    j = text.index("kind: gov_private", i)
    text = text[:j] + "kind: extranet_admin" + text[j + len("kind: gov_private"):]  # a private network moved
    manifest.write_text(text, encoding="utf-8")
    sheet = changed / EXIT_SHEET
    rows = sheet.read_bytes().decode("gb18030").split("\r\n")
    kept = [r for r in rows if not r.startswith("1,峄城区卫生健康局")]              # an exit closed
    assert len(kept) == len(rows) - 1
    sheet.write_bytes("\r\n".join(kept).encode("gb18030"))
    _scan(changed, root / "b", db)
    return {"root": root, "db": db, "output": first}


def test_every_output_is_written(scans):
    out = scans["root"] / "a"
    for rel in ["snapshot/snapshot.json", "snapshot/conflicts.csv", "snapshot/metrics.csv", "snapshot/links.csv",
                "plans/merge-plan.md", "plans/merge-plan.xlsx", "plans/merge-plan.json", "plans/merge/networks.csv",
                "plans/exits-plan.md", "plans/exits-plan.xlsx", "plans/exits-plan.json", "plans/exits/exits.csv",
                "report.md", "report.xlsx", "topology.html", "summary.json"]:
        assert (out / rel).is_file() and (out / rel).stat().st_size > 0, rel
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    assert summary["devices"] == truth["totals"]["devices"]
    assert summary["exits_before"] == truth["totals"]["exits_before"]
    assert summary["towns"] == truth["totals"]["towns"]
    assert summary["towns_attached"] == truth["totals"]["towns_connected"]
    assert f"internet exits: {summary['exits_before']} before -> {summary['exits_after']} after" in scans["output"]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# 枣庄市网络自查报告")
    for title in ("互联网接入", "局域网及上联", "专网", "发现的问题", "专网整合方案摘要", "互联网出口整合方案摘要", "进度指标"):
        assert re.search(rf"^## (.+ · )?{title}", report, re.M), title   # a section heading, not just a word
    wb = openpyxl.load_workbook(out / "report.xlsx")
    assert len(wb.sheetnames) >= 6 and all(ws.freeze_panes == "A3" for ws in wb.worksheets)


def test_two_scans_of_the_same_input_are_byte_identical(scans):
    a, b = _files(scans["root"] / "a"), _files(scans["root"] / "a2")
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def test_history_lists_the_scans(scans):
    r = CliRunner().invoke(cli, ["history", "--db", str(scans["db"]), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [x["id"] for x in rows] == [1, 2, 3]
    assert rows[0]["town_connectivity"] == rows[1]["town_connectivity"] < rows[2]["town_connectivity"]
    assert rows[2]["exits"] == rows[0]["exits"] - 1


def test_diff_reports_exactly_the_three_changes(scans):
    r = CliRunner().invoke(cli, ["diff", "1", "3", "--db", str(scans["db"]), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    a = Inventory.load(scans["root"] / "a" / "snapshot")
    b = Inventory.load(scans["root"] / "b" / "snapshot")
    closed = a["exits"][a["exits"].source == EXIT_SHEET].exit.tolist()
    assert len(closed) == 1
    seen = set()
    for d in rows:
        t, change, key, col = d["table"], d["change"], d["key"], d["column"]
        if t == "units":
            assert (change, key, col, d["before"], d["after"]) == ("changed", "峄城区/阴平镇", "connected", "False", "True")
        elif t == "networks":
            assert (change, key, col, d["after"]) == ("changed", "chengguan", "kind", "extranet_admin")
        elif t == "exits":
            assert (change, key) == ("removed", closed[0])
        elif t == "prefixes":
            assert change == "removed" and key.startswith("203.0.113.4/30 ") and key.endswith("| exit")
        elif t == "conflicts":
            side = a if change == "removed" else b
            c = side["conflicts"].set_index("conflict").loc[key]
            # re-keyed because the network's class changed: it is one side, or its ranges now
            # count in the admin domain's pool
            moved = IPSet(side["prefixes"][side["prefixes"].network == "chengguan"].prefix)
            assert "chengguan" in (c.a_network, c.b_network) or \
                (c.b_network == "extranet_admin" and IPSet(c.overlap.split()) & moved)
        elif t == "metrics":
            scope, metric = key.split(" | ")
            assert scope in ("枣庄市", "峄城区")
            assert metric in ("exits", "town_connectivity", "town_coverage_public", "private_networks")
        else:
            pytest.fail(f"unexpected change {d!r}")
        seen.add(t)
    assert seen >= {"units", "networks", "exits", "prefixes", "metrics"}


def test_background_worker_with_an_inbox_takes_what_is_sent_later(monkeypatch):
    """A scan's topology worker starts on the graph and takes the plans' overlays when they exist:
    the forked worker and the in-process fallback (no fork) give the same result; a failure in
    the worker comes back as the exception; nice lowers only the worker's priority."""
    import os

    import netconsol.scan as scan

    def job(receive):
        head = os.getpid()
        extra = receive()
        if extra == "boom":
            raise ValueError("worker failed on what it was sent")
        return head, [extra, receive()], os.nice(0)

    bg = scan._Background(job, "test worker", nice=3, inbox=True)
    bg.send({"merge": [1, 2]})
    bg.send("second")
    pid, got, nice = bg.result()
    assert got == [{"merge": [1, 2]}, "second"] and pid != os.getpid() and nice == os.nice(0) + 3
    failing = scan._Background(job, "test worker", inbox=True)
    failing.send("boom")
    with pytest.raises(ValueError, match="what it was sent"):
        failing.result()
    monkeypatch.setattr(scan.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    inline = scan._Background(job, "test worker", inbox=True)
    inline.send({"merge": [1, 2]})
    inline.send("second")
    assert inline.result()[:2] == (os.getpid(), [{"merge": [1, 2]}, "second"])


def test_inbox_send_does_not_wait_for_the_worker_to_ask(tmp_path):
    """The topology worker lays the graph out before it asks for the overlays (~870 KB pickled on a
    province, more than a pipe holds): handing them over must not stall this process meanwhile.
    The worker only asks once this process has written a mark after send() returned."""
    import time

    import netconsol.scan as scan

    mark = tmp_path / "sent"

    def job(receive):
        deadline = time.monotonic() + 20
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_before_asking = mark.exists()
        return seen_before_asking, len(receive())

    big = "x" * 2_000_000
    bg = scan._Background(job, "test worker", inbox=True)
    bg.send(big)
    mark.write_text("sent")
    assert bg.result() == (True, len(big))

    def fails(receive):
        raise ValueError("failed before asking")

    dead = scan._Background(fails, "test worker", inbox=True)
    while dead._proc.is_alive():
        time.sleep(0.01)
    dead.send(big)            # the worker is gone: no BrokenPipeError here, its own error below
    with pytest.raises(ValueError, match="before asking"):
        dead.result()
