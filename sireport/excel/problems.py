"""The 问题清单 of a batch: every problem of every unit, one row each (docs/批量生成.md).

Columns 单位, 文件, 位置 (sheet!cell for a workbook, file:line:column for YAML/JSON, 段落 N
for the text of a report), 级别 (错误/警告/提示), 规则 (the rule's Chinese name,
:data:`sireport.findings.NAMES`), 说明, and 规则代码 last, for programs. Rows are sorted by
unit, then level (错误, 警告, 提示), then in the order found. A unit whose report was not
written has an 错误 row 未生成报告 first, then the problems that stopped it.

The findings of a run wait in a :class:`Spool` (a temporary file: tens of thousands of
rows), each as one :class:`Issue` line; only their sort keys are held in memory when the
workbook is written.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from sireport.errors import DataError, SireportError
from sireport.excel.listing import Listing
from sireport.findings import LABELS, NAMES, RANK, Finding

HEAD = ["单位", "文件", "位置", "级别", "规则", "说明", "规则代码"]
WIDTHS = [22, 36, 28, 6, 26, 100, 22]
FAILED = "unit.failed"
SEVERITY_OF_LABEL = {label: severity for severity, label in LABELS.items()}


class Issue(NamedTuple):
    """One row of the 问题清单."""

    unit: str
    source: str
    place: str
    severity: str  # error | warning | info
    code: str
    message: str

    @classmethod
    def of(cls, unit: str, source: str, finding: Finding) -> Issue:
        return cls(unit, source, local_place(finding.place), finding.severity, finding.code, finding.said())

    def line(self) -> bytes:
        return ("\t".join(" ".join(str(part).split()) for part in self) + "\n").encode("utf-8")

    @classmethod
    def read(cls, line: bytes) -> Issue:
        return cls(*line.decode("utf-8").rstrip("\n").split("\t"))

    @property
    def order(self) -> tuple:
        """Sorted by unit (units without a name, files that could not be read, last), then level."""
        return (not self.unit, self.unit, self.source, RANK.get(self.severity, 3))

    def row(self) -> list[str]:
        return [self.unit, self.source, self.place, LABELS.get(self.severity, self.severity),
                NAMES.get(self.code, self.code), self.message, self.code]


_FILE_PLACE = re.compile(r"(?P<file>.+?\.(?:ya?ml|json|xlsx|xlsm))(?::(?P<line>\d+)(?::(?P<column>\d+))?|!(?P<cell>.+))?",
                         re.I)


def local_place(place: str) -> str:
    """The place inside the file (the 文件 column names the file): ``收入!C7`` for a workbook,
    ``第 12 行第 5 列`` for YAML or JSON; any other place (段落 4, 表 1 行 2 列 3) as it is. The
    places of a finding about several files (two units of one name) each so, in their order."""
    if "、" in place and all(_FILE_PLACE.fullmatch(part) for part in place.split("、")):
        return "、".join(local_place(part) for part in place.split("、"))
    match = _FILE_PLACE.fullmatch(place)
    if match is None:
        return place
    if match["cell"]:
        return match["cell"]
    if match["line"]:
        return f"第 {match['line']} 行" + (f"第 {match['column']} 列" if match["column"] else "")
    return ""


def failure_issues(unit: str, source: str, error: str, problems: Iterable[Finding] = ()) -> list[Issue]:
    """The rows of a unit whose report was not written: 未生成报告 with the error's first line
    (all of it when no problem is itemized), then each problem."""
    problems = list(problems)
    if len(problems) == 1 and error == problems[0].located():  # refused for this one
        return [Issue.of(unit, source, problems[0])]  # finding (a cross-unit one: sireport.run.batch)
    head = error.split("\n", 1)[0] if problems else error
    return [Issue(unit, source, "", "error", FAILED, head),
            *(Issue.of(unit, source, problem) for problem in problems)]


def error_findings(error: SireportError) -> list[Finding]:
    """The itemized problems of an error as findings, their level kept; a problem without a rule
    code is ``data.invalid`` in a data file that could not be read, else ``unit.error``."""
    default = "data.invalid" if isinstance(error, DataError) else "unit.error"
    return [Finding(problem.code or default, SEVERITY_OF_LABEL.get(problem.label, "error"), problem.where,
                    problem.message) for problem in error.problems]


class Spool:
    """Issues kept in a temporary file until the 问题清单 is written."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (open for the whole run)
        self.count = 0

    def add(self, issue: Issue) -> None:
        self._file.write(issue.line())
        self.count += 1

    def flush(self) -> None:
        """Write out what is buffered (before a fork: the child would otherwise write it again)."""
        self._file.flush()

    def __iter__(self) -> Iterator[Issue]:
        self._file.seek(0)
        for line in self._file:
            yield Issue.read(line)
        self._file.seek(0, os.SEEK_END)

    def in_order(self, more: Iterable[Issue] = ()) -> Iterator[Issue]:
        """Every issue (and ``more``), sorted; only the sort keys and places in the file are in memory."""
        more = list(more)
        keys: list[tuple] = [(*issue.order, index - len(more), -1 - index) for index, issue in enumerate(more)]
        names: dict[str, str] = {}  # one string per unit and file, however many rows they have
        self._file.seek(0)
        offset = 0
        for line in self._file:
            unnamed, unit, source, rank = Issue.read(line).order
            keys.append((unnamed, names.setdefault(unit, unit), names.setdefault(source, source), rank, len(keys),
                         offset))
            offset += len(line)
        keys.sort()
        for *_, where in keys:
            if where < 0:
                yield more[-1 - where]
            else:
                self._file.seek(where)
                yield Issue.read(self._file.readline())
        self._file.seek(0, os.SEEK_END)


def write_problems(failed: list, issues: Spool, path: Path) -> Path:
    """Write the 问题清单: the failed units (``failed``: units sharing one reason, as
    :func:`sireport.run.jobs.failures` groups them, in one row naming them all) and every issue spooled."""
    failures = [issue for units, error in failed
                for issue in failure_issues("、".join(dict.fromkeys(unit.unit for unit in units if unit.unit)),
                                            "、".join(unit.source for unit in units), error, units[0].problems)]
    count = len(failures) + issues.count
    book = Listing()
    sheet = book.sheet("问题清单", HEAD, WIDTHS, frozen_columns=1, rows=count)
    for issue in issues.in_order(failures):
        row = issue.row()
        row[3] = book.cell(row[3], fill="low" if issue.severity == "error" else None)
        sheet.append(row)
    return book.save(path)
