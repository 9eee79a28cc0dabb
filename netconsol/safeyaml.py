"""YAML with limits: every YAML netconsol reads (inventory.yaml, rules/*.yaml, hosts.yaml).

A YAML file may name a node once (``&a``) and repeat it by reference (``*a``); a few lines of
references to references ("billion laughs") expand to billions of nodes and gigabytes.  The
document is first composed (references stay shared, so composing is cheap), its expanded size
counted over the shared graph, and only then constructed.  Limits: the file's size, the
expanded node count, and nesting depth.
"""
from __future__ import annotations

import yaml

__all__ = ["load", "YamlLimitError", "MAX_BYTES", "MAX_NODES", "MAX_DEPTH"]

MAX_BYTES = 256 * 1024 * 1024   # a province's manifest is tens of megabytes
MAX_NODES = 20_000_000          # expanded nodes (scalars, sequences, mappings)
MAX_DEPTH = 200

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(ValueError):
    """The document is over a limit (its message says which)."""


def _expanded(root) -> int:
    """Nodes of the document with every reference expanded, counted once per distinct node."""
    size: dict[int, int] = {}
    stack = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if key in size and not done:
            continue
        if depth > MAX_DEPTH:
            raise YamlLimitError(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            size[key] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        if done:
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_NODES:
                raise YamlLimitError(f"expands to more than {MAX_NODES:,} nodes through its aliases "
                                     f"(a YAML alias bomb?)")
            size[key] = total
            continue
        size[key] = 0  # in progress: a node containing itself counts once
        stack.append((node, depth, True))
        for c in children:
            if id(c) not in size:
                stack.append((c, depth + 1, False))
    return size[id(root)]


def load(text: str):
    """``yaml.safe_load(text)`` within the limits; :class:`YamlLimitError` over them,
    ``yaml.YAMLError`` for bad YAML."""
    if len(text) > MAX_BYTES:
        raise YamlLimitError(f"{len(text):,} characters, more than the {MAX_BYTES:,} a YAML file may have")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def short(e: Exception, limit: int = 300) -> str:
    """An error's text cut to *limit* characters (a parser may quote megabytes of context)."""
    text = str(getattr(e, "problem", None) or e)
    return text if len(text) <= limit else text[:limit] + "..."
