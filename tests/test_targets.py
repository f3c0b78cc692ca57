"""Reading targets (指标值) and actual values (实际完成值): the rules of docs/评分规则.md."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sireport.figures.targets import Bound, Condition, TargetError, parse_actual, parse_target


@pytest.mark.parametrize("text, low, high, unit", [
    ("≥95%", Bound(D(95), True), None, "%"),
    ("≥ 11144 人", Bound(D(11144), True), None, "人"),
    (">90%", Bound(D(90), False), None, "%"),
    ("＞90％", Bound(D(90), False), None, "%"),
    ("≤1%", None, Bound(D(1), True), "%"),
    ("<0.1%", None, Bound(D("0.1"), False), "%"),
    ("=0", Bound(D(0), True), Bound(D(0), True), ""),
    ("282万人", Bound(D(282), True), None, "万人"),  # a bare number in a target means “at least”
    ("不低于99%", Bound(D(99), True), None, "%"),
    ("大于90%", Bound(D(90), False), None, "%"),
    ("不超过3个工作日", None, Bound(D(3), True), "个工作日"),
    ("95%以上", Bound(D(95), True), None, "%"),
    ("≥90%或≤110%", Bound(D(90), True), Bound(D(110), True), "%"),
    ("≥95%或≤105%", Bound(D(95), True), Bound(D(105), True), "%"),
    ("6-9个月", Bound(D(6), True), Bound(D(9), True), "个月"),
    ("6至9个月", Bound(D(6), True), Bound(D(9), True), "个月"),
    ("12台/套", Bound(D(12), True), None, "台/套"),
])
def test_numeric_targets(text, low, high, unit):
    assert parse_target(text) == Condition(low, high, unit)


@pytest.mark.parametrize("text", [
    "基金运行平稳", "30日内完成审核拨付", "每季度结束后的，15日内", "比2018年增长0.65%",
    "2019年1月1日-2019年12月31日", "第2季度完成", "预计47万元",
])
def test_text_targets_are_qualitative(text):
    assert parse_target(text) is None


@pytest.mark.parametrize("text", ["≥九十%", "≥90%或", "≤abc", "≥110%或≤90%", "≥90%或≤110个月"])
def test_a_target_starting_with_a_sign_must_parse(text):
    with pytest.raises(TargetError):
        parse_target(text)


def test_marked_quantitative_text_must_parse():
    with pytest.raises(TargetError):
        parse_target("基金运行平稳", strict=True)


def test_actual_values():
    assert parse_actual("96%") == Condition(Bound(D(96), True), Bound(D(96), True), "%")
    assert parse_actual("323.18万人") == Condition(Bound(D("323.18"), True), Bound(D("323.18"), True), "万人")
    assert parse_actual("<0.1%") == Condition(None, Bound(D("0.1"), False), "%")
    assert parse_actual("基金运行平稳") is None
