"""Load a data file fast, for batches: a C YAML parser first, positions only when needed.

:func:`sireport.loader.load_report` keeps the line and column of every key (ruamel's
pure-Python round-trip parser), which costs ~25 ms for a county's file. A batch of
thousands of valid files does not need positions, so :func:`load_fast` parses with
libyaml (PyYAML's ``CSafeLoader``) under YAML 1.2 rules (``yes``/``no`` stay text, as in
the normal loader) and validates. Whenever anything is unusual (a syntax error, a
duplicate key, a number written in a rare form, a validation problem) the file is
loaded again by :func:`load_data`, so every message has the same file:line:column as
``sireport render`` gives. Warnings found later (``check``) still get positions: they
are computed on first use.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                         SequenceStartEvent)

from .datakind import is_project_tree, load_data
from .loader import DATA_SUFFIXES, LoadedReport, read_tree
from .locate import Source
from .model import Report

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INTEGER = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# any other number-like or special form (0x.., 0o.., 1_000, 1e3, .5, 010, times, .inf, <<, =)
_RARE = re.compile(r"^[-+]?[0-9.][0-9a-zA-Z_.:+ -]*$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$|^<<$|^=$")


class _Unusual(Exception):
    """The fast path cannot be sure to read this file as the normal loader does."""


def _scalar(event: Any) -> Any:
    """A scalar as the normal loader (YAML 1.2 core schema) reads it."""
    if event.tag is not None or event.anchor is not None:
        raise _Unusual("tag or anchor")
    text = event.value
    if not event.implicit[0]:  # quoted or block: always text
        return text
    if _NULL.match(text):
        return None
    if _BOOLEAN.match(text):
        return text in ("true", "True", "TRUE")
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Decimal(repr(float(text)))  # as loader._plain does with the parser's float
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _Unusual(text) from None
    if _RARE.match(text):
        raise _Unusual(text)
    return text


def _yaml_data(text: str) -> Any:
    """Plain data of a YAML document, built from libyaml's events (no Python constructor)."""
    stack: list[list] = []  # [container, pending key] per open mapping or sequence
    root: Any = None
    for event in yaml.parse(text, Loader=_Parser):
        kind = type(event)
        if kind is ScalarEvent:
            value: Any = _scalar(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None or event.anchor is not None:
                raise _Unusual("tag or anchor")
            stack.append([{} if kind is MappingStartEvent else [], _NO_KEY])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is AliasEvent:
            raise _Unusual("alias")
        else:  # stream and document events
            continue
        if not stack:
            root = value
            continue
        frame = stack[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
        elif frame[1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Unusual("complex key")
            key = str(value)
            if key in container:
                raise _Unusual("duplicate key")
            frame[1] = key
        else:
            container[frame[1]] = value
            frame[1] = _NO_KEY
    return root


_NO_KEY = object()
_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class _LazyPositions(dict):
    """Key positions of a file, parsed (slowly) only if somebody asks for one."""

    def __init__(self, path: Path):
        super().__init__()
        self._path = path
        self._filled = False

    def _fill(self) -> None:
        if not self._filled:
            self._filled = True
            self.update(read_tree(self._path)[1].positions)

    def get(self, key: Any, default: Any = None) -> Any:
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)


def load_fast(path: str | Path) -> LoadedReport:
    """Same result as :func:`sireport.datakind.load_data`, several times faster on valid files."""
    path = Path(path)
    if path.suffix.lower() not in DATA_SUFFIXES:
        return load_data(path)
    try:
        raw = _parse(path)
        if is_project_tree(raw):
            raise _Unusual("a project table file")  # rare in a batch: the normal loader reads it
        report = Report.model_validate(raw)
    except (ValidationError, _Unusual, yaml.YAMLError, ValueError, OSError):
        return load_data(path)  # raises the normal, located DataError (or succeeds)
    return LoadedReport(report, raw, Source(str(path), _LazyPositions(path)))


def _parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return json.loads(text, parse_float=lambda s: Decimal(repr(float(s))), object_pairs_hook=_json_object)
    return _yaml_data(text)


def _json_object(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _Unusual("duplicate key")
    return dict(pairs)
