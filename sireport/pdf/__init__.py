"""PDF output: the reports converted by LibreOffice kept warm, with free stand-ins for
the official fonts.

- :mod:`sireport.pdf.office`: finding LibreOffice and a Python that drives it (``uno``);
- :mod:`sireport.pdf.uno_worker`: the converter process (runs under that Python);
- :mod:`sireport.pdf.pool`: a pool of converters, restarted after N documents or a hang;
- :mod:`sireport.pdf.fonts`: the faces a template names, their stand-ins, a PDF's fonts;
- ``fonts.conf``: the fontconfig substitutions used on Linux.
"""

from __future__ import annotations

from pathlib import Path

from sireport.errors import PdfError
from sireport.pdf.pool import TIMEOUT, ConverterPool, PdfResult

__all__ = ["ConverterPool", "PdfResult", "convert_one"]


def convert_one(docx: str | Path, pdf: str | Path | None = None, *, timeout: float = TIMEOUT) -> PdfResult:
    """The PDF of one report (default: beside it, same name). Never raises for a missing or
    failing LibreOffice: the result's ``error`` says what happened and how to install it."""
    try:
        pool = ConverterPool(1, timeout=timeout)
    except PdfError as exc:
        return PdfResult(Path(docx), error=exc.message)
    with pool:
        return pool.convert(docx, pdf)
