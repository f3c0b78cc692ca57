"""Checks across the units of a batch, made once every unit is known and before any report
is moved into place (:mod:`sireport.run.batch`):

- ``batch.duplicate``: two units whose reports would have the same file name (same name and
  year; or names equal but for case, or for characters a file name cannot hold). Both are
  refused and nothing is written for either; one finding names every file.
- ``batch.copied``: two units whose figures are identical (a workbook copied for another
  county and never changed): a finding on each, naming the other.
- ``batch.year``: a unit whose year is not the batch's (the year most units have): its
  figures do not belong in the same 汇总表.

Cheap on purpose: the figures compared are the 汇总表 row each worker already sends
(:func:`sireport.excel.summary.key_figures`), so a batch of thousands of units pays
nothing per unit. Light too: no data model is imported here. docs/检查规则.md lists the
codes, docs/批量生成.md what a batch does with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sireport.excel.summary import has_figures, main_year
from sireport.findings import Finding
from sireport.run.jobs import UnitResult

RULES = {"batch.duplicate": "error", "batch.copied": "warning", "batch.year": "warning"}


@dataclass(frozen=True)
class Mark:
    """One cross-unit finding and the units it is about (a duplicate: every unit sharing the
    name; a copy or a year: the one unit it is said of)."""

    units: tuple[UnitResult, ...]
    finding: Finding


def cross_check(units: list[UnitResult]) -> list[Mark]:
    """Every cross-unit finding of a batch's units, each once (in input order)."""
    return _duplicates(units) + _copies(units) + _years(units)


def _named(unit: UnitResult) -> str:
    """``“和静县”（和静.xlsx）``: a unit as another unit's finding names it."""
    return f"“{unit.unit}”（{unit.source}）"


def _duplicates(units: list[UnitResult]) -> list[Mark]:
    by_name: dict[str, list[UnitResult]] = {}
    for unit in units:
        if unit.target:
            by_name.setdefault(unit.target.casefold(), []).append(unit)
    marks = []
    for same in (group for group in by_name.values() if len(group) > 1):
        names = list(dict.fromkeys(unit.unit for unit in same))
        why = (f"单位名称和年度都相同（{names[0]}，{same[0].year}年）" if len(names) == 1 else
               f"单位名称（{'、'.join(names)}）只差大小写或文件名中不能用的字符")
        message = (f"{len(same)}个单位的{why}，报告文件名相同，无法区分，均未生成报告；"
                   "请更正单位名称，或去掉重复的文件")
        marks.append(Mark(tuple(same), _finding("batch.duplicate", same, 0, message)))
    return marks


def _copies(units: list[UnitResult]) -> list[Mark]:
    by_figures: dict[str, list[UnitResult]] = {}
    for unit in units:
        if unit.ok and unit.figures and has_figures(unit.figures):  # a figure not zero (a blank unit is no copy)
            by_figures.setdefault(unit.figures, []).append(unit)
    marks = []
    for same in (group for group in by_figures.values() if len(group) > 1):
        for unit in same:
            others = "、".join(_named(other) for other in same if other is not unit)
            message = (f"各项基金的收支、结余数字与{others}完全相同，可能是复制了其他单位的工作簿或文件而未改数字；"
                       "请核对数字和单位名称")
            marks.append(Mark((unit,), _finding("batch.copied", [unit], 0, message)))
    return marks


def _years(units: list[UnitResult]) -> list[Mark]:
    """The units of another year than the batch's (sireport.excel.summary.main_year)."""
    year = main_year(unit.year for unit in units)
    count = sum(unit.year == year for unit in units)
    message = ("报告年度为{}年，与本批其他单位不同（{}个单位为{}年）；汇总表的合计只含{}年的单位，"
               "请核对是否放入了其他年度的文件")
    return [Mark((unit,), _finding("batch.year", [unit], 1, message.format(unit.year, count, year, year)))
            for unit in units if unit.year is not None and unit.year != year]


def _finding(code: str, units: list[UnitResult], place: int, message: str) -> Finding:
    """The finding at the units' places (``place``: 0 the name, 1 the year), in the units' order."""
    where = "、".join(unit.places[place] or unit.source for unit in units)
    return Finding(code, RULES[code], where, message)
