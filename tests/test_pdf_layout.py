"""GB/T 9704 layout measured on the PDF (poppler's word boxes, ``pdftotext -bbox``): a full
body line holds 28 characters, body lines are 28.95 pt apart (22 a page), page numbers
at the right of odd pages and the left of even pages, one character in.

Every example report with both report templates, converted once by the converter pool.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from html import unescape
from pathlib import Path

import pytest

from conftest import REPORT_CASES

pytestmark = pytest.mark.slow  # starts LibreOffice

MM = 72 / 25.4
PAGE_WIDTH = 210 * MM
LEFT, RIGHT = 28 * MM, 26 * MM  # margins
TEXT_BOTTOM = (297 - 35) * MM
ONE_CHARACTER = 14  # the 4号 page number's character, in points
CASES = REPORT_CASES
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_WIDE = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]+$")  # CJK characters and full-width punctuation


@pytest.fixture(scope="module")
def pdfs(example_pdfs) -> dict[tuple[str, str], Path]:
    return {case: example_pdfs[case] for case in CASES}


def pages(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words: (xMin, yMin, xMax, yMax, text)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(page)]
            for page in html.split("<page ")[1:]]


def body_lines(words) -> dict[float, list]:
    """The words of the text block grouped by line (rounded top), body size only (16 pt boxes)."""
    lines = defaultdict(list)
    for word in words:
        if word[3] <= TEXT_BOTTOM and 19 < word[3] - word[1] < 23:
            lines[round(word[1], 1)].append(word)
    return lines


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}" if isinstance(c, tuple) else c)
def test_a_full_line_holds_28_characters(pdfs, case):
    full = []
    for words in pages(pdfs[case]):
        for line in body_lines(words).values():
            text = "".join(w[4] for w in sorted(line))
            starts, ends = min(w[0] for w in line), max(w[2] for w in line)
            if _WIDE.match(text) and starts < LEFT + 2 and ends > PAGE_WIDTH - RIGHT - 17:  # a full line
                full.append(len(text))
    assert full, "no full line of Chinese text found"
    # 28 at most and most often; a line is one or two short where a comma may not begin the next
    assert max(full) == 28 and max(set(full), key=full.count) == 28, sorted(full)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}" if isinstance(c, tuple) else c)
def test_body_lines_are_28_95_pt_apart_and_at_most_22_a_page(pdfs, case):
    gaps = []
    for words in pages(pdfs[case]):
        tops = sorted(body_lines(words))
        assert len(tops) <= 22
        gaps += [round(b - a, 1) for a, b in zip(tops, tops[1:]) if b - a < 40]
    assert max(set(gaps), key=gaps.count) == pytest.approx(28.95, abs=0.1)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}" if isinstance(c, tuple) else c)
def test_page_numbers_right_on_odd_pages_left_on_even_pages_one_character_in(pdfs, case):
    numbered = 0
    for words in pages(pdfs[case]):
        foot = [w for w in words if w[1] > TEXT_BOTTOM]
        digits = [w for w in foot if w[4].isdigit()]
        if not digits:
            continue  # the cover
        number = int(digits[0][4])
        if number % 2:
            assert max(w[2] for w in foot) == pytest.approx(PAGE_WIDTH - RIGHT - ONE_CHARACTER, abs=1.5)
        else:
            assert min(w[0] for w in foot) == pytest.approx(LEFT + ONE_CHARACTER, abs=1.5)
        numbered += 1
    assert numbered >= 2
