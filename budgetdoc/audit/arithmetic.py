"""Recompute every stated figure from the others stated in the same report.

The precision rule: a rate or share is right when the exact value, rounded
half-up to as many decimals as the report writes *for that figure*, is what
the report writes (13.7% for 13.69…% is right; 7% for 7.14% is right at
whole percent).  A figure written with fewer decimals than the report's other
figures of its kind gets one line of 提示 when the extra decimal would show
(7% where the others have one decimal: 7.1%).  Amounts are exact: 万元 to
0.01, whatever number of decimals the text shows (38.1 is 38.10).

Rules (names as printed; ``docs/audit.md`` has an example of each):

* [增长率] rate = change ÷ last year's amount, last year's amount being this
  year's minus an increase (plus a decrease);
* [增减方向] 增加 with 下降, 本年未安排 for an amount that is not zero,
  上年无此项预算 when last year's amount is not zero;
* [占比] share = part ÷ whole; [占比合计] the shares of one whole add up to
  100% (at their precision);
* [合计] the listed items add up to their total (其中 lists of known parts, and
  基本 + 项目 = 支出, 人员 + 公用 = 基本, the “三公” items …); [合计误标] a part
  that equals its whole, where the parts say otherwise;
* [前后不一] a figure stated twice agrees with itself; [与公开表不符] with the
  tables, amounts and 比上年 changes both;
* [上年数] (警告) last year's amounts as the changes imply them must add up too;
* [精度] (提示) see above.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, localcontext

from . import patterns as P
from .extract import Change, Extracted, Fact, ShareStatement
from .findings import Basis, Finding, Place, Severity, plain, shown
from ..checks.content import PLACEHOLDER
from ..number import HUNDRED, ZERO, apportion_percent, quantize

PLACES_WORDS = {0: "整数", 1: "一位小数", 2: "两位小数", 3: "三位小数"}


def percent(part: Decimal, whole: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return part * HUNDRED / whole


def rounds_to(exact: Decimal, stated: Decimal, places: int, less: bool = False) -> bool:
    """The precision rule: ``exact`` written at ``places`` decimals is ``stated`` (不足 X%: 0 < exact < X)."""
    if less:
        return ZERO < abs(exact) < stated
    return quantize(exact, places) == stated


def fact_basis(fact: Fact, label: str | None = None) -> Basis:
    return Basis(label or fact.label, fact.value, fact.place)


@dataclass
class _Failure:
    """A list or composition that does not add up, kept until the mislabel diagnosis has seen it."""

    whole: Fact
    parts: list[Fact]
    exhaustive: bool
    finding: Finding


def check_arithmetic(out: Extracted) -> list[Finding]:
    findings: list[Finding] = []
    failures = _sums(out)
    mislabels, explained = _mislabels(out, failures)
    findings += mislabels
    findings += [f.finding for f in failures if id(f) not in explained]
    wrong = {f.place for f in mislabels}
    findings += _repeated(out, wrong)
    findings += _changes(out)
    findings += _shares(out, mislabelled=wrong)
    findings += _prior_sums(out)
    findings += _precision(out)
    return findings


# ------------------------------------------------------------------ sums

def _sum(values) -> Decimal:
    return sum(values, ZERO)


def _listing(facts: list[Fact]) -> str:
    return " + ".join(f"{f.label} {plain(f.value)}" for f in facts)


def _sum_finding(whole: Fact, parts: list[Fact], exhaustive: bool) -> Finding:
    summed = _sum(f.value for f in parts)
    gap = plain(abs(whole.value - summed))
    if exhaustive:
        message = (f"{whole.label} {plain(whole.value)} 万元 ≠ 各项之和 {plain(summed)} 万元"
                   f"（{_listing(parts)}），相差 {gap} 万元。")
        hint = f"核对{whole.label}和它的各组成部分：{whole.label}应等于各项之和。"
    else:
        message = (f"{whole.label} {plain(whole.value)} 万元之下“其中”所列各项之和为 {plain(summed)} 万元"
                   f"（{_listing(parts)}），大于{whole.label}本身，相差 {gap} 万元。")
        hint = "“其中”所列是合计的一部分，各项之和不能大于合计：核对各项金额和合计。"
    return Finding(Severity.ERROR, "合计", message, whole.place, _quote_of(whole),
                   tuple(fact_basis(f) for f in [whole] + parts), hint, plain(whole.value), plain(summed))


def _quote_of(fact: Fact) -> str:
    return f"{fact.subject}{fact.written}" if not fact.from_table else fact.written


def _sums(out: Extracted) -> list[_Failure]:
    failures: list[_Failure] = []
    done: set[str] = set()
    text_facts = [f for f in out.facts if not f.from_table]
    for head in text_facts:
        items = out.items_of(head)
        if not items or _has_placeholder(out, head):     # an item left as ××万元 is missing from the sum
            continue
        composition = P.COMPOSITION_OF.get(head.concept or "")
        exhaustive = composition is not None and all(f.concept in composition.parts for f in items)
        summed = _sum(f.value for f in items)
        if exhaustive:
            done.add(head.concept)  # type: ignore[arg-type]
            if summed != head.value:
                failures.append(_Failure(head, items, True, _sum_finding(head, items, True)))
        elif summed > head.value:
            failures.append(_Failure(head, items, False, _sum_finding(head, items, False)))
    for composition in P.COMPOSITIONS:
        if composition.required is None or composition.whole in done:
            continue
        whole = out.first(composition.whole, text_only=True)
        parts = [out.first(p, text_only=True) for p in composition.parts]
        present = [p for p in parts if p is not None]
        if whole is None or any(out.first(r, text_only=True) is None for r in composition.required):
            continue
        if _sum(p.value for p in present) != whole.value:
            failures.append(_Failure(whole, present, True, _sum_finding(whole, present, True)))
    return failures


def _has_placeholder(out: Extracted, fact: Fact) -> bool:
    """The fact's paragraph still has a placeholder ([占位符] says so): its lists cannot be added up."""
    text = out.normals[fact.paragraph].source if fact.paragraph in out.normals else ""
    return bool(PLACEHOLDER.search(text) or P.EXTRA_PLACEHOLDERS.search(text))


def _mislabels(out: Extracted, failures: list[_Failure]) -> tuple[list[Finding], set[int]]:
    """A part that equals its whole while the other parts are not zero: a total written under a part's name.

    The part's own parts (人员经费 + 公用经费 for 基本支出) say what it should
    be; when they do, the sums it breaks are explained by it and not reported
    again.
    """
    findings: list[Finding] = []
    explained: set[int] = set()
    by_whole = {id(f.whole): f for f in failures}
    for failure in failures:
        whole = failure.whole
        for part in failure.parts:
            others = [p for p in failure.parts if p is not part]
            if part.value != whole.value or _sum(p.value for p in others) == ZERO:
                continue
            own = by_whole.get(id(part))
            listed = out.items_of(part)
            if own is None and listed and _sum(p.value for p in listed) == part.value:
                continue                      # the part adds up from its own items: it is the whole that is wrong
            should = _sum(p.value for p in own.parts) if own and own.exhaustive else whole.value - _sum(
                p.value for p in others)
            if own is not None and own.exhaustive:
                explained.add(id(own))
                reason = f"按{_listing(own.parts)}，{part.label}应为 {plain(should)} 万元"
                basis = [fact_basis(part), fact_basis(whole)] + [fact_basis(p) for p in own.parts]
            else:
                reason = f"按{whole.label}减去其余各项（{_listing(others)}），{part.label}应为 {plain(should)} 万元"
                basis = [fact_basis(part), fact_basis(whole)] + [fact_basis(p) for p in others]
            if should + _sum(p.value for p in others) != whole.value:
                continue
            explained.add(id(failure))
            findings.append(Finding(
                Severity.ERROR, "合计误标",
                f"{part.label}写作 {plain(part.value)} 万元，与{whole.label} {plain(whole.value)} 万元相同；"
                f"{reason}，再加上{_listing(others)}，正好是{whole.label} {plain(whole.value)}："
                f"很可能把{whole.label}的合计写成了{part.label}。",
                part.place, _quote_of(part), tuple(basis),
                f"把{part.label}改为 {plain(should)} 万元（并重算它的占比）。", plain(part.value), plain(should)))
    return findings, explained


# ------------------------------------------------------------------ twice

def _repeated(out: Extracted, mislabelled: set[Place]) -> list[Finding]:
    """A figure stated twice: the same known figure anywhere, or the same words twice under one heading."""
    findings: list[Finding] = []
    groups: dict[tuple, list[Fact]] = {}
    for fact in out.facts:
        if fact.concept:
            groups.setdefault((fact.concept, fact.period), []).append(fact)
        elif len(fact.subject) >= 3 and fact.paragraph is not None:
            groups.setdefault(("words", out.stacks.get(fact.paragraph, ()), fact.subject), []).append(fact)
    for key, facts in groups.items():
        if key[0] == "words":
            findings += _repeated_words(facts)
            continue
        text = [f for f in facts if not f.from_table]
        tables = [f for f in facts if f.from_table]
        reference = text[0] if text else None
        if reference is None or reference.place in mislabelled:
            continue
        for other in text[1:]:
            if other.value != reference.value:
                findings.append(Finding(
                    Severity.ERROR, "前后不一",
                    f"{reference.label}在{reference.place.short}写作 {plain(reference.value)} 万元，"
                    f"在{other.place.short}写作 {plain(other.value)} 万元，前后不一致，相差 "
                    f"{plain(abs(reference.value - other.value))} 万元。", other.place, _quote_of(other),
                    (fact_basis(reference), fact_basis(other)), f"核对{reference.label}，两处写成同一个数。",
                    plain(other.value), plain(reference.value)))
        for table_fact in tables:
            if table_fact.value != reference.value:
                findings.append(Finding(
                    Severity.ERROR, "与公开表不符",
                    f"{reference.label}在正文中写作 {plain(reference.value)} 万元，{table_fact.place.cell}"
                    f"为 {plain(table_fact.value)} 万元，相差 {plain(abs(reference.value - table_fact.value))} 万元。",
                    reference.place, _quote_of(reference), (fact_basis(reference), fact_basis(table_fact)),
                    "正文和公开表应是同一个数：核对哪一处写错了。", plain(reference.value), plain(table_fact.value)))
    return findings


def _repeated_words(facts: list[Fact]) -> list[Finding]:
    """The same words with two amounts under one heading: likely one figure typed twice (a 警告: it may be two things)."""
    first = facts[0]
    return [Finding(
        Severity.WARNING, "前后不一",
        f"同一部分中“{first.label}”在{first.place.short}写作 {plain(first.value)} 万元，在{other.place.short}写作 "
        f"{plain(other.value)} 万元：若是同一个数，前后不一致。", other.place, _quote_of(other),
        (fact_basis(first), fact_basis(other)), "是同一项就改为同一个数；是两项不同的支出，可在文字上区分。",
        plain(other.value), plain(first.value)) for other in facts[1:] if other.value != first.value]


# ------------------------------------------------------------------ changes

def _prior(change: Change) -> Decimal | None:
    if change.subject is None or change.amount is None:
        return None
    return change.subject.value - change.sign * change.amount


def _changes(out: Extracted) -> list[Finding]:
    findings: list[Finding] = []
    for change in out.changes:
        subject = change.subject
        if subject is None:
            continue
        findings += _direction(change, subject)
        findings += _rate(out, change, subject)
        findings += _against_table(out, change, subject)
    return findings


def _direction(change: Change, subject: Fact) -> list[Finding]:
    out: list[Finding] = []
    prior = _prior(change)
    if change.prior is not None and prior is not None and prior != change.prior:
        op = "−" if change.sign > 0 else "+"
        out.append(Finding(
            Severity.ERROR, "前后不一",
            f"文中写{subject.label}上年为 {plain(change.prior)} 万元，但按本年 {plain(subject.value)} 万元{change.verb} "
            f"{plain(change.amount)} 万元推算，上年为 {plain(prior)} 万元（{plain(subject.value)} {op} "   # type: ignore[arg-type]
            f"{plain(change.amount)}），相差 {plain(abs(prior - change.prior))} 万元。", change.place, change.quote,  # type: ignore[arg-type]
            (fact_basis(subject, f"{subject.label}（本年）"), Basis(f"{change.base}", change.prior, change.place)),
            "本年数 − 上年数应等于文中的增减额：核对上年数、本年数和增减额。", plain(change.prior), plain(prior)))
    if change.rate is not None and change.amount and change.rate and change.rate_sign != change.sign:
        out.append(Finding(
            Severity.ERROR, "增减方向",
            f"{subject.label}比{change.base}“{change.verb}{change.amount_written}”，增长率却写作“{change.rate_written}”："
            f"同一处比较，一处说增加、一处说减少。", change.place, change.quote, (fact_basis(subject),),
            "按本年数和上年数判断是增加还是减少，把两处改为一致。", change.rate_written, change.verb))
    if change.dropped and subject.value != ZERO:
        out.append(Finding(
            Severity.ERROR, "增减方向",
            f"写“本年未安排”，但{subject.label}本年为 {plain(subject.value)} 万元，不是 0。", change.place, change.quote,
            (fact_basis(subject),), "本年有预算时不能写“本年未安排”：写出比上年的增减额和增减幅度。"))
    if change.new and prior is not None and prior != ZERO:
        out.append(Finding(
            Severity.ERROR, "增减方向",
            f"写“上年无此项”，但按{subject.label}本年 {plain(subject.value)} 万元、{change.verb} "
            f"{plain(change.amount)} 万元推算，上年为 {plain(prior)} 万元，不是 0。",   # type: ignore[arg-type]
            change.place, change.quote, (fact_basis(subject),),
            "上年确实没有这一项时，增加额应等于本年数；否则删去“上年无此项”。", plain(prior), "0"))
    if prior is not None and prior < ZERO:
        out.append(Finding(
            Severity.ERROR, "增减方向",
            f"{subject.label}本年 {plain(subject.value)} 万元，比{change.base}增加 {plain(change.amount)} 万元，"   # type: ignore[arg-type]
            f"推算上年为 {plain(prior)} 万元（负数）：增加额不能大于本年数。", change.place, change.quote,
            (fact_basis(subject),), "核对增加额：可能是减少写成了增加，或数字写错。", plain(change.amount), ""))  # type: ignore[arg-type]
    return out


def _rate(out: Extracted, change: Change, subject: Fact) -> list[Finding]:
    if change.rate is None:
        return []
    amount, prior = change.amount, _prior(change)
    if amount is None:            # 比上年增长13.7% without the amount: last year's figure as stated, or from a table
        table = _table_prior(out, subject, change.kind)
        stated = change.prior if change.prior is not None else table.value if table is not None else None
        if stated is None:
            return []
        prior, amount = stated, abs(subject.value - stated)
    if prior is None or prior < ZERO:
        return []
    if prior == ZERO:
        if amount == ZERO and change.rate == ZERO:      # 0 万元，比上年增加0万元，增长0%: nothing moved
            return []
        return [Finding(
            Severity.ERROR, "增长率",
            f"{subject.label}上年为 0（本年 {plain(subject.value)} 万元，{change.verb} {plain(amount)} 万元），"
            f"增长率无法计算，文中却写“{change.rate_written}”。", change.place, change.quote, (fact_basis(subject),),
            "上年为 0 时不写增长率，写“上年无此项预算”。", change.rate_written, "")]
    exact = percent(amount, prior)
    if rounds_to(exact, change.rate, change.rate_places, change.rate_less):
        return []
    expected = shown(exact, change.rate_places)
    op = "−" if change.sign > 0 else "+"
    message = (f"{subject.label}比{change.base}{change.verb} {plain(amount)} 万元，增长率写作“{change.rate_written}”，"
               f"但 {plain(amount)} ÷ 上年 {plain(prior)}（本年 {plain(subject.value)} {op} {plain(amount)}）"
               f"= {shown(exact, 4)}%，保留{PLACES_WORDS.get(change.rate_places, f'{change.rate_places}位小数')}"
               f"应为 {expected}%。")
    diagnosis = _rate_diagnosis(out, change, subject, amount, prior)
    return [Finding(Severity.ERROR, "增长率", message + diagnosis, change.place, change.quote,
                    (fact_basis(subject, f"{subject.label}（本年）"),
                     Basis(f"比{change.base}{change.verb}", amount, change.place)),
                    "增长率 = 增减额 ÷ 上年数 × 100%；上年数 = 本年数 − 增加额（或 + 减少额）。",
                    f"{change.rate}%", f"{expected}%")]


def _rate_diagnosis(out: Extracted, change: Change, subject: Fact, amount: Decimal, prior: Decimal) -> str:
    places, stated = change.rate_places, change.rate
    if subject.value and rounds_to(percent(amount, subject.value), stated, places):   # type: ignore[arg-type]
        return (f"文中的 {stated}% 是 {plain(amount)} ÷ 本年 {plain(subject.value)} 算出的："
                f"增长率应除以上年数 {plain(prior)}，不是本年数。")
    flipped = subject.value + change.sign * amount
    if flipped > ZERO and rounds_to(percent(amount, flipped), stated, places):   # type: ignore[arg-type]
        wrong, right = ("增加", "减少") if change.sign > 0 else ("减少", "增加")
        return (f"若是{right}，上年为 {plain(flipped)}，{plain(amount)} ÷ {plain(flipped)} 正好是 {stated}%："
                f"文中的“{wrong}”可能应为“{right}”。")
    for other in out.changes:
        if other is change or other.subject is not subject or other.amount is None or other.kind == change.kind:
            continue
        other_prior = _prior(other)
        if other_prior and other_prior > ZERO and rounds_to(percent(amount, other_prior), stated, places):   # type: ignore[arg-type]
            return f"文中的 {stated}% 是按{other.base} {plain(other_prior)} 算出的，与所写的比较基数{change.base}不符。"
    return ""


def _table_prior(out: Extracted, subject: Fact, kind: str) -> Fact | None:
    if subject.concept is None:
        return None
    return out.first(subject.concept, kind, table_only=True)


def _against_table(out: Extracted, change: Change, subject: Fact) -> list[Finding]:
    table = _table_prior(out, subject, change.kind)
    if table is None or subject.from_table or change.amount is None:
        return []
    current = out.first(subject.concept, table_only=True) or subject
    if current.value != subject.value:       # the amounts differ already: [与公开表不符] says so once
        return []
    difference = current.value - table.value
    stated = change.sign * change.amount
    if difference == stated:
        return []
    actual = "增加" if difference > 0 else "减少" if difference < 0 else "持平"
    said = f"{change.verb} {plain(change.amount)} 万元" if change.sign else "持平"
    return [Finding(
        Severity.ERROR, "与公开表不符",
        f"正文说{subject.label}比{change.base}{said}；{table.place.cell}为 {plain(table.value)} 万元、"
        f"本年为 {plain(current.value)} 万元，是{actual}"
        f"{'' if difference == 0 else ' ' + plain(abs(difference)) + ' 万元'}。",
        change.place, change.quote, (fact_basis(subject), fact_basis(table, f"{table.label}（{change.base}）")),
        "正文的增减额应等于公开表中本年数与上年数之差：核对哪一处写错了。", plain(stated), plain(difference))]


# ------------------------------------------------------------------ shares

def _group_of(out: Extracted, share: ShareStatement) -> list[ShareStatement]:
    return [s for s in out.shares if s.group == share.group and s.paragraph == share.paragraph]


def _shares(out: Extracted, mislabelled: set[Place]) -> list[Finding]:
    findings: list[Finding] = []
    wrong_groups: set[tuple] = set()
    for share in out.shares:
        part, whole = share.part, share.whole
        if part is None or whole is None:
            continue
        if part.place in mislabelled:        # its share is wrong because the part is: said once, by [合计误标]
            wrong_groups.add(share.group)
            continue
        if whole.value == ZERO:
            if share.pct == ZERO:
                continue
            findings.append(Finding(Severity.ERROR, "占比", f"{whole.label}为 0，{part.label}的占比无法计算，"
                                    f"文中却写 {share.pct}%。", share.place, share.quote,
                                    (fact_basis(part), fact_basis(whole)), "合计为 0 时占比写 0%。"))
            continue
        exact = percent(part.value, whole.value)
        if rounds_to(exact, share.pct, share.places, share.less) or _apportioned(out, share, exact):
            continue
        wrong_groups.add(share.group)
        expected = shown(exact, share.places)
        message = (f"{part.label}占{whole.label}的比例写作 {share.pct}%，但 {plain(part.value)} ÷ {plain(whole.value)}"
                   f" = {shown(exact, 4)}%，保留{PLACES_WORDS.get(share.places, f'{share.places}位小数')}应为 {expected}%。")
        message += _share_diagnosis(out, share, part, whole)
        findings.append(Finding(Severity.ERROR, "占比", message, share.place, share.quote,
                                (fact_basis(part), fact_basis(whole)), "占比 = 该项 ÷ 合计 × 100%，四舍五入。",
                                f"{share.pct}%", f"{expected}%"))
    findings += _share_sums(out, wrong_groups)
    return findings


def _apportioned(out: Extracted, share: ShareStatement, exact: Decimal) -> bool:
    """A share rounded the other way so that the shares of one whole add up to exactly 100% (最大余数法).

    When the shares' parts are all the parts of the whole, the shares are
    apportioned as budgetdoc does (:func:`budgetdoc.number.apportion_percent`)
    and the share must be its apportioned value; otherwise a share one unit
    off its rounding is accepted when the stated shares add up to exactly 100%.
    """
    group = _group_of(out, share)
    if len(group) < 2:
        return False
    if share.whole is not None and _covers(out, share.whole, group):
        parts = [s.part.value for s in group]                    # type: ignore[union-attr]
        shares = apportion_percent(parts, share.places)
        return shares is not None and shares[group.index(share)] == share.pct
    if _sum(s.pct for s in group) != HUNDRED:
        return False
    unit = Decimal(1).scaleb(-share.places)
    floor = exact.quantize(unit, rounding="ROUND_FLOOR")
    return share.pct in (floor, floor + unit)


def _share_diagnosis(out: Extracted, share: ShareStatement, part: Fact, whole: Fact) -> str:
    for other in out.facts:
        if other.from_table or other.concept is None or other is whole or other is part or other.value in (
                ZERO, whole.value) or other.value < part.value:
            continue
        if rounds_to(percent(part.value, other.value), share.pct, share.places):
            return f"文中的 {share.pct}% 是 {plain(part.value)} ÷ {other.label} {plain(other.value)} 算出的，分母用错了。"
    with localcontext() as ctx:
        ctx.prec = 40
        implied = whole.value * share.pct / HUNDRED
    return f"若占比无误，{part.label}应约为 {plain(implied)} 万元。"


def _share_sums(out: Extracted, wrong_groups: set[tuple]) -> list[Finding]:
    findings: list[Finding] = []
    groups: dict[tuple, list[ShareStatement]] = {}
    for share in out.shares:
        groups.setdefault(share.group, []).append(share)
    for key, shares in groups.items():
        if len(shares) < 2 or key in wrong_groups:
            continue
        total = _sum(s.pct for s in shares)
        places = max(s.places for s in shares)
        slack = Decimal(len(shares)) * Decimal(5).scaleb(-places - 1)
        whole = shares[0].whole
        covered = whole is not None and _covers(out, whole, shares)
        named = shares[0].whole_label
        if total <= HUNDRED + slack and not (covered and total < HUNDRED - slack):
            continue
        listing = " + ".join(f"{s.part_label} {s.pct}%" for s in shares)
        name = whole.label if whole is not None else (named or "同一合计")
        if total > HUNDRED:
            message = f"{name}的各项占比之和为 {shown(total, places)}%（{listing}），超过 100%。"
        else:
            message = f"{name}的各项占比之和为 {shown(total, places)}%（{listing}），而这些项目就是{name}的全部，应为 100%。"
        findings.append(Finding(Severity.ERROR, "占比合计", message, shares[0].place, shares[0].quote,
                                tuple(Basis(s.part_label, s.pct, s.place, "%", f"{s.pct}%") for s in shares),
                                "同一合计的各项占比相加应为 100%（四舍五入的误差最多每项半个末位）：核对各项占比。",
                                f"{shown(total, places)}%", "100%"))
    return findings


def _covers(out: Extracted, whole: Fact, shares: list[ShareStatement]) -> bool:
    """The shares' parts are the whole's complete list of known parts."""
    composition = P.COMPOSITION_OF.get(whole.concept or "")
    items = out.items_of(whole)
    parts = [s.part for s in shares]
    return (composition is not None and bool(items) and all(i.concept in composition.parts for i in items)
            and all(p is not None for p in parts) and {id(i) for i in items} == {id(p) for p in parts}
            and _sum(i.value for i in items) == whole.value)


# ------------------------------------------------------------------ last year

def _changes_of(out: Extracted, fact: Fact, kind: str) -> Change | None:
    return next((c for c in out.changes_of(fact) if c.kind == kind and c.amount is not None), None)


def _prior_sums(out: Extracted) -> list[Finding]:
    """Last year's amounts implied by the 比上年 changes must add up as this year's do."""
    findings: list[Finding] = []
    year = f"{out.year - 1}年" if out.year else "上年"
    groups: list[tuple[Fact, list[Fact]]] = []
    text_facts = [f for f in out.facts if not f.from_table]
    for head in text_facts:
        items = out.items_of(head)
        composition = P.COMPOSITION_OF.get(head.concept or "")
        if items and composition and all(i.concept in composition.parts for i in items) and \
                _sum(i.value for i in items) == head.value:
            groups.append((head, items))
    listed = {id(h) for h, _ in groups}
    for composition in P.COMPOSITIONS:
        whole = out.first(composition.whole, text_only=True)
        if whole is None or id(whole) in listed or composition.required is None:
            continue
        parts = [p for p in (out.first(c, text_only=True) for c in composition.parts) if p is not None]
        if all(out.first(r, text_only=True) for r in composition.required) and \
                _sum(p.value for p in parts) == whole.value:
            groups.append((whole, parts))
    for kind in ("budget", "actual"):
        for whole, parts in groups:
            changes = [_changes_of(out, f, kind) for f in [whole] + parts]
            if any(c is None for c in changes):
                continue
            priors = [_prior(c) for c in changes]   # type: ignore[arg-type]
            if priors[0] != _sum(priors[1:]):        # type: ignore[arg-type]
                findings.append(_prior_finding(year, changes[0].base, whole, parts, priors, [whole]))   # type: ignore[union-attr]
    findings += _prior_class_sums(out, year)
    return findings


def _prior_finding(year: str, base: str, whole: Fact, parts: list[Fact], priors: list[Decimal],
                   totals: list[Fact]) -> Finding:
    items = " + ".join(f"{p.label} {plain(v)}" for p, v in zip(parts, priors[1:]))
    summed = _sum(priors[1:])
    names = "、".join(t.label for t in totals)
    return Finding(
        Severity.WARNING, "上年数",
        f"按各项“比{base}”的增减额推算，{year}各项之和为 {plain(summed)} 万元（{items}），"
        f"而按{names}的增减额推算，{year}合计为 {plain(priors[0])} 万元，相差 {plain(abs(priors[0] - summed))} 万元。",
        parts[0].place, "", tuple(fact_basis(f) for f in totals + parts),
        "某一项的增减额有误，或上年有一项本年没有列出。若上年已公开的报告本身如此，请在说明中写明。",
        plain(summed), plain(priors[0]))


def _prior_class_sums(out: Extracted, year: str) -> list[Finding]:
    """The 功能分类 lines of one fund: last year's, as their changes imply, against a total that equals them this year."""
    findings: list[Finding] = []
    funds: dict[str, list[Fact]] = {}
    for fact in out.facts:
        if fact.function is not None and not fact.from_table:
            funds.setdefault(fact.function.fund, []).append(fact)
    totals = [f for f in out.facts if not f.from_table and f.concept in (
        "income.total", "expenditure.total", "appropriation.total", "income.general", "income.fund",
        "income.state_capital")]
    for fund, lines in funds.items():
        keys = [f.function.key[1] for f in lines]   # type: ignore[union-attr]
        parents = {k[:n] for k in keys for n in range(1, len(k))}
        leaves = [f for f, k in zip(lines, keys) if k not in parents]     # the lowest lines: 项, or 类 alone
        changes = [_changes_of(out, f, "budget") for f in leaves]
        if len(leaves) < 2 or any(c is None for c in changes):
            continue
        this_year = _sum(f.value for f in leaves)
        priors = [_prior(c) for c in changes]       # type: ignore[arg-type]
        summed = _sum(priors)                        # type: ignore[arg-type]
        matched: dict[Decimal, list[Fact]] = {}
        for total in totals:
            change = _changes_of(out, total, "budget")
            if total.value == this_year and change is not None:
                matched.setdefault(_prior(change), []).append(total)   # type: ignore[arg-type]
        for prior_total, named in matched.items():
            if prior_total == summed:
                continue
            items = " + ".join(f"{f.function.names[-1]} {plain(v)}" for f, v in zip(leaves, priors))  # type: ignore[union-attr]
            change = _changes_of(out, named[0], "budget")
            op = "+" if change.sign < 0 else "−"      # type: ignore[union-attr]
            findings.append(Finding(
                Severity.WARNING, "上年数",
                f"按各科目“比上年”的增减额推算，{year}各类之和为 {plain(summed)} 万元（{items}），"
                f"而{'、'.join(t.label for t in named)}本年 {plain(this_year)} 万元正是各类之和，"
                f"按其增减额推算的{year}合计为 {plain(prior_total)} 万元（{plain(named[0].value)} {op} "
                f"{plain(change.amount)}），相差 {plain(abs(prior_total - summed))} 万元。",   # type: ignore[union-attr]
                leaves[0].place, "", tuple(fact_basis(f) for f in named + leaves),
                f"某一类的增减额有误，或{year}有一类本年没有列出（应写“本年未安排”）。"
                "若上年已公开的报告本身如此，请在说明中写明。", plain(summed), plain(prior_total)))
    return findings


# ------------------------------------------------------------------ precision

def _precision(out: Extracted) -> list[Finding]:
    findings: list[Finding] = []
    rates = [c for c in out.changes if c.rate is not None and not c.rate_less and c.subject is not None
             and c.amount is not None]
    usual = _usual_places([c.rate_places for c in rates])
    for change in rates:
        prior = _prior(change)
        if usual is None or change.rate_places >= usual or prior is None or prior <= ZERO:
            continue
        exact = percent(change.amount, prior)     # type: ignore[arg-type]
        if quantize(exact, usual) != change.rate and rounds_to(exact, change.rate, change.rate_places):  # type: ignore[arg-type]
            findings.append(Finding(
                Severity.NOTE, "精度",
                f"{change.subject.label}的“{change.rate_written}”写到{PLACES_WORDS.get(change.rate_places, '')}，本报告其他增长率保留"
                f"{PLACES_WORDS.get(usual, '')}：{plain(change.amount)} ÷ {plain(prior)} = {shown(exact, 4)}%，"   # type: ignore[arg-type]
                f"照此应写作 {shown(exact, usual)}%（按它自己的精度，{change.rate}% 没有错）。",
                change.place, change.quote, stated=f"{change.rate}%", computed=f"{shown(exact, usual)}%"))
    shares = [s for s in out.shares if s.part is not None and s.whole is not None and s.whole.value and not s.less]
    usual = _usual_places([s.places for s in shares])
    for share in shares:
        if usual is None or share.places >= usual:
            continue
        exact = percent(share.part.value, share.whole.value)   # type: ignore[union-attr]
        if quantize(exact, usual) != share.pct and rounds_to(exact, share.pct, share.places):
            findings.append(Finding(
                Severity.NOTE, "精度",
                f"{share.part_label}的占比“{share.pct}%”写到{PLACES_WORDS.get(share.places, '')}，本报告其他占比保留"
                f"{PLACES_WORDS.get(usual, '')}：照此应写作 {shown(exact, usual)}%。",
                share.place, share.quote, stated=f"{share.pct}%", computed=f"{shown(exact, usual)}%"))
    return findings


def _usual_places(places: list[int]) -> int | None:
    """The decimals most figures of a kind are written with (ignoring whole numbers, which may be trimmed)."""
    decimals = [p for p in places if p > 0]
    if not decimals:
        return None
    return Counter(decimals).most_common(1)[0][0]
