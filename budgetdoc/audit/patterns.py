"""What the audit recognises, as data: every pattern and word list in one place.

All patterns run over the *normalised* text (:mod:`budgetdoc.audit.text`):
NFKC applied, white space removed, so ``，：；（）％`` are already ``,:;()%``
and a figure split over two lines of a PDF reads as one.  ``docs/audit.md``
lists the forms each pattern accepts; ``tests/test_audit_patterns.py`` holds
one example of each.

Adding a way of writing a figure is adding a pattern here, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ------------------------------------------------------------------ numbers

#: A number as written: 176.65, 1,234.56 (thousands separators), 0, 14.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: The units an amount may carry, and what each is in 万元.
UNITS = {"亿元": 10000, "万元": 1, "元": None}      # None: divide by 10000
UNIT = r"(?:亿元|万元|元)"
#: An amount: a number and its unit.  Not a threshold (200万元以上), not part of a longer number.
AMOUNT = re.compile(rf"(?<![\d.,])(?P<num>{NUMBER})(?P<unit>{UNIT})(?!以上|以下|以内|及以上|左右)")
#: A percentage, or a rate too small to show (不足0.1%).
PERCENT = rf"(?P<less>不足|低于)?(?P<pct>{NUMBER})%"

# ------------------------------------------------------------------ 比上年

#: What a change is compared with: 上年预算数, 上年预算, 2019年预算, 上年执行数, 上年, 去年 …
BASE = (r"(?:上一?年度?|去年|\d{4}年度?)(?:部门)?(?:年初)?"
        r"(?:预算安排数|预算数|预算|执行数|执行|决算数|决算|实际支出数?|实际数|支出数)?")
#: A base that names last year's execution (执行数), not its budget.
ACTUAL_BASE = re.compile(r"执行|决算|实际|支出数")

_UP = ("增加", "增长", "上升", "提高", "增", "多")
_DOWN = ("减少", "下降", "降低", "减", "少")
VERB = "|".join(sorted(_UP + _DOWN, key=len, reverse=True))


def direction(verb: str) -> int:
    """+1 for 增加/增长…, -1 for 减少/下降…"""
    return 1 if verb in _UP or verb in ("增幅", "增长率") else -1


#: 比上年预算数减少28.03万元 / 较上年增加5万元 / 同比下降13.7% / 比2019年预算增长13.7%
#: Last year's amount may follow the base: 比上年预算数（204.68万元）减少28.03万元, 较上年的204.68万元减少…,
#: 较上年预算1,150.20万元增加136.20万元.
PRIOR = (rf"(?:\((?P<prior>{NUMBER})(?P<punit>{UNIT})\)|的(?P<prior2>{NUMBER})(?P<punit2>{UNIT})|"
         rf"(?P<prior3>{NUMBER})(?P<punit3>{UNIT})(?=(?:{VERB})))")
CHANGE = re.compile(
    rf"(?:(?P<lead>同比|比|较)(?P<base>{BASE})?{PRIOR}?(?:相比)?|(?:与|和|同)(?P<base2>{BASE})相比),?(?P<verb>{VERB})了?"
    rf"(?:(?P<num>{NUMBER})(?P<unit>{UNIT})|{PERCENT})?")
#: What may follow a change's amount: its rate (，下降13.7%), or a note for a zero base or a zero year.
RATE_AFTER = re.compile(
    rf",?(?:同比)?(?P<rverb>增长率|增幅|降幅|减幅|{VERB})(?:为|了|达)?{PERCENT}")
NEW_AFTER = re.compile(r",?\(?(?P<new>上年(?:度)?(?:无此项|未安排|没有)(?:预算|支出|安排)?)\)?")
DROPPED_AFTER = re.compile(r",?(?P<dropped>本年(?:度)?(?:未安排|不再安排|无此项(?:预算|支出)?))")
#: 与上年预算持平 / 较上年无增减 / 本年预算与上年执行数持平
FLAT = re.compile(
    rf"(?:与|和|同|较|比)(?P<base>{BASE})(?:相比)?(?:基本)?(?P<flat>持平|无增减|无变化|没有变化|相同|一致)")

# ------------------------------------------------------------------ 占比

#: 占比73.54% / 占100% / 占政府采购预算总额的70% / 占部门预算支出的比重为73.54%
SHARE = re.compile(
    rf"占(?:比(?:重|例)?)?(?:(?P<whole>[^,;:。()%占\d][^,;:。()%占]{{0,29}}?)的?(?:比重|比例)?)?(?:为|是)?{PERCENT}")

# ------------------------------------------------------------------ lists

#: Words that open the items of a figure just stated: 其中：…、包括：…
LIST_INTRO = re.compile(r"(?:其中|主要包括|包括|分别为|分别是)[:,]?")
#: A paragraph that ends by opening a list (…1,186.40万元，主要用于： / …。其中：) lists its figure's items in
#: the numbered paragraphs after it (1、农林水支出（类）…, 2、…).
LIST_ENDING = re.compile(r"(?:其中|主要包括|包括|分别为|主要用于|具体(?:情况)?如下|如下)[:,]?$")
NUMBERED = re.compile(r"^(?:\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[①-⑳])")

# ------------------------------------------------------------------ subjects

#: Stripped from the front of a subject (repeatedly): numbering, 其中, 我单位, a year …
SUBJECT_PREFIX = re.compile(
    r"^(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|[①-⑳]|"
    r"其中|主要包括|包括|另外|此外|以及|和|及|、|我单位|本单位|我部门|本部门|我局|本局|全局|"
    r"20\d\d年度?|本年度|全年|安排)[:,]?")
#: Stripped from the end of a subject.
SUBJECT_SUFFIX = re.compile(r"(?:为|是|共计|共|计|达到|达|约|总计为|合计为)$")
QUOTES = re.compile(r"[“”\"'‘’「」『』《》]")

# ------------------------------------------------------------------ sections

#: What a section is about, from the words of its headings (all levels above a paragraph).
SECTION_KINDS = (
    ("glossary", re.compile(r"名词解释|名词说明")),
    ("three_public", re.compile(r"三公")),
    ("fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本经营")),
    ("operating_costs", re.compile(r"机关运行经费")),
    ("procurement", re.compile(r"政府采购")),
    ("assets", re.compile(r"国有资产")),
    ("performance", re.compile(r"绩效")),
    ("appropriation", re.compile(r"财政拨款(?:收支|规模|收入支出)")),
    ("uses", re.compile(r"具体使用安排|使用安排情况|支出(?:预算)?安排情况")),
)

#: Heading numbers and the level they stand for.
HEADING_MARKERS = (
    (re.compile(r"^第[一二三四五六七八九十]+部分"), 1),
    (re.compile(r"^[一二三四五六七八九十]+、"), 2),
    (re.compile(r"^\([一二三四五六七八九十]+\)"), 3),
    (re.compile(r"^\d{1,2}[.、](?!\d)"), 4),
)
#: A title names the report's year: 2020年部门预算公开说明, 2020年度部门预算.
TITLE_YEAR = re.compile(r"(?P<year>(?:19|20)\d\d)年度?(?:部门|单位)?(?:预算|部门预算)")
HEADING_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)年")

# ------------------------------------------------------------------ concepts


@dataclass(frozen=True)
class Concept:
    """A figure the report states and the arithmetic knows: its id, its name in messages, how it is written.

    ``pattern`` must match the whole cleaned subject.  ``sections`` limits
    where the words mean this figure (None: anywhere); ``not_sections``
    where they do not.
    """

    id: str
    label: str
    pattern: re.Pattern
    sections: tuple[str, ...] | None = None
    not_sections: tuple[str, ...] = ()


def _c(id: str, label: str, pattern: str, sections: tuple[str, ...] | None = None,
       not_sections: tuple[str, ...] = ()) -> Concept:
    return Concept(id, label, re.compile(pattern), sections, not_sections)


_MONEY_SECTIONS_ONLY = ("glossary",)

CONCEPTS = (
    _c("income.total", "部门预算收入", r"(?:部门)?(?:预算)?收入(?:预算)?(?:总计|总额|合计)?|总收入"),
    _c("expenditure.total", "部门预算支出", r"(?:部门)?(?:预算)?支出(?:预算)?(?:总额|合计)?|总支出"),
    _c("income.general", "一般公共预算拨款收入",
       r"一般公共预算(?:财政)?拨款(?:收入)?(?:预算)?|一般公共预算收入"),
    _c("income.fund", "政府性基金预算拨款收入",
       r"政府性基金(?:预算)?(?:财政)?拨款(?:收入)?(?:预算)?|政府性基金(?:预算)?收入"),
    _c("income.state_capital", "国有资本经营预算拨款收入", r"国有资本经营预算(?:财政)?拨款(?:收入)?(?:预算)?"),
    _c("income.business", "事业收入", r"事业收入"),
    _c("income.operating", "事业单位经营收入", r"(?:事业单位)?经营收入"),
    _c("income.other", "其他收入", r"其他收入"),
    _c("appropriation.carryover", "财政拨款上年结转", r"上年结转(?:和结余)?(?:资金|收入)?",
       sections=("appropriation",)),
    _c("income.carryover", "上年结转", r"上年结转(?:和结余)?(?:资金|收入)?"),
    _c("income.reserve", "用事业基金弥补收支差额", r"用事业基金弥补(?:的)?收支差额"),
    _c("expenditure.basic", "基本支出", r"基本支出(?:预算)?(?:合计)?", not_sections=("fund", "three_public")),
    _c("expenditure.project", "项目支出", r"项目支出(?:预算)?(?:合计)?", not_sections=("fund", "three_public")),
    _c("expenditure.operating", "事业单位经营支出", r"(?:事业单位)?经营支出"),
    _c("expenditure.personnel", "人员经费", r"人员经费(?:支出)?"),
    _c("expenditure.public", "公用经费", r"公用经费(?:支出)?", not_sections=("operating_costs",)),
    _c("appropriation.total", "财政拨款收支预算",
       r"财政拨款收支(?:总)?预算(?:总额)?|财政拨款(?:收入|支出)?(?:预算)?(?:总额|合计)?"),
    _c("three_public.total", "“三公”经费",
       r"(?:财政拨款)?(?:一般公共预算)?(?:安排的)?三公经费(?:支出)?(?:预算)?(?:数)?(?:合计)?"),
    _c("three_public.abroad", "因公出国（境）费", r"因公出国\(境\)费用?(?:预算)?", ("three_public",)),
    _c("three_public.reception", "公务接待费", r"公务接待费用?(?:预算)?", ("three_public",)),
    _c("three_public.vehicles", "公务用车购置及运行维护费", r"公务用车购置(?:及|和)运行(?:维护)?费用?(?:预算)?",
       ("three_public",)),
    _c("three_public.purchase", "公务用车购置费", r"公务用车购置(?:费用?)?(?:预算)?", ("three_public",)),
    _c("three_public.operation", "公务用车运行维护费", r"公务用车运行(?:维护)?费用?(?:预算)?", ("three_public",)),
    _c("operating_costs.total", "机关运行经费", r"机关运行经费(?:财政拨款)?(?:预算)?(?:支出)?(?:合计)?"),
    _c("procurement.total", "政府采购预算", r"政府采购(?:预算)?(?:总额|合计)?"),
    _c("procurement.goods", "政府采购货物预算", r"(?:政府采购)?货物(?:类)?(?:采购)?(?:预算)?", ("procurement",)),
    _c("procurement.works", "政府采购工程预算", r"(?:政府采购)?工程(?:类)?(?:采购)?(?:预算)?", ("procurement",)),
    _c("procurement.services", "政府采购服务预算", r"(?:政府采购)?服务(?:类)?(?:采购)?(?:预算)?", ("procurement",)),
    _c("procurement.sme", "授予中小企业合同金额", r"授予中小企业(?:的)?(?:合同)?(?:金额)?|(?:面向|预留给)?中小企业(?:的)?(?:预留)?(?:份额|金额)",
       ("procurement",)),
    _c("performance.published", "公开绩效目标的项目支出",
       r"公开(?:填报)?绩效目标的项目(?:支出)?(?:预算)?(?:资金)?(?:金额)?"),
)
BY_ID = {c.id: c for c in CONCEPTS}

#: How a whole is named after 占 (占全部项目支出预算的100%): the words, and the figure they mean.
WHOLES = (
    (re.compile(r"全部项目支出(?:预算)?|项目支出(?:预算)?(?:总额)?"), "expenditure.project"),
    (re.compile(r"政府采购预算(?:总额)?|采购预算总额"), "procurement.total"),
    (re.compile(r"(?:全部|本年|部门)?(?:预算)?(?:总)?支出(?:预算)?(?:总额|合计)?"), "expenditure.total"),
    (re.compile(r"(?:全部|本年|部门)?(?:预算)?(?:总)?收入(?:预算)?(?:总额|合计)?"), "income.total"),
    (re.compile(r"基本支出(?:预算)?"), "expenditure.basic"),
    (re.compile(r"(?:财政拨款)?三公经费(?:预算)?"), "three_public.total"),
)


@dataclass(frozen=True)
class Composition:
    """A whole and the parts it is made of: the parts add up to the whole.

    ``required``: the parts that must all be stated for the identity to be
    checked from figures stated anywhere in the report (an absent optional
    part is 0).  ``None``: only checked when the report lists the parts
    right after the whole (其中：…).
    """

    whole: str
    parts: tuple[str, ...]
    required: tuple[str, ...] | None


COMPOSITIONS = (
    Composition("income.total", ("income.general", "income.fund", "income.state_capital", "income.business",
                                 "income.operating", "income.other", "income.carryover", "income.reserve"), None),
    Composition("expenditure.total", ("expenditure.basic", "expenditure.project", "expenditure.operating"),
                ("expenditure.basic", "expenditure.project")),
    Composition("expenditure.basic", ("expenditure.personnel", "expenditure.public"),
                ("expenditure.personnel", "expenditure.public")),
    Composition("appropriation.total", ("income.general", "income.fund", "income.state_capital",
                                        "appropriation.carryover"), None),
    Composition("three_public.total", ("three_public.abroad", "three_public.reception", "three_public.vehicles"),
                ("three_public.abroad", "three_public.reception", "three_public.vehicles")),
    Composition("three_public.vehicles", ("three_public.purchase", "three_public.operation"),
                ("three_public.purchase", "three_public.operation")),
    Composition("procurement.total", ("procurement.goods", "procurement.works", "procurement.services"),
                ("procurement.goods", "procurement.works", "procurement.services")),
)
COMPOSITION_OF = {c.whole: c for c in COMPOSITIONS}

#: Part patterns that only hold inside a list under this whole (上年结转 under 财政拨款 is 财政拨款's own).
LIST_PARTS = {
    "appropriation.total": ((re.compile(r"上年结转(?:和结余)?(?:资金|收入)?"), "appropriation.carryover"),),
    "income.total": ((re.compile(r"上年结转(?:和结余)?(?:资金|收入)?"), "income.carryover"),),
}

# ------------------------------------------------------------ 功能分类 lines

#: 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）: names split at each level mark.
LEVEL_MARK = re.compile(r"\((类|款|项)\)")
LEVELS = {"类": 1, "款": 2, "项": 3}
#: A 类 named in short: 一般公共服务类, 卫生健康支出类 (code optional: 201一般公共服务支出类).
CLASS_SHORT = re.compile(r"^(?:\d{3,7})?(?P<name>[^\d]{2,30}?)类$")
#: Where no 功能分类 line is named (货物类 is a kind of procurement, not a 类).
NOT_FUNCTION_SECTIONS = frozenset(("procurement", "three_public", "operating_costs", "performance", "assets"))

# ------------------------------------------------------------ disclosure

#: Placeholders: the same list the data check uses (budgetdoc.checks.content), plus blanks left for a number.
EXTRA_PLACEHOLDERS = re.compile(r"_{3,}|[(（]\s+[)）]|【\s*】")
#: A reason follows a change: 原因是…, 主要是由于…, 主要用于…
REASON = re.compile(r"原因|由于|因为|主要是|主要用于|用于|系因|是因")

#: Function-classification names replaced in a new edition: (old name, new name, first year of the new one).
OBSOLETE_NAMES = (
    ("医疗卫生与计划生育支出", "卫生健康支出", 2019),
    ("医疗卫生与计划生育管理事务", "卫生健康管理事务", 2019),
    ("文化体育与传媒支出", "文化旅游体育与传媒支出", 2019),
    ("国土海洋气象等支出", "自然资源海洋气象等支出", 2019),
)

#: The funds an empty table or section can be about, and how each is named.
FUNDS = (
    ("一般公共预算", re.compile(r"一般公共预算")),
    ("政府性基金预算", re.compile(r"政府性基金")),
    ("国有资本经营预算", re.compile(r"国有资本经营")),
    ("“三公”经费", re.compile(r"三公")),
)
#: A note that a table or section is empty: 本部门无政府性基金预算财政拨款安排，本表为空表 / 我单位无政府性基金财政拨款预算。
EMPTY_NOTE = re.compile(
    r"(?:没有|无)(?P<what>[^,。;]{2,30}?)(?:预算|安排|拨款|收支|支出|收入|资金)*(?:,|。|$)(?:.*?(?:空表|无数据))?")
EMPTY_NOTE_MARK = re.compile(r"空表|无数据|^(?:注:)?(?:我单位|本单位|我部门|本部门|我局|本局|本级)")

# ------------------------------------------------------------ tables

#: Which 公开表 a title names (the first pattern that matches).
TABLE_KINDS = (
    ("appropriation_summary", re.compile(r"财政拨款收支总表")),
    ("summary", re.compile(r"收支总表")),
    ("income", re.compile(r"收入总表|收入预算总表")),
    ("spending", re.compile(r"支出总表|支出预算总表")),
    ("three_public", re.compile(r"三公")),
    ("economic", re.compile(r"基本支出")),
    ("general", re.compile(r"一般公共预算支出")),
    ("fund", re.compile(r"政府性基金")),
    ("performance", re.compile(r"绩效目标")),
)
TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计)$")
SUBSET_LABEL = re.compile(r"^其中")
#: Row labels of a 收支总表 and the figures they are.
SUMMARY_ROWS = {
    "summary": (
        (re.compile(r"一般公共预算(?:财政)?拨款(?:收入)?"), "income.general"),
        (re.compile(r"政府性基金预算(?:财政)?拨款(?:收入)?"), "income.fund"),
        (re.compile(r"国有资本经营预算(?:财政)?拨款(?:收入)?"), "income.state_capital"),
        (re.compile(r"事业收入"), "income.business"),
        (re.compile(r"事业单位经营收入"), "income.operating"),
        (re.compile(r"其他收入"), "income.other"),
        (re.compile(r"上年结转(?:和结余)?"), "income.carryover"),
        (re.compile(r"用事业基金弥补收支差额"), "income.reserve"),
        (re.compile(r"收入总计"), "income.total"),
        (re.compile(r"本年支出合计"), "expenditure.total"),
    ),
    "appropriation_summary": (
        (re.compile(r"一般公共预算(?:财政)?拨款(?:收入)?"), "income.general"),
        (re.compile(r"政府性基金预算(?:财政)?拨款(?:收入)?"), "income.fund"),
        (re.compile(r"国有资本经营预算(?:财政)?拨款(?:收入)?"), "income.state_capital"),
        (re.compile(r"上年结转(?:和结余)?"), "appropriation.carryover"),
        (re.compile(r"收入总计"), "appropriation.total"),
    ),
}
#: The 合计 row of a table, column by column, and the figures it holds.
TOTAL_ROW_COLUMNS = {
    "spending": ((re.compile(r"^合计$"), "expenditure.total"), (re.compile(r"^基本支出$"), "expenditure.basic"),
                 (re.compile(r"^项目支出$"), "expenditure.project")),
    "fund": ((re.compile(r"^合计$"), "income.fund"),),
    "performance": ((re.compile(r"^(?:合计|预算金额)$"), "expenditure.project"),),
}
#: The columns of a “三公” table and the rows' periods.
THREE_PUBLIC_COLUMNS = (
    (re.compile(r"^(?:合计|总计)$"), "three_public.total"),
    (re.compile(r"因公出国"), "three_public.abroad"),
    (re.compile(r"公务接待"), "three_public.reception"),
    (re.compile(r"购置及运行|购置和运行"), "three_public.vehicles"),
    (re.compile(r"购置"), "three_public.purchase"),
    (re.compile(r"运行"), "three_public.operation"),
)
PERIODS = (
    (re.compile(r"上年(?:度)?(?:执行|决算|实际)"), "actual"),
    (re.compile(r"上年"), "budget"),
    (re.compile(r"本年|预算数|^预算$|\d{4}年"), "current"),
)
