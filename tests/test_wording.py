"""Filters and the sentence macros of sireport/templates/phrases.j2, rendered as a template would."""

from decimal import Decimal as D

import pytest

from sireport.data.model import Settings
from sireport.figures.compute import Line
from sireport.word.engine import Phrases, make_environment
from sireport.word.search import builtin_dir


def settings(**overrides):
    return Settings(unit="测试县", year=2019, **overrides)


def render(source: str, report=None, **values) -> str:
    env = make_environment([builtin_dir()])
    report = report or settings()
    phrases = make_environment([builtin_dir()], escaping=False).get_template("phrases.j2")
    values["p"] = Phrases(phrases.make_module({"report": report}))  # as the engine builds p
    return env.from_string(source).render(report=report, **values)


def line(actual, previous=None, budget=None, places=2):
    to_d = lambda v: None if v is None else D(str(v))  # noqa: E731
    return Line("x", to_d(actual), to_d(previous), to_d(budget), percent_places=places)


def test_decrease_reads_as_decrease_never_signed_rate():
    # 哈密 工伤 income subtotal 5676 vs 5784
    text = render("{{ p.vs_previous(l) }}", l=line(5676, 5784))
    assert text == "较上年减少108万元，下降1.87%"


def test_increase_with_budget_in_yi():
    text = render("{{ p.compare(l, true) }}", report=settings(prose_unit="亿元"), l=line(237563, 225628, 239010))
    assert text == "，较上年增加1.19亿元，增长5.29%，完成年度预算的99.39%"


def test_zero_change_after_rounding_is_flat():
    assert render("{{ p.vs_previous(l) }}", l=line(100001, 100000)) == "与上年持平"
    assert render("{{ p.vs_previous(l) }}", l=line(500, 500)) == "与上年持平"


def test_missing_previous_and_budget_drop_out_cleanly():
    assert render("收入500万元{{ p.compare(l) }}。", l=line(500)) == "收入500万元。"
    assert render("{{ p.compare(l) }}", l=line(500, None, 400)) == "，完成年度预算的125.00%"


def test_previous_zero_gives_change_without_rate():
    assert render("{{ p.vs_previous(l) }}", l=line(30, 0)) == "较上年增加30万元"


def test_percent_decimals_follow_settings():
    text = render("{{ p.vs_budget(l) }}", report=settings(percent_decimals=1), l=line(1071844, None, 1091628, 1))
    assert text == "完成年度预算的98.2%"


def test_item_list_in_data_order_without_zero_items():
    items = [Line("保费收入", D(117275)), Line("利息收入", D(1470)), Line("其他收入", D(0)),
             Line("财政补贴收入", D(0), keep_zero=True)]
    assert render("{{ p.items(items) }}", items=items) == "，其中：保费收入117275万元，利息收入1470万元，财政补贴收入0万元"


@pytest.mark.parametrize("source, expected", [
    ("{{ v|pct }}", "-1.87%"),
    ("{{ v|absolute|pct }}", "1.87%"),
    ("{{ z|cell }}", "0"),
    ("{{ none|cell }}", "—"),
    ("{{ big|cell }}", "1234567"),
])
def test_table_filters(source, expected):
    assert render(source, v=D("-1.8672"), z=D("-0.4"), none=None, big=D(1234567)) == expected


def test_thousands_separator_only_in_tables():
    report = settings(thousands_separator=True)
    assert render("{{ v|cell }}/{{ v|wan }}", report=report, v=D(1234567)) == "1,234,567/1234567"


def test_dates_numbers_and_daxie():
    import datetime as dt

    assert render("{{ d|cn_date }}", d=dt.date(2020, 9, 10)) == "2020年9月10日"
    assert render("{{ 3|cn }}、{{ 12|cn }}", ) == "三、十二"
    assert render("人民币{{ v|daxie }}", v=D("9.8822")) == "人民币玖万捌仟捌佰贰拾贰元整"


def test_heading_numbers_written_as_cn2an_writes_them():
    from cn2an import an2cn

    from sireport.word.filters import cn_number

    assert [cn_number(n) for n in range(1, 100)] == [an2cn(n) for n in range(1, 100)]  # written here
    assert [cn_number(n) for n in (0, 100, 105, 1234)] == ["零", "一百", "一百零五", "一千二百三十四"]  # by cn2an


def test_paragraph_filter_splits_lines():
    assert render("{% for x in t|paras %}[{{ x }}]{% endfor %}", t="第一段。\n\n 第二段。\n") == "[第一段。][第二段。]"


def test_numbering_is_continuous():
    source = "{% set n = numbering() %}{{ n.part() }}{{ n.sub() }}{{ n.sub() }}{{ n.part() }}{{ n.sub() }}{{ n.item() }}"
    assert render(source) == "一一二二一1"


def test_data_is_escaped_in_xml():
    assert render("{{ s }}", s="A&B<C>") == "A&amp;B&lt;C&gt;"


def test_macro_text_is_escaped_once_where_the_document_outputs_it():
    """phrases.j2 builds plain text; the part's {{ }} escapes it, and only there."""
    items = [Line("A&B<C>", D(5)), Line("“D”'s", D(7))]
    assert render("{{ p.items(l) }}", l=items) == "，其中：A&amp;B&lt;C&gt;5万元，“D”&#39;s7万元"
    assert render("{{ 'x' ~ p.items(l) }}", l=items[:1]) == "x，其中：A&amp;B&lt;C&gt;5万元"
    captured = "{% set x %}{{ s }}{% endset %}{% macro m() %}{{ s }}{% endmacro %}{{ x }}|{{ m() }}"
    assert render(captured, s="A&B") == "A&amp;B|A&amp;B"  # the template's own captures: not twice
    imported = "{% import 'phrases.j2' as q with context %}{{ q.items(l) }}"
    assert render(imported, l=items[:1]) == "，其中：A&amp;B&lt;C&gt;5万元"  # phrases.j2 imported directly


def test_every_kind_of_output_is_escaped_once():
    """{{ }} (a string with nothing to escape is printed without making a Markup of it) at the
    top level and in macros, set and filter blocks, loops and ~: each character escaped once,
    a macro's text never twice."""
    data = "&<>\"'中"
    once = "&amp;&lt;&gt;&#34;&#39;中"
    source = ("{{ s }}|{{ n }}|{{ none }}|{{ p.items(l) }}|{% macro m() %}{{ s }}{% endmacro %}{{ m() }}|"
              "{% set x %}{{ s }}{% endset %}{{ x }}|{% filter upper %}{{ s }}{% endfilter %}|{{ s ~ m() }}|"
              "{% for c in [s] %}{{ c }}{% endfor %}")
    expected = f"{once}|7|None|，其中：{once}5万元|{once}|{once}|{once.upper()}|{once}{once}|{once}"
    assert render(source, s=data, n=7, l=[Line(data, D(5))]) == expected
    assert render(source, s="中", n=7, l=[Line("中", D(5))]) == "中|7|None|，其中：中5万元|中|中|中|中中|中"


def test_an_if_without_else_prints_nothing_and_a_missing_name_still_fails():
    assert render("[{{ 'x' if n > 8 }}]{% macro m() %}[{{ 'y' if n > 8 }}]{% endmacro %}{{ m() }}", n=7) == "[][]"
    assert render("{{ p.items(l) }}", l=[Line("A", D(5)), Line("B", D(0))]) == "，其中：A5万元"
    with pytest.raises(Exception, match="nothing"):
        render("{{ nothing }}")


def test_safe_filter_is_not_available():
    with pytest.raises(Exception, match="safe"):
        render("{{ s|safe }}", s="<w:p/>")


def test_figures_never_in_exponent_notation():
    assert render("{{ a|dec(8) }} {{ b|dec(8) }} {{ c|wan }}", a=D("0.0000001"), b=D("0"), c=D("1E+5")) == \
        "0.00000010 0.00000000 100000"
