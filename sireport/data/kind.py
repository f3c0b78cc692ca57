"""Which kind of data file this is — the one place that decides it.

A file whose top level has the key ``project:`` is a stand-alone 项目支出绩效自评表
(:class:`~sireport.data.evaluation_model.ProjectFile`); anything else is a fund report
(:class:`~sireport.data.model.Report`, possibly with an ``evaluation:`` 附表).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sireport.data import WORKBOOK_SUFFIXES
from sireport.data.evaluation_model import ProjectFile
from sireport.data.load import LoadedReport, load_report, read_tree, validate

PROJECT_KEY = "project"


def is_project_tree(raw: Any) -> bool:
    return isinstance(raw, dict) and PROJECT_KEY in raw


def is_project(loaded: LoadedReport) -> bool:
    return isinstance(loaded.report, ProjectFile)


def load_data(path: str | Path) -> LoadedReport:
    """Load a report or a project table file; ``loaded.report`` is a Report or a ProjectFile."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return load_report(path)
    raw, source = read_tree(path)
    if is_project_tree(raw):
        return validate(raw, source, ProjectFile)
    return validate(raw, source)
