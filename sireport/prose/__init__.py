"""The prose linter: the rendered text read back and checked as a careful clerk would.

Runs after every render (the built-in templates and a clerk's own), on the document itself
(the render's own word/document.xml, :func:`lint_body`, not the file read back), so that what
it finds is what the reader would see: signed comparisons (“增长-1.87%”),
missing figures (“—万元”), doubled or Latin punctuation, a word or a figure repeated, an
empty heading, program words (None, nan, ``{{``), a judgement its figure contradicts.
Findings are warnings (:class:`sireport.findings.Finding`, codes ``prose.*``, documented in
docs/检查规则.md) placed by paragraph or table cell as Word counts them.

>>> from sireport.prose import lint_docx
>>> [str(f) for f in lint_docx("output/报告.docx")]     # doctest: +SKIP
['警告 段落 61：[prose.repeated_figure] 同一段中“95.88%”出现两次，请删去重复的数字（实际 95.88%）']
"""

from __future__ import annotations

import io
from pathlib import Path

from sireport.findings import Finding
from sireport.word.text import VAL, Block, Place, W, body_of, read_docx, walk

from .rules import CELL_RULES, CODES, GATES, PARAGRAPH_RULES, Hit, Rule

__all__ = ["CODES", "lint_blocks", "lint_body", "lint_docx", "lint_text"]

PPR, PSTYLE = f"{W}pPr", f"{W}pStyle"
HEADING = "Heading"  # style ids Heading1..3 of the built-in templates (and Word's own)


def lint_docx(document: bytes | str | Path) -> list[Finding]:
    """Findings about a rendered report, given as .docx bytes or a path."""
    source = io.BytesIO(document) if isinstance(document, bytes) else document
    return lint_blocks(read_docx(source))


def lint_body(xml: bytes) -> list[Finding]:
    """Findings about a rendered report given as its word/document.xml (a render's own bytes:
    nothing is unzipped again)."""
    return lint_blocks(list(walk(body_of(xml))))


def lint_blocks(blocks: list[Block]) -> list[Finding]:
    """Findings about paragraphs and table cells read by :func:`sireport.word.text.read_docx`,
    block by block in reading order."""
    cells = [index for index, block in enumerate(blocks) if block.in_table]
    paragraphs = [index for index, block in enumerate(blocks) if not block.in_table]
    hits = [*_hits(blocks, cells, CELL_RULES), *_hits(blocks, paragraphs, PARAGRAPH_RULES)]
    findings = [_finding(str(blocks[index].place), hit) for index, _, hit in sorted(hits, key=lambda h: h[:2])]
    findings.extend(_empty_headings(blocks))
    return findings


def lint_text(paragraphs: list[str]) -> list[Finding]:
    """Findings about plain body paragraphs (one string each), placed 段落 N (no heading rules)."""
    blocks = [Block(text, Place(paragraph=number)) for number, text in enumerate(paragraphs, 1)]
    return lint_blocks(blocks)


def _hits(blocks: list[Block], chosen: list[int], rules: tuple[Rule, ...]) -> list[tuple[int, int, Hit]]:
    """(block index, rule number, hit) of ``rules`` on the ``chosen`` blocks; a rule whose
    gate (:data:`GATES`) matches nowhere in their joined text is not run block by block."""
    whole = "\n".join(blocks[index].text for index in chosen)
    found = []
    for number, rule in enumerate(rules):
        gate = GATES.get(rule)
        if gate is not None and not gate.search(whole):
            continue
        found += [(index, number, hit) for index in chosen for hit in rule(blocks[index].text)]
    return found


def _finding(where: str, hit: Hit) -> Finding:
    return Finding(hit.code, "warning", where, hit.message, None, hit.found)


def _level(block: Block) -> int | None:
    """The heading level of a body paragraph (1, 2, 3), None for body text."""
    if block.in_table or not block.elements:
        return None
    properties = block.elements[0].find(PPR)
    style = None if properties is None else properties.find(PSTYLE)
    value = "" if style is None else style.get(VAL, "")
    return int(value[len(HEADING):]) if value.startswith(HEADING) and value[len(HEADING):].isdigit() else None


def _empty_headings(blocks: list[Block]) -> list[Finding]:
    """A heading with no words, or followed by no text before the next heading of its level or above."""
    levels = [_level(block) for block in blocks]
    findings = []
    for index, (block, level) in enumerate(zip(blocks, levels)):
        if not level:
            continue
        if not block.text.strip(" 0123456789.．、（）一二三四五六七八九十"):
            findings.append(Finding("prose.empty_heading", "warning", str(block.place), "标题没有文字", None,
                                    block.text))
            continue
        following = []
        for later, later_level in zip(blocks[index + 1:], levels[index + 1:]):
            if later_level and later_level <= level:
                break
            following.append(later)
        if not any(later.text.strip() for later in following):
            findings.append(Finding("prose.empty_heading", "warning", str(block.place),
                                    f"标题“{block.text}”下面没有内容（没有内容时写“无。”或删去该标题）", None,
                                    block.text))
    return findings
