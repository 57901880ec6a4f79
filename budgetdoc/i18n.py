"""Chinese for the words click and typer print themselves (Usage, Options, usage errors …).

budgetdoc's own messages are written in Chinese; the command-line libraries
around them speak gettext, so a small catalogue (``locale/zh_CN``, domain
``messages``, the one click and typer use) translates them.  :func:`install`
must run before click and typer are imported, because typer computes some
of its labels at import time; :mod:`budgetdoc.entry` does that.

``python -m budgetdoc.i18n`` rebuilds ``messages.mo`` from ``messages.po``
(pure Python: no msgfmt needed).
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PO_FILE = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def install() -> None:
    """Make gettext (and so click and typer) answer in Simplified Chinese."""
    os.environ["LANGUAGE"] = "zh_CN"
    gettext.bindtextdomain("messages", str(LOCALE_DIR))
    gettext.textdomain("messages")


def read_po(text: str) -> dict[str, str]:
    """The msgid → msgstr pairs of a simple .po file (single-line strings).

    A plural entry (``msgid_plural``, ``msgstr[0]`` …) is keyed as the .mo
    format keys it: ``singular\0plural`` → ``form0\0form1…``.
    """
    entries: dict[str, str] = {}
    msgid: str | None = None
    plural: str | None = None
    forms: dict[int, str] = {}

    def flush() -> None:
        nonlocal msgid, plural, forms
        if msgid is not None and plural is not None and forms:
            entries[f"{msgid}\0{plural}"] = "\0".join(forms[i] for i in sorted(forms))
        msgid, plural, forms = None, None, {}

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            flush()
            msgid = ast.literal_eval(line[6:])
        elif line.startswith("msgid_plural "):
            plural = ast.literal_eval(line[13:])
        elif line.startswith("msgstr[") and msgid is not None:
            index, _, value = line[7:].partition("] ")
            forms[int(index)] = ast.literal_eval(value)
        elif line.startswith("msgstr ") and msgid is not None:
            entries[msgid] = ast.literal_eval(line[7:])
            msgid = None
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """GNU .mo bytes for ``entries`` (the format gettext reads)."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    count = len(keys)
    header = 7 * 4
    ids_table = header
    strs_table = ids_table + count * 8
    data = strs_table + count * 8
    offsets: list[int] = []
    blob = b""
    for item in ids + strs:
        offsets.append(data + len(blob))
        blob += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    for i, item in enumerate(ids):
        out += struct.pack("<2I", len(item), offsets[i])
    for i, item in enumerate(strs):
        out += struct.pack("<2I", len(item), offsets[count + i])
    return out + blob


if __name__ == "__main__":
    MO_FILE.write_bytes(compile_mo(read_po(PO_FILE.read_text("utf-8"))))
    print(f"已生成：{MO_FILE}")
