"""A data field's Chinese label, read from its description (one derivation for every place).

A field's description starts with its name and goes on with notes: "支出预算执行率目标（%，以上）",
"基金收入合计（填写时优先使用，否则为各项目之和）". The workbook's column headings keep the first
clause with its note (:func:`short_label`); a message naming the field (缺少必填字段“…”,
模板使用了“…”) drops the note at the end as well (:func:`field_label`).
"""

from __future__ import annotations

import re

_TRAILING_NOTE = re.compile(r"（[^（）]*）$")


def short_label(description: str) -> str:
    """The first clause of a description, cut at a comma or semicolon outside brackets."""
    depth = 0
    for index, char in enumerate(description):
        if char in "（(“":
            depth += 1
        elif char in "）)”":
            depth -= 1
        elif char in "，；。" and depth <= 0:
            return description[:index]
    return description


def field_label(description: str) -> str:
    """A field as a message names it: the first clause without the note that ends it
    ("支出预算执行率目标（%，以上）" → "支出预算执行率目标"; "年末滚存（累计）结余" unchanged)."""
    return _TRAILING_NOTE.sub("", short_label(description)) or description
