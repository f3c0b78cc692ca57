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


def fit_tables(body: etree._Element, width: int | None = None) -> None:
    """Apply the fixed/even column widths to every table (in ``body`` or a table) that asks for them.

    ``width`` is the text width in twips (default: from the body's section properties).
    """
    width = text_width_twips(body) if width is None else width
    for table in body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        value = caption.get(qn("w:val"), "") if caption is not None else ""
        if value.startswith(CAPTION_PREFIX):
            _fit(table, [float(w) * TWIPS_PER_MM for w in value[len(CAPTION_PREFIX):].split(",") if w], width)


TBL_GRID, GRID_COL, TR, TC, TC_PR, GRID_SPAN, VAL, TC_W, TYPE, W, TBL_PR, TBL_W = (qn(name) for name in (
    "w:tblGrid", "w:gridCol", "w:tr", "w:tc", "w:tcPr", "w:gridSpan", "w:val", "w:tcW", "w:type", "w:w",
    "w:tblPr", "w:tblW"))


def _fit(table: etree._Element, fixed: list[float], width: int) -> None:
    """One grid column per column the rows span (a {%tc%} loop may have changed how many),
    the first ``len(fixed)`` at the fixed widths and the rest sharing what is left."""
    rows = [[_cell(tc) for tc in row.iterchildren(TC)] for row in table.iter(TR)]
    count = max((sum(span for span, _ in row) for row in rows), default=0)
    rest = count - len(fixed)
    if rest <= 0:
        return
    share = (width - sum(fixed)) / rest
    widths = [int(w) for w in fixed] + [int(share)] * rest
    grid = table.find(TBL_GRID)
    for column in grid.findall(GRID_COL)[count:]:
        grid.remove(column)
    while len(grid) < count:
        etree.SubElement(grid, GRID_COL)
    for column, value in zip(grid.iterchildren(GRID_COL), widths):
        column.set(W, str(value))
    for row in rows:
        position = 0
        for span, tc_w in row:
            if tc_w is not None:
                tc_w.set(TYPE, "dxa")
                tc_w.set(W, str(sum(widths[position:position + span])))
            position += span
    table_width = table.find(f"{TBL_PR}/{TBL_W}")
    if table_width is not None:
        table_width.set(TYPE, "dxa")
        table_width.set(W, str(sum(widths)))


def _cell(tc: etree._Element) -> tuple[int, etree._Element | None]:
    """(columns spanned, the w:tcW width element or None) of a table cell."""
    span, tc_w = 1, None
    props = tc[0] if len(tc) and tc[0].tag == TC_PR else None  # w:tcPr comes first when present
    if props is not None:
        for child in props:
            if child.tag == GRID_SPAN:
                span = int(child.get(VAL))
            elif child.tag == TC_W:
                tc_w = child
    return span, tc_w
