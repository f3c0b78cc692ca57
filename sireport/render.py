"""Library API for rendering: one call per report, used by the CLI and by batch.

>>> from sireport.render import render_file
>>> render_file("data_examples/hami-2019.yaml")          # doctest: +SKIP
RenderResult(path=PosixPath('output/哈密市-2019-社会保险基金支出绩效自评报告.docx'), warnings=[...])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import Finding, check_report, enforce
from .engine import Engine
from .figures import Figures, compute
from .loader import LoadedReport, load_report
from .model import Report
from .output import check_writable, stamp, write_atomic
from .template_search import builtin_dir, find_template, search_dirs
from .thresholds_file import apply_thresholds

OUTPUT_DIR = Path("output")


def default_output(report: Report, directory: Path = OUTPUT_DIR) -> Path:
    """output/<单位>-<年度>-社会保险基金支出绩效自评报告.docx"""
    unit = report.report.unit.replace("/", "_").replace("\\", "_")
    return directory / f"{unit}-{report.report.year}-社会保险基金支出绩效自评报告.docx"


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
    }


def make_engine(template: str | None = None) -> Engine:
    return Engine(find_template(template), [*search_dirs(), builtin_dir()])


def render_report(loaded: LoadedReport, engine: Engine) -> bytes:
    """Compute and render one loaded report into stamped .docx bytes."""
    figures = compute(loaded.report)
    return stamp(engine.render(build_context(loaded.report, figures)))


@dataclass
class RenderResult:
    """What render_file wrote, and the check warnings that did not stop it."""

    path: Path
    warnings: list[Finding] = field(default_factory=list)


def render_file(data: str | Path, output: str | Path | None = None, template: str | None = None,
                force: bool = False, strict: bool = False, thresholds: dict | None = None) -> RenderResult:
    """Load and check ``data``, render it with ``template``, write the report.

    Check errors (or warnings when ``strict``) raise CheckFailed before anything is written.
    ``thresholds``: a bureau's overrides (:func:`sireport.thresholds_file.load_thresholds`).
    """
    loaded = apply_thresholds(load_report(data), thresholds)
    findings = check_report(loaded)
    enforce(findings, strict)
    target = Path(output) if output else default_output(loaded.report)
    if target.suffix.lower() != ".docx":
        target = target / default_output(loaded.report).name if target.is_dir() or not target.suffix \
            else target.with_suffix(".docx")
    check_writable(target, force)  # fail before doing the work
    engine = make_engine(template)
    path = write_atomic(target, render_report(loaded, engine), force)
    return RenderResult(path, [finding for finding in findings if finding.severity == "warning"])
