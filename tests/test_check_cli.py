"""``sireport check`` and the checks run by ``sireport render``, as a user sees them."""

from __future__ import annotations

import json

import pytest

from checkdata import changed, clean, write
from sireport.checks import CheckFailed, Finding, enforce

BROKEN = ("funds.0.income_subtotal.stated.execution", 99.17)  # an error: 1050 / 1050 = 100.00%
WARNED = ("funds.0.achieved.satisfaction", 90)  # a warning: target 95, no reason given


def data_file(tmp_path, change=None, name="data.yaml"):
    return write(changed(clean(), *change) if change else clean(), tmp_path, name)


@pytest.mark.parametrize("change, strict, code", [
    (None, False, 0), (None, True, 0), (WARNED, False, 0), (WARNED, True, 1), (BROKEN, False, 2), (BROKEN, True, 2),
])
def test_exit_codes(cli, tmp_path, change, strict, code):
    args = ["check", data_file(tmp_path, change)] + (["--strict"] if strict else [])
    assert cli(*args).exit_code == code


def test_text_output_names_rule_place_and_values(cli, tmp_path):
    result = cli("check", data_file(tmp_path, BROKEN), data_file(tmp_path, name="ok.yaml"), "--verbose")
    lines = result.stdout.splitlines()
    assert any(line.startswith("  错误 ") and "data.yaml:" in line
               and "（funds[企业职工基本养老保险].income_subtotal.stated.execution）" in line
               and "[stated.execution]" in line and "应为100.00%，实际99.17%" in line for line in lines)
    assert f"{tmp_path / 'ok.yaml'}：未发现问题" in lines
    assert lines[-1] == "共检查2个文件：错误1处，警告0处，提示0处"


def test_json_output_is_stable(cli, tmp_path):
    result = cli("check", "--format", "json", data_file(tmp_path, WARNED), data_file(tmp_path, name="ok.yaml"))
    document = json.loads(result.stdout)
    assert list(document) == ["version", "strict", "exit_code", "counts", "files"]
    assert document["version"] == 1 and document["exit_code"] == 0
    assert document["counts"] == {"error": 0, "warning": 1, "info": 0}
    finding = document["files"][0]["findings"][0]
    assert list(finding) == ["code", "severity", "where", "message", "expected", "found", "label", "place", "path"]
    assert finding["where"] == f"{finding['place']}（{finding['path']}）" and finding["path"].startswith("funds[")
    assert (finding["code"], finding["severity"], finding["label"], finding["expected"], finding["found"]) == \
        ("targets.unmet", "warning", "警告", "95%以上", "90%")
    assert document["files"][1] == {"file": str(tmp_path / "ok.yaml"), "counts": {"error": 0, "warning": 0, "info": 0},
                                    "findings": []}


def test_unreadable_and_missing_files_do_not_stop_the_others(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("report: [\n", encoding="utf-8")
    result = cli("check", tmp_path / "bad.yaml", tmp_path / "none.yaml", data_file(tmp_path))
    assert result.exit_code == 2
    assert "格式错误" in result.stdout and "找不到数据文件" in result.stdout
    assert f"{tmp_path / 'data.yaml'}：未发现问题" in result.stdout


def test_render_stops_on_errors_and_writes_nothing(cli, tmp_path):
    result = cli("render", data_file(tmp_path, BROKEN), "-o", tmp_path / "out.docx", "--verbose")
    assert result.exit_code == 2
    assert "数据检查发现1处错误，未生成报告" in result.stderr and "[stated.execution]" in result.stderr
    assert not (tmp_path / "out.docx").exists()


def test_render_prints_warnings_and_writes_unless_strict(cli, tmp_path):
    path = data_file(tmp_path, WARNED)
    result = cli("render", path, "-o", tmp_path / "out.docx")
    assert result.exit_code == 0 and (tmp_path / "out.docx").is_file()
    assert "警告" in result.stderr and "[targets.unmet]" not in result.stderr  # rule codes only with --verbose
    verbose = cli("render", path, "-o", tmp_path / "again.docx", "--verbose")
    assert "[targets.unmet]" in verbose.stderr
    strict = cli("render", path, "-o", tmp_path / "strict.docx", "--strict")
    assert strict.exit_code == 1 and "1处警告（按 --strict 视为错误）" in strict.stderr
    assert not (tmp_path / "strict.docx").exists()


def test_enforce():
    warning = Finding("targets.unmet", "warning", "a.yaml:1:1（x）", "未达到")
    error = Finding("balance.current", "error", "a.yaml:2:1（y）", "不符", "250", "260")
    enforce([warning], strict=False)
    with pytest.raises(CheckFailed) as raised:
        enforce([warning], strict=True)
    assert raised.value.exit_code == 1
    with pytest.raises(CheckFailed) as raised:
        enforce([warning, error], strict=False)
    assert raised.value.exit_code == 2 and raised.value.findings == [error]
    assert "a.yaml:2:1（y）：错误 [balance.current] 不符（应为250，实际260）" in str(raised.value)
