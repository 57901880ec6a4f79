"""The document's own styles and font table, built from a :class:`Layout`.

The python-docx template's ``styles.xml`` is emptied and refilled: its
``w:docDefaults`` point at theme fonts, which would override every explicit
East Asian font.  Each style sets all four ``w:rFonts`` slots itself, so the
result does not depend on the theme, the template or the reader's defaults.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from docx.document import Document
from docx.oxml.xmlchemy import BaseOxmlElement

from budgetdoc.layout import SANS_FONTS, Layout, TextStyle

from .oxml import (
    condensing,
    element,
    first_line_indent,
    justification,
    pt_to_twips,
    run_properties,
    spacing,
    style_run_properties,
    xml_attr,
)

# Style ids used by the blocks and tables; names are what Word shows.
NORMAL = "Normal"
BODY = "Body"
SIGNATURE = "Signature"
TITLE = "Title"
SUBTITLE = "Subtitle"
CAPTION = "TableCaption"
TABLE_NUMBER = "TableNumber"
TABLE_ISSUER = "TableIssuer"
TABLE_UNIT = "TableUnit"
TABLE_NOTE = "TableNote"
TABLE_TEXT = "TableText"
TABLE_HEADER = "TableHeader"
TABLE_TOTAL = "TableTotal"
PAGE_NUMBER = "PageNumber"
TABLE_NORMAL = "TableNormal"


def heading_id(level: int) -> str:
    return f"Heading{level}"


def install_styles(document: Document, layout: Layout) -> None:
    """Replace the template's styles with the layout's."""
    styles = document.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in _styles(layout):
        styles.append(child)


def font_table_xml(layout: Layout) -> bytes:
    """``word/fontTable.xml``: each font with its fallback (``w:altName``)."""
    east_asian = layout.east_asian_fonts()
    entries = []
    for name in dict.fromkeys(east_asian + layout.latin_fonts()):
        fallback = layout.fallback_for(name)
        alt = f"<w:altName w:val={xml_attr(fallback)}/>" if fallback else ""
        charset = "86" if name in east_asian else "00"
        family = "swiss" if name in SANS_FONTS else "roman"
        entries.append(
            f"<w:font w:name={xml_attr(name)}>{alt}<w:charset w:val=\"{charset}\"/>"
            f"<w:family w:val=\"{family}\"/><w:pitch w:val=\"variable\"/></w:font>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "".join(entries)
        + "</w:fonts>"
    ).encode("utf-8")


def _styles(layout: Layout) -> list[BaseOxmlElement]:
    body = layout.body
    page_pitch = layout.page.line_pitch_pt
    plain = replace(body, first_line_chars=Decimal(0))
    table = layout.table
    table_text = TextStyle(
        font=table.font,
        latin=table.latin,
        size_pt=table.size_pt,
        align="left",
        line_pitch_pt=table.line_pitch_pt,
    )
    number = layout.page_number

    def condense(style: TextStyle) -> int:
        """Running text and headings keep the page's characters per line."""
        return condensing(layout.page.text_width_mm, layout.page.chars_per_line, style.size_pt)

    styles = [
        _doc_defaults(layout),
        _paragraph_style(NORMAL, "Normal", plain, page_pitch, default=True, condense=condense(plain)),
        _paragraph_style(BODY, "公文正文", body, page_pitch, condense=condense(body)),
        _paragraph_style(
            SIGNATURE, "落款", replace(plain, align="right"), page_pitch, condense=condense(plain)
        ),
        _paragraph_style(TITLE, "Title", layout.title, page_pitch),
        _paragraph_style(SUBTITLE, "Subtitle", layout.subtitle, page_pitch),
    ]
    for level in range(1, 6):
        heading = layout.heading(level)
        styles.append(
            _paragraph_style(
                heading_id(level),
                f"heading {level}",
                heading,
                page_pitch,
                outline=level,
                condense=condense(heading),
            )
        )
    styles += [
        _paragraph_style(TABLE_NUMBER, "表号", replace(table_text, font=table.header_font), page_pitch,
                         keep_next=True),
        _paragraph_style(CAPTION, "表题", layout.caption, page_pitch, keep_next=True),
        _paragraph_style(TABLE_ISSUER, "编制单位", table_text, page_pitch, keep_next=True),
        _paragraph_style(TABLE_UNIT, "表格单位", replace(table_text, align="right"), page_pitch, keep_next=True),
        _paragraph_style(TABLE_NOTE, "表注", table_text, page_pitch),
        _paragraph_style(TABLE_TEXT, "表格文字", table_text, page_pitch),
        _paragraph_style(TABLE_HEADER, "表头", replace(table_text, font=table.header_font), page_pitch),
        _paragraph_style(TABLE_TOTAL, "表格合计", replace(table_text, font=table.header_font), page_pitch),
        _paragraph_style(
            PAGE_NUMBER,
            "页码",
            TextStyle(font=number.font, latin=number.latin, size_pt=number.size_pt, align="right"),
            None,
        ),
        _table_normal(),
    ]
    return styles


def _doc_defaults(layout: Layout) -> BaseOxmlElement:
    body = layout.body
    rpr = run_properties(body.font, body.latin, body.size_pt)
    rpr.append(element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    return element(
        "w:docDefaults",
        (
            element("w:rPrDefault", (rpr,)),
            element(
                "w:pPrDefault",
                (
                    element(
                        "w:pPr",
                        (
                            # Word's default, written out for LibreOffice, which
                            # reads it inverted as "no hanging punctuation" (its
                            # hanging marks vanish from justified full lines).
                            element("w:overflowPunct", val="1"),
                            # No extra gap between Chinese and Latin/digits ("2020年").
                            element("w:autoSpaceDE", val="0"),
                            element("w:autoSpaceDN", val="0"),
                            element("w:spacing", after="0"),
                        ),
                    ),
                ),
            ),
        ),
    )


def _paragraph_style(
    style_id: str,
    name: str,
    style: TextStyle,
    page_pitch: Decimal | None,
    *,
    default: bool = False,
    outline: int | None = None,
    keep_next: bool = False,
    condense: int = 0,
) -> BaseOxmlElement:
    """``w:style`` of type paragraph, complete (no reliance on basedOn)."""
    pitch = style.line_pitch_pt if style.line_pitch_pt is not None else page_pitch
    ppr_children: list[BaseOxmlElement] = []
    if keep_next or outline is not None:
        ppr_children.append(element("w:keepNext"))
    if outline is not None:
        ppr_children.append(element("w:keepLines"))
    ppr_children += [
        spacing(
            pitch,
            before_twips=_lines(style.space_before_lines, pitch),
            after_twips=_lines(style.space_after_lines, pitch),
        ),
        first_line_indent(style.first_line_chars, style.size_pt),
        justification(style.align),
    ]
    if outline is not None:
        ppr_children.append(element("w:outlineLvl", val=str(outline - 1)))
    attrs = {"type": "paragraph", "styleId": style_id}
    if default:
        attrs["default"] = "1"
    head = [element("w:name", val=name)]
    if not default:
        head += [element("w:basedOn", val=NORMAL), element("w:next", val=BODY)]
    head.append(element("w:qFormat"))
    return element(
        "w:style",
        tuple(head) + (element("w:pPr", tuple(ppr_children)), style_run_properties(style, condense)),
        **attrs,
    )


def _lines(count: Decimal, pitch_pt: Decimal | None) -> int:
    """``count`` lines of ``pitch_pt`` in twips (0 without a fixed pitch)."""
    return pt_to_twips(count * pitch_pt) if pitch_pt is not None else 0


def _table_normal() -> BaseOxmlElement:
    """The default table style Word expects ("Normal Table")."""
    return element(
        "w:style",
        (
            element("w:name", val="Normal Table"),
            element("w:uiPriority", val="99"),
            element("w:semiHidden"),
            element(
                "w:tblPr",
                (
                    element("w:tblInd", w="0", type="dxa"),
                    element(
                        "w:tblCellMar",
                        (
                            element("w:top", w="0", type="dxa"),
                            element("w:left", w="108", type="dxa"),
                            element("w:bottom", w="0", type="dxa"),
                            element("w:right", w="108", type="dxa"),
                        ),
                    ),
                ),
            ),
        ),
        type="table",
        default="1",
        styleId=TABLE_NORMAL,
    )
