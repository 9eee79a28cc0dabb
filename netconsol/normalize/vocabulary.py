"""What clerks write in the sheets (``rules/vocabulary.yaml``): network types, dynamic addresses,
access types, device vendors, and the words that state a network's facts.

:func:`load_vocabulary` reads and checks the file; :class:`Vocabulary` answers the questions the
sheet reader asks: which class a network-type cell names, whether an address cell means "no
fixed address" (:meth:`Vocabulary.is_dynamic`, shared with whoever reads exit rows), which vendor
and model a 设备型号 cell names, and which facts a remark states (:meth:`Vocabulary.facts`), each
with its evidence.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RulesError
from ..rules import DEFAULT_RULES_DIR, load_yaml
from .text import fold

__all__ = ["Vocabulary", "load_vocabulary", "default_vocabulary", "FACTS", "KINDS"]

FACTS = ("classified", "built_by_upper", "on_extranet", "public_facing")
KINDS = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "gov_private", "business_private",
         "internet", "lan")
ACCESS = ("fiber_dia", "dark_fiber", "mstp", "mpls_vpn", "vpn", "l2tp", "adsl", "ftth", "mobile", "other")
_TOP = {"network_types", "extranet_zone_unnamed", "extranet_zone_default", "dynamic_addresses", "access_types",
        "vendors", "facts", "bandwidth_words"}
_FACT_KEYS = {"words", "negations", "denials", "subjects"}
_IGNORED = re.compile(r"[\s\-_.·/+&]+")
_CLAUSE = re.compile(r"[，。；;,、！!？?\n]+")
_NEGATION_WINDOW = 4   # characters before a fact word where a negation counts (暂未接入, 不涉密)


def key(text) -> str:
    """The lookup key of a closed-list word: folded, case-folded, without spaces, dashes, dots, slashes."""
    return _IGNORED.sub("", fold(str(text)).casefold())


@dataclass
class Vocabulary:
    path: Path
    kinds: dict = field(default_factory=dict)          # key -> kind
    unnamed_extranet: frozenset = frozenset()          # keys of 外网, 政务外网 ...
    zone_default: str = "extranet_public"
    dynamic: frozenset = frozenset()                   # keys of 动态地址, 拨号 ...
    access: dict = field(default_factory=dict)         # key -> access type
    vendors: tuple = ()                                # (name, devices name, (folded words, longest first))
    facts_spec: dict = field(default_factory=dict)     # fact -> {words, negations, denials, subjects}
    ministries: tuple = ()                             # (canonical, (folded aliases, longest first))
    province_body: re.Pattern | None = None
    no_ministry: frozenset = frozenset()
    bandwidth_words: tuple = ()                        # 千兆, 百兆 ... after a number in a description

    # ---- closed lists --------------------------------------------------------------------------
    def kind(self, text) -> str:
        """The class a network-type cell names, '' when the vocabulary does not know it."""
        return self.kinds.get(key(text), "")

    def is_unnamed_extranet(self, text) -> bool:
        return key(text) in self.unnamed_extranet

    def is_dynamic(self, text) -> bool:
        """The address cell says the line has no fixed address (动态地址, DHCP, 拨号 ...)."""
        k = key(text)
        return bool(k) and (k in self.dynamic or any(k.startswith(w) for w in self.dynamic if len(w) > 1))

    def model(self, text) -> tuple[str, str]:
        """(vendor, model) of a 设备型号 cell: 华为AR2240 -> (Huawei, AR2240); a model with no vendor
        word -> ('', model)."""
        s = fold(str(text)).strip()
        low = s.casefold()
        for name, _dev, words in self.vendors:
            for w in words:
                if low.startswith(w):
                    return name, s[len(w):].strip(" -_:：/()")
                i = low.find(w)
                if i >= 0 and (not w.isascii() or not low[i - 1:i].isalnum()):
                    return name, (s[:i] + s[i + len(w):]).strip(" -_:：/()")
        return "", s

    def device_vendor(self, name: str) -> str:
        """The devices-table spelling (huawei, h3c ...) of a vendor's canonical name."""
        for n, dev, _ in self.vendors:
            if n == name:
                return dev
        return name.lower()

    # ---- facts ---------------------------------------------------------------------------------
    def facts(self, text) -> dict:
        """{fact: (True/False, matched words)} for the facts *text* states (the others are absent).

        Each clause is read on its own; a negation in the few characters before a fact word, or a
        denial word anywhere in the clause, states the opposite.  A positive clause wins over a
        negative one (the safer reading for 'classified', the more specific for the others)."""
        return dict(_facts(self, fold(str(text))))

    def ministry(self, text, column: bool) -> tuple[str, str]:
        """(vertical ministry, matched words) named in *text*: a national body's full name, else a
        province's body as written (省卫健委); from a ministry column (*column*) anything else that
        is not a 'none' word is taken as written."""
        s = fold(str(text)).strip()
        if not s:
            return "", ""
        for canonical, aliases in self.ministries:
            for a in aliases:
                if a in s:
                    return canonical, a
        if self.province_body is not None:
            m = self.province_body.search(s)
            if m:
                return m.group(0), m.group(0)
        if column and key(s) not in self.no_ministry:
            return s, s
        return "", ""


def _facts(v: Vocabulary, text: str):
    if not text:
        return
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    for fact, spec in v.facts_spec.items():
        pos, neg = [], []
        for c in clauses:
            if spec["subjects"] and not any(s in c for s in spec["subjects"]):
                continue
            denial = next((d for d in spec["denials"] if d in c), "")
            if denial:
                neg.append(c.strip())
                continue
            for w in spec["words"]:
                i = c.find(w)
                if i < 0:
                    continue
                window = c[max(0, i - _NEGATION_WINDOW):i]
                (neg if any(n in window for n in spec["negations"]) else pos).append(c.strip())
                break
        if pos:
            yield fact, (True, "；".join(dict.fromkeys(pos)))
        elif neg:
            yield fact, (False, "；".join(dict.fromkeys(neg)))


def _words(path, where, v) -> list[str]:
    if not isinstance(v, list) or any(not isinstance(x, (str, int)) or not str(x).strip() for x in v):
        raise RulesError(f"{path}: {where}: expected a list of words, got {v!r}")
    return [str(x) for x in v]


def _table(path, where, spec, allowed) -> dict:
    if not isinstance(spec, dict):
        raise RulesError(f"{path}: {where}: expected a mapping of {'/'.join(allowed)} to word lists")
    table: dict[str, str] = {}
    for name, words in spec.items():
        if name not in allowed:
            raise RulesError(f"{path}: {where}: unknown class {name!r}; known: {', '.join(allowed)}")
        for w in [name, *_words(path, f"{where}.{name}", words)]:
            k = key(w)
            if k in table and table[k] != name:
                raise RulesError(f"{path}: {where}.{name}: {w!r} is also listed under {table[k]!r}: one meaning "
                                 f"per word")
            table[k] = name
    return table


def load_vocabulary(path=None) -> Vocabulary:
    """Read and check *path* (default: the shipped ``rules/vocabulary.yaml``)."""
    path = Path(path) if path else DEFAULT_RULES_DIR / "vocabulary.yaml"
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level")
    for k in data:
        if k not in _TOP:
            raise RulesError(f"{path}: unknown key {k!r}; known: {', '.join(sorted(_TOP))}")
    v = Vocabulary(path=path)
    v.kinds = _table(path, "network_types", data.get("network_types") or {}, KINDS)
    v.unnamed_extranet = frozenset(key(w) for w in _words(path, "extranet_zone_unnamed",
                                                          data.get("extranet_zone_unnamed") or []))
    v.zone_default = str(data.get("extranet_zone_default", "extranet_public"))
    if v.zone_default not in ("extranet_admin", "extranet_public"):
        raise RulesError(f"{path}: extranet_zone_default: expected extranet_admin or extranet_public, "
                         f"got {v.zone_default!r}")
    v.dynamic = frozenset(key(w) for w in _words(path, "dynamic_addresses", data.get("dynamic_addresses") or []))
    v.access = _table(path, "access_types", data.get("access_types") or {}, ACCESS)
    v.bandwidth_words = tuple(sorted({fold(w) for w in _words(path, "bandwidth_words",
                                                                data.get("bandwidth_words") or [])},
                                     key=lambda w: (-len(w), w)))
    vendors = []
    for i, e in enumerate(data.get("vendors") or []):
        if not isinstance(e, dict) or not e.get("name") or not e.get("words"):
            raise RulesError(f"{path}: vendors[{i}]: expected {{name, devices, words}}, got {e!r}")
        words = sorted({fold(str(w)).casefold() for w in _words(path, f"vendors[{i}].words", e["words"])},
                       key=lambda w: (-len(w), w))
        vendors.append((str(e["name"]), str(e.get("devices") or e["name"]).lower(), tuple(words)))
    v.vendors = tuple(vendors)
    facts = data.get("facts") or {}
    for fact in FACTS:
        spec = facts.get(fact) or {}
        if not isinstance(spec, dict) or set(spec) - _FACT_KEYS:
            raise RulesError(f"{path}: facts.{fact}: expected a mapping of {', '.join(sorted(_FACT_KEYS))}")
        v.facts_spec[fact] = {k: tuple(fold(w) for w in _words(path, f"facts.{fact}.{k}", spec.get(k) or []))
                              for k in _FACT_KEYS}
        if not v.facts_spec[fact]["words"] and not v.facts_spec[fact]["denials"]:
            raise RulesError(f"{path}: facts.{fact}.words: expected a non-empty list of words")
    mins = facts.get("ministries") or {}
    if not isinstance(mins, dict):
        raise RulesError(f"{path}: facts.ministries: expected a mapping of full names to aliases")
    v.ministries = tuple((str(name), tuple(sorted({fold(a) for a in [name, *_words(path, f"facts.ministries.{name}",
                                                                                      aliases or [name])]},
                                                  key=lambda a: (-len(a), a))))
                         for name, aliases in mins.items())
    pb = facts.get("province_body")
    if pb:
        try:
            v.province_body = re.compile(str(pb))
        except re.error as e:
            raise RulesError(f"{path}: facts.province_body: not a regular expression ({e}): {pb!r}") from None
    v.no_ministry = frozenset(key(w) for w in _words(path, "facts.no_ministry", facts.get("no_ministry") or ["无"]))
    return v


@functools.lru_cache(maxsize=8)
def _cached(path: str) -> Vocabulary:
    return load_vocabulary(path)


def default_vocabulary(path=None) -> Vocabulary:
    """The vocabulary of *path* (default: the shipped one), read once per process."""
    return _cached(str(Path(path) if path else DEFAULT_RULES_DIR / "vocabulary.yaml"))
