"""Templates → document model.

The report's wording lives in ``templates/`` as Jinja2 templates that read
like the report itself.  They run in Jinja's sandbox and see only
:class:`~budgetdoc.compute.Figures` and the phrasing functions of
:mod:`budgetdoc.wording`; they never do arithmetic (a test parses every
template and refuses arithmetic operators).

The rendered text is a tiny line-based markup, turned into a
:class:`~budgetdoc.document.ReportDoc`:

``# 部门概况``                      heading, level 1 (第一部分 …)
``## 主要职能``                     heading, level 2 (一、)
``### 部门职能``                    heading, level 3 (（一）)
``#### …``                          heading, level 4 (1.)
``一、文字``                        numbered paragraph, level 2
``（一）文字``                      numbered paragraph, level 3
``1.文字``                          numbered paragraph, level 4
``（1）文字``                       numbered paragraph, level 5
``::: table 标题 | 单位：万元 | 1:4:3``
                                    a table (unit and relative column widths
                                    optional): ``| a | b |`` rows; the row
                                    after the header may be ``|:--|--:|``
                                    (alignment); ``:::`` ends it
``::: pagebreak``                   a page break
``::: 公开表`` / ``::: 公开表 表3 表4``
                                    where the 公开表 go (all of the table
                                    set, or those numbered); they are built
                                    by :mod:`budgetdoc.statements`, not here
``> 文字``                          a paragraph without first-line indent
any other line                      a body paragraph

Numbers written in the template are placeholders: every heading and
numbered paragraph is renumbered in order, so inserting a section renumbers
the ones after it.

Data never becomes markup: every value a template inserts is marked with a
Unicode noncharacter (``DATA_MARK``; the loader refuses noncharacters in
data, so a mark is always budgetdoc's own, and the private-use characters a
department may use for rare name characters pass untouched) so a 职能 that
begins with ``一、`` or a ``#`` stays text, its ``|`` cannot split a table
cell, and a line break typed into a value (or pasted from Word) cannot start
a new paragraph.  The marks are removed once the blocks are built.

Provenance travels the same way.  A helper (``money``, ``change`` …) returns
its words as a :class:`Keyed` string, which *is* the plain text (a template
may compare, measure or slice it) and carries the keys of the data values it
came from (:mod:`budgetdoc.provenance`).  When a value is written out
(``{{ … }}``), the mark of its keys goes into the text before it
(``SOURCE_OPEN`` n ``SOURCE_CLOSE``, an index into the render's list of key
sets), and each block keeps the keys of the marks in it as ``sources``,
which ``budgetdoc diff`` reads.  What a template builds from a helper's words
itself (slices, ``~``) is plain text: it keeps no keys, and carries no mark.
"""

from __future__ import annotations

import functools
import re
from contextvars import ContextVar
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Callable, Sequence

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from . import wording as wording_module
from .compute import Figures, Line
from .document import Block, Cell, Heading, PageBreak, Paragraph, ReportDoc, Table, TablesSlot
from .problems import BudgetError, Source, error
from .provenance import Counted, keys_of, union
from .style import Style
from .template_errors import template_problem, user_template_failed
from .typography import full_width

REPORT_TEMPLATE = "report.j2"

_CN_DIGITS = "零一二三四五六七八九"

DATA_MARK = "\ufdd0"     # "a value from the data starts here"
DATA_PIPE = "\ufdd1"     # a "|" inside a value
TITLE_BREAK = "\ufdd2"   # br() in the title: it may break onto a new line here (elsewhere: nothing)
SOURCE_OPEN, SOURCE_CLOSE = "\ufdd3", "\ufdd4"   # around the index of the data values that follow
_SOURCE_MARK = re.compile("\ufdd3(\\d+)\ufdd4")
#: the key sets of the render in progress (None: no render is recording)
_RECORDING: ContextVar[list[frozenset[str]] | None] = ContextVar("budgetdoc_provenance", default=None)
# Every character str.splitlines() treats as a line end.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九, 100 → 一百, 105 → 一百零五, 110 → 一百一十,
    10010 → 一万零一十: a long list of 项 or projects runs past 99 items."""
    if n < 1:
        raise ValueError(f"numbering starts at 1, got {n}")
    if n < 20:
        return _CN_DIGITS[n] if n < 10 else "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        return _below_10000(n)
    high, low = divmod(n, 10000)
    if not high:
        return _below_10000(low)
    return chinese_number(high) + "万" + ("零" if 0 < low < 1000 else "") + (_below_10000(low) if low else "")


def _below_10000(n: int) -> str:
    """0 < n < 10000 with every digit written (一十 after 百), one 零 for each run of inner zeros."""
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if gap else "") + _CN_DIGITS[digit] + unit
            gap = False
        elif out:
            gap = True
    return out


LABELS = {
    1: lambda n: f"第{chinese_number(n)}部分",
    2: lambda n: f"{chinese_number(n)}、",
    3: lambda n: f"（{chinese_number(n)}）",
    4: lambda n: f"{n}.",
    5: lambda n: f"（{n}）",
}

_CN = "[一二三四五六七八九十百千万零]+"
_NUMBERED = [
    (re.compile(rf"^{_CN}、\s*"), 2),
    (re.compile(rf"^（{_CN}）\s*"), 3),
    (re.compile(r"^\d+[.．、](?!\d)\s*"), 4),
    (re.compile(r"^（\d+）\s*"), 5),
]
_HEADING = re.compile(r"^(#{1,5})\s+(.*)$")
_TABLE_START = re.compile(r"^:::\s*table\b\s*(.*)$")
_TABLES_SLOT = re.compile(r"^:::\s*公开表(?:\s+(.*))?$")
_ALIGN_ROW = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def label(pattern: str, n: int) -> str:
    """A numbering pattern of the house style for the ``n``-th item: {中} 一、二…, {数} 1, 2…"""
    if "{中}" in pattern:
        pattern = pattern.replace("{中}", chinese_number(n))
    return pattern.replace("{数}", str(n))


class Numbering:
    """Counters for outline levels 1–5; a level resets the levels below it.

    ``patterns`` are the house style's labels of levels 1–5 (第{中}部分,
    {中}、, （{中}）, {数}., （{数}）by default).
    """

    def __init__(self, patterns: tuple[str, ...] | None = None) -> None:
        self.counters = [0] * 6
        self.patterns = patterns

    def next(self, level: int) -> str:
        self.counters[level] += 1
        for deeper in range(level + 1, 6):
            self.counters[deeper] = 0
        if self.patterns is None:
            return LABELS[level](self.counters[level])
        return label(self.patterns[level - 1], self.counters[level])


def _clean(text: str, title: bool = False) -> str:
    """Remove the data and provenance marks once the markup has been read (a title keeps its br() marks)."""
    text = _SOURCE_MARK.sub("", text).replace(DATA_MARK, "").replace(DATA_PIPE, "|")
    return text if title else text.replace(TITLE_BREAK, "")


class Keyed(str):
    """Words a helper wrote, with the keys of the data values they came from; it *is* the plain text."""

    sources: frozenset[str]

    def __new__(cls, text: str, sources: frozenset[str]) -> "Keyed":
        obj = super().__new__(cls, text)
        obj.sources = sources
        return obj


def _sourced(keys: frozenset[str], text: str) -> str:
    """``text`` carrying ``keys`` (as it is when there are none)."""
    return Keyed(text, keys) if keys and text else text


def _marked(keys: frozenset[str], text: str) -> str:
    """``text`` as written out: preceded by the mark of ``keys`` while a render is recording."""
    recording = _RECORDING.get()
    if recording is None or not keys or not text:
        return text
    recording.append(keys)
    return f"{SOURCE_OPEN}{len(recording) - 1}{SOURCE_CLOSE}{text}"


def _tracked(helper: Callable[..., str], compares: bool = False) -> Callable[..., str]:
    """A phrasing helper whose words carry the sources of what it was given: a line's amount
    (money, share), the two figures a comparison compares (change, rate), a sourced text."""
    @wraps(helper)
    def tracked(*args: object, **kwargs: object) -> str:
        given = [_compared(a) if compares else a for a in args[:1]] + list(args[1:]) + list(kwargs.values())
        return _sourced(keys_of(*given), helper(*args, **kwargs))
    return tracked


def _compared(figure: object) -> object:
    """What a comparison of ``figure`` was made from: a line's amount and last year's, or a Change's own."""
    if isinstance(figure, Line):
        return figure.sources | figure.prior_sources
    return getattr(figure, "sources", None)


def _keys_in(text: str, provenance: Sequence[frozenset[str]]) -> frozenset[str]:
    return union(provenance[int(n)] for n in _SOURCE_MARK.findall(text)) if provenance else frozenset()


def _cells(line: str, provenance: Sequence[frozenset[str]] = ()) -> list[tuple[str, frozenset[str]]]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [(_clean(c.strip()), _keys_in(c, provenance)) for c in inner.split("|")]


def _alignments(line: str) -> list[str]:
    out = []
    for spec, _ in _cells(line):
        if spec.startswith(":") and spec.endswith(":"):
            out.append("center")
        elif spec.endswith(":"):
            out.append("right")
        else:
            out.append("left")
    return out


def parse_markup(text: str, template: str = REPORT_TEMPLATE,
                 provenance: Sequence[frozenset[str]] = ()) -> list[Block]:
    """Turn rendered template text into blocks (numbers not yet assigned).

    ``provenance`` is the render's list of key sets the text's source marks index.
    """
    blocks: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if line == "::: pagebreak":
            blocks.append(PageBreak())
            continue
        slot = _TABLES_SLOT.match(line)
        if slot:
            blocks.append(TablesSlot(tuple(_clean(slot.group(1) or "").split())))
            continue
        m = _TABLE_START.match(line)
        if m:
            title, unit, widths_spec = ([_clean(part.strip()) for part in m.group(1).split("|")] + ["", ""])[:3]
            rows: list[list[tuple[str, frozenset[str]]]] = []
            aligns: list[str] | None = None
            header_count = 1
            while i < len(lines) and lines[i].strip() != ":::":
                row = lines[i].strip()
                i += 1
                if not row:
                    continue
                if _ALIGN_ROW.match(row):
                    aligns = _alignments(row)
                    header_count = len(rows)
                    continue
                rows.append(_cells(row, provenance))
            if i >= len(lines):
                raise BudgetError([error("模板", f"表格“{title}”没有以“:::”结束。", Source(template),
                                         "在表格最后一行之后加一行“:::”。")])
            i += 1
            width = max(len(r) for r in rows) if rows else 0
            if any(len(r) != width for r in rows):
                raise BudgetError([error("模板", f"表格“{title}”各行的列数不一致。", Source(template),
                                         "每行的“|”个数必须相同。")])
            aligns = aligns or ["left"] * width
            header = tuple(tuple(Cell(c, "center", sources=k) for c, k in r) for r in rows[:header_count])
            body = tuple(tuple(Cell(c, a, sources=k) for (c, k), a in zip(r, aligns))  # type: ignore[arg-type]
                         for r in rows[header_count:])
            widths = _widths(widths_spec, title, template)
            if widths and len(widths) != width:
                raise BudgetError([error("模板", f"表格“{title}”给了 {len(widths)} 个列宽，但有 {width} 列。",
                                         Source(template), "列宽写成“1:4:3”，个数与列数相同。")])
            blocks.append(Table(header=header, rows=body, title=title, unit=unit, widths=widths))
            continue
        keys = _keys_in(line, provenance)
        m = _HEADING.match(line)
        if m:
            blocks.append(Heading(len(m.group(1)), _clean(m.group(2).strip()), sources=keys))
            continue
        if line.startswith(">"):
            blocks.append(Paragraph(full_width(_clean(line[1:].strip())), role="plain", sources=keys))
            continue
        for pattern, level in _NUMBERED:
            nm = pattern.match(line)
            if nm:
                blocks.append(Paragraph(full_width(_clean(line[nm.end():])), level=level, sources=keys))
                break
        else:
            blocks.append(Paragraph(full_width(_clean(line)), sources=keys))
    return blocks


_WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")


def _widths(spec: str, title: str, template: str) -> tuple[float, ...]:
    """``1:4:3`` → (1.0, 4.0, 3.0); anything but positive numbers is a located template mistake."""
    if not spec:
        return ()
    parts = spec.split(":")
    if not all(_WIDTH.match(part) and float(part) > 0 for part in parts):
        raise BudgetError([error("模板", f"表格“{title}”的列宽“{spec}”写法有误：每一列写一个正数，用“:”隔开。",
                                 Source(template), "写成“1:4:3”这样，个数与列数相同。")])
    return tuple(float(part) for part in parts)


def number_blocks(blocks: list[Block], patterns: tuple[str, ...] | None = None,
                  part_gap: str | None = None) -> list[Block]:
    """Assign literal numbers to headings and numbered paragraphs, in order.

    ``patterns`` and ``part_gap`` come from the house style (the default
    labels and two spaces after a part's number when not given).
    """
    numbering = Numbering(patterns)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            gap = part_gap if block.level == 1 else None
            out.append(replace(block, number=numbering.next(block.level), separator=gap))
        elif isinstance(block, Paragraph) and block.level is not None:
            out.append(replace(block, number=numbering.next(block.level)))
        else:
            out.append(block)
    return out


def _join_lines(match: re.Match) -> str:
    """A line break inside a value: nothing between Chinese characters, else a space."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return "" if _CJK_EDGE.match(before or " ") or _CJK_EDGE.match(after or " ") else " "


def _as_data(value: object) -> object:
    """Mark a value inserted into a template so it can never be read as markup (and, when it was
    read from the data, with where it was read)."""
    if isinstance(value, str):
        text = _LINE_BREAKS.sub(_join_lines, value.strip())
        return _marked(keys_of(value), DATA_MARK + text.replace("|", DATA_PIPE))
    if isinstance(value, Counted):
        return _marked(keys_of(value), str(value)) or value
    return value


def _concat(pieces) -> str:
    """The template's output as one text: a {% filter %} block's result is not finalized and may be a
    number ({% filter int %}), which Jinja's own "".join refuses with a TypeError that names no template."""
    pieces = list(pieces)
    try:
        return "".join(pieces)
    except TypeError:
        return "".join(piece if isinstance(piece, str) else str(piece) for piece in pieces)


def lead(text: str, mark: str = "，") -> str:
    """``mark`` + ``text`` when there is text: joins an optional clause (keeping the text's sources)."""
    return _sourced(keys_of(text), f"{mark}{text}") if text else ""


def environment(templates: Path | tuple[Path, ...], phrasing: wording_module.Wording) -> SandboxedEnvironment:
    """The sandbox the templates run in; ``templates`` are searched in order (a style's own first)."""
    folders = (templates,) if isinstance(templates, Path) else templates
    env = SandboxedEnvironment(loader=FileSystemLoader([str(f) for f in dict.fromkeys(folders)]),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, autoescape=False, finalize=_as_data)
    env.concat = _concat
    env.globals.update(
        br=lambda: TITLE_BREAK, unit=phrasing.unit,
        money=_tracked(phrasing.money), share=_tracked(phrasing.share), rate=_tracked(phrasing.rate, compares=True),
        change=_tracked(phrasing.change, compares=True), percent=phrasing.percent,
        cause=lambda change, reason=None, *more, **named: _sourced(keys_of(reason),
                                                                  phrasing.cause(change, reason, *more, **named)),
        actual=wording_module.actual, level=wording_module.level_name)
    env.filters["clause"] = _tracked(wording_module.clause)
    env.filters["lead"] = lead
    return env


def cached_environment(templates: Path | tuple[Path, ...], phrasing: wording_module.Wording) -> SandboxedEnvironment:
    """:func:`environment`, made once per process for each template folder and phrasing (both frozen values).

    The environment keeps the templates it has compiled and recompiles one
    whose file has changed since (Jinja's ``auto_reload``); compiled code is
    also kept between processes (:func:`budgetdoc.cache.template_cache`).
    A phrasing that cannot be a key (not hashable) gets an environment of its own.
    """
    try:
        hash((templates, phrasing))
    except TypeError:
        return _environment_once.__wrapped__(templates, phrasing)
    return _environment_once(templates, phrasing)


@functools.lru_cache(maxsize=16)
def _environment_once(templates: Path | tuple[Path, ...], phrasing: wording_module.Wording) -> SandboxedEnvironment:
    from .cache import template_cache

    env = environment(templates, phrasing)
    env.bytecode_cache = template_cache()
    return env


def search_path(templates: Path, style: Style) -> tuple[Path, ...]:
    """Where templates are looked up: the style's own folder first, then ``templates``."""
    return tuple(dict.fromkeys(p for p in (style.folder, templates) if p is not None))


def narrate(figures: Figures, templates: Path, phrasing: wording_module.Wording | None = None,
            style: Style | None = None) -> ReportDoc:
    """Render the templates with ``figures`` into a numbered :class:`ReportDoc`.

    The house style gives the phrasing (unless ``phrasing`` is given), the
    numbering, the parts and their order; its folder is searched for
    templates before ``templates``.
    """
    style = style or Style()
    phrasing = (phrasing or style.wording).for_report(figures.unit.name, figures.prior_year)
    folders = search_path(templates, style)
    env = cached_environment(folders, phrasing)
    provenance: list[frozenset[str]] = []
    recording = _RECORDING.set(provenance)
    try:
        marked = _clean(env.get_template("title.j2").render(f=figures), title=True).strip()
        if style.parts:
            text = "\n".join(env.get_template(part).render(f=figures) for part in style.parts)
        else:
            text = env.get_template(REPORT_TEMPLATE).render(f=figures)
    except Exception as exc:     # noqa: BLE001 — a template's mistake, told where; budgetdoc's own re-raised
        if not isinstance(exc, TemplateError) and not user_template_failed(exc, folders):
            raise                # a bug in budgetdoc (its own templates, or the helpers they call)
        names = ["f", *sorted(name for name in env.globals if not name.startswith(("range", "dict", "lipsum",
                                                                                   "cycler", "joiner", "namespace")))]
        raise BudgetError([template_problem(exc, folders, names)]) from None
    finally:
        _RECORDING.reset(recording)
    blocks = number_blocks(parse_markup(text, provenance=provenance), style.numbering, style.part_gap)
    title, breaks = _title_breaks(marked)
    return ReportDoc(title=title, blocks=tuple(blocks), author=figures.department.name, year=figures.year,
                     title_breaks=breaks)


def _title_breaks(marked: str) -> tuple[str, tuple[int, ...]]:
    """The title without its br() marks, and the offsets where they were."""
    parts = marked.split(TITLE_BREAK)
    offsets, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        offsets.append(at)
    return "".join(parts), tuple(o for o in dict.fromkeys(offsets) if 0 < o < at + len(parts[-1]))
