"""The one base class of every data model (report, 绩效自评表, thresholds)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from sireport.data.casts import NUMBER_TYPES, date_fields, refuse_silent_casts


class Strict(BaseModel):
    """Unknown keys are errors (a misspelt key must not be silently ignored); text is
    stripped of surrounding blanks; a boolean is no number and a number no date; a field with a Chinese alias also takes its own name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_silent_casts(cls, value: Any, info: ValidationInfo) -> Any:
        """No boolean as a number, no number as a date (sireport.data.casts). Most values are
        neither a boolean nor a number in a date field: they are told apart before the call."""
        if isinstance(value, NUMBER_TYPES) and (value.__class__ is bool or info.field_name in date_fields(cls)):
            return refuse_silent_casts(cls, value, info.field_name)
        return value
