"""sireport batch: every unit rendered, failures isolated and listed, a 汇总表, safe to kill."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES, ROOT
from docxtext import full_text
from sireport.files import is_untouched
from sireport.run.batch import expand_inputs
from tools.synthetic import write_counties

SMALL_UNIT = """\
report: {{unit: 测试县{number:03d}, year: 2019}}
funds:
  - name: 失业保险
    income:
      - {{name: 保险费收入, actual: {income}, previous: 90, budget: 95}}
    expense:
      - {{name: 失业保险金支出, actual: 80, previous: 70, budget: 85}}
    balance: {{previous_cumulative: 500}}
"""

BROKEN = {  # kind -> (file suffix, content, words the failure must show)
    "bad-yaml": (".yaml", "report: [\n  unit: 坏县\n", "格式错误"),
    "missing-fund": (".yaml", "report: {unit: 缺基金县, year: 2019}\n", "缺少必填字段"),
    "wrong-type": (".yaml", SMALL_UNIT.format(number=999, income="一百").replace("测试县999", "错类型县"), "应为数字"),
    "bad-workbook": (".xlsx", "这不是 Excel 文件", ""),
}


def make_units(folder: Path, good: int, broken_each: int) -> list[Path]:
    folder.mkdir()
    for number in range(good):
        (folder / f"unit-{number:03d}.yaml").write_text(SMALL_UNIT.format(number=number, income=100 + number % 10),
                                                      encoding="utf-8")
    broken = []
    for kind, (suffix, content, _) in BROKEN.items():
        for index in range(broken_each):
            path = folder / f"broken-{kind}-{index}{suffix}"
            path.write_text(content, encoding="utf-8")
            broken.append(path)
    return broken


def test_200_units_with_20_broken_render_the_180_and_list_the_20(cli, tmp_path):
    broken = make_units(tmp_path / "units", good=180, broken_each=5)
    result = cli("batch", tmp_path / "units", "-o", tmp_path / "out", "-j", "2")
    assert result.exit_code != 0
    reports = sorted((tmp_path / "out").glob("*.docx"))
    assert len(reports) == 180
    assert all(is_untouched(path) for path in reports[:5])
    assert "共 200 个单位，已生成 180 份报告" in result.stdout and "失败 20 个" in result.stdout
    section = result.stdout.split("失败的单位（未生成报告）：")[1]
    failures = re.split(r"\n(?:警告（|汇总表：)", section)[0].split("\n  - ")[1:]
    assert len(failures) == 20
    for path in broken:
        line = next(line for line in failures if str(path.name) in line)
        kind = path.stem.split("-", 1)[1].rsplit("-", 1)[0]
        assert BROKEN[kind][2] in line
    assert "有 20 个单位未能生成报告" in result.stderr
    assert not list((tmp_path / "out").glob(".~*"))
    # every failure and warning is in the 问题清单; the console lists the first 100 warnings
    count = int(re.search(r"警告 (\d+) 条", result.stdout).group(1))
    problems = [[c.value for c in row] for row in load_workbook(tmp_path / "out" / "问题清单.xlsx")["问题清单"].iter_rows()]
    assert sum(row[3] == "警告" for row in problems) == count > 100
    assert sum(row[4] == "未生成报告" for row in problems) == 20
    assert f"另有 {count - 100} 条警告" in result.stdout


def test_report_text_and_summary_figures_come_from_each_unit(cli, tmp_path):
    make_units(tmp_path / "units", good=3, broken_each=0)
    result = cli("batch", tmp_path / "units", "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.stdout + result.stderr
    text = full_text(tmp_path / "out" / "测试县002-2019-社会保险基金支出绩效自评报告.docx")
    assert "测试县002" in text and "102万元" in text
    sheet = load_workbook(tmp_path / "out" / "汇总表.xlsx")["执行率"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["单位", "年度", "基金"]
    unit = next(row for row in rows if row[0] == "测试县002" and row[2] == "失业保险")
    # 收入小计 102 of budget 95: 107.37%; 支出 80 of 85: 94.12%; rates stored as fractions shown 0.00%
    assert [Decimal(str(v)) for v in unit[3:9]] == [Decimal("95"), Decimal("102"), Decimal("1.0737"),
                                                   Decimal("85"), Decimal("80"), Decimal("0.9412")]
    formats = [cell.number_format for cell in list(sheet.iter_rows())[1][3:9]]
    assert formats == ["#,##0", "#,##0", "0.00%", "#,##0", "#,##0", "0.00%"]
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref.startswith("A1:")
    total = rows[-1]  # the 合计 row sums the amounts of the units (100 + 101 + 102 of 3 × 95): rate recomputed
    assert total[0] == "合计" and Decimal(str(total[4])) == 303 and Decimal(str(total[5])) == Decimal("1.0632")
    balance = load_workbook(tmp_path / "out" / "汇总表.xlsx")["结余与可支付月数"]
    unit = next(row for row in balance.iter_rows(values_only=True) if row[0] == "测试县002" and row[2] == "失业保险")
    assert Decimal(str(unit[4])) == 22 and Decimal(str(unit[5])) == 522  # 当期结余, 滚存结余


def test_summary_of_hami_shows_the_reference_totals(cli, tmp_path):
    result = cli("batch", EXAMPLES / "hami-2019.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(tmp_path / "out" / "汇总表.xlsx")
    row = [cell.value for cell in list(book["收支"].iter_rows())[1]]
    assert row[:3] == ["哈密市", 2019, "各基金合计"]
    # reference report: all funds income 237563 vs 225628, +11935, +5.29%; 99.39% of budget 239010
    assert [Decimal(str(v)) for v in row[3:7]] == [237563, 225628, 11935, Decimal("0.0529")]
    row = [cell.value for cell in list(book["执行率"].iter_rows())[1]]
    assert Decimal(str(row[3])) == 239010 and Decimal(str(row[5])) == Decimal("0.9939")


def test_two_files_of_the_same_unit_and_year_are_both_failures(cli, tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text(SMALL_UNIT.format(number=1, income=100), encoding="utf-8")
    result = cli("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code != 0
    assert "报告文件名相同" in result.stdout and "a.yaml" in result.stdout and "b.yaml" in result.stdout
    assert not list((tmp_path / "out").glob("*.docx"))  # neither is kept: the folder agrees with the log


def test_a_broken_template_stops_the_run_once(cli, tmp_path):
    make_units(tmp_path / "units", good=2, broken_each=0)
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    result = cli("batch", tmp_path / "units", "-o", tmp_path / "out", "-t", tmp_path / "bad.docx")
    assert result.exit_code == 2
    assert result.stderr.count("不是有效的 Word") == 1
    assert not (tmp_path / "out").exists()


def test_inputs_expand_folders_recursively_and_skip_lock_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.yaml", "a/b/y.json", "a/b/z.xlsx", "a/~$z.xlsx", "a/notes.txt", "a/.hidden.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    found = expand_inputs([tmp_path / "a", tmp_path / "a" / "x.yaml"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/b/y.json", "a/b/z.xlsx", "a/x.yaml"]


def test_missing_input_is_a_clear_error(cli, tmp_path):
    result = cli("batch", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "找不到该文件或目录" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_killing_the_run_leaves_no_partial_report(tmp_path):
    """Reports wait in the run's stage until every unit is known (two of the same name are both
    refused: sireport.run.cross_units); a run stopped before then moves none into place."""
    write_counties(EXAMPLES / "hami-2019.yaml", tmp_path / "units", 400)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "sireport", "batch", str(tmp_path / "units"), "-o", str(out),
                                "-j", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and len(list(out.glob(".~batch-*/*.docx"))) < 20:
        time.sleep(0.05)
    staged = len(list(out.glob(".~batch-*/*.docx")))
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "已取消" in stderr.decode("utf-8")
    assert 20 <= staged < 400
    assert not list(out.glob("*.docx")) and not list(out.glob(".~*"))  # no report, no stage, no temporary file


def test_every_example_renders_in_a_batch_with_its_warnings(cli, tmp_path):
    examples = sorted(EXAMPLES.glob("*.yaml"))  # not published/: the same units again
    result = cli("batch", *examples, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == len(examples)
    assert "项目支出绩效自评表" in " ".join(p.name for p in (tmp_path / "out").glob("*.docx"))
    # the 附表 warning of 和静 (an indicator below its target without a reason) is carried
    assert "hejing-2019.yaml:" in result.stdout.split("警告（报告已生成，请核对）：")[1]


def test_output_folder_inside_the_input_folder_is_not_read_again(cli, tmp_path):
    make_units(tmp_path / "units", good=2, broken_each=0)
    first = cli("batch", tmp_path / "units", "-o", tmp_path / "units" / "out")
    again = cli("batch", tmp_path / "units", "-o", tmp_path / "units" / "out")
    assert first.exit_code == again.exit_code == 0
    assert "共 2 个单位" in again.stdout  # not the 汇总表.xlsx of the first run


def test_a_worker_that_dies_does_not_hang_the_run(tmp_path, monkeypatch):
    from sireport.run import worker as batch_unit
    from sireport.run.batch import run_batch

    make_units(tmp_path / "units", good=6, broken_each=0)
    real = batch_unit.process_unit

    def crash_on_third(label, loaded, job):
        if label.endswith("unit-002.yaml"):
            os._exit(1)  # as if the process were killed from outside
        return real(label, loaded, job)

    monkeypatch.setattr(batch_unit, "process_unit", crash_on_third)  # forked workers inherit it
    result = run_batch([tmp_path / "units"], tmp_path / "out", jobs=2)
    failed = {Path(u.source).name: u.error for u in result.failed}
    assert "unit-002.yaml" in failed and "工作进程意外退出" in failed["unit-002.yaml"]
    assert len(result.units) == 6


def test_bad_job_count_is_a_chinese_error(cli, tmp_path):
    result = cli("batch", EXAMPLES / "hami-2019.yaml", "-o", tmp_path / "out", "-j", "0")
    assert result.exit_code == 2 and "-j 并行进程数应为 1 或更大的整数" in result.stderr


def test_a_unit_failing_the_checks_is_not_rendered_and_says_why(cli, tmp_path):
    make_units(tmp_path / "units", good=2, broken_each=0)
    wrong = SMALL_UNIT.format(number=7, income=100).replace("previous_cumulative: 500", "previous_cumulative: 500, "
                                                                                        "current: 999")
    (tmp_path / "units" / "wrong-balance.yaml").write_text(wrong, encoding="utf-8")
    result = cli("batch", tmp_path / "units", "-o", tmp_path / "out")
    assert result.exit_code == 1
    failed = result.stdout.split("失败的单位（未生成报告）：")[1]
    # 当期结余 = 100 − 80 = 20, not the 999 written
    assert "wrong-balance.yaml" in failed and "数据检查发现1处错误" in failed and "应为20，实际999" in failed
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2


def test_problem_list_is_the_same_written_by_a_forked_helper_or_in_process(cli, tmp_path, monkeypatch):
    """The 问题清单 is written by a forked helper beside the 汇总表; where the helper fails,
    or processes do not fork (Windows), the batch writes it itself, with the same rows."""
    import sireport.excel.problems
    import sireport.run.batch

    make_units(tmp_path / "units", good=4, broken_each=1)
    sheets = []
    parent, write = os.getpid(), sireport.excel.problems.write_problems

    def failing_in_the_child(*args):
        if os.getpid() != parent:
            list(args[1])  # the warnings read, then the disk is full
            raise OSError("磁盘已满")
        return write(*args)

    for way in ("forked", "child fails", "in process"):
        if way == "child fails":
            monkeypatch.setattr(sireport.excel.problems, "write_problems", failing_in_the_child)
        if way == "in process":
            monkeypatch.setattr(sireport.run.batch, "_forked", lambda *args: None)
        out = tmp_path / way
        result = cli("batch", tmp_path / "units", "-o", out, "-j", "1")
        assert result.exit_code == 1 and f"问题清单：{out / '问题清单.xlsx'}" in result.stdout
        sheets.append([[c.value for c in row] for row in load_workbook(out / "问题清单.xlsx")["问题清单"].iter_rows()])
    assert sheets[0] == sheets[1] == sheets[2]
    widths = load_workbook(tmp_path / "forked" / "问题清单.xlsx")["问题清单"].column_dimensions
    assert widths["B"].width >= 30 and widths["F"].width >= 100  # file names and messages readable as opened
    failed = [row for row in sheets[0][1:] if row[4] == "未生成报告"]
    assert len(failed) == len(BROKEN) and all(row[3] == "错误" for row in failed)


@pytest.mark.slow
def test_a_batch_of_data_files_loads_no_spreadsheet_or_network_modules():
    """The coordinating process and the workers forked from it import neither openpyxl (~14 MB
    a process: only a workbook input or render --xlsx needs it), nor ssl and http.client (~6 MB
    a process, which xml.sax.saxutils brings), nor the PDF converter's driver (only --pdf): the
    process tree stays small and its workers start sooner (issue 10)."""
    code = ("import sys, sireport.cli, sireport.run.batch, sireport.run.worker; "
            "print(sorted({'openpyxl', 'ssl', 'http.client', 'urllib.request', 'sireport.pdf'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
