"""What every command computes first for one unit: a fund report's figures and its scored
绩效自评表, or a project table's scored table. The one place that tells the two kinds apart
(render, batch, check and the template check all start here)."""

from __future__ import annotations

from dataclasses import dataclass

from sireport.data.kind import is_project
from sireport.data.validate import LoadedReport
from sireport.errors import DataError
from sireport.figures.compute import Figures, compute
from sireport.figures.evaluation import Evaluated, evaluate_project, evaluate_report
from sireport.findings import Finding


@dataclass
class Scored:
    """A unit's figures and its scored 附表."""

    figures: Figures | None  # a fund report's; None for a project table (it has no fund figures)
    appendix: Evaluated | None  # None when the data has no 附表, or when it has errors
    failure: DataError | None = None  # the 附表's errors: a render raises them, a check lists them

    @property
    def is_project(self) -> bool:
        return self.figures is None

    @property
    def findings(self) -> list[Finding]:
        """The 附表's findings, its errors included (``evaluation.error``)."""
        if self.failure is not None:
            return [Finding("evaluation.error", "error", p.where, p.message) for p in self.failure.problems]
        return self.appendix.findings if self.appendix is not None else []


def score_unit(loaded: LoadedReport, figures: Figures | None = None) -> Scored:
    """Compute a fund report's figures (unless given) and score its 附表; a project table
    (root key ``project:``) has only its table."""
    if is_project(loaded):
        figures = None
    elif figures is None:
        figures = compute(loaded.report)
    try:
        appendix = evaluate_project(loaded) if figures is None else evaluate_report(loaded, figures)
    except DataError as exc:
        return Scored(figures, None, exc)
    return Scored(figures, appendix)


def evaluation_findings(loaded: LoadedReport, figures: Figures | None = None) -> list[Finding]:
    """Every finding about the 绩效自评表 of a report or project file, errors included."""
    return score_unit(loaded, figures).findings
