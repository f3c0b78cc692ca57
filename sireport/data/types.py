"""The scalar types of the data format, as strict as the JSON Schema that describes them.

pydantic's lax mode takes ``true`` for an integer, ``1`` or ``"yes"`` for a flag and a
number of seconds for a date; an editor validating with ``sireport schema`` would reject
those, so the loader rejects them too (the schema describes exactly what loads).
Amounts stay lax: a number, or a number written as text (``"1.50"``), which keeps its
written decimals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

# The numbers pydantic's Decimal accepts when written as text (surrounding blanks allowed).
NUMBER_TEXT = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"

Whole = Annotated[int, Strict()]
"""An integer written as an integer (not ``true``, not ``"3"``, not ``3.5``)."""

Flag = Annotated[bool, Strict()]
"""``true`` or ``false``: the Excel reader turns 是/否 into these before validation."""


def _not_a_number(value: Any) -> Any:
    if isinstance(value, (bool, int, float, Decimal)):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


Day = Annotated[dt.date, BeforeValidator(_not_a_number),
                WithJsonSchema({"type": "string", "format": "date"})]
"""A date written ``2020-09-10`` (a number is not read as seconds since 1970)."""
