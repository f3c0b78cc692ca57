"""A .docx read back as text: every body paragraph and every table cell, with its place.

A place is what a person finds in Word: ``段落 N`` (the Nth paragraph of the body,
tables not counted) or ``表 N 行 r 列 c`` (1-based; a cell spanning columns takes the
number of its first grid column). The same walk serves a fast reader (the document part
parsed with lxml, no python-docx objects) and a caller that needs the XML elements of a
block, for instance to anchor a Word comment on it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree

from ..errors import SireportError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TBL, TR, TC, SDT, SDT_CONTENT = (f"{W}{n}" for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
T, TAB, BR, CR, GRID_SPAN, VAL = (f"{W}{n}" for n in ("t", "tab", "br", "cr", "gridSpan", "val"))
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
    if next(p.iter(TAB, BR, CR), None) is None:  # most paragraphs: text runs only (joined in C)
        return "".join(p.itertext(T, with_tail=False))
    parts = []
    for node in p.iter(T, TAB, BR, CR):
        parts.append(node.text or "" if node.tag == T else _BREAKS[node.tag])
    return "".join(parts)


def walk(body: etree._Element) -> Iterator[Block]:
    """Blocks of a w:body in reading order: paragraphs, then the cells of each table row by row."""
    counters = {"p": 0, "tbl": 0}
    yield from _walk(body, counters)


def _walk(parent: etree._Element, counters: dict) -> Iterator[Block]:
    for child in parent:
        if child.tag == P:
            counters["p"] += 1
            yield Block(paragraph_text(child), Place(paragraph=counters["p"]), [child])
        elif child.tag == TBL:
            counters["tbl"] += 1
            yield from _cells(child, counters["tbl"])
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _walk(content, counters)


def _cells(table: etree._Element, number: int) -> Iterator[Block]:
    for r, row in enumerate(table.iter(TR), start=1):
        if _owner(row) is not table:
            continue  # a row of a table nested in a cell: read as that cell's text
        column = 1
        for cell in row.iterchildren(TC):
            paragraphs = list(cell.iter(P))
            text = "\n".join(paragraph_text(p) for p in paragraphs)
            yield Block(text, Place(table=number, row=r, column=column), paragraphs)
            column += _span(cell)


def _owner(row: etree._Element) -> etree._Element:
    return row.getparent() if row.getparent().tag == TBL else row.getparent().getparent()


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{W}tcPr/{GRID_SPAN}")
    try:
        return max(1, int(span.get(VAL))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


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
