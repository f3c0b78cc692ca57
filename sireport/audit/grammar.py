"""The small grammar by which a report's sentences state figures (data, not code).

A figure is a number with a unit (its pattern and the units: :mod:`sireport.figures.printed`). What it means comes from the words just before it
(its *label*: the text back to the previous punctuation, fund name or figure) and just
after it. Each table below is one decision: which units exist, which words make a
figure a change, a growth rate, an execution rate, a balance, a target, and which
label words name the standard lines. Fund names come from :mod:`sireport.data.funds`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..data.funds import FUND_KINDS
from ..figures.printed import UNITS

# 1:1 character map applied before reading (positions are kept for quoting and comments).
NORMALISE = str.maketrans("０１２３４５６７８９％．－−＋，", "0123456789%.--+,")

# Words that end a label (punctuation), and sentence ends (a sentence is a figure's context).
BOUNDARY = set("，,。；;：:、（）()“”\"《》\n\t")
SENTENCE_END = re.compile(r"[。；;！？!?\n]")

# Fund names as a report writes them (official, short, common variants), longest first.
_FUND_NAMES = sorted({name for kind in FUND_KINDS for name in (kind.name, kind.short, *kind.aliases)
                      if not name.isascii()} | {"城乡居民医疗保险", "职工基本医疗保险（含生育）",
                                                 "基本医疗保险（含生育）", "机关事业单位养老保险（改革）"},
                     key=len, reverse=True)
FUND_TERM = re.compile("|".join(re.escape(name) for name in _FUND_NAMES))
# Words meaning "all the funds together".
ALL_TERM = re.compile(r"各项社会保险基金|各项社保基金|各项基金|社会保险基金|社保基金|各险种")
# Groups of funds named in a 绩效自评表 row ("养老保险基金支出预算完成率").
FUND_GROUPS: dict[str, tuple[str, ...]] = {
    "养老保险": ("enterprise_pension", "public_pension", "resident_pension"),
    "医疗保险": ("employee_medical", "resident_medical"),
}

# A heading: short, numbered （一） / 一、 / 1、 / 1. / 3、 ...
HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}\s*[、.．](?!\d))")

# Label words (after fillers are stripped) that name a standard line.
LINES: dict[str, str] = {
    "总收入": "income", "收入": "income", "基金收入": "income", "收入合计": "income", "收入总额": "income",
    "基金总收入": "income", "总支出": "expense", "支出": "expense", "基金支出": "expense",
    "支出合计": "expense", "支出总额": "expense", "基金总支出": "expense", "收入小计": "income_sub",
    "基金收入小计": "income_sub", "支出小计": "expense_sub", "基金支出小计": "expense_sub",
    "待遇支出": "treatment", "社会保险待遇支出": "treatment", "待遇总支出": "treatment",
    "当期结余": "balance", "本年收支结余": "balance", "当年收支结余": "balance", "收支结余": "balance",
    "本年结余": "balance", "当年结余": "balance", "滚存结余": "cumulative", "累计结余": "cumulative",
    "月均支出": "monthly",
}
SUBTOTAL_OF = {"income": "income_sub", "expense": "expense_sub"}
SUBTOTAL_NOTE = re.compile(r"^\s*[（(][^）)]*(?:小计|不含上下级往来)")

# Leading words that carry no meaning for the line ("2019年度", "全年", "其中", "基金" ...).
FILLER = re.compile(r"^(?:\d{4}年度?|年度|全年|本年度|年末|其中|基金|全市|全县|全区|本级|区本级|共|合计为|为|的|"
                    r"实际|累计共|分别)+")
# Comparison words before a change or growth figure; what is left before them is the subject.
COMPARED = re.compile(r"(?:较上年同期|较上年|比上年同期|比上年|与上年相比|与去年同期相比|较去年同期|较去年|同比)$")
UP_WORDS = ("增长", "增加", "增幅", "上升", "提高")
DOWN_WORDS = ("下降", "减少", "降幅", "降低", "减幅")
CHANGE = re.compile(r"(?P<word>" + "|".join(UP_WORDS + DOWN_WORDS) + r")(?:了|为)?$")
EXECUTION = re.compile(r"(?:完成(?:了)?(?:全年|年度|本年)?(?:\S{0,6}?)预算(?:数)?(?:的)?|(?:预算)?执行率(?:为|达到)?|"
                       r"执行预算|(?:预算)?完成率(?:为|达到)?)$")
BUDGET_OF = re.compile(r"完成(?:全年|年度|本年)?(?:\S{0,6}?)预算(?:支出|收入)?$")  # "完成全年预算1091628万元的…"
SHARE = re.compile(r"^占(?:\S*的)?$")
MONTHS = re.compile(r"可支付(?:月数)?(?:为)?$")
MONTHLY = re.compile(r"^按(?P<basis>\S*?)月均支出$")
PER_CAPITA = re.compile(r"人均月(?P<what>\S*)$")
ADJUSTMENT = re.compile(r"人均(?:月)?增加")
TARGET_BEFORE = re.compile(r"(?:≥|≤|>|<|＞|＜|不低于|不高于|不超过|不少于|大于|小于|高于|低于|力争达到|目标)$")
APPROX_BEFORE = re.compile(r"(?:约|近|超过|逾|达|将近|接近)$")
AFTER_QUALIFIER = re.compile(r"^\s*(?:以上|以下|以内|左右|多|余|及以上|及以下|之内)")
# Execution words removed before asking whether a sentence speaks of the budget (预算).
NOT_BUDGET = re.compile(r"完成(?:了)?(?:全年|年度|本年)?\S{0,6}?预算|执行预算|预算执行|预算完成|未完成预算|预算支出执行目标|"
                        r"超预算|编制预算|预算编制|预算管理")
# Fund words left before a line word ("失业基金总收入" after "养老、工伤、"): the line is what counts.
FUNDS_BEFORE_LINE = re.compile(r"^\S*?基金(?=总收入|总支出|收入|支出|当期|滚存|累计)")
# A label that is an increment of a line, not the line ("全年增加基金支出46000万元").
INCREMENT = re.compile(r"^(?:增加|减少|新增|增长|节约|多支出|少支出)")
COMPARED_ANYWHERE = re.compile(r"较上年|比上年|与上年|较去年|比去年|与去年|同比|上年同期")
# Words that put a sentence back on the actual year after a budget sentence in the same paragraph.
ACTUAL_WORDS = re.compile(r"实际|决算|执行数|完成|本年度实际")
# Labels too general to say what a figure is about ("决算数 2373.29 万元" of which line?).
GENERIC_LABELS = {"决算数", "预算数", "年初预算数", "年初预算", "全年预算数", "价值", "金额", "资金", "总额", "小计", "合计",
                  "共涉及资金", "累计", "其他", "共计", "达到", "涉及资金"}
# Units written twice ("亿元元"): a unit directly followed by a stray unit character.
REPEATED_UNIT = re.compile(r"\d\s*(?P<unit>亿元|万元|元)(?P<extra>元|万元|亿元)|\d\s*%%|\d\s*(?:万万|亿亿)")


def unit_kind(unit: str | None) -> tuple[str, Decimal] | None:
    return UNITS.get(unit) if unit else None


def strip_filler(label: str) -> str:
    return FILLER.sub("", label.strip())
