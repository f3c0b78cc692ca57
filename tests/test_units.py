"""Property test over generated units (tests/units.py): every unit renders with the default and
the six-part template, the rendered text passes the prose linter with no finding at all, and the
figures it prints are the computed ones at their printed precision.

``SIREPORT_UNITS`` sets how many units (default 2000). Speed is not this test's business
(benchmarks/batch_speed.py measures it).
"""

from __future__ import annotations

import io
import json
import os
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import units
from sireport.data.load import load_report
from sireport.prose import lint_blocks
from sireport.run.render import make_engine, prepare
from sireport.word.text import read_docx

COUNT = int(os.environ.get("SIREPORT_UNITS", "2000"))
TEMPLATES = ("default", "six-part")


def _fixed(value: Decimal, places: int) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(rounded if rounded else abs(rounded), "f")


def _money(value: Decimal, settings, overview: bool) -> str:
    """An amount as a paragraph prints it, formatted here independently of sireport's filters."""
    unit = settings.prose_unit if overview else (settings.fund_unit or settings.prose_unit)
    if unit == "亿元" and (overview or abs(value) >= settings.yi_from):
        return _fixed(value / 10000, settings.yi_decimals) + "亿元"
    return _fixed(value, settings.amount_decimals) + "万元"


def _plain(value) -> str:
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _heads(count, unit: str, settings) -> str:
    """A count of people as the report writes it: in 万 from people_wan_from when people_unit is 万人."""
    if settings.people_unit == "万人" and abs(count) >= settings.people_wan_from and not unit.startswith("万"):
        return _fixed(Decimal(count) / 10000, settings.people_decimals) + "万" + unit
    return f"{count}{unit}"


def _read(text: str) -> Decimal:
    """The count a reader takes from “3.55万人以上” or “34962人”."""
    number, wan = re.match(r"([\d.]+)(万?)", text).groups()
    return Decimal(number) * (10000 if wan else 1)


def _unmet_wording(outcome, settings) -> tuple[str, str]:
    """A missed target and what was achieved as 三（三） words them, independently of phrases.j2."""
    if outcome.key == "people":
        goal, got = _heads(outcome.goal, outcome.unit, settings) + "以上", _heads(outcome.entered, outcome.unit, settings)
        assert _read(goal) > _read(got), (goal, got)  # reads as missed: never “3.50万人以上，实际为3.50万人”
        return goal, got
    if outcome.key == "execution":
        return f"{_plain(outcome.goal)}%以上", f"{_fixed(outcome.value, settings.percent_decimals)}%"
    entered = outcome.entered
    if outcome.key == "pay_day":
        return f"每月{_plain(outcome.goal)}日前", entered if isinstance(entered, str) else f"每月{_plain(entered)}日前"
    if outcome.key == "settlement_days":
        return f"{_plain(outcome.goal)}个工作日内", entered if isinstance(entered, str) else f"{_plain(entered)}个工作日"
    return f"{_plain(outcome.goal)}%以上", entered if isinstance(entered, str) else f"{_plain(entered)}%"


def expected_fragments(figures, settings) -> list[str]:
    """Text that must appear: each fund's totals, execution, balances, months, people, unmet targets."""
    pct = settings.percent_decimals
    wanted = []
    for fund in figures.funds:
        wanted.append(f"{fund.title}基金总收入{_money(fund.income.actual, settings, False)}")
        wanted.append(f"基金总支出{_money(fund.expense.actual, settings, False)}")
        if fund.expense.execution is not None:
            wanted.append(f"{_fixed(fund.expense.execution, pct)}%")
        if fund.cumulative_balance is not None:
            wanted.append(f"滚存结余{_money(fund.cumulative_balance, settings, False)}")
        if fund.months is not None:
            wanted.append(f"可支付{_fixed(fund.months.value, 2)}个月")
        for outcome in fund.unmet:
            goal, got = _unmet_wording(outcome, settings)
            wanted.append(f"{outcome.name}目标为{goal}，实际为{got}")
        for person in fund.people:
            if person.per_capita_actual is not None and settings.per_capita:
                wanted.append(f"人均月{person.per_capita_label}{_fixed(person.per_capita_actual, 2)}元")
    return wanted


def test_generated_units_read_clean_and_round_trip_their_figures(tmp_path):
    engines = {name: make_engine(name) for name in TEMPLATES}
    for engine in engines.values():
        engine.compile()
    dirty: list[tuple[int, str, list[str]]] = []
    for seed in range(COUNT):
        path = tmp_path / f"unit{seed}.json"
        path.write_text(json.dumps(units.unit(seed), ensure_ascii=False, default=str), encoding="utf-8")
        prepared = prepare(load_report(path))  # check errors would raise: the generated data is consistent
        settings = prepared.loaded.report.report
        wanted = expected_fragments(prepared.scored.figures, settings)
        for name, engine in engines.items():
            blocks = read_docx(io.BytesIO(engine.render(prepared.context)))
            problems = [str(f) for f in lint_blocks(blocks)]
            text = "\n".join(block.text for block in blocks)
            problems += [f"缺少“{fragment}”" for fragment in wanted if fragment not in text]
            if "无。" in _section_three(text) and any(f.unmet for f in prepared.scored.figures.funds):
                problems.append("有未完成的目标，三（三）却写“无”")
            if problems:
                dirty.append((seed, name, problems[:3]))
        path.unlink()
    assert dirty == []


def _section_three(text: str) -> str:
    tail = text.split("未完成", 1)[-1]
    return tail.split("\n", 3)[1] if tail.count("\n") >= 2 else ""


def test_generator_reaches_its_edges():
    """The first 300 units already hold every edge the generator promises."""
    seen: set[str] = set()
    for seed in range(300):
        data = units.unit(seed)
        funds = data["funds"]
        seen.add(f"funds{len(funds)}")
        for fund in funds:
            balance = fund["balance"]
            seen.add("pooled" if "pooled" in balance else "balance")
            expense = fund["expense"][0]
            seen.add("no previous" if "previous" not in expense else
                     "flat" if expense["previous"] == expense["actual"] else "previous")
            seen.add("no budget" if "budget" not in expense else
                     "equal budget" if expense["budget"] == expense["actual"] else "budget")
            seen.add("tiny" if expense["actual"] < 100 else "huge" if expense["actual"] > 100000 else "mid")
            person = fund["people"][0]
            seen.add("missed" if person["target"] > person["actual"] else "met")
            seen.add("comparator" if any(isinstance(v, str) for v in fund["achieved"].values()) else "numbers")
    assert {f"funds{n}" for n in range(4, 9)} <= seen
    assert {"pooled", "no previous", "flat", "no budget", "equal budget", "tiny", "huge", "missed", "met",
            "comparator"} <= seen


def test_zero_and_negative_balances_are_generated(tmp_path):
    kinds = set()
    for seed in range(200):
        path = tmp_path / "u.json"
        path.write_text(json.dumps(units.unit(seed), ensure_ascii=False, default=str), encoding="utf-8")
        for fund in prepare(load_report(path)).scored.figures.funds:
            value = fund.cumulative_balance
            kinds.add("zero" if value == 0 else "negative" if value < 0 else "positive")
    assert kinds == {"zero", "negative", "positive"}


def test_units_module_is_importable_by_path():
    assert Path(units.__file__).name == "units.py"
