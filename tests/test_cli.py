"""The CLI: thin, documented, one-line errors, --strict, and show prints normalized prefixes."""
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from netconsol.cli import cli

FIX = Path(__file__).parent / "fixtures"


def _commands(group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path,cmd", list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_ending_with_an_example(path, cmd):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert (cmd.help or "").strip(), path
    assert "Example" in result.output and "netconsol " in result.output.split("Example")[-1], path


def test_collect_then_show_prefixes(tmp_path):
    runner = CliRunner()
    out = tmp_path / "snap"
    r = runner.invoke(cli, ["collect", str(FIX / "sheets" / "messy_exits_gbk.csv"), str(FIX / "configs"),
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "messy_exits_gbk.csv: rows 7: 6 accepted, 1 rejected" in r.output   # issue 18: a bad IP keeps its row
    assert "xc-jyj-ar01.cfg: vrp lines" in r.output
    r = runner.invoke(cli, ["show", str(out), "prefixes", "--format", "csv"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].startswith("prefix,family,network")
    assert any(line.startswith("192.0.2.8/29,4,") and "messy_exits_gbk.csv" in line for line in lines)
    assert any(line.startswith("192.168.10.0/24,4,") and "xc-jyj-ar01.cfg" in line for line in lines)


def test_strict_fails_on_errors(tmp_path):
    r = CliRunner().invoke(cli, ["collect", str(FIX / "sheets" / "messy_exits_gbk.csv"), "--out",
                                 str(tmp_path / "s"), "--strict"])
    assert r.exit_code == 1
    assert "2 errors" in r.output


def test_library_error_is_one_line_and_debug_shows_traceback(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["show", str(tmp_path)])
    assert r.exit_code == 1
    assert r.output.strip().startswith("Error:") and "not a snapshot" in r.output
    assert "Traceback" not in r.output
    r = runner.invoke(cli, ["--debug", "show", str(tmp_path)])
    assert r.exit_code == 1 and r.exception is not None and "not a snapshot" in str(r.exception)


def test_show_where_rejects_unknown_column(tmp_path):
    runner = CliRunner()
    runner.invoke(cli, ["collect", str(FIX / "configs"), "--out", str(tmp_path / "s")])
    r = runner.invoke(cli, ["show", str(tmp_path / "s"), "devices", "--where", "colour=red"])
    assert r.exit_code == 2 and "not a column of devices" in r.output


def test_python_dash_m_entry_point():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "netconsol", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "netconsol" in r.stdout


def test_readme_shows_every_command():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"netconsol {name}" not in readme]
    assert missing == []
