"""Page flow measured on the PDF (pdfplumber's characters, with their fonts): balanced title
lines, no heading line of one character, no page foot with more than 3 empty lines before a
heading whose block would have fitted, quotation marks in the East Asian face.

Every example report with both report templates (the conversions shared by the PDF tests: conftest.example_pdfs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, run_cli
from test_pdf_layout import CASES, MM, TEXT_BOTTOM, pdfs  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow  # starts LibreOffice

LINE_PITCH = 28.95  # points: 22 lines a page
BODY_SIZE = 16
LEFT = 28 * MM
QUOTES = "“”‘’"
IDS = [f"{name}-{template}" for name, template in CASES]


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    chars: list

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


def read_lines(pdf: Path) -> list[list[Line]]:
    """Each page's text lines above the footer, top to bottom (characters grouped by their top)."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            rows: dict[int, list] = {}
            for char in page.chars:
                if char["bottom"] <= TEXT_BOTTOM + 2 and char["text"].strip():
                    rows.setdefault(round(char["top"] / 3), []).append(char)
            lines = []
            for key in sorted(rows):
                chars = sorted(rows[key], key=lambda c: c["x0"])
                lines.append(Line(number, min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                                  chars[0]["x0"], chars[-1]["x1"], max(c["size"] for c in chars), chars))
            pages.append(lines)
    return pages


def headings(docx: Path) -> list[str]:
    """The text of every heading paragraph (a style with an outline level), line breaks removed."""
    document = Document(str(docx))
    found = []
    for paragraph in document.paragraphs:
        style = paragraph.style
        while style is not None and style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") is None:
            style = style.base_style
        if style is not None and paragraph.text.strip():
            found.append(paragraph.text.replace("\n", ""))
    return found


def heading_lines(pages: list[list[Line]], texts: list[str]) -> list[list[Line]]:
    """The PDF lines of each heading, found in reading order."""
    flat = [line for page in pages for line in page]
    found, at = [], 0
    for text in texts:
        for i in range(at, len(flat)):
            if flat[i].text and text.startswith(flat[i].text):
                lines, joined = [flat[i]], flat[i].text
                while joined != text and i + len(lines) < len(flat) and text.startswith(joined + flat[i + len(lines)].text):
                    lines.append(flat[i + len(lines)])
                    joined += lines[-1].text
                if joined == text:
                    found.append(lines)
                    at = i + len(lines)
                    break
    return found


def forced_starts(docx: Path) -> list[str]:
    """The text starting a page by force: after a page break or a section break."""
    document = Document(str(docx))
    starts, forced = [], False
    for paragraph in document.paragraphs:
        element = paragraph._p
        if forced and paragraph.text.strip():
            starts.append(paragraph.text.replace("\n", ""))
            forced = False
        if element.xpath(".//w:br[@w:type='page']") or element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            forced = True
    return starts


@pytest.fixture(scope="module")
def measured(pdfs):  # noqa: F811 (the fixture imported above)
    return {case: read_lines(pdf) for case, pdf in pdfs.items()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_title_lines_are_balanced_and_none_is_a_stranded_word(pdfs, measured, case):  # noqa: F811
    titles, current = [], []
    for page in measured[case]:
        for line in page:
            if line.size >= 20:  # the title (2号, 22 pt) and the cover title (26 pt)
                if current and (line.page != current[-1].page or line.size != current[-1].size):
                    titles.append(current)
                    current = []
                current.append(line)
            elif current:
                titles.append(current)
                current = []
    assert titles, "no title found"
    for title in titles:
        texts = [line.text for line in title]
        assert "".join(texts).endswith("报告"), texts
        if len(title) > 1:
            ems = [(line.x1 - line.x0) / line.size for line in title]
            assert min(len(t) for t in texts) > 2, texts
            assert max(ems) - min(ems) <= 6, (texts, ems)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_heading_line_holds_one_character(pdfs, measured, case):  # noqa: F811
    texts = headings(pdfs[case].with_suffix(".docx"))
    found = heading_lines(measured[case], texts)
    assert len(found) == len(texts), set(texts) - {"".join(line.text for line in lines) for lines in found}
    wrapped = [[line.text for line in lines] for lines in found if len(lines) > 1]
    assert all(len(text) > 1 for lines in wrapped for text in lines), wrapped


def next_block(page: list[Line], starts_heading: set[float]) -> int:
    """Lines the next page's first block needs: its headings and the first paragraph's first two
    lines (the whole paragraph when it has three lines or fewer: widow/orphan control)."""
    count, paragraph = 0, []
    for line in page:
        if line.top in starts_heading and not paragraph:
            count += 1
            continue
        if line.size != BODY_SIZE:
            return count + len(paragraph) + 99  # a table: kept with its caption, cannot be split here
        if paragraph and line.x0 > LEFT + BODY_SIZE:  # the next paragraph's indented first line
            break
        paragraph.append(line)
    return count + (len(paragraph) if len(paragraph) <= 3 else 2)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_page_foot_has_more_than_3_empty_lines_before_a_heading_that_fits(pdfs, measured, case):  # noqa: F811
    docx = pdfs[case].with_suffix(".docx")
    pages = measured[case]
    heading_tops = {(line.page, line.top) for lines in heading_lines(pages, headings(docx)) for line in lines}
    forced = forced_starts(docx)
    stranded = []
    for page, following in zip(pages, pages[1:]):
        if not page or not following:
            continue
        empty = (TEXT_BOTTOM - page[-1].bottom) / LINE_PITCH
        first = following[0]
        if (first.page, first.top) not in heading_tops or any(s.startswith(first.text) for s in forced):
            continue  # the next page does not start with a heading, or starts by a page break
        tops = {top for number, top in heading_tops if number == first.page}
        if empty > 3 and next_block(following, tops) <= int(empty):
            stranded.append((page[-1].page, round(empty, 1), first.text))
    assert not stranded, stranded


def face(char: dict) -> str:
    """The font of a character without its subset prefix (ABCDEF+FandolFang-Regular)."""
    return char["fontname"].split("+")[-1]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_quotation_marks_are_full_width_in_the_east_asian_face(measured, case):
    quotes = 0
    for page in measured[case]:
        for line in page:
            for n, char in enumerate(line.chars):
                if char["text"] not in QUOTES:
                    continue
                quotes += 1
                neighbours = [c for c in line.chars[max(n - 2, 0):n + 3] if c["text"] not in QUOTES and ord(c["text"]) > 0x3000]
                assert neighbours, line.text
                assert face(char) == face(neighbours[0]), (line.text, char["fontname"])
                assert char["x1"] - char["x0"] == pytest.approx(char["size"], abs=0.5), line.text
    assert quotes >= 2  # every example has “以支定收、收支平衡”


# unit names of many lengths (prefecture + unit), from a one-line title to a three-line one
NAMES = [("", "伊州"), ("巴州", "和静县"), ("巴音郭楞蒙古自治州", "和静县"), ("伊犁哈萨克自治州", "奎屯市"),
         ("克孜勒苏柯尔克孜自治州", "阿合奇县"), ("新疆维吾尔自治区", "克孜勒苏柯尔克孜自治州阿合奇县")]


@pytest.fixture(scope="module")
def named_pdfs(tmp_path_factory):
    """The 和静 example (it has a cover) under each name of NAMES, converted."""
    from sireport.pdf.pool import ConverterPool

    folder = tmp_path_factory.mktemp("names")
    source = (EXAMPLES / "hejing-2019.yaml").read_text(encoding="utf-8")
    reports = []
    for n, (prefecture, unit) in enumerate(NAMES):
        data = folder / f"unit{n}.yaml"
        data.write_text(source.replace("  unit: 和静县\n  prefecture: 巴州\n",
                                       f"  unit: {unit}\n  prefecture: '{prefecture}'\n"), encoding="utf-8")
        result = run_cli("render", data, "-o", folder / f"unit{n}.docx")
        assert result.exit_code == 0, result.stderr
        reports.append(folder / f"unit{n}.docx")
    with ConverterPool(2) as pool:
        results = [future.result() for future in [pool.submit(docx) for docx in reports]]
    assert all(r.ok for r in results), [r.error for r in results]
    return [r.pdf for r in results]


def titles(pages: list[list[Line]]) -> list[list[str]]:
    """The lines of each title (22 pt) and cover title (26 pt) on the first pages."""
    found = {}
    for page in pages[:3]:
        for line in page:
            if line.size >= 20:
                found.setdefault((line.page, line.size), []).append(line.text)
    return list(found.values())


def test_titles_of_units_with_names_of_many_lengths_break_between_words(named_pdfs):
    seen = []
    for pdf, (prefecture, unit) in zip(named_pdfs, NAMES):
        for lines in titles(read_lines(pdf)):
            seen.append(lines)
            text = "".join(lines)
            assert text.startswith(prefecture + unit) and text.endswith("绩效自评报告"), lines
            assert min(len(line) for line in lines) > 2 or len(lines) == 1, lines
            for word in ("社会保险基金", "绩效自评报告", "2019年度"):
                assert word not in text or any(word in line for line in lines), (word, lines)
    assert {len(lines) for lines in seen} >= {1, 2, 3}, seen  # one line, two and three all tried
