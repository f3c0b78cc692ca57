"""One finding about the data: what ``check`` lists, what a render prints as a warning, what
the 问题清单 workbook shows. Every rule family (sireport.checks) and the 绩效自评表
(sireport.figures.evaluation) report through this one type; docs/检查规则.md lists the codes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

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

    def as_dict(self) -> dict:
        return {**asdict(self), "label": self.label}

    def detail(self) -> str:
        """``[code] message（应为 …，实际 …）``"""
        values = []
        if self.expected is not None:
            values.append(f"应为 {self.expected}")
        if self.found is not None:
            values.append(f"实际 {self.found}")
        tail = f"（{'，'.join(values)}）" if values else ""
        return f"[{self.code}] {self.message}{tail}"

    def __str__(self) -> str:
        return f"{self.label} {self.where}：{self.detail()}"
