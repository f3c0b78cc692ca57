"""One render reads its template once: one unzip, one sandboxed environment, no Word document
opened by docxtpl (issue 10: the template unzipped and compiled once per render, once per worker
in a batch). Counted by wrapping the constructors while ``sireport.render`` runs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

import sireport
from conftest import EXAMPLES
from sireport.word.sandbox import ReportSandbox
from sireport.word.search import builtin_dir


@pytest.fixture
def counted(monkeypatch):
    """Counts of template unzips (a zip opened on a template's bytes or path), sandboxes built
    and docxtpl documents opened, while the test runs."""
    templates = {path.read_bytes() for path in builtin_dir().glob("*.docx")}
    counts = {"unzips": 0, "sandboxes": 0, "docxtpl": 0}

    def is_template(file) -> bool:
        if isinstance(file, (str, Path)):
            return Path(file).suffix == ".docx" and Path(file).resolve().parent == builtin_dir().resolve()
        return isinstance(file, io.BytesIO) and file.getvalue() in templates

    zip_init, sandbox_init, docxtpl_init = zipfile.ZipFile.__init__, ReportSandbox.__init__, DocxTemplate.init_docx

    def zip_counted(self, file, *args, **kwargs):
        counts["unzips"] += is_template(file)
        zip_init(self, file, *args, **kwargs)

    def sandbox_counted(self, *args, **kwargs):
        counts["sandboxes"] += 1
        sandbox_init(self, *args, **kwargs)

    def docxtpl_counted(self, *args, **kwargs):
        counts["docxtpl"] += 1
        return docxtpl_init(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", zip_counted)
    monkeypatch.setattr(ReportSandbox, "__init__", sandbox_counted)
    monkeypatch.setattr(DocxTemplate, "init_docx", docxtpl_counted)
    return counts


@pytest.mark.parametrize("template", ["default", "six-part"])
def test_a_render_unzips_its_template_once_and_builds_one_sandbox(counted, template):
    rendered = sireport.render(EXAMPLES / "hami-2019.yaml", template=template, out="r.docx")
    assert rendered.path.exists()
    assert counted == {"unzips": 1, "sandboxes": 1, "docxtpl": 0}


def test_the_counter_sees_an_unzip(counted):
    """The count is real: reading a built-in template the plain way is one unzip."""
    with zipfile.ZipFile(io.BytesIO((builtin_dir() / "default.docx").read_bytes())) as archive:
        archive.namelist()
    with zipfile.ZipFile(builtin_dir() / "default.docx") as archive:
        archive.namelist()
    assert counted["unzips"] == 2


def test_a_batch_worker_reads_its_template_once(counted, tmp_path):
    from sireport.run import worker
    from sireport.run.jobs import Job

    job = Job(output=tmp_path / "out", template=None, force=False)
    worker.prepare(job, fresh=True)
    for index in range(3):
        source = tmp_path / f"unit{index}.yaml"
        text = (EXAMPLES / "hami-2019.yaml").read_text(encoding="utf-8")
        source.write_text(text.replace("unit: 哈密市", f"unit: 哈密市{index}"), encoding="utf-8")
        [result] = worker.process_file(source, job)
        assert result.ok, result.error
    assert counted == {"unzips": 1, "sandboxes": 1, "docxtpl": 0}
