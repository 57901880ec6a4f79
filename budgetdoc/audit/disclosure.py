"""The disclosure rules a reader can check without any arithmetic.

* [三公原因] a “三公” item whose budget changed against last year's, with no
  reason after it (原因、由于、主要是、用于 …) — 财预〔2016〕143号 asks for the
  reason of each change;
* [公务用车] 公务用车购置及运行维护费 not split into 购置费 and 运行维护费
  (neither in the text nor in the “三公” table);
* [占位符] placeholders left in: XXXX, ××万元, 。。。。, ？？, 待填, blanks ______;
* [标题年份] a year in a heading or a table title that is not the report's year;
* [科目名称] an obsolete 科目 name (医疗卫生与计划生育支出 is 卫生健康支出 from 2019);
* [空表说明] a note that a table or section is empty naming another fund than
  its own (the 政府性基金 note under the 国有资本经营 table).
"""

from __future__ import annotations

import re

from . import patterns as P
from ..checks.content import PLACEHOLDER
from .extract import Extracted, Fact
from .findings import Finding, Place, Severity
from .tables import grid_of

THREE_PUBLIC_ITEMS = ("three_public.abroad", "three_public.reception", "three_public.vehicles",
                      "three_public.purchase", "three_public.operation")
SUB_ITEMS = ("three_public.purchase", "three_public.operation")


def check_disclosure(out: Extracted) -> list[Finding]:
    return (_placeholders(out) + _heading_years(out) + _obsolete_names(out) + _empty_notes(out)
            + _three_public_reasons(out) + _vehicles_split(out))


def _excerpt(text: str, start: int, end: int) -> str:
    begin, stop = max(0, start - 20), min(len(text), end + 20)
    return ("…" if begin else "") + text[begin:stop].strip() + ("…" if stop < len(text) else "")


def _texts(out: Extracted):
    """Every text of the report with (a way to get) its place: paragraphs, then table cells."""
    for paragraph in out.report.paragraphs:
        yield paragraph.text, lambda p=paragraph: Place(paragraph=p.number, line=p.line, page=p.page)
    for table in out.report.tables:
        g = grid_of(out, table)
        for r, row in enumerate(g.cells):
            for c, text in enumerate(row):
                if text and g.numbers[r][c] is None:
                    yield text, lambda r=r, c=c, g=g: g.place(r, c)


def _placeholders(out: Extracted) -> list[Finding]:
    findings = []
    for text, place in _texts(out):
        for pattern in (PLACEHOLDER, P.EXTRA_PLACEHOLDERS):
            m = pattern.search(text)
            if m:
                shown = m.group(0).strip() or m.group(0)
                shown = shown if len(shown) <= 12 else shown[:12] + "…"
                findings.append(Finding(Severity.ERROR, "占位符", f"还有占位符“{shown}”没有换成实际内容。",
                                        place(), _excerpt(text, m.start(), m.end()),
                                        hint="把占位符换成实际的数字或文字。"))
                break
    return findings


def _heading_years(out: Extracted) -> list[Finding]:
    if out.year is None:
        return []
    findings = []
    titled = [(h.paragraph.text, Place(paragraph=h.paragraph.number, line=h.paragraph.line, page=h.paragraph.page),
               "标题") for h in out.headings]
    for table in out.report.tables:
        if table.title:
            titled.append((table.title, Place(table=table.number, table_label=table.label), "表名"))
    for text, place, what in titled:
        for m in P.HEADING_YEAR.finditer(re.sub(r"\s+", "", text)):
            year = int(m.group("year"))
            if year != out.year and not re.search(r"截至|末|以来", text):
                findings.append(Finding(
                    Severity.ERROR, "标题年份",
                    f"{what}“{text.strip()}”中的年份是{year}年，本报告是{out.year}年的（{out.year_from}）。",
                    place, text.strip(), hint=f"把{what}中的年份改为{out.year}年（多半是沿用了往年的文本）。",
                    stated=str(year), computed=str(out.year)))
                break
    return findings


def _obsolete_names(out: Extracted) -> list[Finding]:
    findings = []
    for text, place in _texts(out):
        for old, new, since in P.OBSOLETE_NAMES:
            at = text.find(old)
            if at < 0:
                continue
            known = out.year is not None
            if known and out.year < since:     # type: ignore[operator]
                continue
            findings.append(Finding(
                Severity.ERROR if known else Severity.WARNING, "科目名称",
                f"“{old}”是旧的科目名称：{since}年起的政府收支分类科目中为“{new}”。", place(),
                _excerpt(text, at, at + len(old)), hint=f"改为“{new}”。", stated=old, computed=new))
    return findings


def _funds_in(text: str) -> list[str]:
    return [name for name, pattern in P.FUNDS if pattern.search(text)]


def _note_fund(text: str) -> str | None:
    """The fund a “无…” note says the department has none of: 无政府性基金预算财政拨款安排 → 政府性基金预算."""
    m = re.search(r"(?:没有|无)([^,，。;；]{2,40})", text)
    if not m:
        return None
    funds = _funds_in(m.group(1))
    return funds[0] if len(funds) == 1 else None


def _empty_notes(out: Extracted) -> list[Finding]:
    findings = []
    for table in out.report.tables:
        if not table.note:
            continue
        said, own = _note_fund(table.note), _funds_in(table.title)
        if said and len(own) == 1 and said != own[0]:
            findings.append(_empty_finding(table.note, said, own[0], f"“{table.title}”下",
                                           Place(table=table.number, table_label=table.label,
                                                 row_label="表下说明")))
    for paragraph in out.report.paragraphs:
        text = re.sub(r"\s+", "", paragraph.text)
        if not (P.EMPTY_NOTE_MARK.search(text) and re.search(r"没有|无", text)) or len(text) > 80:
            continue
        said = _note_fund(text)
        headings = out.stacks.get(paragraph.number, ())
        own = next((funds for funds in (_funds_in(h) for h in reversed(headings)) if funds), [])
        if said and len(own) == 1 and said != own[0]:
            heading = next(h for h in reversed(headings) if _funds_in(h))
            findings.append(_empty_finding(text, said, own[0], f"“{heading}”中",
                                           Place(paragraph=paragraph.number, line=paragraph.line, page=paragraph.page)))
    return findings


def _empty_finding(text: str, said: str, own: str, where: str, place: Place) -> Finding:
    return Finding(Severity.ERROR, "空表说明",
                   f"这段说明说没有{said}，但它在{where}，说的应是{own}：很可能是从另一张表（另一部分）复制来的说明。",
                   place, text.strip(), hint=f"改为本表（本部分）自己的资金：“……无{own}……”。", stated=said, computed=own)


def _three_public_reasons(out: Extracted) -> list[Finding]:
    findings = []
    items = [f for f in out.facts if not f.from_table and f.concept in THREE_PUBLIC_ITEMS]
    for fact in items:
        change = next((c for c in out.changes_of(fact) if c.kind == "budget"), None)
        if change is None or not (change.sign and (change.amount or change.new)):
            continue
        text = out.normals[fact.paragraph].text    # type: ignore[index]
        later = [f for f in items if f.paragraph == fact.paragraph and f.start > fact.start]
        end = later[0].start if fact.concept in SUB_ITEMS and later else len(text)
        if P.REASON.search(text, fact.end, end):
            continue
        verb = "增加" if change.sign > 0 else "减少"
        findings.append(Finding(
            Severity.ERROR, "三公原因",
            f"{fact.label}比{change.base}{verb}{change.amount_written or ''}，没有说明原因："
            f"财预〔2016〕143号要求“三公”经费逐项说明增减变化的原因。", change.place, change.quote,
            hint=f"在{fact.label}的增减之后写明主要原因，如“主要是由于：……”。"))
    return findings


def _vehicles_split(out: Extracted) -> list[Finding]:
    vehicles = [f for f in out.facts if f.concept == "three_public.vehicles" and f.period == "current"]
    if not vehicles or all(f.value == 0 for f in vehicles):
        return []
    has = {c: any(f.concept == c for f in out.facts) for c in SUB_ITEMS}
    first = next((f for f in vehicles if not f.from_table), vehicles[0])
    if not any(has.values()):
        return [Finding(Severity.ERROR, "公务用车",
                        f"{first.label}（{first.written}）没有分别列出公务用车购置费和公务用车运行维护费"
                        "（正文和“三公”经费表中都没有）。", first.place, _quote(first),
                        hint="分别写出公务用车购置费和公务用车运行维护费的金额（为 0 也写出）及其增减。")]
    missing = [P.BY_ID[c].label for c, present in has.items() if not present]
    if missing:
        return [Finding(Severity.WARNING, "公务用车", f"只列出了公务用车购置及运行维护费的一部分，没有{missing[0]}（为 0 也应写出）。",
                        first.place, _quote(first), hint=f"补写{missing[0]}的金额及其增减。")]
    return []


def _quote(fact: Fact) -> str:
    return f"{fact.subject}{fact.written}"
