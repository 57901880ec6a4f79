"""A report to audit, read from .docx, .txt or .pdf into paragraphs and tables.

* **.docx** — :mod:`budgetdoc.review.docxtext` (pure Python): paragraphs and
  tables in body order, tracked changes as the document currently reads,
  heading levels from the paragraph styles, merged cells from ``w:gridSpan``.
* **.txt** — one paragraph a line, as ``budgetdoc text`` and the ``.txt`` beside
  a generated report write it; runs of lines with `` | `` between cells are
  tables.  A text whose long lines mostly stop mid-sentence (a PDF's text
  pasted into a file) is joined back into paragraphs as a PDF's is.
* **.pdf** — the text ``pdftotext`` (poppler-utils) extracts, page by page:
  page-number footers (``—3—``、``- 3 -``、``第3页``) are dropped, and lines are
  joined into paragraphs — a line continues the previous one when the
  previous one is full (as wide as the page's text) and it does not start
  with a heading number.  Tables in a PDF are not rebuilt (their cells come
  out as short lines, which hold no amounts with a unit); the text is
  audited, the tables are not.

Paragraphs are numbered as ``budgetdoc diff`` numbers them: the non-empty
paragraphs outside tables, from 1.  Tables are numbered from 1 in document
order; each keeps the caption above it (表3-2, its title, 单位：万元) and the
note under it (注：……).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..review.docxtext import DocxError, TableBlock, read_blocks


class AuditInputError(Exception):
    """A file that cannot be audited.  The message is user-facing (Chinese)."""


@dataclass(frozen=True)
class Paragraph:
    number: int                     # 第N段: among the non-empty paragraphs outside tables, from 1
    text: str                       # as read
    style_level: int | None = None  # heading level from a DOCX style (0 for a title), if any
    line: int | None = None         # .txt: the line it starts on
    page: int | None = None         # .pdf: the page it starts on
    page_starts: tuple[tuple[int, int], ...] = ()   # (offset in text, page) where a later page begins

    def page_at(self, offset: int) -> int | None:
        """The page that holds ``text[offset]`` (PDF only)."""
        page = self.page
        for start, number in self.page_starts:
            if offset >= start:
                page = number
        return page


@dataclass(frozen=True)
class Cell:
    text: str
    column: int         # first grid column, from 0
    span: int = 1


@dataclass(frozen=True)
class Table:
    number: int                          # 表N: the Nth table of the document
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    caption: tuple[str, ...] = ()        # the short paragraphs just above it: 表3-2, its title, 单位
    note: str = ""                       # the paragraph just below it, when it is a 注
    after_paragraph: int = 0             # the number of the last paragraph before it
    line: int | None = None              # .txt: the line of its first row

    @property
    def width(self) -> int:
        return max((c.column + c.span for row in self.rows for c in row), default=0)

    @property
    def title(self) -> str:
        """The caption line that names the table (…表), or ""."""
        for text in self.caption:
            if _TABLE_TITLE.search(text) and not _TABLE_NUMBER.fullmatch(text.strip()):
                return text.strip()
        return ""

    @property
    def label(self) -> str:
        """What the table calls itself: ``表3-2 2020年一般公共预算“三公”经费支出表``."""
        numbers = [t.strip() for t in self.caption if _TABLE_NUMBER.fullmatch(t.strip())]
        return " ".join(part for part in (numbers[0] if numbers else "", self.title) if part)

    @property
    def unit(self) -> str:
        """万元 or 元, from 单位：… in the caption; 万元 when the caption does not say."""
        for text in self.caption:
            match = _UNIT.search(unicodedata.normalize("NFKC", text))
            if match:
                return match.group(1)
        return "万元"


@dataclass(frozen=True)
class Report:
    name: str                      # the file as named on the command line
    kind: str                      # "docx", "txt" or "pdf"
    paragraphs: tuple[Paragraph, ...]
    tables: tuple[Table, ...] = field(default_factory=tuple)


_TABLE_NUMBER = re.compile(r"(?:附?表|附件)\s*[0-9０-９一二三四五六七八九十]+(?:\s*[-－—]\s*[0-9０-９]+)?")
_TABLE_TITLE = re.compile(r"表\s*$|表[（(]")
_UNIT = re.compile(r"单位\s*:\s*(万元|元)")
_NUMERIC = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def is_numeric(text: str) -> bool:
    return bool(_NUMERIC.match(unicodedata.normalize("NFKC", text).strip()))


def read_report(source: bytes | str | Path, kind: str | None = None, name: str | None = None) -> Report:
    """Read a report.  ``kind`` (docx, txt, pdf) defaults to the file's extension; bytes need it."""
    if isinstance(source, bytes):
        if kind is None:
            raise ValueError("read_report: bytes need a kind")
        shown = name or f"{kind.upper()} 数据"
        data = source
    else:
        path = Path(source)
        shown = name or str(source)
        kind = kind or path.suffix.lower().lstrip(".")
        if kind not in ("docx", "txt", "pdf"):
            raise AuditInputError(f"{shown} 不是可以审核的文件：只能审核 .docx、.txt 和 .pdf 文件"
                                  f"（.doc 和 .wps 请先在 Word/WPS 中另存为 .docx）。")
        if not path.exists():
            raise AuditInputError(f"找不到文件：{shown}")
        if path.is_dir():
            raise AuditInputError(f"{shown} 是目录，不是文件。")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AuditInputError(f"无法读取文件 {shown}：{exc.strerror}") from exc
    if kind == "docx":
        return _read_docx(data, shown)
    if kind == "txt":
        return _read_txt(_decode(data, shown), shown)
    if kind == "pdf":
        return _read_pdf(data, shown)
    raise ValueError(f"read_report: unknown kind {kind!r}")


# ------------------------------------------------------------------- docx

def _read_docx(data: bytes, name: str) -> Report:
    try:
        blocks = read_blocks(data)
    except DocxError as exc:
        raise AuditInputError(str(exc).replace("DOCX 数据", name)) from exc
    paragraphs: list[Paragraph] = []
    tables: list[Table] = []
    recent: list[str] = []          # the paragraphs since the last table, for the next table's caption
    pending_note: list[int] = []    # a table waiting for the paragraph under it
    for block in blocks:
        if isinstance(block, TableBlock):
            rows = tuple(_cells(row, spans) for row, spans in zip(block.rows, block.spans or
                                                                    [(1,) * len(r) for r in block.rows]))
            header = block.header_rows or _leading_text_rows(rows)
            tables.append(Table(len(tables) + 1, rows, header, _caption(recent), "",
                                paragraphs[-1].number if paragraphs else 0))
            recent = []
            pending_note = [len(tables) - 1]
            continue
        if not block.text.strip():
            continue
        paragraphs.append(Paragraph(len(paragraphs) + 1, block.text, block.heading_level))
        recent.append(block.text)
        if pending_note:
            index = pending_note.pop()
            if _is_note(block.text):
                tables[index] = _with_note(tables[index], block.text)
    return Report(name, "docx", tuple(paragraphs), tuple(tables))


def _cells(texts: tuple[str, ...], spans: tuple[int, ...]) -> tuple[Cell, ...]:
    cells, column = [], 0
    for text, span in zip(texts, spans):
        cells.append(Cell(" ".join(part for part in text.split("\n") if part.strip()).strip(), column, span))
        column += span
    return tuple(cells)


def _leading_text_rows(rows: tuple[tuple[Cell, ...], ...]) -> int:
    """Rows at the top without a number in any cell: the header, when the table does not mark it."""
    count = 0
    for row in rows:
        if any(is_numeric(c.text) for c in row):
            break
        count += 1
    return count if count < len(rows) else 0


def _caption(recent: list[str]) -> tuple[str, ...]:
    """The short lines just above a table that name it: 表3-2, its title, 编制部门 / 单位.

    At most four lines, none of them a sentence (ending 。) or long; when one
    of them is a table number (表3-2), the caption starts there.
    """
    caption: list[str] = []
    for text in reversed(recent[-4:]):
        stripped = text.strip()
        if len(stripped) > 60 or stripped.endswith("。"):
            break
        caption.insert(0, stripped)
    numbered = [i for i, text in enumerate(caption) if _TABLE_NUMBER.fullmatch(text)]
    if numbered:
        caption = caption[numbered[-1]:]
    elif len(caption) > 2:
        caption = caption[-2:]
    return tuple(caption)


def _is_note(text: str) -> bool:
    return bool(re.match(r"^\s*(?:注|说明)\s*[:：]|.*空表", text))


def _with_note(table: Table, note: str) -> Table:
    return Table(table.number, table.rows, table.header_rows, table.caption, note.strip(),
                 table.after_paragraph, table.line)


# -------------------------------------------------------------------- txt

def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with its BOM, else GB18030 (which reads GBK and GB2312)."""
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AuditInputError(f"{name} 不是文本文件，或者编码无法识别：请另存为 UTF-8 编码的 .txt 再审核。")


def _read_txt(text: str, name: str) -> Report:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "\f" in text or looks_wrapped([line for line in lines if line.strip() and " | " not in line]):
        return _from_pages(text.split("\f"), name, "txt")
    paragraphs: list[Paragraph] = []
    tables: list[Table] = []
    recent: list[str] = []
    pending_note: int | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        run = _table_run(lines, index)
        if run:
            rows = _pipe_rows(lines[index:index + run])
            tables.append(Table(len(tables) + 1, rows, _leading_text_rows(rows), _caption(recent), "",
                                paragraphs[-1].number if paragraphs else 0, index + 1))
            recent = []
            pending_note = len(tables) - 1
            index += run
            continue
        index += 1
        if not line.strip():
            continue
        first = index
        while index < len(lines) and lines[index].strip() and not _table_run(lines, index) \
                and continues(line, lines[index]):
            line += "\n" + lines[index]
            index += 1
        paragraphs.append(Paragraph(len(paragraphs) + 1, line, line=first))
        recent.append(line)
        if pending_note is not None:
            if _is_note(line):
                tables[pending_note] = _with_note(tables[pending_note], line)
            pending_note = None
    return Report(name, "txt", tuple(paragraphs), tuple(tables))


#: A figure cut at a line break: 176.65 / 万元, 176.65万 / 元, 176. / 65万元.
_FIGURE_SPLIT = (
    (re.compile(r"[\d０-９.．]\s*$"), re.compile(r"^\s*(?:[万亿]?元|[万亿%％])")),
    (re.compile(r"[\d０-９]\s*[万亿]\s*$"), re.compile(r"^\s*元")),
    (re.compile(r"[\d０-９][.．]\s*$"), re.compile(r"^\s*[\d０-９]")),
)
_PUNCTUATION_START = re.compile(r"^\s*[，,。；;、%％）)]")


def continues(line: str, following: str) -> bool:
    """``following`` goes on with the sentence ``line`` broke off: after a comma, or inside a figure.

    A line that ends with ，、；（ cannot end a paragraph; a figure cut in two
    (``176.65 万`` / ``元``) and a line that starts with punctuation continue the
    line before.  A line that starts with a heading number never continues.
    """
    if _STARTS_BLOCK.match(following):
        return False
    if _PUNCTUATION_START.match(following):
        return True
    if any(end.search(line) and start.match(following) for end, start in _FIGURE_SPLIT):
        return True
    return bool(re.search(r"[，,、；;（(]\s*$", line))


def _table_run(lines: list[str], start: int) -> int:
    """How many lines from ``start`` are rows of a `` | `` table (at least two, else 0)."""
    end = start
    while end < len(lines) and " | " in lines[end]:
        end += 1
    return end - start if end - start >= 2 else 0


def _pipe_rows(lines: list[str]) -> tuple[tuple[Cell, ...], ...]:
    """Rows written `` | `` between cells, laid out on one grid.

    The text form writes a cell merged across columns once, so the widest
    row gives the grid.  A shorter header row is spread over the row below:
    a header cell stands over one column where the row below is empty, and
    over the run of filled cells below it otherwise (科目编码 over 类 | 款 |
    项).  A two-sided 收支总表 (项目 twice in a header row) splits at the
    second 项目.  A shorter body row is a label merged over the first
    columns (合计 over 类 | 款 | 项 | 科目名称), its amounts in the last ones.
    """
    texts = [[part.strip() for part in line.split(" | ")] for line in lines]
    width = max(len(row) for row in texts)
    header = 0
    for row in texts:
        if any(is_numeric(t) for t in row):
            break
        header += 1
    rows: list[tuple[Cell, ...]] = []
    for i, row in enumerate(texts):
        if len(row) == width:
            rows.append(tuple(Cell(t, c) for c, t in enumerate(row)))
        elif i < header:
            below = next((texts[j] for j in range(i + 1, header) if len(texts[j]) == width), None)
            rows.append(_spread_header(row, below, width))
        else:
            lead = width - len(row) + 1
            rows.append((Cell(row[0], 0, lead),) + tuple(Cell(t, lead + k) for k, t in enumerate(row[1:])))
    return tuple(rows)


def _spread_header(row: list[str], below: list[str] | None, width: int) -> tuple[Cell, ...]:
    if below is not None and below.count("项目") >= 2 and len(row) == 2:
        split = below.index("项目", 1)
        return (Cell(row[0], 0, split), Cell(row[1], split, width - split))
    cells: list[Cell] = []
    column = 0
    for k, text in enumerate(row):
        if k == len(row) - 1:
            span = max(1, width - column)
        else:
            left = len(row) - k - 1                 # header cells still to place, one column each at least
            span = 1
            if below is not None and below[column]:
                while column + span < width - left and below[column + span]:
                    span += 1
        cells.append(Cell(text, column, span))
        column += span
    return tuple(cells)


# -------------------------------------------------------------------- pdf

def _read_pdf(data: bytes, name: str) -> Report:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise AuditInputError("审核 PDF 文件需要 pdftotext 程序，它在 poppler-utils 软件包中："
                              "Debian/Ubuntu 上运行 sudo apt-get install poppler-utils，"
                              "其他系统请安装 poppler，然后再审核。也可以审核同一报告的 .docx 文件。")
    try:
        done = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise AuditInputError(f"读取 {name} 超时（pdftotext 运行超过 2 分钟）。") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AuditInputError(f"{name} 无法作为 PDF 读取（pdftotext：{detail[-1] if detail else '出错'}）。"
                              "文件可能已损坏或加了密码。")
    text = done.stdout.decode("utf-8", "replace")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise AuditInputError(f"{name} 中没有可以读取的文字：可能是扫描件（图片）。请审核报告的 .docx 文件，"
                              "或先做文字识别（OCR）。")
    return _from_pages(text.split("\f"), name, "pdf")


_FOOTER = re.compile(r"^[\s\-—–－]*(?:第\s*)?\d{1,4}\s*(?:页)?[\s\-—–－]*$|^第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?$")
_STARTS_BLOCK = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
    r"\d{1,2}\s*[.、．]\s*\D|附?表\s*\d|注\s*[:：])")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text if not c.isspace())


def _full_width(lines: list[str]) -> int:
    widths = sorted(_width(line) for line in lines if line.strip())
    if not widths:
        return 0
    return widths[min(len(widths) - 1, int(len(widths) * 0.9))]


def looks_wrapped(lines: list[str]) -> bool:
    """Long lines that mostly stop mid-sentence: text broken at the page's width, as a PDF's is."""
    full = _full_width(lines)
    if full < 30:
        return False
    long = [line.rstrip() for line in lines if _width(line) >= full - 6]
    open_ended = [line for line in long if line and line[-1] not in "。！？!?：:；;”」）)"]
    return len(long) >= 5 and len(open_ended) * 2 > len(long)


def _from_pages(pages: list[str], name: str, kind: str) -> Report:
    """Paragraphs from lines broken at the page width (PDF text), with the page of every line."""
    lines: list[tuple[str, int, int]] = []       # (text, page, line number in the whole text)
    number = 0
    for page, text in enumerate(pages, 1):
        for line in text.replace("\r\n", "\n").split("\n"):
            number += 1
            if line.strip() and not _FOOTER.match(line):
                lines.append((line.strip(), page, number))
    full = _full_width([text for text, _, _ in lines])
    paragraphs: list[Paragraph] = []
    current: list[tuple[str, int, int]] = []

    def close() -> None:
        if not current:
            return
        text, starts, page = "", [], current[0][1]
        for piece, piece_page, _ in current:
            if text:
                text += "\n"
            if piece_page != page:
                starts.append((len(text), piece_page))
                page = piece_page
            text += piece
        paragraphs.append(Paragraph(len(paragraphs) + 1, text, line=current[0][2] if kind == "txt" else None,
                                    page=current[0][1] if kind == "pdf" else None,
                                    page_starts=tuple(starts) if kind == "pdf" else ()))
        current.clear()

    for entry in lines:
        text = entry[0]
        if current and (_width(current[-1][0]) < full - 6 or _STARTS_BLOCK.match(text)) \
                and not continues(current[-1][0], text):
            close()
        current.append(entry)
    close()
    return Report(name, kind, tuple(paragraphs), ())
