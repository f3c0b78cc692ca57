"""A stated figure is compared at the precision and in the unit it is printed with, whatever
the file format (issue 16): "1.19亿元", "103.20", "99.17%"."""

from __future__ import annotations

import pytest

from checkdata import changed, clean, loaded
from conftest import EXAMPLES
from sireport.checks import check_file, check_report
from sireport.data.figure import Figure
from sireport.data.load import load_report

REPORTS = [p for p in sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "published").glob("*.yaml"))
           if "project" not in p.name]


def line(actual: int, stated: dict) -> dict:
    """哈密 2019 all funds' income: 237563 vs 225628 (+11935, 5.29%), budget 239010 (99.39%)."""
    return {"actual": actual, "previous": 225628, "budget": 239010, "stated": stated}


def findings(tmp_path, stated: dict, actual: int = 237563) -> list[tuple]:
    data = changed(clean(), "funds.1.income_total", line(actual, stated))
    found = check_report(loaded(data, tmp_path))
    return [(f.code, f.expected, f.found) for f in found if f.code.startswith("stated.") or f.code == "rounding"]


@pytest.mark.parametrize("stated,holds,wrong", [
    ({"change": "1.19亿元"}, [], [("stated.change", "1.20亿元", "1.19亿元")]),
    ({"change": "11935万元"}, [], [("stated.change", "11960万元", "11935万元")]),
    ({"change": 11935}, [], [("stated.change", "11960", "11935")]),
    ({"growth": "5.29%"}, [], [("stated.growth", "5.30%", "5.29%")]),
    ({"growth": 5.3}, [], []),  # one decimal: 5.2897… and 5.3008… both print 5.3
    ({"execution": 99.39}, [], [("stated.execution", "99.41%", "99.39%")]),
], ids=["亿元", "万元", "万元 as a number", "%", "% to one decimal", "execution %"])
def test_a_statement_holds_when_the_figure_rounds_to_it_at_its_precision(tmp_path, stated, holds, wrong):
    assert findings(tmp_path, stated) == holds  # 11935 万元
    assert findings(tmp_path, stated, actual=237588) == wrong  # 11960 万元


def test_trailing_zeros_are_part_of_the_precision(tmp_path):
    # 237563 / 239010 = 99.3946…%: "99.4" holds at one decimal; at two, "99.40" is reached only
    # by the 尾差 of the figures (a hint) and "99.41" not at all
    assert findings(tmp_path, {"execution": "99.4"}) == []
    assert findings(tmp_path, {"execution": "99.40"}) == [("rounding", "99.39%", "99.40%")]
    assert findings(tmp_path, {"execution": "99.41"}) == [("stated.execution", "99.39%", "99.41%")]


def test_a_wrong_unit_for_a_rate_is_a_data_error(tmp_path):
    data = changed(clean(), "funds.1.income_total", line(237563, {"growth": "5.29亿元"}))
    result = check_file(write_yaml(data, tmp_path))
    assert [(f.code, f.message) for f in result.findings] == [("data.invalid", "单位“亿元”不能用在这里，只能是 %")]


def write_yaml(data, folder):
    from checkdata import write

    return write(data, folder)


def test_a_stated_103_20_survives_convert_to_xlsx_and_back(cli, tmp_path):
    data = changed(clean(), "funds.0.income_subtotal.stated.execution", "@RATE@")
    text = write_yaml(data, tmp_path).read_text(encoding="utf-8").replace("'@RATE@'", "103.20")
    source = tmp_path / "data.yaml"
    source.write_text(text, encoding="utf-8")
    assert "execution: 103.20" in text
    for route in (("book.xlsx", "back.yaml"), ("data.json", "back2.yaml")):
        for left, right in ((source, tmp_path / route[0]), (tmp_path / route[0], tmp_path / route[1])):
            assert cli("convert", left, right).exit_code == 0
        for path in route:
            stated = load_report(tmp_path / path).report.funds[0].income_subtotal.stated
            assert stated.execution == Figure(__import__("decimal").Decimal("103.20")), path
            assert str(stated.execution) == "103.20"


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_same_file_gives_the_same_findings_in_yaml_json_and_xlsx(cli, tmp_path, path):
    def keyed(file):
        return sorted((f.code, f.severity, f.where.split("（", 1)[-1], f.message, f.expected, f.found)
                      for f in check_file(file).findings)

    expected = keyed(path)
    assert expected  # every shipped variant has something to find, even if only a hint
    for suffix in (".json", ".xlsx"):
        target = tmp_path / f"same{suffix}"
        assert cli("convert", path, target).exit_code == 0
        assert keyed(target) == expected, suffix


def statements_findings(tmp_path, first: dict, *others: dict) -> list[tuple]:
    data = changed(clean(), "funds.1.income_total", line(237563, first))
    data["statements"] = [{"line": "funds[失业保险].income", **other} for other in others]
    found = check_report(loaded(data, tmp_path))
    return [(f.code, f.where.split("（")[1].rstrip("）"), f.message, f.expected, f.found)
            for f in found if f.code.startswith("stated.")]


def test_a_line_stated_in_two_places_differently_names_both_places(tmp_path):
    assert statements_findings(tmp_path, {"at": "三（一）", "growth": 5.29}, {"at": "四（二）", "growth": 5.92}) == [
        ("stated.growth", "statements[1].growth", "失业保险基金收入（四（二）所述）写明的增幅与按本行数字计算的结果不符",
         "5.29%", "5.92%"),
        ("stated.inconsistent", "statements[1].growth", "失业保险基金收入的增幅：三（一）与四（二）所述不一致",
         "5.29%", "5.92%")]


def test_the_same_figure_stated_in_two_units_is_consistent(tmp_path):
    assert statements_findings(tmp_path, {"at": "收支分析表", "change": 11935},
                               {"at": "一（一）", "change": "1.19亿元"}, {"at": "二（七）", "change": "1.2亿元"}) == []
