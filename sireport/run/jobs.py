"""What a batch sends to its workers and gets back: the settings (:class:`Job`) and one
unit's outcome (:class:`UnitResult`). Small and picklable; shared by the coordinating
process (sireport.run.batch) and the workers (sireport.run.worker)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sireport.findings import Finding

TIME_LIMIT = 120.0  # seconds per unit, by default (a unit renders in well under a second)

@dataclass(slots=True)
class UnitResult:
    """What happened to one unit: its report, its warnings, or why it failed."""

    source: str  # the input file (and the unit inside a workbook), as the user named it
    unit: str = ""
    year: int | None = None
    output: str | None = None
    warnings: list[Finding] = field(default_factory=list)  # emptied into BatchResult.warnings
    error: str | None = None  # why no report, as the clerk reads it (places, no key paths or rule codes)
    detail: str | None = None  # the same with key paths and rule codes (batch --verbose)
    problems: list[Finding] = field(default_factory=list)  # the error's itemized problems (for the 问题清单)
    figures: str | None = None  # key figures for the 汇总表 (sireport.excel.summary.key_figures)
    warning_count: int = 0
    pdf: str | None = None  # batch --pdf: the PDF beside the report (sireport.run.pdf_stage)
    pdf_error: str | None = None  # why the report has no PDF (the .docx is there)
    fonts: list[str] = field(default_factory=list)  # the fonts embedded in the PDF
    target: str | None = None  # the file name of its report, once loaded (the batch's duplicates: cross_units)
    places: tuple[str, str] = ("", "")  # where its name and its year were entered (file:line, sheet!cell)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Job:
    """The settings every worker needs (picklable, sent once per worker)."""

    output: Path
    template: str | None
    force: bool
    strict: bool = False  # warnings fail a unit too
    thresholds: Path | None = None  # the bureau's thresholds file (sireport.data.thresholds_file)
    time_limit: float | None = TIME_LIMIT  # seconds a unit may take before its worker is stopped
    stage: Path | None = None  # reports are written here, and moved into ``output`` once every unit is known


def failures(units: list[UnitResult]) -> list[tuple[list[UnitResult], str]]:
    """The failed units grouped by their reason, in input order: a reason shared by several
    units (two units with the same name: sireport.run.cross_units) is said once, for all."""
    groups: dict[str, list[UnitResult]] = {}
    for unit in units:
        if unit.error is not None:
            groups.setdefault(unit.error, []).append(unit)
    return [(same, error) for error, same in groups.items()]


def exit_on_term(signum: int, frame: Any) -> None:
    """SIGTERM in a helper process: unwind (write_atomic removes its temporary file) and exit."""
    raise SystemExit(128 + signum)
