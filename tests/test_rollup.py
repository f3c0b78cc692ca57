"""sireport rollup: a prefecture's data is the sum of its counties' data."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EXAMPLES
from docxtext import full_text, paragraphs
from sireport.data.load import load_report, validate
from sireport.data.locate import Source
from sireport.data.save import yaml_text
from sireport.errors import DataError
from sireport.figures import calc
from sireport.figures.compute import compute
from sireport.run.rollup import rollup
from tools.synthetic import county

LINES = ("income", "expense", "income_sub", "expense_sub", "treatment")
COLUMNS = ("actual", "previous", "budget")


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml_text(data), encoding="utf-8")
    return path


@pytest.fixture
def counties(tmp_path):
    """哈密 and 和静 (both 2019) and two synthetic counties made from each."""
    hami, hejing = load_report(EXAMPLES / "hami-2019.yaml").raw, load_report(EXAMPLES / "hejing-2019.yaml").raw
    paths = [EXAMPLES / "hami-2019.yaml", EXAMPLES / "hejing-2019.yaml",
             write(tmp_path / "c1.yaml", county(hami, 3)), write(tmp_path / "c2.yaml", county(hejing, 7))]
    return [load_report(path) for path in paths]


def summed(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values, Decimal(0))


def test_rollup_figures_equal_the_sum_of_the_counties_figures(counties):
    data = rollup(counties, unit="巴州")
    total = compute(validate(data, Source("rollup")).report)
    parts = [compute(c.report) for c in counties]
    keys = {fund.key for p in parts for fund in p.funds}
    assert {fund.key for fund in total.funds} == keys
    for fund in total.funds:
        same = [f for p in parts for f in p.funds if f.key == fund.key]
        for line in LINES:
            for column in COLUMNS:
                expected = summed(getattr(getattr(f, line), column) for f in same)
                assert getattr(getattr(fund, line), column) == expected, (fund.key, line, column)
        assert fund.current_balance == summed(f.current_balance for f in same)
        assert fund.cumulative_balance == summed(f.cumulative_balance for f in same)
        for item in fund.expense_items:
            having = [i for f in same for i in f.expense_items if i.name == item.name]
            assert item.actual == summed(i.actual for i in having), (fund.key, item.name)
        for people in fund.people:
            having = [x for f in same for x in f.people if x.name == people.name]
            assert people.actual == (None if any(x.actual is None for x in having)
                                     else sum(x.actual for x in having))
    counted = {fund.key for fund in total.counted}  # units may disagree: the first unit's choice
    for line in LINES:
        for column in COLUMNS:
            expected = summed(getattr(getattr(f, line), column) for p in parts for f in p.funds if f.key in counted)
            assert getattr(getattr(total.totals, line), column) == expected, (line, column)
    assert total.totals.cumulative_balance == summed(f.cumulative_balance for p in parts for f in p.funds
                                                     if f.key in counted)


def test_rates_are_recomputed_from_the_sums_never_averaged(tmp_path):
    hami = load_report(EXAMPLES / "hami-2019.yaml").raw
    other = county(hami, 3)
    other["funds"][0]["expense_subtotal"]["budget"] = Decimal(200000)  # a very different execution rate
    counties = [load_report(EXAMPLES / "hami-2019.yaml"), load_report(write(tmp_path / "o.yaml", other))]
    total = compute(validate(rollup(counties, unit="巴州"), Source("rollup")).report)
    pension = [compute(c.report).funds[0] for c in counties]
    rolled = total.funds[0]
    actual = sum(f.expense_sub.actual for f in pension)
    budget = sum(f.expense_sub.budget for f in pension)
    assert actual == 123542 + 75361  # 哈密 and 0.61 × 哈密 (factor of county 3), rounded
    assert rolled.expense_sub.execution == calc.execution(actual, budget)
    average = sum(f.expense_sub.execution for f in pension) / len(pension)
    assert calc.round_half_up(rolled.expense_sub.execution, 2) != calc.round_half_up(average, 2)


def test_hami_and_hejing_enterprise_pension_expense_adds_up():
    both = [load_report(EXAMPLES / "hami-2019.yaml"), load_report(EXAMPLES / "hejing-2019.yaml")]
    fund = rollup(both, unit="测试")["funds"][0]
    assert fund["name"] == "企业职工基本养老保险"
    assert fund["expense_total"]["actual"] == 163482 + 37977  # the two data files' entered totals
    assert [item["name"] for item in fund["expense"]][:2] == ["基本养老金支出", "丧葬抚恤金支出"]


def test_free_text_and_achieved_values_are_left_for_the_clerk(counties):
    data = rollup(counties, unit="巴州")
    assert "text" not in data and all("text" not in f and "achieved" not in f for f in data["funds"])


def test_county_in_yuan_is_converted_to_wan(tmp_path):
    raw = load_report(EXAMPLES / "hami-2019.yaml").raw
    in_yuan = county(raw, 0)
    in_yuan["report"]["amount_unit"] = "元"
    for fund in in_yuan["funds"]:
        for item in fund.get("income", []):
            for column in COLUMNS:
                if column in item:
                    item[column] = item[column] * 10000
    wan = rollup([load_report(write(tmp_path / "a.yaml", county(raw, 0)))], unit="甲")
    yuan = rollup([load_report(write(tmp_path / "b.yaml", in_yuan))], unit="甲")
    assert yuan["funds"][0]["income"] == wan["funds"][0]["income"]


def test_units_of_different_years_are_refused():
    both = [load_report(EXAMPLES / "hami-2019.yaml"), load_report(EXAMPLES / "region-2018.yaml")]
    with pytest.raises(DataError, match="年度不同"):
        rollup(both, unit="甲")


def test_rollup_command_writes_a_data_file_the_template_renders(cli, tmp_path):
    result = cli("rollup", EXAMPLES / "hami-2019.yaml", EXAMPLES / "hejing-2019.yaml", "-o", tmp_path / "地区.yaml",
                 "--unit", "测试地区")
    assert result.exit_code == 0, result.stderr
    assert "已汇总 2 个单位" in result.stdout
    again = cli("rollup", EXAMPLES / "hami-2019.yaml", "-o", tmp_path / "地区.yaml", "--unit", "测试地区")
    assert again.exit_code != 0 and "--force" in again.stderr
    rendered = cli("render", tmp_path / "地区.yaml", "-o", tmp_path / "地区.docx")
    assert rendered.exit_code == 0, rendered.stderr
    text = full_text(tmp_path / "地区.docx")
    assert "测试地区2019年度社会保险基金支出绩效自评报告" in text.replace(" ", "").replace("\n", "")  # (the title breaks in two)
    assert f"{163482 + 37977}" in text  # enterprise pension total expense in the prose


def test_rollup_without_a_common_prefecture_needs_a_name(cli, tmp_path):
    result = cli("rollup", EXAMPLES / "hami-2019.yaml", "-o", tmp_path / "x.yaml")
    assert result.exit_code != 0 and "--unit" in result.stderr


def test_rollup_without_output_says_so_in_chinese(cli):
    result = cli("rollup", EXAMPLES / "hami-2019.yaml", "--unit", "甲")
    assert result.exit_code != 0 and "请用 -o 指定" in result.stderr


def test_sireport_check_finds_the_rollup_equal_to_its_parts(counties):
    from sireport.checks import check_units

    parent = validate(rollup(counties, unit="巴州"), Source("rollup.yaml"))
    assert check_units(counties, parent) == []


def test_item_columns_every_county_has_are_kept_and_the_others_said(tmp_path):
    raw = load_report(EXAMPLES / "hami-2019.yaml").raw
    a, b = county(raw, 1), county(raw, 2)
    del b["funds"][0]["income"][0]["previous"]  # one county lacks 企业养老 保费收入's 上年数
    notes: list[str] = []
    data = rollup([load_report(write(tmp_path / "a.yaml", a)), load_report(write(tmp_path / "b.yaml", b))],
                  unit="甲", notes=notes)
    first, expense = data["funds"][0]["income"][0], data["funds"][0]["expense"][0]
    assert "previous" not in first and first["budget"] == a["funds"][0]["income"][0]["budget"] + \
        b["funds"][0]["income"][0]["budget"]
    assert expense["previous"] == a["funds"][0]["expense"][0]["previous"] + b["funds"][0]["expense"][0]["previous"]
    name = a["funds"][0]["income"][0]["name"]
    assert notes == [f"企业职工基本养老保险收入“{name}”上年数：{b['report']['unit']}没有这个数，汇总数留空"]


def test_a_county_without_income_leaves_the_income_items_out_and_says_so(cli, tmp_path):
    result = cli("rollup", EXAMPLES / "hami-2019.yaml", EXAMPLES / "hejing-2019.yaml", "-o", tmp_path / "地区.yaml",
                 "--unit", "测试地区")
    assert result.exit_code == 0, result.stderr
    assert "和静县没有收入合计本年数，收入项目未汇总" in result.stderr
    assert "# 留空：企业职工基本养老保险收入：和静县没有收入合计本年数" in (tmp_path / "地区.yaml").read_text(encoding="utf-8")


LEFT_OUT = ("管理情况分析", "组织实施和管理情况", "工作计划", "其他", "其他需要说明的问题", "存在问题和建议",
            "主要经验及做法", "存在的问题和建议", "下一步工作计划及其他需要说明的问题")


@pytest.mark.parametrize(("template", "first_of_three"), [("default", "（一）绩效目标完成情况分析"),
                                                          ("six-part", "（一）绩效目标完成情况")])
def test_parts_no_county_wrote_are_left_out_of_the_rollup_report(template, first_of_three, cli, tmp_path):
    result = cli("rollup", EXAMPLES / "hami-2019.yaml", EXAMPLES / "hejing-2019.yaml", "-o", tmp_path / "地区.yaml",
                 "--unit", "测试地区")
    assert result.exit_code == 0, result.stderr
    assert "“后续工作计划”：哈密市、和静县写有文字，汇总数据中留空" in result.stderr
    assert cli("render", tmp_path / "地区.yaml", "-t", template, "-o", tmp_path / "a.docx").exit_code == 0
    shown = paragraphs(tmp_path / "a.docx")
    headings = [p for p in shown if re.match(r"[一二三四五六]、|（[一二三四五六七八]）", p)]
    assert "无。" not in shown and not [h for h in headings if h.endswith(LEFT_OUT)]
    assert shown[shown.index(next(p for p in shown if p.startswith("三、"))) + 1] == first_of_three
    # a part the prefecture writes comes back with its heading
    data = tmp_path / "地区.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "text:\n  plans: 明年继续做好基金监管。\n", encoding="utf-8")
    assert cli("render", data, "-t", template, "-o", tmp_path / "b.docx").exit_code == 0
    shown = paragraphs(tmp_path / "b.docx")
    plans = next(i for i, p in enumerate(shown) if p.endswith("工作计划"))
    assert shown[plans + 1] == "明年继续做好基金监管。" and "无。" not in shown


def test_an_unreadable_county_is_named_in_the_clerks_terms(tmp_path):
    """A county that cannot be read stops the roll-up with its file and the field's Chinese
    label; the key path appears only in the verbose text."""
    from sireport.run.rollup import rollup_files

    broken = tmp_path / "缺基金.yaml"
    data = (EXAMPLES / "hami-2019.yaml").read_text(encoding="utf-8")
    broken.write_text(data.split("\nfunds:")[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        rollup_files([EXAMPLES / "hejing-2019.yaml", broken], tmp_path / "地区.yaml")
    said = caught.value.text(verbose=False)
    assert f"{broken}：缺少必填字段“各项基金”" in said, said
    assert f"{broken}（funds）" not in said and "原始信息" not in said, said
    assert "（funds）" in caught.value.text(verbose=True)
    assert not (tmp_path / "地区.yaml").exists()
