"""The package: a clean python-docx document in, reproducible bytes out.

python-docx's default template carries parts a report has no use for
(``stylesWithEffects.xml`` and a thumbnail from Word for Mac, ``customXml``,
…).  :func:`new_document` drops them and installs the layout's font table;
:func:`to_bytes` rewrites the saved zip with :func:`budgetdoc.reproducible_zip.write_zip`
(one fixed timestamp, order and compression; redline writes its output the
same way), so that the same input gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from budgetdoc.layout import Layout
from budgetdoc.reproducible_zip import write_zip

from .styles import font_table_xml

#: Word 2010's copy of the styles, which python-docx has no constant for.
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
#: Document-part relationships of the template that a report does not keep
#: (the font table is replaced by the layout's).
_DROPPED_DOCUMENT_RELS = frozenset(
    {RT.NUMBERING, _STYLES_WITH_EFFECTS, RT.WEB_SETTINGS, RT.CUSTOM_XML, RT.FONT_TABLE}
)
#: Package relationships dropped: the Word-for-Mac thumbnail and app.xml.
_DROPPED_PACKAGE_RELS = frozenset({RT.THUMBNAIL, RT.EXTENDED_PROPERTIES})

AUTHOR = "budgetdoc"
#: Creation date when the report has no year.
UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)


def new_document(layout: Layout) -> Document:
    """An empty document with only the parts a report needs."""
    document = docx.Document()
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.reltype in _DROPPED_DOCUMENT_RELS:
            part.drop_rel(rId)
    package = part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype in _DROPPED_PACKAGE_RELS:
            del package.rels[rId]
    fonts = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, font_table_xml(layout), package)
    part.relate_to(fonts, RT.FONT_TABLE)
    return document


def set_core_properties(document: Document, title: str, year: int | None, author: str = "") -> None:
    """Fixed document properties: nothing depends on the clock or the machine.

    The author is the department the report is for (``budgetdoc`` when the
    document names none); the last author is always ``budgetdoc``: an office
    program that saves the file puts its user there (see :func:`edited_elsewhere`).
    """
    stamp = datetime(year, 1, 1, tzinfo=timezone.utc) if year is not None else UNDATED
    core = document.core_properties
    core.title = title
    core.author = author or AUTHOR
    core.last_modified_by = AUTHOR
    core.comments = ""
    core.created = stamp
    core.modified = stamp
    core.revision = 1
    core.language = "zh-CN"


def to_bytes(document: Document) -> bytes:
    """Save and rewrite the zip deterministically ([Content_Types].xml first)."""
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as source:
        return write_zip((name, source.read(name)) for name in source.namelist())


_CORE = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
         "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
# What every office program rewrites when it saves a file.
_SAVED = ("cp:lastModifiedBy", "dcterms:modified", "cp:revision")


def _core_properties(data: bytes) -> dict[str, str] | None:
    """The core properties of a .docx (``cp:revision`` → text …), or None when it is not a readable one."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = ElementTree.fromstring(package.read("docProps/core.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return None
    found = {}
    for prefix, uri in _CORE.items():
        for element in root.findall(f"{{{uri}}}*"):
            found[f"{prefix}:{element.tag.split('}')[1]}"] = (element.text or "").strip()
    return found


def edited_elsewhere(existing: bytes, new: bytes) -> bool:
    """Whether ``existing`` was saved by Word, WPS or LibreOffice after budgetdoc wrote it.

    budgetdoc writes fixed core properties; any office program that saves the
    file rewrites the modification time, the last author and the revision.
    Properties budgetdoc itself sets differently from one version to the next
    (title, author) do not count.  A file that is not a DOCX at all counts as
    edited too.
    """
    old, fresh = _core_properties(existing), _core_properties(new)
    if old is None or fresh is None:
        return True
    return any(old.get(name) != fresh.get(name) for name in _SAVED)


def written_for(data: bytes) -> tuple[str, str] | None:
    """(department, year) of a report budgetdoc wrote and no office program has saved since; else None.

    The department is the author budgetdoc writes, the year that of the
    creation date.  Reports written before the author named the department
    (author ``budgetdoc``) name none, and give None.
    """
    core = _core_properties(data)
    if core is None or core.get("cp:lastModifiedBy") != AUTHOR or core.get("cp:revision") != "1":
        return None
    author, created = core.get("dc:creator", ""), core.get("dcterms:created", "")
    if not author or author == AUTHOR or len(created) < 4:
        return None
    return author, created[:4]
