"""``sireport check``: find the errors real reports contain before a report goes out.

>>> from sireport.data.load import load_report
>>> from sireport.checks import check_report, enforce
>>> findings = check_report(load_report("data_examples/hami-2019.yaml"))   # doctest: +SKIP
>>> enforce(findings, strict=False)     # raises CheckFailed when there is an error  # doctest: +SKIP

Each rule family lives in its own module (identities, stated values, plausibility,
copies, targets, template needs, across units); every rule code, its default severity
and how to fix it are documented in docs/检查规则.md. Bounds come from
:class:`sireport.data.thresholds.Thresholds` (overridable under ``thresholds:`` in the data).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sireport.data.kind import load_data
from sireport.data.load import LoadedReport
from sireport.data.thresholds_file import Overrides, apply_thresholds
from sireport.errors import DataError, Problem, SireportError
from sireport.figures.compute import Figures
from sireport.figures.unit import Scored, score_unit

from . import copies, cross_unit, entered, identities, plausibility, stated, targets, template_needs
from .base import LABELS, RANK, RULES, Context, Finding

__all__ = ["Finding", "CheckFailed", "FileFindings", "EVALUATION", "LABELS", "RULES", "check_report", "check_units",
           "check_file", "check_files", "enforce", "exit_code"]

FAMILIES = (entered, identities, stated, plausibility, copies, targets)
EVALUATION = "evaluation."  # codes of the 绩效自评表's findings (sireport.figures.evaluation)


def check_report(loaded: LoadedReport, template_vars: set[str] | None = None,
                 figures: Figures | None = None, scored: Scored | None = None, *, infos: bool = True) -> list[Finding]:
    """Every finding about one loaded report, errors first (in rule order within a severity).

    ``template_vars``: the dotted variable paths the chosen template uses; when given,
    those the data leaves empty are reported (``template.missing``). The 绩效自评表
    (``evaluation:``, or a ``project:`` file) adds the findings of sireport.figures.evaluation,
    codes ``evaluation.*`` (docs/评分规则.md). ``figures`` or ``scored``: what the caller
    has computed already (:func:`sireport.figures.unit.score_unit`). ``infos=False``: the
    rules' 提示 (``rounding``, and any rule set to ``info``) are left out, not worked out.
    """
    scored = scored or score_unit(loaded, figures)
    if scored.is_project:
        return _ordered(_adopted(scored.findings, {}))
    ctx = Context(loaded, scored.figures, infos=infos)
    for family in FAMILIES:
        family.check(ctx)
    if template_vars:
        template_needs.check(ctx, template_vars)
    return _ordered(ctx.findings + _adopted(scored.findings, ctx.thresholds.severity))


def check_units(children: list[LoadedReport], parent: LoadedReport) -> list[Finding]:
    """Findings where a parent (prefecture) file is not the sum of its children (counties)."""
    return _ordered(cross_unit.check(children, parent))


@dataclass
class FileFindings:
    """The findings about one data file (a file that cannot be read gives ``data.invalid``)."""

    path: str
    findings: list[Finding]


def check_file(path: str | Path, template_vars: set[str] | None = None,
               thresholds: Overrides | None = None) -> FileFindings:
    """Load and check one data file; a file that does not load becomes ``data.invalid`` findings.

    ``thresholds``: a bureau's overrides (:func:`sireport.data.thresholds_file.load_thresholds`).
    """
    try:
        loaded = apply_thresholds(load_data(path), thresholds)
    except DataError as exc:
        problems = exc.problems or [Problem("", exc.message)]
        return FileFindings(str(path), [Finding("data.invalid", "error", p.where or str(path), p.message)
                                        for p in problems])
    return FileFindings(str(path), check_report(loaded, template_vars))


def check_files(paths: list[str | Path], template_vars: set[str] | None = None,
                thresholds: Overrides | None = None) -> list[FileFindings]:
    """``sireport check DATA...``: check every file, never stopping at the first bad one."""
    return [check_file(path, template_vars, thresholds) for path in paths]


def exit_code(findings: list[Finding], strict: bool) -> int:
    """0 clean (infos never count), 1 only warnings under ``strict``, 2 any error."""
    severities = {finding.severity for finding in findings}
    if "error" in severities:
        return 2
    return 1 if strict and "warning" in severities else 0


class CheckFailed(SireportError):
    """The data has errors (or, under --strict, warnings): the report was not written."""

    def __init__(self, findings: list[Finding], strict: bool):
        blocking = [f for f in findings if f.severity == "error" or (strict and f.severity == "warning")]
        errors = sum(f.severity == "error" for f in blocking)
        what = f"{errors}处错误" if errors else f"{len(blocking)}处警告（按 --strict 视为错误）"
        problems = [f.problem() for f in blocking]
        super().__init__(f"数据检查发现{what}，未生成报告。可运行 sireport check 查看全部检查结果", problems)
        self.findings = blocking
        self.exit_code = exit_code(findings, strict)


def enforce(findings: list[Finding], strict: bool) -> None:
    """Raise :class:`CheckFailed` on errors, or on warnings when ``strict``."""
    if exit_code(findings, strict):
        raise CheckFailed(findings, strict)


def _adopted(findings: list[Finding], severity: dict) -> list[Finding]:
    """The 绩效自评表's findings with the data's severity overrides (``off`` drops one)."""
    levels = [(finding, severity.get(finding.code, finding.severity)) for finding in findings]
    return [replace(finding, severity=level) for finding, level in levels if level != "off"]


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: RANK[finding.severity])
