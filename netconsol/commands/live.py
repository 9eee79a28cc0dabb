"""``netconsol live``: collect running devices with NAPALM into a snapshot."""
from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import click

from ..credentials import ENV_PASSWORD, ENV_SECRET, ENV_USERNAME, Credentials
from ..errors import NetconsolError

__all__ = ["commands", "live", "RAW_DIR"]

RAW_DIR = "live"


def _credentials(mock: bool) -> Credentials:
    if mock:
        return Credentials("", "")  # the mock driver logs in to nothing
    creds = Credentials.from_env()
    if creds:
        return creds
    # only what the environment lacks is asked, on the terminal, never echoed
    user = os.environ.get(ENV_USERNAME) or click.prompt("Username", err=True)
    password = os.environ.get(ENV_PASSWORD) or click.prompt("Password", hide_input=True, err=True)
    secret = os.environ.get(ENV_SECRET)
    if secret is None:
        secret = click.prompt("Enable secret (empty for none)", hide_input=True, default="", show_default=False,
                              err=True)
    return Credentials(user, password, secret)


def _quiet_transport_logs() -> None:
    """paramiko/netmiko warnings ('Socket exception: Connection reset') would reach stderr through
    logging's last-resort handler; each failure is an issue row already."""
    for name in ("paramiko", "netmiko"):
        log = logging.getLogger(name)
        if not log.handlers:
            log.addHandler(logging.NullHandler())


def _write_raw(raw_dir: Path, files: dict) -> None:
    if raw_dir.exists():
        if not (raw_dir / "scan.log").is_file():
            raise NetconsolError(f"{str(raw_dir)!r} exists and is not the raw-output folder of a live scan; "
                                 f"choose another --out")
        shutil.rmtree(raw_dir)  # a previous scan's outputs: stale hosts would replay as if current
    for rel, text in sorted(files.items()):
        path = raw_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@click.command("live")
@click.argument("hosts", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Snapshot directory to write (created if missing); raw outputs go to OUT/live/.")
@click.option("--workers", type=click.IntRange(1, 512), default=16, show_default=True,
              help="Devices collected at the same time.")
@click.option("--timeout", type=click.FloatRange(min=0.5), default=30, show_default=True,
              help="Seconds allowed to connect, log in and run each command; a device still busy after "
                   "4 x TIMEOUT is abandoned (live-timeout).")
@click.option("--mock", "mock_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Replay recorded getter outputs with NAPALM's mock driver: DIR/<host>/<getter>.1 "
                   "(e.g. the OUT/live/ folder of an earlier scan). No device is contacted.")
@click.option("--quiet", "-q", is_flag=True, help="Only the totals, not one line per device.")
def live(hosts, out, workers, timeout, mock_dir, quiet):
    """Collect running devices with NAPALM (SSH; eos over eAPI/HTTPS) into a snapshot directory.

    HOSTS is a nornir-style hosts.yaml (hostname, platform, port, groups,
    data: department, district, town, network, role, site; groups.yaml and
    defaults.yaml beside it are applied) or a CSV with the columns
    name,host,platform,port,department,district.  Platforms are NAPALM
    drivers: ios, eos, junos, nxos_ssh, huawei_vrp (pip install -e '.[huawei]').

    Credentials come from NETCONSOL_USERNAME, NETCONSOL_PASSWORD and
    NETCONSOL_SECRET (enable secret), or are prompted for without echo; they
    are never written anywhere.  Devices that are dead, slow or refuse the
    login become issues (live-unreachable, live-timeout, live-auth-failed,
    live-driver-missing) and the scan goes on.

    Raw outputs (redacted configs, getter JSON) are saved in OUT/live/ in the
    layout of NAPALM's mock driver, so the scan can be re-read offline with
    --mock OUT/live and OUT/live/hosts.yaml.

    \b
    Example:
      export NETCONSOL_USERNAME=netops     # the password is prompted for
      netconsol live inventories/zaozhuang-demo/hosts.yaml --out out/live --workers 32
      netconsol live out/live/live/hosts.yaml --mock out/live/live --out out/replay
    """
    from ..collectors.live import load_targets, scan
    from ..inventory import Inventory

    raw_dir = out / RAW_DIR
    if mock_dir is not None and raw_dir.resolve() == mock_dir.resolve():
        raise NetconsolError(f"--out {str(out)!r} would overwrite the recordings being replayed "
                             f"({str(mock_dir)!r}); choose another --out")
    targets = load_targets(hosts)
    creds = _credentials(mock_dir is not None)
    _quiet_transport_logs()
    with click.progressbar(length=len(targets), label="live", file=sys.stderr, show_pos=True) as bar:
        result = scan(targets, creds, workers=workers, timeout=timeout, mock_dir=mock_dir, progress=bar.update)
    inv = Inventory.from_rows(result.rows)
    problems = inv.validate()
    if problems:
        raise NetconsolError("collected tables break the contract: " + "; ".join(problems[:3]))
    inv.save(out)
    _write_raw(raw_dir, result.files())
    if not quiet:
        per_device = inv["interfaces"].groupby("source").size().to_dict() if len(inv["interfaces"]) else {}
        for h in result.hosts:
            t = h.target
            if h.code:
                click.echo(f"  {t.name}: {h.code}: {h.message}")
            else:
                state = "ok" if h.status == "ok" else "partial (see issues)"
                click.echo(f"  {t.name}: {state}, {per_device.get(t.name, 0)} interface rows ({h.seconds:.1f} s)")
    counts = result.counts()
    click.echo(f"snapshot {out}: " + ", ".join(f"{k} {v}" for k, v in inv.counts().items()
                                                if k not in ("issues", "files")))
    click.echo(f"live: {counts['ok']} ok, {counts['partial']} partial, {counts['failed']} failed in "
               f"{result.seconds:.1f} s; raw outputs in {raw_dir}")
    sev = inv["issues"]["severity"].value_counts().to_dict()
    click.echo(f"issues: {sev.get('error', 0)} errors, {sev.get('warning', 0)} warnings, {sev.get('info', 0)} info "
               f"(netconsol show {out} issues)")


commands = [live]
