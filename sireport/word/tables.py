"""Column widths of tables whose column count is only known after rendering.

A ``{%tc for %}`` loop (one column per fund) leaves docxtpl to guess widths, which
squeezes the label columns. A template table whose caption (表格属性 → 可选文字 → 标题)
is ``sireport:fixed=14,26`` keeps its first columns at those widths (mm) and shares the
rest of the text width evenly among the other columns. Its labels, and those of a table
captioned ``sireport:labels``, then break between words (:mod:`sireport.word.labels`).
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from lxml import etree

from sireport import ooxml
from sireport.word.labels import fit_labels

CAPTION_MARK = "sireport:"  # a table whose caption starts so is measured again after rendering
CAPTION_PREFIX = CAPTION_MARK + "fixed="
LABELS_CAPTION = CAPTION_MARK + "labels"  # only its label cells are fitted (sireport.word.labels)
_CAPTION = re.compile(r"""<w:tblCaption\b[^>]*\sw:val=["']""" + re.escape(CAPTION_MARK) + r"""(?:fixed=|labels["'])""")


def captioned(xml: str) -> bool:
    """Whether a table's XML has a caption (w:tblCaption) that asks to be measured after
    rendering; the same words in a cell's text do not count."""
    return (CAPTION_PREFIX in xml or LABELS_CAPTION in xml) and _CAPTION.search(xml) is not None


TWIPS_PER_MM = 1440 / 25.4


def text_width_twips(body: etree._Element) -> int:
    """Page width minus left and right margins of the body's last section."""
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        return int(156 * TWIPS_PER_MM)
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))


def fit_tables(body: etree._Element, width: int | None = None) -> list[str]:
    """Apply the fixed/even column widths to every table (in ``body`` or a table) that asks
    for them, and fit its labels (:func:`sireport.word.labels.fit_labels`). Returns the
    texts (w:t) the fit read: those of the label cells; no other text changes a fit.

    ``width`` is the text width in twips (default: from the body's section properties).
    """
    width = text_width_twips(body) if width is None else width
    read: list[etree._Element] = []
    for table in body.iter(TBL):
        caption = table.find(f"{TBL_PR}/{TBL_CAPTION}")
        value = caption.get(VAL, "") if caption is not None else ""
        if value.startswith(CAPTION_PREFIX):
            _fit(table, [float(w) * TWIPS_PER_MM for w in value[len(CAPTION_PREFIX):].split(",") if w], width)
        if value.startswith(CAPTION_MARK):
            read += fit_labels(table)
    return [node.text or "" for paragraph in read for node in paragraph.iter(T)]


GRID_COL, TR, TC, TC_PR, GRID_SPAN, VAL, TYPE, W, T, TBL, TBL_PR, TBL_CAPTION = (qn(name) for name in (
    "w:gridCol", "w:tr", "w:tc", "w:tcPr", "w:gridSpan", "w:val", "w:type", "w:w", "w:t", "w:tbl", "w:tblPr",
    "w:tblCaption"))


def _fit(table: etree._Element, fixed: list[float], width: int) -> None:
    """One grid column per column the rows span (a {%tc%} loop may have changed how many),
    the first ``len(fixed)`` at the fixed widths and the rest sharing what is left.

    Widths a clerk's table lacks (WPS writes no w:tcW) are added at their schema position."""
    rows = [[(_span(tc), tc) for tc in row.iterchildren(TC)] for row in table.iterchildren(TR)]
    count = max((sum(span for span, _ in row) for row in rows), default=0)
    rest = count - len(fixed)
    if rest <= 0:
        return
    share = (width - sum(fixed)) / rest
    widths = [int(w) for w in fixed] + [int(share)] * rest
    grid = ooxml.child(table, "w:tblGrid")
    columns = grid.findall(GRID_COL)
    for column in columns[count:]:
        grid.remove(column)
    for _ in range(len(columns), count):
        ooxml.insert(grid, grid.makeelement(GRID_COL))
    for column, value in zip(grid.iterchildren(GRID_COL), widths):
        column.set(W, str(value))
    for row in rows:
        position = 0
        for span, tc in row:
            _set_width(ooxml.child(ooxml.child(tc, "w:tcPr"), "w:tcW"), sum(widths[position:position + span]))
            position += span
    _set_width(ooxml.child(ooxml.child(table, "w:tblPr"), "w:tblW"), sum(widths))


def _set_width(node: etree._Element, twips: int) -> None:
    node.set(TYPE, "dxa")
    node.set(W, str(twips))


def _span(tc: etree._Element) -> int:
    """How many grid columns a table cell spans."""
    props = tc[0] if len(tc) and tc[0].tag == TC_PR else None  # w:tcPr comes first when present
    span = props.find(GRID_SPAN) if props is not None else None
    return int(span.get(VAL)) if span is not None else 1
