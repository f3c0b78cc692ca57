"""One finding about the data: what ``check`` lists, what a render prints as a warning, what
the 问题清单 workbook shows. Every rule family (sireport.checks) and the 绩效自评表
(sireport.figures.evaluation) report through this one type; docs/检查规则.md lists the codes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sireport.errors import Problem, path_of, place_of

LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Finding:
    """One thing found: rule code, severity, place, Chinese message, the two values compared."""

    code: str
    severity: str  # 'error' | 'warning' | 'info'
    where: str
    message: str
    expected: str | None = None
    found: str | None = None

    @property
    def label(self) -> str:
        """错误 / 警告 / 提示"""
        return LABELS[self.severity]

    @property
    def place(self) -> str:
        """Where a clerk finds it: file:line:column or sheet!cell, without the key path."""
        return place_of(self.where)

    @property
    def path(self) -> str:
        """The key path of the data (``funds[失业保险].income_total.actual``), if known."""
        return path_of(self.where)

    def as_dict(self) -> dict:
        return {**asdict(self), "where": str(self.where), "label": self.label, "place": self.place,
                "path": self.path}

    def said(self) -> str:
        """``message（应为 …，实际 …）``: the clerk's line, no rule code."""
        values = []
        if self.expected is not None:
            values.append(f"应为{self.expected}")
        if self.found is not None:
            values.append(f"实际{self.found}")
        tail = f"（{'，'.join(values)}）" if values else ""
        return f"{self.message}{tail}"

    def detail(self) -> str:
        """``[code] message（应为 …，实际 …）``"""
        return f"[{self.code}] {self.said()}"

    def text(self, verbose: bool = False) -> str:
        """``错误 place：message…``; verbose adds the key path and the rule code."""
        if verbose:
            return f"{self.label} {self.where}：{self.detail()}"
        return f"{self.label} {self.place}：{self.said()}"

    def problem(self) -> Problem:
        """This finding as a Problem of an error (the code kept for --verbose)."""
        return Problem(self.where, self.said(), self.code, self.label)

    def __str__(self) -> str:  # the full form, for logs and programs; the CLI shows text(verbose=False)
        return self.text(verbose=True)
