"""The one reading of a YAML/JSON data file: libyaml's node tree typed by our own rules.

Every file is composed by libyaml (PyYAML's C parser; its pure-Python twin where the C
one is not installed) into a node tree without any tag resolution, and every scalar is
then typed here, the same way for every file:

- numbers become ``int`` or ``Decimal`` exactly as written (never binary floating point);
- ``true``/``false`` become booleans and ``null``/``~``/empty become None: the schema decides
  where they are allowed (a boolean is no people count);
- dates stay text: only a date field of the schema reads ``2020-09-10`` as a date;
- ``!!str`` (or ``!``) makes a scalar text; other tags are refused;
- merge keys (``<<: *base``) are merged (keys written in the mapping win);
- forms YAML 1.1 and 1.2 read differently (``0117275`` octal, ``12:30`` sexagesimal,
  ``.inf``, ``0x1F``) are refused with their place rather than guessed;
- a duplicate key is refused; the expanded size and depth are bounded
  (:class:`sireport.data.limits.Budget`).

``line:column`` of every key and item is read off the node tree only for the few places
a message names (:class:`NodePositions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from sireport.data.limits import MAX_DEPTH, MAX_MAGNITUDE, MAX_VALUES, Budget, LimitExceeded, shown

try:  # PyYAML built with libyaml
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on the installation
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
NUMERIC_START = frozenset("+-.0123456789")
PLAIN_WORDS = frozenset((*NULLS, *BOOLS))  # a plain scalar not starting as a number is text unless it is one of these
INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)?\.[0-9]+|[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?[eE][-+]?[0-9]+|[-+]?[0-9]+\.")
# other plain scalars YAML 1.1 or 1.2 might read as a number or a time: refused, not guessed
# (digits in them: a lone "." — item_mark — is text in both)
DOUBTFUL = re.compile(r"[-+]?(\.(inf|Inf|INF|nan|NaN|NAN)|(?=[^0-9]*[0-9])[.0-9][_.:0-9a-fA-FoxX]*)")
STR, MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"
SCALAR_TAGS = {STR: "str", "!": "str", "tag:yaml.org,2002:int": "number", "tag:yaml.org,2002:float": "number",
               "tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:bool": "bool"}


class Refused(Exception):
    """Something in the file is refused (a doubtful number, a duplicate key, a tag): with its place."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.position = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else None


# a surrogate pair written as two escapes (as json.dumps writes 𠮷): YAML reads each half
# alone, and libyaml refuses a lone half; an odd number of backslashes before it is an escape
_ESCAPED_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.I)


def _pair(match: re.Match) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return match.group(1) + chr(0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00))


class _UntaggedLoader(_Base):  # type: ignore[misc, valid-type]
    """The composer without tag resolution: :func:`_scalar` types every scalar itself
    (and the resolver's regular expressions cost ~10% of a load).

    The composer calls ``resolve(kind, value, implicit)``, ``descend_resolver(parent, index)``
    and ``ascend_resolver()`` for every node; here each does nothing and gives "" (no tag,
    no path resolvers). ``"".format`` is that, as a C callable that ignores its arguments: a
    Python function in their place costs ~10% of composing a data file.
    """

    resolve = descend_resolver = ascend_resolver = staticmethod("".format)


def plain_tree(text: str, budget: Budget | None = None) -> tuple[Any, Mapping[tuple, str]]:
    """The data of ``text`` and the positions of its keys.

    ``budget``: counts the values as the tree is built and notes whether every value is in
    bounds (:class:`sireport.data.limits.Budget`; a new one when not given). Raises
    ``yaml.YAMLError`` for a syntax error, :class:`Refused` or
    :class:`sireport.data.limits.LimitExceeded` (each with a position where known).
    """
    if "\\u" in text or "\\U" in text:
        text = _ESCAPED_PAIR.sub(_pair, text)
    try:
        node = yaml.compose(text, Loader=_UntaggedLoader)
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's own limit
            deep = LimitExceeded(f"嵌套层数过多（超过 {MAX_DEPTH} 层，或 YAML 别名“*”引用了包含它自身的内容），未读取")
            mark = getattr(exc, "problem_mark", None)
            deep.position = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else None
            raise deep from None
        raise
    if node is None:
        return None, {}
    positions = NodePositions(node)
    try:
        return _plain(node, (), budget or Budget()), positions
    except LimitExceeded as exc:
        exc.position = positions.get(exc.loc)
        raise


def _plain(node: Any, loc: tuple, budget: Budget) -> Any:
    budget.spend(loc)
    if isinstance(node, ScalarNode):
        return _scalar_value(node, budget)
    return _collection(node, loc, budget)


def _collection(node: Any, loc: tuple, budget: Budget) -> Any:
    """The data of a mapping or a sequence at ``loc`` (the budget has paid for the node itself).

    A scalar child within the limits (most of a data file) is paid for here, without a
    place of its own (:func:`_plain` does the same for it, one step at a time); any other
    child goes through :func:`_plain`, in the same order, so the first problem met is the same.
    """
    deeper = len(loc) < MAX_DEPTH  # a child is within the depth limit
    if isinstance(node, MappingNode):
        if node.tag:
            _plain_tag(node, "tag:yaml.org,2002:map")
        out: dict[str, Any] = {}
        for key_node, value_node in _pairs(node):
            if key_node.__class__ is not ScalarNode:
                raise Refused("键名应为文字", key_node.start_mark)
            key = key_node.value
            if key in out:
                raise Refused(f"键“{shown(key)}”重复", key_node.start_mark)
            if deeper and value_node.__class__ is ScalarNode and budget.values < MAX_VALUES:
                budget.values += 1
                out[key] = _scalar_value(value_node, budget)
            else:
                out[key] = _plain(value_node, (*loc, key), budget)
        return out
    if node.tag:
        _plain_tag(node, "tag:yaml.org,2002:seq")
    items: list[Any] = []
    for index, item in enumerate(node.value):
        if deeper and item.__class__ is ScalarNode and budget.values < MAX_VALUES:
            budget.values += 1
            items.append(_scalar_value(item, budget))
        else:
            items.append(_plain(item, (*loc, index), budget))
    return items


def _scalar_value(node: ScalarNode, budget: Budget) -> Any:
    """The scalar's value (:func:`_scalar`), a number reported to the budget. The two forms
    most scalars of a data file have are told first: plain text (:func:`plain_kind`'s
    first test) and a plain whole number of up to 15 digits, signed or not (:data:`INT`,
    within the limits: :data:`sireport.data.limits.MAX_MAGNITUDE`)."""
    text = node.value
    if not node.tag and not node.style:
        if text[:1] not in NUMERIC_START:
            if text not in PLAIN_WORDS:
                return text
        else:
            digits = text[1:] if text[0] in "+-" else text
            if digits.isdigit() and digits.isascii() and len(digits) <= _WHOLE_DIGITS and (digits[0] != "0" or digits == "0"):
                return int(text)
    value = _scalar(node)
    if value.__class__ in _NUMBERS:
        budget.number(value)
    return value


_WHOLE_DIGITS = len(str(MAX_MAGNITUDE)) - 1  # a whole number of this many digits is within the limits
_NUMBERS = frozenset((int, Decimal))  # what a scalar is read as that the budget checks (a bool is no number here)


def _plain_tag(node: Any, allowed: str) -> None:
    if node.tag not in ("", "!", allowed):
        raise Refused(f"不支持的 YAML 标签“{shown(node.tag)}”", node.start_mark)


def _pairs(node: MappingNode) -> list[tuple[Any, Any]]:
    """The mapping's key/value pairs with merge keys (``<<``) resolved: own keys first win."""
    for key_node, _ in node.value:
        if key_node.value == "<<":
            break
    else:  # most mappings: no merge key
        return node.value
    own, merged = [], []
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "<<" and key_node.tag in ("", MERGE):
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise Refused("合并键“<<”的值应为键值结构（或其列表）", source.start_mark)
                merged += _pairs(source)
        else:
            own.append((key_node, value_node))
    written = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    seen: set[str] = set()
    for key_node, value_node in merged:
        if key_node.value not in written and key_node.value not in seen:
            seen.add(key_node.value)
            own.append((key_node, value_node))
    return own


_SCANNED = 32  # a mapping of up to this many pairs is searched for a key, a larger one indexed


class NodePositions(Mapping):
    """``line:column`` of every key and list item, read off the node tree only for the few
    places a message names."""

    def __init__(self, root: Any) -> None:
        self._root = root
        self._keys: dict[int, dict[Any, tuple[Any, Any]]] = {}  # id(mapping node) -> key -> (key, value)
        # loc -> (mark, node), None where the file has no such place; the checks ask for the
        # places of many figures of one line or fund, so each step from a parent is taken once
        self._found: dict[tuple, tuple[Any, Any] | None] = {(): (None, root)}

    def __getitem__(self, loc: tuple) -> str:
        found = self._find(tuple(loc))
        if found is None or found[0] is None:
            raise KeyError(loc)
        mark = found[0]
        return f"{mark.line + 1}:{mark.column + 1}"

    def get(self, loc: tuple, default: Any = None) -> Any:  # (Mapping's, without raising for a place not in the file)
        found = self._find(tuple(loc))
        if found is None or found[0] is None:
            return default
        mark = found[0]
        return f"{mark.line + 1}:{mark.column + 1}"

    def _find(self, loc: tuple) -> tuple[Any, Any] | None:
        if loc in self._found:
            return self._found[loc]
        parent = self._find(loc[:-1])
        found = None if parent is None else self._child(parent[1], loc[-1])
        self._found[loc] = found
        return found

    def _child(self, node: Any, key: Any) -> tuple[Any, Any] | None:
        if isinstance(node, MappingNode) and isinstance(key, str):
            if len(node.value) <= _SCANNED:  # most mappings: a few keys, no merge key
                found = None
                for key_node, value_node in node.value:
                    if key_node.value == "<<":
                        break
                    if found is None and key_node.value == key:
                        found = key_node.start_mark, value_node
                else:
                    return found
            pair = self._index(node).get(key)
            return None if pair is None else (pair[0].start_mark, pair[1])
        if isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            item = node.value[key]
            return item.start_mark, item
        return None

    def _index(self, node: MappingNode) -> dict[Any, tuple[Any, Any]]:
        """The pairs of a large mapping or one with merge keys by key (the first pair :func:`_pairs`
        gives for each), built once: a file can ask for the places of all its keys."""
        index = self._keys.get(id(node))
        if index is None:
            index = self._keys[id(node)] = {}
            for key_node, value_node in _pairs(node):
                if key_node.__class__ is ScalarNode:  # (a key that is a list or a mapping is no place's key)
                    index.setdefault(key_node.value, (key_node, value_node))
        return index

    def __iter__(self) -> Iterator[tuple]:
        todo: list[tuple[tuple, Any]] = [((), self._root)]
        while todo:
            loc, node = todo.pop()
            if isinstance(node, MappingNode):
                children = [((*loc, key_node.value), value_node) for key_node, value_node in _pairs(node)]
            elif isinstance(node, SequenceNode):
                children = [((*loc, index), item) for index, item in enumerate(node.value)]
            else:
                continue
            yield from (child for child, _ in children)
            todo += children

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _scalar(node: Any) -> Any:
    text = node.value
    if node.tag:
        kind = SCALAR_TAGS.get(node.tag)
        if kind is None:
            raise Refused(f"不支持的 YAML 标签“{shown(node.tag)}”", node.start_mark)
        if kind == "str":
            return text
        value = _untagged(node)
        wanted = {"number": (int, Decimal), "null": type(None), "bool": bool}[kind]
        if not isinstance(value, wanted) or (kind == "number" and isinstance(value, bool)):
            raise Refused(f"“{shown(text)}”与标签“{node.tag}”不符", node.start_mark)
        return value
    if node.style:  # quoted or block scalar: always text
        return text
    return _untagged(node)


def plain_kind(text: str) -> str:
    """How a plain (unquoted) scalar ``text`` is read: "str", "null", "bool", "int", "float", or
    "doubtful" (refused). The writer (:mod:`sireport.data.save`) quotes text that would not read as "str"."""
    if text[:1] not in NUMERIC_START:  # (_collection takes the same shortcut for "str")
        return "null" if text in NULLS else "bool" if text in BOOLS else "str"
    if INT.fullmatch(text):
        return "int"
    if DECIMAL.fullmatch(text):
        return "float"
    return "doubtful" if DOUBTFUL.fullmatch(text) else "str"


def _untagged(node: Any) -> Any:
    text = node.value
    kind = plain_kind(text)
    if kind == "str":  # most scalars: Chinese text
        return text
    if kind == "doubtful":
        raise Refused(f"无法确定“{shown(text)}”是数字还是文字（前导零、八进制、十六进制、时间或特殊数值的写法"
                      "在不同 YAML 版本中读法不同）：数字请按十进制书写，如 117275；文字请加引号", node.start_mark)
    if kind == "null":
        return None
    if kind == "bool":
        return BOOLS[text]
    try:
        return int(text) if kind == "int" else Decimal(text)
    except (ValueError, ArithmeticError):  # past Python's 4,300 digits, or an exponent Decimal cannot hold
        raise Refused(f"数字“{shown(text)}”的位数或指数过大，无法读取：请按十进制书写，如 117275",
                      node.start_mark) from None
