"""A figure as a report prints it: its value, its unit and its printed precision.

"1.19亿元", "103.20", "99.17%", "2.40万人": the decimals written are the precision the
figure was rounded to, and the unit says what it counts. A stated figure keeps both
through YAML, JSON and the workbook (it is written back as the same text), and a
statement holds when the computed figure, converted to the stated unit and rounded
half-up to the stated decimals, is the stated value (:meth:`Figure.holds`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from sireport.data.rounding import round_half_up

# The one table of units: unit -> (kind, how many of the kind's base unit it is: 万元, %, persons,
# person-times, households, months). A data file states figures in the units of every kind but
# months (STATED_KINDS); a report prints, and the audit and the prose linter read, every kind but
# households (figures.printed).
UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("money", Decimal("0.0001")), "万元": ("money", Decimal(1)), "亿元": ("money", Decimal(10000)),
    "%": ("pct", Decimal(1)),
    "人": ("people", Decimal(1)), "名": ("people", Decimal(1)), "人次": ("visits", Decimal(1)),
    "户": ("households", Decimal(1)), "万人": ("people", Decimal(10000)), "万名": ("people", Decimal(10000)),
    "万人次": ("visits", Decimal(10000)), "万户": ("households", Decimal(10000)),
    "个月": ("months", Decimal(1)),
}
STATED_KINDS = frozenset({"money", "pct", "people", "visits", "households"})


def units_of(*kinds: str) -> dict[str, Decimal]:
    """The units of ``kinds``, each with its factor to the kind's base unit."""
    return {unit: factor for unit, (kind, factor) in UNITS.items() if kind in kinds}


AMOUNT_UNITS = units_of("money")
PERCENT_UNITS = units_of("pct")


def in_wan(unit: str) -> bool:
    """Whether a count's unit is in 万 (万人, 万名, 万人次, 万户): the one place that says so."""
    return unit.strip().startswith("万")


def persons_per(unit: str) -> Decimal:
    """How many persons (person-times, households) one of ``unit`` is: 10000 for 万人, 万名, 万人次; else 1."""
    return Decimal(10000) if in_wan(unit) else Decimal(1)


_UNIT_TEXT = "|".join(sorted((re.escape(u) for u in units_of(*STATED_KINDS)), key=len, reverse=True))
FIGURE_TEXT = rf"^\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*({_UNIT_TEXT}|％)?\s*$"
_FIGURE = re.compile(FIGURE_TEXT)


@dataclass(frozen=True)
class Figure:
    """A printed figure: ``value`` with its trailing zeros, ``unit`` ("" = the field's own unit)."""

    value: Decimal
    unit: str = ""

    @property
    def places(self) -> int:
        exponent = self.value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0

    def shown(self, computed: Decimal, base: Decimal = Decimal(1)) -> Decimal:
        """``computed`` (in base units, ``base`` per unit of this figure) as this figure prints it."""
        return round_half_up(computed / base, self.places)

    def holds(self, computed: Decimal, base: Decimal = Decimal(1)) -> bool:
        return self.shown(computed, base) == self.value

    def __str__(self) -> str:
        return f"{format(self.value, 'f')}{self.unit}"


def parse(value: Any) -> Figure:
    """A number or a text such as "1.19亿元" as a :class:`Figure`; anything else is an error."""
    if isinstance(value, Figure):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise PydanticCustomError("figure_type", "a number, or a number with its unit")
    if isinstance(value, (int, Decimal)):
        return Figure(Decimal(value))
    if isinstance(value, float):
        return Figure(Decimal(repr(value)))
    match = _FIGURE.match(value)
    if match is None:
        raise PydanticCustomError("figure_parsing", "a number, or a number with its unit")
    return Figure(Decimal(match.group(1)), (match.group(2) or "").replace("％", "%"))


def plain(figure: Figure) -> Any:
    """How a figure is written to a file: a number when a number keeps it exactly (no unit, no
    trailing zero a float would drop), else the text it was printed as ("103.20", "1.19亿元")."""
    text = format(figure.value, "f")
    if not figure.unit and not (figure.places and text.endswith("0")):
        return figure.value
    return str(figure)


StatedFigure = Annotated[
    Figure, PlainValidator(parse), PlainSerializer(plain),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": FIGURE_TEXT}]}),
]
"""A figure as the report states it: a number, or a number with its unit ("1.19亿元", "99.17%")."""
