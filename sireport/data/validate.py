"""Validate plain data against the schema and say where each problem is.

Every problem is collected and raised once as a :class:`DataError` whose lines say
where: ``file:line:column`` (or ``sheet!cell``) and the key path. Used by the YAML/JSON
loader (sireport.data.load) and the workbook reader (sireport.excel.read).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

from sireport.data.labels import field_label
from sireport.data.limits import inspect, shown
from sireport.data.locate import Loc, Source, key_path
from sireport.data.model import Report, fund_names_hint
from sireport.errors import DataError, Located, Problem


@dataclass
class LoadedReport:
    """A validated report plus what is needed to point back into its source."""

    report: Report
    raw: Any
    source: Source

    def where(self, loc: Loc) -> Located:
        """The place of ``loc`` in the source, knowing its key path (see :class:`Located`)."""
        return Located(self.source.where(loc), key_path(self.raw, loc))


def validate(raw: Any, source: Source, root: type[BaseModel] = Report) -> LoadedReport:
    """Validate plain data against the schema (``root``: Report, or ProjectFile for a
    stand-alone project table); report every problem at once."""
    if not isinstance(raw, dict):
        raise DataError(f"{source.name}：数据文件应为键值结构（以 report: 和 funds: 开头），实际为空或不是键值结构")
    beyond = inspect(raw, source)  # control characters, huge numbers, endless text: before the schema
    if beyond:
        raise DataError(f"{source.name}：数据有 {len(beyond)} 处问题，未生成报告", beyond)
    try:
        report = root.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem(raw, source, err, root) for err in exc.errors()]
        raise DataError(f"{source.name}：数据有 {len(problems)} 处问题，未生成报告", problems) from None
    return LoadedReport(report, raw, source)


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
    "figure_type": "应为数字，或照原文带单位的数字（如 1.19亿元、99.17%）",
    "figure_parsing": "应为数字，或照原文带单位的数字（如 1.19亿元、99.17%）",
}


def _problem(raw: Any, source: Source, err: dict, root: type[BaseModel] = Report) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    found = err.get("input")
    where = Located(source.where(loc), key_path(raw, loc))
    if kind == "extra_forbidden":
        return Problem(where, f"未知字段“{loc[-1]}”{_did_you_mean(loc, root)}")
    if kind == "value_error":
        return Problem(where, _value_error(str(err.get("ctx", {}).get("error", err["msg"])), found))
    if kind == "literal_error":
        return Problem(where, f"只能是 {err['ctx']['expected']}，实际为“{shown(str(found))}”")
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound = err["ctx"].get("ge", err["ctx"].get("le"))
        word = "不能小于" if kind == "greater_than_equal" else "不能大于"
        return Problem(where, f"{word} {bound}，实际为“{shown(str(found))}”")
    if kind == "missing":
        return Problem(where, f"{_MESSAGES[kind]}{_field_named(root, loc)}")
    message = _MESSAGES.get(kind, f"取值无效（{err['msg']}）")
    if found is not None and not isinstance(found, (dict, list)):
        message += f"，实际为“{shown(str(found))}”"
    return Problem(where, message)


def _field_named(root: type[BaseModel], loc: Loc) -> str:
    """“报告年度”（year）: the missing field by its Chinese name, and the key a data file writes."""
    model, key = _model_at(root, loc[:-1]), loc[-1] if loc else ""
    info = model.model_fields.get(key) if model is not None and isinstance(key, str) else None
    if info is None:
        return ""
    return f"“{field_label(info.description or key)}”（{key}）"


def _value_error(code: str, found: Any) -> str:
    if code.endswith("unknown_fund"):
        return f"未知的基金名称“{found}”。可用的名称：{fund_names_hint()}"
    if code.startswith("people_whole:"):
        return f"单位为“{code.split(':', 1)[1]}”的人数应为整数（单位为万人、万名等时才可写小数），实际为“{found}”"
    if code.startswith("unit:"):
        _, unit, allowed = code.split(":", 2)
        return f"单位“{unit}”不能用在这里，只能是 {allowed}"
    if code.startswith("duplicate_fund:"):
        _, name, first = code.split(":", 2)
        return f"基金“{name}”与“{first}”是同一项基金，重复填写"
    if code.endswith("bool_not_number"):
        return f"应为数字，不能是“{found}”（真/假）"
    if code.endswith("number_not_date"):
        return f"应为日期，如 2020-09-10，不能是数字“{shown(str(found))}”"
    if code.endswith("achieved_text"):
        return f"完成值“{shown(str(found))}”中没有数字，无法与目标比较；可写为 99、99%以上、不超过20个工作日"
    return f"取值无效（{shown(code)}）"


def _did_you_mean(loc: Loc, root: type[BaseModel]) -> str:
    model = _model_at(root, loc[:-1])
    if model is None:
        return ""
    close = get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f"，是否应为“{close[0]}”？" if close else f"。此处可用的字段：{'、'.join(model.model_fields)}"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``loc``."""
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
