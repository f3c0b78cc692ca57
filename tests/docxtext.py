"""Read a rendered .docx back as text, the way a person would check it."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def blocks(path: Path) -> list:
    """Body in order: a str per paragraph, a list of rows (list of cell texts) per table."""
    document = Document(str(path))
    out: list = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            out.append([[cell.text for cell in row.cells] for row in Table(child, document).rows])
    return out


def paragraphs(path: Path) -> list[str]:
    return [b for b in blocks(path) if isinstance(b, str)]


def tables(path: Path) -> list[list[list[str]]]:
    return [b for b in blocks(path) if isinstance(b, list)]


def appendix(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    """The 绩效自评表 (the last table, one table) as its head (unit, money, goals) and its
    indicator rows (from the 一级指标 header on)."""
    table = tables(path)[-1]
    start = next(i for i, cells in enumerate(table) if cells[0] == "一级指标")
    return table[:start], table[start:]


def full_text(path: Path) -> str:
    lines = []
    for block in blocks(path):
        if isinstance(block, str):
            lines.append(block)
        else:
            lines.extend(" | ".join(row) for row in block)
    return "\n".join(lines)


def row(table: list[list[str]], *labels: str) -> list[str]:
    """The values of the first row whose leading cells are ``labels`` (merged cells repeat)."""
    for cells in table:
        if tuple(cells[: len(labels)]) == labels:
            return cells[len(labels):]
    raise AssertionError(f"no row {labels} in table: {[r[:2] for r in table]}")
