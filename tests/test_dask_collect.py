"""Scale-out on dask.distributed (issue 23): ``collect --dask ADDRESS`` gives what the local run gives.

A LocalCluster on 127.0.0.1 (threads, one worker) stands for a cluster; the demo city's configs
and sheets are parsed on it and every table must equal the local run's, row for row.  Skipped,
saying why, only when the optional extra is not installed (``pip install -e '.[dask]'``;
tests/setup.sh installs it, so CI runs this test).
"""
from pathlib import Path

import pandas.testing as pdt
import pytest

distributed = pytest.importorskip("dask.distributed",
                                  reason="dask.distributed not installed: pip install -e '.[dask]' (tests/setup.sh does)")

from click.testing import CliRunner  # noqa: E402

from netconsol.cli import cli  # noqa: E402
from netconsol.collectors import collect  # noqa: E402
from netconsol.errors import CollectError  # noqa: E402
from netconsol.inventory import Inventory  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def cluster():
    # threads in this process, but a real TCP scheduler on 127.0.0.1 (processes=False alone means inproc://)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1", protocol="tcp",
                                  dashboard_address=None) as c:
        yield c


def test_dask_collect_equals_local(cluster):
    local = collect([DEMO], workers=1)
    remote = collect([DEMO], dask=cluster.scheduler_address)
    assert len(local["devices"]) > 100 and len(local["prefixes"]) > 500
    for name, df in local.tables.items():
        pdt.assert_frame_equal(remote[name], df, obj=name)


def test_dask_snapshot_is_byte_identical(cluster, tmp_path):
    runner = CliRunner()
    a = runner.invoke(cli, ["collect", str(DEMO), "--out", str(tmp_path / "a"), "-q", "--workers", "2"])
    b = runner.invoke(cli, ["collect", str(DEMO), "--out", str(tmp_path / "b"), "-q",
                            "--dask", cluster.scheduler_address])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "interfaces.csv" in files and files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    assert Inventory.load(tmp_path / "b").counts() == Inventory.load(tmp_path / "a").counts()


def test_dask_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("netconsol.collectors.DASK_CONNECT_TIMEOUT", "2s")
    with pytest.raises(CollectError, match="cannot reach the dask scheduler"):
        collect([DEMO], dask="tcp://127.0.0.1:9")


def test_workers_and_dask_together_are_refused(tmp_path):
    r = CliRunner().invoke(cli, ["collect", str(DEMO), "--out", str(tmp_path / "x"), "--workers", "2",
                                 "--dask", "local"])
    assert r.exit_code != 0 and "choose one" in r.output


def test_scan_on_dask_writes_what_a_local_scan_writes(cluster, tmp_path):
    runner = CliRunner()
    a = runner.invoke(cli, ["scan", str(DEMO), "--out", str(tmp_path / "a"), "--no-history", "--workers", "1"])
    b = runner.invoke(cli, ["scan", str(DEMO), "--out", str(tmp_path / "b"), "--no-history",
                            "--dask", cluster.scheduler_address])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output[-2000:], b.output[-2000:])
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert Path("snapshot/interfaces.csv") in files and Path("topology.html") in files
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
