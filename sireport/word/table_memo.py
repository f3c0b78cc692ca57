"""A rendered table fitted once per shape, not once per report (:mod:`sireport.word.engine`).

Fitting a rendered table (docxtpl's column fix, then :func:`sireport.word.tables.fit_tables`)
parses it, walks every cell and writes it out again; from one unit to the next the table
differs mostly in its figures and sentences. Neither step changes a text, and no fit depends
on a text that can never be a label (one with a digit, or longer than a label:
:func:`sireport.word.labels.never_a_label`). So each such text that the XML writer writes
back as it is (no markup, no character XML refuses) is replaced by a placeholder, the table
so masked is fitted once and kept, and each unit's texts are put back in order: a table with
the labels and structure of one met before costs two regular-expression passes instead of a
parse, a walk and a write.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from sireport.word.labels import never_a_label
from sireport.word.line_breaks import TEXT_ELEMENT

PLACEHOLDER = "0\ue000"  # a digit (so never a label either) and a private-use character
_VERBATIM = re.compile(r"[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")  # lxml writes it unchanged
SIZE = 64  # masked tables kept per template (a batch has a few shapes: one per set of funds)
LONGEST = 200_000  # characters of a table kept in the memo (the built-in ones: under 60,000); longer: fitted as it is


class TableMemo:
    """Fitted tables by their masked XML (bounded: the oldest is dropped first)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._fitted: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()  # (renders in threads: one eviction at a time)

    def fitted(self, source: str, context: str, fit: Callable[[str], str]) -> str:
        """``fit(source)``, from the memo when a table of the same mask was fitted before.

        ``context`` is all else the result depends on (the body's start tag): part of the key.
        A table whose own XML has the placeholder's character, or longer than LONGEST (the memo
        holds at most SIZE of them, twice), is fitted as it is."""
        if len(source) > LONGEST or PLACEHOLDER[1] in source:
            return fit(source)
        texts: list[str] = []
        masked = TEXT_ELEMENT.sub(lambda match: _masked(match, texts), source)
        if not texts:
            return fit(source)
        key = (context, masked)
        template = self._fitted.get(key)
        if template is None:
            try:
                template = fit(masked)
            except Exception:
                return fit(source)  # raises the table's own error (its positions, not the mask's)
            with self._lock:
                if len(self._fitted) >= self.size:
                    del self._fitted[next(iter(self._fitted))]
                self._fitted[key] = template
        pieces = template.split(PLACEHOLDER)
        if len(pieces) != len(texts) + 1:
            return fit(source)  # a text the fit wrote as the placeholder (&#xE000; after a 0): not masked
        out = [pieces[0]]
        for text, piece in zip(texts, pieces[1:]):
            out += [text, piece]
        return "".join(out)


def _masked(match: re.Match, texts: list[str]) -> str:
    text = match.group(2)
    if not never_a_label(text) or not _VERBATIM.fullmatch(text):
        return match.group(0)
    texts.append(text)
    return f"{match.group(1)}{PLACEHOLDER}</w:t>"
