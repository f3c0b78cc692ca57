"""Key paths and source positions: turn a validation location into a place a person finds.

A location is a tuple of keys and list indexes, as pydantic reports it
(``("funds", 0, "income", 2, "actual")``). People read it as a key path that names
funds and items by their Chinese names (``funds[失业保险].expense[稳岗补贴].actual``)
and, where the source kept positions, as ``file:line:column`` or ``sheet!cell``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Loc = tuple  # tuple[str | int, ...]
LABEL = 30  # characters of a name that labels a list entry in a key path


def key_path(raw: Any, loc: Loc) -> str:
    """Format ``loc`` as a key path, naming list entries by their ``name`` when they have one."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            label = str(key + 1)
            if isinstance(node, list) and 0 <= key < len(node):
                entry = node[key]
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    label = entry["name"] if len(entry["name"]) <= LABEL else entry["name"][:LABEL] + "…"
                node = entry
            else:
                node = None
            parts.append(f"[{label}]")
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(key))
    return "".join(parts) or "（文件顶层）"


@dataclass
class Source:
    """Where a data set came from, and where each of its keys stands in that source."""

    name: str  # file name as the user gave it
    positions: Mapping[Loc, str] = field(default_factory=dict)  # loc -> "line:col" or "Sheet!B5"
    separator: str = ":"
    in_bounds: bool = False  # the reader found every value within the limits (sireport.data.limits.Budget)

    def where(self, loc: Loc) -> str:
        """The source position of ``loc`` or, failing that, of its nearest known parent."""
        for depth in range(len(loc), -1, -1):
            pos = self.positions.get(tuple(loc[:depth]))
            if pos is not None:
                return f"{self.name}{self.separator}{pos}"
        return self.name
