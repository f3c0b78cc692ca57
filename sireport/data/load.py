"""Read a data file (YAML or JSON, same schema; a workbook through sireport.excel.read)
into a validated :class:`Report` (sireport.data.validate).

Every problem is collected and raised once as a :class:`DataError` whose lines say
where: ``file:line:column`` and the key path. Numbers become ``Decimal`` exactly as
written (never through binary floating point arithmetic).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sireport.data import TEXT_SUFFIXES, WORKBOOK_SUFFIXES, yaml_fast
from sireport.data.locate import Loc, Source
from sireport.data.validate import LoadedReport, validate
from sireport.errors import DataError

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError


def load_report(path: str | Path) -> LoadedReport:
    """Load and validate one YAML/JSON data file; raise DataError listing every problem."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from sireport.excel.read import load_workbook_report  # deferred: only Excel users pay for openpyxl

        return load_workbook_report(path)
    raw, source = read_tree(path)
    return validate(raw, source)


def read_tree(path: Path) -> tuple[Any, Source]:
    """Parse the file into plain Python data and a map of key positions."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise DataError(f"{path}：不支持的文件类型“{path.suffix}”，请使用 .yaml、.yml、.json 或 .xlsx 文件")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}：找不到数据文件") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}：文件不是 UTF-8 编码（第 {exc.start} 字节），请用 UTF-8 另存") from None
    except OSError as exc:
        raise DataError(f"{path}：无法读取数据文件（{exc.strerror}）") from None
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{exc.lineno}:{exc.colno}：JSON 格式错误（{_json_reason(exc.msg)}）") from None
    fast = yaml_fast.plain_tree(text)  # libyaml when it reads the file the same way
    if fast is not yaml_fast.UNSUPPORTED:
        raw, positions = fast
        return raw, Source(str(path), positions)
    source = Source(str(path))
    from ruamel.yaml import YAML  # only files libyaml does not read the same way pay for ruamel
    from ruamel.yaml.error import MarkedYAMLError

    try:
        tree = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise DataError(f"{where}：格式错误（{_yaml_reason(exc)}）") from None
    except Exception as exc:  # ruamel raises several unrelated classes for bad input
        raise DataError(f"{path}：格式错误（{exc}）") from None
    raw = _plain(tree, (), source.positions)
    return raw, source


def _plain(node: Any, loc: Loc, positions: dict) -> Any:
    """Copy a ruamel tree into dicts/lists/Decimal, recording line:column of every key."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            child = (*loc, str(key))
            line, col = node.lc.key(key)
            positions[child] = f"{line + 1}:{col + 1}"
            out[str(key)] = _plain(value, child, positions)
        return out
    if isinstance(node, list):
        out_list = []
        for index, value in enumerate(node):
            child = (*loc, index)
            line, col = node.lc.item(index)
            positions[child] = f"{line + 1}:{col + 1}"
            out_list.append(_plain(value, child, positions))
        return out_list
    if isinstance(node, float):
        return _written_decimal(node)
    if isinstance(node, str):
        return str(node)
    return node


def _written_decimal(node: float) -> Decimal:
    """The number as written, trailing zeros included: ``92.80`` stays two decimals.

    The decimals a figure is written with are its displayed precision, which ``check``
    uses as the tolerance of a stated rate; binary floats would drop the trailing zero.
    """
    value = Decimal(repr(float(node)))
    width, dot = getattr(node, "_width", None), getattr(node, "_prec", None)
    if getattr(node, "_exp", None) or width is None or dot is None or not value.is_finite():
        return value
    places = width - dot - 1
    if places > -value.as_tuple().exponent:
        value = value.quantize(Decimal(1).scaleb(-places))
    return value


def _json_reason(msg: str) -> str:
    table = {
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Expecting value": "缺少值或多了逗号",
        "Expecting property name enclosed in double quotes": "键名须用英文双引号括起，或多了逗号",
        "Unterminated string starting at": "引号没有闭合",
        "Extra data": "多余的内容",
        "Invalid control character at": "字符串中有不允许的控制字符",
    }
    return table.get(msg, msg)


def _yaml_reason(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    table = {
        "mapping values are not allowed here": "此处不能出现冒号“:”（可能缺少空格或缩进不对）",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "不能用制表符缩进，请用空格",
        "expected <block end>, but found '<block sequence start>'": "缩进不一致",
        "found duplicate key": "键重复",
    }
    for english, chinese in table.items():
        if problem.startswith(english.split(" with")[0]):
            return chinese
    if problem.startswith("expected <block end>") or "block mapping" in problem:
        return "缩进不一致，请检查这一行与上一层的对齐"
    if "duplicate key" in str(exc):
        return "键重复"
    if "found undefined alias" in problem:
        return "引用了未定义的别名"
    context = (exc.context or "").strip()
    if "quoted scalar" in context:
        start = exc.context_mark
        begun = f"（第 {start.line + 1} 行第 {start.column + 1} 列开始的引号）" if start is not None else ""
        return f"引号没有闭合{begun}"
    if problem.startswith("expected ',' or '}'") or "flow mapping" in context:
        return "花括号 { } 没有闭合，或缺少逗号"
    if problem.startswith("expected ',' or ']'") or "flow sequence" in context:
        return "方括号 [ ] 没有闭合，或缺少逗号"
    return "写法有误，请检查这一行和上一行的缩进、冒号“:”和引号"
