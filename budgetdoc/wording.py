"""How figures are put into Chinese words: the one place for phrasing rules.

Templates call these functions; nothing else in budgetdoc turns a number into
words.  Every rule is a setting of :class:`Wording`, which a house style
(:mod:`budgetdoc.style`) fills from its file; the defaults below are the
reference report's, and every rule has its own test in
``tests/test_wording.py``.

Defaults (each a field of :class:`Wording`):

* Amounts are shown in the prose unit (万元), converted exactly from the
  unit the data is in, rounded half-up to ``money_places`` (2).  A whole
  number is written without decimals (``0``、``14``), any other with exactly
  two (``7.50``、``38.10``) — ``money_format`` ``trim``; ``fixed`` always
  writes two, ``entered`` keeps the figure's own decimals.
* Percentages are rounded half-up: shares (占比) to ``share_digits`` = 2
  places, so the parts of one whole add up to exactly 100%; growth rates
  (增长/下降) to ``change_digits`` = 1 place.  Whole percentages are written
  without decimals (``100%``、``50%``) unless ``percent_trim`` is off;
  ``percent_space`` puts a space before %.
* A change reads ``比{基数}增加X万元，增长Y%`` / ``减少X万元，下降Y%``
  (``lead``, the verbs); no change reads ``与{基数}持平`` (never
  增加0万元，增长0%); a new item (zero base) reads ``比{基数}增加X万元
  （上年无此项预算）`` with no percentage (compared with last year's
  execution: 上年无此项支出); an item cut to zero reads ``比{基数}减少X万元，
  本年未安排``; a rate too small to show at the chosen precision reads
  ``不足0.1%``, never 增长0%; an unknown previous year gives an empty
  phrase, so the sentence simply leaves the comparison out.
* ``base`` names what is compared with: a template passes a named base of
  the style (默认, 总体, 三公, 执行数, 机关运行经费) or the words themselves;
  ``{上年}`` in a base becomes last year (2019年预算).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from .compute import Change, Line, Share, Trend
from .number import MONEY_PLACES, quantize

SHARE_DIGITS = 2
CHANGE_DIGITS = 1
DEFAULT_BASE = "上年预算数"

MoneyFormat = Literal["trim", "fixed", "entered"]

#: Named bases of the default style: what a template's ``base=`` stands for.
DEFAULT_BASES: tuple[tuple[str, str], ...] = (
    ("默认", DEFAULT_BASE),
    ("总体", "{上年}年预算"),
    ("三公", "上年预算"),
    ("执行数", "上年执行数"),
    ("机关运行经费", "上年"),
)

#: How a 元 / 万元 figure becomes the other: multiply by FACTORS[(from, to)].
FACTORS = {("万元", "万元"): Decimal(1), ("元", "元"): Decimal(1),
           ("元", "万元"): Decimal("0.0001"), ("万元", "元"): Decimal(10000)}


def _plain(value: Decimal, places: int, trim_whole: bool) -> str:
    rounded = quantize(value, places)
    if trim_whole and rounded == rounded.to_integral_value():
        return format(rounded.quantize(Decimal(1)), "f")
    return format(rounded, "f")


def _grouped(text: str) -> str:
    """1234567.89 → 1,234,567.89."""
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ",".join(groups) + (f".{decimals}" if decimals else "")


@dataclass(frozen=True)
class Wording:
    """Phrasing settings.  One instance serves a whole report."""

    # amounts
    money_places: int = MONEY_PLACES
    money_format: MoneyFormat = "trim"   # trim: 14万元; fixed: 14.00万元; entered: as the data has it
    unit: str = "万元"                   # the unit of amounts in the prose
    table_unit: str = "万元"             # … and in the 公开表
    table_grouping: bool = False         # 1,234,567.00 in the tables
    data_unit: str = "万元"              # the unit the figures are in (department.yaml), set per report
    # percentages
    share_digits: int = SHARE_DIGITS
    change_digits: int = CHANGE_DIGITS
    percent_trim: bool = True            # 100%, not 100.00%
    percent_space: bool = False          # 13.7 %
    tiny_rate: str = "不足{最小}%"        # a non-zero change that rounds to 0
    # comparisons
    lead: str = "比{基数}"               # 比{基数} / 较{基数} / 同比 / 相比{基数}
    bases: tuple[tuple[str, str], ...] = DEFAULT_BASES
    #: A named base's own lead and flat phrase, where it needs them (同比 has no base, but a comparison
    #: with last year's execution must name it): (name, lead, flat).
    base_phrases: tuple[tuple[str, str, str], ...] = ()
    up: str = "增加"
    down: str = "减少"
    rise: str = "增长"
    fall: str = "下降"
    flat: str = "与{基数}持平"           # or 无变化 / 无增减变化 / {比较}无增减
    new_note: str = "上年无此项预算"      # "" leaves the note out
    new_note_actual: str = "上年无此项支出"
    dropped_note: str = "本年未安排"      # "": 减少X万元，下降100%
    reason_when_flat: bool = False        # a reason is written for an unchanged line too
    reason_verbs: Literal["amount", "rate"] = "amount"   # {} in a reason's lead: 增加/减少 or 增长/下降
    prior_year: int | None = None         # {上年} in a base
    #: trim_whole is the old name of money_format == "trim"; kept so that Wording(trim_whole=False) still works.
    trim_whole: bool | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.trim_whole is not None:
            object.__setattr__(self, "money_format", "trim" if self.trim_whole else "fixed")
            object.__setattr__(self, "trim_whole", None)

    def for_report(self, data_unit: str, prior_year: int) -> "Wording":
        """These settings for one report: its data unit and its previous year."""
        return replace(self, data_unit=data_unit, prior_year=prior_year)

    # ------------------------------------------------------------ numbers
    def shown(self, value: Decimal, unit: str | None = None) -> Decimal:
        """``value`` (in the data unit) in the display unit, exactly."""
        return value * FACTORS[(self.data_unit, unit or self.unit)]

    def money(self, value: Decimal | Line) -> str:
        """An amount in the prose unit, without the unit: ``176.65``、``7.50``、``0``."""
        amount = self.shown(value.amount if isinstance(value, Line) else value)
        if self.money_format == "entered":     # the figure's own decimals (7.5, 7.50, 14), at most money_places
            exponent = amount.as_tuple().exponent
            return _plain(amount, min(self.money_places, -exponent) if exponent < 0 else 0, False)  # type: ignore[operator]
        return _plain(amount, self.money_places, self.money_format == "trim")

    def money_computed(self, value: Decimal) -> str:
        """A figure the calculator derived (a change): as :meth:`money`, except that under “照录入”,
        where a derived figure has no entered form, it has no trailing zeros (14, 0.5, 8.84)."""
        if self.money_format != "entered":
            return self.money(value)
        text = format(quantize(self.shown(value), self.money_places), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    def table_amount(self, value: Decimal) -> str:
        """An amount in a 公开表: always two decimals, half-up (``110.91``, ``0.00``), in the table unit."""
        text = format(quantize(self.shown(value, self.table_unit), self.money_places), "f")
        return _grouped(text) if self.table_grouping else text

    def table_value(self, value: Decimal) -> Decimal:
        """The exact figure a spreadsheet cell holds, in the table unit."""
        return self.shown(value, self.table_unit)

    def percent(self, value: Decimal, digits: int) -> str:
        return _plain(value, digits, self.percent_trim) + (" %" if self.percent_space else "%")

    def share(self, share: Share | Line | None, digits: int | None = None) -> str:
        """A share of a whole: ``73.54%``.  A zero whole gives ``0%``."""
        if isinstance(share, Line):
            share = share.share
        if share is None:
            raise ValueError("share() needs a line that has a share")
        digits = self.share_digits if digits is None else digits
        pct = share.percent(digits)
        return self.percent(pct if pct is not None else Decimal(0), digits)

    def rate(self, change: Change | Line, digits: int | None = None) -> str:
        """The growth rate alone: ``13.7%``; empty when there is no base.

        A rate that rounds to zero although the amounts differ reads
        ``不足0.1%`` (at one decimal), so no sentence says 增加…万元，增长0%.
        """
        change = _as_change(change)
        digits = self.change_digits if digits is None else digits
        rate = change.rate
        if rate is None:
            return ""
        if quantize(rate, digits) == 0 and change.delta:
            return self.tiny_rate.replace("{最小}", format(Decimal(1).scaleb(-digits), "f"))
        return self.percent(rate, digits)

    # ------------------------------------------------------------ phrases
    def base_words(self, base: str) -> str:
        """A named base of the style (总体 …), or the words themselves; {上年} becomes last year."""
        words = dict(self.bases).get(base, base)
        if self.prior_year is not None:
            words = words.replace("{上年}", str(self.prior_year))
        return words

    def change(self, change: Change | Line | None, base: str = "默认", digits: int | None = None,
               with_rate: bool = True) -> str:
        """The comparison with a previous figure, without the subject.

        ``base`` names what is compared with: a named base of the style
        (默认, 总体, 三公, 执行数, 机关运行经费) or the words (上年预算数, 2019年预算,
        上年执行数 …).  ``with_rate=False`` leaves the percentage out.
        """
        change = _as_change(change)
        trend = change.trend
        if trend is Trend.UNKNOWN:
            return ""
        words = self.base_words(base)
        own = {name: (lead, flat) for name, lead, flat in self.base_phrases}.get(base)
        lead, flat = (own[0] or self.lead, own[1] or self.flat) if own else (self.lead, self.flat)
        compared = lead.replace("{基数}", words)
        if trend is Trend.FLAT:
            return flat.replace("{基数}", words).replace("{比较}", compared)
        amount = f"{self.money_computed(change.delta)}{self.unit}"  # type: ignore[arg-type]
        if trend is Trend.NEW:
            note = self.new_note_actual if base == "执行数" or "执行" in words else self.new_note
            return f"{compared}{self.up}{amount}" + (f"（{note}）" if note else "")
        if trend is Trend.DROPPED and self.dropped_note:
            return f"{compared}{self.down}{amount}，{self.dropped_note}"
        verb, movement = (self.up, self.rise) if trend is Trend.INCREASE else (self.down, self.fall)
        text = f"{compared}{verb}{amount}"
        if with_rate:
            text += f"，{movement}{self.rate(change, digits)}"
        return text

    def cause(self, change: Change | Line | None, reason: str | None, lead: str = "原因：") -> str:
        """The reason for a change, or nothing when there is no reason or no change.

        ``lead`` is the words before the reason: ``原因：`` or ``主要是由于：``.
        ``{}`` in ``lead`` is replaced by the direction (增加/减少, or 增长/下降
        when the style says so): ``"{}原因是"`` → 增加原因是.  An unchanged
        line gets its reason only when the style says so (``{}`` is then left
        out: 原因是…).
        """
        change = _as_change(change)
        if not reason or change.trend is Trend.UNKNOWN:
            return ""
        if change.trend is Trend.FLAT:
            if not self.reason_when_flat:
                return ""
            return lead.replace("{}", "") + clause(reason)
        rising = change.trend in (Trend.INCREASE, Trend.NEW)
        if self.reason_verbs == "rate":
            direction = self.rise if rising else self.fall
        else:
            direction = self.up if rising else self.down
        return lead.replace("{}", direction) + clause(reason)


# Lead-ins a clerk may type that the templates already write: 原因：…, 主要是…
_LEADS = re.compile(r"^(?:(?:主要)?(?:增加|减少)?原因(?:是|为)?[：:]?|主要是由于[：:]?|主要是|主要用于)\s*")


def clause(text: str | None) -> str:
    """Text to embed in a sentence.

    Trailing 。；，. are removed (the template punctuates), and so is a lead-in
    the template already writes (原因：, 主要是, 主要用于 …), so a reason typed
    as “原因：人员调出” never reads 原因：原因：人员调出.
    """
    text = (text or "").strip()
    previous = None
    while previous != text:
        previous = text
        text = _LEADS.sub("", text)
    return text.rstrip().rstrip("。；;，,.")


LEVEL_NAMES = {1: "类", 2: "款", 3: "项"}


def level_name(line: Line) -> str:
    """The classification level of a 功能分类 line in words: 类, 款 or 项."""
    return LEVEL_NAMES.get(line.level, "")


def _as_change(value: Change | Line | None) -> Change:
    if isinstance(value, Line):
        value = value.change
    if value is None:
        return Change(None, None)
    return value


def actual(line: Line) -> Change:
    """The comparison of a line with last year's execution (执行数)."""
    if line.change_actual is None:
        return Change(None, None)
    return replace(line.change_actual, sources=line.sources | line.actual_sources)
