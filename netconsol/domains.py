"""Domain-assignment rules (``rules/domains.yaml``): load, check, and decide one network.

The file is documented where it is written; this module reads it into :class:`DomainRules` and
refuses anything it does not know with a :class:`~netconsol.errors.RulesError` naming the file,
the rule and the key.  :func:`decide` applies the rules to one network (a dict of networks-table
columns) and returns a :class:`Decision`: the target, the deciding rule, the method, and whether
the case is ambiguous.

Conditions are evaluated in three-valued logic: a fact that is missing (``classified`` blank, an
empty ``purpose`` under ``contains_any``) makes a condition UNKNOWN rather than false.  The first
rule that is TRUE decides; an UNKNOWN rule before it, or a later TRUE rule with another target,
makes the decision ambiguous.  ``any`` is true when one part is true, unknown when none is true
and one is unknown; ``all`` is false when one part is false, unknown when none is false and one is
unknown.

Classified networks never get an extranet target, whatever the rule order: :func:`decide`
enforces it after the rules have spoken (``Decision.guard``).
"""
from __future__ import annotations

import functools
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RulesError
from .rules import DEFAULT_RULES_DIR, load_yaml

__all__ = [
    "DomainRules", "Rule", "Decision", "load_domain_rules", "decide", "TARGETS", "METHODS", "FIELDS",
    "OPERATORS", "EXTRANET_TARGETS", "BOOL_FIELDS",
]

TARGETS = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "keep", "chosen")
EXTRANET_TARGETS = ("extranet_admin", "extranet_public", "extranet_vpn")
METHODS = ("vrf", "renumber", "nat", "ipsec", "gap", "frontend", "record")
BOOL_FIELDS = ("classified", "on_extranet", "public_facing", "built_by_upper")
TEXT_FIELDS = ("kind", "name", "purpose", "department", "district", "carrier", "network", "vertical_ministry", "tags")
FIELDS = TEXT_FIELDS + BOOL_FIELDS
# text fields where '' means "nobody said" (unknown) rather than "none"
UNKNOWN_WHEN_EMPTY = ("purpose",)
# true/false fields where blank means "nobody said so", i.e. false: a network is built by the
# province or a ministry only when someone writes it (统一建设, 统建)
FALSE_WHEN_EMPTY = ("built_by_upper",)
OPERATORS = ("equals", "in", "contains_any", "is_empty", "not_empty", "true", "false")
_NO_VALUE = ("is_empty", "not_empty", "true", "false")
PLACEHOLDERS = ("name", "purpose", "vertical_ministry", "department", "kind", "network", "evidence")

_TOP = {"keywords", "rules", "address_plans", "vpn_vrf_by", "growth_factor", "nat_when", "nat_pool",
        "attach_roles", "city_level_districts", "vrf_names"}
_RULE = {"id", "description", "when", "target", "method", "rationale", "default"}
_COND = {"field", "op", "value", "keywords"}
_NAT_WHEN = {"devices_over", "interfaces_over", "addresses_over"}
_NAT_POOL = {"default_prefixlen", "min_prefixlen", "extra_addresses"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

# Kleene truth values
TRUE, FALSE, UNKNOWN = True, False, None


def _fold(text) -> str:
    return unicodedata.normalize("NFKC", str(text)).lower().strip()


@dataclass(frozen=True)
class Cond:
    """One condition, or a group (op 'any' / 'all' with parts)."""
    op: str
    field: str = ""
    values: tuple = ()
    parts: tuple = ()

    def fields(self) -> set:
        if self.parts:
            return set().union(*(p.fields() for p in self.parts))
        return {self.field}


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    when: tuple
    target: str
    method: str
    rationale: dict
    default: bool = False


@dataclass
class DomainRules:
    path: Path
    rules: tuple
    shared_plans: tuple = (("extranet_admin", "extranet_public"),)
    vpn_vrf_by: str = "vertical_ministry"
    growth_factor: int = 2
    nat_devices_over: int = 20
    nat_interfaces_over: int = 200
    nat_addresses_over: int = 16384
    nat_default_prefixlen: int = 28
    nat_min_prefixlen: int = 29
    nat_extra_addresses: int = 1
    attach_roles: tuple = ("pe", "core")
    city_level_districts: tuple = ()   # district values meaning "city level" (rules/domains.yaml)
    vrf_names: dict = field(default_factory=dict)

    def rule(self, rid: str) -> Rule:
        for r in self.rules:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def plan_of(self, target: str) -> str:
        """The address plan a target domain belongs to (targets sharing a plan share one name)."""
        for group in self.shared_plans:
            if target in group:
                return "+".join(group)
        return target


@dataclass
class Decision:
    target: str
    rule: str              # the rule that decided (R7 for 'chosen' rules)
    method: str
    domain_rule: str = ""  # the rule that chose the domain when `rule` is a 'chosen' rule
    ambiguous: bool = False
    reasons: list = field(default_factory=list)   # [(code, params)] why it is ambiguous
    guard: str = ""        # rule whose extranet target the classified guard overrode
    alternatives: list = field(default_factory=list)  # [(rule id, target)] later rules that also match


# ---- loading ---------------------------------------------------------------------------------
def _err(path, where, msg):
    return RulesError(f"{path}: {where}: {msg}")


def _keys(path, where, data, allowed):
    if not isinstance(data, dict):
        raise _err(path, where, f"expected a mapping, got {data!r}")
    for k in data:
        if k not in allowed:
            raise _err(path, where, f"unknown key {k!r}; known: {', '.join(sorted(allowed))}")


def _op_name(op) -> str:
    # YAML reads `op: true` as a boolean: it still means the operator 'true'
    if op is True:
        return "true"
    if op is False:
        return "false"
    return str(op) if op is not None else ""


def _cond(path, where, data, keywords) -> Cond:
    if isinstance(data, dict) and len(data) == 1 and next(iter(data)) in ("any", "all"):
        op = next(iter(data))
        parts = data[op]
        if not isinstance(parts, list) or not parts:
            raise _err(path, f"{where}.{op}", f"expected a non-empty list of conditions, got {parts!r}")
        return Cond(op=op, parts=tuple(_cond(path, f"{where}.{op}[{i}]", p, keywords) for i, p in enumerate(parts)))
    _keys(path, where, data, _COND | {"any", "all"})
    if "any" in data or "all" in data:
        raise _err(path, where, "'any' / 'all' must be alone in their condition")
    fld = data.get("field")
    if fld not in FIELDS:
        raise _err(path, f"{where}.field", f"unknown field {fld!r}; known: {', '.join(FIELDS)}")
    op = _op_name(data.get("op"))
    if op not in OPERATORS:
        raise _err(path, f"{where}.op", f"unknown operator {data.get('op')!r}; known: {', '.join(OPERATORS)}")
    has_value, has_kw = "value" in data, "keywords" in data
    if op in _NO_VALUE:
        if has_value or has_kw:
            raise _err(path, where, f"operator {op!r} takes no value")
        if op in ("true", "false") and fld not in BOOL_FIELDS:
            raise _err(path, f"{where}.op", f"operator {op!r} applies to {', '.join(BOOL_FIELDS)}, not {fld!r}")
        return Cond(op=op, field=fld)
    if fld in BOOL_FIELDS:
        raise _err(path, f"{where}.op", f"field {fld!r} is true/false: use op true, false, is_empty or not_empty")
    if has_kw:
        if op != "contains_any":
            raise _err(path, f"{where}.keywords", "keywords: go with op contains_any")
        if has_value:
            raise _err(path, where, "give either value or keywords, not both")
        name = data["keywords"]
        if name not in keywords:
            raise _err(path, f"{where}.keywords", f"unknown keyword list {name!r}; known: "
                                                 f"{', '.join(sorted(keywords)) or '(none)'}")
        values = keywords[name]
    elif has_value:
        v = data["value"]
        if op == "equals":
            if isinstance(v, (list, dict)) or v is None:
                raise _err(path, f"{where}.value", f"equals takes one value, got {v!r}")
            values = (str(v),)
        else:
            if not isinstance(v, list) or not v or any(isinstance(x, (list, dict)) or x is None for x in v):
                raise _err(path, f"{where}.value", f"{op} takes a non-empty list of values, got {v!r}")
            values = tuple(str(x) for x in v)
    else:
        raise _err(path, where, f"operator {op!r} needs a value" + (" or keywords" if op == "contains_any" else ""))
    return Cond(op=op, field=fld, values=tuple(_fold(x) for x in values))


def _template(path, where, text):
    if not isinstance(text, str) or not text.strip():
        raise _err(path, where, f"expected a sentence, got {text!r}")
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as e:
        raise _err(path, where, f"bad template {text!r} ({e})") from None
    for n in names:
        if n not in PLACEHOLDERS:
            raise _err(path, where, f"unknown placeholder {{{n}}}; known: {', '.join('{%s}' % p for p in PLACEHOLDERS)}")
    return text


def _int(path, where, v, lo, hi=None):
    if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
        rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise _err(path, where, f"expected an integer {rng}, got {v!r}")
    return v


def load_domain_rules(path=None) -> DomainRules:
    """Read and check *path* (default: the shipped ``rules/domains.yaml``)."""
    path = Path(path) if path else DEFAULT_RULES_DIR / "domains.yaml"
    data = load_yaml(path)
    _keys(path, "top level", data, _TOP)
    keywords = {}
    kw = data.get("keywords") or {}
    if not isinstance(kw, dict):
        raise _err(path, "keywords", f"expected a mapping of list names to keyword lists, got {kw!r}")
    for name, words in kw.items():
        if not isinstance(words, list) or not words or any(not str(w).strip() for w in words):
            raise _err(path, f"keywords.{name}", f"expected a non-empty list of keywords, got {words!r}")
        keywords[name] = tuple(str(w) for w in words)
    raw = data.get("rules")
    if not isinstance(raw, list) or not raw:
        raise _err(path, "rules", "expected a non-empty list of rules")
    rules, seen = [], set()
    for i, r in enumerate(raw):
        rid = r.get("id") if isinstance(r, dict) else None
        where = f"rules[{i}]" + (f" ({rid})" if rid else "")
        _keys(path, where, r, _RULE)
        if not isinstance(rid, str) or not _ID.match(rid):
            raise _err(path, f"{where}.id", f"expected a short id (letters, digits, '-', '_', '.'), got {rid!r}")
        if rid in seen:
            raise _err(path, f"{where}.id", f"duplicate rule id {rid!r}")
        seen.add(rid)
        default = r.get("default", False)
        if not isinstance(default, bool):
            raise _err(path, f"{where}.default", f"expected true or false, got {default!r}")
        when = r.get("when")
        if default:
            if when:
                raise _err(path, f"{where}.when", "the default rule has no conditions: it applies when nothing else does")
            if i != len(raw) - 1:
                raise _err(path, f"{where}.default", "the default rule must be the last rule (later rules could never apply)")
            conds = ()
        else:
            if not isinstance(when, list) or not when:
                raise _err(path, f"{where}.when", f"expected a non-empty list of conditions, got {when!r}")
            conds = tuple(_cond(path, f"{where}.when[{j}]", c, keywords) for j, c in enumerate(when))
        target = r.get("target")
        if target not in TARGETS:
            raise _err(path, f"{where}.target", f"unknown target {target!r}; known: {', '.join(TARGETS)}")
        method = r.get("method")
        if method not in METHODS:
            raise _err(path, f"{where}.method", f"unknown method {method!r}; known: {', '.join(METHODS)}")
        if target == "intranet" and method != "record":
            raise _err(path, f"{where}.method", f"target intranet is recorded only (method record), got {method!r}: "
                                                "classified networks are never bridged")
        if target == "keep" and method not in ("gap", "record"):
            raise _err(path, f"{where}.method", f"target keep takes method gap or record, got {method!r}")
        if default and target == "chosen":
            raise _err(path, f"{where}.target", "the default rule must name a domain, not 'chosen'")
        rat = r.get("rationale")
        _keys(path, f"{where}.rationale", rat, {"zh", "en"})
        rationale = {lang: _template(path, f"{where}.rationale.{lang}", rat.get(lang)) for lang in ("zh", "en")}
        desc = r.get("description", "")
        if not isinstance(desc, str):
            raise _err(path, f"{where}.description", f"expected text, got {desc!r}")
        rules.append(Rule(id=rid, description=desc, when=conds, target=target, method=method,
                          rationale=rationale, default=default))
    if not rules[-1].default:
        raise _err(path, "rules", "the last rule must be the explicit default (default: true, no when)")

    out = DomainRules(path=path, rules=tuple(rules))
    plans = data.get("address_plans", {"shared": ["extranet_admin", "extranet_public"]}) or {}
    _keys(path, "address_plans", plans, {"shared"})
    shared = plans.get("shared", [])
    if shared and isinstance(shared[0], str):
        shared = [shared]
    groups = []
    for j, g in enumerate(shared or []):
        if not isinstance(g, list) or any(t not in EXTRANET_TARGETS[:2] for t in g):
            raise _err(path, f"address_plans.shared[{j}]" if len(shared) > 1 else "address_plans.shared",
                       f"expected a list of extranet_admin / extranet_public, got {g!r}")
        groups.append(tuple(g))
    out.shared_plans = tuple(groups)
    vby = data.get("vpn_vrf_by", "vertical_ministry")
    if vby not in ("vertical_ministry", "network"):
        raise _err(path, "vpn_vrf_by", f"expected vertical_ministry or network, got {vby!r}")
    out.vpn_vrf_by = vby
    gf = data.get("growth_factor", 2)
    out.growth_factor = _int(path, "growth_factor", gf, 1, 1024)
    nw = data.get("nat_when", {}) or {}
    _keys(path, "nat_when", nw, _NAT_WHEN)
    out.nat_devices_over = _int(path, "nat_when.devices_over", nw.get("devices_over", 20), 0)
    out.nat_interfaces_over = _int(path, "nat_when.interfaces_over", nw.get("interfaces_over", 200), 0)
    out.nat_addresses_over = _int(path, "nat_when.addresses_over", nw.get("addresses_over", 16384), 0)
    npool = data.get("nat_pool", {}) or {}
    _keys(path, "nat_pool", npool, _NAT_POOL)
    out.nat_default_prefixlen = _int(path, "nat_pool.default_prefixlen", npool.get("default_prefixlen", 28), 8, 32)
    out.nat_min_prefixlen = _int(path, "nat_pool.min_prefixlen", npool.get("min_prefixlen", 29), 8, 32)
    out.nat_extra_addresses = _int(path, "nat_pool.extra_addresses", npool.get("extra_addresses", 1), 0, 1024)
    roles = data.get("attach_roles", ["pe", "core"])
    if not isinstance(roles, list) or not roles or any(not isinstance(x, str) for x in roles):
        raise _err(path, "attach_roles", f"expected a non-empty list of device roles, got {roles!r}")
    out.attach_roles = tuple(x.lower() for x in roles)
    city = data.get("city_level_districts", []) or []
    if not isinstance(city, list) or any(not isinstance(x, str) for x in city):
        raise _err(path, "city_level_districts", f"expected a list of district values, got {city!r}")
    out.city_level_districts = tuple(city)
    vn = data.get("vrf_names", {}) or {}
    _keys(path, "vrf_names", vn, set(EXTRANET_TARGETS[:2]))
    for k, v in vn.items():
        if not isinstance(v, list) or any(not isinstance(x, str) for x in v):
            raise _err(path, f"vrf_names.{k}", f"expected a list of VRF names, got {v!r}")
    out.vrf_names = {k: tuple(x.lower() for x in v) for k, v in vn.items()}
    return out


# ---- deciding --------------------------------------------------------------------------------
_ASCII_WORD = re.compile(r"^[\x00-\x7f]+$")


def _is_missing(v) -> bool:
    return v is None or type(v).__name__ == "NAType" or (isinstance(v, float) and v != v)


@functools.lru_cache(maxsize=4096)
def _word_pattern(word: str):
    """The whole-word pattern of an ASCII word, None for other words (matched as substrings)."""
    if _ASCII_WORD.match(word):
        return re.compile(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])")
    return None


def _contains(text: str, word: str) -> bool:
    pattern = _word_pattern(word)
    if pattern is not None:
        return pattern.search(text) is not None
    return word in text


@functools.lru_cache(maxsize=4096)
def _any_word(words: tuple):
    """(pattern, others): ``any(_contains(text, w) for w in words)`` is ``pattern.search(text)`` (the
    ASCII words as whole words, one alternation: a word whose boundary test fails gives way to the
    next) or any of the *others* (the other words) a substring of the text."""
    ascii_words = [w for w in words if _word_pattern(w) is not None]
    others = tuple(w for w in words if _word_pattern(w) is None)
    pattern = None
    if ascii_words:
        pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, ascii_words)) + r")(?![a-z0-9])")
    return pattern, others


def _contains_any(text: str, words: tuple) -> bool:
    pattern, others = _any_word(words)
    return (pattern is not None and pattern.search(text) is not None) or any(w in text for w in others)


def _eval(c: Cond, net: dict, unknown: set, folded: dict | None = None):
    if c.op in ("any", "all"):
        vals = [_eval(p, net, unknown, folded) for p in c.parts]
        if c.op == "any":
            return TRUE if TRUE in vals else (UNKNOWN if UNKNOWN in vals else FALSE)
        return FALSE if FALSE in vals else (UNKNOWN if UNKNOWN in vals else TRUE)
    v = net.get(c.field)
    if c.field in BOOL_FIELDS:
        missing = _is_missing(v)
        if c.op == "is_empty":
            return TRUE if missing else FALSE
        if c.op == "not_empty":
            return FALSE if missing else TRUE
        if missing and c.field in FALSE_WHEN_EMPTY:
            return FALSE if c.op == "true" else TRUE
        if missing:
            unknown.add(c.field)
            return UNKNOWN
        return TRUE if bool(v) == (c.op == "true") else FALSE
    if folded is None:
        text = "" if _is_missing(v) else _fold(v)
    else:  # one network's fields folded once for all its rules
        text = folded.get(c.field)
        if text is None:
            text = folded[c.field] = "" if _is_missing(v) else _fold(v)
    if c.op == "is_empty":
        return TRUE if not text else FALSE
    if c.op == "not_empty":
        return TRUE if text else FALSE
    if not text and c.field in UNKNOWN_WHEN_EMPTY:
        unknown.add(c.field)
        return UNKNOWN
    if c.op == "equals":
        return TRUE if text == c.values[0] else FALSE
    if c.op == "in":
        return TRUE if text in c.values else FALSE
    # contains_any
    if c.field == "tags":
        tags = set(text.split())
        return TRUE if tags & set(c.values) else FALSE
    return TRUE if _contains_any(text, c.values) else FALSE


def _rule_value(rule: Rule, net: dict, folded: dict | None = None):
    unknown: set = set()
    val = TRUE
    for c in rule.when:
        v = _eval(c, net, unknown, folded)
        if v is FALSE:
            return FALSE, set()
        if v is UNKNOWN:
            val = UNKNOWN
    return val, unknown


def _fields_read(rule: Rule) -> tuple:
    """The network fields the conditions of *rule* read."""
    out, todo = set(), list(rule.when)
    while todo:
        c = todo.pop()
        if c.op in ("any", "all"):
            todo.extend(c.parts)
        else:
            out.add(c.field)
    return tuple(sorted(out))


def memoized(memo: dict, key, compute):
    """``memo[key]``, computed by ``compute()`` when missing; a key holding an unhashable value is
    computed alone, never stored."""
    try:
        hit = memo.get(key)
    except TypeError:
        return compute()
    if hit is None:
        hit = memo[key] = compute()
    return hit


def _rule_values(rules: DomainRules, net: dict, memo: dict | None) -> list:
    """[(rule, value, unknown fields)] of every rule for *net*.  With a *memo* (a dict kept by the
    caller for one *rules*), a rule's value is computed once per combination of the values (and
    their types) of the fields it reads: it reads nothing else."""
    folded: dict = {}
    if memo is None:
        return [(r, *_rule_value(r, net, folded)) for r in rules.rules]
    layout = memo.get("layout")
    if layout is None:   # every field any rule reads, and each rule's positions among them
        names = sorted({f for r in rules.rules for f in _fields_read(r)})
        layout = memo["layout"] = (names, [tuple(names.index(f) for f in _fields_read(r)) for r in rules.rules])
    names, positions = layout
    vals = [(v.__class__, v) for v in map(net.get, names)]
    out = []
    for i, r in enumerate(rules.rules):
        hit = memoized(memo, (i, *[vals[j] for j in positions[i]]), lambda: _rule_value(r, net, folded))
        out.append((r, *hit))
    return out


def decide(rules: DomainRules, net: dict, memo: dict | None = None) -> Decision:
    """Apply *rules* to one network (networks-table columns as a dict).  *memo*: a dict the caller
    keeps across calls with the same *rules* (see :func:`_rule_values`); the same decisions."""
    values = _rule_values(rules, net, memo)
    first = next(i for i, (r, v, _) in enumerate(values) if v is TRUE)  # the default always holds
    rule = values[first][0]
    d = Decision(target=rule.target, rule=rule.id, method=rule.method)
    domain_idx = first
    if rule.target == "chosen":
        domain_idx = next(i for i, (r, v, _) in enumerate(values) if i > first and v is TRUE and r.target != "chosen")
        d.target = values[domain_idx][0].target
        d.domain_rule = values[domain_idx][0].id
    classified = net.get("classified")
    is_classified = not _is_missing(classified) and bool(classified)

    def allowed(target):
        return not (is_classified and target in EXTRANET_TARGETS)

    # before the decision: rules that might have applied had the facts been known
    for i, (r, v, unknown) in enumerate(values[:domain_idx]):
        if v is UNKNOWN and r.target != "chosen" and r.target != d.target and allowed(r.target):
            d.ambiguous = True
            d.reasons.append(("unknown_facts", {"rule": r.id, "target": r.target, "facts": " ".join(sorted(unknown))}))
    # after it: other rules that match too, with another target (the default does not count)
    for r, v, _ in values[domain_idx + 1:]:
        if v is TRUE and not r.default and r.target not in ("chosen", d.target) and allowed(r.target):
            d.alternatives.append((r.id, r.target))
    if d.alternatives:
        d.ambiguous = True
        d.reasons.append(("also_matches", {"rules": " ".join(f"{a}" for a, _ in d.alternatives),
                                           "targets": " ".join(t for _, t in d.alternatives)}))
    if values[domain_idx][0].default and not d.ambiguous:
        # nothing matched on facts: worth a person's look even when nothing is missing
        d.ambiguous = True
        d.reasons.append(("default_rule", {}))
    if is_classified and d.target in EXTRANET_TARGETS:
        d.guard = d.domain_rule or d.rule
        d.target, d.method = "intranet", "record"
        d.ambiguous = True
        d.reasons.append(("classified_guard", {"rule": d.guard}))
    return d
