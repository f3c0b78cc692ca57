"""The data format as JSON Schema and as a Chinese reference, both generated from the
pydantic models the loader validates with, so that neither can drift from the loader.

:func:`json_schema` is what ``sireport schema`` prints: one schema for every kind of data
file (a fund report, or a 项目支出绩效自评表 whose root key is ``project:``).
``docs/数据格式.md`` is :func:`render_markdown`'s output; a test regenerates it and
compares. Regenerate with ``python -m sireport.data.schema > docs/数据格式.md``.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from sireport.data.evaluation_model import ProjectFile
from sireport.data.model import Report
from sireport.data.types import NUMBER_TEXT

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = Path(__file__).with_name("sireport.schema.json")  # the shipped copy editors point at

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

## 在编辑器中校验数据文件

`sireport schema` 输出数据文件的 JSON Schema（Draft 2020-12）：报告数据文件和根键为 `project:` 的
项目支出绩效自评表都在其中，由根键区分。它由程序读取数据时所用的同一套定义生成，编辑器认为有错的，
`sireport` 读取时也一定报错，并指出同一个字段。

- **VS Code**：安装 Red Hat 的 YAML 扩展（`redhat.vscode-yaml`）。`sireport init --from` 和
  `sireport convert` 写出的 YAML 文件第一行是
  `# yaml-language-server: $schema=file:///…/sireport/data/sireport.schema.json`，
  扩展据此在输入时提示字段说明、补全字段名，并用红色波浪线标出错误（如金额写成了文字、字段名拼错）。
- 自己新建的 YAML 文件：把上面这一行复制到文件第一行；或运行 `sireport schema > sireport.schema.json`，
  在第一行写 `# yaml-language-server: $schema=./sireport.schema.json`（路径相对于数据文件）。
- JSON 数据文件：在 VS Code 设置 `json.schemas` 中把 `sireport.schema.json` 关联到数据文件（`fileMatch`）。
- 其他工具：任何支持 JSON Schema 的校验器都可以使用，如 `python -m jsonschema`、`check-jsonschema`。

## 格式错误的说明

YAML 写错时，`check`、`render`、`batch` 指出“文件:行:列”并用中文说明，例如：

| 写成 | 说明 |
|---|---|
| 用 Tab 键缩进 | 不能用制表符缩进，请用空格 |
| `unit 甲`（漏了冒号） | 缺少冒号“:” |
| `unit: "甲`（引号只有一半） | 引号没有闭合（第 2 行第 9 列开始的引号） |
| 一行比上一行多缩进了几格 | 缩进不对：这一行比上一行多缩进了 1 个空格；同一层的键要左对齐 |
| 一行比上一层少缩进了几格 | 缩进不一致，请检查这一行与上一层的对齐 |
| `unit: 甲: 乙` | 值中有“: ”（冒号加空格）：这样的值要用引号括起来 |
| `"甲\\乙"` | 双引号中的反斜杠“\\”后面不是有效的转义字符 |
| `{unit: 甲`、`[1, 2` | 花括号 { } / 方括号 [ ] 没有闭合 |

加 `--verbose` 时另列 YAML 解析器的原始英文信息，供技术人员排查。
"""


class _LoaderSchema(GenerateJsonSchema):
    """pydantic's JSON Schema, narrowed to what the loader reads: amounts written as text
    must be numbers (pydantic says only "a string")."""

    def get_decimal_pattern(self, schema: Any) -> str:
        return NUMBER_TEXT


def json_schema() -> dict:
    """The JSON Schema (Draft 2020-12) of every data file: ``project:`` at the root chooses
    the project table, anything else is a fund report."""
    roots, document = models_json_schema([(Report, "validation"), (ProjectFile, "validation")],
                                         schema_generator=_LoaderSchema)
    definitions = {name: _chinese_titles(name, definition) for name, definition in document["$defs"].items()}
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "sireport 数据文件",
        "description": "社会保险基金支出绩效自评报告的数据文件（根键 report:、funds: 等），"
                       "或单独的项目支出绩效自评表（根键 project:）。说明见 docs/数据格式.md。",
        "oneOf": [
            {"title": "基金报告数据文件", "not": {"required": ["project"]}, **roots[(Report, "validation")]},
            {"title": "项目支出绩效自评表", "required": ["project"], **roots[(ProjectFile, "validation")]},
        ],
        "$defs": definitions,
    }


def _chinese_titles(name: str, definition: dict) -> dict:
    """Editors show ``title``: the model's Chinese summary, not pydantic's English field names."""
    summary = (definition.get("description") or name).split("。")[0].split("：")[0]
    properties = {key: {k: v for k, v in value.items() if k != "title"}
                  for key, value in definition.get("properties", {}).items()}
    return {**definition, "title": summary, **({"properties": properties} if properties else {})}


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
