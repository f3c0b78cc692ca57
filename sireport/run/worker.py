"""One unit of a batch, in a worker process: load, check, compute, render, write.

Everything heavy (the data model, the docx engine) is imported here and not by
:mod:`sireport.run.batch`, so that the coordinating process stays small. Each process
compiles the template once (:func:`engine`) and reuses it for every unit it renders.
"""

from __future__ import annotations

import contextlib
import gc
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sireport.data import WORKBOOK_SUFFIXES
from sireport.data.kind import is_project, load_data
from sireport.data.load import LoadedReport
from sireport.data.thresholds_file import Overrides, apply_thresholds, load_thresholds
from sireport.errors import DataError, SireportError
from sireport.excel.problems import error_findings
from sireport.excel.summary import key_figures
from sireport.run.jobs import Job, UnitResult, exit_on_term
from sireport.run.pool import heartbeat
from sireport.run.render import default_path, render_loaded
from sireport.word.engine import Engine
from sireport.word.prepare import make_engine


def units_in(path: Path) -> Iterator[tuple[str, LoadedReport | SireportError]]:
    """Each unit of one input file, loaded (or the error that stopped it), with its label.

    A data file holds one unit; a workbook one or several (a 多单位工作簿: one per unit).
    """
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        yield str(path), _load(load_data, path)
        return
    from sireport.excel.read import iter_workbook_units  # openpyxl: only workers that meet a workbook pay for it

    try:
        for loaded in iter_workbook_units(path):
            yield (loaded.source.name if isinstance(loaded, LoadedReport) else str(path)), loaded
    except Exception as exc:  # an unreadable workbook must not stop the batch
        yield str(path), DataError(f"{path}：无法读取（{type(exc).__name__}: {exc}）")


def _load(loader: Any, path: Path) -> LoadedReport | SireportError:
    try:
        return loader(path)
    except SireportError as exc:
        return exc
    except Exception as exc:  # an unreadable file must not stop the batch
        return DataError(f"{path}：无法读取（{type(exc).__name__}: {exc}）")


def process_unit(label: str, loaded: LoadedReport, job: Job) -> UnitResult:
    """Check, compute, render and write one unit (a fund report or a project table, as
    ``sireport render`` does: sireport.run.render); every failure ends up in the result."""
    result = UnitResult(label, *_name(loaded), target=default_path(loaded).name, places=_places(loaded))
    try:
        rendered = render_loaded(apply_thresholds(loaded, thresholds(job)), template=job.template,
                                 folder=job.output, force=job.force, strict=job.strict, engines=engine,
                                 stage=job.stage)
    except SireportError as exc:
        result.error, result.detail = exc.text(verbose=False), str(exc)
        result.problems = error_findings(exc)
    except Exception as exc:  # isolate the unit: the others must still render
        result.error = f"内部错误（{type(exc).__name__}: {exc}）"
    else:
        result.output = str(rendered.path)
        result.warnings = list(rendered.findings)
        result.figures = key_figures(rendered.figures) if rendered.figures is not None else None
    return result


def _name(loaded: LoadedReport) -> tuple[str, int]:
    """The unit (or project) name and year a result is listed under."""
    if is_project(loaded):
        return loaded.report.project.project_name, loaded.report.project.year
    return loaded.report.report.unit, loaded.report.report.year


def _places(loaded: LoadedReport) -> tuple[str, str]:
    """Where the unit's name and its year were entered (for the batch's cross-unit findings)."""
    root = "project" if is_project(loaded) else "report"
    return (loaded.where((root, "project_name" if root == "project" else "unit")).place,
            loaded.where((root, "year")).place)


def process_file(path: Path, job: Job | None = None) -> list[UnitResult]:
    """All units of one input file (the task a worker runs)."""
    job = job or _JOB
    assert job is not None, "worker not initialised"
    results: list[UnitResult] = []
    for label, loaded in units_in(path):
        if results:  # a workbook of many units: the time limit is per unit (the file's reply ends the last one)
            heartbeat()
        if isinstance(loaded, SireportError):
            results.append(UnitResult(label, error=loaded.text(verbose=False), detail=str(loaded),
                                      problems=error_findings(loaded)))
        else:
            results.append(process_unit(label, loaded, job))
    return results


GC_YOUNG = 10_000  # allocations between two collections of the youngest generation (Python: 700)
_JOB: Job | None = None
_ENGINES: dict[str | None, Any] = {}
_THRESHOLDS: dict[Path, Overrides] = {}


def engine(template: str | None) -> Engine:
    """The compiled template of this process (compiled once, reused for every unit)."""
    compiled = _ENGINES.get(template)
    if compiled is None:
        compiled = _ENGINES[template] = make_engine(template)
        compiled.compile()
    return compiled


def thresholds(job: Job) -> Overrides | None:
    """The job's thresholds file, read once per process (None when the job has none)."""
    if job.thresholds is None:
        return None
    found = _THRESHOLDS.get(job.thresholds)
    if found is None:
        found = _THRESHOLDS[job.thresholds] = load_thresholds(job.thresholds)
    return found


def prepare(job: Job, fresh: bool = False) -> None:
    """Compile the template and read the thresholds file (each raises saying where). The
    process keeps both, and everything loaded so far is moved out of the garbage
    collector's way (:func:`gc.freeze`): it lives as long as the process, and walking it
    again at every collection costs ~10% of a unit. A unit makes and drops tens of thousands
    of objects, nearly none of them in a reference cycle, so the youngest generation is
    collected every GC_YOUNG allocations instead of Python's 700 (7 collections a unit, ~6% of
    its time, down to one every few units; peak memory unchanged: benchmarks/batch_speed.py).

    ``fresh``: a new run, so forget what an earlier run in this process (or in the process
    this one was forked from) compiled and read: the files may have changed since.
    """
    if fresh:
        _ENGINES.clear()
        _THRESHOLDS.clear()
    engine(job.template)
    thresholds(job)
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


def init_worker(job: Job) -> None:
    """Worker start: remember the job and prepare it (:func:`prepare`); SIGINT is the parent's,
    SIGTERM cleans up and exits."""
    global _JOB
    _JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, exit_on_term)
    with contextlib.suppress(Exception):  # a broken template or thresholds file: the run's first task reports it
        prepare(job, fresh=True)
