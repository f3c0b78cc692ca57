"""The PDF step of a batch (``batch --pdf``): each unit's report is converted while the
others are still rendering, by a pool of ``-j`` warm LibreOffice converters
(:mod:`sireport.pdf.pool`). A failed conversion is that unit's ``pdf_error``; its .docx
stays. Without LibreOffice every .docx is written and the run says how to install it.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sireport.errors import PdfError
from sireport.pdf.pool import TIMEOUT, ConverterPool, PdfResult
from sireport.run.jobs import UnitResult


class PdfStage:
    """Collects the rendered units, converts them, and writes each outcome into its unit."""

    def __init__(self, jobs: int, timeout: float = TIMEOUT, restart_after: int | None = None) -> None:
        self.unavailable: str | None = None  # why no PDF at all (no LibreOffice), in Chinese
        self.pool: ConverterPool | None = None
        self._pending: list[tuple[UnitResult, Future[PdfResult]]] = []
        options: dict[str, Any] = {"timeout": timeout}
        if restart_after is not None:
            options["restart_after"] = restart_after
        try:
            self.pool = ConverterPool(jobs, **options)
        except PdfError as exc:
            self.unavailable = exc.message

    def add(self, unit: UnitResult) -> None:
        if self.pool is not None and unit.ok and unit.output:
            self._pending.append((unit, self.pool.submit(Path(unit.output))))

    def finish(self, progress: Any) -> None:
        """Wait for every conversion (``progress.update`` after each), then stop the converters."""
        for unit, future in self._pending:
            outcome = future.result()
            if outcome.ok:
                unit.pdf, unit.fonts = str(outcome.pdf), list(outcome.fonts)
            else:
                unit.pdf_error = outcome.error
            progress.update(1)
        self.close()

    @property
    def count(self) -> int:
        return len(self._pending)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def __enter__(self) -> PdfStage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
