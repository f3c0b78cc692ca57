"""Render a stand-alone 项目支出绩效自评表 (a data file whose root key is ``project:``).

>>> from sireport.run.render import render_file
>>> render_file("data_examples/bureau-2019-project-daibanyuan.yaml", xlsx=True)   # doctest: +SKIP
PosixPath('output/社会保险代办员经费-2019-项目支出绩效自评表.docx')
"""

from __future__ import annotations

from pathlib import Path

from sireport.data.validate import LoadedReport
from sireport.excel.evaluation_table import workbook_bytes
from sireport.figures.evaluation import evaluate_project
from sireport.files import check_writable, docx_target, stamp, write_atomic
from sireport.word.context import project_context
from sireport.word.prepare import make_engine

PROJECT_TEMPLATE = "project-table"
OUTPUT_DIR = Path("output")


def default_project_output(name: str, year: int, directory: Path = OUTPUT_DIR) -> Path:
    """output/<项目名称>-<年度>-项目支出绩效自评表.docx"""
    safe = name.replace("/", "_").replace("\\", "_")
    return directory / f"{safe}-{year}-项目支出绩效自评表.docx"


def render_project(loaded: LoadedReport, output: str | Path | None = None, template: str | None = None,
                   force: bool = False, xlsx: bool = False, warnings: list | None = None) -> Path:
    """Score the project table, write it as .docx (and .xlsx); return the .docx path."""
    project = loaded.report.project
    target = docx_target(output, default_project_output(project.project_name, project.year))
    book_path = target.with_suffix(".xlsx")
    check_writable(target, force)
    if xlsx:
        check_writable(book_path, force)
    evaluated = evaluate_project(loaded)  # raises before anything is written
    table = evaluated.table
    document = stamp(make_engine(template or PROJECT_TEMPLATE).render(project_context(table)))
    book = workbook_bytes([table]) if xlsx else None
    if warnings is not None:
        warnings.extend(evaluated.findings)
    write_atomic(target, document, force)
    if book is not None:
        write_atomic(book_path, book, force)
    return target
