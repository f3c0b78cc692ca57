"""Claims: the figures a report states, each with what it is about.

A :class:`Claim` is one printed figure (``23.76亿元``, ``5.29%``, ``34962人``) with its
place, its printed precision, and its meaning read from the sentence by the grammar of
:mod:`sireport.audit.grammar`: the *measure* (amount, change, growth, execution, …), the
*line* (总收入, 保费收入, 当期结余 …), the *scope* (a fund, or ``all`` for the funds
together), the *period* (actual, budget, target) and, for a derived figure, the *head*
figure it derives from ("较上年增加688万元" is a change of the 9860万元 before it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from ..data.funds import resolve_fund
from ..figures.printed import FIGURE, UNITS
from ..word.text import Block
from . import grammar as g

HALF = Decimal("0.5")


@dataclass(eq=False)
class Claim:
    block: Block
    start: int
    end: int
    value: Decimal  # signed, in the printed unit
    unit: str
    kind: str  # money | people | visits | pct | months | score
    factor: Decimal  # printed unit -> base unit of the kind
    measure: str  # amount | budget_of | change | growth | execution | share | months | monthly | per_capita | people | score
    line: str  # standard line key or the label as written
    scope: Optional[str]  # fund key, "all", "group:养老保险", "table:N" or None
    period: str = "actual"  # actual | budget | previous | target
    head: Optional[Claim] = None
    parent: Optional[Claim] = None  # the total a listed item (其中 …) belongs to
    sentence: tuple[int, int] = (0, 0)
    section: int = 0
    sub: bool = False
    basis: str = ""
    label: str = ""  # the words before the figure, as written
    bracketed: bool = False  # an item inside （含…） after its total
    negated: bool = False  # printed without its sign, the sign being in the word (减少, 下降)
    items: list[Claim] = field(default_factory=list)
    caption: str = ""  # a table cell's row and column headings
    _bounds: Optional[tuple] = field(default=None, repr=False)

    @property
    def places(self) -> int:
        exponent = self.value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0

    @property
    def ulp(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    @property
    def base(self) -> Decimal:
        return self.value * self.factor

    def bounds(self) -> tuple[Decimal, Decimal]:
        """The values (base unit) that print as this figure: ±half a unit of its last digit."""
        key = (self.value, self.factor)
        if self._bounds is None or self._bounds[0] != key:  # computed once per value (rules ask often)
            half = self.ulp * HALF * self.factor
            self._bounds = (key, (self.base - half, self.base + half))
        return self._bounds[1]

    @property
    def printed(self) -> str:
        return self.block.text[self.start:self.end]

    @property
    def key(self) -> Optional[tuple]:
        """What the figure states, for comparing statements: None when not comparable."""
        if self.scope is None or self.measure in ("budget_of", "share"):
            return None
        line = self.line
        if self.head is not None and self.measure in ("change", "growth", "execution"):
            line, period = self.head.line, self.head.period
            kind = self.head.kind
        else:
            period, kind = self.period, "money" if self.measure == "execution" else self.kind
        if self.scope == "all":
            line = {"income_sub": "income", "expense_sub": "expense"}.get(line, line)
        if not line:
            return None
        return (self.scope, line, self.measure, period, kind)

    def quote(self) -> str:
        """The sentence with the figure marked: “……总收入【23.76亿元】，……”."""
        if self.caption:
            return f"{self.caption}：【{self.printed}】"
        text = self.block.text
        start, end = self.sentence
        return (text[start:self.start] + "【" + self.printed + "】" + text[self.end:end]).strip()


def figure_value(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


class ProseReader:
    """Reads the paragraphs of a report in order, keeping the fund each sentence speaks of."""

    def __init__(self) -> None:
        self.section = 0
        self.section_scope: Optional[str] = None
        self.scope: Optional[str] = None
        self.planning = False
        self.listed = False
        self.budget_paragraph = False
        self.headings: dict[int, Claim] = {}  # section -> the fund name in its heading
        self._block: Optional[Block] = None

    def read(self, block: Block) -> list[Claim]:
        text = block.text.translate(g.NORMALISE)
        if not text.strip():
            return []
        self._block = block
        if self._heading(text):
            return []
        claims: list[Claim] = []
        self.budget_paragraph = False
        terms = self._terms(text)
        for start, end in _sentences(text):
            claims.extend(self._sentence(block, text, start, end, terms))
        return claims

    def _heading(self, text: str) -> bool:
        if len(text.strip()) > 48 or not g.HEADING.match(text) or FIGURE.search(text[4:]) and re.search(
                r"\d+(?:万元|亿元|%)", text):
            return False
        self.section += 1
        fund = g.FUND_TERM.search(text)
        self.section_scope = _fund_key(fund.group()) if fund else "all"
        if fund is not None and self.section_scope:
            self.headings[self.section] = Claim(self._block, fund.start(), fund.end(), Decimal(0), "", "name",
                                                Decimal(1), "heading", "", self.section_scope,
                                                sentence=(0, len(text)), section=self.section)
        self.scope = self.section_scope
        self.planning = "目标设定" in text or "预算绩效目标" in text
        return True

    @staticmethod
    def _terms(text: str) -> list[tuple[int, int, str]]:
        """Fund and all-funds mentions: (start, end, scope)."""
        found = [(m.start(), m.end(), _fund_key(m.group())) for m in g.FUND_TERM.finditer(text)]
        taken = [(s, e) for s, e, _ in found]
        for m in g.ALL_TERM.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), "all"))
        return sorted(found)

    def _switch(self, text: str, start: int, end: int, scope: Optional[str]) -> bool:
        """Follow a fund mention; False when the name is only part of an item ("失业保险金")."""
        if scope == "all":
            self.scope = "all"
            return True
        if text[max(0, start - 1):start] == "、" or text[end:end + 1] == "、":
            self.scope, self.listed = "all", True  # a list of funds: the figure is about them together
            return True
        named = text[end - 2:end] == "基金" or re.match(r"(?:[（(][^）)]{0,6}[）)])?基金", text[end:])
        if named or self.scope in (None, "all") and not re.match(r"[金费待]", text[end:end + 1]):
            self.scope, self.listed = scope, False
            return True
        return False

    def _sentence(self, block: Block, text: str, s0: int, s1: int, terms) -> list[Claim]:
        claims: list[Claim] = []
        before = self.scope
        cursor = s0  # where the next label may start
        figure_end = s0
        open_list: Optional[Claim] = None
        paren_list: Optional[Claim] = None
        base: Optional[Claim] = None
        for match in FIGURE.finditer(text, s0, s1):
            start, end = match.span()
            between = text[figure_end:start]
            if base is not None and re.search(r"其中|包括", between):
                if base.parent is not None:  # "门诊就医2257771人次，其中：…" starts a list of its own
                    base.parent.items.remove(base)
                    base.parent = None
                open_list = base
            for t_start, t_end, scope in terms:
                if cursor <= t_start < start and self._switch(text, t_start, t_end, scope):
                    cursor = max(cursor, t_end)
            if paren_list is not None and re.search(r"[）)]", between):
                paren_list = None
            label_start = max([cursor] + [i + 1 for i in range(cursor, start) if text[i] in g.BOUNDARY])
            label = re.sub(r"\s+", "", text[label_start:start])
            cursor = figure_end = end
            unit = match.group("unit")
            if unit is None:
                continue
            after = text[end:s1]
            claim = self._claim(block, text, match, label, after, (s0, s1), claims)
            if claim is None:
                continue
            claims.append(claim)
            if claim.measure in ("amount", "people"):
                lists = [x for x in (paren_list, open_list) if x is not None and x.kind == claim.kind]
                if lists:
                    claim.parent = lists[0]
                    claim.bracketed = lists[0] is paren_list
                    lists[0].items.append(claim)
                    if claim.kind in ("people", "visits") and claim.line:
                        claim.line = f"{lists[0].line}/{claim.line}"  # "其中：在职职工…" of this count
                base = claim if not claim.bracketed else base
                if re.match(r"\s*[（(](?:含|其中)", after):
                    paren_list = claim
        if self.listed:
            self.scope, self.listed = before, False  # a list of funds speaks for its own sentence only
        return claims

    def _claim(self, block: Block, text: str, match: re.Match, label: str, after: str,
               sentence: tuple[int, int], earlier: list[Claim]) -> Optional[Claim]:
        unit = match.group("unit")
        kind, factor = UNITS[unit]
        if g.TARGET_BEFORE.search(label) or g.APPROX_BEFORE.search(label) or g.AFTER_QUALIFIER.match(after):
            return None
        value = figure_value(match.group("number"))
        start, end = match.span()
        end = match.start("unit") + len(unit)
        claim = Claim(block, start, end, value, unit, kind, factor, "amount", "", self.scope,
                      sentence=sentence, section=self.section)
        prefix = g.NOT_BUDGET.sub("", text[sentence[0]:start])
        if "预算" in prefix or self.budget_paragraph and not g.ACTUAL_WORDS.search(prefix):
            claim.period = "budget"
            self.budget_paragraph = True
        elif re.search(r"计划|预计", prefix) or self.planning:
            claim.period = "target"
        previous = earlier[-1] if earlier else None
        bases = [c for c in earlier if c.measure in ("amount", "people") and not c.bracketed]
        if not self._measure(claim, label, previous, bases):
            return None
        if claim.measure == "amount" and g.SUBTOTAL_NOTE.match(after) and claim.line in g.SUBTOTAL_OF:
            claim.line, claim.sub = g.SUBTOTAL_OF[claim.line], True
        if claim.measure == "people":
            claim.line = _people_label(label, after, unit) or ""
        return claim

    @staticmethod
    def _measure(claim: Claim, label: str, previous: Optional[Claim], bases: list[Claim]) -> bool:
        """Set measure, line and head from the label; False when the figure states nothing checkable."""
        kind = claim.kind
        change = g.CHANGE.search(label)
        if kind == "pct":
            if change:
                claim.measure = "growth"
                subject = g.COMPARED.sub("", label[:change.start()])
                claim.head = bases[-1] if bases and not g.strip_filler(subject) else None
                claim.line = g.strip_filler(subject)
                if change.group("word") in g.DOWN_WORDS:
                    claim.value, claim.negated = -claim.value, True
            elif label == "的" and previous is not None and previous.measure == "budget_of":
                claim.measure, claim.head = "execution", previous.head
            elif g.EXECUTION.search(label):
                claim.measure = "execution"
                money = [c for c in bases if c.kind == "money"]
                own = g.strip_filler(g.EXECUTION.sub("", label))
                claim.head = money[-1] if money and not own else None
                claim.line = g.LINES.get(own.replace("预算", ""), own)
            elif g.SHARE.match(label) and bases:
                claim.measure, claim.head = "share", bases[-1]
            else:
                return False
            claim.period = "actual"
            return True
        if kind == "months":
            if not g.MONTHS.search(label):
                return False
            claim.measure, claim.line = "months", g.strip_filler(g.MONTHS.sub("", label)) or "months"
            return True
        if change:
            subject = g.strip_filler(g.COMPARED.sub("", label[:change.start()]))
            same = [c for c in bases if c.kind == kind]
            if subject or not same or not g.COMPARED.search(label[:change.start()]) and not label.startswith(
                    change.group("word")):
                return False
            claim.measure, claim.head = "change", same[-1]
            if change.group("word") in g.DOWN_WORDS:
                claim.value, claim.negated = -claim.value, True
            claim.period = "actual"
            return True
        if kind in ("people", "visits"):
            claim.measure = "people"
            return True
        if kind != "money":
            return False
        if g.ADJUSTMENT.search(label):
            return False
        per_capita = g.PER_CAPITA.search(label)
        if per_capita:
            claim.measure, claim.line = "per_capita", per_capita.group("what")
            return True
        if g.BUDGET_OF.search(label) and bases:
            claim.measure, claim.head, claim.period = "budget_of", [c for c in bases if c.kind == "money"][-1], \
                "budget"
            return True
        monthly = g.MONTHLY.match(label)
        if monthly:
            claim.measure, claim.line, claim.basis = "monthly", "monthly", monthly.group("basis")
            return True
        words = g.strip_filler(label)
        if words.startswith("预算"):
            claim.period, words = "budget", g.strip_filler(words[2:])
        claim.label = words
        if g.INCREMENT.match(words) or g.COMPARED_ANYWHERE.search(words):
            return False  # an increment, or a comparison worded otherwise ("较上年多…"): not the line itself
        words = g.FUNDS_BEFORE_LINE.sub("", words)
        if words in g.GENERIC_LABELS:
            return False
        line = g.LINES.get(words, words)
        if line in ("balance", "cumulative"):
            claim.measure = line
        claim.line = line
        return bool(line)


def _people_label(label: str, after: str, unit: str) -> str:
    before = g.strip_filler(re.sub(r"^(?:计划保障|有效保障了?|保障了|保障)", "", g.strip_filler(label)))
    if unit in ("名", "万名") or not before:
        noun = re.match(r"[^\s，,。；;：:、（）()的\d]{1,12}", after.lstrip())
        if noun:
            return noun.group()
    return before


def _fund_key(name: str) -> Optional[str]:
    kind = resolve_fund(name)
    return kind.key if kind else None


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in g.SENTENCE_END.finditer(text):
        yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def prose_claims(blocks: Iterable[Block]) -> tuple[list[Claim], dict[int, Claim]]:
    """The claims of the body paragraphs in order, and the fund named by each section's heading."""
    reader = ProseReader()
    out: list[Claim] = []
    for block in blocks:
        if not block.in_table:
            out.extend(reader.read(block))
    return out, reader.headings
