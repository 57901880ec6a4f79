"""The one ZIP writer for the .docx files budgetdoc writes (reports and redlines).

A .docx is a ZIP package.  Its bytes depend only on its members: every member
gets the same timestamp, compression and attributes, whatever the clock, the
machine or the file they were read from; ``[Content_Types].xml`` comes first,
as Office writes it, and the other members keep their order.
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterable

#: The earliest date a ZIP entry can carry: no clock involved.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CONTENT_TYPES = "[Content_Types].xml"


def write_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """The ZIP archive of ``(name, data)`` members, byte for byte reproducible."""
    members = list(members)
    ordered = [m for m in members if m[0] == CONTENT_TYPES] + [m for m in members if m[0] != CONTENT_TYPES]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data, compresslevel=6)
    return out.getvalue()
