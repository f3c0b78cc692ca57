"""A copy of the report with a Word comment on each claim that does not hold.

The comment is anchored on the runs that hold the figure (the whole paragraph when the
figure spans no run boundary cleanly), so the reviewer sees the finding beside the text
in Word or LibreOffice. The copy is written atomically; the original is never touched.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.text.paragraph import Paragraph

from ..files import refuse_existing, write_atomic
from ..findings import Finding
from ..word.text import Place, walk

AUTHOR, INITIALS = "sireport 审核", "审核"


def annotate(source: str | Path, target: str | Path, marks: list[tuple[Place, int, int, Finding]],
             force: bool = False) -> Path:
    """Write ``target``: ``source`` with one comment per (place, start, end, finding)."""
    target = Path(target)
    refuse_existing(target, force)
    document = Document(str(source))
    blocks = {block.place: block for block in walk(document.element.body)}
    for place, start, end, finding in marks:
        block = blocks.get(place)
        runs = _runs(block.elements, document, start, end) if block is not None else []
        if runs:
            document.add_comment(runs, text=f"{finding.label}：{finding.detail()}", author=AUTHOR, initials=INITIALS)
    buffer = io.BytesIO()
    document.save(buffer)
    return write_atomic(target, buffer.getvalue(), force=True)


def _runs(elements: list, document, start: int, end: int) -> list:
    """The runs covering characters [start, end) of a block whose paragraphs are joined by newlines."""
    offset = 0
    for element in elements:
        paragraph = Paragraph(element, document)
        runs = paragraph.runs
        length = sum(len(run.text) for run in runs)
        if offset <= start <= offset + length:
            chosen, position = [], offset
            for run in runs:
                if position < end and position + len(run.text) > start:
                    chosen.append(run)
                position += len(run.text)
            return chosen or runs
        offset += length + 1
    return []
