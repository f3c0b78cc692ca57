"""Jinja filters: numbers, units, signs and dates as a report displays them (docs/模板指南.md §8).

Filters format; they never choose words. Sentences live in the template and in its
macro file (``phrases.j2``). Amount and percentage decimals come from the report
settings (``report`` in the render context), rounding is half-up, prose never has
thousands separators, and a missing figure shows as "—", never as a blank or "None".
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any, Optional

from jinja2 import pass_context

from sireport.figures import calc, printed
from sireport.figures.printed import MISSING, dec, entered, fixed, plain


def _settings(ctx: Any) -> Any:
    return ctx["report"]


@pass_context
def wan(ctx: Any, value: Optional[Decimal]) -> str:
    """万元 figure for prose, e.g. ``167008``."""
    if value is None:
        return MISSING
    return _wan(value, _settings(ctx))


def _wan(value: Decimal, settings: Any) -> str:
    return fixed(value, settings.amount_decimals)


@pass_context
def cell(ctx: Any, value: Optional[Decimal]) -> str:
    """万元 figure for a table cell: signed, thousands separators if the report says so."""
    if value is None:
        return MISSING
    settings = _settings(ctx)
    return fixed(value, settings.amount_decimals, settings.thousands_separator)


@pass_context
def yi(ctx: Any, value: Optional[Decimal]) -> str:
    """亿元 figure from a 万元 amount, e.g. ``23.76``."""
    if value is None:
        return MISSING
    return _yi(value, _settings(ctx))


def _yi(value: Decimal, settings: Any) -> str:
    return fixed(calc.wan_to_yi(Decimal(value)), settings.yi_decimals)


@pass_context
def money(ctx: Any, value: Optional[Decimal], scope: str = "overview") -> str:
    """Amount with the prose unit of the report: ``23.76亿元`` or ``237563万元``.

    ``scope`` 'overview' uses ``report.prose_unit``; 'fund' (the fund paragraphs) uses
    ``report.fund_unit``, or ``prose_unit`` when that is not set, and writes an amount below
    ``report.yi_from`` 万元 in 万元 (``13万元``, not ``0.00亿元``).
    """
    if value is None:
        return MISSING
    settings = _settings(ctx)
    unit = settings.prose_unit if scope == "overview" else (settings.fund_unit or settings.prose_unit)
    if unit == "亿元" and (scope == "overview" or abs(value) >= settings.yi_from):
        return _yi(value, settings) + "亿元"
    return _wan(value, settings) + "万元"


@pass_context
def heads(ctx: Any, value: Optional[int], unit: str = "人", like: Optional[int] = None) -> str:
    """A count of people with its unit: ``34962人``, or ``3.50万人`` when the report writes large
    counts in 万 (``report.people_unit`` 万人, from ``report.people_wan_from``; printed.heads).
    ``like``: the count a change belongs to, whose size decides the unit (“增加0.12万人”)."""
    return printed.heads(value, unit, _settings(ctx), like)


@pass_context
def pct(ctx: Any, value: Optional[Decimal]) -> str:
    """Percentage with the report's decimals and a % sign, e.g. ``5.29%`` (table: signed)."""
    if value is None:
        return MISSING
    return fixed(value, _settings(ctx).percent_decimals) + "%"


def num(value: Optional[int]) -> str:
    """A count of people (no separators in prose)."""
    return MISSING if value is None else str(value)


def absolute(value: Any) -> Any:
    """Absolute value that keeps Decimal exact (Jinja's ``abs`` does too; this one allows None)."""
    return None if value is None else abs(value)


_DIGITS = "零一二三四五六七八九"


@functools.lru_cache(maxsize=256)
def cn_number(value: int) -> str:
    """1 → 一, 12 → 十二 (for （一） and 一、 numbering); each number converted once per process.

    1 to 99, all that headings need, are written here; other numbers by cn2an, imported only
    then: importing it costs ~0.3 s of CPU in every process (a batch worker, one render)."""
    number = int(value)
    if 0 < number < 100:
        tens, ones = divmod(number, 10)
        return (f"{'' if tens == 1 else _DIGITS[tens]}十" if tens else "") + (_DIGITS[ones] if ones else "")
    from cn2an import an2cn  # imported on first use: cn2an is slow to import

    return an2cn(number)


@pass_context
def daxie(ctx: Any, value: Optional[Decimal]) -> str:
    """人民币大写 of a 万元 amount: ``玖万捌仟捌佰贰拾贰元整``."""
    from cn2an import an2cn  # imported on first use: cn2an is slow to import

    if value is None:
        return MISSING
    yuan = calc.round_half_up(Decimal(value) * calc.TEN_THOUSAND, 2)
    return an2cn(str(yuan), "rmb")


def cn_date(value: Optional[dt.date]) -> str:
    """2020-09-10 → 2020年9月10日."""
    if value is None:
        return MISSING
    return f"{value.year}年{value.month}月{value.day}日"


def paragraphs(text: Optional[str]) -> list[str]:
    """Split free text into paragraphs (one per non-empty line)."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


FILTERS = {
    "wan": wan,
    "cell": cell,
    "yi": yi,
    "money": money,
    "heads": heads,
    "entered": entered,
    "pct": pct,
    "dec": dec,
    "num": num,
    "plain": plain,
    "absolute": absolute,
    "cn": cn_number,
    "daxie": daxie,
    "cn_date": cn_date,
    "paras": paragraphs,
}


class Numbering:
    """Continuous heading numbers: parts 一、二、…, sub-parts （一）…, items 1. 2. …

    A template calls ``n.part()``, ``n.sub()`` and ``n.item()``; a section dropped from the
    template (or a fund absent from the data) leaves no gap in the numbering.
    """

    def __init__(self) -> None:
        self._part = self._sub = self._item = 0

    def part(self) -> str:
        self._part += 1
        self._sub = self._item = 0
        return cn_number(self._part)

    def sub(self) -> str:
        self._sub += 1
        self._item = 0
        return cn_number(self._sub)

    def item(self) -> int:
        self._item += 1
        return self._item
