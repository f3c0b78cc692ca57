"""Load a data file fast, for batches: a C YAML parser first, positions only when needed.

:func:`sireport.loader.load_report` keeps the line and column of every key (ruamel's
pure-Python round-trip parser), which costs ~25 ms for a county's file. A batch of
thousands of valid files does not need positions, so :func:`load_fast` parses with
libyaml (PyYAML's ``CSafeLoader``) under YAML 1.2 rules (``yes``/``no`` stay text, as in
the normal loader) and validates. Whenever anything is unusual (a syntax error, a
duplicate key, a number written in a rare form, a validation problem) the file is
loaded again by :func:`load_report`, so every message has the same file:line:column as
``sireport render`` gives. Warnings found later (``check``) still get positions: they
are computed on first use.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .loader import DATA_SUFFIXES, LoadedReport, load_report, read_tree
from .locate import Source
from .model import Report

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_RARE = "tag:sireport,2024:rare-number"


class _Unusual(Exception):
    """The fast path cannot be sure to read this file as the normal loader does."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml with YAML 1.2 scalars: only true/false are booleans; plain decimal numbers."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in {_BOOL, _INT, _FLOAT}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$"), list("-+0123456789"))
# any other number form (0x.., 0o.., 1_000, 1e3, .5, 010, .inf) goes to the normal loader
_Loader.add_implicit_resolver(_RARE, re.compile(r"^[-+]?[0-9.][0-9a-fA-FxXoObB_.:eE+-]*$|^[-+]?\.(?:inf|Inf|INF)$"
                                                r"|^\.(?:nan|NaN|NAN)$"), list("-+0123456789."))


def _rare(loader: Any, node: Any) -> Any:
    raise _Unusual(node.value)


def _mapping(loader: Any, node: Any, deep: bool = False) -> dict:
    keys = [loader.construct_object(key, deep=True) for key, _ in node.value]
    if len({str(key) for key in keys}) != len(keys):
        raise _Unusual("duplicate key")
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(_RARE, _rare)
_Loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(repr(float(node.value))))
_Loader.construct_mapping = _mapping  # type: ignore[method-assign]


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
    """Same result as :func:`sireport.loader.load_report`, several times faster on valid files."""
    path = Path(path)
    if path.suffix.lower() not in DATA_SUFFIXES:
        return load_report(path)
    try:
        raw = _parse(path)
        report = Report.model_validate(raw)
    except (ValidationError, _Unusual, yaml.YAMLError, ValueError, OSError):
        return load_report(path)  # raises the normal, located DataError (or succeeds)
    return LoadedReport(report, raw, Source(str(path), _LazyPositions(path)))


def _parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return json.loads(text, parse_float=lambda s: Decimal(repr(float(s))), object_pairs_hook=_json_object)
    return _plain(yaml.load(text, Loader=_Loader))


def _json_object(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _Unusual("duplicate key")
    return dict(pairs)


def _plain(node: Any) -> Any:
    """Keys as text, as the normal loader gives them."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node
