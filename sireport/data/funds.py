"""The eight social insurance funds and the default flags of income/expense items.

Fund names are accepted in Chinese, in their full or common short forms; each resolves
to one :class:`FundKind`. Which items count as transfers between levels (上下级往来)
or as treatment expense (待遇支出) is data: these are only the defaults used when the
data file does not mark an item itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class FundKind:
    key: str
    name: str  # official full name
    short: str  # column header in the 收支分析表
    aliases: tuple[str, ...]


FUND_KINDS: tuple[FundKind, ...] = (
    FundKind("enterprise_pension", "企业职工基本养老保险", "企业养老保险",
             ("企业养老保险", "企业职工养老保险", "企业养老")),
    FundKind("public_pension", "机关事业单位基本养老保险", "机关事业养老保险",
             ("机关事业单位养老保险", "机关事业养老保险", "机关事业养老保险（改革）",
              "机关事业养老（改革）", "机关养老保险")),
    FundKind("resident_pension", "城乡居民基本养老保险", "城乡居民养老保险",
             ("城乡居民养老保险", "居民养老保险", "城乡居民养老")),
    FundKind("employee_medical", "城镇职工基本医疗保险", "职工医疗保险",
             ("职工基本医疗保险", "职工医疗保险", "职工医疗保险（含生育）",
              "城镇职工基本医疗保险（含生育）", "职工医保", "基本医疗保险")),
    FundKind("resident_medical", "城乡居民基本医疗保险", "城乡居民医疗保险",
             ("城乡居民医疗保险", "居民医疗保险", "城乡居民医保")),
    FundKind("work_injury", "工伤保险", "工伤保险", ("工伤保险基金",)),
    FundKind("unemployment", "失业保险", "失业保险", ("失业保险基金",)),
    FundKind("maternity", "生育保险", "生育保险", ("生育保险基金",)),
)

_BY_NAME: dict[str, FundKind] = {}
for _kind in FUND_KINDS:
    for _alias in (_kind.name, _kind.short, _kind.key, *_kind.aliases):
        _BY_NAME[_alias] = _kind


def _normalise(name: str) -> str:
    return name.strip().replace("(", "（").replace(")", "）").removesuffix("基金")


def resolve_fund(name: str) -> FundKind | None:
    """Return the fund kind a Chinese (or key) name means, or None if unknown."""
    return _BY_NAME.get(name.strip()) or _BY_NAME.get(_normalise(name))


def valid_fund_names() -> list[str]:
    return [kind.name for kind in FUND_KINDS]


def fund_name_pattern() -> str:
    """A regular expression matching exactly the names :func:`resolve_fund` resolves (the JSON Schema's)."""
    def alternative(alias: str) -> str:
        return re.escape(alias).replace("（", "[（(]").replace("）", "[）)]").replace(r"\(", "[（(]").replace(r"\)", "[）)]")

    names = sorted({alternative(alias) for alias in _BY_NAME}, key=lambda name: (-len(name), name))
    return rf"^\s*(?:{'|'.join(names)})(?:基金)?\s*$"


# Default item flags, used when an item does not say ``transfer:`` / ``treatment:``.
TRANSFER_ITEMS = frozenset({"下级上解收入", "上级补助收入", "补助下级支出", "上解上级支出"})
TREATMENT_WORDS = ("待遇", "基本养老金", "养老金支出", "丧葬", "抚恤", "医疗", "失业保险金",
                   "生育", "伤残", "工亡", "代缴")
NOT_TREATMENT_WORDS = ("转移", "上解", "补助下级", "其他支出", "鉴定费", "预防费", "宣传费",
                       "稳岗", "技能提升")


def default_transfer(item_name: str) -> bool:
    return item_name.strip() in TRANSFER_ITEMS


@lru_cache(maxsize=4096)  # every report names the same few dozen items
def default_treatment(item_name: str, side: str) -> bool:
    if side != "expense":
        return False
    name = item_name.strip()
    if any(word in name for word in NOT_TREATMENT_WORDS):
        return False
    return any(word in name for word in TREATMENT_WORDS)
