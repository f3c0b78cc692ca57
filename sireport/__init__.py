"""sireport: 社会保险基金支出绩效自评报告 from data, correct figures, official layout.

The library API; every command of the CLI is one call here::

    >>> import sireport
    >>> rendered = sireport.render("data_examples/hami-2019.yaml")          # doctest: +SKIP
    >>> rendered.path, [str(f) for f in rendered.findings]                 # doctest: +SKIP
    >>> results = sireport.check(["data_examples/hami-2019.yaml"])          # doctest: +SKIP
    >>> result = sireport.batch(["各县/"], out="报告/")                       # doctest: +SKIP

Flags are keyword-only; results are returned. Problems the user can fix raise
:class:`sireport.errors.SireportError` (a Chinese message saying where). Each function
imports its stage when it is called, so that ``import sireport`` and the CLI's start-up
stay light (the batch coordinator never loads the data model or the docx engine).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sireport.run.jobs import TIME_LIMIT

if TYPE_CHECKING:
    from sireport.audit import AuditResult
    from sireport.checks import FileFindings
    from sireport.data.thresholds_file import Overrides
    from sireport.pdf.fonts import Face
    from sireport.run.batch import BatchResult
    from sireport.run.render import Rendered
    from sireport.run.rollup import RolledUp
    from sireport.word.lint import CheckResult
    from sireport.word.search import TemplateEntry

__version__ = "0.1.0"
__all__ = ["render", "check", "audit_reports", "batch", "fonts", "rollup", "convert", "new_workbook", "next_year", "schema",
           "list_templates", "check_template", "export_template"]

PathLike = str | Path


def render(data_path: PathLike, *, template: str | None = None, out: PathLike | None = None,
           force: bool = False, strict: bool = False, xlsx: bool = False,
           thresholds: PathLike | None = None, pdf: bool = False) -> Rendered:
    """Check a data file and write its report (or its 项目支出绩效自评表, for a file whose
    root key is ``project:``); return the path written and the warnings.

    ``template``: a name on the search path or a .docx path; ``out``: a .docx path or a
    folder (default ``output/``); ``force``: replace a report edited by hand; ``strict``:
    warnings stop it too; ``xlsx``: also write the 绩效自评表 as .xlsx beside it;
    ``thresholds``: a bureau's thresholds file (docs/阈值配置.md); ``pdf``: also convert
    it to PDF beside it (docs/PDF输出.md; ``Rendered.pdf`` says how it went).
    """
    from sireport.run.render import render as render_data  # deferred (see the module docstring)

    return render_data(data_path, template=template, out=out, force=force, strict=strict, xlsx=xlsx,
                       thresholds=_overrides(thresholds), pdf=pdf)


def check(data_paths: Iterable[PathLike], *, template: str | None = None,
          thresholds: PathLike | None = None) -> list[FileFindings]:
    """Check data files without rendering (docs/检查规则.md); one result per file, never
    stopping at a bad one. ``template``: also list what it needs that the data leaves empty."""
    from sireport.checks import check_files  # deferred (see the module docstring)
    from sireport.word.lint import template_variables
    from sireport.word.search import find_template

    needs = template_variables(find_template(template)) if template else None
    return check_files(list(data_paths), template_vars=needs, thresholds=_overrides(thresholds))


def audit_reports(reports: Iterable[PathLike], *, data: PathLike | None = None, annotate: PathLike | None = None,
          force: bool = False) -> list[AuditResult]:
    """Audit Word reports (.docx, or .pdf) for the figures they state (docs/审核.md); one result per
    report. ``data``: also check them against this data file; ``annotate``: write a copy of the
    one report with a Word comment on each finding (``AuditResult.annotated``), replacing an
    existing copy only with ``force``."""
    from sireport.audit import annotate as write_comments  # deferred (see the module docstring)
    from sireport.audit import audit_files
    from sireport.errors import ConfigError

    reports = list(reports)
    if annotate is not None and len(reports) != 1:
        raise ConfigError(f"带批注的副本只能为一份报告写出（给出了 {len(reports)} 份）")
    results = audit_files(reports, data)
    if annotate is not None:
        results[0].annotated = write_comments(reports[0], annotate, results[0].marks(), force=force)
    return results


def batch(inputs: Iterable[PathLike], *, out: PathLike = "output", jobs: int | None = None,
          template: str | None = None, force: bool = False, strict: bool = False,
          thresholds: PathLike | None = None, time_limit: float | None = TIME_LIMIT,
          progress: bool | None = None, pdf: bool = False) -> BatchResult:
    """Render every unit in folders, data files and workbooks, in parallel, with the 汇总表
    and 问题清单 (docs/批量生成.md). A unit's failure is in its result, never raised.
    ``time_limit``: seconds a unit may take (None: no limit); ``progress``: show a
    progress bar (default: when stderr is a terminal); ``pdf``: also convert each report to
    PDF beside it, by ``jobs`` warm LibreOffice converters (docs/PDF输出.md)."""
    from sireport.run.batch import run_batch  # deferred (see the module docstring)

    return run_batch(inputs, out, jobs, template, force, progress=progress, strict=strict, thresholds=thresholds,
                     time_limit=time_limit, pdf=pdf)


def fonts(*, templates: Iterable[str] = ()) -> list[Face]:
    """The faces the templates name (default: every built-in template), whether this machine
    has each, and the font that stands in for it in a PDF (docs/PDF输出.md)."""
    from sireport.pdf.fonts import font_report  # deferred (see the module docstring)
    from sireport.word.search import builtin_template_paths, find_template

    return font_report([find_template(name) for name in templates] or builtin_template_paths())


def rollup(inputs: Iterable[PathLike], *, out: PathLike, unit: str | None = None,
           force: bool = False) -> RolledUp:
    """Sum the counties' data into the prefecture's data file (YAML); return the file, the
    number of units and the cross-unit findings."""
    from sireport.run.rollup import rollup_files  # deferred (see the module docstring)

    return rollup_files(inputs, out, unit, force)


def convert(source: PathLike, target: PathLike, *, force: bool = False) -> Path:
    """Convert a data file between YAML, JSON and the Excel entry workbook, without loss."""
    from sireport.data.save import convert_file  # deferred (see the module docstring)

    return convert_file(source, target, force)


def new_workbook(path: PathLike, *, funds: Iterable[str] | None = None, force: bool = False) -> Path:
    """Write an empty Excel entry workbook (default: all eight funds)."""
    from sireport.excel.skeleton import init_workbook  # deferred (see the module docstring)

    return init_workbook(path, funds, force)


def next_year(source: PathLike, *, out: PathLike | None = None, force: bool = False) -> Path:
    """Write next year's data file from last year's (last year's figures filled in)."""
    from sireport.run.next_year import next_year_file  # deferred (see the module docstring)

    return next_year_file(source, out, force)


def schema() -> dict[str, Any]:
    """The JSON Schema of the data files (a report or a project table), Draft 2020-12."""
    from sireport.data.schema import json_schema  # deferred (see the module docstring)

    return json_schema()


def list_templates() -> list[TemplateEntry]:
    """The templates on the search path, in the order they are looked up (docs/模板指南.md)."""
    from sireport.word.search import list_templates as listed  # deferred (see the module docstring)

    return listed()


def check_template(path: PathLike, *, data: PathLike | None = None, fix: PathLike | None = None) -> CheckResult:
    """Check a .docx template (docs/模板指南.md); with ``data``, render it once as well
    (nothing is written). The result lists errors and safe repairs. ``fix``: write the
    template with the safe repairs made to this new file (never over an existing one)."""
    from sireport.run.render import trial_render  # deferred (see the module docstring)
    from sireport.word.lint import check_template as lint
    from sireport.word.lint import write_fixed

    result = lint(path)
    if data is not None and result.ok:
        trial_render(result, data)
    if fix is not None:
        write_fixed(result, fix)
    return result


def export_template(name: str, target: PathLike, *, force: bool = False) -> list[Path]:
    """Copy a template and its phrases.j2 for editing in Word; return the files written."""
    from sireport.word.search import export_template as export  # deferred (see the module docstring)

    return export(name, target, force)


def _overrides(thresholds: PathLike | None) -> Overrides | None:
    from sireport.data.thresholds_file import load_thresholds  # deferred (see the module docstring)

    return load_thresholds(thresholds) if thresholds else None
