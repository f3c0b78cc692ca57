"""A workbook never loses data silently: blank pre-listed rows are "not entered", a total
that cannot be worked out stops the render at the cells to fill, and no sentence of a
rendered report carries a "—" where a figure belongs."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES
from docxtext import paragraphs

FUNDS = "企业职工基本养老保险,失业保险"
# a "—" standing for a figure inside a sentence: before a unit, a percent or a punctuation mark
# ("基金总支出—万元", "基金支出—。"); a dash as punctuation is doubled (——) and not meant
DASH_FIGURE = re.compile(r"(?<!—)—(?!—)\s*(万元|亿元|元|%|。|，|；|个|人|日)")
REPORT_EXAMPLES = sorted(p for p in EXAMPLES.glob("*.yaml")
                         if re.search(r"^report:", p.read_text(encoding="utf-8"), re.M))

FIGURES = {  # (fund, item): (本年, 上年, 预算)
    ("企业职工基本养老保险", "保险费收入"): (1000, 900, 1100),
    ("企业职工基本养老保险", "财政补贴收入"): (200, 180, 210),
    ("企业职工基本养老保险", "利息收入"): (10, 9, 10),
    ("企业职工基本养老保险", "基本养老金支出"): (1100, 1000, 1150),
    ("企业职工基本养老保险", "丧葬抚恤补助支出"): (30, 28, 30),
    ("失业保险", "保险费收入"): (300, 280, 310),
    ("失业保险", "利息收入"): (5, 4, 5),
    ("失业保险", "失业保险金支出"): (120, 110, 130),
    ("失业保险", "稳岗补贴支出"): (40, None, 50),
}


def sentences_with_dash(path: Path) -> list[str]:
    return [text for text in paragraphs(path) if DASH_FIGURE.search(text)]


def column(ws, header: str) -> int:
    return next(cell.column for cell in ws[1] if cell.value == header)


@pytest.fixture
def book(cli, tmp_path) -> Path:
    """The two-fund workbook of `init`, settings and a few rows filled, the other rows left blank."""
    assert cli("init", "--xlsx", "填报.xlsx", "--funds", FUNDS).exit_code == 0
    path = tmp_path / "填报.xlsx"
    wb = openpyxl.load_workbook(path)
    settings = wb["设置"]
    settings["B2"], settings["B4"] = "测试县", 2019
    for name in ("收入", "支出"):
        ws = wb[name]
        for row in ws.iter_rows(min_row=2):
            figures = FIGURES.get((row[0].value, row[1].value))
            for offset, value in enumerate(figures or ()):
                row[column(ws, "本年") - 1 + offset].value = value
    wb.save(path)
    return path


def cell_of(path: Path, sheet: str, header: str, fund: str, item: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    key = "项目名称" if sheet in ("收入", "支出") else "行"
    for row in ws.iter_rows(min_row=2):
        if row[0].value == fund and str(row[column(ws, key) - 1].value).startswith(item):
            return row[column(ws, header) - 1].coordinate
    raise AssertionError(f"no row {fund} {item} in {sheet}")


def set_value(path: Path, sheet: str, coord: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][coord] = value
    wb.save(path)


def test_blank_prelisted_rows_are_not_entered_and_the_report_is_complete(book, cli, tmp_path):
    result = cli("render", book, "-o", "报告.docx")
    assert result.exit_code == 0, result.stderr
    report = tmp_path / "报告.docx"
    assert sentences_with_dash(report) == []
    text = "\n".join(paragraphs(report))
    # totals are the sums of the entered items: 企业养老 expense 1100 + 30, 失业 income 300 + 5
    assert "基金总支出1130万元" in text and "1210万元" in text
    assert "305万元" in text and "160万元" in text


def test_a_blank_figure_the_total_needs_names_both_cells(book, cli):
    blank = cell_of(book, "收入", "本年", "失业保险", "财政补贴收入")
    set_value(book, "收入", blank.replace("C", "D"), 20)  # 上年 entered, 本年 left blank
    result = cli("render", book, "-o", "报告.docx")
    assert result.exit_code == 2
    total = cell_of(book, "合计", "本年", "失业保险", "基金收入合计")
    assert f"收入!{blank}" in result.stderr and f"合计!{total}" in result.stderr
    assert "“财政补贴收入”的本年数未填写" in result.stderr
    assert not (book.parent / "报告.docx").exists()


def test_a_total_entered_in_the_sheet_fills_the_gap(book, cli, tmp_path):
    blank = cell_of(book, "收入", "本年", "失业保险", "财政补贴收入")
    set_value(book, "收入", blank.replace("C", "D"), 20)
    set_value(book, "合计", cell_of(book, "合计", "本年", "失业保险", "基金收入合计"), 325)
    result = cli("render", book, "-o", "报告.docx")
    assert result.exit_code == 0, result.stderr
    assert sentences_with_dash(tmp_path / "报告.docx") == []


def clear_fund_figures(wb, fund: str) -> None:
    """Empty the 本年/上年/预算 cells of every income and expense row of one fund."""
    for name in ("收入", "支出"):
        for row in wb[name].iter_rows(min_row=2):
            if row[0].value == fund:
                for cell in row[2:5]:
                    cell.value = None


def test_a_listed_fund_with_nothing_entered_is_an_error(book, cli):
    wb = openpyxl.load_workbook(book)
    clear_fund_figures(wb, "失业保险")
    wb.save(book)
    result = cli("render", book, "-o", "报告.docx")
    assert result.exit_code == 2
    assert "基金!A3" in result.stderr and "失业保险没有填写任何收入、支出数字" in result.stderr


def test_a_duplicated_item_row_is_an_error_at_both_cells(book, cli):
    wb = openpyxl.load_workbook(book)
    ws = wb["收入"]
    first = cell_of(book, "收入", "项目名称", "失业保险", "保险费收入")
    ws.append(["失业保险", "保险费收入", 12])
    wb.save(book)
    result = cli("render", book, "-o", "报告.docx")
    assert result.exit_code != 0
    assert f"收入!B{ws.max_row}" in result.stderr and f"另见 收入!{first}" in result.stderr
    assert "“保险费收入”重复填写" in result.stderr


def test_rows_of_an_unlisted_fund_count_only_when_they_hold_a_value(book, cli):
    wb = openpyxl.load_workbook(book)
    wb["基金"].delete_rows(3)  # 失业保险 no longer reported: its blank rows are harmless
    clear_fund_figures(wb, "失业保险")
    wb.save(book)
    assert cli("render", book, "-o", "a.docx").exit_code == 0
    coord = cell_of(book, "支出", "本年", "失业保险", "其他支出")
    set_value(book, "支出", coord, 7)
    result = cli("render", book, "-o", "b.docx")
    assert result.exit_code != 0
    assert f"支出!A{coord[1:]}" in result.stderr and "基金“失业保险”不在“基金”表中" in result.stderr


@pytest.mark.parametrize("template", ["default", "six-part"])
@pytest.mark.parametrize("example", REPORT_EXAMPLES, ids=lambda p: p.stem)
def test_no_sentence_of_a_rendered_example_has_a_dash_for_a_figure(example, template, cli, tmp_path):
    for source in (example, tmp_path / "as.xlsx"):
        if source.suffix == ".xlsx":
            assert cli("convert", example, source).exit_code == 0
        out = tmp_path / f"{source.stem}.docx"
        result = cli("render", source, "-t", template, "-o", out)
        assert result.exit_code == 0, result.stderr
        assert sentences_with_dash(out) == [], source.name


def test_no_sentence_of_a_rollup_report_has_a_dash_for_a_figure(cli, tmp_path):
    """哈密 and 和静 differ in which items have 上年 and 预算: the sums left empty must not show."""
    assert cli("rollup", *REPORT_EXAMPLES[:2], "-o", tmp_path / "地区.yaml", "--unit", "测试地区").exit_code == 0
    for template in ("default", "six-part"):
        result = cli("render", tmp_path / "地区.yaml", "-t", template, "-o", tmp_path / f"{template}.docx")
        assert result.exit_code == 0, result.stderr
        assert sentences_with_dash(tmp_path / f"{template}.docx") == [], template


def test_the_dash_pattern_finds_the_blanks_the_issue_saw():
    found = [text for text in ("基金总支出—万元", "基金支出—。", "增长—%", "完成预算的99.10%。", "要求——按时足额发放。")
             if DASH_FIGURE.search(text)]
    assert found == ["基金总支出—万元", "基金支出—。", "增长—%"]
