"""Tables on the page, measured on the PDF: poppler's word boxes (``pdftotext -bbox``) and
the table rules LibreOffice draws (``pdftocairo -svg``: each border is a stroked line).

- the 收支分析表 of every example, default and six-part, is on one page with its title and
  its unit line, which is in the table's size;
- no word of any table crosses a cell border (text overflowing its cell);
- numbers are right-aligned: each amount, rate and score ends at its cell's right border
  (less the cell padding), so the numbers of a column share one right edge;
- no centred label line holds a single character (a word broken: "企业养老保/险");
- the 附表 (绩效自评表) is one table: on every page it continues on, its first row is
  repeated and every merged 一级/二级 block of the page holds its label.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PROJECT_CASES, REPORT_CASES
from test_pdf_layout import pages

pytestmark = pytest.mark.slow  # starts LibreOffice

CASES = REPORT_CASES + PROJECT_CASES
PADDING = 2.0  # the cells' left/right margin: 40 twips
NUMBER = re.compile(r"^(-?[\d,]+(\.\d+)?%?|—)$")
NUMBER_HEADERS = {"年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"}
_LINE = re.compile(r'<path style="fill:none;stroke-width:[\d.]+;[^"]*" d="M ([\d.-]+) ([\d.-]+) L ([\d.-]+) ([\d.-]+) "'
                   r' transform="matrix\(([\d.-]+),0,0,([\d.-]+),0,([\d.-]+)\)"/>')


def _ids(case):
    return f"{case[0]}-{case[1]}"


@pytest.fixture(scope="module")
def pdfs(example_pdfs) -> dict[tuple[str, str], Path]:
    return {case: example_pdfs[case] for case in CASES}


@dataclass
class Rules:
    """A page's table rules: vertical (x, top, bottom) and horizontal (y, left, right), in pt from the top left."""

    vertical: list[tuple[float, float, float]]
    horizontal: list[tuple[float, float, float]]

    def borders(self, x: float, y: float) -> tuple[float, float] | None:
        """The left and right border of the cell around (x, y), if (x, y) is in a table."""
        xs = [v[0] for v in self.vertical if v[1] - 0.5 <= y <= v[2] + 0.5]
        left, right = [v for v in xs if v <= x], [v for v in xs if v > x]
        return (max(left), min(right)) if left and right else None


def rules(pdf: Path, page: int) -> Rules:
    svg = subprocess.run(["pdftocairo", "-svg", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    vertical, horizontal = [], []
    for x1, y1, x2, y2, a, d, f in (map(float, m) for m in _LINE.findall(svg)):
        x1, x2, y1, y2 = a * x1, a * x2, d * y1 + f, d * y2 + f
        if abs(x1 - x2) < 0.1:
            vertical.append((x1, min(y1, y2), max(y1, y2)))
        elif abs(y1 - y2) < 0.1:
            horizontal.append((y1, min(x1, x2), max(x1, x2)))
    return Rules(vertical, horizontal)


def table_pages(pdf: Path) -> list[tuple[int, list, Rules]]:
    """(number, words, rules) of every page that has a table."""
    out = []
    for number, words in enumerate(pages(pdf), start=1):
        found = rules(pdf, number)
        if found.vertical:
            out.append((number, words, found))
    return out


def in_tables(words, found: Rules) -> list[tuple]:
    """The words inside a table's cells: (word, left border, right border)."""
    out = []
    for word in words:
        borders = found.borders((word[0] + word[2]) / 2, (word[1] + word[3]) / 2)
        if borders:
            out.append((word, *borders))
    return out


@pytest.mark.parametrize("case", REPORT_CASES, ids=_ids)
def test_the_analysis_table_is_on_one_page_with_its_title_and_unit(pdfs, case):
    where = {}
    for number, words in enumerate(pages(pdfs[case]), start=1):
        text = [w[4] for w in words]
        for key in ("收支分析表", "险种", "执行预算%"):
            if any(key in t if key == "收支分析表" else key == t for t in text):
                where.setdefault(key, set()).add(number)
        if "执行预算%" in text:
            assert text.count("执行预算%") == 2, f"page {number}: one of the 收入/支出 执行预算% rows is elsewhere"
            title = next(w for w in words if "收支分析表" in w[4])
            unit = [w for w in words if w[4].startswith("单位")]
            assert unit and title[1] < unit[0][1], "the unit line is not under the title on the table's page"
            header = next(w for w in words if w[4] == "险种")
            assert unit[0][3] - unit[0][1] == pytest.approx(header[3] - header[1], abs=0.5)  # the table's size
    assert len(where["收支分析表"] | where["险种"] | where["执行预算%"]) == 1, where


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_no_table_text_crosses_a_cell_border(pdfs, case):
    crossing, measured = [], 0
    for number, words, found in table_pages(pdfs[case]):
        for word in words:
            y = (word[1] + word[3]) / 2
            for x, top, bottom in found.vertical:
                if top < y < bottom and word[0] + 0.5 < x < word[2] - 0.5:
                    crossing.append((number, word[4], round(x, 1)))
            measured += 1
    assert measured > 20
    assert not crossing, crossing


TEXT_HEADERS = ("险种", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "偏差原因", "预期目标", "实际完成情况")


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_numbers_end_at_the_right_border_of_their_cell(pdfs, case):
    """A column's kind is its header's, the last header read above it (the 附表's money and
    indicator rows share columns): a 收支分析表 fund column or a NUMBER_HEADERS column holds
    numbers, and each ends PADDING before the cell's right border."""
    header: dict[tuple[float, float], bool] = {}  # column borders → holds numbers
    funds_row = None  # the y of the 收支分析表's 险种 row on this page
    checked, misplaced = 0, []
    for number, words, found in table_pages(pdfs[case]):
        for word, left, right in sorted(in_tables(words, found), key=lambda c: (round(c[0][1]), c[0][0])):
            column, text = (round(left, 1), round(right, 1)), word[4]
            if text == "险种":
                funds_row, header[column] = word[1], False
            elif funds_row is not None and abs(word[1] - funds_row) < 12 and not NUMBER.match(text):
                header[column] = True  # a fund's name (one or two lines) over its column
            elif text in NUMBER_HEADERS or text.startswith(TEXT_HEADERS):
                header[column], funds_row = text in NUMBER_HEADERS, None
            elif header.get(column) and NUMBER.match(text):
                checked += 1
                if abs(right - PADDING - word[2]) > 1.0:
                    misplaced.append((number, text, round(right - word[2], 1)))
        funds_row = None
    assert checked >= 10, f"only {checked} numbers found in number columns"
    assert not misplaced, misplaced


EVALUATED = [("hejing-2019", "default"), ("hejing-2019", "six-part"), *PROJECT_CASES]


@pytest.mark.parametrize("case", EVALUATED, ids=_ids)
def test_the_appendix_is_one_table_with_its_first_row_and_labels_on_every_page(pdfs, case):
    first_row = "项目名称"
    pages_of_table = [(n, w, f) for n, w, f in table_pages(pdfs[case])
                      if any(word[4] == first_row for word, *_ in in_tables(w, f))]
    start = pages_of_table[0][0]
    assert [n for n, *_ in pages_of_table] == list(range(start, start + len(pages_of_table)))
    everywhere = [c for _, words, found in pages_of_table for c in in_tables(words, found)]
    label_columns = {(round(c[1], 1), round(c[2], 1)) for c in everywhere if c[0][4] in ("一级指标", "二级指标", "二级")}
    assert len(label_columns) == 2
    for number, words, found in pages_of_table:
        cells = in_tables(words, found)
        first = min(w[1] for w, *_ in cells)
        assert any(w[4] == first_row and w[1] - first < 20 for w, *_ in cells), f"page {number}: first row not repeated"
        if number == start:
            continue
        one_table = {round(x) for x, *_ in found.vertical if x < 100}
        assert len(one_table) == 1, f"page {number}: tables of different edges"
        for left, right in label_columns:
            edges = sorted(y for y, a, b in found.horizontal if a <= left + 1 and b >= right - 1)
            blocks = list(zip(edges, edges[1:]))[1:]  # below the repeated first row
            for upper, lower in blocks:
                if not any(abs(x - left) < 1 and y0 < (upper + lower) / 2 < y1 for x, y0, y1 in found.vertical):
                    continue  # a row whose cell spans this column (总分)
                inside = [w for w, at, _ in cells if abs(at - left) < 1 and upper < w[1] < lower]
                assert inside, f"page {number}: a blank merged block in column {left:.0f}–{right:.0f} pt"


_CHARACTER = re.compile(r"^[\u4e00-\u9fff]$")


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_no_centred_label_leaves_one_character_on_a_line(pdfs, case):
    """Header and label cells break between words ("企业养老/保险", "满意度/指标"), never
    "企业养老保/险"; text cells are left-aligned, so a centred line is a label's."""
    alone, labels = [], 0
    for number, words, found in table_pages(pdfs[case]):
        lines = {}  # the words of one line of one cell
        for word, left, right in in_tables(words, found):
            lines.setdefault((round(word[1]), left, right), []).append(word)
        for (_, left, right), line in lines.items():
            start, end = min(w[0] for w in line), max(w[2] for w in line)
            centred = abs((start - left) - (right - end)) < 2 and start - left > PADDING + 1
            labels += centred
            if centred and len(line) == 1 and _CHARACTER.match(line[0][4]):
                alone.append((number, line[0][4]))
    assert labels > 10
    assert not alone, alone
