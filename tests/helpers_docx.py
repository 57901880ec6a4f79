"""Helpers for the DOCX writer tests: a hand-built report and XML access."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from budgetdoc.document import Cell, Heading, PageBreak, Paragraph, ReportDoc, Table

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W_NS, "r": R_NS}


def w(name: str) -> str:
    """Clark name of a ``w:`` attribute or element."""
    return f"{{{W_NS}}}{name}"


def part(docx: bytes, name: str) -> etree._Element:
    """Parse one XML part of a DOCX package."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return etree.fromstring(package.read(name))


def xpath(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=NS)


def one(root: etree._Element, path: str):
    found = xpath(root, path)
    assert len(found) == 1, f"{path}: expected one match, found {len(found)}"
    return found[0]


def style(styles: etree._Element, style_id: str) -> etree._Element:
    return one(styles, f"/w:styles/w:style[@w:styleId='{style_id}']")


def footers(docx: bytes) -> dict[str, etree._Element]:
    """Footer parts by reference type ("default", "even")."""
    document = part(docx, "word/document.xml")
    rels = part(docx, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    return {
        ref.get(w("type")): part(docx, "word/" + targets[ref.get(f"{{{R_NS}}}id")])
        for ref in xpath(document, "//w:sectPr/w:footerReference")
    }


def paragraph_text(p: etree._Element) -> str:
    return "".join(xpath(p, ".//w:t/text()"))


def sample_table(rows: int = 3) -> Table:
    header = (
        Cell("科目编码", "center"),
        Cell("科目名称", "center"),
        Cell("合计", "center"),
        Cell("基本支出", "center"),
        Cell("项目支出", "center"),
    )
    body = tuple(
        (
            Cell(f"2010{i:03d}"),
            Cell(f"科目第{i}项"),
            Cell(f"{i}.00", "right"),
            Cell(f"{i}.50", "right"),
            Cell("0.00", "right"),
        )
        for i in range(1, rows + 1)
    )
    return Table(
        header=(header,),
        rows=body,
        title="一般公共预算支出表",
        unit="单位：万元",
        widths=(2, 4, 1.5, 1.5, 1.5),
        note="注：本表为示例。",
    )


def sample_report() -> ReportDoc:
    """A small report with every kind of block the model has."""
    return ReportDoc(
        title="某某局2020年部门预算公开说明",
        subtitle="（2020年3月）",
        year=2020,
        blocks=(
            Heading(1, "部门职责及机构设置", "第一部分"),
            Heading(2, "部门职责", "一、"),
            Paragraph("贯彻执行国家财政、税收方针政策和法律法规。"),
            Heading(3, "机构设置", "（一）"),
            Heading(4, "内设机构", "1."),
            Heading(5, "人员编制", "（1）"),
            Paragraph("内设机构包括办公室、预算科。", "1.", 4),
            Paragraph("所属单位包括国库集中支付中心。", "（1）", 5),
            Paragraph("本表为空表。", role="plain"),
            Paragraph("某某局", role="signature"),
            Paragraph("表一", role="caption"),
            PageBreak(),
            Heading(1, "部门预算公开表", "第二部分"),
            sample_table(),
        ),
    )
