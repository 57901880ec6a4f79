"""Every stated figure of a report's text, with its role.

A paragraph is read as a sequence of tokens over its normalised text
(:mod:`budgetdoc.audit.patterns` defines them):

* an **amount** (``176.65万元``) — a :class:`Fact`, named by the words just
  before it back to the last punctuation or figure (its *subject*:
  ``部门预算收入``), which :data:`~budgetdoc.audit.patterns.CONCEPTS` may
  recognise as a figure the arithmetic knows;
* a **change** (``比上年预算数减少28.03万元，下降13.7%``) — a :class:`Change`
  of the amount stated just before it in the same sentence (at the same
  bracket depth); a change that opens a sentence is the paragraph's first
  amount's;
* a **share** (``占比73.54%``、``占政府采购预算总额的70%``) — a
  :class:`ShareStatement` of the amount just before it, of the whole it
  names or else of the figure its list hangs from;
* a **list** opener (``其中：``、``包括：``) — the amounts after it, to the end
  of the sentence or the bracket, are items of the amount just before it.

Headings (by style in a DOCX, by their numbers 第一部分 / 一、 / （一） / 1.
elsewhere) give each paragraph its *section*: what it is about (三公,
政府性基金, 机关运行经费 …), which decides what some words mean
(公务接待费 is a “三公” item only in the “三公” section).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from . import patterns as P
from .findings import Place
from .reader import Paragraph, Report
from .text import Normal, normalise


@dataclass(frozen=True)
class FunctionLine:
    """A 功能分类 line named in the text: its names from 类 down, and the fund it is spent from."""

    names: tuple[str, ...]
    level: int                    # of the last name: 1 类, 2 款, 3 项
    fund: str                     # general, fund, state_capital

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.fund, tuple(function_key(n) for n in self.names))


def function_key(name: str) -> str:
    """A 科目 name as compared with the tables: 一般公共服务 = 一般公共服务支出; NFKC, no spaces or quotes."""
    name = P.QUOTES.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)))
    return name[:-2] if name.endswith("支出") and len(name) > 2 else name


_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})


@dataclass
class Fact:
    """A stated amount, in 万元."""

    id: int
    value: Decimal
    written: str                  # as the report writes it: 176.65万元
    subject: str                  # the cleaned words before it
    concept: str | None
    place: Place
    paragraph: int | None = None
    sentence: int = 0
    depth: int = 0
    sections: frozenset[str] = frozenset()
    head: "Fact | None" = None    # the figure whose list it is an item of
    from_table: bool = False
    period: str = "current"       # current, or last year's budget / actual (tables only)
    function: FunctionLine | None = None
    start: int = 0                # in the normalised paragraph
    end: int = 0

    @property
    def label(self) -> str:
        """The figure's name in messages: the known name of its concept, else its words (brackets full-width)."""
        if self.concept and self.concept in P.BY_ID:
            return P.BY_ID[self.concept].label
        return self.subject.translate(_FULL_WIDTH) if self.subject else "（未标明名称的金额）"


@dataclass
class Change:
    """A 比上年 comparison of a stated amount."""

    subject: Fact | None
    base: str                     # as written: 上年预算数, 2019年预算, 上年执行数, 上年
    kind: str                     # budget or actual
    sign: int                     # +1 增加, -1 减少, 0 持平
    amount: Decimal | None        # 万元, ≥ 0
    amount_written: str
    rate: Decimal | None
    rate_places: int
    rate_sign: int
    rate_less: bool               # 不足0.1%
    rate_written: str
    verb: str
    rate_verb: str
    new: bool
    dropped: bool
    place: Place
    quote: str
    paragraph: int | None
    prior: Decimal | None = None  # last year's amount when the text states it: 比上年预算数（204.68万元）…
    prior_written: str = ""


@dataclass
class ShareStatement:
    part: Fact | None
    part_label: str
    whole: Fact | None
    whole_label: str
    pct: Decimal
    places: int
    less: bool
    place: Place
    quote: str
    paragraph: int | None
    group: tuple                  # shares of one whole, stated together
    whole_concept: str | None = None


@dataclass
class Heading:
    paragraph: Paragraph
    level: int                    # 0 title
    text: str


@dataclass
class Extracted:
    report: Report
    facts: list[Fact] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    shares: list[ShareStatement] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    stacks: dict[int, tuple[str, ...]] = field(default_factory=dict)      # paragraph number → its headings
    year: int | None = None
    year_from: str = ""
    normals: dict[int, Normal] = field(default_factory=dict)
    grids: dict = field(default_factory=dict)          # table number → its Grid (budgetdoc.audit.tables)
    _index: tuple | None = field(default=None, repr=False)

    def _indexed(self) -> tuple:
        """Lookups by concept, by list head and by changed figure; rebuilt when figures were added."""
        if self._index is None or self._index[0] != (len(self.facts), len(self.changes)):
            first: dict[tuple, Fact] = {}
            items: dict[int, list[Fact]] = {}
            changes: dict[int, list[Change]] = {}
            for fact in self.facts:
                first.setdefault((fact.concept, fact.period, fact.from_table), fact)
                if fact.head is not None:
                    items.setdefault(id(fact.head), []).append(fact)
            for change in self.changes:
                if change.subject is not None:
                    changes.setdefault(id(change.subject), []).append(change)
            self._index = ((len(self.facts), len(self.changes)), first, items, changes)
        return self._index

    def first(self, concept: str | None, period: str = "current", text_only: bool = False,
              table_only: bool = False) -> Fact | None:
        """The first figure stated for ``concept`` (in the text, else in a table unless ``text_only``)."""
        index = self._indexed()[1]
        text = None if table_only else index.get((concept, period, False))
        if text is not None or text_only:
            return text
        return index.get((concept, period, True))

    def items_of(self, head: Fact) -> list[Fact]:
        return self._indexed()[2].get(id(head), [])

    def changes_of(self, fact: Fact) -> list[Change]:
        return self._indexed()[3].get(id(fact), [])


def to_wan(number: str, unit: str) -> Decimal:
    value = Decimal(number.replace(",", ""))
    factor = P.UNITS[unit]
    return value / Decimal(10000) if factor is None else value * factor


def places_of(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


# ------------------------------------------------------------------ headings

def heading_level(paragraph: Paragraph, normal: Normal) -> int | None:
    """The heading level of a paragraph (0 for the title), or None for body text."""
    text = normal.text
    if paragraph.style_level is not None:
        return paragraph.style_level
    if len(text) > 50 or text.endswith("。") or P.AMOUNT.search(text):
        return None
    for marker, level in P.HEADING_MARKERS:
        if marker.match(text):
            if level == 4 and (len(text) > 30 or ":" in text):
                return None
            return level
    if paragraph.number <= 3 and P.TITLE_YEAR.search(text) and ("说明" in text or text.endswith("部门预算")):
        return 0
    return None


def _section_kinds(words: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in P.SECTION_KINDS if pattern.search(words))


# ------------------------------------------------------------------ subjects

def clean_subject(text: str) -> str:
    text = P.QUOTES.sub("", text).strip(",;:、")
    previous = None
    while previous != text:
        previous = text
        text = P.SUBJECT_PREFIX.sub("", text)
        text = P.SUBJECT_SUFFIX.sub("", text)
    return text.strip(",;:、")


def function_line(subject: str, sections: frozenset[str], numbered: bool) -> FunctionLine | None:
    """A 功能分类 line: 一般公共服务支出（类）…（项）, or 一般公共服务类, or a numbered …支出 in a uses section."""
    if sections & P.NOT_FUNCTION_SECTIONS:
        return None
    fund = "fund" if "fund" in sections else "state_capital" if "state_capital" in sections else "general"
    marks = list(P.LEVEL_MARK.finditer(subject))
    if marks and marks[-1].end() == len(subject):
        names, start = [], 0
        for mark in marks:
            names.append(re.sub(r"^\d{3,7}", "", subject[start:mark.start()]))
            start = mark.end()
        if all(names):
            return FunctionLine(tuple(names), P.LEVELS[marks[-1].group(1)], fund)
    short = P.CLASS_SHORT.match(subject)
    if short and not P.LEVEL_MARK.search(subject):
        return FunctionLine((short.group("name"),), 1, fund)
    if numbered and "uses" in sections and subject.endswith("支出") and len(subject) >= 4:
        return FunctionLine((re.sub(r"^\d{3,7}", "", subject),), 1, fund)
    return None


def resolve(subject: str, sections: frozenset[str], head: Fact | None = None) -> str | None:
    """The concept a cleaned subject names in this section (and list), or None."""
    if not subject:
        return None
    if head is not None and head.concept in P.LIST_PARTS:
        for pattern, concept in P.LIST_PARTS[head.concept]:
            if pattern.fullmatch(subject):
                return concept
    for concept in P.CONCEPTS:
        if concept.sections is not None and not (sections & set(concept.sections)):
            continue
        if sections & set(concept.not_sections):
            continue
        if concept.pattern.fullmatch(subject):
            return concept.id
    return None


def resolve_whole(words: str) -> str | None:
    words = clean_subject(words)
    for pattern, concept in P.WHOLES:
        if pattern.fullmatch(words):
            return concept
    return None


# ------------------------------------------------------------------ tokens

_STARTS = set("比较同相与和占其主包分") | set("0123456789")
_BOUNDARY = set(",;:()。!?")


@dataclass
class _Token:
    kind: str                 # amount, change, flat, share, intro
    start: int
    end: int
    match: re.Match
    extra: dict = field(default_factory=dict)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char not in _STARTS:
            i += 1
            continue
        token = _token_at(text, i)
        if token is None:
            i += 1
            continue
        tokens.append(token)
        i = token.end
    return tokens


def _token_at(text: str, i: int) -> _Token | None:
    m = P.CHANGE.match(text, i)
    if m and (m.group("num") or m.group("pct")):
        return _change_token(text, m)
    m = P.FLAT.match(text, i)
    if m:
        return _Token("flat", m.start(), m.end(), m)
    m = P.SHARE.match(text, i)
    if m:
        return _Token("share", m.start(), m.end(), m)
    m = P.AMOUNT.match(text, i)
    if m:
        return _Token("amount", m.start(), m.end(), m)
    m = P.LIST_INTRO.match(text, i)
    if m:
        return _Token("intro", m.start(), m.end(), m)
    return None


def _change_token(text: str, m: re.Match) -> _Token:
    extra: dict = {}
    end = m.end()
    if m.group("num"):
        rate = P.RATE_AFTER.match(text, end)
        if rate:
            extra["rate"] = rate
            end = rate.end()
    new = P.NEW_AFTER.match(text, end)
    if new:
        extra["new"] = new
        end = new.end()
    dropped = P.DROPPED_AFTER.match(text, end)
    if dropped:
        extra["dropped"] = dropped
        end = dropped.end()
    return _Token("change", m.start(), end, m, extra)


# ------------------------------------------------------------------ the walk

def extract(report: Report) -> Extracted:
    out = Extracted(report)
    stack: list[tuple[int, str]] = []
    carried: Fact | None = None          # a figure whose list runs on in the numbered paragraphs below
    for paragraph in report.paragraphs:
        normal = normalise(paragraph.text)
        out.normals[paragraph.number] = normal
        level = heading_level(paragraph, normal)
        if level is not None:
            out.headings.append(Heading(paragraph, level, normal.text))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, normal.text))
            out.stacks[paragraph.number] = tuple(text for _, text in stack)
            carried = None
            continue
        kinds = _section_kinds("".join(text for _, text in stack))
        out.stacks[paragraph.number] = tuple(text for _, text in stack)
        if "glossary" in kinds:
            continue
        numbered = bool(P.NUMBERED.match(normal.text))
        carried = carried if numbered else None
        opened = _read_paragraph(out, paragraph, normal, kinds, carried)
        carried = opened or carried
    for share in out.shares:                  # a whole named after 占 may be stated later in the report
        if share.whole is None and share.whole_concept:
            share.whole = out.first(share.whole_concept, text_only=True)
            if share.whole is not None:
                share.whole_label = share.whole.label
    out.year, out.year_from = report_year(out)
    return out


def report_year(out: Extracted) -> tuple[int | None, str]:
    """The year the report is for: its title's, else the one most of its headings name."""
    for heading in out.headings:
        if heading.level == 0:
            m = P.TITLE_YEAR.search(heading.text)
            if m:
                title = re.sub(r"\s+", "", heading.paragraph.text)
                return int(m.group("year")), f"标题“{title}”"
    counts: dict[int, int] = {}
    for heading in out.headings:
        for m in P.HEADING_YEAR.finditer(heading.text):
            counts[int(m.group("year"))] = counts.get(int(m.group("year")), 0) + 1
    if counts:
        year = max(counts, key=lambda y: (counts[y], y))
        return year, f"各级标题中最常出现的年份，{counts[year]} 处"
    for paragraph in out.report.paragraphs[:60]:
        m = re.search(r"纳入((?:19|20)\d\d)年(?:度)?部门预算", paragraph.text)
        if m:
            return int(m.group(1)), f"第{paragraph.number}段“{m.group(0)}”"
    return None, ""


def place_in(paragraph: Paragraph, normal: Normal, start: int) -> Place:
    page = paragraph.page_at(normal.source_offset(start)) if paragraph.page is not None else None
    return Place(paragraph=paragraph.number, line=paragraph.line, page=page)


def _read_paragraph(out: Extracted, paragraph: Paragraph, normal: Normal, kinds: frozenset[str],
                    carried: Fact | None = None) -> Fact | None:
    """Read one paragraph's figures into ``out``.

    ``carried``: the figure a list above runs on from (this paragraph is one
    of its numbered items: its first figure is an item of it).  Returns the
    figure whose list this paragraph opens at its end (…主要用于：), if any.
    """
    text = normal.text
    numbered = bool(re.match(r"^(?:\d{1,2}[.、](?!\d)|\(\d{1,2}\))", text))
    tokens = _tokens(text)
    depth = 0
    sentence = 0
    last: dict[int, Fact] = {}          # the last amount at each bracket depth, in this sentence
    lists: dict[int, Fact] = {}         # the open list at each depth: its head
    topic: Fact | None = None           # the paragraph's first amount
    boundary = 0                        # where the words of the next subject start
    position = 0
    token_index = 0

    inner = word_brackets(text)

    def subject_before(start: int) -> str:
        cut = boundary
        for k in range(start - 1, boundary - 1, -1):
            if text[k] in _BOUNDARY and k not in inner:
                cut = k + 1
                break
        return text[cut:start]

    while position < len(text) or token_index < len(tokens):
        next_token = tokens[token_index] if token_index < len(tokens) else None
        stop = next_token.start if next_token else len(text)
        # punctuation between tokens: brackets and sentence ends
        for k in range(position, stop):
            char = text[k]
            if k in inner:
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                lists.pop(depth, None)
                last.pop(depth, None)
                depth = max(0, depth - 1)
            elif char in "。!?":
                sentence += 1
                last.clear()
                lists.clear()
                depth = 0
        if next_token is None:
            break
        token = next_token
        token_index += 1
        position = token.end
        raw_subject = subject_before(token.start)
        if token.kind == "amount":
            m = token.match
            head = lists.get(depth)
            if head is None and carried is not None and topic is None and depth == 0:
                head = carried
            subject = clean_subject(raw_subject)
            function = function_line(subject, kinds, numbered and topic is None)
            concept = None
            if function is None:
                concept = resolve(subject, kinds, head)
            fact = Fact(len(out.facts), to_wan(m.group("num"), m.group("unit")), normal.quote(m.start(), m.end()),
                        subject, concept, place_in(paragraph, normal, m.start()), paragraph.number, sentence,
                        depth, kinds, head, function=function, start=token.start, end=token.end)
            if function is not None:
                fact.concept = "fn:" + function.fund + ":" + "/".join(function.key[1])
            out.facts.append(fact)
            last[depth] = fact
            if topic is None:
                topic = fact
        elif token.kind == "intro":
            head = last.get(depth) or (last.get(depth - 1) if depth > 0 else None)
            if head is None and not last:
                head = topic
            if head is not None:
                lists[depth] = head
        elif token.kind in ("change", "flat"):
            subject_fact = _explicit(out, clean_subject(raw_subject), kinds) or last.get(depth) or (
                topic if not last else None)
            out.changes.append(_change(token, subject_fact, paragraph, normal))
        elif token.kind == "share":
            explicit = clean_subject(raw_subject)
            part = _explicit(out, explicit, kinds) if explicit else None
            if part is None and not explicit:
                part = last.get(depth)
            m = token.match
            whole_words = m.group("whole") or ""
            whole: Fact | None = None
            concept = None
            if whole_words:
                concept = resolve_whole(whole_words)
                whole = out.first(concept, text_only=True) if concept else None
            elif part is not None:
                whole = part.head or (topic if topic is not part else None)
            else:
                concept = resolve_whole(_sentence_head(text, token.start))
                whole = out.first(concept, text_only=True) if concept else None
            pct = Decimal(m.group("pct").replace(",", ""))
            group = (paragraph.number, concept or (whole.id if whole is not None else clean_subject(whole_words)) or "?")
            out.shares.append(ShareStatement(
                part, part.label if part else (explicit or "？"), whole,
                whole.label if whole else (clean_subject(whole_words) if whole_words else
                                           (P.BY_ID[concept].label if concept in P.BY_ID else "")),
                pct, places_of(m.group("pct")), bool(m.group("less")), place_in(paragraph, normal, token.start),
                _quote_clause(normal, part, token), paragraph.number, group, concept))
        boundary = token.end
    if P.LIST_ENDING.search(text.rstrip("。")) and topic is not None:
        return lists.get(0) or last.get(0) or topic
    return None


def _sentence_head(text: str, start: int) -> str:
    """The words that open the sentence holding ``start``, up to its first comma: 部门预算支出中 → 部门预算支出."""
    begin = max(text.rfind(mark, 0, start) for mark in "。!?") + 1
    head = re.split(r"[,;:]", text[begin:start], maxsplit=1)[0]
    return re.sub(r"(?:中|里|当中)$", "", head) if head != text[begin:start] else ""


def word_brackets(text: str) -> set[int]:
    """Positions of brackets that belong to a name, not to the sentence: 因公出国(境)费, 支出(类), 台(套).

    A pair of brackets around at most eight characters, none of them a digit
    or a punctuation mark, is part of the words around it; any other bracket
    opens a clause (其中：…) the sentence reads around.
    """
    inside: set[int] = set()
    for m in re.finditer(r"\(([^()\d,;:。!?%]{1,8})\)", text):
        inside.update((m.start(), m.end() - 1))
    return inside


def _explicit(out: Extracted, subject: str, kinds: frozenset[str]) -> Fact | None:
    """The figure a clause names itself (支出预算比上年减少…), when it is one the report states."""
    if not subject or subject in ("本年预算", "本年", "预算", "本年预算数"):
        return None
    concept = resolve(subject, kinds)
    return out.first(concept) if concept else None


def _quote_clause(normal: Normal, subject: Fact | None, token: _Token) -> str:
    """The words of the report from the figure to the end of the token: 项目支出46.74万元，占比26.46%."""
    start = subject.start if subject is not None and subject.paragraph is not None and \
        subject.start < token.start and token.start - subject.end < 80 else token.start
    text = normal.text
    begin = start
    while begin > 0 and text[begin - 1] not in _BOUNDARY and start - begin < 30:
        begin -= 1
    return normal.quote(begin, token.end)


def _change(token: _Token, subject: Fact | None, paragraph: Paragraph, normal: Normal) -> Change:
    m = token.match
    base = (m.group("base") if token.kind == "flat" else (m.group("base") or m.group("base2"))) or "上年"
    kind = "actual" if P.ACTUAL_BASE.search(base) else "budget"
    quote = _quote_clause(normal, subject, token)
    place = place_in(paragraph, normal, token.start)
    if token.kind == "flat":
        return Change(subject, base, kind, 0, Decimal(0), "", None, 0, 0, False, "", m.group("flat"), "",
                      False, False, place, quote, paragraph.number)
    verb = m.group("verb")
    sign = P.direction(verb)
    amount = to_wan(m.group("num"), m.group("unit")) if m.group("num") else None
    amount_written = normal.quote(m.start("num"), m.end("unit")) if m.group("num") else ""
    rate_value: Decimal | None = None
    rate_places = rate_sign = 0
    less = False
    rate_written = rate_verb = ""
    if m.group("pct"):
        rate_value = Decimal(m.group("pct").replace(",", ""))
        rate_places, rate_sign, less = places_of(m.group("pct")), sign, bool(m.group("less"))
        rate_written, rate_verb = normal.quote(m.start("verb"), m.end()), verb
    elif "rate" in token.extra:
        r = token.extra["rate"]
        rate_value = Decimal(r.group("pct").replace(",", ""))
        rate_places, less = places_of(r.group("pct")), bool(r.group("less"))
        rate_verb = r.group("rverb")
        rate_sign = P.direction(rate_verb)
        rate_written = normal.quote(r.start("rverb"), r.end())
    prior = prior_written = None
    for number, unit in (("prior", "punit"), ("prior2", "punit2"), ("prior3", "punit3")):
        if m.group(number):
            prior = to_wan(m.group(number), m.group(unit))
            prior_written = normal.quote(m.start(number), m.end(unit))
    return Change(subject, base, kind, sign, amount, amount_written, rate_value, rate_places, rate_sign, less,
                  rate_written, verb, rate_verb, "new" in token.extra, "dropped" in token.extra, place, quote,
                  paragraph.number, prior, prior_written or "")
