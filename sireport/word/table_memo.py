"""A rendered table fitted once per shape, not once per report (:mod:`sireport.word.engine`).

Fitting a rendered table (docxtpl's column fix, then :func:`sireport.word.tables.fit_tables`)
parses it, walks every cell and writes it out again; from one unit to the next the table
differs mostly in its figures and sentences. Neither step changes a text, and no fit depends
on a text that can never be a label (one with a digit, or longer than a label:
:func:`sireport.word.labels.never_a_label`) nor on the text of a cell that is not fitted as a
label (too wide, more than one paragraph, aligned: which cells these are depends on the
table's structure alone, found by fitting each structure once). So each such text that the
XML writer writes back as it is (no markup, no character XML refuses) is replaced by a
placeholder, the table so masked is fitted once and kept, and each unit's texts are put back
in order: a table with the labels and structure of one met before costs a few
regular-expression passes instead of a parse, a walk and a write, whatever its unit's name
or sentences.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Sequence

from sireport.word.labels import never_a_label
from sireport.word.line_breaks import TEXT_ELEMENT

PLACEHOLDER = "0\ue000"  # a digit (so never a label either) and a private-use character
_TEXT = re.compile(r">[^<>]+</w:t>")  # a w:t's text (_unread's key leaves them out: what is left is markup)
_NUMBERED = re.compile(PLACEHOLDER + "([0-9]+)\ue000")  # the placeholder of a numbered text (_unread)
_VERBATIM = re.compile(r"[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")  # lxml writes it unchanged
SIZE = 64  # masked tables kept per template (a batch has a few shapes: one per set of funds)
LONGEST = 200_000  # characters of a table kept in the memo (the built-in ones: under 60,000); longer: fitted as it is
Reading = Callable[[str], Sequence[str]]  # the texts a fit of a table reads (sireport.word.tables.fit_tables)


class TableMemo:
    """Fitted tables by their masked XML, and the texts no fit reads by table structure
    (bounded: the oldest is dropped first)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._fitted: dict[tuple[str, str], str] = {}
        self._unread_by_shape: dict[tuple[str, str], frozenset[int]] = {}
        self._lock = threading.Lock()  # (renders in threads: one eviction at a time)

    def fitted(self, source: str, context: str, fit: Callable[[str], str], reading: Reading | None = None) -> str:
        """``fit(source)``, from the memo when a table of the same mask was fitted before.

        ``context`` is all else the result depends on (the body's start tag): part of the key.
        ``reading(table)`` fits ``table`` and returns the texts the fit read: with it, the
        texts no fit of this structure reads are masked too (:meth:`_unread`); without it,
        only those that can never be a label. A table whose own XML has the placeholder's
        character, or longer than LONGEST (the memo holds at most SIZE of them, three
        times), is fitted as it is."""
        if len(source) > LONGEST or PLACEHOLDER[1] in source:
            return fit(source)
        unread = self._unread(source, context, reading) if reading is not None else frozenset()
        texts: list[str] = []
        numbers = itertools.count()
        masked = TEXT_ELEMENT.sub(lambda match: _masked(match, texts, next(numbers) in unread), source)
        if not texts:
            return fit(source)
        key = (context, masked)
        template = self._fitted.get(key)
        if template is None:
            try:
                template = fit(masked)
            except Exception:
                return fit(source)  # raises the table's own error (its positions, not the mask's)
            self._keep(self._fitted, key, template)
        pieces = template.split(PLACEHOLDER)
        if len(pieces) != len(texts) + 1:
            return fit(source)  # a text the fit wrote as the placeholder (&#xE000; after a 0): not masked
        out = [pieces[0]]
        for text, piece in zip(texts, pieces[1:]):
            out += [text, piece]
        return "".join(out)

    def _unread(self, source: str, context: str, reading: Reading) -> frozenset[int]:
        """The numbers (in order among its w:t) of the texts of ``source`` that no fit of its
        structure reads. Which cells a fit reads depends on the structure alone (all texts left
        out: the key), so each structure is fitted once with its texts numbered, and the
        numbers the fit did not read are the answer."""
        shape = (context, _TEXT.sub("></w:t>", source))  # (one pass in C: no Python call per text)
        unread = self._unread_by_shape.get(shape)
        if unread is None:
            numbers, numbered = itertools.count(), set()
            try:
                read = reading(TEXT_ELEMENT.sub(lambda match: _numbered(match, next(numbers), numbered), source))
            except Exception:
                return frozenset()  # (the fit of the table itself then fails as it does)
            unread = frozenset(numbered.difference(int(n) for text in read for n in _NUMBERED.findall(text)))
            self._keep(self._unread_by_shape, shape, unread)
        return unread

    def _keep(self, memo: dict, key: tuple[str, str], value: object) -> None:
        with self._lock:
            if len(memo) >= self.size:
                del memo[next(iter(memo))]
            memo[key] = value


def _masked(match: re.Match, texts: list[str], unread: bool) -> str:
    text = match.group(2)
    if not text or not (unread or never_a_label(text)) or not _VERBATIM.fullmatch(text):
        # (an empty text stays: put back into the placeholder it would read <w:t></w:t>, not <w:t/>)
        return match.group(0)
    texts.append(text)
    return f"{match.group(1)}{PLACEHOLDER}</w:t>"


def _numbered(match: re.Match, number: int, numbered: set[int]) -> str:
    """A text written back as it is replaced by its number (a placeholder: never a label)."""
    if not _VERBATIM.fullmatch(match.group(2)):
        return match.group(0)
    numbered.add(number)
    return f"{match.group(1)}{PLACEHOLDER}{number}\ue000</w:t>"
