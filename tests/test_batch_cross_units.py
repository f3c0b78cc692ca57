"""Checks across the units of a batch (issue 12 item 5): duplicate names refused before
anything is written, copied figures and units of another year flagged, each said once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

import units
from sireport.data.save import yaml_text
from sireport.excel.write import write_workbook
from sireport.run.batch import describe, run_batch

ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
FILE_NAME = re.compile(r"[\w-]+\.(yaml|xlsx)")


def write_unit(folder: Path, name: str, data: dict) -> Path:
    """One unit as YAML, or as a one-unit entry workbook for a name ending in .xlsx."""
    path = folder / name
    if path.suffix == ".xlsx":
        write_workbook(path, [data])
    else:
        path.write_text(yaml_text(data), encoding="utf-8")
    return path


def renamed(data: dict, unit: str | None = None, year: int | None = None) -> dict:
    report = {**data["report"], **({"unit": unit} if unit else {}), **({"year": year} if year else {})}
    return {**data, "report": report}


@pytest.fixture
def batch_of_30(tmp_path) -> Path:
    """30 generated units: two names each given to two files (one of them a workbook), one
    workbook copied for another county with its figures unchanged, one unit of 2018."""
    folder = tmp_path / "units"
    folder.mkdir()
    for seed in range(24):
        write_unit(folder, f"county-{seed:02d}.yaml", units.unit(seed))
    write_unit(folder, "dup-a1.yaml", units.unit(100))
    write_unit(folder, "dup-a2.yaml", renamed(units.unit(101), unit="生成县00100"))
    write_unit(folder, "dup-b1.xlsx", units.unit(102))
    write_unit(folder, "dup-b2.yaml", renamed(units.unit(103), unit="生成县00102"))
    write_unit(folder, "original.xlsx", units.unit(104))
    write_unit(folder, "copy.xlsx", renamed(units.unit(104), unit="复制县"))
    assert units.unit(5)["report"]["year"] == 2019
    write_unit(folder, "county-05.yaml", renamed(units.unit(5), year=2018))
    assert len(list(folder.iterdir())) == 30
    return folder


def rows_of(path: Path, sheet: str) -> list[list]:
    return [[cell.value for cell in row] for row in load_workbook(path)[sheet].iter_rows()]


def test_a_batch_of_30_says_each_cross_unit_problem_once_in_chinese(cli, batch_of_30, tmp_path):
    out = tmp_path / "out"
    result = cli("batch", batch_of_30, "-o", out, "-j", "2")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "共 30 个单位，已生成 26 份报告" in result.stdout and "失败 4 个" in result.stdout
    # nothing written for either unit of a duplicated name; the rest are all there
    reports = {path.name for path in out.glob("*.docx")}
    assert len(reports) == 26 and not any("生成县00100" in n or "生成县00102" in n for n in reports)
    assert not list(out.glob(".~*"))  # the stage is gone
    # said once each: one line per duplicated name, naming both files and where the names are
    failed = result.stdout.split("失败的单位（未生成报告）：")[1].split("警告（")[0]
    lines = failed.strip().split("\n  - ")
    assert len(lines) == 2
    first = next(line for line in lines if "dup-a1.yaml" in line)
    assert "dup-a2.yaml" in first and "报告文件名相同" in first and "（生成县00100，2019年）" in first
    second = next(line for line in lines if "dup-b1.xlsx" in line)
    assert f"{batch_of_30 / 'dup-b1.xlsx'}!设置!B2" in second and f"{batch_of_30 / 'dup-b2.yaml'}:" in second
    assert result.stdout.count("报告文件名相同") == 2
    warned = result.stdout.split("警告（报告已生成，请核对）：")[1]
    copies = [line for line in warned.split("\n") if "完全相同" in line]
    assert len(copies) == 2  # one on each unit, naming the other
    assert any("copy.xlsx!设置!B2" in line and "“生成县00104”（" in line for line in copies)
    assert any("original.xlsx!设置!B2" in line and "“复制县”（" in line for line in copies)
    years = [line for line in warned.split("\n") if "报告年度为" in line]
    assert len(years) == 1 and "county-05.yaml" in years[0] and "29个单位为2019年" in years[0]
    for line in [*lines, *copies, *years]:
        said = FILE_NAME.sub("", line.replace(f"{batch_of_30}/", ""))
        assert not ASCII_WORD.search(said), line  # Chinese, but for file names: no rule code by default
    verbose = cli("batch", "--verbose", batch_of_30, "-o", tmp_path / "again", "-j", "2").stdout
    assert "[batch.copied] 各项基金" in verbose and "[batch.year] 报告年度为2018年" in verbose

    # the 问题清单: each problem in one row, with its place and the rule's Chinese name
    problems = rows_of(out / "问题清单.xlsx", "问题清单")
    assert problems[0][:6] == ["单位", "文件", "位置", "级别", "规则", "说明"]
    text = ["\t".join(str(value) for value in row) for row in problems]
    assert sum("报告文件名相同" in row for row in text) == 2
    duplicates = {row[0]: row[1:6] for row in problems if row[4] == "单位重名"}
    assert set(duplicates) == {"生成县00100", "生成县00102"}
    files, place, level, _, said = duplicates["生成县00102"]
    assert files == f"{batch_of_30 / 'dup-b1.xlsx'}、{batch_of_30 / 'dup-b2.yaml'}"
    assert place == "设置!B2、第 3 行第 3 列" and level == "错误" and said.startswith("2个单位的单位名称和年度都相同")
    copied = sorted((row[0], row[2], row[3]) for row in problems if row[4] == "疑为复制了其他单位的工作簿")
    assert copied == [("复制县", "设置!B2", "警告"), ("生成县00104", "设置!B2", "警告")]
    years = [row for row in problems if row[4] == "年度与本批不同"]
    assert len(years) == 1 and years[0][1].endswith("county-05.yaml") and years[0][2].startswith("第 ")

    # the 汇总表: number formats, a filter, 合计 rows of the 2019 units only
    book = load_workbook(out / "汇总表.xlsx")
    sheet = book["收支"]
    rows = list(sheet.iter_rows())
    assert "合计行只含 2019 年的单位" in rows[0][0].value  # the note row: units of two years
    assert sheet.auto_filter.ref.startswith("A2:") and sheet.freeze_panes == "D3"
    body = [row for row in rows[2:] if row[0].value != "合计"]
    assert len({row[0].value for row in body}) == 26  # the units rendered
    formats = {cell.number_format for row in body for cell in row[3:] if cell.value is not None}
    assert formats in ({"#,##0", "0.00%"}, {"#,##0.00", "0.00%"})  # 万元 with the units' amount_decimals
    total = next(row for row in rows if row[0].value == "合计" and row[2].value == "各基金合计")
    rendered_2019 = [row for row in body if row[2].value == "各基金合计" and row[1].value == 2019]
    assert len(rendered_2019) == 25
    assert total[3].value == pytest.approx(sum(float(row[3].value) for row in rendered_2019))


def test_strict_refuses_copies_and_other_years_too(batch_of_30, tmp_path):
    result = run_batch([batch_of_30], tmp_path / "out", jobs=2, strict=True)
    refused = {Path(unit.source).name for unit in result.failed if "--strict" in (unit.error or "")}
    assert {"original.xlsx", "copy.xlsx", "county-05.yaml"} <= refused
    assert not list((tmp_path / "out").glob("*生成县00104*")) and not list((tmp_path / "out").glob("*复制县*"))


def test_two_units_of_one_multi_unit_workbook_with_the_same_report_name_are_both_refused(tmp_path):
    data = [units.unit(1), renamed(units.unit(2), unit="乙县")]
    path = tmp_path / "两县.xlsx"
    write_workbook(path, data)
    book = load_workbook(path)
    sheet = book["设置"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "乙县" and row[2].value == "乙县":
            row[2].value = "生成县00001"  # its own 单位 key, but the first unit's name
    book.save(path)
    result = run_batch([path], tmp_path / "out", jobs=1)
    assert len(result.failed) == 2 and not list((tmp_path / "out").glob("*.docx"))
    assert len({unit.error for unit in result.failed}) == 1
    assert "两县.xlsx[乙县]!设置!C" in result.failed[0].error


def test_units_of_a_single_year_and_distinct_figures_give_no_cross_unit_finding(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    for seed in range(3):
        write_unit(folder, f"u{seed}.yaml", units.unit(seed))
    result = run_batch([folder], tmp_path / "out", jobs=1)
    assert not result.failed
    assert not [issue for issue in result.warnings.spool if issue.code.startswith("batch.")]


def test_two_units_of_one_workbook_given_the_same_unit_key_are_refused_once_saying_where(tmp_path):
    path = tmp_path / "两县.xlsx"
    write_workbook(path, [units.unit(1), renamed(units.unit(2), unit="乙县")])
    book = load_workbook(path)
    for sheet in book.worksheets:  # the clerk copied 甲's rows for 乙 and kept 甲's 单位 everywhere
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "乙县":
                    cell.value = "生成县00001"
    book.save(path)
    result = run_batch([path], tmp_path / "out", jobs=1)
    assert [unit.source for unit in result.units] == [str(path)] and not list((tmp_path / "out").glob("*.docx"))
    error = result.units[0].error
    assert error.startswith(f"{path}!设置!A2、{path}!设置!A") and error.count("设置!A") == 2
    assert "2个单位的“单位”都写作“生成县00001”" in error and "\n" not in error  # said once, not row by row


def test_warnings_of_a_unit_refused_for_its_name_are_not_said_to_be_in_a_report(tmp_path):
    """hejing-2019 warns; two copies of it share a name, so neither report is written: the run
    summary lists their warnings without saying the reports were generated."""
    folder = tmp_path / "units"
    folder.mkdir()
    example = Path(__file__).resolve().parent.parent / "data_examples" / "hejing-2019.yaml"
    for name in ("甲.yaml", "乙.yaml"):
        (folder / name).write_bytes(example.read_bytes())
    write_unit(folder, "丙.yaml", units.unit(1))
    result = run_batch([folder], tmp_path / "out", jobs=1)
    assert {Path(unit.source).name for unit in result.failed} == {"甲.yaml", "乙.yaml"}
    assert result.warning_count > 0
    said = describe(result)
    assert "报告已生成" not in said
    warned = said.split("警告（请核对）：\n")[1].split("汇总表：")[0]
    lines = [line for line in warned.split("\n") if line.startswith("  - ")]
    assert lines and all(line.endswith("（该单位未生成报告）") == ("甲.yaml" in line or "乙.yaml" in line)
                         for line in lines)
