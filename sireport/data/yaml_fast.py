"""Fast reading of a YAML/JSON data file with libyaml (PyYAML's C parser).

ruamel.yaml's pure-Python parser needs about 30 ms for a 250-line data file, which makes
checking a prefecture's hundred files slow; libyaml composes the same file in under
2 ms. This module turns libyaml's node tree into exactly what the ruamel path of
:mod:`sireport.data.load` gives: plain dicts/lists, ``Decimal`` numbers as written, YAML 1.2
core scalars (``yes``/``no`` stay text), and the ``line:column`` of every key and item
(looked up in the node tree only when a message needs one).

Anything this module is not sure to read the same way (a parse error, a duplicate key,
tags, merge keys, exotic number forms, several documents) returns :data:`UNSUPPORTED`,
and the loader reads the file with ruamel, which also words every error message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

UNSUPPORTED = object()

try:  # PyYAML built with libyaml; without it every file takes the ruamel path
    from yaml import CSafeLoader as _Loader
    from yaml import YAMLError as _YAMLError
    from yaml import compose as _compose
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
except ImportError:  # pragma: no cover - depends on the installation
    _Loader = None

NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]+|\.[0-9]+)")
DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# other plain scalars YAML 1.2 might read as a number or a time: leave them to ruamel
DOUBTFUL = re.compile(r"[-+]?(\.(inf|Inf|INF|nan|NaN|NAN)|[.0-9][-+_.:0-9a-zA-Z ]*)")


class _Unsupported(Exception):
    pass


if _Loader is not None:

    class _UntaggedLoader(_Loader):  # type: ignore[misc, valid-type]
        """libyaml's composer without tag resolution: :func:`_scalar` types every scalar
        itself, and the resolver's regular expressions cost ~10% of a load."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return ""


def plain_tree(text: str) -> tuple[Any, Mapping[tuple, str]] | Any:
    """The data of ``text`` and the positions of its keys, or :data:`UNSUPPORTED`."""
    if _Loader is None or "!" in text or "<<" in text:
        return UNSUPPORTED
    try:
        node = _compose(text, Loader=_UntaggedLoader)
        return (None, {}) if node is None else (_plain(node), NodePositions(node))
    except (_YAMLError, _Unsupported, ValueError, RecursionError):  # (an alias inside its own anchor)
        return UNSUPPORTED


def _plain(node: Any) -> Any:
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key in out:
                raise _Unsupported  # a non-text or duplicate key: ruamel decides
            out[key] = _plain(value_node)
        return out
    return [_plain(item) for item in node.value]


class NodePositions(Mapping):
    """``line:column`` of every key and list item (as the ruamel path records them), read
    off libyaml's node tree only for the few places a message names."""

    def __init__(self, root: Any) -> None:
        self._root = root

    def __getitem__(self, loc: tuple) -> str:
        node, mark = self._root, None
        for key in loc:
            if isinstance(node, MappingNode) and isinstance(key, str):
                for key_node, value_node in node.value:
                    if key_node.value == key:  # every key is plain text here (_plain saw to it)
                        mark, node = key_node.start_mark, value_node
                        break
                else:
                    raise KeyError(loc)
            elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                node = node.value[key]
                mark = node.start_mark
            else:
                raise KeyError(loc)
        if mark is None:
            raise KeyError(loc)
        return f"{mark.line + 1}:{mark.column + 1}"

    def __iter__(self) -> Iterator[tuple]:
        todo: list[tuple[tuple, Any]] = [((), self._root)]
        while todo:
            loc, node = todo.pop()
            if isinstance(node, MappingNode):
                children = [((*loc, key_node.value), value_node) for key_node, value_node in node.value]
            elif isinstance(node, SequenceNode):
                children = [((*loc, index), item) for index, item in enumerate(node.value)]
            else:
                continue
            yield from (child for child, _ in children)
            todo += children

    def __len__(self) -> int:
        return sum(1 for _ in self)


NUMERIC_START = frozenset("+-.0123456789")


def _scalar(node: Any) -> Any:
    text = node.value
    if node.style:  # quoted or block scalar: always text (plain is None, or "" from libyaml)
        return text
    if text[:1] not in NUMERIC_START:  # most scalars: Chinese text, or a null or a bool
        if text in NULLS:
            return None
        return BOOLS.get(text, text)
    if INT.fullmatch(text):
        return int(text)
    if DECIMAL.fullmatch(text):
        return Decimal(text)
    date = DATE.fullmatch(text)
    if date:
        return dt.date(*(int(part) for part in date.groups()))
    if DOUBTFUL.fullmatch(text):
        raise _Unsupported
    return text
