"""Column widths of tables whose column count is only known after rendering.

A ``{%tc for %}`` loop (one column per fund) leaves docxtpl to guess widths, which
squeezes the label columns. A template table whose caption (表格属性 → 可选文字 → 标题)
is ``sireport:fixed=14,26`` keeps its first columns at those widths (mm) and shares the
rest of the text width evenly among the other columns.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

CAPTION_PREFIX = "sireport:fixed="
TWIPS_PER_MM = 1440 / 25.4


def text_width_twips(body: etree._Element) -> int:
    """Page width minus left and right margins of the body's last section."""
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        return int(156 * TWIPS_PER_MM)
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))


def fit_tables(body: etree._Element) -> None:
    """Apply the fixed/even column widths to every table that asks for them."""
    width = text_width_twips(body)
    for table in body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        value = caption.get(qn("w:val"), "") if caption is not None else ""
        if value.startswith(CAPTION_PREFIX):
            _fit(table, [float(w) * TWIPS_PER_MM for w in value[len(CAPTION_PREFIX):].split(",") if w], width)


def _fit(table: etree._Element, fixed: list[float], width: int) -> None:
    grid = table.find(qn("w:tblGrid"))
    columns = grid.findall(qn("w:gridCol"))
    rest = len(columns) - len(fixed)
    if rest <= 0:
        return
    share = (width - sum(fixed)) / rest
    widths = [int(w) for w in fixed] + [int(share)] * rest
    for column, value in zip(columns, widths):
        column.set(qn("w:w"), str(value))
    for row in table.iter(qn("w:tr")):
        position = 0
        for cell in row.findall(qn("w:tc")):
            props = cell.find(qn("w:tcPr"))
            span_node = props.find(qn("w:gridSpan")) if props is not None else None
            span = int(span_node.get(qn("w:val"))) if span_node is not None else 1
            tc_w = props.find(qn("w:tcW")) if props is not None else None
            if tc_w is not None:
                tc_w.set(qn("w:type"), "dxa")
                tc_w.set(qn("w:w"), str(sum(widths[position:position + span])))
            position += span
    props = table.find(qn("w:tblPr"))
    table_width = props.find(qn("w:tblW"))
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(sum(widths)))
