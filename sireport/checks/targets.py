"""Targets: a performance target not met while the report gives no reason.

The verdicts come from :mod:`sireport.figures.verdicts`, the same objects the report's
sentences read, so that ``check`` and the report never disagree. The reason belongs in the
fund's ``text.unmet`` (or, for all funds at once, the report's ``text.unmet``); when both
are empty or say only "无", every missed target is listed: expense execution below the
target rate, people below the target count, pay day, accuracy, satisfaction, settlement days.
The report then prints a visible placeholder in 三（三） where the reason is missing.
"""

from __future__ import annotations

from .base import Context


def check(ctx: Context) -> None:
    for fund in ctx.figures.funds:
        if not fund.needs_reason:
            continue
        for outcome in fund.unmet:
            ctx.add("targets.unmet", outcome.loc,
                    f"{fund.title}{outcome.name}未达到绩效目标，且未完成原因（该基金或全报告的“绩效目标未完成原因分析”）"
                    "未说明，报告三（三）中留有待填写的标记", outcome.target, outcome.achieved)
