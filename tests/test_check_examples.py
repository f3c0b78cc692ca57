"""The shipped examples: the clean transcriptions have no errors; the "as published" variants
keep the originals' mistakes (docs/检查规则.md) and check finds each one by its rule."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from sireport.checks import check_file

PUBLISHED = EXAMPLES / "published"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_clean_examples_have_no_errors(path):
    errors = [str(f) for f in check_file(path).findings if f.severity == "error"]
    assert errors == []


def found(name: str) -> set[tuple[str, str]]:
    """(rule code, key path) of every finding about a published variant."""
    return {(f.code, f.where.split("（", 1)[1].rstrip("）")) for f in check_file(PUBLISHED / name).findings}


def test_hami_stated_execution_of_the_total_column():
    # 收支分析表 合计: 收入执行预算 99.17%, but 237563 / 239010 = 99.39%
    findings = [f for f in check_file(PUBLISHED / "hami-2019.yaml").findings if f.code == "stated.execution"]
    assert [(f.severity, f.expected, f.found) for f in findings] == [("error", "99.39%", "99.17%")]
    assert ("sum.totals", "totals.income_subtotal.budget") in found("hami-2019.yaml")  # 239010 ≠ 239551


def test_hami_total_stated_twice_differently():
    # 一（一）: "较上年增加1.19亿元，增长5.29%，完成年度预算99.39%"; the 收支分析表: 99.17%
    findings = [f for f in check_file(PUBLISHED / "hami-2019.yaml").findings if f.code == "stated.inconsistent"]
    assert [(f.message, f.expected, f.found) for f in findings] == [
        ("合计收入小计的预算执行率：收支分析表与一（一）所述不一致", "99.17%", "99.39%")]
    assert "statements[1].execution" in findings[0].where  # 1.19亿元 and 1.88亿元 hold at two decimals


def test_hami_total_subtotal_is_not_total_minus_transfers():
    assert ("sum.subtotal", "totals.income_subtotal.actual") in found("hami-2019.yaml")  # 237563 vs 238097


def test_hami_687_wan_deaths_is_a_unit_slip():
    assert ("magnitude.unit", "funds[企业职工基本养老保险].people[领取丧葬抚恤金的死亡人员].target") \
        in found("hami-2019.yaml")


def test_hami_heading_of_the_wrong_fund_and_its_balances():
    hits = found("hami-2019.yaml")
    assert ("copies.title", "funds[城乡居民基本医疗保险].title") in hits
    assert ("balance.current", "funds[失业保险].balance.current") in hits  # 1068, figures give 1168
    assert ("balance.current", "funds[城乡居民基本医疗保险].balance.current") in hits  # 569 vs 2149


def test_hami_table_rates_that_agree_are_not_reported():
    codes = {code for code, where in found("hami-2019.yaml") if where.startswith("funds")}
    assert not codes & {"stated.change", "stated.growth", "stated.execution"}


def test_hejing_maternity_block_copies_unemployment():
    assert ("copies.block", "funds[生育保险]") in found("hejing-2019.yaml")


def test_hejing_stated_totals_are_not_the_sum_of_its_funds():
    findings = {f.where.split("（")[1].rstrip("）"): f for f in check_file(PUBLISHED / "hejing-2019.yaml").findings
                if f.code == "sum.totals"}
    assert (findings["totals.expense_total.actual"].expected, findings["totals.expense_total.actual"].found) == \
        ("104155", "91796")


def test_region_stated_totals_differ_only_by_rounding():
    findings = check_file(PUBLISHED / "region-2018.yaml").findings
    assert not [f for f in findings if f.severity == "error" or f.code.startswith(("stated.", "sum.totals"))]
    totals = {(f.code, f.expected, f.found) for f in findings if "totals." in f.where}
    assert totals == {("rounding", "3347189", "3347188"), ("rounding", "2643544", "2643543"),
                      ("rounding", "8639923", "8639924")}


def test_bureau_project_table_stated_9280_percent():
    # 项目支出绩效自评表: 执行率 stated 92.80%, but 592.14 / 637.5 = 92.88% (sireport.figures.evaluation's rule)
    findings = check_file(EXAMPLES / "bureau-2019-project-yewu-zhuanxiang.yaml").findings
    rates = [(f.severity, f.expected, f.found) for f in findings if f.code == "evaluation.stated_rate"]
    assert rates == [("warning", "92.88%", "92.80%")] * 2
