"""Carrier (运营商) names -> one canonical name, from rules/carriers.yaml.

Sheets spell a carrier dozens of ways (``枣庄电信``, ``中国电信枣庄分公司``, ``ＣＴＣＣ``, ``网通``);
configs name it in interface descriptions (``To_ChinaNet_100M``, ``uplink-CMCC-GE0/0/1``) and by
the AS of an eBGP peer.  :class:`Carriers` answers all three from the one rules file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from netconsol import safeyaml
from netconsol.errors import RulesError
from netconsol.rules import DEFAULT_RULES_DIR
from netconsol.normalize.text import fold, is_blank

__all__ = ["Carriers", "default_carriers", "DEFAULT_CARRIERS_PATH"]

DEFAULT_CARRIERS_PATH = DEFAULT_RULES_DIR / "carriers.yaml"

_CARRIER_KEYS = {"name", "name_zh", "aliases", "historical", "asns"}
_LIST_KEYS = ("strip_prefixes", "strip_places", "strip_suffixes", "strip_words",
              "text_exclude", "text_false_friends")
_TOP_KEYS = {"carriers", *_LIST_KEYS}

_IGNORED = re.compile(r"[\s\-_.,·'\"]+")
_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD_SEP = r"[\s\-_.]*"
_ASCII_WORDS = re.compile(r"[\s\-_.]+")


def _key(text: str) -> str:
    """The comparison form: folded, case-folded, separators removed."""
    return _IGNORED.sub("", fold(text).casefold())


class Carriers:
    """The carriers of rules/carriers.yaml with their aliases, historical names and ASNs."""

    def __init__(self, data: dict, source: str = "<carriers>"):
        self.source = source
        self._names: list[str] = []
        self._zh: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self._by_asn: dict[int, str] = {}
        self._cache: dict[str, tuple[str, bool]] = {}
        _validate(data, source)
        for c in data["carriers"]:
            name = c["name"]
            self._names.append(name)
            self._zh[name] = c["name_zh"]
            for field in ("name", "name_zh", "aliases", "historical"):
                values = c.get(field) or []
                for j, alias in enumerate([values] if isinstance(values, str) else values):
                    key = _key(alias)
                    other = self._by_key.get(key)
                    if other is not None and other != name:
                        where = f"carriers[{len(self._names) - 1}].{field}[{j}]"
                        raise RulesError(f"{source}: {where}: {alias!r} already names {other!r}")
                    self._by_key[key] = name
            for j, asn in enumerate(c.get("asns") or []):
                if asn in self._by_asn and self._by_asn[asn] != name:
                    raise RulesError(f"{source}: carriers[{len(self._names) - 1}].asns[{j}]: "
                                     f"{asn} already belongs to {self._by_asn[asn]!r}")
                self._by_asn[asn] = name
        self._prefixes = sorted((_key(p) for p in data.get("strip_prefixes") or []), key=len,
                                reverse=True)
        self._suffixes = sorted((_key(s) for s in data.get("strip_suffixes") or []), key=len,
                                reverse=True)
        places = sorted((_key(p) for p in data.get("strip_places") or []), key=len, reverse=True)
        self._places = (re.compile("(?:" + "|".join(map(re.escape, places)) + ")(?:省|市|区|县)?")
                        if places else None)
        words = [re.escape(fold(w).casefold()) for w in data.get("strip_words") or []]
        self._words = (re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])")
                       if words else None)
        self._text_re, self._false_friends, self._text_pre = self._text_pattern(data)

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None) -> "Carriers":
        """Read and check a carriers YAML (default: the repository's rules/carriers.yaml)."""
        path = Path(path) if path is not None else DEFAULT_CARRIERS_PATH
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise RulesError(f"{path}: cannot read carriers rules: {e.strerror or e}") from None
        try:
            data = safeyaml.load(text)  # alias and size limits
        except safeyaml.YamlLimitError as e:
            raise RulesError(f"{path}: refused: {e}") from None
        except yaml.YAMLError as e:
            raise RulesError(f"{path}: not valid YAML: {safeyaml.short(e)}") from None
        return cls(data, str(path))

    # -- questions -------------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Canonical names in file order."""
        return list(self._names)

    def canonical(self, name) -> tuple[str, bool]:
        """``(canonical English name, True)`` for a known carrier, else ``(name as written, False)``.

        Matching ignores case, width and separators and trims decorations (rules file:
        ``strip_prefixes``, ``strip_places``, ``strip_suffixes``, ``strip_words``) and bracketed
        remarks, so ``枣庄电信``, ``山东联通分公司``, ``中国电信枣庄分公司``, ``ＣＴＣＣ``,
        ``china unicom`` and ``网通`` (historical, → China Unicom) all match.  The cell must be
        one carrier and nothing else: ``CT`` matches, ``CTRL`` does not.  Blank → ``("", False)``.
        """
        if is_blank(name):
            return "", False
        raw = name if isinstance(name, str) else fold(name)
        hit = self._cache.get(raw)
        if hit is None:
            found = self._lookup(raw)
            hit = (found, True) if found else (raw.strip(), False)
            if len(self._cache) < 100_000:
                self._cache[raw] = hit
        return hit

    def _lookup(self, raw: str) -> str:
        text = fold(raw).casefold()
        seen: set[str] = set()

        def attempt(t: str) -> str:
            k = _IGNORED.sub("", t)
            if k in seen:
                return ""
            seen.add(k)
            return self._by_key.get(k, "")

        for candidate in (text, _REMARK.sub(" ", text)):
            if found := attempt(candidate):
                return found
        text = _REMARK.sub(" ", text)
        if self._words is not None:
            text = self._words.sub(" ", text)
        key = _IGNORED.sub("", text)
        for p in self._prefixes:
            if key.startswith(p) and len(key) > len(p):
                key = key[len(p):].lstrip(":=")
                break
        if found := attempt(key):
            return found
        if self._places is not None:
            key = self._places.sub("", key)
            if found := attempt(key):
                return found
        trimmed = True
        while trimmed and key:
            trimmed = False
            for s in self._suffixes:
                if key.endswith(s) and len(key) > len(s):
                    key = key[: -len(s)]
                    trimmed = True
                    if found := attempt(key):
                        return found
                    break
        # a branch named after a place the rules do not list (中国电信金山分公司 -> 中国电信 + 金山): a
        # full Chinese carrier name (4+ characters) followed by at most 4 more Chinese characters
        if key and not key.isascii():
            for alias, name in self._full_names():
                rest = key[len(alias):]
                if key.startswith(alias) and 0 < len(rest) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in rest):
                    return name
        return ""

    def _full_names(self) -> list:
        names = getattr(self, "_full", None)
        if names is None:
            names = self._full = sorted(((k, n) for k, n in self._by_key.items()
                                         if len(k) >= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in k)),
                                        key=lambda kn: (-len(kn[0]), kn[0]))
        return names

    def by_asn(self, asn) -> str:
        """Canonical carrier of an AS number (``4134`` or ``"AS4134"``); ``""`` if unknown."""
        if isinstance(asn, str):
            m = re.fullmatch(r"\s*(?:as)?\s*(\d+)\s*", fold(asn), re.I)
            if not m:
                return ""
            asn = m.group(1)
        try:
            return self._by_asn.get(int(asn), "")
        except (TypeError, ValueError):
            return ""

    def zh(self, canonical: str) -> str:
        """Chinese name of a carrier (canonical name or any alias); ``""`` if unknown."""
        if canonical in self._zh:
            return self._zh[canonical]
        name, known = self.canonical(canonical)
        return self._zh[name] if known else ""

    def find_in_text(self, text) -> str:
        """Canonical carrier named inside free text, e.g. an interface description; ``""`` if none.

        ``To_ChinaNet_100M``, ``uplink-CMCC-GE0/0/1``, ``电信出口``, ``联通互联网专线``,
        ``Internet-CU`` all name one.  Short ASCII aliases (CT, CU, CM, 163, ...) count only as
        whole tokens, never inside a word (``CTRL``), an address (``10.163.1.1``) or an interface
        number; words in ``text_false_friends`` (移动办公, 联通率 ...) are skipped.  When several
        carriers are named, the first one in the text wins.
        """
        if isinstance(text, str):
            return self._find(text) if text else ""   # text that folds to nothing finds nothing there
        if is_blank(text):
            return ""
        return self._find(fold(text))

    def _find(self, text: str) -> str:
        return _find_cached(self, text)

    def _text_pattern(self, data: dict):
        exclude = {_key(a) for a in data.get("text_exclude") or []}
        alternatives: list[tuple[int, str]] = []
        literals = set()   # one string each alternative's every match contains (a cheap first test)
        for c in data["carriers"]:
            for alias in [c["name"], c["name_zh"], *(c.get("aliases") or []),
                          *(c.get("historical") or [])]:
                if _key(alias) in exclude:
                    continue
                folded = fold(alias).casefold()
                compact = _IGNORED.sub("", folded)
                if _CJK.search(folded):
                    pattern = re.escape(compact)
                    literals.add(compact)
                else:
                    literals.add(max((w for w in _ASCII_WORDS.split(folded) if w), key=len))
                    words = [re.escape(w) for w in _ASCII_WORDS.split(folded) if w]
                    pattern = _WORD_SEP.join(words)
                    if compact[0].isdigit():
                        # 163 / 169: not inside an address, an interface number or "vlan 163"
                        pattern = (r"(?<![a-z0-9.:/])(?<!vlan )(?<!vlan-)(?<!vlan_)" + pattern
                                   + r"(?![a-z0-9]|[.:/]\d)")
                    elif len(compact) < 5:
                        pattern = r"(?<![a-z0-9])" + pattern + r"(?![a-z0-9])"
                alternatives.append((len(compact), pattern))
        # longest first, so "China Netcom" wins over "ChinaNet" and 电信通 over 电信
        alternatives.sort(key=lambda a: -a[0])
        text_re = re.compile("|".join(p for _, p in dict.fromkeys(alternatives)))
        friends = [fold(w).casefold() for w in data.get("text_false_friends") or []]
        friends_re = (re.compile("|".join(map(re.escape, sorted(friends, key=len, reverse=True))))
                      if friends else None)
        # most descriptions name no carrier: a plain alternation of literals (no lookarounds, so the
        # regex engine skips ahead on first characters) rules them out ~5x faster than text_re
        pre_re = re.compile("|".join(map(re.escape, sorted(literals, key=lambda w: (-len(w), w)))))
        return text_re, friends_re, pre_re


@lru_cache(maxsize=65536)
def _find_cached(carriers: Carriers, text: str) -> str:
    t = fold(text).casefold()
    if not t:
        return ""
    if carriers._false_friends is not None:
        t = carriers._false_friends.sub(" ", t)
    if carriers._text_pre.search(t) is None:
        return ""
    m = carriers._text_re.search(t)
    if not m:
        return ""
    return carriers._by_key.get(_IGNORED.sub("", m.group(0)), "")


@lru_cache(maxsize=None)
def default_carriers() -> Carriers:
    """The repository's rules/carriers.yaml, loaded once."""
    return Carriers.load()


def _validate(data, source: str) -> None:
    def bad(where: str, value, expected: str):
        raise RulesError(f"{source}: {where}: {value!r}: expected {expected}")

    if not isinstance(data, dict):
        bad("top level", data, "a mapping with a 'carriers' list")
    for key in data:
        if key not in _TOP_KEYS:
            bad(f"key {key}", data[key], f"one of the keys {', '.join(sorted(_TOP_KEYS))}")
    carriers = data.get("carriers")
    if not isinstance(carriers, list) or not carriers:
        bad("carriers", carriers, "a non-empty list of carriers")
    names: set[str] = set()
    for i, c in enumerate(carriers):
        where = f"carriers[{i}]"
        if not isinstance(c, dict):
            bad(where, c, "a mapping with name, name_zh, aliases, historical, asns")
        for key in c:
            if key not in _CARRIER_KEYS:
                bad(f"{where}.{key}", c[key], f"one of the keys {', '.join(sorted(_CARRIER_KEYS))}")
        for key in ("name", "name_zh"):
            if not isinstance(c.get(key), str) or not c[key].strip():
                bad(f"{where}.{key}", c.get(key), "a non-empty string")
        if c["name"] in names:
            bad(f"{where}.name", c["name"], "a name not used by another carrier")
        names.add(c["name"])
        for key in ("aliases", "historical"):
            values = c.get(key, [])
            if values is None:
                continue
            if not isinstance(values, list):
                bad(f"{where}.{key}", values, "a list of strings")
            for j, v in enumerate(values):
                if not isinstance(v, str) or not _key(v):
                    bad(f"{where}.{key}[{j}]", v, "a non-empty string (quote numbers: \"163\")")
        asns = c.get("asns", [])
        if asns is None:
            continue
        if not isinstance(asns, list):
            bad(f"{where}.asns", asns, "a list of AS numbers")
        for j, a in enumerate(asns):
            if isinstance(a, bool) or not isinstance(a, int) or not 0 < a < 2**32:
                bad(f"{where}.asns[{j}]", a, "an AS number (integer 1..4294967295)")
    for key in _LIST_KEYS:
        values = data.get(key, [])
        if values is None:
            continue
        if not isinstance(values, list):
            bad(key, values, "a list of strings")
        for j, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                bad(f"{key}[{j}]", v, "a non-empty string")
