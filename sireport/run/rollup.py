"""Roll-up: a prefecture's data file built from its counties' data (docs/批量生成.md).

>>> from sireport.run.rollup import rollup_files
>>> rollup_files(["counties/"], "巴州-2019.yaml", unit="巴州")     # doctest: +SKIP

The result is a normal data file, rendered with the same template. What is summed and
what is not:

- funds are matched by fund kind (企业养老 = 企业职工基本养老保险), items by name within
  the fund's income or expense side, people by name; all in first-seen order;
- every amount is summed in 万元 (a county in 元 is converted): items and their parts,
  and the totals, subtotals, treatment expense and balances *as each county's figures
  resolve them* (an entered total wins over its items, as in that county's own report),
  so the roll-up's figures equal the sum of the counties' figures;
- an item's column is summed where every county has it (a county without the item adds
  0 when its own total of that column is known); where some county lacks it the column
  is left empty (a partial sum would be a wrong figure) and a note says so; a side a
  county does not report at all (no 收入合计本年数) is not rolled up;
- rates (增幅, 执行率, 可支付月数, 人均) are never averaged: they are recomputed from the
  sums when the roll-up is rendered; stated rates are dropped;
- targets, pension adjustment and thresholds are kept only where every county has the
  same value; achieved values and all free text are left empty for the clerk;
- a part of the report that is only text (管理情况, 后续工作计划 …) is left out of the
  roll-up's report until the prefecture writes it (``empty_sections: 省略``), not printed
  as a bare heading or "无。"; a note names the counties that wrote one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, Optional

from sireport.checks import Finding, check_units
from sireport.checks.base import COLUMN_NAMES
from sireport.data.figure import persons_per
from sireport.data.funds import default_transfer, default_treatment
from sireport.data.load import LoadedReport, validate
from sireport.data.locate import Source
from sireport.data.save import yaml_text
from sireport.errors import DataError, OutputError, Problem
from sireport.figures import calc
from sireport.figures.compute import TOTAL_OF, FundFigures, Line, compute
from sireport.files import refuse_existing, write_atomic
from sireport.run.batch import expand_inputs
from sireport.run.worker import units_in

COLUMNS = ("actual", "previous", "budget")
Num = Optional[Decimal]
_SCALE: dict[int, Decimal] = {}  # id(FundFigures) -> data unit per 万元, during one roll-up


# The wording options of the report settings, carried from the first unit to the roll-up.
WORDING = {"fund_unit", "yi_from", "people_unit", "people_wan_from", "people_decimals", "per_capita", "budget_in_execution",
           "item_mark"}


def rollup(counties: list[LoadedReport], unit: str | None = None, notes: list[str] | None = None) -> dict[str, Any]:
    """Plain data (as a data file holds it) of the sum of ``counties``; ``notes`` (if given)
    receives a Chinese line for every figure left empty because some county lacks it."""
    notes = [] if notes is None else notes
    if not counties:
        raise DataError("没有可汇总的单位数据")
    years = {c.report.report.year for c in counties}
    if len(years) > 1:
        listing = "；".join(f"{c.source.name}：{c.report.report.year}" for c in counties)
        raise DataError(f"各单位的报告年度不同，不能汇总（{listing}）")
    first = counties[0].report.report
    prefectures = {c.report.report.prefecture for c in counties}
    name = unit or (prefectures.pop() if len(prefectures) == 1 and "" not in prefectures else "")
    if not name:
        raise DataError("请用 --unit 指定汇总单位的名称（各单位数据中没有共同的上级地区名）")
    figures = [compute(c.report) for c in counties]
    _SCALE.clear()
    for county, computed in zip(counties, figures):
        scale = Decimal(1) if county.report.report.amount_unit == "万元" else calc.TEN_THOUSAND
        _SCALE.update({id(fund): scale for fund in computed.funds})
    settings = {"unit": name, "year": first.year, "amount_unit": "万元", "prose_unit": first.prose_unit,
                "amount_decimals": first.amount_decimals, "yi_decimals": first.yi_decimals,
                "percent_decimals": first.percent_decimals, "thousands_separator": first.thousands_separator,
                **first.model_dump(include=WORDING, exclude_unset=True), "empty_sections": "省略"}
    data: dict[str, Any] = {"report": settings, "funds": _funds(figures, [c.report.report.unit for c in counties], notes)}
    thresholds = _common([c.report.thresholds.model_dump(exclude_unset=True) for c in counties])
    if thresholds:
        data["thresholds"] = thresholds
    return data


class RolledUp(NamedTuple):
    """What a roll-up wrote: the file, how many units it sums, the cross-unit findings."""

    path: Path
    units: int
    findings: list[Finding]


def rollup_files(inputs: Iterable[str | Path], output: str | Path | None, unit: str | None = None,
                 force: bool = False) -> RolledUp:
    """Load every unit in ``inputs`` (files or folders), roll them up, write ``output`` (YAML).

    Returns the file, the number of units, and the findings of ``sireport check``'s
    cross-unit rule (the roll-up against its parts; none unless the units disagree on
    which funds count in the totals).
    """
    if output is None:
        raise OutputError("请用 -o 指定汇总结果的文件名，如 -o 巴州-2019.yaml")
    output = Path(output)
    if output.suffix.lower() not in {".yaml", ".yml"}:
        raise OutputError(f"{output}：汇总结果请保存为 .yaml 文件")
    refuse_existing(output, force)
    loaded, problems = [], []
    for path in expand_inputs(inputs):
        for _label, unit_data in units_in(path):
            if isinstance(unit_data, LoadedReport):
                loaded.append(unit_data)
            else:
                problems += unit_data.problems or [Problem("", unit_data.message)]  # the clerk's lines, codes only in -v
    if problems:
        raise DataError(f"有 {len(problems)} 个单位的数据无法读取，未汇总", problems)
    notes: list[str] = []
    data = rollup(loaded, unit, notes)
    notes += _written_sections(loaded)
    parent = validate(data, Source(str(output)))  # the result must be a valid data file
    findings = check_units(loaded, parent)  # sireport check's own test that the parts add up
    findings += [Finding("rollup.partial", "info", str(output), note) for note in notes]
    sources = "、".join(c.source.name for c in loaded)
    header = f"{data['report']['unit']} {data['report']['year']} 年度数据：由 {len(loaded)} 个单位汇总生成（{sources}）。\n" \
             "金额为各单位之和；比率在生成报告时由合计数重新计算；文字部分请补充。" + \
             "".join(f"\n留空：{note}" for note in notes)
    write_atomic(output, yaml_text(data, header).encode("utf-8"), force=True)
    return RolledUp(output, len(loaded), findings)


# ---------------------------------------------------------------- text

# The parts of a report that are only text, with the fields that fill them. The roll-up
# leaves all text empty and its report leaves such a part out (empty_sections: 省略) until
# the prefecture writes it; a part some county wrote is said, so that it is not lost unseen.
TEXT_SECTIONS = {"社会保险管理情况": ("management",), "后续工作计划": ("plans",), "主要经验及做法": ("experience",),
                 "存在问题和建议": ("problems",), "其他需要说明的问题": ("other",)}


def _written_sections(counties: list[LoadedReport]) -> list[str]:
    notes = []
    for section, fields in TEXT_SECTIONS.items():
        written = [c.report.report.unit for c in counties
                   if any(getattr(c.report.text, key).strip() for key in fields)
                   or any(getattr(f.text, key, "").strip() for f in c.report.funds for key in fields)]
        if written:
            notes.append(f"“{section}”：{'、'.join(written)}写有文字，汇总数据中留空；"
                         "请补充，不补充则汇总报告中省略这一部分")
    return notes


# ---------------------------------------------------------------- funds

def _funds(figures: list, names: list[str], notes: list[str]) -> list[dict]:
    groups: dict[str, list[FundFigures]] = {}
    units: dict[int, str] = {}
    for county, name in zip(figures, names):
        for fund in county.funds:
            groups.setdefault(fund.key, []).append(fund)
            units[id(fund)] = name
    return [_fund(funds, units, notes) for funds in groups.values()]


def _units(funds: list[FundFigures], units: dict[int, str]) -> str:
    return "、".join(units[id(f)] for f in funds)


def _fund(funds: list[FundFigures], units: dict[int, str], notes: list[str]) -> dict:
    first = funds[0]
    out: dict[str, Any] = {"name": first.name}
    for key in ("title", "short_title"):
        value = getattr(first.source, key)
        if value:
            out[key] = value
    if not first.in_totals:
        out["in_totals"] = False
    for side, word in (("income", "收入"), ("expense", "支出")):
        totals = [getattr(f, side) for f in funds]
        lacking = [f for f, total in zip(funds, totals) if total.actual is None]
        if lacking:  # a unit without the side's 本年数: its items cannot be added up either
            out[side] = []
            notes.append(f"{first.title}{word}：{_units(lacking, units)}没有{word}合计本年数，{word}项目未汇总")
            continue
        out[side] = _items([getattr(f, f"{side}_items") for f in funds], totals, side,
                           _Notes(notes, f"{first.title}{word}", [units[id(f)] for f in funds]))
    for key, attr in TOTAL_OF.items():
        amounts = _amounts([getattr(f, attr) for f in funds])
        if amounts:
            out[key] = amounts
    if len(out.get("treatment_total", {})) < len(COLUMNS):
        # a column of 待遇支出 some unit lacks must stay empty, not be refilled from the items
        for item in out["expense"]:
            item["treatment"] = False
    out["balance"] = _drop_none({
        "current": calc.total(f.current_balance for f in funds),
        "cumulative": calc.total(f.cumulative_balance for f in funds),
        "previous_cumulative": calc.total(f.previous_cumulative for f in funds),
        "parts": [{"name": n, "amount": a} for n, a in _sum_named([f.balance_parts for f in funds])] or None,
    })
    basis = _months_basis(funds)
    if basis:
        out["months_basis"] = basis
    out["people"] = _people(funds)
    for key in ("targets", "pension_adjustment"):
        common = _common([_dump(getattr(f, key)) for f in funds])
        if common:
            out[key] = common
    return _drop_none(out)


def _amounts(lines: list[Line]) -> dict:
    return _drop_none({column: calc.total(getattr(line, column) for line in lines) for column in COLUMNS})


@dataclass
class _Notes:
    """Where a roll-up leaves a figure empty, said once per item and column."""

    out: list[str]
    what: str  # "企业职工基本养老保险收入"
    units: list[str]  # unit names, in the order of the item lists


def _items(sides: list[list[Line]], totals: list, side: str, notes: _Notes) -> list[dict]:
    """Items matched by name (first-seen order). A column is summed where every unit has it:
    a unit without the item adds 0 when its total of that column is known (the item is
    not part of it); otherwise the column is left empty and a note says which units lack it."""
    groups = _group(sides, lambda line: line.name)
    out = []
    for name, lines in groups.items():
        first = lines[0]
        own = [next((line for line in items if line.name == name), None) for items in sides]
        amounts = {}
        for column in COLUMNS:
            values = [getattr(line, column) if line is not None else
                      (Decimal(0) if getattr(total, column) is not None else None) for line, total in zip(own, totals)]
            amounts[column] = calc.total(values)
            lacking = [unit for unit, value in zip(notes.units, values) if value is None]
            if lacking and len(lacking) < len(values):
                notes.out.append(f"{notes.what}“{name}”{COLUMN_NAMES[column]}：{'、'.join(lacking)}没有这个数，汇总数留空")
        item: dict[str, Any] = {"name": name, **_drop_none(amounts)}
        if first.transfer != default_transfer(name):  # flags written only where not the default
            item["transfer"] = first.transfer
        if first.treatment != default_treatment(name, side):
            item["treatment"] = first.treatment
        if any(line.keep_zero for line in lines):
            item["keep_zero"] = True
        parents = [line if line is not None else total for line, total in zip(own, totals)]
        parts = _items([line.parts if line is not None else [] for line in own], parents, side,
                       _Notes(notes.out, f"{notes.what}“{name}”的明细", notes.units))
        if parts:
            item["parts"] = parts
        out.append(item)
    return out


def _people(funds: list[FundFigures]) -> list[dict]:
    out = []
    for name, people in _group([f.people for f in funds], lambda p: p.name).items():
        same = len({p.unit for p in people}) == 1  # else every count in persons (万人 × 10000)
        entry: dict[str, Any] = {"name": name, "unit": people[0].unit if same else "人"}
        for column in ("actual", "previous", "target"):
            values = [getattr(p, column) if same or getattr(p, column) is None else getattr(p, column) * persons_per(p.unit)
                      for p in people]
            entry[column] = None if None in values else sum(values)
        entry["per_capita_item"] = people[0].per_capita_item
        out.append(_drop_none(entry))
    return out


def _months_basis(funds: list[FundFigures]) -> dict | None:
    """Summed basis of months payable, if any unit states one (the others: cumulative / expense)."""
    if all(f.source.months_basis is None for f in funds):
        return None
    balances, expenses = [], []
    for fund in funds:
        basis = fund.source.months_basis
        if basis is not None:
            balances.append(basis.balance / _SCALE[id(fund)])
            expenses.append(basis.expense / _SCALE[id(fund)])
        else:
            balances.append(fund.cumulative_balance)
            expenses.append(fund.expense.actual)
    balance, expense = calc.total(balances), calc.total(expenses)
    if balance is None or expense is None:
        return None
    name = next(f.source.months_basis.name for f in funds if f.source.months_basis is not None)
    return {"name": name, "balance": balance, "expense": expense}


# ---------------------------------------------------------------- helpers

def _group(lists: list[list], name_of: Callable[[Any], str]) -> dict[str, list]:
    groups: dict[str, list] = {}
    for entries in lists:
        for entry in entries:
            groups.setdefault(name_of(entry), []).append(entry)
    return groups


def _sum_named(lists: list[list[tuple[str, Num]]]) -> list[tuple[str, Num]]:
    return [(name, calc.total(amount for _, amount in pairs))
            for name, pairs in _group(lists, lambda pair: pair[0]).items()]


def _common(values: list[dict]) -> dict:
    """The entries every unit has with the same value."""
    first = values[0]
    return {key: value for key, value in first.items()
            if value is not None and all(other.get(key) == value for other in values[1:])}


def _dump(model: Any) -> dict:
    return {} if model is None else model.model_dump(exclude_none=True)


def _drop_none(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value is not None and value != []}
