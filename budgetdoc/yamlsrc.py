"""Read YAML safely into a tree of nodes that remember where they came from.

PyYAML's *composer* is used, never its constructor: nothing in a data file
can create a Python object, whatever its tag.  Scalars keep their raw text,
so an amount such as ``7.50`` reaches :mod:`budgetdoc.schema` as the string
``"7.50"`` and becomes a Decimal without ever being a float.

Guards for hostile or broken input, each reported as a Chinese
:class:`~budgetdoc.problems.Problem` with file and line:

* file size (``MAX_FILE_BYTES``, read bounded even when the size on disk
  lies) and encoding (see below);
* YAML syntax errors, translated, at the line to fix (an unclosed quote
  where it opens, not at the end of the file);
* tags other than the plain YAML ones (``!!python/object`` and friends),
  on values and on keys; a rejected node is marked so the schema adds no
  second message about it;
* duplicate keys (YAML silently keeps the last one);
* alias bombs: the expanded tree may hold at most ``MAX_NODES`` nodes;
* nesting (deep brackets, an alias that contains itself): at most
  ``MAX_DEPTH`` levels.

Encodings, decided once: UTF-8 is the format.  A UTF-8 BOM and UTF-16 (with
or without BOM) are read correctly with a warning, because the text is
unambiguous; GBK/GB18030 is refused with instructions, because a file that
is not valid UTF-8 cannot be told apart from a damaged one with certainty.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem, Source, error, warning

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 40

_STD = "tag:yaml.org,2002:"
SCALAR_TAGS = {
    _STD + "str": "str",
    _STD + "int": "int",
    _STD + "float": "float",
    _STD + "bool": "bool",
    _STD + "null": "null",
    _STD + "timestamp": "str",
}


@dataclass
class YNode:
    """A YAML node: ``kind`` is ``map``, ``seq`` or ``scalar``."""

    kind: str
    source: Source
    # map: list of (key text, key source, value node); seq: list of nodes;
    # scalar: raw text with ``scalar_type`` one of str/int/float/bool/null.
    items: list = field(default_factory=list)
    text: str = ""
    scalar_type: str = "str"
    quoted: bool = False
    # True when the node carried a forbidden tag: already reported, so the
    # schema skips it instead of adding a second, confusing message.
    rejected: bool = False
    # For a value in a mapping: where its key is written.  A missing field
    # is reported there (“基本支出:”), where the clerk will add it.
    key_source: Source | None = None
    # For a plain scalar: a comment that follows it on its line in a way that
    # looks like part of the text (“人员调出 #2 …”); the schema warns on text.
    trailing_comment: str = ""

    def describe(self) -> str:
        """How the node reads to a clerk, for messages: 文字、数字、列表…"""
        if self.kind == "map":
            return "一组字段（映射）"
        if self.kind == "seq":
            return "列表"
        text = clip(self.text)
        return {
            "str": f"文字“{text}”",
            "int": f"整数 {text}",
            "float": f"数字 {text}",
            "bool": f"是/否值 {text}",
            "null": "空值",
        }[self.scalar_type]


def clip(text: str, limit: int = 40) -> str:
    """A value as quoted in a message: long values are cut, the place says the rest."""
    return text if len(text) <= limit else text[:limit] + "…"


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


# --------------------------------------------------------------------- reading
_GBK_HINT = ("请用记事本“另存为”并把编码选为 UTF-8，或在 VS Code 右下角点击编码，"
             "选择“通过编码保存”→ UTF-8，然后重新运行。")


def read_text(path: Path, shown: str) -> tuple[str, list[Problem]]:
    """Read a data file as text, refusing what cannot be read reliably."""
    src = Source(shown)
    # Read at most one byte more than allowed: the size on disk can lie
    # (a device, a pipe, a file still growing).
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        raise YamlProblems([error("读取文件", f"无法读取文件：{reason}。", src,
                                  "确认文件没有被其他程序独占打开，并且当前用户有读取权限。")]) from None
    if len(raw) > MAX_FILE_BYTES:
        size = max(path.stat().st_size, len(raw))
        shown_size = f"{size} 字节" if size > MAX_FILE_BYTES + 1 else f"超过 {MAX_FILE_BYTES} 字节"
        raise YamlProblems([error(
            "文件过大", f"文件有 {shown_size}，超过上限 {MAX_FILE_BYTES} 字节（1 MB）。"
            "预算数据文件通常只有几 KB，可能选错了文件或文件已损坏。", src,
            "请确认这是预算数据文件；如确需更大的文件，请拆分成多个主题文件。")])
    notes: list[Problem] = []
    bom, encoding = stored_form(raw)
    raw = raw[len(bom):]
    if encoding != "utf-8":
        note = "文件是 UTF-16 编码，已按 UTF-16 读取。" if bom else "文件是不带 BOM 的 UTF-16 编码，已按 UTF-16 读取。"
        return _read_utf16(raw, encoding, src, note, notes)
    if bom:
        notes.append(warning("文件编码", "文件以 UTF-8 BOM（签名）开头，已正常读取。", src,
                             "可另存为“UTF-8（无 BOM）”以消除此提示。"))
    try:
        return raw.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        where = Source(shown, line, 1)
        try:
            raw.decode("gb18030")
            guess = "文件不是 UTF-8 编码，看起来是 GBK/GB2312（Windows 中文“ANSI”）编码。"
        except UnicodeDecodeError:
            guess = "文件不是 UTF-8 编码，第一个无法识别的字节在这一行。"
        raise YamlProblems([error("文件编码", guess, where, _GBK_HINT)]) from None


def stored_form(raw: bytes) -> tuple[bytes, str]:
    """How a file's bytes hold its text: (the byte-order mark it starts with, or b"", the encoding of the rest).

    UTF-8 with or without a BOM, UTF-16 with a BOM, or UTF-16 without one (every ASCII character
    comes with a zero byte, the zeros telling the byte order); anything else is taken for UTF-8.
    :func:`read_text` reads a file so, and :class:`budgetdoc.yamledit.FileForm` writes it back so.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8, "utf-8"
    if raw.startswith(codecs.BOM_UTF16_LE):
        return codecs.BOM_UTF16_LE, "utf-16-le"
    if raw.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE, "utf-16-be"
    if _looks_utf16(raw):
        even, odd = raw[0::2].count(0), raw[1::2].count(0)
        return b"", "utf-16-be" if even > odd else "utf-16-le"
    return b"", "utf-8"


def _looks_utf16(raw: bytes) -> bool:
    """Zero bytes in a good share of the file, nearly all on one parity: UTF-16.

    A stray NUL in a UTF-8 file is not UTF-16; it is reported where it is.
    """
    zeros = raw.count(0)
    if zeros == 0 or zeros * 5 < len(raw):
        return False
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    return max(even, odd) >= 0.9 * zeros


def _read_utf16(raw: bytes, encoding: str, src: Source, note: str,
                notes: list[Problem]) -> tuple[str, list[Problem]]:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise YamlProblems([error("文件编码", "文件含有零字节，看起来是 UTF-16 编码，但内容无法按 UTF-16 解码。"
                                  "也可能不是文本文件。", src, _GBK_HINT)]) from None
    if "\x00" in text:
        raise YamlProblems([error("文件编码", "文件含有零字节（\\0），不是文本文件。", src,
                                  "确认选对了文件；数据文件应是 UTF-8 编码的文本。")])
    notes.append(warning("文件编码", note, src, "建议另存为 UTF-8，便于在 git 中比较修改。"))
    return text.lstrip("\ufeff"), notes


# --------------------------------------------------------------------- parsing
# (pattern on PyYAML's English message, Chinese message, hint, where):
# ``where`` is "problem" for the place the parser stopped, or "context" for
# the place the construct began (an unclosed quote is reported where it was
# opened, not at the end of the file).
_YAML_MESSAGES = [
    (re.compile(r"found character '\\t'"), "这里用了制表符（Tab）。YAML 只能用空格缩进和分隔。",
     "把 Tab 换成空格（同一层级的字段左边对齐）。", "problem"),
    (re.compile(r"while scanning a (double-|single-)?quoted scalar.*found unexpected end"),
     "这一行的引号没有闭合：从这里开始的引号一直到文件末尾都没有配对的另一半。",
     "在文字末尾补上同样的引号（\"或'），或删掉开头的引号。", "context"),
    (re.compile(r"while scanning a simple key.*could not find expected ':'"),
     "这一行不是“名称: 值”的形式：缺少冒号，或冒号后面少了空格。",
     "字段写成“名称: 值”，英文冒号后要有一个空格，例如“事业收入: 0”。", "context"),
    (re.compile(r"mapping values are not allowed"), "这里不能出现“键: 值”。通常是缩进不对，或上一行少了引号。",
     "检查这一行和上一行的缩进；文字里含英文冒号时请加引号。", "problem"),
    (re.compile(r"could not find expected ':'"), "这一行缺少冒号（:），或缩进与上一层不一致。",
     "字段写成“名称: 值”，冒号后要有一个空格。", "problem"),
    (re.compile(r"while parsing a flow (sequence|mapping)"),
     "这一行的方括号 [ ] 或花括号 { } 没有闭合，或其中的逗号、冒号用错了。",
     "检查括号是否成对；文字中含逗号或冒号时请加引号。", "context"),
    (re.compile(r"expected <block end>, but found '-'"), "列表项“- ”与“名称: 值”形式的字段混在了同一层。",
     "列表要写在某个字段下面并多缩进两个空格；检查这一行和上一行的缩进。", "problem"),
    (re.compile(r"expected <block end>, but found '<scalar>'"),
     "这一行的值后面还有多余的内容：引号必须包住整个值；或者这一行的缩进与同一层级不一致。",
     "把整个值放进一对引号里（或去掉引号），并让同一层级的字段左边对齐。", "problem"),
    (re.compile(r"expected <block end>, but found"), "缩进不一致：这一行的缩进与同一层级的其他行不同。",
     "让同一层级的字段左边对齐（用空格）。", "problem"),
    (re.compile(r"sequence entries are not allowed here"), "列表项“- ”不能写在冒号后面的同一行。",
     "在冒号处换行，下一行多缩进两个空格再写“- ”。", "problem"),
    (re.compile(r"expected the node content, but found '([\]}])'"), "值以 ] 或 } 开头：括号多余或没有配对。",
     "删掉多余的括号；文字中含括号时请加引号。", "problem"),
    (re.compile(r"undefined tag handle|while parsing a tag"), "不允许使用 YAML 标记（以 ! 开头的写法）。",
     "删除以 ! 开头的标记，直接写值；文字以 ! 开头时请加引号。", "problem"),
    (re.compile(r"while scanning a block scalar"), "“|”或“>”后面只能跟换行（或数字、+、-）。",
     "在“|”或“>”之后直接换行，下一行缩进写文字。", "problem"),
    (re.compile(r"incompatible YAML document|found duplicate YAML directive|found unknown directive"),
     "不支持文件开头的 % 指令。", "删除以 % 开头的行。", "problem"),
    (re.compile(r"did not find expected key"), "缩进不一致，或列表项“- ”与字段混在同一层。",
     "检查这一行的缩进和“- ”的位置。", "problem"),
    (re.compile(r"while scanning an? (anchor|alias)"),
     "以 & 或 * 开头的值在 YAML 中是锚点或别名；文字以 & 或 * 开头时必须加引号。",
     "给这个值加上引号，例如 \"*注：…\"；预算数据不需要锚点和别名。", "problem"),
    (re.compile(r"found undefined alias"), "引用了未定义的锚点（*别名）。",
     "预算数据不需要锚点和别名：删除这个 * 写法，直接写值。", "problem"),
    (re.compile(r"found duplicate anchor"), "同一个锚点（&名称）定义了两次。",
     "预算数据不需要锚点和别名：删除 & 和 * 写法，直接写值。", "problem"),
    (re.compile(r"found unexpected end of stream|found unexpected end"), "文件意外结束：引号或括号没有闭合。",
     "检查引号（\"或'）和括号是否成对。", "problem"),
    (re.compile(r"found unknown escape character|expected escape sequence"), "双引号文字中有无法识别的反斜杠转义（\\）。",
     "去掉反斜杠，或改用单引号。", "problem"),
    (re.compile(r"found character '(@|`)' that cannot start any token"), "以 @ 或 ` 开头的文字必须加引号。",
     "给这个值加上引号，例如 \"@政务服务\"。", "problem"),
    (re.compile(r"found character '%' that cannot start any token|expected '<document start>'"),
     "以 % 开头的文字必须加引号（% 在 YAML 中有特殊含义）。", "给这个值加上引号。", "problem"),
]


_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[^:#\s][^:#]*：")


def _translate(exc: yaml.MarkedYAMLError, shown: str, text: str = "") -> Problem:
    detail = f"{exc.context or ''} {exc.problem or ''}".strip()
    # A field written with the Chinese colon (人员经费：130.41) is the likeliest slip of all,
    # but only when the parser complains about a key or a colon (a Tab is a Tab).
    colon_trouble = re.search(r"simple key|expected ':'|mapping values", detail) or not any(
        pattern.search(detail) for pattern, *_ in _YAML_MESSAGES)
    for mark in (exc.context_mark, exc.problem_mark) if colon_trouble else ():
        lines = text.split("\n")
        if mark is not None and mark.line < len(lines) and _FULL_WIDTH_COLON.match(lines[mark.line]):
            line = lines[mark.line]
            fixed = re.sub(r"：[ \t\u3000]*", ": ", line, count=1).rstrip()     # one space, whatever followed
            return error("YAML语法", "这一行用了中文冒号“：”。YAML 的字段要用英文冒号加一个空格。",
                         Source(shown, mark.line + 1, line.index("：") + 1),
                         f"切换到英文输入法，写成“{fixed.strip()}”。")
    for pattern, message, hint, where in _YAML_MESSAGES:
        if pattern.search(detail):
            mark = (exc.context_mark if where == "context" else None) or exc.problem_mark or exc.context_mark
            return error("YAML语法", message, _at(mark, shown), hint)
    mark = exc.problem_mark or exc.context_mark
    return error("YAML语法", f"这一行的 YAML 格式有误，无法读取（解析器的说明：{detail}）。", _at(mark, shown),
                 "对照同一文件中的其他行检查缩进、冒号和引号。")


def _at(mark, shown: str) -> Source:
    return Source(shown, mark.line + 1, mark.column + 1) if mark is not None else Source(shown)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    """A control character PyYAML refuses: say which and where."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return error("YAML语法", f"这一行有不可见的控制字符（U+{code:04X}），YAML 不允许。", Source(shown, line, column),
                 "删除这个字符（常见于从网页或 Word 复制来的文字），然后保存为 UTF-8。")


class _Converter:
    """PyYAML nodes -> :class:`YNode`, expanding aliases under a budget."""

    def __init__(self, shown: str, text: str = ""):
        self.shown = shown
        self.lines = text.split("\n")
        self.count = 0
        self.problems: list[Problem] = []
        # The top-level entry being expanded: where an alias bomb is reported
        # (the nodes it repeats were written elsewhere, usually line 1).
        self.entry: Source | None = None

    def src(self, node: yaml.Node, path: str) -> Source:
        return Source(self.shown, node.start_mark.line + 1, node.start_mark.column + 1, path)

    def convert(self, node: yaml.Node, path: str, depth: int = 0) -> YNode:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblems([error(
                "YAML过大", f"文件中的值超过 {MAX_NODES} 个（锚点/别名 &、* 按展开后计算）。预算数据通常只有几百个值，"
                "这多半是锚点/别名的恶意或错误嵌套（“十亿笑声”攻击）。", self.entry or self.src(node, path),
                "预算数据不需要锚点和别名，请删除 & 和 * 写法。")])
        if depth > MAX_DEPTH:
            raise YamlProblems([error(
                "YAML过大", f"嵌套超过 {MAX_DEPTH} 层，可能是引用自身的锚点/别名（&、*）或没有配对的括号。",
                self.entry or self.src(node, path), "预算数据最多嵌套十来层：删除 & 和 * 写法，检查括号是否成对。")])
        src = self.src(node, path)
        if isinstance(node, yaml.MappingNode):
            out = YNode("map", src, rejected=self._bad_tag(node, src, _STD + "map"))
            seen: dict[str, Source] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(error("字段名", "字段名必须是简单文字。", self.src(key_node, path),
                                               "把字段名写成“名称: 值”的形式。"))
                    continue
                if key_node.tag == _STD + "merge":
                    self.problems.append(error("字段名", "不支持合并键“<<”。", self.src(key_node, path),
                                               "把需要的字段直接写出来。"))
                    continue
                key = key_node.value
                key_src = self.src(key_node, f"{path}.{key}" if path else key)
                if key_node.tag not in SCALAR_TAGS:
                    self._bad_tag(key_node, key_src, "")
                    continue
                if key in seen:
                    self.problems.append(error(
                        "重复字段", f"字段“{clip(key)}”在同一层写了两次（第 {seen[key].line} 行和第 {key_src.line} 行）。"
                        "YAML 会悄悄只保留后一个值。", key_src,
                        "删除多余的一个，或把其中一个改成正确的字段名。", related=[seen[key]]))
                    continue
                seen[key] = key_src
                if depth == 0:
                    self.entry = key_src
                child_path = f"{path}.{key}" if path else key
                child = self.convert(value_node, child_path, depth + 1)
                child.key_source = key_src
                out.items.append((key, key_src, child))
            return out
        if isinstance(node, yaml.SequenceNode):
            out = YNode("seq", src, rejected=self._bad_tag(node, src, _STD + "seq"))
            for i, item in enumerate(node.value):
                if depth == 0:
                    self.entry = self.src(item, path)
                out.items.append(self.convert(item, f"{path}[{i + 1}]", depth + 1))
            return out
        scalar_type = SCALAR_TAGS.get(node.tag)
        rejected = False
        if scalar_type is None:
            rejected = self._bad_tag(node, src, "")
            scalar_type = "str"
        quoted = node.style in ("'", '"')
        return YNode("scalar", src, text=node.value, scalar_type=scalar_type, quoted=quoted, rejected=rejected,
                     trailing_comment=self._glued_comment(node))

    def _glued_comment(self, node: yaml.ScalarNode) -> str:
        """A comment right after a plain scalar that looks like the rest of the text.

        ``原因: 人员调出3人 #2 人员经费减少`` loses everything from `` #``: YAML
        reads it as a comment.  A comment set apart the usual way (two or more
        spaces, then ``# ``) is left alone.
        """
        if node.style not in (None, "") or node.end_mark.line != node.start_mark.line:  # "" from libyaml
            return ""
        line = node.end_mark.line
        if line >= len(self.lines):
            return ""
        tail = self.lines[line][node.end_mark.column:]
        if re.match(r" #|\s+#[^\s#]", tail):
            return tail.strip()
        return ""

    def _bad_tag(self, node: yaml.Node, src: Source, allowed: str) -> bool:
        """Report a tag other than the plain YAML one; True if reported."""
        if node.tag == allowed:
            return False
        tag = node.tag.replace(_STD, "!!")
        self.problems.append(error(
            "不安全的标记", f"不允许使用 YAML 标记“{tag}”。budgetdoc 只读取文字、数字、列表和字段，"
            "不会执行或创建任何对象。", src, f"删除“{tag}”，直接写值。"))
        return True


# libyaml composes about ten times faster, with the same nodes and marks; its
# error texts differ from PyYAML's, so a file that fails is read again by the
# pure-Python composer, whose messages _translate knows.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before any composer recurses into it.

    libyaml's parser walks the events with an explicit stack, but its composer
    (like PyYAML's) recurses once per level: tens of thousands of ``[`` in a
    30 KB file would overflow the C stack and kill the process.  Counting the
    depth on the event stream is cheap and cannot overflow.
    """
    if _depth_bound(text) <= MAX_DEPTH:
        return                       # every budget file: walking its events would double the cost of reading it
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER or yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep(event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:  # a syntax error: the composer reports it, with its place
        return


_LEADING = re.compile(r"^[ ?-]*", re.MULTILINE)


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth, from the text alone.

    A block collection nested in another starts its entries further right (the
    one exception, a sequence under a mapping key at the key's own column,
    cannot follow itself), and the column where an entry starts is at most the
    line's leading spaces, dashes and question marks; each flow collection has
    its own ``[`` or ``{``.  So the depth is at most twice the widest such
    lead, plus one, plus every bracket of the text.
    """
    lead = max((len(m) for m in _LEADING.findall(text)), default=0)
    return 2 * (lead + 1) + 1 + text.count("[") + text.count("{")


def _compose(text: str) -> list:
    _check_depth(text)
    if _FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:  # re-read below for PyYAML's message, which _translate knows
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


#: Unicode noncharacters: never text, reserved for a program's own use (budgetdoc marks the report's
#: text with them while it is being built), so a data file may not hold one.
_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")


def _noncharacter_problem(text: str, shown: str) -> Problem | None:
    found = _NONCHARACTER.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    line, column = before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1
    return error("YAML语法", f"这一行有一个不是文字的字符（U+{ord(found.group()):04X}，看不见），不能写在数据中。",
                 Source(shown, line, column), "删除这个字符（常见于从其他软件复制来的文字），然后保存为 UTF-8。")


def parse(text: str, shown: str) -> tuple[YNode | None, list[Problem]]:
    """Parse YAML text into a :class:`YNode` tree (``None`` for an empty file)."""
    refused = _noncharacter_problem(text, shown)
    if refused is not None:
        return None, [refused]
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_translate(exc, shown, text)]
    except yaml.reader.ReaderError as exc:  # a control character
        return None, [_reader_problem(exc, text, shown)]
    except yaml.YAMLError as exc:
        return None, [error("YAML语法", f"无法读取 YAML（{exc}）。", Source(shown),
                            "删除文件中的不可见控制字符，并另存为 UTF-8。")]
    except _TooDeep as exc:
        return None, [error("YAML过大", f"嵌套超过 {MAX_DEPTH} 层，可能是引用自身的锚点/别名（&、*）或没有配对的括号。",
                            _at(exc.mark, shown), "预算数据最多嵌套十来层：删除 & 和 * 写法，检查括号是否成对。")]
    except RecursionError:  # brackets nested thousands deep
        return None, [error("YAML过大", f"嵌套层数过多（超过 {MAX_DEPTH} 层），无法读取。", Source(shown, 1, 1),
                            "检查括号 [ ] { } 是否成对；预算数据最多嵌套十来层。")]
    if len(nodes) > 1:
        lines = text.splitlines()
        line = nodes[1].start_mark.line  # 0-based; the "---" is on this line or above it
        while line > 0 and not (line < len(lines) and lines[line].startswith("---")):
            line -= 1
        return None, [error("YAML语法", "一个文件里只能有一个 YAML 文档（发现了第二个“---”）。",
                            Source(shown, line + 1, 1),
                            "删除多余的“---”分隔线，或把内容拆到另一个文件。")]
    if not nodes or nodes[0] is None:
        return None, []
    converter = _Converter(shown, text)
    try:
        tree = converter.convert(nodes[0], "")
    except YamlProblems as exc:
        return None, exc.problems
    return tree, converter.problems


def load_file(path: Path, shown: str) -> tuple[YNode | None, list[Problem]]:
    """Read and parse one data file; problems are returned, never raised."""
    try:
        text, notes = read_text(path, shown)
    except YamlProblems as exc:
        return None, exc.problems
    text, breaks = _unusual_line_breaks(text, shown)
    tree, problems = parse(text, shown)
    return tree, notes + breaks + problems


_UNUSUAL_BREAKS = re.compile("[\u2028\u2029\x85]")


def _unusual_line_breaks(text: str, shown: str) -> tuple[str, list[Problem]]:
    """U+2028, U+2029 and U+0085 (pasted from Word or web pages) become spaces.

    YAML counts them as line ends while editors do not, so every line number
    after one would be wrong; as spaces they keep every position in place.
    """
    found = _UNUSUAL_BREAKS.search(text)
    if found is None:
        return text, []
    before = text[: found.start()]
    where = Source(shown, before.count("\n") + 1, found.start() - before.rfind("\n"))
    count = len(_UNUSUAL_BREAKS.findall(text))
    note = warning("文件编码", f"文件中有 {count} 个不可见的分行符（U+{ord(found.group(0)):04X} 等，常见于从 Word 或网页复制的文字），"
                   "已当作空格读取。", where, "删除这些字符，或在编辑器中重新输入这段文字。")
    return _UNUSUAL_BREAKS.sub(" ", text), [note]
