"""Where a value came from, and what is wrong with it.

Every loaded value carries a :class:`Source`; every check returns
:class:`Problem` objects instead of raising, so one run reports every mistake
at once, sorted by file and line (the beancount way).  Messages are in
Simplified Chinese because finance staff read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Iterable


@dataclass(frozen=True, order=True)
class Source:
    """A position in a data file: 1-based line and column, and the YAML path."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class Severity(str, Enum):
    ERROR = "错误"
    WARNING = "警告"
    NOTE = "提示"     # one line, nothing to fix now: what the rules ask for that the data lacks


@dataclass(frozen=True)
class Problem:
    """One finding: a rule name, a message, where, and how to fix it."""

    severity: Severity
    rule: str
    message: str
    source: Source | None = None
    hint: str = ""
    related: tuple[Source, ...] = field(default_factory=tuple)
    gap: "Decimal | None" = None      # an identity's difference (万元), to match a known one

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_note(self) -> bool:
        return self.severity is Severity.NOTE

    def sort_key(self) -> tuple:
        src = self.source or Source("")
        return (src.file, src.line, src.column, self.rule, self.message)

    def format(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.severity.value} [{self.rule}] {self.message}"
        if self.is_note:  # a note is one line
            return text
        if self.related:
            text += "\n    另见：" + "；".join(str(s) for s in self.related)
        if self.hint:
            text += f"\n    处理办法：{self.hint}"
        return text

    def to_dict(self) -> dict:
        src = self.source
        return {
            "severity": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}[self.severity],
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
            "file": src.file if src else None,
            "line": src.line if src else None,
            "column": src.column if src else None,
            "path": src.path if src else None,
            "related": [str(s) for s in self.related],
        }


def error(rule: str, message: str, source: Source | None = None, hint: str = "",
          related: Iterable[Source] = (), gap: "Decimal | None" = None) -> Problem:
    return Problem(Severity.ERROR, rule, message, source, hint, tuple(related), gap)


def warning(rule: str, message: str, source: Source | None = None, hint: str = "",
            related: Iterable[Source] = ()) -> Problem:
    return Problem(Severity.WARNING, rule, message, source, hint, tuple(related))


class BudgetError(Exception):
    """Raised when problems stop the build; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        #: lines for the clerk after the summary of the problems (what was left as it was)
        self.afterwards: list[str] = []
        super().__init__("\n".join(p.format() for p in self.problems))


def some_of(names: Iterable[str], limit: int = 5) -> str:
    """``甲、乙、丙`` — or the first ``limit`` and 等, for a message that names what it found."""
    names = list(names)
    return "、".join(names[:limit]) + ("等" if len(names) > limit else "")


def note(rule: str, message: str, source: Source | None = None) -> Problem:
    return Problem(Severity.NOTE, rule, message, source)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def problems_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.to_dict() for p in sort_problems(problems)], ensure_ascii=False, indent=2)
