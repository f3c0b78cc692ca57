"""Bookmarks stay unique when a loop repeats them.

A bookmark inside a ``{%p for %}`` or ``{%tr for %}`` block (Word's hidden ``_GoBack``,
left where the clerk last typed, or the clerk's own) is repeated with its id and name.
Word requires both to be unique, so each repeat gets a new id and a numbered name.
"""

from __future__ import annotations

import re

_MARK = re.compile(r'<w:bookmark(Start|End)\b[^>]*?w:id="([^"]*)"[^>]*>')
_NAME = re.compile(r'w:name="([^"]*)"')


def unique_bookmarks(xml: str) -> str:
    """``xml`` with every bookmark start and its end renumbered in order, names made unique."""
    if "<w:bookmarkStart" not in xml:
        return xml
    open_ids: dict[str, list[str]] = {}  # old id -> new ids of starts not yet ended
    names: dict[str, int] = {}
    pieces, done, number = [], 0, 0

    def renamed(match: re.Match) -> str:
        seen = names[match.group(1)] = names.get(match.group(1), 0) + 1
        return match.group(0) if seen == 1 else f'w:name="{match.group(1)}_{seen}"'

    for match in _MARK.finditer(xml):
        tag, old = match.group(0), match.group(2)
        if match.group(1) == "Start":
            new = str(number)
            number += 1
            open_ids.setdefault(old, []).append(new)
            tag = _NAME.sub(renamed, tag, count=1)
        else:
            waiting = open_ids.get(old)
            new = waiting.pop(0) if waiting else old  # an end whose start is elsewhere keeps its id
        pieces += [xml[done:match.start()], tag.replace(f'w:id="{old}"', f'w:id="{new}"', 1)]
        done = match.end()
    pieces.append(xml[done:])
    return "".join(pieces)
