"""A small declarative schema: YAML nodes -> typed values, with Chinese errors.

One description of each data file serves three purposes:

* conversion and validation (:meth:`Spec.convert`), with every problem
  located by file, line and column and phrased for a finance clerk;
* the JSON Schema that editors such as VS Code use to complete keys
  (:meth:`Spec.json_schema`), titles and descriptions in Chinese;
* "did you mean" suggestions for misspelt keys.

``strict`` decides whether required fields must be present: the year being
reported is strict, the previous year (read only for comparisons) is not, so
figures the sources do not give can stay absent.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from .number import D
from .problems import Problem, Source, error, warning
from .yamlsrc import YNode, clip


@dataclass(frozen=True)
class DataUnit:
    """The unit a department enters its figures in (department.yaml 数据单位), and their decimals."""

    name: str = "万元"      # 万元 or 元
    places: int = 2         # decimals allowed (金额小数位): 万元 up to 6 keeps 元 figures exact

    @property
    def max_digits(self) -> int:
        """Integer digits an amount may have: 一万亿万元 (10^16 元) either way."""
        return MAX_AMOUNT_DIGITS if self.name == "万元" else MAX_AMOUNT_DIGITS + 4


@dataclass(frozen=True)
class Amount:
    """A sum of money in the department's data unit (万元 unless it says 元), exact, with where it was written."""

    value: Decimal
    source: Source

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class SummedAmount(Amount):
    """An amount budgetdoc added up from others (one code's amounts in several trees, the budget units'
    figures): placed where ``source`` says, made of the values ``sources`` names (:mod:`budgetdoc.provenance`)."""

    sources: frozenset[str] = field(default=frozenset(), compare=False)


class SourcedText(str):
    """Text that remembers where it was written.

    It *is* a ``str`` (templates, comparisons and hashing see no
    difference); checks on text, such as placeholders left in, use
    ``.source`` to point at the exact line.
    """

    source: Source | None

    def __new__(cls, text: str, source: Source | None = None) -> "SourcedText":
        obj = super().__new__(cls, text)
        obj.source = source
        return obj


def source_of(text: object) -> Source | None:
    """Where a text value was written, if known."""
    return getattr(text, "source", None)


class Context:
    def __init__(self, strict: bool, unit: DataUnit | None = None):
        self.strict = strict
        self.unit = unit or DataUnit()
        self.problems: list[Problem] = []

    def fail(self, rule: str, message: str, source: Source, hint: str = "") -> None:
        self.problems.append(error(rule, message, source, hint))

    def warn(self, rule: str, message: str, source: Source, hint: str = "") -> None:
        self.problems.append(warning(rule, message, source, hint))


class Spec:
    title = ""
    description = ""

    def convert(self, node: YNode, ctx: Context, label: str) -> Any:
        raise NotImplementedError

    def json_schema(self, strict: bool = True) -> dict:
        raise NotImplementedError

    def _annotate(self, schema: dict, title: str, description: str) -> dict:
        if title:
            schema["title"] = title
        if description:
            schema["description"] = description
        return schema


def _expect_scalar(node: YNode, ctx: Context, label: str, what: str) -> bool:
    if node.rejected:  # a forbidden tag, already reported by yamlsrc
        return False
    if node.kind == "scalar" and node.scalar_type == "null" and node.trailing_comment:
        _report_hash_at_start(node, ctx, label, what)
        return False
    if node.kind != "scalar" or node.scalar_type == "null":
        ctx.fail("类型", f"“{label}”应当是{what}，这里却是{node.describe()}。", node.source,
                 f"在冒号后直接写{what}。")
        return False
    return True


def _report_hash_at_start(node: YNode, ctx: Context, label: str, what: str) -> None:
    """A value that begins with “#”: YAML reads all of it as a comment, and the field as empty."""
    lost = node.trailing_comment
    if what == "文字":
        ctx.fail("文字截断", f"“{label}”以“#”开头：YAML 把“#”及其后的“{clip(lost)}”整段当作注释，"
                 "这一项就成了空的，报告中没有这段文字。", node.source,
                 f"“#”是正文的一部分时，请给整段文字加引号，{_quoted_example(lost)}。")
        return
    ctx.fail("类型", f"“{label}”应当是{what}，这里以“#”开头：YAML 把“#”及其后的“{clip(lost)}”当作注释，"
             "这一项就成了空的。", node.source, f"删去“#”，在冒号后直接写{what}。")


def _quoted_example(text: str) -> str:
    """How to write ``text`` quoted, as advice: the text itself when short enough to read."""
    if len(text) > 60:
        return '即在整段文字的开头和结尾各加一个英文双引号（"），例如 "……#……"'
    if '"' in text:
        return "写成 '" + text.replace("'", "''") + "'"
    return f'写成 "{text}"'


_AMOUNT_RE = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
_GROUPED_RE = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII)   # 1,234.56
_EXPONENT_RE = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+", re.ASCII)
# 一万亿万元 (10^16 元): far above any budget, far below where exact decimal
# arithmetic (40 digits) would run out of precision.
MAX_AMOUNT_DIGITS = 12
# Decimal places of an amount in 万元 exact to 分 (0.01 元 = 0.000001 万元): what ``budgetdoc import`` writes
# for a figure in 元 that is not a whole number of 百元.  Accepted in 万元 whatever 金额小数位 says.
EXACT_PLACES = 6


def _amount_hint(unit: DataUnit) -> str:
    return (f"写成普通数字，如 176.65：单位是{unit.name}（不写“{unit.name}”），最多{_places(unit.places)}小数，"
            "用英文句点作小数点。")


def _places(places: int) -> str:
    return "两位" if places == 2 else f"{places} 位"


def _not_an_amount(node: YNode, unit: DataUnit) -> tuple[str, str]:
    """Why a scalar is not an amount, and how to fix it: (reason, hint)."""
    text = node.text.strip()
    shown = clip(text)
    low = text.lower().lstrip("+-")
    if node.scalar_type == "bool":
        return f"是“是/否”值 {shown}，不是金额", _amount_hint(unit)
    if low in {".nan", "nan"}:
        return f"写成了 {shown}（NaN，“不是数字”），不是金额", "填写实际金额；没有的填 0。"
    if low in {".inf", "inf", "infinity"}:
        return f"写成了 {shown}（无穷大），不是金额", "填写实际金额；没有的填 0。"
    if _EXPONENT_RE.fullmatch(text):
        return f"用了科学计数法（{shown}）", "写成普通数字，不要用 e，例如 1e3 写成 1000，1.5e2 写成 150。"
    squashed = unicodedata.normalize("NFKC", text)
    if squashed != text and (_AMOUNT_RE.fullmatch(squashed) or _GROUPED_RE.fullmatch(squashed)):
        return f"用了全角数字或符号（{shown}）", f"切换到英文（半角）输入法重新输入，写成 {clip(squashed)}。"
    if re.fullmatch(r"-?\d+,\d{1,2}", text, re.ASCII):
        return f"写成了 {shown}，用逗号作了小数点", f"小数点用英文句点，写成 {text.replace(',', '.')}。"
    if re.search(r"万?元$", text):
        return f"带了单位（{shown}）", f"只写数字，单位统一是{unit.name}（department.yaml 的“数据单位”），例如 176.65。"
    if text.startswith("+"):
        return f"带了正号（{shown}）", "去掉“+”。"
    if re.fullmatch(r"-?\d+。\d+", text):
        return f"用中文句号“。”作了小数点（{shown}）", f"小数点用英文句点，写成 {text.replace('。', '.')}。"
    if re.fullmatch(r"\.\d+", text, re.ASCII):
        return f"写成了 {shown}，小数点前少了 0", f"写成 0{text}。"
    if re.fullmatch(r"\d+\.", text, re.ASCII):
        return f"写成了 {shown}，小数点后没有数字", f"写成 {text[:-1]}，或补全小数。"
    return f"不是金额：{node.describe()}", _amount_hint(unit)


class Money(Spec):
    """An amount in the department's data unit (万元 unless department.yaml says 元): at most its
    金额小数位 decimals (two unless it says otherwise) — in 万元 also exactly six, a 元 figure exact
    to 分 as ``budgetdoc import`` writes it — never NaN or infinite."""

    def convert(self, node: YNode, ctx: Context, label: str) -> Amount | None:
        unit = ctx.unit
        if not _expect_scalar(node, ctx, label, f"金额（{unit.name}，最多{_places(unit.places)}小数）"):
            return None
        text = node.text.strip()
        if _GROUPED_RE.fullmatch(text):  # thousands separators, 1,234.56
            text = text.replace(",", "")
        if node.scalar_type == "bool" or not _AMOUNT_RE.fullmatch(text):
            reason, hint = _not_an_amount(node, unit)
            ctx.fail("金额", f"“{label}”{reason}。", node.source, hint)
            return None
        if len(text.lstrip("-").split(".")[0].lstrip("0")) > unit.max_digits:
            ctx.fail("金额", f"“{label}”是 {clip(text)}，大得不合理（超过一万亿{unit.name}）。", node.source,
                     "检查是否多写了数字；金额的单位是万元，不是元。" if unit.name == "万元" else
                     "检查是否多写了数字；金额的单位是元（department.yaml 的“数据单位”）。")
            return None
        value = D(text)
        decimals = text.split(".")[1] if "." in text else ""
        exact = unit.name == "万元" and len(decimals) == EXACT_PLACES   # 12,345.67 元 = 1.234567 万元
        if len(decimals.rstrip("0")) > unit.places and not exact:
            places = _places(unit.places)
            rounded = value.quantize(Decimal(1).scaleb(-unit.places), rounding="ROUND_HALF_UP")
            wan = unit.name == "万元" and unit.places < EXACT_PLACES
            ctx.fail("金额", f"“{label}”写成了 {clip(text)}，超过{places}小数。金额以{unit.name}为单位，最多写{places}小数"
                     + ("；只有由精确到分的元金额换算来的万元数才写满六位小数（如 12345.67 元写成 1.234567 万元）。"
                        if wan else "。"),
                     node.source, f"按四舍五入保留{places}小数后再填写：{clip(text)} 写成 {clip(str(rounded))}"
                                  + ("；如果它是由元金额换算来的，就写满六位小数（不足六位的在末尾补 0）" if wan else "")
                                  + "；确需更多位小数时，在 department.yaml 中写“金额小数位”。")
            return None
        if text.startswith("-"):
            ctx.fail("金额", f"“{label}”是负数 {clip(text)}，这里的金额不能为负。", node.source,
                     "检查是否多写了负号；减少额由工具自动计算，不需要手工填写。")
            return None
        places = value.quantize(Decimal(1).scaleb(-unit.places))
        return Amount(places if value.as_tuple().exponent < -unit.places and places == value else value, node.source)

    def json_schema(self, strict: bool = True) -> dict:
        # As the loader: at most two decimals (more only as trailing zeros) or exactly six (a 元 amount
        # exact to 分), 12 integer digits at most, thousands separators allowed in quoted text.  A JSON
        # number does not keep how many decimals were written: it may have up to six.
        digits = rf"^(\d{{1,3}}(,\d{{3}})+|\d{{1,{MAX_AMOUNT_DIGITS}}})(\.\d{{1,2}}0*|\.\d{{{EXACT_PLACES}}})?$"
        largest = 10 ** MAX_AMOUNT_DIGITS - 0.01
        return {"anyOf": [{"type": "number", "multipleOf": 0.000001, "minimum": 0, "maximum": largest},
                          {"type": "string", "pattern": digits}]}


class Count(Spec):
    """A whole number of things (人、辆、个)."""

    def convert(self, node: YNode, ctx: Context, label: str) -> int | None:
        if not _expect_scalar(node, ctx, label, "非负整数"):
            return None
        text = node.text.strip()
        if not re.fullmatch(r"\d+", text, re.ASCII):
            ctx.fail("类型", f"“{label}”应当是非负整数（个数），这里却是{node.describe()}。", node.source,
                     "写成不带小数点、不带负号的整数，如 6。")
            return None
        if len(text.lstrip("0")) > 9:
            ctx.fail("类型", f"“{label}”是 {clip(text)}，大得不合理。", node.source, "检查是否多写了数字。")
            return None
        return int(text, 10)

    def json_schema(self, strict: bool = True) -> dict:
        return {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 999_999_999},
                          {"type": "string", "pattern": r"^\d{1,9}$"}]}


class Year(Spec):
    def convert(self, node: YNode, ctx: Context, label: str) -> int | None:
        if not _expect_scalar(node, ctx, label, "四位年份"):
            return None
        if not re.fullmatch(r"\d{4}", node.text.strip(), re.ASCII):
            ctx.fail("类型", f"“{label}”应当是四位数字的年份，这里是 {clip(node.text)}。", node.source, "例如：2020。")
            return None
        return int(node.text.strip())

    def json_schema(self, strict: bool = True) -> dict:
        return {"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999},
                          {"type": "string", "pattern": r"^\d{4}$"}]}


# What XML 1.0 (and so a .docx or .xlsx) cannot hold: C0 controls but tab and line breaks, lone surrogates,
# U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Text(Spec):
    """Text.  Numbers are accepted as text (a phone number written bare)."""

    def convert(self, node: YNode, ctx: Context, label: str) -> str | None:
        if not _expect_scalar(node, ctx, label, "文字"):
            return None
        text = node.text.strip()
        if not text:
            ctx.fail("内容为空", f"“{label}”是空的。", node.source, "填写内容，或删除这个字段。")
            return None
        bad = _NOT_IN_XML.search(text)
        if bad:
            # YAML lets an escape ("\a", "\x07", "\uFFFE") write them; a .docx or .xlsx cannot hold them
            code = ord(bad.group(0))
            report = ctx.fail if ctx.strict else ctx.warn
            report("取值", f"“{label}”中有不可见的特殊字符（U+{code:04X}，第 {bad.start() + 1} 个字），"
                   "报告（Word、Excel）中不能有这样的字符。", node.source,
                   "删除这个字符：它多半来自引号中的转义（如 \\a、\\x07、\\uFFFE）或从其他程序复制来的文字；"
                   "需要换行时直接换行。")
            if ctx.strict:
                return None
            text = _NOT_IN_XML.sub("", text)
        if node.trailing_comment:
            # The year being reported would publish the cut sentence: an error.
            # Last year's text is only read, never printed: a warning.
            report = ctx.fail if ctx.strict else ctx.warn
            report("文字截断", f"“{label}”在“#”处被截断：YAML 把“#”及其后的“{node.trailing_comment}”当作注释，"
                   f"丢掉了这些文字，只剩“{text}”。", node.source,
                   f"“#”是正文的一部分时，请给整段文字加引号，{_quoted_example(text + ' ' + node.trailing_comment)}；"
                   "如果确是注释，请在“#”前留两个以上空格，并在“#”后加一个空格。")
            if ctx.strict:
                return None
        return SourcedText(text, node.source)

    def json_schema(self, strict: bool = True) -> dict:
        return {"type": ["string", "number", "boolean"], "minLength": 1}


class Name(Text):
    """Text that also names the report's file: no path separators or characters Windows forbids."""

    FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f]')

    def convert(self, node: YNode, ctx: Context, label: str) -> str | None:
        text = super().convert(node, ctx, label)
        if text is None:
            return None
        bad = self.FORBIDDEN.search(text)
        if bad or text.startswith("."):
            shown = repr(bad.group(0))[1:-1] if bad else "."
            ctx.fail("取值", f"“{label}”中有“{shown}”：报告的文件名由它生成，不能含 / \\ : * ? \" < > | 或以“.”开头。",
                     node.source, "写部门的正式名称，不要包含路径或这些符号。")
            return None
        return text

    def json_schema(self, strict: bool = True) -> dict:
        return {"type": "string", "minLength": 1, "pattern": r'^[^./\\:*?"<>|][^/\\:*?"<>|]*$'}


class Code(Spec):
    """A classification code (科目编码): 3 digits for a 类, 5 for a 款, 7 for a 项.

    ``level`` (1 = 类, 2 = 款, 3 = 项) fixes the length: a 款 code written
    where a 类 belongs would otherwise compare with nothing last year.
    """

    LEVELS = {1: ("类", 3, "201"), 2: ("款", 5, "20103"), 3: ("项", 7, "2010301")}

    def __init__(self, level: int = 1, example: str = ""):
        self.level = level
        self.example = example

    def convert(self, node: YNode, ctx: Context, label: str) -> str | None:
        if not _expect_scalar(node, ctx, label, "科目编码"):
            return None
        text = node.text.strip()
        name, digits, example = self.LEVELS[self.level]
        example = self.example or example
        if not re.fullmatch(rf"\d{{{digits}}}", text, re.ASCII):
            ctx.fail("科目编码", f"“{label}”在{name}一级，应当是 {digits} 位数字，这里是“{clip(text)}”。",
                     node.source, f"例如：{example}。类 3 位，款 5 位（写在类的“下级”中），项 7 位（写在款的“下级”中）。")
            return None
        return text

    def json_schema(self, strict: bool = True) -> dict:
        # A pattern applies to strings only: codes written as plain numbers
        # (编码: 201) are held to their length by a range.
        digits = self.LEVELS[self.level][1]
        return {"anyOf": [{"type": "integer", "minimum": 10 ** (digits - 1), "maximum": 10 ** digits - 1},
                          {"type": "string", "pattern": rf"^\d{{{digits}}}$"}]}


class Choice(Spec):
    def __init__(self, choices: tuple[str, ...]):
        self.choices = choices

    def convert(self, node: YNode, ctx: Context, label: str) -> str | None:
        if not _expect_scalar(node, ctx, label, "以下之一：" + "、".join(self.choices)):
            return None
        text = node.text.strip()
        if text not in self.choices:
            near = difflib.get_close_matches(text, self.choices, n=1, cutoff=0.3)
            hint = f"是不是“{near[0]}”？" if near else ""
            ctx.fail("取值", f"“{label}”只能是：{'、'.join(self.choices)}；这里是“{clip(text)}”。", node.source,
                     hint + "从上面的取值中选一个。")
            return None
        return text

    def json_schema(self, strict: bool = True) -> dict:
        return {"type": "string", "enum": list(self.choices)}


_TRUE = {"true", "yes", "是", "y"}
_FALSE = {"false", "no", "否", "n"}


class Flag(Spec):
    def convert(self, node: YNode, ctx: Context, label: str) -> bool | None:
        if not _expect_scalar(node, ctx, label, "“是”或“否”"):
            return None
        text = node.text.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        ctx.fail("取值", f"“{label}”只能是“是”或“否”，这里是“{clip(node.text)}”。", node.source, "写“是”或“否”。")
        return None

    def json_schema(self, strict: bool = True) -> dict:
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": sorted(_TRUE | _FALSE)}]}


class ListOf(Spec):
    def __init__(self, item: Spec, min_items: int = 0):
        self.item = item
        self.min_items = min_items

    def convert(self, node: YNode, ctx: Context, label: str) -> tuple | None:
        if node.rejected:
            return None
        if node.kind == "scalar" and node.scalar_type == "null":
            items: list = []
        elif node.kind != "seq":
            ctx.fail("类型", f"“{label}”应当是列表（每项以“- ”开头），这里却是{node.describe()}。",
                     node.source, "每一项另起一行，以“- ”开头。")
            return None
        else:
            items = node.items
        if len(items) < self.min_items and ctx.strict:
            ctx.fail("缺少内容", f"“{label}”至少要有 {self.min_items} 项。", node.source, "补充列表内容。")
        out = []
        for i, child in enumerate(items):
            value = self.item.convert(child, ctx, f"{label}第{i + 1}项")
            if value is not None:
                out.append(value)
        return tuple(out)

    def json_schema(self, strict: bool = True) -> dict:
        # An empty value (政府性基金:) reads as an empty list, as in the loader.
        schema: dict = {"type": ["array", "null"], "items": self.item.json_schema(strict)}
        if self.min_items and strict:
            schema["minItems"] = self.min_items
        return schema


@dataclass(frozen=True)
class Field:
    key: str           # the Chinese key in YAML
    attr: str          # the English attribute in the model
    spec: Spec
    required: bool = False
    description: str = ""


def _in(label: str) -> str:
    """“基本支出”中 / 文件中: where a key is looked for, for messages."""
    return f"“{label}”中" if label else "文件中"


def _squash(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


class Record(Spec):
    """A mapping with known keys, built into ``cls(**fields, source=…)``."""

    def __init__(self, cls: Callable[..., Any], fields: list[Field], title: str = "",
                 description: str = ""):
        self.cls = cls
        self.fields = fields
        self.by_key = {f.key: f for f in fields}
        self.title = title
        self.description = description

    def suggest(self, key: str) -> str | None:
        squashed = _squash(key)
        for known in self.by_key:
            if _squash(known) == squashed:
                return known
        near = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.5)
        return near[0] if near else None

    def convert(self, node: YNode, ctx: Context, label: str) -> Any:
        if node.rejected:
            return None
        if node.kind != "map":
            if label:
                ctx.fail("类型", f"“{label}”应当是一组字段（下一行缩进两个空格写“名称: 值”），"
                         f"这里却是{node.describe()}。", node.source,
                         "检查缩进：下级字段要比上级多缩进两个空格，每行写成“名称: 值”。")
            else:
                ctx.fail("类型", f"文件内容应当是一组“名称: 值”形式的字段，这里却是{node.describe()}。",
                         node.source, "对照上一年的同名文件，按“名称: 值”逐行填写。")
            return None
        values: dict[str, Any] = {}
        where: dict[str, Source] = {}
        suggested: set[str] = set()
        ok = True
        for key, key_src, child in node.items:
            fld = self.by_key.get(key)
            if fld is None:
                near = self.suggest(key)
                hint = f"是不是“{near}”？" if near else ""
                if near:
                    suggested.add(near)
                allowed = "、".join(self.by_key)
                ctx.fail("未知字段", f"{_in(label)}没有“{clip(key)}”这个字段。", key_src,
                         f"{hint}可用的字段有：{allowed}。")
                ok = False
                continue
            value = fld.spec.convert(child, ctx, fld.key if not label else f"{label}.{fld.key}")
            if value is None:
                ok = False
                continue
            values[fld.attr] = value
            where[fld.attr] = child.source
        if ctx.strict:
            present = {k for k, _, _ in node.items}
            for fld in self.fields:
                # A misspelt key already says “是不是…”: one message is enough.
                if fld.required and fld.key not in present and fld.key not in suggested:
                    about = f"（{fld.description.rstrip('。')}）" if fld.description else ""
                    ctx.fail("缺少字段", f"{_in(label)}缺少必填字段“{fld.key}”。", node.key_source or node.source,
                             f"添加一行“{fld.key}: …”{about}。")
                    ok = False
        if not ok and ctx.strict:
            return None
        if "field_sources" in getattr(self.cls, "__dataclass_fields__", {}):
            values["field_sources"] = where
        return self.cls(**values, source=node.source)

    def json_schema(self, strict: bool = True) -> dict:
        props = {}
        for fld in self.fields:
            sub = fld.spec.json_schema(strict)
            sub = dict(sub)
            if fld.description:
                sub.setdefault("description", fld.description)
            sub.setdefault("title", fld.key)
            props[fld.key] = sub
        schema = {"type": "object", "properties": props, "additionalProperties": False}
        required = [f.key for f in self.fields if f.required]
        if required and strict:
            schema["required"] = required
        return self._annotate(schema, self.title, self.description)


