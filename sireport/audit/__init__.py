"""``sireport audit``: check a Word report's own text, figure by figure.

>>> from sireport.audit import audit_document
>>> result = audit_document("报告.docx", data="数据.yaml")     # doctest: +SKIP
>>> [str(finding) for finding in result.findings]              # doctest: +SKIP

Every paragraph and table cell is read (:mod:`sireport.word.text`); the figures it states
become claims (:mod:`.claims` for prose, :mod:`.tables` for the 收支分析表 and the
绩效自评表); the rules of :mod:`.rules` check each claim at its printed precision against
the arithmetic, the table and the other statements of the same quantity, and, with a data
file, :mod:`.against` checks it against the figures sireport computes from the data.
:mod:`.annotate` writes a copy with a Word comment on each claim that does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..data.kind import is_project, load_data
from ..figures.compute import Figures, compute
from ..findings import RANK, Finding
from ..word.text import Block, read_docx
from . import rules
from .against import against_data
from .annotate import annotate
from .claims import Claim, prose_claims
from .pdf import read_pdf
from .present import finding
from .tables import table_claims

__all__ = ["AuditResult", "audit_blocks", "audit_document", "audit_files", "data_figures", "annotate"]


@dataclass
class AuditResult:
    """The findings about one report, each with the claim it is about (for comments)."""

    path: str
    findings: list[Finding]
    issues: list[rules.Issue] = field(default_factory=list, repr=False)
    claims: int = 0
    annotated: Optional[Path] = None  # the copy with a Word comment on each finding, when one was written

    def marks(self) -> list:
        """(place, start, end, finding) of each finding, for :func:`annotate`."""
        return [(i.claim.block.place, i.claim.start, i.claim.end, f) for i, f in zip(self.issues, self.findings)]


def data_figures(path: str | Path) -> Optional[Figures]:
    """The figures of a data file (None for a project table file, which has no funds)."""
    loaded = load_data(path)
    return None if is_project(loaded) else compute(loaded.report)


def audit_blocks(blocks: list[Block], figures: Optional[Figures] = None, path: str = "") -> AuditResult:
    """Audit text already read: the claims of ``blocks``, checked (and against ``figures``)."""
    claims, headings = prose_claims(blocks)
    tables = table_claims(blocks)
    every = claims + [claim for table in tables for claim in table.claims]
    issues = (rules.derived(claims) + rules.balances(claims) + rules.months(claims) + rules.items(claims)
              + rules.per_capita(claims) + rules.consistency(every) + rules.unit_slips(every)
              + rules.copied_blocks(claims) + rules.headings(claims, headings) + _repeated(blocks))
    for table in tables:
        issues.extend(rules.table_arithmetic(table))
    if figures is not None:
        issues.extend(against_data(every, figures))
    issues = _unique(issues)
    issues.sort(key=lambda i: (RANK[rules.CODES[i.code]], _order(i.claim)))
    return AuditResult(path, [finding(i) for i in issues], issues, len(every))


def audit_document(path: str | Path, data: str | Path | None = None,
                   figures: Optional[Figures] = None) -> AuditResult:
    """Audit one report (.docx, or .pdf through poppler's pdftotext); ``data``: its data file."""
    if figures is None and data is not None:
        figures = data_figures(data)
    path = Path(path)
    blocks = read_pdf(path) if path.suffix.lower() == ".pdf" else read_docx(path)
    return audit_blocks(blocks, figures, str(path))


def audit_files(paths: list[str | Path], data: str | Path | None = None) -> list[AuditResult]:
    """``sireport audit REPORT... [DATA]``: every report, against one data file when given."""
    figures = data_figures(data) if data is not None else None
    return [audit_document(path, figures=figures) for path in paths]


def _repeated(blocks: list[Block]) -> list[rules.Issue]:
    out = []
    for block, match in rules.repeated_units(blocks):
        claim = Claim(block, match.start(), match.end(), rules.Decimal(0), "", "money", rules.Decimal(1), "amount", "",
                      None, sentence=_sentence_of(block.text, match.start()))
        out.append(rules.Issue("audit.unit_repeated", claim, "单位重复", None))
    return out


def _sentence_of(text: str, at: int) -> tuple[int, int]:
    ends = [i + 1 for i, ch in enumerate(text) if ch in "。；;\n"]
    start = max([e for e in ends if e <= at], default=0)
    end = min([e for e in ends if e > at], default=len(text))
    return start, end


def _order(claim: Claim) -> tuple:
    place = claim.block.place
    return (place.page or 0, place.table or 0, place.paragraph or 0, place.row or 0, place.column or 0, claim.start)


def _unique(issues: list[rules.Issue]) -> list[rules.Issue]:
    seen, out = set(), []
    for issue in issues:
        key = (issue.code, id(issue.claim))
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
