"""A second client's view: LibreOffice opens every kind of report and saves it again as .docx
(as Word would, it rewrites the whole document), and the text is unchanged: every paragraph
and every table cell, in order.

The one difference allowed is how a section break is written: sireport ends the cover
section with an empty paragraph that only carries the break, LibreOffice moves the break
onto the paragraph before it. That paragraph holds no text, so it is not compared.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from conftest import EXAMPLES, soffice
from test_valid_ooxml import PROJECTS, REPORTS

pytestmark = pytest.mark.slow  # starts LibreOffice


def text_of(path: Path) -> list:
    """The body in order: a paragraph's text, or a table's rows of cell texts; paragraphs that
    only carry a section break are left out."""
    document = Document(str(path))
    out: list = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            if paragraph.text or child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
                out.append(paragraph.text)
        elif child.tag == qn("w:tbl"):
            out.append([[cell.text for cell in row.cells] for row in Table(child, document).rows])
    return out


def resave(reports: list[Path], folder: Path) -> list[Path]:
    """Each report opened in LibreOffice and saved as Word 2007–365 .docx into ``folder``."""
    subprocess.run([soffice(), f"-env:UserInstallation=file://{folder.resolve()}/lo-profile", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), *map(str, reports)],
                   check=True, capture_output=True, timeout=600)
    return [folder / report.name for report in reports]


def test_libreoffice_resaves_every_kind_of_report_with_the_same_text(cli):
    rendered = [(EXAMPLES / f"{example}.yaml", template) for example in REPORTS for template in ("default", "six-part")]
    rendered += [(EXAMPLES / f"{project}.yaml", "project-table") for project in PROJECTS]
    counties = Path("counties")
    counties.mkdir()
    for example in ("hami-2019", "hejing-2019"):
        shutil.copy(EXAMPLES / f"{example}.yaml", counties)
    assert cli("rollup", counties, "-o", "region.yaml", "--unit", "某地区").exit_code == 0
    rendered.append((Path("region.yaml"), "default"))
    reports = []
    for data, template in rendered:
        target = Path("reports") / f"{data.stem}-{template}.docx"
        args = ["render", data, "-o", target] + ([] if template == "project-table" else ["-t", template])
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        reports.append(target)
    for report, again in zip(reports, resave(reports, Path("resaved"))):
        assert again.is_file(), f"LibreOffice wrote no {again}"
        before = text_of(report)
        assert any(isinstance(block, list) for block in before) and len(before) > 3
        assert text_of(again) == before, report.name
