"""Batch generation: every unit's report from folders, files and workbooks, in parallel.

>>> from sireport.run.batch import run_batch
>>> result = run_batch(["counties/"], "output/")          # doctest: +SKIP
>>> result.rendered, result.failed                         # doctest: +SKIP

Each input file is one task for a pool of worker processes (:mod:`sireport.run.worker`).
A worker compiles the template once and then, per unit: loads the data, runs the
checks, computes the figures, renders and writes the report atomically into the run's
stage (a hidden folder in the output folder). A unit's failure is recorded with its file
and the error's own message and never stops the other units. Once every unit is in, the
units are checked against each other (:mod:`sireport.run.cross_units`: two of the same
name are both refused) and only then are the accepted reports moved into place. This
coordinating process stays small (it imports neither the data model nor the docx engine)
and watches the workers (:mod:`sireport.run.pool`): a worker that dies or passes the
per-unit time limit fails only its own file. It shows a progress bar, writes the 汇总表
and the 问题清单 (:mod:`sireport.excel.summary`) and returns a :class:`BatchResult`.
Interrupting (Ctrl+C, SIGTERM) stops the workers and removes the stage: an interrupted
run puts no report into the output folder, and never a partial .docx.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from sireport.data import DATA_SUFFIXES
from sireport.errors import BatchError, ConfigError, DataError
from sireport.excel.problems import Issue, Spool, write_problems
from sireport.excel.summary import main_year, write_summary
from sireport.files import os_reason
from sireport.findings import Finding
from sireport.run.cross_units import cross_check
from sireport.run.jobs import TIME_LIMIT, Job, UnitResult, exit_on_term, failures
from sireport.run.pool import WorkerPool

SUMMARY_NAME = "汇总表.xlsx"
PROBLEMS_NAME = "问题清单.xlsx"
STAGE_PREFIX = ".~batch-"  # + the run's pid: the folder inside the output folder the workers write into
STRICT_NOTE = "（--strict：有警告的单位不生成报告）"


class Warnings:
    """Every warning of a run, kept in a temporary file for the 问题清单 (thousands of units may
    give tens of thousands of warnings); the first LISTED stay in memory for the run summary."""

    LISTED = 100

    def __init__(self) -> None:
        self.spool = Spool()
        self.count = 0
        self.first: list[tuple[str, Finding]] = []  # (source, warning)
        self._added = 0  # of them, the cross-unit ones in front

    def take(self, unit: UnitResult) -> None:
        """Move the unit's warnings here (the unit keeps their number)."""
        for finding in unit.warnings:
            self._keep(unit, finding)
        unit.warning_count, unit.warnings = len(unit.warnings), []

    def add(self, unit: UnitResult, finding: Finding) -> None:
        """One more warning of ``unit``, found once every unit was in (sireport.run.cross_units):
        listed before the units' own warnings (which are many, and each unit's own business)."""
        self._keep(unit, finding, self._added)
        self._added += 1
        del self.first[self.LISTED:]
        unit.warning_count += 1

    def _keep(self, unit: UnitResult, finding: Finding, at: int | None = None) -> None:
        """Spool the finding for the 问题清单; list it for the run summary while there is room."""
        self.spool.add(Issue.of(unit.unit, unit.source, finding))
        if at is not None:
            self.first.insert(at, (unit.source, finding))
        elif len(self.first) < self.LISTED:
            self.first.append((unit.source, finding))
        self.count += 1

    def flush(self) -> None:
        """Write out what is buffered (before a fork: the child would otherwise write it again)."""
        self.spool.flush()


@dataclass
class BatchResult:
    units: list[UnitResult]
    summary: Path | None  # the 汇总表 .xlsx
    problems: Path | None  # the 问题清单 .xlsx
    seconds: float
    warnings: Warnings = field(default_factory=Warnings)
    pdf_unavailable: str | None = None  # batch --pdf without LibreOffice: why, and how to install it

    @property
    def rendered(self) -> list[UnitResult]:
        return [u for u in self.units if u.ok]

    @property
    def failed(self) -> list[UnitResult]:
        return [u for u in self.units if not u.ok]

    @property
    def pdf_failed(self) -> list[UnitResult]:
        """Reports written whose PDF could not be made."""
        return [u for u in self.units if u.ok and u.pdf_error]

    @property
    def warning_count(self) -> int:
        return self.warnings.count


# ---------------------------------------------------------------- inputs

def expand_inputs(inputs: Iterable[str | Path], skip: Path | None = None) -> list[Path]:
    """Files to process: each file given, and every data file inside each folder given.

    Hidden files, Excel lock files (~$…) and anything inside ``skip`` (the output folder,
    whose 汇总表.xlsx and 问题清单.xlsx are not inputs) are left out of the folders.
    """
    files: list[Path] = []
    problems = []
    skipped = skip.resolve() if skip is not None else None
    for item in map(Path, inputs):
        if item.is_dir():
            files += sorted(p for p in item.rglob("*") if p.suffix.lower() in DATA_SUFFIXES
                            and p.is_file() and not p.name.startswith((".", "~$"))
                            and not (skipped and p.resolve().is_relative_to(skipped)))
        elif item.exists():
            files.append(item)
        else:
            problems.append(f"{item}：找不到该文件或目录")
    if problems:
        raise DataError("输入有误：\n" + "\n".join(f"  - {p}" for p in problems))
    unique = list(dict.fromkeys(files))
    if not unique:
        raise DataError("输入中没有数据文件（.yaml、.yml、.json、.xlsx）")
    return unique


# ---------------------------------------------------------------- the run

def run_batch(inputs: Iterable[str | Path], output: str | Path = "output", jobs: int | None = None,
              template: str | None = None, force: bool = False, progress: bool | None = None,
              strict: bool = False, thresholds: str | Path | None = None,
              time_limit: float | None = TIME_LIMIT, pdf: bool = False) -> BatchResult:
    """Render every unit found in ``inputs`` into ``output``; write the 汇总表; return the results.

    ``strict``: a unit whose checks warn is not rendered either (as ``render --strict``);
    ``thresholds``: a bureau's thresholds file for every unit (as ``render --thresholds``);
    ``time_limit``: seconds a unit may take (None: no limit) before it is stopped and failed;
    ``pdf``: each report is also converted to PDF beside it (:mod:`sireport.run.pdf_stage`),
    by ``jobs`` converters while the others render.
    A worker that dies fails only the file it was working on.
    Raises :class:`sireport.errors.SireportError` only for problems of the whole run (no
    input, broken template or thresholds file); a unit's problems are in its :class:`UnitResult`.
    """
    started = time.perf_counter()
    if jobs is not None and jobs < 1:
        raise ConfigError(f"-j 并行进程数应为 1 或更大的整数，实际为 {jobs}")
    files = expand_inputs(inputs, skip=Path(output))
    if time_limit is not None and time_limit <= 0:
        raise ConfigError(f"--timeout 每个单位的时间限制应为正数（秒），实际为 {time_limit}")
    job = Job(Path(output), template, force, strict, Path(thresholds) if thresholds else None, time_limit,
              stage=Path(output) / f"{STAGE_PREFIX}{os.getpid()}")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(files)))
    _remove_stale_workbooks(job.output)
    _remove_dead_stages(job.output)
    by_file: dict[int, list[UnitResult]] = {}
    warnings = Warnings()
    try:
        with _terminate_as_interrupt(), _pdf_stage(pdf, workers) as stage:
            with _progress(len(files), progress) as bar:
                for index, unit_results in _run(files, job, workers):
                    for unit in unit_results:
                        warnings.take(unit)
                        stage.add(unit)
                    by_file[index] = unit_results
                    bar.update(1)
            with _progress(stage.count, progress, "转换 PDF", "份") as bar:
                stage.finish(bar)
        results = [unit for index in sorted(by_file) for unit in by_file[index]]
        _cross_check(results, strict, warnings)
        _move_into_place(results, job.output)
    finally:
        shutil.rmtree(job.stage, ignore_errors=True)  # the refused units' reports, a killed worker's files
    summary, problems = (_write_workbooks(results, warnings, job, main_year(unit.year for unit in results)) if results
                         else (None, None))
    return BatchResult(results, summary, problems, time.perf_counter() - started, warnings,
                       stage.unavailable if pdf else None)


def _cross_check(results: list[UnitResult], strict: bool, warnings: Warnings) -> None:
    """The checks across units (sireport.run.cross_units), before any report is in place: an
    error refuses every unit it is about (one text, said once: :func:`failures`); a warning
    is the unit's (with ``strict``, it refuses the unit too)."""
    for mark in cross_check(results):
        finding = mark.finding
        if finding.severity == "error" or strict:
            if finding.severity != "error":
                finding = replace(finding, severity="error", message=finding.message + STRICT_NOTE)
            for unit in mark.units:
                if unit.ok:
                    unit.error, unit.problems = finding.located(), [finding]
                    unit.output = unit.figures = unit.pdf = None
        else:
            for unit in mark.units:
                warnings.add(unit, finding)


def _move_into_place(results: list[UnitResult], folder: Path) -> None:
    """Move every accepted unit's report (and PDF) from the stage into ``folder``."""
    for unit in results:
        if not unit.ok or not unit.output:
            continue
        target = folder / Path(unit.output).name
        try:
            os.replace(unit.output, target)
        except OSError as exc:
            unit.error = f"{target}：无法写入（{os_reason(exc)}），原有文件未改动"
            unit.output = unit.figures = unit.pdf = None
            continue
        unit.output = str(target)
        if unit.pdf:
            pdf = folder / Path(unit.pdf).name
            try:
                os.replace(unit.pdf, pdf)
                unit.pdf = str(pdf)
            except OSError as exc:
                unit.pdf, unit.pdf_error = None, f"{pdf}：无法写入（{os_reason(exc)}）"


def _pdf_stage(pdf: bool, jobs: int) -> Any:
    if not pdf:
        return _NoPdf()
    from sireport.run.pdf_stage import PdfStage  # starts no LibreOffice until the first report is there

    return PdfStage(jobs)


def _write_workbooks(results: list[UnitResult], warnings: Warnings, job: Job,
                     year: int | None) -> tuple[Path, Path]:
    """Write the 汇总表 and the 问题清单. With thousands of units and warnings each takes about
    half a second, so where processes fork, a child writes the 问题清单 meanwhile."""
    problems = job.output / PROBLEMS_NAME
    warnings.flush()
    failed = failures(results)
    child = _forked(write_problems, failed, warnings.spool, problems)
    try:
        summary = write_summary(results, job.output / SUMMARY_NAME, job.thresholds, year=year)
    finally:
        if child is not None:
            if sys.exc_info()[0] is not None:
                child.terminate()  # interrupted: SIGTERM makes it remove its temporary file
            child.join()
    if child is None or child.exitcode != 0:
        write_problems(failed, warnings.spool, problems)  # here, where an error is reported in full
    return summary, problems


def _forked(target: Any, *args: Any) -> Any:
    """``target(*args)`` started in a forked child process, or None where processes do not fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    child = multiprocessing.get_context("fork").Process(target=_in_child, args=(target, *args), daemon=True)
    child.start()
    return child


def _in_child(target: Any, *args: Any) -> None:
    """A forked helper: Ctrl+C is the parent's to handle; any failure is only its exit code
    (the parent then does the work itself and reports the error)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, exit_on_term)
    try:
        target(*args)
    except BaseException:
        sys.exit(1)


def _run(files: list[Path], job: Job, workers: int) -> Iterator[tuple[int, list[UnitResult]]]:
    """Each file's results (with its position in ``files``) as its worker finishes it. A worker
    that dies or passes the time limit fails its own file only; an interruption stops every
    worker (their files are in the stage, which the run removes)."""
    pool = WorkerPool(workers, _init_worker, (job,), time_limit=job.time_limit)
    try:
        pool.call(_prepare, job)  # a broken template or thresholds file stops the run here, once
        for outcome in pool.map(_process_file, files):
            if outcome.ok:
                yield outcome.index, outcome.value
            else:  # whatever its worker wrote stays in the stage, which is removed at the end
                yield outcome.index, [UnitResult(str(outcome.item), error=outcome.failure)]
    finally:
        pool.close()


# The worker entry points: thin, so that only the workers import the heavy modules.
def _init_worker(job: Job) -> None:
    from sireport.run.worker import init_worker  # deferred: only workers load the model and the engine

    init_worker(job)


def _prepare(job: Job) -> None:
    from sireport.run.worker import prepare  # deferred: only workers load the model and the engine

    prepare(job)


def _process_file(path: Path) -> list[UnitResult]:
    from sireport.run.worker import process_file  # deferred: only workers load the model and the engine

    return process_file(path)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl+C does (workers stopped, temporary files removed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _remove_stale_workbooks(folder: Path) -> None:
    """An earlier run's 汇总表 and 问题清单 go before a new run starts (this run replaces them
    anyway): if it is interrupted, no workbook is left that lists other reports than the
    folder holds."""
    for name in (SUMMARY_NAME, PROBLEMS_NAME):
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def _remove_dead_stages(folder: Path) -> None:
    """The stage of an earlier run that was killed outright (its process is gone)."""
    for stage in folder.glob(STAGE_PREFIX + "*"):
        pid = stage.name[len(STAGE_PREFIX):]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


class _NoPdf:
    """The PDF step when none is asked for."""

    unavailable = None
    count = 0

    def __enter__(self) -> _NoPdf:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def add(self, unit: UnitResult) -> None:
        return None

    def finish(self, progress: Any) -> None:
        return None


def _progress(total: int, show: bool | None, desc: str = "生成报告", unit: str = "个文件") -> tqdm:
    """The progress bar on stderr; ``show=None``: only when stderr is a terminal."""
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None if show is None else not show)


def describe(result: BatchResult, verbose: bool = False) -> str:
    """The run summary in Chinese: counts, then every failure and warning with its file (their
    places; with ``verbose`` also the key paths and rule codes)."""
    lines = [f"批量生成完成：共 {len(result.units)} 个单位，已生成 {len(result.rendered)} 份报告，"
             f"警告 {result.warning_count} 条，失败 {len(result.failed)} 个（用时 {result.seconds:.1f} 秒）。"]
    if result.failed:
        lines.append("失败的单位（未生成报告）：")
        for units, error in sorted(failures(result.units), key=lambda group: group[0][0].source):
            sources = "、".join(unit.source for unit in units)
            said = (units[0].detail or error) if verbose else error
            lines.append("  - " + _located(sources, said).replace("\n", "\n    "))
    if result.warning_count:
        refused = {unit.source for unit in result.failed}  # a unit refused after its checks warned
        listed = result.warnings.first
        lines.append("警告（请核对）：" if any(source in refused for source, _ in listed) else "警告（报告已生成，请核对）：")
        lines += [f"  - {_located(source, finding.located(verbose))}{'（该单位未生成报告）' if source in refused else ''}"
                  for source, finding in listed]
        more = result.warning_count - len(result.warnings.first)
        if more:
            lines.append(f"  ……另有 {more} 条警告，全部警告见问题清单")
    lines += _pdf_lines(result)
    if result.summary:
        lines.append(f"汇总表：{result.summary}")
    if result.problems:
        lines.append(f"问题清单：{result.problems}")
    return "\n".join(lines)


def _pdf_lines(result: BatchResult) -> list[str]:
    """batch --pdf: how many PDFs, the fonts they embed, and each report without its PDF."""
    if result.pdf_unavailable:
        return [f"未生成 PDF（报告 .docx 均已生成）：{result.pdf_unavailable}"]
    made = [u for u in result.units if u.pdf]
    lines = []
    if made:
        fonts = list(dict.fromkeys(font for unit in made for font in unit.fonts))
        lines.append(f"PDF：已生成 {len(made)} 份，嵌入字体：{'、'.join(fonts)}")
    missing = result.pdf_failed
    if missing:
        lines.append(f"未能生成 PDF 的报告（.docx 已生成）：{len(missing)} 份")
        lines += [f"  - {unit.output}：{unit.pdf_error}" for unit in sorted(missing, key=lambda u: u.source)]
    return lines


def _located(source: str, message: str) -> str:
    """The message with its file(s) in front, unless the message already names them."""
    named = message.startswith(source) or all(part in message for part in source.split("、"))
    return message if named else f"{source}：{message}"


def raise_if_failed(result: BatchResult) -> None:
    if result.failed:
        raise BatchError(f"有 {len(result.failed)} 个单位未能生成报告（原因见上）")
    if result.pdf_unavailable or result.pdf_failed:
        raise BatchError("报告已全部生成，但有的报告未能生成 PDF（原因见上）")
