"""People counts as reports print them (issue 16): "2.40万人" is entered as 2.40 with unit 万人,
a stated growth of a count is checked at its precision, a slip of 名/万名 or 元/亿元 is found."""

from __future__ import annotations

from decimal import Decimal

from checkdata import changed, clean, loaded
from sireport.checks import check_file, check_report
from sireport.figures.compute import compute

PEOPLE = "funds.0.people.0"


def with_people(entry: dict) -> dict:
    return changed(clean(), PEOPLE, {"name": "离退休人员", **entry})


def stated(tmp_path, entry: dict) -> list[tuple]:
    findings = check_report(loaded(with_people(entry), tmp_path))
    return [(f.code, f.message, f.expected, f.found) for f in findings if f.code in {"stated.growth", "rounding"}]


def test_a_count_in_wan_keeps_its_decimals(tmp_path):
    report = loaded(with_people({"unit": "万人", "actual": "2.40", "previous": 2.32, "target": 2.4}), tmp_path).report
    people = report.funds[0].people[0]
    assert (people.actual, people.unit) == (Decimal("2.40"), "万人")
    assert str(compute(report).funds[0].people[0].actual) == "2.40"


def test_a_fraction_of_a_person_is_a_data_error(tmp_path):
    from checkdata import write

    result = check_file(write(with_people({"actual": 2.4}), tmp_path))
    assert [(f.code, f.where.split("（")[1], f.message) for f in result.findings] == [
        ("data.invalid", "funds[企业职工基本养老保险].people[离退休人员].actual）",
         "单位为“人”的人数应为整数（单位为万人、万名等时才可写小数），实际为“2.4”")]


def test_stated_growth_of_a_count_at_its_precision(tmp_path):
    base = {"unit": "万人", "actual": "2.40", "previous": "2.32"}  # +3.448…%
    assert stated(tmp_path, {**base, "stated": {"growth": "3.45%"}}) == []
    assert stated(tmp_path, {**base, "stated": {"growth": 3.4}}) == []
    # counts to 0.01 万人 may be off by 50 persons each: 3.01%…3.89% is only a 尾差
    assert [code for code, *_ in stated(tmp_path, {**base, "stated": {"growth": 3.36}})] == ["rounding"]
    assert stated(tmp_path, {**base, "stated": {"growth": "2.50", "at": "三（二）"}}) == [
        ("stated.growth", "企业职工基本养老保险“离退休人员”（三（二）所述）写明的人数增幅与按本年、上年人数计算的结果不符",
         "3.45%", "2.50%")]


def test_per_capita_counts_persons_not_wan(tmp_path):
    # 基本养老金支出 900 万元 for 0.1 万人 = 1000 persons: 900 × 10000 / 1000 / 12 = 750 元 a month
    entry = {"unit": "万人", "actual": "0.1", "per_capita_item": "基本养老金支出"}
    assert compute(loaded(with_people(entry), tmp_path).report).funds[0].people[0].per_capita == Decimal(750)


def test_wan_ming_slip_on_a_count_and_yuan_yi_slip_on_the_totals(tmp_path):
    findings = check_report(loaded(with_people({"actual": 1000, "target": 1000, "stated": {"target_unit": "万名"}}),
                                   tmp_path))
    assert [f.code for f in findings if "people" in f.where] == ["magnitude.unit"]
    data = changed(clean(), "totals.income_total.budget", 0.0000155)  # 1550 万元 written in 亿元 as if 元
    slips = [f for f in check_report(loaded(data, tmp_path)) if f.code == "magnitude.unit"]
    assert [("100000000倍" in f.message, "totals.income_total.budget" in f.where) for f in slips] == [(True, True)]
