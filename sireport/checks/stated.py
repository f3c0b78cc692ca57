"""Stated values: a change, growth rate or execution rate written in the original report
(``stated:`` on a line, and ``statements:`` for the other places the report states the same
line) must be what its own figures give, in the unit and to the decimals it is written with
(:class:`sireport.data.figure.Figure`); two places that state one line differently are
reported as such ("三（一）与四（二）所述不一致").

A rate that only a 尾差 of its figures can explain is an 提示; anything else is an error
(哈密's 收支分析表: 合计 执行预算 99.17% where 237563 / 239010 gives 99.39%).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from sireport.data.figure import AMOUNT_UNITS, Figure
from sireport.data.model import Stated
from sireport.data.references import BadReference, resolve_object
from sireport.figures import calc
from sireport.figures.compute import Line

from .base import Context, levels, lines_of, ratio_range, unit_of


def check(ctx: Context) -> None:
    more = _more_statements(ctx)
    # (most lines state nothing: their label is not worked out)
    for title, level in levels(ctx):  # entered 合计 figures win there, each keeps its ``stated``
        for line, name in lines_of(level):
            if line.stated is not None or id(line) in more:
                _line(ctx, line, f"{title}{name}", more.get(id(line), []))
    for fund in ctx.figures.funds:
        for item in ctx.items(fund):
            if item.stated is not None or id(item) in more:
                _line(ctx, item, f"{fund.title}“{item.name}”", more.get(id(item), []))
        for people, data in zip(fund.people, fund.source.people):
            if data.stated is not None:
                _people_growth(ctx, people, data.stated, f"{fund.title}“{people.name}”")


def _people_growth(ctx: Context, people, stated, label: str) -> None:
    """A stated growth of a people count, at its printed precision."""
    point = people.growth
    if stated is None or stated.growth is None or point is None:
        return
    slack = ctx.thresholds.rounding_slack
    bounds = ratio_range(calc.growth, people.actual, unit_of(people.actual) * slack,
                         people.previous, unit_of(people.previous) * slack)
    judge(ctx, "stated.growth", (*people.loc, "stated", "growth"),
          f"{label}{_place(stated)}写明的人数增幅与按本年、上年人数计算的结果不符", stated.growth, point, bounds,
          unit="%")


def _more_statements(ctx: Context) -> dict[int, list[tuple[Stated, tuple]]]:
    """The ``statements:`` entries by the line they name; one naming no line is an error."""
    out: dict[int, list[tuple[Stated, tuple]]] = {}
    for index, statement in enumerate(ctx.report.statements):
        loc = ("statements", index)
        try:
            line = resolve_object(statement.line, ctx.figures)
        except BadReference as exc:
            ctx.add("stated.line", (*loc, "line"), str(exc))
            continue
        if not isinstance(line, Line):
            ctx.add("stated.line", (*loc, "line"), f"“{statement.line}”不是一行数字（应如 funds[失业保险].expense、totals.income）")
            continue
        out.setdefault(id(line), []).append((statement, loc))
    return out


FIELDS = (("change", "增减额"), ("growth", "增幅"), ("execution", "预算执行率"))


def _line(ctx: Context, line: Line, label: str, more: list[tuple[Stated, tuple]]) -> None:
    statements = ([(line.stated, (*line.loc, "stated"))] if line.stated is not None else []) + more
    for stated, loc in statements:
        _statement(ctx, line, f"{label}{_place(stated)}", stated, loc)
    for key, what in FIELDS:
        said = [(getattr(stated, key), stated, loc) for stated, loc in statements if getattr(stated, key) is not None]
        for (first, first_stated, _), (other, other_stated, loc) in combinations(said, 2):
            base = _base(ctx, key, first), _base(ctx, key, other)
            if not _compatible(first, base[0], other, base[1]):
                ctx.add("stated.inconsistent", (*loc, key),
                        f"{label}的{what}：{_where(first_stated, '第一处')}与{_where(other_stated, '另一处')}所述不一致",
                        _shown(first, key), _shown(other, key))


def _shown(figure: Figure, key: str) -> str:
    return f"{figure}{'%' if key != 'change' and not figure.unit else ''}"


def _place(stated: Stated) -> str:
    return f"（{stated.at}所述）" if stated.at else ""


def _where(stated: Stated, fallback: str) -> str:
    return stated.at or fallback


def _base(ctx: Context, key: str, figure: Figure) -> Decimal:
    if key != "change":
        return Decimal(1)
    return AMOUNT_UNITS[figure.unit or ctx.report.report.amount_unit]


def _compatible(a: Figure, base_a: Decimal, b: Figure, base_b: Decimal) -> bool:
    """Whether one figure can print as both: their rounding intervals (in base units) meet."""
    def interval(figure: Figure, base: Decimal) -> tuple[Decimal, Decimal]:
        half = Decimal(1).scaleb(-figure.places) / 2
        return (figure.value - half) * base, (figure.value + half) * base

    (low_a, high_a), (low_b, high_b) = interval(a, base_a), interval(b, base_b)
    return max(low_a, low_b) <= min(high_a, high_b)


def _statement(ctx: Context, line: Line, label: str, stated: Stated, loc: tuple) -> None:
    actual, previous, budget = line.actual, line.previous, line.budget
    slack = ctx.thresholds.rounding_slack
    if stated.change is not None and actual is not None and previous is not None:
        spread = (unit_of(actual) + unit_of(previous)) * slack
        point = actual - previous
        judge(ctx, "stated.change", (*loc, "change"), f"{label}写明的增减额与“本年数−上年数”不符", stated.change,
              point, (point - spread, point + spread), _base(ctx, "change", stated.change))
    for code, key, fn, other, what in (("stated.growth", "growth", calc.growth, previous, "增幅"),
                                       ("stated.execution", "execution", calc.execution, budget, "预算执行率")):
        figure = getattr(stated, key)
        point = fn(actual, other)
        if figure is None or point is None:
            continue
        bounds = ratio_range(fn, actual, unit_of(actual) * slack, other, unit_of(other) * slack)
        judge(ctx, code, (*loc, key), f"{label}写明的{what}与按本行数字计算的结果不符", figure, point, bounds,
              unit="%")


def judge(ctx: Context, code: str, loc: tuple, what: str, figure: Figure, point: Decimal,
          bounds: tuple[Decimal, Decimal] | None, base: Decimal = Decimal(1), unit: str = "") -> None:
    """A stated figure holds when ``point`` (in base units) rounds half-up to it at its printed
    precision and unit; one that only the 尾差 ``bounds`` of the figures reach is an 提示."""
    if figure.holds(point, base):
        return
    expected = f"{format(figure.shown(point, base), 'f')}{figure.unit or unit}"
    found = f"{figure}{'' if figure.unit else unit}"
    if bounds and figure.shown(bounds[0], base) <= figure.value <= figure.shown(bounds[1], base):
        ctx.add("rounding", loc, f"{what.removesuffix('不符')}相差在尾差范围内", expected, found)
    else:
        ctx.add(code, loc, what, expected, found)
