"""One test per check rule: a minimal change that trips it; the clean data does not."""

from __future__ import annotations

import pytest

from checkdata import changed, clean, loaded, write
from sireport.checks import RULES, check_file, check_report, check_units

PENSION = "funds.0"
UNEMPLOYMENT = "funds.1"

# rule code -> (path, new value) that breaks exactly one figure of the clean data
TRIPS = {
    "rounding": (f"{PENSION}.income_total.actual", 1251),  # items give 1250: within 4 × 0.5
    "sum.missing": (f"{UNEMPLOYMENT}.expense.1.actual", None),  # no 支出合计 entered: it cannot be summed
    "sum.items_over": (f"{PENSION}.income_total.actual", 1200),
    "sum.items_under": (f"{PENSION}.income_total.actual", 1300),
    "sum.parts_over": (f"{PENSION}.expense.0.parts.0.actual", 950),
    "sum.parts_under": (f"{PENSION}.expense.0.parts.0.actual", 800),
    "sum.part_over_whole": (f"{PENSION}.expense.1.budget", 1100),  # 转移支出 1100 > 基金支出 1020
    "sum.subtotal": (f"{PENSION}.income_subtotal.budget", 1100),
    "sum.treatment": (f"{PENSION}.treatment_total.actual", 880),
    "sum.balance_parts": (f"{PENSION}.balance.parts.1.amount", 2100),
    "sum.totals": ("totals.income_total.actual", 1600),
    "balance.current": (f"{PENSION}.balance.current", 260),
    "balance.cumulative": (f"{PENSION}.balance.previous_cumulative", 2700),
    "stated.change": (f"{PENSION}.income_subtotal.stated.change", 60),
    "stated.growth": (f"{PENSION}.income_subtotal.stated.growth", 5.5),
    "stated.execution": (f"{PENSION}.income_subtotal.stated.execution", 99.17),
    # income_subtotal states 100.00% (its stated:); another place of the report says 99.5%
    "stated.inconsistent": ("statements", [{"line": "funds[企业职工基本养老保险].income_sub", "at": "三（二）",
                                            "execution": 99.5}]),
    "stated.line": ("statements", [{"line": "funds[企业职工基本养老保险].incomes", "growth": 5}]),
    "people.repeated": (f"{PENSION}.people.+", {"name": "离退休人员", "actual": 1001}),
    "people.parts": (f"{PENSION}.people.1.actual", 1500),
    # 900 万元 ÷ 1000 人 ÷ 12 = 7500 元 a month; 2500 stated is 3 times smaller
    "people.per_capita": (f"{PENSION}.people.0", {"name": "离退休人员", "actual": 1000, "previous": 980, "target": 1000,
                                                  "per_capita_item": "基本养老金支出", "per_capita_actual": 2500}),
    "magnitude.unit": (f"{PENSION}.income.1.budget", 0.005),  # 50 万元 vs 0.005: 万元/元 slip
    "magnitude.factor": (f"{PENSION}.income.1.previous", 5),
    "execution.impossible": (f"{PENSION}.expense_total.budget", 400),
    "execution.band": (f"{PENSION}.expense_total.budget", 1200),
    "growth.band": (f"{PENSION}.expense_total.previous", 500),
    "negative.amount": (f"{UNEMPLOYMENT}.expense.1.previous", -55),
    "negative.people": (f"{PENSION}.people.0.previous", -980),
    "months.band": (f"{UNEMPLOYMENT}.balance.cumulative", 5000),
    "copies.title": (f"{UNEMPLOYMENT}.title", "工伤保险"),
    "targets.unmet": (f"{PENSION}.achieved.satisfaction", 90),
}


def codes(findings) -> set[str]:
    return {finding.code for finding in findings}


def test_clean_data_has_no_findings_at_all(tmp_path):
    assert check_report(loaded(clean(), tmp_path)) == []


@pytest.mark.parametrize("code", sorted(TRIPS))
def test_rule_trips_on_its_fixture(code, tmp_path):
    path, value = TRIPS[code]
    findings = check_report(loaded(changed(clean(), path, value), tmp_path))
    hits = [f for f in findings if f.code == code]
    assert hits, f"{code} not found in {[str(f) for f in findings]}"
    assert hits[0].severity == RULES[code]
    assert "data.yaml:" in hits[0].where and "（" in hits[0].where  # file:line:col（key path）


def test_copies_block_trips_on_a_pasted_fund(tmp_path):
    data = clean()
    pasted = dict(data["funds"][1], name="生育保险")
    findings = check_report(loaded(changed(data, "funds.+", pasted), tmp_path))
    hit = next(f for f in findings if f.code == "copies.block")
    assert hit.where.endswith("（funds[生育保险]）")
    assert "失业保险" in hit.message and hit.found == "60、240、300、300、300"  # income, expense, 保费收入 are all 300


def test_magnitude_unit_on_people_written_in_wan(tmp_path):
    data = changed(clean(), f"{PENSION}.people.0.stated", {"target_unit": "万名"})
    hit = next(f for f in check_report(loaded(data, tmp_path)) if f.code == "magnitude.unit")
    assert "万名" in hit.message and hit.found == "1000万名"


def test_stated_rate_is_checked_to_the_decimals_it_is_written_with(tmp_path):
    # 自治区人社厅's project table: 592.14 / 637.5 = 92.8847…%, stated as 92.80%
    def item(execution: str) -> str:
        return (f"report: {{unit: 测试县, year: 2019}}\nfunds:\n  - name: 失业保险\n    expense:\n"
                f"      - {{name: 业务经费支出, actual: 592.14, budget: 637.5, stated: {{execution: {execution}}}}}\n")

    (tmp_path / "wrong.yaml").write_text(item("92.80"), encoding="utf-8")
    (tmp_path / "right.yaml").write_text(item("92.88"), encoding="utf-8")
    wrong = [f for f in check_file(tmp_path / "wrong.yaml").findings if f.code == "stated.execution"]
    assert [(f.expected, f.found) for f in wrong] == [("92.88%", "92.80%")]
    assert "stated.execution" not in codes(check_file(tmp_path / "right.yaml").findings)


def test_rate_within_rounding_of_its_figures_is_only_a_hint(tmp_path):
    # 1050 / 1000 − 1 = 5.00%, but figures rounded to whole 万元 allow 4.90%…5.10%
    data = changed(clean(), f"{PENSION}.income_subtotal.stated.growth", 5.05)
    found = check_report(loaded(data, tmp_path))
    assert [(f.code, f.severity) for f in found] == [("rounding", "info")]


def test_template_missing_lists_fields_the_template_needs(tmp_path):
    needs = {"report.cover.fill_date", "text.plans", "funds.text.reasons", "loop.index"}
    findings = check_report(loaded(clean(), tmp_path), needs)
    missing = [f for f in findings if f.code == "template.missing"]  # one per variable, first place
    assert {f.path for f in missing} == {"report.cover", "text.plans", "funds[企业职工基本养老保险].text.reasons"}
    assert any("（共2处）" in f.message and "收支变动的主要原因" in f.message for f in missing)
    filled = changed(changed(clean(), "text.plans", "继续做好基金监管。"), "report.cover",
                     {"implementing_unit": "测试县社保局", "competent_department": "测试县人社局",
                      "fill_date": "2020-09-10"})
    for fund in filled["funds"]:
        fund["text"] = {"reasons": "参保人数增加。"}
    assert check_report(loaded(filled, tmp_path), needs) == []


def test_unreadable_file_is_a_data_invalid_finding(tmp_path):
    path = write(changed(clean(), f"{PENSION}.income.0.actual", "十万"), tmp_path)
    findings = check_file(path).findings
    assert [f.code for f in findings] == ["data.invalid"]
    assert "funds[企业职工基本养老保险].income[保费收入].actual" in findings[0].where


def test_severity_can_be_changed_or_switched_off_in_the_data(tmp_path):
    data = changed(clean(), f"{PENSION}.achieved.satisfaction", 90)
    data["thresholds"] = {"severity": {"targets.unmet": "error"}}
    assert [f.severity for f in check_report(loaded(data, tmp_path))] == ["error"]
    data["thresholds"] = {"severity": {"targets.unmet": "off"}}
    assert check_report(loaded(data, tmp_path)) == []


def test_thresholds_come_from_the_data(tmp_path):
    data = changed(clean(), f"{UNEMPLOYMENT}.expense.0.budget", 310)  # 300 / 370 = 81.08%
    assert "execution.band" in codes(check_report(loaded(data, tmp_path)))
    data["thresholds"] = {"execution_low": 75}  # 待遇支出 240 / 310 = 77.42%
    data = changed(data, f"{UNEMPLOYMENT}.targets", {"execution_rate": 80})  # or targets.unmet fires
    assert check_report(loaded(data, tmp_path)) == []


# ---------------------------------------------------------------- across units


def county(unit: str, pension_income: int) -> dict:
    data = clean()
    data["report"]["unit"] = unit
    data["funds"] = [data["funds"][0]]
    data.pop("totals")
    fund = data["funds"][0]
    fund["income"] = [{"name": "保费收入", "actual": pension_income}]
    fund["income_total"] = {"actual": pension_income}
    fund.pop("income_subtotal")
    fund["balance"] = {"current": pension_income - 1000, "previous_cumulative": 0,
                       "cumulative": pension_income - 1000}
    return data


def prefecture(income: int, expense: int) -> dict:
    data = county("测试州", income)
    fund = data["funds"][0]
    fund["expense"] = [{"name": "基本养老金支出", "actual": expense - 200}, {"name": "转移支出", "actual": 200}]
    fund.pop("expense_total")
    fund.pop("treatment_total")
    fund["balance"] = {"current": income - expense, "cumulative": income - expense}
    return data


def children(tmp_path):
    return [loaded(county("甲县", 1200), tmp_path, "a.yaml"), loaded(county("乙县", 1300), tmp_path, "b.yaml")]


def test_units_sum_agrees(tmp_path):
    parent = loaded(prefecture(2500, 2000), tmp_path, "p.yaml")
    assert check_units(children(tmp_path), parent) == []


def test_units_sum_differs(tmp_path):
    parent = loaded(prefecture(2600, 2000), tmp_path, "p.yaml")
    findings = check_units(children(tmp_path), parent)
    income = [f for f in findings if f.code == "units.sum" and "基金收入本年数" in f.message]
    assert [(f.expected, f.found) for f in income] == [("2500", "2600")]
    assert income[0].where.startswith(str(tmp_path / "p.yaml"))


def test_units_fund_missing_and_year(tmp_path):
    data = prefecture(2500, 2000)
    data["report"]["year"] = 2020
    data["funds"].append({"name": "工伤保险", "income_total": {"actual": 10}})
    findings = check_units(children(tmp_path), loaded(data, tmp_path, "p.yaml"))
    assert {"units.year", "units.fund_missing"} <= codes(findings)
    assert any(f.code == "units.fund_missing" and "工伤保险" in f.message for f in findings)


def test_every_rule_has_a_test_here():
    special = {"copies.block", "template.missing", "data.invalid", "units.sum", "units.fund_missing", "units.year",
               "rollup.partial"}  # tested in test_rollup.py
    assert set(RULES) == set(TRIPS) | special
