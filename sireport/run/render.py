"""Render one data file: a fund report or a stand-alone project table, decided here and
only here (render, batch, check and template check all come through :func:`prepare`).

>>> from sireport.run.render import render
>>> render("data_examples/hami-2019.yaml").path          # doctest: +SKIP
PosixPath('output/哈密市-2019-社会保险基金支出绩效自评报告.docx')

Per render the figures are computed once, the 绩效自评表 is scored once (its findings
join the checks'; its table goes to the .docx and, with ``xlsx``, to the .xlsx) and the
template is found, checked and compiled once (:func:`sireport.word.prepare.make_engine`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sireport.checks import check_report, enforce
from sireport.data.kind import is_project, load_data
from sireport.data.model import Report
from sireport.data.thresholds_file import Overrides, apply_thresholds
from sireport.data.validate import LoadedReport
from sireport.errors import DataError, Problem, TemplateError
from sireport.figures.compute import Figures
from sireport.figures.unit import Scored, score_unit
from sireport.files import check_writable, docx_target, safe_name, write_all
from sireport.findings import Finding
from sireport.prose import lint_body
from sireport.word.context import build_context, project_context
from sireport.word.engine import Engine
from sireport.word.lint import CheckResult
from sireport.word.prepare import make_engine
from sireport.word.search import builtin_dir, search_dirs

if TYPE_CHECKING:  # a render converts to PDF only when asked (a batch's workers never do)
    from sireport.pdf import PdfResult

OUTPUT_DIR = Path("output")
APPENDIX_ERROR = "evaluation.error"  # raised as the 附表's DataError, after the checks
PROJECT_TEMPLATE = "project-table"  # a project table's template unless one is given


@dataclass
class Prepared:
    """One loaded unit made ready to render: figures, the scored 附表, findings, context."""

    loaded: LoadedReport
    scored: Scored
    findings: list[Finding]  # the checks' and the 附表's, errors first (most 提示 not worked out; warnings drops the rest)
    context: dict[str, Any] = field(repr=False)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@dataclass
class Rendered:
    """What a render wrote: the .docx, the .xlsx 附表 (with ``xlsx``), the warnings."""

    path: Path
    findings: list[Finding]  # the warnings (errors stop a render; infos are left out), the prose linter's last
    workbook: Path | None = None
    figures: Figures | None = field(default=None, repr=False)  # a fund report's figures
    pdf: PdfResult | None = None  # with ``pdf``: the PDF beside the .docx, or why there is none


def prepare(loaded: LoadedReport, *, strict: bool = False, checked: bool = True) -> Prepared:
    """Compute, score the 附表 (:func:`sireport.figures.unit.score_unit`) and check one
    unit, then build its render context. Check errors (or warnings when ``strict``) raise
    CheckFailed; then errors of the 附表 raise DataError. ``checked=False`` (a template's
    trial render) leaves the checks out."""
    scored = score_unit(loaded)
    findings: list[Finding] = []
    if checked:
        findings = [f for f in check_report(loaded, scored=scored, infos=False) if f.code != APPENDIX_ERROR]
        enforce(findings, strict)
    if scored.failure is not None:
        raise scored.failure
    if scored.is_project:
        context = project_context(scored.appendix.table)
    else:
        context = build_context(loaded.report, scored.figures, scored.appendix.table if scored.appendix else None)
    return Prepared(loaded, scored, findings, context)


def render(data: str | Path, *, template: str | None = None, out: str | Path | None = None,
           force: bool = False, strict: bool = False, xlsx: bool = False,
           thresholds: Overrides | None = None, pdf: bool = False) -> Rendered:
    """Load ``data``, check it, render it with ``template`` and write the document.

    A file with root key ``project:`` is a 项目支出绩效自评表 (its template defaults to
    ``project-table``). ``out``: a .docx path or a folder (default ``output/``). With
    ``xlsx`` the 绩效自评表 is also written as .xlsx beside the .docx (same name). Errors
    (or warnings when ``strict``) raise before anything is written; a file edited by hand
    since it was written is not replaced unless ``force``. ``thresholds``: a bureau's
    overrides (:func:`sireport.data.thresholds_file.load_thresholds`). With ``pdf`` the
    document is also converted to PDF beside it (:func:`sireport.pdf.convert_one`); a
    missing LibreOffice or a failed conversion is in ``Rendered.pdf.error``, the .docx stays.
    """
    loaded = apply_thresholds(load_data(data), thresholds)
    rendered = render_loaded(loaded, template=template, project_template=template, out=out, force=force,
                             strict=strict, xlsx=xlsx)
    if pdf:
        from sireport.pdf import convert_one  # deferred: LibreOffice's driver, only for --pdf (not in batch workers)

        rendered.pdf = convert_one(rendered.path)
    return rendered


def render_loaded(loaded: LoadedReport, *, template: str | None = None, project_template: str | None = None,
                  out: str | Path | None = None, folder: Path = OUTPUT_DIR, force: bool = False,
                  strict: bool = False, xlsx: bool = False,
                  engines: Callable[[str | None], Engine] = make_engine, stage: Path | None = None) -> Rendered:
    """Render one loaded unit (render and each unit of a batch): ``template`` for a fund
    report, ``project_template`` for a project table; the document goes to ``out``, or
    under its default name into ``folder``; ``engines`` gives the engine of a template
    name (a batch worker passes the ones it compiled already). ``stage``: the files are
    checked against their target but written under the same names into this folder (a
    batch moves them into place once every unit is known: sireport.run.batch)."""
    target = docx_target(out, default_path(loaded, folder))
    book = target.with_suffix(".xlsx") if xlsx else None
    for path in (target, book):
        if path is not None:
            check_writable(path, force)  # fail before doing the work
    prepared = prepare(loaded, strict=strict)
    scored = prepared.scored
    if book is not None and scored.appendix is None:
        raise DataError(f"{loaded.source.name}：数据中没有 evaluation（绩效自评表），无法生成 Excel 附表；"
                        "请去掉 --xlsx 或补充 evaluation")
    name = (project_template or PROJECT_TEMPLATE) if scored.is_project else template
    document = engines(name).render_document(prepared.context, stamped=True)
    workbook = None
    if book is not None:
        from sireport.excel.evaluation_table import workbook_bytes  # deferred: only --xlsx pays for openpyxl

        workbook = workbook_bytes([scored.appendix.table])
    if stage is not None:
        target, book = stage / target.name, book and stage / book.name
    write_all([(target, document), *([(book, workbook)] if book is not None else [])], force)
    return Rendered(target, prepared.warnings + lint_body(document.body), book, scored.figures)


def default_path(loaded: LoadedReport, folder: Path = OUTPUT_DIR) -> Path:
    """Where a unit's document goes by default: its report's or project table's name in ``folder``."""
    if is_project(loaded):
        project = loaded.report.project
        return default_project_output(project.project_name, project.year, folder)
    return default_output(loaded.report, folder)


def default_output(report: Report, directory: Path = OUTPUT_DIR) -> Path:
    """output/<单位>-<年度>-社会保险基金支出绩效自评报告.docx"""
    return directory / safe_name(report.report.unit, f"-{report.report.year}-社会保险基金支出绩效自评报告.docx")


def default_project_output(name: str, year: int, directory: Path = OUTPUT_DIR) -> Path:
    """output/<项目名称>-<年度>-项目支出绩效自评表.docx"""
    return directory / safe_name(name, f"-{year}-项目支出绩效自评表.docx")


def trial_render(result: CheckResult, data: str | Path) -> None:
    """``template check --data``: render the checked template once with real data (a fund
    report or a project table); an error is added to ``result``; nothing is written."""
    prepared = prepare(load_data(data), checked=False)
    engine = Engine(result.template, [*search_dirs(), builtin_dir()], source=result.repaired)
    try:
        engine.render(prepared.context)
    except TemplateError as exc:
        result.errors.append(Problem("", f"用数据 {data} 试生成时出错：{exc.message}"))
