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
import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate, pairwise
from pathlib import Path

from sireport.findings import Finding
from sireport.word.text import Block, Place, read_docx
from sireport.word.text_memo import BodyMemo, Reading

from .rules import CELL_RULES, CODES, GATES, PARAGRAPH_RULES, SEPARATOR, Hit, Rule, WrittenTwice

__all__ = ["CODES", "lint_blocks", "lint_body", "lint_docx", "lint_text"]

def lint_docx(document: bytes | str | Path) -> list[Finding]:
    """Findings about a rendered report, given as .docx bytes or a path."""
    source = io.BytesIO(document) if isinstance(document, bytes) else document
    return lint_blocks(read_docx(source))


def lint_body(xml: bytes) -> list[Finding]:
    """Findings about a rendered report given as its word/document.xml (a render's own bytes:
    nothing is unzipped again; a body of a shape read before is not parsed again: _BODIES)."""
    return _lint(_BODIES.read(xml))


def lint_blocks(blocks: list[Block]) -> list[Finding]:
    """Findings about paragraphs and table cells read by :func:`sireport.word.text.read_docx`,
    block by block in reading order."""
    return _lint(Reading.of(blocks))


_BODIES = BodyMemo()  # the rendered bodies' shapes, read once per process


def _lint(reading: Reading) -> list[Finding]:
    texts, places, in_table = reading.texts, reading.places, reading.in_table
    cells = [index for index, table in enumerate(in_table) if table]
    paragraphs = [index for index, table in enumerate(in_table) if not table]
    hits = [*_hits(texts, cells, CELL_RULES), *_hits(texts, paragraphs, PARAGRAPH_RULES)]
    findings = [_finding(str(places[index]), hit) for index, _, hit in sorted(hits, key=lambda h: h[:2])]
    findings.extend(_empty_headings(texts, places, reading.levels))
    return findings


def lint_text(paragraphs: list[str]) -> list[Finding]:
    """Findings about plain body paragraphs (one string each), placed 段落 N (no heading rules)."""
    blocks = [Block(text, Place(paragraph=number)) for number, text in enumerate(paragraphs, 1)]
    return lint_blocks(blocks)


def _hits(texts: list[str], chosen: list[int], rules: tuple[Rule, ...]) -> list[tuple[int, int, Hit]]:
    """(block index, rule number, hit) of ``rules`` on the ``chosen`` blocks' ``texts``. A text read before
    (a heading, a fixed sentence, a table label: most of a report) is not read again
    (:data:`_KNOWN`); the others are read together (:func:`_read`)."""
    known = _KNOWN.setdefault(rules, {})
    hits = {text: known.get(text) for text in dict.fromkeys(texts[index] for index in chosen)}
    new = [text for text, found in hits.items() if found is None]
    hits.update(zip(new, _read(new, rules)))
    if len(known) + len(new) > _KNOWN_MAX:  # bounded: all but this report's texts are forgotten (a
        known.clear()                        # batch's fixed texts are among them: never read again)
        new = list(hits)
    known.update((text, hits[text]) for text in new if len(text) <= _KNOWN_LONGEST)
    return [(index, number, hit) for index in chosen for number, hit in hits[texts[index]]]


# the hits of each text read, per rule set: a text's hits depend on nothing else
_KNOWN: dict[tuple[Rule, ...], dict[str, tuple[tuple[int, Hit], ...]]] = {}
_KNOWN_MAX = 2000  # (a report has ~160 texts, half of them its data's: seen once in a batch)
_KNOWN_LONGEST = 2000  # characters of a text kept (a report's fixed texts are far shorter; data may be long)


def _read(texts: list[str], rules: tuple[Rule, ...]) -> list[tuple[tuple[int, Hit], ...]]:
    """The (rule number, hit) of ``rules`` in each of ``texts``; a rule with a gate (:data:`GATES`)
    reads only the texts its gate matches in, found in one pass over them all (a pattern's, per
    text's skeleton: :func:`_gated`)."""
    if not texts:
        return []
    whole = SEPARATOR.join(texts)
    gated = _gated(texts, whole, rules)
    found: list[list[tuple[int, Hit]]] = [[] for _ in texts]
    for number, rule in enumerate(rules):
        gate = GATES.get(rule)
        if gate is None:
            chosen: Iterable[int] = range(len(texts))
        elif isinstance(gate, WrittenTwice):
            chosen = sorted(gate.touched(texts))
        else:
            chosen = [k for k, numbers in enumerate(gated) if number in numbers]
        for k in chosen:
            found[k] += [(number, hit) for hit in rule(texts[k])]
    return [tuple(hits) for hits in found]


def _gated(texts: list[str], whole: str, rules: tuple[Rule, ...]) -> list[tuple[int, ...]]:
    """For each of ``texts`` (joined in ``whole``), the numbers of the rules whose gate pattern
    matches in it. A gate pattern matches in a text as in its skeleton, its digits written as 0
    (:data:`sireport.prose.rules.GATES`): a batch's data texts say the same things with other
    figures, so the gates run only over texts of a skeleton not met before (:data:`_GATED`)."""
    skeleton = whole.encode("utf-8", "surrogatepass").translate(_ZEROS).decode("utf-8", "surrogatepass")
    skeletons = _split(skeleton, texts)  # (a text may hold a SEPARATOR itself: cut by lengths)
    known = _GATED.setdefault(rules, {})
    gated = [known.get(skeleton) for skeleton in skeletons]
    new = [k for k, numbers in enumerate(gated) if numbers is None]
    if not new:
        return gated
    unread = [texts[k] for k in new]
    joined = SEPARATOR.join(unread)
    starts = list(accumulate((len(text) + 1 for text in unread), initial=0))  # where each text starts in joined
    matched: list[list[int]] = [[] for _ in new]
    for number, rule in enumerate(rules):
        gate = GATES.get(rule)
        if isinstance(gate, re.Pattern):
            for j in _touched(gate, joined, starts):
                matched[j].append(number)
    for j, k in enumerate(new):
        gated[k] = tuple(matched[j])
    if len(known) + len(new) > _KNOWN_MAX:  # bounded as _KNOWN: this report's skeletons are kept
        known.clear()
        new = range(len(texts))
    known.update((skeletons[k], gated[k]) for k in new if len(texts[k]) <= _KNOWN_LONGEST)
    return gated


def _split(whole: str, texts: list[str]) -> list[str]:
    """``whole`` (as long as ``texts`` joined by SEPARATOR) cut where each of ``texts`` lies in it."""
    starts = accumulate((len(text) + 1 for text in texts), initial=0)
    return [whole[start:start + len(text)] for start, text in zip(starts, texts)]


# the rules whose gate pattern matches in a text, by its skeleton, per rule set
_GATED: dict[tuple[Rule, ...], dict[str, tuple[int, ...]]] = {}
_ZEROS = bytes.maketrans(b"123456789", b"000000000")  # an ASCII digit in UTF-8 is one byte, never part of another


def _touched(gate: re.Pattern | WrittenTwice, whole: str, starts: list[int]) -> set[int]:
    """The texts (numbered as in ``starts``) a match of ``gate`` in ``whole`` lies in, even in part.

    A rule's fault in one text is matched by the gate in that text alone (its contract); in the
    joined texts the same match exists, unless an earlier match overlaps it: either way a match
    touches that text."""
    if isinstance(gate, WrittenTwice):
        return gate.touched([whole[start:end - 1] for start, end in pairwise(starts)])
    touched: set[int] = set()
    for match in gate.finditer(whole):
        first, last = bisect_right(starts, match.start()) - 1, bisect_right(starts, match.end() - 1) - 1
        touched.update(range(first, last + 1))
    return touched


def _finding(where: str, hit: Hit) -> Finding:
    return Finding(hit.code, "warning", where, hit.message, None, hit.found)


def _followed_by_text(texts: list[str], levels: list[int | None], heading: int) -> bool:
    """Whether some text follows a heading before the next heading of its level or above."""
    for later in range(heading + 1, len(texts)):
        if levels[later] and levels[later] <= levels[heading]:
            return False
        if texts[later].strip():
            return True
    return False


def _empty_headings(texts: list[str], places: list[Place], levels: list[int | None]) -> list[Finding]:
    """A heading with no words, or followed by no text before the next heading of its level or above."""
    findings = []
    for index, (text, level) in enumerate(zip(texts, levels)):
        if not level:
            continue
        if not text.strip(" 0123456789.．、（）一二三四五六七八九十"):
            findings.append(Finding("prose.empty_heading", "warning", str(places[index]), "标题没有文字", None, text))
            continue
        if not _followed_by_text(texts, levels, index):
            findings.append(Finding("prose.empty_heading", "warning", str(places[index]),
                                    f"标题“{text}”下面没有内容（没有内容时写“无。”或删去该标题）", None, text))
    return findings
