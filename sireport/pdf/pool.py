"""A pool of warm LibreOffice converters: .docx in, PDF beside it out.

>>> from sireport.pdf.pool import ConverterPool
>>> with ConverterPool(jobs=2) as pool:                          # doctest: +SKIP
...     futures = [pool.submit(path) for path in reports]
...     results = [future.result() for future in futures]       # PdfResult each

Each converter is one process running :mod:`sireport.pdf.uno_worker` (which owns one
LibreOffice with its own profile), started on first use and kept for the next
documents. A converter is restarted after ``restart_after`` documents (LibreOffice
grows), when a document takes longer than ``timeout`` seconds (a hang: the whole
process group is killed), and after any failure. A failure belongs to the document
being converted: its :class:`PdfResult` carries the Chinese reason and the other
documents go on. A PDF is written to a temporary file and renamed, never half-written.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sireport.errors import PdfError
from sireport.pdf.fonts import embedded_fonts
from sireport.pdf.office import WORKER, Office, find_office

TIMEOUT = 120.0  # seconds for one document (a 20-page report takes about one)
START_TIMEOUT = 120.0  # seconds for LibreOffice to start (the first start creates its profile)
RESTART_AFTER = 100  # documents per LibreOffice before it is restarted


@dataclass(frozen=True)
class PdfResult:
    """One document's conversion: the PDF and its embedded fonts, or why there is none."""

    docx: Path
    pdf: Path | None = None
    error: str | None = None
    fonts: tuple[str, ...] = ()  # embedded fonts, subset prefixes removed

    @property
    def ok(self) -> bool:
        return self.error is None


class Converter:
    """One converter process and the LibreOffice it drives (used by one thread at a time)."""

    def __init__(self, office: Office, profile: Path, timeout: float = TIMEOUT,
                 restart_after: int = RESTART_AFTER) -> None:
        self.office, self.profile = office, profile
        self.timeout, self.restart_after = timeout, restart_after
        self.process: subprocess.Popen | None = None
        self.converted = 0  # documents since the last start
        self.starts = 0
        self._answers: queue.Queue[str | None] = queue.Queue()

    def convert(self, docx: Path, pdf: Path) -> str | None:
        """Write ``pdf`` from ``docx``; None, or the Chinese reason it failed."""
        try:
            if self.process is None:
                self._start()
            self.process.stdin.write(_request(docx, pdf))
            self.process.stdin.flush()
            answer = self._answers.get(timeout=self.timeout)
        except PdfError as exc:
            return exc.message
        except queue.Empty:
            self.kill()
            return f"PDF 转换超过 {self.timeout:g} 秒仍未完成（LibreOffice 无响应），已重启转换进程"
        except OSError:  # the pipe broke: the converter is gone
            answer = None
        reply = _parse(answer) if answer is not None else {"lost": True}
        if reply.get("lost"):  # the converter or its LibreOffice died (killed, crashed)
            self.kill()
            return "LibreOffice 转换进程意外退出，未生成 PDF"
        if not reply.get("ok"):
            self.kill()  # a fresh LibreOffice for the next document
            return f"LibreOffice 无法转换该报告：{reply.get('error', answer.strip())}"
        self.converted += 1
        if self.converted >= self.restart_after:
            self.close()
        return None

    def _start(self) -> None:
        self._answers = queue.Queue()
        self.process = subprocess.Popen(
            [str(self.office.python), str(WORKER), str(self.office.soffice), str(self.profile)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            encoding="utf-8", env=self.office.environment(), **_own_group())
        self.starts += 1
        self.converted = 0
        threading.Thread(target=_read_lines, args=(self.process.stdout, self._answers), daemon=True).start()
        try:
            ready = self._answers.get(timeout=START_TIMEOUT)
        except queue.Empty:
            ready = None
        if ready is None or not _parse(ready).get("ready"):
            self.kill()
            reason = _parse(ready).get("error", "") if ready else f"{START_TIMEOUT:g} 秒内未就绪"
            raise PdfError(f"LibreOffice 无法启动（{self.office.soffice}）：{reason}")

    @property
    def pids(self) -> list[int]:
        """The converter process and its LibreOffice (for tests and diagnostics; Linux)."""
        if self.process is None or self.process.poll() is not None:
            return []
        return _group_members(self.process.pid)

    def close(self) -> None:
        """End of input: the converter closes LibreOffice and exits; anything left is killed."""
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(15)
        self.kill()

    def kill(self) -> None:
        """Kill the converter and its LibreOffice (the whole process group)."""
        process, self.process = self.process, None
        if process is None:
            return
        _kill_group(process)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class ConverterPool:
    """``jobs`` converters shared by the threads that submit documents."""

    def __init__(self, jobs: int = 1, *, office: Office | None = None, timeout: float = TIMEOUT,
                 restart_after: int = RESTART_AFTER) -> None:
        self.office = office or find_office()  # PdfError when LibreOffice is missing
        self._root = Path(tempfile.mkdtemp(prefix="sireport-lo-"))  # one LibreOffice profile per converter
        self.converters = [Converter(self.office, self._root / f"profile{n}", timeout, restart_after)
                           for n in range(max(1, jobs))]
        self._idle: queue.SimpleQueue[Converter] = queue.SimpleQueue()
        for converter in self.converters:
            self._idle.put(converter)
        self._executor = ThreadPoolExecutor(len(self.converters), thread_name_prefix="pdf")

    def submit(self, docx: str | Path, pdf: str | Path | None = None) -> Future[PdfResult]:
        """Convert ``docx`` to ``pdf`` (default: beside it, same name) in the background."""
        docx = Path(docx)
        return self._executor.submit(self._convert, docx, Path(pdf) if pdf else docx.with_suffix(".pdf"))

    def convert(self, docx: str | Path, pdf: str | Path | None = None) -> PdfResult:
        return self.submit(docx, pdf).result()

    def _convert(self, docx: Path, pdf: Path) -> PdfResult:
        converter = self._idle.get()
        handle, temp = tempfile.mkstemp(prefix=".~" + pdf.stem[:20], suffix=".tmp", dir=pdf.parent)
        os.close(handle)
        try:
            error = converter.convert(docx, Path(temp))
            if error is None:
                os.replace(temp, pdf)
                return PdfResult(docx, pdf, fonts=embedded_fonts(pdf))
            return PdfResult(docx, error=error)
        finally:
            self._idle.put(converter)
            with contextlib.suppress(OSError):
                os.unlink(temp)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        for converter in self.converters:
            converter.close()
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _request(docx: Path, pdf: Path) -> str:
    return json.dumps({"docx": str(docx.absolute()), "pdf": str(pdf.absolute())}, ensure_ascii=False) + "\n"


def _parse(line: str) -> dict:
    try:
        value = json.loads(line)
    except ValueError:
        return {"error": line.strip()}
    return value if isinstance(value, dict) else {"error": line.strip()}


def _read_lines(stream, answers: queue.Queue) -> None:
    """The converter's answers, one line each; None when it exits."""
    with contextlib.suppress(OSError, ValueError):
        for line in stream:
            answers.put(line)
    answers.put(None)


def _own_group() -> dict:
    """Start the converter in its own process group, so that a hang is killed with its LibreOffice."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_group(process: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _group_members(group: int) -> list[int]:
    members = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == group:
                members.append(int(entry.name))
    return members
