"""The docx engine: the only module that imports docxtpl.

Templates are untrusted input: they are rendered in a sandboxed Jinja environment with
``StrictUndefined`` and autoescaping (so that ``&`` or ``<`` in data cannot break the
document XML). Every Jinja failure becomes a :class:`TemplateError` in Chinese that
names the part (正文/页眉/页脚) and the paragraph or table cell with a text excerpt.
"""

from __future__ import annotations

import io
import math
import re
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .docx_tables import fit_tables
from .errors import TemplateError
from .template_xml import mark_places, place_of_line, read_template
from .wording import FILTERS, Numbering

PHRASES = "phrases.j2"


MAX_RANGE = 1000  # range() in a template: a report never needs more
MAX_SIZE = 100_000  # longest string or list a template may build with *
MAX_POWER = 64  # largest exponent of **
MAX_DIGITS = 400  # largest result of ** in digits


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox, tightened: no pydantic internals, and no arithmetic that eats the machine."""

    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not attr.startswith("model_") and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _too_big_power(left, right):
            raise SecurityError(f"乘方的结果过大（超过 {MAX_DIGITS} 位数字）")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SIZE:
                    raise SecurityError(f"用 * 重复生成的内容过长（上限 {MAX_SIZE}）")
        return super().call_binop(context, operator, left, right)


def _too_big_power(base: Any, exponent: Any) -> bool:
    """More than MAX_DIGITS digits, or an exponent beyond MAX_POWER."""
    if not isinstance(exponent, (int, float, Decimal)) or not isinstance(base, (int, float, Decimal)):
        return False
    if abs(exponent) > MAX_POWER:
        return True
    return abs(base) > 1 and float(abs(exponent)) * math.log10(abs(base)) > MAX_DIGITS


def capped_range(*args: int) -> range:
    """range() with at most MAX_RANGE items."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() 的范围过大（{len(numbers)} 项，上限 {MAX_RANGE}）")
    return numbers


def make_environment(search_dirs: list[Path]) -> SandboxedEnvironment:
    """The sandboxed, strict Jinja environment every template is rendered with."""
    env = ReportSandbox(
        undefined=StrictUndefined,
        autoescape=True,
        loader=FileSystemLoader([str(d) for d in search_dirs]),
        keep_trailing_newline=False,
    )
    env.filters.update(FILTERS)
    env.globals["numbering"] = Numbering
    env.globals["range"] = capped_range
    for name in ("lipsum", "cycler", "joiner"):  # not needed by a report; classic escape routes
        env.globals.pop(name, None)
    return env


class Engine:
    """Renders one .docx template with many contexts."""

    def __init__(self, template: Path, search_dirs: list[Path], source: bytes | None = None):
        self.template = Path(template)
        # the template (after template_lint's safe repairs, if given) with its places marked
        self.marked, self.places = mark_places(read_template(self.template, source))
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
            document = DocxTemplate(io.BytesIO(self.marked))
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
            return TemplateError(f"{where}：已被安全沙箱拒绝：{_security_reason(str(exc))}")
        if isinstance(exc, OverflowError):
            return TemplateError(f"{where}：已被安全沙箱拒绝：数值或范围过大（{exc}）")
        if isinstance(exc, RecursionError):
            return TemplateError(f"{where}：宏无限递归地调用自己，已停止")
        if isinstance(exc, jinja2.TemplateNotFound):
            return TemplateError(f"{where}：找不到被引用的文件“{exc.name}”（只能引用模板目录中的 .j2 文件）")
        if isinstance(exc, jinja2.UndefinedError) and re.search(r"attribute '_", str(exc)):
            return TemplateError(f"{where}：已被安全沙箱拒绝：不允许访问内部属性")
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
        if lineno is None or part is None:
            return f"{self.template}：{part_name}"
        xml = document.get_xml() if "document" in str(part.partname) else part.blob.decode("utf-8")
        number = place_of_line(re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml)), lineno)
        return f"{self.template}：{self.places[number] if number is not None else part_name}"


def _security_reason(message: str) -> str:
    match = re.search(r"access to attribute '([^']+)' of '([^']+)' object is unsafe", message)
    if match:
        return f"不允许访问“{match.group(2)}”对象的内部属性“{match.group(1)}”"
    if "unsafe" in message or "not safely callable" in message:
        return f"不允许调用或访问内部对象（{message}）"
    return message


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
