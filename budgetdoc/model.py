"""The typed model of one year's budget, and the schema of every data file.

Each data file under ``data/<year>/`` holds one topic; its schema below says
which keys it has (in Chinese, as the clerk writes them), which model
attribute each becomes (in English) and what it means.  The model keeps
figures at the finest level the data gives: 功能分类 may nest 类 → 款 → 项 and
nothing else changes.

Every amount is an :class:`~budgetdoc.schema.Amount` (Decimal + Source).  All
fields may be absent (``None``) in the model; whether a field is required is
the schema's business and applies to the year being reported only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Source
from .schema import Amount, Choice, Code, Count, DataUnit, Field, Flag, ListOf, Money, Name, Record, Text, Year

# ------------------------------------------------------------- department.yaml


@dataclass(frozen=True)
class Unit:
    """预算单位: a unit inside the department and its 性质."""

    name: str | None = None
    kind: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Duties:
    """主要职能: the department's mandate and its list of duties."""

    overview: str | None = None
    duties: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Organization:
    """机构设置: how the department's budget is composed."""

    composition: str | None = None
    units: tuple[Unit, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Staff:
    """人员: 编制 (authorised posts) and 实有 (people in post)."""

    admin_posts: int | None = None
    admin_actual: int | None = None
    public_posts: int | None = None
    public_actual: int | None = None
    source: Source | None = None
    field_sources: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Contact:
    person: str | None = None
    phone: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Department:
    name: str | None = None
    name_breaks: str | None = None
    short_name: str | None = None
    year: int | None = None
    unit: str | None = None
    places: int | None = None
    duties: Duties | None = None
    organization: Organization | None = None
    staff: Staff | None = None
    contact: Contact | None = None
    source: Source | None = None
    field_sources: dict = field(default_factory=dict, compare=False, hash=False)


UNIT_KINDS = ("财政拨款的行政单位", "参照公务员法管理的事业单位", "全额拨款事业单位", "差额拨款事业单位",
              "自收自支事业单位", "其他单位")

DEPARTMENT = Record(Department, [
    Field("部门名称", "name", Name(), True, "部门全称，如“奈曼旗政务服务局”；报告的文件名由它生成。"),
    Field("部门名称断行", "name_breaks", Text(), False,
          "可选：标题太长需要换行时，部门名称可以在哪里断开，用“|”标出，如“奈曼旗人力资源|和社会保障局”；"
          "去掉“|”后必须与部门名称相同。不填时只在部门名称、年度和“部门预算公开说明”之间换行。"),
    Field("部门简称", "short_name", Text(), False, "正文中指代本部门的简称，如“旗政务服务局”；不填则用全称。"),
    Field("年度", "year", Year(), True, "预算年度，必须与文件夹名一致。"),
    Field("数据单位", "unit", Choice(("万元", "元")), False,
          "各数据文件中金额的单位：万元（默认）或元。报告和公开表用什么单位由文风决定，工具会换算。"),
    Field("金额小数位", "places", Count(), False,
          "金额最多几位小数，默认 2；按万元填写元一级的数（如 1.2345 万元）时写 4，到分写 6。"),
    Field("主要职能", "duties", Record(Duties, [
        Field("部门职能", "overview", Text(), True, "部门职能的概述段落。"),
        Field("主要职责", "duties", ListOf(Text(), 1), True, "逐条列出的主要职责，编号由工具自动生成，不要手写“1.”。"),
    ]), True, "第一部分“主要职能”。"),
    Field("机构设置", "organization", Record(Organization, [
        Field("构成说明", "composition", Text(), False, "预算单位构成的说明句。"),
        Field("单位", "units", ListOf(Record(Unit, [
            Field("名称", "name", Text(), True, "单位全称。"),
            Field("性质", "kind", Choice(UNIT_KINDS), True, "单位性质。"),
        ]), 1), True, "纳入部门预算编制范围的单位，按表中顺序排列。"),
    ]), True, "第一部分“机构设置及预算单位构成情况”。"),
    Field("人员", "staff", Record(Staff, [
        Field("行政编制", "admin_posts", Count(), True, "行政编制数（个）。"),
        Field("行政实有人数", "admin_actual", Count(), True, "行政实有人员（个）。"),
        Field("事业编制", "public_posts", Count(), True, "事业编制数（个）。"),
        Field("事业实有人数", "public_actual", Count(), True, "事业实有人员（个）。"),
    ]), True, "人员基本情况。"),
    Field("联系方式", "contact", Record(Contact, [
        Field("联系人", "person", Text(), True),
        Field("联系电话", "phone", Text(), True),
    ]), True, "第五部分“预算公开联系方式及信息反馈渠道”。"),
], title="部门概况", description="部门名称、职能、机构、人员和联系方式。")

# ----------------------------------------------------------------- income.yaml


@dataclass(frozen=True)
class Income:
    """收入预算, by source.  ``total`` is the stated 收入合计, checked."""

    total: Amount | None = None
    general: Amount | None = None
    fund: Amount | None = None
    state_capital: Amount | None = None
    business: Amount | None = None
    operating: Amount | None = None
    other: Amount | None = None
    carryover: Amount | None = None
    reserve: Amount | None = None
    reason: str | None = None
    source: Source | None = None


# (attribute, key): the order in which sources are listed in the report.
INCOME_SOURCES = (
    ("general", "一般公共预算拨款收入"),
    ("fund", "政府性基金预算拨款收入"),
    ("state_capital", "国有资本经营预算拨款收入"),
    ("business", "事业收入"),
    ("operating", "事业单位经营收入"),
    ("other", "其他收入"),
    ("carryover", "上年结转"),
    ("reserve", "用事业基金弥补收支差额"),
)

INCOME = Record(Income, [
    Field("合计", "total", Money(), True, "收入预算合计（万元），工具会核对它等于各项收入之和。"),
    Field("一般公共预算拨款收入", "general", Money(), True, "万元。"),
    Field("政府性基金预算拨款收入", "fund", Money(), True, "万元；没有填 0。"),
    Field("国有资本经营预算拨款收入", "state_capital", Money(), False, "万元；没有可不填。"),
    Field("事业收入", "business", Money(), True, "万元；没有填 0。"),
    Field("事业单位经营收入", "operating", Money(), True, "万元；没有填 0。"),
    Field("其他收入", "other", Money(), True, "万元；没有填 0。"),
    Field("上年结转", "carryover", Money(), True, "万元；没有填 0。"),
    Field("用事业基金弥补收支差额", "reserve", Money(), True, "万元；没有填 0。"),
    Field("变动原因", "reason", Text(), False, "收入比上年增减的原因，写在“原因：”之后。"),
], title="收入预算", description="部门收入预算（万元），按来源填写。")

# ------------------------------------------------------------ expenditure.yaml


@dataclass(frozen=True)
class Indicator:
    """A 绩效指标 of a project: 一级 / 二级 / 三级 and its 指标值."""

    first: str | None = None
    second: str | None = None
    third: str | None = None
    value: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Project:
    """项目支出中的一个项目, with its 绩效目标 for the 项目支出绩效目标表."""

    name: str | None = None
    amount: Amount | None = None
    appropriation: Amount | None = None
    performance: str | None = None
    goal: str | None = None
    indicators: tuple[Indicator, ...] = ()
    source: Source | None = None


# 绩效指标 (财政部 项目支出绩效目标 framework): 一级 → its usual 二级.  An unknown
# 二级 is a warning, not an error: regions add their own.
INDICATOR_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
    ("成本指标", ("经济成本指标", "社会成本指标", "生态环境成本指标")),
)


@dataclass(frozen=True)
class EconomicItem:
    """A line of 基本支出 by 支出经济分类: 类 (3 digits, e.g. 301) or 款 (5 digits, 30101).

    Its two columns are those of the 一般公共预算基本支出表: 人员经费 and
    公用经费 (a column left out is 0: most 款 fall in one column only).
    """

    code: str | None = None
    name: str | None = None
    personnel: Amount | None = None
    public: Amount | None = None
    children: tuple["EconomicItem", ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class BasicSpending:
    """基本支出 = 人员经费 + 公用经费, optionally by 经济分类."""

    total: Amount | None = None
    personnel: Amount | None = None
    public: Amount | None = None
    purpose: str | None = None
    economic: tuple[EconomicItem, ...] | None = None
    source: Source | None = None


def _economic_item(depth: int) -> Record:
    fields = [
        Field("编码", "code", Code(depth, "301" if depth == 1 else "30101"), True,
              "支出经济分类科目编码：类 3 位（如 301），款 5 位（如 30101）。"),
        Field("名称", "name", Text(), True, "科目名称，如“工资福利支出”。"),
        Field("人员经费", "personnel", Money(), False, "万元；这一行没有人员经费可不写。"),
        Field("公用经费", "public", Money(), False, "万元；这一行没有公用经费可不写。"),
    ]
    if depth < 2:
        fields.append(Field("下级", "children", ListOf(_economic_item(depth + 1)), False,
                            "类下的款；填写时各款的人员经费、公用经费之和分别等于本类的数。"))
    return Record(EconomicItem, fields)


@dataclass(frozen=True)
class ProjectSpending:
    """项目支出 = Σ 项目."""

    total: Amount | None = None
    purpose: str | None = None
    projects: tuple[Project, ...] | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Expenditure:
    """支出预算 = 基本支出 + 项目支出 + 事业单位经营支出; 结转下年 is what is left for next year."""

    total: Amount | None = None
    basic: BasicSpending | None = None
    project: ProjectSpending | None = None
    operating: Amount | None = None
    carry_forward: Amount | None = None
    reason: str | None = None
    source: Source | None = None


PERFORMANCE_STATES = ("已公开", "已填报未公开", "未填报")

EXPENDITURE = Record(Expenditure, [
    Field("合计", "total", Money(), True, "支出预算合计（万元），工具会核对它等于基本支出、项目支出与经营支出之和。"),
    Field("基本支出", "basic", Record(BasicSpending, [
        Field("合计", "total", Money(), True, "基本支出合计（万元）= 人员经费 + 公用经费。"),
        Field("人员经费", "personnel", Money(), True, "万元。"),
        Field("公用经费", "public", Money(), True, "万元。"),
        Field("主要用途", "purpose", Text(), False, "写在“主要是”之后的用途说明。"),
        Field("经济分类", "economic", ListOf(_economic_item(1)), False,
              "可选：基本支出按支出经济分类（类、款）的人员经费和公用经费，供“一般公共预算基本支出表”使用；"
              "填写时各类之和必须等于上面的人员经费和公用经费。"),
    ]), True),
    Field("项目支出", "project", Record(ProjectSpending, [
        Field("合计", "total", Money(), True, "项目支出合计（万元）= 各项目金额之和。"),
        Field("主要用途", "purpose", Text(), False, "写在“主要是”之后的用途说明。"),
        Field("项目", "projects", ListOf(Record(Project, [
            Field("名称", "name", Text(), True, "项目名称。"),
            Field("金额", "amount", Money(), True, "万元。"),
            Field("财政拨款", "appropriation", Money(), False,
                  "可选：金额中的财政拨款（万元），列入“项目支出绩效目标表”的“其中：财政拨款”栏。"),
            Field("绩效目标", "performance", Choice(PERFORMANCE_STATES), True,
                  "绩效目标填报和公开情况：已公开 / 已填报未公开 / 未填报。"),
            Field("年度目标", "goal", Text(), False, "项目的年度绩效目标（一段文字）。"),
            Field("绩效指标", "indicators", ListOf(Record(Indicator, [
                Field("一级指标", "first", Choice(tuple(first for first, _ in INDICATOR_LEVELS)), True,
                      "产出指标、效益指标、满意度指标或成本指标。"),
                Field("二级指标", "second", Text(), True, "如“数量指标”“社会效益指标”“服务对象满意度指标”。"),
                Field("三级指标", "third", Text(), True, "具体的指标，如“培训人次”。"),
                Field("指标值", "value", Text(), True, "如“≥500人次”“≥90%”“12月底前完成”。"),
            ])), False, "可选：绩效指标，每条一级、二级、三级指标和指标值；列入“项目支出绩效目标表”。"),
        ])), True, "逐个列出项目。"),
    ]), True),
    Field("事业单位经营支出", "operating", Money(), True, "万元；没有填 0。"),
    Field("结转下年", "carry_forward", Money(), False,
          "可选：留到下一年使用的资金（万元），列入收支总表；收入合计 = 支出合计 + 结转下年。没有可不填。"),
    Field("变动原因", "reason", Text(), False, "支出比上年增减的原因。"),
], title="支出预算", description="部门支出预算（万元）：基本支出、项目支出。")

# -------------------------------------------------------------- functions.yaml


@dataclass(frozen=True)
class FunctionItem:
    """A line of the 支出功能分类: 类 (3 digits), 款 (5) or 项 (7).

    ``amount`` (金额) may be split into 基本支出, 项目支出 and 事业单位经营支出
    (each optional; a part left out of a split line is 0).
    """

    code: str | None = None
    name: str | None = None
    short_name: str | None = None
    amount: Amount | None = None
    basic: Amount | None = None
    project: Amount | None = None
    operating: Amount | None = None
    purpose: str | None = None
    children: tuple["FunctionItem", ...] = ()
    source: Source | None = None

    @property
    def split(self) -> bool:
        """Whether the line says how its amount divides into 基本 / 项目 / 经营."""
        return any(a is not None for a in (self.basic, self.project, self.operating))

    @property
    def label(self) -> str:
        """The name used in running text before 类: 简称, else the name without 支出."""
        if self.short_name:
            return self.short_name
        name = self.name or ""
        return name[:-2] if name.endswith("支出") and len(name) > 2 else name


@dataclass(frozen=True)
class Functions:
    """Spending by 功能分类, one tree per 资金来源.

    ``general`` and ``fund`` are the 财政拨款 (一般公共预算, 政府性基金); the
    other trees are optional and say what each other source of income pays
    for, so the 部门收入总表 and 部门支出总表 can list every 功能分类 line by
    source.  ``carryover`` is spending financed by 上年结转 (财政拨款结转, as
    in the 财政拨款收支 of the report).
    """

    general: tuple[FunctionItem, ...] | None = None
    fund: tuple[FunctionItem, ...] | None = None
    state_capital: tuple[FunctionItem, ...] | None = None
    business: tuple[FunctionItem, ...] | None = None
    operating: tuple[FunctionItem, ...] | None = None
    other: tuple[FunctionItem, ...] | None = None
    reserve: tuple[FunctionItem, ...] | None = None
    carryover: tuple[FunctionItem, ...] | None = None
    source: Source | None = None

    def trees(self) -> list[tuple[str, str, tuple[FunctionItem, ...]]]:
        """(attr, key, items) of every tree given, in the order of :data:`FUNCTION_SOURCES`."""
        return [(attr, key, getattr(self, attr)) for attr, key, _ in FUNCTION_SOURCES
                if getattr(self, attr) is not None]


# The trees of functions.yaml: (attr, key in YAML, the income.yaml source it spends).
# Every attr is also an attribute of Income (see INCOME_SOURCES).
FUNCTION_SOURCES = (
    ("general", "一般公共预算", "一般公共预算拨款收入"),
    ("fund", "政府性基金", "政府性基金预算拨款收入"),
    ("state_capital", "国有资本经营预算", "国有资本经营预算拨款收入"),
    ("business", "事业收入", "事业收入"),
    ("operating", "事业单位经营收入", "事业单位经营收入"),
    ("other", "其他收入", "其他收入"),
    ("reserve", "用事业基金弥补收支差额", "用事业基金弥补收支差额"),
    ("carryover", "上年结转", "上年结转"),
)


def _function_item(depth: int) -> Record:
    fields = [
        Field("编码", "code", Code(depth), True, "功能分类科目编码：类 3 位，款 5 位，项 7 位。"),
        Field("名称", "name", Text(), True, "科目名称，如“一般公共服务支出”。"),
        Field("简称", "short_name", Text(), False, "正文中使用的简称，如“一般公共服务”，后面自动加“类”。"),
        Field("金额", "amount", Money(), True, "万元。"),
        Field("基本支出", "basic", Money(), False,
              "可选：金额中的基本支出（万元）；填写后 金额 = 基本支出 + 项目支出（+ 事业单位经营支出）。"),
        Field("项目支出", "project", Money(), False, "可选：金额中的项目支出（万元）。"),
        Field("事业单位经营支出", "operating", Money(), False, "可选：金额中的事业单位经营支出（万元）。"),
        Field("用途", "purpose", Text(), False, "写在“主要用于”之后。"),
    ]
    if depth < 3:
        fields.append(Field("下级", "children", ListOf(_function_item(depth + 1)), False,
                            "下一级科目（类下列款，款下列项）；填写时下级金额之和必须等于本级金额。"))
    return Record(FunctionItem, fields)


FUNCTIONS = Record(Functions, [
    Field("一般公共预算", "general", ListOf(_function_item(1)), True,
          "一般公共预算财政拨款支出，按功能分类逐类填写。"),
    Field("政府性基金", "fund", ListOf(_function_item(1)), True, "政府性基金预算财政拨款支出；没有写 []。"),
    *[Field(key, attr, ListOf(_function_item(1)), False,
            f"可选：由“{income}”安排的支出，按功能分类填写；各类之和等于 income.yaml 的“{income}”。"
            if attr != "carryover" else
            "可选：由上年结转资金安排的支出，按功能分类填写（结转资金留到下一年的部分填在 expenditure.yaml 的“结转下年”）。")
      for attr, key, income in FUNCTION_SOURCES[2:]],
], title="支出功能分类", description="支出按功能分类科目（类、款、项），每种资金来源一组。")

# ----------------------------------------------------------- three_public.yaml


@dataclass(frozen=True)
class Figure:
    """One 三公 line: 预算数 and (after the year ends) 执行数."""

    budget: Amount | None = None
    actual: Amount | None = None
    reason: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Vehicles:
    """公务用车购置及运行维护费 = 购置费 + 运行维护费."""

    total: Figure | None = None
    purchase: Figure | None = None
    operation: Figure | None = None
    reason: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class ThreePublic:
    """“三公”经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行维护费."""

    total: Figure | None = None
    abroad: Figure | None = None
    reception: Figure | None = None
    vehicles: Vehicles | None = None
    source: Source | None = None


def _figure(required_budget: bool = True) -> Record:
    return Record(Figure, [
        Field("预算数", "budget", Money(), required_budget, "本年预算数（万元）。"),
        Field("执行数", "actual", Money(), False, "本年实际执行数（万元），年度结束后填写，供下一年比较。"),
        Field("变动原因", "reason", Text(), False, "增减原因。"),
    ])


THREE_PUBLIC = Record(ThreePublic, [
    Field("合计", "total", _figure(), True, "“三公”经费合计。"),
    Field("因公出国（境）费", "abroad", _figure(), True),
    Field("公务接待费", "reception", _figure(), True),
    Field("公务用车购置及运行维护费", "vehicles", Record(Vehicles, [
        Field("合计", "total", _figure(), True),
        Field("购置费", "purchase", _figure(), True),
        Field("运行维护费", "operation", _figure(), True),
        Field("变动原因", "reason", Text(), False, "公务用车经费增减的原因，写在“主要是由于：”之后。"),
    ]), True),
], title="“三公”经费", description="财政拨款“三公”经费（万元），预算数和执行数。")

# -------------------------------------------------------- operating_costs.yaml


@dataclass(frozen=True)
class CostItem:
    name: str | None = None
    amount: Amount | None = None
    source: Source | None = None


@dataclass(frozen=True)
class OperatingCosts:
    """机关运行经费 = Σ 明细 (+ 项目支出 when the department counts it in)."""

    total: Amount | None = None
    items: tuple[CostItem, ...] | None = None
    includes_projects: bool | None = None
    reason: str | None = None
    source: Source | None = None


OPERATING_COSTS = Record(OperatingCosts, [
    Field("合计", "total", Money(), True, "机关运行经费财政拨款预算合计（万元）。"),
    Field("明细", "items", ListOf(Record(CostItem, [
        Field("名称", "name", Text(), True),
        Field("金额", "amount", Money(), True, "万元。"),
    ])), True, "按费用列出的明细。"),
    Field("包括项目支出", "includes_projects", Flag(), False,
          "“是”表示合计中还包括项目支出（支出预算中的全部项目）。"),
    Field("变动原因", "reason", Text(), False, "比上年增减的原因。"),
], title="机关运行经费", description="机关运行经费财政拨款预算（万元）。")

# ------------------------------------------------------------ procurement.yaml


@dataclass(frozen=True)
class Procurement:
    total: Amount | None = None
    goods: Amount | None = None
    works: Amount | None = None
    services: Amount | None = None
    sme: Amount | None = None
    source: Source | None = None


PROCUREMENT = Record(Procurement, [
    Field("合计", "total", Money(), True, "政府采购预算总额（万元）= 货物 + 工程 + 服务。"),
    Field("货物", "goods", Money(), True, "万元。"),
    Field("工程", "works", Money(), True, "万元。"),
    Field("服务", "services", Money(), True, "万元。"),
    Field("授予中小企业", "sme", Money(), False, "预留或授予中小企业的金额（万元）；不填则报告不提。"),
], title="政府采购预算", description="政府采购预算（万元）。")

# ----------------------------------------------------------------- assets.yaml


@dataclass(frozen=True)
class Assets:
    as_of: str | None = None
    vehicles: int | None = None
    general_vehicles: int | None = None
    enforcement_vehicles: int | None = None
    special_vehicles: int | None = None
    other_vehicles: int | None = None
    large_equipment: int | None = None
    source: Source | None = None
    field_sources: dict = field(default_factory=dict, compare=False, hash=False)


# (attribute, key): vehicle kinds in the order the report names them.
VEHICLE_KINDS = (
    ("general_vehicles", "一般公务用车"),
    ("enforcement_vehicles", "执法执勤用车"),
    ("special_vehicles", "特种专业技术用车"),
    ("other_vehicles", "其他用车"),
)

ASSETS = Record(Assets, [
    Field("统计截至", "as_of", Text(), True, "资产统计时点，如“2019年末”。"),
    Field("车辆", "vehicles", Count(), True, "车辆总数（辆）= 各类车辆之和。"),
    *[Field(key, attr, Count(), False, f"{key}（辆）。") for attr, key in VEHICLE_KINDS],
    Field("大型设备", "large_equipment", Count(), True, "单位价值200万元以上大型设备（台、套）。"),
], title="国有资产占有使用情况", description="车辆和大型设备。")

# --------------------------------------------------------------- glossary.yaml


@dataclass(frozen=True)
class Term:
    term: str | None = None
    definition: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    source: Source | None = None


GLOSSARY = Record(Glossary, [
    Field("名词解释", "terms", ListOf(Record(Term, [
        Field("名词", "term", Text(), True),
        Field("解释", "definition", Text(), True),
    ]), 1), True, "第四部分“名词解释”，按顺序编号。"),
], title="名词解释", description="报告第四部分的名词解释。")

# ----------------------------------------------------------- known_issues.yaml


@dataclass(frozen=True)
class KnownIssue:
    """An inconsistency of published historic data, kept as published and explained once."""

    rule: str | None = None
    file: str | None = None
    gap: Amount | None = None
    note: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class KnownIssues:
    issues: tuple[KnownIssue, ...] = ()
    source: Source | None = None


KNOWN_ISSUES = Record(KnownIssues, [
    Field("已知不一致", "issues", ListOf(Record(KnownIssue, [
        Field("规则", "rule", Text(), True, "检查结果方括号中的规则名，如“功能分类”。"),
        Field("文件", "file", Text(), True, "检查结果所在的文件，如“income.yaml”。"),
        Field("差额", "gap", Money(), True, "检查结果中的“相差 … 万元”。"),
        Field("说明", "note", Text(), True, "为什么按原样保留：数字出自哪里、差在哪里。"),
    ]), 1), True, "上一年已公开数据中的不一致，按原样保留；生成报告时只给一行提示。"),
], title="已知问题", description="只用于作为“上年”的年份：已公开数据中已经核实、按原样保留的不一致。")

# ------------------------------------------------------------------- the year


@dataclass(frozen=True)
class DataFile:
    """A data file of a year: its name, its topic, its schema.

    ``optional``: a year need not have it (the reported year included);
    new-year does not carry it over.
    """

    name: str
    attr: str
    topic: str
    spec: Record
    optional: bool = False


DATA_FILES = (
    DataFile("department.yaml", "department", "部门概况", DEPARTMENT),
    DataFile("income.yaml", "income", "收入预算", INCOME),
    DataFile("expenditure.yaml", "expenditure", "支出预算", EXPENDITURE),
    DataFile("functions.yaml", "functions", "支出功能分类", FUNCTIONS),
    DataFile("three_public.yaml", "three_public", "“三公”经费", THREE_PUBLIC),
    DataFile("operating_costs.yaml", "operating_costs", "机关运行经费", OPERATING_COSTS),
    DataFile("procurement.yaml", "procurement", "政府采购", PROCUREMENT),
    DataFile("assets.yaml", "assets", "国有资产", ASSETS),
    DataFile("glossary.yaml", "glossary", "名词解释", GLOSSARY),
    DataFile("known_issues.yaml", "known_issues", "已知问题", KNOWN_ISSUES, optional=True),
)


@dataclass(frozen=True)
class YearBudget:
    """Everything ``data/<year>/`` says.  Sections may be ``None`` (absent)."""

    year: int
    folder: str
    department: Department | None = None
    income: Income | None = None
    expenditure: Expenditure | None = None
    functions: Functions | None = None
    three_public: ThreePublic | None = None
    operating_costs: OperatingCosts | None = None
    procurement: Procurement | None = None
    assets: Assets | None = None
    glossary: Glossary | None = None
    known_issues: KnownIssues | None = None
    unit: DataUnit = field(default_factory=DataUnit)      # the unit the figures are in (department.yaml)
