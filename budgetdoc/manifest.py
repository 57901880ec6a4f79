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
import re
from pathlib import Path

MANIFEST = ".budgetdoc-files"
_HEX = re.compile(r"[0-9a-fA-F]{64}")
HEADER = "# budgetdoc 生成的文件及其 SHA-256，用来发现生成后被修改过的文件；请不要修改、删除或发布本文件。\n"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_path(folder: Path) -> Path:
    return folder / MANIFEST


def read_manifest(folder: Path) -> dict[str, str] | None:
    """``{file name: SHA-256}`` recorded in ``folder``: empty when there is no manifest, ``None`` when there is
    one that cannot be read (no permission, saved in another encoding, a line that is not budgetdoc's).

    With ``None`` nothing can be told about the files of the folder: the caller keeps every one it would
    replace or remove (:mod:`budgetdoc.reportfiles`), rather than take an edit for budgetdoc's own file.
    """
    path = manifest_path(folder)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return None if path.exists() or path.is_symlink() else {}
    recorded: dict[str, str] = {}
    # only "\n" ends a line (str.splitlines would also split a name at U+2028, U+0085, \x1c…)
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if not line or line.startswith("#"):
            continue
        hexdigest, sep, name = line.partition("  ")
        if not sep or not _HEX.fullmatch(hexdigest) or not _recordable(name):
            return None
        recorded[name] = hexdigest.lower()
    return recorded


def render_manifest(recorded: dict[str, str]) -> bytes:
    """The manifest's bytes: the header, then one line per file in name order."""
    lines = [f"{recorded[name]}  {name}\n" for name in sorted(recorded) if _recordable(name)]
    return (HEADER + "".join(lines)).encode("utf-8")


def _recordable(name: str) -> bool:
    # sha256sum escapes a name with a backslash or a line break; such names are not recorded at all
    return bool(name) and name == name.strip() and not any(ch in name for ch in "\\\n\r/")
