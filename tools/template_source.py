"""Build a .docx template from its readable source (``sireport/templates/source/*.txt``).

The .docx is what clerks edit in Word; the source is what developers review in a diff.
A test rebuilds every shipped template and compares it with the committed .docx.

Source format, one paragraph per line::

    # a comment line (hash and a space)
    title: 标题文字             Title style          h1: / h2: / h3:  heading levels
    p: 正文                     body (Normal)        center: / right:  aligned body
    cover-title: / cover:       cover page styles    table-title:      table caption
    unit: 单位：万元             a table's unit line, right-aligned in the table's size
    pagebreak:                  a page break         blank:            an empty paragraph
    cover-end:                  a section break: the pages before it have no page number
    {%p if x %}                 a control paragraph (docxtpl removes it when rendering)
    table: 名称 widths=18,30,1,20,1 fixed=2   (widths in mm; fixed=N: see docx_tables)
    | 险种 > | {%tc for c in columns %} | {{ c.short }} | {%tc endfor %}
    | 预算 | 基金收入小计 | ...
    | ^ | 基金支出小计 | ...
    end-table

In a table row, ``>`` after a cell's text merges it with the next cell, a cell that is
only ``<`` is merged into the cell on its left, a cell that is only ``^`` continues the
vertical merge of the cell above; the first row repeats on every page. Inside a
``{%tr for %}`` loop, ``文字 ^={{ expr }}`` makes the cell's vertical merge follow the data
(``expr`` gives ``restart`` on a group's first row and ``continue`` below it), which is
how the 一级/二级 cells of the 绩效自评表 span their rows: the cell gets the tag
``{% vmerge expr %}``, which the engine compiles into its w:vMerge (a Jinja attribute
value would make the template itself invalid for Word).

``paras: text.plans`` writes one body paragraph per line of that free text, and
``paras-or-none: text.plans`` writes "无。" when it is empty.
``include: parts/name.txt`` inserts another source file (path relative to the including
file), so two templates can share a table.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm

from sireport import ooxml
from sireport.word.page_layout import apply_layout
from sireport.word.tables import CAPTION_PREFIX

PARAGRAPH_STYLES = {
    "title": "Title",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "p": "Normal",
    "center": "居中正文",
    "right": "右对齐正文",
    "cover-title": "封面标题",
    "cover": "封面栏目",
    "table-title": "表格标题",
    "unit": "表格单位",
}


@dataclass
class TableSpec:
    widths_mm: list[int]
    fixed: int = 0  # leading columns kept at their width; the others share the rest (docx_tables)
    rows: list[list[str]] = field(default_factory=list)


def _paragraph_loop(expression: str, otherwise: str | None) -> list[str]:
    """``paras: EXPR`` → one body paragraph per line of the free text EXPR (and a fallback)."""
    lines = [f"{{%p for para in {expression}|paras %}}", "p: {{ para }}"]
    if otherwise is not None:
        lines += ["{%p else %}", f"p: {otherwise}"]
    return lines + ["{%p endfor %}"]


def expand_includes(text: str, folder: Path) -> str:
    """Replace every ``include: path`` line with the content of that file, and every
    ``paras: EXPR`` / ``paras-or-none: EXPR`` line with its paragraph loop."""
    lines = []
    for line in text.splitlines():
        kind, _, rest = line.strip().partition(":")
        if kind in ("paras", "paras-or-none"):
            lines += _paragraph_loop(rest.strip(), "无。" if kind == "paras-or-none" else None)
        elif line.strip().startswith("include:"):
            path = folder / line.split(":", 1)[1].strip()
            included = expand_includes(path.read_text(encoding="utf-8"), path.parent)
            lines += [text for text in included.splitlines() if not text.strip().startswith("# ")]
        else:
            lines.append(line)
    return "\n".join(lines)


def parse(text: str) -> list[tuple[str, object]]:
    """Parse source text into (kind, payload) blocks."""
    blocks: list[tuple[str, object]] = []
    table: TableSpec | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if table is not None:
            if stripped == "end-table":
                blocks.append(("table", table))
                table = None
            elif stripped.startswith("|"):
                table.rows.append([cell.strip() for cell in stripped.strip("|").split(" | ")])
            else:
                raise ValueError(f"line {number}: table rows start with '|'")
            continue
        if not stripped or stripped.startswith("# ") or stripped == "#":
            continue
        if stripped.startswith("{%p") or stripped.startswith("{#p"):
            blocks.append(("Normal", stripped))
            continue
        kind, _, rest = stripped.partition(":")
        rest = rest.strip()
        if kind == "table":
            widths = rest.split("widths=")[1] if "widths=" in rest else ""
            fixed = rest.split("fixed=")[1] if "fixed=" in rest else "0"
            table = TableSpec([int(w) for w in widths.split()[0].split(",") if w] if widths else [],
                              fixed=int(fixed))
        elif kind in ("pagebreak", "blank", "cover-end"):
            blocks.append((kind, None))
        elif kind in PARAGRAPH_STYLES:
            blocks.append((PARAGRAPH_STYLES[kind], rest))
        else:
            raise ValueError(f"line {number}: unknown block '{kind}'")
    if table is not None:
        raise ValueError("table without end-table")
    return blocks


def build(source: Path, target: Path) -> None:
    """Write the .docx for ``source`` to ``target``."""
    document = Document()
    _drop_styles_with_effects(document)
    apply_layout(document)
    body = document.element.body
    for p in list(document.paragraphs):  # python-docx starts with one empty paragraph
        body.remove(p._p)
    for kind, payload in parse(expand_includes(source.read_text(encoding="utf-8"), source.parent)):
        if kind == "table":
            _add_table(document, payload)
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "blank":
            document.add_paragraph()
        elif kind == "cover-end":
            _end_cover_section(document)
        else:
            document.add_paragraph(payload, style=document.styles[kind])
    core = document.core_properties
    core.author = "sireport"
    core.title = "社会保险基金支出绩效自评报告模板"
    core.revision = 1
    core.created = core.modified = core.last_printed = dt.datetime(2026, 1, 1)
    document.save(target)


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_styles_with_effects(document) -> None:
    """python-docx's default template carries Word 2010's stylesWithEffects.xml, a copy of the
    styles that would no longer match styles.xml once the layout is applied: Word takes such
    a mismatch for unreadable content. Word does not need the part, so it goes (a part no
    relationship points to is not saved, nor is its content type)."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rel_id)


def _end_cover_section(document) -> None:
    """A section break after the cover: the cover has no page number and the report
    proper starts at page 1. Inside ``{%p if report.cover %}``, so without a cover the
    break disappears and the document is one section again."""
    document.add_section(WD_SECTION.NEW_PAGE)
    body = document.element.body
    cover = body[-2].find(f"{qn('w:pPr')}/{qn('w:sectPr')}")  # python-docx put the old one here
    main = body.find(qn("w:sectPr"))
    for reference in cover.findall(qn("w:footerReference")):
        cover.remove(reference)
        ooxml.insert(main, reference)
    ooxml.child(main, "w:pgNumType").set(qn("w:start"), "1")


def _add_table(document, spec: TableSpec) -> None:
    columns = max(sum(1 for _ in row) for row in spec.rows)
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, width in enumerate(spec.widths_mm[:columns]):
        table.columns[index].width = Mm(width)
    _narrow_cell_margins(table)
    if spec.fixed:
        caption = ooxml.child(table._tbl.tblPr, "w:tblCaption")
        caption.set(qn("w:val"), CAPTION_PREFIX + ",".join(str(w) for w in spec.widths_mm[:spec.fixed]))
    for row_index, cells in enumerate(spec.rows):
        row = table.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        ooxml.switch_on(tr_pr, "w:cantSplit")  # a row never breaks across pages
        if row_index == 0:
            ooxml.switch_on(tr_pr, "w:tblHeader")  # repeated on each page
        merge_next = False
        for index, text in enumerate(cells):
            cell = row.cells[index]
            if text == "<" and index > 0:
                row.cells[index - 1].merge(cell)
                continue
            dynamic = _DYNAMIC_VMERGE.match(text)
            if dynamic:  # the engine turns the tag into the cell's w:vMerge (sireport.word.cell_tags)
                text = "{% vmerge " + dynamic.group(2).strip() + " %}" + dynamic.group(1).strip()
            elif text == "^":
                _v_merge(cell, "continue")
                text = ""
            elif row_index + 1 < len(spec.rows) and index < len(spec.rows[row_index + 1]) \
                    and spec.rows[row_index + 1][index] == "^":
                _v_merge(cell, "restart")
            if text.endswith(" >") or text == ">":
                text, merge_next = text[:-1].strip(), True
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["表格文字"]
            if text:
                paragraph.add_run(text)
            if merge_next and index + 1 < columns and text != "":
                cell.merge(row.cells[index + 1])
                merge_next = False
        for extra in row.cells[len(cells):]:
            extra.paragraphs[0].style = document.styles["表格文字"]


_DYNAMIC_VMERGE = re.compile(r"^(.*?)\s*\^=\s*\{\{(.+)\}\}$")


def _narrow_cell_margins(table, twips: int = 40) -> None:
    """Small left/right cell padding so that many fund columns fit on A4."""
    margins = ooxml.child(table._tbl.tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        node = ooxml.child(margins, f"w:{side}")
        node.set(qn("w:w"), str(twips))
        node.set(qn("w:type"), "dxa")


def _v_merge(cell, value: str) -> None:
    ooxml.child(cell._tc.get_or_add_tcPr(), "w:vMerge").set(qn("w:val"), value)


def main(argv: list[str]) -> int:
    """python -m tools.template_source SOURCE.txt TARGET.docx"""
    build(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
