"""The one style definition of the report: page, fonts, sizes, spacing.

Defaults follow GB/T 9704-2012 (党政机关公文格式) as asked in issue 4:

* A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
* title 2号 (22 pt) 方正小标宋简体, centred;
* body 3号 (16 pt) 仿宋_GB2312, first line indented two characters, fixed line
  pitch 28.9 pt (22 lines of 28 characters);
* 第X部分 and 一、 headings 黑体, （一） headings 楷体_GB2312, 1. and （1） 仿宋;
* page numbers "— 1 —" in 4号 (14 pt) 宋体, right on odd pages, left on even pages,
  one character in from the edge of the text block;
* tables in 仿宋 at a smaller size, full borders, header rows repeated.

The DOCX writer reads a :class:`Layout`; nothing else in budgetdoc names a font
or a size.  A department overrides any value with a small YAML file::

    body:
      size_pt: 15
    page:
      margin_left_mm: 27
    font_fallbacks:
      方正小标宋简体: 华文中宋

Sizes are :class:`decimal.Decimal` so that conversions to twips and
half-points are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Mapping, get_args, get_type_hints

import yaml

TextAlign = Literal["left", "center", "right", "both"]

#: Where the official font is missing: the name Word and WPS should try next
#: (written as ``w:altName`` in the font table).  LibreOffice ignores
#: ``w:altName`` and asks fontconfig; see docs/typesetting.md.
DEFAULT_FONT_FALLBACKS: tuple[tuple[str, str], ...] = (
    ("方正小标宋简体", "华文中宋"),
    ("仿宋_GB2312", "仿宋"),
    ("楷体_GB2312", "楷体"),
    ("仿宋", "FangSong"),
    ("楷体", "KaiTi"),
    ("黑体", "SimHei"),
    ("宋体", "SimSun"),
)

#: Fonts drawn without serifs; all others are treated as serif (宋/仿宋/楷).
SANS_FONTS = frozenset({"黑体", "SimHei", "微软雅黑", "Microsoft YaHei"})


class LayoutError(ValueError):
    """A layout override file or mapping is wrong; the message is in Chinese."""


@dataclass(frozen=True)
class PageLayout:
    """Page size, margins and the line pitch of running text."""

    width_mm: Decimal = Decimal("210")
    height_mm: Decimal = Decimal("297")
    margin_top_mm: Decimal = Decimal("37")
    margin_bottom_mm: Decimal = Decimal("35")
    margin_left_mm: Decimal = Decimal("28")
    margin_right_mm: Decimal = Decimal("26")
    #: Distance from the page's top edge to the (empty) header.
    header_mm: Decimal = Decimal("15")
    #: Distance from the page's bottom edge to the bottom of the page-number
    #: line: 35 mm margin − 7 mm gap (GB/T 9704 §7.5) − one 4号 line ≈ 23 mm.
    footer_mm: Decimal = Decimal("23")
    #: Fixed line pitch of running text: 22 lines in the 225 mm text block.
    line_pitch_pt: Decimal = Decimal("28.9")
    #: Characters per line of running text (GB/T 9704: 28).  At 16 pt only 27
    #: fit in 156 mm, so body and heading text is condensed just enough;
    #: ``None`` leaves the characters at their natural width.
    chars_per_line: Decimal | None = Decimal("28")

    @property
    def text_width_mm(self) -> Decimal:
        return self.width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def landscape_text_width_mm(self) -> Decimal:
        """The text width of a landscape page: the portrait page turned, its top and bottom margins now the sides."""
        return self.height_mm - self.margin_top_mm - self.margin_bottom_mm

    def text_width(self, orientation: str) -> Decimal:
        return self.landscape_text_width_mm if orientation == "landscape" else self.text_width_mm


@dataclass(frozen=True)
class TextStyle:
    """One paragraph style.

    ``font`` is the official East Asian font (written to ``w:eastAsia``),
    ``latin`` the font for digits and Latin letters.  ``line_pitch_pt`` is
    the exact line height; ``None`` means the page's line pitch.  Spaces
    before and after are in lines of that pitch, indents in characters of
    the style's own size.
    """

    font: str
    size_pt: Decimal
    latin: str = "Times New Roman"
    bold: bool = False
    align: TextAlign = "both"
    first_line_chars: Decimal = Decimal("0")
    line_pitch_pt: Decimal | None = None
    space_before_lines: Decimal = Decimal("0")
    space_after_lines: Decimal = Decimal("0")


@dataclass(frozen=True)
class TableLayout:
    """Tables: text font and size, header font, borders, cell padding."""

    font: str = "仿宋_GB2312"
    header_font: str = "黑体"
    latin: str = "Times New Roman"
    size_pt: Decimal = Decimal("12")          # 小四: smaller than the 3号 body, still easy to read
    line_pitch_pt: Decimal = Decimal("20")
    border_pt: Decimal = Decimal("0.5")
    cell_margin_mm: Decimal = Decimal("1")
    #: Space between a table (or its note) and the next paragraph, in body lines.
    space_after_lines: Decimal = Decimal("0.5")


@dataclass(frozen=True)
class PageNumberLayout:
    """Page numbers "— 1 —": 4号 半角宋体, odd right / even left, one char in."""

    font: str = "宋体"
    latin: str = "宋体"
    size_pt: Decimal = Decimal("14")
    dash: str = "—"
    indent_chars: Decimal = Decimal("1")


def _style(font: str, size: str, **kwargs: Any) -> TextStyle:
    return TextStyle(font=font, size_pt=Decimal(size), **kwargs)


def _display(font: str, size: str, **kwargs: Any) -> TextStyle:
    """A title or heading style: digits in the heading's own face, not Times."""
    return _style(font, size, latin=font, **kwargs)


@dataclass(frozen=True)
class Layout:
    """The whole style definition.  Build one with defaults, ``from_mapping`` or ``load``."""

    page: PageLayout = field(default_factory=PageLayout)
    title: TextStyle = field(
        default_factory=lambda: _display(
            "方正小标宋简体", "22", align="center", line_pitch_pt=Decimal("36")
        )
    )
    subtitle: TextStyle = field(
        default_factory=lambda: _style("楷体_GB2312", "16", align="center")
    )
    body: TextStyle = field(
        default_factory=lambda: _style("仿宋_GB2312", "16", first_line_chars=Decimal("2"))
    )
    heading1: TextStyle = field(
        default_factory=lambda: _display(
            "黑体",
            "16",
            align="center",
            space_before_lines=Decimal("1"),
            space_after_lines=Decimal("1"),
        )
    )
    heading2: TextStyle = field(
        default_factory=lambda: _display("黑体", "16", first_line_chars=Decimal("2"))
    )
    heading3: TextStyle = field(
        default_factory=lambda: _display("楷体_GB2312", "16", first_line_chars=Decimal("2"))
    )
    heading4: TextStyle = field(
        default_factory=lambda: _style("仿宋_GB2312", "16", first_line_chars=Decimal("2"))
    )
    heading5: TextStyle = field(
        default_factory=lambda: _style("仿宋_GB2312", "16", first_line_chars=Decimal("2"))
    )
    caption: TextStyle = field(
        default_factory=lambda: _display(
            "黑体", "16", align="center", space_before_lines=Decimal("0.5")
        )
    )
    table: TableLayout = field(default_factory=TableLayout)
    page_number: PageNumberLayout = field(default_factory=PageNumberLayout)
    #: The empty line under the title block (GB/T 9704: 标题下空一行), in body
    #: lines.  It is not added to a following heading's own space before.
    title_gap_lines: Decimal = Decimal("1")
    font_fallbacks: tuple[tuple[str, str], ...] = DEFAULT_FONT_FALLBACKS

    def heading(self, level: int) -> TextStyle:
        """The style of a heading of ``level`` 1–5."""
        return (self.heading1, self.heading2, self.heading3, self.heading4, self.heading5)[
            level - 1
        ]

    def fallback_for(self, font: str) -> str:
        """The font to try when ``font`` is not installed ('' when none is known)."""
        return dict(self.font_fallbacks).get(font, "")

    def east_asian_fonts(self) -> tuple[str, ...]:
        """Every font the layout uses for Chinese text, in a fixed order."""
        styles = (self.title, self.subtitle, self.body, self.caption) + tuple(
            self.heading(level) for level in range(1, 6)
        )
        names = [style.font for style in styles]
        names += [self.table.font, self.table.header_font, self.page_number.font]
        return tuple(dict.fromkeys(names))

    def latin_fonts(self) -> tuple[str, ...]:
        """Every font the layout uses for digits and Latin letters, in a fixed order."""
        styles = (self.title, self.subtitle, self.body, self.caption) + tuple(
            self.heading(level) for level in range(1, 6)
        )
        names = [style.latin for style in styles] + [self.table.latin, self.page_number.latin]
        return tuple(dict.fromkeys(names))

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any], source: str = "版式设置") -> Layout:
        """The default layout with ``overrides`` applied.

        ``overrides`` mirrors the dataclasses: ``{"body": {"size_pt": 15}}``.
        ``font_fallbacks`` is a mapping from an official font to its fallback,
        merged over the defaults.  All problems are reported at once in a
        :class:`LayoutError`.
        """
        problems: list[str] = []
        layout = _apply(cls(), overrides, "", problems)
        if problems:
            raise LayoutError(f"{source}有误：\n" + "\n".join(f"  {p}" for p in problems))
        return layout

    @classmethod
    def load(cls, path: str | Path) -> Layout:
        """Read a YAML file of overrides (see :meth:`from_mapping`)."""
        from .yamlsrc import YamlProblems, parse, read_text

        path = Path(path)
        try:
            text, _ = read_text(path, str(path))   # size and encoding guarded as for data files
        except YamlProblems as exc:
            raise LayoutError(f"无法读取版式文件 {path}：" + "；".join(p.message for p in exc.problems)) from None
        except OSError as exc:
            raise LayoutError(f"无法读取版式文件 {path}（系统错误 {exc.errno}）。") from None
        _, problems = parse(text, str(path))       # tags, depth, duplicate keys, syntax in Chinese
        errors = [p for p in problems if p.is_error]
        if errors:
            raise LayoutError(f"版式文件 {path} 不是有效的 YAML：\n" + "\n".join(p.format() for p in errors))
        data = yaml.safe_load(text)
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise LayoutError(f"版式文件 {path} 的顶层应为键值映射")
        return cls.from_mapping(data, source=f"版式文件 {path} ")


def _apply(obj: Any, overrides: Mapping[str, Any], prefix: str, problems: list[str]) -> Any:
    """Return ``obj`` (a dataclass) with ``overrides`` applied; collect problems."""
    hints = get_type_hints(type(obj))
    names = [f.name for f in fields(obj)]
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        path = f"{prefix}{key}"
        if key not in names:
            problems.append(f"未知的设置项“{path}”，可用的设置项：{'、'.join(names)}")
            continue
        current = getattr(obj, key)
        if is_dataclass(current):
            if not isinstance(value, Mapping):
                problems.append(f"设置项“{path}”应为键值映射")
                continue
            changes[key] = _apply(current, value, f"{path}.", problems)
        elif key == "font_fallbacks":
            if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                problems.append(f"设置项“{path}”应为“字体名: 替代字体名”的映射")
                continue
            changes[key] = tuple({**dict(current), **value}.items())
        else:
            converted = _convert(value, hints[key], path, problems)
            if converted is not _INVALID:
                changes[key] = converted
    return replace(obj, **changes)


_INVALID = object()


def _convert(value: Any, hint: Any, path: str, problems: list[str]) -> Any:
    """One scalar override converted to the field's type, or ``_INVALID``."""
    options = get_args(hint)
    if hint is bool:
        if isinstance(value, bool):
            return value
        problems.append(f"设置项“{path}”应为 true 或 false，而不是“{value}”")
    elif hint is str:
        if isinstance(value, str) and value.strip():
            return value
        problems.append(f"设置项“{path}”应为非空文字，而不是“{value}”")
    elif hint == TextAlign:
        if value in options:
            return value
        problems.append(f"设置项“{path}”应为 {'、'.join(options)} 之一，而不是“{value}”")
    elif Decimal in (hint, *options):
        if value is None and type(None) in options:
            return None
        if isinstance(value, (int, float, str, Decimal)) and not isinstance(value, bool):
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                number = None
            positive = path.endswith(_POSITIVE)
            if number is not None and number.is_finite() and (number > 0 if positive else number >= 0):
                return number
        problems.append(f"设置项“{path}”应为{'大于' if path.endswith(_POSITIVE) else '不小于'} 0 的数字，而不是“{value}”")
    return _INVALID


# Sizes that cannot be zero (a zero font size or line pitch, or zero characters a line).
_POSITIVE = ("size_pt", "line_pitch_pt", "chars_per_line", "width_mm", "height_mm", "border_pt")
