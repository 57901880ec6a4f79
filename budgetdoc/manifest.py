"""What budgetdoc last wrote into a folder: ``.budgetdoc-files``, the SHA-256 of each file it generated there.

One manifest in every folder that holds generated files (a report's .docx,
.xlsx, .txt and .pdf, a bureau's 汇总.xlsx), written in the same
all-or-nothing step as the files it lists (:func:`budgetdoc.output.write_outputs`,
the manifest renamed last).  An existing file whose bytes are not the ones
recorded was changed after budgetdoc wrote it (:mod:`budgetdoc.reportfiles`
keeps it aside).

The format is that of ``sha256sum`` (``sha256sum -c .budgetdoc-files`` in
the folder checks it): one ``<hex>  <name>`` line per file, sorted by name,
after one comment line; no times, so the same build gives the same bytes.
A name that cannot be written on one line is left out (such a file is
treated as one from before the manifest).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

MANIFEST = ".budgetdoc-files"
HEADER = "# budgetdoc 生成的文件及其 SHA-256，用来发现生成后被修改过的文件；请不要修改、删除或发布本文件。\n"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_path(folder: Path) -> Path:
    return folder / MANIFEST


def read_manifest(folder: Path) -> dict[str, str]:
    """``{file name: SHA-256}`` recorded in ``folder``; empty when there is no readable manifest."""
    try:
        text = manifest_path(folder).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    recorded: dict[str, str] = {}
    for line in text.splitlines():
        hexdigest, sep, name = line.partition("  ")
        if line.startswith("#") or not sep or len(hexdigest) != 64 or not _recordable(name):
            continue
        try:
            int(hexdigest, 16)
        except ValueError:
            continue
        recorded[name] = hexdigest.lower()
    return recorded


def render_manifest(recorded: dict[str, str]) -> bytes:
    """The manifest's bytes: the header, then one line per file in name order."""
    lines = [f"{recorded[name]}  {name}\n" for name in sorted(recorded) if _recordable(name)]
    return (HEADER + "".join(lines)).encode("utf-8")


def _recordable(name: str) -> bool:
    # sha256sum escapes a name with a backslash or a line break; such names are not recorded at all
    return bool(name) and name == name.strip() and not any(ch in name for ch in "\\\n\r/")
