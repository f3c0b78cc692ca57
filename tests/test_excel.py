"""The Excel entry workbook: round trips, hand edits, formulas, broken files, layout."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES
from docxtext import paragraphs
from sireport.data.load import LoadedReport, load_report
from sireport.data.model import Report
from sireport.data.save import write_data
from sireport.errors import DataError
from sireport.excel.layout import layout, shape
from sireport.excel.read import iter_workbook_units, load_workbook_report
from sireport.excel.write import write_workbook

# unit reports (root key report:); stand-alone project tables (root key project:) are another format
EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.yaml")
                       if re.search(r"^report:", p.read_text(encoding="utf-8"), re.M))


def find_row(ws, **columns) -> int:
    """The row whose cells under the given headers hold the given values."""
    headers = {cell.value: cell.column for cell in ws[1]}
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row, headers[h]).value == v for h, v in columns.items()):
            return row
    raise AssertionError(f"no row {columns} in {ws.title}")


def set_cell(ws, row: int, header: str, value) -> str:
    column = next(cell.column for cell in ws[1] if cell.value == header)
    ws.cell(row, column).value = value
    return ws.cell(row, column).coordinate


# ---------------------------------------------------------------------------- round trips

@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_yaml_xlsx_yaml_round_trip_is_identical(example, cli, tmp_path):
    assert cli("convert", example, tmp_path / "a.xlsx").exit_code == 0
    assert cli("convert", tmp_path / "a.xlsx", tmp_path / "b.yaml").exit_code == 0
    assert cli("convert", tmp_path / "b.yaml", tmp_path / "c.json").exit_code == 0
    assert cli("convert", tmp_path / "c.json", tmp_path / "d.xlsx").exit_code == 0
    original = load_report(example).report
    for name in ("a.xlsx", "b.yaml", "c.json", "d.xlsx"):
        assert load_report(tmp_path / name).report == original, name
    # the rewritten YAML is readable: Chinese as is, not escaped
    text = (tmp_path / "b.yaml").read_text(encoding="utf-8")
    assert original.report.unit in text and "\\u" not in text
    assert original.funds[0].name in (tmp_path / "c.json").read_text(encoding="utf-8")


def test_examples_exist():
    assert {p.stem for p in EXAMPLE_FILES} >= {"hami-2019", "hejing-2019", "region-2018"}


def test_item_parts_and_flags_survive_as_rows(tmp_path):
    """region-2018: 失业 下级上解失业调剂金 is a transfer with one part (所属项目)."""
    write_data(load_report(EXAMPLES / "region-2018.yaml").report, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["收入"]
    row = find_row(ws, 基金="失业保险", 项目名称="本级内部“两油一铁”单位上解收入")
    assert ws.cell(row, 3).value == 2532
    assert ws.cell(row, [c.value for c in ws[1]].index("所属项目") + 1).value == "下级上解失业调剂金"
    parent = find_row(ws, 基金="失业保险", 项目名称="下级上解失业调剂金")
    assert ws.cell(parent, [c.value for c in ws[1]].index("上下级往来") + 1).value == "是"
    fund = load_report(tmp_path / "r.xlsx").report.funds[-1]
    assert fund.income[3].transfer is True and fund.income[3].parts[0].actual == Decimal(2532)


def test_decimals_survive_exactly(tmp_path):
    report = Report.model_validate({
        "report": {"unit": "测试县", "year": 2019},
        "funds": [{"name": "失业保险", "income": [
            {"name": "甲", "actual": Decimal("0.1"), "previous": Decimal("0.2"), "budget": Decimal("0.3")},
            {"name": "乙", "actual": Decimal("13.24"), "previous": Decimal("1234567.891")},
            {"name": "丙", "actual": Decimal("123456789.123456789")},  # more digits than a float holds
        ], "people": [{"name": "人", "actual": 3220}]}],
    })
    write_data(report, tmp_path / "d.xlsx")
    back = load_report(tmp_path / "d.xlsx").report
    items = back.funds[0].income
    assert str(items[0].actual) == "0.1" and str(items[0].previous) == "0.2" and str(items[0].budget) == "0.3"
    assert items[0].actual + items[0].previous == items[0].budget  # no 0.30000000000000004
    assert str(items[1].actual) == "13.24" and str(items[1].previous) == "1234567.891"
    assert items[2].actual == Decimal("123456789.123456789")
    assert back.funds[0].people[0].actual == 3220 and str(back.funds[0].people[0].actual) == "3220"
    write_data(back, tmp_path / "d.yaml")
    text = (tmp_path / "d.yaml").read_text(encoding="utf-8")
    assert "actual: 3220" in text and "actual: 0.1," in text  # integers stay integers


def test_explicit_none_target_differs_from_default(tmp_path):
    """哈密 医保: targets.execution_rate: null must not come back as the default 95."""
    report = load_report(EXAMPLES / "hami-2019.yaml").report
    assert report.funds[-1].targets.execution_rate is None and report.funds[0].targets.execution_rate == 95
    write_data(report, tmp_path / "h.xlsx")
    back = load_report(tmp_path / "h.xlsx").report
    assert back.funds[-1].targets.execution_rate is None
    assert back.funds[0].targets.execution_rate == 95


# ---------------------------------------------------------------------------- hand edits

@pytest.fixture
def hami_book(tmp_path) -> Path:
    path = tmp_path / "hami.xlsx"
    write_data(load_report(EXAMPLES / "hami-2019.yaml").report, path)
    return path


def edit(path: Path, sheet: str, header: str, value, **row) -> str:
    """Change one cell of the workbook at ``path`` as a clerk would; return its coordinate."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    coord = set_cell(ws, find_row(ws, **row), header, value)
    book.save(path)
    return coord


def test_text_in_number_cell_names_sheet_and_cell(hami_book, cli, tmp_path):
    coord = edit(hami_book, "收入", "本年", "十万", 基金="失业保险", 项目名称="利息收入")
    row = int(coord[1:])
    result = cli("render", "--verbose", hami_book)
    assert result.exit_code != 0
    assert f"收入!{coord}" in result.stderr and coord == f"C{row}"
    assert "funds[失业保险].income[利息收入].actual" in result.stderr
    assert "应为数字，实际为“十万”" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists() or not list((tmp_path / "output").iterdir())
    result = cli("convert", hami_book, tmp_path / "out.yaml")
    assert result.exit_code != 0 and not (tmp_path / "out.yaml").exists()


def test_every_problem_is_listed_once_with_its_cell(hami_book):
    book = openpyxl.load_workbook(hami_book)
    set_cell(book["设置"], find_row(book["设置"], 项目="报告年度"), "值", "二〇一九")
    set_cell(book["人数"], find_row(book["人数"], 基金="失业保险", 名称="领取失业保险金人员"), "本年人数", 2845.5)
    set_cell(book["收入"], find_row(book["收入"], 基金="工伤保险", 项目名称="利息收入"), "上下级往来", "也许")
    ws = book["支出"]
    row = ws.max_row + 1
    set_cell(ws, row, "基金", "养老保险甲")
    set_cell(ws, row, "项目名称", "其他支出")
    set_cell(ws, row, "本年", 5)  # a value in a row whose fund is not listed
    book.save(hami_book)
    with pytest.raises(DataError) as caught:
        load_workbook_report(hami_book)
    text = str(caught.value)
    assert "设置!B4（report.year）：应为整数，实际为“二〇一九”" in text
    assert ("人数!D6（funds[失业保险].people[领取失业保险金人员].actual）：单位为“人”的人数应为整数"
            "（单位为万人、万名等时才可写小数），实际为“2845.5”") in text
    assert "收入!" in text and "应为 true 或 false（是/否），实际为“也许”" in text
    assert f"支出!A{row}" in text and "基金“养老保险甲”不在“基金”表中" in text
    assert len(caught.value.problems) == 4


def test_percent_formatted_cell_is_read_as_percent(hami_book):
    book = openpyxl.load_workbook(hami_book)
    ws = book["绩效目标"]
    row = find_row(ws, 基金="失业保险")
    column = next(cell.column for cell in ws[1] if cell.value == "实际准确率（%）")
    ws.cell(row, column).value = 0.985  # typed as 98.5% in a percentage cell
    ws.cell(row, column).number_format = "0.0%"
    book.save(hami_book)
    fund = load_workbook_report(hami_book).report.funds[3]
    assert fund.name == "失业保险" and fund.achieved.accuracy == Decimal("98.5")


def test_unknown_sheet_and_column_are_errors(hami_book):
    book = openpyxl.load_workbook(hami_book)
    book.create_sheet("收入2")
    book.create_sheet("备注-草稿")  # ignored by name
    book["人数"].cell(1, 9).value = "性别"
    book.save(hami_book)
    with pytest.raises(DataError) as caught:
        load_workbook_report(hami_book)
    text = str(caught.value)
    assert "未知的工作表“收入2”" in text and "备注" not in text.split("未知的工作表")[0]
    assert "人数!I1" in text and "未知的列“性别”" in text
    assert "备注-草稿" not in text


# ---------------------------------------------------------------------------- formulas, broken files

def _with_cached_value(path: Path, coord: str, value: str) -> None:
    """Store a cached result for the formula at ``coord`` of 支出, as Excel would on saving."""
    with zipfile.ZipFile(path) as source:
        names = source.namelist()
        parts = {name: source.read(name) for name in names}
    sheet = next(n for n in names if n.startswith("xl/worksheets/sheet") and b"<f>" in parts[n])
    xml = parts[sheet].decode("utf-8")
    xml, count = re.subn(rf'(<c r="{coord}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?', rf"\1<v>{value}</v>", xml)
    assert count == 1
    parts[sheet] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            target.writestr(name, parts[name])


def test_formula_without_cached_value_is_reported(hami_book, cli):
    coord = edit(hami_book, "支出", "本年", "=6000+233", 基金="工伤保险", 项目名称="待遇支出")
    result = cli("render", hami_book)
    assert result.exit_code != 0
    assert f"支出!{coord}：单元格是公式“=6000+233”，但文件中没有它的计算结果" in result.stderr
    assert "请在 Excel 中打开并保存" in result.stderr


def test_formula_with_cached_value_reads_the_value(hami_book):
    coord = edit(hami_book, "支出", "本年", "=6000+233", 基金="工伤保险", 项目名称="待遇支出")
    _with_cached_value(hami_book, coord, "6233")
    fund = load_workbook_report(hami_book).report.funds[2]
    assert fund.name == "工伤保险" and fund.expense[0].actual == Decimal(6233)


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_unreadable_workbook_gets_a_chinese_message(content, cli, tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(content)
    result = cli("render", path)
    assert result.exit_code != 0
    assert "无法读取 Excel 工作簿，文件已损坏或不是 .xlsx 格式" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_settings_sheet(hami_book):
    book = openpyxl.load_workbook(hami_book)
    del book["设置"]
    book.save(hami_book)
    with pytest.raises(DataError, match="缺少工作表“设置”"):
        load_workbook_report(hami_book)


# ---------------------------------------------------------------------------- init

def test_init_writes_a_workbook_that_loads_and_renders_once_filled(cli, tmp_path):
    result = cli("init", "--xlsx", "新.xlsx")
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "新.xlsx")
    assert book.sheetnames[0] == "说明" and "收入" in book.sheetnames
    funds = [ws_row[0].value for ws_row in book["基金"].iter_rows(min_row=2)]
    assert funds == ["企业职工基本养老保险", "机关事业单位基本养老保险", "城乡居民基本养老保险", "城镇职工基本医疗保险",
                     "城乡居民基本医疗保险", "工伤保险", "失业保险", "生育保险"]
    income = book["收入"]
    assert find_row(income, 基金="企业职工基本养老保险", 项目名称="中央调剂金补助收入")
    expense = book["支出"]
    assert find_row(expense, 基金="失业保险", 项目名称="稳岗补贴支出")
    assert find_row(expense, 基金="工伤保险", 项目名称="劳动能力鉴定费支出")
    assert book["收入"].freeze_panes == "C2"
    assert any("是,否" in (dv.formula1 or "") for dv in income.data_validations.dataValidation)
    # empty: the loader says what is missing and where
    result = cli("render", "--verbose", "新.xlsx")
    assert result.exit_code != 0 and "设置!B2（report.unit）：缺少必填字段" in result.stderr
    # a clerk keeps one fund and fills a few cells; the other funds' pre-listed rows stay blank
    book["基金"].delete_rows(2, 6)
    book["基金"].delete_rows(3, 1)
    settings = book["设置"]
    set_cell(settings, find_row(settings, 项目="单位（地区）名称"), "值", "测试县")
    set_cell(settings, find_row(settings, 项目="报告年度"), "值", 2020)
    set_cell(income, find_row(income, 基金="失业保险", 项目名称="保险费收入"), "本年", 6037)
    set_cell(income, find_row(income, 基金="失业保险", 项目名称="保险费收入"), "上年", 5843)
    set_cell(expense, find_row(expense, 基金="失业保险", 项目名称="失业保险金支出"), "本年", 1716)
    set_cell(expense, find_row(expense, 基金="失业保险", 项目名称="失业保险金支出"), "预算", 1755)
    book.save(tmp_path / "新.xlsx")
    loaded = load_report(tmp_path / "新.xlsx")
    fund = next(f for f in loaded.report.funds if f.name == "失业保险")
    assert fund.income[0].actual == 6037 and fund.expense[0].budget == 1755
    result = cli("render", "新.xlsx", "-o", "报告.docx")
    assert result.exit_code == 0, result.stderr
    text = "\n".join(paragraphs(tmp_path / "报告.docx"))
    assert "测试县" in text and "6037" in text
    assert "97.78%" in text  # 失业保险金 1716 / 1755 = 97.78%


def test_init_with_selected_funds_keeps_standard_order(cli, tmp_path):
    assert cli("init", "--xlsx", "b.xlsx", "--funds", "失业保险,企业养老保险").exit_code == 0
    rows = [r[0].value for r in openpyxl.load_workbook(tmp_path / "b.xlsx")["基金"].iter_rows(min_row=2)]
    assert rows == ["企业职工基本养老保险", "失业保险"]
    result = cli("init", "--xlsx", "c.xlsx", "--funds", "养老保险甲")
    assert result.exit_code != 0 and "未知的基金名称“养老保险甲”" in result.stderr
    assert not (tmp_path / "c.xlsx").exists()


def test_init_refuses_to_overwrite(cli, tmp_path):
    (tmp_path / "b.xlsx").write_bytes(b"clerk's work")
    result = cli("init", "--xlsx", "b.xlsx")
    assert result.exit_code != 0 and "文件已存在" in result.stderr
    assert (tmp_path / "b.xlsx").read_bytes() == b"clerk's work"
    assert cli("init", "--xlsx", "b.xlsx", "--force").exit_code == 0


def test_init_from_moves_this_year_to_last_year(cli, tmp_path):
    result = cli("init", "--from", EXAMPLES / "hami-2019.yaml", "-o", "hami-2020.yaml")
    assert result.exit_code == 0, result.stderr
    report = load_report(tmp_path / "hami-2020.yaml").report
    assert report.report.year == 2020 and report.report.unit == "哈密市"
    pension = report.funds[0]
    assert pension.name == "企业职工基本养老保险"
    premium = pension.income[0]
    assert (premium.name, premium.previous, premium.actual, premium.budget) == ("保费收入", 117275, None, None)
    assert pension.expense[0].previous == 112561 and pension.expense[0].budget is None
    assert pension.income_subtotal.previous == 122288 and pension.income_subtotal.actual is None
    assert pension.expense_subtotal.previous == 123542
    assert pension.balance.previous_cumulative == 122431  # 2019 滚存结余
    assert pension.balance.cumulative is None and pension.balance.current is None
    assert pension.people[0].previous == 34962 and pension.people[0].actual is None
    assert pension.people[0].target == 34962  # a target: kept
    assert pension.targets.pay_day == 18 and pension.achieved.pay_day is None  # targets kept
    assert pension.text.management == "" and report.text.overview == ""
    assert pension.pension_adjustment is None
    injury = report.funds[2]
    assert injury.income_total.previous == 9860 and injury.balance.previous_cumulative == 6912


def test_init_from_computes_the_opening_balance_when_not_entered(cli, tmp_path):
    (tmp_path / "last.yaml").write_text(
        "report: {unit: 测试县, year: 2019, amount_unit: 元}\n"
        "funds:\n"
        "  - name: 工伤保险\n"
        "    income: [{name: 保险费收入, actual: 5000000}]\n"
        "    expense: [{name: 待遇支出, actual: 3000000}]\n"
        "    balance: {previous_cumulative: 10000000}\n", encoding="utf-8")
    result = cli("init", "--from", "last.yaml", "-o", "next.xlsx")
    assert result.exit_code == 0, result.stderr
    report = load_report(tmp_path / "next.xlsx").report
    fund = report.funds[0]
    assert report.report.year == 2020 and report.report.amount_unit == "元"
    # 10000000 + (5000000 − 3000000), still in 元
    assert fund.balance.previous_cumulative == Decimal(12000000)
    assert fund.income[0].previous == 5000000 and fund.expense[0].previous == 3000000


def test_init_from_default_name_bumps_the_year(cli, tmp_path):
    (tmp_path / "hejing-2019.yaml").write_bytes((EXAMPLES / "hejing-2019.yaml").read_bytes())
    result = cli("init", "--from", "hejing-2019.yaml")
    assert result.exit_code == 0, result.stderr
    report = load_report(tmp_path / "hejing-2020.yaml").report
    public = report.funds[1]
    assert public.expense_total.previous == 19985 and public.balance.previous_cumulative == 1040


# ---------------------------------------------------------------------------- several units

def test_multi_unit_workbook_isolates_each_units_errors(tmp_path):
    reports = [load_report(EXAMPLES / f"{name}.yaml").report for name in ("hami-2019", "hejing-2019")]
    path = tmp_path / "units.xlsx"
    write_workbook(path, reports)
    units = list(iter_workbook_units(path))
    assert [u.report for u in units] == reports
    coord = edit(path, "支出", "本年", "一千", 单位="和静县", 基金="工伤保险", 项目名称="待遇支出")
    first, second = iter_workbook_units(path)
    assert isinstance(first, LoadedReport) and first.report == reports[0]
    assert isinstance(second, DataError)
    assert f"units.xlsx[和静县]!支出!{coord}" in str(second) and "一千" in str(second)
    with pytest.raises(DataError, match="工作簿包含 2 个单位"):
        load_workbook_report(path)


# ---------------------------------------------------------------------------- layout

def _leaf_paths(model, prefix=()) -> set[tuple]:
    paths = set()
    for name, info in model.model_fields.items():
        kind, target, _ = shape(info.annotation)
        if kind in ("model", "list_model", "dict_model"):
            if target is not model:
                paths |= _leaf_paths(target, (*prefix, name))
        else:
            paths.add((*prefix, name))
    return paths


def test_every_model_field_has_a_cell():
    """A new field or section of the model gets a place in the workbook automatically."""
    covered = set()
    for sheet in layout():
        base = tuple(k for k in sheet.path if k != "*")
        if sheet.mode == "named":
            covered |= {(*base, field, *c.path) for field, _, _ in sheet.named for c in sheet.columns}
            continue
        prefix = base
        for field, columns in sheet.levels:  # nested lists: outer entries first
            covered |= {(*prefix, *c.path) for c in columns}
            prefix = (*prefix, field)
        covered |= {(*prefix, *c.path) for c in sheet.columns}
    assert _leaf_paths(Report) - covered == set()


def test_headers_are_unique_per_sheet():
    for sheet in layout():
        headers = sheet.headers()
        assert len(headers) == len(set(headers)), sheet.name
        assert "单位" not in headers, sheet.name  # reserved: the unit column of multi-unit workbooks
        assert len(sheet.name) <= 31


def test_clerk_guide_names_every_sheet():
    from conftest import ROOT

    guide = (ROOT / "docs" / "Excel填报说明.md").read_text(encoding="utf-8")
    missing = [sheet.name for sheet in layout() if sheet.name not in guide]
    assert missing == []


@pytest.mark.slow
def test_workbook_saved_by_a_spreadsheet_program_reads_the_same(hami_book, tmp_path):
    """LibreOffice opens the workbook, computes a formula the clerk typed, saves it again."""
    import subprocess

    from conftest import soffice_calc

    edit(hami_book, "支出", "本年", "=6000+233", 基金="工伤保险", 项目名称="待遇支出")
    subprocess.run([soffice_calc(), f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "saved"), str(hami_book)],
                   check=True, capture_output=True, timeout=180)
    saved = load_report(tmp_path / "saved" / "hami.xlsx").report
    assert saved == load_report(EXAMPLES / "hami-2019.yaml").report  # the formula gives the same 6233


def test_init_from_keeps_indicator_targets_and_empties_results(cli, tmp_path):
    if "evaluation" not in Report.model_fields:
        pytest.skip("the 绩效自评表 section is not in the model on this branch")
    last = load_report(EXAMPLES / "hejing-2019.yaml").report
    assert last.evaluation is not None
    result = cli("init", "--from", EXAMPLES / "hejing-2019.yaml", "-o", "hejing-2020.xlsx")
    assert result.exit_code == 0, result.stderr
    evaluation = load_report(tmp_path / "hejing-2020.xlsx").report.evaluation
    before = last.evaluation.indicators[0].groups[0].indicators[0]
    after = evaluation.indicators[0].groups[0].indicators[0]
    assert (after.name, after.target) == (before.name, before.target) == (before.name, "≥99%")
    assert before.actual == "100%" and after.actual is None
    assert last.evaluation.money.total.executed == 103395 and evaluation.money.total.executed is None
    assert evaluation.money.total.budget is None
    assert evaluation.goals.expected == last.evaluation.goals.expected


def test_unreadable_workbook_is_one_error_for_a_batch(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"not a workbook")
    units = list(iter_workbook_units(path))
    assert len(units) == 1 and isinstance(units[0], DataError)
    assert "无法读取 Excel 工作簿" in str(units[0])


def test_mapping_settings_survive_the_workbook(cli, tmp_path):
    """thresholds.severity is a mapping of rule code → level, written as “键=值；键=值”."""
    source = tmp_path / "s.yaml"
    source.write_text((EXAMPLES / "hami-2019.yaml").read_text(encoding="utf-8")
                      + "thresholds:\n  severity:\n    copies.block: 'off'\n    sum.totals: error\n", encoding="utf-8")
    assert cli("convert", source, tmp_path / "s.xlsx").exit_code == 0
    back = load_report(tmp_path / "s.xlsx").report
    assert back.thresholds.severity == {"copies.block": "off", "sum.totals": "error"}
    assert back == load_report(source).report
