"""The render context: everything a template may use (described name by name in
sireport.word.context_types and docs/模板指南.md)."""

from __future__ import annotations

from typing import Any

from sireport.data.model import Report
from sireport.data.validate import LoadedReport
from sireport.figures.compute import Figures
from sireport.figures.evaluation import Table, evaluate_report


def build_context(report: Report, figures: Figures) -> dict[str, Any]:
    """Everything a template may use (documented in docs/模板指南.md)."""
    return {
        "report": report.report,
        "text": report.text,
        "funds": figures.funds,
        "counted": figures.counted,
        "totals": figures.totals,
        "columns": [*figures.counted, figures.totals],
        "thresholds": figures.thresholds,
        "evaluation": None,  # the 附表 (a scored table), set by render_report when the data has one
    }


def project_context(table: Table) -> dict[str, Any]:
    """The render context of a stand-alone 项目支出绩效自评表 (the project-table template)."""
    return {"report": table, "t": table}


def report_context(loaded: LoadedReport, figures: Figures, warnings: list | None = None) -> dict[str, Any]:
    """The render context of a report, with its 附表 when the data has one."""
    context = build_context(loaded.report, figures)
    appendix = evaluate_report(loaded, figures)
    if appendix is not None:
        context["evaluation"] = appendix.table
        if warnings is not None:
            warnings.extend(appendix.findings)
    return context
