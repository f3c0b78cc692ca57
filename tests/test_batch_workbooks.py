"""The batch's 汇总表 and 问题清单 as a prefecture opens them (read back with openpyxl)."""

from __future__ import annotations

import ast
import re
import tracemalloc
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from conftest import ROOT
from sireport.checks import RULES
from sireport.data.load import load_report
from sireport.excel.listing import Listing
from sireport.excel.problems import Issue, Spool, write_problems
from sireport.excel.summary import key_figures, write_summary
from sireport.figures.compute import compute
from sireport.findings import NAMES, Finding
from sireport.run.jobs import UnitResult

UNIT = """\
report: {{unit: {unit}, year: {year}, amount_decimals: {places}}}
funds:
  - name: 失业保险
    income:
      - {{name: 保险费收入, actual: 100, previous: 90, budget: 95}}
    expense:
      - {{name: 失业保险金支出, actual: {spent}, previous: 70, budget: {budget}}}
    balance: {{previous_cumulative: {cumulative}}}
    targets: {{execution_rate: 95}}
"""
RED, YELLOW, BLUE = "00FFC7CE", "00FFEB9C", "00DDEBF7"


def unit(folder: Path, name: str, *, year: int = 2019, spent: str = "80", budget: str = "85",
         cumulative: str = "500", places: int = 0) -> UnitResult:
    path = folder / f"{name}.yaml"
    path.write_text(UNIT.format(unit=name, year=year, spent=spent, budget=budget, cumulative=cumulative,
                                places=places), encoding="utf-8")
    figures = compute(load_report(path).report)
    return UnitResult(str(path), name, year, output=str(folder / f"{name}.docx"), figures=key_figures(figures))


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows()]


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type else None


def three_counties(folder: Path):
    """The 汇总表 of 甲县 (execution 94.12%), 乙县 (80.00%) and 丙县 (89.995%, 10 carried over), read back."""
    units = [unit(folder, "甲县"), unit(folder, "乙县", spent="80", budget="100"),
             unit(folder, "丙县", spent="71.996", budget="80", cumulative="10")]
    return load_workbook(write_summary(units, folder / "汇总表.xlsx"))


def test_one_sheet_per_theme_with_formats_filter_and_frozen_header(tmp_path):
    book = three_counties(tmp_path)
    assert book.sheetnames == ["收支", "执行率", "结余与可支付月数", "绩效目标", "单位清单"]
    for title in ("收支", "执行率", "结余与可支付月数"):
        sheet = book[title]
        assert [c.value for c in rows(sheet)[0][:3]] == ["单位", "年度", "基金"]
        # 3 units × (各基金合计 + 失业保险), then the 合计 rows (outside the filter)
        assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}7"
        assert [c.value for c in rows(sheet)[-2][:3]] == ["合计", None, "各基金合计"]
        assert all(c.font.b for c in rows(sheet)[0])
    header = [c.value for c in rows(book["执行率"])[0]]
    assert header[3:] == ["收入小计预算（万元）", "收入小计本年（万元）", "收入执行率", "支出小计预算（万元）",
                          "支出小计本年（万元）", "支出执行率", "待遇支出预算（万元）", "待遇支出本年（万元）", "待遇支出执行率"]
    first = rows(book["执行率"])[2]  # 甲县 失业保险
    assert [c.number_format for c in first[3:9]] == ["#,##0", "#,##0", "0.00%", "#,##0", "#,##0", "0.00%"]
    assert rows(book["结余与可支付月数"])[2][7].number_format == "0.00"


def test_total_rows_sum_the_amounts_and_recompute_the_rates(tmp_path):
    book = three_counties(tmp_path)
    total = [c.value for c in rows(book["执行率"])[-1]]  # 合计 失业保险
    assert total[:3] == ["合计", None, "失业保险"]
    # expense budgets 85 + 100 + 80 = 265, actuals 80 + 80 + 71.996 = 231.996: 87.55%, not the mean of the rates
    assert Decimal(str(total[6])) == 265 and Decimal(str(total[7])) == Decimal("231.996")
    assert Decimal(str(total[8])) == Decimal("0.8755")
    flows = [c.value for c in rows(book["收支"])[-1]]
    # income 300 vs 270: +30, 11.11%
    assert [Decimal(str(v)) for v in flows[3:7]] == [300, 270, 30, Decimal("0.1111")]
    balance = [c.value for c in rows(book["结余与可支付月数"])[-1]]
    # cumulative (500 + 20) + (500 + 20) + (10 + 28.004) = 1078.004; months 1078.004 / (231.996 / 12) = 55.76
    assert Decimal(str(balance[5])) == Decimal("1078.004") and Decimal(str(balance[7])) == Decimal("55.76")


def test_cells_outside_the_checks_bands_are_filled(tmp_path):
    book = three_counties(tmp_path)
    execution = {(r[0].value, r[2].value): r[8] for r in rows(book["执行率"])[1:]}
    assert fill(execution["甲县", "失业保险"]) is None  # 94.12%
    assert fill(execution["乙县", "失业保险"]) == RED  # 80.00%: below 90%
    assert fill(execution["丙县", "失业保险"]) is None  # 89.995% is shown 90.00%: not below, as the check judges
    assert fill(execution["合计", "失业保险"]) == RED  # 87.55%
    months = {(r[0].value, r[2].value): r for r in rows(book["结余与可支付月数"])[1:]}
    assert months["甲县", "失业保险"][8].value == "过多" and fill(months["甲县", "失业保险"][7]) == YELLOW  # 78 months
    assert months["丙县", "失业保险"][8].value == "合理" and fill(months["丙县", "失业保险"][7]) is None  # 5.25 months
    targets = rows(book["绩效目标"])
    missed = {r[0].value: r[6] for r in targets[1:-1]}
    assert missed["乙县"].value == "未完成" and fill(missed["乙县"]) == RED and missed["甲县"].value == "未完成"
    assert [c.value for c in targets[-1]][3:] == ["共 3 项", None, None, "未完成 3 项"]


def test_units_of_another_year_are_flagged(tmp_path):
    units = [unit(tmp_path, "甲县"), unit(tmp_path, "乙县"), unit(tmp_path, "丙县", year=2018)]
    book = load_workbook(write_summary(units, tmp_path / "汇总表.xlsx"))
    for sheet in book.worksheets:
        note = rows(sheet)[0][0].value
        assert "2018年、2019年" in note and "多数单位（2019年）" in note and "合计行只含 2019 年的单位" in note
        assert rows(sheet)[1][0].value == "单位" and sheet.freeze_panes.endswith("3")
        years = {r[0].value: r[1] for r in rows(sheet)[2:] if r[0].value in ("甲县", "丙县")}
        assert fill(years["丙县"]) == BLUE and fill(years["甲县"]) is None
    total = [c.value for c in rows(book["收支"])[-1]]
    assert total[2] == "失业保险" and total[3] == 200  # 甲县 and 乙县: the 2018 unit is not in the 合计


def test_amounts_with_decimals_keep_them(tmp_path):
    book = load_workbook(write_summary([unit(tmp_path, "甲县", places=2)], tmp_path / "汇总表.xlsx"))
    assert rows(book["收支"])[1][3].number_format == "#,##0.00"
    assert fill(rows(book["收支"])[1][1]) is None and rows(book["收支"])[0][0].value == "单位"  # one year: no note


def test_unit_list_shows_failed_units(tmp_path):
    failed = UnitResult(str(tmp_path / "坏.yaml"), error="坏.yaml：格式错误")
    book = load_workbook(write_summary([unit(tmp_path, "甲县"), failed], tmp_path / "汇总表.xlsx"))
    listed = [[c.value for c in r] for r in rows(book["单位清单"])]
    assert listed[0] == ["单位", "年度", "状态", "警告数", "数据文件", "报告文件"]
    assert listed[1][:3] == ["甲县", 2019, "已生成"] and listed[2][2] == "未生成"


def finding(code: str, severity: str, where: str, message: str) -> Finding:
    return Finding(code, severity, where, message)


def test_problem_list_columns_names_places_and_order(tmp_path):
    spool = Spool()
    spool.add(Issue.of("乙县", "乙.yaml", finding("execution.band", "warning", "乙.yaml:12:5", "执行率低")))
    spool.add(Issue.of("乙县", "乙.yaml", finding("rounding", "info", "乙.yaml:3:1", "尾差")))
    spool.add(Issue.of("甲县", "填报.xlsx", finding("balance.current", "error", "填报.xlsx!收入!C7", "结余不符")))
    spool.add(Issue.of("乙县", "乙.yaml", finding("prose.signed", "warning", "段落 4", "带负号")))
    spool.add(Issue.of("甲县", "填报.xlsx", finding("sum.items_under", "warning", "填报.xlsx!支出!C9", "少项目")))
    failed = UnitResult("乙.yaml", "乙县", 2019, error="数据检查发现 1 处错误，未生成报告\n  - 乙.yaml:7:3：当期结余不符",
                        problems=[finding("balance.current", "error", "乙.yaml:7:3", "当期结余不符")])
    sheet = load_workbook(write_problems([([failed], failed.error)], spool, tmp_path / "问题清单.xlsx"))["问题清单"]
    listed = [[c.value for c in r] for r in rows(sheet)]
    assert listed[0] == ["单位", "文件", "位置", "级别", "规则", "说明", "规则代码"]
    assert [(r[0], r[3], r[4]) for r in listed[1:]] == [
        ("乙县", "错误", "未生成报告"), ("乙县", "错误", "当期结余不符"), ("乙县", "警告", "预算执行率超出合理区间"),
        ("乙县", "警告", "比较句中带负号"), ("乙县", "提示", "尾差"),
        ("甲县", "错误", "当期结余不符"), ("甲县", "警告", "合计大于各项目之和")]
    assert listed[1][5] == "数据检查发现 1 处错误，未生成报告"
    assert [r[2] for r in listed[1:]] == [None, "第 7 行第 3 列", "第 12 行第 5 列", "段落 4", "第 3 行第 1 列",
                                          "收入!C7", "支出!C9"]
    assert listed[3][6] == "execution.band"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:G8"
    assert sheet.column_dimensions["F"].width >= 100 and fill(rows(sheet)[1][3]) == RED


EMITTERS = {"add", "warn", "Finding", "Issue"}  # calls whose first argument is a rule code


def emitted_codes() -> set[str]:
    """Every rule code written as the first argument of a call that reports a finding."""
    codes = set()
    for path in (ROOT / "sireport").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name in EMITTERS and isinstance(first, ast.Constant) and isinstance(first.value, str) \
                    and re.fullmatch(r"[a-z_]+\.[a-z_]+|rounding", first.value):
                codes.add(first.value)
    return codes


def test_every_rule_code_has_a_chinese_name():
    from sireport.audit.rules import CODES as AUDIT
    from sireport.prose.rules import CODES as PROSE
    from sireport.run.cross_units import RULES as BATCH

    codes = set(RULES) | set(PROSE) | set(AUDIT) | set(BATCH) | emitted_codes()
    assert "evaluation.stated_rate" in codes and "units.sum" in codes  # the scan finds codes in calls
    assert sorted(code for code in codes if code not in NAMES) == []
    assert all(re.fullmatch(r"[\u4e00-\u9fff（）、]+", name) for name in NAMES.values()), "names are Chinese"


def peak_memory_of_a_listing(folder: Path, rows: int) -> int:
    """Peak Python memory (bytes) while a 问题清单-like listing of ``rows`` distinct messages is written."""
    tracemalloc.start()
    try:
        book = Listing()
        sheet = book.sheet("问题清单", ["单位", "文件", "说明"], [20, 30, 100], rows=rows)
        for row in range(rows):
            sheet.append([f"县{row % 300:03d}", f"县{row % 300:03d}.yaml",
                          f"第 {row} 条：支出预算执行率低于 90%（合理区间 90%～110%），请核实并说明原因（实际 {row / 7:.4f}%）"])
        book.save(folder / f"{rows}.xlsx")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_listing_costs_no_more_memory_than_a_short_one(tmp_path):
    """Rows go straight into the package and long texts to a temporary file: ten times the rows
    (12 MB of worksheet XML) take about the memory of a tenth of them (issue 10: flat in N)."""
    short, long = (peak_memory_of_a_listing(tmp_path, rows) for rows in (2_000, 20_000))
    assert long < short * 1.5, (short, long)
    listed = load_workbook(tmp_path / "20000.xlsx", read_only=True)["问题清单"].iter_rows(values_only=True)
    assert sum(1 for _ in listed) == 20_001


MARKUP = ["a & b <c> d", "引号\"双\"与'单'", "'单' only", '"双" only', "tab\tline\nfeed\rreturn", "&amp; &lt;", "",
          "控制\x00字符\x07、\x0b和\x1f（XML 1.0 不能容纳，略去）"]


def test_markup_characters_in_texts_titles_and_formats_read_back_as_written(tmp_path):
    """The listing escapes texts, sheet titles and number formats itself (xml.sax.saxutils would
    bring urllib.request, http.client and ssl into every process of a batch): what it writes
    reads back unchanged (less the control characters XML 1.0 cannot hold), and escapes exactly
    as saxutils does."""
    from xml.sax.saxutils import escape, quoteattr

    from sireport.excel import listing

    for text in MARKUP:
        assert listing._escape(text) == escape(text)
        assert listing._attribute(text) == quoteattr(text)
    book = Listing()
    title = "A&B <'表'> \"x\""
    sheet = book.sheet(title, ["头&<>"], [20], rows=len(MARKUP))
    amounts = '#,##0" 万元"'
    for text in MARKUP:
        sheet.append([text or None])
    sheet.append([book.cell(Decimal("12.5"), number_format=amounts)])
    book.save(tmp_path / "markup.xlsx")
    read = load_workbook(tmp_path / "markup.xlsx")
    assert read.sheetnames == [title]
    column = [cell.value for cell in read[title]["A"]]
    written = [text.replace("\r", "\n") or None for text in MARKUP]  # XML reads a bare CR as a line feed
    written[-1] = "控制字符、和（XML 1.0 不能容纳，略去）"
    assert column[:-1] == ["头&<>", *written]
    assert read[title][f"A{len(MARKUP) + 2}"].number_format == amounts
