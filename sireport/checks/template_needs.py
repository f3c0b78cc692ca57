"""Template needs: a variable the chosen template uses that the data leaves empty.

The template side supplies the dotted variable paths a template uses
(``report.cover.fill_date``, ``text.plans``, ``funds.text.reasons``); this module only
looks each one up in the render context and lists those that are missing (None or
empty). A path through a list (``funds.…``) is looked up in every element. Names that
are not part of the render context (loop variables, macros) are not data: skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sireport.word.context import build_context

from .base import Context

EMPTY = (None, "", [], ())


def check(ctx: Context, template_vars: set[str]) -> None:
    context = build_context(ctx.report, ctx.figures)
    for path in sorted(template_vars):
        root, *rest = path.split(".")
        if root not in context:
            continue
        for loc, value in _lookup(context[root], (root,), rest):
            if value in EMPTY:
                ctx.add("template.missing", loc, f"模板使用了“{path}”，但数据中没有填写", "有值", "空")


def _lookup(node: Any, loc: tuple, rest: list[str]) -> Iterator[tuple[tuple, Any]]:
    if isinstance(node, (list, tuple)) and rest:
        for index, element in enumerate(node):
            own = getattr(element, "loc", None)  # a fund's figures know their place in the data
            yield from _lookup(element, own if isinstance(own, tuple) and own else (*loc, index), rest)
        return
    if not rest:
        yield loc, node
        return
    key, *tail = rest
    if isinstance(node, dict):
        if key in node:
            yield from _lookup(node[key], (*loc, key), tail)
        return
    if node is None:
        yield loc, None
        return
    if hasattr(node, key):
        yield from _lookup(getattr(node, key), (*loc, key), tail)
