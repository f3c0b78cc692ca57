"""Limits on what a data file can ask, and text that Word can hold.

A data file is untrusted: it may be broken by accident or built to hurt. Before the
schema sees it, the plain data (from YAML, JSON or a workbook) is walked once:

- size: at most :data:`MAX_VALUES` values after YAML aliases (``*name``) are expanded, and
  at most :data:`MAX_DEPTH` levels of nesting (:class:`Budget`, used while the tree is built,
  so that ten levels of ten aliases stop at the limit instead of filling the memory);
- text: at most :data:`MAX_TEXT` characters in a field; no control characters other than
  tab and line breaks, no Unicode non-characters and no lone surrogates (Word cannot open
  a document holding them); a surrogate pair written as two ``\\u`` escapes (as
  ``json.dumps`` writes 𠮷) is joined into its character;
- numbers: finite, below :data:`MAX_MAGNITUDE` in size (10¹⁵ 万元 is far beyond any fund)
  and with at most :data:`MAX_PLACES` decimal places.

Each problem says where it is (``file:line:column`` or ``sheet!cell``, and the key path);
a value is quoted only in part (:func:`shown`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sireport.data.locate import Loc, Source, key_path
from sireport.errors import DataError, Problem

MAX_BYTES = 10_000_000  # a data file (a real one is a few kilobytes)
MAX_VALUES = 100_000  # values in one file, aliases expanded (a real unit has under a thousand)
MAX_DEPTH = 24  # nesting levels (the schema needs six)
MAX_TEXT = 50_000  # characters in one text field
MAX_MAGNITUDE = Decimal(10) ** 15
_MAX_WHOLE = int(MAX_MAGNITUDE)  # (an int compared with an int: ~3x faster than with a Decimal)
MAX_PLACES = 10
SHOWN = 40  # characters of a bad value quoted in a message

# C0 controls but tab, line feed and carriage return; surrogates; the non-characters
_BMP_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_FORBIDDEN = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
# (any character beyond the BMP, then looked back at: a class listing the 32 astral ones is ~10x slower to search)
_FORBIDDEN = re.compile(f"[{_BMP_FORBIDDEN}\U00010000-\U0010ffff](?<=[{_BMP_FORBIDDEN}{_ASTRAL_FORBIDDEN}])")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


class LimitExceeded(Exception):
    """Raised while a tree is built (:class:`Budget`): the caller adds the file's name."""

    def __init__(self, message: str, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message, self.loc = message, loc
        self.position: str | None = None  # "line:column", where the reader knows it


class Budget:
    """Counts the values of a tree as it is built; raises :class:`LimitExceeded` past a limit.

    It also notes whether :func:`inspect` could find anything (``in_bounds``), so that a tree
    read from a plain source is not walked a second time: a source ``text`` holding no
    forbidden character and no escape (``\\``), and no longer than one text field may be,
    cannot give a text out of bounds; the reader reports each number it makes (:meth:`number`).
    """

    def __init__(self, text: str | None = None) -> None:
        self.values = 0
        self.in_bounds = (text is not None and len(text) <= MAX_TEXT and "\\" not in text
                          and _FORBIDDEN.search(text) is None)

    def spend(self, loc: Loc) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise LimitExceeded(f"数据过大：超过 {MAX_VALUES:,} 个值（可能是 YAML 别名“*”层层展开），未读取", loc)
        if len(loc) > MAX_DEPTH:
            raise LimitExceeded(f"嵌套层数过多（超过 {MAX_DEPTH} 层，或 YAML 别名“*”引用了包含它自身的内容），未读取", loc)

    def number(self, value: int | Decimal) -> None:
        """A number of the tree (an int or a Decimal, not a bool), as the reader makes it."""
        if self.in_bounds and not _number_in_bounds(value):
            self.in_bounds = False


def check_size(name: str, size: int) -> None:
    """Refuse a data file larger than :data:`MAX_BYTES` before reading it."""
    if size > MAX_BYTES:
        raise DataError(f"{name}：文件过大（{size:,} 字节，上限 {MAX_BYTES:,} 字节），不是正常的数据文件，未读取")


def inspect(raw: Any, source: Source) -> list[Problem]:
    """Join escaped surrogate pairs in ``raw`` (in place) and list every text or number out of
    bounds (none when the reader found every value in bounds: ``source.in_bounds``, :class:`Budget`)."""
    if source.in_bounds:
        return []
    problems: list[Problem] = []
    todo: list[tuple[Loc, Any]] = [((), raw)]
    while todo:
        loc, node = todo.pop()
        if isinstance(node, dict):
            for key in list(node):
                if isinstance(key, str) and _FORBIDDEN.search(key):
                    problems.append(_problem(raw, source, (*loc, key), _bad_character(key, "键名")))
                _inspect_value(node, key, loc, todo, problems, raw, source)
        elif isinstance(node, list):
            for index in range(len(node)):
                _inspect_value(node, index, loc, todo, problems, raw, source)
        else:  # a lone value at the top
            message = _text_problem(node) if isinstance(node, str) else _number_problem(node)
            if message:
                problems.append(_problem(raw, source, loc, message))
    return sorted(problems, key=lambda p: p.where)


_PLAIN = (type(None), bool)


def _inspect_value(parent: Any, key: Any, loc: Loc, todo: list, problems: list[Problem], raw: Any,
                   source: Source) -> None:
    """Check ``parent[key]`` (a text or a number; a mapping or a list goes on ``todo``). Most
    values are in bounds: they are told apart in a few comparisons, and their place is only
    worked out for a problem."""
    value = parent[key]
    kind = type(value)
    if kind is str:
        if _FORBIDDEN.search(value):  # (surrogates included: an escaped pair is joined first)
            parent[key] = value = _joined(value)
            message = _text_problem(value)
        elif len(value) > MAX_TEXT:
            message = _text_problem(value)
        else:
            return
    elif kind is int or kind is Decimal:
        if _number_in_bounds(value):
            return
        message = _number_problem(value)
    elif isinstance(value, (dict, list)):
        todo.append(((*loc, key), value))
        return
    elif kind in _PLAIN:
        return
    else:
        message = _text_problem(value) if isinstance(value, str) else _number_problem(value)
    if message:
        problems.append(_problem(raw, source, (*loc, key), message))


def _number_in_bounds(value: int | Decimal) -> bool:
    """The quick test of an int or a Decimal (:func:`_number_problem` words one that fails it)."""
    if value.__class__ is int:
        return -_MAX_WHOLE < value < _MAX_WHOLE
    return value.is_finite() and -MAX_MAGNITUDE < value < MAX_MAGNITUDE and value.as_tuple().exponent >= -MAX_PLACES


def _joined(text: str) -> str:
    if max(text, default="") >= "\ud800" and _PAIR.search(text):
        return _PAIR.sub(lambda m: m.group().encode("utf-16", "surrogatepass").decode("utf-16"), text)
    return text


def _text_problem(text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return f"文字过长（{len(text):,} 个字符，上限 {MAX_TEXT:,}）"
    return _bad_character(text, "文字") if _FORBIDDEN.search(text) else None


def _bad_character(text: str, what: str) -> str:
    match = _FORBIDDEN.search(text)
    assert match is not None
    code = ord(match.group())
    kind = "不成对的代理字符" if 0xD800 <= code <= 0xDFFF else "控制字符" if code < 0x20 else "非字符"
    return (f"{what}中含有 Word 无法保存的{kind} U+{code:04X}（第 {match.start() + 1} 个字符，"
            f"在“{shown(text[:match.start()])}”之后），请删除")


def _number_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    number = Decimal(value)
    if not number.is_finite():
        return f"应为有限的数字，实际为“{shown(str(value))}”"
    if abs(number) >= MAX_MAGNITUDE:
        return f"数字过大（“{shown(str(value))}”），绝对值应小于 10¹⁵"
    if -number.as_tuple().exponent > MAX_PLACES and number != number.quantize(Decimal(1).scaleb(-MAX_PLACES)):
        return f"小数位数过多（“{shown(str(value))}”），最多 {MAX_PLACES} 位"
    return None


def _problem(raw: Any, source: Source, loc: Loc, message: str) -> Problem:
    return Problem(f"{source.where(loc)}（{key_path(raw, loc)}）", message)


def shown(text: str) -> str:
    """``text`` as quoted in a message: at most :data:`SHOWN` characters, invisible ones escaped."""
    text = _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= SHOWN else text[:SHOWN] + f"……（共 {len(text):,} 个字符）"
