"""The one base class of every data model (report, 绩效自评表, thresholds)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown keys are errors (a misspelt key must not be silently ignored); text is
    stripped of surrounding blanks; a field with a Chinese alias also takes its own name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)
