"""Bad 绩效自评表 input: a Chinese message with the indicator's place, exit ≠ 0, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES

PROJECT = EXAMPLES / "bureau-2019-project-daibanyuan.yaml"
INDICATOR = r"project\.indicators\[产出指标\]\.groups\[数量指标\]\.indicators\[机关事业单位参保职工\]"


def broken(old: str, new: str, source: Path = PROJECT) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = Path("bad.yaml")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def fails(cli, path: Path, *extra: str) -> str:
    result = cli("render", path, "--xlsx", "--verbose", *extra)  # key paths asserted
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert not Path("output").exists() or not any(Path("output").iterdir()), "nothing may be written"
    return result.stderr


@pytest.mark.parametrize("old, new, pattern", [
    ("weight: 15, stated_score: 15", "weight: 10, stated_score: 15",
     r"bad\.yaml:\d+:\d+（project\.indicators）：分值合计为95（指标85，预算执行率10），应为100"),
    ("target: 90.7万人", "target: ≥九十万人",
     rf"bad\.yaml:30:\d+（{INDICATOR}\.target）：指标值无法解析“≥九十万人”"),
    ("target: 90.7万人", "target: ≥90%或≤80%", rf"{INDICATOR}\.target）：指标值“≥90%或≤80%”：区间下限大于上限"),
    ("actual: 96.09万人", "actual: 很多",
     rf"bad\.yaml:30:\d+（{INDICATOR}\.actual）：指标值“90\.7万人”是数值条件，实际完成值应为数值"),
    ("actual: 96.09万人", "actual: 96.09%", rf"{INDICATOR}\.actual）：实际完成值的单位“%”与指标值的单位“万人”不同"),
    ("actual: 96.09万人, weight: 15", "weight: 15", rf"{INDICATOR}\.actual）：缺少实际完成值"),
    ("actual: 96.09万人, weight: 15", "actual: 96.09万人", rf"{INDICATOR}\.weight）：评分表中每个指标都要填写分值"),
    ("grade: 达成\n              weight: 30", "grade: 部分达成\n              weight: 30",
     r"indicators\[广大基层群众提高社保知晓率，扩大社保覆盖面\]\.score）：评价等级为“部分达成”时得分应在18至24之间"),
    ("grade: 达成\n              weight: 30", "weight: 30",
     r"\.grade）：定性指标“广大基层群众提高社保知晓率，扩大社保覆盖面”须填写定性评价"),
    ("weight: 15, stated_score: 15", "weight: 15, score: 15",
     rf"{INDICATOR}\.score）：定量指标的得分由程序计算"),
    ("weight: 15, stated_score: 15", "weight: 15, from: funds.失业保险.expense.execution",
     rf"{INDICATOR}\.override_reason）：同时填写了实际完成值和取数来源"),
    ("weight: 15, stated_score: 15", "weight: 十五",
     rf"bad\.yaml:30:\d+（{INDICATOR}\.weight）：应为数字，实际为“十五”"),
])
def test_bad_project_table(cli, old, new, pattern):
    stderr = fails(cli, broken(old, new))
    assert "错误：" in stderr
    assert re.search(pattern, stderr), stderr


def test_every_problem_is_listed_at_once(cli):
    text = PROJECT.read_text(encoding="utf-8").replace("target: 90.7万人", "target: ≥x").replace(
        "actual: 190人", "actual: 很多")
    Path("bad.yaml").write_text(text, encoding="utf-8")
    stderr = fails(cli, Path("bad.yaml"))
    assert "机关事业单位参保职工].target" in stderr and "社会保险聘用人数].actual" in stderr


HAMI = EXAMPLES / "hami-2019.yaml"


def with_evaluation(indicator: str) -> Path:
    text = HAMI.read_text(encoding="utf-8") + (
        "\nevaluation:\n  indicators:\n    - name: 产出指标\n      groups:\n        - name: 数量指标\n"
        "          indicators:\n" + indicator)
    path = Path("bad.yaml")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("indicator, message", [
    ("            - {name: 执行率, target: ≥95%, from: 'funds[工商保险].expense.execution'}\n",
     "引用“funds[工商保险].expense.execution”无效：“funds”中没有“工商保险”"),
    ("            - {name: 执行率, target: ≥95%, from: funds.失业保险.expense.rate}\n",
     "引用“funds.失业保险.expense.rate”无效：没有“rate”"),
    ("            - {name: 执行率, target: ≥95%, from: 'funds[失业保险].expense'}\n",
     "不是一个数值"),
    ("            - {name: 执行率, target: ≥95%, actual: 基本完成}\n",
     "实际完成值应为数值"),
])
def test_bad_reference_in_a_fund_report(cli, indicator, message):
    stderr = fails(cli, with_evaluation(indicator))
    assert re.search(r"bad\.yaml:\d+:\d+（evaluation\.indicators\[产出指标\]\.groups\[数量指标\]\.indicators\[执行率\]",
                     stderr), stderr
    assert message in stderr


def test_xlsx_needs_an_evaluation(cli):
    stderr = fails(cli, HAMI)
    assert "数据中没有 evaluation（绩效自评表），无法生成 Excel 附表" in stderr


def test_project_file_cannot_reference_funds(cli):
    stderr = fails(cli, broken("weight: 15, stated_score: 15", "weight: 15, from: 'funds[失业保险].expense.execution', "
                                                                 "override_reason: 测试"))
    assert "项目支出绩效自评表没有基金数据，不能使用 from 引用" in stderr


def test_findings_for_check_include_errors():
    from sireport.data.kind import load_data
    from sireport.figures.unit import evaluation_findings

    path = broken("target: 90.7万人", "target: ≥x")
    findings = evaluation_findings(load_data(path))
    assert [(f.code, f.severity) for f in findings] == [("evaluation.error", "error")]
    assert findings[0].where.startswith("bad.yaml:30:") and "无法解析“≥x”" in findings[0].message
    stated = evaluation_findings(load_data(EXAMPLES / "bureau-2019-project-yewu-zhuanxiang.yaml"))
    assert {f.code for f in stated} == {"evaluation.stated_rate", "evaluation.stated_score", "evaluation.stated_total"}
    assert all(f.severity == "warning" for f in stated)
    money = next(f for f in stated if "money.total.stated_rate" in f.where)
    assert (money.expected, money.found) == ("92.88%", "92.80%")


def test_findings_for_a_fund_report():
    from sireport.data.kind import load_data
    from sireport.figures.unit import evaluation_findings

    findings = evaluation_findings(load_data(EXAMPLES / "hejing-2019.yaml"))
    assert [f.code for f in findings] == ["evaluation.no_reason", "evaluation.no_actual"]
    assert evaluation_findings(load_data(HAMI)) == []
