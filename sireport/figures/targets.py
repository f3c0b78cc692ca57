"""Read an indicator's target (指标值) and actual (实际完成值) as a numeric condition.

Pure text parsing, no I/O. The rules (docs/评分规则.md, “指标值的写法”):

- ``≥95%``, ``≤1%``, ``>90%``, ``<0.1%``, ``=0``; words 不低于/不少于/至少 (≥), 不高于/不超过
  (≤), 大于/高于/超过 (>), 小于/低于 (<), 等于 (=); suffixes 以上 (≥), 以下/以内 (≤);
- a bare number (``282万人``, ``90%``) in a *target* means “not less than” (≥); in an
  *actual* it is the value itself;
- ranges: ``≥90%或≤110%`` (the 或 of real tables means the interval), ``6-9个月``,
  ``6~9个月``, ``6至9个月``;
- a unit after the number (``%``, ``人``, ``万人``, ``个月`` …) is kept and compared.

A text that starts with a comparison sign must parse (otherwise :class:`TargetError`);
any other text that does not parse is qualitative (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

_WIDTH = str.maketrans({"＞": ">", "＜": "<", "＝": "=", "％": "%", "～": "~", "－": "-", "–": "-",
                        "≧": "≥", "≦": "≤", "，": ",", "．": ".", "０": "0", "１": "1", "２": "2",
                        "３": "3", "４": "4", "５": "5", "６": "6", "７": "7", "８": "8", "９": "9"})
_SIGNS = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "=": "="}
_WORDS = (("大于等于", ">="), ("小于等于", "<="), ("不低于", ">="), ("不少于", ">="), ("至少", ">="),
          ("不高于", "<="), ("不超过", "<="), ("不多于", "<="), ("至多", "<="), ("等于", "="),
          ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"), ("小于", "<"), ("低于", "<"),
          ("少于", "<"), ("达到", ""), ("控制在", ""), ("保持在", ""))
_SUFFIXES = (("以上", ">="), ("以下", "<="), ("以内", "<="))
_NUMBER = r"(\d+(?:\.\d+)?)"
_UNIT = r"(%|‰|[A-Za-z\u4e00-\u9fff/]{1,6})?"
_OP = r"(>=|<=|≥|≤|>|<|=)?"
_SINGLE = re.compile(rf"^{_OP}{_NUMBER}{_UNIT}$")
_RANGE = re.compile(rf"^{_OP}{_NUMBER}{_UNIT}(或|且|和|,|-|~|至|到){_OP}{_NUMBER}{_UNIT}$")


class TargetError(ValueError):
    """The text looks numeric (it starts with a comparison sign) but cannot be read; message in Chinese."""


@dataclass(frozen=True)
class Bound:
    value: Decimal
    inclusive: bool


@dataclass(frozen=True)
class Condition:
    """A numeric condition: a lower and/or upper bound and a unit (``""`` when none was written)."""

    low: Optional[Bound]
    high: Optional[Bound]
    unit: str

    @property
    def exact(self) -> bool:
        return self.low is not None and self.high is not None and self.low.value == self.high.value

    @property
    def value(self) -> Decimal:
        """The single number of a one-sided or exact condition (the nearer bound of a range)."""
        bound = self.low or self.high
        assert bound is not None
        return bound.value


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", str(text).translate(_WIDTH)).replace("≥=", "≥").replace("≤=", "≤")


def parse_target(text: str, strict: bool = False) -> Optional[Condition]:
    """The condition a target states, ``None`` for a qualitative target.

    ``strict`` (the indicator is marked 定量) makes any unreadable text an error.
    """
    return _parse(text, bare=">=", strict=strict)


def parse_actual(text: str) -> Optional[Condition]:
    """An actual value: a bare number is exact; ``<0.1%`` is a bound. ``None`` if not numeric."""
    return _parse(text, bare="=", strict=False)


def _parse(text: str, bare: str, strict: bool) -> Optional[Condition]:
    clean = normalise(text)
    if not clean:
        if strict:
            raise TargetError("为空")
        return None
    signed = clean[0] in "≥≤<>="
    word_op, body = _strip_words(clean)
    found = _RANGE.match(body)
    if found:
        return _range(found, word_op, text)
    found = _SINGLE.match(body)
    if found:
        sign, number, unit = found.groups()
        ops = [op for op in (word_op, _SIGNS.get(sign or "", "")) if op]
        if len(set(ops)) > 1:
            raise TargetError(f"“{text}”中的比较关系相互矛盾")
        return _one_sided(ops[0] if ops else bare, Decimal(number), unit or "")
    if signed or strict:
        raise TargetError(f"无法解析“{text}”；可写为 ≥95%、≤1%、=0、≥90%或≤110%、6-9个月、282万人")
    return None


def _strip_words(clean: str) -> tuple[str, str]:
    """Remove a leading comparison word and a trailing 以上/以下; return (op, rest)."""
    op = ""
    for word, word_op in _WORDS:
        if clean.startswith(word):
            clean, op = clean[len(word):], word_op
            break
    for suffix, suffix_op in _SUFFIXES:
        if clean.endswith(suffix):
            clean = clean[: -len(suffix)]
            op = op or suffix_op
            break
    return op, clean


def _one_sided(op: str, number: Decimal, unit: str) -> Condition:
    if op == "=":
        return Condition(Bound(number, True), Bound(number, True), unit)
    if op in (">=", ">"):
        return Condition(Bound(number, op == ">="), None, unit)
    return Condition(None, Bound(number, op == "<="), unit)


def _range(found: re.Match, word_op: str, text: str) -> Condition:
    sign1, first, unit1, separator, sign2, second, unit2 = found.groups()
    unit1, unit2 = unit1 or "", unit2 or ""
    if unit1 and unit2 and unit1 != unit2:
        raise TargetError(f"“{text}”两端的单位不同（{unit1}、{unit2}）")
    if word_op not in ("",):
        raise TargetError(f"“{text}”：区间前不能再写比较词")
    if separator in ("-", "~", "至", "到"):
        if sign1 or sign2:
            raise TargetError(f"“{text}”：用“-”表示区间时两端不写比较符号，如 6-9个月")
        low, high = Bound(Decimal(first), True), Bound(Decimal(second), True)
    else:
        ops = (_SIGNS.get(sign1 or ""), _SIGNS.get(sign2 or ""))
        if ops[0] in ("<=", "<") and ops[1] in (">=", ">"):
            ops, first, second = (ops[1], ops[0]), second, first
        if ops[0] not in (">=", ">") or ops[1] not in ("<=", "<"):
            raise TargetError(f"“{text}”：区间应写为“≥下限或≤上限”，如 ≥90%或≤110%")
        low, high = Bound(Decimal(first), ops[0] == ">="), Bound(Decimal(second), ops[1] == "<=")
    if low.value > high.value:
        raise TargetError(f"“{text}”：区间下限大于上限")
    return Condition(low, high, unit2 or unit1)
