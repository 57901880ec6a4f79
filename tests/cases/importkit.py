"""The files that import cases read, made by the tests (never a real department's file).

``workbook:`` in an import case's case.yaml says how (see tests/cases/README.md):

* ``from: report`` — the 公开表 XLSX that ``budgetdoc report`` writes for data/2020 (or ``data:
  examples/demo`` and ``year: 2021``), then ``cells:`` set (``{sheet, cell, value}``; a value that
  starts with ``=`` is a formula saved without its result, as openpyxl writes it), ``drop_sheets:``
  and ``rename:`` (``{old: new}``);
* ``rows:`` — one sheet (``sheet:``) of rows, written with XlsxWriter (line-item detail);
* ``bytes:`` / ``text:`` — the file's exact content (an empty file, a web page named .xls);
* ``encrypted: true`` — a password-protected workbook as Office writes one: an OLE compound
  file holding EncryptionInfo and EncryptedPackage streams (made here, byte by byte);
* ``xls: true`` — the workbook converted to .xls by LibreOffice (the case is skipped without it).
"""

from __future__ import annotations

import functools
import io
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


@functools.lru_cache(maxsize=4)
def report_xlsx(data: str = "data", year: int = 2020) -> bytes:
    from budgetdoc.pipeline import build_year
    return build_year(ROOT / data, year).xlsx


def make_file(spec: dict, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if "bytes" in spec:
        target.write_bytes(spec["bytes"].encode("latin-1"))
        return
    if "text" in spec:
        target.write_text(spec["text"], encoding="utf-8")
        return
    if spec.get("encrypted"):
        target.write_bytes(encrypted_package())
        return
    if "rows" in spec:
        data = rows_workbook(spec.get("sheet", "Sheet1"), spec["rows"])
    else:
        data = edited_report(spec)
    if spec.get("xls"):
        data = to_xls(data)
    target.write_bytes(data)


def rows_workbook(sheet: str, rows: list[list]) -> bytes:
    import xlsxwriter
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def edited_report(spec: dict) -> bytes:
    import openpyxl
    data = report_xlsx(spec.get("data", "data"), int(spec.get("year", 2020)))
    if not any(k in spec for k in ("cells", "drop_sheets", "rename")):
        return data
    book = openpyxl.load_workbook(io.BytesIO(data))
    for name in spec.get("drop_sheets", []):
        del book[name]
    for old, new in (spec.get("rename") or {}).items():
        book[old].title = new
    for cell in spec.get("cells", []):
        book[cell["sheet"]][cell["cell"]] = cell["value"]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xls(data: bytes) -> bytes:
    import pytest
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is needed to make a real .xls")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "book.xlsx"
        source.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "xls",
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
        return (Path(tmp) / "book.xls").read_bytes()


def encrypted_package() -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) with the two streams of an encrypted OOXML file."""
    sector = 512
    streams = [("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\x00" * 4088),
               ("EncryptedPackage", struct.pack("<Q", 1000) + b"\x5a" * 4088)]
    data_sectors: list[bytes] = []
    starts = []
    for _, payload in streams:
        starts.append(len(data_sectors))
        for i in range(0, len(payload), sector):
            data_sectors.append(payload[i:i + sector].ljust(sector, b"\x00"))
    # sector 0: FAT, sector 1: directory, then the streams
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    for (_, payload), start in zip(streams, starts):
        count = (len(payload) + sector - 1) // sector
        for i in range(count):
            fat.append(2 + start + i + 1 if i < count - 1 else 0xFFFFFFFE)
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
                + struct.pack("<IIH", start, size, 0) + b"\x00" * 2)
    directory = (entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
                 + entry(streams[0][0], 2, 2 + starts[0], len(streams[0][1]), right=2)
                 + entry(streams[1][0], 2, 2 + starts[1], len(streams[1][1])) + b"\x00" * 128)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + b"\xff" * (436 - 4))
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(data_sectors)
