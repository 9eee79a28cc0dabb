"""Load and check rules/*.yaml. Errors name the file, the key and the bad value.

Rules are policy, kept as YAML shipped inside the package (``netconsol/rules/``, read
with importlib.resources, so a wheel install has them); an inventory directory may carry its own ``rules/`` folder whose
files replace the defaults one file at a time.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from . import safeyaml

from .errors import RulesError

__all__ = ["DEFAULT_RULES_DIR", "rules_path", "load_yaml", "ColumnRules", "load_columns", "fold_header",
           "LISTS_SHEET", "ROOM_FIELDS", "RoomRules", "load_room_rules"]

# the shipped defaults: package data (netconsol/rules/*.yaml), read where the package is installed
DEFAULT_RULES_DIR = Path(str(resources.files("netconsol").joinpath("rules")))


def rules_path(name: str, rules_dir=None, inventory_dir=None) -> Path:
    """The file to use for rules *name* (e.g. 'columns.yaml'): an explicit
    rules dir, else the inventory's own rules/, else the shipped defaults."""
    for d in (rules_dir, Path(inventory_dir) / "rules" if inventory_dir else None, DEFAULT_RULES_DIR):
        if d is not None and (Path(d) / name).is_file():
            return Path(d) / name
    raise RulesError(f"rules file {name!r} not found (looked in {rules_dir or '-'}, "
                     f"{inventory_dir and Path(inventory_dir) / 'rules' or '-'}, {DEFAULT_RULES_DIR})")


# libyaml's loader is ~10x faster on a province-sized manifest; same safe semantics
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _json_fast_path(text: str):
    """JSON is YAML: a file whose body (after '#' comment lines) is a JSON object loads with the
    json module, ~70x faster than a YAML parser (a province's manifest is megabytes)."""
    body = text
    while body.startswith("#"):
        nl = body.find("\n")
        body = "" if nl < 0 else body[nl + 1:]
    if not body.lstrip().startswith("{"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None  # YAML flow mapping, not JSON: the YAML parser decides


def load_yaml(path) -> dict:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        if len(text) > safeyaml.MAX_BYTES:
            raise safeyaml.YamlLimitError(f"{len(text):,} characters, more than {safeyaml.MAX_BYTES:,}")
        data = _json_fast_path(text)
        if data is None:
            data = safeyaml.load(text)  # alias and size limits (a YAML bomb is refused, not expanded)
    except OSError as e:
        raise RulesError(f"{path}: cannot read ({e.strerror})") from None
    except safeyaml.YamlLimitError as e:
        raise RulesError(f"{path}: refused: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise RulesError(f"{path}{where}: not valid YAML ({safeyaml.short(e)})") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top, got {type(data).__name__}")
    return data


_HEADER_DROP = re.compile(r"[\s()\[\]{}*:：（）【】\"'“”]+")


def fold_header(text) -> str:
    """Header text folded for matching: NFKC, lower case, no spaces/brackets/marks."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).lower()
    return _HEADER_DROP.sub("", s)


def _field_of(cache: dict, aliases: dict, header) -> str:
    """The field of a header cell by its folded text (:func:`_longest_alias`); every header-search
    cell of every sheet asks, and the same texts recur sheet after sheet: *cache* keeps each
    answer by the cell's text."""
    key = str(header)
    hit = cache.get(key)
    if hit is None:
        h = fold_header(header)
        reach = cache.get(None)      # the aliases' reach, once per cache (keys are text, never None)
        if reach is None:
            reach = cache[None] = _alias_reach(aliases)
        hit = cache[key] = _longest_alias(aliases, h, reach) if h else ""
    return hit


def _alias_reach(aliases: dict) -> tuple[int, frozenset]:
    """(the longest alias's length, the first two characters of every alias of two or more): a
    header cell whose first two characters start no alias starts none (most cells the header
    search reads are data: addresses, names), and no prefix longer than the longest alias is one."""
    return max(map(len, aliases), default=0), frozenset(a[:2] for a in aliases if len(a) >= 2)


def _longest_alias(aliases: dict, h: str, reach: tuple | None = None) -> str:
    """The field of *h* itself if it is an alias, else of the longest alias (two characters or
    more) that *h* starts with; '' when none.  Every header-search cell of every sheet asks: the
    prefixes of *h* are looked up, longest first (none longer than the longest alias; none at all
    when no alias starts with *h*'s first two characters: *reach*, from :func:`_alias_reach`),
    instead of trying every alias."""
    f = aliases.get(h)
    if f:
        return f
    longest, starts = reach if reach is not None else _alias_reach(aliases)
    if h[:2] not in starts:
        return ""
    for k in range(min(len(h) - 1, longest), 1, -1):
        f = aliases.get(h[:k])
        if f:
            return f
    return ""


FIELDS = ("seq", "district", "town", "department", "network_name", "network_kind", "access_type", "device",
          "model", "ip_range", "carrier", "bandwidth", "purpose", "fee", "contract_end", "mandated_by",
          "classified", "public_facing", "services", "peak_util", "remark", "build")


@dataclass
class ColumnRules:
    path: Path
    aliases: dict = field(default_factory=dict)      # folded alias -> field
    header_search_rows: int = 20
    min_header_matches: int = 3
    fill_down: tuple = ()
    required: tuple = ()
    exit_sheet_words: tuple = ()
    model_vendor_words: tuple = ()                   # left out when models are compared (reconcile)
    device_sheet_words: tuple = ()                   # a 设备 sheet: declared devices (collectors/declared.py)
    _cache: dict = field(default_factory=dict, repr=False)

    def field_for(self, header) -> str:
        """Field a header maps to, '' when none: exact alias, else the longest alias the header starts with."""
        return _field_of(self._cache, self.aliases, header)


def load_columns(path=None) -> ColumnRules:
    path = Path(path) if path else DEFAULT_RULES_DIR / "columns.yaml"
    data = load_yaml(path)
    known = {"fields", "header_search_rows", "min_header_matches", "fill_down", "required", "exit_sheet_words",
             "model_vendor_words", "device_sheet_words",
             "rooms"}  # rooms: read by collectors/rooms.py
    for key in data:
        if key not in known:
            raise RulesError(f"{path}: unknown key {key!r}; known: {', '.join(sorted(known))}")
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise RulesError(f"{path}: key 'fields' must map field names to lists of header aliases")
    aliases = {}
    for name, values in fields.items():
        if name not in FIELDS:
            raise RulesError(f"{path}: fields.{name}: unknown field {name!r}; known: {', '.join(FIELDS)}")
        if not isinstance(values, list) or not values:
            raise RulesError(f"{path}: fields.{name}: expected a list of header aliases, got {values!r}")
        for v in values:
            a = fold_header(v)
            if not a:
                raise RulesError(f"{path}: fields.{name}: empty alias {v!r}")
            if a in aliases and aliases[a] != name:
                raise RulesError(f"{path}: fields.{name}: alias {v!r} already belongs to field {aliases[a]!r}")
            aliases[a] = name

    def names(key):
        v = data.get(key, [])
        if not isinstance(v, list) or any(x not in FIELDS for x in v):
            raise RulesError(f"{path}: {key}: expected a list of field names from {FIELDS}, got {v!r}")
        return tuple(v)

    def positive(key, default):
        v = data.get(key, default)
        if not isinstance(v, int) or v < 1:
            raise RulesError(f"{path}: {key}: expected a positive integer, got {v!r}")
        return v

    words = data.get("exit_sheet_words", [])
    if not isinstance(words, list):
        raise RulesError(f"{path}: exit_sheet_words: expected a list of words, got {words!r}")
    vendor_words = data.get("model_vendor_words", [])
    if not isinstance(vendor_words, list):
        raise RulesError(f"{path}: model_vendor_words: expected a list of words, got {vendor_words!r}")
    device_words = data.get("device_sheet_words", [])
    if not isinstance(device_words, list) or not all(str(w).strip() for w in device_words):
        raise RulesError(f"{path}: device_sheet_words: expected a list of sheet names, got {device_words!r}")
    return ColumnRules(path=path, aliases=aliases, header_search_rows=positive("header_search_rows", 20),
                       min_header_matches=positive("min_header_matches", 3), fill_down=names("fill_down"),
                       required=names("required"), exit_sheet_words=tuple(str(w).lower() for w in words),
                       model_vendor_words=tuple(str(w) for w in vendor_words),
                       device_sheet_words=tuple(str(w).strip().lower() for w in device_words))



# --- the rooms (机房) section of columns.yaml: read by the rooms collector and the template writer
# the hidden sheet of drop-down values in the workbook `netconsol template` writes: values for the
# form's lists, not rows of data, so the sheet collector skips it (read_rooms returns True)
LISTS_SHEET = "netconsol-lists"

ROOM_FIELDS = ("seq", "district", "department", "location", "network_kinds", "bandwidth", "server_model", "servers",
               "storage_model", "storage_tb", "cloud", "remark")


@dataclass
class RoomRules:
    path: Path
    sheet_words: tuple = ()
    required: tuple = ()
    fill_down: tuple = ()
    migrate: frozenset = frozenset()
    keep: frozenset = frozenset()
    headers: dict = field(default_factory=dict)    # field -> aliases as written (first: the template's)
    aliases: dict = field(default_factory=dict)    # folded alias -> field
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def field_for(self, header) -> str:
        """Field a header maps to, '' when none: exact alias, else the longest alias the header starts with."""
        return _field_of(self._cache, self.aliases, header)


@lru_cache(maxsize=8)
def load_room_rules(path=None) -> RoomRules:
    """The ``rooms`` section of a columns.yaml (the shipped one when *path* has none)."""
    path = Path(path) if path else DEFAULT_RULES_DIR / "columns.yaml"
    data = load_yaml(path).get("rooms")
    if data is None and path != DEFAULT_RULES_DIR / "columns.yaml":
        return load_room_rules(None)
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise RulesError(f"{path}: rooms: expected a mapping with 'fields' (room field -> header aliases)")
    aliases, headers = {}, {}
    for name, values in data["fields"].items():
        if name not in ROOM_FIELDS:
            raise RulesError(f"{path}: rooms.fields.{name}: unknown field {name!r}; known: {', '.join(ROOM_FIELDS)}")
        if not isinstance(values, list) or not values:
            raise RulesError(f"{path}: rooms.fields.{name}: expected a list of header aliases, got {values!r}")
        headers[name] = tuple(str(v) for v in values)
        for v in values:
            a = fold_header(v)
            if a in aliases and aliases[a] != name:
                raise RulesError(f"{path}: rooms.fields.{name}: alias {v!r} already belongs to {aliases[a]!r}")
            aliases[a] = name

    def words(key):
        v = data.get(key, [])
        if not isinstance(v, list):
            raise RulesError(f"{path}: rooms.{key}: expected a list, got {v!r}")
        return tuple(str(x) for x in v)

    for key in ("required", "fill_down"):
        bad = [f for f in words(key) if f not in ROOM_FIELDS]
        if bad:
            raise RulesError(f"{path}: rooms.{key}: unknown fields {bad!r}; known: {', '.join(ROOM_FIELDS)}")
    return RoomRules(path=path, sheet_words=tuple(w.lower() for w in words("sheet_words")),
                     required=words("required"), fill_down=words("fill_down"),
                     migrate=frozenset(_word(w) for w in words("cloud_migrate")),
                     keep=frozenset(_word(w) for w in words("cloud_keep")), headers=headers, aliases=aliases)


def _word(s) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)).lower())
