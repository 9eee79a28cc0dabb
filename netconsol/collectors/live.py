"""Live collection: NAPALM getters from running devices, read like config backups.

Targets come from a nornir-style ``hosts.yaml`` (with optional ``groups.yaml``
and ``defaults.yaml`` beside it) or a CSV (``name,host,platform,port,
department,district``).  For each target the NAPALM driver runs
``get_facts``, ``get_interfaces``, ``get_interfaces_ip``,
``get_lldp_neighbors`` and ``get_config`` (running).  The running config goes
through the same platform parser as an offline backup (:func:`collect_config`
with ``text=``), so VRFs, routes, NAT and BGP come out exactly as they would
from a file; the getters complement it:

* ``get_facts``: model, os_version and serial (the device's own answer wins
  over the config header: ``version 15.5`` in a config is only the release
  train);
* ``get_interfaces_ip``: addresses the config does not show (automatic IPv6
  link-local addresses are skipped).  NAPALM reports no VRF here, so such a
  row takes the VRF the config binds to the same interface;
* ``get_interfaces``: interfaces with no address and no config stanza;
* ``get_lldp_neighbors``: ``links`` rows with evidence ``lldp``, ends in a
  canonical order so the two sides of a link give one row.

Driver → parser: ios→ios, eos→eos, junos→junos, huawei_vrp→vrp, and
nxos_ssh / nxos→nxos (NX-OS's own parser: ``vrf context``, ``vrf member``,
BGP templates, SVIs shut by default, HSRP/VRRP and anycast gateways).

A device that is dead, slow or refuses the login is one ``issues`` row
(``live-unreachable``, ``live-timeout``, ``live-auth-failed``,
``live-driver-missing``, ``live-error``) naming host and reason, never the
password; the scan goes on.  Each target gets a ``files`` row of kind
``live``.  The host data of the targets file (department, district, town,
network, role, site) attributes the device like the inventory manifest does
(``attributed_by = manifest``).

:meth:`LiveScan.files` gives the raw outputs to save beside the snapshot, in
the layout NAPALM's ``mock`` driver reads (``<host>/<getter>.1``, JSON), plus
``<host>/running.cfg`` and the resolved ``hosts.yaml``: configs redacted
(:func:`netconsol.credentials.redact_config`) and every text scrubbed of the
login password and secret.  ``scan(..., mock_dir=<that dir>)`` replays them.
"""
from __future__ import annotations

import csv
import importlib
import json
import socket
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from netaddr import AddrFormatError, IPAddress, IPNetwork

from .. import normalize as nz
from .. import safeyaml
from ..credentials import Credentials, redact_config
from ..errors import CollectError
from ..inventory import Rows
from .. import platforms
from .configs import collect_config

__all__ = [
    "Target", "HostResult", "LiveScan", "load_targets", "scan", "collect_host", "rows_from_getters",
    "classify", "driver_class", "DRIVERS", "GETTERS", "DATA_KEYS", "HOST_TIMEOUT_FACTOR", "HUAWEI_HINT",
]

# NAPALM driver -> netconsol platform parser (see the module docstring for nxos_ssh), and the names
# people write in nornir/netmiko inventories: both from the platform registry (each vendor module's
# LIVE_DRIVERS and DRIVER_ALIASES), read again whenever a module registers
DRIVERS: dict = {}
ALIASES: dict = {}
_NETMIKO_DRIVERS: set = set()
_VENDOR: dict = {}


def _from_registry() -> None:
    found = platforms.drivers()
    if set(found) == set(DRIVERS):
        return
    DRIVERS.clear(), ALIASES.clear(), _NETMIKO_DRIVERS.clear(), _VENDOR.clear()
    for driver, (name, vendor, transport) in found.items():
        DRIVERS[driver] = name
        _VENDOR[driver] = vendor
        if transport == "netmiko":
            _NETMIKO_DRIVERS.add(driver)
    ALIASES.update(platforms.driver_aliases())


_from_registry()
GETTERS = ("get_facts", "get_interfaces", "get_interfaces_ip", "get_lldp_neighbors", "get_config")
DATA_KEYS = ("department", "district", "town", "network", "role", "site")
HOST_KEYS = ("hostname", "platform", "port", "username", "groups", "data")
# a device still busy after this many --timeout periods is abandoned (live-timeout)
HOST_TIMEOUT_FACTOR = 4
HUAWEI_HINT = ("install it with: pip install -e '.[huawei]' (napalm-huawei-vrp 1.2.0 imports the stdlib "
               "module telnetlib, removed in Python 3.13: use Python <= 3.12)")
_CSV_COLUMNS = ("name", "host", "platform", "port", "department", "district", "town", "network", "role", "site",
                "username")


# ------------------------------------------------------------------ targets

@dataclass
class Target:
    """One device to collect: ``name`` is the hosts.yaml key (and the rows' source)."""

    name: str
    address: str
    driver: str
    port: int | None = None
    username: str = ""
    groups: tuple = ()
    data: dict = field(default_factory=dict)
    location: str = ""  # where it was defined: 'hosts.yaml:R1', 'hosts.csv:row 3'

    def endpoint(self) -> str:
        return f"{self.address}:{self.port}" if self.port else self.address


def load_targets(path) -> list[Target]:
    """Targets from a nornir-style hosts.yaml (+ groups.yaml, defaults.yaml beside it) or a CSV.

    Raises CollectError naming the file, the host and the key at fault.
    """
    path = Path(path)
    if not path.is_file():
        raise CollectError(f"targets file {str(path)!r} does not exist")
    if path.suffix.lower() == ".csv":
        targets = _csv_targets(path)
    elif path.suffix.lower() in (".yaml", ".yml"):
        targets = _yaml_targets(path)
    else:
        raise CollectError(f"{str(path)!r}: expected a hosts .yaml or a .csv targets file")
    if not targets:
        raise CollectError(f"{str(path)!r}: no hosts defined")
    return targets


def _read_yaml(path: Path, what: str):
    try:
        data = safeyaml.load(path.read_text(encoding="utf-8"))  # alias and size limits
    except OSError as e:
        raise CollectError(f"{path}: cannot read ({e.strerror})") from None
    except safeyaml.YamlLimitError as e:
        raise CollectError(f"{path}: refused: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise CollectError(f"{path}{where}: not valid YAML ({safeyaml.short(e)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CollectError(f"{path}: expected a mapping of {what} at the top, got {type(data).__name__}")
    return data


def _sibling(path: Path, stem: str) -> Path | None:
    for ext in (".yaml", ".yml"):
        p = path.with_name(stem + ext)
        if p.is_file():
            return p
    return None


def _check_entry(file: Path, kind: str, name, entry, allowed) -> dict:
    """One host/group/defaults entry: a mapping with known keys and well-typed values."""
    where = f"{file.name}: {kind} {name!r}" if name is not None else f"{file.name}"
    if entry is None:
        return {}
    if not isinstance(entry, dict):
        raise CollectError(f"{where}: expected a mapping of {', '.join(allowed)}, got {entry!r}")
    for k, v in entry.items():
        if k in ("password", "secret"):
            raise CollectError(f"{where}: key {k!r} is not read from files: credentials come from "
                               f"NETCONSOL_USERNAME / NETCONSOL_PASSWORD / NETCONSOL_SECRET or the prompt")
        if k not in allowed:
            raise CollectError(f"{where}: unknown key {k!r}; known: {', '.join(allowed)}")
        if k in ("hostname", "username") and not isinstance(v, str):
            raise CollectError(f"{where}: key {k!r}: expected text, got {v!r}")
        if k == "platform" and _driver_name(v) is None:
            raise CollectError(f"{where}: key 'platform': {v!r} is not a supported NAPALM driver; "
                               f"use one of {', '.join(DRIVERS)}")
        if k == "port" and not _is_port(v):
            raise CollectError(f"{where}: key 'port': {v!r} is not a TCP port (1-65535)")
        if k == "groups" and not (isinstance(v, list) and all(isinstance(g, str) for g in v)):
            raise CollectError(f"{where}: key 'groups': expected a list of group names, got {v!r}")
        if k == "data":
            if not isinstance(v, dict):
                raise CollectError(f"{where}: key 'data': expected a mapping, got {v!r}")
            for dk in DATA_KEYS:
                if dk in v and v[dk] is not None and not isinstance(v[dk], (str, int)):
                    raise CollectError(f"{where}: key 'data.{dk}': expected text, got {v[dk]!r}")
    return entry


def _driver_name(value) -> str | None:
    _from_registry()
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    v = ALIASES.get(v, v)
    return v if v in DRIVERS else None


def _is_port(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v)
    return isinstance(v, int) and 1 <= v <= 65535


def _check_name(file: Path, where: str, name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise CollectError(f"{file.name}: {where}: host name {name!r} must be non-empty text")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise CollectError(f"{file.name}: {where}: host name {name!r} cannot name a folder of raw outputs; "
                           f"use letters, digits, '-', '_' and '.' (not leading)")
    return name.strip()


def _yaml_targets(path: Path) -> list[Target]:
    hosts = _read_yaml(path, "host names to host entries")
    gpath, dpath = _sibling(path, "groups"), _sibling(path, "defaults")
    groups = _read_yaml(gpath, "group names to group entries") if gpath else {}
    defaults = _check_entry(dpath, "defaults", None, _read_yaml(dpath, "default keys"),
                            ("hostname", "platform", "port", "username", "data")) if dpath else {}
    for g, entry in groups.items():
        groups[g] = _check_entry(gpath, "group", g, entry, HOST_KEYS)
        for parent in groups[g].get("groups", []):
            if parent not in groups:
                raise CollectError(f"{gpath.name}: group {g!r}: key 'groups': unknown group {parent!r}")

    def lineage(names, trail):
        """Groups in nornir precedence order: each group, then its own groups, depth first."""
        out = []
        for g in names:
            if g in trail:
                raise CollectError(f"{gpath.name}: group {g!r}: groups include each other "
                                   f"({' -> '.join(trail + (g,))})")
            out.append(g)
            out.extend(lineage(groups[g].get("groups", []), trail + (g,)))
        return out

    targets = []
    for name, entry in hosts.items():
        name = _check_name(path, f"host {name!r}", name)
        entry = _check_entry(path, "host", name, entry, HOST_KEYS)
        for g in entry.get("groups", []):
            if g not in groups:
                where = f"no {gpath.name} defines it" if gpath else f"no groups.yaml beside {path.name}"
                raise CollectError(f"{path.name}: host {name!r}: key 'groups': unknown group {g!r} ({where})")
        chain = [entry] + [groups[g] for g in lineage(entry.get("groups", []), ())] + [defaults]

        def first(key):
            for e in chain:
                if e.get(key) is not None:
                    return e[key]
            return None

        data = {}
        for e in reversed(chain):
            data.update({k: v for k, v in (e.get("data") or {}).items() if v is not None})
        platform = first("platform")
        if platform is None:
            raise CollectError(f"{path.name}: host {name!r}: key 'platform' is missing (in the host, its groups "
                               f"and defaults); use one of {', '.join(DRIVERS)}")
        port = first("port")
        targets.append(Target(
            name=name, address=(first("hostname") or name).strip(), driver=_driver_name(platform),
            port=int(port) if port is not None else None, username=first("username") or "",
            groups=tuple(entry.get("groups", [])),
            data={k: str(data[k]).strip() for k in DATA_KEYS if data.get(k) not in (None, "")},
            location=f"{path.name}:{name}"))
    return targets


def _csv_targets(path: Path) -> list[Target]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CollectError(f"{path.name}: not UTF-8 text (save the targets CSV as UTF-8)") from None
    except OSError as e:
        raise CollectError(f"{path}: cannot read ({e.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in _CSV_COLUMNS]
    if unknown:
        raise CollectError(f"{path.name}: unknown column {unknown[0]!r}; known: {', '.join(_CSV_COLUMNS)}")
    for need in ("name", "platform"):
        if need not in header:
            raise CollectError(f"{path.name}: column {need!r} is missing; the header needs at least "
                               f"name,host,platform")
    targets, seen = [], {}
    for i, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        where = f"row {i}"
        name = _check_name(path, where, row.get("name", ""))
        if name in seen:
            raise CollectError(f"{path.name}: {where}: host {name!r} is already defined on row {seen[name]}")
        seen[name] = i
        driver = _driver_name(row.get("platform", ""))
        if driver is None:
            raise CollectError(f"{path.name}: {where}: host {name!r}: column 'platform': {row.get('platform')!r} "
                               f"is not a supported NAPALM driver; use one of {', '.join(DRIVERS)}")
        port = row.get("port", "")
        if port and not _is_port(port):
            raise CollectError(f"{path.name}: {where}: host {name!r}: column 'port': {port!r} is not a TCP port")
        targets.append(Target(name=name, address=row.get("host") or name, driver=driver,
                              port=int(port) if port else None, username=row.get("username", ""),
                              data={k: row[k] for k in DATA_KEYS if row.get(k)},
                              location=f"{path.name}:{where}"))
    return targets


# ------------------------------------------------------------------ drivers and errors

class DriverMissing(Exception):
    """The NAPALM driver for a target cannot be imported; the message says how to install it."""


_driver_cache: dict[str, object] = {}
_driver_lock = threading.Lock()


def driver_class(driver: str):
    """The NAPALM driver class for *driver* ('mock' included); DriverMissing when not importable."""
    with _driver_lock:
        if driver in _driver_cache:
            got = _driver_cache[driver]
        else:
            got = _driver_cache[driver] = _load_driver(driver)
    if isinstance(got, DriverMissing):
        raise got
    return got


def _load_driver(driver: str):
    from napalm import get_network_driver

    if driver == "huawei_vrp":
        # napalm's own message ("Is the library installed?") hides why an installed driver fails
        try:
            importlib.import_module("napalm_huawei_vrp")
        except ModuleNotFoundError as e:
            if e.name == "napalm_huawei_vrp":
                return DriverMissing(f"NAPALM driver huawei_vrp is not installed; {HUAWEI_HINT}")
            return DriverMissing(f"NAPALM driver huawei_vrp is installed but cannot be imported: module "
                                 f"{e.name!r} is missing; {HUAWEI_HINT}")
        except Exception as e:  # noqa: BLE001 - any import failure means the same thing to the user
            return DriverMissing(f"NAPALM driver huawei_vrp is installed but cannot be imported "
                                 f"({type(e).__name__}: {e}); {HUAWEI_HINT}")
    try:
        return get_network_driver(driver)
    except Exception as e:  # noqa: BLE001
        return DriverMissing(f"NAPALM driver {driver} cannot be loaded ({e})")


def _optional_args(target: Target, creds: Credentials, timeout: float) -> dict:
    args: dict = {}
    if target.driver in _NETMIKO_DRIVERS:
        # netmiko's own defaults (conn 10 s, banner 15 s, read 10 s) would override --timeout
        args.update(port=target.port or 22, secret=creds.secret, conn_timeout=timeout, banner_timeout=timeout,
                    auth_timeout=timeout, read_timeout_override=timeout)
    elif target.driver == "eos":
        args["enable_password"] = creds.secret
        if target.port:
            args["port"] = target.port
    elif target.port:
        args["port"] = target.port
    return args


def _chain(exc: BaseException):
    seen, todo = [], [exc]
    while todo:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend([e.__cause__, e.__context__])
        # paramiko's NoValidConnectionsError keeps the socket errors per address in .errors
        errors = getattr(e, "errors", None)
        if isinstance(errors, dict):
            todo.extend(v for v in errors.values() if isinstance(v, BaseException))
    return seen


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return (text.splitlines()[0] if text else type(e).__name__)[:200]


def _detail(chain) -> str:
    """The most specific message in an exception chain (the deepest non-empty one)."""
    for e in reversed(chain):
        text = str(e).strip()
        if text:
            return _first_line(e)
    return type(chain[0]).__name__


def classify(exc: BaseException, creds: Credentials | None = None, timeout: float | None = None) -> tuple[str, str]:
    """(issue code, reason) for an exception raised while talking to a device; reason scrubbed."""
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain).lower()
    if names & {"AuthenticationException", "NetmikoAuthenticationException", "NetMikoAuthenticationException",
                "ConnectAuthError", "BadAuthenticationType"} or "authentication fail" in text \
            or "unauthorized" in text:      # eAPI (eos): HTTP 401, pyeapi's ConnectionError("Unauthorized")
        code, reason = "live-auth-failed", "the device refused the login (authentication failed)"
    elif any(isinstance(e, ConnectionRefusedError) for e in chain) or "connection refused" in text:
        code, reason = "live-unreachable", "connection refused (nothing listens on that port)"
    elif any(isinstance(e, socket.gaierror) for e in chain):
        code, reason = "live-unreachable", "the address does not resolve (DNS)"
    elif "no route to host" in text or "network is unreachable" in text:
        code, reason = "live-unreachable", "no route to host"
    elif "error reading ssh protocol banner" in text:
        code, reason = "live-timeout", f"no SSH banner within {timeout:g} s" if timeout else "no SSH banner"
    elif (any(isinstance(e, (TimeoutError, socket.timeout)) for e in chain)
          or names & {"NetmikoTimeoutException", "NetMikoTimeoutException", "ReadTimeout"}
          or "timed out" in text or "timeout" in text or "no existing session" in text):
        if "ReadTimeout" in names:
            detail = "a command's output did not end with the prompt"
        elif "no existing session" in text:
            detail = "no SSH session established"
        else:
            detail = _detail(chain)
        code, reason = "live-timeout", (f"no answer within {timeout:g} s" if timeout else "no answer") + \
            f" ({detail})"
    elif any(isinstance(e, (EOFError, ConnectionResetError, BrokenPipeError)) for e in chain) \
            or "ConnectionClosedException" in names or "socket is closed" in text:
        code, reason = "live-unreachable", "the device closed the connection"
    else:
        code, reason = "live-error", f"{type(exc).__name__}: {_detail(chain)}"
    return code, creds.scrub(reason) if creds else reason


# ------------------------------------------------------------------ one host

@dataclass
class HostResult:
    """What one target gave: outcome, raw getter outputs (redacted), rows."""

    target: Target
    status: str = "ok"          # ok, partial (some getters failed), failed
    code: str = ""              # issue code of a failure
    message: str = ""
    seconds: float = 0.0
    raw: dict = field(default_factory=dict)   # getter -> data, or {"exception": ..., "args": [...]}
    rows: Rows = field(default_factory=Rows)


def _scrub_obj(obj, creds: Credentials):
    if isinstance(obj, str):
        return creds.scrub_data(obj)
    if isinstance(obj, dict):
        return {_scrub_obj(k, creds): _scrub_obj(v, creds) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_scrub_obj(v, creds) for v in obj]
    return obj


def _clean_config(data, creds: Credentials):
    if isinstance(data, dict):
        return {k: creds.scrub_data(redact_config(v)) if isinstance(v, str) else v for k, v in data.items()}
    return data


def _abort(device) -> None:
    """Close the sockets under a NAPALM device from another thread (a hung read then fails fast)."""
    conn = getattr(device, "_netmiko_device", None) or getattr(device, "device", None)
    for attr in ("remote_conn", "remote_conn_pre"):
        obj = getattr(conn, attr, None)
        try:
            if obj is not None:
                obj.close()
        except Exception:  # noqa: BLE001 - best effort
            pass


def collect_host(target: Target, creds: Credentials, timeout: float = 30, mock_dir=None, carriers=None,
                 holder: dict | None = None) -> HostResult:
    """Run the getters on one target and turn them into rows; never raises."""
    holder = holder if holder is not None else {}
    start = time.monotonic()
    res = HostResult(target)
    try:
        _run_getters(res, creds, timeout, mock_dir, holder)
    except Exception as e:  # noqa: BLE001 - one device never stops the scan
        code, reason = classify(e, creds, timeout)
        res.status, res.code, res.message = "failed", code, reason
    res.seconds = time.monotonic() - start
    notes = res.rows  # getter issues gathered while collecting
    try:
        res.rows = rows_from_getters(target, res.raw, carriers).update(notes)
    except Exception as e:  # noqa: BLE001
        res.rows = notes
        res.status, res.code = "failed", "live-error"
        res.message = creds.scrub(f"building rows failed: {type(e).__name__}: {_first_line(e)}")
    _outcome_rows(res)
    return res


def _run_getters(res: HostResult, creds: Credentials, timeout, mock_dir, holder):
    t = res.target
    if mock_dir is not None:
        path = Path(mock_dir) / t.name
        if not path.is_dir():
            res.status, res.code = "failed", "live-mock-missing"
            res.message = f"no recorded getter outputs in {path} (the mock driver replays <host>/<getter>.1)"
            return
        cls, args = driver_class("mock"), {"path": str(path)}
    else:
        try:
            cls = driver_class(t.driver)
        except DriverMissing as e:
            res.status, res.code, res.message = "failed", "live-driver-missing", str(e)
            return
        args = _optional_args(t, creds, timeout)
    device = cls(hostname=t.address, username=t.username or creds.username, password=creds.password,
                 timeout=int(max(1, round(timeout))), optional_args=args)
    holder["device"] = device
    device.open()
    try:
        for getter in GETTERS:
            if holder.get("abandoned"):
                return
            try:
                if getter == "get_config":
                    data = _clean_config(device.get_config(retrieve="running"), creds)
                else:
                    data = _scrub_obj(getattr(device, getter)(), creds)
            except NotImplementedError as e:
                res.rows.issue(t.name, f"getter {getter}", "info", "live-getter-unsupported",
                               creds.scrub(f"{t.name}: driver {t.driver} does not implement {getter} "
                                           f"({_first_line(e)})"))
                continue
            except Exception as e:  # noqa: BLE001
                code, reason = classify(e, creds, timeout)
                got_some = bool(res.raw)
                # recorded in the mock layout, so a replay reproduces the failure
                res.raw[getter] = {"exception": f"{type(e).__module__}.{type(e).__qualname__}",
                                   "args": [creds.scrub(_first_line(e))]}
                if code in ("live-timeout", "live-unreachable"):
                    # the session is gone: the remaining getters would only wait for it again
                    res.status, res.code = "partial" if got_some else "failed", code
                    res.message = f"{getter}: {reason}"
                    return
                res.status = "partial"
                res.rows.issue(t.name, f"getter {getter}", "warning", "live-getter-failed",
                               f"{t.name}: {getter} failed: {reason}")
                continue
            if data is None:
                # napalm-huawei-vrp answers None for getters it does not implement
                res.rows.issue(t.name, f"getter {getter}", "info", "live-getter-unsupported",
                               f"{t.name}: driver {t.driver} returned nothing for {getter}")
                continue
            res.raw[getter] = data
    finally:
        try:
            device.close()
        except Exception:  # noqa: BLE001 - closing a broken session must not hide the real result
            pass


def _outcome_rows(res: HostResult) -> None:
    """The host's files row (kind live) and, for a failure, its issue row."""
    t = res.target
    rows = res.rows
    files = [f for f in rows["files"] if f.get("source") == t.name]
    if files:
        f = files[0]
        f["kind"] = "live"
        if res.status != "ok" and f.get("status") == "parsed":
            f["status"] = "partial"
    else:
        rows.add("files", {"source": t.name, "kind": "live", "platform": DRIVERS.get(t.driver, ""),
                           "encoding": "", "status": "failed" if res.status == "failed" else "partial"})
    if res.code:
        rows.issue(t.name, t.endpoint(), "error", res.code,
                   f"{t.name} ({t.endpoint()}, {t.driver}): {res.message}", value=t.address,
                   expected=_EXPECTED.get(res.code, ""))


_EXPECTED = {
    "live-unreachable": "a device answering SSH (eos: eAPI over HTTPS) at that address and port",
    "live-timeout": "an answer within --timeout seconds",
    "live-auth-failed": "NETCONSOL_USERNAME / NETCONSOL_PASSWORD valid on the device",
    "live-driver-missing": "an importable NAPALM driver",
    "live-mock-missing": "a folder of recorded getter outputs named after the host",
}


# ------------------------------------------------------------------ getters -> rows

def _kind(name: str) -> tuple[str, str]:
    base, dot, _ = name.partition(".")
    if dot and not name.lower().startswith(("lo", "vlan")):
        return "subinterface", base
    n = name.lower()
    for kind, prefixes in (
            ("loopback", ("loopback", "lo")), ("vlan", ("vlan", "irb", "bvi", "bdi")),
            ("aggregate", ("port-channel", "eth-trunk", "bundle-ether", "ae", "po")),
            ("tunnel", ("tunnel", "tu", "gr-", "ip-")),
            ("management", ("management", "mgmt", "meth", "fxp", "em", "me0"))):
        if n.startswith(prefixes):
            return kind, ""
    if n.startswith(("eth", "gig", "fast", "ten", "twenty", "forty", "hundred", "ge-", "xe-", "et-", "serial",
                     "xgig", "25ge", "100ge", "40ge", "multigig")):
        return "physical", ""
    return "other", ""


def _net(ip: str, plen) -> IPNetwork | None:
    try:
        return IPNetwork(f"{ip}/{int(plen)}")
    except (AddrFormatError, ValueError, TypeError):
        return None


def rows_from_getters(target: Target, raw: dict, carriers=None) -> Rows:
    """Rows for one target from its getter outputs (``raw``: getter -> data; failures skipped)."""
    def ok(getter):
        data = raw.get(getter)
        return data if isinstance(data, dict) and "exception" not in data else {}

    source = target.name
    platform = DRIVERS[target.driver]
    config = (ok("get_config").get("running") or "")
    facts = ok("get_facts")
    rows = Rows()
    if config.strip():
        rows = collect_config(f"{target.name}.cfg", source, platform, carriers or nz.Carriers.load(), text=config)
        for r in rows["devices"]:
            r["location"] = "getter get_config"
    if not rows["devices"]:
        if not (facts or ok("get_interfaces") or ok("get_interfaces_ip")):
            return rows
        rows.add("devices", {"device": facts.get("hostname") or target.name,
                             "vendor": _VENDOR.get(target.driver, ""), "platform": "live", "confidence": None,
                             "source": source, "location": "getter get_facts"})
    dev = rows["devices"][0]
    device = dev["device"]
    if dev.get("source") == source and not dev.get("vendor"):
        dev["vendor"] = _VENDOR.get(target.driver, "")
    for key, fact in (("model", "model"), ("os_version", "os_version"), ("serial", "serial_number")):
        if str(facts.get(fact) or "").strip():
            dev[key] = str(facts[fact]).strip()

    _complement_interfaces(rows, device, source, ok("get_interfaces"), ok("get_interfaces_ip"))
    for local in sorted(ok("get_lldp_neighbors")):
        for n in ok("get_lldp_neighbors")[local] or []:
            if not isinstance(n, dict) or not n.get("hostname"):
                continue
            a, b = (device, local), (str(n["hostname"]), str(n.get("port", "")))
            (ad, ai), (bd, bi) = sorted([a, b])
            rows.add("links", {"a_device": ad, "a_interface": ai, "b_device": bd, "b_interface": bi, "subnet": "",
                               "evidence": "lldp", "source": source, "location": "getter get_lldp_neighbors"})
    _attribute(rows, target, device)
    return rows


def _complement_interfaces(rows: Rows, device: str, source: str, ifaces: dict, ifaces_ip: dict) -> None:
    have = set()
    vrf_of, named = {}, set()
    for r in rows["interfaces"]:
        named.add(r["interface"])
        if r.get("vrf"):
            vrf_of.setdefault(r["interface"], r["vrf"])
        if r.get("ip"):
            try:
                have.add((r["interface"], IPAddress(r["ip"]), int(r["prefixlen"])))
            except (AddrFormatError, ValueError, TypeError):
                pass
    for name in sorted(ifaces_ip):
        fams = ifaces_ip[name] or {}
        for fam_key, family in (("ipv4", 4), ("ipv6", 6)):
            for ip in sorted((fams.get(fam_key) or {})):
                net = _net(ip, (fams[fam_key][ip] or {}).get("prefix_length"))
                if net is None or (family == 6 and net.ip.is_link_local()):
                    continue
                if (name, net.ip, net.prefixlen) in have:
                    continue
                have.add((name, net.ip, net.prefixlen))
                named.add(name)
                kind, parent = _kind(name)
                info = ifaces.get(name) or {}
                subnet = str(net.cidr)
                loc = "getter get_interfaces_ip"
                vrf = vrf_of.get(name, "")
                rows.add("interfaces", {
                    "device": device, "interface": name, "kind": kind, "parent": parent,
                    "description": str(info.get("description") or ""), "admin_up": info.get("is_enabled"),
                    "address": f"{net.ip}/{net.prefixlen}", "ip": str(net.ip), "prefixlen": net.prefixlen,
                    "subnet": subnet, "family": family, "vrf": vrf, "source": source, "location": loc})
                rows.add("prefixes", {"prefix": subnet, "family": family, "vrf": vrf, "device": device,
                                      "interface": name, "origin": "interface", "public": nz.is_public(subnet),
                                      "source": source, "location": loc})
    for name in sorted(set(ifaces) - named):
        info = ifaces[name] or {}
        kind, parent = _kind(name)
        rows.add("interfaces", {"device": device, "interface": name, "kind": kind, "parent": parent,
                                "description": str(info.get("description") or ""),
                                "admin_up": info.get("is_enabled"), "address": "", "source": source,
                                "location": "getter get_interfaces"})


def _attribute(rows: Rows, target: Target, device: str) -> None:
    """The targets file's host data attributes the device, its prefixes and exits (as the manifest would)."""
    data = target.data
    if not data:
        return
    for d in rows["devices"]:
        for k in ("department", "district", "town", "network", "role"):
            if data.get(k):
                d[k] = data[k]
        if data.get("site") and not d.get("site"):
            d["site"] = data["site"]
        d["attributed_by"] = "manifest"
    for p in rows["prefixes"]:
        if p.get("device") != device:
            continue
        p["department"] = data.get("department", "")
        p["district"] = data.get("district", "")
        if data.get("network") and not p.get("vrf"):
            p["network"] = data["network"]
        p["attributed_by"] = "manifest"
    for e in rows["exits"]:
        for k in ("department", "district", "town"):
            e[k] = data.get(k, "")
        e["attributed_by"] = "manifest"


# ------------------------------------------------------------------ the scan

@dataclass
class LiveScan:
    """Every target's result, in targets order, and the rows of them all."""

    hosts: list
    rows: Rows
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        out = {"ok": 0, "partial": 0, "failed": 0}
        for h in self.hosts:
            out[h.status] = out.get(h.status, 0) + 1
        return out

    def files(self) -> dict[str, str]:
        """Relative path -> text of the raw outputs to save (NAPALM mock layout), redacted and scrubbed."""
        out = {}
        for h in self.hosts:
            for getter, data in h.raw.items():
                out[f"{h.target.name}/{getter}.1"] = json.dumps(data, indent=2, sort_keys=True,
                                                                ensure_ascii=False) + "\n"
            running = (h.raw.get("get_config") or {}).get("running") if isinstance(h.raw.get("get_config"),
                                                                                   dict) else None
            if running:
                out[f"{h.target.name}/running.cfg"] = running.rstrip("\n") + "\n"
        hosts = {}
        for h in self.hosts:
            t = h.target
            entry = {"hostname": t.address, "platform": t.driver}
            if t.port:
                entry["port"] = t.port
            if t.username:
                entry["username"] = t.username
            if t.data:
                entry["data"] = dict(t.data)
            hosts[t.name] = entry
        out["hosts.yaml"] = ("# targets of this live scan, resolved (groups and defaults applied); replay with\n"
                             "#   netconsol live hosts.yaml --mock . --out SNAPSHOT\n"
                             + yaml.safe_dump(hosts, allow_unicode=True, sort_keys=True))
        lines = ["# host\tendpoint\tdriver\tstatus\tcode\tseconds\tmessage"]
        for h in self.hosts:
            t = h.target
            lines.append(f"{t.name}\t{t.endpoint()}\t{t.driver}\t{h.status}\t{h.code or '-'}\t{h.seconds:.2f}"
                         f"\t{h.message}")
        out["scan.log"] = "\n".join(lines) + "\n"
        return out


def scan(targets, creds: Credentials, workers: int = 16, timeout: float = 30, mock_dir=None, progress=None,
         host_timeout: float | None = None, carriers=None) -> LiveScan:
    """Collect every target in parallel; failures are issue rows, never exceptions.

    *timeout* goes to the driver (connect, banner, login, each command); a
    target still running *host_timeout* seconds after it started (default
    ``HOST_TIMEOUT_FACTOR * timeout``) is abandoned as ``live-timeout``.
    *progress* is called with 1 per finished target, from this thread.
    """
    targets = list(targets)
    if workers < 1:
        raise CollectError(f"workers must be at least 1, got {workers!r}")
    if timeout <= 0:
        raise CollectError(f"timeout must be positive, got {timeout!r}")
    host_timeout = host_timeout or HOST_TIMEOUT_FACTOR * timeout
    carriers = carriers or nz.Carriers.load()
    names = [t.name for t in targets]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise CollectError(f"target names must be unique; repeated: {', '.join(dup)}")
    started = time.monotonic()
    results: dict[str, HostResult] = {}
    holders = {t.name: {"started": None} for t in targets}

    def run(t):
        h = holders[t.name]
        h["started"] = time.monotonic()
        return collect_host(t, creds, timeout, mock_dir, carriers, h)

    pool = ThreadPoolExecutor(max_workers=min(workers, max(1, len(targets))), thread_name_prefix="live")
    try:
        pending = {pool.submit(run, t): t for t in targets}
        while pending:
            done, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for f in done:
                t = pending.pop(f)
                results[t.name] = f.result()
                if progress:
                    progress(1)
            now = time.monotonic()
            for f, t in list(pending.items()):
                h = holders[t.name]
                if h["started"] is not None and now - h["started"] > host_timeout:
                    h["abandoned"] = True
                    if h.get("device") is not None:
                        _abort(h["device"])
                    del pending[f]
                    res = HostResult(t, status="failed", code="live-timeout", seconds=now - h["started"],
                                     message=f"not finished within {host_timeout:g} s; abandoned")
                    _outcome_rows(res)
                    results[t.name] = res
                    if progress:
                        progress(1)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    hosts = [results[t.name] for t in targets]
    rows = Rows()
    for h in hosts:
        rows.update(h.rows)
    _merge(rows)
    return LiveScan(hosts, rows, time.monotonic() - started)


def _merge(rows: Rows) -> None:
    """Across hosts: LLDP names shortened to scanned devices, one row per link, unique device names."""
    from . import _unique_devices, _unique_keys

    from .. import platforms

    normalizers = {}
    for d in rows["devices"]:
        mod = platforms.get(d["platform"]) if d.get("platform") in platforms.PLATFORMS else None
        normalizers[d["device"]] = getattr(mod, "normalize_interface", None)
    for link in rows["links"]:
        for side in ("a", "b"):
            name = link[f"{side}_device"]
            if name not in normalizers and name.split(".")[0] in normalizers:
                name = link[f"{side}_device"] = name.split(".")[0]  # LLDP often reports the FQDN
            norm = normalizers.get(name)
            if norm and link[f"{side}_interface"]:
                link[f"{side}_interface"] = norm(link[f"{side}_interface"])  # 'Gi2' -> 'GigabitEthernet2'
        a, b = (link["a_device"], link["a_interface"]), (link["b_device"], link["b_interface"])
        if b < a:
            link["a_device"], link["a_interface"], link["b_device"], link["b_interface"] = b + a
    seen, kept = set(), []
    for link in rows["links"]:
        k = (link["a_device"], link["a_interface"], link["b_device"], link["b_interface"])
        if k not in seen:
            seen.add(k)
            kept.append(link)
    rows.tables["links"] = kept
    _unique_devices(rows)
    _unique_keys(rows)
