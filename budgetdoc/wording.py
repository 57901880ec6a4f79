"""How figures are put into Chinese words: the one place for phrasing rules.

Templates call these functions; nothing else in budgetdoc turns a number into
words.  Every rule has its own test in ``tests/test_wording.py``.

Rules (defaults; a template may pass ``digits=`` and ``base=``):

* Amounts are 万元, rounded half-up to 0.01.  A whole number is written
  without decimals (``0``、``14``), any other with exactly two (``7.50``、
  ``38.10``) — the convention most of the reference report follows.
* Percentages are rounded half-up: shares (占比) to ``SHARE_DIGITS`` = 2
  places, so the parts of one whole add up to exactly 100%; growth rates
  (增长/下降) to ``CHANGE_DIGITS`` = 1 place.  Whole percentages are written
  without decimals (``100%``、``50%``).
* A change reads 比上年预算数增加X万元，增长Y% / 减少X万元，下降Y%;
  no change reads 与上年预算数持平 (never 增加0万元，增长0%); a new item
  (zero base) reads 比上年预算数增加X万元（上年无此项预算）, with no
  percentage (compared with last year's execution: 上年无此项支出); an item
  cut to zero reads 比上年预算数减少X万元，本年未安排; a rate too small to
  show at the chosen precision reads 增长不足0.1%, never 增长0%;
  an unknown previous year gives an empty phrase, so the sentence simply
  leaves the comparison out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .compute import Change, Line, Share, Trend
from .number import MONEY_PLACES, quantize

SHARE_DIGITS = 2
CHANGE_DIGITS = 1
DEFAULT_BASE = "上年预算数"


def _plain(value: Decimal, places: int, trim_whole: bool) -> str:
    rounded = quantize(value, places)
    if trim_whole and rounded == rounded.to_integral_value():
        return format(rounded.quantize(Decimal(1)), "f")
    return format(rounded, "f")


@dataclass(frozen=True)
class Wording:
    """Phrasing settings.  One instance serves a whole report."""

    money_places: int = MONEY_PLACES
    share_digits: int = SHARE_DIGITS
    change_digits: int = CHANGE_DIGITS
    trim_whole: bool = True     # 14万元, 100%  (False: 14.00万元, 100.00%)

    # ------------------------------------------------------------ numbers
    def money(self, value: Decimal | Line) -> str:
        """An amount in 万元, without the unit: ``176.65``、``7.50``、``0``."""
        amount = value.amount if isinstance(value, Line) else value
        return _plain(amount, self.money_places, self.trim_whole)

    def table_amount(self, value: Decimal) -> str:
        """An amount in a 公开表: always two decimals, half-up (``110.91``, ``0.00``)."""
        return format(quantize(value, self.money_places), "f")

    def percent(self, value: Decimal, digits: int) -> str:
        return _plain(value, digits, self.trim_whole) + "%"

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
            return f"不足{format(Decimal(1).scaleb(-digits), 'f')}%"
        return self.percent(rate, digits)

    # ------------------------------------------------------------ phrases
    def change(self, change: Change | Line | None, base: str = DEFAULT_BASE, digits: int | None = None,
               with_rate: bool = True) -> str:
        """The comparison with a previous figure, without the subject.

        ``base`` names what is compared with: 上年预算数 (default), 上年预算,
        2019年预算, 上年执行数 …  ``with_rate=False`` leaves the percentage out.
        """
        change = _as_change(change)
        trend = change.trend
        if trend is Trend.UNKNOWN:
            return ""
        if trend is Trend.FLAT:
            return f"与{base}持平"
        amount = self.money(change.delta)  # type: ignore[arg-type]
        if trend is Trend.NEW:
            note = "上年无此项支出" if "执行" in base else "上年无此项预算"
            return f"比{base}增加{amount}万元（{note}）"
        if trend is Trend.DROPPED:
            return f"比{base}减少{amount}万元，本年未安排"
        verb, movement = ("增加", "增长") if trend is Trend.INCREASE else ("减少", "下降")
        text = f"比{base}{verb}{amount}万元"
        if with_rate:
            text += f"，{movement}{self.rate(change, digits)}"
        return text

    def cause(self, change: Change | Line | None, reason: str | None, lead: str = "原因：") -> str:
        """The reason for a change, or nothing when there is no reason or no change.

        ``lead`` is the words before the reason: ``原因：`` or ``主要是由于：``.
        ``{}`` in ``lead`` is replaced by 增加/减少: ``"{}原因是"`` → 增加原因是.
        """
        change = _as_change(change)
        if not reason or change.trend in (Trend.FLAT, Trend.UNKNOWN):
            return ""
        direction = "增加" if change.trend in (Trend.INCREASE, Trend.NEW) else "减少"
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
    return line.change_actual or Change(None, None)
