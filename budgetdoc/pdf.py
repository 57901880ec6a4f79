"""PDF for publication: DOCX (or XLSX) files converted by LibreOffice, many files in one run.

* **One process for a whole batch**: ``soffice --convert-to pdf`` is given
  every file at once; starting LibreOffice takes seconds, converting a
  report a fraction of one.
* **A private profile** (``-env:UserInstallation``) in a scratch folder: the
  conversion never talks to, waits for or disturbs a LibreOffice the user
  has open, and two conversions at once do not clash.
* **Fonts as in Word**: a report names the official 公文 faces (仿宋_GB2312,
  黑体, 楷体_GB2312, 方正小标宋简体), which a server rarely has.  LibreOffice
  ignores the DOCX's ``w:altName`` and asks fontconfig, so a fontconfig file
  of our own maps them to the installed Noto CJK faces (小标宋, a heavy Song,
  to bold Noto Serif); LibreOffice embeds the fonts it uses in the PDF.

``scripts/preview.sh`` converts through ``python -m budgetdoc.pdf`` too, so
the preview and the published PDF are the same pages.

When LibreOffice is missing, the message names the packages to install
(Debian/Ubuntu: libreoffice-writer-nogui, fonts-noto-cjk).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .problems import BudgetError, Source, error

#: Names a report may ask for → the installed face fontconfig should give instead.
SERIF_NAMES = ("宋体", "SimSun", "仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312",
               "楷体", "KaiTi", "楷体_GB2312", "KaiTi_GB2312")
HEAVY_SERIF_NAMES = ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong")
SANS_NAMES = ("黑体", "SimHei", "方正黑体_GBK")
SERIF_FACE = "Noto Serif CJK SC"
SANS_FACE = "Noto Sans CJK SC"

PACKAGES = "libreoffice-writer-nogui 和 fonts-noto-cjk"
INSTALL_HINT = (f"安装 LibreOffice 和中文字体后重新运行：Debian/Ubuntu 运行 sudo apt-get install {PACKAGES.replace(' 和 ', ' ')}；"
                "其他系统安装 LibreOffice（https://www.libreoffice.org）和思源/Noto CJK 字体。不加 --pdf 时不需要它们。")
#: Seconds a batch may take: LibreOffice's start-up, then about a second per report.
TIMEOUT_START = 120
TIMEOUT_PER_FILE = 30


def fontconfig_xml() -> str:
    """A fontconfig file: the system's configuration, and the 公文 faces mapped to Noto CJK."""
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>",
             '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    for name in SERIF_NAMES:
        lines.append(f'  <alias binding="same"><family>{name}</family><prefer><family>{SERIF_FACE}</family>'
                     "</prefer></alias>")
    # 小标宋 is a heavy Song face: the bold Noto Serif is the nearer stand-in.
    for name in HEAVY_SERIF_NAMES:
        lines.append(f'  <match target="pattern"><test name="family"><string>{name}</string></test>')
        lines.append(f'    <edit name="family" mode="assign" binding="strong"><string>{SERIF_FACE}</string></edit>')
        lines.append('    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit></match>')
    for name in SANS_NAMES:
        lines.append(f'  <alias binding="same"><family>{name}</family><prefer><family>{SANS_FACE}</family>'
                     "</prefer></alias>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def find_soffice() -> str | None:
    """The LibreOffice program, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_libreoffice() -> BudgetError:
    return BudgetError([error("PDF", f"生成 PDF 需要 LibreOffice，这台电脑上没有找到（soffice 命令）。", None,
                              INSTALL_HINT)])


def convert(files: list[Path], outdir: Path) -> dict[Path, Path]:
    """Convert ``files`` to PDF in ``outdir`` with one LibreOffice process; ``{file: its PDF}`` for those done.

    A file whose PDF did not appear is left out of the result (the caller
    decides what that means); LibreOffice missing, failing to start or
    running past its time is a :class:`BudgetError` (rule PDF).  File names
    must differ in their stems: each PDF is named after its file.
    """
    if not files:
        return {}
    soffice = find_soffice()
    if soffice is None:
        raise missing_libreoffice()
    outdir.mkdir(parents=True, exist_ok=True)
    for f in files:                 # a PDF left from before must not pass for a new one
        (outdir / f"{f.stem}.pdf").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="budgetdoc-pdf-") as scratch:
        work = Path(scratch)
        (work / "fonts.conf").write_text(fontconfig_xml(), "utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf")}
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir),
                   *(str(f) for f in files)]
        timeout = TIMEOUT_START + TIMEOUT_PER_FILE * len(files)
        try:
            ran = subprocess.run(command, env=env, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BudgetError([error("PDF", f"LibreOffice 转换 {len(files)} 个文件超过 {timeout} 秒仍未结束，已停止。",
                                     None, "关闭其他占用电脑的程序后重新运行；仍然超时请把这条信息发给维护人员。")]) from None
        except OSError as exc:
            raise BudgetError([error("PDF", f"无法运行 LibreOffice（{soffice}）：{exc.strerror or exc}。", None,
                                     INSTALL_HINT)]) from None
    done = {f: outdir / f"{f.stem}.pdf" for f in files}
    done = {f: pdf for f, pdf in done.items() if pdf.is_file() and pdf.stat().st_size > 0}
    if not done:
        log = (ran.stderr or ran.stdout).decode("utf-8", "replace").strip()
        raise BudgetError([error("PDF", "LibreOffice 没有生成任何 PDF" + (f"：{log[-500:]}" if log else "。"),
                                 None, "检查 LibreOffice 能否正常运行（soffice --version）；" + INSTALL_HINT)])
    return done


def to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """PDF bytes of each ``{name: DOCX bytes}`` (names distinct), converted in one LibreOffice run.

    Raises :class:`BudgetError` (rule PDF) unless every document converts.
    """
    with tempfile.TemporaryDirectory(prefix="budgetdoc-docx-") as scratch:
        folder = Path(scratch)
        sources = {}
        for index, (name, data) in enumerate(documents.items()):
            path = folder / f"{index:05d}.docx"
            path.write_bytes(data)
            sources[name] = path
        done = convert(list(sources.values()), folder / "pdf")
        missing = [name for name, path in sources.items() if path not in done]
        if missing:
            raise BudgetError([error("PDF", f"LibreOffice 没有把 {'、'.join(missing)} 转成 PDF。", Source(missing[0]),
                                     "重新运行一次；仍然不行请把这条信息发给维护人员。")])
        return {name: done[path].read_bytes() for name, path in sources.items()}


def main(argv: list[str] | None = None) -> int:
    """``python -m budgetdoc.pdf FILE... --outdir DIR``: what scripts/preview.sh runs."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--outdir" not in args or args.index("--outdir") == len(args) - 1:
        print("用法：python -m budgetdoc.pdf 文件... --outdir 输出目录", file=sys.stderr)
        return 2
    at = args.index("--outdir")
    outdir = Path(args[at + 1])
    files = [Path(a) for a in args[:at] + args[at + 2:]]
    try:
        done = convert(files, outdir)
    except BudgetError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return 1
    failed = [f for f in files if f not in done]
    for f in failed:
        print(f"LibreOffice 没有把 {f} 转成 PDF。", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
