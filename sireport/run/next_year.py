"""Next year's data file from this year's: what the clerk would otherwise copy by hand.

- the year goes up by one; report and cover dates are emptied;
- on every line with figures (items, their parts, totals, people): 上年 ← 本年,
  then 本年, 预算 and the stated (原文) figures are emptied; in the self-evaluation
  table the actual values, executed amounts, grades, scores and reasons are emptied;
- each fund's opening cumulative balance (上年滚存结余) ← this year's cumulative
  balance, entered or computed (:func:`sireport.figures.compute.compute`);
- balances, months-payable basis, pension adjustment, achieved values and all free
  text are emptied; fund names, item names and flags, performance targets (also
  target head counts and indicator values), settings and thresholds are kept.

The rules are applied to the plain data by key name (``actual``/``previous``/...), so a
new model section with the same field names moves forward without changes here.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from sireport.data.load import load_report
from sireport.data.model import Report
from sireport.data.save import write_data
from sireport.figures import calc
from sireport.figures.compute import compute

SHIFT = ("actual", "previous")  # 本年 becomes 上年; an "actual" without a "previous" is emptied
# Figures of the year that do not carry over (removed, so the field's default applies).
CLEARED = ("budget", "initial", "executed", "grade", "score", "reason", "override_reason", "statements")
FUND_CLEARED = ("months_basis", "pension_adjustment")
FUND_EMPTIED = ("achieved", "text")


def next_year(report: Report) -> Report:
    """The report of the following year, to be filled in (pure: ``report`` is unchanged)."""
    data = report.model_dump()
    figures = compute(report)
    scale = Decimal(1) if report.report.amount_unit == "万元" else calc.TEN_THOUSAND
    settings = data["report"]
    settings["year"] += 1
    settings["date"] = None
    if settings.get("cover"):
        settings["cover"]["fill_date"] = None
    _shift(data)  # every section, including ones this module does not know by name
    for fund, computed in zip(data["funds"], figures.funds):
        cumulative = computed.cumulative_balance
        fund["balance"] = {"previous_cumulative": None if cumulative is None else _plain(cumulative * scale)}
        for key in FUND_CLEARED:
            fund[key] = None
        for key in FUND_EMPTIED:
            fund[key] = {}
    if data.get("totals"):
        data["totals"].update(current_balance=None, cumulative_balance=None)
    data["text"] = {}
    return Report.model_validate(data)


def _shift(node: Any) -> None:
    if isinstance(node, list):
        for value in node:
            _shift(value)
        return
    if not isinstance(node, dict):
        return
    if SHIFT[0] in node:
        actual = node.pop(SHIFT[0])
        if SHIFT[1] in node:
            node[SHIFT[1]] = actual
    for key in [k for k in node if k in CLEARED or k.startswith("stated")]:
        del node[key]
    for value in node.values():
        _shift(value)


def _plain(value: Decimal) -> Decimal:
    """Drop the trailing zeros a unit conversion leaves (12345.0000 → 12345)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def default_output(source: Path, year: int) -> Path:
    """hami-2019.yaml → hami-2020.yaml; a name without the year gets ``-2020`` added."""
    stem = source.stem
    old, new = str(year - 1), str(year)
    stem = stem.replace(old, new) if old in stem else f"{stem}-{new}"
    return source.with_name(stem + source.suffix)


def next_year_file(source: str | Path, output: Optional[str | Path] = None, force: bool = False) -> Path:
    """Read last year's data file and write next year's (format by the output's suffix)."""
    source = Path(source)
    report = next_year(load_report(source).report)
    target = Path(output) if output else default_output(source, report.report.year)
    header = (f"{report.report.unit} {report.report.year} 年度数据文件（由 sireport init --from {source.name} 生成）\n"
              "上年数、上年滚存结余已从上年数据填入；请填写本年数、预算数和文字部分。")
    return write_data(report, target, force, header)
