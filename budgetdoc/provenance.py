"""Where a figure of the report comes from: the data values it was made of, carried to the end.

Every value the loader reads keeps its :class:`~budgetdoc.problems.Source`
(file, line, YAML path).  compute gives each :class:`~budgetdoc.compute.Line`
the keys of the values it was derived from — this year's and last year's —
and narrate hands them on to each paragraph a template wrote with them; the
statements give them to the table cells.  ``budgetdoc diff`` then names, for a
changed value, exactly the paragraphs and cells that were rendered from it
(as beancount carries an entry's meta to the end).

A key is the value's file from its year folder on and its YAML path, as
:func:`budgetdoc.review.provenance.data_values` names the values of a year:
``2020/operating_costs.yaml:明细[1].金额``, ``2020/units/<单位>/income.yaml:合计``.
"""

from __future__ import annotations

import functools
import re
from pathlib import PurePath
from typing import Iterable

from .problems import Source

_YEAR = re.compile(r"\d{4}", re.ASCII)

Keys = frozenset[str]
NONE: Keys = frozenset()


def key(source: Source) -> str:
    """``2020/income.yaml:合计`` for a value at ``data/2020/income.yaml``, YAML path ``合计``.

    The file is named from its year folder on, so a budget unit's value reads
    ``2020/units/<单位>/income.yaml:合计`` whether the data is one department's or
    a bureau's; a file outside any year folder (a bureau's glossary.yaml) by its name.
    """
    return f"{_file_key(source.file)}:{source.path}"


@functools.lru_cache(maxsize=4096)
def _file_key(file: str) -> str:
    """The file part of a key, from the year folder on (a report names a few dozen files thousands of times)."""
    parts = PurePath(file).parts
    for i in range(len(parts) - 2, -1, -1):
        if _YEAR.fullmatch(parts[i]) and parts[i + 1] in (parts[-1], "units"):
            return "/".join(parts[i:])
    return parts[-1] if parts else ""


def keys_of(*things: object) -> Keys:
    """The keys of whatever is given: sourced values (Amount, SourcedText), figures that carry
    ``sources``, key sets, and None (nothing)."""
    out: set[str] = set()
    for thing in things:
        _add(thing, out)
    return frozenset(out)


def _add(thing: object, out: set[str]) -> None:
    if thing is None:
        return
    if isinstance(thing, frozenset):
        out.update(thing)
        return
    sources = getattr(thing, "sources", None)          # a Line, a Cell
    if isinstance(sources, frozenset):
        out.update(sources)
        return
    source = getattr(thing, "source", None)            # an Amount, a SourcedText
    if isinstance(source, Source) and source.path:
        out.add(key(source))
        return
    if isinstance(thing, (list, tuple)):
        for item in thing:
            _add(item, out)


class Counted(int):
    """A count read from the data (编制, 车辆 …) that remembers where: it *is* an ``int``."""

    source: Source | None

    def __new__(cls, value: int, source: Source | None = None) -> "Counted":
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


def counted(record: object, attr: str) -> int:
    """``record.attr`` (0 when absent) with the source the loader recorded for it."""
    value = getattr(record, attr, None)
    sources = getattr(record, "field_sources", {}) or {}
    return Counted(value or 0, sources.get(attr)) if value is not None else 0


def union(groups: Iterable[Keys]) -> Keys:
    out: set[str] = set()
    for group in groups:
        out.update(group)
    return frozenset(out)
