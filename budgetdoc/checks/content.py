"""Text and classification hygiene: what audits of published reports keep finding."""

from __future__ import annotations

import dataclasses
import re

from ..classification import code_name, function_class_name
from ..model import YearBudget
from ..problems import Problem, error, warning
from ..schema import source_of

PLACEHOLDER = re.compile(r"[XxＸ×]{2,}|。{3,}|…{3,}|\?{2,}|？{2,}|TODO|待填|待补充")


def _texts(obj, found: list, record=None) -> None:
    """Every text of the model (also inside lists), with the record that holds it."""
    if isinstance(obj, str):
        found.append((obj, record))
        return
    if isinstance(obj, tuple):
        for item in obj:
            _texts(item, found, record)
        return
    if not dataclasses.is_dataclass(obj):
        return
    for f in dataclasses.fields(obj):
        if f.name in ("folder", "source", "field_sources"):
            continue
        _texts(getattr(obj, f.name), found, obj)


def placeholders(b: YearBudget) -> list[Problem]:
    found: list = []
    _texts(b, found)
    out = []
    for text, record in found:
        m = PLACEHOLDER.search(text)
        if m:
            excerpt = text if len(text) <= 40 else text[:40] + "…"
            out.append(error("占位符", f"文字中还有占位符“{m.group(0)}”：{excerpt}",
                             source_of(text) or getattr(record, "source", None), "把占位符换成实际内容。"))
    return out


def function_names(b: YearBudget) -> list[Problem]:
    """A known 功能分类 or 经济分类 code should carry its known name (a warning: editions drift)."""
    out = []
    for item in _classified(b):
        if not item.code or not item.name:
            continue
        official = function_class_name(item.code, b.year)
        if official:
            if official != item.name:
                out.append(warning("科目名称", f"科目 {item.code} 的名称写作“{item.name}”，"
                                   f"{b.year}年科目中的名称是“{official}”。", item.source,
                                   f"如科目名称已调整，请改为“{official}”。"))
            continue
        seen = code_name(item.code, b.year)
        if seen and seen != item.name:
            out.append(warning("科目名称", f"科目 {item.code} 的名称写作“{item.name}”，"
                               f"公开资料中这个编码的名称是“{seen}”。", item.source,
                               f"核对编码和名称：编码写错时改正编码；名称有误时改为“{seen}”；本地科目名称确实不同可忽略。"))
    return out


def _classified(b: YearBudget):
    """Every 功能分类 line of every tree and every 经济分类 line, in file order."""
    def walk(items):
        for item in items or ():
            yield item
            yield from walk(item.children)
    if b.functions is not None:
        for _, _, items in b.functions.trees():
            yield from walk(items)
    basic = b.expenditure.basic if b.expenditure else None
    if basic is not None:
        yield from walk(basic.economic)


def staff(b: YearBudget) -> list[Problem]:
    """More people in post than authorised posts is possible (编外) but worth a second look."""
    st = b.department.staff if b.department else None
    if st is None:
        return []
    out = []
    for kind, posts, actual, post_key, actual_key in (
            ("行政", st.admin_posts, st.admin_actual, "admin_posts", "admin_actual"),
            ("事业", st.public_posts, st.public_actual, "public_posts", "public_actual")):
        if posts is not None and actual is not None and actual > posts:
            src = st.field_sources.get(actual_key, st.source)
            out.append(warning("人员", f"{kind}实有人数 {actual} 个，超过{kind}编制 {posts} 个。", src,
                               "核对人数是否填反或多填；如确有超编，可忽略此提示。",
                               [s for s in [st.field_sources.get(post_key)] if s]))
    return out


# 经济分类 类 and the column their money belongs in (人员经费 / 公用经费), as published tables show.
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "309", "310")


def economic_columns(b: YearBudget) -> list[Problem]:
    """301 / 303 are 人员经费, 302 / 310 公用经费: money in the other column is worth a second look."""
    basic = b.expenditure.basic if b.expenditure else None
    out = []
    for item in (basic.economic or ()) if basic else ():
        code = (item.code or "")[:3]
        if code in PERSONNEL_CLASSES and item.public is not None and item.public.value:
            wrong, right = "公用经费", "人员经费"
        elif code in PUBLIC_CLASSES and item.personnel is not None and item.personnel.value:
            wrong, right = "人员经费", "公用经费"
        else:
            continue
        out.append(warning("经济分类", f"经济分类 {item.code} {item.name}列了{wrong}：这一类通常全部属于{right}。",
                           item.source, f"核对是否填错了栏目；本地口径确实如此可忽略。"))
    return out


def name_breaks(b: YearBudget) -> list[Problem]:
    """部门名称断行 is the 部门名称 with “|” where the title may break."""
    dept = b.department
    if dept is None or dept.name_breaks is None or dept.name is None:
        return []
    if dept.name_breaks.replace("|", "").replace("｜", "") == dept.name:
        return []
    return [error("取值", f"部门名称断行“{dept.name_breaks}”去掉“|”后与部门名称“{dept.name}”不同。",
                  dept.field_sources.get("name_breaks", dept.source),
                  "照部门名称逐字抄写，只在词与词之间加“|”，如“奈曼旗人力资源|和社会保障局”。")]


CHECKS = (placeholders, function_names, staff, economic_columns, name_breaks)
