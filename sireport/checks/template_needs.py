"""Template needs: a data field the chosen template uses that the data leaves empty.

The template side supplies the dotted variable paths a template uses
(``report.cover.fill_date``, ``text.plans``, ``funds.text.reasons``); this module looks
each one up in the render context and reports those that are missing (None or empty),
once per variable, named by the field's Chinese label (``填报时间``) and placed at its
first empty occurrence. Only fields a clerk fills are reported: figures the program
derives (``columns.expense_sub.change``, ``funds.income_items``) are empty because
their inputs are, and the rules about those inputs say so. Names that are not part of
the render context (loop variables, macros) are not data: skipped.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any, Optional

from pydantic import BaseModel

from sireport.data import labels
from sireport.data.model import Fund, Report
from sireport.word.context import build_context

from .base import Context

EMPTY = (None, "", [], ())
ROOTS: dict[str, type[BaseModel]] = {"report": Report, "text": Report, "funds": Fund}  # context name -> model


def check(ctx: Context, template_vars: set[str]) -> None:
    context = build_context(ctx.report, ctx.figures)
    for path in sorted(template_vars):
        root, *rest = path.split(".")
        label = field_label(root, rest)
        if root not in context or label is None:
            continue
        empty = [loc for loc, value in _lookup(context[root], (root,), rest) if value in EMPTY]
        if empty:
            many = f"（共{len(empty)}处）" if len(empty) > 1 else ""
            ctx.add("template.missing", empty[0], f"模板使用了“{label}”，但数据中没有填写{many}", "有值", "空")


def field_label(root: str, rest: list[str]) -> Optional[str]:
    """The Chinese label of a data field the template names, or None for a derived figure."""
    model = ROOTS.get(root)
    keys = [root, *rest] if root in ("report", "text") else rest
    label = None
    for key in keys:
        info = model.model_fields.get(key) if model is not None else None
        if info is None:
            return None
        label = labels.field_label(info.description or key)
        model = _model_of(info.annotation)
    return label


def _model_of(annotation: Any) -> Optional[type[BaseModel]]:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


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
