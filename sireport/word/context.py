"""The render context: everything a template may use (described name by name in
sireport.word.context_types and docs/模板指南.md)."""

from __future__ import annotations

from typing import Any

from sireport.data.model import Report
from sireport.figures.compute import Figures
from sireport.figures.evaluation import Table


def build_context(report: Report, figures: Figures, evaluation: Table | None = None) -> dict[str, Any]:
    """Everything a report template may use (documented in docs/模板指南.md);
    ``evaluation``: the scored 附表, when the data has one."""
    return {
        "report": report.report,
        "text": report.text,
        "funds": figures.funds,
        "counted": figures.counted,
        "totals": figures.totals,
        "columns": [*figures.counted, figures.totals],
        "thresholds": figures.thresholds,
        "evaluation": evaluation,
    }


def project_context(table: Table) -> dict[str, Any]:
    """The render context of a stand-alone 项目支出绩效自评表 (the project-table template)."""
    return {"report": table, "t": table}
