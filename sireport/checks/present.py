"""How ``sireport check`` shows its findings: Chinese text for people, stable JSON for programs.

The JSON layout (version 1) is documented in docs/检查规则.md; keys are never renamed,
only added, and ``version`` changes if that promise is ever broken.
"""

from __future__ import annotations

import json

from . import FileFindings, exit_code
from .base import LABELS

JSON_VERSION = 1


def counts(findings) -> dict[str, int]:
    return {severity: sum(f.severity == severity for f in findings) for severity in LABELS}


def as_json(results: list[FileFindings], strict: bool) -> str:
    every = [f for result in results for f in result.findings]
    document = {
        "version": JSON_VERSION,
        "strict": strict,
        "exit_code": exit_code(every, strict),
        "counts": counts(every),
        "files": [{"file": result.path, "counts": counts(result.findings),
                   "findings": [f.as_dict() for f in result.findings]} for result in results],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def as_text(results: list[FileFindings], verbose: bool = False) -> str:
    """One line per finding; ``verbose`` adds each finding's key path and rule code."""
    lines: list[str] = []
    for result in results:
        c = counts(result.findings)
        if not result.findings:
            lines.append(f"{result.path}：未发现问题")
            continue
        lines.append(f"{result.path}：错误{c['error']}处，警告{c['warning']}处，提示{c['info']}处")
        lines.extend(f"  {finding.text(verbose)}" for finding in result.findings)
    total = counts([f for result in results for f in result.findings])
    lines.append(f"共检查{len(results)}个文件：错误{total['error']}处，警告{total['warning']}处，"
                 f"提示{total['info']}处")
    return "\n".join(lines)
