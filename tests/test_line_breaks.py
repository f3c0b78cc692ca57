"""Where titles and headings break (sireport.word.line_breaks), and quotation marks in the East
Asian font (sireport.word.quote_fonts): on generated unit names of many lengths, and in the
rendered .docx of every example. The PDF itself is measured in test_pdf_flow (slow)."""

from __future__ import annotations

import random
import re
import zipfile

import pytest
from docx import Document

from conftest import EXAMPLES
from sireport.word.line_breaks import Measure, break_lines, choose, measures
from sireport.word.quote_fonts import _quoted_texts, hint_quotes
from sireport.word.search import builtin_dir
from sireport.word.tables import text_width_twips

TEXT_WIDTH = 156 / 25.4 * 72  # points between the margins
TITLE = Measure(True, 22, 0.25, TEXT_WIDTH, TEXT_WIDTH)  # 2号 小标宋
COVER = Measure(True, 26, 0, TEXT_WIDTH, TEXT_WIDTH)  # the cover's title
HEADING = Measure(False, 16, -0.25, TEXT_WIDTH - 32, TEXT_WIDTH)  # 3号, two characters indented
SUFFIXES = ["市", "县", "区", "自治州", "地区", "自治县", "旗"]
SYLLABLES = "哈密和静巴音郭楞蒙古伊犁哈萨克奎屯阿拉尔克孜勒苏柯尔阿合奇吐鲁番昌吉博尔塔拉"
WHOLE = ["社会保险基金", "绩效自评报告", "2019年度"]


def generated_units(count: int = 300) -> list[str]:
    """Unit names from 2 to 24 characters: a prefecture and a county, each with its suffix."""
    rng = random.Random(14)
    names = []
    for _ in range(count):
        parts = ["".join(rng.choices(SYLLABLES, k=rng.randint(1, 8))) + rng.choice(SUFFIXES)
                 for _ in range(rng.randint(1, 2))]
        names.append("".join(parts))
    return names


def lines(text: str, measure: Measure) -> list[str]:
    bounds = [0, *choose(text, measure), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


@pytest.mark.parametrize("measure, template", [(TITLE, "{unit}2019年度社会保险基金支出绩效自评报告"),
                                               (COVER, "{unit}社会保险基金支出绩效自评报告")], ids=["title", "cover"])
def test_title_lines_fit_are_balanced_and_keep_words_whole(measure, template):
    for unit in generated_units():
        text = template.format(unit=unit)
        broken = lines(text, measure)
        assert "".join(broken) == text
        widths = [measure.width(line) for line in broken]
        assert all(w <= measure.first for w in widths), broken
        if len(broken) == 1:
            continue
        assert min(len(line) for line in broken) > 2, broken
        if len(broken) == 2:  # (three lines of a very long name: as even as whole words allow)
            assert max(widths) - min(widths) <= 6 * measure.size, broken
        for word in [*WHOLE, unit] if measure.width(unit) <= measure.first else WHOLE:
            assert word not in text or any(word in line for line in broken), (word, broken)


def test_a_title_that_fits_is_not_broken():
    assert lines("哈密市社会保险基金绩效自评报告", TITLE) == ["哈密市社会保险基金绩效自评报告"]


def test_the_hami_title_breaks_after_a_word_not_before_two_characters():
    assert lines("哈密市2019年度社会保险基金支出绩效自评报告", TITLE) == ["哈密市2019年度社会保险基金", "支出绩效自评报告"]


def test_a_heading_never_strands_one_or_two_characters():
    text = "（五）职工医疗保险（含生育）基金预算完成及运行情况分析"
    assert lines(text, HEADING) == ["（五）职工医疗保险（含生育）基金预算完成", "及运行情况分析"]
    for unit in generated_units(100):
        heading = f"（一）{unit}基金预算完成及运行情况分析"
        broken = lines(heading, HEADING)
        assert "".join(broken) == heading
        if len(broken) > 1:
            assert len(broken[-1]) > 2, broken


def test_a_heading_that_wraps_with_a_long_last_line_is_left_to_wrap():
    assert choose("（一）" + "城乡居民基本医疗保险" * 3, HEADING) == []


def test_measures_come_from_the_template_styles():
    document = Document(str(builtin_dir() / "default.docx"))
    found = measures(document.styles.element, text_width_twips(document.element.body))
    assert found["Title"].balanced and found["Title"].size == 22
    assert not found["Heading2"].balanced and found["Heading2"].first == pytest.approx(TEXT_WIDTH - 32, abs=1)
    assert "Normal" not in found  # body text wraps by itself


def test_break_lines_writes_a_line_break_into_the_run_and_leaves_tables_alone():
    title = '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>哈密市2019年度社会保险基金支出绩效自评报告</w:t></w:r></w:p>'
    cell = f"<w:tbl><w:tr><w:tc>{title}</w:tc></w:tr></w:tbl>"
    xml = break_lines(title + cell, {"Title": TITLE})
    assert xml == ('<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>哈密市2019年度社会保险基金</w:t><w:br/>'
                   '<w:t xml:space="preserve">支出绩效自评报告</w:t></w:r></w:p>' + cell)


def test_break_lines_after_nested_tables_and_in_every_repeat_of_a_title():
    title = '<w:p w:rsidR="1"><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>哈密市2019年度社会保险基金支出绩效自评报告</w:t></w:r></w:p>'
    plain = '<w:p><w:r><w:t>正文</w:t></w:r></w:p>'
    inner = f"<w:tbl><w:tr><w:tc>{title}</w:tc></w:tr></w:tbl>"
    outer = f"<w:tbl><w:tr><w:tc>{inner}{title}</w:tc></w:tr></w:tbl>"  # a title after a nested table: still in one
    broken = break_lines(title, {"Title": TITLE})
    assert broken.count("<w:br/>") == 1
    xml = break_lines(plain + title + outer + plain + title + outer + title, {"Title": TITLE})
    assert xml == plain + broken + outer + plain + broken + outer + broken


def test_break_lines_reads_only_the_styles_that_have_a_measure():
    def styled(style: str) -> str:
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>哈密市2019年度社会保险基金支出绩效自评报告</w:t></w:r></w:p>'

    others = styled("T.10") + styled("TX1") + styled("Normal")  # a longer id, "." as a character, no measure
    xml = break_lines(others + styled("T.1") + others, {"T.1": TITLE})
    assert xml.count("<w:br/>") == 1 and xml.startswith(others) and xml.endswith(others)
    assert break_lines(styled("T.1"), {}) == styled("T.1")


def test_break_lines_splits_across_runs_and_keeps_escapes():
    paragraph = ('<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>A&amp;B市2019年度社会保险</w:t></w:r>'
                 '<w:r><w:t>基金支出绩效自评报告</w:t></w:r></w:p>')
    xml = break_lines(paragraph, {"Title": TITLE})
    assert "A&amp;B市" in xml and xml.count("<w:br/>") == 1
    assert re.sub("<[^>]+>", "", xml) == re.sub("<[^>]+>", "", paragraph)


@pytest.mark.parametrize("run, hinted", [
    ("<w:r><w:t>按“以支定收”</w:t></w:r>", '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>按“以支定收”</w:t></w:r>'),
    ('<w:r><w:rPr><w:b/></w:rPr><w:t>“</w:t></w:r>', '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/><w:b/></w:rPr><w:t>“</w:t></w:r>'),
    ('<w:r><w:rPr><w:rStyle w:val="X"/><w:b/></w:rPr><w:t>”</w:t></w:r>',
     '<w:r><w:rPr><w:rStyle w:val="X"/><w:rFonts w:hint="eastAsia"/><w:b/></w:rPr><w:t>”</w:t></w:r>'),
    ('<w:r><w:rPr><w:rFonts w:ascii="A" w:hint="default"/></w:rPr><w:t>‘</w:t></w:r>',
     '<w:r><w:rPr><w:rFonts w:ascii="A" w:hint="eastAsia"/></w:rPr><w:t>‘</w:t></w:r>'),
    ("<w:r><w:rPr/><w:t>’</w:t></w:r>", '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>’</w:t></w:r>'),
    ("<w:r><w:t>无引号</w:t></w:r>", "<w:r><w:t>无引号</w:t></w:r>"),
], ids=["bare", "bold", "style", "fonts", "empty", "none"])
def test_quotation_marks_get_the_east_asian_hint(run, hinted):
    other = "<w:r><w:t>2019年</w:t></w:r>"
    assert hint_quotes(other + run + other) == other + hinted + other


def test_the_texts_holding_quotation_marks_are_those_a_pattern_over_the_whole_body_finds():
    """hint_quotes looks for the marks, then the tag before each: the same w:t as matching
    every text of the body against a pattern, on generated runs, fields and attributes."""
    pieces = ["<w:r>", "</w:r>", "<w:t>", '<w:t xml:space="preserve">', "</w:t>", "<w:tab/>", "<w:t/>",
              "<w:instrText>", "</w:instrText>", '<w:tbl w:x="“">', '<w:t w:x="‘">', "<w:p>", "文字", "“", "”", "‘", "’", "&amp;", "a>b"]
    pattern = re.compile(r"<w:t(?: [^>]*)?>[^<]*[“”‘’]")
    rng = random.Random(5)
    for _ in range(3000):
        xml = "".join(rng.choices(pieces, k=rng.randint(1, 30)))
        assert _quoted_texts(xml) == {match.start() for match in pattern.finditer(xml)}, xml


@pytest.mark.parametrize("template", ["default", "six-part"])
@pytest.mark.parametrize("example", ["hami-2019", "hejing-2019", "region-2018"])
def test_every_run_with_a_quotation_mark_is_hinted_in_the_report(cli, tmp_path, template, example):
    out = tmp_path / "report.docx"
    assert cli("render", EXAMPLES / f"{example}.yaml", "-t", template, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as package:
        body = package.read("word/document.xml").decode("utf-8")
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?[“”‘’](?:(?!</w:r>).)*?</w:r>", body)
    assert runs and all('w:hint="eastAsia"' in run for run in runs), runs
