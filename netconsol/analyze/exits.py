"""Internet exits (互联网出口): reconcile sheets with configs, then plan their consolidation.

``reconcile_exits(inv, rules)`` turns the ``exits`` table (one row per sheet declaration, one per
config interface with exit evidence) into one row per real exit, with a reconciled id, and a
table of disagreements between the two sides.  ``plan_exits(inv, rules)`` decides what happens
to every exit, sizes the unified exit and computes the before/after figures; it returns a
:class:`ExitPlan` (tables and the facts the text quotes); ``netconsol.render.exits_doc`` makes it
the document ``render.plans`` writes as CSV, XLSX, JSON or Markdown.
The policy lives in ``rules/exits.yaml`` (:func:`load_exit_rules`); every key is documented there.

Matching a sheet row to a config exit, strongest evidence first (``reconcile.match_by``):

1. ``range``: the public ranges overlap; the larger overlap wins, one-to-one.  Public addresses
   are allocated by the carrier to one line, so an overlap is near-proof.
2. ``device``: the sheet's access device is the config's hostname; when a device has several
   exits, the carrier picks one.  Departments are not compared: sheets write short names
   (市发改委) that only the manifest's aliases resolve, and a hostname is the stronger fact.
3. ``department_carrier``: same department and same carrier, the only such pair on both sides.
4. ``department``: the department's only unmatched exit on each side, with carriers and ranges
   not contradicting each other.

Methods 2-4 never pair two exits whose ranges are both known and disjoint: that is two lines.
Config exits that share public addresses (an HA firewall pair on one outside subnet) are one
exit before matching; so are one department's sheet rows declaring the same public range (one
line declared twice: the plan notes ``duplicate_sheet_rows``).

Sizing: the pool is the city's concurrent peak with headroom (never below a share of what is
bought today); the primary site carries all of it and survives the loss of one carrier (each
line = site demand / (carriers - 1)); the backup site carries its capacity share split evenly.
Exits after = kept exits + unified lines; "behind the unified exit" = departments without an
exit of their own (netconsol's definition, labelled so).  Pure functions: tables in, tables
out; nothing is written, no label or language here (they live in render/exits_doc.py).
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import math
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from netaddr import AddrFormatError, IPAddress, IPNetwork, IPSet, valid_ipv4, valid_ipv6

from ..errors import NormalizeError, RulesError
from ..normalize.bandwidth import to_mbps
from ..normalize.carriers import Carriers, default_carriers
from ..normalize.text import fold
from ..frames import table
from ..rules import DEFAULT_RULES_DIR, load_yaml
from ..normalize.vocabulary import default_vocabulary
from .intervals import span_within
from .unionfind import DisjointSets

__all__ = [
    "ExitRules", "Site", "Tier", "Ministry", "load_exit_rules", "reconcile_exits", "exit_plan", "ExitPlan", "buy", "with_rules",
    "admin_isolation", "admin_devices", "candidate_rows",
    "DISPOSITIONS", "FLAGS", "MATCH_METHODS", "RECONCILED_COLUMNS", "DISAGREEMENT_COLUMNS", "UNIFIED",
]

DISPOSITIONS = ("keep_mandated", "keep_until_contract_end", "migrate", "decommission")
KEPT = ("keep_mandated", "keep_until_contract_end")
# seen on one side only: declared in a sheet with no config evidence although the department's
# devices were collected / declared but none of the department's devices was collected, so the
# absence of evidence means nothing / found in a config, declared in no sheet
FLAGS = ("declared_not_configured", "declared_not_collected", "configured_not_declared")
MATCH_METHODS = ("range", "device", "department_carrier", "department")
SPLITS = ("survive_one_loss", "even")
ROLES = ("primary", "backup")
COMPARE_FIELDS = ("carrier", "bandwidth_mbps", "public_range", "department")
PREFER_FIELDS = {"carrier": ("sheet", "config"), "bandwidth_mbps": ("sheet", "config"),
                 "public_range": ("sheet", "config", "union"), "department": ("sheet", "config")}
# the district value of the per-district row holding the unified exit's own lines
UNIFIED = "(unified)"

RECONCILED_COLUMNS = [
    ("exit", "str"), ("seen_in", "str"), ("flag", "str"), ("match_by", "str"),
    ("sheet_exit", "str"), ("config_exit", "str"),
    ("department", "str"), ("district", "str"), ("town", "str"), ("access_type", "str"),
    ("device", "str"), ("model", "str"), ("interface", "str"),
    ("public_range", "str"), ("public_ips", "count"),
    ("carrier", "str"), ("carrier_known", "bool"), ("bandwidth_mbps", "float"), ("bandwidth_from", "str"),
    ("fee_yuan_year", "float"), ("contract_end", "str"), ("mandated_by", "str"), ("services", "str"),
    ("peak_util", "float"),
    ("evidence", "str"),
    ("sheet_source", "str"), ("sheet_location", "str"), ("config_source", "str"), ("config_location", "str"),
]
DISAGREEMENT_COLUMNS = [
    ("exit", "str"), ("field", "str"), ("sheet_value", "str"), ("config_value", "str"), ("kept", "str"),
    ("kept_from", "str"), ("department", "str"), ("district", "str"), ("sheet_exit", "str"),
    ("config_exit", "str"), ("sheet_source", "str"), ("sheet_location", "str"), ("config_source", "str"),
    ("config_location", "str"),
]


# ==============================================================================================
# rules
# ==============================================================================================
@dataclass(frozen=True)
class Tier:
    mbps: float
    yuan: int


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    name_en: str
    district: str
    role: str
    capacity_share: float
    carriers: tuple
    optional_carriers: tuple
    carrier_split: str = "survive_one_loss"


@dataclass(frozen=True)
class Ministry:
    name: str
    aliases: tuple = ()

    def named_in(self, text: str) -> bool:
        t = fold(text).casefold()
        return any(fold(n).casefold() in t for n in (self.name, *self.aliases) if n)


@dataclass(frozen=True)
class ExitRules:
    """The checked policy of rules/exits.yaml (see the file for what each field means).

    Variants for what-if plans: ``dataclasses.replace(rules, concurrency=0.5)``.
    """
    path: str
    plan_date: str
    sites: tuple
    min_sites: int
    carrier_split: str
    optional_carrier_min_share: float
    concurrency: float
    oversubscription: float
    headroom: float
    pool_includes_contract_kept: bool
    tiers: dict
    mandated_ministries: tuple
    missing_fee: str
    assume_bandwidth_mbps: float | None
    not_services: tuple
    city_level_words: tuple
    match_by: tuple
    compare: tuple
    prefer: dict
    bandwidth_tolerance: float
    carriers: Carriers = field(default=None, compare=False, repr=False)
    sites_decided: bool = True      # False: the rules name no site; one primary site "to be decided"
    plan_date_set: bool = True      # False: plan_date is the scan date

    @property
    def primary(self) -> Site:
        return next(s for s in self.sites if s.role == "primary")

    def tiers_for(self, carrier: str) -> tuple:
        return self.tiers.get(carrier) or self.tiers["default"]

    def ministry(self, mandated_by: str) -> str:
        """The rules' ministry named in *mandated_by*, '' if none."""
        if not mandated_by:
            return ""
        for m in self.mandated_ministries:
            if m.named_in(mandated_by):
                return m.name
        return ""


_TOP = {"plan_date", "carriers", "optional_carrier_min_share", "sites", "min_sites", "carrier_split",
        "concurrency", "oversubscription", "headroom", "pool_includes_contract_kept", "tiers",
        "mandated_ministries", "missing_fee", "assume_bandwidth_mbps", "not_services", "city_level_words",
        "reconcile"}
_SITE = {"id", "name", "name_en", "district", "role", "capacity_share", "carriers", "optional_carriers",
         "carrier_split"}
_RECONCILE = {"match_by", "compare", "prefer", "bandwidth_tolerance"}
_SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class _Check:
    def __init__(self, path: Path, carriers: Carriers):
        self.path, self.carriers = path, carriers

    def fail(self, key: str, value, expected: str):
        raise RulesError(f"{self.path}: {key}: {value!r}: expected {expected}")

    def keys(self, where: str, data, allowed: set):
        if not isinstance(data, dict):
            self.fail(where or "top level", data, "a mapping")
        for k in data:
            if k not in allowed:
                raise RulesError(f"{self.path}: {where + '.' if where else ''}{k}: unknown key "
                                 f"(value {data[k]!r}); known keys: {', '.join(sorted(allowed))}")

    def required(self, data: dict, key: str, where: str = ""):
        if key not in data or data[key] is None:
            self.fail(f"{where + '.' if where else ''}{key}", None, "a value (the key is required)")
        return data[key]

    def number(self, key, v, lo, hi=None, lo_open=False, what=""):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v):
            self.fail(key, v, what or "a number")
        if (v <= lo if lo_open else v < lo) or (hi is not None and v > hi):
            rng = f"{'>' if lo_open else '>='} {lo}" + (f" and <= {hi}" if hi is not None else "")
            self.fail(key, v, what or f"a number {rng}")
        return float(v)

    def boolean(self, key, v):
        if not isinstance(v, bool):
            self.fail(key, v, "true or false")
        return v

    def choice(self, key, v, choices):
        if v not in choices:
            self.fail(key, v, "one of " + ", ".join(choices))
        return v

    def text(self, key, v, allow_empty=False):
        if not isinstance(v, str) or (not allow_empty and not v.strip()):
            self.fail(key, v, "a text" if allow_empty else "a non-empty text")
        return v.strip()

    def strings(self, key, v):
        if not isinstance(v, list):
            self.fail(key, v, "a list of texts")
        return tuple(self.text(f"{key}[{i}]", x) for i, x in enumerate(v))

    def carrier(self, key, v) -> str:
        if not isinstance(v, str) or not v.strip():
            self.fail(key, v, "a carrier name")
        name, known = self.carriers.canonical(v)
        if not known:
            self.fail(key, v, f"a carrier of {self.carriers.source} ({', '.join(self.carriers.names)})")
        return name

    def carrier_list(self, key, v, minimum=0) -> tuple:
        if not isinstance(v, list):
            self.fail(key, v, "a list of carrier names")
        names = tuple(dict.fromkeys(self.carrier(f"{key}[{i}]", x) for i, x in enumerate(v)))
        if len(names) < minimum:
            self.fail(key, v, f"at least {minimum} different carriers (a unified exit survives the loss of one)")
        return names


TBD_SITE = "tbd"


def scan_date() -> _dt.date:
    """The date a plan without a plan_date uses: SOURCE_DATE_EPOCH when set (reproducible runs), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    return _dt.date.today()


def load_exit_rules(path=None, carriers: Carriers | None = None) -> ExitRules:
    """Read and check rules/exits.yaml (default: the repository's); errors name file, key and value."""
    path = Path(path) if path else DEFAULT_RULES_DIR / "exits.yaml"
    carriers = carriers or default_carriers()
    data = load_yaml(path)
    c = _Check(path, carriers)
    c.keys("", data, _TOP)

    raw_date = data.get("plan_date")
    plan_date_set = raw_date is not None
    if raw_date is None:
        raw_date = scan_date()
    if isinstance(raw_date, _dt.datetime):
        raw_date = raw_date.date()
    if isinstance(raw_date, _dt.date):
        plan_date = raw_date.isoformat()
    else:
        try:
            plan_date = _dt.date.fromisoformat(str(raw_date)).isoformat()
        except ValueError:
            c.fail("plan_date", raw_date, "a date YYYY-MM-DD, e.g. 2027-06-30")

    default_carr = c.required(data, "carriers")
    c.keys("carriers", default_carr, {"required", "optional"})
    required = c.carrier_list("carriers.required", c.required(default_carr, "required", "carriers"), 2)
    optional = c.carrier_list("carriers.optional", default_carr.get("optional") or [])

    split = c.choice("carrier_split", data.get("carrier_split", "survive_one_loss"), SPLITS)
    raw_sites = data.get("sites") or []
    if not isinstance(raw_sites, list):
        c.fail("sites", raw_sites, "a list of unified exit sites")
    sites_decided = bool(raw_sites)
    if not sites_decided:
        # the city named no site: size one primary site "to be decided" rather than invent places;
        # its name is the code TBD_SITE, which render/ words (待定, "to be decided")
        raw_sites = [{"id": TBD_SITE, "name": TBD_SITE, "name_en": TBD_SITE, "role": "primary"}]
    sites, ids = [], set()
    for i, s in enumerate(raw_sites):
        where = f"sites[{i}]"
        c.keys(where, s, _SITE)
        sid = c.text(f"{where}.id", c.required(s, "id", where))
        if not _SITE_ID.match(sid) or sid in ids:
            c.fail(f"{where}.id", sid, "a unique id of letters, digits, '-' and '_'")
        ids.add(sid)
        name = c.text(f"{where}.name", c.required(s, "name", where))
        site_required = (c.carrier_list(f"{where}.carriers", s["carriers"], 2) if "carriers" in s else required)
        site_optional = (c.carrier_list(f"{where}.optional_carriers", s["optional_carriers"])
                         if "optional_carriers" in s else optional)
        sites.append(Site(
            id=sid, name=name, name_en=c.text(f"{where}.name_en", s.get("name_en", name)),
            district=c.text(f"{where}.district", s.get("district", "") or "", allow_empty=True),
            role=c.choice(f"{where}.role", s.get("role", "primary"), ROLES),
            capacity_share=c.number(f"{where}.capacity_share", s.get("capacity_share", 1.0), 0, 1, lo_open=True),
            carriers=site_required,
            optional_carriers=tuple(x for x in site_optional if x not in site_required),
            carrier_split=c.choice(f"{where}.carrier_split", s.get("carrier_split", split), SPLITS)))
    if not any(s.role == "primary" for s in sites):
        c.fail("sites", [s.id for s in sites], "at least one site with role: primary")
    min_sites = data.get("min_sites", 1)
    if isinstance(min_sites, bool) or not isinstance(min_sites, int) or min_sites < 1:
        c.fail("min_sites", min_sites, "a whole number >= 1")
    if sites_decided and len(sites) < min_sites:
        c.fail("sites", [s.id for s in sites], f"at least min_sites = {min_sites} sites (redundancy)")

    raw_tiers = c.required(data, "tiers")
    if not isinstance(raw_tiers, dict):
        c.fail("tiers", raw_tiers, "a mapping of carrier names (and 'default') to tier tables")
    tiers = {}
    for key, table_ in raw_tiers.items():
        where = f"tiers.{key}"
        name = "default" if key == "default" else c.carrier(where, key)
        if not isinstance(table_, dict) or not table_:
            c.fail(where, table_, "a mapping of Mbps to annual yuan, e.g. {100: 48000, 1000: 288000}")
        rows = []
        for mbps, yuan in table_.items():
            m = c.number(f"{where}.{mbps}", mbps, 0, lo_open=True, what="a bandwidth in Mbps > 0")
            if isinstance(yuan, bool) or not isinstance(yuan, int) or yuan < 0:
                c.fail(f"{where}.{mbps}", yuan, "an annual price in whole yuan (an integer >= 0)")
            rows.append(Tier(m, yuan))
        rows.sort(key=lambda t: t.mbps)
        for a, b in zip(rows, rows[1:]):
            if b.yuan < a.yuan:
                c.fail(f"{where}.{b.mbps:g}", b.yuan, f"a price >= {a.yuan} (the {a.mbps:g} Mbps price)")
        tiers[name] = tuple(rows)
    for s in sites:
        for carr in (*s.carriers, *s.optional_carriers):
            if carr not in tiers and "default" not in tiers:
                c.fail("tiers", sorted(tiers), f"a tier table for {carr!r} (site {s.id}) or a 'default' table")
    if "default" not in tiers:
        c.fail("tiers", sorted(tiers), "a 'default' table (prices exits of carriers without their own)")

    ministries = []
    raw_min = data.get("mandated_ministries", []) or []
    if not isinstance(raw_min, list):
        c.fail("mandated_ministries", raw_min, "a list of ministries (names or {name, aliases})")
    for i, m in enumerate(raw_min):
        where = f"mandated_ministries[{i}]"
        if isinstance(m, str):
            ministries.append(Ministry(c.text(where, m)))
        else:
            c.keys(where, m, {"name", "aliases"})
            ministries.append(Ministry(c.text(f"{where}.name", c.required(m, "name", where)),
                                       c.strings(f"{where}.aliases", m.get("aliases", []) or [])))

    assume = data.get("assume_bandwidth_mbps", 100)
    if assume is not None:
        assume = c.number("assume_bandwidth_mbps", assume, 0, lo_open=True, what="a bandwidth in Mbps > 0, or null")

    rec = data.get("reconcile", {}) or {}
    c.keys("reconcile", rec, _RECONCILE)
    match_by = rec.get("match_by", list(MATCH_METHODS))
    if not isinstance(match_by, list) or len(set(match_by)) != len(match_by):
        c.fail("reconcile.match_by", match_by, "a list of methods, each once: " + ", ".join(MATCH_METHODS))
    for i, m in enumerate(match_by):
        c.choice(f"reconcile.match_by[{i}]", m, MATCH_METHODS)
    compare = rec.get("compare", ["carrier", "bandwidth_mbps", "public_range"])
    if not isinstance(compare, list):
        c.fail("reconcile.compare", compare, "a list of fields: " + ", ".join(COMPARE_FIELDS))
    for i, f in enumerate(compare):
        c.choice(f"reconcile.compare[{i}]", f, COMPARE_FIELDS)
    prefer = {"carrier": "config", "bandwidth_mbps": "sheet", "public_range": "union", "department": "sheet"}
    raw_prefer = rec.get("prefer", {}) or {}
    c.keys("reconcile.prefer", raw_prefer, set(PREFER_FIELDS))
    for k, v in raw_prefer.items():
        prefer[k] = c.choice(f"reconcile.prefer.{k}", v, PREFER_FIELDS[k])

    return ExitRules(
        path=_display_path(path), plan_date=plan_date, sites=tuple(sites), min_sites=min_sites,
        sites_decided=sites_decided, plan_date_set=plan_date_set,
        carrier_split=split,
        optional_carrier_min_share=c.number("optional_carrier_min_share",
                                            data.get("optional_carrier_min_share", 0.2), 0, 1),
        concurrency=c.number("concurrency", data.get("concurrency", 0.6), 0, 1, lo_open=True),
        oversubscription=c.number("oversubscription", data.get("oversubscription", 0.25), 0, 1, lo_open=True),
        headroom=c.number("headroom", data.get("headroom", 1.3), 1),
        pool_includes_contract_kept=c.boolean("pool_includes_contract_kept",
                                              data.get("pool_includes_contract_kept", True)),
        tiers=tiers, mandated_ministries=tuple(ministries),
        missing_fee=c.choice("missing_fee", data.get("missing_fee", "estimate"), ("estimate", "zero")),
        assume_bandwidth_mbps=assume,
        not_services=tuple(fold(x).casefold() for x in c.strings("not_services", data.get("not_services", []) or [])),
        city_level_words=tuple(fold(x) for x in c.strings("city_level_words", data.get("city_level_words", []) or [])),
        match_by=tuple(match_by), compare=tuple(dict.fromkeys(compare)), prefer=prefer,
        bandwidth_tolerance=c.number("reconcile.bandwidth_tolerance", rec.get("bandwidth_tolerance", 0.05), 0, 0.99),
        carriers=carriers,
    )


def _display_path(path: Path) -> str:
    """The rules file as shown in plans: relative to the repository when it is the shipped one,
    so two machines produce the same report."""
    try:
        return Path(path).resolve().relative_to(DEFAULT_RULES_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def buy(tiers: tuple, need_mbps: float) -> tuple[float, int, str]:
    """(Mbps bought, annual yuan, lines e.g. '2×2000 + 1×500') for *need_mbps*: the cheapest set of
    the carrier's tier products whose bandwidth covers the need (ties: fewer lines, then less
    bandwidth).  Buying one line of the next tier up can cost far more than two smaller lines
    (2×2000 against 1×5000), so every combination is weighed, not only rounding up.
    No need at all still buys the smallest tier: a line is a line.

    An unbounded knapsack over units of the tiers' greatest common divisor (100 Mbps for the
    shipped tiers), so it stays exact and small.
    """
    need = max(float(need_mbps), 0.0)
    mbps = [int(round(t.mbps)) for t in tiers]
    unit = 0
    for m in mbps:
        unit = math.gcd(unit, m)
    unit = unit or 1
    goal = max(1, math.ceil(round(need, 6) / unit))
    sizes = [m // unit for m in mbps]
    # best[u] = (yuan, lines, bandwidth units, counts) covering at least u units
    best = [(0, 0, 0, ())] + [None] * goal
    for u in range(1, goal + 1):
        choice = None
        for i, (size, t) in enumerate(zip(sizes, tiers)):
            prev = best[max(0, u - size)]
            counts = list(prev[3]) + [0] * (len(tiers) - len(prev[3]))
            counts[i] += 1
            cand = (prev[0] + t.yuan, prev[1] + 1, prev[2] + size, tuple(counts))
            if choice is None or cand[:3] < choice[:3]:
                choice = cand
        best[u] = choice
    yuan, _lines, units, counts = best[goal]
    parts = [f"{n}×{t.mbps:g}" for t, n in sorted(zip(tiers, counts), key=lambda x: -x[0].mbps) if n]
    return float(units * unit), yuan, " + ".join(parts)


# ==============================================================================================
# reconcile
# ==============================================================================================
def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _plain_list(s: pd.Series) -> list:
    """A column as plain Python values, missing ones (NA, NaN) as None."""
    if isinstance(s.dtype, pd.StringDtype) and not s.isna().any():
        return s.to_numpy(dtype=object).tolist()  # str values, none missing
    return [None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in s.tolist()]


def _records(df: pd.DataFrame, columns=None) -> list[dict]:
    """Rows as dicts of plain Python values (missing = None), built column by column
    (``to_dict("records")`` boxes every cell on its own).  *columns*: only these keys."""
    cols = list(df.columns if columns is None else columns)
    data = [_plain_list(df[c]) for c in cols]
    return [dict(zip(cols, vals)) for vals in zip(*data)]


def _key(text) -> str:
    return fold(text or "").casefold()


def _cidrs(text: str) -> list[str]:
    out = []
    for part in (text or "").split():
        try:
            out.append(str(IPNetwork(part).cidr))
        except (AddrFormatError, ValueError, TypeError):
            continue
    return out


def _ipset(ranges) -> IPSet:
    return IPSet(IPNetwork(r) for r in ranges)


def _ranges_of(ipset: IPSet) -> list[str]:
    return [str(c) for c in ipset.iter_cidrs()]


def _size(ipset: IPSet) -> int:
    return int(ipset.size)


def _sid(ids) -> str:
    return "E-" + hashlib.sha1(" ".join(sorted(ids)).encode("utf-8")).hexdigest()[:10]


# a bandwidth written in an interface description: "CT-Internet-200M", "联通互联网专线 1G", "TO-CMCC 500Mbps".
# 3G/4G/5G alone name mobile generations, not bandwidths; "100GE1/0/1" is an interface name.
# The Chinese unit words (千兆, 百兆 ...) are rules/vocabulary.yaml's bandwidth_words.
@functools.lru_cache(maxsize=1)
def _desc_bw() -> re.Pattern:
    words = "".join("|" + re.escape(w) for w in default_vocabulary().bandwidth_words)
    return re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s*(?:[kmg](?:bps|bit/s|b)?" + words + r"))(?![a-z0-9])", re.I)


_MOBILE_GEN = re.compile(r"^[2-5]g$", re.I)


def _description_bandwidth(text: str):
    """Mbps named in an interface description, None if none (or several different ones)."""
    found = set()
    for m in _desc_bw().finditer(fold(text or "")):
        token = m.group(1).replace(" ", "")
        if _MOBILE_GEN.match(token):
            continue
        try:
            found.add(to_mbps(token))
        except NormalizeError:
            continue
    return found.pop() if len(found) == 1 else None


def _side(rec: dict, origin: str, descriptions: dict | None = None) -> dict:
    ranges = _cidrs(rec.get("public_range", ""))
    rec = dict(rec, bandwidth_from="" if _missing(rec.get("bandwidth_mbps")) else origin)
    if origin == "config" and not rec["bandwidth_from"] and descriptions:
        bw = _description_bandwidth(descriptions.get((rec.get("device"), rec.get("interface")), ""))
        if bw is not None:
            rec["bandwidth_mbps"], rec["bandwidth_from"] = bw, "description"
    return {**rec, "ids": [rec["exit"]], "ranges": ranges, "public": _ipset(ranges), "origin": origin,
            "devices": [rec.get("device") or ""], "members": [(rec.get("device") or "", rec.get("interface") or "")],
            "dept_key": _key(rec.get("department")), "dev_keys": {_key(rec.get("device"))} - {""}}


def _same_line_sheets(sheets: list[dict]) -> list[dict]:
    """Sheet rows of one department declaring the same public range are one line declared twice
    (a district's sheet and the department's own, a copied row): one sheet side, whose ids are all
    of the rows' and whose empty fields are filled from the later rows.  Without a range, two rows
    may be two lines of one carrier, so they stay apart."""
    first_of, out = {}, []
    for s in sheets:
        key = (s["dept_key"], tuple(_ranges_of(s["public"]))) if s["ranges"] and s["dept_key"] else None
        kept = first_of.get(key) if key else None
        if kept is None:
            if key:
                first_of[key] = s
            out.append(s)
            continue
        kept["ids"].append(s["exit"])
        kept["dev_keys"] = kept["dev_keys"] | s["dev_keys"]
        for k, v in s.items():
            if k not in ("ids", "dev_keys") and (_missing(kept.get(k)) or kept.get(k) == "") \
                    and not (_missing(v) or v == ""):
                kept[k] = v
        kept["location"] = " ".join(x for x in (kept.get("location") or "", s.get("location") or "") if x)
        if s.get("source") and s.get("source") != kept.get("source"):
            kept["source"] = " ".join(x for x in (kept.get("source") or "", s["source"]) if x)
    return out


def _ha_groups(configs: list[dict]) -> list[dict]:
    """Config exits sharing public addresses are one exit (an HA pair on one outside subnet)."""
    sets = DisjointSets(range(len(configs)))
    for i, j in _sharing([c["public"] if c["ranges"] else None for c in configs]):
        sets.union(i, j)
    out = []
    for group in sets.groups().values():
        members = [configs[i] for i in group]
        members.sort(key=lambda m: m["exit"])
        if len(members) == 1:
            out.append(members[0])
            continue
        g = dict(members[0])
        public = IPSet()
        for m in members:
            public |= m["public"]
        g.update({
            "ids": [m["exit"] for m in members], "public": public, "ranges": _ranges_of(public),
            "devices": [m["device"] for m in members], "members": [mm for m in members for mm in m["members"]],
            "dev_keys": set().union(*(m["dev_keys"] for m in members)),
            "evidence": " ".join(dict.fromkeys(w for m in members for w in (m.get("evidence") or "").split())),
            "source": " ".join(dict.fromkeys(m.get("source") or "" for m in members)),
            "location": " ".join(m.get("location") or "" for m in members),
        })
        for k in ("department", "district", "town", "carrier", "model", "access_type"):
            g[k] = next((m[k] for m in members if m.get(k)), "")
        with_bw = next((m for m in members if not _missing(m.get("bandwidth_mbps"))), None)
        g["bandwidth_mbps"] = with_bw["bandwidth_mbps"] if with_bw else None
        g["bandwidth_from"] = with_bw["bandwidth_from"] if with_bw else ""
        g["dept_key"] = _key(g["department"])
        g["carrier_known"] = next((m["carrier_known"] for m in members if m.get("carrier")), None)
        out.append(g)
    return sorted(out, key=lambda g: g["ids"][0])


def _sharing(sets: list) -> set:
    """Index pairs (i, j), i < j, of the IPSets in *sets* (None = no ranges) that share an address:
    one sweep over their CIDRs (:func:`~netconsol.analyze.overlaps.overlapping_pairs`), not every pair."""
    from .overlaps import overlapping_pairs

    spans, owner = [], []
    for i, ips in enumerate(sets):
        if ips is None:
            continue
        for c in ips.iter_cidrs():
            off = (c.version == 6) << 200
            spans.append((c.first + off, c.last + off))
            owner.append(i)
    out = set()
    for a, b in overlapping_pairs(spans):
        i, j = owner[a], owner[b]
        if i != j:
            out.add((min(i, j), max(i, j)))
    return out


def _ranges_agree(s: dict, g: dict) -> bool:
    """Two exits whose ranges are both known and disjoint are two lines, whatever else matches."""
    return not s["ranges"] or not g["ranges"] or bool(s["public"] & g["public"])


def _mutual(pairs: set) -> list:
    ns, ng = defaultdict(int), defaultdict(int)
    for si, gi in pairs:
        ns[si] += 1
        ng[gi] += 1
    return sorted((si, gi) for si, gi in pairs if ns[si] == 1 and ng[gi] == 1)


def _narrow_by_carrier(pairs: set, sheets, groups) -> set:
    """A sheet row (or config exit) with several candidates keeps the one of its own carrier."""
    for side in (0, 1):
        by = defaultdict(set)
        for p in pairs:
            by[p[side]].add(p)
        for k, ps in by.items():
            if len(ps) < 2:
                continue
            own = (sheets if side == 0 else groups)[k].get("carrier")
            other = groups if side == 0 else sheets
            same = {p for p in ps if own and other[p[1 - side]].get("carrier") == own}
            if len(same) == 1:
                pairs = (pairs - ps) | same
    return pairs


def _match(sheets: list, groups: list, methods) -> list:
    ms, mg, out = set(), set(), []

    def take(si, gi, how):
        ms.add(si)
        mg.add(gi)
        out.append((si, gi, how))

    # pairs whose ranges share addresses (the same pairs as comparing every sheet with every group)
    n_sheets = len(sheets)
    both = _sharing([s["public"] if s["ranges"] else None for s in sheets] +
                    [g["public"] if g["ranges"] else None for g in groups])
    overlapping = {(i, j - n_sheets) for i, j in both if i < n_sheets <= j}

    def agree(si, gi):  # _ranges_agree
        return not sheets[si]["ranges"] or not groups[gi]["ranges"] or (si, gi) in overlapping

    for method in methods:
        free_s = [i for i in range(len(sheets)) if i not in ms]
        free_g = [i for i in range(len(groups)) if i not in mg]
        if method == "range":
            pairs = []
            for si, gi in overlapping:
                if si in ms or gi in mg:
                    continue
                s, g = sheets[si], groups[gi]
                ov = _size(s["public"] & g["public"])
                if ov:
                    pairs.append((-ov, s["exit"], g["ids"][0], si, gi))
            for *_, si, gi in sorted(pairs):
                if si not in ms and gi not in mg:
                    take(si, gi, "range")
            continue
        # candidates share a device name or a department key; the rules below decide as before
        by_key = defaultdict(list)
        for gi in free_g:
            g = groups[gi]
            keys = g["dev_keys"] if method == "device" else ({g["dept_key"]} if g["dept_key"] else set())
            for k in keys:
                by_key[k].append(gi)
        pairs = set()
        for si in free_s:
            s = sheets[si]
            keys = s["dev_keys"] if method == "device" else ({s["dept_key"]} if s["dept_key"] else set())
            for k in keys:
                for gi in by_key.get(k, ()):
                    g = groups[gi]
                    if not agree(si, gi):
                        continue
                    if method == "device":
                        ok = True
                    elif method == "department_carrier":
                        ok = bool(s.get("carrier")) and s.get("carrier") == g.get("carrier")
                    else:  # department
                        ok = not s.get("carrier") or not g.get("carrier") or s["carrier"] == g["carrier"]
                    if ok:
                        pairs.add((si, gi))
        if method == "device":
            pairs = _narrow_by_carrier(pairs, sheets, groups)
        if method == "department":
            n_s = defaultdict(int)
            n_g = defaultdict(int)
            for si in free_s:
                n_s[sheets[si]["dept_key"]] += 1
            for gi in free_g:
                n_g[groups[gi]["dept_key"]] += 1
            pairs = {(si, gi) for si, gi in pairs
                     if n_s[sheets[si]["dept_key"]] == 1 and n_g[groups[gi]["dept_key"]] == 1}
        for si, gi in _mutual(pairs):
            take(si, gi, method)
    return out


def _bw_differ(a, b, tol) -> bool:
    return abs(a - b) > tol * max(abs(a), abs(b))


def _fmt_value(field_, v) -> str:
    if _missing(v) or v == "":
        return ""
    if field_ == "bandwidth_mbps":
        return f"{float(v):g}"
    return str(v)


def _reconcile(inv, rules: ExitRules):
    """Reconciled exit dicts (with private keys: members, public IPSet) and disagreement rows."""
    recs = _records(inv["exits"])
    # the descriptions of the config exits' ports (the only ones _side looks up), read off the
    # columns instead of a dict per interface of the city
    wanted = {(r.get("device"), r.get("interface")) for r in recs if r.get("origin") == "config"}
    descriptions = {}
    itf = inv["interfaces"]
    for device, interface, description in zip(*(_plain_list(itf[c]) for c in ("device", "interface",
                                                                              "description"))):
        if description and (device, interface) in wanted:
            descriptions.setdefault((device, interface), description)
    sheets = _same_line_sheets(sorted((_side(r, "sheet") for r in recs if r.get("origin") == "sheet"),
                                      key=lambda s: s["exit"]))
    groups = _ha_groups(sorted((_side(r, "config", descriptions) for r in recs if r.get("origin") == "config"),
                               key=lambda g: g["exit"]))
    matches = _match(sheets, groups, rules.match_by)
    paired_s = {si: (gi, how) for si, gi, how in matches}
    paired_g = {gi for _, gi, _ in matches}
    devices = _records(inv["devices"], ("device", "department"))
    collected_depts = {_key(d.get("department")) for d in devices} - {""}
    collected_hosts = {_key(d.get("device")) for d in devices} - {""}

    exits, disagreements = [], []
    for si, s in enumerate(sheets):
        if si in paired_s:
            gi, how = paired_s[si]
            row, dis = _merge(s, groups[gi], how, rules)
            exits.append(row)
            disagreements.extend(dis)
        else:
            seen = s["dept_key"] in collected_depts or bool(s["dev_keys"] & collected_hosts)
            exits.append(_one_side(s, "declared_not_configured" if seen else "declared_not_collected"))
    for gi, g in enumerate(groups):
        if gi not in paired_g:
            exits.append(_one_side(g, "configured_not_declared"))
    _districts_from_manifest(exits, inv, rules)
    exits.sort(key=lambda e: (e["district"], e["department"], e["exit"]))
    disagreements.sort(key=lambda d: (d["district"], d["department"], d["exit"], d["field"]))
    return exits, disagreements


def _districts_from_manifest(exits: list, inv, rules: ExitRules) -> None:
    """The manifest's district for departments it knows (it is the stronger attribution, and a
    sheet's 市直 means the same as the manifest's city level ''); city-level words -> ''."""
    dept_district = {}
    for u in _records(inv["units"], ("level", "name", "district")):
        if u.get("level") == "department" and u.get("name"):
            dept_district.setdefault(_key(u["name"]), u.get("district") or "")
    for e in exits:
        k = _key(e["department"])
        if k in dept_district:
            e["district"] = dept_district[k]
        elif fold(e["district"]) in rules.city_level_words:
            e["district"] = ""


_SHEET_FIRST = ("access_type", "model", "fee_yuan_year", "contract_end", "mandated_by", "services", "peak_util")


def _base(ids, seen_in, flag, how) -> dict:
    return {"exit": _sid(ids), "seen_in": seen_in, "flag": flag, "match_by": how}


def _one_side(x: dict, flag: str) -> dict:
    sheet = x["origin"] == "sheet"
    row = _base(x["ids"], x["origin"], flag, "")
    row.update({k: x.get(k) for k in ("department", "district", "town", "access_type", "model", "carrier",
                                      "carrier_known", "bandwidth_mbps", "bandwidth_from", "fee_yuan_year",
                                      "contract_end",
                                      "mandated_by", "services", "peak_util", "evidence")})
    for k in ("department", "district", "town", "access_type", "model", "carrier", "bandwidth_from", "contract_end",
              "mandated_by", "services", "evidence"):
        row[k] = row.get(k) or ""
    row.update({
        "sheet_exit": " ".join(x["ids"]) if sheet else "", "config_exit": "" if sheet else " ".join(x["ids"]),
        "device": " ".join(d for d in x["devices"] if d), "interface": "" if sheet else " ".join(
            i for _, i in x["members"] if i),
        "public_range": " ".join(x["ranges"]), "public_ips": _size(x["public"]) or None,
        "sheet_source": x.get("source", "") if sheet else "", "sheet_location": x.get("location", "") if sheet else "",
        "config_source": "" if sheet else x.get("source", ""),
        "config_location": "" if sheet else x.get("location", ""),
        "members": [] if sheet else x["members"], "public": x["public"],
    })
    return row


def _merge(s: dict, g: dict, how: str, rules: ExitRules):
    prefer = rules.prefer
    row = _base([*s["ids"], *g["ids"]], "both", "", how)

    def pick(field_):
        first, second = (s, g) if prefer[field_] == "sheet" else (g, s)
        v = first.get(field_)
        if _missing(v) or v == "":
            return second.get(field_), second
        return v, first

    dept, dept_src = pick("department")
    other = g if dept_src is s else s
    row["department"] = dept or ""
    row["district"] = dept_src.get("district") or other.get("district") or ""
    row["town"] = dept_src.get("town") or other.get("town") or ""
    carrier, carrier_src = pick("carrier")
    row["carrier"] = carrier or ""
    row["carrier_known"] = carrier_src.get("carrier_known") if carrier else None
    row["bandwidth_mbps"], bw_src = pick("bandwidth_mbps")
    row["bandwidth_from"] = bw_src.get("bandwidth_from", "") if not _missing(row["bandwidth_mbps"]) else ""
    if prefer["public_range"] == "union":
        public = s["public"] | g["public"]
    else:
        chosen, other_ = (s, g) if prefer["public_range"] == "sheet" else (g, s)
        public = chosen["public"] if chosen["ranges"] else other_["public"]
    for k in _SHEET_FIRST:
        v = s.get(k)
        row[k] = g.get(k) if _missing(v) or v == "" else v
        if k not in ("fee_yuan_year", "peak_util") and row[k] is None:
            row[k] = ""
    row.update({
        "sheet_exit": " ".join(s["ids"]), "config_exit": " ".join(g["ids"]),
        "device": " ".join(d for d in g["devices"] if d) or s.get("device") or "",
        "interface": " ".join(i for _, i in g["members"] if i),
        "public_range": " ".join(_ranges_of(public)), "public_ips": _size(public) or None,
        "evidence": g.get("evidence") or "",
        "sheet_source": s.get("source", ""), "sheet_location": s.get("location", ""),
        "config_source": g.get("source", ""), "config_location": g.get("location", ""),
        "members": g["members"], "public": public,
    })
    dis = []

    def report(field_, sv, cv, kept, kept_from):
        dis.append({"exit": row["exit"], "field": field_, "sheet_value": _fmt_value(field_, sv),
                    "config_value": _fmt_value(field_, cv), "kept": _fmt_value(field_, kept), "kept_from": kept_from,
                    "department": row["department"], "district": row["district"], "sheet_exit": row["sheet_exit"],
                    "config_exit": row["config_exit"], "sheet_source": row["sheet_source"],
                    "sheet_location": row["sheet_location"], "config_source": row["config_source"],
                    "config_location": row["config_location"]})

    compare = rules.compare
    if "department" in compare and s["dept_key"] and g["dept_key"] and s["dept_key"] != g["dept_key"]:
        report("department", s["department"], g["department"], row["department"], prefer["department"])
    if "carrier" in compare and s.get("carrier") and g.get("carrier") and s["carrier"] != g["carrier"]:
        report("carrier", s["carrier"], g["carrier"], row["carrier"], prefer["carrier"])
    sb, gb = s.get("bandwidth_mbps"), g.get("bandwidth_mbps")
    if "bandwidth_mbps" in compare and not _missing(sb) and not _missing(gb) and \
            _bw_differ(sb, gb, rules.bandwidth_tolerance):
        report("bandwidth_mbps", sb, gb, row["bandwidth_mbps"], prefer["bandwidth_mbps"])
    if "public_range" in compare and s["ranges"] and g["ranges"] and s["public"] != g["public"]:
        report("public_range", " ".join(_ranges_of(s["public"])), " ".join(_ranges_of(g["public"])),
               row["public_range"], prefer["public_range"])
    return row, dis


def reconcile_exits(inv, rules: ExitRules | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(exits, disagreements): one row per real exit with a reconciled id ``E-…`` (a hash of the
    sheet/config exit ids it joins), how it was matched and where each side came from; one row
    per field on which the sheet and the config disagree (department, carrier, bandwidth_mbps,
    public_range), with both values, the value kept and both provenances."""
    rules = rules or load_exit_rules()
    exits, dis = _reconcile(inv, rules)
    return table(exits, RECONCILED_COLUMNS), table(dis, DISAGREEMENT_COLUMNS)


# ==============================================================================================
# services published through an exit
# ==============================================================================================
_HOSTNAME = re.compile(r"(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])", re.I)
# list separators of a services cell; \u3001 is the ideographic comma (、), a separator, not a word
_SERVICE_SPLIT = re.compile(r"[;,\n\u3001]+")


def _address(text: str) -> str:
    """An address or CIDR as written in a NAT statement ('203.0.113.20/32' -> '203.0.113.20'), else ''."""
    try:
        net = IPNetwork((text or "").strip())
    except (AddrFormatError, ValueError, TypeError):
        return ""
    return str(net.ip) if net.size == 1 else str(net.cidr)


def _nat_services(inv, exits: list[dict]) -> dict:
    """{exit id: [service rows]} from NAT server/static statements on the exits' devices."""
    by_member, by_device = {}, defaultdict(list)
    for e in exits:
        for dev, iface in e["members"]:
            by_member[(dev, iface)] = e
            if e not in by_device[dev]:
                by_device[dev].append(e)
    # per interface, the ip of its first address in (primary first, address) order
    best = {}
    ifaces = inv["interfaces"]
    for n, (dev, iface, ip, address, secondary) in enumerate(zip(*(_plain_list(ifaces[c]) for c in (
            "device", "interface", "ip", "address", "secondary")))):
        if ip and dev in by_device:   # only an exit device's interfaces are looked up below
            order = (bool(secondary), address or "", n)
            k = (dev, iface)
            if k not in best or order < best[k][0]:
                best[k] = (order, ip)
    iface_ip = {k: ip for k, (_, ip) in best.items()}
    out = defaultdict(list)
    for n in _records(inv["nat"]):
        if n.get("kind") not in ("server", "static"):
            continue
        dev = n.get("device") or ""
        if dev not in by_device or not _address(n.get("inside") or ""):
            continue  # NAT on a device with no exit, or a static rule on an ACL: nothing published
        outside = n.get("outside") or ""
        public = _address(outside) or iface_ip.get((dev, outside), "")
        e = by_member.get((dev, n.get("interface") or ""))
        if e is None and public:
            try:
                ip = IPNetwork(public)
                e = next((x for x in by_device[dev] if ip in x["public"]), None)
            except (AddrFormatError, ValueError):
                e = None
        if e is None:
            e = by_device[dev][0]
        if not public and outside in ("interface", "current-interface", "") and len(e["members"]) == 1:
            public = iface_ip.get(e["members"][0], "")
        out[e["exit"]].append({
            "kind": "nat_" + n["kind"], "service": "", "protocol": n.get("protocol") or "",
            "public_address": public or outside, "public_port": n.get("outside_port") or "",
            "inside_address": _address(n.get("inside") or ""), "inside_port": n.get("inside_port") or "",
            "dns_name": "", "source": n.get("source") or "", "location": n.get("location") or "",
        })
    return out


def _sheet_services(e: dict, rules: ExitRules) -> list[dict]:
    rows = []
    for item in _SERVICE_SPLIT.split(fold(e.get("services") or "")):
        item = item.strip()
        if not item or item.casefold() in rules.not_services:
            continue
        names = _HOSTNAME.findall(item)
        rows.append({"kind": "sheet", "service": item, "protocol": "", "public_address": "", "public_port": "",
                     "inside_address": "", "inside_port": "",
                     "dns_name": " ".join(dict.fromkeys(n.lower() for n in names)),
                     "source": e.get("sheet_source") or "", "location": e.get("sheet_location") or ""})
    return rows


# ==============================================================================================
# the plan
# ==============================================================================================
def _disposition(e: dict, services: list, rules: ExitRules):
    """(disposition, ministry, target_date, notes) of one exit; first rule that applies wins."""
    notes = []
    ministry = rules.ministry(e.get("mandated_by") or "")
    if ministry:
        return "keep_mandated", ministry, "", notes
    if e.get("mandated_by"):
        notes.append("mandate_not_recognized")
    end = e.get("contract_end") or ""
    if end and end > rules.plan_date:
        return "keep_until_contract_end", "", end, notes
    if services:
        return "migrate", "", rules.plan_date, notes
    return "decommission", "", rules.plan_date, notes


def _allocate(total: int, weights: dict) -> dict:
    """Whole yuan per key, proportional to *weights*, summing exactly to *total* (largest remainder)."""
    wsum = sum(weights.values())
    if wsum <= 0 or total <= 0:
        return {k: 0 for k in weights}
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: int(math.floor(v)) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:rest]:
        out[k] += 1
    return out


def _r(x, nd=2):
    return None if x is None else round(float(x), nd)


@dataclass
class ExitPlan:
    """The exit plan as data: its tables (name -> DataFrame), the facts its text quotes, the rules and
    carriers it used.  ``netconsol.render.exits_doc`` turns it into a document."""
    tables: dict
    facts: dict
    rules: "ExitRules"
    carriers: Carriers
    snapshot: str = ""


def exit_plan(inv, rules: ExitRules | None = None, snapshot: str = "") -> ExitPlan:
    """The exit consolidation plan: unified design, per-exit dispositions, before/after figures.

    Tables: summary, design (one row per site and carrier), pool (the sizing steps), exits (one
    row per reconciled exit), districts, carriers (mix before/after), services (to republish,
    each a DNS change), addresses (public blocks to return), disagreements.  Per-exit and
    per-district figures sum to the summary; see rules/exits.yaml for the policy.
    """
    rules = rules or load_exit_rules()
    carriers = rules.carriers or default_carriers()
    exits, disagreements = _reconcile(inv, rules)
    per_exit, services, addresses = _exit_rows(inv, exits, rules)
    design, pool = _design(per_exit, rules)
    depts = _departments(inv, per_exit)
    summary, facts = _summary(per_exit, design, pool, depts, services, addresses, disagreements, rules)
    isolation = admin_isolation(inv, per_exit)

    per_exit.sort(key=lambda x: (x["district"], x["department"], x["exit"]))
    services.sort(key=lambda s: (s["district"], s["department"], s["exit"], s["kind"], s["public_address"],
                                 s["public_port"], s["protocol"], s["service"], s["location"]))
    addresses.sort(key=lambda a: (a["district"], a["department"], a["exit"], a["prefix"]))
    tables = {
        "summary": table(summary, _SUMMARY_COLUMNS),
        "design": table(design, _DESIGN_COLUMNS),
        "pool": table(_pool_rows(pool, rules), [("step", "str"), ("value", "float"), ("unit", "str")]),
        "exits": table(per_exit, _EXIT_PLAN_COLUMNS),
        "districts": table(_district_rows(per_exit, design, pool, depts), _DISTRICT_COLUMNS),
        "carriers": table(_carrier_mix(per_exit, design, carriers), _CARRIER_COLUMNS),
        "services": table(services, _SERVICE_COLUMNS),
        "addresses": table(addresses, _ADDRESS_COLUMNS),
        "disagreements": table(disagreements, DISAGREEMENT_COLUMNS),
        "isolation": table(isolation, ISOLATION_COLUMNS),
        "candidates": table(candidate_rows(inv), CANDIDATE_COLUMNS),
    }
    facts.update(isolation_violations=len(isolation),
                 isolation_accepted=sum(1 for x in isolation if x["accepted_exception"]),
                 isolation_devices=" ".join(x["device"] for x in isolation))
    return ExitPlan(tables=tables, facts=facts, rules=rules, carriers=carriers, snapshot=snapshot)


def _exit_rows(inv, exits: list, rules: ExitRules):
    """Per exit: disposition, figures used (bandwidth, peak, cost), services and blocks that move."""
    nat = _nat_services(inv, exits)
    primary = rules.primary
    per_exit, services, addresses = [], [], []
    for e in exits:
        svc = nat.get(e["exit"], []) + _sheet_services(e, rules)
        disp, ministry, target_date, notes = _disposition(e, svc, rules)
        bw = e.get("bandwidth_mbps")
        if _missing(bw):
            committed = rules.assume_bandwidth_mbps or 0.0
            notes.append("bandwidth_assumed" if rules.assume_bandwidth_mbps is not None else "bandwidth_unknown")
        else:
            committed = float(bw)
            if e.get("bandwidth_from") == "description":
                notes.append("bandwidth_from_description")
        util = e.get("peak_util")
        peak = committed * float(util) if not _missing(util) else committed
        fee = e.get("fee_yuan_year")
        estimated = _missing(fee)
        if estimated:
            priced = rules.missing_fee == "estimate" and committed > 0
            cost_before = buy(rules.tiers_for(e["carrier"]), committed)[1] if priced else 0.0
            notes.append("fee_estimated")
        else:
            cost_before = float(fee)
        if not e["department"]:
            notes.append("no_department")
        if " " in (e.get("sheet_exit") or ""):
            notes.append("duplicate_sheet_rows")
        kept = disp in KEPT
        returned = [] if kept else _ranges_of(e["public"])
        republish = [] if disp == "keep_mandated" else svc
        for s in republish:
            services.append({"exit": e["exit"], "district": e["district"], "department": e["department"], **s,
                             "target_site": primary.id, "target_date": target_date})
        for p in returned:
            addresses.append({"exit": e["exit"], "district": e["district"], "department": e["department"],
                              "carrier": e["carrier"], "prefix": p, "addresses": IPNetwork(p).size,
                              "disposition": disp, "return_date": target_date})
        per_exit.append({
            "exit": e["exit"], "district": e["district"], "department": e["department"], "town": e["town"],
            "seen_in": e["seen_in"], "flag": e["flag"], "carrier": e["carrier"], "access_type": e["access_type"],
            "device": e["device"], "interface": e["interface"], "public_range": e["public_range"],
            "public_ips": e["public_ips"] or 0, "bandwidth_mbps": committed, "peak_util": util,
            "peak_mbps": _r(peak), "fee_yuan_year": fee, "cost_before_yuan": _r(cost_before),
            "fee_estimated": estimated, "contract_end": e["contract_end"], "mandated_by": e["mandated_by"],
            "ministry": ministry, "services_count": len(svc), "disposition": disp,
            "target_site": "" if disp == "keep_mandated" else primary.id, "target_date": target_date,
            "in_pool": disp in ("migrate", "decommission") or (
                disp == "keep_until_contract_end" and rules.pool_includes_contract_kept),
            "addresses_returned": sum(IPNetwork(p).size for p in returned),
            "services_to_republish": len(republish),
            "cost_after_yuan": _r(cost_before) if kept else 0.0,
            "saving_yuan": 0.0 if kept else _r(cost_before), "sheet_exit": e["sheet_exit"],
            "config_exit": e["config_exit"], "notes": " ".join(notes),
        })
    return per_exit, services, addresses


def _design(per_exit: list, rules: ExitRules):
    """The unified exit: one line per site and carrier, and the pool sizing terms."""
    pooled = [x for x in per_exit if x["in_pool"]]
    sum_peak = sum(x["peak_mbps"] for x in pooled)
    sum_commit = sum(x["bandwidth_mbps"] for x in pooled)
    concurrent = sum_peak * rules.concurrency
    floor = sum_commit * rules.oversubscription
    pool = {"sum_peak": sum_peak, "sum_commit": sum_commit, "concurrent": concurrent, "floor": floor,
            "pool": max(concurrent, floor) * rules.headroom}
    by_carrier = defaultdict(float)
    for x in pooled:
        by_carrier[x["carrier"]] += x["bandwidth_mbps"]
    design = []
    for site in rules.sites:
        chosen = list(site.carriers)
        for opt in site.optional_carriers:
            if sum_commit > 0 and by_carrier.get(opt, 0.0) / sum_commit >= rules.optional_carrier_min_share:
                chosen.append(opt)
        demand = pool["pool"] * site.capacity_share
        n = len(chosen)
        per_line = demand / (n - 1) if site.carrier_split == "survive_one_loss" else demand / n
        for carr in chosen:
            mbps, yuan, lines = buy(rules.tiers_for(carr), per_line)
            design.append({"site": site.id, "role": site.role, "site_district": site.district,
                           "capacity_share": site.capacity_share, "carrier_split": site.carrier_split,
                           "carrier": carr, "optional": carr not in site.carriers, "site_demand_mbps": _r(demand),
                           "need_mbps": _r(per_line), "bought_mbps": mbps, "lines": lines, "yuan_per_year": yuan})
    return design, pool


def _pool_rows(pool: dict, rules: ExitRules) -> list:
    return [
        {"step": "sum_peak_mbps", "value": _r(pool["sum_peak"]), "unit": "mbps"},
        {"step": "concurrency", "value": rules.concurrency, "unit": "factor"},
        {"step": "concurrent_peak_mbps", "value": _r(pool["concurrent"]), "unit": "mbps"},
        {"step": "sum_committed_mbps", "value": _r(pool["sum_commit"]), "unit": "mbps"},
        {"step": "oversubscription", "value": rules.oversubscription, "unit": "factor"},
        {"step": "committed_floor_mbps", "value": _r(pool["floor"]), "unit": "mbps"},
        {"step": "headroom", "value": rules.headroom, "unit": "factor"},
        {"step": "pool_mbps", "value": _r(pool["pool"]), "unit": "mbps"},
    ]


def _departments(inv, per_exit: list) -> dict:
    """Departments known (manifest units, then exits) -> district, and who has an own exit before/after."""
    district = {}
    for u in _records(inv["units"], ("level", "name", "district")):
        if u.get("level") == "department" and u.get("name"):
            district.setdefault(_key(u["name"]), u.get("district") or "")
    before, after = set(), set()
    for x in per_exit:
        k = _key(x["department"])
        if k:
            district.setdefault(k, x["district"])
            before.add(k)
            if x["disposition"] in KEPT:
                after.add(k)
    return {"district": district, "before": before, "after": after}


def _district_rows(per_exit: list, design: list, pool: dict, depts: dict) -> list:
    """One row per district ('' = city level) plus one for the unified exit's own lines.

    The unified cost is also shown shared out over the districts by their pooled peak (whole
    yuan, largest remainder): an indicative charge-back that sums to the unified cost."""
    unified_cost = sum(d["yuan_per_year"] for d in design)
    districts = sorted({x["district"] for x in per_exit} | set(depts["district"].values()))
    exits_of, members_of = defaultdict(list), defaultdict(list)  # per district, in their own order
    for x in per_exit:
        exits_of[x["district"]].append(x)
    for k, dd in depts["district"].items():
        members_of[dd].append(k)
    share = _allocate(int(round(unified_cost)), {
        d: sum(x["peak_mbps"] for x in exits_of.get(d, ()) if x["in_pool"]) for d in districts})
    rows = []
    for d in districts:
        xs = exits_of.get(d, [])
        members = members_of.get(d, [])
        kept = [x for x in xs if x["disposition"] in KEPT]
        rows.append({
            "district": d, "departments": len(members),
            "departments_behind_before": sum(1 for k in members if k not in depts["before"]),
            "departments_behind_after": sum(1 for k in members if k not in depts["after"]),
            "exits_before": len(xs), "exits_after": len(kept),
            **{disp: sum(1 for x in xs if x["disposition"] == disp) for disp in DISPOSITIONS},
            "bandwidth_before_mbps": _r(sum(x["bandwidth_mbps"] for x in xs)),
            "peak_mbps": _r(sum(x["peak_mbps"] for x in xs)),
            "bandwidth_after_mbps": _r(sum(x["bandwidth_mbps"] for x in kept)),
            "cost_before_yuan": _r(sum(x["cost_before_yuan"] for x in xs)),
            "cost_estimated_yuan": _r(sum(x["cost_before_yuan"] for x in xs if x["fee_estimated"])),
            "cost_after_yuan": _r(sum(x["cost_after_yuan"] for x in xs)),
            "saving_yuan": _r(sum(x["saving_yuan"] for x in xs)),
            "unified_cost_share_yuan": share.get(d, 0),
            # what the district saves once it pays its share of the unified exit: these add up to
            # the city's saving (saving_yuan alone is gross, before the unified exit's cost)
            "net_saving_yuan": _r(sum(x["saving_yuan"] for x in xs) - share.get(d, 0)),
            "addresses_returned": sum(x["addresses_returned"] for x in xs),
            "services_to_republish": sum(x["services_to_republish"] for x in xs),
        })
    rows.append({
        "district": UNIFIED, "departments": 0, "departments_behind_before": 0, "departments_behind_after": 0,
        "exits_before": 0, "exits_after": len(design), **{disp: 0 for disp in DISPOSITIONS},
        "bandwidth_before_mbps": 0.0, "peak_mbps": 0.0,
        "bandwidth_after_mbps": sum(d["bought_mbps"] for d in design),
        "cost_before_yuan": 0.0, "cost_estimated_yuan": 0.0, "cost_after_yuan": float(unified_cost),
        "saving_yuan": -float(unified_cost),
        "unified_cost_share_yuan": int(round(unified_cost)) - sum(share.values()),   # nothing pooled: all here
        "net_saving_yuan": -float(int(round(unified_cost)) - sum(share.values())),   # the cost no district shares
        "addresses_returned": 0, "services_to_republish": 0,
    })
    return rows


def _carrier_mix(per_exit: list, design: list, carriers: Carriers) -> list:
    """Per carrier: exits, bandwidth and cost before, and after (kept exits + unified lines)."""
    order = {c: i for i, c in enumerate(carriers.names)}
    keys = sorted({x["carrier"] for x in per_exit} | {d["carrier"] for d in design},
                  key=lambda c: (c == "", order.get(c, len(order)), c))
    kept = [x for x in per_exit if x["disposition"] in KEPT]
    bw_before = sum(x["bandwidth_mbps"] for x in per_exit)
    bw_after = sum(x["bandwidth_mbps"] for x in kept) + sum(d["bought_mbps"] for d in design)
    rows = []
    for c in keys:
        xs = [x for x in per_exit if x["carrier"] == c]
        ks = [x for x in kept if x["carrier"] == c]
        ds = [d for d in design if d["carrier"] == c]
        bb = sum(x["bandwidth_mbps"] for x in xs)
        ba = sum(x["bandwidth_mbps"] for x in ks) + sum(d["bought_mbps"] for d in ds)
        rows.append({
            "carrier": c, "exits_before": len(xs), "bandwidth_before_mbps": _r(bb),
            "bandwidth_share_before": _r(bb / bw_before, 4) if bw_before else None,
            "cost_before_yuan": _r(sum(x["cost_before_yuan"] for x in xs)),
            "exits_after": len(ks) + len(ds), "bandwidth_after_mbps": _r(ba),
            "bandwidth_share_after": _r(ba / bw_after, 4) if bw_after else None,
            "cost_after_yuan": _r(sum(x["cost_after_yuan"] for x in ks) + sum(d["yuan_per_year"] for d in ds)),
        })
    return rows


def _summary(per_exit, design, pool, depts, services, addresses, disagreements, rules):
    """City totals (metric, before, after, change, unit) and the facts the report's text quotes."""
    kept = [x for x in per_exit if x["disposition"] in KEPT]
    unified_cost = sum(d["yuan_per_year"] for d in design)
    n_before, n_after = len(per_exit), len(kept) + len(design)
    cost_before = sum(x["cost_before_yuan"] for x in per_exit)
    cost_after = sum(x["cost_after_yuan"] for x in per_exit) + unified_cost
    n_depts = len(depts["district"])
    behind_before, behind_after = n_depts - len(depts["before"]), n_depts - len(depts["after"])

    def count(key, value):
        return sum(1 for x in per_exit if x[key] == value)

    def m(metric, before, after, unit):
        change = None if before is None or after is None else _r(after - before)
        return {"metric": metric, "before": _r(before), "after": _r(after), "change": change, "unit": unit}

    def pct(a, b):
        return 100 * a / b if b else None

    summary = [
        m("exits", n_before, n_after, "count"),
        m("exit_reduction_pct", None, pct(n_before - n_after, n_before), "percent"),
        *(m(f"exits_{d}", count("disposition", d), count("disposition", d) if d in KEPT else 0, "count")
          for d in DISPOSITIONS),
        m("unified_sites", 0, len(rules.sites), "count"),
        m("unified_lines", 0, len(design), "count"),
        m("bandwidth_bought_mbps", sum(x["bandwidth_mbps"] for x in per_exit),
          sum(x["bandwidth_mbps"] for x in kept) + sum(d["bought_mbps"] for d in design), "mbps"),
        m("bandwidth_peak_sum_mbps", sum(x["peak_mbps"] for x in per_exit), None, "mbps"),
        m("bandwidth_needed_mbps", None, pool["pool"], "mbps"),
        m("cost_yuan", cost_before, cost_after, "yuan_per_year"),
        m("cost_estimated_yuan", sum(x["cost_before_yuan"] for x in per_exit if x["fee_estimated"]),
          sum(x["cost_after_yuan"] for x in kept if x["fee_estimated"]), "yuan_per_year"),
        m("saving_yuan", None, cost_before - cost_after, "yuan_per_year"),
        m("saving_pct", None, pct(cost_before - cost_after, cost_before), "percent"),
        m("departments", n_depts, n_depts, "count"),
        m("departments_behind_unified", behind_before, behind_after, "count"),
        m("departments_behind_unified_pct", pct(behind_before, n_depts), pct(behind_after, n_depts), "percent"),
        m("public_addresses", sum(x["public_ips"] for x in per_exit), sum(x["public_ips"] for x in kept),
          "addresses"),
        m("public_addresses_returned", None, sum(a["addresses"] for a in addresses), "addresses"),
        m("services_to_republish", None, len(services), "count"),
        m("dns_names_known", None, sum(1 for s in services if s["dns_name"]), "count"),
        m("exits_seen_in_both", count("seen_in", "both"), None, "count"),
        *(m(f, count("flag", f), None, "count") for f in FLAGS),
        m("disagreements", len(disagreements), None, "count"),
    ]
    facts = {"n_before": n_before, "n_after": n_after, "kept": len(kept), "lines": len(design),
             "cost_before": cost_before, "cost_after": cost_after, "saving": cost_before - cost_after,
             "pool": pool["pool"], "sum_peak": pool["sum_peak"], "sum_commit": pool["sum_commit"],
             "unified_cost": unified_cost, "behind_before": behind_before, "behind_after": behind_after,
             "n_depts": n_depts}
    return summary, facts


_SUMMARY_COLUMNS = [("metric", "str"), ("before", "float"), ("after", "float"), ("change", "float"), ("unit", "str")]
_DESIGN_COLUMNS = [
    ("site", "str"), ("role", "str"), ("site_district", "str"), ("capacity_share", "float"),
    ("carrier_split", "str"), ("carrier", "str"), ("optional", "bool"), ("site_demand_mbps", "float"),
    ("need_mbps", "float"), ("bought_mbps", "float"), ("lines", "str"), ("yuan_per_year", "int"),
]
_CARRIER_COLUMNS = [
    ("carrier", "str"), ("exits_before", "int"), ("bandwidth_before_mbps", "float"),
    ("bandwidth_share_before", "float"), ("cost_before_yuan", "float"), ("exits_after", "int"),
    ("bandwidth_after_mbps", "float"), ("bandwidth_share_after", "float"), ("cost_after_yuan", "float"),
]
_SERVICE_COLUMNS = [
    ("exit", "str"), ("district", "str"), ("department", "str"), ("kind", "str"), ("service", "str"),
    ("protocol", "str"), ("public_address", "str"), ("public_port", "str"), ("inside_address", "str"),
    ("inside_port", "str"), ("dns_name", "str"), ("target_site", "str"), ("target_date", "str"),
    ("source", "str"), ("location", "str"),
]
_ADDRESS_COLUMNS = [
    ("exit", "str"), ("district", "str"), ("department", "str"), ("carrier", "str"), ("prefix", "str"),
    ("addresses", "count"), ("disposition", "str"), ("return_date", "str"),
]
_EXIT_PLAN_COLUMNS = [
    ("exit", "str"), ("district", "str"), ("department", "str"), ("town", "str"), ("seen_in", "str"), ("flag", "str"),
    ("carrier", "str"), ("access_type", "str"), ("device", "str"), ("interface", "str"), ("public_range", "str"),
    ("public_ips", "count"), ("bandwidth_mbps", "float"), ("peak_util", "float"), ("peak_mbps", "float"),
    ("fee_yuan_year", "float"), ("cost_before_yuan", "float"), ("fee_estimated", "bool"), ("contract_end", "str"),
    ("mandated_by", "str"), ("ministry", "str"), ("services_count", "int"), ("disposition", "str"),
    ("target_site", "str"), ("target_date", "str"), ("in_pool", "bool"), ("addresses_returned", "count"),
    ("services_to_republish", "int"), ("cost_after_yuan", "float"), ("saving_yuan", "float"),
    ("sheet_exit", "str"), ("config_exit", "str"), ("notes", "str"),
]
_DISTRICT_COLUMNS = [
    ("district", "str"), ("departments", "int"), ("departments_behind_before", "int"),
    ("departments_behind_after", "int"), ("exits_before", "int"), ("exits_after", "int"),
    *((d, "int") for d in DISPOSITIONS),
    ("bandwidth_before_mbps", "float"), ("peak_mbps", "float"), ("bandwidth_after_mbps", "float"),
    ("cost_before_yuan", "float"), ("cost_estimated_yuan", "float"), ("cost_after_yuan", "float"),
    ("saving_yuan", "float"), ("unified_cost_share_yuan", "int"), ("net_saving_yuan", "float"),
    ("addresses_returned", "count"), ("services_to_republish", "int"),
]

ISOLATION_COLUMNS = [
    ("device", "str"), ("district", "str"), ("department", "str"), ("admin_evidence", "str"), ("exits", "str"),
    ("interfaces", "str"), ("dispositions", "str"), ("violation", "bool"), ("accepted_exception", "bool"),
    ("ministry", "str"), ("rule", "str"),
]
CANDIDATE_COLUMNS = [
    ("device", "str"), ("interface", "str"), ("vrf", "str"), ("district", "str"), ("department", "str"),
    ("address", "str"), ("next_hops", "str"), ("carrier", "str"), ("evidence", "str"), ("verdict", "str"),
    ("reason", "str"), ("exit", "str"),
]


def candidate_rows(inv) -> list[dict]:
    """Every config exit candidate with its evidence and verdict (the plan's appendix)."""
    try:
        df = inv["exit_candidates"]
    except KeyError:
        return []
    rows = _records(df, [c for c, _ in CANDIDATE_COLUMNS])
    rows.sort(key=lambda r: (r["verdict"] != "exit", r["verdict"], r["device"], r["interface"]))
    return rows


def _columns(df: pd.DataFrame, columns) -> list[list]:
    """The *columns* of *df* as lists of the values iterating them gives (a missing text NaN, not
    None as in :func:`_plain_list`), a string column converted at once instead of cell by cell."""
    return [df[c].to_numpy(dtype=object).tolist() if isinstance(df[c].dtype, pd.StringDtype) else list(df[c])
            for c in columns]


def admin_devices(inv) -> dict:
    """Devices carrying the administrative service domain -> what shows it: an interface address in an
    extranet_admin network (the manifest's prefixes or its VPN instances, as attributed) or a route to
    a next hop in its space."""
    kinds = {n: k for n, k in zip(inv["networks"]["network"], inv["networks"]["kind"])}
    admin_nets = {n for n, k in kinds.items() if k == "extranet_admin"}
    found: dict = {}
    p = inv["prefixes"]
    space = IPSet()
    for prefix, network, origin, device, interface in zip(*_columns(p, ("prefix", "network", "origin", "device",
                                                                        "interface"))):
        if network not in admin_nets:
            continue
        if origin == "manifest":   # load_manifest refused any prefix that is not a CIDR
            space.add(IPNetwork(prefix))
        elif origin == "interface" and device:
            found.setdefault(device, []).append(f"{interface} {prefix}")
    if space.size:
        r = inv["routes"]
        inside = span_within(space)
        for device, vrf, nh in zip(*_columns(r, ("device", "vrf", "next_hop"))):
            # a next hop the parser could not read as an address (a name, an interface) is no evidence
            if nh and device not in found and (valid_ipv4(nh) or valid_ipv6(nh)) and \
                    inside((a := IPAddress(nh)).version, int(a), int(a)):
                found.setdefault(device, []).append(f"route via {nh}" + (f" (VRF {vrf})" if vrf else ""))
    return found


def admin_isolation(inv, per_exit: list) -> list[dict]:
    """Isolation check (行政服务域不得直连互联网): every device carrying the administrative domain that
    also has an exit is a violation row, whatever the plan decides for that exit; an exit kept by a
    ministry's mandate is listed as an accepted exception with the ministry and the rule."""
    admin = admin_devices(inv)
    by_device = defaultdict(list)
    for x in per_exit:
        if x["device"] in admin:
            by_device[x["device"]].append(x)
    out = []
    for d in sorted(by_device):
        xs = by_device[d]
        mandated = [x for x in xs if x["disposition"] == "keep_mandated"]
        accepted = bool(mandated) and len(mandated) == len(xs)
        out.append({
            "device": d, "district": xs[0]["district"], "department": xs[0]["department"],
            "admin_evidence": "; ".join(admin[d]), "exits": " ".join(x["exit"] for x in xs),
            "interfaces": " ".join(x["interface"] for x in xs if x["interface"]),
            "dispositions": " ".join(x["disposition"] for x in xs), "violation": True,
            "accepted_exception": accepted,
            "ministry": " ".join(sorted({x["ministry"] for x in mandated if x["ministry"]})),
            "rule": "keep_mandated (rules/exits.yaml mandated_ministries)" if accepted else "",
        })
    return out


def with_rules(rules: ExitRules, **changes) -> ExitRules:
    """A what-if variant of *rules* (``with_rules(r, concurrency=0.5)``)."""
    return replace(rules, **changes)
