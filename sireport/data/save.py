"""Write a report's data as a file: YAML, JSON or the Excel entry workbook, by suffix.

YAML keeps Chinese readable (no escapes), short entries on one line like the shipped
examples and multi-line text as ``|`` blocks; JSON is written with ``ensure_ascii=False``.
Amounts are written as numbers exactly as the Decimal holds them (integers stay integers).
Fields equal to their default are left out, so the file holds what the clerk entered.
A written YAML file opens with the ``yaml-language-server`` line that points editors (VS
Code's YAML extension) at the JSON Schema, so that they check the file while it is edited.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from sireport.data import TEXT_SUFFIXES
from sireport.data.load import load_report
from sireport.data.model import Report
from sireport.data.schema import SCHEMA_FILE
from sireport.errors import DataError
from sireport.files import refuse_existing, write_atomic

SUFFIXES = TEXT_SUFFIXES | {".xlsx"}  # written; a .xlsm (macros) is read, never written
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE.as_uri()}\n"
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
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        Decimal, lambda rep, d: rep.represent_scalar("tag:yaml.org,2002:float", format(d, "f")))
    stream = io.StringIO()
    stream.write(SCHEMA_LINE)
    if header:
        stream.write("".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + "\n")
    yaml.dump(_commented(data, 0), stream)
    return stream.getvalue()


def _commented(value: Any, depth: int) -> Any:
    if isinstance(value, dict):
        out = CommentedMap((k, _commented(v, depth + 1)) for k, v in value.items())
        if depth >= 2 and value and _is_flat(value) and _width(str(value)) < FLOW_WIDTH:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        return CommentedSeq(_commented(v, depth + 1) for v in value)
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


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
