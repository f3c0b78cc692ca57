"""A PDF report read as paragraphs, through poppler's ``pdftotext`` (when installed).

PDF text has no paragraphs, only lines: a line that does not end a sentence continues
into the next one. Tables come out as lines too, so only the prose is audited from a PDF.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import SireportError
from ..word.text import Block, Place
from .grammar import HEADING

SENTENCE_ENDS = tuple("。；：:！？")


class PdfUnavailable(SireportError):
    """The PDF cannot be read: pdftotext is missing or the file is damaged."""


def read_pdf(path: Path) -> list[Block]:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise PdfUnavailable(f"{path}：读取 PDF 需要 poppler-utils 中的 pdftotext，请先安装（Debian：apt-get install poppler-utils）")
    try:
        done = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise PdfUnavailable(f"{path}：无法读取 PDF 的文字（{exc}）") from None
    blocks: list[Block] = []
    for number, page in enumerate(done.stdout.decode("utf-8", "replace").split("\f"), start=1):
        blocks.extend(_paragraphs(page, number))
    return blocks


def _paragraphs(page: str, number: int) -> list[Block]:
    out: list[Block] = []
    current = ""
    for line in (ln.strip() for ln in page.splitlines()):
        if not line:
            continue
        heading = HEADING.match(line) is not None and len(line) <= 48
        if heading and current:  # a numbered heading always starts its own paragraph
            out.append(Block(current, Place(paragraph=len(out) + 1, page=number)))
            current = ""
        current += line
        if heading or line.endswith(SENTENCE_ENDS) or len(line) < 20:
            out.append(Block(current, Place(paragraph=len(out) + 1, page=number)))
            current = ""
    if current:
        out.append(Block(current, Place(paragraph=len(out) + 1, page=number)))
    return out
