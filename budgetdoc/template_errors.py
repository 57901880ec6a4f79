"""A template that fails, explained in Chinese: which file and line, what was looked up, what exists;
and a template that shows a figure its own way, warned about.

Jinja's own messages are English and, for a mistake inside an included
template, name the template that included it.  Rendering errors carry the
failing template frame in their traceback (Jinja rewrites it to the template
file and line); syntax errors carry the file and line themselves.  What was
looked up is compared with what exists — the fields of the figure, the names
a template can use — for a “是不是……？”.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError, nodes

from . import compute
from .problems import Problem, Source, error, warning

HINT = ("改正这个模板文件的这一行（可与 budgetdoc templates 复制出的原模板对照）；"
        "如果您没有改过模板，请把这段信息发给维护人员。")

_NO_ATTRIBUTE = re.compile(r"^'(?P<owner>.+?)' has no attribute '(?P<name>[^']+)'$")
_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(?P<tag>[^']+)'")
_LOOKING_FOR = re.compile(r"looking for the following tags: (?P<tags>.+?)\. The innermost block that needs to be "
                          r"closed is '(?P<block>[^']+)'")
_UNEXPECTED = re.compile(r"unexpected '(?P<token>[^']+)'|expected token '(?P<expected>[^']+)', got '(?P<got>[^']+)'")


def user_template_failed(exc: BaseException, folders: tuple[Path, ...]) -> bool:
    """Whether a non-Jinja error raised while rendering came from a template budgetdoc does not ship
    (a bureau's or a department's own): then it is that template's mistake, not budgetdoc's."""
    from .folders import PACKAGE_DIR

    name, _line = _where(exc)
    if not name:
        return False
    found = next((folder / name for folder in folders if (folder / name).is_file()), None)
    return found is not None and not found.resolve().is_relative_to(PACKAGE_DIR)


def template_problem(exc: BaseException, folders: tuple[Path, ...], names: list[str]) -> Problem:
    """``exc`` as one located, Chinese problem; ``names`` are what a template may use (f, money …)."""
    name, line = _where(exc)
    found = next((folder / name for folder in folders if name and (folder / name).is_file()), None)
    shown = _shown(found or (folders[0] / name if name else folders[0]))
    return error("模板", f"模板 {name or '（未知文件）'} 第 {line} 行出错：{_explain(exc, names)}",
                 Source(shown, line, 1) if line else Source(shown), HINT)


def _where(exc: BaseException) -> tuple[str, int]:
    if isinstance(exc, TemplateSyntaxError):
        return Path(exc.filename or exc.name or "").name, exc.lineno or 0
    frame = exc.__traceback__
    found = ("", 0)
    while frame is not None:          # the innermost template frame is the one that failed
        filename = frame.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (Path(filename).name, frame.tb_lineno)
        frame = frame.tb_next
    return found


def _explain(exc: BaseException, names: list[str]) -> str:
    if not isinstance(exc, TemplateError):
        return (f"这一行对一个值做了它不支持的运算或写法（{type(exc).__name__}：{str(exc)[:80]}）。"
                "模板只挑选数字，不做运算：显示金额用 money(…)，占比用 share(…)，增减用 change(…)、rate(…)。")
    message = (exc.message or str(exc)).strip()
    if isinstance(exc, TemplateNotFound):
        return f"找不到被引用的模板 {exc.name}。"
    if isinstance(exc, UndefinedError):
        m = _NO_ATTRIBUTE.match(message)
        if m:
            owner, wanted = m.group("owner"), m.group("name")
            fields = _fields_of(owner)
            near = difflib.get_close_matches(wanted, fields, n=1, cutoff=0.5)
            what = _owner_name(owner)
            text = f"{what}没有“{wanted}”这一项。"
            if near:
                text += f"是不是“{near[0]}”？"
            if fields:
                text += f"可用的有：{'、'.join(fields)}。"
            return text
        m = _UNDEFINED.match(message)
        if m:
            wanted = m.group("name")
            near = difflib.get_close_matches(wanted, names, n=1, cutoff=0.5)
            return f"没有“{wanted}”这个名字。" + (f"是不是“{near[0]}”？" if near else "") + \
                f"模板可以用的有：{'、'.join(names)}。"
        return "用到了数据中没有的值。"
    if isinstance(exc, TemplateSyntaxError):
        looking = _LOOKING_FOR.search(message)
        tags = "、".join(f"{{% {t} %}}" for t in re.findall(r"'([^']+)'", looking.group("tags"))) if looking else ""
        unknown = _UNKNOWN_TAG.search(message)
        if unknown:
            text = f"不认识的标记 {{% {unknown.group('tag')} %}}（拼错了，或多写了一个结束标记）。"
            return text + (f"这里可以是：{tags}。" if tags else "")
        if looking:
            return f"“{looking.group('block')}”没有结束：模板到这里结束了，还缺少 {tags} 之一。"
        m = _UNEXPECTED.search(message)
        if m:
            token = m.group("token") or m.group("got")
            return f"这一行的写法有误，在“{token}”处读不下去（括号、引号或 {{{{ }}}}、{{% %}} 是否成对？）。"
        return "这一行的写法有误（括号、引号或 {{ }}、{% %} 是否成对？）。"
    return "模板无法生成报告。"


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _owner_name(owner: str) -> str:
    """“budgetdoc.compute.AppropriationFacts object” → 数字 AppropriationFacts."""
    cls = owner.removesuffix(" object").rsplit(".", 1)[-1]
    return f"“{cls}”" if cls else "这个值"


def _fields_of(owner: str) -> list[str]:
    """The fields (and properties) of the figure named in Jinja's message, when it is one of compute's."""
    cls = getattr(compute, owner.removesuffix(" object").rsplit(".", 1)[-1], None)
    if cls is None or not dataclasses.is_dataclass(cls):
        return []
    fields = [f.name for f in dataclasses.fields(cls)]
    fields += [name for name, value in vars(cls).items() if isinstance(value, property)]
    return fields


# Jinja's own ways of turning a number into text: they round half to even (2.345 → 2.34) or go
# through float, and they know nothing of the house style (unit, decimals, 千分位).
_OWN_ROUNDING = {"round": "round 过滤器", "format": "format 过滤器", "float": "float 过滤器",
                 "int": "int 过滤器", "filesizeformat": "filesizeformat 过滤器"}
ROUNDING_HINT = ("金额用 money(…)，占比用 share(…)，增减率用 rate(…)，百分比用 percent(…)：它们四舍五入、"
                 "遵守文风设置，与公开表的数字一致。")


def rounding_warnings(folders: tuple[Path, ...]) -> list[Problem]:
    """A warning for each place a template rounds or formats a number itself instead of using money/share/rate.

    The .j2 files directly in each folder of the search path are read (the first of a name wins, as
    when rendering), not the folders below: a style.yaml kept in a busy folder (``--style /tmp/x.yaml``)
    must not be told about every template under it.  A template that cannot be parsed is left to
    the rendering, which explains it.
    """
    names = sorted({path.name for folder in folders if folder.is_dir() for path in folder.glob("*.j2")})
    found: list[Problem] = []
    for name in names:
        path = next((folder / name for folder in folders if (folder / name).is_file()), None)
        if path is None:
            continue
        stat = path.stat()
        for lineno, what in _rounding_in(str(path), name, stat.st_mtime_ns, stat.st_size):
            found.append(warning(
                "模板", f"模板 {name} 第 {lineno} 行用 {what}显示数字：它按“四舍六入五成双”或二进制小数取舍"
                f"（2.345 显示为 2.34），也不遵守文风的单位和小数位数，可能与公开表的数字不一致。",
                Source(_shown(path), lineno, 1), ROUNDING_HINT))
    return found


@functools.lru_cache(maxsize=512)
def _rounding_in(path: str, name: str, mtime_ns: int, size: int) -> tuple[tuple[int, str], ...]:
    """(line, what) of each own rounding in one template file; cached while the file is unchanged."""
    try:
        source = Path(path).read_text("utf-8")
        if not _may_round(source):
            return ()         # parsing is most of a cold start's template work: only when it can find something
        tree = Environment().parse(source, name, path)
    except (TemplateSyntaxError, UnicodeDecodeError, OSError):
        return ()             # the rendering explains a template that cannot be read
    return tuple(sorted(set(_own_rounding(tree))))


# Every word _own_rounding looks for, as an ASCII identifier; and a “%” that is not part of {% … %}.
_ROUNDING_WORD = re.compile(r"(?<![A-Za-z0-9_])(?:round|format|float|int|filesizeformat)(?![A-Za-z0-9_])")
_TAG_PERCENT = re.compile(r"\{%|%\}")


def _may_round(source: str) -> bool:
    """Whether ``source`` can hold one of :func:`_own_rounding`'s finds (never False when it does)."""
    return bool(_ROUNDING_WORD.search(source)) or "%" in _TAG_PERCENT.sub("", source)


def _own_rounding(tree: nodes.Template):
    for node in tree.find_all((nodes.Filter, nodes.Mod, nodes.Call)):
        if isinstance(node, nodes.Filter) and node.name in _OWN_ROUNDING:
            yield node.lineno, _OWN_ROUNDING[node.name]
        elif isinstance(node, nodes.Mod) and isinstance(node.left, nodes.Const) and isinstance(node.left.value, str):
            yield node.lineno, "“%”格式化"
        elif (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr)
              and node.node.attr == "format"):
            yield node.lineno, "字符串的 format 方法"
