"""One unit of a batch, in a worker process: load, check, compute, render, write.

Everything heavy (the data model, the docx engine) is imported here and not by
:mod:`sireport.batch`, so that the coordinating process stays small. Each process
compiles the template once (:func:`engine`) and reuses it for every unit it renders.
"""

from __future__ import annotations

import importlib.util
import signal
from pathlib import Path
from typing import Any, Iterator

from .batch import WORKBOOK_SUFFIXES, Job, UnitResult
from .errors import DataError, SireportError
from .fastload import load_fast
from .figures import Figures, compute
from .loader import LoadedReport, load_report
from .output import write_atomic
from .datakind import is_project
from .render import default_output, make_engine, render_report
from .summary import key_figures


def units_in(path: Path) -> Iterator[tuple[str, LoadedReport | SireportError]]:
    """Each unit of one input file, loaded (or the error that stopped it), with its label.

    A data file holds one unit. A workbook holds one unit, unless the Excel reader offers
    ``iter_workbook_units(path)`` (several units in one workbook): then one per unit.
    """
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        several = _workbook_units_reader()
        if several is not None:
            # INTEGRATION (excel): iter_workbook_units yields a LoadedReport, or a DataError
            # instance for a unit that cannot be read, per unit of the workbook.
            for number, loaded in enumerate(several(path), start=1):
                yield f"{path}#{number}", loaded
            return
        yield str(path), _load(load_report, path)
        return
    yield str(path), _load(load_fast, path)


def _workbook_units_reader() -> Any:
    """The Excel reader's multi-unit iterator, where the Excel reader provides one."""
    if importlib.util.find_spec("sireport.excel_in") is None:
        return None
    from . import excel_in

    return getattr(excel_in, "iter_workbook_units", None)


def _load(loader: Any, path: Path) -> LoadedReport | SireportError:
    try:
        return loader(path)
    except SireportError as exc:
        return exc
    except Exception as exc:  # an unreadable file must not stop the batch
        return DataError(f"{path}：无法读取（{type(exc).__name__}: {exc}）")


def run_checks(loaded: LoadedReport, figures: Figures) -> tuple[list[str], list[str]]:
    """Errors and warnings of one unit's data.

    CHECKS HOOK: ``sireport.checks.check_report(loaded)`` returns findings with a
    severity 'error' | 'warning' | 'info'. Wire it here: errors fail the unit (its report
    is not written), warnings are carried in the unit's result and the run summary.
    """
    return [], []


def process_unit(label: str, loaded: LoadedReport, job: Job) -> UnitResult:
    """Check, compute, render and write one unit; every failure ends up in the result."""
    if is_project(loaded):
        return _process_project(label, loaded, job)
    settings = loaded.report.report
    result = UnitResult(label, settings.unit, settings.year)
    try:
        figures = compute(loaded.report)
        errors, result.warnings = run_checks(loaded, figures)
        if errors:
            result.error = "数据检查未通过：" + "；".join(errors)
            return result
        target = default_output(loaded.report, job.output)
        findings: list = []
        data = render_report(loaded, engine(job), findings, figures)
        result.warnings += [str(finding) for finding in findings]
        result.output = str(write_atomic(target, data, job.force))
        result.figures = key_figures(figures)
    except SireportError as exc:
        result.error = str(exc)
    except Exception as exc:  # isolate the unit: the others must still render
        result.error = f"内部错误（{type(exc).__name__}: {exc}）"
    return result


def _process_project(label: str, loaded: LoadedReport, job: Job) -> UnitResult:
    """A 项目支出绩效自评表 among the inputs: rendered with its own (project) template."""
    from .project import render_project

    project = loaded.report.project
    result = UnitResult(label, project.project_name, project.year)
    findings: list = []
    try:
        result.output = str(render_project(loaded, job.output, None, job.force, False, findings))
    except SireportError as exc:
        result.error = str(exc)
    result.warnings = [str(finding) for finding in findings]
    return result


def process_file(path: Path, job: Job | None = None) -> list[UnitResult]:
    """All units of one input file (the task a worker runs)."""
    job = job or _JOB
    assert job is not None, "worker not initialised"
    results = []
    for label, loaded in units_in(path):
        if isinstance(loaded, SireportError):
            results.append(UnitResult(label, error=str(loaded)))
        else:
            results.append(process_unit(label, loaded, job))
    return results


_JOB: Job | None = None
_ENGINES: dict[str | None, Any] = {}


def engine(job: Job) -> Any:
    """The compiled template of this process (compiled once, reused for every unit)."""
    compiled = _ENGINES.get(job.template)
    if compiled is None:
        compiled = _ENGINES[job.template] = make_engine(job.template)
        compiled.compile()
    return compiled


def check_template(job: Job) -> None:
    """Compile the template (raises TemplateError saying where); the worker keeps it."""
    engine(job)


def init_worker(job: Job) -> None:
    """Worker start: remember the job; SIGINT is the parent's, SIGTERM cleans up and exits."""
    global _JOB
    _JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds write_atomic, which removes its temporary file
