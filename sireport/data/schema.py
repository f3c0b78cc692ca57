"""The Chinese reference of the data format, generated from the pydantic models.

``docs/数据格式.md`` is this module's output; a test regenerates it and compares, so
the documentation cannot drift from the schema. Regenerate with
``python -m sireport.data.schema > docs/数据格式.md``.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from sireport.data.model import Report

HEADER = """# 数据格式说明

数据文件可以是 YAML（.yaml/.yml）或 JSON（.json），两者结构完全相同；Excel 工作簿读入后也是同一结构。
本文由程序根据数据格式定义自动生成（`python -m sireport.data.schema`），与程序始终一致；
`sireport schema` 输出同一格式的 JSON Schema，可在编辑器中用来校验数据文件。

- 金额默认单位为万元（`report.amount_unit` 可改为元，程序自动换算）。
- 每一行数字可以有 `actual`（本年）、`previous`（上年）、`budget`（预算）；缺少的数不必填写，
  报告中相关的比较（较上年、完成预算）会自动省略，不会出现空白或错误数字。
- 合计、小计、结余可以填写，也可以不填由程序计算；填写时以填写的数为准，并由 `sireport check` 与计算值核对。
- 基金名称用中文，可用常见简称（如“企业养老保险”“职工医保”）。
- 文字部分可以写多段：每行一段。

示例见 `data_examples/` 目录。
"""


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Union or str(origin) == "types.UnionType":
        return " 或 ".join(_type_name(a) for a in args) if args else "空"
    if origin is list:
        return f"列表（{_type_name(args[0])}）" if args else "列表"
    if origin is dict:
        return "键值结构"
    if origin is typing.Literal:
        return "、".join(str(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _type_name(args[0])
    names = {"Decimal": "数字", "int": "整数", "str": "文字", "bool": "是/否（true/false）", "date": "日期"}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return names.get(getattr(annotation, "__name__", ""), str(annotation))


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for field in model.model_fields.values():
            for candidate in _nested(field.annotation):
                visit(candidate)

    visit(root)
    return seen


def _nested(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested(arg)]


def render_markdown(root: type[BaseModel] = Report) -> str:
    lines = [HEADER]
    for model in _models(root):
        lines.append(f"## {model.__name__}\n")
        lines.append((model.__doc__ or "").strip() + "\n")
        lines.append("| 字段 | 类型 | 必填 | 说明 |")
        lines.append("|---|---|---|---|")
        for name, field in model.model_fields.items():
            required = "是" if field.is_required() else ""
            description = (field.description or "").replace("|", "｜")
            lines.append(f"| `{field.alias or name}` | {_type_name(field.annotation)} | {required} | {description} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_markdown(), end="")
