"""The shipped examples rendered end to end, checked against the reference reports."""

from __future__ import annotations

import re

import pytest
from docx import Document

from conftest import EXAMPLES, convert_to_pdf
from docxtext import full_text, paragraphs, row, tables

EXAMPLE_FILES = [p for p in sorted(EXAMPLES.glob("*.yaml"))  # fund reports; project tables: test_evaluation_render
                 if not re.search(r"^project:", p.read_text(encoding="utf-8"), re.M)]

# 哈密 2019 收支分析表 as published (reference text), derived rows only; the published
# 合计 收入执行预算 99.17% is the reference's own error: 237563 / 239010 = 99.39%.
HAMI_TABLE = {
    ("收入对比分析", "增长"): ["7341", "4866", "-108", "-164", "11935"],
    ("收入对比分析", "增幅%"): ["6.39%", "4.93%", "-1.87%", "-2.64%", "5.29%"],
    ("收入对比分析", "执行预算%"): ["109.81%", "88.37%", "104.96%", "108.15%", "99.39%"],
    ("支出对比分析", "增长"): ["11508", "6066", "1189", "1", "18764"],
    ("支出对比分析", "增幅%"): ["10.27%", "6.21%", "22.73%", "0.02%", "8.55%"],
    ("支出对比分析", "执行预算%"): ["99.32%", "100.26%", "105.11%", "108.32%", "100.03%"],
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every example rendered once through the CLI's library call."""
    from sireport.run.render import render

    out = tmp_path_factory.mktemp("rendered")
    paths = {}
    for path in EXAMPLE_FILES:
        paths[path.stem] = out / f"{path.stem}.docx"
        render(path, out=paths[path.stem])
    return paths


def test_examples_are_shipped():
    assert {p.stem for p in EXAMPLE_FILES} >= {"hami-2019", "hejing-2019", "region-2018"}


@pytest.mark.parametrize("label, expected", list(HAMI_TABLE.items()), ids=[" ".join(k) for k in HAMI_TABLE])
def test_hami_analysis_table_matches_reference(rendered, label, expected):
    table = tables(rendered["hami-2019"])[0]
    assert row(table, *label) == expected


def test_hami_table_columns_are_the_four_funds_and_total(rendered):
    header = tables(rendered["hami-2019"])[0][0]
    assert header[2:] == ["企业养老保险", "机关事业养老（改革）", "工伤保险", "失业保险", "合计"]


def test_hami_overall_sentence_in_yi(rendered):
    text = full_text(rendered["hami-2019"])
    assert "总收入23.76亿元" in text
    assert "较上年增加1.19亿元，增长5.29%，完成年度预算的99.39%" in text
    assert "滚存结余17.68亿元" in text


def test_hami_enterprise_pension_expense_comparison(rendered):
    # reference report: 企业养老 expense subtotal 123542 vs 112034: +11508, 10.27%; vs budget 124386: 99.32%
    table = tables(rendered["hami-2019"])[0]
    assert row(table, "2019年", "基金支出小计")[0] == "123542"
    assert row(table, "2018年", "基金支出小计")[0] == "112034"
    assert row(table, "预算", "基金支出小计")[0] == "124386"


def test_hejing_months_payable(rendered):
    text = full_text(rendered["hejing-2019"])
    assert "月均支出1665万元计算，可支付0.62个月" in text


def test_hejing_cover_page(rendered):
    paras = paragraphs(rendered["hejing-2019"])
    assert any(p.startswith("实施单位（公章）：和静县") for p in paras)
    assert "填报时间：2020年9月10日" in paras


def test_region_treatment_execution_one_decimal(rendered):
    # reference report: 自治区本级 企业养老 treatment 1071844 vs budget 1091628: 98.2% (1 decimal)
    text = full_text(rendered["region-2018"])
    assert re.search(r"1071844万元[^。；]*完成年度预算的98\.2%", text)


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLE_FILES])
def test_prose_has_no_signed_rates_or_placeholders(rendered, name):
    for text in paragraphs(rendered[name]):
        assert not re.search(r"(增长|增加|下降|减少)-", text), text
        assert "None" not in text and "{{" not in text and "{%" not in text, text
        assert "—" not in text, text  # a missing figure must drop out of prose, not show as a dash


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLE_FILES])
def test_sections_are_numbered_continuously(rendered, name):
    document = Document(str(rendered[name]))
    parts = [p.text[0] for p in document.paragraphs if p.style.name == "Heading 1"]
    assert parts[:4] == ["一", "二", "三", "四"]
    funds = [p.text for p in document.paragraphs if p.style.name == "Heading 2" and "预算完成及运行情况分析" in p.text.replace("\n", "")]
    numbers = [re.match(r"（(.+?)）", t).group(1) for t in funds]
    assert numbers == ["一", "二", "三", "四", "五", "六", "七", "八"][: len(numbers)]


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLE_FILES])
def test_opens_in_libreoffice(rendered, name, tmp_path):
    pdf = convert_to_pdf(rendered[name], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_xml_special_characters_in_data_reach_the_report_as_written(tmp_path):
    """&, <, > and quotes in names and text (through the sentence macros, the table and
    plain paragraphs) are escaped exactly once: the report opens and reads as entered."""
    from checkdata import changed, clean, write
    from sireport.run.render import render

    names = {"report.unit": "A&B县", "funds.0.income.0.name": "保费<收入>", "funds.0.people.0.name": "离退休\"人员\"",
             "funds.0.balance.parts.0.name": "统筹&基金", "funds.1.expense.1.name": "稳岗'补贴'支出"}
    data = clean()
    for path, value in names.items():
        data = changed(data, path, value)
    data["text"] = {"overview": "收入 < 支出 & 结余 > 0"}
    target = tmp_path / "r.docx"
    render(write(data, tmp_path), out=target)
    text = full_text(target)  # python-docx parses every part: broken XML would fail here
    assert all(value in text for value in names.values()) and "收入 < 支出 & 结余 > 0" in text
    assert "&amp;" not in text and "&lt;" not in text and "&#" not in text
