"""Read YAML safely into a tree of nodes that remember where they came from.

PyYAML's *composer* is used, never its constructor: nothing in a data file
can create a Python object, whatever its tag.  Scalars keep their raw text,
so an amount such as ``7.50`` reaches :mod:`budgetdoc.schema` as the string
``"7.50"`` and becomes a Decimal without ever being a float.

Guards for hostile or broken input, each reported as a Chinese
:class:`~budgetdoc.problems.Problem` with file and line:

* file size (``MAX_FILE_BYTES``) and encoding (UTF-8, with or without BOM;
  UTF-16 with BOM is read with a warning; GBK is refused with instructions);
* YAML syntax errors, translated;
* tags other than the plain YAML ones (``!!python/object`` and friends);
* duplicate keys (YAML silently keeps the last one);
* alias bombs: the expanded tree may hold at most ``MAX_NODES`` nodes.
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

    def describe(self) -> str:
        """How the node reads to a clerk, for messages: 文字、数字、列表…"""
        if self.kind == "map":
            return "一组字段（映射）"
        if self.kind == "seq":
            return "列表"
        return {
            "str": f"文字“{self.text}”",
            "int": f"整数 {self.text}",
            "float": f"数字 {self.text}",
            "bool": f"是/否值 {self.text}",
            "null": "空值",
        }[self.scalar_type]


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
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblems([error(
            "文件过大", f"文件有 {size} 字节，超过上限 {MAX_FILE_BYTES} 字节（1 MB）。"
            "预算数据文件通常只有几 KB，可能选错了文件或文件已损坏。", src,
            "请确认这是预算数据文件；如确需更大的文件，请拆分成多个主题文件。")])
    raw = path.read_bytes()
    notes: list[Problem] = []
    if raw.startswith(codecs.BOM_UTF8):
        notes.append(warning("文件编码", "文件以 UTF-8 BOM（签名）开头，已正常读取。", src,
                             "可另存为“UTF-8（无 BOM）”以消除此提示。"))
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise YamlProblems([error("文件编码", "文件看起来是 UTF-16 编码，但内容无法解码。", src,
                                      _GBK_HINT)]) from None
        notes.append(warning("文件编码", "文件是 UTF-16 编码，已按 UTF-16 读取。", src,
                             "建议另存为 UTF-8，便于在 git 中比较修改。"))
        return text, notes
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


# --------------------------------------------------------------------- parsing
_YAML_MESSAGES = [
    (re.compile(r"found character '\\t'"), "这里用了制表符（Tab）。YAML 只能用空格缩进和分隔。",
     "把 Tab 换成空格（同一层级的字段左边对齐）。"),
    (re.compile(r"mapping values are not allowed"), "这里不能出现“键: 值”。通常是缩进不对，或上一行少了引号。",
     "检查这一行和上一行的缩进；文字里含英文冒号时请加引号。"),
    (re.compile(r"could not find expected ':'"), "这一行缺少冒号（:），或缩进与上一层不一致。",
     "字段写成“名称: 值”，冒号后要有一个空格。"),
    (re.compile(r"expected <block end>, but found"), "缩进不一致：这一行的缩进与同一层级的其他行不同。",
     "让同一层级的字段左边对齐（用空格）。"),
    (re.compile(r"did not find expected key"), "缩进不一致，或列表项“- ”与字段混在同一层。",
     "检查这一行的缩进和“- ”的位置。"),
    (re.compile(r"found undefined alias"), "引用了未定义的锚点（*别名）。", "删除这个 *别名，或先用 &锚点 定义它。"),
    (re.compile(r"found unexpected end of stream|found unexpected end"), "文件意外结束：引号或括号没有闭合。",
     "检查引号（\"或'）和括号是否成对。"),
    (re.compile(r"found unknown escape character"), "双引号文字中有无法识别的反斜杠转义。",
     "去掉反斜杠，或改用单引号。"),
]


def _translate(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    src = Source(shown, mark.line + 1, mark.column + 1) if mark else Source(shown)
    detail = f"{exc.context or ''} {exc.problem or ''}".strip()
    for pattern, message, hint in _YAML_MESSAGES:
        if pattern.search(detail):
            return error("YAML语法", message, src, hint)
    return error("YAML语法", f"YAML 格式错误（{detail}）。", src,
                 "对照同一文件中的其他行检查缩进、冒号和引号。")


class _Converter:
    def __init__(self, shown: str):
        self.shown = shown
        self.count = 0
        self.problems: list[Problem] = []

    def src(self, node: yaml.Node, path: str) -> Source:
        return Source(self.shown, node.start_mark.line + 1, node.start_mark.column + 1, path)

    def convert(self, node: yaml.Node, path: str) -> YNode:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblems([error(
                "YAML过大", f"展开后的节点超过 {MAX_NODES} 个，可能是锚点/别名（&、*）的恶意或错误嵌套。",
                self.src(node, path), "预算数据不需要锚点和别名，请删除 & 和 * 写法。")])
        src = self.src(node, path)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _STD + "map":
                self._bad_tag(node, src)
            out = YNode("map", src)
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
                if key in seen:
                    self.problems.append(error(
                        "重复字段", f"字段“{key}”在同一层写了两次（第 {seen[key].line} 行和第 {key_src.line} 行）。"
                        "YAML 会悄悄只保留后一个值。", key_src,
                        "删除多余的一个，或把其中一个改成正确的字段名。", related=[seen[key]]))
                    continue
                seen[key] = key_src
                child_path = f"{path}.{key}" if path else key
                out.items.append((key, key_src, self.convert(value_node, child_path)))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _STD + "seq":
                self._bad_tag(node, src)
            out = YNode("seq", src)
            for i, item in enumerate(node.value):
                out.items.append(self.convert(item, f"{path}[{i + 1}]"))
            return out
        scalar_type = SCALAR_TAGS.get(node.tag)
        if scalar_type is None:
            self._bad_tag(node, src)
            scalar_type = "str"
        quoted = node.style in ("'", '"')
        return YNode("scalar", src, text=node.value, scalar_type=scalar_type, quoted=quoted)

    def _bad_tag(self, node: yaml.Node, src: Source) -> None:
        tag = node.tag.replace(_STD, "!!")
        self.problems.append(error(
            "不安全的标记", f"不允许使用 YAML 标记“{tag}”。budgetdoc 只读取文字、数字、列表和字段，"
            "不会执行或创建任何对象。", src, f"删除“{tag}”，直接写值。"))


def parse(text: str, shown: str) -> tuple[YNode | None, list[Problem]]:
    """Parse YAML text into a :class:`YNode` tree (``None`` for an empty file)."""
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        return None, [_translate(exc, shown)]
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        return None, [error("YAML语法", f"无法读取 YAML（{exc}）。", Source(shown),
                            "删除文件中的不可见控制字符，并另存为 UTF-8。")]
    if len(nodes) > 1:
        second = nodes[1]
        return None, [error("YAML语法", "一个文件里只能有一个 YAML 文档（发现了第二个“---”）。",
                            Source(shown, second.start_mark.line + 1, 1),
                            "删除多余的“---”分隔线，或把内容拆到另一个文件。")]
    if not nodes or nodes[0] is None:
        return None, []
    converter = _Converter(shown)
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
    tree, problems = parse(text, shown)
    return tree, notes + problems
