"""Claims read from a report's tables: the 收支分析表 and the 绩效自评表.

The 收支分析表 has one column per fund (and 合计) and rows 预算 / 本年 / 上年 × 收入小计,
支出小计, then 增长 / 增幅% / 执行预算% for income and expense. The 绩效自评表 has
项目资金 rows (全年预算数, 全年执行数, 分值, 执行率, 得分), indicator rows whose 实际完成值
may be a fund's execution rate ("养老保险基金支出预算完成率 96%"), and a 总分 row.
Every number becomes a :class:`Claim` located at its cell; empty cells and "—" state nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from ..data.funds import resolve_fund
from ..word.text import Block
from . import grammar as g
from .claims import Claim, figure_value

NUMBER = re.compile(r"^\s*(?P<number>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<pct>%)?\s*$")
ROW_LINES = {"收入": "income_sub", "支出": "expense_sub"}
COMPARISON = {"增长": "change", "增减": "change", "增减额": "change", "增幅": "growth", "增幅%": "growth",
              "执行预算%": "execution", "执行预算": "execution", "预算执行率": "execution", "执行率": "execution"}
MONEY_HEADERS = {"全年预算数": ("amount", "budget"), "全年执行数": ("amount", "actual"), "执行率": ("execution", "actual"),
                 "分值": ("weight", "actual"), "得分": ("score", "actual")}


@dataclass
class Table:
    number: int
    rows: dict[int, dict[int, Block]] = field(default_factory=lambda: defaultdict(dict))
    _texts: dict[int, dict[int, str]] = field(default_factory=dict, repr=False)

    def texts(self, row: int) -> dict[int, str]:
        cached = self._texts.get(row)
        if cached is None:
            cached = self._texts[row] = {column: block.text.translate(g.NORMALISE).strip()
                                         for column, block in self.rows[row].items()}
        return cached


@dataclass
class TableClaims:
    """Claims of one table, and how its cells relate (for the arithmetic inside the table)."""

    table: int
    claims: list[Claim] = field(default_factory=list)
    money_rows: list[dict[str, Claim]] = field(default_factory=list)  # 绩效自评表 项目资金 rows
    scores: list[Claim] = field(default_factory=list)  # indicator 得分 cells
    total_score: Optional[Claim] = None


def tables_of(blocks: Iterable[Block]) -> list[Table]:
    tables: dict[int, Table] = {}
    for block in blocks:
        if block.in_table:
            table = tables.setdefault(block.place.table, Table(block.place.table))
            table.rows[block.place.row][block.place.column] = block
    return list(tables.values())


def cell_claim(block: Block, measure: str, line: str, scope: Optional[str], period: str) -> Optional[Claim]:
    """The number of a cell as a claim (money in 万元 unless it carries %), or None."""
    text = block.text.translate(g.NORMALISE)
    match = NUMBER.match(text)
    if match is None:
        return None
    pct = match.group("pct") is not None
    kind, unit = ("pct", "%") if pct else ("score", "") if measure in ("weight", "score") else ("money", "万元")
    if measure in ("growth", "execution") and not pct:
        kind, unit = "pct", "%"
    return Claim(block, match.start("number"), match.end(), figure_value(match.group("number")), unit, kind,
                 Decimal(1), measure, line, scope, period, sentence=(0, len(text)))


def analysis_claims(table: Table) -> Optional[TableClaims]:
    """The 收支分析表: a header of fund names, then period and comparison rows."""
    header_row, columns = _fund_header(table)
    if header_row is None:
        return None
    out = TableClaims(table.number)
    years = sorted({int(y) for r in table.rows for t in table.texts(r).values() for y in re.findall(r"^(\d{4})年$", t)})
    label0 = ""
    for r in sorted(table.rows):
        if r <= header_row:
            continue
        texts = table.texts(r)
        first = min(texts) if texts else 0
        label0 = texts.get(first) or label0
        label1 = next((texts[c] for c in sorted(texts) if c > first and c not in columns), "")
        measure, line, period = _row_meaning(label0, label1, years)
        if measure is None:
            continue
        headings = table.texts(header_row)
        for column, scope in columns.items():
            block = table.rows[r].get(column)
            claim = cell_claim(block, measure, line, scope, period) if block is not None else None
            if claim is not None:
                claim.caption = f"{label0} {label1}，{headings[column]}".replace("：，", "，").rstrip("：:")
                out.claims.append(claim)
    _link_heads(out.claims)
    return out if out.claims else None


def _fund_header(table: Table) -> tuple[Optional[int], dict[int, str]]:
    for r in sorted(table.rows)[:3]:
        columns = {}
        for column, text in table.texts(r).items():
            name = text.rstrip("：:")
            if name in ("合计", "总计"):
                columns[column] = "all"
            elif resolve_fund(name) is not None:
                columns[column] = resolve_fund(name).key
        if len(columns) >= 2:
            return r, columns
    return None, {}


def _row_meaning(label0: str, label1: str, years: list[int]) -> tuple[Optional[str], str, str]:
    label0, label1 = label0.replace(" ", ""), label1.replace(" ", "")
    for word, line in ROW_LINES.items():
        if label0.startswith(word) and "对比" in label0:
            measure = COMPARISON.get(label1) or COMPARISON.get(label1.rstrip("%"))
            return measure, line, "actual"
    line = next((ln for word, ln in ROW_LINES.items() if word in label1), None)
    if line is None:
        return None, "", ""
    if "预算" in label0:
        return "amount", line, "budget"
    year = re.match(r"^(\d{4})年", label0)
    if year and years:
        return "amount", line, "actual" if int(year.group(1)) == years[-1] else "previous"
    if label0.startswith("本年"):
        return "amount", line, "actual"
    if label0.startswith("上年"):
        return "amount", line, "previous"
    return None, "", ""


def _link_heads(claims: list[Claim]) -> None:
    actual = {(c.scope, c.line): c for c in claims if c.measure == "amount" and c.period == "actual"}
    for claim in claims:
        if claim.measure in ("change", "growth", "execution"):
            claim.head = actual.get((claim.scope, claim.line))


def evaluation_claims(table: Table) -> Optional[TableClaims]:
    """The 绩效自评表: 项目资金 rows, indicator rows stating execution rates, scores and 总分."""
    out = TableClaims(table.number)
    scope = f"table:{table.number}"
    money_columns: dict[int, str] = {}
    score_column = actual_column = None
    for r in sorted(table.rows):
        texts = table.texts(r)
        values = {t.replace(" ", ""): c for c, t in texts.items()}
        if "全年执行数" in values and "全年预算数" in values:
            money_columns = {c: t.replace(" ", "") for c, t in texts.items() if t.replace(" ", "") in MONEY_HEADERS}
            continue
        if "得分" in values and ("分值" in values or "三级指标" in values):
            score_column = values["得分"]
            actual_column = next((c for t, c in values.items() if t.startswith("实际")), actual_column)
            money_columns = {}
            continue
        if "三级指标" in values:
            actual_column = next((c for t, c in values.items() if t.startswith("实际")), None)
            money_columns = {}
            continue
        row_label = next((t for c, t in sorted(texts.items()) if t and not NUMBER.match(t)), "")
        if money_columns and "年度资金总额" in row_label.replace(" ", ""):
            out.money_rows.append(_money_row(table, r, money_columns, scope))
        elif row_label.replace(" ", "") == "总分" and score_column is not None:
            block = table.rows[r].get(score_column)
            out.total_score = cell_claim(block, "score", "总分", scope, "actual") if block else None
            if out.total_score is not None:
                out.total_score.caption = "总分"
        else:
            _indicator(table, r, texts, score_column, actual_column, scope, out)
    for row in out.money_rows:
        out.claims.extend(row.values())
    out.claims.extend(out.scores)
    if out.total_score is not None:
        out.claims.append(out.total_score)
    return out if out.claims else None


def _money_row(table: Table, r: int, columns: dict[int, str], scope: str) -> dict[str, Claim]:
    row: dict[str, Claim] = {}
    for column, header in columns.items():
        block = table.rows[r].get(column)
        measure, period = MONEY_HEADERS[header]
        claim = cell_claim(block, measure, "年度资金总额", scope, period) if block is not None else None
        if claim is not None:
            claim.caption = f"年度资金总额，{header}"
            row[header] = claim
    if "执行率" in row and "全年执行数" in row:
        row["执行率"].head = row["全年执行数"]
    return row


def _indicator(table: Table, r: int, texts: dict[int, str], score_column: Optional[int],
               actual_column: Optional[int], scope: str, out: TableClaims) -> None:
    if score_column is not None and score_column in texts:
        claim = cell_claim(table.rows[r][score_column], "score", "得分", scope, "actual")
        if claim is not None:
            out.scores.append(claim)
    label = next((t for c, t in sorted(texts.items()) if re.search(r"预算(?:完成|执行)率", t)), None)
    if label is None or actual_column is None or actual_column not in table.rows[r]:
        return
    fund = g.FUND_TERM.search(label)
    group = next((name for name in g.FUND_GROUPS if name in label), None)
    target = fund and resolve_fund(fund.group())
    where = target.key if target else f"group:{group}" if group else None
    line = "income" if "收入" in label else "expense"
    claim = cell_claim(table.rows[r][actual_column], "execution", line, where, "actual")
    if claim is not None and claim.kind == "pct" and where is not None:
        claim.caption = f"{label}，实际完成值"
        out.claims.append(claim)


def table_claims(blocks: Iterable[Block]) -> list[TableClaims]:
    out = []
    for table in tables_of(blocks):
        found = analysis_claims(table) or evaluation_claims(table)
        if found is not None:
            out.append(found)
    return out
