"""Device configuration backups: detect the vendor, parse, and add provenance.

Each file becomes a ``files`` row (platform, confidence, encoding, lines
understood / ignored / unrecognized), a ``devices`` row, and rows in
``interfaces``, ``vrfs``, ``routes``, ``nat``, ``bgp`` and ``prefixes``.
Unrecognized lines are info-level issues with their line numbers.  Interfaces
with exit-like evidence become ``exit_candidates`` rows with their evidence and a
verdict; those judged ``exit`` become ``exits`` rows.
"""
from __future__ import annotations

from pathlib import Path

from .. import normalize as nz
from .. import platforms
from ..inventory import Rows
from ..platforms.base import decode
from .exit_evidence import gather, judge_rows

__all__ = ["collect_config", "collect_configs", "exit_hints", "CONFIG_SUFFIXES", "MIN_CONFIDENCE"]

CONFIG_SUFFIXES = (".cfg", ".conf", ".txt", ".config", ".log", "")
MIN_CONFIDENCE = 0.3
# tables a ParseResult fills, besides the device itself
_TABLES = ("interfaces", "vrfs", "routes", "nat", "bgp", "neighbors")


def collect_config(path, source: str | None = None, platform: str | None = None, carriers=None,
                   text: str | None = None, evidence_rules=None, judge: bool = True) -> Rows:
    """Rows from one config file (or *text*); never raises on bad content.  *judge*: give the
    exit candidates their verdicts without a manifest (collect_rows passes False: it judges every
    candidate once, after attribution)."""
    # *path* as given (text or Path): a Path object is made only when its name is needed (a
    # province's 20,000 files paid pathlib's parsing twice each for an open())
    source = source or Path(path).name
    out = Rows()
    encoding = "text"
    if text is None:
        try:
            with open(path, "rb") as f:
                text, encoding = decode(f.read())
        except OSError as e:
            out.issue(source, "", "error", "unreadable-file", f"cannot read file: {e.strerror}",
                      expected="a readable config backup")
            out.add("files", {"source": source, "kind": "config", "status": "failed"})
            return out
    if "\r" in text:  # CR-only line ends (old Mac, terminal captures) are line ends, not one long line
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if platform:
        name, conf = platform, 1.0
    else:
        name, conf = platforms.detect(text)
    if not name or conf < MIN_CONFIDENCE:
        out.issue(source, "", "error", "unrecognized-file",
                  f"no parser recognizes this file (best guess {name or 'none'} at {conf:.2f})",
                  expected="a Huawei VRP, H3C Comware, Cisco IOS/IOS-XR/NX-OS, Arista EOS or JunOS config "
                           "(use --platform to force one)")
        out.add("files", {"source": source, "kind": "config", "platform": name, "confidence": conf,
                          "encoding": encoding, "status": "unrecognized",
                          "lines": sum(1 for ln in text.splitlines() if ln.strip())})
        return out
    mod = platforms.get(name)
    try:
        result = mod.parse(text)
    except Exception as e:  # parsers promise not to raise; if one does, the scan goes on
        out.issue(source, "", "error", "parser-crash", f"{name} parser failed: {type(e).__name__}: {e}",
                  expected="a parsable config (please report this file)")
        out.add("files", {"source": source, "kind": "config", "platform": name, "confidence": conf,
                          "encoding": encoding, "status": "failed"})
        return out
    device = (result.device.get("hostname") or "").strip()
    if not device:
        device = Path(path).stem
        out.issue(source, "", "warning", "no-hostname", f"config names no hostname; using the file name {device!r}",
                  column="hostname", expected="sysname / hostname / host-name")
    out.add("devices", {"device": device, "vendor": result.vendor, "platform": name,
                        "model": result.device.get("model", ""), "os_version": result.device.get("os_version", ""),
                        "serial": result.device.get("serial", ""), "lldp": result.device.get("lldp"),
                        "cdp": result.device.get("cdp"),
                        "site": result.device.get("location", ""), "confidence": conf, "source": source,
                        "location": "file"})
    _check_bounds(result, text, source, out)
    for table in _TABLES:
        for row in getattr(result, table):
            out.add(table, {**row, "device": device, "source": source})
    for iface in result.interfaces:
        subnet = iface.get("subnet")
        if subnet and not iface.get("unnumbered"):   # a borrowed address is the lender's prefix
            out.add("prefixes", {"prefix": subnet, "family": iface.get("family"), "vrf": iface.get("vrf", ""),
                                 "device": device, "interface": iface["interface"], "origin": "interface",
                                 "public": nz.is_public(subnet), "source": source,
                                 "location": iface.get("location", "")})
    for row in result.issues:
        out.issue(source, row.get("location", ""), row.get("severity", "error"), row.get("code", "parse-error"),
                  row.get("message", ""), row.get("column", ""), row.get("value", ""), row.get("expected", ""))
    for n, line in result.unrecognized:
        out.issue(source, f"line {n}", "info", "unrecognized-line", "line not read by the %s parser" % name,
                  value=line.strip()[:200])
    status = "parsed" if not result.unrecognized and not result.issues else "partial"
    out.add("files", {"source": source, "kind": "config", "platform": name, "confidence": conf,
                      "encoding": encoding, "status": status, "lines": result.lines,
                      "understood": result.understood, "ignored": result.ignored,
                      "unrecognized": len(result.unrecognized)})
    # candidates and their verdicts without a manifest; collect_rows judges them again once the
    # manifest has said which address space is the extranet's, a vertical network's, a DC's
    out.extend("exit_candidates", exit_hints(device, out, carriers or nz.Carriers.load(), source))
    if judge:
        judge_rows(out, None, evidence_rules)
    return out


# integer fields the contract types as Int64: a value outside these bounds is not what the
# keyword means (and a 20-digit one would overflow the column); checked here, once for every
# vendor's parser, rather than caught at typing time
_BOUNDS = {
    "interfaces": (("vlan", 0, 4095, "a VLAN id 0..4095"), ("prefixlen", 0, 128, "a prefix length 0..128"),
                   ("family", 4, 6, "4 or 6")),
    "routes": (("distance", 0, 0xFFFFFFFF, "a preference / distance 0..4294967295"),),
    "bgp": (("local_as", 0, 0xFFFFFFFF, "an AS number 0..4294967295"),
            ("remote_as", 0, 0xFFFFFFFF, "an AS number 0..4294967295")),
}


def _check_bounds(result, text: str, source: str, out: Rows) -> None:
    """Out-of-range integers: the cell left blank, an error issue naming line, column and value,
    and the line moved from understood to unrecognized so the ledger still adds up."""
    lines = None
    moved = {n for n, _ in result.unrecognized}
    for table, checks in _BOUNDS.items():
        for row in getattr(result, table):
            for col, lo, hi, expected in checks:
                v = row.get(col)
                if v is None or (type(v) is int and lo <= v <= hi):
                    continue
                row[col] = None
                loc = row.get("location", "")
                out.issue(source, loc, "error", "out-of-range", f"{col} {str(v)[:40]!r} out of range; left blank",
                          column=col, value=str(v)[:200], expected=expected)
                n = loc[5:] if loc.startswith("line ") else ""
                if n.isdigit() and int(n) not in moved and result.understood > 0:
                    if lines is None:
                        lines = text.splitlines()
                    moved.add(int(n))
                    result.understood -= 1
                    result.unrecognized.append((int(n), lines[int(n) - 1] if int(n) <= len(lines) else ""))


def exit_hints(device: str, rows: Rows, carriers, source: str) -> list[dict]:
    """``exit_candidates`` rows of *device*: interfaces with exit-like evidence, each piece named
    (see :mod:`netconsol.collectors.exit_evidence`); no verdict yet."""
    return gather(device, rows, carriers, source)


def collect_configs(paths, base=None, platform=None, carriers=None, evidence_rules=None) -> Rows:
    carriers = carriers or nz.Carriers.load()
    out = Rows()
    for p in sorted(Path(p) for p in paths):
        src = p.relative_to(base).as_posix() if base else p.name
        out.update(collect_config(p, src, platform, carriers, evidence_rules=evidence_rules))
    return out
