"""The docx engine: the only module that imports docxtpl.

Templates are untrusted input: they are rendered in a sandboxed Jinja environment with
``StrictUndefined`` and autoescaping (so that ``&`` or ``<`` in data cannot break the
document XML). Every Jinja failure becomes a :class:`TemplateError` in Chinese that
names the part (正文/页眉/页脚) and the paragraph or table cell with a text excerpt.
"""

from __future__ import annotations

import io
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .docx_tables import fit_tables
from .errors import TemplateError
from .wording import FILTERS, Numbering

PHRASES = "phrases.j2"


def make_environment(search_dirs: list[Path]) -> SandboxedEnvironment:
    """The sandboxed, strict Jinja environment every template is rendered with."""
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=True,
        loader=FileSystemLoader([str(d) for d in search_dirs]),
        keep_trailing_newline=False,
    )
    env.filters.update(FILTERS)
    env.globals["numbering"] = Numbering
    return env


class Engine:
    """Renders one .docx template with many contexts."""

    def __init__(self, template: Path, search_dirs: list[Path]):
        self.template = Path(template)
        self.env = make_environment([self.template.parent, *search_dirs])
        try:
            self.phrases = self.env.get_template(PHRASES)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or PHRASES}:{exc.lineno}：句式宏文件语法错误（{exc.message}）") from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"找不到句式宏文件 {PHRASES}（应放在模板旁或内置模板目录）") from None

    def render(self, context: dict[str, Any]) -> bytes:
        """Render ``context`` into .docx bytes; raise TemplateError saying where."""
        try:
            document = DocxTemplate(str(self.template))
            document.init_docx()
        except Exception as exc:  # a broken zip or not a Word file at all
            raise TemplateError(f"{self.template}：不是有效的 Word（.docx）模板（{type(exc).__name__}）") from None
        full = dict(context)
        try:
            full["p"] = self.phrases.make_module({"report": context["report"]})
            document.render(full, jinja_env=self.env)
        except Exception as exc:
            raise self._explain(document, exc) from None
        fit_tables(document.docx.element.body)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def _explain(self, document: DocxTemplate, exc: Exception) -> TemplateError:
        where = self._where(document, exc)
        if isinstance(exc, SecurityError):
            return TemplateError(f"{where}：模板试图访问不允许的内部属性或函数，已被安全沙箱拒绝（{exc}）")
        if isinstance(exc, jinja2.UndefinedError):
            return TemplateError(f"{where}：模板引用了数据中没有的字段：{_undefined_name(str(exc))}")
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return TemplateError(f"{where}：模板语法错误（{exc.message}）")
        if isinstance(exc, TemplateError):
            return exc
        return TemplateError(f"{where}：模板渲染出错（{type(exc).__name__}: {exc}）")

    def _where(self, document: DocxTemplate, exc: Exception) -> str:
        lineno = getattr(exc, "lineno", None) or _template_line(exc)
        part = getattr(document, "current_rendering_part", None)
        part_name = _part_name(getattr(part, "partname", ""))
        if lineno is None:
            return f"{self.template}（{part_name}）"
        try:
            xml = part.blob.decode("utf-8") if part is not None and "document" not in str(part.partname) \
                else document.get_xml()
            lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml)).splitlines()
        except Exception:
            return f"{self.template}（{part_name}）"
        return f"{self.template}（{part_name}{describe_line(lines, lineno)}）"


def describe_line(lines: list[str], lineno: int) -> str:
    """Paragraph or table cell of line ``lineno`` of the patched XML, with a text excerpt."""
    index = max(0, min(lineno - 1, len(lines) - 1))
    before = "\n".join(lines[:index])
    text = re.sub(r"<[^>]+>", "", lines[index]).strip()
    excerpt = text if len(text) <= 40 else text[:40] + "…"
    tables_open = before.count("<w:tbl>") - before.count("</w:tbl>")
    if tables_open > 0:
        table_no = before.count("<w:tbl>")
        last_table = before.rfind("<w:tbl>")
        inside = before[last_table:]
        row = len(re.findall(r"<w:tr[ >]", inside))
        cell = len(re.findall(r"<w:tc[ >]", inside[inside.rfind("<w:tr"):])) if row else 0
        return f"，第 {table_no} 个表格第 {row} 行第 {cell} 格：“{excerpt}”"
    paragraph = len(re.findall(r"^<w:p[ >]", before, flags=re.M)) + 1
    return f"，第 {paragraph} 段：“{excerpt}”"


def _part_name(partname: str) -> str:
    if "header" in partname:
        return "页眉"
    if "footer" in partname:
        return "页脚"
    return "正文"


def _template_line(exc: Exception) -> int | None:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            line = lineno
    return line


_OWNERS = {
    "Settings": "报告设置 report",
    "ReportText": "文字部分 text",
    "FundFigures": "基金",
    "Line": "数字行",
    "Totals": "合计 totals",
    "PeopleFigures": "人数",
    "Targets": "绩效目标 targets",
    "Achieved": "完成值 achieved",
    "FundText": "基金文字 text",
}


def _undefined_name(message: str) -> str:
    match = re.search(r"has no attribute '([^']+)'", message)
    if match:
        owner = re.match(r"'([^']+)'", message)
        owner_name = owner.group(1).replace(" object", "").rsplit(".", 1)[-1] if owner else ""
        return f"“{match.group(1)}”（{_OWNERS.get(owner_name, owner_name)}中没有这一项）"
    match = re.match(r"'([^']+)' is undefined", message)
    if match:
        return f"“{match.group(1)}”"
    return message
