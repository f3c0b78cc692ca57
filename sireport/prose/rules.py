"""The rules of the prose linter: each reads one paragraph's text and yields what is wrong.

A rule is a function ``(text) -> Iterator[Hit]``; :data:`PARAGRAPH_RULES` run on every body
paragraph, :data:`CELL_RULES` on table cells too (their text is data, so only what can never
be right there). Every message is Chinese and quotes the words it is about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sireport.figures.printed import NUMBER_PATTERN, figure_pattern


@dataclass(frozen=True)
class Hit:
    code: str
    message: str
    found: str


CJK = "\u4e00-\u9fff"
_SIGNED = re.compile(r"(增长|下降|增加|减少|提高|降低|增幅|降幅)[-−－]\s*\d")
# Each pattern below that starts with a look-behind is written with the look-behind after its first
# character (“万元 after a Chinese character” as 万元(?<=[{CJK}]..)): the same matches, but the regex
# engine can then skip ahead to that character instead of trying the look-behind everywhere.
_EMPTY_FIGURE = re.compile(rf"—\s*(万元|亿元|元|%|个月|万人|人次|人)|(万元|亿元)(?<=[{CJK}]..)")
_DOUBLED = re.compile(r"[，。；：、][，。；：、]+|（）")
_LATIN = re.compile(rf"[,;:?!()](?<=[{CJK}].)|[,;:?!()](?=[{CJK}])|\.(?<=[{CJK}]\.)(?!\d)")
# a value Python or Jinja printed where a figure or a word should be, and template tags left over
_LITERAL_WORDS = "|".join(rf"{word}(?<![A-Za-z]{word})(?![A-Za-z])" for word in ("None", "nan", "NaN", "undefined"))
_LITERAL = re.compile(_LITERAL_WORDS + r"|\{\{.*?\}\}|\{%.*?%\}|\{\{|\}\}|\{%|%\}")
_WORD_WINDOW = 4  # a two-character word again within this many characters of one clause: “目标为目标”
_PARALLEL = re.compile("[和与及或并、等]")  # “技能提升补贴和稳岗补贴” repeats by design
_REPEAT = re.compile(rf"([{CJK}]{{2}})([^，。；：！？、（）“”\s]{{0,{_WORD_WINDOW}}}?)\1")
_REPEATABLE = figure_pattern({"money", "pct", "months"})  # the figures a repeat is looked for in
_TARGET = re.compile(rf"({NUMBER_PATTERN})%，?(达到|未达到)({NUMBER_PATTERN})%以上的目标")
_DIRECTION = re.compile(r"较上年(增加|减少)[^，。；]*，(增长|下降)")
_MONTHS = re.compile(rf"可支付({NUMBER_PATTERN})个月，基金(支撑能力处于合理区间|结余偏多|结余过多)")
_BALANCE = re.compile(rf"当期结余({NUMBER_PATTERN})(万元|亿元)")
# words that are not repeated words but real structure: “保险基金…保险” in a fund's name
_COMMON = frozenset({"保险", "基金", "支出", "收入", "人员", "万元", "亿元", "待遇"})


def signed(text: str) -> Iterator[Hit]:
    for found in _SIGNED.finditer(text):
        yield Hit("prose.signed", f"比较句中出现带负号的数“{found.group(0)}”，应写“减少/下降”加绝对值", found.group(0))


def empty_figure(text: str) -> Iterator[Hit]:
    for found in _EMPTY_FIGURE.finditer(text):
        start = max(0, found.start() - 6)
        excerpt = text[start:found.end()]
        if excerpt.endswith(("单位：万元", "单位：亿元")):
            continue
        yield Hit("prose.empty_figure", f"句中缺少数字：“{excerpt}”（没有的数应让句子省略，而不是印出空白或“—”）",
                  excerpt)


def doubled_punctuation(text: str) -> Iterator[Hit]:
    for found in _DOUBLED.finditer(text):
        yield Hit("prose.punctuation", f"标点重复或为空：“{found.group(0)}”", found.group(0))


def latin_punctuation(text: str) -> Iterator[Hit]:
    for found in _LATIN.finditer(text):
        excerpt = text[max(0, found.start() - 4):found.end() + 4]
        yield Hit("prose.latin", f"中文正文中使用了半角标点“{found.group(0)}”：“{excerpt}”，应使用全角标点", found.group(0))


def literal(text: str) -> Iterator[Hit]:
    for found in _LITERAL.finditer(text):
        yield Hit("prose.literal", f"正文中出现程序字样“{found.group(0)}”（数据缺失或模板标签未替换）", found.group(0))


def repeated_word(text: str) -> Iterator[Hit]:
    for found in _REPEAT.finditer(text):
        word, gap = found.group(1), found.group(2)
        if word not in _COMMON and not _PARALLEL.search(gap):
            yield Hit("prose.repeated_word", f"“{word}”在“{found.group(0)}”中重复", word)


def repeated_figure(text: str) -> Iterator[Hit]:
    """The same figure said twice of the same kind in one paragraph (“完成年度预算的95.88%。……执行率95.88%”,
    “预算支出103506万元，其中：基本养老金支出103506万元”); two different items that happen to be
    equal (“下级上解收入17102万元……上解上级支出17102万元”), or two items of a list separated by
    “；”, are not a repeat."""
    runs = _RUNS.findall(text)  # quick: a figure worth weighing written twice writes a run twice
    if len(set(runs)) == len(runs):  # (most paragraphs): nothing to weigh
        return
    figures = list(_REPEATABLE.finditer(text))
    counts = Counter(found.group("number", "unit") for found in figures)
    twice = {figure for figure, count in counts.items() if count > 1 and _weighed(*figure)}
    if not twice:  # only short figures and whole percentages written twice
        return
    seen: set[tuple[str, str]] = set()
    part = 0
    for found in figures:
        start = found.start()
        begins = text.rfind("；", 0, start) + 1  # “；” separates the items of a list: each says its own figures
        if begins != part:
            part, seen = begins, set()
        number, unit = found.group("number", "unit")
        if (number, unit) not in twice:
            continue  # written once in the paragraph, or a short figure or whole percentage
        figure = number + unit
        key = (figure, _kind(text[max(part, start - 12):start]))
        if key in seen:
            yield Hit("prose.repeated_figure", f"同一段中“{figure}”出现两次，请删去重复的数字", figure)
        seen.add(key)


# the digits and points of a number from its last comma on: at least 3 characters in every figure
# :func:`_weighed` keeps (“95.88”, “1,234” → “234”), and never a part of a longer run
_RUNS = re.compile(r"\d[\d.]{2,}")


def _weighed(number: str, unit: str) -> bool:
    """Whether a figure said twice may be a repeat: whole percentages and short figures coincide too often."""
    digits = number.lstrip("-+").replace(",", "").replace(".", "").lstrip("0")
    return len(digits) >= 3 and "." in number if unit == "%" else len(digits) >= 4


# the words that end just before a figure of each kind (no two kinds end alike)
_KINDS = re.compile(r"(?P<execution>预算的|执行率|往来）|预算[\d.]+(?:万元|亿元)的)$|(?P<growth>增长|下降)$"
                    r"|(?P<change>增加|减少)$|(?P<months>可支付)$")


def _kind(before: str) -> str:
    """What a figure is, from the words just before it: a rate, a change, or the 2 characters of its label."""
    found = _KINDS.search(before)
    return before[-2:] if found is None else found.lastgroup


def contradiction(text: str) -> Iterator[Hit]:
    """A judgement the figure beside it contradicts (each pattern looked for only where its words are)."""
    for found in _TARGET.finditer(text) if "以上的目标" in text else ():
        value, verdict, goal = _number(found.group(1)), found.group(2), _number(found.group(3))
        if value is not None and goal is not None and (value >= goal) != (verdict == "达到"):
            yield Hit("prose.contradiction", f"判断与数字矛盾：“{found.group(0)}”", found.group(0))
    for found in _DIRECTION.finditer(text) if "较上年" in text else ():
        if (found.group(1) == "增加") != (found.group(2) == "增长"):
            yield Hit("prose.contradiction", f"增减方向前后矛盾：“{found.group(0)}”", found.group(0))
    for found in _MONTHS.finditer(text) if "可支付" in text else ():
        months = _number(found.group(1))
        if months is not None and months <= 0:
            yield Hit("prose.contradiction", f"可支付月数不大于 0 却判断为“{found.group(2)}”：“{found.group(0)}”",
                      found.group(0))
    if "收不抵支" not in text:
        return
    balances = [_number(found.group(1)) for found in _BALANCE.finditer(text)]
    if balances and all(b is not None and b > 0 for b in balances):
        yield Hit("prose.contradiction", "段中说“收不抵支”，但写出的当期结余为正数", "收不抵支")


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


Rule = Callable[[str], Iterator[Hit]]
PARAGRAPH_RULES: tuple[Rule, ...] = (signed, empty_figure, doubled_punctuation, latin_punctuation, literal,
                                     repeated_word, repeated_figure, contradiction)
CELL_RULES: tuple[Rule, ...] = (literal,)
SEPARATOR = "\x00"  # joins the texts of a document's blocks for the gates: no XML text can hold it
# for a rule, a pattern that matches somewhere in every text the rule finds a fault in (and that
# reads the text's ends as it reads a SEPARATOR: no ^, $, \A, \Z). The gates run once over a
# document's texts joined by SEPARATOR; a rule then reads only the blocks its gate matched in
# (the linter runs after every render: most blocks of most reports are read by no rule at all).
# A gate pattern matches in a text as in the text with its digits written as 0 (it tells a digit
# by \d, never which digit): the linter keeps its answer by that skeleton.
# A gate never runs across a SEPARATOR: a pattern that could (.*?, [^，。；]*) would read on
# through every text after an unclosed {{ or a 较上年增加 without a comma, for each of them.
_IN_ONE_CLAUSE = f"[^，。；{SEPARATOR}]*"


class WrittenTwice:
    """The gate of :func:`repeated_figure` (its own first look): a run of digits (:data:`_RUNS`)
    written twice in one text. It reads the texts one by one (:meth:`touched`), not joined."""

    def touched(self, texts: list[str]) -> set[int]:
        """The numbers of the ``texts`` that write a run twice."""
        return {number for number, runs in enumerate(map(_RUNS.findall, texts)) if len(set(runs)) < len(runs)}

    def search(self, text: str) -> bool:
        return bool(self.touched([text]))


GATES: dict[Rule, re.Pattern | WrittenTwice] = {
    signed: _SIGNED, empty_figure: _EMPTY_FIGURE, doubled_punctuation: _DOUBLED, latin_punctuation: _LATIN,
    literal: re.compile(_LITERAL_WORDS + r"|\{\{|\}\}|\{%|%\}"),  # _LITERAL without its spans: {{ … }} starts with {{
    repeated_word: _REPEAT,
    repeated_figure: WrittenTwice(),  # (most paragraphs write no run twice)
    # each of its patterns from its first word on (a literal start: the regex engine skips to it);
    # directions only where they can contradict (增加 then 下降, 减少 then 增长)
    contradiction: re.compile(rf"达到{NUMBER_PATTERN}%以上的目标|较上年增加{_IN_ONE_CLAUSE}，下降|"
                              rf"较上年减少{_IN_ONE_CLAUSE}，增长|{_MONTHS.pattern}|收不抵支"),
}
CODES = {
    "prose.signed": "比较句中带负号的数（“增长-1.87%”）",
    "prose.empty_figure": "句中缺少数字（“—万元”、数字空白）",
    "prose.punctuation": "重复或为空的标点（“，，”“。。”“，。”“（）”）",
    "prose.latin": "中文正文中的半角标点",
    "prose.literal": "程序字样（None、nan、未替换的 {{ }} 标签）",
    "prose.repeated_word": "同一分句中相隔不到四个字的重复词语（“目标为执行目标”；“补贴和稳岗补贴”这样的并列不算）",
    "prose.repeated_figure": "同一段中重复的数字",
    "prose.empty_heading": "下面没有内容或没有文字的标题",
    "prose.contradiction": "与数字矛盾的判断（执行率未达到却说达到、增加却说下降、0 个月却说合理、结余为正却说收不抵支）",
}
