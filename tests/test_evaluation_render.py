"""绩效自评表 end to end: the bureau's four project tables, the 和静 附表, Word merges, Excel."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from conftest import EXAMPLES, convert_to_pdf
from docxtext import paragraphs, row, tables

# 总分 / 年度资金总额 执行率 / 执行率得分 of the four 2019 项目支出绩效自评表 (reference text).
# The last table states 92.80%, 9.28 and 98.28; its figures give 592.14 / 637.5 = 92.8847…%
# → 92.88%, × 10 = 9.29, and 98.29 in total: the tool prints the computed figures.
PROJECTS = {
    "bureau-2019-project-quanmin-canbao": ("100", "100.00%", "10"),
    "bureau-2019-project-kuomian-zhengjiao": ("99.6", "96%", "9.6"),  # 144.5/150 shown 96% → 9.6
    "bureau-2019-project-daibanyuan": ("100", "100.00%", "10"),
    "bureau-2019-project-yewu-zhuanxiang": ("98.29", "92.88%", "9.29"),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render every project table once (docx + xlsx); keep stderr for the warnings."""
    from click.testing import CliRunner

    from sireport.cli import main

    folder = tmp_path_factory.mktemp("projects")
    out = {}
    for name in PROJECTS:
        target = folder / f"{name}.docx"
        result = CliRunner().invoke(main, ["render", str(EXAMPLES / f"{name}.yaml"), "-o", str(target), "--xlsx",
                                           "--verbose"])  # key paths and codes asserted below
        assert result.exit_code == 0, result.stderr
        out[name] = (target, result.stderr)
    return out


@pytest.mark.parametrize("name", list(PROJECTS))
def test_project_totals(rendered, name):
    total, rate, rate_score = PROJECTS[name]
    header, indicators = tables(rendered[name][0])
    assert row(indicators, *["总分"] * 5) == ["100", total, "评价等级：优"]
    money = row(header, "项目资金（万元）", "年度资金总额")
    assert money[3:] == ["10", rate, rate_score]


def test_stated_rate_that_disagrees_is_reported(rendered):
    stderr = rendered["bureau-2019-project-yewu-zhuanxiang"][1]
    assert re.search(r"警告 \S*bureau-2019-project-yewu-zhuanxiang\.yaml:\d+:\d+（project\.money\.total\.stated_rate）："
                     r"\[evaluation\.stated_rate\] 年度资金总额原文执行率92\.80%与592\.14/637\.5计算的92\.88%不一致", stderr)
    assert "预算执行率原文得分9.28与计算值9.29不一致" in stderr
    assert "原文总分98.28与计算值98.29不一致" in stderr


@pytest.mark.parametrize("name", [n for n in PROJECTS if n != "bureau-2019-project-yewu-zhuanxiang"])
def test_stated_scores_agree_elsewhere(rendered, name):
    assert "提示" not in rendered[name][1]


def test_partial_grade_keeps_the_clerks_score(rendered):
    _, indicators = tables(rendered["bureau-2019-project-yewu-zhuanxiang"][0])
    assert row(indicators, "项目完成指标", "数量指标", "全疆社保基金预决算汇审培训及其他业务培训费") == [
        "预计47万元", "35", "5", "4", "因机构改革，划出部分费用至医保局"]


def _column_merges(table, column: int) -> list[str]:
    values = []
    for tr in table._tbl.tr_lst[1:]:
        tc = tr.tc_lst[column] if len(tr.tc_lst) > column else None
        merge = tc.find(qn("w:tcPr")).find(qn("w:vMerge")) if tc is not None else None
        values.append(merge.get(qn("w:val")) if merge is not None else "none")
    return values


def test_level_cells_are_merged_vertically(rendered):
    document = Document(str(rendered["bureau-2019-project-yewu-zhuanxiang"][0]))
    table = document.tables[1]
    # 项目完成指标 spans 11 rows (2 时效 + 6 数量 + 3 质量), then 项目效益指标 4, 满意度指标 2, then 总分
    level1 = _column_merges(table, 0)
    assert level1[:17] == ["restart"] + ["continue"] * 10 + ["restart"] + ["continue"] * 3 + ["restart", "continue"]
    level2 = _column_merges(table, 1)
    assert level2[:17].count("restart") == 5
    first = table.cell(1, 0)
    assert first.text == "项目完成指标"
    assert all(table.cell(r, 0)._tc is first._tc for r in range(1, 12))  # one cell spanning its rows
    assert table.cell(12, 0).text == "项目效益指标"
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None  # the indicator header repeats on every page


@pytest.mark.parametrize("name", ["bureau-2019-project-kuomian-zhengjiao", "bureau-2019-project-yewu-zhuanxiang"])
def test_xlsx_has_the_same_values_and_merges(rendered, name):
    docx = rendered[name][0]
    header, indicators = tables(docx)
    sheet = load_workbook(docx.with_suffix(".xlsx")).active
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    head = next(i for i, r in enumerate(cells) if r[0] == "一级指标")
    body = [r for r in cells[head + 1:] if r[0] != "总分"]
    assert [r[2:5] for r in body] == [r[2:5] for r in indicators[1:-1]]
    assert [Decimal(str(r[6])) for r in body] == [Decimal(r[6]) for r in indicators[1:-1]]
    total = next(r for r in cells if r[0] == "总分")
    assert Decimal(str(total[6])) == Decimal(PROJECTS[name][0])
    money = next(r for r in cells if r[1] == "年度资金总额")
    rate_cell = sheet.cell(cells.index(money) + 1, 7)
    assert rate_cell.number_format.endswith("%")
    assert f"{Decimal(str(rate_cell.value)) * 100:f}".rstrip("0").rstrip(".") + "%" == \
        PROJECTS[name][1].replace(".00%", "%")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    first_level = [i + 1 for i, r in enumerate(cells) if i > head and r[0] not in (None, "总分")]
    assert f"A{first_level[0]}:A{first_level[1] - 1}" in merged
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows.replace("$", "") == f"{head + 1}:{head + 1}"


@pytest.mark.slow
def test_project_table_opens_in_libreoffice(rendered, tmp_path):
    source = rendered["bureau-2019-project-yewu-zhuanxiang"][0]
    docx = tmp_path / "project.docx"
    shutil.copy(source, docx)
    assert convert_to_pdf(docx, tmp_path).read_bytes().startswith(b"%PDF")


def test_hejing_report_ends_with_the_appendix(cli):
    result = cli("render", EXAMPLES / "hejing-2019.yaml", "-o", "hejing.docx", "--xlsx", "--verbose")
    assert result.exit_code == 0, result.stderr
    from pathlib import Path

    texts = paragraphs(Path("hejing.docx"))
    assert "五、附表" in texts and "和静县2019年社会保险支出绩效自评表" in texts
    assert texts.index("五、附表") > texts.index("四、其他需要说明的问题")
    indicators = tables(Path("hejing.docx"))[-1]
    assert indicators[0] == ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "偏差原因分析及改进措施"]
    # filled from the fund data (funds[…].people[…].actual), as the reference table prints them
    assert row(indicators, "项目完成指标", "数量指标", "保障企业职工基本养老保险退休待遇享受人数") == ["≥11144人", "11074人", ""]
    assert row(indicators, "项目完成指标", "数量指标", "保障机关事业单位基本养老保险退休待遇享受人数") == ["≥2947人", "2977人", ""]
    assert row(indicators, "满意度指标", "满意度指标", "企业离退休人员满意度") == [">90%", "95%", ""]
    # 11074 < 11144 and no 偏差原因: a warning, not an error
    assert re.search(r"hejing-2019\.yaml:\d+:\d+（evaluation\.indicators\[项目完成指标\]\.groups\[数量指标\]"
                     r"\.indicators\[保障企业职工基本养老保险退休待遇享受人数\]\.reason）", result.stderr)
    sheet = load_workbook("hejing.xlsx").active
    assert any(r[0].value == "预算单位" and r[1].value == "和静县社会保险管理局" for r in sheet.iter_rows())


def test_report_without_evaluation_ends_at_part_four(cli):
    from pathlib import Path

    assert cli("render", EXAMPLES / "hami-2019.yaml", "-o", "hami.docx").exit_code == 0
    document = Document("hami.docx")
    parts = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert parts[-1].startswith("四、") and not any("附表" in t for t in paragraphs(Path("hami.docx")))


SCORED_REPORT = """\
report: {unit: 测试县, year: 2019}
funds:
  - name: 失业保险
    expense_total: {actual: 4543, budget: 4600}
    people:
      - {name: 领取失业保险金人员, actual: 3220, target: 3000}
evaluation:
  money:
    total: {budget: 4600, executed: 4543}
    weight: 10
  indicators:
    - name: 产出指标
      groups:
        - name: 数量指标
          indicators:
            - name: 失业保险基金支出预算执行率
              target: ≥95%
              from: funds[失业保险].expense.execution
              weight: 40
            - name: 领取失业保险金人数
              target: ≥3500人
              from: funds[失业保险].people[领取失业保险金人员].actual
              weight: 40
              reason: 就业形势好转，领取人数少于预期
    - name: 满意度指标
      groups:
        - name: 满意度指标
          indicators:
            - {name: 参保人员满意度, target: 提高满意度, actual: 满意度有所提高, grade: 部分达成, score: 7, weight: 10,
               reason: 继续改进窗口服务}
"""


def test_scored_fund_appendix_takes_figures_from_the_funds(cli, tmp_path):
    from pathlib import Path

    Path("scored.yaml").write_text(SCORED_REPORT, encoding="utf-8")
    result = cli("render", "scored.yaml", "-o", "scored.docx")
    assert result.exit_code == 0, result.stderr
    indicators = tables(Path("scored.docx"))[-1]
    assert indicators[0][5:7] == ["分值", "得分"]
    # 4543 / 4600 = 98.7608…% ≥ 95% → 40; 3220 / 3500 × 40 = 36.8; 7 of 10 (部分达成); 执行率 × 10 = 9.88
    assert row(indicators, "产出指标", "数量指标", "失业保险基金支出预算执行率") == ["≥95%", "98.76%", "40", "40", ""]
    assert row(indicators, "产出指标", "数量指标", "领取失业保险金人数")[:4] == ["≥3500人", "3220人", "40", "36.8"]
    assert row(indicators, *["总分"] * 5) == ["100", "93.68", "评价等级：优"]
    assert "提示" not in result.stderr  # every unmet indicator has its 偏差原因


def test_references_into_the_fund_figures():
    """from: takes computed figures: 哈密 企业养老 expense 123542 / budget 124386 = 99.32%;
    all funds' income 237563 / 239010 = 99.39% (reference report)."""
    from sireport.data.evaluation_model import Evaluation
    from sireport.data.kind import load_data
    from sireport.figures.compute import compute
    from sireport.figures.evaluation import evaluate

    loaded = load_data(EXAMPLES / "hami-2019.yaml")
    refs = ["funds[企业养老保险].expense_sub.execution", "funds.企业职工基本养老保险.expense_sub.execution",
            "totals.income_sub.execution"]
    evaluation = Evaluation.model_validate({"indicators": [{"name": "产出指标", "groups": [{"name": "数量指标", "indicators": [
        {"name": f"指标{i}", "target": "≥95%", "from": ref} for i, ref in enumerate(refs)]}]}]})
    evaluated = evaluate(evaluation, ("evaluation",), loaded.where, year=2019, figures=compute(loaded.report))
    assert [r.actual for r in evaluated.table.rows] == ["99.32%", "99.32%", "99.39%"]
    assert all(r.met for r in evaluated.table.rows) and evaluated.findings == []


def test_project_models_have_chinese_descriptions():
    from sireport.data.evaluation_model import ProjectFile
    from sireport.data.schema import _models

    missing = [f"{m.__name__}.{name}" for m in _models(ProjectFile) for name, field in m.model_fields.items()
               if not field.description or not any("\u4e00" <= ch <= "\u9fff" for ch in field.description)]
    assert missing == []


def test_reference_units():
    """Days, people and months keep their own units (和静: 30 working days, 2977 people)."""
    from sireport.data.kind import load_data
    from sireport.data.references import resolve
    from sireport.figures.compute import compute

    figures = compute(load_data(EXAMPLES / "hejing-2019.yaml").report)
    assert resolve("funds[企业职工基本养老保险].achieved.settlement_days", figures) == (Decimal(30), "个工作日")
    assert resolve("funds[机关事业单位基本养老保险].people[机关事业单位基本养老保险退休待遇享受人员].actual",
                   figures) == (Decimal(2977), "人")
    assert resolve("funds[失业保险].expense.actual", figures) == (Decimal(2255), "万元")
    value, unit = resolve("funds[机关事业单位基本养老保险].months.value", figures)
    from sireport.figures.calc import round_half_up

    assert unit == "个月" and round_half_up(value, 2) == Decimal("0.62")  # 1040 / (19985 / 12), reference report
