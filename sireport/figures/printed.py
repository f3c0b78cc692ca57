"""A figure as a report prints it, and as a reader finds it again in the text.

One place decides the printed form: decimals rounded half-up (never "-0"), a figure as
entered without trailing zeros, the mark of a missing figure, the units a figure is
printed in and the pattern of a printed figure with its unit. The template filters
(:mod:`sireport.word.filters`), the 附表 messages, the prose linter and the audit's
grammar all use these, so what one writes the others read.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from decimal import Decimal
from typing import Any, Optional, Union

from sireport.data.figure import UNITS as FIGURE_UNITS
from sireport.data.figure import in_wan
from sireport.figures import calc

MISSING = "—"  # a figure the data does not have: never a blank or "None"

# unit as printed -> (kind, factor to the kind's base unit), from the one table (data.figure.UNITS)
UNITS: dict[str, tuple[str, Decimal]] = {unit: value for unit, value in FIGURE_UNITS.items() if value[0] != "households"}
NUMBER_PATTERN = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # 167008, -1.87, 1,091,628.50


def figure_pattern(kinds: Collection[str] | None = None) -> re.Pattern:
    """A printed figure: its number (not the tail of a longer one) and the unit after it. With
    ``kinds`` (money, pct, months, people, visits) only figures printed in a unit of those kinds;
    without, any number, its unit if it has one."""
    units = [unit for unit, (kind, _) in UNITS.items() if kinds is None or kind in kinds]
    alternation = "|".join(sorted(map(re.escape, units), key=len, reverse=True))  # longest first: 万元 before 元
    return re.compile(rf"(?<![\d.])(?P<number>{NUMBER_PATTERN})\s*(?P<unit>{alternation}){'?' if kinds is None else ''}")


FIGURE = figure_pattern()


def fixed(value: Decimal, places: int, grouping: bool = False) -> str:
    """``value`` with ``places`` decimals, rounded half-up; thousands separators if ``grouping``."""
    rounded = calc.round_half_up(Decimal(value), places)
    if not rounded:
        rounded = abs(rounded)  # never "-0"
    return f"{rounded:,.{places}f}" if grouping else format(rounded, "f")  # quantized: ``places`` decimals


def dec(value: Optional[Decimal], places: int = 2) -> str:
    """A plain figure with ``places`` decimals (months payable, per-capita 元)."""
    if value is None:
        return MISSING
    return fixed(value, places)


def plain(value: Optional[Union[Decimal, int]]) -> str:
    """A figure as entered, without trailing zeros: 95 → ``95``, 99.50 → ``99.5``."""
    if value is None:
        return MISSING
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def heads(value: Optional[Union[Decimal, int]], unit: str, settings, like: Optional[Union[Decimal, int]] = None) -> str:
    """A count of people with its unit: ``34962人``, or ``3.50万人`` when the report writes large
    counts in 万 (``settings.people_unit`` 万人, from ``settings.people_wan_from``). ``like``: the
    count a change belongs to, whose size decides the unit (“增加0.12万人”)."""
    if value is None:
        return MISSING
    if _written_in_wan(value if like is None else like, unit, settings):
        return fixed(Decimal(value) / calc.TEN_THOUSAND, settings.people_decimals) + "万" + unit
    return f"{value}{unit}"


def heads_read(value: Union[Decimal, int], unit: str, settings) -> Decimal:
    """The count a reader reads in :func:`heads`' text, in ``unit``: 34990 printed 3.50万人 reads 35000."""
    if _written_in_wan(value, unit, settings):
        return calc.round_half_up(Decimal(value) / calc.TEN_THOUSAND, settings.people_decimals) * calc.TEN_THOUSAND
    return Decimal(value)


def _written_in_wan(size: Union[Decimal, int], unit: str, settings) -> bool:
    return settings.people_unit == "万人" and abs(size) >= settings.people_wan_from and not in_wan(unit)


def entered(value: Any, unit: str = "") -> str:
    """A value as entered: text ("99%以上") unchanged, a number without trailing zeros with ``unit`` (``99%``)."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    return plain(value) + unit
