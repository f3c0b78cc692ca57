"""No silent casts: a boolean is no number and a number is no date.

pydantic's lax mode reads ``true`` as 1 in a people count and ``0`` as 1970-01-01 in a
date field; a data file meaning either is wrong, so the models' fields refuse them
(:func:`refuse_silent_casts`, a before-validator on every field of the strict bases).
"""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from functools import cache
from typing import Any

NUMBER_TYPES = (int, float, Decimal)


def refuse_silent_casts(model: type, value: Any, field: str | None) -> Any:
    """``value`` for ``model.field``, or ValueError when pydantic would cast it silently."""
    if isinstance(value, bool):
        if "number" in _kinds(model, field):
            raise ValueError("bool_not_number")
    elif isinstance(value, NUMBER_TYPES) and "date" in _kinds(model, field):
        raise ValueError("number_not_date")
    return value


@cache
def date_fields(model: type) -> frozenset[str]:
    """The fields of ``model`` that take a date (where :func:`refuse_silent_casts` refuses a number)."""
    return frozenset(field for field in getattr(model, "model_fields", {}) if "date" in _kinds(model, field))


@cache
def _kinds(model: type, field: str | None) -> frozenset[str]:
    info = getattr(model, "model_fields", {}).get(field)
    if info is None:
        return frozenset()
    found: set[str] = set()
    todo = [info.annotation]
    while todo:
        kind = todo.pop()
        if kind in (int, float, Decimal):
            found.add("number")
        elif kind is dt.date:
            found.add("date")
        todo += typing.get_args(kind)
    return frozenset(found)
