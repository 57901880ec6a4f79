"""What the audit found, where, and how it is printed.

A finding is not a :class:`budgetdoc.problems.Problem`: a problem points at a
line of a YAML data file (``data/2020/income.yaml:5:5``) and carries a
处理办法 for the data; a finding points at a paragraph, page or table cell of
a report someone else wrote, quotes it, and shows the arithmetic.  The rule
names of the audit are documented in ``docs/audit.md`` (``tests/
test_audit_cases.py`` holds every rule to a case there), apart from the data
checks of ``docs/checks.md``.

Printed form, one block per finding::

    第23段: 错误 [占比] 项目支出的占比写作 36.46%，按 46.74 ÷ 176.65 计算为 26.46%。
        原文：“项目支出46.74万元，占比36.46%”
        依据：项目支出 46.74 万元（第23段）；部门预算支出 176.65 万元（第23段）
        处理办法：……
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Iterable

from ..number import quantize


class Severity(str, Enum):
    ERROR = "错误"      # the figures contradict each other, or a rule the report must follow is broken
    WARNING = "警告"    # worth a look: last year's figures as this report implies them do not add up
    NOTE = "提示"       # nothing wrong with the arithmetic: a figure written less precisely than the others


SEVERITY_KEYS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


@dataclass(frozen=True)
class Place:
    """Where in the report: a paragraph (and its line in a .txt, its page in a PDF) or a table cell."""

    paragraph: int | None = None
    line: int | None = None
    page: int | None = None
    table: int | None = None          # the table's number in the document (表N, from 1)
    table_label: str = ""             # what the table calls itself: 表3-2 2020年一般公共预算“三公”经费支出表
    row: int | None = None            # from 1, header rows included
    column: int | None = None         # grid column, from 1
    row_label: str = ""
    column_label: str = ""

    def __str__(self) -> str:
        if self.table is not None:
            where = f"表{self.table}"
            if self.row is not None:
                where += f"第{self.row}行"
            if self.column is not None:
                where += f"第{self.column}列"
            names = [n for n in (self.table_label, self.row_label, self.column_label) if n]
            return f"{where}（{' · '.join(names)}）" if names else where
        if self.paragraph is None:
            return ""
        where = f"第{self.paragraph}段"
        if self.page is not None:
            return f"第{self.page}页{where}"
        if self.line is not None:
            return f"{where}（第{self.line}行）"
        return where

    @property
    def short(self) -> str:
        """The place without names or the .txt line: 第12段, 第3页第12段, 表12第4行第2列."""
        if self.table is not None:
            return str(Place(table=self.table, row=self.row, column=self.column))
        return str(Place(paragraph=self.paragraph, page=self.page))

    @property
    def cell(self) -> str:
        """A table cell named as a reader finds it: 表3-2 …“三公”经费支出表“本年预算”行“合计”栏（表8第4行第2列）."""
        if self.table is None:
            return str(self)
        name = self.table_label or f"表{self.table}"
        if self.row_label:
            name += f"“{self.row_label}”行"
        if self.column_label:
            name += f"“{self.column_label}”栏"
        return f"{name}（{self.short}）"

    def to_dict(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value not in (None, "")}


@dataclass(frozen=True)
class Basis:
    """A figure the arithmetic used: its name, value and place."""

    label: str
    value: Decimal
    place: Place
    unit: str = "万元"
    written: str = ""          # as the report writes it (a percentage: 68.5%), instead of the value

    def __str__(self) -> str:
        if self.written:
            return f"{self.label} {self.written}（{self.place.short}）"
        return f"{self.label} {plain(self.value)}{' ' + self.unit if self.unit else ''}（{self.place.short}）"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    message: str
    place: Place | None = None
    quote: str = ""
    basis: tuple[Basis, ...] = ()
    hint: str = ""
    stated: str = ""           # what the text says, machine-readable: "36.46%", "176.65"
    computed: str = ""         # what the arithmetic gives: "26.46%", "176.66"

    def sort_key(self) -> tuple:
        place = self.place or Place()
        return (place.table is not None, place.table or 0, place.paragraph or 0, place.row or 0,
                place.column or 0, self.rule, self.message)

    def format(self) -> str:
        where = f"{self.place}: " if self.place and str(self.place) else ""
        text = f"{where}{self.severity.value} [{self.rule}] {self.message}"
        if self.severity is Severity.NOTE:
            return text
        if self.quote:
            text += f"\n    原文：“{self.quote}”"
        if self.basis:
            text += "\n    依据：" + "；".join(str(b) for b in self.basis)
        if self.hint:
            text += f"\n    处理办法：{self.hint}"
        return text

    def to_dict(self) -> dict:
        return {
            "severity": SEVERITY_KEYS[self.severity],
            "rule": self.rule,
            "message": self.message,
            "place": (self.place or Place()).to_dict(),
            "where": str(self.place) if self.place else "",
            "quote": self.quote,
            "stated": self.stated,
            "computed": self.computed,
            "basis": [{"label": b.label, "value": b.written.rstrip("%") if b.written else plain(b.value),
                       "unit": b.unit, "where": b.place.short} for b in self.basis],
            "hint": self.hint,
        }


@dataclass
class Findings:
    """Collects findings once each (the same rule, place and message only once)."""

    items: list[Finding] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, finding: Finding) -> None:
        key = (finding.rule, finding.place, finding.message)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def sorted(self) -> list[Finding]:
        return sorted(self.items, key=Finding.sort_key)


def plain(value: Decimal) -> str:
    """A computed amount or percentage for a message: two decimals (204.60), as a table writes it."""
    return format(quantize(value, 2), "f")


def shown(value: Decimal, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals."""
    return format(quantize(value, places), "f")
