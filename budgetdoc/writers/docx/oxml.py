"""Raw OOXML helpers: units, run fonts, paragraph properties, fields, borders.

Everything that python-docx has no API for is built here, with lxml elements
in the WordprocessingML namespace.  See docs/typesetting.md for why each
element is needed.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from budgetdoc.layout import TextStyle

MM_PER_INCH = Decimal("25.4")
TWIPS_PER_INCH = 1440
TWIPS_PER_PT = 20


def xml_text(text: str) -> str:
    """``text`` as XML character data (xml.sax.saxutils.escape, whose module imports urllib and costs a
    cold start ~15 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: str) -> str:
    """``value`` as a double-quoted XML attribute value, quotes included."""
    return '"' + xml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;") \
        .replace("\t", "&#9;") + '"'


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mm_to_twips(mm: Decimal) -> int:
    return _round(mm * TWIPS_PER_INCH / MM_PER_INCH)


def pt_to_twips(pt: Decimal) -> int:
    return _round(pt * TWIPS_PER_PT)


def half_points(pt: Decimal) -> str:
    """``w:sz`` value: font size in half-points."""
    return str(_round(pt * 2))


def element(tag: str, children: tuple[BaseOxmlElement, ...] = (), **attrs: str) -> BaseOxmlElement:
    """``<w:tag w:key="value" …>children</w:tag>``; attribute names without prefix."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    for child in children:
        el.append(child)
    return el


def run_properties(
    east_asia: str, latin: str, size_pt: Decimal, bold: bool = False, condense_twips: int = 0
) -> BaseOxmlElement:
    """``w:rPr`` with all four font slots set explicitly (no theme fonts).

    ``condense_twips`` narrows every character by that many twentieths of a
    point (``w:spacing``), to fit a given number of characters on a line.
    """
    children = [
        element("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin),
        element("w:b", val="1" if bold else "0"),
        element("w:bCs", val="1" if bold else "0"),
    ]
    if condense_twips:
        children.append(element("w:spacing", val=str(-condense_twips)))
    children += [
        element("w:sz", val=half_points(size_pt)),
        element("w:szCs", val=half_points(size_pt)),
    ]
    return element("w:rPr", tuple(children))


def style_run_properties(style: TextStyle, condense_twips: int = 0) -> BaseOxmlElement:
    return run_properties(style.font, style.latin, style.size_pt, style.bold, condense_twips)


def condensing(text_width_mm: Decimal, chars_per_line: Decimal | None, size_pt: Decimal) -> int:
    """Twentieths of a point to take off each character so that
    ``chars_per_line`` characters of ``size_pt`` fit in the text width
    (0 when they fit already or no count is asked for)."""
    if chars_per_line is None:
        return 0
    pitch_pt = text_width_mm * 72 / MM_PER_INCH / chars_per_line
    excess = (size_pt - pitch_pt) * TWIPS_PER_PT
    return int(excess.to_integral_value(rounding=ROUND_CEILING)) if excess > 0 else 0


def spacing(line_pitch_pt: Decimal | None, before_twips: int = 0, after_twips: int = 0) -> BaseOxmlElement:
    """``w:spacing``: exact line pitch when given, else single spacing."""
    if line_pitch_pt is None:
        return element(
            "w:spacing", before=str(before_twips), after=str(after_twips), line="240", lineRule="auto"
        )
    return element(
        "w:spacing",
        before=str(before_twips),
        after=str(after_twips),
        line=str(pt_to_twips(line_pitch_pt)),
        lineRule="exact",
    )


def first_line_indent(chars: Decimal, size_pt: Decimal) -> BaseOxmlElement:
    """Indent in characters (Word, WPS) with the same in twips as fallback."""
    return element(
        "w:ind",
        firstLineChars=str(_round(chars * 100)),
        firstLine=str(pt_to_twips(chars * size_pt)),
    )


def justification(align: str) -> BaseOxmlElement:
    """``w:jc``; the layout's names are the OOXML values."""
    return element("w:jc", val=align)


def page_number_runs(dash: str) -> tuple[BaseOxmlElement, ...]:
    """"— " PAGE " —": a complete PAGE field between two dashes.

    ``w:hint="eastAsia"`` makes Word draw the ambiguous-width dash with the
    East Asian font, one full character wide.
    """

    def run(*children: BaseOxmlElement) -> BaseOxmlElement:
        return element("w:r", (element("w:rPr", (element("w:rFonts", hint="eastAsia"),)),) + children)

    def text(value: str) -> BaseOxmlElement:
        t = element("w:t")
        t.text = value
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return t

    instr = element("w:instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return (
        run(text(f"{dash} ")),
        element("w:r", (element("w:fldChar", fldCharType="begin"),)),
        element("w:r", (instr,)),
        element("w:r", (element("w:fldChar", fldCharType="separate"),)),
        element("w:r", (text("1"),)),
        element("w:r", (element("w:fldChar", fldCharType="end"),)),
        run(text(f" {dash}")),
    )


def table_borders(border_pt: Decimal) -> BaseOxmlElement:
    """``w:tblBorders``: single lines on all six edges."""
    size = str(_round(border_pt * 8))
    return element(
        "w:tblBorders",
        tuple(
            element(f"w:{edge}", val="single", sz=size, space="0", color="000000")
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
        ),
    )


def cell_margins(margin_twips: int) -> BaseOxmlElement:
    """``w:tblCellMar``: left and right padding of every cell."""
    return element(
        "w:tblCellMar",
        (
            element("w:left", w=str(margin_twips), type="dxa"),
            element("w:right", w=str(margin_twips), type="dxa"),
        ),
    )
