"""Short labels in narrow table cells wrap between words, not inside one.

Chinese text breaks after any character, so a 6-character fund name in a 5-character
column prints as "企业养老保/险". Without changing the text (the audit and the golden texts
read it back), the cell's paragraph is indented on both sides until its line holds the
first line of a break between words: "企业养老/保险", "满意度/指标", "收入对比/分析".
Words are found with a few rules that fit the labels of these reports: a parenthesised
part stays whole, a trailing 指标/保险/分析/小计/情况/目标 is a word, the rest is read in
two-character words with an odd last character joining the word before it (满意度, 预算数).
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from lxml import etree

from sireport import ooxml

LABEL_SIZE = 210  # twips per character of 五号 (10.5 pt) table text
MAX_LABEL = 10  # longer cell texts are sentences: they wrap where Word and LibreOffice wrap them
_SUFFIXES = ("指标", "保险", "分析", "小计", "情况", "目标")
_PARTS = re.compile(r"[（(][^）)]*[）)]|[^（(]+")
_FULL_WIDTH = "\u3000-\u9fff\uff00-\uffef"  # the characters of a label: one LABEL_SIZE each
_LABEL = re.compile(f"[{_FULL_WIDTH}]+%?")
_NOT_IN_A_LABEL = re.compile(f"[^{_FULL_WIDTH}%]")
SLACK = 20  # twips of room beyond the widest line (rounding in Word and LibreOffice)


def never_a_label(text: str) -> bool:
    """Whether a cell whose text is or holds ``text`` is never fitted as a label: ``text`` is
    longer than a label or has a character no label has (a digit, a Latin letter, a space).
    No fit depends on such a text (which sireport.word.table_memo relies on)."""
    return len(text) > MAX_LABEL or _NOT_IN_A_LABEL.search(text) is not None


def words(text: str) -> list[str]:
    """The label's words, in order (joined they give the text back)."""
    out: list[str] = []
    for part in _PARTS.findall(text):
        if part[0] in "（(":
            out.append(part)
            continue
        tail: list[str] = []
        while len(part) > 2 and part.endswith(_SUFFIXES):
            tail.insert(0, part[-2:])
            part = part[:-2]
        chunks = [part[i:i + 2] for i in range(0, len(part), 2)]
        if len(chunks) > 1 and len(chunks[-1]) == 1:
            last = chunks.pop()
            chunks[-1] += last
        out += chunks + tail
    return out


def lines(text: str, capacity: int) -> list[str] | None:
    """The fewest lines of whole words, each within ``capacity`` characters and as even as
    can be, or None when the words do not fit."""
    found = words(text)
    if any(len(word) > capacity for word in found):
        return None
    for count in range(2, len(found) + 1):
        best = _split(found, count, capacity)
        if best:
            return best
    return None


def _split(found: list[str], count: int, capacity: int) -> list[str] | None:
    """``found`` in ``count`` lines of at most ``capacity`` characters, the best by :func:`_worse`."""
    if count == 1:
        line = "".join(found)
        return [line] if len(line) <= capacity else None
    best = None
    for cut in range(1, len(found) - count + 2):
        head = "".join(found[:cut])
        if len(head) > capacity:
            break
        rest = _split(found[cut:], count - 1, capacity)
        if rest and (best is None or _worse(best, [head, *rest])):
            best = [head, *rest]
    return best


def _worse(best: list[str], other: list[str]) -> bool:
    """Whether ``other`` is the better split: a shorter longest line, then longer first lines
    (the break Word takes when the line is as wide as the first one)."""
    return (max(map(len, other)), [-len(x) for x in other]) < (max(map(len, best)), [-len(x) for x in best])


T, P, TC, TR, GRID_COL, P_PR, JC, TC_PR, GRID_SPAN, VAL, W, LEFT, RIGHT, TBL_PR, CELL_MAR = (qn(name) for name in (
    "w:t", "w:p", "w:tc", "w:tr", "w:gridCol", "w:pPr", "w:jc", "w:tcPr", "w:gridSpan", "w:val", "w:w", "w:left",
    "w:right", "w:tblPr", "w:tblCellMar"))


def fit_labels(table: etree._Element, rows: int | None = None) -> list[etree._Element]:
    """Indent the label cells of ``table`` (its first ``rows`` rows, or all) that would
    break inside a word, so that they break between words. Returns the paragraphs whose
    text it read: no other text changes a fit (which sireport.word.table_memo relies on)."""
    found = _label_paragraphs(table, rows)
    for paragraph, width in found:
        _fit_label(paragraph, width)
    return [paragraph for paragraph, _ in found]


def _label_paragraphs(table: etree._Element, rows: int | None) -> list[tuple[etree._Element, int]]:
    """The paragraph and width (twips) of each cell of ``table`` (its first ``rows`` rows)
    that is fitted when its text is a label longer than a line: a cell of one centred
    paragraph narrower than MAX_LABEL characters."""
    grid = [int(col.get(W)) for col in table.iter(GRID_COL)]
    margins = _cell_margins(table)
    found = []
    for tr in list(table.iterchildren(TR))[:rows]:
        position = 0
        for tc in tr.iterchildren(TC):
            span = _span(tc)
            width = sum(grid[position:position + span]) - margins
            position += span
            paragraphs = list(tc.iterchildren(P))
            if (len(paragraphs) == 1 and 0 < width // LABEL_SIZE < MAX_LABEL  # (a longer text is no label)
                    and ooxml.first(paragraphs[0], P_PR, JC) is None):  # left- or right-aligned: text and numbers
                found.append((paragraphs[0], width))
    return found


def _fit_label(paragraph: etree._Element, width: int) -> None:
    text = "".join(node.text or "" for node in paragraph.iter(T))
    capacity = width // LABEL_SIZE
    if len(text) <= capacity or len(text) > MAX_LABEL or not _LABEL.fullmatch(text):
        return
    found = lines(text, capacity)
    if not found or any(len(line) != len(found[0]) for line in found[:-1]) or len(found[-1]) > len(found[0]):
        return  # a break Word would not take at the first line's width: left as it wraps
    indent = (width - len(found[0]) * LABEL_SIZE - SLACK) // 2
    if indent > 0:
        props = ooxml.first(paragraph, P_PR)
        if props is None:  # w:pPr comes first in w:p
            props = etree.SubElement(paragraph, P_PR)
            paragraph.insert(0, props)
        ind = ooxml.child(props, "w:ind")
        ind.set(LEFT, str(indent))
        ind.set(RIGHT, str(indent))


def _cell_margins(table: etree._Element) -> int:
    """Left plus right cell margin of the table (twips; Word's default 108 each side)."""
    total = 0
    for side in (LEFT, RIGHT):
        node = ooxml.first(table, TBL_PR, CELL_MAR, side)
        total += int(node.get(W)) if node is not None else 108
    return total


def _span(tc: etree._Element) -> int:
    span = ooxml.first(tc, TC_PR, GRID_SPAN)
    return int(span.get(VAL)) if span is not None else 1
