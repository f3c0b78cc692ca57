from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sireport.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data_examples"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test runs in its own empty folder, so output/ and templates/ lookups are clean."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SIREPORT_TEMPLATES", raising=False)


class Result:
    def __init__(self, raw):
        self.exit_code = raw.exit_code
        self.stdout = raw.stdout
        self.stderr = raw.stderr
        self.exception = raw.exception


def run_cli(*args: str | Path) -> Result:
    """Run ``sireport ARGS`` in-process like a user would; returns exit code, stdout, stderr."""
    raw = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    if raw.exception is not None and not isinstance(raw.exception, SystemExit):
        raise raw.exception
    return Result(raw)


@pytest.fixture
def cli():
    """:func:`run_cli`, as a fixture."""
    return run_cli


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice (soffice) is required for this test: .ci/run installs it")
    return path


def soffice_calc() -> str:
    """soffice with its spreadsheet component (Calc); the test is skipped, saying why, without it."""
    path = soffice()
    program = Path(path).resolve().parent
    if not any(program.glob("libsclo.*")):
        pytest.skip(f"LibreOffice Calc is not installed beside {path} (.ci/run installs libreoffice-calc-nogui)")
    return path


def convert_to_pdf(docx: Path, outdir: Path) -> Path:
    """Open the report in LibreOffice headless and convert it to PDF; return the PDF path."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = outdir / (docx.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000, f"LibreOffice produced no PDF for {docx}"
    return pdf


# The examples the PDF tests measure (test_pdf_layout, test_pdf_tables, test_pdf_flow): every
# report example with both report templates, and every project example as its table.
REPORT_CASES = [(name, template) for name in ("hami-2019", "hejing-2019", "region-2018")
                for template in ("default", "six-part")]
PROJECT_CASES = [(f"bureau-2019-project-{name}", "project-table")
                 for name in ("daibanyuan", "kuomian-zhengjiao", "quanmin-canbao", "yewu-zhuanxiang")]


@pytest.fixture(scope="session")
def example_pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The PDF of every case of REPORT_CASES and PROJECT_CASES ((example, template) → PDF, the
    .docx beside it), rendered and converted once for all the PDF tests of the run."""
    folder = tmp_path_factory.mktemp("examples")
    reports = {}
    for name, template in REPORT_CASES + PROJECT_CASES:
        docx = folder / f"{name}.{template}.docx"
        options = [] if template == "project-table" else ["-t", template]
        result = run_cli("render", EXAMPLES / f"{name}.yaml", *options, "-o", docx)
        assert result.exit_code == 0, result.stderr
        reports[(name, template)] = docx
    return convert_all(reports)


def convert_all(reports: dict) -> dict:
    """Convert every .docx of ``reports`` (key → path) with one pool of warm converters; key → PDF."""
    from sireport.pdf.pool import ConverterPool  # deferred: only the slow PDF tests start converters

    with ConverterPool(2) as pool:
        futures = {key: pool.submit(docx) for key, docx in reports.items()}
        results = {key: future.result() for key, future in futures.items()}
    assert all(r.ok for r in results.values()), [r.error for r in results.values()]
    return {key: result.pdf for key, result in results.items()}


def pytest_addoption(parser):
    parser.addoption("--fuzz", action="store_true", default=False,
                     help="test_fuzz.py: the large profile (ten times the cases, a new seed each run)")
    parser.addoption("--fuzz-seed", type=int, default=None, help="test_fuzz.py: replay the run of this seed")
