"""Library API for rendering: one call per report, used by the CLI and by batch.

>>> from sireport.run.render import render_file
>>> render_file("data_examples/hami-2019.yaml")          # doctest: +SKIP
PosixPath('output/哈密市-2019-社会保险基金支出绩效自评报告.docx')
"""

from __future__ import annotations

from pathlib import Path

from sireport.checks import EVALUATION, check_report, enforce
from sireport.data.kind import is_project, load_data
from sireport.data.model import Report
from sireport.data.thresholds_file import apply_thresholds
from sireport.data.validate import LoadedReport
from sireport.errors import DataError, Problem, TemplateError
from sireport.excel.evaluation_table import workbook_bytes
from sireport.figures.compute import Figures, compute
from sireport.figures.evaluation import evaluate_project, evaluate_report
from sireport.files import check_writable, docx_target, write_atomic
from sireport.run.project import render_project
from sireport.word.context import build_context, project_context, report_context  # noqa: F401 (library API)
from sireport.word.engine import Engine
from sireport.word.lint import CheckResult
from sireport.word.prepare import make_engine
from sireport.word.search import builtin_dir, search_dirs

OUTPUT_DIR = Path("output")


def default_output(report: Report, directory: Path = OUTPUT_DIR) -> Path:
    """output/<单位>-<年度>-社会保险基金支出绩效自评报告.docx"""
    unit = report.report.unit.replace("/", "_").replace("\\", "_")
    return directory / f"{unit}-{report.report.year}-社会保险基金支出绩效自评报告.docx"


def render_report(loaded: LoadedReport, engine: Engine, warnings: list | None = None,
                  figures: Figures | None = None) -> bytes:
    """Compute (unless ``figures`` are given) and render one loaded report into stamped .docx bytes.

    Warnings about the 附表 (sireport.figures.evaluation.Finding) are appended to ``warnings``.
    """
    return engine.render(report_context(loaded, figures or compute(loaded.report), warnings), stamped=True)


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


def appendix_workbook(loaded: LoadedReport, target: Path, force: bool) -> tuple[Path, bytes]:
    """The 附表 as .xlsx bytes and the path beside ``target``; DataError when there is no 附表."""
    appendix = evaluate_report(loaded, compute(loaded.report))
    if appendix is None:
        raise DataError(f"{loaded.source.name}：数据中没有 evaluation（绩效自评表），无法生成 Excel 附表；"
                        "请去掉 --xlsx 或补充 evaluation")
    path = target.with_suffix(".xlsx")
    check_writable(path, force)
    return path, workbook_bytes([appendix.table])


def trial_render(result: CheckResult, data: str | Path) -> None:
    """``template check --data``: render the checked template once with real data (a fund
    report or a project table); an error is added to ``result``; nothing is written."""
    loaded = load_data(data)
    engine = Engine(result.template, [*search_dirs(), builtin_dir()], source=result.repaired)
    try:
        if is_project(loaded):
            engine.render(project_context(evaluate_project(loaded).table))
        else:
            render_report(loaded, engine)
    except TemplateError as exc:
        result.errors.append(Problem("", f"用数据 {data} 试生成时出错：{exc.message}"))
