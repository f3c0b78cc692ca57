"""Write a report's data as a file: YAML, JSON or the Excel entry workbook, by suffix.

YAML keeps Chinese readable (no escapes), short entries on one line like the shipped
examples and multi-line text as ``|`` blocks; JSON is written with ``ensure_ascii=False``.
Amounts are written as numbers exactly as the Decimal holds them (integers stay integers);
text that :mod:`sireport.data.yaml_fast` would read as something else ("true", "1e3", "12:30")
is quoted, so every value reads back as written. libyaml writes the text (fast enough for
thousands of synthetic counties); lists are then indented under their key as in the examples.
Fields equal to their default are left out, so the file holds what the clerk entered.
A written YAML file opens with the ``yaml-language-server`` line that points editors (VS
Code's YAML extension) at the JSON Schema, so that they check the file while it is edited.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from sireport.data import TEXT_SUFFIXES
from sireport.data.load import load_report
from sireport.data.model import Report
from sireport.data.schema import SCHEMA_FILE
from sireport.data.yaml_fast import plain_kind
from sireport.errors import DataError
from sireport.files import refuse_existing, write_atomic

SUFFIXES = TEXT_SUFFIXES | {".xlsx"}  # written; a .xlsm (macros) is read, never written
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE.as_uri()}\n"
_NO_FOLDING = 2**30  # a long text stays on its line (libyaml and its pure-Python twin alike)
FLOW_WIDTH = 110  # entries shorter than this (as text) are written on one line


def plain(report: Report) -> dict:
    """The report as plain data without defaults; ``name`` first in every entry."""
    return _name_first(report.model_dump(exclude_defaults=True, by_alias=True))


def _name_first(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k != "name")
        return {k: _name_first(value[k]) for k in keys}
    if isinstance(value, list):
        return [_name_first(v) for v in value]
    return value


def _number(value: Decimal) -> Any:
    return int(value) if value == value.to_integral_value() else value


def yaml_text(data: dict, header: str = "") -> str:
    """``data`` as YAML in the shipped examples' layout, opened by the schema line and ``header``
    as comments; every scalar reads back (:mod:`sireport.data.yaml_fast`) as the value written."""
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + "\n" if header else ""
    body = yaml.dump(_styled(data, 0), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=_NO_FOLDING, indent=2)
    return SCHEMA_LINE + comments + _indent_lists(body)


class _Flow(dict):
    """A short flat mapping, written on one line: ``{name: 保费收入, actual: 117275}``."""


class _Block(str):
    """Text of several lines, written as a ``|`` block."""


class _Null:
    """None in a one-line mapping: written ``null`` (an empty value cannot stand there)."""


def _styled(value: Any, depth: int) -> Any:
    if isinstance(value, dict):
        out = {k: _styled(v, depth + 1) for k, v in value.items()}
        if depth >= 2 and value and _is_flat(value) and _width(str(value)) < FLOW_WIDTH:
            return _Flow({k: _Null() if v is None else v for k, v in out.items()})
        return out
    if isinstance(value, list):
        return [_styled(v, depth + 1) for v in value]
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, str) and "\n" in value:
        return _Block(value)
    return value


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter; a plain scalar's type is decided the way our reader decides it."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode and implicit[0]:
            if super().resolve(kind, value, implicit) == _TIMESTAMP:
                return _TIMESTAMP  # a date is written plain; text that looks like one, quoted (as editors read it)
            return _TAGS[plain_kind(value)]
        return super().resolve(kind, value, implicit)


_TAGS = {kind: f"tag:yaml.org,2002:{kind}" for kind in ("str", "null", "bool", "int", "float")}
_TAGS["doubtful"] = "!doubtful"  # never a tag written: such text is always quoted
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Dumper.add_representer(_Flow, lambda rep, d: rep.represent_mapping("tag:yaml.org,2002:map", d, flow_style=True))
_Dumper.add_representer(_Block, lambda rep, d: rep.represent_scalar(_TAGS["str"], str(d), style="|"))
_Dumper.add_representer(Decimal, lambda rep, d: rep.represent_scalar(_TAGS["float"], format(d, "f")))
_Dumper.add_representer(type(None), lambda rep, _: rep.represent_scalar(_TAGS["null"], ""))
_Dumper.add_representer(_Null, lambda rep, _: rep.represent_scalar(_TAGS["null"], "null"))
_Dumper.add_representer(dt.date, lambda rep, d: rep.represent_scalar(_TIMESTAMP, d.isoformat()))


def _indent_lists(text: str) -> str:
    """Indent each list under a key by two more than the key, as the shipped examples do
    (libyaml writes ``funds:`` / ``- name: …`` at one column): every line inside such a list
    moves two columns right per enclosing list; a ``|`` block's text moves with its key."""
    out, lists = [], []  # lists: the column of each list being moved that encloses this line
    block = None  # while inside a | block: the column its text is deeper than
    previous_key, previous_open = -1, False  # key column of the last line; whether it ended with "key:"
    for line in text.split("\n"):
        rest = line.lstrip(" ")
        column = len(line) - len(rest)
        if block is not None and (not rest or column > block):
            out.append(" " * 2 * len(lists) + line if rest else line)
            continue
        block = None
        item = rest == "-" or rest.startswith("- ")
        while lists and (column < lists[-1] or (column == lists[-1] and not item)):
            lists.pop()
        if item and previous_open and column == previous_key and (not lists or lists[-1] != column):
            lists.append(column)
        out.append(" " * 2 * len(lists) + line if rest else line)
        body = rest
        while body == "-" or body.startswith("- "):  # "- - a": the item marks before what the line holds
            body = body[2:]
        key = column + len(rest) - len(body)
        previous_key, previous_open = key, body.endswith(":")
        if _BLOCK_START.search(body):
            block = key - 2 if _BLOCK_START.match(body) and item else key
    return "\n".join(out)


_BLOCK_START = re.compile(r"(?:^|: )[|>][-+0-9]*$")


def _width(text: str) -> int:
    """Display width: Chinese characters take two columns."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _is_flat(value: dict) -> bool:
    return all(not isinstance(v, (dict, list)) and not (isinstance(v, str) and "\n" in v) for v in value.values())


def json_text(data: dict) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, Decimal):
            number = _number(value)
            return number if isinstance(number, int) else float(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=encode) + "\n"


def write_data(report: Report, path: str | Path, force: bool = False, header: str = "") -> Path:
    """Write ``report`` to ``path`` as YAML, JSON or XLSX (by suffix); never over an existing
    file unless ``force``; atomically (no half-written file)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{path}：不支持的输出类型“{path.suffix}”，请使用 .yaml、.yml、.json 或 .xlsx")
    refuse_existing(path, force)
    if suffix == ".xlsx":
        from sireport.excel.write import workbook_bytes  # deferred: only Excel output pays for openpyxl

        data = workbook_bytes([report])
    elif suffix == ".json":
        data = json_text(plain(report)).encode("utf-8")
    else:
        data = yaml_text(plain(report), header).encode("utf-8")
    return write_atomic(path, data, force=True)


def convert_file(source: str | Path, target: str | Path, force: bool = False) -> Path:
    """Convert a data file between YAML, JSON and the Excel entry workbook, without loss.
    The source is validated first: a file with errors is not converted."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        raise DataError(f"{target}：输出文件与输入文件相同")
    report = load_report(source).report
    return write_data(report, target, force, f"{report.report.unit} {report.report.year} 年度数据文件"
                                               f"（由 sireport convert 从 {source.name} 转换）")
