"""Read a data file (YAML or JSON, same schema) into a validated :class:`Report`.

Every problem is collected and raised once as a :class:`DataError` whose lines say
where: ``file:line:column`` and the key path. Numbers become ``Decimal`` exactly as
written (never through binary floating point arithmetic).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sireport.data import yaml_fast
from sireport.errors import DataError, Problem
from sireport.data.locate import Loc, Source, key_path
from sireport.data.model import Report, fund_names_hint

DATA_SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass
class LoadedReport:
    """A validated report plus what is needed to point back into its source."""

    report: Report
    raw: Any
    source: Source

    def where(self, loc: Loc) -> str:
        return f"{self.source.where(loc)}（{key_path(self.raw, loc)}）"


def load_report(path: str | Path) -> LoadedReport:
    """Load and validate one YAML/JSON data file; raise DataError listing every problem."""
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from sireport.excel.read import load_workbook_report  # only Excel users pay for openpyxl

        return load_workbook_report(path)
    raw, source = read_tree(path)
    return validate(raw, source)


def read_tree(path: Path) -> tuple[Any, Source]:
    """Parse the file into plain Python data and a map of key positions."""
    if path.suffix.lower() not in DATA_SUFFIXES:
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
        raise DataError(f"{where}：YAML 格式错误（{_yaml_reason(exc)}）") from None
    except Exception as exc:  # ruamel raises several unrelated classes for bad input
        raise DataError(f"{path}：YAML 格式错误（{exc}）") from None
    raw = _plain(tree, (), source.positions)
    return raw, source


def validate(raw: Any, source: Source, root: type[BaseModel] = Report) -> LoadedReport:
    """Validate plain data against the schema (``root``: Report, or ProjectFile for a
    stand-alone project table); report every problem at once."""
    if not isinstance(raw, dict):
        raise DataError(f"{source.name}：数据文件应为键值结构（以 report: 和 funds: 开头），实际为空或不是键值结构")
    try:
        report = root.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem(raw, source, err, root) for err in exc.errors()]
        raise DataError(f"{source.name}：数据有 {len(problems)} 处问题，未生成报告", problems) from None
    return LoadedReport(report, raw, source)


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


_MESSAGES = {
    "missing": "缺少必填字段",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false（是/否）",
    "bool_type": "应为 true 或 false（是/否）",
    "string_type": "应为文字",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值结构",
    "model_type": "应为键值结构",
    "model_attributes_type": "应为键值结构",
    "date_from_datetime_parsing": "应为日期，如 2020-09-10",
    "date_parsing": "应为日期，如 2020-09-10",
    "date_type": "应为日期，如 2020-09-10",
    "too_short": "至少需要一项",
    "finite_number": "应为有限的数字",
}


def _problem(raw: Any, source: Source, err: dict, root: type[BaseModel] = Report) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    found = err.get("input")
    where = f"{source.where(loc)}（{key_path(raw, loc)}）"
    if kind == "extra_forbidden":
        return Problem(where, f"未知字段“{loc[-1]}”{_did_you_mean(loc, root)}")
    if kind == "value_error":
        return Problem(where, _value_error(str(err.get("ctx", {}).get("error", err["msg"])), found))
    if kind == "literal_error":
        return Problem(where, f"只能是 {err['ctx']['expected']}，实际为“{found}”")
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound = err["ctx"].get("ge", err["ctx"].get("le"))
        word = "不能小于" if kind == "greater_than_equal" else "不能大于"
        return Problem(where, f"{word} {bound}，实际为“{found}”")
    message = _MESSAGES.get(kind, f"取值无效（{err['msg']}）")
    if kind != "missing" and found is not None and not isinstance(found, (dict, list)):
        message += f"，实际为“{found}”"
    return Problem(where, message)


def _value_error(code: str, found: Any) -> str:
    if code.endswith("unknown_fund"):
        return f"未知的基金名称“{found}”。可用的名称：{fund_names_hint()}"
    if code.startswith("duplicate_fund:"):
        _, name, first = code.split(":", 2)
        return f"基金“{name}”与“{first}”是同一项基金，重复填写"
    return f"取值无效（{code}）"


def _did_you_mean(loc: Loc, root: type[BaseModel]) -> str:
    model = _model_at(root, loc[:-1])
    if model is None:
        return ""
    close = get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f"，是否应为“{close[0]}”？" if close else f"。此处可用的字段：{'、'.join(model.model_fields)}"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``loc``."""
    import typing

    current: Any = model
    for key in loc:
        if isinstance(key, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or key not in current.model_fields:
            return None
        annotation = current.model_fields[key].annotation
        current = _unwrap(annotation, typing)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, typing: Any) -> Any:
    for arg in (*typing.get_args(annotation), annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = typing.get_args(arg)
        for sub in inner:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return annotation


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
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请用空格",
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
    return f"{problem or exc.context}（YAML 解析器原文）"
