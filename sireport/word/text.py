"""A .docx read back as text: every body paragraph and every table cell, with its place.

A place is what a person finds in Word: ``段落 N`` (the Nth paragraph of the body,
tables not counted) or ``表 N 行 r 列 c`` (1-based; a cell spanning columns takes the
number of its first grid column). The same walk serves a fast reader (the document part
parsed with lxml, no python-docx objects) and a caller that needs the XML elements of a
block, for instance to anchor a Word comment on it.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree

from ..errors import SireportError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TBL, TR, TC, SDT, SDT_CONTENT = (f"{W}{n}" for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
T, TAB, BR, CR, TC_PR, GRID_SPAN, VAL = (f"{W}{n}" for n in ("t", "tab", "br", "cr", "tcPr", "gridSpan", "val"))
_BREAKS = {TAB: "\t", BR: "\n", CR: "\n"}


@dataclass(frozen=True)
class Place:
    """Where a block is: a body paragraph, or a table cell."""

    paragraph: Optional[int] = None
    table: Optional[int] = None
    row: Optional[int] = None
    column: Optional[int] = None
    page: Optional[int] = None  # a PDF page (paragraphs then count within the page)

    def __str__(self) -> str:
        if self.page is not None:
            return f"第 {self.page} 页 段落 {self.paragraph}"
        if self.table is None:
            return f"段落 {self.paragraph}"
        return f"表 {self.table} 行 {self.row} 列 {self.column}"


@dataclass
class Block:
    """The text of one paragraph or one table cell (its paragraphs joined by newlines)."""

    text: str
    place: Place
    elements: list = field(default_factory=list, repr=False, compare=False)  # the w:p elements

    @property
    def in_table(self) -> bool:
        return self.place.table is not None


class UnreadableDocument(SireportError):
    """The file is not a Word .docx (or is damaged)."""


def paragraph_text(p: etree._Element) -> str:
    """The visible text of one w:p: its w:t runs, tabs and line breaks (deleted text excluded)."""
    return _text(p, next(p.iter(TAB, BR, CR), None) is not None)


def _text(p: etree._Element, breaks: bool) -> str:
    """:func:`paragraph_text`, told whether the paragraph holds a tab or a line break."""
    if not breaks:  # most paragraphs: text runs only (joined in C)
        return "".join(p.itertext(T, with_tail=False))
    parts = []
    for node in p.iter(T, TAB, BR, CR):
        parts.append(node.text or "" if node.tag == T else _BREAKS[node.tag])
    return "".join(parts)


def walk(body: etree._Element) -> Iterator[Block]:
    """Blocks of a w:body in reading order: paragraphs, then the cells of each table row by row."""
    # the few paragraphs holding a tab or a line break, found in one pass (each w:p around one)
    broken = {p for node in body.iter(TAB, BR, CR) for p in node.iterancestors(P)}
    blocks: list[Block] = []
    _walk(body, [0, 0], broken, blocks)
    return iter(blocks)


def _walk(parent: etree._Element, counts: list[int], broken: set, blocks: list[Block]) -> None:
    """The blocks of ``parent`` appended to ``blocks``; ``counts``: paragraphs and tables so far."""
    for child in parent:
        if child.tag == P:
            counts[0] += 1
            blocks.append(Block(_text(child, child in broken), _paragraph(counts[0]), [child]))
        elif child.tag == TBL:
            counts[1] += 1
            _cells(child, counts[1], broken, blocks)
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                _walk(content, counts, broken, blocks)


def _cells(table: etree._Element, number: int, broken: set, blocks: list[Block]) -> None:
    spans = _spans(table)
    for r, row in enumerate(table.iter(TR), start=1):
        if _owner(row) is not table:
            continue  # a row of a table nested in a cell: read as that cell's text
        column = 1
        for cell in row.iterchildren(TC):
            paragraphs = list(cell.iter(P))
            if len(paragraphs) == 1:  # most cells
                text = _text(paragraphs[0], paragraphs[0] in broken)
            else:
                text = "\n".join([_text(p, p in broken) for p in paragraphs])
            blocks.append(Block(text, _cell(number, r, column), paragraphs))
            column += spans.get(cell, 1)


# a place is the same in every report of a template: each is made once
@functools.lru_cache(maxsize=4096)
def _paragraph(number: int) -> Place:
    return Place(paragraph=number)


@functools.lru_cache(maxsize=16384)
def _cell(table: int, row: int, column: int) -> Place:
    return Place(table=table, row=row, column=column)


def _owner(row: etree._Element) -> etree._Element:
    return row.getparent() if row.getparent().tag == TBL else row.getparent().getparent()


def _spans(table: etree._Element) -> dict[etree._Element, int]:
    """The columns spanned by each cell of ``table`` that says (its first w:tcPr/w:gridSpan; an
    unreadable span counts as 1), found in one pass over the table; the other cells span 1."""
    spans: dict[etree._Element, int] = {}
    for span in table.iter(GRID_SPAN):
        properties = span.getparent()
        cell = properties.getparent()
        if properties.tag != TC_PR or cell is None or cell.tag != TC or cell in spans:
            continue  # not a cell's own span, or not its first
        try:
            spans[cell] = max(1, int(span.get(VAL)))
        except (TypeError, ValueError):
            spans[cell] = 1
    return spans


HEADING = "Heading"  # style ids Heading1..3 of the built-in templates (and Word's own)
# the styles (w:pStyle) that may be a heading's, of the paragraphs of an element: a paragraph's
# style is its first w:pPr's first w:pStyle
_STYLES = etree.XPath("w:p/w:pPr[1]/w:pStyle[1][starts-with(@w:val, $heading)]", namespaces={"w": W[1:-1]})


def heading_levels(blocks: list[Block], in_table: list[bool]) -> list[Optional[int]]:
    """The heading level of each block (1, 2, 3), None for body text and table cells; the
    headings are found among the children of each element holding body paragraphs (the w:body)."""
    paragraphs = [block.elements[0] if block.elements and not table else None for block, table in zip(blocks, in_table)]
    headings = {}
    for parent in {paragraph.getparent() for paragraph in paragraphs if paragraph is not None}:
        for style in _STYLES(parent, heading=HEADING):
            paragraph, value = style.getparent().getparent(), style.get(VAL)[len(HEADING):]
            if value.isdecimal():  # (not isdigit: “²” is a digit int() refuses)
                headings[paragraph] = int(value)
    return [None if paragraph is None else headings.get(paragraph) for paragraph in paragraphs]


def document_body(path: str | Path) -> etree._Element:
    """The w:body of a .docx, parsed without python-docx (fast, read-only)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except FileNotFoundError:
        raise UnreadableDocument(f"{path}：文件不存在") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableDocument(f"{path}：不是可读取的 Word 文档（.docx）：{exc}") from None
    return body_of(xml, path)


def body_of(xml: bytes, name: str | Path = "word/document.xml") -> etree._Element:
    """The w:body of a document part (word/document.xml) already in memory."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(f"{name}：不是可读取的 Word 文档（.docx）：{exc}") from None
    body = root.find(f"{W}body")
    if body is None:
        raise UnreadableDocument(f"{name}：文档没有正文（word/document.xml 中缺少 w:body）")
    return body


def read_docx(path: str | Path) -> list[Block]:
    """Every paragraph and table cell of a .docx with its place."""
    return list(walk(document_body(path)))
