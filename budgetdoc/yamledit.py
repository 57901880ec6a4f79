"""Changing figures in a year's YAML files, keeping everything else as the clerk wrote it.

``budgetdoc fix-totals`` and ``budgetdoc import`` both change amounts and
nothing else.  They read the year with the real loader (exact Decimals, each
with its file and YAML path), decide the new figures, and then edit the
files through ruamel.yaml's round-trip mode (as ``new-year`` does), so
comments, key order, quoting and layout survive; a file whose figures do
not change is not rewritten at all.

Every change is a :class:`Change` (where, what, old → new) for the clerk to
read.  Before anything is written the edited texts are loaded and checked
exactly as ``budgetdoc check`` would (:func:`check_texts`); the caller
writes them with :func:`budgetdoc.output.write_outputs`: all files or none.

A file is written back in its own form, so that ``git diff`` shows only the
figures that changed: ruamel.yaml reads the text with LF line breaks
(:func:`load`; given CRLF it keeps the CR in comments only, ends the lines
it writes with LF and drops some blank lines), :func:`dump` gives the
document back the line breaks of the text it was read from, and
:class:`FileForm` the BOM and encoding of the file on disk.  ``new-year`` writes its files the same way,
in the form of the year before's.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML

from .load import YearFolder, _shown_root
from .problems import Source

if TYPE_CHECKING:
    from .pipeline import Checked

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def round_trip_yaml() -> YAML:
    """ruamel.yaml as budgetdoc writes data files (the settings of ``new-year``), amounts as written."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Written, _represent_written)
    return yaml


def newline_of(text: str) -> str:
    """The line break of a file's text: CRLF when most of its lines end with it, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and 2 * crlf >= text.count("\n") else "\n"


def load(yaml: YAML, text: str) -> Any:
    """A file's text as a round-trip document, read with LF line breaks (see :func:`dump`).

    ruamel.yaml keeps the CR of a CRLF text in the comments it keeps and drops some blank lines
    after a flow collection (``政府性基金: []``); with LF it gives back what it read.
    """
    return yaml.load(text.replace("\r\n", "\n"))


def dump(yaml: YAML, doc: Any, like: str) -> str:
    """``doc`` as text, every line ending with the line break of ``like`` (the text it was read from)."""
    stream = io.StringIO()
    yaml.dump(doc, stream)
    text = stream.getvalue().replace("\r\n", "\n")
    return text.replace("\n", "\r\n") if newline_of(like) == "\r\n" else text


@dataclass(frozen=True)
class FileForm:
    """How a data file is stored: the byte-order mark it starts with (if any) and its encoding.

    :func:`budgetdoc.yamlsrc.read_text` reads UTF-8 with or without a BOM and UTF-16 with or without
    one (warning about all but plain UTF-8); a file is written back as it was read.
    """

    bom: bytes = b""
    encoding: str = "utf-8"

    @classmethod
    def of(cls, raw: bytes) -> "FileForm":
        from .yamlsrc import stored_form
        return cls(*stored_form(raw))

    @classmethod
    def read(cls, path: Path) -> "FileForm":
        """The form of the file at ``path``; plain UTF-8 for a file that is not there (or cannot be read)."""
        try:
            return cls.of(path.read_bytes())
        except OSError:
            return cls()

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


class Written(str):
    """An amount as it will appear in the file: ``110.91``, ``12``, ``1.234560``."""


def _represent_written(representer, value: Written):
    tag = "tag:yaml.org,2002:int" if value.isdigit() else "tag:yaml.org,2002:float"
    return representer.represent_scalar(tag, str(value))


def places(value: Decimal) -> int:
    """Decimal places ``value`` needs: 0–2, or 6 for an exact 元 figure in 万元 (1.234567)."""
    exponent = value.normalize().as_tuple().exponent
    needed = max(0, -exponent) if isinstance(exponent, int) else 0
    return needed if needed <= 2 else 6


def written(value: Decimal, old_text: str | None = None) -> Written:
    """How a new amount is written: as many decimals as the old one had (0, 1 or 2), or as it needs.

    A new figure gets two decimals (``7.50``) unless it is 0; a figure that
    needs more than two (an exact 元 amount in 万元) gets six.
    """
    need = places(value)
    old_places = (len(old_text.split(".")[1]) if "." in old_text else 0) if old_text is not None else None
    if old_places is not None and need <= old_places:
        shown = old_places if old_places <= 2 else 6
    elif need > 2:
        shown = 6
    else:
        shown = 0 if value == 0 and old_places is None else 2
    return Written(format(value.quantize(Decimal(1).scaleb(-shown)), "f"))


def figure(value: Decimal) -> str:
    """An amount for a message: two decimals (``7.50``), or six when it has more (``1.234567``)."""
    shown = 6 if places(value) > 2 else 2
    return format(value.quantize(Decimal(1).scaleb(-shown)), "f")


@dataclass(frozen=True)
class Change:
    """One figure changed: where (file:line), what (a label a clerk recognises), old → new."""

    source: Source | None
    label: str
    old: Decimal | None
    new: Decimal | None

    def format(self) -> str:
        where = f"{self.source.file}:{self.source.line}: " if self.source and self.source.line else \
            (f"{self.source.file}: " if self.source else "")
        old = "（无）" if self.old is None else figure(self.old)
        new = "（删除）" if self.new is None else figure(self.new)
        return f"{where}{self.label}：{old} → {new}"


def parse_path(path: str) -> list[str | int]:
    """``一般公共预算[1].下级[2].金额`` → ["一般公共预算", 0, "下级", 1, "金额"] (list indices 0-based)."""
    parts: list[str | int] = []
    for key, index in _PATH_PART.findall(path):
        parts.append(int(index) - 1 if index else key)
    return parts


class YearDocs:
    """The round-trip documents of one year's data files, edited in memory."""

    def __init__(self, folder: Path, texts: dict[str, str]):
        self.folder = folder
        self.yaml = round_trip_yaml()
        self.original = dict(texts)                   # file name → text as read
        self.docs: dict[str, Any] = {name: load(self.yaml, text) for name, text in texts.items()}
        self.touched: set[str] = set()

    @classmethod
    def read(cls, folder: Path, names: list[str]) -> "YearDocs":
        from .yamlsrc import read_text
        texts = {}
        for name in names:
            path = folder / name
            if path.is_file():
                texts[name] = read_text(path, name)[0]
        return cls(folder, texts)

    def node(self, name: str, path: str | list) -> Any:
        node = self.docs[name]
        for part in parse_path(path) if isinstance(path, str) else path:
            node = node[part]
        return node

    def set(self, name: str, path: str, value: Decimal | None, old_text: str | None = None) -> None:
        """Set the amount at ``path`` of file ``name`` (``None`` removes the key)."""
        parts = parse_path(path)
        parent = self.node(name, parts[:-1])
        key = parts[-1]
        if value is None:
            if key in parent:
                del parent[key]
        else:
            parent[key] = written(value, old_text)
        self.touched.add(name)

    def texts(self) -> dict[str, str]:
        """Every file as it would be written (unchanged files as they were read)."""
        out = {}
        for name, doc in self.docs.items():
            if name not in self.touched:
                out[name] = self.original[name]
                continue
            out[name] = dump(self.yaml, doc, self.original[name])
        return out

    def changed(self) -> dict[str, str]:
        """The files whose text differs from what was read."""
        return {name: text for name, text in self.texts().items() if text != self.original.get(name)}


def check_texts(data_root: Path, year: int, texts: dict[str, str]) -> Checked:
    """Load and check ``year`` as ``budgetdoc check`` would, with ``texts`` in place of its files.

    Raises :class:`~budgetdoc.problems.BudgetError` with every problem, the
    places being those the files will have once written.
    """
    from .pipeline import check_folder        # the checks, only once there is something to check
    shown = f"{_shown_root(data_root)}/{year}"
    return check_folder(YearFolder(year, data_root / str(year), shown), texts)
