"""A bureau's thresholds file: one thresholds: section for all data files; the data's own wins."""

from __future__ import annotations

from checkdata import changed, clean, write
from sireport.data.thresholds import Thresholds

SLOW = ("funds.1.expense.0.budget", 310)  # 失业保险 expense 300 / 370 = 81.08%, 待遇支出 240 / 310 = 77.42%


def thresholds_file(tmp_path, text: str):
    path = tmp_path / "阈值.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_file_applies_to_every_data_file(cli, tmp_path):
    first, second = write(changed(clean(), *SLOW), tmp_path, "a.yaml"), write(changed(clean(), *SLOW), tmp_path, "b.yaml")
    assert "[execution.band]" in cli("check", "--verbose", first).stdout
    bureau = thresholds_file(tmp_path, "thresholds:\n  execution_low: 75\n  severity: {targets.unmet: 'off'}\n")
    result = cli("check", "--verbose", "--thresholds", bureau, first, second)
    assert result.exit_code == 0 and result.stdout.count("未发现问题") == 2


def test_data_file_thresholds_win_over_the_file(cli, tmp_path):
    data = changed(clean(), *SLOW)
    data["thresholds"] = {"execution_low": 80, "severity": {"growth.band": "error"}}
    bureau = thresholds_file(tmp_path, "thresholds:\n  execution_low: 75\n  severity: {targets.unmet: 'off'}\n")
    result = cli("check", "--verbose", "--thresholds", bureau, write(data, tmp_path))
    assert "[execution.band]" in result.stdout and "77.42%" in result.stdout  # data's 80 beats the file's 75
    assert "[targets.unmet]" not in result.stdout  # the file's severity entry survives the data's own


def test_render_takes_the_file_too(cli, tmp_path):
    path = write(changed(clean(), "funds.0.achieved.satisfaction", 90), tmp_path)
    bureau = thresholds_file(tmp_path, "thresholds:\n  severity: {targets.unmet: error}\n")
    result = cli("render", "--verbose", path, "-o", tmp_path / "out.docx", "--thresholds", bureau)
    assert result.exit_code == 2 and "[targets.unmet]" in result.stderr and not (tmp_path / "out.docx").exists()


def test_bad_file_says_where(cli, tmp_path):
    bureau = thresholds_file(tmp_path, "thresholds:\n  execution_lo: 75\n")
    result = cli("check", "--verbose", "--thresholds", bureau, write(clean(), tmp_path))
    assert result.exit_code == 2
    assert f"{bureau}:2:3（thresholds.execution_lo）：未知字段“execution_lo”，是否应为“execution_low”？" in result.stderr
    wrong_shape = thresholds_file(tmp_path, "execution_low: 75\n")
    assert "阈值文件应只有一个键“thresholds:”" in cli("check", "--thresholds", wrong_shape, "x.yaml").stderr


def test_overriding_one_fund_keeps_the_other_bands():
    thresholds = Thresholds.model_validate({"months_payable": {"失业保险": {"high_above": 6}}})
    unemployment = thresholds.months_band("unemployment", "失业保险")
    assert (unemployment.high_above, unemployment.excess_above) == (6, 24)
    assert thresholds.months_band("employee_medical", "城镇职工基本医疗保险").risk_below == 3


def test_batch_takes_the_file_and_strict(cli, tmp_path):
    """batch --thresholds applies the bureau's file to every unit; --strict fails the units
    that still warn; a broken file stops the run before any report, saying where."""
    units = tmp_path / "units"
    units.mkdir()
    slow = write(changed(clean(), *SLOW), units, "slow.yaml")
    write(changed(clean(), "report.unit", "快县"), units, "fast.yaml")
    bureau = thresholds_file(tmp_path, "thresholds:\n  severity: {execution.band: error}\n")
    result = cli("batch", "--verbose", units, "-o", tmp_path / "out", "-j", "1", "--thresholds", bureau)
    assert result.exit_code == 1 and "失败 1 个" in result.stdout
    assert "[execution.band]" in result.stdout.split("失败的单位")[1] and slow.name in result.stdout
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1
    strict = cli("batch", units, "-o", tmp_path / "strict", "-j", "2", "--strict")
    assert strict.exit_code == 1 and "失败 1 个" in strict.stdout and "预算执行率" in strict.stdout
    assert "[execution.band]" not in strict.stdout  # rule codes with --verbose only
    broken = thresholds_file(tmp_path, "thresholds:\n  execution_lo: 75\n")
    for jobs in ("1", "2"):  # the same file name as the first run's: nothing read then may be reused
        stopped = cli("batch", "--verbose", units, "-o", tmp_path / "broken", "-j", jobs, "--thresholds", broken)
        assert stopped.exit_code == 2 and f"{broken}:2:3（thresholds.execution_lo）" in stopped.stderr
        assert not list((tmp_path / "broken").glob("*.docx"))
