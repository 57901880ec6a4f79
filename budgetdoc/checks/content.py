"""Text and classification hygiene: what audits of published reports keep finding."""

from __future__ import annotations

import dataclasses
import re

from ..classification import function_class_name
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
    fn = b.functions
    if fn is None:
        return []
    out = []
    for item in (fn.general or ()) + (fn.fund or ()):
        if not item.code or not item.name:
            continue
        official = function_class_name(item.code, b.year)
        if official and official != item.name:
            out.append(warning("科目名称", f"科目 {item.code} 的名称写作“{item.name}”，"
                               f"{b.year}年科目中的名称是“{official}”。", item.source,
                               f"如科目名称已调整，请改为“{official}”。"))
    return out


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


CHECKS = (placeholders, function_names, staff)
