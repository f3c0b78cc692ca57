"""How ``sireport audit`` shows its findings: the Finding of ``check``, located and quoted.

A finding's ``where`` is the place in the document (``段落 12``, ``表 1 行 10 列 7``); its
message quotes the sentence with the figure in 【】, and ``found`` is the figure as printed.
Text and JSON output are those of ``sireport check`` (docs/检查规则.md, docs/审核.md).
"""

from __future__ import annotations

from ..findings import Finding
from .rules import CODES, Issue


def finding(issue: Issue) -> Finding:
    claim = issue.claim
    message = f"{issue.message}：“{_clip(claim.quote())}”"
    if issue.other is not None and str(issue.other.block.place) not in message:
        message += f"（参见{issue.other.block.place}）"
    return Finding(issue.code, CODES[issue.code], str(claim.block.place), message, issue.expected, claim.printed)


def _clip(sentence: str, width: int = 60) -> str:
    """A long sentence cut around the marked figure."""
    if len(sentence) <= width:
        return sentence
    mark = sentence.index("【")
    start = max(0, min(mark - width // 2, len(sentence) - width))
    return ("…" if start else "") + sentence[start:start + width] + ("…" if start + width < len(sentence) else "")
