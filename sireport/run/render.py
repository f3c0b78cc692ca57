"""Library API for rendering: one call per report, used by the CLI and by batch.

>>> from sireport.run.render import render_file
>>> render_file("data_examples/hami-2019.yaml")          # doctest: +SKIP
PosixPath('output/哈密市-2019-社会保险基金支出绩效自评报告.docx')
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sireport.checks import EVALUATION, check_report, enforce
from sireport.data.kind import is_project, load_data
from sireport.word.engine import Engine
from sireport.errors import DataError
from sireport.figures.evaluation import evaluate_report
from sireport.figures.compute import Figures, compute
from sireport.data.load import LoadedReport
from sireport.data.model import Report
from sireport.files import check_writable, write_atomic
from sireport.word.search import builtin_dir, find_template, search_dirs
from sireport.data.thresholds_file import apply_thresholds

OUTPUT_DIR = Path("output")
log = logging.getLogger("sireport")


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
        "evaluation": None,  # the 附表 (a scored table), set by render_report when the data has one
    }


def make_engine(template: str | None = None) -> Engine:
    """The engine for ``template``, checked first (template_lint): errors stop here, safe
    repairs (split tags, curly quotes, full-width braces) are applied and logged."""
    from sireport.word.lint import prepare_template

    path, dirs = find_template(template), [*search_dirs(), builtin_dir()]
    checked = prepare_template(path, dirs)
    for repair in checked.repairs:
        log.warning("模板已自动修复：%s", repair)
    return Engine(path, dirs, source=checked.repaired)


def render_report(loaded: LoadedReport, engine: Engine, warnings: list | None = None,
                  figures: Figures | None = None) -> bytes:
    """Compute (unless ``figures`` are given) and render one loaded report into stamped .docx bytes.

    Warnings about the 附表 (sireport.figures.evaluation.Finding) are appended to ``warnings``.
    """
    return engine.render(report_context(loaded, figures or compute(loaded.report), warnings), stamped=True)


def report_context(loaded: LoadedReport, figures: Figures, warnings: list | None = None) -> dict[str, Any]:
    """The render context of a report, with its 附表 when the data has one."""
    context = build_context(loaded.report, figures)
    appendix = evaluate_report(loaded, figures)
    if appendix is not None:
        context["evaluation"] = appendix.table
        if warnings is not None:
            warnings.extend(appendix.findings)
    return context


def render_file(data: str | Path, output: str | Path | None = None, template: str | None = None,
                force: bool = False, xlsx: bool = False, warnings: list | None = None,
                strict: bool = False, thresholds: dict | None = None) -> Path:
    """Load ``data``, render it with ``template`` and write the report; return its path.

    A file with root key ``project:`` is a 项目支出绩效自评表 (sireport.run.project). With
    ``xlsx`` the 绩效自评表 is also written as .xlsx beside the .docx (same name).
    The checks of ``sireport check`` run first: errors (or warnings when ``strict``) raise
    CheckFailed before anything is written; other warnings are appended to ``warnings``.
    ``thresholds``: a bureau's overrides (:func:`sireport.data.thresholds_file.load_thresholds`).
    """
    loaded = apply_thresholds(load_data(data), thresholds)
    figures = None if is_project(loaded) else compute(loaded.report)
    found = run_checks(loaded, strict, figures)
    if warnings is not None:
        warnings.extend(found)
    if figures is None:
        from sireport.run.project import render_project

        return render_project(loaded, output, template, force, xlsx, warnings)
    target = docx_target(output, default_output(loaded.report))
    check_writable(target, force)  # fail before doing the work
    engine = make_engine(template)
    document = render_report(loaded, engine, warnings, figures)
    book = appendix_workbook(loaded, target, force) if xlsx else None
    write_atomic(target, document, force)
    if book is not None:
        write_atomic(book[0], book[1], force)
    return target


def run_checks(loaded: LoadedReport, strict: bool = False, figures: Figures | None = None) -> list:
    """The checks of ``sireport check`` before a render: raise CheckFailed on errors (or on
    warnings when ``strict``); return the other warnings. The 绩效自评表 reports its own
    errors (DataError) and warnings while it is rendered, so those are left out here.
    ``figures``: the report's computed figures, when the caller has them already."""
    findings = [f for f in check_report(loaded, figures=figures)
                if not (f.code.startswith(EVALUATION) and f.severity == "error")]
    enforce(findings, strict)
    return [f for f in findings if f.severity == "warning" and not f.code.startswith(EVALUATION)]


def docx_target(output: str | Path | None, default: Path) -> Path:
    """The .docx path for ``-o``: a file, a folder (default name inside) or a name without suffix."""
    target = Path(output) if output else default
    if target.suffix.lower() != ".docx":
        target = target / default.name if target.is_dir() or not target.suffix else target.with_suffix(".docx")
    return target


def appendix_workbook(loaded: LoadedReport, target: Path, force: bool) -> tuple[Path, bytes]:
    """The 附表 as .xlsx bytes and the path beside ``target``; DataError when there is no 附表."""
    from sireport.excel.evaluation_table import workbook_bytes

    appendix = evaluate_report(loaded, compute(loaded.report))
    if appendix is None:
        raise DataError(f"{loaded.source.name}：数据中没有 evaluation（绩效自评表），无法生成 Excel 附表；"
                        "请去掉 --xlsx 或补充 evaluation")
    path = target.with_suffix(".xlsx")
    check_writable(path, force)
    return path, workbook_bytes([appendix.table])
