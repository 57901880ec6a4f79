"""Cells → exact amounts and classification codes.

Amounts: calamine gives numbers as binary floats.  The shortest ``repr`` of
a float is the decimal text the file stored (``110.91``, ``12345.67``), so
it becomes a Decimal through that text, never through float arithmetic.  A
figure past 分 (0.01 元) is refused: no budget is approved in parts of a 分,
and such a figure is a formula's division that was never rounded.  A
cached formula result may carry binary noise (``0.30000000000000004``):
within a millionth of a 分 it is that 分 figure.

Units: the data is in 万元; a figure in 元 is divided by 10,000 exactly and
keeps its decimals (12,345.67 元 = 1.234567 万元, see schema.Money).

Codes: 类 | 款 | 项 in three cells (``201`` | ``03`` | ``01``), joined
(``2010301``), or with the name (``2010301-行政运行``, ``[2010301]行政运行``);
a 款 or 项 typed as a number loses its leading zero (``3`` for ``03``),
which is put back.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal

from ..problems import Problem, Source, error

RULE = "导入金额"
FEN = Decimal("0.01")                 # 元
NOISE = Decimal("0.00000001")         # of the unit: far below a 分, far above float noise of budget figures
TEN_THOUSAND = Decimal(10000)
DASHES = {"-", "—", "－", "–", "——", "/"}

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def squash(text: object) -> str:
    """Text as compared with labels: NFKC (全角 → 半角), no spaces, no line breaks."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(text)) if not ch.isspace())


def _decimal_of(value: object) -> Decimal | None:
    """A cell's number as an exact Decimal (through the float's shortest repr); None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        text = repr(value)
        if text in ("nan", "inf", "-inf"):
            return None
        return Decimal(text)
    if isinstance(value, str):
        text = squash(value)
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if _NUMBER.fullmatch(text):
            return Decimal(text)
    return None


def amount(value: object, where: Source, unit: str, label: str) -> tuple[Decimal | None, Problem | None]:
    """A money cell in ``unit`` (``元`` or ``万元``) → 万元, exact; (None, None) for an empty cell."""
    if value is None or (isinstance(value, str) and (not value.strip() or squash(value) in DASHES)):
        return None, None
    number = _decimal_of(value)
    if number is None:
        if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            what = f"日期或时间（{value}）"
        elif isinstance(value, bool):
            what = f"逻辑值 {'TRUE' if value else 'FALSE'}"
        else:
            what = f"文字“{str(value).strip()[:30]}”"
        return None, error("导入金额", f"“{label}”应当是金额，这个格子里却是{what}。", where,
                           "在 Excel 中把它改成数字（不带单位、不写汉字）；没有金额的格子留空或填 0。")
    step = FEN if unit == "元" else FEN / TEN_THOUSAND
    exact = number.quantize(step) if abs(number) < Decimal(10) ** 16 else number
    if exact != number:
        if abs(exact - number) <= NOISE * step:   # a cached formula result's binary noise
            number = exact
        else:
            return None, error("导入金额", f"“{label}”是 {format(number, 'f')} {unit}，有不到 1 分的尾数"
                               f"（{'元' if unit == '元' else '万元'}金额最多{'两' if unit == '元' else '六'}位小数）。",
                               where, "预算金额精确到分：在 Excel 中把这个格子四舍五入到分（公式外加 ROUND(…,2)），再导入。")
    if number < 0:
        return None, error("导入金额", f"“{label}”是负数 {format(number, 'f')}：预算金额不能为负。", where,
                           "核对这个格子；减少额不在公开表中填写。")
    return (number / TEN_THOUSAND if unit == "元" else number), None


def code_part(value: object, digits: int) -> str:
    """One level of a split code: ``3`` (a number) → ``03``; text kept (``03``); '' when empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = squash(value)
    if isinstance(value, int) or text.isdigit():
        return text.zfill(digits)
    return text


def split_code(cells: list[object]) -> str:
    """类 | 款 | 项 cells → the full code: ``201``, ``3``, ``1`` → ``2010301``; stops at the first empty level."""
    out = ""
    for value, digits in zip(cells, (3, 2, 2)):
        part = code_part(value, digits)
        if not part:
            break
        out += part
    return out


_JOINED = re.compile(r"^[\[【(（]?(\d{3,7})[\]】)）]?\s*[-－—_:：.、\s]?\s*(.*)$")


def joined_code(value: object) -> tuple[str, str]:
    """A code cell that may carry the name: ``2010301-行政运行`` → (``2010301``, ``行政运行``)."""
    if value is None or value == "":
        return "", ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _JOINED.match(text)
    if not m:
        return "", text
    return m.group(1), m.group(2).strip()


def valid_code(code: str, lengths: tuple[int, ...]) -> bool:
    return code.isdigit() and len(code) in lengths


def is_total_label(value: object) -> bool:
    """合计 / 总计 / 小计 rows (not 本年收入合计 of a 收支总表, whose label says what it adds)."""
    text = squash(value).replace("：", "").replace(":", "")
    return text in {"合计", "总计", "小计", "合计数", "总合计"}
