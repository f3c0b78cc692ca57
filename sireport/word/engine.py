"""The docx engine: the only module that imports docxtpl.

Templates are untrusted input: they are rendered in a sandboxed Jinja environment with
``StrictUndefined``, autoescaping and no ``safe`` filter, so that ``&`` or ``<`` in data
cannot break the document XML (the phrase macros' text is escaped once per call, see
:class:`Phrases`). Every Jinja failure becomes a :class:`TemplateError` in Chinese that
names the part (正文/页眉/页脚) and the paragraph or table cell with a text excerpt.

docxtpl recompiles the whole template on every render (its issue #110); here each
template is compiled once per process (:meth:`Engine.compile`) and a render only runs
the compiled Jinja code, docxtpl's post-render fixes, and a zip writer that copies the
template's unchanged members (:mod:`sireport.word.zipwriter`).
"""

from __future__ import annotations

import io
import posixpath
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx.oxml.ns
import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, pass_eval_context
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from markupsafe import Markup, escape

from sireport.errors import TemplateError
from sireport.files import Built, package_digest, part_hash, stamped_core
from sireport.word.bookmarks import unique_bookmarks
from sireport.word.cell_tags import compile_cell_tags
from sireport.word.filters import FILTERS, Numbering
from sireport.word.jinja_messages import explain_runtime, explain_syntax
from sireport.word.line_breaks import Measure, break_lines, measures
from sireport.word.quote_fonts import hint_quotes
from sireport.word.sandbox import RenderTimeout, ReportSandbox, TemplateFolders, capped_range, time_limit
from sireport.word.search import PHRASES
from sireport.word.table_memo import TableMemo
from sireport.word.tables import captioned, fit_tables, text_width_twips
from sireport.word.template_xml import DocxTemplateFile, mark_places, place_of_line, read_template
from sireport.word.zipwriter import ZipSkeleton


def make_environment(search_dirs: list[Path], escaping: bool = True) -> SandboxedEnvironment:
    """The sandboxed, strict Jinja environment every template is rendered with.

    ``escaping=False`` is only for the phrase macros behind ``p`` (see :class:`Phrases`).
    """
    env = ReportSandbox(
        undefined=StrictUndefined,
        autoescape=escaping,
        loader=TemplateFolders([str(d) for d in search_dirs]),
        keep_trailing_newline=False,
    )
    env.trusted_calls = env.trusted_calls | {PhraseCall}
    env.filters.update(FILTERS)
    env.filters.pop("safe")  # nothing may reach the document XML unescaped
    env.globals["numbering"] = Numbering
    env.globals["range"] = capped_range
    for name in ("lipsum", "cycler", "joiner"):  # not needed by a report; classic escape routes
        env.globals.pop(name, None)
    return env


class Phrases:
    """``p`` in a template: the macros of phrases.j2, the text of each call escaped here, once.

    ``p`` is compiled without autoescaping (its macros build plain text) and every call's
    whole text is escaped here, which gives the same XML as escaping each piece inside the
    macros for ~5% less time per report. Jinja takes a macro's result as safe when an
    autoescaping template calls it, so only ``p`` goes without: a template that imports
    phrases.j2 itself gets it compiled with autoescaping, like every other file.
    """

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        """The first ``p.name`` of a render; the call is kept as an attribute, so that the next
        ones (~130 a report) are plain lookups."""
        if name.startswith("_"):  # the module's own (__html__ would print its text unescaped)
            raise AttributeError(name)
        value = getattr(self._module, name)  # AttributeError: p.name is undefined
        if isinstance(value, jinja2.runtime.Macro):
            value = self.__dict__[name] = PhraseCall(value)
        return value


class PhraseCall:
    """``p.name``: one macro of phrases.j2, its whole text escaped once (see :class:`Phrases`).

    The sandbox calls it as it calls a macro (``trusted_calls``); the macro itself is kept
    private (a template reaching it would get its text unescaped)."""

    __slots__ = ("_macro",)

    def __init__(self, macro: jinja2.runtime.Macro) -> None:
        self._macro = macro

    @pass_eval_context
    def __call__(self, _eval_context: Any, *args: Any, **kwargs: Any) -> Markup:
        return escape(self._macro(*args, **kwargs))  # called without an eval context: plain text


BODY = "word/document.xml"
CORE = "docProps/core.xml"
XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# docxtpl renders these document properties as templates too (property -> core.xml tag)
CORE_PROPERTIES = {"author": "dc:creator", "comments": "dc:description", "identifier": "dc:identifier",
                   "language": "dc:language", "subject": "dc:subject", "title": "dc:title"}
_JINJA = re.compile(r"\{[{%#]")


@dataclass
class CompiledPart:
    """One template part (body, a header, a footer, footnotes) compiled once per process."""

    member: str  # zip member name, e.g. word/footer1.xml
    label: str  # 正文 / 页眉 / 页脚 / 脚注
    source: str  # the patched XML as Jinja sees it, for error locations
    template: jinja2.Template | None = None
    head: bytes = XML_DECLARATION  # bytes before the rendered XML
    tail: bytes = b""  # bytes after it


@dataclass
class CompiledTemplate:
    """Everything a render needs that does not depend on the data."""

    skeleton: ZipSkeleton
    parts: list[CompiledPart]
    body_tag: str  # the template's own <w:body ...> start tag
    core: str  # docProps/core.xml
    core_templates: dict[str, jinja2.Template]  # core.xml tag -> template
    docxtpl: DocxTemplate  # only for its post-render fixes (fix_tables, resolve_listing)
    text_width: int  # twips between the margins, for the tables' column widths (docx_tables)
    measures: dict[str, Measure]  # style id -> line measure of titles and headings (line_breaks)
    tables: TableMemo = field(default_factory=TableMemo)  # fitted tables by shape (_fixed_body)


@dataclass(frozen=True)
class Document(Built):
    """A rendered .docx: its bytes, its members as the check before writing reads them
    (:class:`sireport.files.Built`), and the parts the render wrote (zip member -> bytes),
    so that what reads the document next (the prose linter) needs no unzip."""

    parts: dict[str, bytes]

    @property
    def body(self) -> bytes:
        """word/document.xml as written."""
        return self.parts[BODY]


class Engine:
    """Renders one .docx template with many contexts.

    :meth:`render` is the fast path: the template is compiled once (docxtpl's XML patch,
    then Jinja), and each report only runs the compiled Jinja code, applies docxtpl's
    post-render fixes and writes the zip reusing the template's unchanged members.
    :meth:`render_reference` is docxtpl's own render, kept to prove the two agree.
    """

    def __init__(self, template: Path, search_dirs: list[Path], source: bytes | None = None, *,
                 package: DocxTemplateFile | None = None, env: SandboxedEnvironment | None = None):
        """``source``: the template's bytes when not the file's; ``package`` and ``env``: the
        template already read and the environment already built (by its check,
        :func:`sireport.word.prepare.make_engine`): nothing is unzipped or built twice."""
        self.template = Path(template)
        self.package = package if package is not None else read_template(self.template, source)
        self.places = mark_places(self.package)  # the parts' trees get place marks; the members stay as read
        self.env = env if env is not None else make_environment([self.template.parent, *search_dirs])
        self._compiled: CompiledTemplate | None = None
        self._marked: bytes | None = None
        try:  # the same sandbox, without autoescaping, and a cache of its own (see Phrases)
            self.phrases = self.env.overlay(autoescape=False, cache_size=50).get_template(PHRASES)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or PHRASES}:{exc.lineno}：句式宏文件语法错误："
                                f"{explain_syntax(exc.message or '')}", detail=exc.message or "") from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"找不到句式宏文件 {PHRASES}（应放在模板旁或内置模板目录）") from None
        except SecurityError as exc:  # phrases.j2 a link out of the template folders
            raise TemplateError(f"{PHRASES}：{exc}") from None

    def _open(self) -> DocxTemplate:
        """docxtpl's own document of the marked template (only for :meth:`render_reference`)."""
        if self._marked is None:
            self._marked = self.package.to_bytes()
        try:
            document = DocxTemplate(io.BytesIO(self._marked))
            document.init_docx()
        except Exception as exc:  # a broken zip or not a Word file at all
            raise TemplateError(f"{self.template}：不是有效的 Word（.docx）模板（{type(exc).__name__}）") from None
        _patch_cells(document)
        return document

    def _full_context(self, context: dict[str, Any]) -> dict[str, Any]:
        full = dict(context)
        full["p"] = Phrases(self.phrases.make_module({"report": context["report"]}))
        return full

    def compile(self) -> CompiledTemplate:
        """Patch and compile every part of the template once; raise TemplateError saying where."""
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled

    def _compile(self) -> CompiledTemplate:
        """Every part of the template read (once) by :func:`read_template`: patched as docxtpl
        patches it, then compiled; docxtpl's own document is never opened here."""
        package, patcher = self.package, _patcher()
        skeleton = ZipSkeleton.of(package)  # the members as read (unmarked), copied as they are
        raw_body = package.members[BODY].decode("utf-8")
        start = re.search(r"<w:body\b[^>]*>", raw_body)
        end = raw_body.rfind("</w:body>")
        if start is None or end < 0:
            raise TemplateError(f"{self.template}：不是有效的 Word（.docx）模板（word/document.xml 中缺少 w:body）")
        body = _marked(package, BODY).find(docx.oxml.ns.qn("w:body"))
        parts = [self._part(BODY, "正文", _mark_dynamic_tables(patcher.patch_xml(_xml(body))),
                            head=raw_body[:start.start()].encode("utf-8"),
                            tail=raw_body[end + len("</w:body>"):].encode("utf-8"))]
        for member, label in _headers_footers(package):
            patched = patcher.patch_xml(_xml(_marked(package, member)))
            if _JINJA.search(patched):
                parts.append(self._part(member, label, patched))
        for member in _members_of_type(package, FOOTNOTES):
            patched = patcher.patch_xml(_marked_bytes(package, member).decode("utf-8"))
            if _JINJA.search(patched):
                parts.append(self._part(member, "脚注", patched, head=b""))
        core = package.members[CORE].decode("utf-8") if CORE in package.members else ""
        core_templates = {}
        for tag, value in _core_properties(core).items():
            if _JINJA.search(value):
                core_templates[tag] = self._compile_source(value, CompiledPart(CORE, "文档属性", ""))
        width = text_width_twips(body)
        return CompiledTemplate(skeleton, parts, start.group(0), core, core_templates, patcher, width,
                                measures(_styles(package), width))

    def _part(self, member: str, label: str, patched: str, head: bytes = XML_DECLARATION,
              tail: bytes = b"") -> CompiledPart:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)  # as docxtpl: one paragraph per line
        part = CompiledPart(member, label, source, head=head, tail=tail)
        part.template = self._compile_source(source, part)
        return part

    def _compile_source(self, source: str, part: CompiledPart) -> jinja2.Template:
        try:
            return self.env.from_string(source)
        except Exception as exc:
            raise self._explain(part.label, part.source, exc) from None

    def render(self, context: dict[str, Any], stamped: bool = False) -> bytes:
        """Render ``context`` into .docx bytes (stamped for hand-edit protection if asked),
        within the sandbox's time limit."""
        return self.render_document(context, stamped).data

    def render_document(self, context: dict[str, Any], stamped: bool = False) -> Document:
        """:meth:`render`, keeping the parts it wrote (:class:`Document`)."""
        try:
            with time_limit():
                return self._render(context, stamped)
        except RenderTimeout as exc:  # past the Jinja code (its own errors say where)
            raise TemplateError(f"{self.template}：{exc}") from None

    def _render(self, context: dict[str, Any], stamped: bool) -> Document:
        compiled = self.compile()
        body = compiled.parts[0]
        try:
            full = self._full_context(context)
        except Exception as exc:
            raise self._explain(body.label, "", exc) from None
        replaced: dict[str, bytes] = {}
        for part in compiled.parts:
            try:
                xml = _after_render(part.template.render(full), compiled.docxtpl)
                if part is body:
                    xml = break_lines(_fixed_body(xml, compiled), compiled.measures)
            except Exception as exc:
                raise self._explain(part.label, part.source, exc) from None
            replaced[part.member] = part.head + xml.encode("utf-8") + part.tail
        core = compiled.core
        for tag, template in compiled.core_templates.items():
            try:
                value = template.render(full)
            except Exception as exc:
                raise self._explain("文档属性", "", exc) from None
            element = f"<{tag}>{value}</{tag}>"
            core = re.sub(f"<{tag}>.*?</{tag}>", lambda _, e=element: e, core, flags=re.S)
        if stamped:
            hashes = {**compiled.skeleton.hashes(), **{name: part_hash(data) for name, data in replaced.items()}}
            core = stamped_core(core, package_digest(hashes))
        if core is not compiled.core:
            replaced[CORE] = core.encode("utf-8")
        built = compiled.skeleton.built(replaced)
        return Document(built.data, built.members, built.read, replaced)

    def render_reference(self, context: dict[str, Any]) -> bytes:
        """docxtpl's own render (compiles the template again every time): the yardstick."""
        document = self._open()
        try:
            document.render(self._full_context(context), jinja_env=self.env)
        except Exception as exc:
            raise self._explain(*_reference_part(document), exc) from None
        body = document.docx.element.body
        fit_tables(body)
        lines = measures(document.docx.styles.element, text_width_twips(body))
        body.getparent().replace(body, parse_xml(break_lines(hint_quotes(etree.tostring(body, encoding="unicode")), lines)))
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def _explain(self, label: str, source: str, exc: Exception) -> TemplateError:
        where = self._where(label, source, exc)
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
            return TemplateError(f"{where}：模板语法错误：{explain_syntax(exc.message or '')}", detail=exc.message or "")
        if isinstance(exc, TemplateError):
            return exc
        return TemplateError(f"{where}：模板渲染出错：{explain_runtime(exc)}", detail=f"{type(exc).__name__}: {exc}")

    def _where(self, label: str, source: str, exc: Exception) -> str:
        """The template paragraph or table cell of the failing line (or just the part)."""
        lineno = getattr(exc, "lineno", None) or _template_line(exc)
        number = place_of_line(source, lineno) if lineno is not None and source else None
        return f"{self.template}：{self.places[number] if number is not None else label}"


_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


def _after_render(xml: str, document: DocxTemplate) -> str:
    """docxtpl's fixes after Jinja (render_xml_part): paragraphs back, escapes, listings."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # the newlines _part added
    if "_" in xml:  # (one cheap scan first: a report seldom has any of these; "{_" is a slower search)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(char in xml for char in "\t\a\n\f") and _LISTING.search(xml):
        xml = document.resolve_listing(xml)  # changes text runs holding \t \a \n \f, nothing else
    return hint_quotes(unique_bookmarks(xml))


def _fixed_body(xml: str, compiled: CompiledTemplate) -> str:
    """docxtpl's table fix ({%tc%} loops change the column count), picture id renumbering,
    and the column widths of tables that ask for them (:mod:`sireport.word.tables`).

    docxtpl parses the whole body for this; here only the tables that can need it are
    fitted (marked by :func:`_mark_dynamic_tables`, or captioned for fixed widths), each
    once per shape (:mod:`sireport.word.table_memo`), and the rest of the body is kept as
    rendered, unless pictures need their ids renumbered.
    """
    opening = xml[: xml.index(">") + 1]  # <w:body xmlns:…>: declares every prefix the body uses
    if "docPr" in xml:
        tree = compiled.docxtpl.fix_tables(xml.replace(DYNAMIC_MARK, ""))
        for number, element in enumerate(tree.xpath("//wp:docPr", namespaces=docx.oxml.ns.nsmap), start=1001):
            element.attrib["id"] = str(number)
        fit_tables(tree, compiled.text_width)
        body = etree.tostring(tree, encoding="unicode")
        return compiled.body_tag + body[body.index(">") + 1:]
    pieces, done = [compiled.body_tag], len(opening)
    for start, end in _outer_tables(xml):
        source = xml[start:end]
        if DYNAMIC_MARK not in source and not captioned(source):
            continue  # as the template made it: docxtpl's fix would change nothing
        fitted = compiled.tables.fitted(source, opening, lambda table: _fitted_table(table, opening, compiled),
                                        lambda table: _fit(table, opening, compiled)[1])
        pieces += [xml[done:start], fitted]
        done = end
    pieces.append(xml[done:])
    return "".join(pieces)


def _fitted_table(source: str, opening: str, compiled: CompiledTemplate) -> str:
    """One top-level table of the rendered body (``opening``: the body's start tag, which
    declares its prefixes) with docxtpl's column fix and the widths it asks for."""
    return _fit(source, opening, compiled)[0]


def _fit(source: str, opening: str, compiled: CompiledTemplate) -> tuple[str, list[str]]:
    """:func:`_fitted_table`, and the texts the fit read (:func:`sireport.word.tables.fit_tables`)."""
    wrapped = opening + source.replace(DYNAMIC_MARK, "") + "</w:body>"
    if captioned(source) and len(_TABLE_START.findall(source)) == 1:  # docx_tables sets the grid itself
        table = etree.fromstring(wrapped)[0]
    else:
        table = compiled.docxtpl.fix_tables(wrapped)[0]
    read = fit_tables(table, compiled.text_width)
    return etree.tostring(table, encoding="unicode"), read


DYNAMIC_MARK = "<!--sireport:columns-->"
# a Jinja tag right before a cell or right after one: a {%tc%} loop or condition
_DYNAMIC_COLUMNS = re.compile(r"%\}(?:\{#[^#]*#\}|\s)*<w:tc[ >]|</w:tc>\s*\{%")


def _mark_dynamic_tables(patched: str) -> str:
    """Mark the top-level tables whose column count depends on the data ({%tc%} tags).

    Only those (and the captioned ones) are re-parsed after each render; the mark is an
    XML comment that :func:`_fixed_body` removes.
    """
    pieces, done = [], 0
    for start, end in _outer_tables(patched):
        if _DYNAMIC_COLUMNS.search(patched, start, end):
            opened = patched.index(">", start) + 1
            pieces += [patched[done:opened], DYNAMIC_MARK]
            done = opened
    pieces.append(patched[done:])
    return "".join(pieces)


_TABLE_TAG = re.compile(r"<w:tbl[ >]|</w:tbl>")
_TABLE_START = re.compile(r"<w:tbl[ >]")


def _outer_tables(xml: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level <w:tbl> element (nested tables stay inside theirs)."""
    spans, depth, start = [], 0, 0
    for match in _TABLE_TAG.finditer(xml):
        if match.group(0) == "</w:tbl>":
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    return spans


def _reference_part(document: DocxTemplate) -> tuple[str, str]:
    """The part docxtpl was rendering when it failed, and its patched XML as Jinja saw it."""
    part = getattr(document, "current_rendering_part", None)
    label = _part_name(str(getattr(part, "partname", "")))
    if part is None:
        return label, ""
    xml = document.get_xml() if "document" in str(part.partname) else part.blob.decode("utf-8")
    return label, re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml))


def _patcher() -> DocxTemplate:
    """A docxtpl document that is never opened: its XML patch (with ours for cell tags) and
    its post-render fixes (fix_tables, resolve_listing) need no Word file."""
    patcher = DocxTemplate(None)
    _patch_cells(patcher)
    return patcher


def _patch_cells(document: DocxTemplate) -> None:
    patch = document.patch_xml
    document.patch_xml = lambda xml: compile_cell_tags(patch(xml))  # {% vmerge %}, cell properties in order


def _marked_bytes(package: DocxTemplateFile, member: str) -> bytes:
    """A member with the place marks (:func:`mark_places`) when it is a text part."""
    part = package.part(member)
    return part.xml() if part is not None else package.members[member]


def _marked(package: DocxTemplateFile, member: str) -> etree._Element:
    """A member parsed as python-docx parses it (docxtpl's get_xml / get_part_xml start here)."""
    return parse_xml(_marked_bytes(package, member))


def _xml(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode", pretty_print=False)  # as docxtpl's xml_to_string


_RELS = "word/_rels/document.xml.rels"
_HEADER_FOOTER = {RT.HEADER: "页眉", RT.FOOTER: "页脚"}


def _headers_footers(package: DocxTemplateFile) -> list[tuple[str, str]]:
    """(member, 页眉/页脚) of every header and footer the body refers to, as docxtpl renders them."""
    found: dict[str, str] = {}
    for member, kind in _related(package):
        label = _HEADER_FOOTER.get(kind)
        if label is not None and package.members.get(member):
            found.setdefault(member, label)
    return list(found.items())


def _related(package: DocxTemplateFile) -> list[tuple[str, str]]:
    """(member, relationship type) of every part the body refers to inside the package."""
    if _RELS not in package.members:
        return []
    related = []
    for relation in etree.fromstring(package.members[_RELS]):
        if relation.get("TargetMode") == "External":
            continue
        target = relation.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("word", target))
        related.append((member, relation.get("Type", "")))
    return related


def _styles(package: DocxTemplateFile) -> etree._Element:
    """The template's styles part (python-docx's document.styles.element), parsed."""
    member = next((member for member, kind in _related(package) if kind == RT.STYLES), "word/styles.xml")
    data = package.members.get(member)
    return parse_xml(data) if data else etree.Element(docx.oxml.ns.qn("w:styles"))


def _members_of_type(package: DocxTemplateFile, content_type: str) -> list[str]:
    """The members [Content_Types].xml declares of ``content_type``."""
    types = etree.fromstring(package.members.get("[Content_Types].xml", b"<Types/>"))
    names = [override.get("PartName", "").lstrip("/") for override in types
             if override.get("ContentType") == content_type]
    return [name for name in names if name in package.members]


def _core_properties(core: str) -> dict[str, str]:
    """core.xml tag -> text of the document properties docxtpl renders (CORE_PROPERTIES)."""
    if not core:
        return {}
    root = etree.fromstring(core.encode("utf-8"))
    values = {}
    for tag in CORE_PROPERTIES.values():
        prefix, name = tag.split(":")
        element = root.find(f"{{{_CORE_NS[prefix]}}}{name}")
        values[tag] = element.text or "" if element is not None else ""
    return values


_CORE_NS = {"dc": "http://purl.org/dc/elements/1.1/"}


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
    "Phrases": "句式宏文件 phrases.j2",
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
