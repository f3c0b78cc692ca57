"""A rendered body read once per shape, not once per report (the prose linter's reading).

Reading a rendered word/document.xml back as blocks (:func:`sireport.word.text.walk`) parses
it and walks every paragraph and cell; from one unit of a batch to the next the body differs
mostly in the texts of its w:t elements, and a block's place, its heading level and which
w:t texts make up its text depend on everything else. So each w:t text the XML parser would
read as it is written (no entity, markup, carriage return or character XML refuses) is
replaced by a numbered slot, the body so masked is parsed and walked once and kept, and each
unit's texts are put into the slots: a body of a shape met before costs one regular-expression
split instead of a parse and a walk. The same blocks come out either way (tests/test_word_text.py
reads bodies both ways).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional, Union

from ..files import declared_not_utf8
from .text import Block, Place, UnreadableDocument, body_of, heading_levels, walk

SIZE = 16  # masked bodies kept (a batch has a few shapes: one per template and set of funds)
LONGEST = 500_000  # bytes of a body kept in the memo (a report's: under 100,000); longer: read as it is

# a w:t with its text as the rendered body writes it (start tag, then the text up to </w:t>); a
# start tag with a > in an attribute's value is cut short, the slot then lies in that value, before
# a <: the masked body does not parse and the body is read as it is
_TEXT = re.compile(rb"(<w:t(?:\s[^>]*)?>)([^<]*)(?=</w:t>)")
# what the parser would not read as written: an entity or character reference, a carriage
# return (read as a line feed), a control character XML refuses; and ]]> (refused)
_NOT_VERBATIM = b"&\r" + bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20)])
_SLOT_START, _SLOT_END = "\ue000", "\ue001"  # private-use characters around a slot's number
_SLOT = re.compile(f"{_SLOT_START}([0-9]+){_SLOT_END}")
_SLOT_START_BYTES = _SLOT_START.encode()
_SLOT_REFERENCE = re.compile(rb"&#(?:[xX]0*[eE]00[01]|0*5734[45]);")  # a slot's characters as references

# a block's text from the unit's texts: a text of its own (str), one slot (int), or pieces of both
Template = Union[str, int, tuple[Union[str, int], ...]]


@dataclass(frozen=True)
class Reading:
    """The blocks of a body in reading order: text, place, whether in a table, heading level."""

    texts: list[str]
    places: list[Place]
    in_table: list[bool]
    levels: list[Optional[int]]

    @classmethod
    def of(cls, blocks: list[Block]) -> Reading:
        in_table = [block.in_table for block in blocks]
        return cls([block.text for block in blocks], [block.place for block in blocks], in_table,
                   heading_levels(blocks, in_table))


@dataclass(frozen=True)
class _Shape:
    """What a masked body reads as: each block's text as a template, and its reading (the
    blocks' places, whether in a table and heading levels are every unit's)."""

    templates: list[Template]
    masked: Reading


class BodyMemo:
    """Masked bodies and what they read as (bounded: the oldest is dropped first)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._shapes: dict[bytes, Optional[_Shape]] = {}  # None: a body read as it is
        self._lock = threading.Lock()  # (renders in threads: one eviction at a time)

    def read(self, xml: bytes) -> Reading:
        """The blocks of the document part ``xml`` (word/document.xml) as
        ``walk(body_of(xml))`` reads them; raises as :func:`body_of` does."""
        if len(xml) > LONGEST or declared_not_utf8(xml):
            return _direct(xml)
        pieces = _TEXT.split(xml)  # before, start tag, text, before, start tag, text, …, after
        texts = pieces[2::3]
        joined = b"<".join(texts)  # (no text holds a <)
        if not _verbatim(joined):  # the few texts not read as written stay in the mask
            slotted = [index for index, text in enumerate(texts) if _verbatim(text)]
            joined = b"<".join([texts[index] for index in slotted])
            for index, slot in zip(slotted, _slots(len(slotted))):
                pieces[2 + 3 * index] = slot
        else:
            slotted = range(len(texts))
            pieces[2::3] = _slots(len(texts))
        try:
            values = joined.decode("utf-8")
        except UnicodeDecodeError:
            return _direct(xml)
        if "\ufffe" in values or "\uffff" in values:  # characters XML refuses
            return _direct(xml)
        masked = b"".join(pieces)
        shape = self._shapes.get(masked, _MISSING)
        if shape is _MISSING:
            shape = _shape(masked, len(slotted))
            with self._lock:
                if len(self._shapes) >= self.size:
                    del self._shapes[next(iter(self._shapes))]
                self._shapes[masked] = shape
        if shape is None:
            return _direct(xml)
        split = values.split("<")
        return Reading([split[t] if t.__class__ is int else t if t.__class__ is str else _joined(t, split)
                        for t in shape.templates], shape.masked.places, shape.masked.in_table, shape.masked.levels)


_MISSING = object()


def _verbatim(text: bytes) -> bool:
    return len(text.translate(None, _NOT_VERBATIM)) == len(text) and b"]]>" not in text


def _slots(count: int) -> list[bytes]:
    """The first ``count`` slots as the masked body writes them."""
    if len(_SLOTS) < count:
        with _SLOTS_LOCK:  # (renders in threads: each slot written once, at its number)
            while len(_SLOTS) < count:
                _SLOTS.append(f"{_SLOT_START}{len(_SLOTS)}{_SLOT_END}".encode())
    return _SLOTS[:count]


_SLOTS: list[bytes] = []
_SLOTS_LOCK = threading.Lock()


def _joined(template: tuple[Union[str, int], ...], values: list[str]) -> str:
    return "".join([values[piece] if piece.__class__ is int else piece for piece in template])


def _direct(xml: bytes) -> Reading:
    return Reading.of(list(walk(body_of(xml))))


def _shape(masked: bytes, slots: int) -> Optional[_Shape]:
    """What ``masked`` reads as; None when the body is to be read as it is: the mask does not
    parse (the body then says what is wrong), or a text left in it reads as a slot's character."""
    if masked.count(_SLOT_START_BYTES) != slots or _SLOT_REFERENCE.search(masked):
        return None  # a slot's character written elsewhere too, as it is or as a reference
    try:
        body = body_of(masked)
    except UnreadableDocument:
        return None
    reading = Reading.of(list(walk(body)))
    templates = [_template(text) for text in reading.texts]
    if sorted(_numbers(templates)) != list(range(slots)):
        return None  # a slot outside the blocks read (in a comment, outside w:body…) or read twice
    return _Shape(templates, reading)


def _numbers(templates: list[Template]) -> Iterator[int]:
    """The slots' numbers the ``templates`` read, in order."""
    for template in templates:
        if template.__class__ is int:
            yield template
        elif template.__class__ is tuple:
            yield from (piece for piece in template if piece.__class__ is int)


def _template(text: str) -> Template:
    """A block's text read from the masked body as a template: the slots' numbers between its own texts."""
    parts = _SLOT.split(text)  # its own texts at even places, the slots' numbers at odd ones
    if len(parts) == 1:
        return text
    if len(parts) == 3 and not parts[0] and not parts[2]:
        return int(parts[1])
    return tuple(int(part) if k % 2 else part for k, part in enumerate(parts) if k % 2 or part)
