"""What a clerk reads is Chinese in the clerk's terms: places (file:line, sheet!cell) and
Chinese field names by default; rule codes and key paths only with --verbose or JSON."""

from __future__ import annotations

import json
import re
import shutil

import openpyxl
import pytest

from checkdata import changed, clean, loaded
from conftest import EXAMPLES
from sireport.checks import check_report
from sireport.data.load import load_report
from sireport.data.save import write_data
from sireport.excel.read import load_workbook_report

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "published").glob("*.yaml"))
ASCII_LETTER = re.compile(r"[A-Za-z]")


def letters_outside_file_names(output: str) -> list[str]:
    """Lines with an ASCII letter once the file names (data_examples/…yaml) and what a clerk
    types (a command such as sireport check, an option such as --strict) are taken out."""
    stripped = re.sub(r"\S*\.(yaml|yml|json|xlsx|docx)\b(![^!：]+![A-Z]+\d+)?", "", output)  # and sheet!cell
    stripped = re.sub(r"\bsireport [a-z]+\b|--[a-z-]+", "", stripped)
    return [line for line in stripped.splitlines() if ASCII_LETTER.search(line)]


@pytest.mark.parametrize("template", [(), ("-t", "default")], ids=["data", "template"])
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_check_prints_chinese_only_and_json_has_the_same_findings_with_codes(example, template, cli):
    text = cli("check", example, *template)
    assert letters_outside_file_names(text.stdout) == []
    as_json = json.loads(cli("check", example, *template, "--format", "json").stdout)
    findings = as_json["files"][0]["findings"]
    lines = [line for line in text.stdout.splitlines() if line.startswith("  ")]
    assert len(lines) == len(findings)
    for line, finding in zip(lines, findings):
        assert finding["code"] and finding["message"] in line and finding["place"] in line
    missing = [f["message"] for f in findings if f["code"] == "template.missing"]
    assert len(missing) == len(set(missing))  # one line per field the template uses, however often
    verbose = cli("check", example, *template, "--verbose").stdout
    assert all(f"[{f['code']}]" in verbose and f["where"] in verbose for f in findings)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_render_says_its_warnings_and_errors_in_chinese(example, cli, tmp_path):
    result = cli("render", example, "-o", tmp_path / "报告.docx")
    assert letters_outside_file_names(result.stdout + result.stderr) == []


NO_SPACE_AT_FIGURES = re.compile(r"[\u4e00-\u9fff，。：；（）“”] [-+±≥≤\d]|[\d%] [\u4e00-\u9fff，。；（）“”]")


def test_no_space_between_a_figure_and_the_chinese_around_it(cli):
    """“应为不超过24个月，实际30.99个月”, not “应为 不超过 24 个月，实际 30.99 个月”."""
    output = cli("check", *EXAMPLE_FILES, "-t", "default").stdout
    spaced = [line for line in output.splitlines() if NO_SPACE_AT_FIGURES.search(line)]
    assert "实际30.99个月" in output and spaced == []


def test_the_examples_do_have_findings_to_show(cli):
    """The test above is not vacuous: the published reports keep their errors."""
    output = cli("check", *(EXAMPLES / "published").glob("*.yaml"), "-t", "default").stdout
    assert sum(line.startswith("  ") for line in output.splitlines()) > 20


def test_workbook_findings_name_sheet_and_cell_and_no_key_path(cli, tmp_path):
    assert cli("convert", EXAMPLES / "hami-2019.yaml", tmp_path / "hami.xlsx").exit_code == 0
    result = cli("check", tmp_path / "hami.xlsx")
    assert re.search(r"hami\.xlsx!合计!E\d+：", result.stdout)
    assert letters_outside_file_names(result.stdout) == []


def test_render_errors_show_key_paths_only_when_verbose(cli, tmp_path):
    data = tmp_path / "d.yaml"
    data.write_text(EXAMPLES.joinpath("hami-2019.yaml").read_text(encoding="utf-8")
                    .replace("year: 2019", "year: 二〇一九", 1), encoding="utf-8")
    plain = cli("render", data, "-o", tmp_path / "a.docx")
    assert plain.exit_code != 0 and "应为整数" in plain.stderr and "report.year" not in plain.stderr
    verbose = cli("render", data, "-o", tmp_path / "a.docx", "--verbose")
    assert "（report.year）" in verbose.stderr


@pytest.mark.parametrize(("budget", "shown"), [("1111.16", None), ("1111.2", "89.99%")])
def test_execution_band_judged_on_the_rate_as_shown(budget, shown, tmp_path):
    # 1000 / 1111.16 = 89.9960…% shows as 90.00%: inside 90%～110%, no finding
    data = changed(clean(), "funds.0.expense_total", {"actual": 1000, "previous": 980, "budget": float(budget)})
    hits = [f for f in check_report(loaded(data, tmp_path)) if f.code == "execution.band"]
    if shown is None:
        assert hits == []
    else:
        assert hits and hits[0].found == shown and "低于90%" in hits[0].message


@pytest.mark.parametrize(("cumulative", "shown"), [("600.1", None), ("600.2", "24.01个月"), ("612.5", "24.50个月")])
def test_months_are_judged_as_shown_so_never_read_as_the_line(cumulative, shown, tmp_path):
    # 失业保险 spends 25 a month: 600.1 is 24.004 months, shown 24.00, on the 24-month line: no finding
    data = changed(clean(), "funds.1.balance.cumulative", float(cumulative))
    hits = [f for f in check_report(loaded(data, tmp_path)) if f.code == "months.band"]
    assert [f.found for f in hits] == ([shown] if shown else [])
    assert all(f.said() == f"失业保险可支付月数高于结余过多线（24个月）（应为不超过24个月，实际{shown}）" for f in hits)


@pytest.mark.parametrize(("text", "said"), [
    ("report:\n\tunit: 甲\n", "不能用制表符缩进"),
    ("report:\n  unit 甲\n  year: 2019\n", "冒号"),
    ('report:\n  unit: "甲\n  year: 2019\n', "引号没有闭合（第 2 行第 9 列开始的引号）"),
    ("report: {unit: 甲\n", "花括号 { } 没有闭合"),
    ("report: [1, 2\n", "方括号 [ ] 没有闭合"),
    ("report:\n  unit: 甲\n   year: 2019\n", "3:8：格式错误（缩进不对：这一行比上一行多缩进了 1 个空格；同一层的键要左对齐）"),
    ("report:\n  unit: 甲\n year: 2019\n", "3:2：格式错误（缩进不一致，请检查这一行与上一层的对齐）"),
    ("report:\n  unit: 甲: 乙\n", "值中有“: ”（冒号加空格）：这样的值要用引号括起来"),
    ('report:\n  unit: "甲\\乙"\n', "双引号中的反斜杠“\\”后面不是有效的转义字符"),
    ("report: [1, 2]]\n", "多余的“]”"),
    ("report: 1\n- 2\n", "列表项“- ”与上面的键混在同一层"),
])
def test_common_yaml_mistakes_are_explained_in_chinese(text, said, cli, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("check", path)
    assert result.exit_code == 2 and said in result.stdout
    assert letters_outside_file_names(result.stdout) == []


def test_yaml_syntax_error_keeps_the_parser_text_for_verbose_only(cli, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("report:\n\tunit: 甲\n", encoding="utf-8")
    plain = cli("render", path, "-o", tmp_path / "r.docx")
    assert plain.exit_code == 2 and "d.yaml:2:1：格式错误（不能用制表符缩进，请用空格）" in plain.stderr
    assert letters_outside_file_names(plain.stderr) == []
    verbose = cli("render", path, "-o", tmp_path / "r.docx", "--verbose")
    assert "原始信息：" in verbose.stderr and "found character" in verbose.stderr


# ---------------------------------------------------------------------------- the entry workbook

# What a clerk may meet in ASCII in the workbook: the command to run, Excel's own words, file
# names, and the reference syntax of 取数来源 (funds[失业保险].expense.execution, totals.income).
WORKBOOK_ASCII = re.compile(r"sireport render|Excel|Alt\+Enter|[\w/]+\.(md|xlsx)\b"
                            r"|(funds|totals)(\[[^\]]*\]|\.[a-z_]+)+")


def test_every_sheet_of_a_new_workbook_speaks_the_clerks_terms(cli, tmp_path):
    assert cli("init", "--xlsx", tmp_path / "填报.xlsx").exit_code == 0
    english = []
    for ws in openpyxl.load_workbook(tmp_path / "填报.xlsx"):
        for row in ws.iter_rows():
            for cell in row:
                for text in (cell.value, *((cell.comment.text, cell.comment.author) if cell.comment else ())):
                    if isinstance(text, str) and ASCII_LETTER.search(WORKBOOK_ASCII.sub("", text)):
                        english.append(f"{ws.title}!{cell.coordinate}：{text}")
    assert english == []
    months = openpyxl.load_workbook(tmp_path / "填报.xlsx")["可支付月数阈值"]
    assert [c.value for c in months["A"]][:3] == ["基金", "企业职工基本养老保险", "机关事业单位基本养老保险"]


def test_a_workbook_filled_before_the_chinese_labels_reads_the_same(tmp_path):
    """English keys of 可支付月数阈值 and earlier labels are read silently, as they were meant."""
    path = tmp_path / "旧.xlsx"
    write_data(load_report(EXAMPLES / "hami-2019.yaml").report, path)
    wb = openpyxl.load_workbook(path)
    months = wb["可支付月数阈值"]
    months["A1"] = "键"
    row = next(r for r in months.iter_rows(min_row=2) if r[0].value == "失业保险")
    row[0].value, row[4].value = "unemployment", 30
    settings = wb["设置"]
    item = next(r for r in settings.iter_rows(min_row=2) if r[0].value == "写作万人的起点")
    item[0].value, item[1].value = "people_unit 为万人时", 20000
    wb.save(path)
    report = load_workbook_report(path).report
    assert report.thresholds.months_band("unemployment", "失业保险").excess_above == 30
    assert report.report.people_wan_from == 20000


def test_batch_says_its_failures_and_warnings_in_chinese(cli, tmp_path):
    """The run summary a clerk reads: places and Chinese messages; codes only with --verbose."""
    folder = tmp_path / "各县"
    folder.mkdir()
    for example in (EXAMPLES / "hejing-2019.yaml", EXAMPLES / "published" / "hami-2019.yaml"):
        shutil.copy(example, folder / example.name)
    result = cli("batch", folder, "-o", tmp_path / "out", "-j", "1")
    said = result.stdout + result.stderr
    assert "失败的单位" in said and "警告（报告已生成，请核对）" in said
    assert "当期结余与“收入合计−支出合计”不符" in said and "相差3809" in said
    assert letters_outside_file_names(said) == []
    verbose = cli("batch", folder, "-o", tmp_path / "again", "-j", "1", "--verbose")
    assert "[balance.current]" in verbose.stdout and "[sum.items_under]" in verbose.stdout
