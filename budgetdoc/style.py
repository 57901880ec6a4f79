"""A house style (文风): how a bureau's reports are worded, numbered, ordered and laid out.

A house style is a folder: ``style.yaml`` with the settings below, and
optionally templates and a ``tables.yaml`` of its own, which are looked up
before the default ones (so a style overrides only what it changes).  The
default style is ``budgetdoc/templates/style.yaml`` itself, the reference report's
conventions; ``budgetdoc/styles/`` holds the others budgetdoc ships (``--style tables-first``).

``style.yaml`` is read like a data file: safely, every mistake located and
explained in Chinese, its keys in Chinese.  Sections:

* 金额 — format (整数去掉小数 / 两位小数 / 照录入), decimals, the unit of the
  prose and of the tables (万元 / 元), thousands separators in the tables;
* 百分比 — decimals of shares and of growth rates, whole numbers bare,
  a space before %, the words for a rate too small to show;
* 比较 — the comparison lead (比{基数} / 较{基数} / 同比 / 相比{基数}), the named
  bases, the verbs, the phrases for no change, a new item and a dropped one,
  whether an unchanged line takes its reason, which verbs a reason follows;
* 变动原因 — when a change without a 变动原因 is warned about;
* 编号 — the label of each heading level (第{中}部分, {中}、, （{中}）, {数}., （{数}））;
* 部分 — the report's parts and their order (template files);
* 版式 — the page, fonts and sizes (the keys of :class:`budgetdoc.layout.Layout`).

Placeholders: {中} a Chinese numeral, {数} an Arabic one, {基数} the base,
{比较} the lead with its base, {上年} last year, {最小} the smallest rate shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from .layout import Layout, LayoutError
from .problems import BudgetError, Problem, Source, error
from .schema import Choice, Context, Count, Field, Flag, ListOf, Record, Spec, Text
from .wording import DEFAULT_BASES, Wording
from .yamlsrc import YNode, load_file

STYLE_FILE = "style.yaml"

# ------------------------------------------------------------------ the file's sections


@dataclass(frozen=True)
class MoneySettings:
    form: str | None = None
    places: int | None = None
    unit: str | None = None
    table_unit: str | None = None
    grouping: bool | None = None
    source: Source | None = None


@dataclass(frozen=True)
class PercentSettings:
    share_digits: int | None = None
    change_digits: int | None = None
    trim: bool | None = None
    space: bool | None = None
    tiny: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Base:
    name: str | None = None
    words: str | None = None
    lead: str | None = None
    flat: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class CompareSettings:
    lead: str | None = None
    bases: tuple[Base, ...] | None = None
    up: str | None = None
    down: str | None = None
    rise: str | None = None
    fall: str | None = None
    flat: str | None = None
    new_note: str | None = None
    new_note_actual: str | None = None
    dropped_note: str | None = None
    reason_when_flat: bool | None = None
    reason_verbs: str | None = None
    source: Source | None = None


@dataclass(frozen=True)
class ReasonSettings:
    required: str | None = None
    share: str | None = None
    source: Source | None = None
    field_sources: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class StyleFile:
    name: str | None = None
    money: MoneySettings | None = None
    percent: PercentSettings | None = None
    compare: CompareSettings | None = None
    reasons: ReasonSettings | None = None
    numbering: tuple[str, ...] | None = None
    part_gap: str | None = None
    parts: tuple[str, ...] | None = None
    layout: Any = None
    source: Source | None = None


class Digits(Count):
    """Decimals of a figure: 0 to 6."""

    def convert(self, node: YNode, ctx: Context, label: str) -> int | None:
        value = super().convert(node, ctx, label)
        if value is not None and value > 6:
            ctx.fail("文风", f"“{label}”是 {value}，最多 6 位小数。", node.source, "写 0 到 6 之间的整数。")
            return None
        return value


class Pattern(Text):
    """Words with placeholders; only the placeholders named are allowed."""

    def __init__(self, allowed: tuple[str, ...] = (), allow_empty: bool = False, spaces: bool = False):
        self.allowed = allowed
        self.allow_empty = allow_empty
        self.spaces = spaces        # keep the spaces a quoted value has (部分标题间隔: "  ")

    def convert(self, node: YNode, ctx: Context, label: str) -> str | None:
        if self.spaces and node.kind == "scalar" and node.scalar_type == "str" and not node.text.strip():
            return node.text
        if self.allow_empty and node.kind == "scalar" and (node.scalar_type == "null" or not node.text.strip()):
            return ""
        text = super().convert(node, ctx, label)
        if text is None:
            return None
        for found in re.findall(r"\{([^{}]*)\}", text):
            if found not in self.allowed:
                allowed = "、".join("{" + a + "}" for a in self.allowed) or "无"
                ctx.fail("文风", f"“{label}”中的“{{{found}}}”不是可用的占位符。", node.source,
                         f"这里可用的占位符：{allowed}。")
                return None
        return str(text)

    def json_schema(self, strict: bool = True) -> dict:
        return {"type": ["string", "null"] if self.allow_empty else "string"}


class Passthrough(Spec):
    """A mapping handed on as it is (the 版式 section: Layout checks it)."""

    def convert(self, node: YNode, ctx: Context, label: str) -> Any:
        if node.kind != "map":
            ctx.fail("文风", f"“{label}”应当是一组设置（下一行缩进写“名称: 值”）。", node.source,
                     "照 budgetdoc 自带的 style.yaml 中的例子写（budgetdoc templates 目录 可以复制出来）。")
            return None
        return _plain(node)

    def json_schema(self, strict: bool = True) -> dict:
        return {"type": "object"}


def _plain(node: YNode) -> Any:
    if node.kind == "map":
        return {key: _plain(child) for key, _src, child in node.items} | {"__source__": node.source}
    if node.kind == "seq":
        return [_plain(child) for child in node.items]
    if node.scalar_type == "null":
        return None
    if node.scalar_type == "bool":
        return node.text.strip().lower() in ("true", "yes", "on")
    return node.text


STYLE = Record(StyleFile, [
    Field("名称", "name", Text(), False, "这个文风的名字，如“参考报告”。"),
    Field("金额", "money", Record(MoneySettings, [
        Field("写法", "form", Choice(("整数去掉小数", "两位小数", "照录入")), False,
              "整数去掉小数：14万元、7.50万元（默认）；两位小数：14.00万元；照录入：数据里写几位就印几位。"),
        Field("小数位", "places", Digits(), False, "金额保留几位小数，默认 2。"),
        Field("文字单位", "unit", Choice(("万元", "元")), False, "正文中的金额单位，默认万元。"),
        Field("表格单位", "table_unit", Choice(("万元", "元")), False, "公开表中的金额单位，默认万元。"),
        Field("表格千分位", "grouping", Flag(), False, "公开表中的金额用千分位逗号（1,234.00），默认否。"),
    ]), False, "金额怎么写。"),
    Field("百分比", "percent", Record(PercentSettings, [
        Field("占比小数位", "share_digits", Digits(), False, "占比保留几位小数，默认 2（73.54%）。"),
        Field("增长率小数位", "change_digits", Digits(), False, "增长、下降的百分比保留几位小数，默认 1（13.7%）。"),
        Field("整数去掉小数", "trim", Flag(), False, "100% 而不是 100.00%，默认是。"),
        Field("百分号前空格", "space", Flag(), False, "写成“13.7 %”，默认否。"),
        Field("太小", "tiny", Pattern(("最小",)), False,
              "有变动但百分比舍入后为 0 时的写法，默认“不足{最小}%”（不足0.1%）。"),
    ]), False, "百分比怎么写。"),
    Field("比较", "compare", Record(CompareSettings, [
        Field("写法", "lead", Pattern(("基数",)), False,
              "与上年比较的说法，默认“比{基数}”；也可以写“较{基数}”“相比{基数}”，或不带基数的“同比”。"),
        Field("基数", "bases", ListOf(Record(Base, [
            Field("名称", "name", Text(), True, "模板中的名字：默认、总体、三公、执行数、机关运行经费。"),
            Field("写作", "words", Pattern(("上年",)), True, "报告中的说法，如“上年预算数”“{上年}年预算”。"),
            Field("写法", "lead", Pattern(("基数",)), False,
                  "可选：这个基数自己的比较说法，如总的写法是“同比”时，执行数仍写“比{基数}”。"),
            Field("持平", "flat", Pattern(("基数", "比较")), False, "可选：这个基数自己的“持平”说法，如“与{基数}持平”。"),
        ])), False, "比较的基数：模板用名字，报告用这里的说法。"),
        Field("增加", "up", Text(), False, "金额增加的说法，默认“增加”。"),
        Field("减少", "down", Text(), False, "金额减少的说法，默认“减少”。"),
        Field("增长", "rise", Text(), False, "百分比上升的说法，默认“增长”。"),
        Field("下降", "fall", Text(), False, "百分比下降的说法，默认“下降”。"),
        Field("持平", "flat", Pattern(("基数", "比较")), False,
              "没有变化时的说法，默认“与{基数}持平”；也可以写“无变化”“无增减变化”“{比较}无增减”。"),
        Field("新增说明", "new_note", Pattern((), allow_empty=True), False,
              "上年没有、今年新增时括号里的说明，默认“上年无此项预算”；写空值就不加说明。"),
        Field("新增说明（执行数）", "new_note_actual", Pattern((), allow_empty=True), False,
              "与上年执行数比较时的说明，默认“上年无此项支出”。"),
        Field("取消说明", "dropped_note", Pattern((), allow_empty=True), False,
              "今年取消（为 0）时的说明，默认“本年未安排”；写空值则写成“减少…，下降100%”。"),
        Field("持平也写原因", "reason_when_flat", Flag(), False, "没有变化的项目也写出变动原因，默认否。"),
        Field("原因跟随", "reason_verbs", Choice(("金额", "比率")), False,
              "“增加原因是”用金额的说法（增加/减少，默认）还是比率的说法（增长/下降）。"),
    ]), False, "与上年比较的说法。"),
    Field("变动原因", "reasons", Record(ReasonSettings, [
        Field("要求", "required", Choice(("有变动就要", "超过比例", "不要求")), False,
              "合计、“三公”经费各项、机关运行经费比上年有变动而没有写变动原因时，检查给出警告：有变动就要（默认）、"
              "变动超过下面的比例才要、不要求。"),
        Field("比例", "share", Pattern(()), False, "“超过比例”时的比例，如“10%”。"),
    ]), False, "什么样的变动必须写原因（财预〔2016〕143号要求说明增减变化的原因）。"),
    Field("编号", "numbering", ListOf(Pattern(("中", "数")), 1), False,
          "各级标题的编号，从第一级（部分）起：默认“第{中}部分”“{中}、”“（{中}）”“{数}.”“（{数}）”。"
          "{中}是一、二、三，{数}是 1、2、3。"),
    Field("部分标题间隔", "part_gap", Pattern((), allow_empty=True, spaces=True), False,
          "第一级编号和标题之间的文字，默认两个空格（“第一部分  部门概况”）。"),
    Field("部分", "parts", ListOf(Text(), 1), False,
          "报告的各部分和顺序：模板文件名，如 part1_overview.j2；不写则用 report.j2 中的顺序。"),
    Field("版式", "layout", Passthrough(), False,
          "页面、字体和字号，键名是英文的版式设置名（见 docs/typesetting.md），如 body: {size_pt: 16}。"),
], title="文风", description="报告的写法：金额、百分比、比较的说法、编号、各部分的顺序和版式。")


# ------------------------------------------------------------------ the style in use


@dataclass(frozen=True)
class ReasonRule:
    """When a change needs its 变动原因: always (threshold 0), above a share, or never (None)."""

    threshold: Decimal | None = Decimal(0)

    def requires(self, current: Decimal, prior: Decimal) -> bool:
        if self.threshold is None or current == prior:
            return False
        if prior == 0:
            return True
        return abs(current - prior) * 100 / prior > self.threshold


DEFAULT_NUMBERING = ("第{中}部分", "{中}、", "（{中}）", "{数}.", "（{数}）")


@dataclass(frozen=True)
class Style:
    """A house style ready for a build."""

    name: str = "参考报告"
    wording: Wording = field(default_factory=Wording)
    numbering: tuple[str, ...] = DEFAULT_NUMBERING
    part_gap: str = "  "
    parts: tuple[str, ...] | None = None
    folder: Path | None = None            # the style's own templates and tables.yaml, looked up first
    layout: Layout = field(default_factory=Layout)
    reasons: ReasonRule = field(default_factory=ReasonRule)


_FORMS = {"整数去掉小数": "trim", "两位小数": "fixed", "照录入": "entered"}


def style_from(file: StyleFile, folder: Path, problems: list[Problem]) -> Style:
    """The :class:`Style` a file describes; every setting left out keeps its default."""
    w = Wording()
    changes: dict[str, Any] = {}
    if file.money:
        m = file.money
        changes |= _given(money_format=_FORMS.get(m.form or ""), money_places=m.places, unit=m.unit,
                          table_unit=m.table_unit, table_grouping=m.grouping)
    if file.percent:
        p = file.percent
        changes |= _given(share_digits=p.share_digits, change_digits=p.change_digits, percent_trim=p.trim,
                          percent_space=p.space, tiny_rate=p.tiny)
    if file.compare:
        c = file.compare
        changes |= _given(lead=c.lead, up=c.up, down=c.down, rise=c.rise, fall=c.fall, flat=c.flat,
                          new_note=c.new_note, new_note_actual=c.new_note_actual, dropped_note=c.dropped_note,
                          reason_when_flat=c.reason_when_flat,
                          reason_verbs={"金额": "amount", "比率": "rate"}.get(c.reason_verbs or ""))
        if c.bases:
            bases = dict(DEFAULT_BASES)
            bases.update({b.name or "": b.words or "" for b in c.bases})
            changes["bases"] = tuple(bases.items())
            changes["base_phrases"] = tuple((b.name or "", b.lead or "", b.flat or "") for b in c.bases
                                            if b.lead or b.flat)
    style = Style(wording=replace(w, **changes), folder=folder)
    if file.name:
        style = replace(style, name=file.name)
    if file.numbering:
        numbering = tuple(file.numbering) + DEFAULT_NUMBERING[len(file.numbering):]
        style = replace(style, numbering=numbering[:5])
    if file.part_gap is not None:
        style = replace(style, part_gap=file.part_gap)
    if file.parts:
        style = replace(style, parts=tuple(file.parts))
    if file.reasons:
        style = replace(style, reasons=_reason_rule(file.reasons, problems))
    if file.layout is not None:
        overrides = dict(file.layout)
        where = overrides.pop("__source__", None)
        try:
            style = replace(style, layout=Layout.from_mapping(_strip_sources(overrides), source="版式设置"))
        except LayoutError as exc:
            problems.append(error("文风", str(exc), where, "照 docs/typesetting.md 中的设置名和取值改正。"))
    return style


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _strip_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_sources(v) for k, v in value.items() if k != "__source__"}
    return value


def _reason_rule(settings: ReasonSettings, problems: list[Problem]) -> ReasonRule:
    if settings.required == "不要求":
        return ReasonRule(None)
    if settings.required == "超过比例":
        if settings.share is None:
            # An empty 比例 is already said where it is (内容为空); a missing one is said here.
            if not any("“变动原因.比例”" in p.message for p in problems):
                problems.append(error("文风", "“变动原因.要求”是“超过比例”，但没有写“比例”。", settings.source,
                                      "在“变动原因”下加一行“比例: 10%”这样的百分比，或把“要求”改成“有变动就要”。"))
            return ReasonRule(Decimal(0))
        text = settings.share.strip().rstrip("%％").strip()
        try:
            share = Decimal(text)
        except ArithmeticError:
            share = None
        # NaN would stop the comparison with an internal error; Infinity or a negative share is no share.
        if share is None or not share.is_finite() or share < 0:
            problems.append(error("文风", f"“变动原因.比例”应当是百分比，如“10%”，这里是“{settings.share}”。",
                                  settings.field_sources.get("share", settings.source),
                                  "写成“10%”这样不小于 0 的百分比：变动超过上年数的这个比例时要写变动原因。"))
            return ReasonRule(Decimal(0))
        return ReasonRule(share)
    return ReasonRule(Decimal(0))


def load_style(path: Path) -> tuple[Style, list[Problem]]:
    """A house style from a ``style.yaml`` (or the folder that holds one); problems located, not raised."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    file = folder / STYLE_FILE if path.is_dir() else path
    shown = _shown(file)
    if not file.is_file():
        return Style(), [error("文风", f"找不到文风文件 {shown}。", Source(shown),
                               "检查 --style 后的路径；文风是一个 style.yaml 文件（或放着它的文件夹）。")]
    tree, problems = load_file(file, shown)
    if tree is None:
        return Style(folder=folder), problems
    if tree.kind == "map" and tree.items and all(key in _LAYOUT_KEYS for key, _, _ in tree.items):
        # An older --style file: only 版式 settings, with their English keys at the top.
        ctx = Context(strict=False)
        legacy = Passthrough().convert(tree, ctx, "版式")
        problems += ctx.problems
        return style_from(StyleFile(layout=legacy), folder, problems), problems
    ctx = Context(strict=False)
    value = STYLE.convert(tree, ctx, "")
    problems += ctx.problems
    if value is None:
        return Style(folder=folder), problems
    return style_from(value, folder, problems), problems


def style_or_raise(path: Path) -> Style:
    style, problems = load_style(path)
    if any(p.is_error for p in problems):
        raise BudgetError(problems)
    return style


_LAYOUT_KEYS = {name for name in Layout.__dataclass_fields__}


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
