"""Every rule that holds for a fund holds for 合计 (issue 16): identities, bands, magnitudes."""

from __future__ import annotations

from checkdata import changed, clean, loaded
from sireport.checks import check_report


def found(data, tmp_path, code):
    return [f for f in check_report(loaded(data, tmp_path)) if f.code == code]


def test_totals_current_balance_not_income_minus_expense_is_an_error_naming_the_totals(tmp_path):
    # the funds' balances are wrong the same way, so the sum of the funds does not catch it
    data = changed(clean(), "totals.current_balance", 300)
    data = changed(data, "funds.0.balance.current", 300)
    data = changed(data, "funds.0.balance.cumulative", 3050)
    data = changed(data, "totals.cumulative_balance", 3550)
    findings = found(data, tmp_path, "balance.current")
    totals = [f for f in findings if "totals.current_balance" in f.where]
    assert len(totals) == 1 and totals[0].severity == "error"
    assert totals[0].message.startswith("合计当期结余与“合计收入−合计支出”不符")
    assert (totals[0].expected, totals[0].found) == ("250", "300")
    assert not [f for f in check_report(loaded(data, tmp_path)) if f.code == "sum.totals"]


def test_totals_cumulative_balance_follows_last_year_and_the_current_balance(tmp_path):
    data = changed(clean(), "totals.cumulative_balance", 3400)
    findings = found(data, tmp_path, "balance.cumulative")
    assert [(f.where.split("（")[1], f.expected, f.found) for f in findings] == [
        ("totals.cumulative_balance）", "3500", "3400")]


def test_totals_budget_expense_ten_thousand_times_too_small_is_a_unit_slip(tmp_path):
    data = changed(clean(), "totals.expense_total", {"budget": 0.127})  # 1270 万元 written as 亿元
    slips = found(data, tmp_path, "magnitude.unit")
    assert len(slips) == 1 and slips[0].severity == "error"
    assert "totals.expense_total.budget" in slips[0].where and slips[0].message.startswith("合计基金支出")
    assert "10000倍" in slips[0].message
    assert found(data, tmp_path, "sum.totals") == []  # the slip is reported once, as a slip


def test_totals_entered_line_slipped_against_the_sum_of_the_funds(tmp_path):
    data = changed(clean(), "totals.income_total.previous", 0.149)  # funds give 1490
    slips = found(data, tmp_path, "magnitude.unit")
    assert [f.where.split("（")[1] for f in slips] == ["totals.income_total.previous）"]


def test_totals_subtotal_is_total_minus_the_transfers_of_every_fund(tmp_path):
    data = changed(clean(), "totals.income_subtotal", {"actual": 1550})  # 200 上级补助收入 left in
    findings = found(data, tmp_path, "sum.subtotal")
    assert [(f.message.split("，")[0], f.expected, f.found) for f in findings] == [
        ("合计收入小计本年数与“收入合计−上下级往来”不符", "1350", "1550")]


def test_bands_and_magnitudes_run_on_the_totals(tmp_path):
    data = changed(clean(), "totals.income_total.budget", 1250)  # 1550 / 1250 = 124%
    bands = found(data, tmp_path, "execution.band")
    assert [f.message.split("预算")[0] for f in bands] == ["合计基金收入"]
    data = changed(clean(), "totals.income_total.previous", 149)  # a tenth of 1490
    factors = found(data, tmp_path, "magnitude.factor")
    assert any("totals.income_total.previous" in f.where and "合计基金收入" in f.message for f in factors)


def test_stated_rates_on_the_totals_name_the_totals(tmp_path):
    data = changed(clean(), "totals.income_total.stated", {"growth": 4.5})  # 1550 / 1490: 4.03%
    findings = found(data, tmp_path, "stated.growth")
    assert [f.message for f in findings] == ["合计基金收入写明的增幅与按本行数字计算的结果不符"]
